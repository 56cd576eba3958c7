"""Atomic publish (`os.replace`), snapshots of earlier databases, rollback, and the lock that
serializes publishes.

A database's run id is the run that made it: the latest row of its own `etl_runs`, which also says
who ran it and why. Publishing keeps the file it replaces as `<db dir>/snapshots/<run id>.duckdb`
(a hard link where possible, so this costs no copy), newest 10 kept.
"""
from __future__ import annotations

import dataclasses
import datetime as dt
import fcntl
import os
import shutil
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import duckdb

from etl.database import open_read_only
from etl.errors import EtlError, PublishBusyError, StorageError
from etl.workfiles import work_file
from security.audit import os_user

SNAPSHOT_DIR = "snapshots"
KEEP_SNAPSHOTS = 10
LOCK_WAIT_S = 120.0       # a publish waits this long for another to finish, then says to retry
# Run-history columns added after the first release: an older database gains them (NULL) when read into.
ADDED_HISTORY_COLUMNS = (("etl_runs", "actor"), ("etl_runs", "reason"), ("etl_files", "original_name"))


@dataclass(frozen=True)
class FileChange:
    """One file a run loaded that the run before it did not (added), or the reverse (removed), or
    loaded with other content under the same name (changed); rows as the run that had it counted."""
    change: str
    source_file: str
    original_name: str | None      # an upload's own name; None for a file of the data folder
    record_type: str | None
    rows_read: int | None
    rows_loaded: int | None
    rows_rejected: int | None

    @property
    def name(self) -> str:
        return self.original_name or self.source_file


@dataclass(frozen=True)
class Snapshot:
    run_id: str
    path: Path
    finished_at: dt.datetime | None
    dataset_label: str | None
    rows_loaded: int | None
    status: str | None
    actor: str | None = None
    reason: str | None = None
    changes: tuple[FileChange, ...] = ()


_held = threading.local()     # lock file → depth, per thread: a confirm builds while holding the lock


def lock_path(live_db: Path) -> Path:
    live_db = Path(live_db)
    return live_db.parent / f".{live_db.name}.lock"


def _open_lock(path: Path) -> int:
    try:
        return os.open(path, os.O_RDONLY)        # read-only is enough for flock, and works on a read-only folder
    except FileNotFoundError:
        return os.open(path, os.O_RDONLY | os.O_CREAT, 0o644)


@contextmanager
def publish_lock(live_db: Path) -> Iterator[bool]:
    """Serialize publishes of one database (build, import, restore) across processes and threads.

    An exclusive flock on a lock file beside the database, re-entrant within a thread. Waits up to
    LOCK_WAIT_S for another publish, then raises PublishBusyError. Yields True to the outermost
    holder, which may clear what killed publishes left (etl.build.publishing)."""
    path = lock_path(live_db).absolute()
    depth = _held.__dict__.setdefault("depth", {})
    if depth.get(path):
        depth[path] += 1
        try:
            yield False
        finally:
            depth[path] -= 1
        return
    try:
        path.parent.mkdir(parents=True, exist_ok=True)    # a first import may come before any database
        fd = _open_lock(path)
    except OSError as exc:
        raise StorageError(exc, path.parent, "发布") from exc
    try:
        deadline = time.monotonic() + LOCK_WAIT_S
        while True:
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except BlockingIOError:
                if time.monotonic() >= deadline:
                    raise PublishBusyError(f"另一项发布（构建、导入或恢复）正在进行，等待 {LOCK_WAIT_S:g} 秒后仍未结束；"
                                           "数据库未作更改，请稍后重试。") from None
                time.sleep(0.05)
        depth[path] = 1
        try:
            yield True
        finally:
            del depth[path]
    finally:
        os.close(fd)      # releases the lock


def new_run_id() -> str:
    """UTC time to the microsecond: unique per build and sortable, safe in a file name."""
    return dt.datetime.now(dt.UTC).strftime("%Y%m%dT%H%M%S.%fZ")


def snapshot_dir(live_db: Path) -> Path:
    return Path(live_db).parent / SNAPSHOT_DIR


def _dicts(con: duckdb.DuckDBPyConnection, sql: str, params: list) -> list[dict]:
    cursor = con.execute(sql, params)
    names = [d[0] for d in cursor.description]
    return [dict(zip(names, row)) for row in cursor.fetchall()]


