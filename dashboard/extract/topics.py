"""Topics from the editable keyword taxonomy (data/topics.csv).

Keywords match case-insensitively on whole words; a trailing ``*`` matches any
word ending ("delimit*" finds "delimitation" and "delimiting"). A statement can
have several topics.
"""

from __future__ import annotations

import bisect
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
        self.keys = {word: (len(word), targets) for word, targets in entries.items()}
        for word, value in self.keys.items():
            automaton.add_word(word, value)
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


    def hits(self, text: str) -> list[tuple[int, int, int]]:
        """``(start, end, topic index)`` of every keyword in ``text``, in order of start.

        For a whole document at once: each statement then takes the hits inside it
        (``within``), instead of a pass of its own. Offsets are ``text``'s own (the text is
        lower-cased and its line breaks and tabs read as spaces without changing its length).
        """
        if self._automaton is None:
            return []
        flat = flat_text(_same_length_lower(text))
        found: list[tuple[int, int, int]] = []
        for end_index, value in self._automaton.iter(flat):
            _add_hits(flat, end_index, value, found)
        found.sort()
        return found

    def within(self, hits: list[tuple[int, int, int]], starts: list[int], start: int, end: int) -> list[str]:
        """The topics of the hits inside ``[start, end)``, in taxonomy order."""
        i, j = bisect.bisect_left(starts, start), bisect.bisect_left(starts, end)
        found = {index for _s, e, index in hits[i:j] if e <= end}
        return [self.topics[k] for k in sorted(found)]


_SPACES = ("\n", "\t", "\r", "\u00a0")


def flat_text(lowered: str) -> str:
    """The lower-cased text with its line breaks, tabs and no-break spaces read as spaces."""
    for space in _SPACES:  # str.replace per character is far faster than str.translate
        if space in lowered:
            lowered = lowered.replace(space, " ")
    return lowered


def _add_hits(flat: str, end_index: int, value: tuple[int, list[tuple[int, bool]]],
              found: list[tuple[int, int, int]]) -> None:  # fmt: skip
    """The topics of a keyword (``value``: its length and topics) found ending at ``end_index``,
    when it starts a word (and ends one, unless it is a prefix)."""
    length, targets = value
    start, end = end_index + 1 - length, end_index + 1
    if start > 0 and flat[start - 1].isalnum():
        return
    whole_word = end >= len(flat) or not flat[end].isalnum()
    for index, wildcard in targets:
        if wildcard or whole_word:
            found.append((start, end, index))


def _same_length_lower(text: str) -> str:
    lowered = text.lower()
    if len(lowered) == len(text):
        return lowered
    return "".join(c.lower() if len(c.lower()) == 1 else c for c in text)


@lru_cache(maxsize=8)
def topic_matcher_for(reference: Reference) -> TopicMatcher:
    return TopicMatcher(reference)
