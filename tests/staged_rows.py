"""Rows written straight into stg_* tables, as staging would leave them: in a one-subdistrict
warehouse every record carries that subdistrict (etl.staging resolves it)."""
from __future__ import annotations

SUBDISTRICT = "南星街道"


def insert(con, table: str, rows: list[dict], subdistrict: str | None = SUBDISTRICT) -> None:
    has_subdistrict = bool(con.execute(
        "SELECT 1 FROM information_schema.columns WHERE table_name = ? AND column_name = 'subdistrict'",
        [table]).fetchone())
    for row in rows:
        if has_subdistrict and table != "stg_communities":
            row = {"subdistrict": subdistrict} | row
        columns = ", ".join(f'"{c}"' for c in row)
        con.execute(f"INSERT INTO {table} ({columns}) VALUES ({', '.join('?' * len(row))})", list(row.values()))
