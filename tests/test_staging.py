"""Staging: table shapes, typing, normalising, validation, rejects, de-duplication."""
from __future__ import annotations

import duckdb

from etl.staging import create_staging_tables


def test_staging_tables_follow_the_contract():
    con = duckdb.connect()
    create_staging_tables(con)
    columns = dict(con.execute("SELECT column_name, data_type FROM duckdb_columns() "
                               "WHERE table_name = 'stg_cases'").fetchall())
    assert columns["filed_date"] == "DATE"
    assert columns["community_id"] == "VARCHAR"
    assert "community" not in columns
    assert columns["source_row"] == "BIGINT"
    aliases = con.execute("SELECT data_type FROM duckdb_columns() WHERE table_name = 'stg_communities' "
                          "AND column_name = 'aliases'").fetchone()[0]
    assert aliases == "VARCHAR[]"
    comment = con.execute("SELECT comment FROM duckdb_tables() WHERE table_name = 'stg_designations'").fetchone()[0]
    assert comment == "粒度：一个社区持有的一个称号；键：community_id、title、level"
    reject_columns = [r[0] for r in con.execute("SELECT column_name FROM duckdb_columns() "
                                                "WHERE table_name = 'rejects' ORDER BY column_index").fetchall()]
    assert reject_columns == ["load_id", "record_type", "source_file", "source_row", "field", "value",
                              "reason", "kind"]


import pytest

from etl.build import load_files
from etl.staging import create_raw_tables, stage

COMMUNITIES = ("community_id,name,aliases,subdistrict,district\n"
               "NX01,馒头山社区,馒头山居委、MTS,南星街道,上城区\n"
               "NX02,白塔岭社区,,南星街道,上城区\n")
CASES_HEADER = "case_id,case_type,filed_date,closed_date,status,outcome,community,satisfaction,heard_in_court\n"


def staged(tmp_path, files: dict[str, str]) -> duckdb.DuckDBPyConnection:
    """Write the literal files, load them as a build does, stage; return the connection."""
    for name, text in files.items():
        (tmp_path / name).write_text(text, encoding="utf-8")
    con = duckdb.connect()
    create_raw_tables(con)
    create_staging_tables(con)
    loads = load_files(con, [(p, p.name) for p in sorted(tmp_path.iterdir())], "L1")
    stage(con, {load.source_file: load.missing_columns for load in loads})
    return con


def rejects(con):
    return con.execute("SELECT source_file, source_row, field, value, reason, kind FROM rejects "
                       "ORDER BY source_file, source_row").fetchall()


@pytest.mark.parametrize("written", [
    "2022-05-01", "2022/5/1", "2022.5.1", "2022年5月1日", "2022-05-01 00:00:00", "２０２２／５／１", " 2022-5-1 ", "44682",
])
def test_date_formats(tmp_path, written):
    con = staged(tmp_path, {"cases.csv": CASES_HEADER + f"C1,行政诉讼,{written},,在办,,,,\n"})
    assert con.execute("SELECT filed_date::VARCHAR FROM stg_cases").fetchall() == [("2022-05-01",)]


def test_full_width_text_is_folded_and_free_text_keeps_chinese_punctuation(tmp_path):
    con = staged(tmp_path, {"outreach.csv": "activity_id,date,activity_type,participants,materials,title\n"
                                            "ＰＦ－１,2022-01-01,普法讲座（线上）,４５,\"16,000\",民法典，进社区\n"})
    assert con.execute("SELECT activity_id, activity_type, participants, materials, title FROM stg_outreach"
                       ).fetchall() == [("PF-1", "普法讲座(线上)", 45, 16000, "民法典，进社区")]


def test_communities_aliases_and_resolution(tmp_path):
    rows = ["C1,行政诉讼,2022-01-01,,在办,,馒头山,,", "C2,行政诉讼,2022-01-01,,在办,,馒头山居委,,",
            "C3,行政诉讼,2022-01-01,,在办,,白塔岭,,", "C4,行政诉讼,2022-01-01,,在办,,NX02,,",
            "C5,行政诉讼,2022-01-01,,在办,,街道本级,,", "C6,行政诉讼,2022-01-01,,在办,,,,",
            "C7,行政诉讼,2022-01-01,,在办,,MTS社区,,", "C8,行政诉讼,2022-01-01,,在办,,近江社区,,"]
    con = staged(tmp_path, {"communities.csv": COMMUNITIES, "cases.csv": CASES_HEADER + "\n".join(rows) + "\n"})
    assert con.execute("SELECT aliases FROM stg_communities ORDER BY community_id").fetchall() == [
        (["馒头山居委", "MTS"],), (None,)]
    assert con.execute("SELECT case_id, community_id FROM stg_cases ORDER BY case_id").fetchall() == [
        ("C1", "NX01"), ("C2", "NX01"), ("C3", "NX02"), ("C4", "NX02"), ("C5", None), ("C6", None), ("C7", "NX01")]
    assert rejects(con) == [("cases.csv", 9, "community", "近江社区", "社区“近江社区”不在社区名录中", "invalid")]


