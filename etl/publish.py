"""Atomic publish (`os.replace`), snapshots of earlier databases, rollback; `snapshots` and `rollback` commands.

A database's run id is the run that made it: the latest row of its own `etl_runs`. Publishing keeps
the file it replaces as `<db dir>/snapshots/<run id>.duckdb` (a hard link where possible, so this
costs no copy), newest 10 kept.
"""
from __future__ import annotations

import datetime as dt
import os
import shutil
from dataclasses import dataclass
from pathlib import Path

import duckdb

from etl.database import open_read_only
from etl.errors import EtlError

SNAPSHOT_DIR = "snapshots"
KEEP_SNAPSHOTS = 10


@dataclass(frozen=True)
class Snapshot:
    run_id: str
    path: Path
    finished_at: dt.datetime | None
    dataset_label: str | None
    rows_loaded: int | None
    status: str | None


def new_run_id() -> str:
    """UTC time to the microsecond: unique per build and sortable, safe in a file name."""
    return dt.datetime.now(dt.UTC).strftime("%Y%m%dT%H%M%S.%fZ")


def snapshot_dir(live_db: Path) -> Path:
    return Path(live_db).parent / SNAPSHOT_DIR


def work_file(live_db: Path, run_id: str) -> Path:
    """Where a new database is built: next to the live file, so `os.replace` stays on one file system."""
    live_db = Path(live_db)
    return live_db.parent / f".{live_db.name}.{run_id}.new"


def _latest_run(db: Path) -> tuple | None:
    # open_read_only, not duckdb.connect(path): in a process that still holds a connection to a replaced
    # file (the app), connect(path) would read that old file (duckdb#15912) and misname the snapshot.
    with open_read_only(db) as con:
        return con.execute("SELECT run_id, finished_at, dataset_label, rows_loaded, status FROM etl_runs "
                           "ORDER BY finished_at DESC, run_id DESC LIMIT 1").fetchone()


def database_run_id(db: Path) -> str | None:
    """The run that made `db`, or None when it has no readable run history."""
    try:
        row = _latest_run(db)
    except duckdb.Error:
        return None
    return row[0] if row else None


def _keep_snapshot(live_db: Path) -> None:
    run_id = database_run_id(live_db) or f"unknown-{int(live_db.stat().st_mtime)}"
    target = snapshot_dir(live_db) / f"{run_id}.duckdb"
    if target.exists():
        return
    target.parent.mkdir(parents=True, exist_ok=True)
    try:
        os.link(live_db, target)
    except OSError:    # file systems without hard links: copy, then rename into place
        partial = target.with_suffix(".partial")
        shutil.copyfile(live_db, partial)
        os.replace(partial, target)


def _prune_snapshots(live_db: Path) -> None:
    kept = sorted(snapshot_dir(live_db).glob("*.duckdb"), key=lambda p: p.stat().st_mtime, reverse=True)
    for old in kept[KEEP_SNAPSHOTS:]:
        old.unlink()


def publish(new_db: Path, live_db: Path) -> None:
    """Make `new_db` the live database in one `os.replace`; the replaced file becomes a snapshot."""
    new_db, live_db = Path(new_db), Path(live_db)
    if live_db.exists():
        _keep_snapshot(live_db)
    os.replace(new_db, live_db)
    if snapshot_dir(live_db).exists():
        _prune_snapshots(live_db)


def list_snapshots(live_db: Path) -> list[Snapshot]:
    """Kept snapshots, newest first."""
    found = []
    folder = snapshot_dir(live_db)
    paths = sorted(folder.glob("*.duckdb"), key=lambda p: p.stat().st_mtime, reverse=True) if folder.exists() else []
    for path in paths:
        try:
            row = _latest_run(path)
        except duckdb.Error:
            row = None
        _, finished_at, label, loaded, status = row or (None,) * 5
        found.append(Snapshot(path.stem, path, finished_at, label, loaded, status))
    return found


def carry_history(con: duckdb.DuckDBPyConnection, previous_db: Path) -> None:
    """Append the run history of `previous_db` (runs this database lacks) to etl_runs and etl_files."""
    con.execute("ATTACH ? AS previous (READ_ONLY)", [str(previous_db)])
    try:
        for table in ("etl_runs", "etl_files"):
            exists = con.execute("SELECT count(*) FROM duckdb_tables() WHERE database_name = 'previous' "
                                 "AND table_name = ?", [table]).fetchone()[0]
            if exists:
                con.execute(f"INSERT INTO {table} BY NAME SELECT * FROM previous.{table} "
                            f"WHERE run_id NOT IN (SELECT run_id FROM {table})")
    finally:
        con.execute("DETACH previous")


def rollback(live_db: Path, run_id: str) -> str:
    """Restore the snapshot of `run_id` atomically, like a publish; returns the new run id.

    The restored file gets the live run history plus one run row (status `rollback:<run_id>`), so
    history survives and the file being replaced is itself kept as a snapshot.
    """
    live_db = Path(live_db)
    source = snapshot_dir(live_db) / f"{run_id}.duckdb"
    if not source.exists():
        known = "、".join(s.run_id for s in list_snapshots(live_db)) or "无"
        raise EtlError(f"没有运行“{run_id}”的快照（现有快照：{known}）")
    new_id = new_run_id()
    work = work_file(live_db, new_id)
    try:
        shutil.copyfile(source, work)
        con = duckdb.connect(str(work))
        try:
            if live_db.exists():
                carry_history(con, live_db)
            now = dt.datetime.now(dt.UTC).replace(tzinfo=None)
            con.execute("INSERT INTO etl_runs BY NAME SELECT * REPLACE (? AS run_id, ? AS started_at, "
                        "? AS finished_at, 0.0 AS duration_s, ? AS status) FROM etl_runs WHERE run_id = ?",
                        [new_id, now, now, f"rollback:{run_id}", run_id])
            con.execute("INSERT INTO etl_files BY NAME SELECT * REPLACE (? AS run_id) FROM etl_files "
                        "WHERE run_id = ?", [new_id, run_id])
        finally:
            con.close()
        publish(work, live_db)
    finally:
        work.unlink(missing_ok=True)
    return new_id
