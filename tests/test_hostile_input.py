"""Hostile and broken input (issue 9, item 5): oversized and malformed XLSX, CSV values in a second
encoding, control characters and over-long fields. Each test builds its hostile file itself."""
from __future__ import annotations

import zipfile
from pathlib import Path
from xml.sax.saxutils import escape

import duckdb
import openpyxl
import pytest

from etl import intake
from etl.__main__ import main
from etl.build import build
from etl.errors import FileReadError
from etl.readers import load_file
from etl.staging import create_raw_tables

COMMUNITIES = "社区编号,社区名称,别名,街道,区\nNX01,馒头山社区,馒头山,南星街道,上城区\n"
CASES_HEADER = ["案件编号", "案件类型", "收案日期", "状态"]
SKIPPED = "-\t-\tcommunity\t未提供社区名录（文件中没有社区名录，也没有可用的数据库），社区校验已跳过"
SPLIT = "未读取；请拆分为多个文件后分别导入"


@pytest.fixture
def con():
    connection = duckdb.connect()
    create_raw_tables(connection)
    yield connection
    connection.close()


@pytest.fixture
def openpyxl_unused(monkeypatch):
    """Fails the test if the workbook is handed to openpyxl: the refusal must come before reading."""
    def refuse(*args, **kwargs):
        raise AssertionError("openpyxl.load_workbook was called")
    monkeypatch.setattr(openpyxl, "load_workbook", refuse)


# ---- a minimal .xlsx package, written part by part -------------------------------------------

NS = 'xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"'
REL_NS = 'xmlns="http://schemas.openxmlformats.org/package/2006/relationships"'
REL_TYPE = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/"
PARTS = {
    "[Content_Types].xml":
        '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
        '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
        '<Default Extension="xml" ContentType="application/xml"/>'
        '<Override PartName="/xl/workbook.xml" '
        'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
        '<Override PartName="/xl/worksheets/sheet1.xml" '
        'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>'
        '<Override PartName="/xl/sharedStrings.xml" '
        'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/></Types>',
    "_rels/.rels":
        f'<Relationships {REL_NS}><Relationship Id="rId1" Type="{REL_TYPE}officeDocument" '
        'Target="xl/workbook.xml"/></Relationships>',
    "xl/workbook.xml":
        f'<workbook {NS} xmlns:r="{REL_TYPE[:-len("relationships/")]}relationships">'
        '<sheets><sheet name="台账" sheetId="1" r:id="rId1"/></sheets></workbook>',
    "xl/_rels/workbook.xml.rels":
        f'<Relationships {REL_NS}><Relationship Id="rId1" Type="{REL_TYPE}worksheet" '
        f'Target="worksheets/sheet1.xml"/><Relationship Id="rId2" Type="{REL_TYPE}sharedStrings" '
        'Target="sharedStrings.xml"/></Relationships>',
    "xl/sharedStrings.xml": f'<sst {NS}><si><t>案件编号</t></si></sst>',
}


def column_letter(index: int) -> str:
    return "ABCDEFGHIJKLMNOPQRSTUVWXYZ"[index]


def rows_xml(rows: list[list[str]], first: int = 1) -> str:
    """Rows of inline strings from row `first`; the header's first cell uses the shared string 0."""
    out = []
    for number, row in enumerate(rows, start=first):
        cells = "".join(
            f'<c r="A{number}" t="s"><v>0</v></c>' if number == 1 and i == 0 and value == "案件编号" else
            f'<c r="{column_letter(i)}{number}" t="inlineStr"><is><t>{escape(value)}</t></is></c>'
            for i, value in enumerate(row))
        out.append(f'<row r="{number}">{cells}</row>')
    return "".join(out)


def sheet_xml(rows: str, dimension: str | None) -> str:
    declared = f'<dimension ref="{dimension}"/>' if dimension else ""
    return f"<worksheet {NS}>{declared}<sheetData>{rows}</sheetData></worksheet>"


def write_xlsx(path: Path, sheet: str | bytes, **parts: str | bytes | None) -> Path:
    """The package with `sheet` as its one worksheet; `parts` replace (None: remove) or add parts by path."""
    members = {**PARTS, "xl/worksheets/sheet1.xml": sheet, **parts}
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in members.items():
            if data is not None:
                archive.writestr(name, data)
    return path


