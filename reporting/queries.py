"""Query functions: `(con, ...) -> pandas.DataFrame`. Bound parameters for values; no `st.*`.

A community selection is a tuple of community ids; the empty tuple means the whole subdistrict
(the mart's rows with community_id NULL, and every record, 街道本级 included).

A subdistrict (`subdistrict`, a 街道 name) narrows every query to that subdistrict's rows; None
means the whole warehouse: the district's rows when it holds several subdistricts (the mart's rows
with subdistrict NULL), the only subdistrict's otherwise, and every record. Community ids are
unique across subdistricts, so a community selection needs no subdistrict.
"""
from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import date

import duckdb
import pandas as pd

from etl.schema import RECORD_TYPES
from reporting.published import published_behind, published_conflicts  # noqa: F401  (ui.query finds them here)
from reporting.subdistricts import (  # noqa: F401  (街道对比: ui.query finds them here)
    district_figure, subdistrict_area_scores, subdistrict_ranking, subdistrict_scores, subdistrict_status_counts,
    subdistrict_statuses, subdistrict_trend)

Communities = tuple[str, ...]

# Kinds whose values add up across communities; the others are recomputed from their parts.
ADDITIVE_KINDS = ("count", "sum", "reported")
PERCENT_KINDS = ("rate", "reported_rate")
DRILL_LIMIT = 500


def _quote(identifier: str) -> str:
    return '"' + identifier.replace('"', '""') + '"'


def _in_list(column: str, values: tuple) -> tuple[str, list]:
    """`column IN (?, ?, …)` with its parameters; identifiers come from etl/schema.py only."""
    return f"{column} IN ({', '.join('?' for _ in values)})", list(values)


def _community_clause(communities: Communities, alias: str = "") -> tuple[str, list]:
    if not communities:
        return "TRUE", []
    return _in_list(f"{alias}community_id", communities)


def _subdistrict_clause(subdistrict: str | None, alias: str = "") -> tuple[str, list]:
    """Records (or communities) of one subdistrict; None: all of them."""
    if subdistrict is None:
        return "TRUE", []
    return f"{alias}subdistrict = ?", [subdistrict]


def subdistricts(con: duckdb.DuckDBPyConnection) -> list[str]:
    """The subdistricts the warehouse holds, by name; one for a single-subdistrict office. (A database
    written before issue 13 has no `subdistrict` in its mart: its communities' subdistricts.)"""
    has_column = con.execute("SELECT count(*) FROM duckdb_columns() WHERE table_name = 'mart_indicator_values' "
                             "AND column_name = 'subdistrict'").fetchone()[0]
    mart = ("UNION SELECT subdistrict FROM mart_indicator_values WHERE community_id IS NULL AND subdistrict IS NOT NULL"
            if has_column else "")
    rows = con.execute(f"SELECT DISTINCT subdistrict FROM stg_communities WHERE subdistrict IS NOT NULL {mart} ORDER BY 1"
                       ).fetchall()
    return [r[0] for r in rows]


def districts(con: duckdb.DuckDBPyConnection, subdistrict: str | None = None) -> list[str]:
    """The 区 of the communities (of `subdistrict`), by name: what a title calls the whole district."""
    scope_sql, scope_params = _subdistrict_clause(subdistrict)
    rows = con.execute(f"SELECT DISTINCT district FROM stg_communities WHERE district IS NOT NULL AND {scope_sql} "
                       "ORDER BY 1", scope_params).fetchall()
    return [r[0] for r in rows]


def mart_subdistrict(con: duckdb.DuckDBPyConnection, subdistrict: str | None) -> str | None:
    """The mart's `subdistrict` of the whole-scope rows: the one named; else the only one there is;
    else NULL (the district's rows)."""
    if subdistrict is not None:
        return subdistrict
    known = subdistricts(con)
    return known[0] if len(known) == 1 else None


def _from_records(record_type: str) -> str:
    """The staging table as `r`, with the community's name as `c.name` where records have one."""
    if "community_id" in record_columns(record_type):
        return f"stg_{record_type} r LEFT JOIN stg_communities c USING (community_id)"
    return f"stg_{record_type} r LEFT JOIN (SELECT NULL::VARCHAR AS name) c ON FALSE"


# --- reference ------------------------------------------------------------------------------

