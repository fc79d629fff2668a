"""Each reader turns a file into documents; every bad file or row becomes a reject with a reason."""

import json
import tracemalloc
from pathlib import Path

import pytest

from dashboard.readers import Reject, discover, parse_meta_date, read_file, tidy_speaker_name

SAMPLE = Path(__file__).resolve().parent.parent / "data" / "sample"
SEED_DATED = SAMPLE / "news" / "000_3b008b2c445e55c7.txt"
SEED_TITLED = SAMPLE / "news" / "003_00e80fd1e5072581.txt"


def test_plain_text_seed_keeps_the_whole_text():
    result = read_file(SEED_DATED)
    assert result.rejects == []
    (doc,) = result.documents
    assert doc.text.lstrip().startswith("date 2025-03-20")
    assert "Maria Zakharova" in doc.text
    assert doc.source_format == "text"


def test_plain_text_seed_title_line_becomes_the_title():
    (doc,) = read_file(SEED_TITLED).documents
    assert doc.title == "MFA: Russia ready for further efforts to achieve peace in South Caucasus"
    assert doc.date is None  # the file says no date; extraction may find one in the text


def test_jsonl_reads_text_and_metadata(tmp_path):
    path = tmp_path / "feed.jsonl"
    rows = [
        {"text": "Baku welcomes the talks.", "date": "2024-12-26", "title": "T1", "outlet": "TASS",
         "url": "https://example.org/1", "language": "en"},
        {"text": "We are ready to sign.", "speaker": "Jeyhun Bayramov", "speaker_country": "aze",
         "doc_type": "speech", "date": "2024-12-27T10:00:00Z"},
    ]  # fmt: skip
    path.write_text("\n".join(json.dumps(r) for r in rows) + "\n", encoding="utf-8")
    result = read_file(path)
    assert result.rejects == []
    first, second = result.documents
    assert (first.date, first.title, first.outlet, first.url) == ("2024-12-26", "T1", "TASS", "https://example.org/1")
    assert (second.speaker, second.speaker_country, second.doc_type, second.date) == (
        "Jeyhun Bayramov", "aze", "first_person", "2024-12-27"
    )  # the country as given; extraction maps it to an actor code (tests/test_sources.py)


def test_jsonl_malformed_rows_are_rejected_and_the_rest_goes_in(tmp_path):
    path = tmp_path / "mixed.jsonl"
    path.write_text(
        '{"text": "First good statement here."}\n'
        '{"text": "broken\n'
        '{"title": "no text"}\n'
        '{"text": "Second good one.", "date": "yesterday-ish"}\n'
        '{"text": "Third good statement."}\n',
        encoding="utf-8",
    )
    result = read_file(path)
    assert [d.text for d in result.documents] == ["First good statement here.", "Third good statement."]
    reasons = {(r.detail, r.reason.split(":")[0]) for r in result.rejects}
    assert ("line 2", "malformed JSON") in reasons
    assert ("line 3", "missing or empty 'text'") in reasons
    assert any(r.detail == "line 4" and "unreadable date" in r.reason for r in result.rejects)


def test_csv_reads_rows_and_rejects_bad_ones(tmp_path):
    path = tmp_path / "statements.csv"
    path.write_text(
        "date,speaker,speaker_country,text\n"
        '2025-01-02,Ararat Mirzoyan,ARM,"We are ready, and we say so."\n'
        "2025-01-03,Someone,ARM,\n"
        "2025-01-04,A,ARM,text,extra,fields\n",
        encoding="utf-8",
    )
    result = read_file(path)
    (doc,) = result.documents
    assert doc.text == "We are ready, and we say so."
    assert doc.speaker == "Ararat Mirzoyan" and doc.date == "2025-01-02"
    assert sorted(r.detail for r in result.rejects) == ["line 3", "line 4"]


def test_csv_without_text_column_is_rejected(tmp_path):
    path = tmp_path / "wrong.csv"
    path.write_text("date,body\n2025-01-01,hello\n", encoding="utf-8")
    (reject,) = read_file(path).rejects
    assert "no 'text' column" in reject.reason


