"""Browser: upload a file through the real 数据导入 page, confirm, and see the cockpit change."""
from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from playwright.sync_api import expect, sync_playwright

from appserver import CHROMIUM, CHROMIUM_ARGS, serve, sign_in

ROOT = Path(__file__).resolve().parent.parent
ARTIFACTS = ROOT / "tests" / "artifacts"
NEW_CASES = ("案件编号,案件类型,收案日期,结案日期,状态,结果,是否开庭,负责人是否出庭,化解方式\n"
             "XZSS-2022-701,行政诉讼,2022-05-01,2022-08-01,审结,败诉,是,否,判决\n"
             "XZSS-2022-702,行政诉讼,2022-13-01,,在办,,,,\n").encode()


@pytest.fixture
def app_url(sample_db, tmp_path):
    db = tmp_path / "warehouse.duckdb"
    shutil.copyfile(sample_db, db)
    with serve(db, tmp_path / "streamlit.log") as url:
        yield url, db


def litigation_tile(page):
    metric = page.locator('[data-testid="stMetric"]').filter(has_text="新增行政诉讼案件")
    return metric.locator('[data-testid="stMetricValue"]')


def test_upload_confirm_and_the_cockpit_changes(app_url):
    url, db = app_url
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        page = sign_in(browser.new_page(viewport={"width": 1366, "height": 900}), f"{url}/?year=2022", "analyst")
        expect(litigation_tile(page)).to_have_text("2件", timeout=60_000)

        page.goto(f"{url}/data-import?year=2022")
        expect(page.get_by_role("heading", name="数据导入")).to_be_visible(timeout=60_000)
        page.locator('input[type="file"][multiple]').set_input_files(   # the records uploader
            files=[{"name": "案件_补录.csv", "mimeType": "text/csv", "buffer": NEW_CASES}])
        expect(page.get_by_text("已识别为“案件”，2 行")).to_be_visible(timeout=30_000)
        page.get_by_role("button", name="生成预览").click()
        expect(page.get_by_text("“案件_补录.csv”被拒绝的 1 行")).to_be_visible(timeout=60_000)
        page.screenshot(path=str(ARTIFACTS / "intake_preview.png"), full_page=True)
        page.get_by_role("button", name="确认导入").click()
        expect(page.get_by_text("已导入 1 个文件，接受 1 行、拒绝 1 行")).to_be_visible(timeout=90_000)
        page.screenshot(path=str(ARTIFACTS / "intake_confirmed.png"), full_page=True)

        page.goto(f"{url}/?year=2022")
        expect(litigation_tile(page)).to_have_text("3件", timeout=60_000)
        page.screenshot(path=str(ARTIFACTS / "intake_cockpit_after.png"), full_page=True)
        browser.close()
    assert (db.parent / "uploads").is_dir()
