"""What every page shares: the cached connection and queries, the filters in the URL,
presenter mode, drill-down, the tone method, and safe rendering of document text.

The sidebar filter widgets are built here but called from ``app.py`` (the entry
file), so they survive page switches.
"""

from __future__ import annotations

import re
from datetime import date
from pathlib import Path
from urllib.parse import parse_qsl

import duckdb
import pandas as pd
import streamlit as st

from dashboard import charts, queries, settings, storage
from dashboard.filters import Filters
from dashboard.records import STATEMENT_KINDS
from dashboard.tone_model import CHART_MIN_CONFIDENCE

UI_DIR = Path(__file__).resolve().parent
PAGE_FILES = {
    "overview": UI_DIR / "overview.py",
    "countries": UI_DIR / "countries.py",
    "tone": UI_DIR / "tone_page.py",
    "quotes": UI_DIR / "quotes.py",
    "names": UI_DIR / "names.py",
    "data": UI_DIR / "data_page.py",
}
PAGE_TITLES = {
    "overview": "Overview",
    "countries": "Countries",
    "tone": "Tone",
    "quotes": "Quotes",
    "names": "Names",
    "data": "Data",
}
PAGE_ICONS = {
    "overview": ":material/monitoring:",
    "countries": ":material/public:",
    "tone": ":material/thermostat:",
    "quotes": ":material/format_quote:",
    "names": ":material/signpost:",
    "data": ":material/database:",
}
KIND_LABELS = {
    None: "any kind",
    "quote": "direct quote (news)",
    "reported": "reported speech (news)",
    "paragraph": "own statement (speech, briefing, post)",
    "question": "journalist's question (transcripts)",
}
SOURCE_KIND_LABELS = {
    "official": "official channel",
    "state_media": "state media",
    "media": "media",
    "other": "other",
}
SOURCE_KIND_ORDER = list(SOURCE_KIND_LABELS)
TONE_DOC = settings.PROJECT_ROOT / "docs" / "tone.md"
# Keys of page-level choices in the URL; kept when filters change (except the table page).
PAGE_KEYS = ("granularity", "measure", "compare", "target", "event", "window", "sort", "statement", "place")

# Connection and cached queries ---------------------------------------------------------------


@st.cache_resource(max_entries=2, show_spinner=False, on_release=lambda con: con.close())
def _connection(path: str, version: int):
    """One read-only connection per database file version; a swapped-in file opens a new one."""
    del version  # part of the cache key only
    return queries.connect(path)


def db_key() -> tuple[str, int]:
    path = settings.db_path()
    return str(path), queries.db_version(path)


def connection():
    """The database's connection, None if there is none yet; a file DuckDB refuses (not a
    database, a write-ahead log of an older version beside it) stops the page with its reason."""
    path, version = db_key()
    if not version:
        return None
    try:
        return _connection(path, version)
    except duckdb.Error as exc:
        st.title("Caucasus Rhetoric")
        st.error(md_escape(f"The database at {path} cannot be opened: {storage.open_error(Path(path), exc)}"))
        st.stop()


def _filters_key(f: Filters) -> str:
    return f.refine(present=False).query_string()


@st.cache_data(max_entries=1000, show_spinner=False)
def _cached_query(name: str, db: tuple[str, int], filters_key: str, args: tuple, kwargs: tuple):
    f, _ = Filters.from_query_params(dict_of_lists(filters_key))
    return getattr(queries, name)(_connection(*db), f, *args, **dict(kwargs))


def run(name: str, f: Filters, *args, **kwargs):
    """``queries.<name>(con, f, ...)``, cached by filters, arguments and database version."""
    return _cached_query(name, db_key(), _filters_key(f), args, tuple(sorted(kwargs.items())))


@st.cache_data(max_entries=50, show_spinner=False)
def _cached_plain(name: str, db: tuple[str, int], args: tuple):
    return getattr(queries, name)(_connection(*db), *args)


def run_plain(name: str, *args):
    """``queries.<name>(con, ...)`` for queries that take no filters, cached by database version."""
    return _cached_plain(name, db_key(), args)


def dict_of_lists(query_string: str) -> dict[str, list[str]]:
    out: dict[str, list[str]] = {}
    for key, value in parse_qsl(query_string, keep_blank_values=True):
        out.setdefault(key, []).append(value)
    return out


