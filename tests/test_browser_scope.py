"""The 街道 filter and a scoped account in a real browser, on the three-subdistrict folder
(tests/three_subdistricts.py): choosing a subdistrict writes it into the URL and a reload keeps it,
the tab's title names it; an account limited to 甲街道 sees its selector fixed, and a link naming
乙街道 is refused on the page while 甲's figures are shown. Screenshots of the cockpit at 1366×768 and
390×844 as a district admin and as the scoped account: tests/artifacts/scope_<who>_<width>.png."""
from __future__ import annotations

import re
from urllib.parse import parse_qs, urlsplit

import pytest
from playwright.sync_api import Page, expect

from appserver import PASSWORD, serve, sign_in
from etl.build import build
from security.accounts import Accounts
from test_browser import ARTIFACTS
from tests.three_subdistricts import three_subdistricts

DESKTOP = {"width": 1366, "height": 768}
PHONE = {"width": 390, "height": 844}
SCOPED = "jia_analyst"


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    root = tmp_path_factory.mktemp("three")
    build(three_subdistricts(root / "data"), root / "w.duckdb")
    Accounts(root / "accounts.sqlite").add(SCOPED, "analyst", PASSWORD, subdistrict="甲街道")
    with serve(root / "w.duckdb", root / "streamlit.log") as url:
        yield url


def cockpit(browser, url: str, viewport: dict, name: str | None = None) -> Page:
    page = sign_in(browser.new_page(viewport=viewport, locale="zh-CN"), url, name=name)
    settle(page)
    return page


def settle(page: Page) -> None:
    expect(page.get_by_test_id("stMain").get_by_text(re.compile(r"\d+ 项指标")).first).to_be_visible(timeout=30_000)
    expect(page.get_by_test_id("stStatusWidget")).to_have_count(0, timeout=30_000)
    expect(page.locator("[data-testid^='stSkeleton']")).to_have_count(0, timeout=30_000)


def lawsuits(page: Page) -> str:
    tile = page.get_by_test_id("stMetric").filter(has_text="新增行政诉讼案件")
    return tile.get_by_test_id("stMetricValue").inner_text()


def test_choosing_a_subdistrict_is_kept_in_the_url(server, browser):
    page = cockpit(browser, server + "/?year=2024", DESKTOP)
    assert lawsuits(page) == "4件" and page.title() == "上城区法治驾驶舱"
    page.get_by_test_id("stSidebar").get_by_test_id("stSelectbox").first.click()
    page.get_by_role("option", name="甲街道").click()
    expect(page.get_by_test_id("stMain").get_by_text("范围：甲街道；年度：2024", exact=False)).to_be_visible(timeout=30_000)
    settle(page)
    expect(page).to_have_title("甲街道法治驾驶舱")
    assert parse_qs(urlsplit(page.url).query)["subdistrict"] == ["甲街道"]
    page.reload()
    settle(page)
    assert lawsuits(page) == "2件"
    expect(page.get_by_test_id("stMain").get_by_text("范围：甲街道；年度：2024", exact=False)).to_be_visible()
    page.close()


@pytest.mark.parametrize("viewport", [DESKTOP, PHONE], ids=["1366", "390"])
def test_screenshots_as_a_district_admin_and_a_scoped_account(server, browser, viewport):
    ARTIFACTS.mkdir(exist_ok=True)
    for who, name in (("district", None), ("scoped", SCOPED)):
        page = cockpit(browser, server + "/?year=2024", viewport, name)
        expect(page.get_by_test_id("stMain").get_by_text("范围：全区" if name is None else "范围：甲街道",
                                                           exact=False)).to_be_visible()
        page.screenshot(path=ARTIFACTS / f"scope_{who}_{viewport['width']}.png")
        page.close()


def test_a_scoped_account_is_refused_another_subdistrict_in_the_link(server, browser):
    page = cockpit(browser, server + "/?year=2024&subdistrict=乙街道", DESKTOP, SCOPED)
    main = page.get_by_test_id("stMain")
    expect(main.get_by_text("您的账号仅限甲街道：链接中的以下参数超出权限，已拒绝并记入审计：subdistrict=乙街道")).to_be_visible()
    assert lawsuits(page) == "2件"                          # 甲's, not 乙's
    selector = page.get_by_test_id("stSidebar").get_by_test_id("stSelectbox").first
    expect(selector.get_by_role("combobox")).to_have_value("甲街道")
    expect(selector.get_by_role("combobox")).to_be_disabled()
    assert page.title() == "甲街道法治驾驶舱"
    page.close()
