"""Readers: files in, ``RawDocument`` records out, and a reason for every file or row refused.

Supported inputs (directories are walked recursively):

- plain text (``.txt``, ``.md``): one article; an optional first line
  ``date 2025-03-20 ...`` and a title line may lead the text;
- JSON Lines (``.jsonl``, ``.ndjson``) and JSON (``.json``: an object or a list
  of objects) with a ``text`` field and optional metadata;
- CSV / TSV with a ``text`` column and optional metadata columns;
- HTML article pages (main text and date found by trafilatura);
- RSS / Atom feed files (``.rss``, ``.atom``, ``.xml`` that is a feed);
- a UN General Debate folder: ``ISO3_SESSION_YEAR.txt`` files with
  ``speakers.csv`` beside them (or in the parent folder);
- a Telegram Desktop export of a channel (``result.json``): one document per message.
"""

from __future__ import annotations

import csv
import email.utils
import html
import io
import json
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import date, datetime
from functools import cache
from html.parser import HTMLParser
from pathlib import Path

from dashboard import settings
from dashboard.records import RawDocument
from dashboard.text import clean_text, rejoin_wrapped

METADATA_FIELDS = (
    "date",
    "title",
    "outlet",
    "url",
    "language",
    "speaker",
    "speaker_country",
    "doc_type",
)

#: Values of the ``doc_type`` field and what they mean to extraction.
DOC_TYPE_ALIASES = {
    "reported": "reported",
    "news": "reported",
    "article": "reported",
    "first_person": "first_person",
    "first-person": "first_person",
    "speech": "first_person",
    "transcript": "first_person",
    "briefing": "first_person",
    "press_release": "first_person",
    "statement": "first_person",
    "post": "first_person",
    "interview": "first_person",
}

UNGDC_NAME = re.compile(r"^(?P<iso>[A-Z]{2,3})_(?P<session>\d{1,3})_(?P<year>\d{4})\.txt$")
TEXT_SUFFIXES = {".txt", ".md", ".text"}
JSONL_SUFFIXES = {".jsonl", ".ndjson"}
CSV_SUFFIXES = {".csv", ".tsv"}
HTML_SUFFIXES = {".html", ".htm", ".xhtml"}
FEED_SUFFIXES = {".rss", ".atom", ".xml"}
SUPPORTED_SUFFIXES = (
    TEXT_SUFFIXES | JSONL_SUFFIXES | CSV_SUFFIXES | HTML_SUFFIXES | FEED_SUFFIXES | {".json"}
)


class ReaderError(Exception):
    """A file (or row) that cannot be read; the message is the reason users see."""


@dataclass(frozen=True)
class Reject:
    path: str
    reason: str
    detail: str | None = None


@dataclass
class ReadResult:
    documents: list[RawDocument] = field(default_factory=list)
    rejects: list[Reject] = field(default_factory=list)


# --- discovery ---------------------------------------------------------------


def discover(paths: Iterable[str | Path]) -> tuple[list[Path], list[Reject]]:
    """All files under ``paths``, sorted, with a reject for each path that does not exist.

    Hidden files and a UN General Debate folder's ``speakers.csv`` (read as
    metadata by the UNGDC reader) are not documents and are left out.
    """
    found: list[Path] = []
    missing: list[Reject] = []
    for raw in paths:
        path = Path(raw)
        if path.is_dir():
            found.extend(
                p
                for p in sorted(path.rglob("*"))
                if p.is_file() and not any(part.startswith(".") for part in p.relative_to(path).parts)
            )
        elif path.is_file():
            found.append(path)
        else:
            missing.append(Reject(str(path), "no such file or directory"))
    unique = sorted(set(found), key=lambda p: str(p))
    return [p for p in unique if not _is_ungdc_speakers_table(p)], missing


def _is_ungdc_speakers_table(path: Path) -> bool:
    if path.name != "speakers.csv":
        return False
    for folder in (path.parent, path.parent / "txt"):
        if folder.is_dir() and any(UNGDC_NAME.match(p.name) for p in folder.iterdir()):
            return True
    return False


# --- bytes to text -------------------------------------------------------------


