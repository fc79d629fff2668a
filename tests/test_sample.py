"""The shipped sample, ingested whole: what the dashboard first shows must be right.

Builds a database from data/sample once for the module (about ten seconds).
"""

import re

import duckdb
import pytest
from conftest import SAMPLE

from dashboard import queries
from dashboard.extract.mentions import matcher_for
from dashboard.extract.turns import _body_is_list_entry, parse_label
from dashboard.ingest import ingest
from dashboard.reference import default_reference

_LABEL = re.compile(r"^([^:\n]{1,120}?)\s*:\s")
_LIST_ITEM = re.compile(r"^\s*(?:[-\u2013\u2022*]|\d{1,3}[.)])\s")


@pytest.fixture(scope="module")
def sample_db(tmp_path_factory):
    db = tmp_path_factory.mktemp("sample") / "rhetoric.duckdb"
    summary = ingest([SAMPLE], db, progress=False)
    assert summary.files_rejected == 0
    return db


def rows(db, sql):
    with duckdb.connect(str(db), read_only=True) as con:
        return con.execute(sql).fetchall()


def test_every_speaker_country_is_an_actor_code_or_empty(sample_db):
    unknown = rows(sample_db, "SELECT DISTINCT speaker_country FROM statements WHERE speaker_country NOT IN "
                              "(SELECT code FROM actors)")  # fmt: skip
    assert unknown == []
    assert rows(sample_db, "SELECT count(*) FROM documents WHERE speaker_country = 'Russia'") == [(0,)]


def test_no_statement_begins_with_another_persons_label(sample_db):
    actors = matcher_for(default_reference())
    wrong = []
    for speaker, text in rows(sample_db, "SELECT speaker, text FROM statements WHERE kind <> 'quote'"):
        if _LIST_ITEM.match(text):
            continue  # "- Southern Clinic Rehabilitation: USAID support ...": a list, not a turn
        m = _LABEL.match(text)
        if m and _body_is_list_entry(text, m.end(), len(text)):
            continue  # "Minister of Defence: Sergei Shoigu.": a line of a list of appointments
        label = parse_label(m.group(1), actors) if m else None
        if label is not None and label.role == "person" and label.name.split()[-1] not in (speaker or ""):
            wrong.append((speaker, text[:80]))
    assert wrong == []


def test_the_leaders_in_the_kremlin_transcripts_have_their_own_statements(sample_db):
    found = dict(rows(sample_db, """
        SELECT s.speaker || ' ' || s.speaker_country, count(*) FROM statements s JOIN documents d USING (doc_id)
        WHERE d.source_name LIKE 'President of Russia%' AND s.speaker IN
              ('Nikol Pashinyan', 'Ilham Aliyev', 'Alexander Lukashenko', 'Xi Jinping', 'Vladimir Putin')
        GROUP BY 1"""))  # fmt: skip
    assert found.keys() == {"Nikol Pashinyan ARM", "Ilham Aliyev AZE", "Alexander Lukashenko BLR",
                            "Xi Jinping CHN", "Vladimir Putin RUS"}  # fmt: skip
    assert found["Nikol Pashinyan ARM"] >= 50 and found["Ilham Aliyev AZE"] >= 50


def test_journalists_questions_are_questions_of_no_country(sample_db):
    (n, with_country, with_tone), = rows(sample_db, """
        SELECT count(*), count(speaker_country), count(tone) FROM statements WHERE kind = 'question'""")  # fmt: skip
    assert n > 3000 and with_country == 0 and with_tone == 0
    # a White House briefing's "Q" turns are never the White House's words
    assert rows(sample_db, """SELECT count(*) FROM statements WHERE speaker_country = 'USA'
                              AND (text LIKE 'Q %' OR text LIKE 'Q: %')""") == [(0,)]  # fmt: skip


def test_nearly_every_statement_has_a_speaker_and_a_country_only_when_known(sample_db):
    (named, unknown_but_placed), = rows(sample_db, """
        SELECT avg((speaker IS NOT NULL)::INT),
               count(*) FILTER (WHERE speaker_country IS NULL AND speaker_id IS NOT NULL)
        FROM statements WHERE kind IN ('paragraph', 'reported')""")  # fmt: skip
    assert named >= 0.99
    # no country only for people the speakers table does not know and whose label states none
    assert unknown_but_placed == 0


def test_the_kremlins_statements_carry_its_credit(sample_db):
    found = rows(sample_db, "SELECT DISTINCT attribution FROM documents WHERE url LIKE '%kremlin.ru%'")
    assert found == [("Source: President of Russia, en.kremlin.ru, CC BY 4.0 (split into statements by "
                        "Caucasus Rhetoric)",)]  # fmt: skip


def test_the_dashboard_opens_where_the_data_are_dense(sample_db):
    con = queries.connect(sample_db)
    try:
        start = queries.dense_start(con)
    finally:
        con.close()
    assert start is not None and start.isoformat() == "2018-01-01"
