"""Every page of the app under AppTest, for several filter combinations, against the sample build.

Tile values for 2022 must equal the figures the 2022 annual report publishes (domain.md §5).
"""
from __future__ import annotations

import base64
import re
import shutil
from pathlib import Path

import duckdb
import numpy as np
import plotly.graph_objects as go
import plotly.io as pio
import pytest
from streamlit.testing.v1 import AppTest

from test_queries import make_tiny_db

ROOT = Path(__file__).resolve().parent.parent
PAGES = ("cockpit", "cases", "disclosure", "outreach", "designations", "weak_areas", "methodology", "data_quality",
         "subdistricts")
COMBINATIONS = {
    "whole subdistrict": {"year": "2022"},
    "one community": {"year": "2022", "community": "馒头山社区"},
    "year without data": {"year": "2020"},
    "several communities, compared": {"year": "2023", "community": ["海月桥社区", "白塔岭社区"], "compare": "2021"},
    "english": {"year": "2022", "lang": "English"},
}
CJK = re.compile(r"[\u4e00-\u9fff]")
SAMPLE_BANNER = "示例数据 · 非真实数据：本页数字为示意值，不得作为工作成果引用或转发。"


@pytest.fixture()
def sample(sample_db, monkeypatch):
    monkeypatch.setenv("COCKPIT_DB", str(sample_db))
    return sample_db


def run(page: str, params: dict | None = None) -> AppTest:
    at = AppTest.from_file(str(ROOT / "dashboard.py"), default_timeout=60)
    for key, value in (params or {}).items():
        at.query_params[key] = value
    at.run()
    if page != "cockpit":
        at.switch_page(f"pages/{page}.py").run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def array(values) -> list:
    """A trace's values; plotly sends numeric arrays base64-encoded ({dtype, bdata})."""
    if isinstance(values, dict):
        return np.frombuffer(base64.b64decode(values["bdata"]), dtype=values["dtype"]).tolist()
    return list(values)


def tiles(at: AppTest) -> dict[str, str]:
    return {m.label: m.value for m in at.metric}


def texts(at: AppTest) -> str:
    parts = [m.value for m in at.markdown] + [c.value for c in at.caption] + [i.value for i in at.info]
    parts += [w.value for w in at.warning] + [h.value for h in at.title] + [h.value for h in at.subheader]
    return "\n".join(parts)


def ui_labels(at: AppTest) -> list[str]:
    """Every UI text a page shows outside data cells and option lists: headings, notes, messages, widget
    labels, table headers. The language switch's own label is bilingual on purpose and left out."""
    parts = [e.value for kind in ("title", "subheader", "header", "caption", "markdown", "info", "warning", "success",
                                  "error") for e in at.get(kind)]
    parts += [e.label for kind in ("button", "download_button", "selectbox", "multiselect", "toggle", "expander",
                                   "file_uploader", "status") for e in at.get(kind)]
    parts += [e.label for e in at.radio if e.key != "lang"]
    parts += [str(column) for df in at.dataframe for column in df.value.columns]
    return parts


def chinese_labels(at: AppTest) -> list[str]:
    return [label for label in ui_labels(at) if CJK.search(label)]


def charts(at: AppTest) -> list[go.Figure]:
    return [pio.from_json(chart.proto.spec) for chart in at.get("plotly_chart")]


@pytest.mark.parametrize("combination", COMBINATIONS)
@pytest.mark.parametrize("page", PAGES)
def test_every_page_runs_for_every_combination(sample, page, combination):
    params = COMBINATIONS[combination]
    at = run(page, params)
    shown = texts(at)
    if params.get("lang") == "English":
        # Chinese may remain only in record values (names, titles) — never in headings or labels.
        headings = [h.value for h in at.title] + [h.value for h in at.subheader if not h.value.startswith("W")]
        assert headings and not any(CJK.search(h) for h in headings), headings
    if params["year"] == "2020" and page in ("cockpit", "cases", "outreach"):
        assert "没有数据" in shown
    if page == "cockpit" and isinstance(params.get("community"), list):
        assert "多社区合计：计数相加，比率按分子、分母合计重算。" in shown
    if page in ("cockpit", "cases", "disclosure", "outreach", "designations", "weak_areas"):
        scope = "馒头山社区" if params.get("community") == "馒头山社区" else None
        if scope and params.get("lang") != "English":
            assert f"范围：{scope}；年度：{params['year']}" in shown


