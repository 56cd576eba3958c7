"""Scale benchmark (issue 13): one subdistrict's ETL against a bare read, a district, a province.

    python bench/scale_bench.py                            # 1M ratio set, district, province (35M records)
    python bench/scale_bench.py --province-records 3500000 # the province scaled down, for a quick run
    python bench/scale_bench.py --sets ratio,district      # some of the sets only
    python bench/scale_bench.py --workdir /big/disk        # keep the generated sets and databases there

Generates its synthetic sets with DuckDB COPY (deterministic: every value derives from the row
number), then prints side by side, per set:
- ETL time and peak resident memory (each build in a subprocess of its own, ru_maxrss), the
  warehouse size;
- for the 1M-record set, a bare DuckDB read-and-aggregate of the same CSVs (read_csv with type
  detection, counts and sums per subdistrict × community × category × year: no checks, no
  lineage, no writes) and the ratio ETL ÷ bare;
- page times of 驾驶舱 (and of 街道对比 once pages/subdistricts.py exists): each page run under
  Streamlit's AppTest in a fresh process against a fresh read-only connection, cold (caches
  cleared: every query runs) and cached (the second run: every query a cache hit), and the time
  spent inside the page's queries (cockpit.ui.query) of the cold run;
- for the province, the rebuild after one subdistrict's file changed (an upload): unchanged files
  reuse their staged rows from the published database (etl.reuse).

Sets:
- ratio: one file per record type, 1,000,000 records over the 14 subdistricts of 上城区;
- district: 上城区's 14 subdistricts × 10 communities, a file per record type and subdistrict, 5 years;
- province: 1,400 subdistricts × 10 communities × 5 years, ~35M records (--province-records).
Records carry a 街道 column (field `subdistrict`); disclosures have no community, so their 街道
column is how they name their subdistrict.
"""
from __future__ import annotations

import argparse
import json
import os
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import duckdb

ROOT = Path(__file__).resolve().parent.parent
YEARS = (2020, 2021, 2022, 2023, 2024)
NUMERALS = ("一", "二", "三", "四", "五", "六", "七", "八", "九", "十", "十一", "十二")
# 上城区's subdistricts (since the 2021 merger).
SHANGCHENG = ("湖滨街道", "清波街道", "小营街道", "望江街道", "南星街道", "紫阳街道", "凯旋街道", "采荷街道",
              "闸弄口街道", "四季青街道", "笕桥街道", "彭埠街道", "九堡街道", "丁兰街道")
SHARES = {"cases": 0.3, "outreach": 0.35, "disclosures": 0.35}
REPORTED = ("discretion_items", "discretion_domains", "public_interest_orgs", "legal_advisers", "public_lawyers",
            "eval_dispute_score")
REPORTED_RATES = ("discretion_refinement_rate", "legality_review_rate")
PAGES = {"cockpit": "pages/cockpit.py", "subdistricts": "pages/subdistricts.py"}
TARGETS = {"ratio": 2.5, "province_etl_s": 300, "province_peak_gb": 8, "page_cold_s": 1.0}


# --- generation ---------------------------------------------------------------------------------

def _subdistricts(con: duckdb.DuckDBPyConnection, kind: str, n: int) -> None:
    """Table `sd(sd, code, name, short, district)`: 上城区's 14, or `n` synthetic ones (14 per 区)."""
    if kind == "district":
        rows = [(i, f"SC{i + 1:02d}", name, name.removesuffix("街道"), "上城区") for i, name in enumerate(SHANGCHENG)]
        con.execute("CREATE OR REPLACE TABLE sd (sd INTEGER, code VARCHAR, name VARCHAR, short VARCHAR, district VARCHAR)")
        con.executemany("INSERT INTO sd VALUES (?, ?, ?, ?, ?)", rows)
    else:
        con.execute("""CREATE OR REPLACE TABLE sd AS
            SELECT i::INTEGER AS sd, 'P' || lpad((i + 1)::VARCHAR, 4, '0') AS code,
                   '浙' || lpad((i + 1)::VARCHAR, 4, '0') || '街道' AS name, '浙' || lpad((i + 1)::VARCHAR, 4, '0') AS short,
                   '区' || lpad((i // 14 + 1)::VARCHAR, 3, '0') AS district
              FROM range(?) t(i)""", [n])


