"""The subdistrict filter and scoped accounts (issue 13, items 2 and 3), on the three-subdistrict folder
(tests/three_subdistricts.py) built for real: the 街道 selector and its URL binding, the figures of each
subdistrict and of the district, an account limited to one subdistrict (what it sees, links naming
another refused and audited, imports of another's rows refused), and the read-side functions they use."""
from __future__ import annotations

import shutil
from pathlib import Path

import duckdb
import pytest
from streamlit.testing.v1 import AppTest

from cockpit import auth
from cockpit.ui import Filters
from etl import gi_annual, intake, manifest
from etl.build import build
from etl.errors import EtlError
from etl.messages import translate
from etl.staging import create_staging_tables
from reporting import queries
from reporting.published import published_behind, published_conflicts
from reporting.safe_text import markdown_literal as literal
from security.audit import audit_log
from signin import accounts, add_user
from tests.three_subdistricts import three_subdistricts, write

ROOT = Path(__file__).resolve().parent.parent
LAWSUITS = "新增行政诉讼案件"


@pytest.fixture(scope="module")
def three_db(tmp_path_factory) -> Path:
    """The three-subdistrict folder built once (read it, do not write it)."""
    root = tmp_path_factory.mktemp("three")
    db = root / "built" / "warehouse.duckdb"
    build(three_subdistricts(root / "data"), db)
    return db


@pytest.fixture
def three(three_db, tmp_path, monkeypatch, app_accounts) -> Path:
    """A copy the app serves, with this test's accounts and audit trail beside it."""
    db = tmp_path / "warehouse.duckdb"
    shutil.copyfile(three_db, db)
    monkeypatch.setenv("COCKPIT_DB", str(db))
    return db


def app(params: dict | None = None, *, page: str | None = None, scope: str | None = None,
        role: str = "analyst") -> AppTest:
    """dashboard.py signed in as an administrator (tests/conftest.py), or as a `role` account limited
    to `scope`; the URL's `params`; then `page`."""
    at = AppTest.from_file(str(ROOT / "dashboard.py"), default_timeout=90)
    if scope is not None:
        name = add_user(role, name=f"{role}_{scope}", subdistrict=scope)
        at.session_state[auth.TOKEN] = accounts().open_session(name, "127.0.0.1", "password")
    for key, value in (params or {}).items():
        at.query_params[key] = value
    at.run()
    if page is not None:
        at.switch_page(f"pages/{page}.py").run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def tiles(at: AppTest) -> dict[str, str]:
    return {m.label: m.value for m in at.metric}


def scope_line(at: AppTest) -> str:
    return next(c.value for c in at.caption if c.value.startswith("范围："))


def audit_rows(db: Path, action: str) -> list[dict]:
    return [r for r in audit_log(db).rows() if r["action"] == action]


# --- the 街道 selector ---------------------------------------------------------------------------

def test_the_selector_offers_the_district_and_each_subdistrict(three):
    at = app({"year": "2024"})
    selector = at.sidebar.selectbox(key="subdistrict")
    assert (selector.label, selector.options, selector.value) == ("街道", ["全区", "丙街道", "乙街道", "甲街道"], "")
    assert not selector.disabled
    # 全区: no communities to pick (a province's would be thousands) until a subdistrict is chosen
    communities = at.sidebar.multiselect(key="community")
    assert (communities.options, communities.disabled, communities.placeholder) == ([], True, "先选择街道")
    assert tiles(at)[LAWSUITS] == "4件"
    assert scope_line(at).startswith("范围：全区；年度：2024")
    assert at.subheader[0].value == "全区法治政府建设驾驶舱"
    assert "全区不预计得分：目标与分值按街道设定，请选择一个街道查看其预计得分。" in [c.value for c in at.caption]


