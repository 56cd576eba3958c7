"""`python -m etl indicators`: formats, community resolution, errors, read-only use of the database."""
from __future__ import annotations

import csv
import hashlib
import io
import json

import duckdb
import pytest

from etl.__main__ import main
from etl.staging import create_staging_tables
from reporting.indicator_table import format_table


@pytest.fixture
def db(tmp_path):
    path = tmp_path / "warehouse.duckdb"
    with duckdb.connect(str(path)) as con:
        create_staging_tables(con)
        con.execute("""INSERT INTO stg_communities (community_id, name, aliases, subdistrict, district) VALUES
            ('NX01', '馒头山社区', ['馒头山社区居委会'], '南星街道', '上城区'),
            ('NX02', '海月桥社区', [], '南星街道', '上城区')""")
        con.execute("""INSERT INTO stg_outreach (activity_id, date, activity_type, community_id) VALUES
            ('S1', '2022-03-01', '专题学法', 'NX01'), ('S2', '2022-04-01', '专题学法', NULL),
            ('S3', '2022-05-01', '专题学法', NULL)""")
        con.execute("""INSERT INTO stg_cases (case_id, case_type, filed_date, closed_date, status, outcome, community_id)
            VALUES ('L1', '行政诉讼', '2022-01-01', '2022-02-01', '审结', '败诉', 'NX02')""")
        con.execute("""INSERT INTO stg_targets (indicator_id, year, scope, target, red_threshold) VALUES
            ('study_sessions', 2022, '街道', 2, 1), ('litigation_loss_rate', 2022, '街道', 0, 10)""")
        for table in ("stg_outreach", "stg_cases", "stg_targets"):
            con.execute(f"UPDATE {table} SET subdistrict = '南星街道'")   # as staging resolves it: the only one
        from etl.marts import build_marts
        build_marts(con)
    return path


def run(capsys, *args) -> tuple[int, str, str]:
    code = main(["indicators", *args])
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def by_id(out: str) -> dict[str, dict]:
    return {row["indicator_id"]: row for row in json.loads(out)}


def test_json_whole_subdistrict(db, capsys):
    code, out, _ = run(capsys, "--year", "2022", "--format", "json", "--db", str(db))
    assert code == 0
    rows = json.loads(out)
    assert len(rows) == 32 and rows[0]["indicator_id"] == "study_sessions"   # catalogue order
    assert rows[0] == {"indicator_id": "study_sessions", "name_zh": "理论学习中心组专题学法", "year": 2022,
                       "subdistrict": "南星街道", "community_id": None, "community": None, "value": 3, "unit": "次",
                       "numerator": None, "denominator": None, "status": "green", "no_data_reason": None, "target": 2,
                       "target_year": 2022, "note": None}
    loss = by_id(out)["litigation_loss_rate"]
    assert (loss["value"], loss["numerator"], loss["denominator"], loss["status"]) == (100, 1, 1, "red")
    review = by_id(out)["review_correction_rate"]
    assert (review["value"], review["status"], review["no_data_reason"]) == (
        None, "no_data", "分母为0：该年度无审结的行政复议案件")


@pytest.mark.parametrize("written", ["馒头山社区", "馒头山", "NX01", "馒头山社区居委会", " 馒头山 "])
def test_community_by_name_short_name_id_or_alias(db, capsys, written):
    code, out, _ = run(capsys, "--year", "2022", "--community", written, "--format", "json", "--db", str(db))
    assert code == 0
    rows = by_id(out)
    assert {(r["community_id"], r["community"]) for r in rows.values()} == {("NX01", "馒头山社区")}
    assert rows["study_sessions"]["value"] == 1
    assert rows["litigation_cases_new"]["value"] == 0


def test_unknown_community_is_a_message_and_exit_2(db, capsys):
    code, out, err = run(capsys, "--year", "2022", "--community", "近江", "--db", str(db))
    assert (code, out) == (2, "")
    assert err == "未找到社区“近江”。已知社区：馒头山社区、海月桥社区\n"


def test_a_year_without_values_is_a_message_and_exit_2(db, capsys):
    code, out, err = run(capsys, "--year", "2019", "--db", str(db))
    assert (code, out, err) == (2, "", "没有2019年的指标值。已有年度：2022\n")


def test_missing_database_is_a_message_and_exit_1(tmp_path, capsys):
    code, out, err = run(capsys, "--year", "2022", "--db", str(tmp_path / "none.duckdb"))
    assert (code, out) == (1, "")
    assert "数据库文件不存在" in err and "python -m etl build" in err
    assert not (tmp_path / "none.duckdb").exists()


def test_csv_has_a_header_and_one_row_per_indicator(db, capsys):
    code, out, _ = run(capsys, "--year", "2022", "--community", "海月桥", "--format", "csv", "--db", str(db))
    assert code == 0
    rows = list(csv.DictReader(io.StringIO(out)))
    assert len(rows) == 32
    assert list(rows[0]) == ["indicator_id", "name_zh", "year", "subdistrict", "community_id", "community", "value",
                             "unit", "numerator", "denominator", "status", "no_data_reason", "target", "target_year",
                             "note"]
    loss = next(r for r in rows if r["indicator_id"] == "litigation_loss_rate")
    assert (loss["community"], loss["value"], loss["numerator"], loss["denominator"]) == ("海月桥社区", "100.0", "1.0", "1.0")


def test_table_is_the_default_format_and_names_the_scope(db, capsys):
    code, out, _ = run(capsys, "--year", "2022", "--db", str(db))
    assert code == 0
    lines = out.splitlines()
    assert lines[0] == "2022年 · 街道整体（含街道本级）"
    assert lines[2].split() == ["指标", "数值", "单位", "目标", "状态", "分子/分母", "说明"]
    assert len(lines) == 2 + 2 + 32


def test_the_database_is_opened_read_only(db, capsys):
    before = hashlib.sha256(db.read_bytes()).hexdigest()
    with duckdb.connect(str(db), read_only=True):      # another reader holds the file meanwhile
        assert run(capsys, "--year", "2022", "--format", "json", "--db", str(db))[0] == 0
    assert hashlib.sha256(db.read_bytes()).hexdigest() == before


def test_table_aligns_columns_by_display_width():
    rows = [
        {"name_zh": "公职律师", "value": 0.0, "unit": "人", "target": 1.0, "status": "red",
         "numerator": None, "denominator": None, "no_data_reason": None, "note": None},
        {"name_zh": "合法性审核覆盖率", "value": 38 / 45 * 100, "unit": "%", "target": 100.0, "status": "amber",
         "numerator": 38.0, "denominator": 45.0, "no_data_reason": None, "note": "示例"},
        {"name_zh": "普法资料发放", "value": None, "unit": "份", "target": 15000.0, "status": "no_data",
         "numerator": None, "denominator": None, "no_data_reason": "该年度没有普法与法律服务记录", "note": None},
    ]
    assert format_table(rows) == "\n".join([
        "指标               数值  单位    目标  状态    分子/分母  说明",
        "----------------  -----  ----  ------  ------  ---------  ----------------------------",
        "公职律师              0  人         1  未达标",
        "合法性审核覆盖率  84.44  %        100  预警        38/45  示例",
        "普法资料发放          —  份    15,000  无数据             该年度没有普法与法律服务记录",
    ])
