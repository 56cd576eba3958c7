"""Render docs/data-contract.md from etl/schema.py, the single source of the record contract.

    .venv/bin/python scripts/render_contract.py           # rewrite docs/data-contract.md
    .venv/bin/python scripts/render_contract.py --check   # exit 1 if the committed doc is stale
"""
from __future__ import annotations

import argparse
import csv
import io
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
from etl import schema  # noqa: E402
from etl.schema import Field, RecordType  # noqa: E402
from etl.unusable_cells import MAX_CELL_CHARS  # noqa: E402
from etl.xlsx_package import (DEFAULT_MAX_ROWS, DEFAULT_MAX_UNCOMPRESSED_MB, MAX_ROWS_ENV,  # noqa: E402
                              MAX_UNCOMPRESSED_ENV)

DOC = ROOT / "docs" / "data-contract.md"

KIND_LABEL = {
    schema.TEXT: "文本 text", schema.DATE: "日期 date", schema.INT: "整数 integer", schema.NUMBER: "数字 number",
    schema.ENUM: "枚举 enum", schema.BOOL: "是/否 boolean", schema.COMMUNITY: "社区 community",
    schema.SUBDISTRICT: "街道 subdistrict",
}
DATE_FORMATS = ("2022-05-01", "2022/5/1", "2022.5.1", "2022年5月1日")


def _words(words: tuple[str, ...]) -> str:
    return "、".join(f"`{w}`" for w in words)