def test_choosing_a_subdistrict_changes_the_cockpits_figures(three):
    at = app({"year": "2024"})
    shown = {}
    for option in ("甲街道", "乙街道", "丙街道", ""):
        at.sidebar.selectbox(key="subdistrict").set_value(option).run()
        shown[option or "全区"] = (tiles(at)[LAWSUITS], tiles(at)["行政争议实质化解率"], scope_line(at).split("　")[0])
    assert shown == {"甲街道": ("2件", "50%", "范围：甲街道；年度：2024"), "乙街道": ("2件", "50%", "范围：乙街道；年度：2024"),
                     "丙街道": ("无数据", "无数据", "范围：丙街道；年度：2024"), "全区": ("4件", "50%", "范围：全区；年度：2024")}


def test_a_subdistrict_offers_its_own_communities_and_a_community_narrows_further(three):
    at = app({"year": "2024"})
    at.sidebar.selectbox(key="subdistrict").set_value("甲街道").run()
    communities = at.sidebar.multiselect(key="community")
    assert (communities.options, communities.disabled) == (["甲一社区", "甲二社区"], False)
    communities.set_value(["甲一社区"]).run()
    assert tiles(at)[LAWSUITS] == "1件"
    at.sidebar.selectbox(key="subdistrict").set_value("乙街道").run()      # another subdistrict: its communities
    assert at.sidebar.multiselect(key="community").options == ["乙一社区"]
    assert at.sidebar.multiselect(key="community").value == []
    assert tiles(at)[LAWSUITS] == "2件"


def test_the_subdistrict_and_its_community_are_read_from_the_url(three):
    at = app({"year": "2024", "subdistrict": "乙街道", "community": "乙一社区"})
    assert at.sidebar.selectbox(key="subdistrict").value == "乙街道"
    assert at.sidebar.multiselect(key="community").value == ["乙一社区"]
    assert tiles(at)[LAWSUITS] == "1件"
    assert scope_line(at).startswith("范围：乙一社区；年度：2024")


def test_an_unknown_subdistrict_or_a_community_of_another_in_the_url_is_ignored_with_a_notice(three):
    at = app({"year": "2024", "subdistrict": "丁街道", "community": "甲一社区"})
    assert at.sidebar.selectbox(key="subdistrict").value == ""
    assert [w.value for w in at.warning] == [r"链接中的以下参数值无法识别，已忽略：subdistrict\=丁街道、community\=甲一社区"]
    assert tiles(at)[LAWSUITS] == "4件"
    assert audit_rows(three, "access_refused") == []     # a district account may see all: nothing refused


def test_pages_query_the_subdistrict_in_view(three):
    at = app({"year": "2024", "subdistrict": "甲街道"}, page="cases")
    at.selectbox(key="drill_cases").set_value("litigation_cases_new").run()
    records = at.dataframe[-1].value
    assert sorted(records["案件编号"]) == ["L1", "L2"]
    assert set(records["街道"]) == {"甲街道"}
    at = app({"year": "2024", "subdistrict": "甲街道"}, page="methodology")
    at.selectbox(key="meth_indicator").set_value("litigation_loss_rate").run()
    targets = at.dataframe[1].value       # 甲's own target and the one for every subdistrict
    assert targets[["年度", "范围", "目标", "红线阈值"]].values.tolist() == [["2024", "街道", "10%", "30%"],
                                                                        ["2024", "街道", "60%", "80%"]]


def test_the_single_subdistrict_sample_shows_no_selector(sample_db, monkeypatch):
    monkeypatch.setenv("COCKPIT_DB", str(sample_db))
    at = app({"year": "2022"})
    assert [s.label for s in at.sidebar.selectbox] == ["年度", "对比年度"]
    assert scope_line(at).startswith("范围：全街道；年度：2022")
    assert at.subheader[0].value == "法治政府建设驾驶舱"
    assert tiles(at)[LAWSUITS] == "2件"


# --- an account limited to one subdistrict -------------------------------------------------------

