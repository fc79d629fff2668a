"""Ingest: documents in, duplicates skipped, bad input recorded, the database always whole."""

import json
import os
import subprocess
import sys

import duckdb
import pytest

from dashboard import ingest as ingest_module
from dashboard.ingest import ingest
from dashboard.storage import staging_path


def counts(db):
    con = duckdb.connect(str(db), read_only=True)
    try:
        return {
            t: con.execute(f"SELECT count(*) FROM {t}").fetchone()[0]
            for t in ("documents", "statements", "mentions", "statement_topics", "ingest_runs", "rejects")
        }
    finally:
        con.close()


def test_ingest_builds_documents_statements_and_mentions(built_db):
    n = counts(built_db)
    assert n["documents"] == 5
    assert n["statements"] > 50
    assert n["mentions"] > 50
    assert n["ingest_runs"] == 1 and n["rejects"] == 0


def test_ungdc_paragraphs_are_statements_of_the_delegation(built_db):
    con = duckdb.connect(str(built_db), read_only=True)
    rows = con.execute(
        "SELECT DISTINCT s.kind, s.speaker_country, s.attribution_method FROM statements s "
        "JOIN documents d USING (doc_id) WHERE d.source_format = 'ungdc'"
    ).fetchall()
    con.close()
    assert {r[0] for r in rows} == {"paragraph"}
    assert {r[1] for r in rows} == {"ARM", "AZE", "RUS"}


def test_statement_offsets_point_into_the_document_text(built_db):
    con = duckdb.connect(str(built_db), read_only=True)
    rows = con.execute(
        "SELECT s.text, substr(d.text, s.start_char + 1, s.end_char - s.start_char) "
        "FROM statements s JOIN documents d USING (doc_id)"
    ).fetchall()
    con.close()
    assert rows and all(text == span for text, span in rows)


def test_same_files_twice_add_nothing(tiny_corpus, built_db):
    before = counts(built_db)
    summary = ingest([tiny_corpus], built_db, progress=False)
    after = counts(built_db)
    assert summary.documents_added == 0 and summary.duplicates == 5
    assert {k: v for k, v in after.items() if k != "ingest_runs"} == {
        k: v for k, v in before.items() if k != "ingest_runs"
    }
    assert after["ingest_runs"] == 2


def test_same_text_in_another_file_is_a_duplicate(tiny_corpus, tmp_path):
    copy = tiny_corpus / "news" / "copy-of-seed.txt"
    copy.write_text((tiny_corpus / "news" / "000_3b008b2c445e55c7.txt").read_text(encoding="utf-8").upper())
    summary = ingest([tiny_corpus], tmp_path / "db.duckdb", progress=False)
    assert summary.documents_added == 5 and summary.duplicates == 1


def test_bad_files_are_recorded_and_the_rest_goes_in(tiny_corpus, tmp_path):
    (tiny_corpus / "broken.jsonl").write_text('{"text": "Good row from a feed of statements."}\n{oops\n')
    (tiny_corpus / "image.txt").write_bytes(b"\x00\x01\x02binary")
    (tiny_corpus / "empty.csv").write_text("")
    db = tmp_path / "db.duckdb"
    summary = ingest([tiny_corpus], db, progress=False)
    assert summary.documents_added == 6
    con = duckdb.connect(str(db), read_only=True)
    rejects = con.execute("SELECT path, reason, detail FROM rejects ORDER BY path").fetchall()
    con.close()
    assert [(r[0].rsplit("/", 1)[-1], r[1].split(":")[0], r[2]) for r in rejects] == [
        ("broken.jsonl", "malformed JSON", "line 2"),
        ("empty.csv", "empty file", None),
        ("image.txt", "binary file (contains NUL bytes), not text", None),
    ]
    assert summary.files_rejected == 3


def test_a_failed_ingest_leaves_the_database_as_it_was(tiny_corpus, built_db, monkeypatch, tmp_path):
    before = counts(built_db)
    extra = tmp_path / "extra.jsonl"
    extra.write_text(json.dumps({"text": "A new statement about Baku and Yerevan."}) + "\n")

    def explode(*args, **kwargs):
        raise KeyboardInterrupt  # as if the user pressed Ctrl-C mid-way

    monkeypatch.setattr(ingest_module, "_record_rejects", explode)
    with pytest.raises(KeyboardInterrupt):
        ingest([extra], built_db, progress=False)
    assert counts(built_db) == before
    assert not staging_path(built_db).exists()


def test_a_killed_ingest_leaves_the_database_whole(tiny_corpus, built_db, tmp_path):
    """A process killed mid-write leaves only a staging file, which the next ingest clears."""
    before = counts(built_db)
    script = (
        "import os, sys\n"
        "from dashboard import ingest as m\n"
        "def die(*a, **k): os._exit(9)\n"
        "m._record_rejects = die\n"
        f"m.ingest([{str(tiny_corpus / 'news')!r}], __import__('pathlib').Path({str(built_db)!r}), progress=False)\n"
    )
    (tiny_corpus / "news" / "new.txt").write_text("Ankara said it welcomes the dialogue between Baku and Yerevan.")
    proc = subprocess.run([sys.executable, "-c", script], capture_output=True)
    assert proc.returncode == 9
    assert counts(built_db) == before
    summary = ingest([tiny_corpus / "news"], built_db, progress=False)
    assert summary.documents_added == 1
    assert not staging_path(built_db).exists()


