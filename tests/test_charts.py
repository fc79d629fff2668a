"""Charts are pure: check traces, values, colours and the marking of small n."""

from datetime import date

import pandas as pd
import pytest

from dashboard import charts as C
from dashboard.colors import ACTOR_COLORS, CONTEXT, actor_color
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


def lines(fig):
    """The data lines of a figure: no bands, context copies or event markers."""
    return [t for t in fig.data if t.mode == "lines+markers"]


def test_tone_timeline_marks_means_over_few_statements_hollow():
    fig = C.tone_timeline(tone_frame(), granularity="month", threshold=5)
    arm = next(t for t in lines(fig) if t.name == "ARM")
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
    arm = next(t for t in lines(fig) if t.name == "ARM")
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
    assert {t.name: list(t.y) for t in lines(count)} == {"ARM": [3]}
    assert {t.name: list(t.y) for t in lines(share)} == {"ARM": [75.0], "Other": [25.0]}
    assert "n=3 of 4" in lines(count)[0].text[0]


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
    arm = next(t for t in lines(fig) if t.name == "ARM")
    assert len(arm.x) == 4 and pd.isna(arm.y[1]) and pd.isna(arm.y[2])
    assert arm.connectgaps is False
    assert not [t for t in fig.data if t.fill == "toself"]  # two isolated points: error bars instead
    assert arm.error_y.visible


def test_other_is_grey():
    from dashboard.colors import OTHER

    assert actor_color("Other") == OTHER


def test_the_actors_of_this_field_have_distinct_fixed_colours():
    from dashboard.colors import ACTOR_COLORS, SECOND_COLORS, actor_color

    codes = list(ACTOR_COLORS) + list(SECOND_COLORS)
    colours = [actor_color(c) for c in codes]
    assert len(set(colours)) == len(codes)
    assert actor_color("arm") == ACTOR_COLORS["ARM"]


def test_other_is_left_off_counts_and_drawn_grey_in_shares():
    df = pd.DataFrame({
        "period": pd.to_datetime(["2020-01-01", "2020-01-01"]),
        "speaker_country": ["ARM", "Other"], "n": [3, 30], "share": [0.1, 0.9],
    })  # fmt: skip
    counts = {t.name: t for t in lines(C.statements_timeline(df, measure="n", granularity="year"))}
    shares = {t.name: t for t in lines(C.statements_timeline(df, measure="share", granularity="year"))}
    assert set(counts) == {"ARM"}
    assert shares["Other"].line.color == CONTEXT and list(shares["Other"].customdata[0]) == [
        None, None, "2020-01-01", "2020-12-31"]  # fmt: skip


# Focus and context, gaps, small multiples, events, presenter sizes -------------------------------


def counts_frame(countries=("ARM", "AZE", "GEO", "RUS", "USA"), years=(2019, 2020, 2021)):
    rows = [(pd.Timestamp(f"{y}-01-01"), c, 10 + i + y % 7) for i, c in enumerate(countries) for y in years]
    df = pd.DataFrame(rows, columns=["period", "speaker_country", "n"])
    return df.assign(share=df["n"] / df.groupby("period")["n"].transform("sum"))


def test_timelines_colour_the_south_caucasus_by_default_and_draw_the_rest_grey():
    fig = C.statements_timeline(counts_frame(), granularity="year")
    colours = {t.name: t.line.color for t in lines(fig)}
    assert colours == {"ARM": actor_color("ARM"), "AZE": actor_color("AZE"), "GEO": actor_color("GEO"),
                       "RUS": CONTEXT, "USA": CONTEXT}  # fmt: skip
    assert [t.name for t in lines(fig)][-3:] == ["ARM", "AZE", "GEO"]  # coloured lines drawn over the grey
    assert all(t.hovertemplate and t.customdata for t in lines(fig))  # grey lines keep hover and drill-down


def test_timelines_colour_the_countries_the_filters_name():
    fig = C.statements_timeline(counts_frame(), granularity="year", focus=("RUS",))
    assert {t.name for t in lines(fig) if t.line.color != CONTEXT} == {"RUS"}
    mentions = counts_frame().rename(columns={"speaker_country": "actor"})
    fig = C.mentions_timeline(mentions, granularity="year", focus=("USA", "AZE"))
    assert {t.name for t in lines(fig) if t.line.color != CONTEXT} == {"USA", "AZE"}