def test_a_scoped_account_on_a_single_subdistrict_warehouse(sample_db, monkeypatch, app_accounts):
    monkeypatch.setenv("COCKPIT_DB", str(sample_db))
    at = app({"year": "2022"}, scope="南星街道")
    assert [(s.label, s.options, s.disabled) for s in at.sidebar.selectbox][0] == ("街道", ["南星街道"], True)
    assert tiles(at)[LAWSUITS] == "2件" and tiles(at)["预计得分（满分 100 分）"] == "76.64 分"
    elsewhere = app({"year": "2022"}, scope="北星街道")      # a subdistrict the warehouse does not hold: nothing
    assert tiles(elsewhere) == {} and elsewhere.info[0].value == "2022 年度在所选范围内没有数据。"
    assert elsewhere.sidebar.multiselect(key="community").options == []


def test_a_scoped_account_sees_only_its_subdistrict(three):
    at = app({"year": "2024"}, scope="乙街道")
    selector = at.sidebar.selectbox(key="subdistrict")
    assert (selector.options, selector.value, selector.disabled) == (["乙街道"], "乙街道", True)
    assert at.sidebar.multiselect(key="community").options == ["乙一社区"]
    assert tiles(at)[LAWSUITS] == "2件"
    assert tiles(at)["预计得分（满分 10 分）"] == "10 分"     # its own target's points
    assert scope_line(at).startswith("范围：乙街道；年度：2024")
    assert at.subheader[0].value == "乙街道法治政府建设驾驶舱"
    assert audit_rows(three, "access_refused") == []


def test_a_link_to_another_subdistrict_is_refused_and_audited(three):
    at = app({"year": "2024", "subdistrict": "甲街道", "community": "甲一社区"}, scope="乙街道")
    assert [e.value for e in at.error] == [
        r"您的账号仅限乙街道：链接中的以下参数超出权限，已拒绝并记入审计：subdistrict\=甲街道、community\=甲一社区"]
    assert [w.value for w in at.warning] == []           # said once, as a refusal, not also as unknown
    assert at.sidebar.selectbox(key="subdistrict").value == "乙街道"
    assert tiles(at)[LAWSUITS] == "2件"                  # 乙's figures, not 甲's (2) nor 甲一's (1)
    at.run()                                             # audited once per session, not on every run
    refused = audit_rows(three, "access_refused")
    assert [(r["user"], r["object"], r["outcome"], r["detail"]) for r in refused] == [
        ("analyst_乙街道", "subdistrict", "refused",
         {"scope": "乙街道", "requested": ["subdistrict=甲街道", "community=甲一社区"]})]


def test_a_scoped_accounts_drilldown_and_records_are_its_own(three):
    at = app({"year": "2024"}, scope="乙街道", page="cases")
    at.selectbox(key="drill_cases").set_value("litigation_cases_new").run()
    records = at.dataframe[-1].value
    assert sorted(zip(records["案件编号"], records["街道"])) == [("L1", "乙街道"), ("L3", "乙街道")]
    drilled = audit_rows(three, "drilldown")[-1]
    assert (drilled["user"], drilled["detail"]["subdistrict"], drilled["detail"]["rows"]) == ("analyst_乙街道", "乙街道", 2)


def test_a_scoped_account_sees_only_its_files_and_rejects(three):
    at = app({"year": "2024"}, scope="丙街道", page="data_quality")
    files = next(d.value for d in at.dataframe if "读取行数" in d.value.columns and "来源文件" in d.value.columns)
    assert files["来源文件"].tolist() == ["丙街道/disclosures.csv"]
    assert not any("字段" in d.value.columns for d in at.dataframe)        # disclosures.csv's rejects are not its
    assert [s.value for s in at.success][0] == "该次运行没有拒收记录。"
    district = app({"year": "2024"}, page="data_quality")
    rejects = next(d.value for d in district.dataframe if "字段" in d.value.columns)
    assert rejects[["来源文件", "行号"]].values.tolist() == [["disclosures.csv", 4], ["disclosures.csv", 5]]


