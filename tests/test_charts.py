"""Charts are pure: check traces, values, colours and the marking of small n."""

from datetime import date

import pandas as pd
import pytest

from dashboard import charts as C
from dashboard.colors import ACTOR_COLORS, actor_color
from dashboard.filters import Filters


def tone_frame():
    return pd.DataFrame(
        {
            "period": pd.to_datetime(["2024-01-01", "2024-02-01", "2024-01-01"]),
            "speaker_country": ["ARM", "ARM", "RUS"],
            "n": [12, 3, 7],
            "mean_tone": [-0.2, 0.1, 0.4],
            "sd": [0.3, 0.2, 0.1],
            "lo": [-0.37, -0.13, 0.33],
            "hi": [-0.03, 0.33, 0.47],
        }
    )


def test_one_colour_per_actor_everywhere_and_a_stable_fallback():
    assert actor_color("RUS") == ACTOR_COLORS["RUS"] == actor_color("rus")
    assert actor_color("KAZ") == actor_color("KAZ")
    assert len(set(ACTOR_COLORS.values())) == len(ACTOR_COLORS)


def test_tone_timeline_marks_means_over_few_statements_hollow():
    fig = C.tone_timeline(tone_frame(), granularity="month", threshold=5)
    arm = next(t for t in fig.data if t.name == "ARM" and t.mode == "lines+markers")
    assert list(arm.marker.symbol) == ["circle", "circle-open"]
    assert arm.line.color == actor_color("ARM")
    assert "n=3" in arm.text[1] and "unreliable" in arm.text[1]
    assert list(arm.y) == [-0.2, 0.1]


def test_tone_timeline_draws_a_band_only_where_there_are_two_points():
    fig = C.tone_timeline(tone_frame(), threshold=5)
    bands = [t for t in fig.data if t.fill == "toself"]
    assert [b.name for b in bands] == ["ARM 95% band"]


def test_timeline_points_drill_down_to_their_period():
    fig = C.tone_timeline(tone_frame(), granularity="month", threshold=5)
    arm = next(t for t in fig.data if t.name == "ARM" and t.mode == "lines+markers")
    f = C.drill_filters(Filters(actor=("AZE",)), arm.customdata[1])
    assert f == Filters(start=date(2024, 2, 1), end=date(2024, 2, 29), speaker_country=("ARM",), actor=("AZE",))


def test_drill_keeps_the_narrower_of_the_two_date_ranges():
    f = C.drill_filters(Filters(start=date(2024, 2, 10)), ["ARM", None, "2024-02-01", "2024-02-29"])
    assert (f.start, f.end) == (date(2024, 2, 10), date(2024, 2, 29))
    assert C.drill_filters(Filters(), ["Other", None, None, None]) == Filters()


@pytest.mark.parametrize(
    ("start", "granularity", "end"),
    [(date(2024, 12, 1), "month", date(2024, 12, 31)), (date(2024, 1, 1), "year", date(2024, 12, 31)),
     (date(2024, 1, 1), "week", date(2024, 1, 7)), (date(2024, 1, 1), "day", date(2024, 1, 1))],
)  # fmt: skip
def test_period_end(start, granularity, end):
    assert C.period_end(start, granularity) == end


@pytest.mark.parametrize("granularity", ["day", "week", "month", "year"])
def test_the_last_period_a_date_can_hold_ends_on_9999_12_31(granularity):
    start = {"day": date(9999, 12, 31), "week": date(9999, 12, 27), "month": date(9999, 12, 1),
             "year": date(9999, 1, 1)}[granularity]  # fmt: skip
    assert C.period_end(start, granularity) == date(9999, 12, 31)


