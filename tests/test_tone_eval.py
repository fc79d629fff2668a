"""eval-tone: the figures it reports, on hand-made references."""

from __future__ import annotations

import json

import pytest

from dashboard import tone_eval as te
from dashboard import tone_model


def test_scores_count_signs_with_the_neutral_band():
    items = [te.Item("a", "RUS", -2, {"UKR": -1, "RUS": 0}), te.Item("b", "RUS", 0, {}), te.Item("c", None, 1, {})]
    preds = [te.Prediction(-0.6, {"UKR": -0.4, "RUS": 0.05}), te.Prediction(0.08), te.Prediction(0.3)]
    s = te.scores(items, preds)
    assert s["accuracy"] == 1.0 and s["macro_f1"] == 1.0
    assert s["stance_pairs"] == 2 and s["stance_sign_agreement"] == 1.0


def test_the_trivial_rule_is_neutral_toward_the_own_country_and_the_tone_elsewhere():
    item = te.Item("Moscow welcomes Armenia's step.", "RUS", 1, {"ARM": 1, "RUS": 0})
    rule = te.trivial([item], [0.5])[0]
    assert rule.toward == {"RUS": 0.0, "ARM": 0.5}


def test_the_report_scores_every_reference_beside_the_baselines(tmp_path):
    labels = tmp_path / "labels.jsonl"
    rows = [
        {"split": "test", "text": "We strongly condemn Azerbaijan's aggression.", "speaker_country": "ARM",
         "tone": -2, "targets": {"AZE": -2}},
        {"split": "test", "text": "We thank Georgia for its warm hospitality.", "speaker_country": "AZE",
         "tone": 2, "targets": {"GEO": 2}},
        {"split": "train", "text": "Never scored here.", "speaker_country": "RUS", "tone": 0, "targets": {}},
    ]  # fmt: skip
    labels.write_text("".join(json.dumps(r) + "\n" for r in rows), encoding="utf-8")
    dev = tmp_path / "dev.jsonl"
    dev.write_text(json.dumps({"doc_id": "d", "text": "x", "gold": {"quotes": [
        {"text": "The talks were held in Baku.", "speaker_country": "RUS", "tone": 0, "targets": {}}]}}) + "\n",
        encoding="utf-8")  # fmt: skip
    report = te.run(labels, dev, tmp_path / "no-newsmtsc")
    assert list(report) == ["labels test split", "dev.jsonl quotes"]
    test_rows = report["labels test split"]
    assert test_rows["lexicon"]["n"] == 2
    first = "model" if tone_model.default_model() else "lexicon"
    assert {first, "lexicon", "vader", f"trivial rule ({first} tone)", "trivial rule (reference tone)"} <= set(test_rows)
    text = te.format_report(report)
    assert "labels test split: 2 statements" in text and "macro-F1" in text


def test_newsmtsc_targets_are_read_with_their_spans(tmp_path):
    path = tmp_path / "devtest_rw.jsonl"
    path.write_text(json.dumps({"sentence_normalized": "Critics slammed Mr. Smith.", "targets": [
        {"from": 16, "to": 25, "mention": "Mr. Smith", "polarity": 2.0}]}) + "\n", encoding="utf-8")  # fmt: skip
    (item,) = te.newsmtsc_items(path)
    assert item.tone is None and item.targets == {"T0": -1}
    assert item.spans[0].surface == "Mr. Smith"


def test_the_cli_says_when_there_is_nothing_to_score(tmp_path, capsys):
    code = te.run_cli(["--labels", str(tmp_path / "x"), "--dev", str(tmp_path / "y"), "--newsmtsc", str(tmp_path)])
    assert code == 2
    assert "no reference" in capsys.readouterr().err


@pytest.mark.parametrize("value,band,expected", [(0.1, 0.1, 0), (0.11, 0.1, 1), (-0.3, 0.1, -1), (0.0, 0.0, 0)])
def test_sign_with_a_band(value, band, expected):
    assert te.sign(value, band) == expected
