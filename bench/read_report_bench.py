"""Report reader benchmark: recall and precision of the proposed figures, per report.

    python bench/read_report_bench.py

Reports: the seed (the published 2022 report of 南星街道) and the fixtures we wrote
(tests/fixtures/reports/, see its README), the .docx and the PDF made on the fly. A proposed
figure is right when indicator, year, community, part, value and qualifier all equal an expected
one. Recall = expected figures proposed ÷ expected figures; precision = right figures ÷ figures
proposed with an indicator (figures left unmapped are counted apart: the analyst maps them).
For the 政府信息公开 report the statutory table cells are scored the same way.
"""
from __future__ import annotations

import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT), str(ROOT / "tests")]

from report_fixture_files import expected, report_files

from etl.gi_report_reader import read_gi_tables
from etl.report_document import read_document
from etl.report_reader import read_document_figures
from etl.terminal import text_table

KEY = ("indicator_id", "year", "community", "part", "value", "qualifier")


def score(wanted: set, got: set) -> tuple[float | None, float | None]:
    right = len(wanted & got)
    return (right / len(wanted) if wanted else None), (right / len(got) if got else None)


def pct(x: float | None) -> str:
    return "—" if x is None else f"{100 * x:.0f}%"


def main() -> int:
    rows, misses = [], []
    with tempfile.TemporaryDirectory(prefix="read-report-bench-") as tmp:
        for name, path in report_files(Path(tmp)).items():
            want = expected(name)
            started = time.perf_counter()
            doc = read_document(path)
            reading = read_document_figures(doc)
            seconds = time.perf_counter() - started
            wanted = {tuple(f[k] for k in KEY) for f in want["figures"]}
            got = {tuple(f.as_dict()[k] for k in KEY) for f in reading.figures if f.indicator_id}
            recall, precision = score(wanted, got)
            unmapped = sum(1 for f in reading.figures if not f.indicator_id)
            cells = "—"
            if "gi_cells" in want:
                gi = read_gi_tables(doc, reading.year)
                cell_recall, cell_precision = score(
                    {(c["table"], c["row"], c["column"], c["value"]) for c in want["gi_cells"]},
                    {(r["table"], r["row"], r["column"], r["value"]) for r in gi.rows()})
                cells = f"{pct(cell_recall)} / {pct(cell_precision)} ({len(gi.rows())})"
            rows.append((name, len(wanted), len(got), pct(recall), pct(precision), unmapped,
                         f"{len(reading.checks)}/{want['checks']}", cells, f"{seconds:.2f}"))
            misses += [f"{name}: 未读出 {dict(zip(KEY, m))}" for m in sorted(wanted - got, key=str)]
            misses += [f"{name}: 错误 {dict(zip(KEY, w))}" for w in sorted(got - wanted, key=str)]
    print(text_table(("report", "expected", "mapped", "recall", "precision", "unmapped", "flags got/expected",
                      "GI cells recall / precision (read)", "s"), rows, rule=True,
                     right_aligned=frozenset({1, 2, 3, 4, 5, 8})))
    print("\n".join(misses))
    return 0


if __name__ == "__main__":
    sys.exit(main())
