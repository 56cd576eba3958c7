"""Incremental staging (etl.reuse): unchanged files reuse the published database's staged rows; a
changed file is read again; a changed communities file or staging code forces a full re-stage; the
result equals a full build."""
from __future__ import annotations

import duckdb
import pytest

import etl.reuse
from etl.build import build, preview
from etl.reuse import NOTE_FULL, WHY_BASIS, WHY_DEPENDENCIES

COMMUNITIES = ("community_id,name,aliases,subdistrict,district\n"
               "NX01,馒头山社区,馒头山,南星街道,上城区\nNX02,海月桥社区,海月桥,南星街道,上城区\n")
CASES_A = ("case_id,case_type,filed_date,closed_date,status,outcome,community\n"
           "A1,行政诉讼,2022-03-01,2022-06-01,审结,胜诉,馒头山\n"
           "A2,行政复议,2022/4/1,,在办,,海月桥社区\n"
           "A3,行政诉讼,2022-13-01,,在办,,\n")            # invalid date: an invalid reject
CASES_B = ("case_id,case_type,filed_date,closed_date,status,outcome,community\n"
           "B1,行政诉讼,2023-03-01,2023-06-01,审结,败诉,NX02\n"
           "B2,矛盾纠纷调解,2023-05-01,,在办,,近江\n")      # unknown community: an invalid reject
OUTREACH = ("activity_id,date,activity_type,community,participants\n"
            "P1,2022-06-10,专题学法,馒头山,45\nP2,2023-06-10,法律服务,,12\n")
COMPARED = ("stg_cases", "stg_outreach", "stg_communities", "raw_cases", "raw_outreach", "rejects", "replacements",
            "mart_indicator_values", "mart_scores")


def folder(tmp_path, files: dict[str, str]):
    path = tmp_path / "data"
    path.mkdir(exist_ok=True)
    for name, text in files.items():
        (path / name).write_text(text, encoding="utf-8")
    return path


def rows(db, table: str) -> list[tuple]:
    """A table's rows without load_id (the run that copied a row is not the one that read it), sorted."""
    with duckdb.connect(str(db), read_only=True) as con:
        columns = [c for (c,) in con.execute("SELECT column_name FROM duckdb_columns() WHERE table_name = ? "
                                             "AND column_name <> 'load_id' ORDER BY column_index", [table]).fetchall()]
        return sorted(con.execute(f"SELECT {', '.join(chr(34) + c + chr(34) for c in columns)} FROM {table}").fetchall(),
                      key=repr)


def assert_same_as_full_build(tmp_path, data, db):
    full = build(data, tmp_path / "full.duckdb")
    assert full.reused == []
    for table in COMPARED:
        assert rows(db, table) == rows(tmp_path / "full.duckdb", table), table


@pytest.fixture
def built(tmp_path):
    data = folder(tmp_path, {"communities.csv": COMMUNITIES, "cases_a.csv": CASES_A, "cases_b.csv": CASES_B,
                             "outreach.csv": OUTREACH})
    first = build(data, tmp_path / "w.duckdb")
    assert first.reused == [] and first.notes == []
    return data, tmp_path / "w.duckdb"


def test_unchanged_files_reuse_their_staged_rows_without_being_read(built, tmp_path, monkeypatch):
    data, db = built
    read = []
    real = etl.build.load_file

    def spy(con, path, name, *args, **kwargs):
        read.append(name)
        return real(con, path, name, *args, **kwargs)

    monkeypatch.setattr(etl.build, "load_file", spy)
    monkeypatch.setattr(etl.build, "load_csv_run", lambda con, files, *a: read.extend(n for _, n, _ in files))
    again = build(data, db)
    assert again.reused == ["cases_a.csv", "cases_b.csv", "outreach.csv"]
    assert read == ["communities.csv"]               # communities are always read
    assert again.notes == ["增量暂存：3 个未变更的文件（共 7 行）沿用上一次发布的暂存结果，未重新读取"]
    assert [(f.source_file, f.rows_read, f.rows_loaded, f.rows_rejected) for f in again.files] == [
        ("cases_a.csv", 3, 2, 1), ("cases_b.csv", 2, 1, 1), ("communities.csv", 2, 2, 0), ("outreach.csv", 2, 2, 0)]
    with duckdb.connect(str(db), read_only=True) as con:
        assert con.execute("SELECT DISTINCT load_id FROM stg_cases").fetchall() == [(again.run_id,)]
        assert con.execute("SELECT source_file, source_row, field, kind FROM rejects ORDER BY 1, 2").fetchall() == [
            ("cases_a.csv", 4, "filed_date", "invalid"), ("cases_b.csv", 3, "community", "invalid")]
    monkeypatch.undo()
    assert_same_as_full_build(tmp_path, data, db)


