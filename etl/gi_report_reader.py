"""The statutory tables 表二/表三/表四 of a published 政府信息公开工作年度报告, as `gi_annual` cells.

Sections 二、三、四 of the national format (国办公开办函〔2021〕30号) each hold one table. A table
arrives as an HTML or Word table (blank cells keep their column) or flattened to text: one cell per
line, cells set apart by bars, or a row on one line. Either way it becomes rows of (label, numbers):
label cells run together until numbers follow. A row is placed by its label (etl.gi_annual.match_cell)
and its numbers by the template's column order:
- 表二: 规章 and 行政规范性文件 take three numbers (制发, 废止, 现行有效), the other rows one;
- 表三: seven numbers (自然人, five kinds of 法人或其他组织, 总计); a row with a single number gives 总计
  only (reports that leave the other cells blank; their blanks are lost when flattened);
- 表四: fifteen numbers (行政复议, 未经复议直接起诉, 复议后起诉 × 结果维持, 结果纠正, 其他结果, 尚未审结, 总计).
A row that fits none of these is named in `problems` and not read. The 表三 identities
(etl.gi_annual.table3_violations) and the 表四 group totals are checked on what was read.
"""
from __future__ import annotations

import argparse
import json
import re
from dataclasses import dataclass, field

from etl.gi_annual import (NEW, PUBLISHED, TABLE2_BLOCKS, TABLE3_COLUMNS, TABLE4_GROUPS, TABLE4_RESULTS, GiTable,
                           match_cell, table3_violations)
from etl.report_document import Document, Table, read_document, report_title, report_year
from etl.report_numbers import fold

SECTION = re.compile(r"^\s*([二三四五六])\s*[、.．]\s*(\S.{0,40})$")
SECTION_TABLES = {"二": ("表二", "主动公开"), "三": ("表三", "申请"), "四": ("表四", "复议")}
VALUE = re.compile(r"^\s*-?\d+(?:\.\d+)?\s*$")
OLD_FORMAT = ("本年新制作数量", "上一年项目数量")   # the format before 2021: other columns
TABLE2_COLUMNS = {row: cols for _, cols, rows in TABLE2_BLOCKS for row in rows}


@dataclass
class GiReading:
    year: int
    title: str
    cells: dict[tuple[str, str, str], float] = field(default_factory=dict)   # (table, row, column) → value
    violations: list[str] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)
    blocks: frozenset[int] = frozenset()   # the document blocks the tables took (the figure reader skips them)

    def rows(self) -> list[dict]:
        """gi_annual records: year, table, row, column, value, note."""
        return [{"year": self.year, "table": t, "row": r, "column": c,
                 "value": int(v) if float(v).is_integer() else v, "note": self.title}
                for (t, r, c), v in self.cells.items()]

    def indicator_figures(self) -> list[tuple[str, float, str]]:
        """(indicator_id, value, where) of the catalogue figures the tables state: 依申请公开 = 表三 本年新收 · 总计."""
        value = self.cells.get(("表三", NEW, "总计"))
        return [] if value is None else [("disclosure_requests", value, f"表三 一、{NEW}（总计）：{value:g}")]


def _is_value(text: str) -> bool:
    return bool(VALUE.match(fold(text)))


def _rows(blocks: list[str | Table]) -> list[tuple[str, list[float | None]]]:
    """(label, numbers) rows of one section; None is a blank cell of an HTML or Word table."""
    rows: list[tuple[str, list[float | None]]] = []
    label, values = "", []

    def close() -> None:
        nonlocal label, values
        if label or values:
            rows.append((label, values))
        label, values = "", []

    def token(text: str) -> None:
        nonlocal label
        if _is_value(text):
            values.append(float(fold(text)))
        elif text.strip():
            if values:
                close()
            label += text.strip()

    for block in blocks:
        # A grid has rows of several filled cells; bars around one cell per line are a flattened stream.
        if isinstance(block, Table) and any(sum(1 for c in r if c.strip()) > 1 for r in block.rows):
            close()
            for row in block.rows:
                cells = [c.strip() for c in row]
                tail = len(cells)
                while tail and (cells[tail - 1] == "" or _is_value(cells[tail - 1])):
                    tail -= 1
                labels = list(dict.fromkeys(c for c in cells[:tail] if c))
                numbers = [float(fold(c)) if c else None for c in cells[tail:]]
                if any(n is not None for n in numbers):
                    rows.append(("".join(labels), numbers))
        else:
            texts = [c for r in block.rows for c in r if c.strip()] if isinstance(block, Table) else [block]
            for text in texts:
                for part in fold(text).split():
                    token(part)
    close()
    return rows


def _read_table2(rows, reading: GiReading, text: str) -> None:
    if any(word in text for word in OLD_FORMAT):
        reading.problems.append("表二为2021年以前的旧版格式（栏目不同），未读取。")
        return
    for label, values in rows:
        key = max((k for k in TABLE2_COLUMNS if label.endswith(k)), key=len, default=None)
        if key is None:
            continue
        columns = TABLE2_COLUMNS[key]
        if len(values) < len(columns):
            reading.problems.append(f"表二“{key}”行有 {len(values)} 个数，应为 {len(columns)} 个，未读取。")
            continue
        for column, value in zip(columns, values):   # a merged cell repeats: the first copy is the value
            if value is not None:
                reading.cells[("表二", key, column)] = value


