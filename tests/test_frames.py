"""Shaping of queried frames for charts and tables (reporting.frames), on tiny literal frames."""
from __future__ import annotations

import math

import pandas as pd

from reporting import frames

NAN = float("nan")
# The columns of queries.indicator_values that the shaping functions read.
CATALOGUE = {
    "litigation_cases_new": dict(kind="count", area_id="disputes", name_zh="新增行政诉讼案件", name_en="New lawsuits", unit_zh="件",
                                 unit_en="cases", direction="down", target=3.0, weak_area_id="W1", headline=1,
                                 description_zh="诉讼", description_en="Lawsuits"),
    "mediation_cases": dict(kind="count", area_id="disputes", name_zh="矛盾纠纷调解", name_en="Mediations", unit_zh="件",
                            unit_en="cases", direction="none", target=NAN, weak_area_id="W1", headline=None,
                            description_zh="调解", description_en="Mediations"),
    "mediation_satisfaction": dict(kind="mean", area_id="disputes", name_zh="调解满意度", name_en="Mediation satisfaction",
                                   unit_zh="%", unit_en="%", direction="up", target=90.0, weak_area_id=None,
                                   headline=None, description_zh="满意度", description_en="Satisfaction"),
    "disclosure_items": dict(kind="count", area_id="disclosure", name_zh="主动公开信息", name_en="Items disclosed", unit_zh="条",
                             unit_en="items", direction="up", target=100.0, weak_area_id=None, headline=2,
                             description_zh="主动公开", description_en="Proactive items"),
    "disclosure_items_website": dict(kind="count", area_id="disclosure", name_zh="主动公开信息（网站）", name_en="Items (website)",
                                     unit_zh="条", unit_en="items", direction="none", target=NAN, weak_area_id=None,
                                     headline=None, description_zh="网站", description_en="Website"),
}


def values(*rows: tuple) -> pd.DataFrame:
    """Rows (indicator_id, year, value[, status, numerator, denominator, no_data_reason, note]) with the
    indicator's catalogue columns, as queries.indicator_values returns them."""
    records = []
    for indicator_id, year, value, *rest in rows:
        status, numerator, denominator, reason, note = [*rest, *[None] * (5 - len(rest))]
        records.append({"indicator_id": indicator_id, "year": year, "value": value,
                        "numerator": numerator, "denominator": denominator, "status": status or "none",
                        "no_data_reason": reason, "note": note, **CATALOGUE[indicator_id]})
    return pd.DataFrame(records, columns=["indicator_id", "year", "value", "numerator", "denominator", "status",
                                          "no_data_reason", "note", *CATALOGUE["mediation_cases"]])


def test_indicator_rows_by_area_and_year():
    v = values(("litigation_cases_new", 2021, 4.0), ("litigation_cases_new", 2022, 2.0),
               ("disclosure_items", 2022, 175.0))
    rows = frames.indicator_rows(v, areas=("disputes",), years=(2022,))
    assert rows[["indicator_id", "year"]].values.tolist() == [["litigation_cases_new", 2022]]
    assert len(frames.indicator_rows(v)) == 3
    assert frames.indicator_rows(v, years=(2022,))["indicator_id"].tolist() == ["litigation_cases_new", "disclosure_items"]


def test_indicator_table_in_both_languages():
    v = values(("litigation_cases_new", 2022, 2.0, "green"),
               ("mediation_satisfaction", 2022, 87.5, "amber", 7.0, 8.0, None, "抽样"),
               ("mediation_cases", 2022, NAN, "no_data", None, None, "该年度无调解记录"))
    zh = frames.indicator_table(v, "zh", areas=("disputes",), years=(2022,))
    assert zh.columns.tolist() == ["指标", "年度", "数值", "目标", "状态", "分子", "分母", "无数据原因", "说明"]
    # the 目标 column names the target; a mean (调解满意度) shows no numerator: it is a sum of scores
    assert zh.values.tolist() == [
        ["新增行政诉讼案件", "2022", "2件", "≤ 3件", "达标", "", "", "", ""],
        ["调解满意度", "2022", "87.5%", "≥ 90%", "预警", "", "8", "", "抽样"],
        ["矛盾纠纷调解", "2022", "无数据", "无目标", "无数据", "", "", "该年度无调解记录", ""],
    ]
    en = frames.indicator_table(v.iloc[:1], "en")
    assert en.values.tolist() == [["New lawsuits", "2022", "2 cases", "≤ 3 cases", "On target", "", "", "", ""]]


