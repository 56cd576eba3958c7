"""mart_indicator_values from tiny literal staging rows: every formula, every no-data case, status."""
from __future__ import annotations

import csv
import shutil

import duckdb
import pytest

from etl.errors import BuildError
from etl.marts import CONTRACT_DOMAINS, FORMULAS, VALUES, build_marts
from etl.paths import REFERENCE_DIR
from etl.staging import create_staging_tables
from tests.staged_rows import insert

COMMUNITIES = [("NX01", "馒头山社区"), ("NX02", "海月桥社区"), ("NX03", "白塔岭社区")]


@pytest.fixture
def con():
    con = duckdb.connect()
    create_staging_tables(con)
    insert(con, "stg_communities", [{"community_id": cid, "name": name, "subdistrict": "南星街道",
                                      "district": "上城区"} for cid, name in COMMUNITIES])
    yield con
    con.close()


def case(case_id, case_type, filed, closed=None, outcome=None, community=None, **more) -> dict:
    return {"case_id": case_id, "case_type": case_type, "filed_date": filed, "closed_date": closed,
            "status": "审结" if closed else "在办", "outcome": outcome, "community_id": community, **more}


def activity(activity_id, activity_type, date="2022-06-01", community=None, participants=None, materials=None):
    return {"activity_id": activity_id, "activity_type": activity_type, "date": date, "community_id": community,
            "participants": participants, "materials": materials}


def mart(con, indicator_id: str, year: int, community_id: str | None = None) -> dict:
    cursor = con.execute("""
        SELECT value, numerator, denominator, status, no_data_reason, note, catalogue_version
          FROM mart_indicator_values
         WHERE indicator_id = ? AND year = ? AND community_id IS NOT DISTINCT FROM ?""",
                         [indicator_id, year, community_id])
    rows = cursor.fetchall()
    assert len(rows) == 1, (indicator_id, year, community_id, rows)
    return dict(zip([d[0] for d in cursor.description], rows[0]))


def value(con, indicator_id, year, community_id=None):
    return mart(con, indicator_id, year, community_id)["value"]


def no_data(con, indicator_id, year, community_id=None) -> str:
    row = mart(con, indicator_id, year, community_id)
    assert row["value"] is None and row["status"] == "no_data"
    return row["no_data_reason"]


# ---- catalogue and reference tables ------------------------------------------------------------

def test_every_catalogue_id_has_a_formula_in_catalogue_order_and_no_formula_is_extra():
    with open(REFERENCE_DIR / "indicators.csv", encoding="utf-8") as f:
        ids = [row["indicator_id"] for row in csv.DictReader(f)]
    assert len(ids) == 32
    assert list(FORMULAS) == ids


def test_values_the_formulas_bind_are_allowed_by_the_record_contract():
    assert {name: VALUES[name] in allowed for name, allowed in CONTRACT_DOMAINS.items()} == {
        name: True for name in CONTRACT_DOMAINS}


def test_reference_tables_are_loaded_in_catalogue_order_without_targets(con):
    build_marts(con)
    assert con.execute("SELECT count(*) FROM ref_indicators").fetchone() == (32,)
    assert con.execute("SELECT indicator_id, sort_order, headline, version FROM ref_indicators "
                       "WHERE indicator_id IN (?, ?) ORDER BY sort_order", ["study_sessions", "litigation_cases_new"]
                       ).fetchall() == [("study_sessions", 1, None, "2026.1"), ("litigation_cases_new", 6, 1, "2026.1")]
    # targets are the office's data (record type `targets`), never the catalogue's
    assert con.execute("SELECT count(*) FROM information_schema.columns WHERE table_name = 'ref_indicators' "
                       "AND column_name IN ('target', 'red_threshold', 'target_basis')").fetchone() == (0,)
    assert con.execute("SELECT area_id, sort_order FROM ref_areas ORDER BY sort_order LIMIT 2").fetchall() == [
        ("responsibility", 1), ("administration", 2)]
    assert con.execute("SELECT weak_area_id FROM ref_weak_areas ORDER BY 1").fetchall() == [("W1",), ("W2",)]


