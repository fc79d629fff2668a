"""Tone of diplomatic statements, overall and toward each actor mentioned.

The interface the rest of the pipeline relies on:

- ``TONE_VERSION``: bump when scores change, so ingest re-scores stored rows.
- ``score_text(text, targets)`` -> ``ToneResult(score, band, toward, cues)``
- ``band_for(score)`` -> one of ``records.TONE_BANDS``
- ``score_statement(statement)`` fills ``tone``, ``tone_band`` and each mention's ``tone_toward``
- ``gdelt_tone(text)``: GDELT-style document tone, 100 * (pos - neg) / words

The method is a hand-weighted lexicon of diplomatic cues read from the
editable file ``data/tone_cues.csv`` (see docs/tone.md), with rules for
negation, intensifiers, contrast and concession, counterfactual clauses
("instead of ..."), subject matter that is not the speaker's stance (war
memory, "Nazism"), and the clause scope that decides which cues count toward
which actor. Scoring is deterministic: the same text and cue file always give
the same numbers.
"""

from __future__ import annotations

import bisect
import csv
import math
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from itertools import accumulate, compress
from pathlib import Path
from typing import Any

import ahocorasick
import numpy as np

from dashboard import settings
from dashboard.records import TONE_BANDS, Statement

TONE_VERSION = 10

#: Kinds of row in the cue file. Stance kinds carry a signed value; the others
#: change how stance cues near them count (see docs/tone.md).
STANCE_KINDS = ("hostility", "criticism", "accusation", "cooperation", "warmth")
MODIFIER_KINDS = (
    "negator",
    "failure",
    "intensifier",
    "contrast",
    "concession",
    "counterfactual",
    "subject_shield",
    "object_marker",
    "neutral",
)
KINDS = STANCE_KINDS + MODIFIER_KINDS

# Rules. Each is a plain number so the write-up can quote it.
NEGATION_WINDOW = 3  # a negator reaches a stance cue at most this many words later
NEGATED_MIN = 0.3  # a negated positive cue is at least this critical ("won't cooperate")
INTENSIFIER_WINDOW = 2  # an intensifier reaches a stance cue at most this many words later
SHIELD_WINDOW = 4  # a subject shield silences stance cues this many words either side
BEFORE_CONTRAST = 0.5  # cues before "but"/"however" in the same sentence count this much
MAIN_CLAUSE_EMPHASIS = 1.5  # "Although we appreciate X, [this part] ...": the main clause
SQUASH = 1.0  # score = s / sqrt(s^2 + SQUASH): one cue of 0.5 gives 0.45
MIN_EVIDENCE = 0.25  # |sum of cue values| below this is reported as exactly 0 (neutral)
# How much a cue counts toward an actor, by where it stands relative to the mention.
LINK_POSSESSIVE = 1.5  # "Yerevan's mistakes": the cue right after a possessive mention
LINK_CLAUSE_NEAR = 1.0  # same clause, within NEAR_WORDS words
LINK_CLAUSE_FAR = 0.5  # same clause, further away
NEAR_WORDS = 10  # tokens: words and punctuation marks
LINK_SENTENCE = 0.5  # same sentence, another clause not split off by a contrast marker
LINK_ELSEWHERE = 0.1  # another sentence, which mentions other actors: a negative cue
LINK_ORPHAN = 0.5  # a sentence that mentions no actor ("They were warm.") counts for the
# actors of the nearest earlier sentence that mentions any (or else the nearest later one)
LINK_BOUND_ELSEWHERE = 0.3  # factor when the cue is bound by possessive to another actor

# Tokens are words and punctuation marks. The matcher works on one lower-cased string of
# them, " t0 t1 t2 ... ", so that every token is bounded by single spaces: a cue " not "
# can only match the whole word, and the token number of any position is the number of
# spaces before it. (Possessive quantifiers: the same tokens as greedy ones, found without
# keeping backtracking points.)
_TOKEN = re.compile(r"\w++(?:[-'’]\w++)*+|[.!?;:,()\[\]—–]|(?<=\s)-(?=\s)")
_WORD_TOKEN = re.compile(r"\w++(?:[-'’]\w++)*+")
_NOT = re.compile(r"(?<= )\w+n't(?= )")  # "don't", "won't" -> "not"
_NOT_TOKEN = re.compile(r"\w+n't")
_POSSESSIVE = re.compile(r"'s(?= )")  # "yerevan's" -> "yerevan"; the flag is read off the token
_ABBREVIATIONS = frozenset(
    {"mr", "mrs", "ms", "dr", "st", "no", "vs", "etc", "gen", "lt", "col", "prof"}
)
_SCORED_KINDS = frozenset(STANCE_KINDS + ("failure", "counterfactual"))
_MARKER_KINDS = frozenset(("contrast", "concession", "counterfactual"))


@dataclass(frozen=True)
class Cue:
    """One row of the cue file."""

    cue: str
    kind: str
    weight: float
    note: str = ""


@dataclass(frozen=True)
class Lexicon:
    """Cue rows compiled for matching: one Aho-Corasick automaton over every cue phrase."""

    cues: tuple[Cue, ...]
    path: str
    # key " word word " (or " word pre" for a trailing prefix*) -> [(tokens, stars, cue)]
    automaton: Any = field(compare=False, repr=False)
    empty: bool = False


@dataclass
class ToneResult:
    score: float
    band: str
    toward: dict[str, float] = field(default_factory=dict)
    cues: list[str] = field(default_factory=list)
    positive: int = 0  # raw matches of positive and negative stance cues, as GDELT counts them
    negative: int = 0
    #: What the cues add up to, for the tone model (dashboard.tone_model): the overall positive
    #: and negative sums, and per actor the linked sums split by whether the cue follows the
    #: actor (the actor as its subject: "Baku violated") or comes before it ("aggression against
    #: Armenia"), and whether a mention of the actor is an object marker's object.
    pos_sum: float = 0.0
    neg_sum: float = 0.0
    parts: dict[str, tuple[float, float, float, float, float]] = field(default_factory=dict)