def generate(folder: Path, *, kind: str, records: int, subdistricts: int = 14, communities: int = 10,
             split: bool = True) -> dict[str, int]:
    """Write a data folder: communities.csv and, per record type, one file per subdistrict
    (`split`, named <type>_<code>.csv) or one file. Returns the records written per type."""
    folder.mkdir(parents=True, exist_ok=True)
    con = duckdb.connect()
    con.execute("SET threads = 1")   # one writer: rows come out in the same order every time
    _subdistricts(con, kind, subdistricts)
    n_sd = con.execute("SELECT count(*) FROM sd").fetchone()[0]
    c = communities
    nums = list(NUMERALS[:c])
    con.execute(f"""COPY (
        SELECT code || '-' || lpad((k + 1)::VARCHAR, 2, '0') AS 社区编号, short || $nums[k + 1] || '社区' AS 社区名称,
               short || $nums[k + 1] AS 别名, name AS 街道, district AS 区
          FROM sd, range({c}) t(k) ORDER BY sd, k) TO '{folder / "communities.csv"}' (HEADER)""", {"nums": nums})
    counts = {"communities": n_sd * c}
    # Reported figures: per subdistrict and year the figures and rates' parts of the subdistrict,
    # and legal_advisers per community.
    reported_rows = n_sd * len(YEARS) * (len(REPORTED) + 2 * len(REPORTED_RATES) + c)
    rest = max(records - counts["communities"] - reported_rows, 0)
    counts |= {name: int(rest * share) for name, share in SHARES.items()}
    counts["cases"] += rest - sum(counts[n] for n in SHARES)
    counts["reported_values"] = reported_rows
    # Per row i: subdistrict s = i % n_sd, its j-th record; k picks the community (c = blank,
    # c + 1 = 街道本级), spelt by name, short name or id; dates in four spellings over five years.
    base = (f"SELECT i, sd.*, i // {n_sd} AS j, (i // {n_sd}) % {c + 2} AS k, "
            f"make_date({YEARS[0]} + ((i // {n_sd}) % {len(YEARS)})::INTEGER, 1, 1) "
            f"+ ((i // {n_sd} // {len(YEARS)}) % 365)::INTEGER AS d "
            f"FROM range(?) t(i) JOIN sd ON sd.sd = i % {n_sd}")
    community = (f"CASE WHEN k < {c} THEN CASE (j // {c + 2}) % 3 WHEN 0 THEN short || $nums[k + 1] || '社区' "
                 f"WHEN 1 THEN short || $nums[k + 1] ELSE code || '-' || lpad((k + 1)::VARCHAR, 2, '0') END "
                 f"WHEN k = {c} THEN NULL ELSE '街道本级' END")
    date = ("CASE i % 4 WHEN 0 THEN strftime(d, '%Y-%m-%d') WHEN 1 THEN strftime(d, '%Y/%-m/%-d') "
            "WHEN 2 THEN strftime(d, '%Y.%-m.%-d') ELSE strftime(d, '%Y年%-m月%-d日') END")
    selects = {
        "cases": ("code || '-C' || j AS case_id, ['行政复议', '行政诉讼', '行政争议调解', '矛盾纠纷调解'][(i % 4) + 1] "
                  f"AS case_type, {date} AS filed_date, CASE WHEN j % 7 <> 0 THEN strftime(d + 30, '%Y-%m-%d') END "
                  "AS closed_date, CASE WHEN j % 7 = 0 THEN '在办' ELSE '审结' END AS status, "
                  "CASE WHEN j % 7 <> 0 THEN (CASE i % 4 WHEN 0 THEN ['维持', '纠正'][(j % 2) + 1] "
                  "WHEN 1 THEN ['胜诉', '败诉', '撤诉'][(j % 3) + 1] ELSE ['成功', '不成功'][(j % 2) + 1] END) END AS outcome, "
                  f"{community} AS community, (j % 101)::VARCHAR AS satisfaction, "
                  "CASE WHEN j % 2 = 0 THEN '是' ELSE '否' END AS heard_in_court, "
                  "CASE WHEN j % 3 = 0 THEN '否' ELSE '是' END AS leader_appeared, name AS 街道"),
        "outreach": ("code || '-P' || j AS activity_id, ['专题学法', '普法讲座(线上)', '普法讲座（线下）', '便民活动', "
                     f"'资料发放', '法律服务', '公益服务'][(i % 7) + 1] AS activity_type, {date} AS date, "
                     f"{community} AS community, (j % 90)::VARCHAR AS participants, "
                     "CASE WHEN j % 5 = 0 THEN '1,200' ELSE '200' END AS materials, '普法活动' || j AS title, "
                     "name AS 街道"),
        "disclosures": ("code || '-GK' || j AS item_id, CASE WHEN j % 50 = 0 THEN '依申请公开' ELSE '主动公开' END AS mode, "
                        "['政务动态', '财政信息', '公示公告', '年报', '民生实事', '其他'][(j % 6) + 1] AS category, "
                        f"['网站', '微博', '微信', '公开栏'][(j % 4) + 1] AS channel, {date} AS date, "
                        "CASE WHEN j % 50 = 0 THEN strftime(d, '%Y-%m-%d') END AS received_date, "
                        "CASE WHEN j % 50 = 0 THEN strftime(d + (j % 30)::INTEGER, '%Y-%m-%d') END AS replied_date, "
                        "'信息' || j AS title, name AS 街道"),
    }
    for name, columns in selects.items():
        _write(con, folder, name, f"SELECT {columns}, code AS _part FROM ({base})", [counts[name]], {"nums": nums},
               split)
    parts = len(REPORTED) + 2 * len(REPORTED_RATES)
    reported = (
        f"SELECT indicator_id, year, community, value, part, 街道, _part FROM ("
        f"  SELECT CASE WHEN q < {len(REPORTED)} THEN $figures[q + 1] ELSE $rates[(q - {len(REPORTED)}) // 2 + 1] END "
        f"         AS indicator_id, y AS year, NULL::VARCHAR AS community, "
        f"         CASE WHEN q >= {len(REPORTED)} AND (q - {len(REPORTED)}) % 2 = 1 THEN 100 ELSE 10 + (sd + y + q) % 80 END "
        f"         AS value, CASE WHEN q < {len(REPORTED)} THEN NULL WHEN (q - {len(REPORTED)}) % 2 = 0 THEN '分子' "
        f"         ELSE '分母' END AS part, name AS 街道, code AS _part, sd, q, 0 AS k "
        f"    FROM sd, range({YEARS[0]}, {YEARS[-1] + 1}) y(y), range({parts}) p(q) "
        f"  UNION ALL "
        f"  SELECT 'legal_advisers', y, short || $nums[k + 1] || '社区', 1 + (sd + k + y) % 3, NULL, name, code, sd, "
        f"         {parts}, k + 1 FROM sd, range({YEARS[0]}, {YEARS[-1] + 1}) y(y), range({c}) t(k)"
        f") ORDER BY sd, year, q, k")
    _write(con, folder, "reported_values", reported, [], {"nums": nums, "figures": list(REPORTED),
                                                          "rates": list(REPORTED_RATES)}, split)
    con.close()
    return counts


