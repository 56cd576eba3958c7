"""Uploads from the 数据导入 page: check each file, preview the build it would make, confirm or cancel.

Nothing here touches the live database until `confirm`: `preview` builds a separate work database
from the live database's data (its last run's data folder plus the kept uploads) and the new files,
and compares indicators and names the records the new files replace. `confirm` keeps the new files
in `<db dir>/uploads/` under their sha256 (so every row stays traceable to its file and the same
file twice adds nothing), listed in upload order with who and why (etl.manifest), and publishes a
new database atomically through etl.build, under the publish lock; `cancel` deletes the work database.
"""
from __future__ import annotations

import datetime as dt
import hashlib
import shutil
import tempfile
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO

import duckdb
import pandas as pd

from etl import manifest, schema
from etl.build import UPLOADS_DIR, build, publishing
from etl.build import preview as build_preview
from etl.database import ReadOnlyDatabase, open_read_only
from etl.errors import EtlError, FileReadError, StorageError
from etl.gi_annual import gi_report
from etl.manifest import MANIFEST, WITHDRAWN_DIR, uploads_dir  # noqa: F401  (part of this module's interface)
from etl.messages import message
from etl.readers import FileLoad, is_data_file, load_file
from etl.schema import DATE
from etl.staging import create_raw_tables, quote
from etl.workfiles import new_preview_dir, sweep_previews
from security.audit import os_user

MAX_BYTES = 50 * 1024 * 1024
ACCEPTED_SUFFIXES = (".csv", ".xlsx")


@dataclass
class Upload:
    """One uploaded file as checked: its type (recognised or chosen), or why it is refused."""
    name: str
    data: bytes = field(repr=False)
    checksum: str
    record_type: str | None = None
    recognised_type: str | None = None
    rows: int = 0
    message: str = ""              # the reader's remarks (ignored columns, missing required columns)
    refusal: str | None = None     # set when the file is refused; nothing of it is used then

    @property
    def suffix(self) -> str:
        return Path(self.name).suffix.lower()

    @property
    def stored_name(self) -> str:
        """Type first (so a build recognises it, user's choice included), then the checksum."""
        return f"{self.record_type}_{self.checksum}{self.suffix}"


def open_database(db: Path) -> ReadOnlyDatabase:
    """Read the file as it is now (not a cached instance of a replaced file): `open_read_only`."""
    return open_read_only(db)


def _read_file(path: Path, name: str, record_type: str | None) -> FileLoad:
    """Read the file into a throwaway database: the same reader a build uses. Raises FileReadError."""
    con = duckdb.connect()
    try:
        create_raw_tables(con)
        return load_file(con, path, name, "check", record_type=record_type)
    finally:
        con.close()


def inspect_upload(name: str, data: bytes, record_type: str | None = None) -> Upload:
    """Check one file; `record_type` overrides the recognised type. Bad input gives a refusal, not an error."""
    upload = Upload(name=name, data=data, checksum=hashlib.sha256(data).hexdigest())
    if upload.suffix not in ACCEPTED_SUFFIXES:
        upload.refusal = f"“{name}”不是 CSV 或 XLSX 文件，未导入（只接受 .csv 和 .xlsx）。"
        return upload
    if len(data) > MAX_BYTES:
        upload.refusal = f"“{name}”大小 {len(data) / 1048576:.1f} MB，超过 50 MB 上限，未导入。"
        return upload
    if record_type is not None and record_type not in schema.RECORD_TYPES:
        upload.refusal = f"“{name}”：未知的记录类型“{record_type}”，未导入。"
        return upload
    with tempfile.TemporaryDirectory(prefix="intake-check-") as tmp:
        path = Path(tmp) / f"upload{upload.suffix}"
        path.write_bytes(data)
        try:
            load = _read_file(path, name, None)
            upload.recognised_type = load.record_type
        except FileReadError as exc:
            load, error = None, exc
        if record_type is not None and record_type != upload.recognised_type:
            try:
                load = _read_file(path, name, record_type)
            except FileReadError as exc:
                load, error = None, exc
    if load is None:
        upload.refusal = f"“{name}”无法读取，未导入：{error.reason}"
        return upload
    upload.record_type, upload.rows, upload.message = load.record_type, load.rows_read, load.message
    return upload


