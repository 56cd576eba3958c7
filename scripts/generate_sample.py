"""Generate the bundled sample data in data/sample/ — deterministic, byte for byte.

2022 figures follow the published 2022 法治政府建设年度报告 of 南星街道 and the 2023 disclosure
figures its 2023 政府信息公开工作年度报告 (../shared/domain.md §5); everything else is illustrative.
The files are as untidy as real ledgers (encodings, header languages, column orders, date styles,
full-width digits, community spellings) so that the loaders are exercised; every row loads except
the three deliberate rejects of outreach_2024-bad-rows.csv.

    .venv/bin/python scripts/generate_sample.py [--out data/sample]
"""
from __future__ import annotations

import argparse
import csv
import io
import json
import random
import sys
import zipfile
from collections import Counter
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Callable

from openpyxl import Workbook
from openpyxl.writer.excel import ExcelWriter

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
from etl.schema import DATE, INT, NUMBER, BOOL, COMMUNITY, RECORD_TYPES, SUBDISTRICT  # noqa: E402

SEED = 20230116                      # the report's date; any fixed value would do
YEARS = (2021, 2022, 2023, 2024)
LAST_DAY = date(2024, 12, 31)        # the sample's "today": later closings are still 在办
FIXED_TIME = datetime(2025, 1, 1)    # xlsx document properties and zip entry times

REPORT_2022 = "2022年法治政府建设年度报告"
GI_REPORT_2023 = "2023年政府信息公开工作年度报告"
ILLUSTRATIVE = "示例数据（示意，非公开数字）"

COMMUNITIES = (  # (id, name, aliases): the report's four communities
    ("NX01", "馒头山社区", ("馒头山", "馒头山社区居委会")),
    ("NX02", "海月桥社区", ("海月桥", "海月桥社区居委会")),
    ("NX03", "白塔岭社区", ("白塔岭", "白塔岭社区居委会")),
    ("NX04", "水澄桥社区", ("水澄桥", "水澄桥社区居委会")),
)
COMMUNITY_IDS = tuple(c[0] for c in COMMUNITIES)
COMMUNITY_WEIGHTS = (30, 25, 25, 20)   # share of community-level activity, by COMMUNITY_IDS


# ---------------------------------------------------------------- helpers

def split_total(rng: random.Random, total: int, parts: int, low: int) -> list[int]:
    """`parts` integers, each at least `low`, summing exactly to `total`."""
    cuts = sorted(rng.randint(0, total - low * parts) for _ in range(parts - 1))
    bounds = [0, *cuts, total - low * parts]
    return [low + b - a for a, b in zip(bounds, bounds[1:])]


def random_day(rng: random.Random, year: int) -> date:
    start = date(year, 1, 1)
    return start + timedelta(days=rng.randint(0, (date(year, 12, 31) - start).days))


def add_working_days(day: date, n: int) -> date:
    """The day `n` working days (Monday–Friday) after `day`: replies are due within 20 (条例第三十三条)."""
    while n:
        day += timedelta(days=1)
        n -= day.weekday() < 5
    return day


def pick_community(rng: random.Random, subdistrict_share: float) -> str | None:
    """A community id, or None for 街道本级."""
    if rng.random() < subdistrict_share:
        return None
    return rng.choices(COMMUNITY_IDS, COMMUNITY_WEIGHTS)[0]


def numbered(records: list[dict], key: str, prefix: str, date_field: str, width: int) -> list[dict]:
    """Give records ids in date order: PREFIX-YEAR-NNN."""
    records.sort(key=lambda r: (r[date_field], r.get("title", "")))
    per_year: Counter = Counter()
    for rec in records:
        year = rec[date_field].year
        per_year[year] += 1
        rec[key] = f"{prefix}-{year}-{per_year[year]:0{width}d}"
    return records


# ---------------------------------------------------------------- communities

def communities() -> list[dict]:
    return [{"community_id": cid, "name": name, "aliases": "、".join(aliases),
             "subdistrict": "南星街道", "district": "上城区"} for cid, name, aliases in COMMUNITIES]


# ---------------------------------------------------------------- cases

MEDIATIONS_PER_YEAR = {2021: 196, 2022: 213, 2023: 228, 2024: 241}   # 2022: "化解纠纷200余件"
DISPUTE_KINDS = ("邻里纠纷", "物业纠纷", "婚姻家庭", "劳动争议", "消费纠纷", "房屋租赁")

# Administrative disputes, written out: 2022 is the report's (0 复议; 2 诉讼, both won with the
# leader in court); the other years are illustrative and give every rate data in some year.
# (case_type, filed, closed, outcome, heard_in_court, leader_appeared, resolution_mode, community, domain)
ADMIN_CASES = (
    ("行政复议", date(2021, 3, 18), date(2021, 5, 20), "维持", None, None, "判决", "NX02", "城乡建设"),
    ("行政复议", date(2021, 8, 9), date(2021, 10, 15), "纠正", None, None, "判决", "NX04", "市场监管"),
    ("行政诉讼", date(2021, 2, 22), date(2021, 7, 30), "胜诉", True, True, "判决", "NX01", "城乡建设"),
    ("行政诉讼", date(2021, 6, 7), date(2021, 11, 12), "胜诉", True, False, "判决", None, "自然资源"),
    ("行政诉讼", date(2021, 9, 14), date(2021, 12, 3), "撤诉", False, None, "撤回", "NX03", "生态环境"),
    ("行政争议调解", date(2021, 4, 12), date(2021, 5, 8), "成功", None, None, "调解和解", "NX01", "城乡建设"),
    ("行政争议调解", date(2021, 10, 26), date(2021, 11, 30), "不成功", None, None, None, "NX03", "市场监管"),
    ("行政诉讼", date(2022, 3, 15), date(2022, 9, 20), "胜诉", True, True, "判决", "NX02", "城乡建设"),
    ("行政诉讼", date(2022, 7, 4), date(2022, 12, 9), "胜诉", True, True, "判决", None, "自然资源"),
    ("行政争议调解", date(2022, 2, 16), date(2022, 3, 10), "成功", None, None, "调解和解", "NX04", "城乡建设"),
    ("行政争议调解", date(2022, 5, 23), date(2022, 6, 21), "成功", None, None, "调解和解", "NX01", "消防安全"),
    ("行政争议调解", date(2022, 9, 5), date(2022, 10, 11), "不成功", None, None, None, "NX03", "市场监管"),
    ("行政复议", date(2023, 4, 10), date(2023, 6, 16), "维持", None, None, "判决", "NX03", "城乡建设"),
    ("行政复议", date(2023, 8, 21), date(2023, 9, 28), "终止", None, None, "撤回", "NX01", "生态环境"),
    ("行政诉讼", date(2023, 5, 29), date(2023, 11, 24), "胜诉", True, True, "判决", "NX04", "自然资源"),
    ("行政争议调解", date(2023, 3, 6), date(2023, 3, 31), "成功", None, None, "调解和解", "NX02", "城乡建设"),
    ("行政争议调解", date(2023, 6, 12), date(2023, 7, 14), "成功", None, None, "调解和解", "NX04", "市场监管"),
    ("行政争议调解", date(2023, 10, 9), date(2023, 11, 2), "成功", None, None, "调解和解", None, "卫生健康"),
    # 2024: one disclosure-related review (表四), one lost lawsuit, one still pending.
    ("行政复议", date(2024, 1, 22), date(2024, 3, 29), "维持", None, None, "判决", None, "政府信息公开"),
    ("行政复议", date(2024, 5, 13), date(2024, 7, 19), "纠正", None, None, "判决", "NX02", "城乡建设"),
    ("行政复议", date(2024, 9, 2), date(2024, 10, 25), "驳回", None, None, "判决", "NX03", "市场监管"),
    ("行政诉讼", date(2024, 3, 11), date(2024, 8, 30), "败诉", True, False, "判决", "NX01", "城乡建设"),
    ("行政诉讼", date(2024, 6, 24), date(2024, 11, 15), "调解", True, True, "调解和解", "NX04", "生态环境"),
    ("行政诉讼", date(2024, 11, 18), None, None, None, None, None, None, "自然资源"),
    ("行政争议调解", date(2024, 2, 26), date(2024, 3, 22), "成功", None, None, "调解和解", "NX01", "城乡建设"),
    ("行政争议调解", date(2024, 7, 8), date(2024, 8, 2), "成功", None, None, "调解和解", "NX03", "消防安全"),
)
LAWSUITS_AFTER_REVIEW = {date(2021, 6, 7)}   # filing dates of lawsuits brought after a 复议
CASE_PREFIX = {"行政复议": "XZFY", "行政诉讼": "XZSS", "行政争议调解": "XZTJ", "矛盾纠纷调解": "TJ"}


