"""Score extraction against a reference file in the shared eval format (``python -m dashboard eval``).

The reference format and the scoring rules are described in ``FORMAT.md`` next to the
reference file. Reading the file and running extraction are kept apart from scoring:
``score_documents`` takes (reference, extraction) pairs and is a pure function, so every
number it reports can be checked on hand-made records.

Undefined ratios (a precision with nothing predicted, a share of zero quotes) are
``None`` rather than 0 or 1: "nothing to score" is not the same as a perfect or a failed
score, and the report says so with a dash.
"""

from __future__ import annotations

import argparse
import json
import math
import re
import sys
import time
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, replace
from functools import cache
from pathlib import Path

from dashboard.records import ExtractedDocument, Statement
from dashboard.reference import default_reference

#: Minimum word-set Jaccard overlap for a predicted quote to match a reference quote.
MATCH_THRESHOLD = 0.5
#: A predicted tone within this distance of 0 is neutral (the neutral band of ``tone.band_for``).
NEUTRAL_BAND = 0.1
#: VADER's own convention for neutral compound scores.
VADER_NEUTRAL_BAND = 0.05

TONE_CLASSES = ("negative", "neutral", "positive")
_BAND_CLASS = {
    "hostile": "negative",
    "critical": "negative",
    "neutral": "neutral",
    "cooperative": "positive",
    "warm": "positive",
}
_WORD = re.compile(r"\w+")
# Letters NFKD does not take apart; transliterated the way news agencies spell these names.
_TRANSLIT = str.maketrans({"ı": "i", "ə": "a", "Ə": "a", "ø": "o", "ł": "l", "ß": "ss", "đ": "d"})
_EXCERPT = 90


class GoldError(ValueError):
    """The reference file cannot be read; the message names the line."""


@dataclass(frozen=True)
class GoldQuote:
    text: str
    speaker: str | None = None
    speaker_country: str | None = None
    tone: int | None = None  # -2..2
    targets: dict[str, int] = field(default_factory=dict)


@dataclass(frozen=True)
class GoldDocument:
    doc_id: str
    text: str
    meta: dict = field(default_factory=dict)
    date: str | None = None
    mentions: frozenset[str] = frozenset()
    quotes: tuple[GoldQuote, ...] = ()


# --- small measures ----------------------------------------------------------------


def word_set(text: str) -> frozenset[str]:
    """Lower-cased word tokens (letters and digits; punctuation and quote marks drop out)."""
    return frozenset(_WORD.findall(text.casefold()))


def jaccard(a: frozenset[str], b: frozenset[str]) -> float:
    if not a and not b:
        return 0.0  # two empty quotes say nothing alike
    return len(a & b) / len(a | b)


def match_quotes(
    predicted: Sequence[str], gold: Sequence[str], threshold: float = MATCH_THRESHOLD
) -> list[tuple[int, int, float]]:
    """One-to-one greedy matching, best overlap first: ``[(predicted_index, gold_index, jaccard)]``.

    Ties go to the earlier predicted quote, then the earlier gold quote, so the result is stable.
    """
    p_sets = [word_set(t) for t in predicted]
    g_sets = [word_set(t) for t in gold]
    candidates = []
    for i, p in enumerate(p_sets):
        for j, g in enumerate(g_sets):
            score = jaccard(p, g)
            if score >= threshold:
                candidates.append((-score, i, j))
    candidates.sort()
    used_p: set[int] = set()
    used_g: set[int] = set()
    pairs = []
    for neg, i, j in candidates:
        if i in used_p or j in used_g:
            continue
        used_p.add(i)
        used_g.add(j)
        pairs.append((i, j, -neg))
    return sorted(pairs, key=lambda pair: pair[1])


@dataclass(frozen=True)
class PRF:
    precision: float | None
    recall: float | None
    f1: float | None


def prf(true_positives: int, n_predicted: int, n_gold: int) -> PRF:
    """Precision, recall and F1 from counts (F1 = 2TP / (predicted + gold), the harmonic mean)."""
    return PRF(
        precision=true_positives / n_predicted if n_predicted else None,
        recall=true_positives / n_gold if n_gold else None,
        f1=2 * true_positives / (n_predicted + n_gold) if n_predicted + n_gold else None,
    )


