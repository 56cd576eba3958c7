"""街道对比 (issue 13): the subdistricts of one warehouse side by side, for pages/subdistricts.py.

Two kinds of function, as elsewhere on the read side:

- Query functions `(con, year, ...) -> DataFrame` (re-exported by `reporting.queries`, where
  `cockpit.ui.query` finds them): each one aggregate query over the whole-subdistrict rows of the marts
  (`community_id IS NULL AND subdistrict IS NOT NULL`) filtered by year and, where it applies, the
  indicator; bound parameters; no rows is an empty frame with the same columns. A province (~1,400
  subdistricts × 32 indicators a year) is some 45,000 such rows a year: each query reads them once.
- Shaping functions (re-exported by `reporting.frames` for `cockpit.ui.shape`): pure pandas, queried
  frames → the frame a chart or table takes, in the reader's language.

This module imports neither `reporting.queries` nor `reporting.frames` (they import it).
"""
from __future__ import annotations

import math
from collections.abc import Sequence

import duckdb
import pandas as pd

from etl.messages import translate
from reporting.charts import format_value
from reporting.i18n import t, with_unit

WHOLE = "community_id IS NULL AND subdistrict IS NOT NULL"   # a subdistrict's whole row (街道本级 included)
DISTRICT = "community_id IS NULL AND subdistrict IS NULL"    # the district's row (several subdistricts only)
STATUS_ORDER = ("red", "amber", "no_data", "green", "none")  # worst first: how the heatmap orders subdistricts
ENDS = 15           # a ranking chart of more subdistricts shows the best and the worst ENDS of them
HEATMAP_PAGE = 20   # subdistricts per page of the status heatmap
TREND_ENDS = 3      # the trend chart's default: the year's best and worst TREND_ENDS


def _names_clause(names: Sequence[str]) -> tuple[str, list]:
    return f"subdistrict IN ({', '.join('?' for _ in names)})", list(names)


# --- query functions ------------------------------------------------------------------------

RANKING_COLUMNS = ["subdistrict", "rank", "value", "numerator", "denominator", "status", "no_data_reason", "note",
                   "target", "red_threshold", "target_year", "base_value", "change", "direction", "name_zh",
                   "name_en", "unit_zh", "unit_en"]


def subdistrict_ranking(con: duckdb.DuckDBPyConnection, year: int, indicator_id: str,
                        base_year: int | None = None) -> pd.DataFrame:
    """Every subdistrict's whole value of one indicator in `year`, best first by the indicator's
    direction (↑ highest first, ↓ lowest first; no direction: highest first), ties by name; then the
    subdistricts without a value (their `no_data_reason` says why), by name.

    `rank`: 1 = best, equal values share a rank (1, 1, 3); NULL without a value or for an indicator
    without a direction (nothing to rank). `base_value`, `change`: the value of `base_year` (default
    the year before) and the change from it. With the indicator's direction, names and units.
    """
    base = year - 1 if base_year is None else base_year
    df = con.execute(f"""
        WITH cur AS (SELECT * FROM mart_indicator_values WHERE indicator_id = $id AND year = $year AND {WHOLE}),
             base AS (SELECT subdistrict, value AS base_value FROM mart_indicator_values
                       WHERE indicator_id = $id AND year = $base AND {WHOLE}),
             ind AS (SELECT direction, name_zh, name_en, unit_zh, unit_en FROM ref_indicators WHERE indicator_id = $id),
             ordered AS (
                SELECT c.*, b.base_value, i.*,
                       rank() OVER (ORDER BY CASE WHEN i.direction = 'down' THEN c.value ELSE -c.value END NULLS LAST)
                           AS position
                  FROM cur c CROSS JOIN ind i LEFT JOIN base b USING (subdistrict))
        SELECT subdistrict,
               CASE WHEN value IS NOT NULL AND direction IN ('up', 'down') THEN position END AS rank,
               value, numerator, denominator, status, no_data_reason, note, target, red_threshold, target_year,
               base_value, value - base_value AS change, direction, name_zh, name_en, unit_zh, unit_en
          FROM ordered
         ORDER BY value IS NULL, position, subdistrict
    """, {"id": indicator_id, "year": year, "base": base}).df()
    df["rank"] = df["rank"].astype("Int64")
    return df[RANKING_COLUMNS]


