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
import errno
import html
import io
import json
import os
import re
import stat
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import date, datetime
from functools import cache
from html.parser import HTMLParser
from pathlib import Path

from dashboard import settings
from dashboard.records import RawDocument
from dashboard.text import clean_text, clean_value, display_path, rejoin_wrapped

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


#: A file's first few rejects are listed one by one; the rest are only counted, so that a big file
#: of bad lines neither fills memory nor prints a line per row.
REJECTS_LISTED_PER_FILE = 5
#: Reasons quote the value at fault; a value a megabyte long is cut to this many characters.
REASON_CHARS = 300


@dataclass(frozen=True)
class Reject:
    path: str
    reason: str
    detail: str | None = None


@dataclass
class ReadResult:
    documents: list[RawDocument] = field(default_factory=list)
    rejects: list[Reject] = field(default_factory=list)
    unlisted: int = 0  # rejects of this file past the first few: counted, not kept

    def reject(self, path: str, reason: str, detail: str | None = None) -> None:
        """Record a refused row or record; past the first few of a file, only count it."""
        if len(self.rejects) < REJECTS_LISTED_PER_FILE:
            self.rejects.append(Reject(path, shorten(reason), detail and shorten(detail)))
        else:
            self.unlisted += 1


    def summarise(self, path: str) -> None:
        """One more reject that counts those past the first few, if there were any."""
        if self.unlisted:
            total = len(self.rejects) + self.unlisted
            self.rejects.append(Reject(path, f"{self.unlisted:,} more rejected, not listed ({total:,} in this file)"))
            self.unlisted = 0


def shorten(reason: str) -> str:
    return reason if len(reason) <= REASON_CHARS else reason[: REASON_CHARS - 1] + "\u2026"


# --- discovery ---------------------------------------------------------------

_SPECIAL_FILES = (
    (stat.S_ISFIFO, "a named pipe (FIFO)"),
    (stat.S_ISSOCK, "a socket"),
    (stat.S_ISCHR, "a character device"),
    (stat.S_ISBLK, "a block device"),
)


def _not_a_file(mode: int) -> str:
    kind = next((name for test, name in _SPECIAL_FILES if test(mode)), "not a regular file")
    return f"not read: {kind}, not a regular file"


def _stat_error(exc: OSError, what: str) -> str:
    if exc.errno == errno.ELOOP:
        return "symbolic link loop"
    if exc.errno == errno.ENOENT:
        return "broken symbolic link (its target does not exist)"
    if exc.errno == errno.EACCES:
        return f"permission denied: cannot {what}"
    return f"cannot {what}: {exc.strerror or exc}"


def discover(paths: Iterable[str | Path]) -> tuple[list[Path], list[Reject]]:
    """All files under ``paths``, sorted, with a reject for each path or entry that is skipped.

    Folders are walked recursively, following symbolic links to folders but never into a folder
    already being walked (a link loop). What is skipped is said: a path that does not exist, a
    broken link, a link loop, a folder that cannot be listed, and anything that is not a regular
    file (a FIFO, a socket, a device: it is never opened, so a FIFO cannot block the ingest).
    Hidden files and folders and a UN General Debate folder's ``speakers.csv`` (read as metadata
    by the UNGDC reader) are not documents and are left out without a word.
    """
    found: list[Path] = []
    skipped: list[Reject] = []
    for raw in paths:
        path = Path(raw)
        try:
            info = path.stat()
        except OSError as exc:
            if exc.errno == errno.ENOENT and not path.is_symlink():
                skipped.append(Reject(display_path(path), "no such file or directory"))
            else:
                skipped.append(Reject(display_path(path), _stat_error(exc, "read its details")))
            continue
        if stat.S_ISDIR(info.st_mode):
            _walk(path, {(info.st_dev, info.st_ino)}, found, skipped)
        elif stat.S_ISREG(info.st_mode):
            found.append(path)
        else:
            skipped.append(Reject(display_path(path), _not_a_file(info.st_mode)))
    unique = sorted(set(found), key=lambda p: str(p))
    return [p for p in unique if not _is_ungdc_speakers_table(p)], skipped


