"""Every message the write side really gives a user translates to English (etl.messages).

The corpus is made the way users meet the messages: the rejects and file remarks of building the
sample data and of small hostile files, the refusals of uploads, the GI table checks, and the errors
of builds, imports, publishes and restores. Chinese may remain in an English message only inside
quotes “…”, where it is the user's own value (a cell, a file or sheet name, a template label)."""
from __future__ import annotations

import errno
import re
import shutil
from pathlib import Path

import duckdb
import openpyxl
import pandas as pd
import pytest

import etl.build
import etl.publish
from etl import intake, publish
from etl.build import build, check
from etl.datatests import assert_data_tests
from etl.errors import EtlError, StorageError
from etl.gi_annual import gi_report, gi_years
from etl.messages import _BY_KEY, translate
from etl.report_document import load_document
from etl.report_import import reported_values_file
from test_hostile_input import BROKEN, cases_xlsx, write_xlsx
from test_publish_integrity import hold_lock

CJK = re.compile("[\u3000-\u303f\u3400-\u4dbf\u4e00-\u9fff\uff00-\uffef]")
QUOTED = re.compile("“.*?”", re.DOTALL)

COMMUNITIES = "社区编号,社区名称,别名,街道,区\nNX01,馒头山社区,馒头山,南星街道,上城区\n"
CASES = ("案件编号,案件类型,收案日期,结案日期,状态,结果,是否开庭,负责人是否出庭,化解方式,社区,执法领域,满意度,备注\n"
         "C01,行政诉讼,2022-13-01,,在办,,,,,,,,\n"
         "C02,仲裁,2022-01-01,,在办,,,,,,,,\n"
         "C03,行政诉讼,2022-01-01,,在办,,也许,,,,,,\n"
         "C04,行政诉讼,2022-01-01,,在办,,,,,火星,,,\n"
         "C05,行政诉讼,2022-01-01,,审结,胜诉,,,,,,,\n"
         "C06,行政诉讼,2022-02-01,2022-01-01,审结,胜诉,,,,,,,\n"
         "C07,矛盾纠纷调解,2022-01-01,,在办,,,,,,,101,\n"
         "C08,矛盾纠纷调解,2022-01-01,,在办,,,,,,,-1,\n"
         "C09,矛盾纠纷调解,2022-01-01,,在办,,,,,,,很好,\n"
         ",行政诉讼,2022-01-01,,在办,,,,,,,,\n"
         "C10,行政诉讼,2022-01-01,,在办,,,,,馒头山,,,\n"
         "C10,行政诉讼,2022-01-01,,在办,,,,,馒头山,,,\n"
         "C10,行政复议,2022-01-01,,在办,,,,,馒头山,,,\n"
         "C11,行政诉讼,2022-01-01,,在办,,,,,,,,\n")
DESIGNATIONS = ("社区,称号,级别,授予年份,状态\n街道本级,示范社区,国家级,2020,有效\n"
                "馒头山,示范社区,省级,2020.5,有效\n")
REPORTED = ("指标编号,年度,社区,数值,分项,来源说明,来源类型,限定\nno_such_indicator,2022,,1,,,,\n"
            "legal_advisers,2022,,1,份额,,,\nlegal_advisers,2021,,3,,2021年报告：聘请法律顾问3名以上,已发布报告,至少\n")
ACTIONS = "任务编号,短板编号,任务,状态\nA1,W9,整改,推进中\n"
OUTREACH = "活动编号,日期,活动类型,活动名称\n"
TARGETS = ("指标编号,年度,范围,社区,目标值,红线值,分值,计分方式,扣分值\n"
           "no_such_indicator,2022,街道,,1,,,,\n"
           "litigation_cases_new,2022,街道,馒头山,1,,,,\n"
           "litigation_cases_new,2023,社区,街道本级,1,,,,\n"
           "litigation_loss_rate,2022,街道,,5,3,,,\n"
           "mediation_success_rate,2022,街道,,90,95,,,\n"
           "mediation_cases,2022,街道,,10,,,按比例,\n"
           "study_sessions,2022,街道,,10,,5,每件扣分,\n"
           "discretion_items,2022,街道,,10,,5,达标得分,1\n"
           "legal_advisers,2022,街道,,-1,,5,按比例,\n")
