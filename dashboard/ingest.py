"""Ingest: read files, extract statements, write them into a staged copy of the database, swap it in."""

from __future__ import annotations

import dataclasses
import signal
import sys
import threading
import time
from collections import Counter
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path

from dashboard import names, settings, storage
from dashboard.extract import EXTRACTION_VERSION, extract_document
from dashboard.readers import ReadResult, Reject, discover, read_file, shorten
from dashboard.records import ExtractedDocument, RawDocument
from dashboard.reference import Reference, load_reference
from dashboard.text import clean_text, clean_value, display_path, document_id
from dashboard.tone import TONE_VERSION
from dashboard.tone_model import model_version

#: Rows are written in batches of this many documents, to keep memory flat on big inputs.
BATCH_DOCUMENTS = 500
#: Files that take longer than this to read and extract are named in the summary.
SLOW_FILE_SECONDS = 1.0
#: The earliest year a document may be dated: an earlier date (``0001-01-01``) is a typing or
#: export error, and so is one after next year (``9999-12-31``).
FIRST_YEAR = 1900


def pipeline_version() -> int:
    """One number for extraction, tone and the tone model's weights together: a change in any of
    them re-extracts a document. (EXTRACTION_VERSION, TONE_VERSION, then three digits that change
    with the weights: ``6010417`` is extraction 6, tone 10, weights 417.)"""
    weights = int(model_version()[:8], 16) % 1000 if model_version() != "none" else 0
    return (EXTRACTION_VERSION * 1000 + TONE_VERSION) * 1000 + weights


@dataclass
class IngestSummary:
    run_id: int = 0
    files_seen: int = 0
    documents_added: int = 0
    documents_updated: int = 0
    duplicates: int = 0
    statements: int = 0
    mentions: int = 0
    seconds: float = 0.0
    bytes_read: int = 0
    text_bytes: int = 0  # UTF-8 bytes of the text of the documents extracted
    rejects: list[Reject] = field(default_factory=list)
    kinds: Counter = field(default_factory=Counter)  # statements written per kind
    with_speaker: int = 0  # statements with a speaker or a speaker country
    unmatched_countries: Counter = field(default_factory=Counter)  # metadata countries no actor matched
    slow_files: list[tuple[str, float]] = field(default_factory=list)  # over SLOW_FILE_SECONDS

    @property
    def files_rejected(self) -> int:
        return len({r.path for r in self.rejects})

    def report(self) -> str:
        lines = [
            f"files seen:          {self.files_seen}",
            f"documents added:     {self.documents_added}",
            f"documents updated:   {self.documents_updated} (re-extracted with the current method)",
            f"duplicates skipped:  {self.duplicates}",
            f"files rejected:      {self.files_rejected} ({len(self.rejects)} rejected inputs)",
            f"statements written:  {self.statements}",
            f"mentions written:    {self.mentions}",
            f"time:                {self.seconds:.1f} s",
        ]
        if self.kinds:
            kinds = ", ".join(f"{k} {n}" for k, n in self.kinds.most_common())
            share = self.with_speaker / max(1, sum(self.kinds.values()) - self.kinds.get("question", 0))
            lines.append(f"statements by kind:  {kinds}")
            lines.append(f"with a speaker:      {share:.1%} of the statements that are not questions")
        for value, n in self.unmatched_countries.most_common():
            lines.append(
                f"  country not in the actors table, kept as given: {value!r} ({n} documents); "
                "add it to data/actors.csv as a name or alias"
            )
        if self.slow_files:
            slowest = sorted(self.slow_files, key=lambda item: -item[1])[:3]
            named = "; ".join(f"{path} {seconds:.1f} s" for path, seconds in slowest)
            lines.append(f"slow files:          {len(self.slow_files)} over {SLOW_FILE_SECONDS:.0f} s (slowest: {named})")
        for reject in self.rejects:
            where = f" ({reject.detail})" if reject.detail else ""
            lines.append(f"  rejected: {reject.path}{where}: {reject.reason}")
        return "\n".join(lines)


