"""One file → rows of text in raw_<type>: encoding fallback, XLSX, header mapping, type recognition.

CSV is decoded (and if need be transcoded to UTF-8) in Python in chunks, then read by DuckDB in one
set-based `read_csv`; only XLSX goes row by row, through openpyxl, because nothing else reads it.
An XLSX package is checked before openpyxl opens it (etl.xlsx_package); cells no ledger holds are
recorded for staging to reject (etl.unusable_cells).
"""
from __future__ import annotations

import datetime as dt
import hashlib
import os
import tempfile
import unicodedata
import zlib
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from xml.etree.ElementTree import ParseError

import duckdb
import pyarrow as pa

from etl import csv_encoding, schema
from etl.errors import FileReadError
from etl.schema import RecordType
from etl.staging import quote, raw_table
from etl.unusable_cells import record_unusable_cells
from etl.xlsx_package import DAMAGED_ZIP, XlsxLimits, check_package, not_a_workbook, too_many_rows, xlsx_limits

try:   # openpyxl parses some parts with lxml when it is installed
    from lxml.etree import LxmlError
except ImportError:  # pragma: no cover - lxml comes with python-docx
    LxmlError = ParseError

CSV_SUFFIXES = (".csv",)
XLSX_SUFFIXES = (".xlsx", ".xlsm")
DATA_SUFFIXES = CSV_SUFFIXES + XLSX_SUFFIXES
CHUNK_BYTES = 8 << 20
HEADER_SEARCH_ROWS = 10   # an Excel sheet may carry a title above its header row
# What openpyxl raises on a damaged workbook, besides the zip's own errors: its parsers' errors and
# whatever its object model makes of unexpected XML.
MALFORMED_XLSX = DAMAGED_ZIP + (ParseError, LxmlError, KeyError, ValueError, TypeError, IndexError,
                                AttributeError, zlib.error)


@dataclass
class FileLoad:
    """What reading one file gave: written to etl_files and printed by `build`."""
    source_file: str
    checksum: str = ""
    record_type: str | None = None
    encoding: str | None = None
    rows_read: int = 0
    rows_loaded: int = 0
    rows_rejected: int = 0
    missing_columns: tuple[str, ...] = ()      # required fields the header lacks
    ignored_columns: tuple[str, ...] = ()      # headers that name no field
    error: str | None = None                   # set when the file could not be read at all
    duplicate_of: str | None = None            # set when the same content was loaded already
    notes: list[str] = field(default_factory=list)

    @property
    def message(self) -> str:
        if self.error:
            return f"无法读取：{self.error}"
        if self.duplicate_of:
            return f"内容与 {self.duplicate_of} 完全相同，已整体跳过"
        parts = []
        if self.missing_columns:
            rt = schema.RECORD_TYPES[self.record_type]
            named = "、".join(f"“{rt.field(n).header_zh}”（{n}）" for n in self.missing_columns)
            parts.append(f"缺少必填列{named}，全部行被拒绝")
        if self.ignored_columns:
            parts.append("忽略未知列：" + "、".join(self.ignored_columns))
        return "；".join(parts + self.notes)


def normalise_header(text: str) -> str:
    """Headers compare after NFKC (full-width → half-width), trim, case folding; a trailing * (required mark) is dropped."""
    return unicodedata.normalize("NFKC", str(text)).strip().rstrip("*").strip().casefold()


_HEADER_INDEX = {
    rt.name: {normalise_header(h): f.name for f in rt.fields for h in f.headers}
    for rt in schema.RECORD_TYPES.values()
}


def recognise_type_from_name(file_name: str) -> str | None:
    """The record type a file name starts with (longest prefix wins: 普法与法律服务 over 普法)."""
    stem = normalise_header(Path(file_name).stem)
    best: tuple[int, str] | None = None
    for rt in schema.RECORD_TYPES.values():
        for prefix in rt.prefixes:
            p = normalise_header(prefix)
            rest = stem[len(p):]
            # An English prefix must end at a word boundary: `cases_2023` yes, `casesheet` no.
            if stem.startswith(p) and not (p.isascii() and rest[:1].isalpha() and rest[:1].isascii()):
                if best is None or len(p) > best[0]:
                    best = (len(p), rt.name)
    return best[1] if best else None


