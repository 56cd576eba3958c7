"""staging → `mart_indicator_values` (one indicator × year × community), rated against the office's
targets (etl.targets) and scored (etl.scores → `mart_scores`).

Every indicator's formula is one entry of FORMULAS, in catalogue order: the rows it aggregates
(`facts`), its numerator and, for rates, its denominator. One generic statement turns an entry
into the mart rows of every cell (year × community, plus the whole subdistrict), so the no-data
rules are written once:
- a cell whose year has no record of the record type at all has no value (counts included);
  a year with records gives counts of 0 where none match;
- a rate over an empty denominator has no value, never 0;
- a figure no one reported has no value.
Years are every year a case, disclosure, outreach activity or reported value falls in.
Designations do not add years: a title is a standing state, counted in every year from the year
it was granted. Working days (依申请按期答复) skip Saturdays and Sundays only; statutory holidays
are not modelled.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

import duckdb

from etl import schema
from etl.catalogue import apply_imported_indicators
from etl.errors import BuildError
from etl.paths import REFERENCE_DIR
from etl.published_figures import fill_from_published
from etl.scores import build_scores
from etl.targets import EFFECTIVE, apply_targets

REFERENCE_TABLES = {"ref_indicators": "indicators.csv", "ref_areas": "areas.csv",
                    "ref_weak_areas": "weak_areas.csv"}

# Domain values the formulas bind as parameters ($name); taken from the record contract.
VALUES = {
    "review": "行政复议", "litigation": "行政诉讼", "dispute_mediation": "行政争议调解",
    "civil_mediation": "矛盾纠纷调解", "concluded": "审结", "lost": "败诉", "corrected": "纠正",
    "succeeded": "成功", "settled": "调解和解", "withdrawn": "撤回",
    "proactive": "主动公开", "on_request": "依申请公开", "website": "网站",
    "study": "专题学法", "lecture_online": "普法讲座(线上)", "lecture_offline": "普法讲座(线下)",
    "service_event": "便民活动", "legal_service": "法律服务", "volunteer": "公益服务",
    "national": "国家级", "provincial": "省级", "valid": "有效",
    "part_value": "value", "part_numerator": "numerator", "part_denominator": "denominator",
    "ontime_working_days": 20,
}
CONTRACT_DOMAINS = {  # where etl/schema.py allows each value above (tests check they still match)
    "review": schema.CASE_TYPES, "litigation": schema.CASE_TYPES, "dispute_mediation": schema.CASE_TYPES,
    "civil_mediation": schema.CASE_TYPES, "concluded": schema.CASE_STATUS, "lost": schema.CASE_OUTCOMES,
    "corrected": schema.CASE_OUTCOMES, "succeeded": schema.CASE_OUTCOMES,
    "settled": schema.RESOLUTION_MODES, "withdrawn": schema.RESOLUTION_MODES,
    "proactive": schema.DISCLOSURE_MODES, "on_request": schema.DISCLOSURE_MODES,
    "website": schema.DISCLOSURE_CHANNELS, "study": schema.ACTIVITY_TYPES,
    "lecture_online": schema.ACTIVITY_TYPES, "lecture_offline": schema.ACTIVITY_TYPES,
    "service_event": schema.ACTIVITY_TYPES, "legal_service": schema.ACTIVITY_TYPES,
    "volunteer": schema.ACTIVITY_TYPES, "national": schema.DESIGNATION_LEVELS,
    "provincial": schema.DESIGNATION_LEVELS, "valid": schema.DESIGNATION_STATUS,
}
# The mart's own codes, bound the same way: record types (statuses are set by etl.targets).
CODES = {code: code for code in ("cases", "disclosures", "outreach", "designations")}


@dataclass(frozen=True)
class Facts:
    """Rows an indicator aggregates: a query with `rid`, `year`, `subdistrict`, `community_id`."""
    sql: str
    record_type: str | None      # its records decide whether a year has data; None = reported figures
    community_reason: str | None = None  # set when the records carry no community: why a community has no value


NO_COMMUNITY_DISCLOSURES = "政务公开记录不分社区，只有街道整体数值"

FACTS = {
    "cases_filed": Facts("SELECT case_id AS rid, year(filed_date) AS year, * EXCLUDE (case_id) "
                         "FROM stg_cases", "cases"),
    "cases_concluded": Facts("SELECT case_id AS rid, year(closed_date) AS year, * EXCLUDE (case_id) "
                             "FROM stg_cases WHERE status = $concluded AND closed_date IS NOT NULL",
                             "cases"),
    "proactive_items": Facts("SELECT item_id AS rid, year(date) AS year, subdistrict, NULL::VARCHAR AS community_id, "
                             "channel, category FROM stg_disclosures WHERE mode = $proactive",
                             "disclosures", NO_COMMUNITY_DISCLOSURES),
    "requests_received": Facts("SELECT item_id AS rid, year(coalesce(received_date, date)) AS year, subdistrict, "
                               "NULL::VARCHAR AS community_id FROM stg_disclosures WHERE mode = $on_request",
                               "disclosures", NO_COMMUNITY_DISCLOSURES),
    # Working days after the day of receipt up to and including the day of reply.
    "requests_replied": Facts("SELECT item_id AS rid, year(replied_date) AS year, subdistrict, "
                              "NULL::VARCHAR AS community_id, "
                              "_mart_weekdays_before(replied_date + 1) "
                              "- _mart_weekdays_before(coalesce(received_date, date) + 1) AS working_days "
                              "FROM stg_disclosures WHERE mode = $on_request AND replied_date IS NOT NULL",
                              "disclosures", NO_COMMUNITY_DISCLOSURES),
    "outreach": Facts("SELECT activity_id AS rid, year(date) AS year, * EXCLUDE (activity_id) "
                      "FROM stg_outreach", "outreach"),
    # A valid title counts in every year from the year it was granted.
    "designations_held": Facts("SELECT d.title AS rid, y.year, c.subdistrict, d.community_id, d.level "
                               "FROM stg_designations d LEFT JOIN stg_communities c USING (community_id) "
                               "JOIN _mart_years y ON d.year_granted <= y.year WHERE d.status = $valid",
                               "designations"),
    # One row per community and year: does it hold any valid title granted by then?
    "community_titles": Facts("SELECT s.community_id AS rid, y.year, s.subdistrict, s.community_id, "
                              "bool_or(d.community_id IS NOT NULL) AS holds_title "
                              "FROM stg_communities s CROSS JOIN _mart_years y "
                              "LEFT JOIN stg_designations d ON d.community_id = s.community_id "
                              "AND d.year_granted <= y.year AND d.status = $valid "
                              "GROUP BY s.community_id, s.subdistrict, y.year", "designations"),
    "reported": Facts("SELECT part AS rid, indicator_id, year, subdistrict, community_id, part, "
                      "value, note FROM stg_reported_values", None),
}

NO_RECORDS_REASON = {"cases": "该年度没有案件记录", "disclosures": "该年度没有政务公开记录",
                     "outreach": "该年度没有普法与法律服务记录", "designations": "没有任何示范称号记录"}


@dataclass(frozen=True)
class Formula:
    facts: str                       # key of FACTS
    numerator: str                   # aggregate over the cell's facts rows (alias f)
    denominator: str | None = None   # None: the numerator is the value (count, sum, reported figure)
    scale: float = 1.0               # 100 for percentages
    empty_reason: str = ""           # why a zero (or unreported) denominator gives no value
    note: str = ""                   # caveat shown with every value of the indicator
    additive: bool = True            # a reported figure: the district's is the sum of its subdistricts'


def _count(condition: str = "TRUE") -> str:
    return f"count(f.rid) FILTER (WHERE {condition})"


def _sum(column: str, condition: str = "TRUE") -> str:
    return f"coalesce(sum(f.{column}) FILTER (WHERE {condition}), 0)"


def _reported(part: str = "part_value") -> str:
    return f"max(f.value) FILTER (WHERE f.part = ${part})"


def _reported_figure(additive: bool = True) -> Formula:
    return Formula("reported", _reported(), additive=additive)


def _reported_rate(denominator_zh: str) -> Formula:
    return Formula("reported", _reported("part_numerator"), _reported("part_denominator"), 100.0,
                   f"分母为0或未填报：该年度未填报{denominator_zh}，或填报为0")


SATISFACTION_RECORDED = "f.case_type = $civil_mediation AND f.satisfaction IS NOT NULL"

# indicator_id → formula, in the order of etl/reference/indicators.csv.
FORMULAS: dict[str, Formula] = {
    "study_sessions": Formula("outreach", _count("f.activity_type = $study")),
    "discretion_items": _reported_figure(),
    "discretion_domains": _reported_figure(),
    "discretion_refinement_rate": _reported_rate("高频执法事项数（分母）"),
    "review_cases_new": Formula("cases_filed", _count("f.case_type = $review")),
    "litigation_cases_new": Formula("cases_filed", _count("f.case_type = $litigation")),
    "litigation_concluded": Formula("cases_concluded", _count("f.case_type = $litigation")),
    "litigation_loss_rate": Formula(
        "cases_concluded", _count("f.case_type = $litigation AND f.outcome = $lost"),
        _count("f.case_type = $litigation"), 100.0, "分母为0：该年度无审结的行政诉讼案件"),
    "leader_appearance_rate": Formula(
        "cases_concluded", _count("f.case_type = $litigation AND f.heard_in_court AND f.leader_appeared"),
        _count("f.case_type = $litigation AND f.heard_in_court"), 100.0,
        "分母为0：该年度无审结的开庭审理行政诉讼案件"),
    "review_correction_rate": Formula(
        "cases_concluded", _count("f.case_type = $review AND f.outcome = $corrected"),
        _count("f.case_type = $review"), 100.0, "分母为0：该年度无审结的行政复议案件"),
    "review_litigation_ratio": Formula(
        "cases_filed", _count("f.case_type = $review"), _count("f.case_type = $litigation"), 1.0,
        "分母为0：该年度无新增行政诉讼案件"),
    "substantive_resolution_rate": Formula(
        "cases_concluded",
        _count("f.case_type IN ($review, $litigation, $dispute_mediation) "
               "AND f.resolution_mode IN ($settled, $withdrawn)"),
        _count("f.case_type IN ($review, $litigation, $dispute_mediation)"), 100.0,
        "分母为0：该年度无审结的行政复议、行政诉讼和行政争议调解案件"),
    "mediation_cases": Formula("cases_filed", _count("f.case_type = $civil_mediation")),
    "mediation_success_rate": Formula(
        "cases_concluded", _count("f.case_type = $civil_mediation AND f.outcome = $succeeded"),
        _count("f.case_type = $civil_mediation"), 100.0, "分母为0：该年度无审结的矛盾纠纷调解案件"),
    "mediation_satisfaction": Formula(
        "cases_concluded", f"coalesce(sum(f.satisfaction) FILTER (WHERE {SATISFACTION_RECORDED}), 0)",
        _count(SATISFACTION_RECORDED), 1.0, "分母为0：该年度无记录满意度的已审结矛盾纠纷调解案件",
        note="分子为满意度之和，分母为记录满意度的案件数"),
    "disclosure_items": Formula("proactive_items", _count()),
    "disclosure_items_website": Formula("proactive_items", _count("f.channel = $website"),
                                        note="仅统计网站渠道，可跨年度比较"),
    "disclosure_requests": Formula("requests_received", _count()),
    "request_ontime_rate": Formula(
        "requests_replied", _count("f.working_days <= $ontime_working_days"), _count(), 100.0,
        "分母为0：该年度无已答复的依申请公开申请",
        note="工作日只扣除周六、周日，未计法定节假日"),
    "outreach_lectures": Formula("outreach", _count("f.activity_type IN ($lecture_online, $lecture_offline)")),
    "outreach_events": Formula("outreach", _count("f.activity_type = $service_event")),
    "materials_distributed": Formula("outreach", _sum("materials")),
    "legal_services": Formula("outreach", _sum("participants", "f.activity_type = $legal_service")),
    "volunteer_service": Formula("outreach", _sum("participants", "f.activity_type = $volunteer")),
    "public_interest_orgs": _reported_figure(),
    "designated_national": Formula("designations_held", _count("f.level = $national"),
                                   note="按称号的现状态统计，未记录撤销年份"),
    "designated_provincial": Formula("designations_held", _count("f.level = $provincial"),
                                     note="按称号的现状态统计，未记录撤销年份"),
    # A community's own coverage is 1 of 1 or 0 of 1.
    "designation_coverage": Formula(
        "community_titles", _count("f.holds_title"), _count(), 100.0, "分母为0：社区名录为空",
        note="按称号的现状态统计，未记录撤销年份"),
    "legal_advisers": _reported_figure(),
    "public_lawyers": _reported_figure(),
    "legality_review_rate": _reported_rate("应审核事项数（分母）"),
    "eval_dispute_score": _reported_figure(additive=False),
}


def formula_for(indicator_id: str, kind: str, unit_zh: str = "") -> Formula:
    """The code's formula of a reference indicator; an imported one is a reported figure or rate
    (a score, unit 分, does not add up across subdistricts)."""
    if indicator_id in FORMULAS:
        return FORMULAS[indicator_id]
    return _reported_rate("分母") if kind == "reported_rate" else _reported_figure(additive=unit_zh != "分")

def _params(sql: str, extra: dict[str, object]) -> dict[str, object]:
    """The bound values a statement uses (DuckDB refuses unused named parameters)."""
    available = {**VALUES, **CODES, **extra}
    return {name: available[name] for name in dict.fromkeys(re.findall(r"\$(\w+)", sql))}


def _execute(con: duckdb.DuckDBPyConnection, sql: str, **extra: object) -> None:
    con.execute(sql, _params(sql, extra))


def load_reference(con: duckdb.DuckDBPyConnection, reference_dir: Path = REFERENCE_DIR) -> None:
    """The reference CSVs as tables; `ref_indicators` keeps the file's order in `sort_order`."""
    for table, file_name in REFERENCE_TABLES.items():
        path = str(reference_dir / file_name)
        if table == "ref_indicators":
            # CAST, not TRY_CAST: a mistyped headline position must stop the build. Targets are data
            # (record type `targets`, etl.targets), not part of the catalogue.
            select = ("SELECT * REPLACE (CAST(headline AS INTEGER) AS headline), "
                      "row_number() OVER () AS sort_order FROM read_csv($path, header = true, all_varchar = true)")
        elif table == "ref_areas":
            select = ("SELECT * REPLACE (CAST(sort_order AS INTEGER) AS sort_order) "
                      "FROM read_csv($path, header = true, all_varchar = true)")
        else:
            select = "SELECT * FROM read_csv($path, header = true, all_varchar = true)"
        con.execute(f"CREATE OR REPLACE TABLE {table} AS {select}", {"path": path})