def cases(rng: random.Random) -> list[dict]:
    admin = [dict(case_type=t, filed_date=f, closed_date=c, status="审结" if c else "在办", outcome=o,
                  heard_in_court=h, leader_appeared=la, resolution_mode=m, community=com, domain=dom,
                  satisfaction=None, after_review=(f in LAWSUITS_AFTER_REVIEW) if t == "行政诉讼" else None)
             for t, f, c, o, h, la, m, com, dom in ADMIN_CASES]
    mediations = []
    for year, n in MEDIATIONS_PER_YEAR.items():
        for _ in range(n):
            filed = random_day(rng, year)
            closed = filed + timedelta(days=rng.randint(1, 25))
            if closed > LAST_DAY:
                closed = None
            # The report: every dispute of 2022 settled, satisfaction 100%.
            if closed is None:
                outcome, satisfaction = None, None
            elif closed.year == 2022 or rng.random() < 0.95:
                outcome = "成功"
                satisfaction = 100 if closed.year == 2022 else rng.choice((100, 100, 100, 100, 95, 90))
            else:
                outcome, satisfaction = "不成功", rng.choice((60, 70, 80))
            mediations.append(dict(case_type="矛盾纠纷调解", filed_date=filed, closed_date=closed,
                                   status="审结" if closed else "在办", outcome=outcome,
                                   heard_in_court=None, leader_appeared=None, resolution_mode=None,
                                   community=pick_community(rng, 0.08), domain=rng.choice(DISPUTE_KINDS),
                                   satisfaction=satisfaction, after_review=None))
    records = []
    for case_type, prefix in CASE_PREFIX.items():
        width = 4 if case_type == "矛盾纠纷调解" else 3
        records += numbered([r for r in admin + mediations if r["case_type"] == case_type],
                            "case_id", prefix, "filed_date", width)
    return records


# ---------------------------------------------------------------- disclosures

CATEGORIES = ("政务动态", "财政信息", "公示公告", "年报", "民生实事", "其他")
# Website items by category (the 2022 split is the report's); other channels by total.
WEBSITE_BY_CATEGORY = {
    2021: (76, 18, 11, 6, 4, 43),
    2022: (85, 20, 12, 6, 5, 47),
    2023: (44, 12, 8, 6, 5, 20),     # total 95, as the 2023 GI report; split illustrative
    2024: (49, 13, 9, 6, 5, 20),
}
OTHER_CHANNELS = {2023: {"微博": 337, "微信": 741}, 2024: {"微博": 316, "微信": 768, "公开栏": 24}}
NEWS_TOPICS = ("开展民法典宣传活动", "召开平安建设推进会", "推进“大综合一体化”行政执法改革", "开展消防安全检查",
               "召开居民议事代表会议", "开展垃圾分类督导", "举办“政府开放日”活动", "召开民生综合体项目居民意见征求会",
               "组织人大代表参观交流", "开展防汛防台演练", "走访老旧小区改造项目", "开展反诈宣传",
               "开展“八五”普法宣传", "推进共享法庭建设", "开展安全生产检查", "开展助老志愿服务")
NOTICE_SUBJECTS = ("老旧小区改造项目", "最低生活保障审核结果", "社区工作者招聘结果", "行政处罚决定", "临时救助对象",
                   "优抚对象资格审核", "加装电梯项目", "文明家庭推荐名单")
LIVELIHOOD_PROJECTS = ("民生综合体", "老旧小区改造", "加装电梯", "居家养老服务中心", "背街小巷整治")
ANNUAL_REPORTS = ("政府信息公开工作年度报告", "法治政府建设年度报告", "部门预算", "部门决算", "平安建设工作报告",
                  "“三公”经费决算")
OTHER_SUBJECTS = ("关于做好节假日安全工作的通知", "关于开展矛盾纠纷排查的通知", "南星街道办事处机构职能",
                  "南星街道权力清单", "南星街道办事指南", "关于调整办公时间的通知")
REQUEST_SUBJECTS = ("某小区加装电梯审批", "违法建筑拆除处罚决定", "老旧小区改造资金使用", "道路停车收费标准",
                    "房屋征收补偿方案", "社区用房使用情况")
# Requests (依申请公开): (received, working days to reply, 办理结果, 细项, 申请人类型 — None = 自然人).
# Replies fall in the year received, so none carries over (表三: 本年新收 + 上年结转 = 总计 + 结转下年度).
REQUESTS = {
    2021: ((date(2021, 4, 7), 12, "予以公开", None, None),
           (date(2021, 10, 19), 18, "无法提供", "本机关不掌握相关政府信息", None)),
    2022: ((date(2022, 3, 2), 9, "予以公开", None, None),
           (date(2022, 6, 14), 24, "部分公开", None, "商业企业"),
           (date(2022, 8, 29), 15, "予以公开", None, None),
           (date(2022, 11, 8), 19, "不予公开", "保护第三方合法权益", None)),
    2023: ((date(2023, 2, 20), 11, "予以公开", None, None),
           (date(2023, 7, 5), 16, "部分公开", None, None),
           (date(2023, 10, 16), 8, "予以公开", None, None)),
    2024: ((date(2024, 1, 15), 14, "予以公开", None, None),
           (date(2024, 4, 22), 20, "予以公开", None, "法律服务机构"),
           (date(2024, 6, 3), 22, "无法提供", "没有现成信息需要另行制作", None),
           (date(2024, 9, 9), 10, "部分公开", None, None),
           (date(2024, 11, 25), 17, "不予处理", "重复申请", None)),
}


