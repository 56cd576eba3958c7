"""Excel templates: structure per record type, and each filled template loads unchanged (round trip)."""
from __future__ import annotations

import datetime as dt
from pathlib import Path

import duckdb
import pytest
from openpyxl import load_workbook

from etl import schema
from etl.__main__ import main as etl_main
from etl.build import build
from etl.templates import (EXAMPLE_SHEET, GUIDE_SHEET, LISTS_SHEET, template_file_name, write_templates)

D = dt.date

# Rows as an analyst types them into the first sheet (Excel dates as dates, numbers as numbers).
FILLED = {
    "communities": [("NX01", "馒头山社区", "馒头山、馒头山社区居委会", "南星街道", "上城区"),
                    ("NX02", "白塔岭社区", None, "南星街道", "上城区")],
    "cases": [("XZSS-2022-001", "行政诉讼", D(2022, 3, 15), D(2022, 9, 20), "审结", "胜诉", "是", "是", "判决",
               "馒头山", "城乡建设", 100, "否"),
              ("TJ-2022-002", "矛盾纠纷调解", D(2022, 4, 1), None, "在办", None, None, None, None,
               "街道本级", None, None, None)],
    "disclosures": [("GK-2022-0001", D(2022, 5, 1), "主动公开", "政务动态", "网站", "南星街道开展法治宣传活动",
                     None, None, None, None, None),
                    ("SQ-2022-0001", D(2022, 6, 1), "依申请公开", None, None, "申请公开某项信息",
                     D(2022, 6, 1), D(2022, 6, 20), "不予公开", "属于国家秘密", "商业企业")],
    "outreach": [("PF-2022-001", D(2022, 6, 10), "普法讲座(线下)", "白塔岭社区", "尚法工作室", 45, 200, "民法典进社区"),
                 ("PF-2022-002", D(2022, 7, 1), "专题学法", None, None, None, None, "中心组专题学法")],
    "designations": [("馒头山社区", "全国民主法治示范村(社区)", "国家级", "司法部、民政部", 2020, "有效"),
                     ("白塔岭", "浙江省民主法治示范社区", "省级", None, 2019, "有效")],
    "reported_values": [("discretion_items", 2022, None, 165, "值", "2022年法治政府建设年度报告", "已发布报告", "至少"),
                        ("discretion_refinement_rate", 2022, None, 165, "分子", None, None, None)],
    "actions": [("A2023-01", "W1", "落实法治“第一责任人”", "党政综合办公室", D(2023, 12, 31), "推进中", "已完成调解队伍优化",
                 2023),
                ("A2023-02", None, "深化“大综合一体化”改革", None, None, "未启动", None, None)],
    "gi_annual": [(2023, "表三", "一、本年新收政府信息公开申请数量", "总计", 3, "2023年政府信息公开工作年度报告"),
                  (2023, "表四", "行政复议", "总计", 0, None)],
    "targets": [("mediation_cases", 2022, "社区", None, 40, 30, 10, "按比例", None, "2022年度考核细则"),
                ("litigation_cases_new", 2022, "街道", None, 1, 3, 10, "每件扣分", 3, None)],
    "indicators": [("grid_mediators", "2026.2", "网格调解员", "Grid mediators", "人", "persons", "填报值", "越高越好",
                    "依法行政与执法规范", "W2", "在册的网格调解员人数。", None, None, None),
                   ("night_patrols", "1", "夜间巡查", None, "次", None, "填报比率", "不评价", "disputes", None,
                    None, None, None, None)],
}

