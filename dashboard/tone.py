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
from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

from dashboard import settings
from dashboard.records import TONE_BANDS, Statement

TONE_VERSION = 3

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
NEAR_WORDS = 6
LINK_SENTENCE = 0.3  # same sentence, another clause not split off by a contrast marker
LINK_ELSEWHERE = 0.1  # another sentence, which mentions other actors
LINK_ORPHAN = 0.5  # a sentence that mentions no actor ("They were warm.") counts for the
# actors of the nearest earlier sentence that mentions any (or else the nearest later one)
LINK_BOUND_ELSEWHERE = 0.3  # factor when the cue is bound by possessive to another actor

_TOKEN = re.compile(r"(\w+(?:[-'’]\w+)*)|([.!?;:,()\[\]—–]|(?<=\s)-(?=\s))")
_WORD = re.compile(r"\w+(?:[-'’]\w+)*")
_ABBREVIATIONS = frozenset(
    {"mr", "mrs", "ms", "dr", "st", "no", "vs", "etc", "gen", "lt", "col", "prof"}
)
_SENTENCE_END = frozenset(".!?")
_CLAUSE_END = frozenset(";:()[]—–")


@dataclass(frozen=True)
class Cue:
    """One row of the cue file."""

    cue: str
    kind: str
    weight: float
    note: str = ""


@dataclass(frozen=True)
class Lexicon:
    """Cue rows compiled for matching: phrases indexed by their first word form."""

    cues: tuple[Cue, ...]
    path: str
    exact: frozenset[str]  # every literal cue word
    prefixes: tuple[str, ...]  # every "prefix*" cue word, without the star, longest first
    # first word key -> [(word keys of the phrase, cue)], longest phrases first
    phrases: dict[str, list[tuple[tuple[str, ...], Cue]]]
    _keys: dict[str, tuple[str, ...]] = field(default_factory=dict, compare=False, repr=False)

    def keys(self, word: str) -> tuple[str, ...]:
        """The cue-word keys a text word can stand for: itself if a cue word, and a matching prefix*."""
        found = self._keys.get(word)
        if found is None:
            ks = []
            if word in self.exact:
                ks.append(word)
            for p in self.prefixes:
                if word.startswith(p):
                    ks.append(p + "*")
                    break
            found = self._keys[word] = tuple(ks)
        return found


@dataclass
class ToneResult:
    score: float
    band: str
    toward: dict[str, float] = field(default_factory=dict)
    cues: list[str] = field(default_factory=list)


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


def compile_lexicon(cues: Sequence[Cue], path: str = "") -> Lexicon:
    exact, prefixes = set(), set()
    phrases: dict[str, list[tuple[tuple[str, ...], Cue]]] = {}
    seen = {}
    for c in cues:
        words = tuple(w for w in re.split(r"[\s]+", c.cue) if w)
        seen[words] = c  # a later row for the same cue wins, as in a spreadsheet
    for words, c in seen.items():
        for w in words:
            if w.endswith("*") and len(w) > 1:
                prefixes.add(w[:-1])
            else:
                exact.add(w)
        phrases.setdefault(words[0], []).append((words, c))
    for entries in phrases.values():
        # Longest phrase first; among equals a literal word beats a prefix*.
        entries.sort(key=lambda e: (-len(e[0]), sum(w.endswith("*") for w in e[0])))
    return Lexicon(
        cues=tuple(cues),
        path=path,
        exact=frozenset(exact),
        prefixes=tuple(sorted(prefixes, key=len, reverse=True)),
        phrases=phrases,
    )


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


@dataclass
class _Tokens:
    words: list[str]  # lower-cased words, possessive 's removed, n't -> not
    possessive: list[bool]
    sentence: list[int]  # sentence number of each word
    comma: list[int]  # commas seen before each word (in its sentence)
    clause_end_after: set[int]  # word indices followed by ; : ( ) or a dash


