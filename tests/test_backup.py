"""`python -m etl backup`: the install's state copied to a second path, only what changed."""
from __future__ import annotations

import shutil
import sqlite3

from etl.__main__ import main
from etl.backup import backup
from security.accounts import Accounts, accounts_path
from security.audit import AuditLog, audit_log


def install(sample_db, tmp_path):
    data = tmp_path / "data"
    data.mkdir()
    db = data / "warehouse.duckdb"
    shutil.copyfile(sample_db, db)
    (data / "snapshots").mkdir()
    shutil.copyfile(sample_db, data / "snapshots" / "20240101T000000.000000Z.duckdb")
    Accounts(accounts_path(db)).add("li", "analyst", "Sicher-Passwort-1")
    audit_log(db).record("sign_in", user="li", role="analyst")
    return db


def test_backup_copies_database_snapshots_accounts_and_audit_then_only_what_changed(sample_db, tmp_path):
    db = install(sample_db, tmp_path)
    target = tmp_path / "second-disk"
    first = backup(db, target)
    assert sorted(first.copied) == ["accounts.sqlite", "audit/audit.jsonl",
                                    "snapshots/20240101T000000.000000Z.duckdb", "warehouse.duckdb"]
    assert (target / "warehouse.duckdb").read_bytes() == db.read_bytes()
    with sqlite3.connect(target / "accounts.sqlite") as con:
        assert con.execute("SELECT name, role FROM users").fetchall() == [("li", "analyst")]
    assert AuditLog(target / "audit" / "audit.jsonl").verify().rows == 1 == first.audit_rows
    again = backup(db, target)
    assert (sorted(again.copied), again.unchanged) == (["accounts.sqlite", "audit/audit.jsonl"], 2)


def test_backup_inside_the_data_folder_is_refused_and_the_command_says_why(sample_db, tmp_path, capsys):
    db = install(sample_db, tmp_path)
    assert main(["backup", "--to", str(db.parent / "copy"), "--db", str(db)]) == 1
    assert "备份目录不能在数据目录之内" in capsys.readouterr().out
    assert not (db.parent / "copy").exists()


def test_backup_command_is_audited(sample_db, tmp_path, capsys):
    db = install(sample_db, tmp_path)
    assert main(["backup", "--to", str(tmp_path / "b"), "--db", str(db)]) == 0
    assert "校验通过" in capsys.readouterr().out
    last = audit_log(db).rows()[-1]
    assert (last["action"], last["object"], last["outcome"]) == ("cli_backup", str(tmp_path / "b"), "ok")
