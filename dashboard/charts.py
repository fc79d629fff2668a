"""Charts: pure functions from a query's DataFrame to a plotly Figure.

Conventions every chart keeps, so pages and tests can rely on them:

- each actor or speaker country has its colour from ``dashboard.colors``;
- every hover shows the n behind the value, and means over fewer than
  ``low_n`` statements are drawn hollow (or faded) and say so in the hover;
- drillable traces carry ``customdata`` rows of ``DRILL_FIELDS``
  (speaker_country, actor, start, end), which ``drill_filters`` turns into the
  filters for the statements behind a clicked point;
- ``present=True`` gives the presenter variant: larger type, thicker lines;
- timelines colour the focus (the actors the filters name, else ``colors.FOCUS``), draw the rest
  in grey, label each line at its end instead of a legend, and leave a gap (never a zero) where
  the corpus holds no statements for the period;
- dated events: key ones (importance 1) get a labelled line, the others a marker whose hover
  names them; a click on an event's marker carries ``(EVENT, date)`` as its customdata.
- every name or label from the data enters a figure through ``plotly_text``,
  so plotly draws its ``<a>``, ``<b>`` or ``<br>`` as characters (customdata stays raw).
"""

from __future__ import annotations

import calendar
import math
import textwrap
from collections.abc import Sequence
from datetime import date

import pandas as pd
import plotly.graph_objects as go
from plotly.subplots import make_subplots

from dashboard import settings
from dashboard.colors import BAND_COLORS, CONTEXT, CONTEXT_TEXT, FOCUS, TONE_SCALE, actor_color
from dashboard.filters import Filters, shift
from dashboard.records import TONE_BANDS
from dashboard.safe import plotly_text

DRILL_FIELDS = ("speaker_country", "actor", "start", "end")
OTHER = "Other"
EVENT = "event"  # the first customdata field of an event marker
#: Small multiples: at most this many panels (the rest are named in the page's caption), in rows of
#: PANEL_COLUMNS.
MAX_PANELS = 9
PANEL_COLUMNS = 3
#: The width of a timeline's plot area the label layouts assume (pixels; wide layout at 1400 and
#: presenter mode at 1920): labels are placed apart at this width, and further apart when wider.
PLOT_WIDTH = {False: 700, True: 1450}
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
    """Type and marks in pixels. Presenter mode is for the back of a room on a 1920×1080 screen:
    titles of 24 px and more, ticks and labels of 18 px and more, a chart that fills the screen."""
    if present:
        return {"font": 20, "title": 28, "panel": 24, "label": 18, "line": 4, "marker": 12, "height": 640,
                "panel_height": 270}  # fmt: skip
    return {"font": 13, "title": 17, "panel": 15, "label": 13, "line": 2, "marker": 7, "height": 440,
            "panel_height": 190}  # fmt: skip


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
    if not point or point[0] == EVENT:
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


def clicked_event(point: Sequence | None) -> date | None:
    """The date of the event whose marker was clicked (a point's ``customdata``), else None."""
    if point and len(point) >= 2 and point[0] == EVENT and point[1]:
        return date.fromisoformat(str(point[1]))
    return None


def focus_codes(codes: Sequence[str], focus: Sequence[str] | None, n: dict[str, float]) -> set[str]:
    """The series a timeline colours: the ones the filters name, else the South Caucasus, else
    the three largest (a chart with no focus series in it would be all grey)."""
    present = [c for c in codes if c != OTHER]
    for wanted in (focus or (), FOCUS):
        chosen = {c for c in present if c in set(wanted)}
        if chosen:
            return chosen
    return set(sorted(present, key=lambda c: -n.get(c, 0))[:3])


