"""The speakers registry (data/speakers.csv): names and aliases to canonical people.

A person can have several rows (one per office); the row in office on the
document's date is chosen, else the latest one.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from dashboard.reference import Reference, Speaker


@dataclass(frozen=True)
class Person:
    """A resolved speaker: canonical or as the text names them."""

    name: str
    speaker_id: str | None = None
    country: str | None = None
    role: str | None = None

    @property
    def surname(self) -> str:
        return self.name.split()[-1] if self.name else ""


def _in_office(row: Speaker, day: str | None) -> bool:
    if not day:
        return False
    return (not row.in_office_from or row.in_office_from <= day) and (
        not row.in_office_to or day <= row.in_office_to
    )


#: Words that may stand before a surname without being a first name ("Foreign Minister Bayramov").
TITLES = frozenset(
    """president minister mr mrs ms dr spokeswoman spokesperson spokesman ambassador secretary
    chairman chairwoman premier chancellor envoy deputy general judge senator speaker leader head
    counterpart colleague representative diplomat the and with by of to said says""".split()
)
_BEFORE = re.compile(r"([^\W\d_][\w'\u2019\-]*)\s+$")


class Registry:
    def __init__(self, reference: Reference) -> None:
        self.rows: dict[str, list[Speaker]] = {}
        names: dict[str, str] = {}
        for row in reference.speakers:
            self.rows.setdefault(row.speaker_id, []).append(row)
            for alias in (row.name, *row.aliases):
                if alias and len(alias) >= 3:
                    names.setdefault(alias, row.speaker_id)
        self._names = names
        # Longest alias first, so "Serzh Sargsyan" wins over "Sargsyan".
        ordered = sorted(names, key=len, reverse=True)
        self._regex = (
            re.compile(r"(?<![\w])(?:" + "|".join(re.escape(n) for n in ordered) + r")(?![\w])")
            if ordered
            else None
        )
        self._by_role: dict[tuple[str, str], list[Speaker]] = {}
        for row in reference.speakers:
            self._by_role.setdefault((row.role.lower(), row.country), []).append(row)

    def person(self, speaker_id: str, day: str | None) -> Person:
        rows = self.rows[speaker_id]
        current = [r for r in rows if _in_office(r, day)]
        row = current[0] if current else max(rows, key=lambda r: r.in_office_from or "")
        return Person(row.name, row.speaker_id, row.country or None, row.role or None)

    def find(self, text: str, day: str | None) -> list[tuple[int, int, Person]]:
        """Registry people named in ``text`` with their offsets."""
        if self._regex is None:
            return []
        found = []
        for m in self._regex.finditer(text):
            alias = m.group()
            if " " not in alias:
                # a surname alone must not be the end of someone else's name ("Shirin Bayramov")
                before = _BEFORE.search(text[max(0, m.start() - 30) : m.start()])
                word = before.group(1) if before else ""
                if (
                    word[:1].isupper() and word.lower() not in TITLES
                    and not word.isupper() and not _is_demonym_like(word)
                ):  # fmt: skip
                    continue
            found.append((m.start(), m.end(), self.person(self._names[alias], day)))
        return found

    def holder(self, role: str, country: str, day: str | None) -> Person | None:
        """Who held ``role`` for ``country`` on ``day``: only when exactly one person did."""
        if not day:
            return None
        rows = [r for r in self._by_role.get((role, country), []) if _in_office(r, day)]
        ids = {r.speaker_id for r in rows}
        if len(ids) != 1:
            return None
        return self.person(ids.pop(), day)


def _is_demonym_like(word: str) -> bool:
    return word.endswith(("ian", "ani", "ese", "ish", "ic", "i", "an")) and len(word) > 4


@lru_cache(maxsize=8)
def registry_for(reference: Reference) -> Registry:
    return Registry(reference)