def _changes(now: list[dict], before: list[dict]) -> tuple[FileChange, ...]:
    new, old = {f["source_file"]: f for f in now}, {f["source_file"]: f for f in before}
    found = []
    for name in sorted(new.keys() | old.keys()):
        if name not in old:
            change, f = "added", new[name]
        elif name not in new:
            change, f = "removed", old[name]
        elif new[name]["checksum"] != old[name]["checksum"]:
            change, f = "changed", new[name]
        else:
            continue
        found.append(FileChange(change, name, f.get("original_name"), f["record_type"], f["rows_read"],
                                f["rows_loaded"], f["rows_rejected"]))
    return tuple(found)


def database_summary(db: Path) -> Snapshot:
    """The run that made `db`: when, who and why, and what it changed against the run before it.

    Raises duckdb.Error when `db` has no readable run history. Reads databases written before
    `actor`, `reason` and `original_name` existed (they read as None)."""
    # open_read_only, not duckdb.connect(path): in a process that still holds a connection to a replaced
    # file (the app), connect(path) would read that old file (duckdb#15912) and misname the snapshot.
    with open_read_only(db) as con:
        runs = _dicts(con, "SELECT * FROM etl_runs ORDER BY finished_at DESC, run_id DESC LIMIT 2", [])
        if not runs:
            return Snapshot(Path(db).stem, Path(db), None, None, None, None)
        files = _dicts(con, "SELECT * FROM etl_files WHERE list_contains(?, run_id)", [[r["run_id"] for r in runs]])
    run, before = runs[0], runs[1:]
    now_files = [f for f in files if f["run_id"] == run["run_id"]]
    before_files = [f for f in files if before and f["run_id"] == before[0]["run_id"]]
    return Snapshot(run["run_id"], Path(db), run["finished_at"], run["dataset_label"], run["rows_loaded"],
                    run["status"], run.get("actor"), run.get("reason"), _changes(now_files, before_files))


def database_run_id(db: Path) -> str | None:
    """The run that made `db`, or None when it has no readable run history."""
    try:
        with open_read_only(db) as con:
            row = con.execute("SELECT run_id FROM etl_runs ORDER BY finished_at DESC, run_id DESC LIMIT 1").fetchone()
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
    """Kept snapshots, newest first, each with who made it, why, and what it changed."""
    found = []
    folder = snapshot_dir(live_db)
    paths = sorted(folder.glob("*.duckdb"), key=lambda p: p.stat().st_mtime, reverse=True) if folder.exists() else []
    for path in paths:
        try:
            found.append(dataclasses.replace(database_summary(path), run_id=path.stem, path=path))
        except duckdb.Error:
            found.append(Snapshot(path.stem, path, None, None, None, None))
    return found


def upgrade_history(con: duckdb.DuckDBPyConnection) -> None:
    """Give etl_runs and etl_files the columns added since the first release (VARCHAR, NULL in old rows)."""
    for table, column in ADDED_HISTORY_COLUMNS:
        con.execute(f"ALTER TABLE {table} ADD COLUMN IF NOT EXISTS {column} VARCHAR")


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


def rollback(live_db: Path, run_id: str, *, actor: str | None = None, reason: str | None = None) -> str:
    """Restore the snapshot of `run_id` atomically, like a publish; returns the new run id.

    The restored file gets the live run history plus one run row (status `rollback:<run_id>`, who:
    `actor`, else the OS user; why: `reason`), so history survives and the file being replaced is
    itself kept as a snapshot.
    """
    with publish_lock(live_db):
        return _rollback(Path(live_db), run_id, actor or os_user(), reason)


def _rollback(live_db: Path, run_id: str, actor: str, reason: str | None) -> str:
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
            upgrade_history(con)          # a snapshot older than the actor and reason columns
            if live_db.exists():
                carry_history(con, live_db)
            now = dt.datetime.now(dt.UTC).replace(tzinfo=None)
            con.execute("INSERT INTO etl_runs BY NAME SELECT * REPLACE (? AS run_id, ? AS started_at, "
                        "? AS finished_at, 0.0 AS duration_s, ? AS status, ? AS actor, ? AS reason) FROM etl_runs "
                        "WHERE run_id = ?", [new_id, now, now, f"rollback:{run_id}", actor, reason, run_id])
            con.execute("INSERT INTO etl_files BY NAME SELECT * REPLACE (? AS run_id) FROM etl_files "
                        "WHERE run_id = ?", [new_id, run_id])
        finally:
            con.close()
        publish(work, live_db)
    except OSError as exc:
        raise StorageError(exc, live_db.parent, "恢复") from exc
    except duckdb.Error as exc:
        raise EtlError(f"恢复时出错，数据库未作更改：{exc}") from exc
    finally:
        work.unlink(missing_ok=True)
    return new_id
