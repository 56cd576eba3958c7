"""security.accounts: password policy, lockout, sessions, tickets (time from an injected clock)."""
from __future__ import annotations

import hashlib
import os
import stat
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest
from argon2 import PasswordHasher

from security import accounts as accounts_module
from security.accounts import (IDLE_TIMEOUT_MINUTES, LOCKOUT_MINUTES, LOCKOUT_THRESHOLD, MIN_PASSWORD_LENGTH,
                               AccountError, Accounts, PasswordPolicyError, accounts_path, generate_password,
                               password_problems)

GOOD = "Guangming-2024"
OTHER = "Xinmima#2025a"
START = datetime(2024, 5, 1, 1, 0, tzinfo=timezone.utc)


class Clock:
    def __init__(self):
        self.now = START

    def __call__(self) -> datetime:
        return self.now

    def advance(self, **delta) -> None:
        self.now += timedelta(**delta)


@pytest.fixture(autouse=True)
def quick_hashes(monkeypatch):
    """argon2id with small costs: the logic is the same, the suite does not spend seconds per hash."""
    monkeypatch.setattr(accounts_module, "_hasher", PasswordHasher(time_cost=1, memory_cost=1024, parallelism=1))
    accounts_module._dummy_hash.cache_clear()
    yield
    accounts_module._dummy_hash.cache_clear()


@pytest.fixture
def clock() -> Clock:
    return Clock()


@pytest.fixture
def store(tmp_path, clock) -> Accounts:
    accounts = Accounts(tmp_path / "accounts.sqlite", clock=clock)
    accounts.add("admin", "admin", "Admin-pass-2024")
    accounts.add("li", "analyst", GOOD)
    return accounts


def stored_bytes(store: Accounts) -> bytes:
    """Everything on disk: the database and its write-ahead log, if any is left."""
    return b"".join(p.read_bytes() for p in sorted(store.path.parent.glob(store.path.name + "*")))


def test_constants_of_the_policy():
    assert (LOCKOUT_THRESHOLD, LOCKOUT_MINUTES, IDLE_TIMEOUT_MINUTES, MIN_PASSWORD_LENGTH) == (5, 15, 30, 10)


@pytest.mark.parametrize("password, problems", [
    ("Abcdef12!", ["too_short"]),            # 9 characters
    ("Abcdef123!", []),                      # 10 characters, 4 kinds
    ("abcdefghij", ["too_few_kinds"]),       # one kind
    ("abcdefgh12", ["too_few_kinds"]),       # two kinds
    ("abcdefgh1!", []),                      # lowercase, digit, other
    ("ABCDEFGH1!", []),                      # uppercase, digit, other
    ("密码密码密码密码ab1", []),              # CJK counts as "other"
    ("Wangwu1234", ["equals_name"]),         # the user name, whatever the case
    ("short", ["too_short", "too_few_kinds"]),
])
def test_password_policy(password, problems):
    assert password_problems(password, "wangwu1234") == problems


def test_a_new_password_must_differ_from_the_old():
    assert password_problems(GOOD, "li", old=GOOD) == ["same_as_old"]


def test_policy_messages_in_both_languages():
    error = PasswordPolicyError(["too_short", "equals_name"])
    assert str(error) == "密码至少 10 个字符；密码不能与用户名相同"
    assert error.message("en") == "The password must have at least 10 characters; The password must not be the user name"


def test_generated_passwords_satisfy_the_policy():
    for _ in range(20):
        password = generate_password("admin")
        assert len(password) == 16 and password_problems(password, "admin") == []


def test_the_real_hasher_is_argon2id_with_rfc_9106_costs(tmp_path, monkeypatch):
    monkeypatch.undo()  # the module's own hasher
    accounts = Accounts(tmp_path / "a.sqlite")
    accounts.add("li", "analyst", GOOD)
    with accounts._connect() as con:
        stored = con.execute("SELECT password_hash FROM users").fetchone()[0]
    assert stored.startswith("$argon2id$v=19$m=65536,t=3,p=4$")
    assert accounts.authenticate("li", GOOD).outcome == "ok"


def test_the_file_is_private_and_holds_no_password(tmp_path):
    path = tmp_path / "sub" / "accounts.sqlite"
    Accounts(path).add("li", "analyst", GOOD)
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert GOOD.encode() not in path.read_bytes()


def test_accounts_path_beside_the_database_or_from_the_environment(tmp_path, monkeypatch):
    monkeypatch.delenv("COCKPIT_ACCOUNTS", raising=False)
    assert accounts_path(tmp_path / "w.duckdb") == tmp_path / "accounts.sqlite"
    monkeypatch.setenv("COCKPIT_ACCOUNTS", str(tmp_path / "elsewhere.sqlite"))
    assert accounts_path(tmp_path / "w.duckdb") == tmp_path / "elsewhere.sqlite"


