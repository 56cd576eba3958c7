"""Figures read from published reports, on the read side (etl.published_figures writes them).

A mart value taken from a published report carries the note 来源：已发布报告（title）; `is_published`
recognises it, `published_years` lists the years of a trend that come from reports. The query
functions (re-exported by reporting.queries, where cockpit.ui.query finds them):
`published_conflicts` — where a report and the records disagree (the records count), for 数据与质量;
`published_behind` — the reported figure behind a value filled from a report, for the drill-down.
"""
from __future__ import annotations

import duckdb
import pandas as pd

from etl.published_figures import LABEL, PUBLISHED
from reporting.charts import format_value
from reporting.i18n import t

CONFLICT_COLUMNS = ["year", "indicator_id", "name_zh", "name_en", "unit_zh", "unit_en", "community", "recorded",
                    "published", "qualifier", "title"]


def is_published(note: object) -> bool:
    return isinstance(note, str) and note.startswith(LABEL)


def published_years(rows: pd.DataFrame) -> list[int]:
    """The years of `rows` (year, value, note) whose value comes from a published report."""
    if rows.empty:
        return []
    taken = rows[rows["value"].notna() & rows["note"].map(is_published)]
    return sorted(int(y) for y in taken["year"].unique())


def _has_table(con: duckdb.DuckDBPyConnection, name: str) -> bool:
    return con.execute("SELECT count(*) FROM duckdb_tables() WHERE table_name = ?", [name]).fetchone()[0] > 0


def published_conflicts(con: duckdb.DuckDBPyConnection, subdistrict: str | None = None) -> pd.DataFrame:
    """Indicator, year and community where a published figure and the records disagree (of
    `subdistrict`: its own and its communities'); empty for a database built before reports could be
    imported."""
    if not _has_table(con, "published_conflicts"):
        return pd.DataFrame(columns=CONFLICT_COLUMNS)
    scoped = subdistrict is not None and "subdistrict" in _columns(con, "published_conflicts")
    scope_sql = "coalesce(p.subdistrict, s.subdistrict) = ?" if scoped else "TRUE"
    return con.execute(f"""
        SELECT p.year, p.indicator_id, r.name_zh, r.name_en, r.unit_zh, r.unit_en, s.name AS community,
               p.recorded, p.published, p.qualifier, p.title
          FROM published_conflicts p JOIN ref_indicators r USING (indicator_id)
          LEFT JOIN stg_communities s ON s.community_id = p.community_id
         WHERE {scope_sql}
         ORDER BY p.year, r.sort_order, s.name NULLS FIRST""", [subdistrict] if scoped else []).df()


def _columns(con: duckdb.DuckDBPyConnection, table: str) -> set[str]:
    return {r[0] for r in con.execute("SELECT column_name FROM duckdb_columns() WHERE table_name = ?",
                                      [table]).fetchall()}


def published_behind(con: duckdb.DuckDBPyConnection, indicator_id: str, year: int,
                     communities: tuple[str, ...] = (), subdistrict: str | None = None) -> pd.DataFrame:
    """The published reported values of an indicator and year (the whole subdistrict's — of
    `subdistrict` when given, else every subdistrict's — or the selected communities'), in the
    columns `queries.records_behind` gives for reported values."""
    scope = "r.community_id IS NULL" if not communities else \
        f"r.community_id IN ({', '.join('?' for _ in communities)})"
    if subdistrict is not None:
        scope += " AND r.subdistrict = ?"
    return con.execute(f"""
        SELECT c.name AS community, r.indicator_id, r.year, r.community_id, r.value, r.part, r.note, r.source,
               r.qualifier, r.source_file, r.source_row
          FROM stg_reported_values r LEFT JOIN stg_communities c USING (community_id)
         WHERE r.indicator_id = ? AND r.year = ? AND r.source = ? AND {scope}
         ORDER BY r.source_file, r.source_row""",
        [indicator_id, year, PUBLISHED, *communities, *([subdistrict] if subdistrict is not None else [])]).df()


def conflicts_table(conflicts: pd.DataFrame, lang: str) -> pd.DataFrame:
    """The disagreements as a display table in `lang`."""
    unit = "unit_en" if lang == "en" else "unit_zh"
    return pd.DataFrame({
        t("year", lang): conflicts["year"].astype(str).tolist(),
        t("indicator", lang): conflicts["name_en" if lang == "en" else "name_zh"].tolist(),
        t("community", lang): conflicts["community"].fillna(t("scope_whole", lang)).tolist(),
        t("dq_pub_recorded", lang): [format_value(v, u, lang) for v, u in zip(conflicts["recorded"], conflicts[unit])],
        t("dq_pub_published", lang): [(t("dq_pub_at_least", lang) if q else "") + format_value(v, u, lang)
                                      for v, q, u in zip(conflicts["published"], conflicts["qualifier"],
                                                         conflicts[unit])],
        t("dq_pub_report", lang): conflicts["title"].fillna("").tolist(),
    })