DISTRICT_COLUMNS = ["value", "numerator", "denominator", "no_data_reason", "note"]


def district_figure(con: duckdb.DuckDBPyConnection, year: int, indicator_id: str) -> pd.DataFrame:
    """The whole district's value of one indicator in `year` (one row; none when the warehouse holds
    one subdistrict: then the subdistrict is the whole)."""
    return con.execute(f"""
        SELECT value, numerator, denominator, no_data_reason, note FROM mart_indicator_values
         WHERE indicator_id = ? AND year = ? AND {DISTRICT}
    """, [indicator_id, year]).df()[DISTRICT_COLUMNS]


STATUS_COUNT_COLUMNS = ["position", "subdistrict", "red", "amber", "no_data", "green", "none", "indicators"]


def subdistrict_status_counts(con: duckdb.DuckDBPyConnection, year: int) -> pd.DataFrame:
    """Per subdistrict, how many indicators of `year` are red, amber, without data, green, without a
    target (`none`: no target or no direction); worst first (most red, then amber, then no data; ties
    by name), `position` 1 = worst. The order the status heatmap pages through."""
    return con.execute(f"""
        SELECT row_number() OVER (ORDER BY red DESC, amber DESC, no_data DESC, subdistrict) AS position, *
          FROM (SELECT subdistrict,
                       count(*) FILTER (WHERE status = 'red') AS red,
                       count(*) FILTER (WHERE status = 'amber') AS amber,
                       count(*) FILTER (WHERE status = 'no_data') AS no_data,
                       count(*) FILTER (WHERE status = 'green') AS green,
                       count(*) FILTER (WHERE status NOT IN ('red', 'amber', 'no_data', 'green')) AS "none",
                       count(*) AS indicators
                  FROM mart_indicator_values JOIN ref_indicators USING (indicator_id)
                 WHERE year = ? AND {WHOLE}
                 GROUP BY subdistrict)
         ORDER BY position
    """, [year]).df()[STATUS_COUNT_COLUMNS]


STATUS_COLUMNS = ["subdistrict", "indicator_id", "value", "status", "no_data_reason", "target", "name_zh", "name_en",
                  "unit_zh", "unit_en", "area_name_zh", "area_name_en"]


def subdistrict_statuses(con: duckdb.DuckDBPyConnection, year: int, names: tuple[str, ...]) -> pd.DataFrame:
    """The status of every indicator of `year` for the subdistricts `names` (a page of the heatmap),
    in catalogue order (area, then indicator), then subdistrict."""
    if not names:
        return pd.DataFrame(columns=STATUS_COLUMNS)
    names_sql, params = _names_clause(names)
    return con.execute(f"""
        SELECT v.subdistrict, v.indicator_id, v.value, v.status, v.no_data_reason, v.target, i.name_zh, i.name_en,
               i.unit_zh, i.unit_en, a.name_zh AS area_name_zh, a.name_en AS area_name_en
          FROM mart_indicator_values v JOIN ref_indicators i USING (indicator_id) LEFT JOIN ref_areas a USING (area_id)
         WHERE v.year = ? AND v.community_id IS NULL AND v.{names_sql}
         ORDER BY a.sort_order, i.sort_order, v.subdistrict
    """, [year, *params]).df()[STATUS_COLUMNS]


TREND_COLUMNS = ["subdistrict", "year", "value", "status"]


def subdistrict_trend(con: duckdb.DuckDBPyConnection, indicator_id: str, names: tuple[str, ...]) -> pd.DataFrame:
    """One indicator's whole value of the subdistricts `names` in every year, by subdistrict and year."""
    if not names:
        return pd.DataFrame(columns=TREND_COLUMNS)
    names_sql, params = _names_clause(names)
    return con.execute(f"""
        SELECT subdistrict, year, value, status FROM mart_indicator_values
         WHERE indicator_id = ? AND {WHOLE} AND {names_sql}
         ORDER BY subdistrict, year
    """, [indicator_id, *params]).df()[TREND_COLUMNS]


