"""Train the tone model on the labelled corpus (``make train``, ``python -m dashboard train``).

Reads ``data/labels/statements.jsonl`` (hand-labelled statements with fixed splits; see
``data/labels/README.md``). Settings (the L2 penalty, class weighting) are chosen by the score
on the ``tune`` split of models fitted to ``train``; the chosen models are then refitted on
``train`` + ``tune`` and saved to ``dashboard/models/`` with what they were trained on. The
``test`` split is never read here: ``python -m dashboard eval-tone`` scores it.

The stance model sees the statement model's probabilities as they would be on unseen text: out
of fold, from statement models fitted without the statement's document.

Everything is deterministic: folds by a hash of the document, Newton's method from zero
weights, no random initialisation or sampling.
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

from dashboard import tone_model as tm
from dashboard.embed import basic_tokens, default_embedder
from dashboard.evaluate import macro_f1, spearman
from dashboard.extract.mentions import matcher_for
from dashboard.reference import default_reference
from dashboard.tone import load_lexicon

ROOT = Path(__file__).resolve().parent.parent
CORPUS = ROOT / "data" / "labels" / "statements.jsonl"
STATEMENT_GRID = (30.0, 100.0, 300.0, 1000.0)
STANCE_GRID = (1.0, 10.0, 100.0, 1000.0)
HEAD_L2 = 1.0  # the few lexicon and word-evidence features are barely shrunk
FOLDS = 5
SIGN = ("negative", "neutral", "positive")


@dataclass
class Labelled:
    """One labelled statement: its text, who speaks for which country, and the labels."""

    id: str
    doc: str
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
                rows.append(Labelled(r["id"], f"{r['source']}:{r['doc']}", r["split"], r["text"],
                                     r.get("speaker_country"), int(r["tone"]),
                                     {k: int(v) for k, v in (r.get("targets") or {}).items()}))  # fmt: skip
    return rows


def sign(v: float) -> int:
    return (v > 0) - (v < 0)


def fold_of(doc: str, k: int = FOLDS, salt: str = "") -> int:
    return int(hashlib.sha256(f"{salt}{doc}".encode()).hexdigest()[:8], 16) % k


def tone_scores(gold: Sequence[int], predicted: Sequence[float]) -> dict:
    """3-class scores of predicted tones (-1..+1, neutral within the band) against 5-point labels."""
    g = [SIGN[sign(t) + 1] for t in gold]
    p = [SIGN[sign(v) + 1] if abs(v) > tm.NEUTRAL else SIGN[1] for v in predicted]
    return {"n": len(gold), "macro_f1": macro_f1(g, p), "spearman": spearman(list(predicted), list(gold)),
            "accuracy": sum(a == b for a, b in zip(g, p, strict=True)) / len(g) if g else None}  # fmt: skip


def class_weights(y: np.ndarray, classes: int, balanced: bool) -> np.ndarray:
    if not balanced:
        return np.ones(len(y))
    counts = np.bincount(y, minlength=classes).astype(float)
    counts[counts == 0] = 1.0
    return (len(y) / (classes * counts))[y]


class Corpus:
    """The labelled rows with everything that does not depend on labels computed once: the
    lexicon's results, the mentions and the embeddings."""

    def __init__(self, rows: Sequence[Labelled]) -> None:
        lexicon = load_lexicon()
        matcher = matcher_for(default_reference())
        self.rows = list(rows)
        self.mentions = [matcher.find(r.text) for r in self.rows]
        self.lex = [tm.lexicon_evidence(r.text, ms, r.speaker_country, lexicon)
                    for r, ms in zip(self.rows, self.mentions, strict=True)]  # fmt: skip
        self.x = tm.statement_features(
            [r.text for r in self.rows], self.lex,
            default_embedder().encode_words([basic_tokens(r.text) for r in self.rows], tm.EMBED_DIMS),
        )  # fmt: skip
        self.y = np.array([r.tone + 2 for r in self.rows], dtype=int)
        self.docs = [r.doc for r in self.rows]
        # stance examples: one per (statement, labelled actor) the mention finder also finds
        self.pairs: list[tuple[int, str]] = []
        for i, (r, ms) in enumerate(zip(self.rows, self.mentions, strict=True)):
            for actor in tm.actor_spans(ms):
                if actor in r.targets:
                    self.pairs.append((i, actor))
        self.pair_y = np.array([sign(self.rows[i].targets[a]) + 1 for i, a in self.pairs], dtype=int)

    def fit_statement(self, idx: Sequence[int], l2: float, balanced: bool) -> tm.Softmax:
        idx = list(idx)
        y = self.y[idx]
        return tm.fit_softmax(self.x[idx], y, 5, l2, class_weights(y, 5, balanced),
                              head=len(tm.STATEMENT_FEATURES), head_l2=HEAD_L2)  # fmt: skip

    def statement_proba_out_of_fold(self, idx: Sequence[int], l2: float, balanced: bool) -> np.ndarray:
        """Each row's probabilities from a statement model fitted without its document's fold."""
        idx = list(idx)
        folds = np.array([fold_of(self.docs[i]) for i in idx])
        proba = np.zeros((len(idx), 5))
        for f in range(FOLDS):
            held = folds == f
            model = self.fit_statement([i for i, h in zip(idx, held, strict=True) if not h], l2, balanced)
            proba[held] = model.proba(self.x[[i for i, h in zip(idx, held, strict=True) if h]])
        return proba

    def stance_x(self, pidx: Sequence[int], proba: dict[int, np.ndarray]) -> np.ndarray:
        rows = []
        for p in pidx:
            i, actor = self.pairs[p]
            tone = tm.tone_from_proba(proba[i])[0]
            rows.append(tm.stance_features(self.mentions[i], self.rows[i].speaker_country, self.lex[i],
                                           proba[i], tone)[actor])  # fmt: skip
        return np.stack(rows) if rows else np.zeros((0, len(tm.STANCE_FEATURES)), dtype=np.float32)


