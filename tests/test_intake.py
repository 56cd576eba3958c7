"""Intake: checking uploads, preview without side effects, confirm, cancel, duplicates, rollback."""
from __future__ import annotations

import hashlib
import io
import json
import os
import time
from pathlib import Path

import duckdb
import pytest
from openpyxl import Workbook

from etl import intake
from etl.build import build
from etl.errors import EtlError
from etl.publish import list_snapshots, rollback

COMMUNITIES = "社区编号,社区名称,别名,街道,区\nNX01,馒头山社区,馒头山,南星街道,上城区\n"
CASES = ("案件编号,案件类型,收案日期,结案日期,状态,结果,是否开庭,负责人是否出庭,化解方式\n"
         "XZSS-2022-001,行政诉讼,2022-03-01,2022-09-01,审结,胜诉,是,是,判决\n")
NEW_CASES = ("案件编号,案件类型,收案日期,结案日期,状态,结果,是否开庭,负责人是否出庭,化解方式,社区\n"
             "XZSS-2022-002,行政诉讼,2022/5/1,2022年8月1日,审结,败诉,是,否,判决,馒头山\n"
             "XZSS-2022-003,行政诉讼,2022-13-01,,在办,,,,,\n"
             "XZSS-2022-004,行政诉讼,2022-06-01,,在办,,,,,火星社区\n").encode()


@pytest.fixture
def live(tmp_path) -> Path:
    data = tmp_path / "data"
    data.mkdir()
    (data / "communities.csv").write_text(COMMUNITIES, encoding="utf-8")
    (data / "cases.csv").write_text(CASES, encoding="utf-8")
    (data / "targets.csv").write_text("指标编号,年度,范围,目标值,红线值\nleader_appearance_rate,2022,街道,100,90\n",
                                      encoding="utf-8")
    db = tmp_path / "db" / "warehouse.duckdb"
    build(data, db)
    return db


def file_digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def mart(db: Path) -> list[tuple]:
    with intake.open_database(db) as con:
        return con.execute("SELECT indicator_id, year, community_id, value, numerator, denominator, status "
                           "FROM mart_indicator_values ORDER BY ALL").fetchall()


def whole(db: Path, indicator_id: str, year: int):
    with intake.open_database(db) as con:
        return con.execute("SELECT value FROM mart_indicator_values WHERE indicator_id = ? AND year = ? "
                           "AND community_id IS NULL", [indicator_id, year]).fetchone()[0]


# ---- checking uploads --------------------------------------------------------------------------

def test_refusals_say_why_in_chinese():
    assert intake.inspect_upload("notes.txt", b"hello").refusal == \
        "“notes.txt”不是 CSV 或 XLSX 文件，未导入（只接受 .csv 和 .xlsx）。"
    big = intake.inspect_upload("cases.csv", b"x" * (intake.MAX_BYTES + 1))
    assert big.refusal == "“cases.csv”大小 50.0 MB，超过 50 MB 上限，未导入。"
    assert intake.inspect_upload("cases.xlsx", b"PK not a zip").refusal == \
        "“cases.xlsx”无法读取，未导入：不是有效的 Excel (.xlsx) 文件（BadZipFile）"
    assert intake.inspect_upload("台账.csv", "姓名,电话\n张三,123\n".encode()).refusal == \
        "“台账.csv”无法读取，未导入：无法识别记录类型：文件名不以记录类型开头，表头也不匹配任何记录类型"


def test_type_from_name_then_headers_and_user_choice_wins():
    by_name = intake.inspect_upload("outreach_q1.csv", "活动编号,日期,活动类型\nPF-1,2022-01-01,便民活动\n".encode())
    assert (by_name.record_type, by_name.recognised_type, by_name.rows, by_name.refusal) == ("outreach", "outreach", 1, None)
    by_headers = intake.inspect_upload("台账.csv", NEW_CASES)
    assert (by_headers.record_type, by_headers.rows) == ("cases", 3)
    book = Workbook()
    book.active.append(["编号", "日期", "公开方式"])
    book.active.append(["GK-1", "2022-01-01", "主动公开"])
    buffer = io.BytesIO()
    book.save(buffer)
    chosen = intake.inspect_upload("台账.xlsx", buffer.getvalue(), "outreach")
    assert (chosen.recognised_type, chosen.record_type, chosen.refusal) == ("disclosures", "outreach", None)
    assert chosen.message == "缺少必填列“活动编号”（activity_id）、“活动类型”（activity_type），全部行被拒绝；忽略未知列：编号、公开方式"
    assert chosen.stored_name == f"outreach_{hashlib.sha256(buffer.getvalue()).hexdigest()}.xlsx"


