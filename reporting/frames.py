"""Frames as a chart or table takes them: queried frames (reporting.queries) reshaped for display.

Pure `(frame(s), ..., lang) -> DataFrame`: no SQL, no `st.*`. Values and headers come out in the
reader's language. No data gives an empty frame with the same columns, so a page needs no special
case: `cockpit.ui.show_chart` / `show_table` say "no data" in words.
"""
from __future__ import annotations

from collections.abc import Sequence

import pandas as pd

from etl.messages import translate
from etl.schema import BOOL, DATE, ENUM, RECORD_TYPES, TEXT
from reporting.charts import format_value
from reporting.i18n import month_label, t, value_label, with_unit
from reporting.indicator_table import shown_numerator
from reporting.published import conflicts_table  # noqa: F401  (ui.shape finds it here)
from reporting.subdistricts import (  # noqa: F401  (街道对比: ui.shape finds them here)
    HEATMAP_PAGE, TREND_ENDS, heatmap_cells, heatmap_headers, heatmap_names, heatmap_note, ranking_bar_headers,
    ranking_bar_rows, ranking_notes, ranking_table, ranking_unit, score_bar_headers, score_bar_rows, score_notes,
    score_table, status_count_table, trend_defaults, trend_headers, trend_series)
from reporting.published import is_published, published_years

SUBDISTRICT_LEVEL = "街道本级"   # queries.record_counts' name for records without a community
_STATUSES = ("green", "amber", "red", "no_data", "none", "no_community_target")


# --- indicators -----------------------------------------------------------------------------

def indicator_name(row: pd.Series | dict, lang: str) -> str:
    return row["name_en" if lang == "en" else "name_zh"]


def target_text(row: pd.Series | dict, lang: str, *, fallback: bool = True, prefix: bool = True) -> str:
    """'目标 ≥ 2次' / 'Target ≤ 1 case' ('≥ 2次' without `prefix`: a table's 目标 column says it), plus
    '（沿用2021年目标）' when the row was rated against an earlier year's targets (unless `fallback` is
    False: the page or the row's note says it); '无目标' when no target rates it; '' when the status
    already says there is none (无目标, 无社区目标)."""
    if row.get("status") in ("none", "no_community_target"):
        return ""
    target, direction = row.get("target"), row.get("direction")
    if target is None or pd.isna(target) or direction not in ("up", "down"):
        return t("target_none", lang)
    sign = "≥" if direction == "up" else "≤"
    unit = row.get("unit_en" if lang == "en" else "unit_zh") or ""
    text = f"{t('target', lang) + ' ' if prefix else ''}{sign} {format_value(float(target), unit, lang)}"
    note = target_fallback(row, lang) if fallback else ""
    return f"{text}（{note}）" if note and lang == "zh" else f"{text} ({note})" if note else text


def target_fallback(row: pd.Series | dict, lang: str) -> str:
    """'沿用2021年目标' when the row's targets are an earlier year's (etl.targets), else ''."""
    year, target_year = row.get("year"), row.get("target_year")
    if year is None or target_year is None or pd.isna(target_year) or int(target_year) >= int(year):
        return ""
    return t("target_fallback", lang, year=int(target_year))


def targets_fallback_note(values: pd.DataFrame, year: int, lang: str) -> str:
    """One sentence for a page when the rows of `year` were rated against an earlier year's targets
    (etl.targets: per scope, every target of a year comes from the same year); '' otherwise."""
    years = values.loc[values["year"] == year, "target_year"].dropna() if "target_year" in values else []
    earlier = sorted({int(y) for y in years if int(y) < year})
    if not earlier:
        return ""
    return t("targets_fallback_note", lang, year=year, target_year=t("list_sep", lang).join(map(str, earlier)))


def indicator_rows(values: pd.DataFrame, *, areas: Sequence[str] | None = None,
                   years: Sequence[int] | None = None) -> pd.DataFrame:
    """Rows of `queries.indicator_values` in the given areas and years (None: all), in its order."""
    keep = pd.Series(True, index=values.index)
    if areas is not None:
        keep &= values["area_id"].isin(areas)
    if years is not None:
        keep &= values["year"].isin(years)
    return values[keep].reset_index(drop=True)


def row_note(row: pd.Series | dict, lang: str) -> str:
    """A table row's 说明: '沿用2021年目标' when its targets are an earlier year's, then the mart's note."""
    note = row.get("note")
    parts = (target_fallback(row, lang), translate(note, lang) if isinstance(note, str) else "")
    return t("note_sep", lang).join(p for p in parts if p)


def indicator_table(values: pd.DataFrame, lang: str, *, areas: Sequence[str] | None = None,
                    years: Sequence[int] | None = None) -> pd.DataFrame:
    """Indicator rows as a display table in `lang`: name, year, value with unit, target ('≥ 150条': the
    column names it), status, parts (no numerator of a mean: `shown_numerator`), why no data, note
    (an earlier year's targets said there: `row_note`)."""
    rows = indicator_rows(values, areas=areas, years=years)
    unit_col = "unit_en" if lang == "en" else "unit_zh"
    kinds = rows["kind"] if "kind" in rows else [None] * len(rows)
    return pd.DataFrame({
        t("indicator", lang): [indicator_name(r, lang) for _, r in rows.iterrows()],
        t("year", lang): rows["year"].astype(str).tolist(),
        t("value", lang): [format_value(v, u, lang) for v, u in zip(rows["value"], rows[unit_col])],
        t("target", lang): [target_text(r, lang, fallback=False, prefix=False) for _, r in rows.iterrows()],
        t("status", lang): [t(f"status_{s}", lang) if s in _STATUSES else s for s in rows["status"]],
        t("numerator", lang): [_number(shown_numerator(k, v)) for v, k in zip(rows["numerator"], kinds)],
        t("denominator", lang): [_number(v) for v in rows["denominator"]],
        t("no_data_reason", lang): [translate(r, lang) for r in rows["no_data_reason"].fillna("")],
        t("note", lang): [row_note(r, lang) for _, r in rows.iterrows()],
    })


