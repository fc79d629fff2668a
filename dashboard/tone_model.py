"""The tone model: statement tone and stance toward each actor, learnt from the labelled corpus.

Two small multinomial logistic models (numpy only, deterministic), trained by ``make train``
(``python -m dashboard train``, in ``dashboard.train``) on the labelled corpus in
``data/labels/``, tuned on its tune split, never fitted to its test split or to ``../shared/eval/``:

- **statement tone**, five classes (-2 hostile .. +2 warm), from the cue lexicon's evidence (its
  score, the positive and negative cue sums and counts, the length, a question mark) and the
  statement's vector from the static embedding table (``dashboard.embed``, its 128 leading
  principal components). The tone is the expected value of the five classes over two, kept in
  the band of the most probable of negative / neutral / positive; its **confidence** is that
  class's probability.
- **stance toward an actor**, three classes (negative, neutral, positive), from the lexicon's
  link for the actor — the cues it ties to the actor through the actor's span and its clause and
  sentence, split by whether the actor comes before the cue (its subject: "Baku violated") or
  after it (its object: "aggression against Armenia"), and whether an object marker governs the
  mention — whether the actor is the speaker's own country, the statement's tone and class
  probabilities (also as they apply to actors other than the own country), and how many actors
  the statement names.

Tried and left out, because they scored higher on the tune split of the corpus but lower on
quotes of another kind (``docs/tone.md``): word evidence (how much more often each word occurs
in negative or positive labelled statements) for the statement and for the words around an
actor; it learns the subjects of the training speeches (war, occupation) rather than stance.

The weights (``dashboard/models/tone_model.npz``) and what they were trained on
(``tone_model.json``) are committed. Without them the lexicon's numbers are used unchanged,
with no confidence.
"""

from __future__ import annotations

import json
import math
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import numpy as np

from dashboard.embed import StaticEmbedder, basic_tokens, default_embedder

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
#: Leading principal components of the embedding the statement model reads (of its 256: on the
#: tune folds 128 score as well as 256, at half the cost).
EMBED_DIMS = 128

STATEMENT_FEATURES = ("lex_score", "lex_pos", "lex_neg", "n_pos", "n_neg", "log_tokens", "question_mark")
STANCE_FEATURES = (
    "lex_toward", "pos_after", "pos_before", "neg_after", "neg_before", "object_marked", "own_country",
    "statement_tone", "p_neg", "p_neu", "p_pos", "lex_score", "n_actors", "log_mentions",
    "other_tone", "other_p_neg", "other_p_pos", "lex_toward_pos", "lex_toward_neg",
)  # fmt: skip


def lexicon_evidence(text: str, mentions, speaker_country: str | None, lexicon=None):
    """The cue lexicon's result for a statement and its mentions (``tone.score_text``)."""
    from dashboard.tone import score_text

    return score_text(text, [(m.actor, m.start, m.end) for m in mentions], lexicon,
                      speaker_country=speaker_country)  # fmt: skip


def lexicon_head(text: str, lex) -> list[float]:
    tokens = max(1, text.count(" ") + 1)
    return [lex.score, lex.pos_sum, lex.neg_sum, math.log1p(lex.positive), math.log1p(lex.negative),
            math.log(tokens), float("?" in text)]  # fmt: skip


def statement_features(texts: Sequence[str], lex: Sequence, vectors: np.ndarray) -> np.ndarray:
    """One row per statement: the lexicon's evidence, then the embedding."""
    if not len(texts):
        return np.zeros((0, len(STATEMENT_FEATURES) + EMBED_DIMS), dtype=np.float32)
    head = np.array([lexicon_head(t, r) for t, r in zip(texts, lex, strict=True)], dtype=np.float32)
    return np.hstack([head, vectors])


def actor_spans(mentions) -> dict[str, list[tuple[int, int]]]:
    spans: dict[str, list[tuple[int, int]]] = {}
    for m in mentions:
        spans.setdefault(m.actor, []).append((m.start, m.end))
    return spans