def read_text(path: Path) -> str:
    """The file's text, or a ReaderError saying why it is not usable text."""
    size = path.stat().st_size
    limit = settings.max_file_bytes()
    if size > limit:
        raise ReaderError(
            f"file too large: {size / 1024 / 1024:.1f} MB (limit {limit / 1024 / 1024:.0f} MB)"
        )
    data = path.read_bytes()
    if not data.strip():
        raise ReaderError("empty file")
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            text = data.decode("utf-16")
        except UnicodeDecodeError as exc:
            raise ReaderError(f"not valid UTF-16 text (byte {exc.start})") from None
    else:
        if b"\x00" in data[:8192]:
            raise ReaderError("binary file (contains NUL bytes), not text")
        try:
            text = data.decode("utf-8-sig")
        except UnicodeDecodeError as exc:
            raise ReaderError(
                f"not valid UTF-8 text (byte {exc.start}); save the file as UTF-8"
            ) from None
    text = clean_text(text)
    if not text.strip():
        raise ReaderError("empty file")
    return text


# --- metadata helpers ------------------------------------------------------------

_DATE_FORMATS = (
    "%Y-%m-%d",
    "%Y/%m/%d",
    "%d.%m.%Y",
    "%d/%m/%Y",
    "%d %B %Y",
    "%d %b %Y",
    "%B %d, %Y",
    "%b %d, %Y",
    "%d %b. %Y",
)


def parse_meta_date(value: object) -> str | None:
    """An ISO date from a metadata value (ISO, RFC 2822, '26 December 2024', ...), else None."""
    if value is None:
        return None
    if isinstance(value, datetime):
        return value.date().isoformat()
    if isinstance(value, date):
        return value.isoformat()
    text = str(value).strip()
    if not text:
        return None
    try:
        return datetime.fromisoformat(text.replace("Z", "+00:00")).date().isoformat()
    except ValueError:
        pass
    if re.match(r"^\d{4}-\d{2}-\d{2}", text):
        try:
            return date.fromisoformat(text[:10]).isoformat()
        except ValueError:
            return None
    for fmt in _DATE_FORMATS:
        try:
            return datetime.strptime(text, fmt).date().isoformat()
        except ValueError:
            continue
    try:
        parsed = email.utils.parsedate_to_datetime(text)
    except (TypeError, ValueError, IndexError):
        return None
    return parsed.date().isoformat() if parsed else None


def normalise_doc_type(value: object) -> str | None:
    if value is None or str(value).strip() == "":
        return None
    key = str(value).strip().lower().replace(" ", "_")
    if key not in DOC_TYPE_ALIASES:
        raise ReaderError(
            f"unknown doc_type {value!r}; use one of: {', '.join(sorted(DOC_TYPE_ALIASES))}"
        )
    return DOC_TYPE_ALIASES[key]


def _clean(value: object) -> str | None:
    if value is None:
        return None
    text = str(value).strip()
    return text or None


def record_to_document(record: dict, path: Path, source_format: str) -> RawDocument:
    """A JSON/CSV record with a ``text`` field as a document, or ReaderError."""
    if not isinstance(record, dict):
        raise ReaderError(f"expected an object with a 'text' field, got {type(record).__name__}")
    text = record.get("text")
    if not isinstance(text, str) or not text.strip():
        raise ReaderError("missing or empty 'text'")
    raw_date = record.get("date")
    iso = parse_meta_date(raw_date)
    if raw_date not in (None, "") and iso is None:
        raise ReaderError(f"unreadable date {raw_date!r}; use YYYY-MM-DD")
    country = _clean(record.get("speaker_country"))
    return RawDocument(
        text=clean_text(text),
        source_path=str(path),
        title=_clean(record.get("title")),
        date=iso,
        outlet=_clean(record.get("outlet")),
        url=_clean(record.get("url")),
        language=_clean(record.get("language")),
        speaker=_clean(record.get("speaker")),
        speaker_country=country,  # a code, a name or a demonym: extraction maps it to an actor code
        speaker_role=_clean(record.get("speaker_role")),
        doc_type=normalise_doc_type(record.get("doc_type")),
        source_format=source_format,
    )


# --- readers -----------------------------------------------------------------------

#: An optional first line of a plain-text article: ``date 2025-03-20 20 Mar. 22:45 (UTC+3 MSK)``.
HEADER_DATE = re.compile(r"^\s*date\s+(?P<iso>\d{4}-\d{2}-\d{2})\b", re.IGNORECASE)


