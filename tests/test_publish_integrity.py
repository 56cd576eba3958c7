"""Publishing integrity (issue 9, item 4): who and why, serialized publishes, interrupted imports,
corrections by upload order, full or read-only disks."""
from __future__ import annotations

import errno
import getpass
import hashlib
import json
import os
import signal
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

import duckdb
import pytest

import etl.publish
from etl import intake, workfiles
from etl.__main__ import main as etl_main
from etl.build import build
from etl.datatests import failures
from etl.errors import EtlError, PublishBusyError, StorageError
from etl.publish import FileChange, database_summary, list_snapshots, lock_path, publish_lock, rollback
from etl.restore import restore
from etl.staging import create_raw_tables, create_staging_tables, stage

ROOT = Path(__file__).resolve().parent.parent
COMMUNITIES = "社区编号,社区名称,别名,街道,区\nNX01,馒头山社区,馒头山,南星街道,上城区\n"
CASES_HEADER = "案件编号,案件类型,收案日期,状态,社区\n"
CASES = CASES_HEADER + "XZSS-2022-001,行政诉讼,2022-03-01,在办,\n"


def cases(*rows: str) -> bytes:
    return (CASES_HEADER + "".join(row + "\n" for row in rows)).encode()


MANTOUSHAN = cases("XZSS-2022-101,行政诉讼,2022-04-01,在办,馒头山")
BAITALING = cases("XZSS-2022-102,行政诉讼,2022-05-01,在办,")


@pytest.fixture
def folders(tmp_path, monkeypatch) -> tuple[Path, Path]:
    """(data folder, live database) after a first build by carol; previews go to a temp folder of this test."""
    scratch = tmp_path / "tmp"
    scratch.mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(scratch))
    data = tmp_path / "data"
    data.mkdir()
    (data / "communities.csv").write_text(COMMUNITIES, encoding="utf-8")
    (data / "cases.csv").write_text(CASES, encoding="utf-8")
    db = tmp_path / "db" / "warehouse.duckdb"
    build(data, db, actor="carol", reason="首次载入")
    return data, db


def rows(db: Path, sql: str, params: list | None = None) -> list[tuple]:
    with intake.open_database(db) as con:
        return con.execute(sql, params or []).fetchall()


def runs(db: Path) -> list[tuple]:
    return rows(db, "SELECT run_id, status, actor, reason FROM etl_runs ORDER BY finished_at")


def imported(db: Path, name: str, data: bytes, **who):
    return intake.confirm_import(intake.preview_import(db, [intake.inspect_upload(name, data)]), **who)


def stored(data: bytes) -> str:
    return f"cases_{hashlib.sha256(data).hexdigest()}.csv"


def read_manifest(db: Path) -> dict:
    path = intake.uploads_dir(db) / intake.MANIFEST
    return json.loads(path.read_text(encoding="utf-8")) if path.exists() else {}


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


# ---- who and why; what each snapshot changed ------------------------------------------------------

def test_every_publish_and_restore_records_who_and_why(folders):
    data, db = folders
    [first] = [r[0] for r in runs(db)]
    second = imported(db, "馒头山_案件.csv", MANTOUSHAN, actor="alice", reason="补录馒头山社区案件").run_id
    restored, withdrawn, _ = restore(db, first, actor="bob", reason="补录有误，撤回")
    assert runs(db) == [(first, "published", "carol", "首次载入"), (second, "published", "alice", "补录馒头山社区案件"),
                        (restored, f"rollback:{first}", "bob", "补录有误，撤回")]
    entry = read_manifest(db)[stored(MANTOUSHAN)]
    assert (entry["original_name"], entry["uploaded_by"], entry["reason"]) == ("馒头山_案件.csv", "alice", "补录馒头山社区案件")
    assert withdrawn == [stored(MANTOUSHAN)]