DISTRICT = "\x00district"   # the sd_key of the whole-district cells (internal to the build)


def _create_cells(con: duckdb.DuckDBPyConnection) -> bool:
    """Years covered, the cells and the years each record type has records (per subdistrict and for
    the whole district). Cells: every community; every subdistrict (community NULL); and, when the
    warehouse holds several subdistricts, the whole district (both NULL). `sd_key` tells the levels
    apart in equality joins. Returns whether there are several subdistricts."""
    _execute(con, """
        CREATE OR REPLACE TEMP TABLE _mart_record_years AS
        SELECT DISTINCT $cases AS record_type, subdistrict, year(d) AS year
          FROM (SELECT subdistrict, filed_date AS d FROM stg_cases UNION ALL SELECT subdistrict, closed_date FROM stg_cases)
         WHERE d IS NOT NULL
        UNION
        SELECT DISTINCT $disclosures, subdistrict, year(d)
          FROM (SELECT subdistrict, date AS d FROM stg_disclosures
                UNION ALL SELECT subdistrict, received_date FROM stg_disclosures
                UNION ALL SELECT subdistrict, replied_date FROM stg_disclosures)
         WHERE d IS NOT NULL
        UNION
        SELECT DISTINCT $outreach, subdistrict, year(date) FROM stg_outreach WHERE date IS NOT NULL""")
    con.execute("""
        CREATE OR REPLACE TEMP TABLE _mart_years AS
        SELECT DISTINCT year::INTEGER AS year FROM _mart_record_years
        UNION SELECT DISTINCT year::INTEGER FROM stg_reported_values WHERE year IS NOT NULL""")
    con.execute("""
        CREATE OR REPLACE TEMP TABLE _mart_subdistricts AS
        SELECT DISTINCT subdistrict FROM (
            SELECT subdistrict FROM stg_communities UNION ALL SELECT subdistrict FROM _mart_record_years
            UNION ALL SELECT subdistrict FROM stg_reported_values)""")
    several = con.execute("SELECT count(*) > 1 FROM _mart_subdistricts").fetchone()[0]
    # Titles are standing states: every covered year has designation data once any title is recorded.
    _execute(con, """
        INSERT INTO _mart_record_years
        SELECT $designations, s.subdistrict, y.year FROM _mart_years y, _mart_subdistricts s
         WHERE EXISTS (SELECT 1 FROM stg_designations)""")
    _execute(con, """
        CREATE OR REPLACE TEMP TABLE _mart_record_years AS
        SELECT DISTINCT record_type, year, coalesce(subdistrict, '') AS sd_key FROM _mart_record_years
        UNION SELECT DISTINCT record_type, year, $district FROM _mart_record_years WHERE $several""",
             district=DISTRICT, several=several)
    _execute(con, """
        CREATE OR REPLACE TEMP TABLE _mart_cells AS
        SELECT y.year, s.subdistrict, s.community_id, s.level,
               CASE WHEN s.level = 'district' THEN $district ELSE coalesce(s.subdistrict, '') END AS sd_key
          FROM _mart_years y CROSS JOIN (
            SELECT subdistrict, NULL::VARCHAR AS community_id, 'subdistrict' AS level FROM _mart_subdistricts
            UNION ALL SELECT subdistrict, community_id, 'community' FROM stg_communities
            UNION ALL SELECT NULL, NULL, 'district' WHERE $several) s""", district=DISTRICT, several=several)
    # Weekdays from Monday 1970-01-05 up to the day before x: weekdays in (a, b] = W(b + 1) - W(a + 1).
    con.execute("""
        CREATE OR REPLACE TEMP MACRO _mart_weekdays_before(x) AS
        5 * floor((x - DATE '1970-01-05') / 7) + least(((x - DATE '1970-01-05') % 7 + 7) % 7, 5)""")
    return several


