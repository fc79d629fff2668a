"""Ingest: read files, extract statements, write them into a staged copy of the database, swap it in."""

from __future__ import annotations

import sys
import time
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

from dashboard import names, storage
from dashboard.extract import EXTRACTION_VERSION, extract_document
from dashboard.readers import Reject, discover, read_file
from dashboard.records import ExtractedDocument, RawDocument
from dashboard.reference import Reference, load_reference
from dashboard.text import document_id
from dashboard.tone import TONE_VERSION
from dashboard.tone_model import model_version

#: Rows are written in batches of this many documents, to keep memory flat on big inputs.
BATCH_DOCUMENTS = 500


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
        self.documents += 1
        url = raw.url or doc.url
        self.rows["documents"].append(
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
            self.rows["statements"].append(
                (
                    sid, doc_id, seq, st.kind, st.start, st.end, st.para_start, st.para_end,
                    st.text, st.speaker_id, st.speaker, st.speaker_role, st.speaker_country,
                    st.attribution_method, st.confidence, st.tone, st.tone_band, doc.date,
                    doc.source_kind, doc.outlet_country, st.tone_confidence,
                )
            )  # fmt: skip
            for m in st.mentions:
                self.rows["mentions"].append(
                    (sid, doc_id, m.actor, m.surface, m.start, m.end, m.tone_toward,
                     st.speaker_country, doc.date, m.toward_confidence)
                )  # fmt: skip
            n_mentions += len(st.mentions)
            for topic in dict.fromkeys(st.topics):
                self.rows["statement_topics"].append((sid, topic))
        surfaces: dict[str, dict[str, int]] = {}
        for m in doc.mentions:
            forms = surfaces.setdefault(m.actor, {})
            forms[m.surface] = forms.get(m.surface, 0) + 1
        for actor, forms in sorted(surfaces.items()):
            self.rows["document_actors"].append(
                (doc_id, actor, " | ".join(sorted(forms)), sum(forms.values()))
            )
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
        for path in _progress(files, progress):
            result = read_file(path)
            summary.rejects.extend(result.rejects)
            if result.documents:
                summary.bytes_read += path.stat().st_size
            for raw in result.documents:
                doc_id = document_id(raw.text)
                if doc_id in seen or versions.get(doc_id) == current:
                    summary.duplicates += 1
                    continue
                try:
                    extracted = extract_document(raw, ref)
                except Exception as exc:  # one bad document must not sink the batch
                    summary.rejects.append(
                        Reject(raw.source_path, f"extraction failed: {type(exc).__name__}: {exc}")
                    )
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
                n_statements, n_mentions = batch.add(doc_id, raw, extracted, summary.run_id, now)
                summary.statements += n_statements
                summary.mentions += n_mentions
                if batch.documents >= BATCH_DOCUMENTS:
                    batch.flush(con)
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
                "paths": "\n".join(paths),
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
