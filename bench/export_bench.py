"""Export benchmark: time for the full 2022 export bundle on the sample data (target < 20 s),
with the time of each step, plus single-chart image times. Prints figures; asserts nothing.

    .venv/bin/python bench/export_bench.py
"""
from __future__ import annotations

import sys
import tempfile
import time
import zipfile
from io import BytesIO
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import duckdb  # noqa: E402

from etl.build import build  # noqa: E402
from etl.database import open_read_only  # noqa: E402
from etl.paths import DEFAULT_DATA_DIR  # noqa: E402
from reporting import bundle, export, report  # noqa: E402

YEAR = 2022
TARGET_S = 20.0


def timed_bundle(con: duckdb.DuckDBPyConnection) -> tuple[float, list[tuple[str, float]], bytes]:
    marks: list[tuple[str, float]] = []
    start = time.perf_counter()
    data = bundle.build_bundle(con, YEAR, progress=lambda _f, step: marks.append((step, time.perf_counter())))
    total = time.perf_counter() - start
    # Each step's time runs from its mark to the next one.
    steps = [(name, end - begin) for (name, begin), (_, end) in zip(marks, marks[1:])]
    return total, steps, data


def main() -> None:
    with tempfile.TemporaryDirectory() as tmp:
        db = Path(tmp) / "sample.duckdb"
        build(DEFAULT_DATA_DIR, db)
        con = open_read_only(db)
        try:
            for label in ("cold (starts kaleido's browser)", "warm (browser already running)"):
                total, steps, data = timed_bundle(con)
                verdict = "OK" if total < TARGET_S else "OVER TARGET"
                print(f"{YEAR} bundle, {label}: {total:.2f} s (target < {TARGET_S:.0f} s: {verdict}); "
                      f"{len(data) / 1e6:.2f} MB, {len(zipfile.ZipFile(BytesIO(data)).namelist())} files")
                for name, seconds in steps:
                    print(f"    {name:<16} {seconds:6.2f} s")
            content = report.build_content(con, YEAR, charts=False)
            figure = report.area_trend_figure(list(content.areas[2].indicators),
                                              report.indicator_trend(con, YEAR, content.resolved), "bench")
            for fmt in export.IMAGE_FORMATS:
                runs = []
                for _ in range(3):
                    start = time.perf_counter()
                    export.figure_bytes(figure, fmt)
                    runs.append(time.perf_counter() - start)
                print(f"one area chart as {fmt.upper()}: median {sorted(runs)[1] * 1000:.0f} ms of 3 runs")
        finally:
            con.close()


if __name__ == "__main__":
    main()