@pytest.mark.parametrize("granularity", ["day", "week", "month", "year"])
def test_a_timeline_reaching_year_9999_draws_its_points_and_drills_to_them(granularity):
    df = pd.DataFrame({"period": pd.to_datetime(["2024-01-01", "9999-12-27"]), "speaker_country": ["ARM"] * 2,
                       "n": [3, 1], "share": [1.0, 1.0]})  # fmt: skip
    trace = C.statements_timeline(df, "n", granularity=granularity).data[0]
    assert list(trace.y) == [3, 1]  # eight thousand years of empty periods are not filled in
    last_day = "9999-12-27" if granularity == "day" else "9999-12-31"
    assert list(trace.customdata[-1][2:]) == [str(df["period"].iloc[-1].date()), last_day]


def test_statements_timeline_count_and_share():
    df = pd.DataFrame({"period": pd.to_datetime(["2024-01-01"] * 2), "speaker_country": ["ARM", "Other"],
                       "n": [3, 1], "share": [0.75, 0.25]})  # fmt: skip
    count = C.statements_timeline(df, "n")
    share = C.statements_timeline(df, "share")
    assert [list(t.y) for t in count.data] == [[3], [1]]
    assert [list(t.y) for t in share.data] == [[75.0], [25.0]]
    assert "n=3 of 4" in count.data[0].text[0]


def test_mentions_bar_colours_each_actor_and_prints_n():
    df = pd.DataFrame({"actor": ["ARM", "RUS"], "name": ["Armenia", "Russia"], "n": [10, 4],
                       "n_tone": [10, 4], "mean_tone": [0.1, -0.3]})  # fmt: skip
    bar = C.mentions_bar(df, threshold=5).data[0]
    assert list(bar.y) == ["Russia", "Armenia"]  # ascending, so the largest is on top
    assert list(bar.marker.color) == [actor_color("RUS"), actor_color("ARM")]
    assert list(bar.text) == ["4", "10"]
    assert "unreliable" in bar.hovertext[0] and "unreliable" not in bar.hovertext[1]
    assert list(bar.customdata[0]) == [None, "RUS", None, None]


def test_who_matrix_prints_n_colours_by_tone_and_fades_small_cells():
    df = pd.DataFrame({"speaker_country": ["ARM", "AZE"], "actor": ["AZE", "ARM"], "n": [12, 2],
                       "n_tone": [12, 2], "mean_tone": [-0.5, 0.2]})  # fmt: skip
    cells = C.who_matrix(df, threshold=5).data[0]
    assert list(cells.text) == ["12", "2"]
    assert list(cells.marker.color) == [-0.5, 0.2]
    assert (cells.marker.cmin, cells.marker.cmax) == (-1, 1)
    assert list(cells.marker.opacity) == [1.0, 0.35]
    assert list(cells.customdata[0]) == ["ARM", "AZE", None, None]


def test_tone_compare_uses_actor_colours_and_intervals():
    df = pd.DataFrame({"actor": ["ARM", "EU"], "name": ["Armenia", "EU"], "n": [20, 2],
                       "mean_tone": [-0.1, 0.6], "sd": [0.2, 0.1], "lo": [-0.19, 0.46], "hi": [-0.01, 0.74]})  # fmt: skip
    dots = C.tone_compare(df, threshold=5).data[0]
    assert list(dots.marker.color) == [actor_color("ARM"), actor_color("EU")]
    assert list(dots.marker.symbol) == ["circle", "circle-open"]
    assert list(dots.text) == ["n=20", "n=2"]
    assert list(dots.error_x.array) == pytest.approx([0.09, 0.14])


def test_tone_band_bars_stack_bands_in_order():
    df = pd.DataFrame({"actor": ["ARM", "ARM"], "band": ["warm", "hostile"], "n": [1, 3], "share": [0.25, 0.75]})
    fig = C.tone_band_bars(df)
    assert [t.name for t in fig.data] == ["hostile", "warm"]
    assert fig.layout.barmode == "stack"


def test_before_after_chart_has_both_sides():
    df = pd.DataFrame({"speaker_country": ["ARM", "ARM"], "side": ["before", "after"], "n": [6, 2],
                       "mean_tone": [-0.2, 0.3], "sd": [0.1, 0.1], "lo": [0, 0], "hi": [0, 0]})  # fmt: skip
    fig = C.before_after_chart(df, date(2024, 2, 1), 30, threshold=5)
    after = next(t for t in fig.data if (t.name or "").startswith("after"))
    assert list(after.marker.symbol) == ["diamond-open"]
    assert list(after.customdata[0]) == ["ARM", None, "2024-02-01", "2024-03-02"]


