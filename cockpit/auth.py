"""Sign-in for the cockpit, enforced on the server: the gate every run passes first, the sign-in and
password-change forms, single sign-on (st.login), sign-out, and the role checks of pages and actions.

Accounts, sessions, tickets and the role matrix are `security`'s; this is the Streamlit glue.

- A run first calls `gate()`: it checks this browser's session (the token kept in session_state,
  else the HttpOnly cookie `cockpit.web` set) and restarts its idle clock. Without a valid session
  it shows the sign-in form and stops the run, so no query runs and no figure or record is sent.
- Signing in (password, or a fresh OIDC identity mapped to a local account) opens a server-side
  session and sends the browser through `/auth/session` with a one-time ticket to set the cookie;
  so F5 and new tabs stay signed in until 30 idle minutes end the session.
- `require(action)` at the top of a page or before an action refuses (and audits) a role that may
  not; `can(action)` decides whether to offer a button at all.
- An account limited to one subdistrict (`current_user().subdistrict`) sees and changes only that
  subdistrict's data: `require_subdistrict(name)` refuses (and audits) anything else; the sidebar
  (cockpit.ui) offers nothing else and refuses links naming another.
"""
from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any
from urllib.parse import quote, urlencode, urlsplit

import streamlit as st
from streamlit.errors import StreamlitAuthError
from streamlit.proto.ForwardMsg_pb2 import ForwardMsg
from streamlit.runtime.scriptrunner_utils.script_run_context import get_script_run_ctx
from streamlit.web.server.server_util import get_cookie_secret
from streamlit.web.server.starlette.starlette_app_utils import decode_signed_value

from cockpit import web
from reporting.db import db_path
from reporting.safe_text import markdown_literal
from security import audit as events
from security.accounts import Accounts, PasswordPolicyError, User
from security.audit import AuditLog, audit_log
from security.roles import can as role_can

TOKEN = "_auth_token"      # this browser session's token (never shown, never in the URL)
USER = "_auth_user"        # the user the gate admitted in this run
NOTICE = "_auth_notice"    # why the sign-in form is shown again (timeout, disabled, signed out)
REFUSED_SSO = "_auth_sso_refused"   # an unmatched identity already audited in this session
# A returning OIDC identity cookie opens a session only this soon after the provider issued it:
# older means the user went through the provider a while ago and their session ended since.
SSO_FRESH_SECONDS = 120
log = logging.getLogger(__name__)

