"""Read a published report and propose its figures: `python -m etl read-report FILE`.

A figure is a number with a unit in a sentence (or a cell of a table), mapped to a catalogue
indicator through the phrases of etl/reference/report_phrases.csv (etl.report_phrases), or listed
with indicator_id None when no phrase names it. Which phrase a number belongs to:
1. `X、Y均为100%` gives the number to every item of the list; `X、Y分别为0件、2件` pairs them;
2. a phrase right before the number (普法讲座90余场) wins; else a phrase just after its unit (43个公益
   社团); else the nearest phrase before it in the clause, or in earlier clauses of the sentence when
   the clause holds nothing but 共/合计/全年 (专题学法，每季一次，共4次) — unless a verb stands between that
   phrase and the number and a noun follows the unit (普法讲座结束后开展15次行政辅导: the 辅导 are counted);
3. a number in a clause that compares periods (同比, 较去年) is a change, not a level.
Zero in words (未发生行政诉讼案件, 无配备公职律师, 行政复议案件为零) gives 0. Parts listed after a total
(共175条，包含政务动态85条…) that do not add up to it are flagged; both stay proposed.
The year is --year, else the title's year, else the year before the date the report is signed.
Statutory GI tables (表二/表三/表四) are read by etl.gi_report_reader, not here.
"""
from __future__ import annotations

import argparse
import json
import re
import sys
from collections.abc import Mapping, Sequence
from dataclasses import asdict, dataclass, field
from itertools import pairwise
from pathlib import Path

import duckdb

from etl.errors import EtlError
from etl.gi_report_reader import read_gi_tables
from etl.report_document import Document, Table, read_document, report_title, report_year
from etl.report_numbers import UNITS, Number, fold, is_comparison, mask_non_figures, numbers
from etl.report_phrases import Rule, catalogue_units, load_rules

EXACT, AT_LEAST = "exact", "at_least"
KEYS = ("indicator_id", "year", "community", "part", "value", "unit", "qualifier", "sentence")

SENTENCE = re.compile(r"[^。！？!?;；\n]+[。！？!?;；]*")
CLAUSE_BREAK = re.compile(r"[,:，：]")
LIST_SEPARATOR = re.compile(r"[、和及与]|以及")
ALL_OF = re.compile(r"(均|都|皆)(?:为|达到|达|是|实现)?$")
RESPECTIVELY = "分别"
# A clause holding only these before its number continues the previous clause's subject.
CONNECTORS = re.compile(r"^(?:\s|每\S{1,2}[一1]次|全年|今年|共计|合计|累计|总计|共|计|达到|达|为|约|其中)*$")
VERBS = re.compile(r"开展|组织|举办|召开|发放|提供|受理|办理|化解|完成|接待|解答|走访|印发|张贴|出动|检查|培训|结束")
ADJACENT_GAP = re.compile(r"达到|达|为|共计|共|计|约|[\s\u2007]")   # 普法讲座共计90场: the phrase is the number's
NOUN_START = re.compile(r"^(?:的|各类|各项)?[\u4e00-\u9fff]")
NOT_NOUN_START = re.compile(r"^(?:均|并|其中|同比|环比|较|比|左右|共|合计|累计|全年|今年|已|开展|组织|举办|发放|提供|"
                            r"化解|受理|办理|完成|实现|推进|建立|召开|新增|通过|参与|覆盖|涉及|占|达|为|是|和|及|与|以)")
ZERO_BEFORE = re.compile(r"(?:未发生|未出现|未新增|未收到|未接到|未配备|无配备|未有|没有|无|零)"
                         r"(?:配备|发生|新增|收到|接到|出现|任何|受理)?")
ZERO_AFTER = re.compile(r"^(?:案件)?(?:数)?(?:为零|零发生|为0(?![\d.]))")
PARTS_MARKER = re.compile(r"包含|包括|其中|含|分别为|分别是|具体为")
NOT_A_PART = re.compile(r"另有|另外|此外|还有|同时|[;；。]")
# A target or a plan (力争不超过3件, 计划开展100场) states no figure of the year.
PLAN = re.compile(r"力争|争取|计划|确保|目标|预计|拟")
PLAN_SECTION = re.compile(r"^\s*[一二三四五六七八九十]+\s*[、.．]\s*\S*(?:安排|打算|计划|思路|工作重点)")
TOP_HEADING = re.compile(r"^\s*[一二三四五六七八九十]+\s*[、.．]")
# A sentence or paragraph about another year starts with it: 2021年，… / 2025年度，… (not 2021年以来, 2021年12月).
SENTENCE_YEAR = re.compile(r"^\s*((?:19|20)\d{2})\s*年度?(?!以来|底|初|末|前|后|起|至|\s*[\d\u2007-—～~])")
# Without a list of communities: a community as the subject of its clause.
COMMUNITY_SUBJECT = re.compile(r"^(?:其中|下辖|辖区内?)?((?:(?![进入到在各全本该辖个所])[\u4e00-\u9fff]){2,4}社区)"
                               r"(?=开展|组织|举办|共|全年|发放|受理|调解|化解|提供|累计|今年|新增|完成)")
