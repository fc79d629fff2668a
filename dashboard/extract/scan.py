"""One pass over a document for both the actors it mentions and the topic keywords it holds.

The actor aliases and the topic keywords go into one Aho-Corasick automaton, run over the
lower-cased text with its line breaks, tabs and no-break spaces read as spaces (the topics'
text): the same hits as ``ActorMatcher.find`` and ``TopicMatcher.hits`` each running their own
automaton over their own text, at the cost of one pass instead of two. An alias with a space is
checked against the lower-cased text itself (the topics' text may have had a line break there);
should an alias hold a line break, tab or no-break space, the two passes are run as before.
"""

from __future__ import annotations

from functools import lru_cache

import ahocorasick

from dashboard.extract.mentions import ActorMatcher, _add_hit, _lower_same_length, matcher_for
from dashboard.extract.topics import _SPACES, TopicMatcher, _add_hits, flat_text, topic_matcher_for
from dashboard.records import Mention
from dashboard.reference import Reference


class DocumentScanner:
    def __init__(self, actors: ActorMatcher, topics: TopicMatcher) -> None:
        self.actors, self.topics = actors, topics
        keys: dict[str, list] = {}
        for key, aliases in actors.keys.items():
            keys[key] = [aliases, None, key if " " in key else None]
        for word, value in topics.keys.items():
            keys.setdefault(word, [None, None, None])[1] = value
        self.merged = bool(keys) and not any(space in key for key in actors.keys for space in _SPACES)
        self._automaton = ahocorasick.Automaton()
        if self.merged:
            for key, value in keys.items():
                self._automaton.add_word(key, tuple(value))
            self._automaton.make_automaton()

    def scan(self, text: str) -> tuple[list[Mention], list[tuple[int, int, int]]]:
        """``(actors.find(text), topics.hits(text))``."""
        if not self.merged:
            return self.actors.find(text), self.topics.hits(text)
        if not text:
            return [], []
        lowered = _lower_same_length(text)
        flat = flat_text(lowered)
        hits: list[tuple[int, int, str, str]] = []
        found: list[tuple[int, int, int]] = []
        for end_index, (aliases, topic, spaced) in self._automaton.iter(flat):
            if topic is not None:
                _add_hits(flat, end_index, topic, found)
            if aliases is not None and (
                spaced is None or lowered.startswith(spaced, end_index + 1 - len(spaced))
            ):
                _add_hit(text, end_index, aliases, hits)
        found.sort()
        return self.actors.choose(text, hits), found


@lru_cache(maxsize=8)
def scanner_for(reference: Reference) -> DocumentScanner:
    return DocumentScanner(matcher_for(reference), topic_matcher_for(reference))