def read_plain_text(path: Path) -> ReadResult:
    """One article per file. The text is kept whole; a leading title line becomes the title."""
    text = read_text(path)
    lines = [line.strip() for line in text.split("\n")]
    body = [line for line in lines if line]
    title = None
    if body and HEADER_DATE.match(body[0]):
        body = body[1:]
    if len(body) >= 2 and len(body[0]) <= 200 and not body[0].endswith((".", '"', "\u201d")):
        title = body[0]
    return ReadResult([RawDocument(text=text, source_path=str(path), title=title)])


def read_jsonl(path: Path) -> ReadResult:
    result = ReadResult()
    for number, line in enumerate(read_text(path).split("\n"), start=1):
        if not line.strip():
            continue
        try:
            record = json.loads(line)
            result.documents.append(record_to_document(record, path, "jsonl"))
        except json.JSONDecodeError as exc:
            result.rejects.append(Reject(str(path), f"malformed JSON: {exc.msg}", f"line {number}"))
        except ReaderError as exc:
            result.rejects.append(Reject(str(path), str(exc), f"line {number}"))
    if not result.documents and not result.rejects:
        raise ReaderError("no records in file")
    return result


def read_json(path: Path) -> ReadResult:
    try:
        data = json.loads(read_text(path))
    except json.JSONDecodeError as exc:
        raise ReaderError(f"malformed JSON: {exc.msg} (line {exc.lineno})") from None
    if is_telegram_export(data):
        return read_telegram_export(data, path)
    records = data if isinstance(data, list) else [data]
    result = ReadResult()
    for number, record in enumerate(records, start=1):
        try:
            result.documents.append(record_to_document(record, path, "json"))
        except ReaderError as exc:
            result.rejects.append(Reject(str(path), str(exc), f"record {number}"))
    return result


# --- Telegram Desktop exports -------------------------------------------------------------


def is_telegram_export(data: object) -> bool:
    """The ``result.json`` Telegram Desktop writes when a channel or chat is exported."""
    return isinstance(data, dict) and isinstance(data.get("messages"), list) and "text" not in data


def telegram_text(value: object) -> str:
    """A message's ``text``: a string, or a list of strings and entities ({"type", "text"})."""
    if isinstance(value, str):
        return value
    if isinstance(value, list):
        parts = []
        for part in value:
            if isinstance(part, str):
                parts.append(part)
            elif isinstance(part, dict) and isinstance(part.get("text"), str):
                parts.append(part["text"])  # a link's words, never its address: nothing is fetched
        return "".join(parts)
    return ""


def read_telegram_export(data: dict, path: Path) -> ReadResult:
    """One document per message, with the channel as its outlet.

    A forwarded message is the words of the channel it came from (``forwarded_from``), so that
    channel is its outlet and the title says who forwarded it. Service messages ("channel
    created", "pinned a message") and posts without text (a photo, a poll) are not documents;
    how many were skipped is recorded once for the file.
    """
    channel = _clean(data.get("name")) or path.parent.name
    result = ReadResult()
    service = empty = 0
    for number, message in enumerate(data["messages"], start=1):
        if not isinstance(message, dict):
            result.rejects.append(Reject(str(path), "not a Telegram message object", f"message {number}"))
            continue
        if message.get("type", "message") != "message":
            service += 1
            continue
        text = clean_text(telegram_text(message.get("text"))).strip()
        if not text:
            empty += 1
            continue
        raw_date = message.get("date")
        iso = parse_meta_date(raw_date)
        if raw_date not in (None, "") and iso is None:
            result.rejects.append(Reject(str(path), f"unreadable date {raw_date!r}", f"message {message.get('id', number)}"))
            continue
        forwarded = _clean(message.get("forwarded_from"))
        result.documents.append(
            RawDocument(
                text=text,
                source_path=str(path),
                title=f"Forwarded by {channel} from {forwarded}" if forwarded else None,
                date=iso,
                outlet=forwarded or channel,
                source_format="telegram",
                native_id=str(message["id"]) if str(message.get("id", "")).isdigit() and not forwarded else None,
            )
        )
    if service or empty:
        skipped = []
        if service:
            skipped.append(f"{service} service messages")
        if empty:
            skipped.append(f"{empty} messages without text (photos, videos, polls)")
        result.rejects.append(Reject(str(path), "skipped " + " and ".join(skipped), "Telegram export"))
    if not result.documents and not result.rejects:
        raise ReaderError("Telegram export with no messages")
    return result


