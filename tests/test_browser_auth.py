"""Sign-in in a real browser against the real server (cockpit.serve): the form, roles and deep links,
lockout, F5, idle timeout, sign-out, single sign-on against a local OIDC provider, and the audit rows
each leaves. Screenshots of the sign-in and admin pages go to tests/artifacts/."""
from __future__ import annotations

import json
import re
import sqlite3
from contextlib import closing
import time
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from appserver import PASSWORD, serve, sign_in
from oidc_mock import provider, set_identity, write_secrets
from security.accounts import Accounts

ROOT = Path(__file__).resolve().parent.parent
ARTIFACTS = ROOT / "tests" / "artifacts"
DESKTOP = {"width": 1366, "height": 768}
PHONE = {"width": 390, "height": 844}
# url path → (the action it needs, a heading the page shows when it is let in)
PAGES = {
    "disputes": ("view", "行政争议与诉源治理"),
    "data-quality": ("view", "数据与质量"),
    "data-import": ("import", "数据导入"),
    "export-centre": ("download", "导出中心"),
    "admin": ("admin", "账号与审计"),
}
# the navigation's 数据 section, in order, with the action each page needs
DATA_SECTION = [("指标说明", "view"), ("数据与质量", "view"), ("数据导入", "import"), ("导出中心", "download"),
                ("账号与审计", "admin")]
ALLOWED = {  # security/reference/permissions.csv
    "leadership": {"view"},
    "analyst": {"view", "download", "import"},
    "evaluator": {"view", "download"},
    "admin": {"view", "download", "import", "restore", "admin"},
}


@pytest.fixture(scope="module")
def site(sample_db, tmp_path_factory):
    """The app with single sign-on against a local provider; yields (url, issuer, files folder)."""
    folder = tmp_path_factory.mktemp("auth_server")
    with provider() as issuer:
        secrets = write_secrets(folder / "secrets.toml", issuer)
        with serve(sample_db, folder / "streamlit.log", secrets=secrets) as url:
            yield url, issuer, folder


def new_page(browser, viewport: dict = DESKTOP) -> Page:
    return browser.new_context(viewport=viewport, locale="zh-CN").new_page()


def audit(folder: Path) -> list[dict]:
    path = folder / "audit.jsonl"
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()] if path.exists() else []


def rows_since(folder: Path, seen: int) -> list[tuple]:
    """Audit rows after the first `seen`, without drill-downs (a page with records writes those)."""
    return [(r["action"], r["user"], r["role"], r["object"], r["outcome"]) for r in audit(folder)[seen:]
            if r["action"] != "drilldown"]


def wait_until(page: Page, condition, timeout_s: float = 30) -> None:
    deadline = time.monotonic() + timeout_s
    while not condition():
        assert time.monotonic() < deadline, "timed out"
        page.wait_for_timeout(100)


def sign_in_form(page: Page) -> None:
    expect(page.get_by_label("用户名")).to_be_visible(timeout=30_000)
    expect(page.get_by_label("密码")).to_be_visible()
    expect(page.get_by_role("button", name="登录", exact=True)).to_be_visible()


def settled(page: Page) -> None:
    expect(page.get_by_test_id("stStatusWidget")).to_have_count(0, timeout=30_000)


def test_an_anonymous_visitor_sees_the_sign_in_form_and_no_figures(site, browser):
    url, _, _ = site
    page = new_page(browser)
    figures = []
    page.on("websocket", lambda ws: ws.on("framereceived", lambda frame: figures.append(frame)))
    for path in ("", "/disputes?year=2022", "/admin"):
        page.goto(f"{url}{path}")
        sign_in_form(page)
        settled(page)
        expect(page.get_by_text("Page not found")).to_have_count(0)
        for element in ("stMetric", "stPlotlyChart", "stDataFrame", "stTopNav"):
            expect(page.get_by_test_id(element)).to_have_count(0)
    # Nothing the server sent holds a figure: not a tile's label, not a chart.
    sent = b"".join(f if isinstance(f, bytes) else f.encode() for f in figures)
    assert "新增行政诉讼案件".encode() not in sent and b"plotly" not in sent.lower()
    page.screenshot(path=str(ARTIFACTS / "signin_1366.png"))
    phone = new_page(browser, PHONE)
    phone.goto(url)
    sign_in_form(phone)
    settled(phone)
    phone.screenshot(path=str(ARTIFACTS / "signin_390.png"))


def nav_pages(page: Page) -> list[str]:
    """The page titles of the top navigation's 数据 section."""
    page.get_by_test_id("stTopNav").get_by_text("数据", exact=True).click()
    links = page.get_by_test_id("stTopNavDropdownLink")
    expect(links.first).to_be_visible()
    titles = links.all_inner_texts()
    page.keyboard.press("Escape")
    return [title.split("\n")[-1].strip() for title in titles]   # after the icon's name