def _has_scores(con: duckdb.DuckDBPyConnection) -> bool:
    return con.execute("SELECT count(*) FROM information_schema.tables WHERE table_name = 'mart_scores'").fetchone()[0] > 0


SCORE_COLUMNS = ["subdistrict", "rank", "points", "max_points", "unscored_points", "status", "target_year"]


def subdistrict_scores(con: duckdb.DuckDBPyConnection, year: int) -> pd.DataFrame:
    """Each subdistrict's predicted total (`mart_scores`, level total) in `year`, ranked by the share
    of its points available (the points themselves when every subdistrict has the same maximum), ties
    by name; subdistricts whose points are all unscored last, `rank` NULL. No rows when no target of
    the year carries points."""
    if not _has_scores(con):
        return pd.DataFrame(columns=SCORE_COLUMNS)
    df = con.execute(f"""
        SELECT subdistrict,
               CASE WHEN points IS NOT NULL THEN
                   rank() OVER (ORDER BY points / nullif(max_points, 0) DESC NULLS LAST) END AS rank,
               points, max_points, unscored_points, status, target_year
          FROM mart_scores WHERE level = 'total' AND year = ? AND {WHOLE}
         ORDER BY points IS NULL, points / nullif(max_points, 0) DESC, subdistrict
    """, [year]).df()
    df["rank"] = df["rank"].astype("Int64")
    return df[SCORE_COLUMNS]


AREA_SCORE_COLUMNS = ["subdistrict", "area_id", "area_name_zh", "area_name_en", "points", "max_points",
                      "unscored_points", "status"]


def subdistrict_area_scores(con: duckdb.DuckDBPyConnection, year: int) -> pd.DataFrame:
    """Each subdistrict's predicted points by area (`mart_scores`, level area) in `year`, in area order."""
    if not _has_scores(con):
        return pd.DataFrame(columns=AREA_SCORE_COLUMNS)
    return con.execute(f"""
        SELECT s.subdistrict, s.id AS area_id, a.name_zh AS area_name_zh, a.name_en AS area_name_en, s.points,
               s.max_points, s.unscored_points, s.status
          FROM mart_scores s LEFT JOIN ref_areas a ON a.area_id = s.id
         WHERE s.level = 'area' AND s.year = ? AND s.community_id IS NULL AND s.subdistrict IS NOT NULL
         ORDER BY a.sort_order, s.id, s.subdistrict
    """, [year]).df()[AREA_SCORE_COLUMNS]


# --- shaping functions ----------------------------------------------------------------------

def _name(row: pd.Series | dict, lang: str, base: str = "name") -> str:
    value = row.get(f"{base}_en" if lang == "en" else f"{base}_zh")
    return "" if value is None or (isinstance(value, float) and pd.isna(value)) else str(value)


def _present(value: object) -> bool:
    return value is not None and not pd.isna(value)


def _number(value: object) -> str:
    return f"{float(value):,.2f}".rstrip("0").rstrip(".")


def _texts(values: pd.Series, format_one, missing: str = "") -> list[str]:
    """`format_one(value)` of every value, `missing` for NULL; each distinct value formatted once (a
    province's 1,400 subdistricts share few distinct points)."""
    values = values.astype(float).tolist()
    texts = {v: format_one(v) for v in set(values) if not math.isnan(v)}
    return [missing if math.isnan(v) else texts[v] for v in values]


def _ends(df: pd.DataFrame, ends: int) -> pd.DataFrame:
    """The first and last `ends` rows of a ranked frame longer than twice that; else all of it."""
    return df if len(df) <= 2 * ends else pd.concat([df.head(ends), df.tail(ends)])


def ranking_unit(ranking: pd.DataFrame, lang: str) -> str:
    return _name(ranking.iloc[0], lang, "unit") if not ranking.empty else ""


