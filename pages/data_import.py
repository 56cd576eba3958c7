"""数据导入: template downloads; upload → check → preview (accepted/rejected, indicators before → after)
→ confirm (atomic publish, with progress) or cancel. Widgets → etl.intake → tables; nothing else here."""
from __future__ import annotations

import functools
import hashlib

import pandas as pd
import streamlit as st

from cockpit import auth, ui
from cockpit import report_import_ui
from etl import intake, schema
from etl.errors import EtlError
from etl.messages import translate
from etl.templates import template_bytes, template_file_name, templates_zip
from reporting import db
from reporting.charts import format_value
from reporting.i18n import t
from reporting.safe_text import markdown_literal as literal
from security import audit as events

def type_label(name: str | None) -> str:
    if name is None:
        return "—"
    return schema.RECORD_TYPES[name].name_zh if lang == "zh" else name


def checked(name: str, data: bytes, record_type: str | None) -> intake.Upload:
    """etl.intake.inspect_upload, remembered per file and chosen type for this session."""
    cache = st.session_state.setdefault("import_checked", {})
    key = (name, hashlib.sha256(data).hexdigest(), record_type)
    if key not in cache:
        cache[key] = intake.inspect_upload(name, data, record_type)
    return cache[key]


def audited_files(uploads: list[intake.Upload]) -> dict:
    """What the audit trail keeps of an import's files: name, sha256, record type, rows."""
    return {"files": [{"name": u.name, "sha256": u.checksum, "record_type": u.record_type, "rows": u.rows}
                      for u in uploads]}


SCOPE_SHOWN = 20   # refused rows listed on the page (all of them are in the audit row's count)


def audited_preview(preview: intake.Preview, detail: dict) -> None:
    """The audit row of a preview: refused when it holds rows outside the account's subdistrict."""
    if preview.scope_refusals:
        auth.record(events.IMPORT_PREVIEW, object="upload", outcome="refused", detail={
            **detail, "subdistrict": preview.subdistrict, "refused_rows": len(preview.scope_refusals),
            "refusals": preview.scope_refusals[:SCOPE_SHOWN]})
    else:
        auth.record(events.IMPORT_PREVIEW, object="upload",
                    detail={**detail, **({"subdistrict": preview.subdistrict} if preview.subdistrict else {})})


def discard_preview() -> None:
    preview = st.session_state.pop("import_preview", None)
    if preview is not None:
        intake.cancel_import(preview)


auth.require("import")
lang = ui.current_lang()
live_db = db.db_path()
scope = auth.scope_of()       # an account limited to one subdistrict imports only its data
st.title(t("page_data_import", lang))
st.caption(t("import_intro", lang))
if scope is not None:
    st.info(t("import_scope", lang, scope=literal(scope)), icon=":material/location_city:")

flash = st.session_state.pop("import_flash", None)
if flash:
    (st.success if flash[0] == "success" else st.info)(flash[1])

# 1. Templates ----------------------------------------------------------------------------------
st.subheader(t("import_templates", lang))
st.caption(t("import_templates_help", lang))
columns = st.columns(4)
for i, rt in enumerate(schema.RECORD_TYPES.values()):
    columns[i % 4].download_button(
        rt.name_zh if lang == "zh" else rt.name, data=functools.partial(template_bytes, rt.name),
        file_name=template_file_name(rt), key=f"template_{rt.name}", icon=":material/table_view:",
        mime="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", on_click="ignore",
        width="stretch")
st.download_button(t("import_all_templates", lang), data=templates_zip, file_name="intake_templates.zip",
                   key="template_zip", mime="application/zip", icon=":material/folder_zip:", on_click="ignore")

# 2. Upload -------------------------------------------------------------------------------------
st.subheader(t("import_upload", lang))
uploader_key = f"import_files_{st.session_state.get('import_round', 0)}"
files = st.file_uploader(t("import_upload_label", lang), accept_multiple_files=True, key=uploader_key) or []

# Forget checks of files no longer in the uploader (each holds the file's bytes).
current = {hashlib.sha256(file.getvalue()).hexdigest() for file in files}
checks = st.session_state.setdefault("import_checked", {})
for stale in [key for key in checks if key[1] not in current]:
    del checks[stale]

