"""The indicator catalogue: the reference file plus the indicators an office imports (record type
`indicators`), with every version kept.

`etl/reference/indicators.csv` holds the indicators the code computes (one formula per id in
etl/marts.py) and the reported ones shipped with it. An office adds reported indicators (kinds
填报值 / 填报比率), or new versions of reported ones, through the `indicators` record type; they need
no code. `ref_indicator_versions` keeps every version (the reference row and each imported one);
`ref_indicators` is the highest version of each id, in catalogue order (reference first, then
imports in upload order).
"""
from __future__ import annotations

import csv
from pathlib import Path

import duckdb

from etl import schema
from etl.paths import REFERENCE_DIR

REPORTED_CODES = tuple(schema.REPORTED_KINDS.values())
REFERENCE_FILE = "etl/reference/indicators.csv"   # source_file of the reference rows in the history
# Columns a version carries (ref_indicators adds sort_order; the reference file may hold more).
COLUMNS = ("indicator_id", "version", "name_zh", "name_en", "unit_zh", "unit_en", "kind", "source",
           "formula_zh", "formula_en", "direction", "area_id", "weak_area_id", "headline",
           "description_zh", "description_en")
DEFAULT_FORMULA = {"reported": ("填报值", "Reported figure"),
                   "reported_rate": ("填报分子 ÷ 填报分母", "Reported numerator ÷ reported denominator")}


def reference_rows(reference_dir: Path = REFERENCE_DIR) -> list[dict[str, str]]:
    with open(reference_dir / "indicators.csv", encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh))


def version_key(sql: str) -> str:
    """SQL ordering a version text numerically: 2026.10 after 2026.9."""
    return f"list_transform(string_split({sql}, '.'), lambda e: TRY_CAST(e AS BIGINT))"


def _code(mapping: dict[str, str], column: str) -> str:
    """SQL mapping the contract's Chinese value in `column` to its code (values from etl/schema.py)."""
    whens = " ".join(f"WHEN '{zh}' THEN '{code}'" for zh, code in mapping.items())
    return f"CASE {column} {whens} END"


def _versions_select() -> str:
    """Every version: reference rows, then imported rows (area by id or name), with lineage and
    whether it is the current (highest) version. Parameters: $indicators, $areas, $reference_file."""
    kind = _code(schema.REPORTED_KINDS, "u.kind")
    imported_formula = {lang: "CASE " + kind + " " + " ".join(
        f"WHEN '{code}' THEN '{texts[i]}'" for code, texts in DEFAULT_FORMULA.items()) + " END"
        for i, lang in enumerate(("zh", "en"))}
    return f"""
        WITH reference AS (
            SELECT {", ".join(COLUMNS)}, $reference_file AS source_file,
                   (row_number() OVER () + 1)::BIGINT AS source_row, 0 AS origin
              FROM read_csv($indicators, header = true, all_varchar = true)
        ), imported AS (
            SELECT u.indicator_id, u.version, u.name_zh, coalesce(u.name_en, u.name_zh) AS name_en,
                   u.unit_zh, coalesce(u.unit_en, u.unit_zh) AS unit_en, {kind} AS kind,
                   'reported_values' AS source,
                   coalesce(u.formula_zh, {imported_formula["zh"]}) AS formula_zh,
                   coalesce(u.formula_en, {imported_formula["en"]}) AS formula_en,
                   {_code(schema.DIRECTIONS, "u.direction")} AS direction, a.area_id, u.weak_area_id,
                   r.headline, u.description_zh, coalesce(u.description_en, u.description_zh) AS description_en,
                   u.source_file, u.source_row, 1 AS origin
              FROM stg_indicators u
              LEFT JOIN read_csv($areas, header = true, all_varchar = true) a
                     ON u.area IN (a.area_id, a.name_zh)
              LEFT JOIN reference r USING (indicator_id)
        ), versions AS (SELECT * FROM reference UNION ALL BY NAME SELECT * FROM imported)
        SELECT *, row_number() OVER (PARTITION BY indicator_id
                                     ORDER BY {version_key("version")} DESC, origin DESC) = 1 AS is_current
          FROM versions"""


def _create_versions(con: duckdb.DuckDBPyConnection, table: str, reference_dir: Path) -> None:
    con.execute(f"CREATE OR REPLACE TEMP TABLE {table} AS {_versions_select()}",
                {"indicators": str(reference_dir / "indicators.csv"), "areas": str(reference_dir / "areas.csv"),
                 "reference_file": REFERENCE_FILE})


def create_known_indicators(con: duckdb.DuckDBPyConnection, reference_dir: Path = REFERENCE_DIR) -> None:
    """Temp table `_catalogue` (indicator_id, kind, direction) of the current catalogue, for the
    staging checks of the record types that name an indicator (after `indicators` is staged)."""
    _create_versions(con, "_catalogue_versions", reference_dir)
    con.execute("CREATE OR REPLACE TEMP TABLE _catalogue AS SELECT indicator_id, kind, direction "
                "FROM _catalogue_versions WHERE is_current")
    con.execute("DROP TABLE _catalogue_versions")


def apply_imported_indicators(con: duckdb.DuckDBPyConnection, reference_dir: Path = REFERENCE_DIR) -> None:
    """`ref_indicator_versions` (every version) and `ref_indicators` rebuilt as the current versions,
    with the columns and types `load_reference` gave it. Reference ids keep their place; imported
    ids follow, by the file and row that first named them."""
    _create_versions(con, "_catalogue_versions", reference_dir)
    con.execute("""
        CREATE OR REPLACE TABLE ref_indicator_versions AS
        SELECT * EXCLUDE (origin) FROM _catalogue_versions ORDER BY indicator_id, origin, source_file, source_row""")
    con.execute("COMMENT ON TABLE ref_indicator_versions IS '粒度：一个指标的一个版本（指标目录文件的行，"
                "或导入的“指标目录”记录）；is_current 为现行（最高）版本'")
    existing = [row[0] for row in con.execute(
        "SELECT column_name FROM information_schema.columns WHERE table_name = 'ref_indicators' "
        "AND column_name <> 'sort_order' ORDER BY ordinal_position").fetchall()]
    # A column only the reference file has keeps its value by id (none for an imported id).
    columns = [f"CAST(v.{c} AS INTEGER) AS {c}" if c == "headline" else f"v.{c}" if c in COLUMNS else f"old.{c}"
               for c in existing]
    con.execute(f"""
        CREATE OR REPLACE TABLE ref_indicators AS
        SELECT {", ".join(columns)},
               row_number() OVER (ORDER BY old.sort_order NULLS LAST, firsts.first) AS sort_order
          FROM _catalogue_versions v
          LEFT JOIN ref_indicators old USING (indicator_id)
          JOIN (SELECT indicator_id, min(struct_pack(file := source_file, row := source_row)) AS first
                  FROM _catalogue_versions GROUP BY 1) firsts USING (indicator_id)
         WHERE v.is_current
         ORDER BY sort_order""")
    con.execute("DROP TABLE _catalogue_versions")
