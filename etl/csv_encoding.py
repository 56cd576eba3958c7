"""A CSV file's encoding, and the values in it written in another one.

A ledger is UTF-8 (with or without BOM) or GBK/GB18030. A file that is neither throughout is
usually one of them with values pasted from the other: read as GB18030 whole, a UTF-8 城乡 becomes
鍩庝埂. Delimiters, quotes and line breaks are ASCII in both encodings, so each value's non-ASCII
bytes form runs that lie inside one field; each run is judged on its own:
- a run that is not valid UTF-8 is not UTF-8;
- a run that is valid UTF-8 and reads as at least one CJK ideograph is UTF-8 text. GBK text never is
  unless it holds a GB2312 level-2 or GBK-only character in a rare alignment: a level-1 character's
  bytes form a 2-byte UTF-8 sequence if any, and those read as U+0080–U+07FF, not as ideographs.
The file's encoding is the one most such runs are in (a UTF-8 BOM decides for UTF-8). Runs in the
other encoding ("foreign") are decoded in their own and marked FOREIGN_START … FOREIGN_END, so that
the reader rejects their rows naming the field instead of loading mojibake.
"""
from __future__ import annotations

import codecs
import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from etl.errors import FileReadError

CHUNK_BYTES = 8 << 20
UTF8, UTF8_BOM, GB18030 = "UTF-8", "UTF-8-BOM", "GB18030"
CODECS = {UTF8: "utf-8", UTF8_BOM: "utf-8-sig", GB18030: "gb18030"}
# Unicode noncharacters: reserved for a program's internal use, never part of interchanged text.
FOREIGN_START, FOREIGN_END = "\ufdd0", "\ufdd1"
UNKNOWN = "无法识别文件编码（已尝试 UTF-8、UTF-8 BOM、GBK/GB18030）"

_IDEOGRAPH = re.compile("[\u3400-\u4dbf\u4e00-\u9fff]")
_NOT_UTF8 = re.compile("[\udc80-\udcff]")     # bytes that are not UTF-8, decoded with surrogateescape
_ASCII = re.compile("[\x00-\x7f]")
_HIGH_BYTES = bytes(range(0x80, 0x100))


@dataclass(frozen=True)
class CsvEncoding:
    label: str            # UTF-8, UTF-8-BOM or GB18030: the file's own encoding
    mixed: bool = False   # some runs of non-ASCII bytes are in the other encoding

    @property
    def utf8(self) -> bool:
        return self.label != GB18030

    @property
    def needs_transcoding(self) -> bool:
        """DuckDB reads UTF-8 (and skips a BOM) itself; anything else is written out as UTF-8 first."""
        return not self.utf8 or self.mixed

    def note(self, foreign: int) -> str:
        if self.utf8:
            return f"文件混用了两种编码：以 UTF-8 为主，{foreign} 处不是 UTF-8（按 GBK 读出）；含这些文字的行被拒绝"
        return f"文件混用了两种编码：以 GBK/GB18030 为主，{foreign} 处为 UTF-8；含这些文字的行被拒绝"


def _decodes_as(path: Path, encoding: str) -> bool:
    decoder = codecs.getincrementaldecoder(encoding)()
    try:
        with open(path, "rb") as fh:
            while chunk := fh.read(CHUNK_BYTES):
                decoder.decode(chunk)
        decoder.decode(b"", final=True)
    except UnicodeDecodeError:
        return False
    return True


def _pieces(path: Path) -> Iterator[str]:
    """The file decoded as UTF-8 with surrogateescape (bytes that are not UTF-8 become U+DC80–U+DCFF,
    and encode back to themselves), in pieces that end where a run of non-ASCII bytes does."""
    carry = b""
    with open(path, "rb") as fh:
        while chunk := fh.read(CHUNK_BYTES):
            data = carry + chunk
            cut = len(data.rstrip(_HIGH_BYTES))
            carry = data[cut:]
            yield data[:cut].decode("utf-8", "surrogateescape")
    if carry:
        yield carry.decode("utf-8", "surrogateescape")


def _run_around(text: str, i: int) -> tuple[int, int]:
    """The run of non-ASCII characters that holds text[i]."""
    start = i
    while start and text[start - 1] >= "\x80":
        start -= 1
    end = _ASCII.search(text, i)
    return start, end.start() if end else len(text)