def test_cockpit_2022_tiles_are_the_report_figures(sample):
    shown = tiles(run("cockpit", {"year": "2022"}))
    assert shown["新增行政诉讼案件"] == "2件"
    assert shown["新增行政复议案件"] == "0件"
    assert shown["负责人出庭应诉率"] == "100%"
    assert shown["主动公开信息"] == "175条"
    assert shown["民主法治社区覆盖率"] == "100%"
    # "200余件", "90余场": at least the published floor
    assert int(shown["矛盾纠纷调解"].removesuffix("件").replace(",", "")) >= 200
    assert int(shown["普法讲座（线上+线下）"].removesuffix("场").replace(",", "")) >= 90
    assert shown["预计得分（满分 100 分）"] == "76.64 分"   # illustrative targets (data/sample/README.md)
    assert len(shown) == 8 + 1


def test_cockpit_default_year_is_the_latest_with_data(sample):
    at = run("cockpit")
    with duckdb.connect(str(sample), read_only=True) as con:
        latest = con.execute("SELECT max(year) FROM mart_indicator_values WHERE value IS NOT NULL").fetchone()[0]
    assert f"年度：{latest}" in texts(at)
    assert at.sidebar.selectbox[0].value == latest


def test_cockpit_one_community_shows_that_communitys_mart_values(sample):
    shown = tiles(run("cockpit", {"year": "2022", "community": "馒头山社区"}))
    with duckdb.connect(str(sample), read_only=True) as con:
        lawsuits, mediations = (con.execute(
            "SELECT value FROM mart_indicator_values WHERE indicator_id = ? AND year = 2022 AND community_id = 'NX01'",
            [indicator]).fetchone()[0] for indicator in ("litigation_cases_new", "mediation_cases"))
    assert shown["新增行政诉讼案件"] == f"{lawsuits:,.0f}件"
    assert shown["矛盾纠纷调解"] == f"{mediations:,.0f}件"
    # disclosure records carry no community: said in words, not shown as 0
    assert shown["主动公开信息"] == "无数据"
    assert shown["预计得分（满分 50 分）"] == "50 分"      # against the community targets only


def test_cockpit_community_without_a_community_target_has_no_colour(sample):
    at = run("cockpit", {"year": "2022", "community": "馒头山社区"})
    shown = texts(at)
    assert "无社区目标" in shown
    assert ":red-badge[" not in shown        # nothing is red against the subdistrict's target
    assert "0 项未达标，5 项无数据，2 项无社区目标" in shown
    assert "目标 ≥ 60件" in shown                                          # its own row, an earlier year's
    assert "2022 年没有本年度的指标目标，状态和得分按 2021 年目标评价。" in shown


def test_cockpit_predicted_score_and_points_lost_largest_first(sample):
    at = run("cockpit", {"year": "2022"})
    score = next(m for m in at.metric if m.label == "预计得分（满分 100 分）")
    assert score.value == "76.64 分"
    assert "另有 5 分的指标暂无数据，未计分：行政复议纠错率；目标与分值为示例" in texts(at)
    assert "**失分（按指标，从多到少）**" in texts(at)


def test_cockpit_tile_change_and_weak_areas(sample):
    at = run("cockpit", {"year": "2022", "compare": "2021"})
    lawsuits = next(m for m in at.metric if m.label == "新增行政诉讼案件")
    assert lawsuits.proto.delta_description == "较2021年"
    shown = texts(at)
    assert "W1 行政争议诉源治理与实质化解" in shown and "W2 法治基层基础建设" in shown
    assert "逾期" in shown
    assert "数据：示例数据" in shown


def test_cockpit_disclosure_tile_is_on_one_basis_when_channels_differ(sample):
    at = run("cockpit", {"year": "2023"})
    with duckdb.connect(str(sample), read_only=True) as con:
        rows = con.execute("SELECT indicator_id, year, value, status FROM mart_indicator_values WHERE indicator_id IN "
                           "('disclosure_items', 'disclosure_items_website') AND community_id IS NULL").fetchall()
    value = {(i, y): v for i, y, v, _ in rows}
    status = {(i, y): s for i, y, _, s in rows}
    assert "主动公开信息" not in tiles(at)                 # no tile mixes the all-channel figure with the website's
    items = next(m for m in at.metric if m.label == "主动公开信息（网站）")
    website, before = value[("disclosure_items_website", 2023)], value[("disclosure_items_website", 2022)]
    assert items.value == f"{website:,.0f}条"
    change = website - before
    assert items.proto.delta == (f"-{abs(change):,.0f}条" if change < 0 else f"+{change:,.0f}条")
    badge = {"green": "达标", "amber": "预警", "red": "未达标"}[status[("disclosure_items_website", 2023)]]
    shown = texts(at)
    assert f"-badge[{badge}] 目标 ≥ 150条" in shown
    assert f"全部渠道：{value[('disclosure_items', 2023)]:,.0f}条".replace(",", r"\,") in shown   # literal text
    assert "各年统计渠道不同：本卡按可跨年比较的网站口径" in shown


