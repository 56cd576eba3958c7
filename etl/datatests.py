"""Data tests run after every build: a failure raises BuildError and nothing is published."""
from __future__ import annotations

import duckdb

from etl import schema
from etl.errors import BuildError
from etl.staging import PART_WORDS, quote, raw_table, stg_column, stg_key, stg_table


def _count(con, sql: str, params: list | None = None) -> int:
    return con.execute(f"SELECT count(*) FROM ({sql})", params or []).fetchone()[0]


def failures(con: duckdb.DuckDBPyConnection) -> list[str]:
    """Each failed test, in Chinese, with how many rows fail it."""
    found = []
    for rt in schema.RECORD_TYPES.values():
        table = stg_table(rt)
        key = ", ".join(quote(c) for c in stg_key(rt))
        n = _count(con, f"SELECT {key} FROM {table} GROUP BY ALL HAVING count(*) > 1")
        if n:
            found.append(f"{table}：键（{key}）有 {n} 组重复")
        for f in rt.required_fields:
            n = _count(con, f"SELECT 1 FROM {table} WHERE {quote(stg_column(f))} IS NULL")
            if n:
                found.append(f"{table}：必填字段 {f.name} 有 {n} 行为空")
        for f in rt.fields:
            allowed = sorted(set(PART_WORDS.values())) if (rt.name, f.name) == ("reported_values", "part") \
                else list(f.allowed)
            if allowed:
                n = _count(con, f"SELECT 1 FROM {table} WHERE {quote(f.name)} IS NOT NULL "
                                f"AND NOT list_contains(?, {quote(f.name)})", [allowed])
                if n:
                    found.append(f"{table}：字段 {f.name} 有 {n} 行不是允许值")
    found += _balance_failures(con)
    found += _replacement_failures(con)
    n = _count(con, "SELECT DISTINCT indicator_id FROM mart_indicator_values "
                    "WHERE indicator_id NOT IN (SELECT indicator_id FROM ref_indicators)")
    if n:
        found.append(f"mart_indicator_values：有 {n} 个指标编号不在指标目录中")
    found += _score_failures(con)
    return found


def _balance_failures(con) -> list[str]:
    """Per file: rows loaded + rows rejected = rows read."""
    read = " UNION ALL ".join(f"SELECT source_file FROM {raw_table(rt)}" for rt in schema.RECORD_TYPES.values())
    kept = " UNION ALL ".join(f"SELECT source_file FROM {stg_table(rt)}" for rt in schema.RECORD_TYPES.values())
    rows = con.execute(
        f"SELECT coalesce(r.source_file, k.source_file), coalesce(r.n, 0), coalesce(k.n, 0) "
        f"FROM (SELECT source_file, count(*) AS n FROM ({read}) GROUP BY 1) r "
        f"FULL JOIN (SELECT source_file, count(*) AS n FROM ({kept} UNION ALL SELECT source_file FROM rejects) "
        f"           GROUP BY 1) k ON r.source_file = k.source_file "
        f"WHERE coalesce(r.n, 0) <> coalesce(k.n, 0) ORDER BY 1").fetchall()
    return [f"{file}：读取 {read_n} 行，但载入 + 拒绝 = {accounted_n} 行" for file, read_n, accounted_n in rows]


def _replacement_failures(con) -> list[str]:
    """A row replaced by a later upload is a `replaced` reject, and the row that replaced it was loaded."""
    found = []
    n = _count(con, "(SELECT source_file, source_row FROM replacements EXCEPT ALL "
                    " SELECT source_file, source_row FROM rejects WHERE kind = 'replaced') UNION ALL "
                    "(SELECT source_file, source_row FROM rejects WHERE kind = 'replaced' EXCEPT ALL "
                    " SELECT source_file, source_row FROM replacements)")
    if n:
        found.append(f"replacements：有 {n} 行与 rejects 中的 replaced 行不一致")
    kept = " UNION ALL ".join(f"SELECT ? AS record_type, source_file, source_row FROM {stg_table(rt)}"
                              for rt in schema.RECORD_TYPES.values())
    n = _count(con, f"SELECT record_type, replaced_by_file, replaced_by_row FROM replacements "
                    f"EXCEPT SELECT * FROM ({kept})", list(schema.RECORD_TYPES))
    if n:
        found.append(f"replacements：有 {n} 行所指的更正行未载入")
    return found


def _score_failures(con) -> list[str]:
    """Points lie within 0 and the points available, and areas and totals add up their indicators."""
    found = []
    n = _count(con, "SELECT 1 FROM mart_scores WHERE points < 0 OR points > max_points + 1e-9")
    if n:
        found.append(f"mart_scores：有 {n} 行得分不在 0 与分值之间")
    n = _count(con, """
        SELECT 1 FROM mart_scores t JOIN (
            SELECT s.year, s.subdistrict, s.community_id, r.area_id, sum(s.points) AS points,
                   sum(s.max_points) AS max_points
              FROM mart_scores s JOIN ref_indicators r ON r.indicator_id = s.id WHERE s.level = 'indicator'
             GROUP BY GROUPING SETS ((s.year, s.subdistrict, s.community_id, r.area_id),
                                     (s.year, s.subdistrict, s.community_id))) i
          ON i.year = t.year AND i.community_id IS NOT DISTINCT FROM t.community_id
         AND i.subdistrict IS NOT DISTINCT FROM t.subdistrict
         AND ((t.level = 'area' AND i.area_id = t.id) OR (t.level = 'total' AND i.area_id IS NULL))
         WHERE abs(coalesce(t.points, 0) - coalesce(i.points, 0)) > 0.005 OR abs(t.max_points - i.max_points) > 0.005""")
    if n:
        found.append(f"mart_scores：有 {n} 个领域或合计与其指标得分之和不符")
    return found


def assert_data_tests(con: duckdb.DuckDBPyConnection) -> None:
    found = failures(con)
    if found:
        raise BuildError("数据测试未通过，未发布：" + "；".join(found))