def test_add_refuses_a_weak_password_a_duplicate_a_bad_role_and_a_bad_name(store):
    with pytest.raises(PasswordPolicyError) as caught:
        store.add("zhao", "analyst", "zhao")
    assert caught.value.codes == ("too_short", "too_few_kinds", "equals_name")
    with pytest.raises(AccountError, match="用户“LI”已存在"):
        store.add("LI", "analyst", GOOD)  # names are case-insensitive
    with pytest.raises(AccountError, match="未知的角色“boss”"):
        store.add("zhao", "boss", GOOD)
    with pytest.raises(AccountError, match="用户名“a b”无效"):
        store.add("a b", "analyst", GOOD)
    assert [u.name for u in store.list_users()] == ["admin", "li"]


def test_a_given_password_signs_in_as_is_a_generated_one_must_be_changed(store):
    assert store.get("li").must_change is False
    password = store.add("zhao", "evaluator", email="Zhao@Example.CN", subdistrict="南星街道")
    zhao = store.get("zhao")
    assert (zhao.role, zhao.must_change, zhao.email, zhao.subdistrict) == ("evaluator", True, "zhao@example.cn", "南星街道")
    result = store.authenticate("zhao", password)
    assert result.outcome == "ok" and result.user.must_change is True


def test_initial_admin_only_on_an_empty_install(tmp_path, clock):
    accounts = Accounts(tmp_path / "a.sqlite", clock=clock)
    password = accounts.ensure_initial_admin()
    assert password_problems(password, "admin") == []
    assert accounts.ensure_initial_admin() is None
    [admin] = accounts.list_users()
    assert (admin.name, admin.role, admin.must_change) == ("admin", "admin", True)
    assert accounts.authenticate("admin", password).outcome == "ok"
    assert accounts.get("admin").last_sign_in == START


def test_five_failures_lock_for_fifteen_minutes(store, clock):
    outcomes = [store.authenticate("li", "wrong").outcome for _ in range(LOCKOUT_THRESHOLD)]
    assert outcomes == ["bad_password"] * 4 + ["locked"]
    assert store.get("li").locked_until == START + timedelta(minutes=15)
    clock.advance(minutes=14, seconds=59)
    locked = store.authenticate("li", GOOD)  # even the right password
    assert (locked.outcome, locked.user, locked.locked_until) == ("locked", None, START + timedelta(minutes=15))
    clock.advance(seconds=1)
    assert store.authenticate("li", GOOD).outcome == "ok"
    assert store.get("li").locked_until is None


def test_the_count_starts_again_after_a_lock_and_after_a_success(store, clock):
    for _ in range(LOCKOUT_THRESHOLD):
        store.authenticate("li", "wrong")
    clock.advance(minutes=LOCKOUT_MINUTES)
    assert [store.authenticate("li", "wrong").outcome for _ in range(4)] == ["bad_password"] * 4
    assert store.authenticate("li", GOOD).outcome == "ok"
    assert [store.authenticate("li", "wrong").outcome for _ in range(4)] == ["bad_password"] * 4


def test_an_unknown_user_costs_one_hash_of_the_same_kind(store, monkeypatch):
    verified = []
    real = accounts_module._verify
    monkeypatch.setattr(accounts_module, "_verify", lambda h, p: verified.append(h) or real(h, p))
    assert store.authenticate("nobody", GOOD) == accounts_module.AuthResult("unknown")
    assert store.authenticate("bad name!", GOOD).outcome == "unknown"
    store.authenticate("li", "wrong")
    params = [h.split("$")[1:4] for h in verified]
    assert params == [["argon2id", "v=19", "m=1024,t=1,p=1"]] * 3


def test_a_disabled_account_says_so_only_to_the_right_password(store):
    store.disable("li")
    assert store.authenticate("li", GOOD).outcome == "disabled"
    assert store.authenticate("li", "wrong").outcome == "bad_password"
    store.enable("li")
    assert store.authenticate("li", GOOD).outcome == "ok"


def test_change_password(store):
    with pytest.raises(PasswordPolicyError) as caught:
        store.change_password("li", GOOD, "weak")
    assert caught.value.codes == ("too_short", "too_few_kinds")
    assert store.change_password("li", "Wrong-old-2024", OTHER).outcome == "bad_password"
    # "same as old" is only said once the old password is proven, so it cannot test guesses.
    assert store.change_password("li", "Wrong-old-2024", "Wrong-old-2024").outcome == "bad_password"
    with pytest.raises(PasswordPolicyError) as caught:
        store.change_password("li", GOOD, GOOD)
    assert caught.value.codes == ("same_as_old",)
    temporary = store.reset("li")
    keep, other = store.open_session("li", "10.0.0.2"), store.open_session("li", "10.0.0.3")
    result = store.change_password("li", temporary, OTHER, keep_session=keep)
    assert result.outcome == "ok" and result.user.must_change is False
    assert store.authenticate("li", temporary).outcome == "bad_password"
    assert store.authenticate("li", OTHER).outcome == "ok"
    assert store.touch_session(keep).name == "li"
    assert store.touch_session(other) is None