def catalogue(con: duckdb.DuckDBPyConnection) -> pd.DataFrame:
    """Every indicator of the catalogue with its area, in catalogue order."""
    return con.execute("""
        SELECT i.*, a.name_zh AS area_name_zh, a.name_en AS area_name_en, a.sort_order AS area_order
        FROM ref_indicators i LEFT JOIN ref_areas a USING (area_id)
        ORDER BY a.sort_order, i.sort_order
    """).df()


def weak_areas(con: duckdb.DuckDBPyConnection) -> pd.DataFrame:
    return con.execute("SELECT * FROM ref_weak_areas ORDER BY weak_area_id").df()


def communities(con: duckdb.DuckDBPyConnection, subdistrict: str | None = None) -> pd.DataFrame:
    """community_id, name, aliases, subdistrict of every community (of `subdistrict`), in id order."""
    scope_sql, scope_params = _subdistrict_clause(subdistrict)
    return con.execute(f"SELECT community_id, name, aliases, subdistrict FROM stg_communities WHERE {scope_sql} "
                       "ORDER BY community_id", scope_params).df()


def years_with_data(con: duckdb.DuckDBPyConnection) -> list[int]:
    """Years in which at least one indicator has a value, ascending."""
    rows = con.execute("""
        SELECT DISTINCT year FROM mart_indicator_values WHERE value IS NOT NULL ORDER BY year
    """).fetchall()
    return [int(r[0]) for r in rows]


def latest_run(con: duckdb.DuckDBPyConnection) -> dict | None:
    """The newest etl_runs row (what the data was built from), or None."""
    df = con.execute("SELECT * FROM etl_runs ORDER BY finished_at DESC NULLS LAST LIMIT 1").df()
    return None if df.empty else df.iloc[0].to_dict()


# --- indicator values -----------------------------------------------------------------------

def mart_values(con: duckdb.DuckDBPyConnection, years: tuple[int, ...],
                communities: Communities = (), subdistrict: str | None = None) -> pd.DataFrame:
    """Mart rows for `years`: the whole rows of `subdistrict` (see the module docstring), or the rows
    of each selected community."""
    year_sql, year_params = _in_list("year", years) if years else ("TRUE", [])
    if communities:
        scope_sql, scope_params = _in_list("community_id", communities)
    else:
        scope_sql = "community_id IS NULL AND subdistrict IS NOT DISTINCT FROM ?"
        scope_params = [mart_subdistrict(con, subdistrict)]
    return con.execute(f"""
        SELECT * FROM mart_indicator_values WHERE {year_sql} AND {scope_sql}
        ORDER BY indicator_id, year, community_id
    """, year_params + scope_params).df()


def rag_status(value: float | None, direction: str, target: float | None, red: float | None) -> str:
    """The status rule of etl.targets (docs/architecture.md, "Status rule"), for combined selections."""
    if _missing(value):
        return "no_data"
    if direction not in ("up", "down") or _missing(target):
        return "none"
    red = target if _missing(red) else red
    if direction == "up":
        return "green" if value >= target else "red" if value < red else "amber"
    return "green" if value <= target else "red" if value > red else "amber"


def _missing(x: object) -> bool:
    return x is None or (isinstance(x, float) and math.isnan(x)) or x is pd.NA


def _combine(group: pd.DataFrame, kind: str, cannot_combine: str) -> dict:
    """One indicator-year over several communities: add counts, recompute rates from their parts."""
    values = group["value"].dropna()
    if kind in ADDITIVE_KINDS:
        if values.empty:
            return {"value": None, "numerator": None, "denominator": None,
                    "no_data_reason": group["no_data_reason"].dropna().iloc[0]
                    if group["no_data_reason"].notna().any() else None}
        return {"value": float(values.sum()), "numerator": None, "denominator": None, "no_data_reason": None}
    parts = group[["numerator", "denominator"]]
    if parts.isna().any(axis=None):
        return {"value": None, "numerator": None, "denominator": None, "no_data_reason": cannot_combine}
    numerator, denominator = float(parts["numerator"].sum()), float(parts["denominator"].sum())
    if denominator == 0:
        reason = group["no_data_reason"].dropna()
        return {"value": None, "numerator": numerator, "denominator": denominator,
                "no_data_reason": reason.iloc[0] if not reason.empty else cannot_combine}
    scale = 100.0 if kind in PERCENT_KINDS else 1.0
    return {"value": scale * numerator / denominator, "numerator": numerator,
            "denominator": denominator, "no_data_reason": None}


