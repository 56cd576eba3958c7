"""The numbers of a report sentence that can be figures: value, unit, qualifier and position.

Text is folded character by character (NFKC: full-width digits and punctuation become ASCII), so a
position in the folded text is a position in the original, and the sentence shown to the analyst
is the report's own. Digits that are not figures are blanked out before numbers are read: dates
and years, year ranges in titles, document numbers 〔2022〕12号, phone numbers, hotlines, section
numbers, quoted names and titles of laws (《…》 “…”). A number counts as a figure only with a unit
(or %, or after 比为: a bare ratio), and not when it is an ordinal (第3次), a limit (不超过3件), a
frequency (每季一次) or a change (同比增长12件).
"""
from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

CN_DIGITS = {"零": 0, "〇": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9}
CN_UNITS = {"十": 10, "百": 100, "千": 1000}
CN_NUMERAL = "一二两三四五六七八九十百千"   # 零 alone is never read as a number: see ZERO_CUES of the reader

# Counting units, longest first. A unit followed by one of UNIT_NOT_FOLLOWED_BY is a duration or a word.
UNITS = ("人次", "场次", "件次", "户次", "万元", "%", "件", "宗", "起", "个", "场", "名", "人", "位", "项", "条",
         "篇", "份", "册", "本", "家", "户", "支", "期", "批", "类", "张", "所", "次", "分")
UNIT_NOT_FOLLOWED_BY = ("月", "工作日", "小时", "钟", "性", "龙", "站", "事", "员", "析", "别", "之", "子", "体")
AT_LEAST_BEFORE = ("超过", "超出", "不少于", "不低于", "至少", "逾", "超")
UPPER_BOUND_BEFORE = ("不超过", "不超", "不到", "不足", "低于", "少于", "不高于", "以内")   # a limit, not a figure
AT_LEAST_AFTER = ("以上",)
AT_LEAST_INSIDE = ("余", "多")
MULTIPLIERS = {"万": 10_000, "千": 1_000}
# A level reached after a change verb: 增长至 35件 is a level, 增长 12件 a change.
CHANGE_BEFORE = re.compile(r"(?:(?<!新)增长|(?<!新)增加|(?<!新)增|下降|减少|降低|提高|提升|上升|回落|降|减)了?[约近]?$")
COMPARISON = re.compile(r"同比|环比|较(?:去年|上年|上一年|同期|\d{4}年)|比(?:去年|上年|上一年|同期|\d{4}年)|较前")
RATIO_BEFORE = re.compile(r"比(?:为|是|达到|达)$")
FREQUENCY_BEFORE = re.compile(r"每(?:个)?(?:季度?|月|周|年|半年|天|日|期)$")

# Blanked before numbers are read (patterns on folded text).
NOT_FIGURES = tuple(re.compile(p) for p in (
    r"《[^《》]{0,60}》",                                         # titles of laws, documents, publications
    r"“[^“”]{0,20}”|「[^「」]{0,20}」|\"[^\"]{0,20}\"",            # quoted names: “综合查一次”
    r"[〔\[【(]\s*(?:19|20)\d{2}\s*[〕\]】)]\s*第?\s*\d+\s*号",      # document numbers 〔2022〕12号
    r"(?:19|20)\d{2}\s*(?:[-—–~至]|—)\s*(?:19|20)?\d{2,4}年?",   # year ranges 2021-2025
    r"(?:19|20)\d{2}(?:19|20)\d{2}",                             # a range whose dash was lost: 20212025
    r"(?:19|20)\d{2}\s*年\s*\d{1,2}\s*月(?:\s*\d{1,2}\s*日)?",      # dates
    r"(?:19|20)\d{2}[-/.]\d{1,2}[-/.]\d{1,2}",
    r"\d{1,2}\s*月\s*\d{1,2}\s*日",
    r"(?:19|20)\d{2}\s*年度?",                                    # years
    r"[〇零一二三四五六七八九]{4}\s*年度?",
    r"\d{1,2}\s*月(?:份|底|初|末|中旬|上旬|下旬)?",
    r"\d{1,2}\s*日",
    r"\d+\s*个?工作日",
    r"0\d{2,3}[-\s]?\d{7,8}",                                     # phone numbers
    r"(?<!\d)1[3-9]\d{9}(?!\d)",
    (r"(?<!\d)(?:12345|12348|12315|12319|12366|12369|12333|96345|8890|110|119|120|122)(?=\D|$)"
     r"(?!\s*(?:人次|件|宗|起|个|场|名|人|位|项|条|篇|份|次))"),       # hotlines (followed by a unit: a count)
    r"(?:^|(?<=[。;；\s]))\s*[(（]?\d{1,2}[)）.、．](?!\d)",           # section numbers 1. 2、 (3)
    r"第\s*[\d一二三四五六七八九十百]+",                            # ordinals
))
NUMBER = re.compile(r"\d+(?:,\d{3})*(?:\.\d+)?|[一二两三四五六七八九十百千]+")


