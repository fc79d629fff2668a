"""The tone model: statement tone and stance toward each actor, learnt from the labelled corpus.

Two small multinomial logistic models (numpy only, deterministic), trained by ``make train``
(``python -m dashboard train``) on the train split of ``data/labels/`` and tuned on its tune
split, never on its test split or on ``../shared/eval/``:

- **statement tone**: five classes (-2 hostile .. +2 warm) from the cue lexicon's evidence
  (its score, the positive and negative cue sums, cue counts) and the statement's vector from
  the static embedding table (``dashboard.embed``). The tone is the expected value of the five
  classes, rescaled to -1..+1 and kept in the band of the most probable of negative / neutral /
  positive; its confidence is that class's probability.
- **stance toward an actor**: three classes (negative, neutral, positive) from the lexicon's
  link for the actor (the cues it ties to the actor, split by whether the actor is their subject
  or their object), whether the actor is the speaker's own country, the statement's own tone,
  and the vector of the words around the actor's mentions.

The weights are in ``dashboard/models/tone_model.npz`` with what they were trained on in
``tone_model.json``. Without them (a fresh clone before ``make train`` has ever run — the
weights are committed, so only an edited checkout) the lexicon's numbers are used unchanged,
with a confidence that says so.
"""

from __future__ import annotations

import json
import math
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import numpy as np

from dashboard.embed import DIM, StaticEmbedder, default_embedder

MODEL_DIR = Path(__file__).resolve().parent / "models"
WEIGHTS = MODEL_DIR / "tone_model.npz"
META = MODEL_DIR / "tone_model.json"
TONE_CLASSES = (-2, -1, 0, 1, 2)
STANCE_CLASSES = (-1, 0, 1)
#: Characters either side of an actor's mention that make its window.
WINDOW_CHARS = 60
#: The band of "neutral" on the -1..+1 scale (the lexicon's and the charts' bands).
NEUTRAL = 0.1
#: Means on the charts use only tones and stances the model gives at least this probability.
CHART_MIN_CONFIDENCE = 0.5

STATEMENT_FEATURES = ("lex_score", "lex_pos", "lex_neg", "n_pos", "n_neg", "log_tokens", "question_mark")
STANCE_FEATURES = (
    "lex_toward", "pos_after", "pos_before", "neg_after", "neg_before", "object_marked", "own_country",
    "statement_tone", "p_neg", "p_neu", "p_pos", "lex_score", "n_actors", "log_mentions",
)  # fmt: skip


def lexicon_evidence(text: str, mentions, speaker_country: str | None, lexicon=None):
    """The cue lexicon's result for a statement and its mentions (``tone.score_text``)."""
    from dashboard.tone import score_text

    return score_text(text, [(m.actor, m.start, m.end) for m in mentions], lexicon,
                      speaker_country=speaker_country)  # fmt: skip


def _statement_head(text: str, lex) -> list[float]:
    tokens = max(1, text.count(" ") + 1)
    return [lex.score, lex.pos_sum, lex.neg_sum, math.log1p(lex.positive), math.log1p(lex.negative),
            math.log(tokens), float("?" in text)]  # fmt: skip


def statement_features(texts: list[str], lex: list, embedder: StaticEmbedder | None = None) -> np.ndarray:
    """One row per statement: the lexicon's evidence, then the statement's embedding."""
    if not texts:
        return np.zeros((0, len(STATEMENT_FEATURES) + DIM), dtype=np.float32)
    vectors = (embedder or default_embedder()).encode(texts)
    head = np.array([_statement_head(t, r) for t, r in zip(texts, lex, strict=True)], dtype=np.float32)
    return np.hstack([head, vectors])


def windows(text: str, spans: list[tuple[int, int]]) -> str:
    """The words around an actor's mentions, joined: what its window vector is made of."""
    return " ".join(text[max(0, a - WINDOW_CHARS) : b + WINDOW_CHARS] for a, b in spans)