# ---- Preview ----------------------------------------------------------------------------------

@dataclass
class FileOutcome:
    """What the preview build did with one uploaded file."""
    upload: Upload
    rows_read: int
    rows_loaded: int
    rows_rejected: int
    message: str
    rejects: pd.DataFrame          # source_row, field, value, reason, kind


@dataclass
class Preview:
    live_db: Path
    work_dir: Path
    work_db: Path
    data_dir: Path | None          # None: no data folder (no database yet, or one built from uploads)
    uploads: list[Upload]          # the files this import adds
    already_kept: list[Upload]     # files identical to an earlier import: they add nothing
    files: list[FileOutcome]
    indicators: pd.DataFrame       # whole-subdistrict indicators of the affected years, before → after
    years: list[int]               # the affected years
    gi_checks: list[str] = field(default_factory=list)   # GI annual-table checks failing after the import
    # The records the new files replace (a later upload wins on a key): record_type, key, file and
    # source_row of the replaced row, by_file and by_row of the row that replaces it (files by their own names).
    replaced: pd.DataFrame = field(default_factory=lambda: pd.DataFrame(columns=REPLACED_COLUMNS))
    hold: IO | None = field(default=None, repr=False)   # keeps work_dir marked in use (etl.workfiles)
    # An account limited to one subdistrict imports only its data: its uploads are kept with it, and
    # every row that resolves to another subdistrict (or to every one) refuses the import (`confirm_import`).
    subdistrict: str | None = None
    scope_refusals: list[str] = field(default_factory=list)   # one message per row: file, row, field


REPLACED_COLUMNS = ["record_type", "key", "file", "source_row", "by_file", "by_row"]


def kept_upload_files(live_db: Path) -> list[Path]:
    """The kept uploads a build reads, in upload order."""
    return [path for path, _ in manifest.listed(live_db)]


def kept_uploads(live_db: Path) -> pd.DataFrame:
    """The imported files kept beside the database, in upload order: stored and original name, type,
    checksum, size, time, who and why, and the subdistrict of a scoped account's upload (else None)."""
    rows = [{"stored_name": path.name, **entry} for path, entry in manifest.listed(live_db)]
    columns = ["stored_name", "original_name", "record_type", "sha256", "bytes", "uploaded_at", "uploaded_by",
               "reason", "subdistrict"]
    return pd.DataFrame(rows, columns=columns)


def current_data_dir(live_db: Path) -> Path | None:
    """The data folder the live database was last built from; None when there is no database yet."""
    if not Path(live_db).exists():
        return None
    with open_database(live_db) as con:
        row = con.execute("SELECT data_dir FROM etl_runs ORDER BY started_at DESC LIMIT 1").fetchone()
    return Path(row[0]) if row and row[0] else None


