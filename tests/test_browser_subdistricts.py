"""街道对比 in a real browser with two subdistricts (甲街道, 乙街道: tests/three_subdistricts.py without 丙,
plus the lawsuits of 2023): the menu entry, the ranking in order (行政诉讼败诉率 is lower-is-better:
乙 0% before 甲 50%), the status heatmap drawn with both subdistricts and its legend in words; the
page at 1366×768 and 390×844 in tests/artifacts/subdistricts_<width>.png (and _full)."""
from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect

from appserver import serve, sign_in
from etl.build import build
from test_browser import ARTIFACTS
from tests.three_subdistricts import two_subdistricts

DESKTOP = {"width": 1366, "height": 768}
PHONE = {"width": 390, "height": 844}
PATH = "compare-subdistricts"


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    root = tmp_path_factory.mktemp("two")
    build(two_subdistricts(root / "data"), root / "w.duckdb")
    with serve(root / "w.duckdb", root / "streamlit.log") as url:
        yield url


def open_at(browser, url: str, viewport: dict, charts: int = 4) -> Page:
    """Signed in on `url`, the page run and its `charts` plotly charts drawn."""
    page = sign_in(browser.new_page(viewport=viewport, locale="zh-CN"), url)
    expect(page.get_by_test_id("stMain").get_by_text("2024年各街道排名", exact=False).first).to_be_visible(timeout=30_000)
    expect(page.get_by_test_id("stStatusWidget")).to_have_count(0, timeout=30_000)
    expect(page.get_by_test_id("stPlotlyChart")).to_have_count(charts, timeout=30_000)
    expect(page.locator("[data-testid^='stSkeleton']")).to_have_count(0, timeout=30_000)
    page.wait_for_function("""() => [...document.querySelectorAll('[data-testid="stPlotlyChart"]')]
                                   .every(e => e.querySelector('.main-svg'))""", timeout=30_000)
    return page


def chart(page: Page, title: str):
    """The plotly chart under the bold title `title` (show_chart puts the title just above it)."""
    heading = page.get_by_test_id("stMain").get_by_test_id("stElementContainer").filter(
        has=page.get_by_text(title, exact=True)).first
    return heading.locator("xpath=following-sibling::*[.//*[@data-testid='stPlotlyChart']][1]").get_by_test_id(
        "stPlotlyChart")


def ticks_top_to_bottom(plot, axis: str = "ytick") -> list[str]:
    ticks = plot.locator(f".{axis} text").all()
    return [tick.text_content() for tick in sorted(ticks, key=lambda tick: tick.bounding_box()["y"])]


def screenshots(page: Page, name: str) -> None:
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    page.wait_for_timeout(800)
    page.screenshot(path=str(ARTIFACTS / f"{name}.png"))
    # The app scrolls inside its main block, so grow the window to the content for the full page.
    height = page.evaluate("document.querySelector('[data-testid=stMain]').scrollHeight")
    page.set_viewport_size({"width": page.viewport_size["width"], "height": max(page.viewport_size["height"], height)})
    page.wait_for_timeout(1200)
    page.screenshot(path=str(ARTIFACTS / f"{name}_full.png"), full_page=True)


def test_the_ranking_in_order_and_the_status_heatmap(server, browser):
    page = open_at(browser, f"{server}/{PATH}?indicator=litigation_loss_rate&year=2024", DESKTOP)
    main = page.get_by_test_id("stMain")
    expect(main.get_by_text("2024 年度，全区 2 个街道", exact=False)).to_be_visible()
    # the ranking: lower is better, so 乙 (0%) before 甲 (50%); the district's figure said in words
    ranking = chart(page, "2024年各街道排名：行政诉讼败诉率")
    assert ticks_top_to_bottom(ranking) == ["1. 乙街道", "2. 甲街道"]
    expect(main.get_by_text("全区：25%（1 / 4）", exact=True)).to_be_visible()
    # the heatmap: one column per subdistrict (worst first: 乙 has more indicators without data), each
    # cell drawn, the legend in words
    heatmap = chart(page, "2024年各街道指标状态")
    heatmap.scroll_into_view_if_needed()
    expect(heatmap.locator(".heatmaplayer .hm image")).to_have_count(1)
    assert heatmap.locator(".xtick text").all_text_contents() == ["乙街道", "甲街道"]
    assert heatmap.locator(".ytick text").count() == 32
    legend = heatmap.locator(".legendtext").all_text_contents()
    assert legend == ["✓ 达标", "! 预警", "✗ 未达标", "– 无数据", "无目标"]
    expect(main.get_by_text("显示第 1–2 个街道，共 2 个。", exact=False)).to_be_visible()
    # the menu offers the page (several subdistricts, a district account)
    page.get_by_test_id("stTopNav").get_by_text("专题分析", exact=True).click()
    expect(page.get_by_test_id("stTopNavDropdownLink").filter(has_text="街道对比")).to_have_count(1)
    page.close()


@pytest.mark.parametrize("viewport", [DESKTOP, PHONE], ids=["1366", "390"])
def test_screenshots(server, browser, viewport):
    page = open_at(browser, f"{server}/{PATH}?indicator=litigation_loss_rate&year=2024", viewport)
    expect(page.get_by_test_id("stException")).to_have_count(0)
    screenshots(page, f"subdistricts_{viewport['width']}")
    page.close()


def test_an_unknown_indicator_in_the_link_is_said_and_the_first_one_shown(server, browser):
    page = open_at(browser, f"{server}/{PATH}?indicator=old_indicator", DESKTOP, charts=2)
    main = page.get_by_test_id("stMain")
    expect(main.get_by_text("链接中的指标“old_indicator”不在指标目录中，已改为显示“理论学习中心组专题学法”。")).to_be_visible()
    expect(page).to_have_url(re.compile(r"indicator=study_sessions"))
    page.goto(f"{server}/{PATH}?indicator=%5Bx%5D(http://evil.example)")   # never echoed: Markdown would link it
    expect(main.get_by_text("链接中的指标参数无法识别，已改为显示“理论学习中心组专题学法”。")).to_be_visible(timeout=30_000)
    expect(main.get_by_role("link").filter(has_text="evil")).to_have_count(0)
    page.close()
