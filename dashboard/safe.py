"""Untrusted text made inert for the places the app shows it.

Every string that came from a document, a file name or the URL is untrusted.
Streamlit Markdown, plotly's pseudo-HTML labels and spreadsheet cells each
read some of its characters as instructions; these functions neutralise them
while keeping the text a reader sees the same.
"""

from __future__ import annotations

import html

_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def plotly_text(value: object) -> str:
    """A label, legend entry or hover value for plotly, shown literally.

    plotly.js reads ``<a href>``, ``<b>``, ``<br>`` and entities in every text
    it draws; escaping ``&``, ``<`` and ``>`` makes it draw them as characters.
    """
    if value is None:
        return ""
    return html.escape(str(value), quote=False)


def plotly_unescape(value: object) -> object:
    """The original value behind a label made by :func:`plotly_text` (for click events)."""
    return html.unescape(value) if isinstance(value, str) else value


def csv_cell(value: object) -> object:
    """A cell that a spreadsheet shows as text, never runs as a formula (OWASP's leading apostrophe)."""
    if isinstance(value, str) and value.startswith(_FORMULA_START):
        return "'" + value
    return value
