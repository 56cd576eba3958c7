"""街道对比 (issue 13): the read side of pages/subdistricts.py — the query functions on the
three-subdistrict folder built for real (plus lawsuits of 2023), the shaping functions on literal
frames, and the chart builders. Values as tests/test_subdistricts.py states them for the marts."""
from __future__ import annotations

import math

import duckdb
import pandas as pd
import pytest

from etl.build import build
from reporting import charts, frames, queries
from reporting.subdistricts import RANKING_COLUMNS
from tests.three_subdistricts import with_2023

A, B, C = "甲街道", "乙街道", "丙街道"


@pytest.fixture(scope="module")
def con(tmp_path_factory) -> duckdb.DuckDBPyConnection:
    root = tmp_path_factory.mktemp("compare")
    build(with_2023(root / "data"), root / "w.duckdb")
    con = duckdb.connect(str(root / "w.duckdb"), read_only=True)
    yield con
    con.close()


def rows(df: pd.DataFrame, columns: list[str]) -> list[tuple]:
    """The frame's rows as tuples, NaN/NA as None."""
    return [tuple(None if v is None or (isinstance(v, float) and math.isnan(v)) or v is pd.NA else v for v in row)
            for row in df[columns].astype(object).itertuples(index=False)]


# --- query functions ------------------------------------------------------------------------

def test_a_lower_is_better_rate_ranks_lowest_first_and_lists_the_subdistrict_without_a_value_last(con):
    ranking = queries.subdistrict_ranking(con, 2024, "litigation_loss_rate")
    assert list(ranking.columns) == RANKING_COLUMNS
    assert rows(ranking, ["subdistrict", "rank", "value", "numerator", "denominator", "status", "target",
                          "red_threshold", "base_value", "change", "no_data_reason"]) == [
        (B, 1, 0.0, 0.0, 2.0, "green", 10.0, 30.0, 50.0, -50.0, None),
        (A, 2, 50.0, 1.0, 2.0, "green", 60.0, 80.0, 100.0, -50.0, None),
        (C, None, None, None, None, "no_data", 10.0, 30.0, None, None, "该年度没有案件记录")]
    assert set(ranking["direction"]) == {"down"} and set(ranking["unit_zh"]) == {"%"}


def test_a_higher_is_better_figure_ranks_highest_first(con):
    ranking = queries.subdistrict_ranking(con, 2024, "legal_advisers")
    assert rows(ranking, ["subdistrict", "rank", "value", "no_data_reason"]) == [
        (A, 1, 3.0, None), (B, 2, 2.0, None), (C, None, None, "该年度未填报")]


def test_equal_values_share_a_rank_in_name_order_and_the_base_year_can_be_chosen(con):
    ranking = queries.subdistrict_ranking(con, 2024, "litigation_cases_new")
    assert rows(ranking, ["subdistrict", "rank", "value", "base_value", "change"]) == [
        (B, 1, 2.0, 2.0, 0.0), (A, 1, 2.0, 1.0, 1.0), (C, None, None, None, None)]
    assert frames.ranking_table(ranking, "zh", 2024)[["名次", "数值", "目标", "增减"]].values.tolist() == [
        ["1", "2件", "", "持平"], ["1", "2件", "", "+1件"], ["", "无数据", "", ""]]
    against_2022 = queries.subdistrict_ranking(con, 2024, "litigation_cases_new", 2022)
    assert rows(against_2022, ["subdistrict", "base_value", "change"]) == [(B, None, None), (A, None, None),
                                                                          (C, None, None)]


def test_an_indicator_without_a_direction_is_listed_highest_first_without_ranks(con):
    ranking = queries.subdistrict_ranking(con, 2024, "litigation_concluded")
    assert rows(ranking, ["subdistrict", "rank", "value"]) == [(B, None, 2.0), (A, None, 2.0), (C, None, None)]


def test_an_unknown_indicator_or_year_gives_an_empty_frame_with_the_columns(con):
    for ranking in (queries.subdistrict_ranking(con, 2024, "nope"), queries.subdistrict_ranking(con, 2019, "legal_advisers")):
        assert ranking.empty and "rank" in ranking.columns and "no_data_reason" in ranking.columns


def test_the_district_figure_is_recomputed_from_its_parts(con):
    assert rows(queries.district_figure(con, 2024, "litigation_loss_rate"),
                ["value", "numerator", "denominator", "no_data_reason"]) == [(25.0, 1.0, 4.0, None)]
    assert rows(queries.district_figure(con, 2024, "legal_advisers"), ["value", "note"]) == [(5.0, "2/3 个街道填报")]


