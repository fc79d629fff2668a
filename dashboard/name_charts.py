"""Charts of the Names page: pure functions from ``queries.names_by_*`` frames to plotly figures.

Both keep the conventions of ``dashboard.charts``: every hover gives the n, every label from the
data goes through ``safe.plotly_text``, and clickable marks carry ``customdata`` rows of
``NAME_DRILL`` (variant, speaker_country, year), which the page turns into its drill-down.
"""

from __future__ import annotations

import pandas as pd
import plotly.graph_objects as go

from dashboard.charts import _sizes, empty_figure, style
from dashboard.safe import plotly_text

NAME_DRILL = ("variant", "speaker_country", "year")
#: Paul Tol's "bright" scheme: no variant shares a colour with a country of the other charts' focus.
VARIANT_COLORS = ("#4477AA", "#EE6677", "#228833", "#CCBB44", "#66CCEE", "#AA3377", "#BBBBBB")


def variant_colors(variants: list[str]) -> dict[str, str]:
    """A colour per variant, by its place in the names table (so the same on both charts)."""
    return {v: VARIANT_COLORS[i % len(VARIANT_COLORS)] for i, v in enumerate(variants)}


def names_heat_table(df: pd.DataFrame, variants: list[str], present: bool = False) -> go.Figure:
    """Speaker country x variant: each cell the share of the country's statements naming the place
    that use the variant, with its n; the rows ordered by how often the country names the place.

    Square markers rather than a heatmap, because Streamlit reports clicks on scatter points only.
    """
    if df.empty:
        return empty_figure("No statement of a speaker country names this place under these filters.", present)
    size = _sizes(present)
    used = [v for v in variants if v in set(df["variant"])]
    rows = df.drop_duplicates("speaker_country")  # ordered by total, largest first
    labels = {c: plotly_text(f"{name} (n={total})") for c, name, total in
              zip(rows["speaker_country"], rows["name"], rows["total"], strict=True)}  # fmt: skip
    cell = (62 if present else 48)
    fig = go.Figure(
        go.Scatter(
            x=[plotly_text(v) for v in df["variant"]],
            y=[labels[c] for c in df["speaker_country"]],
            mode="markers+text",
            marker=dict(symbol="square", size=cell, color=df["share"], colorscale="Blues", cmin=0, cmax=1,
                        line=dict(color="#888", width=0.5),
                        colorbar=dict(title="share", tickformat=".0%", len=0.8)),  # fmt: skip
            text=[f"{s:.0%}<br>n={n}" for s, n in zip(df["share"], df["n"], strict=True)],
            textfont=dict(size=size["font"] - 2, color=["#FFFFFF" if s > 0.6 else "#111111" for s in df["share"]]),
            customdata=[[v, c, None] for v, c in zip(df["variant"], df["speaker_country"], strict=True)],
            hovertext=[
                f"<b>{plotly_text(name)}</b> says <b>{plotly_text(v)}</b><br>"
                f"in {n} of its {t} statements naming the place ({s:.0%})"
                for name, v, n, t, s in zip(df["name"], df["variant"], df["n"], df["total"], df["share"], strict=True)
            ],
            hoverinfo="text",
            showlegend=False,
            name="names by speaker country",
        )
    )
    fig.update_xaxes(categoryorder="array", categoryarray=[plotly_text(v) for v in used], side="top",
                     title=None, showgrid=False)  # fmt: skip
    fig.update_yaxes(categoryorder="array", categoryarray=[labels[c] for c in reversed(list(labels))],
                     title=None, showgrid=False)  # fmt: skip
    fig = style(fig, present=present, height=max(300, int(cell * 1.12 * len(labels)) + 150))
    fig.update_layout(margin=dict(t=70))
    return fig


def names_by_year_chart(df: pd.DataFrame, variants: list[str], present: bool = False) -> go.Figure:
    """Statements naming the place per year, stacked by the variant they use, each bar with its n."""
    if df.empty:
        return empty_figure("No dated statement of a speaker country names this place under these filters.", present)
    colors = variant_colors(variants)
    fig = go.Figure()
    for variant in [v for v in variants if v in set(df["variant"])]:
        part = df[df["variant"] == variant]
        fig.add_trace(
            go.Bar(
                x=part["year"],
                y=part["n"],
                name=plotly_text(variant),
                marker_color=colors[variant],
                customdata=[[variant, None, int(y)] for y in part["year"]],
                hovertext=[
                    f"<b>{plotly_text(variant)}</b>, {int(y)}<br>{n} of {t} statements naming the place ({s:.0%})"
                    for y, n, t, s in zip(part["year"], part["n"], part["total"], part["share"], strict=True)
                ],
                hoverinfo="text",
            )
        )
    totals = df.groupby("year").agg(height=("n", "sum"), total=("total", "first")).reset_index()
    fig.add_trace(
        go.Scatter(x=totals["year"], y=totals["height"], mode="text", text=[f"n={t}" for t in totals["total"]],
                   textposition="top center", hoverinfo="skip", showlegend=False,
                   textfont=dict(size=_sizes(present)["font"] - 3, color="#555"))  # fmt: skip
    )
    fig.update_layout(barmode="stack")
    fig.update_xaxes(dtick=1 if df["year"].nunique() <= 15 else None, title=None)
    fig.update_yaxes(title="statements", range=[0, totals["height"].max() * 1.18])  # room for the n labels
    return style(fig, present=present)
