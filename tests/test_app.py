"""One AppTest per page, opened with filters in its query string: what a user sees, no exceptions."""

from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest
from ui_conftest import small_db

ROOT = Path(__file__).resolve().parent.parent
APP = str(ROOT / "app.py")
PAGES = {
    "countries": "dashboard/ui/countries.py",
    "tone": "dashboard/ui/tone_page.py",
    "quotes": "dashboard/ui/quotes.py",
    "names": "dashboard/ui/names.py",
    "data": "dashboard/ui/data_page.py",
}


@pytest.fixture
def db(tmp_path, monkeypatch):
    path = small_db(tmp_path / "rhetoric.duckdb")
    monkeypatch.setenv("RHETORIC_DB", str(path))
    return path


def open_page(page: str, **params) -> AppTest:
    at = AppTest.from_file(APP, default_timeout=30)
    for key, value in params.items():
        at.query_params[key] = value
    at.run()
    if page != "overview":
        at.switch_page(PAGES[page]).run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def metrics(at: AppTest) -> dict[str, str]:
    return {m.label: m.value for m in at.metric}


def test_overview_shows_totals_for_the_filters_in_the_link(db):
    at = open_page("overview", speaker_country=["ARM", "AZE"])
    assert at.title[0].value == "Overview"
    assert metrics(at) == {
        "Documents": "1", "Statements": "2", "Speakers": "2", "Actors mentioned": "2", "Date range": "2024–2024",
    }  # fmt: skip
    assert at.multiselect(key="w_speaker_country").value == ["ARM", "AZE"]
    assert [s.value for s in at.subheader] == [
        "Statements over time, by speaker country", "Tone over time, by speaker country",
    ]  # fmt: skip


def test_invalid_values_in_the_link_give_a_warning_and_a_page(db):
    at = open_page("overview", start="2024-13-45", tone_min="warm", actor="NOPE")
    warnings = " ".join(w.value for w in at.warning)
    assert "not a date" in warnings and "not a number" in warnings and "NOPE" in warnings
    assert metrics(at)["Statements"] == "5"


def test_changing_a_filter_writes_it_to_the_url(db):
    at = open_page("overview")
    at.multiselect(key="w_actor").set_value(["ARM"]).run()
    assert at.query_params["actor"] == "ARM"
    assert metrics(at)["Statements"] == "2"


def test_countries_page_opens_with_its_filters(db):
    at = open_page("countries", start="2024-01-01")
    assert at.title[0].value == "Countries"
    assert [s.value for s in at.subheader] == ["Mentions per actor", "Who talks about whom", "Mentions over time"]
    assert at.query_params["start"] == "2024-01-01"


def test_tone_page_compares_the_actors_in_the_link(db):
    at = open_page("tone", actor=["ARM", "AZE"])
    assert at.title[0].value == "Tone"
    assert at.multiselect(key="p_compare").value == ["ARM", "AZE"]
    assert "Most hostile statements" in [s.value for s in at.subheader]


def test_tone_page_says_which_tones_count_in_its_means(db):
    import duckdb

    with duckdb.connect(str(db)) as con:
        con.execute("UPDATE statements SET tone_confidence = 0.35 WHERE statement_id = 1")
        con.execute("UPDATE statements SET tone_confidence = 0.8 WHERE statement_id IN (2, 3, 4)")
    at = open_page("tone")
    captions = " ".join(c.value for c in at.caption)
    assert "at least 50% probability" in captions
    assert "Here: 3 of 4 scored statements (75%)" in captions


def test_a_statements_detail_shows_the_models_confidence(db):
    import duckdb

    with duckdb.connect(str(db)) as con:
        con.execute("UPDATE statements SET tone_confidence = 0.42 WHERE statement_id = 1")
    at = open_page("quotes", statement="1")
    tone = [m.value for m in at.markdown if m.value.startswith("**Tone**")]
    assert tone and "confidence 42%, too unsure for means" in tone[0]


def test_tone_page_in_presenter_mode_prints_the_filters(db):
    at = open_page("tone", present="1", actor="ARM")
    assert any("mentioning Armenia" in c.value for c in at.caption)


