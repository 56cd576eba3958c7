"""Excel intake templates: one .xlsx per record type of etl/schema.py; the `templates` command.

Each workbook's first sheet is where records go: the Chinese headers (required ones marked *, which
the reader ignores), dropdowns for every enumerated and yes/no field, date and text formats per column.
The example row lives on its own sheet (填写示例), never on the data sheet: the reader loads the first
sheet that has a header, so the example is never loaded as a record, and an untouched template loads
nothing. A 说明 sheet explains every column; the dropdown lists sit on a hidden sheet (选项) because
Excel caps an inline list at 255 characters.
"""
from __future__ import annotations

import datetime as dt
import io
import zipfile
from pathlib import Path

from openpyxl import Workbook
from openpyxl.comments import Comment
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter, quote_sheetname
from openpyxl.worksheet.datavalidation import DataValidation

from etl import schema
from etl.schema import BOOL, DATE, ENUM, INT, NUMBER, Field, RecordType

EXAMPLE_SHEET = "填写示例"
GUIDE_SHEET = "说明"
LISTS_SHEET = "选项"
LAST_ROW = 1048576              # validations and formats cover every row a user may fill
DATE_FORMAT = "yyyy-mm-dd"
BOOL_VALUES = ("是", "否")

KIND_ZH = {schema.TEXT: "文本", DATE: "日期", INT: "整数", NUMBER: "数值", ENUM: "从下拉列表选择",
           BOOL: "是/否", schema.COMMUNITY: "社区（名称、别名或不带“社区”）",
           schema.SUBDISTRICT: "街道（社区名录中的街道，可不带“街道”）"}
HEADER_FILL = PatternFill("solid", fgColor="DDEBF7")
REQUIRED_FILL = PatternFill("solid", fgColor="FCE4D6")
GUIDE_HEADERS = ("表头", "英文字段名", "类型", "必填", "允许值", "说明", "示例")


def template_file_name(rt: RecordType) -> str:
    """Starts with the record type's name so the loader recognises a filled template by its name."""
    return f"{rt.name}_{rt.name_zh}模板.xlsx"


def header_text(f: Field) -> str:
    return f.header_zh + ("*" if f.required else "")


def allowed_values(f: Field) -> tuple[str, ...]:
    return BOOL_VALUES if f.kind == BOOL else f.allowed


def _example_cell(f: Field):
    """The example as Excel would hold it: a real date for DATE, a number for INT/NUMBER."""
    if not f.example:
        return None
    if f.kind == DATE:
        return dt.date.fromisoformat(f.example)
    if f.kind == INT:
        return int(f.example)
    if f.kind == NUMBER:
        return float(f.example)
    return f.example


def _write_header(ws, rt: RecordType) -> None:
    for col, f in enumerate(rt.fields, start=1):
        cell = ws.cell(row=1, column=col, value=header_text(f))
        cell.font = Font(bold=True, color="C00000" if f.required else "000000")
        cell.fill = REQUIRED_FILL if f.required else HEADER_FILL
        cell.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
        tip = [f"{f.name}｜{KIND_ZH[f.kind]}{'｜必填' if f.required else ''}"]
        if f.description_zh:
            tip.append(f.description_zh)
        cell.comment = Comment("\n".join(tip), "模板")
        letter = get_column_letter(col)
        ws.column_dimensions[letter].width = max(12, min(40, 2.2 * len(f.header_zh) + 6))
        # Column formats: Excel applies them to every cell the user types into.
        if f.kind == DATE:
            ws.column_dimensions[letter].number_format = DATE_FORMAT
        elif f.kind not in (INT, NUMBER):
            ws.column_dimensions[letter].number_format = "@"   # keeps ids like 001 as typed
    ws.freeze_panes = "A2"


def _add_validations(ws, lists_ws, rt: RecordType) -> None:
    list_column = 0
    for col, f in enumerate(rt.fields, start=1):
        letter = get_column_letter(col)
        target = f"{letter}2:{letter}{LAST_ROW}"
        values = allowed_values(f)
        if values:
            list_column += 1
            list_letter = get_column_letter(list_column)
            lists_ws.cell(row=1, column=list_column, value=f.header_zh)
            for row, value in enumerate(values, start=2):
                lists_ws.cell(row=row, column=list_column, value=value)
            # OOXML stores formulas without the leading "=" (Excel repairs a file that has one).
            source = f"{quote_sheetname(LISTS_SHEET)}!${list_letter}$2:${list_letter}${len(values) + 1}"
            validation = DataValidation(type="list", formula1=source, allow_blank=True,
                                        showErrorMessage=True, errorTitle="不在允许值内",
                                        error=f"“{f.header_zh}”只能填写：" + "、".join(values)[:200])
        elif f.kind in (INT, NUMBER) and (f.minimum is not None or f.maximum is not None):
            validation = DataValidation(type="whole" if f.kind == INT else "decimal", allow_blank=True,
                                        showErrorMessage=True, errorTitle="数值超出范围",
                                        error=f"“{f.header_zh}”应为{KIND_ZH[f.kind]}，{_range_text(f)}",
                                        **_range_operator(f))
        else:
            continue
        validation.add(target)
        ws.add_data_validation(validation)


