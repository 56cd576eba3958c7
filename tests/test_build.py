"""Build: whole-folder loads, idempotence, unreadable files, data tests, run history, preview, check."""
from __future__ import annotations

import json
import shutil

import duckdb
import pytest

import etl.build
from etl.build import build, check, preview, Problem
from etl.datatests import failures
from etl.errors import BuildError

COMMUNITIES = "community_id,name,aliases,subdistrict,district\nNX01,馒头山社区,馒头山,南星街道,上城区\n"
CASES = ("case_id,case_type,filed_date,closed_date,status,outcome,community\n"
         "C1,行政诉讼,2022-03-01,2022-06-01,审结,胜诉,馒头山\n"
         "C2,行政诉讼,2022-04-01,,在办,,\n"
         "C3,行政诉讼,2022-13-01,,在办,,\n")
CASES_UNKNOWN_COMMUNITY = CASES.replace("2022-04-01,,在办,,", "2022-04-01,,在办,,近江")


def folder(tmp_path, files: dict[str, str], name: str = "data"):
    path = tmp_path / name
    path.mkdir()
    for file_name, text in files.items():
        (path / file_name).write_text(text, encoding="utf-8")
    return path


def query(db, sql: str, params=None):
    con = duckdb.connect(str(db), read_only=True)
    try:
        return con.execute(sql, params or []).fetchall()
    finally:
        con.close()


def test_sample_data_loads_with_only_the_intended_bad_rows(sample_db):
    assert query(sample_db, "SELECT DISTINCT source_file FROM rejects") == [("outreach_2024-bad-rows.csv",)]
    assert query(sample_db, "SELECT count(*) FROM rejects") == [(3,)]
    assert query(sample_db, "SELECT dataset_kind FROM etl_runs") == [("sample",)]


def test_build_counts_per_file_and_history(tmp_path):
    data = folder(tmp_path, {"communities.csv": COMMUNITIES, "cases.csv": CASES})
    result = build(data, tmp_path / "w.duckdb")
    assert [(f.source_file, f.record_type, f.rows_read, f.rows_loaded, f.rows_rejected) for f in result.files] == [
        ("cases.csv", "cases", 3, 2, 1), ("communities.csv", "communities", 1, 1, 0)]
    assert (result.rows_read, result.rows_loaded, result.rows_rejected) == (4, 3, 1)
    assert query(tmp_path / "w.duckdb", "SELECT run_id, files, rows_read, rows_loaded, rows_rejected, dataset_kind, "
                                        "status FROM etl_runs") == [(result.run_id, 2, 4, 3, 1, "real", "published")]
    assert query(tmp_path / "w.duckdb", "SELECT source_file, rows_read, rows_loaded, rows_rejected FROM etl_files "
                                        "ORDER BY 1") == [("cases.csv", 3, 2, 1), ("communities.csv", 1, 1, 0)]
    assert query(tmp_path / "w.duckdb", "SELECT DISTINCT load_id FROM stg_cases") == [(result.run_id,)]


def test_rebuild_is_idempotent_and_history_carries_forward(tmp_path):
    data = folder(tmp_path, {"communities.csv": COMMUNITIES, "cases.csv": CASES})
    first = build(data, tmp_path / "w.duckdb")
    second = build(data, tmp_path / "w.duckdb")
    assert (second.rows_read, second.rows_loaded, second.rows_rejected) == (first.rows_read, first.rows_loaded, 1)
    assert query(tmp_path / "w.duckdb", "SELECT count(*) FROM stg_cases") == [(2,)]
    assert query(tmp_path / "w.duckdb", "SELECT run_id FROM etl_runs ORDER BY finished_at") == [
        (first.run_id,), (second.run_id,)]
    assert query(tmp_path / "w.duckdb", "SELECT count(DISTINCT run_id) FROM etl_files") == [(2,)]


def test_same_file_twice_is_skipped_whole(tmp_path):
    data = folder(tmp_path, {"communities.csv": COMMUNITIES, "cases.csv": CASES})
    shutil.copy(data / "cases.csv", data / "cases_copy.csv")
    result = build(data, tmp_path / "w.duckdb")
    copy = next(f for f in result.files if f.source_file == "cases_copy.csv")
    assert (copy.rows_read, copy.rows_loaded, copy.rows_rejected) == (0, 0, 0)
    assert copy.message == "内容与 cases.csv 完全相同，已整体跳过"
    assert (result.rows_loaded, result.rows_rejected) == (3, 1)


def test_unreadable_file_is_reported_and_the_rest_published(tmp_path):
    data = folder(tmp_path, {"communities.csv": COMMUNITIES, "cases.csv": CASES, "ledger.csv": "甲,乙\n1,2\n"})
    result = build(data, tmp_path / "w.duckdb")
    assert [f.source_file for f in result.unreadable] == ["ledger.csv"]
    assert query(tmp_path / "w.duckdb", "SELECT message FROM etl_files WHERE source_file = 'ledger.csv'") == [
        ("无法读取：无法识别记录类型：文件名不以记录类型开头，表头也不匹配任何记录类型",)]
    assert query(tmp_path / "w.duckdb", "SELECT count(*) FROM stg_cases") == [(2,)]