def test_command_line_publishes_record_the_os_user(tmp_path, capsys):
    data = tmp_path / "data"
    data.mkdir()
    (data / "communities.csv").write_text(COMMUNITIES, encoding="utf-8")
    db = str(tmp_path / "w.duckdb")
    assert etl_main(["build", "--data", str(data), "--db", db]) == 0
    assert etl_main(["build", "--data", str(data), "--db", db, "--reason", "年度重建"]) == 0
    first = runs(Path(db))[0][0]
    assert etl_main(["rollback", first, "--db", db, "--reason", "回到第一次构建"]) == 0
    me = f"os:{getpass.getuser()}"
    assert [(status, actor, reason) for _, status, actor, reason in runs(Path(db))] == [
        ("published", me, None), ("published", me, "年度重建"), (f"rollback:{first}", me, "回到第一次构建")]


def test_each_snapshot_says_what_changed_so_the_one_before_an_import_can_be_found(folders, capsys):
    data, db = folders
    [first] = [r[0] for r in runs(db)]
    second = imported(db, "馒头山_案件.csv", MANTOUSHAN, actor="alice", reason="补录馒头山社区案件").run_id
    build(data, db, actor="carol", reason="例行重建")
    snapshots = list_snapshots(db)
    assert [s.run_id for s in snapshots] == [second, first]
    upload = f"uploads/{stored(MANTOUSHAN)}"
    assert (snapshots[0].actor, snapshots[0].reason, snapshots[0].changes) == (
        "alice", "补录馒头山社区案件", (FileChange("added", upload, "馒头山_案件.csv", "cases", 1, 1, 0),))
    assert snapshots[1].changes == (FileChange("added", "cases.csv", None, "cases", 1, 1, 0),
                                    FileChange("added", "communities.csv", None, "communities", 1, 1, 0))
    assert database_summary(db).changes == ()          # the rebuild changed no file
    # "The one before the 馒头山 import": the snapshot after the one that added it.
    i = next(i for i, s in enumerate(snapshots) if any(c.name == "馒头山_案件.csv" for c in s.changes))
    assert snapshots[i + 1].run_id == first

    assert etl_main(["snapshots", "--db", str(db)]) == 0
    lines = capsys.readouterr().out.splitlines()
    finished = snapshots[0].finished_at.strftime("%Y-%m-%d %H:%M:%S UTC")
    assert lines[2] == (f"  {second}  {finished}  载入 3 行  published  操作人 alice  原因“补录馒头山社区案件”  "
                        f"变化：新增“馒头山_案件.csv”（读取 1 行，载入 1 行）")
    assert lines[3].split()[0] == first

    restored, _, _ = restore(db, first, actor="bob", reason="补录有误，撤回")
    summary = database_summary(db)
    assert (summary.run_id, summary.actor, summary.reason, summary.changes) == (
        restored, "bob", "补录有误，撤回", (FileChange("removed", upload, "馒头山_案件.csv", "cases", 1, 1, 0),))


def test_old_databases_without_the_new_columns_still_read(tmp_path):
    data, db = tmp_path / "data", tmp_path / "w.duckdb"
    data.mkdir()
    (data / "communities.csv").write_text(COMMUNITIES, encoding="utf-8")
    (data / "cases.csv").write_text(CASES, encoding="utf-8")
    first = build(data, db).run_id
    con = duckdb.connect(str(db))            # as a database written before actor, reason and original_name
    con.execute("ALTER TABLE etl_runs DROP COLUMN actor")
    con.execute("ALTER TABLE etl_runs DROP COLUMN reason")
    con.execute("ALTER TABLE etl_files DROP COLUMN original_name")
    con.close()
    assert (database_summary(db).actor, database_summary(db).reason) == (None, None)
    second = build(data, db, actor="carol", reason="升级后重建").run_id
    [old] = list_snapshots(db)
    assert (old.run_id, old.actor, old.reason, [c.source_file for c in old.changes]) == (
        first, None, None, ["cases.csv", "communities.csv"])
    third = rollback(db, first, actor="bob", reason="回到旧库")
    assert runs(db) == [(first, "published", None, None), (second, "published", "carol", "升级后重建"),
                        (third, f"rollback:{first}", "bob", "回到旧库")]


# ---- serialized publishes ---------------------------------------------------------------------------

