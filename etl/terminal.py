"""Plain-text tables for the command line, aligned for Chinese (CJK characters take two columns)."""
from __future__ import annotations

import unicodedata
from collections.abc import Sequence


def display_width(text: str) -> int:
    """Terminal columns: CJK and full-width characters take two."""
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def text_table(header: Sequence[object], rows: Sequence[Sequence[object]], *,
               right_aligned: frozenset[int] = frozenset(), rule: bool = False) -> str:
    """Columns padded to their widest cell; `right_aligned` column indexes; `rule` draws dashes under the header."""
    cells = [[str(c) for c in row] for row in [header, *rows]]
    widths = [max(display_width(row[i]) for row in cells) for i in range(len(header))]

    def render(row: list[str]) -> str:
        padded = []
        for i, (cell, width) in enumerate(zip(row, widths)):
            gap = " " * (width - display_width(cell))
            padded.append(gap + cell if i in right_aligned else cell + gap)
        return "  ".join(padded).rstrip()

    lines = [render(cells[0])]
    if rule:
        lines.append("  ".join("-" * w for w in widths))
    return "\n".join(lines + [render(row) for row in cells[1:]])
