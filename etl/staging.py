"""raw_<type> → stg_<type>: typing, normalising, validation, rejects and de-duplication, in SQL.

Table shapes are derived from etl/schema.py so that the contract has one source.
"""
from __future__ import annotations

import csv
import re

from dataclasses import dataclass

import duckdb

from etl import schema
from etl.cell_checks import CONTROL_CHARACTERS, MAX_CELL_CHARS, row_problem_sql
from etl.catalogue import REPORTED_CODES, create_known_indicators, reference_rows, version_key
from etl.schema import COMMUNITY, SUBDISTRICT, Field, RecordType

LINEAGE_COLUMNS = (("source_file", "VARCHAR"), ("source_row", "BIGINT"), ("load_id", "VARCHAR"))
REJECT_COLUMNS = (("load_id", "VARCHAR"), ("record_type", "VARCHAR"), ("source_file", "VARCHAR"),
                  ("source_row", "BIGINT"), ("field", "VARCHAR"), ("value", "VARCHAR"),
                  ("reason", "VARCHAR"), ("kind", "VARCHAR"))
REPLACEMENT_COLUMNS = (("load_id", "VARCHAR"), ("record_type", "VARCHAR"), ("key", "VARCHAR"),
                       ("source_file", "VARCHAR"), ("source_row", "BIGINT"),
                       ("replaced_by_file", "VARCHAR"), ("replaced_by_row", "BIGINT"))

# Rows a reader found unusable as read (a value in a second encoding, a control character, an
# over-long cell), one per row: staging rejects them with the reader's reason.
READ_PROBLEMS = "_read_problems"


def quote(identifier: str) -> str:
    """Quote an identifier taken from etl/schema.py (fields such as `table` and `row` are keywords)."""
    return '"' + identifier.replace('"', '""') + '"'


def stg_column(f: Field) -> str:
    """Staging column of a field: a community field holds the resolved `community_id`."""
    return "community_id" if f.kind == COMMUNITY else f.name


def stg_type(rt: RecordType, f: Field) -> str:
    if rt.name == "communities" and f.name == "aliases":
        return "VARCHAR[]"
    return schema.SQL_TYPE[f.kind]


def stg_key(rt: RecordType) -> tuple[str, ...]:
    return tuple(stg_column(rt.field(k)) for k in rt.key)


def raw_table(rt: RecordType) -> str:
    return f"raw_{rt.name}"


def stg_table(rt: RecordType) -> str:
    return f"stg_{rt.name}"


def create_raw_tables(con: duckdb.DuckDBPyConnection) -> None:
    """One all-VARCHAR raw_<type> table per record type, plus lineage."""
    for rt in schema.RECORD_TYPES.values():
        columns = [f"{quote(f.name)} VARCHAR" for f in rt.fields]
        columns += [f"{name} {sql_type}" for name, sql_type in LINEAGE_COLUMNS]
        con.execute(f"CREATE TABLE IF NOT EXISTS {raw_table(rt)} ({', '.join(columns)})")
        con.execute(f"COMMENT ON TABLE {raw_table(rt)} IS "
                    f"'{rt.name_zh}原始行：每行为源文件中读到的一行（全部为文本）'")


def create_read_problems(con: duckdb.DuckDBPyConnection) -> None:
    con.execute(f"CREATE TEMP TABLE IF NOT EXISTS {READ_PROBLEMS} (source_file VARCHAR, source_row BIGINT, "
                "field VARCHAR, value VARCHAR, reason VARCHAR)")


def create_staging_tables(con: duckdb.DuckDBPyConnection) -> None:
    """Every empty stg_<type> table and `rejects`, as docs/architecture.md describes them."""
    for rt in schema.RECORD_TYPES.values():
        columns = [f"{quote(stg_column(f))} {stg_type(rt, f)}" for f in rt.fields]
        columns += [f"{name} {sql_type}" for name, sql_type in LINEAGE_COLUMNS]
        con.execute(f"CREATE TABLE IF NOT EXISTS {stg_table(rt)} ({', '.join(columns)})")
        key = "、".join(stg_key(rt))
        # COMMENT ON takes a literal, not a parameter; the grain text comes from schema.py.
        comment = f"粒度：{rt.grain}；键：{key}".replace("'", "''")
        con.execute(f"COMMENT ON TABLE {stg_table(rt)} IS '{comment}'")
    columns = ", ".join(f"{name} {sql_type}" for name, sql_type in REJECT_COLUMNS)
    con.execute(f"CREATE TABLE IF NOT EXISTS rejects ({columns})")
    con.execute("COMMENT ON TABLE rejects IS '粒度：一个被拒绝的输入行（invalid 无效、duplicate 重复 或 replaced 被后上传的文件更正）'")
    columns = ", ".join(f"{name} {sql_type}" for name, sql_type in REPLACEMENT_COLUMNS)
    con.execute(f"CREATE TABLE IF NOT EXISTS replacements ({columns})")
    con.execute("COMMENT ON TABLE replacements IS '粒度：一个被后上传文件中同键的行更正的输入行（key 为键值）'")


