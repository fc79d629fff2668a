"""User journeys in a real browser: `streamlit run app.py` driven by headless Chromium.

Also saves a screenshot of every page, normal and in presenter mode, to screenshots/.
"""

from __future__ import annotations

import contextlib
import csv
import io
import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

pytestmark = pytest.mark.browser

ROOT = Path(__file__).resolve().parent.parent
SAMPLE = ROOT / "data" / "sample"
SHOTS = ROOT / "screenshots"
CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
    "--disable-sync", "--no-first-run",
]  # fmt: skip
PAGES = ("overview", "countries", "tone", "quotes", "names", "data")


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="module")
def database(tmp_path_factory) -> Path:
    """The same five documents as conftest's ``built_db``, built once for the whole module."""
    from dashboard.ingest import ingest

    folder = tmp_path_factory.mktemp("corpus")
    (folder / "ungdc" / "txt").mkdir(parents=True)
    shutil.copytree(SAMPLE / "news", folder / "news")
    shutil.copy(SAMPLE / "ungdc" / "speakers.csv", folder / "ungdc" / "speakers.csv")
    for name in ("ARM_75_2020.txt", "AZE_75_2020.txt", "RUS_75_2020.txt"):
        shutil.copy(SAMPLE / "ungdc" / "txt" / name, folder / "ungdc" / "txt" / name)
    db = tmp_path_factory.mktemp("db") / "rhetoric.duckdb"
    ingest([folder], db, progress=False)
    return db


@contextlib.contextmanager
def running_app(database: Path):
    """The app served from this checkout on a free local port, reading ``database``: its URL."""
    port = free_port()
    env = {**os.environ, "RHETORIC_DB": str(database)}
    proc = subprocess.Popen(
        [sys.executable, "-m", "streamlit", "run", str(ROOT / "app.py"), "--server.port", str(port),
         "--server.address", "127.0.0.1", "--server.headless", "true", "--browser.gatherUsageStats", "false"],
        cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
    )  # fmt: skip
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.time() + 60
        while True:
            try:
                with urllib.request.urlopen(f"{url}/_stcore/health", timeout=2) as response:
                    if response.status == 200:
                        break
            except OSError:
                pass
            if proc.poll() is not None or time.time() > deadline:
                output = proc.stdout.read().decode(errors="replace") if proc.stdout else ""
                pytest.fail(f"streamlit did not start:\n{output}")
            time.sleep(0.5)
        yield url
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()


@pytest.fixture(scope="module")
def server(database):
    with running_app(database) as url:
        yield url


@pytest.fixture(scope="module")
def browser():
    if not CHROMIUM.exists():
        pytest.skip("no /usr/bin/chromium: run `make chromium` to install Debian's chromium")
    sync_api = pytest.importorskip("playwright.sync_api")
    with sync_api.sync_playwright() as p:
        browser = p.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS, headless=True)
        yield browser
        browser.close()


@pytest.fixture
def page(browser):
    context = browser.new_context(viewport={"width": 1400, "height": 1000}, accept_downloads=True)
    page = context.new_page()
    page.set_default_timeout(30_000)
    yield page
    context.close()


def wait_for_app(page) -> None:
    """Until the script has finished running: no running indicator, and the page title drawn."""
    page.wait_for_selector("h1", timeout=30_000)
    page.wait_for_function(
        """() => {
            const q = (s) => document.querySelectorAll(s).length;
            return q('[data-testid="stSkeleton"]') === 0
                && q('[data-stale="true"]') === 0
                && [...document.querySelectorAll('[data-testid="stPlotlyChart"]')]
                       .every((c) => c.querySelector('.main-svg'));
        }""",
        timeout=30_000,
    )
    page.wait_for_timeout(600)  # let plotly finish drawing


def open_app(page, server: str, path: str) -> None:
    page.goto(f"{server}/{path}")
    wait_for_app(page)


def test_journey_0_overview_shows_its_title_and_a_chart(page, server):
    open_app(page, server, "overview")
    assert page.get_by_role("heading", name="Overview", exact=True).is_visible()
    page.wait_for_selector(".js-plotly-plot .main-svg")
    assert page.locator(".js-plotly-plot").count() >= 2
    assert page.locator("[data-testid='stException']").count() == 0


def select_first_row(page, table) -> None:
    """st.dataframe is drawn on a canvas: click the row-selection box of the first row."""
    table.scroll_into_view_if_needed()
    box = table.bounding_box()
    page.mouse.click(box["x"] + 18, box["y"] + 35 + 17)


def test_journey_1_journalist_finds_opens_and_downloads_quotes(page, server):
    open_app(page, server, "quotes?actor=ARM&q=peace")
    matched = page.get_by_text("statements match").first.inner_text()
    count = int(matched.split()[0].replace(",", ""))
    assert count > 0

    select_first_row(page, page.locator("[data-testid='stDataFrame']").first)
    page.wait_for_url("**statement=*")
    wait_for_app(page)
    assert page.get_by_text("Its paragraph").is_visible()
    assert page.get_by_text("Citation").is_visible()
    assert "statement=" in page.url and "actor=ARM" in page.url
    SHOTS.mkdir(exist_ok=True)
    page.screenshot(path=str(SHOTS / "quotes-detail.png"), full_page=True)

    with page.expect_download() as download_info:
        page.get_by_role("button", name="Download CSV").click()
    data = Path(download_info.value.path()).read_bytes()
    assert data.startswith(b"\xef\xbb\xbf")
    rows = list(csv.DictReader(io.StringIO(data.decode("utf-8-sig"))))
    assert len(rows) == count
    assert all("peace" in row["text"].lower() for row in rows)


