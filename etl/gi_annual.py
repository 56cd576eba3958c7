"""The statutory 政府信息公开工作年度报告 tables 表二/表三/表四 (国办公开办函〔2021〕30号, domain.md §7).

Where the values come from, per year and table:
- 表三 is computed from the 依申请公开 records of `stg_disclosures`, 表四 from the cases of
  `stg_cases` whose 执法领域 is 政府信息公开; 表二 has no record type and comes only from `stg_gi_annual`.
- Published values (`stg_gi_annual`, record type gi_annual) win: when a year's table was loaded as
  published, the table shows the published cells, and every cell where the records say otherwise is
  listed as a difference. The published report is the statutory record the public has seen; the
  ledgers behind it may be incomplete, so they are checked against it rather than replacing it.

表三 from records:
- a request counts from its 收到日期 (blank: 日期) and is finished on its 答复日期 (blank but with a
  办理结果: finished when received);
- 本年新收 = received in the year; 上年结转 = received earlier and not finished before the year;
  办理结果 = finished in the year, by 办理结果 and 办理结果细项; 结转下年度 = received by the year's end and
  not finished by then; (七)总计 = every request finished in the year;
- the column is the 申请人类型 (blank = 自然人); 总计 is the sum of the six requester columns.
表四 from records: cases filed in the year; 复议 维持/纠正 and 诉讼 胜诉/败诉 are 结果维持/结果纠正, any other
outcome of a concluded case is 其他结果, a case not concluded by the year's end is 尚未审结; 诉讼 with
是否复议后起诉 = 是 are 复议后起诉, the rest 未经复议直接起诉.

Checks: per 表三 column, 本年新收 + 上年结转 = 总计 + 结转下年度 (the template's 勾稽关系); the numbered
result rows add up to (七)总计; 总计 column = sum of the requester columns. Blank published cells count
as 0 in the checks (published reports often leave zeros blank).
"""
from __future__ import annotations

import datetime as dt
import re
import unicodedata
from dataclasses import dataclass, field

import duckdb

from etl.messages import message
from etl.schema import REQUEST_RESULT_DETAILS, REQUEST_RESULTS, REQUESTER_TYPES

GI_CASE_DOMAIN = "政府信息公开"
RECORDS, PUBLISHED = "records", "published"

# ---- The official layout: keys (as matched in gi_annual files) and labels (as printed) ----------

# 表二: blocks of 第二十条, each with its value columns and rows.
TABLE2_BLOCKS: tuple[tuple[str, tuple[str, ...], tuple[str, ...]], ...] = (
    ("第二十条第（一）项", ("本年制发件数", "本年废止件数", "现行有效件数"), ("规章", "行政规范性文件")),
    ("第二十条第（五）项", ("本年处理决定数量",), ("行政许可",)),
    ("第二十条第（六）项", ("本年处理决定数量",), ("行政处罚", "行政强制")),
    ("第二十条第（八）项", ("本年收费金额（单位：万元）",), ("行政事业性收费",)),
)

NEW, CARRIED_IN, TOTAL, CARRIED_OUT = ("本年新收政府信息公开申请数量", "上年结转政府信息公开申请数量",
                                       "总计", "结转下年度继续办理")
PARTIAL_REMARK = "（区分处理的，只计这一情形，不计其他情形）"
_ORDINALS = "一二三四五六七"
RESULTS_HEADING = "三、本年度办理结果"


@dataclass(frozen=True)
class Table3Row:
    key: str
    labels: tuple[str, ...]   # the printed label cells, outermost first


def _table3_rows() -> tuple[Table3Row, ...]:
    rows = [Table3Row(NEW, ("一、" + NEW,)), Table3Row(CARRIED_IN, ("二、" + CARRIED_IN,))]
    for i, result in enumerate(REQUEST_RESULTS):
        group = f"（{_ORDINALS[i]}）{result}"
        details = REQUEST_RESULT_DETAILS.get(result, ())
        if not details:
            remark = PARTIAL_REMARK if result == "部分公开" else ""
            rows.append(Table3Row(result, (RESULTS_HEADING, group + remark)))
        for n, detail in enumerate(details, start=1):
            rows.append(Table3Row(detail, (RESULTS_HEADING, group, f"{n}．{detail}")))
    rows.append(Table3Row(TOTAL, (RESULTS_HEADING, f"（{_ORDINALS[len(REQUEST_RESULTS)]}）{TOTAL}")))
    rows.append(Table3Row(CARRIED_OUT, ("四、" + CARRIED_OUT,)))
    return tuple(rows)