# Full-width forms U+FF01–U+FF5E and the ideographic space fold to ASCII. Free text keeps its
# Chinese punctuation (，：) and folds only digits, letters and spaces.
_FULL = "".join(chr(c) for c in range(0xFF01, 0xFF5F)) + "\u3000"
_HALF = "".join(chr(c) for c in range(0x21, 0x7F)) + " "
_ALNUM = [i for i, ch in enumerate(_HALF) if ch.isalnum() or ch == " "]
_FULL_ALNUM = "".join(_FULL[i] for i in _ALNUM)
_HALF_ALNUM = "".join(_HALF[i] for i in _ALNUM)

# One test per row instead of one per value: a row none of whose values holds a full-width form, a
# tab or line break, a Unicode space (Zs) or a space at its start or end (the values are joined with
# U+FFFF, a noncharacter) has nothing to fold or trim and is taken as it is; the others fold and trim
# as before. The same joined text tells the rows that may hold an unusable cell (etl.unusable_cells).
ROW_JOINER = "\uffff"
PLAIN_ROW = (r"[\t\r\n\x{A0}\x{1680}\x{2000}-\x{200A}\x{202F}\x{205F}\x{3000}\x{FF01}-\x{FF5E}]"
             r"|(?:^|\x{FFFF}) | (?:\x{FFFF}|$)")

DATE_PATTERN = (r"^(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?"
                r"(?:[ T]\d{1,2}:\d{2}(?::\d{2}(?:\.\d+)?)?)?$")
ISO_DATE_PATTERN = r"\d{4}-\d{2}-\d{2}"
EXCEL_SERIAL_PATTERN = r"\d{5}(\.0+)?"      # a date cell saved as its Excel serial number
NUMBER_PATTERN = r"[+-]?(\d{1,3}(,\d{3})+|\d+)(\.\d+)?"
PART_WORDS = {"值": "value", "分子": "numerator", "分母": "denominator",
              "value": "value", "numerator": "numerator", "denominator": "denominator"}
# Staged first: the others resolve their community against the first, their indicator against
# the catalogue the second completes (etl.catalogue).
STAGING_ORDER = ("communities", "indicators")


def fold(text: str) -> str:
    """Python twin of the SQL folding, for reference values compared with folded input."""
    return text.translate(str.maketrans(_FULL, _HALF)).strip()


class _Params:
    """Collects bound parameters while SQL is assembled: `p(value)` returns its placeholder."""

    def __init__(self) -> None:
        self.values: dict[str, object] = {}

    def __call__(self, value: object) -> str:
        name = f"p{len(self.values)}"
        self.values[name] = value
        return f"${name}"

    def used_in(self, sql: str) -> dict[str, object]:
        """The parameters `sql` refers to (DuckDB refuses unused ones; some checks drop theirs)."""
        used = set(re.findall(r"\$(p\d+)\b", sql))
        return {name: value for name, value in self.values.items() if name in used}


def _is_free_text(rt: RecordType, f: Field) -> bool:
    return f.kind == schema.TEXT and f.name not in rt.key and f.name != "aliases"


def _error(field_sql: str, value_sql: str, reason_sql: str) -> str:
    """The struct every check yields; `coalesce` over them keeps a row's first problem."""
    return (f"struct_pack(field := ({field_sql})::VARCHAR, value := ({value_sql})::VARCHAR, "
            f"reason := ({reason_sql})::VARCHAR)")


@dataclass(frozen=True)
class _FieldSql:
    """SQL for field i, evaluated in layers so no expression is computed twice per row:
    `parsed` (over t_i, may be NULL) → `value` (over t_i, d_i) → `error` (over t_i, r_i, v_i)."""
    parsed: str
    value: str
    error: str
    carried: str = ""   # a value-layer expression the error layer needs (k_i), e.g. a join's result