def test_status_counts_put_the_worst_subdistrict_first(con):
    counts = queries.subdistrict_status_counts(con, 2024)
    assert rows(counts, ["position", "subdistrict", "red", "amber", "no_data", "green", "none", "indicators"]) == [
        (1, C, 0, 0, 29, 0, 3, 32), (2, B, 0, 0, 21, 1, 10, 32), (3, A, 0, 0, 20, 1, 11, 32)]


def test_statuses_of_a_page_of_subdistricts_in_catalogue_order(con):
    statuses = queries.subdistrict_statuses(con, 2024, (A, C))
    assert len(statuses) == 2 * 32 and set(statuses["subdistrict"]) == {A, C}
    catalogue = queries.catalogue(con)["indicator_id"].tolist()
    assert list(dict.fromkeys(statuses["indicator_id"])) == catalogue
    loss = statuses[statuses["indicator_id"] == "litigation_loss_rate"]
    assert rows(loss, ["subdistrict", "value", "status", "target"]) == [(C, None, "no_data", 10.0), (A, 50.0, "green", 60.0)]
    assert queries.subdistrict_statuses(con, 2024, ()).empty


def test_the_trend_gives_every_year_of_the_chosen_subdistricts(con):
    trend = queries.subdistrict_trend(con, "litigation_loss_rate", (A, B))
    assert rows(trend, ["subdistrict", "year", "value", "status"]) == [
        (B, 2023, 50.0, "none"), (B, 2024, 0.0, "green"), (A, 2023, 100.0, "none"), (A, 2024, 50.0, "green")]


def test_predicted_scores_side_by_side_ranked_and_by_area(con):
    scores = queries.subdistrict_scores(con, 2024)
    assert rows(scores, ["subdistrict", "rank", "points", "max_points", "unscored_points", "status"]) == [
        (B, 1, 10.0, 10.0, 0.0, "complete"), (A, 1, 10.0, 10.0, 0.0, "complete"), (C, None, None, 10.0, 10.0, "no_data")]
    areas = queries.subdistrict_area_scores(con, 2024)
    assert rows(areas, ["subdistrict", "area_id", "area_name_zh", "points", "max_points"]) == [
        (C, "disputes", "行政争议预防化解", None, 10.0), (B, "disputes", "行政争议预防化解", 10.0, 10.0),
        (A, "disputes", "行政争议预防化解", 10.0, 10.0)]
    assert queries.subdistrict_scores(con, 2023).empty   # no target of 2023 carries points


def test_every_query_binds_its_values(con):
    hostile = "x' OR '1'='1"
    assert queries.subdistrict_ranking(con, 2024, hostile).empty
    assert queries.subdistrict_statuses(con, 2024, (hostile,)).empty
    assert queries.subdistrict_trend(con, hostile, (A,)).empty


# --- shaping functions ----------------------------------------------------------------------

def test_ranking_bars_notes_and_table_in_chinese(con):
    ranking = queries.subdistrict_ranking(con, 2024, "litigation_loss_rate")
    district = queries.district_figure(con, 2024, "litigation_loss_rate")
    bars = frames.ranking_bar_rows(ranking, "zh")
    assert rows(bars, ["subdistrict", "rank", "value", "status", "status_label", "value_text", "target"]) == [
        (B, 1, 0.0, "green", "达标", "0%", 10.0), (A, 2, 50.0, "green", "达标", "50%", 60.0)]
    assert frames.ranking_notes(ranking, district, 2024, "zh") == [
        "越低越好：数值最低的街道排在最前。", "全区：25%（1 / 4）",
        "各街道目标不同：每条横条上的竖线为该街道自己的目标。", "无数值的街道：丙街道（该年度没有案件记录）"]
    table = frames.ranking_table(ranking, "zh", 2024)
    assert list(table.columns) == ["名次", "街道", "数值", "状态", "目标", "2023年", "增减", "无数据原因"]
    assert table.values.tolist() == [
        ["1", B, "0%", "达标", "≤ 10%", "50%", "-50个百分点", ""],
        ["2", A, "50%", "达标", "≤ 60%", "100%", "-50个百分点", ""],
        ["", C, "无数据", "无数据", "≤ 10%", "", "", "该年度没有案件记录"]]


def test_ranking_notes_in_english_with_a_shared_target_and_a_note_on_the_district(con):
    ranking = queries.subdistrict_ranking(con, 2024, "legal_advisers")
    district = queries.district_figure(con, 2024, "legal_advisers")
    notes = frames.ranking_notes(ranking, district, 2024, "en")
    assert notes[0] == "Higher is better: the highest value ranks first."
    assert notes[1] == "The whole district: 5 persons (Reported by 2 of 3 subdistricts)"
    assert notes[-1] == "Subdistricts without a value: 丙街道 (Not reported for this year)"
    shared = ranking.assign(target=[2.0, 2.0, None])
    assert frames.ranking_notes(shared, district.iloc[0:0], 2024, "zh")[1] == "各街道目标相同：≥ 2人（虚线）。"