GENERAL_RULES = f"""\
## 通用规则 General rules

1. **文件 Files.** 一个数据文件夹可放任意多个 `.csv` / `.xlsx` 文件；文件名以记录类型的前缀开头
   （如 `cases.csv`、`cases_2023.xlsx`、`outreach-q1.csv`、`普法与法律服务_2024.xlsx`，最长前缀优先），
   否则按表头识别类型。A data folder holds any number of CSV/XLSX files, each named by its record
   type's prefix (longest prefix wins); failing that, the type is recognised from the headers.
2. **编码 Encodings.** CSV 可为 UTF-8、UTF-8 BOM 或 GBK/GB18030，一个文件通篇用同一种编码：混入另一种编码的
   文字（如 GBK 文件中的一段 UTF-8）不会按乱码载入，所在行被拒绝并指明字段。Excel 读取含表头的第一个
   工作表，表头可在前10行内（上方可有标题行）；一个工作表最多 {DEFAULT_MAX_ROWS:,} 行，整个文件解压后最多
   {DEFAULT_MAX_UNCOMPRESSED_MB} MB（环境变量 `{MAX_ROWS_ENV}`、`{MAX_UNCOMPRESSED_ENV}` 可调），超出或文件损坏时
   整个文件不读取并说明原因。CSV in UTF-8, UTF-8 with BOM or GBK/GB18030, one encoding throughout: a
   value in the other encoding is rejected with its row, never loaded as mojibake. In Excel the first
   sheet with a recognisable header in its first 10 rows; a sheet over {DEFAULT_MAX_ROWS:,} rows or a file
   over {DEFAULT_MAX_UNCOMPRESSED_MB} MB unzipped (both settable), or a damaged one, is refused whole, saying why.
3. **表头 Headers.** 每列表头可写英文字段名或中文表头（见各表），列的顺序不限；表头比较前先做全角转半角、
   去空格、忽略大小写，末尾的 `*`（必填标记）忽略。未知列忽略并提示；缺少必填列时该文件全部行被拒绝，
   并列出所缺的列。Either the English field name or the Chinese header, in any order; unknown
   columns are ignored (and reported); a missing required column rejects every row of the file,
   naming the column.
4. **日期 Dates.** {"、".join(f"`{d}`" for d in DATE_FORMATS)}，以及 Excel 日期单元格（含日期序列号）；
   日期后的时间部分忽略。Any of these, or an Excel date cell; a trailing time is ignored.
5. **全角字符 Full-width characters.** 全角数字、字母和标点（如 `２０２２年５月１日`、`（线下）`、全角空格）
   先折为半角再校验；标题等自由文本只折数字、字母和空格，保留中文标点。Full-width digits, letters and
   punctuation are folded to ASCII before validation; free text keeps its Chinese punctuation.
6. **数字 Numbers.** 整数、小数，可带千分位逗号（`16,380`）；整数字段不接受小数。
7. **是/否 Booleans.** 是：{_words(schema.TRUE_WORDS)}；否：{_words(schema.FALSE_WORDS)}。
8. **社区 Communities.** 社区字段按社区编号、社区名称、不带“社区”的名称或别名（社区名录的“别名”列，
   用“、”分隔，也可用 `,` `;` `/`）匹配，不区分大小写：`馒头山` = `馒头山社区` = `NX01`。不在社区名录中的社区被拒绝。
   A community is matched by id, name, name without 社区, or alias; an unknown community is rejected.
9. **街道本级 The subdistrict itself.** 社区字段空白或写作 {_words(schema.SUBDISTRICT_LEVEL)}，表示街道本级
   （不属于任何社区）；街道整体数字包含街道本级和全部社区。Blank or one of these words = the
   subdistrict itself; whole-subdistrict figures include it and every community.
10. **重复 Duplicates.** 每种记录类型按其“键”唯一。同一键的两行完全相同时只计一次；内容不同时保留先出现
    的行（按文件名、行号），后者拒绝并说明与哪个文件哪一行重复。与已加载文件内容完全相同的文件整体跳过。
    One row per key: identical duplicates count once; for different rows with one key the first
    (by file name, row) is kept and the later rejected, naming the first. A file identical to one
    already loaded is skipped whole.
11. **拒绝 Rejects.** 有问题的行不会中断加载，也不会消失：每行写入 `rejects` 表，记录文件、行号（表头为第1行）、
    字段、原值和中文原因；每个文件满足 已加载 + 已拒绝 = 已读取。只有整个文件无法读取时命令才报错退出。
    含控制字符（制表符和换行除外）或超过 {MAX_CELL_CHARS:,} 个字符（Excel 单元格上限）的字段也使所在行被拒绝。
    A bad row never stops a load and never vanishes: it goes to `rejects` with file, row (header =
    row 1), field, value and a Chinese reason; per file loaded + rejected = read. A field holding a
    control character (tab and line breaks aside) or over {MAX_CELL_CHARS:,} characters (Excel's cell
    limit) rejects its row too.
12. **填报值分项 Reported parts.** `reported_values` 的“分项”为 {_words(schema.REPORTED_PARTS)}；比率类指标
    分别填报分子和分母，空白为“值”。指标编号须在指标目录（`etl/reference/indicators.csv` 及导入的 `indicators`）中。
13. **整行检查 Row checks.** 案件状态为“审结”须填结案日期，结案日期不得早于收案日期；整改任务的短板编号须在
    短板目录（`etl/reference/weak_areas.csv`）中。A concluded case needs a closing date not before its
    filing date; an action's weak area must be in the weak-area list.
14. **目标与计分 Targets and points.** `targets` 是街道自己维护的考核细则：每个指标、年度、范围一行。街道整体只按
    范围“街道”的目标评价，社区只按范围“社区”的目标评价（先取该社区的行，再取社区空白、适用每个社区的行）；
    没有社区目标的社区显示“无社区目标”，不着色。某年度没有某范围的目标时，沿用之前最近一个有该范围目标的
    年度（并注明“沿用某年目标”）。计分方式：{_words(schema.SCORING_RULES)}（见 `targets` 表“计分方式”说明）；
    得分按领域和合计相加。A target rates only its own scope (a community never against the subdistrict's);
    a year without targets of a scope uses the latest earlier year's; points add up by area and in total.
15. **指标目录 Catalogue.** `indicators` 只能新增填报类指标（{_words(tuple(schema.REPORTED_KINDS))}），或为已有填报类指标
    提交更高的版本；由记录计算的指标口径由程序维护。所有版本都保留，取最高版本。An office adds reported
    indicators (or later versions of reported ones) without code; computed indicators keep their formula in code.
16. **街道 Subdistricts.** 一个数据库可以放一个区的多个街道。一行记录的街道依次取：所填社区所属的街道（社区名录的
    “街道”列）；“街道”列（写法同社区名录，可不带“街道”）；文件所在文件夹的名称（每个街道一个文件夹，如
    `data/南星街道/cases.csv`）；社区名录只有一个街道时为该街道。社区名录有多个街道而一行仍无法确定街道时，该行被拒绝
    （指标目标除外：街道空白表示每个街道）。同名社区在不同街道时，须填写街道。街道本级的记录属于其街道；
    全区数字包含全部街道，比率按全区的分子、分母重新计算，填报值相加（得分类不相加）。A record's subdistrict is
    its community's, else its 街道 column, else its folder's name (one folder per subdistrict), else the only
    one the community list has; with several and none found the row is rejected (a target's blank means every
    subdistrict). District figures add every subdistrict's records; rates are recomputed, reported figures summed
    (scores are not).
17. **街道账号的导入 Imports of a subdistrict's account.** 限定为一个街道的账号在“数据导入”上传的文件，视同放在该街道的
    文件夹中：“街道”列空白（或没有该列）的行属于该街道。写明其他街道、填写其他街道的社区（社区名录中为其他街道的
    社区编号）的行，以及指标目录（适用于全区），使整次导入在预览时被拒绝，并逐行说明文件、行号和字段。An account
    limited to one subdistrict imports as if into that subdistrict's folder; a row naming another subdistrict
    or one of its communities, and the catalogue (district-wide), refuse the whole import at the preview.
"""