def _field_sql(rt: RecordType, f: Field, i: int, p: _Params, check_communities: bool,
               subdistricts: list[str]) -> _FieldSql:
    t, r, v, d, h = f"t_{i}", f"r_{i}", f"v_{i}", f"d_{i}", p(f.header_zh)
    quoted = f"{h} || '“' || {r} || '”'"
    parsed, value, bad, reason = "NULL", t, "false", "NULL"
    if f.kind == schema.DATE:
        # A date written 2022-05-01 (most are; an Excel date reads so) is cast as it is, unsplit.
        parsed = (f"CASE WHEN NOT regexp_full_match({t}, {p(ISO_DATE_PATTERN)}) "
                  f"THEN regexp_extract({t}, {p(DATE_PATTERN)}, ['y', 'm', 'd']) END")
        value = (f"coalesce(CASE WHEN {d} IS NULL THEN TRY_CAST({t} AS DATE) END, "
                 f"TRY_CAST({d}.y || '-' || {d}.m || '-' || {d}.d AS DATE), "
                 f"CASE WHEN regexp_full_match({t}, {p(EXCEL_SERIAL_PATTERN)}) "
                 f"THEN DATE '1899-12-30' + CAST(CAST({t} AS DOUBLE) AS INTEGER) END)")
        reason = f"{quoted} || '不是有效日期'"
    elif f.kind in (schema.INT, schema.NUMBER):
        parsed = (f"CASE WHEN regexp_full_match({t}, {p(NUMBER_PATTERN)}) "
                  f"THEN TRY_CAST(replace({t}, ',', '') AS DOUBLE) END")
        if f.kind == schema.INT:
            value, reason = f"CASE WHEN {d} = floor({d}) THEN CAST({d} AS BIGINT) END", f"{quoted} || '不是整数'"
        else:
            value, reason = d, f"{quoted} || '不是有效数字'"
    elif f.kind == schema.BOOL:
        value = (f"CASE WHEN list_contains({p(list(schema.TRUE_WORDS))}, {t}) THEN true "
                 f"WHEN list_contains({p(list(schema.FALSE_WORDS))}, {t}) THEN false END")
        reason = f"{quoted} || '应为“是”或“否”'"
    elif rt.name == "reported_values" and f.name == "part":
        words = list(PART_WORDS)
        value = (f"CASE WHEN {t} IS NULL THEN 'value' ELSE "
                 f"list_extract({p([PART_WORDS[w] for w in words])}, list_position({p(words)}, lower({t}))) END")
        reason = f"{quoted} || {p('不是允许值（' + '、'.join(schema.REPORTED_PARTS) + '；空白为“值”）')}"
    elif f.kind == schema.ENUM:
        value = f"list_extract({p(list(f.allowed))}, list_position({p([fold(a) for a in f.allowed])}, {t}))"
        reason = f"{quoted} || {p('不是允许值（' + '、'.join(f.allowed) + '）')}"
    elif f.kind == COMMUNITY:
        subdistrict = f"list_contains({p(list(schema.SUBDISTRICT_LEVEL))}, {t})"
        if not check_communities:
            return _FieldSql("NULL", f"CASE WHEN {t} IS NULL OR {subdistrict} THEN NULL ELSE {t} END", "NULL")
        value = f"CASE WHEN {t} IS NULL OR {subdistrict} THEN NULL ELSE coalesce(c1.community_id, c2.community_id) END"
        if f.required:
            reason = (f"CASE WHEN {subdistrict} THEN {quoted} || '不是具体社区（此处须填写社区）' "
                      f"ELSE {quoted} || '不在社区名录中' END")
            bad = f"{t} IS NOT NULL AND {v} IS NULL"
        else:
            reason, bad = f"{quoted} || '不在社区名录中'", f"{t} IS NOT NULL AND NOT {subdistrict} AND {v} IS NULL"
    elif f.kind == SUBDISTRICT:
        return _subdistrict_sql(rt, f, i, p, check_communities, subdistricts)
    elif rt.name == "communities" and f.name == "aliases":
        value = f"list_filter(list_transform(string_split_regex({t}, '[、,;/]'), lambda a: trim(a)), lambda a: a <> '')"
    if f.kind in (schema.DATE, schema.INT, schema.NUMBER, schema.BOOL, schema.ENUM):
        bad = f"{t} IS NOT NULL AND {v} IS NULL"
    checks = []
    if f.required:
        checks.append((f"{t} IS NULL", p("必填字段“" + f.header_zh + "”为空")))
    checks.append((bad, reason))
    if f.minimum is not None:
        checks.append((f"{v} < {p(f.minimum)}", f"{quoted} || {p(f'小于最小值{f.minimum:g}')}"))
    if f.maximum is not None:
        checks.append((f"{v} > {p(f.maximum)}", f"{quoted} || {p(f'大于最大值{f.maximum:g}')}"))
    whens = " ".join(f"WHEN {cond} THEN {_error(p(f.name), r, why)}" for cond, why in checks if cond != "false")
    return _FieldSql(parsed, value, f"CASE {whens} END" if whens else "NULL")