def test_an_earlier_year_s_targets_are_said_in_the_note_column_not_in_the_target_cell():
    v = values(("litigation_cases_new", 2024, 1.0, "green", None, None, None, "抽样"), ("disclosure_items", 2024, 120.0, "amber"))
    v["target_year"] = 2023
    v.loc[v["indicator_id"] == "litigation_cases_new", "target"] = 1.0
    zh = frames.indicator_table(v, "zh")
    assert zh[["目标", "说明"]].values.tolist() == [["≤ 1件", "沿用2023年目标；抽样"], ["≥ 100条", "沿用2023年目标"]]
    en = frames.indicator_table(v, "en")
    assert en[["Target", "Note"]].values.tolist()[0] == ["≤ 1 case", "2023 targets carried forward; 抽样"]
    assert frames.target_text(v.iloc[0], "en") == "Target ≤ 1 case (2023 targets carried forward)"
    assert frames.target_text(v.iloc[0], "zh", fallback=False) == "目标 ≤ 1件"


def test_indicator_table_of_no_rows_keeps_its_headers():
    table = frames.indicator_table(values(("litigation_cases_new", 2022, 2.0)), "en", years=(2020,))
    assert table.empty
    assert table.columns.tolist() == ["Indicator", "Year", "Value", "Target", "Status", "Numerator", "Denominator",
                                      "Why no data", "Note"]


def test_indicator_series_leaves_out_years_without_value():
    v = values(("litigation_cases_new", 2021, 4.0), ("litigation_cases_new", 2022, NAN),
               ("disclosure_items", 2022, 175.0, "green", None, None, None, "网站、微博"),
               ("mediation_cases", 2022, 9.0))
    series = frames.indicator_series(v, ("litigation_cases_new", "disclosure_items"), "en", note=True)
    assert series.fillna({"note": ""}).values.tolist() == [[2021, "New lawsuits", 4.0, ""],
                                                           [2022, "Items disclosed", 175.0, "网站、微博"]]
    assert frames.indicator_series(v, ("litigation_cases_new",), "zh").columns.tolist() == ["year", "series", "value"]
    empty = frames.indicator_series(v, ("mediation_satisfaction",), "zh")
    assert empty.empty and empty.columns.tolist() == ["year", "series", "value"]


def test_count_and_rate_side_by_side():
    v = values(("mediation_cases", 2021, 3.0), ("mediation_cases", 2022, 2.0), ("mediation_cases", 2023, NAN),
               ("mediation_satisfaction", 2021, NAN), ("mediation_satisfaction", 2022, 90.0),
               ("mediation_satisfaction", 2023, NAN))
    wide = frames.count_and_rate(v, "mediation_cases", "mediation_satisfaction")
    assert wide.columns.tolist() == ["year", "count", "rate"]
    assert wide["year"].tolist() == [2021, 2022]
    assert wide["count"].tolist() == [3.0, 2.0]
    assert math.isnan(wide["rate"][0]) and wide["rate"][1] == 90.0


def test_count_and_rate_needs_a_value_of_both():
    v = values(("mediation_cases", 2022, 2.0), ("mediation_satisfaction", 2022, NAN))
    wide = frames.count_and_rate(v, "mediation_cases", "mediation_satisfaction")
    assert wide.empty and wide.columns.tolist() == ["year", "count", "rate"]


def test_indicator_names():
    v = values(("mediation_cases", 2021, 3.0), ("mediation_cases", 2022, 2.0), ("disclosure_items", 2022, 1.0))
    assert frames.indicator_names(v, "en") == {"mediation_cases": "Mediations", "disclosure_items": "Items disclosed"}


def test_drill_indicators_of_the_year_or_each_once():
    v = values(("litigation_cases_new", 2021, 4.0), ("mediation_cases", 2021, 3.0),
               ("mediation_cases", 2022, 2.0), ("disclosure_items", 2023, 1.0))
    this_year = frames.drill_indicators(v, ("disputes",), 2022)
    assert this_year[["indicator_id", "year"]].values.tolist() == [["mediation_cases", 2022]]
    other_year = frames.drill_indicators(v, ("disputes",), 2023)
    assert other_year[["indicator_id", "year"]].values.tolist() == [["litigation_cases_new", 2021],
                                                                    ["mediation_cases", 2021]]


