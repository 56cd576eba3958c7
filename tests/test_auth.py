"""Sign-in glue (cockpit.auth) under AppTest, and the cookie routes (cockpit.web) over HTTP."""
from __future__ import annotations

import json
import sqlite3
from contextlib import closing
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest
from starlette.applications import Starlette
from starlette.testclient import TestClient
from streamlit.testing.v1 import AppTest

from cockpit import auth, web
from security.accounts import Accounts

# A page behind the gate: what it shows after the gate is the "figure" no anonymous visitor may see.
SCRIPT = """
import streamlit as st
from cockpit import auth, ui
auth.gate(ui.language_switch)
auth.require(st.session_state.get("need", "view"))
st.write("FIGURES")
"""
PASSWORD = "Correct-horse-9"


@pytest.fixture
def trail(tmp_path, monkeypatch) -> tuple[Accounts, Path]:
    """Fresh accounts and audit files for the app under test (env, as a deployment sets them)."""
    monkeypatch.setenv("COCKPIT_ACCOUNTS", str(tmp_path / "accounts.sqlite"))
    monkeypatch.setenv("COCKPIT_AUDIT", str(tmp_path / "audit.jsonl"))
    monkeypatch.setenv("COCKPIT_DB", str(tmp_path / "warehouse.duckdb"))
    return Accounts(tmp_path / "accounts.sqlite"), tmp_path / "audit.jsonl"


def audit_rows(path: Path) -> list[tuple]:
    if not path.exists():
        return []
    rows = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]
    return [(r["action"], r["user"], r["role"], r["client"], r["outcome"]) for r in rows]


def app() -> AppTest:
    at = AppTest.from_string(SCRIPT, default_timeout=30)
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def sign_in(at: AppTest, name: str, password: str) -> AppTest:
    at.text_input[0].input(name)
    at.text_input[1].input(password)
    at.button[0].click().run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def shown(at: AppTest) -> str:
    return "\n".join(e.value for kind in ("markdown", "error", "warning", "info", "title", "subheader", "caption",
                                          "text") for e in at.get(kind))


def test_an_anonymous_visitor_sees_only_the_sign_in_form(trail):
    at = app()
    assert [t.label for t in at.text_input] == ["用户名", "密码"]
    assert at.text_input[1].proto.type == at.text_input[1].proto.PASSWORD
    assert [b.label for b in at.button] == ["登录"]
    assert "FIGURES" not in shown(at)


def test_the_form_in_english(trail):
    at = AppTest.from_string(SCRIPT, default_timeout=30)
    at.query_params["lang"] = "English"
    at.run()
    assert [t.label for t in at.text_input] == ["Username", "Password"]
    assert [b.label for b in at.button] == ["Sign in"]
    assert (len(at.sidebar.radio), len(at.main.radio)) == (0, 1)   # the language above the form: no sidebar


def test_a_wrong_password_is_refused_and_audited(trail):
    accounts, audit = trail
    accounts.add("ana", "analyst", PASSWORD)
    at = sign_in(app(), "ana", "Wrong-horse-9")
    assert "用户名或密码不正确。" in shown(at)
    assert "FIGURES" not in shown(at)
    # An unknown name gets the same words.
    sign_in(at, "nobody", PASSWORD)
    assert at.error[0].value == "用户名或密码不正确。"
    assert audit_rows(audit) == [("sign_in_failed", "ana", None, "127.0.0.1", "bad_password"),
                                 ("sign_in_failed", "nobody", None, "127.0.0.1", "unknown")]


def test_five_wrong_passwords_lock_the_account(trail):
    accounts, audit = trail
    accounts.add("ana", "analyst", PASSWORD)
    at = app()
    for _ in range(5):
        sign_in(at, "ana", "Wrong-horse-9")
    assert "账号已锁定" in at.error[0].value
    sign_in(at, "ana", PASSWORD)            # even the right password, while locked
    assert "账号已锁定" in at.error[0].value
    assert "FIGURES" not in shown(at)
    assert [r[0] for r in audit_rows(audit)] == ["sign_in_failed"] * 4 + ["sign_in_locked"] * 2