def _combined_target(group: pd.DataFrame, kind: str) -> dict:
    """Several communities' targets as one: summed for counts and sums, the common target for rates
    (none when they differ); none unless every community has a target of its own scope."""
    none = {"target": None, "red_threshold": None, "target_year": None, "target_basis": None}
    if group["target"].isna().any():
        return none
    years = group["target_year"].unique()
    bases = group["target_basis"].dropna().unique()
    common = {"target_year": int(years[0]) if len(years) == 1 else None,
              "target_basis": "；".join(bases) if len(bases) else None}
    if kind in ADDITIVE_KINDS:
        return {"target": float(group["target"].sum()), "red_threshold": float(group["red_threshold"].sum()), **common}
    if group["target"].nunique() == 1 and group["red_threshold"].nunique() == 1:
        return {"target": float(group["target"].iloc[0]), "red_threshold": float(group["red_threshold"].iloc[0]),
                **common}
    return none


def _status(value: float | None, direction: str | None, target: dict, communities: bool) -> str:
    """`rag_status`, except that communities without a target of their own are 无社区目标."""
    status = rag_status(value, direction or "none", target["target"], target["red_threshold"])
    if status == "none" and communities and direction in ("up", "down"):
        return "no_community_target"
    return status


def indicator_values(con: duckdb.DuckDBPyConnection, years: tuple[int, ...],
                     communities: Communities = (), cannot_combine: str = "多个社区的该指标不能合并",
                     subdistrict: str | None = None) -> pd.DataFrame:
    """One row per indicator × year for the selection, joined to the catalogue.

    One community or the whole subdistrict: the mart's rows as they are, with the target that rated
    them (`target`, `red_threshold`, `target_year`, `target_basis`). Several communities: combined by
    `_combine` and re-rated against their combined community targets (`_combined_target`). No rows:
    an empty frame with the same columns.
    """
    cat = catalogue(con)
    rows = mart_values(con, years, communities, subdistrict)
    if len(communities) > 1 and not rows.empty:
        kinds = dict(zip(cat["indicator_id"], cat["kind"]))
        directions = dict(zip(cat["indicator_id"], cat["direction"]))
        combined = []
        for (indicator_id, year), group in rows.groupby(["indicator_id", "year"], sort=True):
            kind = kinds.get(indicator_id, "count")
            parts = _combine(group, kind, cannot_combine)
            target = _combined_target(group, kind)
            notes = group["note"].dropna().unique()
            combined.append({"indicator_id": indicator_id, "year": year, **parts, **target,
                             "status": _status(parts["value"], directions.get(indicator_id), target, True),
                             "note": "；".join(notes) if len(notes) else None})
        rows = pd.DataFrame(combined)
    keep = [c for c in ("indicator_id", "year", "value", "numerator", "denominator", "status",
                        "no_data_reason", "note", "target", "red_threshold", "target_year", "target_basis")
            if c in rows.columns]
    out = rows[keep].merge(cat, on="indicator_id", how="inner")
    out["year"] = out["year"].astype(int)
    return out.sort_values(["area_order", "sort_order", "year"], kind="stable").reset_index(drop=True)


def with_previous_year(values: pd.DataFrame, year: int) -> pd.DataFrame:
    """The rows of `year` with `previous` (the value of year − 1) and `change` beside each."""
    current = values[values["year"] == year].copy()
    previous = values[values["year"] == year - 1][["indicator_id", "value"]].rename(columns={"value": "previous"})
    current = current.merge(previous, on="indicator_id", how="left")
    current["change"] = current["value"] - current["previous"]
    return current


def disclosure_channels(con: duckdb.DuckDBPyConnection, subdistrict: str | None = None) -> dict[int, tuple[str, ...]]:
    """The channels each year's proactive items were counted on (years differ: 2022 website only)."""
    scope_sql, scope_params = _subdistrict_clause(subdistrict)
    # The build keeps them in mart_disclosure_channels; a database from before it has only the records.
    kept = con.execute("SELECT count(*) FROM information_schema.tables WHERE table_name = 'mart_disclosure_channels'"
                       ).fetchone()[0]
    source, params = (("mart_disclosure_channels", []) if kept else
                      ("(SELECT year(date) AS year, subdistrict, coalesce(channel, '') AS channel "
                       "FROM stg_disclosures WHERE mode = ?)", ["主动公开"]))
    rows = con.execute(f"""
        SELECT year, list(DISTINCT channel ORDER BY channel) FROM {source} WHERE {scope_sql} GROUP BY ALL
    """, [*params, *scope_params]).fetchall()
    return {int(year): tuple(channels) for year, channels in rows}


