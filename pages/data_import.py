"""数据导入: template downloads; upload → check → preview (accepted/rejected, indicators before → after)
→ confirm (atomic publish, with progress) or cancel. Widgets → etl.intake → tables; nothing else here."""
from __future__ import annotations

import functools
import hashlib

import pandas as pd
import streamlit as st

from cockpit import db, ui
from cockpit.charts import format_value
from cockpit.i18n import t
from etl import intake, schema
from etl.errors import EtlError
from etl.templates import template_bytes, template_file_name, templates_zip

TEXT = {
    "intro": ("用 Excel 模板整理台账，上传后先预览：每个文件接受和拒绝的行、拒绝原因，以及指标导入前后的变化。"
              "确认后才会发布新的数据库（原数据库保留为快照，可在“数据与质量”页恢复）；取消则什么也不会改变。",
              "Fill the Excel templates, upload, and preview first: rows accepted and rejected per file with the "
              "reasons, and the indicators before → after. Only confirming publishes a new database (the old one is "
              "kept as a snapshot, restorable on the Data and quality page); cancelling changes nothing."),
    "templates": ("1. 下载模板", "1. Download templates"),
    "templates_help": ("每种记录一个模板：中文表头（带 * 为必填）、下拉选项、日期格式；“填写示例”和“说明”工作表解释每一列。",
                       "One template per record type: Chinese headers (* = required), dropdowns, date formats; the "
                       "example and guide sheets explain every column."),
    "upload": ("2. 上传文件", "2. Upload files"),
    "upload_label": ("选择 CSV 或 XLSX 文件（可多选，每个不超过 50 MB）",
                     "Choose CSV or XLSX files (several allowed, 50 MB each at most)"),
    "type_label": ("记录类型", "Record type"),
    "type_placeholder": ("请选择记录类型", "Choose a record type"),
    "rows_found": ("{rows} 行", "{rows} rows"),
    "recognised": ("已识别为“{type}”", "recognised as “{type}”"),
    "overridden": ("按所选类型“{type}”读取（识别为“{recognised}”）", "read as “{type}” (recognised as “{recognised}”)"),
    "preview": ("生成预览", "Preview"),
    "nothing_to_preview": ("没有可导入的文件。", "No file can be imported."),
    "preview_running": ("正在用现有数据和上传文件构建预览数据库……", "Building a preview database from the current data and the uploads…"),
    "preview_failed": ("预览失败，数据库未作任何更改：{error}", "Preview failed; nothing was changed: {error}"),
    "step_preview": ("3. 预览", "3. Preview"),
    "already_kept": ("以下文件与此前导入的文件内容完全相同，不会重复导入：{names}",
                     "These files are identical to files imported before and add nothing: {names}"),
    "files_table": ("各文件的行", "Rows per file"),
    "col_file": ("文件", "File"), "col_type": ("记录类型", "Record type"), "col_read": ("读取行数", "Rows read"),
    "col_loaded": ("接受", "Accepted"), "col_rejected": ("拒绝", "Rejected"), "col_message": ("说明", "Remarks"),
    "rejects_of": ("“{name}”被拒绝的 {n} 行", "{n} rejected rows of “{name}”"),
    "col_row": ("行号", "Row"), "col_field": ("字段", "Field"), "col_value": ("值", "Value"),
    "col_reason": ("原因", "Reason"), "col_kind": ("类型", "Kind"),
    "indicators": ("指标：导入前 → 导入后（全街道）", "Indicators: before → after (whole subdistrict)"),
    "years": ("涉及年度：{years}", "Years affected: {years}"),
    "no_years": ("导入不改变任何年度的指标。", "The import changes no indicator in any year."),
    "no_change": ("涉及年度的指标均无变化。", "No indicator of the affected years changes."),
    "show_all": ("显示涉及年度的全部指标", "Show every indicator of the affected years"),
    "col_year": ("年度", "Year"), "col_indicator": ("指标", "Indicator"), "col_before": ("导入前", "Before"),
    "col_after": ("导入后", "After"), "col_change": ("变化", "Change"), "col_status": ("状态", "Status"),
    "gi_check": ("导入后政府信息公开年报表格核对不通过：{problem}", "After the import a GI annual-report table check fails: {problem}"),
    "all_templates": ("全部模板（zip）", "All templates (zip)"),
    "confirm": ("确认导入", "Confirm import"),
    "cancel": ("取消", "Cancel"),
    "confirm_running": ("正在导入……", "Importing…"),
    "confirm_done": ("导入完成", "Import complete"),
    "confirm_failed": ("导入失败，数据库未作任何更改：{error}", "Import failed; nothing was changed: {error}"),
    "stage_saving": ("保存上传文件", "Saving the uploaded files"),
    "stage_building": ("重建并校验数据库", "Rebuilding and testing the database"),
    "stage_cleaning": ("清理预览文件", "Removing the preview"),
    "stage_published": ("新数据库已发布", "New database published"),
    "imported": ("已导入 {files} 个文件，接受 {loaded} 行、拒绝 {rejected} 行；新数据库已发布（运行编号 {run}），各页面已使用新数据。",
                 "Imported {files} files: {loaded} rows accepted, {rejected} rejected; the new database is published "
                 "(run {run}) and every page now reads it."),
    "cancelled": ("已取消导入，数据库未作任何更改。", "Import cancelled; nothing was changed."),
    "kept": ("已导入的文件（保存在数据库旁的 uploads 文件夹，文件名含 SHA-256 校验和）",
             "Imported files (kept in the uploads folder beside the database, named by their SHA-256 checksum)"),
    "kept_none": ("还没有通过本页导入的文件。", "No file has been imported through this page yet."),
    "col_original": ("原文件名", "Original name"), "col_stored": ("保存为", "Stored as"),
    "col_uploaded": ("导入时间", "Imported at"),
}


