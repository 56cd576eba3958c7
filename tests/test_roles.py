"""security.roles: the role matrix as reference data, checked whole."""
from __future__ import annotations

import os

import pytest

from security.roles import ACTIONS, ROLES, PermissionsError, can, load_permissions, matrix_rows, role_label

HEADER = "action,name_zh,name_en,description,leadership,analyst,evaluator,admin\n"
ROWS = {
    "view": "view,查看,View,看,1,1,1,1\n",
    "download": "download,下载,Download,下,0,1,1,1\n",
    "import": "import,数据导入,Import,导,0,1,0,1\n",
    "restore": "restore,恢复快照,Restore,恢,0,0,0,1\n",
    "admin": "admin,管理,Administration,管,0,0,0,1\n",
}


@pytest.fixture(autouse=True)
def bundled_matrix(monkeypatch):
    monkeypatch.delenv("COCKPIT_PERMISSIONS", raising=False)


def matrix_file(tmp_path, text: str):
    path = tmp_path / "permissions.csv"
    path.write_text(text, encoding="utf-8")
    return path


def test_the_bundled_matrix_is_the_one_of_issue_9():
    allowed = {(role, action) for role in ROLES for action in ACTIONS if can(role, action)}
    assert allowed == {
        ("leadership", "view"),
        ("analyst", "view"), ("analyst", "download"), ("analyst", "import"),
        ("evaluator", "view"), ("evaluator", "download"),
        ("admin", "view"), ("admin", "download"), ("admin", "import"), ("admin", "restore"), ("admin", "admin"),
    }


def test_no_role_or_an_unknown_role_may_do_nothing_and_an_unknown_action_is_a_bug():
    assert can(None, "view") is False
    assert can("guest", "view") is False
    with pytest.raises(ValueError, match="delete"):
        can("admin", "delete")


def test_role_labels_in_both_languages():
    assert [role_label(r) for r in ROLES] == ["领导", "分析员", "考评员", "管理员"]
    assert [role_label(r, "en") for r in ROLES] == ["Leadership", "Analyst", "Evaluator", "Administrator"]


def test_matrix_rows_for_an_admin_page():
    rows = matrix_rows("en")
    assert [r["Action"] for r in rows] == ["View", "Download", "Import", "Restore", "Administration"]
    assert rows[2] == {"Action": "Import", "Description": "数据导入的预览与确认",
                       "Leadership": "", "Analyst": "✓", "Evaluator": "", "Administrator": "✓"}
    assert list(matrix_rows("zh")[0]) == ["操作", "说明", "领导", "分析员", "考评员", "管理员"]


def test_a_deployment_points_to_its_own_matrix_and_an_edit_takes_effect_without_restart(tmp_path, monkeypatch):
    path = matrix_file(tmp_path, HEADER + "".join(ROWS.values()))
    monkeypatch.setenv("COCKPIT_PERMISSIONS", str(path))
    assert can("leadership", "download") is False
    path.write_text(HEADER + "".join(ROWS.values()).replace("download,下载,Download,下,0", "download,下载,Download,下载说明,1"),
                    encoding="utf-8")
    os.utime(path, ns=(1, 1))  # a different modification time even on a coarse clock
    assert can("leadership", "download") is True


def test_a_cell_other_than_1_or_0_names_the_row_and_role(tmp_path):
    path = matrix_file(tmp_path, HEADER + "".join(ROWS.values()).replace("import,数据导入,Import,导,0", "import,数据导入,Import,导,yes"))
    with pytest.raises(PermissionsError, match=r"第4行（import）：单元格只能是 1 或 0：leadership=“yes”"):
        load_permissions(path)


def test_an_unknown_action_names_its_row(tmp_path):
    path = matrix_file(tmp_path, HEADER + "".join(ROWS.values()) + "delete,删除,Delete,删,0,0,0,1\n")
    with pytest.raises(PermissionsError, match="第7行：未知的操作“delete”"):
        load_permissions(path)


def test_an_unknown_role_column_or_a_missing_one_is_refused(tmp_path):
    path = matrix_file(tmp_path, HEADER.replace("evaluator", "auditor") + "".join(ROWS.values()))
    with pytest.raises(PermissionsError, match="第1行（表头）：未知的列 auditor；缺少列 evaluator"):
        load_permissions(path)


def test_a_missing_or_duplicated_action_and_a_short_row_are_refused(tmp_path):
    rows = dict(ROWS)
    del rows["restore"]
    with pytest.raises(PermissionsError, match="缺少操作 restore"):
        load_permissions(matrix_file(tmp_path, HEADER + "".join(rows.values())))
    with pytest.raises(PermissionsError, match="第7行：操作“view”重复"):
        load_permissions(matrix_file(tmp_path, HEADER + "".join(ROWS.values()) + ROWS["view"]))
    with pytest.raises(PermissionsError, match="第2行：有 7 个字段，表头有 8 个"):
        load_permissions(matrix_file(tmp_path, HEADER + "view,查看,View,看,1,1,1\n"))


def test_the_admin_role_cannot_lose_administration(tmp_path):
    path = matrix_file(tmp_path, HEADER + "".join(ROWS.values()).replace("admin,管理,Administration,管,0,0,0,1", "admin,管理,Administration,管,0,0,0,0"))
    with pytest.raises(PermissionsError, match="管理员角色必须保留"):
        load_permissions(path)