def share(hits: int, total: int) -> float | None:
    return hits / total if total else None


def surname(name: str | None) -> str | None:
    """The last word of a name, lower-cased, without accents or punctuation ("Şəhla Talıbova" -> "talibova")."""
    if not name:
        return None
    folded = unicodedata.normalize("NFKD", name.translate(_TRANSLIT))
    plain = "".join(ch for ch in folded if not unicodedata.combining(ch)).casefold()
    words = re.findall(r"[^\W_]+", plain)
    return words[-1] if words else None


def speaker_matches(predicted: str | None, gold: str | None) -> bool:
    """Same surname, case- and accent-insensitive; no speaker matches no speaker."""
    return surname(predicted) == surname(gold)


def country_matches(predicted: str | None, gold: str | None) -> bool:
    return (predicted or "").strip().upper() == (gold or "").strip().upper()


def predicted_class(score: float) -> str:
    """Negative, neutral or positive, with the neutral band of ``tone.band_for``."""
    try:
        from dashboard.tone import band_for

        band = band_for(score)
    except ImportError:
        band = None
    if band in _BAND_CLASS:
        return _BAND_CLASS[band]
    return sign_class(score, NEUTRAL_BAND)


def sign_class(value: float, band: float = 0.0) -> str:
    if value > band:
        return "positive"
    if value < -band:
        return "negative"
    return "neutral"


def accuracy(gold: Sequence[str], predicted: Sequence[str]) -> float | None:
    return share(sum(g == p for g, p in zip(gold, predicted, strict=True)), len(gold))


def macro_f1(gold: Sequence[str], predicted: Sequence[str]) -> float | None:
    """Mean per-class F1 over the classes that occur in the gold or the predicted labels."""
    classes = sorted(set(gold) | set(predicted))
    if not classes:
        return None
    scores = []
    for c in classes:
        tp = sum(g == c and p == c for g, p in zip(gold, predicted, strict=True))
        n_pred = sum(p == c for p in predicted)
        n_gold = sum(g == c for g in gold)
        scores.append(2 * tp / (n_pred + n_gold))
    return sum(scores) / len(scores)


def average_ranks(values: Sequence[float]) -> list[float]:
    """1-based ranks; tied values share the mean of the ranks they span."""
    order = sorted(range(len(values)), key=lambda i: values[i])
    ranks = [0.0] * len(values)
    start = 0
    while start < len(order):
        end = start
        while end + 1 < len(order) and values[order[end + 1]] == values[order[start]]:
            end += 1
        mean_rank = (start + end) / 2 + 1
        for k in range(start, end + 1):
            ranks[order[k]] = mean_rank
        start = end + 1
    return ranks


def spearman(x: Sequence[float], y: Sequence[float]) -> float | None:
    """Spearman's rho: Pearson correlation of average ranks. None when either side is constant."""
    if len(x) != len(y):
        raise ValueError("spearman needs two sequences of the same length")
    if len(x) < 2:
        return None
    rx, ry = average_ranks(x), average_ranks(y)
    mx, my = sum(rx) / len(rx), sum(ry) / len(ry)
    cov = sum((a - mx) * (b - my) for a, b in zip(rx, ry, strict=True))
    vx = sum((a - mx) ** 2 for a in rx)
    vy = sum((b - my) ** 2 for b in ry)
    if vx == 0 or vy == 0:
        return None
    return cov / math.sqrt(vx * vy)


@dataclass(frozen=True)
class ToneScores:
    n: int
    accuracy: float | None
    macro_f1: float | None
    spearman: float | None


def tone_scores(
    gold_tones: Sequence[int], predicted_scores: Sequence[float], band_class=None
) -> ToneScores:
    """3-class accuracy and macro-F1 (gold by sign), Spearman of the raw scores against the 5-point gold."""
    to_class = band_class or predicted_class
    gold_classes = [sign_class(t) for t in gold_tones]
    pred_classes = [to_class(s) for s in predicted_scores]
    return ToneScores(
        n=len(gold_tones),
        accuracy=accuracy(gold_classes, pred_classes),
        macro_f1=macro_f1(gold_classes, pred_classes),
        spearman=spearman(predicted_scores, gold_tones),
    )


