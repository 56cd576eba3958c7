"""数据与质量: load history, rows read/loaded/rejected per file, the rejected rows with reasons."""
from __future__ import annotations

import pandas as pd
import streamlit as st

from cockpit import auth, ui
from etl import publish
from etl.errors import EtlError
from etl.restore import restore
from etl.schema import RECORD_TYPES
from reporting import charts, db, frames, queries
from reporting.i18n import t
from reporting.safe_text import markdown_literal as literal
from security import audit as events

auth.require("view")
f = ui.filters()
lang = f.lang
st.title(t("page_data_quality", lang))
st.caption(ui.data_source_text(lang))

def record_type_name(name: str) -> str:
    return RECORD_TYPES[name].name_zh if lang == "zh" and name in RECORD_TYPES else name


def run_status(status: str) -> str:
    """`published`, or `rollback:<run_id>` for a restore (etl.publish), in the reader's language."""
    if status == "published":
        return t("dq_status_published", lang)
    if status.startswith("rollback:"):
        return t("dq_status_rollback", lang, run=status.removeprefix("rollback:"))
    return status


runs = ui.query(queries.runs)
history = runs[["run_id", "started_at", "finished_at", "duration_s", "dataset_kind", "files", "rows_read",
                "rows_loaded", "rows_rejected", "status", "data_dir", "catalogue_version"]].copy() \
    if not runs.empty else runs
if not history.empty:
    history["dataset_kind"] = [t(f"kind_{k}", lang) if k in ("sample", "real") else k for k in history["dataset_kind"]]
    history["duration_s"] = history["duration_s"].round(2)
    history["status"] = [run_status(s) for s in history["status"]]
ui.show_table(history, t("dq_runs", lang), "load_history", f, columns={
    "run_id": t("run_id", lang), "started_at": t("started_at", lang), "finished_at": t("finished_at", lang),
    "duration_s": t("duration_s", lang), "dataset_kind": t("dataset", lang), "files": t("files", lang),
    "rows_read": t("rows_read", lang), "rows_loaded": t("rows_loaded", lang),
    "rows_rejected": t("rows_rejected", lang), "status": t("run_status", lang), "data_dir": t("data_dir", lang),
    "catalogue_version": t("catalogue_version", lang)})

if not runs.empty:
    run_id = st.selectbox(t("dq_run_pick", lang), runs["run_id"].tolist(), key="dq_run")
    files = ui.query(queries.run_files, run_id)
    long = files.melt(id_vars=["source_file"], value_vars=["rows_loaded", "rows_rejected"],
                      var_name="series", value_name="rows") if not files.empty else pd.DataFrame()
    if not long.empty:
        long["series"] = [t(s, lang) for s in long["series"]]
    fig = ui.chart(charts.bar, long, "source_file", "rows", lang, x_title=t("source_file", lang), y_title=t("rows_unit", lang),
                     unit=t("rows_unit", lang), colour="series", horizontal=True) if not long.empty else None
    ui.show_chart(fig, long, t("dq_files", lang), "files_chart", f)
    per_file = files[["source_file", "record_type", "encoding", "rows_read", "rows_loaded", "rows_rejected",
                      "message", "checksum"]].copy() if not files.empty else files
    if not per_file.empty:
        per_file["record_type"] = [record_type_name(r) for r in per_file["record_type"]]
        per_file["message"] = per_file["message"].fillna("")
    ui.show_table(per_file, "", "files_table", f, columns={
        "source_file": t("source_file", lang), "record_type": t("record_type", lang),
        "encoding": t("encoding", lang), "rows_read": t("rows_read", lang), "rows_loaded": t("rows_loaded", lang),
        "rows_rejected": t("rows_rejected", lang), "message": t("message", lang), "checksum": t("checksum", lang)})

    rejects = ui.query(queries.rejects, run_id)
    if rejects.empty:
        st.markdown(f"**{t('dq_rejects', lang)}**")
        st.success(t("dq_rejects_none", lang))
    else:
        rejects["field"] = [ui.record_headers(r, lang).get(fd, fd) if r in RECORD_TYPES else fd
                            for r, fd in zip(rejects["record_type"], rejects["field"])]
        rejects["kind"] = [t(f"reject_{k}", lang) if k in ("invalid", "duplicate") else k for k in rejects["kind"]]
        rejects["record_type"] = [record_type_name(r) for r in rejects["record_type"]]
        ui.show_table(rejects, t("dq_rejects", lang), "rejects", f, columns={
            "record_type": t("record_type", lang), "source_file": t("source_file", lang),
            "source_row": t("source_row", lang), "field": t("field", lang), "value": t("value", lang),
            "reason": t("reason", lang), "kind": t("kind", lang)})

# --- Published reports against the records: where both give a year and disagree, the records count ---
st.markdown(f"**{t('dq_published', lang)}**")
st.caption(t("dq_published_caption", lang))
conflicts = ui.query(queries.published_conflicts)
if conflicts.empty:
    st.success(t("dq_published_none", lang))
else:
    ui.show_table(ui.shape(frames.conflicts_table, conflicts, lang), "", "published_conflicts", f)

# --- Snapshots: every publish keeps the database it replaced; restoring one is itself a publish ---
st.subheader(t("snap_title", lang))
st.caption(t("snap_caption", lang, n=publish.KEEP_SNAPSHOTS))
restored = st.session_state.pop("dq_restored", None)
if restored:
    st.success(restored)
snapshots = publish.list_snapshots(db.db_path())
if not snapshots:
    st.info(t("snap_none", lang))
else:
    st.dataframe(pd.DataFrame([{
        t("snap_run_id", lang): s.run_id, t("snap_finished_at", lang): s.finished_at,
        t("dataset", lang): s.dataset_label, t("rows_loaded", lang): s.rows_loaded,
        t("status", lang): run_status(s.status) if s.status else s.status} for s in snapshots]),
        hide_index=True, width="stretch")
    # Restoring is offered to a role that may restore, and checked again when clicked.
    chosen = st.selectbox(t("snap_pick", lang), [s.run_id for s in snapshots], key="dq_snapshot") \
        if auth.can("restore") else None
    if chosen is not None and st.button(t("snap_restore", lang), icon=":material/restore:", key="dq_restore"):
        auth.require("restore")
        live_run = (ui.query(queries.latest_run) or {}).get("run_id")
        try:
            new_run, withdrawn, reinstated = restore(db.db_path(), chosen)
        except EtlError as exc:
            auth.record(events.RESTORE, object=chosen, outcome="failed", detail={"from": live_run, "to": chosen,
                                                                               "error": str(exc)})
            st.error(t("snap_failed", lang, error=literal(exc)))
        else:
            auth.record(events.RESTORE, object=chosen, detail={"from": live_run, "to": chosen, "new_run": new_run,
                                                               "withdrawn": list(withdrawn),
                                                               "reinstated": list(reinstated)})
            message = t("snap_restored", lang, run=chosen, new=new_run)
            if withdrawn:
                message += t("snap_withdrawn", lang, files=t("list_sep", lang).join(map(literal, withdrawn)))
            if reinstated:
                message += t("snap_reinstated", lang, files=t("list_sep", lang).join(map(literal, reinstated)))
            st.session_state["dq_restored"] = message
            st.rerun()
