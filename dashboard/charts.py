"""Charts: pure functions from a query's DataFrame to a plotly Figure.

Conventions every chart keeps, so pages and tests can rely on them:

- each actor or speaker country has its colour from ``dashboard.colors``;
- every hover shows the n behind the value, and means over fewer than
  ``low_n`` statements are drawn hollow (or faded) and say so in the hover;
- drillable traces carry ``customdata`` rows of ``DRILL_FIELDS``
  (speaker_country, actor, start, end), which ``drill_filters`` turns into the
  filters for the statements behind a clicked point;
- ``present=True`` gives the presenter variant: larger type, thicker lines;
- every name or label from the data enters a figure through ``plotly_text``,
  so plotly draws its ``<a>``, ``<b>`` or ``<br>`` as characters (customdata stays raw).
"""

from __future__ import annotations

import calendar
from collections.abc import Sequence
from datetime import date

import pandas as pd
import plotly.graph_objects as go

from dashboard import settings
from dashboard.colors import BAND_COLORS, TONE_SCALE, actor_color
from dashboard.filters import Filters, shift
from dashboard.records import TONE_BANDS
from dashboard.safe import plotly_text

DRILL_FIELDS = ("speaker_country", "actor", "start", "end")
OTHER = "Other"
FONT = "Source Sans Pro, Helvetica, Arial, sans-serif"
TONE_AXIS = dict(range=[-1.05, 1.05], zeroline=True, zerolinecolor="#888", zerolinewidth=1)
LOW_N_NOTE = "hollow / faded: mean of fewer than {n} statements"


def short_label(code: str, names: dict[str, str] | None = None, limit: int = 16) -> str:
    """An actor's name when it is short enough for an axis, else its code (escaped for plotly)."""
    name = (names or {}).get(code, code)
    return plotly_text(name if len(name) <= limit else code)


def _name(code, names: dict[str, str]) -> str:
    """An actor's or country's full name for a legend or hover (escaped for plotly)."""
    return plotly_text(names.get(code, code))


def low_n() -> int:
    return settings.low_n()


def _sizes(present: bool) -> dict:
    if present:
        return {"font": 20, "title": 28, "line": 4, "marker": 12, "height": 560}
    return {"font": 13, "title": 17, "line": 2, "marker": 7, "height": 420}


def style(fig: go.Figure, title: str | None = None, present: bool = False, height: int | None = None) -> go.Figure:
    """The house look, normal or presenter: font sizes, margins, a legend that does not cover data."""
    size = _sizes(present)
    fig.update_layout(
        title=dict(text=title, font=dict(size=size["title"])) if title else None,
        font=dict(family=FONT, size=size["font"]),
        height=height or size["height"],
        margin=dict(l=70, r=20, t=80 if title else 40, b=50),
        legend=dict(orientation="h", yanchor="bottom", y=1.02, xanchor="left", x=0, title=None),
        hoverlabel=dict(font_size=size["font"]),
        plot_bgcolor="white",
        clickmode="event+select",
    )
    fig.update_xaxes(showgrid=False, linecolor="#888", automargin=True)
    fig.update_yaxes(gridcolor="#E5E5E5", automargin=True)
    return fig


def export_config(filename: str, present: bool = False) -> dict:
    """plotly config: PNG export at presentation resolution, no plotly logo."""
    return {
        "displaylogo": False,
        "toImageButtonOptions": {
            "format": "png",
            "filename": filename,
            "width": 1920 if present else 1600,
            "height": 1080 if present else 900,
            "scale": 2,
        },
    }


def period_end(start: date, granularity: str) -> date:
    """The last day of the period that begins on ``start`` (the week of 9999-12-27 ends on 9999-12-31)."""
    if granularity == "day":
        return start
    if granularity == "week":
        return shift(start, 6)
    if granularity == "month":
        return date(start.year, start.month, calendar.monthrange(start.year, start.month)[1])
    return date(start.year, 12, 31)


