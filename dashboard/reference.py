"""The editable reference tables shipped in ``data/``: actors, speakers, topics, events, sources.

Each is a UTF-8 CSV file that users may edit with a spreadsheet program.
Multi-valued cells (aliases, keywords, actors) are separated by ``|``.

- ``actors.csv``: code, name, kind, aliases
- ``speakers.csv``: speaker_id, name, aliases, role, country, in_office_from, in_office_to
- ``topics.csv``: topic, label, keywords
- ``events.csv``: date, label, description, actors, source, importance, short
- ``sources.csv``: source_id, name, kind, country, domains, url_prefixes, outlet_names,
  telegram, attribution, note (see ``dashboard.sources``)
- ``names.csv``: group, variant, patterns, side, note (contested place names; see ``dashboard.names``)
"""

from __future__ import annotations

import csv
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from dashboard import settings


def split_multi(cell: str | None) -> tuple[str, ...]:
    """Split a ``|``-separated cell into its trimmed, non-empty parts."""
    if not cell:
        return ()
    return tuple(part.strip() for part in cell.split("|") if part.strip())


@dataclass(frozen=True)
class Actor:
    code: str
    name: str
    kind: str
    aliases: tuple[str, ...]


@dataclass(frozen=True)
class Speaker:
    speaker_id: str
    name: str
    aliases: tuple[str, ...]
    role: str
    country: str
    in_office_from: str | None
    in_office_to: str | None


@dataclass(frozen=True)
class Topic:
    topic: str
    label: str
    keywords: tuple[str, ...]


@dataclass(frozen=True)
class Event:
    date: str
    label: str
    description: str
    actors: tuple[str, ...]
    source: str
    importance: int = 2  # one of EVENT_IMPORTANCE
    short: str = ""  # the label drawn on timelines, when the event is key (else the label is cut)


#: How much an event matters on a timeline: key events (the few turning points) are drawn with a
#: label, the others are markers whose label shows on hover.
EVENT_IMPORTANCE = {1: "key", 2: "notable", 3: "minor"}


#: Kinds of source in ``sources.csv``: a ministry, presidency, government or mission's own
#: channel; media owned or funded by a state; other media; anything else.
SOURCE_KINDS = ("official", "state_media", "media", "other")


@dataclass(frozen=True)
class Source:
    source_id: str
    name: str
    kind: str  # one of SOURCE_KINDS
    country: str  # actor code of the state or organisation behind it
    domains: tuple[str, ...]
    url_prefixes: tuple[str, ...]
    outlet_names: tuple[str, ...]
    telegram: tuple[str, ...]  # channel usernames: t.me/<name>
    attribution: str = ""  # shown with every statement from it (a licence may require it)


@dataclass(frozen=True)
class NameVariant:
    """One of the names a contested place goes by, and the spellings that count as using it."""

    group: str  # the place, e.g. "Stepanakert / Khankendi"
    variant: str  # e.g. "Khankendi"
    patterns: tuple[str, ...]  # e.g. ("Khankendi", "Xankəndi")
    side: str  # who typically says it
    note: str


@dataclass(frozen=True, eq=False)
class Reference:
    """All reference tables, loaded once.

    Compared and hashed by identity: the matchers built from it are cached per object, and
    hashing every alias of every table on each lookup cost more than the lookups themselves.
    """

    actors: tuple[Actor, ...]
    speakers: tuple[Speaker, ...]
    topics: tuple[Topic, ...]
    events: tuple[Event, ...]
    sources: tuple[Source, ...] = ()
    names: tuple[NameVariant, ...] = ()

    def actor_names(self) -> dict[str, str]:
        return {a.code: a.name for a in self.actors}


def read_rows(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8-sig", newline="") as fh:
        return [
            {k.strip(): (v or "").strip() for k, v in row.items() if k}
            for row in csv.DictReader(fh)
        ]


def load_actors(path: Path) -> tuple[Actor, ...]:
    return tuple(
        Actor(r["code"], r["name"], r.get("kind", ""), split_multi(r.get("aliases")))
        for r in read_rows(path)
        if r.get("code")
    )


def load_speakers(path: Path) -> tuple[Speaker, ...]:
    return tuple(
        Speaker(
            speaker_id=r["speaker_id"],
            name=r["name"],
            aliases=split_multi(r.get("aliases")),
            role=r.get("role", ""),
            country=r.get("country", ""),
            in_office_from=r.get("in_office_from") or None,
            in_office_to=r.get("in_office_to") or None,
        )
        for r in read_rows(path)
        if r.get("speaker_id")
    )


def load_topics(path: Path) -> tuple[Topic, ...]:
    return tuple(
        Topic(r["topic"], r.get("label") or r["topic"], split_multi(r.get("keywords")))
        for r in read_rows(path)
        if r.get("topic")
    )


def load_events(path: Path) -> tuple[Event, ...]:
    """The events table; a row without an importance is notable (older tables have no such column)."""
    events = []
    for r in read_rows(path):
        if not r.get("date"):
            continue
        importance = r.get("importance") or "2"
        if importance not in {str(k) for k in EVENT_IMPORTANCE}:
            raise ValueError(f"{path}: event {r['label']!r} has importance {importance!r}; use 1 (key), 2 or 3")
        events.append(
            Event(
                r["date"],
                r["label"],
                r.get("description", ""),
                split_multi(r.get("actors")),
                r.get("source", ""),
                int(importance),
                r.get("short", ""),
            )
        )
    return tuple(events)


def load_sources(path: Path) -> tuple[Source, ...]:
    """The sources registry; a missing file is an empty registry (older data folders have none)."""
    if not path.is_file():
        return ()
    rows = []
    for r in read_rows(path):
        if not r.get("source_id"):
            continue
        kind = (r.get("kind") or "other").strip().lower()
        if kind not in SOURCE_KINDS:
            raise ValueError(f"{path}: source {r['source_id']!r} has kind {kind!r}; use one of {SOURCE_KINDS}")
        rows.append(
            Source(
                source_id=r["source_id"],
                name=r.get("name") or r["source_id"],
                kind=kind,
                country=(r.get("country") or "").upper(),
                domains=tuple(d.lower().removeprefix("www.") for d in split_multi(r.get("domains"))),
                url_prefixes=split_multi(r.get("url_prefixes")),
                outlet_names=split_multi(r.get("outlet_names")),
                telegram=tuple(t.lstrip("@") for t in split_multi(r.get("telegram"))),
                attribution=r.get("attribution", ""),
            )
        )
    return tuple(rows)


def load_names(path: Path) -> tuple[NameVariant, ...]:
    """The contested names; a missing file is an empty table (older data folders have none)."""
    if not path.is_file():
        return ()
    return tuple(
        NameVariant(r["group"], r["variant"], split_multi(r.get("patterns")) or (r["variant"],),
                    r.get("side", ""), r.get("note", ""))  # fmt: skip
        for r in read_rows(path)
        if r.get("group") and r.get("variant")
    )


def load_reference(data_dir: Path | None = None) -> Reference:
    """Load every reference table from ``data_dir`` (default: the configured data folder)."""
    folder = Path(data_dir) if data_dir else settings.data_dir()
    return Reference(
        actors=load_actors(folder / "actors.csv"),
        speakers=load_speakers(folder / "speakers.csv"),
        topics=load_topics(folder / "topics.csv"),
        events=load_events(folder / "events.csv"),
        sources=load_sources(folder / "sources.csv"),
        names=load_names(folder / "names.csv"),
    )


@cache
def default_reference() -> Reference:
    """The shipped reference tables, loaded once per process."""
    return load_reference()