# ---- preview, cancel, confirm -------------------------------------------------------------------

def test_preview_reports_rows_rejects_and_indicators_and_changes_nothing(live):
    before_file, before_mart = file_digest(live), mart(live)
    preview = intake.preview_import(live, [intake.inspect_upload("新案件.csv", NEW_CASES)])
    [outcome] = preview.files
    assert (outcome.rows_read, outcome.rows_loaded, outcome.rows_rejected) == (3, 1, 2)
    assert outcome.rejects.values.tolist() == [
        [3, "filed_date", "2022-13-01", "收案日期“2022-13-01”不是有效日期", "invalid"],
        [4, "community", "火星社区", "社区“火星社区”不在社区名录中", "invalid"],
    ]
    assert preview.years == [2022]
    changed = preview.indicators[preview.indicators["changed"]]
    assert {r.indicator_id: (r.before, r.after) for r in changed.itertuples()} == {
        "litigation_cases_new": (1, 2), "litigation_concluded": (1, 2),
        "litigation_loss_rate": (0, 50), "leader_appearance_rate": (100, 50),
    }
    assert changed.set_index("indicator_id").loc["leader_appearance_rate", ["status_before", "status_after"]].tolist() \
        == ["green", "red"]
    # Nothing of the live side moved: same file, same values, no upload kept.
    assert (file_digest(live), mart(live)) == (before_file, before_mart)
    assert not intake.uploads_dir(live).exists()
    intake.cancel_import(preview)
    assert not preview.work_dir.exists()
    assert (file_digest(live), mart(live)) == (before_file, before_mart)


def test_confirm_keeps_the_file_by_checksum_and_publishes(live):
    upload = intake.inspect_upload("新案件.csv", NEW_CASES)
    stages = []
    result = intake.confirm_import(intake.preview_import(live, [upload]), lambda f, s: stages.append(s))
    assert stages == list(intake.PROGRESS_STAGES)
    stored = intake.uploads_dir(live) / f"cases_{hashlib.sha256(NEW_CASES).hexdigest()}.csv"
    assert stored.read_bytes() == NEW_CASES
    manifest = json.loads((intake.uploads_dir(live) / intake.MANIFEST).read_text(encoding="utf-8"))
    assert manifest[stored.name]["original_name"] == "新案件.csv"
    assert whole(live, "litigation_cases_new", 2022) == 2
    with intake.open_database(live) as con:
        assert con.execute("SELECT rows_read, rows_loaded, rows_rejected FROM etl_files WHERE run_id = ? "
                           "AND source_file = ?", [result.run_id, f"uploads/{stored.name}"]).fetchall() == [(3, 1, 2)]
        # Every loaded row names the kept file it came from.
        assert con.execute("SELECT case_id, source_file, source_row FROM stg_cases WHERE source_file LIKE 'uploads/%'"
                           ).fetchall() == [("XZSS-2022-002", f"uploads/{stored.name}", 2)]


def test_the_same_file_twice_adds_nothing(live):
    intake.confirm_import(intake.preview_import(live, [intake.inspect_upload("新案件.csv", NEW_CASES)]))
    before_file = file_digest(live)
    again = intake.preview_import(live, [intake.inspect_upload("再次上传.csv", NEW_CASES)])
    assert (again.uploads, [u.name for u in again.already_kept], again.years) == ([], ["再次上传.csv"], [])
    assert again.indicators.empty
    with pytest.raises(EtlError, match="没有需要导入的新文件"):
        intake.confirm_import(again)
    assert file_digest(live) == before_file
    assert len(intake.kept_upload_files(live)) == 1
    intake.cancel_import(again)


def test_a_refused_upload_changes_nothing(live):
    before_file = file_digest(live)
    refused = intake.inspect_upload("notes.txt", b"hello")
    preview = intake.preview_import(live, [refused])
    assert (preview.uploads, preview.files, preview.years) == ([], [], [])
    with pytest.raises(EtlError):
        intake.confirm_import(preview)
    assert file_digest(live) == before_file
    assert not intake.uploads_dir(live).exists()
    intake.cancel_import(preview)


def test_rollback_restores_the_exact_earlier_indicator_values(live):
    before = mart(live)
    intake.confirm_import(intake.preview_import(live, [intake.inspect_upload("新案件.csv", NEW_CASES)]))
    assert mart(live) != before
    [snapshot] = list_snapshots(live)
    rollback(live, snapshot.run_id)
    assert mart(live) == before