class _Batch:
    """Rows waiting to be written, per table."""

    def __init__(self) -> None:
        self.rows: dict[str, list[tuple]] = {t: [] for t in storage.TABLE_COLUMNS}
        self.stale: list[str] = []
        self.documents = 0

    def add(self, doc_id: str, raw: RawDocument, doc: ExtractedDocument, run_id: int, now: datetime) -> tuple[int, int]:
        """Queue one document's rows, or raise ValueError (and queue nothing) if one of its values
        cannot be stored."""
        rows: dict[str, list[tuple]] = {t: [] for t in storage.TABLE_COLUMNS}
        url = raw.url or doc.url
        rows["documents"].append(
            (
                doc_id, raw.source_path, raw.source_format, doc.title or raw.title, raw.outlet,
                url, raw.language, doc.doc_type, doc.date, doc.date_source, raw.speaker,
                doc.speaker_country, raw.text, len(raw.text), doc.n_words,
                doc.gdelt_tone, pipeline_version(), run_id, now,
                doc.source_name, doc.outlet_country, doc.source_kind, doc.attribution,
            )
        )  # fmt: skip
        n_mentions = 0
        for seq, st in enumerate(doc.statements):
            sid = storage.statement_id(doc_id, seq)
            rows["statements"].append(
                (
                    sid, doc_id, seq, st.kind, st.start, st.end, st.para_start, st.para_end,
                    st.text, st.speaker_id, st.speaker, st.speaker_role, st.speaker_country,
                    st.attribution_method, st.confidence, st.tone, st.tone_band, doc.date,
                    doc.source_kind, doc.outlet_country, st.tone_confidence,
                )
            )  # fmt: skip
            for m in st.mentions:
                rows["mentions"].append(
                    (sid, doc_id, m.actor, m.surface, m.start, m.end, m.tone_toward,
                     st.speaker_country, doc.date, m.toward_confidence)
                )  # fmt: skip
            n_mentions += len(st.mentions)
            for topic in dict.fromkeys(st.topics):
                rows["statement_topics"].append((sid, topic))
        surfaces: dict[str, dict[str, int]] = {}
        for m in doc.mentions:
            forms = surfaces.setdefault(m.actor, {})
            forms[m.surface] = forms.get(m.surface, 0) + 1
        for actor, forms in sorted(surfaces.items()):
            rows["document_actors"].append(
                (doc_id, actor, " | ".join(sorted(forms)), sum(forms.values()))
            )
        _check_storable(rows)
        for table, new_rows in rows.items():
            self.rows[table].extend(new_rows)
        self.documents += 1
        return len(doc.statements), n_mentions

    def flush(self, con) -> None:
        if self.stale:
            # The ingest writes in one transaction; stale rows are deleted in one of their own,
            # committed before their ids are inserted again.
            con.execute("COMMIT")
            storage.delete_documents(con, self.stale)
            con.execute("BEGIN TRANSACTION")
        for table, columns in storage.TABLE_COLUMNS.items():
            storage.insert_rows(con, table, columns, self.rows[table])
        self.__init__()


def _check_storable(rows: dict[str, list[tuple]]) -> None:
    """ValueError if a text value cannot be written (the whole batch's write would fail on it)."""
    for table, table_rows in rows.items():
        for row in table_rows:
            for value in row:
                if isinstance(value, str):
                    try:
                        value.encode("utf-8")
                    except UnicodeEncodeError as exc:
                        raise ValueError(f"a value for the {table} table is not valid text: {exc.reason}") from None


def _clean_document(raw: RawDocument) -> RawDocument:
    """Every text value of the document as a database takes it: the readers clean what they read,
    and this makes sure of it for each value, the path and the metadata too (a lone surrogate
    from ``"\\ud800"`` in JSON, a file name that is not UTF-8), whatever reader gave it."""
    changes: dict[str, str | None] = {
        f.name: clean_value(value) or None
        for f in dataclasses.fields(raw)
        if f.name not in ("text", "source_path") and isinstance(value := getattr(raw, f.name), str)
    }
    return dataclasses.replace(raw, text=clean_text(raw.text), source_path=display_path(raw.source_path), **changes)


def _clean_reject(reject: Reject) -> Reject:
    return Reject(
        display_path(reject.path),
        shorten(clean_value(reject.reason)),
        reject.detail and shorten(clean_value(reject.detail)),
    )


