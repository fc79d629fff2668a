"""One colour per actor on every chart of every page, safe for colour-blind readers.

The main actors take the Okabe-Ito palette (Okabe & Ito 2008), which stays
distinguishable under the common colour-vision deficiencies; the next most
frequent ones take fixed colours of Paul Tol's "muted" scheme; every other
actor takes a soft tint chosen by a stable hash of its code, so an actor
keeps its colour across pages, runs and machines.
"""

from __future__ import annotations

import hashlib

#: Okabe-Ito, assigned to the actors the dashboard is about.
ACTOR_COLORS = {
    "ARM": "#E69F00",  # orange
    "AZE": "#0072B2",  # blue
    "GEO": "#009E73",  # bluish green
    "RUS": "#D55E00",  # vermillion
    "TUR": "#CC79A7",  # reddish purple
    "IRN": "#56B4E9",  # sky blue
    "EU": "#F0E442",  # yellow
    "USA": "#000000",  # black
}

#: Paul Tol's muted scheme, fixed for the next most frequent actors of this field, so that
#: the lines of one chart rarely share a colour.
SECOND_COLORS = {
    "UKR": "#332288",  # indigo
    "FRA": "#882255",  # wine
    "GBR": "#44AA99",  # teal
    "DEU": "#999933",  # olive
    "UN": "#117733",  # green
    "NATO": "#CC6677",  # rose
    "OSCE": "#DDCC77",  # sand
    "CSTO": "#AA4499",  # purple
    "SUN": "#661100",  # brown (the Soviet Union, before 1992)
}

#: Every other actor: soft tints unlike any fixed colour above, so that a secondary actor is never
#: mistaken for a main one; the chart's labels and legend name it.
FALLBACK = ("#B8A58A", "#8FA3B8", "#A3B88F", "#B88FA3", "#A8A8A8", "#C4B2D6")

#: The actors a timeline colours when the filters name none: the South Caucasus, which the
#: product is about. Three colours can be followed at a glance; Russia, Turkey, Iran, the EU and
#: the US are drawn as grey context (the filters colour any of them on demand).
FOCUS = ("ARM", "AZE", "GEO")
CONTEXT = "#C8C8C8"  # lines drawn for context, behind the coloured focus
CONTEXT_TEXT = "#8C8C8C"  # their labels: darker than the line, to stay legible

UNKNOWN = "#BBBBBB"  # statements with no speaker country
OTHER = "#8C8C8C"  # the series folded together as "Other"

#: Diverging scale for tone (-1 hostile .. +1 warm): vermillion - white - blue,
#: readable with red-green colour blindness (no red/green pair).
TONE_SCALE = [
    [0.0, "#B2182B"],
    [0.25, "#EF8A62"],
    [0.5, "#F7F7F7"],
    [0.75, "#67A9CF"],
    [1.0, "#2166AC"],
]

#: The five tone bands, coloured along the same diverging scale.
BAND_COLORS = {
    "hostile": "#B2182B",
    "critical": "#EF8A62",
    "neutral": "#D9D9D9",
    "cooperative": "#67A9CF",
    "warm": "#2166AC",
}


def actor_color(code: str | None) -> str:
    """The colour of an actor (or speaker country) code, the same everywhere."""
    if not code:
        return UNKNOWN
    if code == "Other":
        return OTHER
    code = code.upper()
    if code in ACTOR_COLORS:
        return ACTOR_COLORS[code]
    if code in SECOND_COLORS:
        return SECOND_COLORS[code]
    digest = hashlib.sha256(code.encode("utf-8")).digest()
    return FALLBACK[digest[0] % len(FALLBACK)]


def color_map(codes) -> dict[str, str]:
    """``{code: colour}`` for a set of codes, for plotly's ``color_discrete_map``."""
    return {c: actor_color(c) for c in codes}
