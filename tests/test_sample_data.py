"""The bundled sample data (scripts/generate_sample.py) and the contract doc (scripts/render_contract.py)."""
from __future__ import annotations

import json
import zipfile
from datetime import date
from pathlib import Path

import duckdb
from openpyxl import load_workbook

from etl.schema import ENUM, INT, NUMBER, Field, RECORD_TYPES
from scripts import generate_sample as gen
from scripts import render_contract

ROOT = Path(__file__).resolve().parent.parent
SAMPLE_DIR = ROOT / "data" / "sample"


def _tree(folder: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted(folder.iterdir())}


# ---- contract doc

def test_committed_contract_doc_equals_the_rendered_one():
    assert (ROOT / "docs" / "data-contract.md").read_text(encoding="utf-8") == render_contract.render()


def test_contract_doc_has_a_row_for_every_field_of_every_record_type():
    doc = render_contract.render()
    for rt in RECORD_TYPES.values():
        assert f"## `{rt.name}` {rt.name_zh}" in doc
        for f in rt.fields:
            assert f"| `{f.name}` | {f.header_zh}" in doc, (rt.name, f.name)
    assert "| `case_id` | 案件编号 | 文本 text (`VARCHAR`) | 是 |  |  |" in doc
    assert "```csv\n社区编号,社区名称,别名,街道,区\nNX01,馒头山社区,馒头山、馒头山社区居委会,南星街道,上城区\n```" in doc


def test_contract_allowed_text_by_kind():
    assert render_contract.allowed_text(Field("n", "人次", INT, minimum=0)) == "≥ 0"
    assert render_contract.allowed_text(Field("s", "满意度", NUMBER, minimum=0, maximum=100)) == "0–100"
    assert render_contract.allowed_text(Field("k", "状态", ENUM, allowed=("在办", "审结"))) == "`在办`、`审结`"
    assert render_contract.allowed_text(Field("t", "标题")) == ""


# ---- generator helpers

def test_split_total_hits_the_total_with_every_part_at_least_low():
    parts = gen.split_total(gen.random.Random(1), 536, 58, 3)
    assert (sum(parts), len(parts), min(parts) >= 3) == (536, 58, True)


def test_add_working_days_skips_weekends():
    assert gen.add_working_days(date(2024, 1, 5), 1) == date(2024, 1, 8)     # Friday → Monday
    assert gen.add_working_days(date(2024, 1, 1), 20) == date(2024, 1, 29)


# ---- determinism

def test_generator_is_deterministic(tmp_path):
    gen.generate(tmp_path / "a")
    gen.generate(tmp_path / "b")
    first, second = _tree(tmp_path / "a"), _tree(tmp_path / "b")
    assert list(first) == list(second)
    assert [name for name in first if first[name] != second[name]] == []


def test_committed_sample_equals_a_fresh_generation(tmp_path):
    gen.generate(tmp_path)
    fresh, committed = _tree(tmp_path), _tree(SAMPLE_DIR)
    assert sorted(committed) == sorted(fresh)
    assert [name for name in fresh if fresh[name] != committed[name]] == []


def test_xlsx_files_carry_fixed_timestamps():
    workbooks = sorted(SAMPLE_DIR.glob("*.xlsx"))
    assert len(workbooks) == 8
    for path in workbooks:
        with zipfile.ZipFile(path) as zf:
            assert {info.date_time for info in zf.infolist()} == {(2025, 1, 1, 0, 0, 0)}, path.name
        props = load_workbook(path, read_only=True).properties
        assert (props.created, props.modified) == (gen.FIXED_TIME, gen.FIXED_TIME), path.name


# ---- contents

def test_dataset_json_marks_sample_data():
    dataset = json.loads((SAMPLE_DIR / "dataset.json").read_text(encoding="utf-8"))
    assert dataset["kind"] == "sample"
    assert "示例数据" in dataset["label_zh"] and "illustrative" in dataset["label_en"]


def test_readme_lists_every_file():
    readme = (SAMPLE_DIR / "README.md").read_text(encoding="utf-8")
    assert [p.name for p in SAMPLE_DIR.iterdir() if f"`{p.name}`" not in readme] == []


def test_files_are_written_in_the_encodings_the_loaders_must_handle():
    raw = {p.name: p.read_bytes() for p in SAMPLE_DIR.glob("*.csv")}
    assert raw["communities.csv"].startswith(b"\xef\xbb\xbf")
    assert raw["cases_2021.csv"].decode("gbk").startswith("案件编号,")
    assert raw["disclosures_2023.csv"].decode("utf-8").split("\r\n")[0].split(",")[0] == "mode"
    assert "２０２２" in raw["cases_2022.csv"].decode("utf-8-sig")
    assert "2022年" in raw["cases_2022.csv"].decode("utf-8-sig")


def _count(rows, **match):
    return sum(all(r[k] == v for k, v in match.items()) for r in rows)


