"""Markdown and HTML from documents and links show as literal text; CSV cells never run as formulas.

The database of ``hostile_db`` carries payloads in every field a page shows. AppTest checks that
no payload reaches a Markdown element unescaped; the browser test (marker ``browser``) opens every
page in headless Chromium and checks what a reader gets: no link to another host, no image, no
forged bold or colour, no request to the attacker's host, and the payloads readable as text.
"""

from __future__ import annotations

import csv
import io
from pathlib import Path
from urllib.parse import quote, urlsplit

import pytest
from hostile_db import (
    ACTOR_LONG,
    ACTOR_SHORT,
    COUNTRY,
    EVENT,
    FILE,
    FORMULAS,
    HOSTILE,
    HOSTILE_IDS,
    PAYLOADS,
    SPEAKER,
    URL,
    hostile_db,
    open_link,
)  # fmt: skip
from streamlit.components.v2.component_manager import BidiComponentManager
from streamlit.testing.v1 import AppTest
from test_browser import CHROMIUM, CHROMIUM_ARGS, running_app, wait_for_app

from dashboard import queries
from dashboard.filters import Filters
from dashboard.ui import common
from dashboard.ui.quotes import safe_url, source_link

ROOT = Path(__file__).resolve().parent.parent
APP = str(ROOT / "app.py")
#: Query values an attacker puts in a link (the issue's examples).
LINK_PARAMS = {"actor": ["EVL", "[click](https://evil.example)"], "speaker": SPEAKER,
               "q": "[click](https://evil.example) <b>bold</b> **forged**"}  # fmt: skip


@pytest.fixture(scope="module")
def database(tmp_path_factory) -> Path:
    return hostile_db(tmp_path_factory.mktemp("hostile") / "rhetoric.duckdb")


# CSV -------------------------------------------------------------------------------------------


def test_csv_cells_that_begin_like_a_formula_get_an_apostrophe(database):
    con = queries.connect(database)
    text = queries.statements_csv(con, Filters()).decode("utf-8-sig")
    rows = list(csv.DictReader(io.StringIO(text, newline="")))
    by_id = {int(r["statement_id"]): r for r in rows}
    texts = [by_id[sid]["text"] for sid in HOSTILE_IDS[1:]]
    assert texts == ["'" + text for text in FORMULAS]  # =, +, -, @, tab, carriage return
    assert by_id[HOSTILE_IDS[1]]["speaker"] == "'=cmd|' /C calc'!A0"
    assert by_id[HOSTILE_IDS[0]]["outlet"].startswith("'@Outlet")
    assert by_id[HOSTILE_IDS[0]]["text"] == HOSTILE  # nothing else changes
    assert by_id[1]["tone"] == "-0.6"  # numbers stay numbers


def test_the_app_shows_a_formula_like_quote_as_it_was_said(database, monkeypatch):
    at = open_page("quotes", database, monkeypatch, {"statement": str(HOSTILE_IDS[1])})
    assert any(t.value.startswith('=HYPERLINK("https://evil.example"') for t in at.text)  # its paragraph
    assert '=HYPERLINK("https://evil.example"' in at.code[0].value  # the citation


# Source links ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "url",
    ["javascript:alert(1)", "JAVASCRIPT:alert(1)", " data:text/html,<b>x</b>", "file:///etc/passwd",
     "https://", "http:///path", "https://[::1", "https://exa mple.org/", "https://example.org/\nx",
     "//evil.example/x", "ftp://example.org/", ""],
)  # fmt: skip
def test_only_web_links_to_a_named_host_are_links(url):
    assert safe_url(url) is None


def test_a_source_link_shows_its_host_and_whole_url_and_goes_exactly_there():
    md = source_link(URL)
    assert md.startswith("Link to **example\\.org**: [")
    target = md[md.rindex("](") + 2 : -1]
    assert not set(target) & set("()[]<> \"\\`")  # one Markdown link, nothing can end it early
    assert urlsplit(target).hostname == "example.org"
    assert target == "https://example.org/hostile?a=%5Bclick%5D%28https://evil.example%29&b=%3Cb%3Ebold%3C/b%3E"
    assert safe_url(URL) == URL


# Markdown elements in AppTest ------------------------------------------------------------------