def _record_groups(several: bool) -> str:
    return ("GROUPING SETS ((f.year, f.subdistrict, f.community_id), (f.year, f.subdistrict)"
            + (", (f.year))" if several else ")"))


RECORD_LEVEL = ("CASE WHEN grouping(f.community_id) = 0 THEN 'community' "
                "WHEN grouping(f.subdistrict) = 0 THEN 'subdistrict' ELSE 'district' END")


def _aggregate_facts(con: duckdb.DuckDBPyConnection, formulas: dict[str, Formula], several: bool) -> None:
    """Per facts of records, the numerators and denominators of all its indicators in one GROUP BY
    (`_mart_agg_<facts>`, columns num_<id>, den_<id>): a province's records are read once per
    facts, not once per indicator."""
    by_facts: dict[str, list[tuple[str, Formula]]] = {}
    for indicator_id, formula in formulas.items():
        if FACTS[formula.facts].record_type is not None:
            by_facts.setdefault(formula.facts, []).append((indicator_id, formula))
    for name, members in by_facts.items():
        columns = ", ".join(f'({f.numerator})::DOUBLE AS "num_{i}", ({f.denominator or "NULL"})::DOUBLE AS "den_{i}"'
                            for i, f in members)
        _execute(con, f"""
            CREATE OR REPLACE TEMP TABLE _mart_agg_{name} AS
            WITH f AS ({FACTS[name].sql})
            SELECT f.year, f.subdistrict, f.community_id, {RECORD_LEVEL} AS level, {columns}
              FROM f GROUP BY {_record_groups(several)}""")


