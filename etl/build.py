"""One build: files → raw → staging → marts → data tests → run history → atomic publish.

Also `preview` (the same build into a work file, for the intake page), `check` (validate only) and
`publishing` (the publish lock, whose first holder clears what killed publishes left).
"""
from __future__ import annotations

import argparse
import datetime as dt
import json
import time
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

import duckdb

from etl import manifest, schema
from etl.database import build_config, open_read_only
from etl.datatests import assert_data_tests
from etl.errors import BuildError, EtlError, FileReadError, StorageError
from etl.manifest import UPLOADS_DIR
from etl.marts import build_marts
from etl.publish import carry_history, new_run_id, publish, publish_lock, upgrade_history
from etl.reuse import plan as plan_reuse
from etl.readers import RUN_BYTES, FileLoad, csv_run_key, file_checksum, is_data_file, load_csv_run, load_file
from etl.staging import create_raw_tables, create_staging_tables, stage, stg_table
from etl.terminal import text_table
from etl.workfiles import remove_work_files, sweep_previews, work_file
from security.audit import os_user

DATASET_FILE = "dataset.json"

RUN_HISTORY_DDL = (
    "CREATE TABLE etl_runs (run_id VARCHAR, started_at TIMESTAMP, finished_at TIMESTAMP, duration_s DOUBLE, "
    "data_dir VARCHAR, dataset_kind VARCHAR, dataset_label VARCHAR, catalogue_version VARCHAR, files INTEGER, "
    "rows_read BIGINT, rows_loaded BIGINT, rows_rejected BIGINT, status VARCHAR)",
    "COMMENT ON TABLE etl_runs IS '粒度：一次发布（构建或回滚）；时间为 UTC；历次发布从上一个数据库延续'",
    "CREATE TABLE etl_files (run_id VARCHAR, source_file VARCHAR, record_type VARCHAR, checksum VARCHAR, "
    "encoding VARCHAR, rows_read BIGINT, rows_loaded BIGINT, rows_rejected BIGINT, message VARCHAR)",
    "COMMENT ON TABLE etl_files IS '粒度：一次运行中的一个文件'",
)


@dataclass
class BuildResult:
    run_id: str
    db_path: Path
    files: list[FileLoad]
    rows_read: int
    rows_loaded: int
    rows_rejected: int
    duration_s: float
    dataset_kind: str = "real"
    dataset_label: str = ""
    notes: list[str] = field(default_factory=list)
    actor: str | None = None
    reason: str | None = None
    reused: list[str] = field(default_factory=list)   # files whose staged rows came from the previous database

    @property
    def unreadable(self) -> list[FileLoad]:
        return [f for f in self.files if f.error]


@dataclass(frozen=True)
class Problem:
    """One finding of `check`: kind is invalid / duplicate / unreadable / skipped (a check not made)."""
    file: str
    row: int | None
    field: str | None
    reason: str
    kind: str = "invalid"


def dataset_info(data_dir: Path) -> tuple[str, str]:
    """(kind, label) from `dataset.json`; a folder without it holds real data."""
    path = Path(data_dir) / DATASET_FILE
    if not path.exists():
        return "real", ""
    info = json.loads(path.read_text(encoding="utf-8"))
    return info.get("kind", "real"), info.get("label_zh") or info.get("label_en") or ""


def catalogue_version(con: duckdb.DuckDBPyConnection) -> str:
    """The versions the built catalogue holds (reference and imported indicators, etl.catalogue)."""
    return con.execute("SELECT string_agg(DISTINCT version, '、' ORDER BY version) FROM ref_indicators").fetchone()[0]


@dataclass(frozen=True)
class InputFile:
    path: Path
    source_file: str                 # the name recorded as source_file
    order: int = 0                   # place in upload order; 0 = the data folder (see etl.staging.stage)
    original_name: str | None = None  # an upload's own name, from the manifest
    subdistrict: str | None = None    # the 街道 of rows without one: a folder's name, a scoped upload's


def input_files(data_dir: Path | None, live_db: Path | None, extra_files: Sequence[Path], *,
                pending: bool = False, extra_subdistrict: str | None = None) -> list[InputFile]:
    """The data folder's files by name, then the uploads the manifest of `live_db` lists, in upload
    order (`pending`: a confirm's own, see etl.manifest), then `extra_files` (of `extra_subdistrict`:
    a scoped account's upload previewed)."""
    found = []
    if data_dir is not None:
        found += [InputFile(p, p.name) for p in sorted(Path(data_dir).iterdir()) if is_data_file(p)]
        # A folder per subdistrict (data/南星街道/cases.csv): its files' rows belong to that 街道.
        folders = [d for d in sorted(Path(data_dir).iterdir())
                   if d.is_dir() and d.name != UPLOADS_DIR and not d.name.startswith((".", "_"))]
        found += [InputFile(p, f"{folder.name}/{p.name}", subdistrict=folder.name)
                  for folder in folders for p in sorted(folder.iterdir()) if is_data_file(p)]
    uploads = manifest.listed(live_db, pending=pending) if live_db is not None else []
    uploads += [(Path(p), {"subdistrict": extra_subdistrict}) for p in extra_files]
    found += [InputFile(path, f"{UPLOADS_DIR}/{path.name}", order, entry.get("original_name"),
                        entry.get("subdistrict"))
              for order, (path, entry) in enumerate(uploads, start=1)]
    return found