_NORMAL: dict[
    str, tuple[str, bool]
] = {}  # raw word -> (normal form, possessive); grows with the vocabulary


def _normalise(raw: str) -> tuple[str, bool]:
    w = raw.lower().replace("’", "'")
    if w.endswith("'s"):
        return w[:-2], True
    if w.endswith("n't"):
        return "not", False
    return w, False


def _tokenise(text: str) -> _Tokens:
    words, poss, sent, comma = [], [], [], []
    clause_end_after: set[int] = set()
    s = c = 0
    normal = _NORMAL
    for w, p in _TOKEN.findall(text):
        if w:
            r = normal.get(w)
            if r is None:
                r = normal[w] = _normalise(w)
            words.append(r[0])
            poss.append(r[1])
            sent.append(s)
            comma.append(c)
        elif words:
            if p == ",":
                c += 1
            elif p in _SENTENCE_END:
                prev = words[-1]
                if p != "." or (len(prev) > 1 and prev not in _ABBREVIATIONS):
                    s += 1
                    c = 0
            else:  # ; : ( ) [ ] and dashes end a clause
                clause_end_after.add(len(words) - 1)
    return _Tokens(words, poss, sent, comma, clause_end_after)


def _match(tokens: _Tokens, lex: Lexicon) -> list[tuple[int, int, Cue]]:
    """Longest-first, left-to-right matches of cue phrases: (first word, end word, cue)."""
    words = tokens.words
    n = len(words)
    keys = [lex.keys(w) for w in words]
    found = []
    i = 0
    while i < n:
        best = None
        for k in keys[i]:
            for phrase, cue in lex.phrases.get(k, ()):
                m = len(phrase)
                if best is not None and m <= best[1] - i:
                    break
                if i + m <= n and all(phrase[j] in keys[i + j] for j in range(1, m)):
                    best = (i, i + m, cue)
                    break
        if best:
            found.append(best)
            i = best[1]
        else:
            i += 1
    return found


@dataclass
class _Scored:
    start: int  # word index
    end: int
    cue: Cue
    value: float  # after negation, intensity, shields, clause rules
    emphasis: float  # contrast emphasis, for the overall score only
    counterfactual: bool = False  # inside "instead of ..." (or the marker itself)