_TEXT: dict[str, tuple[str, str]] = {
    "app_title": ("法治政府建设驾驶舱", "Rule-of-law cockpit"),   # before sign-in: no data, so no place
    "sign_in_title": ("登录", "Sign in"),
    "sign_in_intro": ("请使用驾驶舱账号登录。", "Sign in with your cockpit account."),
    "username": ("用户名", "Username"),
    "password": ("密码", "Password"),
    "sign_in": ("登录", "Sign in"),
    "signing_in": ("正在登录…", "Signing in…"),
    "bad_credentials": ("用户名或密码不正确。", "Wrong username or password."),
    "locked": ("连续输错密码次数过多，账号已锁定，请于 {until} 后再试，或联系管理员解锁。",
               "Too many wrong passwords: the account is locked until {until}. Try again then, or ask the administrator."),
    "disabled": ("该账号已停用，请联系管理员。", "This account is disabled. Please ask the administrator."),
    "missing_fields": ("请输入用户名和密码。", "Enter your username and password."),
    "sso_divider": ("或", "or"),
    "sso_button": ("统一身份认证登录", "Sign in with single sign-on"),
    "sso_broken": ("单点登录配置有误，请联系管理员（详情见服务器日志）。",
                   "Single sign-on is misconfigured; please ask the administrator (details in the server log)."),
    "sso_no_account": ("您的统一身份尚未开通驾驶舱账号。请联系管理员开通后再登录。",
                       "Your single sign-on identity has no cockpit account. Ask the administrator to add one, then sign in again."),
    "sso_disabled": ("与您的统一身份对应的驾驶舱账号已停用，请联系管理员。",
                     "The cockpit account of your identity is disabled. Please ask the administrator."),
    "sso_identity": ("统一身份：{who}", "Identity: {who}"),
    "sso_leave": ("退出统一身份", "Sign out of single sign-on"),
    "notice_timeout": ("超过 30 分钟未操作，已自动退出，请重新登录。", "You were signed out after 30 idle minutes. Please sign in again."),
    "notice_disabled": ("账号已被停用，会话已结束。", "Your account was disabled; the session has ended."),
    "change_title": ("设置新密码", "Set a new password"),
    "change_intro": ("首次登录或密码被重置后，须先设置新密码才能继续使用。",
                     "Before you go on, set a new password (first sign-in, or your password was reset)."),
    "change_rules": ("至少 10 个字符，包含小写字母、大写字母、数字、其他字符中的至少 3 类；不能与用户名或旧密码相同。",
                     "At least 10 characters mixing at least 3 of: lowercase, uppercase, digits, other characters; not your username or old password."),
    "old_password": ("当前密码", "Current password"),
    "new_password": ("新密码", "New password"),
    "repeat_password": ("再次输入新密码", "Repeat the new password"),
    "change_submit": ("保存新密码", "Save the new password"),
    "change_mismatch": ("两次输入的新密码不一致。", "The two new passwords differ."),
    "change_bad_old": ("当前密码不正确。", "The current password is wrong."),
    "change_done": ("密码已更新。", "Your password was changed."),
    "signed_in_as": ("已登录：{name}（{role}）", "Signed in: {name} ({role})"),
    "sign_out": ("退出登录", "Sign out"),
    "refused": ("您的角色（{role}）无权{what}。如需此权限，请联系管理员。",
                "Your role ({role}) may not {what}. Ask the administrator if you need it."),
    "refused_scope": ("您的账号限于{subdistrict}，不能查看其他街道的数据，因此不能打开街道对比。如需全区权限，请联系管理员。",
                      "Your account is limited to {subdistrict} and may not see other subdistricts' figures, so it cannot "
                      "open the subdistrict comparison. Ask the administrator if you need the whole district."),
    "action_view": ("查看此页面", "view this page"),
    "action_download": ("下载数据或报告", "download data or reports"),
    "action_import": ("导入数据", "import data"),
    "action_restore": ("恢复数据库快照", "restore a database snapshot"),
    "action_admin": ("管理账号与审计记录", "manage accounts and the audit trail"),
    "refused_subdistrict": ("您的账号仅限{scope}，无权查看或操作{what}的数据。如需此权限，请联系管理员。",
                            "Your account is limited to {scope}: it may not see or change the data of {what}. "
                            "Ask the administrator if you need it."),
    "refused_district_wide": ("全区", "the whole district"),
    # the admin page (pages/admin.py)
    "page_admin": ("账号与审计", "Accounts and audit"),
    "admin_tab_accounts": ("账号", "Accounts"),
    "admin_tab_roles": ("角色权限", "Role permissions"),
    "admin_tab_audit": ("审计记录", "Audit trail"),
    "admin_accounts_file": ("账号文件：{path}", "Accounts file: {path}"),
    "col_name": ("用户名", "Username"),
    "col_role": ("角色", "Role"),
    "col_state": ("状态", "State"),
    "col_must_change": ("须改密码", "Must change password"),
    "col_email": ("邮箱", "Email"),
    "col_subject": ("统一身份标识", "SSO subject"),
    "col_scope": ("街道", "Subdistrict"),
    "col_created": ("创建时间", "Created"),
    "col_last_sign_in": ("最近登录", "Last sign-in"),
    "state_enabled": ("启用", "enabled"),
    "state_disabled": ("停用", "disabled"),
    "state_locked": ("锁定至 {until}", "locked until {until}"),
    "scope_all": ("全部", "all"),
    "admin_add": ("新增账号", "Add an account"),
    "admin_add_help": ("初始密码由系统生成，只显示一次；用户首次登录须修改。邮箱或统一身份标识用于单点登录时匹配账号。",
                       "The first password is generated and shown once; the user changes it at first sign-in. "
                       "The email or SSO subject matches a single sign-on identity to the account."),
    "admin_add_submit": ("新增", "Add"),
    "admin_added": ("已新增账号 {name}（{role}）。初始密码（只显示这一次，请当面或以安全方式交给本人）：",
                    "Added {name} ({role}). First password (shown only this once; hand it over safely):"),
    "admin_manage": ("管理现有账号", "Manage an account"),
    "admin_pick": ("账号", "Account"),
    "admin_set_role": ("修改角色", "Change role"),
    "admin_subdistrict_help": ("限定为一个街道的账号只能查看、下载和导入该街道的数据；“全部”为区级账号。",
                               "An account limited to one subdistrict sees, downloads and imports only its data; "
                               "“all” is a district account."),
    "admin_set_subdistrict": ("修改街道范围", "Change subdistrict"),
    "admin_subdistrict_changed": ("{name} 的街道范围已由 {old} 改为 {new}，其会话已结束。",
                                  "{name}: subdistrict changed from {old} to {new}; their sessions ended."),
    "admin_disable": ("停用", "Disable"),
    "admin_enable": ("启用（并解除锁定）", "Enable (and unlock)"),
    "admin_reset": ("重置密码", "Reset password"),
    "admin_role_changed": ("{name} 的角色已由 {old} 改为 {new}，其会话已结束。", "{name}: role changed from {old} to {new}; their sessions ended."),
    "admin_disabled": ("已停用 {name}，其会话已全部结束。", "Disabled {name}; all their sessions ended."),
    "admin_enabled": ("已启用 {name}。", "Enabled {name}."),
    "admin_reset_done": ("已重置 {name} 的密码，其会话已结束。新密码（只显示这一次）：",
                         "Reset the password of {name}; their sessions ended. New password (shown only this once):"),
    "admin_failed": ("未完成：{error}", "Not done: {error}"),
    "admin_roles_help": ("权限表是参考数据（{path}），修改该文件即生效，无需重启。",
                         "The matrix is reference data ({path}); an edit takes effect without a restart."),
    "audit_since": ("起始日期", "From"),
    "audit_user": ("用户", "User"),
    "audit_user_all": ("全部用户", "All users"),
    "audit_actions": ("事件", "Events"),
    "audit_actions_all": ("全部事件", "All events"),
    "audit_verified": ("审计记录完整：{rows} 行，哈希链无断裂。文件：{path}", "The audit trail is intact: {rows} rows, hash chain unbroken. File: {path}"),
    "audit_broken": ("审计记录校验失败：{problem}。请立即保全该文件并报告。", "The audit trail fails its check: {problem}. Secure the file and report it."),
    "audit_count": ("{n} 条记录（最新在前）", "{n} rows (newest first)"),
    "audit_none": ("没有符合条件的审计记录。", "No audit rows match."),
    "audit_csv": ("下载 CSV（此下载也会记入审计）", "Download CSV (this download is audited too)"),
    "col_time": ("时间", "Time"),
    "col_user": ("用户", "User"),
    "col_client": ("地址", "Address"),
    "col_action": ("事件", "Event"),
    "col_object": ("对象", "Object"),
    "col_detail": ("详情", "Detail"),
    "col_outcome": ("结果", "Outcome"),
}

