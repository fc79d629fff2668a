"""Tone: actors side by side, tone distributions, tone toward a target by speaker,
before and after an event, and the most hostile and warmest statements."""

from __future__ import annotations

from datetime import date

import pandas as pd
import streamlit as st

from dashboard import charts, queries
from dashboard.filters import Filters
from dashboard.ui import common

WINDOWS = [30, 90, 180, 365, 730]
DEFAULT_WINDOW = 365


def clicked_event(selection) -> date | None:
    """The date of an event marker among a chart's selected points, if one was clicked."""
    try:
        points = selection["selection"]["points"]
    except (KeyError, TypeError):
        return None
    return next((day for p in points if (day := charts.clicked_event(p.get("customdata")))), None)


def event_before_after(selection, f: Filters, key: str) -> bool:
    """Under a timeline: the before/after view of a clicked event, with a link to it on this page.

    Returns whether an event was clicked (the chart's drill-down is then left out).
    """
    day = clicked_event(selection)
    if day is None:
        return False
    events = common.run_plain("all_events")
    row = events[pd.to_datetime(events["date"]).dt.date == day]
    label = row["label"].iloc[0] if not row.empty else str(day)
    with st.container(border=True):
        st.markdown(f"**{common.md_escape(label)}** ({day})")
        if not row.empty and isinstance(row["description"].iloc[0], str):
            st.caption(common.md_escape(row["description"].iloc[0]))
        df = common.run("before_after", f, day, DEFAULT_WINDOW)
        fig = charts.before_after_chart(df, day, DEFAULT_WINDOW, present=f.present, names=common.names())
        common.plot(fig, f"{key}_event", f, f"before-after-{day}", select=False)
        st.page_link(str(common.PAGE_FILES["tone"]), label="Before and after this event, on the Tone page",
                     icon=":material/thermostat:", query_params={**f.to_query_params(), "event": day.isoformat()})  # fmt: skip
    return True


def compare_choice(f: Filters, options: list[str], default: list[str], label: dict) -> list[str]:
    """Up to eight actors to compare; kept in the URL as repeated ``compare`` keys."""
    raw = [c for c in st.query_params.get_all("compare") if c in options][: queries.MAX_COMPARE]
    chosen_default = raw or default
    key = "p_compare"
    if st.session_state.get("_p_compare_url") != raw or key not in st.session_state:
        st.session_state[key] = chosen_default
        st.session_state["_p_compare_url"] = raw
    chosen = st.multiselect(
        "Compare actors (up to eight)",
        options,
        key=key,
        max_selections=queries.MAX_COMPARE,
        format_func=lambda c: f"{label.get(c, c)} ({c})",
    )
    new_raw = [] if chosen == default else list(chosen)
    if new_raw:
        st.query_params["compare"] = new_raw
    else:
        st.query_params.pop("compare", None)
    st.session_state["_p_compare_url"] = new_raw
    return list(chosen) or default


def render(f: Filters) -> None:
    common.page_header(
        "Tone",
        f,
        "How warm or hostile statements are toward each actor, on a scale from −1 (hostile) to +1 (warm).",
    )
    label = common.names()
    c1, c2 = st.columns([4, 1])
    c1.caption(
        f"Dots: mean tone with a 95% interval; hollow: fewer than {charts.low_n()} statements. "
        "Every mean shows its n. " + common.sure_caption(f)
    )
    with c2:
        common.tone_method("tone")

    actor_options = common.options()["actors"]["code"].tolist()
    default = common.run("compared_actors", f)
    if f.present:
        actors = [c for c in st.query_params.get_all("compare") if c in actor_options][:8] or default
    else:
        actors = compare_choice(f, actor_options, default, label)

    left, right = (st.container(), st.container()) if f.present else st.columns(2)
    with left:
        st.subheader("Tone toward each actor")
        compare = common.run("tone_toward_actors", f, actors)
        event = common.plot(charts.tone_compare(compare, present=f.present, names=label), "tone_compare", f,
                            "tone-toward-actors")  # fmt: skip
        common.drilldown(event, f, "tone_compare")
    with right:
        st.subheader("How the tone is spread")
        bands = common.run("tone_bands", f, actors)
        event = common.plot(charts.tone_band_bars(bands, present=f.present, names=label), "tone_bands", f,
                            "tone-bands")  # fmt: skip
        st.caption("Share of mentions toward each actor in each tone band; the hover gives n.")
        common.drilldown(event, f, "tone_bands")

    st.subheader("Tone toward one actor, by who speaks")
    targets = actors or actor_options[:1]
    if targets:
        target = common.url_choice("Target", "target", actor_options, targets[0], widget="select",
                                   fmt=lambda c: f"{label.get(c, c)} ({c})")  # fmt: skip
        by_speaker = common.run("tone_by_speaker", f, target)
        fig = charts.tone_by_speaker_chart(by_speaker, target, present=f.present, names=label)
        event = common.plot(fig, "tone_by_speaker", f, f"tone-toward-{target}")
        common.drilldown(event, f, "tone_by_speaker")

    st.subheader("Before and after an event")
    events = common.run_plain("all_events")
    if events.empty:
        st.info("The events table is empty; add dated events to data/events.csv and re-ingest.")
    else:
        ev_dates = [pd.Timestamp(d).date().isoformat() for d in events["date"]]
        ev_labels = dict(zip(ev_dates, events["label"], strict=True))
        in_range = common.run("events_in_range", f)
        key = in_range[in_range["importance"] == 1]  # the latest turning point in range, else the latest event
        latest = key if not key.empty else in_range
        default_event = pd.Timestamp(latest["date"].iloc[-1]).date().isoformat() if not latest.empty else ev_dates[-1]
        c1, c2 = st.columns([3, 2])
        with c1:
            chosen = common.url_choice("Event", "event", ev_dates, default_event, widget="select",
                                       fmt=lambda d: f"{d} — {ev_labels[d]}")  # fmt: skip
        with c2:
            days = common.url_choice("Window (days each side)", "window", WINDOWS, DEFAULT_WINDOW, fmt=str)
        event_date = date.fromisoformat(chosen)
        df = common.run("before_after", f, event_date, days)
        fig = charts.before_after_chart(df, event_date, days, present=f.present, names=label)
        event = common.plot(fig, "tone_before_after", f, f"before-after-{chosen}")
        st.caption(
            "Mean statement tone per speaker country in the window before (grey circles) and after "
            "(dark diamonds) the event. The date filters are replaced by the window here."
        )
        window_filters = f.refine(start=None, end=None)
        common.drilldown(event, window_filters, "tone_before_after")

    st.subheader("Most hostile statements")
    common.statement_table(f, "tone_hostile", frame=common.run("extreme_statements", f))
    st.subheader("Warmest statements")
    common.statement_table(f, "tone_warm", frame=common.run("extreme_statements", f, True))
    common.exit_presenter_link(f, "tone")


if __name__ == "__main__":
    render(common.current_filters())
