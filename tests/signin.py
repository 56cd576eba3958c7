"""Signed-in users for tests: real accounts and server-side sessions, never a way around the gate.

`sign_in(at, role)` adds a user of `role` to the accounts file COCKPIT_ACCOUNTS names and puts a new
session of theirs into the AppTest's session_state, where the sign-in form leaves it. Browser tests
use `add_user` and type the password into the form.
"""
from __future__ import annotations

import os

from streamlit.testing.v1 import AppTest

from cockpit import auth
from security.accounts import Accounts

PASSWORD = "Test-password-1"


def accounts() -> Accounts:
    return Accounts(os.environ["COCKPIT_ACCOUNTS"])


def add_user(role: str, name: str | None = None, **identity: str) -> str:
    """A user of `role` (name `test_<role>` unless given) with PASSWORD; returns the name."""
    name = name or f"test_{role}"
    if accounts().get(name) is None:
        accounts().add(name, role, PASSWORD, **identity)
    return name


def sign_in(at: AppTest, role: str = "admin") -> AppTest:
    at.session_state[auth.TOKEN] = accounts().open_session(add_user(role), "127.0.0.1", "password")
    return at