# The audit trail's events, as the admin page names them.
EVENT_LABELS: dict[str, tuple[str, str]] = {
    events.SIGN_IN: ("登录", "Sign-in"),
    events.SIGN_IN_FAILED: ("登录失败", "Sign-in failed"),
    events.SIGN_IN_LOCKED: ("账号锁定", "Account locked"),
    events.SIGN_OUT: ("退出登录", "Sign-out"),
    events.SESSION_TIMEOUT: ("会话结束（超时或停用）", "Session ended (idle or disabled)"),
    events.ACCESS_REFUSED: ("拒绝访问", "Access refused"),
    events.IMPORT_PREVIEW: ("导入预览", "Import preview"),
    events.IMPORT_CONFIRM: ("确认导入", "Import confirmed"),
    events.IMPORT_CANCEL: ("取消导入", "Import cancelled"),
    events.PUBLISH: ("发布", "Publish"),
    events.RESTORE: ("恢复快照", "Snapshot restored"),
    events.DOWNLOAD: ("下载", "Download"),
    events.REPORT: ("报告", "Report"),
    events.DRILLDOWN: ("查看记录明细", "Records viewed"),
    events.ACCOUNT_ADD: ("新增账号", "Account added"),
    events.ACCOUNT_DISABLE: ("停用账号", "Account disabled"),
    events.ACCOUNT_ENABLE: ("启用账号", "Account enabled"),
    events.ACCOUNT_RESET: ("重置密码", "Password reset"),
    events.ACCOUNT_ROLE: ("修改角色", "Role changed"),
    events.ACCOUNT_SUBDISTRICT: ("修改街道范围", "Subdistrict changed"),
    events.PASSWORD_CHANGE: ("修改密码", "Password changed"),
    events.CLI_BUILD: ("命令行构建", "CLI build"),
    events.CLI_ROLLBACK: ("命令行回滚", "CLI rollback"),
    events.CLI_EXPORT: ("命令行导出", "CLI export"),
    events.CLI_BACKUP: ("命令行备份", "CLI backup"),
    events.AUDIT_EXPORT: ("导出审计记录", "Audit trail exported"),
}