def change_text(change: float | None, unit: str, lang: str) -> str:
    """A change as text: '+2件', '-1.5个百分点' (a rate changes by points, not percent), '持平' (no
    change, never a bare 0); '' for None."""
    if change is None or pd.isna(change):
        return ""
    text = format_value(abs(change), unit, lang).replace("%", t("percentage_points", lang))
    return f"-{text}" if change < 0 else f"+{text}" if change > 0 else t("unchanged", lang)


def compare_table(values: pd.DataFrame, lang: str, year: int, compare_year: int, *,
                  areas: Sequence[str] | None = None) -> pd.DataFrame:
    """Indicators of `year` beside `compare_year`, one row each: name, both values, the change (year
    minus compare year), and target, status, why no data and note of `year`."""
    rows = indicator_rows(values, areas=areas, years=(year, compare_year))
    unit_col = "unit_en" if lang == "en" else "unit_zh"
    ids = list(dict.fromkeys(rows["indicator_id"]))
    by_year = {y: rows[rows["year"] == y].set_index("indicator_id") for y in (year, compare_year)}
    out = []
    for indicator_id in ids:
        now, then = (by_year[y].loc[indicator_id] if indicator_id in by_year[y].index else None
                     for y in (year, compare_year))
        row = now if now is not None else then
        unit = row[unit_col]
        value, base = (r["value"] if r is not None else None for r in (now, then))
        change = value - base if value is not None and base is not None and pd.notna(value) and pd.notna(base) \
            else None
        out.append([indicator_name(row, lang), format_value(value, unit, lang),
                    format_value(base, unit, lang), change_text(change, unit, lang),
                    target_text(now, lang, fallback=False, prefix=False) if now is not None else "",
                    (t(f"status_{now['status']}", lang) if now["status"] in _STATUSES else now["status"])
                    if now is not None else "",
                    translate(now["no_data_reason"], lang) if now is not None and pd.notna(now["no_data_reason"]) else "",
                    row_note(now, lang) if now is not None else ""])
    columns = [t("indicator", lang), t("year_col", lang, year=year), t("year_col", lang, year=compare_year),
               t("change_col", lang), t("target", lang), t("status", lang), t("no_data_reason", lang), t("note", lang)]
    return pd.DataFrame(out, columns=columns, dtype=object)


# --- exports: a chart's data as an evaluator reads it -------------------------------------------

_EXPORT_HEADERS = {"year": "year", "value": "value", "note": "note", "series": "indicator", "n": "count_axis",
                   "count": "count_axis", "rate": "rate_col", "community": "community", "case_type": "case_type",
                   "outcome": "outcome", "domain": "domain", "activity_type": "activity_type",
                   "organizer": "organizer", "category": "category", "channel": "channel", "month": "month_axis",
                   "participants": "participants", "source_file": "source_file"}


def export_frame(data: pd.DataFrame, lang: str) -> pd.DataFrame:
    """A chart's data for CSV/XLSX: headers in `lang` (columns already named for display kept), whole
    numbers as integers, rates to one decimal and other fractions to two, as the screen shows them."""
    out = data.copy()
    for column in out.columns:
        if pd.api.types.is_float_dtype(out[column]):
            present = out[column].dropna()
            if (present == present.round()).all():
                out[column] = out[column].round().astype("Int64")
            else:
                out[column] = out[column].round(1 if column == "rate" else 2)
    return out.rename(columns={c: t(k, lang) for c, k in _EXPORT_HEADERS.items() if c in out.columns})


# --- coverage: where each figure comes from ---------------------------------------------------

ILLUSTRATIVE = "示例数据"   # how etl notes a sample figure that is not a public number


def coverage_basis(row: pd.Series | dict) -> str:
    """Where one indicator value comes from: 'no_data', 'illustrative' (a sample figure), 'published'
    (taken from a published report), 'reported' (an office's figure), else 'records'."""
    note = row.get("note")
    note = note if isinstance(note, str) else ""
    if row.get("value") is None or pd.isna(row.get("value")):
        return "no_data"
    if note.startswith(ILLUSTRATIVE):
        return "illustrative"
    if is_published(note):
        return "published"
    return "reported" if row.get("source") == "reported_values" else "records"


def coverage_grid(values: pd.DataFrame, lang: str) -> pd.DataFrame:
    """Indicator × year: each cell says where the value comes from (记录/上报/已发布报告/示意/无数据);
    indicators in catalogue order, years ascending."""
    columns = [t("indicator", lang)]
    if values.empty:
        return pd.DataFrame(columns=columns)
    years = sorted(int(y) for y in values["year"].unique())
    cells = {(r["indicator_id"], int(r["year"])): t(f"cov_{coverage_basis(r)}", lang) for _, r in values.iterrows()}
    names = dict(zip(values["indicator_id"], [indicator_name(r, lang) for _, r in values.iterrows()]))
    return pd.DataFrame([[names[i], *[cells.get((i, y), t("cov_no_data", lang)) for y in years]]
                         for i in dict.fromkeys(values["indicator_id"])],
                        columns=[*columns, *map(str, years)], dtype=object)


