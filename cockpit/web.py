"""The ASGI app served by `python -m cockpit.serve`: Streamlit's own app (`st.App`) plus the two
HTTP routes that move the sign-in session into and out of an HttpOnly cookie.

Streamlit talks to the browser over a WebSocket, which cannot set a cookie. So after the sign-in form
has checked the password on the server (cockpit.auth), it opens a server-side session, issues a
one-time ticket and sends the browser to `/auth/session?ticket=…&next=…`; that route redeems the
ticket, sets the cookie and redirects back. A new Streamlit session (F5, a second tab) reads the
cookie from `st.context.cookies`. `/auth/signout` clears it. Streamlit's own `/auth/login`,
`/auth/logout` and `/oauth2callback` (st.login, OIDC) are left as they are.
"""
from __future__ import annotations

import threading
from pathlib import Path
from urllib.parse import urlsplit

from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import RedirectResponse
from starlette.routing import Route
from streamlit import config
from streamlit.starlette import App

from reporting.db import db_path
from security.accounts import Accounts, accounts_path
from security.audit import SIGN_IN_FAILED, audit_log

ENTRY = Path(__file__).resolve().parent.parent / "dashboard.py"
SESSION_COOKIE = "cockpit_session"
SIGNIN_PATH = "/auth/session"
SIGNOUT_PATH = "/auth/signout"
STREAMLIT_LOGOUT_PATH = "/auth/logout"      # st.logout's route: clears the OIDC identity cookie
IDENTITY_COOKIE = "_streamlit_user"         # Streamlit's signed OIDC identity cookie (st.login)


def base_path() -> str:
    """`server.baseUrlPath` as a path prefix: "" or "/cockpit"."""
    base = (config.get_option("server.baseUrlPath") or "").strip("/")
    return f"/{base}" if base else ""


def local_path(value: str | None) -> str:
    """`value` when it is a path on this server, else the app's root: `next` is never a way off-site.

    Refused: absolute URLs, scheme-relative `//host`, backslashes (browsers read `/\\host` as
    `//host`), control characters, and paths outside `server.baseUrlPath`.
    """
    root = base_path() + "/"
    if not value or not value.startswith("/") or value.startswith("//") or "\\" in value:
        return root
    if any(ord(ch) < 0x20 or ord(ch) == 0x7F for ch in value):
        return root
    parts = urlsplit(value)
    if parts.scheme or parts.netloc:
        return root
    if base_path() and not (parts.path == base_path() or parts.path.startswith(root)):
        return root
    return value


def _client(request: Request) -> str:
    return request.client.host if request.client else ""


def _redirect(location: str) -> RedirectResponse:
    response = RedirectResponse(location, status_code=303)
    # The ticket is in this URL: keep it out of caches and of the next page's Referer.
    response.headers["Cache-Control"] = "no-store"
    response.headers["Referrer-Policy"] = "no-referrer"
    return response


_accounts: dict[Path, Accounts] = {}
_accounts_lock = threading.Lock()


def accounts() -> Accounts:
    """The deployment's accounts file, opened once per process: `Accounts(path)` opens and closes
    the file, and in a process where another thread holds it open through SQLite that close drops
    SQLite's POSIX locks (a way to corrupt the database, see SQLite's "How To Corrupt")."""
    path = accounts_path(db_path())
    with _accounts_lock:
        if path not in _accounts:
            _accounts[path] = Accounts(path)
        return _accounts[path]


async def redeem(request: Request) -> RedirectResponse:
    """`/auth/session?ticket=…&next=…`: trade a one-time ticket for the session cookie."""
    ticket = request.query_params.get("ticket", "")
    token = await run_in_threadpool(accounts().redeem_ticket, ticket) if ticket else None
    response = _redirect(local_path(request.query_params.get("next")))
    if token is None:
        # Expired, reused or made up: no cookie. The app shows the sign-in form again.
        await run_in_threadpool(audit_log(db_path()).record, SIGN_IN_FAILED, user="", client=_client(request),
                                object="ticket", outcome="refused")
        return response
    response.set_cookie(SESSION_COOKIE, token, httponly=True, samesite="lax",
                        secure=request.url.scheme == "https", path=base_path() or "/")
    return response


async def sign_out(request: Request) -> RedirectResponse:
    """`/auth/signout?next=…`: close the session of the cookie (if still open) and clear it.

    An OIDC identity cookie goes too, through Streamlit's own logout route (which also ends the
    session at the identity provider when it offers that)."""
    token = request.cookies.get(SESSION_COOKIE)
    if token:
        await run_in_threadpool(accounts().close_session, token)
    if request.cookies.get(IDENTITY_COOKIE):
        response = _redirect(base_path() + STREAMLIT_LOGOUT_PATH)
    else:
        response = _redirect(local_path(request.query_params.get("next")))
    response.delete_cookie(SESSION_COOKIE, path=base_path() or "/", httponly=True, samesite="lax",
                           secure=request.url.scheme == "https")
    return response


def routes() -> list[Route]:
    base = base_path()
    return [Route(base + SIGNIN_PATH, redeem, methods=["GET"]),
            Route(base + SIGNOUT_PATH, sign_out, methods=["GET"])]


app = App(ENTRY, routes=routes())