#: Organisations the reference format annotates (FORMAT.md); with every state, its whole actor scheme.
SCHEME_ORGANISATIONS = frozenset({"EU", "UN", "OSCE", "CSTO", "NATO", "CIS", "EAEU"})


def in_scheme(actor: str) -> bool:
    """Whether the reference format can annotate ``actor``: a state (ISO alpha-3) or one of its seven bodies.

    The project's actors table is wider (BRICS, SCO, GCC, the Soviet Union as a historical
    entity ...); those mentions are real but fall outside what the reference annotates,
    so they are neither credited nor counted as spurious.
    """
    if actor in SCHEME_ORGANISATIONS:
        return True
    kind = _actor_kinds().get(actor)
    return kind == "state" if kind else (len(actor) == 3 and actor.isalpha() and actor.isupper())


@cache
def _actor_kinds() -> dict[str, str]:
    return {a.code: a.kind for a in default_reference().actors}


def actor_set(doc: ExtractedDocument) -> set[str]:
    """Actors of the document-level mentions and of every statement's mentions, within the reference scheme."""
    actors = {m.actor for m in doc.mentions}
    for st in doc.statements:
        actors.update(m.actor for m in st.mentions)
    return {a for a in actors if in_scheme(a)}


def predicted_quotes(doc: ExtractedDocument) -> list[Statement]:
    return [st for st in doc.statements if st.kind == "quote"]


def toward(statement: Statement) -> dict[str, float]:
    """Mean tone toward each actor the statement mentions (mentions without a tone are skipped)."""
    values: dict[str, list[float]] = {}
    for m in statement.mentions:
        if m.tone_toward is not None:
            values.setdefault(m.actor, []).append(m.tone_toward)
    return {actor: sum(v) / len(v) for actor, v in values.items()}


# --- scoring whole documents -------------------------------------------------------


@dataclass
class DocumentErrors:
    """What one document got wrong, for ``--details``."""

    doc_id: str
    missed_quotes: list[GoldQuote] = field(default_factory=list)
    spurious_quotes: list[Statement] = field(default_factory=list)
    wrong_speakers: list[tuple[str, str | None, str | None]] = field(default_factory=list)
    wrong_countries: list[tuple[str, str | None, str | None]] = field(default_factory=list)
    missed_mentions: list[str] = field(default_factory=list)
    spurious_mentions: list[str] = field(default_factory=list)
    wrong_date: tuple[str | None, str | None, str] | None = None  # predicted, gold, date_source
    failure: str | None = None

    def __bool__(self) -> bool:
        return bool(
            self.missed_quotes or self.spurious_quotes or self.wrong_speakers
            or self.wrong_countries or self.missed_mentions or self.spurious_mentions
            or self.wrong_date or self.failure
        )  # fmt: skip


@dataclass
class Report:
    documents: int = 0
    gold_quotes: int = 0
    predicted_quotes: int = 0
    matched_quotes: int = 0
    speaker_hits: int = 0
    country_hits: int = 0
    mention_hits: int = 0
    predicted_mentions: int = 0
    gold_mentions: int = 0
    date_hits: int = 0
    target_pairs: int = 0
    target_hits: int = 0
    # (gold 5-point tone, predicted score, gold quote text) for matched quotes with both tones
    tone_pairs: list[tuple[int, float, str]] = field(default_factory=list)
    # (gold 5-point tone, gold quote text) for every reference quote with a tone
    gold_tones: list[tuple[int, str]] = field(default_factory=list)
    errors: list[DocumentErrors] = field(default_factory=list)
    seconds: float = 0.0
    text_bytes: int = 0

    @property
    def quotes(self) -> PRF:
        return prf(self.matched_quotes, self.predicted_quotes, self.gold_quotes)

    @property
    def mentions(self) -> PRF:
        return prf(self.mention_hits, self.predicted_mentions, self.gold_mentions)

    @property
    def speaker_accuracy(self) -> float | None:
        return share(self.speaker_hits, self.matched_quotes)

    @property
    def country_accuracy(self) -> float | None:
        return share(self.country_hits, self.matched_quotes)

    @property
    def date_accuracy(self) -> float | None:
        return share(self.date_hits, self.documents)

    @property
    def target_accuracy(self) -> float | None:
        return share(self.target_hits, self.target_pairs)

    @property
    def tone(self) -> ToneScores:
        return tone_scores([g for g, _, _ in self.tone_pairs], [p for _, p, _ in self.tone_pairs])


