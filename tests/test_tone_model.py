"""The tone model: its parts on tiny data, and the shipped weights on statements a reader can judge."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest

from dashboard import tone
from dashboard import tone_model as tm
from dashboard.embed import StaticEmbedder, basic_tokens, default_embedder
from dashboard.records import Mention, Statement

WORDPIECE_IDS = Path(__file__).parent / "data" / "wordpiece_ids.json"


def test_wordpiece_ids_match_the_reference_tokenizer():
    # Ids that the `tokenizers` library (0.23.3: BertNormalizer lower-casing and stripping accents,
    # BertPreTokenizer, WordPiece over this vocabulary) gives, on texts with accents, other
    # scripts, emoji, control characters, over-long words and transcript labels.
    cases = json.loads(WORDPIECE_IDS.read_text(encoding="utf-8"))
    emb = default_embedder()
    assert len(cases) == 10
    for case in cases:
        assert emb.ids(case["text"]) == case["ids"], case["text"]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Yerevan's provocations!", ["yerevan", "'", "s", "provocations", "!"]),
        ("Zürich café naïve", ["zurich", "cafe", "naive"]),
        ("", []),
    ],
)
def test_basic_tokens_lowercase_strip_accents_and_split_punctuation(text, expected):
    assert basic_tokens(text) == expected


def test_sentence_vectors_are_unit_length_and_zero_without_known_words():
    emb = default_embedder()
    m = emb.encode(["Russia welcomes the visits of the leaders.", "", "ǂǂǂ"])
    assert m.shape == (3, 256)
    assert np.linalg.norm(m[0]) == pytest.approx(1.0, abs=1e-5)
    assert not m[1].any() and not m[2].any()


def test_batched_vectors_equal_the_mean_of_each_texts_pieces():
    emb = default_embedder()
    texts = ["We regret Yerevan's provocations — they are unacceptable!", "the the the", "Stepanakert/Khankendi"]
    batch = emb.encode_words([basic_tokens(t) for t in texts], 128)
    for row, text in zip(batch, texts, strict=True):
        ids = [i for i in emb.ids(text) if i != emb.unk]
        v = emb.vectors[ids][:, :128].mean(axis=0)
        assert np.allclose(row, v / np.linalg.norm(v), atol=1e-6)


def test_softmax_fit_separates_and_is_deterministic():
    rng = np.random.default_rng(0)
    x = np.vstack([rng.normal(-2, 1, (40, 3)), rng.normal(2, 1, (40, 3))])
    y = np.array([0] * 40 + [1] * 40)
    a = tm.fit_softmax(x, y, 2, l2=1.0)
    b = tm.fit_softmax(x, y, 2, l2=1.0)
    assert np.array_equal(a.weights, b.weights) and np.array_equal(a.bias, b.bias)
    assert (np.argmax(a.proba(x), axis=1) == y).mean() > 0.95


@pytest.mark.parametrize(
    ("proba", "band", "confidence"),
    [
        ([0.6, 0.2, 0.1, 0.05, 0.05], "negative", 0.8),
        ([0.05, 0.1, 0.5, 0.2, 0.15], "neutral", 0.5),
        ([0.0, 0.05, 0.15, 0.3, 0.5], "positive", 0.8),
    ],
)
def test_tone_is_in_the_band_of_the_most_probable_sign(proba, band, confidence):
    value, conf = tm.tone_from_proba(np.array(proba))
    assert conf == pytest.approx(confidence)
    assert {"negative": value < -tm.NEUTRAL, "neutral": abs(value) <= tm.NEUTRAL,
            "positive": value > tm.NEUTRAL}[band]  # fmt: skip


def test_a_neutral_value_is_inside_the_band_even_from_float32_probabilities():
    value, _ = tm.toward_from_proba(np.array([0.1, 0.5, 0.4], dtype=np.float32))
    assert abs(value) <= tm.NEUTRAL and tone.band_for(value) == "neutral"


def test_saved_weights_load_and_give_the_same_probabilities(tmp_path):
    model = tm.default_model()
    if model is None:
        pytest.skip("no tone model installed")
    tm.save(model.statement, model.stance, model.meta, tmp_path)
    again = tm.load(tmp_path)
    lex = [tm.lexicon_evidence("We regret the provocation.", [], None)]
    assert np.allclose(model.statement_proba(["We regret the provocation."], lex),
                       again.statement_proba(["We regret the provocation."], lex))  # fmt: skip


def _statement(text: str, country: str | None, **actors: str) -> Statement:
    st = Statement(kind="quote", text=text, start=0, end=len(text), para_start=0, para_end=len(text))
    st.speaker_country = country
    st.mentions = [Mention(code, word, text.index(word), text.index(word) + len(word)) for code, word in actors.items()]
    return st


@pytest.fixture(scope="module")
def model():
    m = tm.default_model()
    if m is None:
        pytest.fail("the tone model's weights are missing from dashboard/models/ (run `make train`)")
    return m


# Written for this test, in the kind of language the corpus holds; the expected signs are what a
# reader of each statement would say, so a model that reads them wrong fails here.
@pytest.mark.parametrize(
    ("text", "country", "actors", "tone_sign", "toward"),
    [
        ("We strongly condemn the aggression of Azerbaijan against the peaceful population of Artsakh.",
         "ARM", {"AZE": "Azerbaijan"}, -1, {"AZE": -1}),
        ("We are deeply grateful to Georgia for its warm hospitality and true friendship.",
         "AZE", {"GEO": "Georgia"}, 1, {"GEO": 1}),
        ("The ministers discussed the agenda of the next meeting of the intergovernmental commission.",
         "RUS", {}, 0, {}),
        ("Washington's reckless sanctions are an attempt to blackmail Iran, and they will fail.",
         "IRN", {"USA": "Washington", "IRN": "Iran"}, -1, {"USA": -1, "IRN": 0}),
    ],
)  # fmt: skip
def test_the_shipped_model_reads_clear_statements_right(model, text, country, actors, tone_sign, toward):
    st = _statement(text, country, **actors)
    tone.score_statements([st], model=model)
    assert (st.tone > tm.NEUTRAL) - (st.tone < -tm.NEUTRAL) == tone_sign
    assert 0 < st.tone_confidence <= 1
    assert st.tone_band == tone.band_for(st.tone)
    for m in st.mentions:
        got = (m.tone_toward > tm.NEUTRAL) - (m.tone_toward < -tm.NEUTRAL)
        assert got == toward[m.actor], (m.actor, m.tone_toward)
        assert 0 < m.toward_confidence <= 1


def test_without_a_model_the_lexicon_decides_and_no_confidence_is_claimed():
    st = _statement("We regret Yerevan's provocations.", "AZE", ARM="Yerevan")
    tone.score_statements([st], model=None)
    assert st.tone < 0 and st.tone_confidence is None
    assert st.mentions[0].tone_toward < 0 and st.mentions[0].toward_confidence is None


def test_a_missing_weights_file_means_no_model(tmp_path):
    assert tm.load(tmp_path) is None


def test_weights_of_another_shape_are_refused_with_the_fix(tmp_path, model):
    tm.save(model.statement, model.stance, model.meta, tmp_path)
    data = dict(np.load(tmp_path / tm.WEIGHTS.name))
    data["stance_weights"] = data["stance_weights"][:-1]
    np.savez(tmp_path / tm.WEIGHTS.name, **data)
    with pytest.raises(ValueError, match="make train"):
        tm.load(tmp_path)


def test_an_embedder_folder_with_mismatched_files_is_refused(tmp_path):
    (tmp_path / "vocab.txt").write_text("[PAD]\n[UNK]\n", encoding="utf-8")
    np.save(tmp_path / "embeddings.npy", np.zeros((3, 4), dtype=np.float16))
    with pytest.raises(ValueError, match="2 tokens but 3 vectors"):
        StaticEmbedder(tmp_path)


def model_examples():
    doc = (Path(__file__).resolve().parent.parent / "docs" / "tone.md").read_text(encoding="utf-8")
    block = doc.split("<!-- model-examples -->")[1].split("<!-- /model-examples -->")[0]
    rows = [line for line in block.splitlines() if line.startswith("| ") and "---" not in line]
    return [[cell.strip() for cell in row.strip("|").split("|")] for row in rows[1:]]


DOC_ACTORS = {
    "We thank Baku for its hospitality, but Yerevan keeps distorting the facts.": {"AZE": "Baku", "ARM": "Yerevan"},
    "Azerbaijan continues its aggression against Armenia.": {"AZE": "Azerbaijan", "ARM": "Armenia"},
    "Russia is always ready to help Armenia and Azerbaijan reach a lasting peace.":
        {"RUS": "Russia", "ARM": "Armenia", "AZE": "Azerbaijan"},
    "More than a million refugees have lost their homes.": {},
    "Is this what Washington calls a rules-based order?": {"USA": "Washington"},
    "The talks took place in Tbilisi on Tuesday.": {},
    "We categorically reject the accusations against Russia.": {"RUS": "Russia"},
    "Georgia's path to the European Union is irreversible, and we thank our European partners.":
        {"GEO": "Georgia", "EU": "European Union"},
}  # fmt: skip


def model_row(text: str, country: str) -> list[str]:
    st = _statement(text, country, **DOC_ACTORS[text])
    tone.score_statements([st])
    toward = ", ".join(f"{m.actor} {m.tone_toward:+.2f} ({m.toward_confidence:.0%})" for m in st.mentions)
    return [text, country, f"{st.tone:+.2f}", st.tone_band, f"{st.tone_confidence:.0%}", toward]


def test_the_documented_model_examples_match_the_shipped_model():
    rows = model_examples()
    assert len(rows) == len(DOC_ACTORS)
    for row in rows:
        assert model_row(row[0], row[1]) == row
