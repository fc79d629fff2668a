"""The sources registry, official channels as first-person statements, and countries given by name."""

import json

import duckdb
import pytest

from dashboard.extract import extract_document
from dashboard.filters import Filters
from dashboard.ingest import ingest
from dashboard.records import RawDocument
from dashboard.reference import default_reference, load_sources
from dashboard.sources import country_names_for, registry_for


def match(outlet=None, url=None):
    found = registry_for(default_reference()).match(outlet, url)
    return (found.source.source_id, found.source.kind, found.source.country, found.how) if found else None


@pytest.mark.parametrize(
    "outlet, url, expected",
    [
        (None, "https://t.me/MFARussia/28559", ("mfa-russia-en", "official", "RUS", "url_prefix")),
        (None, "http://en.kremlin.ru/events/president/news/67200", ("kremlin", "official", "RUS", "domain")),
        (None, "https://www.mfa.am/en/press-releases/2024/01/01/x", ("mfa-armenia", "official", "ARM", "domain")),
        ("TASS", None, ("tass", "state_media", "RUS", "outlet")),
        ("Azertac", None, ("azertac", "state_media", "AZE", "outlet")),
        ("MFA Russia \U0001F1F7\U0001F1FA", None, ("mfa-russia-en", "official", "RUS", "outlet")),
        ("en.kremlin.ru (President of Russia)", None, ("kremlin", "official", "RUS", "outlet_domain")),
        ("The White House", "https://bidenwhitehouse.archives.gov/briefing-room/x", ("white-house", "official", "USA", "domain")),
        ("Civil.ge", "https://civil.ge/archives/1", ("civil-ge", "media", "GEO", "domain")),
        ("Some Blog", "https://blog.example.org/post", None),
    ],
)  # fmt: skip
def test_the_registry_finds_the_source_by_url_prefix_domain_or_name(outlet, url, expected):
    assert match(outlet, url) == expected


def test_the_registry_ships_the_regions_official_channels_and_the_wires():
    sources = default_reference().sources
    official = {s.country for s in sources if s.kind == "official"}
    assert {"ARM", "AZE", "GEO", "RUS", "TUR", "IRN", "EU", "USA"} <= official
    names = {s.name for s in sources}
    for outlet in ("TASS", "RIA Novosti", "Interfax", "Armenpress", "News.am", "Azertac", "APA", "Trend",
                   "Report.az", "Caliber.Az", "Civil.ge", "Interpressnews", "Anadolu Agency", "IRNA",
                   "Reuters", "Associated Press", "Agence France-Presse"):  # fmt: skip
        assert outlet in names


def test_an_unknown_kind_of_source_is_an_error_not_a_silent_default(tmp_path):
    path = tmp_path / "sources.csv"
    path.write_text("source_id,name,kind,country\nx,X,propaganda,RUS\n", encoding="utf-8")
    with pytest.raises(ValueError, match="propaganda"):
        load_sources(path)


@pytest.mark.parametrize(
    "value, expected",
    [("Russia", ("RUS", True)), ("RUSSIA", ("RUS", True)), ("Russian Federation", ("RUS", True)),
     ("Armenian", ("ARM", True)), ("United States", ("USA", True)), ("UNITED STATES", ("USA", True)),
     ("aze", ("AZE", True)), ("European Union", ("EU", True)), ("Narnia", ("Narnia", False)),
     ("", (None, True)), (None, (None, True))],
)  # fmt: skip
def test_countries_given_by_name_or_demonym_become_actor_codes(value, expected):
    assert country_names_for(default_reference()).code(value) == expected


def post(text, n, **meta):
    return {"text": text, "date": f"2026-02-1{n % 10}", "url": f"https://t.me/MFARussia/{1000 + n}",
            "outlet": "MFA Russia", **meta}  # fmt: skip