uploads: list[intake.Upload] = []
for index, file in enumerate(files):
    data = file.getvalue()
    upload = checked(file.name, data, None)
    name_col, type_col, state_col = st.columns([3, 2, 4], vertical_alignment="center")
    name_col.markdown(f"**{literal(file.name)}**  \n{len(data) / 1024:,.1f} KB")
    type_readable = upload.suffix in intake.ACCEPTED_SUFFIXES and len(data) <= intake.MAX_BYTES
    if type_readable:
        options = list(schema.RECORD_TYPES)
        chosen = type_col.selectbox(
            t("record_type", lang), options, format_func=type_label,
            key=f"import_type_{index}_{upload.checksum[:12]}",
            index=options.index(upload.recognised_type) if upload.recognised_type else None,
            placeholder=t("import_type_placeholder", lang))
        if chosen is not None and chosen != upload.recognised_type:
            upload = checked(file.name, data, chosen)
    if upload.refusal:
        state_col.error(literal(translate(upload.refusal, lang)), icon=":material/block:")
        continue
    if upload.record_type == upload.recognised_type:
        status = t("import_recognised", lang, type=type_label(upload.record_type))
    else:
        status = t("import_overridden", lang, type=type_label(upload.record_type),
                   recognised=type_label(upload.recognised_type))
    status = t("import_file_status", lang, status=status, rows=t("import_rows_found", lang, rows=upload.rows))
    state_col.markdown(status + (f"  \n{literal(translate(upload.message, lang))}" if upload.message else ""))
    uploads.append(upload)

signature = tuple((u.checksum, u.record_type) for u in uploads)
if st.session_state.get("import_signature") != signature:
    discard_preview()            # the files or their types changed: an older preview no longer applies
    st.session_state["import_signature"] = signature

if files and not uploads:
    st.info(t("import_nothing_to_preview", lang))
if uploads and st.button(t("import_preview", lang), icon=":material/preview:", type="secondary",
                         key="import_preview_button"):
    auth.require("import")
    discard_preview()
    with st.spinner(t("import_preview_running", lang)):
        try:
            st.session_state["import_preview"] = intake.preview_import(live_db, uploads, subdistrict=scope)
        except EtlError as exc:
            auth.record(events.IMPORT_PREVIEW, object="upload", detail={**audited_files(uploads), "error": str(exc)},
                        outcome="failed")
            st.error(t("import_preview_failed", lang, error=literal(translate(str(exc), lang))))
        else:
            audited_preview(st.session_state["import_preview"], audited_files(uploads))

# 2b. A published report: its figures reviewed, then the same preview ----------------------------
report_import_ui.section(live_db, lang)

