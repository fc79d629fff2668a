"""The DuckDB file: schema, a staged copy that is swapped into place whole, and bulk writes.

An ingest never writes the live database. It copies it to a staging file,
writes there, checkpoints, and renames the staging file over the live one
(an atomic rename on POSIX). A failed or killed ingest leaves the previous
database exactly as it was; a running app keeps reading the old file until it
notices the new one.
"""

from __future__ import annotations

import contextlib
import fcntl
import hashlib
import os
import shutil
from collections.abc import Iterator
from importlib import resources
from pathlib import Path

import duckdb

from dashboard.reference import Reference
from dashboard.tone_model import CHART_MIN_CONFIDENCE

TABLE_COLUMNS = {
    "documents": (
        "doc_id", "source_path", "source_format", "title", "outlet", "url", "language",
        "doc_type", "date", "date_source", "speaker", "speaker_country", "text", "n_chars",
        "n_words", "gdelt_tone", "extraction_version", "run_id", "ingested_at",
        "source_name", "outlet_country", "source_kind", "attribution",
    ),
    "statements": (
        "statement_id", "doc_id", "seq", "kind", "start_char", "end_char", "para_start",
        "para_end", "text", "speaker_id", "speaker", "speaker_role", "speaker_country",
        "attribution_method", "attribution_confidence", "tone", "tone_band", "date",
        "source_kind", "outlet_country", "tone_confidence",
    ),
    "mentions": (
        "statement_id", "doc_id", "actor", "surface", "start_char", "end_char", "tone_toward",
        "speaker_country", "date", "toward_confidence",
    ),
    "document_actors": ("doc_id", "actor", "surfaces", "n"),
    "statement_topics": ("statement_id", "topic"),
}  # fmt: skip

DOCUMENT_TABLES = ("mentions", "statement_topics", "statements", "document_actors", "documents")


#: Tones that count in means (the threshold of ``tone_model.CHART_MIN_CONFIDENCE``; the same rule
#: as ``queries.SURE_TONE``): a lexicon-only row has no confidence and counts.
_SURE = f"coalesce({{c}}, 1) >= {float(CHART_MIN_CONFIDENCE)}"
_SURE_TOWARD = f"(tone_toward IS NOT NULL AND {_SURE.format(c='toward_confidence')})"
_SURE_TONE = f"(tone IS NOT NULL AND {_SURE.format(c='tone_confidence')})"

ROLLUP_SQL = f"""
CREATE OR REPLACE TABLE mention_rollup AS
SELECT date, speaker_country, actor,
       count(*) AS n, count(*) FILTER (WHERE {_SURE_TOWARD}) AS n_tone,
       sum(tone_toward) FILTER (WHERE {_SURE_TOWARD}) AS sum_tone,
       sum(tone_toward * tone_toward) FILTER (WHERE {_SURE_TOWARD}) AS sum_tone2,
       count(*) FILTER (WHERE {_SURE_TOWARD} AND tone_toward < -0.5) AS n_hostile,
       count(*) FILTER (WHERE {_SURE_TOWARD} AND tone_toward >= -0.5 AND tone_toward < -0.1) AS n_critical,
       count(*) FILTER (WHERE {_SURE_TOWARD} AND tone_toward >= -0.1 AND tone_toward <= 0.1) AS n_neutral,
       count(*) FILTER (WHERE {_SURE_TOWARD} AND tone_toward > 0.1 AND tone_toward <= 0.5) AS n_cooperative,
       count(*) FILTER (WHERE {_SURE_TOWARD} AND tone_toward > 0.5) AS n_warm
FROM mentions
GROUP BY ALL
ORDER BY date, speaker_country, actor;
CREATE OR REPLACE TABLE statement_rollup AS
SELECT date, speaker_country, kind, count(*) AS n, count(*) FILTER (WHERE {_SURE_TONE}) AS n_tone,
       sum(tone) FILTER (WHERE {_SURE_TONE}) AS sum_tone,
       sum(tone * tone) FILTER (WHERE {_SURE_TONE}) AS sum_tone2
FROM statements
GROUP BY ALL
ORDER BY date, speaker_country, kind;
"""


def build_rollups(con: duckdb.DuckDBPyConnection) -> None:
    """Rebuild the summary tables the pages read when only dates, countries and actors are filtered."""
    con.execute(ROLLUP_SQL)


def schema_sql() -> str:
    return resources.files("dashboard").joinpath("sql/schema.sql").read_text(encoding="utf-8")


def init_schema(con: duckdb.DuckDBPyConnection) -> None:
    con.execute(schema_sql())


def statement_id(doc_id: str, seq: int) -> int:
    """A stable id for the seq-th statement of a document: the same on every rebuild."""
    digest = hashlib.sha256(f"{doc_id}:{seq}".encode()).hexdigest()
    return int(digest[:15], 16)


def staging_path(db: Path) -> Path:
    return db.with_name(db.name + ".ingest-tmp")


@contextlib.contextmanager
def writer_lock(db: Path) -> Iterator[None]:
    """One ingest at a time per database file."""
    db.parent.mkdir(parents=True, exist_ok=True)
    lock_path = db.with_name(db.name + ".lock")
    with lock_path.open("w") as handle:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            raise RuntimeError(f"another ingest is writing {db}; try again when it has finished") from None
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


