"""The SQL that finds an unusable cell (a value in a second encoding, a control character, more
than Excel's 32,767 characters) and words its reason: used by the reader for a file in two
encodings (etl.unusable_cells) and by staging as it types a row (etl.staging). Depends on neither.
"""
from __future__ import annotations

import re
from collections.abc import Callable

from etl.csv_encoding import CsvEncoding
from etl.schema import RecordType

MAX_CELL_CHARS = 32_767   # Excel's limit for one cell
# C0 and C1 control characters but tab, line feed and carriage return (an RE2 class).
CONTROL_CHARACTERS = r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]"
SHOWN_CHARS = 100
SAVE_AS_ONE = "；请将整个文件另存为同一种编码"
FOREIGN_SAID = {   # by whether the file's own encoding is UTF-8
    True: "是 GBK/GB18030 编码（按 GBK 读出），与文件其余部分的 UTF-8 编码不一致" + SAVE_AS_ONE,
    False: "是 UTF-8 编码，与文件其余部分的 GBK/GB18030 编码不一致（会读成乱码）" + SAVE_AS_ONE,
}



def quote(identifier: str) -> str:
    return '"' + identifier.replace('"', '""') + '"'


def cell_problem(column: str, i: int, mixed: CsvEncoding | None) -> str:
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


def row_problem_sql(rt: RecordType, param: Callable[[object], str]) -> str:
    """SQL over a row of raw_<type> (a column per field): the struct of its first unusable cell, or
    NULL; `param(value)` gives a value's placeholder. Staging computes it as it types the row (the
    rows of a file with values in two encodings were checked as the file was read)."""
    values: dict[str, object] = {"ctrl": CONTROL_CHARACTERS, "max": MAX_CELL_CHARS, "shown": SHOWN_CHARS}
    for i, f in enumerate(rt.fields):
        values |= {f"f{i}": f.name, f"h{i}": f.header_zh}
    sql = "coalesce(" + ", ".join(cell_problem(f.name, i, None) for i, f in enumerate(rt.fields)) + ")"
    return re.sub(r"\$(\w+)", lambda m: param(values[m.group(1)]), sql)
