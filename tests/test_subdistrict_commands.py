"""The read commands and the report of one subdistrict or of the whole district (issue 13): `indicators`,
`scores`, `report` and `export` with --subdistrict, on the three-subdistrict folder built for real, plus
a few 整改 tasks and activities of each subdistrict."""
from __future__ import annotations

import io
import json
import zipfile

import duckdb
import pytest
from docx import Document
from openpyxl import load_workbook

from etl.__main__ import main
from etl.build import build
from etl.database import open_read_only
from etl.marts import build_marts
from etl.staging import create_staging_tables
from reporting import bundle, export, report, report_render
from reporting.scope import ScopeError, resolve_scope
from security.audit import audit_log
from tests.three_subdistricts import three_subdistricts, write

ACTIONS = """任务编号,短板编号,任务,责任科室,完成时限,状态,计划年度,街道
A1,W1,甲的调解任务,司法所,2025-06-30,推进中,2025,甲街道
A2,W2,乙的顾问任务,司法所,2025-06-30,未启动,2025,乙街道
A3,W1,甲的逾期任务,司法所,2024-06-30,推进中,2024,甲街道
"""
OUTREACH = """活动编号,日期,活动类型,社区,参与人次,活动名称,街道
P1,2024-05-01,普法讲座(线下),甲一,30,甲的讲座,
P2,2024-05-02,普法讲座(线下),,20,乙的讲座,乙街道
P3,2024-05-03,普法讲座(线下),,10,乙的第二场,乙街道
"""


@pytest.fixture(scope="module")
def db(tmp_path_factory):
    root = tmp_path_factory.mktemp("three_cli")
    data = write(three_subdistricts(root / "data"), {"actions.csv": ACTIONS, "outreach.csv": OUTREACH})
    build(data, root / "w.duckdb")
    return root / "w.duckdb"


@pytest.fixture
def con(db):
    con = open_read_only(db)
    yield con
    con.close()


def run(capsys, *args) -> tuple[int, str, str]:
    code = main(list(args))
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def indicators(capsys, db, *scope: str) -> dict[str, dict]:
    code, out, err = run(capsys, "indicators", "--year", "2024", "--format", "json", "--db", str(db), *scope)
    assert (code, err) == (0, "")
    return {row["indicator_id"]: row for row in json.loads(out)}


def figures(rows: dict[str, dict], *ids: str) -> dict[str, tuple]:
    return {i: (rows[i]["value"], rows[i]["numerator"], rows[i]["denominator"], rows[i]["note"]) for i in ids}


# --- indicators ------------------------------------------------------------------------------------

def test_indicators_of_the_whole_district_have_subdistrict_null(db, capsys):
    rows = indicators(capsys, db)
    assert {(r["subdistrict"], r["community_id"]) for r in rows.values()} == {(None, None)}
    assert figures(rows, "litigation_cases_new", "litigation_loss_rate", "legal_advisers") == {
        "litigation_cases_new": (4, None, None, None), "litigation_loss_rate": (25, 1, 4, None),
        "legal_advisers": (5, None, None, "2/3 个街道填报")}
    assert rows["litigation_loss_rate"]["target"] is None   # the district has no targets


@pytest.mark.parametrize("written, name, expected", [
    ("甲", "甲街道", {"litigation_cases_new": (2, None, None, None), "litigation_loss_rate": (50, 1, 2, None),
                     "legal_advisers": (3, None, None, None)}),
    ("乙街道", "乙街道", {"litigation_cases_new": (2, None, None, None), "litigation_loss_rate": (0, 0, 2, None),
                       "legal_advisers": (2, None, None, None)}),
    (" 丙 ", "丙街道", {"litigation_cases_new": (None, None, None, None),
                       "litigation_loss_rate": (None, None, None, None), "legal_advisers": (None, None, None, None)}),
])
def test_indicators_of_one_subdistrict_written_with_or_without_jiedao(db, capsys, written, name, expected):
    rows = indicators(capsys, db, "--subdistrict", written)
    assert {(r["subdistrict"], r["community_id"]) for r in rows.values()} == {(name, None)}
    assert figures(rows, *expected) == expected


def test_a_subdistricts_target_rates_its_figures(db, capsys):
    jia = indicators(capsys, db, "--subdistrict", "甲")["litigation_loss_rate"]
    yi = indicators(capsys, db, "--subdistrict", "乙")["litigation_loss_rate"]
    assert (jia["target"], jia["status"], yi["target"], yi["status"]) == (60, "green", 10, "green")