def worker(db: Path, upload: Path, run: Path, block: str = "") -> subprocess.Popen:
    args = [sys.executable, str(ROOT / "tests" / "publish_worker.py"), str(db), str(upload),
            str(run / f"ready-{upload.stem}"), str(run / "go")]
    if block:
        args += [block, str(run / "blocked")]
    env = {**os.environ, "TMPDIR": tempfile.gettempdir()}
    return subprocess.Popen(args, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env)


def wait_for(path: Path, process: subprocess.Popen, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while not path.exists():
        assert process.poll() is None, process.communicate()
        assert time.monotonic() < deadline, f"{path.name} never appeared"
        time.sleep(0.01)


def test_two_imports_confirmed_at_the_same_moment_both_land(folders, tmp_path):
    data, db = folders
    run = tmp_path / "run"
    run.mkdir()
    (run / "馒头山_案件.csv").write_bytes(MANTOUSHAN)
    (run / "白塔岭_案件.csv").write_bytes(BAITALING)
    workers = [worker(db, run / "馒头山_案件.csv", run), worker(db, run / "白塔岭_案件.csv", run)]
    for w, name in zip(workers, ("馒头山_案件", "白塔岭_案件")):
        wait_for(run / f"ready-{name}", w)
    (run / "go").touch()
    results = [json.loads(w.communicate(timeout=120)[0]) for w in workers]
    assert all("run_id" in r for r in results), results
    published = {r[0] for r in runs(db)}
    assert {r["run_id"] for r in results} <= published and len(published) == 3
    assert sorted(e["original_name"] for e in read_manifest(db).values()) == ["白塔岭_案件.csv", "馒头山_案件.csv"]
    assert rows(db, "SELECT case_id FROM stg_cases ORDER BY 1") == [
        ("XZSS-2022-001",), ("XZSS-2022-101",), ("XZSS-2022-102",)]


def hold_lock(db: Path, seconds: float | None = None) -> tuple[threading.Thread, threading.Event, threading.Event]:
    """Another thread (its own lock file handle) holds the publish lock until `release` is set or `seconds` pass."""
    held, release = threading.Event(), threading.Event()

    def hold():
        with publish_lock(db):
            held.set()
            release.wait(seconds)

    thread = threading.Thread(target=hold)
    thread.start()
    held.wait(10)
    return thread, held, release


def test_a_second_publish_waits_for_the_first(folders):
    data, db = folders
    thread, _, _ = hold_lock(db, seconds=0.5)
    started = time.monotonic()
    result = build(data, db)
    assert time.monotonic() - started >= 0.4
    assert result.run_id in {r[0] for r in runs(db)}
    thread.join()


def test_a_publish_that_waits_too_long_is_told_to_retry_and_changes_nothing(folders, monkeypatch):
    data, db = folders
    preview = intake.preview_import(db, [intake.inspect_upload("馒头山_案件.csv", MANTOUSHAN)])
    [first] = [r[0] for r in runs(db)]
    before = digest(db)
    monkeypatch.setattr(etl.publish, "LOCK_WAIT_S", 0.2)
    thread, _, release = hold_lock(db)
    message = "另一项发布（构建、导入或恢复）正在进行，等待 0.2 秒后仍未结束；数据库未作更改，请稍后重试。"
    try:
        for attempt in (lambda: build(data, db), lambda: intake.confirm_import(preview),
                        lambda: restore(db, first, actor="bob", reason="r")):
            with pytest.raises(PublishBusyError) as caught:
                attempt()
            assert str(caught.value) == message
    finally:
        release.set()
        thread.join()
    assert digest(db) == before and not intake.uploads_dir(db).exists()
    assert lock_path(db) == db.parent / ".warehouse.duckdb.lock"
    intake.confirm_import(preview)               # the preview is still there: retrying works
    assert rows(db, "SELECT count(*) FROM stg_cases") == [(2,)]


def test_a_first_import_creates_the_database_folder(tmp_path):
    db = tmp_path / "new" / "warehouse.duckdb"
    uploads = [intake.inspect_upload("communities.csv", COMMUNITIES.encode()), intake.inspect_upload("案件.csv", MANTOUSHAN)]
    intake.confirm_import(intake.preview_import(db, uploads), actor="alice", reason="首批数据")
    assert runs(db)[0][1:] == ("published", "alice", "首批数据")
    assert rows(db, "SELECT case_id FROM stg_cases") == [("XZSS-2022-101",)]


# ---- an interrupted import is never published unrecorded -----------------------------------------

@pytest.mark.parametrize("step, block", [("saving the upload", "os:fsync"),
                                         ("building", "etl.build:assert_data_tests")])
def test_an_import_killed_before_publishing_leaves_nothing_a_later_build_publishes(folders, tmp_path, step, block):
    data, db = folders
    run = tmp_path / "run"
    run.mkdir()
    (run / "馒头山_案件.csv").write_bytes(MANTOUSHAN)
    w = worker(db, run / "馒头山_案件.csv", run, block)
    wait_for(run / "ready-馒头山_案件", w)
    (run / "go").touch()
    wait_for(run / "blocked", w)
    w.send_signal(signal.SIGKILL)
    w.wait()
    build(data, db)
    assert rows(db, "SELECT case_id FROM stg_cases") == [("XZSS-2022-001",)]
    assert read_manifest(db) == {}
    assert [p.name for p in intake.uploads_dir(db).iterdir() if p.name != intake.MANIFEST] == []
    assert sorted(p.name for p in db.parent.iterdir()) == [
        ".warehouse.duckdb.lock", "snapshots", "uploads", "warehouse.duckdb"]
    assert list(Path(tempfile.gettempdir()).iterdir()) == []          # the killed preview's folder


def test_an_import_killed_after_publishing_is_recorded_by_the_next_build(folders, tmp_path):
    data, db = folders
    run = tmp_path / "run"
    run.mkdir()
    (run / "馒头山_案件.csv").write_bytes(MANTOUSHAN)
    w = worker(db, run / "馒头山_案件.csv", run, "etl.manifest:commit")
    wait_for(run / "ready-馒头山_案件", w)
    (run / "go").touch()
    wait_for(run / "blocked", w)
    w.send_signal(signal.SIGKILL)
    w.wait()
    build(data, db)
    assert rows(db, "SELECT case_id FROM stg_cases ORDER BY 1") == [("XZSS-2022-001",), ("XZSS-2022-101",)]
    entry = read_manifest(db)[stored(MANTOUSHAN)]
    assert (entry["original_name"], entry["uploaded_by"], "pending" in entry) == ("馒头山_案件.csv", "worker:馒头山_案件", False)


def test_a_build_cleans_what_killed_processes_left_but_not_what_is_in_use(folders):
    data, db = folders
    in_use = intake.preview_import(db, [intake.inspect_upload("馒头山_案件.csv", MANTOUSHAN)])
    dead = Path(tempfile.mkdtemp(prefix=workfiles.PREVIEW_PREFIX))       # a preview whose process died
    (dead / workfiles.HOLD_FILE).write_text("12345", encoding="utf-8")
    new = db.parent / ".warehouse.duckdb.20260101T000000.000000Z.new"
    new.write_bytes(b"half a database")
    new.with_name(new.name + ".wal").write_bytes(b"wal")
    uploads = intake.uploads_dir(db)
    uploads.mkdir()
    (uploads / f".{stored(BAITALING)}.999.tmp").write_bytes(BAITALING[:10])     # half-written
    (uploads / stored(BAITALING)).write_bytes(BAITALING)                         # never in the manifest
    build(data, db)
    assert sorted(p.name for p in db.parent.iterdir()) == [
        ".warehouse.duckdb.lock", "snapshots", "uploads", "warehouse.duckdb"]
    assert list(uploads.iterdir()) == []
    assert (in_use.work_dir.exists(), dead.exists()) == (True, False)
    assert rows(db, "SELECT case_id FROM stg_cases") == [("XZSS-2022-001",)]
    intake.confirm_import(in_use)
    assert rows(db, "SELECT case_id FROM stg_cases ORDER BY 1") == [("XZSS-2022-001",), ("XZSS-2022-101",)]


def test_builds_read_only_the_uploads_the_manifest_lists(folders):
    data, db = folders
    imported(db, "馒头山_案件.csv", MANTOUSHAN)
    (intake.uploads_dir(db) / stored(BAITALING)).write_bytes(BAITALING)      # copied in by hand
    result = build(data, db)
    assert [f.source_file for f in result.files] == ["cases.csv", "communities.csv", f"uploads/{stored(MANTOUSHAN)}"]
    assert [p.name for p in intake.kept_upload_files(db)] == [stored(MANTOUSHAN)]


# ---- a correction uploaded later wins ---------------------------------------------------------------

def staged(tmp_path, files: list[tuple[str, str]], order: dict[str, int]) -> duckdb.DuckDBPyConnection:
    from etl.build import load_files
    con = duckdb.connect()
    create_raw_tables(con)
    create_staging_tables(con)
    paths = []
    for name, text in files:
        path = tmp_path / Path(name).name
        path.write_text(text, encoding="utf-8")
        paths.append((path, name))
    loads = load_files(con, paths, "L1")
    stage(con, {load.source_file: load.missing_columns for load in loads}, check_communities=False, file_order=order)
    return con


def test_a_row_of_a_later_file_replaces_the_earlier_one_whatever_the_names(tmp_path):
    header = "case_id,case_type,filed_date,status\n"
    con = staged(tmp_path, [("cases.csv", header + "C1,行政诉讼,2022-01-01,在办\nC2,行政诉讼,2022-01-01,在办\n"),
                            ("uploads/cases_b.csv", header + "C1,行政诉讼,2022-01-03,在办\n"),
                            ("uploads/cases_a.csv", header + "C1,行政诉讼,2022-01-02,在办\nC2,行政诉讼,2022-01-01,在办\n")],
                 {"cases.csv": 0, "uploads/cases_b.csv": 1, "uploads/cases_a.csv": 2})
    assert con.execute("SELECT case_id, filed_date::VARCHAR, source_file FROM stg_cases ORDER BY 1").fetchall() == [
        ("C1", "2022-01-02", "uploads/cases_a.csv"), ("C2", "2022-01-01", "uploads/cases_a.csv")]
    assert con.execute("SELECT source_file, source_row, field, value, reason, kind FROM rejects "
                       "ORDER BY source_file, source_row").fetchall() == [
        ("cases.csv", 2, "case_id", "C1", "案件编号“C1”已由 uploads/cases_a.csv 第2行更正（以后上传的为准）", "replaced"),
        ("cases.csv", 3, "case_id", "C2", "与 uploads/cases_a.csv 第3行完全相同，重复行只计一次", "duplicate"),
        ("uploads/cases_b.csv", 2, "case_id", "C1", "案件编号“C1”已由 uploads/cases_a.csv 第2行更正（以后上传的为准）",
         "replaced")]
    assert con.execute("SELECT record_type, key, source_file, source_row, replaced_by_file, replaced_by_row "
                       "FROM replacements ORDER BY source_file").fetchall() == [
        ("cases", "C1", "cases.csv", 2, "uploads/cases_a.csv", 2),
        ("cases", "C1", "uploads/cases_b.csv", 2, "uploads/cases_a.csv", 2)]


@pytest.mark.parametrize("order", ["as named", "reversed"])
def test_a_correction_uploaded_later_replaces_the_earlier_upload(folders, order):
    data, db = folders
    uploads = [("馒头山_案件.csv", MANTOUSHAN),
               ("馒头山_案件_更正.csv", cases("XZSS-2022-101,行政诉讼,2022-04-02,在办,馒头山"))]
    if order == "reversed":                  # either file's checksum may sort first: upload order decides
        uploads.reverse()
    (first_name, first), (second_name, second) = uploads
    imported(db, first_name, first)
    preview = intake.preview_import(db, [intake.inspect_upload(second_name, second)])
    assert preview.replaced.to_dict("records") == [
        {"record_type": "cases", "key": "XZSS-2022-101", "file": first_name, "source_row": 2,
         "by_file": second_name, "by_row": 2}]
    intake.confirm_import(preview)
    filed = second.decode().splitlines()[1].split(",")[2]
    assert rows(db, "SELECT filed_date::VARCHAR, source_file FROM stg_cases WHERE case_id = 'XZSS-2022-101'") == [
        (filed, f"uploads/{stored(second)}")]
    assert rows(db, "SELECT source_file, kind FROM rejects") == [(f"uploads/{stored(first)}", "replaced")]
    assert rows(db, "SELECT source_file, rows_read, rows_loaded, rows_rejected FROM etl_files WHERE run_id = "
                    "(SELECT max(run_id) FROM etl_runs) AND source_file LIKE 'uploads/%' ORDER BY rows_loaded") == [
        (f"uploads/{stored(first)}", 1, 0, 1), (f"uploads/{stored(second)}", 1, 1, 0)]


def test_the_preview_names_a_data_folder_record_an_upload_corrects(folders):
    data, db = folders
    correction = cases("XZSS-2022-001,行政诉讼,2022-03-02,在办,")
    preview = intake.preview_import(db, [intake.inspect_upload("更正.csv", correction)])
    assert preview.replaced.to_dict("records") == [
        {"record_type": "cases", "key": "XZSS-2022-001", "file": "cases.csv", "source_row": 2,
         "by_file": "更正.csv", "by_row": 2}]
    intake.cancel_import(preview)


# ---- full or read-only disk --------------------------------------------------------------------------

def failing_write(code: int):
    real_write = os.write

    def write(fd, data):
        real_write(fd, bytes(data)[:5])          # a partial write, then the device refuses
        raise OSError(code, os.strerror(code))
    return write


@pytest.mark.parametrize("code, words", [
    (errno.ENOSPC, "磁盘空间不足，无法写入 {folder}"),
    (errno.EROFS, "文件夹 {folder} 不可写（只读或没有写入权限）"),
    (errno.EACCES, "文件夹 {folder} 不可写（只读或没有写入权限）")])
def test_a_full_or_read_only_disk_gives_one_message_and_leaves_no_partial_upload(folders, monkeypatch, code, words):
    data, db = folders
    preview = intake.preview_import(db, [intake.inspect_upload("馒头山_案件.csv", MANTOUSHAN)])
    before = digest(db)
    with monkeypatch.context() as patch, pytest.raises(StorageError) as caught:
        patch.setattr(os, "write", failing_write(code))
        intake.confirm_import(preview)
    folder = intake.uploads_dir(db)
    assert str(caught.value) == words.format(folder=folder) + "；导入未完成，数据库未作更改。" + (
        "请清理磁盘空间后重试。" if code == errno.ENOSPC else "请联系管理员。")
    assert isinstance(caught.value, EtlError)
    assert digest(db) == before
    assert (sorted(p.name for p in folder.iterdir()) if folder.exists() else []) == []
    build(data, db)                              # later builds are not stopped by a broken file
    intake.confirm_import(preview)
    assert rows(db, "SELECT count(*) FROM stg_cases") == [(2,)]


def test_a_full_temp_folder_stops_the_preview_with_one_message(folders, monkeypatch):
    data, db = folders
    upload = intake.inspect_upload("馒头山_案件.csv", MANTOUSHAN)
    with monkeypatch.context() as patch, pytest.raises(StorageError) as caught:
        patch.setattr(os, "write", failing_write(errno.ENOSPC))
        intake.preview_import(db, [upload])
    assert str(caught.value).startswith("磁盘空间不足，无法写入 ")
    assert str(caught.value).endswith("；预览未完成，数据库未作更改。请清理磁盘空间后重试。")
    assert list(Path(tempfile.gettempdir()).iterdir()) == []


def test_data_tests_check_each_replacement(folders):
    data, db = folders
    imported(db, "更正.csv", cases("XZSS-2022-001,行政诉讼,2022-03-02,在办,"))
    con = duckdb.connect(str(db))
    try:
        assert failures(con) == []
        con.execute("DELETE FROM stg_cases WHERE source_file LIKE 'uploads/%'")
        con.execute("UPDATE rejects SET kind = 'duplicate'")
        assert failures(con)[-2:] == ["replacements：有 1 行与 rejects 中的 replaced 行不一致",
                                      "replacements：有 1 行所指的更正行未载入"]
    finally:
        con.close()