def test_sessions_end_after_thirty_idle_minutes(store, clock):
    token = store.open_session("li", "10.0.0.2")
    clock.advance(minutes=20)
    assert store.touch_session(token).name == "li"
    clock.advance(minutes=IDLE_TIMEOUT_MINUTES)  # 30 minutes after the last touch: still in time
    assert store.touch_session(token).name == "li"
    clock.advance(minutes=IDLE_TIMEOUT_MINUTES, seconds=1)
    timed_out = store.check_session(token)
    assert (timed_out.outcome, timed_out.user.name) == ("timeout", "li")
    assert store.check_session(token).outcome == "unknown"  # reported once, then gone


def test_only_a_hash_of_the_token_is_stored(store):
    token = store.open_session("li", "10.0.0.2", kind="password")
    data = stored_bytes(store)
    assert token.encode() not in data
    assert hashlib.sha256(token.encode()).hexdigest().encode() in data


def test_sign_out_closes_the_session(store):
    token = store.open_session("li")
    assert store.close_session(token) == "li"
    assert store.touch_session(token) is None
    assert store.close_session(token) is None
    assert store.touch_session("made-up") is None and store.touch_session(None) is None


def test_disable_reset_and_role_change_close_every_session_of_the_user(store):
    mine, theirs = store.open_session("li"), store.open_session("admin")
    store.disable("li")
    assert store.touch_session(mine) is None
    with pytest.raises(AccountError, match="已停用"):
        store.open_session("li")
    store.enable("li")
    mine = store.open_session("li")
    store.reset("li")
    assert store.touch_session(mine) is None
    mine = store.open_session("li")
    assert store.set_role("li", "evaluator") == "analyst"
    assert store.touch_session(mine) is None
    assert store.touch_session(theirs).name == "admin"
    assert store.get("li").role == "evaluator"


def test_the_last_enabled_admin_cannot_be_disabled_or_demoted(store):
    with pytest.raises(AccountError, match="最后一个启用的管理员"):
        store.disable("admin")
    with pytest.raises(AccountError, match="最后一个启用的管理员"):
        store.set_role("admin", "analyst")
    store.set_role("li", "admin")
    store.disable("admin")
    assert store.get("admin").disabled is True


def test_unknown_users_in_account_changes(store):
    for change in (store.disable, store.enable, store.reset):
        with pytest.raises(AccountError, match="没有用户“ghost”"):
            change("ghost")
    with pytest.raises(AccountError, match="没有用户“ghost”"):
        store.set_role("ghost", "analyst")


def test_a_ticket_hands_over_the_token_once(store):
    token = store.open_session("li")
    ticket = store.issue_ticket(token)
    assert ticket != token
    assert store.redeem_ticket(ticket) == token
    assert store.redeem_ticket(ticket) is None
    assert store.redeem_ticket("made-up") is None


def test_a_ticket_expires_after_sixty_seconds(store, clock):
    token = store.open_session("li")
    in_time, late = store.issue_ticket(token), store.issue_ticket(token)
    clock.advance(seconds=60)
    assert store.redeem_ticket(in_time) == token
    clock.advance(seconds=1)
    assert store.redeem_ticket(late) is None


def test_a_ticket_dies_with_its_session_and_needs_one(store):
    token = store.open_session("li")
    ticket = store.issue_ticket(token)
    store.close_session(token)
    assert store.redeem_ticket(ticket) is None
    with pytest.raises(AccountError, match="会话不存在或已结束"):
        store.issue_ticket(token)


def test_the_ticket_and_its_token_are_not_readable_from_the_file(store):
    token = store.open_session("li")
    ticket = store.issue_ticket(token)
    data = stored_bytes(store)
    assert ticket.encode() not in data and token.encode() not in data
    assert hashlib.sha256(ticket.encode()).hexdigest().encode() in data


def test_single_sign_on_identity_by_subject_then_email(store):
    store.add("wang", "leadership", OTHER, email="Wang@Gov.CN", subject="sub-123")
    store.add("zhou", "evaluator", OTHER, email="zhou@gov.cn")
    assert store.find_by_identity("zhou@gov.cn", "sub-123").name == "wang"
    assert store.find_by_identity("WANG@gov.cn", None).name == "wang"
    assert store.find_by_identity("zhou@gov.cn", "sub-999").name == "zhou"
    assert store.find_by_identity("nobody@gov.cn", "sub-999") is None
    with pytest.raises(AccountError, match="邮箱“zhou@gov.cn”已属于另一个账户"):
        store.add("zhou2", "evaluator", OTHER, email="ZHOU@gov.cn")
    with pytest.raises(AccountError, match="单点登录标识“sub-123”已属于另一个账户"):
        store.add("zhou3", "evaluator", OTHER, subject="sub-123")


def test_opening_an_existing_accounts_file_does_not_open_it_outside_sqlite(tmp_path, monkeypatch):
    # Closing a descriptor of the file would release the SQLite locks other threads of the process hold.
    path = tmp_path / "accounts.sqlite"
    Accounts(path)
    opened = []
    real_open = os.open

    def recording_open(file, *args, **kwargs):
        descriptor = real_open(file, *args, **kwargs)   # raises, opening nothing, when O_EXCL finds the file
        opened.append(Path(file))
        return descriptor

    monkeypatch.setattr(os, "open", recording_open)
    Accounts(path)
    assert path not in opened