def _write(con, folder: Path, name: str, select: str, positional: list, named: dict, split: bool) -> None:
    """COPY `select` (with a `_part` column, the subdistrict code) to <name>_<code>.csv per
    subdistrict, or to <name>.csv."""
    params = dict(named)
    sql = select
    if positional:   # the row count: a named parameter too (DuckDB binds one style per statement)
        sql = select.replace("range(?)", "range($n)")
        params["n"] = positional[0]
    params = {k: v for k, v in params.items() if f"${k}" in sql}
    if not split:
        con.execute(f"COPY (SELECT * EXCLUDE (_part) FROM ({sql})) TO '{folder / (name + '.csv')}' (HEADER)", params)
        return
    staging = folder / f".{name}-parts"
    con.execute(f"COPY ({sql}) TO '{staging}' (FORMAT csv, HEADER, PARTITION_BY (_part), OVERWRITE_OR_IGNORE)", params)
    for part in sorted(staging.iterdir()):
        (file,) = part.iterdir()
        file.rename(folder / f"{name}_{part.name.split('=', 1)[1]}.csv")
    shutil.rmtree(staging)


# --- measurements (each in a subprocess of its own) -----------------------------------------------

def _self(*args: str, env: dict | None = None) -> dict:
    """Run this file with `args` in a fresh Python; its last stdout line is JSON."""
    out = subprocess.run([sys.executable, __file__, *args], check=True, capture_output=True, text=True,
                         env={**os.environ, **(env or {})})
    return json.loads(out.stdout.strip().splitlines()[-1])