def coverage_details(values: pd.DataFrame, lang: str) -> pd.DataFrame:
    """The cells of the grid that are not computed from records, with their source or reason."""
    rows = [(indicator_name(r, lang), str(int(r["year"])), t(f"cov_{basis}", lang),
             translate(r["no_data_reason"] if basis == "no_data" else r["note"], lang)
             if isinstance(r["no_data_reason"] if basis == "no_data" else r["note"], str) else "")
            for _, r in values.iterrows() if (basis := coverage_basis(r)) != "records"]
    return pd.DataFrame(rows, columns=[t("indicator", lang), t("year", lang), t("cov_basis", lang),
                                       t("cov_detail", lang)], dtype=object)


def _number(value: object) -> str:
    """A count-like part (numerator, denominator) as text; blank when the indicator has none."""
    if value is None or pd.isna(value):
        return ""
    return f"{value:,.0f}" if float(value).is_integer() else f"{value:,.2f}"


def indicator_names(values: pd.DataFrame, lang: str) -> dict[str, str]:
    """indicator_id → name in `lang`, for the indicators in `values`."""
    first = values.drop_duplicates("indicator_id")
    return dict(zip(first["indicator_id"], [indicator_name(r, lang) for _, r in first.iterrows()]))


def indicator_series(values: pd.DataFrame, indicator_ids: Sequence[str], lang: str, *,
                     note: bool = False) -> pd.DataFrame:
    """year, series (indicator name), value[, note] of the indicators' years with a value, for
    `charts.year_series`."""
    rows = values[values["indicator_id"].isin(indicator_ids)].dropna(subset=["value"])
    out = pd.DataFrame({"year": rows["year"].tolist(),
                        "series": [indicator_name(r, lang) for _, r in rows.iterrows()],
                        "value": rows["value"].tolist()}, columns=["year", "series", "value"])
    if note:
        out["note"] = [translate(n, lang) for n in rows["note"]]
    return out


def count_and_rate(values: pd.DataFrame, count_id: str, rate_id: str) -> pd.DataFrame:
    """year, count, rate (the two indicators' values side by side) for `charts.count_and_rate`.

    Years without either value are left out; without any value of one of the two there is no
    chart (empty frame).
    """
    rows = values[values["indicator_id"].isin([count_id, rate_id])].dropna(subset=["value"])
    if not {count_id, rate_id} <= set(rows["indicator_id"]):
        return pd.DataFrame({"year": pd.Series(dtype="int64"), "count": pd.Series(dtype="float64"),
                             "rate": pd.Series(dtype="float64")})
    wide = rows.pivot_table(index="year", columns="indicator_id", values="value", aggfunc="first")
    return pd.DataFrame({"year": wide.index.astype("int64"), "count": wide[count_id].to_numpy(),
                         "rate": wide[rate_id].to_numpy()})


def metric_tiles(values: pd.DataFrame, lang: str, *, areas: Sequence[str] | None = None,
                 years: Sequence[int] | None = None) -> pd.DataFrame:
    """One tile per indicator row: label (name), value (with unit, or no data in words), help
    (why there is no data, else None)."""
    rows = indicator_rows(values, areas=areas, years=years)
    unit_col = "unit_en" if lang == "en" else "unit_zh"
    return pd.DataFrame({
        "label": [indicator_name(r, lang) for _, r in rows.iterrows()],
        "value": [format_value(v, u, lang) for v, u in zip(rows["value"], rows[unit_col])],
        "help": [translate(r, lang) if pd.notna(r) else None for r in rows["no_data_reason"]],
    }, dtype=object)


CHANNELS_DIFFER = "各年度统计的渠道不同"   # the mart's note on 主动公开 when years count different channels


def disclosure_channels_differ(values: pd.DataFrame) -> bool:
    """Whether the years of 主动公开信息 count different channels (then only the website figure compares)."""
    notes = values.loc[(values["indicator_id"] == "disclosure_items") & values["value"].notna(), "note"].dropna()
    return bool(notes.str.contains(CHANNELS_DIFFER, regex=False).any())


def drill_indicators(values: pd.DataFrame, areas: Sequence[str], year: int) -> pd.DataFrame:
    """The indicators offered for a drill to records: the areas' rows of `year`, or, when that
    year has none, each of the areas' indicators once."""
    rows = indicator_rows(values, areas=areas)
    this_year = rows[rows["year"] == year]
    return (this_year if not this_year.empty else rows.drop_duplicates("indicator_id")).reset_index(drop=True)


# --- the cockpit's headline tiles --------------------------------------------------------------

WEBSITE_ITEMS = "disclosure_items_website"   # 主动公开 on the website only: comparable across years
ALL_CHANNEL_ITEMS = "disclosure_items"         # 主动公开 on every channel the year counted
TILE_COLUMNS = ["indicator_id", "label", "value", "delta", "delta_colour", "delta_description", "trend", "help",
                "status", "target", "published", "trend_published", "website_note", "secondary"]


def _channels_differ(channels: dict[int, tuple[str, ...]], years: Sequence[int]) -> bool:
    """Whether the years with known channels (queries.disclosure_channels) counted different ones."""
    return len({channels[y] for y in years if y in channels}) > 1