def test_a_catalogue_id_without_formula_stops_the_build(con, tmp_path):
    for name in ("indicators.csv", "areas.csv", "weak_areas.csv"):
        shutil.copy(REFERENCE_DIR / name, tmp_path / name)
    with open(tmp_path / "indicators.csv", "a", encoding="utf-8") as f:
        f.write("new_indicator,2026.1,新指标,New,个,items,count,cases,x,x,up,disputes,,,x,x\n")
    with pytest.raises(BuildError, match=r"目录中无公式的指标 \['new_indicator'\]"):
        build_marts(con, tmp_path)


# ---- grain and year coverage -------------------------------------------------------------------

def test_years_are_those_of_records_and_reported_values_and_every_cell_exists(con):
    insert(con, "stg_cases", [case("L1", "行政诉讼", "2020-11-02", "2021-03-01")])
    insert(con, "stg_outreach", [activity("A1", "便民活动", "2023-05-01")])
    insert(con, "stg_reported_values", [{"indicator_id": "public_lawyers", "year": 2025, "value": 1, "part": "value"}])
    # A title granted in 2015 does not make 2015 a covered year.
    insert(con, "stg_designations", [{"community_id": "NX01", "title": "t", "level": "国家级",
                                      "year_granted": 2015, "status": "有效"}])
    insert(con, "stg_actions", [{"action_id": "A2026-01", "title": "t", "status": "未启动", "due_date": "2026-12-31"}])
    build_marts(con)
    assert con.execute("SELECT DISTINCT year FROM mart_indicator_values ORDER BY year").fetchall() == [
        (2020,), (2021,), (2023,), (2025,)]
    # 4 years × (3 communities + whole subdistrict) × 32 indicators, one row each
    assert con.execute("SELECT count(*), count(DISTINCT (indicator_id, year, community_id)) "
                       "FROM mart_indicator_values").fetchone() == (4 * 4 * 32, 4 * 4 * 32)
    assert con.execute("SELECT DISTINCT catalogue_version FROM mart_indicator_values").fetchall() == [("2026.1",)]


def test_no_records_at_all_gives_an_empty_mart(con):
    build_marts(con)
    assert con.execute("SELECT count(*) FROM mart_indicator_values").fetchone() == (0,)


# ---- cases -------------------------------------------------------------------------------------

@pytest.fixture
def cases(con):
    insert(con, "stg_cases", [
        case("L1", "行政诉讼", "2022-01-10", "2022-06-01", "胜诉", "NX01", heard_in_court=True,
             leader_appeared=True, resolution_mode="判决"),
        case("L2", "行政诉讼", "2021-12-20", "2022-03-01", "败诉", None, heard_in_court=True,
             leader_appeared=False, resolution_mode="撤回"),
        case("L3", "行政诉讼", "2022-09-01", None, None, "NX02", heard_in_court=True),
        case("L4", "行政诉讼", "2022-02-01", "2022-04-01", "撤诉", "NX01", heard_in_court=False,
             resolution_mode="撤回"),
        case("R1", "行政复议", "2022-03-01", "2022-05-01", "纠正", "NX01", resolution_mode="调解和解"),
        case("R2", "行政复议", "2022-11-01", None, None, None),
        case("D1", "行政争议调解", "2022-04-01", "2022-04-20", "成功", "NX02", resolution_mode="调解和解"),
        case("M1", "矛盾纠纷调解", "2022-05-01", "2022-05-09", "成功", "NX01", satisfaction=100.0),
        case("M2", "矛盾纠纷调解", "2022-05-02", "2022-05-10", "不成功", "NX02", satisfaction=80.0),
        case("M3", "矛盾纠纷调解", "2022-05-03", "2022-05-11", "成功", "NX02"),
        case("M4", "矛盾纠纷调解", "2022-12-01", None, None, None),
    ])
    # 2023 is covered by an outreach activity but has no case at all.
    insert(con, "stg_outreach", [activity("A1", "便民活动", "2023-01-01")])
    build_marts(con)
    return con