def _insert_indicator(con: duckdb.DuckDBPyConnection, indicator_id: str, formula: Formula, several: bool) -> None:
    """The indicator's rows for every cell: aggregate its facts once per community, once per
    subdistrict and, with several subdistricts, once for the district (GROUPING SETS), then give each
    cell its value or the reason it has none."""
    facts = FACTS[formula.facts]
    level = RECORD_LEVEL
    district_rows = ""
    if facts.record_type is None:
        # A reported figure belongs to exactly one cell: community NULL is the whole subdistrict. The
        # district's is the sum of the subdistricts' (parts of a rate summed), when it adds up.
        where, groups = "f.indicator_id = $indicator_id", "f.year, f.subdistrict, f.community_id"
        level = "CASE WHEN f.community_id IS NULL THEN 'subdistrict' ELSE 'community' END"
        notes, empty = "string_agg(DISTINCT f.note, $note_separator ORDER BY f.note)", "NULL"
        if several and formula.additive:
            district_rows = """
                UNION ALL
                SELECT year, NULL, NULL, 'district', sum(numerator), sum(denominator),
                       count(numerator) || $reported_of || (SELECT count(*) FROM _mart_subdistricts)
                       || $reported_suffix
                  FROM g0 WHERE level = 'subdistrict' GROUP BY year"""
    else:
        # Records of 街道本级 (community NULL) count in their subdistrict and the district only.
        where, groups = "TRUE", _record_groups(several)
        notes, empty = "NULL::VARCHAR", "0"   # counts and sums over no matching record are 0
    # (condition, reason, whether the cell still shows its numerator and denominator)
    reasons = []
    if facts.community_reason:
        reasons.append(("a.community_id IS NOT NULL", "$reason_no_community", False))
    if facts.record_type is not None:
        reasons.append(("r.year IS NULL", "$reason_no_records", False))
    else:
        if several and not formula.additive:
            reasons.append(("a.level = 'district'", "$reason_not_additive", False))
        reasons.append(("a.numerator IS NULL AND a.community_id IS NULL", "$reason_not_reported", True))
        reasons.append(("a.numerator IS NULL", "$reason_not_reported_community", True))
    if formula.denominator is not None:
        reasons.append(("a.denominator IS NULL OR a.denominator = 0", "$empty_reason", True))
        value, keep = "$scale * a.numerator / a.denominator", "a.numerator, a.denominator"
    else:
        value, keep = "a.numerator", "NULL::DOUBLE, NULL::DOUBLE"
    reason = "CASE " + " ".join(f"WHEN {when} THEN {text}" for when, text, _ in reasons) + " END"
    void = " OR ".join(f"({when})" for when, _, shown in reasons if not shown) or "FALSE"
    aggregated = f"_mart_agg_{formula.facts}"   # _aggregate_facts: this indicator's aggregates among its facts' others
    g0 = (f"""SELECT year, subdistrict, community_id, level, "num_{indicator_id}" AS numerator,
                     "den_{indicator_id}" AS denominator, NULL::VARCHAR AS reported_note FROM {aggregated}"""
          if facts.record_type is not None else f"""
            SELECT f.year, f.subdistrict, f.community_id, {level} AS level,
                   ({formula.numerator})::DOUBLE AS numerator,
                   ({formula.denominator or "NULL"})::DOUBLE AS denominator, {notes} AS reported_note
              FROM f WHERE {where} GROUP BY {groups}""")
    sql = f"""
        INSERT INTO mart_indicator_values (indicator_id, year, subdistrict, community_id, value, numerator,
                                           denominator, status, no_data_reason, note, catalogue_version)
        WITH f AS ({facts.sql}),
        g0 AS ({g0}
        ), g AS (SELECT * FROM g0 {district_rows}
        ), a AS (
            SELECT c.year, c.subdistrict, c.community_id, c.level, c.sd_key, coalesce(g.numerator, {empty}) AS numerator,
                   coalesce(g.denominator, {empty if formula.denominator else "NULL"}) AS denominator,
                   g.reported_note
              FROM _mart_cells c LEFT JOIN g
                ON g.year = c.year AND g.level = c.level
               AND g.subdistrict IS NOT DISTINCT FROM c.subdistrict
               AND g.community_id IS NOT DISTINCT FROM c.community_id
        ), reasoned AS (
            SELECT a.* REPLACE (CASE WHEN {void} THEN NULL ELSE a.numerator END AS numerator,
                                CASE WHEN {void} THEN NULL ELSE a.denominator END AS denominator),
                   {reason} AS no_data_reason
              FROM a LEFT JOIN _mart_record_years r
                ON r.record_type = $record_type AND r.year = a.year AND r.sd_key = a.sd_key
        )
        SELECT $indicator_id, a.year, a.subdistrict, a.community_id,
               CASE WHEN a.no_data_reason IS NULL THEN {value} END,
               {keep}, NULL, a.no_data_reason,
               coalesce(a.reported_note, $note), NULL
          FROM reasoned a"""
    _execute(con, sql, indicator_id=indicator_id, record_type=facts.record_type or "",
             note=formula.note or None, empty_reason=formula.empty_reason, scale=formula.scale,
             note_separator="；", reason_no_community=facts.community_reason,
             reason_no_records=NO_RECORDS_REASON.get(facts.record_type or ""),
             reason_not_reported="该年度未填报", reason_not_reported_community="该社区该年度未填报",
             reason_not_additive="得分不跨街道相加，全区无合计", reported_of="/", reported_suffix=" 个街道填报")


