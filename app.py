"""Caucasus Rhetoric: the Streamlit entry point.

Page config, the shared filters (read from and written to the URL), presenter
mode, and the router: ``st.navigation`` with six pages. The pages live in
``dashboard/ui/`` and only arrange what ``dashboard.queries`` and
``dashboard.charts`` produce.
"""

from pathlib import Path

import streamlit as st

from dashboard.ui import common

present_requested = st.query_params.get("present", "").lower() in {"1", "true", "yes", "on"}
st.set_page_config(
    page_title="Caucasus Rhetoric",
    # A local image: a material icon here makes every browser fetch it from fonts.gstatic.com.
    page_icon=str(Path(__file__).parent / "dashboard" / "static" / "icon.png"),
    layout="wide",
    initial_sidebar_state="collapsed" if present_requested else "expanded",
    menu_items={"About": "Caucasus Rhetoric: who said what about whom in the South Caucasus, and in what tone."},
)

pages = [
    st.Page(str(common.PAGE_FILES[key]), title=common.PAGE_TITLES[key], icon=common.PAGE_ICONS[key],
            url_path=key)
    for key in common.PAGE_FILES
]  # fmt: skip
# The default page is served at "/" whatever its url_path, so /overview needs a page of its own:
# the root shows the overview too, as a hidden page.
pages.append(st.Page(str(common.PAGE_FILES["overview"]), title="Overview", icon=common.PAGE_ICONS["overview"],
                     url_path="home", default=True, visibility="hidden"))  # fmt: skip
# The menu is drawn by common.nav_links so that its links carry the filters in the URL.
page = st.navigation(pages, position="hidden")

if common.connection() is None:
    common.no_database()
    st.stop()

menu = st.sidebar.container()  # drawn above the filters, filled once the filters are known
filters, warnings = common.sidebar_filters()
common.nav_links(filters, menu)
st.session_state["filters"] = filters
st.session_state["filter_warnings"] = warnings
common.apply_presenter_mode(filters)
common.show_warnings(warnings)
page.run()