def _day(value) -> date | None:
    if value is None or (isinstance(value, float) and value != value) or value is pd.NaT:
        return None
    try:
        return pd.Timestamp(value).date()
    except (ValueError, OverflowError, NotImplementedError):  # outside years 1 to 9999: no Python date
        return None


FREQ = {"day": "D", "week": "W-MON", "month": "MS", "year": "YS"}
DAYS_PER_PERIOD = {"day": 1, "week": 7, "month": 28, "year": 365}  # the shortest of each
MAX_PERIODS = 5000


def complete_periods(part: pd.DataFrame, granularity: str, fill: dict) -> pd.DataFrame:
    """Every period between a series' first and last, so lines never bridge an empty stretch.

    ``fill`` gives the value of each column in a period with no data: 0 for counts
    (nothing was said), NaN for means (nothing to average, so the line breaks).
    """
    if part.empty or granularity not in FREQ:
        return part
    periods = pd.to_datetime(part["period"])
    # Counted before it is built: a stray date in year 9999 would make millions of periods.
    if (periods.max() - periods.min()).days / DAYS_PER_PERIOD[granularity] > MAX_PERIODS:
        return part
    full = pd.date_range(periods.min(), periods.max(), freq=FREQ[granularity])
    if len(full) <= len(part):  # nothing missing
        return part
    out = part.assign(period=periods).set_index("period").reindex(full)
    out.index.name = "period"
    for column, value in fill.items():
        out[column] = out[column].fillna(value) if value is not None else out[column]
    for column in out.columns:
        if column not in fill and out[column].dtype == object:
            out[column] = out[column].ffill()
    return out.reset_index()


def band_segments(part: pd.DataFrame) -> list[pd.DataFrame]:
    """Runs of consecutive rows that all have an interval, so a band never bridges a gap."""
    has = part["lo"].notna() & part["hi"].notna()
    runs, current = [], []
    for index, ok in has.items():
        if ok:
            current.append(index)
        elif current:
            runs.append(current)
            current = []
    if current:
        runs.append(current)
    return [part.loc[run] for run in runs]


def _drill_rows(df: pd.DataFrame, speaker_country=None, actor=None, granularity: str | None = None) -> list:
    """customdata rows (speaker_country, actor, start, end) for each row of ``df``."""
    rows = []
    for _, r in df.iterrows():
        sc = r[speaker_country] if speaker_country else None
        ac = r[actor] if actor else None
        start = end = None
        if granularity and "period" in r:
            start = _day(r["period"])
            end = period_end(start, granularity) if start else None
        elif "start" in r and "end" in r:
            start, end = _day(r["start"]), _day(r["end"])
        rows.append([sc, ac, start.isoformat() if start else None, end.isoformat() if end else None])
    return rows


def drill_filters(base: Filters, point: Sequence | None) -> Filters:
    """The filters for the statements behind a chart point (its ``customdata``)."""
    if not point:
        return base
    values = dict(zip(DRILL_FIELDS, list(point) + [None] * len(DRILL_FIELDS), strict=False))
    changes: dict = {}
    if values["speaker_country"] and values["speaker_country"] != OTHER:
        changes["speaker_country"] = (values["speaker_country"],)
    if values["actor"]:
        changes["actor"] = (values["actor"],)
    if values["start"]:
        start = date.fromisoformat(values["start"])
        changes["start"] = max(start, base.start) if base.start else start
    if values["end"]:
        end = date.fromisoformat(values["end"])
        changes["end"] = min(end, base.end) if base.end else end
    return base.refine(**changes)


def _hollow(n: pd.Series, threshold: int) -> list[str]:
    return ["circle-open" if k < threshold else "circle" for k in n]


def _reliability(n: pd.Series, threshold: int) -> list[str]:
    return [f"<br><i>fewer than {threshold} statements: unreliable</i>" if k < threshold else "" for k in n]