def test_case_counts_whole_subdistrict(cases):
    assert value(cases, "review_cases_new", 2022) == 2
    assert value(cases, "litigation_cases_new", 2022) == 3          # L2 was filed in 2021
    assert value(cases, "litigation_concluded", 2022) == 3          # L1, L2, L4
    assert value(cases, "mediation_cases", 2022) == 4
    assert mart(cases, "litigation_cases_new", 2022)["numerator"] is None


def test_case_counts_are_zero_in_a_year_with_cases_but_none_of_the_kind(cases):
    assert value(cases, "litigation_cases_new", 2021) == 1
    assert value(cases, "review_cases_new", 2021) == 0
    assert value(cases, "litigation_concluded", 2021) == 0
    assert value(cases, "mediation_cases", 2021) == 0


def test_case_counts_are_no_data_in_a_covered_year_without_any_case(cases):
    for indicator_id in ("review_cases_new", "litigation_cases_new", "litigation_concluded", "mediation_cases",
                         "litigation_loss_rate", "review_litigation_ratio", "mediation_satisfaction"):
        row = mart(cases, indicator_id, 2023)
        assert (row["value"], row["numerator"], row["denominator"], row["status"], row["no_data_reason"]) == (
            None, None, None, "no_data", "该年度没有案件记录")


def test_case_rates_whole_subdistrict(cases):
    loss = mart(cases, "litigation_loss_rate", 2022)
    assert (loss["numerator"], loss["denominator"]) == (1, 3)
    assert loss["value"] == pytest.approx(100 / 3)
    appearance = mart(cases, "leader_appearance_rate", 2022)          # heard: L1, L2; leader in L1
    assert (appearance["value"], appearance["numerator"], appearance["denominator"]) == (50, 1, 2)
    correction = mart(cases, "review_correction_rate", 2022)
    assert (correction["value"], correction["numerator"], correction["denominator"]) == (100, 1, 1)
    ratio = mart(cases, "review_litigation_ratio", 2022)               # ratio, not percent
    assert (ratio["numerator"], ratio["denominator"]) == (2, 3)
    assert ratio["value"] == pytest.approx(2 / 3)
    resolved = mart(cases, "substantive_resolution_rate", 2022)       # R1, L2, L4, D1 of R1, L1, L2, L4, D1
    assert (resolved["value"], resolved["numerator"], resolved["denominator"]) == (80, 4, 5)
    success = mart(cases, "mediation_success_rate", 2022)              # M1, M3 of M1, M2, M3
    assert (success["numerator"], success["denominator"]) == (2, 3)
    assert success["value"] == pytest.approx(200 / 3)
    satisfaction = mart(cases, "mediation_satisfaction", 2022)         # M3 has no satisfaction
    assert (satisfaction["value"], satisfaction["numerator"], satisfaction["denominator"]) == (90, 180, 2)


def test_case_rates_over_an_empty_denominator_are_no_data_with_the_reason(cases):
    assert no_data(cases, "litigation_loss_rate", 2021) == "分母为0：该年度无审结的行政诉讼案件"
    assert no_data(cases, "leader_appearance_rate", 2021) == "分母为0：该年度无审结的开庭审理行政诉讼案件"
    assert no_data(cases, "review_correction_rate", 2021) == "分母为0：该年度无审结的行政复议案件"
    assert no_data(cases, "substantive_resolution_rate", 2021) == (
        "分母为0：该年度无审结的行政复议、行政诉讼和行政争议调解案件")
    assert no_data(cases, "mediation_success_rate", 2021) == "分母为0：该年度无审结的矛盾纠纷调解案件"
    assert no_data(cases, "mediation_satisfaction", 2021) == "分母为0：该年度无记录满意度的已审结矛盾纠纷调解案件"
    assert no_data(cases, "review_litigation_ratio", 2022, "NX03") == "分母为0：该年度无新增行政诉讼案件"
    row = mart(cases, "litigation_loss_rate", 2021)
    assert (row["numerator"], row["denominator"]) == (0, 0)