def cases_xlsx(path: Path, n_data_rows: int, dimension: str | None = "auto") -> Path:
    rows = [CASES_HEADER] + [[f"C{i}", "行政诉讼", "2022-01-01", "在办"] for i in range(1, n_data_rows + 1)]
    if dimension == "auto":
        dimension = f"A1:D{len(rows)}"
    return write_xlsx(path, sheet_xml(rows_xml(rows), dimension))


def read(con, path: Path, name: str | None = None):
    return load_file(con, path, name or path.name, "L1")


def refusal(con, path: Path) -> str:
    with pytest.raises(FileReadError) as caught:
        read(con, path)
    assert caught.value.file == path.name
    return caught.value.reason


# ---- XLSX: refused before it is read whole ---------------------------------------------------

def test_a_sheet_declaring_and_holding_200001_rows_is_refused_unread(con, tmp_path, openpyxl_unused):
    rows = "".join(f'<row r="{n}"><c r="A{n}"><v>{n}</v></c></row>' for n in range(2, 200_002))
    path = write_xlsx(tmp_path / "cases.xlsx", sheet_xml(rows_xml([CASES_HEADER]) + rows, "A1:D200001"))
    assert refusal(con, path) == f"工作表有 200,001 行，超过 200,000 行的上限，{SPLIT}"


def test_row_limit_is_configurable_and_a_sheet_at_the_limit_loads(con, tmp_path, monkeypatch):
    monkeypatch.setenv("COCKPIT_XLSX_MAX_ROWS", "5")
    assert read(con, cases_xlsx(tmp_path / "cases.xlsx", 4)).rows_read == 4
    assert refusal(con, cases_xlsx(tmp_path / "cases.xlsx", 5)) == f"工作表有 6 行，超过 5 行的上限，{SPLIT}"


@pytest.mark.parametrize("dimension", [None, "A1:D2"], ids=["absent", "lying"])
def test_rows_are_counted_when_the_dimension_is_absent_or_lies(con, tmp_path, monkeypatch, openpyxl_unused,
                                                               dimension):
    monkeypatch.setenv("COCKPIT_XLSX_MAX_ROWS", "5")
    path = cases_xlsx(tmp_path / "cases.xlsx", 5, dimension)
    assert refusal(con, path) == f"工作表超过 5 行的上限，{SPLIT}"


def test_a_row_number_jump_counts_the_rows_it_skips(con, tmp_path, monkeypatch):
    # Three <row> elements, but the last is row 9: openpyxl yields the rows between as empty rows.
    monkeypatch.setenv("COCKPIT_XLSX_MAX_ROWS", "5")
    rows = rows_xml([CASES_HEADER, ["C1", "行政诉讼", "2022-01-01", "在办"]]) + rows_xml(
        [["C9", "行政诉讼", "2022-01-01", "在办"]], first=9)
    path = write_xlsx(tmp_path / "cases.xlsx", sheet_xml(rows, None))
    assert refusal(con, path) == f"工作表超过 5 行的上限，{SPLIT}"


def test_a_dimension_declaring_more_rows_than_the_sheet_holds_does_not_refuse_it(con, tmp_path):
    # Some tools declare the whole grid; the rows are counted, not taken from the dimension.
    assert read(con, cases_xlsx(tmp_path / "cases.xlsx", 2, "A1:XFD1048576")).rows_read == 2


def test_a_dimension_declaring_fewer_rows_does_not_truncate_the_sheet(con, tmp_path):
    load = read(con, cases_xlsx(tmp_path / "cases.xlsx", 3, "A1:D2"))
    assert load.rows_read == 3
    assert con.execute("SELECT case_id, source_row FROM raw_cases ORDER BY source_row").fetchall() == [
        ("C1", 2), ("C2", 3), ("C3", 4)]