def spread(values: Sequence[float], gap: float, low: float, high: float) -> list[float]:
    """``values`` moved apart until neighbours are at least ``gap`` apart, kept in [low, high]
    where there is room, in their order: a run of values too close together is spaced evenly
    around its mean, so each label stays as near its line as the others let it."""
    order = sorted(range(len(values)), key=lambda i: values[i])
    runs: list[list] = []  # [first position, the values of the run]

    def place(run: list) -> None:
        size = len(run[1])
        start = sum(run[1]) / size - gap * (size - 1) / 2
        run[0] = max(low, min(start, high - gap * (size - 1))) if gap * (size - 1) <= high - low else low

    for i in order:
        runs.append([float(values[i]), [float(values[i])]])
        place(runs[-1])
        while len(runs) > 1 and runs[-2][0] + gap * len(runs[-2][1]) > runs[-1][0]:
            last = runs.pop()
            runs[-1][1].extend(last[1])
            place(runs[-1])
    placed = [run[0] + gap * k for run in runs for k in range(len(run[1]))]
    out = [0.0] * len(values)
    for rank, i in enumerate(order):
        out[i] = placed[rank]
    return out


def _text_width(text: str, font_px: float) -> float:
    """Pixels a label takes, estimated (no fonts are measured in a pure chart function)."""
    return len(text) * font_px * 0.58 + 8


def _days(value) -> float:
    """Days since 1970, for any date a timeline can hold (nanoseconds overflow after 2262)."""
    return int(pd.Timestamp(value).asm8.astype("datetime64[s]").astype("int64")) / 86_400


def end_label_positions(ends: list[tuple], x_range: tuple, y_range: tuple, plot_px: tuple,
                        font_px: float) -> list[float]:  # fmt: skip
    """The y of each line's end label: its last value, nudged apart from labels beside it.

    ``ends`` are (x, y, text); labels whose boxes would share a stretch of the x axis form a
    group, and the labels of a group are spread to a line height apart.
    """
    (x0, x1), (y0, y1), (width, height) = x_range, y_range, plot_px
    per_day = width / max(_days(x1) - _days(x0), 1)
    boxes = [(_days(x) * per_day, _days(x) * per_day + _text_width(t, font_px)) for x, _, t in ends]
    groups: list[list[int]] = []
    for i in sorted(range(len(ends)), key=lambda i: boxes[i][0]):
        if groups and boxes[i][0] < max(boxes[j][1] for j in groups[-1]):
            groups[-1].append(i)
        else:
            groups.append([i])
    gap = font_px * 1.25 / height * (y1 - y0)
    out = [float(y) for _, y, _ in ends]
    for group in groups:
        for i, y in zip(group, spread([out[i] for i in group], gap, y0, y1), strict=True):
            out[i] = y
    return out


def event_label_levels(days: Sequence, texts: Sequence[str], x_range: tuple, width_px: float,
                       font_px: float, levels: int = 2) -> list[tuple[int, str] | None]:  # fmt: skip
    """Where each key event's label goes: (level, "left" or "right" anchor), or None when it
    would overlap a label on every level (the event then keeps its marker and hover).

    Labels start at their event and run right (or end at it and run left near the right edge);
    each takes the lowest level where it clears the labels already there.
    """
    x0, x1 = (_days(v) for v in x_range)
    per_day = width_px / max(x1 - x0, 1)
    taken: list[list[tuple[float, float]]] = [[] for _ in range(levels)]
    out: list[tuple[int, str] | None] = []
    for day, text in zip(days, texts, strict=True):
        x = (_days(day) - x0) * per_day
        w = _text_width(text, font_px)
        anchor = "left" if x + w <= width_px + 40 else "right"  # 40 px may run into the right margin
        box = (x, x + w) if anchor == "left" else (x - w, x)
        for level in range(levels):
            if all(box[1] + 6 <= a or box[0] >= b + 6 for a, b in taken[level]):
                taken[level].append(box)
                out.append((level, anchor))
                break
        else:
            out.append(None)
    return out


def _event_hover(day: date, label, description) -> str:
    text = f"<b>{day}: {plotly_text(label)}</b>"
    if isinstance(description, str) and description:
        text += "<br>" + "<br>".join(textwrap.wrap(plotly_text(description), 70, break_long_words=False))
    return text + "<br><i>click: tone before and after</i>"


