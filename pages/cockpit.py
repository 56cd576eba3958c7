"""驾驶舱: headline tiles against target, change vs the previous (or compare) year, trend; the
predicted score and the points lost by indicator; weak areas."""
from __future__ import annotations

from datetime import date

import streamlit as st

from cockpit import auth, ui
from reporting import charts, frames, queries
from reporting.i18n import t
from reporting.safe_text import markdown_literal

TILES_PER_ROW = 4

auth.require("view")   # first: a deep link of a role without it is refused here
f = ui.filters()
lang = f.lang
# Named after the subdistrict in view (or 全区) once the warehouse holds several, or the account is limited to one.
st.subheader(t("cockpit_title_of", lang, place=markdown_literal(f.place())) if f.district or f.subdistrict
             else t("cockpit_title", lang))
# The run id is for 数据与质量, not the header: a tooltip keeps it.
st.caption(f"{f.describe()}　·　{ui.data_source_text(lang, with_run=False)}", help=ui.run_help(lang))
if len(f.communities) > 1:
    st.caption(t("combined_note", lang))

values = ui.query(queries.indicator_values, (), f.communities, cannot_combine=t("cannot_combine", lang),
                  subdistrict=f.subdistrict)
base_year = f.compare_year if f.compare_year is not None else f.year - 1
# 主动公开 counts different channels in different years; then only the website figure compares.
channels = ui.query(queries.disclosure_channels, f.subdistrict)

if values.empty or not f.has_data:
    st.info(t("no_data_year", lang, year=f.year), icon=":material/info:")
else:
    # The verdict first: the year's indicators by status (as the indicator table lists them), the
    # predicted score, then the indicators off target, each a link to the page that analyses it.
    verdict = frames.verdict_line(ui.shape(frames.verdict_counts, values, f.year), lang)
    score = ui.shape(frames.verdict_score,
                     ui.query(queries.scores, f.year, f.communities, subdistrict=f.subdistrict), lang)
    st.markdown(f"#### {verdict}" + (f"　·　{score}" if score else ""))
    red = ui.shape(frames.red_items, values, f.year, lang)
    if not red.empty:
        with st.container(horizontal=True, gap="small"):
            st.markdown(f":red[**{t('verdict_red', lang)}**]", width="content")
            for item in red.itertuples():   # names are an office's text: literal, never Markdown
                st.page_link(item.page, label=markdown_literal(item.label), icon=":material/error:",
                             width="content")
    fallback_note = frames.targets_fallback_note(values, f.year, lang)
    if fallback_note:   # the tiles' statuses below are rated against these targets
        st.caption(fallback_note)
    tiles = ui.shape(frames.headline_tiles, values, f.year, base_year, channels, lang)
    # A tile's title wraps instead of ending in "…" (English names are long). Streamlit stacks columns
    # one per row below 640 px; on a phone keep two tiles per row, the value smaller and wrapping.
    st.html("<style>"
            "[data-testid='stMetricLabel'] div,[data-testid='stMetricLabel'] p"
            "{white-space:normal!important;overflow:visible!important;text-overflow:clip!important}"
            "@media (max-width: 640px) {"
            ".st-key-tiles [data-testid='stHorizontalBlock']{flex-direction:row!important;flex-wrap:wrap!important}"
            ".st-key-tiles [data-testid='stColumn']{flex:1 1 calc(50% - 1rem)!important;"
            "min-width:calc(50% - 1rem)!important;width:calc(50% - 1rem)!important}"
            ".st-key-tiles [data-testid='stMetricValue']{font-size:1.6rem!important}"
            ".st-key-tiles [data-testid='stMetricValue'] div,.st-key-tiles [data-testid='stMetricValue'] p"
            "{white-space:normal!important;overflow:visible!important;text-overflow:clip!important}}</style>")
    tile_grid = st.container(key="tiles")
    for start in range(0, len(tiles), TILES_PER_ROW):
        for column, tile in zip(tile_grid.columns(TILES_PER_ROW), tiles.iloc[start:start + TILES_PER_ROW].itertuples()):
            with column, st.container(border=True):
                st.metric(tile.label, tile.value, tile.delta, delta_color=tile.delta_colour,
                          delta_arrow="off" if tile.delta == t("unchanged", lang) else "auto",   # 持平: no arrow
                          delta_description=tile.delta_description, chart_data=tile.trend, help=tile.help)
                st.markdown(f"{ui.status_badge(tile.status, lang)} {markdown_literal(tile.target)}")   # units an office may import
                if tile.secondary:   # 主动公开 on the website: the all-channel count beside it, not compared
                    st.caption(markdown_literal(tile.secondary))
                if tile.published:   # 来源：已发布报告 — no records that year
                    st.caption(t("tile_published", lang))
                if tile.trend_published:
                    st.caption(t("trend_published", lang, years=tile.trend_published))
                if tile.website_note:
                    st.caption(t("change_vs_website", lang))

    # Predicted points (mart_scores): the total, and where points are lost, largest first.
    scores = ui.query(queries.scores, f.year, f.communities, subdistrict=f.subdistrict)
    summary = ui.shape(frames.score_summary, scores, lang, sample=ui.is_sample())
    if len(f.communities) > 1:
        st.caption(t("score_combined", lang))
    elif summary.empty and f.district:
        st.caption(t("score_district", lang))
    elif summary.empty:
        st.caption(t("score_none", lang, year=f.year))
    else:
        score_column, lost_column = st.columns([1, 3])
        with score_column, st.container(border=True):
            st.metric(summary.iloc[0]["label"], summary.iloc[0]["value"], help=t("score_help", lang))
            st.caption(markdown_literal(summary.iloc[0]["caption"]))   # names imported indicators
        with lost_column:
            lost = ui.shape(frames.points_lost, scores, lang)
            if lost.empty:
                st.markdown(f"**{t('points_lost_title', lang)}**")
                st.caption(t("points_lost_none", lang))
            else:
                figure = ui.chart(charts.bar, lost, "indicator", "lost", lang, x_title=t("indicator", lang),
                                  y_title=t("points_lost", lang), unit=t("points_unit", lang), horizontal=True)
                ui.show_chart(figure, lost, t("points_lost_title", lang), f"points_lost_{f.year}", f,
                              columns=frames.points_lost_headers(lang))

