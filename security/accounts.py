"""Local accounts, sign-in, sessions and one-time tickets, in a SQLite file beside the warehouse.

Not in the warehouse: a publish or a rollback replaces that file and must not rewind accounts.
The file is created with mode 0600 (SQLite gives its -wal/-shm files the same mode), runs in WAL
mode with a busy timeout, and is opened per operation so any thread or process may use it.

- Passwords: argon2id (argon2-cffi's RFC 9106 low-memory profile); never stored or logged in clear.
  Policy: at least MIN_PASSWORD_LENGTH characters of at least 3 of 4 kinds (lowercase, uppercase,
  digits, other), not the user name, a new one not the old one. Generated passwords (initial admin,
  reset) satisfy it and must be changed at the next sign-in (`must_change`).
- Lockout: LOCKOUT_THRESHOLD consecutive failures lock the account for LOCKOUT_MINUTES (the failure
  that reaches the threshold already answers "locked"); a success resets the count. An unknown user
  costs the same hash time, so timing does not tell which names exist.
- Sessions: a random token for the browser; only its sha256 is stored. IDLE_TIMEOUT_MINUTES without
  a touch end it; sign-out closes it; disabling a user, resetting their password or changing their
  role or subdistrict closes all of theirs.
- Tickets: a one-time code (TICKET_SECONDS, single use) that hands a session token to an HTTP route
  which sets it as an HttpOnly cookie. Only the ticket's sha256 is stored, and the token with it is
  sealed by the ticket, so the file alone never yields a usable token.

Time comes from an injectable clock (`Accounts(path, clock=...)`), so tests need no sleeping.
"""
from __future__ import annotations

import hashlib
import os
import re
import secrets
import sqlite3
import stat
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone
from functools import cache
from pathlib import Path

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

from security.roles import ROLES, role_label

LOCKOUT_THRESHOLD = 5
LOCKOUT_MINUTES = 15
IDLE_TIMEOUT_MINUTES = 30
MIN_PASSWORD_LENGTH = 10
MIN_CHARACTER_KINDS = 3
TICKET_SECONDS = 60
GENERATED_PASSWORD_LENGTH = 16
INITIAL_ADMIN = "admin"
BUSY_TIMEOUT_MS = 10_000

# Letters and digits that cannot be mistaken for each other when read aloud or copied by hand.
_GENERATED_ALPHABET = "abcdefghijkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789"
_NAME = re.compile(r"[\w.@-]{1,64}")
_hasher = PasswordHasher()

POLICY_MESSAGES = {
    "too_short": (f"密码至少 {MIN_PASSWORD_LENGTH} 个字符",
                  f"The password must have at least {MIN_PASSWORD_LENGTH} characters"),
    "too_few_kinds": (f"密码须包含小写字母、大写字母、数字、其他字符中的至少 {MIN_CHARACTER_KINDS} 类",
                      f"The password must mix at least {MIN_CHARACTER_KINDS} of: lowercase, uppercase, digits, other characters"),
    "equals_name": ("密码不能与用户名相同", "The password must not be the user name"),
    "same_as_old": ("新密码不能与旧密码相同", "The new password must differ from the old one"),
}

SCHEMA = """
CREATE TABLE IF NOT EXISTS users (
    name          TEXT PRIMARY KEY COLLATE NOCASE,
    role          TEXT NOT NULL,
    password_hash TEXT NOT NULL,
    must_change   INTEGER NOT NULL DEFAULT 0,
    disabled      INTEGER NOT NULL DEFAULT 0,
    email         TEXT UNIQUE COLLATE NOCASE,
    subject       TEXT UNIQUE,
    subdistrict   TEXT,
    failed_count  INTEGER NOT NULL DEFAULT 0,
    locked_until  TEXT,
    created_at    TEXT NOT NULL,
    last_sign_in  TEXT
);
CREATE TABLE IF NOT EXISTS sessions (
    token_hash TEXT PRIMARY KEY,
    user_name  TEXT NOT NULL COLLATE NOCASE REFERENCES users(name),
    kind       TEXT NOT NULL,
    client     TEXT,
    created_at TEXT NOT NULL,
    last_seen  TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS sessions_by_user ON sessions(user_name);
CREATE TABLE IF NOT EXISTS tickets (
    ticket_hash  TEXT PRIMARY KEY,
    token_hash   TEXT NOT NULL REFERENCES sessions(token_hash) ON DELETE CASCADE,
    sealed_token TEXT NOT NULL,
    expires_at   TEXT NOT NULL
);
"""