def test_each_bad_value_is_rejected_with_a_chinese_reason(tmp_path):
    rows = ["C1,行政诉讼,2022-13-01,,在办,,,,",         # bad date
            "C2,行政裁决,2022-01-01,,在办,,,,",          # not an allowed value
            "C3,行政诉讼,,,在办,,,,",                   # required value missing
            "C4,矛盾纠纷调解,2022-01-01,2022-02-01,审结,成功,,101,",   # out of range
            "C5,矛盾纠纷调解,2022-01-01,2022-02-01,审结,成功,,九十,",   # not a number
            "C6,行政诉讼,2022-01-01,,在办,,,,也许",      # not a boolean
            "C7,行政诉讼,2022-01-01,,审结,,,,",          # concluded without closing date
            "C8,行政诉讼,2022-03-01,2022-02-01,审结,,,,",  # closed before filed
            "C9,行政诉讼,2022-01-01,,在办,,,,是"]
    con = staged(tmp_path, {"communities.csv": COMMUNITIES, "cases.csv": CASES_HEADER + "\n".join(rows) + "\n"})
    assert rejects(con) == [
        ("cases.csv", 2, "filed_date", "2022-13-01", "收案日期“2022-13-01”不是有效日期", "invalid"),
        ("cases.csv", 3, "case_type", "行政裁决",
         "案件类型“行政裁决”不是允许值（行政复议、行政诉讼、行政争议调解、矛盾纠纷调解）", "invalid"),
        ("cases.csv", 4, "filed_date", None, "必填字段“收案日期”为空", "invalid"),
        ("cases.csv", 5, "satisfaction", "101", "满意度“101”大于最大值100", "invalid"),
        ("cases.csv", 6, "satisfaction", "九十", "满意度“九十”不是有效数字", "invalid"),
        ("cases.csv", 7, "heard_in_court", "也许", "是否开庭“也许”应为“是”或“否”", "invalid"),
        ("cases.csv", 8, "closed_date", None, "状态为“审结”的案件须填写结案日期", "invalid"),
        ("cases.csv", 9, "closed_date", "2022-02-01", "结案日期“2022-02-01”早于收案日期“2022-03-01”", "invalid"),
    ]
    assert con.execute("SELECT case_id, heard_in_court FROM stg_cases").fetchall() == [("C9", True)]


def test_missing_required_column_rejects_every_row_naming_it(tmp_path):
    con = staged(tmp_path, {"cases.csv": "case_id,case_type,status\nC1,行政诉讼,在办\nC2,行政诉讼,在办\n"})
    reason = "文件缺少必填列“收案日期”（filed_date）"
    assert rejects(con) == [("cases.csv", 2, "filed_date", None, reason, "invalid"),
                            ("cases.csv", 3, "filed_date", None, reason, "invalid")]


def test_reported_values_parts_catalogue_and_integer_year(tmp_path):
    con = staged(tmp_path, {"reported_values.csv": "indicator_id,year,community,value,part\n"
                                                   "legality_review_rate,2022,,40,分子\n"
                                                   "legality_review_rate,2022,,50,分母\n"
                                                   "public_lawyers,2022,,0,\n"
                                                   "no_such_indicator,2022,,1,\n"
                                                   "public_lawyers,2022.5,,1,\n"})
    assert con.execute("SELECT indicator_id, year, community_id, value, part FROM stg_reported_values "
                       "ORDER BY source_row").fetchall() == [
        ("legality_review_rate", 2022, None, 40.0, "numerator"),
        ("legality_review_rate", 2022, None, 50.0, "denominator"),
        ("public_lawyers", 2022, None, 0.0, "value")]
    assert [r[4] for r in rejects(con)] == ["指标编号“no_such_indicator”不在指标目录中", "年度“2022.5”不是整数"]


def test_actions_weak_area_must_be_in_catalogue(tmp_path):
    con = staged(tmp_path, {"actions.csv": "action_id,weak_area_id,title,status\nA1,W1,t,推进中\nA2,,t,未启动\n"
                                           "A3,W9,t,推进中\n"})
    assert con.execute("SELECT action_id FROM stg_actions ORDER BY 1").fetchall() == [("A1",), ("A2",)]
    assert [r[4] for r in rejects(con)] == ["短板编号“W9”不在短板目录中（W1、W2）"]


def test_duplicates_identical_count_once_and_conflicting_keep_the_first_file(tmp_path):
    con = staged(tmp_path, {
        "cases_a.csv": CASES_HEADER + "C1,行政诉讼,2022-01-01,,在办,,,,\n",
        "cases_b.csv": CASES_HEADER + "C1,行政诉讼,2022/1/1,,在办,,,,\nC1,行政诉讼,2022-01-02,,在办,,,,\n"})
    assert con.execute("SELECT case_id, filed_date::VARCHAR, source_file FROM stg_cases").fetchall() == [
        ("C1", "2022-01-01", "cases_a.csv")]
    assert rejects(con) == [
        ("cases_b.csv", 2, "case_id", "C1", "与 cases_a.csv 第2行完全相同，重复行只计一次", "duplicate"),
        ("cases_b.csv", 3, "case_id", "C1", "案件编号“C1”与 cases_a.csv 第2行重复但内容不同，保留先出现的行", "duplicate")]


def test_designation_needs_a_real_community(tmp_path):
    con = staged(tmp_path, {"communities.csv": COMMUNITIES,
                            "designations.csv": "community,title,level,year_granted,status\n"
                                                "馒头山,全国民主法治示范村(社区),国家级,2020,有效\n"
                                                "街道本级,示范街道,省级,2020,有效\n"})
    assert con.execute("SELECT community_id, level FROM stg_designations").fetchall() == [("NX01", "国家级")]
    assert [r[4] for r in rejects(con)] == ["社区“街道本级”不是具体社区（此处须填写社区）"]