def test_documents_from_an_older_extraction_are_re_extracted(tiny_corpus, built_db, monkeypatch):
    current = ingest_module.pipeline_version()
    monkeypatch.setattr(ingest_module, "pipeline_version", lambda: current + 1)
    before = counts(built_db)
    summary = ingest([tiny_corpus], built_db, progress=False)
    assert summary.documents_updated == 5 and summary.documents_added == 0
    after = counts(built_db)
    assert after["documents"] == before["documents"] and after["statements"] == before["statements"]
    con = duckdb.connect(str(built_db), read_only=True)
    versions = con.execute("SELECT DISTINCT extraction_version FROM documents").fetchall()
    con.close()
    assert versions == [(current + 1,)]


def test_statement_ids_are_stable_across_rebuilds(tiny_corpus, tmp_path):
    ids = []
    for name in ("a.duckdb", "b.duckdb"):
        db = tmp_path / name
        ingest([tiny_corpus], db, progress=False)
        con = duckdb.connect(str(db), read_only=True)
        ids.append(con.execute("SELECT statement_id FROM statements ORDER BY 1").fetchall())
        con.close()
    assert ids[0] == ids[1]


def test_reference_tables_are_copied_into_the_database(built_db):
    con = duckdb.connect(str(built_db), read_only=True)
    actors = dict(con.execute("SELECT code, name FROM actors").fetchall())
    n_speakers, n_events = con.execute("SELECT (SELECT count(*) FROM speakers), (SELECT count(*) FROM events)").fetchone()
    con.close()
    assert {"ARM", "AZE", "GEO", "RUS", "EU"} <= set(actors)
    assert n_speakers > 50 and n_events >= 15


def test_second_ingest_waits_for_no_one_but_refuses_to_run_concurrently(built_db):
    from dashboard.storage import writer_lock

    with writer_lock(built_db), pytest.raises(RuntimeError, match="another ingest"):
        ingest([], built_db, progress=False)


def test_a_folder_named_in_bytes_that_are_not_utf8_goes_in_with_its_name_shown(tmp_path):
    folder = tmp_path / os.fsdecode(b"caf\xe9")
    folder.mkdir()
    (folder / "a.txt").write_text("Armenia and Azerbaijan held talks in Brussels, the ministry said.")
    db = tmp_path / "db.duckdb"
    ingest([folder], db, progress=False)
    con = duckdb.connect(str(db), read_only=True)
    try:
        assert con.execute("SELECT source_path FROM documents").fetchall() == [(f"{tmp_path}/caf\\xe9/a.txt",)]
        assert con.execute("SELECT paths FROM ingest_runs").fetchall() == [(f"{tmp_path}/caf\\xe9",)]
    finally:
        con.close()


def test_an_implausible_date_in_the_text_is_left_empty_with_a_reason(tmp_path):
    (tmp_path / "in").mkdir()
    (tmp_path / "in" / "far.txt").write_text(
        "date 9999-12-31\nTalks\nArmenia and Azerbaijan held talks in Brussels, the ministry said.\n"
    )
    db = tmp_path / "db.duckdb"
    ingest([tmp_path / "in"], db, progress=False)
    con = duckdb.connect(str(db), read_only=True)
    try:
        assert con.execute("SELECT date, date_source FROM documents").fetchall() == [(None, "none")]
        assert con.execute("SELECT count(*) FROM statements WHERE date IS NOT NULL").fetchone() == (0,)
        (reason,) = con.execute("SELECT reason FROM rejects").fetchone()
    finally:
        con.close()
    assert reason.startswith("implausible date 9999-12-31 in the text (before 1900 or after ")


def test_a_document_that_cannot_be_stored_is_a_reject_and_the_rest_goes_in(tiny_corpus, tmp_path, monkeypatch):
    extract = ingest_module.extract_document

    def extract_with_a_lone_surrogate(raw, ref):
        doc = extract(raw, ref)
        if raw.source_path.endswith("ARM_75_2020.txt"):
            doc.title = "Armenia \ud800"  # what no reader gives, as a bug in extraction might
        return doc

    monkeypatch.setattr(ingest_module, "extract_document", extract_with_a_lone_surrogate)
    db = tmp_path / "db.duckdb"
    summary = ingest([tiny_corpus], db, progress=False)
    assert summary.documents_added == 4
    con = duckdb.connect(str(db), read_only=True)
    try:
        ((path, reason),) = con.execute("SELECT path, reason FROM rejects").fetchall()
        assert con.execute("SELECT count(*) FROM documents").fetchone() == (4,)
    finally:
        con.close()
    assert path.endswith("ARM_75_2020.txt")
    assert reason.startswith("cannot be stored: a value for the documents table is not valid text")