class AccountError(ValueError):
    """An account operation that cannot be done (unknown user, duplicate, bad role…); message in Chinese."""


class PasswordPolicyError(AccountError):
    """The password breaks the policy; `codes` are keys of POLICY_MESSAGES."""

    def __init__(self, codes: list[str]):
        self.codes = tuple(codes)
        super().__init__(self.message("zh"))

    def message(self, lang: str = "zh") -> str:
        texts = [POLICY_MESSAGES[c][1 if lang == "en" else 0] for c in self.codes]
        return ("; " if lang == "en" else "；").join(texts)


@dataclass(frozen=True)
class User:
    name: str
    role: str
    must_change: bool
    disabled: bool
    email: str | None
    subject: str | None
    subdistrict: str | None  # None = every subdistrict
    locked_until: datetime | None  # only while the lock is in force
    created_at: datetime
    last_sign_in: datetime | None

    def role_label(self, lang: str = "zh") -> str:
        return role_label(self.role, lang)


@dataclass(frozen=True)
class AuthResult:
    outcome: str  # "ok" | "bad_password" | "locked" | "disabled" | "unknown"
    user: User | None = None  # set only when outcome is "ok"
    locked_until: datetime | None = None  # set when outcome is "locked"


@dataclass(frozen=True)
class SessionCheck:
    outcome: str  # "ok" | "unknown" | "timeout" | "disabled"
    user: User | None = None  # the session's user, for "ok", "timeout" and "disabled"


def accounts_path(db_path: Path | str) -> Path:
    """env COCKPIT_ACCOUNTS, else `<db dir>/accounts.sqlite`."""
    return Path(os.environ.get("COCKPIT_ACCOUNTS") or Path(db_path).parent / "accounts.sqlite")


def password_problems(password: str, name: str, old: str | None = None) -> list[str]:
    """Policy codes the password breaks (empty = acceptable)."""
    problems = []
    if len(password) < MIN_PASSWORD_LENGTH:
        problems.append("too_short")
    kinds = {"lower" if c.islower() else "upper" if c.isupper() else "digit" if c.isdigit() else "other"
             for c in password}
    if len(kinds) < MIN_CHARACTER_KINDS:
        problems.append("too_few_kinds")
    if password.strip().casefold() == name.strip().casefold():
        problems.append("equals_name")
    if old is not None and password == old:
        problems.append("same_as_old")
    return problems


def generate_password(name: str = "") -> str:
    """A random password of GENERATED_PASSWORD_LENGTH that satisfies the policy."""
    while True:
        candidate = "".join(secrets.choice(_GENERATED_ALPHABET) for _ in range(GENERATED_PASSWORD_LENGTH))
        if not password_problems(candidate, name):
            return candidate


def _utcnow() -> datetime:
    return datetime.now(timezone.utc)


def _iso(moment: datetime) -> str:
    # One fixed format, so that stored times also compare correctly as text in SQL.
    return moment.astimezone(timezone.utc).isoformat(timespec="microseconds")


def _time(text: str | None) -> datetime | None:
    return datetime.fromisoformat(text) if text else None


def _digest(secret: str) -> str:
    return hashlib.sha256(secret.encode("utf-8")).hexdigest()


def _xor_with_ticket(data: bytes, ticket: str) -> bytes:
    """XOR with a keystream derived from the ticket: seals a token, and the same call unseals it."""
    stream = hashlib.shake_256(b"cockpit-ticket\0" + ticket.encode("utf-8")).digest(len(data))
    return bytes(a ^ b for a, b in zip(data, stream))


@cache
def _dummy_hash() -> str:
    """A hash to verify against for unknown users, so they cost the same time as known ones."""
    return _hasher.hash(secrets.token_urlsafe(16))


