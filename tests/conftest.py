"""Shared fixtures. Each test gets its own database; the sample build is made once per session."""
from __future__ import annotations

from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
SAMPLE_DIR = ROOT / "data" / "sample"


@pytest.fixture(scope="session")
def sample_db(tmp_path_factory) -> Path:
    """The bundled sample data built into a fresh database file (read it, do not write it)."""
    from etl.build import build

    db = tmp_path_factory.mktemp("sample") / "warehouse.duckdb"
    build(SAMPLE_DIR, db)
    return db
