"""Points: each scoring rule on literal values, `mart_scores` adding up by area and in total, and the
`scores` command. Tiny literal rows; a fresh database per test."""
from __future__ import annotations

import csv
import io
import json

import duckdb
import pandas as pd
import pytest
from openpyxl import load_workbook

from etl.__main__ import main
from etl.marts import build_marts
from etl.scores import create_score_macro
from etl.staging import create_staging_tables
from reporting import frames, report
from reporting.queries import SCORE_COLUMNS
from tests.staged_rows import insert


# ---- the rules, one literal case at a time --------------------------------------------------------

@pytest.mark.parametrize("rule, direction, value, target, points, deduction, expected", [
    # 达标得分: all or nothing
    ("达标得分", "up", 2, 2, 5, None, 5), ("达标得分", "up", 1.99, 2, 5, None, 0),
    ("达标得分", "down", 0, 0, 10, None, 10), ("达标得分", "down", 1, 0, 10, None, 0),
    # 按比例: value ÷ target × points, capped; inverted for ↓
    ("按比例", "up", 30, 40, 10, None, 7.5), ("按比例", "up", 50, 40, 10, None, 10),
    ("按比例", "up", 0, 40, 10, None, 0),
    ("按比例", "down", 4, 2, 10, None, 5), ("按比例", "down", 1, 2, 10, None, 10),
    ("按比例", "down", 3, 0, 10, None, 0),
    # 每件扣分: points − deduction × excess, never below 0; ↑ counts the shortfall
    ("每件扣分", "down", 3, 1, 10, 2, 6), ("每件扣分", "down", 1, 1, 10, 2, 10),
    ("每件扣分", "down", 9, 1, 10, 2, 0), ("每件扣分", "up", 3, 5, 10, 1.5, 7),
    # no value, no points, or no direction: nothing scored
    ("达标得分", "up", None, 2, 5, None, None), ("按比例", "up", 3, 2, None, None, None),
    ("达标得分", "none", 3, 2, 5, None, None),
])
def test_scoring_rule(rule, direction, value, target, points, deduction, expected):
    with duckdb.connect() as con:
        create_score_macro(con)
        got = con.execute("SELECT _score_points(?, ?, ?::DOUBLE, ?::DOUBLE, ?::DOUBLE, ?::DOUBLE)",
                          [rule, direction, value, target, points, deduction]).fetchone()[0]
    assert got == (None if expected is None else pytest.approx(expected))


# ---- mart_scores ------------------------------------------------------------------------------------

@pytest.fixture
def con():
    con = duckdb.connect()
    create_staging_tables(con)
    insert(con, "stg_communities", [{"community_id": "NX01", "name": "馒头山社区", "aliases": ["馒头山社区居委会"],
                                      "subdistrict": "南星街道", "district": "上城区"}])
    # 2022: 1 专题学法 (NX01), 2 lawsuits (one NX01), 1 of 1 lawsuit lost; no 行政复议 concluded
    insert(con, "stg_outreach", [{"activity_id": "S1", "activity_type": "专题学法", "date": "2022-03-01",
                                  "community_id": "NX01"}])
    insert(con, "stg_cases", [
        {"case_id": "L1", "case_type": "行政诉讼", "filed_date": "2022-01-05", "closed_date": "2022-06-01",
         "status": "审结", "outcome": "败诉", "community_id": "NX01"},
        {"case_id": "L2", "case_type": "行政诉讼", "filed_date": "2022-02-05", "status": "在办"}])
    insert(con, "stg_targets", [
        target("study_sessions", 2, 1, 5, "达标得分"),                    # 1 of 2 → 0 of 5
        target("litigation_cases_new", 1, 3, 10, "每件扣分", 3),          # 2 vs ≤ 1 → 10 − 3 = 7
        target("litigation_loss_rate", 0, 10, 10, "按比例"),             # 100% vs ≤ 0% → 0
        target("review_correction_rate", 5, 15, 5, "达标得分"),          # no concluded review → unscored
        target("leader_appearance_rate", 100, 90, None, None),           # rated, no points
        target("study_sessions", 1, 1, 4, "按比例", scope="社区"),         # NX01: 1 of 1 → 4
    ])
    build_marts(con)
    yield con
    con.close()