def default_cue_path() -> Path:
    return settings.data_dir() / "tone_cues.csv"


def read_cues(path: Path) -> tuple[Cue, ...]:
    """Read the cue file; rows with an empty cue or an unknown kind are errors, not skipped silently."""
    rows = []
    with Path(path).open(encoding="utf-8-sig", newline="") as fh:
        for n, row in enumerate(csv.DictReader(fh), start=2):
            cue = " ".join((row.get("cue") or "").lower().replace("’", "'").split())
            kind = (row.get("kind") or "").strip()
            if not cue and not kind:
                continue
            if not cue or kind not in KINDS:
                raise ValueError(f"{path}:{n}: need a cue and a kind in {KINDS}, got {row!r}")
            try:
                weight = float(row.get("weight") or 0)
            except ValueError as err:
                raise ValueError(
                    f"{path}:{n}: weight must be a number, got {row.get('weight')!r}"
                ) from err
            rows.append(Cue(cue, kind, weight, (row.get("note") or "").strip()))
    return tuple(rows)


def _cue_words(cue: str) -> tuple[str, ...]:
    """The words of a cue as the text is normalised: "don't" -> "not", "yerevan's" -> "yerevan"."""
    words = []
    for w in cue.split():
        if w.endswith("n't"):
            w = "not"
        elif w.endswith("'s"):
            w = w[:-2]
        words.append(w)
    return tuple(words)


# Flags of a cue, worked out once when the cue file is compiled.
_SCORED = 1  # a stance, failure or counterfactual cue: the statement needs the full analysis
_LABEL = 2  # a subject shield with a negative weight: held against an actor named next to it
_POSITIVE = 4  # a scored cue with a positive weight (GDELT's count)
_NEGATIVE = 8  # a scored cue with a negative weight


def _cue_flags(c: Cue) -> int:
    flags = 0
    if c.kind in _SCORED_KINDS:
        flags |= _SCORED
        if c.weight > 0:
            flags |= _POSITIVE
        elif c.weight < 0:
            flags |= _NEGATIVE
    if c.kind == "subject_shield" and c.weight < 0:
        flags |= _LABEL
    return flags


def compile_lexicon(cues: Sequence[Cue], path: str = "") -> Lexicon:
    seen: dict[tuple[str, ...], Cue] = {}
    for c in cues:
        seen[_cue_words(c.cue)] = c  # a later row for the same cue wins, as in a spreadsheet
    automaton = ahocorasick.Automaton()
    entries: dict[str, list[tuple]] = {}
    for words, c in seen.items():
        # Only a phrase's last word may be a prefix ("cooperat*"); its key has no closing space.
        prefix = len(words[-1]) > 1 and words[-1].endswith("*")
        clean = [w[:-1] if len(w) > 1 and w.endswith("*") else w for w in words]
        key = " " + " ".join(clean) + ("" if prefix else " ")
        stars = int(prefix)
        entries.setdefault(key, []).append((len(words), stars, c))
    for key, value in entries.items():
        # Only a key's first entry can ever be chosen: the entries of a key are found at the same
        # place and cover the same tokens, so the first one taken leaves the others inside it.
        # What _candidates sorts on after where the key starts (longest phrase, no prefix before
        # a prefix, then the shorter key, which the automaton finds first), and what _select reads.
        ntok, stars, c = value[0]
        automaton.add_word(key, (-ntok, stars, len(key), ntok, c, _cue_flags(c)))
    if entries:
        automaton.make_automaton()
    return Lexicon(cues=tuple(cues), path=path, automaton=automaton, empty=not entries)


@lru_cache(maxsize=8)
def load_lexicon(path: str | Path | None = None) -> Lexicon:
    """The compiled cue file (default ``data/tone_cues.csv``), loaded once per path."""
    p = Path(path) if path else default_cue_path()
    return compile_lexicon(read_cues(p), str(p))


def band_for(score: float | None) -> str | None:
    """The five bands: hostile < -0.5 <= critical < -0.1 <= neutral <= 0.1 < cooperative <= 0.5 < warm."""
    if score is None:
        return None
    if score < -0.5:
        return TONE_BANDS[0]
    if score < -0.1:
        return TONE_BANDS[1]
    if score <= 0.1:
        return TONE_BANDS[2]
    if score <= 0.5:
        return TONE_BANDS[3]
    return TONE_BANDS[4]


def squash(total: float) -> float:
    """Map a sum of cue values to [-1, 1]; too little evidence is exactly 0 (neutral)."""
    if abs(total) < MIN_EVIDENCE:
        return 0.0
    return round(total / math.sqrt(total * total + SQUASH), 4)


def _tokenise(text: str) -> tuple[list[str], str]:
    """The raw tokens of ``text`` and their normalised, space-bounded, lower-case string."""
    raw = _TOKEN.findall(text)
    return raw, _normalise(" " + " ".join(raw).lower() + " ")


def _normalise(joined: str) -> str:
    """``_tokenise``'s normalisation of a space-bounded, lower-case string of tokens."""
    if "’" in joined:
        joined = joined.replace("’", "'")
    if "'" in joined:
        # each substitution runs only where it can match: both need a space after their match
        if "n't " in joined:
            joined = _not_to_not(joined)
        if "'s " in joined:
            joined = _POSSESSIVE.sub("", joined)
    return joined


def _not_to_not(joined: str) -> str:
    """``_NOT.sub("not", joined)``, found from each "n't " (the regex would be tried at every
    position): a match is a whole token, from the space before it to the space after it."""
    out: list[str] = []
    done = 0
    i = joined.find("n't ")
    while i >= 0:
        start = joined.rfind(" ", 0, i) + 1
        if start >= done and _NOT_TOKEN.fullmatch(joined, start, i + 3) and start > 0:
            out.append(joined[done:start])
            out.append("not")
            done = i + 3
        i = joined.find("n't ", i + 4)
    if not out:
        return joined
    out.append(joined[done:])
    return "".join(out)


