"""普法与法律服务: activities by type, community, month and organiser; participants and materials;
the records behind each figure (a bar of the community chart narrows them)."""
from __future__ import annotations

import pandas as pd
import streamlit as st

from cockpit import ui
from reporting import charts, queries
from reporting.i18n import month_label, t, value_label

AREA = "outreach"

f = ui.filters()
lang = f.lang
ui.page_header(t("page_outreach", lang), f)

values = ui.query(queries.indicator_values, (), f.communities, cannot_combine=t("cannot_combine", lang))
area = values[values["area_id"].isin([AREA, "responsibility"])] if not values.empty else values
shown_years = [y for y in (f.year, f.compare_year) if y is not None]
this_year = area[area["year"].isin(shown_years)] if not area.empty else area
ui.show_table(ui.indicator_table(this_year, lang) if not this_year.empty else this_year,
              f"{t('page_outreach', lang)}（{f.year}）" if lang == "zh" else f"{t('page_outreach', lang)} ({f.year})",
              "outreach_indicators", f)

activities_unit = t("activities_unit", lang)


def axis(key: str, unit: str) -> str:
    return f"{t(key, lang)}（{unit}）" if lang == "zh" else f"{t(key, lang)} ({unit})"


def activities_by(column: str, blank_key: str | None = None) -> pd.DataFrame:
    counts = ui.query(queries.record_counts, "outreach", (column,), f.year, f.communities, measure="participants")
    if counts.empty:
        return counts
    if blank_key:
        counts[column] = counts[column].fillna(t(blank_key, lang))
    if column == "activity_type":
        counts[column] = [value_label(v, lang) for v in counts[column]]
    if column == "month":
        counts[column] = [month_label(v, lang) for v in counts[column]]
    if column == "community" and lang == "en":
        counts[column] = counts[column].replace("街道本级", t("subdistrict_level", lang))
    return counts.rename(columns={"total": "participants"})


left, right = st.columns(2)
with left:
    data = activities_by("activity_type")
    fig = ui.chart(charts.bar, data, "activity_type", "n", lang, x_title=t("activity_type", lang),
                     y_title=axis("activities", activities_unit), unit=activities_unit, horizontal=True) \
        if not data.empty else None
    ui.show_chart(fig, data, t("out_by_type", lang, year=f.year), "outreach_type", f)
with right:
    data = activities_by("month")
    fig = ui.chart(charts.bar, data, "month", "n", lang, x_title=t("month_axis", lang),
                     y_title=axis("activities", activities_unit), unit=activities_unit) if not data.empty else None
    ui.show_chart(fig, data, t("out_by_month", lang, year=f.year), "outreach_month", f)

# Participants and materials by activity type, as a table beside the charts.
people = ui.query(queries.record_counts, "outreach", ("activity_type",), f.year, f.communities, measure="participants")
copies = ui.query(queries.record_counts, "outreach", ("activity_type",), f.year, f.communities, measure="materials")
totals = people.merge(copies[["activity_type", "total"]], on="activity_type", suffixes=("_people", "_copies")) \
    if not people.empty else people
if not totals.empty:
    totals["activity_type"] = [value_label(v, lang) for v in totals["activity_type"]]
ui.show_table(totals, t("out_totals", lang, year=f.year), "outreach_totals", f, columns={
    "activity_type": t("activity_type", lang), "n": axis("activities", activities_unit),
    "total_people": axis("participants", t("participants_unit", lang)),
    "total_copies": axis("materials", t("materials_unit", lang))})

st.caption(t("bar_click_hint", lang))
left, right = st.columns(2)
clicked, clicked_label = None, None
with left:
    data = activities_by("community")
    fig = ui.chart(charts.bar, data, "community", "n", lang, x_title=t("community", lang),
                     y_title=axis("activities", activities_unit), unit=activities_unit) if not data.empty else None
    point = ui.selected_point(ui.show_chart(fig, data, t("out_by_community", lang, year=f.year),
                                            "outreach_community", f, selectable=True))
    if point:
        table = ui.query(queries.communities)
        clicked_label = point.get("x")
        clicked = {"community_id": dict(zip(table["name"], table["community_id"])).get(clicked_label)}
with right:
    data = activities_by("organizer", "organizer_blank")
    fig = ui.chart(charts.bar, data, "organizer", "n", lang, x_title=t("organizer", lang),
                     y_title=axis("activities", activities_unit), unit=activities_unit, horizontal=True) \
        if not data.empty else None
    ui.show_chart(fig, data, t("out_by_organizer", lang, year=f.year), "outreach_organizer", f)

area_now = area[area["year"] == f.year] if not area.empty else area
ui.records_drill(f, area_now if not area_now.empty else area.drop_duplicates("indicator_id"), "outreach",
                 extra=clicked, extra_label=clicked_label)
