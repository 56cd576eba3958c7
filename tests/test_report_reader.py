"""Reading published reports: figures proposed from sentences and tables (etl.report_reader), the
statutory GI tables (etl.gi_report_reader), the `read-report` command, and the fixture reports."""
from __future__ import annotations

import csv
import json

import pytest
from report_fixture_files import FIXTURES, expected, make_docx, make_pdf
from test_report_figures import AT_LEAST_2022, EXACT_2022

from etl.__main__ import main
from etl.errors import FileReadError
from etl.gi_annual import match_cell
from etl.gi_report_reader import read_gi_tables
from etl.report_document import (
    Document,
    load_document,
    read_document,
    text_lines_to_blocks,
)
from etl.report_phrases import INDICATORS_CSV, MODES, PARTS, load_rules
from etl.report_reader import KEYS, ReportReadError, read_document_figures, read_report

SEED = FIXTURES / "nanxing_2022_fazhi_seed.txt"
CATALOGUE = [row["indicator_id"] for row in csv.DictReader(INDICATORS_CSV.open(encoding="utf-8"))]


def doc(text: str) -> Document:
    return Document("t.txt", text_lines_to_blocks(text.splitlines()))


def read(text: str, year: int = 2022, **kw):
    return read_document_figures(doc(text), year, **kw)


def figures(text: str, **kw) -> list[tuple]:
    """(indicator_id, value, unit, qualifier) of each proposed figure, in the order proposed."""
    return [(f.indicator_id, f.value, f.unit, f.qualifier) for f in read(text, **kw).figures]


# ---- item 5 of issue 12, rule by rule ------------------------------------------------------------

@pytest.mark.parametrize("text, expected", [
    ("尚法工作室化解纠纷200余件。", [("mediation_cases", 200, "件", "at_least")]),
    ("提供法律咨询500人次以上。", [("legal_services", 500, "人次", "at_least")]),
    ("发放普法资料至少3000份。", [("materials_distributed", 3000, "份", "at_least")]),
    ("开展普法讲座超过90场。", [("outreach_lectures", 90, "场", "at_least")]),
    ("凤凰公益服务社区服务超5000人次。", [("volunteer_service", 5000, "人次", "at_least")]),
    ("提供法律咨询300多人次。", [("legal_services", 300, "人次", "at_least")]),
    # 共计, 累计, 全年 are not qualifiers
    ("全年共计开展普法讲座30场。", [("outreach_lectures", 30, "场", "exact")]),
    ("累计发放普法资料3000份。", [("materials_distributed", 3000, "份", "exact")]),
    # a limit or a target is not a figure
    ("力争新增行政诉讼案件不超过3件。", []),
])
def test_qualifiers(text, expected):
    assert figures(text) == expected


def test_one_number_for_several_indicators():
    assert figures("矛盾纠纷调解成功率、满意度均为100%。") == [
        ("mediation_success_rate", 100, "%", "exact"), ("mediation_satisfaction", 100, "%", "exact")]
    # Items no phrase names are still two figures, for the analyst to map.
    assert figures("12345工单办结率、满意率均为100%。") == [(None, 100, "%", "exact"), (None, 100, "%", "exact")]
    assert figures("新增行政复议和行政诉讼案件均为0件。") == [
        ("review_cases_new", 0, "件", "exact"), ("litigation_cases_new", 0, "件", "exact")]


def test_items_paired_with_numbers_by_fenbie():
    assert figures("新增行政复议、行政诉讼案件分别为0件、2件。") == [
        ("review_cases_new", 0, "件", "exact"), ("litigation_cases_new", 2, "件", "exact")]


def test_number_before_the_noun():
    assert figures("开展15次行政辅导。") == [(None, 15, "次", "exact")]
    assert figures("举办3场普法讲座。") == [("outreach_lectures", 3, "场", "exact")]
    assert figures("43个公益社团参与基层普法。") == [("public_interest_orgs", 43, "个", "exact")]
    # A verb between a phrase and the number: the number counts the noun after its unit.
    assert figures("普法讲座结束后开展15次行政辅导。") == [(None, 15, "次", "exact")]