OUTCOME_LABELS: dict[str, tuple[str, str]] = {
    "ok": ("成功", "ok"), "failed": ("失败", "failed"), "refused": ("拒绝", "refused"),
    "bad_password": ("密码错误", "wrong password"), "unknown": ("无此用户", "unknown user"),
    "locked": ("已锁定", "locked"), "disabled": ("已停用", "disabled"), "timeout": ("超时", "idle timeout"),
    "no_account": ("无对应账号", "no account"), "policy": ("不符合密码规则", "against the password rules"),
}


def event_label(action: str, lang: str) -> str:
    labels = EVENT_LABELS.get(action)
    return labels[1 if lang == "en" else 0] if labels else action


def outcome_label(outcome: str, lang: str) -> str:
    labels = OUTCOME_LABELS.get(outcome)
    return labels[1 if lang == "en" else 0] if labels else outcome


def t(key: str, lang: str, **values: object) -> str:
    zh, en = _TEXT[key]
    text = en if lang == "en" else zh
    return text.format(**values) if values else text


def _lang(lang: str | None) -> str:
    lang = lang or st.session_state.get("lang")   # the language switch's widget key (cockpit.ui)
    return "en" if lang == "en" else "zh"


# --- the security core ----------------------------------------------------------------------------

def accounts() -> Accounts:
    return web.accounts()


def audit_trail() -> AuditLog:
    return audit_log(db_path())


def client_address() -> str:
    """The browser's address as Streamlit sees it. None from Streamlit means a loopback connection;
    behind a reverse proxy on the same host the server takes X-Forwarded-For from it (uvicorn)."""
    address = st.context.ip_address
    return address if isinstance(address, str) and address else "127.0.0.1"


def _cookie(name: str) -> str | None:
    """A cookie the browser sent when this session connected (text only: AppTest has none)."""
    value = st.context.cookies.get(name)
    return value if isinstance(value, str) and value else None


def record(action: str, *, user: User | None = None, name: str | None = None, object: str = "",
           detail: dict | None = None, outcome: str = "ok") -> dict:
    """One audit row for this browser: `user` (default: the signed-in one) or, before sign-in, `name`."""
    user = user or current_user()
    return audit_trail().record(action, user=user.name if user else (name or ""), role=user.role if user else None,
                                client=client_address(), object=object, detail=detail, outcome=outcome)


# --- where the browser is, and sending it elsewhere -----------------------------------------------

def here() -> str:
    """This page's local path with its query (the filters), to come back to after a redirect."""
    path = urlsplit(st.context.url or "").path or "/"
    query = urlencode([(key, value) for key in st.query_params for value in st.query_params.get_all(key)])
    return web.local_path(f"{path}?{query}" if query else path)


def _send_browser(url: str) -> None:
    """Navigate the browser to `url` (a path of this server): the message st.login uses."""
    message = ForwardMsg()
    message.auth_redirect.url = url
    get_script_run_ctx().enqueue(message)


def _hand_over(token: str, lang: str) -> None:
    """Give the new session to the browser: a one-time ticket the cookie route redeems."""
    st.session_state[TOKEN] = token
    ticket = accounts().issue_ticket(token)
    st.info(t("signing_in", lang), icon=":material/login:")
    _send_browser(f"{web.base_path()}{web.SIGNIN_PATH}?ticket={quote(ticket)}&next={quote(here())}")
    st.stop()


