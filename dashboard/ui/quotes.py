"""Quotes: search and filter, a paged table, a detail view with a citation, CSV download."""

from __future__ import annotations

import math
import re
from urllib.parse import quote, urlsplit

import streamlit as st

from dashboard import queries
from dashboard.filters import Filters
from dashboard.search import MARK, SearchQuery, match_spans, parse_search
from dashboard.tone_model import CHART_MIN_CONFIDENCE
from dashboard.ui import common

_NUMBER = re.compile(r"[0-9]{1,19}")  # ASCII digits only: int() would take "١٢", "1_0" and " 12 "


def url_number(key: str, largest: int) -> int | None:
    """A whole number from the URL between 0 and ``largest``, or None for anything else."""
    raw = (st.query_params.get(key) or "").strip()
    if not _NUMBER.fullmatch(raw) or int(raw) > largest:
        return None
    return int(raw)


def selected_statement() -> int | None:
    raw = st.query_params.get("statement")
    if not raw:
        return None
    number = url_number("statement", queries.MAX_STATEMENT_ID)
    if number is None:
        shown = raw if len(raw) <= 40 else raw[:40] + "…"
        st.warning(common.md_escape(f"Ignored statement={shown!r}: not a statement number."))
    return number


def citation(row: dict, label: dict) -> str:
    """A ready-to-paste citation of one statement."""
    who = row.get("speaker") or "Unattributed speaker"
    details = ", ".join(
        x for x in (row.get("speaker_role"), label.get(row.get("speaker_country"), row.get("speaker_country"))) if x
    )
    when = common._date(row.get("date"))
    source = row.get("outlet") or "unknown outlet"
    title = f", “{row['title']}”" if row.get("title") else ""
    url = f", {row['url']}" if row.get("url") else ""
    verb = {"quote": "said", "paragraph": "said", "question": "asked"}.get(row.get("kind"), "was reported as saying")
    credit = f" {row['attribution']}." if row.get("attribution") else ""
    return (
        f"{who}{f' ({details})' if details else ''} {verb}: “{row['text']}” "
        f"{source}{title}, {when or 'undated'}{url}.{credit} "
        f"Caucasus Rhetoric statement {row['statement_id']}."
    )


def safe_url(url: str | None) -> str | None:
    """Only web links to a named host are offered as links (never javascript: or file: URLs)."""
    url = (url or "").strip()
    if not url or any(c.isspace() or ord(c) < 32 for c in url):
        return None
    try:
        parts = urlsplit(url)
        host = parts.hostname
    except ValueError:  # e.g. an unclosed IPv6 bracket
        return None
    if parts.scheme.lower() not in ("http", "https") or not host:
        return None
    return url


def source_link(url: str) -> str:
    """Markdown for a document's link whose visible text is its host and the whole URL.

    The target is percent-encoded wherever Markdown or HTML could read it (brackets, parentheses,
    quotes, angle brackets), so it stays one link to exactly the URL shown.
    """
    host = urlsplit(url).hostname or ""
    target = quote(url, safe="/:?#&=+%@!$,;~.-_*'")
    return f"Link to **{common.md_escape(host)}**: [{common.md_escape(url, in_link=True)}]({target})"


def mention_summary(mentions) -> list[str]:
    """One entry per actor: its name, the words used for it, and the tone toward it."""
    out = []
    for _, group in mentions.groupby("actor", sort=False):
        surfaces = ", ".join(f"“{common.md_escape(s)}”" for s in dict.fromkeys(group["surface"]))
        tone = group["tone_toward"].dropna()
        toward = f", tone toward {tone.mean():+.2f}" if len(tone) else ""
        if "toward_confidence" in group and group["toward_confidence"].notna().any():
            toward += f" at {group['toward_confidence'].max():.0%} confidence"
        out.append(f"{common.md_escape(group['name'].iloc[0])} ({surfaces}{toward})")
    return out


def marked_markdown(text: str, query: SearchQuery) -> str:
    """A statement for st.markdown with the words the search matched highlighted: the document's
    text is escaped piece by piece, only the highlight around it is Markdown."""
    out, at = [], 0
    for start, end in match_spans(text, query):
        out.append(common.md_escape(text[at:start]))
        # a highlight cannot cross a line break: each line of a phrase is highlighted on its own
        out.append("\n".join(f":orange-background[**{common.md_escape(line)}**]" if line.strip() else line
                             for line in text[start:end].split("\n")))  # fmt: skip
        at = end
    out.append(common.md_escape(text[at:]))
    return "".join(out)


def confidence_line(conf: float | None) -> str:
    """The tone model's confidence, and whether the tone counts in the charts' means."""
    if conf is None or conf != conf:
        return "  \nby the cue lexicon (no confidence)"
    counted = "counted in means" if conf >= CHART_MIN_CONFIDENCE else "too unsure for means"
    return f"  \nconfidence {conf:.0%}, {counted}"


