"""One import in its own process, for tests/test_publish_integrity.py.

    python tests/publish_worker.py DB UPLOAD READY GO [BLOCK SIGNAL]

Previews UPLOAD against DB, touches READY, waits until GO exists, then confirms. With BLOCK
(`module:attribute`), that callable is replaced just before the confirm by one that touches SIGNAL
and sleeps, so the test can SIGKILL the process at a known step. Prints {"run_id": ...} or {"error": ...}.
"""
from __future__ import annotations

import importlib
import json
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from etl import intake  # noqa: E402
from etl.errors import EtlError  # noqa: E402


def block_at(target: str, signal: Path) -> None:
    module_name, attribute = target.split(":")

    def blocked(*args, **kwargs):
        signal.touch()
        time.sleep(3600)

    setattr(importlib.import_module(module_name), attribute, blocked)


def main(db: str, upload: str, ready: str, go: str, block: str = "", signal: str = "") -> int:
    path = Path(upload)
    preview = intake.preview_import(Path(db), [intake.inspect_upload(path.name, path.read_bytes())])
    Path(ready).touch()
    while not Path(go).exists():
        time.sleep(0.001)
    if block:
        block_at(block, Path(signal))
    try:
        result = intake.confirm_import(preview, actor=f"worker:{path.stem}", reason=f"导入{path.name}")
    except EtlError as exc:
        print(json.dumps({"error": str(exc)}, ensure_ascii=False))
        return 1
    print(json.dumps({"run_id": result.run_id}))
    return 0


if __name__ == "__main__":
    sys.exit(main(*sys.argv[1:]))