def test_a_changed_file_is_read_again_and_the_others_reused(built, tmp_path):
    data, db = built
    (data / "cases_b.csv").write_text(CASES_B.replace("败诉", "胜诉"), encoding="utf-8")
    again = build(data, db)
    assert again.reused == ["cases_a.csv", "outreach.csv"]
    with duckdb.connect(str(db), read_only=True) as con:
        assert con.execute("SELECT outcome FROM stg_cases WHERE case_id = 'B1'").fetchall() == [("胜诉",)]
    assert_same_as_full_build(tmp_path, data, db)


def test_a_new_file_correcting_a_reused_row_replaces_it_as_a_full_build_would(built, tmp_path):
    data, db = built
    (data / "cases_z.csv").write_text("case_id,case_type,filed_date,status,community\nA1,行政诉讼,2022-03-01,在办,海月桥\n"
                                      "A2,行政复议,2022/4/1,在办,海月桥社区\n", encoding="utf-8")
    again = build(data, db)
    assert "cases_a.csv" in again.reused
    with duckdb.connect(str(db), read_only=True) as con:
        # cases_a.csv comes first by name: its rows stay, the new file's are duplicates of them.
        assert con.execute("SELECT source_file, source_row, kind, value FROM rejects WHERE kind <> 'invalid' "
                           "ORDER BY 1, 2").fetchall() == [("cases_z.csv", 2, "duplicate", "A1"),
                                                           ("cases_z.csv", 3, "duplicate", "A2")]
    assert_same_as_full_build(tmp_path, data, db)
    # Next time cases_a.csv is clean still and reused; cases_z.csv (duplicates) is read again.
    assert "cases_z.csv" not in build(data, db).reused


def test_a_changed_communities_file_forces_a_full_restage(built, tmp_path):
    data, db = built
    (data / "communities.csv").write_text(COMMUNITIES + "NX03,近江社区,近江,南星街道,上城区\n", encoding="utf-8")
    again = build(data, db)
    assert again.reused == []
    assert again.notes == [NOTE_FULL.format(why=WHY_DEPENDENCIES)]
    with duckdb.connect(str(db), read_only=True) as con:   # B2's 近江 is a community now
        assert con.execute("SELECT community_id FROM stg_cases WHERE case_id = 'B2'").fetchall() == [("NX03",)]
    assert_same_as_full_build(tmp_path, data, db)


def test_other_staging_code_forces_a_full_restage(built, tmp_path, monkeypatch):
    data, db = built
    monkeypatch.setattr(etl.reuse, "basis", lambda: {"code:etl/staging.py": "another version"})
    again = build(data, db)
    assert (again.reused, again.notes) == ([], [NOTE_FULL.format(why=WHY_BASIS)])


def test_a_preview_reuses_the_live_databases_rows_and_leaves_it(built, tmp_path):
    data, db = built
    before = db.stat().st_mtime_ns
    result = preview(data, work_db=tmp_path / "preview.duckdb", live_db=db)
    assert result.reused == ["cases_a.csv", "cases_b.csv", "outreach.csv"]
    assert db.stat().st_mtime_ns == before
    assert rows(tmp_path / "preview.duckdb", "stg_cases") == rows(db, "stg_cases")
