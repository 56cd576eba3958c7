"""街道对比 (pages/subdistricts.py) under AppTest: the three-subdistrict folder (plus the lawsuits of
2023) built for real, in Chinese and English; an account limited to one subdistrict refused and
audited; the single-subdistrict sample says there is nothing to compare (tests/test_app_pages.py
runs it with the other pages too)."""
from __future__ import annotations

import json
import os
import re
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from cockpit import auth
from etl.build import build
from reporting.safe_text import markdown_literal
from signin import accounts, add_user
from test_app_pages import CJK, charts, texts, ui_labels
from tests.three_subdistricts import with_2023

ROOT = Path(__file__).resolve().parent.parent
PAGE = "pages/subdistricts.py"
A, B, C = "甲街道", "乙街道", "丙街道"


@pytest.fixture(scope="module")
def three(tmp_path_factory) -> Path:
    root = tmp_path_factory.mktemp("three_page")
    build(with_2023(root / "data"), root / "w.duckdb")
    return root / "w.duckdb"


@pytest.fixture()
def live(three, monkeypatch) -> Path:
    monkeypatch.setenv("COCKPIT_DB", str(three))
    return three


def open_page(params: dict | None = None, indicator: str | None = None, user: str | None = None) -> AppTest:
    at = AppTest.from_file(str(ROOT / "dashboard.py"), default_timeout=90)
    if user:   # instead of the administrator conftest signs in
        at.session_state[auth.TOKEN] = accounts().open_session(user, "127.0.0.1", "password")
    for key, value in (params or {}).items():
        at.query_params[key] = value
    at.run()
    at.switch_page(PAGE).run()
    if indicator:
        at.selectbox(key="indicator").set_value(indicator).run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def table(at: AppTest, column: str):
    return next(d.value for d in at.dataframe if column in d.value.columns)


def test_the_ranking_of_an_indicator_best_first_with_the_district_and_the_subdistrict_without_a_value(live):
    at = open_page(indicator="litigation_loss_rate")
    assert at.title[0].value == "街道对比"
    assert at.selectbox(key="indicator").value == "litigation_loss_rate"
    assert at.query_params["indicator"] == "litigation_loss_rate"   # the link carries the indicator's id
    shown = texts(at)
    for sentence in ("**2024年各街道排名：行政诉讼败诉率**", "越低越好：数值最低的街道排在最前。", r"全区：25\%（1 \/ 4）",
                     "无数值的街道：丙街道（该年度没有案件记录）", "2024 年度，全区 3 个街道；各街道为整体数值（含街道本级）。"):
        assert sentence in shown, sentence
    ranking = table(at, "名次")
    assert ranking[["名次", "街道", "数值", "状态", "2023年"]].values.tolist() == [
        ["1", B, "0%", "达标", "50%"], ["2", A, "50%", "达标", "100%"], ["", C, "无数据", "无数据", ""]]
    bars, trend, heatmap, scores = charts(at)
    assert list(bars.layout.yaxis.categoryarray) == ["1. 乙街道", "2. 甲街道"]
    assert [trace.name for trace in trend.data] == [B, A]          # the default: the year's best and worst
    assert list(heatmap.data[0].x) == [C, B, A] and len(heatmap.data[0].y) == 32   # worst first
    assert list(scores.layout.yaxis.categoryarray) == ["1. 乙街道", "1. 甲街道"]
    assert table(at, "序号")[["序号", "街道", "无数据"]].values.tolist() == [[1, C, 29], [2, B, 21], [3, A, 20]]
    assert table(at, "预计得分（分）")[["名次", "街道", "预计得分（分）"]].values.tolist() == [
        ["1", B, "10"], ["1", A, "10"], ["", C, "无数据"]]
    assert "显示第 1–3 个街道，共 3 个。" in shown
    # every chart and table offers its downloads (the administrator may download)
    assert len(at.get("popover")) == 4 + 3


def test_the_heatmap_shows_the_subdistricts_found(live):
    at = open_page()
    at.multiselect(key="sd_find").set_value([A]).run()
    heatmap = next(fig for fig in charts(at) if fig.data[0].type == "heatmap")
    assert list(heatmap.data[0].x) == [A]
    assert "显示所选的 1 个街道，共 3 个。" in texts(at)


def test_the_trend_follows_the_subdistricts_chosen(live):
    at = open_page(indicator="litigation_loss_rate")
    at.multiselect(key="sd_trend_litigation_loss_rate_2024").set_value([A]).run()
    trend = charts(at)[1]
    assert [trace.name for trace in trend.data] == [A] and list(trend.data[0].x) == ["2023", "2024"]


def test_a_year_without_data_says_so_in_words(live):
    at = open_page({"year": "2022"}, indicator="litigation_loss_rate")
    shown = texts(at)
    assert "2022年各街道排名：行政诉讼败诉率：所选范围内没有数据。" in shown
    assert "2022 年度各街道的指标目标没有设置分值，暂无预计得分可比。" in shown


def test_english_labels(live):
    at = open_page({"lang": "English"}, indicator="litigation_loss_rate")
    assert at.title[0].value == "Subdistrict comparison"
    # Chinese only in the data: the subdistricts' names
    labels = [re.sub("|".join((A, B, C)), "", label) for label in ui_labels(at)]
    assert not [label for label in labels if CJK.search(label)], [label for label in labels if CJK.search(label)]
    assert markdown_literal("Lower is better: the lowest value ranks first.") in texts(at)
    assert list(table(at, "Rank").columns) == ["Rank", "Subdistrict", "Value", "Status", "Target", "2023", "Change",
                                               "Why no data"]


def test_an_account_limited_to_one_subdistrict_is_refused_and_audited(live, app_accounts):
    at = open_page(user=add_user("analyst", name="jia_analyst", subdistrict=A))
    assert at.error[0].value == ("您的账号限于甲街道，不能查看其他街道的数据，因此不能打开街道对比。"
                                 "如需全区权限，请联系管理员。")
    assert not at.get("plotly_chart") and not at.dataframe
    rows = [json.loads(line) for line in Path(os.environ["COCKPIT_AUDIT"]).read_text(encoding="utf-8").splitlines()]
    refused = [r for r in rows if r["action"] == "access_refused"]
    assert [(r["user"], r["role"], r["object"], r["detail"], r["outcome"]) for r in refused] == [
        ("jia_analyst", "analyst", "/", {"action": "view", "scope": A, "needs": "district"}, "refused")]


def test_one_subdistrict_says_there_is_nothing_to_compare(sample_db, monkeypatch):
    monkeypatch.setenv("COCKPIT_DB", str(sample_db))
    at = open_page()
    assert [i.value for i in at.info] == ["数据库中只有一个街道（南星街道），没有可对比的街道。导入其他街道的台账后，本页按指标为各街道排名。"]
    assert not at.get("plotly_chart") and not at.dataframe
