"""Where the indicator database is, and read-only connections to it.

The ETL publishes a new database by `os.replace`, so the path stays while the file (inode, mtime,
size) changes; `stamp()` captures exactly that and is part of every cache key in the app. Connections
come from `etl.database.open_read_only`, which reads the file as it is now (see `ReadOnlyDatabase`).
"""
from __future__ import annotations

import os
from pathlib import Path

from etl.database import ReadOnlyDatabase, open_read_only

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_DB = ROOT / "data" / "warehouse.duckdb"
ENV_VAR = "COCKPIT_DB"

Stamp = tuple[int, int, int]


class DatabaseMissing(FileNotFoundError):
    """The database file does not exist (not built yet, or COCKPIT_DB points nowhere)."""


def db_path() -> Path:
    """The database the app reads: $COCKPIT_DB, else data/warehouse.duckdb."""
    configured = os.environ.get(ENV_VAR, "").strip()
    return Path(configured) if configured else DEFAULT_DB


def stamp(path: Path) -> Stamp:
    """(mtime_ns, inode, size) of the file; changes whenever a new database is published."""
    try:
        info = os.stat(path)
    except FileNotFoundError as exc:
        raise DatabaseMissing(str(path)) from exc
    return info.st_mtime_ns, info.st_ino, info.st_size


def connect(path: Path) -> ReadOnlyDatabase:
    """A read-only connection: the app never writes, and readers don't block a publish."""
    if not Path(path).exists():
        raise DatabaseMissing(str(path))
    return open_read_only(path)
