"""The labelled tone corpus in data/labels/: what the issue asks of it, checked on the shipped file."""

from __future__ import annotations

import importlib.util
import json
from collections import Counter
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
LABELS = ROOT / "data" / "labels"
DEV = ROOT.parent / "shared" / "eval" / "dev.jsonl"
SHIPPABLE = {"ungdc": "CC0", "kremlin_en": "CC BY 4.0", "whitehouse": "public domain"}
EU_OR_EU_STATE = {"EU", "FRA", "DEU", "ITA", "ESP", "POL", "NLD", "SWE", "AUT", "BEL", "LTU", "LVA", "EST",
                  "ROU", "BGR", "GRC", "FIN", "DNK", "CZE", "SVK", "HUN", "HRV", "SVN", "IRL", "PRT", "CYP"}  # fmt: skip


@pytest.fixture(scope="module")
def rows() -> list[dict]:
    with (LABELS / "statements.jsonl").open(encoding="utf-8") as fh:
        return [json.loads(line) for line in fh]


def _build_module():
    spec = importlib.util.spec_from_file_location("build_labels", ROOT / "scripts" / "build_labels.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_the_corpus_is_rebuilt_exactly_from_the_pool_and_the_annotations(tmp_path):
    _build_module().build(tmp_path)
    assert (tmp_path / "statements.jsonl").read_bytes() == (LABELS / "statements.jsonl").read_bytes()
    assert json.loads((tmp_path / "agreement.json").read_text()) == json.loads((LABELS / "agreement.json").read_text())


def test_every_label_is_on_the_five_point_scale(rows):
    assert len(rows) >= 1200
    for r in rows:
        assert r["tone"] in (-2, -1, 0, 1, 2), r["id"]
        assert all(v in (-2, -1, 0, 1, 2) for v in r["targets"].values()), r["id"]
        assert r["text"].strip() and r["note"], r["id"]
        assert r["kind"] in ("paragraph", "turn", "narration", "quote", "reported"), r["id"]


def test_texts_come_only_from_sources_the_project_may_ship_with_their_credit(rows):
    for r in rows:
        assert SHIPPABLE[r["source"]] in r["licence"], r["id"]
        if r["source"] == "kremlin_en":
            assert r["attribution"] == "Source: President of Russia, en.kremlin.ru, CC BY 4.0"
            assert r["url"].startswith("http://en.kremlin.ru/")


def test_no_text_of_the_held_out_reference_annotations_is_in_the_corpus(rows):
    if not DEV.is_file():
        pytest.skip("no ../shared/eval/dev.jsonl on this machine")
    corpus = {" ".join(r["text"].split()).lower() for r in rows}
    with DEV.open(encoding="utf-8") as fh:
        quotes = [q["text"] for line in fh if line.strip() for q in json.loads(line)["gold"]["quotes"]]
    assert quotes
    assert not [q for q in quotes if " ".join(q.split()).lower() in corpus]


def test_the_set_is_balanced_as_the_issue_asks(rows):
    by_country = Counter(r["speaker_country"] for r in rows)
    for code in ("ARM", "AZE", "GEO", "RUS", "TUR", "IRN", "USA"):
        assert by_country[code] >= 50, code
    assert sum(n for c, n in by_country.items() if c in EU_OR_EU_STATE) >= 50
    assert sum(r["tone"] < 0 for r in rows) / len(rows) >= 0.30
    tags = Counter(t for r in rows for t in r["tags"])
    for hard in ("implicit_criticism", "rhetorical_question", "sarcasm", "threat_as_fact", "factual_conflict",
                 "mixed_targets", "own_country"):  # fmt: skip
        assert tags[hard] >= 10, hard


def test_splits_are_fixed_by_document_and_never_share_one(rows):
    split_of_doc: dict[tuple, set] = {}
    for r in rows:
        split_of_doc.setdefault((r["source"], r["doc"]), set()).add(r["split"])
    assert all(len(s) == 1 for s in split_of_doc.values())
    sizes = Counter(r["split"] for r in rows)
    assert sizes["tune"] >= 150 and sizes["test"] >= 250 and sizes["train"] > sizes["test"]
    build = _build_module()
    assert all(build.split_of(r["source"], str(r["doc"])) == r["split"] for r in rows)


def test_agreement_of_the_double_labelled_items_is_reported():
    stats = json.loads((LABELS / "agreement.json").read_text(encoding="utf-8"))
    agreement = stats["agreement"]
    assert agreement["items_double_labelled"] >= 140
    assert 0 <= agreement["tone_kappa_5"] <= 1 and 0 <= agreement["target_sign_agreement"] <= 1


def test_the_readme_states_the_figures_the_file_has(rows):
    readme = (LABELS / "README.md").read_text(encoding="utf-8")
    assert f"{len(rows):,}" in readme
    stats = json.loads((LABELS / "agreement.json").read_text(encoding="utf-8"))
    assert f"{stats['agreement']['tone_kappa_5']:.2f}" in readme