NAME_BEFORE_SHEQU = re.compile(r"(?<=[\u4e00-\u9fff])(?<![辖各全本该个区治范谐型级等和与及])社区")
YEAR_HEADER = re.compile(r"^\s*((?:19|20)\d{2})\s*年?度?\s*$")
TABLE_NUMBER = re.compile(r"^\s*(超过|超|逾|至少)?\s*(\d+(?:,\d{3})*(?:\.\d+)?)\s*(万)?\s*(余|多)?\s*("
                          + "|".join(map(re.escape, UNITS)) + r")?\s*(以上)?\s*$")
UNIT_IN_LABEL = re.compile(r"[（(]\s*(?:单位[:：])?\s*([^()（）]{1,3})\s*[)）]")


class ReportReadError(EtlError):
    """The report cannot be read (no year, unknown file type …); the message says what to do."""


@dataclass
class Figure:
    indicator_id: str | None
    year: int
    community: str | None
    part: str
    value: float
    unit: str
    qualifier: str
    sentence: str

    def as_dict(self) -> dict:
        row = asdict(self)
        row["value"] = int(self.value) if float(self.value).is_integer() else self.value
        return row


@dataclass
class Reading:
    title: str
    year: int
    figures: list[Figure] = field(default_factory=list)
    checks: list[str] = field(default_factory=list)   # things the analyst must look at (Chinese)


# ---- Phrase matches in a sentence ------------------------------------------------------------------

@dataclass(frozen=True)
class Match:
    start: int
    end: int
    rules: tuple[Rule, ...]


def _matches(text: str, rules: Sequence[Rule]) -> list[Match]:
    """Every phrase occurrence whose rule's context the sentence has; a span inside a longer one is dropped."""
    spans: dict[tuple[int, int], list[Rule]] = {}
    for rule in rules:
        if not rule.in_context(text):
            continue
        for phrase in rule.phrases:
            for m in re.finditer(re.escape(phrase), text):
                spans.setdefault((m.start(), m.end()), []).append(rule)

    def counts(span: tuple[int, int]) -> bool:
        return any(r.mode == "number" for r in spans[span])

    # 审结 inside 已审结 (a phrase that carries its figure) still names the number after it.
    kept = [s for s in spans if not any(o != s and o[0] <= s[0] and s[1] <= o[1] and (counts(o) or not counts(s))
                                        for o in spans)]
    return sorted((Match(s, e, tuple(dict.fromkeys(spans[(s, e)]))) for s, e in kept), key=lambda m: (m.start, m.end))


class _Sentence:
    """One sentence: original text, folded text, masked text, clauses, numbers and phrase matches."""

    def __init__(self, original: str, rules: Sequence[Rule]):
        self.original = original.strip()
        self.text = fold(self.original)
        self.numbers = numbers(self.text, mask_non_figures(self.text))
        self.matches = _matches(self.text, rules)
        bounds = [0] + [m.end() for m in CLAUSE_BREAK.finditer(self.text)] + [len(self.text) + 1]
        self.clauses = list(pairwise(bounds))

    def clause(self, pos: int) -> tuple[int, int]:
        return next((s, e) for s, e in self.clauses if s <= pos < e)

    def numbers_between(self, start: int, end: int) -> bool:
        return any(start <= n.num_start < end for n in self.numbers)


# ---- The reader -------------------------------------------------------------------------------------

