"""Incremental staging: files unchanged since the published database reuse its staged rows.

A build reads only the files that are new or changed. A file that the last run of the previous
published database loaded under the same name with the same checksum (its `etl_files`) is not read:
its rows are copied from that database, ATTACHed read-only — raw_<type>, stg_<type> and its
`invalid` rejects, with this run's load_id. That holds only while what staging depends on is
unchanged: the staging code and the reference files (the previous database's `etl_staging_basis`
says which it was staged with) and the files of communities and imported indicators (which are
always read, never reused). Otherwise every file is read again, a full re-stage, and the run's notes
say why. Publishing is untouched: the build still writes a new file that replaces the live one.

Also read again, never reused: a file whose rows the previous build rejected as `duplicate` or
`replaced` (their typed values were not kept), and a file whose content another file of this build
repeats (which of them is skipped depends on both).

Reused rows whose key a newly read row also has join the de-duplication (etl.staging._store) with
their staged values and raw texts; the rest are copied into stg_<type> as they are: unchanged files
staged against unchanged dependencies cannot conflict among themselves, or they would have been
rejected as duplicates last time.
"""
from __future__ import annotations

import hashlib
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import duckdb

from etl import schema
from etl.database import open_read_only
from etl.paths import REFERENCE_DIR
from etl.readers import FileLoad, file_checksum
from etl.schema import RecordType
from etl.staging import quote, raw_table, stg_column, stg_table

ROOT = Path(__file__).resolve().parent.parent
# What decides how a file's rows are staged, besides the file itself and DEPENDENCY_TYPES.
STAGING_CODE = ("etl/schema.py", "etl/staging.py", "etl/catalogue.py", "etl/readers.py", "etl/csv_encoding.py",
                "etl/unusable_cells.py", "etl/cell_checks.py", "etl/xlsx_package.py", "etl/reuse.py")
DEPENDENCY_TYPES = ("communities", "indicators")   # record types other files are staged against
BASIS_TABLE = "etl_staging_basis"
ALIAS = "previous_stage"

NOTE_REUSED = "增量暂存：{n} 个未变更的文件（共 {rows} 行）沿用上一次发布的暂存结果，未重新读取"
NOTE_FULL = "全部文件重新暂存：{why}"
WHY_BASIS = "暂存程序或参考文件与上一次发布时不同"
WHY_DEPENDENCIES = "社区名录或指标目录文件有变更"
WHY_UNREADABLE = "上一个数据库无法读取（{error}）"


def _sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def basis() -> dict[str, str]:
    """component → checksum: the staging code and the reference files."""
    parts = {f"code:{name}": _sha256(ROOT / name) for name in STAGING_CODE}
    parts |= {f"reference:{p.name}": _sha256(p) for p in sorted(REFERENCE_DIR.glob("*.csv"))}
    return parts