def preview_import(live_db: Path, uploads: Sequence[Upload], *, subdistrict: str | None = None) -> Preview:
    """Build a work database from the live data plus `uploads` (refused ones are ignored); compare.

    `subdistrict`: the uploading account is limited to it. Rows of the uploads that give no 街道 are
    its; rows that resolve to another subdistrict (a 街道 naming another, a community of another, a
    blank 街道 of a target that would apply to every one) and district-wide record types are listed in
    `scope_refusals`, and such a preview cannot be confirmed. The indicators compared are the
    subdistrict's (None: the whole warehouse's, the district's when it holds several).

    Raises EtlError when the live database's data folder is gone."""
    live_db = Path(live_db)
    data_dir = current_data_dir(live_db)   # None: no database yet, or one built from uploads alone
    if data_dir is not None and not data_dir.is_dir():
        raise EtlError(f"当前数据库的数据目录 {data_dir} 已不存在，无法预览导入。")
    kept = {_checksum_of(p) for p in kept_upload_files(live_db)}
    new = [u for u in uploads if u.refusal is None and u.checksum not in kept]
    already = [u for u in uploads if u.refusal is None and u.checksum in kept]
    sweep_previews()
    work_dir, hold = None, None
    try:
        work_dir, hold = new_preview_dir()
        incoming = work_dir / "incoming"
        incoming.mkdir()
        for upload in new:
            manifest.write_file(incoming / upload.stored_name, upload.data)
        work_db = work_dir / "work.duckdb"
        result = build_preview(data_dir, [incoming / u.stored_name for u in new], work_db=work_db,
                               live_db=live_db, extra_subdistrict=subdistrict)
        files = _file_outcomes(work_db, result, new)
        years = sorted(_changed_years(live_db, work_db, subdistrict) | _record_years(work_db, files))
        indicators = compare_indicators(live_db, work_db, years, subdistrict)
        gi_checks = _gi_checks(work_db, years, subdistrict)
        replaced = _replaced(live_db, work_db, new)
        refusals = scope_refusals(live_db, work_db, new, subdistrict) if subdistrict is not None else []
    except BaseException as exc:
        if hold is not None:
            hold.close()
        if work_dir is not None:
            shutil.rmtree(work_dir, ignore_errors=True)
        if isinstance(exc, OSError):
            raise StorageError(exc, tempfile.gettempdir(), "预览") from exc
        raise
    return Preview(live_db, work_dir, work_db, data_dir, new, already, files, indicators, years, gi_checks,
                   replaced, hold, subdistrict, refusals)


def _words(name: str, suffix: str) -> set[str]:
    """The ways a name is written (as staging matches them): itself and without its suffix, lowercased."""
    name = name.strip().lower()
    return {name, name.removesuffix(suffix)} - {""}


def _owners(con: duckdb.DuckDBPyConnection) -> tuple[dict[str, str], dict[str, set[str]]]:
    """How a 街道 and a community may be written → the subdistrict (subdistricts) they name."""
    subdistricts: dict[str, str] = {}
    communities: dict[str, set[str]] = {}
    for community_id, name, aliases, subdistrict in con.execute(
            "SELECT community_id, name, aliases, subdistrict FROM stg_communities WHERE subdistrict IS NOT NULL"
            ).fetchall():
        for word in _words(subdistrict, "街道"):
            subdistricts[word] = subdistrict
        for word in {community_id.lower(), *_words(name, "社区"), *(a.lower() for a in aliases or ())}:
            communities.setdefault(word, set()).add(subdistrict)
    return subdistricts, communities


def _text(value: object) -> str | None:
    return value.strip() or None if isinstance(value, str) else None