def _importance(events: pd.DataFrame) -> list[int]:
    if "importance" not in events:
        return [2] * len(events)
    return [int(v) if v == v and v is not None else 2 for v in events["importance"]]


def _short(events: pd.DataFrame) -> list[str]:
    shorts = events["short"] if "short" in events else events["label"]
    return [str(s if isinstance(s, str) and s else lbl)[:28] for s, lbl in zip(shorts, events["label"], strict=True)]


def add_events(fig: go.Figure, events: pd.DataFrame | None, present: bool = False,
               x_range: tuple | None = None) -> go.Figure:  # fmt: skip
    """Dated events in a strip above the plot: every event a marker that names it on hover and
    opens its before/after on a click; key events also a dotted line and a short label, set on
    two levels so that no label covers another (one that cannot be placed keeps its marker)."""
    if events is None or events.empty:
        return fig
    size = _sizes(present)
    days = [_day(d) for d in events["date"]]
    key = [k == 1 for k in _importance(events)]
    font = size["label"] - 1
    height = fig.layout.height or size["height"]
    plot_px = height - 90
    strip = min(0.3, 3.2 * font * 1.3 / plot_px)
    fig.update_layout(
        yaxis=dict(domain=[0, 1 - strip]),
        yaxis2=dict(domain=[1 - strip + 0.01, 1.0], anchor="x", range=[0, 3], visible=False, fixedrange=True),
    )
    for day, is_key in zip(days, key, strict=True):
        if is_key:
            fig.add_shape(type="line", x0=day, x1=day, y0=0, y1=1 - strip, yref="paper",
                          line=dict(color="#777777", width=1, dash="dot"), layer="below")  # fmt: skip
    fig.add_trace(
        go.Scatter(
            x=days,
            y=[0.45] * len(days),
            yaxis="y2",
            mode="markers",
            marker=dict(symbol="triangle-down", size=[size["marker"] + (5 if k else 1) for k in key],
                        color=["#333333" if k else "#9A9A9A" for k in key]),  # fmt: skip
            name="events",
            customdata=[[EVENT, d.isoformat()] for d in days],
            hovertext=[_event_hover(d, lbl, desc) for d, lbl, desc in
                       zip(days, events["label"], events.get("description", [None] * len(days)), strict=True)],  # fmt: skip
            hoverinfo="text",
            showlegend=False,
        )
    )
    shown = [(d, t) for d, t, k in zip(days, _short(events), key, strict=True) if k]
    if shown:
        x_range = x_range or (min(days), max(days))
        places = event_label_levels([d for d, _ in shown], [t for _, t in shown], x_range,
                                    PLOT_WIDTH[present], font)  # fmt: skip
        for (day, text), place in zip(shown, places, strict=True):
            if place is None:
                continue
            level, anchor = place
            fig.add_annotation(x=day, y=1.05 + level, yref="y2", text=plotly_text(text), showarrow=False,
                               xanchor=anchor, yanchor="middle", xshift=-3 if anchor == "right" else 3,
                               font=dict(size=font, color="#333333"))  # fmt: skip
    return fig


def _series(part: pd.DataFrame, full: pd.DatetimeIndex, covered: set, columns: dict) -> pd.DataFrame:
    """One series on every period of the chart: its rows where it has some; elsewhere ``columns``'
    value (0 for counts) where the corpus holds statements of the period, else NaN (a gap)."""
    out = part.assign(period=pd.to_datetime(part["period"])).set_index("period").reindex(full)
    out.index.name = "period"
    missing = out[next(iter(columns))].isna()
    has_data = pd.Series([p in covered for p in full], index=full)
    for column, value in columns.items():
        out[column] = out[column].astype(float)
        out.loc[missing & has_data, column] = value
    return out.reset_index()


def _periods(df: pd.DataFrame, granularity: str) -> pd.DatetimeIndex:
    periods = pd.to_datetime(df["period"])
    if granularity not in FREQ:
        return pd.DatetimeIndex(sorted(periods.unique()))
    # Counted before it is built: a stray date in year 9999 would make millions of periods.
    if (periods.max() - periods.min()).days / DAYS_PER_PERIOD[granularity] > MAX_PERIODS:
        return pd.DatetimeIndex(sorted(periods.unique()))
    return pd.date_range(periods.min(), periods.max(), freq=FREQ[granularity])


