"""Measure the tone scorer against reference annotations and against VADER.

    .venv/bin/python scripts/tone_check.py [--dev ../shared/eval/dev.jsonl]
                                            [--newsmtsc ../shared/external/newsmtsc] [--errors]

Reports, for the quotes of a file in the shared eval format: 3-class accuracy
and macro-F1 (negative < 0, neutral = 0, positive > 0), Spearman correlation
with the 5-point reference tone, and sign agreement of tone toward each
(quote, actor) pair whose actor is found in the quote by the aliases of
data/actors.csv. The same numbers for VADER (compound, thresholds +-0.05; its
sentence score stands in for every target). Then target-level macro-F1 on
NewsMTSC (labels 2 neg, 4 neu, 6 pos) and the speed in sentences per second, on
NewsMTSC sentences and on sentences of the shipped UN General Debate sample.
Nothing is written; texts are read from outside the repository and never copied.
"""

from __future__ import annotations

import argparse
import json
import re
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from dashboard.evaluate import accuracy, macro_f1, spearman  # noqa: E402
from dashboard.reference import default_reference  # noqa: E402
from dashboard.tone import score_text  # noqa: E402


def sign(x: float, eps: float = 0.0) -> int:
    return 0 if abs(x) <= eps else (1 if x > 0 else -1)


def alias_matcher():
    """One regex over every actor alias (case-sensitive, whole words, longest first)."""
    alias_to_code = {}
    for actor in default_reference().actors:
        for alias in (actor.name, *actor.aliases):
            alias_to_code.setdefault(alias, actor.code)
    pattern = "|".join(re.escape(a) for a in sorted(alias_to_code, key=len, reverse=True))
    rx = re.compile(rf"(?<!\w)(?:{pattern})(?!\w)")

    def find(text: str) -> list[tuple[str, int, int]]:
        return [(alias_to_code[m.group()], m.start(), m.end()) for m in rx.finditer(text)]

    return find


def load_quotes(path: Path) -> list[dict]:
    quotes = []
    for line in path.read_text(encoding="utf-8").splitlines():
        if line.strip():
            quotes.extend(json.loads(line)["gold"]["quotes"])
    return quotes


def vader():
    from vaderSentiment.vaderSentiment import SentimentIntensityAnalyzer

    analyzer = SentimentIntensityAnalyzer()
    return lambda text: analyzer.polarity_scores(text)["compound"]


def report_dev(path: Path, show_errors: bool) -> None:
    quotes = load_quotes(path)
    find = alias_matcher()
    compound = vader()
    gold5, ours, vad = [], [], []
    pairs_ours, pairs_vader, pairs_gold = [], [], []
    errors = []
    for q in quotes:
        targets = find(q["text"])
        res = score_text(q["text"], targets, speaker_country=q.get("speaker_country"))
        c = compound(q["text"])
        gold5.append(q["tone"])
        ours.append(res.score)
        vad.append(c)
        if sign(res.score) != sign(q["tone"]):
            errors.append((q["tone"], res.score, res.cues, q["text"][:160]))
        for actor, g in q["targets"].items():
            if actor in res.toward:
                pairs_gold.append(sign(g))
                pairs_ours.append(sign(res.toward[actor]))
                pairs_vader.append(sign(c, 0.05))
                if sign(g) != sign(res.toward[actor]) and show_errors:
                    errors.append((f"{actor}:{g}", res.toward[actor], res.cues, q["text"][:160]))
    g3 = [sign(t) for t in gold5]
    o3 = [sign(s) for s in ours]
    v3 = [sign(s, 0.05) for s in vad]
    n_targets = sum(len(q["targets"]) for q in quotes)
    print(
        f"dev: {len(quotes)} quotes; (quote, actor) pairs found by aliases: {len(pairs_gold)} of {n_targets}"
    )
    print(f"{'':8} {'acc':>6} {'macroF1':>8} {'spearman':>9} {'target sign':>12}")
    for name, p3, raw, pt in (("ours", o3, ours, pairs_ours), ("VADER", v3, vad, pairs_vader)):
        print(
            f"{name:8} {accuracy(g3, p3):6.3f} {macro_f1(g3, p3):8.3f} {spearman(raw, gold5):9.3f}"
            f" {accuracy(pairs_gold, pt):12.3f}"
        )
    if show_errors:
        for e in errors:
            print("  ", e)