def scope_refusals(live_db: Path, work_db: Path, uploads: Sequence[Upload], scope: str) -> list[str]:
    """The rows of `uploads` (as the preview build read them into `work_db`) that an account limited to
    `scope` may not import, one message each naming the file, the row and the field: a 街道 naming
    another subdistrict, a community (or, in a community list, a community id) of another, a row
    loaded into another subdistrict or into every one (a target with a blank 街道); and files of a
    district-wide record type (the indicator catalogue)."""
    live_subdistricts: dict[str, str] = {}
    live_communities: dict[str, set[str]] = {}
    if Path(live_db).exists():
        with open_database(live_db) as con:
            live_subdistricts, live_communities = _owners(con)
    refusals: list[str] = []
    with open_database(work_db) as con:
        # A community belongs where the live database puts it (an upload may not move it); one it
        # does not know yet, where the upload's community list puts it.
        subdistricts, communities = _owners(con)
        subdistricts |= live_subdistricts
        communities |= live_communities
        for upload in uploads:
            rt = schema.RECORD_TYPES[upload.record_type]
            fields = {f.name: f for f in rt.fields}
            source = f"{UPLOADS_DIR}/{upload.stored_name}"
            if "subdistrict" not in fields and not any(f.kind == schema.COMMUNITY for f in rt.fields):
                refusals.append(message("scope_district_wide", name=upload.name, type=rt.name_zh, scope=scope))
                continue
            community = next((f for f in rt.fields if f.kind == schema.COMMUNITY), None)
            if rt.name == "communities":
                community, owners = fields["community_id"], live_communities
            else:
                owners = communities
            columns = [c for c in ("subdistrict" if "subdistrict" in fields else None,
                                   community.name if community else None) if c]
            raw = con.execute(f"SELECT source_row, {', '.join(quote(c) for c in columns)} FROM raw_{rt.name} "
                              "WHERE source_file = ? ORDER BY source_row", [source]).fetchall()
            refused_rows: set[int] = set()
            for row, *values in raw:
                cells = dict(zip(columns, values))
                written = _text(cells.get("subdistrict"))
                named = subdistricts.get(written.lower()) if written else None
                if named is not None and named != scope:
                    refusals.append(message("scope_other_subdistrict", name=upload.name, row=row,
                                            field=fields["subdistrict"].header_zh, value=written, scope=scope))
                    refused_rows.add(row)
                    continue
                text = _text(cells.get(community.name)) if community else None
                if text is None or text in schema.SUBDISTRICT_LEVEL:
                    continue
                found = owners.get(text.lower()) or owners.get(text.lower().removesuffix("社区"))
                if found and scope not in found:
                    refusals.append(message("scope_other_community", name=upload.name, row=row,
                                            field=community.header_zh, value=text, other="、".join(sorted(found)),
                                            scope=scope))
                    refused_rows.add(row)
            # Whatever else was loaded outside the subdistrict (written in a way the words above miss,
            # or a blank 街道 meaning every subdistrict).
            if "subdistrict" in fields:
                loaded = f"SELECT source_row, subdistrict FROM stg_{rt.name} r WHERE source_file = ?"
            else:
                loaded = (f"SELECT r.source_row, c.subdistrict FROM stg_{rt.name} r "
                          "LEFT JOIN stg_communities c USING (community_id) WHERE r.source_file = ?")
            outside = con.execute(f"SELECT * FROM ({loaded}) WHERE subdistrict IS DISTINCT FROM ? ORDER BY 1",
                                  [source, scope]).fetchall()
            field_name = fields["subdistrict"].header_zh if "subdistrict" in fields else community.header_zh
            for row, subdistrict in outside:
                if row in refused_rows:
                    continue
                if subdistrict is None:
                    refusals.append(message("scope_every_subdistrict", name=upload.name, row=row, field=field_name,
                                            scope=scope))
                else:
                    refusals.append(message("scope_other_subdistrict", name=upload.name, row=row, field=field_name,
                                            value=subdistrict, scope=scope))
    return refusals


def _checksum_of(stored: Path) -> str:
    return stored.stem.rsplit("_", 1)[-1]


def _replaced(live_db: Path, work_db: Path, new: Sequence[Upload]) -> pd.DataFrame:
    """The rows of the preview build that rows of the new files replace (etl.staging: later upload wins)."""
    names = {f"{UPLOADS_DIR}/{path.name}": entry.get("original_name") or path.name
             for path, entry in manifest.listed(live_db)}
    names |= {f"{UPLOADS_DIR}/{u.stored_name}": u.name for u in new}
    with open_database(work_db) as con:
        table = con.execute(
            "SELECT record_type, key, source_file AS file, source_row, replaced_by_file AS by_file, "
            "replaced_by_row AS by_row FROM replacements WHERE list_contains(?, replaced_by_file) "
            "ORDER BY record_type, key, source_file, source_row",
            [[f"{UPLOADS_DIR}/{u.stored_name}" for u in new]]).df()
    for column in ("file", "by_file"):
        table[column] = [names.get(name, name) for name in table[column]]
    return table[REPLACED_COLUMNS]


def _gi_checks(work_db: Path, years: Sequence[int], subdistrict: str | None = None) -> list[str]:
    """The 政府信息公开年报 table checks (表三 identity and sums) that fail in the affected years."""
    with open_database(work_db) as con:
        return [problem for year in years for problem in gi_report(con, year, subdistrict).violations]


def _rejects_of(con: duckdb.DuckDBPyConnection, source_file: str) -> pd.DataFrame:
    return con.execute(
        "SELECT source_row, field, value, reason, kind FROM rejects WHERE source_file = ? "
        "ORDER BY source_row, field", [source_file]).df()


