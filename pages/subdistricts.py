"""街道对比 (issue 13): the subdistricts of the warehouse side by side for the chosen year — the ranking
on one indicator (with the district's figure and the subdistricts without a value), its change over
the years, a status heatmap subdistrict × indicator (paged, worst first), predicted scores by area.

Every subdistrict's figures are on this page, so an account limited to one subdistrict is refused
(auth.require_district), whatever its menu shows.
"""
from __future__ import annotations

import math
import re
from dataclasses import replace

import streamlit as st

from cockpit import auth, ui
from reporting import charts, frames, queries
from reporting.i18n import col, t, with_unit
from reporting.safe_text import markdown_literal

# The widget key doubles as the URL parameter. Bound by hand, not bind="query-params" (which writes the
# option's label): the link carries the indicator's id, the same in both languages.
INDICATOR = "indicator"

auth.require("view")
auth.require_district()
f = ui.filters()
lang = f.lang
st.title(t("page_subdistricts", lang))

names = ui.query(queries.subdistricts)
if len(names) < 2:
    st.info(t("sd_one", lang, name=markdown_literal(names[0])) if names else t("sd_none", lang), icon=":material/info:")
    st.stop()

# Exports and the page say what is compared: every subdistrict's whole, not the sidebar's community.
scope = replace(f, communities=(), community_names=(t("sd_scope", lang),), compare_year=None)
st.caption(f"{t('sd_intro', lang, year=f.year, n=len(names))}　·　{ui.data_source_text(lang, with_run=False)}",
           help=ui.run_help(lang))
if f.communities:
    st.caption(t("sd_communities_ignored", lang))

catalogue = ui.query(queries.catalogue)
ids = catalogue["indicator_id"].tolist()
labels = dict(zip(ids, catalogue[col(lang, "name")]))
if st.session_state.get(INDICATOR) not in labels:   # the first run of the page: the link's indicator
    asked = st.query_params.get(INDICATOR)
    if asked and asked not in labels:   # a link anyone can write: an id-like value is named, nothing else
        # (Markdown would turn a URL in it into a link, escaped or not)
        first = markdown_literal(labels[ids[0]])
        st.warning(t("sd_url_ignored", lang, value=asked, name=first) if re.fullmatch(r"[a-z0-9_]{1,64}", asked)
                   else t("sd_url_unreadable", lang, name=first), icon=":material/link_off:")
    st.session_state[INDICATOR] = asked if asked in labels else ids[0]
indicator = st.selectbox(t("sd_indicator", lang), ids, format_func=labels.get, key=INDICATOR)
st.query_params[INDICATOR] = indicator
name = markdown_literal(labels[indicator])   # an imported indicator's name is an office's text

# The ranking on the indicator, best first by its direction, and its change over the years.
ranking = ui.query(queries.subdistrict_ranking, f.year, indicator, f.compare_year)
district = ui.query(queries.district_figure, f.year, indicator)
unit = ui.shape(frames.ranking_unit, ranking, lang)
value_axis = with_unit(t("value", lang), unit, lang) if unit else t("value", lang)
left, right = st.columns(2)
with left:
    bars = ui.shape(frames.ranking_bar_rows, ranking, lang)
    fig = ui.chart(charts.ranking_bars, bars, lang, unit=unit, x_title=value_axis)
    ui.show_chart(fig, bars, t("sd_ranking_title", lang, year=f.year, name=name), f"subdistricts_rank_{indicator}_{f.year}",
                  scope, columns=frames.ranking_bar_headers(ranking, lang))
    for note in ui.shape(frames.ranking_notes, ranking, district, f.year, lang):
        st.caption(markdown_literal(note))   # names subdistricts: records' text
with right:
    defaults = ui.shape(frames.trend_defaults, ranking)
    chosen = st.multiselect(t("sd_trend_pick", lang), names, default=list(defaults), key=f"sd_trend_{indicator}_{f.year}",
                            help=t("sd_trend_help", lang, n=frames.TREND_ENDS))
    trend = ui.shape(frames.trend_series, ui.query(queries.subdistrict_trend, indicator, tuple(chosen)), tuple(chosen))
    fig = ui.chart(charts.year_series, trend, lang, series="series", y_title=value_axis, unit=unit, kind="line",
                   compare_year=f.compare_year)
    ui.show_chart(fig, trend, t("sd_trend_title", lang, name=name), f"subdistricts_trend_{indicator}", scope,
                  columns=frames.trend_headers(ranking, lang))
ui.show_table(ui.shape(frames.ranking_table, ranking, lang, f.year, f.compare_year),
              t("sd_ranking_table", lang, year=f.year, name=name), f"subdistricts_table_{indicator}_{f.year}", scope)

# Every indicator's status, subdistrict by subdistrict: a page at a time, worst first, or those found.
counts = ui.query(queries.subdistrict_status_counts, f.year)
pages = max(1, math.ceil(len(counts) / frames.HEATMAP_PAGE))
find_column, page_column = st.columns([3, 1]) if pages > 1 else (st.container(), None)
found = find_column.multiselect(t("sd_find", lang), counts["subdistrict"].tolist(), key="sd_find",
                                placeholder=t("sd_find_placeholder", lang))
page_no = 1 if page_column is None else page_column.number_input(
    t("sd_page", lang, size=frames.HEATMAP_PAGE, pages=pages), min_value=1, max_value=pages, value=1, step=1,
    key="sd_page", disabled=bool(found))
shown = ui.shape(frames.heatmap_names, counts, tuple(found), int(page_no))
cells = ui.shape(frames.heatmap_cells, ui.query(queries.subdistrict_statuses, f.year, shown), shown, lang)
st.caption(" ".join(part for part in (t("sd_heatmap_intro", lang),
                                      ui.shape(frames.heatmap_note, counts, shown, bool(found), lang)) if part))
fig = ui.chart(charts.status_heatmap, cells, lang)
ui.show_chart(fig, cells, t("sd_heatmap_title", lang, year=f.year), f"subdistricts_status_{f.year}_{page_no}", scope,
              columns=frames.heatmap_headers(lang))
ui.show_table(ui.shape(frames.status_count_table, counts, lang), t("sd_counts_title", lang, year=f.year),
              f"subdistricts_status_counts_{f.year}", scope)

# Predicted scores side by side, once targets carry points: the total by area, ranked.
scores = ui.query(queries.subdistrict_scores, f.year)
if scores.empty:
    st.markdown(f"**{t('sd_scores_title', lang, year=f.year)}**")
    st.caption(t("sd_scores_none", lang, year=f.year))
else:
    areas = ui.query(queries.subdistrict_area_scores, f.year)
    rows = ui.shape(frames.score_bar_rows, scores, areas, lang)
    fig = ui.chart(charts.score_bars, rows, lang)
    ui.show_chart(fig, rows, t("sd_scores_title", lang, year=f.year), f"subdistricts_scores_{f.year}", scope,
                  columns=frames.score_bar_headers(lang))
    for note in ui.shape(frames.score_notes, scores, lang):
        st.caption(markdown_literal(note))
    ui.show_table(ui.shape(frames.score_table, scores, areas, lang), t("sd_scores_table", lang, year=f.year),
                  f"subdistricts_scores_table_{f.year}", scope)