def test_case_indicators_per_community(cases):
    assert value(cases, "litigation_cases_new", 2022, "NX01") == 2     # L1, L4
    assert value(cases, "litigation_concluded", 2022, "NX01") == 2
    assert value(cases, "litigation_loss_rate", 2022, "NX01") == 0
    assert value(cases, "leader_appearance_rate", 2022, "NX01") == 100
    assert value(cases, "review_litigation_ratio", 2022, "NX01") == 0.5
    assert mart(cases, "substantive_resolution_rate", 2022, "NX01")["numerator"] == 2   # R1, L4 of R1, L1, L4
    assert value(cases, "mediation_satisfaction", 2022, "NX01") == 100
    assert value(cases, "litigation_cases_new", 2022, "NX02") == 1     # L3, still open
    assert no_data(cases, "litigation_loss_rate", 2022, "NX02") == "分母为0：该年度无审结的行政诉讼案件"
    assert value(cases, "substantive_resolution_rate", 2022, "NX02") == 100   # D1
    assert value(cases, "mediation_cases", 2022, "NX02") == 2
    assert value(cases, "mediation_success_rate", 2022, "NX02") == 50
    assert value(cases, "mediation_satisfaction", 2022, "NX02") == 80
    assert value(cases, "mediation_cases", 2022, "NX03") == 0


# ---- disclosures -------------------------------------------------------------------------------

@pytest.fixture
def disclosures(con):
    def item(item_id, date, channel):
        return {"item_id": item_id, "date": date, "mode": "主动公开", "channel": channel, "category": "政务动态"}

    def request(item_id, date, received, replied):
        return {"item_id": item_id, "date": date, "mode": "依申请公开", "received_date": received,
                "replied_date": replied}

    insert(con, "stg_disclosures", [
        item("W1", "2022-02-01", "网站"), item("W2", "2022-03-01", "网站"), item("X1", "2022-04-01", "微信"),
        item("N1", "2022-05-01", None),
        item("W3", "2023-02-01", "网站"), item("B1", "2023-02-02", "微博"),
        item("W4", "2024-02-01", "网站"), item("B2", "2024-02-02", "微博"),
        # Friday 2023-01-06 + 20 working days = Friday 2023-02-03 (on time); Monday 02-06 is the 21st.
        request("Q1", "2023-01-06", "2023-01-06", "2023-02-03"),
        request("Q2", "2023-01-06", "2023-01-06", "2023-02-06"),
        request("Q3", "2023-12-29", "2023-12-29", None),
        # No received date: the date counts; received 2022, replied (2 working days) 2023.
        request("Q4", "2022-12-30", None, "2023-01-03"),
    ])
    insert(con, "stg_outreach", [activity("A1", "便民活动", "2021-06-01")])
    build_marts(con)
    return con


def test_disclosure_counts_and_channel_notes(disclosures):
    assert value(disclosures, "disclosure_items", 2022) == 4
    assert value(disclosures, "disclosure_items_website", 2022) == 2
    assert value(disclosures, "disclosure_items", 2023) == 2
    assert value(disclosures, "disclosure_items_website", 2023) == 1
    differ = "；各年度统计的渠道不同，跨年度比较请看“主动公开信息（网站）”"
    assert mart(disclosures, "disclosure_items", 2022)["note"] == "本年度统计渠道：网站、微信、未注明渠道" + differ
    assert mart(disclosures, "disclosure_items", 2023)["note"] == "本年度统计渠道：网站、微博" + differ
    assert mart(disclosures, "disclosure_items_website", 2023)["note"] == "仅统计网站渠道，可跨年度比较"
    assert value(disclosures, "disclosure_requests", 2022) == 1
    assert value(disclosures, "disclosure_requests", 2023) == 3