def _file_outcomes(work_db: Path, result, uploads: Sequence[Upload]) -> list[FileOutcome]:
    by_name = {Path(f.source_file).name: f for f in result.files}
    with open_database(work_db) as con:
        return [FileOutcome(u, f.rows_read, f.rows_loaded, f.rows_rejected, f.message, _rejects_of(con, f.source_file))
                for u in uploads for f in [by_name[u.stored_name]]]


def _year_expression(rt: schema.RecordType) -> str | None:
    """SQL for the year a record of this type falls in (None: it concerns no year, e.g. a community)."""
    for f in rt.fields:
        if f.name in ("year", "year_granted"):
            return quote(f.name)
        if f.kind == DATE:
            return f"year({quote(f.name)})"
    return None


def _record_years(work_db: Path, files: Sequence[FileOutcome]) -> set[int]:
    """The years the loaded rows of the new files fall in."""
    with open_database(work_db) as con:
        years: set[int] = set()
        for outcome in files:
            rt = schema.RECORD_TYPES[outcome.upload.record_type]
            expression = _year_expression(rt)
            if expression is None:
                continue
            rows = con.execute(f"SELECT DISTINCT {expression} FROM stg_{rt.name} "
                               f"WHERE source_file LIKE ? AND {expression} IS NOT NULL",
                               [f"%{outcome.upload.stored_name}"]).fetchall()
            years |= {int(y) for (y,) in rows}
        return years


def _whole_subdistrict_values(db: Path, subdistrict: str | None = None) -> pd.DataFrame:
    """The whole rows of the mart: of `subdistrict`; None: the district's when the database holds
    several subdistricts, else the only one's (a database from before subdistricts: its whole rows)."""
    columns = ["indicator_id", "year", "value", "status"]
    if not Path(db).exists():
        return pd.DataFrame(columns=columns)
    with open_database(db) as con:
        has_column = con.execute("SELECT count(*) FROM duckdb_columns() WHERE table_name = 'mart_indicator_values' "
                                 "AND column_name = 'subdistrict'").fetchone()[0]
        if not has_column:
            return con.execute("SELECT indicator_id, year, value, status FROM mart_indicator_values "
                               "WHERE community_id IS NULL").df()
        if subdistrict is None:
            known = [r[0] for r in con.execute("SELECT DISTINCT subdistrict FROM mart_indicator_values "
                                               "WHERE community_id IS NULL AND subdistrict IS NOT NULL").fetchall()]
            subdistrict = known[0] if len(known) == 1 else None
        return con.execute("SELECT indicator_id, year, value, status FROM mart_indicator_values "
                           "WHERE community_id IS NULL AND subdistrict IS NOT DISTINCT FROM ?", [subdistrict]).df()


def _changed_years(live_db: Path, work_db: Path, subdistrict: str | None = None) -> set[int]:
    merged = _merged_values(live_db, work_db, subdistrict)
    changed = merged[_differs(merged)]
    return {int(y) for y in changed["year"].unique()}


def _merged_values(live_db: Path, work_db: Path, subdistrict: str | None = None) -> pd.DataFrame:
    before = _whole_subdistrict_values(live_db, subdistrict)
    after = _whole_subdistrict_values(work_db, subdistrict)
    return before.merge(after, on=["indicator_id", "year"], how="outer", suffixes=("_before", "_after"))


def _differs(merged: pd.DataFrame) -> pd.Series:
    b, a = merged["value_before"], merged["value_after"]
    value_changed = (b.isna() != a.isna()) | ((b - a).abs() > 1e-9).fillna(False)
    return value_changed | (merged["status_before"].fillna("") != merged["status_after"].fillna(""))