# Hand-written posts in the style of a foreign ministry's channel: no speaker, no doc_type.
POSTS = [
    "\u26a1\ufe0f Russia is ready to continue assisting Armenia and Azerbaijan in the delimitation of their border.",
    "The Russian side notes with concern the growing militarisation of the South Caucasus by non-regional players.",
    "\U0001F1F7\U0001F1FA Key outcomes of the year\n\nRussia made a significant contribution to stability in the CIS.\n\n"
    "\u2022 The CSTO held its summit in Moscow.\n\n\u2022 Trade with the EAEU partners grew.",
    "We regret that Western members of the Security Council once again blocked the draft press statement.",
    "On 16 January 1909, a future Hero of the Soviet Union was born in Baku. His submarine made 18 patrols.",
    "Moscow welcomes the agreement between Baku and Yerevan on the opening of transport communications.",
    "The Foreign Ministry warns Russian citizens against travel to the border areas until further notice.",
    "#Zakharova: The statements by the Georgian opposition are a blatant interference in internal affairs.",
    "Russia's Embassy in Tbilisi held a reception on the occasion of Diplomat's Day for friends of Russia.",
    "Consultations on consular issues took place in Ankara between the Russian and Turkish foreign ministries.",
]


def test_a_ministrys_posts_are_its_first_person_statements(tmp_path):
    folder = tmp_path / "posts"
    folder.mkdir()
    with (folder / "mfa.jsonl").open("w", encoding="utf-8") as fh:
        for n, text in enumerate(POSTS):
            fh.write(json.dumps(post(text, n)) + "\n")
    db = tmp_path / "db.duckdb"
    ingest([folder], db, progress=False)
    with duckdb.connect(str(db), read_only=True) as con:
        per_post = con.execute(
            """SELECT d.doc_id, d.source_kind, d.outlet_country, d.doc_type,
                      count(s.statement_id) FILTER (WHERE s.speaker_country = 'RUS') AS own
               FROM documents d LEFT JOIN statements s USING (doc_id) GROUP BY ALL"""
        ).fetchall()
        speakers = {r[0] for r in con.execute("SELECT DISTINCT speaker FROM statements").fetchall()}
    assert len(per_post) == len(POSTS)
    assert {(kind, country, doc_type) for _d, kind, country, doc_type, _n in per_post} == {
        ("official", "RUS", "first_person")
    }
    assert sum(1 for *_rest, own in per_post if own > 0) == len(POSTS)  # every post
    assert "Ministry of Foreign Affairs of the Russian Federation (English)" in speakers


def test_a_title_naming_whose_words_they_are_makes_them_that_persons():
    raw = RawDocument(
        text="Russia's Foreign Minister Sergey Lavrov's opening remarks at talks with Alen Simonyan\n\n"
        "Armenia is our ally and strategic partner, and we value our dialogue.\n\n"
        "We believe the agreements of 2020-2022 remain relevant for the region.",
        source_path="t.json", title="Russia's Foreign Minister Sergey Lavrov's opening remarks at talks with Alen Simonyan",
        date="2026-02-05", outlet="MFA Russia", url="https://t.me/MFARussia/28238",
    )  # fmt: skip
    doc = extract_document(raw, default_reference())
    assert [(s.speaker, s.speaker_country, s.attribution_method) for s in doc.statements] == [
        ("Sergey Lavrov", "RUS", "title"), ("Sergey Lavrov", "RUS", "title"),
    ]  # fmt: skip  (the title repeated as the first line is a heading, not a statement)


def test_a_quotation_in_an_official_post_keeps_its_speaker():
    raw = RawDocument(
        text="Ministry of Foreign Affairs of Armenia\n\n"
        "Armenia remains committed to the peace agenda with Azerbaijan and to the opening of communications.\n\n"
        '"We are ready to sign the agreement without delay," Foreign Minister Jeyhun Bayramov said in Baku.',
        source_path="t.json", date="2025-03-01", url="https://www.mfa.am/en/news/1",
    )  # fmt: skip
    doc = extract_document(raw, default_reference())
    assert [(s.kind, s.speaker, s.speaker_country) for s in doc.statements] == [
        ("paragraph", "Ministry of Foreign Affairs of Armenia", "ARM"),
        ("quote", "Jeyhun Bayramov", "AZE"),
    ]


