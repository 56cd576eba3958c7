"""Commands build, check, snapshots, rollback (run in-process through etl.__main__.main)."""
from __future__ import annotations

from etl.__main__ import main

COMMUNITIES = "community_id,name,aliases,subdistrict,district\nNX01,馒头山社区,,南星街道,上城区\n"
CASES = "case_id,case_type,filed_date,status\nC1,行政诉讼,2022-03-01,在办\nC2,行政诉讼,2022-02-30,在办\n"


def data_folder(tmp_path, **extra: str):
    data = tmp_path / "data"
    data.mkdir()
    (data / "communities.csv").write_text(COMMUNITIES, encoding="utf-8")
    (data / "cases.csv").write_text(CASES, encoding="utf-8")
    for name, text in extra.items():
        (data / name).write_text(text, encoding="utf-8")
    return data


def test_build_prints_a_summary_per_file_and_totals(tmp_path, capsys):
    data = data_folder(tmp_path)
    assert main(["build", "--data", str(data), "--db", str(tmp_path / "w.duckdb")]) == 0
    out = capsys.readouterr().out.splitlines()
    assert out[0].split() == ["文件", "类型", "编码", "读取", "载入", "拒绝", "说明"]
    assert out[1].split() == ["cases.csv", "案件", "UTF-8", "2", "1", "1"]
    assert out[2].split() == ["communities.csv", "社区名录", "UTF-8", "1", "1", "0"]
    assert out[3].startswith("合计：2 个文件，读取 3 行，载入 2 行，拒绝 1 行；")
    assert out[5] == "被拒绝的行（每个文件最多 5 行，全部见数据库 rejects 表）："
    assert out[7].split() == ["cases.csv", "3", "filed_date", "收案日期“2022-02-30”不是有效日期"]


def test_build_exits_non_zero_naming_an_unreadable_file(tmp_path, capsys):
    data = data_folder(tmp_path, **{"outreach.csv": ""})
    assert main(["build", "--data", str(data), "--db", str(tmp_path / "w.duckdb")]) == 1
    out = capsys.readouterr().out
    assert out.splitlines()[3].split() == ["outreach.csv", "-", "-", "0", "0", "0", "无法读取：文件为空"]
    assert out.rstrip().endswith("有 1 个文件无法读取：outreach.csv（其余文件已载入并发布）")
    assert (tmp_path / "w.duckdb").exists()


def test_check_prints_each_problem_and_exits_1(tmp_path, capsys):
    data = data_folder(tmp_path)
    assert main(["check", str(data / "cases.csv"), str(data / "communities.csv"),
                 "--db", str(tmp_path / "none.duckdb")]) == 1
    assert capsys.readouterr().out.splitlines() == [
        "cases.csv\t第3行\tfiled_date\t收案日期“2022-02-30”不是有效日期", "检查 2 个文件：1 个问题"]
    assert not (tmp_path / "none.duckdb").exists()


def test_check_of_good_files_exits_0_and_says_what_was_skipped(tmp_path, capsys):
    data = data_folder(tmp_path)
    (data / "cases.csv").write_text(CASES.splitlines()[0] + "\nC1,行政诉讼,2022-03-01,在办\n", encoding="utf-8")
    assert main(["check", str(data / "cases.csv"), "--db", str(tmp_path / "none.duckdb")]) == 0
    assert capsys.readouterr().out.splitlines() == [
        "-\t-\tcommunity\t未提供社区名录（文件中没有社区名录，也没有可用的数据库），社区校验已跳过",
        "检查 1 个文件：0 个问题，可以导入"]


def test_snapshots_and_rollback_commands(tmp_path, capsys):
    data, db = data_folder(tmp_path), str(tmp_path / "w.duckdb")
    main(["build", "--data", str(data), "--db", db])
    main(["build", "--data", str(data), "--db", db])
    capsys.readouterr()
    assert main(["snapshots", "--db", db]) == 0
    lines = capsys.readouterr().out.splitlines()
    first = lines[2].split()[0]
    assert lines[1] == "保留的快照（最新在前，最多 10 个）："
    assert len(lines) == 4
    assert main(["rollback", first, "--db", db]) == 0
    assert capsys.readouterr().out.startswith(f"已恢复运行 {first} 的数据库为 {db}")
    assert main(["rollback", "no-such-run", "--db", db]) == 1
    assert capsys.readouterr().out.startswith("回滚失败：没有运行“no-such-run”的快照")