def report_newsmtsc(folder: Path) -> None:
    compound = vader()
    for name in ("devtest_rw.jsonl", "devtest_mt.jsonl"):
        f = folder / name
        if not f.exists():
            continue
        gold, ours, vad = [], [], []
        for line in f.read_text(encoding="utf-8").splitlines():
            row = json.loads(line)
            text = row["sentence_normalized"]
            targets = [(str(i), t["from"], t["to"]) for i, t in enumerate(row["targets"])]
            res = score_text(text, targets)
            c = sign(compound(text), 0.05)
            for i, t in enumerate(row["targets"]):
                gold.append({2.0: -1, 4.0: 0, 6.0: 1}[t["polarity"]])
                ours.append(sign(res.toward[str(i)]))
                vad.append(c)
        print(
            f"NewsMTSC {name}: {len(gold)} targets; macro-F1 ours {macro_f1(gold, ours):.3f}"
            f" (acc {accuracy(gold, ours):.3f}), VADER {macro_f1(gold, vad):.3f} (acc {accuracy(gold, vad):.3f})"
        )


def sample_sentences(folder: Path, limit: int = 20_000) -> list[str]:
    """Sentences of the shipped UN General Debate sample, split as the project benchmark splits them."""
    out = []
    for f in sorted(folder.glob("*.txt")):
        text = f.read_text(encoding="utf-8")
        out.extend(s.strip() for s in text.split(". ") if len(s.split()) >= 5)
        if len(out) >= limit:
            break
    return out[:limit]


def report_sample_speed(folder: Path) -> None:
    sentences = sample_sentences(folder)
    if not sentences:
        return
    times = []
    for _ in range(3):
        t0 = time.perf_counter()
        for s in sentences:
            score_text(s)
        times.append(time.perf_counter() - t0)
    words = sum(len(s.split()) for s in sentences) / len(sentences)
    print(
        f"speed on {len(sentences):,} sample sentences: {len(sentences) / min(times):,.0f} sentences/s"
        f" (best of 3; first run {len(sentences) / times[0]:,.0f}; mean {words:.0f} words, one core)"
    )


def report_speed(folder: Path) -> None:
    f = folder / "train.jsonl"
    rows = [json.loads(line) for line in f.read_text(encoding="utf-8").splitlines()][:5000]
    items = [
        (
            r["sentence_normalized"],
            [(str(i), t["from"], t["to"]) for i, t in enumerate(r["targets"])],
        )
        for r in rows
    ]
    for text, targets in items:  # fill the per-word caches, as a long ingest would
        score_text(text, targets)
    for label, with_targets in (("without targets", False), ("with targets", True)):
        times = []
        for _ in range(3):
            t0 = time.perf_counter()
            for text, targets in items:
                score_text(text, targets if with_targets else ())
            times.append(time.perf_counter() - t0)
        dt = min(times)
        words = sum(len(t.split()) for t, _ in items) / len(items)
        print(
            f"speed {label}: {len(items) / dt:,.0f} sentences/s (mean {words:.0f} words, one core)"
        )


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--dev", type=Path, default=ROOT.parent / "shared" / "eval" / "dev.jsonl")
    ap.add_argument(
        "--newsmtsc", type=Path, default=ROOT.parent / "shared" / "external" / "newsmtsc"
    )
    ap.add_argument(
        "--errors", action="store_true", help="list the disagreements (for reading, not tuning)"
    )
    args = ap.parse_args(argv)
    if args.dev.exists():
        report_dev(args.dev, args.errors)
    if args.newsmtsc.exists():
        report_newsmtsc(args.newsmtsc)
        report_speed(args.newsmtsc)
    report_sample_speed(ROOT / "data" / "sample" / "ungdc" / "txt")


if __name__ == "__main__":
    main()