def test_news_stays_news():
    raw = RawDocument(
        text='Armenia and Azerbaijan held talks. "We are close to an agreement," Ararat Mirzoyan said.',
        source_path="t.json", date="2025-03-01", outlet="TASS", url="https://tass.com/politics/1",
    )  # fmt: skip
    doc = extract_document(raw, default_reference())
    assert (doc.doc_type, doc.source_kind, doc.outlet_country) == ("reported", "state_media", "RUS")
    assert [s.kind for s in doc.statements] == ["quote"]


def test_a_country_no_actor_matches_is_kept_and_listed(tmp_path):
    path = tmp_path / "speech.jsonl"
    path.write_text(
        json.dumps({"text": "We support the peace process between Armenia and Azerbaijan in every way.",
                    "speaker": "A. Delegate", "speaker_country": "Ruritania", "date": "2024-09-24"}) + "\n"
        + json.dumps({"text": "Russia supports the trilateral agreements and the work of the commission.",
                      "speaker": "Maria Zakharova", "speaker_country": "RUSSIA", "date": "2024-09-25"}) + "\n",
        encoding="utf-8",
    )  # fmt: skip
    db = tmp_path / "db.duckdb"
    summary = ingest([path], db, progress=False)
    assert summary.unmatched_countries == {"Ruritania": 1}
    assert "Ruritania" in summary.report()
    with duckdb.connect(str(db), read_only=True) as con:
        countries = {r[0] for r in con.execute("SELECT DISTINCT speaker_country FROM statements").fetchall()}
        documents = {r[0] for r in con.execute("SELECT DISTINCT speaker_country FROM documents").fetchall()}
    assert countries == documents == {"Ruritania", "RUS"}


def test_kind_of_source_and_outlet_country_are_filters_in_the_url():
    f, warnings = Filters.from_query_params({"source_kind": ["official", "state_media"], "outlet_country": "rus"})
    assert (f.source_kind, f.outlet_country, warnings) == (("official", "state_media"), ("RUS",), [])
    assert Filters.from_query_params(f.to_query_params())[0] == f
    where, params = f.where("s")
    assert "s.source_kind IN" in where and "s.outlet_country IN" in where
    assert set(params.values()) == {"official", "state_media", "RUS"}
    bad, warnings = Filters.from_query_params({"source_kind": "propaganda"})
    assert bad.source_kind == () and "source_kind" in warnings[0]


def test_the_source_filters_select_statements(tmp_path):
    folder = tmp_path / "mixed"
    folder.mkdir()
    (folder / "a.jsonl").write_text(
        json.dumps(post(POSTS[0], 1)) + "\n"
        + json.dumps({"text": 'Talks went on. "We want peace with Armenia," Ilham Aliyev said on Monday.',
                      "date": "2025-01-02", "outlet": "Azertac", "url": "https://azertag.az/en/1"}) + "\n",
        encoding="utf-8",
    )  # fmt: skip
    db = tmp_path / "db.duckdb"
    ingest([folder], db, progress=False)
    from dashboard import queries

    con = queries.connect(db)
    try:
        assert queries.statement_count(con, Filters(source_kind=("official",))) == 1
        assert queries.statement_count(con, Filters(source_kind=("state_media",))) == 1
        assert queries.statement_count(con, Filters(outlet_country=("AZE",))) == 1
        assert queries.statement_count(con, Filters(outlet_country=("RUS",), source_kind=("state_media",))) == 0
        assert not queries.mentions_by_actor(con, Filters(outlet_country=("AZE",))).empty
        assert set(queries.filter_options(con)["source_kinds"]["kind"]) == {"official", "state_media"}
    finally:
        con.close()
