"""A published report (.txt, .html, .docx, .pdf) as an ordered list of paragraphs and tables.

Only what the figure readers need survives: the text of each paragraph, and each table as rows of
cell texts (HTML and Word tables keep their blank cells, and merged cells are repeated over the
rows and columns they span, so a column keeps its meaning). A PDF gives its text layer
(`pdftotext -layout`, Debian's poppler-utils): a line whose words are set apart by wide gaps is a
table row, other lines are joined into paragraphs.
"""
from __future__ import annotations

import io
import re
import shutil
import subprocess
import zipfile
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path

from etl.errors import FileReadError
from etl.report_numbers import fold

SUFFIXES = (".txt", ".html", ".htm", ".docx", ".pdf")
# Table rows pasted as text: cells set apart by a tab, a bar, or (PDF layout) three spaces or more.
TEXT_CELL_SEPARATOR = re.compile(r"\t|\s*[|｜]\s*")
LAYOUT_CELL_SEPARATOR = re.compile(r"\s{3,}")
SENTENCE_END = "。！？!?；;：:"
LAST_NUMBER = re.compile(r"^(.*\S)\s+(\d[\d.,]*\S{0,2})$")
# A line that starts a new paragraph in a PDF: section numbers 一、 （一） 1. 1、
NEW_PARAGRAPH = re.compile(r"^\s*(?:[一二三四五六七八九十]+、|[（(][一二三四五六七八九十\d]+[)）]|\d+[.、．](?!\d))")
TITLE_YEAR = re.compile(r"((?:19|20)\d{2})\s*年度?")
SIGNED = re.compile(r"((?:19|20)\d{2})\s*年\s*\d{1,2}\s*月\s*\d{1,2}\s*日")
GI_REPORT = "政府信息公开工作年度报告"


@dataclass
class Table:
    rows: list[list[str]]

    def text(self) -> str:
        return "\n".join(" | ".join(row) for row in self.rows)


@dataclass
class Document:
    name: str
    blocks: list[str | Table] = field(default_factory=list)   # a str is one paragraph

    @property
    def paragraphs(self) -> list[str]:
        return [b for b in self.blocks if isinstance(b, str)]

    @property
    def title(self) -> str:
        """The first non-empty paragraph (a report's title line, or its opening sentence)."""
        return next((p.strip() for p in self.paragraphs if p.strip()), "")


def _decode(data: bytes, name: str) -> str:
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise FileReadError(name, "无法识别文本编码（已尝试 UTF-8、GBK/GB18030）")


def text_lines_to_blocks(lines: list[str]) -> list[str | Table]:
    """Plain-text lines: each line is a paragraph, and runs of lines with cell separators a table."""
    blocks: list[str | Table] = []
    for line in lines:
        if not line.strip():
            continue
        cells = [c.strip() for c in TEXT_CELL_SEPARATOR.split(line.strip())]
        if len(cells) > 1:
            # Bars around a row (| a | b |) open and close it; a blank cell inside keeps its column.
            cells = cells[1:] if cells[0] == "" else cells
            cells = (cells[:-1] if cells[-1] == "" else cells) or [""]
            if blocks and isinstance(blocks[-1], Table):
                blocks[-1].rows.append(cells)
            else:
                blocks.append(Table([cells]))
        else:
            blocks.append(line.strip())
    return blocks


def read_text(data: bytes, name: str) -> Document:
    return Document(name, text_lines_to_blocks(_decode(data, name).splitlines()))


# ---- HTML -----------------------------------------------------------------------------------------

class _HtmlBlocks(HTMLParser):
    """Paragraph text and tables of an HTML page in document order; scripts and styles dropped."""

    BREAKS = frozenset({"p", "div", "br", "h1", "h2", "h3", "h4", "h5", "h6", "li", "section", "article", "title",
                        "tr"})

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.blocks: list[str | Table] = []
        self._text: list[str] = []
        self._skip = 0
        self._tables: list[list[list[tuple[str, int, int]]]] = []   # nested tables: rows of (text, rowspan, colspan)
        self._cell: list[str] | None = None
        self._span = (1, 1)

    def _flush(self) -> None:
        text = "".join(self._text).strip()
        if text:
            self.blocks.append(text)
        self._text = []

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag in ("script", "style"):
            self._skip += 1
        elif tag == "table":
            if self._cell is None:
                self._flush()
            self._tables.append([])
        elif tag == "tr" and self._tables:
            self._tables[-1].append([])
        elif tag in ("td", "th") and self._tables:
            self._cell = []
            self._span = (_int(attrs.get("rowspan")), _int(attrs.get("colspan")))
        elif tag in self.BREAKS and not self._tables:
            self._flush()

    def handle_endtag(self, tag):
        if tag in ("script", "style"):
            self._skip = max(0, self._skip - 1)
        elif tag in ("td", "th") and self._tables and self._cell is not None:
            if not self._tables[-1]:
                self._tables[-1].append([])
            self._tables[-1][-1].append((" ".join("".join(self._cell).split()), *self._span))
            self._cell = None
        elif tag == "table" and self._tables:
            rows = self._tables.pop()
            self.blocks.append(Table(_grid(rows)))
        elif tag in self.BREAKS and not self._tables:
            self._flush()

    def handle_data(self, data):
        if self._skip:
            return
        if self._cell is not None:
            self._cell.append(data)
        elif not self._tables:
            self._text.append(data)

    def close(self):
        super().close()
        self._flush()


def _int(value: str | None) -> int:
    try:
        return max(1, int(value or 1))
    except ValueError:
        return 1


