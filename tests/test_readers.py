"""Readers: type recognition, encodings, XLSX, header mapping, unreadable files."""
from __future__ import annotations

import datetime as dt

import duckdb
import pytest
from openpyxl import Workbook

from etl.errors import FileReadError
from etl.readers import load_file, recognise_type_from_headers, recognise_type_from_name
from etl.staging import create_raw_tables

CASES_HEADER = "case_id,case_type,filed_date,status\n"


@pytest.fixture
def con():
    connection = duckdb.connect()
    create_raw_tables(connection)
    yield connection
    connection.close()


def raw(con, table: str, columns: str):
    return con.execute(f"SELECT {columns} FROM {table} ORDER BY source_row").fetchall()


@pytest.mark.parametrize("name, expected", [
    ("cases.csv", "cases"), ("cases_2023.xlsx", "cases"), ("outreach-q1.csv", "outreach"),
    ("普法与法律服务_2024.xlsx", "outreach"), ("普法2022.csv", "outreach"), ("填报值_2021.xlsx", "reported_values"),
    ("reported_values_2022.csv", "reported_values"), ("Communities.CSV", "communities"),
    ("casesheet.csv", None), ("ledger.csv", None),
])
def test_type_from_file_name(name, expected):
    assert recognise_type_from_name(name) == expected


def test_type_from_headers_is_best_match_of_required_headers():
    assert recognise_type_from_headers(["活动编号", "日期", "活动类型", "备注"]) == "outreach"
    assert recognise_type_from_headers(["编号", "日期", "公开方式"]) == "disclosures"
    assert recognise_type_from_headers(["甲", "乙"]) is None


@pytest.mark.parametrize("encoding, label", [
    ("utf-8", "UTF-8"), ("utf-8-sig", "UTF-8-BOM"), ("gbk", "GB18030"), ("gb18030", "GB18030"),
])
def test_csv_encodings(con, tmp_path, encoding, label):
    path = tmp_path / "cases.csv"
    path.write_bytes("案件编号,案件类型,收案日期,状态\nC1,行政诉讼,2022年5月1日,在办\n".encode(encoding))
    load = load_file(con, path, "cases.csv", "L1")
    assert (load.encoding, load.record_type, load.rows_read) == (label, "cases", 1)
    assert raw(con, "raw_cases", "case_id, case_type, filed_date, status, source_file, source_row, load_id") == [
        ("C1", "行政诉讼", "2022年5月1日", "在办", "cases.csv", 2, "L1")]


def test_headers_in_either_language_any_order_unknown_ignored(con, tmp_path):
    path = tmp_path / "outreach.csv"
    path.write_text(" 活动类型 ,ACTIVITY_ID,备注,日期\n普法讲座（线上）,P1,x,2022-01-02\n", encoding="utf-8")
    load = load_file(con, path, "outreach.csv", "L1")
    assert load.ignored_columns == ("备注",)
    assert load.message == "忽略未知列：备注"
    assert raw(con, "raw_outreach", "activity_id, date, activity_type, community") == [
        ("P1", "2022-01-02", "普法讲座（线上）", None)]


def test_rows_numbered_as_in_excel_and_blank_rows_dropped(con, tmp_path):
    path = tmp_path / "cases.csv"
    path.write_text(CASES_HEADER + "C1,行政诉讼,2022-01-01,在办\n,,,\nC2,行政诉讼,2022-01-02,在办\n", encoding="utf-8")
    assert load_file(con, path, "cases.csv", "L1").rows_read == 2
    assert raw(con, "raw_cases", "case_id, source_row") == [("C1", 2), ("C2", 4)]


def test_missing_required_column_is_named(con, tmp_path):
    path = tmp_path / "cases.csv"
    path.write_text("case_id,case_type,status\nC1,行政诉讼,在办\n", encoding="utf-8")
    load = load_file(con, path, "cases.csv", "L1")
    assert load.missing_columns == ("filed_date",)
    assert load.message == "缺少必填列“收案日期”（filed_date），全部行被拒绝"


def test_xlsx_dates_numbers_and_title_row(con, tmp_path):
    book = Workbook()
    sheet = book.active
    sheet.append(["2022年政务公开台账"])                       # a title above the header
    sheet.append(["编号", "日期", "公开方式", "类别"])
    sheet.append(["GK1", dt.datetime(2022, 5, 1), "主动公开", "年报"])
    sheet.append(["GK2", dt.datetime(2022, 5, 2, 9, 30), "主动公开", 85.0])
    book.save(tmp_path / "disclosures.xlsx")
    load = load_file(con, tmp_path / "disclosures.xlsx", "disclosures.xlsx", "L1")
    assert (load.encoding, load.rows_read) == ("XLSX", 2)
    assert raw(con, "raw_disclosures", "item_id, date, category, source_row") == [
        ("GK1", "2022-05-01", "年报", 3), ("GK2", "2022-05-02 09:30:00", "85", 4)]


def test_xlsx_type_from_headers_on_a_later_sheet(con, tmp_path):
    book = Workbook()
    book.active.title = "说明"
    sheet = book.create_sheet("台账")
    sheet.append(["任务编号", "任务", "状态"])
    sheet.append(["A1", "落实第一责任人", "推进中"])
    book.save(tmp_path / "ledger.xlsx")
    load = load_file(con, tmp_path / "ledger.xlsx", "ledger.xlsx", "L1")
    assert (load.record_type, load.rows_read) == ("actions", 1)


@pytest.mark.parametrize("name, content, reason", [
    ("cases.csv", b"", "文件为空"),
    ("cases.csv", "\ufeff\n".encode(), "文件为空"),
    ("cases.csv", b"\x00\x01\x02binary", "不是文本文件（含二进制内容），无法按 CSV 读取"),
    ("cases.csv", b"\xff\xfe\xfa\xfb" * 4, "无法识别文件编码（已尝试 UTF-8、UTF-8 BOM、GBK/GB18030）"),
    ("cases.xlsx", b"case_id\nC1\n", "不是有效的 Excel (.xlsx) 文件（BadZipFile）"),
    ("ledger.csv", "甲,乙\n1,2\n".encode(), "无法识别记录类型：文件名不以记录类型开头，表头也不匹配任何记录类型"),
    ("cases.csv", "甲,乙\n1,2\n".encode(), "第1行不是“案件”的表头：没有一列能对应到字段"),
    ("cases.xls", b"whatever", "不支持的文件类型“.xls”（只接受 .csv 和 .xlsx）"),
])
def test_unreadable_files_raise_naming_file_and_reason(con, tmp_path, name, content, reason):
    (tmp_path / name).write_bytes(content)
    with pytest.raises(FileReadError) as caught:
        load_file(con, tmp_path / name, name, "L1")
    assert (caught.value.file, caught.value.reason) == (name, reason)
