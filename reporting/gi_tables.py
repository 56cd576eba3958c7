"""The 政府信息公开年度报告 tables 表二/表三/表四 laid out as the official template, for the page and XLSX.

One grid per table (cells with their row/column spans, labels exactly as the template prints them)
is rendered both to HTML (政务公开 page) and to an XLSX sheet with merged cells, so the two layouts
cannot drift apart. No `st.*` here.
"""
from __future__ import annotations

import html
import io
from dataclasses import dataclass

import duckdb
from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side

from etl import gi_annual
from etl.gi_annual import (GiReport, GiTable, TABLE2_BLOCKS, TABLE3_COLUMNS, TABLE3_IDENTITY_NOTE, TABLE3_ROWS,
                           TABLE4_GROUPS, TABLE4_RESULTS, TABLE4_ROW)
from etl.messages import translate
from etl.schema import REQUESTER_TYPES
from reporting.safe_text import spreadsheet_literal

TITLES = {
    "表二": ("二、主动公开政府信息情况", "II. Proactive disclosure"),
    "表三": ("三、收到和处理政府信息公开申请情况", "III. Disclosure requests received and handled"),
    "表四": ("四、政府信息公开行政复议、行政诉讼情况", "IV. Administrative review and litigation on disclosure"),
}
SOURCE_LABELS = {
    gi_annual.PUBLISHED: ("数据来源：已发布的政府信息公开工作年度报告", "Source: the published annual report"),
    gi_annual.RECORDS: ("数据来源：由台账记录计算", "Source: computed from the records"),
}
NO_DATA = ("{year}年没有可用于此表的数据（既无台账记录，也未导入已发布的年报表格）。",
           "No data for this table in {year} (no records and no published table loaded).")
CHECK_KINDS = {"violations": ("勾稽关系与合计核对", "Identity and sum checks"),
               "differences": ("已发布值与台账不一致", "Published values the records contradict"),
               "notes": ("说明", "Notes")}
CHECKS_SHEET = ("核对", "Checks")
NO_PROBLEMS = ("未发现问题。", "No problems found.")


def gi_report(con: duckdb.DuckDBPyConnection, year: int, subdistrict: str | None = None) -> GiReport:
    return gi_annual.gi_report(con, year, subdistrict)


def gi_years(con: duckdb.DuckDBPyConnection) -> list[int]:
    return gi_annual.gi_years(con)


def title(table: str, lang: str) -> str:
    return TITLES[table][0 if lang == "zh" else 1]


def source_label(table: GiTable, lang: str) -> str:
    if table.source is None:
        return NO_DATA[0 if lang == "zh" else 1].format(year=table.year)
    return SOURCE_LABELS[table.source][0 if lang == "zh" else 1]


# ---- Grids ----------------------------------------------------------------------------------------

@dataclass(frozen=True)
class Cell:
    text: str
    row: int
    col: int
    rowspan: int = 1
    colspan: int = 1
    header: bool = False
    number: bool = False


@dataclass(frozen=True)
class Grid:
    cells: tuple[Cell, ...]
    n_rows: int
    n_cols: int


def format_value(value: float | None) -> str:
    """Counts as integers; amounts (万元) as written; a blank cell stays blank."""
    if value is None:
        return ""
    return str(int(value)) if float(value).is_integer() else f"{value:g}"


def _grid(cells: list[Cell]) -> Grid:
    return Grid(tuple(cells), max(c.row + c.rowspan for c in cells), max(c.col + c.colspan for c in cells))


