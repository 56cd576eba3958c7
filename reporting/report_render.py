"""Render the report's content model (reporting.report.ReportContent) to .docx and to PDF.

Both renderers walk the same content in the same order; the PDF is HTML printed by headless
Chromium (the browser image export already needs), so there is no second layout to keep in step.
"""
from __future__ import annotations

import base64
import html
import io
import subprocess
import tempfile
from pathlib import Path

from docx import Document
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml.ns import qn
from docx.shared import Cm, Pt, RGBColor

from reporting import export
from reporting.report import ANNEX_TITLE, SAMPLE_WATERMARK, SECTION_TITLES, IndicatorFigure, ReportContent, overdue_text

TEMPLATE_DIR = Path(__file__).resolve().parent / "report_templates"
BODY_FONT, HEADING_FONT = "宋体", "黑体"
WEAK_COLUMNS = ("指标", "本年", "目标", "状态", "上年", "变化")
ANNEX_COLUMNS = ("指标", "数值", "目标", "状态", "分子", "分母")
ACTION_COLUMNS = ("序号", "任务", "对应短板", "责任科室", "完成时限", "状态", "进展")
PDF_TIMEOUT_S = 90


def _weak_row(f: IndicatorFigure) -> tuple[str, ...]:
    return f.name, f.value_text, f.target_text, f.status_text, f.previous_text, f.change_text


def _annex_row(f: IndicatorFigure) -> tuple[str, ...]:
    def part(x):
        return "—" if x is None else (f"{x:g}" if isinstance(x, float) else str(x))
    value = f.value_text if f.has_value else f"暂无数据：{f.no_data_reason}"
    return f.name, value, f.target_text, f.status_text, part(f.shown_numerator), part(f.denominator)


def _action_rows(content: ReportContent) -> list[tuple[str, ...]]:
    return [(str(i), a.title, a.weak_area_id or "—", a.owner or "—", a.due_date or "—", a.status,
             a.progress or "—") for i, a in enumerate(content.actions, start=1)]


def _actions_intro(content: ReportContent) -> str:
    return (f"整改与年度安排台账中{content.year + 1}年度安排的任务共{len(content.actions)}项，"
            "状态与进展截至数据载入时：")


def _measures_text(content: ReportContent) -> str:
    """一's opening paragraph: the year's activities by kind, from the records."""
    return f"{content.year}年，{content.scope}" + "；".join(content.measures) + "。"


def _overdue(content: ReportContent, weak) -> str:
    return (overdue_text(weak) or f"截至{content.year}年底，本领域没有逾期未完成的整改任务") + "。"


def _no_actions(content: ReportContent) -> str:
    return f"整改与年度安排台账中尚未录入{content.year + 1}年度的安排。"


# --- docx -----------------------------------------------------------------------------------------

def _style_fonts(style, east_asia: str, size: float | None = None, bold: bool | None = None) -> None:
    style.font.name = "Times New Roman"
    style.font.color.rgb = RGBColor(0, 0, 0)
    if size:
        style.font.size = Pt(size)
    if bold is not None:
        style.font.bold = bold
    rpr = style.element.get_or_add_rPr()
    fonts = rpr.find(qn("w:rFonts"))
    if fonts is None:
        fonts = rpr.makeelement(qn("w:rFonts"), {})
        rpr.append(fonts)
    fonts.set(qn("w:eastAsia"), east_asia)
    # Word lets theme fonts win over named ones; the default template's headings carry them.
    for theme in ("w:asciiTheme", "w:hAnsiTheme", "w:eastAsiaTheme", "w:cstheme"):
        fonts.attrib.pop(qn(theme), None)


def _docx_table(doc, header: tuple[str, ...], rows: list[tuple[str, ...]]) -> None:
    table = doc.add_table(rows=1, cols=len(header))
    table.style = "Table Grid"
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    for cell, text in zip(table.rows[0].cells, header):
        cell.text = ""
        cell.paragraphs[0].add_run(text).bold = True
    for row in rows:
        for cell, text in zip(table.add_row().cells, row):
            cell.text = text
    for row in table.rows:
        for cell in row.cells:
            for paragraph in cell.paragraphs:
                for run in paragraph.runs:
                    run.font.size = Pt(9)