def recognise_type_from_headers(headers: list[str]) -> str | None:
    """The type whose required headers the file matches best (ties: more headers matched overall)."""
    normalised = {normalise_header(h) for h in headers if h is not None}
    scores = []
    for rt in schema.RECORD_TYPES.values():
        matched = {_HEADER_INDEX[rt.name][h] for h in normalised if h in _HEADER_INDEX[rt.name]}
        required = sum(1 for f in rt.required_fields if f.name in matched)
        share = required / len(rt.required_fields)
        scores.append((share, len(matched), rt.name))
    share, matched, name = max(scores)
    return name if matched else None


def map_headers(rt: RecordType, headers: list[str]) -> tuple[dict[str, int], tuple[str, ...], tuple[str, ...]]:
    """Field → column position, the ignored headers, and the missing required fields."""
    positions: dict[str, int] = {}
    ignored = []
    index = _HEADER_INDEX[rt.name]
    for position, header in enumerate(headers):
        if header is None or not str(header).strip():
            continue
        name = index.get(normalise_header(header))
        if name is None or name in positions:
            ignored.append(str(header).strip())
        else:
            positions[name] = position
    missing = tuple(f.name for f in rt.required_fields if f.name not in positions)
    return positions, tuple(ignored), missing


def file_checksum(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as fh:
        while chunk := fh.read(CHUNK_BYTES):
            digest.update(chunk)
    return digest.hexdigest()


def _read_csv_table(con: duckdb.DuckDBPyConnection, utf8_path: Path, source_file: str) -> None:
    """All rows (header included, as row 0) into temp table `_file_rows`, columns column0..N."""
    options = "header = false, all_varchar = true, null_padding = true"
    sql = "CREATE OR REPLACE TEMP TABLE _file_rows AS SELECT * FROM read_csv(?, {})"
    try:
        try:
            con.execute(sql.format(options), [str(utf8_path)])
        except duckdb.Error as exc:
            # The parallel reader refuses short rows together with quoted line breaks; read serially then.
            if "parallel" not in str(exc):
                raise
            con.execute(sql.format(options + ", parallel = false"), [str(utf8_path)])
    except duckdb.Error as exc:
        first_line = str(exc).strip().splitlines()[0]
        raise FileReadError(source_file, f"CSV 格式无法解析（{first_line}）") from exc


def _insert_raw(con, rt: RecordType, columns: dict[str, str], source_file: str, load_id: str,
                row_number_sql: str, where_sql: str, subdistrict: str | None = None) -> int:
    """raw_<type> ← `_file_rows`: each field from its column (`columns`), absent fields NULL, blank rows
    dropped; the 街道 of a row that gives none (no such column, or a blank cell) is its folder's or its
    scoped upload's (`subdistrict`), see schema.subdistrict_field."""
    fills = bool(subdistrict) and any(f.name == "subdistrict" for f in rt.fields)

    def select(f) -> str:
        if f.name == "subdistrict" and fills:
            written = f"nullif(trim({quote(columns[f.name])}), '')" if f.name in columns else "NULL"
            return f"coalesce({written}, $folder)"
        return quote(columns[f.name]) if f.name in columns else "NULL"

    selects = [select(f) for f in rt.fields]
    mapped = [quote(c) for c in columns.values()]
    # read_csv gives empty cells as NULL; a row with no value in any mapped column is not a record.
    not_blank = f"coalesce({', '.join(mapped)}) IS NOT NULL" if mapped else "false"
    names = ", ".join([quote(f.name) for f in rt.fields] + ["source_file", "source_row", "load_id"])
    params = {"source_file": source_file, "load_id": load_id} | ({"folder": subdistrict} if fills else {})
    # INSERT answers with the number of rows it inserted.
    return con.execute(
        f"INSERT INTO {raw_table(rt)} ({names}) "
        f"SELECT {', '.join(selects)}, $source_file, {row_number_sql}, $load_id FROM _file_rows "
        f"WHERE {where_sql} AND ({not_blank})",
        params).fetchone()[0]


def _resolve_type(source_file: str, headers: list[str], record_type: str | None) -> RecordType:
    name = record_type or recognise_type_from_name(source_file) or recognise_type_from_headers(headers)
    if name is None:
        raise FileReadError(source_file, "无法识别记录类型：文件名不以记录类型开头，表头也不匹配任何记录类型")
    return schema.RECORD_TYPES[name]


def _load_csv(con, path: Path, load: FileLoad, load_id: str, record_type: str | None,
              subdistrict: str | None) -> None:
    encoding = csv_encoding.detect(path, load.source_file)
    load.encoding = encoding.label
    foreign = 0
    if encoding.needs_transcoding:
        fd, tmp = tempfile.mkstemp(suffix=".csv")
        os.close(fd)
        try:
            foreign = csv_encoding.transcode(path, encoding, Path(tmp), load.source_file)
            _read_csv_table(con, Path(tmp), load.source_file)
        finally:
            os.unlink(tmp)
    else:
        _read_csv_table(con, path, load.source_file)   # DuckDB skips a UTF-8 BOM itself
    header_row = con.execute("SELECT * FROM _file_rows WHERE rowid = 0").fetchone()
    if header_row is None:
        raise FileReadError(load.source_file, "文件为空")
    headers = list(header_row)
    rt = _resolve_type(load.source_file, headers, record_type)
    positions, load.ignored_columns, load.missing_columns = map_headers(rt, headers)
    if not positions:
        raise FileReadError(load.source_file, f"第1行不是“{rt.name_zh}”的表头：没有一列能对应到字段")
    load.record_type = rt.name
    if foreign:
        load.notes.append(encoding.note(foreign))
    # read_csv names columns column0, column1 (or column00 … when there are ten or more): take them by position.
    names = [r[0] for r in con.execute("SELECT column_name FROM duckdb_columns() WHERE table_name = '_file_rows' "
                                       "ORDER BY column_index").fetchall()]
    columns = {name: names[position] for name, position in positions.items()}
    # rowid 0 is the header, so Excel's row number is rowid + 1.
    load.rows_read = _insert_raw(con, rt, columns, load.source_file, load_id, "rowid + 1", "rowid > 0", subdistrict)
    if foreign:   # the markers of the other encoding are in these rows only; the rest: staging, per type
        record_unusable_cells(con, rt, columns, load.source_file, "rowid + 1", "rowid > 0", encoding)


# Consecutive CSV files with the same first line (a subdistrict's or a year's file each) are read by
# one read_csv: per file only the checksum, the encoding check and the first line are done apart.
RUN_BYTES = 256 << 20      # at most this much input per read, so a province's files don't all sit in memory at once


def csv_run_key(path: Path, source_file: str) -> tuple | None:
    """What files must share to be read together: plain UTF-8 (nothing to transcode) and the same
    first line. None: read the file alone (load_file), which also says why a file can't be read."""
    if path.suffix.lower() not in CSV_SUFFIXES:
        return None
    try:
        encoding = csv_encoding.detect(path, source_file)
        with open(path, "rb") as fh:
            first = fh.readline()
    except (FileReadError, OSError):
        return None
    if encoding.needs_transcoding or not first.strip():
        return None
    return encoding.label, first


def load_csv_run(con: duckdb.DuckDBPyConnection, files: list[tuple[Path, str, str | None, str]], load_id: str,
                 label: str) -> list[FileLoad] | None:
    """Files (path, source_file, subdistrict, checksum) with one csv_run_key into raw_<type> by one read_csv, as
    load_file would each; None (nothing inserted) when they don't read as one, file by file alike:
    each its rows in one block that starts with the shared header, all of one record type."""
    paths = [str(path) for path, *_ in files]
    try:
        con.execute("CREATE OR REPLACE TEMP TABLE _file_rows AS SELECT * FROM read_csv($files, header = false, "
                    "all_varchar = true, null_padding = true, filename = true)", {"files": paths})
        spans = {f: (first, last, n) for f, first, last, n in con.execute(
            "SELECT filename, min(rowid), max(rowid), count(*) FROM _file_rows GROUP BY filename").fetchall()}
        if set(spans) != set(paths) or any(last - first + 1 != n for first, last, n in spans.values()):
            return None
        names = [r[0] for r in con.execute("SELECT column_name FROM duckdb_columns() WHERE table_name = '_file_rows' "
                                           "AND column_name <> 'filename' ORDER BY column_index").fetchall()]
        heads = con.execute(f"SELECT DISTINCT {', '.join(quote(n) for n in names)} FROM _file_rows "
                            f"WHERE rowid IN (SELECT min(rowid) FROM _file_rows GROUP BY filename)").fetchall()
        if len(heads) != 1:
            return None
        headers = list(heads[0])
        types = {_resolve_type(name, headers, None).name for _, name, *_ in files}
        if len(types) != 1:
            return None
        rt = schema.RECORD_TYPES[types.pop()]
        positions, ignored, missing = map_headers(rt, headers)
        if not positions:
            return None
        columns = {name: names[position] for name, position in positions.items()}
        con.execute("CREATE OR REPLACE TEMP TABLE _run_files (filename VARCHAR, source_file VARCHAR, first BIGINT, "
                    "folder VARCHAR)")
        con.execute("INSERT INTO _run_files SELECT unnest($f), unnest($n), unnest($s), unnest($d)",
                    {"f": paths, "n": [name for _, name, _, _ in files], "s": [spans[p][0] for p in paths],
                     "d": [folder for _, _, folder, _ in files]})
        mapped = [quote(c) for c in columns.values()]
        not_blank = f"coalesce({', '.join(mapped)}) IS NOT NULL"
        con.execute("CREATE OR REPLACE TEMP VIEW _run_rows AS SELECT r.*, b.source_file, b.folder, r.rowid - b.first + 1 AS _row "
                    "FROM _file_rows r JOIN _run_files b USING (filename) WHERE r.rowid > b.first")
        counts = dict(con.execute(f"SELECT source_file, count(*) FROM _run_rows WHERE {not_blank} GROUP BY 1").fetchall())
        # A row without a 街道 (no such column, or a blank cell): its file's folder's, as _insert_raw.
        def select(f) -> str:
            if f.name == "subdistrict":
                written = f"nullif(trim({quote(columns[f.name])}), '')" if f.name in columns else "NULL"
                kept = quote(columns[f.name]) if f.name in columns else "NULL"
                return f"CASE WHEN folder IS NULL THEN {kept} ELSE coalesce({written}, folder) END"
            return quote(columns[f.name]) if f.name in columns else "NULL"

        selects = [select(f) for f in rt.fields]
        names_sql = ", ".join([quote(f.name) for f in rt.fields] + ["source_file", "source_row", "load_id"])
        con.execute(f"INSERT INTO {raw_table(rt)} ({names_sql}) SELECT {', '.join(selects)}, source_file, _row, ? "
                    f"FROM _run_rows WHERE {not_blank}", [load_id])
    except (duckdb.Error, FileReadError):
        return None
    finally:
        for drop in ("DROP VIEW IF EXISTS _run_rows", "DROP TABLE IF EXISTS _run_files", "DROP TABLE IF EXISTS _file_rows"):
            con.execute(drop)
    return [FileLoad(source_file=name, checksum=checksum, record_type=rt.name, encoding=label,
                     rows_read=counts.get(name, 0), missing_columns=missing, ignored_columns=ignored)
            for _, name, _, checksum in files]


def cell_text(value) -> str | None:
    """An Excel cell as the text a user sees: dates ISO, 85.0 → "85"."""
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    if isinstance(value, dt.datetime):
        return value.date().isoformat() if value.time() == dt.time() else value.isoformat(sep=" ")
    if isinstance(value, (dt.date, dt.time)):
        return value.isoformat()
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float):
        return str(int(value)) if value.is_integer() else repr(value)
    return str(value)