def test_a_scoped_account_may_not_restore_a_snapshot(three):
    build(intake.current_data_dir(three), three)          # a publish keeps a snapshot to restore
    at = app({"year": "2024"}, scope="乙街道", role="admin", page="data_quality")
    assert "dq_snapshot" not in [s.key for s in at.selectbox]
    district = app({"year": "2024"}, page="data_quality")
    assert "dq_snapshot" in [s.key for s in district.selectbox]


def test_the_export_centre_offers_only_the_accounts_communities(three):
    at = app({"year": "2024"}, scope="甲街道", page="export_centre")
    assert at.selectbox(key="export_scope").options == ["甲街道", "甲一社区", "甲二社区"]
    district = app({"year": "2024"}, page="export_centre")
    assert district.selectbox(key="export_scope").options == ["全区"]     # a subdistrict first, then its communities


# --- imports of a scoped account -----------------------------------------------------------------

OWN_AND_OTHERS = ("案件编号,案件类型,收案日期,状态,社区,街道\n"
                  "N1,行政复议,2024-06-01,在办,,\n"
                  "N2,行政复议,2024-06-01,在办,,甲街道\n"
                  "N3,行政复议,2024-06-01,在办,甲一社区,\n").encode()
OWN = "案件编号,案件类型,收案日期,状态,社区\nN1,行政复议,2024-06-01,在办,\nN4,行政复议,2024-07-01,在办,乙一\n".encode()


def import_page(scope: str) -> AppTest:
    return app({"year": "2024"}, scope=scope, page="data_import")


def upload(at: AppTest, name: str, data: bytes) -> AppTest:
    at.file_uploader[0].set_value([(name, data, "text/csv")]).run()
    at.button(key="import_preview_button").click().run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def review_cases(db: Path, subdistrict: str | None) -> float | None:
    with intake.open_database(db) as con:
        return con.execute("SELECT value FROM mart_indicator_values WHERE indicator_id = 'review_cases_new' AND year = 2024 "
                           "AND community_id IS NULL AND subdistrict IS NOT DISTINCT FROM ?", [subdistrict]).fetchone()[0]


def test_a_scoped_import_naming_another_subdistrict_is_refused_before_confirm(three):
    at = upload(import_page("乙街道"), "案件_乙.csv", OWN_AND_OTHERS)
    assert at.info[0].value == ("您的账号仅限乙街道：导入的数据归入乙街道，未填写街道的行计入乙街道；写明其他街道、"
                                "或属于其他街道社区的行会使导入被拒绝。")
    refusals = ["“案件_乙.csv”第 3 行：街道“甲街道”不是本账号的街道（乙街道），街道账号只能导入本街道的数据",
                "“案件_乙.csv”第 4 行：社区“甲一社区”属于甲街道，不是本账号的街道（乙街道），街道账号只能导入本街道的数据"]
    assert [e.value for e in at.error] == [
        "以下 2 处超出您账号的街道（乙街道），不能确认导入。请修改文件后重新上传：\n\n"
        + "\n".join(f"- {literal(r)}" for r in refusals)]
    assert at.button(key="import_confirm").disabled
    preview = at.session_state["import_preview"]
    with pytest.raises(EtlError, match="导入含有本账号街道（乙街道）以外的数据，已拒绝"):   # the server says no as well
        intake.confirm_import(preview)
    assert not intake.uploads_dir(three).exists() and review_cases(three, "乙街道") == 0
    row = audit_rows(three, "import_preview")[-1]
    assert (row["user"], row["outcome"], row["detail"]["subdistrict"], row["detail"]["refused_rows"],
            row["detail"]["refusals"]) == ("analyst_乙街道", "refused", "乙街道", 2, refusals)


