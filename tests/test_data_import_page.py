"""数据导入 page (AppTest): preview counts, nothing changes until confirmed, cancel, refused files."""
from __future__ import annotations

import hashlib
from pathlib import Path

from streamlit.testing.v1 import AppTest

from etl import intake, schema
from reporting.safe_text import markdown_literal as literal
from test_app_pages import chinese_labels

ROOT = Path(__file__).resolve().parent.parent
NEW_CASES = ("案件编号,案件类型,收案日期,结案日期,状态,结果,是否开庭,负责人是否出庭,化解方式\n"
             "XZSS-2022-801,行政诉讼,2022-05-01,2022-08-01,审结,败诉,是,否,判决\n"
             "XZSS-2022-802,行政诉讼,2022-06-01,2022-09-01,审结,胜诉,是,是,判决\n"
             "XZSS-2022-803,行政诉讼,2022-13-01,,在办,,,,\n").encode()


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def litigation_2022(db: Path) -> float:
    with intake.open_database(db) as con:
        return con.execute("SELECT value FROM mart_indicator_values WHERE indicator_id = 'litigation_cases_new' "
                           "AND year = 2022 AND community_id IS NULL").fetchone()[0]


def import_page(lang: str = "zh") -> AppTest:
    at = AppTest.from_file(str(ROOT / "dashboard.py"), default_timeout=90).run()
    if lang != "zh":
        at.radio(key="lang").set_value(lang).run()
    at.switch_page("pages/data_import.py").run()
    assert not at.exception
    return at


def upload_and_preview(at: AppTest, files) -> AppTest:
    at.file_uploader[0].set_value(files).run()
    at.button(key="import_preview_button").click().run()
    assert not at.exception
    return at


def test_preview_shows_counts_and_changes_nothing_until_confirmed(live):
    before = digest(live)
    at = upload_and_preview(import_page(), [("案件_2022补录.csv", NEW_CASES, "text/csv")])
    files, rejects, indicators = (d.value for d in at.dataframe)
    assert files.to_dict("records") == [{"文件": "案件_2022补录.csv", "记录类型": "案件", "读取行数": 3, "接受": 2,
                                         "拒绝": 1, "说明": ""}]
    assert rejects.to_dict("records") == [{"行号": 4, "字段": "收案日期", "值": "2022-13-01",
                                           "原因": "收案日期“2022-13-01”不是有效日期", "类型": "无效"}]
    row = indicators[indicators["指标"] == "新增行政诉讼案件"].iloc[0]
    assert (row["年度"], row["导入前"], row["导入后"], row["变化"]) == ("2022", "2件", "4件", "+2件")
    assert [e.label for e in at.expander][0] == f"“{literal('案件_2022补录.csv')}”被拒绝的 1 行"   # names shown inert
    assert digest(live) == before and not intake.uploads_dir(live).exists()

    at.button(key="import_confirm").click().run()
    assert not at.exception
    assert at.success[0].value.startswith("已导入 1 个文件，接受 2 行、拒绝 1 行；新数据库已发布")
    assert litigation_2022(live) == 4
    assert [p.name for p in intake.kept_upload_files(live)] == [f"cases_{hashlib.sha256(NEW_CASES).hexdigest()}.csv"]
    assert len(at.dataframe) == 1                      # the preview is gone; only the kept-files table remains
    with intake.open_database(live) as con:            # the run history names the signed-in user
        assert con.execute("SELECT actor FROM etl_runs ORDER BY finished_at DESC LIMIT 1").fetchone() == ("test_admin",)


def test_cancel_changes_nothing(live):
    before = digest(live)
    at = upload_and_preview(import_page(), [("cases_x.csv", NEW_CASES, "text/csv")])
    preview = at.session_state["import_preview"]
    at.button(key="import_cancel").click().run()
    assert [i.value for i in at.info] == ["已取消导入，数据库未作任何更改。"]
    assert not preview.work_dir.exists()
    assert digest(live) == before and not intake.uploads_dir(live).exists()