def test_disclosure_counts_are_no_data_without_disclosure_records_that_year(disclosures):
    assert no_data(disclosures, "disclosure_items", 2021) == "该年度没有政务公开记录"
    assert no_data(disclosures, "disclosure_requests", 2021) == "该年度没有政务公开记录"
    assert value(disclosures, "disclosure_requests", 2024) == 0


def test_request_ontime_rate_counts_weekdays_after_receipt(disclosures):
    row = mart(disclosures, "request_ontime_rate", 2023)                # Q1, Q4 of Q1, Q2, Q4
    assert (row["numerator"], row["denominator"]) == (2, 3)
    assert row["value"] == pytest.approx(200 / 3)
    assert row["note"] == "工作日只扣除周六、周日，未计法定节假日"
    assert no_data(disclosures, "request_ontime_rate", 2022) == "分母为0：该年度无已答复的依申请公开申请"


def test_disclosures_have_no_community_split(disclosures):
    for indicator_id in ("disclosure_items", "disclosure_items_website", "disclosure_requests", "request_ontime_rate"):
        row = mart(disclosures, indicator_id, 2023, "NX01")
        assert (row["value"], row["numerator"], row["denominator"], row["no_data_reason"]) == (
            None, None, None, "政务公开记录不分社区，只有街道整体数值")


def test_channel_note_has_no_warning_when_every_year_counts_the_same_channels(con):
    insert(con, "stg_disclosures", [
        {"item_id": "W1", "date": "2022-02-01", "mode": "主动公开", "channel": "网站"},
        {"item_id": "W2", "date": "2023-02-01", "mode": "主动公开", "channel": "网站"}])
    build_marts(con)
    assert mart(con, "disclosure_items", 2022)["note"] == "本年度统计渠道：网站"


# ---- outreach ----------------------------------------------------------------------------------

@pytest.fixture
def outreach(con):
    insert(con, "stg_outreach", [
        activity("S1", "专题学法", community=None), activity("S2", "专题学法", community="NX01"),
        activity("L1", "普法讲座(线上)", community="NX01", participants=30, materials=100),
        activity("L2", "普法讲座(线下)", community="NX02", materials=50),
        activity("E1", "便民活动", community="NX01"),
        activity("F1", "资料发放", community=None, materials=1000),
        activity("G1", "法律服务", community="NX01", participants=10),
        activity("G2", "法律服务", community="NX02", participants=5, materials=20),
        activity("V1", "公益服务", community="NX02", participants=200, materials=0),
        activity("V2", "公益服务", date="2023-03-01", community="NX02", participants=None),
    ])
    insert(con, "stg_cases", [case("M1", "矛盾纠纷调解", "2021-05-01")])
    build_marts(con)
    return con


def test_outreach_whole_subdistrict(outreach):
    assert value(outreach, "study_sessions", 2022) == 2
    assert value(outreach, "outreach_lectures", 2022) == 2
    assert value(outreach, "outreach_events", 2022) == 1
    assert value(outreach, "materials_distributed", 2022) == 1170
    assert value(outreach, "legal_services", 2022) == 15
    assert value(outreach, "volunteer_service", 2022) == 200


def test_outreach_per_community(outreach):
    assert [value(outreach, "study_sessions", 2022, c) for c in ("NX01", "NX02", "NX03")] == [1, 0, 0]
    assert [value(outreach, "materials_distributed", 2022, c) for c in ("NX01", "NX02", "NX03")] == [100, 70, 0]
    assert [value(outreach, "legal_services", 2022, c) for c in ("NX01", "NX02", "NX03")] == [10, 5, 0]


def test_outreach_sums_are_zero_when_nothing_was_recorded_and_no_data_without_activities(outreach):
    assert value(outreach, "volunteer_service", 2023) == 0        # V2 has no participants recorded
    assert value(outreach, "legal_services", 2023) == 0
    assert no_data(outreach, "materials_distributed", 2021) == "该年度没有普法与法律服务记录"
    assert no_data(outreach, "study_sessions", 2021, "NX01") == "该年度没有普法与法律服务记录"


