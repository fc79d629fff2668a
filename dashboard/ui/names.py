"""Names: the words each side uses for the same contested place, by speaker country and by year."""

from __future__ import annotations

from datetime import date

import streamlit as st

from dashboard import name_charts
from dashboard.filters import Filters
from dashboard.ui import common


def drill_target(event, variants: list[str]) -> tuple[str | None, str | None, int | None]:
    """The variant, speaker country and year of a clicked cell or bar (None where the chart has none)."""
    point, _ = common.selected_point(event)
    if not point:
        return None, None, None
    variant, country, year = (list(point) + [None, None, None])[:3]
    if variant not in variants:
        return None, None, None
    return variant, country or None, int(year) if year else None


def year_filters(f: Filters, year: int | None) -> Filters:
    """The filters narrowed to one calendar year (within the filters' own dates)."""
    if year is None:
        return f
    start, end = date(year, 1, 1), date(year, 12, 31)
    return f.refine(start=max(start, f.start) if f.start else start, end=min(end, f.end) if f.end else end)


def render(f: Filters) -> None:
    common.page_header(
        "Names", f,
        "The words each side uses for the same contested place: which variant the statements of each "
        "speaker country use, and how that changed over the years.",
    )  # fmt: skip
    table = common.run_plain("name_variants")
    if table.empty:
        st.info("This database has no contested names yet: re-run the ingest (`python -m dashboard ingest ...`) "
                "so that it reads data/names.csv.")  # fmt: skip
        return
    groups = list(dict.fromkeys(table["name_group"]))
    group = common.url_choice("Place", "place", groups, groups[0], widget="select")
    rows = table[table["name_group"] == group]
    variants = rows["variant"].tolist()
    if not f.present:
        st.dataframe(
            rows[["variant", "side", "n", "patterns", "note"]],
            hide_index=True, width="stretch",
            column_config={
                "variant": st.column_config.TextColumn("variant", width="small"),
                "side": st.column_config.TextColumn("typically used by", width="medium"),
                "n": st.column_config.NumberColumn("statements", width="small",
                                                   help="Statements in the whole database using it."),
                "patterns": st.column_config.TextColumn("spellings counted", width="medium"),
                "note": st.column_config.TextColumn("note", width="large"),
            },
        )  # fmt: skip

    by_country = common.run("names_by_country", f, group)
    by_year = common.run("names_by_year", f, group)
    left, right = st.columns(2)
    with left:
        st.subheader("By speaker country")
        country_event = common.plot(name_charts.names_heat_table(by_country, variants, f.present),
                                    key=f"names_country_{group}", f=f, filename="names-by-country")  # fmt: skip
    with right:
        st.subheader("By year")
        year_event = common.plot(name_charts.names_by_year_chart(by_year, variants, f.present),
                                 key=f"names_year_{group}", f=f, filename="names-by-year")  # fmt: skip
    st.caption(
        "Counts are statements of a speaker country (journalists' questions and unattributed quotes are left "
        "out) that use a variant of the name at least once; a cell's share is of the country's statements "
        "naming the place. Spellings match as whole words, the longest first: the Karabakh of "
        "Nagorno-Karabakh counts only as Nagorno-Karabakh. The table of names is data/names.csv."
    )

    variant, country, year = drill_target(year_event, variants)
    if variant is None:
        variant, country, year = drill_target(country_event, variants)
    if variant is None:
        chosen = st.selectbox("Show the statements that say", [None, *variants], key=f"names_pick_{group}",
                              format_func=lambda v: "click a cell or bar, or choose a variant" if v is None else v)  # fmt: skip
        variant = chosen
    if variant is None:
        common.exit_presenter_link(f, "names")
        return
    sub = year_filters(f.refine(speaker_country=(country,)) if country else f, year)
    name = (group, variant)
    total = common.run("statement_count", sub, name)
    with st.container(border=True):
        st.markdown(f"**Statements using “{common.md_escape(variant)}”:** "
                    f"{common.md_escape(sub.describe(common.names()))} — n={total}")  # fmt: skip
        df = common.run("statements_page", sub, 50, 0, "newest", name)
        common.statement_table(sub, key=f"names_drill_{group}_{variant}_{country}_{year}", frame=df, row_height=96)
        st.caption((f"The newest {len(df)} of {total}. " if total > len(df) else "")
                   + "Each excerpt is the twenty words either side of the name, marked ▸ ◂.")  # fmt: skip
    common.exit_presenter_link(f, "names")


if __name__ == "__main__":
    render(common.current_filters())