def test_uncompressed_size_is_capped_before_reading(con, tmp_path, monkeypatch, openpyxl_unused):
    monkeypatch.setenv("COCKPIT_XLSX_MAX_UNCOMPRESSED_MB", "1")
    path = cases_xlsx(tmp_path / "cases.xlsx", 1)
    with zipfile.ZipFile(path, "a", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("docProps/padding.xml", b" " * 2_000_000)      # 2 MB that deflates to 2 KB
    with zipfile.ZipFile(path) as archive:
        total = sum(info.file_size for info in archive.infolist())
    assert path.stat().st_size < 10_000
    assert refusal(con, path) == f"解压后共 {total / 1048576:.1f} MB，超过 1 MB 的上限，{SPLIT}"


@pytest.mark.parametrize("variable, value", [("COCKPIT_XLSX_MAX_ROWS", "many"),
                                             ("COCKPIT_XLSX_MAX_UNCOMPRESSED_MB", "0")])
def test_a_bad_limit_setting_is_named(con, tmp_path, monkeypatch, variable, value):
    monkeypatch.setenv(variable, value)
    assert refusal(con, cases_xlsx(tmp_path / "cases.xlsx", 1)) == (
        f"配置项 {variable} 的值“{value}”不是正整数，无法读取 Excel 文件")


# ---- XLSX: malformed packages give a reason naming the file ----------------------------------

GOOD_SHEET = sheet_xml(rows_xml([CASES_HEADER, ["C1", "行政诉讼", "2022-01-01", "在办"]]), "A1:D2")


def corrupt_stored_sheet(path: Path) -> Path:
    """The sheet stored uncompressed with one byte changed: its CRC no longer matches."""
    with zipfile.ZipFile(path, "w", zipfile.ZIP_STORED) as archive:
        for name, data in {**PARTS, "xl/worksheets/sheet1.xml": GOOD_SHEET}.items():
            archive.writestr(name, data)
    raw = bytearray(path.read_bytes())
    at = raw.index("行政诉讼".encode())
    raw[at + 3:at + 6] = "刑".encode()
    path.write_bytes(bytes(raw))
    return path


@pytest.mark.parametrize("make, reason", [
    (lambda p: write_xlsx(p, GOOD_SHEET.replace("</sheetData>", "<row><c")), "工作表“台账”已损坏，无法读取（ParseError）"),
    (lambda p: write_xlsx(p, GOOD_SHEET[:len(GOOD_SHEET) - 40]), "工作表“台账”已损坏，无法读取（ParseError）"),
    (lambda p: write_xlsx(p, GOOD_SHEET, **{"xl/workbook.xml": None}), "不是有效的 Excel (.xlsx) 文件（KeyError）"),
    (lambda p: write_xlsx(p, GOOD_SHEET, **{"xl/workbook.xml": "<workbook"}),
     "不是有效的 Excel (.xlsx) 文件（XMLSyntaxError）"),
    (lambda p: write_xlsx(p, GOOD_SHEET, **{"xl/sharedStrings.xml": "<sst><si><t>案件"}),
     "不是有效的 Excel (.xlsx) 文件（ParseError）"),
    (corrupt_stored_sheet, "不是有效的 Excel (.xlsx) 文件（BadZipFile）"),
], ids=["sheet-xml", "sheet-cut-short", "no-workbook", "workbook-xml", "shared-strings-xml", "crc"])
def test_a_malformed_package_is_a_file_read_error(con, tmp_path, make, reason):
    assert refusal(con, make(tmp_path / "cases.xlsx")) == reason


def test_the_package_itself_loads(con, tmp_path):
    assert read(con, write_xlsx(tmp_path / "cases.xlsx", GOOD_SHEET)).rows_read == 1


BROKEN = GOOD_SHEET.replace("</sheetData>", "<row><c")
BROKEN_REASON = "工作表“台账”已损坏，无法读取（ParseError）"


def test_check_names_a_malformed_sheet_without_a_traceback(tmp_path, capsys):
    path = write_xlsx(tmp_path / "cases.xlsx", BROKEN)
    assert main(["check", str(path), "--db", str(tmp_path / "none.duckdb")]) == 1
    assert capsys.readouterr().out.splitlines() == [
        f"cases.xlsx\t-\t-\t{BROKEN_REASON}", SKIPPED, "检查 1 个文件：1 个问题"]


def test_build_names_a_malformed_sheet_and_publishes_the_rest(tmp_path, capsys):
    data = tmp_path / "data"
    data.mkdir()
    (data / "communities.csv").write_text(COMMUNITIES, encoding="utf-8")
    write_xlsx(data / "cases.xlsx", BROKEN)
    assert main(["build", "--data", str(data), "--db", str(tmp_path / "w.duckdb")]) == 1
    out = capsys.readouterr().out
    assert f"无法读取：{BROKEN_REASON}" in out
    assert out.rstrip().endswith("有 1 个文件无法读取：cases.xlsx（其余文件已载入并发布）")


def test_an_upload_with_a_malformed_sheet_is_refused(tmp_path):
    data = write_xlsx(tmp_path / "cases.xlsx", BROKEN).read_bytes()
    upload = intake.inspect_upload("cases.xlsx", data)
    assert upload.refusal == f"“cases.xlsx”无法读取，未导入：{BROKEN_REASON}"


def test_an_oversized_upload_is_refused(tmp_path, monkeypatch):
    monkeypatch.setenv("COCKPIT_XLSX_MAX_ROWS", "5")
    upload = intake.inspect_upload("cases.xlsx", cases_xlsx(tmp_path / "cases.xlsx", 5).read_bytes())
    assert upload.refusal == f"“cases.xlsx”无法读取，未导入：工作表有 6 行，超过 5 行的上限，{SPLIT}"


# ---- CSV: a value in a second encoding is rejected, not loaded as mojibake --------------------

OUTREACH_HEADER = "活动编号,日期,活动类型,活动名称\n"
MIXED_GBK = "活动名称“{}”是 UTF-8 编码，与文件其余部分的 GBK/GB18030 编码不一致（会读成乱码）；请将整个文件另存为同一种编码"
MIXED_UTF8 = ("活动名称“{}”是 GBK/GB18030 编码（按 GBK 读出），与文件其余部分的 UTF-8 编码不一致；"
              "请将整个文件另存为同一种编码")


def outreach_row(n: int, title: str, encoding: str, title_encoding: str | None = None) -> bytes:
    return f"P{n},2022-01-0{n},专题学法,".encode(encoding) + title.encode(title_encoding or encoding) + b"\n"


def test_a_utf8_value_in_a_gbk_file_is_rejected_naming_row_and_field(tmp_path, capsys):
    path = tmp_path / "outreach.csv"
    path.write_bytes(OUTREACH_HEADER.encode("gbk") + outreach_row(1, "城乡普法", "gbk", "utf-8")
                     + outreach_row(2, "城乡普法", "gbk") + outreach_row(3, "城", "gbk", "utf-8"))
    assert main(["check", str(path), "--db", str(tmp_path / "none.duckdb")]) == 1
    assert capsys.readouterr().out.splitlines() == [
        f"outreach.csv\t第2行\ttitle\t{MIXED_GBK.format('城乡普法')}",
        f"outreach.csv\t第4行\ttitle\t{MIXED_GBK.format('城')}",
        SKIPPED, "检查 1 个文件：2 个问题"]


def test_the_gbk_rows_of_a_mixed_file_load_and_the_file_says_it_is_mixed(con, tmp_path):
    path = tmp_path / "outreach.csv"
    path.write_bytes(OUTREACH_HEADER.encode("gbk") + outreach_row(1, "城乡普法", "gbk", "utf-8")
                     + outreach_row(2, "城乡普法", "gbk"))
    load = read(con, path)
    assert (load.encoding, load.rows_read) == ("GB18030", 2)
    assert load.message == "文件混用了两种编码：以 GBK/GB18030 为主，1 处为 UTF-8；含这些文字的行被拒绝"
    assert con.execute("SELECT title FROM raw_outreach WHERE activity_id = 'P2'").fetchone() == ("城乡普法",)


def test_a_gbk_value_in_a_utf8_file_is_rejected(tmp_path, capsys):
    path = tmp_path / "outreach.csv"
    path.write_bytes(b"\xef\xbb\xbf" + OUTREACH_HEADER.encode() + outreach_row(1, "城乡普法", "utf-8", "gbk")
                     + outreach_row(2, "城乡普法", "utf-8") + outreach_row(3, "白塔岭普法", "utf-8"))
    assert main(["check", str(path), "--db", str(tmp_path / "none.duckdb")]) == 1
    assert capsys.readouterr().out.splitlines() == [
        f"outreach.csv\t第2行\ttitle\t{MIXED_UTF8.format('城乡普法')}", SKIPPED, "检查 1 个文件：1 个问题"]


def test_gbk_text_that_happens_to_be_valid_utf8_is_kept(con, tmp_path):
    # 目 is C4 BF in GBK, which is also valid UTF-8 (U+013F Ŀ): not a CJK character, so not UTF-8 text.
    path = tmp_path / "outreach.csv"
    path.write_bytes(OUTREACH_HEADER.encode("gbk") + outreach_row(1, "目", "gbk") + outreach_row(2, "项目", "gbk"))
    load = read(con, path)
    assert (load.encoding, load.message) == ("GB18030", "")
    assert con.execute("SELECT title FROM raw_outreach ORDER BY source_row").fetchall() == [("目",), ("项目",)]


def test_mixed_rows_count_as_rejected_in_a_build(tmp_path):
    data = tmp_path / "data"
    data.mkdir()
    (data / "communities.csv").write_text(COMMUNITIES, encoding="utf-8")
    (data / "outreach.csv").write_bytes(OUTREACH_HEADER.encode("gbk") + outreach_row(1, "城乡普法", "gbk", "utf-8")
                                        + outreach_row(2, "城乡普法", "gbk"))
    result = build(data, tmp_path / "w.duckdb")
    load = next(f for f in result.files if f.source_file == "outreach.csv")
    assert (load.rows_read, load.rows_loaded, load.rows_rejected) == (2, 1, 1)


# ---- control characters and over-long fields --------------------------------------------------

CONTROL = "活动名称“{}”含不可见的控制字符（{}）"
TOO_LONG = "活动名称有 32,768 个字符，超过 Excel 单元格的上限 32,767 个字符"


def built_rejects(tmp_path, name: str, write) -> tuple[tuple[int, int, int], list[tuple]]:
    """Build a data folder holding `name` (written by `write(path)`); its read/loaded/rejected and rejects."""
    data = tmp_path / "data"
    data.mkdir()
    (data / "communities.csv").write_text(COMMUNITIES, encoding="utf-8")
    write(data / name)
    db = tmp_path / "w.duckdb"
    result = build(data, db)
    load = next(f for f in result.files if f.source_file == name)
    with duckdb.connect(str(db), read_only=True) as con:
        rows = con.execute("SELECT source_row, field, value, reason, kind FROM rejects WHERE source_file = ? "
                           "ORDER BY source_row", [name]).fetchall()
    return (load.rows_read, load.rows_loaded, load.rows_rejected), rows


def test_control_characters_and_long_fields_in_a_csv_are_rejected(tmp_path):
    titles = ["行政\x00诉讼", "响铃\x07", "\x1b[31m红字", "下一行\x85", "字" * 32_768,
              '"第一行\n第二行\t制表\r\n第三行"', "字" * 32_767]
    text = OUTREACH_HEADER + "".join(f"P{n},2022-01-01,专题学法,{t}\n" for n, t in enumerate(titles, start=1))
    counts, rows = built_rejects(tmp_path, "outreach.csv", lambda p: p.write_text(text, encoding="utf-8"))
    assert counts == (7, 2, 5)
    assert rows == [
        (2, "title", "行政\ufffd诉讼", CONTROL.format("行政\ufffd诉讼", "U+0000"), "invalid"),
        (3, "title", "响铃\ufffd", CONTROL.format("响铃\ufffd", "U+0007"), "invalid"),
        (4, "title", "\ufffd[31m红字", CONTROL.format("\ufffd[31m红字", "U+001B"), "invalid"),
        (5, "title", "下一行\ufffd", CONTROL.format("下一行\ufffd", "U+0085"), "invalid"),
        (6, "title", "字" * 100 + "…", TOO_LONG, "invalid"),
    ]


def test_control_characters_and_long_cells_in_an_xlsx_are_rejected(tmp_path):
    rows = [["活动编号", "日期", "活动类型", "活动名称"]]
    rows += [["P1", "2022-01-01", "专题学法", "下一行\x85"], ["P2", "2022-01-01", "专题学法", "字" * 32_768],
             ["P3", "2022-01-01", "专题学法", "第一行\n第二行\t制表"]]
    counts, rejected = built_rejects(tmp_path, "outreach.xlsx",
                                     lambda p: write_xlsx(p, sheet_xml(rows_xml(rows), "A1:D4")))
    assert counts == (3, 1, 2)
    assert rejected == [(2, "title", "下一行\ufffd", CONTROL.format("下一行\ufffd", "U+0085"), "invalid"),
                        (3, "title", "字" * 100 + "…", TOO_LONG, "invalid")]


def test_a_nul_in_the_first_line_still_means_not_a_text_file(con, tmp_path):
    path = tmp_path / "outreach.csv"
    path.write_bytes(b"\x00" + OUTREACH_HEADER.encode())
    assert refusal(con, path) == "不是文本文件（含二进制内容），无法按 CSV 读取"