INDICATORS = ("指标编号,版本,指标名称,单位,类型,方向,领域,短板编号\n"
              "Bad-Id,1,坏,个,填报值,越高越好,A1,\n"
              "study_sessions,2099.1,学法,场,填报值,越高越好,A1,\n"
              "new_one,v2,新,个,填报值,越高越好,A1,\n"
              "legal_advisers,1.0,顾问,名,填报值,越高越好,A1,\n"
              "legal_advisers,2099.1,顾问,名,填报比率,越高越好,A1,\n"
              "another_one,1,另一个,个,填报值,越高越好,火星领域,W9\n")
GI = "年度,表格,行,列,数值\n2023,表三,不存在的行,总计,1\n2023,表三,一、本年新收政府信息公开申请数量,总计,3\n"


def unquoted_cjk(english: str) -> list[str]:
    return CJK.findall(QUOTED.sub("", english))


def untranslated(corpus: set[str]) -> dict[str, str]:
    """The messages whose English still holds Chinese outside quotes, with that English."""
    return {text: translate(text, "en") for text in corpus if unquoted_cjk(translate(text, "en"))}


def keys_met(corpus: set[str]) -> set[str]:
    """The catalogue entries some message of the corpus is (whole, part of a joined message, or nested after "："."""
    pieces = {piece for text in corpus for piece in [text, *re.split("[；\n]", text)]}
    parts = pieces | {nested for piece in pieces for nested in re.findall("[：:] ?(.*)", piece)}
    return {key for key, template in _BY_KEY.items() if any(template.pattern.fullmatch(p) for p in parts)}


def database_messages(db: Path) -> set[str]:
    with duckdb.connect(str(db), read_only=True) as con:
        found = {r for (r,) in con.execute("SELECT reason FROM rejects").fetchall()}
        found |= {m for (m,) in con.execute("SELECT message FROM etl_files WHERE message <> ''").fetchall()}
        for year in gi_years(con):
            report = gi_report(con, year)
            found |= {*report.violations, *report.differences, *report.notes}
    return found


def two_sheet_xlsx(path: Path) -> None:
    book = openpyxl.Workbook()
    book.active.title = "说明"
    book.active.append(["本工作簿的第二个工作表是台账"])
    sheet = book.create_sheet("台账")
    sheet.append(["活动编号", "日期", "活动类型"])
    sheet.append(["P9", "2022-03-01", "专题学法"])
    book.save(path)


def hostile_folder(folder: Path) -> Path:
    folder.mkdir()
    files = {"communities.csv": COMMUNITIES, "cases.csv": CASES, "cases_copy.csv": CASES,
             "designations.csv": DESIGNATIONS, "reported_values.csv": REPORTED, "actions.csv": ACTIONS,
             "指标目标.csv": TARGETS, "指标目录.csv": INDICATORS, "政府信息公开年报.csv": GI,
             "disclosures.csv": "编号,日期\nGK1,2022-01-01\n", "cases_empty.csv": ""}
    for name, text in files.items():
        (folder / name).write_text(text, encoding="utf-8")
    row = "P{},2022-01-01,专题学法,".format
    (folder / "outreach_gbk.csv").write_bytes(
        OUTREACH.encode("gbk") + row(1).encode("gbk") + "城乡普法".encode("utf-8") + b"\n"
        + row(2).encode("gbk") + "普法-".encode("gbk") + "城乡".encode("utf-8") + b"\n"
        + row(3).encode("gbk") + "普法".encode("gbk") + b"\n")
    (folder / "outreach_utf8.csv").write_bytes(
        OUTREACH.encode() + row(4).encode() + "城乡普法".encode("gbk") + b"\n"
        + row(5).encode() + "普法-".encode() + "城乡".encode("gbk") + b"\n" + row(6).encode() + "普法\n".encode())
    (folder / "outreach_cells.csv").write_text(
        OUTREACH + row(7) + "响铃\x07\n" + row(8) + "字" * 32_768 + "\n", encoding="utf-8")
    (folder / "cases_binary.csv").write_bytes(b"\x00\x01\x02header\n")
    two_sheet_xlsx(folder / "outreach_sheets.xlsx")
    return folder


