"""An .xlsx package checked before openpyxl opens it: a zip, not too large unzipped, no sheet too long.

openpyxl reads the shared strings whole and, in read-only mode, parses a sheet without a declared
dimension to its end while opening the workbook; a 26 MB file can hold 10M rows. So the zip's
member sizes are summed first (zipfile never yields more than a member's declared size: a lie ends
in a CRC error), then every member is streamed through a byte scan that counts `<row` start tags
and stops once the limit is passed (about 20 MB unzipped for 200,000 rows). A declared dimension
is not trusted either way: it can be absent, too small (openpyxl would stop there) or the whole
grid. The reader counts the rows openpyxl yields too (a row number can jump).
"""
from __future__ import annotations

import os
import re
import zipfile
import zlib
from dataclasses import dataclass
from pathlib import Path

from etl.errors import FileReadError

MAX_ROWS_ENV = "COCKPIT_XLSX_MAX_ROWS"
MAX_UNCOMPRESSED_ENV = "COCKPIT_XLSX_MAX_UNCOMPRESSED_MB"
DEFAULT_MAX_ROWS = 200_000
DEFAULT_MAX_UNCOMPRESSED_MB = 256   # an honest 200,000-row ledger unzips to well under 100 MB
SPLIT_ADVICE = "未读取；请拆分为多个文件后分别导入"
# What a damaged package makes zipfile raise while streaming (encrypted or unknown method included).
DAMAGED_ZIP = (zipfile.BadZipFile, zlib.error, EOFError, RuntimeError, NotImplementedError, OSError)

_CHUNK = 1 << 20
_PREFIX = rb"(?:[A-Za-z_][\w.\-]{0,31}:)?"         # a namespace prefix, as in <x:row>
_ROW_TAG = re.compile(rb"<" + _PREFIX + rb"row[\s/>]")
_DIMENSION = re.compile(rb"<" + _PREFIX + rb"dimension\s[^>]*?ref\s*=\s*[\"'][A-Za-z]*(\d+)(?::[A-Za-z]*(\d+))?")


@dataclass(frozen=True)
class XlsxLimits:
    max_rows: int
    max_uncompressed_mb: int


def _positive_int(variable: str, default: int, source_file: str) -> int:
    text = os.environ.get(variable, "").strip()
    if not text:
        return default
    if not text.isdigit() or int(text) == 0:
        raise FileReadError(source_file, f"配置项 {variable} 的值“{text}”不是正整数，无法读取 Excel 文件")
    return int(text)


def xlsx_limits(source_file: str) -> XlsxLimits:
    """The limits set in the environment (read per file, so a changed setting applies without restart)."""
    return XlsxLimits(_positive_int(MAX_ROWS_ENV, DEFAULT_MAX_ROWS, source_file),
                      _positive_int(MAX_UNCOMPRESSED_ENV, DEFAULT_MAX_UNCOMPRESSED_MB, source_file))


def too_many_rows(limits: XlsxLimits, declared: int | None = None) -> str:
    if declared is None:
        return f"工作表超过 {limits.max_rows:,} 行的上限，{SPLIT_ADVICE}"
    return f"工作表有 {declared:,} 行，超过 {limits.max_rows:,} 行的上限，{SPLIT_ADVICE}"


def not_a_workbook(exc: BaseException) -> str:
    return f"不是有效的 Excel (.xlsx) 文件（{type(exc).__name__}）"


def _declared_rows(head: bytes) -> int | None:
    """The last row of the sheet's <dimension ref="A1:D200">, if it comes before the rows."""
    end = head.find(b"sheetData")
    match = _DIMENSION.search(head, 0, end if end >= 0 else len(head))
    if match is None:
        return None
    return int(match.group(2) or match.group(1))


def _scan_member(archive: zipfile.ZipFile, info: zipfile.ZipInfo, limits: XlsxLimits, source_file: str) -> None:
    """Refuse when the member holds more row elements than the limit; reads at most that far.

    The declared dimension only words the refusal: some tools declare the whole grid (A1:XFD1048576)."""
    rows, carry = 0, b""
    with archive.open(info) as stream:
        chunk = stream.read(_CHUNK)
        declared = _declared_rows(chunk)
        while chunk:
            data = carry + chunk
            # Hold back a tag cut by the chunk's end: it is counted with the next chunk.
            cut = data.rfind(b"<")
            cut = cut if cut >= 0 and len(data) - cut < 64 else len(data)
            rows += len(_ROW_TAG.findall(data, 0, cut))
            carry = data[cut:]
            if rows > limits.max_rows:
                break
            chunk = stream.read(_CHUNK)
        else:   # read to the end: the held-back tail counts too
            rows += len(_ROW_TAG.findall(carry))
    if rows > limits.max_rows:
        # The declared count words the refusal only where the rows bear it out.
        borne_out = declared if declared is not None and declared > limits.max_rows else None
        raise FileReadError(source_file, too_many_rows(limits, borne_out))


def check_package(path: Path, source_file: str, limits: XlsxLimits) -> None:
    """FileReadError unless `path` is a zip within the size cap whose members hold no more rows than the limit."""
    try:
        with zipfile.ZipFile(path) as archive:
            members = archive.infolist()
            size = sum(info.file_size for info in members)
            if size > limits.max_uncompressed_mb * 1048576:
                raise FileReadError(source_file, f"解压后共 {size / 1048576:.1f} MB，超过 "
                                                 f"{limits.max_uncompressed_mb} MB 的上限，{SPLIT_ADVICE}")
            for info in members:
                if not info.is_dir():
                    _scan_member(archive, info, limits, source_file)
    except DAMAGED_ZIP as exc:
        raise FileReadError(source_file, not_a_workbook(exc)) from exc