def fold(text: str) -> str:
    """NFKC per character, one character for one (so positions carry over to the original)."""
    out = []
    for ch in text:
        folded = unicodedata.normalize("NFKC", ch)
        out.append(folded if len(folded) == 1 else ch)
    return "".join(out).replace("\u3000", " ")


def mask_non_figures(text: str) -> str:
    """`text` (folded) with every digit that cannot be a figure replaced by a blank of equal length."""
    chars = list(text)
    for pattern in NOT_FIGURES:
        for m in pattern.finditer(text):
            for i in range(m.start(), m.end()):
                if chars[i].isdigit() or chars[i] in CN_NUMERAL or chars[i] in "〇零":
                    chars[i] = "\u2007"    # figure space: not a digit, not a boundary
    return "".join(chars)


def chinese_number(text: str) -> int | None:
    """两 → 2, 十二 → 12, 一百二十 → 120, 三千五百 → 3500; None if not a well-formed numeral."""
    if not text:
        return None
    total, digit = 0, None
    for ch in text:
        if ch in CN_DIGITS:
            if digit is not None:
                return None
            digit = CN_DIGITS[ch]
        elif ch in CN_UNITS:
            total += (1 if digit is None else digit) * CN_UNITS[ch]
            digit = None
        else:
            return None
    return total + (digit or 0)


@dataclass(frozen=True)
class Number:
    start: int            # of the number (or its at-least prefix) in the sentence
    end: int              # after its unit and any 以上
    num_start: int
    value: float
    unit: str             # "" when none
    qualifier: str        # "exact" or "at_least"
    chinese: bool         # written in Chinese numerals


def _unit_at(text: str, i: int) -> str:
    for unit in UNITS:
        if text.startswith(unit, i) and not text.startswith(UNIT_NOT_FOLLOWED_BY, i + len(unit)):
            return unit
    return ""


def numbers(text: str, masked: str) -> list[Number]:
    """Every number of `masked` (the folded, masked sentence) that can be a figure."""
    found = []
    for m in NUMBER.finditer(masked):
        chinese = not m.group()[0].isdigit()
        raw = m.group()
        if chinese:
            value = chinese_number(raw)
            if value is None:
                continue
        else:
            value = float(raw.replace(",", ""))
        i = m.end()
        qualifier = "exact"
        if masked.startswith("万", i) or (not chinese and masked.startswith("千", i)):
            value *= MULTIPLIERS[masked[i]]
            i += 1
        if masked.startswith(AT_LEAST_INSIDE, i):
            qualifier, i = "at_least", i + 1
        unit = _unit_at(masked, i)
        before = masked[:m.start()]
        if unit == "" and not (RATIO_BEFORE.search(before) and not chinese):
            continue    # a bare number is a figure only as 复议诉讼比为0.75 (the phrases decide whether it maps)
        i += len(unit)
        if unit == "分" and masked.startswith("点", i):   # 百分点: a change of a rate
            continue
        if masked.startswith(AT_LEAST_AFTER, i):
            qualifier, i = "at_least", i + 2
        start = m.start()
        if before.endswith(UPPER_BOUND_BEFORE):
            continue
        prefix = next((p for p in AT_LEAST_BEFORE if before.endswith(p)), None)
        if prefix:
            qualifier, start = "at_least", m.start() - len(prefix)
        if CHANGE_BEFORE.search(before) or FREQUENCY_BEFORE.search(before) or before.endswith("第"):
            continue
        found.append(Number(start, i, m.start(), value, unit, qualifier, chinese))
    return found


def is_comparison(clause_before: str) -> bool:
    """The clause text before a number compares with another period (同比, 较去年 …)."""
    return bool(COMPARISON.search(clause_before))
