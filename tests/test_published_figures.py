"""Figures of published reports in the marts (etl.published_figures): they fill years without records,
labelled; records win; disagreements are listed. Tiny literal staging rows, as tests/test_marts.py."""
from __future__ import annotations

import duckdb
import pytest

from etl.marts import build_marts
from etl.published_figures import FLOOR_NOTE, LABEL
from etl.staging import create_staging_tables

TITLE = "南星街道2019年法治政府建设年度报告"


@pytest.fixture
def con():
    con = duckdb.connect()
    create_staging_tables(con)
    con.execute("INSERT INTO stg_communities (community_id, name, subdistrict, district) VALUES "
                "('NX01', '馒头山社区', '南星街道', '上城区')")
    yield con
    con.close()


def cases(con, rows):
    con.executemany("INSERT INTO stg_cases (case_id, case_type, filed_date, closed_date, status, outcome, subdistrict) "
                    "VALUES (?, ?, ?, ?, ?, ?, '南星街道')", rows)


def published(con, rows, source="已发布报告"):
    """(indicator_id, year, community_id, part, value, qualifier) reported from TITLE."""
    con.executemany("INSERT INTO stg_reported_values (indicator_id, year, community_id, part, value, qualifier, "
                    "note, source, subdistrict) VALUES (?, ?, ?, ?, ?, ?, ?, ?, '南星街道')",
                    [(*r, f"{TITLE}：原句。", source) for r in rows])


def cell(con, indicator_id, year, community=None):
    return con.execute("SELECT value, numerator, denominator, no_data_reason, note, status FROM mart_indicator_values "
                       "WHERE indicator_id = ? AND year = ? AND community_id IS NOT DISTINCT FROM ?",
                       [indicator_id, year, community]).fetchone()


def conflicts(con):
    return con.execute("SELECT indicator_id, year, community_id, recorded, published, qualifier, title "
                       "FROM published_conflicts").fetchall()


def test_a_year_without_records_is_filled_from_the_report_and_labelled(con):
    cases(con, [("C1", "行政诉讼", "2022-03-01", None, "在办", None)])
    published(con, [("litigation_cases_new", 2019, None, "value", 3, "精确"),
                    ("mediation_cases", 2019, None, "value", 200, "至少"),
                    ("leader_appearance_rate", 2019, None, "numerator", 2, "精确"),
                    ("leader_appearance_rate", 2019, None, "denominator", 2, "精确"),
                    ("outreach_lectures", 2019, "NX01", "value", 12, "精确")])
    build_marts(con)
    label = f"{LABEL}（{TITLE}）"
    assert cell(con, "litigation_cases_new", 2019)[:5] == (3, None, None, None, label)
    assert cell(con, "mediation_cases", 2019)[:5] == (200, None, None, None, label + FLOOR_NOTE)
    assert cell(con, "leader_appearance_rate", 2019)[:5] == (100, 2, 2, None, label)
    assert cell(con, "outreach_lectures", 2019, "NX01")[:5] == (12, None, None, None, label)
    # A value like any other (rated against whatever targets the year has); an indicator the report
    # does not state stays without data.
    assert cell(con, "litigation_cases_new", 2019)[5] != "no_data"
    assert cell(con, "review_cases_new", 2019)[3:6:2] == ("该年度没有案件记录", "no_data")
    assert conflicts(con) == []


def test_records_win_and_a_disagreement_is_listed(con):
    cases(con, [("C1", "行政诉讼", "2022-03-01", None, "在办", None), ("C2", "行政诉讼", "2022-04-01", None, "在办", None),
                ("M1", "矛盾纠纷调解", "2022-05-01", None, "在办", None)])
    published(con, [("litigation_cases_new", 2022, None, "value", 5, "精确"),
                    ("review_cases_new", 2022, None, "value", 0, "精确"),     # agrees with the records
                    ("mediation_cases", 2022, None, "value", 1, "至少")])     # records reach the floor
    build_marts(con)
    assert cell(con, "litigation_cases_new", 2022)[:5] == (2, None, None, None, None)
    assert cell(con, "review_cases_new", 2022)[:5] == (0, None, None, None, None)
    assert conflicts(con) == [("litigation_cases_new", 2022, None, 2, 5, "", TITLE)]


def test_records_below_an_at_least_figure_disagree(con):
    cases(con, [("M1", "矛盾纠纷调解", "2022-05-01", None, "在办", None)])
    published(con, [("mediation_cases", 2022, None, "value", 200, "至少")])
    build_marts(con)
    assert conflicts(con) == [("mediation_cases", 2022, None, 1, 200, "至少", TITLE)]


def test_a_reported_indicator_is_labelled_and_a_reported_rate_given_as_a_value_is_filled(con):
    published(con, [("discretion_items", 2022, None, "value", 165, "精确"),
                    ("discretion_refinement_rate", 2022, None, "value", 100, "精确")])
    published(con, [("public_interest_orgs", 2022, None, "value", 43, None)], source=None)   # typed in
    build_marts(con)
    label = f"{LABEL}（{TITLE}）"
    assert cell(con, "discretion_items", 2022)[:5] == (165, None, None, None, label)
    assert cell(con, "discretion_refinement_rate", 2022)[:5] == (100, None, None, None, label)
    assert cell(con, "public_interest_orgs", 2022)[:5] == (43, None, None, None, f"{TITLE}：原句。")
    assert conflicts(con) == []
