"""数据导入 · 导入已发布报告: read a report, review its figures in a table, then the page's own
preview → confirm → publish (the preview goes where the page's upload preview goes).

Widgets only: reading and proposing is etl.report_reader, the files the review becomes are
etl.report_import, the import itself is etl.intake.
"""
from __future__ import annotations

import hashlib
from pathlib import Path

import pandas as pd
import streamlit as st

from cockpit import auth, ui
from etl import intake
from etl.errors import EtlError
from etl.gi_report_reader import GiReading, read_gi_tables
from etl.messages import translate
from etl.report_document import SUFFIXES, load_document
from etl.report_import import gi_annual_file, proposals, reported_values_file
from etl.report_reader import Reading, community_names, read_document_figures
from etl.schema import REPORTED_PARTS, REPORTED_QUALIFIERS
from reporting import queries
from reporting.i18n import t
from reporting.safe_text import markdown_literal as literal
from security import audit as events

PREVIEW = "import_preview"          # the page's preview slot (pages/data_import.py shows and confirms it)


def _read(name: str, data: bytes, year: int | None, live_db: Path) -> tuple[Reading, GiReading]:
    """The report's figures and GI tables, remembered per file and year for this session (one report)."""
    key = (hashlib.sha256(data).hexdigest(), year)
    kept = st.session_state.get("report_reading")
    if kept is None or kept[0] != key:
        doc = load_document(data, name)
        reading = read_document_figures(doc, year, communities=community_names(live_db))
        kept = (key, reading, read_gi_tables(doc, reading.year))
        st.session_state["report_reading"] = kept
    return kept[1], kept[2]


def _editor(table: pd.DataFrame, catalogue: pd.DataFrame, lang: str, key: str) -> pd.DataFrame:
    names = dict(zip(catalogue["indicator_id"], catalogue["name_en" if lang == "en" else "name_zh"]))
    return st.data_editor(table, key=key, hide_index=True, num_rows="fixed", width="stretch",
                          disabled=["unit", "sentence", "flag"], column_config={
        "accept": st.column_config.CheckboxColumn(t("ri_col_accept", lang), width="small"),
        "indicator_id": st.column_config.SelectboxColumn(
            t("indicator", lang), options=list(names), format_func=lambda i: f"{names.get(i, i)}（{i}）", width="medium"),
        "year": st.column_config.NumberColumn(t("year", lang), min_value=2000, max_value=2100, step=1, format="%d"),
        "community": st.column_config.TextColumn(t("community", lang)),
        "part": st.column_config.SelectboxColumn(t("ri_col_part", lang), options=list(REPORTED_PARTS)),
        "value": st.column_config.NumberColumn(t("value", lang)),
        "unit": st.column_config.TextColumn(t("ri_col_unit", lang), width="small"),
        "qualifier": st.column_config.SelectboxColumn(t("ri_col_qualifier", lang), options=list(REPORTED_QUALIFIERS)),
        "sentence": st.column_config.TextColumn(t("ri_col_sentence", lang), width="large"),
        "flag": st.column_config.TextColumn(t("ri_col_flag", lang)),
    })


def section(live_db: Path, lang: str) -> None:
    """The report import: upload, review, and a preview put where the page shows previews."""
    st.subheader(t("ri_title", lang))
    st.caption(t("ri_help", lang))
    upload_round = st.session_state.get("import_round", 0)
    file = st.file_uploader(t("ri_file", lang), type=[s.lstrip(".") for s in SUFFIXES],
                            key=f"report_file_{upload_round}")
    if file is None:
        st.session_state.pop("report_reading", None)
        return
    year = st.number_input(t("ri_year", lang), min_value=2000, max_value=2100, value=None, step=1,
                           key=f"report_year_{upload_round}")
    data = file.getvalue()
    try:
        reading, gi = _read(file.name, data, int(year) if year else None, live_db)
    except EtlError as exc:
        st.error(t("ri_read_failed", lang, error=literal(translate(str(exc), lang))), icon=":material/error:")
        return
    except Exception as exc:   # noqa: BLE001 — a report we cannot parse says so; a traceback never reaches the page
        st.error(t("ri_read_failed", lang, error=literal(type(exc).__name__)), icon=":material/error:")
        return
    st.markdown(t("ri_summary", lang, title=literal(reading.title), year=reading.year, n=len(reading.figures),
                  mapped=sum(1 for f in reading.figures if f.indicator_id)))
    for check in reading.checks:
        st.warning(t("ri_check", lang, check=literal(translate(check, lang))), icon=":material/rule:")
    catalogue = ui.query(queries.catalogue)
    digest = hashlib.sha256(data).hexdigest()[:12]
    table = proposals(reading)
    table["flag"] = [translate(flag, lang) for flag in table["flag"]]
    reviewed = _editor(table, catalogue, lang, key=f"report_editor_{digest}_{reading.year}")
    with_tables = False
    if gi.cells:
        with_tables = st.checkbox(t("ri_gi_tables", lang, n=len(gi.cells)), value=True, key=f"report_gi_{digest}")
        for problem in gi.violations:
            st.warning(t("ri_gi_violation", lang, problem=literal(translate(problem, lang))), icon=":material/rule:")
        for problem in gi.problems:
            st.info(t("ri_gi_problem", lang, problem=literal(translate(problem, lang))))
    if not st.button(t("import_preview", lang), icon=":material/preview:", key="report_preview_button"):
        return
    auth.require("import")
    try:
        files = [(*reported_values_file(reviewed, reading.title, set(catalogue["indicator_id"])), "reported_values")]
    except EtlError as exc:
        st.error(t("ri_invalid", lang, error=literal(translate(str(exc), lang))))
        return
    if with_tables:
        files.append((*gi_annual_file(gi), "gi_annual"))
    uploads = [intake.inspect_upload(name, content, record_type) for name, content, record_type in files]
    detail = {"report": file.name, "sha256": hashlib.sha256(data).hexdigest(), "year": reading.year,
              "files": [{"name": u.name, "sha256": u.checksum, "record_type": u.record_type, "rows": u.rows}
                        for u in uploads]}
    refused = [u.refusal for u in uploads if u.refusal]
    if refused:
        st.error(t("ri_invalid", lang, error=literal(translate("；".join(refused), lang))))
        return
    previous = st.session_state.pop(PREVIEW, None)
    if previous is not None:
        intake.cancel_import(previous)
    with st.spinner(t("import_preview_running", lang)):
        try:
            preview = intake.preview_import(live_db, uploads, subdistrict=auth.scope_of())
        except EtlError as exc:
            auth.record(events.IMPORT_PREVIEW, object="report", detail={**detail, "error": str(exc)}, outcome="failed")
            st.error(t("import_preview_failed", lang, error=literal(translate(str(exc), lang))))
        else:
            st.session_state[PREVIEW] = preview    # the page shows it, refusals first, and confirms it
            if preview.scope_refusals:
                auth.record(events.IMPORT_PREVIEW, object="report", outcome="refused", detail={
                    **detail, "subdistrict": preview.subdistrict, "refused_rows": len(preview.scope_refusals),
                    "refusals": preview.scope_refusals[:20]})
            else:
                auth.record(events.IMPORT_PREVIEW, object="report", detail={
                    **detail, **({"subdistrict": preview.subdistrict} if preview.subdistrict else {})})