def headline_tiles(values: pd.DataFrame, year: int, base_year: int, channels: dict[int, tuple[str, ...]],
                   lang: str) -> pd.DataFrame:
    """One tile per headline indicator with a row in `year`, in headline order: label, value (with unit),
    delta ('+2件', '-1.5个百分点', '持平'; None without a value to compare), delta_colour (by the indicator's
    direction), delta_description (against `base_year`, or that there is none), trend (the values up to
    `year`, None for fewer than two), help (why there is no data, else the description), status,
    target (text), published (the value comes from a published report), trend_published (the other
    years of the trend that do, joined; '' when none), website_note and secondary.

    Every figure of a tile is on one basis. 主动公开信息 counts every channel of its year; when the
    year, `base_year` or the years of its trend counted different channels (`channels`, each year's,
    queries.disclosure_channels), its tile is the website figure (主动公开信息（网站）, comparable across
    years) with that figure's own status, target, change and trend, `website_note` is True and
    `secondary` states the all-channel figure beside it ('全部渠道：1,210条'); otherwise '' .
    """
    unit_col = "unit_en" if lang == "en" else "unit_zh"
    website = values[values["indicator_id"] == WEBSITE_ITEMS]
    headline = values[values["headline"].notna()].sort_values(["headline", "year"])
    tiles = []
    for _, row in headline[headline["year"] == year].iterrows():
        history = headline[headline["indicator_id"] == row["indicator_id"]]
        secondary, website_note = "", False
        if row["indicator_id"] == ALL_CHANNEL_ITEMS:
            drawn = history.loc[(history["year"] <= year) & history["value"].notna(), "year"].tolist()
            website_now = website[website["year"] == year]
            if _channels_differ(channels, [year, base_year, *drawn]) and not website_now.empty:
                secondary = t("tile_all_channels", lang, value=format_value(row["value"], row[unit_col], lang))
                row, history, website_note = website_now.iloc[0], website, True
        base = history[history["year"] == base_year]
        if base.empty or pd.isna(row["value"]) or pd.isna(base.iloc[0]["value"]):
            change, described = None, t("no_prev", lang)
        else:
            change, described = row["value"] - base.iloc[0]["value"], t("change_vs", lang, year=base_year)
        delta, colour = None, "off"
        if change is not None:
            delta = change_text(change, row[unit_col], lang)   # a rate changes by percentage points
            colour = {"up": "normal", "down": "inverse"}.get(row["direction"], "off") if change else "off"
        trend_rows = history[history["year"] <= year]
        trend = trend_rows["value"].dropna().tolist()
        earlier = [y for y in published_years(trend_rows) if y != year] if len(trend) > 1 else []
        tiles.append({
            "indicator_id": row["indicator_id"], "label": indicator_name(row, lang),
            "value": format_value(row["value"], row[unit_col], lang), "delta": delta, "delta_colour": colour,
            "delta_description": described, "trend": trend if len(trend) > 1 else None,
            "help": translate(row["no_data_reason"], lang) if pd.notna(row["no_data_reason"])
            else row["description_en" if lang == "en" else "description_zh"], "status": row["status"],
            "target": target_text(row, lang, fallback=False),
            "published": is_published(row["note"]), "trend_published": t("list_sep", lang).join(map(str, earlier)),
            "website_note": website_note, "secondary": secondary})
    return pd.DataFrame(tiles, columns=TILE_COLUMNS, dtype=object)


# --- record counts --------------------------------------------------------------------------

def category_counts(counts: pd.DataFrame, record_type: str, lang: str, *, blank: str | None = None,
                    contract_order: bool = False, total: str | None = None) -> pd.DataFrame:
    """`queries.record_counts` as a bar chart shows it: categories in `lang`.

    Group columns: a month as 1月 / Jan, the records without a community as 街道本级 in `lang`,
    values of enumerated fields as `value_label`, free text as written. `blank` names missing
    values; `contract_order` sorts enumerated values as the contract lists them (blanks last);
    `total` renames the `total` column (the sum of the query's measure).
    """
    fields = {f.name: f for f in RECORD_TYPES[record_type].fields}
    groups = [c for c in counts.columns if c not in ("n", "total")]
    enums = [c for c in groups if c in fields and fields[c].kind == ENUM]
    out = counts.copy()
    if contract_order and enums:
        def position(column: pd.Series) -> pd.Series:
            order = {value: i for i, value in enumerate(fields[column.name].allowed)}
            return column.map(order).fillna(len(order))
        out = out.sort_values(enums, key=position, kind="stable")
    for column in groups:
        if blank is not None:
            out[column] = out[column].fillna(blank)
        if column == "month":
            out[column] = [month_label(v, lang) for v in out[column]]
        elif column == "community":
            out[column] = out[column].replace(SUBDISTRICT_LEVEL, t("subdistrict_level", lang))
        elif column in enums:
            out[column] = [value_label(v, lang) if pd.notna(v) else v for v in out[column]]
    if total is not None:
        out = out.rename(columns={"total": total})
    return out.reset_index(drop=True)


# Civil mediations outnumber the rest a hundredfold; their outcome is the success-rate indicator.
_OUTCOMES_LEFT_OUT = ("矛盾纠纷调解",)


def case_outcomes(counts: pd.DataFrame, lang: str) -> pd.DataFrame:
    """case_type, outcome, n of concluded cases with an outcome, civil mediations left out."""
    kept = counts[counts["outcome"].notna() & ~counts["case_type"].isin(_OUTCOMES_LEFT_OUT)]
    return category_counts(kept, "cases", lang)


def outreach_totals(people: pd.DataFrame, materials: pd.DataFrame, lang: str) -> pd.DataFrame:
    """Activities, participants and materials by activity type (from `queries.record_counts` with
    measure participants, and with measure materials) as a table in `lang`."""
    both = people.merge(materials[["activity_type", "total"]], on="activity_type", suffixes=("_people", "_copies"))
    both["activity_type"] = [value_label(v, lang) for v in both["activity_type"]]
    return both.rename(columns={
        "activity_type": t("activity_type", lang),
        "n": with_unit(t("activities", lang), t("activities_unit", lang), lang),
        "total_people": with_unit(t("participants", lang), t("participants_unit", lang), lang),
        "total_copies": with_unit(t("materials", lang), t("materials_unit", lang), lang)})