@contextlib.contextmanager
def staged_database(db: Path) -> Iterator[duckdb.DuckDBPyConnection]:
    """A writable copy of ``db`` that replaces it only if the block finishes without error."""
    db = Path(db)
    stage = staging_path(db)
    wal = Path(str(stage) + ".wal")
    for leftover in (stage, wal):
        leftover.unlink(missing_ok=True)  # from an ingest that was killed
    if db.exists():
        shutil.copy2(db, stage)
        if Path(str(db) + ".wal").exists():
            shutil.copy2(str(db) + ".wal", wal)
    con = duckdb.connect(str(stage))
    try:
        init_schema(con)
        yield con
        con.execute("CHECKPOINT")
        con.close()
    except BaseException:
        con.close()
        stage.unlink(missing_ok=True)
        wal.unlink(missing_ok=True)
        raise
    os.replace(stage, db)


def connect_readonly(db: Path) -> duckdb.DuckDBPyConnection:
    return duckdb.connect(str(db), read_only=True)


def refresh_reference_tables(con: duckdb.DuckDBPyConnection, ref: Reference) -> None:
    """Copy the editable CSV tables into the database, replacing what was there."""
    tables = {
        "actors": (
            ("code", "name", "kind", "aliases"),
            [(a.code, a.name, a.kind, " | ".join(a.aliases)) for a in ref.actors],
        ),
        "speakers": (
            ("speaker_id", "name", "aliases", "role", "country", "in_office_from", "in_office_to"),
            [
                (s.speaker_id, s.name, " | ".join(s.aliases), s.role, s.country,
                 s.in_office_from, s.in_office_to)
                for s in ref.speakers
            ],
        ),
        "topics": (
            ("topic", "label", "keywords"),
            [(t.topic, t.label, " | ".join(t.keywords)) for t in ref.topics],
        ),
        "events": (
            ("date", "label", "description", "actors", "source", "importance", "short"),
            [(e.date, e.label, e.description, " | ".join(e.actors), e.source, e.importance, e.short or None)
             for e in ref.events],
        ),
        "sources": (
            ("source_id", "name", "kind", "country", "domains", "url_prefixes", "outlet_names",
             "telegram", "attribution"),
            [(s.source_id, s.name, s.kind, s.country or None, " | ".join(s.domains),
              " | ".join(s.url_prefixes), " | ".join(s.outlet_names), " | ".join(s.telegram),
              s.attribution or None) for s in ref.sources],
        ),
    }  # fmt: skip
    for table, (columns, rows) in tables.items():
        con.execute(f"DELETE FROM {table}")
        if rows:
            insert_rows(con, table, columns, rows)


def insert_rows(
    con: duckdb.DuckDBPyConnection, table: str, columns: tuple[str, ...], rows: list[tuple]
) -> None:
    """Bulk insert through DuckDB's appender (DuckDB 2), else through Arrow: either is far faster
    than executemany for thousands of rows. The appender casts each value to its column's type
    as the INSERT does, and needs no Arrow conversion (which imports pandas)."""
    if not rows:
        return
    if hasattr(con, "appender"):
        appender = con.appender(table, columns=list(columns))
        appender.append_rows(rows)
        appender.flush()
        return
    import pyarrow as pa  # only for DuckDB 1.x: importing it costs a fifth of a second

    arrow = pa.table({c: [row[i] for row in rows] for i, c in enumerate(columns)})
    con.register("incoming_rows", arrow)
    try:
        con.execute(
            f"INSERT INTO {table} ({', '.join(columns)}) "
            f"SELECT {', '.join(columns)} FROM incoming_rows"
        )
    finally:
        con.unregister("incoming_rows")


def delete_documents(con: duckdb.DuckDBPyConnection, doc_ids: list[str]) -> None:
    if not doc_ids:
        return
    stale = "(SELECT unnest($ids) AS doc_id)"
    for table in DOCUMENT_TABLES:
        if table == "statement_topics":
            con.execute(
                "DELETE FROM statement_topics WHERE statement_id IN "
                f"(SELECT statement_id FROM statements WHERE doc_id IN {stale})",
                {"ids": doc_ids},
            )
        else:
            con.execute(f"DELETE FROM {table} WHERE doc_id IN {stale}", {"ids": doc_ids})


def document_versions(con: duckdb.DuckDBPyConnection) -> dict[str, int]:
    return dict(con.execute("SELECT doc_id, extraction_version FROM documents").fetchall())


def table_counts(con: duckdb.DuckDBPyConnection) -> dict[str, int]:
    names = [r[0] for r in con.execute("SELECT table_name FROM duckdb_tables() ORDER BY 1").fetchall()]
    return {n: con.execute(f'SELECT count(*) FROM "{n}"').fetchone()[0] for n in names}


def sql_string(path: Path) -> str:
    """A quoted SQL string literal for a file path (COPY takes no bound parameter for it)."""
    return "'" + str(path).replace("'", "''") + "'"


def export_parquet(db: Path, folder: Path) -> list[Path]:
    """Write statements and mentions as Parquet partitioned by month, documents as one file."""
    folder.mkdir(parents=True, exist_ok=True)
    con = connect_readonly(db)
    try:
        for table in ("statements", "mentions"):
            target = sql_string(folder / table)
            con.execute(
                f"COPY (SELECT *, coalesce(strftime(date, '%Y-%m'), 'undated') AS month FROM {table}) "
                f"TO {target} (FORMAT parquet, PARTITION_BY (month), OVERWRITE_OR_IGNORE true)"
            )
        for table in ("documents", "statement_topics", "document_actors", "actors", "speakers",
                      "topics", "events"):
            con.execute(f"COPY {table} TO {sql_string(folder / (table + '.parquet'))} (FORMAT parquet)")
    finally:
        con.close()
    return sorted(folder.iterdir())