def test_lines_are_labelled_at_their_ends_not_in_a_legend():
    names = {"ARM": "Armenia", "AZE": "Azerbaijan", "GEO": "Georgia", "RUS": "Russia", "USA": "United States"}
    fig = C.statements_timeline(counts_frame(), granularity="year", names=names)
    assert fig.layout.showlegend is False
    labels = {a.text: a for a in fig.layout.annotations}
    assert set(names.values()) <= set(labels)
    assert all(pd.Timestamp(labels[n].x) == pd.Timestamp("2021-01-01") for n in names.values())
    assert labels["Armenia"].font.color == actor_color("ARM") and labels["Russia"].font.color != actor_color("RUS")


def test_end_labels_of_lines_ending_close_together_are_nudged_apart():
    df = counts_frame().astype({"n": float})
    df.loc[df["period"] == pd.Timestamp("2021-01-01"), "n"] = [50, 50.2, 49.9, 50.1, 10]
    fig = C.statements_timeline(df, granularity="year", names={"AZE": "Azerbaijan"})
    ends = sorted(a.y for a in fig.layout.annotations)
    label_px = fig.layout.annotations[0].font.size
    line_height = label_px * 1.2 / (fig.layout.height - 90) * fig.layout.yaxis.range[1]  # in data units
    assert all(b - a >= line_height for a, b in zip(ends, ends[1:], strict=False))
    assert ends[0] == pytest.approx(10)  # a label with room keeps its line's value


@pytest.mark.parametrize(
    ("values", "gap", "expected"),
    [([1, 1.2, 5], 1, [0.6, 1.6, 5]), ([3, 1, 2], 0.5, [3, 1, 2]), ([9.8, 10], 1, [9, 10]),
     ([2, 1.5, 1.8, 0.1], 1, [3, 1, 2, 0]), ([0, 0, 0], 1, [0, 1, 2])],
)  # fmt: skip
def test_spread_moves_values_apart_as_little_as_it_can(values, gap, expected):
    out = C.spread(values, gap, 0, 10)
    assert out == pytest.approx(expected)
    ordered = sorted(out)
    assert all(b - a >= gap - 1e-9 for a, b in zip(ordered, ordered[1:], strict=False))


def test_a_period_without_documents_is_a_gap_and_one_without_mentions_a_zero():
    df = pd.DataFrame({"period": pd.to_datetime(["2018-01-01", "2021-01-01", "2018-01-01", "2019-01-01",
                                                 "2021-01-01"]),
                       "speaker_country": ["ARM", "ARM", "RUS", "RUS", "RUS"], "n": [4, 2, 5, 6, 7]})  # fmt: skip
    df["share"] = 0.5
    coverage = pd.DataFrame({"period": pd.to_datetime(["2018-01-01", "2019-01-01", "2021-01-01", "2019-01-01",
                                                       "2020-01-01"]),
                             "speaker_country": ["ARM", "ARM", "ARM", "RUS", None], "n": [9, 3, 9, 9, 1]})  # fmt: skip
    arm = next(t for t in lines(C.statements_timeline(df, granularity="year", coverage=coverage)) if t.name == "ARM")
    assert [str(pd.Timestamp(x).year) for x in arm.x] == ["2018", "2019", "2020", "2021"]
    assert arm.y[1] == 0 and pd.isna(arm.y[2]) and arm.connectgaps is False
    no_coverage = next(t for t in lines(C.statements_timeline(df, granularity="year")) if t.name == "ARM")
    assert pd.isna(no_coverage.y[1]) and pd.isna(no_coverage.y[2])  # unknown: a gap, never a zero

    mentions = df.rename(columns={"speaker_country": "actor"})
    arm = next(t for t in lines(C.mentions_timeline(mentions, granularity="year", coverage=coverage))
               if t.name == "ARM")  # fmt: skip
    assert list(arm.y) == [4, 0, 0, 2]  # the corpus has statements every year: no mention is a zero
    coverage = coverage[coverage["period"] != pd.Timestamp("2020-01-01")]
    arm = next(t for t in lines(C.mentions_timeline(mentions, granularity="year", coverage=coverage))
               if t.name == "ARM")  # fmt: skip
    assert arm.y[1] == 0 and pd.isna(arm.y[2])