# --- designations ---------------------------------------------------------------------------

def designations_table(titles: pd.DataFrame, lang: str) -> pd.DataFrame:
    """`queries.designations_table` as shown: a community without a title says so, level and status
    in `lang`, headers in `lang`."""
    shown = titles.drop(columns=["community_id"]).assign(
        title=titles["title"].fillna(t("no_title", lang)),
        level=[value_label(v, lang) if pd.notna(v) else "" for v in titles["level"]],
        status=[value_label(v, lang) if pd.notna(v) else "" for v in titles["status"]],
        year_granted=titles["year_granted"].astype("Int64"))
    return shown.rename(columns={name: t(name, lang) for name in (
        "community", "title", "level", "granted_by", "year_granted", "status", "source_file", "source_row")})


def titles_by_level(titles: pd.DataFrame, year: int, lang: str) -> pd.DataFrame:
    """level (in `lang`), n: the valid titles held in `year`, by level in order of first appearance."""
    held = titles[(titles["status"] == "有效") & (titles["year_granted"] <= year)]
    counts = held.groupby("level", sort=False).size().reset_index(name="n")
    counts["level"] = [value_label(v, lang) for v in counts["level"]]
    return counts


# --- weak areas and actions -----------------------------------------------------------------

def weak_area_headings(areas: pd.DataFrame, lang: str) -> pd.DataFrame:
    """weak_area_id, name, title ('W1 name'), cause ('原因：…') of each weak area, in `lang`."""
    names = areas["name_en" if lang == "en" else "name_zh"]
    causes = areas["cause_en" if lang == "en" else "cause_zh"]
    sep = ": " if lang == "en" else "："
    return pd.DataFrame({
        "weak_area_id": areas["weak_area_id"].tolist(), "name": names.tolist(),
        "title": [f"{w} {n}" for w, n in zip(areas["weak_area_id"], names)],
        "cause": [f"{t('wa_cause', lang)}{sep}{c}" for c in causes]}, columns=["weak_area_id", "name", "title", "cause"])


def weak_area_panels(areas: pd.DataFrame, values: pd.DataFrame, actions: pd.DataFrame, year: int,
                     lang: str) -> pd.DataFrame:
    """One panel per weak area: title; `indicators`, its indicators' statuses in `year` counted in
    words ("" when none has a row that year) and `chips`, (name and value, status) per indicator;
    `actions`, its actions counted by status ("" when it has none) and `overdue`, how many are."""
    this_year = values[values["year"] == year]
    unit_col = "unit_en" if lang == "en" else "unit_zh"
    panels = []
    for heading in weak_area_headings(areas, lang).itertuples():
        indicators = this_year[this_year["weak_area_id"] == heading.weak_area_id]
        statuses = indicators["status"].value_counts()
        own = actions[actions["weak_area_id"] == heading.weak_area_id]
        done = own["status"].value_counts()
        panels.append({
            "weak_area_id": heading.weak_area_id, "title": heading.title,
            "indicators": t("wa_status_counts", lang, **{s: statuses.get(s, 0) for s in ("green", "amber", "red", "no_data")})
            + (t("wa_no_community_target", lang, n=statuses["no_community_target"])
               if statuses.get("no_community_target") else "") if not indicators.empty else "",
            "chips": [(f"{indicator_name(r, lang)} {format_value(r['value'], r[unit_col], lang)}"
                       + (f" · {t('status_no_community_target', lang)}" if r["status"] == "no_community_target" else ""),
                       r["status"]) for _, r in indicators.iterrows()],
            "actions": t("actions_summary", lang, done=done.get("已完成", 0), doing=done.get("推进中", 0),
                         todo=done.get("未启动", 0)) if not own.empty else "",
            "overdue": int(own["overdue"].fillna(False).sum())})
    return pd.DataFrame(panels, columns=["weak_area_id", "title", "indicators", "chips", "actions", "overdue"],
                        dtype=object)


AGAINST_TARGET_COLUMNS = ["indicator_id", "year", "value", "target", "status", "name_zh", "name_en", "unit_zh",
                          "unit_en"]


def against_target(values: pd.DataFrame, weak_area_id: str) -> pd.DataFrame:
    """The weak area's indicators in the years they have a value, with what
    `charts.indicators_against_target` reads (target, status, names, units)."""
    rows = values[(values["weak_area_id"] == weak_area_id) & values["value"].notna()]
    return rows[AGAINST_TARGET_COLUMNS].reset_index(drop=True)


def action_table(actions: pd.DataFrame, lang: str, weak_area_id: str | None,
                 statuses: Sequence[str]) -> pd.DataFrame:
    """The actions of a weak area (None: those of none) in `statuses`, as a table in `lang`;
    an overdue action says so in words."""
    own = actions["weak_area_id"].isna() if weak_area_id is None else actions["weak_area_id"] == weak_area_id
    rows = actions[own & actions["status"].isin(statuses)]
    return pd.DataFrame({
        t("action_id", lang): rows["action_id"].tolist(),
        t("action_title", lang): rows["title"].tolist(),
        t("owner", lang): rows["owner"].fillna("").tolist(),
        t("due_date", lang): pd.to_datetime(rows["due_date"]).dt.strftime("%Y-%m-%d").fillna("").tolist(),
        t("status", lang): [value_label(s, lang) for s in rows["status"]],
        t("overdue", lang): ["⚠ " + t("overdue", lang) if o else "" for o in rows["overdue"].fillna(False)],
        t("progress", lang): rows["progress"].fillna("").tolist(),
    })