def compare_indicators(live_db: Path, work_db: Path, years: Sequence[int],
                       subdistrict: str | None = None) -> pd.DataFrame:
    """Whole-subdistrict indicators (of `subdistrict`, see `_whole_subdistrict_values`) of `years`:
    before (live) → after (work), in catalogue order."""
    merged = _merged_values(live_db, work_db, subdistrict)
    merged = merged[merged["year"].isin(list(years))].copy()
    merged["change"] = merged["value_after"] - merged["value_before"]
    merged["changed"] = _differs(merged)
    with open_database(work_db) as con:
        catalogue = con.execute("SELECT indicator_id, name_zh, name_en, unit_zh, unit_en FROM ref_indicators").df()
    catalogue["order"] = range(len(catalogue))
    table = catalogue.merge(merged, on="indicator_id").sort_values(["year", "order"])
    return table.drop(columns="order").rename(columns={"value_before": "before", "value_after": "after"})[
        ["year", "indicator_id", "name_zh", "name_en", "unit_zh", "unit_en", "before", "after", "change",
         "status_before", "status_after", "changed"]].reset_index(drop=True)


# ---- Confirm / cancel -------------------------------------------------------------------------

# progress(fraction, stage): stage is one of PROGRESS_STAGES; the page words it in its language.
Progress = Callable[[float, str], None]
PROGRESS_STAGES = ("saving", "building", "cleaning", "published")


def confirm_import(preview: Preview, progress: Progress = lambda fraction, text: None, *,
                   actor: str | None = None, reason: str | None = None):
    """Keep the new files in uploads/ and publish a new database atomically; returns the BuildResult.

    The run and the files record `actor` (default: the OS user) and `reason` (default: the file
    names). Waits for another publish (PublishBusyError when it takes too long; the preview stays,
    so the user can retry). If saving or the build fails, the files just added are removed again,
    so nothing has changed; a full or read-only disk raises StorageError."""
    if not preview.uploads:
        raise EtlError("没有需要导入的新文件（文件被拒绝，或与此前导入的文件完全相同），数据库未作更改。")
    if preview.scope_refusals:
        raise EtlError(message("scope_refused", scope=preview.subdistrict))
    actor = actor or os_user()
    reason = reason or "导入" + "、".join(u.name for u in preview.uploads)
    with publishing(preview.live_db):
        progress(0.1, "saving")
        now = dt.datetime.now().isoformat(timespec="seconds")
        try:
            added = manifest.add_pending(preview.live_db, [(u.stored_name, u.data, {
                "original_name": u.name, "record_type": u.record_type, "sha256": u.checksum, "bytes": len(u.data),
                "uploaded_at": now, "uploaded_by": actor, "reason": reason,
                **({"subdistrict": preview.subdistrict} if preview.subdistrict is not None else {})})
                for u in preview.uploads])
        except OSError as exc:
            raise StorageError(exc, uploads_dir(preview.live_db), "导入") from exc
        progress(0.3, "building")
        try:
            result = build(preview.data_dir, preview.live_db, actor=actor, reason=reason)
        except BaseException:
            manifest.discard(preview.live_db, added)
            raise
        manifest.commit(preview.live_db, added)
    progress(0.9, "cleaning")
    cancel_import(preview)
    progress(1.0, "published")
    return result


def cancel_import(preview: Preview) -> None:
    """Delete the work database and the copies of the uploads; the live database was never touched."""
    if preview.hold is not None:
        preview.hold.close()
    shutil.rmtree(preview.work_dir, ignore_errors=True)


def align_uploads(live_db: Path) -> tuple[list[str], list[str]]:
    """After a restore: keep in uploads/ exactly the uploads the restored database loaded.

    Builds read every file in uploads/, so an upload the restored database did not load moves to
    uploads/withdrawn/ (else the next import or build would bring back what the restore took out),
    and a withdrawn upload it did load moves back. Returns (withdrawn, reinstated) file names."""
    loaded = manifest.loaded_uploads(live_db)
    folder = uploads_dir(live_db)
    withdrawn_dir = folder / WITHDRAWN_DIR
    withdrawn = [p for p in kept_upload_files(live_db) if p.name not in loaded]
    reinstated = [p for p in sorted(withdrawn_dir.glob("*")) if is_data_file(p) and p.name in loaded] \
        if withdrawn_dir.is_dir() else []
    for path in withdrawn:
        withdrawn_dir.mkdir(exist_ok=True)
        path.replace(withdrawn_dir / path.name)
    for path in reinstated:
        path.replace(folder / path.name)
    return [p.name for p in withdrawn], [p.name for p in reinstated]
