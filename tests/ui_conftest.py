"""A tiny hand-made database for the query, app and browser tests: five statements, known answers.

Imported by the test modules (``from ui_conftest import small_db``), so it works
before and independently of the extraction that builds real databases.
"""

from __future__ import annotations

from pathlib import Path

import duckdb

from dashboard.storage import schema_sql

DOCUMENTS = [
    # doc_id, doc_type, date, title, outlet, url, text
    ("d1", "reported", "2024-01-10", "Talks resume", "Example News", "https://example.org/d1",
     "Intro.\n\n\"We regret the provocation by Baku,\" Mirzoyan said.\n\n\"We welcome the peace talks with Yerevan,\" Bayramov said."),
    ("d2", "first_person", "2024-03-05", "Briefing", "MFA Russia", "https://example.org/d2",
     "Moscow supports the trilateral agreements with Armenia and Azerbaijan."),
    ("d3", "reported", "2023-06-01", "Thanks", "Georgia Today", None,
     "Tbilisi thanks the EU for its support. <script>alert(1)</script> No comment 50% _x"),
]  # fmt: skip

STATEMENTS = [
    # id, doc, seq, kind, text, speaker, role, country, method, conf, tone, band, date
    (1, "d1", 0, "quote", "We regret the provocation by Baku", "Ararat Mirzoyan", "foreign minister",
     "ARM", "verb_after", 0.9, -0.6, "hostile", "2024-01-10"),
    (2, "d1", 1, "quote", "We welcome the peace talks with Yerevan", "Jeyhun Bayramov",
     "foreign minister", "AZE", "verb_after", 0.9, 0.3, "cooperative", "2024-01-10"),
    (3, "d2", 0, "paragraph", "Moscow supports the trilateral agreements with Armenia and Azerbaijan",
     "Maria Zakharova", "spokesperson", "RUS", "metadata", 1.0, 0.0, "neutral", "2024-03-05"),
    (4, "d3", 0, "reported", "Tbilisi thanks the EU for its support", "Ilia Darchiashvili",
     "foreign minister", "GEO", "verb_before", 0.7, 0.7, "warm", "2023-06-01"),
    (5, "d3", 1, "quote", "<script>alert(1)</script> No comment 50% _x", None, None, None, "none",
     0.0, None, None, "2023-06-01"),
]  # fmt: skip

MENTIONS = [
    # statement, actor, surface, tone_toward
    (1, "AZE", "Baku", -0.6),
    (2, "ARM", "Yerevan", 0.3),
    (3, "ARM", "Armenia", 0.1),
    (3, "AZE", "Azerbaijan", 0.1),
    (3, "RUS", "Moscow", 0.0),
    (4, "EU", "EU", 0.8),
    (4, "GEO", "Tbilisi", 0.5),
]

TOPICS = [(1, "peace_treaty"), (2, "peace_treaty"), (3, "transport_corridors")]

ACTORS = [
    ("ARM", "Armenia", "state"), ("AZE", "Azerbaijan", "state"), ("RUS", "Russia", "state"),
    ("GEO", "Georgia", "state"), ("EU", "European Union", "organisation"),
]  # fmt: skip

EVENTS = [
    # date, label, description, actors, source, importance (1 key), short label
    ("2023-09-19", "Azerbaijani offensive in Karabakh", "One-day offensive.", "AZE|ARM", "test", 1, "Offensive"),
    ("2024-02-01", "Test summit", "A summit between the two.", "ARM|AZE", "test", 2, None),
]


def fill(con: duckdb.DuckDBPyConnection) -> None:
    """Create the schema and insert the tiny corpus into ``con``."""
    con.execute(schema_sql())
    for doc_id, doc_type, day, title, outlet, url, text in DOCUMENTS:
        con.execute(
            "INSERT INTO documents (doc_id, source_path, source_format, title, outlet, url, doc_type, "
            "date, date_source, text, extraction_version) "
            "VALUES (?, ?, 'text', ?, ?, ?, ?, ?, 'metadata', ?, 1)",
            [doc_id, f"sample/{doc_id}.txt", title, outlet, url, doc_type, day, text],
        )
    doc_text = {d[0]: d[6] for d in DOCUMENTS}
    speaker_country = {}
    for sid, doc, seq, kind, text, speaker, role, country, method, conf, tone, band, day in STATEMENTS:
        speaker_country[sid] = (doc, country, day)
        full = doc_text[doc]
        start = full.index(text)
        para_start = full.rfind("\n\n", 0, start)
        para_start = 0 if para_start < 0 else para_start + 2
        para_end = full.find("\n\n", start)
        para_end = len(full) if para_end < 0 else para_end
        con.execute(
            "INSERT INTO statements (statement_id, doc_id, seq, kind, start_char, end_char, para_start, "
            "para_end, text, speaker, speaker_role, speaker_country, attribution_method, "
            "attribution_confidence, tone, tone_band, date) "
            "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            [sid, doc, seq, kind, start, start + len(text), para_start, para_end, text, speaker,
             role, country, method, conf, tone, band, day],
        )  # fmt: skip
    for sid, actor, surface, tone in MENTIONS:
        doc, country, day = speaker_country[sid]
        con.execute(
            "INSERT INTO mentions (statement_id, doc_id, actor, surface, start_char, end_char, tone_toward, "
            "speaker_country, date) VALUES (?, ?, ?, ?, 0, ?, ?, ?, ?)",
            [sid, doc, actor, surface, len(surface), tone, country, day],
        )
    con.executemany("INSERT INTO statement_topics VALUES (?, ?)", TOPICS)
    con.executemany("INSERT INTO actors (code, name, kind) VALUES (?, ?, ?)", ACTORS)
    con.executemany(
        "INSERT INTO topics VALUES (?, ?, '')",
        [("peace_treaty", "Peace treaty"), ("transport_corridors", "Transport corridors")],
    )
    con.executemany("INSERT INTO events VALUES (?, ?, ?, ?, ?, ?, ?)", EVENTS)
    con.execute(
        "INSERT INTO speakers VALUES ('ararat-mirzoyan', 'Ararat Mirzoyan', 'Mirzoyan', "
        "'foreign minister', 'ARM', '2021-08-19', NULL)"
    )
    con.execute(
        "INSERT INTO ingest_runs (run_id, started_at, finished_at, paths, files_seen, documents_added, "
        "documents_updated, duplicates, files_rejected, statements_added, mentions_added, "
        "extraction_version, seconds) VALUES "
        "(1, TIMESTAMP '2024-04-01 10:00', TIMESTAMP '2024-04-01 10:01', 'sample', 4, 3, 0, 0, 1, 5, 7, 1, 1.5)"
    )
    con.execute(
        "INSERT INTO rejects VALUES (1, 'sample/broken.jsonl', 'malformed JSON', 'line 3', "
        "TIMESTAMP '2024-04-01 10:00')"
    )


def small_db(path: Path) -> Path:
    """Write the tiny corpus to a DuckDB file at ``path``."""
    con = duckdb.connect(str(path))
    try:
        fill(con)
        con.execute("CHECKPOINT")
    finally:
        con.close()
    return path
