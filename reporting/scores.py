"""Predicted points (`mart_scores`, computed at build time by etl.scores) as the `scores` command,
the report's sentence and the export sheet show them.

`python -m etl scores --year Y [--subdistrict NAME] [--community NAME] [--format table|csv|json]`: for
one scope (a whole subdistrict or one community, reporting.scope; the whole district has no targets
and so no points) and year, each scored indicator, then its area's subtotal after
the area's indicators, then the total. JSON is a list of objects with exactly the keys of
JSON_KEYS: level (`indicator`, `area` or `total`), id (indicator or area id; null for the total),
year, subdistrict (the subdistrict's name), community (the community's name; null = whole
subdistrict), points (null: no value, not
scored), max_points, rule (计分方式 of an indicator; null for areas and the total), status (an
indicator's status; `complete` / `partial` / `no_data` for areas and the total).
"""
from __future__ import annotations

import argparse
import csv
import io
import json
import sys

import duckdb
import pandas as pd

from etl.database import open_read_only
from etl.terminal import text_table
from reporting.indicator_table import STATUS_ZH, command_database, command_scope, fallback_text, plain_number
from reporting.scope import Scope

JSON_KEYS = ("level", "id", "year", "subdistrict", "community", "points", "max_points", "rule", "status")
LEVEL_ZH = {"indicator": "指标", "area": "领域小计", "total": "合计"}
TOTAL_STATUS_ZH = {"complete": "已全部计分", "partial": "部分无数据未计分", "no_data": "无数据"}


def has_scores(con: duckdb.DuckDBPyConnection) -> bool:
    """False for a database built before scores existed (rebuild it)."""
    return con.execute("SELECT count(*) FROM information_schema.tables WHERE table_name = 'mart_scores'"
                       ).fetchone()[0] > 0


def score_rows(con: duckdb.DuckDBPyConnection, year: int, scope: Scope) -> list[dict]:
    """One scope's rows of `mart_scores` for `year`: each area's indicators (catalogue order) then the
    area, then the total; with name_zh (indicator or area), subdistrict, community name, lost and
    unscored points. The whole district has none."""
    where, params = scope.mart_where("s.")
    cursor = con.execute(f"""
        WITH s AS (
            SELECT s.*, coalesce(i.area_id, s.id) AS area_id, coalesce(i.name_zh, a.name_zh, '合计') AS name_zh,
                   i.sort_order AS indicator_order
              FROM mart_scores s
              LEFT JOIN ref_indicators i ON s.level = 'indicator' AND i.indicator_id = s.id
              LEFT JOIN ref_areas a ON s.level = 'area' AND a.area_id = s.id
             WHERE s.year = ? AND {where}
        )
        SELECT s.level, s.id, s.year, s.subdistrict, c.name AS community, s.points, s.max_points, s.rule, s.status,
               s.name_zh, s.area_id, s.unscored_points, s.target_year,
               CASE WHEN s.points IS NOT NULL OR s.level <> 'indicator'
                    THEN round(s.max_points - s.unscored_points - coalesce(s.points, 0), 2) END AS lost
          FROM s
          LEFT JOIN ref_areas a ON a.area_id = s.area_id
          LEFT JOIN stg_communities c ON c.community_id = s.community_id
         ORDER BY s.level = 'total', a.sort_order, s.level = 'area', s.indicator_order""", [year, *params])
    columns = [d[0] for d in cursor.description]
    return [dict(zip(columns, row)) for row in cursor.fetchall()]


def _status_text(row: dict) -> str:
    if row["level"] == "indicator":
        return STATUS_ZH.get(row["status"], row["status"])
    return TOTAL_STATUS_ZH.get(row["status"], row["status"])


def format_table(rows: list[dict]) -> str:
    headers = ("层级", "指标 / 领域", "预计得分", "分值", "失分", "计分方式", "状态")
    lines = [(LEVEL_ZH[r["level"]], r["name_zh"], plain_number(r["points"]), plain_number(r["max_points"]),
              plain_number(r["lost"]), r["rule"] or "", _status_text(r)) for r in rows]
    return text_table(headers, lines, right_aligned=frozenset({2, 3, 4}), rule=True)


