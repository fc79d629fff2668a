"""Actor mentions: every alias of the actors table found in a text, on whole words.

One Aho-Corasick automaton (pyahocorasick) holds every alias, lower-cased; a hit
is kept when it sits on word boundaries and its case fits the alias:

- an alias written in capitals only ("US", "EU", "CSTO") matches that exact case;
- an alias starting with a capital ("Yerevan", "Armenian") needs a capital there
  too, so "turkey" the bird or "china" the porcelain do not count;
- an alias starting in lower case ("official Baku", "the Kremlin") matches either case.

Overlapping hits keep the longest ("Russian Foreign Ministry" over "Russian").
A few contexts are not the actor: the US state of Georgia, South Georgia,
and a capital in capitals that opens a news dateline ("MOSCOW, December 26.").
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

import ahocorasick

from dashboard.records import Mention
from dashboard.reference import Reference

#: Actor kinds that are not present-day actors: matched (so their words are not
#: misread as another actor) but reported separately from states and organisations.
HISTORICAL_KINDS = frozenset({"historical"})

_GEORGIA_US_BEFORE = re.compile(
    r"(?:\bSouth|\bstate of|\bU\.?S\.? state of|\bAtlanta,|\bSavannah,|\bAugusta,|\bAthens,|\bMacon,)\s*$"
)
_GEORGIA_US_AFTER = re.compile(
    r"^(?:,?\s*(?:USA|U\.S\.|United States)\b|\s+(?:Tech|Bulldogs|Senate|Senator|Governor|Republicans?|Democrats?|voters|Supreme Court|Power|Aquarium)\b|'s\s+(?:governor|secretary of state|senators?)\b)"
)


@dataclass(frozen=True)
class _Alias:
    actor: str
    alias: str
    mode: str  # exact | capital | any


def _mode(alias: str) -> str:
    letters = [c for c in alias if c.isalpha()]
    if letters and all(c.isupper() for c in letters):
        return "exact"
    if alias[:1].isupper():
        return "capital"
    return "any"


def _lower_same_length(text: str) -> str:
    lowered = text.lower()
    if len(lowered) == len(text):
        return lowered
    return "".join(c.lower() if len(c.lower()) == 1 else c for c in text)


def _is_word_char(c: str) -> bool:
    return c.isalnum() or c == "_"


def _add_hit(
    text: str, end_index: int, aliases: list[_Alias], hits: list[tuple[int, int, str, str]]
) -> None:
    """The first of ``aliases`` (the entries of a key found ending at ``end_index``) that sits
    on word boundaries in ``text`` and fits its case, as a hit ``(start, end, actor, mode)``."""
    end = end_index + 1
    for entry in aliases:
        alias, mode = entry.alias, entry.mode
        start = end - len(alias)  # (never below 0: lower-casing never shortens the alias)
        # The case first (most hits are "us" or "un" inside a word, where "US" or "UN" is not
        # written), then the word boundaries: every test must pass, in whatever order.
        if mode == "exact":
            if not text.startswith(alias, start):
                continue
        elif mode == "capital" and not text[start].isupper():
            continue
        if start > 0 and _is_word_char(text[start - 1]) and _is_word_char(text[start]):
            continue
        if end < len(text) and _is_word_char(text[end]) and _is_word_char(text[end - 1]):
            continue
        hits.append((start, end, entry.actor, mode))
        return


class ActorMatcher:
    """Finds actor mentions in text. Build once per reference table set."""

    def __init__(self, reference: Reference) -> None:
        self.kinds = {a.code: a.kind for a in reference.actors}
        self.names = {a.code: a.name for a in reference.actors}
        automaton = ahocorasick.Automaton()
        entries: dict[str, list[_Alias]] = {}
        for actor in reference.actors:
            for alias in dict.fromkeys((actor.name, *actor.aliases)):
                if not alias:
                    continue
                entries.setdefault(alias.lower(), []).append(_Alias(actor.code, alias, _mode(alias)))
        for key, aliases in entries.items():
            automaton.add_word(key, aliases)
        automaton.make_automaton()
        self._automaton = automaton
        self._empty = not entries
        self.keys = entries  # lower-cased alias -> its entries (``_add_hit``)

    def find(self, text: str, context_rules: bool = True) -> list[Mention]:
        """All mentions in ``text``, in order, longest match first on overlaps.

        ``context_rules=False`` keeps every alias hit (no dateline, language or place-name checks).
        """
        if self._empty or not text:
            return []
        hits: list[tuple[int, int, str, str]] = []
        for end_index, aliases in self._automaton.iter(_lower_same_length(text)):
            _add_hit(text, end_index, aliases, hits)
        return self.choose(text, hits, context_rules)

    def choose(
        self, text: str, hits: list[tuple[int, int, str, str]], context_rules: bool = True
    ) -> list[Mention]:
        """The mentions among ``hits`` (``_add_hit``'s, in any order): longest first on overlaps."""
        hits.sort(key=lambda h: (h[0], -(h[1] - h[0])))
        mentions: list[Mention] = []
        last_end = -1
        for start, end, actor, mode in hits:
            if start < last_end:
                continue
            if context_rules and not self._keep(text, start, end, actor, mode):
                continue
            mentions.append(Mention(actor=actor, surface=text[start:end], start=start, end=end))
            last_end = end
        return mentions

    def _keep(self, text: str, start: int, end: int, actor: str, mode: str) -> bool:
        surface = text[start:end]
        if actor == "GEO" and surface.lower().startswith("georgia"):
            if _GEORGIA_US_BEFORE.search(text[max(0, start - 30) : start]):
                return False
            if _GEORGIA_US_AFTER.match(text[end : end + 40]):
                return False
        if mode != "exact" and surface.isupper() and _is_dateline(text, start, end):
            return False
        after = text[end : end + 40]
        if not (after[:1].isspace() or after[:1] == "-"):
            return True  # each rule below reads a space (or a hyphen) after the alias first
        if _LANGUAGE_AFTER.match(after) or _FEATURE_AFTER.match(after):
            return False
        return not (self._is_place_in_name(surface, actor) and _PROPER_NAME_AFTER.match(after))

    def _is_place_in_name(self, surface: str, actor: str) -> bool:
        """A one-word alias unlike the actor's name (a capital: "Baku", "Washington")."""
        name = self.names.get(actor, "")
        return " " not in surface and not surface.isupper() and surface[:3].lower() != name[:3].lower()

    def is_historical(self, actor: str) -> bool:
        return self.kinds.get(actor, "") in HISTORICAL_KINDS


#: "Russian language", "English and Russian languages": a language, not the state.
_LANGUAGE_AFTER = re.compile(r"^(?:\s+and\s+\w+)?[\s-]+(?:language|languages|speakers|speaking|translation|subtitles)\b")
#: "Panama Canal", "Suez": a geographic feature named after a place.
_FEATURE_AFTER = re.compile(r"^\s+(?:Canal|Strait|Gulf|Sea|River|Basin|Lake|Mountains)\b")
#: "Baku Maritime Technical School", "Washington Post": a city inside a proper name.
_PROPER_NAME_AFTER = re.compile(r"^\s+(?!(?:Foreign|Ministry|Minister|President|Government|Kremlin|State Department)\b)[A-Z][a-z]+")
_DATELINE_AFTER = re.compile(r"^(?:\s*/[^/\n]{1,40}/)?,\s+[A-Z][a-z]+\s+\d{1,2}\b")


def _is_dateline(text: str, start: int, end: int) -> bool:
    """A city in capitals at the start of a line, followed by a date: where the report was filed."""
    if not _DATELINE_AFTER.match(text[end : end + 40]):
        return False
    # only spaces back to the line's start (read back over the spaces alone: on a text of one
    # long line, not back to its beginning for every name in capitals)
    k = start - 1
    while k >= 0 and text[k] != "\n" and text[k].isspace():
        k -= 1
    return k < 0 or text[k] == "\n"


@lru_cache(maxsize=8)
def matcher_for(reference: Reference) -> ActorMatcher:
    return ActorMatcher(reference)


def find_mentions(text: str, reference: Reference) -> list[Mention]:
    """Convenience: the mentions of ``text`` with a cached matcher for ``reference``."""
    return matcher_for(reference).find(text)
