"""Train the tone model on the labelled corpus (``make train``, ``python -m dashboard train``).

Reads ``data/labels/statements.jsonl`` (hand-labelled statements with fixed splits; see
``data/labels/README.md``). Hyper-parameters (the L2 penalty, class weighting) are chosen on
the ``tune`` split only; the chosen models are then refitted on ``train`` + ``tune`` and saved
to ``dashboard/models/tone_model.npz`` with what they were trained on in ``tone_model.json``.
The ``test`` split is never read here: ``python -m dashboard eval-tone`` scores it.

Everything is deterministic: fixed feature order, Newton's method from zero weights, no
random initialisation or sampling.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import sys
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from dashboard import tone_model
from dashboard.evaluate import macro_f1, spearman
from dashboard.extract.mentions import matcher_for
from dashboard.reference import default_reference
from dashboard.tone import load_lexicon

ROOT = Path(__file__).resolve().parent.parent
CORPUS = ROOT / "data" / "labels" / "statements.jsonl"
L2_GRID = (1.0, 3.0, 10.0, 30.0, 100.0, 300.0)
SIGN = ("negative", "neutral", "positive")


@dataclass
class Labelled:
    """One labelled statement: its text, who speaks for which country, and the labels."""

    id: str
    split: str
    text: str
    speaker_country: str | None
    tone: int  # -2..2
    targets: dict[str, int] = field(default_factory=dict)


def load_corpus(path: Path = CORPUS) -> list[Labelled]:
    rows = []
    with path.open(encoding="utf-8") as fh:
        for line in fh:
            if line.strip():
                r = json.loads(line)
                rows.append(Labelled(r["id"], r["split"], r["text"], r.get("speaker_country"), int(r["tone"]),
                                     {k: int(v) for k, v in (r.get("targets") or {}).items()}))  # fmt: skip
    return rows


def sign(v: float) -> int:
    return (v > 0) - (v < 0)


@dataclass
class Featurised:
    """Statement rows and stance rows of a set of labelled statements."""

    rows: list[Labelled]
    statement_x: np.ndarray
    tone_y: np.ndarray  # class index 0..4
    stance_x: list[np.ndarray]  # built once statement probabilities are known
    stance_y: np.ndarray  # 0 negative, 1 neutral, 2 positive
    stance_index: list[tuple[int, str]]  # (row, actor) of each stance example
    lex: list


def featurise(rows: Sequence[Labelled]) -> tuple[np.ndarray, list, list[list]]:
    """Statement features, lexicon results and mentions of each row (what ingest computes)."""
    lexicon = load_lexicon()
    matcher = matcher_for(default_reference())
    mentions = [matcher.find(r.text) for r in rows]
    lex = [tone_model.lexicon_evidence(r.text, ms, r.speaker_country, lexicon) for r, ms in zip(rows, mentions, strict=True)]
    x = tone_model.statement_features([r.text for r in rows], lex)
    return x, lex, mentions


def stance_set(rows, lex, mentions, proba) -> tuple[np.ndarray, np.ndarray, list[tuple[int, str]]]:
    """One example per (statement, labelled actor) the mention finder also found."""
    xs, ys, index = [], [], []
    for i, (r, ms) in enumerate(zip(rows, mentions, strict=True)):
        feats = tone_model.stance_features(r.text, ms, r.speaker_country, lex[i], proba[i])
        for actor, row in feats.items():
            if actor in r.targets:
                xs.append(row)
                ys.append(sign(r.targets[actor]) + 1)
                index.append((i, actor))
    dim = len(tone_model.STANCE_FEATURES) + tone_model.DIM
    return (np.stack(xs) if xs else np.zeros((0, dim), np.float32)), np.array(ys, dtype=int), index


def class_weights(y: np.ndarray, classes: int, balanced: bool) -> np.ndarray:
    if not balanced:
        return np.ones(len(y))
    counts = np.bincount(y, minlength=classes).astype(float)
    counts[counts == 0] = 1.0
    w = len(y) / (classes * counts)
    return w[y]


def tone_scores(gold: Sequence[int], predicted: Sequence[float]) -> dict:
    g = [SIGN[sign(t) + 1] for t in gold]
    p = [SIGN[sign(v) + 1] for v in predicted]
    return {"n": len(gold), "macro_f1": macro_f1(g, p), "spearman": spearman(list(predicted), list(gold)),
            "accuracy": sum(a == b for a, b in zip(g, p, strict=True)) / len(g) if g else None}  # fmt: skip


def _fit_statement(x, y, l2, balanced):
    return tone_model.fit_softmax(x, y, len(tone_model.TONE_CLASSES), l2, class_weights(y, 5, balanced))


def _fit_stance(x, y, l2, balanced):
    return tone_model.fit_softmax(x, y, len(tone_model.STANCE_CLASSES), l2, class_weights(y, 3, balanced))


def choose(fit, x_train, y_train, x_tune, score, grid=L2_GRID) -> tuple[dict, list[dict]]:
    """The (l2, balanced) with the best tune score, and every setting's score."""
    tried = []
    for balanced in (False, True):
        for l2 in grid:
            model = fit(x_train, y_train, l2, balanced)
            tried.append({"l2": l2, "balanced": balanced, **score(model, x_tune)})
    best = max(tried, key=lambda t: (round(t["objective"], 6), -t["l2"]))
    return best, tried


