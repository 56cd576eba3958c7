"""The report reads as a report on the sample: 一 narrates the year's activities from the records,
二 names each weak area with its indicators and its overdue 整改 tasks, 四 lists next year's plan with
owners and dates (content model and the rendered docx/HTML)."""
from __future__ import annotations

import io

import duckdb
import pytest
from docx import Document

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