def _province(n: int, direction: str = "up") -> pd.DataFrame:
    """A literal ranking of `n` subdistricts S001… with values n…1 (best first for ↑), every third
    one's target 5, and two without a value."""
    values = [float(n - i) for i in range(n)] + [None, None]
    return pd.DataFrame({
        "subdistrict": [f"S{i:03d}" for i in range(1, n + 3)], "rank": pd.array(list(range(1, n + 1)) + [None, None],
                                                                             dtype="Int64"),
        "value": values, "numerator": None, "denominator": None,
        "status": ["green"] * n + ["no_data"] * 2, "no_data_reason": [None] * n + ["该年度未填报"] * 2, "note": None,
        "target": [5.0 if i % 3 == 0 else None for i in range(n + 2)], "red_threshold": None,
        "target_year": [2023] * (n + 2), "base_value": None, "change": None, "direction": direction,
        "name_zh": "某指标", "name_en": "Some indicator", "unit_zh": "件", "unit_en": "cases"})


def test_a_province_ranking_chart_keeps_the_best_and_worst_fifteen_and_says_so():
    ranking = _province(40)
    bars = frames.ranking_bar_rows(ranking, "zh")
    assert bars["subdistrict"].tolist() == [f"S{i:03d}" for i in (*range(1, 16), *range(26, 41))]
    notes = frames.ranking_notes(ranking, ranking.iloc[0:0], 2024, "zh")
    assert notes == ["越高越好：数值最高的街道排在最前。", "图中为前 15 名和后 15 名（共 40 个街道有数值），完整排名见下表。",
                     "各街道目标不同：每条横条上的竖线为该街道自己的目标。",
                     "2024 年没有本年度的指标目标，状态和得分按 2023 年目标评价。",
                     "无数值的街道：S041（该年度未填报）；S042（该年度未填报）"]
    assert len(frames.ranking_table(ranking, "zh", 2024)) == 42   # the table keeps every subdistrict
    many_missing = frames.ranking_notes(ranking, ranking.iloc[0:0], 2024, "zh", listed=1)
    assert many_missing[-1] == "2 个街道无数值，原因见下表。"
    assert frames.trend_defaults(ranking) == ("S001", "S002", "S003", "S038", "S039", "S040")
    assert frames.trend_defaults(_province(5)) == ("S001", "S002", "S003", "S004", "S005")


def test_the_heatmap_pages_worst_first_or_shows_the_subdistricts_found():
    counts = pd.DataFrame({"position": range(1, 46), "subdistrict": [f"S{i:02d}" for i in range(1, 46)]})
    assert frames.heatmap_names(counts, (), 1) == tuple(f"S{i:02d}" for i in range(1, 21))
    assert frames.heatmap_names(counts, (), 3) == tuple(f"S{i:02d}" for i in range(41, 46))
    assert frames.heatmap_note(counts, frames.heatmap_names(counts, (), 3), False, "zh") == "显示第 41–45 个街道，共 45 个。"
    found = frames.heatmap_names(counts, ("S30", "S02"), 1)
    assert found == ("S02", "S30")
    assert frames.heatmap_note(counts, found, True, "en") == "Showing the 2 chosen of 45 subdistricts."


def test_heatmap_cells_say_the_status_and_the_value_or_why_not(con):
    cells = frames.heatmap_cells(queries.subdistrict_statuses(con, 2024, (A, C)), (A, C), "zh")
    assert len(cells) == 64 and cells["subdistrict"].tolist()[:2] == [A, C]   # the order asked for
    loss = cells[cells["indicator"] == "行政诉讼败诉率"]
    assert rows(loss, ["area", "subdistrict", "status", "status_label", "value_text"]) == [
        ("行政争议预防化解", A, "green", "达标", "50%"), ("行政争议预防化解", C, "no_data", "无数据", "该年度没有案件记录")]


def test_the_trend_series_follow_the_order_chosen(con):
    trend = frames.trend_series(queries.subdistrict_trend(con, "litigation_loss_rate", (A, B)), (A, B))
    assert trend.values.tolist() == [[2023, A, 100.0], [2024, A, 50.0], [2023, B, 50.0], [2024, B, 0.0]]