class _Reader:
    def __init__(self, year: int, rules: Sequence[Rule], communities: Mapping[str, str] | None):
        self.year = year
        self.rules = rules
        self.communities = dict(sorted((communities or {}).items(), key=lambda kv: -len(kv[0])))
        self.units = catalogue_units()
        self.figures: list[Figure] = []
        self.checks: list[str] = []
        self.paragraph_year = year

    # -- figures --
    def _add(self, rule: Rule | None, n_value: float, unit: str, qualifier: str, s: _Sentence, pos: int) -> Figure:
        year, community = self._year(s, pos), self._community(s, pos)
        if rule is None:
            figure = Figure(None, year, community, "value", n_value, unit, qualifier, s.original)
        else:
            # A value in the catalogue's unit (宗 and 起 are 件); a numerator or denominator counts things as written.
            unit = self.units.get(rule.indicator_id, unit) if rule.part == "value" else unit
            figure = Figure(rule.indicator_id, year, community, rule.part, n_value, unit, qualifier, s.original)
        self.figures.append(figure)
        return figure

    def _year(self, s: _Sentence, pos: int) -> int:
        m = SENTENCE_YEAR.match(s.text)
        return int(m.group(1)) if m and m.end() <= pos else self.paragraph_year

    def _community(self, s: _Sentence, pos: int) -> str | None:
        """The community that is the subject of the clause holding `pos` or of an earlier clause of the sentence."""
        found = None
        for start, end in s.clauses:
            if start > pos:
                break
            subject = self._subject(s.text[start:end].strip())
            if subject:
                found = subject
        return found

    def _subject(self, clause: str) -> str | None:
        clause = re.sub(r"^(?:其中|下辖|辖区内?)", "", clause)
        if self.communities:
            for alias, name in self.communities.items():
                if clause.startswith(alias) and not clause[len(alias):].lstrip("社区").startswith(("、", "被", "和")):
                    return name
            return None
        m = COMMUNITY_SUBJECT.match(clause)
        return m.group(1) if m else None

    def _names(self, segment: str) -> int:
        if self.communities:
            found, rest = set(), segment
            for alias, name in self.communities.items():
                if alias in rest:
                    found.add(name)
                    rest = rest.replace(alias, "\u2007")
            return len(found)
        return len(NAME_BEFORE_SHEQU.findall(segment))

    # -- one sentence --
    def sentence(self, original: str) -> None:
        s = _Sentence(original, self.rules)
        if not s.text:
            return
        mapped: dict[Number, list[Figure]] = {}
        handled: set[Number] = set()
        self._lists(s, mapped, handled)
        for n in s.numbers:
            if n not in handled:
                self._number(s, n, mapped)
        self._whole_phrases(s, mapped)
        self._zeros(s)
        self._parts_and_total(s)

    def _rules_for(self, match: Match, n: Number, left: str) -> list[Rule]:
        return [r for r in match.rules if r.mode == "number" and r.takes(n.unit) and r.allows(left)]

    def _figure_for(self, s: _Sentence, n: Number, match: Match | None, left: str,
                    mapped: dict[Number, list[Figure]]) -> None:
        rules = self._rules_for(match, n, left) if match else []
        if rules:
            mapped[n] = [self._add(r, n.value, n.unit, n.qualifier, s, n.num_start) for r in rules]
        elif not n.chinese and n.unit:   # a Chinese numeral naming nothing is an idiom (一张表单, 两个维护)
            self._add(None, n.value, n.unit, n.qualifier, s, n.num_start)

    def _lists(self, s: _Sentence, mapped: dict[Number, list[Figure]], handled: set[Number]) -> None:
        """X、Y均为100% (one number, several items) and X、Y分别为0件、2件 (items paired with numbers)."""
        for cs, ce in s.clauses:
            in_clause = [n for n in s.numbers if cs <= n.num_start < ce and not is_comparison(s.text[cs:n.start])
                         and not PLAN.search(s.text[cs:n.start])]
            if not in_clause:
                continue
            respectively = s.text.find(RESPECTIVELY, cs, in_clause[0].start)
            if respectively >= 0:
                items = self._items(s, cs, respectively)
                if len(items) == len(in_clause) > 1:
                    for (start, end), n in zip(items, in_clause):
                        self._item_figure(s, n, start, end, mapped)
                        handled.add(n)
                continue
            first = in_clause[0]
            all_of = ALL_OF.search(s.text[cs:first.start])
            if all_of:
                items = self._items(s, cs, cs + all_of.start())
                if len(items) > 1:
                    for start, end in items:
                        self._item_figure(s, first, start, end, mapped)
                    handled.add(first)

    def _items(self, s: _Sentence, start: int, end: int) -> list[tuple[int, int]]:
        bounds = [start] + [m.end() for m in LIST_SEPARATOR.finditer(s.text, start, end)] + [end + 1]
        return [(a, b - 1) for a, b in pairwise(bounds) if s.text[a:b - 1].strip()]

    def _item_figure(self, s: _Sentence, n: Number, start: int, end: int, mapped: dict[Number, list[Figure]]) -> None:
        inside = [m for m in s.matches if start <= m.start and m.end <= end]
        match = max(inside, key=lambda m: (m.end, m.end - m.start)) if inside else None
        rules = self._rules_for(match, n, s.text[start:end]) if match else []
        if rules:
            mapped.setdefault(n, []).extend(self._add(r, n.value, n.unit, n.qualifier, s, start) for r in rules)
        elif not n.chinese and n.unit:
            self._add(None, n.value, n.unit, n.qualifier, s, start)

    def _number(self, s: _Sentence, n: Number, mapped: dict[Number, list[Figure]]) -> None:
        cs, ce = s.clause(n.num_start)
        if is_comparison(s.text[cs:n.start]) or PLAN.search(s.text[cs:n.start]):
            return
        before = self._before(s, n, cs)
        after = None
        if n.unit != "%":
            after = next((m for m in s.matches if n.end <= m.start <= n.end + 4 and m.end <= ce
                          and not s.numbers_between(n.end, m.start) and any(r.mode == "number" for r in m.rules)), None)
        adjacent = before is not None and not ADJACENT_GAP.sub("", s.text[before.end:n.start])
        if before is not None and (adjacent or after is None):
            tail = s.text[n.end:ce]
            if (not adjacent and VERBS.search(s.text[before.end:n.start]) and NOUN_START.match(tail)
                    and not NOT_NOUN_START.match(tail)):
                before = None     # 普法讲座结束后开展15次行政辅导: the number counts the noun after it
            else:
                self._figure_for(s, n, before, s.text[min(cs, before.start):n.start], mapped)
                return
        self._figure_for(s, n, after, s.text[cs:n.start], mapped)

    def _before(self, s: _Sentence, n: Number, cs: int) -> Match | None:
        """The nearest phrase before the number, in its clause or (after a bare 共/合计) earlier clauses."""
        reach = cs
        if CONNECTORS.match(s.text[cs:n.start].replace("\u2007", "")):
            reach = 0
        candidates = [m for m in s.matches if reach <= m.start and m.end <= n.start
                      and not s.numbers_between(m.end, n.start) and any(r.mode == "number" for r in m.rules)]
        if not candidates:
            return None
        return max(candidates, key=lambda m: (m.end, m.end - m.start))

    def _whole_phrases(self, s: _Sentence, mapped: dict[Number, list[Figure]]) -> None:
        """Phrases that carry their figure: 均已审结 (all of the count before), 零败诉, community names."""
        names_from = 0
        for match in s.matches:
            for rule in match.rules:
                if rule.mode == "fixed":
                    self._add(rule, rule.value, rule.units[0], EXACT, s, match.start)
                elif rule.mode == "all":
                    counted = [(n, f) for n, figures in mapped.items() for f in figures
                               if f.indicator_id == rule.of and n.end <= match.start]
                    _, ce = s.clause(match.start)
                    if counted and not s.numbers_between(match.end, ce):   # 已审结3件 states its own count
                        _, f = max(counted, key=lambda nf: nf[0].end)
                        if rule.value is None:
                            self._add(rule, f.value, rule.units[0], f.qualifier, s, match.start)
                        elif f.value > 0 and f.qualifier == EXACT:     # a rate over no case is no figure
                            self._add(rule, rule.value, rule.units[0], EXACT, s, match.start)
                elif rule.mode == "names":
                    cs, _ = s.clause(match.start)
                    count = self._names(s.text[max(cs, names_from):match.start])
                    if count:
                        figure = self._add(rule, count, rule.units[0], EXACT, s, match.start)
                        figure.community = None
            if any(r.mode == "names" for r in match.rules):
                names_from = match.end

    def _zeros(self, s: _Sentence) -> None:
        """未发生行政诉讼案件, 无配备公职律师 → 0; 行政复议案件为零 → 0."""
        starts = {m.start: m for m in s.matches}
        for cue in ZERO_BEFORE.finditer(s.text):
            match = starts.get(cue.end())
            if match is None and cue.group().endswith(("发生", "配备", "新增", "收到", "接到", "出现", "受理")):
                continue
            if match is not None:
                self._zero(s, match, s.text[s.clause(cue.start())[0]:cue.start()])
        for match in s.matches:
            if ZERO_AFTER.match(s.text[match.end:]):    # 败诉率为0: a rate may be zero too
                self._zero(s, match, s.text[s.clause(match.start)[0]:match.start], rates=True)

    def _zero(self, s: _Sentence, match: Match, left: str, rates: bool = False) -> None:
        for rule in match.rules:
            if rule.mode == "number" and (rates or "%" not in rule.units) and rule.allows(left):
                self._add(rule, 0, rule.units[0], EXACT, s, match.start)

    def _parts_and_total(self, s: _Sentence) -> None:
        marker = PARTS_MARKER.search(s.text)
        if not marker:
            return
        totals = [n for n in s.numbers if n.end <= marker.start()]
        if not totals:
            return
        total = totals[-1]
        end = next((m.start() for m in NOT_A_PART.finditer(s.text, marker.end())), len(s.text))
        parts = [n for n in s.numbers if marker.end() <= n.start < end and n.unit == total.unit]
        if len(parts) < 2:
            return
        added = sum(p.value for p in parts)
        exact = total.qualifier == EXACT and all(p.qualifier == EXACT for p in parts)
        if (exact and added != total.value) or (total.qualifier == EXACT and added > total.value):
            self.checks.append(f"分项之和 {_fmt(added)}{total.unit} 与总数 {_fmt(total.value)}{total.unit} 不一致"
                               f"（两者均已列出，请核对）：{s.original}")

    # -- tables --
    def table(self, table: Table) -> None:
        """A table of figures: a label column, optional unit column, value columns (year headers allowed)."""
        rows = [[fold(c).strip() for c in row] for row in table.rows]
        if not rows or max(len(r) for r in rows) < 2:
            return
        # The first row is a header when it holds labels and years (2021年, 2022) but no figure.
        first = rows[0]
        is_header = any(c and not TABLE_NUMBER.match(c) for c in first) and all(
            YEAR_HEADER.match(c) or not TABLE_NUMBER.match(c) for c in first)
        header = first if is_header else []
        years = {i: int(m.group(1)) for i, c in enumerate(header) if (m := YEAR_HEADER.match(c))}
        unit_col = next((i for i, c in enumerate(header) if c in ("单位", "计量单位")), None)
        heading = " ".join(header)
        for raw, row in zip(table.rows[1:] if header else table.rows, rows[1:] if header else rows):
            label = "".join(c for i, c in enumerate(row)
                            if i != unit_col and i not in years and not TABLE_NUMBER.match(c))
            sentence = " | ".join(c.strip() for c in raw)
            for i, cell in enumerate(row):
                m = TABLE_NUMBER.match(cell)
                if not m or i == unit_col or not label:
                    continue
                self._table_figure(label, heading, sentence, m, row[unit_col] if unit_col is not None else "",
                                   years.get(i, self.year))

    def _table_figure(self, label: str, heading: str, sentence: str, m: re.Match, unit_cell: str, year: int) -> None:
        value = float(m.group(2).replace(",", "")) * (10_000 if m.group(3) else 1)
        qualifier = AT_LEAST if (m.group(1) or m.group(4) or m.group(6)) else EXACT
        in_label = UNIT_IN_LABEL.search(label)
        unit = m.group(5) or unit_cell or (in_label.group(1) if in_label else "")
        matches = _matches(label + " " + heading, self.rules)
        matches = [x for x in matches if x.end <= len(label)]
        match = max(matches, key=lambda x: x.end - x.start) if matches else None
        rules = [r for r in match.rules if r.mode == "number" and (unit in r.units or not unit) and r.allows(label)
                 ] if match else []
        for rule in rules:
            given = self.units.get(rule.indicator_id, unit) if rule.part == "value" else unit or rule.units[0]
            self.figures.append(Figure(rule.indicator_id, year, None, rule.part, value, given, qualifier, sentence))
        if not rules:
            self.figures.append(Figure(None, year, None, "value", value, unit, qualifier, sentence))


