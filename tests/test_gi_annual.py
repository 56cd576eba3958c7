"""The statutory GI annual-report tables: computed from records, published values, checks, layout."""
from __future__ import annotations

import io

import duckdb
import pytest
from openpyxl import load_workbook

from etl import gi_annual
from etl.gi_annual import CARRIED_IN, CARRIED_OUT, NEW, TOTAL, gi_report, match_cell
from etl.staging import create_staging_tables
from reporting import gi_tables


@pytest.fixture
def con():
    con = duckdb.connect()
    create_staging_tables(con)
    yield con
    con.close()


def add_requests(con, rows):
    con.executemany(
        'INSERT INTO stg_disclosures (item_id, "date", mode, received_date, replied_date, result, result_detail, '
        "requester_type) VALUES (?, ?, '依申请公开', ?, ?, ?, ?, ?)",
        [(r[0], r[1], r[1], *r[2:]) for r in rows])


def add_published(con, rows):
    con.executemany('INSERT INTO stg_gi_annual (year, "table", "row", "column", value) VALUES (?, ?, ?, ?, ?)', rows)


def nonzero(table):
    return {cell: value for cell, value in table.cells.items() if value}


def test_table3_counts_flows_results_and_requesters(con):
    add_requests(con, [
        # id, received, replied, result, detail, requester
        ("Q1", "2022-12-20", "2023-01-10", "予以公开", None, None),          # carried in, finished 2023
        ("Q2", "2023-02-01", "2023-02-20", "不予公开", "属于国家秘密", "商业企业"),
        ("Q3", "2023-03-01", "2023-03-15", "部分公开", None, "自然人"),
        ("Q4", "2023-12-28", None, None, None, None),                          # carried out
        ("Q5", "2024-01-03", "2024-01-05", "予以公开", None, None),          # another year
    ])
    report = gi_report(con, 2023)
    table = report.tables["表三"]
    assert table.source == gi_annual.RECORDS
    assert nonzero(table) == {
        (NEW, "自然人"): 2, (NEW, "商业企业"): 1, (NEW, "总计"): 3,
        (CARRIED_IN, "自然人"): 1, (CARRIED_IN, "总计"): 1,
        ("予以公开", "自然人"): 1, ("予以公开", "总计"): 1,
        ("部分公开", "自然人"): 1, ("部分公开", "总计"): 1,
        ("属于国家秘密", "商业企业"): 1, ("属于国家秘密", "总计"): 1,
        (TOTAL, "自然人"): 2, (TOTAL, "商业企业"): 1, (TOTAL, "总计"): 3,
        (CARRIED_OUT, "自然人"): 1, (CARRIED_OUT, "总计"): 1,
    }
    assert report.violations == []
    assert report.notes == []


def test_request_without_result_detail_is_noted_and_fails_the_sum_check(con):
    add_requests(con, [("Q1", "2023-02-01", "2023-02-20", "无法提供", None, None)])
    report = gi_report(con, 2023)
    assert report.notes == ["2023年有1件“无法提供”的申请未填写对应的办理结果细项，未计入细项行。"]
    assert report.violations == [
        "2023年表三“自然人”列：办理结果各项之和 0 不等于（七）总计 1。",
        "2023年表三“总计”列：办理结果各项之和 0 不等于（七）总计 1。",
    ]


def test_identity_check_catches_a_wrong_published_total(con):
    add_published(con, [
        (2023, "表三", "一、本年新收政府信息公开申请数量", "总计", 3),
        (2023, "表三", "二、上年结转政府信息公开申请数量", "总计", 0),
        (2023, "表三", "（一）予以公开", "总计", 2),
        (2023, "表三", "（二）部分公开（区分处理的，只计这一情形，不计其他情形）", "总计", 1),
        (2023, "表三", "（七）总计", "总计", 4),
        (2023, "表三", "四、结转下年度继续办理", "总计", 0),
    ])
    assert gi_report(con, 2023).violations == [
        "2023年表三“总计”列：本年新收 3 + 上年结转 0 = 3，但总计 4 + 结转下年度 0 = 4。",
        "2023年表三“总计”列：办理结果各项之和 3 不等于（七）总计 4。",
    ]