@pytest.mark.parametrize("text", ["理论学习中心组每季一次开展专题学法，全年共4次。", "专题学法每季一次共4次。",
                                  "理论学习中心组每季一次共4次专题学法。"])
def test_a_frequency_before_the_total(text):
    assert figures(text) == [("study_sessions", 4, "次", "exact")]


@pytest.mark.parametrize("text, expected", [
    ("受理矛盾纠纷85件，较去年下降41%。", [("mediation_cases", 85, "件", "exact")]),
    ("新增行政复议案件5件，同比增长12件。", [("review_cases_new", 5, "件", "exact")]),
    ("受理矛盾纠纷120件同比增长12件。", [("mediation_cases", 120, "件", "exact")]),
    ("行政诉讼案件较2020年减少3件。", []),
    ("满意率提高5个百分点。", []),
    ("便民活动增长至35场。", [("outreach_events", 35, "场", "exact")]),
])
def test_changes_are_not_levels(text, expected):
    assert figures(text) == expected


@pytest.mark.parametrize("text", [
    "根据上政办发〔2022〕12号文件，自2022年5月1日起开展专项整治。",
    "12345热线、8890平台和12348法律服务热线受理群众诉求，咨询电话0571-87654321、13800000000。",
    "学习《法治政府建设实施纲要（2021—2025年）》和《纲要(20212025)》精神。",
    "1.健全机制。2、完善制度。（3）加强培训。第3次会议研究了第二十条第（一）项。",
    "今年5月出台制度，12月31日前完成，20个工作日内答复，3个月内整改。",
])
def test_digits_that_are_not_figures(text):
    assert figures(text) == []


@pytest.mark.parametrize("text, expected", [
    ("全年未发生行政诉讼案件。", [("litigation_cases_new", 0, "件", "exact")]),
    ("街道无配备公职律师。", [("public_lawyers", 0, "人", "exact")]),
    ("全年无新增行政复议案件。", [("review_cases_new", 0, "件", "exact")]),
    ("行政复议案件为零。", [("review_cases_new", 0, "件", "exact")]),
    ("行政诉讼败诉率为0。", [("litigation_loss_rate", 0, "%", "exact")]),
    ("实现行政诉讼零败诉。", [("litigation_loss_rate", 0, "%", "exact")]),
    ("全年未收到政府信息公开申请。", [("disclosure_requests", 0, "件", "exact")]),
    # 无 before something that is no indicator's phrase, or 未发生 before a cause, is not zero of anything
    ("未发生因政府信息公开申请提起的行政复议和行政诉讼案件。无正当理由的申请不予处理。", []),
])
def test_zero_in_words(text, expected):
    assert figures(text) == expected


def test_chinese_numerals():
    assert figures("开展两次专题学法，化解纠纷十二件，受理矛盾纠纷一百四十二件。") == [
        ("study_sessions", 2, "次", "exact"), ("mediation_cases", 12, "件", "exact"),
        ("mediation_cases", 142, "件", "exact")]
    assert figures("开展线上线下普法讲座共八十余场。") == [("outreach_lectures", 80, "场", "at_least")]
    # Numerals in idioms name nothing and are no figure.
    assert figures("编制一张表单，做到两个维护，实现一次办结。") == []


def test_parts_that_do_not_add_up_are_kept_and_flagged():
    reading = read("共主动公开政府信息180条，其中政务动态85条，财政信息20条。")
    assert [(f.indicator_id, f.value) for f in reading.figures] == [("disclosure_items", 180), (None, 85), (None, 20)]
    assert reading.checks == [("分项之和 105条 与总数 180条 不一致（两者均已列出，请核对）："
                               "共主动公开政府信息180条，其中政务动态85条，财政信息20条。")]
    assert read("共主动公开政府信息105条，其中政务动态85条，财政信息20条。").checks == []
    # 另有 starts what is not a part of the total
    assert read("行政诉讼案件审结3件，其中败诉1件，另有1件尚在审理中。").checks == []