@pytest.fixture(scope="module")
def hostile_db(tmp_path_factory) -> Path:
    """The hostile folder built, plus an upload that corrects one of its rows (a `replaced` reject)."""
    root = tmp_path_factory.mktemp("hostile")
    data = hostile_folder(root / "data")
    correction = root / "cases_更正.csv"
    correction.write_text("案件编号,案件类型,收案日期,状态\nC11,行政复议,2022-01-01,在办\n", encoding="utf-8")
    db = root / "warehouse.duckdb"
    build(data, db, extra_files=[correction])
    return db


def mart_messages(db: Path) -> set[str]:
    """Why cells have no value, and the notes the build writes (not the notes of reported values,
    which are the office's own words)."""
    with duckdb.connect(str(db), read_only=True) as con:
        return {m for (m,) in con.execute(
            "SELECT no_data_reason FROM mart_indicator_values WHERE no_data_reason IS NOT NULL UNION "
            "SELECT note FROM mart_indicator_values WHERE note IS NOT NULL "
            "AND note NOT IN (SELECT note FROM stg_reported_values WHERE note IS NOT NULL)").fetchall()}


def test_the_sample_builds_messages_all_translate(sample_db):
    corpus = database_messages(sample_db) | mart_messages(sample_db)
    assert untranslated(corpus) == {}
    assert keys_met(corpus) >= {"not_a_date", "not_allowed", "unknown_community", "not_reported",
                                "not_reported_community", "no_community_split", "zero_litigation_concluded",
                                "note_channels", "note_channels_differ", "note_working_days"}


def test_hostile_files_messages_all_translate(hostile_db):
    corpus = database_messages(hostile_db) | mart_messages(hostile_db)
    assert untranslated(corpus) == {}
    assert keys_met(corpus) >= {
        "not_a_date", "not_an_integer", "not_a_number", "not_yes_no", "part_not_allowed", "not_allowed",
        "not_a_community", "unknown_community", "required_empty", "below_minimum", "above_maximum",
        "closed_date_missing", "closed_before_filed", "unknown_indicator", "unknown_weak_area", "replaced",
        "identical", "duplicate", "missing_columns", "missing_columns_rejected", "foreign_gbk_part", "foreign_gbk",
        "foreign_utf8_part", "foreign_utf8", "control_character", "cell_too_long", "unreadable", "same_content",
        "ignored_columns", "mixed_utf8", "mixed_gbk", "sheet_read", "file_empty", "binary", "gi_unknown_cell",
        "published_label_titled", "published_floor", "no_case_records"}