def _disclosure_title(rng: random.Random, category: str, channel: str, day: date) -> str:
    if channel in ("微博", "微信"):
        tag = rng.choice(("【南星动态】", "【法治南星】", "【乐活南星】"))
        return tag + rng.choice(NEWS_TOPICS)
    if category == "政务动态":
        return "南星街道" + rng.choice(NEWS_TOPICS)
    if category == "财政信息":
        return f"南星街道{day.year}年{day.month}月财政收支情况"
    if category == "公示公告":
        return f"关于{rng.choice(NOTICE_SUBJECTS)}的公示"
    if category == "年报":
        return f"南星街道{day.year - 1}年{rng.choice(ANNUAL_REPORTS)}"
    if category == "民生实事":
        return f"{day.year}年民生实事项目（{rng.choice(LIVELIHOOD_PROJECTS)}）进展情况"
    return rng.choice(OTHER_SUBJECTS)


def disclosures(rng: random.Random) -> list[dict]:
    items = []
    for year in YEARS:
        for category, n in zip(CATEGORIES, WEBSITE_BY_CATEGORY[year]):
            items += [dict(mode="主动公开", category=category, channel="网站", date=random_day(rng, year))
                      for _ in range(n)]
        for channel, n in OTHER_CHANNELS.get(year, {}).items():
            items += [dict(mode="主动公开", category=rng.choice(("政务动态", "政务动态", "民生实事", "其他")),
                           channel=channel, date=random_day(rng, year)) for _ in range(n)]
    for item in items:
        item.update(title=_disclosure_title(rng, item["category"], item["channel"], item["date"]),
                    received_date=None, replied_date=None, result=None, result_detail=None, requester_type=None)
    requests = [dict(mode="依申请公开", category=None, channel=None, date=received,
                     title=f"申请公开{rng.choice(REQUEST_SUBJECTS)}相关信息", received_date=received,
                     replied_date=add_working_days(received, days), result=result, result_detail=detail,
                     requester_type=requester)
                for year in YEARS for received, days, result, detail, requester in REQUESTS[year]]
    return numbered(items, "item_id", "GK", "date", 4) + numbered(requests, "item_id", "YSQ", "date", 3)


# ---------------------------------------------------------------- outreach

# Per year: activity counts by type and the totals the report states (2022) or illustrative ones.
OUTREACH_PLAN = {
    #       专题学法 线上 线下 便民 资料发放 法律服务 公益服务  materials legal_services volunteers
    2021: dict(counts=(3, 26, 52, 55, 36, 50, 70), materials=14_260, legal=468, volunteers=4_620),
    2022: dict(counts=(2, 30, 62, 68, 40, 58, 75), materials=16_380, legal=536, volunteers=5_148),
    2023: dict(counts=(4, 32, 64, 71, 42, 61, 78), materials=17_050, legal=571, volunteers=5_305),
    2024: dict(counts=(4, 33, 68, 74, 44, 63, 80), materials=17_600, legal=602, volunteers=5_480),
}
ACTIVITY_ORDER = ("专题学法", "普法讲座(线上)", "普法讲座(线下)", "便民活动", "资料发放", "法律服务", "公益服务")
ORGANIZERS = {
    "专题学法": ("街道理论学习中心组",),
    "普法讲座(线上)": ("法治在线课堂", "法治大讲堂"),
    "普法讲座(线下)": ("法治大讲堂", "尚法工作室", "普法加油站", "红色老墙门"),
    "便民活动": ("普法加油站", "尚法工作室", "红色老墙门"),
    "资料发放": ("普法加油站", "红色老墙门"),
    "法律服务": ("尚法工作室", "街道法律顾问"),
    "公益服务": ("凤凰公益",),
}
NEW_POINT = "南星里“幸福邻里”普法体验点"   # plan 2023 action 4; running from 2024
TITLES = {
    "专题学法": ("习近平法治思想", "《法治政府建设实施纲要（2021—2025年）》", "党的二十大报告法治篇",
               "《中华人民共和国行政复议法》", "《中华人民共和国行政处罚法》", "《中华人民共和国公务员法》"),
    "普法讲座(线上)": ("民法典线上微课堂", "反电信网络诈骗直播课", "网络安全与个人信息保护", "未成年人保护法在线讲座"),
    "普法讲座(线下)": ("民法典进社区", "《行政处罚法》解读", "老年人防范养老诈骗", "物业纠纷法律知识讲座",
                  "婚姻家庭法律讲座", "劳动合同法讲座", "宪法宣传周专题讲座"),
    "便民活动": ("法律服务便民集市", "宪法宣传日便民服务", "红色老墙门法律咨询日", "普法加油站便民服务"),
    "资料发放": ("普法宣传资料发放", "防诈骗宣传册发放", "民法典读本发放"),
    "法律服务": ("尚法工作室律师坐诊", "法律咨询", "公证服务进社区", "法律援助咨询"),
    "公益服务": ("凤凰公益助老服务", "凤凰公益社区志愿服务", "关爱独居老人", "凤凰公益文明劝导"),
}


def _activity(rng: random.Random, year: int, activity_type: str) -> dict:
    if activity_type == "专题学法":
        subject = rng.choice(TITLES[activity_type])
        return dict(activity_type=activity_type, date=random_day(rng, year), community=None,
                    organizer=ORGANIZERS[activity_type][0], participants=rng.randint(18, 26), materials=0,
                    title=f"理论学习中心组专题学法：{subject}")
    online = activity_type == "普法讲座(线上)"
    organizer = rng.choice(ORGANIZERS[activity_type])
    if year >= 2024 and activity_type in ("普法讲座(线下)", "便民活动") and rng.random() < 0.25:
        organizer = NEW_POINT
    participants = {"普法讲座(线上)": (60, 400), "普法讲座(线下)": (20, 90), "便民活动": (30, 150),
                    "资料发放": (20, 120)}.get(activity_type, (1, 1))
    return dict(activity_type=activity_type, date=random_day(rng, year),
                community=None if online else pick_community(rng, 0.12), organizer=organizer,
                participants=rng.randint(*participants), materials=0, title=rng.choice(TITLES[activity_type]))


def outreach(rng: random.Random) -> list[dict]:
    records = []
    for year, plan in OUTREACH_PLAN.items():
        by_type = {t: [_activity(rng, year, t) for _ in range(n)] for t, n in zip(ACTIVITY_ORDER, plan["counts"])}
        for rec, people in zip(by_type["法律服务"], split_total(rng, plan["legal"], len(by_type["法律服务"]), 3)):
            rec["participants"] = people
        for rec, people in zip(by_type["公益服务"], split_total(rng, plan["volunteers"], len(by_type["公益服务"]), 30)):
            rec["participants"] = people
        # Materials: a little at lectures and events, the rest at the distributions.
        handed_out = 0
        for rec in by_type["普法讲座(线下)"] + by_type["便民活动"]:
            rec["materials"] = rng.choice((0, 0, 20, 30, 50, 80, 100))
            handed_out += rec["materials"]
        for rec, copies in zip(by_type["资料发放"],
                               split_total(rng, plan["materials"] - handed_out, len(by_type["资料发放"]), 100)):
            rec["materials"] = copies
        records += [rec for group in by_type.values() for rec in group]
    return numbered(records, "activity_id", "PF", "date", 4)