# A whole document is tokenised once and its statements (slices of it) take their share of its
# tokens: the same tokens as ``_tokenise`` of each slice. The document's tokens are found with
# array operations on its characters' classes rather than by the regex (whose matches would each
# be a string object): ``_TOKEN`` is a run of word characters joined by single hyphens or
# apostrophes that have a word character on both sides, one of the punctuation marks, or a
# hyphen between two whitespace characters.
_PUNCTUATION = ".!?;:,()[]—–"  # one-character tokens that are not words (and "-" between spaces)
_C_WORD, _C_JOINER, _C_MARK, _C_HYPHEN, _C_SPACE = 1, 2, 4, 8, 16


def _char_class(ch: str) -> int:
    """What ``_TOKEN`` makes of a character: re's \\w and \\s are str.isalnum (or "_") and str.isspace."""
    return (
        (_C_WORD if ch.isalnum() or ch == "_" else 0)
        | (_C_JOINER if ch in "-'’" else 0)
        | (_C_MARK if ch in _PUNCTUATION else 0)
        | (_C_HYPHEN if ch == "-" else 0)
        | (_C_SPACE if ch.isspace() else 0)
    )


@lru_cache(maxsize=1)
def _bmp_classes() -> np.ndarray:
    return np.fromiter(map(_char_class, map(chr, range(0x10000))), dtype=np.uint8, count=0x10000)


class TextTokens:
    """The tokens of a whole text with where they start and end, for scoring its slices.

    A slice's normalised string (``_tokenise``'s) is a slice of the whole text's, and its cue
    matches are the whole text's candidates that lie inside it: the text is joined, lower-cased
    and run through the cue automaton once, not once per statement.
    """

    __slots__ = ("text", "starts", "ends", "n", "n_words", "marks", "_mark_codes", "_boundary_info",
                 "_raw_joined", "_lex", "_joined", "_spaces", "_cands", "_toks", "_stance")  # fmt: skip

    def __init__(self, text: str):
        self.text = text
        self._lex: Lexicon | None = None
        self._boundary_info: tuple[list[int], list[int], list[bool], list[int]] | None = None
        codes = np.frombuffer(text.encode("utf-32-le", "surrogatepass"), dtype="<u4")
        size = len(codes)
        if size and int(codes.max()) >= 0x10000:
            cls = _bmp_classes()[np.minimum(codes, 0xFFFF)]
            for i in np.flatnonzero(codes >= 0x10000).tolist():
                cls[i] = _char_class(text[i])
        else:
            cls = _bmp_classes()[codes]
        word = (cls & _C_WORD) != 0
        space = (cls & _C_SPACE) != 0
        # a joiner inside a word: a word character on both sides
        inside = np.zeros(size, dtype=bool)
        if size > 2:
            inside[1:-1] = ((cls[1:-1] & _C_JOINER) != 0) & word[:-2] & word[2:]
        in_word = word | inside
        # a hyphen between two whitespace characters (none before the first character or after the last)
        hyphen = (cls & _C_HYPHEN) != 0
        if size > 2:
            hyphen[1:-1] &= space[:-2] & space[2:]
        hyphen[:1] = False
        hyphen[-1:] = False
        single = ((cls & _C_MARK) != 0) | hyphen  # one-character tokens: the marks
        before = np.zeros(size, dtype=bool)  # the previous character is in a word
        before[1:] = in_word[:-1]
        after = np.zeros(size, dtype=bool)  # the next character is in a word
        after[:-1] = in_word[1:]
        word_start = in_word & ~before
        self.starts = np.flatnonzero(word_start | single)
        self.ends = np.flatnonzero((in_word & ~after) | single) + 1
        self.n = len(self.starts)
        self.n_words = int(np.count_nonzero(word_start))
        self.marks = np.flatnonzero(single[self.starts])  # token numbers of the marks
        self._mark_codes = codes[self.starts[self.marks]]  # and their characters
        # the tokens' characters, a space before each and one at the end
        if self.n:
            chars = codes[in_word | single]
            spaced = np.full(len(chars) + self.n + 1, 32, dtype="<u4")
            # the k-th token's characters move k + 1 places on: past the spaces before it and its own
            spaced[np.arange(len(chars)) + np.repeat(np.arange(1, self.n + 1), self.ends - self.starts)] = chars
            self._raw_joined = spaced.tobytes().decode("utf-32-le", "surrogatepass")
        else:
            self._raw_joined = "  "  # " " + "" + " "

    @property
    def raw(self) -> list[str]:
        """The tokens as strings (``_TOKEN.findall(text)``)."""
        text = self.text
        return [text[a:b] for a, b in zip(self.starts.tolist(), self.ends.tolist(), strict=True)]

    def word_count(self) -> int:
        """``word_tokens(text)``: every token but the punctuation marks."""
        return self.n_words

    def span(self, start: int, end: int) -> tuple[int, int] | None:
        """Tokens [a, b) that are exactly the tokens of ``text[start:end]`` on its own, or None
        when the slice would tokenise differently (a word cut by its edge, a dash at its edge)."""
        starts, ends, text = self.starts, self.ends, self.text
        a = int(starts.searchsorted(start))
        b = int(starts.searchsorted(end))
        if a and ends[a - 1] > start:
            return None
        if b and ends[b - 1] > end:
            return None
        # a hyphen token at an edge: the slice on its own has no whitespace beyond it
        if a < b and (
            (starts[a] == start and text[start] == "-") or (ends[b - 1] == end and text[end - 1] == "-")
        ):
            return None
        return a, b

    def slice(self, a: int, b: int) -> _TokenSlice:
        return _TokenSlice(self, a, b)

    def boundary_info(self) -> tuple[list[int], list[int], list[bool], list[int]]:
        """The whole text's marks by what they do (``_boundaries``): the full stops, question and
        exclamation marks that end a sentence; every mark that starts a clause (those and the
        other marks but commas), with whether it ends a sentence; the commas."""
        if self._boundary_info is None:
            marks, codes, text = self.marks, self._mark_codes, self.text
            starts, ends = self.starts, self.ends
            comma = codes == 44
            # a full stop after an abbreviation or a single letter ends nothing (``_ends_nothing``),
            # nor does it start a clause: only a token of at most four characters can be one
            nothing = np.zeros(len(marks), dtype=bool)
            period = np.flatnonzero((codes == 46) & (marks > 0))
            before = marks[period] - 1
            short = (ends[before] - starts[before]) <= 4
            for i, k in zip(period[short].tolist(), before[short].tolist(), strict=True):
                nothing[i] = _ends_nothing(text[starts[k] : ends[k]])
            stop = ((codes == 46) | (codes == 33) | (codes == 63)) & ~nothing
            clause = ~(comma | nothing)
            self._boundary_info = (
                marks[stop].tolist(),
                marks[clause].tolist(),
                stop[clause].tolist(),
                marks[comma].tolist(),
            )
        return self._boundary_info

    def _prepare(self, lex: Lexicon) -> None:
        if self._lex is lex:
            return
        # Normalising token by token or the whole string at once is the same: lower-casing and
        # the two substitutions never reach across the space between two tokens.
        joined = _normalise(self._raw_joined.lower())
        codes = np.frombuffer(joined.encode("utf-32-le", "surrogatepass"), dtype="<u4")
        self._spaces = np.flatnonzero(codes == 32)  # the space before token k, and one at the end
        self._joined = joined
        self._cands = _candidates(joined, lex)
        self._toks = self._spaces.searchsorted([c[0] for c in self._cands]).tolist()
        # how many of the candidates before each carry stance (or are a label): a slice with none
        # among its candidates needs no choosing among them
        self._stance = list(accumulate((c[1][5] & (_SCORED | _LABEL) != 0 for c in self._cands), initial=0))
        self._lex = lex

    def joined(self, a: int, b: int, lex: Lexicon) -> str:
        """``_tokenise(text[start:end])[1]`` for the tokens [a, b) of the slice."""
        self._prepare(lex)
        if a == b:
            return "  "
        return self._joined[self._spaces[a] : self._spaces[b] + 1]

    def matches(self, a: int, b: int, lex: Lexicon, *, stance_only: bool = False) -> _Matches:
        """``_match`` of the slice of tokens [a, b): its tokens counted from ``a``, its characters
        those of the whole text's string (``whole_joined``). With ``stance_only``, a slice whose
        candidates carry no stance and no label gets no matches at all (for a reader that then
        reads nothing more of them: no flags, no signs)."""
        self._prepare(lex)
        toks = self._toks
        lo, hi = bisect.bisect_left(toks, a), bisect.bisect_left(toks, b)
        if stance_only and self._stance[hi] == self._stance[lo]:
            return _NO_MATCHES
        return _select(self._joined, self._cands, toks, lo, hi, a, b)

    def whole_joined(self, lex: Lexicon) -> str:
        self._prepare(lex)
        return self._joined

    def relative_starts(self, a: int, b: int, offset: int) -> list[int]:
        return (self.starts[a:b] - offset).tolist()