def test_a_scoped_import_of_its_own_rows_is_kept_with_its_subdistrict(three):
    at = upload(import_page("乙街道"), "案件_乙.csv", OWN)
    assert [e.value for e in at.error] == [] and not at.button(key="import_confirm").disabled
    assert "**指标：导入前 → 导入后（乙街道）**" in [m.value for m in at.markdown]
    at.button(key="import_confirm").click().run()
    assert not at.exception and at.success[0].value.startswith("已导入 1 个文件，接受 2 行、拒绝 0 行")
    entry = next(iter(manifest.read(three).values()))
    assert (entry["original_name"], entry["subdistrict"], entry["uploaded_by"]) == ("案件_乙.csv", "乙街道", "analyst_乙街道")
    assert (review_cases(three, "乙街道"), review_cases(three, "甲街道"), review_cases(three, None)) == (2, 0, 2)
    # the kept upload is its own: a later build (the manifest's subdistrict) puts the rows in 乙 again
    build(intake.current_data_dir(three), three)
    assert review_cases(three, "乙街道") == 2
    # another subdistrict's account does not see it among the kept files; a district account does
    other = import_page("甲街道")
    assert other.dataframe == [] and "还没有通过本页导入的文件。" in [c.value for c in other.caption]
    district = app({"year": "2024"}, page="data_import")
    assert district.dataframe[-1].value["原文件名"].tolist() == ["案件_乙.csv"]


def test_scope_refusals_name_file_row_and_field_for_every_way_a_row_leaves_the_subdistrict(three):
    targets = "指标编号,年度,范围,社区,目标值,红线值,街道\nlitigation_loss_rate,2025,街道,,10,30,乙\n".encode()
    catalogue = "指标编号,版本,指标名称,单位,类型,方向,领域\nx_new,1,新指标,件,填报值,越高越好,A1\n".encode()
    communities = "社区编号,社区名称,别名,街道,区\nB1,乙一社区,,甲街道,上城区\nA9,甲九社区,,甲街道,上城区\n".encode()
    designations = "社区,称号,级别,授予年份,状态\n乙一,示范社区,省级,2023,有效\n甲一,示范社区,省级,2023,有效\n".encode()
    uploads = [intake.inspect_upload(name, data) for name, data in (
        ("targets_x.csv", targets), ("indicators_x.csv", catalogue), ("communities_x.csv", communities),
        ("designations_x.csv", designations))]
    preview = intake.preview_import(three, uploads, subdistrict="甲街道")
    try:
        assert preview.scope_refusals == [
            "“targets_x.csv”第 2 行：街道“乙”不是本账号的街道（甲街道），街道账号只能导入本街道的数据",
            "“indicators_x.csv”是指标目录，适用于全区，街道账号（甲街道）不能导入",
            "“communities_x.csv”第 2 行：社区编号“B1”属于乙街道，不是本账号的街道（甲街道），街道账号只能导入本街道的数据",
            "“designations_x.csv”第 2 行：社区“乙一”属于乙街道，不是本账号的街道（甲街道），街道账号只能导入本街道的数据"]
        assert translate(preview.scope_refusals[0], "en") == (
            "“targets_x.csv” row 2: subdistrict “乙” is not this account's subdistrict (“甲街道”); an account limited "
            "to a subdistrict imports only its own data")
        assert translate(preview.scope_refusals[1], "en") == (
            "“indicators_x.csv” is indicators, which applies to the whole district; an account limited to “甲街道” "
            "cannot import it")
    finally:
        intake.cancel_import(preview)