def test_first_data_through_intake_when_there_is_no_database(tmp_path):
    live = tmp_path / "warehouse.duckdb"
    uploads = [intake.inspect_upload("communities.csv", COMMUNITIES.encode()),
               intake.inspect_upload("cases.csv", CASES.encode())]
    preview = intake.preview_import(live, uploads)
    assert [(o.rows_read, o.rows_loaded) for o in preview.files] == [(1, 1), (1, 1)]
    intake.confirm_import(preview)
    assert whole(live, "litigation_cases_new", 2022) == 1
    assert intake.current_data_dir(live) is None


def test_open_database_reads_a_replaced_file_not_a_cached_one(tmp_path):
    path = tmp_path / "x.duckdb"
    for value in (1, 2):
        new = tmp_path / f"new{value}.duckdb"
        con = duckdb.connect(str(new))
        con.execute("CREATE TABLE t AS SELECT ? AS v", [value])
        con.close()
        new.replace(path)
        if value == 1:
            held = duckdb.connect(str(path), read_only=True)   # like the app's cached connection
    with intake.open_database(path) as con:
        assert con.execute("SELECT v FROM t").fetchone() == (2,)
    held.close()


def test_abandoned_previews_are_swept_after_a_day(live):
    abandoned = intake.preview_import(live, [intake.inspect_upload("cases_y.csv", NEW_CASES)])
    recent = intake.preview_import(live, [intake.inspect_upload("cases_z.csv", NEW_CASES)])
    day_old = time.time() - 25 * 3600
    os.utime(abandoned.work_dir, (day_old, day_old))
    newest = intake.preview_import(live, [intake.inspect_upload("cases_w.csv", NEW_CASES)])
    assert (abandoned.work_dir.exists(), recent.work_dir.exists(), newest.work_dir.exists()) == (False, True, True)
    intake.cancel_import(recent)
    intake.cancel_import(newest)


def test_preview_reports_gi_table_checks_that_the_import_breaks(live):
    published = ("年度,表格,行,列,数值\n"
                 "2023,表三,一、本年新收政府信息公开申请数量,总计,3\n"
                 "2023,表三,（一）予以公开,总计,2\n"
                 "2023,表三,（七）总计,总计,2\n").encode()
    preview = intake.preview_import(live, [intake.inspect_upload("gi_annual_2023.csv", published)])
    assert preview.years == [2023]
    assert preview.gi_checks == ["2023年表三“总计”列：本年新收 3 + 上年结转 0 = 3，但总计 2 + 结转下年度 0 = 2。"]
    intake.cancel_import(preview)


def test_after_a_restore_the_withdrawn_upload_stays_out_of_later_imports(live):
    first = intake.inspect_upload("first.csv", NEW_CASES)
    intake.confirm_import(intake.preview_import(live, [first]))
    second_rows = NEW_CASES.replace(b"XZSS-2022-00", b"XZSS-2022-01")
    second = intake.inspect_upload("second.csv", second_rows)
    second_run = intake.confirm_import(intake.preview_import(live, [second])).run_id
    assert whole(live, "litigation_cases_new", 2022) == 3
    before_second = list_snapshots(live)[0]
    rollback(live, before_second.run_id)
    assert intake.align_uploads(live) == ([second.stored_name], [])
    assert [p.name for p in intake.kept_upload_files(live)] == [first.stored_name]
    third = NEW_CASES.replace(b"XZSS-2022-00", b"XZSS-2022-02")
    preview = intake.preview_import(live, [intake.inspect_upload("third.csv", third)])
    assert preview.indicators.set_index("indicator_id").loc["litigation_cases_new", ["before", "after"]].tolist() \
        == [2, 3]
    intake.cancel_import(preview)
    # Undoing the restore (the database it replaced was kept as a snapshot) brings the upload back.
    rollback(live, second_run)
    assert intake.align_uploads(live) == ([], [second.stored_name])
    assert whole(live, "litigation_cases_new", 2022) == 3
    assert sorted(p.name for p in intake.kept_upload_files(live)) == sorted([first.stored_name, second.stored_name])


def test_rollback_command_withdraws_uploads_too(live, capsys):
    from etl.__main__ import main as etl_main

    upload = intake.inspect_upload("first.csv", NEW_CASES)
    intake.confirm_import(intake.preview_import(live, [upload]))
    [snapshot] = list_snapshots(live)
    assert etl_main(["rollback", snapshot.run_id, "--db", str(live)]) == 0
    assert capsys.readouterr().out.splitlines()[-1] == \
        f"恢复后的数据库未载入的上传文件已移入 uploads/withdrawn，之后的构建不会再读取：{upload.stored_name}"
    assert intake.kept_upload_files(live) == []