class _TokenSlice:
    """Tokens [a, b) of a ``TextTokens`` read as the list ``_tokenise`` gives for the slice (the
    few tokens the scorer reads are cut from the text when asked for)."""

    __slots__ = ("tokens", "a", "b")

    def __init__(self, tokens: TextTokens, a: int, b: int):
        self.tokens, self.a, self.b = tokens, a, b

    def __len__(self) -> int:
        return self.b - self.a

    def __getitem__(self, k: int) -> str:
        if not 0 <= k < self.b - self.a:  # (the scorer never counts from the end)
            raise IndexError(k)
        t = self.tokens
        return t.text[t.starts[self.a + k] : t.ends[self.a + k]]

    def boundaries(self, scoped: bool) -> tuple[list[int], list[int], list[int]]:
        """``_boundaries`` of the slice, from the whole text's."""
        stops, clause_marks, is_stop, comma_marks = self.tokens.boundary_info()
        a, b = self.a, self.b
        lo, hi = bisect.bisect_left(stops, a), bisect.bisect_left(stops, b)
        sent_starts = [k - a + 1 for k in stops[lo:hi] if k != a]
        lo, hi = bisect.bisect_left(clause_marks, a), bisect.bisect_left(clause_marks, b)
        clause_starts = [k - a + 1 for k, stop in zip(clause_marks[lo:hi], is_stop[lo:hi], strict=True)
                         if k != a or not stop]  # fmt: skip
        commas = []
        if scoped:
            lo, hi = bisect.bisect_left(comma_marks, a), bisect.bisect_left(comma_marks, b)
            commas = [k - a + 1 for k in comma_marks[lo:hi]]
        return sent_starts, clause_starts, commas


def _boundaries(raw, scoped: bool) -> tuple[list[int], list[int], list[int]]:
    """Where sentences and clauses start in ``raw`` (a list of tokens, or a ``_TokenSlice``),
    and where its commas are when ``scoped``: token numbers after each mark.

    A sentence starts after . ! ? (not after "Mr." or a single letter), a clause after those and
    ; : ( ) [ ] and dashes; commas matter only to close "although ..." scopes. A full stop that
    is the first token ends nothing. (A mark is a token of its own: the same in the raw tokens
    as in the joined string.)
    """
    if isinstance(raw, _TokenSlice):
        return raw.boundaries(scoped)
    sent_starts: list[int] = []
    clause_starts: list[int] = []
    commas: list[int] = []
    for i, ch, after_abbreviation in _marks(raw):
        t = i + 1  # the token after this mark
        if ch == ",":
            if scoped:
                commas.append(t)
        elif ch in ".!?":
            if t < 2:
                continue
            # the token before the mark: "Mr." and "U.S." end nothing
            if ch != "." or not after_abbreviation:
                sent_starts.append(t)
                clause_starts.append(t)
        else:
            clause_starts.append(t)
    return sent_starts, clause_starts, commas


