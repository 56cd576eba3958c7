"""行政争议与诉源治理: new reviews and lawsuits, outcomes, the dispute indicators, mediation, and
the records behind them (a bar of the community or domain chart narrows the records)."""
from __future__ import annotations

import pandas as pd
import streamlit as st

from cockpit import ui
from reporting import charts, queries
from reporting.i18n import t, value_label

AREA = "disputes"

f = ui.filters()
lang = f.lang
ui.page_header(t("page_cases", lang), f)

values = ui.query(queries.indicator_values, (), f.communities, cannot_combine=t("cannot_combine", lang))
area = values[values["area_id"] == AREA] if not values.empty else values
unit = t("cases_unit", lang)

# Dispute indicators of the year (and the compare year) as a table of figures.
shown_years = [y for y in (f.year, f.compare_year) if y is not None]
this_year = area[area["year"].isin(shown_years)] if not area.empty else area
ui.show_table(ui.indicator_table(this_year, lang) if not this_year.empty else this_year,
              t("cases_rates", lang, year=f.year), "cases_indicators", f)

left, right = st.columns(2)
with left:
    new = area[area["indicator_id"].isin(["review_cases_new", "litigation_cases_new"])] if not area.empty else area
    new = new.dropna(subset=["value"]) if not new.empty else new
    data = pd.DataFrame({"year": new["year"], "series": [ui.indicator_name(r, lang) for _, r in new.iterrows()],
                         "value": new["value"]}) if not new.empty else new
    title = t("cases_new_by_year", lang)
    fig = ui.chart(charts.year_series, data, lang, series="series", y_title=f"{t('count_axis', lang)}（{unit}）"
                             if lang == "zh" else f"{t('count_axis', lang)} ({unit})", unit=unit) if not data.empty else None
    ui.show_chart(fig, data, title, "cases_new_by_year", f)
with right:
    outcomes = ui.query(queries.record_counts, "cases", ("case_type", "outcome"), f.year, f.communities,
                        where={"status": "审结"}, date_field="closed_date")
    # Civil mediations outnumber the rest a hundredfold; their outcome is the success rate above.
    outcomes = outcomes[outcomes["outcome"].notna() & (outcomes["case_type"] != "矛盾纠纷调解")] \
        if not outcomes.empty else outcomes
    title = t("cases_outcomes", lang, year=f.year)
    fig = None
    if not outcomes.empty:
        outcomes = outcomes.assign(case_type=[value_label(v, lang) for v in outcomes["case_type"]],
                                   outcome=[value_label(v, lang) for v in outcomes["outcome"]])
        fig = ui.chart(charts.bar, outcomes, "case_type", "n", lang, x_title=t("case_type", lang),
                         y_title=t("count_axis", lang), unit=unit, colour="outcome", horizontal=True)
    ui.show_chart(fig, outcomes, title, "cases_outcomes", f)

mediation = area[area["indicator_id"].isin(["mediation_cases", "mediation_satisfaction"])] if not area.empty else area
if not mediation.empty:
    wide = mediation.pivot_table(index="year", columns="indicator_id", values="value", aggfunc="first").reset_index()
    wide = wide.rename(columns={"mediation_cases": "count", "mediation_satisfaction": "rate"})
    wide = wide.dropna(subset=[c for c in ("count", "rate") if c in wide], how="all")
else:
    wide = pd.DataFrame()
names = {r["indicator_id"]: ui.indicator_name(r, lang) for _, r in area.drop_duplicates("indicator_id").iterrows()}
fig = ui.chart(charts.count_and_rate, wide, lang, count_name=names.get("mediation_cases", ""), count_unit=unit,
                            rate_name=names.get("mediation_satisfaction", ""), rate_unit="%") \
    if not wide.empty and {"count", "rate"} <= set(wide.columns) else None
ui.show_chart(fig, wide, t("mediation_by_year", lang), "mediation_by_year", f)

# By community and by domain; a click on a bar narrows the records below to it.
st.caption(t("bar_click_hint", lang))
left, right = st.columns(2)
clicked: dict | None = None
clicked_label = None
with left:
    by_community = ui.query(queries.record_counts, "cases", ("community", "case_type"), f.year, f.communities)
    fig = None
    if not by_community.empty:
        by_community = by_community.assign(case_type=[value_label(v, lang) for v in by_community["case_type"]])
        if lang == "en":
            by_community["community"] = by_community["community"].replace("街道本级", t("subdistrict_level", lang))
        fig = ui.chart(charts.bar, by_community, "community", "n", lang, x_title=t("community", lang),
                         y_title=t("count_axis", lang), unit=unit, colour="case_type", custom="community")
    point = ui.selected_point(ui.show_chart(fig, by_community, t("cases_by_community", lang, year=f.year),
                                            "cases_by_community", f, selectable=True))
    if point:
        name = point.get("x")
        table = ui.query(queries.communities)
        # 街道本级 (no community) matches no name: the records with community_id NULL.
        clicked, clicked_label = {"community_id": dict(zip(table["name"], table["community_id"])).get(name)}, name
with right:
    by_domain = ui.query(queries.record_counts, "cases", ("domain",), f.year, f.communities)
    fig = None
    if not by_domain.empty:
        by_domain = by_domain.assign(domain=by_domain["domain"].fillna(t("domain_blank", lang)))
        fig = ui.chart(charts.bar, by_domain, "domain", "n", lang, x_title=t("domain", lang), y_title=t("count_axis", lang),
                         unit=unit, horizontal=True)
    point = ui.selected_point(ui.show_chart(fig, by_domain, t("cases_by_domain", lang, year=f.year),
                                            "cases_by_domain", f, selectable=True))
    if point and point.get("y") != t("domain_blank", lang):
        clicked, clicked_label = {"domain": point.get("y")}, point.get("y")

area_now = area[area["year"] == f.year] if not area.empty else area
ui.records_drill(f, area_now if not area_now.empty else area.drop_duplicates("indicator_id"), "cases",
                 extra=clicked, extra_label=clicked_label)