def test_category_counts_labels_months_communities_and_enumerated_values():
    by_month = pd.DataFrame({"month": [1, 12], "n": [3, 1]})
    assert frames.category_counts(by_month, "disclosures", "en")["month"].tolist() == ["Jan", "Dec"]
    assert frames.category_counts(by_month, "disclosures", "zh")["month"].tolist() == ["1月", "12月"]
    by_community = pd.DataFrame({"community": ["馒头山社区", "街道本级"], "case_type": ["行政诉讼", "矛盾纠纷调解"],
                                 "n": [2, 5]})
    assert frames.category_counts(by_community, "cases", "en").values.tolist() == [
        ["馒头山社区", "Administrative litigation", 2], ["Subdistrict level", "Civil dispute mediation", 5]]
    assert frames.category_counts(by_community, "cases", "zh").values.tolist() == by_community.values.tolist()


def test_category_counts_blank_free_text_order_and_total():
    by_domain = pd.DataFrame({"domain": ["其他", None], "n": [2, 1]})   # free text: shown as written
    assert frames.category_counts(by_domain, "cases", "en", blank="not given")["domain"].tolist() == ["其他", "not given"]
    by_category = pd.DataFrame({"category": [None, "其他", "年报", "政务动态"], "n": [1, 2, 3, 4]})
    ordered = frames.category_counts(by_category, "disclosures", "en", blank="not given", contract_order=True)
    assert ordered.values.tolist() == [["Government news", 4], ["Annual reports", 3], ["Other", 2], ["not given", 1]]
    by_type = pd.DataFrame({"activity_type": ["法律服务"], "n": [2], "total": [70]})
    assert frames.category_counts(by_type, "outreach", "zh", total="participants").to_dict("records") == [
        {"activity_type": "法律服务", "n": 2, "participants": 70}]


def test_category_counts_of_nothing_keeps_its_columns():
    empty = frames.category_counts(pd.DataFrame({"community": [], "n": []}), "outreach", "en")
    assert empty.empty and empty.columns.tolist() == ["community", "n"]


def test_case_outcomes_leave_out_civil_mediation_and_missing_outcomes():
    counts = pd.DataFrame({"case_type": ["行政诉讼", "行政诉讼", "矛盾纠纷调解", "行政复议"],
                           "outcome": ["胜诉", None, "成功", "维持"], "n": [2, 1, 200, 1]})
    assert frames.case_outcomes(counts, "en").values.tolist() == [["Administrative litigation", "Won", 2],
                                                                  ["Administrative review", "Upheld", 1]]


def test_records_table_in_english():
    records = pd.DataFrame({"community": [None], "community_id": [None], "case_id": ["L1"], "case_type": ["行政诉讼"],
                            "filed_date": [pd.Timestamp("2022-03-01")], "heard_in_court": [True],
                            "source_file": ["cases.csv"], "source_row": [2]})
    shown = frames.records_table(records, "cases", "en")
    assert shown.to_dict("records") == [{"Community": "Subdistrict level", "case_id": "L1",
                                         "case_type": "Administrative litigation", "filed_date": "2022-03-01",
                                         "heard_in_court": "yes", "Source file": "cases.csv", "Row": 2}]
    assert frames.records_table(records, "cases", "zh").columns.tolist() == [
        "社区", "案件编号", "案件类型", "收案日期", "是否开庭", "来源文件", "行号"]


def test_disclosure_channels_differ_from_the_note_of_proactive_items():
    note = "各年度统计的渠道不同：2022年仅网站"
    differ = values(("disclosure_items", 2022, 175.0, "green", None, None, None, note),
                    ("disclosure_items_website", 2022, 175.0))
    assert frames.disclosure_channels_differ(differ) is True
    no_value = values(("disclosure_items", 2022, NAN, "no_data", None, None, None, note))
    assert frames.disclosure_channels_differ(no_value) is False
    assert frames.disclosure_channels_differ(values(("disclosure_items", 2022, 1.0))) is False


def test_metric_tiles_say_no_data_and_why():
    v = values(("litigation_cases_new", 2022, 2.0), ("mediation_cases", 2022, NAN, "no_data", None, None, "无记录"),
               ("litigation_cases_new", 2021, 4.0))
    tiles = frames.metric_tiles(v, "en", years=(2022,))
    assert tiles.to_dict("records") == [{"label": "New lawsuits", "value": "2 cases", "help": None},
                                        {"label": "Mediations", "value": "No data", "help": "无记录"}]
    assert frames.metric_tiles(v, "zh", years=(2020,)).columns.tolist() == ["label", "value", "help"]


