"""Text normalisation shared by readers and storage: document ids, line endings, wrapped text."""

from __future__ import annotations

import hashlib
import os
import re
import unicodedata
from collections import Counter
from functools import lru_cache

import numpy as np


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
    # The control characters are found by looking each character up in a table (a regex class
    # of every one of them is slow to test at every character of a long text).
    codes = np.frombuffer(text.encode("utf-32-le", "surrogatepass"), dtype="<u4")
    found = _control_table()[np.minimum(codes, 0x10000)]
    drop = [ch for ch in map(chr, np.unique(codes[found]).tolist()) if _is_control(ch)]
    if len(drop) > 16:
        return re.compile("[" + "".join(map(re.escape, drop)) + "]+").sub("", text)
    for ch in drop:
        text = text.replace(ch, "")
    return text


def clean_value(value: str) -> str:
    """A metadata value cleaned like the text (a lone surrogate from ``"\\ud800"`` in JSON, a
    control character), without the surrounding blanks."""
    return clean_text(value).strip()


def display_path(path: str | os.PathLike) -> str:
    """A path as text that can be shown and stored: a file name that is not valid UTF-8 comes
    from the file system as lone surrogates (which no database takes); its bytes are shown as
    ``\\xff`` escapes instead, so the user can still tell which file it was."""
    name = os.fspath(path)
    if isinstance(name, bytes):
        return name.decode("utf-8", "backslashreplace")
    try:
        return name.encode("utf-8", "surrogateescape").decode("utf-8", "backslashreplace")
    except UnicodeEncodeError:  # a surrogate no file system gave (a path built in a program)
        return name.encode("utf-8", "backslashreplace").decode("utf-8")


@lru_cache(maxsize=1)
def _control_table() -> np.ndarray:
    """``_is_control`` of every character of the BMP, and one entry for all the others (a
    character beyond the BMP is looked up again by itself)."""
    table = np.fromiter(map(_is_control, map(chr, range(0x10000))), dtype=bool, count=0x10000)
    return np.append(table, True)


def _is_control(ch: str) -> bool:
    """A control, format, surrogate or private-use character of the BMP but \\n and \\t, a tag
    character, or a character of the private-use planes: what ``clean_text`` drops."""
    cp = ord(ch)
    if cp < 0x10000:
        return ch not in "\n\t" and unicodedata.category(ch) in ("Cc", "Cf", "Cs", "Co")
    return 0xE0000 <= cp <= 0xE007F or cp >= 0xF0000


#: Every whitespace character but the space (what str.split splits on, and re calls \\s); all of
#: them lie in the Basic Multilingual Plane (a test checks it against Python's Unicode tables).
_WHITESPACE = "".join(ch for ch in map(chr, range(0x10000)) if ch.isspace() and ch != " ")


def normalise_for_id(text: str) -> str:
    """The form a document's id is computed from: NFKC, case-folded, whitespace collapsed."""
    if not unicodedata.is_normalized("NFKC", text):  # the quick check is far cheaper than normalising
        text = unicodedata.normalize("NFKC", text)
    # " ".join(text.casefold().split()), without making a string of every word: each kind of
    # whitespace the text has becomes a space, then runs of spaces become one.
    text = text.casefold()
    for ch in _WHITESPACE:
        if ch in text:
            text = text.replace(ch, " ")
    while "  " in text:
        text = text.replace("  ", " ")
    return text.strip(" ")


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
_SENTENCE_END_CHARS = ".!?:;\"'\u201d\u2019)"  # a line ending in one of them ends a sentence
_BROKEN_HYPHEN = re.compile(r"\b([A-Za-z]+)- ([a-z][A-Za-z]*)")


def _repair_hyphen(left: str, right: str, vocabulary: Counter[str] | _LazyVocabulary) -> str:
    """Join a word split across lines ("demo-" + "cratization"), keeping true compounds."""
    joined = left + right
    if vocabulary[joined.lower()] > 0:
        return joined
    if vocabulary[f"{left}-{right}".lower()] > 0 or left.lower() in _HYPHEN_PREFIXES:
        return f"{left}-{right}"
    return joined


