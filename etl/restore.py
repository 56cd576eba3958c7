"""Restore an earlier database: the rollback publish, then the kept uploads brought in line with it;
`snapshots` and `rollback` commands.

Here, above both `etl.publish` and `etl.intake`, because a restore needs both and intake builds
through publish.
"""
from __future__ import annotations

import argparse
from pathlib import Path

from etl.errors import EtlError
from etl.intake import align_uploads
from etl.publish import KEEP_SNAPSHOTS, database_run_id, list_snapshots, rollback


def restore(live_db: Path, run_id: str) -> tuple[str, list[str], list[str]]:
    """Roll back to `run_id`; returns (new run id, uploads withdrawn, uploads reinstated).

    Uploads the restored database never loaded are withdrawn so the next import does not bring them back.
    """
    new_id = rollback(live_db, run_id)
    withdrawn, reinstated = align_uploads(live_db)
    return new_id, withdrawn, reinstated


def cli_snapshots(args: argparse.Namespace) -> int:
    snapshots = list_snapshots(args.db)
    current = database_run_id(args.db) if Path(args.db).exists() else None
    print(f"当前数据库 {args.db}：运行 {current or '（无）'}")
    if not snapshots:
        print("没有保留的快照。")
        return 0
    print(f"保留的快照（最新在前，最多 {KEEP_SNAPSHOTS} 个）：")
    for s in snapshots:
        finished = s.finished_at.strftime("%Y-%m-%d %H:%M:%S UTC") if s.finished_at else "时间未知"
        print(f"  {s.run_id}  {finished}  {s.dataset_label or ''}  载入 {s.rows_loaded if s.rows_loaded is not None else '?'} 行"
              f"  {s.status or ''}")
    print("恢复：python -m etl rollback RUN_ID")
    return 0


def cli_rollback(args: argparse.Namespace) -> int:
    try:
        new_id, withdrawn, reinstated = restore(args.db, args.run_id)
    except EtlError as exc:
        print(f"回滚失败：{exc}")
        return 1
    print(f"已恢复运行 {args.run_id} 的数据库为 {args.db}（新运行编号 {new_id}；被替换的数据库已保留为快照）")
    if withdrawn:
        print("恢复后的数据库未载入的上传文件已移入 uploads/withdrawn，之后的构建不会再读取：" + "、".join(withdrawn))
    if reinstated:
        print("恢复后的数据库载入过的上传文件已从 uploads/withdrawn 移回：" + "、".join(reinstated))
    return 0
