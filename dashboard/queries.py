"""Every query the pages run: aggregate in DuckDB, fetch only what is drawn.

Each function takes a read-only connection and a ``Filters`` (plus the page's own
choices) and returns a small DataFrame. Each opens its own cursor, so one cached
connection serves every session. Values are always bound; the only SQL text
formatted in is the WHERE clause ``Filters.where`` builds from placeholder names
and a choice among fixed fragments (granularity and sort order are checked
against the allowed sets first).

``PAGE_QUERIES`` lists what each page runs with its default choices, so the
benchmark can time a page exactly as a user first sees it.
"""

from __future__ import annotations

import contextlib
import hashlib
import io
import math
import re
import weakref
from datetime import date
from functools import partial
from pathlib import Path

import duckdb
import pandas as pd

from dashboard import names, settings, storage
from dashboard.filters import PARAM_KEYS, Filters, shift
from dashboard.reference import NameVariant, split_multi
from dashboard.safe import csv_cell
from dashboard.search import excerpt, parse_search, re2_pattern, re2_prefilter
from dashboard.tone_model import CHART_MIN_CONFIDENCE

GRANULARITIES = ("day", "week", "month", "year")
TOP_SERIES = 8  # lines per chart before the rest are folded into "Other"
MAX_COMPARE = 8  # actors compared side by side on the Tone page
PAGE_SIZE = 50
MAX_STATEMENT_ID = 2**63 - 1  # statement ids are BIGINT; a larger number can name no statement
#: The actors the product is about: when a chart can only draw a few series, these come first,
#: then the most frequent others (a filter on speaker countries or actors overrides this).
FOCUS = ("ARM", "AZE", "GEO", "RUS", "TUR", "IRN", "EU", "USA")
_FOCUS_SQL = "list_contains(['" + "', '".join(FOCUS) + "'], {x}) DESC"
OTHER = "Other"

#: The five tone bands as SQL, the same thresholds as ``dashboard.tone.band_for``.
_BAND_SQL = """CASE
    WHEN {x} < -0.5 THEN 'hostile'
    WHEN {x} < -0.1 THEN 'critical'
    WHEN {x} <= 0.1 THEN 'neutral'
    WHEN {x} <= 0.5 THEN 'cooperative'
    ELSE 'warm' END"""

SORTS = {
    "newest": "s.date DESC NULLS LAST, s.statement_id",
    "oldest": "s.date ASC NULLS LAST, s.statement_id",
    "most hostile": "s.tone ASC NULLS LAST, s.statement_id",
    "warmest": "s.tone DESC NULLS LAST, s.statement_id",
}


def connect(path: Path | str) -> duckdb.DuckDBPyConnection:
    """The app's one connection: the database file attached read-only, so the dashboard can never
    write it, inside an in-memory database that holds the text-search cache (see ``search_table``).

    Every table and view of the file is visible under its own name.
    """
    con = duckdb.connect(config={"memory_limit": settings.memory_limit()})
    con.execute(f"ATTACH {storage.sql_string(Path(path))} AS db (READ_ONLY)")
    names = con.execute(
        "SELECT table_name FROM information_schema.tables WHERE table_catalog = 'db' AND table_schema = 'main'"
    ).fetchall()
    for (name,) in names:
        if _IDENTIFIER.match(name):
            con.execute(f'CREATE VIEW main."{name}" AS SELECT * FROM db.main."{name}"')
    return con


_IDENTIFIER = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")
#: Searches kept per connection (each is a list of matching statement ids).
SEARCH_CACHE_SIZE = 32
_searches: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()  # connection -> {pattern: table}


def search_table(con, q: str | None) -> str | None:
    """The name of an in-memory table of the statements whose text matches ``q``.

    A text search has to read every statement's text (no index can be downloaded at run
    time); doing it once per search, not once per chart, keeps a page with six charts at the
    cost of one scan. Each included term is first looked for as a plain word anywhere (RE2 runs
    that several times faster), and only the statements that have it are tried for the word
    start; an exclusion is tried on what is left. None when the connection cannot hold the
    cache (a plain file connection) or ``q`` asks for nothing.
    """
    query = parse_search(q)
    if not query:
        return None
    key = query.canonical()
    cache = _searches.setdefault(con, {})
    if key in cache:
        cache[key] = cache.pop(key)  # most recently used last
        return cache[key]
    name = "search_" + hashlib.sha1(key.encode("utf-8")).hexdigest()[:16]
    conditions, params = [], {}
    for i, term in enumerate(query.include):
        params[f"pre_{i}"], params[f"p_{i}"] = re2_prefilter(term), re2_pattern(term)
        conditions.append(f"regexp_matches(text, $pre_{i}) AND regexp_matches(text, $p_{i})")
    for i, term in enumerate(query.exclude):
        params[f"x_{i}"] = re2_pattern(term)
        conditions.append(f"NOT regexp_matches(text, $x_{i})")
    cur = con.cursor()
    try:
        cur.execute(
            f"CREATE TABLE IF NOT EXISTS memory.main.{name} AS "
            f"SELECT statement_id FROM statements WHERE {' AND '.join(conditions)}",
            params,
        )
    except duckdb.Error:
        return None
    finally:
        cur.close()
    cache[key] = name
    while len(cache) > SEARCH_CACHE_SIZE:
        old = cache.pop(next(iter(cache)))
        with contextlib.suppress(duckdb.Error):
            _drop_subsets(con, old)
            con.execute(f"DROP TABLE IF EXISTS memory.main.{old}")
    return name


#: Tables whose rows of the matching statements a search keeps beside its ids, for the most
#: recent ``SUBSET_CACHE_SIZE`` searches.
SEARCH_SUBSETS = ("mentions", "statements")
SUBSET_CACHE_SIZE = 4
_subsets: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()  # connection -> {search table: {tables}}


def _drop_subsets(con, name: str) -> None:
    _subsets.get(con, {}).pop(name, None)
    for base in SEARCH_SUBSETS:
        con.execute(f"DROP TABLE IF EXISTS memory.main.{name}_{base}")


