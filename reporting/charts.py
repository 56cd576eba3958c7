"""Chart builders: `(df, lang, ...) -> plotly Figure`. No `st.*`, no SQL.

Every builder takes the language so axis titles, hover text and units are in it; years and months
are category axes (a year axis must never read "2,022.5").
"""
from __future__ import annotations

import math

import pandas as pd
import plotly.graph_objects as go
from plotly.subplots import make_subplots

from reporting.i18n import t, unit_after
from reporting.safe_text import plotly_literal

FONT = "Noto Sans CJK SC, Noto Sans SC, Microsoft YaHei, PingFang SC, sans-serif"
RAG = {"green": "#2e7d32", "amber": "#f29900", "red": "#c62828", "no_data": "#9e9e9e", "none": "#5c6bc0",
       "no_community_target": "#b0bec5"}   # no rating colour: a community without a community target
PALETTE = ["#1565c0", "#ef6c00", "#2e7d32", "#8e24aa", "#00838f", "#6d4c41", "#c62828", "#546e7a"]
TARGET_COLOUR = "#616161"


def number_format(unit: str) -> str:
    """d3 format for a value in `unit`: percentages and ratios keep one/two decimals."""
    if unit in ("%",):
        return ".1f"
    if unit in ("比值", "ratio", "分", "points"):
        return ".2~f"
    return ",.0f"


