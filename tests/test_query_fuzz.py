"""Fuzz: hundreds of odd and hostile links over every page give a page (with notices), never an error box.

The links are generated, not listed: random but fixed (seeded) combinations of the keys the app
reads, keys it does not, and values a careless or hostile user could put in a URL. Each opens a
fresh session (as a pasted link does) on the hostile database of ``hostile_db``, and a share of
them on a database holding a statement dated 9999-12-31.
"""

from __future__ import annotations

import random
from pathlib import Path
from urllib.parse import parse_qs, quote

import pytest
from hostile_db import PAYLOADS, SPEAKER, far_future_db, hostile_db, open_link
from streamlit.components.v2.component_manager import BidiComponentManager

from dashboard.filters import PARAM_KEYS
from dashboard.ui import common

LINKS_PER_PAGE = 60  # on the hostile database; six pages make 360 links
FAR_LINKS_PER_PAGE = 4  # on the 9999-12-31 database

KEYS = (*PARAM_KEYS, *common.PAGE_KEYS, "page", "embed", "unknown", "Actor", "actor[]", "", "q q", "%00")
#: Values that are good for some key, so a link reaches deep into a page before a bad one hits.
GOOD = (
    "ARM", "AZE", "EU", "EVL", "BLD", "ARM,AZE", "arm", "peace_treaty", "evil_topic", "quote", "question",
    "official", "state_media", "day", "week", "month", "year", "share", "n", "2024-02-15", "2023-09-19",
    "2024-01-01", "2023-06-01", "30", "365", "730", "newest", "most hostile", "1", "2", "5", "101", "0.5",
    "-0.25", "Ararat Mirzoyan", SPEAKER, "peace", "regret",
)  # fmt: skip
BAD = (
    "", " ", "\t", "1" * 41, "9" * 5000, "-1", "0", "-0", "00000000000000000001", "9223372036854775808",
    "NaN", "nan", "inf", "-inf", "1e308", "1e-400", "0x1F", "1_000", "²", "١٢", "１２", "½",
    "0000-00-00", "9999-12-31", "10000-01-01", "0001-01-01", "-0001-01-01", "2024-02-30", "2024-1-1",
    "2024-02-15T00:00", "true", "yes", "off", "on", "2", "%ED%A0%80", "%C0%AF", "%FF%FE", "%00", "%0A",
    "a" * 3000, "ü" * 300, "\u202eevil", "🇦🇲🇦🇿", "'; DROP TABLE statements; --", "$f_actor_0",
    "(?i).*", "\\", "%", "%{y}", "{{7*7}}", "../../etc/passwd", "javascript:alert(1)",
    *PAYLOADS,
)  # fmt: skip


#: Links that gave an error box before (issue 12), opened on every page besides the generated ones.
KNOWN = ("statement=" + "1" * 41, "statement=%C2%B2", "page=%C2%B2", "page=" + "9" * 5000, "granularity=week",
         "start=0001-01-01&end=0001-01-02&granularity=week&event=2024-02-15&window=730",
         "start=9999-12-31&granularity=month")  # fmt: skip


def _value(rng: random.Random) -> str:
    """A value, percent-encoded for a query string, or sometimes raw (a `%ED%A0%80` stays as typed)."""
    pool = GOOD if rng.random() < 0.35 else BAD
    value = rng.choice(pool)
    if rng.random() < 0.15:
        value = value + rng.choice(BAD)
    return value if value.startswith("%") and rng.random() < 0.7 else quote(value, safe="")


def query_strings(count: int, seed: int) -> list[str]:
    """``count`` query strings of one to six pairs; some repeat a key, some leave the value out."""
    rng = random.Random(seed)
    out = []
    for _ in range(count):
        pairs = []
        for _ in range(rng.randint(1, 6)):
            key = quote(rng.choice(KEYS), safe="[]%")
            pairs.append(key if rng.random() < 0.05 else f"{key}={_value(rng)}")
            if rng.random() < 0.15:  # the same key again
                pairs.append(f"{key}={_value(rng)}")
        out.append("&".join(pairs))
    return out


def failures_on(db: Path, page: str, links: list[str], monkeypatch) -> list[str]:
    """Open each link on ``page`` in a fresh session; the links that did not give the page, and why."""
    monkeypatch.setenv("RHETORIC_DB", str(db))
    # Every fresh AppTest scans the metadata of all installed packages for custom components
    # (0.3 s a run, 95% of it); the app uses none.
    monkeypatch.setattr(BidiComponentManager, "discover_and_register_components", lambda self, **kw: None)
    bad = []
    for link in links:
        # what Streamlit does with the query string of the page's URL
        params = {k: v if len(v) > 1 else v[0] for k, v in parse_qs(link, keep_blank_values=True).items()}
        try:
            at = open_link(page, params)
        except Exception as exc:  # noqa: BLE001 - a timeout or a crash of the test harness itself
            bad.append(f"/{page}?{link}: {type(exc).__name__}: {exc}")
            continue
        boxes = [e.value[:80] for e in (*at.exception, *at.error)]
        if boxes:
            bad.append(f"/{page}?{link}: {boxes}")
        elif [t.value for t in at.title] != [common.PAGE_TITLES[page]]:
            bad.append(f"/{page}?{link}: no page, titles {[t.value for t in at.title]}")
    return bad


def test_the_generated_links_are_many_and_varied():
    links = query_strings(LINKS_PER_PAGE * len(common.PAGE_FILES), seed=12)
    assert len(set(links)) >= 300
    keys = {k for link in links for k in parse_qs(link, keep_blank_values=True)}
    assert {"statement", "granularity", "start", "actor", "q", "page"} <= keys
    assert any("%ED%A0%80" in link for link in links) and any("9999-12-31" in link for link in links)


@pytest.fixture(scope="module")
def databases(tmp_path_factory) -> dict[str, Path]:
    folder = tmp_path_factory.mktemp("fuzz")
    return {"hostile": hostile_db(folder / "hostile.duckdb"), "far": far_future_db(folder / "far.duckdb")}


@pytest.mark.parametrize("page", list(common.PAGE_FILES))
def test_no_link_gives_an_error_box(page, databases, monkeypatch):
    index = list(common.PAGE_FILES).index(page)
    count = LINKS_PER_PAGE * len(common.PAGE_FILES)
    links = [*KNOWN, *query_strings(count, seed=12)[index :: len(common.PAGE_FILES)]]
    assert failures_on(databases["hostile"], page, links, monkeypatch) == []


@pytest.mark.parametrize("page", list(common.PAGE_FILES))
def test_a_date_in_year_9999_gives_no_error_box(page, databases, monkeypatch):
    links = ["", "granularity=week", "granularity=month", "granularity=day", "granularity=year",
             "start=9999-12-01", "start=9999-12-27&granularity=week", "end=9999-12-31&granularity=month",
             *query_strings(FAR_LINKS_PER_PAGE, seed=99)]  # fmt: skip
    assert failures_on(databases["far"], page, links, monkeypatch) == []
