"""Hostile and careless inputs, generated here: every bad file is a reject with a reason, nothing is
fetched or read beside the files given, good files and good lines beside bad ones go in, and no
file takes more than 5 s per MB (a file under a megabyte: 5 s).

Run as a script (``python tests/test_hostile_inputs.py``) it prints the counts over the generated
set: files tried, rejected with a reason, hung, requests made.
"""

from __future__ import annotations

import faulthandler
import gzip
import io
import json
import os
import random
import shutil
import subprocess
import sys
import tempfile
import threading
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import duckdb
import pytest

ROOT = Path(__file__).resolve().parent.parent
SECRET = "LOCAL-SECRET-7c1e9b"  # in a file beside the batch, never given to ingest
REMOTE = "REMOTE-PAYLOAD-3f8a2d"  # what the test server answers
GOOD = "Armenia and Azerbaijan held talks in Brussels on the peace treaty, the ministry said."
SECONDS_PER_MB = 5.0  # the bound every file must keep
LIMIT_PER_MB = 4.0  # the time limit the batch is ingested with: a stopped file stays under the bound


class Counter(BaseHTTPRequestHandler):
    """Counts every request, of any method, and answers with the remote payload."""

    hits: list[str] = []

    def _answer(self) -> None:
        Counter.hits.append(f"{self.command} {self.path}")
        body = f"<rss><channel><item><description>{REMOTE}</description></item></channel></rss>".encode()
        self.send_response(200)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    do_GET = do_POST = do_HEAD = _answer

    def log_message(self, *args) -> None:
        pass


def start_server() -> ThreadingHTTPServer:
    server = ThreadingHTTPServer(("127.0.0.1", 0), Counter)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server


@dataclass(frozen=True)
class Case:
    name: str  # the file's path under the batch folder (a name of bytes for the non-UTF-8 one)
    expect: str  # "rejected": a reject and no document; "in": a document; "partial": both
    marker: str | None = None  # a word of a good document or line that must be in the database
    reason: str | None = None  # words the reject's reason must hold


def good(marker: str) -> str:
    return f"{GOOD} {marker}."


def _bomb_feed(kind: str) -> str:
    entities = "".join(f'<!ENTITY l{i} "{f"&l{i - 1};" * 10}">' for i in range(1, 10))
    return (
        f'<?xml version="1.0"?><!DOCTYPE {kind} [<!ENTITY l0 "lol">{entities}]>'
        f"<{kind}><channel><title>bomb</title><item><description>&l9;</description></item></channel></{kind}>"
    )