def panel_frame():
    rows = []
    for i, country in enumerate(["GEO", "RUS", "ARM", "USA", "AZE", "TUR", "IRN", "FRA", "DEU", "GBR", "UKR"]):
        for month in (1, 2, 3):
            rows.append((pd.Timestamp(f"2024-{month:02d}-01"), country, 100 - 5 * i, 0.1 * (i % 3) - 0.1, 0.2))
    df = pd.DataFrame(rows, columns=["period", "speaker_country", "n", "mean_tone", "sd"])
    return df.assign(lo=df["mean_tone"] - 0.05, hi=df["mean_tone"] + 0.05)


def test_tone_over_time_is_one_panel_per_speaker_country_largest_first_with_shared_axes():
    df = panel_frame().sample(frac=1, random_state=1)  # row order must not matter
    fig = C.tone_timeline(df, names={"GEO": "Georgia"})
    titles = [a.text.split()[0] for a in fig.layout.annotations if a.yref == "paper" and "n=" in a.text]
    assert titles == ["Georgia", "RUS", "ARM", "USA", "AZE", "TUR", "IRN", "FRA", "DEU"]
    assert "n=300" in fig.layout.annotations[0].text
    own = [t for t in lines(fig)]
    assert [t.name for t in own] == ["GEO", "RUS", "ARM", "USA", "AZE", "TUR", "IRN", "FRA", "DEU"]
    assert len({t.xaxis for t in own}) == 9 and len({t.yaxis for t in own}) == 9  # one panel each
    for axis in ("xaxis", "yaxis"):  # every panel's axes follow one of them: shared axes
        matches = [fig.layout[f"{axis}{i if i > 1 else ''}"].matches for i in range(1, 10)]
        assert matches.count(None) == 1 and len(set(matches) - {None}) == 1
    bands = [t for t in fig.data if t.fill == "toself"]
    assert len(bands) == 9 and {t.xaxis for t in bands} == {t.xaxis for t in own}
    assert C.panel_order(df) == (["GEO", "RUS", "ARM", "USA", "AZE", "TUR", "IRN", "FRA", "DEU"], ["GBR", "UKR"])



def test_the_focus_countries_keep_their_panels_even_when_smaller():
    df = panel_frame()
    df.loc[df["speaker_country"] == "GEO", "n"] = 1  # Georgia is now the smallest of eleven
    shown, rest = C.panel_order(df)
    assert "GEO" in shown and shown[-1] == "GEO" and len(shown) == 9  # kept, in its place by n
    assert rest == ["GBR", "UKR"]  # the smallest of the others make way (Georgia takes the ninth place)
    shown, rest = C.panel_order(df, focus=("UKR",))
    assert "UKR" in shown and "GEO" in rest
    titles = [a.text.split()[0] for a in C.tone_timeline(df, focus=("UKR",)).layout.annotations
              if a.yref == "paper" and "n=" in a.text]  # fmt: skip
    assert "UKR" in titles and "GEO" not in titles

def events_frame():
    return pd.DataFrame({
        "date": pd.to_datetime(["2020-09-27", "2020-10-10", "2020-11-10", "2021-05-12", "2023-09-19"]),
        "label": ["Second Karabakh War begins", "Moscow humanitarian ceasefire", "Trilateral ceasefire statement",
                  "Border crisis", "Azerbaijani offensive <b>in</b> Nagorno-Karabakh"],
        "description": ["44 days.", "", "Ends the war.", "", "One day."],
        "importance": [1, 3, 1, 2, 1],
        "short": ["Karabakh war begins", None, "Ceasefire, 10 Nov 2020", None, "Karabakh offensive"],
    })  # fmt: skip


def test_only_key_events_get_a_line_and_a_label_and_every_event_a_hover():
    df = counts_frame(years=(2019, 2020, 2021, 2022, 2023))
    fig = C.statements_timeline(df, granularity="year", events=events_frame())
    marker = next(t for t in fig.data if t.name == "events")
    assert len(marker.x) == 5 and "Moscow humanitarian ceasefire" in marker.hovertext[1]
    assert "&lt;b&gt;in&lt;/b&gt;" in marker.hovertext[4]  # an event's text is shown, never read as markup
    assert len(fig.layout.shapes) == 3
    labels = {a.text for a in fig.layout.annotations if a.yref == "y2"}
    assert labels == {"Karabakh war begins", "Ceasefire, 10 Nov 2020", "Karabakh offensive"}