def test_english_switch_translates_the_cockpit(sample):
    at = run("cockpit", {"year": "2022", "lang": "English"})
    labels = list(tiles(at))
    assert "New administrative review cases" in labels
    assert not any(CJK.search(label) for label in labels)
    assert tiles(at)["Leader court appearance rate"] == "100%"
    assert at.subheader[0].value == "Rule-of-law cockpit"


def test_unknown_url_values_are_ignored_with_a_notice(sample):
    at = run("cockpit", {"year": "1888", "community": "火星社区", "lang": "klingon"})
    # The values come from a link anyone can write: shown as Markdown-escaped literal text.
    assert [w.value for w in at.warning] == [SAMPLE_BANNER,
                                             r"链接中的以下参数值无法识别，已忽略：lang\=klingon、community\=火星社区、year\=1888"]
    assert at.sidebar.multiselect[0].value == []
    at.sidebar.selectbox[0].set_value(2022).run()
    assert [w.value for w in at.warning] == [SAMPLE_BANNER]


def test_disclosure_2022_categories_are_the_report_figures(sample):
    at = run("disclosure", {"year": "2022"})
    by_category = next(fig for fig in charts(at) if "政务动态" in list(fig.data[0].y or ()))
    counts = dict(zip(by_category.data[0].y, array(by_category.data[0].x)))
    assert list(counts.items()) == [("政务动态", 85), ("财政信息", 20), ("公示公告", 12), ("年报", 6), ("民生实事", 5),
                                    ("其他", 47)]


def test_disclosure_says_when_channels_differ_and_offers_website_only(sample):
    at = run("disclosure", {"year": "2023"})
    assert "各年度统计的渠道不同" in texts(at)
    toggle = at.toggle(key="disc_website_only")
    assert toggle.value is True
    assert [trace.name for trace in charts(at)[3].data] == ["主动公开信息（网站）"]
    toggle.set_value(False).run()
    assert [trace.name for trace in charts(at)[3].data] == ["主动公开信息", "主动公开信息（网站）"]


def test_cases_drill_down_reaches_records_with_source_file_and_row(sample):
    at = run("cases", {"year": "2022"})
    at.selectbox(key="drill_cases").set_value("litigation_cases_new").run()
    records = at.dataframe[-1].value
    assert len(records) == 2
    assert {"来源文件", "行号", "案件编号"} <= set(records.columns)
    assert set(records["案件类型"]) == {"行政诉讼"}
    assert records["行号"].min() >= 2


def test_years_are_category_axes(sample):
    at = run("cases", {"year": "2022"})
    by_year = charts(at)[0]
    assert by_year.layout.xaxis.type == "category"
    assert set(by_year.data[0].x) == {"2021", "2022", "2023", "2024"}


def test_designations_2022(sample):
    shown = tiles(run("designations", {"year": "2022"}))
    assert shown == {"全国民主法治示范社区": "1个", "省级民主法治示范社区": "3个", "民主法治社区覆盖率": "100%"}


def test_weak_areas_actions_filter_by_status(sample):
    at = run("weak_areas", {"year": "2022"})
    assert [h.value for h in at.subheader][:2] == ["W1 行政争议诉源治理与实质化解", "W2 法治基层基础建设"]
    before = sum(len(df.value) for df in at.dataframe)
    at.pills(key="wa_status").set_value(["已完成"]).run()
    after = [df.value for df in at.dataframe]
    assert sum(len(df) for df in after) < before
    assert all(set(df["状态"]) <= {"已完成"} for df in after if "状态" in df)


def test_methodology_lists_the_whole_catalogue(sample):
    at = run("methodology")
    table = next(df.value for df in at.dataframe if "ID" in df.value.columns)
    with duckdb.connect(str(sample), read_only=True) as con:
        catalogue = con.execute("SELECT indicator_id, formula_zh FROM ref_indicators ORDER BY sort_order").fetchall()
    assert sorted(table["ID"]) == sorted(i for i, _ in catalogue)
    assert dict(zip(table["ID"], table["计算公式"])) == dict(catalogue)