def source(con, f: Filters, table: str) -> str:
    """The table a filtered query reads ``table`` from: the table itself, or with a text search
    the rows of the statements that match it, made once per search in the search cache.

    A page with a search runs five or six queries; each would otherwise join the whole table
    (1.5 million mentions at a million statements) to the matching ids. The queries keep their
    search condition or (through ``read``) leave it out, since every row of the subset matches.
    """
    name = search_table(con, f.q) if table in SEARCH_SUBSETS else None
    if name is None:
        return table
    subset = f"memory.main.{name}_{table}"
    kept = _subsets.setdefault(con, {})
    made = kept.pop(name, set())
    kept[name] = made  # most recently used last
    if table in made:
        return subset
    # The statements' text stays out: no query reads it from here (its search is answered).
    columns = "* EXCLUDE (text)" if table == "statements" else "*"
    cur = con.cursor()
    try:
        cur.execute(f"CREATE TABLE IF NOT EXISTS {subset} AS "
                    f"SELECT {columns} FROM {table} SEMI JOIN memory.main.{name} USING (statement_id)")  # fmt: skip
        made.add(table)
        while len(kept) > SUBSET_CACHE_SIZE:  # a subset weighs more than a list of ids: keep a few
            _drop_subsets(con, next(iter(kept)))
    except duckdb.Error:
        return table
    finally:
        cur.close()
    return subset


def read(con, f: Filters, table: str, alias: str, **kwargs) -> tuple[str, str, dict]:
    """What a filtered query reads ``table`` from, its WHERE clause and parameters: with a text
    search the search's subset (``source``), whose rows all match, so the clause leaves ``q`` out."""
    src = source(con, f, table)
    skip = set(kwargs.pop("skip", ())) | ({"q"} if src != table else set())
    w, p = where(con, f, alias, skip=skip, **kwargs)
    return src, w, p


def where(con, f: Filters, alias: str = "s", **kwargs) -> tuple[str, dict]:
    """``Filters.where`` with the text search answered from the search cache."""
    return f.where(alias, search_table=search_table(con, f.q), **kwargs)


def db_version(path: Path | str) -> int:
    """Changes whenever ingest swaps a new database file into place (0 if there is none)."""
    try:
        return Path(path).stat().st_mtime_ns
    except FileNotFoundError:
        return 0


def fetch(con: duckdb.DuckDBPyConnection, sql: str, params: dict | None = None) -> pd.DataFrame:
    cur = con.cursor()
    try:
        return cur.execute(sql, params or {}).df()
    finally:
        cur.close()


def choose_granularity(start: date | None, end: date | None) -> str:
    """Day, week, month or year: whichever gives a readable number of points for the span."""
    if not start or not end:
        return "month"
    days = (end - start).days
    if days <= 62:
        return "day"
    if days <= 366:
        return "week"
    if days <= 6 * 366:
        return "month"
    return "year"


def _granularity(value: str) -> str:
    if value not in GRANULARITIES:
        raise ValueError(f"granularity must be one of {GRANULARITIES}, not {value!r}")
    return value


def confidence_columns(df: pd.DataFrame, mean: str = "mean_tone", sd: str = "sd", n: str = "n") -> pd.DataFrame:
    """Add ``lo``/``hi``: mean ± 1.96·sd/√n (no band where n < 2)."""
    df = df.copy()
    half = [
        1.96 * s / math.sqrt(k) if k and k > 1 and s is not None and s == s else float("nan")
        for s, k in zip(df[sd], df[n], strict=True)
    ]
    df["lo"] = df[mean] - half
    df["hi"] = df[mean] + half
    return df


# Filter options and reference ------------------------------------------------------------


def filter_options(con) -> dict[str, pd.DataFrame]:
    """What the sidebar offers: codes with names and counts, topics, speakers, the date span."""
    return {
        "speaker_countries": fetch(
            con,
            """
            WITH c AS (SELECT speaker_country AS code, count(*) AS n FROM statements
                       WHERE speaker_country IS NOT NULL GROUP BY 1)
            SELECT c.code, coalesce(a.name, c.code) AS name, c.n
            FROM c LEFT JOIN actors a ON a.code = c.code ORDER BY c.n DESC, c.code
            """,
        ),
        "actors": fetch(
            con,
            """
            WITH c AS (SELECT actor AS code, count(*) AS n FROM mentions GROUP BY 1)
            SELECT c.code, coalesce(a.name, c.code) AS name, c.n
            FROM c LEFT JOIN actors a ON a.code = c.code ORDER BY c.n DESC, c.code
            """,
        ),
        "topics": fetch(
            con,
            """
            WITH c AS (SELECT topic, count(*) AS n FROM statement_topics GROUP BY 1)
            SELECT t.topic, t.label, coalesce(c.n, 0) AS n
            FROM topics t LEFT JOIN c USING (topic) ORDER BY n DESC, t.topic
            """,
        ),
        "speakers": fetch(
            con,
            """
            SELECT speaker, any_value(speaker_country) AS country, count(*) AS n FROM statements
            WHERE speaker IS NOT NULL GROUP BY speaker ORDER BY n DESC, speaker LIMIT 3000
            """,
        ),
        "span": fetch(con, "SELECT min(date) AS first_date, max(date) AS last_date FROM statements"),
        "source_kinds": fetch(
            con,
            "SELECT source_kind AS kind, count(*) AS n FROM statements WHERE source_kind IS NOT NULL "
            "GROUP BY 1 ORDER BY n DESC, 1",
        ),
        "outlet_countries": fetch(
            con,
            """
            WITH c AS (SELECT outlet_country AS code, count(*) AS n FROM statements
                       WHERE outlet_country IS NOT NULL GROUP BY 1)
            SELECT c.code, coalesce(a.name, c.code) AS name, c.n
            FROM c LEFT JOIN actors a ON a.code = c.code ORDER BY c.n DESC, c.code
            """,
        ),
    }


#: A month is dense when statements are dated on at least this many of its days ...
DENSE_DAYS = 4
#: ... and the dashboard first opens from the earliest dense month after which at least this
#: share of calendar months, up to the last, are dense (a yearly UN debate is never dense).
DENSE_SHARE = 0.5


def dense_start(con) -> date | None:
    """Where the data become dense: the first day of the window the dashboard opens on.

    None when the whole range is dense enough (or nothing is): then it opens on everything.
    """
    df = fetch(
        con,
        """
        WITH d AS (SELECT DISTINCT date FROM statements  -- the days a Python date can name
                   WHERE date BETWEEN DATE '0001-01-01' AND DATE '9999-12-31')
        SELECT date_trunc('month', date)::DATE AS month, count(*) AS days FROM d GROUP BY 1 ORDER BY 1
        """,
    )
    if df.empty:
        return None
    months = [pd.Timestamp(m).date() for m in df["month"]]
    dense = {m for m, n in zip(months, df["days"], strict=True) if n >= DENSE_DAYS}
    if not dense:
        return None
    first, last = months[0], months[-1]
    span = (last.year - first.year) * 12 + last.month - first.month + 1
    best = None
    for seen, m in enumerate(sorted(dense, reverse=True), start=1):  # seen: dense months from m on
        calendar = (last.year - m.year) * 12 + last.month - m.month + 1
        if seen / calendar >= DENSE_SHARE:
            best = m
    if best is None or best == first or len(dense) / span >= DENSE_SHARE:
        return None
    return best


