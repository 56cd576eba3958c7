"""Hostile-input benchmark: time and peak memory of refusing a 10M-row XLSX, and of loading the largest accepted one.

    python bench/hostile_bench.py                  # 10,000,000 rows (writing the files takes a few minutes)
    python bench/hostile_bench.py --rows 2000000

The sheets are written by a streaming writer (zipfile, row by row, shared strings: as compact as
the 26 MB / 10M-row file of issue 9), with the dimension declared, absent, or lying (A1:D2). Each
file is read by `etl.readers.load_file` in its own subprocess so that its peak resident memory
(ru_maxrss) is its own, printed beside the RSS before reading (the interpreter and its imports):
first with the default limits, then with the unzipped-size cap lifted so that the row count is what
refuses. Last, a sheet whose row numbers jump to the last row (three <row> elements; openpyxl
yields the rows between) and a sheet of exactly the row limit, which loads.
"""
from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
NS = 'xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"'
REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
PKG = "http://schemas.openxmlformats.org/package/2006/relationships"
CT = "application/vnd.openxmlformats-officedocument.spreadsheetml"
PARTS = {
    "[Content_Types].xml":
        '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
        f'<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
        '<Default Extension="xml" ContentType="application/xml"/>'
        f'<Override PartName="/xl/workbook.xml" ContentType="{CT}.sheet.main+xml"/>'
        f'<Override PartName="/xl/worksheets/sheet1.xml" ContentType="{CT}.worksheet+xml"/>'
        f'<Override PartName="/xl/sharedStrings.xml" ContentType="{CT}.sharedStrings+xml"/></Types>',
    "_rels/.rels": f'<Relationships xmlns="{PKG}"><Relationship Id="rId1" Type="{REL}/officeDocument" '
                   'Target="xl/workbook.xml"/></Relationships>',
    "xl/workbook.xml": f'<workbook {NS} xmlns:r="{REL}"><sheets><sheet name="案件" sheetId="1" r:id="rId1"/>'
                       '</sheets></workbook>',
    "xl/_rels/workbook.xml.rels":
        f'<Relationships xmlns="{PKG}"><Relationship Id="rId1" Type="{REL}/worksheet" '
        f'Target="worksheets/sheet1.xml"/><Relationship Id="rId2" Type="{REL}/sharedStrings" '
        'Target="sharedStrings.xml"/></Relationships>',
}
STRINGS = ["案件编号", "案件类型", "收案日期", "状态", "行政诉讼", "在办", "审结"]


def _row(n: int) -> str:
    if n == 1:
        return '<row r="1">' + "".join(f'<c r="{c}1" t="s"><v>{i}</v></c>' for i, c in enumerate("ABCD")) + "</row>"
    # Without the optional r attributes: case number, 行政诉讼, a date serial, 在办/审结.
    return f'<row><c><v>{n}</v></c><c t="s"><v>4</v></c><c><v>44562</v></c><c t="s"><v>{5 + n % 2}</v></c></row>'


def _numbered_row(n: int) -> str:
    return _row(1) if n == 1 else f'<row r="{n}"><c r="A{n}"><v>{n}</v></c></row>'



def write_xlsx(path: Path, rows: int, dimension: str, row_numbers=None) -> None:
    """Stream a cases sheet of `rows` rows (or of `row_numbers`) into `path`; dimension: declared/absent/lying."""
    declared = {"declared": f'<dimension ref="A1:D{rows}"/>', "absent": "", "lying": '<dimension ref="A1:D2"/>'}
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED, compresslevel=6) as archive:
        for name, text in PARTS.items():
            archive.writestr(name, text)
        archive.writestr("xl/sharedStrings.xml", f'<sst {NS}>' + "".join(f"<si><t>{s}</t></si>" for s in STRINGS)
                         + "</sst>")
        with archive.open("xl/worksheets/sheet1.xml", "w", force_zip64=True) as sheet:
            sheet.write(f"<worksheet {NS}>{declared[dimension]}<sheetData>".encode())
            numbers = iter(row_numbers or range(1, rows + 1))
            write_row = _numbered_row if row_numbers else _row
            while batch := [write_row(n) for _, n in zip(range(50_000), numbers)]:
                sheet.write("".join(batch).encode())
            sheet.write(b"</sheetData></worksheet>")


def measure(path: Path) -> dict:
    """Read `path` as a build does, in this process (call in a fresh subprocess)."""
    import resource

    import duckdb

    sys.path.insert(0, str(ROOT))
    from etl.errors import FileReadError
    from etl.readers import load_file
    from etl.staging import create_raw_tables

    con = duckdb.connect()
    create_raw_tables(con)
    before_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024   # the interpreter and its imports
    clock = time.perf_counter()
    try:
        outcome = f"loaded {load_file(con, path, 'cases.xlsx', 'bench').rows_read:,} rows"
    except FileReadError as exc:
        outcome = f"refused: {exc.reason}"
    seconds = time.perf_counter() - clock
    return {"seconds": seconds, "before_mb": before_mb,
            "peak_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, "outcome": outcome}


def run(path: Path, env: dict[str, str]) -> dict:
    out = subprocess.run([sys.executable, __file__, "--measure", str(path)], check=True, capture_output=True,
                         text=True, env={**os.environ, **env}).stdout
    return json.loads(out.strip().splitlines()[-1])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=10_000_000)
    parser.add_argument("--measure", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.measure:
        print(json.dumps(measure(args.measure)))
        return
    sys.path.insert(0, str(ROOT))
    from etl.xlsx_package import DEFAULT_MAX_ROWS, MAX_UNCOMPRESSED_ENV

    no_size_cap = {MAX_UNCOMPRESSED_ENV: "1000000"}
    print(f"{'file':<34} {'MB':>6} {'unzipped MB':>11} {'limits':<12} {'read s':>7} {'RSS MB before':>13} "
          f"{'peak MB':>8}  outcome")
    with tempfile.TemporaryDirectory(prefix="hostile-bench-") as tmp:
        cases = [(f"{args.rows:,} rows, dimension {d}", d, args.rows, None) for d in ("declared", "absent", "lying")]
        cases += [(f"rows 1-2, then row {args.rows:,}", "absent", args.rows, [1, 2, args.rows]),
                  (f"{DEFAULT_MAX_ROWS:,} rows (the limit)", "declared", DEFAULT_MAX_ROWS, None)]
        for label, dimension, rows, numbers in cases:
            path = Path(tmp) / "cases.xlsx"
            clock = time.perf_counter()
            write_xlsx(path, rows, dimension, numbers)
            written = time.perf_counter() - clock
            with zipfile.ZipFile(path) as archive:
                unzipped = sum(i.file_size for i in archive.infolist()) / 1048576
            for limits, env in (("default", {}), ("no size cap", no_size_cap)):
                f = run(path, env)
                print(f"{label:<34} {path.stat().st_size / 1048576:>6.1f} {unzipped:>11.1f} {limits:<12} "
                      f"{f['seconds']:>7.2f} {f['before_mb']:>13.0f} {f['peak_mb']:>8.0f}  {f['outcome']}  "
                      f"(written in {written:.0f} s)",
                      flush=True)
            path.unlink()


if __name__ == "__main__":
    main()
