"""Free-text search: what ``q`` means, its patterns for DuckDB and for Python, and excerpts
with the match marked.

The syntax, as the search box's help text gives it:

- ``peace treaty``: every word must occur, anywhere in the statement, in any order;
- ``"peace treaty"``: these words in this order (any spacing or line break between them);
- ``-russia`` or ``-"peace treaty"``: statements containing it are left out;
- case does not matter, and a word matches at the start of a word: ``armenia`` finds
  "Armenia", "Armenian" and "Armenia's" but not "Transarmenian", ``peace`` finds "peaceful"
  but not "appease". A term that starts with punctuation (``%``, ``(peace``) matches anywhere.
  Every character is literal: nothing is a wildcard or a regular expression.

DuckDB matches with RE2 and the excerpts are cut with Python's ``re``; both patterns are built
here from the same terms so that they agree (``[^\\pL\\pN_]`` in RE2 is ``(?<!\\w)`` in Python).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

#: More terms than this are dropped (the URL's q is at most 200 characters anyway).
MAX_TERMS = 10
#: The visible text mark around the matched words in excerpts (never HTML or Markdown).
MARK = ("▸", "◂")
#: Words of context kept on either side of the first match in an excerpt.
CONTEXT_WORDS = 20

_TOKEN = re.compile(r'(-?)"([^"]*)"?|(\S+)')  # a quoted phrase (closing quote optional) or a word


@dataclass(frozen=True)
class SearchQuery:
    """The terms of a search: each a word or a phrase (its words joined by single spaces)."""

    include: tuple[str, ...] = ()
    exclude: tuple[str, ...] = ()

    def __bool__(self) -> bool:
        return bool(self.include or self.exclude)

    def canonical(self) -> str:
        """One spelling per meaning, for cache keys: ``Peace  "x y"`` and ``peace "X Y"`` agree."""
        parts = sorted(f'"{t.casefold()}"' for t in self.include)
        parts += sorted(f'-"{t.casefold()}"' for t in self.exclude)
        return " ".join(parts)


def parse_search(text: str | None) -> SearchQuery:
    """The terms of ``text``; anything unusual (an unclosed quote, a lone ``-``) still parses."""
    include: list[str] = []
    exclude: list[str] = []
    for m in _TOKEN.finditer(text or ""):
        negate, phrase, word = m.group(1), m.group(2), m.group(3)
        if word is not None:
            negate = "-" if word.startswith("-") and len(word) > 1 else ""
            term = word[1:] if negate else word
        else:
            term = " ".join(phrase.split())
        if not term or term == "-":
            continue
        target = exclude if negate else include
        if term.casefold() not in {t.casefold() for t in include + exclude}:
            target.append(term)
        if len(include) + len(exclude) >= MAX_TERMS:
            break
    return SearchQuery(tuple(include), tuple(exclude))


def _starts_word(term: str) -> bool:
    return term[0].isalnum() or term[0] == "_"


def _re2_literal(word: str) -> str:
    # RE2 takes a backslash before any ASCII punctuation as that character itself
    return "".join("\\" + c if c.isascii() and not c.isalnum() else c for c in word)


def re2_pattern(term: str) -> str:
    """A case-insensitive RE2 pattern (DuckDB's ``regexp_matches``) for one term."""
    body = r"\s+".join(_re2_literal(w) for w in term.split(" "))
    lead = r"(?:^|[^\pL\pN_])" if _starts_word(term) else ""
    return "(?i)" + lead + body


def re2_prefilter(term: str) -> str:
    """A looser pattern for the same term: its longest word anywhere, which RE2 finds much faster
    than the word-start pattern; only the statements it keeps are tried with ``re2_pattern``."""
    return "(?i)" + _re2_literal(max(term.split(" "), key=len))


def python_pattern(term: str) -> re.Pattern:
    """The same term for Python, matching through to the end of the word it starts (for the mark)."""
    body = r"\s+".join(re.escape(w) for w in term.split(" "))
    lead = r"(?<!\w)" if _starts_word(term) else ""
    tail = r"\w*" if term[-1].isalnum() or term[-1] == "_" else ""
    return re.compile(lead + body + tail, re.IGNORECASE)


def match_spans(text: str, query: SearchQuery) -> list[tuple[int, int]]:
    """Where the included terms occur in ``text``: sorted, overlapping spans merged."""
    return merge_spans(m.span() for term in query.include for m in python_pattern(term).finditer(text))


def merge_spans(spans) -> list[tuple[int, int]]:
    """Spans sorted, empty ones dropped, overlapping ones merged."""
    merged: list[tuple[int, int]] = []
    for start, end in sorted(sp for sp in spans if sp[1] > sp[0]):
        if merged and start <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(end, merged[-1][1]))
        else:
            merged.append((start, end))
    return merged


def excerpt(text: str, query: SearchQuery, words: int = CONTEXT_WORDS, also: list[tuple[int, int]] = ()) -> str:
    """The words around the first match, ``…`` where cut, every match in it between ``MARK``s;
    ``also`` are more spans to mark (a contested name the statement uses).

    Plain text on one line: line breaks become spaces, and a document's own ▸ ◂ become › ‹ so
    that a mark is always ours. Without a match (a search of exclusions only) it is the start.
    """
    text = text or ""
    tokens = [m.span() for m in re.finditer(r"\S+", text)]
    if not tokens:
        return ""
    spans = merge_spans([*match_spans(text, query), *also])
    if spans:
        first_start, first_end = spans[0]
        i = next(k for k, (_, e) in enumerate(tokens) if e > first_start)
        j = max(k for k, (s, _) in enumerate(tokens) if s < first_end)
        lo, hi = max(0, i - words), min(len(tokens), j + words + 1)
    else:
        lo, hi = 0, min(len(tokens), 2 * words)
    window_start, window_end = tokens[lo][0], tokens[hi - 1][1]
    pieces: list[str] = []
    at = window_start
    for start, end in spans:
        start, end = max(start, window_start), min(end, window_end)
        if start >= end:
            continue
        pieces.append(_plain(text[at:start]))
        pieces.append(MARK[0] + _plain(text[start:end]) + MARK[1])
        at = end
    pieces.append(_plain(text[at:window_end]))
    body = "".join(pieces)
    return ("… " if lo > 0 else "") + body + (" …" if hi < len(tokens) else "")


def _plain(piece: str) -> str:
    return re.sub(r"\s+", " ", piece).replace(MARK[0], "›").replace(MARK[1], "‹")