def test_consistent_published_table_passes_the_checks(con):
    add_published(con, [
        (2023, "表三", "一、本年新收政府信息公开申请数量", "总计", 3),
        (2023, "表三", "（一）予以公开", "总计", 2),
        (2023, "表三", "（二）部分公开", "总计", 1),
        (2023, "表三", "（七）总计", "总计", 3),
    ])
    assert gi_report(con, 2023).violations == []


def test_published_values_win_and_disagreeing_records_are_listed(con):
    add_requests(con, [("Q1", "2023-02-01", "2023-02-20", "予以公开", None, None)])
    add_published(con, [
        (2023, "表三", "一、本年新收政府信息公开申请数量", "总计", 3),
        (2023, "表三", "（一）予以公开", "总计", 3),
        (2023, "表三", "（七）总计", "总计", 3),
    ])
    report = gi_report(con, 2023)
    table = report.tables["表三"]
    assert table.source == gi_annual.PUBLISHED
    assert table.value(NEW, "总计") == 3
    assert table.value(NEW, "自然人") is None        # a published blank stays blank
    assert report.differences == [
        "2023年表三“本年新收政府信息公开申请数量 / 总计”：已发布 3，台账记录为 1。",
        "2023年表三“予以公开 / 总计”：已发布 3，台账记录为 1。",
        "2023年表三“总计 / 总计”：已发布 3，台账记录为 1。",
    ]


def test_table4_from_disclosure_cases_only(con):
    con.execute("""
        INSERT INTO stg_cases (case_id, case_type, filed_date, closed_date, status, outcome, domain, after_review)
        VALUES ('R1', '行政复议', '2023-03-01', '2023-05-01', '审结', '维持', '政府信息公开', NULL),
               ('R2', '行政复议', '2023-04-01', '2023-06-01', '审结', '驳回', '政府信息公开', NULL),
               ('L1', '行政诉讼', '2023-03-01', '2023-09-01', '审结', '败诉', '政府信息公开', true),
               ('L2', '行政诉讼', '2023-11-01', '2024-02-01', '审结', '胜诉', '政府信息公开', false),
               ('L3', '行政诉讼', '2023-03-01', '2023-09-01', '审结', '败诉', '城乡建设', false)""")
    table = gi_report(con, 2023).tables["表四"]
    assert table.source == gi_annual.RECORDS
    assert nonzero(table) == {
        ("数量", "行政复议·结果维持"): 1, ("数量", "行政复议·其他结果"): 1, ("数量", "行政复议·总计"): 2,
        ("数量", "复议后起诉·结果纠正"): 1, ("数量", "复议后起诉·总计"): 1,
        ("数量", "未经复议直接起诉·尚未审结"): 1, ("数量", "未经复议直接起诉·总计"): 1,
    }


def test_table2_comes_only_from_published_values_and_empty_years_say_so(con):
    add_published(con, [(2023, "表二", "行政事业性收费", "本年收费金额（单位：万元）", 2.5)])
    report = gi_report(con, 2023)
    assert report.tables["表二"].source == gi_annual.PUBLISHED
    assert report.tables["表二"].value("行政事业性收费", "本年收费金额（单位：万元）") == 2.5
    assert report.tables["表三"].source is None
    assert gi_tables.source_label(report.tables["表四"], "zh") == \
        "2023年没有可用于此表的数据（既无台账记录，也未导入已发布的年报表格）。"
    assert gi_annual.gi_years(con) == [2023]


def test_unknown_published_labels_are_reported_not_used(con):
    add_published(con, [(2023, "表三", "本年收到的表扬信", "总计", 9)])
    report = gi_report(con, 2023)
    assert report.tables["表三"].source is None
    assert report.notes == ["2023年表三中的“本年收到的表扬信 / 总计”不是年报模板中的单元格，未采用。"]


