"""Data: what the database holds, how it was built, what was rejected, and the reference tables."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from dashboard import settings
from dashboard.filters import Filters
from dashboard.ui import common


def _dates(df: pd.DataFrame) -> pd.DataFrame:
    """DATE columns come back as timestamps; show them as plain dates.

    A column holding a day outside the years 1 to 9999 (which Python dates cannot hold) is shown
    as ISO text instead, so the table still says what the database holds.
    """
    out = df.copy()
    for col in out.columns:
        if col in ("date", "first_date", "last_date", "in_office_from", "in_office_to"):
            try:
                out[col] = pd.to_datetime(out[col]).dt.date
            except (ValueError, OverflowError, NotImplementedError):
                out[col] = [None if pd.isna(v) else pd.Timestamp(v).isoformat().split("T")[0] for v in out[col]]
    return out


def render(f: Filters) -> None:
    common.page_header("Data", f, "What the database holds, how it was built, and the tables you can edit.")
    st.caption(f"Database: `{settings.db_path()}`")

    sizes = common.run_plain("table_sizes")
    versions = common.run_plain("extraction_versions")
    cols = st.columns(len(sizes) + 1)
    for col, row in zip(cols, sizes.itertuples(index=False), strict=False):
        col.metric(row.table_name.replace("_", " "), f"{int(row.rows):,}")
    cols[-1].metric(
        "Extraction version",
        ", ".join(str(v) for v in versions["extraction_version"]) or "—",
        help="The version of the extraction and tone method that produced the stored documents.",
    )

    st.subheader("Holdings")
    st.caption("Documents per source format and outlet, their date range, and how many are undated.")
    st.dataframe(_dates(common.run_plain("holdings")), hide_index=True, width="stretch")

    st.subheader("Ingest runs")
    runs = common.run_plain("ingest_runs")
    st.dataframe(runs, hide_index=True, width="stretch")

    st.subheader("Rejected inputs")
    rejects = common.run_plain("rejects")
    if rejects.empty:
        st.success("No input has been rejected.")
    else:
        st.caption("Files or rows that could not be read, with the reason; the rest of each batch went in.")
        st.dataframe(rejects, hide_index=True, width="stretch")

    st.subheader("Reference tables")
    st.caption(
        "Copies of the editable CSV files in data/ (actors.csv, speakers.csv, topics.csv, events.csv, "
        "sources.csv), refreshed on every ingest."
    )
    tabs = st.tabs(["Actors", "Speakers", "Topics", "Events", "Sources"])
    for tab, name in zip(tabs, ("actors", "speakers", "topics", "events", "sources"), strict=True):
        with tab:
            st.dataframe(_dates(common.run_plain("reference_table", name)), hide_index=True, width="stretch")
    common.exit_presenter_link(f, "data")


if __name__ == "__main__":
    render(common.current_filters())
