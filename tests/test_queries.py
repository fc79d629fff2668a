"""Queries on a tiny hand-made database whose answers are known."""

from datetime import date

import duckdb
import pandas as pd
import pytest
from ui_conftest import fill, small_db

from dashboard import queries as Q
from dashboard.filters import Filters


@pytest.fixture
def con():
    con = duckdb.connect()
    fill(con)
    yield con
    con.close()


def test_totals_count_everything(con):
    row = Q.totals(con, Filters()).iloc[0]
    assert (row.documents, row.statements, row.speakers, row.actors) == (3, 5, 4, 5)


def test_totals_count_every_actor_of_the_statements_an_actor_filter_keeps(con):
    row = Q.totals(con, Filters(actor=("ARM",))).iloc[0]
    assert (row.statements, row.actors) == (2, 3)  # statements 2 and 3 mention ARM, AZE and RUS


@pytest.mark.parametrize(
    ("filters", "expected_ids"),
    [
        (Filters(), [1, 2, 3, 4, 5]),
        (Filters(start=date(2024, 1, 1)), [1, 2, 3]),
        (Filters(end=date(2023, 12, 31)), [4, 5]),
        (Filters(speaker_country=("ARM", "AZE")), [1, 2]),
        (Filters(speaker="Maria Zakharova"), [3]),
        (Filters(actor=("ARM",)), [2, 3]),
        (Filters(topic=("peace_treaty",)), [1, 2]),
        (Filters(kind="paragraph"), [3]),
        (Filters(tone_min=0.2), [2, 4]),
        (Filters(tone_max=-0.1), [1]),
        (Filters(q="PEACE"), [2]),
        (Filters(q="50%"), [5]),
        (Filters(q="%"), [5]),
        (Filters(actor=("ARM",), q="peace"), [2]),
    ],
)
def test_statements_page_applies_every_filter(con, filters, expected_ids):
    page = Q.statements_page(con, filters, sort="oldest")
    assert sorted(page["statement_id"]) == expected_ids
    assert Q.statement_count(con, filters) == len(expected_ids)


def test_statements_page_is_paged_and_carries_topics(con):
    first = Q.statements_page(con, Filters(), limit=2, offset=0, sort="newest")
    second = Q.statements_page(con, Filters(), limit=2, offset=2, sort="newest")
    assert list(first["statement_id"]) == [3, 1] and list(second["statement_id"]) == [2, 4]
    assert first.set_index("statement_id").loc[1, "topics"] == "peace_treaty"


def test_statements_page_rejects_an_unknown_sort(con):
    with pytest.raises(ValueError):
        Q.statements_page(con, Filters(), sort="random; DROP")


def test_statements_over_time_gives_count_and_share(con):
    df = Q.statements_over_time(con, Filters(), "year")
    y2024 = df[df["period"] == "2024-01-01"].set_index("speaker_country")
    assert y2024["n"].to_dict() == {"ARM": 1, "AZE": 1, "RUS": 1}
    assert y2024["share"].sum() == pytest.approx(1.0)
    # the unattributed statement is no country's words: not drawn, not even as "Other"
    assert "Other" not in set(df["speaker_country"])
    assert df["n"].sum() == con.execute("SELECT count(*) FROM statements WHERE speaker_country IS NOT NULL").fetchone()[0]


def test_statements_over_time_folds_the_rest_into_other(con):
    df = Q.statements_over_time(con, Filters(), "year", top=1)
    assert set(df["speaker_country"]) <= {"ARM", "AZE", "GEO", "RUS", "Other"}
    assert df.groupby("period")["n"].sum().tolist() == [1, 3]  # the unattributed one of the first year is no country's


def test_statements_over_time_rejects_an_unknown_granularity(con):
    with pytest.raises(ValueError):
        Q.statements_over_time(con, Filters(), "decade")


def test_tone_over_time_has_n_and_a_band(con):
    df = Q.tone_over_time(con, Filters(), "year")
    arm = df[df["speaker_country"] == "ARM"].iloc[0]
    assert (arm.n, arm.mean_tone) == (1, pytest.approx(-0.6))
    assert set(df.columns) >= {"lo", "hi", "sd"}


def test_confidence_columns_follow_the_formula():
    import pandas as pd

    df = Q.confidence_columns(pd.DataFrame({"mean_tone": [0.5], "sd": [0.2], "n": [16]}))
    assert df.loc[0, "lo"] == pytest.approx(0.5 - 1.96 * 0.2 / 4)
    assert df.loc[0, "hi"] == pytest.approx(0.5 + 1.96 * 0.2 / 4)


