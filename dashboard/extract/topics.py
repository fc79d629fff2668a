"""Topics from the editable keyword taxonomy (data/topics.csv).

Keywords match case-insensitively on whole words; a trailing ``*`` matches any
word ending ("delimit*" finds "delimitation" and "delimiting"). A statement can
have several topics.
"""

from __future__ import annotations

from functools import lru_cache

import ahocorasick

from dashboard.reference import Reference


class TopicMatcher:
    """One Aho-Corasick automaton over every keyword of every topic."""

    def __init__(self, reference: Reference) -> None:
        self.topics: list[str] = []
        automaton = ahocorasick.Automaton()
        entries: dict[str, list[tuple[int, bool]]] = {}
        for topic in reference.topics:
            index = len(self.topics)
            self.topics.append(topic.topic)
            for keyword in topic.keywords:
                word = " ".join(keyword.strip().lower().split())
                wildcard = word.endswith("*")
                word = word.rstrip("*").strip()
                if word:
                    entries.setdefault(word, []).append((index, wildcard))
        for word, targets in entries.items():
            automaton.add_word(word, (len(word), targets))
        self._automaton = automaton if entries else None
        if entries:
            automaton.make_automaton()

    def find(self, text: str) -> list[str]:
        """The topics of ``text``, in taxonomy order, each once."""
        if self._automaton is None:
            return []
        flat = " ".join(text.lower().split())
        found: set[int] = set()
        for end_index, (length, targets) in self._automaton.iter(flat):
            start, end = end_index + 1 - length, end_index + 1
            if start > 0 and flat[start - 1].isalnum():
                continue
            whole_word = end >= len(flat) or not flat[end].isalnum()
            for index, wildcard in targets:
                if wildcard or whole_word:
                    found.add(index)
        return [self.topics[i] for i in sorted(found)]


@lru_cache(maxsize=8)
def topic_matcher_for(reference: Reference) -> TopicMatcher:
    return TopicMatcher(reference)
