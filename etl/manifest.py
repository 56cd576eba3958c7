"""The uploads kept beside the database (`<db dir>/uploads/`) and their manifest.

`manifest.json` maps each kept file's stored name (`<type>_<sha256>.<ext>`) to its original name,
type, checksum, size, time, who uploaded it and why, and `seq`, its place in upload order: builds
load uploads in that order, so a later upload's row replaces an earlier one with the same key.
Builds read only the files the manifest lists.

Files and manifest change only under the publish lock (etl.publish.publish_lock). A confirm
writes its files, lists them as `pending`, builds and publishes, then clears the mark, so the next
holder of the lock can tell what a killed confirm left (`recover`). Every write goes to a temporary
name, is fsynced, then renamed: a full disk or a kill never leaves a partial file under a name a
build reads.
"""
from __future__ import annotations

import datetime as dt
import json
import os
from collections.abc import Sequence
from pathlib import Path

import duckdb

from etl.database import open_read_only
from etl.readers import is_data_file

UPLOADS_DIR = "uploads"
MANIFEST = "manifest.json"     # not a data file: builds read only .csv/.xlsx
WITHDRAWN_DIR = "withdrawn"    # inside uploads/: kept for the record, read by no build


def uploads_dir(live_db: Path) -> Path:
    return Path(live_db).parent / UPLOADS_DIR


def write_file(path: Path, data: bytes) -> None:
    """Write `data` to `path` whole or not at all: temporary name, fsync, rename, fsync the folder."""
    path = Path(path)
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    try:
        fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o644)
        try:
            view = memoryview(data)
            while view:
                view = view[os.write(fd, view):]
            os.fsync(fd)
        finally:
            os.close(fd)
        os.replace(tmp, path)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
    folder = os.open(path.parent, os.O_RDONLY)
    try:
        os.fsync(folder)
    finally:
        os.close(folder)


def read(live_db: Path) -> dict[str, dict]:
    """Stored name → entry, in upload order (entries from before `seq` keep their file order, first)."""
    path = uploads_dir(live_db) / MANIFEST
    if not path.exists():
        return {}
    entries = json.loads(path.read_text(encoding="utf-8"))
    order = sorted(enumerate(entries), key=lambda item: (entries[item[1]].get("seq", 0), item[0]))
    return {name: entries[name] for _, name in order}


def _save(live_db: Path, entries: dict[str, dict]) -> None:
    write_file(uploads_dir(live_db) / MANIFEST, json.dumps(entries, ensure_ascii=False, indent=1).encode("utf-8"))


def listed(live_db: Path, *, pending: bool = False) -> list[tuple[Path, dict]]:
    """(file, entry) of the uploads a build reads, in upload order: listed and in uploads/ (not withdrawn).

    `pending`: include the entries of a confirm in progress (its own build, under the lock)."""
    folder = uploads_dir(live_db)
    return [(folder / name, entry) for name, entry in read(live_db).items()
            if (pending or not entry.get("pending")) and (folder / name).is_file()]


def add_pending(live_db: Path, files: Sequence[tuple[str, bytes, dict]]) -> list[str]:
    """Write each (stored name, bytes, entry) into uploads/ and list it, pending, after every earlier upload.

    Files already kept are left as they are. Returns the names added; on an error none is left."""
    folder = uploads_dir(live_db)
    folder.mkdir(parents=True, exist_ok=True)
    entries = read(live_db)
    seq = max((e.get("seq", 0) for e in entries.values()), default=0)
    added: list[str] = []
    try:
        for name, data, entry in files:
            if name in entries and (folder / name).is_file():
                continue
            write_file(folder / name, data)
            added.append(name)
            seq += 1
            entries[name] = {**entry, "seq": seq, "pending": True}
        _save(live_db, entries)
    except BaseException:
        for name in added:
            (folder / name).unlink(missing_ok=True)
        raise
    return added


def commit(live_db: Path, names: Sequence[str]) -> None:
    """The build that loaded `names` is published: they are kept uploads now."""
    entries = read(live_db)
    for name in names:
        entries[name].pop("pending", None)
    _save(live_db, entries)


def discard(live_db: Path, names: Sequence[str]) -> None:
    """The confirm that added `names` failed: remove their entries and files."""
    entries = read(live_db)
    for name in names:
        entries.pop(name, None)
        (uploads_dir(live_db) / name).unlink(missing_ok=True)
    _save(live_db, entries)


def loaded_uploads(live_db: Path) -> set[str]:
    """Stored names of the uploads the live database's run loaded (none when it cannot be read)."""
    if not Path(live_db).exists():
        return set()
    try:
        with open_read_only(live_db) as con:
            return {Path(name).name for (name,) in con.execute(
                "SELECT source_file FROM etl_files WHERE source_file LIKE ? AND run_id = (SELECT run_id FROM etl_runs "
                "ORDER BY finished_at DESC, run_id DESC LIMIT 1)", [f"{UPLOADS_DIR}/%"]).fetchall()}
    except duckdb.Error:
        return set()


def recover(live_db: Path) -> None:
    """Put right what a killed confirm left; call only while holding the publish lock.

    Half-written files go. A pending entry the live database loaded was published (the kill came
    before the mark was cleared) and is kept; any other pending entry goes with its file. A file
    no entry lists goes too, unless the live database loaded it (a confirm of the code before
    pending entries, killed after publishing): that one is listed under its stored name."""
    folder = uploads_dir(live_db)
    if not folder.is_dir():
        return
    for tmp in folder.glob(".*.tmp"):
        tmp.unlink(missing_ok=True)
    entries = read(live_db)
    loaded = loaded_uploads(live_db)
    changed = False
    for name, entry in list(entries.items()):
        if entry.get("pending"):
            changed = True
            if name in loaded:
                del entry["pending"]
            else:
                del entries[name]
                (folder / name).unlink(missing_ok=True)
    seq = max((e.get("seq", 0) for e in entries.values()), default=0)
    for path in sorted(p for p in folder.iterdir() if is_data_file(p) and p.name not in entries):
        if path.name not in loaded:
            path.unlink()
            continue
        seq += 1
        changed = True
        entries[path.name] = {
            "original_name": path.name, "record_type": path.stem.rsplit("_", 1)[0],
            "sha256": path.stem.rsplit("_", 1)[-1], "bytes": path.stat().st_size,
            "uploaded_at": dt.datetime.fromtimestamp(path.stat().st_mtime).isoformat(timespec="seconds"), "seq": seq}
    if changed:
        _save(live_db, entries)
