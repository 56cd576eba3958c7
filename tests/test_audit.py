"""security.audit: the hash-chained, append-only audit trail."""
from __future__ import annotations

import hashlib
import json
import os
import stat
import subprocess
import sys
import threading
from datetime import date, datetime, timedelta, timezone
from pathlib import Path

import pytest

from security.audit import EVENTS, AuditError, AuditLog, audit_log, audit_path, os_user

ROOT = Path(__file__).resolve().parent.parent


class Clock:
    def __init__(self, start: datetime):
        self.now = start

    def __call__(self) -> datetime:
        return self.now


def lines(path: Path) -> list[str]:
    return path.read_text(encoding="utf-8").splitlines()


def write_lines(path: Path, rows: list[str]) -> None:
    path.write_text("".join(r + "\n" for r in rows), encoding="utf-8")


@pytest.fixture
def trail(tmp_path) -> AuditLog:
    clock = Clock(datetime(2024, 5, 1, 2, 3, 4, 567000, tzinfo=timezone.utc))
    log = AuditLog(tmp_path / "audit" / "audit.jsonl", clock=clock)
    log.record("sign_in", user="li", role="analyst", client="10.0.0.2")
    log.record("import_confirm", user="li", role="analyst", client="10.0.0.2", object="馒头山 案件.xlsx",
               detail={"sha256": "ab12", "rows": 3})
    log.record("sign_out", user="li", role="analyst", client="10.0.0.2")
    return log


