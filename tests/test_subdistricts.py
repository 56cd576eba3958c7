"""Several subdistricts in one warehouse (issue 13): how a record finds its 街道, the subdistrict and
district cells of the marts, recomputed rates, summed reported figures, targets and points per 街道.
A three-subdistrict folder of tiny literal CSVs, built for real."""
from __future__ import annotations

import duckdb
import pytest

from etl.build import build
from tests.three_subdistricts import COMMUNITIES, three_subdistricts, write


@pytest.fixture(scope="module")
def db(tmp_path_factory) -> duckdb.DuckDBPyConnection:
    root = tmp_path_factory.mktemp("three")
    build(three_subdistricts(root / "data"), root / "w.duckdb")
    con = duckdb.connect(str(root / "w.duckdb"), read_only=True)
    yield con
    con.close()


def whole(con, indicator_id: str) -> dict:
    """subdistrict (None = the district) → (value, numerator, denominator, no_data_reason) in 2024."""
    rows = con.execute("SELECT subdistrict, value, numerator, denominator, no_data_reason FROM mart_indicator_values "
                       "WHERE indicator_id = ? AND year = 2024 AND community_id IS NULL", [indicator_id]).fetchall()
    return {sd: rest for sd, *rest in rows}


def test_a_record_takes_its_communitys_subdistrict_else_its_column_else_its_folder(db):
    assert sorted(db.execute("SELECT case_id, community_id, subdistrict FROM stg_cases").fetchall(),
                  key=str) == sorted([("L1", "A1", "甲街道"), ("L2", "A2", "甲街道"), ("L3", "B1", "乙街道"),
                                      ("L1", None, "乙街道")], key=str)
    assert sorted(db.execute("SELECT item_id, subdistrict, source_file FROM stg_disclosures").fetchall()) == [
        ("G1", "丙街道", "丙街道/disclosures.csv"), ("G1", "甲街道", "disclosures.csv"),
        ("G2", "乙街道", "disclosures.csv"), ("G5", "丙街道", "丙街道/disclosures.csv")]


def test_a_row_whose_subdistrict_cannot_be_told_is_rejected_with_the_reason(db):
    assert db.execute("SELECT source_file, source_row, field, value, reason FROM rejects ORDER BY source_row"
                      ).fetchall() == [
        ("disclosures.csv", 4, "subdistrict", None,
         "社区名录中有多个街道（丙街道、乙街道、甲街道）：请填写“街道”，或把文件放在以街道命名的文件夹中"),
        ("disclosures.csv", 5, "subdistrict", "丁街道", "街道“丁街道”不在社区名录的街道中（丙街道、乙街道、甲街道）")]


def test_counts_are_per_subdistrict_and_the_district_adds_them_up(db):
    assert whole(db, "litigation_cases_new") == {"甲街道": [2, None, None, None], "乙街道": [2, None, None, None],
                                                 "丙街道": [None, None, None, "该年度没有案件记录"],
                                                 None: [4, None, None, None]}
    assert whole(db, "disclosure_items") == {"甲街道": [1, None, None, None], "乙街道": [1, None, None, None],
                                             "丙街道": [2, None, None, None], None: [4, None, None, None]}


def test_the_districts_rates_are_recomputed_from_its_records(db):
    assert whole(db, "litigation_loss_rate") == {"甲街道": [50, 1, 2, None], "乙街道": [0, 0, 2, None],
                                                 "丙街道": [None, None, None, "该年度没有案件记录"],
                                                 None: [25, 1, 4, None]}
    # 甲 50%, 乙 50%: the district is 2 of 4 concluded, not the mean of the rates.
    assert whole(db, "substantive_resolution_rate")[None] == [50, 2, 4, None]


def test_reported_figures_add_up_except_scores(db):
    assert whole(db, "legal_advisers") == {"甲街道": [3, None, None, None], "乙街道": [2, None, None, None],
                                           "丙街道": [None, None, None, "该年度未填报"], None: [5, None, None, None]}
    assert db.execute("SELECT note FROM mart_indicator_values WHERE indicator_id = 'legal_advisers' AND year = 2024 "
                      "AND subdistrict IS NULL AND community_id IS NULL").fetchone() == ("2/3 个街道填报",)
    assert whole(db, "eval_dispute_score")[None] == [None, None, None, "得分不跨街道相加，全区无合计"]


def test_communities_belong_to_their_subdistrict(db):
    assert db.execute("SELECT community_id, subdistrict, value FROM mart_indicator_values "
                      "WHERE indicator_id = 'litigation_cases_new' AND year = 2024 AND community_id IS NOT NULL "
                      "ORDER BY community_id").fetchall() == [("A1", "甲街道", 1), ("A2", "甲街道", 1),
                                                              ("B1", "乙街道", 1), ("C1", "丙街道", None)]


def test_a_target_naming_its_subdistrict_wins_and_the_district_has_none(db):
    rows = db.execute("SELECT subdistrict, target, status FROM mart_indicator_values "
                      "WHERE indicator_id = 'litigation_loss_rate' AND year = 2024 AND community_id IS NULL "
                      "ORDER BY subdistrict NULLS FIRST").fetchall()
    assert rows == [(None, None, "none"), ("丙街道", 10, "no_data"), ("乙街道", 10, "green"), ("甲街道", 60, "green")]
    assert db.execute("SELECT subdistrict, points, max_points FROM mart_scores WHERE level = 'total' AND year = 2024 "
                      "AND community_id IS NULL ORDER BY subdistrict").fetchall() == [
        ("丙街道", None, 10), ("乙街道", 10, 10), ("甲街道", 10, 10)]


def test_one_community_name_in_two_subdistricts_needs_the_subdistrict(tmp_path):
    communities = COMMUNITIES + "B2,甲一社区,,乙街道,上城区\n"
    cases = ("案件编号,案件类型,收案日期,状态,社区,街道\nX1,行政复议,2024-01-05,在办,甲一,\n"
             "X2,行政复议,2024-01-05,在办,甲一,乙街道\n")
    build(write(tmp_path / "d", {"communities.csv": communities, "cases.csv": cases}), tmp_path / "w.duckdb")
    con = duckdb.connect(str(tmp_path / "w.duckdb"), read_only=True)
    assert con.execute("SELECT case_id, community_id, subdistrict FROM stg_cases").fetchall() == [("X2", "B2", "乙街道")]
    assert con.execute("SELECT source_row, field FROM rejects").fetchall() == [(2, "community")]
    con.close()
