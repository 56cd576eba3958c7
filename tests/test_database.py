"""etl.database: the one read-only opener of a published database file."""
from __future__ import annotations

import os

import duckdb

from etl.database import open_read_only


def make_db(path, value):
    con = duckdb.connect(str(path))
    con.execute("CREATE TABLE t AS SELECT ? AS v", [value])
    con.close()
    return path


def test_open_read_only_sees_the_file_that_replaced_one_still_held_open(tmp_path):
    path = make_db(tmp_path / "live.duckdb", "A")
    held = duckdb.connect(str(path), read_only=True)    # like a cached connection in the app
    try:
        assert held.execute("SELECT v FROM t").fetchone() == ("A",)
        os.replace(make_db(tmp_path / "new.duckdb", "B"), path)    # a publish
        with open_read_only(path) as con:
            assert con.execute("SELECT v FROM t").fetchall() == [("B",)]
            assert con.cursor().execute("SELECT v FROM t").fetchall() == [("B",)]
    finally:
        held.close()