def train(corpus: Path = CORPUS, out: Path = tone_model.MODEL_DIR, quiet: bool = False) -> dict:
    rows = [r for r in load_corpus(corpus) if r.split in ("train", "tune")]
    say = (lambda *a: None) if quiet else (lambda *a: print(*a, file=sys.stderr))
    say(f"featurising {len(rows)} labelled statements (train + tune; the test split is not read)")
    x, lex, mentions = featurise(rows)
    y = np.array([t + 2 for t in (r.tone for r in rows)], dtype=int)
    tr = np.array([r.split == "train" for r in rows])
    tu = ~tr

    def statement_objective(model, xt):
        proba = model.proba(xt)
        tones = [tone_model.tone_from_proba(p)[0] for p in proba]
        s = tone_scores([rows[i].tone for i in np.flatnonzero(tu)], tones)
        return {**s, "objective": (s["macro_f1"] or 0) + (s["spearman"] or 0)}

    best_s, tried_s = choose(_fit_statement, x[tr], y[tr], x[tu], statement_objective)
    say(f"statement model: l2={best_s['l2']} balanced={best_s['balanced']} tune macro-F1 "
        f"{best_s['macro_f1']:.3f} Spearman {best_s['spearman']:.3f}")  # fmt: skip

    # The stance model sees the statement model's probabilities: out-of-fold ones on train (so it
    # learns how far to trust them on unseen text), the train-fitted model's on tune.
    proba = np.zeros((len(rows), 5))
    folds = _folds(rows, tr, k=5)
    for fold in range(5):
        held = tr & (folds == fold)
        fit_on = tr & (folds != fold)
        proba[held] = _fit_statement(x[fit_on], y[fit_on], best_s["l2"], best_s["balanced"]).proba(x[held])
    proba[tu] = _fit_statement(x[tr], y[tr], best_s["l2"], best_s["balanced"]).proba(x[tu])
    sx, sy, sindex = stance_set(rows, lex, mentions, proba)
    s_tr = np.array([rows[i].split == "train" for i, _a in sindex])

    def stance_objective(model, xt):
        pred = np.argmax(model.proba(xt), axis=1)
        gold = sy[~s_tr]
        agree = float(np.mean(pred == gold)) if len(gold) else 0.0
        f1 = macro_f1([SIGN[g] for g in gold], [SIGN[p] for p in pred]) or 0.0
        return {"n": int(len(gold)), "sign_agreement": agree, "macro_f1": f1, "objective": agree + 0.5 * f1}

    best_t, tried_t = choose(_fit_stance, sx[s_tr], sy[s_tr], sx[~s_tr], stance_objective)
    say(f"stance model: l2={best_t['l2']} balanced={best_t['balanced']} tune sign agreement "
        f"{best_t['sign_agreement']:.3f} on {best_t['n']} pairs")  # fmt: skip

    # Refit on train + tune with the chosen settings. The stance model's statement probabilities
    # are out-of-fold over train + tune, as above.
    statement = _fit_statement(x, y, best_s["l2"], best_s["balanced"])
    everything = np.ones(len(rows), dtype=bool)
    folds = _folds(rows, everything, k=5)
    for fold in range(5):
        held = folds == fold
        proba[held] = _fit_statement(x[~held], y[~held], best_s["l2"], best_s["balanced"]).proba(x[held])
    sx, sy, _ = stance_set(rows, lex, mentions, proba)
    stance = _fit_stance(sx, sy, best_t["l2"], best_t["balanced"])
    meta = {
        "corpus": str(corpus.relative_to(ROOT)) if corpus.is_relative_to(ROOT) else corpus.name,
        "corpus_sha256": hashlib.sha256(corpus.read_bytes()).hexdigest(),
        "trained_on": {"statements": len(rows), "train": int(tr.sum()), "tune": int(tu.sum()),
                       "stance_pairs": int(len(sy))},  # fmt: skip
        "statement": {k: best_s[k] for k in ("l2", "balanced")},
        "stance": {k: best_t[k] for k in ("l2", "balanced")},
        "tune_scores": {"statement": _rounded(best_s), "stance": _rounded(best_t)},
        "features": {"statement": list(tone_model.STATEMENT_FEATURES) + [f"embedding[{tone_model.DIM}]"],
                     "stance": list(tone_model.STANCE_FEATURES) + [f"window_embedding[{tone_model.DIM}]"]},
        "embedding": "dashboard/models/minilm_static (see its README)",
        "tried": {"statement": [_rounded(t) for t in tried_s], "stance": [_rounded(t) for t in tried_t]},
    }  # fmt: skip
    tone_model.save(statement, stance, meta, out)
    say(f"saved {out / tone_model.WEIGHTS.name}")
    return meta


def _folds(rows: Sequence[Labelled], mask: np.ndarray, k: int) -> np.ndarray:
    """A fold number per row, by a hash of the row's document (rows of one document share it)."""
    folds = np.full(len(rows), -1)
    for i, r in enumerate(rows):
        if mask[i]:
            doc = r.id.rsplit(":", 1)[0].split(":q")[0]
            folds[i] = int(hashlib.sha256(doc.encode()).hexdigest()[:8], 16) % k
    return folds


def _rounded(d: dict) -> dict:
    return {k: round(v, 4) if isinstance(v, float) else v for k, v in d.items()}


def run_cli(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(prog="python -m dashboard train", description=__doc__.splitlines()[0])
    parser.add_argument("--corpus", type=Path, default=CORPUS, help="labelled statements (JSON lines)")
    parser.add_argument("--out", type=Path, default=tone_model.MODEL_DIR, help="folder for the weights")
    args = parser.parse_args(argv)
    if not args.corpus.is_file():
        print(f"error: no labelled corpus at {args.corpus}", file=sys.stderr)
        return 2
    meta = train(args.corpus, args.out)
    print(json.dumps(meta["tune_scores"], indent=2))
    return 0