# --- the session of this run ----------------------------------------------------------------------

def current_user() -> User | None:
    """The user the gate admitted in this run (None before sign-in)."""
    return st.session_state.get(USER)


def can(action: str) -> bool:
    """May the signed-in user do `action` (security.roles)? False before sign-in."""
    user = current_user()
    return user is not None and role_can(user.role, action)


def _check_session() -> User | None:
    """Check this browser's session and restart its idle clock; audit a session that just ended."""
    token = st.session_state.get(TOKEN) or _cookie(web.SESSION_COOKIE)
    if not token:
        return None
    check = accounts().check_session(token)
    if check.outcome == "ok":
        st.session_state[TOKEN] = token
        return check.user
    st.session_state.pop(TOKEN, None)
    if check.outcome in ("timeout", "disabled"):   # reported once: the check closed the session
        record(events.SESSION_TIMEOUT, user=check.user, object="session", outcome=check.outcome)
        st.session_state[NOTICE] = check.outcome
    return None


def gate(language_switch: Callable[[Any], str]) -> str:
    """First thing of every run: admits a signed-in user and returns the language; otherwise shows the
    sign-in (or new-password) form and stops the run. `language_switch(where)` draws the language
    choice there (cockpit.ui): in the sidebar once signed in, above the form before, so a form has no
    sidebar (which would cover it on a phone)."""
    st.session_state.pop(USER, None)
    user = _check_session() or _single_sign_on(language_switch)
    if user is None:
        _sign_in_page(language_switch)
        st.stop()
    if user.must_change:
        _password_page(user, language_switch)
        st.stop()
    lang = language_switch(st.sidebar)
    st.session_state[USER] = user
    _sidebar(user, lang)
    return lang


def audited_download(make: Callable[[], bytes | str], what: str, detail: dict, *,
                     event: str = events.DOWNLOAD) -> Callable[[], bytes | str]:
    """`make` for a download button's deferred data, writing an audit row (who, from where, what,
    with which filters) when the browser asks for the file. Streamlit runs it outside the page's run,
    so the user and address are taken now."""
    user, client, trail = current_user(), client_address(), audit_trail()

    def download() -> bytes | str:
        try:
            data = make()
        except Exception:
            trail.record(event, user=user.name, role=user.role, client=client, object=what, detail=detail,
                         outcome="failed")
            raise
        trail.record(event, user=user.name, role=user.role, client=client, object=what, detail=detail)
        return data

    return download


def require(action: str, lang: str | None = None) -> User:
    """At the top of a page or before an action: the user, if their role may do `action`; otherwise a
    refusal on the page, an audit row, and the run stops (nothing after it is run or sent)."""
    lang = _lang(lang)
    user = current_user()
    if user is not None and role_can(user.role, action):
        return user
    role = user.role_label(lang) if user else "—"
    st.error(t("refused", lang, role=role, what=t(f"action_{action}", lang)), icon=":material/block:")
    record(events.ACCESS_REFUSED, user=user, object=urlsplit(here()).path, detail={"action": action},
           outcome="refused")
    st.stop()


def scope_of(user: User | None = None) -> str | None:
    """The subdistrict an account is limited to; None = every subdistrict (a district account)."""
    user = user or current_user()
    return user.subdistrict if user is not None else None


def require_subdistrict(subdistrict: str | None, lang: str | None = None, *, what: str = "") -> User:
    """Before showing or changing the data of `subdistrict` (None = the whole district): the user, if
    their account may; otherwise a refusal on the page, an audit row, and the run stops."""
    lang = _lang(lang)
    user = current_user()
    if user is not None and (user.subdistrict is None or subdistrict == user.subdistrict):
        return user
    scope = markdown_literal(user.subdistrict) if user else "—"
    st.error(t("refused_subdistrict", lang, scope=scope,
               what=markdown_literal(subdistrict) if subdistrict else t("refused_district_wide", lang)),
             icon=":material/block:")
    record(events.ACCESS_REFUSED, user=user, object=what or urlsplit(here()).path, outcome="refused",
           detail={"scope": user.subdistrict if user else None, "requested": subdistrict})
    st.stop()


