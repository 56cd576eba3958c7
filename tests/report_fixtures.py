"""A tiny database in the contract's shape (docs/architecture.md) with literal rows, for the
report and export tests: reference tables from the catalogue, empty staging tables, a few
mart rows and records, all of one subdistrict (南星街道)."""
from __future__ import annotations

from pathlib import Path

import duckdb

from etl.marts import load_reference
from etl.staging import create_staging_tables

MART_ROWS = [
    # indicator_id, year, community_id, value, numerator, denominator, status, no_data_reason, note
    ("study_sessions", 2022, None, 2, None, None, "green", None, None),
    ("study_sessions", 2021, None, 1, None, None, "green", None, None),
    ("litigation_cases_new", 2022, None, 2, None, None, "amber", None, None),
    ("review_cases_new", 2022, None, 0, None, None, "green", None, None),
    ("leader_appearance_rate", 2022, None, 100, 2, 2, "green", None, None),
    ("substantive_resolution_rate", 2022, None, None, 0, 0, "no_data",
     "分母为0：该年度无审结的行政争议案件", None),
    ("disclosure_items", 2022, None, 175, None, None, "green", None, "2022年仅统计网站渠道"),
    ("disclosure_items", 2021, None, 150, None, None, "green", None, None),
    ("public_lawyers", 2022, None, 0, None, None, "red", None, None),
    ("eval_dispute_score", 2022, None, 72.5, None, None, "red", None, None),
    ("eval_dispute_score", 2021, None, 70, None, None, "red", None, None),
    ("disclosure_items", 2022, "NX01", None, None, None, "no_data", "政务公开记录不分社区", None),
    ("study_sessions", 2022, "NX01", 1, None, None, "no_community_target", None, None),
]

# (indicator_id, community_id) → target, red line, targets' year, basis (every year falls back to 2021's)
TARGETS = {("study_sessions", None): (2, 1, 2021, "示例细则"), ("litigation_cases_new", None): (1, 3, 2021, "示例细则"),
           ("review_cases_new", None): (0, 2, 2021, "示例细则"), ("leader_appearance_rate", None): (100, 90, 2021, "示例细则"),
           ("disclosure_items", None): (150, 100, 2021, "示例细则"), ("public_lawyers", None): (1, 1, 2021, "示例细则"),
           ("eval_dispute_score", None): (90, 80, 2021, "示例细则"),
           ("substantive_resolution_rate", None): (60, 40, 2021, "示例细则")}


def make_tiny_db(path: Path, *, sample: bool = True) -> Path:
    con = duckdb.connect(str(path))
    try:
        load_reference(con)
        create_staging_tables(con)
        con.execute("""
            CREATE TABLE mart_indicator_values (indicator_id VARCHAR, year INTEGER, community_id VARCHAR,
                value DOUBLE, numerator DOUBLE, denominator DOUBLE, status VARCHAR, no_data_reason VARCHAR,
                note VARCHAR, catalogue_version VARCHAR, target DOUBLE, red_threshold DOUBLE, target_year INTEGER,
                target_basis VARCHAR, subdistrict VARCHAR DEFAULT '南星街道')""")
        con.executemany("INSERT INTO mart_indicator_values VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, '2026.1', ?, ?, ?, ?, "
                        "DEFAULT)",
                        [(*row, *TARGETS.get((row[0], row[2]), (None, None, None, None))) for row in MART_ROWS])
        con.execute("""INSERT INTO stg_communities (community_id, name, aliases, subdistrict, district) VALUES
            ('NX01', '馒头山社区', ['馒头山'], '南星街道', '上城区'),
            ('NX02', '白塔岭社区', [], '南星街道', '上城区')""")
        con.execute("""INSERT INTO stg_disclosures (item_id, date, mode, category, channel, subdistrict) VALUES
            ('G1', DATE '2022-03-01', '主动公开', '政务动态', '网站', '南星街道'),
            ('G2', DATE '2022-04-01', '主动公开', '政务动态', '网站', '南星街道'),
            ('G3', DATE '2022-05-01', '主动公开', '年报', '网站', '南星街道'),
            ('G4', DATE '2021-05-01', '主动公开', '年报', '网站', '南星街道')""")
        con.execute("""INSERT INTO stg_designations (community_id, title, level, granted_by, year_granted, status)
            VALUES ('NX01', '全国民主法治示范村(社区)', '国家级', '司法部、民政部', 2020, '有效')""")
        # plan_year: the 2023 plan (one due in 2024, one without plan year but due in 2023), the 2024
        # plan, and an action of 2022.
        con.execute("""INSERT INTO stg_actions (action_id, weak_area_id, title, owner, due_date, status, progress,
                plan_year) VALUES
            ('A2023-05', 'W1', '行政争议优先导入调解', '平安法治办', DATE '2024-06-30', '推进中', NULL, 2023),
            ('A2023-01', 'W1', '落实法治第一责任人，减少复议诉讼发案', '党政综合办公室', DATE '2023-12-31', '推进中', '已优化调解队伍',
             2023),
            ('A2023-03', 'W2', '推动法律顾问资源共享', '司法所', DATE '2023-06-30', '未启动', NULL, NULL),
            ('A2024-01', 'W2', '配备公职律师', '党政综合办公室', DATE '2024-06-30', '已完成', NULL, 2024),
            ('A2022-09', NULL, '上一年度的安排', '司法所', DATE '2022-06-30', '已完成', NULL, NULL)""")
        con.execute("UPDATE stg_actions SET subdistrict = '南星街道'")
        con.execute("""CREATE TABLE etl_runs AS SELECT 'r1' AS run_id, TIMESTAMP '2026-11-28 08:00:00' AS started_at,
            TIMESTAMP '2026-11-28 08:00:05' AS finished_at, 5.0 AS duration_s, 'data/sample' AS data_dir,
            ? AS dataset_kind, ? AS dataset_label, '2026.1' AS catalogue_version, 1 AS files,
            10 AS rows_read, 10 AS rows_loaded, 0 AS rows_rejected, 'published' AS status""",
                    ["sample" if sample else "real", "南星街道示例数据" if sample else "南星街道台账"])
    finally:
        con.close()
    return path