RANKING_BAR_COLUMNS = ["subdistrict", "rank", "value", "status", "status_label", "value_text", "target"]


def ranking_bar_rows(ranking: pd.DataFrame, lang: str, ends: int = ENDS) -> pd.DataFrame:
    """The subdistricts with a value, best first, for `charts.ranking_bars`: all of them, or the best
    and the worst `ends` when there are more than twice that (`ranking_note` says so)."""
    rows = _ends(ranking[ranking["value"].notna()], ends)
    unit = ranking_unit(ranking, lang)
    return pd.DataFrame({
        "subdistrict": rows["subdistrict"].tolist(), "rank": rows["rank"].tolist(),
        "value": rows["value"].astype(float).tolist(), "status": rows["status"].tolist(),
        "status_label": [t(f"status_{s}", lang) for s in rows["status"].tolist()],
        "value_text": [format_value(float(v), unit, lang) for v in rows["value"].tolist()],
        "target": rows["target"].astype(float).tolist(),
    }, columns=RANKING_BAR_COLUMNS)


def ranking_bar_headers(ranking: pd.DataFrame, lang: str) -> dict[str, str]:
    """Download headers of `ranking_bars`' columns."""
    unit = ranking_unit(ranking, lang)
    return {"subdistrict": t("sd_col_subdistrict", lang), "rank": t("sd_col_rank", lang),
            "value": with_unit(t("value", lang), unit, lang) if unit else t("value", lang),
            "status": "status", "status_label": t("status", lang), "value_text": t("sd_col_value_text", lang),
            "target": with_unit(t("target", lang), unit, lang) if unit else t("target", lang)}


def ranking_notes(ranking: pd.DataFrame, district: pd.DataFrame, year: int, lang: str, ends: int = ENDS,
                  listed: int = 10) -> list[str]:
    """The sentences under the ranking chart of `year`, in order: how it is ordered; the district's
    figure; how many bars are shown (when cut to the ends); the targets (shared, or one per
    subdistrict; an earlier year's); the subdistricts without a value, with their reasons (named up to
    `listed`, else counted)."""
    if ranking.empty:
        return []
    first = ranking.iloc[0]
    unit = _name(first, lang, "unit")
    direction = first["direction"] if first["direction"] in ("up", "down") else "none"
    notes = [t(f"sd_order_{direction}", lang)]
    if not district.empty:
        row = district.iloc[0]
        if _present(row["value"]):
            value = format_value(float(row["value"]), unit, lang)
            notes.append(t("sd_district_parts", lang, value=value, numerator=_number(row["numerator"]),
                           denominator=_number(row["denominator"]))
                         if _present(row["numerator"]) and _present(row["denominator"])
                         else t("sd_district", lang, value=value))
        else:
            reason = translate(row["no_data_reason"], lang) if _present(row["no_data_reason"]) else ""
            notes.append(t("sd_district_none", lang, reason=reason))
        if _present(row["note"]):
            notes[-1] += ("（" if lang == "zh" else " (") + translate(row["note"], lang) + ("）" if lang == "zh" else ")")
    with_value = ranking[ranking["value"].notna()]
    if len(with_value) > 2 * ends:
        notes.append(t("sd_ends", lang, n=ends, total=len(with_value)))
    targets = with_value["target"]
    if not with_value.empty and targets.notna().all() and targets.nunique() == 1 and direction != "none":
        sign = "≥" if direction == "up" else "≤"
        notes.append(t("sd_target_shared", lang, target=f"{sign} {format_value(float(targets.iloc[0]), unit, lang)}"))
    elif targets.notna().any():
        notes.append(t("sd_target_each", lang))
    earlier = sorted({int(y) for y in ranking["target_year"].dropna() if int(y) < year})
    if earlier:
        notes.append(t("targets_fallback_note", lang, year=year, target_year=t("list_sep", lang).join(map(str, earlier))))
    missing = ranking[ranking["value"].isna()]
    if len(missing) > listed:
        notes.append(t("sd_missing_many", lang, n=len(missing)))
    elif not missing.empty:
        notes.append(t("sd_missing", lang, items=("；" if lang == "zh" else "; ").join(
            _with_reason(r.subdistrict, r.no_data_reason, lang) for r in missing.itertuples())))
    return notes


