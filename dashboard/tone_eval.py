"""Score the tone model against the lexicon, VADER and a trivial stance rule
(``python -m dashboard eval-tone``, part of ``make eval``).

Three kinds of reference, none of them trained on:

- the **test split** of the labelled corpus (``data/labels/statements.jsonl``): statements of
  the shipped sources that neither training nor tuning ever read;
- the **quotes of a file in the shared eval format** (``../shared/eval/dev.jsonl``): news and
  ministry posts of another kind, each quote scored on its own text with the reference's
  speaker country (extraction is scored by ``python -m dashboard eval``);
- **NewsMTSC** devtest (US news, how a sentence portrays a person): a check of transfer, not
  a target.

For statements: 3-class accuracy and macro-F1 (negative < 0, neutral, positive > 0) and
Spearman's correlation with the five-point reference. For stance: sign agreement over the
(statement, actor) pairs the reference labels and the mention finder also finds. The
**trivial rule** is "neutral toward the speaker's own country, the statement's own tone
toward everyone else", with the statement tone of the method in the same row (and, as an
oracle no method can use, with the reference tone).
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from dashboard import tone_model
from dashboard.evaluate import NEUTRAL_BAND, VADER_NEUTRAL_BAND, accuracy, macro_f1, spearman
from dashboard.extract.mentions import matcher_for
from dashboard.records import Mention
from dashboard.reference import default_reference
from dashboard.tone import load_lexicon

ROOT = Path(__file__).resolve().parent.parent
LABELS = ROOT / "data" / "labels" / "statements.jsonl"
DEV = ROOT.parent / "shared" / "eval" / "dev.jsonl"
NEWSMTSC = ROOT.parent / "shared" / "external" / "newsmtsc"
NEWSMTSC_POLARITY = {2.0: -1, 4.0: 0, 6.0: 1}


def sign(value: float, band: float = 0.0) -> int:
    return 0 if abs(value) <= band else (1 if value > 0 else -1)


@dataclass
class Item:
    """A reference statement: text, speaker country, five-point tone (or None), and the
    reference stance toward actors (codes, or span ids for NewsMTSC)."""

    text: str
    speaker_country: str | None
    tone: int | None
    targets: dict[str, int]
    spans: list[Mention] | None = None  # given spans (NewsMTSC); else the mention finder's


@dataclass
class Prediction:
    tone: float
    toward: dict[str, float] = field(default_factory=dict)
    confidence: float | None = None
    toward_confidence: dict[str, float] = field(default_factory=dict)


def labelled_items(path: Path = LABELS, split: str = "test") -> list[Item]:
    items = []
    with path.open(encoding="utf-8") as fh:
        for line in fh:
            r = json.loads(line)
            if r["split"] == split:
                items.append(Item(r["text"], r.get("speaker_country"), r["tone"], r.get("targets") or {}))
    return items


def dev_items(path: Path = DEV) -> list[Item]:
    items = []
    with path.open(encoding="utf-8") as fh:
        for line in fh:
            if line.strip():
                for q in json.loads(line)["gold"]["quotes"]:
                    if q.get("tone") is not None:
                        items.append(Item(q["text"], q.get("speaker_country"), q["tone"], q.get("targets") or {}))
    return items


def newsmtsc_items(path: Path) -> list[Item]:
    items = []
    with path.open(encoding="utf-8") as fh:
        for line in fh:
            row = json.loads(line)
            text = row["sentence_normalized"]
            spans, targets = [], {}
            for i, t in enumerate(row["targets"]):
                key = f"T{i}"
                spans.append(Mention(key, text[t["from"] : t["to"]], t["from"], t["to"]))
                targets[key] = NEWSMTSC_POLARITY[t["polarity"]]
            items.append(Item(text, None, None, targets, spans))
    return items


def mentions_of(items: Sequence[Item]) -> list[list[Mention]]:
    matcher = matcher_for(default_reference())
    return [it.spans if it.spans is not None else matcher.find(it.text) for it in items]


def predict_lexicon(items: Sequence[Item]) -> list[Prediction]:
    lexicon = load_lexicon()
    out = []
    for it, ms in zip(items, mentions_of(items), strict=True):
        r = tone_model.lexicon_evidence(it.text, ms, it.speaker_country, lexicon)
        out.append(Prediction(r.score, dict(r.toward)))
    return out


def predict_model(items: Sequence[Item], model: tone_model.ToneModel) -> list[Prediction]:
    from dashboard.records import Statement

    lexicon = load_lexicon()
    statements, lex = [], []
    for it, ms in zip(items, mentions_of(items), strict=True):
        mentions = [Mention(m.actor, m.surface, m.start, m.end) for m in ms]
        st = Statement("quote", it.text, 0, len(it.text), 0, len(it.text), speaker_country=it.speaker_country,
                       mentions=mentions)  # fmt: skip
        statements.append(st)
        lex.append(tone_model.lexicon_evidence(it.text, mentions, it.speaker_country, lexicon))
    model.score(statements, lex)
    return [
        Prediction(st.tone, {m.actor: m.tone_toward for m in st.mentions}, st.tone_confidence,
                   {m.actor: m.toward_confidence for m in st.mentions})  # fmt: skip
        for st in statements
    ]


def predict_vader(items: Sequence[Item]) -> list[Prediction] | None:
    try:
        from vaderSentiment.vaderSentiment import SentimentIntensityAnalyzer
    except ImportError:
        return None
    analyzer = SentimentIntensityAnalyzer()
    out = []
    for it, ms in zip(items, mentions_of(items), strict=True):
        c = analyzer.polarity_scores(it.text)["compound"]
        out.append(Prediction(c, {m.actor: c for m in ms}))  # its sentence score stands in for every target
    return out


def trivial(items: Sequence[Item], tones: Sequence[float]) -> list[Prediction]:
    """Neutral toward the speaker's own country, the statement's tone toward everyone else."""
    out = []
    for it, ms, t in zip(items, mentions_of(items), tones, strict=True):
        out.append(Prediction(t, {m.actor: (0.0 if m.actor == it.speaker_country else t) for m in ms}))
    return out


def scores(items: Sequence[Item], preds: Sequence[Prediction], band: float = NEUTRAL_BAND) -> dict:
    """Tone (where the reference has one) and stance sign agreement."""
    tone_items = [(it, p) for it, p in zip(items, preds, strict=True) if it.tone is not None]
    gold3 = [sign(it.tone) for it, _p in tone_items]
    pred3 = [sign(p.tone, band) for _it, p in tone_items]
    pairs = [(sign(g), sign(p.toward[a], band)) for it, p in zip(items, preds, strict=True)
             for a, g in it.targets.items() if a in p.toward]  # fmt: skip
    return {
        "n": len(tone_items),
        "accuracy": _r(accuracy(gold3, pred3)) if tone_items else None,
        "macro_f1": _r(macro_f1(gold3, pred3)) if tone_items else None,
        "spearman": _r(spearman([p.tone for _it, p in tone_items], [it.tone for it, _p in tone_items]))
        if tone_items else None,
        "stance_pairs": len(pairs),
        "stance_sign_agreement": _r(sum(g == p for g, p in pairs) / len(pairs)) if pairs else None,
        "stance_macro_f1": _r(macro_f1([g for g, _ in pairs], [p for _, p in pairs])) if pairs else None,
    }


def _r(v: float | None) -> float | None:
    return None if v is None else round(v, 3)


def evaluate_set(items: Sequence[Item], model: tone_model.ToneModel | None) -> dict[str, dict]:
    rows: dict[str, dict] = {}
    methods: list[tuple[str, Callable[[], list[Prediction] | None], float]] = []
    if model is not None:
        methods.append(("model", lambda: predict_model(items, model), NEUTRAL_BAND))
    methods.append(("lexicon", lambda: predict_lexicon(items), NEUTRAL_BAND))
    methods.append(("vader", lambda: predict_vader(items), VADER_NEUTRAL_BAND))
    predicted: dict[str, list[Prediction]] = {}
    for name, run, band in methods:
        preds = run()
        if preds is None:
            continue
        predicted[name] = preds
        rows[name] = scores(items, preds, band)
    first = "model" if "model" in predicted else "lexicon"
    rule = trivial(items, [p.tone for p in predicted[first]])
    rows[f"trivial rule ({first} tone)"] = {**scores(items, rule), **_no_tone()}
    if all(it.tone is not None for it in items):
        oracle = trivial(items, [float(it.tone) for it in items])
        rows["trivial rule (reference tone)"] = {**scores(items, oracle), **_no_tone()}
    if "model" in predicted:
        rows["model"]["confidence"] = confidence_report(items, predicted["model"])
    return rows


def _no_tone() -> dict:
    return {"accuracy": None, "macro_f1": None, "spearman": None}


def confidence_report(items: Sequence[Item], preds: Sequence[Prediction]) -> dict:
    """Is the confidence honest? Accuracy of the 3-class tone among statements above and
    below the chart threshold."""
    threshold = tone_model.CHART_MIN_CONFIDENCE
    hi = [(sign(it.tone) == sign(p.tone, NEUTRAL_BAND)) for it, p in zip(items, preds, strict=True)
          if it.tone is not None and (p.confidence or 0) >= threshold]  # fmt: skip
    lo = [(sign(it.tone) == sign(p.tone, NEUTRAL_BAND)) for it, p in zip(items, preds, strict=True)
          if it.tone is not None and (p.confidence or 0) < threshold]  # fmt: skip
    return {"threshold": threshold, "n_above": len(hi), "accuracy_above": _r(np.mean(hi)) if hi else None,
            "n_below": len(lo), "accuracy_below": _r(np.mean(lo)) if lo else None}  # fmt: skip


def run(labels: Path, dev: Path, newsmtsc: Path) -> dict:
    model = tone_model.default_model()
    report: dict[str, dict] = {}
    if labels.is_file():
        report["labels test split"] = evaluate_set(labelled_items(labels, "test"), model)
    if dev.is_file():
        report[f"{dev.name} quotes"] = evaluate_set(dev_items(dev), model)
    for name in ("devtest_rw", "devtest_mt"):
        path = newsmtsc / f"{name}.jsonl"
        if path.is_file():
            report[f"NewsMTSC {name}"] = evaluate_set(newsmtsc_items(path), model)
    return report


def format_report(report: dict) -> str:
    lines = []
    for dataset, rows in report.items():
        first = next(iter(rows.values()))
        lines.append(f"{dataset}: {first['n']} statements, {first['stance_pairs']} (statement, actor) pairs")
        lines.append(f"  {'method':<32}{'accuracy':>9}{'macro-F1':>9}{'Spearman':>9}{'stance sign':>12}"
                     f"{'stance F1':>10}")  # fmt: skip
        for name, s in rows.items():
            lines.append(
                f"  {name:<32}{_f(s['accuracy']):>9}{_f(s['macro_f1']):>9}{_f(s['spearman']):>9}"
                f"{_f(s['stance_sign_agreement']):>12}{_f(s['stance_macro_f1']):>10}"
            )
        conf = rows.get("model", {}).get("confidence")
        if conf:
            lines.append(
                f"  model confidence >= {conf['threshold']}: {conf['n_above']} statements, accuracy "
                f"{_f(conf['accuracy_above'])}; below: {conf['n_below']}, accuracy {_f(conf['accuracy_below'])}"
            )
        lines.append("")
    return "\n".join(lines)


def _f(v: float | None) -> str:
    return "–" if v is None else f"{v:.3f}"


def run_cli(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(prog="python -m dashboard eval-tone", description=__doc__.splitlines()[0])
    parser.add_argument("--labels", type=Path, default=LABELS, help="labelled corpus (its test split is scored)")
    parser.add_argument("--dev", type=Path, default=DEV, help="a file in the shared eval format")
    parser.add_argument("--newsmtsc", type=Path, default=NEWSMTSC, help="folder with NewsMTSC devtest files")
    parser.add_argument("--json", action="store_true", help="print the figures as JSON")
    args = parser.parse_args(argv)
    report = run(args.labels, args.dev, args.newsmtsc)
    if not report:
        print("error: no reference to score (no labelled corpus, eval file or NewsMTSC)", file=sys.stderr)
        return 2
    print(json.dumps(report, indent=2) if args.json else format_report(report))
    return 0
