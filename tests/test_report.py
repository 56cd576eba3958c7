"""reporting.report / reporting.report_render: the content model from a tiny literal database, the rendered
docx and PDF, the command line, and the 2022 sample report against the published figures."""
from __future__ import annotations

import io
import subprocess
import zipfile
from pathlib import Path

import duckdb
import openpyxl
import pytest
from docx import Document
from docx.oxml.ns import qn
from PIL import Image

from etl.__main__ import main
from reporting import bundle, export, report, report_render
from report_fixtures import make_tiny_db

FOUR_SECTIONS = list(report.SECTION_TITLES[:4])


def figure(**overrides) -> report.IndicatorFigure:
    base = dict(indicator_id="x", name="主动公开信息", unit="条", kind="count",
                area_id="disclosure", weak_area_id=None, target=150.0, value=175.0, numerator=None,
                denominator=None, status="green", no_data_reason=None, note=None, previous_value=158.0)
    return report.IndicatorFigure(**{**base, **overrides})


def pdf_text(data: bytes, tmp_path: Path) -> str:
    path = tmp_path / "r.pdf"
    path.write_bytes(data)
    return subprocess.run(["pdftotext", "-layout", str(path), "-"], capture_output=True, text=True,
                          check=True).stdout


def docx_text(data: bytes) -> tuple[list[str], str]:
    """(headings, all text including table cells)."""
    doc = Document(io.BytesIO(data))
    headings = [p.text for p in doc.paragraphs if p.style.name.startswith("Heading")]
    cells = [c.text for t in doc.tables for r in t.rows for c in r.cells]
    return headings, "\n".join([p.text for p in doc.paragraphs] + cells)


@pytest.fixture
def tiny(tmp_path) -> duckdb.DuckDBPyConnection:
    con = duckdb.connect(str(make_tiny_db(tmp_path / "tiny.duckdb")), read_only=True)
    yield con
    con.close()


# --- numbers and sentences --------------------------------------------------------------------

def test_numbers_are_written_as_the_report_writes_them():
    assert [report.number(v) for v in (175.0, 16000.0, 84.444, 0.6667, 72.5)] == ["175", "16000", "84.4", "0.67", "72.5"]
    assert report.with_unit(100.0, "%") == "100%"
    assert report.with_unit(0.67, "比值") == "0.67"


def test_sentence_states_value_target_and_change():
    assert report.indicator_sentence(figure()) == "主动公开信息175条，目标150条，已达到目标，较上年增加17条"


def test_sentence_of_a_rate_gives_its_parts_and_change_in_points():
    rate = figure(name="依申请按期答复率", unit="%", kind="rate", value=75.0, numerator=3.0, denominator=4.0,
                  target=100.0, status="red", previous_value=100.0, note="工作日不计节假日")
    assert report.indicator_sentence(rate) == ("依申请按期答复率75%（3/4），目标100%，未达到目标，"
                                               "较上年减少25个百分点（注：工作日不计节假日）")


def test_missing_figure_says_no_data_with_the_reason_and_no_number():
    missing = figure(value=None, status="no_data", no_data_reason="分母为0：该年度无审结的行政复议案件")
    assert report.indicator_sentence(missing) == "主动公开信息：暂无数据（分母为0：该年度无审结的行政复议案件）"
    assert missing.change_text == "—"


def test_unchanged_figure_without_target():
    flat = figure(name="依申请公开", unit="件", target=None, status="none", value=4.0, previous_value=4.0)
    assert report.indicator_sentence(flat) == "依申请公开4件，与上年持平"


# --- content model ------------------------------------------------------------------------------