def actor_names(con) -> dict[str, str]:
    return dict(fetch(con, "SELECT code, name FROM actors").itertuples(index=False, name=None))


# Overview ---------------------------------------------------------------------------------


def totals(con, f: Filters) -> pd.DataFrame:
    """One row: documents, statements (with a tone; with a tone sure enough to count in means),
    speakers, actors mentioned, undated, first and last date.

    The statements are read once; with an actor filter, "actors" counts every actor of the
    statements that mention one of them, not just the filtered ones.
    """
    src, w, p = read(con, f, "statements", "s")
    if uses_rollup(con, f) and not f.actor:
        rel, pr = mention_relation(con, f)
        actors_sql, p = f"(SELECT count(DISTINCT actor) FROM {rel})", {**p, **pr}
    else:
        actors_sql = f"(SELECT count(DISTINCT m.actor) FROM {source(con, f, 'mentions')} m SEMI JOIN chosen USING (statement_id))"
    return fetch(
        con,
        f"""
        WITH chosen AS (SELECT s.statement_id, s.doc_id, s.speaker, s.date, s.tone IS NOT NULL AS toned,
                               {SURE_TONE} AS sure FROM {src} s WHERE {w})
        SELECT count(DISTINCT doc_id) AS documents, count(*) AS statements,
               count(*) FILTER (WHERE toned) AS toned, count(*) FILTER (WHERE sure) AS sure,
               count(DISTINCT speaker) AS speakers,
               count(*) FILTER (WHERE date IS NULL) AS undated,
               min(date) AS first_date, max(date) AS last_date,
               {actors_sql} AS actors
        FROM chosen
        """,
        p,
    )


_STATEMENT_ROLLUP_FILTERS = ("start", "end", "speaker_country", "kind")


def uses_statement_rollup(con, f: Filters) -> bool:
    """Whether ``statement_rollup`` can answer: only dates, speaker countries and kind are filtered."""
    others = [k for k in ("speaker", "actor", "topic", "tone_min", "tone_max", "q", "source_kind",
                          "outlet_country") if getattr(f, k) not in (None, (), "")]  # fmt: skip
    return not others and _rollup_ok(con, "statement_rollup", "statements")


#: Which tones count in means, shares of bands and before/after comparisons: those the tone model
#: gives at least ``CHART_MIN_CONFIDENCE`` probability (a lexicon-only row has no confidence and
#: counts). Every other statement is still listed, searchable and shown with its confidence.
SURE_TONE = f"(s.tone IS NOT NULL AND coalesce(s.tone_confidence, 1) >= {float(CHART_MIN_CONFIDENCE)})"
SURE_TOWARD = f"(m.tone_toward IS NOT NULL AND coalesce(m.toward_confidence, 1) >= {float(CHART_MIN_CONFIDENCE)})"

_tables: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()  # per connection: table name -> exists


def statement_relation(con, f: Filters) -> tuple[str, dict]:
    """Statements as (date, speaker_country, kind, n, n_tone, sum_tone, sum_tone2) rows, filtered."""
    if uses_statement_rollup(con, f):
        w, p = where(con, f, "s")
        return f"(SELECT * FROM statement_rollup s WHERE {w})", p
    src, w, p = read(con, f, "statements", "s")
    return (
        f"""(SELECT s.date, s.speaker_country, s.kind, 1 AS n, ({SURE_TONE})::BIGINT AS n_tone,
             CASE WHEN {SURE_TONE} THEN s.tone END AS sum_tone,
             CASE WHEN {SURE_TONE} THEN s.tone * s.tone END AS sum_tone2 FROM {src} s WHERE {w})""",
        p,
    )


def statements_over_time(con, f: Filters, granularity: str = "month", top: int = TOP_SERIES) -> pd.DataFrame:
    """period, speaker_country, n, share (of all statements in the period); the rest as "Other"."""
    rel, p = statement_relation(con, f)
    return fetch(
        con,
        f"""
        WITH base AS (  -- statements no state made (questions, unattributed quotes) are no country's
            SELECT date_trunc($gran, date)::DATE AS period, speaker_country AS c, sum(n)::BIGINT AS n
            FROM {rel} WHERE date IS NOT NULL AND speaker_country IS NOT NULL GROUP BY ALL),
        top AS (SELECT c FROM base WHERE c IS NOT NULL GROUP BY c
                ORDER BY {_FOCUS_SQL.format(x="c")}, sum(n) DESC, c LIMIT $top),
        agg AS (
            SELECT period, CASE WHEN c IN (SELECT c FROM top) THEN c ELSE '{OTHER}' END AS speaker_country,
                   sum(n)::BIGINT AS n
            FROM base GROUP BY ALL)
        SELECT period, speaker_country, n, n / sum(n) OVER (PARTITION BY period) AS share
        FROM agg ORDER BY period, speaker_country
        """,
        {**p, "gran": _granularity(granularity), "top": top},
    )


def tone_over_time(con, f: Filters, granularity: str = "month", top: int = TOP_SERIES) -> pd.DataFrame:
    """period, speaker_country, n, mean_tone, sd, lo, hi for the most frequent speaker countries."""
    rel, p = statement_relation(con, f)
    df = fetch(
        con,
        f"""
        WITH base AS (
            SELECT date_trunc($gran, date)::DATE AS period, speaker_country AS c,
                   sum(n_tone)::BIGINT AS n_tone, sum(sum_tone) AS sum_tone, sum(sum_tone2) AS sum_tone2
            FROM {rel} WHERE date IS NOT NULL AND speaker_country IS NOT NULL GROUP BY ALL),
        top AS (SELECT c FROM base GROUP BY c HAVING sum(n_tone) > 0
                ORDER BY {_FOCUS_SQL.format(x="c")}, sum(n_tone) DESC, c LIMIT $top)
        SELECT period, c AS speaker_country, n_tone AS n, sum_tone / n_tone AS mean_tone,
               CASE WHEN n_tone > 1 THEN sqrt(greatest(0, (sum_tone2 - sum_tone * sum_tone / n_tone) / (n_tone - 1)))
               END AS sd
        FROM base WHERE c IN (SELECT c FROM top) AND n_tone > 0 ORDER BY period, speaker_country
        """,
        {**p, "gran": _granularity(granularity), "top": top},
    )
    return confidence_columns(df)