# --- evaluation: targets and predicted points ------------------------------------------------

SCORE_COLUMNS = ["level", "id", "year", "community_id", "points", "max_points", "unscored_points", "rule",
                 "status", "target_year", "name_zh", "name_en", "lost", "subdistrict"]


def scores(con: duckdb.DuckDBPyConnection, year: int, communities: Communities = (),
           subdistrict: str | None = None) -> pd.DataFrame:
    """Predicted points (`mart_scores`) of the whole subdistrict (`subdistrict`, see the module
    docstring; the district has no targets, so no points) or one community in `year`: the
    indicator rows (catalogue order), area rows and the total, with names and `lost` (points
    available − points; NULL for an indicator without a value, whose points are unscored).
    Several communities: no rows (points belong to one scope's targets)."""
    has_table = con.execute("SELECT count(*) FROM information_schema.tables WHERE table_name = 'mart_scores'"
                            ).fetchone()[0]
    if len(communities) > 1 or not has_table:
        return pd.DataFrame(columns=SCORE_COLUMNS)
    return con.execute("""
        SELECT s.level, s.id, s.year, s.community_id, s.points, s.max_points, s.unscored_points, s.rule,
               s.status, s.target_year, coalesce(i.name_zh, a.name_zh) AS name_zh,
               coalesce(i.name_en, a.name_en) AS name_en,
               CASE WHEN s.points IS NOT NULL OR s.level <> 'indicator'
                    THEN round(s.max_points - s.unscored_points - coalesce(s.points, 0), 2) END AS lost,
               s.subdistrict
          FROM mart_scores s
          LEFT JOIN ref_indicators i ON s.level = 'indicator' AND i.indicator_id = s.id
          LEFT JOIN ref_areas a ON s.level = 'area' AND a.area_id = s.id
         WHERE s.year = ? AND s.community_id IS NOT DISTINCT FROM ?
           AND (s.community_id IS NOT NULL OR s.subdistrict IS NOT DISTINCT FROM ?)
         ORDER BY s.level = 'total', s.level = 'area', i.sort_order, a.sort_order
    """, [year, communities[0] if communities else None, mart_subdistrict(con, subdistrict)]).df()[SCORE_COLUMNS]


def targets(con: duckdb.DuckDBPyConnection, subdistrict: str | None = None) -> pd.DataFrame:
    """Every target the office keeps (`stg_targets`; of `subdistrict`: its own and those for every
    subdistrict), in catalogue order, then year, scope (街道 first) and community (every community,
    then by id), with the indicator's names and unit."""
    scope_sql = "TRUE" if subdistrict is None else "(t.subdistrict IS NULL OR t.subdistrict = ?)"
    return con.execute(f"""
        SELECT t.indicator_id, i.name_zh, i.name_en, i.unit_zh, i.unit_en, i.direction, t.year, t.scope,
               t.community_id, c.name AS community, t.target, t.red_threshold, t.points, t.rule,
               t.deduction, t.basis, t.source_file, t.source_row, t.subdistrict
          FROM stg_targets t
          JOIN ref_indicators i USING (indicator_id)
          LEFT JOIN stg_communities c USING (community_id)
         WHERE {scope_sql}
         ORDER BY i.sort_order, t.year, t.scope = ?, t.subdistrict NULLS FIRST, t.community_id NULLS FIRST
    """, ([] if subdistrict is None else [subdistrict]) + ["社区"]).df()


# --- record breakdowns ----------------------------------------------------------------------

# The date that places each record type in a year (as the mart counts them).
YEAR_FIELD = {"cases": "filed_date", "disclosures": "date", "outreach": "date"}


@dataclass(frozen=True)
class Drill:
    """Which records stand behind an indicator: the staging table, a fixed condition, the date
    field that places a record in the year (or `year_granted <=`, or the reported year)."""
    record_type: str
    condition: str = "TRUE"
    params: tuple = ()
    year_sql: str = "year({field}) = ?"
    year_field: str = "filed_date"


