"""Where the indicator database is, and read-only connections to it.

The ETL publishes a new database by `os.replace`, so the path stays while the file (inode, mtime,
size) changes; `stamp()` captures exactly that and is part of every cache key in the app.
"""
from __future__ import annotations

import os
from pathlib import Path

import duckdb

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


class ReadOnlyDatabase:
    """A connection to one published file, read-only; used like a DuckDBPyConnection.

    The file is ATTACHed to a fresh in-memory database instead of opened by `duckdb.connect(path)`:
    DuckDB keeps one instance per path, so while any connection to a since-replaced file is still
    open (an older cache entry), `connect(path)` returns the old file's data (duckdb#15912). `USE`
    is per connection, hence `cursor()` sets it again."""

    def __init__(self, path: Path):
        self._con = duckdb.connect()
        self._con.execute("ATTACH ? AS warehouse (READ_ONLY)", [str(path)])
        self._con.execute("USE warehouse")

    def cursor(self) -> duckdb.DuckDBPyConnection:
        cursor = self._con.cursor()
        cursor.execute("USE warehouse")
        return cursor

    def __getattr__(self, name: str):
        return getattr(self._con, name)

    def __enter__(self) -> "ReadOnlyDatabase":
        return self

    def __exit__(self, *exc) -> None:
        self._con.close()


def connect(path: Path) -> ReadOnlyDatabase:
    """A read-only connection: the app never writes, and readers don't block a publish."""
    if not Path(path).exists():
        raise DatabaseMissing(str(path))
    return ReadOnlyDatabase(path)