def target(indicator_id, value, red, points, rule, deduction=None, scope="街道", year=2022) -> dict:
    return {"indicator_id": indicator_id, "year": year, "scope": scope, "target": value, "red_threshold": red,
            "points": points, "rule": rule, "deduction": deduction}


def scores(con, community_id=None) -> list[tuple]:
    return con.execute("""
        SELECT level, id, points, max_points, unscored_points, rule, status, target_year FROM mart_scores
         WHERE year = 2022 AND community_id IS NOT DISTINCT FROM ? ORDER BY level, id""", [community_id]).fetchall()


def test_scores_of_the_whole_subdistrict_add_up_by_area_and_in_total(con):
    assert scores(con) == [
        ("area", "disputes", 7.0, 25.0, 5.0, None, "partial", 2022),
        ("area", "responsibility", 0.0, 5.0, 0.0, None, "complete", 2022),
        ("indicator", "litigation_cases_new", 7.0, 10.0, 0.0, "每件扣分", "amber", 2022),
        ("indicator", "litigation_loss_rate", 0.0, 10.0, 0.0, "按比例", "red", 2022),
        ("indicator", "review_correction_rate", None, 5.0, 5.0, "达标得分", "no_data", 2022),
        ("indicator", "study_sessions", 0.0, 5.0, 0.0, "达标得分", "amber", 2022),
        ("total", None, 7.0, 30.0, 5.0, None, "partial", 2022),
    ]


def test_a_community_scores_against_its_own_targets_only(con):
    assert scores(con, "NX01") == [
        ("area", "responsibility", 4.0, 4.0, 0.0, None, "complete", 2022),
        ("indicator", "study_sessions", 4.0, 4.0, 0.0, "按比例", "green", 2022),
        ("total", None, 4.0, 4.0, 0.0, None, "complete", 2022),
    ]


def test_a_later_year_scores_against_the_earlier_targets_and_says_which(con):
    insert(con, "stg_outreach", [{"activity_id": f"S23-{i}", "activity_type": "专题学法", "date": "2023-03-01"}
                                 for i in range(2)])
    build_marts(con)
    assert con.execute("SELECT points, max_points, target_year FROM mart_scores WHERE level = 'indicator' "
                       "AND id = 'study_sessions' AND year = 2023 AND community_id IS NULL").fetchone() == (5.0, 5.0, 2022)


def test_points_are_rounded_to_hundredths_and_areas_add_the_rounded_points(con):
    con.execute("UPDATE stg_targets SET target = 3, red_threshold = 1, rule = '按比例' WHERE indicator_id = 'study_sessions'"
                " AND scope = '街道'")
    build_marts(con)
    assert con.execute("SELECT points FROM mart_scores WHERE id IN ('study_sessions', 'responsibility') "
                       "AND year = 2022 AND community_id IS NULL ORDER BY level").fetchall() == [(1.67,), (1.67,)]
    assert con.execute("SELECT points FROM mart_scores WHERE level = 'total' AND year = 2022 "
                       "AND community_id IS NULL").fetchone() == (8.67,)


def test_no_points_anywhere_gives_no_score_rows(con):
    con.execute("UPDATE stg_targets SET points = NULL, rule = NULL, deduction = NULL")
    build_marts(con)
    assert con.execute("SELECT count(*) FROM mart_scores").fetchone() == (0,)


# ---- the scores command -------------------------------------------------------------------------------

@pytest.fixture
def db(con, tmp_path):
    path = tmp_path / "warehouse.duckdb"
    con.execute("ATTACH ? AS out", [str(path)])
    con.execute("COPY FROM DATABASE memory TO out")
    con.execute("DETACH out")
    return path