def _marks(raw: list[str]) -> list[tuple[int, str, bool]]:
    """The mark tokens of ``raw``: each one's number, its character, and whether it is a full
    stop after an abbreviation or a single letter."""
    return [(i, raw[i], raw[i] == "." and i > 0 and _ends_nothing(raw[i - 1]))
            for i in compress(range(len(raw)), map(_MARK_TOKENS.__contains__, raw))]  # fmt: skip


def _ends_nothing(token: str) -> bool:
    """A full stop after ``token`` ends no sentence: "Mr.", "U.S." (a single letter or digit)."""
    return (len(token) == 1 and token.isalnum()) or token.lower() in _ABBREVIATIONS


class _Matches:
    """The cue matches of one token string (see ``_match``)."""

    __slots__ = ("found", "chars", "flags", "positive", "negative")

    def __init__(self) -> None:
        self.found: list[tuple[int, int, Cue]] = []  # (first token, end token, cue)
        self.chars: list[tuple[int, int]] = []  # where each found cue's words are in the string
        self.flags = 0  # the union of the found cues' flags
        self.positive = 0  # positive and negative scored cues, as GDELT counts them
        self.negative = 0


_NO_MATCHES = _Matches()  # shared: never changed


def _candidates(joined: str, lex: Lexicon) -> list[tuple]:
    """Every cue phrase found in ``joined``, as ``(begin, (-ntok, stars, key length, ntok, cue,
    flags))`` (begin: the space before its first word), ordered as the matcher takes them."""
    if lex.empty:
        return []
    cands = [(end - key[2] + 1, key) for end, key in lex.automaton.iter(joined)]
    # (begin, -ntok, stars, key length) differ between any two candidates (the same start and
    # length would be the same key): the order is the one a stable sort on the first three gave
    # the automaton's, and no cue is ever compared
    cands.sort()
    return cands


def _match(joined: str, lex: Lexicon) -> _Matches:
    """Longest-first, left-to-right matches of cue phrases: (first token, end token, cue)."""
    cands = _candidates(joined, lex)
    if not cands:
        return _NO_MATCHES
    toks = []  # the token each candidate starts at: the spaces before it
    pos = tok = 0
    for c in cands:
        tok += joined.count(" ", pos, c[0])
        pos = c[0]
        toks.append(tok)
    return _select(joined, cands, toks, 0, len(cands), 0, 1 << 62)


def _select(
    joined: str, cands: list[tuple], toks: list[int], lo: int, hi: int, first: int, limit: int
) -> _Matches:
    """The longest-first, left-to-right choice among ``cands[lo:hi]`` of the phrases that lie in
    tokens [first, limit), with token numbers counted from ``first``."""
    if lo >= hi:
        return _NO_MATCHES
    out = _Matches()
    found, chars = out.found, out.chars
    flags = positive = negative = 0
    reach = -1
    for k in range(lo, hi):
        begin, (_neg, stars, klen, ntok, cue, cue_flags) = cands[k]
        tok = toks[k]
        if tok < reach or tok + ntok > limit:
            continue
        found.append((tok - first, tok - first + ntok, cue))
        # the words end at the space closing the key, or for a prefix at the end of its word
        chars.append((begin + 1, joined.find(" ", begin + klen) if stars else begin + klen - 1))
        flags |= cue_flags
        if cue_flags & _POSITIVE:
            positive += 1
        elif cue_flags & _NEGATIVE:
            negative += 1
        reach = tok + ntok
    out.flags, out.positive, out.negative = flags, positive, negative
    return out


_MARK_TOKENS = frozenset(".!?;:,()[]—–-")  # the one-character tokens: marks of sentences and clauses


class _Structure:
    """Sentences and clauses of one text, as sorted token boundaries (computed from its marks)."""

    __slots__ = (
        "raw", "sent_starts", "clause_starts", "scopes", "conceded", "contrasts", "weights", "splits",
    )  # fmt: skip

    def __init__(self, raw: list[str], matches: list[tuple[int, int, Cue]]):
        self.raw = raw
        markers = [(s, c) for s, _e, c in matches if c.kind in _MARKER_KINDS]
        scoped = any(c.kind != "contrast" for _s, c in markers)
        sent_starts, clause_starts, commas = _boundaries(raw, scoped)
        scopes: list[tuple[int, int, str, float]] = []  # concession/counterfactual: [start, end)
        conceded: list[int] = []  # where a concession clause closed at a comma
        contrasts: list[int] = []
        if markers:
            bounds = set(clause_starts)
            sentences = set(sent_starts)
            for s, c in markers:
                if s > 0 and s not in sentences:
                    bounds.add(s)
                if c.kind == "contrast":
                    contrasts.append(s)
                    continue
                # The scope runs to the next comma, mark or marker, whichever comes first.
                nxt = [t for t in clause_starts if t > s]
                nxt += [t for t, _c in markers if t > s]
                end = min(nxt, default=1 << 30)
                comma = min((t for t in commas if t > s), default=1 << 30)
                if comma < end:
                    end = comma
                    bounds.add(comma)
                    if c.kind == "concession":
                        conceded.append(comma)
                scopes.append((s, end, c.kind, c.weight))
            clause_starts = sorted(bounds)
        self.sent_starts = sent_starts
        self.clause_starts = clause_starts
        self.scopes = scopes
        self.conceded = conceded
        self.contrasts = contrasts
        self.weights = {s: c.weight for s, c in markers if c.kind == "contrast"}
        self.splits = [s for s, c in markers if c.kind != "counterfactual"]

    def sentence(self, i: int) -> int:
        return bisect.bisect_right(self.sent_starts, i)

    def clause(self, i: int) -> int:
        return bisect.bisect_right(self.clause_starts, i)

    def scope(self, i: int) -> tuple[str, float] | None:
        for a, b, kind, weight in self.scopes:
            if a <= i < b:
                return kind, weight
        return None

    def emphasis(self, i: int) -> float:
        """Weight in the overall score from contrast and concession (not used toward actors)."""
        if not self.scopes and not self.contrasts:
            return 1.0  # (no conceded clause without a scope)
        scope = self.scope(i)
        sent = self.sentence(i)
        emphasis = 1.0
        if scope is not None and scope[0] == "concession":
            emphasis = scope[1]
        elif scope is None and any(t <= i and self.sentence(t) == sent for t in self.conceded):
            emphasis = MAIN_CLAUSE_EMPHASIS
        for k in self.contrasts:
            if self.sentence(k) != sent:
                continue
            if k <= i:
                emphasis = self.weights[k]
            elif emphasis == 1.0:
                emphasis = BEFORE_CONTRAST
        return emphasis