def stance_features(text: str, mentions, speaker_country: str | None, lex, statement_proba: np.ndarray,
                    embedder: StaticEmbedder | None = None) -> dict[str, np.ndarray]:  # fmt: skip
    """One row per actor the statement mentions: the lexicon's link for it, whether it is the
    speaker's own country, the statement's own tone, and the words around its mentions."""
    spans: dict[str, list[tuple[int, int]]] = {}
    for m in mentions:
        spans.setdefault(m.actor, []).append((m.start, m.end))
    if not spans:
        return {}
    actors = list(spans)
    vectors = (embedder or default_embedder()).encode([windows(text, spans[a]) for a in actors])
    p = statement_proba
    tone, _conf = tone_from_proba(p)
    common = [float(p[:2].sum()), float(p[2]), float(p[3:].sum()), lex.score, float(len(actors))]
    rows = {}
    for actor, vector in zip(actors, vectors, strict=True):
        parts = lex.parts.get(actor, (0.0, 0.0, 0.0, 0.0, 0.0))
        head = [lex.toward.get(actor, 0.0), *parts, float(actor == speaker_country), tone, *common,
                math.log(len(spans[actor]))]  # fmt: skip
        rows[actor] = np.concatenate([np.array(head, dtype=np.float32), vector])
    return rows


@dataclass
class Softmax:
    """A multinomial logistic model on standardised features."""

    mean: np.ndarray
    scale: np.ndarray
    weights: np.ndarray  # (features, classes)
    bias: np.ndarray  # (classes,)

    def proba(self, x: np.ndarray) -> np.ndarray:
        z = ((x - self.mean) / self.scale) @ self.weights + self.bias
        z -= z.max(axis=1, keepdims=True)
        e = np.exp(z)
        return e / e.sum(axis=1, keepdims=True)


def fit_softmax(x: np.ndarray, y: np.ndarray, classes: int, l2: float, sample_weight: np.ndarray | None = None,
                iterations: int = 60) -> Softmax:  # fmt: skip
    """L2-regularised multinomial logistic regression by Newton's method (deterministic)."""
    x = np.asarray(x, dtype=np.float64)
    mean = x.mean(axis=0)
    scale = x.std(axis=0)
    scale[scale < 1e-6] = 1.0
    z = (x - mean) / scale
    n, d = z.shape
    xb = np.hstack([z, np.ones((n, 1))])
    w = np.zeros((d + 1, classes))
    onehot = np.eye(classes)[y]
    sw = np.ones(n) if sample_weight is None else np.asarray(sample_weight, dtype=np.float64)
    sw = sw * (n / sw.sum())
    reg = np.full(d + 1, l2)
    reg[-1] = 0.0  # the bias is not shrunk
    for _ in range(iterations):
        logits = xb @ w
        logits -= logits.max(axis=1, keepdims=True)
        p = np.exp(logits)
        p /= p.sum(axis=1, keepdims=True)
        grad = xb.T @ ((p - onehot) * sw[:, None]) + reg[:, None] * w
        # Hessian of the multinomial log-loss, (d+1)k square; small here (a few hundred features)
        k = classes
        hess = np.zeros(((d + 1) * k, (d + 1) * k))
        for a in range(k):
            for b in range(a, k):
                coef = sw * p[:, a] * ((a == b) - p[:, b])
                block = (xb * coef[:, None]).T @ xb
                hess[a::k, b::k] = block
                hess[b::k, a::k] = block
        hess += np.diag(np.repeat(reg, k)) + 1e-8 * np.eye((d + 1) * k)
        step = np.linalg.solve(hess, grad.reshape(-1))
        w -= step.reshape(d + 1, k)
        if np.abs(step).max() < 1e-6:
            break
    return Softmax(mean.astype(np.float32), scale.astype(np.float32), w[:-1].astype(np.float32),
                   w[-1].astype(np.float32))  # fmt: skip