def test_a_row_and_its_hash(trail):
    first, second = (json.loads(t) for t in lines(trail.path)[:2])
    assert first == {"seq": 1, "time": "2024-05-01T02:03:04.567+00:00", "user": "li", "role": "analyst",
                     "client": "10.0.0.2", "action": "sign_in", "object": "", "detail": {}, "outcome": "ok",
                     "prev": "", "hash": first["hash"]}
    body = {k: v for k, v in second.items() if k != "hash"}
    canonical = json.dumps(body, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    assert second["prev"] == first["hash"]
    assert second["hash"] == hashlib.sha256((first["hash"] + canonical).encode("utf-8")).hexdigest()
    assert "馒头山" in lines(trail.path)[1]  # UTF-8 as is, not \\u escapes


def test_record_returns_the_row_written(tmp_path):
    log = AuditLog(tmp_path / "a.jsonl")
    row = log.record("download", user="zhou", role="evaluator", object="cases.xlsx", detail={"year": 2022})
    assert json.loads(lines(log.path)[0]) == row
    assert (row["seq"], row["outcome"], row["client"]) == (1, "ok", None)


def test_verify_ok_with_the_row_count(trail):
    result = trail.verify()
    assert (result.ok, result.rows, result.line, result.reason) == (True, 3, None, None)
    assert result.message() == "OK：3 行，哈希链完整"
    assert AuditLog(trail.path.with_name("none.jsonl")).verify().rows == 0


def test_an_edited_field_breaks_that_row(trail):
    rows = lines(trail.path)
    rows[1] = rows[1].replace('"user":"li"', '"user":"wang"')
    write_lines(trail.path, rows)
    result = trail.verify()
    assert (result.ok, result.rows, result.line, result.reason) == (False, 1, 2, "hash_mismatch")
    assert result.message() == "第 2 行：哈希与内容不符（此行被改动）"
    assert result.message("en") == "line 2: hash does not match the content (row altered)"


def test_an_edited_row_with_a_recomputed_hash_breaks_the_chain_at_the_next(trail):
    from security.audit import row_hash

    rows = [json.loads(t) for t in lines(trail.path)]
    rows[1]["user"] = "wang"
    rows[1]["hash"] = row_hash(rows[1])
    write_lines(trail.path, [json.dumps(r, ensure_ascii=False) for r in rows])
    result = trail.verify()
    assert (result.line, result.reason) == (3, "chain_break")


def test_a_removed_row_is_a_sequence_gap(trail):
    rows = lines(trail.path)
    write_lines(trail.path, [rows[0], rows[2]])
    assert (trail.verify().line, trail.verify().reason) == (2, "seq_gap")


def test_a_line_that_is_not_json_or_not_a_row(trail):
    rows = lines(trail.path)
    write_lines(trail.path, [rows[0], rows[1][:-5], rows[2]])
    assert (trail.verify().line, trail.verify().reason) == (2, "bad_json")
    write_lines(trail.path, [rows[0], '{"seq": 2}', rows[2]])
    assert (trail.verify().line, trail.verify().reason) == (2, "bad_row")


def test_unknown_actions_are_refused(trail):
    with pytest.raises(ValueError, match="unknown audit action 'delete_everything'"):
        trail.record("delete_everything", user="li")
    assert len(EVENTS) == len(set(EVENTS))
    assert {"sign_in", "sign_in_failed", "sign_in_locked", "sign_out", "session_timeout", "access_refused",
            "import_preview", "import_confirm", "import_cancel", "publish", "restore", "download", "report",
            "drilldown", "account_add", "account_disable", "account_enable", "account_reset", "account_role",
            "password_change", "cli_build", "cli_rollback", "cli_export", "audit_export"} <= set(EVENTS)


def test_a_torn_last_line_stops_appending(trail):
    with open(trail.path, "ab") as fh:
        fh.write(b'{"seq":4,"ti')
    with pytest.raises(AuditError, match="最后一行不完整"):
        trail.record("sign_in", user="li")


def test_the_previous_row_is_found_behind_a_row_longer_than_the_tail_chunk(tmp_path):
    log = AuditLog(tmp_path / "a.jsonl")
    log.record("report", user="li", detail={"filters": "社" * 100_000})
    log.record("report", user="li")
    log.record("report", user="li")
    assert log.verify().rows == 3


def test_folder_and_files_are_private(tmp_path):
    old = os.umask(0o022)
    try:
        log = AuditLog(tmp_path / "audit" / "audit.jsonl")
        log.record("sign_in", user="li")
    finally:
        os.umask(old)
    assert stat.S_IMODE(log.path.parent.stat().st_mode) == 0o700
    assert stat.S_IMODE(log.path.stat().st_mode) == 0o600


def test_rows_filtered_by_day_and_user(tmp_path, monkeypatch):
    monkeypatch.setenv("TZ", "Asia/Shanghai")
    import time
    time.tzset()
    try:
        clock = Clock(datetime(2024, 4, 30, 15, 59, tzinfo=timezone.utc))  # 23:59 on 30 April in Hangzhou
        log = AuditLog(tmp_path / "a.jsonl", clock=clock)
        log.record("sign_in", user="li")
        clock.now += timedelta(minutes=2)  # 00:01 on 1 May in Hangzhou, still 30 April in UTC
        log.record("sign_in", user="wang")
        log.record("sign_out", user="li")
        assert [r["seq"] for r in log.rows()] == [1, 2, 3]
        assert [r["seq"] for r in log.rows(since=date(2024, 5, 1))] == [2, 3]
        assert [r["seq"] for r in log.rows(user="li")] == [1, 3]
        assert [r["seq"] for r in log.rows(since=date(2024, 5, 1), user="li")] == [3]
    finally:
        monkeypatch.undo()
        time.tzset()


def test_every_row_goes_to_the_mirror_too(tmp_path):
    log = AuditLog(tmp_path / "a" / "audit.jsonl", mirror=tmp_path / "b" / "audit.jsonl")
    log.record("sign_in", user="li")
    log.record("sign_out", user="li")
    assert log.mirror.read_bytes() == log.path.read_bytes()
    assert stat.S_IMODE(log.mirror.stat().st_mode) == 0o600


def test_a_new_mirror_first_copies_the_trail(tmp_path, trail):
    mirrored = AuditLog(trail.path, mirror=tmp_path / "second-disk" / "audit.jsonl")
    mirrored.record("sign_in", user="wang")
    assert mirrored.mirror.read_bytes() == trail.path.read_bytes()
    assert AuditLog(mirrored.mirror).verify().rows == 4


def test_a_failing_mirror_does_not_stop_the_record(tmp_path):
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("")
    log = AuditLog(tmp_path / "audit.jsonl", mirror=blocker / "audit.jsonl")
    log.record("sign_in", user="li")
    assert log.verify().rows == 1


def test_an_unwritable_folder_is_an_audit_error(tmp_path):
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("")
    with pytest.raises(AuditError, match="无法写入审计日志"):
        AuditLog(blocker / "audit" / "audit.jsonl").record("sign_in", user="li")


def test_paths_beside_the_database_or_from_the_environment(tmp_path, monkeypatch):
    for name in ("COCKPIT_AUDIT", "COCKPIT_AUDIT_MIRROR"):
        monkeypatch.delenv(name, raising=False)
    assert audit_path(tmp_path / "w.duckdb") == tmp_path / "audit" / "audit.jsonl"
    assert audit_log(tmp_path / "w.duckdb").mirror is None
    monkeypatch.setenv("COCKPIT_AUDIT", str(tmp_path / "x.jsonl"))
    monkeypatch.setenv("COCKPIT_AUDIT_MIRROR", str(tmp_path / "m" / "x.jsonl"))
    log = audit_log(tmp_path / "w.duckdb")
    assert (log.path, log.mirror) == (tmp_path / "x.jsonl", tmp_path / "m" / "x.jsonl")


def test_os_user():
    assert os_user().startswith("os:") and len(os_user()) > 3


WRITER = """
import sys, time
from pathlib import Path
from security.audit import AuditLog
path, go, worker, count = sys.argv[1], Path(sys.argv[2]), sys.argv[3], int(sys.argv[4])
log = AuditLog(path)
while not go.exists():
    time.sleep(0.001)
for i in range(count):
    log.record("drilldown", user=f"w{worker}", object=str(i))
"""


def test_concurrent_appends_from_processes_and_threads_keep_one_chain(tmp_path):
    path, go = tmp_path / "audit" / "audit.jsonl", tmp_path / "go"
    workers = [subprocess.Popen([sys.executable, "-c", WRITER, str(path), str(go), str(n), "60"], cwd=ROOT)
               for n in range(4)]
    log = AuditLog(path)
    threads = [threading.Thread(target=lambda n=n: [log.record("drilldown", user=f"t{n}", object=str(i))
                                                    for i in range(30)]) for n in range(3)]
    go.touch()
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert [w.wait(timeout=120) for w in workers] == [0, 0, 0, 0]
    result = log.verify()
    assert (result.ok, result.rows) == (True, 4 * 60 + 3 * 30)
    users = [r["user"] for r in log.rows()]
    assert {u: users.count(u) for u in set(users)} == {**{f"w{n}": 60 for n in range(4)}, **{f"t{n}": 30 for n in range(3)}}