@dataclass
class Reuse:
    """The plan of one build: which files are copied from `previous` instead of read."""
    previous: Path | None = None
    load_id: str = ""
    loads: dict[str, FileLoad] = field(default_factory=dict)   # source_file → its load as the previous run had it
    dependencies: set[tuple[str, str]] = field(default_factory=set)   # (source_file, checksum) of DEPENDENCY_TYPES
    notes: list[str] = field(default_factory=list)
    attached: bool = False

    def covers(self, source_file: str) -> bool:
        return source_file in self.loads

    def settle(self, con: duckdb.DuckDBPyConnection, loads: list[FileLoad], order: Sequence[str],
               read: Callable[[list[str]], list[FileLoad]]) -> list[FileLoad]:
        """With the other files read (`loads`): reuse when their dependencies are the previous ones,
        else `read` the planned files too (a full re-stage). Every load, in `order` (source files)."""
        if self.loads:
            now = {(f.source_file, f.checksum) for f in loads if f.record_type in DEPENDENCY_TYPES}
            if now != self.dependencies:
                self.notes.append(NOTE_FULL.format(why=WHY_DEPENDENCIES))
                loads = loads + read(list(self.loads))
                self.loads = {}
            else:
                con.execute(f"ATTACH ? AS {ALIAS} (READ_ONLY)", [str(self.previous)])
                self.attached = True
                con.execute("CREATE OR REPLACE TEMP TABLE _reused_files AS SELECT unnest($f) AS source_file",
                            {"f": list(self.loads)})
                loads = loads + list(self.loads.values())
                self.notes.append(NOTE_REUSED.format(n=len(self.loads),
                                                     rows=f"{sum(f.rows_read for f in self.loads.values()):,}"))
        place = {name: i for i, name in enumerate(order)}
        return sorted(loads, key=lambda f: place.get(f.source_file, len(place)))

    def before_store(self, con: duckdb.DuckDBPyConnection, rt: RecordType) -> None:
        """Called by etl.staging.stage once `_typed` holds the newly read rows of `rt`: copy the
        reused files' raw rows, their invalid rejects and their staged rows, the staged rows that
        share a key with a new row into `_typed` (with their raw texts) for _store to de-duplicate."""
        if not self.attached or not any(f.record_type == rt.name for f in self.loads.values()):
            return
        ours = "source_file IN (SELECT source_file FROM _reused_files)"
        params = {"load_id": self.load_id, "record_type": rt.name}
        con.execute(f"INSERT INTO {raw_table(rt)} BY NAME SELECT * REPLACE ($load_id AS load_id) "
                    f"FROM {ALIAS}.{raw_table(rt)} WHERE {ours}", {"load_id": self.load_id})
        con.execute(f"INSERT INTO rejects BY NAME SELECT * REPLACE ($load_id AS load_id) FROM {ALIAS}.rejects "
                    f"WHERE {ours} AND record_type = $record_type AND kind = 'invalid' ORDER BY source_file, source_row", params)
        n = range(len(rt.fields))
        key_columns = [quote(stg_column(f)) for f in rt.fields if f.name in rt.key]   # as _type_rows hashes them
        key = f"hash({', '.join(key_columns)})"
        clash = f"{key} IN (SELECT key_hash FROM _typed WHERE error IS NULL)"
        con.execute(f"INSERT INTO {stg_table(rt)} BY NAME SELECT * REPLACE ($load_id AS load_id) "
                    f"FROM {ALIAS}.{stg_table(rt)} WHERE {ours} AND NOT ({clash})", {"load_id": self.load_id})
        values = ", ".join(f"s.{quote(stg_column(f))} AS v_{i}" for i, f in zip(n, rt.fields))
        texts = ", ".join(f"r.{quote(f.name)} AS r_{i}" for i, f in zip(n, rt.fields) if f.name in rt.key)
        con.execute(f"INSERT INTO _typed BY NAME SELECT s.source_file, s.source_row, $load_id AS load_id, {values}, "
                    f"{texts}, hash({', '.join('s.' + c for c in key_columns)}) AS key_hash, NULL AS error "
                    f"FROM (SELECT * FROM {ALIAS}.{stg_table(rt)} WHERE {ours} AND {clash}) s "
                    f"JOIN {ALIAS}.{raw_table(rt)} r USING (source_file, source_row)", {"load_id": self.load_id})

    def close(self, con: duckdb.DuckDBPyConnection) -> None:
        """Detach the previous database; record what this database's rows were staged with."""
        if self.attached:
            con.execute(f"DETACH {ALIAS}")
            con.execute("DROP TABLE IF EXISTS _reused_files")
            self.attached = False
        con.execute(f"CREATE OR REPLACE TABLE {BASIS_TABLE} (component VARCHAR, checksum VARCHAR)")
        con.execute(f"COMMENT ON TABLE {BASIS_TABLE} IS '粒度：暂存所依据的一个程序文件或参考文件（增量暂存据此判断能否沿用）'")
        con.execute(f"INSERT INTO {BASIS_TABLE} SELECT unnest($c), unnest($s)",
                    {"c": list(basis()), "s": list(basis().values())})


def plan(previous: Path | None, files: Sequence[tuple[Path, str]], load_id: str) -> Reuse:
    """Which of `files` (path, source_file) may be copied from the published database `previous`."""
    reuse = Reuse(previous, load_id)
    if previous is None or not Path(previous).exists():
        return reuse
    try:
        with open_read_only(previous) as con:
            tables = {r[0] for r in con.execute("SELECT table_name FROM duckdb_tables() "
                                                "WHERE database_name = 'warehouse'").fetchall()}
            if BASIS_TABLE not in tables or "etl_files" not in tables:
                return reuse
            if dict(con.execute(f"SELECT component, checksum FROM {BASIS_TABLE}").fetchall()) != basis():
                reuse.notes.append(NOTE_FULL.format(why=WHY_BASIS))
                return reuse
            rows = con.execute(
                "SELECT source_file, checksum, record_type, encoding, rows_read, message FROM etl_files "
                "WHERE run_id = (SELECT run_id FROM etl_runs ORDER BY finished_at DESC, run_id DESC LIMIT 1)").fetchall()
            unclean = {r[0] for r in con.execute(
                "SELECT DISTINCT source_file FROM rejects WHERE kind <> 'invalid'").fetchall()}
    except duckdb.Error as exc:
        reuse.notes.append(NOTE_FULL.format(why=WHY_UNREADABLE.format(error=str(exc).splitlines()[0])))
        return reuse
    before = {name: (checksum, record_type, encoding, rows_read, message)
              for name, checksum, record_type, encoding, rows_read, message in rows}
    reuse.dependencies = {(name, row[0]) for name, row in before.items() if row[1] in DEPENDENCY_TYPES}
    wanted = [(path, name) for path, name in files if name in before and before[name][1] is not None
              and before[name][1] not in DEPENDENCY_TYPES and before[name][1] in schema.RECORD_TYPES
              and name not in unclean]
    if not wanted:
        return reuse
    checksums = {name: file_checksum(path) for path, name in files}
    repeated = {c for c, k in Counter(checksums.values()).items() if k > 1}
    for path, name in wanted:
        checksum, record_type, encoding, rows_read, message = before[name]
        if checksums[name] == checksum and checksum not in repeated:
            reuse.loads[name] = FileLoad(source_file=name, checksum=checksum, record_type=record_type,
                                         encoding=encoding, rows_read=rows_read or 0,
                                         notes=[message] if message else [])
    return reuse