def _walk(folder: Path, ancestors: set[tuple[int, int]], found: list[Path], skipped: list[Reject]) -> None:
    """The files under ``folder``; ``ancestors`` are the folders (device, inode) being walked."""
    try:
        with os.scandir(folder) as listing:
            entries = sorted(listing, key=lambda e: e.name)
    except OSError as exc:
        skipped.append(Reject(display_path(folder), _stat_error(exc, "list the folder")))
        return
    for entry in entries:
        if entry.name.startswith("."):
            continue
        path = Path(entry.path)
        try:
            info = entry.stat()  # follows a link; a FIFO is only looked at, never opened
        except OSError as exc:
            skipped.append(Reject(display_path(path), _stat_error(exc, "read its details")))
            continue
        if stat.S_ISDIR(info.st_mode):
            key = (info.st_dev, info.st_ino)
            if key in ancestors:
                skipped.append(Reject(display_path(path), "symbolic link loop (links back to a folder it is in)"))
                continue
            _walk(path, ancestors | {key}, found, skipped)
        elif stat.S_ISREG(info.st_mode):
            found.append(path)
        else:
            skipped.append(Reject(display_path(path), _not_a_file(info.st_mode)))


def _is_ungdc_speakers_table(path: Path) -> bool:
    if path.name != "speakers.csv":
        return False
    for folder in (path.parent, path.parent / "txt"):
        if folder.is_dir() and any(UNGDC_NAME.match(p.name) for p in folder.iterdir()):
            return True
    return False


# --- bytes to text -------------------------------------------------------------

#: Compressed files and archives by their first bytes: they are refused, never unpacked (a zip or
#: gzip bomb renamed ``.txt`` stays a few kilobytes on disk and is never expanded).
_ARCHIVE_MAGIC = (
    (b"PK\x03\x04", "zip"),
    (b"PK\x05\x06", "zip"),
    (b"\x1f\x8b", "gzip"),
    (b"BZh", "bzip2"),
    (b"\xfd7zXZ\x00", "xz"),
    (b"7z\xbc\xaf\x27\x1c", "7z"),
    (b"\x28\xb5\x2f\xfd", "zstd"),
    (b"Rar!", "rar"),
)


def _open_regular(path: Path) -> io.BufferedReader:
    """The file opened for reading, or ReaderError if it is not a regular file or too large.

    Opened without blocking and checked on the open descriptor: a FIFO put in a file's place
    after discovery is refused rather than waited on.
    """
    fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK)
    try:
        info = os.fstat(fd)
        if not stat.S_ISREG(info.st_mode):
            raise ReaderError(_not_a_file(info.st_mode))
        limit = settings.max_file_bytes()
        if info.st_size > limit:
            raise ReaderError(
                f"file too large: {info.st_size / 1024 / 1024:.1f} MB (limit {limit / 1024 / 1024:.0f} MB)"
            )
    except BaseException:
        os.close(fd)
        raise
    return os.fdopen(fd, "rb")


