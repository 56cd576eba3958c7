"""The bundled sample reproduces the 2022 report's figures (domain.md §5) and the 2023 GI report's."""
from __future__ import annotations

import json

import duckdb
import pytest

from etl.__main__ import main

# Stated exactly in the 2022 report; whole subdistrict.
EXACT_2022 = {
    "study_sessions": 2, "review_cases_new": 0, "litigation_cases_new": 2, "litigation_concluded": 2,
    "litigation_loss_rate": 0, "leader_appearance_rate": 100, "discretion_items": 165, "discretion_domains": 18,
    "discretion_refinement_rate": 100, "disclosure_items": 175, "outreach_events": 68, "public_interest_orgs": 43,
    "public_lawyers": 0, "designated_national": 1, "designated_provincial": 3, "designation_coverage": 100,
    "mediation_satisfaction": 100,
}
# Stated as "余" / "超": the sample must reach the floor.
AT_LEAST_2022 = {"outreach_lectures": 90, "materials_distributed": 16000, "legal_services": 500,
                 "mediation_cases": 200, "volunteer_service": 5000}
CATEGORIES_2022 = {"政务动态": 85, "财政信息": 20, "公示公告": 12, "年报": 6, "民生实事": 5, "其他": 47}
CHANNELS_2023 = {"网站": 95, "微博": 337, "微信": 741}


@pytest.fixture(scope="module")
def sample(sample_db):
    con = duckdb.connect(str(sample_db), read_only=True)
    yield con
    con.close()


def whole(con, year: int) -> dict[str, float | None]:
    return dict(con.execute("SELECT indicator_id, value FROM mart_indicator_values "
                            "WHERE year = ? AND community_id IS NULL", [year]).fetchall())


def test_exact_2022_figures(sample):
    values = whole(sample, 2022)
    assert {k: values[k] for k in EXACT_2022} == EXACT_2022


def test_at_least_2022_figures(sample):
    values = whole(sample, 2022)
    for indicator_id, floor in AT_LEAST_2022.items():
        assert values[indicator_id] >= floor, indicator_id


def test_2022_litigation_rates_have_two_concluded_cases_behind_them(sample):
    rows = sample.execute("SELECT indicator_id, numerator, denominator FROM mart_indicator_values "
                          "WHERE year = ? AND community_id IS NULL AND indicator_id IN (?, ?) ORDER BY indicator_id",
                          [2022, "litigation_loss_rate", "leader_appearance_rate"]).fetchall()
    assert rows == [("leader_appearance_rate", 2, 2), ("litigation_loss_rate", 0, 2)]


def test_2022_disclosures_by_category(sample):
    rows = sample.execute("SELECT category, count(*) FROM stg_disclosures "
                          "WHERE mode = ? AND year(date) = ? GROUP BY category", ["主动公开", 2022]).fetchall()
    assert dict(rows) == CATEGORIES_2022


def test_2023_disclosures_by_channel_and_requests(sample):
    rows = sample.execute("SELECT channel, count(*) FROM stg_disclosures "
                          "WHERE mode = ? AND year(date) = ? GROUP BY channel", ["主动公开", 2023]).fetchall()
    assert dict(rows) == CHANNELS_2023
    values = whole(sample, 2023)
    assert values["disclosure_items_website"] == 95
    assert values["disclosure_items"] == 95 + 337 + 741
    assert values["disclosure_requests"] == 3


def test_year_on_year_disclosure_note_says_the_channels_differ(sample):
    notes = dict(sample.execute("SELECT year, note FROM mart_indicator_values WHERE indicator_id = ? "
                                "AND community_id IS NULL AND year IN (?, ?)", ["disclosure_items", 2022, 2023]).fetchall())
    assert notes[2022].startswith("本年度统计渠道：网站；")
    assert notes[2023].startswith("本年度统计渠道：网站、微博、微信；")
    assert "跨年度比较请看“主动公开信息（网站）”" in notes[2023]


def test_2022_figures_through_the_indicators_command(sample_db, capsys):
    assert main(["indicators", "--year", "2022", "--format", "json", "--db", str(sample_db)]) == 0
    rows = {row["indicator_id"]: row for row in json.loads(capsys.readouterr().out)}
    assert {k: rows[k]["value"] for k in EXACT_2022} == EXACT_2022
    assert all(rows[k]["value"] >= floor for k, floor in AT_LEAST_2022.items())
    assert {rows[k]["community"] for k in rows} == {None}
    assert (rows["discretion_refinement_rate"]["numerator"], rows["discretion_refinement_rate"]["denominator"],
            rows["discretion_refinement_rate"]["unit"]) == (165, 165, "%")
