"""ETL benchmark: generate N synthetic records, build them, print records/second and peak memory.

    python bench/etl_bench.py                 # N = 100,000 and 1,000,000
    python bench/etl_bench.py --n 50000

Records are mostly cases, outreach and disclosures (CSV, mixed date spellings and community
spellings, as real ledgers have them) plus the communities list. Each build runs in its own
subprocess so that its peak resident memory (ru_maxrss) is its own. Target: 1M records < 10 s, < 1 GB.
"""
from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import duckdb

ROOT = Path(__file__).resolve().parent.parent
COMMUNITIES = [("NX01", "馒头山社区", "馒头山"), ("NX02", "海月桥社区", "海月桥"), ("NX03", "白塔岭社区", "白塔岭"),
               ("NX04", "水澄桥社区", "水澄桥")]
# Shares of the N records per type (the rest of the types are not large in real ledgers).
SHARES = {"cases": 0.3, "outreach": 0.35, "disclosures": 0.35}


def generate(folder: Path, n: int) -> None:
    """Write the data folder with DuckDB (fast, deterministic: values derive from the row number)."""
    con = duckdb.connect()
    communities = "\n".join(f"{cid},{name},{short},南星街道,上城区" for cid, name, short in COMMUNITIES)
    (folder / "communities.csv").write_text("社区编号,社区名称,别名,街道,区\n" + communities + "\n", encoding="utf-8")
    counts = {name: int(n * share) for name, share in SHARES.items()}
    counts["cases"] += n - len(COMMUNITIES) - sum(counts.values())
    # Spellings a ledger mixes: community by name / short name / id / blank; dates in four formats.
    community = "list_extract(['馒头山社区', '海月桥', 'NX03', '', '水澄桥社区', '街道本级'], (i % 6) + 1)"
    date = ("CASE i % 4 WHEN 0 THEN strftime(d, '%Y-%m-%d') WHEN 1 THEN strftime(d, '%Y/%-m/%-d') "
            "WHEN 2 THEN strftime(d, '%Y.%-m.%-d') ELSE strftime(d, '%Y年%-m月%-d日') END")

    def write(name: str, year: int, columns: str) -> None:
        rows = f"SELECT i, make_date({year}, 1, 1) + CAST(i % 365 AS INTEGER) AS d FROM range(?) t(i)"
        con.execute(f"COPY (SELECT {columns} FROM ({rows})) TO '{folder / name}' (HEADER, DELIMITER ',')",
                    [counts[name.removesuffix('.csv')]])

    write("cases.csv", 2022,
          "'C' || i AS case_id, list_extract(['行政复议', '行政诉讼', '行政争议调解', '矛盾纠纷调解'], (i % 4) + 1) "
          f"AS case_type, {date} AS filed_date, strftime(d + 30, '%Y-%m-%d') AS closed_date, '审结' AS status, "
          f"{community} AS community, (i % 101)::VARCHAR AS satisfaction, "
          "CASE WHEN i % 2 = 0 THEN '是' ELSE '否' END AS heard_in_court")
    write("outreach.csv", 2023,
          "'P' || i AS activity_id, list_extract(['专题学法', '普法讲座(线上)', '普法讲座（线下）', '便民活动', "
          f"'资料发放', '法律服务', '公益服务'], (i % 7) + 1) AS activity_type, {date} AS date, "
          f"{community} AS community, (i % 90)::VARCHAR AS participants, "
          "CASE WHEN i % 5 = 0 THEN '1,200' ELSE '200' END AS materials, '普法活动' || i AS title")
    write("disclosures.csv", 2024,
          "'GK' || i AS item_id, CASE WHEN i % 50 = 0 THEN '依申请公开' ELSE '主动公开' END AS mode, "
          "list_extract(['政务动态', '财政信息', '公示公告', '年报', '民生实事', '其他'], (i % 6) + 1) AS category, "
          f"list_extract(['网站', '微博', '微信', '公开栏'], (i % 4) + 1) AS channel, {date} AS date, "
          "'信息' || i AS title")
    con.close()


def measure(folder: Path) -> dict:
    """Build `folder` in this process; report seconds and peak memory (call in a fresh subprocess)."""
    import resource

    sys.path.insert(0, str(ROOT))
    from etl.build import build

    db = folder / "warehouse.duckdb"
    clock = time.perf_counter()
    result = build(folder / "data", db)
    seconds = time.perf_counter() - clock
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return {"seconds": seconds, "rows_read": result.rows_read, "rows_loaded": result.rows_loaded,
            "cpu_s": usage.ru_utime + usage.ru_stime,
            "rows_rejected": result.rows_rejected, "peak_mb": usage.ru_maxrss / 1024,
            "db_mb": db.stat().st_size / 1048576}


def run(n: int) -> dict:
    with tempfile.TemporaryDirectory(prefix="etl-bench-") as tmp:
        folder = Path(tmp)
        (folder / "data").mkdir()
        clock = time.perf_counter()
        generate(folder / "data", n)
        generated = time.perf_counter() - clock
        out = subprocess.run([sys.executable, __file__, "--measure", str(folder)], check=True,
                             capture_output=True, text=True).stdout
        figures = json.loads(out.strip().splitlines()[-1])
        figures["generate_s"] = generated
        figures["input_mb"] = sum(p.stat().st_size for p in (folder / "data").iterdir()) / 1048576
        return figures


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, action="append", help="records to generate (repeatable)")
    parser.add_argument("--measure", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.measure:
        print(json.dumps(measure(args.measure)))
        return
    # CPU seconds (user + system, whole subprocess) tell more than wall time on a busy machine.
    print(f"{'records':>10}  {'input MB':>8}  {'build s':>8}  {'records/s':>10}  {'cpu s':>6}  {'peak MB':>8}  "
          f"{'loaded':>9}  {'rejected':>8}  {'db MB':>6}")
    for n in args.n or [100_000, 1_000_000]:
        f = run(n)
        print(f"{n:>10,}  {f['input_mb']:>8.1f}  {f['seconds']:>8.2f}  {f['rows_read'] / f['seconds']:>10,.0f}  {f['cpu_s']:>6.2f}  "
              f"{f['peak_mb']:>8.0f}  {f['rows_loaded']:>9,}  {f['rows_rejected']:>8,}  {f['db_mb']:>6.1f}",
              flush=True)


if __name__ == "__main__":
    main()
