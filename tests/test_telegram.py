"""Telegram Desktop exports: one document per message, with the channel as the outlet."""

import json

import duckdb

from dashboard.ingest import ingest
from dashboard.readers import read_file, telegram_text

EXPORT = {
    "name": "MFA Russia \U0001F1F7\U0001F1FA",
    "type": "public_channel",
    "id": 1113270880,
    "messages": [
        {"id": 1, "type": "service", "date": "2016-04-01T10:00:00", "actor": "MFA Russia",
         "action": "create_channel", "title": "MFA Russia", "text": ""},
        {"id": 28559, "type": "message", "date": "2026-03-04T12:16:05", "date_unixtime": "1772615765",
         "from": "MFA Russia \U0001F1F7\U0001F1FA", "from_id": "channel1113270880",
         "text": ["\u26a1\ufe0f ", {"type": "bold", "text": "Russia is ready"},
                  " to continue assisting ", {"type": "hashtag", "text": "#Armenia"}, " and Azerbaijan in the ",
                  {"type": "text_link", "text": "delimitation", "href": "https://evil.example/tracker.gif"},
                  " of their border."]},
        {"id": 28560, "type": "message", "date": "2026-03-05T09:00:00", "from": "MFA Russia",
         "text": "", "photo": "photos/photo_1@05-03-2026_09-00-00.jpg"},
        {"id": 28561, "type": "message", "date": "2026-03-05T10:00:00", "from": "MFA Russia",
         "forwarded_from": "Maria Zakharova",
         "text": "The statements by the Georgian opposition are a blatant interference in internal affairs."},
        {"id": 28562, "type": "message", "date": "2026-03-06T11:30:00", "from": "MFA Russia",
         "text": "We regret that the Western members of the Council once again blocked the statement."},
    ],
}  # fmt: skip


def write_export(folder):
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / "result.json"
    path.write_text(json.dumps(EXPORT, ensure_ascii=False), encoding="utf-8")
    return path


def test_text_entities_become_plain_text_and_links_stay_words():
    assert telegram_text(EXPORT["messages"][1]["text"]) == (
        "\u26a1\ufe0f Russia is ready to continue assisting #Armenia and Azerbaijan in the delimitation "
        "of their border."
    )
    assert telegram_text("plain") == "plain" and telegram_text(None) == ""


def test_an_export_is_one_document_per_message_with_text(tmp_path):
    result = read_file(write_export(tmp_path / "ChatExport_2026-03-07"))
    assert [d.native_id for d in result.documents] == ["28559", None, "28562"]
    assert [d.date for d in result.documents] == ["2026-03-04", "2026-03-05", "2026-03-06"]
    assert {d.source_format for d in result.documents} == {"telegram"}
    first, forwarded, last = result.documents
    assert first.outlet == last.outlet == "MFA Russia \U0001F1F7\U0001F1FA"
    assert forwarded.outlet == "Maria Zakharova"  # the words of the channel it came from
    assert forwarded.title == "Forwarded by MFA Russia \U0001F1F7\U0001F1FA from Maria Zakharova"
    assert "evil.example" not in first.text
    # the service message and the photo without text are recorded, once, not silently dropped
    assert [r.reason for r in result.rejects] == [
        "skipped 1 service messages and 1 messages without text (photos, videos, polls)"
    ]


def test_an_ingested_channel_gives_the_ministrys_statements_with_their_links(tmp_path):
    db = tmp_path / "db.duckdb"
    ingest([write_export(tmp_path / "export")], db, progress=False)
    with duckdb.connect(str(db), read_only=True) as con:
        docs = con.execute(
            "SELECT url, source_kind, outlet_country, doc_type FROM documents ORDER BY date"
        ).fetchall()
        statements = con.execute(
            "SELECT speaker, speaker_country FROM statements ORDER BY date, seq"
        ).fetchall()
    assert docs == [
        ("https://t.me/MFARussia/28559", "official", "RUS", "first_person"),
        (None, "official", "RUS", "first_person"),  # forwarded: no link of the forwarding channel
        ("https://t.me/MFARussia/28562", "official", "RUS", "first_person"),
    ]
    assert statements == [
        ("Ministry of Foreign Affairs of the Russian Federation (English)", "RUS"),
        ("Maria Zakharova (Russian MFA spokesperson)", "RUS"),
        ("Ministry of Foreign Affairs of the Russian Federation (English)", "RUS"),
    ]


def test_a_json_file_that_is_not_an_export_is_read_as_records(tmp_path):
    path = tmp_path / "records.json"
    path.write_text(json.dumps([{"text": "Baku and Yerevan resumed the talks on the peace treaty."}]), encoding="utf-8")
    result = read_file(path)
    assert [d.source_format for d in result.documents] == ["json"]