def test_methodology_shows_an_indicators_targets_by_scope_and_year_with_basis_points_and_rule(sample):
    at = run("methodology")
    at.selectbox(key="meth_indicator").set_value("mediation_cases").run()
    card, targets = at.dataframe[0].value, at.dataframe[1].value
    assert dict(zip(card["项目"], card["内容"]))["说明"] == "尚法工作室等调解组织受理的矛盾纠纷。"
    assert targets[["年度", "范围", "社区", "目标", "红线阈值", "分值", "计分方式", "依据"]].values.tolist() == [
        ["2021", "街道", "", "200件", "150件", "", "", "示例考核细则（示意，非真实文件）"],
        ["2021", "社区", "每个社区", "45件", "35件", "10", "按比例", "示例考核细则（示意，非真实文件）"],
        ["2021", "社区", "馒头山社区", "60件", "50件", "10", "按比例", "示例考核细则（示意，非真实文件）"],
        ["2023", "街道", "", "220件", "180件", "", "", "示例考核细则（示意，非真实文件）"],
        ["2023", "社区", "每个社区", "45件", "35件", "10", "按比例", "示例考核细则（示意，非真实文件）"],
        ["2023", "社区", "馒头山社区", "60件", "50件", "10", "按比例", "示例考核细则（示意，非真实文件）"],
    ]
    assert "社区只按范围“社区”的目标评价" in texts(at)


def test_data_quality_shows_rejects_with_reasons(sample):
    at = run("data_quality")
    rejects = next(df.value for df in at.dataframe if "字段" in df.value.columns)   # runs have a 原因 (why) too
    assert len(rejects) == 3
    assert set(rejects["来源文件"]) == {"outreach_2024-bad-rows.csv"}
    assert any("不是有效日期" in reason for reason in rejects["原因"])
    # fields by the Chinese template headers analysts fill in
    assert sorted(rejects["字段"]) == ["日期", "活动类型", "社区"]
    runs = next(df.value for df in at.dataframe if "结果" in df.value.columns)
    assert set(runs["结果"]) == {"已发布"}


def test_missing_database_is_said_in_words(monkeypatch, tmp_path):
    monkeypatch.setenv("COCKPIT_DB", str(tmp_path / "none.duckdb"))
    at = AppTest.from_file(str(ROOT / "dashboard.py"), default_timeout=60).run()
    assert not at.exception
    assert "未找到指标数据库" in at.error[0].value


def test_a_newly_published_database_is_read_without_restart(sample, monkeypatch, tmp_path):
    live = tmp_path / "live.duckdb"
    shutil.copy(sample, live)
    monkeypatch.setenv("COCKPIT_DB", str(live))
    at = AppTest.from_file(str(ROOT / "dashboard.py"), default_timeout=60)
    at.query_params["year"] = "2022"
    at.run()
    assert tiles(at)["新增行政诉讼案件"] == "2件"
    make_tiny_db(tmp_path / "new.duckdb").replace(live)   # the tiny DB has 2 lawsuits in 2022 too …
    at.run()
    assert tiles(at)["矛盾纠纷调解"] == "2件"             # … but only 2 mediations


@pytest.mark.parametrize("file", ["export_centre", "data_import"])
def test_navigation_holds_the_pages_of_the_other_parts(sample, file):
    at = run(file, {"year": "2022"})
    assert at.title[0].value == {"export_centre": "导出中心", "data_import": "数据导入"}[file]


@pytest.mark.parametrize("year", ["2022", "2023"])
@pytest.mark.parametrize("page", ["disclosure", "data_quality", "export_centre", "data_import"])
def test_english_pages_show_no_chinese_labels(sample, page, year):
    at = run(page, {"year": year, "lang": "English"})
    assert at.title and not chinese_labels(at), chinese_labels(at)
    if page == "disclosure":
        assert f"Government information disclosure annual report tables ({year})" in [s.value for s in at.subheader]
        assert [b.label for b in at.get("download_button") if b.key == "gi_tables_xlsx"] == [
            "Download tables II–IV (Excel, template layout)"]
    if page == "data_quality":
        assert "Database snapshots and restore" in [s.value for s in at.subheader]
        runs = next(df.value for df in at.dataframe if "Result" in df.value.columns)
        assert set(runs["Result"]) == {"published"}
    if page == "export_centre":
        assert [b.label for b in at.main.button] == ["Build export bundle"]
        assert at.selectbox(key="export_scope").options[0] == "whole subdistrict"
    if page == "data_import":
        assert [s.value for s in at.subheader][:2] == ["1. Download templates", "2. Upload files"]


def test_gi_tables_section_in_chinese(sample):
    at = run("disclosure", {"year": "2022"})
    assert "政府信息公开工作年度报告表格（2022年）" in [s.value for s in at.subheader]
    assert "按国办公开办函〔2021〕30号模板排列；已导入已发布年报的年度以已发布数为准，其余由台账计算。" in [c.value for c in at.caption]
    assert [b.label for b in at.get("download_button") if b.key == "gi_tables_xlsx"] == ["下载表二至表四（Excel，模板格式）"]
    assert len(chinese_labels(at)) > 10                 # the check above has something to find in Chinese


