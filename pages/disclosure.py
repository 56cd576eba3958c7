"""政务公开: proactive items by category, channel and month; year-on-year (website-only where the
channels counted differ); requests and on-time replies; the records behind each figure."""
from __future__ import annotations

from pathlib import Path

import pandas as pd
import streamlit as st

from cockpit import ui
from etl.schema import DISCLOSURE_CATEGORIES, DISCLOSURE_CHANNELS
from reporting import charts, db, gi_tables, queries
from reporting.i18n import month_label, t, value_label
from reporting.safe_text import markdown_literal as literal

AREA = "disclosure"
CONTRACT_ORDER = {"category": DISCLOSURE_CATEGORIES, "channel": DISCLOSURE_CHANNELS}
CHANNELS_DIFFER = "各年度统计的渠道不同"   # the mart's note when years count different channels

f = ui.filters()
lang = f.lang
ui.page_header(t("page_disclosure", lang), f)
if f.communities:
    st.info(t("disc_no_community", lang), icon=":material/info:")

# Disclosure records have no community, so this page always shows the whole subdistrict.
values = ui.query(queries.indicator_values, (), (), cannot_combine=t("cannot_combine", lang))
area = values[values["area_id"] == AREA] if not values.empty else values
items_unit = t("items_unit", lang)
y_title = f"{t('count_axis', lang)}（{items_unit}）" if lang == "zh" else f"{t('count_axis', lang)} ({items_unit})"

shown_years = [y for y in (f.year, f.compare_year) if y is not None]
this_year = area[area["year"].isin(shown_years)] if not area.empty else area
ui.show_table(ui.indicator_table(this_year, lang) if not this_year.empty else this_year,
              f"{t('page_disclosure', lang)}（{f.year}）" if lang == "zh" else f"{t('page_disclosure', lang)} ({f.year})",
              "disclosure_indicators", f)


def proactive_by(column: str, blank_key: str | None = None) -> pd.DataFrame:
    counts = ui.query(queries.record_counts, "disclosures", (column,), f.year, (), where={"mode": "主动公开"})
    if counts.empty:
        return counts
    if column in CONTRACT_ORDER:   # the contract's order (the report lists categories so), blanks last
        order = {value: i for i, value in enumerate(CONTRACT_ORDER[column])}
        counts = counts.sort_values(column, key=lambda c: c.map(order).fillna(len(order)), kind="stable")
    if blank_key:
        counts[column] = counts[column].fillna(t(blank_key, lang))
    label = month_label if column == "month" else value_label
    counts[column] = [label(v, lang) for v in counts[column]]
    return counts


left, middle, right = st.columns(3)
for column, (field, blank, label_key, title_key) in zip(
        (left, middle, right),
        (("category", "channel_blank", "category", "disc_by_category"),
         ("channel", "channel_blank", "channel", "disc_by_channel"),
         ("month", None, "month_axis", "disc_by_month"))):
    with column:
        data = proactive_by(field, blank)
        fig = ui.chart(charts.bar, data, field, "n", lang, x_title=t(label_key, lang), y_title=y_title, unit=items_unit,
                         horizontal=field != "month") if not data.empty else None
        ui.show_chart(fig, data, t(title_key, lang, year=f.year), f"disclosure_{field}", f)

# Year on year: all channels only where every year counted the same channels.
items = area[area["indicator_id"].isin(["disclosure_items", "disclosure_items_website"])] if not area.empty else area
items = items.dropna(subset=["value"]) if not items.empty else items
notes = items[items["indicator_id"] == "disclosure_items"]["note"].dropna() if not items.empty else pd.Series(dtype=str)
channels_differ = notes.str.contains(CHANNELS_DIFFER).any()
if channels_differ:
    st.warning(t("disc_channels_differ", lang), icon=":material/warning:")
website_only = st.toggle(t("disc_website_only", lang), value=bool(channels_differ), key="disc_website_only")
if not items.empty:
    chosen = items[items["indicator_id"] == "disclosure_items_website"] if website_only else items
    data = pd.DataFrame({"year": chosen["year"], "series": [ui.indicator_name(r, lang) for _, r in chosen.iterrows()],
                         "value": chosen["value"], "note": chosen["note"]})
else:
    data = pd.DataFrame()
fig = ui.chart(charts.year_series, data, lang, series="series", y_title=y_title, unit=items_unit) if not data.empty else None
ui.show_chart(fig, data, t("disc_by_year", lang), "disclosure_by_year", f)

requests = area[area["indicator_id"].isin(["disclosure_requests", "request_ontime_rate"])] if not area.empty else area
wide = pd.DataFrame()
if not requests.empty:
    wide = requests.pivot_table(index="year", columns="indicator_id", values="value", aggfunc="first").reset_index()
    wide = wide.rename(columns={"disclosure_requests": "count", "request_ontime_rate": "rate"})
    wide = wide.dropna(subset=[c for c in ("count", "rate") if c in wide], how="all")
fig = ui.chart(charts.count_and_rate, wide, lang, count_name=t("requests_received", lang), count_unit=t("requests_unit", lang),
                            rate_name=t("requests_ontime", lang), rate_unit="%") \
    if not wide.empty and {"count", "rate"} <= set(wide.columns) else None
ui.show_chart(fig, wide, t("disc_requests", lang), "disclosure_requests", f)

area_now = area[area["year"] == f.year] if not area.empty else area
ui.records_drill(f, area_now if not area_now.empty else area.drop_duplicates("indicator_id"), "disclosure")

# --- 政府信息公开工作年度报告 表二/表三/表四 (official layout; published values win over the records) ---
@st.cache_data(show_spinner=False, max_entries=64)
def gi_report(path: str, stamp: tuple, year: int) -> gi_tables.GiReport:
    with db.connect(Path(path)) as con:
        return gi_tables.gi_report(con, year)


st.subheader(t("gi_title", lang, year=f.year))
st.caption(t("gi_caption", lang))
report = gi_report(str(db.db_path()), db.stamp(db.db_path()), f.year)
for problem in report.violations:
    st.error(literal(problem), icon=":material/rule:")
for difference in report.differences:
    st.warning(literal(difference), icon=":material/compare_arrows:")
for note in report.notes:
    st.info(literal(note), icon=":material/info:")
for name, table in report.tables.items():
    st.markdown(f"**{gi_tables.title(name, lang)}**")
    if table.source is None:
        st.info(gi_tables.source_label(table, lang), icon=":material/info:")
        continue
    st.caption(gi_tables.source_label(table, lang))
    st.html(gi_tables.table_html(table))
st.download_button(t("gi_xlsx", lang), data=lambda: gi_tables.report_xlsx(report, lang),
                   file_name=f"政府信息公开年报表格_{f.year}.xlsx", key="gi_tables_xlsx", on_click="ignore",
                   mime="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
                   icon=":material/download:")
