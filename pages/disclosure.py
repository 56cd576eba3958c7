"""政务公开: proactive items by category, channel and month; year-on-year (website-only where the
channels counted differ); requests and on-time replies; the records behind each figure."""
from __future__ import annotations

from pathlib import Path

import streamlit as st

from cockpit import auth, ui
from etl.messages import translate
from reporting import charts, db, frames, gi_tables, queries
from reporting.i18n import t, with_unit
from reporting.safe_text import markdown_literal as literal

AREA = "disclosure"

auth.require("view")
f = ui.filters()
lang = f.lang
ui.page_header(t("page_disclosure", lang), f)
if f.communities:
    st.info(t("disc_no_community", lang), icon=":material/info:")

# Disclosure records have no community, so this page always shows the whole subdistrict.
values = ui.query(queries.indicator_values, (), (), cannot_combine=t("cannot_combine", lang),
                  subdistrict=f.subdistrict)
items_unit = t("items_unit", lang)
y_title = with_unit(t("count_axis", lang), items_unit, lang)

# With a compare year: the two years side by side with the change.
table = (ui.shape(frames.indicator_table, values, lang, areas=(AREA,), years=(f.year,)) if f.compare_year is None
         else ui.shape(frames.compare_table, values, lang, f.year, f.compare_year, areas=(AREA,)))
ui.show_indicator_table(table,
                        f"{t('page_disclosure', lang)}（{f.year}）" if lang == "zh" else f"{t('page_disclosure', lang)} ({f.year})",
                        "disclosure_indicators", f)

# Proactive items by category, channel, month; categories and channels in the contract's order
# (the report lists them so), blanks last.
left, middle, right = st.columns(3)
for column, (field, blank, label_key, title_key) in zip(
        (left, middle, right),
        (("category", t("channel_blank", lang), "category", "disc_by_category"),
         ("channel", t("channel_blank", lang), "channel", "disc_by_channel"),
         ("month", None, "month_axis", "disc_by_month"))):
    with column:
        counts = ui.query(queries.record_counts, "disclosures", (field,), f.year, (), where={"mode": "主动公开"},
                          subdistrict=f.subdistrict)
        data = ui.shape(frames.category_counts, counts, "disclosures", lang, blank=blank,
                        contract_order=True)
        fig = ui.chart(charts.bar, data, field, "n", lang, x_title=t(label_key, lang), y_title=y_title, unit=items_unit,
                       horizontal=field != "month")
        ui.show_chart(fig, data, t(title_key, lang, year=f.year), f"disclosure_{field}", f)

# Year on year: all channels only where every year counted the same channels.
channels_differ = ui.shape(frames.disclosure_channels_differ, values)
if channels_differ:
    st.warning(t("disc_channels_differ", lang), icon=":material/warning:")
website_only = st.toggle(t("disc_website_only", lang), value=channels_differ, key="disc_website_only")
shown_items = ("disclosure_items_website",) if website_only else ("disclosure_items", "disclosure_items_website")
data = ui.shape(frames.indicator_series, values, shown_items, lang, note=True)
fig = ui.chart(charts.year_series, data, lang, series="series", y_title=y_title, unit=items_unit,
               compare_year=f.compare_year)
ui.show_chart(fig, data, t("disc_by_year", lang), "disclosure_by_year", f)

requests = ui.shape(frames.count_and_rate, values, "disclosure_requests", "request_ontime_rate")
fig = ui.chart(charts.count_and_rate, requests, lang, count_name=t("requests_received", lang),
               count_unit=t("requests_unit", lang), rate_name=t("requests_ontime", lang), rate_unit="%",
               compare_year=f.compare_year)
ui.show_chart(fig, requests, t("disc_requests", lang), "disclosure_requests", f)

ui.records_drill(f, ui.shape(frames.drill_indicators, values, (AREA,), f.year), "disclosure")

# --- 政府信息公开工作年度报告 表二/表三/表四 (official layout; published values win over the records) ---
@st.cache_data(show_spinner=False, max_entries=64)
def gi_report(path: str, stamp: tuple, year: int, subdistrict: str | None) -> gi_tables.GiReport:
    with db.connect(Path(path)) as con:
        return gi_tables.gi_report(con, year, subdistrict)


st.subheader(t("gi_title", lang, year=f.year))
st.caption(t("gi_caption", lang))
report = gi_report(str(db.db_path()), db.stamp(db.db_path()), f.year, f.subdistrict)
for problem in report.violations:
    st.error(literal(translate(problem, lang)), icon=":material/rule:")
for difference in report.differences:
    st.warning(literal(translate(difference, lang)), icon=":material/compare_arrows:")
for note in report.notes:
    st.info(literal(translate(note, lang)), icon=":material/info:")
for name, table in report.tables.items():
    st.markdown(f"**{gi_tables.title(name, lang)}**")
    if table.source is None:
        st.info(gi_tables.source_label(table, lang), icon=":material/info:")
        continue
    st.caption(gi_tables.source_label(table, lang))
    st.html(gi_tables.table_html(table))
gi_file = f"政府信息公开年报表格_{f.subdistrict or ''}{f.year}.xlsx"
st.download_button(t("gi_xlsx", lang), data=auth.audited_download(lambda: gi_tables.report_xlsx(report, lang), gi_file,
                                                                  {"year": f.year, "subdistrict": f.place()}),
                   file_name=gi_file, key="gi_tables_xlsx", on_click="ignore",
                   mime="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
                   icon=":material/download:")