def generate(folder: Path, url: str, secret: Path) -> list[Case]:
    """Write the hostile batch into ``folder``; the cases say what must become of each file."""
    rng = random.Random(12)
    cases: list[Case] = []

    def put(name: str, data: bytes | str, expect: str, marker: str | None = None, reason: str | None = None):
        path = folder / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data.encode("utf-8") if isinstance(data, str) else data)
        cases.append(Case(name, expect, marker, reason))

    # Good files beside the bad ones.
    put("good/one.txt", good("GOODONE"), "in", "GOODONE")
    put("good/two.jsonl", json.dumps({"text": good("GOODTWO"), "date": "2024-05-01"}) + "\n", "in", "GOODTWO")
    put("good/three.csv", f'text,title\n"{good("GOODTHREE")}",Three\n', "in", "GOODTHREE")

    # Binary and every wrong encoding.
    put("enc/random.txt", rng.randbytes(4096), "rejected", reason="binary file")
    put("enc/image.json", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + rng.randbytes(512), "rejected", reason="binary")
    put("enc/utf16-bom.txt", good("UTF16BOM").encode("utf-16"), "in", "UTF16BOM")
    put("enc/utf16le.txt", good("NOBOM").encode("utf-16-le"), "rejected", reason="UTF-16")
    put("enc/utf16be.jsonl", json.dumps({"text": good("NOBOMBE")}).encode("utf-16-be"), "rejected", reason="UTF-16")
    put("enc/latin1.txt", "Caf\u00e9 \u00e0 Bak\u00fc, d\u00e9clar\u00e9 le minist\u00e8re.".encode("latin-1"), "rejected", reason="UTF-8")
    put("enc/cp1251.txt", "\u041c\u0438\u043d\u0438\u0441\u0442\u0440 \u0437\u0430\u044f\u0432\u0438\u043b \u043e \u043f\u0435\u0440\u0435\u0433\u043e\u0432\u043e\u0440\u0430\u0445.".encode("cp1251"), "rejected", reason="UTF-8")
    put(
        "enc/invalid-line.jsonl",
        json.dumps({"text": good("BADBYTESGOOD")}).encode() + b"\n" + b'{"text": "caf\xe9 \xff\xfe"}\n',
        "partial", "BADBYTESGOOD", "UTF-8",
    )  # fmt: skip

    # Truncated files.
    put("trunc/cut.json", '[{"text": "' + good("CUTJSON"), "rejected", reason="malformed JSON")
    put("trunc/cut.jsonl", json.dumps({"text": good("CUTLINEGOOD")}) + '\n{"text": "half a li', "partial", "CUTLINEGOOD", "malformed JSON")
    put("trunc/cut-utf8.txt", "\u041c\u0438\u043d\u0438\u0441\u0442\u0440".encode()[:-1], "rejected", reason="UTF-8")

    # Deep and huge JSON; one bad line loses one line.
    put("json/deep.json", "[" * 200_000 + "]" * 200_000, "rejected", reason="nested too deeply")
    lines = [
        json.dumps({"text": good("DEEPGOOD")}),
        "[" * 100_000,
        '{"text": "a number", "title": ' + "9" * 5000 + "}",
        json.dumps({"text": good("SURROGATE") + " x\ud800y", "title": "t\udfffz", "outlet": "o\ud800"}),
        json.dumps({"text": good("OLDDATE"), "date": "0001-01-01"}),
        json.dumps({"text": good("FARDATE"), "date": "9999-12-31"}),
        json.dumps({"text": good("LISTTITLE"), "title": ["not", "text"]}),
    ]
    put("json/mixed.jsonl", "\n".join(lines) + "\n", "partial", "DEEPGOOD", "nested too deeply")
    many = [{"n": i} for i in range(40_000)] + [{"text": good("HUGEJSONGOOD")}]
    put("json/huge.json", json.dumps(many), "partial", "HUGEJSONGOOD", "more rejected")
    junk = "".join(f"{{not json {i} " + "x" * rng.randrange(20, 200) + "\n" for i in range(20_000))
    put("json/malformed-lines.jsonl", junk + json.dumps({"text": good("JUNKGOOD")}) + "\n", "partial", "JUNKGOOD", "more rejected")
    put("json/empty-list.json", "[]", "rejected", reason="no documents in file")
    put("json/empty.jsonl", "", "rejected", reason="empty file")

    # Ragged CSV with NULs and formula cells (formulas are text: they go in as written).
    csv_rows = [
        "text,title,date",
        f'"{good("CSVGOOD")}",Good,2023-04-05',
        f'"{good("CSVEXTRA")}",Extra,2023-04-05,one too many',
        '"a NUL \x00 in the middle",Nul,2023-04-05',
        f'"=HYPERLINK(""{url}/formula"",""click"") {good("CSVFORMULA")}",@SUM(A1),2023-04-05',
        "short row",
        f'"{good("CSVLATE")}",Late,2023-04-05',
        '"an unterminated quote,Bad,2023-04-05',
    ]
    put("csv/ragged.csv", "\n".join(csv_rows) + "\n", "partial", "CSVGOOD", "more fields than the header")
    put("csv/header-only.csv", "text,title,date\n", "rejected", reason="no documents in file")
    put("csv/no-text-column.tsv", "title\tdate\nA\t2024-01-01\n", "rejected", reason="no 'text' column")

    # Feeds pointing elsewhere, entities, a feed that is only a URL or a path.
    put(
        "feeds/links.rss",
        f'<rss version="2.0" xmlns:content="http://purl.org/rss/1.0/modules/content/"><channel>'
        f"<title>Links</title><link>{url}/channel</link><image><url>{url}/logo.png</url></image>"
        f'<item><title>Remote</title><link>{url}/item</link><enclosure url="{url}/enc.mp3" type="audio/mpeg"/>'
        f'<content:encoded><![CDATA[<p>{good("FEEDLINKS")}</p><img src="{url}/pixel.gif"/>'
        f'<iframe src="file://{secret}"></iframe>]]></content:encoded></item>'
        f"<item><title>Local</title><link>file://{secret}</link><description>{good('FEEDLOCAL')}</description></item>"
        "</channel></rss>",
        "in", "FEEDLINKS",
    )  # fmt: skip
    put("feeds/only-a-url.rss", f"{url}/feed.xml", "rejected", reason="malformed feed")
    put("feeds/only-a-path.rss", str(secret), "rejected", reason="malformed feed")
    put("feeds/file-url.atom", f"file://{secret}", "rejected", reason="malformed feed")
    for name, target in (("xxe-file.rss", f"file://{secret}"), ("xxe-http.xml", f"{url}/xxe")):
        put(
            f"feeds/{name}",
            f'<?xml version="1.0"?><!DOCTYPE rss [<!ENTITY x SYSTEM "{target}">]>'
            f"<rss><channel><title>x</title><item><description>&x; {good('XXE')}</description></item></channel></rss>",
            "rejected", reason="entities",
        )  # fmt: skip
    put("feeds/billion-laughs.rss", _bomb_feed("rss"), "rejected", reason="entities")
    put(
        "feeds/external-dtd.atom",
        f'<?xml version="1.0"?><!DOCTYPE feed SYSTEM "{url}/feed.dtd">'
        f'<feed xmlns="http://www.w3.org/2005/Atom"><title>DTD</title><entry><title>E</title>'
        f"<content>{good('EXTDTD')}</content></entry></feed>",
        "in", "EXTDTD",
    )  # fmt: skip
    put(
        "feeds/xinclude.rss",
        '<rss xmlns:xi="http://www.w3.org/2001/XInclude"><channel><title>XI</title><item>'
        f'<description>{good("XINCLUDE")}</description><xi:include href="file://{secret}" parse="text"/>'
        f'<xi:include href="{url}/xi" parse="text"/></item></channel></rss>',
        "in", "XINCLUDE",
    )  # fmt: skip
    put("feeds/bomb-not-a-feed.xml", _bomb_feed("root"), "rejected", reason="unsupported file type")

    # HTML that would load things.
    put(
        "html/loads.html",
        f'<html><head><title>Loads</title><link rel="stylesheet" href="{url}/s.css">'
        f'<script src="{url}/s.js"></script><meta http-equiv="refresh" content="0;url={url}/r">'
        f'<base href="{url}/"></head><body><article><h1>Talks</h1><p>{good("HTMLLOADS")}</p>'
        f'<p>{GOOD} The talks went on for hours, the statement added.</p>'
        f'<img src="{url}/pixel.gif"><iframe src="{url}/frame"></iframe>'
        f'<object data="file://{secret}"></object></article></body></html>',
        "in", "HTMLLOADS",
    )  # fmt: skip
    put(
        "html/xxe.html",
        f'<?xml version="1.0"?><!DOCTYPE html [<!ENTITY x SYSTEM "file://{secret}"><!ENTITY y SYSTEM "{url}/y">]>'
        f"<html><body><article><p>&x; &y; {good('HTMLXXE')}</p><p>{GOOD}</p></article></body></html>",
        "any",
    )  # fmt: skip

    # A page that is only an address: its words may be kept as text, but nothing is fetched or opened.
    put("html/only-a-url.html", f"{url}/page.html", "any")
    put("html/only-a-path.htm", str(secret), "any")

    # Archive bombs renamed as text: refused by their first bytes, never unpacked.
    zipped = io.BytesIO()
    with zipfile.ZipFile(zipped, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("big.txt", b"\0" * 20_000_000)
    put("bombs/zip-bomb.txt", zipped.getvalue(), "rejected", reason="compressed file (zip)")
    bomb = gzip.compress(b"{" * 20_000_000, compresslevel=9)
    put("bombs/gzip-bomb.json", bomb, "rejected", reason="compressed file (gzip)")
    put("bombs/gzip-bomb.jsonl", bomb, "rejected", reason="compressed file (gzip)")
    put("bombs/gzip-bomb.csv", bomb, "rejected", reason="compressed file (gzip)")

    # Huge single lines and large paragraph counts (a few MB: the 20 and 40 MB cases are the benchmark's).
    words = "Armenia Azerbaijan Georgia Russia Turkey Iran talks peace border minister said the".split()
    # Most of a megabyte on one line with no full stop, and 12,000 paragraphs: extraction is linear
    # in the length, so both go in well within the time limit.
    one_line = " ".join(rng.choice(words) for _ in range(120_000)) + " ONELINE"
    put("big/one-line.txt", one_line, "in", "ONELINE")
    paragraphs = "\n\n".join(f"Paragraph {i}: {rng.choice(words)} {rng.choice(words)}." for i in range(12_000))
    put("big/paragraphs.txt", f"Title\n\n{paragraphs}\n\nMANYPARAS", "in", "MANYPARAS")

    # A file name that is not UTF-8.
    name = os.fsdecode(b"names/bad-\xff\xfe-name.txt")
    put(name, good("BADNAME"), "in", "BADNAME")

    # Entries that are no regular file: symbolic link loops, a broken link, a FIFO, a device.
    loops = folder / "links"
    loops.mkdir()
    (loops / "back-up").symlink_to("..", target_is_directory=True)
    cases.append(Case("links/back-up", "rejected", reason="symbolic link loop"))
    (loops / "self.txt").symlink_to("self.txt")
    cases.append(Case("links/self.txt", "rejected", reason="symbolic link loop"))
    (loops / "gone.txt").symlink_to("nowhere.txt")
    cases.append(Case("links/gone.txt", "rejected", reason="broken symbolic link"))
    os.mkfifo(folder / "links" / "pipe.txt")
    cases.append(Case("links/pipe.txt", "rejected", reason="named pipe"))
    (loops / "null.txt").symlink_to("/dev/null")
    cases.append(Case("links/null.txt", "rejected", reason="character device"))
    return cases


@dataclass
class Outcome:
    cases: list[Case]
    folder: Path
    db: Path
    summary: object
    hits: list[str]
    con: duckdb.DuckDBPyConnection  # the database, open read-only


def run_batch(base: Path) -> Outcome:
    """Generate the batch under ``base``, ingest it with the test server running, and stop."""
    from dashboard.ingest import ingest

    secret = base / "secret.txt"
    secret.write_text(f"{SECRET}\n", encoding="utf-8")
    folder = base / "batch"
    folder.mkdir()
    server = start_server()
    Counter.hits = []
    limits = {"RHETORIC_FILE_SECONDS_PER_MB": str(LIMIT_PER_MB), "RHETORIC_FILE_MIN_SECONDS": str(LIMIT_PER_MB)}
    saved = {name: os.environ.get(name) for name in limits}
    os.environ.update(limits)
    try:
        cases = generate(folder, f"http://127.0.0.1:{server.server_port}", secret)
        db = base / "hostile.duckdb"
        faulthandler.dump_traceback_later(300, exit=True)  # a hang fails the run, with a traceback
        try:
            summary = ingest([folder], db, progress=False)
        finally:
            faulthandler.cancel_dump_traceback_later()
    finally:
        server.shutdown()
        server.server_close()
        for name, value in saved.items():
            if value is None:
                os.environ.pop(name, None)
            else:
                os.environ[name] = value
    return Outcome(cases, folder, db, summary, list(Counter.hits), duckdb.connect(str(db), read_only=True))


def allowed_seconds(size: int) -> float:
    return SECONDS_PER_MB * max(1.0, size / 1024 / 1024)


@pytest.fixture(scope="module")
def outcome(tmp_path_factory) -> Iterator[Outcome]:
    result = run_batch(tmp_path_factory.mktemp("hostile"))
    yield result
    result.con.close()


def rows(outcome: Outcome, sql: str, params: list | None = None) -> list[tuple]:
    return outcome.con.execute(sql, params or []).fetchall()


def shown(outcome: Outcome, case: Case) -> str:
    from dashboard.text import display_path

    return display_path(outcome.folder / case.name)


def test_no_request_is_made(outcome):
    assert outcome.hits == []


def test_nothing_from_the_secret_file_or_the_server_is_stored(outcome):
    columns: dict[str, list[str]] = {}
    for table, column in rows(
        outcome, "SELECT table_name, column_name FROM information_schema.columns WHERE data_type = 'VARCHAR'"
    ):
        columns.setdefault(table, []).append(column)
    for table, names in columns.items():
        found = " OR ".join(f'contains("{c}", $secret) OR contains("{c}", $remote)' for c in names)
        count = outcome.con.execute(
            f'SELECT count(*) FROM "{table}" WHERE {found}', {"secret": SECRET, "remote": REMOTE}
        ).fetchone()[0]
        assert count == 0, table


def test_good_files_and_good_lines_go_in(outcome):
    for case in outcome.cases:
        if case.marker:
            found = rows(outcome, "SELECT source_path FROM documents WHERE contains(text, ?)", [case.marker])
            assert found == [(shown(outcome, case),)], case


@pytest.mark.parametrize("name", ["enc/utf16le.txt", "json/deep.json", "bombs/zip-bomb.txt"])
def test_a_rejected_file_gives_no_document(outcome, name):
    (case,) = [c for c in outcome.cases if c.name == name]
    assert rows(outcome, "SELECT count(*) FROM documents WHERE source_path = ?", [shown(outcome, case)]) == [(0,)]


def test_every_bad_file_is_recorded_with_its_reason(outcome):
    for case in outcome.cases:
        rejects = rows(outcome, "SELECT reason FROM rejects WHERE path = ?", [shown(outcome, case)])
        documents = rows(outcome, "SELECT count(*) FROM documents WHERE source_path = ?", [shown(outcome, case)])
        if case.expect in ("rejected", "partial"):
            assert rejects and all(reason.strip() for (reason,) in rejects), case
            assert any(case.reason in reason for (reason,) in rejects), (case, rejects)
        if case.expect == "rejected":
            assert documents == [(0,)], case
        if case.expect == "any":
            assert rejects or documents[0][0] > 0, case
            assert not rejects or not case.reason or any(case.reason in r for (r,) in rejects), (case, rejects)


def test_the_rejects_of_one_file_are_summed_up(outcome):
    path = str(outcome.folder / "json" / "malformed-lines.jsonl")
    reasons = [r for (r,) in rows(outcome, "SELECT reason FROM rejects WHERE path = ?", [path])]
    assert len(reasons) == 6
    assert reasons[-1] == "19,995 more rejected, not listed (20,000 in this file)"
    printed = outcome.summary.report()
    assert printed.count("malformed-lines.jsonl") == 6


def test_bad_values_in_good_lines_are_cleaned_or_kept_undated(outcome):
    title, outlet = rows(outcome, "SELECT title, outlet FROM documents WHERE contains(text, 'SURROGATE')")[0]
    assert (title, outlet) == ("tz", "o")
    dates = rows(
        outcome,
        "SELECT date FROM documents WHERE contains(text, 'OLDDATE') OR contains(text, 'FARDATE')",
    )
    assert dates == [(None,), (None,)]
    path = str(outcome.folder / "json" / "mixed.jsonl")
    reasons = " | ".join(r for (r,) in rows(outcome, "SELECT reason FROM rejects WHERE path = ?", [path]))
    assert "implausible date 0001-01-01 in the metadata" in reasons
    assert "implausible date 9999-12-31 in the metadata" in reasons
    assert "4300 digits" in reasons
    assert "'title' is a JSON list, not text" in reasons


def test_no_file_takes_more_than_5_s_per_mb(outcome):
    sizes = {shown(outcome, c): (outcome.folder / c.name) for c in outcome.cases}
    for path, seconds in outcome.summary.slow_files:
        size = sizes[path].stat().st_size if path in sizes else 0
        assert seconds <= allowed_seconds(size), (path, seconds)


def test_a_file_past_its_time_limit_is_rejected_and_the_batch_goes_on(tmp_path, monkeypatch):
    from dashboard.extract import extract_document
    from dashboard.ingest import ingest
    from dashboard.records import RawDocument
    from dashboard.reference import load_reference

    extract_document(RawDocument(text=good("WARM"), source_path="warm"), load_reference())  # loads the models
    monkeypatch.setenv("RHETORIC_FILE_MIN_SECONDS", "2")
    monkeypatch.setenv("RHETORIC_FILE_SECONDS_PER_MB", "0")
    # Backtracking that grows exponentially with the length: a regular expression that a crafted
    # text makes run for hours, as a slow extractor would.
    monkeypatch.setattr("dashboard.ingest.extract_document", _slow_extract)
    (tmp_path / "in").mkdir()
    (tmp_path / "in" / "a-slow.txt").write_text(good("SLOW"), encoding="utf-8")
    (tmp_path / "in" / "b-good.jsonl").write_text(json.dumps({"text": good("AFTER")}) + "\n", encoding="utf-8")
    db = tmp_path / "db.duckdb"
    summary = ingest([tmp_path / "in"], db, progress=False)
    assert summary.documents_added == 1
    con = duckdb.connect(str(db), read_only=True)
    (reason,) = con.execute("SELECT reason FROM rejects").fetchall()[0]
    after = con.execute("SELECT count(*) FROM documents WHERE contains(text, 'AFTER')").fetchone()[0]
    con.close()
    assert after == 1
    assert reason == "time limit reached: reading and extracting took over 2 s; 1 of its 1 documents not read"


def _slow_extract(raw, ref):
    import re

    from dashboard.extract import extract_document

    if "SLOW" in raw.text:
        re.match(r"(a+)+$", "a" * 60 + "b")
    return extract_document(raw, ref)


UNREADABLE_SCRIPT = """
import json, sys
from pathlib import Path
from dashboard.readers import discover, read_file
files, skipped = discover([sys.argv[1]])
rejects = [(r.path, r.reason) for r in skipped]
documents = []
for path in files:
    result = read_file(path)
    rejects += [(r.path, r.reason) for r in result.rejects]
    documents += [d.source_path for d in result.documents]
print(json.dumps({"rejects": rejects, "documents": documents}))
"""


def test_unreadable_files_and_folders_are_rejects():
    """chmod 000 stops no root: as root, the check runs without the capabilities that let root
    read and list what its modes forbid (setpriv drops them)."""
    command = [sys.executable, "-c", UNREADABLE_SCRIPT]
    if os.geteuid() == 0:
        if not shutil.which("setpriv"):
            pytest.skip("running as root without setpriv: chmod 000 cannot make a file unreadable")
        caps = "-dac_override,-dac_read_search"
        command = ["setpriv", f"--inh-caps={caps}", f"--bounding-set={caps}", *command]
    base = Path(tempfile.mkdtemp(prefix="unreadable-"))
    try:
        (base / "ok.txt").write_text(good("READABLE"), encoding="utf-8")
        (base / "locked.txt").write_text(good("LOCKED"), encoding="utf-8")
        (base / "locked.txt").chmod(0o000)
        (base / "closed").mkdir()
        (base / "closed" / "inside.txt").write_text(good("INSIDE"), encoding="utf-8")
        (base / "closed").chmod(0o000)
        proc = subprocess.run([*command, str(base)], capture_output=True, text=True, cwd=ROOT, timeout=60)
        assert proc.returncode == 0, proc.stderr
        seen = json.loads(proc.stdout)
        assert seen["documents"] == [str(base / "ok.txt")]
        assert sorted(seen["rejects"]) == [
            [str(base / "closed"), "permission denied: cannot list the folder"],
            [str(base / "locked.txt"), "cannot read file: Permission denied"],
        ]
    finally:
        (base / "closed").chmod(0o755)
        (base / "locked.txt").chmod(0o644)
        shutil.rmtree(base)


def counts(outcome: Outcome) -> dict[str, int]:
    """The closing note's counts over the generated set."""
    rejected = {p: r for p, r in rows(outcome, "SELECT path, string_agg(reason, ' | ') FROM rejects GROUP BY path")}
    stored = {p for (p,) in rows(outcome, "SELECT DISTINCT source_path FROM documents")}
    slow = dict(outcome.summary.slow_files)
    tried = [(shown(outcome, c), os.lstat(outcome.folder / c.name).st_size) for c in outcome.cases]
    return {
        "files tried": len(tried),
        "  expected bad or partly bad": sum(c.expect != "in" for c in outcome.cases),
        "files rejected whole or in part, with a reason": sum(p in rejected and rejected[p].strip() != "" for p, _ in tried),
        "files in the database with no reject": sum(p in stored and p not in rejected for p, _ in tried),
        "files passed over silently (neither)": sum(p not in stored and p not in rejected for p, _ in tried),
        "stopped by the time limit": sum("time limit" in rejected.get(p, "") for p, _ in tried),
        "hung (over 5 s per MB)": sum(slow.get(p, 0) > allowed_seconds(size) for p, size in tried),
        "requests made": len(outcome.hits),
        "secret or remote content stored": sum(
            SECRET in text or REMOTE in text for (text,) in rows(outcome, "SELECT text FROM documents")
        ),
    }


if __name__ == "__main__":
    sys.path.insert(0, str(ROOT))
    with tempfile.TemporaryDirectory(prefix="hostile-") as tmp:
        result = run_batch(Path(tmp))
        for label, n in counts(result).items():
            print(f"{label}: {n}")
        print(f"ingest time: {result.summary.seconds:.1f} s")
        result.con.close()
