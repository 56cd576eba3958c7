"""Atomic publish, snapshots and rollback."""
from __future__ import annotations

import duckdb
import pytest

import etl.build
import etl.publish
from etl.build import build
from etl.errors import BuildError, EtlError
from etl.publish import list_snapshots, rollback

COMMUNITIES = "community_id,name,aliases,subdistrict,district\nNX01,馒头山社区,,南星街道,上城区\n"


def write_cases(data, n: int) -> None:
    """`n` new administrative lawsuits in 2022: litigation_cases_new becomes n."""
    data.mkdir(exist_ok=True)
    (data / "communities.csv").write_text(COMMUNITIES, encoding="utf-8")
    rows = "".join(f"C{i},行政诉讼,2022-03-0{i},在办\n" for i in range(1, n + 1))
    (data / "cases.csv").write_text("case_id,case_type,filed_date,status\n" + rows, encoding="utf-8")


def litigation_2022(db) -> float:
    con = duckdb.connect(str(db), read_only=True)
    try:
        return con.execute("SELECT value FROM mart_indicator_values WHERE indicator_id = 'litigation_cases_new' "
                           "AND year = 2022 AND community_id IS NULL").fetchone()[0]
    finally:
        con.close()


def test_failure_half_way_leaves_the_old_database_answering(tmp_path, monkeypatch):
    data, db = tmp_path / "data", tmp_path / "w.duckdb"
    write_cases(data, 1)
    build(data, db)
    write_cases(data, 3)

    def fail(con):
        raise RuntimeError("disk full half-way")

    monkeypatch.setattr(etl.build, "build_marts", fail)
    with pytest.raises(RuntimeError, match="disk full half-way"):
        build(data, db)
    assert litigation_2022(db) == 1
    assert sorted(p.name for p in tmp_path.iterdir()) == [".w.duckdb.lock", "data", "w.duckdb"]   # no half-built file left


def test_failure_in_the_replace_itself_leaves_the_old_database(tmp_path, monkeypatch):
    data, db = tmp_path / "data", tmp_path / "w.duckdb"
    write_cases(data, 1)
    build(data, db)
    write_cases(data, 2)

    def replace_fails(src, dst):
        raise OSError("replace failed")

    monkeypatch.setattr(etl.publish.os, "replace", replace_fails)
    with pytest.raises(BuildError, match="构建或发布时出错，未发布，原数据库保持不变：replace failed"):
        build(data, db)
    assert litigation_2022(db) == 1


def test_each_publish_snapshots_the_file_it_replaces(tmp_path):
    data, db = tmp_path / "data", tmp_path / "w.duckdb"
    runs = []
    for n in (1, 2, 3):
        write_cases(data, n)
        runs.append(build(data, db).run_id)
    snapshots = list_snapshots(db)
    assert [s.run_id for s in snapshots] == [runs[1], runs[0]]
    assert [litigation_2022(s.path) for s in snapshots] == [2, 1]
    assert snapshots[0].status == "published"


def test_only_the_newest_snapshots_are_kept(tmp_path, monkeypatch):
    monkeypatch.setattr(etl.publish, "KEEP_SNAPSHOTS", 2)
    data, db = tmp_path / "data", tmp_path / "w.duckdb"
    runs = []
    for n in (1, 2, 3, 4):
        write_cases(data, n)
        runs.append(build(data, db).run_id)
    assert [s.run_id for s in list_snapshots(db)] == [runs[2], runs[1]]


def test_rollback_restores_the_exact_earlier_values_and_keeps_history(tmp_path):
    data, db = tmp_path / "data", tmp_path / "w.duckdb"
    write_cases(data, 1)
    first = build(data, db).run_id
    write_cases(data, 2)
    second = build(data, db).run_id
    restored = rollback(db, first)
    assert litigation_2022(db) == 1
    assert [s.run_id for s in list_snapshots(db)] == [second, first]
    con = duckdb.connect(str(db), read_only=True)
    assert con.execute("SELECT run_id, status FROM etl_runs ORDER BY finished_at").fetchall() == [
        (first, "published"), (second, "published"), (restored, f"rollback:{first}")]
    assert con.execute("SELECT source_file FROM etl_files WHERE run_id = ? ORDER BY 1", [restored]).fetchall() == [
        ("cases.csv",), ("communities.csv",)]
    con.close()
    rollback(db, second)                      # and forward again
    assert litigation_2022(db) == 2


def test_rollback_to_an_unknown_run_names_the_known_ones(tmp_path):
    data, db = tmp_path / "data", tmp_path / "w.duckdb"
    write_cases(data, 1)
    first = build(data, db).run_id
    build(data, db)
    with pytest.raises(EtlError, match=f"没有运行“nope”的快照（现有快照：{first}）"):
        rollback(db, "nope")