# Weak areas: their indicators' status this year and their actions (overdue flagged).
st.markdown(f"**{t('weak_areas_panel', lang)}**")
areas = ui.query(queries.weak_areas)
today = date.today()
actions = ui.shape(frames.actions_of_year, ui.query(queries.actions, today, f.subdistrict), f.year)
panels = ui.shape(frames.weak_area_panels, areas, values, actions, f.year, lang)
for column, panel in zip(st.columns(max(len(panels), 1)), panels.itertuples()):
    with column, st.container(border=True):
        st.markdown(f"**{markdown_literal(panel.title)}**")
        if panel.indicators:
            st.markdown(panel.indicators)
            # One chip per indicator, coloured by status (the line above says it in words).
            st.markdown(" ".join(ui.status_chip(text, status) for text, status in panel.chips))
        else:
            st.caption(t("no_data_year", lang, year=f.year))
        if panel.actions:
            st.markdown(panel.actions + (f"　:red[**{t('overdue_flag', lang, n=panel.overdue)}**]" if panel.overdue else ""))
        else:
            st.caption(t("no_actions", lang))

# Overdue 整改 of the year, measured against today's date (said in the title), with who owns them.
overdue = ui.shape(frames.overdue_actions, actions, f.year, lang)
overdue_title = t("overdue_panel", lang, date=today.isoformat())
if overdue.empty:
    st.markdown(f"**{overdue_title}**")
    st.caption(t("overdue_none", lang, date=today.isoformat(), year=f.year))
else:
    ui.show_table(overdue, overdue_title, f"overdue_actions_{f.year}", f)
if f.communities:
    st.caption(t("overdue_subdistrict", lang))
st.page_link("pages/weak_areas.py", label=t("overdue_more", lang), icon=":material/construction:")

if ui.is_sample():
    st.caption(ui.dataset_label(lang))

this_year = ui.shape(frames.indicator_rows, values, years=(f.year,))
with st.expander(t("indicator_detail", lang)):
    if not this_year.empty:
        ui.show_indicator_table(ui.shape(frames.indicator_table, this_year, lang),
                                t("all_indicators", lang, year=f.year), f"indicators_{f.year}", f)
        ui.records_drill(f, this_year, "cockpit")
    else:
        st.info(t("no_data_year", lang, year=f.year))
