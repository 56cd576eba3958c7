"""How a report's words name catalogue indicators: etl/reference/report_phrases.csv.

One row per way of stating an indicator (columns are `|`-separated lists):
- `mode`: `number` — a number with one of `units` next to a phrase (before it: 普法讲座90余场; or just
  after it: 43个公益社团); `all` — the phrase says "all of the preceding count of `of`" (新增行政诉讼案件
  2件，均已审结): the value is that count, or `value` when given (a rate: 均胜诉 → 败诉率 0);
  `fixed` — the phrase states `value` itself (零败诉); `names` — the value is the number of communities
  named before the phrase (馒头山社区被授予全国民主法治示范…).
- `context`: the sentence must contain one of these; `near`: the clause before the number must
  contain one of these; `exclude`: the clause before the number must contain none of these.
- `units`: the units the figure may be written in; `-` is a bare number (复议诉讼比为0.75).
- `part`: value, numerator or denominator of the indicator (reported_values.part).
"""
from __future__ import annotations

import csv
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from etl.paths import REFERENCE_DIR

PHRASES_CSV = REFERENCE_DIR / "report_phrases.csv"
INDICATORS_CSV = REFERENCE_DIR / "indicators.csv"
MODES = ("number", "all", "fixed", "names")
PARTS = ("value", "numerator", "denominator")


@dataclass(frozen=True)
class Rule:
    indicator_id: str
    part: str
    mode: str
    phrases: tuple[str, ...]
    context: tuple[str, ...]
    near: tuple[str, ...]
    exclude: tuple[str, ...]
    units: tuple[str, ...]
    value: float | None
    of: str | None

    def in_context(self, sentence: str) -> bool:
        return not self.context or any(word in sentence for word in self.context)

    def takes(self, unit: str) -> bool:
        return (unit or "-") in self.units

    def allows(self, left: str) -> bool:
        """`left`: the clause text before the number."""
        return (not self.near or any(w in left for w in self.near)) and not any(w in left for w in self.exclude)


def _list(text: str) -> tuple[str, ...]:
    return tuple(part.strip() for part in (text or "").split("|") if part.strip())


@cache
def load_rules(path: Path = PHRASES_CSV) -> tuple[Rule, ...]:
    with path.open(encoding="utf-8", newline="") as f:
        return tuple(Rule(row["indicator_id"], row["part"] or "value", row["mode"] or "number", _list(row["phrases"]),
                          _list(row["context"]), _list(row["near"]), _list(row["exclude"]), _list(row["units"]),
                          float(row["value"]) if row["value"] else None, row["of"] or None)
                     for row in csv.DictReader(f))


@cache
def catalogue_units(path: Path = INDICATORS_CSV) -> dict[str, str]:
    """indicator_id → its unit in the catalogue (件, %, 人次 …), the unit a mapped figure is given in."""
    with path.open(encoding="utf-8", newline="") as f:
        return {row["indicator_id"]: row["unit_zh"] for row in csv.DictReader(f)}