def options() -> dict[str, pd.DataFrame]:
    return run_plain("filter_options")


def names() -> dict[str, str]:
    """Actor and country codes to names, for labels."""
    return run_plain("actor_names")


# Filters in the URL ----------------------------------------------------------------------------

SEARCH_HELP = (
    "Statements containing **all** these words, in any order (press Enter). "
    '`"peace treaty"` in double quotes: these words in this order. '
    "`-russia`: leave out statements containing it. "
    "Case does not matter, and a word matches at the start of a word: `armenia` finds "
    "Armenia, Armenian and Armenia's, `peace` finds peaceful but not appease. "
    "Every other character is literal (no wildcards)."
)

WIDGETS = {
    "start": "w_start",
    "end": "w_end",
    "speaker_country": "w_speaker_country",
    "speaker": "w_speaker",
    "actor": "w_actor",
    "topic": "w_topic",
    "kind": "w_kind",
    "source_kind": "w_source_kind",
    "outlet_country": "w_outlet_country",
    "tone": "w_tone",
    "q": "w_q",
    "present": "w_present",
}


def _set_widgets(f: Filters) -> None:
    state = st.session_state
    state[WIDGETS["start"]] = f.start
    state[WIDGETS["end"]] = f.end
    state[WIDGETS["speaker_country"]] = list(f.speaker_country)
    state[WIDGETS["speaker"]] = f.speaker
    state[WIDGETS["actor"]] = list(f.actor)
    state[WIDGETS["topic"]] = list(f.topic)
    state[WIDGETS["kind"]] = f.kind
    state[WIDGETS["source_kind"]] = list(f.source_kind)
    state[WIDGETS["outlet_country"]] = list(f.outlet_country)
    state[WIDGETS["tone"]] = (
        -1.0 if f.tone_min is None else f.tone_min,
        1.0 if f.tone_max is None else f.tone_max,
    )
    state[WIDGETS["q"]] = f.q or ""
    state[WIDGETS["present"]] = f.present


def _known(values: tuple[str, ...], known: list[str], key: str, warnings: list[str]) -> tuple[str, ...]:
    unknown = [v for v in values if v not in known]
    if unknown:
        warnings.append(f"Ignored {key}={', '.join(unknown)}: nothing in the database has that code.")
    return tuple(v for v in values if v in known)


def url_filters() -> tuple[Filters, list[str]]:
    """The filters the URL asks for, checked against what the database holds."""
    f, warnings = Filters.from_query_params(st.query_params)
    opts = options()
    f = f.refine(
        speaker_country=_known(f.speaker_country, opts["speaker_countries"]["code"].tolist(),
                               "speaker_country", warnings),
        actor=_known(f.actor, opts["actors"]["code"].tolist(), "actor", warnings),
        topic=_known(f.topic, opts["topics"]["topic"].tolist(), "topic", warnings),
        outlet_country=_known(f.outlet_country, opts["outlet_countries"]["code"].tolist(),
                              "outlet_country", warnings),
    )  # fmt: skip
    if "start" not in st.query_params and "end" not in st.query_params:
        # A link that names no dates opens where the data are dense, not on a 1957 speech.
        default = run_plain("dense_start")
        if default is not None:
            f = f.refine(start=default)
    return f, warnings


def whole_range_link(f: Filters, container) -> None:
    """Under the dates: the window the dashboard opened on, and the whole range one click away."""
    span = options()["span"].iloc[0]
    first, last = _date(span["first_date"]), _date(span["last_date"])
    default = run_plain("dense_start")
    if not first or not last:
        return
    if default is not None and f.start == default and f.end is None and "start" not in st.query_params:
        container.caption(
            f"Opened on {default.year}–{last.year}, where the data are dense "
            f"(most months have statements on several days)."
        )
    narrowed = (f.start or first) > first or (f.end or last) < last
    if narrowed and container.button(f"Whole range ({first.year}–{last.year})", icon=":material/date_range:",
                                     key="whole_range"):  # fmt: skip
        write_url(f.refine(start=first, end=last), keep_page=False)
        st.rerun()