def test_mixed_punctuation_and_full_width_digits():
    assert figures("举办普法讲座３０场，发放普法资料2000份;提供法律咨询300人次.便民活动２０场") == [
        ("outreach_lectures", 30, "场", "exact"), ("materials_distributed", 2000, "份", "exact"),
        ("legal_services", 300, "人次", "exact"), ("outreach_events", 20, "场", "exact")]


def test_sentences_run_together():
    assert figures("尚法工作室化解纠纷200余件,居民满意度达100%开展线上、线下普法讲座90余场") == [
        ("mediation_cases", 200, "件", "at_least"), ("mediation_satisfaction", 100, "%", "exact"),
        ("outreach_lectures", 90, "场", "at_least")]
    assert figures("新增行政复议案件1件新增行政诉讼案件2件均已审结") == [
        ("review_cases_new", 1, "件", "exact"), ("litigation_cases_new", 2, "件", "exact"),
        ("litigation_concluded", 2, "件", "exact")]


def test_tables_flattened_to_text_with_year_columns_and_units():
    reading = read("主要指标\t2021年\t2022年\n新增行政复议案件（件）\t1\t0\n普法讲座（场）\t85\t90余")
    assert [(f.indicator_id, f.year, f.value, f.unit, f.qualifier) for f in reading.figures] == [
        ("review_cases_new", 2021, 1, "件", "exact"), ("review_cases_new", 2022, 0, "件", "exact"),
        ("outreach_lectures", 2021, 85, "场", "exact"), ("outreach_lectures", 2022, 90, "场", "at_least")]
    assert figures("指标 | 单位 | 数值\n主动公开信息 | 条 | 175\n办结率 | % | 98") == [
        ("disclosure_items", 175, "条", "exact"), (None, 98, "%", "exact")]


def test_unit_variants_become_the_catalogue_unit():
    assert figures("调解矛盾纠纷30宗，另受理民间纠纷12起。聘请法律顾问2名。主动公开政府信息42篇。") == [
        ("mediation_cases", 30, "件", "exact"), ("mediation_cases", 12, "件", "exact"),
        ("legal_advisers", 2, "人", "exact"), ("disclosure_items", 42, "条", "exact")]
    # A unit the indicator is not counted in does not map: lectures are not counted in 人次.
    assert figures("普法讲座参与群众3000人次。") == [(None, 3000, "人次", "exact")]


# ---- further rules -------------------------------------------------------------------------------

def test_all_of_a_count_and_a_count_of_its_own():
    assert figures("新增行政诉讼案件2件，均已审结并胜诉，负责人均出庭应诉。") == [
        ("litigation_cases_new", 2, "件", "exact"), ("litigation_concluded", 2, "件", "exact"),
        ("litigation_loss_rate", 0, "%", "exact"), ("leader_appearance_rate", 100, "%", "exact")]
    assert figures("新增行政诉讼案件5件，已审结3件。") == [
        ("litigation_cases_new", 5, "件", "exact"), ("litigation_concluded", 3, "件", "exact")]
    # no lawsuit: "all won" is no rate
    assert figures("新增行政诉讼案件0件，均胜诉。") == [("litigation_cases_new", 0, "件", "exact")]


def test_communities_named_are_counted_and_a_community_subject_is_kept():
    text = ("馒头山社区被司法部、民政部授予全国民主法治示范村(社区)荣誉称号海月桥社区、白塔岭社区先后被授予"
            "浙江省民主法治示范社区。白塔岭社区举办普法讲座10场，水澄桥社区举办普法讲座8场。")
    assert [(f.indicator_id, f.community, f.value) for f in read(text).figures] == [
        ("designated_national", None, 1), ("designated_provincial", None, 2),
        ("outreach_lectures", "白塔岭社区", 10), ("outreach_lectures", "水澄桥社区", 8)]
    # With the communities of a database: aliases are names too.
    names = {"馒头山": "馒头山社区", "馒头山社区": "馒头山社区"}
    assert [(f.indicator_id, f.community, f.value) for f in read("馒头山开展普法讲座3场。", communities=names).figures] == [
        ("outreach_lectures", "馒头山社区", 3)]


