"""导出中心: one .zip of a year's charts (PNG), data (XLSX, a sheet per area) and report (docx, PDF)."""
from __future__ import annotations

import io
import zipfile

import streamlit as st

from cockpit import db, export, queries, ui
from cockpit.i18n import t
from etl import report

TEXT = {
    "zh": {"title": "导出中心", "year": "年度", "community": "范围",
           "intro": "选择年度和范围，生成一个压缩包：各领域指标图表（PNG）、指标数据（Excel，每个领域一页）"
                    "和年度报告生成稿（Word、PDF）。报告为中文草稿，供党政办编辑修改。",
           "build": "生成导出包", "building": "正在生成导出包……", "done": "导出包已生成（{size}）",
           "failed": "无法生成导出包：{error}", "zip": "下载导出包（.zip）", "docx": "只下载报告（Word）",
           "pdf": "只下载报告（PDF）", "no_years": "数据库中没有任何年度的指标数据，无法导出。",
           "contents": "压缩包内容"},
    "en": {"title": "Export centre", "year": "Year", "community": "Scope",
           "intro": "Choose a year and scope to build one zip: the indicator charts per area (PNG), the "
                    "indicator data (Excel, one sheet per area) and the generated annual report draft "
                    "(Word, PDF). The report is written in Chinese, as a draft for the office to edit.",
           "build": "Build export bundle", "building": "Building the export bundle…",
           "done": "Bundle ready ({size})", "failed": "Could not build the bundle: {error}",
           "zip": "Download bundle (.zip)", "docx": "Report only (Word)", "pdf": "Report only (PDF)",
           "no_years": "The database holds no indicator values for any year; nothing to export.",
           "contents": "Bundle contents"},
}
WHOLE = "全街道"

f = ui.filters()
lang = f.lang
text = TEXT[lang]
st.title(text["title"])
st.caption(ui.data_source_text(lang))
st.write(text["intro"])

years = sorted(ui.query(queries.years_with_data), reverse=True)
if not years:
    st.info(text["no_years"], icon=":material/info:")
    st.stop()
names = ui.query(queries.communities)["name"].tolist()
scopes = [WHOLE, *names]
default_scope = f.community_names[0] if len(f.community_names) == 1 else WHOLE
left, right = st.columns(2)
year = left.selectbox(text["year"], years, index=years.index(f.year) if f.year in years else 0, key="export_year")
scope = right.selectbox(text["community"], scopes, index=scopes.index(default_scope), key="export_scope",
                        format_func=lambda s: t("scope_whole", lang) if s == WHOLE else s)
community = None if scope == WHOLE else scope
path = db.db_path()
bundle_key = (year, community, db.stamp(path))

if st.button(text["build"], type="primary", icon=":material/archive:"):
    with st.status(text["building"], expanded=True) as status:
        bar = st.progress(0.0)
        con = db.connect(path)
        try:
            data = report.build_bundle(con, year, community,
                                       progress=lambda fraction, step: bar.progress(fraction, text=step))
        except (report.ReportError, export.ImageExportUnavailable, export.ImageExportFailed) as exc:
            status.update(label=text["failed"].format(error=exc), state="error")
            data = None
        finally:
            con.close()
        if data is not None:
            st.session_state["export_bundle"] = (bundle_key, data)
            status.update(label=text["done"].format(size=f"{len(data) / 1e6:.1f} MB"), state="complete",
                          expanded=False)

built = st.session_state.get("export_bundle")
if built and built[0] == bundle_key:
    data = built[1]
    archive = zipfile.ZipFile(io.BytesIO(data))
    stem = f"{'' if community is None else community}{year}年导出包"
    st.download_button(text["zip"], data=data, file_name=f"{stem}.zip", mime=export.MIME["zip"],
                       icon=":material/download:", key="export_zip", on_click="ignore")
    for fmt in ("docx", "pdf"):
        member = next((n for n in archive.namelist() if n.endswith(f".{fmt}")), None)
        if member:
            st.download_button(text[fmt], data=archive.read(member), file_name=member.split("/")[-1],
                               mime=export.MIME[fmt], key=f"export_{fmt}", on_click="ignore")
    with st.expander(text["contents"]):
        for info in archive.infolist():
            st.text(f"{info.filename}　{info.file_size / 1024:.0f} KB")