def _with_reason(name: str, reason: object, lang: str) -> str:
    if not _present(reason):
        return str(name)
    reason = translate(reason, lang)
    return f"{name}（{reason}）" if lang == "zh" else f"{name} ({reason})"


def ranking_table(ranking: pd.DataFrame, lang: str, year: int, base_year: int | None = None) -> pd.DataFrame:
    """Every subdistrict of the ranking as a table: rank, name, value with its unit, status, target,
    the base year's value and the change, and why there is no value."""
    base = year - 1 if base_year is None else base_year
    unit = ranking_unit(ranking, lang)
    direction = ranking["direction"].iloc[0] if not ranking.empty else "none"
    sign = {"up": "≥", "down": "≤"}.get(direction)

    def value(v: float) -> str:
        return format_value(v, unit, lang)

    def change(v: float) -> str:   # as frames.change_text: a rate changes by percentage points
        text = format_value(abs(v), unit, lang).replace("%", t("percentage_points", lang))
        return f"-{text}" if v < 0 else f"+{text}" if v > 0 else t("unchanged", lang)

    return pd.DataFrame({
        t("sd_col_rank", lang): _texts(ranking["rank"], lambda r: str(int(r))),
        t("sd_col_subdistrict", lang): ranking["subdistrict"].tolist(),
        t("value", lang): _texts(ranking["value"], value, t("status_no_data", lang)),
        t("status", lang): [t(f"status_{s}", lang) for s in ranking["status"].tolist()],
        t("target", lang): _texts(ranking["target"], lambda v: f"{sign} {value(v)}") if sign else "",
        t("sd_col_base", lang, year=base): _texts(ranking["base_value"], value),
        t("change_col", lang): _texts(ranking["change"], change),
        t("no_data_reason", lang): [translate(r, lang) if _present(r) else "" for r in ranking["no_data_reason"].tolist()],
    })


def heatmap_names(counts: pd.DataFrame, chosen: tuple[str, ...], page: int, size: int = HEATMAP_PAGE) -> tuple[str, ...]:
    """The subdistricts the heatmap shows: those `chosen` (in the worst-first order of `counts`), else
    page `page` (1-based) of `counts`."""
    if chosen:
        return tuple(n for n in counts["subdistrict"].tolist() if n in set(chosen))
    start = (max(page, 1) - 1) * size
    return tuple(counts["subdistrict"].iloc[start:start + size])


def heatmap_note(counts: pd.DataFrame, shown: tuple[str, ...], chosen: bool, lang: str) -> str:
    """How many of how many subdistricts the heatmap shows, and in which order."""
    total = len(counts)
    if chosen:
        return t("sd_heatmap_chosen", lang, n=len(shown), total=total)
    if not shown:
        return ""
    positions = counts.loc[counts["subdistrict"].isin(shown), "position"]
    return t("sd_heatmap_page", lang, first=int(positions.min()), last=int(positions.max()), total=total)


HEATMAP_COLUMNS = ["indicator", "area", "subdistrict", "status", "status_label", "value_text"]


def _column(df: pd.DataFrame, lang: str, base: str) -> pd.Series:
    """The catalogue column `base` in `lang` (name_zh / name_en …), blanks as ''."""
    return df[f"{base}_en" if lang == "en" else f"{base}_zh"].fillna("").astype(str)