def _note_disclosure_channels(con: duckdb.DuckDBPyConnection) -> None:
    """主动公开 counts whatever channels a year recorded; say which, and warn when years differ."""
    # Per subdistrict and, for the district's cells (sd_key), over all of them.
    _execute(con, f"""
        WITH facts AS (SELECT DISTINCT year, subdistrict, channel FROM ({FACTS["proactive_items"].sql})),
        channels AS (SELECT DISTINCT year, coalesce(subdistrict, '') AS sd_key, channel FROM facts
                     UNION SELECT DISTINCT year, $district, channel FROM facts),
        per_year AS (
            SELECT year, sd_key, string_agg(coalesce(channel, $unrecorded), $list_separator
                                            ORDER BY coalesce(list_position($channels, channel), 99)) AS channels
              FROM channels GROUP BY year, sd_key
        ), differ AS (SELECT sd_key, count(DISTINCT channels) > 1 AS differ FROM per_year GROUP BY sd_key)
        UPDATE mart_indicator_values m
           SET note = $channels_prefix || p.channels
                      || CASE WHEN d.differ THEN $differ_note ELSE $nothing END
          FROM per_year p JOIN differ d USING (sd_key), _mart_cells c
         WHERE m.indicator_id = $indicator_id AND m.community_id IS NULL AND c.community_id IS NULL
           AND c.year = m.year AND c.subdistrict IS NOT DISTINCT FROM m.subdistrict
           AND p.year = m.year AND p.sd_key = c.sd_key""", district=DISTRICT,
             indicator_id="disclosure_items", nothing="", unrecorded="未注明渠道",
             channels=list(schema.DISCLOSURE_CHANNELS), list_separator="、", channels_prefix="本年度统计渠道：",
             differ_note="；各年度统计的渠道不同，跨年度比较请看“主动公开信息（网站）”")