def test_a_ratio_without_unit_and_a_rate_in_context():
    assert figures("复议诉讼比为0.75，复议诉讼比达到2件。") == [("review_litigation_ratio", 0.75, "比值", "exact"),
                                                            (None, 2, "件", "exact")]
    # 满意度 names mediation satisfaction only where the sentence is about disputes
    assert figures("群众满意度达95%。") == [(None, 95, "%", "exact")]


def test_the_year_of_a_sentence_a_paragraph_and_the_report():
    reading = read("2021年，新增行政诉讼案件3件。\n2021年以来共开展普法讲座30场。\n截止到2021年12月，主动公开信息423条。")
    assert [(f.indicator_id, f.year) for f in reading.figures] == [
        ("litigation_cases_new", 2021), ("outreach_lectures", 2022), ("disclosure_items", 2022)]
    assert read_document_figures(doc("南星街道法治政府建设年度报告\n开展普法讲座3场。\n2023年1月16日")).year == 2022
    with pytest.raises(ReportReadError, match="无法从标题或落款日期确定报告年度"):
        read_document_figures(doc("开展普法讲座3场。"))


def test_the_next_years_plan_and_targets_are_not_figures():
    text = "一、主要成效\n开展普法讲座30场。\n四、2023年工作安排\n开展普法讲座100场。\n五、其他\n发放普法资料500份。"
    assert figures(text) == [("outreach_lectures", 30, "场", "exact"), ("materials_distributed", 500, "份", "exact")]
    assert figures("计划开展普法讲座100场，确保发放资料2000份。") == []


def test_one_indicator_with_two_values_is_kept_twice_and_flagged():
    reading = read("开展普法讲座30场。开展普法讲座30场。另举办普法讲座32场。")
    assert [(f.indicator_id, f.value) for f in reading.figures] == [("outreach_lectures", 30),
                                                                    ("outreach_lectures", 32)]
    assert reading.checks == ["outreach_lectures（2022年，value）在报告中有不同数值：30、32，请选定一个"]


def test_the_phrase_table_names_only_catalogue_indicators_and_covers_them_all():
    rules = load_rules()
    assert {r.indicator_id for r in rules} == set(CATALOGUE)
    assert all(r.mode in MODES and r.part in PARTS and r.phrases and r.units for r in rules)
    assert all(r.of in CATALOGUE for r in rules if r.mode == "all")
    assert all(r.value is not None for r in rules if r.mode == "fixed")


# ---- the seed report -----------------------------------------------------------------------------

def test_the_seed_report_gives_every_2022_figure_of_test_report_figures():
    reading = read_report(SEED)
    assert reading.year == 2022
    assert reading.title == "杭州市上城区人民政府南星街道办事处2022年法治政府建设年度报告"
    whole = {(f.indicator_id, f.value, f.qualifier) for f in reading.figures
             if f.indicator_id and f.year == 2022 and f.community is None and f.part == "value"}
    assert {(k, v, "exact") for k, v in EXACT_2022.items()} <= whole
    assert {(k, v, "at_least") for k, v in AT_LEAST_2022.items()} <= whole


def test_the_seed_report_gives_no_wrong_value_for_any_catalogue_indicator():
    reading = read_report(SEED)
    stated = {**{(k, "value"): (v, "exact") for k, v in EXACT_2022.items()},
              **{(k, "value"): (v, "at_least") for k, v in AT_LEAST_2022.items()},
              ("discretion_refinement_rate", "denominator"): (165, "exact")}
    mapped = [f for f in reading.figures if f.indicator_id]
    assert {(f.indicator_id, f.part): (f.value, f.qualifier) for f in mapped} == stated
    assert len(mapped) == len(stated)
    assert all(f.year == 2022 and f.community is None for f in mapped)
    assert reading.checks == []


# ---- the fixture reports --------------------------------------------------------------------------