class _Scored:
    """A cue that counts, with where it stands."""

    __slots__ = ("start", "end", "cue", "value", "emphasis", "counterfactual", "chars", "sentence", "clause")

    def __init__(self, start: int, end: int, cue: Cue, value: float, emphasis: float, counterfactual: bool,
                 chars: tuple[int, int], sentence: int, clause: int):  # fmt: skip
        self.start = start  # token index
        self.end = end
        self.cue = cue
        self.value = value  # after negation, intensity, shields, clause rules
        self.emphasis = emphasis  # contrast emphasis, for the overall score only
        self.counterfactual = counterfactual  # inside "instead of ..." (or the marker itself)
        self.chars = chars  # its words in the joined string
        self.sentence = sentence
        self.clause = clause


def _analyse(raw: list[str], matches: _Matches):
    found = matches.found
    st = _Structure(raw, found)
    clause, sentence = st.clause, st.sentence
    scored: list[_Scored] = []
    last_neg = last_int = last_fail = None
    shields = [(s, e, clause(s)) for s, e, c in found if c.kind == "subject_shield"]
    object_markers = {e for s, e, c in found if c.kind == "object_marker"}
    for (s, e, cue), chars in zip(found, matches.chars, strict=True):
        kind = cue.kind
        if kind == "negator":
            last_neg = (e, cue.weight, clause(s))
            continue
        if kind == "intensifier":
            last_int = (e, cue.weight, clause(s))
            continue
        if kind in ("failure", "counterfactual"):
            cl = clause(s)
            last_fail = (e, cl)
            scored.append(_Scored(s, e, cue, cue.weight, st.emphasis(s), kind == "counterfactual",
                                  chars, sentence(s), cl))  # fmt: skip
            continue
        if kind not in STANCE_KINDS:
            continue
        v = cue.weight
        cl = clause(s)
        if last_int and last_int[2] == cl and s - last_int[0] <= INTENSIFIER_WINDOW:
            v *= last_int[1]
        if last_neg and last_neg[2] == cl and s - last_neg[0] < NEGATION_WINDOW:
            # "not constructive" is criticism; "no provocation" denies, it does not praise.
            # A negated cooperative cue is criticism even when the cue is weak ("won't cooperate").
            v = min(v * last_neg[1], -NEGATED_MIN) if v > 0 else 0.0
            last_neg = None
        if v > 0 and last_fail and last_fail[1] == cl and s - last_fail[0] < NEGATION_WINDOW:
            v = -v
        scope = st.scope(s)
        in_cf = scope is not None and scope[0] == "counterfactual"
        if in_cf and v > 0:
            v = -v
        for a, b, acl in shields:
            if acl == cl and a - e <= SHIELD_WINDOW and s - b <= SHIELD_WINDOW:
                v = 0.0
                break
        if v != 0.0:
            scored.append(_Scored(s, e, cue, v, st.emphasis(s), in_cf, chars, sentence(s), cl))
    # A shield with a negative weight is also a label ("Nazism", "militarism"): silent in the
    # overall tone, but held against an actor named right next to it ("German Nazism").
    labels = [
        (s, e, c.weight) for s, e, c in found if c.kind == "subject_shield" and c.weight < 0
    ]
    return st, object_markers, scored, labels


def _token_starts(text: str) -> list[int]:
    """Where each token of ``text`` starts (the tokens of ``_tokenise``), for ``_token_span``."""
    return [m.start() for m in _TOKEN.finditer(text)]


def _token_span(starts: list[int], raw: list[str], start: int, end: int) -> tuple[int, int] | None:
    """Token indices [a, b) covering the character span: the tokens that start before each end."""
    a = bisect.bisect_left(starts, max(start, 0))
    b = bisect.bisect_left(starts, max(end, 0))
    if b <= a:  # the span starts inside a word ("Azerbaijan" in "Armenia-Azerbaijan")
        a = b - 1
    if a < 0 or b > len(raw):
        return None
    return a, b


def _possessive(raw: list[str], b: int) -> bool:
    w = raw[b - 1]
    return len(w) > 2 and w[-2] in "'’" and w[-1] in "sS"


def _antecedent(mentioned: list[int], sentence: int) -> int | None:
    """The sentence an actor-less sentence most likely refers back to (None if it names actors)."""
    i = bisect.bisect_left(mentioned, sentence)
    if i < len(mentioned) and mentioned[i] == sentence:
        return None
    if i > 0:
        return mentioned[i - 1]
    return mentioned[0] if mentioned else None


class _Mentioned:
    """One mention of an actor (tokens [a, b)) and where it stands in the text's structure."""

    __slots__ = ("a", "b", "poss", "sentence", "clause", "object", "counterfactual")

    def __init__(self, st: _Structure, object_markers, a: int, b: int, poss: bool):
        self.a, self.b, self.poss = a, b, poss
        self.sentence = st.sentence(a)
        self.clause = st.clause(a)
        self.object = a in object_markers  # the object of "against", "on", ...
        scope = st.scope(a)
        self.counterfactual = scope is not None and scope[0] == "counterfactual"


