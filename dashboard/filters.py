"""The shared filters: one frozen value, one reader from the URL, one writer back to it.

Every page receives a ``Filters``; the URL query string is its only serialised
form, so a link reopens the same view. ``where()`` turns the filters into a
WHERE clause whose values are always bound parameters: only placeholder names
(``$f_actor_0``) are ever formatted into the SQL text.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, fields, replace
from datetime import date, timedelta

from dashboard.records import STATEMENT_KINDS
from dashboard.reference import SOURCE_KINDS
from dashboard.search import parse_search, re2_pattern

#: Query-string keys the filters own, in the order they are written.
PARAM_KEYS = (
    "start", "end", "speaker_country", "speaker", "actor", "topic", "kind",
    "source_kind", "outlet_country", "tone_min", "tone_max", "q", "present",
)  # fmt: skip
REPEATABLE = ("speaker_country", "actor", "topic", "source_kind", "outlet_country")
TONE_RANGE = (-1.0, 1.0)
MAX_TEXT = 200  # longer search strings or speaker names are cut, with a warning
MAX_VALUES = 30  # more values of one repeatable key are dropped, with a warning

_CODE = re.compile(r"^[A-Z][A-Z0-9]{1,7}$")  # actor codes: ISO alpha-3, EU, OSCE, CSTO, ...
_TOPIC = re.compile(r"^[a-z0-9_]{1,60}$")
_SOURCE_KIND = re.compile("^(?:" + "|".join(SOURCE_KINDS) + ")$")
_SEARCH_TABLE = re.compile(r"^search_[0-9a-f]{16}$")
_TRUE = {"1", "true", "yes", "on"}
_FALSE = {"0", "false", "no", "off", ""}


@dataclass(frozen=True)
class Filters:
    start: date | None = None
    end: date | None = None
    speaker_country: tuple[str, ...] = ()
    speaker: str | None = None
    actor: tuple[str, ...] = ()
    topic: tuple[str, ...] = ()
    kind: str | None = None  # a statement kind: quote | reported | paragraph | question
    source_kind: tuple[str, ...] = ()  # kinds of source: official | state_media | media | other
    outlet_country: tuple[str, ...] = ()  # the country of the outlet or institution that published it
    tone_min: float | None = None
    tone_max: float | None = None
    q: str | None = None
    present: bool = False

    @classmethod
    def from_query_params(cls, params: Mapping) -> tuple[Filters, list[str]]:
        """Read the filters from a query-string mapping; bad values become warnings, never errors."""
        warnings: list[str] = []
        values: dict = {}

        start = _read_date(_last(params, "start"), "start", warnings)
        end = _read_date(_last(params, "end"), "end", warnings)
        if start and end and start > end:
            warnings.append(f"The start date {start} is after the end date {end}; swapped them.")
            start, end = end, start
        values["start"], values["end"] = start, end

        for key, pattern, hint in (
            ("speaker_country", _CODE, "a country code such as ARM"),
            ("actor", _CODE, "an actor code such as AZE or EU"),
            ("topic", _TOPIC, "a topic id such as peace_treaty"),
            ("source_kind", _SOURCE_KIND, "one of " + ", ".join(SOURCE_KINDS)),
            ("outlet_country", _CODE, "a country code such as RUS"),
        ):
            values[key] = _read_codes(params, key, pattern, hint, warnings)

        values["speaker"] = _read_text(_last(params, "speaker"), "speaker", warnings)
        values["q"] = _read_text(_last(params, "q"), "q", warnings)

        kind = (_last(params, "kind") or "").strip().lower()
        if kind and kind not in STATEMENT_KINDS:
            warnings.append(
                f"Ignored kind={_show(kind)}: use one of {', '.join(STATEMENT_KINDS)}."
            )
            kind = ""
        values["kind"] = kind or None

        tone_min = _read_tone(_last(params, "tone_min"), "tone_min", warnings)
        tone_max = _read_tone(_last(params, "tone_max"), "tone_max", warnings)
        if tone_min is not None and tone_max is not None and tone_min > tone_max:
            warnings.append(f"tone_min {tone_min} is above tone_max {tone_max}; swapped them.")
            tone_min, tone_max = tone_max, tone_min
        values["tone_min"], values["tone_max"] = tone_min, tone_max

        present = (_last(params, "present") or "").strip().lower()
        if present not in _TRUE | _FALSE:
            warnings.append(f"Ignored present={_show(present)}: use present=1 for presenter mode.")
        values["present"] = present in _TRUE
        return cls(**values), warnings

    def to_query_params(self) -> dict[str, str | list[str]]:
        """The query string for these filters: only the keys that differ from the defaults."""
        out: dict[str, str | list[str]] = {}
        for key in PARAM_KEYS:
            value = getattr(self, key)
            if value in (None, (), False, ""):
                continue
            if key in REPEATABLE:
                out[key] = list(value)
            elif isinstance(value, bool):
                out[key] = "1"
            elif isinstance(value, date):
                out[key] = value.isoformat()
            elif isinstance(value, float):
                out[key] = f"{value:g}"
            else:
                out[key] = str(value)
        return out

    def query_string(self, **extra: str) -> str:
        """``key=value&...`` for links between pages (values percent-encoded)."""
        from urllib.parse import urlencode

        pairs = list(self.to_query_params().items()) + [(k, v) for k, v in extra.items() if v]
        return urlencode(pairs, doseq=True)

    def refine(self, **changes) -> Filters:
        """These filters with some fields replaced, e.g. for the statements behind a chart point."""
        return replace(self, **changes)

    def is_empty(self) -> bool:
        return all(getattr(self, f.name) == f.default for f in fields(self) if f.name != "present")

    def describe(self, names: Mapping[str, str] | None = None) -> str:
        """A one-line human summary of the active filters, for captions."""
        names = names or {}

        def label(codes: Iterable[str]) -> str:
            return ", ".join(names.get(c, c) for c in codes)

        parts = []
        if self.start or self.end:
            parts.append(f"{self.start or '…'} to {self.end or '…'}")
        if self.speaker_country:
            parts.append(f"speakers from {label(self.speaker_country)}")
        if self.speaker:
            parts.append(f"speaker {self.speaker}")
        if self.actor:
            parts.append(f"mentioning {label(self.actor)}")
        if self.topic:
            parts.append(f"topics {', '.join(self.topic)}")
        if self.kind:
            parts.append(f"kind {self.kind}")
        if self.source_kind:
            parts.append(f"sources: {', '.join(k.replace('_', ' ') for k in self.source_kind)}")
        if self.outlet_country:
            parts.append(f"published in {label(self.outlet_country)}")
        if self.tone_min is not None or self.tone_max is not None:
            lo = -1.0 if self.tone_min is None else self.tone_min
            hi = 1.0 if self.tone_max is None else self.tone_max
            parts.append(f"tone {lo:+.2f} to {hi:+.2f}")
        if self.q:
            parts.append(f"text search “{self.q}”")
        return "; ".join(parts) if parts else "all statements"

    def where(
        self, alias: str = "s", *, on: str = "statements", skip: Iterable[str] = (), search_table: str | None = None
    ) -> tuple[str, dict]:
        """A WHERE clause (``"TRUE"`` when no filter applies) and its bound parameters.

        ``on="statements"``: ``alias`` is the statements table, or any relation with its
        columns (``statement_details``). ``on="mentions"``: ``alias`` is the mentions table;
        its own date, speaker country and actor are used directly (no join) and the
        statement-level filters become one semi-join on statements.
        ``skip`` names filters to leave out (e.g. ``{"actor"}`` when a query groups by it).
        ``search_table`` names a table of the statement ids matching ``q`` (the queries' search
        cache); without one the text is matched in place. ``q`` is read by
        ``dashboard.search.parse_search``: words that must all occur, "phrases", -exclusions.
        """
        if on not in ("statements", "mentions"):
            raise ValueError(f"on must be 'statements' or 'mentions', not {on!r}")
        skip = set(skip)
        params: dict = {}
        direct: list[str] = []  # conditions on the alias itself
        statement_level: list[str] = []  # conditions on a statements row, aliased "st"

        def bind(name: str, value) -> str:
            params[f"f_{name}"] = value
            return f"$f_{name}"

        def bind_list(name: str, items: tuple[str, ...]) -> str:
            return ", ".join(bind(f"{name}_{i}", v) for i, v in enumerate(items))

        if self.start and "start" not in skip:
            direct.append(f"{alias}.date >= {bind('start', self.start)}")
        if self.end and "end" not in skip:
            direct.append(f"{alias}.date <= {bind('end', self.end)}")
        if self.speaker_country and "speaker_country" not in skip:
            direct.append(
                f"{alias}.speaker_country IN ({bind_list('speaker_country', self.speaker_country)})"
            )
        if self.actor and "actor" not in skip:
            actors = bind_list("actor", self.actor)
            if on == "mentions":
                direct.append(f"{alias}.actor IN ({actors})")
            else:
                direct.append(
                    f"{alias}.statement_id IN (SELECT statement_id FROM mentions WHERE actor IN ({actors}))"
                )
        if self.topic and "topic" not in skip:
            topics = bind_list("topic", self.topic)
            direct.append(
                f"{alias}.statement_id IN "
                f"(SELECT statement_id FROM statement_topics WHERE topic IN ({topics}))"
            )

        row = "st" if on == "mentions" else alias
        for key in ("source_kind", "outlet_country"):
            values = getattr(self, key)
            if values and key not in skip:
                statement_level.append(f"{row}.{key} IN ({bind_list(key, values)})")
        if self.speaker and "speaker" not in skip:
            statement_level.append(f"{row}.speaker = {bind('speaker', self.speaker)}")
        if self.kind and "kind" not in skip:
            statement_level.append(f"{row}.kind = {bind('kind', self.kind)}")
        if self.tone_min is not None and "tone_min" not in skip:
            statement_level.append(f"{row}.tone >= {bind('tone_min', self.tone_min)}")
        if self.tone_max is not None and "tone_max" not in skip:
            statement_level.append(f"{row}.tone <= {bind('tone_max', self.tone_max)}")
        if self.q and "q" not in skip and parse_search(self.q):
            if search_table:
                if not _SEARCH_TABLE.match(search_table):
                    raise ValueError(f"not a search cache table: {search_table!r}")
                direct.append(f"{alias}.statement_id IN (SELECT statement_id FROM {search_table})")
            else:
                query = parse_search(self.q)
                for i, term in enumerate(query.include):
                    statement_level.append(f"regexp_matches({row}.text, {bind(f'q_{i}', re2_pattern(term))})")
                for i, term in enumerate(query.exclude):
                    statement_level.append(
                        f"NOT regexp_matches({row}.text, {bind(f'q_not_{i}', re2_pattern(term))})"
                    )

        if on == "mentions" and statement_level:
            direct.append(
                f"{alias}.statement_id IN (SELECT st.statement_id FROM statements st WHERE "
                + " AND ".join(statement_level)
                + ")"
            )
        else:
            direct.extend(statement_level)
        return (" AND ".join(direct) if direct else "TRUE"), params


def shift(day: date, days: int) -> date:
    """``day`` moved by ``days``, held at the first or last day a date can hold (years 1 and 9999)."""
    try:
        return day + timedelta(days=days)
    except OverflowError:
        return date.max if days > 0 else date.min


def _values(params: Mapping, key: str) -> list[str]:
    # st.query_params returns only the last of repeated keys from get(); get_all() has them all
    raw = params.get_all(key) if hasattr(params, "get_all") else params.get(key)
    if raw is None:
        return []
    if isinstance(raw, str):
        return [raw]
    return [str(v) for v in raw]


def _last(params: Mapping, key: str) -> str | None:
    values = _values(params, key)
    return values[-1] if values else None


def _show(value: str) -> str:
    """A user's bad value, shortened and quoted for a warning."""
    value = value if len(value) <= 40 else value[:40] + "…"
    return repr(value)