def implausible(iso: str | None) -> bool:
    """A date before 1900 or after next year: kept undated, with a reason."""
    return iso is not None and not FIRST_YEAR <= int(iso[:4]) <= date.today().year + 1


def _undated_reason(iso: str, where: str) -> str:
    return f"implausible date {iso} {where} (before {FIRST_YEAR} or after {date.today().year + 1}): kept undated"


def _which(raw: RawDocument) -> str:
    """A document named for a reject's detail: its title, else its first words."""
    return shorten(raw.title or " ".join(raw.text[:80].split()))


class FileTimeout(BaseException):
    """A file's time is up. A BaseException, like KeyboardInterrupt: a reader's
    ``except Exception`` must not swallow it."""


class _Alarm:
    """Whether a time-limited block is running: an alarm that arrives just after its block was
    left (the signal was on its way) must not raise anywhere else."""

    armed = False


def _raise_timeout(signum, frame) -> None:
    if _Alarm.armed:
        _Alarm.armed = False
        raise FileTimeout


@contextmanager
def _time_limit(deadline: float, enabled: bool) -> Iterator[None]:
    """Interrupt the block with FileTimeout at ``deadline`` (on the ``time.monotonic`` clock).

    SIGALRM's handler runs between two bytecodes of the main thread, so it stops any loop of
    Python code, and a long regular-expression match (which checks for signals as it goes). A
    single call into C that does not check (``json.loads`` of a whole file, lxml's parse of a page)
    runs to its end first: each is linear in a file the size limit bounds. The alarm is raised
    once, so it can reach no code outside the block (a library that swallowed it with a bare
    ``except`` would run on; none of the readers' libraries has one). Off the main thread, where
    no signal can be handled, there is no limit. The clock is the wall's, so that a file stalled
    on a slow disk is stopped too; on a machine busy with other work the limit comes sooner.
    A worker process per file would stop C code too, but would cost a process start and the
    pickling of every document, on machines of two cores.
    """
    if not enabled:
        yield
        return
    remaining = deadline - time.monotonic()
    if remaining <= 0:
        raise FileTimeout
    _Alarm.armed = True
    signal.setitimer(signal.ITIMER_REAL, remaining)
    try:
        yield
    finally:
        _Alarm.armed = False
        signal.setitimer(signal.ITIMER_REAL, 0)


@contextmanager
def _alarm_handler() -> Iterator[bool]:
    """The SIGALRM handler of the file time limit, installed for the ingest; whether it could be."""
    if threading.current_thread() is not threading.main_thread():
        yield False
        return
    previous = signal.signal(signal.SIGALRM, _raise_timeout)
    try:
        yield True
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


def _record_rejects(con, run_id: int, rejects: list[Reject], now: datetime) -> None:
    storage.insert_rows(
        con,
        "rejects",
        ("run_id", "path", "reason", "detail", "rejected_at"),
        [(run_id, r.path, r.reason, r.detail, now) for r in rejects],
    )