def _subdistrict_sql(rt: RecordType, f: Field, i: int, p: _Params, check_communities: bool,
                     subdistricts: list[str]) -> _FieldSql:
    """A record's 街道: its community's (joined as c1/c2), else as written (s1), else the only one the
    community list has. Several subdistricts and none found: rejected, except where blank means
    every subdistrict (schema.SUBDISTRICT_OPTIONAL)."""
    t, r, v, k = f"t_{i}", f"r_{i}", f"v_{i}", f"k_{i}"
    if not check_communities or not subdistricts:
        return _FieldSql("NULL", t, "NULL")
    has_community = any(x.kind == COMMUNITY for x in rt.fields)
    community_sd = "coalesce(c1.subdistrict, c2.subdistrict), " if has_community else ""
    sole = p(subdistricts[0]) if len(subdistricts) == 1 else "NULL::VARCHAR"
    value = f"coalesce({community_sd}s1.subdistrict, {sole})"
    known = p("、".join(subdistricts))
    checks = [(f"{t} IS NOT NULL AND {k} IS NULL",
               f"{p(f.header_zh)} || '“' || {r} || {p('”不在社区名录的街道中（')} || {known} || '）'")]
    if len(subdistricts) > 1 and rt.name not in schema.SUBDISTRICT_OPTIONAL:
        checks.append((f"{v} IS NULL", p("社区名录中有多个街道（" + "、".join(subdistricts) + "）：请填写“街道”，"
                                          "或把文件放在以街道命名的文件夹中")))
    whens = " ".join(f"WHEN {cond} THEN {_error(p(f.name), r, why)}" for cond, why in checks)
    return _FieldSql("NULL", value, f"CASE {whens} END", carried="s1.subdistrict")


def _reference_rows(file_name: str) -> list[dict[str, str]]:
    from etl.paths import REFERENCE_DIR
    with open(REFERENCE_DIR / file_name, encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh))


def _reference_ids(file_name: str, column: str) -> list[str]:
    return [row[column] for row in _reference_rows(file_name)]


def _cross_checks(rt: RecordType, p: _Params, v: dict[str, str], r: dict[str, str]) -> list[str]:
    """Errors that involve the record as a whole (after each field is typed)."""
    if rt.name == "cases":
        return [
            f"CASE WHEN {v['status']} = '审结' AND {v['closed_date']} IS NULL THEN "
            + _error(p("closed_date"), "NULL", p("状态为“审结”的案件须填写结案日期")) + " END",
            f"CASE WHEN {v['closed_date']} < {v['filed_date']} THEN "
            + _error(p("closed_date"), r["closed_date"],
                     f"'结案日期“' || {r['closed_date']} || '”早于收案日期“' || {r['filed_date']} || '”'") + " END",
        ]
    if rt.name == "reported_values":   # the catalogue with its imported indicators (etl.catalogue)
        return [f"CASE WHEN NOT list_contains((SELECT list(indicator_id) FROM _catalogue), {v['indicator_id']}) THEN "
                + _error(p("indicator_id"), r["indicator_id"],
                         f"'指标编号“' || {r['indicator_id']} || '”不在指标目录中'") + " END"]
    if rt.name == "targets":
        return _target_checks(p, v, r)
    if rt.name == "indicators":
        return _indicator_checks(p, v, r)
    if rt.name == "actions":
        ids = _reference_ids("weak_areas.csv", "weak_area_id")
        return [f"CASE WHEN {v['weak_area_id']} IS NOT NULL AND NOT list_contains({p(ids)}, {v['weak_area_id']}) THEN "
                + _error(p("weak_area_id"), r["weak_area_id"],
                         f"'短板编号“' || {r['weak_area_id']} || '”不在短板目录中（' || {p('、'.join(ids))} || '）'")
                + " END"]
    return []


def _check(p: _Params, condition: str, field_name: str, value_sql: str, reason_sql: str) -> str:
    return f"CASE WHEN {condition} THEN " + _error(p(field_name), value_sql, reason_sql) + " END"