TITLES = pd.DataFrame({
    "community_id": ["NX01", "NX01", "NX02", "NX03"], "community": ["馒头山社区", "馒头山社区", "海月桥社区", "白塔岭社区"],
    "title": ["全国民主法治示范村(社区)", "省级民主法治村(社区)", "省级民主法治村(社区)", None],
    "level": ["国家级", "省级", "省级", None], "granted_by": ["司法部", "省司法厅", "省司法厅", None],
    "year_granted": [2020.0, 2023.0, 2019.0, NAN], "status": ["有效", "有效", "撤销", None],
    "source_file": ["d.csv", "d.csv", "d.csv", None], "source_row": [2.0, 3.0, 4.0, NAN]})


def test_designations_table_in_english():
    table = frames.designations_table(TITLES, "en")
    assert table.columns.tolist() == ["Community", "Title", "Level", "Granted by", "Year granted", "Status",
                                      "Source file", "Row"]
    assert table.iloc[3][["Title", "Level", "Status"]].tolist() == ["(no title)", "", ""]
    assert pd.isna(table.iloc[3]["Year granted"]) and str(table["Year granted"].dtype) == "Int64"
    assert table.iloc[0][["Level", "Year granted", "Status"]].tolist() == ["National", 2020, "Valid"]


def test_titles_by_level_counts_valid_titles_held_in_the_year():
    assert frames.titles_by_level(TITLES, 2022, "zh").values.tolist() == [["国家级", 1]]
    assert frames.titles_by_level(TITLES, 2023, "en").values.tolist() == [["National", 1], ["Provincial", 1]]
    none = frames.titles_by_level(TITLES, 2019, "zh")
    assert none.empty and none.columns.tolist() == ["level", "n"]


def test_outreach_totals_side_by_side_with_headers_in_the_language():
    people = pd.DataFrame({"activity_type": ["专题学法", "法律服务"], "n": [1, 2], "total": [30, 70]})
    materials = pd.DataFrame({"activity_type": ["专题学法", "法律服务"], "n": [1, 2], "total": [100, 0]})
    assert frames.outreach_totals(people, materials, "zh").to_dict("records") == [
        {"活动类型": "专题学法", "活动场次（场）": 1, "参与人次（人次）": 30, "资料份数（份）": 100},
        {"活动类型": "法律服务", "活动场次（场）": 2, "参与人次（人次）": 70, "资料份数（份）": 0}]
    none = frames.outreach_totals(people.iloc[:0], materials.iloc[:0], "en")
    assert none.empty and none.columns.tolist() == ["Activity type", "Activities (activities)",
                                                    "Participants (person-times)", "Materials (copies)"]


AREAS = pd.DataFrame({"weak_area_id": ["W1"], "name_zh": ["行政争议"], "name_en": ["Disputes"],
                      "cause_zh": ["发案多"], "cause_en": ["Many cases"]})
ACTIONS = pd.DataFrame({
    "action_id": ["A1", "A2", "A3"], "weak_area_id": ["W1", None, "W1"], "title": ["减少发案", "顾问共享", "导入调解"],
    "owner": ["党政办", None, "司法所"], "due_date": [pd.Timestamp("2023-12-31"), pd.NaT, pd.Timestamp("2023-06-30")],
    "status": ["推进中", "未启动", "已完成"], "progress": [None, None, "已完成"], "overdue": [True, None, False]})


def test_weak_area_headings():
    assert frames.weak_area_headings(AREAS, "zh").to_dict("records") == [
        {"weak_area_id": "W1", "name": "行政争议", "title": "W1 行政争议", "cause": "原因：发案多"}]
    assert frames.weak_area_headings(AREAS, "en").iloc[0]["cause"] == "Cause: Many cases"


def test_against_target_keeps_years_with_a_value_and_what_the_chart_reads():
    v = values(("litigation_cases_new", 2021, 4.0, "red"), ("litigation_cases_new", 2022, NAN, "no_data"),
               ("mediation_cases", 2022, 9.0), ("disclosure_items", 2022, 1.0))
    plotted = frames.against_target(v, "W1")
    assert plotted.columns.tolist() == frames.AGAINST_TARGET_COLUMNS
    assert plotted[["indicator_id", "year", "value", "status"]].values.tolist() == [
        ["litigation_cases_new", 2021, 4.0, "red"], ["mediation_cases", 2022, 9.0, "none"]]
    assert frames.against_target(v, "W2").empty