def run(capsys, *args) -> tuple[int, str, str]:
    code = main(["scores", *args])
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def test_json_has_exactly_the_documented_keys_in_area_then_total_order(db, capsys):
    code, out, _ = run(capsys, "--year", "2022", "--format", "json", "--db", str(db))
    assert code == 0
    rows = json.loads(out)
    assert [list(r) for r in rows] == [["level", "id", "year", "subdistrict", "community", "points", "max_points",
                                       "rule", "status"]] * 7
    assert [(r["level"], r["id"]) for r in rows] == [
        ("indicator", "study_sessions"), ("area", "responsibility"),
        ("indicator", "litigation_cases_new"), ("indicator", "litigation_loss_rate"),
        ("indicator", "review_correction_rate"), ("area", "disputes"), ("total", None)]
    assert rows[-1] == {"level": "total", "id": None, "year": 2022, "subdistrict": "南星街道", "community": None,
                        "points": 7.0,
                        "max_points": 30.0, "rule": None, "status": "partial"}
    assert rows[4] == {"level": "indicator", "id": "review_correction_rate", "year": 2022,
                       "subdistrict": "南星街道", "community": None, "points": None, "max_points": 5.0, "rule": "达标得分", "status": "no_data"}


def test_community_by_alias_and_csv(db, capsys):
    code, out, _ = run(capsys, "--year", "2022", "--community", "馒头山社区居委会", "--format", "csv", "--db", str(db))
    assert code == 0
    assert list(csv.DictReader(io.StringIO(out))) == [
        {"level": "indicator", "id": "study_sessions", "year": "2022", "subdistrict": "南星街道", "community": "馒头山社区",
         "points": "4.0", "max_points": "4.0", "rule": "按比例", "status": "green"},
        {"level": "area", "id": "responsibility", "year": "2022", "subdistrict": "南星街道", "community": "馒头山社区",
         "points": "4.0", "max_points": "4.0", "rule": "", "status": "complete"},
        {"level": "total", "id": "", "year": "2022", "subdistrict": "南星街道", "community": "馒头山社区",
         "points": "4.0", "max_points": "4.0", "rule": "", "status": "complete"}]


def test_table_names_the_scope_total_and_lost_points(db, capsys):
    code, out, _ = run(capsys, "--year", "2022", "--db", str(db))
    assert code == 0
    lines = out.splitlines()
    assert lines[0] == "2022年 · 街道整体（含街道本级） · 预计得分 7 / 30 分"
    assert lines[2].split() == ["层级", "指标", "/", "领域", "预计得分", "分值", "失分", "计分方式", "状态"]
    assert lines[4].split() == ["指标", "理论学习中心组专题学法", "0", "5", "5", "达标得分", "预警"]
    assert lines[8].split() == ["指标", "行政复议纠错率", "—", "5", "—", "达标得分", "无数据"]
    assert lines[-1].split() == ["合计", "合计", "7", "30", "18", "部分无数据未计分"]


def test_table_says_when_the_targets_are_an_earlier_years(db, capsys):
    with duckdb.connect(str(db)) as con:
        insert(con, "stg_outreach", [{"activity_id": "S23", "activity_type": "专题学法", "date": "2023-03-01"}])
        build_marts(con)
    code, out, _ = run(capsys, "--year", "2023", "--db", str(db))
    assert (code, out.splitlines()[0]) == (0, "2023年 · 街道整体（含街道本级） · 预计得分 0 / 30 分（沿用2022年目标）")


def test_a_year_without_scores_an_unknown_community_and_a_missing_database(db, tmp_path, capsys):
    assert run(capsys, "--year", "2019", "--db", str(db)) == (
        2, "", "街道整体（含街道本级）没有2019年的预计得分：该年度（及之前年度）的指标目标没有为它设置分值。有得分的年度：2022\n")
    assert run(capsys, "--year", "2022", "--community", "近江", "--db", str(db)) == (
        2, "", "未找到社区“近江”。已知社区：馒头山社区\n")
    code, out, err = run(capsys, "--year", "2022", "--db", str(tmp_path / "none.duckdb"))
    assert (code, out, "python -m etl build" in err) == (1, "", True)