def _read_date(raw: str | None, key: str, warnings: list[str]) -> date | None:
    if raw is None or not raw.strip():
        return None
    try:
        return date.fromisoformat(raw.strip())
    except ValueError:
        warnings.append(f"Ignored {key}={_show(raw)}: not a date (use YYYY-MM-DD).")
        return None


def _read_codes(
    params: Mapping, key: str, pattern: re.Pattern, hint: str, warnings: list[str]
) -> tuple[str, ...]:
    out: list[str] = []
    for raw in _values(params, key):
        for part in raw.split(","):  # "actor=ARM,AZE" works as well as repeating the key
            value = part.strip()
            if not value:
                continue
            value = value.upper() if pattern is _CODE else value.lower()
            if not pattern.match(value):
                warnings.append(f"Ignored {key}={_show(part.strip())}: expected {hint}.")
            elif value not in out:
                out.append(value)
    if len(out) > MAX_VALUES:
        warnings.append(f"Only the first {MAX_VALUES} values of {key} are used.")
        out = out[:MAX_VALUES]
    return tuple(out)


def _read_text(raw: str | None, key: str, warnings: list[str]) -> str | None:
    if raw is None:
        return None
    text = " ".join(raw.split())  # no control characters or runs of whitespace
    if len(text) > MAX_TEXT:
        warnings.append(f"{key} was cut to its first {MAX_TEXT} characters.")
        text = text[:MAX_TEXT]
    return text or None


def _read_tone(raw: str | None, key: str, warnings: list[str]) -> float | None:
    if raw is None or not raw.strip():
        return None
    try:
        value = float(raw)
    except ValueError:
        warnings.append(f"Ignored {key}={_show(raw)}: not a number between -1 and 1.")
        return None
    if value != value:  # NaN
        warnings.append(f"Ignored {key}={_show(raw)}: not a number between -1 and 1.")
        return None
    lo, hi = TONE_RANGE
    if not lo <= value <= hi:
        clamped = min(max(value, lo), hi)
        warnings.append(f"{key}={_show(raw)} is outside -1..1; used {clamped:g}.")
        value = clamped
    return round(value, 3)