def test_action_table_of_a_weak_area_and_of_none():
    table = frames.action_table(ACTIONS, "en", "W1", ["推进中", "已完成"])
    assert table.columns.tolist() == ["Action id", "Action", "Owner", "Due", "Status", "Overdue", "Progress"]
    assert table.values.tolist() == [["A1", "减少发案", "党政办", "2023-12-31", "In progress", "⚠ Overdue", ""],
                                     ["A3", "导入调解", "司法所", "2023-06-30", "Done", "", "已完成"]]
    assert frames.action_table(ACTIONS, "zh", "W1", ["已完成"])["任务编号"].tolist() == ["A3"]
    assert frames.action_table(ACTIONS, "zh", None, ["未启动"]).values.tolist() == [
        ["A2", "顾问共享", "", "", "未启动", "", ""]]
    assert frames.action_table(ACTIONS, "zh", None, []).empty


def test_weak_area_panels_count_statuses_and_actions():
    areas = pd.concat([AREAS, pd.DataFrame({"weak_area_id": ["W2"], "name_zh": ["基层基础"], "name_en": ["Basics"],
                                            "cause_zh": ["薄弱"], "cause_en": ["Weak"]})], ignore_index=True)
    v = values(("litigation_cases_new", 2022, 2.0, "green"), ("mediation_cases", 2022, 9.0, "red"),
               ("litigation_cases_new", 2021, 4.0, "red"))
    panels = frames.weak_area_panels(areas, v, ACTIONS, 2022, "zh")
    assert panels.to_dict("records") == [
        {"weak_area_id": "W1", "title": "W1 行政争议",
         "indicators": "指标：1 项达标，0 项预警，1 项未达标，0 项无数据",
         "chips": [("新增行政诉讼案件 2件", "green"), ("矛盾纠纷调解 9件", "red")],
         "actions": "整改任务：1 项已完成，1 项推进中，0 项未启动", "overdue": 1},
        {"weak_area_id": "W2", "title": "W2 基层基础", "indicators": "", "chips": [], "actions": "", "overdue": 0}]
    assert frames.weak_area_panels(areas, v, ACTIONS, 2020, "en").iloc[0]["indicators"] == ""


RUNS = pd.DataFrame({
    "run_id": ["r2", "r1"], "started_at": [pd.Timestamp("2026-11-29 09:00"), pd.Timestamp("2026-11-28 20:00")],
    "finished_at": [pd.Timestamp("2026-11-29 09:00:03"), pd.Timestamp("2026-11-28 20:00:02")],
    "duration_s": [3.14159, 2.0], "data_dir": ["data", "data"], "dataset_kind": ["sample", "real"],
    "dataset_label": ["示例", None], "catalogue_version": ["2026.1", "2026.1"], "files": [2, 1],
    "rows_read": [12, 5], "rows_loaded": [11, 5], "rows_rejected": [1, 0], "status": ["rollback:r0", "published"]})


def test_run_history_in_words_and_without_actor_columns_in_an_older_database():
    zh = frames.run_history(RUNS, "zh")
    assert zh.columns.tolist() == ["批次", "开始时间", "完成时间", "耗时（秒）", "数据集", "文件数", "读取行数", "载入行数",
                                   "拒收行数", "结果", "操作人", "原因", "数据目录", "指标目录版本"]
    assert zh[["批次", "耗时（秒）", "数据集", "结果"]].values.tolist() == [["r2", 3.14, "示例数据", "恢复自 r0"],
                                                                       ["r1", 2.0, "真实数据", "已发布"]]
    assert zh["操作人"].isna().all()
    en = frames.run_history(RUNS.assign(actor=["admin", "os:li"], reason=["wrong file", None]), "en")
    assert en[["Result", "By", "Reason"]].iloc[0].tolist() == ["restored from r0", "admin", "wrong file"]
    assert frames.run_history(RUNS.iloc[:0], "en").empty


FILES = pd.DataFrame({"run_id": ["r1", "r1"], "source_file": ["cases.csv", "x.csv"], "record_type": ["cases", "?"],
                      "checksum": ["abc", "def"], "encoding": ["utf-8", "gb18030"], "rows_read": [6, 3],
                      "rows_loaded": [5, 3], "rows_rejected": [1, 0], "message": [None, "跳过"]})


def test_file_rows_for_the_loaded_and_rejected_chart():
    assert frames.file_rows(FILES, "en").values.tolist() == [["cases.csv", "Rows loaded", 5], ["x.csv", "Rows loaded", 3],
                                                             ["cases.csv", "Rows rejected", 1], ["x.csv", "Rows rejected", 0]]
    assert frames.file_rows(FILES.iloc[:0], "zh").columns.tolist() == ["source_file", "series", "rows"]


