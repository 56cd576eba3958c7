"""导出中心: one .zip of a year's charts (PNG), data (XLSX, a sheet per area) and report (docx, PDF)."""
from __future__ import annotations

import io
import zipfile

import streamlit as st

from cockpit import auth, ui
from reporting import bundle, db, export, queries, report
from reporting.i18n import t

WHOLE = "全街道"

auth.require("download")
f = ui.filters()
lang = f.lang
st.title(t("page_export_centre", lang))
st.caption(ui.data_source_text(lang))
st.write(t("export_intro", lang))

years = sorted(ui.query(queries.years_with_data), reverse=True)
if not years:
    st.info(t("export_no_years", lang), icon=":material/info:")
    st.stop()
# The communities of the subdistrict in view (of the account's own, for an account limited to one).
names = [] if f.district else ui.query(queries.communities, f.subdistrict)["name"].tolist()
scopes = [WHOLE, *names]
default_scope = f.community_names[0] if len(f.community_names) == 1 else WHOLE
left, right = st.columns(2)
year = left.selectbox(t("year", lang), years, index=years.index(f.year) if f.year in years else 0,
                      key="export_year")
scope = right.selectbox(t("export_community", lang), scopes, index=scopes.index(default_scope), key="export_scope",
                        format_func=lambda s: f.place() if s == WHOLE else s)
community = None if scope == WHOLE else scope
path = db.db_path()
bundle_key = (year, community, f.subdistrict, db.stamp(path))

if st.button(t("export_build", lang), type="primary", icon=":material/archive:"):
    with st.status(t("export_building", lang), expanded=True) as status:
        bar = st.progress(0.0)
        con = db.connect(path)
        try:
            data = bundle.build_bundle(con, year, community, subdistrict=f.subdistrict,
                                       progress=lambda fraction, step: bar.progress(fraction, text=step))
        except (report.ReportError, export.ImageExportUnavailable, export.ImageExportFailed) as exc:
            status.update(label=t("export_failed", lang, error=exc), state="error")
            data = None
        finally:
            con.close()
        if data is not None:
            st.session_state["export_bundle"] = (bundle_key, data)
            status.update(label=t("export_done", lang, size=f"{len(data) / 1e6:.1f} MB"), state="complete",
                          expanded=False)

built = st.session_state.get("export_bundle")
if built and built[0] == bundle_key:
    data = built[1]
    archive = zipfile.ZipFile(io.BytesIO(data))
    audited = {"year": year, "subdistrict": f.place(), "community": community or WHOLE}
    stem = bundle.bundle_stem(year, community, f.subdistrict)
    st.download_button(t("export_zip", lang), file_name=f"{stem}.zip",
                       data=auth.audited_download(lambda: data, f"{stem}.zip", audited),
                       mime=export.MIME["zip"],
                       icon=":material/download:", key="export_zip", on_click="ignore")
    for fmt in ("docx", "pdf"):
        member = next((n for n in archive.namelist() if n.endswith(f".{fmt}")), None)
        if member:
            st.download_button(t(f"export_{fmt}", lang), file_name=member.split("/")[-1],
                               data=auth.audited_download(lambda content=archive.read(member): content,
                                                          member.split("/")[-1], audited),
                               mime=export.MIME[fmt], key=f"export_{fmt}", on_click="ignore")
    with st.expander(t("export_contents", lang)):
        for info in archive.infolist():
            st.text(f"{info.filename}　{info.file_size / 1024:.0f} KB")
