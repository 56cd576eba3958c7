"""The app in a real browser (Playwright + Debian Chromium) against the sample database.

Saves a screenshot of every page to tests/artifacts/<page>.png (1366×768) and <page>_full.png.
"""
from __future__ import annotations

import re
import time
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from appserver import serve, sign_in

ROOT = Path(__file__).resolve().parent.parent
ARTIFACTS = ROOT / "tests" / "artifacts"
VIEWPORT = {"width": 1366, "height": 768}
# screenshot name → (url path, a text the page shows when it rendered); the cockpit is the root
PAGES = {
    "cockpit": ("", "短板与整改"),
    "cases": ("disputes", "新增行政复议、行政诉讼案件（按年度）"),
    "disclosure": ("open-government", "主动公开信息（按年度）"),
    "outreach": ("legal-education", "活动（按组织方）"),
    "designations": ("model-communities", "各社区民主法治示范称号"),
    "weak_areas": ("weak-areas", "整改与年度安排任务"),
    "methodology": ("indicator-guide", "以下内容直接取自指标目录"),
    "data_quality": ("data-quality", "拒收记录及原因"),
    "export_centre": ("export-centre", "导出中心"),
    "data_import": ("data-import", "数据导入"),
}


@pytest.fixture(scope="module")
def server(sample_db, tmp_path_factory):
    with serve(sample_db, tmp_path_factory.mktemp("server") / "streamlit.log") as url:
        yield url


def open_page(browser, url: str) -> Page:
    """A new browser (no cookies) signed in as an administrator on `url`."""
    return sign_in(browser.new_page(viewport=VIEWPORT, locale="zh-CN"), url)


def wait_rendered(page: Page, text: str) -> None:
    expect(page.get_by_test_id("stMain").get_by_text(text, exact=False).first).to_be_visible(timeout=30_000)
    # Streamlit shows a running indicator while the script runs; wait until it is done.
    expect(page.get_by_test_id("stStatusWidget")).to_have_count(0, timeout=30_000)


def wait_charts(page: Page) -> None:
    """Every plotly chart on the page has drawn its SVG (the bundle loads lazily)."""
    page.wait_for_function("""() => [...document.querySelectorAll('[data-testid="stPlotlyChart"]')]
                                   .every(e => e.querySelector('.main-svg'))""", timeout=30_000)


def tile_values(page: Page) -> list[str]:
    """The tiles' values once the page has stopped changing (a rerun replaces them in steps)."""
    expect(page.get_by_test_id("stMetricValue")).to_have_count(8 + 1, timeout=30_000)   # and the predicted score
    previous, deadline = None, time.time() + 30
    while time.time() < deadline:
        current = page.get_by_test_id("stMetricValue").all_inner_texts()
        if current == previous:
            return current
        previous = current
        page.wait_for_timeout(700)
    raise AssertionError(f"tiles kept changing: {previous}")


def test_filters_travel_with_the_copied_url(server, browser):
    page = open_page(browser, server)
    wait_rendered(page, "新增行政诉讼案件")
    whole = tile_values(page)
    # the verdict, then the first row of tiles down to its target lines, fit a 1366×768 screen without
    # scrolling (issue 11: the verdict and the red items come first; the second row is one scroll away)
    verdict = page.get_by_test_id("stMain").get_by_text(re.compile(r"\d+ 项指标：")).first
    assert verdict.bounding_box()["y"] + verdict.bounding_box()["height"] <= VIEWPORT["height"]
    targets = page.get_by_test_id("stMain").get_by_text(re.compile("目标 [≥≤]")).all()
    assert len(targets) == 8
    first_row = sorted((t.bounding_box() for t in targets), key=lambda box: box["y"])[:4]
    assert max(box["y"] + box["height"] for box in first_row) <= VIEWPORT["height"]

    sidebar = page.get_by_test_id("stSidebar")
    sidebar.get_by_test_id("stMultiSelect").click()
    page.get_by_role("option", name="馒头山社区").click()
    page.keyboard.press("Escape")
    page.wait_for_url("**community=*", timeout=15_000)
    sidebar.get_by_test_id("stSelectbox").first.click()
    page.get_by_role("option", name="2022", exact=True).click()
    page.wait_for_url("**year=2022*", timeout=15_000)
    wait_rendered(page, "范围：馒头山社区；年度：2022")
    chosen = tile_values(page)
    assert chosen != whole

    copied = page.url
    again = open_page(browser, copied)
    wait_rendered(again, "范围：馒头山社区；年度：2022")
    assert tile_values(again) == chosen
    expect(again.get_by_test_id("stSidebar").get_by_test_id("stMultiSelect")).to_contain_text("馒头山社区")
    again.close()
    page.close()