def test_events_in_range_follow_the_data_span(con):
    assert list(Q.events_in_range(con, Filters())["label"]) == [
        "Azerbaijani offensive in Karabakh", "Test summit",
    ]  # fmt: skip
    assert Q.events_in_range(con, Filters(start=date(2024, 3, 1))).empty


def test_events_carry_their_importance_and_short_label(con):
    events = Q.events_in_range(con, Filters())
    assert list(events["importance"]) == [1, 2]
    assert list(events["short"]) == ["Offensive", "Test summit"]  # no short label: the label


def test_events_of_a_database_built_before_importance_read_as_notable():
    con = duckdb.connect()
    fill(con)
    con.execute("CREATE TABLE old_events AS SELECT date, label, description, actors, source FROM events")
    con.execute("DROP TABLE events")
    con.execute("ALTER TABLE old_events RENAME TO events")
    events = Q.all_events(con)
    assert list(events["importance"]) == [2, 2] and list(events["short"]) == list(events["label"])


def test_documents_over_time_count_what_the_corpus_holds_whatever_it_mentions(con):
    mentions_arm = Filters(actor=("ARM",), q="peace")
    df = Q.documents_over_time(con, mentions_arm, "year")
    got = {(str(p)[:4], c if isinstance(c, str) else None): n for p, c, n in df.itertuples(index=False)}
    assert got == {("2023", "GEO"): 1, ("2023", None): 1, ("2024", "ARM"): 1, ("2024", "AZE"): 1, ("2024", "RUS"): 1}
    only_2024 = Q.documents_over_time(con, Filters(start=date(2024, 1, 1), speaker_country=("ARM",)), "month")
    assert list(only_2024["n"]) == [1] and str(only_2024["period"].iloc[0])[:7] == "2024-01"


def test_mentions_by_actor_counts_and_names(con):
    df = Q.mentions_by_actor(con, Filters()).set_index("actor")
    assert df.loc["ARM", "n"] == 2 and df.loc["ARM", "name"] == "Armenia"
    assert df.loc["AZE", "mean_tone"] == pytest.approx(-0.25)


def test_mentions_by_actor_respects_statement_level_filters(con):
    df = Q.mentions_by_actor(con, Filters(kind="paragraph"))
    assert sorted(df["actor"]) == ["ARM", "AZE", "RUS"]


def test_who_talks_about_whom(con):
    df = Q.who_talks_about_whom(con, Filters()).set_index(["speaker_country", "actor"])
    assert df.loc[("ARM", "AZE"), "n"] == 1
    assert df.loc[("ARM", "AZE"), "mean_tone"] == pytest.approx(-0.6)
    assert len(df) == 7


def test_tone_toward_actors_compares_the_chosen_ones(con):
    df = Q.tone_toward_actors(con, Filters(actor=("ARM", "EU")))
    assert list(df["actor"]) == ["ARM", "EU"]  # ordered by mean tone
    assert list(df["n"]) == [2, 1]


def test_tone_bands_share_sums_to_one(con):
    df = Q.tone_bands(con, Filters(), ["AZE"])
    assert df["share"].sum() == pytest.approx(1.0)
    assert dict(zip(df["band"], df["n"], strict=True)) == {"hostile": 1, "neutral": 1}


def test_tone_by_speaker(con):
    df = Q.tone_by_speaker(con, Filters(), "ARM")
    assert dict(zip(df["speaker_country"], df["mean_tone"], strict=True)) == pytest.approx(
        {"AZE": 0.3, "RUS": 0.1}
    )


def test_before_after_splits_at_the_event(con):
    df = Q.before_after(con, Filters(), date(2024, 2, 1), days=60)
    assert {(r.speaker_country, r.side) for r in df.itertuples()} == {
        ("ARM", "before"), ("AZE", "before"), ("RUS", "after"),
    }  # fmt: skip


def test_extreme_statements(con):
    assert Q.extreme_statements(con, Filters(), limit=1)["statement_id"].tolist() == [1]
    assert Q.extreme_statements(con, Filters(), warmest=True, limit=1)["statement_id"].tolist() == [4]


def test_statement_detail_has_paragraph_mentions_and_topics(con):
    row = Q.statement_detail(con, 1)
    assert row["paragraph"] == '"We regret the provocation by Baku," Mirzoyan said.'
    assert row["outlet"] == "Example News" and row["speaker_role"] == "foreign minister"
    assert row["mentions"]["actor"].tolist() == ["AZE"]
    assert row["topics"]["topic"].tolist() == ["peace_treaty"]
    assert Q.statement_detail(con, 999) is None


