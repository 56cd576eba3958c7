"""The report fixtures that are made, not kept: the .docx from its JSON spec (python-docx) and the
PDF printed from its HTML by headless Chromium. Used by tests/test_report_reader.py and
bench/read_report_bench.py."""
from __future__ import annotations

import json
from pathlib import Path

FIXTURES = Path(__file__).resolve().parent / "fixtures" / "reports"


def make_docx(spec: Path, out: Path) -> Path:
    """A Word document of the spec's blocks: {"p": text} paragraphs and {"table": rows} tables."""
    from docx import Document

    word = Document()
    for block in json.loads(spec.read_text(encoding="utf-8"))["blocks"]:
        if "p" in block:
            word.add_paragraph(block["p"])
        else:
            rows = block["table"]
            table = word.add_table(rows=len(rows), cols=len(rows[0]))
            for r, row in enumerate(rows):
                for c, text in enumerate(row):
                    table.cell(r, c).text = text
    word.save(out)
    return out


def make_pdf(html: Path, out: Path) -> Path:
    """The HTML page printed to PDF by Chromium: a real text layer, lines wrapped as printed."""
    from reporting.report_render import html_to_pdf

    out.write_bytes(html_to_pdf(html.read_text(encoding="utf-8")))
    return out


def report_files(folder: Path) -> dict[str, Path]:
    """Every fixture report as a readable file: kept ones as they are, made ones written to `folder`."""
    files = {}
    for path in sorted(FIXTURES.iterdir()):
        if path.name.endswith(".docx.json"):
            files[path.name.removesuffix(".json")] = make_docx(path, folder / path.name.removesuffix(".json"))
        elif path.name.endswith(".pdf.html"):
            files[path.name.removesuffix(".html")] = make_pdf(path, folder / path.name.removesuffix(".html"))
        elif path.suffix in (".txt", ".html"):
            files[path.name] = path
    return files


def expected(report_name: str) -> dict:
    return json.loads((FIXTURES / f"{report_name}.expected.json").read_text(encoding="utf-8"))
