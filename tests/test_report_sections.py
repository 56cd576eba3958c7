"""The report reads as a report on the sample: 一 narrates the year's activities from the records,
二 names each weak area with its indicators and its overdue 整改 tasks, 四 lists next year's plan with
owners and dates (content model and the rendered docx/HTML); the annex shows no numerator of a mean
and follows 五 without a page break."""
from __future__ import annotations

import io
import re
import subprocess
from pathlib import Path

import duckdb
import pytest
from docx import Document
from docx.oxml.ns import qn

from reporting import report, report_render


@pytest.fixture(scope="module")
def sample_2023(sample_db):
    con = duckdb.connect(str(sample_db), read_only=True)
    yield report.build_content(con, 2023, charts=False)
    con.close()


def sections(content: report.ReportContent) -> dict[str, str]:
    """The docx text under each section heading (paragraphs and the tables in between, in order)."""
    doc = Document(io.BytesIO(report_render.to_docx(content)))
    out, current = {}, None
    for block in doc.element.body.iterchildren():
        tag = block.tag.rsplit("}", 1)[-1]
        text = "".join(t.text or "" for t in block.iter() if t.tag.endswith("}t"))
        if tag == "p" and text in report.SECTION_TITLES:
            current = text
            out[current] = ""
        elif current:
            out[current] += text + "\n"
    return out


def test_section_one_narrates_the_year_s_activities_by_kind_with_counts_titles_and_change(sample_2023):
    assert sample_2023.measures[0] == ("开展公益服务78场，参与5305人次，较上年增加3场，"
                                       "如“关爱独居老人”、“凤凰公益文明劝导”、“凤凰公益助老服务”")
    assert sample_2023.measures[-1].startswith("开展专题学法4场，参与87人次，较上年增加2场，如“理论学习中心组专题学法")
    assert len(sample_2023.measures) == 7
    one = sections(sample_2023)["一、主要举措和成效"]
    assert one.startswith("2023年，全街道开展公益服务78场")


def test_section_two_names_each_weak_area_with_its_indicators_and_overdue_tasks(sample_2023):
    two = sections(sample_2023)["二、存在的不足和原因"]
    disputes, base = (w for w in sample_2023.weak_areas)
    assert [a.status for a in disputes.overdue] == ["推进中"]
    assert report.overdue_text(disputes) == (
        "逾期未完成的整改任务1项：落实法治“第一责任人”，统筹推进法治建设，优化调解队伍，减少行政复议和诉讼发案"
        "（党政综合办公室，2023-12-31到期，推进中）")
    assert base.overdue == ()
    assert "行政争议诉源治理与实质化解" in two and "新增行政复议案件" in two
    assert "逾期未完成的整改任务1项" in two
    assert "截至2023年底，本领域没有逾期未完成的整改任务。" in two


def test_section_four_lists_next_year_s_plan_with_owners_and_dates(sample_2023):
    four = sections(sample_2023)["四、下一年度推进法治政府建设的主要安排"]
    assert [(a.title, a.owner, a.due_date) for a in sample_2023.actions] == [
        ("配备公职律师", "党政综合办公室", "2024-06-30"),
        ("重大行政决策、规范性文件合法性审核全覆盖", "司法所", "2024-12-31"),
        ("建立行政争议化解案例库并开展复盘", "平安法治办", "2024-09-30")]
    for text in ("配备公职律师", "党政综合办公室", "2024-06-30", "平安法治办", "2024-09-30"):
        assert text in four


def test_the_html_report_carries_the_narrative_and_the_overdue_tasks(sample_2023):
    html = report_render.to_html(sample_2023)
    assert "<p>2023年，全街道开展公益服务78场" in html
    assert "逾期未完成的整改任务1项" in html