def _find_header(rows: list[tuple], source_file: str, record_type: str | None) -> tuple[int, RecordType] | None:
    """(index of the header row, its type) among the first rows of a sheet, or None."""
    for index, row in enumerate(rows):
        headers = [cell_text(v) for v in row]
        if not any(h and h.strip() for h in headers):
            continue
        name = record_type or recognise_type_from_name(source_file) or recognise_type_from_headers(headers)
        if name and map_headers(schema.RECORD_TYPES[name], headers)[0]:
            return index, schema.RECORD_TYPES[name]
    return None


def _sheet_rows(sheet, source_file: str, **bounds) -> Iterator[tuple]:
    """The sheet's rows as values; a damaged sheet is a FileReadError naming it."""
    try:
        yield from sheet.iter_rows(values_only=True, **bounds)
    except MALFORMED_XLSX as exc:
        raise FileReadError(source_file, f"工作表“{sheet.title}”已损坏，无法读取（{type(exc).__name__}）") from exc


def _sheet_table(sheet, source_file: str, positions: dict[str, int], first_data_row: int,
                 limits: XlsxLimits) -> pa.Table:
    """The mapped columns (column<position>) of the data rows and their row numbers (`_row`).

    Counts rows as openpyxl yields them (a jump in row numbers yields the rows between as empty
    ones) and stops once past the limit; only columns up to the last mapped one are read."""
    cells: dict[int, list[str | None]] = {p: [] for p in positions.values()}
    numbers = []
    rows = _sheet_rows(sheet, source_file, min_row=first_data_row, max_col=max(cells) + 1)
    for number, row in enumerate(rows, start=first_data_row):
        if number > limits.max_rows:
            raise FileReadError(source_file, too_many_rows(limits))
        for position, column in cells.items():
            column.append(cell_text(row[position]) if position < len(row) else None)
        numbers.append(number)
    return pa.table({f"column{p}": pa.array(c, pa.string()) for p, c in cells.items()}
                    | {"_row": pa.array(numbers, pa.int64())})