def measure_build(data: Path, db: Path) -> dict:
    sys.path.insert(0, str(ROOT))
    from etl.build import build

    clock = time.perf_counter()
    result = build(data, db)
    seconds = time.perf_counter() - clock
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return {"seconds": seconds, "rows_read": result.rows_read, "rows_loaded": result.rows_loaded,
            "rows_rejected": result.rows_rejected, "files": len(result.files), "peak_mb": usage.ru_maxrss / 1024,
            "cpu_s": usage.ru_utime + usage.ru_stime, "db_mb": db.stat().st_size / 1048576, "notes": result.notes}


def measure_bare(data: Path) -> dict:
    """Read every record CSV with DuckDB's defaults and aggregate what the marts count: no checks,
    no lineage, nothing written."""
    con = duckdb.connect()
    queries = {
        "cases": "SELECT 街道, community, case_type, status, left(filed_date::VARCHAR, 4) AS year, count(*), "
                 "sum(satisfaction) FROM read_csv($files, union_by_name = true) GROUP BY ALL",
        "outreach": "SELECT 街道, community, activity_type, left(date::VARCHAR, 4) AS year, count(*), sum(participants) "
                    "FROM read_csv($files, union_by_name = true) GROUP BY ALL",
        "disclosures": "SELECT 街道, mode, channel, left(date::VARCHAR, 4) AS year, count(*) "
                       "FROM read_csv($files, union_by_name = true) GROUP BY ALL",
        "reported_values": "SELECT 街道, community, indicator_id, year, part, sum(value) "
                           "FROM read_csv($files, union_by_name = true) GROUP BY ALL",
    }
    clock = time.perf_counter()
    groups = 0
    for name, sql in queries.items():
        files = sorted(str(p) for p in data.glob(f"{name}*.csv"))
        if files:
            groups += len(con.execute(sql, {"files": files}).fetchall())
    return {"seconds": time.perf_counter() - clock, "groups": groups}