def test_csv_holds_exactly_the_filtered_rows_with_a_bom(con):
    data = Q.statements_csv(con, Filters(actor=("ARM",)))
    assert data.startswith(b"\xef\xbb\xbf")
    lines = data.decode("utf-8-sig").strip().splitlines()
    assert lines[0].split(",")[:3] == ["statement_id", "date", "speaker"]
    assert sorted(line.split(",")[0] for line in lines[1:]) == ["2", "3"]


def test_data_page_tables(con):
    assert Q.ingest_runs(con)["files_rejected"].tolist() == [1]
    assert Q.rejects(con)["reason"].tolist() == ["malformed JSON"]
    assert Q.holdings(con)["documents"].sum() == 3
    assert Q.reference_table(con, "actors")["code"].tolist() == ["ARM", "AZE", "EU", "GEO", "RUS"]


def test_filter_options(con):
    options = Q.filter_options(con)
    assert options["actors"]["code"].iloc[0] == "ARM"
    assert set(options["speaker_countries"]["code"]) == {"ARM", "AZE", "GEO", "RUS"}


@pytest.mark.parametrize("page", sorted(Q.PAGE_QUERIES))
def test_every_registered_page_query_runs_with_and_without_filters(con, page):
    for f in (Filters(), Filters(actor=("ARM",), q="peace", start=date(2024, 1, 1))):
        for query in Q.PAGE_QUERIES[page]:
            query(con, f)


def test_the_app_connection_is_read_only(tmp_path):
    db = small_db(tmp_path / "r.duckdb")
    con = Q.connect(db)
    with pytest.raises(duckdb.Error):
        con.execute("DELETE FROM statements")
    assert Q.db_version(db) > 0 and Q.db_version(tmp_path / "missing.duckdb") == 0


def test_queries_run_on_a_database_built_by_ingest(built_db):
    con = Q.connect(built_db)
    try:
        for queries in Q.PAGE_QUERIES.values():
            for query in queries:
                query(con, Filters())
        assert Q.totals(con, Filters()).iloc[0].documents == 5
    finally:
        con.close()


def test_the_rollup_gives_the_same_answers_as_the_mentions_table(built_db):
    """Pages read mention_rollup when only dates, countries and actors are filtered: same numbers."""
    import pandas as pd

    con = Q.connect(built_db)
    views = [Filters(), Filters(speaker_country=("ARM",)), Filters(actor=("AZE", "RUS")),
             Filters(start=date(2020, 1, 1), end=date(2020, 12, 31))]  # fmt: skip
    functions = [Q.mentions_by_actor, Q.mentions_over_time, Q.who_talks_about_whom,
                 Q.tone_toward_actors, Q.tone_bands, Q.tone_by_speaker]  # fmt: skip
    for f in views:
        assert Q.uses_rollup(con, f)
        with_rollup = [fn(con, f) for fn in functions]
        Q._tables[con]["mention_rollup"] = False  # force the mentions table
        without = [fn(con, f) for fn in functions]
        Q._tables[con]["mention_rollup"] = True
        for a, b in zip(with_rollup, without, strict=True):
            pd.testing.assert_frame_equal(a.reset_index(drop=True), b.reset_index(drop=True), check_dtype=False)
    assert not Q.uses_rollup(con, Filters(q="peace"))


def test_the_statement_rollup_gives_the_same_answers_as_the_statements_table(built_db):
    import pandas as pd

    con = Q.connect(built_db)
    views = [Filters(), Filters(speaker_country=("AZE", "ARM")), Filters(kind="paragraph"),
             Filters(start=date(2020, 1, 1), end=date(2025, 12, 31))]  # fmt: skip
    functions = [Q.statements_over_time, Q.tone_over_time, Q.events_in_range]
    for f in views:
        assert Q.uses_statement_rollup(con, f)
        with_rollup = [fn(con, f) for fn in functions]
        Q._tables[con]["statement_rollup"] = False  # force the statements table
        without = [fn(con, f) for fn in functions]
        Q._tables[con]["statement_rollup"] = True
        for a, b in zip(with_rollup, without, strict=True):
            pd.testing.assert_frame_equal(a.reset_index(drop=True), b.reset_index(drop=True), check_dtype=False)
    assert not Q.uses_statement_rollup(con, Filters(actor=("ARM",)))


def test_a_text_search_is_read_once_and_answers_like_the_text_itself(built_db):
    con = Q.connect(built_db)
    f = Filters(q="PEACE")
    name = Q.search_table(con, f.q)
    assert name
    assert Q.search_table(con, f.q) == name  # cached: the same table, no second scan
    cached = Q.statement_count(con, f)
    sql, params = f.where("s")  # no cache: match the text in place
    direct = con.execute(f"SELECT count(*) FROM statements s WHERE {sql}", params).fetchone()[0]
    plain = con.execute("SELECT count(*) FROM statements WHERE lower(text) LIKE '%peace%'").fetchone()[0]
    assert cached == direct == plain > 0



