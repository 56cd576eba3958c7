"""Read-only connections to a published database file: the one opener for the ETL and the app.

The ETL publishes a new database by `os.replace`, so the path stays while the file changes.
"""
from __future__ import annotations

import os
from pathlib import Path

import duckdb

# The build's DuckDB: a memory ceiling (it spills to `<work file>.tmp` beyond it) and its threads.
# A province (35M records) builds within it; the rest of the machine serves the app meanwhile.
BUILD_MEMORY_ENV, BUILD_THREADS_ENV = "COCKPIT_ETL_MEMORY", "COCKPIT_ETL_THREADS"
DEFAULT_BUILD_MEMORY = "6GB"


def build_config(target: Path) -> dict[str, str]:
    """Settings of the connection a build writes `target` with ($COCKPIT_ETL_MEMORY, $COCKPIT_ETL_THREADS)."""
    config = {"memory_limit": os.environ.get(BUILD_MEMORY_ENV, "").strip() or DEFAULT_BUILD_MEMORY,
              "temp_directory": str(Path(target).with_name(Path(target).name + ".tmp"))}
    threads = os.environ.get(BUILD_THREADS_ENV, "").strip()
    if threads:
        config["threads"] = threads
    return config


class ReadOnlyDatabase:
    """A connection to one published file, read-only; used like a DuckDBPyConnection.

    The file is ATTACHed to a fresh in-memory database instead of opened by `duckdb.connect(path)`:
    DuckDB keeps one instance per path, so while any connection to a since-replaced file is still
    open (an older cache entry), `connect(path)` returns the old file's data (duckdb#15912). `USE`
    is per connection, hence `cursor()` sets it again."""

    def __init__(self, path: Path):
        self._con = duckdb.connect()
        try:
            self._con.execute("ATTACH ? AS warehouse (READ_ONLY)", [str(path)])
            self._con.execute("USE warehouse")
        except BaseException:
            self._con.close()
            raise

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


def open_read_only(path: Path | str) -> ReadOnlyDatabase:
    """The file at `path` as it is now, read-only (never a cached instance of a replaced file).
    Raises duckdb.Error when it cannot be read (missing, not a database)."""
    return ReadOnlyDatabase(Path(path))