def _target_checks(p: _Params, v: dict[str, str], r: dict[str, str]) -> list[str]:
    """A target names a rated indicator of the catalogue, fits its scope, and its red line and
    scoring rule fit its direction (docs/data-contract.md, 指标目标)."""
    direction = f"(SELECT c.direction FROM _catalogue c WHERE c.indicator_id = {v['indicator_id']})"
    target, red, rule = v["target"], v["red_threshold"], v["rule"]
    up, down, per_event = p("up"), p("down"), p("每件扣分")
    return [
        _check(p, f"{direction} IS NULL", "indicator_id", r["indicator_id"],
               f"'指标编号“' || {r['indicator_id']} || '”不在指标目录中'"),
        _check(p, f"{direction} NOT IN ({up}, {down})", "indicator_id", r["indicator_id"],
               f"'指标“' || {r['indicator_id']} || {p('”不评价（没有方向），不设目标')}"),
        _check(p, f"{v['scope']} = {p('街道')} AND {v['community']} IS NOT NULL", "community", r["community"],
               p("范围为“街道”时社区须为空；某个社区的目标请把范围填为“社区”")),
        _check(p, f"{v['scope']} = {p('社区')} AND list_contains({p(list(schema.SUBDISTRICT_LEVEL))}, trim({r['community']}))",
               "community", r["community"], p("范围为“社区”时社区空白表示每个社区；“街道本级”不是社区")),
        _check(p, f"{direction} = {up} AND {red} > {target}", "red_threshold", r["red_threshold"],
               f"'红线值“' || {r['red_threshold']} || '”高于目标值“' || {r['target']} || "
               f"{p('”：该指标越高越好，红线应不高于目标')}"),
        _check(p, f"{direction} = {down} AND {red} < {target}", "red_threshold", r["red_threshold"],
               f"'红线值“' || {r['red_threshold']} || '”低于目标值“' || {r['target']} || "
               f"{p('”：该指标越低越好，红线应不低于目标')}"),
        _check(p, f"{rule} IS NOT NULL AND {v['points']} IS NULL", "points", "NULL",
               p("填写了计分方式，但未填写分值")),
        _check(p, f"{rule} = {per_event} AND {v['deduction']} IS NULL", "deduction", "NULL",
               p("计分方式为“每件扣分”时须填写扣分值")),
        _check(p, f"{v['deduction']} IS NOT NULL AND {rule} IS DISTINCT FROM {per_event}", "deduction",
               r["deduction"], p("扣分值只用于计分方式“每件扣分”")),
        _check(p, f"{rule} = {p('按比例')} AND {target} < 0", "target", r["target"],
               p("按比例计分的目标值不能为负数")),
    ]


def _indicator_checks(p: _Params, v: dict[str, str], r: dict[str, str]) -> list[str]:
    """An imported indicator is a reported one: a new id, or a later version of a reported
    reference indicator of the same kind; its area and weak area exist."""
    reference = reference_rows()
    ids = [row["indicator_id"] for row in reference]
    computed = [row["indicator_id"] for row in reference if row["kind"] not in REPORTED_CODES]
    kinds_zh, kinds = list(schema.REPORTED_KINDS), list(schema.REPORTED_KINDS.values())
    areas = [(row["area_id"], row["name_zh"]) for row in _reference_rows("areas.csv")]
    weak_ids = _reference_ids("weak_areas.csv", "weak_area_id")
    indicator_id, version = v["indicator_id"], v["version"]
    position = f"list_position({p(ids)}, {indicator_id})"
    current_version = f"list_extract({p([row['version'] for row in reference])}, {position})"
    current_kind = f"list_extract({p([row['kind'] for row in reference])}, {position})"
    kind = f"list_extract({p(kinds)}, list_position({p(kinds_zh)}, {v['kind']}))"
    return [
        _check(p, f"NOT regexp_full_match({indicator_id}, {p(schema.INDICATOR_ID_PATTERN)})", "indicator_id",
               r["indicator_id"], f"'指标编号“' || {r['indicator_id']} || "
               f"{p('”须以小写字母开头，只含小写字母、数字和下划线（至多63个字符）')}"),
        _check(p, f"list_contains({p(computed)}, {indicator_id})", "indicator_id", r["indicator_id"],
               f"'指标“' || {r['indicator_id']} || {p('”由记录计算，口径由程序维护，不能通过导入修改')}"),
        _check(p, f"NOT regexp_full_match({version}, {p(schema.VERSION_PATTERN)})", "version", r["version"],
               f"'版本“' || {r['version']} || {p('”应由数字和点组成，如 2026.2')}"),
        _check(p, f"{version_key(version)} <= {version_key(current_version)}", "version", r["version"],
               f"'版本“' || {r['version']} || '”须高于指标目录中该指标的现行版本“' || {current_version} || '”'"),
        _check(p, f"{kind} <> {current_kind}", "kind", r["kind"],
               f"'已在指标目录中的指标不能改变类型（现为“' || list_extract({p(kinds_zh)}, "
               f"list_position({p(kinds)}, {current_kind})) || '”）'"),
        _check(p, f"NOT list_contains({p([w for pair in areas for w in pair])}, {v['area']})", "area", r["area"],
               f"'领域“' || {r['area']} || '”不在领域目录中（' || "
               f"{p('、'.join(f'{a} {name}' for a, name in areas))} || '）'"),
        _check(p, f"{v['weak_area_id']} IS NOT NULL AND NOT list_contains({p(weak_ids)}, {v['weak_area_id']})",
               "weak_area_id", r["weak_area_id"],
               f"'短板编号“' || {r['weak_area_id']} || '”不在短板目录中（' || {p('、'.join(weak_ids))} || '）'"),
    ]