def table_cells(table) -> list[list[str]]:
    """The cells st.dataframe keeps in its accessible table (the rows drawn on its canvas)."""
    rows = table.locator("table tr")
    return [[c.strip() for c in rows.nth(i).locator("td").all_text_contents()] for i in range(rows.count())]


def test_journey_1b_a_search_shows_the_word_marked_in_each_excerpt(page, server):
    open_app(page, server, "quotes?q=peace")
    table = page.locator("[data-testid='stDataFrame']").first
    table.locator("th", has_text="excerpt").wait_for(state="attached")  # the accessible table fills once the grid is drawn
    headers = [h.strip() for h in table.locator("table th").all_text_contents()]
    assert "excerpt" in headers, headers
    column = headers.index("excerpt")
    rows = [r for r in table_cells(table) if r]
    assert rows
    for row in rows:
        excerpt = row[column]
        marked = excerpt.split("▸", 1)[1].split("◂", 1)[0]  # the mark is there, closed
        assert marked.lower().startswith("peace"), excerpt
    assert page.get_by_text("mark the words your search matched").is_visible()
    SHOTS.mkdir(exist_ok=True)
    page.screenshot(path=str(SHOTS / "quotes-search.png"), full_page=True)


def test_journey_4_the_names_view_opens_from_its_url_and_drills_down(page, server):
    open_app(page, server, "names")
    assert page.get_by_role("heading", name="Names", exact=True).is_visible()
    assert page.get_by_role("heading", name="By speaker country").is_visible()
    charts = page.locator(".js-plotly-plot")
    assert charts.count() == 2
    bar = charts.nth(1).locator(".bars path").first  # a year's bar of the first variant
    bar.scroll_into_view_if_needed()
    box = bar.bounding_box()
    page.mouse.click(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)
    page.get_by_text("Statements using “").wait_for()
    wait_for_app(page)
    heading = page.locator("p", has_text="Statements using “").inner_text()
    n = int(heading.rsplit("n=", 1)[1])
    assert n > 0
    table = page.locator("[data-testid='stDataFrame']").last
    table.locator("td").first.wait_for(state="attached")
    rows = [r for r in table_cells(table) if r]  # the rows drawn so far (the grid draws what is in view)
    assert 0 < len(rows) <= min(n, 50)
    assert all("▸" in " ".join(r) and "◂" in " ".join(r) for r in rows)  # the name marked in each excerpt
    SHOTS.mkdir(exist_ok=True)
    page.screenshot(path=str(SHOTS / "names-drill.png"), full_page=True)
    select_first_row(page, table)
    page.wait_for_url("**/quotes?**statement=*")
    wait_for_app(page)
    assert page.get_by_text("Its paragraph").is_visible()


def test_journey_2_presenter_sees_no_sidebar(page, server):
    open_app(page, server, "tone?present=1")
    assert page.get_by_role("heading", name="Tone", exact=True).is_visible()
    assert not page.locator("[data-testid='stSidebar']").is_visible()
    assert not page.locator("[data-testid='stHeader']").is_visible()
    assert page.get_by_text("Filters: all statements").is_visible()


def test_journey_3_policy_staff_click_a_country_and_see_the_statements(page, server):
    open_app(page, server, "countries")
    bar = page.locator(".js-plotly-plot").first.locator(".bars path").last  # the most mentioned actor
    bar.scroll_into_view_if_needed()
    box = bar.bounding_box()
    # plotly's drag layer lies over the bars and turns a click there into a point selection
    page.mouse.click(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)
    page.get_by_text("Statements behind your selection").wait_for()
    wait_for_app(page)
    SHOTS.mkdir(exist_ok=True)
    page.screenshot(path=str(SHOTS / "countries-drill.png"), full_page=True)
    tables = page.locator("[data-testid='stDataFrame']")
    assert tables.count() >= 1
    select_first_row(page, tables.first)
    page.wait_for_url("**/quotes?**statement=*")
    wait_for_app(page)
    assert page.get_by_text("Its paragraph").is_visible()


def test_screenshots_of_every_page(browser, server):
    SHOTS.mkdir(exist_ok=True)
    context = browser.new_context(viewport={"width": 1400, "height": 2200})
    page = context.new_page()
    try:
        for name in PAGES:
            for suffix, query in (("", ""), ("-present", "?present=1")):
                open_app(page, server, name + query)
                page.screenshot(path=str(SHOTS / f"{name}{suffix}.png"), full_page=True)
                assert page.locator("[data-testid='stException']").count() == 0, name + suffix
    finally:
        context.close()


def test_switching_pages_keeps_the_filters_in_the_url(page, server):
    open_app(page, server, "overview?actor=ARM&start=2020-01-01")
    page.locator("[data-testid='stSidebar']").get_by_role("link", name="Countries").click()
    page.wait_for_url("**/countries?**")
    wait_for_app(page)
    assert "actor=ARM" in page.url and "start=2020-01-01" in page.url
    assert page.get_by_role("heading", name="Countries", exact=True).is_visible()
    assert page.locator("[data-testid='stSidebar']").get_by_text("Armenia (ARM)").is_visible()