def score_document(report: Report, gold: GoldDocument, predicted: ExtractedDocument) -> None:
    """Add one document's counts to ``report``."""
    errors = DocumentErrors(gold.doc_id)
    report.documents += 1

    quotes = predicted_quotes(predicted)
    report.gold_quotes += len(gold.quotes)
    report.predicted_quotes += len(quotes)
    pairs = match_quotes([st.text for st in quotes], [q.text for q in gold.quotes])
    report.matched_quotes += len(pairs)
    matched_p = {i for i, _, _ in pairs}
    matched_g = {j for _, j, _ in pairs}
    errors.missed_quotes = [q for j, q in enumerate(gold.quotes) if j not in matched_g]
    errors.spurious_quotes = [st for i, st in enumerate(quotes) if i not in matched_p]

    for i, j, _ in pairs:
        st, gq = quotes[i], gold.quotes[j]
        if speaker_matches(st.speaker, gq.speaker):
            report.speaker_hits += 1
        else:
            errors.wrong_speakers.append((gq.text, st.speaker, gq.speaker))
        if country_matches(st.speaker_country, gq.speaker_country):
            report.country_hits += 1
        else:
            errors.wrong_countries.append((gq.text, st.speaker_country, gq.speaker_country))
        if gq.tone is not None and st.tone is not None:
            report.tone_pairs.append((gq.tone, st.tone, gq.text))
        predicted_toward = toward(st)
        for actor, gold_value in gq.targets.items():
            if actor in predicted_toward:
                report.target_pairs += 1
                agree = sign_class(predicted_toward[actor], NEUTRAL_BAND) == sign_class(gold_value)
                report.target_hits += agree

    report.gold_tones.extend((q.tone, q.text) for q in gold.quotes if q.tone is not None)

    actors = actor_set(predicted)
    report.mention_hits += len(actors & gold.mentions)
    report.predicted_mentions += len(actors)
    report.gold_mentions += len(gold.mentions)
    errors.missed_mentions = sorted(gold.mentions - actors)
    errors.spurious_mentions = sorted(actors - gold.mentions)

    if predicted.date == gold.date:
        report.date_hits += 1
    else:
        errors.wrong_date = (predicted.date, gold.date, predicted.date_source)
    report.errors.append(errors)


def score_documents(pairs: Iterable[tuple[GoldDocument, ExtractedDocument]]) -> Report:
    """Score (reference, extraction) pairs; micro-averaged over all documents."""
    report = Report()
    for gold, predicted in pairs:
        score_document(report, gold, predicted)
    return report


def rounded(value: float | None) -> float | None:
    return None if value is None else round(value, 4)


def report_json(report: Report) -> dict:
    """The ``--json`` object: exactly these keys, every section always present (values may be null)."""
    q, m, t = report.quotes, report.mentions, report.tone
    return {
        "quotes": {
            "precision": rounded(q.precision),
            "recall": rounded(q.recall),
            "f1": rounded(q.f1),
        },
        "attribution": {
            "speaker": rounded(report.speaker_accuracy),
            "country": rounded(report.country_accuracy),
        },
        "mentions": {
            "precision": rounded(m.precision),
            "recall": rounded(m.recall),
            "f1": rounded(m.f1),
        },
        "tone": {
            "accuracy": rounded(t.accuracy),
            "macro_f1": rounded(t.macro_f1),
            "spearman": rounded(t.spearman),
        },
        "targets": {"sign_accuracy": rounded(report.target_accuracy)},
        "date": {"accuracy": rounded(report.date_accuracy)},
        "n": {
            "documents": report.documents,
            "gold_quotes": report.gold_quotes,
            "predicted_quotes": report.predicted_quotes,
        },
    }


