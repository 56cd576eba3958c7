"""Exports for evaluators: figure → PNG/SVG/PDF bytes, DataFrame → CSV/XLSX bytes. No `st.*`.

Images come from kaleido 1.x driving Debian's Chromium: one browser per process, started on first
use and reused (see _Renderer), never a browser per image.
"""
from __future__ import annotations

import asyncio
import atexit
import concurrent.futures
import io
import os
import threading
from collections.abc import Mapping

import pandas as pd
import plotly.graph_objects as go

from reporting.safe_text import spreadsheet_frame

DEFAULT_CHROMIUM = "/usr/bin/chromium"
# Set to point image export at another Chromium (tests point it at a missing file).
CHROMIUM_ENV = "COCKPIT_CHROMIUM"
IMAGE_FORMATS = ("png", "svg", "pdf")
PNG_SCALE = 2
DEFAULT_WIDTH, DEFAULT_HEIGHT = 1000, 560
CJK_FONT = "Noto Sans CJK SC, Noto Sans SC, Microsoft YaHei, PingFang SC, sans-serif"
INSTALL_HINT = {
    "zh": "图片导出需要 Chromium 浏览器和中文字体，请安装：apt-get install chromium fonts-noto-cjk"
          "（CSV、XLSX 数据下载不受影响）",
    "en": "Image export needs the Chromium browser and CJK fonts. Install them with: "
          "apt-get install chromium fonts-noto-cjk (CSV and XLSX downloads still work)",
}
MIME = {
    "png": "image/png", "svg": "image/svg+xml", "pdf": "application/pdf",
    "csv": "text/csv", "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "zip": "application/zip",
}
# Excel's limits on sheet names: 31 characters, none of these.
_SHEET_FORBIDDEN = str.maketrans({c: "_" for c in "[]:*?/\\"})

START_TIMEOUT_S, RENDER_TIMEOUT_S = 60, 90


class ImageExportUnavailable(RuntimeError):
    """Chromium (needed by kaleido) is not installed where we look; the message says what to do."""

    def __init__(self, path: str):
        super().__init__(f"{INSTALL_HINT['zh']}（未找到 {path}）")
        self.path = path


class ImageExportFailed(RuntimeError):
    """Chromium is there but did not start or did not render in time."""


def chromium_path() -> str:
    return os.environ.get(CHROMIUM_ENV) or DEFAULT_CHROMIUM


def image_export_available() -> bool:
    path = chromium_path()
    return os.path.isfile(path) and os.access(path, os.X_OK)


class _Renderer:
    """One kaleido browser on its own event-loop thread, reused for every image of the process.

    kaleido's own sync server waits forever when its browser fails to start or dies; here every
    call has a timeout and a failure surfaces as ImageExportFailed.
    """

    def __init__(self, path: str):
        self.path = path
        self.loop = asyncio.new_event_loop()
        threading.Thread(target=self.loop.run_forever, name="kaleido", daemon=True).start()
        try:
            self.kaleido = self._run(self._open(path), START_TIMEOUT_S)
        except BaseException:
            self.loop.call_soon_threadsafe(self.loop.stop)
            raise

    @staticmethod
    async def _open(path: str):
        import kaleido

        # mathjax=False: the default loads MathJax from a CDN, which would stall without internet.
        browser = kaleido.Kaleido(path=path, mathjax=False)
        await browser.open()
        return browser

    def _run(self, coroutine, timeout: float):
        future = asyncio.run_coroutine_threadsafe(coroutine, self.loop)
        try:
            return future.result(timeout)
        except concurrent.futures.TimeoutError as exc:
            future.cancel()
            raise ImageExportFailed(f"Chromium 在 {timeout:.0f} 秒内没有完成（{self.path}）") from exc

    def render(self, figure: dict, opts: dict) -> bytes:
        return self._run(self.kaleido.calc_fig(figure, opts=opts), RENDER_TIMEOUT_S)

    def close(self) -> None:
        try:
            self._run(self.kaleido.close(), START_TIMEOUT_S)
        finally:
            self.loop.call_soon_threadsafe(self.loop.stop)


_lock = threading.Lock()   # one render at a time: Streamlit runs lazy downloads on worker threads
_renderer: _Renderer | None = None


def _close_renderer() -> None:
    global _renderer
    if _renderer is not None:
        renderer, _renderer = _renderer, None
        try:
            renderer.close()
        except Exception:  # noqa: BLE001 - a dead browser needs no closing
            pass


atexit.register(_close_renderer)


def _get_renderer() -> _Renderer:
    """The process's renderer, started on first use (and again if the Chromium path changed)."""
    global _renderer
    path = chromium_path()
    if not image_export_available():
        raise ImageExportUnavailable(path)
    if _renderer is not None and _renderer.path != path:
        _close_renderer()
    if _renderer is None:
        try:
            _renderer = _Renderer(path)
        except ImageExportFailed:
            raise
        except Exception as exc:  # kaleido/choreographer raise their own types when the browser fails
            raise ImageExportFailed(f"Chromium 无法启动（{path}）：{exc}。{INSTALL_HINT['zh']}") from exc
    return _renderer


