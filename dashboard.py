"""Entry of the cockpit: `streamlit run dashboard.py`.

Sets the language, lets in only a signed-in user (cockpit.auth: the sign-in form otherwise, before
any query), then the navigation of the pages the role may use and the sidebar filters (bound to the
URL), then runs the page.
"""
from __future__ import annotations

import streamlit as st

from cockpit import auth, ui
from reporting.i18n import t

# The sidebar (filters) starts open on a computer, folded on a phone, where it would cover the page.
# The title names no place until the data does (after the sign-in, below).
st.set_page_config(page_title="法治驾驶舱", page_icon=":material/balance:", layout="wide",
                   initial_sidebar_state="auto")

lang = auth.gate(ui.language_switch)


def page(file: str, url_path: str, title: str, icon: str, action: str = "view", shown: bool = True,
         **kwargs) -> st.Page:
    # The url_path is English so a copied link works whatever the language, and differs from the
    # file name: Streamlit's legacy pages/ folder mode would otherwise run a page by its file name
    # without this entry (no sidebar filters) on a run that starts on that page.
    # A page the role may not use is hidden from the menu but still routed, so its deep link runs the
    # page's own check (auth.require), which refuses and audits, instead of "Page not found".
    # `shown` False hides an entry with nothing to show (its page still says so in words).
    return st.Page(f"pages/{file}.py", title=title, icon=icon, url_path=url_path,
                   visibility="visible" if auth.can(action) and shown else "hidden", **kwargs)


sections = {
    t("nav_overview", lang): [
        page("cockpit", "overview", t("page_cockpit", lang), ":material/dashboard:", default=True)],
    t("nav_analysis", lang): [
        page("cases", "disputes", t("page_cases", lang), ":material/gavel:"),
        page("disclosure", "open-government", t("page_disclosure", lang), ":material/campaign:"),
        page("outreach", "legal-education", t("page_outreach", lang), ":material/school:"),
        page("designations", "model-communities", t("page_designations", lang), ":material/military_tech:"),
        page("weak_areas", "weak-areas", t("page_weak_areas", lang), ":material/construction:"),
        # 街道对比: shown with several subdistricts to an account that sees them all (the page checks both)
        page("subdistricts", "compare-subdistricts", t("page_subdistricts", lang), ":material/leaderboard:",
             shown=ui.compares_subdistricts()),
    ],
    t("nav_data", lang): [
        page("methodology", "indicator-guide", t("page_methodology", lang), ":material/menu_book:"),
        page("data_quality", "data-quality", t("page_data_quality", lang), ":material/fact_check:"),
        page("data_import", "data-import", t("page_data_import", lang), ":material/upload_file:", "import"),
        page("export_centre", "export-centre", t("page_export_centre", lang), ":material/download:", "download"),
        page("admin", "admin", auth.t("page_admin", lang), ":material/admin_panel_settings:", "admin"),
    ],
}

navigation = st.navigation(sections, position="top")
# Less empty space above the content, so the cockpit's tiles fit a 1366×768 screen.
st.html("<style>[data-testid='stMainBlockContainer']{padding-top:3.5rem;padding-bottom:2rem}</style>")
if not ui.database_ready(lang):
    # Loading data is the way out of an empty install, so that page still opens.
    if navigation.url_path == "data-import":
        navigation.run()
    st.stop()
ui.sample_banner(lang)   # every page, while the data is the sample
filters = ui.sidebar_filters(lang)
st.set_page_config(page_title=ui.app_title(filters))   # the subdistrict in view, or the district
ui.url_notice(filters)
navigation.run()