def _utf8_text_runs(text: str) -> Iterator[tuple[int, int]]:
    """Runs that are valid UTF-8 and read as at least one CJK ideograph: (start, end) in `text`."""
    pos = 0
    while found := _IDEOGRAPH.search(text, pos):
        start, pos = _run_around(text, found.start())
        if not _NOT_UTF8.search(text, start, pos):
            yield start, pos


def _not_utf8_runs(text: str) -> Iterator[tuple[int, int]]:
    pos = 0
    while found := _NOT_UTF8.search(text, pos):
        start, pos = _run_around(text, found.start())
        yield start, pos


def _count_runs(path: Path) -> tuple[int, int]:
    """(runs of UTF-8 text, runs not UTF-8). Per piece the two kinds are counted in turn until one
    runs out: the rarer kind (a file's few foreign values) is counted exactly, the other only as far,
    so the work is in proportion to the rarer kind."""
    counts = [0, 0]
    for text in _pieces(path):
        utf8_text, not_utf8 = _utf8_text_runs(text), _not_utf8_runs(text)
        while next(utf8_text, None) is not None:
            counts[0] += 1
            if next(not_utf8, None) is None:
                break
            counts[1] += 1
    return counts[0], counts[1]


def detect(path: Path, source_file: str) -> CsvEncoding:
    """The file's encoding and whether some of its values are in the other one; FileReadError for an
    empty or binary file."""
    with open(path, "rb") as fh:
        head = fh.read(4096)
    if not head.strip(b" \t\r\n\xef\xbb\xbf"):
        raise FileReadError(source_file, "文件为空")
    # A NUL in a text file's first line (the header) means binary or UTF-16; later ones are a field's problem.
    if b"\x00" in head.split(b"\n", 1)[0]:
        raise FileReadError(source_file, "不是文本文件（含二进制内容），无法按 CSV 读取")
    label = UTF8_BOM if head.startswith(codecs.BOM_UTF8) else UTF8
    if _decodes_as(path, "utf-8"):
        return CsvEncoding(label)
    if label == UTF8_BOM:
        return CsvEncoding(label, mixed=True)
    utf8_text, not_utf8 = _count_runs(path)
    if utf8_text > not_utf8:
        return CsvEncoding(label, mixed=True)
    return CsvEncoding(GB18030, mixed=utf8_text > 0)   # transcode() finds bytes that are not GB18030 either


def transcode(path: Path, encoding: CsvEncoding, target: Path, source_file: str) -> int:
    """Write `path` to `target` as UTF-8; returns the number of foreign runs, each decoded in its own
    encoding and written between FOREIGN_START and FOREIGN_END."""
    decoder = codecs.getincrementaldecoder(CODECS[encoding.label])()
    foreign = 0
    try:
        with open(target, "w", encoding="utf-8", newline="") as dst:
            if not encoding.mixed:
                with open(path, "rb") as src:
                    while chunk := src.read(CHUNK_BYTES):
                        dst.write(decoder.decode(chunk))
                dst.write(decoder.decode(b"", final=True))
                return 0
            for n, text in enumerate(_pieces(path)):
                if n == 0 and encoding.label == UTF8_BOM:
                    text = text.removeprefix("\ufeff")
                start = 0
                for run_start, run_end in (_not_utf8_runs(text) if encoding.utf8 else _utf8_text_runs(text)):
                    dst.write(_own(text[start:run_start], encoding, decoder))
                    dst.write(FOREIGN_START + _unmarked(_other(text[run_start:run_end], encoding)) + FOREIGN_END)
                    foreign += 1
                    start = run_end
                dst.write(_own(text[start:], encoding, decoder))
            dst.write(decoder.decode(b"", final=True))
    except UnicodeDecodeError as exc:
        raise FileReadError(source_file, UNKNOWN) from exc
    return foreign


def _own(text: str, encoding: CsvEncoding, decoder) -> str:
    """Text between foreign runs, in the file's own encoding (a UTF-8 piece is decoded already)."""
    if encoding.utf8:
        return _unmarked(text)
    return _unmarked(decoder.decode(text.encode("utf-8", "surrogateescape")))


def _other(text: str, encoding: CsvEncoding) -> str:
    """A foreign run in the other encoding."""
    return text.encode("utf-8", "surrogateescape").decode("gb18030", "replace") if encoding.utf8 else text


def _unmarked(text: str) -> str:
    """A marker already in the text would be taken for ours."""
    return text.replace(FOREIGN_START, "\ufffd").replace(FOREIGN_END, "\ufffd")