def test_refused_files_are_named_and_nothing_can_be_imported(live):
    before = digest(live)
    at = import_page()
    at.file_uploader[0].set_value([("notes.txt", b"hello", "text/plain"),
                                   ("台账.csv", "姓名,电话\n张三,123\n".encode(), "text/csv")]).run()
    assert not at.exception
    assert [e.value for e in at.error] == [
        literal("“notes.txt”不是 CSV 或 XLSX 文件，未导入（只接受 .csv 和 .xlsx）。"),
        literal("“台账.csv”无法读取，未导入：无法识别记录类型：文件名不以记录类型开头，表头也不匹配任何记录类型")]
    assert [i.value for i in at.info] == ["没有可导入的文件。"]
    assert not [b for b in at.button if b.key == "import_preview_button"]
    assert digest(live) == before


def test_chosen_type_overrides_the_recognised_one_in_english(live):
    at = import_page("en")
    at.file_uploader[0].set_value([("ledger.csv", "编号,日期,公开方式\nGK-9,2022-01-01,主动公开\n".encode(),
                                    "text/csv")]).run()
    [type_box] = [s for s in at.selectbox if s.key.startswith("import_type_")]
    assert type_box.value == "disclosures"
    type_box.set_value("outreach").run()
    assert not at.exception
    assert any(m.value.startswith("read as “outreach” (recognised as “disclosures”)") for m in at.markdown)
    assert sorted(b.label for b in at.get("download_button")) == sorted([*schema.RECORD_TYPES, "All templates (zip)"])


def test_preview_confirm_and_restore_in_english_show_no_chinese_labels(live):
    at = AppTest.from_file(str(ROOT / "dashboard.py"), default_timeout=90)
    at.query_params["lang"] = "English"     # as a link or the switch leaves it: the language survives st.rerun
    at.run()
    at.switch_page("pages/data_import.py").run()
    assert not at.exception
    assert not chinese_labels(at), chinese_labels(at)
    at = upload_and_preview(at, [("cases_x.csv", NEW_CASES, "text/csv")])
    assert "recognised as “cases”, 3 rows" in [m.value for m in at.markdown]
    assert [e.label for e in at.expander][0] == f"1 rejected row of “{literal('cases_x.csv')}”"
    files, rejects, indicators = (d.value for d in at.dataframe)
    assert files.to_dict("records") == [{"File": "cases_x.csv", "Record type": "cases", "Rows read": 3,
                                         "Accepted": 2, "Rejected": 1, "Remarks": ""}]
    assert list(rejects.columns) == ["Row", "Field", "Value", "Reason", "Kind"]
    assert rejects["Field"].tolist() == ["filed_date"] and rejects["Kind"].tolist() == ["invalid"]
    assert list(indicators.columns) == ["Year", "Indicator", "Before", "After", "Change", "Status"]
    assert [c.value for c in at.caption if c.value.startswith("Years")] == ["Years affected: 2022"]
    # The reasons are data (etl writes them in Chinese); every label around them is English.
    assert not chinese_labels(at), chinese_labels(at)

    at.button(key="import_confirm").click().run()
    assert not at.exception
    assert at.success[0].value.startswith("Imported 1 file: 2 rows accepted, 1 rejected; the new database is "
                                          "published")
    assert not chinese_labels(at), chinese_labels(at)

    at.switch_page("pages/data_quality.py").run()
    assert not at.exception and not chinese_labels(at), chinese_labels(at)
    snapshot = at.selectbox(key="dq_snapshot")
    at.button(key="dq_restore").click().run()
    assert not at.exception and not chinese_labels(at), chinese_labels(at)
    at.text_area(key="dq_restore_reason").input("wrong file")      # a form: sent with its submit button
    at.button(key="dq_restore_confirm").click().run()
    assert not at.exception
    assert at.success[-1].value.startswith(f"Restored the database of run {snapshot.value} (new run ")
    assert at.success[-1].value.endswith(f"later imports will not read them: "
                                         + literal(f"cases_{hashlib.sha256(NEW_CASES).hexdigest()}.csv"))
    assert not chinese_labels(at), chinese_labels(at)
    runs = next(df.value for df in at.dataframe if "Result" in df.value.columns)
    assert runs["Result"].iloc[0] == f"restored from {snapshot.value}"


