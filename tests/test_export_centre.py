"""导出中心 page (AppTest through the real entry, dashboard.py): choose year and scope, build the
bundle, see the downloads and the bundle's contents; then, in Chromium, the real downloads."""
from __future__ import annotations

import zipfile
from pathlib import Path

import duckdb
import pytest
from PIL import Image, ImageStat
from playwright.sync_api import sync_playwright
from streamlit.testing.v1 import AppTest

from appserver import CHROMIUM, CHROMIUM_ARGS, serve, sign_in
from reporting import export
from report_fixtures import make_tiny_db

DASHBOARD = str(Path(__file__).resolve().parent.parent / "dashboard.py")
PAGE = "pages/export_centre.py"
BUILD_TIMEOUT_S = 120


def open_page(monkeypatch, db: Path) -> AppTest:
    monkeypatch.setenv("COCKPIT_DB", str(db))
    at = AppTest.from_file(DASHBOARD, default_timeout=60).run()
    at.switch_page(PAGE).run()
    assert not at.exception
    return at


def contents(at: AppTest) -> list[str]:
    return [t.value.split("　")[0] for t in at.text]


def test_builds_the_2022_bundle_with_progress_and_downloads(monkeypatch, sample_db):
    at = open_page(monkeypatch, sample_db)
    assert [t.value for t in at.title] == ["导出中心"]
    year, scope = at.selectbox(key="export_year"), at.selectbox(key="export_scope")
    assert year.value == 2024 and scope.value == "全街道"
    year.select(2022).run()
    at.button[0].click().run(timeout=BUILD_TIMEOUT_S)
    assert not at.exception
    assert at.status[0].label.startswith("导出包已生成（") and at.status[0].label.endswith(" MB）")
    assert at.status[0].state == "complete"
    assert [b.key for b in at.get("download_button")] == ["export_zip", "export_docx", "export_pdf"]
    names = contents(at)
    assert "报告/南星街道2022年法治政府建设年度报告（生成稿）.docx" in names
    assert "报告/南星街道2022年法治政府建设年度报告（生成稿）.pdf" in names
    assert "数据/南星街道2022年指标数据.xlsx" in names
    assert sorted(n for n in names if n.startswith("图表/")) == [
        f"图表/{n:02d}_{area}_2022.png" for n, area in enumerate(
            ("responsibility", "administration", "disputes", "disclosure", "outreach", "designation"), start=1)]


def test_one_community_in_english(monkeypatch, sample_db):
    at = open_page(monkeypatch, sample_db)
    at.radio(key="lang").set_value("en").run()
    assert [t.value for t in at.title] == ["Export centre"]
    at.selectbox(key="export_year").select(2022)
    at.selectbox(key="export_scope").select("馒头山社区").run()
    at.button[0].click().run(timeout=BUILD_TIMEOUT_S)
    assert not at.exception
    assert at.status[0].label.startswith("Bundle ready")
    assert "报告/南星街道馒头山社区2022年法治政府建设年度报告（生成稿）.docx" in contents(at)
    # A changed choice does not offer the bundle built for another one.
    at.selectbox(key="export_scope").select("全街道").run()
    assert at.get("download_button") == []


def test_without_chromium_the_bundle_still_has_data_and_word_and_says_why(monkeypatch, tmp_path):
    monkeypatch.setenv(export.CHROMIUM_ENV, str(tmp_path / "no-chromium"))
    at = open_page(monkeypatch, make_tiny_db(tmp_path / "tiny.duckdb"))
    at.button[0].click().run(timeout=BUILD_TIMEOUT_S)
    assert not at.exception
    assert contents(at) == ["图表/无法生成图表.txt", "数据/南星街道2022年指标数据.xlsx",
                            "报告/南星街道2022年法治政府建设年度报告（生成稿）.docx", "报告/无法生成PDF.txt"]
    assert [b.key for b in at.get("download_button")] == ["export_zip", "export_docx"]


def test_a_database_without_values_says_so(monkeypatch, tmp_path):
    db = make_tiny_db(tmp_path / "empty.duckdb")
    with duckdb.connect(str(db)) as con:
        con.execute("DELETE FROM mart_indicator_values")
    at = open_page(monkeypatch, db)
    assert not at.exception
    assert "没有任何年度的指标数据" in " ".join(i.value for i in at.info)
    assert [b.label for b in at.main.button] == []


# --- in a real browser: the lazy downloads run on Streamlit's worker threads -------------------

@pytest.fixture(scope="module")
def served(sample_db, tmp_path_factory):
    with serve(sample_db, tmp_path_factory.mktemp("server") / "streamlit.log") as url, sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield url, browser
        browser.close()


def test_browser_downloads_the_bundle(served):
    url, browser = served
    page = sign_in(browser.new_page(viewport={"width": 1366, "height": 900}, accept_downloads=True),
                   f"{url}/export-centre?year=2022", "evaluator")
    page.get_by_role("button", name="生成导出包").click(timeout=60_000)
    zip_button = page.get_by_role("button", name="下载导出包（.zip）")
    zip_button.wait_for(timeout=BUILD_TIMEOUT_S * 1000)
    with page.expect_download(timeout=60_000) as download:
        zip_button.click()
    assert download.value.suggested_filename == "2022年导出包.zip"
    archive = zipfile.ZipFile(download.value.path())
    assert "报告/南星街道2022年法治政府建设年度报告（生成稿）.pdf" in archive.namelist()
    assert archive.read("报告/南星街道2022年法治政府建设年度报告（生成稿）.pdf").startswith(b"%PDF-")
    page.close()


def test_browser_downloads_a_chart_png_generated_on_click(served):
    url, browser = served
    page = sign_in(browser.new_page(viewport={"width": 1366, "height": 900}, accept_downloads=True),
                   f"{url}/open-government?year=2022", "evaluator")
    page.locator(".js-plotly-plot").first.wait_for(timeout=60_000)
    page.get_by_text("主动公开信息（按年度）").wait_for(timeout=60_000)
    menus = page.locator("button:visible", has_text="下载")
    png = page.get_by_role("button", name="PNG 图片（2倍）")
    # Table menus hold only CSV/XLSX; open menus until one offers the chart image.
    for i in range(menus.count()):
        menus.nth(i).click()
        if png.is_visible():
            break
        page.keyboard.press("Escape")
    with page.expect_download(timeout=60_000) as download:
        png.click()
    image = Image.open(download.value.path())
    assert download.value.suggested_filename.endswith(".png")
    assert image.size[0] == 2 * export.DEFAULT_WIDTH
    assert max(ImageStat.Stat(image.convert("L")).var) > 100
    page.close()
