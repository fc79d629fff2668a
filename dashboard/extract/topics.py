"""Topics from the editable keyword taxonomy (data/topics.csv).

Keywords match case-insensitively on whole words; a trailing ``*`` matches any
word ending ("delimit*" finds "delimitation" and "delimiting"). A statement can
have several topics.
"""

from __future__ import annotations

import re
from functools import lru_cache

from dashboard.reference import Reference


def _pattern(keyword: str) -> str:
    keyword = keyword.strip().lower()
    wildcard = keyword.endswith("*")
    body = re.escape(keyword.rstrip("*")).replace(r"\ ", r"\s+")
    return rf"\b{body}" + (r"\w*" if wildcard else r"\b")


class TopicMatcher:
    def __init__(self, reference: Reference) -> None:
        groups = []
        self.topics: list[str] = []
        for topic in reference.topics:
            keywords = [k for k in topic.keywords if k.strip("* ")]
            if not keywords:
                continue
            groups.append(f"(?P<t{len(self.topics)}>" + "|".join(_pattern(k) for k in keywords) + ")")
            self.topics.append(topic.topic)
        self._regex = re.compile("|".join(groups), re.IGNORECASE) if groups else None

    def find(self, text: str) -> list[str]:
        """The topics of ``text``, in taxonomy order, each once."""
        if self._regex is None:
            return []
        found = set()
        for match in self._regex.finditer(text):
            found.add(int(match.lastgroup[1:]))
        return [self.topics[i] for i in sorted(found)]


@lru_cache(maxsize=8)
def topic_matcher_for(reference: Reference) -> TopicMatcher:
    return TopicMatcher(reference)