def test_event_labels_never_overlap_and_one_with_no_room_is_left_to_its_hover():
    days = pd.to_datetime(["2020-01-01", "2020-01-20", "2020-08-01", "2020-08-10", "2022-11-01"])
    texts = ["Karabakh war begins", "Ceasefire, 10 Nov 2020", "Third label here", "Fourth", "Washington summit"]
    places = C.event_label_levels(days, texts, (pd.Timestamp("2020-01-01"), pd.Timestamp("2022-12-31")), 820, 12)
    assert places[3] is None and None not in places[:3]
    assert places[4] == (0, "right")  # near the right edge a label ends at its event
    boxes = {}
    per_day = 820 / (pd.Timestamp("2022-12-31") - pd.Timestamp("2020-01-01")).days
    for day, text, place in zip(days, texts, places, strict=True):
        if place:
            x = (day - pd.Timestamp("2020-01-01")).days * per_day
            w = len(text) * 12 * 0.58 + 8
            boxes.setdefault(place[0], []).append((x, x + w) if place[1] == "left" else (x - w, x))
    for level in boxes.values():
        level.sort()
        assert all(b[0] >= a[1] for a, b in zip(level, level[1:], strict=False))


def test_a_click_on_an_event_opens_its_date_not_a_drill_down():
    fig = C.statements_timeline(counts_frame(), granularity="year", events=events_frame())
    marker = next(t for t in fig.data if t.name == "events")
    assert C.clicked_event(marker.customdata[2]) == date(2020, 11, 10)
    assert C.drill_filters(Filters(actor=("ARM",)), marker.customdata[2]) == Filters(actor=("ARM",))
    assert C.clicked_event(["ARM", None, "2020-01-01", "2020-12-31"]) is None


def test_presenter_charts_are_legible_at_the_back_of_a_room():
    tick_sizes = []
    for fig in (C.tone_timeline(panel_frame(), present=True, events=events_frame()),
                C.statements_timeline(counts_frame(), granularity="year", present=True, events=events_frame()),
                C.mentions_bar(pd.DataFrame({"actor": ["ARM"], "name": ["Armenia"], "n": [3], "n_tone": [3],
                                             "mean_tone": [0.1]}), present=True)):  # fmt: skip
        assert fig.layout.font.size >= 16
        for axis in [k for k in fig.layout if k.startswith(("xaxis", "yaxis"))]:
            tick_sizes.append(fig.layout[axis].tickfont.size or fig.layout.font.size)
        assert all((a.font.size or fig.layout.font.size) >= 16 for a in fig.layout.annotations)
    assert min(tick_sizes) >= 16
    panels = C.tone_timeline(panel_frame(), present=True)
    assert all(a.font.size >= 24 for a in panels.layout.annotations if "n=" in a.text)  # panel titles
    assert panels.layout.height >= 800 and C.statements_timeline(counts_frame(), present=True).layout.height >= 600


def test_when_grey_lines_dwarf_the_coloured_ones_the_axis_fits_the_colour_and_says_what_runs_off():
    df = counts_frame().astype({"n": float})
    df.loc[df["speaker_country"] == "RUS", "n"] = 4000.0
    fig = C.statements_timeline(df, granularity="year", names={"RUS": "Russia"})
    top = fig.layout.yaxis.range[1]
    assert 15 < top < 30  # the coloured lines (counts of 12 to 17) fill the chart
    notes = [a.text for a in fig.layout.annotations if a.xref == "paper"]
    assert notes == ["Off the top: Russia (up to 4,000)"]
    assert "Russia ↑" in {a.text for a in fig.layout.annotations}
    flat = C.statements_timeline(counts_frame(), granularity="year")
    assert not [a for a in flat.layout.annotations if a.xref == "paper"]


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
    assert "&amp;lt;" not in shown and "&amp;gt;" not in shown, chart  # escaped once: twice shows "&lt;"
    for trace in fig.data:  # plotly reads a template's %{...}: a name must never be part of one
        assert "bold" not in (trace.hovertemplate or "") and "evil" not in (trace.hovertemplate or ""), chart


def test_a_clicked_name_is_the_raw_code_so_drilldown_needs_no_unescaping():
    bar = _hostile_figures()["mentions_bar"].data[0]
    assert [row[1] for row in bar.customdata] == ["BLD", "EVL"]
    assert list(bar.y) == ["&lt;b&gt;bold&lt;/b&gt;", C.plotly_text(LINK)]