def test_a_blank_subdistrict_in_a_scoped_upload_is_the_accounts_own(three):
    # A target's blank 街道 means every subdistrict; in a scoped account's upload it is the account's.
    targets = "指标编号,年度,范围,社区,目标值,红线值,街道\nlitigation_loss_rate,2025,街道,,10,30,\n".encode()
    upload_ = intake.inspect_upload("targets_blank.csv", targets)
    preview = intake.preview_import(three, [upload_], subdistrict="甲街道")
    try:
        assert preview.scope_refusals == []            # the blank cell became 甲街道
        with intake.open_database(preview.work_db) as con:
            assert con.execute("SELECT subdistrict FROM stg_targets WHERE year = 2025").fetchall() == [("甲街道",)]
    finally:
        intake.cancel_import(preview)
    # Should a row still load into every subdistrict, the preview says so (a safeguard the above prevents).
    assert translate(intake.message("scope_every_subdistrict", name="t.csv", row=2, field="街道", scope="甲街道"),
                     "en") == ("“t.csv” row 2: subdistrict is blank, so it would apply to every subdistrict; an account "
                               "limited to “甲街道” imports only its own data: fill in its subdistrict")


# --- accounts ------------------------------------------------------------------------------------

def test_the_admin_page_shows_and_sets_an_accounts_subdistrict(three):
    add_user("analyst", name="zhang")
    at = app({"year": "2024"}, page="admin")
    table = at.dataframe[0].value
    assert dict(zip(table["用户名"], table["街道"])) == {"test_admin": "全部", "zhang": "全部"}
    assert at.selectbox(key="admin_add_subdistrict").options == ["全部", "丙街道", "乙街道", "甲街道"]
    at.selectbox(key="admin_pick").set_value("zhang").run()
    at.selectbox(key="admin_subdistrict_zhang").set_value("甲街道").run()
    at.button(key="admin_set_subdistrict").click().run()
    assert not at.exception
    assert at.success[0].value == "zhang 的街道范围已由 全部 改为 甲街道，其会话已结束。"
    assert accounts().get("zhang").subdistrict == "甲街道"
    row = audit_rows(three, "account_subdistrict")[-1]
    assert (row["user"], row["object"], row["detail"]) == ("test_admin", "zhang", {"from": None, "to": "甲街道"})
    assert dict(zip(at.dataframe[0].value["用户名"], at.dataframe[0].value["街道"]))["zhang"] == "甲街道"


def test_changing_an_accounts_subdistrict_ends_its_sessions(tmp_path):
    store = accounts_at(tmp_path)
    store.add("li", "analyst", "Test-password-1", subdistrict="甲街道")
    token = store.open_session("li")
    assert store.set_subdistrict("li", " 乙街道 ") == "甲街道"
    assert store.touch_session(token) is None
    assert store.get("li").subdistrict == "乙街道"
    assert store.set_subdistrict("li", "") == "乙街道" and store.get("li").subdistrict is None


def accounts_at(folder: Path):
    from security.accounts import Accounts
    return Accounts(folder / "accounts.sqlite")


# --- the read side -------------------------------------------------------------------------------

def test_filters_name_the_subdistrict_the_district_or_the_whole_subdistrict():
    base = dict(lang="zh", communities=(), community_names=(), year=2024, compare_year=None, years_with_data=(2024,))
    assert Filters(**base, subdistrict="甲街道", subdistricts=("丙街道", "乙街道", "甲街道")).describe() == "范围：甲街道；年度：2024"
    district = Filters(**base, subdistricts=("丙街道", "乙街道", "甲街道"))
    assert (district.district, district.scope()) == (True, "全区")
    assert Filters(**base).scope() == "全街道" and not Filters(**base).district
    assert Filters(**{**base, "lang": "en"}, subdistricts=("甲", "乙")).scope() == "whole district"
    named = Filters(**{**base, "communities": ("A1",), "community_names": ("甲一社区",)}, subdistrict="甲街道")
    assert named.scope() == "甲一社区" and named.place() == "甲街道"