BAD_OUTREACH_ROWS = (   # one reject each: a date that does not exist, an unknown type, an unknown community
    dict(activity_id="PF-2024-9001", date="2024-02-30", activity_type="普法讲座(线下)", community="白塔岭",
         organizer="尚法工作室", participants="35", materials="40", title="民法典进社区"),
    dict(activity_id="PF-2024-9002", date="2024-03-15", activity_type="普法宣传周", community="海月桥社区",
         organizer="普法加油站", participants="60", materials="300", title="普法宣传周集中宣传"),
    dict(activity_id="PF-2024-9003", date="2024/4/9", activity_type="法律服务", community="近江社区",
         organizer="尚法工作室", participants="12", materials="0", title="法律咨询"),
)


# ---------------------------------------------------------------- designations, reported values, actions

def designations() -> list[dict]:
    rows = (  # the report's four titles (years illustrative, all by 2022), plus illustrative extras
        ("NX01", "全国民主法治示范村(社区)", "国家级", "司法部、民政部", 2020, "有效"),
        ("NX02", "浙江省民主法治示范社区", "省级", "浙江省司法厅、浙江省民政厅", 2019, "有效"),
        ("NX03", "浙江省民主法治示范社区", "省级", "浙江省司法厅、浙江省民政厅", 2021, "有效"),
        ("NX04", "浙江省民主法治示范社区", "省级", "浙江省司法厅、浙江省民政厅", 2022, "有效"),
        ("NX01", "杭州市民主法治示范社区", "市级", "杭州市司法局、杭州市民政局", 2017, "有效"),
        ("NX04", "上城区民主法治示范社区", "区级", "上城区司法局、上城区民政局", 2018, "撤销"),
        ("NX03", "杭州市民主法治示范社区", "市级", "杭州市司法局、杭州市民政局", 2024, "复核中"),
    )
    return [dict(community=c, title=t, level=lv, granted_by=g, year_granted=y, status=s) for c, t, lv, g, y, s in rows]


def reported_values() -> list[dict]:
    published = {  # (indicator_id, part): 2022 value, as the report states
        ("discretion_items", "值"): 165, ("discretion_domains", "值"): 18,
        ("discretion_refinement_rate", "分子"): 165, ("discretion_refinement_rate", "分母"): 165,
        ("public_interest_orgs", "值"): 43, ("public_lawyers", "值"): 0,
    }
    illustrative = {  # (indicator_id, part): {year: value}; the benchmark table exists from May 2022
        ("discretion_items", "值"): {2023: 172, 2024: 180},
        ("discretion_domains", "值"): {2023: 18, 2024: 19},
        ("discretion_refinement_rate", "分子"): {2023: 172, 2024: 180},
        ("discretion_refinement_rate", "分母"): {2023: 172, 2024: 183},
        ("public_interest_orgs", "值"): {2021: 40, 2023: 45, 2024: 46},
        ("public_lawyers", "值"): {2021: 0, 2023: 0, 2024: 1},
        ("legal_advisers", "值"): {2021: 1, 2022: 1, 2023: 2, 2024: 2},
        ("legality_review_rate", "分子"): {2021: 30, 2022: 38, 2023: 52, 2024: 61},
        ("legality_review_rate", "分母"): {2021: 40, 2022: 45, 2023: 56, 2024: 62},
        # The report: the city's evaluation scored dispute prevention poorly.
        ("eval_dispute_score", "值"): {2022: 72.5, 2023: 81, 2024: 86.5},
    }
    rows = [dict(indicator_id=i, year=2022, community=None, value=v, part=p, note=REPORT_2022)
            for (i, p), v in published.items()]
    rows += [dict(indicator_id=i, year=y, community=None, value=v, part=p, note=ILLUSTRATIVE)
             for (i, p), by_year in illustrative.items() for y, v in by_year.items()]
    return sorted(rows, key=lambda r: (r["year"], r["indicator_id"], r["part"]))


def actions() -> list[dict]:
    rows = (  # A2023-*: the report's plan for 2023 (四); A2024-*: illustrative
        ("A2023-01", "W1", "落实法治“第一责任人”，统筹推进法治建设，优化调解队伍，减少行政复议和诉讼发案",
         "党政综合办公室", date(2023, 12, 31), "推进中", "已分解科室责任，调解队伍优化完成；发案率仍待下降"),
        ("A2023-02", None, "持续深化“大综合一体化”改革，建设执法监管数字应用", "综合行政执法队",
         date(2024, 6, 30), "已完成", "执法监管数字应用已上线运行"),
        ("A2023-03", "W2", "夯实教育培训，推动法律顾问资源共享，强化基层法治力量", "司法所",
         date(2024, 12, 31), "推进中", "完成执法人员培训两期；法律顾问共享机制在商议中"),
        ("A2023-04", None, "加强精准普法，启动南星里“幸福邻里”普法体验点项目", "司法所",
         date(2023, 12, 31), "已完成", "普法体验点于2023年11月建成"),
        ("A2023-05", "W1", "优化行政争议优先导入调解，健全内部执法监督，建设四级协同与“数字仓”“驾驶舱”，全程留痕",
         "平安法治办", date(2024, 6, 30), "推进中", "行政争议调解导入制度已修订；驾驶舱建设中"),
        ("A2024-01", "W2", "配备公职律师", "党政综合办公室", date(2024, 6, 30), "已完成", "已配备公职律师1名"),
        ("A2024-02", "W2", "重大行政决策、规范性文件合法性审核全覆盖", "司法所", date(2024, 12, 31), "推进中",
         "审核覆盖率由84%提高到98%"),
        ("A2024-03", "W1", "建立行政争议化解案例库并开展复盘", "平安法治办", date(2024, 9, 30), "未启动", ""),
    )
    # plan_year: the annual plan the action belongs to (A2023-* = the 2023 plan, A2024-* = 2024), not
    # the year it is due: A2023-02/03/05 run into 2024 but stay in the 2023 plan.
    return [dict(action_id=a, weak_area_id=w, title=t, owner=o, due_date=d, status=s, progress=p,
                 plan_year=int(a[1:5]))
            for a, w, t, o, d, s, p in rows]


def gi_annual() -> list[dict]:
    """The published 2023 GI report's 表三 and 表四 cells, with the template's labels.

    The report states 3 requests and no disclosure-related 复议/诉讼; the 表三 result split is
    illustrative and matches the 2023 request records.
    """
    table3 = (("一、本年新收政府信息公开申请数量", 3, GI_REPORT_2023),
              ("二、上年结转政府信息公开申请数量", 0, ILLUSTRATIVE),
              ("（一）予以公开", 2, ILLUSTRATIVE),
              ("（二）部分公开（区分处理的，只计这一情形，不计其他情形）", 1, ILLUSTRATIVE),
              ("（七）总计", 3, ILLUSTRATIVE),
              ("四、结转下年度继续办理", 0, ILLUSTRATIVE))
    rows = [dict(year=2023, table="表三", row=r, column="总计", value=v, note=n) for r, v, n in table3]
    rows += [dict(year=2023, table="表四", row=group, column=column, value=0, note=GI_REPORT_2023)
             for group in ("行政复议", "未经复议直接起诉", "复议后起诉")
             for column in ("结果维持", "结果纠正", "其他结果", "尚未审结", "总计")]
    return rows


