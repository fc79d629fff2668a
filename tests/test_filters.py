"""The shared filters: read from and written to the URL, turned into bound SQL."""

from datetime import date

import duckdb
import pytest

from dashboard.filters import Filters, shift
from dashboard.search import re2_pattern


class FakeQueryParams(dict):
    """Like st.query_params: a repeated key has several values."""

    def get_all(self, key):
        value = self.get(key, [])
        return value if isinstance(value, list) else [value]


FULL = Filters(
    start=date(2023, 1, 1),
    end=date(2024, 6, 30),
    speaker_country=("ARM", "AZE"),
    speaker="Ararat Mirzoyan",
    actor=("RUS", "EU"),
    topic=("peace_treaty",),
    kind="quote",
    tone_min=-0.5,
    tone_max=0.25,
    q="peace & 50% off",
    present=True,
)


def test_round_trip_through_the_query_string():
    params = FULL.to_query_params()
    again, warnings = Filters.from_query_params(params)
    assert again == FULL
    assert warnings == []


def test_round_trip_through_repeated_keys_like_st_query_params():
    again, warnings = Filters.from_query_params(FakeQueryParams(FULL.to_query_params()))
    assert again == FULL and warnings == []


def test_defaults_write_an_empty_query_string():
    assert Filters().to_query_params() == {}
    assert Filters.from_query_params({}) == (Filters(), [])


def test_unknown_keys_are_left_to_the_pages():
    f, warnings = Filters.from_query_params({"statement": "12", "granularity": "year"})
    assert f == Filters() and warnings == []


def test_comma_separated_codes_and_lower_case_are_accepted():
    f, warnings = Filters.from_query_params({"actor": ["arm,aze", "ARM"]})
    assert f.actor == ("ARM", "AZE") and warnings == []


@pytest.mark.parametrize(
    ("params", "expected", "warning"),
    [
        ({"start": "2024-13-01"}, Filters(), "not a date"),
        ({"end": "yesterday"}, Filters(), "not a date"),
        ({"start": "2024-05-01", "end": "2024-01-01"},
         Filters(start=date(2024, 1, 1), end=date(2024, 5, 1)), "swapped"),
        ({"tone_min": "abc"}, Filters(), "not a number"),
        ({"tone_min": "nan"}, Filters(), "not a number"),
        ({"tone_max": "5"}, Filters(tone_max=1.0), "outside -1..1"),
        ({"tone_min": "0.5", "tone_max": "-0.5"}, Filters(tone_min=-0.5, tone_max=0.5), "swapped"),
        ({"kind": "tweet"}, Filters(), "use one of"),
        ({"actor": "'; DROP TABLE statements; --"}, Filters(), "expected an actor code"),
        ({"speaker_country": "A"}, Filters(), "expected a country code"),
        ({"topic": "Peace Treaty!"}, Filters(), "expected a topic id"),
        ({"present": "maybe"}, Filters(), "presenter mode"),
        ({"q": "x" * 500}, Filters(q="x" * 200), "cut"),
    ],
)  # fmt: skip
def test_invalid_values_become_friendly_warnings(params, expected, warning):
    f, warnings = Filters.from_query_params(params)
    assert f == expected
    assert len(warnings) == 1 and warning in warnings[0]


def test_where_binds_every_value_and_formats_none():
    sql, params = FULL.where("s")
    for value in ("Ararat", "ARM", "RUS", "peace_treaty", "quote", "2023", "0.25", "50"):
        assert value not in sql
    assert params["f_speaker"] == "Ararat Mirzoyan"
    # q="peace & 50% off": four words that must all occur, each bound as its own pattern
    assert [params[f"f_q_{i}"] for i in range(4)] == [
        r"(?i)(?:^|[^\pL\pN_])peace", r"(?i)\&", r"(?i)(?:^|[^\pL\pN_])50\%", r"(?i)(?:^|[^\pL\pN_])off",
    ]  # fmt: skip
    assert set(params) == {
        "f_start", "f_end", "f_speaker_country_0", "f_speaker_country_1", "f_speaker",
        "f_actor_0", "f_actor_1", "f_topic_0", "f_kind", "f_tone_min", "f_tone_max",
        "f_q_0", "f_q_1", "f_q_2", "f_q_3",
    }  # fmt: skip


def test_where_with_no_filters_is_true():
    assert Filters().where("s") == ("TRUE", {})


def test_where_on_mentions_uses_its_own_columns_and_one_semi_join():
    sql, params = FULL.where("m", on="mentions")
    assert "m.actor IN ($f_actor_0, $f_actor_1)" in sql
    assert "m.speaker_country IN" in sql and "m.date >=" in sql
    assert sql.count("FROM statements st") == 1


def test_where_skips_what_the_query_groups_by():
    sql, params = FULL.where("m", on="mentions", skip={"actor", "start", "end"})
    assert "actor" not in sql and "f_start" not in params


def test_hostile_text_is_only_ever_a_bound_value():
    evil = "x' OR 1=1; DROP TABLE t; --"
    f = Filters(q=evil, speaker=evil)
    sql, params = f.where("t")
    con = duckdb.connect()
    con.execute("CREATE TABLE t (statement_id INT, text VARCHAR, speaker VARCHAR, date DATE)")
    con.execute("INSERT INTO t VALUES (1, 'harmless', 'a', NULL)")
    assert con.execute(f"SELECT count(*) FROM t WHERE {sql}", params).fetchone() == (0,)
    assert con.execute("SELECT count(*) FROM t").fetchone() == (1,)


@pytest.mark.parametrize(
    ("text", "matches", "misses"),
    [
        ("50%", "a 50% cut", "a 500 cut"),
        ("a_b", "A_B", "axb"),
        ("back\\slash", "back\\slash", "back/slash"),
        ("a.b*", "see A.B* here", "aXbbb"),
        ("(peace", "no (Peace here", "peace"),
        ("Şəhla", "ŞƏHLA said", "Sehla"),
        ("Şəhla", "(Şəhla)", "XŞəhla"),
    ],
)
def test_search_is_case_insensitive_and_takes_special_characters_literally(text, matches, misses):
    con = duckdb.connect()
    query = "SELECT regexp_matches($t, $p)"
    assert con.execute(query, {"t": matches, "p": re2_pattern(text)}).fetchone() == (True,)
    assert con.execute(query, {"t": misses, "p": re2_pattern(text)}).fetchone() == (False,)


def test_describe_names_the_active_filters():
    text = FULL.describe({"ARM": "Armenia", "RUS": "Russia"})
    assert "speakers from Armenia, AZE" in text and "mentioning Russia, EU" in text
    assert Filters().describe() == "all statements"


@pytest.mark.parametrize(
    ("day", "days", "expected"),
    [(date(2024, 1, 1), 30, date(2024, 1, 31)), (date(9999, 12, 1), 730, date(9999, 12, 31)),
     (date(1, 1, 10), -730, date(1, 1, 1)), (date(2024, 3, 1), -1, date(2024, 2, 29))],
)  # fmt: skip
def test_shifting_a_date_stops_at_the_first_and_last_day_a_date_can_hold(day, days, expected):
    assert shift(day, days) == expected