@pytest.mark.parametrize("q", ["peace", "armenia -russia", '"peace treaty"'])
def test_a_searched_page_reads_its_subset_and_finds_what_the_whole_tables_give(built_db, monkeypatch, q):
    con = Q.connect(built_db)
    f = Filters(q=q)
    functions = [Q.totals, Q.mentions_by_actor, Q.who_talks_about_whom, Q.tone_toward_actors, Q.tone_bands,
                 Q.tone_by_speaker, Q.before_after, Q.extreme_statements, lambda c, f: Q.tone_over_time(c, f, "year"),
                 lambda c, f: Q.statements_over_time(c, f, "year"), Q.statements_page]  # fmt: skip
    subset = [fn(con, f) for fn in functions]
    assert Q.source(con, f, "mentions").startswith("memory.main.search_")  # the page read the subsets
    monkeypatch.setattr(Q, "SEARCH_SUBSETS", ())  # every query joins the whole table instead
    assert Q.source(con, f, "mentions") == "mentions"
    for a, b in zip(subset, [fn(con, f) for fn in functions], strict=True):
        pd.testing.assert_frame_equal(a.reset_index(drop=True), b.reset_index(drop=True), check_dtype=False)
    assert int(subset[0]["statements"].iloc[0]) > 0 or q != "peace"


def test_the_compared_actors_are_chosen_once_per_filters_and_differ_with_them(built_db):
    con = Q.connect(built_db)
    views = [Filters(), Filters(speaker_country=("ARM",)), Filters(q="peace"), Filters(present=True)]
    first = [Q.compared_actors(con, f) for f in views]
    assert first[0] and first[0] == first[3]  # presenter mode changes no data
    assert first[0] != first[1] or first[0] != first[2]  # other filters, another choice
    fresh = Q.connect(built_db)  # a new connection computes them again: the same answer
    assert [Q.compared_actors(fresh, f) for f in views] == first == [Q.compared_actors(con, f) for f in views]
    assert Q.compared_actors(con, Filters(), limit=2) == first[0][:2]

def test_only_the_latest_searches_keep_their_subsets_so_memory_stays_bounded(built_db):
    con = Q.connect(built_db)
    words = ["peace", "armenia", "russia", "talks", "border", "minister"]
    for word in words:
        Q.tone_bands(con, Filters(q=word))
    tables = {r[0] for r in con.execute(
        "SELECT table_name FROM information_schema.tables WHERE table_catalog = 'memory'").fetchall()}  # fmt: skip
    subsets = {t for t in tables if t.endswith("_mentions")}
    latest = {Q.search_table(con, w) + "_mentions" for w in words[-Q.SUBSET_CACHE_SIZE:]}
    assert subsets == latest  # the older ones dropped, their id lists kept
    assert all(Q.search_table(con, w) in tables for w in words)
    Q.totals(con, Filters(q=words[-1]))  # reads the statements' subset, which leaves the text out
    columns = {c[0] for c in con.execute(f"DESCRIBE memory.main.{Q.search_table(con, words[-1])}_statements").fetchall()}
    assert "tone" in columns and "text" not in columns

@pytest.mark.parametrize("q", ['"peace talks"', "peace -yerevan", "-baku", "talks peace", '"talks peace"', "50%"])
def test_search_syntax_gives_the_same_statements_from_the_cache_and_in_place(con, q):
    f = Filters(q=q)
    sql, params = f.where("s")
    direct = sorted(r[0] for r in con.execute(f"SELECT statement_id FROM statements s WHERE {sql}", params).fetchall())
    assert sorted(Q.statements_page(con, f)["statement_id"]) == direct
    expected = {'"peace talks"': [2], "peace -yerevan": [], "-baku": [2, 3, 4, 5], "talks peace": [2],
                '"talks peace"': [], "50%": [5]}  # fmt: skip
    assert direct == expected[q]


def test_a_search_page_shows_the_words_around_the_match_marked(built_db):
    con = Q.connect(built_db)
    page = Q.statements_page(con, Filters(q="peace"), limit=100)
    assert len(page) == Q.statement_count(con, Filters(q="peace")) > 0
    for text in page["excerpt"]:
        assert "▸" in text and "◂" in text
        marked = text.split("▸", 1)[1].split("◂", 1)[0]
        assert marked.lower().startswith("peace")
        assert len(text.split()) <= 20 + 20 + 2 + 5  # twenty words either side, ellipses, the match
    plain = Q.statements_page(con, Filters(), limit=5)
    assert not any("▸" in t for t in plain["excerpt"])