def test_content_follows_areas_and_weak_areas_of_the_catalogue(tiny):
    content = report.build_content(tiny, 2022, charts=False)
    assert [a.title for a in content.areas] == ["（一）法治责任与学法", "（二）依法行政与执法规范", "（三）行政争议预防化解",
                                                "（四）政务公开", "（五）普法与法律服务", "（六）民主法治示范创建"]
    assert content.areas[0].sentences == ("理论学习中心组专题学法2次，目标2次（沿用2021年目标），已达到目标，较上年增加1次",)
    disclosure = content.areas[3].sentences
    assert disclosure[0] == "主动公开信息175条，目标150条（沿用2021年目标），已达到目标，较上年增加25条（注：2022年仅统计网站渠道）"
    assert disclosure[-2:] == ("主动公开信息按类别：政务动态2条，年报1条", "主动公开信息按渠道：网站3条")
    assert content.areas[5].sentences[-1] == "馒头山社区获“全国民主法治示范村(社区)”称号（司法部、民政部，2020年）"
    assert [(w.weak_area_id, w.title) for w in content.weak_areas] == [("W1", "行政争议诉源治理与实质化解"),
                                                                     ("W2", "法治基层基础建设")]
    assert content.weak_areas[1].summary == ("本年度该项共3个指标，达标0个、预警0个、未达标1个，"
                                             "暂无数据2个（法律顾问、合法性审核覆盖率）。")
    assert len(content.indicators) == 32


def test_content_duty_actions_cover_and_notes(tiny):
    content = report.build_content(tiny, 2022, charts=False)
    assert content.duty_sentences[:2] == ["党政主要负责人带头学法：理论学习中心组专题学法2次",
                                          "行政机关负责人出庭应诉：开庭审理的行政诉讼案件2件，负责人出庭2件，出庭应诉率100%"]
    # The 2023 plan, by action id: plan_year 2023 (A2023-05 although due in 2024), or no plan year and
    # due in 2023 (A2023-03); not the 2024 plan (due after 2022 too), not the action of 2022.
    assert [(a.action_id, a.status) for a in content.actions] == [("A2023-01", "推进中"), ("A2023-03", "未启动"),
                                                                  ("A2023-05", "推进中")]
    assert content.title == "南星街道2022年法治政府建设年度报告"
    assert content.cover_lines[0].startswith("本稿由法治政府建设指标驾驶舱根据数据库自动生成，是供党政办编辑修改的草稿")
    assert "数据来源：南星街道示例数据（示例数据），2026-11-28 08:00 载入" in content.cover_lines
    assert content.cover_lines[-1].startswith("注意：本稿基于示例数据")
    assert content.notes[0] == "主动公开信息：2022年仅统计网站渠道"


def test_real_data_cover_has_no_sample_warning(tmp_path):
    con = duckdb.connect(str(make_tiny_db(tmp_path / "real.duckdb", sample=False)), read_only=True)
    content = report.build_content(con, 2022, charts=False)
    assert not any(line.startswith("注意") for line in content.cover_lines)
    assert not any("示例数据" in note for note in content.notes)


def test_community_by_alias_reads_that_communitys_rows(tiny):
    content = report.build_content(tiny, 2022, "馒头山", charts=False)
    assert (content.community_id, content.scope) == ("NX01", "馒头山社区")
    assert content.title == "南星街道馒头山社区2022年法治政府建设年度报告"
    assert content.areas[0].sentences == ("理论学习中心组专题学法1次，无社区目标",)
    assert content.areas[3].sentences[0] == "主动公开信息：暂无数据（政务公开记录不分社区）"


def test_unknown_community_and_year_are_refused_in_words(tiny):
    with pytest.raises(report.ReportError, match="未找到社区“近江”。已知社区：馒头山社区、白塔岭社区"):
        report.build_content(tiny, 2022, "近江", charts=False)
    with pytest.raises(report.ReportError, match="数据库中没有2030年的指标数据。已有年度：2021、2022"):
        report.build_content(tiny, 2030, charts=False)


# --- rendered files -------------------------------------------------------------------------------

@pytest.fixture(scope="module")
def tiny_rendered(tmp_path_factory):
    """docx and PDF of the tiny database's 2022 report (rendered once: charts take a second each)."""
    path = make_tiny_db(tmp_path_factory.mktemp("tiny") / "tiny.duckdb")
    con = duckdb.connect(str(path), read_only=True)
    content = report.build_content(con, 2022)
    con.close()
    return content, report_render.to_docx(content), report_render.to_pdf(content)