def documents_over_time(con, f: Filters, granularity: str = "month") -> pd.DataFrame:
    """period, speaker_country, n: every statement in the period, whatever it says or mentions.

    What the timelines need to tell "nothing was said about this" (the corpus holds statements of
    the period: a zero) from "nothing was collected" (it holds none: a gap). The filters on what a
    statement says (actors, topics, search, tone) are left out; those on who spoke, when and where
    it was published stay. A null speaker country counts toward the period as a whole.
    """
    wide = f.refine(actor=(), topic=(), q=None, tone_min=None, tone_max=None)
    rel, p = statement_relation(con, wide)
    return fetch(
        con,
        f"""
        SELECT date_trunc($gran, date)::DATE AS period, speaker_country, sum(n)::BIGINT AS n
        FROM {rel} WHERE date IS NOT NULL GROUP BY ALL ORDER BY period, speaker_country
        """,
        {**p, "gran": _granularity(granularity)},
    )


#: The events' columns, with the importance and short label that older databases lack filled in.
_EVENT_COLUMNS = """e.date, e.label, e.description, e.actors, e.source,
    coalesce(e.importance, 2) AS importance, coalesce(nullif(e.short, ''), e.label) AS short"""


def _event_columns(con) -> str:
    """The events' columns; a database built before events had an importance reads as all notable."""
    known = _tables.setdefault(con, {})
    if "events.importance" not in known:
        known["events.importance"] = bool(fetch(
            con, "SELECT count(*) AS n FROM information_schema.columns "
            "WHERE table_name = 'events' AND column_name = 'importance'"
        )["n"].iloc[0])  # fmt: skip
    if known["events.importance"]:
        return _EVENT_COLUMNS
    return "e.date, e.label, e.description, e.actors, e.source, 2 AS importance, e.label AS short"


def events_in_range(con, f: Filters) -> pd.DataFrame:
    """Events between the filter dates, or within the span of the filtered statements."""
    rel, p = statement_relation(con, f)
    return fetch(
        con,
        f"""
        WITH r AS (SELECT min(date) AS lo, max(date) AS hi FROM {rel})
        SELECT {_event_columns(con)}
        FROM events e, r WHERE e.date BETWEEN r.lo AND r.hi ORDER BY e.date
        """,
        p,
    )


def all_events(con) -> pd.DataFrame:
    return fetch(con, f"SELECT {_event_columns(con)} FROM events e ORDER BY e.date")


# Countries ---------------------------------------------------------------------------------


# Mentions: one relation, from the rollup when it can answer, else from the mentions table ----

_STATEMENT_LEVEL = ("speaker", "kind", "tone_min", "tone_max", "q", "topic", "source_kind", "outlet_country")
_ROLLUP_COLUMNS = (
    "date, speaker_country, actor, n, n_tone, sum_tone, sum_tone2, "
    "n_hostile, n_critical, n_neutral, n_cooperative, n_warm"
)
_BASE_COLUMNS = f"""m.date, m.speaker_country, m.actor, 1 AS n, ({SURE_TOWARD})::BIGINT AS n_tone,
    CASE WHEN {SURE_TOWARD} THEN m.tone_toward END AS sum_tone,
    CASE WHEN {SURE_TOWARD} THEN m.tone_toward * m.tone_toward END AS sum_tone2,
    ({SURE_TOWARD} AND m.tone_toward < -0.5)::BIGINT AS n_hostile,
    ({SURE_TOWARD} AND m.tone_toward >= -0.5 AND m.tone_toward < -0.1)::BIGINT AS n_critical,
    ({SURE_TOWARD} AND m.tone_toward >= -0.1 AND m.tone_toward <= 0.1)::BIGINT AS n_neutral,
    ({SURE_TOWARD} AND m.tone_toward > 0.1 AND m.tone_toward <= 0.5)::BIGINT AS n_cooperative,
    ({SURE_TOWARD} AND m.tone_toward > 0.5)::BIGINT AS n_warm"""


def uses_rollup(con, f: Filters) -> bool:
    """Whether ``mention_rollup`` can answer: only dates, speaker countries and actors are filtered."""
    if any(getattr(f, key) not in (None, (), "") for key in _STATEMENT_LEVEL):
        return False
    return _rollup_ok(con, "mention_rollup", "mentions")


def _rollup_ok(con, rollup: str, base: str) -> bool:
    """A rollup answers when it exists and is built: it has rows, or its table has none either."""
    known = _tables.setdefault(con, {})
    if rollup not in known:
        exists = bool(fetch(
            con, "SELECT count(*) AS n FROM information_schema.tables WHERE table_name = $name", {"name": rollup}
        )["n"].iloc[0])  # fmt: skip
        known[rollup] = exists and bool(fetch(
            con, f"SELECT (SELECT count(*) FROM {rollup}) > 0 OR (SELECT count(*) FROM {base}) = 0 AS ok"
        )["ok"].iloc[0])  # fmt: skip
    return known[rollup]


def mention_relation(con, f: Filters, skip: tuple[str, ...] = ()) -> tuple[str, dict]:
    """A subquery with one row per (date, speaker country, actor) group or per mention, filtered.

    Its columns: date, speaker_country, actor, n, n_tone, sum_tone, sum_tone2 and one count per
    tone band. Every query over it sums: ``sum(n)`` mentions, ``sum(sum_tone) / sum(n_tone)`` mean tone.
    """
    if uses_rollup(con, f):
        w, p = where(con, f, "m", on="mentions", skip=skip)
        return f"(SELECT {_ROLLUP_COLUMNS} FROM mention_rollup m WHERE {w})", p
    src, w, p = read(con, f, "mentions", "m", on="mentions", skip=skip)
    return f"(SELECT {_BASE_COLUMNS} FROM {src} m WHERE {w})", p


#: Mean, standard deviation (sample) and n of the tone toward, from summed columns.
_TONE_AGG = """sum(n_tone)::BIGINT AS n_tone, sum(sum_tone) / nullif(sum(n_tone), 0) AS mean_tone,
    CASE WHEN sum(n_tone) > 1 THEN sqrt(greatest(0, (sum(sum_tone2) - sum(sum_tone) * sum(sum_tone) / sum(n_tone))
         / (sum(n_tone) - 1))) END AS sd"""


