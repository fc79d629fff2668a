"""The charts as a reader sees them, in headless Chromium: small multiples for tone over time, no
zero drawn for a year without documents, and headline figures that grow in presenter mode.

The charts are read from the plotly elements of the page (their ``data`` and ``layout``) and the
type from computed styles, never from pixels.
"""

from __future__ import annotations

import shutil

import duckdb
import pytest
from test_browser import SAMPLE, browser, open_app, page, server, wait_for_app  # noqa: F401 (fixtures)

pytestmark = pytest.mark.browser

#: UN General Debate statements of 2018-2020 from six countries, but none from Armenia in 2019.
FILES = [f"{c}_{73 + i}_{2018 + i}.txt" for c in ("AZE", "GEO", "RUS", "TUR", "USA") for i in range(3)]
FILES += ["ARM_73_2018.txt", "ARM_75_2020.txt"]


@pytest.fixture(scope="module")
def database(tmp_path_factory):
    """Seventeen statements of the shipped sample (the ``server`` fixture serves this database)."""
    from dashboard.ingest import ingest

    folder = tmp_path_factory.mktemp("un") / "ungdc"
    (folder / "txt").mkdir(parents=True)
    shutil.copy(SAMPLE / "ungdc" / "speakers.csv", folder / "speakers.csv")
    for name in FILES:
        shutil.copy(SAMPLE / "ungdc" / "txt" / name, folder / "txt" / name)
    db = tmp_path_factory.mktemp("db") / "rhetoric.duckdb"
    ingest([folder], db, progress=False)
    return db


def charts(tab) -> list[dict]:
    """Every plotly chart of the page: its traces (name, x, y, axes) and its layout's type sizes."""
    return tab.evaluate(
        """() => [...document.querySelectorAll('.js-plotly-plot')].map((el) => ({
            traces: el.data.map((t) => ({name: t.name, x: t.x, y: t.y, mode: t.mode, xaxis: t.xaxis || 'x',
                                         yaxis: t.yaxis || 'y'})),
            panels: el.querySelectorAll('g.cartesianlayer > g.subplot').length,
            titles: (el.layout.annotations || []).filter((a) => a.text && a.text.includes('n='))
                        .map((a) => ({text: a.text, size: (a.font && a.font.size) || el.layout.font.size})),
            font: el.layout.font.size,
        }))"""
    )


def test_tone_over_time_on_the_sample_is_small_multiples_largest_n_first(page, server, database):  # noqa: F811
    open_app(page, server, "overview?granularity=year")
    tone = charts(page)[1]
    with duckdb.connect(str(database), read_only=True) as con:
        countries = {c for (c,) in con.execute(
            "SELECT DISTINCT speaker_country FROM statements WHERE tone IS NOT NULL AND speaker_country IS NOT NULL"
        ).fetchall()}  # fmt: skip
    assert len(countries) >= 6
    assert tone["panels"] == len(countries)  # one panel per speaker country, not one axis for all
    lines = [t for t in tone["traces"] if t["mode"] == "lines+markers"]
    assert sorted(t["name"] for t in lines) == sorted(countries)
    assert len({(t["xaxis"], t["yaxis"]) for t in lines}) == len(countries)
    n = [int(title["text"].split("n=")[1].split("<")[0].replace(",", "")) for title in tone["titles"]]
    assert len(n) == len(countries) and n == sorted(n, reverse=True)


def test_the_timeline_draws_no_zero_in_a_year_without_documents(page, server, database):  # noqa: F811
    with duckdb.connect(str(database), read_only=True) as con:
        years = dict(con.execute(
            "SELECT year(date), count(*) FROM statements WHERE speaker_country = 'ARM' GROUP BY 1"
        ).fetchall())  # fmt: skip
    assert set(years) == {2018, 2020}  # Armenia's 2019 statement is not in this corpus
    open_app(page, server, "overview?granularity=year")
    statements = charts(page)[0]
    armenia = next(t for t in statements["traces"] if t["name"] == "Armenia")
    by_year = {x[:4]: y for x, y in zip(armenia["x"], armenia["y"], strict=True)}
    assert by_year["2019"] is None  # a gap in the line: plotly gets no value, so draws no zero
    assert by_year["2018"] == years[2018] and by_year["2020"] == years[2020]
    others = [t for t in statements["traces"] if t["name"] in ("Azerbaijan", "Georgia")]
    assert all(y and y > 0 for t in others for y in t["y"])  # countries that spoke every year: no gap


def metric_sizes(chromium, url: str, query: str) -> tuple[list[dict], list[dict]]:
    """The headline figures (font size, text, whether cut off) and the charts of a page at 1920×1080."""
    context = chromium.new_context(viewport={"width": 1920, "height": 1080})
    tab = context.new_page()
    try:
        open_app(tab, url, query)
        return tab.evaluate(
            """() => [...document.querySelectorAll('[data-testid="stMetricValue"]')].map((el) => {
                const text = [...el.querySelectorAll('*')].filter((e) => e.children.length === 0).pop() || el;
                return {size: parseFloat(getComputedStyle(text).fontSize), text: text.textContent,
                        clipped: text.scrollWidth > text.clientWidth + 1 || el.scrollWidth > el.clientWidth + 1};
            })"""
        ), charts(tab)
    finally:
        context.close()


def test_presenter_mode_at_1920_by_1080_shows_headline_figures_at_least_as_large(browser, server):  # noqa: F811
    normal, _ = metric_sizes(browser, server, "overview?granularity=year")
    present, figures = metric_sizes(browser, server, "overview?granularity=year&present=1")
    assert len(present) == len(normal) == 5
    assert [m["text"] for m in present] == [m["text"] for m in normal]
    assert min(m["size"] for m in present) >= max(m["size"] for m in normal) * 1.5
    assert not [m["text"] for m in present if m["clipped"]]  # nothing cut off or ellipsised
    assert all(chart["font"] >= 16 for chart in figures)  # ticks and labels at the back of a room
    assert all(title["size"] >= 24 for title in figures[1]["titles"])  # the small multiples' titles


def test_a_click_on_an_event_shows_its_before_and_after_and_links_to_it(page, server, database):  # noqa: F811
    with duckdb.connect(str(database), read_only=True) as con:
        first, last = con.execute("SELECT min(date), max(date) FROM statements").fetchone()
        events = con.execute("SELECT date, label FROM events WHERE date BETWEEN ? AND ? ORDER BY date",
                             [first, last]).fetchall()  # fmt: skip
    assert events
    day, label = events[0]
    open_app(page, server, "overview?granularity=year")
    marker = page.locator(".js-plotly-plot").first.locator("g.scatterlayer > g.trace").last.locator("path.point")
    assert marker.count() == len(events)  # every event in range has its marker, key or not
    box = marker.first.bounding_box()
    page.mouse.click(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)
    link = page.get_by_role("link", name="Before and after this event, on the Tone page")
    link.wait_for()
    wait_for_app(page)
    assert page.get_by_text(f"{label} ({day})").is_visible()
    assert page.locator(".js-plotly-plot").count() == 3  # the before/after chart under the timeline
    assert f"event={day}" in link.get_attribute("href")
