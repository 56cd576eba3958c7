"""The office's targets (record type `targets`, `stg_targets`) applied to `mart_indicator_values`.

A cell (indicator × year × subdistrict × community) is rated only against a target of its own
scope: the whole subdistrict (community_id NULL) against a 街道 target; a community against a 社区
target, its own row before the row for every community (blank 社区). A community is never rated
against the subdistrict's target. A target naming its 街道 applies there, before a blank 街道 (every
subdistrict). The whole district (several subdistricts: both NULL) has no target.

Fallback: the targets of a year replace the previous year's as a whole, per scope. A year without
any target of a scope uses the latest earlier year that has some; `target_year` records which year's
targets rated the cell, so readers can say 沿用2021年目标. Years before the first targets have none.

Status (`status`):
- no value → `no_data`; an indicator without direction → `none`;
- no target of the cell's scope → `none` for the whole subdistrict or district, `no_community_target` for a
  community (shown as 无社区目标, without colour);
- ↑: `green` when value ≥ target, `red` when value < red line, `amber` between; ↓ mirrored;
  a blank red line is the target itself (no amber band).
"""
from __future__ import annotations

import duckdb

EFFECTIVE = "_mart_targets"   # temp table: the target row that applies to each cell (used by etl.scores)
WHOLE, COMMUNITY = "街道", "社区"   # etl.schema.TARGET_SCOPES
STATUSES = ("green", "amber", "red", "no_data", "none", "no_community_target")


def create_effective_targets(con: duckdb.DuckDBPyConnection) -> None:
    """`_mart_targets`: per mart cell with a target of its scope, that target row and its year."""
    several = con.execute("SELECT count(DISTINCT subdistrict) > 1 FROM mart_indicator_values").fetchone()[0]
    con.execute(f"""
        CREATE OR REPLACE TEMP TABLE {EFFECTIVE} AS
        WITH cells AS (
            SELECT indicator_id, year, subdistrict, community_id,
                   CASE WHEN community_id IS NOT NULL THEN $community
                        WHEN subdistrict IS NULL AND $several THEN NULL ELSE $whole END AS scope
              FROM mart_indicator_values
        ), target_years AS (   -- per covered year and scope: the latest year up to it with targets of the scope
            SELECT y.year, t.scope, max(t.year) AS target_year
              FROM (SELECT DISTINCT year FROM mart_indicator_values) y
              JOIN stg_targets t ON t.year <= y.year
             GROUP BY ALL
        )
        SELECT c.indicator_id, c.year, c.subdistrict, c.community_id, c.scope, ty.target_year, t.target,
               t.red_threshold, t.points, t.rule, t.deduction, t.basis, t.source_file, t.source_row
          FROM cells c
          JOIN target_years ty ON ty.year = c.year AND ty.scope = c.scope
          JOIN stg_targets t ON t.indicator_id = c.indicator_id AND t.year = ty.target_year AND t.scope = c.scope
               AND (t.community_id IS NULL OR t.community_id = c.community_id)
               AND (t.subdistrict IS NULL OR t.subdistrict = c.subdistrict)
        QUALIFY row_number() OVER (PARTITION BY c.indicator_id, c.year, c.subdistrict, c.community_id
                                   ORDER BY t.community_id NULLS LAST, t.subdistrict NULLS LAST) = 1""",
                {"whole": WHOLE, "community": COMMUNITY, "several": several})


def apply_targets(con: duckdb.DuckDBPyConnection) -> None:
    """Each cell's target, red line, target year, basis and status (rules in the module docstring)."""
    create_effective_targets(con)
    con.execute(f"""
        UPDATE mart_indicator_values m
           SET target = s.target, red_threshold = s.red_threshold, target_year = s.target_year,
               target_basis = s.basis, status = s.status
          FROM (
            SELECT m.indicator_id, m.year, m.subdistrict, m.community_id, e.target, coalesce(e.red_threshold, e.target) AS red_threshold,
                   e.target_year, e.basis,
                   CASE WHEN m.value IS NULL THEN 'no_data'
                        WHEN r.direction NOT IN ('up', 'down') THEN 'none'
                        WHEN e.target IS NULL THEN CASE WHEN m.community_id IS NULL THEN 'none'
                                                        ELSE 'no_community_target' END
                        WHEN r.direction = 'up' AND m.value >= e.target THEN 'green'
                        WHEN r.direction = 'up' AND m.value < coalesce(e.red_threshold, e.target) THEN 'red'
                        WHEN r.direction = 'down' AND m.value <= e.target THEN 'green'
                        WHEN r.direction = 'down' AND m.value > coalesce(e.red_threshold, e.target) THEN 'red'
                        ELSE 'amber' END AS status
              FROM mart_indicator_values m
              JOIN ref_indicators r USING (indicator_id)
              LEFT JOIN {EFFECTIVE} e ON e.indicator_id = m.indicator_id AND e.year = m.year
                   AND e.subdistrict IS NOT DISTINCT FROM m.subdistrict
                   AND e.community_id IS NOT DISTINCT FROM m.community_id
          ) s
         WHERE s.indicator_id = m.indicator_id AND s.year = m.year
           AND s.subdistrict IS NOT DISTINCT FROM m.subdistrict
           AND s.community_id IS NOT DISTINCT FROM m.community_id""")
