"""短板与整改: each weak area, its indicators against target over the years, and its actions
(owner, due date, status, progress), filterable by status; overdue actions flagged."""
from __future__ import annotations

from datetime import date

import streamlit as st

from cockpit import auth, ui
from etl.schema import ACTION_STATUS
from reporting import charts, frames, queries
from reporting.i18n import t, value_label

auth.require("view")
f = ui.filters()
lang = f.lang
ui.page_header(t("page_weak_areas", lang), f)

values = ui.query(queries.indicator_values, (), f.communities, cannot_combine=t("cannot_combine", lang),
                  subdistrict=f.subdistrict)
areas = ui.query(queries.weak_areas)
actions = ui.query(queries.actions, date.today(), f.subdistrict)
statuses = st.pills(t("action_status_filter", lang), ACTION_STATUS, selection_mode="multi",
                    default=list(ACTION_STATUS), format_func=lambda s: value_label(s, lang), key="wa_status")

for area in ui.shape(frames.weak_area_headings, areas, lang).itertuples():
    st.subheader(area.title)
    st.caption(area.cause)
    plotted = ui.shape(frames.against_target, values, area.weak_area_id)
    fig = ui.chart(charts.indicators_against_target, plotted, lang)
    ui.show_chart(fig, plotted, t("wa_indicators", lang, name=area.name), f"weak_area_{area.weak_area_id}", f)
    ui.show_table(ui.shape(frames.action_table, actions, lang, area.weak_area_id, statuses), t("wa_actions", lang),
                  f"actions_{area.weak_area_id}", f)

st.subheader(t("wa_unassigned", lang))
ui.show_table(ui.shape(frames.action_table, actions, lang, None, statuses), "", "actions_unassigned", f)
