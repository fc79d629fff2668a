"""Training: reproducible, and blind to the test split."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest

from dashboard import tone_model as tm
from dashboard import train

LABELS = Path(__file__).resolve().parent.parent / "data" / "labels" / "statements.jsonl"


@pytest.fixture
def small_corpus(tmp_path, monkeypatch) -> Path:
    """200 labelled statements of train and tune, and two test rows."""
    monkeypatch.setattr(train, "STATEMENT_GRID", (100.0,))
    monkeypatch.setattr(train, "STANCE_GRID", (100.0,))
    rows = [json.loads(line) for line in LABELS.read_text(encoding="utf-8").splitlines()]
    keep = [r for r in rows if r["split"] == "train"][:150] + [r for r in rows if r["split"] == "tune"][:50]
    secret = dict(keep[0], id="test:secret", split="test", tone=-2,
                  text="Zzyzxqua zzyzxqua zzyzxqua: the Zzyzxqua provocation of Azerbaijan is unacceptable.")  # fmt: skip
    path = tmp_path / "statements.jsonl"
    path.write_text("".join(json.dumps(r) + "\n" for r in [*keep, secret, dict(secret, id="test:secret2")]),
                    encoding="utf-8")  # fmt: skip
    return path


def test_training_twice_gives_the_same_weights_and_the_test_split_changes_nothing(small_corpus, tmp_path):
    meta = train.train(small_corpus, tmp_path / "a", quiet=True)
    train.train(small_corpus, tmp_path / "b", quiet=True)
    without_test = tmp_path / "no-test.jsonl"
    without_test.write_text("".join(line + "\n" for line in small_corpus.read_text().splitlines()
                                    if json.loads(line)["split"] != "test"), encoding="utf-8")  # fmt: skip
    train.train(without_test, tmp_path / "c", quiet=True)
    a, b, c = (np.load(tmp_path / d / tm.WEIGHTS.name) for d in "abc")
    assert sorted(a.files) == sorted(b.files) == sorted(c.files)
    for name in a.files:
        assert np.array_equal(a[name], b[name]), name
        assert np.array_equal(a[name], c[name]), name
    assert meta["trained_on"]["statements"] == 200
    assert set(meta["tune_scores"]) == {"statement", "stance"}
    assert tm.load(tmp_path / "a") is not None


def test_the_cli_refuses_a_missing_corpus(tmp_path, capsys):
    assert train.run_cli(["--corpus", str(tmp_path / "none.jsonl"), "--out", str(tmp_path)]) == 2
    assert "no labelled corpus" in capsys.readouterr().err