def test_docx_has_sections_figures_tables_and_charts(tiny_rendered):
    content, data, _ = tiny_rendered
    headings, text = docx_text(data)
    assert headings[:2] == [FOUR_SECTIONS[0], "（一）法治责任与学法"]
    for title in (*report.SECTION_TITLES, report.ANNEX_TITLE):
        assert title in headings
    assert "（数据生成稿，供编辑）" in text
    assert "主动公开信息175条" in text and "负责人出庭应诉率100%（2/2）" in text
    doc = Document(io.BytesIO(data))
    heading_fonts = doc.styles["Heading 1"].element.rPr.rFonts
    assert heading_fonts.get(qn("w:eastAsia")) == "黑体" and heading_fonts.get(qn("w:eastAsiaTheme")) is None
    assert doc.styles["Normal"].element.rPr.rFonts.get(qn("w:eastAsia")) == "宋体"
    charted = [a for a in content.areas if a.chart is not None]
    assert len(doc.inline_shapes) == len(charted) == 4  # areas without any value get no chart
    annex = doc.tables[-1]
    assert [c.text for c in annex.rows[0].cells] == list(report_render.ANNEX_COLUMNS)
    assert len(annex.rows) == 1 + 32
    row = next(r for r in annex.rows if r.cells[0].text == "行政争议实质化解率")
    assert [c.text for c in row.cells] == ["行政争议实质化解率", "暂无数据：分母为0：该年度无审结的行政争议案件",
                                           "60%", "暂无数据", "0", "0"]


def test_pdf_text_has_sections_and_figures(tiny_rendered, tmp_path):
    _, _, data = tiny_rendered
    assert data.startswith(b"%PDF-")
    text = pdf_text(data, tmp_path).replace("\n", "")
    for title in FOUR_SECTIONS:
        assert title in text
    assert "主动公开信息175条" in text and "出庭应诉率100%" in text


def test_chart_png_is_twice_the_figure_size(tiny_rendered):
    content, _, _ = tiny_rendered
    chart = content.areas[2].chart
    image = Image.open(io.BytesIO(chart.png))
    assert image.size == (2 * chart.figure.layout.width, 2 * chart.figure.layout.height)


def test_without_chromium_the_docx_says_why_charts_are_missing_and_pdf_names_the_install(tiny, monkeypatch, tmp_path):
    monkeypatch.setenv(export.CHROMIUM_ENV, str(tmp_path / "no-chromium"))
    content = report.build_content(tiny, 2022)
    assert all(a.chart is None or a.chart.png is None for a in content.areas)
    _, text = docx_text(report_render.to_docx(content))
    assert f"图表未生成：{export.INSTALL_HINT['zh']}" in text
    with pytest.raises(export.ImageExportUnavailable, match="apt-get install chromium fonts-noto-cjk"):
        report_render.to_pdf(content)


def test_a_failing_browser_leaves_the_docx_whole_and_the_pdf_says_why(tiny, monkeypatch):
    monkeypatch.setenv(export.CHROMIUM_ENV, "/bin/false")
    content = report.build_content(tiny, 2022)
    assert content.chart_problem.startswith("Chromium 无法启动（/bin/false）")
    _, text = docx_text(report_render.to_docx(content))
    assert "图表未生成：Chromium 无法启动" in text and "主动公开信息175条" in text
    with pytest.raises(export.ImageExportFailed, match="Chromium 未能生成 PDF（/bin/false，退出码 1）"):
        report_render.to_pdf(content)


# --- bundle and command line ----------------------------------------------------------------------

def test_bundle_holds_charts_workbook_and_both_reports(tiny):
    steps = []
    data = bundle.build_bundle(tiny, 2022, progress=lambda fraction, text: steps.append((fraction, text)))
    archive = zipfile.ZipFile(io.BytesIO(data))
    names = archive.namelist()
    assert sorted(n for n in names if n.startswith("图表/")) == [
        "图表/01_responsibility_2022.png", "图表/02_administration_2022.png",
        "图表/03_disputes_2022.png", "图表/04_disclosure_2022.png"]
    assert "报告/南星街道2022年法治政府建设年度报告（生成稿）.docx" in names
    assert "报告/南星街道2022年法治政府建设年度报告（生成稿）.pdf" in names
    book = openpyxl.load_workbook(io.BytesIO(archive.read("数据/南星街道2022年指标数据.xlsx")))
    assert book.sheetnames == ["说明", "法治责任与学法", "依法行政与执法规范", "行政争议预防化解", "政务公开",
                               "普法与法律服务", "民主法治示范创建"]
    sheet = book["法治责任与学法"]
    assert [c.value for c in sheet[1]] == ["范围", *report.ANNEX_HEADERS.values()]
    assert [c.value for c in sheet["A"]][1:] == ["全街道", "馒头山社区", "白塔岭社区"]
    assert sheet.freeze_panes == "A2"
    assert steps[:3] == [(0.02, "读取指标"), (0.05, "生成图表（1/6）：法治责任与学法"),
                         (0.05 + 0.4 / 6, "生成图表（2/6）：依法行政与执法规范")]
    assert steps[-1] == (1.0, "完成")
    assert [f for f, _ in steps] == sorted(f for f, _ in steps)


