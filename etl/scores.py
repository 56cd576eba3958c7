"""Predicted points (预计得分) at build time: `mart_scores`, from the indicator values and the
targets that rated them (etl.targets), so every reader shows the same figures.

An indicator scores where its target row of the cell's scope carries points P (分值). Rules (计分方式):
- 达标得分 (also a blank rule): P when the value meets the target (↑ value ≥ target, ↓ value ≤ target), else 0;
- 按比例: P × value ÷ target (↑) or P × target ÷ value (↓), at most P (a met target gives P), at least 0;
- 每件扣分: P − 扣分值 × (value − target) where a ↓ value exceeds the target (↑: target − value where it
  falls short), never below 0.
A cell without a value scores nothing: its points are NULL and count as `unscored_points`.
Each indicator's points are rounded to 0.01; areas and the total add the rounded points.

Rows (grain: one level × id × year × subdistrict × community; community_id NULL = the whole
subdistrict; the whole district has no targets, so no points):
`indicator` (id = indicator_id; status = the indicator's status), `area` (id = area_id) and `total`
(id NULL); for an area or the total, status is `complete` (every indicator with points has a value),
`partial` (some have none: their points are unscored) or `no_data` (none has).
"""
from __future__ import annotations

import duckdb

from etl.targets import EFFECTIVE

MET, PROPORTIONAL, PER_EVENT = "达标得分", "按比例", "每件扣分"   # etl.schema.SCORING_RULES

DDL = """
    CREATE OR REPLACE TABLE mart_scores (
        level VARCHAR NOT NULL, id VARCHAR, year INTEGER NOT NULL, community_id VARCHAR,
        points DOUBLE, max_points DOUBLE, unscored_points DOUBLE, rule VARCHAR, status VARCHAR,
        target_year INTEGER, subdistrict VARCHAR)"""
COMMENT = ("COMMENT ON TABLE mart_scores IS '粒度：一个层级（indicator 指标、area 领域、total 合计）× 编号 × 年度 × 街道 × 社区"
           "（community_id 为空 = 街道整体）；points 为预计得分，max_points 为分值'")


def create_score_macro(con: duckdb.DuckDBPyConnection) -> None:
    """`_score_points(rule, direction, value, target, points, deduction)`: one indicator's points."""
    con.execute(f"""
        CREATE OR REPLACE TEMP MACRO _score_points(rule, direction, value, target, points, deduction) AS
        CASE WHEN value IS NULL OR points IS NULL OR direction NOT IN ('up', 'down') THEN NULL
             WHEN (direction = 'up' AND value >= target) OR (direction = 'down' AND value <= target) THEN points
             WHEN rule = '{PROPORTIONAL}' THEN greatest(0, least(points,
                  CASE WHEN direction = 'up' THEN points * value / target ELSE points * target / value END))
             WHEN rule = '{PER_EVENT}' THEN greatest(0, points - deduction * abs(value - target))
             ELSE 0 END""")


def build_scores(con: duckdb.DuckDBPyConnection) -> None:
    """`mart_scores` from `mart_indicator_values` and the effective targets (etl.targets.apply_targets first)."""
    create_score_macro(con)
    con.execute(DDL)
    con.execute(COMMENT)
    con.execute(f"""
        INSERT INTO mart_scores
        SELECT 'indicator', m.indicator_id, m.year, m.community_id,
               round(_score_points(coalesce(e.rule, $met), r.direction, m.value, e.target, e.points, e.deduction), 2),
               e.points, CASE WHEN m.value IS NULL THEN e.points ELSE 0 END, coalesce(e.rule, $met), m.status,
               e.target_year, m.subdistrict
          FROM mart_indicator_values m
          JOIN ref_indicators r USING (indicator_id)
          JOIN {EFFECTIVE} e ON e.indicator_id = m.indicator_id AND e.year = m.year
               AND e.subdistrict IS NOT DISTINCT FROM m.subdistrict
               AND e.community_id IS NOT DISTINCT FROM m.community_id
         WHERE e.points IS NOT NULL
         ORDER BY r.sort_order, m.year, m.subdistrict, m.community_id NULLS FIRST""", {"met": MET})
    totals = """
        CASE WHEN count(s.points) > 0 THEN round(sum(s.points), 2) END, round(sum(s.max_points), 2),
        round(sum(s.unscored_points), 2), NULL,
        CASE WHEN count(s.points) = 0 THEN 'no_data' WHEN count(s.points) < count(*) THEN 'partial'
             ELSE 'complete' END, max(s.target_year), s.subdistrict"""
    con.execute(f"""
        INSERT INTO mart_scores
        SELECT 'area', r.area_id, s.year, s.community_id, {totals}
          FROM mart_scores s JOIN ref_indicators r ON r.indicator_id = s.id
         WHERE s.level = 'indicator' GROUP BY r.area_id, s.year, s.subdistrict, s.community_id
         ORDER BY r.area_id, s.year, s.subdistrict, s.community_id NULLS FIRST""")
    con.execute(f"""
        INSERT INTO mart_scores
        SELECT 'total', NULL, s.year, s.community_id, {totals}
          FROM mart_scores s WHERE s.level = 'indicator' GROUP BY s.year, s.subdistrict, s.community_id
         ORDER BY s.year, s.subdistrict, s.community_id NULLS FIRST""")
    con.execute("DROP MACRO IF EXISTS _score_points")
