"""Shared fixtures. Each test gets its own database; the sample build is made once per session."""
from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

ROOT = Path(__file__).resolve().parent.parent
SAMPLE_DIR = ROOT / "data" / "sample"


@pytest.fixture(scope="session")
def sample_db(tmp_path_factory) -> Path:
    """The bundled sample data built into a fresh database file (read it, do not write it)."""
    from etl.build import build

    db = tmp_path_factory.mktemp("sample") / "warehouse.duckdb"
    build(SAMPLE_DIR, db)
    return db


@pytest.fixture
def live(sample_db, tmp_path, monkeypatch) -> Path:
    """A copy of the sample database that the app serves (COCKPIT_DB) and a test may import into.
    Modules whose `live` is a tiny literal install define their own."""
    db = tmp_path / "warehouse.duckdb"
    shutil.copyfile(sample_db, db)
    monkeypatch.setenv("COCKPIT_DB", str(db))
    return db


@pytest.fixture
def app_accounts(tmp_path, monkeypatch) -> Path:
    """This test's accounts and audit files for the app (COCKPIT_ACCOUNTS, COCKPIT_AUDIT in tmp_path)."""
    monkeypatch.setenv("COCKPIT_ACCOUNTS", str(tmp_path / "accounts.sqlite"))
    monkeypatch.setenv("COCKPIT_AUDIT", str(tmp_path / "audit.jsonl"))
    return tmp_path / "accounts.sqlite"


@pytest.fixture(autouse=True)
def signed_in_dashboard(monkeypatch, tmp_path_factory):
    """An AppTest of dashboard.py starts signed in as an administrator (tests/signin.py): a real
    session in an accounts file of its own, with the audit trail beside it (COCKPIT_ACCOUNTS,
    COCKPIT_AUDIT), unless the test named those files itself. Sign-in tests build theirs otherwise."""
    from signin import sign_in

    original = AppTest.from_file.__func__

    def from_file(cls, script_path, *args, **kwargs) -> AppTest:
        at = original(cls, script_path, *args, **kwargs)
        if Path(script_path).name == "dashboard.py":
            if "COCKPIT_ACCOUNTS" not in os.environ:
                folder = tmp_path_factory.mktemp("accounts")
                monkeypatch.setenv("COCKPIT_ACCOUNTS", str(folder / "accounts.sqlite"))
                monkeypatch.setenv("COCKPIT_AUDIT", str(folder / "audit.jsonl"))
            sign_in(at, "admin")
        return at

    monkeypatch.setattr(AppTest, "from_file", classmethod(from_file))


@pytest.fixture(scope="module")
def browser():
    """Debian's Chromium under Playwright, one per test module (`playwright install` cannot download here)."""
    from playwright.sync_api import sync_playwright

    from appserver import CHROMIUM, CHROMIUM_ARGS
    with sync_playwright() as p:
        chromium = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()
