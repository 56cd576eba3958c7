"""Work files of builds and previews, and removing the ones a killed process left behind.

A build or rollback writes `.<db>.<run>.new` beside the database (so `os.replace` stays on one file
system), only while it holds the publish lock (etl.publish.publish_lock): whoever holds the lock
knows every such file is dead. An intake preview works in `<temp>/intake-preview-*/` and holds a
lock on the folder's hold file while its Preview lives: a folder whose hold is written but free
belongs to a process that ended (killed, or its Preview dropped).
"""
from __future__ import annotations

import fcntl
import glob
import os
import shutil
import tempfile
import time
from pathlib import Path
from typing import IO

PREVIEW_PREFIX = "intake-preview-"
HOLD_FILE = ".hold"
ABANDONED_AFTER_S = 24 * 3600   # a preview still held (its session ended without confirm or cancel)


def work_file(live_db: Path, run_id: str) -> Path:
    """Where a new database is built: next to the live file, so `os.replace` stays on one file system."""
    live_db = Path(live_db)
    return live_db.parent / f".{live_db.name}.{run_id}.new"


def remove_work_files(live_db: Path) -> None:
    """Every `.<db>.*.new` (and its `.wal`, temp folder): call only while holding the publish lock."""
    live_db = Path(live_db)
    for path in live_db.parent.glob(f".{glob.escape(live_db.name)}.*.new*"):
        if path.is_dir():
            shutil.rmtree(path, ignore_errors=True)
        else:
            path.unlink(missing_ok=True)


def new_preview_dir() -> tuple[Path, IO]:
    """A fresh preview folder and its open, locked hold file (close it when the preview is done)."""
    folder = Path(tempfile.mkdtemp(prefix=PREVIEW_PREFIX))
    hold = open(folder / HOLD_FILE, "w", encoding="utf-8")
    try:
        fcntl.flock(hold, fcntl.LOCK_EX)
        hold.write(str(os.getpid()))     # written once locked: a sweeper that reads it may trust a free lock
        hold.flush()
    except BaseException:
        hold.close()
        shutil.rmtree(folder, ignore_errors=True)
        raise
    return folder, hold


def _ended(folder: Path) -> bool:
    try:
        with open(folder / HOLD_FILE, encoding="utf-8") as fh:
            if not fh.read():
                return False             # being created: not locked yet
            try:
                fcntl.flock(fh, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except BlockingIOError:
                return False
            return True
    except FileNotFoundError:
        return False


def sweep_previews() -> None:
    """Remove preview folders of ended processes, and any older than a day."""
    cutoff = time.time() - ABANDONED_AFTER_S
    for folder in Path(tempfile.gettempdir()).glob(PREVIEW_PREFIX + "*"):
        if folder.is_dir() and (folder.stat().st_mtime < cutoff or _ended(folder)):
            shutil.rmtree(folder, ignore_errors=True)