def test_data_quality_page_restores_a_snapshot_after_a_confirmation_with_a_reason(live):
    def mart() -> list[tuple]:
        with intake.open_database(live) as con:
            return con.execute("SELECT indicator_id, year, community_id, value, status FROM mart_indicator_values "
                               "ORDER BY ALL").fetchall()

    before = mart()
    intake.confirm_import(intake.preview_import(live, [intake.inspect_upload("cases_x.csv", NEW_CASES)]))
    assert litigation_2022(live) == 4
    at = AppTest.from_file(str(ROOT / "dashboard.py"), default_timeout=90).run()
    at.switch_page("pages/data_quality.py").run()
    assert not at.exception
    [snapshot] = [s for s in at.selectbox if s.key == "dq_snapshot"]
    assert len(snapshot.options) == 1
    at.button(key="dq_restore").click().run()
    assert not at.exception
    assert [w.value for w in at.warning][-1].startswith(f"确认将数据库恢复为运行 {literal(snapshot.value)} 的快照？")
    assert litigation_2022(live) == 4                     # nothing yet: first a confirmation and a reason
    at.button(key="dq_restore_confirm").click().run()
    assert [e.value for e in at.error] == ["请填写恢复原因，数据库未作更改。"]
    assert litigation_2022(live) == 4
    at.text_area(key="dq_restore_reason").input("补录数据有误，撤回")      # a form: sent with its submit button
    at.button(key="dq_restore_confirm").click().run()
    assert not at.exception
    assert at.success[-1].value.startswith(f"已恢复运行 {snapshot.value} 的数据库")
    assert at.success[-1].value.endswith("之后的导入不会再读取：" + literal(f"cases_{hashlib.sha256(NEW_CASES).hexdigest()}.csv"))
    assert mart() == before
    assert intake.kept_upload_files(live) == []
    with intake.open_database(live) as con:
        assert con.execute("SELECT status, reason, actor FROM etl_runs ORDER BY finished_at DESC LIMIT 1").fetchone() \
            == (f"rollback:{snapshot.value}", "补录数据有误，撤回", "test_admin")


def test_cancelling_a_restore_changes_nothing(live):
    intake.confirm_import(intake.preview_import(live, [intake.inspect_upload("cases_x.csv", NEW_CASES)]))
    before = digest(live)
    at = AppTest.from_file(str(ROOT / "dashboard.py"), default_timeout=90).run()
    at.switch_page("pages/data_quality.py").run()
    at.button(key="dq_restore").click().run()
    at.text_area(key="dq_restore_reason").input("试一下")
    at.button(key="dq_restore_cancel").click().run()
    assert not at.exception
    assert not [b for b in at.button if b.key == "dq_restore_confirm"]
    assert digest(live) == before


def test_the_preview_names_the_records_an_upload_replaces(live):
    with intake.open_database(live) as con:
        case_id, source_file, source_row = con.execute(
            "SELECT case_id, source_file, source_row FROM stg_cases WHERE status = '在办' ORDER BY case_id LIMIT 1"
        ).fetchone()
    correction = (NEW_CASES.decode().splitlines()[0] + f"\n{case_id},行政诉讼,2022-05-01,2022-08-01,审结,败诉,是,否,判决\n").encode()
    at = upload_and_preview(import_page(), [("更正.csv", correction, "text/csv")])
    replaced = next(d.value for d in at.dataframe if "键" in d.value.columns)
    assert replaced.to_dict("records") == [{"记录类型": "案件", "键": case_id, "原记录所在文件": source_file,
                                            "行号": source_row, "更正文件": "更正.csv", "更正行号": 2}]


def test_first_data_can_be_imported_when_there_is_no_database(tmp_path, monkeypatch):
    db = tmp_path / "warehouse.duckdb"
    monkeypatch.setenv("COCKPIT_DB", str(db))
    at = AppTest.from_file(str(ROOT / "dashboard.py"), default_timeout=90).run()
    at.switch_page("pages/data_import.py").run()
    assert not at.exception
    communities = "社区编号,社区名称,街道,区\nNX01,馒头山社区,南星街道,上城区\n".encode()
    at = upload_and_preview(at, [("社区名录.csv", communities, "text/csv"), ("cases.csv", NEW_CASES, "text/csv")])
    assert at.dataframe[0].value[["读取行数", "接受", "拒绝"]].values.tolist() == [[1, 1, 0], [3, 2, 1]]
    at.button(key="import_confirm").click().run()
    assert not at.exception
    assert litigation_2022(db) == 2