# 3. Preview ------------------------------------------------------------------------------------
preview: intake.Preview | None = st.session_state.get("import_preview")
if preview is not None:
    st.subheader(t("import_step_preview", lang))
    if preview.subdistrict != scope:    # a preview made before the account's scope changed: never confirmed
        discard_preview()
        if scope is not None:
            auth.require_subdistrict(preview.subdistrict, what="import")   # refuses, audits and stops
        st.rerun()
    if preview.scope_refusals:
        refusals = preview.scope_refusals
        shown = "\n".join(f"- {literal(translate(r, lang))}" for r in refusals[:SCOPE_SHOWN])
        more = len(refusals) - SCOPE_SHOWN
        st.error(t("import_scope_refused", lang, n=len(refusals), scope=literal(preview.subdistrict)) + "\n\n" + shown
                 + (f"\n\n{t('import_scope_more', lang, n=more)}" if more > 0 else ""), icon=":material/block:")
    if preview.already_kept:
        st.info(t("import_already_kept", lang, names=t("list_sep", lang).join(literal(u.name) for u in preview.already_kept)))
    if preview.files:
        st.markdown(f"**{t('import_files_table', lang)}**")
        st.dataframe(pd.DataFrame([{
            t("import_col_file", lang): o.upload.name, t("record_type", lang): type_label(o.upload.record_type),
            t("rows_read", lang): o.rows_read, t("import_col_loaded", lang): o.rows_loaded,
            t("import_col_rejected", lang): o.rows_rejected,
            t("import_col_message", lang): translate(o.message, lang)} for o in preview.files]), hide_index=True,
            width="stretch")
    for outcome in preview.files:
        if outcome.rejects.empty:
            continue
        fields = {f.name: f.header_zh if lang == "zh" else f.name
                  for f in schema.RECORD_TYPES[outcome.upload.record_type].fields}
        shown = outcome.rejects.assign(
            field=outcome.rejects["field"].map(lambda f: fields.get(f, f)),
            kind=outcome.rejects["kind"].map(lambda k: t(f"reject_{k}", lang)),
            reason=outcome.rejects["reason"].map(lambda r: translate(r, lang)))
        with st.expander(t("import_rejects_of", lang, name=literal(outcome.upload.name), n=len(shown)), expanded=True):
            st.dataframe(shown.rename(columns={
                "source_row": t("source_row", lang), "field": t("field", lang),
                "value": t("import_col_value", lang), "reason": t("reason", lang),
                "kind": t("kind", lang)}), hide_index=True, width="stretch")
    if not preview.replaced.empty:      # a later upload wins on a key: say which records change hands
        st.markdown(f"**{t('import_replaced', lang)}**")
        st.dataframe(preview.replaced.assign(record_type=preview.replaced["record_type"].map(type_label)).rename(
            columns={"record_type": t("record_type", lang), "key": t("import_col_key", lang),
                     "file": t("import_col_replaced_file", lang), "source_row": t("source_row", lang),
                     "by_file": t("import_col_by_file", lang), "by_row": t("import_col_by_row", lang)}),
            hide_index=True, width="stretch")

    for problem in preview.gi_checks:
        st.warning(t("import_gi_check", lang, problem=literal(translate(problem, lang))), icon=":material/rule:")
    st.markdown(f"**{t('import_indicators_of', lang, scope=literal(preview.subdistrict)) if preview.subdistrict else t('import_indicators', lang)}**")
    if not preview.years:
        st.info(t("import_no_years", lang))
    else:
        st.caption(t("import_years", lang, years=t("list_sep", lang).join(str(y) for y in preview.years)))
        show_all = st.toggle(t("import_show_all", lang), key="import_show_all")
        table = preview.indicators if show_all else preview.indicators[preview.indicators["changed"]]
        if table.empty:
            st.info(t("import_no_change", lang))
        else:
            unit = "unit_en" if lang == "en" else "unit_zh"
            st.dataframe(pd.DataFrame({
                t("year", lang): table["year"].astype(str),
                t("indicator", lang): table["name_en" if lang == "en" else "name_zh"],
                t("import_col_before", lang): [format_value(v, u, lang) for v, u in zip(table["before"], table[unit])],
                t("import_col_after", lang): [format_value(v, u, lang) for v, u in zip(table["after"], table[unit])],
                t("import_col_change", lang): [
                    ("+" if c > 0 else "") + format_value(c, u, lang) if pd.notna(c) and c else "—"
                    for c, u in zip(table["change"], table[unit])],
                t("status", lang): [
                    f"{t('status_' + (b if isinstance(b, str) else 'no_data'), lang)} → "
                    f"{t('status_' + (a if isinstance(a, str) else 'no_data'), lang)}"
                    for b, a in zip(table["status_before"], table["status_after"])],
            }), hide_index=True, width="stretch")

    confirm_col, cancel_col, _ = st.columns([1, 1, 4])
    if confirm_col.button(t("import_confirm", lang), type="primary", icon=":material/check:", key="import_confirm",
                          disabled=not preview.uploads or bool(preview.scope_refusals)):
        auth.require("import")
        auth.require_subdistrict(preview.subdistrict, what="import")
        with st.status(t("import_confirm_running", lang), expanded=True) as status:
            bar = st.progress(0.0)
            try:
                result = intake.confirm_import(preview, lambda fraction, stage: bar.progress(
                    fraction, text=t(f"import_stage_{stage}", lang)), actor=ui.acting_user())
            except EtlError as exc:
                auth.record(events.IMPORT_CONFIRM, object="upload", outcome="failed",
                            detail={**audited_files(preview.uploads), "error": str(exc)})
                status.update(label=t("import_confirm_failed", lang, error=literal(translate(str(exc), lang))),
                              state="error")
            else:
                status.update(label=t("import_confirm_done", lang), state="complete")
                loaded = sum(o.rows_loaded for o in preview.files)
                rejected = sum(o.rows_rejected for o in preview.files)
                auth.record(events.IMPORT_CONFIRM, object=result.run_id, detail={
                    **audited_files(preview.uploads), "run_id": result.run_id, "rows_loaded": loaded,
                    "rows_rejected": rejected})
                st.session_state["import_flash"] = ("success", t(
                    "import_imported", lang, files=len(preview.uploads), loaded=loaded, rejected=rejected,
                    run=result.run_id))
                st.session_state.pop("import_preview", None)
                st.session_state["import_round"] = st.session_state.get("import_round", 0) + 1
                st.rerun()
    if cancel_col.button(t("import_cancel", lang), icon=":material/close:", key="import_cancel"):
        auth.record(events.IMPORT_CANCEL, object="upload", detail=audited_files(preview.uploads))
        discard_preview()
        st.session_state["import_flash"] = ("info", t("import_cancelled", lang))
        st.session_state["import_round"] = st.session_state.get("import_round", 0) + 1
        st.rerun()

# Imported files ----------------------------------------------------------------------------------
with st.expander(t("import_kept", lang)):
    kept = intake.kept_uploads(live_db)
    if scope is not None:      # another subdistrict's uploads are not this account's to see
        kept = kept[kept["subdistrict"] == scope]
    kept = kept.drop(columns="subdistrict")
    if kept.empty:
        st.caption(t("import_kept_none", lang))
    else:
        st.dataframe(kept.rename(columns={
            "original_name": t("import_col_original", lang), "record_type": t("record_type", lang),
            "stored_name": t("import_col_stored", lang), "uploaded_at": t("import_col_uploaded", lang),
            "uploaded_by": t("import_col_uploaded_by", lang), "reason": t("reason", lang),
            "sha256": "SHA-256", "bytes": "bytes"}), hide_index=True, width="stretch")
