"""The date of a document: metadata first, then what the text says about itself, else none.

A date is never invented. The text may give it in

- a header line: ``date 2025-03-20 20 Mar. 22:45 (UTC+3 MSK)``;
- a date line of its own near the top: ``20 March 2025`` or ``March 20, 2025``;
- a place and date closing the title line: ``... interview (Moscow, February 10, 2026)``;
- a dateline: ``MOSCOW, December 26, 2024 /TASS/`` — a dateline without a year
  (``MOSCOW, December 26. /TASS/.``) is completed only when the same text
  states that day with its year ("on December 26, 2024"), never from the
  calendar or from other years the text mentions.
"""

from __future__ import annotations

import re
from datetime import date

from dashboard.readers import HEADER_DATE as HEADER

MONTHS = {
    name: i + 1
    for i, names in enumerate(
        [("january", "jan"), ("february", "feb"), ("march", "mar"), ("april", "apr"),
         ("may",), ("june", "jun"), ("july", "jul"), ("august", "aug"),
         ("september", "sep", "sept"), ("october", "oct"), ("november", "nov"), ("december", "dec")]
    )
    for name in names
}  # fmt: skip
_MONTH = r"(?P<month>Jan(?:uary)?|Feb(?:ruary)?|Mar(?:ch)?|Apr(?:il)?|May|June?|July?|Aug(?:ust)?|Sept?(?:ember)?|Oct(?:ober)?|Nov(?:ember)?|Dec(?:ember)?)\.?"

_ISO_LINE = re.compile(r"^\s*(?P<iso>\d{4}-\d{2}-\d{2})(?:[ T]\d{1,2}:\d{2}.*)?\s*$")
_DMY = re.compile(rf"^\s*(?P<day>\d{{1,2}})\s+{_MONTH}\s+(?P<year>\d{{4}})\b", re.IGNORECASE)
_MDY = re.compile(rf"^\s*{_MONTH}\s+(?P<day>\d{{1,2}}),?\s+(?P<year>\d{{4}})\b", re.IGNORECASE)
_DATELINE = re.compile(
    rf"^\s*(?P<city>[A-Z][A-Z .'\-]{{2,40}}?)(?:\s*/[^/\n]{{1,40}}/)?,\s+{_MONTH}\s+(?P<day>\d{{1,2}})"
    r"(?:,?\s+(?P<year>\d{4}))?\s*[./(]",
)


#: "(Moscow, February 10, 2026)" closing a ministry post's title line.
_PLACE_DATE = re.compile(
    rf"\((?:[A-Z][\w .'\-]{{1,40}},\s+)?{_MONTH}\s+(?P<day>\d{{1,2}}),\s+(?P<year>\d{{4}})\)"
)


def iso(year: int, month: int, day: int) -> str | None:
    try:
        return date(year, month, day).isoformat()
    except ValueError:
        return None


def _valid_iso(value: str | None) -> str | None:
    if not value:
        return None
    try:
        return date.fromisoformat(value[:10]).isoformat()
    except ValueError:
        return None


def _month(name: str) -> int:
    key = name.lower().rstrip(".")
    return MONTHS.get(key) or MONTHS[key[:3]]


def _year_for(text: str, month: int, day: int) -> int | None:
    """A year the text itself gives for this month and day, if exactly one."""
    years = set()
    for match in re.finditer(rf"\b{_MONTH}\s+(?P<day>\d{{1,2}}),?\s+(?P<year>(?:19|20)\d{{2}})\b", text):
        if _month(match["month"]) == month and int(match["day"]) == day:
            years.add(int(match["year"]))
    for match in re.finditer(rf"\b(?P<day>\d{{1,2}})\s+{_MONTH}\s+(?P<year>(?:19|20)\d{{2}})\b", text):
        if _month(match["month"]) == month and int(match["day"]) == day:
            years.add(int(match["year"]))
    return years.pop() if len(years) == 1 else None


def find_date(text: str, metadata_date: str | None = None) -> tuple[str | None, str]:
    """``(iso_date, source)`` with source one of metadata, header, dateline, none."""
    found = _valid_iso(metadata_date)
    if found:
        return found, "metadata"
    lines = [line for line in text.split("\n") if line.strip()][:4]
    for i, line in enumerate(lines):
        m = HEADER.match(line)
        if m and _valid_iso(m["iso"]):
            return _valid_iso(m["iso"]), "header"
        if i < 3:
            m = _ISO_LINE.match(line)
            if m and _valid_iso(m["iso"]):
                return _valid_iso(m["iso"]), "header"
            for pattern in (_DMY, _MDY):
                m = pattern.match(line)
                if m and len(line.strip()) <= 40:
                    value = iso(int(m["year"]), _month(m["month"]), int(m["day"]))
                    if value:
                        return value, "header"
    first = next((line for line in text.split("\n") if line.strip()), "")
    m = _PLACE_DATE.search(first)
    if m:
        value = iso(int(m["year"]), _month(m["month"]), int(m["day"]))
        if value:
            return value, "dateline"
    for line in text.split("\n")[:12]:
        m = _DATELINE.match(line)
        if not m:
            continue
        month, day = _month(m["month"]), int(m["day"])
        year = int(m["year"]) if m["year"] else _year_for(text, month, day)
        if year:
            value = iso(year, month, day)
            if value:
                return value, "dateline"
        break
    return None, "none"