FIELDS = ("indicator_id", "year", "community", "part", "value", "qualifier")
# What the reader does not take from a fixture (also printed by bench/read_report_bench.py).
KNOWN_MISSES = {"nanxing_2020_fazhi.docx": {("litigation_loss_rate", 2020, None, "value", 0, "exact")}}


def check_fixture(name: str, path) -> None:
    want = expected(name)
    reading = read_report(path)
    got = {tuple(f.as_dict()[k] for k in FIELDS) for f in reading.figures if f.indicator_id}
    wanted = {tuple(f[k] for k in FIELDS) for f in want["figures"]}
    assert reading.year == want["year"]
    assert got == wanted - KNOWN_MISSES.get(name, set())
    assert len(reading.checks) == want["checks"]


@pytest.mark.parametrize("name", ["nanxing_2022_fazhi_seed.txt", "nanxing_2021_fazhi.txt", "nanxing_2023_gi.html"])
def test_a_kept_fixture_report_gives_its_expected_figures(name):
    check_fixture(name, FIXTURES / name)


def test_a_word_report_made_here_gives_its_expected_figures(tmp_path):
    check_fixture("nanxing_2020_fazhi.docx", make_docx(FIXTURES / "nanxing_2020_fazhi.docx.json",
                                                       tmp_path / "nanxing_2020_fazhi.docx"))


def test_a_pdf_printed_by_chromium_gives_its_expected_figures(tmp_path):
    check_fixture("nanxing_2019_fazhi.pdf", make_pdf(FIXTURES / "nanxing_2019_fazhi.pdf.html",
                                                     tmp_path / "nanxing_2019_fazhi.pdf"))


def test_the_2021_fixture_flags_its_categories_that_do_not_add_up():
    assert read_report(FIXTURES / "nanxing_2021_fazhi.txt").checks == [
        ("分项之和 163条 与总数 162条 不一致（两者均已列出，请核对）：街道全年主动公开政府信息162条，其中政务动态80条、"
         "财政信息18条、公示公告14条、年报5条、民生实事6条、其他40条。")]


def test_an_unsupported_file_is_refused_by_name(tmp_path):
    path = tmp_path / "report.xlsx"
    path.write_bytes(b"x")
    with pytest.raises(FileReadError, match="不支持的文件类型"):
        read_document(path)
    with pytest.raises(FileReadError, match="不是有效的 Word"):
        load_document(b"not a zip", "report.docx")


# ---- the statutory GI tables ------------------------------------------------------------------------

def test_the_gi_tables_of_an_html_report_with_merged_and_blank_cells():
    reading = read_gi_tables(read_document(FIXTURES / "nanxing_2023_gi.html"), 2023)
    want = expected("nanxing_2023_gi.html")["gi_cells"]
    assert [(r["table"], r["row"], r["column"], r["value"]) for r in reading.rows()] == [
        (c["table"], c["row"], c["column"], c["value"]) for c in want]
    assert reading.violations == [] and reading.problems == []
    assert {r["note"] for r in reading.rows()} == {"南星街道2023年政府信息公开工作年度报告"}
    # Every cell is one gi_annual knows, as the staging of a gi_annual file will match it.
    assert all(match_cell(r["table"], r["row"], r["column"]) for r in reading.rows())


GI_TEXT = """某街道2021年政府信息公开工作年度报告
二、主动公开政府信息情况
第二十条第(一)项 | |||
信息内容 |
本年制发件数 |
本年废止件数 |
现行有效件数 |
规章 |
0 |
0 |
0 |
行政规范性文件 |
1 |
0 |
2 |
第二十条第(六)项 | |||
行政处罚 |
7 | ||
三、收到和处理政府信息公开申请情况
申请人情况 自然人 法人或其他组织 总计
一、本年新收政府信息公开申请数量 1 0 0 0 0 0 1
二、上年结转政府信息公开申请数量 0 0 0 0 0 0 0
三、本年度办理结果 （一）予以公开 1 0 0 0 0 0 1
（七）总计 1 0 0 0 0 0 2
四、结转下年度继续办理

0
四、政府信息公开行政复议、行政诉讼情况
行政复议 行政诉讼
0 0 0 0 0 0 0 0 0 0 0 0 0 0
五、存在的主要问题及改进情况
无。"""


