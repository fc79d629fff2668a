"""The staged database: replaced whole on success, untouched on failure."""

import duckdb
import pytest

from dashboard.storage import staged_database, staging_path, statement_id


def rows(db):
    con = duckdb.connect(str(db), read_only=True)
    try:
        return con.execute("SELECT doc_id FROM documents ORDER BY 1").fetchall()
    finally:
        con.close()


def add_document(con, doc_id):
    con.execute(
        "INSERT INTO documents (doc_id, doc_type, text, extraction_version) VALUES (?, 'reported', 'x', 1)",
        [doc_id],
    )


def test_staged_database_creates_the_schema_and_swaps_in(tmp_path):
    db = tmp_path / "r.duckdb"
    with staged_database(db) as con:
        add_document(con, "a")
        assert not db.exists()  # nothing visible until the block finishes
    assert rows(db) == [("a",)]
    assert not staging_path(db).exists()


def test_failure_inside_the_block_keeps_the_old_database(tmp_path):
    db = tmp_path / "r.duckdb"
    with staged_database(db) as con:
        add_document(con, "a")
    with pytest.raises(ValueError), staged_database(db) as con:
        add_document(con, "b")
        raise ValueError("reader bug")
    assert rows(db) == [("a",)]
    assert not staging_path(db).exists()


def test_a_reader_with_the_old_file_open_keeps_reading_it(tmp_path):
    db = tmp_path / "r.duckdb"
    with staged_database(db) as con:
        add_document(con, "a")
    reader = duckdb.connect(str(db), read_only=True)
    with staged_database(db) as con:
        add_document(con, "b")
    assert reader.execute("SELECT count(*) FROM documents").fetchone()[0] == 1
    reader.close()
    assert rows(db) == [("a",), ("b",)]


def test_leftover_staging_file_from_a_killed_run_is_ignored(tmp_path):
    db = tmp_path / "r.duckdb"
    staging_path(db).write_bytes(b"half-written garbage")
    with staged_database(db) as con:
        add_document(con, "a")
    assert rows(db) == [("a",)]


def test_statement_id_is_stable_and_distinct():
    assert statement_id("doc", 0) == statement_id("doc", 0)
    assert len({statement_id("doc", i) for i in range(1000)}) == 1000
    assert 0 < statement_id("doc", 1) < 2**63