# --- the VADER baseline ------------------------------------------------------------


def vader_class(compound: float) -> str:
    return sign_class(compound, VADER_NEUTRAL_BAND)


def vader_scores(texts_and_tones: Sequence[tuple[str, int]]) -> ToneScores | None:
    """VADER's compound score of each reference quote text against its gold tone; None without VADER."""
    try:
        from vaderSentiment.vaderSentiment import SentimentIntensityAnalyzer
    except ImportError:
        return None
    analyzer = SentimentIntensityAnalyzer()
    compounds = [analyzer.polarity_scores(text)["compound"] for text, _ in texts_and_tones]
    return tone_scores([tone for _, tone in texts_and_tones], compounds, band_class=vader_class)


# --- output ------------------------------------------------------------------------


def fmt(value: float | None) -> str:
    return "—" if value is None else f"{value:.4f}"


def format_table(report: Report, source: str = "", vader_same=None, vader_all=None) -> str:
    q, m, t = report.quotes, report.mentions, report.tone
    lines = [f"Evaluation against {source}" if source else "Evaluation", ""]
    lines.append(
        f"{'Quotes':<13} precision {fmt(q.precision)}  recall {fmt(q.recall)}  F1 {fmt(q.f1)}"
        f"   ({report.matched_quotes} matched; {report.gold_quotes} reference, "
        f"{report.predicted_quotes} predicted; Jaccard >= {MATCH_THRESHOLD})"
    )
    lines.append(
        f"{'Attribution':<13} speaker {fmt(report.speaker_accuracy)}  country "
        f"{fmt(report.country_accuracy)}   (on {report.matched_quotes} matched quotes)"
    )
    lines.append(
        f"{'Mentions':<13} precision {fmt(m.precision)}  recall {fmt(m.recall)}  F1 {fmt(m.f1)}"
        f"   ({report.mention_hits} found; {report.gold_mentions} reference, "
        f"{report.predicted_mentions} predicted actors)"
    )
    lines.append("")
    columns = [("project", t), ("VADER, same quotes", vader_same), ("VADER, all quotes", vader_all)]
    lines.append(f"{'Tone':<13} " + "".join(f"{name:>20}" for name, _ in columns))
    for label, attr in (
        ("accuracy", "accuracy"),
        ("macro-F1", "macro_f1"),
        ("Spearman", "spearman"),
    ):
        cells = [fmt(getattr(s, attr)) if s else "n/a" for _, s in columns]
        lines.append(f"  {label:<11} " + "".join(f"{c:>20}" for c in cells))
    lines.append(f"  {'quotes':<11} " + "".join(f"{(s.n if s else 'n/a'):>20}" for _, s in columns))
    lines.append("")
    lines.append(
        f"{'Targets':<13} sign accuracy {fmt(report.target_accuracy)}"
        f"   (on {report.target_pairs} quote-actor pairs in both)"
    )
    lines.append(
        f"{'Date':<13} accuracy {fmt(report.date_accuracy)}"
        f"   ({report.date_hits} of {report.documents} documents)"
    )
    lines.append(
        f"{'n':<13} documents {report.documents}  reference quotes {report.gold_quotes}"
        f"  predicted quotes {report.predicted_quotes}"
    )
    if report.seconds > 0:
        mb = report.text_bytes / 1e6
        lines.append(
            f"{'Speed':<13} {report.documents / report.seconds:.1f} documents/s  "
            f"{mb / report.seconds:.3f} MB/s   ({mb:.3f} MB of text in {report.seconds:.2f} s of extraction)"
        )
    return "\n".join(lines)


def excerpt(text: str, width: int = _EXCERPT) -> str:
    flat = " ".join(text.split())
    return flat if len(flat) <= width else flat[: width - 1] + "…"


