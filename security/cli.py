"""`python -m etl users ...` and `python -m etl audit ...`: accounts and the audit trail from the shell.

Every account change, and every reading of the audit trail, is itself audited with the operating-system
user (`os:<login>`). The accounts and audit modules are imported on use, so that building the parser
for other commands costs nothing.
"""
from __future__ import annotations

import argparse
import csv
import getpass
import json
import sys
from collections.abc import Callable
from datetime import date
from pathlib import Path

from security.roles import ROLES, role_label

CLIENT = "cli"
# OWASP CSV injection: a cell starting with one of these is a formula to a spreadsheet.
_FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")


def _date(text: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"日期“{text}”的格式应为 YYYY-MM-DD") from None


def add_parsers(command: Callable[[str, str], argparse.ArgumentParser]) -> None:
    """Add `users` and `audit` to the `python -m etl` parser; `command(name, help)` makes a subcommand with --db."""
    users = command("users", "sign-in accounts: add, list, disable, enable, reset, set-role, set-subdistrict, init")
    actions = users.add_subparsers(dest="users_command", required=True)

    def action(name: str, help_text: str) -> argparse.ArgumentParser:
        p = actions.add_parser(name, help=help_text)
        # Also accepted after the action (`users init --db X`); SUPPRESS keeps `users --db X init` working.
        p.add_argument("--db", type=Path, default=argparse.SUPPRESS, help="DuckDB file; accounts are kept beside it")
        return p

    p = action("add", "add an account (without --password-stdin a password is generated and printed once)")
    p.add_argument("name")
    p.add_argument("--role", required=True, choices=ROLES)
    p.add_argument("--password-stdin", action="store_true", help="read the password from standard input")
    p.add_argument("--email", help="for single sign-on: the identity's email")
    p.add_argument("--subject", help="for single sign-on: the identity's OIDC subject")
    p.add_argument("--subdistrict", help="limit the account to one subdistrict (default: all)")
    action("list", "list accounts (no password hashes)")
    for name, help_text in (("disable", "stop an account from signing in; ends its sessions"),
                            ("enable", "allow an account to sign in again (also lifts a lockout)"),
                            ("reset", "print a new temporary password, to be changed at the next sign-in")):
        action(name, help_text).add_argument("name")
    p = action("set-role", "change an account's role; ends its sessions")
    p.add_argument("name")
    p.add_argument("role", choices=ROLES)
    p = action("set-subdistrict", "limit an account to one subdistrict, or (--all) let it see every one; ends its sessions")
    p.add_argument("name")
    scope = p.add_mutually_exclusive_group(required=True)
    scope.add_argument("subdistrict", nargs="?", help="the 街道 the account may see and import")
    scope.add_argument("--all", action="store_true", help="every subdistrict (a district account)")
    action("init", "create the account 'admin' with a printed password when no account exists")

    p = command("audit", "list the audit trail, or `audit verify` its hash chain")
    p.add_argument("what", nargs="?", choices=("verify",), help="verify: check the chain, exit 1 at the first broken row")
    p.add_argument("--since", type=_date, help="rows from this date (YYYY-MM-DD, server's local time) on")
    p.add_argument("--user", help="rows of this user only")
    p.add_argument("--format", choices=("table", "csv", "json"), default="table")


def run(args: argparse.Namespace) -> int:
    return _users(args) if args.command == "users" else _audit(args)


def _printable(value: object) -> str:
    """No control characters reach the terminal (a crafted file name could otherwise drive it)."""
    return "".join(c if c.isprintable() else "?" for c in str(value))


def _record(args: argparse.Namespace, action: str, obj: str, detail: dict, outcome: str = "ok") -> bool:
    from security.audit import AuditError, audit_log, os_user

    try:
        audit_log(args.db).record(action, user=os_user(), client=CLIENT, object=obj, detail=detail, outcome=outcome)
    except AuditError as exc:
        print(f"审计日志写入失败：{exc}（操作本身已完成）", file=sys.stderr)
        return False
    return True


# -- users -----------------------------------------------------------------------------------------

def _read_password() -> str:
    if sys.stdin.isatty():
        return getpass.getpass("密码：")
    return sys.stdin.readline().rstrip("\r\n")