def repair_broken_hyphens(text: str, vocabulary: Counter[str] | None = None) -> str:
    """Repair "seventy- seventh" and "demo- cratization" left by PDF conversion.

    What ``_BROKEN_HYPHEN.sub`` does, found faster: every match holds a hyphen and a space, so
    the search starts from each "- " and reads the word before it (a regex that starts with a
    word would be tried at every position of the text).
    """
    if "- " not in text:
        return text
    vocab = vocabulary if vocabulary is not None else _LazyVocabulary(text)
    out: list[str] = []
    done = 0  # text[:done] is in ``out``; the next match must start here or later
    n = len(text)
    for m in _HYPHEN_SPACE.finditer(text):
        p = m.start()
        q = p + 2
        if q >= n or not ("a" <= text[q] <= "z") or p == 0 or not _is_ascii_letter(text[p - 1]):
            continue
        start = p - 1
        while start > 0 and _is_ascii_letter(text[start - 1]):
            start -= 1
        if start < done or (start > 0 and _is_word_char(text[start - 1])):
            continue  # inside the previous match, or no word boundary before the word (\b)
        end = q + 1
        while end < n and _is_ascii_letter(text[end]):
            end += 1
        out.append(text[done:start])
        out.append(_repair_hyphen(text[start:p], text[q:end], vocab))
        done = end
    if not out:
        return text
    out.append(text[done:])
    return "".join(out)


_HYPHEN_SPACE = re.compile("- ")


def _is_ascii_letter(ch: str) -> bool:
    return ("a" <= ch <= "z") or ("A" <= ch <= "Z")


def _is_word_char(ch: str) -> bool:
    """re's \\w for one character of a str."""
    return ch.isalnum() or ch == "_"


def _vocabulary(text: str) -> Counter[str]:
    return Counter(re.findall(r"[a-z]+(?:-[a-z]+)*", text.lower()))


_VOCABULARY_WORD = re.compile(r"[a-z]+(?:-[a-z]+)*")


class _LazyVocabulary:
    """``_vocabulary(text)[word] > 0`` without counting every word of the text: each word asked
    about (the few that broken hyphens make) is looked for in the text, as a whole word of it."""

    __slots__ = ("text", "lower", "known")

    def __init__(self, text: str):
        self.text = text
        self.lower: str | None = None
        self.known: dict[str, int] = {}

    def __getitem__(self, word: str) -> int:
        found = self.known.get(word)
        if found is None:
            if self.lower is None:
                self.lower = self.text.lower()
            found = int(bool(_VOCABULARY_WORD.fullmatch(word)) and _is_vocabulary_word(self.lower, word))
            self.known[word] = found
        return found


def _is_vocabulary_word(lower: str, word: str) -> bool:
    """Whether ``word`` is one of the matches of ``re.findall(_VOCABULARY_WORD, lower)``: an
    occurrence that such a match starts at (no letter, and no letter and hyphen, before it) and
    ends at (no letter, and no hyphen and letter, after it)."""
    n = len(lower)
    i = lower.find(word)
    while i >= 0:
        j = i + len(word)
        prev, prev2 = lower[i - 1] if i else "", lower[i - 2] if i > 1 else ""
        nxt, nxt2 = lower[j] if j < n else "", lower[j + 1] if j + 1 < n else ""
        starts = not _is_lower_ascii(prev) and not (prev == "-" and _is_lower_ascii(prev2))
        ends = not _is_lower_ascii(nxt) and not (nxt == "-" and _is_lower_ascii(nxt2))
        if starts and ends:
            return True
        i = lower.find(word, i + 1)
    return False


def _is_lower_ascii(ch: str) -> bool:
    return "a" <= ch <= "z"  # one character, or none ("")


def is_hard_wrapped(lines: list[str]) -> bool:
    """True when a text is wrapped at a fixed width (old UN records) rather than a line per paragraph."""
    lengths = sorted(map(len, map(str.rstrip, filter(str.strip, lines))))
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
        return repair_broken_hyphens("\n".join(filter(None, map(str.strip, lines))))
    # (a page number's line starts with a digit or a dash; the pattern allows the spaces around it)
    kept = [line for line in filter(None, map(str.strip, lines))
            if not ((line[0] == "-" or line[0].isdecimal()) and _PAGE_NUMBER.match(line))]  # fmt: skip
    lengths = sorted(len(line) for line in kept)
    width = lengths[int(len(lengths) * 0.9)] if lengths else 80
    vocabulary = _LazyVocabulary(text)
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
        if line[-1] in _SENTENCE_END_CHARS and len(line) < 0.8 * width:  # (lines are stripped)
            paragraphs.append(current)
            current = ""
    if current:
        paragraphs.append(current)
    return repair_broken_hyphens("\n".join(paragraphs), vocabulary)