def stance_features(mentions, speaker_country: str | None, lex, statement_proba: np.ndarray,
                    tone: float) -> dict[str, np.ndarray]:  # fmt: skip
    """One row per actor the statement mentions (see the module's docstring)."""
    spans = actor_spans(mentions)
    return {actor: np.array(stance_head(actor, len(spans), len(ss), speaker_country, lex, statement_proba, tone),
                            dtype=np.float32)
            for actor, ss in spans.items()}  # fmt: skip


def stance_head(actor: str, n_actors: int, n_mentions: int, speaker_country: str | None, lex,
                p: np.ndarray, tone: float) -> list[float]:  # fmt: skip
    """The stance features that do not come from words: the lexicon's link for the actor, whether
    it is the speaker's own, the statement's tone and class probabilities."""
    p_neg, p_neu, p_pos = float(p[0] + p[1]), float(p[2]), float(p[3] + p[4])
    own = float(actor == speaker_country)
    toward = lex.toward.get(actor, 0.0)
    parts = lex.parts.get(actor, (0.0, 0.0, 0.0, 0.0, 0.0))
    return [toward, *parts, own, tone, p_neg, p_neu, p_pos, lex.score, float(n_actors), math.log(n_mentions),
            tone * (1 - own), p_neg * (1 - own), p_pos * (1 - own), float(toward > NEUTRAL),
            float(toward < -NEUTRAL)]  # fmt: skip


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
                iterations: int = 60, head: int = 0, head_l2: float | None = None) -> Softmax:  # fmt: skip
    """L2-regularised multinomial logistic regression by Newton's method (deterministic).

    The first ``head`` features (the lexicon's and the word evidence) may get their own, usually
    smaller, penalty ``head_l2``: a few strong features beside a few hundred embedding dimensions.
    """
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
    if head and head_l2 is not None:
        reg[:head] = head_l2
    reg[-1] = 0.0  # the bias is not shrunk
    k = classes
    for _ in range(iterations):
        logits = xb @ w
        logits -= logits.max(axis=1, keepdims=True)
        p = np.exp(logits)
        p /= p.sum(axis=1, keepdims=True)
        grad = xb.T @ ((p - onehot) * sw[:, None]) + reg[:, None] * w
        # Hessian of the multinomial log-loss, (d+1)k square: small here (a few hundred features)
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
    """(tone -1..+1, confidence) from the five class probabilities (``tones_from_proba`` of one)."""
    tones, conf = tones_from_proba(np.asarray(p)[None, :])
    return float(tones[0]), float(conf[0])