def empty_figure(message: str, present: bool = False) -> go.Figure:
    fig = go.Figure()
    fig.add_annotation(text=message, showarrow=False, x=0.5, y=0.5, xref="paper", yref="paper",
                       font=dict(size=_sizes(present)["font"] + 2, color="#666"))  # fmt: skip
    fig.update_xaxes(visible=False)
    fig.update_yaxes(visible=False)
    return style(fig, present=present, height=200)


def add_events(fig: go.Figure, events: pd.DataFrame | None, present: bool = False) -> go.Figure:
    """Dated events as dotted vertical lines, labelled by a hoverable marker along the top."""
    if events is None or events.empty:
        return fig
    days = [_day(d) for d in events["date"]]
    for day in days:
        fig.add_shape(type="line", x0=day, x1=day, y0=0, y1=1, yref="paper",
                      line=dict(color="#BBBBBB", width=1, dash="dot"), layer="below")  # fmt: skip
    fig.add_trace(
        go.Scatter(
            x=days,
            y=[1.0] * len(days),
            yaxis="y2",
            mode="markers",
            marker=dict(symbol="triangle-down", size=_sizes(present)["marker"] + 4, color="#555"),
            name="events",
            hovertext=[f"{d}: {plotly_text(label)}" for d, label in zip(days, events["label"], strict=True)],
            hoverinfo="text",
            showlegend=True,
        )
    )
    # The markers get a strip of their own above the plot, so they never cover data.
    fig.update_layout(
        yaxis=dict(domain=[0, 0.92]),
        yaxis2=dict(domain=[0.93, 1.0], anchor="x", range=[0, 2], visible=False, fixedrange=True),
    )
    if len(days) <= 6:
        for day, label in zip(days, events["label"], strict=True):
            fig.add_annotation(x=day, y=1.0, yref="paper", text=plotly_text(str(label)[:40]), showarrow=False,
                               textangle=-90, xanchor="right", yanchor="top",
                               font=dict(size=_sizes(present)["font"] - 2, color="#555"))  # fmt: skip
    return fig


def statements_timeline(
    df: pd.DataFrame,
    measure: str = "n",
    granularity: str = "month",
    events: pd.DataFrame | None = None,
    present: bool = False,
    names: dict[str, str] | None = None,
) -> go.Figure:
    """Statements over time per speaker country: count (``n``) or share of all statements."""
    if df.empty:
        return empty_figure("No dated statements match these filters.", present)
    names = names or {}
    size = _sizes(present)
    fig = go.Figure()
    for country, part in df.groupby("speaker_country", sort=False):
        part = complete_periods(part.sort_values("period"), granularity, {"n": 0, "share": 0.0})
        label = _name(country, names)
        y = part["share"] * 100 if measure == "share" else part["n"]
        fig.add_trace(
            go.Scatter(
                x=part["period"],
                y=y,
                mode="lines+markers",
                name=label,
                line=dict(color=actor_color(country), width=size["line"]),
                marker=dict(size=size["marker"] - 2),
                # "Other" (every country beyond the top ones) would flatten the named lines:
                # listed in the legend, drawn on a click.
                visible="legendonly" if country == OTHER and measure != "share" else True,
                customdata=_drill_rows(part, speaker_country="speaker_country", granularity=granularity),
                text=[f"n={n:g} of {round(n / s) if s else n:g}" for n, s in zip(part["n"], part["share"], strict=True)],
                hovertemplate="<b>%{fullData.name}</b><br>%{x|%Y-%m-%d}<br>"
                + ("%{y:.1f}% of statements" if measure == "share" else "%{y} statements")
                + "<br>%{text}<extra></extra>",
            )
        )
    fig.update_yaxes(title="% of all statements" if measure == "share" else "statements", rangemode="tozero")
    add_events(fig, events, present)
    return style(fig, present=present)