# The same rows as they must come out of stg_<type> (fields in schema order; community → community_id).
STAGED = {
    "communities": [("NX01", "馒头山社区", ["馒头山", "馒头山社区居委会"], "南星街道", "上城区"),
                    ("NX02", "白塔岭社区", None, "南星街道", "上城区")],
    "cases": [("XZSS-2022-001", "行政诉讼", D(2022, 3, 15), D(2022, 9, 20), "审结", "胜诉", True, True, "判决",
               "NX01", "城乡建设", 100.0, False),
              ("TJ-2022-002", "矛盾纠纷调解", D(2022, 4, 1), None, "在办", None, None, None, None,
               None, None, None, None)],
    "disclosures": [("GK-2022-0001", D(2022, 5, 1), "主动公开", "政务动态", "网站", "南星街道开展法治宣传活动",
                     None, None, None, None, None),
                    ("SQ-2022-0001", D(2022, 6, 1), "依申请公开", None, None, "申请公开某项信息",
                     D(2022, 6, 1), D(2022, 6, 20), "不予公开", "属于国家秘密", "商业企业")],
    "outreach": [("PF-2022-001", D(2022, 6, 10), "普法讲座(线下)", "NX02", "尚法工作室", 45, 200, "民法典进社区"),
                 ("PF-2022-002", D(2022, 7, 1), "专题学法", None, None, None, None, "中心组专题学法")],
    "designations": [("NX01", "全国民主法治示范村(社区)", "国家级", "司法部、民政部", 2020, "有效"),
                     ("NX02", "浙江省民主法治示范社区", "省级", None, 2019, "有效")],
    "reported_values": [("discretion_items", 2022, None, 165.0, "value", "2022年法治政府建设年度报告", "已发布报告", "至少"),
                        ("discretion_refinement_rate", 2022, None, 165.0, "numerator", None, None, None)],
    "actions": [("A2023-01", "W1", "落实法治“第一责任人”", "党政综合办公室", D(2023, 12, 31), "推进中", "已完成调解队伍优化",
                 2023),
                ("A2023-02", None, "深化“大综合一体化”改革", None, None, "未启动", None, None)],
    "gi_annual": [(2023, "表三", "一、本年新收政府信息公开申请数量", "总计", 3.0, "2023年政府信息公开工作年度报告"),
                  (2023, "表四", "行政复议", "总计", 0.0, None)],
    "targets": [("mediation_cases", 2022, "社区", None, 40.0, 30.0, 10.0, "按比例", None, "2022年度考核细则"),
                ("litigation_cases_new", 2022, "街道", None, 1.0, 3.0, 10.0, "每件扣分", 3.0, None)],
    "indicators": [("grid_mediators", "2026.2", "网格调解员", "Grid mediators", "人", "persons", "填报值", "越高越好",
                    "依法行政与执法规范", "W2", "在册的网格调解员人数。", None, None, None),
                   ("night_patrols", "1", "夜间巡查", None, "次", None, "填报比率", "不评价", "disputes", None,
                    None, None, None, None)],
}


def test_every_record_type_has_literal_rows():
    assert set(FILLED) == set(STAGED) == set(schema.RECORD_TYPES)


@pytest.fixture(scope="module")
def templates(tmp_path_factory) -> dict[str, Path]:
    out = tmp_path_factory.mktemp("templates")
    return {p.name: p for p in write_templates(out)}


def fill(template: Path, rows, target: Path) -> Path:
    book = load_workbook(template)
    sheet = book.worksheets[0]
    for r, row in enumerate(rows, start=2):
        for c, value in enumerate(row, start=1):
            sheet.cell(row=r, column=c, value=value)
    book.save(target)
    return target


def staged_rows(db: Path, rt: schema.RecordType) -> list[tuple]:
    """The typed fields as filled in; the 街道 column left blank is checked on its own."""
    from etl.staging import quote, stg_column
    columns = ", ".join(quote(stg_column(f)) for f in rt.fields if f.kind != schema.SUBDISTRICT)
    con = duckdb.connect(str(db), read_only=True)
    try:
        return con.execute(f"SELECT {columns} FROM stg_{rt.name} ORDER BY source_row").fetchall()
    finally:
        con.close()


def rejects(db: Path) -> list[tuple]:
    con = duckdb.connect(str(db), read_only=True)
    try:
        return con.execute("SELECT source_file, source_row, reason FROM rejects").fetchall()
    finally:
        con.close()


@pytest.mark.parametrize("record_type", list(schema.RECORD_TYPES))
def test_filled_template_loads_the_same_records(record_type, templates, tmp_path):
    rt = schema.RECORD_TYPES[record_type]
    data = tmp_path / "data"
    data.mkdir()
    if record_type != "communities":   # community fields resolve against the community list
        fill(templates[template_file_name(schema.COMMUNITIES)], FILLED["communities"],
             data / template_file_name(schema.COMMUNITIES))
    fill(templates[template_file_name(rt)], FILLED[record_type], data / template_file_name(rt))
    db = tmp_path / "warehouse.duckdb"
    build(data, db)
    assert rejects(db) == []
    assert staged_rows(db, rt) == STAGED[record_type]
    if any(f.kind == schema.SUBDISTRICT for f in rt.fields):   # blank: the community list's only subdistrict
        con = duckdb.connect(str(db), read_only=True)
        assert con.execute(f"SELECT DISTINCT subdistrict FROM stg_{rt.name}").fetchall() == [("南星街道",)]
        con.close()