# --- targets and predicted points ----------------------------------------------------------

def _points(value: object) -> str:
    return f"{float(value):.2f}".rstrip("0").rstrip(".")


def score_summary(scores: pd.DataFrame, lang: str, *, sample: bool = False) -> pd.DataFrame:
    """`queries.scores` as the predicted-score tile shows it: one row with `label` ('预计得分（满分 100 分）'),
    `value` ('76.64 分', or no data in words) and `caption` (the unscored points and their indicators;
    illustrative targets); no rows when the scope has no points that year. (Targets of an earlier
    year: `targets_fallback_note`, said once for the page.)"""
    total = scores[scores["level"] == "total"]
    if total.empty:
        return pd.DataFrame(columns=["label", "value", "caption"])
    row = total.iloc[0]
    value = t("score_value", lang, points=_points(row["points"])) if pd.notna(row["points"]) else t("status_no_data", lang)
    notes = []
    unscored = scores[(scores["level"] == "indicator") & scores["points"].isna()]
    if not unscored.empty:
        names = t("list_sep", lang).join(indicator_name(r, lang) for _, r in unscored.iterrows())
        notes.append(t("score_unscored", lang, points=_points(row["unscored_points"]), names=names))
    if sample:
        notes.append(t("score_sample", lang))
    return pd.DataFrame({"label": [t("score_title", lang, max=_points(row["max_points"]))], "value": [value],
                         "caption": [("；" if lang == "zh" else "; ").join(n for n in notes if n)]})


def points_lost(scores: pd.DataFrame, lang: str) -> pd.DataFrame:
    """The scored indicators that lost points, largest loss first (ties in catalogue order):
    indicator (name), lost, points, max_points, rule and status in `lang`."""
    rows = scores[(scores["level"] == "indicator") & (scores["lost"].fillna(0) > 0)]
    rows = rows.sort_values("lost", ascending=False, kind="stable")
    return pd.DataFrame({
        "indicator": [indicator_name(r, lang) for _, r in rows.iterrows()],
        "lost": rows["lost"].astype(float).tolist(), "points": rows["points"].astype(float).tolist(),
        "max_points": rows["max_points"].astype(float).tolist(),
        "rule": [value_label(r, lang) for r in rows["rule"]],
        "status": [t(f"status_{s}", lang) if s in _STATUSES else s for s in rows["status"]],
    }, columns=["indicator", "lost", "points", "max_points", "rule", "status"])


def points_lost_headers(lang: str) -> dict[str, str]:
    """Display headers of `points_lost`'s columns (downloads)."""
    return {"indicator": t("indicator", lang), "lost": t("points_lost", lang), "points": t("points", lang),
            "max_points": t("max_points", lang), "rule": t("scoring_rule", lang), "status": t("status", lang)}


# --- the catalogue and its targets (指标说明) ---------------------------------------------

def _direction(direction: str, lang: str) -> str:
    return t(f"dir_{direction}", lang) if direction in ("up", "down", "none") else direction


def _source(record_type: str, lang: str) -> str:
    """The record type an indicator is computed from, by its contract name (etl/schema.py)."""
    return RECORD_TYPES[record_type].name_zh if lang == "zh" and record_type in RECORD_TYPES else record_type


def catalogue_table(catalogue: pd.DataFrame, lang: str) -> pd.DataFrame:
    """`queries.catalogue` as the 指标说明 table: every indicator's area, name, id, unit, formula,
    direction and rating rule, source records, weak area, version and definition, in `lang`."""
    sfx = "en" if lang == "en" else "zh"
    return pd.DataFrame({
        t("area", lang): catalogue[f"area_name_{sfx}"].tolist(),
        t("indicator", lang): catalogue[f"name_{sfx}"].tolist(),
        "ID": catalogue["indicator_id"].tolist(),
        t("unit", lang): catalogue[f"unit_{sfx}"].tolist(),
        t("formula", lang): catalogue[f"formula_{sfx}"].tolist(),
        t("direction", lang): [_direction(d, lang) for d in catalogue["direction"]],
        t("status_rule", lang): [t(f"rule_{d}", lang) if d in ("up", "down") else t("rule_none", lang)
                                 for d in catalogue["direction"]],
        t("source_records", lang): [_source(r, lang) for r in catalogue["source"]],
        t("weak_area", lang): catalogue["weak_area_id"].fillna("").tolist(),
        t("version", lang): catalogue["version"].tolist(),
        t("description", lang): catalogue[f"description_{sfx}"].fillna("").tolist(),
    })


def indicator_card(catalogue: pd.DataFrame, indicator_id: str, lang: str) -> pd.DataFrame:
    """One indicator of `queries.catalogue` as item / content rows: definition, formula, unit,
    direction and rating rule, area, weak area, source records, version."""
    row = catalogue[catalogue["indicator_id"] == indicator_id].iloc[0]
    sfx = "en" if lang == "en" else "zh"
    items = [
        (t("description", lang), row[f"description_{sfx}"]), (t("formula", lang), row[f"formula_{sfx}"]),
        (t("unit", lang), row[f"unit_{sfx}"]), (t("direction", lang), _direction(row["direction"], lang)),
        (t("status_rule", lang), t(f"rule_{row['direction']}", lang) if row["direction"] in ("up", "down")
         else t("rule_none", lang)),
        (t("area", lang), row[f"area_name_{sfx}"]), (t("weak_area", lang), row["weak_area_id"]),
        (t("source_records", lang), _source(row["source"], lang)), (t("version", lang), row["version"]),
    ]
    return pd.DataFrame({t("meth_item", lang): [k for k, _ in items],
                         t("meth_content", lang): ["" if v is None or pd.isna(v) else str(v) for _, v in items]})


