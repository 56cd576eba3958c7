"""The audit trail: who did what, when, from where, with what outcome. Append-only JSON Lines.

Kept outside the warehouse and its snapshots (`<db dir>/audit/audit.jsonl`, or env COCKPIT_AUDIT),
so no publish or restore rewinds it; optionally every row is appended to a mirror on a second disk
as well (env COCKPIT_AUDIT_MIRROR). The folder is created 0700 and the files 0600.

Each row: seq, time (UTC, ISO 8601), user, role, client, action, object, detail (a JSON object),
outcome, prev (the previous row's hash, "" for the first) and hash = sha256(prev + the canonical
JSON of the row without `hash`: sorted keys, no spaces, UTF-8 as is). Editing, inserting or
deleting a row breaks the chain, and `verify()` names the first broken row. Removing rows from the
end leaves a valid chain; the mirror is the check against that.

Appends from any number of threads and processes are serialized by an exclusive flock on
`<file>.lock`; each reads only the file's tail for the previous row, writes one line with one
write(2) on an O_APPEND descriptor, and fsyncs.

Retention: nothing here deletes or rotates rows. The Cybersecurity Law (网络安全法 第二十一条) asks
for network logs to be kept at least six months; this keeps all of them. Archive a copy off the
server if the file grows large, never truncate it in place.
"""
from __future__ import annotations

import fcntl
import getpass
import hashlib
import json
import logging
import os
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date, datetime, timezone
from pathlib import Path

log = logging.getLogger(__name__)

# Every event the cockpit and the command line record, in one place.
SIGN_IN = "sign_in"
SIGN_IN_FAILED = "sign_in_failed"
SIGN_IN_LOCKED = "sign_in_locked"
SIGN_OUT = "sign_out"
SESSION_TIMEOUT = "session_timeout"
ACCESS_REFUSED = "access_refused"
IMPORT_PREVIEW = "import_preview"
IMPORT_CONFIRM = "import_confirm"
IMPORT_CANCEL = "import_cancel"
PUBLISH = "publish"
RESTORE = "restore"
DOWNLOAD = "download"
REPORT = "report"
DRILLDOWN = "drilldown"
ACCOUNT_ADD = "account_add"
ACCOUNT_DISABLE = "account_disable"
ACCOUNT_ENABLE = "account_enable"
ACCOUNT_RESET = "account_reset"
ACCOUNT_ROLE = "account_role"
ACCOUNT_SUBDISTRICT = "account_subdistrict"
PASSWORD_CHANGE = "password_change"
CLI_BUILD = "cli_build"
CLI_ROLLBACK = "cli_rollback"
CLI_EXPORT = "cli_export"
CLI_BACKUP = "cli_backup"
AUDIT_EXPORT = "audit_export"
EVENTS = (SIGN_IN, SIGN_IN_FAILED, SIGN_IN_LOCKED, SIGN_OUT, SESSION_TIMEOUT, ACCESS_REFUSED,
          IMPORT_PREVIEW, IMPORT_CONFIRM, IMPORT_CANCEL, PUBLISH, RESTORE, DOWNLOAD, REPORT, DRILLDOWN,
          ACCOUNT_ADD, ACCOUNT_DISABLE, ACCOUNT_ENABLE, ACCOUNT_RESET, ACCOUNT_ROLE, ACCOUNT_SUBDISTRICT,
          PASSWORD_CHANGE, CLI_BUILD, CLI_ROLLBACK, CLI_EXPORT, CLI_BACKUP, AUDIT_EXPORT)

FIELDS = ("seq", "time", "user", "role", "client", "action", "object", "detail", "outcome", "prev", "hash")
_TAIL_CHUNK = 64 * 1024

VERIFY_REASONS = {
    "bad_json": ("不是有效的 JSON 行", "not a valid JSON line"),
    "bad_row": ("字段不全或类型不对", "missing fields or wrong types"),
    "hash_mismatch": ("哈希与内容不符（此行被改动）", "hash does not match the content (row altered)"),
    "seq_gap": ("序号不连续（前面有行被删除或插入）", "sequence gap (a row before it was removed or inserted)"),
    "chain_break": ("与上一行的哈希链断开", "chain broken: prev is not the previous row's hash"),
}


