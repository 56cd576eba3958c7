"""Entry of the cockpit: `streamlit run dashboard.py`.

Sets the language, the navigation and the sidebar filters (bound to the URL), then runs the page.
"""
from __future__ import annotations

from pathlib import Path

import streamlit as st

from cockpit import ui
from cockpit.i18n import t

HERE = Path(__file__).resolve().parent

st.set_page_config(page_title="南星街道法治驾驶舱", page_icon=":material/balance:", layout="wide",
                   initial_sidebar_state="expanded")

lang = ui.language_switch()


def page(file: str, title_key: str, icon: str, **kwargs) -> st.Page:
    # url_path stays English so a copied link works whatever the language.
    return st.Page(f"pages/{file}.py", title=t(title_key, lang), icon=icon, url_path=file.replace("_", "-"), **kwargs)


sections = {
    t("nav_overview", lang): [page("cockpit", "page_cockpit", ":material/dashboard:", default=True)],
    t("nav_analysis", lang): [
        page("cases", "page_cases", ":material/gavel:"),
        page("disclosure", "page_disclosure", ":material/campaign:"),
        page("outreach", "page_outreach", ":material/school:"),
        page("designations", "page_designations", ":material/military_tech:"),
        page("weak_areas", "page_weak_areas", ":material/construction:"),
    ],
    t("nav_data", lang): [
        page("methodology", "page_methodology", ":material/menu_book:"),
        page("data_quality", "page_data_quality", ":material/fact_check:"),
    ],
}
# Pages other engineers own join the navigation once their files are in the tree.
for file, title_key, icon in (("export_centre", "page_export_centre", ":material/download:"),
                              ("data_import", "page_data_import", ":material/upload_file:")):
    if (HERE / "pages" / f"{file}.py").exists():
        sections[t("nav_data", lang)].append(page(file, title_key, icon))

navigation = st.navigation(sections)
if not ui.database_ready(lang):
    # Loading data is the way out of an empty install, so that page still opens.
    if navigation.url_path == "data-import":
        navigation.run()
    st.stop()
ui.sidebar_filters(lang)
ui.url_notice(lang)
navigation.run()