def _type_rows(con, rt: RecordType, check_communities: bool, subdistricts: list[str]) -> None:
    """raw_<type> → temp table `_typed`: typed values v_i, the key's raw texts r_i, key hash, and the row's first error."""
    p = _Params()
    n = range(len(rt.fields))
    lineage = "source_file, source_row, load_id"
    texts = []
    for i, f in zip(n, rt.fields):
        source, target = (_FULL_ALNUM, _HALF_ALNUM) if _is_free_text(rt, f) else (_FULL, _HALF)
        # translate() with a long map is slow; most values have nothing to fold, so test first.
        has_full_width = f"regexp_matches({quote(f.name)}, {p('[' + source + ']')})"
        folded = (f"CASE WHEN {has_full_width} THEN translate({quote(f.name)}, {p(source)}, {p(target)}) "
                  f"ELSE {quote(f.name)} END")
        # `_plain`: no value of the row has anything to fold or trim (see PLAIN_ROW).
        texts.append(f"{quote(f.name)} AS r_{i}, CASE WHEN _plain THEN nullif({quote(f.name)}, '') "
                     f"ELSE nullif(trim({folded}, ' \t\r\n'), '') END AS t_{i}")
    fields = [_field_sql(rt, f, i, p, check_communities, subdistricts) for i, f in zip(n, rt.fields)]
    joins = ""
    community = next((i for i, f in zip(n, rt.fields) if f.kind == COMMUNITY), None)
    subdistrict = next((i for i, f in zip(n, rt.fields) if f.kind == SUBDISTRICT), None)
    within = "''"   # a community name is looked up among all subdistricts' unless the record names one
    if subdistrict is not None and check_communities and subdistricts:
        joins = f" LEFT JOIN _subdistrict_lookup s1 ON s1.word = lower(t_{subdistrict})"
        within = "coalesce(s1.subdistrict, '')"
    if community is not None and check_communities:
        joins += (f" LEFT JOIN _community_lookup c1 ON c1.word = lower(t_{community}) AND c1.within = {within}"
                  f" LEFT JOIN _community_lookup c2 ON c2.word = lower(regexp_replace(t_{community}, '社区$', ''))"
                  f" AND c2.within = {within}")
    carried = "".join(f", {fs.carried} AS k_{i}" for i, fs in zip(n, fields) if fs.carried)
    v = {f.name: f"v_{i}" for i, f in zip(n, rt.fields)}
    r = {f.name: f"r_{i}" for i, f in zip(n, rt.fields)}
    missing = "CASE WHEN m.reason IS NOT NULL THEN " + _error("m.field", "NULL", "m.reason") + " END"
    # The reader's finding (a file in two encodings), else the row's unusable cell found here (_cell).
    unusable = ("coalesce(CASE WHEN q.reason IS NOT NULL THEN " + _error("q.field", "q.value", "q.reason")
                + " END, _cell)")
    cell = (f"CASE WHEN regexp_matches(_joined, {p(CONTROL_CHARACTERS)}) OR strlen(_joined) > {p(MAX_CELL_CHARS)} "
            f"THEN {row_problem_sql(rt, p)} END")
    first_error = ", ".join([missing, unusable] + [f"e_{i}" for i in n] + _cross_checks(rt, p, v, r))
    raw_and_text = ", ".join(f"r_{i}, t_{i}" for i in n)
    values = ", ".join(v.values())
    key = ", ".join(f"v_{i}" for i, f in zip(n, rt.fields) if f.name in rt.key)
    # Of the raw texts only the key's go on (_store names a duplicate by them); errors have theirs already.
    key_texts = ", ".join(f"r_{i}" for i, f in zip(n, rt.fields) if f.name in rt.key)
    value_layer = ", ".join(f"{fs.value} AS v_{i}" for i, fs in zip(n, fields)) + carried
    sql = (f"CREATE OR REPLACE TEMP TABLE _typed AS "
           f"SELECT {lineage}, {values}, {key_texts}, hash({key}) AS key_hash, "
           f"       coalesce({first_error}) AS error FROM ("
           f"  SELECT *, {', '.join(f'{fs.error} AS e_{i}' for i, fs in zip(n, fields))} FROM ("
           f"    SELECT {lineage}, _cell, {raw_and_text}, {value_layer} FROM ("
           f"      SELECT *, {', '.join(f'{fs.parsed} AS d_{i}' for i, fs in zip(n, fields))} FROM ("
           f"        SELECT {lineage}, _cell, {', '.join(texts)} FROM ("
           f"          SELECT *, NOT regexp_matches(_joined, {p(PLAIN_ROW)}) AS _plain, {cell} AS _cell FROM ("
           f"            SELECT *, concat_ws({p(ROW_JOINER)}, {', '.join(quote(f.name) for f in rt.fields)}) AS _joined "
           f"            FROM {raw_table(rt)}))))"
           f"    {joins})) "
           f"LEFT JOIN _missing_columns m USING (source_file) "
           f"LEFT JOIN {READ_PROBLEMS} q USING (source_file, source_row)")
    con.execute(sql, p.used_in(sql))


