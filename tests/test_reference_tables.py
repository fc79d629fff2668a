"""The shipped reference tables in data/: what the extraction and the pages rely on."""

import csv
import re
from collections import defaultdict
from datetime import date
from pathlib import Path

import pytest

from dashboard.reference import load_reference

DATA = Path(__file__).resolve().parent.parent / "data"

ORGANISATIONS = ("EU", "UN", "OSCE", "CSTO", "NATO", "CIS", "EAEU")
REGION = ("ARM", "AZE", "GEO", "RUS", "TUR", "IRN")
SINCE = date(2018, 1, 1)
# Aliases deliberately shared by two actors (documented in data/README.md). None today.
SHARED_ALIASES: set[str] = set()


@pytest.fixture(scope="module")
def ref():
    return load_reference(DATA)


@pytest.fixture(scope="module")
def actor_codes(ref):
    return {a.code for a in ref.actors}


@pytest.fixture(scope="module")
def aliases_by_code(ref):
    return {a.code: {x.lower() for x in a.aliases} for a in ref.actors}


def as_date(text):
    return date.fromisoformat(text) if text else None


def in_office(speaker, day):
    start, end = as_date(speaker.in_office_from), as_date(speaker.in_office_to)
    return (start is None or start <= day) and (end is None or day <= end)


# ---------------------------------------------------------------- headers


@pytest.mark.parametrize(
    "name, header",
    [
        ("actors.csv", ["code", "name", "kind", "aliases"]),
        (
            "speakers.csv",
            ["speaker_id", "name", "aliases", "role", "country", "in_office_from", "in_office_to"],
        ),
        ("topics.csv", ["topic", "label", "keywords"]),
        ("events.csv", ["date", "label", "description", "actors", "source", "importance", "short"]),
    ],
)
def test_tables_have_the_documented_header(name, header):
    with (DATA / name).open(encoding="utf-8", newline="") as fh:
        rows = list(csv.reader(fh))
    assert rows[0] == header
    assert all(len(row) == len(header) for row in rows), f"{name}: a row has the wrong number of cells"


# ---------------------------------------------------------------- actors


def test_actor_codes_are_unique(ref):
    codes = [a.code for a in ref.actors]
    assert len(codes) == len(set(codes))


def test_actor_kinds_are_known(ref):
    assert {a.kind for a in ref.actors} == {"state", "organisation", "historical"}


@pytest.mark.parametrize("code", ORGANISATIONS)
def test_required_organisations_are_present(ref, code):
    assert any(a.code == code and a.kind == "organisation" for a in ref.actors)


def test_states_cover_un_members_and_observers(ref):
    states = {a.code for a in ref.actors if a.kind == "state"}
    assert len(states) >= 193 + 4
    assert {"PSE", "VAT", "TWN", "XKX"} <= states
    assert all(re.fullmatch(r"[A-Z]{3}", code) for code in states)


@pytest.mark.parametrize(
    "code, expected",
    [
        ("ARM", {"armenia", "yerevan", "armenian", "armenians", "republic of armenia"}),
        ("AZE", {"azerbaijan", "baku", "azerbaijani", "azerbaijanis", "azeri"}),
        ("GEO", {"georgia", "tbilisi", "georgian", "georgians"}),
        ("RUS", {"russia", "moscow", "russian", "russians", "russian federation", "the kremlin", "russian foreign ministry"}),
        ("TUR", {"turkey", "türkiye", "turkiye", "ankara", "turkish"}),
        ("IRN", {"iran", "tehran", "iranian", "iranians"}),
        ("USA", {"united states", "washington", "american", "us", "u.s.", "usa", "the white house", "state department"}),
        ("GBR", {"united kingdom", "uk", "britain", "british", "london"}),
        ("FRA", {"france", "paris", "french"}),
        ("DEU", {"germany", "berlin", "german"}),
        ("UKR", {"ukraine", "kyiv", "kiev", "ukrainian"}),
        ("CHN", {"china", "beijing", "chinese"}),
        ("EU", {"european union", "eu", "brussels", "european commission", "euma"}),
        ("NATO", {"nato", "north atlantic treaty organization"}),
        ("CSTO", {"csto", "collective security treaty organization"}),
        ("OSCE", {"osce", "minsk group"}),
    ],
)
def test_key_actors_have_capital_demonym_and_body_aliases(aliases_by_code, code, expected):
    assert expected <= aliases_by_code[code], expected - aliases_by_code[code]


