"""数据与质量 after a restore: the rejects box agrees with the run history, and snapshots are listed
by what changed (AppTest, signed in by the autouse fixture)."""
from __future__ import annotations

import shutil
from pathlib import Path

from streamlit.testing.v1 import AppTest

from conftest import SAMPLE_DIR
from etl.build import build
from etl.publish import list_snapshots, rollback

ROOT = Path(__file__).resolve().parent.parent


def test_after_a_restore_the_rejects_box_agrees_with_the_run_history(sample_db, monkeypatch, tmp_path):
    live = tmp_path / "warehouse.duckdb"
    shutil.copy(sample_db, live)
    build(SAMPLE_DIR, live)                       # a second publish keeps the first as a snapshot
    first = list_snapshots(live)[-1].run_id
    restored_as = rollback(live, first, actor="tester", reason="回到第一次构建")
    monkeypatch.setenv("COCKPIT_DB", str(live))
    at = AppTest.from_file(str(ROOT / "dashboard.py"), default_timeout=60).run()
    at.switch_page("pages/data_quality.py").run()
    assert not at.exception, [e.value for e in at.exception]
    assert at.selectbox(key="dq_run").value == restored_as          # the newest run: the restore
    runs = next(df.value for df in at.dataframe if "拒收行数" in df.value.columns)
    assert runs["拒收行数"].tolist() == [3, 3, 3]
    rejects = next(df.value for df in at.dataframe if "字段" in df.value.columns)
    assert len(rejects) == 3
    assert [s.value for s in at.success if "拒收" in s.value] == []
    snapshots = at.dataframe[-1].value
    assert snapshots.columns.tolist()[:3] == ["变化（相对前一次运行）", "操作人", "原因"]
    assert snapshots.columns.tolist()[-1] == "运行编号"

    # the build the restore replaced: its rejected rows are not in this database, and the page says so
    second = runs["批次"].tolist()[1]
    at.selectbox(key="dq_run").select(second).run()
    assert [i.value for i in at.info if "拒收" in i.value] == [
        "该次运行拒收 3 行；拒收明细只保存在生成当前数据库的运行中，请选择该运行查看。"]


def test_coverage_grid_of_indicator_by_year_on_the_sample(sample_db, monkeypatch):
    monkeypatch.setenv("COCKPIT_DB", str(sample_db))
    at = AppTest.from_file(str(ROOT / "dashboard.py"), default_timeout=60).run()
    at.switch_page("pages/data_quality.py").run()
    assert not at.exception, [e.value for e in at.exception]
    grid = at.dataframe[0].value
    assert grid.columns.tolist() == ["指标", "2021", "2022", "2023", "2024"]
    row = grid.set_index("指标")
    assert row.loc["新增行政诉讼案件", "2022"] == "记录"
    assert row.loc["行政复议纠错率", "2022"] == "无数据"
    assert (row.loc["法律顾问", "2022"], row.loc["裁量基准细化事项", "2022"]) == ("示意", "上报")
    details = at.dataframe[1].value.set_index(["指标", "年度"])
    assert details.loc[("行政复议纠错率", "2022"), "依据或原因"] == "分母为0：该年度无审结的行政复议案件"