def load_files(con: duckdb.DuckDBPyConnection, files: Sequence[tuple[Path, str] | tuple[Path, str, str | None]],
               load_id: str) -> list[FileLoad]:
    """Every (path, name[, subdistrict]) into raw_*; an unreadable file is recorded, not raised; same
    content twice is skipped. Consecutive CSV files that share a first line are read together
    (etl.readers.load_csv_run)."""
    files = [(path, name, next(iter(folder), None)) for path, name, *folder in files]
    loads: list[FileLoad] = []
    seen: dict[str, str] = {}
    checksums = [file_checksum(path) for path, _, _ in files]
    keys: dict[int, tuple | None] = {}
    i = 0
    while i < len(files):
        run = _csv_run(files, checksums, keys, i, seen)
        batch = load_csv_run(con, [(*files[j], checksums[j]) for j in run], load_id, keys[i][0]) if len(run) > 1 else None
        for load in batch or ():
            loads.append(load)
            seen[load.checksum] = load.source_file
        for j in run if batch is None else ():
            path, name, folder = files[j]
            if checksums[j] in seen:
                loads.append(FileLoad(source_file=name, checksum=checksums[j], duplicate_of=seen[checksums[j]]))
                continue
            try:
                loads.append(load_file(con, path, name, load_id, checksum=checksums[j], subdistrict=folder))
                seen[checksums[j]] = name
            except FileReadError as exc:
                loads.append(FileLoad(source_file=name, checksum=checksums[j], error=exc.reason))
        i += len(run)
    return loads


def _csv_run(files: list[tuple[Path, str, str | None]], checksums: list[str], keys: dict[int, tuple | None],
             i: int, seen: dict[str, str]) -> list[int]:
    """Indexes of the files from i on that load_csv_run may read together: [i] alone, or i and the
    files after it with its csv_run_key, each of new content, up to RUN_BYTES."""
    def key(j: int) -> tuple | None:
        if j not in keys:
            keys[j] = csv_run_key(*files[j][:2])
        return keys[j]

    run, contents, size = [i], {checksums[i]}, files[i][0].stat().st_size
    if key(i) is None or checksums[i] in seen:
        return run
    while (i + len(run) < len(files) and size < RUN_BYTES and checksums[j := i + len(run)] not in seen
           and checksums[j] not in contents and key(j) == key(i)):
        run.append(j)
        contents.add(checksums[j])
        size += files[j][0].stat().st_size
    return run


def _count_outcomes(con, loads: list[FileLoad]) -> None:
    kept = " UNION ALL ".join(f"SELECT source_file FROM {stg_table(rt)}" for rt in schema.RECORD_TYPES.values())
    loaded = dict(con.execute(f"SELECT source_file, count(*) FROM ({kept}) GROUP BY 1").fetchall())
    rejected = dict(con.execute("SELECT source_file, count(*) FROM rejects GROUP BY 1").fetchall())
    for load in loads:
        load.rows_loaded = loaded.get(load.source_file, 0)
        load.rows_rejected = rejected.get(load.source_file, 0)


def _record_run(con, result: BuildResult, started: dt.datetime, data_dir: Path | None, status: str,
                original_names: dict[str, str | None]) -> None:
    for ddl in RUN_HISTORY_DDL:
        con.execute(ddl)
    upgrade_history(con)     # actor, reason (etl_runs) and original_name (etl_files), after the first columns
    finished = dt.datetime.now(dt.UTC).replace(tzinfo=None)
    result.duration_s = (finished - started).total_seconds()
    con.execute("INSERT INTO etl_runs VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                [result.run_id, started, finished, result.duration_s,
                 str(Path(data_dir).resolve()) if data_dir else None, result.dataset_kind, result.dataset_label,
                 catalogue_version(con), len(result.files), result.rows_read, result.rows_loaded,
                 result.rows_rejected, status, result.actor, result.reason])
    # One statement for all files (a province has thousands; executemany is a statement per row).
    columns = list(zip(*[[result.run_id, f.source_file, f.record_type, f.checksum, f.encoding, f.rows_read,
                          f.rows_loaded, f.rows_rejected, f.message, original_names.get(f.source_file)]
                         for f in result.files])) or [[]] * 10
    con.execute("INSERT INTO etl_files SELECT " + ", ".join(f"unnest($p{i})" for i in range(10)),
                {f"p{i}": list(values) for i, values in enumerate(columns)})