def test_records_reproduce_every_2022_figure_of_the_report():
    records = gen.sample_records()
    out = [r for r in records["outreach"] if r["date"].year == 2022]
    cases = records["cases"]
    filed = [r for r in cases if r["filed_date"].year == 2022]
    lawsuits = [r for r in filed if r["case_type"] == "行政诉讼"]
    mediations_closed = [r for r in cases if r["case_type"] == "矛盾纠纷调解"
                         and r["closed_date"] and r["closed_date"].year == 2022]
    items = [r for r in records["disclosures"] if r["date"].year == 2022 and r["mode"] == "主动公开"]
    assert _count(out, activity_type="专题学法") == 2
    assert _count(filed, case_type="行政复议") == 0
    assert [(r["status"], r["closed_date"].year, r["outcome"], r["heard_in_court"], r["leader_appeared"],
             r["resolution_mode"]) for r in lawsuits] == [("审结", 2022, "胜诉", True, True, "判决")] * 2
    assert [r for r in cases if r["case_type"] == "行政诉讼" and r["closed_date"]
            and r["closed_date"].year == 2022] == lawsuits
    assert len(items) == 175 and {r["channel"] for r in items} == {"网站"}
    assert [_count(items, category=c) for c in gen.CATEGORIES] == [85, 20, 12, 6, 5, 47]
    assert _count(out, activity_type="便民活动") == 68
    # "At least" figures: slightly above the report's floor.
    lectures = sum(r["activity_type"].startswith("普法讲座") for r in out)
    assert 90 < lectures < 100
    assert 16_000 < sum(r["materials"] for r in out) < 16_500
    assert 500 < sum(r["participants"] for r in out if r["activity_type"] == "法律服务") < 600
    assert 5_000 < sum(r["participants"] for r in out if r["activity_type"] == "公益服务") < 5_200
    assert 200 < _count(filed, case_type="矛盾纠纷调解") < 300
    assert {(r["outcome"], r["satisfaction"]) for r in mediations_closed} == {("成功", 100)}
    reported = {(r["indicator_id"], r["part"]): r["value"] for r in records["reported_values"] if r["year"] == 2022}
    assert {k: reported[k] for k in [("discretion_items", "值"), ("discretion_domains", "值"),
                                      ("discretion_refinement_rate", "分子"), ("discretion_refinement_rate", "分母"),
                                      ("public_interest_orgs", "值"), ("public_lawyers", "值")]} == {
        ("discretion_items", "值"): 165, ("discretion_domains", "值"): 18,
        ("discretion_refinement_rate", "分子"): 165, ("discretion_refinement_rate", "分母"): 165,
        ("public_interest_orgs", "值"): 43, ("public_lawyers", "值"): 0}
    held = sorted((d["community"], d["level"]) for d in records["designations"]
                  if d["status"] == "有效" and d["year_granted"] <= 2022 and d["level"] in ("国家级", "省级"))
    assert held == [("NX01", "国家级"), ("NX02", "省级"), ("NX03", "省级"), ("NX04", "省级")]


def test_records_reproduce_the_2023_disclosure_report():
    records = gen.sample_records()
    in_2023 = [r for r in records["disclosures"] if r["date"].year == 2023]
    by_channel = {ch: _count(in_2023, mode="主动公开", channel=ch) for ch in ("网站", "微博", "微信", "公开栏")}
    assert by_channel == {"网站": 95, "微博": 337, "微信": 741, "公开栏": 0}
    requests = [r for r in in_2023 if r["mode"] == "依申请公开"]
    assert len(requests) == 3 and all(r["replied_date"] and r["result"] for r in requests)
    gi_cases = [r for r in records["cases"] if r["filed_date"].year == 2023 and r["domain"] == "政府信息公开"]
    assert gi_cases == []
    gi = {(r["table"], r["row"], r["column"]): r["value"] for r in records["gi_annual"]}
    assert gi[("表三", "一、本年新收政府信息公开申请数量", "总计")] == 3
    assert {v for (table, _, _), v in gi.items() if table == "表四"} == {0}


def test_the_2023_plan_actions_and_their_weak_areas():
    actions = {a["action_id"]: a for a in gen.sample_records()["actions"]}
    plan = [actions[f"A2023-0{i}"]["weak_area_id"] for i in range(1, 6)]
    assert plan == ["W1", None, "W2", None, "W1"]
    overdue = [a for a in actions.values() if a["status"] != "已完成" and a["due_date"] < date.today()]
    assert len(overdue) >= 2 and {a["status"] for a in actions.values()} == {"未启动", "推进中", "已完成"}


# ---- loaded with the real ETL

def test_sample_loads_every_row_except_the_three_deliberate_rejects(sample_db):
    con = duckdb.connect(str(sample_db), read_only=True)
    try:
        rejects = con.execute("SELECT source_file, source_row, field, kind FROM rejects ORDER BY source_row").fetchall()
        staged = {rt: con.execute(f'SELECT count(*) FROM "stg_{rt}"').fetchone()[0] for rt in RECORD_TYPES}
    finally:
        con.close()
    assert rejects == [("outreach_2024-bad-rows.csv", 2, "date", "invalid"),
                       ("outreach_2024-bad-rows.csv", 3, "activity_type", "invalid"),
                       ("outreach_2024-bad-rows.csv", 4, "community", "invalid")]
    records = gen.sample_records()
    assert staged == {rt: len(records[rt]) for rt in RECORD_TYPES}


def test_sample_published_2023_gi_tables_pass_their_checks(sample_db):
    from etl.gi_annual import gi_report

    con = duckdb.connect(str(sample_db), read_only=True)
    try:
        report = gi_report(con, 2023)
    finally:
        con.close()
    table3 = report.tables["表三"]
    assert (report.violations, report.differences, report.notes) == ([], [], [])
    assert [table3.value(row, "总计") for row in ("本年新收政府信息公开申请数量", "予以公开", "部分公开", "总计")] == [3, 2, 1, 3]