def _read_table3(rows, reading: GiReading) -> None:
    for label, values in rows:
        key = match_cell("表三", label, "总计") if label else None
        if key is None:
            if label:
                reading.problems.append(f"表三“{label[:30]}”行不是模板中的行，未读取。")
            continue
        row = key[0]
        if len(values) == len(TABLE3_COLUMNS):
            placed = zip(TABLE3_COLUMNS, values)
        elif len(values) == 1:
            placed = [("总计", values[0])]
        else:
            reading.problems.append(f"表三“{row}”行有 {len(values)} 个数，应为 {len(TABLE3_COLUMNS)} 个"
                                    "（或只有总计 1 个），未读取。")
            continue
        for column, value in placed:
            if value is not None:
                reading.cells[("表三", row, column)] = value


def _read_table4(rows, reading: GiReading) -> None:
    width = len(TABLE4_GROUPS) * len(TABLE4_RESULTS)
    values = next((v for _, v in rows if len(v) == width), None)
    if values is None:
        counts = "、".join(str(len(v)) for _, v in rows) or "0"
        reading.problems.append(f"表四应有一行 {width} 个数，读到的行有 {counts} 个，未读取。")
        return
    cells = [(g, r) for g in TABLE4_GROUPS for r in TABLE4_RESULTS]
    for (group, result), value in zip(cells, values):
        if value is not None:
            reading.cells[("表四", group, result)] = value


def _table4_violations(reading: GiReading) -> list[str]:
    problems = []
    for group in TABLE4_GROUPS:
        parts = [reading.cells.get(("表四", group, r)) or 0 for r in TABLE4_RESULTS[:-1]]
        total = reading.cells.get(("表四", group, "总计"))
        if total is not None and sum(parts) != total:
            problems.append(f"{reading.year}年表四“{group}”：各项之和 {sum(parts):g} 不等于总计 {total:g}。")
    return problems


def read_gi_tables(doc: Document, year: int) -> GiReading:
    """The statutory tables of `doc` (none when it has no sections 二–四 of the GI format)."""
    reading = GiReading(year, report_title(doc, year))
    sections: dict[str, list[int]] = {}
    current = None
    for i, block in enumerate(doc.blocks):
        heading = SECTION.match(fold(block)) if isinstance(block, str) else None
        if heading:
            # 二、上年结转… and 四、结转下年度… are rows of 表三, not headings: only the sections' own titles count.
            table, key = SECTION_TABLES.get(heading.group(1), (None, ""))
            if table and key in heading.group(2) and not re.search(r"\d", heading.group(2)):
                current = table
            elif heading.group(1) in "五六" and re.search(r"问题|事项", heading.group(2)):
                current = None
        if current:
            sections.setdefault(current, []).append(i)
    for table, indexes in sections.items():
        blocks = [doc.blocks[i] for i in indexes]
        rows = _rows(blocks[1:])          # the heading itself is no row
        if table == "表二":
            _read_table2(rows, reading, fold(" ".join(b if isinstance(b, str) else b.text() for b in blocks)))
        elif table == "表三":
            _read_table3(rows, reading)
        else:
            _read_table4(rows, reading)
    table3 = {(r, c): v for (t, r, c), v in reading.cells.items() if t == "表三"}
    if table3:
        reading.violations += table3_violations(GiTable("表三", year, PUBLISHED, table3))
    reading.violations += _table4_violations(reading)
    reading.blocks = frozenset(i for indexes in sections.values() for i in indexes)
    return reading


def format_tables(reading: GiReading) -> str:
    from etl.terminal import text_table

    rows = [(r["table"], r["row"], r["column"], f"{r['value']:g}" if isinstance(r["value"], float) else r["value"])
            for r in reading.rows()]
    lines = [f"{reading.title}（{reading.year}年）：表格单元格 {len(rows)} 个",
             text_table(("表格", "行", "列", "数值"), rows, right_aligned=frozenset({3}), rule=True)]
    lines += [f"勾稽关系不符：{v}" for v in reading.violations]
    lines += [f"未读取：{p}" for p in reading.problems]
    return "\n".join(lines)


def cli_tables(args: argparse.Namespace) -> int:
    doc = read_document(args.file)
    year = args.year or report_year(doc)
    if year is None:
        from etl.errors import FileReadError
        raise FileReadError(doc.name, "无法从标题或落款日期确定报告年度，请指定年度（--year）")
    reading = read_gi_tables(doc, year)
    if args.format == "json":
        print(json.dumps({"cells": reading.rows(), "violations": reading.violations, "problems": reading.problems},
                         ensure_ascii=False, indent=1))
    else:
        print(format_tables(reading))
    return 1 if reading.violations else 0