def tone_timeline(
    df: pd.DataFrame,
    granularity: str = "month",
    events: pd.DataFrame | None = None,
    present: bool = False,
    names: dict[str, str] | None = None,
    threshold: int | None = None,
) -> go.Figure:
    """Mean tone over time per speaker country, with a 95% band; means over few statements hollow."""
    if df.empty:
        return empty_figure("No scored statements match these filters.", present)
    names = names or {}
    threshold = threshold or low_n()
    size = _sizes(present)
    fig = go.Figure()
    for country, part in df.groupby("speaker_country", sort=False):
        part = complete_periods(part.sort_values("period"), granularity,
                                {"n": 0, "mean_tone": None, "sd": None, "lo": None, "hi": None})  # fmt: skip
        color = actor_color(country)
        label = _name(country, names)
        isolated = []
        for segment in band_segments(part):
            if len(segment) == 1:
                isolated.extend(segment.index)
                continue
            fig.add_trace(
                go.Scatter(
                    x=list(segment["period"]) + list(segment["period"])[::-1],
                    y=list(segment["hi"].clip(upper=1)) + list(segment["lo"].clip(lower=-1))[::-1],
                    fill="toself",
                    fillcolor=color,
                    opacity=0.15,
                    line=dict(width=0),
                    hoverinfo="skip",
                    showlegend=False,
                    legendgroup=country,
                    name=f"{label} 95% band",
                )
            )
        # a point with no neighbour gets its interval as an error bar instead of a band
        up = [(h - m) if i in isolated else None for i, m, h in zip(part.index, part["mean_tone"], part["hi"], strict=True)]
        down = [(m - lo) if i in isolated else None for i, m, lo in zip(part.index, part["mean_tone"], part["lo"], strict=True)]
        fig.add_trace(
            go.Scatter(
                x=part["period"],
                y=part["mean_tone"],
                mode="lines+markers",
                name=label,
                legendgroup=country,
                line=dict(color=color, width=size["line"]),
                marker=dict(size=size["marker"], symbol=_hollow(part["n"], threshold),
                            line=dict(color=color, width=2)),  # fmt: skip
                error_y=dict(type="data", symmetric=False, array=up, arrayminus=down, color=color,
                             thickness=1, width=3, visible=bool(isolated)),  # fmt: skip
                customdata=_drill_rows(part, speaker_country="speaker_country", granularity=granularity),
                text=[
                    f"n={n:g}{note}"
                    for n, note in zip(part["n"], _reliability(part["n"], threshold), strict=True)
                ],
                hovertemplate="<b>%{fullData.name}</b><br>%{x|%Y-%m-%d}<br>mean tone %{y:+.2f}<br>%{text}<extra></extra>",
            )
        )
    fig.update_yaxes(title="mean tone (−1 hostile … +1 warm)", **TONE_AXIS)
    add_events(fig, events, present)
    return style(fig, present=present)


def mentions_bar(df: pd.DataFrame, present: bool = False, threshold: int | None = None) -> go.Figure:
    """Mentions per actor, one bar each in the actor's colour, n printed on the bar."""
    if df.empty:
        return empty_figure("No actor mentions match these filters.", present)
    threshold = threshold or low_n()
    df = df.sort_values("n")
    unreliable = f" — fewer than {threshold}, unreliable"
    tone_text = [
        f"mean tone toward {t:+.2f} (n={k}){unreliable if k < threshold else ''}" if k else "no tone"
        for t, k in zip(df["mean_tone"], df["n_tone"], strict=True)
    ]
    labels = [plotly_text(name) for name in df["name"]]
    fig = go.Figure(
        go.Bar(
            x=df["n"],
            y=labels,
            orientation="h",
            marker_color=[actor_color(a) for a in df["actor"]],
            marker_line=dict(color="#333", width=0.5),
            text=[f"{n:,}" for n in df["n"]],
            textposition="outside",
            cliponaxis=False,
            customdata=_drill_rows(df, actor="actor"),
            hovertext=[
                f"<b>{name}</b><br>n={n} mentions<br>{tt}"
                for name, n, tt in zip(labels, df["n"], tone_text, strict=True)
            ],
            hoverinfo="text",
            name="mentions",
        )
    )
    fig.update_xaxes(title="mentions", range=[0, float(df["n"].max()) * 1.15])
    height = max(300, 28 * len(df) + 80) if not present else max(420, 40 * len(df) + 100)
    return style(fig, present=present, height=height)