def _fmt(value: float) -> str:
    return str(int(value)) if float(value).is_integer() else f"{value:g}"


def _dedupe(figures: list[Figure], checks: list[str]) -> list[Figure]:
    """A figure stated twice is proposed once; one indicator stated with two values keeps both, flagged."""
    seen, kept = set(), []
    for f in figures:
        key = (f.indicator_id, f.year, f.community, f.part, f.value, f.qualifier)
        if f.indicator_id is None:      # unmapped:办结率、满意率均为100% are two figures of one sentence
            kept.append(f)
        elif key not in seen:
            seen.add(key)
            kept.append(f)
    by_indicator: dict[tuple, list[Figure]] = {}
    for f in kept:
        if f.indicator_id:
            by_indicator.setdefault((f.indicator_id, f.year, f.community, f.part), []).append(f)
    for (indicator_id, year, community, part), group in by_indicator.items():
        values = sorted({f.value for f in group})
        if len(values) > 1:
            where = f"{community}，" if community else ""
            checks.append(f"{indicator_id}（{year}年，{where}{part}）在报告中有不同数值："
                          f"{'、'.join(_fmt(v) for v in values)}，请选定一个")
    return kept


# ---- Entry points -----------------------------------------------------------------------------------

def read_document_figures(doc: Document, year: int | None = None, *,
                          communities: Mapping[str, str] | None = None) -> Reading:
    """Figures of a document: its sentences and tables, and what its statutory GI tables state.
    Figures of the next year's plan (section 四、…工作安排) are targets and are not read."""
    year = year or report_year(doc)
    if year is None:
        raise ReportReadError(f"{doc.name}：无法从标题或落款日期确定报告年度，请指定年度（--year）")
    gi = read_gi_tables(doc, year)
    reader = _Reader(year, load_rules(), communities)
    in_plan = False
    for i, block in enumerate(doc.blocks):
        if isinstance(block, str) and TOP_HEADING.match(fold(block)):
            in_plan = bool(PLAN_SECTION.match(fold(block)))
        if i in gi.blocks or in_plan:
            continue
        if isinstance(block, Table):
            reader.table(block)
        else:
            opening = SENTENCE_YEAR.match(fold(block))
            reader.paragraph_year = int(opening.group(1)) if opening else year
            for m in SENTENCE.finditer(block):
                reader.sentence(m.group())
    units = catalogue_units()
    stated = [Figure(indicator_id, year, None, "value", value, units[indicator_id], EXACT, where)
              for indicator_id, value, where in gi.indicator_figures()]
    checks = reader.checks
    figures = _dedupe(reader.figures + stated, checks)
    return Reading(report_title(doc, year), year, figures, checks)


