"""Small databases for the hostile-rendering and query-fuzz tests.

``hostile_db``: ui_conftest's five statements plus a document whose every field a page or chart
shows (text, title, outlet, URL, file name, speaker, speaker country, actor names, topic labels,
event labels, rejects, sources) carries Markdown and HTML payloads, and whose CSV cells begin
like spreadsheet formulas. ``far_future_db``: the five statements plus one dated 9999-12-31.
``open_link``: a page of the app opened in AppTest with a link's query values.
"""

from __future__ import annotations

from pathlib import Path

import duckdb
from streamlit.testing.v1 import AppTest
from ui_conftest import fill

from dashboard.ui import common

APP = str(Path(__file__).resolve().parent.parent / "app.py")

#: What an attacker writes into a document or a link: each must show as the very same text.
PAYLOADS = (
    "[click](https://evil.example)",
    "![x](https://evil.example/pixel.png)",
    '<a href="https://evil.example">x</a>',
    "<b>bold</b>",
    "<img src=https://evil.example/p.png>",
    "**forged**",
    ":red[forged]",
    "$x^2$",
    "https://evil.example/bare",
)
HOSTILE = " ".join(PAYLOADS)
#: Shorter ones for names that must fit a label or a filter value (the URL keeps 200 characters).
SPEAKER = 'Evil <a href="https://evil.example">x</a> <b>bold</b> **forged** [click](https://evil.example)'
COUNTRY = '<a href="https://evil.example">x</a> :red[forged]'  # a speaker country no actor matches
ACTOR_LONG = ("EVL", 'Evil <a href="https://evil.example">x</a> <b>bold</b> **forged**')
ACTOR_SHORT = ("BLD", "<b>bold</b>")  # short enough to be an axis label
TOPIC = ("evil_topic", "Evil <b>bold</b> [click](https://evil.example)")
EVENT = "Summit <b>bold</b> [click](https://evil.example)"
URL = "https://example.org/hostile?a=[click](https://evil.example)&b=<b>bold</b>"
FILE = "corpus/[click](https://evil.example) <b>bold</b>.txt"

#: The hostile statements' texts: the first is all payloads, the others begin like formulas.
FORMULAS = ("=HYPERLINK(\"https://evil.example\",\"x\")", "+1+1 cmd", "-2+3 minus", "@SUM(A1:A9)",
            "\tTabbed start", "\rCarriage start")  # fmt: skip
HOSTILE_IDS = tuple(range(101, 101 + 1 + len(FORMULAS)))


def _hostile_rows(con: duckdb.DuckDBPyConnection) -> None:
    text = "\n\n".join((HOSTILE, *FORMULAS))
    con.execute(
        "INSERT INTO documents (doc_id, source_path, source_format, title, outlet, url, doc_type, date, "
        "date_source, text, extraction_version, source_name, outlet_country, source_kind, attribution) "
        "VALUES ('h1', ?, 'text', ?, ?, ?, 'reported', DATE '2024-02-20', 'metadata', ?, 1, ?, 'ARM', "
        "'media', ?)",
        [FILE, f"Title {HOSTILE}", "@Outlet <b>bold</b> [click](https://evil.example)", URL, text,
         f"Source {SPEAKER}", f"Credit {HOSTILE}"],
    )  # fmt: skip
    start = 0
    for sid, part in zip(HOSTILE_IDS, (HOSTILE, *FORMULAS), strict=True):
        speaker = SPEAKER if sid == HOSTILE_IDS[0] else "=cmd|' /C calc'!A0"
        con.execute(
            "INSERT INTO statements (statement_id, doc_id, seq, kind, start_char, end_char, para_start, "
            "para_end, text, speaker, speaker_role, speaker_country, attribution_method, "
            "attribution_confidence, tone, tone_band, date, source_kind, outlet_country) "
            "VALUES (?, 'h1', ?, 'quote', ?, ?, ?, ?, ?, ?, ?, ?, 'verb_after', 0.9, ?, ?, "
            "DATE '2024-02-20', 'media', 'ARM')",
            [sid, sid - HOSTILE_IDS[0], start, start + len(part), start, start + len(part), part, speaker,
             f"Role {SPEAKER}", COUNTRY, -0.7, "hostile"],
        )  # fmt: skip
        start += len(part) + 2
        for actor in (ACTOR_LONG[0], ACTOR_SHORT[0], "ARM"):
            con.execute(
                "INSERT INTO mentions VALUES (?, 'h1', ?, ?, 0, 5, -0.7, ?, DATE '2024-02-20', 0.9)",
                [sid, actor, f"surface {SPEAKER}", COUNTRY],
            )
        con.execute("INSERT INTO statement_topics VALUES (?, ?)", [sid, TOPIC[0]])
    con.executemany("INSERT INTO actors (code, name, kind) VALUES (?, ?, 'state')", [ACTOR_LONG, ACTOR_SHORT])
    con.execute("INSERT INTO topics VALUES (?, ?, '')", list(TOPIC))
    con.execute("INSERT INTO events VALUES (DATE '2024-02-15', ?, ?, 'ARM', ?, 1, NULL)", [EVENT, HOSTILE, HOSTILE])
    con.execute("INSERT INTO rejects VALUES (1, ?, ?, ?, TIMESTAMP '2024-04-01 10:00')", [FILE, HOSTILE, HOSTILE])
    con.execute(
        "INSERT INTO sources (source_id, name, kind, country, domains, attribution) VALUES (?, ?, 'media', ?, ?, ?)",
        ["evil", f"Source {SPEAKER}", COUNTRY, "evil.example", HOSTILE],
    )