def test_signing_in_opens_a_session_and_hands_it_over(trail):
    accounts, audit = trail
    accounts.add("ana", "analyst", PASSWORD)
    at = sign_in(app(), "ana", PASSWORD)
    assert "正在登录…" in shown(at)
    assert "FIGURES" not in shown(at)       # the browser is on its way to the cookie route
    token = at.session_state[auth.TOKEN]
    assert accounts.touch_session(token).name == "ana"
    assert audit_rows(audit) == [("sign_in", "ana", "analyst", "127.0.0.1", "ok")]
    at.run()                                  # back from the route
    assert "FIGURES" in shown(at)
    assert at.sidebar.caption[0].value == "已登录：ana（分析员）"


def signed_in(accounts: Accounts, role: str, *, name: str = "ana", must_change: bool = False) -> AppTest:
    if must_change:
        password = accounts.add(name, role)     # generated: to be changed at first sign-in
    else:
        accounts.add(name, role, PASSWORD)
        password = PASSWORD
    at = AppTest.from_string(SCRIPT, default_timeout=30)
    at.session_state[auth.TOKEN] = accounts.open_session(name, "127.0.0.1", "password")
    at.session_state["password"] = password
    return at


def test_a_role_without_the_action_is_refused_and_audited(trail):
    accounts, audit = trail
    at = signed_in(accounts, "leadership")
    at.session_state["need"] = "import"
    at.run()
    assert at.error[0].value == "您的角色（领导）无权导入数据。如需此权限，请联系管理员。"
    assert "FIGURES" not in shown(at)
    assert audit_rows(audit) == [("access_refused", "ana", "leadership", "127.0.0.1", "refused")]


def test_a_new_password_is_set_before_anything_else(trail):
    accounts, audit = trail
    at = signed_in(accounts, "analyst", must_change=True)
    at.run()
    assert at.header[0].value == "设置新密码"
    assert "FIGURES" not in shown(at)
    old = at.session_state["password"]

    def change(new: str, again: str | None = None) -> None:
        at.text_input[0].input(old)
        at.text_input[1].input(new)
        at.text_input[2].input(again or new)
        at.button[0].click().run()

    change("short1A")
    assert at.error[0].value == "密码至少 10 个字符"
    change("alllowercase")
    assert at.error[0].value == "密码须包含小写字母、大写字母、数字、其他字符中的至少 3 类"
    change("Correct-horse-9", "Correct-horse-8")
    assert at.error[0].value == "两次输入的新密码不一致。"
    change("Correct-horse-9")
    assert "FIGURES" in shown(at)
    assert [(r[0], r[4]) for r in audit_rows(audit)] == [("password_change", "policy"), ("password_change", "policy"),
                                                         ("password_change", "ok")]


def test_an_idle_session_ends_with_a_notice_and_an_audit_row(trail, tmp_path):
    accounts, audit = trail
    at = signed_in(accounts, "analyst")
    at.run()
    assert "FIGURES" in shown(at)
    long_ago = (datetime.now(timezone.utc) - timedelta(minutes=31)).isoformat(timespec="microseconds")
    with closing(sqlite3.connect(tmp_path / "accounts.sqlite")) as con, con:
        con.execute("UPDATE sessions SET last_seen = ?", (long_ago,))
    at.run()
    assert "FIGURES" not in shown(at)
    assert at.warning[0].value == "超过 30 分钟未操作，已自动退出，请重新登录。"
    assert [t.label for t in at.text_input] == ["用户名", "密码"]
    assert audit_rows(audit) == [("session_timeout", "ana", "analyst", "127.0.0.1", "timeout")]


def test_sign_out_closes_the_session(trail):
    accounts, audit = trail
    at = signed_in(accounts, "evaluator")
    at.run()
    token = at.session_state[auth.TOKEN]
    at.sidebar.button[0].click().run()
    assert accounts.touch_session(token) is None
    assert audit_rows(audit) == [("sign_out", "ana", "evaluator", "127.0.0.1", "ok")]


def sso(at: AppTest, **identity: str) -> AppTest:
    at.secrets["auth"] = {"redirect_uri": "http://127.0.0.1:8501/oauth2callback", "cookie_secret": "x" * 32,
                          "client_id": "c", "client_secret": "s",
                          "server_metadata_url": "http://127.0.0.1:9/.well-known/openid-configuration"}
    at.user = {"is_logged_in": True, **identity}
    return at