def open_page(page: str, database: Path, monkeypatch, params: dict | None = None) -> AppTest:
    monkeypatch.setenv("RHETORIC_DB", str(database))
    # a fresh AppTest scans every installed package for custom components; the app uses none
    monkeypatch.setattr(BidiComponentManager, "discover_and_register_components", lambda self, **kw: None)
    at = open_link(page, params or {})
    assert not at.exception and not at.error, page
    assert [t.value for t in at.title] == [common.PAGE_TITLES[page]]
    return at


def markdown_bodies(at: AppTest) -> list[str]:
    """Everything Streamlit renders as Markdown: text elements, alerts, headings, metric labels."""
    kinds = ("markdown", "caption", "warning", "info", "success", "subheader", "title", "header")
    bodies = [e.value for kind in kinds for e in getattr(at, kind)]
    return bodies + [m.label for m in at.metric]


VIEWS = [(page, {}) for page in common.PAGE_FILES] + [
    (page, {**LINK_PARAMS, "present": "1"}) for page in common.PAGE_FILES
] + [("quotes", {"statement": str(sid)}) for sid in HOSTILE_IDS[:2]] + [
    ("quotes", {"statement": "[click](https://evil.example)", "page": "<b>bold</b>"}),
    ("tone", {"compare": [ACTOR_LONG[0], ACTOR_SHORT[0]], "target": ACTOR_LONG[0]}),
]  # fmt: skip


@pytest.mark.parametrize(("page", "params"), VIEWS, ids=[f"{p}-{i}" for i, (p, _) in enumerate(VIEWS)])
def test_no_payload_reaches_markdown_unescaped(page, params, database, monkeypatch):
    at = open_page(page, database, monkeypatch, params)
    for body in markdown_bodies(at):
        for payload in (*PAYLOADS, SPEAKER, COUNTRY, EVENT, FILE, ACTOR_LONG[1], ACTOR_SHORT[1]):
            assert payload not in body, (page, params, body[:200])


def test_the_detail_view_escapes_every_field_and_keeps_its_text(database, monkeypatch):
    at = open_page("quotes", database, monkeypatch, {"statement": str(HOSTILE_IDS[0])})
    bodies = markdown_bodies(at)
    assert any(b.startswith("Link to **example\\.org**") for b in bodies)  # the source link, visible
    assert any(b.startswith("File: corpus") for b in (c.value for c in at.caption))
    assert at.subheader[0].value.startswith("Evil \\<a href")
    assert any(t.value == HOSTILE for t in at.text)  # the paragraph, as plain text


def test_warnings_quote_hostile_link_values_as_text(database, monkeypatch):
    at = open_page("overview", database, monkeypatch, {"actor": "[click](https://evil.example)"})
    warning = next(w.value for w in at.warning if "actor" in w.value)
    assert "\\[click\\]\\(https\\:\u2060\\/\\/evil\\.example\\)" in warning  # a word joiner stops autolinks


# In a real browser ------------------------------------------------------------------------------

SHOTS = ROOT / "screenshots"
#: What a page may contain a link to: the app itself and the hostile document's own source.
ALLOWED_HOSTS = {"127.0.0.1", "example.org"}
#: Every page, with and without payloads in the link, the detail view, the tone page on the actors.
BROWSER_VIEWS = [
    *common.PAGE_FILES,
    *(f"{page}?present=1&" + "&".join(f"{k}={quote(v, safe='')}" for k, v in
      (("actor", "EVL"), ("actor", "[click](https://evil.example)"), ("speaker", SPEAKER),
       ("q", LINK_PARAMS["q"]))) for page in common.PAGE_FILES),
    f"quotes?statement={HOSTILE_IDS[0]}",
    f"quotes?statement={HOSTILE_IDS[0]}&present=1",
    f"tone?compare={ACTOR_LONG[0]}&compare={ACTOR_SHORT[0]}&target={ACTOR_LONG[0]}",
    f"countries?start=2024-02-01&end=2024-02-29&speaker={quote(SPEAKER, safe='')}",
]  # fmt: skip

#: In the page: every link (with its visible text) and image, in HTML and in plotly's SVG; any
#: element whose whole text is a word a payload tried to format ("<b>bold</b>", "**forged**",
#: ":red[forged]" only ever show as a whole); and any formula KaTeX drew.
PAGE_PROBE = """() => {
    const href = (a) => a.getAttribute('href') || a.getAttributeNS('http://www.w3.org/1999/xlink', 'href');
    const links = [...document.querySelectorAll('a')].filter((a) => href(a))
        .map((a) => ({href: href(a), text: a.textContent.trim()}));
    const images = [...document.querySelectorAll('img, image')].map(
        (i) => i.getAttribute('src') || href(i) || '');
    const forged = [...document.querySelectorAll('body *')]
        .filter((e) => ['bold', 'forged'].includes((e.textContent || '').trim()))
        .map((e) => e.tagName + ':' + e.textContent);
    const katex = document.querySelectorAll('.katex').length;
    const text = document.body.innerText + ' ' + [...document.querySelectorAll('svg text')]
        .map((t) => t.textContent).join(' ');
    return {links, images, forged, katex, text};
}"""