def test_the_sample_note_is_one_footnote_not_a_note_after_every_figure(sample_2023):
    sentences = [s for area in sample_2023.areas for s in area.sentences]
    assert [s for s in sentences if "示例数据" in s] == []
    footnotes = [n for n in sample_2023.notes if "示例数据（示意，非公开数字）" in n]
    assert len(footnotes) == 1
    assert footnotes[0].startswith("以下指标的数值为示例数据（示意，非公开数字）：") and "法律顾问" in footnotes[0]


def test_the_annex_shows_no_numerator_for_a_mean_as_the_app_does(sample_2023):
    by_id = {f.indicator_id: f for f in sample_2023.indicators}
    satisfaction, success = by_id["mediation_satisfaction"], by_id["mediation_success_rate"]
    assert satisfaction.kind == "mean" and satisfaction.numerator is not None   # a sum of satisfaction scores
    assert report_render._annex_row(satisfaction) == ("调解满意度", "96.3%", "98%", "预警", "—", "225")
    assert report_render._annex_row(success) == ("调解成功率", "94.2%", "95%", "预警", "212", "225")
    annex = report.indicator_table([satisfaction, success])        # the bundle's XLSX sheets
    assert annex[["分子", "分母"]].astype(object).where(annex[["分子", "分母"]].notna(), None).values.tolist() == [
        [None, 225.0], [212.0, 225.0]]


WATERMARK_CHARS = set(report.SAMPLE_WATERMARK) | {" "}


def page_fill(pdf: Path) -> list[tuple[str, float]]:
    """Each page's text and how far down it is filled: the bottom of its lowest line of content as a
    share of the page's height (the page number and the sample's watermark left out)."""
    xhtml = subprocess.run(["pdftotext", "-bbox-layout", str(pdf), "-"], capture_output=True, text=True,
                           check=True).stdout
    pages = []
    for page in xhtml.split("<page ")[1:]:
        height = float(re.search(r'height="([\d.]+)"', page).group(1))
        lines = [(float(y), "".join(re.findall(r">([^<]*)</word>", words)))
                 for y, words in re.findall(r'<line [^>]*yMax="([\d.]+)">(.*?)</line>', page, re.S)]
        content = [(y, text) for y, text in lines
                   if not re.fullmatch(r"\d+\s*/\s*\d+", text) and not set(text) <= WATERMARK_CHARS]
        pages.append(("\n".join(text for _, text in content), max((y for y, _ in content), default=0) / height))
    return pages


def test_no_half_empty_page_before_the_annex_table(sample_db, tmp_path):
    """The 2023 report as `python -m etl report` makes it (charts included): a forced page break before
    the annex left the page of 五 half empty; now the annex follows on that page, its table breaking
    between rows with the header repeated."""
    con = duckdb.connect(str(sample_db), read_only=True)
    content = report.build_content(con, 2023)
    con.close()
    pdf = tmp_path / "r.pdf"
    pdf.write_bytes(report_render.to_pdf(content))
    pages = page_fill(pdf)
    annex = next(i for i, (text, _) in enumerate(pages) if report.ANNEX_TITLE in text)
    starts_a_page = pages[annex][0].startswith(report.ANNEX_TITLE)
    assert not starts_a_page or pages[annex - 1][1] > 0.7, pages[annex - 1]
    assert report.SECTION_TITLES[4] in pages[annex][0]           # on the sample: 五 and the annex share a page
    # the table's header (one text line per cell) again on the next page
    assert [set(report_render.ANNEX_COLUMNS) <= set(text.split("\n")) for text, _ in pages[annex:]] == [True, True]
    doc = Document(io.BytesIO(report_render.to_docx(content)))
    body = list(doc.element.body.iterchildren())
    heading = next(i for i, block in enumerate(body)
                   if "".join(t.text or "" for t in block.iter() if t.tag.endswith("}t")) == report.ANNEX_TITLE)
    assert not [br for block in body[heading - 1:heading + 1] for br in block.iter(qn("w:br"))
                if br.get(qn("w:type")) == "page"]