_LIT, _REVIEW = "行政诉讼", "行政复议"
DRILLS: dict[str, Drill] = {
    "study_sessions": Drill("outreach", "activity_type = ?", ("专题学法",), year_field="date"),
    "outreach_lectures": Drill("outreach", "activity_type IN (?, ?)", ("普法讲座(线上)", "普法讲座(线下)"), year_field="date"),
    "outreach_events": Drill("outreach", "activity_type = ?", ("便民活动",), year_field="date"),
    "materials_distributed": Drill("outreach", year_field="date"),
    "legal_services": Drill("outreach", "activity_type = ?", ("法律服务",), year_field="date"),
    "volunteer_service": Drill("outreach", "activity_type = ?", ("公益服务",), year_field="date"),
    "review_cases_new": Drill("cases", "case_type = ?", (_REVIEW,)),
    "litigation_cases_new": Drill("cases", "case_type = ?", (_LIT,)),
    "litigation_concluded": Drill("cases", "case_type = ? AND status = ?", (_LIT, "审结"), year_field="closed_date"),
    "litigation_loss_rate": Drill("cases", "case_type = ? AND status = ?", (_LIT, "审结"), year_field="closed_date"),
    "leader_appearance_rate": Drill("cases", "case_type = ? AND heard_in_court", (_LIT,), year_field="closed_date"),
    "review_correction_rate": Drill("cases", "case_type = ? AND status = ?", (_REVIEW, "审结"), year_field="closed_date"),
    "review_litigation_ratio": Drill("cases", "case_type IN (?, ?)", (_REVIEW, _LIT)),
    "substantive_resolution_rate": Drill("cases", "case_type IN (?, ?, ?) AND status = ?",
                                         (_REVIEW, _LIT, "行政争议调解", "审结"), year_field="closed_date"),
    "mediation_cases": Drill("cases", "case_type = ?", ("矛盾纠纷调解",)),
    "mediation_success_rate": Drill("cases", "case_type = ? AND status = ?", ("矛盾纠纷调解", "审结"), year_field="closed_date"),
    "mediation_satisfaction": Drill("cases", "case_type = ? AND status = ?", ("矛盾纠纷调解", "审结"), year_field="closed_date"),
    "disclosure_items": Drill("disclosures", "mode = ?", ("主动公开",), year_field="date"),
    "disclosure_items_website": Drill("disclosures", "mode = ? AND channel = ?", ("主动公开", "网站"), year_field="date"),
    "disclosure_requests": Drill("disclosures", "mode = ?", ("依申请公开",), "year(coalesce(received_date, date)) = ?"),
    "request_ontime_rate": Drill("disclosures", "mode = ? AND replied_date IS NOT NULL", ("依申请公开",), year_field="replied_date"),
    "designated_national": Drill("designations", "level = ? AND status = ?", ("国家级", "有效"), "year_granted <= ?"),
    "designated_provincial": Drill("designations", "level = ? AND status = ?", ("省级", "有效"), "year_granted <= ?"),
    "designation_coverage": Drill("designations", "status = ?", ("有效",), "year_granted <= ?"),
}
REPORTED_DRILL = Drill("reported_values", "indicator_id = ?", (), "year = ?")


def drill_for(indicator_id: str) -> Drill:
    drill = DRILLS.get(indicator_id)
    if drill is not None:
        return drill
    return Drill(REPORTED_DRILL.record_type, REPORTED_DRILL.condition, (indicator_id,), REPORTED_DRILL.year_sql)


def record_columns(record_type: str) -> list[str]:
    """Staging columns of a record type from the contract (a community field is community_id)."""
    rt = RECORD_TYPES[record_type]
    return ["community_id" if f.kind == "community" else f.name for f in rt.fields]