def read_csv(path: Path) -> ReadResult:
    text = read_text(path)
    delimiter = "\t" if path.suffix.lower() == ".tsv" else ","
    csv.field_size_limit(settings.max_file_bytes())
    reader = csv.DictReader(io.StringIO(text, newline=""), delimiter=delimiter)
    header = [h.strip().lower() for h in (reader.fieldnames or [])]
    if "text" not in header:
        raise ReaderError(f"no 'text' column (columns: {', '.join(header) or 'none'})")
    result = ReadResult()
    try:
        for row in reader:
            line = reader.line_num
            if None in row:
                result.rejects.append(
                    Reject(str(path), "malformed CSV row: more fields than the header", f"line {line}")
                )
                continue
            record = {(k or "").strip().lower(): v for k, v in row.items()}
            try:
                result.documents.append(record_to_document(record, path, "csv"))
            except ReaderError as exc:
                result.rejects.append(Reject(str(path), str(exc), f"line {line}"))
    except csv.Error as exc:
        result.rejects.append(Reject(str(path), f"malformed CSV: {exc}", f"line {reader.line_num}"))
    return result


def read_html(path: Path) -> ReadResult:
    import trafilatura  # imported here: loading it costs time other readers need not pay

    markup = read_text(path)
    extracted = trafilatura.extract(
        markup, output_format="json", with_metadata=True, include_comments=False
    )
    if not extracted:
        raise ReaderError("no article text found in the HTML page")
    meta = json.loads(extracted)
    text = (meta.get("text") or "").strip()
    if not text:
        raise ReaderError("no article text found in the HTML page")
    return ReadResult(
        [
            RawDocument(
                text=clean_text(text),
                source_path=str(path),
                title=_clean(meta.get("title")),
                date=parse_meta_date(meta.get("date")),
                outlet=_clean(meta.get("sitename")),
                url=_clean(meta.get("source")),
                language=_clean(meta.get("language")),
                source_format="html",
            )
        ]
    )


class _TextOnly(HTMLParser):
    """Markup to plain text, with paragraph breaks; nothing from it is ever rendered as HTML."""

    BLOCKS = frozenset({"p", "br", "div", "li", "h1", "h2", "h3", "h4", "blockquote", "tr"})

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []

    def handle_starttag(self, tag: str, attrs: list) -> None:
        if tag in self.BLOCKS:
            self.parts.append("\n")

    def handle_endtag(self, tag: str) -> None:
        if tag in self.BLOCKS:
            self.parts.append("\n")

    def handle_data(self, data: str) -> None:
        self.parts.append(data)


def html_to_text(markup: str) -> str:
    if "<" not in markup:
        return html.unescape(markup).strip()
    parser = _TextOnly()
    parser.feed(markup)
    lines = [re.sub(r"[ \t]+", " ", line).strip() for line in "".join(parser.parts).split("\n")]
    return "\n".join(line for line in lines if line)


def read_feed(path: Path) -> ReadResult:
    import feedparser

    text = read_text(path)
    feed = feedparser.parse(text)
    if not feed.entries:
        if feed.bozo:
            raise ReaderError(f"malformed feed: {feed.get('bozo_exception')}")
        raise ReaderError("feed has no entries")
    outlet = _clean(feed.feed.get("title"))
    language = _clean(feed.feed.get("language"))
    result = ReadResult()
    for number, entry in enumerate(feed.entries, start=1):
        content = entry.get("content") or []
        markup = content[0].get("value") if content else entry.get("summary", "")
        body = html_to_text(markup or "")
        if not body:
            result.rejects.append(Reject(str(path), "feed entry without text", f"entry {number}"))
            continue
        published = entry.get("published") or entry.get("updated")
        result.documents.append(
            RawDocument(
                text=body,
                source_path=str(path),
                title=_clean(html_to_text(entry.get("title", ""))),
                date=parse_meta_date(published),
                outlet=outlet,
                url=_clean(entry.get("link")),
                language=language,
                source_format="feed",
            )
        )
    return result


