"""The catalogue grows without code: indicators of kind 填报 imported as records (`indicators`),
their versions kept, and what an import may not change. Tiny literal CSVs through the real build."""
from __future__ import annotations

from pathlib import Path

import duckdb
import pytest

from etl.build import build, check
from reporting import queries

COMMUNITIES = "社区编号,社区名称,街道,区\nNX01,馒头山社区,南星街道,上城区\n"
HEADER = "指标编号,版本,指标名称,英文名称,单位,类型,方向,领域,短板编号,定义\n"


def folder(tmp_path: Path, indicators: str, reported: str = "", targets: str = "") -> Path:
    data = tmp_path / "data"
    data.mkdir()
    (data / "communities.csv").write_text(COMMUNITIES, encoding="utf-8")
    (data / "指标目录_新增.csv").write_text(HEADER + indicators, encoding="utf-8")
    (data / "reported_values.csv").write_text("指标编号,年度,社区,数值,分项\n" + reported, encoding="utf-8")
    if targets:
        (data / "targets.csv").write_text("指标编号,年度,范围,目标值,分值\n" + targets, encoding="utf-8")
    return data


def rows(db: Path, sql: str, params: list | None = None) -> list[tuple]:
    with duckdb.connect(str(db), read_only=True) as con:
        return con.execute(sql, params or []).fetchall()


def test_an_imported_reported_indicator_is_computed_rated_scored_and_listed(tmp_path):
    data = folder(tmp_path,
                  "grid_mediators,2026.2,网格调解员,,人,填报值,越高越好,行政争议预防化解,W1,在册的网格调解员人数。\n"
                  "night_checks,1,夜查覆盖率,Night checks,%,填报比率,越高越好,administration,,\n",
                  "grid_mediators,2022,,12,值\nnight_checks,2022,,3,分子\nnight_checks,2022,,4,分母\n",
                  "grid_mediators,2022,街道,10,6\n")
    db = tmp_path / "warehouse.duckdb"
    build(data, db)
    assert rows(db, "SELECT * FROM rejects") == []
    assert rows(db, "SELECT indicator_id, name_zh, name_en, unit_en, kind, source, formula_zh, direction, area_id, "
                    "weak_area_id, sort_order FROM ref_indicators WHERE sort_order > 32 ORDER BY sort_order") == [
        ("grid_mediators", "网格调解员", "网格调解员", "人", "reported", "reported_values", "填报值", "up",
         "disputes", "W1", 33),
        ("night_checks", "夜查覆盖率", "Night checks", "%", "reported_rate", "reported_values", "填报分子 ÷ 填报分母",
         "up", "administration", None, 34)]
    assert rows(db, "SELECT indicator_id, value, numerator, denominator, status, target FROM mart_indicator_values "
                    "WHERE year = 2022 AND community_id IS NULL AND indicator_id IN ('grid_mediators', 'night_checks') "
                    "ORDER BY 1") == [("grid_mediators", 12, None, None, "green", 10),
                                      ("night_checks", 75, 3, 4, "none", None)]
    assert rows(db, "SELECT level, id, points FROM mart_scores WHERE community_id IS NULL ORDER BY level") == [
        ("area", "disputes", 6.0), ("indicator", "grid_mediators", 6.0), ("total", None, 6.0)]
    with duckdb.connect(str(db), read_only=True) as con:   # the read side picks it up with no code
        catalogue = queries.catalogue(con)
        values = queries.indicator_values(con, (2022,))
    assert "grid_mediators" in set(catalogue["indicator_id"])
    assert values.set_index("indicator_id").loc["grid_mediators", "area_name_zh"] == "行政争议预防化解"