def mentions_timeline(
    df: pd.DataFrame,
    granularity: str = "month",
    events: pd.DataFrame | None = None,
    present: bool = False,
    names: dict[str, str] | None = None,
) -> go.Figure:
    """Mentions of the most mentioned actors over time."""
    if df.empty:
        return empty_figure("No dated mentions match these filters.", present)
    names = names or {}
    size = _sizes(present)
    fig = go.Figure()
    for actor, part in df.groupby("actor", sort=False):
        part = complete_periods(part.sort_values("period"), granularity, {"n": 0})
        label = _name(actor, names)
        fig.add_trace(
            go.Scatter(
                x=part["period"],
                y=part["n"],
                mode="lines+markers",
                name=label,
                line=dict(color=actor_color(actor), width=size["line"]),
                marker=dict(size=size["marker"] - 2),
                customdata=_drill_rows(part, actor="actor", granularity=granularity),
                hovertemplate="<b>%{fullData.name}</b><br>%{x|%Y-%m-%d}<br>n=%{y} mentions<extra></extra>",
            )
        )
    fig.update_yaxes(title="mentions", rangemode="tozero")
    add_events(fig, events, present)
    return style(fig, present=present)


def who_matrix(
    df: pd.DataFrame,
    present: bool = False,
    names: dict[str, str] | None = None,
    threshold: int | None = None,
) -> go.Figure:
    """Speaker country x actor mentioned: cells coloured by mean tone toward, each printing its n.

    Drawn as square markers rather than a heatmap because Streamlit reports
    clicks on scatter points but not on heatmap cells.
    """
    if df.empty:
        return empty_figure("No attributed mentions match these filters.", present)
    names = names or {}
    threshold = threshold or low_n()
    size = _sizes(present)
    speakers = (
        df.groupby("speaker_country")["n"].sum().sort_values(ascending=True).index.tolist()
    )
    actors = df.groupby("actor")["n"].sum().sort_values(ascending=False).index.tolist()
    cell = max(26, min(56, int(640 / max(len(speakers), len(actors), 1)))) * (1.3 if present else 1)
    tone = df["mean_tone"].astype(float)
    fig = go.Figure(
        go.Scatter(
            x=[short_label(a, names) for a in df["actor"]],
            y=[short_label(s, names) for s in df["speaker_country"]],
            mode="markers+text",
            marker=dict(
                symbol="square",
                size=cell,
                color=tone.fillna(0),
                colorscale=TONE_SCALE,
                cmin=-1,
                cmax=1,
                opacity=[0.35 if k < threshold else 1.0 for k in df["n_tone"]],
                line=dict(color="#666", width=0.5),
                colorbar=dict(title="tone toward", tickvals=[-1, -0.5, 0, 0.5, 1],
                              ticktext=["−1 hostile", "−0.5", "0", "+0.5", "+1 warm"]),  # fmt: skip
            ),
            text=[str(n) for n in df["n"]],
            textfont=dict(size=size["font"] - 2, color="#111"),
            customdata=_drill_rows(df, speaker_country="speaker_country", actor="actor"),
            hovertext=[
                f"<b>{_name(s, names)}</b> about <b>{_name(a, names)}</b><br>n={n} mentions<br>"
                + (f"mean tone toward {t:+.2f} (n={k})" if k else "no tone")
                + (f"<br><i>fewer than {threshold}: unreliable</i>" if k < threshold else "")
                for s, a, n, t, k in zip(df["speaker_country"], df["actor"], df["n"], tone, df["n_tone"], strict=True)
            ],
            hoverinfo="text",
            name="who talks about whom",
            showlegend=False,
        )
    )
    fig.update_xaxes(title="actor mentioned", categoryorder="array", tickangle=-45,
                     categoryarray=[short_label(a, names) for a in actors], side="top")  # fmt: skip
    fig.update_yaxes(title="speaker country", categoryorder="array",
                     categoryarray=[short_label(s, names) for s in speakers], showgrid=False)  # fmt: skip
    height = int(cell * 1.15 * len(speakers) + 220)
    fig = style(fig, present=present, height=max(360, height))
    fig.update_layout(margin=dict(t=140))
    return fig