ARTICLE = """<!doctype html><html lang="en"><head><title>Minister comments on peace talks | Example News</title>
<meta property="article:published_time" content="2025-03-14T09:30:00+00:00">
<meta property="og:site_name" content="Example News"></head><body>
<nav><a href="/">Home</a> <a href="/world">World</a></nav>
<article><h1>Minister comments on peace talks</h1>
<p>The foreign minister said on Friday that the negotiations on the peace agreement had been completed and that both sides were ready to sign the text.</p>
<p>"We have agreed on all seventeen articles of the draft and we are ready to move to signing," the minister told reporters in the capital after the meeting.</p>
<p>Diplomats from several European countries welcomed the news and called on both sides to seize the moment for a lasting settlement of the conflict.</p>
</article><footer>Copyright Example News. All rights reserved.</footer></body></html>"""


def test_html_page_gives_main_text_and_date(tmp_path):
    path = tmp_path / "article.html"
    path.write_text(ARTICLE, encoding="utf-8")
    result = read_file(path)
    assert result.rejects == []
    (doc,) = result.documents
    assert "seventeen articles" in doc.text
    assert "All rights reserved" not in doc.text and "Home" not in doc.text.split("\n")[0]
    assert doc.date == "2025-03-14"
    assert doc.source_format == "html"


RSS = """<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0"><channel><title>Ministry News</title><language>en</language>
<item><title>Statement on the border</title><link>https://example.org/a</link>
<pubDate>Tue, 10 Sep 2024 08:00:00 GMT</pubDate>
<description>&lt;p&gt;The ministry &lt;b&gt;regrets&lt;/b&gt; the decision.&lt;/p&gt;&lt;p&gt;Second paragraph.&lt;/p&gt;</description></item>
<item><title>Empty</title><description></description></item>
</channel></rss>"""

ATOM = """<?xml version="1.0" encoding="utf-8"?>
<feed xmlns="http://www.w3.org/2005/Atom"><title>Embassy posts</title>
<entry><title>Meeting held</title><link href="https://example.org/b"/><updated>2023-02-20T12:00:00Z</updated>
<content type="html">&lt;p&gt;The ambassador met the deputy minister.&lt;/p&gt;</content></entry></feed>"""


def test_rss_entries_become_documents_as_plain_text(tmp_path):
    path = tmp_path / "news.rss"
    path.write_text(RSS, encoding="utf-8")
    result = read_file(path)
    (doc,) = result.documents
    assert doc.text == "The ministry regrets the decision.\nSecond paragraph."
    assert (doc.title, doc.date, doc.outlet, doc.url) == (
        "Statement on the border", "2024-09-10", "Ministry News", "https://example.org/a"
    )
    assert [r.detail for r in result.rejects] == ["entry 2"]


def test_atom_feed_in_xml_file(tmp_path):
    path = tmp_path / "posts.xml"
    path.write_text(ATOM, encoding="utf-8")
    (doc,) = read_file(path).documents
    assert doc.text == "The ambassador met the deputy minister."
    assert doc.date == "2023-02-20" and doc.outlet == "Embassy posts"


def test_ungdc_statement_is_first_person_with_speaker_and_session_year():
    (doc,) = read_file(SAMPLE / "ungdc" / "txt" / "ARM_47_1992.txt").documents
    assert doc.doc_type == "first_person"
    assert doc.speaker_country == "ARM"
    assert doc.speaker == "Ter-Petrossian"
    assert doc.date.startswith("1992-")
    assert "\n3\n" not in doc.text  # page numbers gone
    assert "membership of the United Nations." in doc.text.split("\n")[0]


def test_ungdc_ussr_is_not_filed_as_modern_russia():
    (doc,) = read_file(SAMPLE / "ungdc" / "txt" / "RUS_15_1960.txt").documents
    assert doc.speaker_country == "SUN"


def test_discover_walks_folders_and_skips_the_ungdc_speakers_table():
    files, missing = discover([SAMPLE])
    names = {p.name for p in files}
    assert "speakers.csv" not in names
    assert {"000_3b008b2c445e55c7.txt", "ARM_79_2024.txt"} <= names
    assert missing == []