def test_events_are_drawn_as_lines_and_hoverable_markers():
    events = pd.DataFrame({"date": pd.to_datetime(["2024-01-15"]), "label": ["Summit"]})
    fig = C.tone_timeline(tone_frame(), events=events)
    marker = next(t for t in fig.data if t.name == "events")
    assert marker.hovertext == ("2024-01-15: Summit",)
    assert len(fig.layout.shapes) == 1


def test_presenter_variant_has_larger_type():
    normal = C.tone_timeline(tone_frame())
    present = C.tone_timeline(tone_frame(), present=True)
    assert present.layout.font.size > normal.layout.font.size
    assert C.export_config("x", present=True)["toImageButtonOptions"]["width"] == 1920


def test_empty_frames_give_a_message_not_an_error():
    empty = pd.DataFrame(columns=["period", "speaker_country", "n", "mean_tone", "sd", "lo", "hi"])
    fig = C.tone_timeline(empty)
    assert "No scored statements" in fig.layout.annotations[0].text


def test_tone_timeline_breaks_at_empty_periods_and_never_bridges_them():
    df = tone_frame()
    df.loc[1, "period"] = pd.Timestamp("2024-04-01")  # ARM: January and April, nothing between
    fig = C.tone_timeline(df, granularity="month", threshold=5)
    arm = next(t for t in fig.data if t.name == "ARM" and t.mode == "lines+markers")
    assert len(arm.x) == 4 and pd.isna(arm.y[1]) and pd.isna(arm.y[2])
    assert not [t for t in fig.data if t.fill == "toself"]  # two isolated points: error bars instead
    assert arm.error_y.visible


def test_statements_timeline_counts_empty_periods_as_zero():
    df = pd.DataFrame({"period": pd.to_datetime(["2024-01-01", "2024-03-01"]), "speaker_country": ["ARM"] * 2,
                       "n": [3, 1], "share": [1.0, 1.0]})  # fmt: skip
    fig = C.statements_timeline(df, "n", granularity="month")
    assert list(fig.data[0].y) == [3, 0, 1]


def test_other_is_grey():
    from dashboard.colors import OTHER

    assert actor_color("Other") == OTHER


def test_the_actors_of_this_field_have_distinct_fixed_colours():
    from dashboard.colors import ACTOR_COLORS, SECOND_COLORS, actor_color

    codes = list(ACTOR_COLORS) + list(SECOND_COLORS)
    colours = [actor_color(c) for c in codes]
    assert len(set(colours)) == len(codes)
    assert actor_color("arm") == ACTOR_COLORS["ARM"]


def test_other_is_listed_but_not_drawn_in_counts_and_drawn_in_shares():
    import pandas as pd

    from dashboard.charts import statements_timeline

    df = pd.DataFrame({
        "period": pd.to_datetime(["2020-01-01", "2020-01-01"]),
        "speaker_country": ["ARM", "Other"], "n": [3, 30], "share": [0.1, 0.9],
    })  # fmt: skip
    counts = {t.name: t.visible for t in statements_timeline(df, measure="n", granularity="year").data}
    shares = {t.name: t.visible for t in statements_timeline(df, measure="share", granularity="year").data}
    assert counts["Other"] == "legendonly" and counts["ARM"] is True
    assert shares["Other"] is True


# Names from the data are text: plotly must draw their markup as characters --------------------

BOLD = "<b>bold</b>"  # short: an axis label
LINK = '<a href="https://evil.example">x</a><br><img src=x>'
HOSTILE_NAMES = {"EVL": LINK, "BLD": BOLD, "ARM": "Armenia"}