def test_every_version_is_kept_and_the_highest_counts(tmp_path):
    data = folder(tmp_path, "public_lawyers,2026.10,公职律师（含兼职）,,人,填报值,越高越好,administration,W2,\n"
                            "public_lawyers,2026.9,公职律师（旧）,,人,填报值,越高越好,administration,W2,\n")
    db = tmp_path / "warehouse.duckdb"
    build(data, db)
    assert rows(db, "SELECT version, name_zh, source_file, source_row, is_current FROM ref_indicator_versions "
                    "WHERE indicator_id = 'public_lawyers' ORDER BY source_file, source_row") == [
        ("2026.1", "公职律师", "etl/reference/indicators.csv", 31, False),
        ("2026.10", "公职律师（含兼职）", "指标目录_新增.csv", 2, True),
        ("2026.9", "公职律师（旧）", "指标目录_新增.csv", 3, False)]
    # The new version keeps the indicator's place and headline in the catalogue.
    assert rows(db, "SELECT name_zh, version, sort_order FROM ref_indicators WHERE indicator_id = 'public_lawyers'") == [
        ("公职律师（含兼职）", "2026.10", 30)]
    assert rows(db, "SELECT count(*) FROM ref_indicators") == [(32,)]
    assert rows(db, "SELECT catalogue_version FROM etl_runs") == [("2026.1、2026.10",)]   # what the run built with


def test_what_an_import_may_not_change(tmp_path):
    data = folder(tmp_path, "\n".join([
        "Grid-Mediators,1,网格调解员,,人,填报值,越高越好,disputes,,",
        "litigation_cases_new,2027.1,新增诉讼,,件,填报值,越低越好,disputes,,",
        "public_lawyers,2026.1,公职律师,,人,填报值,越高越好,administration,,",
        "legality_review_rate,2027.1,合法性审核,,%,填报值,越高越好,administration,,",
        "grid_mediators,v2,网格调解员,,人,填报值,越高越好,disputes,,",
        "grid_mediators,2,网格调解员,,人,填报值,越高越好,街道治理,,",
        "grid_mediators,3,网格调解员,,人,填报值,越高越好,disputes,W9,",
    ]) + "\n", "grid_mediators,2022,,12,值\n")
    found = [(p.file, p.row, p.field, p.reason) for p in check(sorted(data.iterdir()))]
    assert found == [
        ("reported_values.csv", 2, "indicator_id", "指标编号“grid_mediators”不在指标目录中"),
        ("指标目录_新增.csv", 2, "indicator_id", "指标编号“Grid-Mediators”须以小写字母开头，只含小写字母、数字和下划线（至多63个字符）"),
        ("指标目录_新增.csv", 3, "indicator_id", "指标“litigation_cases_new”由记录计算，口径由程序维护，不能通过导入修改"),
        ("指标目录_新增.csv", 4, "version", "版本“2026.1”须高于指标目录中该指标的现行版本“2026.1”"),
        ("指标目录_新增.csv", 5, "kind", "已在指标目录中的指标不能改变类型（现为“填报比率”）"),
        ("指标目录_新增.csv", 6, "version", "版本“v2”应由数字和点组成，如 2026.2"),
        ("指标目录_新增.csv", 7, "area", "领域“街道治理”不在领域目录中（responsibility 法治责任与学法、administration 依法行政与执法规范、"
                                       "disputes 行政争议预防化解、disclosure 政务公开、outreach 普法与法律服务、designation 民主法治示范创建）"),
        ("指标目录_新增.csv", 8, "weak_area_id", "短板编号“W9”不在短板目录中（W1、W2）"),
    ]


@pytest.mark.parametrize("header", ["指标编号,版本,指标名称,单位,类型,方向,领域",
                                    "indicator_id,version,name_zh,unit_zh,kind,direction,area"])
def test_a_catalogue_file_is_recognised_by_its_headers(tmp_path, header):
    (tmp_path / "新指标.csv").write_text(header + "\ngrid_mediators,1,网格调解员,人,填报值,越高越好,disputes\n",
                                        encoding="utf-8")
    assert [p.kind for p in check([tmp_path / "新指标.csv"])] == ["skipped"]   # no community list: nothing else


