"""Chart builders on tiny literal DataFrames: language, units, category year axes, status colours."""
from __future__ import annotations

import pandas as pd
import pytest

from reporting import charts


@pytest.mark.parametrize("value, unit, lang, expected", [
    (2, "件", "zh", "2件"),
    (0.0, "件", "zh", "0件"),
    (100.0, "%", "zh", "100%"),
    (42.857, "%", "zh", "42.9%"),
    (16000, "份", "zh", "16,000份"),
    (2 / 3, "比值", "zh", "0.67"),
    (72.5, "分", "zh", "72.5分"),
    (2, "cases", "en", "2 cases"),
    (1, "cases", "en", "1 case"),
    (0.0, "cases", "en", "0 cases"),
    (1.0, "persons", "en", "1 person"),
    (2.0, "persons", "en", "2 persons"),
    (1.0, "person-times", "en", "1 person-time"),
    (1.0, "copies", "en", "1 copy"),
    (1.0, "communities", "en", "1 community"),
    (1.0, "points", "en", "1 point"),
    (1.5, "points", "en", "1.5 points"),
    (1210.0, "items", "en", "1,210 items"),
    (1.0, "件", "zh", "1件"),
    (1.0, "%", "en", "1%"),
    (None, "件", "zh", "无数据"),
    (float("nan"), "%", "en", "No data"),
])
def test_format_value(value, unit, lang, expected):
    assert charts.format_value(value, unit, lang) == expected


def test_bar_years_are_categories_and_hover_speaks_the_language():
    df = pd.DataFrame({"year": [2021, 2022], "n": [3, 2]})
    zh = charts.bar(df, "year", "n", "zh", x_title="年度", y_title="数量（件）", unit="件")
    assert zh.layout.xaxis.type == "category"
    assert list(zh.data[0].x) == ["2021", "2022"]
    assert zh.data[0].hovertemplate == "%{x}<br>数值：%{y:,.0f} 件<extra></extra>"
    assert (zh.layout.xaxis.title.text, zh.layout.yaxis.title.text) == ("年度", "数量（件）")
    assert zh.layout.yaxis.dtick == 1          # small counts: whole-number ticks only
    en = charts.bar(df, "year", "n", "en", x_title="Year", y_title="Count (cases)", unit="cases")
    assert en.data[0].hovertemplate == "%{x}<br>Value: %{y:,.0f} cases<extra></extra>"


def test_bar_stacks_one_trace_per_colour_and_carries_customdata():
    df = pd.DataFrame({"community": ["馒头山社区", "馒头山社区", "海月桥社区"],
                       "type": ["行政诉讼", "行政复议", "行政诉讼"], "n": [2, 1, 40]})
    fig = charts.bar(df, "community", "n", "zh", x_title="社区", y_title="数量", unit="件", colour="type",
                     custom="community")
    assert [trace.name for trace in fig.data] == ["行政诉讼", "行政复议"]
    assert list(fig.data[0].customdata) == ["馒头山社区", "海月桥社区"]
    assert fig.layout.barmode == "stack"
    assert fig.layout.yaxis.dtick is None      # 42 at the top: automatic ticks


def test_horizontal_bar_puts_categories_on_y():
    df = pd.DataFrame({"category": ["政务动态", "其他"], "n": [85, 47]})
    fig = charts.bar(df, "category", "n", "zh", x_title="类别", y_title="数量（条）", unit="条", horizontal=True)
    assert fig.data[0].orientation == "h"
    assert list(fig.data[0].y) == ["政务动态", "其他"]
    assert list(fig.data[0].x) == [85, 47]
    assert fig.layout.xaxis.title.text == "数量（条）"


def test_year_series_groups_series_on_a_category_axis():
    df = pd.DataFrame({"year": [2022, 2023, 2022, 2023], "series": ["全部", "全部", "网站", "网站"],
                       "value": [175.0, 1173.0, 175.0, 95.0]})
    fig = charts.year_series(df, "en", series="series", y_title="Count (items)", unit="items")
    assert [trace.name for trace in fig.data] == ["全部", "网站"]
    assert list(fig.data[1].x) == ["2022", "2023"]
    assert fig.layout.xaxis.type == "category" and fig.layout.xaxis.title.text == "Year"
    assert "Year: %{x}" in fig.data[0].hovertemplate


def test_count_and_rate_puts_the_rate_on_a_percent_axis():
    df = pd.DataFrame({"year": [2021, 2022], "count": [196.0, 213.0], "rate": [95.0, None]})
    fig = charts.count_and_rate(df, "zh", count_name="矛盾纠纷调解", count_unit="件",
                                rate_name="调解满意度", rate_unit="%")
    assert [trace.name for trace in fig.data] == ["矛盾纠纷调解（件）", "调解满意度（%）"]
    assert fig.layout.yaxis2.title.text == "调解满意度（%）"
    assert tuple(fig.layout.yaxis2.range) == (0, 105)
    assert list(fig.data[1].x) == ["2021", "2022"]


