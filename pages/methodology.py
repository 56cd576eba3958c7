"""指标说明: every indicator's definition from the catalogue (ref_indicators), never retyped."""
from __future__ import annotations

import pandas as pd
import streamlit as st

from cockpit import ui
from etl.schema import RECORD_TYPES
from reporting import queries
from reporting.i18n import t

f = ui.filters()
lang = f.lang
st.title(t("page_methodology", lang))
catalogue = ui.query(queries.catalogue)
st.caption(t("meth_intro", lang, version="、".join(catalogue["version"].dropna().unique())))


def rule(row: pd.Series) -> str:
    if row["direction"] not in ("up", "down") or pd.isna(row["target"]):
        return t("rule_none", lang)
    red = row["red_threshold"] if pd.notna(row["red_threshold"]) else row["target"]
    return t(f"rule_{row['direction']}", lang, target=f"{row['target']:g}", red=f"{red:g}")


def source(record_type: str) -> str:
    """The record type an indicator is computed from, by its contract name (etl/schema.py)."""
    return RECORD_TYPES[record_type].name_zh if lang == "zh" and record_type in RECORD_TYPES else record_type


sfx = "en" if lang == "en" else "zh"
table = pd.DataFrame({
    t("area", lang): catalogue[f"area_name_{sfx}"],
    t("indicator", lang): catalogue[f"name_{sfx}"],
    "ID": catalogue["indicator_id"],
    t("unit", lang): catalogue[f"unit_{sfx}"],
    t("formula", lang): catalogue[f"formula_{sfx}"],
    t("direction", lang): [t(f"dir_{d}", lang) if d in ("up", "down", "none") else d for d in catalogue["direction"]],
    t("target", lang): catalogue["target"],
    t("red_threshold", lang): catalogue["red_threshold"],
    t("status_rule", lang): [rule(r) for _, r in catalogue.iterrows()],
    t("source_records", lang): [source(s) for s in catalogue["source"]],
    t("weak_area", lang): catalogue["weak_area_id"].fillna(""),
    t("target_basis", lang): catalogue["target_basis"],
    t("description", lang): catalogue[f"description_{sfx}"],
})
ui.show_table(table, t("page_methodology", lang), "methodology", f, height=640)