def test_cli_writes_docx_and_reports_a_bad_community(tmp_path, capsys):
    db = make_tiny_db(tmp_path / "tiny.duckdb")
    out = tmp_path / "out" / "report.docx"
    assert main(["report", "--year", "2022", "--format", "docx", "--out", str(out), "--db", str(db)]) == 0
    headings, _ = docx_text(out.read_bytes())
    assert FOUR_SECTIONS[3] in headings
    assert main(["report", "--year", "2022", "--community", "近江", "--format", "docx",
                 "--out", str(tmp_path / "x.docx"), "--db", str(db)]) == 1
    assert "无法生成报告：未找到社区“近江”" in capsys.readouterr().out
    assert not (tmp_path / "x.docx").exists()


def test_cli_missing_database_is_said_in_words(tmp_path, capsys):
    assert main(["report", "--year", "2022", "--format", "pdf", "--out", str(tmp_path / "r.pdf"),
                 "--db", str(tmp_path / "none.duckdb")]) == 2
    assert "未找到数据库" in capsys.readouterr().out


# --- the 2022 sample report against the published figures -----------------------------------------

@pytest.fixture(scope="module")
def sample_2022(sample_db, tmp_path_factory):
    out = tmp_path_factory.mktemp("sample_report")
    for fmt in ("docx", "pdf"):
        assert main(["report", "--year", "2022", "--format", fmt, "--out", str(out / f"r.{fmt}"),
                     "--db", str(sample_db)]) == 0
    return out


def test_sample_2022_docx_has_the_published_figures(sample_2022):
    headings, text = docx_text((sample_2022 / "r.docx").read_bytes())
    for title in FOUR_SECTIONS:
        assert title in headings
    for published in ("主动公开信息175条", "政务动态85条", "财政信息20条", "公示公告12条", "年报6条", "民生实事5条",
                      "其他47条", "负责人出庭应诉率100%（2/2）", "理论学习中心组专题学法2次", "新增行政复议案件0件",
                      "新增行政诉讼案件2件", "裁量基准细化事项165项", "裁量基准覆盖领域18个", "便民活动68场",
                      "公益社团43个", "公职律师0人", "民主法治社区覆盖率100%",
                      "馒头山社区获“全国民主法治示范村(社区)”称号（司法部、民政部"):
        assert published in text, published


def test_sample_2022_pdf_has_the_published_figures(sample_2022, tmp_path):
    text = pdf_text((sample_2022 / "r.pdf").read_bytes(), tmp_path).replace("\n", "").replace(" ", "")
    for title in FOUR_SECTIONS:
        assert title in text
    for published in ("主动公开信息175条", "出庭应诉率100%", "专题学法2次", "裁量基准细化事项165项"):
        assert published in text, published