def read_report(path: Path, year: int | None = None, *, communities: Mapping[str, str] | None = None) -> Reading:
    """Figures of a report file (.txt, .html, .docx, .pdf)."""
    return read_document_figures(read_document(path), year, communities=communities)


def community_names(db_path: Path) -> dict[str, str]:
    """alias or name → name of the communities of a published database; {} when there is none."""
    from etl.database import open_read_only

    if not Path(db_path).exists():
        return {}
    try:
        with open_read_only(db_path) as con:
            rows = con.execute("SELECT name, aliases FROM stg_communities").fetchall()
    except duckdb.Error:   # an unreadable or older database: read without the list
        return {}
    names = {}
    for name, aliases in rows:
        for alias in [name, *(aliases or [])]:
            if alias:
                names[alias] = name
                names.setdefault(alias.removesuffix("社区"), name)
    return names


def format_table(reading: Reading) -> str:
    from etl.terminal import text_table

    header = ("指标", "年度", "社区", "分项", "数值", "单位", "限定", "原句")
    rows = [(f.indicator_id or "（未对应）", f.year, f.community or "街道", f.part, _fmt(f.value), f.unit,
             "至少" if f.qualifier == AT_LEAST else "", _short(f.sentence)) for f in reading.figures]
    summary = (f"{reading.title}（{reading.year}年）：{len(reading.figures)} 个数字，"
               f"{sum(1 for f in reading.figures if f.indicator_id)} 个已对应指标")
    lines = [summary, text_table(header, rows, rule=True)]
    lines += [f"注意：{c}" for c in reading.checks]
    return "\n".join(lines)


def _short(text: str, width: int = 40) -> str:
    return text if len(text) <= width else text[:width - 1] + "…"


def cli_read_report(args: argparse.Namespace) -> int:
    from etl.errors import FileReadError

    try:
        if args.tables:
            from etl.gi_report_reader import cli_tables
            return cli_tables(args)
        reading = read_report(args.file, args.year, communities=community_names(args.db))
    except (EtlError, FileReadError, OSError) as exc:
        print(f"无法读取报告：{exc}", file=sys.stderr)
        return 1
    if args.format == "json":
        print(json.dumps([f.as_dict() for f in reading.figures], ensure_ascii=False, indent=1))
        for check in reading.checks:
            print(f"注意：{check}", file=sys.stderr)
    else:
        print(format_table(reading))
    return 0
