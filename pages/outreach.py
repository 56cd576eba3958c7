"""普法与法律服务: activities by type, community, month and organiser; participants and materials;
the records behind each figure (a bar of the community chart narrows them)."""
from __future__ import annotations

import streamlit as st

from cockpit import auth, ui
from reporting import charts, frames, queries
from reporting.i18n import t, with_unit

AREAS = ("outreach", "responsibility")

auth.require("view")
f = ui.filters()
lang = f.lang
ui.page_header(t("page_outreach", lang), f)

values = ui.query(queries.indicator_values, (), f.communities, cannot_combine=t("cannot_combine", lang),
                  subdistrict=f.subdistrict)
# With a compare year: the two years side by side with the change.
table = (ui.shape(frames.indicator_table, values, lang, areas=AREAS, years=(f.year,)) if f.compare_year is None
         else ui.shape(frames.compare_table, values, lang, f.year, f.compare_year, areas=AREAS))
ui.show_indicator_table(table,
                        f"{t('page_outreach', lang)}（{f.year}）" if lang == "zh" else f"{t('page_outreach', lang)} ({f.year})",
                        "outreach_indicators", f)

activities_unit = t("activities_unit", lang)
activities_axis = with_unit(t("activities", lang), activities_unit, lang)


def activities_by(column: str, blank: str | None = None):
    """The year's activities (n) and participants by `column`, as its bar chart takes them."""
    counts = ui.query(queries.record_counts, "outreach", (column,), f.year, f.communities, measure="participants",
                      subdistrict=f.subdistrict)
    return ui.shape(frames.category_counts, counts, "outreach", lang, blank=blank, total="participants")


left, right = st.columns(2)
with left:
    data = activities_by("activity_type")
    fig = ui.chart(charts.bar, data, "activity_type", "n", lang, x_title=t("activity_type", lang),
                   y_title=activities_axis, unit=activities_unit, horizontal=True)
    ui.show_chart(fig, data, t("out_by_type", lang, year=f.year), "outreach_type", f)
with right:
    data = activities_by("month")
    fig = ui.chart(charts.bar, data, "month", "n", lang, x_title=t("month_axis", lang), y_title=activities_axis,
                   unit=activities_unit)
    ui.show_chart(fig, data, t("out_by_month", lang, year=f.year), "outreach_month", f)

# Participants and materials by activity type, as a table beside the charts.
people = ui.query(queries.record_counts, "outreach", ("activity_type",), f.year, f.communities, measure="participants",
                  subdistrict=f.subdistrict)
copies = ui.query(queries.record_counts, "outreach", ("activity_type",), f.year, f.communities, measure="materials",
                  subdistrict=f.subdistrict)
ui.show_table(ui.shape(frames.outreach_totals, people, copies, lang), t("out_totals", lang, year=f.year),
              "outreach_totals", f)

st.caption(t("bar_click_hint", lang))
left, right = st.columns(2)
with left:
    data = activities_by("community")
    fig = ui.chart(charts.bar, data, "community", "n", lang, x_title=t("community", lang), y_title=activities_axis,
                   unit=activities_unit)
    point = ui.selected_point(ui.show_chart(fig, data, t("out_by_community", lang, year=f.year),
                                            "outreach_community", f, selectable=True))
    clicked, clicked_label = ui.community_click(point)
with right:
    data = activities_by("organizer", t("organizer_blank", lang))
    fig = ui.chart(charts.bar, data, "organizer", "n", lang, x_title=t("organizer", lang), y_title=activities_axis,
                   unit=activities_unit, horizontal=True)
    ui.show_chart(fig, data, t("out_by_organizer", lang, year=f.year), "outreach_organizer", f)

ui.records_drill(f, ui.shape(frames.drill_indicators, values, AREAS, f.year), "outreach",
                 extra=clicked, extra_label=clicked_label)
