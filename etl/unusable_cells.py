"""Cells no ledger holds, found as a file is read: a value written in a second encoding (marked by
etl.csv_encoding), a control character, more than Excel's 32,767 characters.

Each row's first such cell (in the record type's field order) goes to staging's READ_PROBLEMS
table; staging rejects the row with that reason, so per file loaded + rejected = read still holds.
A file with values in two encodings is checked as it is read (its markers are only in the file's
rows); every other file's rows are checked by staging as it types them (etl.cell_checks), in the
same pass, not in one statement per file.
The value kept in `rejects` shows control characters as U+FFFD and is cut at 100 characters.
"""
from __future__ import annotations

import duckdb

from etl.cell_checks import CONTROL_CHARACTERS, FOREIGN_SAID, MAX_CELL_CHARS, SHOWN_CHARS, cell_problem
from etl.csv_encoding import FOREIGN_END, FOREIGN_START, CsvEncoding
from etl.schema import Field, RecordType
from etl.staging import READ_PROBLEMS, create_read_problems

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
    problems = ", ".join(cell_problem(columns[f.name], i, mixed) for i, f in enumerate(fields))
    create_read_problems(con)
    con.execute(
        f"INSERT INTO {READ_PROBLEMS} SELECT $file, source_row, p.field, p.value, p.reason FROM ("
        f"  SELECT {row_number_sql} AS source_row, coalesce({problems}) AS p FROM _file_rows WHERE {where_sql}"
        f") WHERE p IS NOT NULL", params)