def test_a_community_takes_its_subdistrict_and_must_belong_to_the_one_named(db, capsys):
    rows = indicators(capsys, db, "--community", "甲一")
    assert {(r["subdistrict"], r["community_id"], r["community"]) for r in rows.values()} == {
        ("甲街道", "A1", "甲一社区")}
    assert rows["litigation_cases_new"]["value"] == 1
    assert indicators(capsys, db, "--subdistrict", "乙", "--community", "B1")["litigation_cases_new"]["value"] == 1
    assert run(capsys, "indicators", "--year", "2024", "--subdistrict", "甲", "--community", "乙一",
               "--db", str(db)) == (2, "", "社区“乙一社区”不属于甲街道（属于乙街道）。甲街道的社区：甲一社区、甲二社区\n")
    assert run(capsys, "indicators", "--year", "2024", "--subdistrict", "甲", "--community", "近江",
               "--db", str(db)) == (2, "", "未找到社区“近江”。甲街道的社区：甲一社区、甲二社区\n")


@pytest.mark.parametrize("command", ["indicators", "scores"])
def test_an_unknown_subdistrict_lists_the_known_ones(db, capsys, command):
    assert run(capsys, command, "--year", "2024", "--subdistrict", "丁街道", "--db", str(db)) == (
        2, "", "未找到街道“丁街道”。已知街道：丙街道、乙街道、甲街道\n")


def test_the_table_names_the_scope(db, capsys):
    assert run(capsys, "indicators", "--year", "2024", "--db", str(db))[1].splitlines()[0] == \
        "2024年 · 上城区全区（3个街道）"
    assert run(capsys, "indicators", "--year", "2024", "--subdistrict", "乙", "--db", str(db))[1].splitlines()[0] == \
        "2024年 · 乙街道整体（含街道本级）"


# --- scores ----------------------------------------------------------------------------------------

@pytest.mark.parametrize("written, name", [("甲", "甲街道"), ("乙街道", "乙街道")])
def test_scores_per_subdistrict(db, capsys, written, name):
    code, out, _ = run(capsys, "scores", "--year", "2024", "--subdistrict", written, "--format", "json", "--db", str(db))
    assert code == 0
    assert json.loads(out) == [
        {"level": "indicator", "id": "litigation_loss_rate", "year": 2024, "subdistrict": name, "community": None,
         "points": 10, "max_points": 10, "rule": "达标得分", "status": "green"},
        {"level": "area", "id": "disputes", "year": 2024, "subdistrict": name, "community": None,
         "points": 10, "max_points": 10, "rule": None, "status": "complete"},
        {"level": "total", "id": None, "year": 2024, "subdistrict": name, "community": None,
         "points": 10, "max_points": 10, "rule": None, "status": "complete"}]


def test_the_district_has_no_scores_and_says_so(db, capsys):
    assert run(capsys, "scores", "--year", "2024", "--db", str(db)) == (
        2, "", ("上城区全区（3个街道）不计预计得分：分值按各街道的指标目标计算，不跨街道相加。"
                "请用 --subdistrict 指定街道：丙街道、乙街道、甲街道\n"))


# --- the report ------------------------------------------------------------------------------------

def by_id(content: report.ReportContent) -> dict[str, report.IndicatorFigure]:
    return {f.indicator_id: f for f in content.indicators}


def test_a_subdistricts_report_names_it_and_holds_only_its_figures_tasks_and_activities(con):
    content = report.build_content(con, 2024, subdistrict="甲", charts=False)
    assert (content.title, content.scope) == ("甲街道2024年法治政府建设年度报告", "全街道")
    assert report.indicator_sentence(by_id(content)["litigation_loss_rate"]) == \
        "行政诉讼败诉率50%（1/2），目标60%，已达到目标"
    assert [a.action_id for a in content.actions] == ["A1"]
    assert [[a.action_id for a in w.overdue] for w in content.weak_areas] == [["A3"], []]
    assert content.measures == ["开展普法讲座(线下)1场，参与30人次，如“甲的讲座”"]
    assert content.notes[0] == "按指标目标中的分值和计分方式，预计得分10分（满分10分）"
    assert "主动公开信息按渠道：网站1条" in content.areas[3].sentences


def test_the_districts_report_says_the_district_and_adds_the_subdistricts_up(con):
    content = report.build_content(con, 2024, charts=False)
    assert (content.title, content.scope) == ("上城区2024年法治政府建设年度报告", "全区")
    assert "范围：全区（3个街道）" in content.cover_lines
    assert report.indicator_sentence(by_id(content)["litigation_loss_rate"]) == "行政诉讼败诉率25%（1/4）"
    assert [a.action_id for a in content.actions] == ["A1", "A2"]
    assert content.measures == ["开展普法讲座(线下)3场，参与60人次，如“甲的讲座”、“乙的讲座”、“乙的第二场”"]
    assert content.notes[0] == "预计得分按各街道的指标目标和分值计算，不跨街道相加，全区不计预计得分"
    assert content.score_rows == []