@pytest.mark.parametrize(
    "name, content, reason",
    [
        ("empty.txt", b"", "empty file"),
        ("blank.txt", b"  \n\n ", "empty file"),
        ("binary.txt", b"\x89PNG\r\n\x1a\n\x00\x00\x00IHDR", "binary file"),
        ("latin1.txt", "Caf\u00e9 in Bak\u00fc".encode("latin-1"), "not valid UTF-8"),
        ("array.json", b"[1, 2", "malformed JSON"),
        ("slides.pptx", b"PK\x03\x04", "unsupported file type"),
        ("not-a-feed.xml", b"<root><a>1</a></root>", "unsupported file type"),
    ],
)
def test_bad_files_are_rejected_with_a_reason(tmp_path, name, content, reason):
    path = tmp_path / name
    path.write_bytes(content)
    result = read_file(path)
    assert result.documents == []
    (reject,) = result.rejects
    assert reason in reject.reason
    assert reject.path == str(path)


def test_file_over_the_size_limit_is_rejected(tmp_path, monkeypatch):
    monkeypatch.setenv("RHETORIC_MAX_FILE_MB", "0.001")
    path = tmp_path / "big.txt"
    path.write_text("word " * 1000, encoding="utf-8")
    (reject,) = read_file(path).rejects
    assert reject.reason.startswith("file too large")


def test_missing_path_is_reported():
    files, missing = discover(["/no/such/place"])
    assert files == [] and missing[0].reason == "no such file or directory"


@pytest.mark.parametrize(
    "value, expected",
    [
        ("2024-12-26", "2024-12-26"),
        ("2024-12-26T23:10:00+03:00", "2024-12-26"),
        ("Thu, 26 Dec 2024 10:00:00 GMT", "2024-12-26"),
        ("26 December 2024", "2024-12-26"),
        ("December 26, 2024", "2024-12-26"),
        ("2024-13-45", None),
        ("soon", None),
        ("", None),
        ("2024-12-26 " + "y" * 100, None),
    ],
)
def test_parse_meta_date(value, expected):
    assert parse_meta_date(value) == expected


@pytest.mark.parametrize(
    "raw, tidy",
    [("Mr. DULLES", "Dulles"), ("Mr. TER-PETROSSIAN", "Ter-Petrossian"), ("Jeyhun Bayramov", "Jeyhun Bayramov")],
)
def test_tidy_speaker_name(raw, tidy):
    assert tidy_speaker_name(raw) == tidy


@pytest.mark.parametrize(
    "name, line",
    [("junk.jsonl", '{"text": "x", "title": [1, 2, 3], "n": %d}\n'), ("junk.csv", 'words,%d,one field too many\n')],
)
def test_a_file_of_bad_lines_is_read_in_flat_memory(tmp_path, name, line):
    path = tmp_path / name
    path.write_text(("text,title\n" if name.endswith(".csv") else "") + "".join(line % i for i in range(60_000)))
    tracemalloc.start()
    try:
        result = read_file(path)
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert result.documents == []
    assert len(result.rejects) == 6
    assert result.rejects[-1].reason == "59,995 more rejected, not listed (60,000 in this file)"
    assert peak < path.stat().st_size / 4  # the file is 1.5 to 2.5 MB: it is never held whole


def test_symlinked_folders_are_followed_but_a_loop_is_a_reject(tmp_path):
    (tmp_path / "real").mkdir()
    (tmp_path / "real" / "a.txt").write_text("Armenia said hello.")
    (tmp_path / "batch").mkdir()
    (tmp_path / "batch" / "linked").symlink_to(tmp_path / "real", target_is_directory=True)
    (tmp_path / "real" / "up").symlink_to(tmp_path / "batch", target_is_directory=True)
    files, skipped = discover([tmp_path / "batch"])
    assert files == [tmp_path / "batch" / "linked" / "a.txt"]
    assert skipped == [Reject(str(tmp_path / "batch" / "linked" / "up"), "symbolic link loop (links back to a folder it is in)")]
