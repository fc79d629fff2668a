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

import io
import math
from datetime import date, timedelta
from functools import partial
from pathlib import Path

import duckdb
import pandas as pd

from dashboard.filters import Filters

GRANULARITIES = ("day", "week", "month", "year")
TOP_SERIES = 8  # lines per chart before the rest are folded into "Other"
MAX_COMPARE = 8  # actors compared side by side on the Tone page
PAGE_SIZE = 50
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
    """The app's one connection: read-only, so the dashboard can never write the database."""
    return duckdb.connect(str(path), read_only=True)


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
    }


def actor_names(con) -> dict[str, str]:
    return dict(fetch(con, "SELECT code, name FROM actors").itertuples(index=False, name=None))


# Overview ---------------------------------------------------------------------------------


def totals(con, f: Filters) -> pd.DataFrame:
    """One row: documents, statements, speakers, actors mentioned, undated, first and last date."""
    w, p = f.where("s")
    # Actors mentioned in the filtered statements: with an actor filter, all actors of the
    # statements that mention one of them, not just the filtered ones.
    wm, pm = f.where("m", on="mentions", skip={"actor"})
    if f.actor:
        wa, pa = Filters(actor=f.actor).where("m")
        wm, pm = f"{wm} AND {wa}", {**pm, **pa}
    stats = fetch(
        con,
        f"""
        SELECT count(DISTINCT s.doc_id) AS documents, count(*) AS statements,
               count(DISTINCT s.speaker) AS speakers,
               count(*) FILTER (WHERE s.date IS NULL) AS undated,
               min(s.date) AS first_date, max(s.date) AS last_date
        FROM statements s WHERE {w}
        """,
        p,
    )
    actors = fetch(con, f"SELECT count(DISTINCT m.actor) AS actors FROM mentions m WHERE {wm}", pm)
    stats["actors"] = actors["actors"].iloc[0]
    return stats


def statements_over_time(con, f: Filters, granularity: str = "month", top: int = TOP_SERIES) -> pd.DataFrame:
    """period, speaker_country, n, share (of all statements in the period); the rest as "Other"."""
    w, p = f.where("s")
    return fetch(
        con,
        f"""
        WITH base AS (
            SELECT date_trunc($gran, s.date)::DATE AS period, s.speaker_country AS c
            FROM statements s WHERE s.date IS NOT NULL AND {w}),
        top AS (SELECT c FROM base WHERE c IS NOT NULL GROUP BY c ORDER BY count(*) DESC, c LIMIT $top),
        agg AS (
            SELECT period, CASE WHEN c IN (SELECT c FROM top) THEN c ELSE '{OTHER}' END AS speaker_country,
                   count(*) AS n
            FROM base GROUP BY ALL)
        SELECT period, speaker_country, n, n / sum(n) OVER (PARTITION BY period) AS share
        FROM agg ORDER BY period, speaker_country
        """,
        {**p, "gran": _granularity(granularity), "top": top},
    )


def tone_over_time(con, f: Filters, granularity: str = "month", top: int = TOP_SERIES) -> pd.DataFrame:
    """period, speaker_country, n, mean_tone, sd, lo, hi for the most frequent speaker countries."""
    w, p = f.where("s")
    df = fetch(
        con,
        f"""
        WITH base AS (
            SELECT date_trunc($gran, s.date)::DATE AS period, s.speaker_country AS c, s.tone
            FROM statements s
            WHERE s.date IS NOT NULL AND s.tone IS NOT NULL AND s.speaker_country IS NOT NULL AND {w}),
        top AS (SELECT c FROM base GROUP BY c ORDER BY count(*) DESC, c LIMIT $top)
        SELECT period, c AS speaker_country, count(*) AS n, avg(tone) AS mean_tone,
               stddev_samp(tone) AS sd
        FROM base WHERE c IN (SELECT c FROM top) GROUP BY ALL ORDER BY period, speaker_country
        """,
        {**p, "gran": _granularity(granularity), "top": top},
    )
    return confidence_columns(df)


def events_in_range(con, f: Filters) -> pd.DataFrame:
    """Events between the filter dates, or within the span of the filtered statements."""
    w, p = f.where("s")
    return fetch(
        con,
        f"""
        WITH r AS (SELECT min(s.date) AS lo, max(s.date) AS hi FROM statements s WHERE {w})
        SELECT e.date, e.label, e.description, e.actors
        FROM events e, r WHERE e.date BETWEEN r.lo AND r.hi ORDER BY e.date
        """,
        p,
    )


