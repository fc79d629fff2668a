"""Countries: who is mentioned, how often, over time, and who talks about whom in what tone."""

from __future__ import annotations

import streamlit as st

from dashboard import charts, queries
from dashboard.colors import FOCUS
from dashboard.filters import Filters
from dashboard.ui import common
from dashboard.ui.tone_page import event_before_after


def render(f: Filters) -> None:
    common.page_header(
        "Countries",
        f,
        "Which states and organisations are talked about, by whom, and in what tone. "
        "Click a bar, point or cell for the statements behind it.",
    )
    label = common.names()

    st.subheader("Mentions per actor")
    by_actor = common.run("mentions_by_actor", f)
    event = common.plot(charts.mentions_bar(by_actor, present=f.present), "countries_bar", f, "mentions-per-actor")
    st.caption("n = mentions; the hover gives the mean tone toward the actor, with its own n.")
    common.drilldown(event, f, "countries_bar")

    st.subheader("Who talks about whom")
    matrix = common.run("who_talks_about_whom", f)
    fig = charts.who_matrix(matrix, present=f.present, names=label)
    event = common.plot(fig, "countries_matrix", f, "who-talks-about-whom")
    c1, c2 = st.columns([4, 1])
    c1.caption(
        "Rows: the country of whoever speaks; columns: the actor mentioned. Colour: mean tone toward "
        "the actor (red hostile, blue warm); the number in each cell is n, the mentions behind it. "
        f"Faded cells: fewer than {charts.low_n()} scored mentions. " + common.SURE_RULE
    )
    with c2:
        common.tone_method("countries")
    common.drilldown(event, f, "countries_matrix")

    st.subheader("Mentions over time")
    span = common.run("totals", f).iloc[0]
    auto = queries.choose_granularity(f.start or common._date(span["first_date"]),
                                      f.end or common._date(span["last_date"]))  # fmt: skip
    granularity = common.url_choice("Granularity", "granularity", list(queries.GRANULARITIES), auto)
    over_time = common.run("mentions_over_time", f, granularity)
    events = common.run("events_in_range", f)
    coverage = common.run("documents_over_time", f, granularity)
    fig = charts.mentions_timeline(over_time, granularity, events, present=f.present, names=label,
                                   coverage=coverage, focus=f.actor)  # fmt: skip
    event = common.plot(fig, "countries_time", f, "mentions-over-time")
    focus = common.md_escape(", ".join(label.get(c, c) for c in (f.actor or FOCUS)))
    st.caption(
        f"In colour: {focus} (choose actors in the sidebar to colour others); grey: the other most "
        "mentioned actors, for context. Zero: statements of the period, none mentioning the actor; a break "
        "in a line: the corpus holds no statements of the period. One chart rather than a panel per actor: "
        "counts share one scale, and which actor is talked about most is the question here."
    )
    if not event_before_after(event, f, "countries_time"):
        common.drilldown(event, f, "countries_time")
    common.exit_presenter_link(f, "countries")


if __name__ == "__main__":
    render(common.current_filters())
