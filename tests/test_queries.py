"""Query functions on a tiny literal database: staging rows written here, marts by the real ETL code."""
from __future__ import annotations

from datetime import date
from pathlib import Path

import duckdb
import pandas as pd
import pytest

from etl.marts import build_marts
from etl.staging import create_staging_tables
from reporting import db, queries

COMMUNITIES = [("NX01", "馒头山社区", ["馒头山"], "南星街道", "上城区"),
               ("NX02", "海月桥社区", [], "南星街道", "上城区")]
# case_id, case_type, filed, closed, status, outcome, heard, leader, mode, community, domain, satisfaction
CASES = [
    ("L1", "行政诉讼", "2022-03-01", "2022-09-01", "审结", "胜诉", True, True, "判决", "NX01", "城乡建设", None),
    ("L2", "行政诉讼", "2022-05-01", "2022-10-01", "审结", "胜诉", True, False, "撤回", "NX02", "市场监管", None),
    ("M1", "矛盾纠纷调解", "2021-06-01", "2021-06-10", "审结", "成功", None, None, None, "NX01", None, 90.0),
    ("M2", "矛盾纠纷调解", "2022-06-01", "2022-06-10", "审结", "成功", None, None, None, "NX01", None, 100.0),
    ("M3", "矛盾纠纷调解", "2022-07-01", "2022-07-10", "审结", "不成功", None, None, None, "NX02", None, 80.0),
]
DISCLOSURES = [("D1", "2022-01-05", "主动公开", "政务动态", "网站"), ("D2", "2022-02-05", "主动公开", "财政信息", "网站"),
               ("D3", "2023-03-05", "主动公开", "政务动态", "微博")]
OUTREACH = [("O1", "2022-06-10", "专题学法", "NX01", "尚法工作室", 30, 100),
            ("O2", "2022-07-01", "法律服务", "NX02", "普法加油站", 50, 0),
            ("O3", "2022-07-09", "法律服务", None, "普法加油站", 20, 0)]
ACTIONS = [("A1", "W1", "减少复议诉讼发案", "党政办", "2023-12-31", "推进中"),
           ("A2", "W2", "法律顾问资源共享", "司法所", "2099-12-31", "未启动"),
           ("A3", "W1", "优先导入调解", "司法所", "2023-06-30", "已完成")]