def _dot_with_interval(
    df: pd.DataFrame, key: str, label_col: str, colors: list[str], threshold: int, size: dict, drill: list
) -> go.Scatter:
    err_plus = (df["hi"] - df["mean_tone"]).fillna(0)
    err_minus = (df["mean_tone"] - df["lo"]).fillna(0)
    return go.Scatter(
        x=df["mean_tone"],
        y=df[label_col],
        mode="markers+text",
        marker=dict(size=size["marker"] + 6, color=colors, symbol=_hollow(df["n"], threshold),
                    line=dict(color=colors, width=2)),  # fmt: skip
        error_x=dict(type="data", symmetric=False, array=err_plus, arrayminus=err_minus, color="#777",
                     thickness=1.5),  # fmt: skip
        text=[f"n={n}" for n in df["n"]],
        textposition="top center",
        customdata=drill,
        hovertext=[
            f"<b>{lbl}</b><br>mean tone {m:+.2f}"
            + (f" (95% {lo:+.2f} to {hi:+.2f})" if lo == lo and hi == hi else "")
            + f"<br>n={n}{note}"
            for lbl, m, lo, hi, n, note in zip(
                df[label_col], df["mean_tone"], df["lo"], df["hi"], df["n"], _reliability(df["n"], threshold), strict=True
            )
        ],
        hoverinfo="text",
        showlegend=False,
        name=key,
    )


def _pad_categories(fig: go.Figure, count: int) -> None:
    """Room above the top row of a dot chart for its n label."""
    fig.update_yaxes(range=[-0.7, count - 0.2], showgrid=True)


def tone_compare(
    df: pd.DataFrame, present: bool = False, threshold: int | None = None, names: dict[str, str] | None = None
) -> go.Figure:
    """Tone toward each compared actor: mean with 95% interval, in the actor's colour, with n."""
    if df.empty:
        return empty_figure("No tone toward these actors under these filters.", present)
    threshold = threshold or low_n()
    size = _sizes(present)
    names = names or dict(zip(df["actor"], df["name"], strict=True))
    df = df.sort_values("mean_tone").reset_index(drop=True)
    df = df.assign(label=[short_label(a, names) for a in df["actor"]])
    fig = go.Figure(
        _dot_with_interval(df, "tone toward", "label", [actor_color(a) for a in df["actor"]], threshold,
                           size, _drill_rows(df, actor="actor"))  # fmt: skip
    )
    _pad_categories(fig, len(df))
    fig.update_xaxes(title="mean tone toward", **TONE_AXIS)
    return style(fig, present=present, height=max(260, (60 if present else 44) * len(df) + 120))


def tone_band_bars(df: pd.DataFrame, present: bool = False, names: dict[str, str] | None = None) -> go.Figure:
    """How the tone toward each actor is spread over the five bands (share, with n in the hover)."""
    if df.empty:
        return empty_figure("No tone toward these actors under these filters.", present)
    names = names or {}
    fig = go.Figure()
    for band in TONE_BANDS:
        part = df[df["band"] == band]
        if part.empty:
            continue
        fig.add_trace(
            go.Bar(
                x=part["share"] * 100,
                y=[short_label(a, names) for a in part["actor"]],
                orientation="h",
                name=band,
                marker_color=BAND_COLORS[band],
                customdata=_drill_rows(part, actor="actor"),
                hovertext=[
                    f"<b>{_name(a, names)}</b>: {band}<br>{s * 100:.0f}% (n={n})"
                    for a, s, n in zip(part["actor"], part["share"], part["n"], strict=True)
                ],
                hoverinfo="text",
            )
        )
    fig.update_layout(barmode="stack")
    fig.update_xaxes(title="% of mentions", range=[0, 100])
    n_actors = df["actor"].nunique()
    return style(fig, present=present, height=max(260, (56 if present else 40) * n_actors + 120))


