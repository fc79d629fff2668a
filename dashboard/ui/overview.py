"""Overview: totals, statements over time per speaker country, tone over time, events."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from dashboard import charts, queries
from dashboard.colors import FOCUS
from dashboard.filters import Filters
from dashboard.ui import common
from dashboard.ui.tone_page import event_before_after


def render(f: Filters) -> None:
    common.page_header(
        "Overview", f, "Who speaks, how much, and in what tone, over time. Every number carries its n."
    )
    label = common.names()
    totals = common.run("totals", f).iloc[0]
    first, last = common._date(totals["first_date"]), common._date(totals["last_date"])
    cols = st.columns(5)
    cols[0].metric("Documents", f"{int(totals['documents']):,}")
    cols[1].metric("Statements", f"{int(totals['statements']):,}")
    cols[2].metric("Speakers", f"{int(totals['speakers']):,}", help="Distinct named speakers.")
    cols[3].metric("Actors mentioned", f"{int(totals['actors']):,}")
    cols[4].metric(
        "Date range",
        f"{first.year}–{last.year}" if first and last else "—",
        help=f"{first} to {last}; {int(totals['undated'])} statements have no date and are left off the timelines.",
    )
    if int(totals["statements"]) == 0:
        st.info("No statements match these filters. Widen the dates or clear a filter in the sidebar.")
        common.exit_presenter_link(f, "overview")
        return

    auto = queries.choose_granularity(f.start or first, f.end or last)
    c1, c2, _ = st.columns([2, 2, 3])
    with c1:
        granularity = common.url_choice("Granularity", "granularity", list(queries.GRANULARITIES), auto)
    with c2:
        measure = common.url_choice("Show", "measure", ["n", "share"], "n",
                                    fmt=lambda m: "count" if m == "n" else "share of all")  # fmt: skip
    events = common.run("events_in_range", f)

    st.subheader("Statements over time, by speaker country")
    df = common.run("statements_over_time", f, granularity)
    coverage = common.run("documents_over_time", f, granularity)
    fig = charts.statements_timeline(df, measure, granularity, events, present=f.present, names=label,
                                     coverage=coverage, focus=f.speaker_country)  # fmt: skip
    event = common.plot(fig, "overview_statements", f, "statements-over-time")
    focus = common.md_escape(", ".join(label.get(c, c) for c in (f.speaker_country or FOCUS)))
    st.caption(
        f"In colour: {focus} (choose speaker countries in the sidebar to colour others); grey: the other "
        "countries with most statements, for context"
        + ("" if measure == "share" else ", and every further country only on the share view")
        + ". A break in a line: the corpus holds no statements of that country in the period. "
        "▼ events: the key ones labelled, the others named on hover; click one for the tone before and after."
    )
    if not event_before_after(event, f, "overview_statements"):
        common.drilldown(event, f, "overview_statements")

    st.subheader("Tone over time, by speaker country")
    tone = common.run("tone_over_time", f, granularity, top=charts.MAX_PANELS + 3)
    shown, rest = charts.panel_order(tone, focus=f.speaker_country)
    fig = charts.tone_timeline(tone, granularity, events, present=f.present, names=label, focus=f.speaker_country)
    event = common.plot(fig, "overview_tone", f, "tone-over-time")
    c1, c2 = st.columns([4, 1])
    more = (f" Not shown: {common.md_escape(', '.join(label.get(c, c) for c in rest))} (fewer statements than the "
            "panels shown, except the countries in colour, which always get one)." if rest else "")  # fmt: skip
    c1.caption(
        f"One panel per speaker country, the most scored statements first; in grey, the other panels' lines. "
        f"Mean statement tone per {granularity}; shaded band: 95% interval (mean ± 1.96·sd/√n); "
        f"hollow markers: fewer than {charts.low_n()} statements; dotted lines: key events. "
        f"Hover a point for its n.{more} " + common.sure_caption(f)
    )
    with c2:
        common.tone_method("overview")
    common.drilldown(event, f, "overview_tone")

    if not events.empty and not f.present:
        with st.expander(f"Events on the timelines ({len(events)})"):
            shown = events.assign(date=pd.to_datetime(events["date"]).dt.date)
            st.dataframe(shown, hide_index=True, width="stretch")
    common.exit_presenter_link(f, "overview")


if __name__ == "__main__":
    render(common.current_filters())