def format_csv(rows: list[dict]) -> str:
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=JSON_KEYS, extrasaction="ignore", lineterminator="\n")
    writer.writeheader()
    writer.writerows(rows)
    return out.getvalue()


def summary_sentence(rows: list[dict], year: int) -> str | None:
    """The report's sentence: predicted total, where points are lost (largest first), what is unscored."""
    total = next((r for r in rows if r["level"] == "total"), None)
    if total is None:
        return None
    if total["points"] is None:
        return f"按指标目标中的分值，{year}年设有分值的指标均暂无数据，尚不能预计得分（分值合计{plain_number(total['max_points'])}分）"
    text = f"按指标目标中的分值和计分方式，预计得分{plain_number(total['points'])}分（满分{plain_number(total['max_points'])}分）"
    lost = sorted((r for r in rows if r["level"] == "indicator" and r["lost"]), key=lambda r: -r["lost"])
    if lost:
        text += "；失分：" + "、".join(f"{r['name_zh']}{plain_number(r['lost'])}分" for r in lost)
    if total["unscored_points"]:
        text += f"；另有{plain_number(total['unscored_points'])}分的指标暂无数据，未计分"
    fallback = fallback_text(total["target_year"], year)
    return text + (f"（{fallback}）" if fallback else "")


def score_frame(rows: list[dict]) -> pd.DataFrame:
    """The rows as an export sheet: Chinese headers, one row per indicator, area subtotal and total."""
    return pd.DataFrame({
        "层级": [LEVEL_ZH[r["level"]] for r in rows], "编号": [r["id"] for r in rows],
        "指标 / 领域": [r["name_zh"] for r in rows], "预计得分": [r["points"] for r in rows],
        "分值": [r["max_points"] for r in rows], "失分": [r["lost"] for r in rows],
        "计分方式": [r["rule"] for r in rows], "状态": [_status_text(r) for r in rows],
    }, columns=["层级", "编号", "指标 / 领域", "预计得分", "分值", "失分", "计分方式", "状态"])


def cli_scores(args: argparse.Namespace) -> int:
    """`python -m etl scores --year Y [--subdistrict NAME] [--community NAME] [--format table|csv|json]
    [--db PATH]`."""
    db_path = command_database(args.db)
    if db_path is None:
        return 1
    with open_read_only(db_path) as con:
        if not has_scores(con):
            print("该数据库构建于得分功能之前，没有预计得分；请重新运行 python -m etl build", file=sys.stderr)
            return 1
        scope = command_scope(con, getattr(args, "subdistrict", None), args.community)
        if scope is None:
            return 2
        if scope.is_district and scope.community_id is None:
            print(f"{scope.label}不计预计得分：分值按各街道的指标目标计算，不跨街道相加。"
                  f"请用 --subdistrict 指定街道：{'、'.join(scope.known)}", file=sys.stderr)
            return 2
        rows = score_rows(con, args.year, scope)
        if not rows:
            where, params = scope.mart_where()
            years = "、".join(str(y) for (y,) in con.execute(
                f"SELECT DISTINCT year FROM mart_scores WHERE {where} ORDER BY year", params).fetchall())
            print(f"{scope.label}没有{args.year}年的预计得分：该年度（及之前年度）的指标目标没有为它设置分值。"
                  f"有得分的年度：{years or '无'}", file=sys.stderr)
            return 2
    if args.format == "json":
        print(json.dumps([{k: r[k] for k in JSON_KEYS} for r in rows], ensure_ascii=False, indent=2))
    elif args.format == "csv":
        sys.stdout.write(format_csv(rows))
    else:
        total = rows[-1]
        fallback = fallback_text(total["target_year"], args.year)
        print(f"{args.year}年 · {scope.label} · 预计得分 {plain_number(total['points'])} / {plain_number(total['max_points'])} 分"
              + (f"（{fallback}）" if fallback else "") + "\n")
        print(format_table(rows))
    return 0
