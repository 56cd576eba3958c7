"""Targets as data (record type `targets`): same-scope rating, fallback to an earlier year, the
status rule, and the rows staging refuses. Tiny literal rows; a fresh database per test."""
from __future__ import annotations

import duckdb
import pandas as pd
import pytest

from etl.build import check
from etl.marts import build_marts
from etl.staging import create_staging_tables
from reporting import frames, queries
from tests.staged_rows import insert

COMMUNITIES = [("NX01", "馒头山社区"), ("NX02", "海月桥社区")]


@pytest.fixture
def con():
    con = duckdb.connect()
    create_staging_tables(con)
    insert(con, "stg_communities", [{"community_id": cid, "name": name, "subdistrict": "南星街道",
                                      "district": "上城区"} for cid, name in COMMUNITIES])
    yield con
    con.close()


def target(indicator_id, year, value, red=None, scope="街道", community=None, basis=None, **more) -> dict:
    return {"indicator_id": indicator_id, "year": year, "scope": scope, "community_id": community,
            "target": value, "red_threshold": red, "basis": basis, **more}


def sessions(con, per_year: dict[tuple[int, str | None], int]) -> None:
    """专题学法 activities: (year, community) → how many."""
    insert(con, "stg_outreach", [{"activity_id": f"S{y}{c}{i}", "activity_type": "专题学法", "date": f"{y}-03-01",
                                  "community_id": c} for (y, c), n in per_year.items() for i in range(n)])


def cell(con, indicator_id: str, year: int, community: str | None = None) -> tuple:
    return con.execute("""
        SELECT value, target, red_threshold, target_year, target_basis, status FROM mart_indicator_values
         WHERE indicator_id = ? AND year = ? AND community_id IS NOT DISTINCT FROM ?""",
                       [indicator_id, year, community]).fetchone()


# ---- fallback -------------------------------------------------------------------------------------

def test_a_year_without_targets_uses_the_latest_earlier_years(con):
    sessions(con, {(y, None): 2 for y in (2020, 2021, 2022, 2023, 2024)})
    insert(con, "stg_targets", [target("study_sessions", 2021, 2, 1, basis="2021年细则"),
                                target("study_sessions", 2023, 3, 1, basis="2023年细则")])
    build_marts(con)
    assert [cell(con, "study_sessions", y) for y in (2020, 2021, 2022, 2023, 2024)] == [
        (2, None, None, None, None, "none"),                 # before the first targets: none to fall back to
        (2, 2, 1, 2021, "2021年细则", "green"),
        (2, 2, 1, 2021, "2021年细则", "green"),             # 2022: 2021's
        (2, 3, 1, 2023, "2023年细则", "amber"),
        (2, 3, 1, 2023, "2023年细则", "amber")]             # 2024: 2023's


def test_a_years_targets_replace_the_earlier_set_as_a_whole(con):
    sessions(con, {(2022, None): 2})
    insert(con, "stg_cases", [{"case_id": "R1", "case_type": "行政复议", "filed_date": "2022-05-01", "status": "在办"}])
    insert(con, "stg_targets", [target("study_sessions", 2021, 2), target("review_cases_new", 2021, 0, 2),
                                target("review_cases_new", 2022, 1, 2)])
    build_marts(con)
    assert cell(con, "review_cases_new", 2022)[3:] == (2022, None, "green")
    assert cell(con, "study_sessions", 2022)[1:] == (None, None, None, None, "none")   # not 2021's


def test_fallback_is_per_scope(con):
    sessions(con, {(2022, None): 2, (2022, "NX01"): 1})
    insert(con, "stg_targets", [target("study_sessions", 2021, 1, scope="社区"),
                                target("study_sessions", 2022, 2)])
    build_marts(con)
    assert cell(con, "study_sessions", 2022)[3:] == (2022, None, "green")
    assert cell(con, "study_sessions", 2022, "NX01")[1:] == (1, 1, 2021, None, "green")


# ---- same scope only --------------------------------------------------------------------------------

