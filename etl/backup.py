"""Copy an install's state to a second disk or path: `python -m etl backup [--to DIR]`.

What a restore of the install needs: the live database, its snapshots, the kept uploads (with their
manifest), the accounts and the audit trail. Meant to run from a timer (docs/deploy.md); safe while
the app runs:
- a database file is never written in place (publish swaps in a new file), so a copy of it is whole;
- the accounts file is copied with SQLite's backup API, consistent while users sign in;
- the audit trail only grows: it is copied whole and its chain verified in the copy.
Files already in the target with the same size and modification time are skipped, so a nightly run
copies only what changed. Every file lands under a temporary name first, then `os.replace`.
"""
from __future__ import annotations

import argparse
import os
import shutil
import sqlite3
from dataclasses import dataclass, field
from pathlib import Path

from etl.errors import EtlError
from etl.intake import uploads_dir
from etl.publish import snapshot_dir
from security.accounts import accounts_path
from security.audit import AuditLog, audit_path

BACKUP_DIR_ENV = "COCKPIT_BACKUP_DIR"


@dataclass
class BackupResult:
    target: Path
    copied: list[str] = field(default_factory=list)     # paths relative to the target
    unchanged: int = 0
    audit_rows: int = 0


def _same(source: Path, copy: Path) -> bool:
    if not copy.exists():
        return False
    a, b = source.stat(), copy.stat()
    return a.st_size == b.st_size and int(a.st_mtime) == int(b.st_mtime)


def _copy_file(source: Path, copy: Path) -> None:
    copy.parent.mkdir(parents=True, exist_ok=True)
    partial = copy.with_name(f".{copy.name}.partial")
    shutil.copy2(source, partial)
    os.replace(partial, copy)


def _copy_accounts(source: Path, copy: Path) -> None:
    copy.parent.mkdir(parents=True, exist_ok=True)
    partial = copy.with_name(f".{copy.name}.partial")
    partial.unlink(missing_ok=True)
    live, out = sqlite3.connect(source), sqlite3.connect(partial)
    try:
        live.backup(out)
    finally:
        out.close()
        live.close()
    os.chmod(partial, 0o600)
    os.replace(partial, copy)


def backup(live_db: Path, target: Path) -> BackupResult:
    """Copy the install of `live_db` into `target`; raises EtlError when the target is the install itself
    or cannot be written."""
    live_db, target = Path(live_db).resolve(), Path(target).resolve()
    if target == live_db.parent or live_db.parent in target.parents:
        raise EtlError(f"备份目录不能在数据目录之内：{target}")
    result = BackupResult(target)
    files: list[tuple[Path, Path]] = []
    if live_db.exists():
        files.append((live_db, target / live_db.name))
    for folder, name in ((snapshot_dir(live_db), "snapshots"), (uploads_dir(live_db), "uploads")):
        if folder.exists():
            files += [(p, target / name / p.relative_to(folder)) for p in sorted(folder.rglob("*"))
                      if p.is_file() and not p.name.startswith(".")]
    try:
        for source, copy in files:
            if _same(source, copy):
                result.unchanged += 1
                continue
            _copy_file(source, copy)
            result.copied.append(str(copy.relative_to(target)))
        accounts = accounts_path(live_db)
        if accounts.exists():
            _copy_accounts(accounts, target / "accounts.sqlite")
            result.copied.append("accounts.sqlite")
        trail = audit_path(live_db)
        if trail.exists():
            copy = target / "audit" / trail.name
            _copy_file(trail, copy)
            result.copied.append(str(copy.relative_to(target)))
            check = AuditLog(copy).verify()
            if not check.ok:
                raise EtlError(f"审计日志副本校验失败：{check.message()}")
            result.audit_rows = check.rows
    except OSError as exc:
        raise EtlError(f"无法写入备份目录 {target}：{exc.strerror or exc}") from exc
    return result


def cli_backup(args: argparse.Namespace) -> int:
    target = args.to or os.environ.get(BACKUP_DIR_ENV)
    if not target:
        print(f"请用 --to 指定备份目录（或设置环境变量 {BACKUP_DIR_ENV}），最好在另一块磁盘上。")
        return 2
    try:
        result = backup(args.db, Path(target))
    except EtlError as exc:
        print(f"备份失败：{exc}")
        return 1
    print(f"已备份到 {result.target}：复制 {len(result.copied)} 个文件，未变 {result.unchanged} 个；"
          f"审计日志 {result.audit_rows} 行，校验通过。")
    for name in result.copied:
        print(f"  {name}")
    return 0
