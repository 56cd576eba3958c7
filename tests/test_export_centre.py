"""导出中心 page (AppTest through the real entry, dashboard.py): choose year and scope, build the
bundle, see the downloads and the bundle's contents."""
from __future__ import annotations

from pathlib import Path

import duckdb
from streamlit.testing.v1 import AppTest

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


def test_a_database_without_values_says_so(monkeypatch, tmp_path):
    db = make_tiny_db(tmp_path / "empty.duckdb")
    with duckdb.connect(str(db)) as con:
        con.execute("DELETE FROM mart_indicator_values")
    at = open_page(monkeypatch, db)
    assert not at.exception
    assert "没有任何年度的指标数据" in " ".join(i.value for i in at.info)
    assert [b.label for b in at.button] == []
