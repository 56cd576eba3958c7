"""数据与质量: load history, rows read/loaded/rejected per file, the rejected rows with reasons."""
from __future__ import annotations

import pandas as pd
import streamlit as st

from cockpit import auth, ui
from etl import publish
from etl.errors import EtlError
from etl.messages import translate
from etl.restore import restore
from reporting import charts, db, frames, queries
from reporting.i18n import t
from reporting.safe_text import markdown_literal as literal
from security import audit as events

auth.require("view")
f = ui.filters()
lang = f.lang
st.title(t("page_data_quality", lang))
st.caption(ui.data_source_text(lang))

def run_status(status: str) -> str:   # the snapshots below show a run's result too
    return frames.run_status(status, lang)


def changes_text(changes: tuple[publish.FileChange, ...]) -> str:
    return t("list_sep", lang).join(f"{t('snap_change_' + c.change, lang)} {c.name}" for c in changes)


def confirmed_restore_reason(chosen: str | None) -> str | None:
    """Step two of a restore: confirm restoring `chosen` and give a reason; the reason once confirmed, else None."""
    if chosen is None or st.session_state.get("dq_restore_pending") != chosen:
        return None
    with st.form("dq_restore_form"):
        st.warning(t("snap_confirm_text", lang, run=literal(chosen)), icon=":material/warning:")
        reason = st.text_area(t("snap_reason", lang), key="dq_restore_reason", max_chars=500)
        confirm_col, cancel_col = st.columns(2)
        confirmed = confirm_col.form_submit_button(t("snap_confirm", lang), type="primary", key="dq_restore_confirm")
        cancelled = cancel_col.form_submit_button(t("snap_cancel", lang), key="dq_restore_cancel")
    if cancelled:
        st.session_state.pop("dq_restore_pending", None)
        st.rerun()
    if confirmed and not reason.strip():
        st.error(t("snap_reason_required", lang))
    elif confirmed:
        st.session_state.pop("dq_restore_pending", None)
        return reason.strip()
    return None


# --- Coverage: for each indicator and year, computed from records, reported, published, illustrative or none ---
coverage = ui.query(queries.indicator_values, (), f.communities, cannot_combine=t("cannot_combine", lang),
                  subdistrict=f.subdistrict)
ui.show_table(ui.shape(frames.coverage_grid, coverage, lang), t("cov_title", lang) + f"（{f.scope()}）"
              if lang == "zh" else f"{t('cov_title', lang)} ({f.scope()})", "coverage", f)
st.caption(t("cov_caption", lang))
ui.show_table(ui.shape(frames.coverage_details, coverage, lang), "", "coverage_details", f)

runs = ui.query(queries.runs)
ui.show_table(ui.shape(frames.run_history, runs, lang), t("dq_runs", lang), "load_history", f)

if not runs.empty:
    run_id = st.selectbox(t("dq_run_pick", lang), runs["run_id"].tolist(), key="dq_run")
    files = ui.query(queries.run_files, run_id, f.subdistrict)
    rows = ui.shape(frames.file_rows, files, lang)
    fig = ui.chart(charts.bar, rows, "source_file", "rows", lang, x_title=t("source_file", lang), y_title=t("rows_unit", lang),
                   unit=t("rows_unit", lang), colour="series", horizontal=True)
    ui.show_chart(fig, rows, t("dq_files", lang), "files_chart", f)
    ui.show_table(ui.shape(frames.file_table, files, lang), "", "files_table", f)

    rejects = ui.query(queries.rejects, run_id, subdistrict=f.subdistrict)   # a restore's are those of the build it restored
    rejected = runs.loc[runs["run_id"] == run_id, "rows_rejected"].fillna(0).sum()
    if rejects.empty:
        st.markdown(f"**{t('dq_rejects', lang)}**")
        if rejected and f.subdistrict is None:   # a run carried over from an earlier database: its rejected rows are not in this one
            st.info(t("dq_rejects_elsewhere", lang, n=int(rejected)), icon=":material/info:")
        else:
            st.success(t("dq_rejects_none", lang))
    else:
        ui.show_table(ui.shape(frames.reject_table, rejects, lang), t("dq_rejects", lang), "rejects", f)

# --- Published reports against the records: where both give a year and disagree, the records count ---
st.markdown(f"**{t('dq_published', lang)}**")
st.caption(t("dq_published_caption", lang))
conflicts = ui.query(queries.published_conflicts, f.subdistrict)
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
    # Listed by what each snapshot changed, who and why first; the run id last.
    st.dataframe(pd.DataFrame([{
        t("snap_changes", lang): changes_text(s.changes), t("run_actor", lang): s.actor,
        t("reason", lang): s.reason, t("snap_finished_at", lang): s.finished_at,
        t("status", lang): run_status(s.status) if s.status else s.status,
        t("dataset", lang): s.dataset_label, t("rows_loaded", lang): s.rows_loaded,
        t("snap_run_id", lang): s.run_id} for s in snapshots]),
        hide_index=True, width="stretch")
    # Restoring is offered to a role that may restore, and checked again when clicked; a restore
    # replaces every subdistrict's data, so an account limited to one subdistrict may not.
    chosen = st.selectbox(t("snap_pick", lang), [s.run_id for s in snapshots], key="dq_snapshot") \
        if auth.can("restore") and auth.scope_of() is None else None
    if chosen is not None and st.button(t("snap_restore", lang), icon=":material/restore:", key="dq_restore"):
        st.session_state["dq_restore_pending"] = chosen      # step one: ask to confirm, with a reason
    reason = confirmed_restore_reason(chosen)
    if reason is not None:
        auth.require("restore")
        auth.require_subdistrict(None, what="restore")
        live_run = (ui.query(queries.latest_run) or {}).get("run_id")
        try:
            new_run, withdrawn, reinstated = restore(db.db_path(), chosen, actor=ui.acting_user(), reason=reason)
        except EtlError as exc:
            auth.record(events.RESTORE, object=chosen, outcome="failed", detail={"from": live_run, "to": chosen,
                                                                               "reason": reason, "error": str(exc)})
            st.error(t("snap_failed", lang, error=literal(translate(str(exc), lang))))
        else:
            auth.record(events.RESTORE, object=chosen, detail={"from": live_run, "to": chosen, "reason": reason,
                                                               "new_run": new_run,
                                                               "withdrawn": list(withdrawn),
                                                               "reinstated": list(reinstated)})
            message = t("snap_restored", lang, run=chosen, new=new_run)
            if withdrawn:
                message += t("snap_withdrawn", lang, files=t("list_sep", lang).join(map(literal, withdrawn)))
            if reinstated:
                message += t("snap_reinstated", lang, files=t("list_sep", lang).join(map(literal, reinstated)))
            st.session_state["dq_restored"] = message
            st.rerun()
