"""Browser: an analyst uploads the office's own targets for 2022 through the real 数据导入 page; the
cockpit's tile changes colour and the predicted score changes."""
from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from playwright.sync_api import expect, sync_playwright

from appserver import CHROMIUM, CHROMIUM_ARGS, serve, sign_in

ROOT = Path(__file__).resolve().parent.parent
ARTIFACTS = ROOT / "tests" / "artifacts"
# 2022's own targets (the sample has 2021's and 2023's): 2 lawsuits now meet a target of ≤ 2.
TARGETS_2022 = ("指标编号,年度,范围,社区,目标值,红线值,分值,计分方式,扣分值,依据\n"
                "litigation_cases_new,2022,街道,,2,3,10,每件扣分,3,2022年度考核细则（测试）\n").encode()


@pytest.fixture
def app_url(sample_db, tmp_path):
    db = tmp_path / "warehouse.duckdb"
    shutil.copyfile(sample_db, db)
    with serve(db, tmp_path / "streamlit.log") as url:
        yield url


def lawsuits_badge(page):
    """The status badge of the 新增行政诉讼案件 tile (its text and its background colour)."""
    metric = page.locator('[data-testid="stMetric"]').filter(has_text="新增行政诉讼案件")
    tile = page.locator('[data-testid="stVerticalBlock"]').filter(has=metric).last
    return tile.locator(".stMarkdownBadge")


def score(page):
    return page.locator('[data-testid="stMetric"]').filter(has_text="预计得分").locator('[data-testid="stMetricValue"]')


def background(locator) -> str:
    return locator.evaluate("e => getComputedStyle(e).backgroundColor")


def test_uploaded_targets_change_a_tiles_colour_and_the_predicted_score(app_url):
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        page = sign_in(browser.new_page(viewport={"width": 1366, "height": 900}, locale="zh-CN"),
                       f"{app_url}/?year=2022", "analyst")
        expect(lawsuits_badge(page)).to_have_text("预警", timeout=60_000)    # 2 against 2021's ≤ 1
        expect(score(page)).to_have_text("76.64 分", timeout=30_000)
        expect(page.get_by_text("2022 年没有本年度的指标目标，状态和得分按 2021 年目标评价。")).to_be_visible()
        amber = background(lawsuits_badge(page))

        page.goto(f"{app_url}/data-import?year=2022")
        expect(page.get_by_role("heading", name="数据导入")).to_be_visible(timeout=60_000)
        page.locator('input[type="file"][multiple]').set_input_files(   # the records uploader
            files=[{"name": "指标目标_2022.csv", "mimeType": "text/csv", "buffer": TARGETS_2022}])
        expect(page.get_by_text("已识别为“指标目标”，1 行")).to_be_visible(timeout=30_000)
        page.get_by_role("button", name="生成预览").click()
        page.get_by_role("button", name="确认导入").click()
        expect(page.get_by_text("已导入 1 个文件，接受 1 行、拒绝 0 行")).to_be_visible(timeout=90_000)

        page.goto(f"{app_url}/?year=2022")
        expect(lawsuits_badge(page)).to_have_text("达标", timeout=60_000)
        green = background(lawsuits_badge(page))
        # 2022 now has targets of its own: this one only, so it alone is scored (all 10 points)
        expect(score(page)).to_have_text("10 分", timeout=30_000)
        expect(page.get_by_text("2022 年没有本年度的指标目标")).to_have_count(0)
        page.screenshot(path=str(ARTIFACTS / "targets_cockpit_after.png"), full_page=True)
        browser.close()
    assert amber != green