def test_a_community_is_never_rated_against_the_subdistricts_target(con):
    sessions(con, {(2022, None): 2, (2022, "NX01"): 0})
    insert(con, "stg_targets", [target("study_sessions", 2022, 2, 1)])
    build_marts(con)
    assert cell(con, "study_sessions", 2022) == (2, 2, 1, 2022, None, "green")
    assert cell(con, "study_sessions", 2022, "NX01") == (0, None, None, None, None, "no_community_target")


def test_a_communitys_own_row_comes_before_the_row_for_every_community(con):
    sessions(con, {(2022, "NX01"): 1, (2022, "NX02"): 1})
    insert(con, "stg_targets", [target("study_sessions", 2022, 1, scope="社区"),
                                target("study_sessions", 2022, 3, 2, scope="社区", community="NX01")])
    build_marts(con)
    assert cell(con, "study_sessions", 2022, "NX01")[1:] == (3, 2, 2022, None, "red")
    assert cell(con, "study_sessions", 2022, "NX02")[1:] == (1, 1, 2022, None, "green")
    assert cell(con, "study_sessions", 2022)[1:] == (None, None, None, None, "none")   # no 街道 target


# ---- status ---------------------------------------------------------------------------------------

@pytest.mark.parametrize("count, red, expected", [(3, 1, "green"), (2, 1, "green"), (1, 1, "amber"),
                                                  (0, 1, "red"), (1, None, "red")])
def test_status_up_with_and_without_a_red_line(con, count, red, expected):
    sessions(con, {(2022, None): count})
    insert(con, "stg_outreach", [{"activity_id": "E1", "activity_type": "便民活动", "date": "2022-01-01"}])
    insert(con, "stg_targets", [target("study_sessions", 2022, 2, red)])
    build_marts(con)
    assert cell(con, "study_sessions", 2022)[5] == expected


@pytest.mark.parametrize("reviews, expected", [(0, "green"), (1, "amber"), (2, "amber"), (3, "red")])
def test_status_down(con, reviews, expected):
    insert(con, "stg_cases", [{"case_id": f"R{i}", "case_type": "行政复议", "filed_date": "2022-05-01", "status": "在办"}
                              for i in range(reviews)]
           + [{"case_id": "M1", "case_type": "矛盾纠纷调解", "filed_date": "2022-05-01", "status": "在办"}])
    insert(con, "stg_targets", [target("review_cases_new", 2022, 0, 2)])
    build_marts(con)
    assert cell(con, "review_cases_new", 2022)[5] == expected


def test_no_data_wins_over_a_target(con):
    insert(con, "stg_outreach", [{"activity_id": "E1", "activity_type": "便民活动", "date": "2022-01-01"}])
    insert(con, "stg_targets", [target("litigation_loss_rate", 2022, 0, 10)])
    build_marts(con)
    assert cell(con, "litigation_loss_rate", 2022) == (None, 0, 10, 2022, None, "no_data")


# ---- several communities combined (reporting.queries) ----------------------------------------------

def test_several_communities_are_rated_against_their_summed_community_targets(con):
    sessions(con, {(2022, "NX01"): 1, (2022, "NX02"): 1})
    insert(con, "stg_targets", [target("study_sessions", 2022, 1, scope="社区")])
    build_marts(con)
    row = queries.indicator_values(con, (2022,), ("NX01", "NX02")).set_index("indicator_id").loc["study_sessions"]
    assert (row["value"], row["target"], row["red_threshold"], row["target_year"], row["status"]) == (
        2, 2, 2, 2022, "green")
    con.execute("DELETE FROM stg_targets")
    build_marts(con)
    row = queries.indicator_values(con, (2022,), ("NX01", "NX02")).set_index("indicator_id").loc["study_sessions"]
    assert (row["value"], pd.isna(row["target"]), row["status"]) == (2, True, "no_community_target")


# ---- what staging refuses ---------------------------------------------------------------------------

HEADER = "指标编号,年度,范围,社区,目标值,红线值,分值,计分方式,扣分值,依据\n"


