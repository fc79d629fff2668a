"""Paragraphs and direct quotations.

A quotation is text between quote marks — straight or curly double quotes,
guillemets, low-high quotes, or single quotes used as quote marks — that is at
least four words long and reproduces someone's words. Not quotations: scare
quotes (short), titles and slogans ("the so-called", "titled", "under the
motto", Title Case Words), and a headline's copy of a quote the body repeats.

A quotation whose paragraph ends while it is still open continues when the
next paragraph opens with a quote mark (the newspaper convention for quotes
that run over several paragraphs).
"""

from __future__ import annotations

import bisect
import re
from collections import Counter
from dataclasses import dataclass

MIN_QUOTE_WORDS = 4

_DOUBLE_OPEN = "\u201c\u201e\u00ab"  # “ „ «
_DOUBLE_CLOSE = "\u201d\u00bb"  # ” »
_SINGLE_OPEN = "\u2018\u2039"  # ‘ ‹
_SINGLE_CLOSE = "\u2019\u203a"  # ’ ›
QUOTE_CHARS = _DOUBLE_OPEN + _DOUBLE_CLOSE + _SINGLE_OPEN + _SINGLE_CLOSE + "\"'"
# The marks are found by a regex scan (in C), not by a loop over every character.
_DOUBLE_MARK = re.compile("[" + _DOUBLE_OPEN + _DOUBLE_CLOSE + '"]')
_SINGLE_MARK = re.compile("[" + _SINGLE_OPEN + _SINGLE_CLOSE + "']")

_WORD = re.compile(r"\w[\w'\u2019\-]*")
_TITLE_BEFORE = re.compile(
    r"(?:\b(?:titled|entitled|called|named|dubbed|so-called|so called|motto|slogan|theme|headlined|"
    r"hashtag|themed|banner|known as|labelled|labeled|the words)[\s,:]*|#)$",
    re.IGNORECASE,
)
_SMALL_WORDS = frozenset("a an the of and or in on at to for with by from as is are not no vs".split())


@dataclass(frozen=True)
class QuoteSpan:
    start: int  # first character inside the marks
    end: int  # the closing mark's position (exclusive end of the quoted words)
    open_mark: int  # position of the opening mark
    close_mark: int  # position of the closing mark
    nested: bool = False  # inside another quotation


def paragraphs(text: str) -> list[tuple[int, int]]:
    """Paragraph spans: separated by blank lines when the text has any, else by line breaks."""
    separator = re.compile(r"\n[ \t\u00a0]*\n\s*") if re.search(r"\n[ \t\u00a0]*\n", text) else re.compile(r"\n\s*")
    spans, pos = [], 0
    for match in separator.finditer(text):
        spans.append((pos, match.start()))
        pos = match.end()
    spans.append((pos, len(text)))
    out = []
    for start, end in spans:
        chunk = text[start:end]
        stripped = chunk.strip()
        if stripped:
            lead = len(chunk) - len(chunk.lstrip())
            out.append((start + lead, start + lead + len(stripped)))
    return out


def word_count(text: str) -> int:
    return len(_WORD.findall(text))


def _is_opening_straight(text: str, i: int) -> bool:
    before = text[i - 1] if i > 0 else " "
    after = text[i + 1] if i + 1 < len(text) else " "
    if before.isspace() or before in "([{\u2014\u2013-:/" + _DOUBLE_OPEN:
        return not after.isspace()
    return False


def _is_closing_straight(text: str, i: int) -> bool:
    before = text[i - 1] if i > 0 else " "
    after = text[i + 1] if i + 1 < len(text) else " "
    return not before.isspace() and (after.isspace() or not after.isalnum())