def _users(args: argparse.Namespace) -> int:
    from security import audit
    from security.accounts import AccountError, Accounts, accounts_path

    accounts = Accounts(accounts_path(args.db))
    command = args.users_command
    if command == "list":
        return _list_users(accounts)
    if command == "init":
        return _init(args, accounts)
    name = args.name
    try:
        if command == "add":
            password = _read_password() if args.password_stdin else None
            password = accounts.add(name, args.role, password, email=args.email, subject=args.subject,
                                    subdistrict=args.subdistrict)
            event, detail = audit.ACCOUNT_ADD, {"role": args.role, "email": args.email, "subject": args.subject,
                                                "subdistrict": args.subdistrict,
                                                "password": "given" if args.password_stdin else "generated"}
            lines = [f"已添加用户 {name}（{role_label(args.role)}）。"]
            if not args.password_stdin:
                lines.append(f"初始密码（只显示这一次；首次登录时必须修改）：{password}")
        elif command == "disable":
            accounts.disable(name)
            event, detail, lines = audit.ACCOUNT_DISABLE, {}, [f"已停用用户 {name}，其会话已全部结束。"]
        elif command == "enable":
            accounts.enable(name)
            event, detail, lines = audit.ACCOUNT_ENABLE, {}, [f"已启用用户 {name}。"]
        elif command == "reset":
            password = accounts.reset(name)
            event, detail = audit.ACCOUNT_RESET, {}
            lines = [f"已重置用户 {name} 的密码，其会话已全部结束。",
                     f"临时密码（只显示这一次；下次登录时必须修改）：{password}"]
        elif command == "set-subdistrict":
            subdistrict = None if args.all else args.subdistrict
            previous = accounts.set_subdistrict(name, subdistrict)
            subdistrict = accounts.get(name).subdistrict
            event, detail = audit.ACCOUNT_SUBDISTRICT, {"from": previous, "to": subdistrict}
            lines = [f"用户 {name} 的街道范围：{previous or '全部'} → {subdistrict or '全部'}，其会话已全部结束。"]
        else:
            previous = accounts.set_role(name, args.role)
            event, detail = audit.ACCOUNT_ROLE, {"from": previous, "to": args.role}
            lines = [f"用户 {name} 的角色：{role_label(previous)} → {role_label(args.role)}，其会话已全部结束。"]
    except AccountError as exc:
        print(f"失败：{exc}")
        event = {"add": audit.ACCOUNT_ADD, "disable": audit.ACCOUNT_DISABLE, "enable": audit.ACCOUNT_ENABLE,
                 "reset": audit.ACCOUNT_RESET, "set-role": audit.ACCOUNT_ROLE,
                 "set-subdistrict": audit.ACCOUNT_SUBDISTRICT}[command]
        _record(args, event, name, {"error": str(exc)}, outcome="failed")
        return 1
    print("\n".join(lines))
    return 0 if _record(args, event, name, detail) else 1


def _init(args: argparse.Namespace, accounts) -> int:
    from security import audit
    from security.accounts import INITIAL_ADMIN

    password = accounts.ensure_initial_admin()
    if password is None:
        print(f"已有 {len(accounts.list_users())} 个账户，无需创建初始管理员。")
        return 0
    print(f"已创建管理员账户 {INITIAL_ADMIN}，初始密码：{password}")
    print("此密码只显示这一次；首次登录时必须修改。添加其他账户：python -m etl users add NAME --role ROLE")
    return 0 if _record(args, audit.ACCOUNT_ADD, INITIAL_ADMIN, {"role": "admin", "password": "generated",
                                                                "initial": True}) else 1


def _list_users(accounts) -> int:
    from etl.terminal import text_table

    users = accounts.list_users()
    if not users:
        print("还没有账户。创建初始管理员：python -m etl users init")
        return 0

    def status(u) -> str:
        if u.disabled:
            return "停用"
        if u.locked_until:
            return f"锁定至 {u.locked_until.astimezone():%Y-%m-%d %H:%M}"
        return "启用"

    rows = [[u.name, role_label(u.role), status(u), "是" if u.must_change else "", u.email or "", u.subject or "",
             u.subdistrict or "全部", f"{u.last_sign_in.astimezone():%Y-%m-%d %H:%M}" if u.last_sign_in else ""]
            for u in users]
    print(text_table(["用户名", "角色", "状态", "须改密码", "邮箱", "单点登录标识", "街道", "最近登录"],
                     [[_printable(c) for c in row] for row in rows], rule=True))
    return 0