def _link(st: _Structure, m: _Mentioned, c: _Scored, antecedent: int | None) -> float:
    """How much cue ``c`` counts toward the actor mentioned at ``m``.

    ``antecedent`` is the sentence the cue's sentence refers back to when it names no actor
    (``_antecedent`` of the sorted sentence numbers that mention any target actor).
    """
    a, b = m.a, m.b
    if m.sentence != c.sentence:
        return LINK_ORPHAN if antecedent == m.sentence else LINK_ELSEWHERE
    if m.poss and 0 <= c.start - b <= 2:
        return LINK_POSSESSIVE
    if c.value < 0 and c.end <= a and m.object and a - c.end <= 3:
        # "aggression against Armenia": Armenia is the object, not the offender.
        return 0.0
    if c.cue.kind == "accusation" and 0 <= a - c.end <= 1:
        # "attempts to blame Armenia": the accused, not the speaker's own verdict.
        return 0.0
    same_clause = m.clause == c.clause
    if c.counterfactual and same_clause:
        # "instead of talking to Baku": Baku is part of what was not done, not its culprit.
        return 0.0
    if same_clause or a <= c.start < b:
        gap = max(c.start - b, a - c.end, 0)
        return LINK_CLAUSE_NEAR if gap <= NEAR_WORDS else LINK_CLAUSE_FAR
    if m.counterfactual:
        # "Instead of talks with Ankara, Baku chose ...": Ankara is in what was not done.
        return 0.0
    lo, hi = min(a, c.start), max(a, c.start)
    if any(lo < k <= hi for k in st.splits):
        # "We thank Baku, but Yerevan ...": a contrast marker between them splits the stance.
        return 0.0
    return LINK_SENTENCE


def _own_link(st: _Structure, m: _Mentioned, c: _Scored) -> float:
    """How much cue ``c`` counts toward the speaker's own country, mentioned at ``m``.

    A speaker's criticism is aimed at others ("an attempt to blame Russia" in a Russian
    official's mouth is not criticism of Russia), and a cooperative cue speaks well of the
    own country only when the country is its agent: named just before it in its clause
    ("Russia is ready to continue", "Russia's special attention"), not its destination
    ("flights to Russia").
    """
    b = m.b
    if c.value <= 0 or c.start < b:
        return 0.0
    if m.poss and c.start - b <= 2:
        return LINK_POSSESSIVE
    if m.clause == c.clause:
        return LINK_CLAUSE_NEAR if c.start - b <= NEAR_WORDS else LINK_CLAUSE_FAR
    return 0.0


def score_text(
    text: str,
    targets: Sequence[tuple[str, int, int]] = (),
    lexicon: Lexicon | None = None,
    *,
    speaker_country: str | None = None,
) -> ToneResult:
    """Score a statement, and the speaker's stance toward each target actor.

    ``targets`` are ``(actor_code, start, end)`` with character offsets into ``text``;
    an actor named several times gets one value from all its mentions. The tone toward
    ``speaker_country``, the speaker's own state or organisation, follows ``_own_link``.
    """
    lex = lexicon or load_lexicon()
    raw, joined = _tokenise(text)
    return _score_tokens(raw, joined, _match(joined, lex), targets, speaker_country,
                         lambda: _token_starts(text))  # fmt: skip


def _score_tokens(
    raw: list[str],
    joined: str,
    matches: _Matches,
    targets: Sequence[tuple[str, int, int]],
    speaker_country: str | None,
    token_starts: Callable[[], list[int]],
) -> ToneResult:
    """``score_text`` of a text already tokenised and matched (``joined`` is the string the
    matches' characters are in); ``token_starts()`` gives where its tokens start."""
    if not (matches.flags & _SCORED or (targets and matches.flags & _LABEL)):
        # Nothing that carries stance: neutral overall and toward everyone (the common case).
        return ToneResult(0.0, TONE_BANDS[2], {actor: 0.0 for actor, _s, _e in targets}, [])
    st, object_markers, scored, labels = _analyse(raw, matches)
    score = squash(sum(c.value * c.emphasis for c in scored))

    spans: dict[str, list[tuple[int, int, bool]]] = {}
    starts = token_starts() if targets else []
    for actor, start, end in targets:
        span = _token_span(starts, raw, start, end)
        spans.setdefault(actor, [])
        if span:
            spans[actor].append((span[0], span[1], _possessive(raw, span[1])))
    sentence = st.sentence
    mentioned = sorted({sentence(a) for ss in spans.values() for a, _b, _p in ss})
    bound_to: dict[int, set[str]] = {}  # cue start -> actors whose possessive mention it follows
    for actor, ss in spans.items():
        for a, b, poss in ss:
            if poss:
                for c in scored:
                    if 0 <= c.start - b <= 2 and c.sentence == sentence(a):
                        bound_to.setdefault(c.start, set()).add(actor)
    named = set(mentioned)
    # Criticism in sentences that name no actor: its sum, and per actor as the links give it.
    unnamed = sum(c.value for c in scored if c.value < 0 and c.sentence not in named)
    # What each cue's links need, worked out once for every actor: whether it is such criticism,
    # and the sentence an actor-less sentence refers back to.
    cue_facts = [(c, c.value < 0 and c.sentence not in named, _antecedent(mentioned, c.sentence))
                 for c in scored] if spans else []  # fmt: skip
    direct: dict[str, float] = {}  # from the cues of sentences that name an actor
    blamed: dict[
        str, float
    ] = {}  # negative cues of sentences that name no actor ("This is a lie.")
    parts: dict[str, tuple[float, float, float, float, float]] = {}
    for actor, ss in spans.items():
        total = orphan = 0.0
        own = actor == speaker_country
        pos_after = pos_before = neg_after = neg_before = 0.0
        where = [_Mentioned(st, object_markers, a, b, poss) for a, b, poss in ss]
        first_end = min((b for _a, b, _p in ss), default=None)
        for c, unnamed_criticism, antecedent in cue_facts:
            link = 0.0  # the strongest link of any mention (links are never negative)
            for m in where:
                v = _own_link(st, m, c) if own else _link(st, m, c, antecedent)
                if v > link:
                    link = v
            owners = bound_to.get(c.start)
            if owners and actor not in owners:
                link *= LINK_BOUND_ELSEWHERE
            if unnamed_criticism:
                orphan += c.value * link
            else:
                total += c.value * link
            if link:
                linked = c.value * link
                after = c.start >= first_end  # a mention of the actor before the cue: its subject
                if c.value > 0 and after:
                    pos_after += linked
                elif c.value > 0:
                    pos_before += linked
                elif after:
                    neg_after += linked
                else:
                    neg_before += linked
        objected = float(any(a in object_markers for a, _b, _p in ss))
        parts[actor] = (pos_after, pos_before, neg_after, neg_before, objected)
        for s, e, weight in labels:
            if any(b == s or e == a for a, b, _p in ss):
                total += weight
        direct[actor] = total
        blamed[actor] = orphan
    # Criticism in a sentence that names no actor continues the complaint against whoever the
    # statement already criticises ("These are Yerevan's mistakes. ... There is distortion of
    # facts in every paragraph."), not against a bystander named in between; only when nobody
    # is criticised does it go to the actors of the sentence before (LINK_ORPHAN).
    culprits = {a for a, v in direct.items() if v <= -MIN_EVIDENCE}
    toward = {}
    for actor, total in direct.items():
        if not culprits or actor == speaker_country:
            orphan = blamed[actor]
        else:
            orphan = unnamed * (LINK_ORPHAN if actor in culprits else LINK_ELSEWHERE)
        toward[actor] = squash(total + orphan)
    cues = [joined[c.chars[0] : c.chars[1]] for c in scored]
    pos_sum = sum(c.value * c.emphasis for c in scored if c.value > 0)
    neg_sum = sum(c.value * c.emphasis for c in scored if c.value < 0)
    return ToneResult(score, band_for(score), toward, cues, matches.positive, matches.negative, pos_sum,
                      neg_sum, parts)  # fmt: skip


