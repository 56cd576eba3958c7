"""raw_<type> → stg_<type>: typing, normalising, validation, rejects and de-duplication, in SQL.

Table shapes are derived from etl/schema.py so that the contract has one source.
"""
from __future__ import annotations

import duckdb

from etl import schema
from etl.schema import COMMUNITY, Field, RecordType

LINEAGE_COLUMNS = (("source_file", "VARCHAR"), ("source_row", "BIGINT"), ("load_id", "VARCHAR"))
REJECT_COLUMNS = (("load_id", "VARCHAR"), ("record_type", "VARCHAR"), ("source_file", "VARCHAR"),
                  ("source_row", "BIGINT"), ("field", "VARCHAR"), ("value", "VARCHAR"),
                  ("reason", "VARCHAR"), ("kind", "VARCHAR"))


def quote(identifier: str) -> str:
    """Quote an identifier taken from etl/schema.py (fields such as `table` and `row` are keywords)."""
    return '"' + identifier.replace('"', '""') + '"'


def stg_column(f: Field) -> str:
    """Staging column of a field: a community field holds the resolved `community_id`."""
    return "community_id" if f.kind == COMMUNITY else f.name


def stg_type(rt: RecordType, f: Field) -> str:
    if rt.name == "communities" and f.name == "aliases":
        return "VARCHAR[]"
    return schema.SQL_TYPE[f.kind]


def stg_key(rt: RecordType) -> tuple[str, ...]:
    return tuple(stg_column(rt.field(k)) for k in rt.key)


def raw_table(rt: RecordType) -> str:
    return f"raw_{rt.name}"


def stg_table(rt: RecordType) -> str:
    return f"stg_{rt.name}"


def create_raw_tables(con: duckdb.DuckDBPyConnection) -> None:
    """One all-VARCHAR raw_<type> table per record type, plus lineage."""
    for rt in schema.RECORD_TYPES.values():
        columns = [f"{quote(f.name)} VARCHAR" for f in rt.fields]
        columns += [f"{name} {sql_type}" for name, sql_type in LINEAGE_COLUMNS]
        con.execute(f"CREATE TABLE IF NOT EXISTS {raw_table(rt)} ({', '.join(columns)})")
        con.execute(f"COMMENT ON TABLE {raw_table(rt)} IS "
                    f"'{rt.name_zh}原始行：每行为源文件中读到的一行（全部为文本）'")


def create_staging_tables(con: duckdb.DuckDBPyConnection) -> None:
    """Every empty stg_<type> table and `rejects`, as docs/architecture.md describes them."""
    for rt in schema.RECORD_TYPES.values():
        columns = [f"{quote(stg_column(f))} {stg_type(rt, f)}" for f in rt.fields]
        columns += [f"{name} {sql_type}" for name, sql_type in LINEAGE_COLUMNS]
        con.execute(f"CREATE TABLE IF NOT EXISTS {stg_table(rt)} ({', '.join(columns)})")
        key = "、".join(stg_key(rt))
        # COMMENT ON takes a literal, not a parameter; the grain text comes from schema.py.
        comment = f"粒度：{rt.grain}；键：{key}".replace("'", "''")
        con.execute(f"COMMENT ON TABLE {stg_table(rt)} IS '{comment}'")
    columns = ", ".join(f"{name} {sql_type}" for name, sql_type in REJECT_COLUMNS)
    con.execute(f"CREATE TABLE IF NOT EXISTS rejects ({columns})")
    con.execute("COMMENT ON TABLE rejects IS '粒度：一个被拒绝的输入行（invalid 无效 或 duplicate 重复）'")
