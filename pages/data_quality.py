"""数据与质量: load history, rows read/loaded/rejected per file, the rejected rows with reasons."""
from __future__ import annotations

import pandas as pd
import streamlit as st

from cockpit import charts, queries, ui
from cockpit.i18n import t, value_label

f = ui.filters()
lang = f.lang
st.title(t("page_data_quality", lang))
st.caption(ui.data_source_text(lang))

runs = ui.query(queries.runs)
ui.show_table(runs, t("dq_runs", lang), "load_history", f, columns={
    "run_id": t("run_id", lang), "started_at": t("started_at", lang), "finished_at": t("finished_at", lang),
    "duration_s": t("duration_s", lang), "dataset_kind": t("dataset", lang), "files": t("files", lang),
    "rows_read": t("rows_read", lang), "rows_loaded": t("rows_loaded", lang),
    "rows_rejected": t("rows_rejected", lang), "status": t("run_status", lang)})

if not runs.empty:
    run_id = st.selectbox(t("dq_run_pick", lang), runs["run_id"].tolist(), key="dq_run")
    files = ui.query(queries.run_files, run_id)
    long = files.melt(id_vars=["source_file"], value_vars=["rows_loaded", "rows_rejected"],
                      var_name="series", value_name="rows") if not files.empty else pd.DataFrame()
    if not long.empty:
        long["series"] = [t(s, lang) for s in long["series"]]
    fig = charts.bar(long, "source_file", "rows", lang, x_title=t("source_file", lang), y_title=t("rows_unit", lang),
                     unit=t("rows_unit", lang), colour="series", horizontal=True) if not long.empty else None
    ui.show_chart(fig, long, t("dq_files", lang), "files_chart", f)
    ui.show_table(files, "", "files_table", f, columns={
        "source_file": t("source_file", lang), "record_type": t("record_type", lang),
        "encoding": t("encoding", lang), "rows_read": t("rows_read", lang), "rows_loaded": t("rows_loaded", lang),
        "rows_rejected": t("rows_rejected", lang), "message": t("message", lang), "checksum": t("checksum", lang),
        "run_id": t("run_id", lang)})

    rejects = ui.query(queries.rejects, run_id)
    if rejects.empty:
        st.markdown(f"**{t('dq_rejects', lang)}**")
        st.success(t("dq_rejects_none", lang))
    else:
        rejects["kind"] = [t(f"reject_{k}", lang) if k in ("invalid", "duplicate") else k for k in rejects["kind"]]
        ui.show_table(rejects, t("dq_rejects", lang), "rejects", f, columns={
            "record_type": t("record_type", lang), "source_file": t("source_file", lang),
            "source_row": t("source_row", lang), "field": t("field", lang), "value": t("value", lang),
            "reason": t("reason", lang), "kind": t("kind", lang)})
