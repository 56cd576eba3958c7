"""`python -m etl users ...` and `python -m etl audit ...` (in-process through etl.__main__.main, and one real process)."""
from __future__ import annotations

import csv
import io
import json
import subprocess
import sys
from pathlib import Path

import pytest
from argon2 import PasswordHasher

from etl.__main__ import main
from security import accounts as accounts_module
from security.accounts import Accounts
from security.audit import AuditLog, audit_log, os_user

ROOT = Path(__file__).resolve().parent.parent
GOOD = "Guangming-2024"


@pytest.fixture(autouse=True)
def isolated(monkeypatch):
    for name in ("COCKPIT_ACCOUNTS", "COCKPIT_AUDIT", "COCKPIT_AUDIT_MIRROR", "COCKPIT_PERMISSIONS"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setattr(accounts_module, "_hasher", PasswordHasher(time_cost=1, memory_cost=1024, parallelism=1))
    accounts_module._dummy_hash.cache_clear()
    yield
    accounts_module._dummy_hash.cache_clear()


@pytest.fixture
def db(tmp_path) -> str:
    return str(tmp_path / "warehouse.duckdb")


def run(capsys, *argv: str, stdin: str | None = None, monkeypatch=None) -> tuple[int, list[str]]:
    if stdin is not None:
        monkeypatch.setattr(sys, "stdin", io.StringIO(stdin))
    code = main(list(argv))
    return code, capsys.readouterr().out.splitlines()


def audit_rows(db: str) -> list[dict]:
    return AuditLog(Path(db).parent / "audit" / "audit.jsonl").rows()


def test_init_creates_admin_once_and_prints_its_password_once(db, capsys):
    code, out = run(capsys, "users", "init", "--db", db)
    assert code == 0
    assert out[0].startswith("已创建管理员账户 admin，初始密码：")
    assert out[1].startswith("此密码只显示这一次；首次登录时必须修改。")
    password = out[0].split("：", 1)[1]
    accounts = Accounts(Path(db).parent / "accounts.sqlite")
    result = accounts.authenticate("admin", password)
    assert (result.outcome, result.user.role, result.user.must_change) == ("ok", "admin", True)

    assert run(capsys, "users", "init", "--db", db) == (0, ["已有 1 个账户，无需创建初始管理员。"])
    [row] = audit_rows(db)
    assert (row["action"], row["user"], row["client"], row["object"], row["detail"]) == (
        "account_add", os_user(), "cli", "admin", {"role": "admin", "password": "generated", "initial": True})


def test_add_with_a_password_from_stdin_or_a_generated_one(db, capsys, monkeypatch):
    assert run(capsys, "users", "add", "张三", "--role", "analyst", "--password-stdin", "--email", "z@gov.cn",
               "--db", db, stdin=GOOD + "\n", monkeypatch=monkeypatch) == (0, ["已添加用户 张三（分析员）。"])
    code, out = run(capsys, "users", "add", "wang", "--role", "leadership", "--subject", "sub-1",
                    "--subdistrict", "南星街道", "--db", db)
    assert code == 0 and out[0] == "已添加用户 wang（领导）。"
    assert out[1].startswith("初始密码（只显示这一次；首次登录时必须修改）：")
    accounts = Accounts(Path(db).parent / "accounts.sqlite")
    assert accounts.authenticate("张三", GOOD).user.must_change is False
    assert accounts.authenticate("wang", out[1].split("：", 1)[1]).user.must_change is True
    assert [(r["action"], r["object"], r["detail"]["password"]) for r in audit_rows(db)] == [
        ("account_add", "张三", "given"), ("account_add", "wang", "generated")]


def test_a_weak_password_is_refused_with_the_reason_and_audited(db, capsys, monkeypatch):
    assert run(capsys, "users", "add", "li", "--role", "analyst", "--password-stdin", "--db", db,
               stdin="li\n", monkeypatch=monkeypatch) == (
        1, ["失败：密码至少 10 个字符；密码须包含小写字母、大写字母、数字、其他字符中的至少 3 类；密码不能与用户名相同"])
    [row] = audit_rows(db)
    assert (row["action"], row["object"], row["outcome"]) == ("account_add", "li", "failed")
    assert Accounts(Path(db).parent / "accounts.sqlite").get("li") is None


def test_list_shows_accounts_without_hashes_with_db_before_or_after_the_action(db, capsys, monkeypatch):
    run(capsys, "users", "add", "li", "--role", "analyst", "--password-stdin", "--email", "li@gov.cn", "--db", db,
        stdin=GOOD, monkeypatch=monkeypatch)
    run(capsys, "users", "init", "--db", db)  # accounts exist: no admin is created
    code, out = run(capsys, "users", "list", "--db", db)
    assert code == 0
    assert out == ["用户名  角色    状态  须改密码  邮箱       单点登录标识  街道  最近登录",
                   "------  ------  ----  --------  ---------  ------------  ----  --------",
                   "li      分析员  启用            li@gov.cn                全部"]
    assert run(capsys, "users", "--db", db, "list")[1] == out


def test_disable_enable_reset_set_role_round_trip(db, capsys, monkeypatch):
    run(capsys, "users", "init", "--db", db)
    run(capsys, "users", "add", "li", "--role", "analyst", "--password-stdin", "--db", db, stdin=GOOD,
        monkeypatch=monkeypatch)
    accounts = Accounts(Path(db).parent / "accounts.sqlite")
    token = accounts.open_session("li", "10.0.0.2")
    assert run(capsys, "users", "disable", "li", "--db", db) == (0, ["已停用用户 li，其会话已全部结束。"])
    assert accounts.touch_session(token) is None
    assert accounts.authenticate("li", GOOD).outcome == "disabled"
    assert run(capsys, "users", "enable", "li", "--db", db) == (0, ["已启用用户 li。"])
    code, out = run(capsys, "users", "reset", "li", "--db", db)
    assert code == 0 and out[0] == "已重置用户 li 的密码，其会话已全部结束。"
    temporary = out[1].split("：", 1)[1]
    assert accounts.authenticate("li", temporary).user.must_change is True
    assert run(capsys, "users", "set-role", "li", "evaluator", "--db", db) == (
        0, ["用户 li 的角色：分析员 → 考评员，其会话已全部结束。"])
    assert accounts.get("li").role == "evaluator"
    assert run(capsys, "users", "disable", "ghost", "--db", db) == (1, ["失败：没有用户“ghost”"])
    assert run(capsys, "users", "disable", "admin", "--db", db)[0] == 1
    assert [(r["action"], r["object"], r["outcome"]) for r in audit_rows(db)] == [
        ("account_add", "admin", "ok"), ("account_add", "li", "ok"), ("account_disable", "li", "ok"),
        ("account_enable", "li", "ok"), ("account_reset", "li", "ok"), ("account_role", "li", "ok"),
        ("account_disable", "ghost", "failed"), ("account_disable", "admin", "failed")]
    assert audit_rows(db)[5]["detail"] == {"from": "analyst", "to": "evaluator"}
    assert all(temporary not in json.dumps(r) for r in audit_rows(db))


def test_an_unknown_role_is_refused_by_the_parser(db, capsys):
    with pytest.raises(SystemExit) as exit_:
        main(["users", "add", "li", "--role", "boss", "--db", db])
    assert exit_.value.code == 2
    assert "invalid choice: 'boss'" in capsys.readouterr().err


def seeded_trail(db: str) -> AuditLog:
    log = AuditLog(Path(db).parent / "audit" / "audit.jsonl")
    log.record("sign_in", user="li", role="analyst", client="10.0.0.2")
    log.record("import_confirm", user="li", role="analyst", client="10.0.0.2", object="=HYPERLINK(\"x\")",
               detail={"rows": 3})
    log.record("sign_in", user="wang", role="leadership", client="10.0.0.3")
    return log


def test_audit_lists_in_three_formats_and_records_the_reading(db, capsys):
    seeded_trail(db)
    code, out = run(capsys, "audit", "--user", "li", "--format", "json", "--db", db)
    assert code == 0
    assert [(r["seq"], r["action"]) for r in json.loads("\n".join(out))] == [(1, "sign_in"), (2, "import_confirm")]
    code, out = run(capsys, "audit", "--user", "li", "--format", "csv", "--db", db)
    assert out[0] == "seq,time,user,role,client,action,object,detail,outcome,prev,hash"
    assert next(csv.reader([out[2]]))[5:8] == ["import_confirm", "'=HYPERLINK(\"x\")", '{"rows": 3}']
    code, out = run(capsys, "audit", "--user", "wang", "--db", db)
    assert out[0].split() == ["序号", "时间", "用户", "角色", "客户端", "操作", "对象", "结果", "详情"]
    assert out[2].split()[3:] == ["wang", "领导", "10.0.0.3", "sign_in", "ok", "{}"]
    assert len(out) == 3
    exports = [r for r in audit_rows(db) if r["action"] == "audit_export"]
    assert [r["detail"] for r in exports] == [
        {"since": None, "user": "li", "format": "json", "rows": 2},
        {"since": None, "user": "li", "format": "csv", "rows": 2},
        {"since": None, "user": "wang", "format": "table", "rows": 1}]
    assert run(capsys, "audit", "--since", "2999-01-01", "--db", db)[1] == ["没有符合条件的审计记录。"]


def test_a_bad_since_date_is_refused(db, capsys):
    with pytest.raises(SystemExit):
        main(["audit", "--since", "01/05/2024", "--db", db])
    assert "日期“01/05/2024”的格式应为 YYYY-MM-DD" in capsys.readouterr().err


def test_audit_verify_ok_then_a_hand_edited_row_fails_naming_it(db, capsys):
    log = seeded_trail(db)
    assert run(capsys, "audit", "verify", "--db", db) == (0, [f"{log.path}：OK：3 行，哈希链完整"])
    text = log.path.read_text(encoding="utf-8").splitlines()
    assert '"user":"li"' in text[1]
    text[1] = text[1].replace('"user":"li"', '"user":"wang"')
    log.path.write_text("\n".join(text) + "\n", encoding="utf-8")
    done = subprocess.run([sys.executable, "-m", "etl", "audit", "verify", "--db", db], cwd=ROOT,
                          capture_output=True, text=True, timeout=120)
    assert done.returncode == 1
    assert done.stdout == f"{log.path}：第 2 行：哈希与内容不符（此行被改动）\n"


def test_audit_verify_compares_the_trail_with_its_mirror(db, capsys, monkeypatch, tmp_path):
    monkeypatch.setenv("COCKPIT_AUDIT_MIRROR", str(tmp_path / "second" / "audit.jsonl"))
    run(capsys, "users", "init", "--db", db)
    run(capsys, "users", "reset", "admin", "--db", db)
    primary = Path(db).parent / "audit" / "audit.jsonl"
    assert run(capsys, "audit", "verify", "--db", db)[0] == 0
    kept = primary.read_text(encoding="utf-8").splitlines()[:1]
    primary.write_text(kept[0] + "\n", encoding="utf-8")  # the last row removed: the chain alone still holds
    code, out = run(capsys, "audit", "verify", "--db", db)
    assert code == 1
    assert out == [f"{primary}：OK：1 行，哈希链完整", f"{tmp_path / 'second' / 'audit.jsonl'}（镜像）：OK：2 行，哈希链完整",
                   "主日志与镜像不一致：主日志 1 行，镜像 2 行（末尾的行被删除或未写入镜像）"]


def test_builds_and_rollbacks_from_the_shell_are_audited(tmp_path, db, capsys):
    data = tmp_path / "data"
    data.mkdir()
    (data / "communities.csv").write_text("community_id,name,aliases,subdistrict,district\n"
                                          "NX01,馒头山社区,,南星街道,上城区\n", encoding="utf-8")
    assert main(["build", "--data", str(data), "--db", db]) == 0
    assert main(["rollback", "no-such-run", "--db", db]) == 1
    capsys.readouterr()
    build, rollback = audit_rows(db)
    assert (build["action"], build["user"], build["object"], build["outcome"]) == ("cli_build", os_user(), str(data), "ok")
    assert build["detail"]["exit_code"] == 0 and build["detail"]["db_run_id"]
    assert (rollback["action"], rollback["object"], rollback["outcome"]) == ("cli_rollback", "no-such-run", "failed")
    assert rollback["detail"]["db_run_id"] == build["detail"]["db_run_id"]


def test_export_and_report_from_the_shell_are_audited_with_their_filters(sample_db, tmp_path):
    db = tmp_path / "warehouse.duckdb"
    db.write_bytes(sample_db.read_bytes())
    assert main(["report", "--year", "2022", "--community", "馒头山", "--format", "docx",
                 "--out", str(tmp_path / "r.docx"), "--db", str(db)]) == 0
    rows = audit_log(db).rows()
    assert [(r["action"], r["object"], r["detail"]["command"], r["detail"]["year"], r["detail"]["community"],
             r["outcome"]) for r in rows] == [("cli_export", str(tmp_path / "r.docx"), "report", 2022, "馒头山", "ok")]
    assert rows[0]["user"].startswith("os:")


def test_an_account_limited_to_a_subdistrict_and_set_subdistrict(db, capsys, monkeypatch):
    run(capsys, "users", "add", "li", "--role", "analyst", "--password-stdin", "--subdistrict", "甲街道", "--db", db,
        stdin=GOOD, monkeypatch=monkeypatch)
    accounts = Accounts(Path(db).parent / "accounts.sqlite")
    assert accounts.get("li").subdistrict == "甲街道"
    assert run(capsys, "users", "list", "--db", db)[1][2].split() == ["li", "分析员", "启用", "甲街道"]
    token = accounts.open_session("li", "10.0.0.2")
    assert run(capsys, "users", "set-subdistrict", "li", "乙街道", "--db", db) == (
        0, ["用户 li 的街道范围：甲街道 → 乙街道，其会话已全部结束。"])
    assert accounts.touch_session(token) is None
    assert run(capsys, "users", "set-subdistrict", "li", "--all", "--db", db) == (
        0, ["用户 li 的街道范围：乙街道 → 全部，其会话已全部结束。"])
    assert accounts.get("li").subdistrict is None
    assert run(capsys, "users", "set-subdistrict", "ghost", "甲街道", "--db", db) == (1, ["失败：没有用户“ghost”"])
    with pytest.raises(SystemExit):          # a subdistrict or --all, not both, not neither
        main(["users", "set-subdistrict", "li", "--db", db])
    assert [(r["action"], r["object"], r["outcome"], r["detail"]) for r in audit_rows(db)][1:] == [
        ("account_subdistrict", "li", "ok", {"from": "甲街道", "to": "乙街道"}),
        ("account_subdistrict", "li", "ok", {"from": "乙街道", "to": None}),
        ("account_subdistrict", "ghost", "failed", {"error": "没有用户“ghost”"})]
    assert audit_rows(db)[0]["detail"]["subdistrict"] == "甲街道"