def table2_grid(table: GiTable) -> Grid:
    cells, row = [], 0
    for heading, columns, rows in TABLE2_BLOCKS:
        cells.append(Cell(heading, row, 0, colspan=4, header=True))
        cells.append(Cell("信息内容", row + 1, 0, header=True))
        span = 3 // len(columns)
        for i, column in enumerate(columns):
            cells.append(Cell(column, row + 1, 1 + i * span, colspan=span, header=True))
        for r, label in enumerate(rows, start=row + 2):
            cells.append(Cell(label, r, 0, header=True))
            for i, column in enumerate(columns):
                cells.append(Cell(format_value(table.value(label, column)), r, 1 + i * span, colspan=span,
                                  number=True))
        row += 2 + len(rows)
    return _grid(cells)


def table3_grid(table: GiTable) -> Grid:
    depth = max(len(r.labels) for r in TABLE3_ROWS)
    header_rows = 3
    cells = [
        Cell(TABLE3_IDENTITY_NOTE, 0, 0, rowspan=header_rows, colspan=depth, header=True),
        Cell("申请人情况", 0, depth, colspan=len(TABLE3_COLUMNS), header=True),
        Cell(REQUESTER_TYPES[0], 1, depth, rowspan=2, header=True),
        Cell("法人或其他组织", 1, depth + 1, colspan=len(REQUESTER_TYPES) - 1, header=True),
        Cell("总计", 1, depth + len(REQUESTER_TYPES), rowspan=2, header=True),
        *(Cell(t, 2, depth + 1 + i, header=True) for i, t in enumerate(REQUESTER_TYPES[1:])),
    ]
    # A label spans down over the following rows that share it, and right when it is the row's last.
    for index, row in enumerate(TABLE3_ROWS):
        r = header_rows + index
        for level, label in enumerate(row.labels):
            previous = TABLE3_ROWS[index - 1].labels if index else ()
            if len(previous) > level and previous[: level + 1] == row.labels[: level + 1]:
                continue
            rowspan = 1
            while (index + rowspan < len(TABLE3_ROWS)
                   and TABLE3_ROWS[index + rowspan].labels[: level + 1] == row.labels[: level + 1]):
                rowspan += 1
            colspan = depth - level if level == len(row.labels) - 1 else 1
            cells.append(Cell(label, r, level, rowspan=rowspan, colspan=colspan, header=True))
        for c, column in enumerate(TABLE3_COLUMNS):
            cells.append(Cell(format_value(table.value(row.key, column)), r, depth + c, number=True))
    return _grid(cells)


def table4_grid(table: GiTable) -> Grid:
    n = len(TABLE4_RESULTS)
    cells = [Cell(TABLE4_GROUPS[0], 0, 0, colspan=n, header=True),
             Cell("行政诉讼", 0, n, colspan=2 * n, header=True)]
    cells += [Cell(result, 1, i, rowspan=2, header=True) for i, result in enumerate(TABLE4_RESULTS)]
    for g, group in enumerate(TABLE4_GROUPS[1:], start=1):
        cells.append(Cell(group, 1, g * n, colspan=n, header=True))
        cells += [Cell(result, 2, g * n + i, header=True) for i, result in enumerate(TABLE4_RESULTS)]
    for g, group in enumerate(TABLE4_GROUPS):
        for i, result in enumerate(TABLE4_RESULTS):
            cells.append(Cell(format_value(table.value(TABLE4_ROW, f"{group}·{result}")), 3, g * n + i,
                              number=True))
    return _grid(cells)


GRIDS = {"表二": table2_grid, "表三": table3_grid, "表四": table4_grid}


def grid(table: GiTable) -> Grid:
    return GRIDS[table.table](table)


# ---- HTML -----------------------------------------------------------------------------------------

TABLE_STYLE = ("border-collapse:collapse;font-size:13px;line-height:1.4;",
               "border:1px solid #999;padding:3px 6px;")


