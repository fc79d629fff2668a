"""Contested names: the table in data/, whole-word matching longest first, statement_names, and the Names queries."""

from datetime import date
from pathlib import Path

import duckdb
import pytest
from ui_conftest import fill

from dashboard import names
from dashboard import queries as Q
from dashboard.filters import Filters
from dashboard.reference import NameVariant, load_names

ROOT = Path(__file__).resolve().parent.parent
SHIPPED = load_names(ROOT / "data" / "names.csv")
MATCHERS = names.group_matchers(SHIPPED)


def found(text: str) -> list[tuple[str, str]]:
    return [(variant, text[a:b]) for _, variant, a, b in names.match_names(text, MATCHERS)]


def test_the_shipped_table_has_the_places_the_issue_names():
    variants = {(v.group, v.variant) for v in SHIPPED}
    groups = {g for g, _ in variants}
    assert {"Nagorno-Karabakh", "Artsakh", "Karabakh", "Garabagh / Qarabağ"} <= {v for _, v in variants}
    assert {"Stepanakert / Khankendi", "Shusha / Shushi", "Lachin corridor / Lachin road / Berdzor"} <= groups
    assert {"Zangezur corridor", "Syunik", "Trump Route (TRIPP)", "Crossroads of Peace"} <= {v for _, v in variants}
    assert all(v.side and v.note and v.patterns for v in SHIPPED)
    assert len(variants) == len(SHIPPED)  # no variant listed twice


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Shusha and Shushi", [("Shusha", "Shusha"), ("Shushi", "Shushi")]),
        ("Queen Shushan", []),  # whole words only
        ("SHUSHA, Şuşa", [("Shusha", "SHUSHA"), ("Shusha", "Şuşa")]),
        ("the Nagorno-Karabakh conflict", [("Nagorno-Karabakh", "Nagorno-Karabakh")]),  # not also Karabakh
        ("Nagorny\nKarabakh and Nagorno – Karabakh", [("Nagorno-Karabakh", "Nagorny\nKarabakh"),
                                                     ("Nagorno-Karabakh", "Nagorno – Karabakh")]),
        ("Karabakh is Azerbaijan", [("Karabakh", "Karabakh")]),
        ("Artsakh's people", [("Artsakh", "Artsakh")]),
        ("in Qarabağ", [("Garabagh / Qarabağ", "Qarabağ")]),
        ("Stepanakert (Xankəndi)", [("Stepanakert", "Stepanakert"), ("Khankendi", "Xankəndi")]),
        ("TRIPP, not Linda Tripp", [("Trump Route (TRIPP)", "TRIPP")]),  # capitals match case-sensitively
        ("the Trump Route for International Peace and Prosperity",
         [("Trump Route (TRIPP)", "the Trump Route for International Peace and Prosperity"[4:])]),
        ("the Zangezur corridor and Zangezur", [("Zangezur corridor", "Zangezur corridor"), ("Zangezur", "Zangezur")]),
        ("the Lachin corridor, the Lachin road, Lachin", [("Lachin corridor", "Lachin corridor"),
                                                          ("Lachin road", "Lachin road"),
                                                          ("Lachin (town or district)", "Lachin")]),
        ("Lachins and Karabakhi", []),
    ],
)  # fmt: skip
def test_names_match_as_whole_words_longest_first(text, expected):
    assert sorted(found(text)) == sorted(expected)


def test_a_spelling_with_regex_characters_is_literal():
    variants = (NameVariant("g", "odd", ("a.b (c)",), "", ""),)
    matchers = names.group_matchers(variants)
    assert [v for _, v, _, _ in names.match_names("x a.b (c) y", matchers)] == ["odd"]
    assert names.match_names("x aXb (c) y", matchers) == []


@pytest.fixture
def con():
    con = duckdb.connect()
    fill(con)
    con.execute("UPDATE statements SET text = 'We regret the provocation in Khankendi by Baku' WHERE statement_id = 1")
    con.execute("UPDATE statements SET text = 'Stepanakert and Khankendi, Stepanakert again' WHERE statement_id = 2")
    con.execute("UPDATE statements SET text = 'Moscow speaks of Stepanakert' WHERE statement_id = 3")
    yield con
    con.close()