def sidebar_filters() -> tuple[Filters, list[str]]:
    """Build the shared filter widgets from the URL and write their state back to it."""
    f_url, warnings = url_filters()
    url_key = f_url.query_string()
    state = st.session_state
    if state.get("_url_key") != url_key or WIDGETS["q"] not in state:
        _set_widgets(f_url)  # the URL changed from outside (a pasted link, a page link)
        state["_url_key"] = url_key

    opts = options()
    label = names()
    sb = st.sidebar
    sb.markdown("### Filters")
    span = opts["span"].iloc[0]
    first = _date(span["first_date"]) or date(1990, 1, 1)
    last = _date(span["last_date"]) or date.today()
    low = min(first, f_url.start or first, f_url.end or first)
    high = max(last, f_url.start or last, f_url.end or last)
    c1, c2 = sb.columns(2)
    c1.date_input("From", min_value=low, max_value=high, key=WIDGETS["start"], format="YYYY-MM-DD")
    c2.date_input("To", min_value=low, max_value=high, key=WIDGETS["end"], format="YYYY-MM-DD")
    dates_note = sb.container()

    countries = opts["speaker_countries"]
    sb.multiselect(
        "Speaker countries",
        countries["code"].tolist(),
        format_func=lambda c: f"{label.get(c, c)} ({c})",
        key=WIDGETS["speaker_country"],
        help="Whose statements: the country the speaker speaks for.",
    )
    speakers = opts["speakers"]["speaker"].tolist()
    if state.get(WIDGETS["speaker"]) and state[WIDGETS["speaker"]] not in speakers:
        speakers = [state[WIDGETS["speaker"]], *speakers]
    sb.selectbox("Speaker", [None, *speakers], format_func=lambda s: "any speaker" if s is None else s,
                 key=WIDGETS["speaker"])  # fmt: skip
    actors = opts["actors"]
    sb.multiselect(
        "Actors mentioned",
        actors["code"].tolist(),
        format_func=lambda c: f"{label.get(c, c)} ({c})",
        key=WIDGETS["actor"],
        help="Statements that mention any of these states or organisations.",
    )
    topics = opts["topics"]
    topic_labels = dict(zip(topics["topic"], topics["label"], strict=True))
    sb.multiselect("Topics", topics["topic"].tolist(), format_func=lambda t: topic_labels.get(t, t),
                   key=WIDGETS["topic"])  # fmt: skip
    sb.selectbox("Kind of statement", [None, *STATEMENT_KINDS], format_func=KIND_LABELS.get,
                 key=WIDGETS["kind"])  # fmt: skip
    kinds = opts["source_kinds"]["kind"].tolist()
    sb.multiselect("Kind of source", sorted(set(kinds) | set(state[WIDGETS["source_kind"]]), key=SOURCE_KIND_ORDER.index),
                   format_func=SOURCE_KIND_LABELS.get, key=WIDGETS["source_kind"],
                   help="Official channels (ministries, presidencies, governments, missions), state media, "
                   "other media; from the sources registry, data/sources.csv.")  # fmt: skip
    outlets = opts["outlet_countries"]
    sb.multiselect("Outlet country", outlets["code"].tolist(), format_func=lambda c: f"{label.get(c, c)} ({c})",
                   key=WIDGETS["outlet_country"],
                   help="Where the outlet or institution that published the document is based.")  # fmt: skip
    sb.slider("Tone", min_value=-1.0, max_value=1.0, step=0.05, key=WIDGETS["tone"],
              help="Statement tone, from −1 (hostile) to +1 (warm).")  # fmt: skip
    sb.text_input("Search the text", key=WIDGETS["q"], placeholder='e.g. "peace treaty" -russia',
                  help=SEARCH_HELP)  # fmt: skip
    sb.toggle("Presenter mode", key=WIDGETS["present"], help="Big type, no sidebar; link with ?present=1.")

    tone_lo, tone_hi = state[WIDGETS["tone"]]
    f = Filters(
        start=state[WIDGETS["start"]],
        end=state[WIDGETS["end"]],
        speaker_country=tuple(state[WIDGETS["speaker_country"]]),
        speaker=state[WIDGETS["speaker"]],
        actor=tuple(state[WIDGETS["actor"]]),
        topic=tuple(state[WIDGETS["topic"]]),
        kind=state[WIDGETS["kind"]],
        source_kind=tuple(state[WIDGETS["source_kind"]]),
        outlet_country=tuple(state[WIDGETS["outlet_country"]]),
        tone_min=None if tone_lo <= -1.0 else round(tone_lo, 3),
        tone_max=None if tone_hi >= 1.0 else round(tone_hi, 3),
        q=" ".join((state[WIDGETS["q"]] or "").split())[:200] or None,
        present=bool(state[WIDGETS["present"]]),
    )
    if f.start and f.end and f.start > f.end:
        warnings.append("The From date is after the To date; swapped them.")
        f = f.refine(start=f.end, end=f.start)
    if f.query_string() != url_key:
        write_url(f, keep_page=False)
        state["_url_key"] = f.query_string()
    whole_range_link(f, dates_note)
    if not f.is_empty() and sb.button("Clear filters", icon=":material/filter_alt_off:"):
        write_url(Filters(present=f.present), keep_page=False)
        st.rerun()
    return f, warnings