def test_untouched_templates_load_nothing(templates, tmp_path):
    data = tmp_path / "data"
    data.mkdir()
    for name, path in templates.items():
        (data / name).write_bytes(path.read_bytes())
    db = tmp_path / "warehouse.duckdb"
    build(data, db)
    con = duckdb.connect(str(db), read_only=True)
    try:
        loaded = {rt: con.execute(f"SELECT count(*) FROM stg_{rt}").fetchone()[0] for rt in schema.RECORD_TYPES}
    finally:
        con.close()
    assert loaded == {rt: 0 for rt in schema.RECORD_TYPES}
    assert rejects(db) == []


@pytest.mark.parametrize("record_type", list(schema.RECORD_TYPES))
def test_template_structure(record_type, templates):
    rt = schema.RECORD_TYPES[record_type]
    book = load_workbook(templates[template_file_name(rt)])
    assert book.sheetnames == [rt.name_zh, EXAMPLE_SHEET, GUIDE_SHEET, LISTS_SHEET]
    assert book[LISTS_SHEET].sheet_state == "hidden"
    data = book.worksheets[0]
    headers = [c.value for c in data[1]]
    assert headers == [f.header_zh + ("*" if f.required else "") for f in rt.fields]
    assert data.max_row == 1                                   # no example on the data sheet

    lists = book[LISTS_SHEET]
    dropdowns = {}
    for validation in data.data_validations.dataValidation:
        if validation.type != "list":
            continue
        column = str(validation.sqref).split(":")[0].rstrip("0123456789")
        sheet_ref, cells = validation.formula1.lstrip("=").split("!")
        first, last = cells.replace("$", "").split(":")
        values = [c.value for row in lists[f"{first}:{last}"] for c in row]
        dropdowns[column] = (sheet_ref, values)
    expected = {}
    for col, f in enumerate(rt.fields, start=1):
        if f.kind in (schema.ENUM, schema.BOOL):
            letter = data.cell(row=1, column=col).column_letter
            expected[letter] = ("'选项'", list(("是", "否") if f.kind == schema.BOOL else f.allowed))
    assert dropdowns == expected

    for col, f in enumerate(rt.fields, start=1):
        letter = data.cell(row=1, column=col).column_letter
        if f.kind == schema.DATE:
            assert data.column_dimensions[letter].number_format == "yyyy-mm-dd"

    example = book[EXAMPLE_SHEET]
    assert [c.value for c in example[1]] == headers
    typed = {schema.DATE: dt.date.fromisoformat, schema.INT: int, schema.NUMBER: float}
    for col, f in enumerate(rt.fields, start=1):
        cell = example.cell(row=2, column=col).value
        shown = cell.date() if isinstance(cell, dt.datetime) else cell
        assert shown == (typed.get(f.kind, str)(f.example) if f.example else None)

    guide = book[GUIDE_SHEET]
    table_start = next(r for r in range(1, guide.max_row + 1) if guide.cell(row=r, column=1).value == "表头")
    assert [c.value for c in guide[table_start]][:7] == ["表头", "英文字段名", "类型", "必填", "允许值", "说明", "示例"]
    for offset, f in enumerate(rt.fields, start=1):
        row = [c.value for c in guide[table_start + offset]][:7]
        assert row[0:2] == [f.header_zh, f.name]
        assert row[3] == ("是" if f.required else "否")
        if f.kind == schema.ENUM:
            assert row[4] == "、".join(f.allowed)


def test_templates_command_writes_one_file_per_record_type(tmp_path, capsys):
    assert etl_main(["templates", "--out", str(tmp_path / "t")]) == 0
    written = sorted(p.name for p in (tmp_path / "t").iterdir())
    assert written == sorted(template_file_name(rt) for rt in schema.RECORD_TYPES.values())
    assert capsys.readouterr().out.count(".xlsx") == len(schema.RECORD_TYPES)


def test_templates_zip_holds_every_template():
    import io
    import zipfile

    from etl.templates import templates_zip

    with zipfile.ZipFile(io.BytesIO(templates_zip())) as archive:
        names = archive.namelist()
        assert load_workbook(io.BytesIO(archive.read(template_file_name(schema.CASES)))).sheetnames[0] == "案件"
    assert names == [template_file_name(rt) for rt in schema.RECORD_TYPES.values()]


def test_number_fields_are_validated_against_their_range(templates):
    book = load_workbook(templates[template_file_name(schema.OUTREACH)])
    numeric = sorted((str(v.sqref), v.type, v.operator, v.formula1)
                     for v in book.worksheets[0].data_validations.dataValidation if v.type != "list")
    # 参与人次 (F) and 资料份数 (G) are whole numbers ≥ 0.
    assert numeric == [("F2:F1048576", "whole", "greaterThanOrEqual", "0"),
                       ("G2:G1048576", "whole", "greaterThanOrEqual", "0")]