def _check_head(head: bytes, stray_nuls: bool = False) -> str:
    """The encoding of a file starting with ``head`` ("utf-16" or "utf-8-sig"), or ReaderError
    for a file that is empty, an archive or binary. With ``stray_nuls`` (a file read line by line,
    where a NUL loses one row) a few NUL bytes are let through: many of them make a binary file."""
    if not head.strip():
        raise ReaderError("empty file")
    for magic, kind in _ARCHIVE_MAGIC:
        if head.startswith(magic):
            raise ReaderError(f"compressed file ({kind}), not text: unpack it and ingest what it holds")
    if head.startswith((b"\xff\xfe", b"\xfe\xff")):
        return "utf-16"
    nuls = head.count(b"\x00")
    if nuls > (max(1, len(head) // 100) if stray_nuls else 0):
        if nuls > len(head) // 4 and (head[0::2].count(0) < nuls // 8 or head[1::2].count(0) < nuls // 8):
            raise ReaderError("looks like UTF-16 text without a byte-order mark; save the file as UTF-8")
        raise ReaderError("binary file (contains NUL bytes), not text")
    return "utf-8-sig"


def _decode(data: bytes, encoding: str) -> str:
    try:
        return data.decode(encoding)
    except UnicodeDecodeError as exc:
        if encoding == "utf-16":
            raise ReaderError(f"not valid UTF-16 text (byte {exc.start})") from None
        raise ReaderError(f"not valid UTF-8 text (byte {exc.start}); save the file as UTF-8") from None


def read_text(path: Path) -> str:
    """The file's text, or a ReaderError saying why it is not usable text."""
    with _open_regular(path) as fh:
        data = fh.read()
    text = clean_text(_decode(data, _check_head(data[:8192])))
    if not text.strip():
        raise ReaderError("empty file")
    return text


def read_lines(path: Path) -> Iterator[tuple[int, str | ReaderError]]:
    """The file's lines with their numbers and line endings, one at a time: memory stays flat
    however long the file is. A line that is not valid UTF-8 comes as a ReaderError, and the next
    line goes on. (A UTF-16 file is decoded whole: its lines cannot be found in its bytes.)"""
    with _open_regular(path) as fh:
        encoding = _check_head(fh.peek(8192)[:8192], stray_nuls=True)
        if encoding == "utf-16":
            lines: Iterable[bytes | str] = io.StringIO(_decode(fh.read(), encoding), newline="")
        else:
            lines = fh
        for number, line in enumerate(lines, start=1):
            if isinstance(line, bytes):
                if number == 1:
                    line = line.removeprefix(b"\xef\xbb\xbf")
                try:
                    line = line.decode("utf-8")
                except UnicodeDecodeError as exc:
                    yield number, ReaderError(f"not valid UTF-8 text (byte {exc.start} of the line)")
                    continue
            yield number, line


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
    # No date is written in more than a few dozen characters, and none without a digit: anything
    # else is turned down before the formats are tried (strptime costs 30 us a format).
    if not text or len(text) > 80 or not re.search(r"\d", text):
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


def _clean(value: object, name: str = "value") -> str | None:
    """A metadata value as clean text, or None; ReaderError for a list or an object."""
    if value is None:
        return None
    if isinstance(value, (dict, list)):
        raise ReaderError(f"'{name}' is a JSON {'object' if isinstance(value, dict) else 'list'}, not text")
    return clean_value(str(value)) or None


def record_to_document(record: dict, path: Path, source_format: str) -> RawDocument:
    """A JSON/CSV record with a ``text`` field as a document, or ReaderError."""
    if not isinstance(record, dict):
        raise ReaderError(f"expected an object with a 'text' field, got {type(record).__name__}")
    text = record.get("text")
    if not isinstance(text, str) or not text.strip():
        raise ReaderError("missing or empty 'text'")
    text = clean_text(text)
    if not text.strip():
        raise ReaderError("'text' holds only control characters")
    raw_date = record.get("date")
    iso = parse_meta_date(_clean(raw_date, "date"))
    if raw_date not in (None, "") and iso is None:
        raise ReaderError(f"unreadable date {raw_date!r}; use YYYY-MM-DD")
    field_value = {name: _clean(record.get(name), name) for name in METADATA_FIELDS + ("speaker_role",)}
    return RawDocument(
        text=text,
        source_path=display_path(path),
        title=field_value["title"],
        date=iso,
        outlet=field_value["outlet"],
        url=field_value["url"],
        language=field_value["language"],
        speaker=field_value["speaker"],
        # a code, a name or a demonym: extraction maps it to an actor code
        speaker_country=field_value["speaker_country"],
        speaker_role=field_value["speaker_role"],
        doc_type=normalise_doc_type(field_value["doc_type"]),
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
    return ReadResult([RawDocument(text=text, source_path=display_path(path), title=title)])


def _json_error(exc: Exception) -> str:
    """The reason a JSON text could not be loaded (json.loads raises more than JSONDecodeError)."""
    if isinstance(exc, json.JSONDecodeError):
        return f"malformed JSON: {exc.msg}"
    if isinstance(exc, RecursionError):
        return "JSON nested too deeply"
    return f"unreadable JSON value: {exc}"  # e.g. an integer of more than 4,300 digits


def read_jsonl(path: Path) -> ReadResult:
    """One document per line; a bad line (malformed, too deep, a number too long) is rejected
    alone and the file is read one line at a time."""
    result = ReadResult()
    shown = display_path(path)
    for number, line in read_lines(path):
        try:
            if isinstance(line, ReaderError):
                raise line
            if not line.strip():
                continue
            result.documents.append(record_to_document(json.loads(line), path, "jsonl"))
        except ReaderError as exc:
            result.reject(shown, str(exc), f"line {number}")
        except (ValueError, RecursionError) as exc:
            result.reject(shown, _json_error(exc), f"line {number}")
    return result


def read_json(path: Path) -> ReadResult:
    try:
        data = json.loads(read_text(path))
    except (ValueError, RecursionError) as exc:
        line = f" (line {exc.lineno})" if isinstance(exc, json.JSONDecodeError) else ""
        raise ReaderError(_json_error(exc) + line) from None
    if is_telegram_export(data):
        return read_telegram_export(data, path)
    records = data if isinstance(data, list) else [data]
    result = ReadResult()
    shown = display_path(path)
    for number, record in enumerate(records, start=1):
        try:
            result.documents.append(record_to_document(record, path, "json"))
        except ReaderError as exc:
            result.reject(shown, str(exc), f"record {number}")
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
    channel = _clean(data.get("name")) or clean_value(display_path(path.parent.name))
    result = ReadResult()
    shown = display_path(path)
    service = empty = 0
    for number, message in enumerate(data["messages"], start=1):
        if not isinstance(message, dict):
            result.reject(shown, "not a Telegram message object", f"message {number}")
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
            result.reject(shown, f"unreadable date {raw_date!r}", f"message {message.get('id', number)}")
            continue
        try:
            forwarded = _clean(message.get("forwarded_from"), "forwarded_from")
        except ReaderError as exc:
            result.reject(shown, str(exc), f"message {message.get('id', number)}")
            continue
        result.documents.append(
            RawDocument(
                text=text,
                source_path=shown,
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
        result.rejects.append(Reject(shown, "skipped " + " and ".join(skipped), "Telegram export"))
    if not result.documents and not result.rejects:
        raise ReaderError("Telegram export with no messages")
    return result


def read_csv(path: Path) -> ReadResult:
    """One document per row, read one row at a time; a broken row is rejected alone."""
    result = ReadResult()
    shown = display_path(path)
    position = {"line": 0}

    def lines() -> Iterator[str]:
        for number, line in read_lines(path):
            position["line"] = number
            if isinstance(line, ReaderError):
                result.reject(shown, str(line), f"line {number}")
                continue
            yield line

    delimiter = "\t" if path.suffix.lower() == ".tsv" else ","
    csv.field_size_limit(settings.max_file_bytes())
    # strict: a quote out of place is a broken row, not a field silently stitched together
    reader = csv.reader(lines(), delimiter=delimiter, strict=True)
    try:
        header = [h.strip().lower() for h in next(reader, [])]
    except csv.Error as exc:
        raise ReaderError(f"malformed CSV header: {exc}") from None
    if "text" not in header:
        raise ReaderError(f"no 'text' column (columns: {', '.join(header) or 'none'})")
    while True:
        try:
            row = next(reader)
        except StopIteration:
            break
        except csv.Error as exc:  # the reader starts afresh on the next line
            result.reject(shown, f"malformed CSV row: {exc}", f"line {position['line']}")
            continue
        where = f"line {position['line']}"
        if not any(cell.strip() for cell in row):
            continue
        if len(row) > len(header):
            result.reject(shown, "malformed CSV row: more fields than the header", where)
            continue
        if any("\x00" in cell for cell in row):
            result.reject(shown, "malformed CSV row: NUL bytes (binary data) in a field", where)
            continue
        try:  # a short row leaves its last columns empty
            result.documents.append(record_to_document(dict(zip(header, row, strict=False)), path, "csv"))
        except ReaderError as exc:
            result.reject(shown, str(exc), where)
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


#: What a feed may declare before its root: an XML declaration (dropped, as the bytes handed to
#: the parser are always UTF-8) and a document type without an internal subset (dropped: nothing it
#: names is loaded).
_XML_DECLARATION = re.compile(r"^\s*<\?xml\b[^>]*\?>")
_DOCTYPE = re.compile(r"<!DOCTYPE\b[^>\[]*>", re.IGNORECASE)


def feed_bytes(text: str) -> bytes:
    """A feed's text as the bytes the feed parser is given, or ReaderError for a feed that
    declares entities or an internal DTD subset. Those are refused, not expanded: an entity can
    expand to gigabytes (the "billion laughs") or name a URL or a local file to read."""
    if re.search(r"<!ENTITY\b", text, re.IGNORECASE) or re.search(r"<!DOCTYPE\b[^>\[]*\[", text, re.IGNORECASE):
        raise ReaderError("feed declares XML entities or a DTD of its own; not read (no entity is expanded)")
    return _DOCTYPE.sub("", _XML_DECLARATION.sub("", text, count=1)).encode("utf-8")


def read_feed(path: Path) -> ReadResult:
    import feedparser

    # Bytes in a stream, never a string: feedparser fetches a string that looks like a URL and
    # opens one that names a file, and here the string is the file's content.
    feed = feedparser.parse(io.BytesIO(feed_bytes(read_text(path))))
    if not feed.entries:
        if feed.bozo:
            raise ReaderError(f"malformed feed: {feed.get('bozo_exception')}")
        raise ReaderError("feed has no entries")
    outlet = _clean(feed.feed.get("title"))
    language = _clean(feed.feed.get("language"))
    result = ReadResult()
    shown = display_path(path)
    for number, entry in enumerate(feed.entries, start=1):
        content = entry.get("content") or []
        markup = content[0].get("value") if content else entry.get("summary", "")
        body = clean_text(html_to_text(markup or ""))
        if not body.strip():
            result.reject(shown, "feed entry without text", f"entry {number}")
            continue
        published = entry.get("published") or entry.get("updated")
        result.documents.append(
            RawDocument(
                text=body,
                source_path=shown,
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
    with _open_regular(path) as fh:
        head = fh.read(2048).lower()
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
    """Read one file; any failure becomes a reject with its reason, never an exception.

    A file that gives no document and no reject (``[]``, a CSV of a header alone) is a reject
    too, and a file's rejects past the first few are summed up in one more."""
    shown = display_path(path)
    try:
        reader = reader_for(path)
        if reader is None:
            supported = ", ".join(sorted(SUPPORTED_SUFFIXES))
            return ReadResult(rejects=[Reject(shown, f"unsupported file type (supported: {supported})")])
        result = reader(path)
    except ReaderError as exc:
        return ReadResult(rejects=[Reject(shown, shorten(str(exc)))])
    except OSError as exc:
        return ReadResult(rejects=[Reject(shown, f"cannot read file: {exc.strerror or exc}")])
    except Exception as exc:  # a reader bug must not lose the rest of the batch
        return ReadResult(
            rejects=[Reject(shown, shorten(f"unexpected error while reading: {type(exc).__name__}: {exc}"))]
        )
    result.summarise(shown)
    if not result.documents and not result.rejects:
        result.rejects.append(Reject(shown, "no documents in file"))
    return result


def read_all(paths: Iterable[str | Path]) -> Iterator[tuple[Path, ReadResult]]:
    files, missing = discover(paths)
    for reject in missing:
        yield Path(reject.path), ReadResult(rejects=[reject])
    for path in files:
        yield path, read_file(path)