@pytest.mark.parametrize("role", ["leadership", "analyst", "evaluator", "admin"])
def test_each_role_sees_its_pages_and_is_refused_the_others_by_deep_link(site, browser, role):
    url, _, folder = site
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    seen = len(audit(folder))
    page = sign_in(new_page(browser), f"{url}/?year=2022", role)
    assert rows_since(folder, seen)[0] == ("sign_in", f"test_{role}", role, "password", "ok")
    assert nav_pages(page) == [title for title, action in DATA_SECTION if action in ALLOWED[role]]
    for path, (action, heading) in PAGES.items():
        before = len(audit(folder))
        page.goto(f"{url}/{path}")
        title = page.get_by_test_id("stMain").get_by_role("heading", name=heading)
        if action in ALLOWED[role]:
            expect(title).to_be_visible(timeout=30_000)
            expect(page.get_by_text("无权")).to_have_count(0)
        else:
            expect(page.get_by_test_id("stMain").get_by_text(re.compile("无权"))).to_be_visible(timeout=30_000)
            settled(page)
            expect(title).to_have_count(0)
            expect(page.get_by_text("Page not found")).to_have_count(0)
            assert ("access_refused", f"test_{role}", role, f"/{path}", "refused") in rows_since(folder, before)
    page.close()


def test_five_wrong_passwords_lock_the_account(site, browser):
    url, _, folder = site
    Accounts(folder / "accounts.sqlite").add("lock_me", "analyst", PASSWORD)
    seen = len(audit(folder))
    page = new_page(browser)
    page.goto(url)
    sign_in_form(page)

    def attempt(password: str) -> None:
        before = len(audit(folder))
        page.get_by_label("用户名").fill("lock_me")
        page.get_by_label("密码").fill(password)
        page.get_by_role("button", name="登录", exact=True).click()
        wait_until(page, lambda: len(audit(folder)) == before + 1)     # the server has answered
        settled(page)

    for n in range(4):
        attempt(f"Wrong-password-{n}")
        expect(page.get_by_test_id("stAlert")).to_have_text("用户名或密码不正确。")
    attempt("Wrong-password-4")
    expect(page.get_by_test_id("stAlert")).to_contain_text("账号已锁定")
    attempt(PASSWORD)       # now the right password does not help either
    expect(page.get_by_test_id("stAlert")).to_contain_text("账号已锁定")
    expect(page.get_by_test_id("stSidebar").get_by_text("已登录：")).to_have_count(0)
    assert [(a, u, o) for a, u, _, _, o in rows_since(folder, seen)] == [
        *[("sign_in_failed", "lock_me", "bad_password")] * 4, *[("sign_in_locked", "lock_me", "locked")] * 2]
    assert all(r["client"] == "127.0.0.1" for r in audit(folder)[seen:])


def test_reload_keeps_the_user_signed_in_until_sign_out(site, browser):
    url, _, folder = site
    page = sign_in(new_page(browser), f"{url}/disputes?year=2022", "evaluator")
    expect(page).to_have_url(f"{url}/disputes?year=2022")       # back where the deep link pointed
    cookie = next(c for c in page.context.cookies() if c["name"] == "cockpit_session")
    assert cookie["httpOnly"] and cookie["sameSite"] == "Lax"
    page.reload()
    expect(page.get_by_test_id("stSidebar").get_by_text("已登录：test_evaluator（考评员）")).to_be_visible(timeout=30_000)
    expect(page.get_by_test_id("stMain").get_by_role("heading", name="行政争议与诉源治理")).to_be_visible()
    seen = len(audit(folder))
    page.get_by_role("button", name="退出登录").click()
    sign_in_form(page)
    assert "cockpit_session" not in [c["name"] for c in page.context.cookies()]
    page.reload()
    sign_in_form(page)
    assert rows_since(folder, seen) == [("sign_out", "test_evaluator", "evaluator", "session", "ok")]


def test_thirty_idle_minutes_end_the_session(site, browser):
    url, _, folder = site
    page = sign_in(new_page(browser), url, "leadership")
    seen = len(audit(folder))
    long_ago = (datetime.now(timezone.utc) - timedelta(minutes=31)).isoformat(timespec="microseconds")
    with closing(sqlite3.connect(folder / "accounts.sqlite")) as con, con:
        con.execute("UPDATE sessions SET last_seen = ? WHERE user_name = 'test_leadership'", (long_ago,))
    page.reload()
    sign_in_form(page)
    expect(page.get_by_text("超过 30 分钟未操作，已自动退出，请重新登录。")).to_be_visible()
    assert rows_since(folder, seen) == [("session_timeout", "test_leadership", "leadership", "session", "timeout")]