def test_a_deep_link_is_the_first_visit_of_a_fresh_server(sample_db, tmp_path, browser):
    # Streamlit's legacy pages/ folder mode answered this first run with "Page not found".
    with serve(sample_db, tmp_path / "streamlit.log") as url:
        page = open_page(browser, f"{url}/disputes?year=2022&community=馒头山社区")
        wait_rendered(page, "范围：馒头山社区；年度：2022")
        expect(page.get_by_text("Page not found")).to_have_count(0)
        page.close()


def test_unknown_url_values_are_named(server, browser):
    page = open_page(browser, f"{server}/?year=1888&community=火星社区")
    wait_rendered(page, "链接中的以下参数值无法识别")
    expect(page.get_by_text("community=火星社区", exact=False)).to_be_visible()
    page.close()


def test_every_page_renders_and_is_screenshotted(server, browser):
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    for name, (path, marker) in PAGES.items():
        page = open_page(browser, f"{server}/{path}")
        wait_rendered(page, marker)
        expect(page.get_by_test_id("stException")).to_have_count(0)
        expect(page.get_by_text("Page not found")).to_have_count(0)
        wait_charts(page)
        page.wait_for_timeout(500)
        page.screenshot(path=str(ARTIFACTS / f"{name}.png"))
        # The app scrolls inside its main block, so grow the window to the content for the full page.
        height = page.evaluate("document.querySelector('[data-testid=stMain]').scrollHeight")
        page.set_viewport_size({"width": VIEWPORT["width"], "height": max(VIEWPORT["height"], height)})
        wait_charts(page)
        page.wait_for_timeout(800)
        page.screenshot(path=str(ARTIFACTS / f"{name}_full.png"), full_page=True)
        page.close()


def test_english_switch(server, browser):
    page = open_page(browser, f"{server}/?lang=English&year=2022")
    wait_rendered(page, "Weak areas and actions")
    labels = page.get_by_test_id("stMetricLabel")
    expect(labels).to_have_count(8 + 1, timeout=30_000)   # 8 headline tiles and the predicted score
    expect(page.get_by_test_id("stMetricValue").first).to_be_visible(timeout=30_000)
    assert not any(re.search(r"[\u4e00-\u9fff]", label) for label in labels.all_inner_texts())
    page.wait_for_timeout(800)
    page.screenshot(path=str(ARTIFACTS / "cockpit_en.png"))
    page.close()


def test_clicking_a_bar_narrows_the_records(server, browser):
    page = open_page(browser, server)             # the root first: a fresh server's first deep link
    wait_rendered(page, "短板与整改")               # shows Streamlit's "page not found" (legacy pages/)
    page.goto(f"{server}/disputes?year=2022")
    wait_rendered(page, "2022年收案（按社区）")
    wait_charts(page)
    chart = page.get_by_test_id("stPlotlyChart").nth(3)
    chart.scroll_into_view_if_needed()
    page.wait_for_timeout(1000)
    box = chart.locator("g.point path").first.bounding_box()
    x, y = box["x"] + box["width"] / 2, box["y"] + box["height"] / 2
    page.mouse.move(x, y, steps=5)
    page.mouse.click(x, y)
    expect(page.get_by_text(re.compile("已按所点选的 “.+社区” 筛选记录"))).to_be_visible(timeout=30_000)
    page.close()
