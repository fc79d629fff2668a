"""Text normalisation shared by readers and storage: document ids, line endings, wrapped text."""

from __future__ import annotations

import hashlib
import re
import unicodedata
from collections import Counter


def _control_class() -> re.Pattern[str]:
    """One character class of every control, format, surrogate and private-use character but \\n and \\t."""
    ranges: list[tuple[int, int]] = []
    for cp in range(0x10000):
        if chr(cp) in "\n\t" or unicodedata.category(chr(cp)) not in ("Cc", "Cf", "Cs", "Co"):
            continue
        if ranges and ranges[-1][1] == cp - 1:
            ranges[-1] = (ranges[-1][0], cp)
        else:
            ranges.append((cp, cp))
    ranges += [(0xE0000, 0xE007F), (0xF0000, 0x10FFFF)]  # tag characters; private-use planes
    body = "".join(
        re.escape(chr(a)) if a == b else f"{re.escape(chr(a))}-{re.escape(chr(b))}" for a, b in ranges
    )
    return re.compile(f"[{body}]+")


_CONTROL = _control_class()


def clean_text(text: str) -> str:
    """Unify line endings and drop control characters; keep the words exactly as given."""
    if "\r" in text:
        text = text.replace("\r\n", "\n").replace("\r", "\n")
    for separator in ("\u2028", "\u2029"):  # line and paragraph separators
        if separator in text:
            text = text.replace(separator, "\n")
    # Most texts hold no control, format, surrogate or private-use character at all: str's own
    # test says so far faster than the regex can scan (a "printable" text has none of them).
    if text.replace("\n", "").replace("\t", "").isprintable():
        return text
    return _CONTROL.sub("", text)


def normalise_for_id(text: str) -> str:
    """The form a document's id is computed from: NFKC, case-folded, whitespace collapsed."""
    if not unicodedata.is_normalized("NFKC", text):  # the quick check is far cheaper than normalising
        text = unicodedata.normalize("NFKC", text)
    return " ".join(text.casefold().split())  # str.split splits on the whitespace re calls \s


def document_id(text: str) -> str:
    """A stable id from the normalised text: the same words give the same id, whatever the file."""
    return hashlib.sha256(normalise_for_id(text).encode("utf-8")).hexdigest()[:20]


def word_count(text: str) -> int:
    return len(re.findall(r"\w+", text))


# Word fragments that keep their hyphen when a line break splits the compound.
_HYPHEN_PREFIXES = frozenset(
    """self so well non ex all cross long short full half co post pre anti
    twenty thirty forty fifty sixty seventy eighty ninety multi mid""".split()
)
_PAGE_NUMBER = re.compile(r"^\s*(?:-\s*)?\d{1,4}(?:\s*-)?\s*$")
_SENTENCE_END = re.compile(r"[.!?:;\"'\u201d\u2019)]\s*$")
_BROKEN_HYPHEN = re.compile(r"\b([A-Za-z]+)- ([a-z][A-Za-z]*)")


def _repair_hyphen(left: str, right: str, vocabulary: Counter[str]) -> str:
    """Join a word split across lines ("demo-" + "cratization"), keeping true compounds."""
    joined = left + right
    if vocabulary[joined.lower()] > 0:
        return joined
    if vocabulary[f"{left}-{right}".lower()] > 0 or left.lower() in _HYPHEN_PREFIXES:
        return f"{left}-{right}"
    return joined


def repair_broken_hyphens(text: str, vocabulary: Counter[str] | None = None) -> str:
    """Repair "seventy- seventh" and "demo- cratization" left by PDF conversion."""
    vocab = vocabulary if vocabulary is not None else _vocabulary(text)
    return _BROKEN_HYPHEN.sub(lambda m: _repair_hyphen(m.group(1), m.group(2), vocab), text)


def _vocabulary(text: str) -> Counter[str]:
    return Counter(re.findall(r"[a-z]+(?:-[a-z]+)*", text.lower()))


def is_hard_wrapped(lines: list[str]) -> bool:
    """True when a text is wrapped at a fixed width (old UN records) rather than a line per paragraph."""
    lengths = sorted(len(line.rstrip()) for line in lines if line.strip())
    if len(lengths) < 8:
        return False
    median = lengths[len(lengths) // 2]
    return median < 100


def rejoin_wrapped(text: str) -> str:
    """Rejoin hard-wrapped lines into paragraphs, one per line, repairing hyphenation.

    A line ends a paragraph when it is clearly shorter than the wrap width and
    ends a sentence; page numbers and blank lines (page breaks) are dropped.
    """
    lines = text.split("\n")
    if not is_hard_wrapped(lines):
        return repair_broken_hyphens("\n".join(line.strip() for line in lines if line.strip()))
    kept = [line.strip() for line in lines if line.strip() and not _PAGE_NUMBER.match(line)]
    lengths = sorted(len(line) for line in kept)
    width = lengths[int(len(lengths) * 0.9)] if lengths else 80
    vocabulary = _vocabulary(text)
    paragraphs: list[str] = []
    current = ""
    for line in kept:
        if not current:
            current = line
        elif current.endswith("-") and current[-2:-1].isalpha() and line[:1].islower():
            head, _, left = current[:-1].rpartition(" ")
            right, _, tail = line.partition(" ")
            word = _repair_hyphen(left, right.rstrip(".,;:"), vocabulary) + right[len(right.rstrip(".,;:")):]
            current = (f"{head} " if head else "") + word + (f" {tail}" if tail else "")
        else:
            current = f"{current} {line}"
        if _SENTENCE_END.search(line) and len(line) < 0.8 * width:
            paragraphs.append(current)
            current = ""
    if current:
        paragraphs.append(current)
    return repair_broken_hyphens("\n".join(paragraphs), vocabulary)