def test_the_gi_tables_flattened_to_text_with_the_identity_check():
    reading = read_gi_tables(doc(GI_TEXT), 2021)
    assert {(t, r, c): v for (t, r, c), v in reading.cells.items() if v} == {
        ("表二", "行政规范性文件", "本年制发件数"): 1, ("表二", "行政规范性文件", "现行有效件数"): 2,
        ("表二", "行政处罚", "本年处理决定数量"): 7,
        ("表三", "本年新收政府信息公开申请数量", "自然人"): 1, ("表三", "本年新收政府信息公开申请数量", "总计"): 1,
        ("表三", "予以公开", "自然人"): 1, ("表三", "予以公开", "总计"): 1,
        ("表三", "总计", "自然人"): 1, ("表三", "总计", "总计"): 2}
    # A row with one number gives its 总计 (the other cells were blank and vanished when flattened).
    assert reading.cells[("表三", "结转下年度继续办理", "总计")] == 0
    assert reading.violations == [
        "2021年表三“总计”列：本年新收 1 + 上年结转 0 = 1，但总计 2 + 结转下年度 0 = 2。",
        "2021年表三“总计”列：办理结果各项之和 1 不等于（七）总计 2。",
        "2021年表三“总计”行：各类申请人之和 1 不等于总计 2。"]
    assert reading.problems == ["表四应有一行 15 个数，读到的行有 14 个，未读取。"]
    # The tables are not read again as figures; 表三 gives 依申请公开.
    assert [(f.indicator_id, f.value) for f in read_document_figures(doc(GI_TEXT), 2021).figures] == [
        ("disclosure_requests", 1)]


# ---- the command -----------------------------------------------------------------------------------

def test_read_report_json_has_exactly_the_contract_keys(capsys, tmp_path):
    assert main(["read-report", str(SEED), "--format", "json", "--db", str(tmp_path / "none.duckdb")]) == 0
    rows = json.loads(capsys.readouterr().out)
    assert all(tuple(row) == KEYS for row in rows)
    assert {"indicator_id": "study_sessions", "year": 2022, "community": None, "part": "value", "value": 2,
            "unit": "次", "qualifier": "exact", "sentence": "全年开展理论学习中心组专题学法2次。"} in rows
    assert sum(1 for row in rows if row["indicator_id"] is None) == 6


def test_read_report_table_and_year_option(capsys, tmp_path):
    path = tmp_path / "r.txt"
    path.write_text("南星街道法治政府建设工作报告\n全年开展专题学法3次。\n", encoding="utf-8")
    assert main(["read-report", str(path), "--db", str(tmp_path / "none.duckdb")]) == 1
    assert "无法从标题或落款日期确定报告年度" in capsys.readouterr().err
    assert main(["read-report", str(path), "--year", "2019", "--db", str(tmp_path / "none.duckdb")]) == 0
    out = capsys.readouterr().out
    assert out.splitlines()[0] == "南星街道法治政府建设工作报告（2019年）：1 个数字，1 个已对应指标"
    assert "study_sessions  2019  街道  value  3     次" in out


def test_read_report_tables_prints_the_cells_and_fails_on_a_broken_identity(capsys, tmp_path):
    path = tmp_path / "gi.txt"
    path.write_text(GI_TEXT, encoding="utf-8")
    assert main(["read-report", str(path), "--tables", "--format", "json", "--db", str(tmp_path / "x")]) == 1
    out = json.loads(capsys.readouterr().out)
    assert {"year": 2021, "table": "表二", "row": "行政处罚", "column": "本年处理决定数量", "value": 7,
            "note": "某街道2021年政府信息公开工作年度报告"} in out["cells"]
    assert len(out["violations"]) == 3
    assert main(["read-report", str(FIXTURES / "nanxing_2023_gi.html"), "--tables", "--db", str(tmp_path / "x")]) == 0
    assert "表格单元格 78 个" in capsys.readouterr().out