def write_url(f: Filters, keep_page: bool = True) -> None:
    """Replace the filter keys in the URL, keeping the page's own choices."""
    kept = {k: st.query_params.get_all(k) for k in PAGE_KEYS if k in st.query_params}
    if keep_page and "page" in st.query_params:
        kept["page"] = st.query_params.get_all("page")
    st.query_params.from_dict({**f.to_query_params(), **kept})


def _date(value) -> date | None:
    """A stored date as a ``date``; None when missing, or outside the years 1 to 9999 Python dates hold."""
    if value is None or value is pd.NaT or (isinstance(value, float) and value != value):
        return None
    try:
        return pd.Timestamp(value).date()
    except (ValueError, OverflowError, NotImplementedError):  # pandas' words for "no Python date"
        return None


def current_filters() -> Filters:
    """The filters ``app.py`` read for this run."""
    return st.session_state.get("filters", Filters())


# Page-level choices in the URL ---------------------------------------------------------------


def url_choice(label: str, key: str, choices: list, default, widget="segmented", fmt=None, **kw):
    """A page control whose value lives in the URL under ``key``, so links keep it."""
    raw = st.query_params.get(key)
    value = next((c for c in choices if str(c) == raw), default)
    wkey = f"p_{key}"
    # Follow the URL (and a default that moved with the filters) unless the user just chose.
    if st.session_state.get(f"_{wkey}_url") != (raw, default) or wkey not in st.session_state:
        st.session_state[wkey] = value
        st.session_state[f"_{wkey}_url"] = (raw, default)
    fmt = fmt or str
    if widget == "segmented":
        chosen = st.segmented_control(label, choices, key=wkey, format_func=fmt, **kw)
    elif widget == "radio":
        chosen = st.radio(label, choices, key=wkey, format_func=fmt, horizontal=True, **kw)
    else:
        chosen = st.selectbox(label, choices, key=wkey, format_func=fmt, **kw)
    if chosen is None:
        chosen = default
    new_raw = None if chosen == default else str(chosen)
    if new_raw is None:
        st.query_params.pop(key, None)
    else:
        st.query_params[key] = new_raw
    st.session_state[f"_{wkey}_url"] = (new_raw, default)
    return chosen


# Presenter mode and page furniture -----------------------------------------------------------

PRESENTER_CSS = """
<style>
[data-testid="stSidebar"], [data-testid="stSidebarCollapsedControl"],
[data-testid="stSidebarCollapseButton"], [data-testid="stHeader"], [data-testid="stToolbar"],
[data-testid="stDecoration"], [data-testid="stStatusWidget"], footer { display: none !important; }
[data-testid="stMainBlockContainer"], .block-container { padding-top: 1.5rem !important;
  max-width: 100% !important; }
[data-testid="stMain"] p, [data-testid="stMain"] li, [data-testid="stCaptionContainer"] {
  font-size: 1.35rem !important; }
[data-testid="stMain"] h1 { font-size: 3.2rem !important; }
[data-testid="stMain"] h2, [data-testid="stMain"] h3 { font-size: 2.2rem !important; }
[data-testid="stMain"] [data-testid="stMetricValue"],
[data-testid="stMain"] [data-testid="stMetricValue"] * { font-size: 3.6rem !important;
  line-height: 1.2 !important; }
[data-testid="stMain"] [data-testid="stMetricLabel"] p { font-size: 1.4rem !important; }
</style>
"""
# The metric rules name stMain as the paragraph rule does and add the metric's own test id, so that
# they outweigh it: with equal weight the value's paragraph took the 1.35rem of running text and the
# headline figures came out smaller in presenter mode than in normal mode.

