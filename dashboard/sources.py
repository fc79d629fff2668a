"""Where a document comes from: the sources registry (data/sources.csv) and country names.

A document's source is found, most specific first, by

1. the longest URL prefix of the registry that its URL starts with (``t.me/MFARussia``,
   written without scheme or ``www.``; a Telegram username of the registry is such a prefix);
2. the longest registry domain its URL's host ends with (``en.kremlin.ru`` is ``kremlin.ru``);
3. its outlet name, compared case- and space-insensitively with the registry's names;
4. a registry domain written inside the outlet name ("en.kremlin.ru (President of Russia)").

The source gives the document its ``outlet_country`` and ``source_kind`` (official,
state_media, media, other); an *official* source's document with no speaker is that
institution's own statement.

Countries given by name or demonym in metadata ("Russia", "RUSSIAN FEDERATION",
"Armenian") are mapped to actor codes through the actors table; a value that matches
no actor is kept as it was given, and ingest lists it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from urllib.parse import urlsplit

from dashboard.reference import Reference, Source

_SPACE = re.compile(r"\s+")
#: Emoji, flags and symbols a channel title may carry ("MFA Russia 🇷🇺").
_DECOR = re.compile(r"[^\w\s.&/()'’\-]+")


def _name_key(name: str) -> str:
    return _SPACE.sub(" ", _DECOR.sub(" ", name)).strip().casefold()


def _url_key(url: str) -> tuple[str, str]:
    """(host without www., host + path) of a URL, lower-cased host; ('', '') when it has none."""
    text = url.strip()
    if "://" not in text:
        text = "http://" + text
    try:
        parts = urlsplit(text)
        host = (parts.hostname or "").lower()
    except ValueError:
        return "", ""
    host = host.removeprefix("www.")
    return host, host + parts.path


@dataclass(frozen=True)
class SourceMatch:
    source: Source
    how: str  # url_prefix | domain | outlet | outlet_domain


class SourceRegistry:
    def __init__(self, sources: tuple[Source, ...]) -> None:
        self.sources = sources
        prefixes: list[tuple[str, Source]] = []
        for s in sources:
            for prefix in s.url_prefixes:
                host, path = _url_key(prefix)
                if host:
                    prefixes.append((path.rstrip("/").lower(), s))
            for user in s.telegram:
                prefixes.append((f"t.me/{user}".lower(), s))
        self._prefixes = sorted(prefixes, key=lambda p: len(p[0]), reverse=True)
        self._domains = sorted(((d, s) for s in sources for d in s.domains), key=lambda p: len(p[0]), reverse=True)
        self._names: dict[str, Source] = {}
        for s in sources:
            for name in (s.name, *s.outlet_names):
                self._names.setdefault(_name_key(name), s)

    def match(self, outlet: str | None, url: str | None) -> SourceMatch | None:
        if url:
            host, path = _url_key(url)
            low = path.lower()
            for prefix, s in self._prefixes:
                if low == prefix or low.startswith(prefix + "/"):
                    return SourceMatch(s, "url_prefix")
            for domain, s in self._domains:
                if host == domain or host.endswith("." + domain):
                    return SourceMatch(s, "domain")
        if outlet:
            found = self._names.get(_name_key(outlet))
            if found:
                return SourceMatch(found, "outlet")
            low = outlet.lower()
            for domain, s in self._domains:
                if re.search(rf"(?<![\w.-]){re.escape(domain)}(?![\w-])", low):
                    return SourceMatch(s, "outlet_domain")
        return None

    def names_source(self, text: str | None, source: Source) -> bool:
        """Whether ``text`` is one of the registry's names of ``source`` ("Kremlin press service (...)")."""
        if not text:
            return False
        key = _name_key(text)
        bare = _name_key(re.sub(r"\s*\([^()]*\)\s*$", "", text))
        return self._names.get(key) is source or self._names.get(bare) is source

    def telegram_url(self, channel: str | None, message_id: object) -> str | None:
        """The public link of a message of a registry channel named ``channel`` (None if unknown)."""
        if not channel:
            return None
        found = self._names.get(_name_key(channel))
        if found and found.telegram and str(message_id).isdigit():
            return f"https://t.me/{found.telegram[0]}/{message_id}"
        return None


@lru_cache(maxsize=8)
def registry_for(reference: Reference) -> SourceRegistry:
    return SourceRegistry(reference.sources)


class CountryNames:
    """Actor codes from the names, demonyms and aliases of the actors table."""

    def __init__(self, reference: Reference) -> None:
        self.codes = {a.code for a in reference.actors}
        names: dict[str, str] = {}
        for a in reference.actors:
            names.setdefault(a.code.casefold(), a.code)
        for a in reference.actors:
            for alias in (a.name, *a.aliases):
                names.setdefault(_name_key(alias), a.code)
                names.setdefault(_name_key(alias.removeprefix("the ")), a.code)
        self._names = names

    def code(self, value: str | None) -> tuple[str | None, bool]:
        """``(code, matched)``: the actor code for ``value``, or ``value`` itself and False."""
        if value is None or not str(value).strip():
            return None, True
        text = str(value).strip()
        key = _name_key(text)
        found = self._names.get(key) or self._names.get(key.removeprefix("the "))
        if found:
            return found, True
        return text, False


@lru_cache(maxsize=8)
def country_names_for(reference: Reference) -> CountryNames:
    return CountryNames(reference)