# Illustrative 考核细则: targets, red lines, points and scoring rules invented for the sample (not a
# real district's). The 2021 set is rated in 2021 and 2022 (沿用2021年目标); the 2023 set, which raises
# a few targets, in 2023 and 2024. Points add up to 100 for the subdistrict and 50 for a community.
ILLUSTRATIVE_BASIS = "示例考核细则（示意，非真实文件）"
# indicator_id: (target, red line, points, rule, deduction) for the whole subdistrict (范围 街道)
SUBDISTRICT_TARGETS = {
    "study_sessions": (2, 1, 5, "达标得分", None),
    "discretion_items": (100, 50, None, None, None),
    "discretion_domains": (10, 5, None, None, None),
    "discretion_refinement_rate": (100, 90, 5, "按比例", None),
    "review_cases_new": (0, 2, 10, "每件扣分", 2),
    "litigation_cases_new": (1, 3, 10, "每件扣分", 3),
    "litigation_loss_rate": (0, 10, 10, "达标得分", None),
    "leader_appearance_rate": (100, 90, 10, "按比例", None),
    "review_correction_rate": (5, 15, 5, "达标得分", None),
    "review_litigation_ratio": (1, 0.5, None, None, None),
    "substantive_resolution_rate": (60, 40, 10, "按比例", None),
    "mediation_cases": (200, 150, None, None, None),
    "mediation_success_rate": (95, 85, 5, "按比例", None),
    "mediation_satisfaction": (98, 90, None, None, None),
    "disclosure_items": (150, 100, None, None, None),
    "disclosure_items_website": (150, 100, None, None, None),
    "request_ontime_rate": (100, 95, 5, "按比例", None),
    "outreach_lectures": (80, 60, 5, "按比例", None),
    "outreach_events": (60, 40, None, None, None),
    "materials_distributed": (15000, 10000, None, None, None),
    "legal_services": (500, 300, None, None, None),
    "volunteer_service": (5000, 3000, None, None, None),
    "public_interest_orgs": (40, 30, None, None, None),
    "designated_national": (1, 1, None, None, None),
    "designated_provincial": (3, 2, None, None, None),
    "designation_coverage": (100, 80, 5, "按比例", None),
    "legal_advisers": (2, 1, 5, "达标得分", None),
    "public_lawyers": (1, 1, 5, "达标得分", None),
    "legality_review_rate": (100, 90, 5, "按比例", None),
    "eval_dispute_score": (90, 80, None, None, None),
}
# (indicator_id, community or None for every community): the same, for communities (范围 社区)
COMMUNITY_TARGETS = {
    ("mediation_cases", None): (45, 35, 10, "按比例", None),
    ("mediation_cases", "NX01"): (60, 50, 10, "按比例", None),
    ("outreach_lectures", None): (12, 10, 10, "按比例", None),
    ("outreach_events", None): (12, 9, 10, "按比例", None),
    ("designation_coverage", None): (100, 100, 10, "达标得分", None),
    ("litigation_cases_new", None): (0, 1, 10, "每件扣分", 5),
}
TARGETS_2023 = {"mediation_cases": (220, 180), "outreach_lectures": (90, 70), "outreach_events": (65, 50)}
# The statutory deadline is a real basis, not an invented one.
TARGET_BASIS = {"request_ontime_rate": "《政府信息公开条例》第三十三条（20个工作日内答复）；分值为示例"}


def targets() -> list[dict]:
    rows = []
    for year in (2021, 2023):
        for indicator_id, (target, red, points, rule, deduction) in SUBDISTRICT_TARGETS.items():
            if year == 2023 and indicator_id in TARGETS_2023:
                target, red = TARGETS_2023[indicator_id]
            rows.append(dict(indicator_id=indicator_id, year=year, scope="街道", community=None, target=target,
                             red_threshold=red, points=points, rule=rule, deduction=deduction,
                             basis=TARGET_BASIS.get(indicator_id, ILLUSTRATIVE_BASIS)))
        for (indicator_id, community), (target, red, points, rule, deduction) in COMMUNITY_TARGETS.items():
            rows.append(dict(indicator_id=indicator_id, year=year, scope="社区", community=community, target=target,
                             red_threshold=red, points=points, rule=rule, deduction=deduction,
                             basis=ILLUSTRATIVE_BASIS))
    return rows


def sample_records(seed: int = SEED) -> dict[str, list[dict]]:
    """Every record of the sample, typed (dates as date, community as id or None), by record type."""
    rng = random.Random(seed)
    return {"communities": communities(), "cases": cases(rng), "disclosures": disclosures(rng),
            "outreach": outreach(rng), "designations": designations(), "reported_values": reported_values(),
            "actions": actions(), "gi_annual": gi_annual(), "targets": targets(), "indicators": []}


# ---------------------------------------------------------------- how records are written

FULLWIDTH = str.maketrans("0123456789", "０１２３４５６７８９")
YEAR_FIELD = {"cases": "filed_date", "disclosures": "date", "outreach": "date", "reported_values": "year",
              "gi_annual": "year"}


@dataclass(frozen=True)
class FileSpec:
    name: str
    record_type: str
    encoding: str                         # "utf-8", "utf-8-sig", "gbk" or "xlsx"
    english_headers: bool = False
    date_styles: tuple[str, ...] = ("iso",)   # one chosen per row; "excel" = a real date cell
    fullwidth_share: float = 0.0          # rows whose numbers and dates use full-width digits
    column_seed: int | None = None        # shuffle the column order with this seed
    fullwidth_brackets: bool = False      # 普法讲座（线下） as typed on a Chinese keyboard
    select: Callable[[dict], bool] = lambda rec: True

    def rows(self, records: list[dict]) -> list[dict]:
        return [r for r in records if self.select(r)]


def year_is(*years: int) -> Callable[[dict], bool]:
    return lambda rec: _year(rec) in years


def _year(rec: dict) -> int:
    for name in ("filed_date", "date", "year"):
        if name in rec:
            value = rec[name]
            return value if isinstance(value, int) else value.year
    raise KeyError("record without a year")