TABLE3_ROWS = _table3_rows()
TABLE3_RESULT_KEYS = tuple(r.key for r in TABLE3_ROWS if r.labels[0] == RESULTS_HEADING and r.key != TOTAL)
LEGAL_PERSON_TYPES = REQUESTER_TYPES[1:]
TABLE3_COLUMNS = (*REQUESTER_TYPES, "总计")
TABLE3_IDENTITY_NOTE = "（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）"

TABLE4_GROUPS = ("行政复议", "未经复议直接起诉", "复议后起诉")
TABLE4_RESULTS = ("结果维持", "结果纠正", "其他结果", "尚未审结", "总计")
TABLE4_ROW = "数量"   # 表四 has one row of figures


def table2_cells() -> tuple[tuple[str, str], ...]:
    return tuple((row, col) for _, cols, rows in TABLE2_BLOCKS for row in rows for col in cols)


def table_cells(table: str) -> tuple[tuple[str, str], ...]:
    """Every (row, column) cell of a table, in printed order."""
    if table == "表二":
        return table2_cells()
    if table == "表三":
        return tuple((r.key, c) for r in TABLE3_ROWS for c in TABLE3_COLUMNS)
    return tuple((TABLE4_ROW, f"{g}·{r}") for g in TABLE4_GROUPS for r in TABLE4_RESULTS)


# ---- Reading published labels -----------------------------------------------------------------

_ORDINAL_PREFIX = re.compile(r"(?:[一二三四五六七八九十]+、|[（(][一二三四五六七八九十]+[)）]|\d+[．.、])")
_NOISE = re.compile(r"[\s\-—_/·|:：]+")


def _normalise(label: str) -> str:
    # NFKC first: staging folds full-width punctuation in key fields, so the remark arrives as "(...,...)".
    text = unicodedata.normalize("NFKC", label).replace(unicodedata.normalize("NFKC", PARTIAL_REMARK), "")
    text = text.replace("(", "（").replace(")", "）")
    text = text.replace("本年度办理结果", "").replace("第二十条第", "")
    text = _ORDINAL_PREFIX.sub("", text.replace("（", "(").replace("）", ")"))
    return _NOISE.sub("", text).replace("(", "（").replace(")", "）")


def _longest_suffix_match(text: str, keys: tuple[str, ...]) -> str | None:
    """The key the label ends with (labels may carry their parents), else the one key it abbreviates."""
    matches = [k for k in keys if text.endswith(_normalise(k))]
    if matches:
        return max(matches, key=len)
    abbreviated = [k for k in keys if len(text) >= 4 and _normalise(k).startswith(text)]
    return abbreviated[0] if len(abbreviated) == 1 else None


def match_cell(table: str, row: str, column: str) -> tuple[str, str] | None:
    """The (row, column) key of the official table a published cell names, or None if unrecognised."""
    row_n, col_n = _normalise(row), _normalise(column)
    if table == "表二":
        row_key = next((k for _, _, rows in TABLE2_BLOCKS for k in rows if k in row_n + col_n), None)
        col_key = next((k for _, cols, _ in TABLE2_BLOCKS for k in cols
                        if _normalise(k).split("（")[0] in col_n + row_n), None)
        valid = row_key is not None and (row_key, col_key) in table2_cells()
        return (row_key, col_key) if valid else None
    if table == "表三":
        row_key = _longest_suffix_match(row_n, tuple(r.key for r in TABLE3_ROWS))
        col_key = _longest_suffix_match(col_n, TABLE3_COLUMNS)
        return (row_key, col_key) if row_key and col_key else None
    both = row_n + "|" + col_n
    group = next((g for g in ("未经复议直接起诉", "复议后起诉", "行政复议") if g in both), None)
    result = next((r for r in TABLE4_RESULTS if r in both or r.removeprefix("结果") in both), None)
    return (TABLE4_ROW, f"{group}·{result}") if group and result else None


# ---- The tables --------------------------------------------------------------------------------

@dataclass
class GiTable:
    table: str
    year: int
    source: str | None                                   # RECORDS, PUBLISHED, or None (no data)
    cells: dict[tuple[str, str], float | None] = field(default_factory=dict)

    def value(self, row: str, column: str) -> float | None:
        return self.cells.get((row, column))


@dataclass
class GiReport:
    year: int
    tables: dict[str, GiTable]
    violations: list[str]          # identity and sum checks that fail (Chinese)
    differences: list[str]         # published cells the records contradict (Chinese)
    notes: list[str]               # what the reader must know (records that could not be placed …)


def _scope(subdistrict: str | None) -> tuple[str, dict]:
    """A condition on the records' `subdistrict` (none for None: every subdistrict, the district)."""
    return ("subdistrict = $subdistrict", {"subdistrict": subdistrict}) if subdistrict is not None else ("TRUE", {})


