"""Compare year in a real browser: the indicator table shows the two years side by side with the
change (个百分点 for rates), one row per indicator, and the year charts name the compare year."""
from __future__ import annotations

import pytest
from playwright.sync_api import expect

from appserver import serve, sign_in

VIEWPORT = {"width": 1366, "height": 768}


@pytest.fixture(scope="module")
def server(sample_db, tmp_path_factory):
    with serve(sample_db, tmp_path_factory.mktemp("server") / "streamlit.log") as url:
        yield url


def test_compare_year_columns_with_the_change(server, browser):
    page = sign_in(browser.new_page(viewport=VIEWPORT, locale="zh-CN"), f"{server}/disputes?year=2023&compare=2022")
    main = page.get_by_test_id("stMain")
    expect(main.get_by_text("年度：2023（对比 2022）", exact=False).first).to_be_visible(timeout=30_000)
    expect(page.get_by_test_id("stStatusWidget")).to_have_count(0, timeout=30_000)
    table = main.get_by_test_id("stDataFrame").first
    # the grid is a canvas; its accessible twin holds the cells
    for text in ("2023年", "2022年", "增减", "+26.7个百分点", "-5.8个百分点", "+15件"):
        expect(table.get_by_text(text, exact=True).first).to_be_attached(timeout=15_000)
    expect(table.get_by_text("调解成功率", exact=True)).to_have_count(1)   # one row, not one per year
    main.get_by_text("新增行政复议、行政诉讼案件（按年度）").scroll_into_view_if_needed()
    expect(main.locator(".annotation-text", has_text="对比年度").first).to_be_attached(timeout=30_000)
    page.close()