def test_upload_refusals_all_translate(tmp_path, monkeypatch):
    refusals = [
        intake.inspect_upload("notes.txt", b"hello").refusal,
        intake.inspect_upload("cases.csv", "案件编号\nC1\n".encode(), "pets").refusal,
        intake.inspect_upload("台账.csv", "姓名,电话\n张三,123\n".encode()).refusal,
        intake.inspect_upload("案件.csv", "姓名,电话\n张三,123\n".encode(), "cases").refusal,
        intake.inspect_upload("cases.csv", b"").refusal,
        intake.inspect_upload("cases.xlsx", write_xlsx(tmp_path / "broken.xlsx", BROKEN).read_bytes()).refusal,
        intake.inspect_upload("cases.xlsx", write_xlsx(tmp_path / "nobook.xlsx", BROKEN,
                                                        **{"xl/workbook.xml": None}).read_bytes()).refusal,
    ]
    book = openpyxl.Workbook()
    book.active.append(["甲", "乙"])
    book.save(tmp_path / "noheader.xlsx")
    refusals.append(intake.inspect_upload("cases.xlsx", (tmp_path / "noheader.xlsx").read_bytes()).refusal)
    monkeypatch.setenv("COCKPIT_XLSX_MAX_ROWS", "5")
    refusals.append(intake.inspect_upload("cases.xlsx", cases_xlsx(tmp_path / "a.xlsx", 5).read_bytes()).refusal)
    refusals.append(intake.inspect_upload("cases.xlsx", cases_xlsx(tmp_path / "b.xlsx", 5, None).read_bytes()).refusal)
    monkeypatch.setenv("COCKPIT_XLSX_MAX_ROWS", "many")
    refusals.append(intake.inspect_upload("cases.xlsx", cases_xlsx(tmp_path / "c.xlsx", 1).read_bytes()).refusal)
    monkeypatch.delenv("COCKPIT_XLSX_MAX_ROWS")
    monkeypatch.setenv("COCKPIT_XLSX_MAX_UNCOMPRESSED_MB", "1")
    big = write_xlsx(tmp_path / "big.xlsx", BROKEN, **{"docProps/padding.xml": b" " * 2_000_000})
    refusals.append(intake.inspect_upload("cases.xlsx", big.read_bytes()).refusal)
    monkeypatch.setattr(intake, "MAX_BYTES", 10)
    refusals.append(intake.inspect_upload("案件.csv", "案件编号\nC1\n".encode()).refusal)
    corpus = set(refusals)
    assert None not in corpus and len(corpus) == len(refusals)
    assert untranslated(corpus) == {}
    assert keys_met(corpus) >= {"refused_suffix", "refused_type", "refused_unreadable", "refused_size", "type_unknown",
                                "not_a_header", "file_empty", "sheet_damaged", "not_a_workbook", "no_header_sheet",
                                "too_many_rows", "too_many_rows_declared", "bad_setting", "too_large_unzipped"}


def gi_messages(con) -> set[str]:
    found = set()
    for year in gi_years(con):
        report = gi_report(con, year)
        found |= {*report.violations, *report.differences, *report.notes}
    return found


def test_gi_check_messages_all_translate():
    con = duckdb.connect()
    from etl.staging import create_staging_tables
    create_staging_tables(con)
    con.executemany(
        'INSERT INTO stg_disclosures (item_id, "date", mode, received_date, replied_date, result, result_detail, '
        "requester_type) VALUES (?, ?, '依申请公开', ?, ?, ?, ?, ?)",
        [("Q1", "2023-02-01", "2023-02-01", "2023-02-20", "无法提供", None, None),
         ("Q2", "2022-02-01", "2022-02-01", "2022-02-20", None, None, None)])
    con.executemany("INSERT INTO stg_cases (case_id, case_type, filed_date, status, domain) VALUES (?, ?, ?, ?, ?)",
                    [("C1", "行政复议", "2021-03-01", "在办", "政府信息公开")])
    con.executemany('INSERT INTO stg_gi_annual (year, "table", "row", "column", value) VALUES (?, ?, ?, ?, ?)', [
        (2021, "表三", "一、本年新收政府信息公开申请数量", "自然人", 3),
        (2021, "表三", "一、本年新收政府信息公开申请数量", "总计", 2),
        (2021, "表三", "（七）总计", "总计", 4),
        (2021, "表三", "无此行", "总计", 1),
        (2021, "表四", "数量", "行政复议·总计", 2)])
    corpus = gi_messages(con)
    assert untranslated(corpus) == {}
    assert keys_met(corpus) == {"gi_detail_missing", "gi_result_missing", "gi_unknown_cell", "gi_identity",
                                "gi_results_sum", "gi_requesters_sum", "gi_difference"}


@pytest.fixture
def live(tmp_path) -> tuple[Path, Path]:
    data = tmp_path / "data"
    data.mkdir()
    (data / "communities.csv").write_text(COMMUNITIES, encoding="utf-8")
    db = tmp_path / "db" / "warehouse.duckdb"
    build(data, db)
    return data, db