def mentions_by_actor(con, f: Filters, limit: int = 25) -> pd.DataFrame:
    """actor, name, n (mentions), n_tone, mean_tone (toward the actor).

    No count of distinct statements here: at a million statements it costs ten times
    the rest of the query; the drill-down gives the exact number for any one bar.
    """
    rel, p = mention_relation(con, f)
    return fetch(
        con,
        f"""
        WITH agg AS (
            SELECT actor, sum(n)::BIGINT AS n, sum(n_tone)::BIGINT AS n_tone,
                   sum(sum_tone) / nullif(sum(n_tone), 0) AS mean_tone
            FROM {rel} GROUP BY actor ORDER BY n DESC, actor LIMIT $limit)
        SELECT agg.actor, coalesce(a.name, agg.actor) AS name, agg.n, agg.n_tone, agg.mean_tone
        FROM agg LEFT JOIN actors a ON a.code = agg.actor ORDER BY agg.n DESC, agg.actor
        """,
        {**p, "limit": limit},
    )


def mentions_over_time(con, f: Filters, granularity: str = "month", top: int = TOP_SERIES) -> pd.DataFrame:
    """period, actor, n for the most mentioned actors."""
    rel, p = mention_relation(con, f)
    return fetch(
        con,
        f"""
        WITH base AS (
            SELECT date_trunc($gran, date)::DATE AS period, actor, sum(n)::BIGINT AS n
            FROM {rel} WHERE date IS NOT NULL GROUP BY ALL),
        top AS (SELECT actor FROM base GROUP BY actor
                ORDER BY {_FOCUS_SQL.format(x="actor")}, sum(n) DESC, actor LIMIT $top)
        SELECT period, actor, n FROM base
        WHERE actor IN (SELECT actor FROM top) ORDER BY period, actor
        """,
        {**p, "gran": _granularity(granularity), "top": top},
    )


def who_talks_about_whom(con, f: Filters, top: int = 12) -> pd.DataFrame:
    """speaker_country, actor, n, n_tone, mean_tone for the top speaker countries x actors."""
    rel, p = mention_relation(con, f)
    return fetch(
        con,
        f"""
        WITH base AS (
            SELECT speaker_country, actor, sum(n)::BIGINT AS n, sum(n_tone)::BIGINT AS n_tone, sum(sum_tone) AS sum_tone
            FROM {rel} WHERE speaker_country IS NOT NULL GROUP BY ALL),
        sc AS (SELECT speaker_country FROM base GROUP BY 1
               ORDER BY {_FOCUS_SQL.format(x="speaker_country")}, sum(n) DESC, 1 LIMIT $top),
        ac AS (SELECT actor FROM base GROUP BY 1 ORDER BY {_FOCUS_SQL.format(x="actor")}, sum(n) DESC, 1 LIMIT $top)
        SELECT speaker_country, actor, n, n_tone, sum_tone / nullif(n_tone, 0) AS mean_tone
        FROM base
        WHERE speaker_country IN (SELECT * FROM sc) AND actor IN (SELECT * FROM ac)
        ORDER BY speaker_country, actor
        """,
        {**p, "top": top},
    )


# Tone --------------------------------------------------------------------------------------


def compared_actors(con, f: Filters, limit: int = MAX_COMPARE) -> list[str]:
    """The actors the Tone page compares: the filter's (up to eight), else the most mentioned."""
    if f.actor:
        return list(f.actor[:limit])
    # Three charts of the page ask for the same choice: it is made once per connection and filters
    # (a connection reads one version of the database, so the answer cannot go stale).
    memo = _compared.setdefault(con, {})
    key = (f.refine(present=False), limit)
    if key in memo:
        return list(memo[key])
    rel, p = mention_relation(con, f)
    df = fetch(
        con,
        f"""SELECT actor FROM {rel} GROUP BY actor HAVING sum(n_tone) > 0
            ORDER BY {_FOCUS_SQL.format(x="actor")}, sum(n_tone) DESC, actor LIMIT $limit""",
        {**p, "limit": limit},
    )
    memo[key] = tuple(df["actor"])
    while len(memo) > 256:
        del memo[next(iter(memo))]
    return df["actor"].tolist()


_compared: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()  # connection -> {(filters, limit): actors}


def _actor_clause(actors: list[str]) -> tuple[str, dict]:
    names = {f"a_{i}": a for i, a in enumerate(actors)}
    return ", ".join(f"${k}" for k in names) or "NULL", names


def tone_toward_actors(con, f: Filters, actors: list[str] | None = None) -> pd.DataFrame:
    """actor, name, n, mean_tone, sd, lo, hi: tone toward each compared actor."""
    actors = actors if actors is not None else compared_actors(con, f)
    rel, p = mention_relation(con, f, skip=("actor",))
    clause, names = _actor_clause(actors)
    df = fetch(
        con,
        f"""
        WITH agg AS (
            SELECT actor, {_TONE_AGG}
            FROM {rel} WHERE actor IN ({clause}) GROUP BY actor HAVING sum(n_tone) > 0)
        SELECT agg.actor, agg.n_tone AS n, agg.mean_tone, agg.sd, coalesce(a.name, agg.actor) AS name
        FROM agg LEFT JOIN actors a ON a.code = agg.actor ORDER BY agg.mean_tone
        """,
        {**p, **names},
    )
    return confidence_columns(df)


def tone_bands(con, f: Filters, actors: list[str] | None = None) -> pd.DataFrame:
    """actor, band, n, share: how the tone toward each compared actor is distributed."""
    actors = actors if actors is not None else compared_actors(con, f)
    rel, p = mention_relation(con, f, skip=("actor",))
    clause, names = _actor_clause(actors)
    return fetch(
        con,
        f"""
        WITH sums AS (
            SELECT actor, sum(n_hostile)::BIGINT AS hostile, sum(n_critical)::BIGINT AS critical,
                   sum(n_neutral)::BIGINT AS neutral, sum(n_cooperative)::BIGINT AS cooperative,
                   sum(n_warm)::BIGINT AS warm
            FROM {rel} WHERE actor IN ({clause}) GROUP BY actor),
        b AS (
            UNPIVOT sums ON hostile, critical, neutral, cooperative, warm INTO NAME band VALUE n)
        SELECT actor, band, n, n / sum(n) OVER (PARTITION BY actor) AS share FROM b
        WHERE n > 0 ORDER BY actor, band
        """,
        {**p, **names},
    )