# --- UN General Debate ---------------------------------------------------------------

_HONORIFIC = re.compile(r"^(?:(?:Mr|Mrs|Ms|Miss|Dr|Sir|H\.?E|Sheikh|Lord|Dame)\.?\s+)+", re.I)


def tidy_speaker_name(name: str) -> str:
    """'Mr. DULLES' -> 'Dulles'; 'Jeyhun Aziz oglu Bayramov' stays as it is."""
    name = _HONORIFIC.sub("", name.strip())
    if name.isupper():
        name = name.title()
    return name


@cache
def _ungdc_speakers(table: Path, mtime: float) -> dict[tuple[str, str], dict[str, str]]:
    with table.open(encoding="utf-8-sig", newline="") as fh:
        return {(row["iso3"], row["year"]): row for row in csv.DictReader(fh)}


def _find_speakers_table(path: Path) -> Path | None:
    for folder in (path.parent, path.parent.parent):
        candidate = folder / "speakers.csv"
        if candidate.is_file():
            return candidate
    return None


def ungdc_country(iso: str, year: int) -> str:
    """The actor a UNGDC delegation speaks for: the corpus files the USSR under RUS."""
    if iso == "RUS" and year < 1992:
        return "SUN"
    return iso


def read_ungdc(path: Path) -> ReadResult:
    match = UNGDC_NAME.match(path.name)
    assert match, path
    iso, year = match["iso"], int(match["year"])
    text = rejoin_wrapped(read_text(path))
    if not text.strip():
        raise ReaderError("empty file")
    table = _find_speakers_table(path)
    row = _ungdc_speakers(table, table.stat().st_mtime).get((iso, str(year)), {}) if table else {}
    country_name = row.get("country") or iso
    speaker = tidy_speaker_name(row.get("speaker", "")) or None
    return ReadResult(
        [
            RawDocument(
                text=text,
                source_path=str(path),
                title=f"{country_name} at the UN General Debate, session {match['session']} ({year})",
                # The corpus gives only the session; the General Debate opens in September.
                date=f"{year}-09-01",
                outlet="UN General Debate Corpus",
                language="en",
                speaker=speaker,
                speaker_country=ungdc_country(iso, year),
                speaker_role=row.get("post") or None,
                doc_type="first_person",
                source_format="ungdc",
            )
        ]
    )


# --- dispatch ------------------------------------------------------------------------


def _looks_like_feed(path: Path) -> bool:
    head = path.read_bytes()[:2048].lower()
    return b"<rss" in head or b"<feed" in head or b"<rdf" in head


def reader_for(path: Path):
    suffix = path.suffix.lower()
    if suffix in TEXT_SUFFIXES:
        return read_ungdc if UNGDC_NAME.match(path.name) and _find_speakers_table(path) else read_plain_text
    if suffix in JSONL_SUFFIXES:
        return read_jsonl
    if suffix == ".json":
        return read_json
    if suffix in CSV_SUFFIXES:
        return read_csv
    if suffix in HTML_SUFFIXES:
        return read_html
    if suffix in FEED_SUFFIXES:
        return read_feed if suffix != ".xml" or _looks_like_feed(path) else None
    return None


def read_file(path: Path) -> ReadResult:
    """Read one file; any failure becomes a reject with its reason, never an exception."""
    reader = reader_for(path)
    if reader is None:
        supported = ", ".join(sorted(SUPPORTED_SUFFIXES))
        return ReadResult(rejects=[Reject(str(path), f"unsupported file type (supported: {supported})")])
    try:
        return reader(path)
    except ReaderError as exc:
        return ReadResult(rejects=[Reject(str(path), str(exc))])
    except OSError as exc:
        return ReadResult(rejects=[Reject(str(path), f"cannot read file: {exc.strerror or exc}")])
    except Exception as exc:  # a reader bug must not lose the rest of the batch
        return ReadResult(
            rejects=[Reject(str(path), f"unexpected error while reading: {type(exc).__name__}: {exc}")]
        )


def read_all(paths: Iterable[str | Path]) -> Iterator[tuple[Path, ReadResult]]:
    files, missing = discover(paths)
    for reject in missing:
        yield Path(reject.path), ReadResult(rejects=[reject])
    for path in files:
        yield path, read_file(path)