def _build_into(target: Path, data_dir: Path | None, files: list[InputFile], run_id: str,
                previous_db: Path | None, status: str, actor: str | None = None,
                reason: str | None = None) -> BuildResult:
    """The whole build into the new file `target` (closed on return); raises BuildError on a failed data test."""
    started = dt.datetime.now(dt.UTC).replace(tzinfo=None)
    clock = time.perf_counter()
    kind, label = dataset_info(data_dir) if data_dir else ("real", "")
    con = duckdb.connect(str(target), config=build_config(target))
    try:
        create_raw_tables(con)
        create_staging_tables(con)
        # Unchanged files reuse the staged rows of the previous database (etl.reuse); the rest are read.
        reuse = plan_reuse(previous_db, [(f.path, f.source_file) for f in files], run_id)
        loads = load_files(con, [(f.path, f.source_file, f.subdistrict) for f in files
                                 if not reuse.covers(f.source_file)], run_id)
        loads = reuse.settle(con, loads, [f.source_file for f in files], lambda names: load_files(
            con, [(f.path, f.source_file, f.subdistrict) for f in files if f.source_file in names], run_id))
        stage(con, {load.source_file: load.missing_columns for load in loads},
              file_order={f.source_file: f.order for f in files}, reuse=reuse)
        reuse.close(con)
        _count_outcomes(con, loads)
        build_marts(con)
        result = BuildResult(run_id=run_id, db_path=target, files=loads,
                             rows_read=sum(f.rows_read for f in loads),
                             rows_loaded=sum(f.rows_loaded for f in loads),
                             rows_rejected=sum(f.rows_rejected for f in loads),
                             duration_s=0.0, dataset_kind=kind, dataset_label=label, actor=actor, reason=reason,
                             notes=reuse.notes, reused=sorted(reuse.loads))
        _record_run(con, result, started, data_dir, status, {f.source_file: f.original_name for f in files})
        if previous_db is not None and previous_db.exists():
            try:
                carry_history(con, previous_db)
            except duckdb.Error as exc:
                result.notes.append(f"上一个数据库的运行历史无法读取，未能延续：{exc}")
        assert_data_tests(con)
        con.execute("CHECKPOINT")
        result.duration_s = time.perf_counter() - clock
        return result
    finally:
        con.close()


@contextmanager
def publishing(db_path: Path) -> Iterator[None]:
    """Hold the publish lock (etl.publish.publish_lock); its outermost holder first clears what
    killed publishes left: work files, half-written or unconfirmed uploads, previews of ended processes."""
    with publish_lock(db_path) as outermost:
        if outermost:
            remove_work_files(db_path)
            manifest.recover(db_path)
            sweep_previews()
        yield


def build(data_dir: Path | None, db_path: Path, *, extra_files: Sequence[Path] = (), actor: str | None = None,
          reason: str | None = None) -> BuildResult:
    """Load every file of `data_dir` (plus the uploads the manifest lists and `extra_files`), test,
    publish atomically; the run records `actor` (default: the OS user) and `reason`.

    Waits for another publish of `db_path` (PublishBusyError when it takes too long). Raises
    BuildError (nothing published, the live file untouched) when a data test fails or a
    file system / database error interrupts the build.
    """
    db_path = Path(db_path)
    try:
        db_path.parent.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise StorageError(exc, db_path.parent, "构建") from exc
    try:
        with publishing(db_path):
            result = _build_and_publish(data_dir, db_path, extra_files, actor or os_user(), reason)
    except (OSError, duckdb.Error) as exc:
        raise BuildError(f"构建或发布时出错，未发布，原数据库保持不变：{exc}") from exc
    result.db_path = db_path
    return result


def _build_and_publish(data_dir: Path | None, db_path: Path, extra_files: Sequence[Path], actor: str,
                       reason: str | None) -> BuildResult:
    run_id = new_run_id()
    target = work_file(db_path, run_id)
    files = input_files(data_dir, db_path, extra_files, pending=True)
    try:
        # No data folder: a database built from uploads alone (an install whose first data came through intake).
        result = _build_into(target, Path(data_dir) if data_dir is not None else None, files, run_id, db_path,
                             "published", actor, reason)
        publish(target, db_path)
    finally:
        target.unlink(missing_ok=True)
        target.with_name(target.name + ".wal").unlink(missing_ok=True)
    return result