def _covered(coverage: pd.DataFrame | None, codes: set | None = None, exclude: set | None = None) -> set:
    """The periods in which the corpus holds statements (of ``codes``, or of any country but
    ``exclude``, or of anyone)."""
    if coverage is None or coverage.empty:
        return set()
    rows = coverage[coverage["n"] > 0]
    if codes is not None:
        rows = rows[rows["speaker_country"].isin(codes)]
    if exclude is not None:
        rows = rows[rows["speaker_country"].notna() & ~rows["speaker_country"].isin(exclude)]
    return set(pd.to_datetime(rows["period"]))


#: When a grey line rises more than this many times above the highest coloured one, the y axis fits
#: the coloured lines and the grey ones run off the top (said on the chart): else the focus would
#: be a flat line along the bottom.
ZOOM = 3


def value_range(series: list[dict]) -> tuple[float, list[tuple[str, float]]]:
    """The top of the y axis, and the context lines that run off it with their highest value."""
    def peak(s):
        return max((v for v in s["y"] if v == v and v is not None), default=0)

    focus = max((peak(s) for s in series if s["focus"]), default=0)
    every = max((peak(s) for s in series), default=0) or 1
    if focus and every > ZOOM * focus:
        top = focus * 1.15
        return top, [(s["label"], peak(s)) for s in series if peak(s) > top]
    return every * 1.08, []


def _line_chart(series: list[dict], present: bool, events: pd.DataFrame | None, x_range: tuple,
                y_title: str) -> go.Figure:  # fmt: skip
    """Lines in focus and context: grey lines first (under), coloured ones on top, each labelled
    at its end (labels nudged apart), no legend; events in a strip above."""
    size = _sizes(present)
    top, off = value_range(series)
    y_range = (0, top)
    fig = go.Figure()
    series = sorted(series, key=lambda s: s["focus"])
    for s in series:
        color = s["color"] if s["focus"] else CONTEXT
        fig.add_trace(
            go.Scatter(
                x=s["x"], y=s["y"], mode="lines+markers", name=plotly_text(s["label"]),
                line=dict(color=color, width=size["line"] if s["focus"] else max(1, size["line"] - 1)),
                marker=dict(size=size["marker"] - (2 if s["focus"] else 4), color=color),
                connectgaps=False, customdata=s["customdata"], text=s["text"], hovertemplate=s["hover"],
                meta=plotly_text(s["label"]),
                showlegend=False,
            )
        )  # fmt: skip
    fig.update_layout(height=size["height"])
    add_events(fig, events, present, x_range)
    domain_top = fig.layout.yaxis.domain[1] if fig.layout.yaxis.domain else 1.0
    ends = []
    for s in series:
        known = [(x, y) for x, y in zip(s["x"], s["y"], strict=True) if y == y and y is not None]
        if known:
            text = short_label(s["code"], s["names"]) + (" ↑" if known[-1][1] > top else "")
            ends.append((known[-1][0], min(known[-1][1], top), text, s))
    plot_px = (PLOT_WIDTH[present], (size["height"] - 90) * domain_top)
    ys = end_label_positions([(x, y, t) for x, y, t, _ in ends], x_range, y_range, plot_px, size["label"])
    for (x, _, text, s), y in zip(ends, ys, strict=True):
        fig.add_annotation(x=x, y=y, text=text, showarrow=False, xanchor="left", xshift=6,  # escaped
                           yanchor="middle", font=dict(size=size["label"] if s["focus"] else size["label"] - 1,
                           color=s["color"] if s["focus"] else CONTEXT_TEXT))  # fmt: skip
    if off:
        note = "Off the top: " + ", ".join(f"{plotly_text(name)} (up to {peak:,.0f})" for name, peak in off)
        fig.add_annotation(x=0.01, y=domain_top, xref="paper", yref="paper", xanchor="left", yanchor="top",
                           text=note, showarrow=False, bgcolor="rgba(255,255,255,0.85)",
                           font=dict(size=size["label"] - 1, color=CONTEXT_TEXT))  # fmt: skip
    width = max((_text_width(t, size["label"]) for _, _, t, _ in ends), default=20)
    fig.update_xaxes(range=list(x_range))
    fig.update_layout(yaxis=dict(title=y_title, range=list(y_range)))  # not the events' strip
    style(fig, present=present, height=size["height"])
    fig.update_layout(showlegend=False, margin=dict(r=int(width) + 16, t=20))
    return fig