def problems(tmp_path, rows: str) -> list[tuple]:
    (tmp_path / "communities.csv").write_text("社区编号,社区名称,街道,区\nNX01,馒头山社区,南星街道,上城区\n",
                                              encoding="utf-8")
    (tmp_path / "targets.csv").write_text(HEADER + rows, encoding="utf-8")
    return [(p.row, p.field, p.reason) for p in check([tmp_path / "communities.csv", tmp_path / "targets.csv"])]


def test_a_valid_targets_file_has_no_problems(tmp_path):
    assert problems(tmp_path, "mediation_cases,2022,社区,馒头山,40,30,10,按比例,,细则\n"
                              "litigation_cases_new,2022,街道,街道本级,1,3,10,每件扣分,3,细则\n"
                              "study_sessions,2022,街道,,2,,5,,,\n") == []


def test_targets_rows_staging_refuses_say_why(tmp_path):
    assert problems(tmp_path, "\n".join([
        "nope,2022,街道,,1,,,,,",
        "litigation_concluded,2022,街道,,1,,,,,",
        "study_sessions,2022,街道,馒头山,2,,,,,",
        "study_sessions,2022,社区,街道本级,2,,,,,",
        "study_sessions,2022,社区,近江,2,,,,,",
        "study_sessions,2022,区,,2,,,,,",
        "study_sessions,2022,街道,,2,3,,,,",
        "review_cases_new,2022,街道,,1,0,,,,",
        "study_sessions,2023,街道,,2,,,按比例,,",
        "review_cases_new,2023,街道,,1,,5,每件扣分,,",
        "review_cases_new,2024,街道,,1,,5,按比例,1,",
        "review_cases_new,2025,街道,,-1,,5,按比例,,",
    ]) + "\n") == [
        (2, "indicator_id", "指标编号“nope”不在指标目录中"),
        (3, "indicator_id", "指标“litigation_concluded”不评价（没有方向），不设目标"),
        (4, "community", "范围为“街道”时社区须为空；某个社区的目标请把范围填为“社区”"),
        (5, "community", "范围为“社区”时社区空白表示每个社区；“街道本级”不是社区"),
        (6, "community", "社区“近江”不在社区名录中"),
        (7, "scope", "范围“区”不是允许值（街道、社区）"),
        (8, "red_threshold", "红线值“3”高于目标值“2”：该指标越高越好，红线应不高于目标"),
        (9, "red_threshold", "红线值“0”低于目标值“1”：该指标越低越好，红线应不低于目标"),
        (10, "points", "填写了计分方式，但未填写分值"),
        (11, "deduction", "计分方式为“每件扣分”时须填写扣分值"),
        (12, "deduction", "扣分值只用于计分方式“每件扣分”"),
        (13, "target", "按比例计分的目标值不能为负数"),
    ]


# ---- how pages say it (reporting.frames) -----------------------------------------------------------

def test_target_text_says_when_the_targets_are_an_earlier_years():
    row = {"year": 2022, "target_year": 2021, "target": 2.0, "direction": "up", "unit_zh": "次", "unit_en": "sessions",
           "status": "amber"}
    assert frames.target_text(row, "zh") == "目标 ≥ 2次（沿用2021年目标）"
    assert frames.target_text(row, "en") == "Target ≥ 2 sessions (2021 targets carried forward)"
    assert frames.target_text(row, "zh", fallback=False) == "目标 ≥ 2次"
    assert frames.target_text({**row, "target_year": 2022}, "zh") == "目标 ≥ 2次"
    assert frames.target_text({**row, "status": "no_community_target", "target": None}, "zh") == ""


def test_the_page_says_once_which_years_targets_rated_the_year():
    values = pd.DataFrame({"year": [2022, 2022, 2023], "target_year": [2021, None, 2023]})
    assert frames.targets_fallback_note(values, 2022, "zh") == "2022 年没有本年度的指标目标，状态和得分按 2021 年目标评价。"
    assert frames.targets_fallback_note(values, 2023, "zh") == ""