def _cell(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")


def _number(x: float) -> str:
    return f"{x:g}"


def allowed_text(f: Field) -> str:
    if f.kind == schema.ENUM:
        return _words(f.allowed)   # quoted: some values contain 、 themselves
    if f.kind in (schema.INT, schema.NUMBER):
        if f.minimum is not None and f.maximum is not None:
            return f"{_number(f.minimum)}–{_number(f.maximum)}"
        if f.minimum is not None:
            return f"≥ {_number(f.minimum)}"
        if f.maximum is not None:
            return f"≤ {_number(f.maximum)}"
        return ""
    if f.kind == schema.DATE:
        return "日期（见通用规则4）"
    if f.kind == schema.BOOL:
        return "是 / 否"
    if f.kind == schema.COMMUNITY:
        return "社区名录中的社区；街道本级见通用规则9"
    if f.kind == schema.SUBDISTRICT:
        return "社区名录中的街道；见通用规则16"
    return ""


def field_table(rt: RecordType) -> list[str]:
    lines = ["| field | 中文表头 | 类型 type | 必填 required | 允许值 / 范围 allowed | 说明 description |",
             "|---|---|---|---|---|---|"]
    for f in rt.fields:
        headers = " / ".join([f.header_zh, *f.header_aliases])
        kind = f"{KIND_LABEL[f.kind]} (`{schema.SQL_TYPE[f.kind]}`)"
        required = "是" if f.required else ""
        lines.append(f"| `{f.name}` | {_cell(headers)} | {kind} | {required} | {_cell(allowed_text(f))} | "
                     f"{_cell(f.description_zh)} |")
    return lines


def example_rows(rt: RecordType) -> list[str]:
    text = io.StringIO()
    writer = csv.writer(text, lineterminator="\n")
    writer.writerow([f.header_zh for f in rt.fields])
    writer.writerow([f.example for f in rt.fields])
    return ["```csv", *text.getvalue().splitlines(), "```"]


def record_section(rt: RecordType) -> list[str]:
    key = "、".join(f"`{k}`（{rt.field(k).header_zh}）" for k in rt.key)
    prefixes = "、".join(f"`{p}`" for p in rt.prefixes)
    required = "、".join(f.header_zh for f in rt.required_fields)
    return [
        f"## `{rt.name}` {rt.name_zh}",
        "",
        f"- 粒度 grain：一行是{rt.grain}",
        f"- 键 key：{key}",
        f"- 文件名前缀 file-name prefixes：{prefixes}",
        f"- 必填 required：{required}",
        f"- 暂存表 staging table：`stg_{rt.name}`",
        "",
        *field_table(rt),
        "",
        "示例行 Example row:",
        "",
        *example_rows(rt),
        "",
    ]


def render() -> str:
    lines = [
        "# 数据契约 Data contract",
        "",
        "<!-- Generated by scripts/render_contract.py from etl/schema.py; do not edit by hand. -->",
        "",
        "本文件由 `scripts/render_contract.py` 从 `etl/schema.py` 生成，请勿手工修改。它规定街道各类台账",
        "（CSV / Excel）的记录类型、字段、中文表头、类型和允许值；Excel 模板（`python -m etl templates`）",
        "和 `python -m etl check` 使用同一份契约。This file is generated from `etl/schema.py`: the record",
        "types the ETL loads, their fields, Chinese headers, types and allowed values.",
        "",
        "| 记录类型 record type | 中文 | 粒度 grain | 键 key |",
        "|---|---|---|---|",
        *[f"| `{rt.name}` | {rt.name_zh} | {rt.grain} | "
          f"{'、'.join(rt.key)} |" for rt in schema.RECORD_TYPES.values()],
        "",
        GENERAL_RULES,
    ]
    for rt in schema.RECORD_TYPES.values():
        lines += record_section(rt)
    return "\n".join(lines).rstrip("\n") + "\n"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="exit 1 if docs/data-contract.md is not current")
    args = parser.parse_args(argv)
    text = render()
    if args.check:
        current = DOC.read_text(encoding="utf-8") if DOC.exists() else ""
        if current != text:
            print(f"{DOC.relative_to(ROOT)} is stale: run scripts/render_contract.py", file=sys.stderr)
            return 1
        return 0
    DOC.write_text(text, encoding="utf-8")
    print(f"wrote {DOC.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