def test_a_subdistricts_files_and_rejects(three_db):
    with duckdb.connect(str(three_db), read_only=True) as con:
        run = queries.latest_run(con)["run_id"]
        files = {sd: queries.run_files(con, run, sd)["source_file"].tolist() for sd in (None, "甲街道", "丙街道")}
        rejects = {sd: queries.rejects(con, run, subdistrict=sd)["source_row"].tolist() for sd in (None, "甲街道")}
        assert queries.districts(con) == ["上城区"] and queries.districts(con, "甲街道") == ["上城区"]
    assert files == {None: ["cases.csv", "communities.csv", "disclosures.csv", "reported_values.csv", "targets.csv",
                            "丙街道/disclosures.csv"],
                     "甲街道": [], "丙街道": ["丙街道/disclosures.csv"]}
    assert rejects == {None: [4, 5], "甲街道": []}


def test_published_figures_of_one_subdistrict(tmp_path):
    published = ("指标编号,年度,社区,数值,街道,来源类型,来源说明\n"
                 "legal_advisers,2023,,3,甲街道,已发布报告,甲报告\nlegal_advisers,2023,,5,乙街道,已发布报告,乙报告\n")
    folder = write(three_subdistricts(tmp_path / "data"), {"reported_published.csv": published})
    build(folder, tmp_path / "w.duckdb")
    with duckdb.connect(str(tmp_path / "w.duckdb"), read_only=True) as con:
        behind = {sd: published_behind(con, "legal_advisers", 2023, subdistrict=sd)["value"].tolist()
                  for sd in (None, "甲街道", "乙街道", "丙街道")}
        conflicts = published_conflicts(con, "甲街道")
    assert behind == {None: [3, 5], "甲街道": [3], "乙街道": [5], "丙街道": []}
    assert conflicts.empty


def test_gi_tables_of_one_subdistrict():
    con = duckdb.connect()
    create_staging_tables(con)
    con.executemany('INSERT INTO stg_disclosures (item_id, "date", mode, received_date, subdistrict) '
                    "VALUES (?, ?, '依申请公开', ?, ?)",
                    [("Q1", "2023-02-01", "2023-02-01", "甲街道"), ("Q1", "2023-03-01", "2023-03-01", "乙街道"),
                     ("Q2", "2023-04-01", "2023-04-01", "乙街道")])
    con.executemany('INSERT INTO stg_gi_annual (year, "table", "row", "column", value, subdistrict) VALUES (?, ?, ?, ?, ?, ?)',
                    [(2023, "表二", "规章", "本年制发件数", 1, "甲街道")])
    new = {sd: gi_annual.gi_report(con, 2023, sd).tables["表三"].cells[(gi_annual.NEW, "总计")]
           for sd in (None, "甲街道", "乙街道")}
    assert new == {None: 3, "甲街道": 1, "乙街道": 2}
    assert gi_annual.gi_report(con, 2023, "甲街道").tables["表二"].source == gi_annual.PUBLISHED
    assert gi_annual.gi_report(con, 2023, "乙街道").tables["表二"].source is None
    assert gi_annual.gi_report(con, 2023, "丙街道").tables["表三"].source is None


def test_a_scoped_accounts_published_report_is_its_subdistricts(three):
    report = "乙街道2023年法治政府建设年度报告\n全年开展理论学习中心组专题学法3次。\n".encode()
    at = import_page("乙街道")
    at.file_uploader(key="report_file_0").set_value([("乙2023.txt", report, "text/plain")]).run()
    at.button(key="report_preview_button").click().run()
    assert not at.exception and at.session_state["import_preview"].scope_refusals == []
    row = audit_rows(three, "import_preview")[-1]
    assert (row["object"], row["outcome"], row["detail"]["subdistrict"]) == ("report", "ok", "乙街道")
    at.button(key="import_confirm").click().run()
    assert not at.exception and at.success[0].value.startswith("已导入 1 个文件，接受 1 行")
    with intake.open_database(three) as con:
        assert con.execute("SELECT indicator_id, year, value, subdistrict FROM stg_reported_values WHERE year = 2023"
                           ).fetchall() == [("study_sessions", 2023, 3, "乙街道")]
    assert [e["subdistrict"] for e in manifest.read(three).values()] == ["乙街道"]
