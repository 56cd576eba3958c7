"""短板与整改: each weak area, its indicators against target over the years, and its actions
(owner, due date, status, progress), filterable by status; overdue actions flagged."""
from __future__ import annotations

from datetime import date

import pandas as pd
import streamlit as st

from cockpit import ui
from etl.schema import ACTION_STATUS
from reporting import charts, queries
from reporting.i18n import t, value_label

f = ui.filters()
lang = f.lang
ui.page_header(t("page_weak_areas", lang), f)

values = ui.query(queries.indicator_values, (), f.communities, cannot_combine=t("cannot_combine", lang))
areas = ui.query(queries.weak_areas)
actions = ui.query(queries.actions, date.today())
statuses = st.pills(t("action_status_filter", lang), ACTION_STATUS, selection_mode="multi",
                    default=list(ACTION_STATUS), format_func=lambda s: value_label(s, lang), key="wa_status")


def action_table(rows: pd.DataFrame) -> pd.DataFrame:
    rows = rows[rows["status"].isin(statuses)]
    return pd.DataFrame({
        t("action_id", lang): rows["action_id"],
        t("action_title", lang): rows["title"],
        t("owner", lang): rows["owner"].fillna(""),
        t("due_date", lang): pd.to_datetime(rows["due_date"]).dt.strftime("%Y-%m-%d").fillna(""),
        t("status", lang): [value_label(s, lang) for s in rows["status"]],
        t("overdue", lang): ["⚠ " + t("overdue", lang) if o else "" for o in rows["overdue"].fillna(False)],
        t("progress", lang): rows["progress"].fillna(""),
    })


for _, area in areas.iterrows():
    name = area["name_en" if lang == "en" else "name_zh"]
    st.subheader(f"{area['weak_area_id']} {name}")
    st.caption(f"{t('wa_cause', lang)}：{area['cause_en' if lang == 'en' else 'cause_zh']}" if lang == "zh"
               else f"{t('wa_cause', lang)}: {area['cause_en']}")
    own = values[values["weak_area_id"] == area["weak_area_id"]] if not values.empty else values
    plotted = own.dropna(subset=["value"]) if not own.empty else own
    fig = ui.chart(charts.indicators_against_target, plotted, lang) if not plotted.empty else None
    data = plotted[["indicator_id", "year", "value", "target", "status"]] if not plotted.empty else plotted
    ui.show_chart(fig, data, t("wa_indicators", lang, name=name), f"weak_area_{area['weak_area_id']}", f)
    ui.show_table(action_table(actions[actions["weak_area_id"] == area["weak_area_id"]]), t("wa_actions", lang),
                  f"actions_{area['weak_area_id']}", f)

st.subheader(t("wa_unassigned", lang))
ui.show_table(action_table(actions[actions["weak_area_id"].isna()]), "", "actions_unassigned", f)
