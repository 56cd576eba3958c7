"""Cells no ledger holds, found as a file is read: a value written in a second encoding (marked by
etl.csv_encoding), a control character, more than Excel's 32,767 characters.

Each row's first such cell (in the record type's field order) goes to staging's READ_PROBLEMS
table; staging rejects the row with that reason, so per file loaded + rejected = read still holds.
A file with values in two encodings is checked as it is read (its markers are only in the file's
rows); every other file's rows are checked by staging as it types them (`row_problem_sql`), in the
same pass, not in one statement per file.
The value kept in `rejects` shows control characters as U+FFFD and is cut at 100 characters.
"""
from __future__ import annotations

import re
from collections.abc import Callable

import duckdb

from etl.csv_encoding import FOREIGN_END, FOREIGN_START, CsvEncoding
from etl.schema import Field, RecordType
from etl.staging import READ_PROBLEMS, create_read_problems, quote

MAX_CELL_CHARS = 32_767   # Excel's limit for one cell
# C0 and C1 control characters but tab, line feed and carriage return (an RE2 class).
CONTROL_CHARACTERS = r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]"
SHOWN_CHARS = 100
SAVE_AS_ONE = "；请将整个文件另存为同一种编码"
FOREIGN_SAID = {   # by whether the file's own encoding is UTF-8
    True: "是 GBK/GB18030 编码（按 GBK 读出），与文件其余部分的 UTF-8 编码不一致" + SAVE_AS_ONE,
    False: "是 UTF-8 编码，与文件其余部分的 GBK/GB18030 编码不一致（会读成乱码）" + SAVE_AS_ONE,
}


def _cell_problem(column: str, i: int, mixed: CsvEncoding | None) -> str:
    """SQL: struct (field, value, reason) of the cell's problem, or NULL; the field's parameters are $f<i>, $h<i>."""
    c = quote(column)
    text = f"replace(replace({c}, $start, ''), $end, '')" if mixed else c
    visible = f"regexp_replace({text}, $ctrl, '\ufffd', 'g')"
    shown = f"CASE WHEN length({visible}) > $shown THEN left({visible}, $shown) || '…' ELSE {visible} END"
    named = f"$h{i} || '“' || {shown} || '”'"

    def problem(reason: str) -> str:
        return f"struct_pack(field := $f{i}, value := {shown}, reason := {reason})"

    whens = []
    if mixed:
        foreign = f"regexp_extract({c}, $foreign, 1)"
        part = f"CASE WHEN {foreign} = {shown} THEN '' ELSE '中的“' || {foreign} || '”' END"
        whens.append((f"contains({c}, $start)", problem(f"{named} || {part} || $said")))
    whens.append((f"regexp_matches({c}, $ctrl)", problem(
        f"{named} || '含不可见的控制字符（' || printf('U+%04X', unicode(regexp_extract({c}, $ctrl))) || '）'")))
    whens.append((f"length({c}) > $max", problem(
        f"$h{i} || '有 ' || format('{{:,}}', length({c})) || ' 个字符，超过 Excel 单元格的上限 ' "
        f"|| format('{{:,}}', $max) || ' 个字符'")))
    return "CASE " + " ".join(f"WHEN {cond} THEN {then}" for cond, then in whens) + " END"


def record_unusable_cells(con: duckdb.DuckDBPyConnection, rt: RecordType, columns: dict[str, str],
                          source_file: str, row_number_sql: str, where_sql: str,
                          mixed: CsvEncoding | None = None) -> None:
    """Rows of `_file_rows` with an unusable cell in a mapped column (`columns`: field → column) → READ_PROBLEMS.

    `row_number_sql`/`where_sql` are those the rows went into raw_<type> with; `mixed` is the
    file's encoding when some of its values are written in another."""
    fields: list[Field] = [f for f in rt.fields if f.name in columns]
    params: dict[str, object] = {"file": source_file, "ctrl": CONTROL_CHARACTERS, "max": MAX_CELL_CHARS,
                                 "shown": SHOWN_CHARS}
    if mixed:
        params |= {"start": FOREIGN_START, "end": FOREIGN_END, "said": FOREIGN_SAID[mixed.utf8],
                   "foreign": f"{FOREIGN_START}([^{FOREIGN_END}]*){FOREIGN_END}"}
    for i, f in enumerate(fields):
        params |= {f"f{i}": f.name, f"h{i}": f.header_zh}
    problems = ", ".join(_cell_problem(columns[f.name], i, mixed) for i, f in enumerate(fields))
    create_read_problems(con)
    con.execute(
        f"INSERT INTO {READ_PROBLEMS} SELECT $file, source_row, p.field, p.value, p.reason FROM ("
        f"  SELECT {row_number_sql} AS source_row, coalesce({problems}) AS p FROM _file_rows WHERE {where_sql}"
        f") WHERE p IS NOT NULL", params)


def row_problem_sql(rt: RecordType, param: Callable[[object], str]) -> str:
    """SQL over a row of raw_<type> (a column per field): the struct of its first unusable cell, or
    NULL; `param(value)` gives a value's placeholder. Staging computes it as it types the row (the
    rows of a file with values in two encodings were checked as the file was read)."""
    values: dict[str, object] = {"ctrl": CONTROL_CHARACTERS, "max": MAX_CELL_CHARS, "shown": SHOWN_CHARS}
    for i, f in enumerate(rt.fields):
        values |= {f"f{i}": f.name, f"h{i}": f.header_zh}
    sql = "coalesce(" + ", ".join(_cell_problem(f.name, i, None) for i, f in enumerate(rt.fields)) + ")"
    return re.sub(r"\$(\w+)", lambda m: param(values[m.group(1)]), sql)