def _double_spans(text: str, paras: list[tuple[int, int]]) -> list[QuoteSpan]:
    spans: list[QuoteSpan] = []
    open_at: int | None = None
    para_index = 0
    marks = [m.start() for m in _DOUBLE_MARK.finditer(text)]
    para_ends = [end for _, end in paras]
    para_starts = [start for start, _ in paras]
    for i in marks:
        # Leaving a paragraph with a quote still open: continue only when the next paragraph opens with a mark.
        while para_index < len(paras) and i >= para_ends[para_index]:
            if open_at is not None and open_at < para_ends[para_index]:
                nxt = para_index + 1
                if not (nxt < len(paras) and text[para_starts[nxt]] in _DOUBLE_OPEN + '"' and i == para_starts[nxt]):
                    open_at = None
            para_index += 1
        c = text[i]
        if c in _DOUBLE_OPEN:
            at_para_start = para_index < len(paras) and i == para_starts[para_index]
            if open_at is None or not at_para_start:
                open_at = i
            continue
        if c in _DOUBLE_CLOSE:
            if open_at is not None:
                spans.append(QuoteSpan(open_at + 1, i, open_at, i))
                open_at = None
            elif c == "\u201d" and _is_opening_straight(text, i) and i + 1 < len(text) and text[i + 1].isalpha():
                open_at = i  # a closing mark typed where an opening one belongs
            continue
        # straight double quote: direction from its neighbours, else from the state
        if open_at is None:
            if _is_opening_straight(text, i) or not _is_closing_straight(text, i):
                open_at = i
        else:
            at_para_start = para_index < len(paras) and i == para_starts[para_index]
            if at_para_start:
                continue  # continuation mark of a multi-paragraph quote
            if _is_closing_straight(text, i) or not _is_opening_straight(text, i):
                spans.append(QuoteSpan(open_at + 1, i, open_at, i))
                open_at = None
            else:
                open_at = i
    return spans


def _single_spans(text: str, lo: int, hi: int, nested: bool) -> list[QuoteSpan]:
    """Single-quote spans inside ``text[lo:hi]`` (one paragraph or one double quote)."""
    spans = []
    open_at = None
    for m in _SINGLE_MARK.finditer(text, lo, hi):
        i = m.start()
        c = text[i]
        before = text[i - 1] if i > 0 else " "
        after = text[i + 1] if i + 1 < len(text) else " "
        opening = (before.isspace() or before in "([{\u2014\u2013-:" + _DOUBLE_OPEN + '"' or i == lo) and after.isalnum()
        closing = not before.isspace() and not after.isalnum()
        if c in _SINGLE_OPEN and opening:
            open_at = i
        elif c in _SINGLE_CLOSE or c == "'":
            if open_at is not None and closing:
                spans.append(QuoteSpan(open_at + 1, i, open_at, i, nested=nested))
                open_at = None
            elif c == "'" and opening and open_at is None:
                open_at = i
    return spans


def _is_title(text: str, span: QuoteSpan) -> bool:
    inner = text[span.start : span.end].strip()
    before = text[max(0, span.open_mark - 40) : span.open_mark]
    if _TITLE_BEFORE.search(before.rstrip() + (" " if before.endswith(" ") else "")):
        return True
    words = _WORD.findall(inner)
    content = [w for w in words if w.lower() not in _SMALL_WORDS]
    if not content or len(words) > 12 or inner.endswith((".", "!", "?", ",", "...", "\u2026")):
        return False
    capitals = sum(1 for w in content if w[0].isupper() or w[0].isdigit())
    return capitals / len(content) >= 0.8


_PHRASE_BEFORE = re.compile(
    r"\b(?:a|an|the|as|of|into|from|for|on|with|its|their|his|her|our|this|that|these|those|such|"
    r"termed|term|word|words|concept of|notion of|idea of)\s*$",
    re.IGNORECASE,
)
#: Longest quoted fragment that can still be a scare-quoted phrase rather than someone's words.
MAX_PHRASE_WORDS = 7


#: A verb of saying or labelling earlier in the same sentence: the fragment is the speaker's words
#: ("Zakharova called the statement "a blatant provocation"", "said that "more than half"").
_SAID_BEFORE = re.compile(
    r"\b(?:said|says|told|tells|stated|states|called|calls|described|describes|branded|brands|dubbed|"
    r"termed|labelled|labeled|warned|noted|added|stressed|urged|accused|insisted|argued|claimed|wrote|"
    r"tweeted|emphasi[sz]ed|declared|promised|vowed|pledged)\b[^.!?\"\u201c\u201d\u00ab\u00bb\n]{0,100}$"
)