def _store(con, rt: RecordType) -> None:
    """`_typed` → stg_<type> (one row per key) and rejects (invalid rows, duplicates, replaced rows).

    Of the valid rows with one key, the one kept is from the latest file in upload order
    (`_file_order`), then the first by file name and row. Another row with the same content is a
    duplicate counted once; with other content it is `replaced` when its file came earlier in
    upload order (recorded in `replacements` too), else a duplicate. Only rows whose key occurs
    more than once go through the window that ranks them.
    """
    n = len(rt.fields)
    values = ", ".join(f"v_{i}" for i in range(n))
    key_positions = [i for i, f in enumerate(rt.fields) if f.name in rt.key]
    key = ", ".join(f"v_{i}" for i in key_positions)
    con.execute("CREATE OR REPLACE TEMP TABLE _repeated AS SELECT key_hash FROM _typed WHERE error IS NULL "
                "GROUP BY key_hash HAVING count(*) > 1")
    con.execute(
        f"CREATE OR REPLACE TEMP TABLE _valid AS "
        f"SELECT *, row_number() OVER w AS nth, first_value(source_file) OVER w AS first_file, "
        f"first_value(source_row) OVER w AS first_row, first_value(content) OVER w AS first_content, "
        f"content <> first_value(content) OVER w AND file_order < first_value(file_order) OVER w AS replaced "
        f"FROM (SELECT *, hash({values}) AS content, coalesce(n, 0) AS file_order "
        f"      FROM _typed LEFT JOIN _file_order USING (source_file) "
        f"      WHERE error IS NULL AND key_hash IN (SELECT key_hash FROM _repeated)) "
        f"WINDOW w AS (PARTITION BY {key} ORDER BY file_order DESC, source_file, source_row)")
    columns = ", ".join([quote(stg_column(f)) for f in rt.fields] + ["source_file", "source_row", "load_id"])
    con.execute(f"INSERT INTO {stg_table(rt)} ({columns}) "
                f"SELECT {values}, source_file, source_row, load_id FROM _typed "
                f"WHERE error IS NULL AND key_hash NOT IN (SELECT key_hash FROM _repeated) "
                f"UNION ALL SELECT {values}, source_file, source_row, load_id FROM _valid WHERE nth = 1")
    p = _Params()
    con.execute(
        f"INSERT INTO rejects SELECT load_id, {p(rt.name)}, source_file, source_row, error.field, error.value, "
        f"error.reason, 'invalid' FROM _typed WHERE error IS NOT NULL ORDER BY source_file, source_row", p.values)
    p = _Params()
    # Messages name the key as the user wrote it; the 街道 (often implied by community or folder) is left out.
    named_key = [k for k in rt.key if rt.field(k).kind != SUBDISTRICT]
    key_headers = "、".join(rt.field(k).header_zh for k in named_key)
    key_text = f"concat_ws('、', {', '.join(f'r_{i}' for i, f in enumerate(rt.fields) if f.name in named_key)})"
    where = f"{p(' 第')} || first_row || '行'"
    con.execute(
        f"INSERT INTO rejects SELECT load_id, {p(rt.name)}, source_file, source_row, {p(rt.key[0])}, {key_text}, "
        f"CASE WHEN content = first_content THEN '与 ' || first_file || {where} || {p('完全相同，重复行只计一次')} "
        f"WHEN replaced THEN {p(key_headers)} || '“' || {key_text} || '”已由 ' || first_file || {where} "
        f"|| {p('更正（以后上传的为准）')} "
        f"ELSE {p(key_headers)} || '“' || {key_text} || '”与 ' || first_file || {where} "
        f"|| {p('重复但内容不同，保留先出现的行')} END, CASE WHEN replaced THEN 'replaced' ELSE 'duplicate' END "
        f"FROM _valid WHERE nth > 1 ORDER BY source_file, source_row", p.values)
    p = _Params()
    con.execute(
        f"INSERT INTO replacements SELECT load_id, {p(rt.name)}, {key_text}, source_file, source_row, first_file, "
        f"first_row FROM _valid WHERE nth > 1 AND replaced ORDER BY source_file, source_row", p.values)