# -- audit -----------------------------------------------------------------------------------------

def _audit(args: argparse.Namespace) -> int:
    from security import audit

    log = audit.audit_log(args.db)
    if args.what == "verify":
        return _verify(log)
    rows = log.rows(since=args.since, user=args.user)
    if args.format == "json":
        print(json.dumps(rows, ensure_ascii=False, indent=2))
    elif args.format == "csv":
        writer = csv.writer(sys.stdout, lineterminator="\n")
        writer.writerow(audit.FIELDS)
        for row in rows:
            writer.writerow([_csv_cell(row.get(f)) for f in audit.FIELDS])
    else:
        print(_audit_table(rows))
    filters = {"since": args.since.isoformat() if args.since else None, "user": args.user,
               "format": args.format, "rows": len(rows)}
    return 0 if _record(args, audit.AUDIT_EXPORT, str(log.path), filters) else 1


def _verify(log) -> int:
    result = log.verify()
    print(f"{log.path}：{result.message()}")
    if log.mirror is None:
        return 0 if result.ok else 1
    from security.audit import AuditLog

    mirrored = AuditLog(log.mirror).verify()
    print(f"{log.mirror}（镜像）：{mirrored.message()}")
    if result.ok and mirrored.ok and (result.rows, result.last_hash) != (mirrored.rows, mirrored.last_hash):
        print(f"主日志与镜像不一致：主日志 {result.rows} 行，镜像 {mirrored.rows} 行（末尾的行被删除或未写入镜像）")
        return 1
    return 0 if result.ok and mirrored.ok else 1


def _csv_cell(value: object) -> str:
    text = "" if value is None else json.dumps(value, ensure_ascii=False) if isinstance(value, dict) else str(value)
    return "'" + text if text.startswith(_FORMULA_PREFIXES) else text


def _audit_table(rows: list[dict]) -> str:
    from etl.terminal import text_table
    from security.audit import local_time

    if not rows:
        return "没有符合条件的审计记录。"
    def when(row: dict) -> str:
        try:
            return f"{local_time(row):%Y-%m-%d %H:%M:%S}"
        except (KeyError, TypeError, ValueError):
            return str(row.get("time"))

    body = [[row.get("seq"), when(row), row.get("user"),
             role_label(row["role"]) if row.get("role") else "", row.get("client") or "", row.get("action"),
             row.get("object"), row.get("outcome"), json.dumps(row.get("detail") or {}, ensure_ascii=False)]
            for row in rows]
    return text_table(["序号", "时间", "用户", "角色", "客户端", "操作", "对象", "结果", "详情"],
                      [[_printable(c if c is not None else "") for c in r] for r in body],
                      right_aligned=frozenset({0}), rule=True)


def record_cli_run(args: argparse.Namespace, code: int, db_run_id: str | None) -> int:
    """Audit a `build` or `rollback` (who changed the published figures) or a `report` or `export` (what
    left the system, with which filters) run from the shell; returns the exit code."""
    from security import audit

    if args.command == "build":
        event, obj, detail = audit.CLI_BUILD, str(args.data), {}
    elif args.command == "rollback":
        event, obj, detail = audit.CLI_ROLLBACK, args.run_id, {}
    elif args.command == "backup":
        event, obj, detail = audit.CLI_BACKUP, str(args.to or ""), {}
    else:
        event, obj = audit.CLI_EXPORT, str(args.out)
        detail = {"command": args.command, "year": args.year, "subdistrict": getattr(args, "subdistrict", None),
                  "community": args.community,
                  **({"format": args.format} if args.command == "report" else {})}
    detail.update(db=str(args.db), exit_code=code, db_run_id=db_run_id)
    recorded = _record(args, event, obj, detail, outcome="ok" if code == 0 else "failed")
    return code if recorded else code or 1