def to_docx(content: ReportContent) -> bytes:
    doc = Document()
    section = doc.sections[0]
    section.page_width, section.page_height = Cm(21), Cm(29.7)
    section.left_margin = section.right_margin = Cm(2.6)
    _style_fonts(doc.styles["Normal"], BODY_FONT, 12)
    _style_fonts(doc.styles["Title"], HEADING_FONT, 20, True)
    for level, size in ((1, 16), (2, 14)):
        _style_fonts(doc.styles[f"Heading {level}"], HEADING_FONT, size, True)
    if content.is_sample:   # the page header repeats on every page, cover included
        mark = section.header.paragraphs[0]
        mark.alignment = WD_ALIGN_PARAGRAPH.CENTER
        run = mark.add_run(SAMPLE_WATERMARK)
        run.bold, run.font.size, run.font.color.rgb = True, Pt(14), RGBColor(0xC6, 0x28, 0x28)

    title = doc.add_paragraph(content.title, style="Title")
    title.alignment = WD_ALIGN_PARAGRAPH.CENTER
    draft = doc.add_paragraph()
    draft.alignment = WD_ALIGN_PARAGRAPH.CENTER
    draft.add_run("（数据生成稿，供编辑）").bold = True
    for line in content.cover_lines:
        doc.add_paragraph(line)
    doc.add_page_break()

    doc.add_heading(SECTION_TITLES[0], level=1)
    if content.measures:
        doc.add_paragraph(_measures_text(content))
    if content.chart_problem:
        doc.add_paragraph(f"图表未生成：{content.chart_problem}")
    for area in content.areas:
        doc.add_heading(area.title, level=2)
        doc.add_paragraph("。".join(area.sentences) + "。" if area.sentences else "本领域暂无指标。")
        if area.chart is not None and area.chart.png is not None:
            doc.add_picture(io.BytesIO(area.chart.png), width=Cm(15.5))
            doc.paragraphs[-1].alignment = WD_ALIGN_PARAGRAPH.CENTER
            caption = doc.add_paragraph(f"图：{area.chart.title}")
            caption.alignment = WD_ALIGN_PARAGRAPH.CENTER

    doc.add_heading(SECTION_TITLES[1], level=1)
    for n, weak in enumerate(content.weak_areas, start=1):
        doc.add_heading(f"{n}. {weak.title}", level=2)
        doc.add_paragraph(f"原因：{weak.cause}")
        doc.add_paragraph(weak.summary)
        _docx_table(doc, WEAK_COLUMNS, [_weak_row(f) for f in weak.indicators])
        doc.add_paragraph(_overdue(content, weak))

    doc.add_heading(SECTION_TITLES[2], level=1)
    for sentence in content.duty_sentences:
        doc.add_paragraph(sentence + "。")

    doc.add_heading(SECTION_TITLES[3], level=1)
    if content.actions:
        doc.add_paragraph(_actions_intro(content))
        _docx_table(doc, ACTION_COLUMNS, _action_rows(content))
    else:
        doc.add_paragraph(_no_actions(content))

    doc.add_heading(SECTION_TITLES[4], level=1)
    for note in content.notes:
        doc.add_paragraph(note, style="List Bullet")

    doc.add_heading(ANNEX_TITLE, level=1)   # no page break: it left the page before the table half empty
    _docx_table(doc, ANNEX_COLUMNS, [_annex_row(f) for f in content.indicators])

    doc.core_properties.title = content.title
    doc.core_properties.comments = "数据生成稿，供编辑"
    buffer = io.BytesIO()
    doc.save(buffer)
    return buffer.getvalue()


# --- HTML and PDF ---------------------------------------------------------------------------------

def _e(text: str) -> str:
    return html.escape(text)


def _html_table(header: tuple[str, ...], rows: list[tuple[str, ...]], css_class: str = "") -> str:
    head = "".join(f"<th>{_e(h)}</th>" for h in header)
    body = "".join("<tr>" + "".join(f"<td>{_e(c)}</td>" for c in row) + "</tr>" for row in rows)
    return f'<table class="{css_class}"><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>'


