"""Download buttons under every chart and table (the Streamlit side of cockpit/export.py).

Files are generated lazily: `st.download_button(data=callable)` runs the callable only when the
user clicks, so a page run never renders images it does not need. Only a role that may download gets
the menu, and every file given out is an audit row (what, with which filters).
"""
from __future__ import annotations

import pandas as pd
import plotly.graph_objects as go
import streamlit as st

from cockpit import auth
from reporting import export, frames
from reporting.i18n import t

_LABELS = {
    "zh": {"menu": "下载", "png": "PNG 图片（2倍）", "svg": "SVG 矢量图", "pdf": "PDF",
           "csv": "CSV 数据", "xlsx": "Excel 数据", "sheet": "数据"},
    "en": {"menu": "Download", "png": "PNG image (2×)", "svg": "SVG vector", "pdf": "PDF",
           "csv": "CSV data", "xlsx": "Excel data", "sheet": "data"},
}


def chart_downloads(fig: go.Figure | None, data: pd.DataFrame | None, meta: dict) -> None:
    """Compact download menu: PNG/SVG/PDF of the figure (if any), CSV/XLSX of its data.

    meta: title, filters (text), source (data source and load date), lang ('zh'|'en'),
    name (file-name stem, unique on the page), optional columns ({column: "中文表头（单位）"}),
    sample (the data is the sample: images carry the watermark).
    """
    lang = meta.get("lang", "zh")
    text = _LABELS[lang]
    name = meta["name"]
    headers = meta.get("columns")
    if (fig is None and data is None) or not auth.can("download"):
        return
    if data is not None and not headers:   # a chart's data: headers in the reader's language, rounded as shown
        data = frames.export_frame(data, lang)
    with st.popover(text["menu"], icon=":material/download:"):
        if fig is not None:
            _image_buttons(fig, meta, text, lang)
        if data is not None:
            st.download_button(text["csv"], data=_audited(lambda: export.csv_bytes(data, headers), meta, "csv"),
                               file_name=f"{name}.csv", mime=export.MIME["csv"],
                               key=f"dl_{name}_csv", on_click="ignore", width="stretch")
            st.download_button(text["xlsx"],
                               data=_audited(lambda: export.xlsx_bytes({text["sheet"]: data}, headers), meta, "xlsx"),
                               file_name=f"{name}.xlsx", mime=export.MIME["xlsx"],
                               key=f"dl_{name}_xlsx", on_click="ignore", width="stretch")


def _image_buttons(fig: go.Figure, meta: dict, text: dict, lang: str) -> None:
    name = meta["name"]
    if not export.image_export_available():
        st.caption(export.INSTALL_HINT[lang])
        return
    # Framing copies and re-validates the figure (~20-100 ms): do it only when a button is clicked.
    def framed() -> go.Figure:
        return export.figure_with_context(fig, title=meta.get("title", ""), filters=meta.get("filters", ""),
                                          source=meta.get("source", ""),
                                          watermark=t("sample_watermark", lang) if meta.get("sample") else "")

    for fmt in export.IMAGE_FORMATS:
        st.download_button(text[fmt], data=_audited(lambda fmt=fmt: export.figure_bytes(framed(), fmt), meta, fmt),
                           file_name=f"{name}.{fmt}", mime=export.MIME[fmt],
                           key=f"dl_{name}_{fmt}", on_click="ignore", width="stretch")


def _audited(make, meta: dict, fmt: str):
    """`make`, recorded in the audit trail as a download of this chart or table with its filters."""
    return auth.audited_download(make, f"{meta['name']}.{fmt}",
                                 {"title": meta.get("title", ""), "filters": meta.get("filters", ""), "format": fmt})