def targets_table(targets: pd.DataFrame, lang: str, indicator_id: str | None = None) -> pd.DataFrame:
    """`queries.targets` (of one indicator, or all) as a table in `lang`: indicator, year, scope,
    community (每个社区 when blank), target and red line with unit, points, scoring rule, deduction, basis."""
    rows = targets if indicator_id is None else targets[targets["indicator_id"] == indicator_id]
    unit_col = "unit_en" if lang == "en" else "unit_zh"

    def community(r: pd.Series) -> str:
        if r["scope"] != "社区":
            return ""
        return r["community"] if pd.notna(r["community"]) else t("scope_every_community", lang)

    def amount(value: object, unit: str) -> str:
        return "" if value is None or pd.isna(value) else format_value(float(value), unit, lang)

    return pd.DataFrame({
        t("indicator", lang): [indicator_name(r, lang) for _, r in rows.iterrows()],
        t("year", lang): [str(y) for y in rows["year"]],
        t("target_scope", lang): [value_label(v, lang) for v in rows["scope"]],
        t("community", lang): [community(r) for _, r in rows.iterrows()],
        t("target", lang): [amount(v, u) for v, u in zip(rows["target"], rows[unit_col])],
        t("red_threshold", lang): [amount(v, u) for v, u in zip(rows["red_threshold"], rows[unit_col])],
        t("max_points", lang): [_number(v) for v in rows["points"]],
        # a blank rule with points is 达标得分 (etl.scores)
        t("scoring_rule", lang): [value_label(r if pd.notna(r) else "达标得分", lang) if pd.notna(p) else ""
                                  for r, p in zip(rows["rule"], rows["points"])],
        t("deduction", lang): [_number(v) for v in rows["deduction"]],
        t("basis", lang): rows["basis"].fillna("").tolist(),
    })


# --- load history ---------------------------------------------------------------------------

def record_type_name(name: str, lang: str) -> str:
    """A record type by its Chinese name (zh) or its id (en); an unknown name as it is."""
    return RECORD_TYPES[name].name_zh if lang == "zh" and name in RECORD_TYPES else name


def run_status(status: str, lang: str) -> str:
    """`published`, or `rollback:<run_id>` for a restore (etl.publish), in `lang`."""
    if status == "published":
        return t("dq_status_published", lang)
    if status.startswith("rollback:"):
        return t("dq_status_rollback", lang, run=status.removeprefix("rollback:"))
    return status


# column of queries.runs → its header's UI string
_RUN_HEADERS = {"run_id": "run_id", "started_at": "started_at", "finished_at": "finished_at",
                "duration_s": "duration_s", "dataset_kind": "dataset", "files": "files", "rows_read": "rows_read",
                "rows_loaded": "rows_loaded", "rows_rejected": "rows_rejected", "status": "run_status",
                "actor": "run_actor", "reason": "reason", "data_dir": "data_dir",
                "catalogue_version": "catalogue_version"}


def run_history(runs: pd.DataFrame, lang: str) -> pd.DataFrame:
    """`queries.runs` as a table in `lang`: dataset kind and result in words, seconds to two decimals;
    a database from before the run history had actor and reason shows those columns empty."""
    history = runs.reindex(columns=list(_RUN_HEADERS))
    history["dataset_kind"] = [t(f"kind_{k}", lang) if k in ("sample", "real") else k for k in history["dataset_kind"]]
    history["duration_s"] = history["duration_s"].round(2)
    history["status"] = [run_status(s, lang) for s in history["status"]]
    return history.rename(columns={column: t(key, lang) for column, key in _RUN_HEADERS.items()})


def file_rows(files: pd.DataFrame, lang: str) -> pd.DataFrame:
    """source_file, series (rows loaded / rows rejected, in `lang`), rows: one run's files for a
    stacked bar chart."""
    rows = files.melt(id_vars=["source_file"], value_vars=["rows_loaded", "rows_rejected"], var_name="series",
                      value_name="rows")
    rows["series"] = [t(s, lang) for s in rows["series"]]
    return rows


_FILE_HEADERS = {"source_file": "source_file", "record_type": "record_type", "encoding": "encoding",
                 "rows_read": "rows_read", "rows_loaded": "rows_loaded", "rows_rejected": "rows_rejected",
                 "message": "message", "checksum": "checksum"}


def file_table(files: pd.DataFrame, lang: str) -> pd.DataFrame:
    """`queries.run_files` as a table in `lang`: record types by name, no message as blank."""
    table = files[list(_FILE_HEADERS)].assign(
        record_type=[record_type_name(r, lang) for r in files["record_type"]],
        message=[translate(m, lang) for m in files["message"].fillna("")])
    return table.rename(columns={column: t(key, lang) for column, key in _FILE_HEADERS.items()})


_REJECT_HEADERS = {"record_type": "record_type", "source_file": "source_file", "source_row": "source_row",
                   "field": "field", "value": "value", "reason": "reason", "kind": "kind"}
_REJECT_KINDS = ("invalid", "duplicate", "replaced")


def reject_table(rejects: pd.DataFrame, lang: str) -> pd.DataFrame:
    """`queries.rejects` as a table in `lang`: fields by the headers of the record's template (Chinese)
    or their names, kinds and record types in words."""
    table = rejects[list(_REJECT_HEADERS)].assign(
        field=[record_headers(r, lang).get(fd, fd) if r in RECORD_TYPES else fd
               for r, fd in zip(rejects["record_type"], rejects["field"])],
        kind=[t(f"reject_{k}", lang) if k in _REJECT_KINDS else k for k in rejects["kind"]],
        reason=[translate(r, lang) for r in rejects["reason"]],
        record_type=[record_type_name(r, lang) for r in rejects["record_type"]])
    return table.rename(columns={column: t(key, lang) for column, key in _REJECT_HEADERS.items()})