BASE_CSS = """
<style>
[data-testid="stMetricValue"] { font-size: 1.8rem; }
</style>
"""


def apply_presenter_mode(f: Filters) -> None:
    """CSS written here (never document text): hide the chrome and enlarge type in presenter mode."""
    st.html(PRESENTER_CSS if f.present else BASE_CSS)


def page_header(title: str, f: Filters, intro: str | None = None) -> None:
    st.title(title)
    if f.present:
        # the names, the speaker and the search words come from the database and the URL
        st.caption(f"Filters: {md_escape(f.describe(names()))}")
    elif intro:
        st.caption(intro)


def nav_links(f: Filters, container) -> None:
    """The page menu, carrying the filters so a page switch keeps the view."""
    params = f.to_query_params()
    container.markdown("### Caucasus Rhetoric")
    for key, path in PAGE_FILES.items():
        container.page_link(str(path), label=PAGE_TITLES[key], icon=PAGE_ICONS[key], query_params=params)


def exit_presenter_link(f: Filters, page: str) -> None:
    if f.present:
        st.divider()
        st.page_link(str(PAGE_FILES[page]), label="Leave presenter mode",
                     query_params=f.refine(present=False).to_query_params())  # fmt: skip


def show_warnings(warnings: list[str]) -> None:
    """The filters' warnings, which quote the URL's values: shown as literal text."""
    for w in warnings:
        st.warning(md_escape(w), icon=":material/warning:")


def tone_method(key: str) -> None:
    """'How tone is measured', one click from every tone chart."""
    with st.popover("How tone is measured", icon=":material/info:"):
        text = read_tone_doc()
        if text:
            st.markdown(text)
        else:
            st.markdown(
                "Tone is scored on each statement from −1 (hostile) to +1 (warm) with a lexicon of "
                "diplomatic cues, and separately toward each actor the statement mentions. Bands: "
                "hostile < −0.5 ≤ critical < −0.1 ≤ neutral ≤ 0.1 < cooperative ≤ 0.5 < warm. "
                "The full method note (docs/tone.md) is not installed here."
            )
        st.caption(
            f"Means over fewer than {settings.low_n()} statements are drawn hollow or faded; "
            "bands are 95% intervals (mean ± 1.96·sd/√n). " + SURE_RULE
        )


#: What every chart of means says about the tone model's confidence.
SURE_RULE = (
    f"Means, bands and before/after comparisons count only tones the tone model gives at least "
    f"{CHART_MIN_CONFIDENCE:.0%} probability; the others stay in every list and search, with their confidence."
)


def sure_caption(f: Filters) -> str:
    """How many of the filtered statements' tones count in the means."""
    t = run("totals", f).iloc[0]
    toned, sure = int(t["toned"]), int(t["sure"])
    if not toned:
        return SURE_RULE
    return f"{SURE_RULE} Here: {sure:,} of {toned:,} scored statements ({sure / toned:.0%})."


@st.cache_data(ttl=60, show_spinner=False)
def read_tone_doc() -> str | None:
    try:
        return TONE_DOC.read_text(encoding="utf-8")
    except OSError:
        return None


def plot(fig, key: str, f: Filters, filename: str, select: bool = True):
    """Show a figure with PNG export at presentation size; returns the selection event."""
    config = charts.export_config(filename, present=f.present)
    if select:
        return st.plotly_chart(fig, key=key, on_select="rerun", selection_mode=("points", "box"),
                               config=config, theme=None)  # fmt: skip
    st.plotly_chart(fig, key=key, config=config, theme=None)
    return None


def selected_point(event) -> tuple[list | None, int]:
    """The drill-down data of the first selected point, and how many points were selected."""
    if not event:
        return None, 0
    try:
        points = event["selection"]["points"]
    except (KeyError, TypeError):
        return None, 0
    drillable = [p for p in points if p.get("customdata")]
    if not drillable:
        return None, 0
    return list(drillable[0]["customdata"]), len(drillable)