def test_file_table():
    table = frames.file_table(FILES, "zh")
    assert table.columns.tolist() == ["来源文件", "记录类型", "编码", "读取行数", "载入行数", "拒收行数", "说明", "校验和"]
    assert table[["记录类型", "说明"]].values.tolist() == [["案件", ""], ["?", "跳过"]]
    assert frames.file_table(FILES, "en")["Record type"].tolist() == ["cases", "?"]


def test_reject_table_names_fields_and_kinds():
    rejects = pd.DataFrame({"record_type": ["outreach", "cases"], "source_file": ["o.csv", "c.csv"], "source_row": [3, 7],
                            "field": ["date", "case_type"], "value": ["2024-13-01", "诉讼"],
                            "reason": ["日期不是有效日期", "不在允许值中"], "kind": ["invalid", "replaced"]})
    zh = frames.reject_table(rejects, "zh")
    assert zh.columns.tolist() == ["记录类型", "来源文件", "行号", "字段", "数值", "原因", "类型"]
    assert zh[["记录类型", "字段", "类型"]].values.tolist() == [["普法与法律服务", "日期", "无效"], ["案件", "案件类型", "被更正"]]
    assert frames.reject_table(rejects, "en")[["Record type", "Field", "Kind"]].values.tolist() == [
        ["outreach", "date", "invalid"], ["cases", "case_type", "replaced"]]


def test_headline_tiles_change_trend_and_published_years():
    report = "来源：已发布报告（2021年法治政府建设年度报告）"
    v = values(("litigation_cases_new", 2020, 5.0, "red", None, None, None, report),
               ("litigation_cases_new", 2021, 4.0, "red", None, None, None, report),
               ("litigation_cases_new", 2022, 2.0, "green"), ("mediation_cases", 2022, 9.0),
               ("mediation_satisfaction", 2022, 87.5, "amber"))
    v.loc[v["indicator_id"] == "mediation_satisfaction", "headline"] = 3
    tiles = frames.headline_tiles(v, 2022, 2021, {}, "zh")
    assert tiles["label"].tolist() == ["新增行政诉讼案件", "调解满意度"]
    lawsuits, satisfaction = tiles.to_dict("records")
    assert {k: lawsuits[k] for k in ("value", "delta", "delta_colour", "delta_description", "trend", "help", "target",
                                     "published", "trend_published", "website_note", "secondary")} == {
        "value": "2件", "delta": "-2件", "delta_colour": "inverse", "delta_description": "较2021年",
        "trend": [5.0, 4.0, 2.0], "help": "诉讼", "target": "目标 ≤ 3件", "published": False,
        "trend_published": "2020、2021", "website_note": False, "secondary": ""}
    assert (satisfaction["delta"], satisfaction["delta_description"], satisfaction["trend"]) == (None, "无上年数据", None)
    assert frames.headline_tiles(v, 2021, 2020, {}, "en").iloc[0][["delta", "published", "trend_published"]].tolist() == [
        "-1 case", True, "2020"]
    assert frames.headline_tiles(v, 2019, 2018, {}, "zh").empty


def test_headline_tiles_show_proactive_items_on_one_basis_the_website_when_channels_differ():
    website = "来源：网站"
    v = values(("disclosure_items", 2022, 175.0, "green"), ("disclosure_items", 2023, 300.0, "green"),
               ("disclosure_items_website", 2022, 175.0, "green", None, None, None, website),
               ("disclosure_items_website", 2023, 120.0, "amber", None, None, None, website))
    v.loc[v["indicator_id"] == "disclosure_items_website", ["direction", "target"]] = ["up", 150.0]
    channels = {2022: ("网站",), 2023: ("微博", "网站")}
    tile = frames.headline_tiles(v, 2023, 2022, channels, "zh").iloc[0]
    # the big number, its status, target, change and trend are all the website figure's ...
    assert {k: tile[k] for k in ("indicator_id", "label", "value", "status", "target", "delta", "delta_colour",
                                 "trend", "help", "website_note")} == {
        "indicator_id": "disclosure_items_website", "label": "主动公开信息（网站）", "value": "120条",
        "status": "amber", "target": "目标 ≥ 150条", "delta": "-55条", "delta_colour": "normal",
        "trend": [175.0, 120.0], "help": "网站", "website_note": True}
    # ... and the all-channel count is a line beside it, with no status or change of its own
    assert tile["secondary"] == "全部渠道：300条"
    en = frames.headline_tiles(v, 2023, 2022, channels, "en").iloc[0]
    assert (en["label"], en["value"], en["secondary"]) == ("Items (website)", "120 items", "All channels: 300 items")
    # every year counted the same channels: the all-channel figure is the tile, nothing beside it
    same = frames.headline_tiles(v, 2023, 2022, {2022: ("网站",), 2023: ("网站",)}, "zh").iloc[0]
    assert {k: same[k] for k in ("indicator_id", "value", "status", "delta", "trend", "website_note", "secondary")} == {
        "indicator_id": "disclosure_items", "value": "300条", "status": "green", "delta": "+125条",
        "trend": [175.0, 300.0], "website_note": False, "secondary": ""}
    # a year whose base year has no records says nothing about channels: one basis, all channels
    first = frames.headline_tiles(v, 2022, 2021, channels, "zh").iloc[0]
    assert (first["indicator_id"], first["value"], first["secondary"]) == ("disclosure_items", "175条", "")