def test_a_database_built_before_scores_asks_for_a_rebuild(db, capsys):
    with duckdb.connect(str(db)) as con:
        con.execute("DROP TABLE mart_scores")
    assert run(capsys, "--year", "2022", "--db", str(db)) == (
        1, "", "该数据库构建于得分功能之前，没有预计得分；请重新运行 python -m etl build\n")


# ---- the cockpit's frames (reporting.frames) ------------------------------------------------------

def score_frame(rows: list[tuple]) -> pd.DataFrame:
    return pd.DataFrame(rows, columns=SCORE_COLUMNS)


SCORES = [  # level, id, year, community_id, points, max, unscored, rule, status, target_year, name_zh, name_en, lost,
    # subdistrict
    ("indicator", "a", 2022, None, 7.0, 10.0, 0.0, "每件扣分", "amber", 2021, "新增行政诉讼案件", "New lawsuits", 3.0, "南星街道"),
    ("indicator", "b", 2022, None, 0.0, 5.0, 0.0, "达标得分", "red", 2021, "公职律师", "Public lawyers", 5.0, "南星街道"),
    ("indicator", "c", 2022, None, None, 5.0, 5.0, "达标得分", "no_data", 2021, "行政复议纠错率", "Review correction", None,
     "南星街道"),
    ("indicator", "d", 2022, None, 5.0, 5.0, 0.0, "按比例", "green", 2021, "调解成功率", "Mediation success", 0.0, "南星街道"),
    ("total", None, 2022, None, 12.0, 25.0, 5.0, None, "partial", 2021, None, None, 8.0, "南星街道"),
]


def test_points_lost_largest_first_without_the_unscored_or_the_full_marks():
    lost = frames.points_lost(score_frame(SCORES), "zh")
    assert lost.values.tolist() == [["公职律师", 5.0, 0.0, 5.0, "达标得分", "未达标"],
                                    ["新增行政诉讼案件", 3.0, 7.0, 10.0, "每件扣分", "预警"]]
    assert frames.points_lost(score_frame(SCORES), "en")["rule"].tolist() == ["All or nothing", "Deduction per unit"]


def test_score_summary_names_the_unscored_indicators_and_says_when_illustrative():
    assert frames.score_summary(score_frame(SCORES), "zh", sample=True).values.tolist() == [
        ["预计得分（满分 25 分）", "12 分", "另有 5 分的指标暂无数据，未计分：行政复议纠错率；目标与分值为示例"]]
    assert frames.score_summary(score_frame(SCORES[:1] + SCORES[3:]), "en").values.tolist() == [
        ["Predicted score (of 25 points)", "12 points", ""]]
    assert frames.score_summary(score_frame([]), "zh").empty


# ---- the report and the export read the same figures ---------------------------------------------

def test_the_report_states_the_predicted_score_and_the_export_has_a_score_sheet(con):
    content = report.build_content(con, 2022, charts=False)
    assert content.notes[0] == ("按指标目标中的分值和计分方式，预计得分7分（满分30分）；失分：行政诉讼败诉率10分、"
                                "理论学习中心组专题学法5分、新增行政诉讼案件3分；另有5分的指标暂无数据，未计分")
    sheet = load_workbook(io.BytesIO(report.area_workbook(con, content)))["预计得分"]
    rows = [tuple(c.value for c in row) for row in sheet.iter_rows(min_row=2)]
    assert rows[-1] == ("馒头山社区", "合计", None, "合计", 4, 4, 0, None, "已全部计分")
    assert ("全街道", "合计", None, "合计", 7, 30, 18, None, "部分无数据未计分") in rows