def test_no_alias_maps_to_two_actors(ref):
    owners = defaultdict(set)
    for actor in ref.actors:
        for alias in actor.aliases:
            owners[alias.casefold()].add(actor.code)
    clashes = {alias: codes for alias, codes in owners.items() if len(codes) > 1 and alias not in SHARED_ALIASES}
    assert not clashes


@pytest.mark.parametrize("alias", ["US", "UK", "EU", "UN", "UAE", "DPRK", "NATO", "CSTO", "OSCE", "CIS", "EAEU", "USA"])
def test_short_acronyms_are_written_in_capitals(ref, alias):
    """ALL-CAPS aliases match case-sensitively, so 'US' never matches the pronoun 'us'."""
    all_aliases = {x for a in ref.actors for x in a.aliases}
    assert alias in all_aliases
    assert alias.lower() not in all_aliases


@pytest.mark.parametrize(
    "word",
    ["karabakh", "nagorno-karabakh", "artsakh", "stepanakert", "khankendi", "shusha", "shushi", "lachin",
     "soviet union", "ussr", "soviet", "abkhazia", "south ossetia", "minsk", "persian", "english", "arabic"],
)
def test_regions_and_historical_entities_are_not_actor_aliases(ref, word):
    # a historical entity has its own actor (kind "historical"), never a modern state's alias
    all_aliases = {x.casefold() for a in ref.actors if a.kind != "historical" for x in a.aliases}
    assert word not in all_aliases


# ---------------------------------------------------------------- speakers


def test_every_speaker_country_is_an_actor_code(ref, actor_codes):
    assert {s.country for s in ref.speakers} <= actor_codes


def test_speaker_ids_are_slugs_with_one_name(ref):
    names = defaultdict(set)
    for s in ref.speakers:
        assert re.fullmatch(r"[a-z0-9]+(-[a-z0-9]+)*", s.speaker_id), s.speaker_id
        names[s.speaker_id].add(s.name)
    assert all(len(v) == 1 for v in names.values()), {k: v for k, v in names.items() if len(v) > 1}


def test_speaker_rows_are_unique(ref):
    keys = [(s.speaker_id, s.role, s.in_office_from) for s in ref.speakers]
    assert len(keys) == len(set(keys))


def test_speaker_dates_parse_and_are_ordered(ref):
    for s in ref.speakers:
        start, end = as_date(s.in_office_from), as_date(s.in_office_to)
        assert start is not None, s.speaker_id
        if end is not None:
            assert start <= end, s.speaker_id


def test_speaker_rows_have_a_role_and_a_name(ref):
    for s in ref.speakers:
        assert s.role, s.speaker_id
        assert s.name and s.name not in s.aliases


ROLE_CASES = [(c, "president") for c in REGION] + [
    ("ARM", "prime minister"),
    ("AZE", "prime minister"),
    ("GEO", "prime minister"),
    ("RUS", "prime minister"),
    ("TUR", "prime minister"),  # Binali Yıldırım until the office was abolished in July 2018
    ("IRN", "first vice president"),  # Iran has had no prime minister since 1989
] + [(c, "foreign minister") for c in REGION] + [(c, "foreign ministry spokesperson") for c in REGION]


@pytest.mark.parametrize("country, role", ROLE_CASES)
def test_required_roles_since_2018(ref, country, role):
    holders = [
        s for s in ref.speakers
        if s.country == country and s.role == role
        and (s.in_office_to is None or as_date(s.in_office_to) >= SINCE)
    ]
    assert holders, f"no {role} of {country} in office since 2018"