def tr(key: str, **values: object) -> str:
    zh, en = TEXT[key]
    text = en if lang == "en" else zh
    return text.format(**values) if values else text


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


def discard_preview() -> None:
    preview = st.session_state.pop("import_preview", None)
    if preview is not None:
        intake.cancel_import(preview)


lang = ui.current_lang()
live_db = db.db_path()
st.title(t("page_data_import", lang))
st.caption(tr("intro"))

flash = st.session_state.pop("import_flash", None)
if flash:
    (st.success if flash[0] == "success" else st.info)(flash[1])

# 1. Templates ----------------------------------------------------------------------------------
st.subheader(tr("templates"))
st.caption(tr("templates_help"))
columns = st.columns(4)
for i, rt in enumerate(schema.RECORD_TYPES.values()):
    columns[i % 4].download_button(
        rt.name_zh if lang == "zh" else rt.name, data=functools.partial(template_bytes, rt.name),
        file_name=template_file_name(rt), key=f"template_{rt.name}", icon=":material/table_view:",
        mime="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", on_click="ignore",
        width="stretch")
st.download_button(tr("all_templates"), data=templates_zip, file_name="intake_templates.zip", key="template_zip",
                   mime="application/zip", icon=":material/folder_zip:", on_click="ignore")

# 2. Upload -------------------------------------------------------------------------------------
st.subheader(tr("upload"))
uploader_key = f"import_files_{st.session_state.get('import_round', 0)}"
files = st.file_uploader(tr("upload_label"), accept_multiple_files=True, key=uploader_key) or []

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
    name_col.markdown(f"**{file.name}**  \n{len(data) / 1024:,.1f} KB")
    type_readable = upload.suffix in intake.ACCEPTED_SUFFIXES and len(data) <= intake.MAX_BYTES
    if type_readable:
        options = list(schema.RECORD_TYPES)
        chosen = type_col.selectbox(
            tr("type_label"), options, format_func=type_label, key=f"import_type_{index}_{upload.checksum[:12]}",
            index=options.index(upload.recognised_type) if upload.recognised_type else None,
            placeholder=tr("type_placeholder"))
        if chosen is not None and chosen != upload.recognised_type:
            upload = checked(file.name, data, chosen)
    if upload.refusal:
        state_col.error(upload.refusal, icon=":material/block:")
        continue
    if upload.record_type == upload.recognised_type:
        status = tr("recognised", type=type_label(upload.record_type))
    else:
        status = tr("overridden", type=type_label(upload.record_type), recognised=type_label(upload.recognised_type))
    state_col.markdown(f"{status}，{tr('rows_found', rows=upload.rows)}" + (f"  \n{upload.message}" if upload.message else ""))
    uploads.append(upload)

signature = tuple((u.checksum, u.record_type) for u in uploads)
if st.session_state.get("import_signature") != signature:
    discard_preview()            # the files or their types changed: an older preview no longer applies
    st.session_state["import_signature"] = signature

if files and not uploads:
    st.info(tr("nothing_to_preview"))
if uploads and st.button(tr("preview"), icon=":material/preview:", type="secondary", key="import_preview_button"):
    discard_preview()
    with st.spinner(tr("preview_running")):
        try:
            st.session_state["import_preview"] = intake.preview_import(live_db, uploads)
        except EtlError as exc:
            st.error(tr("preview_failed", error=exc))

