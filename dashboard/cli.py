"""The command line: ingest files, evaluate extraction, benchmark the pages, export, inspect."""

from __future__ import annotations

import argparse
import contextlib
import signal
import sys
from pathlib import Path

from dashboard import settings

COMMANDS = {
    "ingest": "Read files and folders into the DuckDB database (same files twice add nothing).",
    "eval": "Score extraction against a reference file in the shared eval format.",
    "bench": "Time every page's queries on synthetic 100k and 1M statement databases.",
    "eval-tone": "Score the tone model on the labelled test split, an eval file and NewsMTSC, beside the lexicon and VADER.",
    "train": "Train the tone model on the labelled corpus in data/labels/ (deterministic).",
    "export": "Write the database's tables as Parquet, statements and mentions partitioned by month.",
    "info": "Print row counts per table and the date range of the database.",
}


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="python -m dashboard",
        description="Caucasus Rhetoric: who said what about whom in the South Caucasus, and in what tone.",
    )
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    db_help = f"DuckDB file (default: $RHETORIC_DB or {settings.SETTINGS['db'].default})"

    ingest = sub.add_parser("ingest", help=COMMANDS["ingest"], description=COMMANDS["ingest"])
    ingest.add_argument("paths", nargs="+", metavar="PATH", help="files or folders (walked recursively)")
    ingest.add_argument("--db", type=Path, help=db_help)
    ingest.add_argument("--data-dir", type=Path, help="folder of reference tables (default: data/)")
    ingest.add_argument("--quiet", action="store_true", help="no progress bar")

    for name in ("eval", "eval-tone", "bench", "train"):
        passthrough = sub.add_parser(name, help=COMMANDS[name], add_help=False)
        passthrough.add_argument("args", nargs=argparse.REMAINDER)

    export = sub.add_parser("export", help=COMMANDS["export"], description=COMMANDS["export"])
    export.add_argument("folder", type=Path, help="output folder")
    export.add_argument("--db", type=Path, help=db_help)

    info = sub.add_parser("info", help=COMMANDS["info"], description=COMMANDS["info"])
    info.add_argument("--db", type=Path, help=db_help)
    return parser


def main(argv: list[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    parser = build_parser()
    # eval, eval-tone, bench and train parse their own options (and print their own --help).
    if argv and argv[0] == "eval":
        from dashboard.evaluate import run_cli

        return run_cli(argv[1:])
    if argv and argv[0] == "bench":
        from dashboard.bench import run_cli

        return run_cli(argv[1:])
    if argv and argv[0] == "eval-tone":
        from dashboard.tone_eval import run_cli

        return run_cli(argv[1:])
    if argv and argv[0] == "train":
        from dashboard.train import run_cli

        return run_cli(argv[1:])
    args = parser.parse_args(argv)
    if args.command is None:
        parser.print_help()
        return 2
    db = args.db or settings.db_path()
    if args.command == "ingest":
        return _ingest(args, db)
    if args.command == "export":
        return _export(db, args.folder)
    return _info(db)


def _ingest(args: argparse.Namespace, db: Path) -> int:
    import duckdb

    from dashboard.ingest import ingest
    from dashboard.reference import load_reference
    from dashboard.storage import StorageError, one_line

    try:
        reference = load_reference(args.data_dir)
    except (OSError, KeyError) as exc:
        print(f"error: cannot load the reference tables: {exc}", file=sys.stderr)
        return 2
    try:
        with _terminate_as_interrupt():
            summary = ingest(args.paths, db, reference=reference, progress=not args.quiet)
    except StorageError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return exc.status
    except (OSError, duckdb.Error) as exc:
        # A folder that cannot be entered, a full disk, a file DuckDB cannot read: the staged copy
        # is gone and the previous database was never touched.
        print(f"error: {one_line(exc)}; {db} is unchanged", file=sys.stderr)
        return 1
    except KeyboardInterrupt as exc:
        signum = exc.args[0] if exc.args else signal.SIGINT
        print(f"error: ingest interrupted ({signal.Signals(signum).name})", file=sys.stderr)
        return 128 + signum
    print(f"Ingest run {summary.run_id} into {db}")
    print(summary.report())
    return 0


@contextlib.contextmanager
def _terminate_as_interrupt():
    """SIGTERM unwinds the ingest as Ctrl-C does, so it removes its staging file on the way out
    (the default action would end the process where it stands)."""

    def interrupt(signum, frame):
        raise KeyboardInterrupt(signum)

    previous = signal.signal(signal.SIGTERM, interrupt)
    try:
        yield
    finally:
        signal.signal(signal.SIGTERM, previous)


def _open_readonly(db: Path):
    """The database opened read-only, or None after saying in one line why it cannot be."""
    import duckdb

    from dashboard import storage

    if not db.exists():
        print(f"error: no database at {db}; build one with: python -m dashboard ingest PATH", file=sys.stderr)
        return None
    storage.remove_stale_staging(db)
    try:
        return storage.connect_readonly(db)
    except duckdb.Error as exc:
        print(f"error: cannot read the database {db}: {storage.open_error(db, exc)}", file=sys.stderr)
        return None


def _export(db: Path, folder: Path) -> int:
    import duckdb

    from dashboard.storage import export_parquet, one_line

    con = _open_readonly(db)
    if con is None:
        return 1
    try:
        paths = export_parquet(con, folder)
    except (OSError, duckdb.Error) as exc:
        print(f"error: cannot export to {folder}: {one_line(exc)}", file=sys.stderr)
        return 1
    finally:
        con.close()
    for path in paths:
        print(path)
    return 0


def _info(db: Path) -> int:
    import duckdb

    from dashboard import storage

    con = _open_readonly(db)
    if con is None:
        return 1
    try:
        counts = storage.table_counts(con)
        first, last, undated = con.execute(
            "SELECT min(date), max(date), count(*) FILTER (WHERE date IS NULL) FROM documents"
        ).fetchone()
    except duckdb.Error as exc:
        print(f"error: cannot read the database {db}: {storage.one_line(exc)}", file=sys.stderr)
        return 1
    finally:
        con.close()
    for table, n in counts.items():
        print(f"{table:18} {n:>10,}")
    print(f"documents dated {first} to {last}; {undated} undated")
    return 0