# --- records --------------------------------------------------------------------------------

def record_headers(record_type: str, lang: str) -> dict[str, str]:
    """Display headers of a record type's columns: the contract's Chinese headers, or field names."""
    headers = {"community": t("community", lang), "source_file": t("source_file", lang),
               "source_row": t("source_row", lang)}
    for fld in RECORD_TYPES[record_type].fields:
        if fld.kind != "community":
            headers[fld.name] = fld.header_zh if lang == "zh" else fld.name
    return headers


def records_table(records: pd.DataFrame, record_type: str, lang: str) -> pd.DataFrame:
    """Records as shown: community name (街道本级 when none), enum values in `lang`, headers in `lang`."""
    shown = records.drop(columns=["community_id"], errors="ignore").copy()
    if "community" in shown:
        shown["community"] = shown["community"].fillna(t("subdistrict_level", lang))
    for fld in RECORD_TYPES[record_type].fields:
        if fld.name not in shown:
            continue
        if fld.kind == DATE:
            shown[fld.name] = pd.to_datetime(shown[fld.name]).dt.strftime("%Y-%m-%d").fillna("")
        elif fld.kind == BOOL:
            shown[fld.name] = [t("yes", lang) if v is True else t("no", lang) if v is False else ""
                               for v in shown[fld.name].astype(object)]
        elif fld.kind in (ENUM, TEXT):
            shown[fld.name] = [value_label(v, lang) if pd.notna(v) else "" for v in shown[fld.name]]
    return shown.rename(columns=record_headers(record_type, lang))


# --- cockpit verdict (issue 11) -------------------------------------------------------------

VERDICT_STATUSES = ("green", "amber", "red", "no_data")
# The page each area's indicators are analysed on (areas without a page of their own: 指标说明).
AREA_PAGES = {"disputes": "pages/cases.py", "disclosure": "pages/disclosure.py",
              "outreach": "pages/outreach.py", "designation": "pages/designations.py"}
DEFAULT_AREA_PAGE = "pages/methodology.py"


def verdict_counts(values: pd.DataFrame, year: int) -> dict[str, int]:
    """How many of the year's indicator rows (the rows of the indicator table) are in each status:
    `n` all of them, `green`/`amber`/`red`/`no_data`, and `other` (无目标, 无社区目标)."""
    statuses = indicator_rows(values, years=(year,))["status"].value_counts()
    counts = {s: int(statuses.get(s, 0)) for s in VERDICT_STATUSES}
    n = int(statuses.sum())
    return {"n": n, **counts, "other": n - sum(counts.values())}


def verdict_line(counts: dict[str, int], lang: str) -> str:
    """'15 项指标：8 达标、3 预警、2 未达标、2 无数据' (plus how many have no target, when any)."""
    line = t("verdict_line", lang, **{k: counts[k] for k in ("n", *VERDICT_STATUSES)})
    if counts["other"]:
        line += t("list_sep", lang) + t("verdict_no_target", lang, n=counts["other"])
    return line


def red_items(values: pd.DataFrame, year: int, lang: str) -> pd.DataFrame:
    """The year's 未达标 indicators in catalogue order: `label` (name and value) and `page`, the page
    that analyses its area."""
    rows = indicator_rows(values, years=(year,))
    rows = rows[rows["status"] == "red"]
    unit_col = "unit_en" if lang == "en" else "unit_zh"
    return pd.DataFrame({
        "indicator_id": rows["indicator_id"].tolist(),
        "label": [f"{indicator_name(r, lang)} {format_value(r['value'], r[unit_col], lang)}" for _, r in rows.iterrows()],
        "page": [AREA_PAGES.get(a, DEFAULT_AREA_PAGE) for a in rows["area_id"]]}, dtype=object)


def actions_of_year(actions: pd.DataFrame, year: int) -> pd.DataFrame:
    """The actions (queries.actions) planned for `year`: 计划年度, or when blank the due date's year."""
    planned = actions["plan_year"].where(actions["plan_year"].notna(), pd.to_datetime(actions["due_date"]).dt.year)
    return actions[planned == year].reset_index(drop=True)


def overdue_actions(actions: pd.DataFrame, year: int, lang: str) -> pd.DataFrame:
    """The overdue actions of `year` (actions_of_year) as a table in `lang`: task, 责任科室, due date,
    weak area."""
    rows = actions_of_year(actions, year)
    rows = rows[rows["overdue"].fillna(False).astype(bool)]
    return pd.DataFrame({
        t("action_title", lang): rows["title"].tolist(),
        t("owner", lang): rows["owner"].fillna("").tolist(),
        t("due_date", lang): pd.to_datetime(rows["due_date"]).dt.strftime("%Y-%m-%d").fillna("").tolist(),
        t("weak_area", lang): rows["weak_area_en" if lang == "en" else "weak_area_zh"].fillna("").tolist()},
        dtype=object)


def verdict_score(scores: pd.DataFrame, lang: str) -> str:
    """'预计得分 76.64 / 100' of the scope's total (queries.scores); '' when it has no scored points."""
    total = scores[scores["level"] == "total"]
    if total.empty or pd.isna(total.iloc[0]["points"]):
        return ""
    return t("verdict_score", lang, points=_points(total.iloc[0]["points"]), max=_points(total.iloc[0]["max_points"]))