def to_html(content: ReportContent) -> str:
    css = (TEMPLATE_DIR / "report.css").read_text(encoding="utf-8")
    # A fixed element is printed on every page by Chromium: the sample's watermark.
    parts = [f'<div class="watermark">{_e(SAMPLE_WATERMARK)}</div>'] if content.is_sample else []
    parts += [f'<section class="cover"><h1 class="title">{_e(content.title)}</h1>',
             '<p class="draft">（数据生成稿，供编辑）</p>']
    parts += [f"<p>{_e(line)}</p>" for line in content.cover_lines]
    parts.append("</section>")

    parts.append(f"<h2>{_e(SECTION_TITLES[0])}</h2>")
    if content.measures:
        parts.append(f"<p>{_e(_measures_text(content))}</p>")
    if content.chart_problem:
        parts.append(f"<p>图表未生成：{_e(content.chart_problem)}</p>")
    for area in content.areas:
        parts.append(f"<h3>{_e(area.title)}</h3>")
        text = "。".join(area.sentences) + "。" if area.sentences else "本领域暂无指标。"
        parts.append(f"<p>{_e(text)}</p>")
        if area.chart is not None and area.chart.png is not None:
            data = base64.b64encode(area.chart.png).decode("ascii")
            parts.append(f'<figure><img src="data:image/png;base64,{data}" alt="{_e(area.chart.title)}">'
                         f"<figcaption>图：{_e(area.chart.title)}</figcaption></figure>")

    parts.append(f"<h2>{_e(SECTION_TITLES[1])}</h2>")
    for n, weak in enumerate(content.weak_areas, start=1):
        parts.append(f"<h3>{n}. {_e(weak.title)}</h3><p>原因：{_e(weak.cause)}</p><p>{_e(weak.summary)}</p>")
        parts.append(_html_table(WEAK_COLUMNS, [_weak_row(f) for f in weak.indicators]))
        parts.append(f"<p>{_e(_overdue(content, weak))}</p>")

    parts.append(f"<h2>{_e(SECTION_TITLES[2])}</h2>")
    parts += [f"<p>{_e(s)}。</p>" for s in content.duty_sentences]

    parts.append(f"<h2>{_e(SECTION_TITLES[3])}</h2>")
    parts.append(f"<p>{_e(_actions_intro(content))}</p>" + _html_table(ACTION_COLUMNS, _action_rows(content), "actions")
                 if content.actions else f"<p>{_e(_no_actions(content))}</p>")

    parts.append(f"<h2>{_e(SECTION_TITLES[4])}</h2><ul>")
    parts += [f"<li>{_e(note)}</li>" for note in content.notes]
    parts.append("</ul>")

    parts.append(f'<h2 class="annex">{_e(ANNEX_TITLE)}</h2>')
    parts.append(_html_table(ANNEX_COLUMNS, [_annex_row(f) for f in content.indicators], "annex"))
    return (f'<!DOCTYPE html><html lang="zh-CN"><head><meta charset="utf-8"><title>{_e(content.title)}</title>'
            f"<style>{css}</style></head><body>{''.join(parts)}</body></html>")


def html_to_pdf(document: str) -> bytes:
    """Print an HTML document to PDF with headless Chromium (the one image export uses)."""
    browser = export.chromium_path()
    if not export.image_export_available():
        raise export.ImageExportUnavailable(browser)
    with tempfile.TemporaryDirectory(prefix="report-") as tmp:
        page, out = Path(tmp) / "report.html", Path(tmp) / "report.pdf"
        page.write_text(document, encoding="utf-8")
        command = [browser, "--headless", "--no-sandbox", "--disable-gpu", "--no-first-run",
                   "--disable-background-networking", "--disable-component-update", "--disable-sync",
                   "--disable-extensions", f"--user-data-dir={Path(tmp) / 'profile'}",
                   "--no-pdf-header-footer", f"--print-to-pdf={out}", page.as_uri()]
        try:
            result = subprocess.run(command, capture_output=True, text=True, timeout=PDF_TIMEOUT_S)
        except subprocess.TimeoutExpired as exc:
            raise export.ImageExportFailed(f"Chromium 在 {PDF_TIMEOUT_S} 秒内未能生成 PDF（{browser}）") from exc
        if not out.exists():
            raise export.ImageExportFailed(
                f"Chromium 未能生成 PDF（{browser}，退出码 {result.returncode}）：{result.stderr[-300:]}")
        return out.read_bytes()


def to_pdf(content: ReportContent) -> bytes:
    return html_to_pdf(to_html(content))
