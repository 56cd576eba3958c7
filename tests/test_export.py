"""reporting.export and cockpit.export_ui: images via kaleido + Chromium, CSV with BOM, XLSX layout."""
from __future__ import annotations

import io
import xml.etree.ElementTree as ET

import openpyxl
import pandas as pd
import plotly.graph_objects as go
import pytest
from PIL import Image, ImageStat
from streamlit.testing.v1 import AppTest

from reporting import export
from signin import sign_in

HEADERS = {"year": "年度", "items": "主动公开信息（条）"}


def small_figure() -> go.Figure:
    return go.Figure(go.Bar(x=["2021年", "2022年"], y=[150, 175], name="主动公开"),
                     layout={"width": 600, "height": 400})


def test_csv_has_bom_and_chinese_round_trips():
    frame = pd.DataFrame({"year": ["2022"], "items": [175], "类别": ["政务动态"]})
    data = export.csv_bytes(frame, HEADERS)
    assert data.startswith(b"\xef\xbb\xbf")
    assert data.decode("utf-8-sig").splitlines() == ["年度,主动公开信息（条）,类别", "2022,175,政务动态"]
    back = pd.read_csv(io.BytesIO(data), encoding="utf-8-sig", dtype=str)
    assert back.to_dict("records") == [{"年度": "2022", "主动公开信息（条）": "175", "类别": "政务动态"}]


def test_xlsx_has_sheets_chinese_headers_and_frozen_header_row():
    data = export.xlsx_bytes({"政务公开": pd.DataFrame({"year": ["2022"], "items": [175]}),
                              "普法/讲座": pd.DataFrame({"场次（场）": [90]})}, HEADERS)
    book = openpyxl.load_workbook(io.BytesIO(data))
    assert book.sheetnames == ["政务公开", "普法_讲座"]
    sheet = book["政务公开"]
    assert [c.value for c in sheet[1]] == ["年度", "主动公开信息（条）"]
    assert [c.value for c in sheet[2]] == ["2022", 175]
    assert sheet.freeze_panes == "A2"
    assert sheet["A1"].font.bold is True
    assert [c.value for c in book["普法_讲座"][1]] == ["场次（场）"]


def test_xlsx_sizes_columns_with_missing_values():
    data = export.xlsx_bytes({"数据": pd.DataFrame({"说明": [None, "分母为0"]})})
    sheet = openpyxl.load_workbook(io.BytesIO(data))["数据"]
    assert [c.value for c in sheet["A"]] == ["说明", None, "分母为0"]
    assert sheet.column_dimensions["A"].width == 9  # 分母为0: 3 CJK × 2 + 1 digit + 2 padding


def test_sheet_names_are_valid_and_unique():
    assert export.sheet_name("a" * 40) == "a" * 31
    assert export.sheet_name("主动公开", {"主动公开"}) == "主动公开_2"
    assert export.sheet_name("[x]:*?") == "_x____"
    assert export.sheet_name("'") == "Sheet"


def test_figure_with_context_carries_title_filters_and_source_without_touching_the_original():
    fig = small_figure()
    framed = export.figure_with_context(fig, title="主动公开信息（条）", filters="范围：全街道；年度：2022",
                                        source="数据来源：示例数据，2026-11-28 载入")
    assert framed.layout.title.text == "主动公开信息（条）"
    assert framed.layout.title.subtitle.text == "范围：全街道；年度：2022"
    assert [a.text for a in framed.layout.annotations] == ["数据来源：示例数据，2026-11-28 载入"]
    assert "Noto Sans CJK SC" in framed.layout.font.family
    assert fig.layout.title.text is None and len(fig.layout.annotations) == 0


def test_a_long_source_line_is_wrapped_and_the_bottom_margin_grows():
    source = "数据来源：" + "示例数据" * 20  # 5 + 80 CJK characters = 170 units
    framed = export.figure_with_context(small_figure(), title="t", source=source)
    lines = framed.layout.annotations[0].text.split("<br>")
    assert "".join(lines) == source
    assert [export.display_width(line) for line in lines] == [92, 78]  # 600 px wide / 6.5 = 92 units
    assert framed.layout.margin.b == 70 + 16 * 2


def test_wrap_display_counts_cjk_double():
    assert export.wrap_display("ab中文cd", 4) == ["ab中", "文cd"]
    assert export.wrap_display("", 4) == []


def test_png_is_twice_the_layout_size_and_not_blank():
    framed = export.figure_with_context(small_figure(), title="主动公开信息（条）", filters="年度：2022",
                                        source="数据来源：示例数据")
    image = Image.open(io.BytesIO(export.figure_bytes(framed, "png")))
    assert image.format == "PNG"
    assert image.size == (1200, 800)
    assert max(ImageStat.Stat(image.convert("L")).var) > 100  # a blank page has variance 0


