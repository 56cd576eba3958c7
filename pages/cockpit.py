"""驾驶舱: headline tiles against target, change vs the previous (or compare) year, trend; the
predicted score and the points lost by indicator; weak areas."""
from __future__ import annotations

from datetime import date

import pandas as pd
import streamlit as st

from cockpit import auth, ui
from etl.messages import translate
from reporting import charts, frames, queries
from reporting.charts import format_value
from reporting.i18n import t
from reporting.published import is_published, published_years
from reporting.safe_text import markdown_literal

TILES_PER_ROW = 4

auth.require("view")   # first: a deep link of a role without it is refused here
f = ui.filters()
lang = f.lang
st.subheader(t("cockpit_title", lang))
st.caption(f"{f.describe()}　·　{ui.data_source_text(lang)}")
if len(f.communities) > 1:
    st.caption(t("combined_note", lang))

values = ui.query(queries.indicator_values, (), f.communities, cannot_combine=t("cannot_combine", lang))
base_year = f.compare_year if f.compare_year is not None else f.year - 1
# 主动公开 counts different channels in different years; then only the website figure compares.
channels = ui.query(queries.disclosure_channels)
channels_differ = channels.get(f.year) != channels.get(base_year)


def change_against(row: pd.Series, base: pd.Series | None) -> tuple[float | None, str]:
    """The change to show and what it is measured against (in words)."""
    described = t("change_vs", lang, year=base_year)
    if row["indicator_id"] == "disclosure_items" and channels_differ:
        website = values[values["indicator_id"] == "disclosure_items_website"].set_index("year")["value"]
        now, then = website.get(f.year), website.get(base_year)
        change = now - then if now is not None and then is not None and pd.notna(now) and pd.notna(then) else None
        return change, described
    if base is None or pd.isna(row["value"]) or pd.isna(base["value"]):
        return None, t("no_prev", lang)
    return row["value"] - base["value"], described


def tile(row: pd.Series, history: pd.DataFrame, base: pd.Series | None) -> None:
    unit = row["unit_en" if lang == "en" else "unit_zh"]
    delta, colour = None, "off"
    change, described = change_against(row, base)
    if change is not None:
        # A rate changes by percentage points, not by percent.
        delta = format_value(abs(change), unit, lang).replace("%", t("percentage_points", lang))
        delta = f"-{delta}" if change < 0 else f"+{delta}" if change > 0 else 0
        colour = {"up": "normal", "down": "inverse"}.get(row["direction"], "off")
    trend_rows = history[history["year"] <= f.year]
    website_basis = row["indicator_id"] == "disclosure_items" and len({channels.get(y) for y in trend_rows["year"]}) > 1
    if website_basis:   # a trend across different channel sets would mislead; draw the website figure
        trend_rows = values[(values["indicator_id"] == "disclosure_items_website") & (values["year"] <= f.year)]
    trend = trend_rows["value"].dropna().tolist()
    with st.container(border=True):
        st.metric(ui.indicator_name(row, lang), format_value(row["value"], unit, lang), delta,
                  delta_color=colour, delta_description=described, chart_data=trend if len(trend) > 1 else None,
                  help=translate(row["no_data_reason"], lang) if pd.notna(row["no_data_reason"]) else
                  row["description_en" if lang == "en" else "description_zh"])
        st.markdown(f"{ui.status_badge(row['status'], lang)} {frames.target_text(row, lang, fallback=False)}")
        if is_published(row["note"]):   # 来源：已发布报告 — no records that year
            st.caption(t("tile_published", lang))
        earlier = [y for y in published_years(trend_rows) if y != f.year]
        if earlier and len(trend) > 1:
            st.caption(t("trend_published", lang, years=t("list_sep", lang).join(map(str, earlier))))
        if row["indicator_id"] == "disclosure_items" and (website_basis or channels_differ):
            st.caption(t("change_vs_website", lang))


if values.empty or not f.has_data:
    st.info(t("no_data_year", lang, year=f.year), icon=":material/info:")
else:
    fallback_note = frames.targets_fallback_note(values, f.year, lang)
    if fallback_note:   # the tiles' statuses below are rated against these targets
        st.caption(fallback_note)
    headline = values[values["headline"].notna()].sort_values(["headline", "year"])
    current = headline[headline["year"] == f.year]
    for start in range(0, len(current), TILES_PER_ROW):
        columns = st.columns(TILES_PER_ROW)
        for column, (_, row) in zip(columns, current.iloc[start:start + TILES_PER_ROW].iterrows()):
            history = headline[headline["indicator_id"] == row["indicator_id"]]
            base = history[history["year"] == base_year]
            with column:
                tile(row, history, base.iloc[0] if not base.empty else None)

    # Predicted points (mart_scores): the total, and where points are lost, largest first.
    scores = ui.query(queries.scores, f.year, f.communities)
    summary = ui.shape(frames.score_summary, scores, lang, sample=ui.is_sample())
    if len(f.communities) > 1:
        st.caption(t("score_combined", lang))
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
actions = ui.query(queries.actions, date.today())
panels = ui.shape(frames.weak_area_panels, areas, values, actions, f.year, lang)
for column, panel in zip(st.columns(max(len(panels), 1)), panels.itertuples()):
    with column, st.container(border=True):
        st.markdown(f"**{panel.title}**")
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

if ui.is_sample():
    st.caption(ui.dataset_label(lang))

this_year = ui.shape(frames.indicator_rows, values, years=(f.year,))
with st.expander(t("indicator_detail", lang)):
    if not this_year.empty:
        ui.show_table(ui.shape(frames.indicator_table, this_year, lang), t("all_indicators", lang, year=f.year),
                      f"indicators_{f.year}", f)
        ui.records_drill(f, this_year, "cockpit")
    else:
        st.info(t("no_data_year", lang, year=f.year))