def test_an_identity_without_an_account_is_told_to_ask_the_admin(trail):
    _, audit = trail
    at = sso(AppTest.from_string(SCRIPT, default_timeout=30), email="who@example.org", sub="s-1")
    at.run()
    assert at.warning[0].value == "您的统一身份尚未开通驾驶舱账号。请联系管理员开通后再登录。"
    assert at.text[0].value == "统一身份：who@example.org"
    assert "FIGURES" not in shown(at)
    at.run()                                  # audited once per session, not per rerun
    assert audit_rows(audit) == [("sign_in_failed", "who@example.org", None, "127.0.0.1", "no_account")]


def test_a_stale_identity_opens_no_session(trail):
    accounts, audit = trail
    accounts.add("ana", "analyst", PASSWORD, email="ana@example.org")
    # No fresh identity cookie came with this browser: the provider's hand-over is long past.
    at = sso(AppTest.from_string(SCRIPT, default_timeout=30), email="ana@example.org", sub="s-1")
    at.run()
    assert [b.label for b in at.button] == ["登录", "统一身份认证登录"]
    assert "FIGURES" not in shown(at)
    assert audit_rows(audit) == []


# --- the cookie routes ----------------------------------------------------------------------------

@pytest.fixture
def client(trail) -> TestClient:
    return TestClient(Starlette(routes=web.routes()), base_url="http://127.0.0.1:8501", follow_redirects=False)


@pytest.mark.parametrize("value, expected", [
    ("/disputes?year=2022&community=馒头山社区", "/disputes?year=2022&community=馒头山社区"),
    ("/", "/"),
    (None, "/"),
    ("", "/"),
    ("https://evil.example/", "/"),
    ("//evil.example/x", "/"),
    ("/\\evil.example", "/"),
    ("disputes", "/"),
    ("/x\r\nSet-Cookie: a=b", "/"),
    ("javascript:alert(1)", "/"),
])
def test_next_is_only_a_local_path(value, expected):
    assert web.local_path(value) == expected


def test_a_ticket_becomes_an_http_only_cookie_once(trail, client):
    accounts, audit = trail
    accounts.add("ana", "analyst", PASSWORD)
    token = accounts.open_session("ana", "127.0.0.1", "password")
    ticket = accounts.issue_ticket(token)
    response = client.get(web.SIGNIN_PATH, params={"ticket": ticket, "next": "/disputes?year=2022"})
    assert response.status_code == 303
    assert response.headers["location"] == "/disputes?year=2022"
    cookie = response.headers["set-cookie"]
    assert cookie.startswith(f"{web.SESSION_COOKIE}={token};")
    assert "HttpOnly" in cookie and "SameSite=lax" in cookie and "Path=/" in cookie
    assert "Secure" not in cookie                       # plain http here; https sets it
    assert response.headers["cache-control"] == "no-store"
    again = client.get(web.SIGNIN_PATH, params={"ticket": ticket, "next": "//evil.example"})
    assert again.status_code == 303 and again.headers["location"] == "/"
    assert "set-cookie" not in again.headers
    assert audit_rows(audit) == [("sign_in_failed", "", None, "testclient", "refused")]


def test_the_cookie_is_secure_over_https(trail):
    accounts, _ = trail
    accounts.add("ana", "analyst", PASSWORD)
    ticket = accounts.issue_ticket(accounts.open_session("ana", "127.0.0.1", "password"))
    https = TestClient(Starlette(routes=web.routes()), base_url="https://cockpit.example", follow_redirects=False)
    assert "Secure" in https.get(web.SIGNIN_PATH, params={"ticket": ticket}).headers["set-cookie"]


def test_sign_out_route_closes_the_session_and_clears_the_cookie(trail, client):
    accounts, _ = trail
    accounts.add("ana", "analyst", PASSWORD)
    token = accounts.open_session("ana", "127.0.0.1", "password")
    client.cookies.set(web.SESSION_COOKIE, token)
    response = client.get(web.SIGNOUT_PATH, params={"next": "/disputes"})
    assert response.headers["location"] == "/disputes"
    assert response.headers["set-cookie"].startswith(f'{web.SESSION_COOKIE}=""')
    assert accounts.touch_session(token) is None
    client.cookies.set(web.IDENTITY_COOKIE, "signed-identity")
    assert client.get(web.SIGNOUT_PATH).headers["location"] == "/auth/logout"   # Streamlit's, ends OIDC too