def make_tiny_db(path: Path) -> Path:
    con = duckdb.connect(str(path))
    create_staging_tables(con)
    lineage = ("t.csv", 2, "run1")
    for row in COMMUNITIES:
        con.execute("INSERT INTO stg_communities (community_id, name, aliases, subdistrict, district, source_file, "
                    "source_row, load_id) VALUES (?, ?, ?, ?, ?, ?, ?, ?)", [*row, *lineage])
    for i, row in enumerate(CASES):
        con.execute("INSERT INTO stg_cases (case_id, case_type, filed_date, closed_date, status, outcome, "
                    "heard_in_court, leader_appeared, resolution_mode, community_id, domain, satisfaction, "
                    "source_file, source_row, load_id) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                    [*row, "cases.csv", i + 2, "run1"])
    for i, (item, day, mode, category, channel) in enumerate(DISCLOSURES):
        con.execute("INSERT INTO stg_disclosures (item_id, date, mode, category, channel, source_file, source_row, load_id) "
                    "VALUES (?, ?, ?, ?, ?, ?, ?, ?)", [item, day, mode, category, channel, "disclosures.csv", i + 2, "run1"])
    for i, (aid, day, kind, community, organizer, people, materials) in enumerate(OUTREACH):
        con.execute("INSERT INTO stg_outreach (activity_id, date, activity_type, community_id, organizer, participants, "
                    "materials, source_file, source_row, load_id) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                    [aid, day, kind, community, organizer, people, materials, "outreach.csv", i + 2, "run1"])
    con.execute("INSERT INTO stg_designations (community_id, title, level, granted_by, year_granted, status, "
                "source_file, source_row, load_id) VALUES ('NX01', '全国民主法治示范村(社区)', '国家级', '司法部、民政部', "
                "2020, '有效', 'designations.csv', 2, 'run1')")
    con.execute("INSERT INTO stg_reported_values (indicator_id, year, community_id, value, part, note, source_file, "
                "source_row, load_id) VALUES ('public_interest_orgs', 2022, NULL, 43, 'value', '年度报告', "
                "'reported.csv', 2, 'run1')")
    # a community target for every community (several communities are rated against their targets)
    con.execute("INSERT INTO stg_targets (indicator_id, year, scope, target, red_threshold) "
                "VALUES ('leader_appearance_rate', 2022, '社区', 100, 90)")
    for i, row in enumerate(ACTIONS):
        con.execute("INSERT INTO stg_actions (action_id, weak_area_id, title, owner, due_date, status, source_file, "
                    "source_row, load_id) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)", [*row, "actions.csv", i + 2, "run1"])
    for table in ("stg_cases", "stg_disclosures", "stg_outreach", "stg_reported_values", "stg_targets", "stg_actions"):
        con.execute(f"UPDATE {table} SET subdistrict = '南星街道'")   # as staging resolves it: the only one
    build_marts(con)
    con.execute("""CREATE TABLE etl_runs AS SELECT 'run1' AS run_id, TIMESTAMP '2026-11-28 20:00:00' AS started_at,
        TIMESTAMP '2026-11-28 20:00:02' AS finished_at, 2.0 AS duration_s, 'data/sample' AS data_dir,
        'sample' AS dataset_kind, '示例数据' AS dataset_label, '2026.1' AS catalogue_version, 2 AS files,
        12 AS rows_read, 11 AS rows_loaded, 1 AS rows_rejected, 'published' AS status""")
    con.execute("""CREATE TABLE etl_files AS SELECT * FROM (VALUES
        ('run1', 'cases.csv', 'cases', 'abc', 'utf-8', 6, 5, 1, NULL),
        ('run1', 'outreach.csv', 'outreach', 'def', 'gb18030', 3, 3, 0, NULL))
        t(run_id, source_file, record_type, checksum, encoding, rows_read, rows_loaded, rows_rejected, message)""")
    con.execute("INSERT INTO rejects VALUES ('run1', 'cases', 'cases.csv', 7, 'case_type', '诉讼', "
                "'案件类型“诉讼”不在允许值中', 'invalid')")
    con.close()
    return path


@pytest.fixture()
def con(tmp_path):
    path = make_tiny_db(tmp_path / "tiny.duckdb")
    connection = db.connect(path)
    yield connection
    connection.close()


def value_of(df: pd.DataFrame, indicator_id: str, year: int):
    return df[(df["indicator_id"] == indicator_id) & (df["year"] == year)].iloc[0]


def test_connect_is_read_only_and_missing_file_is_named(tmp_path):
    path = make_tiny_db(tmp_path / "a.duckdb")
    connection = db.connect(path)
    with pytest.raises(duckdb.Error):
        connection.execute("CREATE TABLE x (a INT)")
    with pytest.raises(db.DatabaseMissing, match="nothing.duckdb"):
        db.connect(tmp_path / "nothing.duckdb")
    with pytest.raises(db.DatabaseMissing):
        db.stamp(tmp_path / "nothing.duckdb")


def test_stamp_changes_when_a_new_file_replaces_the_old(tmp_path):
    live = make_tiny_db(tmp_path / "live.duckdb")
    before = db.stamp(live)
    new = make_tiny_db(tmp_path / "new.duckdb")
    new.replace(live)
    assert db.stamp(live) != before


def test_db_path_from_environment(monkeypatch, tmp_path):
    monkeypatch.setenv("COCKPIT_DB", str(tmp_path / "x.duckdb"))
    assert db.db_path() == tmp_path / "x.duckdb"
    monkeypatch.delenv("COCKPIT_DB")
    assert db.db_path() == db.DEFAULT_DB


def test_years_and_communities(con):
    assert queries.years_with_data(con) == [2021, 2022, 2023]
    assert queries.communities(con)["name"].tolist() == ["馒头山社区", "海月桥社区"]


def test_whole_subdistrict_values(con):
    values = queries.indicator_values(con, (2022,))
    assert value_of(values, "litigation_cases_new", 2022)["value"] == 2
    assert value_of(values, "leader_appearance_rate", 2022)["value"] == 50.0
    assert value_of(values, "mediation_satisfaction", 2022)["value"] == 90.0
    assert value_of(values, "legal_services", 2022)["value"] == 70
    assert value_of(values, "public_interest_orgs", 2022)["value"] == 43
    assert value_of(values, "review_litigation_ratio", 2022)["value"] == 0
    assert set(values["year"]) == {2022}


def test_one_community_is_the_mart_row(con):
    values = queries.indicator_values(con, (2022,), ("NX01",))
    assert value_of(values, "litigation_cases_new", 2022)["value"] == 1
    assert value_of(values, "leader_appearance_rate", 2022)["value"] == 100.0
    assert value_of(values, "legal_services", 2022)["value"] == 0


def test_several_communities_add_counts_and_recompute_rates(con):
    values = queries.indicator_values(con, (2022,), ("NX01", "NX02"))
    assert value_of(values, "litigation_cases_new", 2022)["value"] == 2
    rate = value_of(values, "leader_appearance_rate", 2022)
    assert (rate["value"], rate["numerator"], rate["denominator"], rate["status"]) == (50.0, 1, 2, "red")
    assert value_of(values, "mediation_satisfaction", 2022)["value"] == 90.0
    # 街道本级's legal service (O3) belongs to no community
    assert value_of(values, "legal_services", 2022)["value"] == 50
    # disclosures carry no community: no value, with the mart's reason
    items = value_of(values, "disclosure_items", 2022)
    assert pd.isna(items["value"]) and items["no_data_reason"] == "政务公开记录不分社区，只有街道整体数值"


def test_rate_over_empty_denominator_is_no_data(con):
    values = queries.indicator_values(con, (2021,), ("NX01", "NX02"))
    rate = value_of(values, "leader_appearance_rate", 2021)
    assert pd.isna(rate["value"]) and rate["status"] == "no_data"
    assert rate["no_data_reason"] == "分母为0：该年度无审结的开庭审理行政诉讼案件"


def test_no_indicator_values_is_an_empty_frame_with_the_catalogue_columns(con):
    full = queries.indicator_values(con, (2022,), ())
    for communities in ((), ("NX01",), ("NX01", "NX02")):
        none = queries.indicator_values(con, (1999,), communities)
        assert none.empty and none.columns.tolist() == full.columns.tolist()


@pytest.mark.parametrize("value, direction, expected", [
    (2, "down", "amber"), (1, "down", "green"), (4, "down", "red"), (None, "down", "no_data"),
    (95, "up", "amber"), (100, "up", "green"), (80, "up", "red"), (5, "none", "none"),
])
def test_rag_status(value, direction, expected):
    target, red = (1, 3) if direction == "down" else (100, 90)
    assert queries.rag_status(value, direction, target, red) == expected


def test_with_previous_year(con):
    values = queries.indicator_values(con, ())
    row = queries.with_previous_year(values, 2022).set_index("indicator_id").loc["mediation_cases"]
    assert (row["value"], row["previous"], row["change"]) == (2, 1, 1)


def test_disclosure_note_says_channels_differ(con):
    values = queries.indicator_values(con, (2022, 2023))
    note = value_of(values, "disclosure_items", 2023)["note"]
    assert note.startswith("本年度统计渠道：微博") and "跨年度比较" in note


def test_records_behind_an_indicator_carry_source_file_and_row(con):
    records = queries.records_behind(con, "leader_appearance_rate", 2022)
    assert records["case_id"].tolist() == ["L1", "L2"]
    assert records[["source_file", "source_row"]].values.tolist() == [["cases.csv", 2], ["cases.csv", 3]]
    assert records["community"].tolist() == ["馒头山社区", "海月桥社区"]
    one = queries.records_behind(con, "leader_appearance_rate", 2022, ("NX02",))
    assert one["case_id"].tolist() == ["L2"]
    clicked = queries.records_behind(con, "mediation_cases", 2022, extra={"community_id": "NX02"})
    assert clicked["case_id"].tolist() == ["M3"]


def test_records_behind_reported_and_designation_indicators(con):
    reported = queries.records_behind(con, "public_interest_orgs", 2022)
    assert reported[["value", "source_file"]].values.tolist() == [[43.0, "reported.csv"]]
    titles = queries.records_behind(con, "designated_national", 2022)
    assert titles["title"].tolist() == ["全国民主法治示范村(社区)"]
    assert queries.records_behind(con, "designated_national", 2019).empty


def test_records_behind_rejects_unknown_columns(con):
    with pytest.raises(ValueError, match="unknown column"):
        queries.records_behind(con, "mediation_cases", 2022, extra={"1; DROP TABLE x": 1})


def test_record_counts_by_community_and_month(con):
    by_community = queries.record_counts(con, "outreach", ("community",), 2022, measure="participants")
    assert by_community[["community", "n", "total"]].values.tolist() == [
        ["海月桥社区", 1, 50], ["街道本级", 1, 20], ["馒头山社区", 1, 30]]
    by_month = queries.record_counts(con, "disclosures", ("month", "category"), 2022, where={"mode": "主动公开"})
    assert by_month[["month", "category", "n"]].values.tolist() == [[1, "政务动态", 1], [2, "财政信息", 1]]
    scoped = queries.record_counts(con, "cases", ("case_type",), 2022, ("NX01",))
    assert scoped[["case_type", "n"]].values.tolist() == [["矛盾纠纷调解", 1], ["行政诉讼", 1]]


def test_designations_table_lists_communities_without_titles(con):
    table = queries.designations_table(con)
    assert table[["community", "level"]].fillna("").values.tolist() == [["馒头山社区", "国家级"], ["海月桥社区", ""]]


def test_actions_flag_overdue(con):
    table = queries.actions(con, date(2024, 1, 1)).set_index("action_id")
    assert table["overdue"].to_dict() == {"A1": True, "A3": False, "A2": False}
    assert table.loc["A1", "weak_area_zh"] == "行政争议诉源治理与实质化解"


def test_load_history(con):
    assert queries.latest_run(con)["dataset_kind"] == "sample"
    assert queries.run_files(con, "run1")["rows_rejected"].tolist() == [1, 0]
    rejects = queries.rejects(con, "run1")
    assert rejects[["source_file", "source_row", "reason"]].values.tolist() == [
        ["cases.csv", 7, "案件类型“诉讼”不在允许值中"]]
    assert queries.reject_counts(con, "run1")[["source_file", "kind", "n"]].values.tolist() == [
        ["cases.csv", "invalid", 1]]


def test_disclosure_channels_per_year(con):
    assert queries.disclosure_channels(con) == {2022: ("网站",), 2023: ("微博",)}


def test_record_counts_by_closing_year(con):
    closed = queries.record_counts(con, "cases", ("outcome",), 2021, where={"status": "审结"}, date_field="closed_date")
    assert closed[["outcome", "n"]].values.tolist() == [["成功", 1]]
    with pytest.raises(ValueError, match="unknown date field"):
        queries.record_counts(con, "cases", ("outcome",), 2021, date_field="nope")


def test_a_restore_shows_the_rejects_of_the_build_it_restored(tmp_path):
    path = make_tiny_db(tmp_path / "tiny.duckdb")
    con = duckdb.connect(str(path))
    # run2 restored run1; run3 restored run2 (a restore of a restore)
    for run_id, status in (("run2", "rollback:run1"), ("run3", "rollback:run2")):
        con.execute("INSERT INTO etl_runs SELECT * REPLACE (? AS run_id, ? AS status) FROM etl_runs "
                    "WHERE run_id = 'run1'", [run_id, status])
    con.close()
    with db.connect(path) as ro:
        assert queries.built_by(ro, "run3") == "run1"
        assert queries.built_by(ro, "unknown") == "unknown"
        assert queries.rejects(ro, "run3")[["source_row", "reason"]].values.tolist() == [
            [7, "案件类型“诉讼”不在允许值中"]]
        assert queries.reject_counts(ro, "run2").values.tolist() == [["cases.csv", "invalid", 1]]