def _is_phrase(text: str, span: QuoteSpan) -> bool:
    """A short lower-case fragment after an article or preposition: a term in quotes, not a quotation."""
    inner = text[span.start : span.end].strip()
    if not inner or not inner[0].islower() or word_count(inner) > MAX_PHRASE_WORDS:
        return False
    before = text[max(0, span.open_mark - 120) : span.open_mark]
    if _SAID_BEFORE.search(before):
        return False
    return bool(_PHRASE_BEFORE.search(before[-30:]))


def _signature(text: str) -> frozenset[str]:
    return frozenset(w.lower() for w in _WORD.findall(text))


def quote_spans(text: str, paras: list[tuple[int, int]]) -> list[QuoteSpan]:
    """Every span between double quotation marks, whatever is inside (no quotation filters)."""
    return _double_spans(text, paras)


def find_quotes(text: str, paras: list[tuple[int, int]] | None = None) -> list[QuoteSpan]:
    """Direct quotations in ``text``, in order of their opening mark."""
    paras = paras if paras is not None else paragraphs(text)
    doubles = _double_spans(text, paras)
    found = list(doubles)
    # the double quotes follow one another without overlapping: the one that may hold a mark is
    # the last opened before it
    opens = [s.open_mark for s in doubles]
    for span in doubles:
        found.extend(_single_spans(text, span.start, span.end, nested=True))
    for start, end in paras:
        # single quotes used as the quote marks of a paragraph (outside any double quote)
        for span in _single_spans(text, start, end, nested=False):
            i = bisect.bisect_right(opens, span.open_mark) - 1
            if i < 0 or span.open_mark > doubles[i].close_mark:
                found.append(span)
    kept = [
        s for s in found
        if word_count(text[s.start : s.end]) >= MIN_QUOTE_WORDS and not _is_title(text, s)
        and not _is_phrase(text, s)
    ]  # fmt: skip
    kept.sort(key=lambda s: s.open_mark)
    # A headline or lead that repeats a quote of the body: keep the later copy.
    repeated = _repeated_later([_signature(text[s.start : s.end]) for s in kept])
    return [span for span, again in zip(kept, repeated, strict=True) if not again]


#: At most this many later quotations are compared with one (``_repeated_later``).
MAX_REPEAT_CANDIDATES = 50


def _repeated_later(signatures: list[frozenset[str]]) -> list[bool]:
    """For each set of words, whether a later one shares 80 % of their union (Jaccard >= 0.8).

    Not every pair is compared (a document with thousands of quotations): two sets that similar
    share a word among the rarest few of each (prefix filtering: a set of n words shares at
    least 4n/5 with such a twin, so its n - 4n/5 + 1 rarest words hold a shared one), so each set
    is compared only with the later sets whose rarest words include one of its own, the nearest
    first and at most MAX_REPEAT_CANDIDATES of them (thousands of quotations alike but for a number
    would otherwise each be compared with all the others).
    """
    frequency = Counter(w for sig in signatures for w in sig)
    index: dict[str, list[int]] = {}
    repeated = [False] * len(signatures)
    for i in range(len(signatures) - 1, -1, -1):
        sig = signatures[i]
        rarest = sorted(sig, key=lambda w: (frequency[w], w))[: len(sig) - 4 * len(sig) // 5 + 1]
        seen: set[int] = set()
        for j in (j for word in rarest for j in reversed(index.get(word, ()))):
            if j in seen:
                continue
            if len(seen) >= MAX_REPEAT_CANDIDATES:
                break
            seen.add(j)
            later = signatures[j]
            shared = len(sig & later)
            if shared / max(1, len(sig) + len(later) - shared) >= 0.8:
                repeated[i] = True
                break
        for word in rarest:
            index.setdefault(word, []).append(i)
    return repeated