def _hostile_figures():
    both = ["EVL", "BLD"]
    period = pd.to_datetime(["2024-01-01", "2024-01-01"])
    events = pd.DataFrame({"date": pd.to_datetime(["2024-01-15"]), "label": [LINK + " " + BOLD]})
    tone = {"n": [9, 9], "mean_tone": [-0.2, 0.4], "sd": [0.1, 0.1], "lo": [-0.3, 0.3], "hi": [-0.1, 0.5]}
    names = HOSTILE_NAMES
    return {
        "statements_timeline": C.statements_timeline(
            pd.DataFrame({"period": period, "speaker_country": [LINK, BOLD], "n": [3, 1], "share": [0.75, 0.25]}),
            events=events, names=names),
        "tone_timeline": C.tone_timeline(pd.DataFrame({"period": period, "speaker_country": both, **tone}),
                                         events=events, names=names),
        "mentions_bar": C.mentions_bar(pd.DataFrame({"actor": both, "name": [LINK, BOLD], "n": [4, 2],
                                                     "n_tone": [4, 2], "mean_tone": [0.1, -0.3]})),
        "mentions_timeline": C.mentions_timeline(pd.DataFrame({"period": period, "actor": both, "n": [2, 1]}),
                                                 events=events, names=names),
        "who_matrix": C.who_matrix(pd.DataFrame({"speaker_country": [LINK, "ARM"], "actor": both, "n": [3, 2],
                                                 "n_tone": [3, 2], "mean_tone": [-0.5, 0.2]}), names=names),
        "tone_compare": C.tone_compare(pd.DataFrame({"actor": both, "name": [LINK, BOLD], **tone})),
        "tone_band_bars": C.tone_band_bars(pd.DataFrame({"actor": both, "band": ["warm", "hostile"], "n": [1, 3],
                                                         "share": [1.0, 1.0]}), names=names),
        "tone_by_speaker_chart": C.tone_by_speaker_chart(
            pd.DataFrame({"speaker_country": [BOLD, "ARM"], **tone}), "EVL", names=names),
        "before_after_chart": C.before_after_chart(
            pd.DataFrame({"speaker_country": [BOLD, BOLD], "side": ["before", "after"], **tone}),
            date(2024, 2, 1), 30, names=names),
    }  # fmt: skip


NOT_DRAWN = ("customdata", "legendgroup")  # the raw codes a click returns; a grouping id


def _strings(value) -> list[str]:
    """Every string of a figure's JSON that plotly may draw."""
    if isinstance(value, str):
        return [value]
    if isinstance(value, dict):
        return [s for k, v in value.items() if k not in NOT_DRAWN for s in _strings(v)]
    if isinstance(value, list | tuple) or hasattr(value, "tolist"):
        return [s for v in (value.tolist() if hasattr(value, "tolist") else value) for s in _strings(v)]
    return []


@pytest.mark.parametrize("chart", list(_hostile_figures()))
def test_names_from_the_data_reach_a_chart_as_text_never_as_markup(chart):
    fig = _hostile_figures()[chart]
    drawn = [s for key, v in fig.to_plotly_json().items() for s in _strings(v)]
    shown = " ".join(drawn)
    for raw in ('<a href="https://evil.example">', "<img src=x>", BOLD, "<br><img"):
        assert raw not in shown, (chart, raw)  # plotly would draw a link, an image, bold or a line break
    assert "&lt;b&gt;bold&lt;/b&gt;" in shown or "&lt;a href=" in shown  # and the name is there, as text
    for trace in fig.data:  # plotly reads a template's %{...}: a name must never be part of one
        assert "bold" not in (trace.hovertemplate or "") and "evil" not in (trace.hovertemplate or ""), chart


def test_a_clicked_name_is_the_raw_code_so_drilldown_needs_no_unescaping():
    bar = _hostile_figures()["mentions_bar"].data[0]
    assert [row[1] for row in bar.customdata] == ["BLD", "EVL"]
    assert list(bar.y) == ["&lt;b&gt;bold&lt;/b&gt;", C.plotly_text(LINK)]