def test_the_app_connection_cannot_write_the_database(built_db):
    con = Q.connect(built_db)
    with pytest.raises(duckdb.Error):
        con.execute("DELETE FROM db.main.statements")
    with pytest.raises(duckdb.Error):
        con.execute("CREATE TABLE db.main.x AS SELECT 1")
    assert con.execute("SELECT count(*) FROM statements").fetchone()[0] > 0


def test_the_actors_the_product_is_about_come_first_when_only_a_few_series_fit(tmp_path):
    from dashboard.storage import schema_sql

    path = tmp_path / "focus.duckdb"
    con = duckdb.connect(str(path))
    con.execute(schema_sql())
    rows = [(i, "d", i, "paragraph", 0, 1, "x", "LVA" if i < 10 else "ARM", 0.1, "2020-09-01") for i in range(11)]
    con.executemany(
        "INSERT INTO statements (statement_id, doc_id, seq, kind, start_char, end_char, text, speaker_country, "
        "tone, date) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        rows,
    )
    con.close()
    con = Q.connect(path)
    shown = set(Q.statements_over_time(con, Filters(), granularity="year", top=1)["speaker_country"])
    assert shown == {"ARM", Q.OTHER}  # Armenia (1 statement) is drawn; Latvia (10) folds into Other
    assert set(Q.tone_over_time(con, Filters(), granularity="year", top=1)["speaker_country"]) == {"ARM"}


def _dated(days):
    con = duckdb.connect()
    con.execute("CREATE TABLE statements (date DATE)")
    if days:
        con.executemany("INSERT INTO statements VALUES (?)", [(d,) for d in days])
    return con


def test_the_dense_window_starts_where_most_months_have_statements_on_several_days():
    from datetime import date, timedelta

    yearly = [date(y, 9, 1) for y in range(1990, 2018)]  # one debate a year: never dense
    daily = [date(2018, 1, 1) + timedelta(days=k) for k in range(0, 3 * 365, 3)]
    assert Q.dense_start(_dated(yearly + daily)).isoformat() == "2018-01-01"
    assert Q.dense_start(_dated(yearly)) is None  # nothing dense: open on everything
    assert Q.dense_start(_dated(daily)) is None  # dense from the first month: nothing to cut
    assert Q.dense_start(_dated([])) is None


def test_means_leave_out_tones_the_model_is_unsure_of_but_lists_keep_them(con):
    # ARM is the target of statement 2 (+0.3) and statement 3 (+0.1); the model is unsure of 3.
    con.execute("UPDATE mentions SET toward_confidence = 0.4 WHERE statement_id = 3 AND actor = 'ARM'")
    con.execute("UPDATE mentions SET toward_confidence = 0.9 WHERE statement_id = 2 AND actor = 'ARM'")
    df = Q.tone_toward_actors(con, Filters(actor=("ARM", "EU")))
    arm = df.set_index("actor").loc["ARM"]
    assert (arm.n, arm.mean_tone) == (1, pytest.approx(0.3))
    # statement 1 (ARM's only statement) is too unsure for the tone timeline, but still listed
    con.execute("UPDATE statements SET tone_confidence = 0.45 WHERE statement_id = 1")
    over_time = Q.tone_over_time(con, Filters(), "year")
    assert "ARM" not in set(over_time["speaker_country"])
    assert 1 in set(Q.statements_page(con, Filters(speaker_country=("ARM",)))["statement_id"])
    row = Q.totals(con, Filters()).iloc[0]
    assert (row.toned, row.sure) == (4, 3)


def test_the_rollups_count_only_sure_tones_as_the_base_tables_do(con):
    con.execute("UPDATE mentions SET toward_confidence = 0.4 WHERE statement_id = 3")
    con.execute("UPDATE statements SET tone_confidence = 0.3 WHERE statement_id = 3")
    base = Q.tone_toward_actors(con, Filters(), ["ARM", "AZE", "RUS"]).set_index("actor")
    from dashboard import storage

    storage.build_rollups(con)
    Q._tables.pop(con, None)
    assert Q.uses_rollup(con, Filters())
    rolled = Q.tone_toward_actors(con, Filters(), ["ARM", "AZE", "RUS"]).set_index("actor")
    assert list(rolled["n"]) == list(base["n"]) and "RUS" not in rolled.index
    assert rolled["mean_tone"].tolist() == pytest.approx(base["mean_tone"].tolist())