def tone_by_speaker(con, f: Filters, target: str | None = None, top: int = 15) -> pd.DataFrame:
    """speaker_country, n, mean_tone, sd, lo, hi: tone toward ``target`` by who speaks."""
    if target is None:
        found = compared_actors(con, f, limit=1)
        if not found:
            return pd.DataFrame(columns=["speaker_country", "n", "mean_tone", "sd", "lo", "hi"])
        target = found[0]
    rel, p = mention_relation(con, f, skip=("actor",))
    df = fetch(
        con,
        f"""
        SELECT speaker_country, n_tone AS n, mean_tone, sd FROM (
            SELECT speaker_country, {_TONE_AGG}
            FROM {rel} WHERE actor = $target AND speaker_country IS NOT NULL
            GROUP BY 1 HAVING sum(n_tone) > 0)
        ORDER BY n DESC, 1 LIMIT $top
        """,
        {**p, "target": target, "top": top},
    )
    return confidence_columns(df).sort_values("mean_tone", kind="stable").reset_index(drop=True)


def before_after(
    con, f: Filters, event_date: date | None = None, days: int = 365, top: int = 12
) -> pd.DataFrame:
    """speaker_country, side (before/after), n, mean_tone, sd, lo, hi in a window around an event."""
    if event_date is None:
        ev = events_in_range(con, f)
        if ev.empty:
            return pd.DataFrame(columns=["speaker_country", "side", "n", "mean_tone", "sd", "lo", "hi"])
        event_date = pd.Timestamp(ev["date"].iloc[-1]).date()
    src, w, p = read(con, f, "statements", "s", skip={"start", "end"})
    df = fetch(
        con,
        f"""
        WITH base AS (
            SELECT s.speaker_country, CASE WHEN s.date < $event THEN 'before' ELSE 'after' END AS side, s.tone
            FROM {src} s
            WHERE s.date BETWEEN $lo AND $hi AND {SURE_TONE} AND s.speaker_country IS NOT NULL
              AND {w}),
        top AS (SELECT speaker_country FROM base GROUP BY 1
                ORDER BY {_FOCUS_SQL.format(x="speaker_country")}, count(*) DESC, 1 LIMIT $top)
        SELECT speaker_country, side, count(*) AS n, avg(tone) AS mean_tone, stddev_samp(tone) AS sd
        FROM base WHERE speaker_country IN (SELECT * FROM top) GROUP BY ALL
        ORDER BY speaker_country, side DESC
        """,
        {
            **p,
            "event": event_date,
            "lo": shift(event_date, -days),
            "hi": shift(event_date, days),
            "top": top,
        },
    )
    return confidence_columns(df)


#: The credits of the documents of a few statements, read by looking those documents up rather
#: than by joining the whole documents table (whose text makes a scan of it slow at scale).
_CREDITS = "credits AS (SELECT doc_id, attribution FROM documents WHERE doc_id IN (SELECT doc_id FROM {rows}))"


def extreme_statements(con, f: Filters, warmest: bool = False, limit: int = 10) -> pd.DataFrame:
    """The most hostile (or warmest) statements: id, date, speaker, country, tone, band, excerpt."""
    src, w, p = read(con, f, "statements", "s")
    order = "s.tone DESC" if warmest else "s.tone ASC"
    return fetch(
        con,
        f"""
        WITH chosen AS (  -- order and cut on narrow columns first; read the text of the few kept
            SELECT s.statement_id FROM {src} s WHERE s.tone IS NOT NULL AND {w}
            ORDER BY {order}, s.statement_id LIMIT $limit),
        kept AS (
            SELECT s.statement_id, s.doc_id, s.date, s.speaker, s.speaker_country, s.kind, s.tone, s.tone_band,
                   s.tone_confidence, left(s.text, 300) AS excerpt
            FROM statements s SEMI JOIN chosen USING (statement_id)),
        {_CREDITS.format(rows="kept")}
        SELECT s.* EXCLUDE (doc_id), credits.attribution
        FROM kept s LEFT JOIN credits USING (doc_id)
        ORDER BY {order}, s.statement_id
        """,
        {**p, "limit": limit},
    )


# Quotes ------------------------------------------------------------------------------------


def _where_named(con, f: Filters, name: tuple[str, str] | None) -> tuple[str, dict]:
    """The filters' WHERE on statements ``s``, and with ``name`` = (place, variant) only the
    statements that use that variant of the place's name."""
    w, p = where(con, f, "s")
    if name is None:
        return w, p
    group, variant = name
    return (
        f"{w} AND s.statement_id IN (SELECT statement_id FROM statement_names "
        "WHERE name_group = $name_group AND variant = $name_variant)",
        {**p, "name_group": group, "name_variant": variant},
    )


def statement_count(con, f: Filters, name: tuple[str, str] | None = None) -> int:
    w, p = _where_named(con, f, name)
    return int(fetch(con, f"SELECT count(*) AS n FROM statements s WHERE {w}", p)["n"].iloc[0])


def statements_page(
    con, f: Filters, limit: int = PAGE_SIZE, offset: int = 0, sort: str = "newest",
    name: tuple[str, str] | None = None,
) -> pd.DataFrame:  # fmt: skip
    """One page of the filtered statements, with their topics and an excerpt; with ``name``, only
    those using that (place, variant) of ``statement_names``.

    With a text search or a name the excerpt is the words around the first match, the matches
    (and the name) marked (``dashboard.search.excerpt``); else the statement's first 240 characters.
    """
    if sort not in SORTS:
        raise ValueError(f"sort must be one of {tuple(SORTS)}, not {sort!r}")
    w, p = _where_named(con, f, name)
    query = parse_search(f.q)
    df = fetch(
        con,
        f"""
        WITH chosen AS (  -- order and cut on narrow columns first; read the text of one page only
            SELECT s.statement_id FROM statements s WHERE {w}
            ORDER BY {SORTS[sort]} LIMIT $limit OFFSET $offset),
        kept AS (
            SELECT s.statement_id, s.doc_id, s.date, s.speaker, s.speaker_country, s.kind, s.tone,
                   s.tone_band, s.tone_confidence, {"s.text" if query.include or name else "left(s.text, 240)"} AS excerpt
            FROM statements s SEMI JOIN chosen USING (statement_id)),
        {_CREDITS.format(rows="kept")},
        page AS (SELECT kept.* EXCLUDE (doc_id), credits.attribution FROM kept LEFT JOIN credits USING (doc_id)),
        t AS (
            SELECT statement_id, string_agg(topic, ', ' ORDER BY topic) AS topics
            FROM statement_topics WHERE statement_id IN (SELECT statement_id FROM page) GROUP BY 1)
        SELECT page.*, coalesce(t.topics, '') AS topics FROM page LEFT JOIN t USING (statement_id)
        ORDER BY {SORTS[sort].replace("s.", "page.")}
        """,
        {**p, "limit": int(limit), "offset": int(offset)},
    )
    if name:
        matchers = _name_matchers(con, name[0])
        df["excerpt"] = [excerpt(t, query, also=names.variant_spans(t, matchers, *name)) for t in df["excerpt"]]
    elif query.include:
        df["excerpt"] = [excerpt(text, query) for text in df["excerpt"]]
    return df


