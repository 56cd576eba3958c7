"""民主法治示范社区: every community with its titles and level; titles by level; coverage by year."""
from __future__ import annotations

import streamlit as st

from cockpit import auth, ui
from reporting import charts, frames, queries
from reporting.i18n import t

AREA = "designation"

auth.require("view")
f = ui.filters()
lang = f.lang
ui.page_header(t("page_designations", lang), f)

values = ui.query(queries.indicator_values, (), f.communities, cannot_combine=t("cannot_combine", lang),
                  subdistrict=f.subdistrict)
tiles = ui.shape(frames.metric_tiles, values, lang, areas=(AREA,), years=(f.year,))
if not tiles.empty:
    for column, tile in zip(st.columns(len(tiles)), tiles.itertuples()):
        column.metric(tile.label, tile.value, border=True, help=tile.help)
else:
    st.info(t("no_data_year", lang, year=f.year), icon=":material/info:")

titles = ui.query(queries.designations_table, f.communities, f.subdistrict)
ui.show_table(ui.shape(frames.designations_table, titles, lang), t("des_table", lang), "designations_table", f)

left, right = st.columns(2)
with left:
    data = ui.shape(frames.titles_by_level, titles, f.year, lang)
    fig = ui.chart(charts.bar, data, "level", "n", lang, x_title=t("level", lang), y_title=t("count_axis", lang),
                   unit=t("titles_unit", lang))
    ui.show_chart(fig, data, t("des_by_level", lang), "designations_level", f)
with right:
    data = ui.shape(frames.indicator_series, values, ("designation_coverage",), lang)
    fig = ui.chart(charts.year_series, data, lang, series="series", y_title="%", unit="%")
    ui.show_chart(fig, data, t("des_coverage_trend", lang), "designations_coverage", f)

ui.records_drill(f, ui.shape(frames.indicator_rows, values, areas=(AREA,), years=(f.year,)), "designations")
