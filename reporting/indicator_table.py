"""The `indicators` command: one year's indicator values of one scope (the district, a subdistrict or a
community; reporting.scope) as a table, CSV or JSON. Every row carries `subdistrict`: the
subdistrict's name, null for the whole district."""
from __future__ import annotations

import argparse
import csv
import io
import json
import sys
from pathlib import Path

import duckdb

from etl.database import open_read_only
from etl.terminal import text_table
from reporting.scope import Scope, ScopeError, resolve_scope

STATUS_ZH = {"green": "达标", "amber": "预警", "red": "未达标", "no_data": "无数据", "none": "无目标",
             "no_community_target": "无社区目标"}
OUTPUT_COLUMNS = ("indicator_id", "name_zh", "year", "subdistrict", "community_id", "community", "value", "unit",
                  "numerator", "denominator", "status", "no_data_reason", "target", "target_year", "note")


def indicator_rows(con: duckdb.DuckDBPyConnection, year: int, scope: Scope) -> list[dict]:
    """One year's indicator values of one scope (a community, a subdistrict or the district), in
    catalogue order, each with its `subdistrict` (None = the whole district)."""
    where, params = scope.mart_where("m.")
    cursor = con.execute(f"""
        SELECT m.indicator_id, r.name_zh, m.year, m.subdistrict, m.community_id, c.name AS community, m.value,
               r.unit_zh AS unit, m.numerator, m.denominator, m.status, m.no_data_reason, m.target,
               m.target_year, m.note
          FROM mart_indicator_values m
          JOIN ref_indicators r USING (indicator_id)
          LEFT JOIN stg_communities c USING (community_id)
         WHERE m.year = ? AND {where}
         ORDER BY r.sort_order""", [year, *params])
    columns = [d[0] for d in cursor.description]
    return [dict(zip(columns, row)) for row in cursor.fetchall()]


def plain_number(value: float | None) -> str:
    """A figure for the command line: thousands separated, at most two decimals, — for none."""
    if value is None:
        return "—"
    return f"{value:,.2f}".rstrip("0").rstrip(".")


MEAN_KINDS = ("mean",)   # catalogue kinds whose value is a mean: numerator is a sum of scores


def shown_numerator(kind: str | None, numerator: float | None) -> float | None:
    """The numerator a reader is shown: none for a mean (调解满意度), whose numerator is a raw sum of
    scores, not a figure; the app's indicator tables and the report's annex follow this."""
    return None if kind in MEAN_KINDS else numerator


def fallback_text(target_year: int | None, year: int) -> str | None:
    """沿用2021年目标 when a year is rated against an earlier year's targets (etl.targets)."""
    return f"沿用{target_year}年目标" if target_year is not None and target_year < year else None


def format_table(rows: list[dict]) -> str:
    headers = ("指标", "数值", "单位", "目标", "状态", "分子/分母", "说明")
    lines = []
    for r in rows:
        parts = "" if r["denominator"] is None else f"{plain_number(r['numerator'])}/{plain_number(r['denominator'])}"
        fallback = fallback_text(r.get("target_year"), r.get("year", 0))
        lines.append((r["name_zh"], plain_number(r["value"]), r["unit"], plain_number(r["target"]),
                      STATUS_ZH.get(r["status"], r["status"]), parts,
                      "；".join(t for t in (fallback, r["no_data_reason"], r["note"]) if t)))
    return text_table(headers, lines, right_aligned=frozenset({1, 3, 5}), rule=True)


def format_csv(rows: list[dict]) -> str:
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=OUTPUT_COLUMNS, lineterminator="\n")
    writer.writeheader()
    writer.writerows(rows)
    return out.getvalue()


def command_scope(con: duckdb.DuckDBPyConnection, subdistrict: str | None, community: str | None) -> Scope | None:
    """The scope of a command's --subdistrict and --community (reporting.scope); None, with the known
    names said on stderr, when they name no subdistrict or community of it."""
    try:
        return resolve_scope(con, subdistrict, community)
    except ScopeError as exc:
        print(exc, file=sys.stderr)
        return None


def command_database(path: str) -> Path | None:
    """The database a read command opens; None (the error on stderr) when there is none yet."""
    db_path = Path(path)
    if not db_path.exists():
        print(f"数据库文件不存在：{db_path}；请先运行 python -m etl build", file=sys.stderr)
        return None
    return db_path


def cli_indicators(args: argparse.Namespace) -> int:
    """`python -m etl indicators --year Y [--subdistrict NAME] [--community NAME] [--format table|csv|json]
    [--db PATH]`."""
    db_path = command_database(args.db)
    if db_path is None:
        return 1
    with open_read_only(db_path) as con:
        scope = command_scope(con, getattr(args, "subdistrict", None), args.community)
        if scope is None:
            return 2
        rows = indicator_rows(con, args.year, scope)
        if not rows:
            years = "、".join(str(y) for (y,) in con.execute(
                "SELECT DISTINCT year FROM mart_indicator_values ORDER BY year").fetchall())
            print(f"没有{args.year}年的指标值。已有年度：{years or '无'}", file=sys.stderr)
            return 2
    if args.format == "json":
        print(json.dumps(rows, ensure_ascii=False, indent=2))
    elif args.format == "csv":
        sys.stdout.write(format_csv(rows))
    else:
        print(f"{args.year}年 · {scope.label}\n")
        print(format_table(rows))
    return 0
