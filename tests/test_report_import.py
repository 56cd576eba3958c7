"""Reviewed report figures → reported_values / gi_annual files → the ordinary import (etl.report_import,
etl.intake): the history a report gives appears in the marts, labelled."""
from __future__ import annotations

import csv
import io
from pathlib import Path

import pytest
from report_fixture_files import FIXTURES

from etl import intake
from etl.build import build
from etl.gi_report_reader import read_gi_tables
from etl.published_figures import LABEL
from etl.report_document import Document, read_document, text_lines_to_blocks
from etl.report_import import ReportImportError, gi_annual_file, proposals, reported_values_file
from etl.report_reader import read_document_figures

CATALOGUE = {"outreach_lectures", "litigation_cases_new", "disclosure_items", "materials_distributed"}
REPORT = "南星街道2019年法治政府建设年度报告\n开展普法讲座68场，发放普法资料1.5万余份。\n新增行政诉讼案件1件。"


def reading(text: str = REPORT):
    return read_document_figures(Document("r.txt", text_lines_to_blocks(text.splitlines())))


def rows_of(data: bytes) -> list[list[str]]:
    return list(csv.reader(io.StringIO(data.decode("utf-8-sig"))))


def test_proposals_accept_mapped_figures_and_carry_flags():
    table = proposals(reading("南星街道2021年报告\n共主动公开政府信息180条，其中政务动态85条，财政信息20条。"))
    shown = table[["accept", "indicator_id", "year", "community", "part", "value", "unit", "qualifier"]]
    assert shown.astype(object).where(shown.notna(), None).values.tolist() == [
        [True, "disclosure_items", 2021, "", "值", 180, "条", "精确"],
        [False, None, 2021, "", "值", 85, "条", "精确"], [False, None, 2021, "", "值", 20, "条", "精确"]]
    assert set(table["flag"]) == {"分项之和 105条 与总数 180条 不一致（两者均已列出，请核对）"}


def test_accepted_rows_become_a_reported_values_file_from_the_report():
    table = proposals(reading())
    name, data = reported_values_file(table, "南星街道2019年法治政府建设年度报告", CATALOGUE)
    assert name == "填报值_已发布报告_南星街道2019年法治政府建设年度报告.csv"
    assert rows_of(data) == [
        ["指标编号", "年度", "社区", "数值", "分项", "来源说明", "来源类型", "限定"],
        ["outreach_lectures", "2019", "", "68", "值", "南星街道2019年法治政府建设年度报告：开展普法讲座68场，发放普法资料1.5万余份。",
         "已发布报告", "精确"],
        ["materials_distributed", "2019", "", "15000", "值",
         "南星街道2019年法治政府建设年度报告：开展普法讲座68场，发放普法资料1.5万余份。", "已发布报告", "至少"],
        ["litigation_cases_new", "2019", "", "1", "值", "南星街道2019年法治政府建设年度报告：新增行政诉讼案件1件。",
         "已发布报告", "精确"]]


def test_edits_drops_and_mapping_are_what_is_imported():
    table = proposals(reading("南星街道2019年报告\n开展普法讲座68场，开展15次行政辅导。"))
    table.loc[0, "value"] = 70                                   # edited
    table.loc[1, ["accept", "indicator_id"]] = [True, "outreach_lectures"]   # mapped … to the same key
    with pytest.raises(ReportImportError, match="同一指标、年度、社区和分项，但数值不同"):
        reported_values_file(table, "T", CATALOGUE)
    table.loc[1, "accept"] = False                               # dropped
    assert [r[:5] for r in rows_of(reported_values_file(table, "T", CATALOGUE)[1])[1:]] == [
        ["outreach_lectures", "2019", "", "70", "值"]]


def test_nothing_accepted_or_a_row_without_indicator_is_refused_with_what_to_do():
    table = proposals(reading("南星街道2019年报告\n开展15次行政辅导。"))
    with pytest.raises(ReportImportError, match="没有采用任何数字"):
        reported_values_file(table, "T", CATALOGUE)
    table.loc[0, "accept"] = True
    with pytest.raises(ReportImportError, match="第 1 个采用的数字（开展15次行政辅导。…）没有对应指标"):
        reported_values_file(table, "T", CATALOGUE)


def test_the_gi_tables_become_a_gi_annual_file():
    gi = read_gi_tables(read_document(FIXTURES / "nanxing_2023_gi.html"), 2023)
    name, data = gi_annual_file(gi)
    rows = rows_of(data)
    assert name == "政府信息公开年报_南星街道2023年政府信息公开工作年度报告.csv"
    assert rows[0] == ["年度", "表格", "行", "列", "数值", "来源说明"]
    assert ["2023", "表二", "行政处罚", "本年处理决定数量", "12", "南星街道2023年政府信息公开工作年度报告"] in rows
    assert len(rows) == 1 + 78


@pytest.fixture
def live(tmp_path) -> Path:
    data = tmp_path / "data"
    data.mkdir()
    (data / "communities.csv").write_text("社区编号,社区名称,别名,街道,区\nNX01,馒头山社区,馒头山,南星街道,上城区\n",
                                          encoding="utf-8")
    (data / "cases.csv").write_text("案件编号,案件类型,收案日期,结案日期,状态\nC1,行政诉讼,2022-03-01,,在办\n",
                                    encoding="utf-8")
    db = tmp_path / "db" / "warehouse.duckdb"
    build(data, db)
    return db


def test_a_report_of_an_earlier_year_goes_through_the_ordinary_import_and_fills_that_year(live):
    name, data = reported_values_file(proposals(reading()), "南星街道2019年法治政府建设年度报告", CATALOGUE)
    upload = intake.inspect_upload(name, data, "reported_values")
    assert (upload.refusal, upload.record_type, upload.rows) == (None, "reported_values", 3)
    preview = intake.preview_import(live, [upload])
    assert 2019 in preview.years
    assert [o.rows_loaded for o in preview.files] == [3]
    intake.confirm_import(preview, actor="test")
    with intake.open_database(live) as con:
        rows = con.execute("SELECT indicator_id, value, note FROM mart_indicator_values WHERE year = 2019 "
                           "AND community_id IS NULL AND value IS NOT NULL ORDER BY indicator_id").fetchall()
    label = f"{LABEL}（南星街道2019年法治政府建设年度报告）"
    assert rows == [("litigation_cases_new", 1, label), ("materials_distributed", 15000, label + "；报告所写为下限（余、以上等）"),
                    ("outreach_lectures", 68, label)]