def figure_bytes(fig: go.Figure, fmt: str, *, scale: float | None = None,
                 width: int | None = None, height: int | None = None) -> bytes:
    """Render a figure to PNG (2× scale by default), SVG or PDF bytes.

    Raises ImageExportUnavailable when Chromium is missing, ImageExportFailed when it fails.
    """
    if fmt not in IMAGE_FORMATS:
        raise ValueError(f"unsupported image format {fmt!r}; use one of {IMAGE_FORMATS}")
    layout = fig.layout
    opts = {
        "format": fmt,
        "width": width or layout.width or DEFAULT_WIDTH,
        "height": height or layout.height or DEFAULT_HEIGHT,
        "scale": scale if scale is not None else (PNG_SCALE if fmt == "png" else 1),
    }
    with _lock:
        renderer = _get_renderer()
        try:
            return renderer.render(fig.to_dict(), opts)
        except ImageExportFailed:
            _close_renderer()  # start afresh next time
            raise


def figure_with_context(fig: go.Figure, *, title: str, filters: str = "", source: str = "",
                        watermark: str = "") -> go.Figure:
    """A copy of the figure carrying its title, the filters in force and the data source/date,
    so an exported image stands on its own outside the page. `filters` and `source` are shown as
    given (the app's texts already say 范围/年度 and 数据来源). `watermark` (sample data: 示例数据 ·
    非真实数据) is written large and diagonally across the plot, so a forwarded image says it."""
    out = go.Figure(fig)
    if watermark:
        out.add_annotation(text=watermark, name="watermark", xref="paper", yref="paper", x=0.5, y=0.5,
                           showarrow=False, textangle=-20, opacity=0.25,
                           font={"size": 44, "color": "#c62828"})
    subtitle = filters
    out.update_layout(title={"text": title, "subtitle": {"text": subtitle}, "x": 0.02,
                             "xanchor": "left", "y": 0.97, "yanchor": "top"})
    source_lines = 0
    if source:
        width = out.layout.width or DEFAULT_WIDTH
        lines = wrap_display(source, max(40, int(width / 6.5)))
        source_lines = len(lines)
        out.add_annotation(text="<br>".join(lines), align="left", xref="paper", yref="paper", x=0, y=0, xanchor="left",
                           yanchor="top", yshift=-48, showarrow=False,
                           font={"size": 11, "color": "#555"})
    # Axis titles pushed to the edge by a tight on-page margin would be cut off in the file.
    out.update_xaxes(automargin=True)
    out.update_yaxes(automargin=True)
    margin = out.layout.margin
    out.update_layout(margin={"t": max(margin.t or 0, 100 if subtitle else 70),
                              "b": max(margin.b or 0, 70 + 16 * source_lines if source else 50),
                              "l": margin.l, "r": margin.r})
    # Chromium falls back per glyph anyway; naming a CJK face keeps Latin and Chinese consistent.
    family = out.layout.font.family
    out.update_layout(font={"family": f"{family}, {CJK_FONT}" if family else CJK_FONT})
    return out


def display_width(text: str) -> int:
    """Width in Latin-character units: CJK characters and full-width punctuation count two."""
    return sum(2 if ord(ch) > 0x2E80 else 1 for ch in text)


def wrap_display(text: str, width: int) -> list[str]:
    """Break text into lines no wider than `width` (CJK text has no spaces to break at)."""
    lines, line = [], ""
    for ch in text:
        if display_width(line + ch) > width:
            lines.append(line)
            line = ""
        line += ch
    return [*lines, line] if line else lines


def labelled(df: pd.DataFrame, headers: Mapping[str, str] | None = None) -> pd.DataFrame:
    """The frame with its display headers (Chinese, unit in brackets; unknown columns keep their name)
    and no cell a spreadsheet would evaluate: every CSV and XLSX is written from this."""
    if headers:
        df = df.rename(columns={c: headers[c] for c in df.columns if c in headers})
    return spreadsheet_frame(df)


def csv_bytes(df: pd.DataFrame, headers: Mapping[str, str] | None = None) -> bytes:
    """CSV in UTF-8 with a BOM, so Excel opens Chinese text correctly."""
    return labelled(df, headers).to_csv(index=False).encode("utf-8-sig")


def sheet_name(name: str, taken: set[str] = frozenset()) -> str:
    """A valid, unique Excel sheet name."""
    base = (name.translate(_SHEET_FORBIDDEN).strip("'") or "Sheet")[:31]
    candidate, n = base, 2
    while candidate in taken:
        suffix = f"_{n}"
        candidate, n = base[: 31 - len(suffix)] + suffix, n + 1
    return candidate


def xlsx_bytes(sheets: Mapping[str, pd.DataFrame], headers: Mapping[str, str] | None = None) -> bytes:
    """An .xlsx with one sheet per entry: bold header row (frozen), columns sized to their text."""
    from openpyxl.styles import Font, PatternFill
    from openpyxl.utils import get_column_letter

    buffer = io.BytesIO()
    with pd.ExcelWriter(buffer, engine="openpyxl") as writer:
        taken: set[str] = set()
        for name, df in sheets.items():
            name = sheet_name(name, taken)
            taken.add(name)
            frame = labelled(df, headers)
            frame.to_excel(writer, sheet_name=name, index=False)
            sheet = writer.sheets[name]
            sheet.freeze_panes = "A2"
            for cell in sheet[1]:
                cell.font = Font(bold=True)
                cell.fill = PatternFill("solid", fgColor="DDE7F3")
            for i, column in enumerate(frame.columns, start=1):
                texts = [str(column), *("" if pd.isna(v) else str(v) for v in frame.iloc[:200, i - 1])]
                width = max(display_width(t) for t in texts)
                sheet.column_dimensions[get_column_letter(i)].width = min(max(width + 2, 8), 60)
    return buffer.getvalue()


def xlsx_table_bytes(df: pd.DataFrame, sheet: str = "数据", headers: Mapping[str, str] | None = None) -> bytes:
    return xlsx_bytes({sheet: df}, headers)