@pytest.mark.parametrize("country", REGION)
@pytest.mark.parametrize("day", ["2018-09-15", "2020-10-15", "2022-06-15", "2023-09-20", "2025-08-08"])
@pytest.mark.parametrize("roles", [("president",), ("foreign minister", "acting foreign minister")])
def test_exactly_one_holder_on_sample_days(ref, country, day, roles):
    holders = {
        s.speaker_id for s in ref.speakers
        if s.country == country and s.role in roles and in_office(s, date.fromisoformat(day))
    }
    assert len(holders) == 1, (country, day, roles, holders)


@pytest.mark.parametrize(
    "alias, speaker_id",
    [
        ("Sergei Lavrov", "sergey-lavrov"),
        ("Aliev", "ilham-aliyev"),
        ("Ceyhun Bayramov", "jeyhun-bayramov"),
        ("Erdogan", "recep-tayyip-erdogan"),
        ("Araqchi", "abbas-araghchi"),
        ("Zakharova", "maria-zakharova"),
        ("Pashinyan", "nikol-pashinyan"),
    ],
)
def test_transliteration_variants(ref, alias, speaker_id):
    assert any(s.speaker_id == speaker_id and alias in s.aliases for s in ref.speakers)


# ---------------------------------------------------------------- topics


def test_topics_have_unique_slugs_and_keywords(ref):
    slugs = [t.topic for t in ref.topics]
    assert len(slugs) == len(set(slugs))
    for t in ref.topics:
        assert re.fullmatch(r"[a-z0-9_]+", t.topic)
        assert t.label and t.keywords
        for kw in t.keywords:
            assert kw == kw.lower() and kw.strip() == kw
            assert "*" not in kw[:-1], f"{t.topic}: '*' only at the end: {kw}"


@pytest.mark.parametrize(
    "slug",
    ["peace_treaty", "border_delimitation", "transport_corridors", "humanitarian", "mines", "csto",
     "eu_mission", "peacekeepers", "energy", "history_memory", "karabakh", "sanctions",
     "military_security", "international_law", "mediation", "ukraine_war", "nuclear", "eu_integration"],
)
def test_required_topics_exist(ref, slug):
    assert slug in {t.topic for t in ref.topics}


def test_karabakh_place_names_are_topic_keywords(ref):
    karabakh = next(t for t in ref.topics if t.topic == "karabakh")
    assert {"karabakh", "artsakh", "stepanakert", "khankendi", "shusha", "shushi"} <= set(karabakh.keywords)


# ---------------------------------------------------------------- events


def test_events_since_1991_with_valid_dates_and_actors(ref, actor_codes):
    assert len(ref.events) >= 15
    for e in ref.events:
        assert date.fromisoformat(e.date) >= date(1991, 1, 1)
        assert e.label and e.source
        assert e.actors and set(e.actors) <= actor_codes, e.label


def test_events_are_unique_and_sorted(ref):
    keys = [(e.date, e.label) for e in ref.events]
    assert len(keys) == len(set(keys))
    assert [e.date for e in ref.events] == sorted(e.date for e in ref.events)


@pytest.mark.parametrize(
    "day",
    ["1994-05-12", "2020-09-27", "2020-11-10", "2023-09-19", "2025-03-13", "2025-08-08"],
)
def test_key_milestones_are_present(ref, day):
    assert day in {e.date for e in ref.events}


def test_key_events_are_the_few_turning_points_each_with_a_short_label(ref):
    key = {e.date: e for e in ref.events if e.importance == 1}
    assert {"2020-09-27", "2020-11-10", "2023-09-19", "2025-08-08"} <= set(key)
    assert len(key) <= len(ref.events) // 4
    assert all(0 < len(e.short) <= 24 for e in key.values())
    assert {e.importance for e in ref.events} == {1, 2, 3}


def test_an_event_of_unknown_importance_is_refused(tmp_path):
    from dashboard.reference import load_events

    path = tmp_path / "events.csv"
    path.write_text("date,label,description,actors,source,importance\n2020-01-01,X,,ARM,test,key\n")
    with pytest.raises(ValueError, match="importance"):
        load_events(path)
