"""指标说明: every indicator's definition from the catalogue (ref_indicators), never retyped, and the
targets the office keeps for it by year and scope, with their basis, points and scoring rule."""
from __future__ import annotations

import streamlit as st

from cockpit import auth, ui
from reporting import frames, queries
from reporting.i18n import t
from reporting.safe_text import markdown_literal

auth.require("view")
f = ui.filters()
lang = f.lang
st.title(t("page_methodology", lang))
catalogue = ui.query(queries.catalogue)
st.caption(t("meth_intro", lang, version="、".join(catalogue["version"].dropna().unique())))

targets = ui.query(queries.targets, f.subdistrict)
ids = catalogue["indicator_id"].tolist()
names = dict(zip(ids, catalogue["name_en" if lang == "en" else "name_zh"]))
chosen = st.selectbox(t("meth_pick", lang), ids, format_func=names.get, key="meth_indicator")
name = markdown_literal(names[chosen])   # an imported indicator's name is an office's text
ui.show_table(ui.shape(frames.indicator_card, catalogue, chosen, lang), name, f"methodology_{chosen}", f)
ui.show_table(ui.shape(frames.targets_table, targets, lang, chosen), t("meth_targets_of", lang, name=name),
              f"targets_{chosen}", f)

ui.show_table(ui.shape(frames.catalogue_table, catalogue, lang), t("page_methodology", lang), "methodology", f,
              height=640)
st.markdown(f"**{t('meth_targets', lang)}**")
st.caption(t("meth_targets_intro", lang))
if targets.empty:
    st.info(t("meth_no_targets", lang), icon=":material/info:")
else:
    ui.show_table(ui.shape(frames.targets_table, targets, lang), "", "targets", f, height=480)