def _choose(tried: list[dict]) -> dict:
    return max(tried, key=lambda t: (round(t["objective"], 6), -t["l2"]))


def train(corpus: Path = CORPUS, out: Path = tm.MODEL_DIR, quiet: bool = False) -> dict:
    say = (lambda *a: None) if quiet else (lambda *a: print(*a, file=sys.stderr, flush=True))
    rows = [r for r in load_corpus(corpus) if r.split in ("train", "tune")]
    say(f"reading {len(rows)} labelled statements (train + tune; the test split is not read)")
    c = Corpus(rows)
    train_idx = [i for i, r in enumerate(rows) if r.split == "train"]
    tune_idx = [i for i, r in enumerate(rows) if r.split == "tune"]

    tried_s = []
    for balanced in (True, False):
        for l2 in STATEMENT_GRID:
            model = c.fit_statement(train_idx, l2, balanced)
            tones = tm.tones_from_proba(model.proba(c.x[tune_idx]))[0].tolist()
            s = tone_scores([rows[i].tone for i in tune_idx], tones)
            tried_s.append({"l2": l2, "balanced": balanced, **s, "objective": s["macro_f1"] + s["spearman"]})
            say(f"  statement l2={l2:g} balanced={balanced}: tune macro-F1 {s['macro_f1']:.3f}, "
                f"Spearman {s['spearman']:.3f}")  # fmt: skip
    best_s = _choose(tried_s)

    # Statement probabilities for the stance model, out of fold over train + tune.
    everything = list(range(len(rows)))
    proba_all = c.statement_proba_out_of_fold(everything, best_s["l2"], best_s["balanced"])
    proba = {i: proba_all[n] for n, i in enumerate(everything)}
    train_pairs = [p for p, (i, _a) in enumerate(c.pairs) if rows[i].split == "train"]
    tune_pairs = [p for p, (i, _a) in enumerate(c.pairs) if rows[i].split == "tune"]
    x_tr, x_tu = c.stance_x(train_pairs, proba), c.stance_x(tune_pairs, proba)
    tried_t = []
    for balanced in (True, False):
        for l2 in STANCE_GRID:
            y_tr = c.pair_y[train_pairs]
            m = tm.fit_softmax(x_tr, y_tr, 3, l2, class_weights(y_tr, 3, balanced))
            pred = np.argmax(m.proba(x_tu), axis=1)
            gold = c.pair_y[tune_pairs]
            agree = float(np.mean(pred == gold))
            f1 = macro_f1([SIGN[g] for g in gold], [SIGN[p] for p in pred]) or 0.0
            tried_t.append({"l2": l2, "balanced": balanced, "n": len(gold), "sign_agreement": agree,
                            "macro_f1": f1, "objective": agree + f1})  # fmt: skip
            say(f"  stance l2={l2:g} balanced={balanced}: tune sign agreement {agree:.3f}, macro-F1 {f1:.3f}")
    best_t = _choose(tried_t)

    # Refit on train + tune with the chosen settings.
    statement = c.fit_statement(everything, best_s["l2"], best_s["balanced"])
    stance = tm.fit_softmax(c.stance_x(range(len(c.pairs)), proba), c.pair_y, 3, best_t["l2"],
                            class_weights(c.pair_y, 3, best_t["balanced"]))  # fmt: skip
    meta = {
        "corpus": str(corpus.relative_to(ROOT)) if corpus.is_relative_to(ROOT) else corpus.name,
        "corpus_sha256": hashlib.sha256(corpus.read_bytes()).hexdigest(),
        "trained_on": {"statements": len(rows), "train": len(train_idx), "tune": len(tune_idx),
                       "stance_pairs": len(c.pairs)},  # fmt: skip
        "statement": {k: best_s[k] for k in ("l2", "balanced")} | {"head_l2": HEAD_L2},
        "stance": {k: best_t[k] for k in ("l2", "balanced")},
        "tune_scores": {"statement": _rounded(best_s), "stance": _rounded(best_t)},
        "features": {"statement": [*tm.STATEMENT_FEATURES, f"embedding[{tm.EMBED_DIMS}]"],
                     "stance": list(tm.STANCE_FEATURES)},  # fmt: skip
        "embedding": "dashboard/models/minilm_static (see its README)",
        "tried": {"statement": [_rounded(t) for t in tried_s], "stance": [_rounded(t) for t in tried_t]},
    }  # fmt: skip
    tm.save(statement, stance, meta, out)
    say(f"saved {out / tm.WEIGHTS.name}")
    return meta


def _rounded(d: dict) -> dict:
    return {k: round(v, 4) if isinstance(v, float) else v for k, v in d.items()}


def run_cli(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(prog="python -m dashboard train", description=__doc__.splitlines()[0])
    parser.add_argument("--corpus", type=Path, default=CORPUS, help="labelled statements (JSON lines)")
    parser.add_argument("--out", type=Path, default=tm.MODEL_DIR, help="folder for the weights")
    args = parser.parse_args(argv)
    if not args.corpus.is_file():
        print(f"error: no labelled corpus at {args.corpus}", file=sys.stderr)
        return 2
    meta = train(args.corpus, args.out)
    print(json.dumps(meta["tune_scores"], indent=2))
    return 0