def tones_from_proba(p: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Tones -1..+1 and confidences from rows of five class probabilities.

    The tone is the expected class over two, kept in the band of the most probable of
    negative / neutral / positive (so the band a chart shows is the class the model chose); the
    confidence is that class's probability.
    """
    p = np.asarray(p, dtype=np.float64)  # float32 would put a clipped 0.1 just outside the neutral band
    expected = p @ np.array(TONE_CLASSES, dtype=np.float64) / 2.0
    three = np.stack([p[:, 0] + p[:, 1], p[:, 2], p[:, 3] + p[:, 4]], axis=1)
    return _banded(expected, three)


def toward_from_proba(p: np.ndarray) -> tuple[float, float]:
    """(tone toward -1..+1, confidence) from the three stance probabilities."""
    tones, conf = towards_from_proba(np.asarray(p)[None, :])
    return float(tones[0]), float(conf[0])


def towards_from_proba(p: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Tones toward -1..+1 (P(positive) - P(negative), kept in the chosen band) and confidences."""
    p = np.asarray(p, dtype=np.float64)
    return _banded(p[:, 2] - p[:, 0], p)


def _banded(value: np.ndarray, three: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    choice = np.argmax(three, axis=1)
    value = np.where(choice == 1, np.clip(value, -NEUTRAL, NEUTRAL), value)
    value = np.where(choice == 0, np.minimum(value, -(NEUTRAL + 0.01)), value)
    value = np.where(choice == 2, np.maximum(value, NEUTRAL + 0.01), value)
    confidence = three[np.arange(len(three)), choice]
    return np.round(np.clip(value, -1.0, 1.0), 4), np.round(confidence, 4)


@dataclass
class ToneModel:
    statement: Softmax
    stance: Softmax
    meta: dict
    embedder: StaticEmbedder

    def statement_proba(self, texts: Sequence[str], lex_results: Sequence) -> np.ndarray:
        vectors = self.embedder.encode_words([basic_tokens(t) for t in texts], EMBED_DIMS)
        return self.statement.proba(statement_features(texts, lex_results, vectors))

    def score(self, statements: list, lex_results: list) -> None:
        """Fill each statement's tone, band and confidence, and each mention's tone toward its
        actor with its confidence, from the lexicon's results (one per statement, in order)."""
        from dashboard.tone import band_for

        if not statements:
            return
        proba = self.statement_proba([st.text for st in statements], lex_results)
        tones, confidences = tones_from_proba(proba)
        heads: list[list[float]] = []
        owners: list[tuple[int, str]] = []
        for n, (st, lex, p) in enumerate(zip(statements, lex_results, proba, strict=True)):
            st.tone, st.tone_confidence = float(tones[n]), float(confidences[n])
            st.tone_band = band_for(st.tone)
            spans = actor_spans(st.mentions)
            for actor, ss in spans.items():
                heads.append(stance_head(actor, len(spans), len(ss), st.speaker_country, lex, p, st.tone))
                owners.append((n, actor))
        if not heads:
            return
        values, confidences = towards_from_proba(self.stance.proba(np.array(heads, dtype=np.float32)))
        toward = {key: (float(v), float(c)) for key, v, c in zip(owners, values, confidences, strict=True)}
        for n, st in enumerate(statements):
            for m in st.mentions:
                m.tone_toward, m.toward_confidence = toward[n, m.actor]


def save(statement: Softmax, stance: Softmax, meta: dict, folder: Path = MODEL_DIR) -> None:
    """Write the weights (npz) and what they were trained on (json)."""
    folder.mkdir(parents=True, exist_ok=True)
    arrays: dict[str, np.ndarray] = {}
    for name, m in (("statement", statement), ("stance", stance)):
        for f in ("mean", "scale", "weights", "bias"):
            arrays[f"{name}_{f}"] = getattr(m, f)
    np.savez_compressed(folder / WEIGHTS.name, **arrays)
    (folder / META.name).write_text(json.dumps(meta, indent=2, sort_keys=True) + "\n", encoding="utf-8")


def load(folder: Path = MODEL_DIR) -> ToneModel | None:
    weights, meta = folder / WEIGHTS.name, folder / META.name
    if not weights.is_file() or not meta.is_file():
        return None
    with np.load(weights) as data:
        parts = {name: Softmax(*(data[f"{name}_{f}"] for f in ("mean", "scale", "weights", "bias")))
                 for name in ("statement", "stance")}  # fmt: skip
    expected = {"statement": len(STATEMENT_FEATURES) + EMBED_DIMS, "stance": len(STANCE_FEATURES)}
    for name, m in parts.items():
        if m.weights.shape[0] != expected[name]:
            raise ValueError(f"{weights}: the {name} model has {m.weights.shape[0]} features, "
                             f"this code makes {expected[name]}; run `make train`")  # fmt: skip
    return ToneModel(parts["statement"], parts["stance"], json.loads(meta.read_text(encoding="utf-8")),
                     default_embedder())  # fmt: skip


@cache
def default_model() -> ToneModel | None:
    return load()


@cache
def model_version(folder: Path = MODEL_DIR) -> str:
    """A short digest of the installed weights ("none" without them): stored rows scored by other
    weights are re-scored on the next ingest."""
    import hashlib

    weights = folder / WEIGHTS.name
    return hashlib.sha256(weights.read_bytes()).hexdigest()[:12] if weights.is_file() else "none"