def records_behind(con: duckdb.DuckDBPyConnection, indicator_id: str, year: int,
                   communities: Communities = (), extra: dict[str, object] | None = None,
                   limit: int = DRILL_LIMIT, subdistrict: str | None = None) -> pd.DataFrame:
    """The records an indicator's value for `year` is computed from, with source file and row.

    `extra` narrows further by field equality (a clicked bar: {"community_id": "NX01"}); its keys
    must be staging columns of the record type (checked against the contract).
    """
    drill = drill_for(indicator_id)
    columns = record_columns(drill.record_type)
    where = [drill.condition, drill.year_sql.format(field="r." + _quote(drill.year_field))]
    params: list = [*drill.params, year]
    if "community_id" in columns:
        scope_sql, scope_params = _community_clause(communities, "r.")
        where.append(scope_sql)
        params += scope_params
    scope_sql, scope_params = _subdistrict_clause(subdistrict, "r." if "subdistrict" in columns else "c.")
    where.append(scope_sql)
    params += scope_params
    for column, value in (extra or {}).items():
        if column not in columns:
            raise ValueError(f"unknown column {column!r} for {drill.record_type}")
        if value is None:
            where.append(f"r.{_quote(column)} IS NULL")
        else:
            where.append(f"r.{_quote(column)} = ?")
            params.append(value)
    order = "r." + _quote(drill.year_field) if drill.year_field in columns else "source_file, source_row"
    return con.execute(f"""
        SELECT c.name AS community, {', '.join('r.' + _quote(c) for c in columns)},
               r.source_file, r.source_row
        FROM {_from_records(drill.record_type)}
        WHERE {' AND '.join(where)}
        ORDER BY {order}, r.source_file, r.source_row
        LIMIT ?
    """, [*params, limit]).df()


def record_counts(con: duckdb.DuckDBPyConnection, record_type: str, by: tuple[str, ...], year: int,
                  communities: Communities = (), where: dict[str, object] | None = None,
                  measure: str | None = None, date_field: str | None = None,
                  subdistrict: str | None = None) -> pd.DataFrame:
    """Records of one type in `year` grouped by `by` (staging columns, or `month`, `community`).

    The year is that of `date_field` (default: the filing/activity date). Returns the group
    columns and `n` (records), plus `total` (sum of `measure`) when given.
    """
    columns = record_columns(record_type)
    date_field = date_field or YEAR_FIELD[record_type]
    if date_field not in columns:
        raise ValueError(f"unknown date field {date_field!r} for {record_type}")
    group_sql, names = [], []
    for column in by:
        if column == "month":
            group_sql.append(f"month(r.{_quote(date_field)})")
        elif column == "community":
            group_sql.append("coalesce(c.name, ?)")
        elif column in columns:
            group_sql.append(f"r.{_quote(column)}")
        else:
            raise ValueError(f"unknown column {column!r} for {record_type}")
        names.append(column)
    if measure is not None and measure not in columns:
        raise ValueError(f"unknown measure {measure!r} for {record_type}")
    params: list = ["街道本级"] * by.count("community")
    filters = [f"year(r.{_quote(date_field)}) = ?"]
    filters_params: list = [year]
    if "community_id" in columns:
        scope_sql, scope_params = _community_clause(communities, "r.")
        filters.append(scope_sql)
        filters_params += scope_params
    scope_sql, scope_params = _subdistrict_clause(subdistrict, "r." if "subdistrict" in columns else "c.")
    filters.append(scope_sql)
    filters_params += scope_params
    for column, value in (where or {}).items():
        if column not in columns:
            raise ValueError(f"unknown column {column!r} for {record_type}")
        filters.append(f"r.{_quote(column)} = ?")
        filters_params.append(value)
    select = ", ".join(f"{expr} AS {_quote(name)}" for expr, name in zip(group_sql, names))
    total = f", sum(r.{_quote(measure)}) AS total" if measure else ""
    sql = f"""
        SELECT {select}, count(*) AS n{total}
        FROM {_from_records(record_type)}
        WHERE {' AND '.join(filters)}
        GROUP BY ALL ORDER BY {', '.join(str(i + 1) for i in range(len(names)))}
    """
    return con.execute(sql, params + filters_params).df()


def designations_table(con: duckdb.DuckDBPyConnection, communities: Communities = (),
                       subdistrict: str | None = None) -> pd.DataFrame:
    """Every community (of the selection) with each title it holds; communities without one too."""
    scope_sql, scope_params = _community_clause(communities, "c.")
    sd_sql, sd_params = _subdistrict_clause(subdistrict, "c.")
    return con.execute(f"""
        SELECT c.community_id, c.name AS community, d.title, d.level, d.granted_by, d.year_granted,
               d.status, d.source_file, d.source_row
        FROM stg_communities c LEFT JOIN stg_designations d USING (community_id)
        WHERE {scope_sql} AND {sd_sql}
        ORDER BY c.community_id, d.year_granted, d.level
    """, scope_params + sd_params).df()