def tone_from_proba(p: np.ndarray) -> tuple[float, float]:
    """(tone -1..+1, confidence) from the five class probabilities.

    The tone is the expected class over two, kept in the band of the most probable of
    negative / neutral / positive (so the band a chart shows is the class the model chose).
    """
    expected = float(np.dot(p, TONE_CLASSES)) / 2.0
    three = np.array([p[:2].sum(), p[2], p[3:].sum()])
    return _banded(expected, three)


def toward_from_proba(p: np.ndarray) -> tuple[float, float]:
    """(tone toward -1..+1, confidence) from the three stance probabilities."""
    return _banded(float(p[2] - p[0]), p)


def _banded(value: float, three: np.ndarray) -> tuple[float, float]:
    choice = int(np.argmax(three))
    if choice == 1:
        value = max(-NEUTRAL, min(NEUTRAL, value))
    elif choice == 0:
        value = min(value, -(NEUTRAL + 0.01))
    else:
        value = max(value, NEUTRAL + 0.01)
    return round(max(-1.0, min(1.0, value)), 4), round(float(three[choice]), 4)


@dataclass
class ToneModel:
    statement: Softmax
    stance: Softmax
    meta: dict
    embedder: StaticEmbedder

    def score(self, statements: list, lex_results: list) -> None:
        """Fill each statement's tone, band and confidence, and each mention's tone toward its
        actor with its confidence, from the lexicon's results (one per statement, in order)."""
        from dashboard.tone import band_for

        if not statements:
            return
        x = statement_features([st.text for st in statements], lex_results, self.embedder)
        proba = self.statement.proba(x)
        rows: list[np.ndarray] = []
        owners: list[tuple[object, str]] = []
        for st, lex, p in zip(statements, lex_results, proba, strict=True):
            st.tone, st.tone_confidence = tone_from_proba(p)
            st.tone_band = band_for(st.tone)
            for actor, row in stance_features(st.text, st.mentions, st.speaker_country, lex, p,
                                              self.embedder).items():  # fmt: skip
                rows.append(row)
                owners.append((st, actor))
        if not rows:
            return
        toward = {}
        for (st, actor), p in zip(owners, self.stance.proba(np.stack(rows)), strict=True):
            toward[id(st), actor] = toward_from_proba(p)
        for st in statements:
            for m in st.mentions:
                m.tone_toward, m.toward_confidence = toward[id(st), m.actor]


def save(model_statement: Softmax, model_stance: Softmax, meta: dict, folder: Path = MODEL_DIR) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    arrays = {}
    for name, m in (("statement", model_statement), ("stance", model_stance)):
        for field in ("mean", "scale", "weights", "bias"):
            arrays[f"{name}_{field}"] = getattr(m, field)
    np.savez_compressed(folder / WEIGHTS.name, **arrays)
    (folder / META.name).write_text(json.dumps(meta, indent=2, sort_keys=True) + "\n", encoding="utf-8")


def load(folder: Path = MODEL_DIR) -> ToneModel | None:
    weights, meta = folder / WEIGHTS.name, folder / META.name
    if not weights.is_file() or not meta.is_file():
        return None
    data = np.load(weights)
    parts = {}
    for name in ("statement", "stance"):
        parts[name] = Softmax(*(data[f"{name}_{f}"] for f in ("mean", "scale", "weights", "bias")))
    expected = {"statement": len(STATEMENT_FEATURES) + DIM, "stance": len(STANCE_FEATURES) + DIM}
    for name, m in parts.items():
        if m.weights.shape[0] != expected[name]:
            raise ValueError(f"{weights}: the {name} model has {m.weights.shape[0]} features, "
                             f"this code makes {expected[name]}; run `make train`")  # fmt: skip
    return ToneModel(parts["statement"], parts["stance"], json.loads(meta.read_text(encoding="utf-8")),
                     default_embedder())  # fmt: skip


@cache
def default_model() -> ToneModel | None:
    return load()
