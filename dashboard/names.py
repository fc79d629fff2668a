"""Contested place names: which variant of a name (Stepanakert or Khankendi) a statement uses.

The variants and their spellings are ``data/names.csv`` (``reference.load_names``). A spelling
matches as whole words, case-insensitively unless it is written in capitals (``TRIPP``, not the
surname Tripp); a space or hyphen in it stands for any run of spaces, hyphens or dashes
("Nagorno-Karabakh" also finds "Nagorno Karabakh"). Within one place, the longest spelling at a
position wins and the words it covers count once: the "Karabakh" of "Nagorno-Karabakh" is not
also a "Karabakh".

These are places, not actors, so the mentions table does not hold them. They are matched once,
at the end of every ingest, into ``statement_names`` (statement, place, variant, times, and the
statement's date and speaker country, so that the page's charts need no join): at a
million statements the Names page then reads a table of a few thousand rows instead of every
statement's text for each chart, and the matching is Python's (word boundaries in any script,
longest first), which RE2 alone cannot express.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from dashboard import storage
from dashboard.reference import NameVariant, split_multi

_SEPARATOR = r"[\s\-‐‑‒–—]+"  # noqa: RUF001 -- the dashes are what texts write between the words


def _spelling_regex(spelling: str) -> str:
    words = [w for w in re.split(_SEPARATOR, spelling.strip()) if w]
    body = _SEPARATOR.join(re.escape(w) for w in words)
    return f"(?-i:{body})" if spelling.isupper() else body


_COLUMNS = ("statement_id", "name_group", "variant", "n", "date", "speaker_country")
#: Words too common to pick statements by ("Republic of South Ossetia" is looked for as "ossetia").
_COMMON = {"republic", "south", "north", "east", "west", "upper", "the", "of"}


def _key_word(spelling: str) -> str:
    words = [w.lower() for w in re.split(_SEPARATOR, spelling.strip()) if w]
    return next((w for w in words if w not in _COMMON), words[0])


def group_matchers(variants: Iterable[NameVariant]) -> dict[str, tuple[re.Pattern, list[str], frozenset[str]]]:
    """Per place: one pattern of all its spellings, longest first; the variant of each; and a word
    of each spelling, so that a text containing none of them is not scanned for that place."""
    by_group: dict[str, list[tuple[str, str]]] = {}
    for v in variants:
        by_group.setdefault(v.group, []).extend((s, v.variant) for s in v.patterns if s.strip())
    matchers = {}
    for group, spellings in by_group.items():
        spellings.sort(key=lambda sv: -len(sv[0]))
        alternatives = "|".join(f"({_spelling_regex(s)})" for s, _ in spellings)
        pattern = re.compile(rf"(?<!\w)(?:{alternatives})(?!\w)", re.IGNORECASE)
        matchers[group] = (pattern, [v for _, v in spellings], frozenset(_key_word(s) for s, _ in spellings))
    return matchers


def match_names(text: str, matchers: dict) -> list[tuple[str, str, int, int]]:
    """(place, variant, start, end) of every name in ``text``, in order of place then position."""
    found = []
    lowered = text.lower()
    for group, (pattern, variants, keys) in matchers.items():
        if not any(k in lowered for k in keys):
            continue
        for m in pattern.finditer(text):
            found.append((group, variants[m.lastindex - 1], m.start(), m.end()))
    return found


def variant_spans(text: str, matchers: dict, group: str, variant: str) -> list[tuple[int, int]]:
    """Where ``text`` uses ``variant`` of ``group`` (as counted: the longest spelling wins)."""
    return [(a, b) for g, v, a, b in match_names(text, {group: matchers[group]} if group in matchers else {})
            if v == variant]  # fmt: skip


def prefilter(variants: Iterable[NameVariant]) -> str:
    """An RE2 pattern every statement with a name matches: the first word of each spelling,
    anywhere, any case. It lets DuckDB skip the statements that name none of the places."""
    words = sorted({_key_word(s) for v in variants for s in v.patterns if s.strip()})
    literal = ("".join("\\" + c if c.isascii() and not c.isalnum() else c for c in w) for w in words if w)
    return "(?i)(?:" + "|".join(literal) + ")"


def build_statement_names(con, variants: Iterable[NameVariant] | None = None) -> int:
    """Rebuild ``statement_names`` (and, given ``variants``, the ``names`` table first) from the
    statements in ``con``; returns the rows written. Reads candidates in batches: memory stays flat."""
    if variants is not None:
        con.execute("DELETE FROM names")
        rows = [(i, v.group, v.variant, " | ".join(v.patterns), v.side, v.note) for i, v in enumerate(variants)]
        storage.insert_rows(con, "names", ("seq", "name_group", "variant", "patterns", "side", "note"), rows)
    table = con.execute("SELECT name_group, variant, patterns, side, note FROM names ORDER BY seq").fetchall()
    known = [NameVariant(g, v, split_multi(p), s or "", n or "") for g, v, p, s, n in table]
    con.execute("DELETE FROM statement_names")
    if not known:
        return 0
    matchers = group_matchers(known)
    cur = con.cursor()
    written = 0
    try:
        cur.execute(
            "SELECT statement_id, text, date, speaker_country FROM statements WHERE regexp_matches(text, $p)",
            {"p": prefilter(known)},
        )
        while batch := cur.fetchmany(5000):
            rows = []
            for statement_id, text, day, country in batch:
                counts: dict[tuple[str, str], int] = {}
                for group, variant, _, _ in match_names(text, matchers):
                    counts[(group, variant)] = counts.get((group, variant), 0) + 1
                rows.extend((statement_id, g, v, n, day, country) for (g, v), n in counts.items())
            storage.insert_rows(con, "statement_names", _COLUMNS, rows)
            written += len(rows)
    finally:
        cur.close()
    return written
