"""Restore an earlier database: the rollback publish, then the kept uploads brought in line with it;
`snapshots` and `rollback` commands.

Here, above both `etl.publish` and `etl.intake`, because a restore needs both and intake builds
through publish.
"""
from __future__ import annotations

import argparse
from pathlib import Path

import duckdb

from etl.build import publishing
from etl.errors import EtlError
from etl.intake import align_uploads
from etl.publish import KEEP_SNAPSHOTS, FileChange, Snapshot, database_summary, list_snapshots, rollback
from security.audit import os_user

CHANGE_WORDS = {"added": "新增", "removed": "移除", "changed": "更新"}


def restore(live_db: Path, run_id: str, *, actor: str | None = None,
            reason: str | None = None) -> tuple[str, list[str], list[str]]:
    """Roll back to `run_id`, recording `actor` (default: the OS user) and `reason`; returns
    (new run id, uploads withdrawn, uploads reinstated), under the publish lock.

    Uploads the restored database never loaded are withdrawn so the next import does not bring them back.
    """
    with publishing(live_db):
        new_id = rollback(live_db, run_id, actor=actor, reason=reason)
        withdrawn, reinstated = align_uploads(live_db)
    return new_id, withdrawn, reinstated


def describe_change(change: FileChange) -> str:
    """新增“馒头山_案件.csv”（读取 3 行，载入 1 行，拒绝 2 行）: one file a run added, removed or changed."""
    rows = ""
    if change.change != "removed" and change.rows_read is not None:
        rows = f"（读取 {change.rows_read} 行，载入 {change.rows_loaded} 行" + (
            f"，拒绝 {change.rows_rejected} 行）" if change.rows_rejected else "）")
    return f"{CHANGE_WORDS[change.change]}“{change.name}”{rows}"


def describe_run(s: Snapshot) -> str:
    """One line: when, data set, rows, status, who, why, what changed (parts that are unknown left out)."""
    parts = [s.finished_at.strftime("%Y-%m-%d %H:%M:%S UTC") if s.finished_at else "时间未知", s.dataset_label,
             f"载入 {s.rows_loaded if s.rows_loaded is not None else '?'} 行", s.status,
             f"操作人 {s.actor}" if s.actor else "", f"原因“{s.reason}”" if s.reason else "",
             "变化：" + "；".join(describe_change(c) for c in s.changes) if s.changes else ""]
    return "  ".join(p for p in parts if p)


def cli_snapshots(args: argparse.Namespace) -> int:
    snapshots = list_snapshots(args.db)
    try:
        current = database_summary(args.db) if Path(args.db).exists() else None
    except duckdb.Error:
        current = None
    print(f"当前数据库 {args.db}：运行 {current.run_id if current else '（无）'}"
          + (f"  {describe_run(current)}" if current else ""))
    if not snapshots:
        print("没有保留的快照。")
        return 0
    print(f"保留的快照（最新在前，最多 {KEEP_SNAPSHOTS} 个）：")
    for s in snapshots:
        print(f"  {s.run_id}  {describe_run(s)}")
    print("恢复：python -m etl rollback RUN_ID --reason 原因")
    return 0


def cli_rollback(args: argparse.Namespace) -> int:
    try:
        new_id, withdrawn, reinstated = restore(args.db, args.run_id, actor=os_user(), reason=args.reason)
    except EtlError as exc:
        print(f"回滚失败：{exc}")
        return 1
    print(f"已恢复运行 {args.run_id} 的数据库为 {args.db}（新运行编号 {new_id}；被替换的数据库已保留为快照）")
    if withdrawn:
        print("恢复后的数据库未载入的上传文件已移入 uploads/withdrawn，之后的构建不会再读取：" + "、".join(withdrawn))
    if reinstated:
        print("恢复后的数据库载入过的上传文件已从 uploads/withdrawn 移回：" + "、".join(reinstated))
    return 0