def heatmap_cells(statuses: pd.DataFrame, names: tuple[str, ...], lang: str) -> pd.DataFrame:
    """One row per indicator × subdistrict for `charts.status_heatmap`: indicators in catalogue order,
    subdistricts in the order of `names`; the status in words and the value with its unit (or why
    there is none)."""
    if statuses.empty:
        return pd.DataFrame(columns=HEATMAP_COLUMNS)
    order = {n: i for i, n in enumerate(names)}
    rows = statuses.assign(_indicator=statuses.groupby("indicator_id", sort=False).ngroup(),
                           _subdistrict=statuses["subdistrict"].map(order))
    rows = rows.sort_values(["_indicator", "_subdistrict"], kind="stable")
    labels = _indicator_labels(rows, lang)
    status_words = {s: t(f"status_{s}", lang) for s in rows["status"].unique()}
    no_data = t("status_no_data", lang)
    value_text = [format_value(float(v), unit, lang) if _present(v) else translate(r, lang) if _present(r) else no_data
                  for v, unit, r in zip(rows["value"].tolist(), _column(rows, lang, "unit").tolist(),
                                          rows["no_data_reason"].tolist())]
    return pd.DataFrame({
        "indicator": rows["indicator_id"].map(labels).tolist(), "area": _column(rows, lang, "area_name").tolist(),
        "subdistrict": rows["subdistrict"].tolist(), "status": rows["status"].tolist(),
        "status_label": rows["status"].map(status_words).tolist(), "value_text": value_text,
    }, columns=HEATMAP_COLUMNS)


def _indicator_labels(rows: pd.DataFrame, lang: str) -> dict[str, str]:
    """indicator_id → its name; a name two indicators share gets its id, so each is its own row."""
    first = rows.drop_duplicates("indicator_id")
    names = dict(zip(first["indicator_id"], _column(first, lang, "name")))
    seen = pd.Series(list(names.values())).value_counts()
    return {i: f"{n} ({i})" if seen[n] > 1 else n for i, n in names.items()}


def heatmap_headers(lang: str) -> dict[str, str]:
    return {"indicator": t("indicator", lang), "area": t("area", lang), "subdistrict": t("sd_col_subdistrict", lang),
            "status": "status", "status_label": t("status", lang), "value_text": t("value", lang)}


def status_count_table(counts: pd.DataFrame, lang: str) -> pd.DataFrame:
    """`subdistrict_status_counts` with headers in the reader's language."""
    return pd.DataFrame({
        t("sd_col_position", lang): counts["position"].astype(int).tolist(),
        t("sd_col_subdistrict", lang): counts["subdistrict"].tolist(),
        **{t(f"status_{s}", lang): counts[s].astype(int).tolist() for s in STATUS_ORDER},
    })


def trend_defaults(ranking: pd.DataFrame, ends: int = TREND_ENDS) -> tuple[str, ...]:
    """The trend chart's default subdistricts: the year's best and worst `ends` with a value (all of
    them when there are no more than twice that), best first."""
    return tuple(_ends(ranking[ranking["value"].notna()], ends)["subdistrict"])


def trend_series(trend: pd.DataFrame, names: tuple[str, ...]) -> pd.DataFrame:
    """year, series (subdistrict), value of the years with a value, for `charts.year_series`; the
    series in the order of `names`."""
    rows = trend[trend["value"].notna() & trend["subdistrict"].isin(names)]
    order = {n: i for i, n in enumerate(names)}
    rows = rows.assign(_order=rows["subdistrict"].map(order)).sort_values(["_order", "year"], kind="stable")
    return pd.DataFrame({"year": rows["year"].astype(int).tolist(), "series": rows["subdistrict"].tolist(),
                         "value": rows["value"].astype(float).tolist()}, columns=["year", "series", "value"])


def trend_headers(ranking: pd.DataFrame, lang: str) -> dict[str, str]:
    unit = ranking_unit(ranking, lang)
    return {"year": t("year_axis", lang), "series": t("sd_col_subdistrict", lang),
            "value": with_unit(t("value", lang), unit, lang) if unit else t("value", lang)}


SCORE_BAR_COLUMNS = ["subdistrict", "area", "points", "max_points", "total", "rank"]


