"""行政争议与诉源治理: new reviews and lawsuits, outcomes, the dispute indicators, mediation, and
the records behind them (a bar of the community or domain chart narrows the records)."""
from __future__ import annotations

import streamlit as st

from cockpit import auth, ui
from reporting import charts, frames, queries
from reporting.i18n import t, with_unit

AREA = "disputes"

auth.require("view")
f = ui.filters()
lang = f.lang
ui.page_header(t("page_cases", lang), f)

values = ui.query(queries.indicator_values, (), f.communities, cannot_combine=t("cannot_combine", lang),
                  subdistrict=f.subdistrict)
unit = t("cases_unit", lang)
count_axis = with_unit(t("count_axis", lang), unit, lang)

# Dispute indicators of the year; with a compare year, the two years side by side with the change.
table = (ui.shape(frames.indicator_table, values, lang, areas=(AREA,), years=(f.year,)) if f.compare_year is None
         else ui.shape(frames.compare_table, values, lang, f.year, f.compare_year, areas=(AREA,)))
ui.show_indicator_table(table, t("cases_rates", lang, year=f.year), "cases_indicators", f)

left, right = st.columns(2)
with left:
    data = ui.shape(frames.indicator_series, values, ("review_cases_new", "litigation_cases_new"), lang)
    fig = ui.chart(charts.year_series, data, lang, series="series", y_title=count_axis, unit=unit,
                   compare_year=f.compare_year)
    ui.show_chart(fig, data, t("cases_new_by_year", lang), "cases_new_by_year", f)
with right:
    counts = ui.query(queries.record_counts, "cases", ("case_type", "outcome"), f.year, f.communities,
                      where={"status": "审结"}, date_field="closed_date", subdistrict=f.subdistrict)
    outcomes = ui.shape(frames.case_outcomes, counts, lang)
    fig = ui.chart(charts.bar, outcomes, "case_type", "n", lang, x_title=t("case_type", lang),
                   y_title=t("count_axis", lang), unit=unit, colour="outcome", horizontal=True)
    ui.show_chart(fig, outcomes, t("cases_outcomes", lang, year=f.year), "cases_outcomes", f)

mediation = ui.shape(frames.count_and_rate, values, "mediation_cases", "mediation_satisfaction")
names = ui.shape(frames.indicator_names, values, lang)
fig = ui.chart(charts.count_and_rate, mediation, lang, count_name=names.get("mediation_cases", ""), count_unit=unit,
               rate_name=names.get("mediation_satisfaction", ""), rate_unit="%",
               compare_year=f.compare_year)
ui.show_chart(fig, mediation, t("mediation_by_year", lang), "mediation_by_year", f)

# By community and by domain; a click on a bar narrows the records below to it.
st.caption(t("bar_click_hint", lang))
left, right = st.columns(2)
with left:
    counts = ui.query(queries.record_counts, "cases", ("community", "case_type"), f.year, f.communities,
                      subdistrict=f.subdistrict)
    by_community = ui.shape(frames.category_counts, counts, "cases", lang)
    fig = ui.chart(charts.bar, by_community, "community", "n", lang, x_title=t("community", lang),
                   y_title=t("count_axis", lang), unit=unit, colour="case_type", custom="community")
    point = ui.selected_point(ui.show_chart(fig, by_community, t("cases_by_community", lang, year=f.year),
                                            "cases_by_community", f, selectable=True))
    clicked, clicked_label = ui.community_click(point)
with right:
    counts = ui.query(queries.record_counts, "cases", ("domain",), f.year, f.communities,
                      subdistrict=f.subdistrict)
    by_domain = ui.shape(frames.category_counts, counts, "cases", lang, blank=t("domain_blank", lang))
    fig = ui.chart(charts.bar, by_domain, "domain", "n", lang, x_title=t("domain", lang), y_title=t("count_axis", lang),
                   unit=unit, horizontal=True)
    point = ui.selected_point(ui.show_chart(fig, by_domain, t("cases_by_domain", lang, year=f.year),
                                            "cases_by_domain", f, selectable=True))
    if point and point.get("y") != t("domain_blank", lang):
        clicked, clicked_label = {"domain": point.get("y")}, point.get("y")

ui.records_drill(f, ui.shape(frames.drill_indicators, values, (AREA,), f.year), "cases",
                 extra=clicked, extra_label=clicked_label)