def test_a_first_sign_in_sets_a_new_password_first(site, browser):
    url, _, folder = site
    first = Accounts(folder / "accounts.sqlite").add("newcomer", "analyst")     # generated, must change
    page = new_page(browser)
    page.goto(url)
    sign_in_form(page)
    page.get_by_label("用户名").fill("newcomer")
    page.get_by_label("密码").fill(first)
    page.get_by_role("button", name="登录", exact=True).click()
    expect(page.get_by_role("heading", name="设置新密码")).to_be_visible(timeout=30_000)
    expect(page.get_by_test_id("stTopNav")).to_have_count(0)
    page.get_by_label("当前密码").fill(first)
    page.get_by_label("新密码", exact=True).fill("tooshort")
    page.get_by_label("再次输入新密码").fill("tooshort")
    page.get_by_role("button", name="保存新密码").click()
    expect(page.get_by_text("密码至少 10 个字符；密码须包含小写字母、大写字母、数字、其他字符中的至少 3 类")).to_be_visible()
    page.get_by_label("当前密码").fill(first)
    page.get_by_label("新密码", exact=True).fill("Brand-new-pass-7")
    page.get_by_label("再次输入新密码").fill("Brand-new-pass-7")
    page.get_by_role("button", name="保存新密码").click()
    expect(page.get_by_test_id("stMetric").first).to_be_visible(timeout=30_000)
    assert Accounts(folder / "accounts.sqlite").get("newcomer").must_change is False


def test_single_sign_on_maps_the_identity_to_its_account(site, browser):
    url, issuer, folder = site
    Accounts(folder / "accounts.sqlite").add("wang", "evaluator", PASSWORD, email="wang@nanxing.example")
    set_identity(issuer, "sso-wang", email="wang@nanxing.example", name="王")
    seen = len(audit(folder))
    page = new_page(browser)
    page.goto(f"{url}/?year=2022")
    page.get_by_role("button", name="统一身份认证登录").click()
    page.get_by_placeholder("sub").fill("sso-wang")
    page.get_by_role("button", name="Authorize").click()
    expect(page.get_by_test_id("stSidebar").get_by_text("已登录：wang（考评员）")).to_be_visible(timeout=30_000)
    expect(page.get_by_test_id("stMetric").first).to_be_visible(timeout=30_000)
    page.reload()
    expect(page.get_by_test_id("stSidebar").get_by_text("已登录：wang（考评员）")).to_be_visible(timeout=30_000)
    assert rows_since(folder, seen) == [("sign_in", "wang", "evaluator", "oidc", "ok")]


def test_an_identity_without_an_account_is_told_to_ask_the_admin(site, browser):
    url, issuer, folder = site
    set_identity(issuer, "sso-stranger", email="stranger@elsewhere.example")
    seen = len(audit(folder))
    page = new_page(browser)
    page.goto(url)
    page.get_by_role("button", name="统一身份认证登录").click()
    page.get_by_placeholder("sub").fill("sso-stranger")
    page.get_by_role("button", name="Authorize").click()
    expect(page.get_by_text("您的统一身份尚未开通驾驶舱账号。请联系管理员开通后再登录。")).to_be_visible(timeout=30_000)
    expect(page.get_by_test_id("stMetric")).to_have_count(0)
    expect(page.get_by_test_id("stTopNav")).to_have_count(0)
    assert rows_since(folder, seen) == [("sign_in_failed", "stranger@elsewhere.example", None, "oidc", "no_account")]


def test_the_admin_page_at_two_sizes(site, browser):
    url, _, folder = site
    for viewport, name in ((DESKTOP, "admin_1366.png"), (PHONE, "admin_390.png")):
        page = sign_in(new_page(browser, viewport), f"{url}/admin", "admin")
        expect(page.get_by_test_id("stMain").get_by_role("heading", name="账号与审计")).to_be_visible(timeout=30_000)
        expect(page.get_by_test_id("stDataFrame").first).to_be_visible()
        settled(page)
        page.wait_for_timeout(800)
        page.screenshot(path=str(ARTIFACTS / name))
        page.get_by_role("tab", name="审计记录").click()
        expect(page.get_by_text(re.compile("审计记录完整"))).to_be_visible(timeout=30_000)
        page.wait_for_timeout(800)
        page.screenshot(path=str(ARTIFACTS / name.replace("admin", "admin_audit")))
        page.close()