def format_details(report: Report) -> str:
    """Every miss, document by document; documents without a miss are left out."""
    lines = []

    def row(label: str, text: str) -> None:
        lines.append(f"  {label + ':':<19} {text}")

    for e in report.errors:
        if not e:
            continue
        lines.append(f"== {e.doc_id}")
        if e.failure:
            row("extraction failed", e.failure)
        for q in e.missed_quotes:
            row("missed quote", f"“{excerpt(q.text)}” ({q.speaker or 'no speaker'})")
        for st in e.spurious_quotes:
            row("spurious quote", f"“{excerpt(st.text)}” ({st.speaker or 'no speaker'})")
        for text, pred, gold in e.wrong_speakers:
            row("wrong speaker", f"{pred!r}, reference {gold!r}: “{excerpt(text, 60)}”")
        for text, pred, gold in e.wrong_countries:
            row("wrong country", f"{pred!r}, reference {gold!r}: “{excerpt(text, 60)}”")
        if e.missed_mentions:
            row("missed mentions", ", ".join(e.missed_mentions))
        if e.spurious_mentions:
            row("spurious mentions", ", ".join(e.spurious_mentions))
        if e.wrong_date:
            pred, gold, source = e.wrong_date
            row("wrong date", f"{pred}, reference {gold} (date_source: {source})")
    return "\n".join(lines) if lines else "No misses."


# --- reading the reference file and running extraction -----------------------------


def _optional_str(value: object, what: str) -> str | None:
    if value is None:
        return None
    if not isinstance(value, str):
        raise GoldError(f"{what} must be a string or null, got {type(value).__name__}")
    return value.strip() or None


def _tone_value(value: object, what: str) -> int | None:
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int | float) or not -2 <= value <= 2:
        raise GoldError(f"{what} must be a number from -2 to 2, got {value!r}")
    return int(value)


def parse_gold_record(record: object) -> GoldDocument:
    """One reference line as a GoldDocument, or GoldError saying what is wrong with it."""
    if not isinstance(record, dict):
        raise GoldError(f"expected a JSON object, got {type(record).__name__}")
    doc_id, text, gold = record.get("doc_id"), record.get("text"), record.get("gold")
    if not isinstance(doc_id, str | int) or isinstance(doc_id, bool):
        raise GoldError("missing 'doc_id'")
    if not isinstance(text, str) or not text.strip():
        raise GoldError(f"{doc_id}: missing or empty 'text'")
    if not isinstance(gold, dict):
        raise GoldError(f"{doc_id}: missing 'gold' object")
    meta = record.get("meta") or {}
    if not isinstance(meta, dict):
        raise GoldError(f"{doc_id}: 'meta' must be an object")
    mentions = gold.get("mentions") or []
    if not isinstance(mentions, list) or not all(isinstance(a, str) for a in mentions):
        raise GoldError(f"{doc_id}: 'gold.mentions' must be a list of actor codes")
    raw_quotes = gold.get("quotes") or []
    if not isinstance(raw_quotes, list):
        raise GoldError(f"{doc_id}: 'gold.quotes' must be a list")
    quotes = []
    for k, q in enumerate(raw_quotes, start=1):
        where = f"{doc_id}: quote {k}"
        if not isinstance(q, dict) or not isinstance(q.get("text"), str):
            raise GoldError(f"{where} needs a 'text'")
        targets = q.get("targets") or {}
        if not isinstance(targets, dict):
            raise GoldError(f"{where}: 'targets' must be an object")
        quotes.append(
            GoldQuote(
                text=q["text"],
                speaker=_optional_str(q.get("speaker"), f"{where}: 'speaker'"),
                speaker_country=_optional_str(
                    q.get("speaker_country"), f"{where}: 'speaker_country'"
                ),
                tone=_tone_value(q.get("tone"), f"{where}: 'tone'"),
                targets={
                    actor: value
                    for actor, raw in targets.items()
                    if (value := _tone_value(raw, f"{where}: target {actor}")) is not None
                },
            )
        )
    return GoldDocument(
        doc_id=str(doc_id),
        text=text,
        meta=meta,
        date=_optional_str(gold.get("date"), f"{doc_id}: 'gold.date'"),
        mentions=frozenset(mentions),
        quotes=tuple(quotes),
    )