def _analyse(text: str, lex: Lexicon):
    tok = _tokenise(text)
    matches = _match(tok, lex)
    n = len(tok.words)
    # Clauses: split at sentence ends, ; : ( ) dashes, and at contrast, concession and
    # counterfactual markers. A concession or counterfactual clause ends at the next comma.
    clause = [0] * n
    scope_kind: list[tuple[str, float] | None] = [None] * n  # concession/counterfactual scope
    contrast_split: list[int] = []  # word indices where a "but"-type marker starts
    marker_at = {}
    for s, _e, cue in matches:
        if cue.kind in ("contrast", "concession", "counterfactual"):
            marker_at[s] = cue
    cl = 0
    open_scope = None
    conceded = False  # a concession clause has closed earlier in this sentence
    after_concession = [False] * n
    for i in range(n):
        new_sentence = i > 0 and tok.sentence[i] != tok.sentence[i - 1]
        if new_sentence:
            conceded = False
        if i > 0 and (new_sentence or (i - 1) in tok.clause_end_after):
            cl += 1
            open_scope = None
        elif open_scope and i > 0 and tok.comma[i] != tok.comma[i - 1]:
            cl += 1
            conceded = open_scope[0] == "concession"
            open_scope = None
        marker = marker_at.get(i)
        if marker is not None:
            if i > 0 and not new_sentence:
                cl += 1
            if marker.kind == "contrast":
                contrast_split.append(i)
                open_scope = None
            else:
                open_scope = (marker.kind, marker.weight)
        clause[i] = cl
        scope_kind[i] = open_scope
        after_concession[i] = conceded and open_scope is None

    def emphasis_at(s: int) -> float:
        """Weight in the overall score from contrast and concession (not used toward actors)."""
        scope = scope_kind[s]
        emphasis = 1.0
        if scope is not None and scope[0] == "concession":
            emphasis = scope[1]
        elif after_concession[s]:
            emphasis = MAIN_CLAUSE_EMPHASIS
        for k in contrast_split:
            if tok.sentence[k] != tok.sentence[s]:
                continue
            if k <= s:
                emphasis = marker_at[k].weight
            elif emphasis == 1.0:
                emphasis = BEFORE_CONTRAST
        return emphasis

    scored: list[_Scored] = []
    last_neg = last_int = last_fail = None
    shields = [(s, e) for s, e, c in matches if c.kind == "subject_shield"]
    object_markers = {e for s, e, c in matches if c.kind == "object_marker"}
    for s, e, cue in matches:
        kind = cue.kind
        if kind == "negator":
            last_neg = (e, cue.weight, clause[s])
            continue
        if kind == "intensifier":
            last_int = (e, cue.weight, clause[s])
            continue
        if kind in ("failure", "counterfactual"):
            last_fail = (e, clause[s])
            scored.append(_Scored(s, e, cue, cue.weight, emphasis_at(s), kind == "counterfactual"))
            continue
        if kind not in STANCE_KINDS:
            continue
        v = cue.weight
        if last_int and last_int[2] == clause[s] and s - last_int[0] <= INTENSIFIER_WINDOW:
            v *= last_int[1]
        if last_neg and last_neg[2] == clause[s] and s - last_neg[0] < NEGATION_WINDOW:
            # "not constructive" is criticism; "no provocation" denies, it does not praise.
            v = v * last_neg[1] if v > 0 else 0.0
            last_neg = None
        if v > 0 and last_fail and last_fail[1] == clause[s] and s - last_fail[0] < NEGATION_WINDOW:
            v = -v
        scope = scope_kind[s]
        if scope is not None and scope[0] == "counterfactual" and v > 0:
            v = -v
        for a, b in shields:
            if clause[a] == clause[s] and (a - e <= SHIELD_WINDOW and s - b <= SHIELD_WINDOW):
                v = 0.0
                break
        if v != 0.0:
            emphasis = emphasis_at(s)
            in_cf = scope is not None and scope[0] == "counterfactual"
            scored.append(_Scored(s, e, cue, v, emphasis, in_cf))
    splits = sorted(i for i, m in marker_at.items() if m.kind != "counterfactual")
    return tok, clause, contrast_split, splits, object_markers, scored


def _word_span(text: str, start: int, end: int) -> tuple[int, int] | None:
    """Word indices [a, b) covering the character span (counted as ``_tokenise`` counts words)."""
    a = len(_WORD.findall(text, 0, max(start, 0)))
    b = len(_WORD.findall(text, 0, max(end, 0)))
    if b <= a:  # the span starts inside a word ("Azerbaijan" in "Armenia-Azerbaijan")
        a = b - 1
    return (a, b) if a >= 0 else None


def _antecedent(mentioned: list[int], sentence: int) -> int | None:
    """The sentence an actor-less sentence most likely refers back to (None if it names actors)."""
    i = bisect.bisect_left(mentioned, sentence)
    if i < len(mentioned) and mentioned[i] == sentence:
        return None
    if i > 0:
        return mentioned[i - 1]
    return mentioned[0] if mentioned else None