def all_events(con) -> pd.DataFrame:
    return fetch(con, "SELECT date, label, description, actors, source FROM events ORDER BY date")


# Countries ---------------------------------------------------------------------------------


def mentions_by_actor(con, f: Filters, limit: int = 25) -> pd.DataFrame:
    """actor, name, n (mentions), n_tone, mean_tone (toward the actor).

    No count of distinct statements here: at a million statements it costs ten times
    the rest of the query; the drill-down gives the exact number for any one bar.
    """
    w, p = f.where("m", on="mentions")
    return fetch(
        con,
        f"""
        WITH agg AS (
            SELECT m.actor, count(*) AS n, count(m.tone_toward) AS n_tone, avg(m.tone_toward) AS mean_tone
            FROM mentions m WHERE {w} GROUP BY m.actor ORDER BY n DESC, m.actor LIMIT $limit)
        SELECT agg.actor, coalesce(a.name, agg.actor) AS name, agg.n, agg.n_tone, agg.mean_tone
        FROM agg LEFT JOIN actors a ON a.code = agg.actor ORDER BY agg.n DESC, agg.actor
        """,
        {**p, "limit": limit},
    )


def mentions_over_time(con, f: Filters, granularity: str = "month", top: int = TOP_SERIES) -> pd.DataFrame:
    """period, actor, n for the most mentioned actors."""
    w, p = f.where("m", on="mentions")
    return fetch(
        con,
        f"""
        WITH base AS (
            SELECT date_trunc($gran, m.date)::DATE AS period, m.actor
            FROM mentions m WHERE m.date IS NOT NULL AND {w}),
        top AS (SELECT actor FROM base GROUP BY actor ORDER BY count(*) DESC, actor LIMIT $top)
        SELECT period, actor, count(*) AS n FROM base
        WHERE actor IN (SELECT actor FROM top) GROUP BY ALL ORDER BY period, actor
        """,
        {**p, "gran": _granularity(granularity), "top": top},
    )


def who_talks_about_whom(con, f: Filters, top: int = 12) -> pd.DataFrame:
    """speaker_country, actor, n, n_tone, mean_tone for the top speaker countries x actors."""
    w, p = f.where("m", on="mentions")
    return fetch(
        con,
        f"""
        WITH base AS (
            SELECT m.speaker_country, m.actor, m.tone_toward FROM mentions m
            WHERE m.speaker_country IS NOT NULL AND {w}),
        sc AS (SELECT speaker_country FROM base GROUP BY 1 ORDER BY count(*) DESC, 1 LIMIT $top),
        ac AS (SELECT actor FROM base GROUP BY 1 ORDER BY count(*) DESC, 1 LIMIT $top)
        SELECT speaker_country, actor, count(*) AS n, count(tone_toward) AS n_tone,
               avg(tone_toward) AS mean_tone
        FROM base
        WHERE speaker_country IN (SELECT * FROM sc) AND actor IN (SELECT * FROM ac)
        GROUP BY ALL ORDER BY speaker_country, actor
        """,
        {**p, "top": top},
    )


# Tone --------------------------------------------------------------------------------------


def compared_actors(con, f: Filters, limit: int = MAX_COMPARE) -> list[str]:
    """The actors the Tone page compares: the filter's (up to eight), else the most mentioned."""
    if f.actor:
        return list(f.actor[:limit])
    w, p = f.where("m", on="mentions")
    df = fetch(
        con,
        f"""SELECT m.actor FROM mentions m WHERE m.tone_toward IS NOT NULL AND {w}
            GROUP BY m.actor ORDER BY count(*) DESC, m.actor LIMIT $limit""",
        {**p, "limit": limit},
    )
    return df["actor"].tolist()


def _actor_clause(actors: list[str]) -> tuple[str, dict]:
    names = {f"a_{i}": a for i, a in enumerate(actors)}
    return ", ".join(f"${k}" for k in names) or "NULL", names