def drilldown(event, f: Filters, key: str) -> None:
    """Under a chart: the statements behind the clicked point, one click from the full quote."""
    point, count = selected_point(event)
    if point is None:
        if not f.present:
            st.caption("Click a point, bar or cell to see the statements behind it.")
        return
    sub = charts.drill_filters(f, point)
    total = run("statement_count", sub)
    with st.container(border=True):
        more = f" (first of {count} selected points)" if count > 1 else ""
        st.markdown(f"**Statements behind your selection{more}:** {md_escape(sub.describe(names()))} — n={total}")
        statement_table(sub, key=f"drill_{key}", limit=20)
        st.page_link(str(PAGE_FILES["quotes"]), label=f"Open all {total} in Quotes",
                     icon=":material/format_quote:", query_params=sub.to_query_params())  # fmt: skip


def statement_table(
    f: Filters, key: str, limit: int = 20, frame: pd.DataFrame | None = None, row_height: int | None = None
) -> None:
    """A short table of statements; selecting a row opens its full quote on the Quotes page.
    ``row_height`` (pixels) lets excerpts around a match wrap onto several lines."""
    df = frame if frame is not None else run("statements_page", f, limit=limit)
    if df.empty:
        st.info("No statements.")
        return
    shown = display_frame(df)
    event = st.dataframe(shown, key=key, on_select="rerun", selection_mode="single-row", row_height=row_height,
                         hide_index=True, column_config=COLUMN_CONFIG, width="stretch")  # fmt: skip
    rows = event.selection.rows if event else []
    if rows:
        statement_id = int(df.iloc[rows[0]]["statement_id"])
        open_statement(f, statement_id)
    attribution_note(df)
    if not f.present:
        st.caption("Select a row to open the full quote.")


def attribution_note(df: pd.DataFrame) -> None:
    """The credit a source's licence asks for, under any table that shows its statements."""
    if "attribution" not in df.columns:
        return
    for credit in dict.fromkeys(df["attribution"].dropna()):
        st.caption(md_escape(str(credit)))


def open_statement(f: Filters, statement_id: int) -> None:
    st.switch_page(str(PAGE_FILES["quotes"]), query_params={**f.to_query_params(), "statement": str(statement_id)})


COLUMN_CONFIG = {
    "statement_id": None,
    "date": st.column_config.DateColumn("date", format="YYYY-MM-DD", width="small"),
    "speaker": st.column_config.TextColumn("speaker"),
    "speaker_country": st.column_config.TextColumn("country", width="small"),
    "excerpt": st.column_config.TextColumn("excerpt", width="large"),
    "kind": st.column_config.TextColumn("kind", width="small"),
    "tone": st.column_config.NumberColumn("tone", format="%+.2f", width="small"),
    "tone_band": st.column_config.TextColumn("band", width="small"),
    "tone_confidence": st.column_config.ProgressColumn(
        "sure", format="percent", min_value=0.0, max_value=1.0, width="small",
        help="The tone model's probability for the band's sign; below 50% the tone is left out of means.",
    ),
    "topics": st.column_config.TextColumn("topics", width="medium"),
}


def display_frame(df: pd.DataFrame) -> pd.DataFrame:
    cols = [c for c in COLUMN_CONFIG if c in df.columns]
    return df[cols]


_MD_SPECIAL = re.compile(r"([\\`*_{}\[\]()#+\-.!|<>~$:=&^%@;,/?\"'])")


#: Where GitHub-flavoured Markdown would turn plain text into a link: "http://", "www." and e-mail
#: addresses. Streamlit finds these after resolving escapes, so a backslash does not stop them.
_AUTOLINK = re.compile(r"(?<=:)(?=//)|(?i:(?<=www))(?=\.)|(?<=@)")
WORD_JOINER = "\u2060"  # invisible, and breaks no line


def md_escape(text: str | None, in_link: bool = False) -> str:
    """Text from a document, made inert for st.markdown: every ASCII punctuation mark escaped.

    A word joiner also goes inside every bare web or e-mail address, so that none becomes a
    link (the text reads the same; a copy of it carries the invisible joiner). ``in_link``: the
    text is a link's own label, where Markdown draws no further link, so it is left whole.
    """
    if not text:
        return ""
    text = str(text) if in_link else _AUTOLINK.sub(WORD_JOINER, str(text))
    return _MD_SPECIAL.sub(r"\\\1", text)


def no_database() -> None:
    path = settings.db_path()
    st.title("Caucasus Rhetoric")
    st.info(
        f"There is no database at `{path}` yet. Build it from the shipped sample with "
        "`make db` (or `python -m dashboard ingest data/sample`), then reload this page."
    )