def _build_community_lookup(con) -> list[str]:
    """Every way a community may be written (id, name, name without 社区, alias) → community_id and its
    subdistrict, `within` its subdistrict and within '' (any: ambiguous across subdistricts → NULL);
    every way a subdistrict may be written (name, name without 街道) → its name. Returns the
    subdistricts of the list."""
    p = _Params()
    folded = f"lower(trim(translate(w, {p(_FULL)}, {p(_HALF)})))"
    con.execute(
        f"CREATE OR REPLACE TEMP TABLE _community_words AS "
        f"SELECT DISTINCT community_id, subdistrict, {folded} AS word FROM ("
        f"  SELECT community_id, subdistrict, community_id AS w FROM stg_communities"
        f"  UNION ALL SELECT community_id, subdistrict, name FROM stg_communities"
        f"  UNION ALL SELECT community_id, subdistrict, regexp_replace(name, '社区$', '') FROM stg_communities"
        f"  UNION ALL SELECT community_id, subdistrict, unnest(aliases) FROM stg_communities) "
        f"WHERE {folded} <> ''", p.values)
    con.execute(
        "CREATE OR REPLACE TEMP TABLE _community_lookup AS "
        "SELECT word, subdistrict AS within, min(community_id) AS community_id, min(subdistrict) AS subdistrict "
        "  FROM _community_words WHERE subdistrict IS NOT NULL GROUP BY word, subdistrict "
        "UNION ALL "
        "SELECT word, '' AS within, CASE WHEN count(DISTINCT subdistrict) <= 1 THEN min(community_id) END, "
        "       CASE WHEN count(DISTINCT subdistrict) <= 1 THEN min(subdistrict) END "
        "  FROM _community_words GROUP BY word")
    p = _Params()
    con.execute(
        f"CREATE OR REPLACE TEMP TABLE _subdistrict_lookup AS "
        f"SELECT DISTINCT lower(trim(translate(w, {p(_FULL)}, {p(_HALF)}))) AS word, subdistrict FROM ("
        f"  SELECT subdistrict, subdistrict AS w FROM stg_communities"
        f"  UNION ALL SELECT subdistrict, regexp_replace(subdistrict, '街道$', '') FROM stg_communities) "
        f"WHERE subdistrict IS NOT NULL AND w <> ''", p.values)
    con.execute("DROP TABLE _community_words")
    return [row[0] for row in con.execute(
        "SELECT DISTINCT subdistrict FROM stg_communities WHERE subdistrict IS NOT NULL ORDER BY 1").fetchall()]


def stage(con: duckdb.DuckDBPyConnection, missing_columns: dict[str, tuple[str, ...]], *,
          check_communities: bool = True, file_order: dict[str, int] | None = None, reuse=None) -> None:
    """raw_* → stg_* and rejects for every record type.

    `missing_columns` maps a source file to the required fields its header lacks: every row of
    such a file is rejected naming them. With `check_communities` false (no community list known)
    community fields are kept as written and not validated. `file_order` gives a file's place in
    upload order (absent = 0, the data folder): on a key conflict the later file's row wins.
    `reuse` (etl.reuse.Reuse) adds the staged rows of unchanged files before each type is stored.
    """
    rows = []
    for source_file, fields in missing_columns.items():
        if fields:
            rt_fields = {f.name: f for rt in schema.RECORD_TYPES.values() for f in rt.fields}
            named = "、".join(f"“{rt_fields[n].header_zh}”（{n}）" for n in fields)
            rows.append((source_file, fields[0], f"文件缺少必填列{named}"))
    create_read_problems(con)
    con.execute("CREATE OR REPLACE TEMP TABLE _missing_columns (source_file VARCHAR, field VARCHAR, reason VARCHAR)")
    con.execute("CREATE OR REPLACE TEMP TABLE _file_order (source_file VARCHAR, n INTEGER)")
    if file_order:
        con.executemany("INSERT INTO _file_order VALUES (?, ?)", list(file_order.items()))
    if rows:
        con.executemany("INSERT INTO _missing_columns VALUES (?, ?, ?)", rows)
    ordered = [schema.RECORD_TYPES[n] for n in STAGING_ORDER]
    ordered += [rt for rt in schema.RECORD_TYPES.values() if rt.name not in STAGING_ORDER]
    subdistricts: list[str] = []
    for rt in ordered:
        _type_rows(con, rt, check_communities, subdistricts)
        if reuse is not None:
            reuse.before_store(con, rt)
        _store(con, rt)
        if rt.name == "communities":
            subdistricts = _build_community_lookup(con)
        elif rt.name == "indicators":
            create_known_indicators(con)
    for temp in ("_typed", "_valid", "_repeated", "_missing_columns", "_file_order", "_community_lookup", "_subdistrict_lookup", "_catalogue",
                 READ_PROBLEMS):
        con.execute(f"DROP TABLE IF EXISTS {temp}")
