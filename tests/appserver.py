"""The real app served for browser tests: `python -m cockpit.serve` on a free loopback port, with a
test user of every role in its own accounts file; `sign_in` signs a browser page in through the form."""
from __future__ import annotations

import contextlib
import os
import re
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path
from typing import Iterator

from playwright.sync_api import Page, expect

from security.accounts import Accounts
from security.roles import ROLES

ROOT = Path(__file__).resolve().parent.parent
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync"]
PASSWORD = "Test-password-1"    # of the users `serve` adds: test_leadership, test_analyst, test_evaluator, test_admin


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@contextlib.contextmanager
def serve(db: Path, log: Path, *, env: dict[str, str] | None = None, secrets: Path | None = None) -> Iterator[str]:
    """Serve the app over `db` until the block ends; yields its base URL. Output goes to `log`.

    `env` adds variables; the accounts and audit files (COCKPIT_ACCOUNTS, COCKPIT_AUDIT) are beside
    `log` unless it names them, and hold a user `test_<role>` of every role with PASSWORD.
    `secrets` is the Streamlit secrets file (e.g. tests/oidc_mock.write_secrets), else an empty one,
    so a developer's own .streamlit/secrets.toml never changes a test.
    """
    port = free_port()
    url = f"http://127.0.0.1:{port}"
    env = {"COCKPIT_ACCOUNTS": str(log.with_name("accounts.sqlite")), "COCKPIT_AUDIT": str(log.with_name("audit.jsonl")),
           **(env or {})}
    accounts = Accounts(env["COCKPIT_ACCOUNTS"])
    for role in ROLES:
        if accounts.get(f"test_{role}") is None:
            accounts.add(f"test_{role}", role, PASSWORD)
    if secrets is None:
        secrets = log.with_name(log.stem + "_secrets.toml")
        secrets.write_text("")
    with open(log, "w") as out:
        proc = subprocess.Popen(
            [sys.executable, "-m", "cockpit.serve", "--server.address", "127.0.0.1", "--server.port", str(port),
             "--server.headless", "true", "--browser.gatherUsageStats", "false", "--secrets.files", str(secrets)],
            cwd=ROOT, env={**os.environ, "COCKPIT_DB": str(db), **env}, stdout=out, stderr=subprocess.STDOUT)
        try:
            deadline = time.monotonic() + 60
            while True:
                try:
                    with urllib.request.urlopen(f"{url}/_stcore/health", timeout=2) as response:
                        if response.status == 200:
                            break
                except OSError:
                    if time.monotonic() > deadline or proc.poll() is not None:
                        raise RuntimeError(f"streamlit did not start:\n{log.read_text()[-2000:]}")
                    time.sleep(0.3)
            yield url
        finally:
            proc.terminate()
            proc.wait(timeout=20)


def sign_in(page: Page, url: str, role: str = "admin", *, name: str | None = None, password: str = PASSWORD) -> Page:
    """Open `url` (a deep link is fine), sign in through the form, and wait until the app is back on
    that page signed in."""
    page.goto(url)
    page.get_by_label(re.compile("^(用户名|Username)$")).fill(name or f"test_{role}")
    page.get_by_label(re.compile("^(密码|Password)$")).fill(password)
    page.get_by_role("button", name=re.compile("^(登录|Sign in)$")).click()
    # (attached: on a phone the sidebar starts folded)
    expect(page.get_by_test_id("stSidebar").get_by_text(re.compile("^(已登录：|Signed in: )"))).to_be_attached(
        timeout=30_000)
    return page
