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
import signal
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


class StorageError(RuntimeError):
    """A reason, in one line, why the database cannot be written; ``status`` is the exit status
    (2: the database named cannot be used at all, 1: try again later)."""

    def __init__(self, reason: str, status: int = 1) -> None:
        super().__init__(reason)
        self.status = status


def one_line(exc: BaseException) -> str:
    """An error's message on one line (DuckDB's messages may run over several)."""
    if isinstance(exc, OSError) and exc.strerror:
        return f"{exc.strerror}: {exc.filename}" if exc.filename else exc.strerror
    return " ".join(str(exc).split()) or type(exc).__name__


def real_path(db: Path) -> Path:
    """The file ``db`` names, symlinks followed: the batch goes into the real database, and its
    lock, staging file and rename are beside it, whichever link or path an ingest was given."""
    return Path(os.path.realpath(db))


def staging_path(db: Path) -> Path:
    real = real_path(db)
    return real.with_name(real.name + ".ingest-tmp")


def wal_path(db: Path) -> Path:
    """DuckDB's write-ahead log of a database file."""
    return Path(str(db) + ".wal")


@contextlib.contextmanager
def writer_lock(db: Path) -> Iterator[None]:
    """One ingest at a time per real database file."""
    real = real_path(db)
    _refuse_folder(db, real)
    lock_path = real.with_name(real.name + ".lock")
    try:
        real.parent.mkdir(parents=True, exist_ok=True)
        handle = lock_path.open("w")
    except OSError as exc:
        # mkdir says "File exists" of a file where a folder should be.
        reason = f"{exc.filename} is a file, not a folder" if isinstance(exc, FileExistsError) else one_line(exc)
        raise StorageError(f"cannot write a database at {db}: {reason}", status=2) from None
    with handle:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            raise StorageError(f"another ingest is writing {db}; try again when it has finished") from None
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def _refuse_folder(db: Path, real: Path) -> None:
    if real.is_dir():
        raise StorageError(f"{db} is a folder, not a database file", status=2)


def staging_files(db: Path) -> tuple[Path, Path, Path]:
    """What an ingest writes beside the database before the swap: the staging file, its log, and
    the folder DuckDB spills to when memory runs short."""
    stage = staging_path(db)
    return stage, wal_path(stage), Path(str(stage) + ".tmp")


def remove_stale_staging(db: Path) -> None:
    """Delete what a killed ingest left beside ``db``: only when no ingest holds the lock, so a
    running one keeps its own."""
    if not any(p.exists() for p in staging_files(db)):
        return
    # Another ingest running, or a folder this user may not write: the leftovers stay for later.
    with contextlib.suppress(StorageError), writer_lock(db):
        _remove_staging(db)


def _remove_staging(db: Path) -> None:
    stage, log, spill = staging_files(db)
    stage.unlink(missing_ok=True)
    log.unlink(missing_ok=True)
    shutil.rmtree(spill, ignore_errors=True)


@contextlib.contextmanager
def staged_database(db: Path) -> Iterator[duckdb.DuckDBPyConnection]:
    """A writable copy of ``db`` that replaces it only if the block finishes without error.

    The caller holds ``writer_lock(db)``. The live database stays open read-only meanwhile:
    DuckDB's shared lock keeps any other program from writing it while it is copied and until
    the copy is swapped in.
    """
    real = real_path(db)
    stage = staging_path(real)
    _remove_staging(real)  # from an ingest that was killed (the lock says it is dead)
    _refuse_folder(db, real)
    live = _open_live(db, real)
    con = None
    try:
        if live is not None:
            _copy_live(db, real, stage)
        con = duckdb.connect(str(stage))
        init_schema(con)
        yield con
        con.execute("CHECKPOINT")
        con.close()
        if wal_path(stage).exists():  # its rows would stay behind in a log no one reads
            raise StorageError(f"the new database still had a log after its checkpoint; {db} is unchanged")
        _swap(stage, real)
    except BaseException:
        if con is not None:
            con.close()
        _remove_staging(real)
        raise
    finally:
        if live is not None:
            live.close()


def _open_live(db: Path, real: Path) -> duckdb.DuckDBPyConnection | None:
    """The live database opened read-only (None if there is none yet): proof that it is a DuckDB
    file whose write-ahead log, if any, replays, and that no other program is writing it."""
    if not real.exists():
        return None
    try:
        return duckdb.connect(str(real), read_only=True)
    except duckdb.Error as exc:
        raise StorageError(f"cannot use {db} as the database: {open_error(real, exc)}", status=2) from None


def open_error(db: Path, exc: duckdb.Error) -> str:
    """Why DuckDB cannot open ``db``, in one line, with what to do about a log it refuses."""
    reason = one_line(exc)
    if "WAL" in reason and wal_path(real_path(db)).exists():
        reason += (
            f" (the log {wal_path(real_path(db))} is an older version's: move it away to open "
            "the database as it was last saved)"
        )
    return reason


def _copy_live(db: Path, real: Path, stage: Path) -> None:
    """Copy the live database to the staging file. A log a killed writer left beside it holds
    committed transactions: it goes along, and DuckDB replays it into the staging file."""
    try:
        shutil.copy2(real, stage)
        if wal_path(real).exists():
            shutil.copy2(wal_path(real), wal_path(stage))
    except OSError as exc:
        raise StorageError(
            f"cannot copy {db} to build the new one beside it: {exc.strerror or exc}; {db} is unchanged"
        ) from None


def _swap(stage: Path, real: Path) -> None:
    """Rename the staging file over the live one, with no instant where the live path holds a
    file and another file's log.

    A log beside the live file is the old file's (the staging file replayed it): it goes first,
    so a crash between the two steps leaves the old database as it was last saved, never the
    new file with a log DuckDB refuses ("WAL checkpoint iteration does not match"). Ctrl-C and
    SIGTERM wait until both steps are done.
    """
    held = {signal.SIGINT, signal.SIGTERM}
    previous = signal.pthread_sigmask(signal.SIG_BLOCK, held)
    try:
        wal_path(real).unlink(missing_ok=True)
        os.replace(stage, real)
        _fsync_folder(real.parent)
    finally:
        signal.pthread_sigmask(signal.SIG_SETMASK, previous)


def _fsync_folder(folder: Path) -> None:
    """Make the rename itself durable. Where the file system refuses (some network ones do), the
    rename is done all the same: the new database is the live one, so that is no error."""
    with contextlib.suppress(OSError):
        fd = os.open(folder, os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)


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


def export_parquet(con: duckdb.DuckDBPyConnection, folder: Path) -> list[Path]:
    """Write statements and mentions as Parquet partitioned by month, documents as one file."""
    folder.mkdir(parents=True, exist_ok=True)
    for table in ("statements", "mentions"):
        target = sql_string(folder / table)
        con.execute(
            f"COPY (SELECT *, coalesce(strftime(date, '%Y-%m'), 'undated') AS month FROM {table}) "
            f"TO {target} (FORMAT parquet, PARTITION_BY (month), OVERWRITE_OR_IGNORE true)"
        )
    for table in ("documents", "statement_topics", "document_actors", "actors", "speakers",
                  "topics", "events"):
        con.execute(f"COPY {table} TO {sql_string(folder / (table + '.parquet'))} (FORMAT parquet)")
    return sorted(folder.iterdir())