def test_dataset_json_and_uploads_folder(tmp_path):
    data = folder(tmp_path, {"communities.csv": COMMUNITIES, "cases.csv": CASES})
    (data / "dataset.json").write_text(json.dumps({"kind": "sample", "label_zh": "示例数据"}), encoding="utf-8")
    uploads = tmp_path / "uploads"
    uploads.mkdir()
    (uploads / "cases_more.csv").write_text("case_id,case_type,filed_date,status\nC9,行政复议,2022-05-05,在办\n",
                                            encoding="utf-8")
    (uploads / "manifest.json").write_text(json.dumps({"cases_more.csv": {"seq": 1}}), encoding="utf-8")  # builds read listed uploads only
    result = build(data, tmp_path / "w.duckdb")
    assert (result.dataset_kind, result.dataset_label) == ("sample", "示例数据")
    assert query(tmp_path / "w.duckdb", "SELECT source_file FROM stg_cases WHERE case_id = 'C9'") == [
        ("uploads/cases_more.csv",)]


def test_failing_data_test_publishes_nothing(tmp_path, monkeypatch):
    data = folder(tmp_path, {"communities.csv": COMMUNITIES, "cases.csv": CASES})
    real_marts = etl.build.build_marts

    def marts_with_unknown_indicator(con):
        real_marts(con)
        con.execute("INSERT INTO mart_indicator_values (indicator_id, year) VALUES ('made_up', 2022)")

    monkeypatch.setattr(etl.build, "build_marts", marts_with_unknown_indicator)
    with pytest.raises(BuildError, match="mart_indicator_values：有 1 个指标编号不在指标目录中"):
        build(data, tmp_path / "w.duckdb")
    assert sorted(p.name for p in tmp_path.iterdir()) == [".w.duckdb.lock", "data"]   # the publish lock stays


def test_data_tests_name_each_failure(tmp_path):
    data = folder(tmp_path, {"communities.csv": COMMUNITIES, "cases.csv": CASES})
    db = tmp_path / "w.duckdb"
    build(data, db)
    con = duckdb.connect(str(db))
    assert failures(con) == []
    con.execute("INSERT INTO stg_cases (case_id, case_type, filed_date, status, subdistrict, source_file) "
                "SELECT case_id, '行政裁决', filed_date, status, subdistrict, 'cases.csv' FROM stg_cases WHERE case_id = 'C2'")
    con.execute("UPDATE stg_communities SET name = NULL")
    assert failures(con) == [
        "stg_communities：必填字段 name 有 1 行为空",
        'stg_cases：键（"case_id", "subdistrict"）有 1 组重复',
        "stg_cases：字段 case_type 有 1 行不是允许值",
        "cases.csv：读取 3 行，但载入 + 拒绝 = 4 行",
    ]
    con.close()


def test_preview_builds_a_work_file_and_leaves_the_live_one(tmp_path):
    data = folder(tmp_path, {"communities.csv": COMMUNITIES, "cases.csv": CASES})
    live = tmp_path / "live" / "w.duckdb"
    build(data, live)
    extra = tmp_path / "cases_new.csv"
    extra.write_text("case_id,case_type,filed_date,status\nC8,行政复议,2022-05-05,在办\n", encoding="utf-8")
    result = preview(data, [extra], work_db=tmp_path / "work.duckdb", live_db=live)
    assert result.rows_loaded == 4
    assert query(tmp_path / "work.duckdb", "SELECT count(*) FROM stg_cases") == [(3,)]
    assert query(tmp_path / "work.duckdb", "SELECT status FROM etl_runs ORDER BY finished_at") == [
        ("published",), ("preview",)]
    assert query(live, "SELECT count(*) FROM stg_cases") == [(2,)]


def test_check_validates_without_writing(tmp_path):
    data = folder(tmp_path, {"communities.csv": COMMUNITIES, "cases.csv": CASES_UNKNOWN_COMMUNITY})
    assert check([data / "cases.csv", data / "communities.csv"]) == [
        Problem("cases.csv", 3, "community", "社区“近江”不在社区名录中"),
        Problem("cases.csv", 4, "filed_date", "收案日期“2022-13-01”不是有效日期")]
    assert check([data / "cases.csv"], db=tmp_path / "none.duckdb") == [
        Problem("cases.csv", 4, "filed_date", "收案日期“2022-13-01”不是有效日期"),
        Problem("", None, "community", "未提供社区名录（文件中没有社区名录，也没有可用的数据库），社区校验已跳过", "skipped")]
    assert sorted(p.name for p in tmp_path.iterdir()) == ["data"]


def test_check_takes_communities_from_the_database(tmp_path):
    data = folder(tmp_path, {"communities.csv": COMMUNITIES, "cases.csv": CASES_UNKNOWN_COMMUNITY})
    build(data, tmp_path / "w.duckdb")
    assert [p.reason for p in check([data / "cases.csv"], db=tmp_path / "w.duckdb")] == [
        "社区“近江”不在社区名录中", "收案日期“2022-13-01”不是有效日期"]