FILES = (
    FileSpec("communities.csv", "communities", "utf-8-sig", column_seed=1),
    FileSpec("cases_2021.csv", "cases", "gbk", date_styles=("slash",), select=year_is(2021)),
    FileSpec("cases_2022.csv", "cases", "utf-8-sig", date_styles=("iso", "slash", "dot", "cn"),
             fullwidth_share=0.05, column_seed=2, select=year_is(2022)),
    FileSpec("cases_2023.xlsx", "cases", "xlsx", date_styles=("excel", "excel", "iso"), select=year_is(2023)),
    FileSpec("cases_2024.csv", "cases", "utf-8", english_headers=True, date_styles=("dot", "iso"),
             column_seed=3, select=year_is(2024)),
    FileSpec("disclosures_2021.xlsx", "disclosures", "xlsx", date_styles=("excel",), select=year_is(2021)),
    FileSpec("disclosures_2022.csv", "disclosures", "gbk", date_styles=("cn", "iso", "slash"),
             fullwidth_share=0.05, select=year_is(2022)),
    FileSpec("disclosures_2023.csv", "disclosures", "utf-8", english_headers=True, column_seed=4,
             select=lambda r: _year(r) == 2023 and r["channel"] in (None, "网站")),
    FileSpec("政务公开_2023_微博微信.xlsx", "disclosures", "xlsx", date_styles=("excel", "cn"),
             select=lambda r: _year(r) == 2023 and r["channel"] in ("微博", "微信")),
    FileSpec("disclosures_2024.csv", "disclosures", "utf-8-sig", date_styles=("iso", "slash", "dot"),
             column_seed=5, select=year_is(2024)),
    FileSpec("outreach-2021.xlsx", "outreach", "xlsx", date_styles=("excel", "slash"), select=year_is(2021)),
    FileSpec("outreach-2022.csv", "outreach", "gbk", date_styles=("cn", "slash", "iso", "dot"),
             fullwidth_share=0.08, fullwidth_brackets=True, column_seed=6, select=year_is(2022)),
    FileSpec("outreach_2023.csv", "outreach", "utf-8-sig", english_headers=True, date_styles=("iso",),
             select=year_is(2023)),
    FileSpec("普法与法律服务_2024.xlsx", "outreach", "xlsx", date_styles=("excel", "cn"),
             fullwidth_brackets=True, column_seed=7, select=year_is(2024)),
    FileSpec("designations.csv", "designations", "utf-8", english_headers=True),
    FileSpec("reported_values_2022.csv", "reported_values", "gbk", select=year_is(2022)),
    FileSpec("填报值_2021_2023_2024.xlsx", "reported_values", "xlsx", column_seed=8, select=year_is(2021, 2023, 2024)),
    FileSpec("整改与年度安排_2023.xlsx", "actions", "xlsx", date_styles=("excel",),
             select=lambda r: r["action_id"].startswith("A2023")),
    FileSpec("actions_2024.csv", "actions", "gbk", english_headers=True, date_styles=("slash",),
             select=lambda r: r["action_id"].startswith("A2024")),
    FileSpec("gi_annual_2023.csv", "gi_annual", "utf-8-sig"),
    # Last, so that the community spellings drawn for them leave every earlier file as it was.
    FileSpec("targets_2021_示例.csv", "targets", "utf-8-sig", select=year_is(2021)),
    FileSpec("指标目标_2023_示例.xlsx", "targets", "xlsx", column_seed=9, select=year_is(2023)),
)
BAD_ROWS_FILE = "outreach_2024-bad-rows.csv"


def _date_text(day: date, style: str) -> str:
    return {"iso": day.isoformat(), "slash": f"{day.year}/{day.month}/{day.day}",
            "dot": f"{day.year}.{day.month}.{day.day}", "cn": f"{day.year}年{day.month}月{day.day}日"}[style]


def _community_text(rng: random.Random, community_id: str | None) -> str:
    """How people write a community: name, name without 社区, an alias, the id, stray spaces."""
    if community_id is None:
        return rng.choice(("", "", "街道本级"))
    _, name, aliases = next(c for c in COMMUNITIES if c[0] == community_id)
    text = rng.choices((name, aliases[0], aliases[1], community_id), (60, 25, 10, 5))[0]
    return f" {text} " if rng.random() < 0.03 else text


def sample_fields(record_type: str) -> list:
    """A record type's columns in the sample files: the sample is one subdistrict, so its files
    leave out the 街道 column, as the contract allows."""
    return [f for f in RECORD_TYPES[record_type].fields if f.kind != SUBDISTRICT]


def _cells(spec: FileSpec, rng: random.Random, rec: dict) -> list:
    """One record as the row of its file, in the file's style (str for CSV; also int/date for xlsx)."""
    style = rng.choice(spec.date_styles)
    fullwidth = rng.random() < spec.fullwidth_share
    row = []
    for fld in sample_fields(spec.record_type):
        value = rec.get(fld.name)
        if value is None:
            cell = ""
        elif fld.kind == COMMUNITY:
            cell = _community_text(rng, value)
        elif fld.kind == DATE:
            cell = value if style == "excel" else _date_text(value, style)
        elif fld.kind == BOOL:
            cell = ("Y" if value else "N") if spec.english_headers else ("是" if value else "否")
        elif fld.kind in (INT, NUMBER):
            cell = value if spec.encoding == "xlsx" else (str(value) if isinstance(value, int) else f"{value:g}")
        else:
            cell = str(value)
            if spec.fullwidth_brackets:
                cell = cell.replace("(", "（").replace(")", "）")
        if fullwidth and fld.kind in (DATE, INT, NUMBER) and isinstance(cell, str):
            cell = cell.translate(FULLWIDTH)
        row.append(cell)
    return row


def _column_order(spec: FileSpec) -> list[int]:
    order = list(range(len(sample_fields(spec.record_type))))
    if spec.column_seed is not None:
        random.Random(spec.column_seed).shuffle(order)
    return order