def _score_with_lexicon(
    statement: Statement, lexicon: Lexicon | None, tokens: TextTokens | None = None
) -> ToneResult:
    targets = [(m.actor, m.start, m.end) for m in statement.mentions]
    span = None
    if tokens is not None:
        start, end, text = statement.start, statement.end, statement.text
        if end - start == len(text) and tokens.text.startswith(text, start):
            span = tokens.span(start, end)
    if span is None:
        result = score_text(statement.text, targets, lexicon, speaker_country=statement.speaker_country)
    else:
        a, b = span
        lex = lexicon or load_lexicon()
        matches = tokens.matches(a, b, lex, stance_only=True)  # _score_tokens reads no more of none
        result = _score_tokens(
            tokens.slice(a, b), tokens.whole_joined(lex), matches, targets, statement.speaker_country,
            lambda: tokens.relative_starts(a, b, start),
        )  # fmt: skip
    statement.tone = result.score
    statement.tone_band = result.band
    statement.tone_confidence = None
    statement.cue_signs = (result.positive, result.negative)
    for m in statement.mentions:
        m.tone_toward = result.toward.get(m.actor)
        m.toward_confidence = None
    return result


_DEFAULT_MODEL = object()


def score_statements(statements: Sequence[Statement], lexicon: Lexicon | None = None,
                     model=_DEFAULT_MODEL, *, tokens: TextTokens | None = None) -> None:  # fmt: skip
    """Tone of each statement and toward each actor it mentions, with a confidence.

    The cue lexicon reads every statement; the tone model (``dashboard.tone_model``, trained on
    the labelled corpus) then decides from the lexicon's evidence and the words, in one batch.
    Without a model (``model=None``, or no weights installed) the lexicon's numbers stand, with
    no confidence. ``tokens``, the tokens of the document the statements are slices of, saves
    tokenising each statement again (the results are the same).
    """
    lex = lexicon or load_lexicon()
    results = [_score_with_lexicon(st, lex, tokens) for st in statements]
    if model is _DEFAULT_MODEL:
        from dashboard.tone_model import default_model

        model = default_model()
    if model is not None and statements:
        model.score(list(statements), results)


def score_statement(statement: Statement, lexicon: Lexicon | None = None, model=_DEFAULT_MODEL) -> Statement:
    """One statement: ``score_statements`` of a list of one."""
    score_statements([statement], lexicon, model)
    return statement


def word_tokens(text: str) -> int:
    """How many words ``text`` has: its word tokens as the tone scorer reads them."""
    return len(_WORD_TOKEN.findall(text))


def _signs(matches: _Matches) -> tuple[int, int]:
    """Positive and negative stance-cue matches, with no negation, scope or weights (as GDELT counts)."""
    return matches.positive, matches.negative


def cue_signs(text: str, lexicon: Lexicon | None = None) -> tuple[int, int]:
    """``(positive, negative)`` raw cue matches in ``text``."""
    lex = lexicon or load_lexicon()
    _raw, joined = _tokenise(text)
    return _signs(_match(joined, lex))


def cue_signs_within(
    tokens: TextTokens, start: int, end: int, lexicon: Lexicon | None = None
) -> tuple[int, int]:
    """``cue_signs(tokens.text[start:end])``, from the text's tokens when the slice allows."""
    span = tokens.span(start, end)
    if span is None:
        return cue_signs(tokens.text[start:end], lexicon)
    return _signs(tokens.matches(*span, lexicon or load_lexicon(), stance_only=True))


def gdelt_from_counts(positive: int, negative: int, n_words: int) -> float:
    """GDELT-style tone: 100 * (positive - negative cue matches) / words."""
    return 100.0 * (positive - negative) / n_words if n_words else 0.0


def gdelt_tone(text: str, lexicon: Lexicon | None = None, n_words: int | None = None) -> float:
    """GDELT-style tone of a whole document: 100 * (positive - negative cue matches) / words.

    Like GDELT's, it counts raw matches with no negation, scope or weights, so it is
    comparable across documents but blunter than ``score_text``. Extraction computes the same
    from the counts its statements already have (``document_tone``), reading only the rest.
    """
    n_words = word_tokens(text) if n_words is None else n_words
    if not n_words:
        return 0.0
    return gdelt_from_counts(*cue_signs(text, lexicon), n_words)