def test_quotes_page_lists_and_opens_a_statement(db):
    at = open_page("quotes", actor="ARM", q="peace", statement="2")
    assert at.title[0].value == "Quotes"
    assert any("**1** statements match" in m.value for m in at.markdown)
    quote = [m.value for m in at.markdown if m.value.startswith(">")]
    assert quote and "welcome the :orange-background[**peace**] talks with Yerevan" in quote[0]  # the match highlighted
    citation = at.code[0].value
    assert "Jeyhun Bayramov" in citation and "Example News" in citation and "statement 2" in citation


def test_a_search_explains_its_marks_under_the_table(db):
    at = open_page("quotes", q="peace -yerevan")
    assert any("**0** statements match" in m.value for m in at.markdown)
    at = open_page("quotes", q='"peace talks"')
    assert any("▸ ◂ mark the words your search matched" in c.value for c in at.caption)


def test_names_page_shows_who_says_which_name_and_the_statements_behind_it(db):
    import duckdb

    from dashboard import names
    from dashboard.reference import default_reference

    with duckdb.connect(str(db)) as con:
        con.execute("UPDATE statements SET text = 'Khankendi, not Stepanakert' WHERE statement_id = 2")
        con.execute("UPDATE statements SET text = 'We regret the provocation in Stepanakert' WHERE statement_id = 1")
        names.build_statement_names(con, default_reference().names)
    at = open_page("names", place="Stepanakert / Khankendi")
    assert at.title[0].value == "Names"
    assert at.selectbox(key="p_place").value == "Stepanakert / Khankendi"
    assert [s.value for s in at.subheader] == ["By speaker country", "By year"]
    assert len(at.get("plotly_chart")) == 2
    at.selectbox(key="names_pick_Stepanakert / Khankendi").set_value("Stepanakert").run()
    heading = [m.value for m in at.markdown if m.value.startswith("**Statements using")]
    assert heading and heading[0].endswith("n=2")


def test_names_page_on_a_database_without_names_says_how_to_get_them(db):
    at = open_page("names")
    assert any("re-run the ingest" in i.value for i in at.info)


def test_quotes_page_never_renders_document_text_as_html(db):
    at = open_page("quotes", statement="5")
    rendered = " ".join(m.value for m in at.markdown)
    assert "<script>" not in rendered  # escaped as \<script\>
    assert any("<script>" in t.value for t in at.text)  # shown as plain text only


def test_quotes_page_warns_about_an_unknown_statement(db):
    at = open_page("quotes", statement="999")
    assert any("no statement 999" in w.value for w in at.warning)


def test_data_page_shows_runs_rejects_and_reference_tables(db):
    at = open_page("data")
    assert at.title[0].value == "Data"
    assert metrics(at)["statements"] == "5"
    assert [s.value for s in at.subheader] == ["Holdings", "Ingest runs", "Rejected inputs", "Reference tables"]
    assert len(at.dataframe) >= 4


def test_a_missing_database_gives_instructions_not_a_traceback(tmp_path, monkeypatch):
    monkeypatch.setenv("RHETORIC_DB", str(tmp_path / "none.duckdb"))
    at = AppTest.from_file(APP, default_timeout=30).run()
    assert not at.exception
    assert "make db" in at.info[0].value


def test_a_statement_number_too_large_for_the_database_gives_a_notice(db):
    at = open_page("quotes", statement="1" * 41)
    assert any("not a statement number" in w.value for w in at.warning)
    assert at.title[0].value == "Quotes" and not at.error


@pytest.mark.parametrize("granularity", ["day", "week", "month", "year"])
def test_a_statement_dated_9999_12_31_is_on_the_overview_at_every_granularity(tmp_path, monkeypatch, granularity):
    from hostile_db import far_future_db

    monkeypatch.setenv("RHETORIC_DB", str(far_future_db(tmp_path / "far.duckdb")))
    at = open_page("overview", granularity=granularity, start="2020-01-01")
    assert metrics(at)["Date range"] == "2023–9999"
    assert not at.error


@pytest.mark.parametrize("page", ["overview", "countries", "tone", "quotes", "data"])
def test_dates_python_cannot_hold_leave_every_page_whole(tmp_path, monkeypatch, page):
    from hostile_db import beyond_python_db, open_link

    monkeypatch.setenv("RHETORIC_DB", str(beyond_python_db(tmp_path / "beyond.duckdb")))
    for params in ({}, {"granularity": "week", "start": "1900-01-01"}, {"statement": "200"}, {"statement": "201"}):
        at = open_link(page, params)
        assert not at.exception and not at.error, (page, params)
        assert [t.value for t in at.title] == [page.capitalize()]