def test_check_knows_the_indicators_the_live_database_imported(tmp_path):
    data = folder(tmp_path, "grid_mediators,1,网格调解员,,人,填报值,越高越好,disputes,,\n")
    db = tmp_path / "warehouse.duckdb"
    build(data, db)
    more = tmp_path / "reported_values_2023.csv"
    more.write_text("指标编号,年度,社区,数值\ngrid_mediators,2023,,14\nnot_an_indicator,2023,,1\n", encoding="utf-8")
    assert [(p.row, p.reason) for p in check([more], db=db)] == [(3, "指标编号“not_an_indicator”不在指标目录中")]


def test_pages_and_the_report_pick_up_an_imported_indicator(tmp_path, monkeypatch):
    from streamlit.testing.v1 import AppTest

    from reporting import report

    root = Path(__file__).resolve().parent.parent
    extra = tmp_path / "extra"
    extra.mkdir()
    (extra / "指标目录_网格.csv").write_text(HEADER + "grid_mediators,2026.2,网格调解员,Grid mediators,人,填报值,越高越好,"
                                          "disputes,W1,在册的网格调解员人数。\n", encoding="utf-8")
    (extra / "填报值_网格.csv").write_text("指标编号,年度,社区,数值\ngrid_mediators,2022,,12\n", encoding="utf-8")
    (extra / "指标目标_网格.csv").write_text("指标编号,年度,范围,目标值,红线值\ngrid_mediators,2021,街道,15,10\n",
                                          encoding="utf-8")
    db = tmp_path / "warehouse.duckdb"
    build(root / "data" / "sample", db, extra_files=sorted(extra.iterdir()))
    monkeypatch.setenv("COCKPIT_DB", str(db))

    at = AppTest.from_file(str(root / "dashboard.py"), default_timeout=60)
    at.query_params["year"] = "2022"
    at.run()
    at.switch_page("pages/methodology.py").run()
    catalogue = next(df.value for df in at.dataframe if "ID" in df.value.columns)
    assert catalogue.set_index("ID").loc["grid_mediators", ["指标", "领域", "版本"]].tolist() == [
        "网格调解员", "行政争议预防化解", "2026.2"]

    at.switch_page("pages/cockpit.py").run()
    details = next(df.value for df in at.dataframe if "指标" in df.value.columns and "目标" in df.value.columns)
    assert details.set_index("指标").loc["网格调解员", ["数值", "目标", "状态", "说明"]].tolist() == [
        "12人", "≥ 15人", "预警", "沿用2021年目标"]

    with duckdb.connect(str(db), read_only=True) as con:
        content = report.build_content(con, 2022, charts=False)
    disputes = next(a for a in content.areas if a.area_id == "disputes")
    assert "网格调解员12人，目标15人（沿用2021年目标），接近目标但未达到" in disputes.sentences


def test_an_imported_indicators_name_is_shown_as_written_never_as_markdown(tmp_path, monkeypatch):
    from streamlit.testing.v1 import AppTest

    name = "网格[调解员](http://example.com) **多**"
    data = folder(tmp_path, f"grid_mediators,1,{name},,人,填报值,越高越好,disputes,,\n", "grid_mediators,2022,,12,值\n")
    db = tmp_path / "warehouse.duckdb"
    build(data, db)
    monkeypatch.setenv("COCKPIT_DB", str(db))
    at = AppTest.from_file(str(Path(__file__).resolve().parent.parent / "dashboard.py"), default_timeout=60)
    at.query_params["year"] = "2022"
    at.run()
    at.switch_page("pages/methodology.py").run()
    at.selectbox(key="meth_indicator").set_value("grid_mediators").run()
    shown = [m.value for m in at.markdown]
    assert r"**网格\[调解员\]\(http\:\/\/example\.com\) \*\*多\*\***" in shown
    assert not any("](http://example.com)" in text for text in shown)
