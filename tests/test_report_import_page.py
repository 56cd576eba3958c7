"""导入已发布报告 on 数据导入, and what an imported report changes elsewhere (AppTest): the figures
proposed for review, the page's preview → confirm, the year filled and labelled on the cockpit, the
drill-down, and a report that disagrees with the records on 数据与质量."""
from __future__ import annotations

from pathlib import Path

from streamlit.testing.v1 import AppTest

from etl import intake
from etl.published_figures import LABEL
from reporting.safe_text import markdown_literal as literal

ROOT = Path(__file__).resolve().parent.parent
TITLE = "南星街道2020年法治政府建设年度报告"
REPORT = (f"{TITLE}\n全年开展理论学习中心组专题学法3次，新增行政诉讼案件1件，开展普法讲座70余场。\n"
          "共主动公开政府信息150条，其中政务动态100条，其他40条。\n").encode()
# A report of a year with records that says otherwise (the sample has 2 lawsuits in 2022).
DISAGREEING = "南星街道2022年法治政府建设年度报告\n新增行政诉讼案件5件。\n".encode()


def page(path: str, year: int | None = None) -> AppTest:
    at = AppTest.from_file(str(ROOT / "dashboard.py"), default_timeout=90)
    if year is not None:
        at.query_params["year"] = str(year)
    at.run()
    at.switch_page(path).run()
    assert not at.exception
    return at


def read_report(name: str, data: bytes) -> AppTest:
    at = page("pages/data_import.py")
    at.file_uploader(key="report_file_0").set_value([(name, data, "text/plain")]).run()
    assert not at.exception
    return at


def whole(db: Path, year: int, *, published: bool = True) -> dict:
    """indicator → (value, note) of the year's whole-subdistrict values (only those from reports)."""
    with intake.open_database(db) as con:
        return {i: (v, n) for i, v, n in con.execute(
            "SELECT indicator_id, value, note FROM mart_indicator_values WHERE year = ? AND community_id IS NULL "
            "AND value IS NOT NULL AND (NOT ? OR starts_with(note, ?))", [year, published, LABEL]).fetchall()}


def test_a_report_is_reviewed_previewed_confirmed_and_fills_its_year(live):
    at = read_report("2020年报告.txt", REPORT)
    assert f"《{TITLE}》（2020年）：读出 6 个数字，其中 4 个已对应指标。" in [m.value for m in at.markdown]
    assert [w.value for w in at.warning if not w.value.startswith("示例数据 · 非真实数据")] == [   # the sample's banner
        "请核对：分项之和 140条 与总数 150条 不一致（两者均已列出，请核对）：共主动公开政府信息150条，其中政务动态100条，其他40条。"]
    assert whole(live, 2020) == {}

    at.button(key="report_preview_button").click().run()
    assert not at.exception
    files = at.dataframe[1].value     # after the review table: the page's own preview of the files
    assert files.to_dict("records") == [{"文件": f"填报值_已发布报告_{TITLE}.csv", "记录类型": "填报值", "读取行数": 4,
                                         "接受": 4, "拒绝": 0, "说明": ""}]
    assert whole(live, 2020) == {}     # nothing changes until confirmed

    at.button(key="import_confirm").click().run()
    assert not at.exception
    assert at.success[0].value.startswith("已导入 1 个文件，接受 4 行、拒绝 0 行")
    label = f"{LABEL}（{TITLE}）"
    assert whole(live, 2020) == {"study_sessions": (3, label), "litigation_cases_new": (1, label),
                                 "outreach_lectures": (70, label + "；报告所写为下限（余、以上等）"),
                                 "disclosure_items": (150, label)}


def test_an_unreadable_report_says_why(live):
    at = read_report("报告.docx", b"not a word file")
    assert [e.value for e in at.error] == [f"无法读取报告：{literal('报告.docx: 不是有效的 Word (.docx) 文件')}"]
    assert "report_preview_button" not in [b.key for b in at.button]


def import_directly(db: Path, report: bytes, name: str = "r.txt") -> None:
    """The import the page makes, without the page: review accepted as proposed."""
    from etl.report_document import load_document
    from etl.report_import import proposals, reported_values_file
    from etl.report_reader import read_document_figures

    reading = read_document_figures(load_document(report, name))
    with intake.open_database(db) as con:
        ids = {i for (i,) in con.execute("SELECT indicator_id FROM ref_indicators").fetchall()}
    file_name, data = reported_values_file(proposals(reading), reading.title, ids)
    intake.confirm_import(intake.preview_import(db, [intake.inspect_upload(file_name, data, "reported_values")]),
                          actor="test")


def test_the_cockpit_labels_a_year_from_a_report_on_its_tile_and_in_the_trend(live):
    import_directly(live, REPORT)
    at = page("pages/cockpit.py", year=2020)
    assert "来源：已发布报告" in [c.value for c in at.caption]
    at = page("pages/cockpit.py", year=2021)
    assert "趋势中 2020 年的数字来源：已发布报告" in [c.value for c in at.caption]


def test_the_drill_down_of_a_filled_year_shows_the_reports_sentence(live):
    import_directly(live, REPORT)
    at = page("pages/cockpit.py", year=2020)
    at.selectbox(key="drill_cockpit").set_value("litigation_cases_new").run()
    assert not at.exception
    assert "该数字取自已发布报告（该年度没有台账记录），以下为报告中的原句。" in [c.value for c in at.caption]
    records = at.dataframe[-1].value
    assert records["来源说明"].tolist() == [f"{TITLE}：全年开展理论学习中心组专题学法3次，新增行政诉讼案件1件，开展普法讲座70余场。"]
    assert records["来源类型"].tolist() == ["已发布报告"]


def test_data_quality_lists_a_report_that_disagrees_with_the_records(live):
    at = page("pages/data_quality.py")
    assert "没有不一致：导入的已发布报告数字与台账记录相符，或在没有台账记录的年度补齐了历史。" in [s.value for s in at.success]
    import_directly(live, DISAGREEING)
    at = page("pages/data_quality.py")
    table = next(d.value for d in at.dataframe if "台账记录" in d.value.columns)
    assert table.to_dict("records") == [{"年度": "2022", "指标": "新增行政诉讼案件", "社区": "全街道", "台账记录": "2件",
                                         "已发布报告": "5件", "报告": "南星街道2022年法治政府建设年度报告"}]
    assert whole(live, 2022, published=False)["litigation_cases_new"] == (2, None)     # the records count


def test_the_exported_data_and_the_report_say_a_figure_comes_from_a_report(live):
    import io

    from openpyxl import load_workbook

    from reporting import db
    from reporting.report import area_workbook, build_content

    import_directly(live, REPORT)
    con = db.connect(live)
    try:
        content = build_content(con, 2020, charts=False)
        workbook = load_workbook(io.BytesIO(area_workbook(con, content)))
    finally:
        con.close()
    notes = {row[2]: row[-1] for sheet in workbook.worksheets[1:] for row in sheet.iter_rows(values_only=True)
             if row[0] == "全街道"}
    assert notes["新增行政诉讼案件"].endswith(f"{LABEL}（{TITLE}）")     # after a target's note, if any
    assert f"新增行政诉讼案件：{LABEL}（{TITLE}）" in content.notes