def _name_matchers(con, group: str) -> dict:
    """The matcher of one place's names, from the names table the ingest matched them with."""
    rows = fetch(con, "SELECT variant, patterns FROM names WHERE name_group = $g ORDER BY seq", {"g": group})
    return names.group_matchers(
        NameVariant(group, v, split_multi(p), "", "") for v, p in rows.itertuples(index=False, name=None)
    )


def statement_detail(con, statement_id: int) -> dict | None:
    """Everything the detail view shows for one statement, or None if there is no such id."""
    if not -MAX_STATEMENT_ID - 1 <= int(statement_id) <= MAX_STATEMENT_ID:
        return None  # DuckDB would refuse to bind it
    df = fetch(
        con,
        """
        SELECT s.statement_id, s.doc_id, s.date, s.kind, s.text, s.start_char, s.end_char,
               s.para_start, s.para_end, s.speaker, s.speaker_role, s.speaker_country,
               s.attribution_method, s.attribution_confidence, s.tone, s.tone_band, s.tone_confidence,
               d.title, d.outlet, d.url, d.doc_type, d.source_path, d.date_source,
               d.extraction_version, d.source_name, d.outlet_country, d.source_kind, d.attribution,
               d.text AS document_text
        FROM statements s JOIN documents d USING (doc_id) WHERE s.statement_id = $id
        """,
        {"id": int(statement_id)},
    )
    if df.empty:
        return None
    row = df.iloc[0].to_dict()
    text = row["document_text"] or ""
    lo, hi = row.get("para_start"), row.get("para_end")
    if lo is None or hi is None or lo != lo or hi != hi:
        row["paragraph"] = row["text"]
    else:
        row["paragraph"] = text[int(lo) : int(hi)] or row["text"]
    row["mentions"] = fetch(
        con,
        """SELECT m.actor, coalesce(a.name, m.actor) AS name, m.surface, m.tone_toward, m.toward_confidence
           FROM mentions m LEFT JOIN actors a ON a.code = m.actor
           WHERE m.statement_id = $id ORDER BY m.start_char""",
        {"id": int(statement_id)},
    )
    row["topics"] = fetch(
        con,
        """SELECT t.topic, coalesce(tp.label, t.topic) AS label FROM statement_topics t
           LEFT JOIN topics tp USING (topic) WHERE t.statement_id = $id ORDER BY t.topic""",
        {"id": int(statement_id)},
    )
    return row


# Names -------------------------------------------------------------------------------------


def _has_table(con, name: str) -> bool:
    """Whether the database has ``name`` (one built before the table was added has not)."""
    known = _tables.setdefault(con, {})
    key = f"exists:{name}"
    if key not in known:
        known[key] = bool(fetch(
            con, "SELECT count(*) AS n FROM information_schema.tables WHERE table_name = $name", {"name": name}
        )["n"].iloc[0])  # fmt: skip
    return known[key]


def name_variants(con) -> pd.DataFrame:
    """Every variant of the contested names (data/names.csv as last ingested), in the file's order:
    name_group, variant, patterns, side, note, and n, the statements in the database using it."""
    if not (_has_table(con, "names") and _has_table(con, "statement_names")):
        return pd.DataFrame(columns=["name_group", "variant", "patterns", "side", "note", "n"])
    return fetch(
        con,
        """
        WITH c AS (SELECT name_group, variant, count(*) AS n FROM statement_names GROUP BY ALL)
        SELECT nm.name_group, nm.variant, nm.patterns, nm.side, nm.note, coalesce(c.n, 0) AS n
        FROM names nm LEFT JOIN c USING (name_group, variant) ORDER BY nm.seq
        """,
    )


def _named_relation(con, f: Filters, group: str) -> tuple[str, dict]:
    """(statement_id, variant, date, speaker_country) of the filtered statements of a speaker
    country that use a variant of ``group``; a statement using two variants has two rows.
    Dates and speaker countries are read from statement_names itself; only other filters join."""
    own = ("start", "end", "speaker_country")  # columns statement_names has itself
    direct, p = f.where("sn", skip=[k for k in PARAM_KEYS if k not in own])
    rest, pr = where(con, f, "s", skip=own)
    if rest != "TRUE":  # other filters: one semi-join on the statements they keep
        direct += f" AND sn.statement_id IN (SELECT s.statement_id FROM statements s WHERE {rest})"
    return (
        f"""(SELECT sn.statement_id, sn.variant, sn.date, sn.speaker_country FROM statement_names sn
             WHERE sn.name_group = $group AND sn.speaker_country IS NOT NULL AND {direct})""",
        {**p, **pr, "group": group},
    )


def _first_group(con) -> str | None:
    groups = name_variants(con)["name_group"]
    return groups.iloc[0] if len(groups) else None


_NAMES_COLUMNS = {
    "country": ["speaker_country", "name", "variant", "n", "total", "share"],
    "year": ["year", "variant", "n", "total", "share"],
}


def names_by_country(con, f: Filters, group: str | None = None, top: int = 12) -> pd.DataFrame:
    """speaker_country, name, variant, n (its statements using the variant), total (its statements
    naming the place at all), share = n / total; the ``top`` countries that name it most."""
    group = group or _first_group(con)
    if group is None or not _has_table(con, "statement_names"):
        return pd.DataFrame(columns=_NAMES_COLUMNS["country"])
    rel, p = _named_relation(con, f, group)
    return fetch(
        con,
        f"""
        WITH base AS (SELECT * FROM {rel}),
        tot AS (SELECT speaker_country, count(DISTINCT statement_id) AS total FROM base
                GROUP BY 1 ORDER BY total DESC, 1 LIMIT $top),
        agg AS (SELECT speaker_country, variant, count(*) AS n FROM base GROUP BY ALL)
        SELECT agg.speaker_country, coalesce(a.name, agg.speaker_country) AS name, agg.variant,
               agg.n, tot.total, agg.n / tot.total AS share
        FROM agg JOIN tot USING (speaker_country) LEFT JOIN actors a ON a.code = agg.speaker_country
        ORDER BY tot.total DESC, agg.speaker_country, agg.variant
        """,
        {**p, "top": top},
    )