@pytest.fixture(scope="module")
def server(database):
    with running_app(database) as url:
        yield url


def check_page(found: dict, view: str) -> str:
    """Assert what a page drew is inert; its text, for the payloads to be found in."""
    for link in found["links"]:
        host = urlsplit(link["href"]).hostname
        assert host in (None, *ALLOWED_HOSTS), (view, link)
        if host == "example.org":  # the document's own source: the link shows where it goes
            assert link["text"] == URL, (view, link)
    assert [s for s in found["images"] if urlsplit(s).hostname not in (None, "127.0.0.1")] == [], view
    assert found["forged"] == [], view
    assert found["katex"] == 0, view
    return found["text"].replace("\u2060", "")  # the invisible word joiner that stops autolinks


@pytest.mark.browser
def test_in_a_browser_no_payload_links_loads_or_formats_on_any_page(server, tmp_path):
    if not CHROMIUM.exists():
        pytest.skip("no /usr/bin/chromium: run `make chromium` to install Debian's chromium")
    sync_api = pytest.importorskip("playwright.sync_api")
    requests: list[str] = []
    seen_text = ""
    with sync_api.sync_playwright() as p:
        browser = p.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS, headless=True)
        context = browser.new_context(viewport={"width": 1400, "height": 2400})
        # every request any page makes, and none leaves the machine
        context.on("request", lambda r: requests.append(r.url))
        context.route(lambda url: urlsplit(url).hostname not in ("127.0.0.1", "localhost"),
                      lambda route: route.abort())  # fmt: skip
        page = context.new_page()
        page.set_default_timeout(30_000)
        try:
            for view in BROWSER_VIEWS:
                page.goto(f"{server}/{view}")
                wait_for_app(page)
                assert page.locator("[data-testid='stException']").count() == 0, view
                seen_text += check_page(page.evaluate(PAGE_PROBE), view)
                if view.startswith(f"quotes?statement={HOSTILE_IDS[0]}&"):
                    SHOTS.mkdir(exist_ok=True)
                    page.screenshot(path=str(SHOTS / "hostile-detail.png"), full_page=True)
            # the options of the sidebar's speaker list, opened
            page.goto(f"{server}/countries")
            wait_for_app(page)
            page.locator("[data-testid='stSidebar'] [data-testid='stSelectbox']").first.click()
            options = page.get_by_role("listbox")
            options.wait_for()
            assert SPEAKER in options.inner_text()
            seen_text += check_page(page.evaluate(PAGE_PROBE), "countries, speaker list open")
            page.keyboard.press("Escape")
            # plotly's hover box, over each bar of the countries' mentions
            bars = page.locator(".js-plotly-plot").first.locator(".bars path")
            hovers = []
            box = page.locator(".hoverlayer .hovertext").first
            for i in range(bars.count()):
                page.mouse.move(0, 0)  # the last bar's hover box goes first, so this one is read
                box.wait_for(state="detached")
                bars.nth(i).hover(force=True)
                box.wait_for()
                hovers.append(box.text_content())
                seen_text += check_page(page.evaluate(PAGE_PROBE), f"countries, bar {i} hovered")
                if ACTOR_LONG[1] in hovers[-1]:
                    SHOTS.mkdir(exist_ok=True)
                    page.screenshot(path=str(SHOTS / "hostile-countries.png"), full_page=True)
            assert any(h.startswith(ACTOR_LONG[1] + "n=7 mentions") for h in hovers), hovers
            seen_text += " ".join(hovers)  # what a reader sees in the hover boxes
        finally:
            browser.close()
    outside = [r for r in requests if urlsplit(r).hostname not in (None, "127.0.0.1")]
    assert requests and outside == []  # not even the tab's icon: app.py serves its own
    for payload in PAYLOADS:  # each one is on some page, readable as typed
        assert payload in seen_text, payload
    assert ACTOR_LONG[1] in seen_text and COUNTRY in seen_text and EVENT[:28] in seen_text  # a key event: its short label