def require_district(lang: str | None = None) -> User:
    """After `require`, on a page that shows every subdistrict's figures (街道对比): an account limited to
    one subdistrict (`User.subdistrict`) is refused on the page, audited, and the run stops."""
    lang = _lang(lang)
    user = current_user()
    if user is not None and user.subdistrict is None:
        return user
    st.error(t("refused_scope", lang, subdistrict=markdown_literal(user.subdistrict if user else "—")),
             icon=":material/block:")
    record(events.ACCESS_REFUSED, user=user, object=urlsplit(here()).path,
           detail={"action": "view", "scope": user.subdistrict if user else None, "needs": "district"},
           outcome="refused")
    st.stop()


# --- the forms ------------------------------------------------------------------------------------

def _form_page(language_switch: Callable[[Any], str]) -> tuple[Any, str]:
    """The middle of the page for a form, the language choice at its top; (that column, language)."""
    column = st.columns([1, 2, 1])[1]
    return column, language_switch(column)


def _sign_in_page(language_switch: Callable[[Any], str]) -> None:
    column, lang = _form_page(language_switch)
    with column:
        st.header(t("app_title", lang))
        notice = st.session_state.pop(NOTICE, None)
        if notice:
            st.warning(t(f"notice_{notice}", lang), icon=":material/schedule:")
        st.subheader(t("sign_in_title", lang))
        st.caption(t("sign_in_intro", lang))
        with st.form("sign_in", enter_to_submit=True):
            name = st.text_input(t("username", lang), autocomplete="username", max_chars=64)
            password = st.text_input(t("password", lang), type="password", autocomplete="current-password",
                                     max_chars=256)
            submitted = st.form_submit_button(t("sign_in", lang), type="primary", width="stretch")
        if submitted:
            _password_sign_in(name.strip(), password, lang)
        if sso_configured():
            st.caption(t("sso_divider", lang))
            if st.button(t("sso_button", lang), icon=":material/badge:", width="stretch"):
                try:
                    st.login()
                except StreamlitAuthError:
                    log.exception("single sign-on is misconfigured")
                    st.error(t("sso_broken", lang))


def _password_sign_in(name: str, password: str, lang: str) -> None:
    if not name or not password:
        st.error(t("missing_fields", lang))
        return
    result = accounts().authenticate(name, password)
    if result.outcome == "ok":
        token = accounts().open_session(result.user.name, client_address(), "password")
        record(events.SIGN_IN, user=result.user, object="password")
        _hand_over(token, lang)
    elif result.outcome == "locked":
        record(events.SIGN_IN_LOCKED, name=name, object="password", outcome="locked",
               detail={"locked_until": result.locked_until.isoformat()})
        until = result.locked_until.astimezone().strftime("%H:%M")
        st.error(t("locked", lang, until=until), icon=":material/lock:")
    elif result.outcome == "disabled":
        record(events.SIGN_IN_FAILED, name=name, object="password", outcome="disabled")
        st.error(t("disabled", lang))
    else:   # bad_password, unknown: the same words, so the form does not tell which names exist
        record(events.SIGN_IN_FAILED, name=name, object="password", outcome=result.outcome)
        st.error(t("bad_credentials", lang))


def _password_page(user: User, language_switch: Callable[[Any], str]) -> None:
    column, lang = _form_page(language_switch)
    with column:
        st.header(t("change_title", lang))
        st.caption(t("change_intro", lang))
        st.caption(t("change_rules", lang))
        with st.form("new_password"):
            old = st.text_input(t("old_password", lang), type="password", autocomplete="current-password")
            new = st.text_input(t("new_password", lang), type="password", autocomplete="new-password")
            again = st.text_input(t("repeat_password", lang), type="password", autocomplete="new-password")
            submitted = st.form_submit_button(t("change_submit", lang), type="primary", width="stretch")
        if submitted:
            _change_password(user, old, new, again, lang)
        st.session_state[USER] = user    # for the sign-out only; no page is run
        _sign_out_button(lang)