def test_sample_reports_list_the_next_years_plan_only(sample_db):
    con = duckdb.connect(str(sample_db), read_only=True)
    try:
        plan_2023 = report.build_content(con, 2022, charts=False)
        plan_2024 = report.build_content(con, 2023, charts=False)
        plan_2025 = report.build_content(con, 2024, charts=False)
    finally:
        con.close()
    # 2022 → the report's five 2023 actions (domain.md §6), although three are due in 2024; none of 2024's plan.
    assert [(a.action_id, a.weak_area_id, a.due_date) for a in plan_2023.actions] == [
        ("A2023-01", "W1", "2023-12-31"), ("A2023-02", None, "2024-06-30"), ("A2023-03", "W2", "2024-12-31"),
        ("A2023-04", None, "2023-12-31"), ("A2023-05", "W1", "2024-06-30")]
    assert plan_2023.actions[3].title == "加强精准普法，启动南星里“幸福邻里”普法体验点项目"
    # 2023 → the 2024 plan only, not the 2023 actions due in 2024.
    assert [a.action_id for a in plan_2024.actions] == ["A2024-01", "A2024-02", "A2024-03"]
    assert plan_2025.actions == []
    data = report_render.to_docx(plan_2023)
    _, text = docx_text(data)
    assert "整改与年度安排台账中2023年度安排的任务共5项，状态与进展截至数据载入时：" in text
    table = next(t for t in Document(io.BytesIO(data)).tables
                 if [c.text for c in t.rows[0].cells] == list(report_render.ACTION_COLUMNS))
    assert [(r.cells[0].text, r.cells[2].text, r.cells[4].text) for r in table.rows[1:]] == [
        ("1", "W1", "2023-12-31"), ("2", "—", "2024-06-30"), ("3", "W2", "2024-12-31"), ("4", "—", "2023-12-31"),
        ("5", "W1", "2024-06-30")]
    _, text = docx_text(report_render.to_docx(plan_2025))
    assert "整改与年度安排台账中尚未录入2025年度的安排。" in text


def test_a_database_without_plan_year_falls_back_to_the_due_year(tmp_path):
    path = make_tiny_db(tmp_path / "old.duckdb")
    with duckdb.connect(str(path)) as con:
        con.execute("ALTER TABLE stg_actions DROP COLUMN plan_year")
    with duckdb.connect(str(path), read_only=True) as con:
        content = report.build_content(con, 2022, charts=False)
    assert [a.action_id for a in content.actions] == ["A2023-01", "A2023-03"]


def test_export_command_writes_the_bundle_zipped_and_unpacked(sample_db, tmp_path, capsys):
    out = tmp_path / "out"
    assert main(["export", "--year", "2022", "--community", "馒头山", "--out", str(out), "--db", str(sample_db)]) == 0
    archive = out / "馒头山2022年导出包.zip"
    names = zipfile.ZipFile(archive).namelist()
    unpacked = sorted(str(p.relative_to(out / "馒头山2022年导出包")) for p in (out / "馒头山2022年导出包").rglob("*")
                      if p.is_file())
    assert unpacked == sorted(names)
    assert "报告/南星街道馒头山社区2022年法治政府建设年度报告（生成稿）.docx" in names
    assert "数据/南星街道馒头山社区2022年指标数据.xlsx" in names
    assert "已导出" in capsys.readouterr().out


def test_export_command_without_a_database_says_so(tmp_path, capsys):
    assert main(["export", "--year", "2022", "--out", str(tmp_path), "--db", str(tmp_path / "none.duckdb")]) == 2
    assert "未找到数据库" in capsys.readouterr().out


def test_every_page_of_a_sample_report_carries_the_watermark_and_a_real_report_none(tiny, tmp_path):
    sample = report.build_content(tiny, 2022, charts=False)
    assert sample.is_sample
    doc = Document(io.BytesIO(report_render.to_docx(sample)))
    assert [p.text for p in doc.sections[0].header.paragraphs] == ["示例数据 · 非真实数据"]
    assert not doc.sections[0].different_first_page_header_footer   # the cover too
    pdf = tmp_path / "sample.pdf"
    pdf.write_bytes(report_render.to_pdf(sample))
    pages = subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True,
                           check=True).stdout.split("\f")[:-1]
    assert len(pages) >= 3
    # pdftotext reads the rotated line one character per line, ordered by height: its run of lines
    # holds the watermark's characters (each page: a run of ten one-character lines).
    def marked(page: str) -> bool:
        lines = page.split("\n")
        return any(sorted(lines[i:i + 10]) == sorted("示例数据·非真实数据") for i in range(len(lines)))
    assert [marked(page) for page in pages] == [True] * len(pages)

    con = duckdb.connect(str(make_tiny_db(tmp_path / "real.duckdb", sample=False)), read_only=True)
    real = report.build_content(con, 2022, charts=False)
    doc = Document(io.BytesIO(report_render.to_docx(real)))
    assert [p.text for p in doc.sections[0].header.paragraphs] == [""]
    assert "watermark" not in report_render.to_html(real).split("<body>")[1]
