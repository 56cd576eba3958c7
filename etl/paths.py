"""Default locations, relative to the repository root so commands work from anywhere."""
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_DATA_DIR = ROOT / "data" / "sample"
DEFAULT_DB = ROOT / "data" / "warehouse.duckdb"
REFERENCE_DIR = Path(__file__).resolve().parent / "reference"