def _load_xlsx(con, path: Path, load: FileLoad, load_id: str, record_type: str | None,
               subdistrict: str | None) -> None:
    load.encoding = "XLSX"
    limits = xlsx_limits(load.source_file)
    check_package(path, load.source_file, limits)
    from openpyxl import load_workbook  # only XLSX needs it; keeps `check` of CSV light

    try:
        workbook = load_workbook(path, read_only=True, data_only=True)
    except MALFORMED_XLSX as exc:
        raise FileReadError(load.source_file, not_a_workbook(exc)) from exc
    try:
        for sheet in workbook.worksheets:
            # A declared dimension may be wrong: openpyxl would stop at its last row and pad rows to its width.
            sheet.reset_dimensions()
            head = list(_sheet_rows(sheet, load.source_file, max_row=HEADER_SEARCH_ROWS))
            found = _find_header(head, load.source_file, record_type)
            if found is None:
                continue
            header_index, rt = found
            headers = [cell_text(v) for v in head[header_index]]
            positions, load.ignored_columns, load.missing_columns = map_headers(rt, headers)
            # Excel rows count from 1: the data starts on the row after the header.
            table = _sheet_table(sheet, load.source_file, positions, header_index + 2, limits)
            con.register("_xlsx_rows", table)
            try:
                con.execute("CREATE OR REPLACE TEMP TABLE _file_rows AS SELECT * FROM _xlsx_rows")
            finally:
                con.unregister("_xlsx_rows")
            if sheet is not workbook.worksheets[0]:
                load.notes.append(f"读取工作表“{sheet.title}”")
            load.record_type = rt.name
            columns = {name: f"column{position}" for name, position in positions.items()}
            load.rows_read = _insert_raw(con, rt, columns, load.source_file, load_id, "_row", "true", subdistrict)
            return
    finally:
        workbook.close()
    if not workbook.worksheets:
        raise FileReadError(load.source_file, "工作簿没有工作表")
    raise FileReadError(load.source_file, "没有找到含表头的工作表（前10行中没有可识别的表头）")