def _change_password(user: User, old: str, new: str, again: str, lang: str) -> None:
    if new != again:
        st.error(t("change_mismatch", lang))
        return
    try:
        result = accounts().change_password(user.name, old, new, keep_session=st.session_state.get(TOKEN))
    except PasswordPolicyError as exc:
        record(events.PASSWORD_CHANGE, user=user, outcome="policy", detail={"codes": list(exc.codes)})
        st.error(exc.message(lang))
        return
    if result.outcome == "ok":
        record(events.PASSWORD_CHANGE, user=user)
        st.toast(t("change_done", lang), icon=":material/check:")
        st.rerun()
    elif result.outcome == "locked":
        record(events.SIGN_IN_LOCKED, user=user, object="password_change", outcome="locked")
        accounts().close_session(st.session_state.pop(TOKEN, None))
        st.session_state[NOTICE] = "timeout"
        st.rerun()
    else:
        record(events.PASSWORD_CHANGE, user=user, outcome=result.outcome)
        st.error(t("change_bad_old", lang))


def _sidebar(user: User, lang: str) -> None:
    with st.sidebar:
        st.caption(t("signed_in_as", lang, name=markdown_literal(user.name), role=user.role_label(lang)))
        _sign_out_button(lang)


def _sign_out_button(lang: str) -> None:
    if st.button(t("sign_out", lang), icon=":material/logout:", key="_auth_sign_out"):
        sign_out()


def sign_out() -> None:
    """Close the session, audit it, and send the browser to clear the cookie (and the OIDC identity)."""
    user = current_user()
    accounts().close_session(st.session_state.pop(TOKEN, None))
    record(events.SIGN_OUT, user=user, object="session")
    st.session_state.pop(USER, None)
    _send_browser(f"{web.base_path()}{web.SIGNOUT_PATH}?next={quote(here())}")
    st.stop()


# --- single sign-on (st.login, OIDC) --------------------------------------------------------------

def sso_configured() -> bool:
    """An `[auth]` section in Streamlit's secrets (redirect_uri, cookie_secret, provider)."""
    try:
        return "auth" in st.secrets
    except FileNotFoundError:
        return False


def _identity_is_fresh() -> bool:
    """Did the provider hand this identity over moments ago (the cookie's signature carries its time)?"""
    raw = _cookie(web.IDENTITY_COOKIE)
    if not raw:
        return False
    return decode_signed_value(get_cookie_secret(), web.IDENTITY_COOKIE, raw,
                               max_age_days=SSO_FRESH_SECONDS / 86400) is not None


def _single_sign_on(language_switch: Callable[[Any], str]) -> User | None:
    """A signed-in OIDC identity: its local account (by subject, then email) gets a session when the
    identity is fresh; an identity without an enabled account sees only a page to ask the admin."""
    if not sso_configured() or not st.user.get("is_logged_in"):
        return None
    email, subject = st.user.get("email"), st.user.get("sub")
    who = email or subject or "?"
    user = accounts().find_by_identity(email, subject)
    if user is None or user.disabled:
        outcome = "no_account" if user is None else "disabled"
        if st.session_state.get(REFUSED_SSO) != who:
            st.session_state[REFUSED_SSO] = who
            record(events.SIGN_IN_FAILED, name=who, object="oidc", outcome=outcome,
                   detail={"email": email or "", "subject": subject or ""})
        _no_account_page(who, outcome, language_switch)
        st.stop()
    if not _identity_is_fresh():
        return None   # the sign-in page offers single sign-on again
    token = accounts().open_session(user.name, client_address(), "oidc")
    record(events.SIGN_IN, user=user, object="oidc", detail={"email": email or "", "subject": subject or ""})
    _hand_over(token, _lang(None))


def _no_account_page(who: str, outcome: str, language_switch: Callable[[Any], str]) -> None:
    column, lang = _form_page(language_switch)
    with column:
        st.header(t("app_title", lang))
        st.warning(t("sso_no_account" if outcome == "no_account" else "sso_disabled", lang),
                   icon=":material/person_off:")
        st.text(t("sso_identity", lang, who=who))   # the provider's text: plain, never Markdown
        if st.button(t("sso_leave", lang), icon=":material/logout:"):
            _send_browser(f"{web.base_path()}{web.SIGNOUT_PATH}")
            st.stop()