def detail(f: Filters, statement_id: int) -> None:
    row = common.run_plain("statement_detail", statement_id)
    if row is None:
        st.warning(f"There is no statement {statement_id} in this database (it may have been re-ingested).")
        return
    label = common.names()
    with st.container(border=True):
        top = st.columns([5, 1])
        who = " ".join((row.get("speaker") or "Unattributed").split())
        top[0].subheader(f"{common.md_escape(who)} — {common._date(row.get('date')) or 'undated'}")
        if top[1].button("Close", icon=":material/close:", key="close_detail"):
            st.query_params.pop("statement", None)
            st.rerun()
        query = parse_search(f.q)
        st.markdown("> " + marked_markdown(row["text"], query).replace("\n", "  \n> "))
        if query.include:
            st.caption("Highlighted: the words your search matched.")
        meta = st.columns(4)
        meta[0].markdown(
            "**Speaker**  \n"
            + common.md_escape(row.get("speaker") or "unattributed")
            + (f"  \n{common.md_escape(row['speaker_role'])}" if row.get("speaker_role") else "")
            + (f"  \n{common.md_escape(label.get(row.get('speaker_country'), row.get('speaker_country')))}"
               if row.get("speaker_country") else "")  # fmt: skip
        )
        tone = row.get("tone")
        meta[1].markdown(
            "**Tone**  \n"
            + (f"{tone:+.2f} ({common.md_escape(row.get('tone_band'))})" if tone is not None and tone == tone
               else "not scored")  # fmt: skip
            + confidence_line(row.get("tone_confidence"))
        )
        with meta[1]:
            common.tone_method("detail")
        conf = row.get("attribution_confidence")
        meta[2].markdown(
            "**Attribution**  \n"
            + common.md_escape(row.get("attribution_method") or "none")
            + (f"  \nconfidence {conf:.2f}" if conf is not None and conf == conf else "")
            + f"  \n{common.md_escape(row.get('kind'))}"
        )
        kind = common.SOURCE_KIND_LABELS.get(row.get("source_kind"))
        registry = ", ".join(x for x in (row.get("source_name"), kind,
                                         label.get(row.get("outlet_country"), row.get("outlet_country"))) if x)  # fmt: skip
        meta[3].markdown(
            "**Source**  \n"
            + common.md_escape(row.get("outlet") or "unknown outlet")
            + (f"  \n{common.md_escape(registry)}" if registry else "")
            + (f"  \n{common.md_escape(row['title'])}" if row.get("title") else "")
            + f"  \n{common._date(row.get('date')) or 'undated'} (date from {common.md_escape(row.get('date_source'))})"
        )
        url = safe_url(row.get("url"))
        if url:
            meta[3].markdown(source_link(url))
        if row.get("attribution"):
            st.caption(common.md_escape(row["attribution"]))
        mentions = row["mentions"]
        if not mentions.empty:
            st.markdown("**Actors mentioned:** " + "; ".join(mention_summary(mentions)))
        topics = row["topics"]
        if not topics.empty:
            st.markdown("**Topics:** " + ", ".join(common.md_escape(t) for t in topics["label"]))
        st.markdown("**Its paragraph**")
        st.text(row["paragraph"])
        st.markdown("**Citation**")
        st.code(citation(row, label), language=None, wrap_lines=True)
        with st.expander("The whole document"):
            st.text(row["document_text"])
            st.caption(f"File: {common.md_escape(row.get('source_path'))} · "
                       f"extraction version {row.get('extraction_version')}")  # fmt: skip


def render(f: Filters) -> None:
    common.page_header("Quotes", f, "Find the exact words, open them in context, and cite them.")
    statement_id = selected_statement()
    if statement_id is not None:
        detail(f, statement_id)

    total = common.run("statement_count", f)
    pages = max(1, math.ceil(total / queries.PAGE_SIZE))
    c1, c2, c3 = st.columns([2, 2, 2])
    with c1:
        sort = common.url_choice("Order", "sort", list(queries.SORTS), "newest", widget="select")
    with c2:
        page = url_number("page", pages) or 1
        page = st.number_input(f"Page (of {pages})", min_value=1, max_value=pages, value=page, step=1,
                               key=f"page_{pages}_{f.query_string()}_{sort}")  # fmt: skip
        if page > 1:
            st.query_params["page"] = str(page)
        else:
            st.query_params.pop("page", None)
    with c3:
        st.markdown(f"**{total:,}** statements match")
        st.download_button(
            "Download CSV",
            data=lambda: _csv(f),
            file_name="caucasus-rhetoric-statements.csv",
            mime="text/csv",
            icon=":material/download:",
            disabled=total == 0,
            on_click="ignore",
            help="Every filtered statement with its source, as UTF-8 CSV for spreadsheets.",
        )
    if total == 0:
        st.info("No statements match these filters.")
        common.exit_presenter_link(f, "quotes")
        return
    df = common.run("statements_page", f, queries.PAGE_SIZE, (page - 1) * queries.PAGE_SIZE, sort)
    searched = bool(parse_search(f.q).include)
    # an excerpt around a match is some forty words: rows four lines high show it whole, wrapped
    row_height = 96 if searched else 35
    event = st.dataframe(
        common.display_frame(df),
        row_height=row_height,
        # a new key whenever the view or the open statement changes, so no stale selection reopens it
        key=f"quotes_table_{f.query_string()}_{page}_{sort}_{statement_id}",
        on_select="rerun",
        selection_mode="single-row",
        hide_index=True,
        column_config=common.COLUMN_CONFIG,
        width="stretch",
        height=min(row_height * len(df) + 40, 740 if not searched else 1000),
    )
    rows = event.selection.rows if event else []
    if rows:
        chosen = int(df.iloc[rows[0]]["statement_id"])
        if chosen != statement_id:
            st.query_params["statement"] = str(chosen)
            st.rerun()
    common.attribution_note(df)
    if searched:
        st.caption(
            f"Each excerpt is the twenty words either side of the first match; {MARK[0]} {MARK[1]} mark the "
            "words your search matched (… where the statement is cut). Select a row to open the full quote "
            "above the table."
        )
    else:
        st.caption("Select a row to open the full quote above the table.")
    common.exit_presenter_link(f, "quotes")


def _csv(f: Filters) -> bytes:
    """Built when the button is pressed, with its own cursor on the shared connection."""
    return queries.statements_csv(common.connection(), f)


if __name__ == "__main__":
    render(common.current_filters())