def error_of(action) -> str:
    with pytest.raises(EtlError) as caught:
        action()
    return str(caught.value)


def test_build_import_publish_and_restore_errors_all_translate(live, monkeypatch, tmp_path):
    data, db = live
    corpus = {str(StorageError(OSError(number, "x"), tmp_path / "文件夹", doing))
              for number in (errno.ENOSPC, errno.EROFS, errno.EIO) for doing in ("构建", "导入", "预览", "发布", "恢复")}
    corpus.add(error_of(lambda: publish.rollback(db, "no-such-run")))
    preview = intake.preview_import(db, [])
    corpus.add(error_of(lambda: intake.confirm_import(preview)))
    intake.cancel_import(preview)

    monkeypatch.setattr(etl.publish, "LOCK_WAIT_S", 0.1)
    thread, _, release = hold_lock(db)
    try:
        corpus.add(error_of(lambda: build(data, db)))
    finally:
        release.set()
        thread.join()

    def broken_publish(new_db, live_db):
        raise OSError(errno.EIO, "Input/output error")
    with monkeypatch.context() as m:
        m.setattr(etl.build, "publish", broken_publish)
        corpus.add(error_of(lambda: build(data, db)))

    tampered = tmp_path / "tampered.duckdb"
    shutil.copyfile(db, tampered)
    with duckdb.connect(str(tampered)) as con:
        con.execute("INSERT INTO stg_communities SELECT * FROM stg_communities")
        con.execute("INSERT INTO raw_cases (case_id, source_file, source_row) VALUES ('X', 'cases.csv', 2)")
        corpus.add(error_of(lambda: assert_data_tests(con)))

    (tmp_path / "cases.csv").write_text("案件编号,案件类型,收案日期,状态\nC1,行政诉讼,2022-01-01,在办\n", encoding="utf-8")
    corpus |= {p.reason for p in check([tmp_path / "cases.csv"], db=tmp_path / "none.duckdb")}
    shutil.rmtree(data)
    corpus.add(error_of(lambda: intake.preview_import(db, [])))
    assert untranslated(corpus) == {}
    assert keys_met(corpus) >= {"disk_full", "not_writable", "write_failed", "no_snapshot", "nothing_new", "publish_busy",
                                "build_failed", "data_tests_failed", "dt_duplicate_keys", "dt_balance",
                                "communities_skipped", "data_dir_gone"}


def test_report_import_errors_all_translate():
    corpus = {error_of(lambda: load_document(b"x", "报告.rtf")), error_of(lambda: load_document(b"x", "报告.docx"))}
    reviewed = pd.DataFrame([
        {"accept": True, "indicator_id": None, "year": 2022, "community": "", "part": "值", "value": 1.0,
         "qualifier": "精确", "sentence": "全年开展普法活动12场"},
        {"accept": True, "indicator_id": "legal_advisers", "year": None, "community": "", "part": "值", "value": 1.0,
         "qualifier": "精确", "sentence": "聘请法律顾问1名"},
        {"accept": True, "indicator_id": "legal_advisers", "year": 2022, "community": "", "part": "值", "value": 1.0,
         "qualifier": "精确", "sentence": "聘请法律顾问1名"},
        {"accept": True, "indicator_id": "legal_advisers", "year": 2022, "community": "", "part": "值", "value": 2.0,
         "qualifier": "精确", "sentence": "聘请法律顾问2名"}])
    corpus.add(error_of(lambda: reported_values_file(reviewed, "报告", {"legal_advisers"})))
    corpus.add(error_of(lambda: reported_values_file(reviewed.assign(accept=False), "报告", {"legal_advisers"})))
    assert untranslated(corpus) == {}
    assert keys_met(corpus) >= {"report_unsupported", "not_a_docx", "file_reason", "figure_no_indicator",
                                "figure_incomplete", "figure_conflict", "nothing_accepted"}