def test_indicators_against_target_colours_by_status_and_draws_the_target():
    values = pd.DataFrame({
        "indicator_id": ["public_lawyers", "public_lawyers", "legality_review_rate"],
        "year": [2022, 2023, 2022], "value": [0.0, 1.0, 84.4], "status": ["red", "green", "red"],
        "target": [1.0, 1.0, 100.0], "name_zh": ["公职律师", "公职律师", "合法性审核覆盖率"],
        "name_en": ["Public-sector lawyers"] * 2 + ["Legality review coverage"],
        "unit_zh": ["人", "人", "%"], "unit_en": ["persons", "persons", "%"],
    })
    fig = charts.indicators_against_target(values, "zh", columns=2)
    assert [a.text for a in fig.layout.annotations] == ["公职律师（人）", "合法性审核覆盖率（%）"]
    bars = [trace for trace in fig.data if trace.type == "bar"]
    assert list(bars[0].marker.color) == [charts.RAG["red"], charts.RAG["green"]]
    assert list(bars[0].customdata) == ["未达标", "达标"]
    targets = [trace for trace in fig.data if trace.type == "scatter"]
    assert [list(trace.y) for trace in targets] == [[1.0, 1.0], [100.0]]
    assert fig.layout.xaxis.type == "category"
    en = charts.indicators_against_target(values, "en", columns=2)
    assert [a.text for a in en.layout.annotations] == ["Public-sector lawyers (persons)", "Legality review coverage (%)"]


def test_record_values_and_months_in_each_language():
    from reporting.i18n import month_label, t, value_label
    assert [value_label(v, "en") for v in ("行政诉讼", "网站", "已完成", "馒头山社区")] == [
        "Administrative litigation", "Website", "Done", "馒头山社区"]
    assert value_label("行政诉讼", "zh") == "行政诉讼"
    assert (month_label(3, "zh"), month_label(12, "en")) == ("3月", "Dec")
    assert t("change_vs", "zh", year=2021) == "较2021年"


def test_the_compare_year_is_shaded_and_named_on_a_year_axis():
    df = pd.DataFrame({"year": [2023, 2021, 2022], "series": ["全部"] * 3, "value": [3.0, 1.0, 2.0]})
    fig = charts.year_series(df, "zh", series="series", y_title="数量", unit="件", compare_year=2021)
    assert [(s.x0, s.x1) for s in fig.layout.shapes] == [(-0.5, 0.5)]
    assert [(a.x, a.text) for a in fig.layout.annotations] == [(0, "对比年度")]
    plain = charts.year_series(df, "zh", series="series", y_title="数量", unit="件", compare_year=2019)
    assert (plain.layout.shapes, plain.layout.annotations) == ((), ())
    rate = pd.DataFrame({"year": [2021, 2022], "count": [5, 6], "rate": [90.0, 95.0]})
    fig = charts.count_and_rate(rate, "en", count_name="Cases", count_unit="cases", rate_name="Rate",
                                rate_unit="%", compare_year=2022)
    assert [(s.x0, s.x1) for s in fig.layout.shapes] == [(0.5, 1.5)]
    assert fig.layout.annotations[0].text == "compared year"


def test_against_target_panels_leave_room_above_the_highest_bar_or_target():
    values = pd.DataFrame({"indicator_id": ["a", "a", "b"], "year": [2022, 2023, 2023], "value": [50.0, 80.0, 3.0],
                           "status": ["green", "green", "red"], "target": [100.0, 100.0, float("nan")],
                           "name_zh": ["甲", "甲", "乙"], "unit_zh": ["%", "%", "件"], "name_en": ["A", "A", "B"],
                           "unit_en": ["%", "%", "cases"]})
    fig = charts.indicators_against_target(values, "zh", columns=2)
    assert tuple(fig.layout.yaxis.range) == (0, 122.0)     # the target 100 is the highest
    assert tuple(fig.layout.yaxis2.range) == (0, 3.66)


def test_english_strings_count_in_the_singular_for_one():
    from reporting.i18n import t, unit_after
    assert t("import_rows_found", "en", rows=1) == "1 row"
    assert t("import_rows_found", "en", rows=2) == "2 rows"
    assert t("import_rows_found", "en", rows=0) == "0 rows"
    assert t("import_rows_found", "zh", rows=1) == "1 行"
    assert t("score_value", "en", points="1") == "1 point"
    assert t("score_value", "en", points="76.64") == "76.64 points"
    assert t("import_imported", "en", files=1, loaded=1, rejected=0, run="r1") == (
        "Imported 1 file: 1 row accepted, 0 rejected; the new database is published (run r1) and every page now reads it.")
    assert t("verdict_line", "en", n=1, green=1, amber=0, red=0, no_data=0) == \
        "1 indicator: 1 on target, 0 watch, 0 off target, 0 no data"
    assert [unit_after("1", u, "en") for u in ("sessions", "associations", "person-times", "copies", "%", "ratio")] == [
        "session", "association", "person-time", "copy", "%", "ratio"]
    assert unit_after("1", "件", "zh") == "件" and unit_after("-1", "cases", "en") == "case"