def _grid(rows: list[list[tuple[str, int, int]]]) -> list[list[str]]:
    """Rows of (text, rowspan, colspan) laid on a grid; a merged cell's text fills every slot it covers."""
    grid: dict[tuple[int, int], str] = {}
    for r, row in enumerate(rows):
        c = 0
        for text, rowspan, colspan in row:
            while (r, c) in grid:
                c += 1
            for dr in range(rowspan):
                for dc in range(colspan):
                    grid[(r + dr, c + dc)] = text
            c += colspan
    if not grid:
        return []
    n_rows = max(r for r, _ in grid) + 1
    n_cols = max(c for _, c in grid) + 1
    return [[grid.get((r, c), "") for c in range(n_cols)] for r in range(n_rows)]


def read_html(data: bytes, name: str) -> Document:
    parser = _HtmlBlocks()
    parser.feed(_decode(data, name))
    parser.close()
    return Document(name, parser.blocks)


# ---- Word -----------------------------------------------------------------------------------------

def read_docx(data: bytes, name: str) -> Document:
    from docx import Document as WordDocument
    from docx.table import Table as WordTable
    from docx.text.paragraph import Paragraph

    try:
        word = WordDocument(io.BytesIO(data))
    except (zipfile.BadZipFile, KeyError, ValueError) as exc:
        raise FileReadError(name, "不是有效的 Word (.docx) 文件") from exc
    blocks: list[str | Table] = []
    for item in word.iter_inner_content():
        if isinstance(item, Paragraph):
            if item.text.strip():
                blocks.append(item.text.strip())
        elif isinstance(item, WordTable):
            # python-docx repeats a merged cell in every grid slot it covers, as _grid does for HTML.
            blocks.append(Table([[cell.text.strip() for cell in row.cells] for row in item.rows]))
    return Document(name, blocks)


# ---- PDF ------------------------------------------------------------------------------------------

def read_pdf(data: bytes, name: str) -> Document:
    if shutil.which("pdftotext") is None:
        raise FileReadError(name, "读取 PDF 需要 pdftotext（Debian 软件包 poppler-utils），请先安装")
    done = subprocess.run(["pdftotext", "-layout", "-enc", "UTF-8", "-", "-"], input=data,
                          capture_output=True, timeout=120, check=False)
    if done.returncode != 0:
        raise FileReadError(name, "无法读取 PDF 的文字层（文件损坏或加密）")
    text = done.stdout.decode("utf-8", errors="replace")
    if not text.strip():
        raise FileReadError(name, "PDF 没有文字层（可能是扫描件），无法读取")
    return Document(name, pdf_layout_blocks(text))


def pdf_layout_blocks(text: str) -> list[str | Table]:
    """`pdftotext -layout` lines: wide gaps make a table row (and a row right after one that ends in
    a number, whose gap narrowed to one space); an indented line or a section number starts a
    paragraph; other lines continue the paragraph they wrapped from."""
    blocks: list[str | Table] = []
    open_paragraph = False
    for raw in text.replace("\f", "\n").splitlines():
        line = raw.strip()
        if not line:
            open_paragraph = False
            continue
        cells = LAYOUT_CELL_SEPARATOR.split(line)
        narrow_row = LAST_NUMBER.match(line) if blocks and isinstance(blocks[-1], Table) else None
        if len(cells) > 1 or narrow_row:
            row = cells if len(cells) > 1 else list(narrow_row.groups())
            if blocks and isinstance(blocks[-1], Table):
                blocks[-1].rows.append(row)
            else:
                blocks.append(Table([row]))
            open_paragraph = False
        elif open_paragraph and not raw[:1].isspace() and not NEW_PARAGRAPH.match(line):
            blocks[-1] += line
        else:
            blocks.append(line)
            open_paragraph = True
        if isinstance(blocks[-1], str) and blocks[-1].endswith(tuple(SENTENCE_END[:5])):
            open_paragraph = False
    return blocks


READERS = {".txt": read_text, ".html": read_html, ".htm": read_html, ".docx": read_docx, ".pdf": read_pdf}


def read_document(path: Path) -> Document:
    """The paragraphs and tables of a report file; FileReadError names what is wrong with it."""
    suffix = path.suffix.lower()
    if suffix not in READERS:
        raise FileReadError(path.name, f"不支持的文件类型“{suffix}”，请上传 .txt、.html、.docx 或 .pdf")
    return load_document(path.read_bytes(), path.name)


def load_document(data: bytes, name: str) -> Document:
    suffix = Path(name).suffix.lower()
    if suffix not in READERS:
        raise FileReadError(name, f"不支持的文件类型“{suffix}”，请上传 .txt、.html、.docx 或 .pdf")
    return READERS[suffix](data, name)


# ---- Year and title -------------------------------------------------------------------------------

def report_year(doc: Document) -> int | None:
    """The year of the title (first line), else the year before the date the report is signed."""
    m = TITLE_YEAR.search(fold(doc.title)[:80])
    if m:
        return int(m.group(1))
    for paragraph in reversed(doc.paragraphs[-5:]):
        signed = SIGNED.search(fold(paragraph))
        if signed:
            return int(signed.group(1)) - 1
    return None


def report_title(doc: Document, year: int) -> str:
    """The title line if the report has one, else issuer + year + kind (the seed report has no title line)."""
    title = doc.title
    if len(title) <= 60 and "报告" in title:
        return title
    text = "\n".join(doc.paragraphs)
    kind = GI_REPORT if GI_REPORT in text or "第二十条第" in text else "法治政府建设年度报告"
    issuer = next((p.strip() for p in reversed(doc.paragraphs[-5:])
                   if re.search(r"(办事处|人民政府|街道)$", p.strip()) and len(p.strip()) <= 40), "")
    return f"{issuer}{year}年{kind}"