def _requests_cte(subdistrict: str | None = None) -> str:
    return f"""
        WITH req AS (
            SELECT coalesce(received_date, "date") AS received,
                   coalesce(replied_date, CASE WHEN result IS NOT NULL OR result_detail IS NOT NULL
                                               THEN coalesce(received_date, "date") END) AS done,
                   result, result_detail, coalesce(requester_type, '自然人') AS requester
            FROM stg_disclosures WHERE mode = '依申请公开' AND {_scope(subdistrict)[0]})"""


def _year_bounds(year: int) -> tuple[dt.date, dt.date]:
    return dt.date(year, 1, 1), dt.date(year, 12, 31)


def _detail_group(detail: str) -> str:
    return next(result for result, details in REQUEST_RESULT_DETAILS.items() if detail in details)


def compute_table3(con: duckdb.DuckDBPyConnection, year: int,
                   subdistrict: str | None = None) -> tuple[GiTable, list[str]]:
    """表三 from the records (of `subdistrict`); an empty table (source None) when no disclosure falls in the year."""
    start, end = _year_bounds(year)
    scope_sql, scope = _scope(subdistrict)
    has_records = con.execute(
        f'SELECT count(*) FROM stg_disclosures WHERE year(coalesce(received_date, "date")) = $year AND {scope_sql}',
        {"year": year, **scope}).fetchone()[0]
    table = GiTable("表三", year, None)
    if not has_records:
        return table, []
    table.source = RECORDS
    table.cells = {cell: 0 for cell in table_cells("表三")}
    flows = con.execute(_requests_cte(subdistrict) + """
        SELECT requester,
               count(*) FILTER (WHERE received BETWEEN $start AND $end),
               count(*) FILTER (WHERE received < $start AND (done IS NULL OR done >= $start)),
               count(*) FILTER (WHERE done BETWEEN $start AND $end),
               count(*) FILTER (WHERE received <= $end AND (done IS NULL OR done > $end))
        FROM req GROUP BY requester""", {"start": start, "end": end, **scope}).fetchall()
    for requester, new, carried_in, total, carried_out in flows:
        for row, n in ((NEW, new), (CARRIED_IN, carried_in), (TOTAL, total), (CARRIED_OUT, carried_out)):
            table.cells[(row, requester)] += n
    results = con.execute(_requests_cte(subdistrict) + """
        SELECT requester, result, result_detail, count(*) FROM req
        WHERE done BETWEEN $start AND $end GROUP BY ALL""", {"start": start, "end": end, **scope}).fetchall()
    notes = []
    for requester, result, detail, n in results:
        result = result or (detail and _detail_group(detail))
        if result in REQUEST_RESULT_DETAILS and detail not in REQUEST_RESULT_DETAILS[result]:
            notes.append(message("gi_detail_missing", year=year, n=n, value=result))
        elif result is None:
            notes.append(message("gi_result_missing", year=year, n=n))
        else:
            table.cells[(detail if result in REQUEST_RESULT_DETAILS else result, requester)] += n
    for row in TABLE3_ROWS:
        table.cells[(row.key, "总计")] = sum(table.cells[(row.key, c)] for c in REQUESTER_TYPES)
    return table, notes


def compute_table4(con: duckdb.DuckDBPyConnection, year: int, subdistrict: str | None = None) -> GiTable:
    """表四 from the 政府信息公开 cases (of `subdistrict`); an empty table (source None) when no case falls in the year."""
    start, end = _year_bounds(year)
    scope_sql, scope = _scope(subdistrict)
    has_records = con.execute(f"SELECT count(*) FROM stg_cases WHERE year(filed_date) = $year AND {scope_sql}",
                              {"year": year, **scope}).fetchone()[0]
    table = GiTable("表四", year, None)
    if not has_records:
        return table
    table.source = RECORDS
    table.cells = {cell: 0 for cell in table_cells("表四")}
    rows = con.execute(f"""
        SELECT CASE WHEN case_type = '行政复议' THEN '行政复议'
                    WHEN coalesce(after_review, false) THEN '复议后起诉' ELSE '未经复议直接起诉' END AS grp,
               CASE WHEN status <> '审结' OR closed_date IS NULL OR closed_date > $end THEN '尚未审结'
                    WHEN outcome IN ('维持', '胜诉') THEN '结果维持'
                    WHEN outcome IN ('纠正', '败诉') THEN '结果纠正'
                    ELSE '其他结果' END AS res,
               count(*)
        FROM stg_cases
        WHERE domain = $domain AND case_type IN ('行政复议', '行政诉讼') AND filed_date BETWEEN $start AND $end
          AND {scope_sql}
        GROUP BY ALL""", {"start": start, "end": end, "domain": GI_CASE_DOMAIN, **scope}).fetchall()
    for group, result, n in rows:
        table.cells[(TABLE4_ROW, f"{group}·{result}")] += n
        table.cells[(TABLE4_ROW, f"{group}·总计")] += n
    return table


