"""数据与质量: load history, rows read/loaded/rejected per file, the rejected rows with reasons."""
from __future__ import annotations

import pandas as pd
import streamlit as st

from cockpit import charts, db, queries, ui
from cockpit.i18n import t
from etl import intake, publish
from etl.errors import EtlError
from etl.schema import RECORD_TYPES

f = ui.filters()
lang = f.lang
st.title(t("page_data_quality", lang))
st.caption(ui.data_source_text(lang))

def record_type_name(name: str) -> str:
    return RECORD_TYPES[name].name_zh if lang == "zh" and name in RECORD_TYPES else name


def run_status(status: str) -> str:
    """`published`, or `rollback:<run_id>` for a restore (etl.publish), in the reader's language."""
    if status == "published":
        return "已发布" if lang == "zh" else "published"
    if status.startswith("rollback:"):
        return ("恢复自 " if lang == "zh" else "restored from ") + status.removeprefix("rollback:")
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

# --- Snapshots: every publish keeps the database it replaced; restoring one is itself a publish ---
SNAP_TEXT = {
    "title": ("数据库快照与恢复", "Database snapshots and restore"),
    "caption": ("每次发布（构建、导入、恢复）都保留被替换的数据库（最近 {n} 个）。恢复也是一次原子发布，当前数据库会先保留为快照。",
                "Every publish (build, import, restore) keeps the database it replaces (the latest {n}). Restoring is "
                "itself an atomic publish; the current database is kept as a snapshot first."),
    "none": ("还没有快照：首次发布之后才会有。", "No snapshots yet: the first is kept at the next publish."),
    "pick": ("要恢复的快照（运行编号）", "Snapshot to restore (run id)"),
    "restore": ("恢复此快照", "Restore this snapshot"),
    "restored": ("已恢复运行 {run} 的数据库（新运行编号 {new}），各页面已使用恢复后的数据。",
                 "Restored the database of run {run} (new run {new}); every page now reads it."),
    "withdrawn": ("恢复后的数据库未载入的上传文件已移入 uploads/withdrawn，之后的导入不会再读取：{files}",
                  " Uploads the restored database did not load were moved to uploads/withdrawn and later imports "
                  "will not read them: {files}"),
    "reinstated": ("恢复后的数据库载入过的上传文件已从 uploads/withdrawn 移回：{files}",
                   " Uploads the restored database loaded were moved back from uploads/withdrawn: {files}"),
    "failed": ("恢复失败，数据库未作更改：{error}", "Restore failed; nothing was changed: {error}"),
    "run_id": ("运行编号", "Run id"), "finished_at": ("完成时间（UTC）", "Finished (UTC)"),
    "dataset": ("数据集", "Dataset"), "rows_loaded": ("载入行数", "Rows loaded"), "status": ("状态", "Status"),
}


def snap_text(key: str, **values: object) -> str:
    return SNAP_TEXT[key][1 if lang == "en" else 0].format(**values)


st.subheader(snap_text("title"))
st.caption(snap_text("caption", n=publish.KEEP_SNAPSHOTS))
restored = st.session_state.pop("dq_restored", None)
if restored:
    st.success(restored)
snapshots = publish.list_snapshots(db.db_path())
if not snapshots:
    st.info(snap_text("none"))
else:
    st.dataframe(pd.DataFrame([{
        snap_text("run_id"): s.run_id, snap_text("finished_at"): s.finished_at, snap_text("dataset"): s.dataset_label,
        snap_text("rows_loaded"): s.rows_loaded, snap_text("status"): s.status} for s in snapshots]),
        hide_index=True, width="stretch")
    chosen = st.selectbox(snap_text("pick"), [s.run_id for s in snapshots], key="dq_snapshot")
    if st.button(snap_text("restore"), icon=":material/restore:", key="dq_restore"):
        try:
            new_run = publish.rollback(db.db_path(), chosen)
        except EtlError as exc:
            st.error(snap_text("failed", error=exc))
        else:
            # Uploads the restored database never loaded must not come back with the next import.
            withdrawn, reinstated = intake.align_uploads(db.db_path())
            message = snap_text("restored", run=chosen, new=new_run)
            if withdrawn:
                message += snap_text("withdrawn", files="、".join(withdrawn))
            if reinstated:
                message += snap_text("reinstated", files="、".join(reinstated))
            st.session_state["dq_restored"] = message
            st.rerun()