def catalogue_ids(con: duckdb.DuckDBPyConnection) -> list[str]:
    return [row[0] for row in con.execute("SELECT indicator_id FROM ref_indicators ORDER BY sort_order").fetchall()]


MART_COLUMNS = """indicator_id VARCHAR NOT NULL, year INTEGER NOT NULL, community_id VARCHAR,
    value DOUBLE, numerator DOUBLE, denominator DOUBLE, status VARCHAR,
    no_data_reason VARCHAR, note VARCHAR, catalogue_version VARCHAR,
    target DOUBLE, red_threshold DOUBLE, target_year INTEGER, target_basis VARCHAR,
    subdistrict VARCHAR"""
# The whole-scope rows (the district's, then each subdistrict's) first, then each community's rows
# together: a page reads the whole district or one scope, and DuckDB skips the row groups whose
# statistics rule them out (a province's 2.4M rows: the district's cockpit reads the first of ~20).
MART_ORDER = "community_id IS NOT NULL, subdistrict NULLS FIRST, community_id, year, indicator_id"


def _store_mart(con: duckdb.DuckDBPyConnection) -> None:
    """The mart computed in memory → the table `mart_indicator_values` of the database, in MART_ORDER."""
    con.execute("ALTER TABLE temp.mart_indicator_values RENAME TO _mart_built")
    con.execute(f"CREATE OR REPLACE TABLE mart_indicator_values ({MART_COLUMNS})")
    con.execute("COMMENT ON TABLE mart_indicator_values IS "
                "'粒度：一个指标 × 一个年度 × 一个街道 × 一个社区（community_id 为空 = 街道整体，含街道本级；"
                "有多个街道时 subdistrict 与 community_id 均为空 = 全区）'")
    con.execute(f"INSERT INTO mart_indicator_values SELECT * FROM _mart_built ORDER BY {MART_ORDER}")
    con.execute("DROP TABLE _mart_built")