def load_gold(path: Path) -> list[GoldDocument]:
    """Every line of a reference file; GoldError naming the first bad line."""
    try:
        content = path.read_text(encoding="utf-8-sig")
    except FileNotFoundError:
        raise GoldError(f"no such file: {path}") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise GoldError(f"cannot read {path}: {exc}") from None
    documents = []
    for number, line in enumerate(content.splitlines(), start=1):
        if not line.strip():
            continue
        try:
            documents.append(parse_gold_record(json.loads(line)))
        except json.JSONDecodeError as exc:
            raise GoldError(
                f"{path} line {number}: malformed JSON: {exc.msg} (column {exc.colno})"
            ) from None
        except GoldError as exc:
            raise GoldError(f"{path} line {number}: {exc}") from None
    if not documents:
        raise GoldError(f"{path}: no reference documents in the file")
    return documents


def raw_document(gold: GoldDocument):
    """The RawDocument ingest would build from this line's text and meta (same reader rules)."""
    from dashboard.readers import ReaderError, record_to_document

    try:
        raw = record_to_document(
            {**gold.meta, "text": gold.text}, Path(f"eval:{gold.doc_id}"), "jsonl"
        )
    except ReaderError as exc:
        raise ReaderError(f"{gold.doc_id}: {exc}") from None
    return replace(raw, source_path=f"eval:{gold.doc_id}")


def _empty_extraction() -> ExtractedDocument:
    return ExtractedDocument(
        date=None, date_source="none", doc_type="reported", statements=[], mentions=[]
    )


def run_extraction(golds: Sequence[GoldDocument], reference=None) -> Report:
    """Extract every document, timing extraction alone, and score it.

    A document whose extraction raises scores as an empty extraction (every quote missed),
    and the failure is listed in the details: a crash must not look like a good score.
    """
    from dashboard.extract import extract_document
    from dashboard.reference import default_reference

    ref = reference or default_reference()
    report = Report()
    for gold in golds:
        raw = raw_document(gold)
        started = time.perf_counter()
        failure = None
        try:
            extracted = extract_document(raw, ref)
        except Exception as exc:  # one failing document is a score of zero, not a crash
            extracted, failure = _empty_extraction(), f"{type(exc).__name__}: {exc}"
        report.seconds += time.perf_counter() - started
        report.text_bytes += len(raw.text.encode("utf-8"))
        score_document(report, gold, extracted)
        report.errors[-1].failure = failure
    return report


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="python -m dashboard eval",
        description="Score extraction against a reference file in the shared eval format "
        "(quotes, attribution, mentions, tone, targets, dates).",
    )
    parser.add_argument(
        "gold",
        type=Path,
        metavar="GOLD.jsonl",
        help="reference annotations, one JSON object a line",
    )
    parser.add_argument(
        "--json",
        action="store_true",
        help="print one JSON object with the scores instead of a table",
    )
    parser.add_argument(
        "--details",
        action="store_true",
        help="also list every miss per document (to stderr with --json)",
    )
    return parser


def run_cli(argv: list[str]) -> int:
    """``python -m dashboard eval GOLD.jsonl [--json] [--details]``; returns the exit code."""
    try:
        args = build_parser().parse_args(argv)
    except SystemExit as exc:  # --help or a usage error: argparse has printed the message
        return int(exc.code or 0)
    try:
        golds = load_gold(args.gold)
    except GoldError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    from dashboard.readers import ReaderError

    try:
        report = run_extraction(golds)
    except ReaderError as exc:  # a meta field the readers reject (bad date, doc_type)
        print(f"error: {args.gold}: {exc}", file=sys.stderr)
        return 2
    except ImportError as exc:
        print(f"error: extraction is not available: {exc}", file=sys.stderr)
        return 1
    failures = [e for e in report.errors if e.failure]
    if failures:
        print(
            f"warning: extraction failed on {len(failures)} document(s); scored as empty",
            file=sys.stderr,
        )
    if args.json:
        print(json.dumps(report_json(report)))
        if args.details:
            print(format_details(report), file=sys.stderr)
        return 0
    same = vader_scores([(text, gold) for gold, _, text in report.tone_pairs])
    every = vader_scores([(text, tone) for tone, text in report.gold_tones])
    print(format_table(report, str(args.gold), same, every))
    if args.details:
        print()
        print(format_details(report))
    return 0