class AuditError(RuntimeError):
    """The audit trail cannot be appended to (unreadable tail, unwritable folder…); message in Chinese."""


@dataclass(frozen=True)
class VerifyResult:
    ok: bool
    rows: int  # rows checked and found intact (all of them when ok)
    line: int | None = None  # 1-based line of the first broken row
    reason: str | None = None  # a key of VERIFY_REASONS
    last_hash: str = ""  # hash of the last row, when ok (compares a trail with its mirror)

    def message(self, lang: str = "zh") -> str:
        if self.ok:
            return f"OK: {self.rows} rows, chain intact" if lang == "en" else f"OK：{self.rows} 行，哈希链完整"
        why = VERIFY_REASONS[self.reason][1 if lang == "en" else 0]
        return f"line {self.line}: {why}" if lang == "en" else f"第 {self.line} 行：{why}"


def audit_path(db_path: Path | str) -> Path:
    """env COCKPIT_AUDIT, else `<db dir>/audit/audit.jsonl`."""
    return Path(os.environ.get("COCKPIT_AUDIT") or Path(db_path).parent / "audit" / "audit.jsonl")


def audit_log(db_path: Path | str) -> "AuditLog":
    """The deployment's audit trail, with the mirror named by env COCKPIT_AUDIT_MIRROR if set."""
    return AuditLog(audit_path(db_path), mirror=os.environ.get("COCKPIT_AUDIT_MIRROR") or None)


def os_user() -> str:
    """The operating-system account running a command, as the audit's user: `os:<login>`."""
    try:
        return f"os:{getpass.getuser()}"
    except (KeyError, OSError):  # no passwd entry, e.g. in a container with an arbitrary uid
        return f"os:uid{os.getuid()}"