def _x_range(full: pd.DatetimeIndex, events: pd.DataFrame | None) -> tuple:
    days = [pd.Timestamp(d) for d in events["date"]] if events is not None and not events.empty else []
    lo, hi = min([full.min(), *days]), max([full.max(), *days])
    if lo == hi:
        lo, hi = lo - pd.Timedelta(days=15), hi + pd.Timedelta(days=15)
    return lo, hi


def statements_timeline(
    df: pd.DataFrame,
    measure: str = "n",
    granularity: str = "month",
    events: pd.DataFrame | None = None,
    present: bool = False,
    names: dict[str, str] | None = None,
    coverage: pd.DataFrame | None = None,
    focus: Sequence[str] | None = None,
) -> go.Figure:
    """Statements over time per speaker country: count (``n``) or share of all statements.

    ``coverage`` (``queries.documents_over_time``) tells a period where a country said nothing the
    filters ask for (a zero) from one where the corpus has nothing of it (a gap); without it every
    missing period is a gap. "Other" (every country beyond the top ones) would flatten the named
    lines of a count: it is drawn on the share view only.
    """
    if df.empty:
        return empty_figure("No dated statements match these filters.", present)
    names = names or {}
    full = _periods(df, granularity)
    named = set(df["speaker_country"]) - {OTHER}
    totals = df.groupby("speaker_country")["n"].sum().to_dict()
    chosen = focus_codes(list(totals), focus, totals)
    per_period = df.groupby(pd.to_datetime(df["period"]))["n"].sum()
    series = []
    for country, part in df.groupby("speaker_country", sort=False):
        if country == OTHER and measure != "share":
            continue
        covered = _covered(coverage, exclude=named) if country == OTHER else _covered(coverage, {country})
        part = _series(part, full, covered, {"n": 0, "share": 0.0})
        all_n = [per_period.get(p, 0) for p in part["period"]]
        y = part["share"] * 100 if measure == "share" else part["n"]
        label = names.get(country, country)
        series.append({
            "code": country, "names": names, "label": label, "color": actor_color(country),
            "focus": country in chosen, "x": list(part["period"]), "y": list(y),
            "customdata": _drill_rows(part, speaker_country="speaker_country", granularity=granularity)
            if country != OTHER else None,
            "text": [f"n={n:g} of {t:g}" if n == n else "" for n, t in zip(part["n"], all_n, strict=True)],
            "hover": "<b>%{meta}</b><br>%{x|%Y-%m-%d}<br>"
            + ("%{y:.1f}% of statements" if measure == "share" else "%{y} statements")
            + "<br>%{text}<extra></extra>",
        })  # fmt: skip
    for s in series:  # customdata rows name the series; "Other" drills into every country
        if s["customdata"] is None:
            s["customdata"] = [[None, None, row[2], row[3]] for row in
                               _drill_rows(pd.DataFrame({"period": s["x"]}), granularity=granularity)]  # fmt: skip
    return _line_chart(series, present, events, _x_range(full, events),
                       "% of all statements" if measure == "share" else "statements")  # fmt: skip