def load_file(con: duckdb.DuckDBPyConnection, path: Path, source_file: str, load_id: str, *,
              record_type: str | None = None, checksum: str | None = None,
              subdistrict: str | None = None) -> FileLoad:
    """Read one file into raw_<type>; `subdistrict` is the 街道 of rows the file does not give one
    (its folder's name). Raises FileReadError when the file cannot be read at all."""
    load = FileLoad(source_file=source_file, checksum=checksum or file_checksum(path))
    suffix = path.suffix.lower()
    if suffix in CSV_SUFFIXES:
        _load_csv(con, path, load, load_id, record_type, subdistrict)
    elif suffix in XLSX_SUFFIXES:
        _load_xlsx(con, path, load, load_id, record_type, subdistrict)
    else:
        raise FileReadError(source_file, f"不支持的文件类型“{path.suffix}”（只接受 .csv 和 .xlsx）")
    con.execute("DROP TABLE IF EXISTS _file_rows")
    return load


def detect_record_type(path: Path, source_file: str | None = None) -> str:
    """The record type of a file (for the intake page); FileReadError when it has none."""
    con = duckdb.connect()
    try:
        from etl.staging import create_raw_tables
        create_raw_tables(con)
        return load_file(con, path, source_file or path.name, "detect").record_type
    finally:
        con.close()


def is_data_file(path: Path) -> bool:
    """Files a build reads: .csv/.xlsx, not hidden, not Excel's ~$ lock files."""
    return (path.is_file() and path.suffix.lower() in DATA_SUFFIXES
            and not path.name.startswith((".", "~$")))

