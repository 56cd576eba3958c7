"""Figures read from published reports fill the history the records do not reach (issue 12, item 3).

A reported value whose `source` is 已发布报告 (etl.report_import writes them) gives the figure of its
indicator, year and community:
- it fills a cell that has no value because the indicator's record type has no record in that
  year (computed indicators included: 新增行政诉讼案件 of a year before the ledgers), or because no
  one typed the parts of a reported rate (裁量基准细化率 100% from the report, without 分子/分母);
- records win where they exist; a cell where both exist and disagree (an `at least` figure
  disagrees only when the records fall below it) is listed in `published_conflicts`, which
  数据与质量 shows;
- every cell whose value is the published figure says so in its note: 来源：已发布报告（title）.
Run by etl.marts.build_marts after the indicators are computed and before they are rated.
"""
from __future__ import annotations

import duckdb

PUBLISHED = "已发布报告"        # reported_values.source of a figure read from a published report
AT_LEAST = "至少"               # reported_values.qualifier of a floor (余, 以上, 超过)
LABEL = "来源：已发布报告"      # how every page, table, drill-down and export names such a figure
FLOOR_NOTE = "；报告所写为下限（余、以上等）"
TITLE_SEPARATOR = "："          # reported_values.note of a published figure: title：sentence


def fill_from_published(con: duckdb.DuckDBPyConnection) -> None:
    """Fill and label mart cells from published figures; list disagreements in `published_conflicts`.
    Needs `_mart_record_years` (the years each record type has records) of the build in progress."""
    con.execute("""
        CREATE OR REPLACE TEMP TABLE _published AS
        WITH parts AS (
            SELECT indicator_id, year::INTEGER AS year, subdistrict, community_id,
                   max(value) FILTER (WHERE part = 'value') AS value,
                   max(value) FILTER (WHERE part = 'numerator') AS numerator,
                   max(value) FILTER (WHERE part = 'denominator') AS denominator,
                   bool_or(coalesce(qualifier, '') = $at_least) AS at_least,
                   min(split_part(note, $separator, 1)) AS title
              FROM stg_reported_values WHERE source = $published GROUP BY ALL)
        SELECT p.*, coalesce(p.value, CASE WHEN p.denominator > 0 THEN
                   p.numerator / p.denominator * CASE WHEN r.unit_zh = '%' THEN 100 ELSE 1 END END) AS figure,
               r.source AS record_type,
               $label || coalesce('（' || nullif(p.title, '') || '）', '')
                      || CASE WHEN p.at_least THEN $floor ELSE '' END AS label
          FROM parts p JOIN ref_indicators r USING (indicator_id)""",
                {"published": PUBLISHED, "at_least": AT_LEAST, "separator": TITLE_SEPARATOR, "label": LABEL,
                 "floor": FLOOR_NOTE})
    # Records win: a figure the records contradict is listed, never shown instead of them.
    con.execute("""
        CREATE OR REPLACE TABLE published_conflicts AS
        SELECT m.indicator_id, m.year, m.community_id, m.value AS recorded, p.figure AS published,
               CASE WHEN p.at_least THEN $at_least ELSE '' END AS qualifier, p.title, m.subdistrict
          FROM mart_indicator_values m
          JOIN _published p ON p.indicator_id = m.indicator_id AND p.year = m.year
                           AND p.subdistrict IS NOT DISTINCT FROM m.subdistrict
                           AND p.community_id IS NOT DISTINCT FROM m.community_id
         WHERE m.value IS NOT NULL AND p.figure IS NOT NULL
           AND NOT (m.value = p.figure AND p.record_type = 'reported_values')
           AND CASE WHEN p.at_least THEN m.value < p.figure ELSE abs(m.value - p.figure) > 1e-9 END
         ORDER BY m.year, m.indicator_id, m.community_id""", {"at_least": AT_LEAST})
    con.execute("COMMENT ON TABLE published_conflicts IS "
                "'已发布报告的数字与台账记录不一致的指标（以台账记录为准）'")
    # A reported indicator whose value is the published figure, and an empty cell the records cannot
    # fill (no record of its type that year; or a reported rate given as a value only).
    con.execute("""
        UPDATE mart_indicator_values m
           SET value = p.figure, numerator = coalesce(m.numerator, p.numerator),
               denominator = coalesce(m.denominator, p.denominator), no_data_reason = NULL, note = p.label
          FROM _published p
         WHERE p.indicator_id = m.indicator_id AND p.year = m.year
           AND p.subdistrict IS NOT DISTINCT FROM m.subdistrict
           AND p.community_id IS NOT DISTINCT FROM m.community_id AND p.figure IS NOT NULL
           AND (m.value = p.figure AND p.record_type = 'reported_values'
                OR m.value IS NULL AND (p.record_type = 'reported_values' OR NOT EXISTS (
                    SELECT 1 FROM _mart_record_years y WHERE y.record_type = p.record_type AND y.year = m.year
                       AND y.sd_key = coalesce(m.subdistrict, ''))))""")
    con.execute("DROP TABLE _published")
