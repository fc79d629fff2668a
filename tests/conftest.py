"""Shared fixtures: a tiny corpus copied from the shipped sample, and a database built from it."""

import shutil
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
SAMPLE = ROOT / "data" / "sample"
UNGDC_FILES = ("ARM_75_2020.txt", "AZE_75_2020.txt", "RUS_75_2020.txt")


@pytest.fixture
def tiny_corpus(tmp_path) -> Path:
    """The two seed articles and three 2020 UN General Debate statements."""
    folder = tmp_path / "corpus"
    (folder / "ungdc" / "txt").mkdir(parents=True)
    shutil.copytree(SAMPLE / "news", folder / "news")
    shutil.copy(SAMPLE / "ungdc" / "speakers.csv", folder / "ungdc" / "speakers.csv")
    for name in UNGDC_FILES:
        shutil.copy(SAMPLE / "ungdc" / "txt" / name, folder / "ungdc" / "txt" / name)
    return folder


@pytest.fixture
def built_db(tiny_corpus, tmp_path) -> Path:
    from dashboard.ingest import ingest

    db = tmp_path / "rhetoric.duckdb"
    ingest([tiny_corpus], db, progress=False)
    return db