@pytest.mark.parametrize("table, row, column, expected", [
    ("表三", "三、本年度办理结果（三）不予公开 1．属于国家秘密", "法人或其他组织-商业企业", ("属于国家秘密", "商业企业")),
    ("表三", "（二）部分公开（区分处理的，只计这一情形，不计其他情形）", "总计", ("部分公开", "总计")),
    ("表三", "（六）其他处理 3．其他", "其他", ("其他", "其他")),
    ("表三", "本年新收", "自然人", (NEW, "自然人")),
    ("表三", "（六）其他处理", "总计", None),
    ("表二", "规章", "本年废止件数", ("规章", "本年废止件数")),
    ("表二", "行政许可", "本年制发件数", None),
    ("表四", "数量", "行政诉讼-复议后起诉-尚未审结", ("数量", "复议后起诉·尚未审结")),
    ("表四", "行政复议", "纠正", ("数量", "行政复议·结果纠正")),
])
def test_published_labels_match_template_cells(table, row, column, expected):
    assert match_cell(table, row, column) == expected


def test_table3_html_and_xlsx_follow_the_template_layout(con):
    add_requests(con, [("Q1", "2023-02-01", "2023-02-20", "予以公开", None, "科研机构")])
    report = gi_report(con, 2023)
    html = gi_tables.table_html(report.tables["表三"])
    assert '<th rowspan="22" style=' in html and "三、本年度办理结果</th>" in html
    assert '<th colspan="5" style=' in html and "法人或其他组织</th>" in html
    book = load_workbook(io.BytesIO(gi_tables.report_xlsx(report)))
    assert book.sheetnames == ["表二", "表三", "表四", "核对"]
    sheet = book["表三"]
    merged = {str(r) for r in sheet.merged_cells.ranges}
    # Grid row 0 is sheet row 4: the identity note spans 3 label columns × 3 header rows.
    assert {"A4:C6", "D4:J4", "E5:I5", "A9:A30", "B11:B18"} <= merged
    assert sheet["A7"].value == "一、本年新收政府信息公开申请数量"
    assert (sheet["F7"].value, sheet["J7"].value, sheet["D7"].value) == (1, 1, 0)   # 科研机构, 总计, 自然人
    assert sheet["C11"].value == "1．属于国家秘密"
    assert book["核对"]["B1"].value == "未发现问题。"
    table4 = book["表四"]
    assert {"A4:E4", "F4:O4", "A5:A6", "F5:J5", "K5:O5"} <= {str(r) for r in table4.merged_cells.ranges}


def test_disclosure_page_shows_the_tables_published_or_computed(sample_db, tmp_path, monkeypatch):
    import shutil
    from pathlib import Path

    from streamlit.testing.v1 import AppTest

    db = tmp_path / "warehouse.duckdb"
    shutil.copyfile(sample_db, db)
    monkeypatch.setenv("COCKPIT_DB", str(db))
    at = AppTest.from_file(str(Path(__file__).resolve().parent.parent / "dashboard.py"), default_timeout=90).run()
    at.selectbox(key="year").set_value(2023).run()
    at.switch_page("pages/disclosure.py").run()
    assert not at.exception
    assert "政府信息公开工作年度报告表格（2023年）" in [s.value for s in at.subheader]
    captions = [c.value for c in at.caption]
    assert captions.count("数据来源：已发布的政府信息公开工作年度报告") == 2        # 表三 and 表四 of the 2023 report
    assert "2023年没有可用于此表的数据（既无台账记录，也未导入已发布的年报表格）。" in [i.value for i in at.info]  # 表二
    at.selectbox(key="year").set_value(2024).run()
    assert not at.exception
    assert [c.value for c in at.caption].count("数据来源：由台账记录计算") == 2
    assert not at.error
