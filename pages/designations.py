"""民主法治示范社区: every community with its titles and level; titles by level; coverage by year."""
from __future__ import annotations

import pandas as pd
import streamlit as st

from cockpit import ui
from reporting import charts, queries
from reporting.i18n import t, value_label

f = ui.filters()
lang = f.lang
ui.page_header(t("page_designations", lang), f)

values = ui.query(queries.indicator_values, (), f.communities, cannot_combine=t("cannot_combine", lang))
area = values[values["area_id"] == "designation"] if not values.empty else values
this_year = area[area["year"] == f.year] if not area.empty else area
if not this_year.empty:
    columns = st.columns(len(this_year))
    for column, (_, row) in zip(columns, this_year.iterrows()):
        unit = row["unit_en" if lang == "en" else "unit_zh"]
        column.metric(ui.indicator_name(row, lang), charts.format_value(row["value"], unit, lang), border=True,
                      help=row["no_data_reason"] if pd.notna(row["no_data_reason"]) else None)
else:
    st.info(t("no_data_year", lang, year=f.year), icon=":material/info:")

titles = ui.query(queries.designations_table, f.communities)
table = titles.copy()
if not table.empty:
    table["title"] = table["title"].fillna(t("no_title", lang))
    for column in ("level", "status"):
        table[column] = [value_label(v, lang) if pd.notna(v) else "" for v in table[column]]
    table["year_granted"] = table["year_granted"].astype("Int64")
ui.show_table(table.drop(columns=["community_id"]) if not table.empty else table, t("des_table", lang),
              "designations_table", f, columns={
                  "community": t("community", lang), "title": t("title", lang), "level": t("level", lang),
                  "granted_by": t("granted_by", lang), "year_granted": t("year_granted", lang),
                  "status": t("status", lang), "source_file": t("source_file", lang),
                  "source_row": t("source_row", lang)})

left, right = st.columns(2)
with left:
    held = titles[(titles["status"] == "有效") & (titles["year_granted"] <= f.year)] if not titles.empty else titles
    data = held.groupby("level", sort=False).size().reset_index(name="n") if not held.empty else pd.DataFrame()
    if not data.empty:
        data["level"] = [value_label(v, lang) for v in data["level"]]
    fig = ui.chart(charts.bar, data, "level", "n", lang, x_title=t("level", lang), y_title=t("count_axis", lang),
                     unit=t("titles_unit", lang)) if not data.empty else None
    ui.show_chart(fig, data, t("des_by_level", lang), "designations_level", f)
with right:
    coverage = area[area["indicator_id"] == "designation_coverage"].dropna(subset=["value"]) if not area.empty else area
    data = pd.DataFrame({"year": coverage["year"], "series": [ui.indicator_name(r, lang) for _, r in coverage.iterrows()],
                         "value": coverage["value"]}) if not coverage.empty else pd.DataFrame()
    fig = ui.chart(charts.year_series, data, lang, series="series", y_title="%", unit="%") if not data.empty else None
    ui.show_chart(fig, data, t("des_coverage_trend", lang), "designations_coverage", f)

if not this_year.empty:
    ui.records_drill(f, this_year, "designations")