def tone_by_speaker_chart(
    df: pd.DataFrame, target: str, present: bool = False, names: dict[str, str] | None = None,
    threshold: int | None = None,
) -> go.Figure:  # fmt: skip
    """Tone toward one actor by the country of whoever speaks, with 95% intervals and n."""
    if df.empty:
        return empty_figure("Nobody in these filters speaks about this actor with a tone.", present)
    names = names or {}
    threshold = threshold or low_n()
    size = _sizes(present)
    df = df.sort_values("mean_tone").reset_index(drop=True).assign(
        label=lambda d: [short_label(c, names) for c in d["speaker_country"]], target=target
    )
    fig = go.Figure(
        _dot_with_interval(df, "by speaker", "label", [actor_color(c) for c in df["speaker_country"]],
                           threshold, size, _drill_rows(df, speaker_country="speaker_country", actor="target"))  # fmt: skip
    )
    _pad_categories(fig, len(df))
    fig.update_xaxes(title=f"mean tone toward {_name(target, names)}", **TONE_AXIS)
    return style(fig, present=present, height=max(260, (56 if present else 36) * len(df) + 120))


def before_after_chart(
    df: pd.DataFrame, event_date: date, days: int, present: bool = False,
    names: dict[str, str] | None = None, threshold: int | None = None,
) -> go.Figure:  # fmt: skip
    """Mean tone per speaker country in the window before and after an event (a dumbbell)."""
    if df.empty:
        return empty_figure("No scored statements in the window around this event.", present)
    names = names or {}
    threshold = threshold or low_n()
    size = _sizes(present)
    fig = go.Figure()
    windows = {
        "before": (shift(event_date, -days), shift(event_date, -1)),
        "after": (event_date, shift(event_date, days)),
    }
    df = df.assign(
        label=[short_label(c, names) for c in df["speaker_country"]],
        start=[windows[s][0] for s in df["side"]],
        end=[windows[s][1] for s in df["side"]],
    )
    for country, part in df.groupby("speaker_country", sort=False):
        if len(part) == 2:
            fig.add_trace(go.Scatter(x=part["mean_tone"], y=part["label"], mode="lines",
                                     line=dict(color=actor_color(country), width=size["line"]),
                                     hoverinfo="skip", showlegend=False))  # fmt: skip
    for side, symbol_full, color in (("before", "circle", "#999999"), ("after", "diamond", "#333333")):
        part = df[df["side"] == side]
        if part.empty:
            continue
        symbols = [symbol_full + ("-open" if n < threshold else "") for n in part["n"]]
        fig.add_trace(
            go.Scatter(
                x=part["mean_tone"],
                y=part["label"],
                mode="markers",
                name=f"{side} ({windows[side][0]} to {windows[side][1]})",
                marker=dict(size=size["marker"] + 6, symbol=symbols, color=color, line=dict(color=color, width=2)),
                customdata=_drill_rows(part, speaker_country="speaker_country"),
                hovertext=[
                    f"<b>{lbl}</b> {side}<br>mean tone {m:+.2f}<br>n={n}{note}"
                    for lbl, m, n, note in zip(part["label"], part["mean_tone"], part["n"],
                                               _reliability(part["n"], threshold), strict=True)  # fmt: skip
                ],
                hoverinfo="text",
            )
        )
    fig.update_xaxes(title="mean tone (−1 hostile … +1 warm)", **TONE_AXIS)
    return style(fig, present=present, height=max(260, (56 if present else 36) * df["speaker_country"].nunique() + 140))