def test_svg_parses_and_holds_the_chinese_title():
    framed = export.figure_with_context(small_figure(), title="主动公开信息（条）")
    root = ET.fromstring(export.figure_bytes(framed, "svg"))
    assert root.tag.endswith("svg")
    assert "主动公开信息（条）" in "".join(root.itertext())


def test_pdf_is_a_pdf():
    data = export.figure_bytes(small_figure(), "pdf")
    assert data.startswith(b"%PDF-")


def test_unknown_image_format_is_refused():
    with pytest.raises(ValueError, match="unsupported image format 'gif'"):
        export.figure_bytes(small_figure(), "gif")


def test_missing_chromium_says_what_to_install_and_data_exports_still_work(monkeypatch, tmp_path):
    monkeypatch.setenv(export.CHROMIUM_ENV, str(tmp_path / "no-chromium"))
    assert export.image_export_available() is False
    with pytest.raises(export.ImageExportUnavailable, match="apt-get install chromium fonts-noto-cjk"):
        export.figure_bytes(small_figure(), "png")
    assert export.csv_bytes(pd.DataFrame({"年度": ["2022"]})).decode("utf-8-sig") == "年度\n2022\n"
    assert openpyxl.load_workbook(io.BytesIO(export.xlsx_table_bytes(pd.DataFrame({"年度": ["2022"]})))).sheetnames == ["数据"]


def test_a_browser_that_fails_to_start_is_reported_not_waited_for(monkeypatch):
    monkeypatch.setenv(export.CHROMIUM_ENV, "/bin/false")  # executable, but no browser
    with pytest.raises(export.ImageExportFailed, match=r"Chromium 无法启动（/bin/false）"):
        export.figure_bytes(small_figure(), "png")
    monkeypatch.setenv(export.CHROMIUM_ENV, export.DEFAULT_CHROMIUM)
    assert export.figure_bytes(small_figure(), "svg").lstrip().startswith(b"<svg")


def _downloads_app():
    import pandas as pd
    import plotly.graph_objects as go

    from cockpit import auth, ui
    from cockpit.export_ui import chart_downloads

    auth.gate(ui.language_switch)

    fig = go.Figure(go.Bar(x=["2021", "2022"], y=[150, 175]))
    data = pd.DataFrame({"year": ["2021", "2022"], "items": [150, 175]})
    chart_downloads(fig, data, {"title": "主动公开", "filters": "全街道", "source": "示例", "lang": "zh",
                                "name": "disclosure_items", "columns": {"items": "主动公开（条）"}})
    chart_downloads(None, data, {"title": "table", "lang": "en", "name": "table"})


def downloads_app(role: str = "evaluator") -> AppTest:
    return sign_in(AppTest.from_function(_downloads_app), role).run(timeout=30)


def test_chart_downloads_renders_five_buttons_for_a_chart_and_two_for_a_table(app_accounts):
    at = downloads_app()
    assert not at.exception
    buttons = at.get("download_button")
    assert [b.key for b in buttons] == ["dl_disclosure_items_png", "dl_disclosure_items_svg",
                                        "dl_disclosure_items_pdf", "dl_disclosure_items_csv",
                                        "dl_disclosure_items_xlsx", "dl_table_csv", "dl_table_xlsx"]
    assert [b.label for b in buttons][-2:] == ["CSV data", "Excel data"]


def test_chart_downloads_without_chromium_shows_the_install_hint_and_keeps_data_buttons(monkeypatch, tmp_path,
                                                                                       app_accounts):
    monkeypatch.setenv(export.CHROMIUM_ENV, str(tmp_path / "no-chromium"))
    at = downloads_app()
    assert not at.exception
    assert [b.key for b in at.get("download_button")] == ["dl_disclosure_items_csv", "dl_disclosure_items_xlsx",
                                                         "dl_table_csv", "dl_table_xlsx"]
    assert [c.value for c in at.main.caption] == [export.INSTALL_HINT["zh"]]


def test_a_role_without_downloads_gets_no_download_menu(app_accounts):
    at = downloads_app("leadership")
    assert not at.exception
    assert at.get("download_button") == [] and at.get("popover") == []


def test_a_sample_figure_carries_the_watermark_across_the_plot_and_a_real_one_does_not():
    marked = export.figure_with_context(small_figure(), title="主动公开信息（条）", watermark="示例数据 · 非真实数据")
    watermark = [a for a in marked.layout.annotations if a.name == "watermark"]
    assert [(a.text, a.x, a.y, a.textangle) for a in watermark] == [("示例数据 · 非真实数据", 0.5, 0.5, -20)]
    plain = export.figure_with_context(small_figure(), title="主动公开信息（条）")
    assert len(plain.layout.annotations) == 0
    # In the PNG: red pixels of the watermark where the plain image has none.
    def reddish(fig: go.Figure) -> int:
        image = Image.open(io.BytesIO(export.figure_bytes(fig, "png"))).convert("RGB")
        return sum(1 for r, g, b in image.getdata() if r > g + 30 and r > b + 30)
    assert reddish(plain) == 0
    assert reddish(marked) > 1000