def _range_operator(f: Field) -> dict:
    """Excel's operator and bounds for a field's minimum and/or maximum."""
    if f.minimum is not None and f.maximum is not None:
        return {"operator": "between", "formula1": f"{f.minimum:g}", "formula2": f"{f.maximum:g}"}
    if f.minimum is not None:
        return {"operator": "greaterThanOrEqual", "formula1": f"{f.minimum:g}"}
    return {"operator": "lessThanOrEqual", "formula1": f"{f.maximum:g}"}


def _range_text(f: Field) -> str:
    if f.minimum is not None and f.maximum is not None:
        return f"范围 {f.minimum:g}–{f.maximum:g}"
    return f"不小于 {f.minimum:g}" if f.minimum is not None else f"不大于 {f.maximum:g}"


def _write_example(wb: Workbook, rt: RecordType) -> None:
    ws = wb.create_sheet(EXAMPLE_SHEET)
    _write_header(ws, rt)
    for col, f in enumerate(rt.fields, start=1):
        ws.cell(row=2, column=col, value=_example_cell(f))
    ws.cell(row=4, column=1, value=f"这是一行填写示例，不会被导入；请在第一个工作表“{rt.name_zh}”中填写数据。")


def _write_guide(wb: Workbook, rt: RecordType) -> None:
    ws = wb.create_sheet(GUIDE_SHEET)
    key = "、".join(rt.field(k).header_zh for k in rt.key)
    intro = (
        f"{rt.name_zh}（{rt.name}）填写说明",
        f"每行是：{rt.grain}。同一“{key}”只能出现一次（重复的第二行会被拒绝并说明原因）。",
        f"在第一个工作表“{rt.name_zh}”中从第2行起填写，不要修改第1行表头；带 * 的列必填。",
        "日期可写作 2022-05-01、2022/5/1、2022.5.1 或 2022年5月1日；全角数字会被自动转换。",
        f"工作表“{EXAMPLE_SHEET}”是一行示例，不会被导入。文件名请保持以“{rt.name}”或“{rt.prefixes[-1]}”开头。",
    )
    for row, text in enumerate(intro, start=1):
        ws.cell(row=row, column=1, value=text).font = Font(bold=row == 1, size=14 if row == 1 else 11)
    header_row = len(intro) + 2
    for col, text in enumerate(GUIDE_HEADERS, start=1):
        cell = ws.cell(row=header_row, column=col, value=text)
        cell.font, cell.fill = Font(bold=True), HEADER_FILL
    for row, f in enumerate(rt.fields, start=header_row + 1):
        limits = ""
        if f.minimum is not None or f.maximum is not None:
            limits = f"{'' if f.minimum is None else f'{f.minimum:g}'}–{'' if f.maximum is None else f'{f.maximum:g}'}"
        values = (f.header_zh, f.name, KIND_ZH[f.kind], "是" if f.required else "否",
                  "、".join(allowed_values(f)) or limits, f.description_zh, f.example)
        for col, value in enumerate(values, start=1):
            ws.cell(row=row, column=col, value=value).alignment = Alignment(wrap_text=True, vertical="top")
    for letter, width in zip("ABCDEFG", (16, 18, 16, 6, 48, 48, 24)):
        ws.column_dimensions[letter].width = width
    if rt.name == "gi_annual":
        _write_gi_cells(ws, ws.max_row + 2)


def _write_gi_cells(ws, first_row: int) -> None:
    """For gi_annual: every cell of the official tables, with the 行/列 text to write."""
    from etl.gi_annual import table_cells

    ws.cell(row=first_row, column=1, value="年报表格的单元格（“行”“列”照此填写；表四的“行”可填 数量）").font = Font(bold=True)
    for col, text in enumerate(("表格", "行", "列"), start=1):
        ws.cell(row=first_row + 1, column=col, value=text).font = Font(bold=True)
    row = first_row + 2
    for table in schema.GI_TABLES:
        for row_label, column_label in table_cells(table):
            for col, value in enumerate((table, row_label, column_label.replace("·", "-")), start=1):
                ws.cell(row=row, column=col, value=value)
            row += 1


def template_workbook(rt: RecordType) -> Workbook:
    wb = Workbook()
    ws = wb.active
    ws.title = rt.name_zh[:31]
    _write_header(ws, rt)
    _write_example(wb, rt)
    _write_guide(wb, rt)
    lists_ws = wb.create_sheet(LISTS_SHEET)
    _add_validations(ws, lists_ws, rt)
    lists_ws.sheet_state = "hidden"
    wb.active = 0
    return wb


def template_bytes(record_type: str) -> bytes:
    """The template of one record type as .xlsx bytes (for a download button)."""
    buffer = io.BytesIO()
    template_workbook(schema.RECORD_TYPES[record_type]).save(buffer)
    return buffer.getvalue()


def templates_zip() -> bytes:
    """Every template in one .zip (for a single download)."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for rt in schema.RECORD_TYPES.values():
            archive.writestr(template_file_name(rt), template_bytes(rt.name))
    return buffer.getvalue()


def write_templates(out_dir: Path) -> list[Path]:
    """One template per record type into `out_dir`; returns the files written."""
    out_dir.mkdir(parents=True, exist_ok=True)
    written = []
    for rt in schema.RECORD_TYPES.values():
        path = out_dir / template_file_name(rt)
        template_workbook(rt).save(path)
        written.append(path)
    return written


def cli_templates(args) -> int:
    for path in write_templates(args.out):
        print(path)
    return 0