def published_tables(con: duckdb.DuckDBPyConnection, year: int,
                     subdistrict: str | None = None) -> tuple[dict[str, GiTable], list[str]]:
    """The tables of `year` loaded from published reports (of `subdistrict`), and the cells whose
    labels are unknown."""
    scope_sql, scope = _scope(subdistrict)
    rows = con.execute(f'SELECT "table", "row", "column", value FROM stg_gi_annual WHERE year = $year AND {scope_sql} '
                       'ORDER BY source_file, source_row', {"year": year, **scope}).fetchall()
    tables: dict[str, GiTable] = {}
    unknown = []
    for table_name, row, column, value in rows:
        key = match_cell(table_name, row, column)
        if key is None:
            unknown.append(message("gi_unknown_cell", year=year, table=table_name, row=row, column=column))
            continue
        table = tables.setdefault(table_name, GiTable(table_name, year, PUBLISHED, {}))
        table.cells[key] = value
    return tables, unknown


def table3_violations(table: GiTable) -> list[str]:
    """The 表三 identities that fail; blank cells count as 0."""
    if table.source is None:
        return []
    v = {cell: table.cells.get(cell) or 0 for cell in table_cells("表三")}
    filled = {cell for cell, value in table.cells.items() if value is not None}
    problems = []
    # A column or row a published table leaves wholly blank (e.g. only 总计 given) is not checked.
    for col in (c for c in TABLE3_COLUMNS if any((r.key, c) in filled for r in TABLE3_ROWS)):
        left, right = v[(NEW, col)] + v[(CARRIED_IN, col)], v[(TOTAL, col)] + v[(CARRIED_OUT, col)]
        if left != right:
            problems.append(message("gi_identity", year=table.year, column=col, a=_fmt(v[(NEW, col)]),
                                    b=_fmt(v[(CARRIED_IN, col)]), c=_fmt(left), d=_fmt(v[(TOTAL, col)]),
                                    e=_fmt(v[(CARRIED_OUT, col)]), f=_fmt(right)))
        results = sum(v[(row, col)] for row in TABLE3_RESULT_KEYS)
        if results != v[(TOTAL, col)]:
            problems.append(message("gi_results_sum", year=table.year, column=col, a=_fmt(results),
                                    b=_fmt(v[(TOTAL, col)])))
    for row in (r for r in TABLE3_ROWS if any((r.key, c) in filled for c in REQUESTER_TYPES)):
        parts = sum(v[(row.key, c)] for c in REQUESTER_TYPES)
        if parts != v[(row.key, "总计")]:
            problems.append(message("gi_requesters_sum", year=table.year, row=row.key, a=_fmt(parts),
                                    b=_fmt(v[(row.key, "总计")])))
    return problems


def _fmt(value: float | None) -> str:
    if value is None:
        return "—"
    return str(int(value)) if float(value).is_integer() else f"{value:g}"


def _differences(published: GiTable, computed: GiTable) -> list[str]:
    if computed.source is None:
        return []
    return [message("gi_difference", year=published.year, table=published.table, row=row, column=col,
                    a=_fmt(value), b=_fmt(computed.cells.get((row, col))))
            for (row, col), value in published.cells.items()
            if (value or 0) != (computed.cells.get((row, col)) or 0)]


def gi_report(con: duckdb.DuckDBPyConnection, year: int, subdistrict: str | None = None) -> GiReport:
    """表二/表三/表四 of `year` (of `subdistrict`'s records and reports; None: all of them): published
    tables where loaded, else computed from the records."""
    published, notes = published_tables(con, year, subdistrict)
    table3, placement_notes = compute_table3(con, year, subdistrict)
    computed = {"表二": GiTable("表二", year, None), "表三": table3,
                "表四": compute_table4(con, year, subdistrict)}
    tables, differences = {}, []
    for name in ("表二", "表三", "表四"):
        if name in published:
            tables[name] = published[name]
            differences += _differences(published[name], computed[name])
        else:
            tables[name] = computed[name]
            if computed[name].source == RECORDS and name == "表三":
                notes += placement_notes
    violations = table3_violations(tables["表三"])
    return GiReport(year, tables, violations, differences, notes)


def gi_years(con: duckdb.DuckDBPyConnection) -> list[int]:
    """Years for which any of the three tables has data, newest first."""
    return [y for (y,) in con.execute("""
        SELECT DISTINCT y FROM (
            SELECT year AS y FROM stg_gi_annual
            UNION SELECT year(coalesce(received_date, "date")) FROM stg_disclosures
            UNION SELECT year(filed_date) FROM stg_cases WHERE domain = ?)
        WHERE y IS NOT NULL ORDER BY y DESC""", [GI_CASE_DOMAIN]).fetchall()]
