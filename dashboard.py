"""Entry of the cockpit: `streamlit run dashboard.py`.

Sets the language, the navigation and the sidebar filters (bound to the URL), then runs the page.
"""
from __future__ import annotations

import streamlit as st

from cockpit import ui
from reporting.i18n import t

st.set_page_config(page_title="南星街道法治驾驶舱", page_icon=":material/balance:", layout="wide",
                   initial_sidebar_state="expanded")

lang = ui.language_switch()


def page(file: str, url_path: str, title_key: str, icon: str, **kwargs) -> st.Page:
    # The url_path is English so a copied link works whatever the language, and differs from the
    # file name: Streamlit's legacy pages/ folder mode would otherwise run a page by its file name
    # without this entry (no sidebar filters) on a run that starts on that page.
    return st.Page(f"pages/{file}.py", title=t(title_key, lang), icon=icon, url_path=url_path, **kwargs)


sections = {
    t("nav_overview", lang): [page("cockpit", "overview", "page_cockpit", ":material/dashboard:", default=True)],
    t("nav_analysis", lang): [
        page("cases", "disputes", "page_cases", ":material/gavel:"),
        page("disclosure", "open-government", "page_disclosure", ":material/campaign:"),
        page("outreach", "legal-education", "page_outreach", ":material/school:"),
        page("designations", "model-communities", "page_designations", ":material/military_tech:"),
        page("weak_areas", "weak-areas", "page_weak_areas", ":material/construction:"),
    ],
    t("nav_data", lang): [
        page("methodology", "indicator-guide", "page_methodology", ":material/menu_book:"),
        page("data_quality", "data-quality", "page_data_quality", ":material/fact_check:"),
        page("data_import", "data-import", "page_data_import", ":material/upload_file:"),
        page("export_centre", "export-centre", "page_export_centre", ":material/download:"),
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
ui.url_notice(ui.sidebar_filters(lang))
navigation.run()
