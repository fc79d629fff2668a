"""The benchmark's synthetic databases: the size asked for, clearly labelled, and readable by every page."""

from pathlib import Path

import duckdb
import pytest

from dashboard import queries
from dashboard.bench import build_synthetic, format_table, time_pages


def test_synthetic_database_has_the_size_asked_for_and_is_labelled(built_db, tmp_path):
    target = tmp_path / "synthetic.duckdb"
    with duckdb.connect(str(built_db), read_only=True) as con:
        base = con.execute("SELECT count(*) FROM statements").fetchone()[0]
    counts = build_synthetic(built_db, target, base * 3 - 7)
    assert counts["statements"] == base * 3 - 7
    with duckdb.connect(str(target), read_only=True) as con:
        formats = {r[0] for r in con.execute("SELECT DISTINCT source_format FROM documents").fetchall()}
        titles = con.execute("SELECT count(*) FROM documents WHERE title NOT LIKE '[synthetic]%'").fetchone()[0]
        orphans = con.execute(
            "SELECT count(*) FROM mentions m ANTI JOIN statements s USING (statement_id)"
        ).fetchone()[0]
        unique = con.execute("SELECT count(DISTINCT statement_id) = count(*) FROM statements").fetchone()[0]
    assert formats == {"synthetic"}
    assert titles == 0
    assert orphans == 0
    assert unique


def test_every_page_is_timed_and_the_table_prints_it(built_db, tmp_path):
    target = tmp_path / "synthetic.duckdb"
    build_synthetic(built_db, target, 500)
    result = time_pages(target, runs=2)
    pages = {name.split(" ")[0] for name in result["pages"]}
    assert pages == set(queries.PAGE_QUERIES)
    table = format_table([{"statements": 500, "documents": 5, "mentions": 9, "db_mb": 1.0, "build_s": 0.1, **result}])
    assert "overview (default)" in table and "p95 ms" in table


def test_ingest_speed_is_measured_on_a_whole_ingest(tiny_corpus, tmp_path):
    from dashboard.bench import ingest_speed

    figures = ingest_speed(tiny_corpus, tmp_path / "bench")
    assert figures["documents"] == 5 and figures["statements"] > 0 and figures["rejected"] == 0
    assert figures["text_mb"] > 0.01 and figures["cpu_s"] > 0
    assert figures["mb_per_cpu_s"] == pytest.approx(figures["text_mb"] / figures["cpu_s"])
    assert not (tmp_path / "bench" / "ingest_speed.duckdb").exists()


def test_extraction_per_mb_is_timed_for_every_shape_and_size(tmp_path):
    from dashboard.bench import extraction_per_mb, format_extraction

    news = Path(__file__).resolve().parent.parent / "data" / "sample" / "news"
    rows = extraction_per_mb(news, tmp_path, sizes=(0.02, 0.06))
    assert [(r["shape"], r["mb"] > 0.015) for r in rows] == [
        (shape, True) for shape in ("paragraphs", "single line", "html") for _ in (1, 2)
    ]
    assert all(r["statements"] > 0 and r["s_per_mb"] == pytest.approx(r["seconds"] / r["mb"]) for r in rows)
    assert [r["mb"] < 0.04 for r in rows] == [True, False] * 3  # the sizes asked for, in order
    table = format_extraction(rows)
    assert "extraction per MB" in table and "s/MB" in table and "html" in table and "single line" in table
    assert "(1.00 is linear)" in table
    assert not list(tmp_path.iterdir())  # the HTML page written for the reader is gone