def format_value(value: float | None, unit: str, lang: str) -> str:
    """A value with its unit as a tile shows it: 2件, 100%, 16,000份, '1 case' / '2 cases' in English; no
    data in words."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return t("status_no_data", lang)
    if unit == "%":
        return f"{value:.1f}%".replace(".0%", "%")
    if unit in ("比值", "ratio"):   # dimensionless: the number alone
        return f"{value:.2f}".rstrip("0").rstrip(".")
    if unit in ("分", "points"):
        text = f"{value:.2f}".rstrip("0").rstrip(".")
    else:
        text = f"{value:,.0f}"
    return f"{text}{'' if lang == 'zh' else ' '}{unit_after(text, unit, lang)}" if unit else text


def _layout(fig: go.Figure, *, x_title: str = "", y_title: str = "", height: int = 360,
            legend: bool = True) -> go.Figure:
    fig.update_layout(
        template="plotly_white", font={"family": FONT, "size": 13}, height=height,
        margin={"l": 56, "r": 16, "t": 24, "b": 48}, showlegend=legend,
        legend={"orientation": "h", "yanchor": "bottom", "y": 1.02, "x": 0, "title": {"text": ""}},
        hoverlabel={"font": {"family": FONT}},
    )
    fig.update_xaxes(title_text=x_title)
    fig.update_yaxes(title_text=y_title, rangemode="tozero")
    return fig


def _count_ticks(fig: go.Figure, values: pd.Series, unit: str, axis: str = "y") -> None:
    """Whole-number ticks for small counts (no "0.5 件")."""
    top = pd.to_numeric(values, errors="coerce").max()
    if number_format(unit) == ",.0f" and pd.notna(top) and top <= 10:
        (fig.update_yaxes if axis == "y" else fig.update_xaxes)(dtick=1)


def _categories(values: pd.Series) -> list[str]:
    """Category labels as plotly shows them: whole years without '.0', markup from records inert."""
    return [plotly_literal(int(v) if isinstance(v, float) and v.is_integer() else v) for v in values]


def bar(df: pd.DataFrame, x: str, y: str, lang: str, *, x_title: str, y_title: str, unit: str,
        colour: str | None = None, horizontal: bool = False, custom: str | None = None) -> go.Figure:
    """Bars of `y` by category `x` (optionally one series per `colour` value, stacked).

    `custom` names a column carried into each bar's customdata (e.g. the id a click drills into).
    """
    fig = go.Figure()
    groups = [(None, df)] if colour is None else list(df.groupby(colour, sort=False))
    value_label = t("value", lang)
    fmt = number_format(unit)
    for i, (name, part) in enumerate(groups):
        cats = _categories(part[x])
        hover = (f"%{{{'y' if horizontal else 'x'}}}<br>"
                 + (f"{plotly_literal(name)}<br>" if name is not None else "")
                 + f"{value_label}：%{{{'x' if horizontal else 'y'}:{fmt}}} {unit}<extra></extra>")
        if lang == "en":
            hover = hover.replace("：", ": ")
        fig.add_trace(go.Bar(
            x=part[y] if horizontal else cats, y=cats if horizontal else part[y],
            orientation="h" if horizontal else "v", name=plotly_literal(name) if name is not None else value_label,
            marker_color=PALETTE[i % len(PALETTE)], hovertemplate=hover,
            customdata=part[custom] if custom else None,
            texttemplate=f"%{{{'x' if horizontal else 'y'}:{fmt}}}", textposition="auto",
        ))
    fig.update_layout(barmode="stack")
    totals = df.groupby(x)[y].sum() if colour is not None else df[y]
    _count_ticks(fig, totals, unit, "x" if horizontal else "y")
    if horizontal:
        fig.update_yaxes(type="category", autorange="reversed")
        _layout(fig, x_title=y_title, y_title=x_title, legend=colour is not None,
                height=max(240, 40 + 28 * df[x].nunique()))
        fig.update_xaxes(rangemode="tozero")
        return fig
    fig.update_xaxes(type="category")
    return _layout(fig, x_title=x_title, y_title=y_title, legend=colour is not None)


def year_series(df: pd.DataFrame, lang: str, *, series: str, y_title: str, unit: str,
                kind: str = "bar", compare_year: int | None = None) -> go.Figure:
    """Values by year (category axis), one trace per `series` value; df has year, value, series;
    `compare_year` shaded and named."""
    fig = go.Figure()
    fmt = number_format(unit)
    sep = ": " if lang == "en" else "："
    for i, (name, part) in enumerate(df.groupby(series, sort=False)):
        cats = _categories(part["year"])
        label = plotly_literal(name)   # series may be indicator names an office added
        hover = f"{t('year_axis', lang)}{sep}%{{x}}<br>{label}{sep}%{{y:{fmt}}} {unit}<extra></extra>"
        common = {"x": cats, "y": part["value"], "name": label, "hovertemplate": hover,
                  "marker_color": PALETTE[i % len(PALETTE)]}
        if kind == "bar":
            fig.add_trace(go.Bar(**common, texttemplate=f"%{{y:{fmt}}}", textposition="auto"))
        else:
            fig.add_trace(go.Scatter(**common, mode="lines+markers"))
    fig.update_layout(barmode="group")
    fig.update_xaxes(type="category", categoryorder="category ascending")
    _count_ticks(fig, df["value"], unit)
    mark_year(fig, df["year"], compare_year, lang)
    return _layout(fig, x_title=t("year_axis", lang), y_title=y_title)


def mark_year(fig: go.Figure, years: pd.Series, year: int | None, lang: str) -> go.Figure:
    """Shade the compare `year` on a category year axis (ascending `years`) and name it above the plot;
    no mark when the year is not drawn."""
    drawn = sorted({int(y) for y in years if pd.notna(y)})
    if year is None or year not in drawn:
        return fig
    i = drawn.index(year)
    fig.add_vrect(x0=i - 0.5, x1=i + 0.5, fillcolor=TARGET_COLOUR, opacity=0.12, line_width=0, layer="below")
    fig.add_annotation(x=i, y=1, xref="x", yref="paper", yanchor="bottom", showarrow=False,
                       text=t("compare_mark", lang), font={"color": TARGET_COLOUR, "size": 12})
    return fig


def count_and_rate(df: pd.DataFrame, lang: str, *, count_name: str, count_unit: str,
                   rate_name: str, rate_unit: str, compare_year: int | None = None) -> go.Figure:
    """Bars of a count and a line of a rate by year, the rate on a second axis; df: year, count, rate;
    `compare_year` shaded and named."""
    sep = ": " if lang == "en" else "："
    cats = _categories(df["year"])
    fig = make_subplots(specs=[[{"secondary_y": True}]])
    fig.add_trace(go.Bar(x=cats, y=df["count"], name=f"{count_name}（{count_unit}）" if lang == "zh" else f"{count_name} ({count_unit})",
                         marker_color=PALETTE[0], texttemplate="%{y:,.0f}", textposition="auto",
                         hovertemplate=f"%{{x}}<br>{count_name}{sep}%{{y:,.0f}} {count_unit}<extra></extra>"),
                  secondary_y=False)
    fig.add_trace(go.Scatter(x=cats, y=df["rate"], name=f"{rate_name}（{rate_unit}）" if lang == "zh" else f"{rate_name} ({rate_unit})",
                             mode="lines+markers", marker_color=PALETTE[1], connectgaps=False,
                             hovertemplate=f"%{{x}}<br>{rate_name}{sep}%{{y:.1f}}{rate_unit}<extra></extra>"),
                  secondary_y=True)
    fig.update_xaxes(type="category", categoryorder="category ascending")
    _layout(fig, x_title=t("year_axis", lang))
    fig.update_yaxes(title_text=f"{count_name}（{count_unit}）" if lang == "zh" else f"{count_name} ({count_unit})",
                     secondary_y=False, rangemode="tozero")
    fig.update_yaxes(title_text=f"{rate_name}（{rate_unit}）" if lang == "zh" else f"{rate_name} ({rate_unit})",
                     secondary_y=True, range=[0, 105] if rate_unit == "%" else None, showgrid=False,
                     tickvals=[0, 20, 40, 60, 80, 100] if rate_unit == "%" else None)
    _count_ticks(fig, df["count"], count_unit)
    return mark_year(fig, df["year"], compare_year, lang)


def indicators_against_target(values: pd.DataFrame, lang: str, columns: int = 3) -> go.Figure:
    """Small multiples: one panel per indicator, its value by year coloured by status, each year's target dashed.

    values: indicator_id, year, value, status, target, name_zh/name_en, unit_zh/unit_en.
    """
    name_col, unit_col = ("name_en", "unit_en") if lang == "en" else ("name_zh", "unit_zh")
    ids = list(dict.fromkeys(values["indicator_id"]))
    rows = math.ceil(len(ids) / columns)
    titles = []
    for indicator_id in ids:
        first = values[values["indicator_id"] == indicator_id].iloc[0]
        name, unit = plotly_literal(first[name_col]), plotly_literal(first[unit_col])   # catalogue rows an office may add
        titles.append(f"{name}（{unit}）" if lang == "zh" else f"{name} ({unit})")
    fig = make_subplots(rows=rows, cols=columns, subplot_titles=titles, vertical_spacing=0.16 if rows > 1 else 0.1,
                        horizontal_spacing=0.07)
    sep = ": " if lang == "en" else "："
    status_words = {s: t(f"status_{s}", lang) for s in RAG}
    for i, indicator_id in enumerate(ids):
        part = values[values["indicator_id"] == indicator_id].sort_values("year")
        row, col = i // columns + 1, i % columns + 1
        unit = plotly_literal(part.iloc[0][unit_col])
        fmt = number_format(part.iloc[0]["unit_zh"])
        cats = _categories(part["year"])
        fig.add_trace(go.Bar(
            x=cats, y=part["value"], marker_color=[RAG.get(s, RAG["none"]) for s in part["status"]],
            customdata=[status_words.get(s, s) for s in part["status"]], showlegend=False,
            texttemplate=f"%{{y:{fmt}}}", textposition="outside", cliponaxis=False,
            hovertemplate=f"%{{x}}<br>{t('value', lang)}{sep}%{{y:{fmt}}} {unit}<br>{t('status', lang)}{sep}%{{customdata}}<extra></extra>",
        ), row=row, col=col)
        targets = pd.to_numeric(part["target"], errors="coerce")
        if targets.notna().any():   # each year's own target (targets are set per year), a step where it changes
            fig.add_trace(go.Scatter(
                x=cats, y=targets.tolist(), mode="lines", line={"dash": "dash", "color": TARGET_COLOUR, "shape": "hvh"},
                connectgaps=False, showlegend=False,
                hovertemplate=f"{t('target', lang)}{sep}%{{y:g}} {unit}<extra></extra>",
            ), row=row, col=col)
        fig.update_xaxes(type="category", categoryorder="category ascending", row=row, col=col)
        top = part["value"].max()
        if number_format(part.iloc[0]["unit_zh"]) == ",.0f" and pd.notna(top) and top <= 10:
            fig.update_yaxes(dtick=1, row=row, col=col)
        # headroom above the highest bar or target, so a value label printed above its bar stays
        # inside the panel: not clipped at the top, not under the panel's title
        ceiling = pd.concat([part["value"], targets]).max()
        if pd.notna(ceiling) and ceiling > 0:
            fig.update_yaxes(range=[0, ceiling * 1.22], row=row, col=col)
    _layout(fig, height=260 * rows, legend=False)
    fig.update_annotations(font={"size": 13, "family": FONT})
    return fig


# --- 街道对比 (reporting.subdistricts shapes their frames) -------------------------------------

HEATMAP_STATUSES = ("green", "amber", "red", "no_data", "none")
# A heatmap is mostly cells without a target or without data: light, so the colours that rate stand out.
HEATMAP_COLOURS = {"green": RAG["green"], "amber": RAG["amber"], "red": RAG["red"], "no_data": "#bdbdbd",
                   "none": "#e8eaf6"}
# The status in each cell as a sign too, so it does not rest on colour alone (the legend names them).
HEATMAP_SIGNS = {"green": "✓", "amber": "!", "red": "✗", "no_data": "–", "none": ""}


def _status_legend(fig: go.Figure, statuses: list[str], lang: str, colours: dict[str, str],
                   signs: dict[str, str] | None = None) -> None:
    """One legend entry per status (a square of its colour, its sign, its name in words)."""
    for status in statuses:
        sign = (signs or {}).get(status, "")
        fig.add_trace(go.Scatter(x=[None], y=[None], mode="markers", showlegend=True, hoverinfo="skip",
                                 marker={"symbol": "square", "size": 12, "color": colours[status],
                                         "line": {"width": 1, "color": "#9e9e9e"}},
                                 name=f"{sign} {t(f'status_{status}', lang)}".strip()))


def ranking_bars(df: pd.DataFrame, lang: str, *, unit: str, x_title: str) -> go.Figure:
    """Subdistricts ranked on one indicator, best at the top (df in rank order: subdistrict, rank,
    value, status, status_label, value_text, target), a bar per subdistrict in its status colour;
    the target a dashed line when every bar shares it, else a tick on each bar at its own target."""
    sep = ": " if lang == "en" else "："
    labels = [plotly_literal(s if pd.isna(r) else f"{int(r)}. {s}") for s, r in zip(df["subdistrict"], df["rank"])]
    df = df.assign(_label=labels)
    fig = go.Figure()
    for status, part in df.groupby("status", sort=False):
        fig.add_trace(go.Bar(
            x=part["value"], y=part["_label"], orientation="h", name=t(f"status_{status}", lang),
            marker_color=RAG.get(status, RAG["none"]), text=part["value_text"], textposition="outside",
            cliponaxis=False, customdata=part[["value_text", "status_label"]].to_numpy(),
            hovertemplate=f"%{{y}}<br>{t('value', lang)}{sep}%{{customdata[0]}}<br>"
                          f"{t('status', lang)}{sep}%{{customdata[1]}}<extra></extra>"))
    targets = pd.to_numeric(df["target"], errors="coerce")
    if targets.notna().all() and targets.nunique() == 1:
        fig.add_vline(x=float(targets.iloc[0]), line={"dash": "dash", "color": TARGET_COLOUR, "width": 2})
        fig.add_annotation(x=float(targets.iloc[0]), y=1, xref="x", yref="paper", yanchor="bottom", showarrow=False,
                           text=f"{t('target', lang)} {format_value(float(targets.iloc[0]), unit, lang)}",
                           font={"color": TARGET_COLOUR, "size": 12})
    elif targets.notna().any():
        has = df[targets.notna()]
        fig.add_trace(go.Scatter(
            x=targets[targets.notna()], y=has["_label"], mode="markers", name=t("target", lang),
            marker={"symbol": "line-ns-open", "size": 22, "color": TARGET_COLOUR, "line": {"width": 3}},
            hovertemplate=f"%{{y}}<br>{t('target', lang)}{sep}%{{x:{number_format(unit)}}} {plotly_literal(unit)}"
                          "<extra></extra>"))
    top = pd.concat([df["value"], targets]).max()
    fig.update_yaxes(type="category", categoryorder="array", categoryarray=labels, autorange="reversed")
    _layout(fig, x_title=x_title, height=max(240, 90 + 30 * len(df)))
    fig.update_layout(barmode="overlay", bargap=0.25)
    fig.update_xaxes(rangemode="tozero", range=[0, top * 1.18] if pd.notna(top) and top > 0 else None)
    _count_ticks(fig, df["value"], unit, "x")
    return fig


def status_heatmap(df: pd.DataFrame, lang: str) -> go.Figure:
    """Indicators (rows, catalogue order) × subdistricts (columns, in df order): each cell its status'
    colour and sign (达标 ✓, 预警 !, 未达标 ✗, 无数据 –, 无目标 blank), the value and status on hover.
    df: indicator, area, subdistrict, status, status_label, value_text."""
    indicators = list(dict.fromkeys(df["indicator"]))
    subdistricts = list(dict.fromkeys(df["subdistrict"]))
    sep = ": " if lang == "en" else "："
    row_of = {name: i for i, name in enumerate(indicators)}
    column_of = {name: j for j, name in enumerate(subdistricts)}
    code = {s: i for i, s in enumerate(HEATMAP_STATUSES)}
    z = [[None] * len(subdistricts) for _ in indicators]
    signs = [[""] * len(subdistricts) for _ in indicators]
    hover = [[""] * len(subdistricts) for _ in indicators]
    value_label, status_label = t("value", lang), t("status", lang)
    for indicator, area, subdistrict, status, words, value in zip(
            *(df[c].tolist() for c in ("indicator", "area", "subdistrict", "status", "status_label", "value_text"))):
        i, j = row_of[indicator], column_of[subdistrict]
        status = status if status in code else "none"
        z[i][j], signs[i][j] = code[status], HEATMAP_SIGNS[status]
        hover[i][j] = (f"{plotly_literal(subdistrict)}<br>{plotly_literal(indicator)}（{plotly_literal(area)}）"
                       f"<br>{value_label}{sep}{plotly_literal(value)}<br>{status_label}{sep}{words}")
    n = len(HEATMAP_STATUSES)
    scale = []
    for i, status in enumerate(HEATMAP_STATUSES):
        scale += [[i / n, HEATMAP_COLOURS[status]], [(i + 1) / n, HEATMAP_COLOURS[status]]]
    fig = go.Figure(go.Heatmap(
        z=z, x=[plotly_literal(s) for s in subdistricts], y=[plotly_literal(i) for i in indicators],
        zmin=-0.5, zmax=n - 0.5, colorscale=scale, showscale=False, xgap=2, ygap=2,
        text=signs, texttemplate="%{text}", textfont={"size": 13}, hovertext=hover,
        hovertemplate="%{hovertext}<extra></extra>"))
    _status_legend(fig, list(HEATMAP_STATUSES), lang, HEATMAP_COLOURS, HEATMAP_SIGNS)
    _layout(fig, height=150 + 26 * len(indicators))
    fig.update_layout(legend={"orientation": "h", "yanchor": "top", "y": -0.02, "x": 0},
                      margin={"l": 8, "r": 8, "t": 8, "b": 8}, plot_bgcolor="white")
    fig.update_xaxes(type="category", side="top", tickangle=-45 if len(subdistricts) > 8 else 0, showgrid=False,
                     automargin=True)
    fig.update_yaxes(type="category", autorange="reversed", showgrid=False, automargin=True, rangemode="normal")
    return fig


def score_bars(df: pd.DataFrame, lang: str) -> go.Figure:
    """Predicted points of each subdistrict stacked by area, best total at the top, the total at the
    end of each bar. df: subdistrict, area, points, max_points, total, rank (rows by area, then rank)."""
    sep = ": " if lang == "en" else "："
    unit = t("points_unit", lang)
    order = df.drop_duplicates("subdistrict").sort_values(["rank", "subdistrict"], kind="stable")
    labels = {s: plotly_literal(f"{int(r)}. {s}") for s, r in zip(order["subdistrict"], order["rank"])}
    fig = go.Figure()
    for i, (area, part) in enumerate(df.groupby("area", sort=False)):
        fig.add_trace(go.Bar(
            x=part["points"], y=[labels[s] for s in part["subdistrict"]], orientation="h", name=plotly_literal(area),
            marker_color=PALETTE[i % len(PALETTE)], customdata=part[["max_points"]].to_numpy(),
            hovertemplate=f"%{{y}}<br>{plotly_literal(area)}{sep}%{{x:.2~f}} / %{{customdata[0]:.2~f}} {unit}"
                          "<extra></extra>"))
    fig.add_trace(go.Scatter(
        x=order["total"], y=[labels[s] for s in order["subdistrict"]], mode="text", showlegend=False,
        text=[format_value(float(v), unit, lang) for v in order["total"]], textposition="middle right",
        hoverinfo="skip", cliponaxis=False))
    fig.update_layout(barmode="stack")
    fig.update_yaxes(type="category", categoryorder="array", categoryarray=list(labels.values()), autorange="reversed")
    _layout(fig, x_title=f"{t('points', lang)}（{unit}）" if lang == "zh" else f"{t('points', lang)} ({unit})",
            height=max(260, 110 + 30 * len(order)))
    top = order["total"].max()
    fig.update_xaxes(rangemode="tozero", range=[0, top * 1.2] if pd.notna(top) and top > 0 else None)
    return fig