def measure_pages(db: Path, page: str, runs: int) -> dict:
    """One page under AppTest: a warm-up run (imports, the first connection), then `runs` cold
    runs (Streamlit's caches and the connection cleared first: a fresh read-only connection, every
    query run) and `runs` cached runs; medians, with the time spent in cockpit.ui.query."""
    import logging
    import streamlit as st
    from streamlit.testing.v1 import AppTest

    sys.path[:0] = [str(ROOT), str(ROOT / "tests")]
    tmp = Path(tempfile.mkdtemp(prefix="scale-bench-accounts-"))
    os.environ.update({"COCKPIT_DB": str(db), "COCKPIT_ACCOUNTS": str(tmp / "accounts.sqlite"),
                       "COCKPIT_AUDIT": str(tmp / "audit.jsonl")})
    logging.getLogger("streamlit").setLevel(logging.ERROR)
    from cockpit import ui
    from signin import sign_in

    spent = {"query": 0.0}
    real_query = ui.query

    def timed_query(*args, **kwargs):
        clock = time.perf_counter()
        try:
            return real_query(*args, **kwargs)
        finally:
            spent["query"] += time.perf_counter() - clock

    ui.query = timed_query
    at = sign_in(AppTest.from_file(str(ROOT / "dashboard.py"), default_timeout=600))

    def run() -> float:
        clock = time.perf_counter()
        at.run()
        if at.exception:
            raise RuntimeError(f"{page}: {at.exception[0].value}")
        return time.perf_counter() - clock

    first = run()
    if page != "cockpit":   # later runs stay on the page
        clock = time.perf_counter()
        at.switch_page(PAGES[page]).run()
        first = time.perf_counter() - clock
    cold, cold_query, cached = [], [], []
    for _ in range(runs):
        st.cache_data.clear()
        st.cache_resource.clear()
        spent["query"] = 0.0
        cold.append(run())
        cold_query.append(spent["query"])
    for _ in range(runs):
        cached.append(run())
    shutil.rmtree(tmp, ignore_errors=True)
    return {"first_s": first, "cold_s": statistics.median(cold), "cold_query_s": statistics.median(cold_query),
            "cached_s": statistics.median(cached), "peak_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}


def change_one_subdistrict(data: Path) -> Path:
    """An upload for one subdistrict: its cases file with every satisfaction figure changed."""
    path = sorted(data.glob("cases_*.csv"))[0]
    lines = path.read_text(encoding="utf-8").splitlines()
    column = lines[0].split(",").index("satisfaction")
    changed = [lines[0]]
    for line in lines[1:]:   # the generator quotes nothing: a plain split is exact
        cells = line.split(",")
        cells[column] = str((int(cells[column]) + 1) % 101)
        changed.append(",".join(cells))
    path.with_name(path.name + ".new").write_text("\n".join(changed) + "\n", encoding="utf-8")
    os.replace(path.with_name(path.name + ".new"), path)
    return path


# --- the run --------------------------------------------------------------------------------------

def load_average() -> str:
    return " ".join(f"{x:.2f}" for x in os.getloadavg())


def folder_mb(folder: Path) -> float:
    return sum(p.stat().st_size for p in folder.iterdir() if p.is_file()) / 1048576


def run_set(name: str, work: Path, args: argparse.Namespace) -> dict:
    data, db = work / name / "data", work / name / "warehouse.duckdb"
    if data.exists():
        shutil.rmtree(data)
    db.unlink(missing_ok=True)
    clock = time.perf_counter()
    # Generated in a subprocess too: Linux counts a parent's resident memory at fork in its children's
    # ru_maxrss, so this process stays small for the builds' and pages' peaks to be their own.
    if name == "ratio":
        spec = dict(kind="district", records=args.ratio_records, split=False)
    elif name == "district":
        spec = dict(kind="district", records=args.district_records)
    else:
        spec = dict(kind="province", records=args.province_records, subdistricts=args.province_subdistricts)
    counts = _self("--generate", str(data), json.dumps(spec))
    figures: dict = {"set": name, "records": sum(counts.values()), "files": len(list(data.glob("*.csv"))),
                     "input_mb": folder_mb(data), "generate_s": time.perf_counter() - clock,
                     "load_before": load_average()}
    print(f"[{name}] generated {figures['records']:,} records in {figures['files']:,} files "
          f"({figures['input_mb']:.0f} MB) in {figures['generate_s']:.0f} s; building…", flush=True)
    if name == "ratio":
        bare = [_self("--bare", str(data)) for _ in range(3)]
        figures["bare_s"] = statistics.median(b["seconds"] for b in bare)
    figures["etl"] = _self("--build", str(data), str(db))
    if name == "ratio":
        bare += [_self("--bare", str(data)) for _ in range(2)]
        figures["bare_s"] = statistics.median(b["seconds"] for b in bare)
        figures["ratio"] = figures["etl"]["seconds"] / figures["bare_s"]
    print(f"[{name}] built in {figures['etl']['seconds']:.1f} s, peak {figures['etl']['peak_mb']:.0f} MB; "
          f"timing pages…", flush=True)
    figures["pages"] = {}
    for page, path in PAGES.items():
        if not (ROOT / path).exists():
            figures["pages"][page] = None
            continue
        if name != "ratio":
            figures["pages"][page] = _self("--pages", str(db), page, str(args.runs))
    if name == "province":
        changed = change_one_subdistrict(data)
        print(f"[{name}] changed {changed.name}; rebuilding…", flush=True)
        figures["rebuild"] = _self("--build", str(data), str(db))
        figures["rebuild"]["changed"] = changed.name
    figures["load_after"] = load_average()
    return figures


def report(results: list[dict], command: str) -> None:
    print(f"\n$ {command}")
    print(f"machine: {os.cpu_count()} cores; duckdb {duckdb.__version__}")
    header = f"{'set':<9}{'records':>12}{'files':>7}{'input MB':>9}{'ETL s':>8}{'peak MB':>9}{'db MB':>8}" \
             f"{'bare s':>8}{'ratio':>7}   load average before / after"
    print(header)
    for f in results:
        bare = f"{f['bare_s']:>8.2f}{f['ratio']:>7.1f}" if "bare_s" in f else f"{'':>8}{'':>7}"
        print(f"{f['set']:<9}{f['records']:>12,}{f['files']:>7,}{f['input_mb']:>9.0f}{f['etl']['seconds']:>8.1f}"
              f"{f['etl']['peak_mb']:>9.0f}{f['etl']['db_mb']:>8.0f}{bare}"
              f"   {f['load_before']} / {f['load_after']}")
    print(f"\n{'set':<9}{'page':<14}{'cold s':>8}{'of which queries':>18}{'cached s':>10}{'app peak MB':>13}")
    for f in results:
        for page, p in f["pages"].items():
            if f["set"] == "ratio":
                continue
            if p is None:
                print(f"{f['set']:<9}{page:<14}  skipped: {PAGES[page]} is not in this tree yet")
            else:
                print(f"{f['set']:<9}{page:<14}{p['cold_s']:>8.2f}{p['cold_query_s']:>18.2f}{p['cached_s']:>10.2f}"
                      f"{p['peak_mb']:>13.0f}")
    for f in results:
        if "rebuild" in f:
            r = f["rebuild"]
            print(f"\n{f['set']}: rebuild after changing {r['changed']}: {r['seconds']:.1f} s "
                  f"(full build {f['etl']['seconds']:.1f} s), peak {r['peak_mb']:.0f} MB")
            for note in r["notes"]:
                print(f"  note: {note}")
    print("\ntargets:")
    for f in results:
        if "ratio" in f:
            print(f"  ETL ÷ bare read-and-aggregate {f['ratio']:.1f} (target ≤ {TARGETS['ratio']})")
        if f["set"] == "province":
            print(f"  province ETL {f['etl']['seconds']:.0f} s (target < {TARGETS['province_etl_s']} s), "
                  f"peak {f['etl']['peak_mb'] / 1024:.1f} GB (target < {TARGETS['province_peak_gb']} GB)")
            worst = max((p["cold_s"] for p in f["pages"].values() if p), default=None)
            if worst is not None:
                print(f"  province slowest page cold {worst:.2f} s (target < {TARGETS['page_cold_s']} s)")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sets", default="ratio,district,province", help="comma-separated: ratio, district, province")
    parser.add_argument("--province-records", type=int, default=35_000_000)
    parser.add_argument("--province-subdistricts", type=int, default=1400)
    parser.add_argument("--district-records", type=int, default=350_000)
    parser.add_argument("--ratio-records", type=int, default=1_000_000)
    parser.add_argument("--runs", type=int, default=3, help="cold and cached runs per page (medians)")
    parser.add_argument("--workdir", type=Path, help="where the sets are generated (default: a temporary folder)")
    parser.add_argument("--keep", action="store_true", help="keep the temporary folder")
    parser.add_argument("--generate", nargs=2, help=argparse.SUPPRESS)
    parser.add_argument("--build", nargs=2, type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--bare", type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--pages", nargs=3, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.generate:
        print(json.dumps(generate(Path(args.generate[0]), **json.loads(args.generate[1]))))
        return
    if args.build:
        print(json.dumps(measure_build(*args.build)))
        return
    if args.bare:
        print(json.dumps(measure_bare(args.bare)))
        return
    if args.pages:
        print(json.dumps(measure_pages(Path(args.pages[0]), args.pages[1], int(args.pages[2]))))
        return
    command = "python bench/scale_bench.py " + " ".join(sys.argv[1:])
    work = args.workdir or Path(tempfile.mkdtemp(prefix="scale-bench-"))
    work.mkdir(parents=True, exist_ok=True)
    results = []
    try:
        for name in args.sets.split(","):
            results.append(run_set(name.strip(), work, args))
    finally:
        if args.workdir is None and not args.keep:
            shutil.rmtree(work, ignore_errors=True)
    report(results, command)


if __name__ == "__main__":
    main()