def test_compare_table_puts_the_two_years_side_by_side_with_the_change():
    v = values(("litigation_cases_new", 2021, 4.0, "red"), ("litigation_cases_new", 2022, 2.0, "green"),
               ("mediation_satisfaction", 2021, 89.0, "amber"), ("mediation_satisfaction", 2022, 87.5, "amber"),
               ("mediation_cases", 2022, 9.0), ("disclosure_items", 2022, 175.0, "green"))
    zh = frames.compare_table(v, "zh", 2022, 2021, areas=("disputes",))
    assert zh.columns.tolist() == ["指标", "2022年", "2021年", "增减", "目标", "状态", "无数据原因", "说明"]
    assert zh.values.tolist() == [
        ["新增行政诉讼案件", "2件", "4件", "-2件", "≤ 3件", "达标", "", ""],
        ["调解满意度", "87.5%", "89%", "-1.5个百分点", "≥ 90%", "预警", "", ""],
        ["矛盾纠纷调解", "9件", "无数据", "", "", "无目标", "", ""],
    ]
    en = frames.compare_table(v, "en", 2022, 2021, areas=("disputes",))
    assert en.columns.tolist()[1:4] == ["2022", "2021", "Change"]
    assert en.iloc[1, 3] == "-1.5 pp"


def test_change_text_reads_a_rate_change_in_points_and_no_change_as_0():
    assert frames.change_text(2.0, "件", "zh") == "+2件"
    assert frames.change_text(-1.5, "%", "zh") == "-1.5个百分点"
    assert frames.change_text(0.0, "件", "zh") == "持平"
    assert frames.change_text(0.0, "cases", "en") == "unchanged"
    assert (frames.change_text(1.0, "cases", "en"), frames.change_text(-1.0, "persons", "en")) == ("+1 case", "-1 person")
    assert frames.change_text(None, "件", "zh") == ""


def test_verdict_counts_every_status_of_the_year_as_the_indicator_table_does():
    rows = values(("litigation_cases_new", 2023, 5.0, "red"), ("mediation_cases", 2023, 10.0, "none"),
                  ("mediation_satisfaction", 2023, NAN, "no_data"), ("disclosure_items", 2023, 120.0, "green"),
                  ("disclosure_items", 2022, 80.0, "red"))
    counts = frames.verdict_counts(rows, 2023)
    assert counts == {"n": 4, "green": 1, "amber": 0, "red": 1, "no_data": 1, "other": 1}
    assert counts["n"] == len(frames.indicator_table(rows, "zh", years=(2023,)))
    assert frames.verdict_line(counts, "zh") == "4 项指标：1 达标、0 预警、1 未达标、1 无数据、1 无目标"
    assert frames.verdict_line({**counts, "other": 0}, "en") == \
        "4 indicators: 1 on target, 0 watch, 1 off target, 1 no data"
    assert frames.verdict_line(counts, "en") == "4 indicators: 1 on target, 0 watch, 1 off target, 1 no data, 1 without a target"


def test_red_items_name_the_value_and_the_page_of_their_area():
    rows = values(("litigation_cases_new", 2023, 5.0, "red"), ("disclosure_items", 2023, 80.0, "red"),
                  ("mediation_satisfaction", 2023, 95.0, "green"), ("litigation_cases_new", 2022, 9.0, "red"))
    red = frames.red_items(rows, 2023, "zh")
    assert red.to_dict("records") == [
        {"indicator_id": "litigation_cases_new", "label": "新增行政诉讼案件 5件", "page": "pages/cases.py"},
        {"indicator_id": "disclosure_items", "label": "主动公开信息 80条", "page": "pages/disclosure.py"}]
    assert frames.red_items(rows, 2021, "en").empty


