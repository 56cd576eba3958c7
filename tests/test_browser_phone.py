"""Issue 11 in a real browser: the cockpit's verdict, the phone (390×844), the sample banner, English
tile titles; a screenshot of every page at 1366×768 and 390×844 in tests/artifacts/<page>_<width>.png
(and of the English cockpit, <page>_en_<width>.png)."""
from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect

from appserver import sign_in
from test_browser import ARTIFACTS, PAGES, server, wait_rendered  # noqa: F401  (fixture)

PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1366, "height": 768}
BANNER = "示例数据 · 非真实数据"
VERDICT = re.compile(r"(\d+) 项指标：(\d+) 达标、(\d+) 预警、(\d+) 未达标、(\d+) 无数据")


def open_at(browser, url: str, viewport: dict) -> Page:
    return sign_in(browser.new_page(viewport=viewport, locale="zh-CN"), url)


def settled(page: Page) -> None:
    """No element still drawn as a placeholder while its code loads (metrics, links, charts)."""
    expect(page.locator("[data-testid^='stSkeleton']")).to_have_count(0, timeout=30_000)


def in_first_screen(page: Page, locator) -> bool:
    box = locator.bounding_box()
    return box is not None and box["y"] >= 0 and box["y"] + box["height"] <= page.viewport_size["height"]


def test_verdict_counts_match_the_indicator_table(server, browser):
    page = open_at(browser, server + "?year=2022", DESKTOP)
    wait_rendered(page, "项指标")
    verdict = page.get_by_test_id("stMain").get_by_text(VERDICT).first
    n, green, amber, red, no_data = map(int, VERDICT.search(verdict.inner_text()).groups())
    details = page.get_by_test_id("stExpander").filter(has_text="指标明细")
    details.get_by_text("指标明细").first.click()
    table = details.get_by_test_id("stDataFrame").first
    expect(table).to_be_visible(timeout=30_000)
    # the grid's row count (aria-rowcount counts the header row too)
    rows = int(table.locator("[role='grid']").get_attribute("aria-rowcount")) - 1
    assert rows == n
    assert n >= green + amber + red + no_data
    assert page.get_by_test_id("stMain").get_by_role("link").filter(has_text=re.compile(r"\S")).count() >= red
    page.close()


def test_phone_sidebar_closed_verdict_and_red_items_in_the_first_screen_two_tiles_per_row(server, browser):
    page = open_at(browser, server + "?year=2022", PHONE)
    wait_rendered(page, "项指标")
    settled(page)
    # folded: the sidebar is off the screen (Streamlit slides it out to the left)
    box = page.get_by_test_id("stSidebar").bounding_box()
    assert box is None or box["x"] + box["width"] <= 1, box
    main = page.get_by_test_id("stMain")
    assert in_first_screen(page, main.get_by_text(VERDICT).first)
    assert in_first_screen(page, main.get_by_text("未达标：").first)
    boxes = [m.bounding_box() for m in page.get_by_test_id("stMetric").all()[:2]]
    assert boxes[0]["y"] == pytest.approx(boxes[1]["y"], abs=2)   # side by side, not stacked
    assert boxes[0]["width"] < PHONE["width"] / 2
    page.close()


def test_phone_indicator_table_keeps_status_and_target_on_the_screen(server, browser):
    page = open_at(browser, f"{server}/open-government?year=2024", PHONE)
    wait_rendered(page, "主动公开信息（按年度）")
    settled(page)
    table = page.locator("[data-testid='stDataFrame']:visible").first   # the phone's layout of the table
    expect(table.locator("[role='columnheader']").first).to_be_attached(timeout=30_000)
    box = table.bounding_box()
    assert box["x"] >= 0 and box["x"] + box["width"] <= PHONE["width"], box
    # The grid names the columns it draws: those at least partly on the screen, from the left. 状态
    # and 目标 come before 数值, which is drawn too, so both are wholly on the screen.
    headers = table.locator("[role='columnheader']").all_inner_texts()
    assert headers[:4] == ["指标", "状态", "目标", "数值"], headers
    page.close()


@pytest.mark.parametrize("viewport", [DESKTOP, PHONE], ids=["1366", "390"])
def test_english_tile_titles_are_not_cut_off(server, browser, viewport):
    page = open_at(browser, server + "?year=2024&lang=English", viewport)
    wait_rendered(page, "Weak areas and actions")
    settled(page)
    labels = page.get_by_test_id("stMetricLabel")
    expect(labels).to_have_count(8 + 1)   # the tiles and the predicted score
    # a title that does not fit wraps onto a second line instead of ending in "…": its text is no
    # wider than its box (a title on one line, clipped, is)
    widths = labels.evaluate_all(
        "els => els.map(e => { const p = e.querySelector('p'), range = document.createRange();"
        " range.selectNodeContents(p);"
        " return [p.innerText, range.getBoundingClientRect().width,"
        " p.closest('[data-testid=\"stMarkdownContainer\"]').clientWidth]; })")
    assert [text for text, text_width, box_width in widths if text_width > box_width + 1] == []
    assert "Information proactively disclosed on the website" in labels.all_inner_texts()
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=ARTIFACTS / f"cockpit_en_{viewport['width']}.png")
    page.close()


@pytest.mark.parametrize("viewport", [DESKTOP, PHONE], ids=["1366", "390"])
@pytest.mark.parametrize("name", PAGES)
def test_every_page_shows_the_sample_banner_screenshot(server, browser, name, viewport):
    path, text = PAGES[name]
    page = open_at(browser, f"{server}/{path}", viewport)
    wait_rendered(page, text)
    expect(page.get_by_test_id("stMain").get_by_text(BANNER).first).to_be_visible()
    settled(page)
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=ARTIFACTS / f"{name}_{viewport['width']}.png")
    page.close()
