"""Roles and what each may do: the matrix is reference data (`reference/permissions.csv`), so an office
can change it without touching code; a deployment may point env COCKPIT_PERMISSIONS to its own copy.

One row per action, one 1/0 column per role. The file is checked whole on every (re)load: an unknown
role or action, a missing action, or a cell other than 1/0 is an error naming the row, never a
silently wider permission. The file is re-read when it changes, so an edit takes effect without a
restart.
"""
from __future__ import annotations

import csv
import os
from dataclasses import dataclass
from pathlib import Path

ROLES = ("leadership", "analyst", "evaluator", "admin")
ACTIONS = ("view", "download", "import", "restore", "admin")
ROLE_LABELS = {
    "leadership": {"zh": "领导", "en": "Leadership"},
    "analyst": {"zh": "分析员", "en": "Analyst"},
    "evaluator": {"zh": "考评员", "en": "Evaluator"},
    "admin": {"zh": "管理员", "en": "Administrator"},
}
DEFAULT_PERMISSIONS = Path(__file__).resolve().parent / "reference" / "permissions.csv"
TEXT_COLUMNS = ("action", "name_zh", "name_en", "description")


class PermissionsError(ValueError):
    """The permissions file is malformed; the message names the file and the row."""


@dataclass(frozen=True)
class Permission:
    action: str
    name_zh: str
    name_en: str
    description: str
    roles: frozenset[str]

    def name(self, lang: str) -> str:
        return self.name_en if lang == "en" else self.name_zh


def permissions_path() -> Path:
    """env COCKPIT_PERMISSIONS, else the bundled matrix."""
    return Path(os.environ.get("COCKPIT_PERMISSIONS") or DEFAULT_PERMISSIONS)


def load_permissions(path: Path | str) -> dict[str, Permission]:
    """Read and check a permissions file; action → Permission, in the order of ACTIONS."""
    path = Path(path)
    try:
        with open(path, encoding="utf-8-sig", newline="") as fh:
            reader = csv.reader(fh)
            header = [h.strip() for h in next(reader, [])]
            body = list(reader)
    except OSError as exc:
        raise PermissionsError(f"无法读取权限表 {path}：{exc.strerror or exc}") from exc
    unknown = [h for h in header if h not in TEXT_COLUMNS and h not in ROLES]
    missing = [h for h in (*TEXT_COLUMNS, *ROLES) if h not in header]
    if unknown or missing:
        parts = ([f"未知的列 {'、'.join(unknown)}"] if unknown else []) + ([f"缺少列 {'、'.join(missing)}"] if missing else [])
        raise PermissionsError(f"权限表 {path} 第1行（表头）：{'；'.join(parts)}")
    found: dict[str, Permission] = {}
    for line_no, cells in enumerate(body, start=2):
        if not any(c.strip() for c in cells):
            continue
        where = f"权限表 {path} 第{line_no}行"
        if len(cells) != len(header):
            raise PermissionsError(f"{where}：有 {len(cells)} 个字段，表头有 {len(header)} 个")
        row = {h: c.strip() for h, c in zip(header, cells)}
        action = row["action"]
        if action not in ACTIONS:
            raise PermissionsError(f"{where}：未知的操作“{action}”（可用：{'、'.join(ACTIONS)}）")
        if action in found:
            raise PermissionsError(f"{where}：操作“{action}”重复")
        bad = [f"{role}=“{row[role]}”" for role in ROLES if row[role] not in ("0", "1")]
        if bad:
            raise PermissionsError(f"{where}（{action}）：单元格只能是 1 或 0：{'、'.join(bad)}")
        found[action] = Permission(action, row["name_zh"], row["name_en"], row["description"],
                                   frozenset(role for role in ROLES if row[role] == "1"))
    absent = [a for a in ACTIONS if a not in found]
    if absent:
        raise PermissionsError(f"权限表 {path}：缺少操作 {'、'.join(absent)}")
    # Without it nobody could manage accounts or correct this very matrix from the app.
    if "admin" not in found["admin"].roles:
        raise PermissionsError(f"权限表 {path}（admin 行）：管理员角色必须保留“管理”权限")
    return {a: found[a] for a in ACTIONS}


_cache: dict[Path, tuple[tuple[int, int], dict[str, Permission]]] = {}


def permissions() -> dict[str, Permission]:
    """The matrix in force (re-read when the file's size or modification time changes)."""
    path = permissions_path()
    try:
        st = path.stat()
    except OSError as exc:
        raise PermissionsError(f"无法读取权限表 {path}：{exc.strerror or exc}") from exc
    stamp = (st.st_mtime_ns, st.st_size)
    cached = _cache.get(path)
    if cached is None or cached[0] != stamp:
        _cache[path] = cached = (stamp, load_permissions(path))
    return cached[1]


def can(role: str | None, action: str) -> bool:
    """May `role` do `action`? An unknown role or None (no account) may do nothing; an unknown action is a bug."""
    if action not in ACTIONS:
        raise ValueError(f"unknown action {action!r}; one of {ACTIONS}")
    return role in ROLES and role in permissions()[action].roles


def role_label(role: str, lang: str = "zh") -> str:
    """领导 / Leadership …; an unknown role is shown as it is."""
    labels = ROLE_LABELS.get(role)
    return labels["en" if lang == "en" else "zh"] if labels else role


def matrix_rows(lang: str = "zh") -> list[dict[str, str]]:
    """The matrix as plain rows for a table: action, description, then one ✓/blank column per role label."""
    action_col, desc_col = ("Action", "Description") if lang == "en" else ("操作", "说明")
    return [{action_col: p.name(lang), desc_col: p.description,
             **{role_label(role, lang): "✓" if role in p.roles else "" for role in ROLES}}
            for p in permissions().values()]