def build_marts(con: duckdb.DuckDBPyConnection, reference_dir: Path = REFERENCE_DIR) -> None:
    """Load the reference tables (with the imported indicators), compute mart_indicator_values from
    the stg_* tables, rate them against the office's targets (etl.targets) and score them (etl.scores)."""
    load_reference(con, reference_dir)
    ids = set(catalogue_ids(con))
    if ids != set(FORMULAS):
        raise BuildError(f"指标目录与公式不一致：目录中无公式的指标 {sorted(ids - set(FORMULAS))}，"
                         f"有公式但不在目录中的指标 {sorted(set(FORMULAS) - ids)}")
    apply_imported_indicators(con, reference_dir)
    # Computed in memory (a TEMP table of the same name: 31 inserts and the updates of targets write
    # nothing to the file), then written once, in MART_ORDER (_store_mart).
    con.execute(f"CREATE OR REPLACE TEMP TABLE mart_indicator_values ({MART_COLUMNS})")
    several = _create_cells(con)
    formulas = {indicator_id: formula_for(indicator_id, kind, unit_zh) for indicator_id, kind, unit_zh in con.execute(
        "SELECT indicator_id, kind, unit_zh FROM ref_indicators ORDER BY sort_order").fetchall()}
    _aggregate_facts(con, formulas, several)
    for indicator_id, formula in formulas.items():
        _insert_indicator(con, indicator_id, formula, several)
    _note_disclosure_channels(con)
    fill_from_published(con)   # figures of published reports fill years without records, labelled
    con.execute("UPDATE mart_indicator_values m SET catalogue_version = r.version "
                "FROM ref_indicators r WHERE r.indicator_id = m.indicator_id")
    apply_targets(con)
    build_scores(con)
    _store_mart(con)
    # The channels each year's proactive items name, per subdistrict: what the cockpit asks of the
    # disclosures, without reading all of them (12M rows in a province).
    _execute(con, "CREATE OR REPLACE TABLE mart_disclosure_channels AS SELECT DISTINCT year(date) AS year, "
                  "subdistrict, coalesce(channel, '') AS channel FROM stg_disclosures WHERE mode = $proactive")
    con.execute("COMMENT ON TABLE mart_disclosure_channels IS '粒度：一个年度 × 一个街道 × 主动公开信息用到的一个渠道（空 = 未注明）'")
    for table in ("_mart_cells", "_mart_record_years", "_mart_years", "_mart_subdistricts", EFFECTIVE,
                  *(f"_mart_agg_{name}" for name in FACTS)):
        con.execute(f"DROP TABLE IF EXISTS {table}")
    con.execute("DROP MACRO IF EXISTS _mart_weekdays_before")