def test_overdue_actions_of_the_year_with_their_owner():
    actions = pd.DataFrame({
        "action_id": ["A1", "A2", "A3", "A4"], "title": ["配备律师", "规范性文件审核", "旧任务", "按期"],
        "owner": ["综合办", None, "司法所", "综合办"],
        "due_date": pd.to_datetime(["2024-06-30", "2024-03-31", "2023-12-31", "2024-12-31"]),
        "status": ["推进中", "未启动", "推进中", "推进中"], "plan_year": [2024, None, 2023, 2024],
        "overdue": [True, True, True, False], "weak_area_zh": ["行政争议", "依法行政", None, "行政争议"],
        "weak_area_en": ["Disputes", "Administration", None, "Disputes"]})
    table = frames.overdue_actions(actions, 2024, "zh")
    assert table.to_dict("records") == [
        {"任务": "配备律师", "责任科室": "综合办", "完成时限": "2024-06-30", "短板": "行政争议"},
        {"任务": "规范性文件审核", "责任科室": "", "完成时限": "2024-03-31", "短板": "依法行政"}]
    assert list(frames.overdue_actions(actions, 2022, "en").columns) == ["Action", "Owner", "Due", "Weak area"]
    assert frames.overdue_actions(actions, 2022, "en").empty
    assert frames.actions_of_year(actions, 2024)["action_id"].tolist() == ["A1", "A2", "A4"]


def test_verdict_score_of_the_total_or_nothing():
    scores = pd.DataFrame({"level": ["indicator", "total"], "points": [4.0, 76.64], "max_points": [5.0, 100.0]})
    assert frames.verdict_score(scores, "zh") == "预计得分 76.64 / 100"
    assert frames.verdict_score(scores, "en") == "Predicted score 76.64 / 100"
    assert frames.verdict_score(scores[scores["level"] == "indicator"], "zh") == ""
    assert frames.verdict_score(scores.assign(points=[NAN, NAN]), "zh") == ""


def test_coverage_grid_says_where_each_value_comes_from():
    v = values(("litigation_cases_new", 2021, 4.0), ("litigation_cases_new", 2022, NAN, "no_data", None, None,
                                                      "该年度无诉讼记录"),
               ("mediation_cases", 2022, 9.0, "none", None, None, None, "来源：已发布报告（2022年报告）"),
               ("disclosure_items", 2021, 5.0, "none", None, None, None, "示例数据（示意，非公开数字）"),
               ("disclosure_items", 2022, 6.0, "none", None, None, None, "2022年法治政府建设年度报告"))
    v["source"] = ["cases", "cases", "cases", "reported_values", "reported_values"]
    grid = frames.coverage_grid(v, "zh")
    assert grid.columns.tolist() == ["指标", "2021", "2022"]
    assert grid.values.tolist() == [["新增行政诉讼案件", "记录", "无数据"], ["矛盾纠纷调解", "无数据", "已发布报告"],
                                    ["主动公开信息", "示意", "上报"]]
    details = frames.coverage_details(v, "zh")
    assert details.values.tolist() == [
        ["新增行政诉讼案件", "2022", "无数据", "该年度无诉讼记录"],
        ["矛盾纠纷调解", "2022", "已发布报告", "来源：已发布报告（2022年报告）"],
        ["主动公开信息", "2021", "示意", "示例数据（示意，非公开数字）"],
        ["主动公开信息", "2022", "上报", "2022年法治政府建设年度报告"]]
    assert frames.coverage_grid(v, "en").iloc[0].tolist() == ["New lawsuits", "records", "no data"]


def test_export_frame_has_headers_in_the_reader_s_language_and_rounds_as_shown():
    data = pd.DataFrame({"year": [2022, 2023], "count": [213.0, 228.0], "rate": [95.68062827225131, NAN],
                         "value": [0.666666, 2.0]})
    zh = frames.export_frame(data, "zh")
    assert zh.columns.tolist() == ["年度", "数量", "比率（%）", "数值"]
    assert zh.astype(object).where(zh.notna(), None).values.tolist() == [[2022, 213, 95.7, 0.67], [2023, 228, None, 2.0]]
    assert frames.export_frame(data, "en").columns.tolist() == ["Year", "Count", "Rate (%)", "Value"]


def test_a_mean_shows_no_numerator():
    v = values(("mediation_satisfaction", 2022, 96.3, "amber", 23475.0, 244.0))
    v["kind"] = ["mean"]
    table = frames.indicator_table(v, "zh")
    assert table[["分子", "分母"]].values.tolist() == [["", "244"]]