def ingest(
    paths: Iterable[str | Path],
    db: Path,
    reference: Reference | None = None,
    progress: bool = True,
) -> IngestSummary:
    """Ingest ``paths`` into ``db``; the database is replaced whole, or not at all."""
    started = time.perf_counter()
    paths = [str(p) for p in paths]
    ref = reference or load_reference()
    summary = IngestSummary()
    db = Path(db)
    with storage.writer_lock(db), storage.staged_database(db) as con:
        now = datetime.now()
        summary.run_id = con.execute("SELECT coalesce(max(run_id), 0) + 1 FROM ingest_runs").fetchone()[0]
        storage.refresh_reference_tables(con, ref)
        versions = storage.document_versions(con)
        current = pipeline_version()
        seen: set[str] = set()
        files, missing = discover(paths)
        summary.rejects.extend(missing)
        summary.files_seen = len(files)
        batch = _Batch()
        # One transaction for all the rows: DuckDB then writes them to the file once, at the end,
        # instead of logging every batch to its write-ahead log and then writing it again.
        con.execute("BEGIN TRANSACTION")
        with _alarm_handler() as limited:
            for path in _progress(files, progress):
                file_started = time.monotonic()
                try:
                    size = path.stat().st_size
                except OSError:
                    size = 0
                limit = settings.file_time_limit(size)
                deadline = file_started + limit
                shown = display_path(path)
                timed_out = f"time limit reached: reading and extracting took over {limit:.3g} s"
                try:
                    with _time_limit(deadline, limited):
                        result = read_file(path)
                except FileTimeout:
                    result = ReadResult(rejects=[Reject(shown, timed_out + "; the file was not read")])
                summary.rejects.extend(map(_clean_reject, result.rejects))
                if result.documents:
                    summary.bytes_read += size
                notes = ReadResult()  # what happened to this file's documents, a few listed
                for number, raw in enumerate(result.documents):
                    raw = _clean_document(raw)
                    doc_id = document_id(raw.text)
                    if doc_id in seen or versions.get(doc_id) == current:
                        summary.duplicates += 1
                        continue
                    if implausible(raw.date):
                        notes.reject(shown, _undated_reason(raw.date, "in the metadata"), _which(raw))
                        raw = dataclasses.replace(raw, date=None)
                    try:
                        with _time_limit(deadline, limited):
                            extracted = extract_document(raw, ref)
                    except FileTimeout:
                        left = len(result.documents) - number
                        notes.reject(shown, f"{timed_out}; {left:,} of its {len(result.documents):,} documents not read")
                        break
                    except Exception as exc:  # one bad document must not sink the batch
                        notes.reject(shown, f"extraction failed: {type(exc).__name__}: {exc}", _which(raw))
                        continue
                    if implausible(extracted.date):
                        notes.reject(shown, _undated_reason(extracted.date, "in the text"), _which(raw))
                        extracted.date, extracted.date_source = None, "none"
                    try:
                        n_statements, n_mentions = batch.add(doc_id, raw, extracted, summary.run_id, now)
                    except ValueError as exc:
                        notes.reject(shown, f"cannot be stored: {exc}", _which(raw))
                        continue
                    seen.add(doc_id)
                    summary.text_bytes += len(raw.text.encode("utf-8"))
                    if doc_id in versions:
                        batch.stale.append(doc_id)
                        summary.documents_updated += 1
                    else:
                        summary.documents_added += 1
                    if extracted.unmatched_country:
                        summary.unmatched_countries[extracted.unmatched_country] += 1
                    for st in extracted.statements:
                        summary.kinds[st.kind] += 1
                        if st.kind != "question" and (st.speaker or st.speaker_country):
                            summary.with_speaker += 1
                    summary.statements += n_statements
                    summary.mentions += n_mentions
                    if batch.documents >= BATCH_DOCUMENTS:
                        batch.flush(con)
                notes.summarise(shown)
                summary.rejects.extend(map(_clean_reject, notes.rejects))
                seconds = time.monotonic() - file_started
                if seconds > SLOW_FILE_SECONDS:
                    summary.slow_files.append((shown, seconds))
        batch.flush(con)
        _record_rejects(con, summary.run_id, summary.rejects, now)
        con.execute("COMMIT")
        storage.build_rollups(con)
        names.build_statement_names(con, ref.names)
        summary.seconds = time.perf_counter() - started
        con.execute(
            "INSERT INTO ingest_runs VALUES ($run_id, $started, now()::TIMESTAMP, $paths, $files, "
            "$added, $updated, $dups, $rejected, $statements, $mentions, $version, $seconds)",
            {
                "run_id": summary.run_id,
                "started": now,
                "paths": "\n".join(map(display_path, paths)),
                "files": summary.files_seen,
                "added": summary.documents_added,
                "updated": summary.documents_updated,
                "dups": summary.duplicates,
                "rejected": summary.files_rejected,
                "statements": summary.statements,
                "mentions": summary.mentions,
                "version": current,
                "seconds": summary.seconds,
            },
        )
    return summary


def _progress(files: list[Path], enabled: bool):
    if not enabled:
        return files
    from tqdm import tqdm

    return tqdm(files, desc="Ingesting", unit="file", file=sys.stderr, dynamic_ncols=True)