def test_scores_by_area_for_the_chart_and_the_table(con):
    scores, areas = queries.subdistrict_scores(con, 2024), queries.subdistrict_area_scores(con, 2024)
    bars = frames.score_bar_rows(scores, areas, "zh")
    assert bars.values.tolist() == [[B, "行政争议预防化解", 10.0, 10.0, 10.0, 1], [A, "行政争议预防化解", 10.0, 10.0, 10.0, 1]]
    assert frames.score_notes(scores, "zh") == ["无计分数据的街道：丙街道"]
    table = frames.score_table(scores, areas, "zh")
    assert list(table.columns) == ["名次", "街道", "预计得分（分）", "分值（分）", "未计分（分）", "状态", "行政争议预防化解（分）"]
    assert table.values.tolist() == [["1", B, "10", "10", "0", "全部计分", "10 / 10"],
                                     ["1", A, "10", "10", "0", "全部计分", "10 / 10"],
                                     ["", C, "无数据", "10", "10", "无数据", "无数据 / 10"]]


def test_status_counts_table_headers_in_english(con):
    table = frames.status_count_table(queries.subdistrict_status_counts(con, 2024), "en")
    assert list(table.columns) == ["No.", "Subdistrict", "Off target", "Watch", "No data", "On target", "No target"]
    assert table.values.tolist()[0] == [1, C, 0, 0, 29, 0, 3]


# --- chart builders -------------------------------------------------------------------------

def test_ranking_bars_best_at_the_top_a_tick_per_target_when_targets_differ(con):
    bars = frames.ranking_bar_rows(queries.subdistrict_ranking(con, 2024, "litigation_loss_rate"), "zh")
    fig = charts.ranking_bars(bars, "zh", unit="%", x_title="数值（%）")
    assert fig.layout.yaxis.categoryarray == ("1. 乙街道", "2. 甲街道") and fig.layout.yaxis.autorange == "reversed"
    bar, target = fig.data
    assert (bar.type, bar.name, list(bar.y), list(bar.text), bar.marker.color) == (
        "bar", "达标", ["1. 乙街道", "2. 甲街道"], ["0%", "50%"], charts.RAG["green"])
    assert (target.name, list(target.x), list(target.y)) == ("目标", [10.0, 60.0], ["1. 乙街道", "2. 甲街道"])
    assert not fig.layout.shapes


def test_ranking_bars_draw_a_shared_target_as_one_line_and_names_are_inert():
    bars = pd.DataFrame({"subdistrict": ["<b>x</b>", "乙街道"], "rank": [1, 2], "value": [3.0, 1.0],
                         "status": ["green", "red"], "status_label": ["达标", "未达标"], "value_text": ["3件", "1件"],
                         "target": [2.0, 2.0]})
    fig = charts.ranking_bars(bars, "zh", unit="件", x_title="数值（件）")
    assert [trace.name for trace in fig.data] == ["达标", "未达标"]
    assert fig.data[0].y == ("1. &lt;b&gt;x&lt;/b&gt;",) and fig.data[1].marker.color == charts.RAG["red"]
    assert len(fig.layout.shapes) == 1 and fig.layout.shapes[0].x0 == 2.0
    assert fig.layout.annotations[0].text == "目标 2件"


def test_the_status_heatmap_has_a_cell_per_indicator_and_subdistrict_with_sign_and_legend(con):
    cells = frames.heatmap_cells(queries.subdistrict_statuses(con, 2024, (C, B)), (C, B), "zh")
    fig = charts.status_heatmap(cells, "zh")
    heatmap = fig.data[0]
    assert list(heatmap.x) == [C, B] and len(heatmap.y) == 32 and heatmap.y[0] == "理论学习中心组专题学法"
    row = list(heatmap.y).index("行政诉讼败诉率")
    assert list(heatmap.z[row]) == [3, 0] and list(heatmap.text[row]) == ["–", "✓"]   # no data, green
    assert heatmap.hovertext[row][1] == "乙街道<br>行政诉讼败诉率（行政争议预防化解）<br>数值：0%<br>状态：达标"
    assert [trace.name for trace in fig.data[1:]] == ["✓ 达标", "! 预警", "✗ 未达标", "– 无数据", "无目标"]


def test_score_bars_stack_areas_best_total_first(con):
    rows_ = frames.score_bar_rows(queries.subdistrict_scores(con, 2024), queries.subdistrict_area_scores(con, 2024), "en")
    fig = charts.score_bars(rows_, "en")
    assert fig.layout.yaxis.categoryarray == ("1. 乙街道", "1. 甲街道")
    assert fig.data[0].name == "Administrative dispute prevention and resolution" and list(fig.data[0].x) == [10.0, 10.0]
    assert list(fig.data[-1].text) == ["10 points", "10 points"]