def tone_toward_actors(con, f: Filters, actors: list[str] | None = None) -> pd.DataFrame:
    """actor, name, n, mean_tone, sd, lo, hi: tone toward each compared actor."""
    actors = actors if actors is not None else compared_actors(con, f)
    w, p = f.where("m", on="mentions", skip={"actor"})
    clause, names = _actor_clause(actors)
    df = fetch(
        con,
        f"""
        WITH agg AS (
            SELECT m.actor, count(m.tone_toward) AS n, avg(m.tone_toward) AS mean_tone,
                   stddev_samp(m.tone_toward) AS sd
            FROM mentions m WHERE m.tone_toward IS NOT NULL AND m.actor IN ({clause}) AND {w}
            GROUP BY m.actor)
        SELECT agg.*, coalesce(a.name, agg.actor) AS name
        FROM agg LEFT JOIN actors a ON a.code = agg.actor ORDER BY agg.mean_tone
        """,
        {**p, **names},
    )
    return confidence_columns(df)


def tone_bands(con, f: Filters, actors: list[str] | None = None) -> pd.DataFrame:
    """actor, band, n, share: how the tone toward each compared actor is distributed."""
    actors = actors if actors is not None else compared_actors(con, f)
    w, p = f.where("m", on="mentions", skip={"actor"})
    clause, names = _actor_clause(actors)
    return fetch(
        con,
        f"""
        WITH b AS (
            SELECT m.actor, {_BAND_SQL.format(x="m.tone_toward")} AS band, count(*) AS n
            FROM mentions m WHERE m.tone_toward IS NOT NULL AND m.actor IN ({clause}) AND {w}
            GROUP BY ALL)
        SELECT actor, band, n, n / sum(n) OVER (PARTITION BY actor) AS share FROM b
        ORDER BY actor, band
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
    w, p = f.where("m", on="mentions", skip={"actor"})
    df = fetch(
        con,
        f"""
        SELECT m.speaker_country, count(*) AS n, avg(m.tone_toward) AS mean_tone,
               stddev_samp(m.tone_toward) AS sd
        FROM mentions m
        WHERE m.actor = $target AND m.tone_toward IS NOT NULL AND m.speaker_country IS NOT NULL AND {w}
        GROUP BY 1 ORDER BY n DESC, 1 LIMIT $top
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
    w, p = f.where("s", skip={"start", "end"})
    df = fetch(
        con,
        f"""
        WITH base AS (
            SELECT s.speaker_country, CASE WHEN s.date < $event THEN 'before' ELSE 'after' END AS side, s.tone
            FROM statements s
            WHERE s.date BETWEEN $lo AND $hi AND s.tone IS NOT NULL AND s.speaker_country IS NOT NULL
              AND {w}),
        top AS (SELECT speaker_country FROM base GROUP BY 1 ORDER BY count(*) DESC, 1 LIMIT $top)
        SELECT speaker_country, side, count(*) AS n, avg(tone) AS mean_tone, stddev_samp(tone) AS sd
        FROM base WHERE speaker_country IN (SELECT * FROM top) GROUP BY ALL
        ORDER BY speaker_country, side DESC
        """,
        {
            **p,
            "event": event_date,
            "lo": event_date - timedelta(days=days),
            "hi": event_date + timedelta(days=days),
            "top": top,
        },
    )
    return confidence_columns(df)


def extreme_statements(con, f: Filters, warmest: bool = False, limit: int = 10) -> pd.DataFrame:
    """The most hostile (or warmest) statements: id, date, speaker, country, tone, band, excerpt."""
    w, p = f.where("s")
    order = "s.tone DESC" if warmest else "s.tone ASC"
    return fetch(
        con,
        f"""
        SELECT s.statement_id, s.date, s.speaker, s.speaker_country, s.kind, s.tone, s.tone_band,
               left(s.text, 300) AS excerpt
        FROM statements s WHERE s.tone IS NOT NULL AND {w}
        ORDER BY {order}, s.statement_id LIMIT $limit
        """,
        {**p, "limit": limit},
    )


# Quotes ------------------------------------------------------------------------------------


def statement_count(con, f: Filters) -> int:
    w, p = f.where("s")
    return int(fetch(con, f"SELECT count(*) AS n FROM statements s WHERE {w}", p)["n"].iloc[0])


def statements_page(
    con, f: Filters, limit: int = PAGE_SIZE, offset: int = 0, sort: str = "newest"
) -> pd.DataFrame:
    """One page of the filtered statements, with their topics and an excerpt."""
    if sort not in SORTS:
        raise ValueError(f"sort must be one of {tuple(SORTS)}, not {sort!r}")
    w, p = f.where("s")
    return fetch(
        con,
        f"""
        WITH page AS (
            SELECT s.statement_id, s.date, s.speaker, s.speaker_country, s.kind, s.tone,
                   s.tone_band, left(s.text, 240) AS excerpt
            FROM statements s WHERE {w}
            ORDER BY {SORTS[sort]} LIMIT $limit OFFSET $offset),
        t AS (
            SELECT statement_id, string_agg(topic, ', ' ORDER BY topic) AS topics
            FROM statement_topics WHERE statement_id IN (SELECT statement_id FROM page) GROUP BY 1)
        SELECT page.*, coalesce(t.topics, '') AS topics FROM page LEFT JOIN t USING (statement_id)
        ORDER BY {SORTS[sort].replace("s.", "page.")}
        """,
        {**p, "limit": int(limit), "offset": int(offset)},
    )


def statement_detail(con, statement_id: int) -> dict | None:
    """Everything the detail view shows for one statement, or None if there is no such id."""
    df = fetch(
        con,
        """
        SELECT s.statement_id, s.doc_id, s.date, s.kind, s.text, s.start_char, s.end_char,
               s.para_start, s.para_end, s.speaker, s.speaker_role, s.speaker_country,
               s.attribution_method, s.attribution_confidence, s.tone, s.tone_band,
               d.title, d.outlet, d.url, d.doc_type, d.source_path, d.date_source,
               d.extraction_version, d.text AS document_text
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
        """SELECT m.actor, coalesce(a.name, m.actor) AS name, m.surface, m.tone_toward
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


CSV_COLUMNS = (
    "statement_id", "date", "speaker", "speaker_role", "speaker_country", "kind", "tone",
    "tone_band", "attribution_method", "attribution_confidence", "title", "outlet", "url",
    "topics", "text",
)  # fmt: skip


def statements_frame(con, f: Filters) -> pd.DataFrame:
    """Every filtered statement with its source, for the CSV download (built only on request)."""
    w, p = f.where("s")
    return fetch(
        con,
        f"""
        WITH sel AS (
            SELECT s.statement_id, s.date, s.speaker, s.speaker_role, s.speaker_country, s.kind,
                   s.tone, s.tone_band, s.attribution_method, s.attribution_confidence,
                   s.doc_id, s.text
            FROM statements s WHERE {w}),
        t AS (
            SELECT statement_id, string_agg(topic, ', ' ORDER BY topic) AS topics
            FROM statement_topics WHERE statement_id IN (SELECT statement_id FROM sel) GROUP BY 1)
        SELECT sel.statement_id, sel.date, sel.speaker, sel.speaker_role, sel.speaker_country,
               sel.kind, sel.tone, sel.tone_band, sel.attribution_method,
               sel.attribution_confidence, d.title, d.outlet, d.url, t.topics, sel.text
        FROM sel JOIN documents d USING (doc_id) LEFT JOIN t USING (statement_id)
        ORDER BY sel.date DESC NULLS LAST, sel.statement_id
        """,
        p,
    )


def statements_csv(con, f: Filters) -> bytes:
    """The filtered statements as CSV, UTF-8 with a byte-order mark so spreadsheets read it right."""
    buffer = io.StringIO()
    statements_frame(con, f).to_csv(buffer, index=False)
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
    "events": "SELECT date, label, description, actors, source FROM events ORDER BY date",
}


def reference_table(con, name: str) -> pd.DataFrame:
    return fetch(con, REFERENCE_TABLES[name])


PAGE_QUERIES = {
    "overview": [
        totals,
        partial(statements_over_time, granularity="month"),
        partial(tone_over_time, granularity="month"),
        events_in_range,
    ],
    "countries": [
        mentions_by_actor,
        partial(mentions_over_time, granularity="month"),
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
    "data": [
        lambda con, f: ingest_runs(con),
        lambda con, f: rejects(con),
        lambda con, f: holdings(con),
        lambda con, f: extraction_versions(con),
        lambda con, f: table_sizes(con),
        lambda con, f: reference_table(con, "speakers"),
    ],
}