def names_by_year(con, f: Filters, group: str | None = None) -> pd.DataFrame:
    """year, variant, n (statements using the variant that year), total (statements naming the
    place that year), share = n / total."""
    group = group or _first_group(con)
    if group is None or not _has_table(con, "statement_names"):
        return pd.DataFrame(columns=_NAMES_COLUMNS["year"])
    rel, p = _named_relation(con, f, group)
    return fetch(
        con,
        f"""
        WITH base AS (SELECT statement_id, variant, year(date) AS year FROM {rel} WHERE date IS NOT NULL),
        tot AS (SELECT year, count(DISTINCT statement_id) AS total FROM base GROUP BY 1),
        agg AS (SELECT year, variant, count(*) AS n FROM base GROUP BY ALL)
        SELECT agg.year, agg.variant, agg.n, tot.total, agg.n / tot.total AS share
        FROM agg JOIN tot USING (year) ORDER BY agg.year, agg.variant
        """,
        p,
    )


CSV_COLUMNS = (
    "statement_id", "date", "speaker", "speaker_role", "speaker_country", "kind", "tone",
    "tone_band", "tone_confidence", "attribution_method", "attribution_confidence", "title", "outlet", "url",
    "source_name", "source_kind", "outlet_country", "attribution", "topics", "text",
)  # fmt: skip


def statements_frame(con, f: Filters) -> pd.DataFrame:
    """Every filtered statement with its source, for the CSV download (built only on request)."""
    w, p = where(con, f, "s")
    return fetch(
        con,
        f"""
        WITH sel AS (
            SELECT s.statement_id, s.date, s.speaker, s.speaker_role, s.speaker_country, s.kind,
                   s.tone, s.tone_band, s.tone_confidence, s.attribution_method, s.attribution_confidence,
                   s.doc_id, s.text
            FROM statements s WHERE {w}),
        t AS (
            SELECT statement_id, string_agg(topic, ', ' ORDER BY topic) AS topics
            FROM statement_topics WHERE statement_id IN (SELECT statement_id FROM sel) GROUP BY 1)
        SELECT sel.statement_id, sel.date, sel.speaker, sel.speaker_role, sel.speaker_country,
               sel.kind, sel.tone, sel.tone_band, sel.tone_confidence, sel.attribution_method,
               sel.attribution_confidence, d.title, d.outlet, d.url, d.source_name, d.source_kind,
               d.outlet_country, d.attribution, t.topics, sel.text
        FROM sel JOIN documents d USING (doc_id) LEFT JOIN t USING (statement_id)
        ORDER BY sel.date DESC NULLS LAST, sel.statement_id
        """,
        p,
    )


def statements_csv(con, f: Filters) -> bytes:
    """The filtered statements as CSV, UTF-8 with a byte-order mark so spreadsheets read it right.

    Every text cell that a spreadsheet would run as a formula gets a leading apostrophe. Rows end
    in CRLF (RFC 4180), so a cell holding a lone carriage return is quoted rather than split.
    """
    frame = statements_frame(con, f)
    for column in frame.columns:
        if pd.api.types.is_string_dtype(frame[column]) or pd.api.types.is_object_dtype(frame[column]):
            frame[column] = frame[column].map(csv_cell, na_action="ignore")
    buffer = io.StringIO()
    frame.to_csv(buffer, index=False, lineterminator="\r\n")
    return buffer.getvalue().encode("utf-8-sig")


# Data --------------------------------------------------------------------------------------


def ingest_runs(con, limit: int = 50) -> pd.DataFrame:
    return fetch(con, "SELECT * FROM ingest_runs ORDER BY run_id DESC LIMIT $limit", {"limit": limit})


def rejects(con, limit: int = 500) -> pd.DataFrame:
    return fetch(
        con,
        "SELECT run_id, path, reason, detail, rejected_at FROM rejects "
        "ORDER BY run_id DESC, path LIMIT $limit",
        {"limit": limit},
    )


def holdings(con) -> pd.DataFrame:
    return fetch(con, "SELECT * FROM holdings ORDER BY documents DESC")


def extraction_versions(con) -> pd.DataFrame:
    return fetch(
        con,
        "SELECT extraction_version, count(*) AS documents FROM documents GROUP BY 1 ORDER BY 1 DESC",
    )


def table_sizes(con) -> pd.DataFrame:
    names = ("documents", "statements", "mentions", "statement_topics", "rejects", "ingest_runs")
    counts = " UNION ALL ".join(f"SELECT '{n}' AS table_name, count(*) AS rows FROM {n}" for n in names)
    return fetch(con, counts)


REFERENCE_TABLES = {
    "actors": "SELECT code, name, kind, aliases FROM actors ORDER BY code",
    "speakers": "SELECT speaker_id, name, role, country, in_office_from, in_office_to, aliases "
    "FROM speakers ORDER BY country, name",
    "topics": "SELECT topic, label, keywords FROM topics ORDER BY topic",
    "events": "SELECT * FROM events ORDER BY date",  # with importance and short where the database has them
    "sources": "SELECT source_id, name, kind, country, domains, url_prefixes, outlet_names, telegram, "
    "attribution FROM sources ORDER BY kind, country, name",
}


def reference_table(con, name: str) -> pd.DataFrame:
    return fetch(con, REFERENCE_TABLES[name])


PAGE_QUERIES = {
    "overview": [
        totals,
        partial(statements_over_time, granularity="month"),
        partial(tone_over_time, granularity="month", top=12),  # the Overview's small multiples
        partial(documents_over_time, granularity="month"),
        events_in_range,
    ],
    "countries": [
        mentions_by_actor,
        partial(mentions_over_time, granularity="month"),
        partial(documents_over_time, granularity="month"),
        who_talks_about_whom,
    ],
    "tone": [
        tone_toward_actors,
        tone_bands,
        tone_by_speaker,
        before_after,
        extreme_statements,
        partial(extreme_statements, warmest=True),
    ],
    "quotes": [statement_count, statements_page],
    "names": [lambda con, f: name_variants(con), names_by_country, names_by_year],
    "data": [
        lambda con, f: ingest_runs(con),
        lambda con, f: rejects(con),
        lambda con, f: holdings(con),
        lambda con, f: extraction_versions(con),
        lambda con, f: table_sizes(con),
        lambda con, f: reference_table(con, "speakers"),
    ],
}