def _link(tok, clause, splits, object_markers, mentioned, span, c: _Scored) -> float:
    """How much cue ``c`` counts toward the actor mentioned at word span ``span``.

    ``mentioned`` is the sorted list of sentence numbers that mention any target actor.
    """
    a, b = span
    if tok.sentence[a] != tok.sentence[c.start]:
        return (
            LINK_ORPHAN
            if _antecedent(mentioned, tok.sentence[c.start]) == tok.sentence[a]
            else LINK_ELSEWHERE
        )
    if tok.possessive[b - 1] and 0 <= c.start - b <= 2:
        return LINK_POSSESSIVE
    if c.value < 0 and c.end <= a and a in object_markers and a - c.end <= 3:
        # "aggression against Armenia": Armenia is the object, not the offender.
        return 0.0
    if c.cue.kind == "accusation" and 0 <= a - c.end <= 1:
        # "attempts to blame Armenia": the accused, not the speaker's own verdict.
        return 0.0
    if c.counterfactual and clause[a] == clause[c.start]:
        # "instead of talking to Baku": Baku is part of what was not done, not its culprit.
        return 0.0
    if clause[a] == clause[c.start] or a <= c.start < b:
        gap = max(c.start - b, a - c.end, 0)
        return LINK_CLAUSE_NEAR if gap <= NEAR_WORDS else LINK_CLAUSE_FAR
    lo, hi = min(a, c.start), max(a, c.start)
    if any(lo < k <= hi for k in splits):
        # "We thank Baku, but Yerevan ...": a contrast marker between them splits the stance.
        return 0.0
    return LINK_SENTENCE


def score_text(
    text: str,
    targets: Sequence[tuple[str, int, int]] = (),
    lexicon: Lexicon | None = None,
) -> ToneResult:
    """Score a statement, and the speaker's stance toward each target actor.

    ``targets`` are ``(actor_code, start, end)`` with character offsets into ``text``;
    an actor named several times gets one value from all its mentions.
    """
    lex = lexicon or load_lexicon()
    tok, clause, contrast_split, splits, object_markers, scored = _analyse(text, lex)
    score = squash(sum(c.value * c.emphasis for c in scored))

    spans: dict[str, list[tuple[int, int]]] = {}
    for actor, start, end in targets:
        span = _word_span(text, start, end)
        spans.setdefault(actor, [])
        if span:
            spans[actor].append(span)
    mentioned = sorted({tok.sentence[a] for ss in spans.values() for a, _ in ss})
    bound_to = {}  # cue start -> actors whose possessive mention it follows
    for actor, ss in spans.items():
        for a, b in ss:
            if tok.possessive[b - 1]:
                for c in scored:
                    if 0 <= c.start - b <= 2 and tok.sentence[c.start] == tok.sentence[a]:
                        bound_to.setdefault(c.start, set()).add(actor)
    toward = {}
    for actor, ss in spans.items():
        total = 0.0
        for c in scored:
            link = max(
                (_link(tok, clause, splits, object_markers, mentioned, sp, c) for sp in ss),
                default=0.0,
            )
            owners = bound_to.get(c.start)
            if owners and actor not in owners:
                link *= LINK_BOUND_ELSEWHERE
            total += c.value * link
        toward[actor] = squash(total)
    cues = [" ".join(tok.words[c.start : c.end]) for c in scored]
    return ToneResult(score, band_for(score), toward, cues)


def score_statement(statement: Statement, lexicon: Lexicon | None = None) -> Statement:
    result = score_text(
        statement.text, [(m.actor, m.start, m.end) for m in statement.mentions], lexicon
    )
    statement.tone = result.score
    statement.tone_band = result.band
    for m in statement.mentions:
        m.tone_toward = result.toward.get(m.actor)
    return statement


def gdelt_tone(text: str, lexicon: Lexicon | None = None) -> float:
    """GDELT-style tone of a whole document: 100 * (positive - negative cue matches) / words.

    Like GDELT's, it counts raw matches with no negation, scope or weights, so it is
    comparable across documents but blunter than ``score_text``.
    """
    lex = lexicon or load_lexicon()
    tok = _tokenise(text)
    if not tok.words:
        return 0.0
    pos = neg = 0
    for _s, _e, cue in _match(tok, lex):
        if cue.kind in STANCE_KINDS or cue.kind in ("failure", "counterfactual"):
            if cue.weight > 0:
                pos += 1
            elif cue.weight < 0:
                neg += 1
    return 100.0 * (pos - neg) / len(tok.words)