def panel_order(df: pd.DataFrame, cap: int = MAX_PANELS, key: str = "speaker_country",
                focus: Sequence[str] | None = None) -> tuple[list, list]:  # fmt: skip
    """The series of a small-multiples chart, largest n first: those drawn (up to ``cap``) and the rest.

    The focus series (the filters' countries, else the South Caucasus) always get a panel when the
    data hold them, so a smaller Georgia is never dropped for a larger France.
    """
    totals = df.groupby(key)["n"].sum().sort_values(ascending=False, kind="stable")
    order = sorted(totals.index, key=lambda c: (-totals[c], str(c)))
    kept = focus_codes(order, focus, totals.to_dict()) if len(order) > cap else set()
    kept = set(sorted(kept, key=order.index)[:cap])
    shown = set(sorted(kept, key=order.index) + [c for c in order if c not in kept][: cap - len(kept)])
    return [c for c in order if c in shown], [c for c in order if c not in shown]


def tone_timeline(
    df: pd.DataFrame,
    granularity: str = "month",
    events: pd.DataFrame | None = None,
    present: bool = False,
    names: dict[str, str] | None = None,
    threshold: int | None = None,
    cap: int = MAX_PANELS,
    focus: Sequence[str] | None = None,
) -> go.Figure:
    """Mean tone over time as small multiples: one panel per speaker country (largest n first, at
    most ``cap``), shared axes, each with its 95% band and, in grey, the other panels' lines for
    context; means over few statements hollow; key events as dotted lines in every panel."""
    if df.empty:
        return empty_figure("No scored statements match these filters.", present)
    names = names or {}
    threshold = threshold or low_n()
    size = _sizes(present)
    shown, _ = panel_order(df, cap, focus=focus)
    full = _periods(df, granularity)
    totals = df.groupby("speaker_country")["n"].sum()
    columns = min(PANEL_COLUMNS, len(shown))
    rows = math.ceil(len(shown) / columns)
    titles = [f"{plotly_text(names.get(c, c))}  <span style='color:#777'>n={int(totals[c]):,}</span>" for c in shown]
    fig = make_subplots(rows=rows, cols=columns, shared_xaxes="all", shared_yaxes="all", subplot_titles=titles,
                        horizontal_spacing=0.05, vertical_spacing=0.5 / rows / 2 + 0.03)  # fmt: skip
    lines = {}
    for country in shown:
        part = df[df["speaker_country"] == country].sort_values("period")
        lines[country] = _series(part, full, set(), {"n": 0, "mean_tone": None, "sd": None, "lo": None, "hi": None})
    for index, country in enumerate(shown):
        row, col = index // columns + 1, index % columns + 1
        for other in shown:  # context first, so that the panel's own line is drawn over it
            if other != country:
                fig.add_trace(go.Scatter(x=lines[other]["period"], y=lines[other]["mean_tone"], mode="lines",
                                         line=dict(color=CONTEXT, width=1), connectgaps=False, hoverinfo="skip",
                                         showlegend=False, name=f"{plotly_text(other)} (context)", opacity=0.7),
                              row=row, col=col)  # fmt: skip
        _tone_panel(fig, lines[country], country, names.get(country, country), granularity, threshold, size,
                    row, col)  # fmt: skip
    key = [] if events is None or events.empty else [
        _day(d) for d, k in zip(events["date"], _importance(events), strict=True) if k == 1]  # fmt: skip
    for day in key:
        fig.add_vline(x=day, line=dict(color="#999999", width=1, dash="dot"), layer="below")
    fig.update_yaxes(**TONE_AXIS, tickvals=[-1, 0, 1], ticktext=["−1", "0", "+1"])
    x_range = _x_range(full, None)
    fig.update_xaxes(range=list(x_range), nticks=5)
    for index in range(len(shown)):  # a panel with no panel below it shows its own dates
        if index + columns >= len(shown):
            fig.update_xaxes(showticklabels=True, row=index // columns + 1, col=index % columns + 1)
    style(fig, present=present, height=rows * size["panel_height"] + 70)
    for annotation in fig.layout.annotations:
        annotation.font = dict(size=size["panel"], family=FONT)
    fig.update_layout(showlegend=False, margin=dict(t=50, r=20))
    return fig


def _tone_panel(fig, part, country, label, granularity, threshold, size, row, col) -> None:
    """One country's mean tone in its panel: band, line, hollow markers for few statements."""
    color = actor_color(country)
    isolated = []
    for segment in band_segments(part):
        if len(segment) == 1:
            isolated.extend(segment.index)
            continue
        fig.add_trace(
            go.Scatter(
                x=list(segment["period"]) + list(segment["period"])[::-1],
                y=list(segment["hi"].clip(upper=1)) + list(segment["lo"].clip(lower=-1))[::-1],
                fill="toself", fillcolor=color, opacity=0.2, line=dict(width=0), hoverinfo="skip",
                showlegend=False, name=f"{plotly_text(country)} 95% band",
            ),
            row=row, col=col,
        )  # fmt: skip
    # a point with no neighbour gets its interval as an error bar instead of a band
    up = [(h - m) if i in isolated else None for i, m, h in zip(part.index, part["mean_tone"], part["hi"], strict=True)]
    down = [(m - lo) if i in isolated else None for i, m, lo in zip(part.index, part["mean_tone"], part["lo"], strict=True)]
    part = part.assign(speaker_country=country)
    fig.add_trace(
        go.Scatter(
            x=part["period"], y=part["mean_tone"], mode="lines+markers", name=plotly_text(country),
            line=dict(color=color, width=size["line"]), connectgaps=False,
            marker=dict(size=size["marker"] - 2, symbol=_hollow(part["n"], threshold), line=dict(color=color, width=2),
                        color=color),
            error_y=dict(type="data", symmetric=False, array=up, arrayminus=down, color=color, thickness=1, width=3,
                         visible=bool(isolated)),
            customdata=_drill_rows(part, speaker_country="speaker_country", granularity=granularity),
            text=[f"n={n:g}{note}" for n, note in zip(part["n"], _reliability(part["n"], threshold), strict=True)],
            meta=plotly_text(label),  # the name goes in as a value: a template would read its %{...}
            hovertemplate="<b>%{meta}</b><br>%{x|%Y-%m-%d}<br>mean tone %{y:+.2f}<br>%{text}"
            "<extra></extra>",
            showlegend=False,
        ),
        row=row, col=col,
    )  # fmt: skip


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
    # presenter mode: the whole chart on a 1080-pixel screen (a bar is 30 px or more at 25 bars)
    height = max(300, 28 * len(df) + 80) if not present else min(max(420, 40 * len(df) + 100), 860)
    return style(fig, present=present, height=height)


def mentions_timeline(
    df: pd.DataFrame,
    granularity: str = "month",
    events: pd.DataFrame | None = None,
    present: bool = False,
    names: dict[str, str] | None = None,
    coverage: pd.DataFrame | None = None,
    focus: Sequence[str] | None = None,
) -> go.Figure:
    """Mentions of the most mentioned actors over time, the focus in colour and the rest in grey.

    A period in which the corpus holds statements but none mentions an actor is a zero; one in
    which it holds none (``coverage``, or the frame itself when not given) is a gap.
    """
    if df.empty:
        return empty_figure("No dated mentions match these filters.", present)
    names = names or {}
    full = _periods(df, granularity)
    covered = _covered(coverage) if coverage is not None else set(pd.to_datetime(df["period"]))
    totals = df.groupby("actor")["n"].sum().to_dict()
    chosen = focus_codes(list(totals), focus, totals)
    series = []
    for actor, part in df.groupby("actor", sort=False):
        part = _series(part.sort_values("period"), full, covered, {"n": 0})
        label = names.get(actor, actor)
        part = part.assign(actor=actor)
        series.append({
            "code": actor, "names": names, "label": label, "color": actor_color(actor), "focus": actor in chosen,
            "x": list(part["period"]), "y": list(part["n"]),
            "customdata": _drill_rows(part, actor="actor", granularity=granularity),
            "text": None,
            "hover": "<b>%{meta}</b><br>%{x|%Y-%m-%d}<br>n=%{y} mentions<extra></extra>",
        })  # fmt: skip
    return _line_chart(series, present, events, _x_range(full, events), "mentions")


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
