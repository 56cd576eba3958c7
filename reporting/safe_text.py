"""Text that came from users (record fields, file names, headers), made inert for where it is shown.

- Markdown (Streamlit's st.markdown, st.info, captions, expander labels): every ASCII punctuation
  character is backslash-escaped, so `[x](url)`, `**`, `:red[...]`, `$…$` and HTML stay literal text.
- Plotly text (category labels, legend names, hover text): plotly draws a subset of HTML
  (`<a href>`, `<b>`, `<br>`); escaped as entities, which plotly shows as the characters.
- Spreadsheets (CSV, XLSX): a cell starting with `=`, `+`, `-`, `@`, tab or CR would be read as a
  formula; it gets a leading apostrophe, as OWASP's CSV-injection guidance says.
"""
from __future__ import annotations

import html
import re
import string

import pandas as pd

_MARKDOWN_SPECIAL = re.compile("([" + re.escape(string.punctuation) + "])")
FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")


def markdown_literal(text: object) -> str:
    """`text` as Markdown that renders exactly as the characters it holds, on one line."""
    return _MARKDOWN_SPECIAL.sub(r"\\\1", str(text)).replace("\n", " ")


def plotly_literal(text: object) -> str:
    """`text` for a plotly label: markup shown as characters, never drawn."""
    return html.escape(str(text), quote=False)


def from_plotly(text: object) -> object:
    """The original text of a label made by `plotly_literal` (e.g. a clicked bar's category)."""
    return html.unescape(text) if isinstance(text, str) else text


def spreadsheet_literal(value: object) -> object:
    """A cell value that no spreadsheet evaluates: text starting like a formula gets a leading `'`."""
    if isinstance(value, str) and value.startswith(FORMULA_TRIGGERS):
        return "'" + value
    return value


def spreadsheet_frame(df: pd.DataFrame) -> pd.DataFrame:
    """The frame with every text cell and header passed through `spreadsheet_literal`; numbers
    (negative ones included) stay numbers."""
    text_columns = [c for c in df.columns if df[c].dtype == object or pd.api.types.is_string_dtype(df[c])]
    safe = df.copy() if text_columns else df
    for column in text_columns:
        safe[column] = df[column].map(spreadsheet_literal)
    return safe.rename(columns={c: spreadsheet_literal(c) for c in df.columns if isinstance(c, str)})