def test_a_communitys_report_names_its_subdistrict(con):
    content = report.build_content(con, 2024, "乙一", charts=False)
    assert content.title == "乙街道乙一社区2024年法治政府建设年度报告"
    assert by_id(content)["litigation_cases_new"].value == 1
    with pytest.raises(report.ReportError, match="^社区“乙一社区”不属于甲街道（属于乙街道）"):
        report.build_content(con, 2024, "乙一", subdistrict="甲街道", charts=False)


def test_the_report_command_writes_the_subdistricts_report_and_audits_the_subdistrict(db, tmp_path, capsys):
    copy = tmp_path / "w.duckdb"
    copy.write_bytes(db.read_bytes())
    out = tmp_path / "r.docx"
    code, printed, _ = run(capsys, "report", "--year", "2024", "--subdistrict", "乙", "--format", "docx",
                           "--out", str(out), "--db", str(copy))
    assert code == 0, printed
    doc = Document(str(out))
    assert doc.paragraphs[0].text == "乙街道2024年法治政府建设年度报告"
    assert any("。行政诉讼败诉率0%（0/2），目标10%，已达到目标。" in p.text for p in doc.paragraphs)
    assert run(capsys, "report", "--year", "2024", "--subdistrict", "丁", "--format", "docx",
               "--out", str(tmp_path / "x.docx"), "--db", str(copy))[:2] == (
        1, "无法生成报告：未找到街道“丁”。已知街道：丙街道、乙街道、甲街道\n")
    rows = audit_log(copy).rows()
    assert [(r["detail"]["subdistrict"], r["detail"]["community"], r["outcome"]) for r in rows] == [
        ("乙", None, "ok"), ("丁", None, "failed")]


# --- the export bundle -----------------------------------------------------------------------------

@pytest.fixture
def no_browser(monkeypatch):
    """The bundle without charts and PDF (no Chromium needed): what is scoped is the data and the docx."""
    def no_pdf(content):
        raise export.ImageExportUnavailable("测试中不生成PDF")
    monkeypatch.setattr(export, "image_export_available", lambda: False)
    monkeypatch.setattr(report_render, "to_pdf", no_pdf)


def sheet_rows(data: bytes, member: str, sheet: str) -> list[tuple]:
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        book = load_workbook(io.BytesIO(archive.read(member)))
    rows = list(book[sheet].iter_rows(values_only=True))
    header = rows[0]
    scope, name, value = header.index("范围"), header.index("指标"), header.index("数值")
    return [(r[scope], r[value]) for r in rows[1:] if r[name] == "新增行政诉讼案件"]


def test_the_export_of_a_subdistrict_holds_only_its_rows(db, tmp_path, capsys, no_browser):
    copy = tmp_path / "w.duckdb"
    copy.write_bytes(db.read_bytes())
    code, out, _ = run(capsys, "export", "--year", "2024", "--subdistrict", "甲", "--out", str(tmp_path / "out"),
                       "--db", str(copy))
    assert code == 0, out
    archive = tmp_path / "out" / "甲街道2024年导出包.zip"
    data = archive.read_bytes()
    assert sorted(zipfile.ZipFile(archive).namelist()) == [
        "图表/无法生成图表.txt", "报告/无法生成PDF.txt", "报告/甲街道2024年法治政府建设年度报告（生成稿）.docx",
        "数据/甲街道2024年指标数据.xlsx"]
    assert sheet_rows(data, "数据/甲街道2024年指标数据.xlsx", "行政争议预防化解") == [
        ("全街道", 2), ("甲一社区", 1), ("甲二社区", 1)]
    assert audit_log(copy).rows()[0]["detail"]["subdistrict"] == "甲"


def test_the_export_of_the_district_has_the_district_then_each_subdistrict(con, no_browser):
    data = bundle.build_bundle(con, 2024)
    assert sheet_rows(data, "数据/上城区2024年指标数据.xlsx", "行政争议预防化解") == [
        ("全区", 4), ("丙街道", None), ("乙街道", 2), ("甲街道", 2)]


# --- the resolver ----------------------------------------------------------------------------------

def test_a_community_name_in_two_subdistricts_needs_the_subdistrict():
    with duckdb.connect() as con:
        create_staging_tables(con)
        con.execute("""INSERT INTO stg_communities (community_id, name, aliases, subdistrict, district) VALUES
            ('A1', '甲一社区', [], '甲街道', '上城区'), ('B2', '甲一社区', [], '乙街道', '上城区')""")
        build_marts(con)
        with pytest.raises(ScopeError, match="^社区“甲一”在多个街道都有：乙街道、甲街道；请同时指明街道$"):
            resolve_scope(con, None, "甲一")
        scope = resolve_scope(con, "乙", "甲一")
        assert (scope.subdistrict, scope.community_id, scope.records, scope.is_district) == ("乙街道", "B2", "乙街道", False)
        district = resolve_scope(con)
        assert (district.subdistrict, district.records, district.is_district, district.whole_name) == (
            None, None, True, "上城区")
