"""Staging: table shapes, typing, normalising, validation, rejects, de-duplication."""
from __future__ import annotations

import duckdb

from etl.staging import create_staging_tables


def test_staging_tables_follow_the_contract():
    con = duckdb.connect()
    create_staging_tables(con)
    columns = dict(con.execute("SELECT column_name, data_type FROM duckdb_columns() "
                               "WHERE table_name = 'stg_cases'").fetchall())
    assert columns["filed_date"] == "DATE"
    assert columns["community_id"] == "VARCHAR"
    assert "community" not in columns
    assert columns["source_row"] == "BIGINT"
    aliases = con.execute("SELECT data_type FROM duckdb_columns() WHERE table_name = 'stg_communities' "
                          "AND column_name = 'aliases'").fetchone()[0]
    assert aliases == "VARCHAR[]"
    comment = con.execute("SELECT comment FROM duckdb_tables() WHERE table_name = 'stg_designations'").fetchone()[0]
    assert comment == "粒度：一个社区持有的一个称号；键：community_id、title、level"
    reject_columns = [r[0] for r in con.execute("SELECT column_name FROM duckdb_columns() "
                                                "WHERE table_name = 'rejects' ORDER BY column_index").fetchall()]
    assert reject_columns == ["load_id", "record_type", "source_file", "source_row", "field", "value",
                              "reason", "kind"]