def score_bar_rows(scores: pd.DataFrame, areas: pd.DataFrame, lang: str, ends: int = ENDS) -> pd.DataFrame:
    """The scored subdistricts' points by area, best total first, for `charts.score_bars`: all of them,
    or the best and the worst `ends`."""
    ranked = _ends(scores[scores["points"].notna()], ends)
    if ranked.empty:
        return pd.DataFrame(columns=SCORE_BAR_COLUMNS)
    order = {n: i for i, n in enumerate(ranked["subdistrict"])}
    rows = areas[areas["subdistrict"].isin(order)]
    area_order = {a: i for i, a in enumerate(dict.fromkeys(areas["area_id"]))}
    rows = rows.assign(_s=rows["subdistrict"].map(order), _a=rows["area_id"].map(area_order))
    rows = rows.sort_values(["_a", "_s"], kind="stable")
    area = _column(rows, lang, "area_name")
    return pd.DataFrame({
        "subdistrict": rows["subdistrict"].tolist(),
        "area": area.where(area != "", rows["area_id"]).tolist(),
        "points": rows["points"].astype(float).fillna(0.0).tolist(),
        "max_points": rows["max_points"].astype(float).tolist(),
        "total": rows["subdistrict"].map(dict(zip(ranked["subdistrict"], ranked["points"]))).astype(float).tolist(),
        "rank": rows["subdistrict"].map(dict(zip(ranked["subdistrict"], ranked["rank"]))).astype(int).tolist(),
    }, columns=SCORE_BAR_COLUMNS)


def score_bar_headers(lang: str) -> dict[str, str]:
    unit = t("points_unit", lang)
    return {"subdistrict": t("sd_col_subdistrict", lang), "area": t("area", lang),
            "points": with_unit(t("points", lang), unit, lang), "max_points": with_unit(t("max_points", lang), unit, lang),
            "total": with_unit(t("sd_col_total", lang), unit, lang), "rank": t("sd_col_rank", lang)}


def score_notes(scores: pd.DataFrame, lang: str, ends: int = ENDS) -> list[str]:
    """The sentences under the scores chart: cut to the ends; maxima that differ (ranked by share);
    the subdistricts without any scored points."""
    notes = []
    scored = scores[scores["points"].notna()]
    if len(scored) > 2 * ends:
        notes.append(t("sd_ends", lang, n=ends, total=len(scored)))
    if scores["max_points"].nunique() > 1:
        notes.append(t("sd_scores_share", lang))
    unscored = scores[scores["points"].isna()]
    if not unscored.empty:
        names = t("list_sep", lang).join(unscored["subdistrict"].head(10))
        more = t("sd_and_more", lang, n=len(unscored) - 10) if len(unscored) > 10 else ""
        notes.append(t("sd_scores_unscored", lang, names=names + more))
    return notes


def score_table(scores: pd.DataFrame, areas: pd.DataFrame, lang: str) -> pd.DataFrame:
    """Every subdistrict's predicted score, ranked, beside its points in each area (points / available)."""
    if scores.empty:
        return pd.DataFrame()
    points = t("points_unit", lang)
    no_data = t("status_no_data", lang)
    statuses = {s: t(f"sd_score_{s}", lang) for s in ("complete", "partial", "no_data")}
    table = pd.DataFrame({
        t("sd_col_rank", lang): _texts(scores["rank"], lambda r: str(int(r))),
        t("sd_col_subdistrict", lang): scores["subdistrict"].tolist(),
        with_unit(t("points", lang), points, lang): _texts(scores["points"], _number, no_data),
        with_unit(t("max_points", lang), points, lang): _texts(scores["max_points"], _number),
        with_unit(t("sd_unscored", lang), points, lang): _texts(scores["unscored_points"], _number),
        t("status", lang): [statuses.get(s, s) for s in scores["status"].tolist()],
    })
    for area_id, part in areas.groupby("area_id", sort=False):
        name = _column(part.head(1), lang, "area_name").iloc[0] or area_id
        header = f"{name}（{points}）" if lang == "zh" else f"{name} ({points})"
        cells = dict(zip(part["subdistrict"].tolist(), (f"{p} / {m}" for p, m in zip(
            _texts(part["points"], _number, no_data), _texts(part["max_points"], _number)))))
        table[header] = [cells.get(s, "") for s in scores["subdistrict"].tolist()]
    return table