# --- issue 11: the verdict, the overdue actions, the sample banner --------------------------------

def test_cockpit_verdict_comes_first_and_counts_the_indicator_table(sample):
    at = run("cockpit", {"year": "2022"})
    with duckdb.connect(str(sample), read_only=True) as con:
        counts = dict(con.execute("SELECT status, count(*) FROM mart_indicator_values WHERE year = 2022 "
                                  "AND community_id IS NULL GROUP BY status").fetchall())
    table = next(d.value for d in at.dataframe if {"指标", "目标", "状态"} <= set(d.value.columns))   # 指标明细
    assert len(table) == sum(counts.values())
    assert table["状态"].value_counts().get("未达标", 0) == counts.get("red", 0)
    assert table["状态"].value_counts().get("达标", 0) == counts.get("green", 0)
    verdict = (f"#### {sum(counts.values())} 项指标：{counts.get('green', 0)} 达标、{counts.get('amber', 0)} 预警、"
               f"{counts.get('red', 0)} 未达标、{counts.get('no_data', 0)} 无数据")
    assert at.markdown[0].value.startswith(verdict)
    assert at.markdown[0].value.endswith("　·　预计得分 76.64 / 100")
    # the off-target indicators follow, each a link to the page of its area
    links = [(e.proto.label, e.proto.page) for e in at.get("page_link")]
    assert counts.get("red", 0) == len([link for link in links if link[1] != "weak-areas"])
    assert links[-1] == ("全部整改任务见“短板与整改”", "weak-areas")
    # the run id is a tooltip of the header, no longer its text
    header = next(c for c in at.caption if c.value.startswith("范围："))
    assert "批次" not in header.value and header.proto.help.startswith("数据批次 ")


def test_cockpit_red_items_link_to_their_pages(sample):
    at = run("cockpit", {"year": "2023"})
    with duckdb.connect(str(sample), read_only=True) as con:
        red = con.execute("SELECT i.name_zh, i.area_id FROM mart_indicator_values v JOIN ref_indicators i "
                          "USING (indicator_id) JOIN ref_areas a USING (area_id) WHERE v.year = 2023 "
                          "AND v.community_id IS NULL AND v.status = 'red' ORDER BY a.sort_order, i.sort_order"
                          ).fetchall()
    assert red, "the sample has indicators off target in 2023"
    links = [(e.proto.label.rsplit(" ", 1)[0], e.proto.page) for e in at.get("page_link")][:-1]
    pages = {"disputes": "disputes", "disclosure": "open-government", "outreach": "legal-education",
             "designation": "model-communities"}
    assert links == [(name, pages.get(area, "indicator-guide")) for name, area in red]
    assert "未达标：" in texts(at)


def test_cockpit_overdue_actions_of_the_year_with_owner_and_date(sample):
    from datetime import date
    at = run("cockpit", {"year": "2024"})
    today = date.today().isoformat()
    shown = texts(at)
    assert f"**逾期整改任务（截至 {today}）**" in shown
    with duckdb.connect(str(sample), read_only=True) as con:
        overdue = con.execute("SELECT title, owner FROM stg_actions WHERE due_date < ? AND status <> '已完成' "
                              "AND coalesce(plan_year, year(due_date)) = 2024 ORDER BY weak_area_id NULLS LAST, "
                              "due_date, action_id", [date.today()]).fetchall()
    table = next(d.value for d in at.dataframe if "责任科室" in d.value.columns and "任务" in d.value.columns
                 and "短板" in d.value.columns)
    assert list(zip(table["任务"], table["责任科室"])) == [(title, owner or "") for title, owner in overdue]
    none = texts(run("cockpit", {"year": "2021"}))
    assert f"截至 {today}，2021 年度所选范围内没有逾期的整改任务。" in none


@pytest.mark.parametrize("page", PAGES)
def test_sample_data_banner_on_every_page(sample, page):
    assert run(page, {"year": "2022"}).warning[0].value == SAMPLE_BANNER


def test_no_sample_banner_on_real_data(sample, monkeypatch, tmp_path):
    real = tmp_path / "real.duckdb"
    shutil.copy(sample, real)
    with duckdb.connect(str(real)) as con:
        con.execute("UPDATE etl_runs SET dataset_kind = 'real'")
    monkeypatch.setenv("COCKPIT_DB", str(real))
    at = run("cockpit", {"year": "2022"})
    assert not any("示例数据 · 非真实数据" in w.value for w in at.warning)
