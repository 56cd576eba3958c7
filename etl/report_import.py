"""From a report's proposed figures to files the ordinary import takes (issue 12, item 2).

The analyst reviews the proposals (`proposals`: one row per figure, accepted when it maps to an
indicator) — accepts, edits, drops, maps — and the accepted rows become a reported_values CSV
(`reported_values_file`): source 已发布报告, qualifier 至少 for a floor, note = the report's title
and the sentence. The statutory GI tables become a gi_annual CSV (`gi_annual_file`). Both then go
through etl.intake (preview → confirm → atomic publish) like any upload.
"""
from __future__ import annotations

import csv
import io
import re
from collections.abc import Collection

import pandas as pd

from etl.errors import EtlError
from etl.gi_report_reader import GiReading
from etl.published_figures import AT_LEAST, PUBLISHED, TITLE_SEPARATOR
from etl.report_reader import AT_LEAST as READ_AT_LEAST
from etl.report_reader import Reading
from etl.schema import GI_ANNUAL, REPORTED_QUALIFIERS, REPORTED_VALUES

PART_WORDS = {"value": "值", "numerator": "分子", "denominator": "分母"}
COLUMNS = ("accept", "indicator_id", "year", "community", "part", "value", "unit", "qualifier", "sentence", "flag")
UNSAFE_IN_NAME = re.compile(r"[\\/:*?\"<>|\s]+")


class ReportImportError(EtlError):
    """The reviewed figures cannot become a file (no figure accepted, a row without indicator …)."""


def _flag(figure, checks: list[str]) -> str:
    """The checks that concern a figure: its sentence's parts against its total, its indicator's two values."""
    tail = TITLE_SEPARATOR + figure.sentence
    own = [c.removesuffix(tail) for c in checks if c.endswith(tail)]
    if figure.indicator_id:
        own += [c for c in checks if c.startswith(f"{figure.indicator_id}（{figure.year}年")]
    return "；".join(own)


def proposals(reading: Reading) -> pd.DataFrame:
    """The proposals as rows to review: a figure mapped to an indicator is accepted until dropped."""
    rows = [{"accept": f.indicator_id is not None, "indicator_id": f.indicator_id, "year": f.year,
             "community": f.community or "", "part": PART_WORDS[f.part], "value": f.value, "unit": f.unit,
             "qualifier": AT_LEAST if f.qualifier == READ_AT_LEAST else REPORTED_QUALIFIERS[0],
             "sentence": f.sentence, "flag": _flag(f, reading.checks)} for f in reading.figures]
    return pd.DataFrame(rows, columns=list(COLUMNS))


def _csv(headers: list[str], rows: list[list[object]]) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(headers)
    writer.writerows(rows)
    return out.getvalue().encode("utf-8-sig")


def _file_name(prefix: str, title: str) -> str:
    return f"{prefix}_{UNSAFE_IN_NAME.sub('_', title).strip('_')[:60] or '报告'}.csv"


def _number(value: object) -> str:
    number = float(value)
    return str(int(number)) if number.is_integer() else f"{number:g}"


def reported_values_file(reviewed: pd.DataFrame, title: str, catalogue: Collection[str]) -> tuple[str, bytes]:
    """The accepted rows as a reported_values CSV (Chinese headers); ReportImportError names what to fix."""
    accepted = reviewed[reviewed["accept"].fillna(False).astype(bool)]
    if accepted.empty:
        raise ReportImportError("没有采用任何数字：请在“采用”一列勾选要导入的数字。")
    problems, rows, keys = [], [], {}
    for n, (_, r) in enumerate(accepted.iterrows(), start=1):
        where = f"第 {n} 个采用的数字（{str(r['sentence'])[:20]}…）"
        indicator = r["indicator_id"] if isinstance(r["indicator_id"], str) and r["indicator_id"] else None
        if indicator not in catalogue:
            problems.append(f"{where}没有对应指标：请选择指标，或取消采用。")
            continue
        if pd.isna(r["value"]) or pd.isna(r["year"]):
            problems.append(f"{where}缺少数值或年度。")
            continue
        community = str(r["community"] or "").strip()
        key = (indicator, int(r["year"]), community, r["part"] or "值")
        if key in keys and keys[key] != float(r["value"]):
            problems.append(f"{where}与另一个采用的数字是同一指标、年度、社区和分项，但数值不同：请只保留一个。")
            continue
        keys[key] = float(r["value"])
        rows.append([indicator, int(r["year"]), community, _number(r["value"]), key[3],
                     f"{title}{TITLE_SEPARATOR}{r['sentence']}", PUBLISHED,
                     AT_LEAST if r["qualifier"] == AT_LEAST else REPORTED_QUALIFIERS[0]])
    if problems:
        raise ReportImportError("\n".join(problems))
    headers = [REPORTED_VALUES.field(name).header_zh for name in
               ("indicator_id", "year", "community", "value", "part", "note", "source", "qualifier")]
    unique = list({tuple(map(str, row)): row for row in rows}.values())   # the same figure accepted twice
    return _file_name("填报值_已发布报告", title), _csv(headers, unique)


def gi_annual_file(gi: GiReading) -> tuple[str, bytes]:
    """The statutory table cells read from a 政府信息公开工作年度报告 as a gi_annual CSV."""
    headers = [GI_ANNUAL.field(name).header_zh for name in ("year", "table", "row", "column", "value", "note")]
    rows = [[r["year"], r["table"], r["row"], r["column"], _number(r["value"]), r["note"]] for r in gi.rows()]
    return _file_name("政府信息公开年报", gi.title), _csv(headers, rows)