def table_html(table: GiTable) -> str:
    """The table as an HTML <table> with the template's merged cells."""
    g = grid(table)
    table_css, cell_css = TABLE_STYLE
    by_row: dict[int, list[Cell]] = {}
    for cell in g.cells:
        by_row.setdefault(cell.row, []).append(cell)
    lines = [f'<table class="gi-table" style="{table_css}">']
    for r in range(g.n_rows):
        parts = []
        for cell in sorted(by_row.get(r, []), key=lambda c: c.col):
            tag = "th" if cell.header else "td"
            align = "right" if cell.number else ("center" if cell.header and r < 3 else "left")
            spans = (f' rowspan="{cell.rowspan}"' if cell.rowspan > 1 else "") + \
                    (f' colspan="{cell.colspan}"' if cell.colspan > 1 else "")
            weight = "font-weight:600;" if cell.header else ""
            if cell.header and cell.colspan == 1 and cell.rowspan <= 2 and cell.row < 3:
                weight += "white-space:nowrap;"   # short column headers (自然人, 商业企业 …) stay on one line
            parts.append(f'<{tag}{spans} style="{cell_css}text-align:{align};{weight}">'
                         f"{html.escape(cell.text)}</{tag}>")
        lines.append("<tr>" + "".join(parts) + "</tr>")
    lines.append("</table>")
    return "\n".join(lines)


# ---- XLSX -----------------------------------------------------------------------------------------

THIN = Side(style="thin", color="999999")
HEADER_FILL = PatternFill("solid", fgColor="EDEDED")


def _write_sheet(ws, table: GiTable, lang: str) -> None:
    ws.cell(row=1, column=1, value=f"{table.year}年 {title(table.table, lang)}").font = Font(bold=True, size=13)
    ws.cell(row=2, column=1, value=spreadsheet_literal(source_label(table, lang)))
    top = 3    # grid row 0 goes to sheet row 4
    g = grid(table)
    border = Border(left=THIN, right=THIN, top=THIN, bottom=THIN)
    for cell in g.cells:
        row, col = top + cell.row + 1, cell.col + 1
        value = cell.text
        if cell.number and value:
            value = float(value) if "." in value else int(value)
        target = ws.cell(row=row, column=col, value=spreadsheet_literal(value))
        target.alignment = Alignment(horizontal="right" if cell.number else "center" if cell.header and cell.row < 3
                                     else "left", vertical="center", wrap_text=True)
        if cell.header:
            target.font, target.fill = Font(bold=True), HEADER_FILL
        for r in range(row, row + cell.rowspan):
            for c in range(col, col + cell.colspan):
                ws.cell(row=r, column=c).border = border
        if cell.rowspan > 1 or cell.colspan > 1:
            ws.merge_cells(start_row=row, start_column=col,
                           end_row=row + cell.rowspan - 1, end_column=col + cell.colspan - 1)
    widths = {"表二": (18, 16, 16, 16), "表三": (14, 14, 36)}.get(table.table, ())
    for index in range(g.n_cols):
        letter = ws.cell(row=1, column=index + 1).column_letter
        ws.column_dimensions[letter].width = widths[index] if index < len(widths) else 11


def report_xlsx(report: GiReport, lang: str = "zh") -> bytes:
    """表二/表三/表四 of one year, one sheet each in the template layout, plus a 核对 sheet."""
    wb = Workbook()
    wb.remove(wb.active)
    for name in ("表二", "表三", "表四"):
        _write_sheet(wb.create_sheet(name), report.tables[name], lang)
    i = 0 if lang == "zh" else 1
    checks = wb.create_sheet(CHECKS_SHEET[i])
    lines = [(labels[i], translate(text, lang)) for kind, labels in CHECK_KINDS.items()
             for text in getattr(report, kind)] or [(CHECKS_SHEET[i], NO_PROBLEMS[i])]
    for row, (kind, text) in enumerate(lines, start=1):
        checks.cell(row=row, column=1, value=kind)
        checks.cell(row=row, column=2, value=spreadsheet_literal(text))
    checks.column_dimensions["A"].width, checks.column_dimensions["B"].width = 22, 100
    buffer = io.BytesIO()
    wb.save(buffer)
    return buffer.getvalue()