def _xlsx_bytes(header: list[str], rows: list[list]) -> bytes:
    """An .xlsx with fixed document times and zip entry times, so reruns give the same bytes."""
    wb = Workbook()
    ws = wb.active
    ws.title = "台账"
    ws.append(header)
    for row in rows:
        ws.append(row)
    for column in ws.iter_cols(min_row=2):
        for cell in column:
            if isinstance(cell.value, date):
                cell.number_format = "yyyy-mm-dd"
    wb.properties.creator = "scripts/generate_sample.py"
    wb.properties.created = wb.properties.modified = FIXED_TIME
    raw = io.BytesIO()
    ExcelWriter(wb, zipfile.ZipFile(raw, "w", zipfile.ZIP_DEFLATED)).save()
    fixed = io.BytesIO()
    with zipfile.ZipFile(raw) as src, zipfile.ZipFile(fixed, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            entry = zipfile.ZipInfo(info.filename, date_time=FIXED_TIME.timetuple()[:6])
            entry.compress_type = zipfile.ZIP_DEFLATED
            dst.writestr(entry, src.read(info.filename))
    return fixed.getvalue()


def _csv_bytes(header: list[str], rows: list[list], encoding: str) -> bytes:
    text = io.StringIO()
    writer = csv.writer(text, lineterminator="\r\n")
    writer.writerow(header)
    writer.writerows(rows)
    return text.getvalue().encode(encoding)


def file_bytes(spec: FileSpec, records: list[dict], rng: random.Random) -> bytes:
    fields = sample_fields(spec.record_type)
    order = _column_order(spec)
    header = [fields[i].name if spec.english_headers else fields[i].header_zh for i in order]
    rows = []
    for rec in spec.rows(records):
        cells = _cells(spec, rng, rec)
        rows.append([cells[i] for i in order])
    if spec.encoding == "xlsx":
        return _xlsx_bytes(header, rows)
    return _csv_bytes(header, rows, spec.encoding)


def bad_rows_bytes() -> bytes:
    fields = sample_fields("outreach")
    rows = [[bad[f.name] for f in fields] for bad in BAD_OUTREACH_ROWS]
    return _csv_bytes([f.header_zh for f in fields], rows, "utf-8")


# ---------------------------------------------------------------- the folder's README and dataset.json

DATASET = {
    "kind": "sample",
    "label_zh": "示例数据：2022年数字依据2022年法治政府建设年度报告，2023年政务公开依据该年信息公开年报，其余为示意",
    "label_en": "Sample data: 2022 figures as published in the 2022 rule-of-law report, 2023 disclosure "
                "as in the 2023 disclosure report; the rest is illustrative",
}
ENCODING_NAMES = {"utf-8": "UTF-8", "utf-8-sig": "UTF-8 with BOM", "gbk": "GBK", "xlsx": "Excel .xlsx"}
DATE_STYLE_NAMES = {"iso": "2022-05-01", "slash": "2022/5/1", "dot": "2022.5.1", "cn": "2022年5月1日",
                    "excel": "Excel date cells"}


def figures(records: dict[str, list[dict]]) -> list[tuple[str, str, dict[int, object]]]:
    """The headline figures per year, computed from the records: (label, unit, {year: value})."""
    def count(rows, pred):
        return {y: sum(1 for r in rows if _year(r) == y and pred(r)) for y in YEARS}

    def total(rows, field, pred):
        return {y: sum(r[field] for r in rows if _year(r) == y and pred(r)) for y in YEARS}

    cases_, disc, out = records["cases"], records["disclosures"], records["outreach"]

    def closed_in(y, case_type):
        return [r for r in cases_ if r["case_type"] == case_type and r["closed_date"] and r["closed_date"].year == y]

    def mean_satisfaction(y):
        scores = [r["satisfaction"] for r in closed_in(y, "矛盾纠纷调解")]
        return round(sum(scores) / len(scores), 1)

    def designated(y, level):
        return sum(1 for d in records["designations"]
                   if d["level"] == level and d["status"] == "有效" and d["year_granted"] <= y)

    def coverage(y):
        held = {d["community"] for d in records["designations"] if d["status"] == "有效" and d["year_granted"] <= y}
        return f"{len(held)}/{len(COMMUNITIES)}"

    rows = [
        ("理论学习中心组专题学法", "次", count(out, lambda r: r["activity_type"] == "专题学法")),
        ("新增行政复议案件", "件", count(cases_, lambda r: r["case_type"] == "行政复议")),
        ("新增行政诉讼案件", "件", count(cases_, lambda r: r["case_type"] == "行政诉讼")),
        ("行政诉讼审结 / 其中胜诉", "件", {y: f"{len(closed_in(y, '行政诉讼'))} / "
                                  f"{sum(r['outcome'] == '胜诉' for r in closed_in(y, '行政诉讼'))}" for y in YEARS}),
        ("负责人出庭 / 开庭审理（审结的行政诉讼）", "件",
         {y: f"{sum(bool(r['leader_appeared']) for r in closed_in(y, '行政诉讼') if r['heard_in_court'])} / "
             f"{sum(bool(r['heard_in_court']) for r in closed_in(y, '行政诉讼'))}" for y in YEARS}),
        ("行政争议调解（收案）", "件", count(cases_, lambda r: r["case_type"] == "行政争议调解")),
        ("矛盾纠纷调解（收案）", "件", count(cases_, lambda r: r["case_type"] == "矛盾纠纷调解")),
        ("调解满意度（审结的矛盾纠纷调解）", "%", {y: mean_satisfaction(y) for y in YEARS}),
        ("主动公开（全部渠道）", "条", count(disc, lambda r: r["mode"] == "主动公开")),
        *[(f"主动公开·网站·{c}", "条", count(disc, lambda r, c=c: r["channel"] == "网站" and r["category"] == c))
          for c in CATEGORIES],
        *[(f"主动公开·{ch}", "条", count(disc, lambda r, ch=ch: r["channel"] == ch))
          for ch in ("网站", "微博", "微信", "公开栏")],
        ("依申请公开", "件", count(disc, lambda r: r["mode"] == "依申请公开")),
        ("普法讲座（线上+线下）", "场", count(out, lambda r: r["activity_type"].startswith("普法讲座"))),
        ("便民活动", "场", count(out, lambda r: r["activity_type"] == "便民活动")),
        ("普法资料发放", "份", total(out, "materials", lambda r: True)),
        ("法律服务", "人次", total(out, "participants", lambda r: r["activity_type"] == "法律服务")),
        ("公益服务", "人次", total(out, "participants", lambda r: r["activity_type"] == "公益服务")),
        ("全国民主法治示范社区（有效）", "个", {y: designated(y, "国家级") for y in YEARS}),
        ("省级民主法治示范社区（有效）", "个", {y: designated(y, "省级") for y in YEARS}),
        ("持有有效称号的社区", "个/社区数", {y: coverage(y) for y in YEARS}),
    ]
    reported: dict[tuple[str, str], dict[int, object]] = {}
    for r in records["reported_values"]:
        reported.setdefault((r["indicator_id"], r["part"]), {})[r["year"]] = r["value"]
    rows += [(f"填报值 {i}（{p}）", "", by_year) for (i, p), by_year in sorted(reported.items())]
    return rows


# Published figures: (figure label, year) -> what the source says.
PUBLISHED = {
    ("理论学习中心组专题学法", 2022): "2 (P1)",
    ("新增行政复议案件", 2022): "0 (P1)",
    ("新增行政诉讼案件", 2022): "2 (P1)",
    ("行政诉讼审结 / 其中胜诉", 2022): "均已审结并胜诉 (P1)",
    ("负责人出庭 / 开庭审理（审结的行政诉讼）", 2022): "应诉率100% (P1)",
    ("矛盾纠纷调解（收案）", 2022): "200余件 (P1)",
    ("调解满意度（审结的矛盾纠纷调解）", 2022): "100% (P1)",
    ("主动公开（全部渠道）", 2022): "175 (P1)",
    ("主动公开·网站·政务动态", 2022): "85 (P1)", ("主动公开·网站·财政信息", 2022): "20 (P1)",
    ("主动公开·网站·公示公告", 2022): "12 (P1)", ("主动公开·网站·年报", 2022): "6 (P1)",
    ("主动公开·网站·民生实事", 2022): "5 (P1)", ("主动公开·网站·其他", 2022): "47 (P1)",
    ("主动公开·网站", 2022): "175 (P1)",
    ("主动公开·网站", 2023): "95 (P2)", ("主动公开·微博", 2023): "337 (P2)", ("主动公开·微信", 2023): "741 (P2)",
    ("主动公开（全部渠道）", 2023): "95 + 337 + 741 (P2)",
    ("依申请公开", 2023): "3 (P2)",
    ("普法讲座（线上+线下）", 2022): "90余场 (P1)",
    ("便民活动", 2022): "68 (P1)",
    ("普法资料发放", 2022): "16000余份 (P1)",
    ("法律服务", 2022): "500余人次 (P1)",
    ("公益服务", 2022): "超5000人次 (P1)",
    ("全国民主法治示范社区（有效）", 2022): "馒头山社区 (P1)",
    ("省级民主法治示范社区（有效）", 2022): "海月桥、白塔岭、水澄桥 (P1)",
    ("持有有效称号的社区", 2022): "覆盖率100% (P1)",
    ("填报值 discretion_items（值）", 2022): "165项 (P1)",
    ("填报值 discretion_domains（值）", 2022): "18个领域 (P1)",
    ("填报值 discretion_refinement_rate（分子）", 2022): "细化率100% (P1)",
    ("填报值 discretion_refinement_rate（分母）", 2022): "165项高频事项 (P1)",
    ("填报值 public_interest_orgs（值）", 2022): "43个 (P1)",
    ("填报值 public_lawyers（值）", 2022): "无配备 (P1)",
}


def _cell(value: object, published: str | None) -> str:
    text = f"{value:,}" if isinstance(value, int) else str(value)
    return f"**{text}** ← {published}" if published else text


def readme(records: dict[str, list[dict]], written: list[tuple[FileSpec, int]]) -> str:
    lines = [
        "# Sample data (示例数据)",
        "",
        "Generated by `scripts/generate_sample.py` — do not edit by hand. Regenerate with",
        "",
        "    .venv/bin/python scripts/generate_sample.py",
        "",
        "The run is deterministic (fixed seed, fixed xlsx timestamps): it rewrites every file with the",
        "same bytes, and `tests/test_sample_data.py` checks that the committed files equal a fresh run.",
        "`dataset.json` marks the folder as sample data, so the app labels it so.",
        "",
        "## Sources",
        "",
        f"- **P1** — 南星街道 *{REPORT_2022}* (2023-01-16), `../shared/seed/000_a97042a93fa00ea4.txt`.",
        f"- **P2** — 南星街道 *{GI_REPORT_2023}* (as summarised in `../shared/domain.md` §5).",
        "- Everything else is **illustrative**: the split of every figure across communities and 街道本级,",
        "  the years 2021, 2023 and 2024 (except the P2 figures), dates, titles, 依申请公开 before 2023,",
        "  行政争议调解, 法律顾问, 合法性审核 and evaluation scores. Where the report says “余” or “超”",
        "  (at least), the sample is slightly above the floor. Reported values carry their source in 来源说明.",
        "",
        "## Files",
        "",
        "| file | record type | rows | encoding | headers | dates written as | other untidiness |",
        "|---|---|---:|---|---|---|---|",
    ]
    for spec, n in written:
        quirks = []
        if spec.fullwidth_share:
            quirks.append(f"full-width digits in ~{spec.fullwidth_share:.0%} of rows")
        if spec.column_seed is not None:
            quirks.append("columns reordered")
        if spec.fullwidth_brackets:
            quirks.append("full-width brackets （）")
        kinds = {f.kind for f in RECORD_TYPES[spec.record_type].fields}
        if COMMUNITY in kinds:
            quirks.append("communities as name / without 社区 / alias / id")
        dates = ", ".join(dict.fromkeys(DATE_STYLE_NAMES[s] for s in spec.date_styles)) if DATE in kinds else "—"
        lines.append(f"| `{spec.name}` | {spec.record_type} | {n} | {ENCODING_NAMES[spec.encoding]} | "
                     f"{'English' if spec.english_headers else '中文'} | {dates} | {'; '.join(quirks) or '—'} |")
    lines += [
        f"| `{BAD_ROWS_FILE}` | outreach | {len(BAD_OUTREACH_ROWS)} | UTF-8 | 中文 | 2022-05-01, 2022/5/1 | "
        "**3 deliberate rejects**: date 2024-02-30, unknown 活动类型 普法宣传周, unknown community 近江社区 |",
        "| `dataset.json` | — | — | UTF-8 | — | — | `{\"kind\": \"sample\", ...}` |",
        "| `README.md` | — | — | UTF-8 | — | — | this file |",
        "",
        "Every row loads except the three of the bad-rows file (all dated 2024, so no 2022 figure moves).",
        "",
        "## Figures by year",
        "",
        "Computed from the generated records (whole subdistrict). **Bold ← P1/P2** = the published figure",
        "this value reproduces (for “余/超” figures, the published floor); plain = illustrative.",
        "",
        "| figure | unit | " + " | ".join(str(y) for y in YEARS) + " |",
        "|---|---|" + "---:|" * len(YEARS),
    ]
    for label, unit, by_year in figures(records):
        cells = [_cell(by_year[y], PUBLISHED.get((label, y))) if y in by_year else "—" for y in YEARS]
        lines.append(f"| {label} | {unit} | " + " | ".join(cells) + " |")
    lines += [
        "",
        "Not in the table and illustrative throughout: 依申请公开 results and reply dates before 2023,",
        "every per-community split, organisers and titles. 2023 依申请公开: 3 requests as published; their",
        "results (2 予以公开, 1 部分公开) and dates are illustrative.",
        "",
        "Note: the 2022 主动公开 figure counts website items by column (category); the 2023 figures count",
        "posts by channel. Only the 网站 channel is comparable across years (175 vs 95).",
        "",
        "## `gi_annual_2023.csv` — published 政府信息公开工作年度报告 2023 cells",
        "",
        "Labels are those of the national template (国办公开办函〔2021〕30号). 表三: column 总计, rows",
        "`一、本年新收政府信息公开申请数量` = 3 (P2); `二、上年结转…` 0, `（一）予以公开` 2,",
        "`（二）部分公开（区分处理的，只计这一情形，不计其他情形）` 1, `（七）总计` 3, `四、结转下年度继续办理` 0 are",
        "illustrative and consistent with the 2023 request records (本年新收 + 上年结转 = 总计 + 结转下年度).",
        "表四: rows 行政复议 / 未经复议直接起诉 / 复议后起诉 × columns 结果维持 / 结果纠正 / 其他结果 / 尚未审结 / 总计,",
        "all 0 (P2: no disclosure-related 复议 or 诉讼).",
        "",
        "## Targets, statuses and scores — all illustrative",
        "",
        f"`targets_2021_示例.csv` and `指标目标_2023_示例.xlsx` are an invented 考核细则 (依据: {ILLUSTRATIVE_BASIS}):",
        "a target, red line, points (分值) and scoring rule per indicator, for the whole subdistrict (范围 街道,",
        "100 points in all) and for communities (范围 社区, 50 points; one row for 馒头山社区 alone). No published",
        "document sets them. **Every status (达标 / 预警 / 未达标) and every predicted score (预计得分) computed",
        "from the sample is therefore illustrative**, the 2022 ones included: the report publishes figures, not",
        "how they were rated. 2022 has no targets of its own and is rated against 2021's (沿用2021年目标); 2024",
        "against 2023's. Indicators without a community target show 无社区目标 in a community's view.",
        "See them with `python -m etl scores --year 2022` (add `--community 馒头山` for a community).",
        "",
    ]
    return "\n".join(lines)


# ---------------------------------------------------------------- main

def generate(out: Path, seed: int = SEED) -> list[Path]:
    """Write the whole sample into `out` (created if missing); return the files written."""
    records = sample_records(seed)
    out.mkdir(parents=True, exist_ok=True)
    rng = random.Random(seed + 1)   # writing style draws, separate from the records' draws
    written: list[tuple[FileSpec, int]] = []
    paths = []
    for spec in FILES:
        (out / spec.name).write_bytes(file_bytes(spec, records[spec.record_type], rng))
        written.append((spec, len(spec.rows(records[spec.record_type]))))
        paths.append(out / spec.name)
    (out / BAD_ROWS_FILE).write_bytes(bad_rows_bytes())
    (out / "dataset.json").write_text(json.dumps(DATASET, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    (out / "README.md").write_text(readme(records, written), encoding="utf-8")
    return paths + [out / BAD_ROWS_FILE, out / "dataset.json", out / "README.md"]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=ROOT / "data" / "sample")
    args = parser.parse_args(argv)
    files = generate(args.out)
    print(f"wrote {len(files)} files to {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