def test_statement_names_counts_each_variant_once_per_statement(con):
    written = names.build_statement_names(con, SHIPPED)
    rows = con.execute("SELECT statement_id, variant, n FROM statement_names ORDER BY 1, 2").fetchall()
    assert rows == [(1, "Khankendi", 1), (2, "Khankendi", 1), (2, "Stepanakert", 2), (3, "Stepanakert", 1)]
    assert written == 4
    assert con.execute("SELECT count(*) FROM names").fetchone()[0] == len(SHIPPED)


def test_names_by_country_gives_n_and_share_of_the_countrys_statements(con):
    names.build_statement_names(con, SHIPPED)
    df = Q.names_by_country(con, Filters(), "Stepanakert / Khankendi")
    got = {(r.speaker_country, r.variant): (r.n, r.total, round(r.share, 2)) for r in df.itertuples()}
    assert got == {
        ("ARM", "Khankendi"): (1, 1, 1.0),
        ("AZE", "Khankendi"): (1, 1, 1.0), ("AZE", "Stepanakert"): (1, 1, 1.0),
        ("RUS", "Stepanakert"): (1, 1, 1.0),
    }  # fmt: skip
    assert set(Q.names_by_country(con, Filters(speaker_country=("RUS",)), "Stepanakert / Khankendi")["variant"]) == {
        "Stepanakert"
    }


def test_names_by_year_and_the_drill_down_statements(con):
    names.build_statement_names(con, SHIPPED)
    df = Q.names_by_year(con, Filters(), "Stepanakert / Khankendi")
    assert df[["year", "variant", "n", "total"]].values.tolist() == [[2024, "Khankendi", 2, 3], [2024, "Stepanakert", 2, 3]]
    name = ("Stepanakert / Khankendi", "Stepanakert")
    assert sorted(Q.statements_page(con, Filters(), name=name)["statement_id"]) == [2, 3]
    assert Q.statement_count(con, Filters(speaker_country=("AZE",)), name=name) == 1


def test_a_database_without_names_gives_empty_frames(con):
    con.execute("DROP TABLE statement_names")
    assert Q.name_variants(con).empty
    assert Q.names_by_country(con, Filters()).empty and Q.names_by_year(con, Filters()).empty


@pytest.mark.parametrize(
    ("filters", "expected"),
    [
        (Filters(actor=("AZE",)), {("ARM", "Khankendi"), ("RUS", "Stepanakert")}),  # joins the statements
        (Filters(start=date(2024, 2, 1)), {("RUS", "Stepanakert")}),  # its own dates
        (Filters(q="provocation"), {("ARM", "Khankendi")}),
        (Filters(speaker_country=("AZE",), tone_min=0.2), {("AZE", "Khankendi"), ("AZE", "Stepanakert")}),
    ],
)
def test_names_by_country_applies_every_filter(con, filters, expected):
    names.build_statement_names(con, SHIPPED)
    df = Q.names_by_country(con, filters, "Stepanakert / Khankendi")
    assert set(zip(df["speaker_country"], df["variant"], strict=True)) == expected


def test_the_drill_down_excerpt_marks_the_variant_and_only_it(con):
    names.build_statement_names(con, SHIPPED)
    page = Q.statements_page(con, Filters(), name=("Stepanakert / Khankendi", "Khankendi"))
    excerpts = dict(zip(page["statement_id"], page["excerpt"], strict=True))
    assert excerpts == {
        1: "We regret the provocation in ▸Khankendi◂ by Baku",
        2: "Stepanakert and ▸Khankendi◂, Stepanakert again",
    }
    page = Q.statements_page(con, Filters(q="again"), name=("Stepanakert / Khankendi", "Stepanakert"))
    assert page["excerpt"].tolist() == ["▸Stepanakert◂ and Khankendi, ▸Stepanakert◂ ▸again◂"]