def row_hash(row: dict) -> str:
    """sha256 over prev + the canonical JSON of the row without `hash`."""
    body = {k: v for k, v in row.items() if k != "hash"}
    canonical = json.dumps(body, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    return hashlib.sha256((row.get("prev", "") + canonical).encode("utf-8")).hexdigest()


def _private_dir(folder: Path) -> None:
    if not folder.exists():
        folder.mkdir(parents=True, mode=0o700)
        os.chmod(folder, 0o700)  # mkdir's mode is filtered by the umask


def _append_fd(path: Path) -> int:
    fd = os.open(path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o600)
    if os.fstat(fd).st_mode & 0o077:
        os.fchmod(fd, 0o600)
    return fd


def _write_all(fd: int, data: bytes) -> None:
    view = memoryview(data)
    while view:
        view = view[os.write(fd, view):]
    os.fsync(fd)


def _last_line(path: Path) -> bytes | None:
    """The file's last line without reading the whole file; None when empty or absent.
    Raises AuditError when the file does not end with a newline (a torn write)."""
    try:
        fh = open(path, "rb")
    except FileNotFoundError:
        return None
    with fh:
        end = fh.seek(0, os.SEEK_END)
        if end == 0:
            return None
        fh.seek(end - 1)
        if fh.read(1) != b"\n":
            raise AuditError(f"审计日志 {path} 的最后一行不完整（写入被中断？）；请运行 python -m etl audit verify 检查")
        tail, pos = b"", end - 1
        while pos > 0 and b"\n" not in tail:
            step = min(_TAIL_CHUNK, pos)
            pos -= step
            fh.seek(pos)
            tail = fh.read(step) + tail
        return tail.rsplit(b"\n", 1)[-1] if b"\n" in tail else tail


class AuditLog:
    """One audit file (and its optional mirror). `clock` (UTC datetimes) is for tests."""

    def __init__(self, path: Path | str, mirror: Path | str | None = None,
                 clock: Callable[[], datetime] | None = None):
        self.path = Path(path)
        self.mirror = Path(mirror) if mirror else None
        self._now = clock or (lambda: datetime.now(timezone.utc))

    @contextmanager
    def _locked(self) -> Iterator[None]:
        _private_dir(self.path.parent)
        fd = os.open(self.path.with_name(self.path.name + ".lock"), os.O_RDWR | os.O_CREAT, 0o600)
        try:
            fcntl.flock(fd, fcntl.LOCK_EX)
            yield
        finally:
            os.close(fd)  # closing releases the lock

    def record(self, action: str, *, user: str, role: str | None = None, client: str | None = None,
               object: str = "", detail: dict | None = None, outcome: str = "ok") -> dict:
        """Append one row and return it (with seq, time, prev and hash). `detail` must be JSON-serialisable."""
        if action not in EVENTS:
            raise ValueError(f"unknown audit action {action!r}; add it to security.audit.EVENTS")
        try:
            with self._locked():
                last = _last_line(self.path)
                try:
                    previous = json.loads(last) if last else None
                    prev, seq = (previous["hash"], previous["seq"] + 1) if previous else ("", 1)
                except (ValueError, TypeError, KeyError) as exc:
                    raise AuditError(f"审计日志 {self.path} 的最后一行无法读取；请运行 python -m etl audit verify 检查") from exc
                row = {"seq": seq, "time": self._now().astimezone(timezone.utc).isoformat(timespec="milliseconds"),
                       "user": user, "role": role, "client": client, "action": action, "object": object,
                       "detail": detail or {}, "outcome": outcome, "prev": prev}
                row["hash"] = row_hash(row)
                line = (json.dumps(row, ensure_ascii=False, separators=(",", ":")) + "\n").encode("utf-8")
                fd = _append_fd(self.path)
                try:
                    _write_all(fd, line)
                finally:
                    os.close(fd)
                if self.mirror:
                    self._mirror(line)
        except OSError as exc:
            raise AuditError(f"无法写入审计日志 {self.path}：{exc.strerror or exc}") from exc
        return row

    def _mirror(self, line: bytes) -> None:
        """Append the row to the mirror too (under the same lock). A mirror that is new or empty first
        gets a copy of the whole trail, so its chain starts at row 1. A failing mirror does not stop
        the primary record: it is logged, and `verify` of the mirror then shows the gap."""
        try:
            _private_dir(self.mirror.parent)
            fd = _append_fd(self.mirror)
            try:
                if os.fstat(fd).st_size == 0:
                    _write_all(fd, self.path.read_bytes())
                else:
                    _write_all(fd, line)
            finally:
                os.close(fd)
        except OSError as exc:
            log.error("audit mirror %s not written: %s", self.mirror, exc)

    def _lines(self) -> Iterator[tuple[int, str]]:
        try:
            fh = open(self.path, encoding="utf-8", errors="replace", newline="\n")
        except FileNotFoundError:
            return
        with fh:
            for number, text in enumerate(fh, start=1):
                yield number, text.rstrip("\n")

    def verify(self) -> VerifyResult:
        """Check every row: valid JSON, complete, its own hash, seq one more than the last, prev = last hash."""
        prev, count = "", 0
        for number, text in self._lines():
            try:
                row = json.loads(text)
            except ValueError:
                return VerifyResult(False, count, number, "bad_json")
            if (not isinstance(row, dict) or set(row) != set(FIELDS) or not isinstance(row["seq"], int)
                    or not isinstance(row["hash"], str) or not isinstance(row["prev"], str)):
                return VerifyResult(False, count, number, "bad_row")
            if row_hash(row) != row["hash"]:
                return VerifyResult(False, count, number, "hash_mismatch")
            if row["seq"] != count + 1:
                return VerifyResult(False, count, number, "seq_gap")
            if row["prev"] != prev:
                return VerifyResult(False, count, number, "chain_break")
            prev, count = row["hash"], count + 1
        return VerifyResult(True, count, last_hash=prev)

    def rows(self, since: date | None = None, user: str | None = None) -> list[dict]:
        """Rows in order, from `since` (a date in the server's local time zone) on and of `user` only,
        when given. Lines that are not valid JSON are skipped here; `verify` reports them."""
        found = []
        for _, text in self._lines():
            try:
                row = json.loads(text)
            except ValueError:
                continue
            if not isinstance(row, dict):
                continue
            if user is not None and row.get("user") != user:
                continue
            if since is not None:
                try:
                    if local_time(row).date() < since:
                        continue
                except (KeyError, TypeError, ValueError):
                    continue
            found.append(row)
        return found


def local_time(row: dict) -> datetime:
    """The row's time in the server's local time zone (the office's clock)."""
    return datetime.fromisoformat(row["time"]).astimezone()
