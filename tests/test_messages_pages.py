"""The write side's messages where the app shows them, in English: the shaping functions of
reporting.frames, and the pages (AppTest): 数据导入's preview, 数据与质量, 政务公开's GI table checks."""
from __future__ import annotations

import re
from pathlib import Path

import duckdb
import pandas as pd
from streamlit.testing.v1 import AppTest

import etl.restore
from etl import intake
from reporting import frames
from reporting.safe_text import markdown_literal as literal
from test_data_import_page import NEW_CASES, upload_and_preview
from test_frames import NAN, values

ROOT = Path(__file__).resolve().parent.parent
CJK = re.compile("[\u3000-\u303f\u3400-\u4dbf\u4e00-\u9fff\uff00-\uffef]")
REASON_ZH, REASON_EN = "收案日期“2022-13-01”不是有效日期", "filed_date “2022-13-01” is not a valid date"


def english(page: str, **params: str) -> AppTest:
    at = AppTest.from_file(str(ROOT / "dashboard.py"), default_timeout=90)
    at.query_params["lang"] = "English"
    for key, value in params.items():
        at.query_params[key] = value
    at.run()
    at.switch_page(page).run()
    assert not at.exception
    return at


def test_tiles_and_indicator_tables_say_why_there_is_no_data_in_the_reader_s_language():
    v = values(("litigation_cases_new", 2022, NAN, "no_data", None, None, "该年度没有案件记录"),
               ("mediation_cases", 2022, 9.0, "none", None, None, None, "来源：已发布报告（2022年报告）"))
    assert frames.metric_tiles(v, "en")["help"].tolist() == ["No case records for this year", None]
    assert frames.metric_tiles(v, "zh")["help"].tolist() == ["该年度没有案件记录", None]
    table = frames.indicator_table(v, "en")
    assert table[["Why no data", "Note"]].values.tolist() == [
        ["No case records for this year", ""], ["", "Source: published report (“2022年报告”)"]]
    series = frames.indicator_series(v, ("mediation_cases",), "en", note=True)
    assert series["note"].tolist() == ["Source: published report (“2022年报告”)"]


def test_the_load_history_tables_give_file_remarks_and_reasons_in_the_reader_s_language():
    files = pd.DataFrame({"source_file": ["a.csv"], "record_type": ["cases"], "encoding": ["UTF-8"], "rows_read": [2],
                          "rows_loaded": [1], "rows_rejected": [1], "message": ["忽略未知列：备注"], "checksum": ["c"]})
    assert frames.file_table(files, "en")["Message"].tolist() == ["Unknown columns ignored: “备注”"]
    rejects = pd.DataFrame({"record_type": ["cases"], "source_file": ["a.csv"], "source_row": [3],
                            "field": ["filed_date"], "value": ["2022-13-01"], "reason": [REASON_ZH],
                            "kind": ["invalid"]})
    assert frames.reject_table(rejects, "en")["Reason"].tolist() == [REASON_EN]
    assert frames.reject_table(rejects, "zh")["原因"].tolist() == [REASON_ZH]


def test_the_import_preview_gives_reject_reasons_in_english(live):
    at = upload_and_preview(english("pages/data_import.py"), [("cases_x.csv", NEW_CASES, "text/csv")])
    _, rejects, _ = (d.value for d in at.dataframe)
    assert rejects["Reason"].tolist() == [REASON_EN]


def test_a_refused_upload_and_the_file_remarks_are_in_english(live):
    at = english("pages/data_import.py")
    at.file_uploader[0].set_value([
        ("notes.txt", b"hello", "text/plain"),
        ("cases_y.csv", "案件编号,案件类型,收案日期,状态,备注\nC9,行政诉讼,2022-01-01,在办,x\n".encode(), "text/csv")]).run()
    assert not at.exception
    assert [e.value for e in at.error] == [
        literal("“notes.txt” is not a CSV or XLSX file and was not imported (only .csv and .xlsx are accepted).")]
    assert any(m.value.endswith(literal("Unknown columns ignored: “备注”")) for m in at.markdown)


def test_the_gi_checks_on_the_disclosure_page_are_in_english(live):
    with duckdb.connect(str(live)) as con:
        con.executemany('INSERT INTO stg_gi_annual (year, "table", "row", "column", value, source_file, source_row) '
                        "VALUES (?, ?, ?, ?, ?, 'gi.csv', ?)", [
                            (2022, "表三", "一、本年新收政府信息公开申请数量", "总计", 3, 2),
                            (2022, "表三", "（七）总计", "总计", 5, 3),
                            (2022, "表三", "不存在的行", "总计", 1, 4)])
    at = english("pages/disclosure.py", year="2022")
    assert [e.value for e in at.error] == [
        literal("2022 Table III, column “总计”: received this year 3 + carried over 0 = 3, but total 5 + carried "
                "to next year 0 = 5."),
        literal("2022 Table III, column “总计”: the results add up to 0, not to the total of row 7, 5.")]
    assert [i.value for i in at.info if "template" in i.value] == [
        literal("2022 Table III: “不存在的行 / 总计” is not a cell of the annual-report template; not used.")]
    assert [w.value for w in at.warning if "published" in w.value] == [
        literal("2022 Table III “本年新收政府信息公开申请数量 / 总计”: published 3, the records give 4."),
        literal("2022 Table III “总计 / 总计”: published 5, the records give 4.")]


def test_data_quality_gives_reject_reasons_in_english(live):
    at = upload_and_preview(english("pages/data_import.py"), [("cases_x.csv", NEW_CASES, "text/csv")])
    at.button(key="import_confirm").click().run()
    assert not at.exception
    at.switch_page("pages/data_quality.py").run()
    assert not at.exception
    table = next(d.value for d in at.dataframe if "Kind" in d.value.columns)
    assert table.loc[table["Source file"].str.startswith("uploads/cases_"), "Reason"].tolist() == [REASON_EN]
    # The sample's own rejects too: no Chinese outside the quoted values.
    assert len(table) == 4 and [r for r in table["Reason"] if CJK.search(re.sub("“.*?”", "", r))] == []


def test_a_failed_restore_is_said_in_english(live, monkeypatch):
    intake.confirm_import(intake.preview_import(live, [intake.inspect_upload("cases_x.csv", NEW_CASES)]))
    rollback = etl.restore.rollback      # asked for a run that has no snapshot: the real refusal
    monkeypatch.setattr(etl.restore, "rollback", lambda db, run_id, **who: rollback(db, "r-gone", **who))
    at = english("pages/data_quality.py")
    snapshot = at.selectbox(key="dq_snapshot").value
    at.button(key="dq_restore").click().run()
    at.text_area(key="dq_restore_reason").input("wrong file")
    at.button(key="dq_restore_confirm").click().run()
    assert not at.exception
    assert [e.value for e in at.error] == ["Restore failed; nothing was changed: " + literal(
        f"There is no snapshot of run “r-gone” (snapshots kept: {snapshot})")]