# 3. Preview ------------------------------------------------------------------------------------
preview: intake.Preview | None = st.session_state.get("import_preview")
if preview is not None:
    st.subheader(tr("step_preview"))
    if preview.already_kept:
        st.info(tr("already_kept", names="、".join(u.name for u in preview.already_kept)))
    if preview.files:
        st.markdown(f"**{tr('files_table')}**")
        st.dataframe(pd.DataFrame([{
            tr("col_file"): o.upload.name, tr("col_type"): type_label(o.upload.record_type),
            tr("col_read"): o.rows_read, tr("col_loaded"): o.rows_loaded, tr("col_rejected"): o.rows_rejected,
            tr("col_message"): o.message} for o in preview.files]), hide_index=True, width="stretch")
    for outcome in preview.files:
        if outcome.rejects.empty:
            continue
        fields = {f.name: f.header_zh if lang == "zh" else f.name
                  for f in schema.RECORD_TYPES[outcome.upload.record_type].fields}
        shown = outcome.rejects.assign(
            field=outcome.rejects["field"].map(lambda f: fields.get(f, f)),
            kind=outcome.rejects["kind"].map(lambda k: t(f"reject_{k}", lang)))
        with st.expander(tr("rejects_of", name=outcome.upload.name, n=len(shown)), expanded=True):
            st.dataframe(shown.rename(columns={
                "source_row": tr("col_row"), "field": tr("col_field"), "value": tr("col_value"),
                "reason": tr("col_reason"), "kind": tr("col_kind")}), hide_index=True, width="stretch")

    for problem in preview.gi_checks:
        st.warning(tr("gi_check", problem=problem), icon=":material/rule:")
    st.markdown(f"**{tr('indicators')}**")
    if not preview.years:
        st.info(tr("no_years"))
    else:
        st.caption(tr("years", years="、".join(str(y) for y in preview.years)))
        show_all = st.toggle(tr("show_all"), key="import_show_all")
        table = preview.indicators if show_all else preview.indicators[preview.indicators["changed"]]
        if table.empty:
            st.info(tr("no_change"))
        else:
            unit = "unit_en" if lang == "en" else "unit_zh"
            st.dataframe(pd.DataFrame({
                tr("col_year"): table["year"].astype(str),
                tr("col_indicator"): table["name_en" if lang == "en" else "name_zh"],
                tr("col_before"): [format_value(v, u, lang) for v, u in zip(table["before"], table[unit])],
                tr("col_after"): [format_value(v, u, lang) for v, u in zip(table["after"], table[unit])],
                tr("col_change"): [("+" if c > 0 else "") + format_value(c, u, lang) if pd.notna(c) and c else "—"
                                   for c, u in zip(table["change"], table[unit])],
                tr("col_status"): [f"{t('status_' + (b if isinstance(b, str) else 'no_data'), lang)} → "
                                   f"{t('status_' + (a if isinstance(a, str) else 'no_data'), lang)}"
                                   for b, a in zip(table["status_before"], table["status_after"])],
            }), hide_index=True, width="stretch")

    confirm_col, cancel_col, _ = st.columns([1, 1, 4])
    if confirm_col.button(tr("confirm"), type="primary", icon=":material/check:", key="import_confirm",
                          disabled=not preview.uploads):
        with st.status(tr("confirm_running"), expanded=True) as status:
            bar = st.progress(0.0)
            try:
                result = intake.confirm_import(preview, lambda fraction, stage: bar.progress(
                    fraction, text=tr(f"stage_{stage}")))
            except EtlError as exc:
                status.update(label=tr("confirm_failed", error=exc), state="error")
            else:
                status.update(label=tr("confirm_done"), state="complete")
                loaded = sum(o.rows_loaded for o in preview.files)
                rejected = sum(o.rows_rejected for o in preview.files)
                st.session_state["import_flash"] = ("success", tr(
                    "imported", files=len(preview.uploads), loaded=loaded, rejected=rejected, run=result.run_id))
                st.session_state.pop("import_preview", None)
                st.session_state["import_round"] = st.session_state.get("import_round", 0) + 1
                st.rerun()
    if cancel_col.button(tr("cancel"), icon=":material/close:", key="import_cancel"):
        discard_preview()
        st.session_state["import_flash"] = ("info", tr("cancelled"))
        st.session_state["import_round"] = st.session_state.get("import_round", 0) + 1
        st.rerun()

# Imported files ----------------------------------------------------------------------------------
with st.expander(tr("kept")):
    kept = intake.kept_uploads(live_db)
    if kept.empty:
        st.caption(tr("kept_none"))
    else:
        st.dataframe(kept.rename(columns={
            "original_name": tr("col_original"), "record_type": tr("col_type"), "stored_name": tr("col_stored"),
            "uploaded_at": tr("col_uploaded"), "sha256": "SHA-256", "bytes": "bytes"}), hide_index=True,
            width="stretch")
