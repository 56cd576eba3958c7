"""Read-only connections to a published database file: the one opener for the ETL and the app.

The ETL publishes a new database by `os.replace`, so the path stays while the file changes.
"""
from __future__ import annotations

from pathlib import Path

import duckdb


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