# ---- designations ------------------------------------------------------------------------------

@pytest.fixture
def designations(con):
    insert(con, "stg_communities", [{"community_id": "NX04", "name": "水澄桥社区", "subdistrict": "南星街道",
                                     "district": "上城区"}])

    def title(community, level, year, status="有效", name="示范社区"):
        return {"community_id": community, "title": name, "level": level, "year_granted": year, "status": status}

    insert(con, "stg_designations", [
        title("NX01", "国家级", 2020), title("NX02", "省级", 2022), title("NX03", "省级", 2021, "撤销"),
        title("NX02", "市级", 2023, name="市级示范"), title("NX04", "省级", 2021, "复核中")])
    insert(con, "stg_outreach", [activity("A1", "便民活动", f"{y}-05-01") for y in (2021, 2022, 2023)])
    build_marts(con)
    return con


def test_designations_count_valid_titles_granted_by_the_year(designations):
    assert [value(designations, "designated_national", y) for y in (2021, 2022, 2023)] == [1, 1, 1]
    assert [value(designations, "designated_provincial", y) for y in (2021, 2022, 2023)] == [0, 1, 1]
    assert value(designations, "designated_provincial", 2022, "NX02") == 1
    assert value(designations, "designated_provincial", 2022, "NX03") == 0
    assert mart(designations, "designated_national", 2022)["note"] == "按称号的现状态统计，未记录撤销年份"


def test_designation_coverage(designations):
    row = mart(designations, "designation_coverage", 2021)
    assert (row["value"], row["numerator"], row["denominator"]) == (25, 1, 4)
    row = mart(designations, "designation_coverage", 2023)          # NX02 holds two titles: counted once
    assert (row["value"], row["numerator"], row["denominator"]) == (50, 2, 4)
    assert [value(designations, "designation_coverage", 2022, c) for c in ("NX01", "NX02", "NX03")] == [100, 100, 0]
    assert value(designations, "designation_coverage", 2021, "NX02") == 0


def test_designations_are_no_data_without_any_title(con):
    insert(con, "stg_outreach", [activity("A1", "便民活动")])
    build_marts(con)
    assert no_data(con, "designated_national", 2022) == "没有任何示范称号记录"
    assert no_data(con, "designation_coverage", 2022) == "没有任何示范称号记录"


def test_designation_coverage_without_communities_is_no_data(con):
    con.execute("DELETE FROM stg_communities")
    insert(con, "stg_designations", [{"community_id": "NX09", "title": "t", "level": "国家级",
                                      "year_granted": 2020, "status": "有效"}])
    insert(con, "stg_outreach", [activity("A1", "便民活动")], subdistrict=None)   # no list, no subdistrict known
    build_marts(con)
    assert no_data(con, "designation_coverage", 2022) == "分母为0：社区名录为空"
    assert value(con, "designated_national", 2022) == 1


# ---- reported figures --------------------------------------------------------------------------

@pytest.fixture
def reported(con):
    def part(indicator_id, value, part="value", community=None, year=2022, note=None):
        return {"indicator_id": indicator_id, "year": year, "community_id": community, "value": value,
                "part": part, "note": note}

    insert(con, "stg_reported_values", [
        part("discretion_items", 165, note="2022年报告"), part("discretion_domains", 18),
        part("discretion_refinement_rate", 165, "numerator"), part("discretion_refinement_rate", 165, "denominator"),
        part("public_interest_orgs", 43), part("public_interest_orgs", 5, community="NX01"),
        part("legal_advisers", 1), part("public_lawyers", 0), part("eval_dispute_score", 78.5),
        part("legality_review_rate", 3, "numerator"), part("legality_review_rate", 0, "denominator"),
        part("legality_review_rate", 9, "numerator", year=2023),
    ])
    build_marts(con)
    return con