def _verify(password_hash: str, password: str) -> bool:
    try:
        return _hasher.verify(password_hash, password)
    except (VerificationError, InvalidHashError):
        return False


def _check_name(name: str) -> str:
    if not isinstance(name, str) or not _NAME.fullmatch(name):
        raise AccountError(f"用户名“{name}”无效：1 至 64 个字母、数字、汉字或 . _ - @")
    return name


def _check_role(role: str) -> str:
    if role not in ROLES:
        raise AccountError(f"未知的角色“{role}”（可用：{'、'.join(ROLES)}）")
    return role


def _optional(text: str | None) -> str | None:
    text = (text or "").strip()
    return text or None


def _check_email(email: str | None) -> str | None:
    email = _optional(email)
    if email is not None and not re.fullmatch(r"[^@\s]+@[^@\s]+", email):
        raise AccountError(f"邮箱“{email}”无效")
    return email.lower() if email else None


class Accounts:
    """The accounts file. Cheap to construct; every method opens and closes its own connection."""

    def __init__(self, path: Path | str, clock: Callable[[], datetime] | None = None):
        self.path = Path(path)
        self._now = clock or _utcnow
        self.path.parent.mkdir(parents=True, exist_ok=True)
        # Created 0600 before SQLite opens it, and only when missing: closing any descriptor of a file
        # drops every POSIX lock this process holds on it, SQLite's included (another thread's write
        # would then be unguarded and could corrupt the file).
        try:
            os.close(os.open(self.path, os.O_CREAT | os.O_EXCL | os.O_RDWR, 0o600))
        except FileExistsError:
            pass
        if stat.S_IMODE(self.path.stat().st_mode) & 0o077:
            os.chmod(self.path, 0o600)
        with self._connect() as con:
            con.execute("PRAGMA journal_mode = WAL")
            con.executescript(SCHEMA)

    # -- plumbing -------------------------------------------------------------------------------

    @contextmanager
    def _connect(self) -> Iterator[sqlite3.Connection]:
        con = sqlite3.connect(self.path, timeout=BUSY_TIMEOUT_MS / 1000, isolation_level=None)
        try:
            con.row_factory = sqlite3.Row
            con.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
            con.execute("PRAGMA foreign_keys = ON")
            yield con
        finally:
            con.close()

    @contextmanager
    def _transaction(self) -> Iterator[sqlite3.Connection]:
        """One write transaction, taken up front (BEGIN IMMEDIATE) so read-then-write cannot race."""
        with self._connect() as con:
            con.execute("BEGIN IMMEDIATE")
            try:
                yield con
            except BaseException:
                con.execute("ROLLBACK")
                raise
            con.execute("COMMIT")

    def _user(self, row: sqlite3.Row, now: datetime) -> User:
        locked_until = _time(row["locked_until"])
        return User(name=row["name"], role=row["role"], must_change=bool(row["must_change"]),
                    disabled=bool(row["disabled"]), email=row["email"], subject=row["subject"],
                    subdistrict=row["subdistrict"],
                    locked_until=locked_until if locked_until and locked_until > now else None,
                    created_at=_time(row["created_at"]), last_sign_in=_time(row["last_sign_in"]))

    @staticmethod
    def _row(con: sqlite3.Connection, name: str) -> sqlite3.Row | None:
        return con.execute("SELECT * FROM users WHERE name = ?", (name,)).fetchone()

    def _existing(self, con: sqlite3.Connection, name: str) -> sqlite3.Row:
        row = self._row(con, name)
        if row is None:
            raise AccountError(f"没有用户“{name}”")
        return row

    @staticmethod
    def _close_sessions(con: sqlite3.Connection, name: str, keep: str | None = None) -> None:
        con.execute("DELETE FROM sessions WHERE user_name = ? AND token_hash <> ?",
                    (name, _digest(keep) if keep else ""))

    @staticmethod
    def _keep_an_admin(con: sqlite3.Connection, row: sqlite3.Row) -> None:
        """Refuse to disable or demote the last enabled administrator: nobody could manage accounts then."""
        if row["role"] != "admin" or row["disabled"]:
            return
        others = con.execute("SELECT count(*) FROM users WHERE role = 'admin' AND disabled = 0 AND name <> ?",
                             (row["name"],)).fetchone()[0]
        if not others:
            raise AccountError(f"“{row['name']}”是最后一个启用的管理员账户，不能停用或改为其他角色")

    # -- accounts -------------------------------------------------------------------------------

    def add(self, name: str, role: str, password: str | None = None, *, email: str | None = None,
            subject: str | None = None, subdistrict: str | None = None) -> str:
        """Create an account; returns its password. Without `password` one is generated and must be
        changed at the first sign-in; a given password must satisfy the policy and need not be changed."""
        _check_name(name)
        _check_role(role)
        generated = password is None
        if generated:
            password = generate_password(name)
        elif problems := password_problems(password, name):
            raise PasswordPolicyError(problems)
        email, subject, subdistrict = _check_email(email), _optional(subject), _optional(subdistrict)
        password_hash = _hasher.hash(password)
        try:
            with self._transaction() as con:
                con.execute("INSERT INTO users (name, role, password_hash, must_change, email, subject, subdistrict,"
                            " created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                            (name, role, password_hash, int(generated), email, subject, subdistrict,
                             _iso(self._now())))
        except sqlite3.IntegrityError as exc:
            text = str(exc)
            if "users.email" in text:
                raise AccountError(f"邮箱“{email}”已属于另一个账户") from exc
            if "users.subject" in text:
                raise AccountError(f"单点登录标识“{subject}”已属于另一个账户") from exc
            raise AccountError(f"用户“{name}”已存在") from exc
        return password

    def ensure_initial_admin(self) -> str | None:
        """On an install without any account, create INITIAL_ADMIN with a generated password (to be
        changed at first sign-in) and return it; otherwise None. Safe to run from several processes."""
        password = generate_password(INITIAL_ADMIN)
        password_hash = _hasher.hash(password)
        with self._transaction() as con:
            if con.execute("SELECT 1 FROM users LIMIT 1").fetchone():
                return None
            con.execute("INSERT INTO users (name, role, password_hash, must_change, created_at)"
                        " VALUES (?, 'admin', ?, 1, ?)", (INITIAL_ADMIN, password_hash, _iso(self._now())))
        return password

    def get(self, name: str) -> User | None:
        with self._connect() as con:
            row = self._row(con, name)
        return self._user(row, self._now()) if row else None

    def list_users(self) -> list[User]:
        now = self._now()
        with self._connect() as con:
            return [self._user(r, now) for r in con.execute("SELECT * FROM users ORDER BY name")]

    def find_by_identity(self, email: str | None, subject: str | None) -> User | None:
        """The account a single sign-on identity maps to: by OIDC subject first, then by email.
        A disabled account is returned as such; the caller refuses it."""
        now = self._now()
        with self._connect() as con:
            if subject and (row := con.execute("SELECT * FROM users WHERE subject = ?", (subject,)).fetchone()):
                return self._user(row, now)
            if email and (row := con.execute("SELECT * FROM users WHERE email = ?", (email.strip(),)).fetchone()):
                return self._user(row, now)
        return None

    def disable(self, name: str) -> None:
        """No more sign-ins; every open session ends."""
        with self._transaction() as con:
            self._keep_an_admin(con, self._existing(con, name))
            con.execute("UPDATE users SET disabled = 1 WHERE name = ?", (name,))
            self._close_sessions(con, name)

    def enable(self, name: str) -> None:
        """Allow sign-ins again (also lifts a lockout)."""
        with self._transaction() as con:
            self._existing(con, name)
            con.execute("UPDATE users SET disabled = 0, failed_count = 0, locked_until = NULL WHERE name = ?", (name,))

    def reset(self, name: str) -> str:
        """A new generated password, to be changed at the next sign-in; lifts a lockout, ends every session."""
        password = generate_password(name)
        password_hash = _hasher.hash(password)
        with self._transaction() as con:
            self._existing(con, name)
            con.execute("UPDATE users SET password_hash = ?, must_change = 1, failed_count = 0, locked_until = NULL"
                        " WHERE name = ?", (password_hash, name))
            self._close_sessions(con, name)
        return password

    def set_role(self, name: str, role: str) -> str:
        """Change the role; returns the previous one. Every session of the user ends."""
        _check_role(role)
        with self._transaction() as con:
            row = self._existing(con, name)
            if role != "admin":
                self._keep_an_admin(con, row)
            con.execute("UPDATE users SET role = ? WHERE name = ?", (role, name))
            self._close_sessions(con, name)
        return row["role"]

    def set_subdistrict(self, name: str, subdistrict: str | None) -> str | None:
        """Limit the account to one subdistrict (None or blank: every subdistrict); returns the previous
        one. Every session of the user ends, so the new scope applies from the next sign-in."""
        subdistrict = _optional(subdistrict)
        with self._transaction() as con:
            row = self._existing(con, name)
            con.execute("UPDATE users SET subdistrict = ? WHERE name = ?", (subdistrict, name))
            self._close_sessions(con, name)
        return row["subdistrict"]

    # -- passwords ------------------------------------------------------------------------------

    def _check_password(self, name: str, password: str) -> AuthResult:
        """Verify a password, counting failures towards the lockout. Does not sign anyone in."""
        now = self._now()
        with self._connect() as con:
            row = self._row(con, name) if isinstance(name, str) and _NAME.fullmatch(name) else None
        if row is None:
            _verify(_dummy_hash(), password)
            return AuthResult("unknown")
        correct = _verify(row["password_hash"], password)
        if row["disabled"]:
            # Say "disabled" only to someone who knows the password.
            return AuthResult("disabled" if correct else "bad_password")
        locked_until = _time(row["locked_until"])
        if locked_until and locked_until > now:
            return AuthResult("locked", locked_until=locked_until)
        with self._transaction() as con:
            if correct:
                con.execute("UPDATE users SET failed_count = 0, locked_until = NULL WHERE name = ?", (name,))
                if _hasher.check_needs_rehash(row["password_hash"]):
                    con.execute("UPDATE users SET password_hash = ? WHERE name = ?", (_hasher.hash(password), name))
                return AuthResult("ok", self._user(self._row(con, name), now))
            failures = con.execute("UPDATE users SET failed_count = failed_count + 1 WHERE name = ?"
                                   " RETURNING failed_count", (name,)).fetchone()[0]
            if failures < LOCKOUT_THRESHOLD:
                return AuthResult("bad_password")
            locked_until = now + timedelta(minutes=LOCKOUT_MINUTES)
            con.execute("UPDATE users SET failed_count = 0, locked_until = ? WHERE name = ?", (_iso(locked_until), name))
            return AuthResult("locked", locked_until=locked_until)

    def authenticate(self, name: str, password: str) -> AuthResult:
        """Sign-in check. Only outcome "ok" signs in; then `user.must_change` may still ask for a new password."""
        result = self._check_password(name, password)
        if result.outcome == "ok":
            with self._transaction() as con:
                con.execute("UPDATE users SET last_sign_in = ? WHERE name = ?", (_iso(self._now()), result.user.name))
                result = AuthResult("ok", self._user(self._row(con, result.user.name), self._now()))
        return result

    def change_password(self, name: str, old: str, new: str, *, keep_session: str | None = None) -> AuthResult:
        """Replace the password after checking the old one (a wrong one counts towards the lockout).

        Raises PasswordPolicyError when the new password breaks the policy; otherwise returns the
        result of checking the old password, and the password was changed only if its outcome is "ok".
        Every other session of the user ends (`keep_session`: the token of the one making the change).
        """
        # Rules that do not involve the old password first; "same as old" only once the old one is proven.
        if problems := password_problems(new, name):
            raise PasswordPolicyError(problems)
        result = self._check_password(name, old)
        if result.outcome != "ok":
            return result
        if new == old:
            raise PasswordPolicyError(["same_as_old"])
        password_hash = _hasher.hash(new)
        with self._transaction() as con:
            con.execute("UPDATE users SET password_hash = ?, must_change = 0 WHERE name = ?", (password_hash, name))
            self._close_sessions(con, name, keep=keep_session)
            return AuthResult("ok", self._user(self._row(con, name), self._now()))

    # -- sessions -------------------------------------------------------------------------------

    def open_session(self, name: str, client: str | None = None, kind: str = "password") -> str:
        """A new session for a signed-in user; returns its token (only its sha256 is kept)."""
        token = secrets.token_urlsafe(32)
        now = self._now()
        with self._transaction() as con:
            row = self._existing(con, name)
            if row["disabled"]:
                raise AccountError(f"用户“{name}”已停用")
            # Sessions idle past the timeout are dead; drop those nobody came back to.
            con.execute("DELETE FROM sessions WHERE last_seen < ?",
                        (_iso(now - timedelta(minutes=IDLE_TIMEOUT_MINUTES)),))
            con.execute("INSERT INTO sessions (token_hash, user_name, kind, client, created_at, last_seen)"
                        " VALUES (?, ?, ?, ?, ?, ?)", (_digest(token), row["name"], kind, client, _iso(now), _iso(now)))
        return token

    def check_session(self, token: str | None) -> SessionCheck:
        """Look a session up and, when it is still valid, mark it used now. A session idle longer than
        IDLE_TIMEOUT_MINUTES, or of a disabled user, is closed and reported so once (for the audit)."""
        if not token:
            return SessionCheck("unknown")
        now = self._now()
        token_hash = _digest(token)
        with self._transaction() as con:
            found = con.execute("SELECT last_seen, user_name FROM sessions WHERE token_hash = ?", (token_hash,)).fetchone()
            if found is None:
                return SessionCheck("unknown")
            user = self._user(self._row(con, found["user_name"]), now)
            if user.disabled or now - _time(found["last_seen"]) > timedelta(minutes=IDLE_TIMEOUT_MINUTES):
                con.execute("DELETE FROM sessions WHERE token_hash = ?", (token_hash,))
                return SessionCheck("disabled" if user.disabled else "timeout", user)
            con.execute("UPDATE sessions SET last_seen = ? WHERE token_hash = ?", (_iso(now), token_hash))
            return SessionCheck("ok", user)

    def touch_session(self, token: str | None) -> User | None:
        """The session's user, or None when the token is unknown, idle too long, or the user disabled."""
        check = self.check_session(token)
        return check.user if check.outcome == "ok" else None

    def close_session(self, token: str | None) -> str | None:
        """Sign out; returns the user name of the session closed (None if there was none)."""
        if not token:
            return None
        with self._transaction() as con:
            found = con.execute("DELETE FROM sessions WHERE token_hash = ? RETURNING user_name",
                                (_digest(token),)).fetchone()
        return found[0] if found else None

    # -- one-time tickets -----------------------------------------------------------------------

    def issue_ticket(self, token: str) -> str:
        """A single-use code, valid TICKET_SECONDS, that `redeem_ticket` turns back into `token`."""
        ticket = secrets.token_urlsafe(32)
        now = self._now()
        with self._transaction() as con:
            if not con.execute("SELECT 1 FROM sessions WHERE token_hash = ?", (_digest(token),)).fetchone():
                raise AccountError("会话不存在或已结束")
            con.execute("DELETE FROM tickets WHERE expires_at < ?", (_iso(now),))
            con.execute("INSERT INTO tickets (ticket_hash, token_hash, sealed_token, expires_at) VALUES (?, ?, ?, ?)",
                        (_digest(ticket), _digest(token), _xor_with_ticket(token.encode("utf-8"), ticket).hex(),
                         _iso(now + timedelta(seconds=TICKET_SECONDS))))
        return ticket

    def redeem_ticket(self, ticket: str | None) -> str | None:
        """The session token the ticket was issued for, once; None when unknown, used, expired, or the
        session has ended since."""
        if not ticket:
            return None
        with self._transaction() as con:
            found = con.execute("DELETE FROM tickets WHERE ticket_hash = ? RETURNING token_hash, sealed_token, expires_at",
                                (_digest(ticket),)).fetchone()
        if found is None or _time(found["expires_at"]) < self._now():
            return None
        token = _xor_with_ticket(bytes.fromhex(found["sealed_token"]), ticket).decode("utf-8", "replace")
        return token if _digest(token) == found["token_hash"] else None
