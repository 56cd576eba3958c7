"""Browser: import a published report of an earlier year through the real 数据导入 page, and see that
year appear in the cockpit's trend, labelled as reported."""
from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from appserver import CHROMIUM, CHROMIUM_ARGS, serve, sign_in
from playwright.sync_api import expect, sync_playwright

ROOT = Path(__file__).resolve().parent.parent
ARTIFACTS = ROOT / "tests" / "artifacts"
REPORT = ("南星街道2020年法治政府建设年度报告\n"
          "全年开展理论学习中心组专题学法3次，新增行政诉讼案件1件，开展普法讲座70余场。\n").encode()


@pytest.fixture
def app_url(sample_db, tmp_path):
    db = tmp_path / "warehouse.duckdb"
    shutil.copyfile(sample_db, db)
    with serve(db, tmp_path / "streamlit.log") as url:
        yield url


def tile(page, name: str):
    """The bordered container of an indicator's tile: its metric, status line and captions."""
    metric = page.locator('[data-testid="stMetric"]').filter(has_text=name)
    return metric.locator("xpath=ancestor::div[@data-testid='stVerticalBlock'][1]")


def test_a_report_of_an_earlier_year_appears_in_the_cockpit_trend_labelled(app_url):
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        page = sign_in(browser.new_page(viewport={"width": 1366, "height": 900}), f"{app_url}/data-import", "analyst")
        expect(page.get_by_role("heading", name="导入已发布报告")).to_be_visible(timeout=60_000)
        page.get_by_test_id("stFileUploader").filter(has_text="选择报告文件").locator('input[type="file"]') \
            .set_input_files(files=[{"name": "2020年报告.txt", "mimeType": "text/plain", "buffer": REPORT}])
        expect(page.get_by_text("（2020年）：读出 3 个数字，其中 3 个已对应指标。")).to_be_visible(timeout=60_000)
        page.get_by_role("button", name="生成预览").click()
        expect(page.get_by_role("button", name="确认导入")).to_be_visible(timeout=90_000)
        page.screenshot(path=str(ARTIFACTS / "report_import_preview.png"), full_page=True)
        page.get_by_role("button", name="确认导入").click()
        expect(page.get_by_text("已导入 1 个文件，接受 3 行、拒绝 0 行")).to_be_visible(timeout=90_000)

        page.goto(f"{app_url}/?year=2021")
        litigation = tile(page, "新增行政诉讼案件")
        expect(litigation.get_by_text("趋势中 2020 年的数字来源：已发布报告")).to_be_visible(timeout=60_000)
        page.screenshot(path=str(ARTIFACTS / "report_import_cockpit_trend.png"), full_page=True)

        page.goto(f"{app_url}/?year=2020")
        litigation = tile(page, "新增行政诉讼案件")
        expect(litigation.locator('[data-testid="stMetricValue"]')).to_have_text("1件", timeout=60_000)
        expect(litigation.get_by_text("来源：已发布报告", exact=True)).to_be_visible()
        browser.close()