def test_reported_figures(reported):
    row = mart(reported, "discretion_items", 2022)
    assert (row["value"], row["numerator"], row["denominator"], row["note"]) == (165, None, None, "2022年报告")
    assert value(reported, "discretion_domains", 2022) == 18
    assert value(reported, "public_interest_orgs", 2022) == 43
    assert value(reported, "public_interest_orgs", 2022, "NX01") == 5
    assert value(reported, "legal_advisers", 2022) == 1
    assert value(reported, "public_lawyers", 2022) == 0                 # reported 0 is 0, not no data
    assert value(reported, "eval_dispute_score", 2022) == 78.5


def test_reported_rates(reported):
    row = mart(reported, "discretion_refinement_rate", 2022)
    assert (row["value"], row["numerator"], row["denominator"]) == (100, 165, 165)
    assert no_data(reported, "legality_review_rate", 2022) == (
        "分母为0或未填报：该年度未填报应审核事项数（分母），或填报为0")
    assert no_data(reported, "legality_review_rate", 2023) == (
        "分母为0或未填报：该年度未填报应审核事项数（分母），或填报为0")


def test_unreported_figures_are_no_data(reported):
    assert no_data(reported, "discretion_items", 2023) == "该年度未填报"
    assert no_data(reported, "discretion_refinement_rate", 2023) == "该年度未填报"
    assert no_data(reported, "discretion_items", 2022, "NX01") == "该社区该年度未填报"


# ---- status ------------------------------------------------------------------------------------

def test_status_at_the_boundaries(con):
    # study_sessions: up, target 2, red below 1. review_cases_new: down, target 0, red above 2.
    insert(con, "stg_targets", [
        {"indicator_id": "study_sessions", "year": 2021, "scope": "街道", "target": 2, "red_threshold": 1},
        {"indicator_id": "review_cases_new", "year": 2021, "scope": "街道", "target": 0, "red_threshold": 2}])
    sessions = {2021: 0, 2022: 1, 2023: 2, 2024: 3}
    reviews = {2021: 0, 2022: 1, 2023: 2, 2024: 3}
    insert(con, "stg_outreach", [activity(f"S{y}-{i}", "专题学法", f"{y}-03-01")
                                 for y, n in sessions.items() for i in range(n)]
           + [activity(f"E{y}", "便民活动", f"{y}-03-01") for y in sessions])
    insert(con, "stg_cases", [case(f"R{y}-{i}", "行政复议", f"{y}-03-01") for y, n in reviews.items() for i in range(n)]
           + [case(f"M{y}", "矛盾纠纷调解", f"{y}-03-01") for y in reviews])
    build_marts(con)
    assert [mart(con, "study_sessions", y)["status"] for y in sessions] == ["red", "amber", "green", "green"]
    assert [mart(con, "review_cases_new", y)["status"] for y in reviews] == ["green", "amber", "amber", "red"]
    assert mart(con, "litigation_concluded", 2022)["status"] == "none"
    assert mart(con, "litigation_loss_rate", 2022)["status"] == "no_data"
    assert mart(con, "disclosure_requests", 2022)["status"] == "no_data"   # no target, and no data


def test_request_working_days_boundaries_from_midweek(con):
    def request(item_id, received, replied):
        return {"item_id": item_id, "date": received, "mode": "依申请公开", "received_date": received,
                "replied_date": replied}

    # Wednesday 2023-01-04 + 20 working days = Wednesday 2023-02-01; Monday 2023-01-02 + 20 = Monday 01-30.
    insert(con, "stg_disclosures", [request("ON1", "2023-01-04", "2023-02-01"),
                                    request("ON2", "2023-01-02", "2023-01-30")])
    build_marts(con)
    assert value(con, "request_ontime_rate", 2023) == 100
    con.execute("UPDATE stg_disclosures SET replied_date = replied_date + 1")   # Thursday, Tuesday: the 21st
    build_marts(con)
    assert value(con, "request_ontime_rate", 2023) == 0