def actions(con: duckdb.DuckDBPyConnection, today: date, subdistrict: str | None = None) -> pd.DataFrame:
    """Every action (of `subdistrict`) with `overdue` = due before `today` and not done."""
    scope_sql, scope_params = _subdistrict_clause(subdistrict, "a.")
    return con.execute(f"""
        SELECT a.*, w.name_zh AS weak_area_zh, w.name_en AS weak_area_en,
               (a.due_date < ? AND a.status <> '已完成') AS overdue
        FROM stg_actions a LEFT JOIN ref_weak_areas w USING (weak_area_id)
        WHERE {scope_sql}
        ORDER BY a.weak_area_id NULLS LAST, a.due_date, a.action_id
    """, [today, *scope_params]).df()


# --- load history ---------------------------------------------------------------------------

def runs(con: duckdb.DuckDBPyConnection) -> pd.DataFrame:
    return con.execute("SELECT * FROM etl_runs ORDER BY started_at DESC").df()


def _subdistrict_files(subdistrict: str | None) -> tuple[str, list]:
    """`source_file IN (…)`: the files of one subdistrict — those in its folder (data/<街道>/…) and
    those whose staged rows all belong to it (a scoped account's uploads among them); a file with
    rows of another subdistrict, of none (the catalogue) or of several is not its. TRUE for None."""
    if subdistrict is None:
        return "TRUE", []
    parts = []
    for name in RECORD_TYPES:
        columns = record_columns(name)
        if "subdistrict" in columns:
            parts.append(f"SELECT source_file, subdistrict FROM stg_{name}")
        elif "community_id" in columns:
            parts.append(f"SELECT r.source_file, c.subdistrict FROM stg_{name} r "
                         "LEFT JOIN stg_communities c USING (community_id)")
        else:
            parts.append(f"SELECT source_file, NULL::VARCHAR AS subdistrict FROM stg_{name}")
    rows = " UNION ALL ".join(parts)
    return (f"(starts_with(source_file, ?) OR source_file IN (SELECT source_file FROM ({rows}) "
            "GROUP BY source_file HAVING bool_and(subdistrict IS NOT DISTINCT FROM ?)))",
            [f"{subdistrict}/", subdistrict])


def run_files(con: duckdb.DuckDBPyConnection, run_id: str, subdistrict: str | None = None) -> pd.DataFrame:
    """The files of a run (of `subdistrict`'s files only: `_subdistrict_files`)."""
    scope_sql, scope_params = _subdistrict_files(subdistrict)
    return con.execute(f"SELECT * FROM etl_files WHERE run_id = ? AND {scope_sql} ORDER BY source_file",
                       [run_id, *scope_params]).df()


def built_by(con: duckdb.DuckDBPyConnection, run_id: str) -> str:
    """The build run whose rows `run_id` published: a restore (status `rollback:<run>`, etl.publish)
    republishes an earlier run's database, whose rejects keep that run's load id."""
    seen = {run_id}
    while True:
        row = con.execute("SELECT status FROM etl_runs WHERE run_id = ?", [run_id]).fetchone()
        status = row[0] if row else None
        if not status or not status.startswith("rollback:") or status[len("rollback:"):] in seen:
            return run_id
        run_id = status[len("rollback:"):]
        seen.add(run_id)


def rejects(con: duckdb.DuckDBPyConnection, run_id: str, limit: int = DRILL_LIMIT,
            subdistrict: str | None = None) -> pd.DataFrame:
    """The rejected rows of `run_id` (of the build it restored, for a restore); only the run that
    made this database has them here. With `subdistrict`: of its files only (`_subdistrict_files`)."""
    scope_sql, scope_params = _subdistrict_files(subdistrict)
    return con.execute(f"""
        SELECT record_type, source_file, source_row, field, value, reason, kind FROM rejects
        WHERE load_id = ? AND {scope_sql} ORDER BY source_file, source_row LIMIT ?
    """, [built_by(con, run_id), *scope_params, limit]).df()


def reject_counts(con: duckdb.DuckDBPyConnection, run_id: str) -> pd.DataFrame:
    return con.execute("""
        SELECT source_file, kind, count(*) AS n FROM rejects WHERE load_id = ?
        GROUP BY ALL ORDER BY source_file, kind
    """, [built_by(con, run_id)]).df()