def preview(data_dir: Path, extra_files: Sequence[Path] = (), *, work_db: Path,
            live_db: Path | None = None, extra_subdistrict: str | None = None) -> BuildResult:
    """The same build into `work_db`, not published (intake: before → after).

    With `live_db`, its confirmed uploads are included and its run history carried, as a build would.
    `extra_subdistrict`: the 街道 of the rows of `extra_files` that give none (a scoped account's upload).
    """
    work_db = Path(work_db)
    work_db.unlink(missing_ok=True)
    files = input_files(data_dir, Path(live_db) if live_db else None, extra_files,
                        extra_subdistrict=extra_subdistrict)
    return _build_into(work_db, Path(data_dir) if data_dir else None, files, new_run_id(),
                       Path(live_db) if live_db else None, "preview")


def check(files: Sequence[Path], *, db: Path | None = None) -> list[Problem]:
    """Validate files without writing anything. Communities come from a communities file among
    `files`, else from `db` if it exists, else community checks are skipped (one `skipped` problem).
    Indicators imported into `db` (record type `indicators`) count as part of the catalogue."""
    con = duckdb.connect()
    try:
        create_raw_tables(con)
        create_staging_tables(con)
        loads = load_files(con, [(Path(p), Path(p).name) for p in files], "check")
        check_communities = any(load.record_type == "communities" for load in loads)
        if db is not None and Path(db).exists():
            con.execute("ATTACH ? AS live (READ_ONLY)", [str(db)])
            if not check_communities:
                con.execute("INSERT INTO stg_communities BY NAME SELECT * FROM live.stg_communities")
                check_communities = True
            if con.execute("SELECT count(*) FROM duckdb_tables() WHERE database_name = 'live' "
                           "AND table_name = 'stg_indicators'").fetchone()[0]:
                con.execute("INSERT INTO stg_indicators BY NAME SELECT * FROM live.stg_indicators")
            con.execute("DETACH live")
        stage(con, {load.source_file: load.missing_columns for load in loads}, check_communities=check_communities)
        problems = [Problem(f.source_file, None, None, f.error, "unreadable") for f in loads if f.error]
        problems += [Problem(*row) for row in con.execute(
            "SELECT source_file, source_row, field, reason, kind FROM rejects ORDER BY source_file, source_row")
            .fetchall()]
        if not check_communities:
            problems.append(Problem("", None, "community", "未提供社区名录（文件中没有社区名录，也没有可用的数据库），"
                                    "社区校验已跳过", "skipped"))
        return problems
    finally:
        con.close()


def format_summary(result: BuildResult) -> str:
    rows = [[f.source_file, schema.RECORD_TYPES[f.record_type].name_zh if f.record_type else "-", f.encoding or "-", f.rows_read, f.rows_loaded, f.rows_rejected,
             f.message] for f in result.files]
    out = [text_table(["文件", "类型", "编码", "读取", "载入", "拒绝", "说明"], rows),
           f"合计：{len(result.files)} 个文件，读取 {result.rows_read} 行，载入 {result.rows_loaded} 行，"
           f"拒绝 {result.rows_rejected} 行；用时 {result.duration_s:.2f} 秒；运行编号 {result.run_id}"]
    out += result.notes
    return "\n".join(out)


def _reject_sample(db: Path, run_id: str, per_file: int = 5) -> list[list[str]]:
    with open_read_only(db) as con:
        return con.execute(
            "SELECT source_file, source_row, field, reason FROM rejects WHERE load_id = ? "
            "QUALIFY row_number() OVER (PARTITION BY source_file ORDER BY source_row) <= ? "
            "ORDER BY source_file, source_row", [run_id, per_file]).fetchall()


def cli_build(args: argparse.Namespace) -> int:
    try:
        result = build(args.data, args.db, actor=os_user(), reason=args.reason)
    except EtlError as exc:
        print(f"构建失败：{exc}")
        return 1
    print(format_summary(result))
    sample = _reject_sample(result.db_path, result.run_id)
    if sample:
        print("\n被拒绝的行（每个文件最多 5 行，全部见数据库 rejects 表）：")
        print(text_table(["文件", "行", "字段", "原因"], [[f, r, c or "", why] for f, r, c, why in sample]))
    print(f"\n已发布：{result.db_path}")
    if result.unreadable:
        names = "、".join(f.source_file for f in result.unreadable)
        print(f"有 {len(result.unreadable)} 个文件无法读取：{names}（其余文件已载入并发布）")
        return 1
    return 0


def cli_check(args: argparse.Namespace) -> int:
    problems = check(args.files, db=args.db)
    for p in problems:
        print(f"{p.file or '-'}\t{'第' + str(p.row) + '行' if p.row else '-'}\t{p.field or '-'}\t{p.reason}")
    errors = [p for p in problems if p.kind != "skipped"]
    print(f"检查 {len(args.files)} 个文件：{len(errors)} 个问题" + ("" if errors else "，可以导入"))
    return 1 if errors else 0