def _write(path: Path, *extra) -> Path:
    con = duckdb.connect(str(path))
    try:
        fill(con)
        for add in extra:
            add(con)
        con.execute("CHECKPOINT")
    finally:
        con.close()
    return path


def hostile_db(path: Path) -> Path:
    """The tiny corpus plus a document whose every shown field carries payloads."""
    return _write(path, _hostile_rows)


def _far_future(con: duckdb.DuckDBPyConnection) -> None:
    text = "Yerevan and Baku will have signed everything by then."
    con.execute(
        "INSERT INTO documents (doc_id, source_path, source_format, title, doc_type, date, date_source, text, "
        "extraction_version) VALUES ('f1', 'sample/f1.txt', 'text', 'Far future', 'first_person', "
        "DATE '9999-12-31', 'metadata', ?, 1)",
        [text],
    )
    con.execute(
        "INSERT INTO statements (statement_id, doc_id, seq, kind, start_char, end_char, text, speaker, "
        "speaker_country, tone, tone_band, date) VALUES (200, 'f1', 0, 'paragraph', 0, ?, ?, 'Ararat Mirzoyan', "
        "'ARM', 0.2, 'cooperative', DATE '9999-12-31')",
        [len(text), text],
    )
    con.execute("INSERT INTO mentions VALUES (200, 'f1', 'AZE', 'Baku', 12, 16, 0.2, 'ARM', DATE '9999-12-31', 0.9)")


def far_future_db(path: Path) -> Path:
    """The tiny corpus plus a statement dated 9999-12-31, the last day a date can hold."""
    return _write(path, _far_future)


def _beyond_python(con: duckdb.DuckDBPyConnection) -> None:
    _far_future(con)
    con.execute("UPDATE documents SET date = DATE '12000-01-01' WHERE doc_id = 'f1'")
    con.execute("UPDATE statements SET date = DATE '12000-01-01' WHERE statement_id = 200")
    con.execute("UPDATE mentions SET date = DATE '12000-01-01' WHERE statement_id = 200")
    con.execute(
        "INSERT INTO statements (statement_id, doc_id, seq, kind, start_char, end_char, text, speaker, "
        "speaker_country, tone, tone_band, date) VALUES (201, 'f1', 1, 'paragraph', 0, 7, 'Yerevan', "
        "'Ararat Mirzoyan', 'ARM', 0.1, 'neutral', DATE '-0500-03-01')"
    )


def beyond_python_db(path: Path) -> Path:
    """The tiny corpus plus statements dated 12000-01-01 and 500 BC: DuckDB holds them, Python cannot."""
    return _write(path, _beyond_python)


def open_link(page: str, params: dict) -> AppTest:
    """A fresh session that follows a link to ``page`` with the query values ``params``.

    Before its first run AppTest knows pages by file name only (``tone_page.py`` is not the
    ``/tone`` of ``st.navigation``), so a session first opens the app's front page, as a
    reader's does, then the link. Call with ``RHETORIC_DB`` set.
    """
    at = AppTest.from_file(APP, default_timeout=60)
    if page != "overview":  # the front page is the overview
        at.run()
        at.switch_page(str(common.PAGE_FILES[page]))
        at.query_params.clear()
    for key, value in params.items():
        at.query_params[key] = value
    return at.run()
