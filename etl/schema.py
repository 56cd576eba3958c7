"""The record contract: every record type, its fields, Chinese headers, types and allowed values.

This module is the single source for docs/data-contract.md, the loaders, the Excel templates and
the `check` command. Field names and ids are stable (see ../shared/domain.md §3); add, never rename.
"""
from __future__ import annotations

from dataclasses import dataclass, field

# Field kinds. The staging SQL types each kind the same way.
TEXT, DATE, INT, NUMBER, ENUM, BOOL, COMMUNITY = "text", "date", "int", "number", "enum", "bool", "community"
SUBDISTRICT = "subdistrict"

SQL_TYPE = {TEXT: "VARCHAR", DATE: "DATE", INT: "BIGINT", NUMBER: "DOUBLE", ENUM: "VARCHAR",
            BOOL: "BOOLEAN", COMMUNITY: "VARCHAR", SUBDISTRICT: "VARCHAR"}

# Written in a community field, these mean "the subdistrict itself", not any community.
SUBDISTRICT_LEVEL = ("街道本级", "街道", "本级", "全街道")
# Record types whose blank 街道 means "every subdistrict" rather than "must be named" (etl.staging).
SUBDISTRICT_OPTIONAL = ("targets",)
TRUE_WORDS = ("是", "Y", "y", "yes", "Yes", "YES", "true", "True", "TRUE", "1", "√")
FALSE_WORDS = ("否", "N", "n", "no", "No", "NO", "false", "False", "FALSE", "0", "×")


@dataclass(frozen=True)
class Field:
    name: str                      # English field name = staging column name
    header_zh: str                 # Chinese template header
    kind: str = TEXT
    required: bool = False
    allowed: tuple[str, ...] = ()  # for ENUM
    minimum: float | None = None   # for INT / NUMBER
    maximum: float | None = None
    description_zh: str = ""
    example: str = ""
    header_aliases: tuple[str, ...] = ()   # further headers seen in the field

    @property
    def headers(self) -> tuple[str, ...]:
        return (self.name, self.header_zh, *self.header_aliases)


def subdistrict_field(description_zh: str = "") -> Field:
    """The 街道 a record belongs to (issue 13): resolved from its community when it names one, else
    from this column, else from the folder the file sits in (data/<街道>/cases.csv), else the only
    subdistrict of the community list. Written as in the list's 街道 column, with or without 街道."""
    return Field("subdistrict", "街道", SUBDISTRICT, example="南星街道",
                 description_zh=description_zh or "所属街道；填写了社区时可空白（由社区名录确定）；"
                 "社区名录只有一个街道时可空白；也可把文件放在以街道命名的文件夹中")


@dataclass(frozen=True)
class RecordType:
    name: str                      # also the file-name prefix: cases.csv, cases_2023.xlsx
    name_zh: str
    grain: str                     # one row of the staging table is ...
    key: tuple[str, ...]           # unique in staging
    fields: tuple[Field, ...]
    file_prefixes: tuple[str, ...] = field(default=())

    @property
    def prefixes(self) -> tuple[str, ...]:
        return (self.name, *self.file_prefixes)

    def field(self, name: str) -> Field:
        return next(f for f in self.fields if f.name == name)

    @property
    def required_fields(self) -> tuple[Field, ...]:
        return tuple(f for f in self.fields if f.required)


CASE_TYPES = ("行政复议", "行政诉讼", "行政争议调解", "矛盾纠纷调解")
CASE_STATUS = ("在办", "审结")
CASE_OUTCOMES = ("维持", "纠正", "驳回", "终止", "胜诉", "败诉", "撤诉", "调解", "成功", "不成功", "其他")
RESOLUTION_MODES = ("判决", "调解和解", "撤回")
DISCLOSURE_MODES = ("主动公开", "依申请公开")
DISCLOSURE_CATEGORIES = ("政务动态", "财政信息", "公示公告", "年报", "民生实事", "其他")
DISCLOSURE_CHANNELS = ("网站", "微博", "微信", "公开栏")
# 表三 办理结果 of the national GI annual report format (国办公开办函〔2021〕30号).
REQUEST_RESULTS = ("予以公开", "部分公开", "不予公开", "无法提供", "不予处理", "其他处理")
# 表三 numbered sub-rows of 不予公开 / 无法提供 / 不予处理 / 其他处理, as the template words them.
REQUEST_RESULT_DETAILS = {
    "不予公开": ("属于国家秘密", "其他法律行政法规禁止公开", "危及“三安全一稳定”", "保护第三方合法权益",
             "属于三类内部事务信息", "属于四类过程性信息", "属于行政执法案卷", "属于行政查询事项"),
    "无法提供": ("本机关不掌握相关政府信息", "没有现成信息需要另行制作", "补正后申请内容仍不明确"),
    "不予处理": ("信访举报投诉类申请", "重复申请", "要求提供公开出版物", "无正当理由大量反复申请",
             "要求行政机关确认或重新出具已获取信息"),
    "其他处理": ("申请人无正当理由逾期不补正、行政机关不再处理其政府信息公开申请",
             "申请人逾期未按收费通知要求缴纳费用、行政机关不再处理其政府信息公开申请", "其他"),
}
# 表三 申请人情况 columns: 自然人, then the kinds of 法人或其他组织.
REQUESTER_TYPES = ("自然人", "商业企业", "科研机构", "社会公益组织", "法律服务机构", "其他")
ACTIVITY_TYPES = ("专题学法", "普法讲座(线上)", "普法讲座(线下)", "便民活动", "资料发放", "法律服务", "公益服务")
DESIGNATION_LEVELS = ("国家级", "省级", "市级", "区级")
DESIGNATION_STATUS = ("有效", "撤销", "复核中")
ACTION_STATUS = ("未启动", "推进中", "已完成")
REPORTED_PARTS = ("值", "分子", "分母")
# Where a reported figure comes from: typed in, or read from a published report (etl.report_import),
# and whether the report gave it as a floor (余, 以上, 超过).
REPORTED_SOURCES = ("填报", "已发布报告")
REPORTED_QUALIFIERS = ("精确", "至少")
# Evaluation (考核): a target's scope, and how an indicator's points are scored (etl/scores.py).
TARGET_SCOPES = ("街道", "社区")
SCORING_RULES = ("达标得分", "按比例", "每件扣分")
# What an office may add to the catalogue by import: indicators whose figures are reported, never
# computed from records (those keep one formula per id in etl/marts.py). Codes as in ref_indicators.
REPORTED_KINDS = {"填报值": "reported", "填报比率": "reported_rate"}
DIRECTIONS = {"越高越好": "up", "越低越好": "down", "不评价": "none"}
INDICATOR_ID_PATTERN = r"[a-z][a-z0-9_]{0,62}"
VERSION_PATTERN = r"\d+(\.\d+)*"

COMMUNITIES = RecordType(
    name="communities", name_zh="社区名录", grain="一个社区", key=("community_id",),
    file_prefixes=("社区名录",),
    fields=(
        Field("community_id", "社区编号", required=True, example="NX01", description_zh="社区的稳定编号"),
        Field("name", "社区名称", required=True, example="馒头山社区"),
        Field("aliases", "别名", example="馒头山、馒头山社区居委会", description_zh="其他写法，用“、”分隔"),
        Field("subdistrict", "街道", required=True, example="南星街道"),
        Field("district", "区", required=True, example="上城区"),
    ),
)

CASES = RecordType(
    name="cases", name_zh="案件", grain="一件案件", key=("case_id", "subdistrict"), file_prefixes=("案件",),
    fields=(
        Field("case_id", "案件编号", required=True, example="XZSS-2022-001"),
        Field("case_type", "案件类型", ENUM, required=True, allowed=CASE_TYPES, example="行政诉讼"),
        Field("filed_date", "收案日期", DATE, required=True, example="2022-03-15"),
        Field("closed_date", "结案日期", DATE, example="2022-09-20", description_zh="审结的案件必填"),
        Field("status", "状态", ENUM, required=True, allowed=CASE_STATUS, example="审结"),
        Field("outcome", "结果", ENUM, allowed=CASE_OUTCOMES, example="胜诉",
              description_zh="复议：维持/纠正/驳回/终止/其他；诉讼：胜诉/败诉/撤诉/调解/其他；调解：成功/不成功"),
        Field("heard_in_court", "是否开庭", BOOL, example="是"),
        Field("leader_appeared", "负责人是否出庭", BOOL, example="是"),
        Field("resolution_mode", "化解方式", ENUM, allowed=RESOLUTION_MODES, example="判决"),
        Field("community", "社区", COMMUNITY, example="馒头山", description_zh="社区名称、别名或不带“社区”；空白或“街道本级”为街道本级"),
        Field("domain", "执法领域", example="城乡建设"),
        Field("satisfaction", "满意度", NUMBER, minimum=0, maximum=100, example="100"),
        Field("after_review", "是否复议后起诉", BOOL, example="否",
              description_zh="行政诉讼：是否经行政复议后起诉（政府信息公开年报表四）；空白为否"),
        subdistrict_field(),
    ),
)

DISCLOSURES = RecordType(
    name="disclosures", name_zh="政务公开", grain="一条主动公开信息或一件依申请公开申请",
    key=("item_id", "subdistrict"), file_prefixes=("政务公开",),
    fields=(
        Field("item_id", "编号", required=True, example="GK-2022-0001"),
        Field("date", "日期", DATE, required=True, example="2022-05-01"),
        Field("mode", "公开方式", ENUM, required=True, allowed=DISCLOSURE_MODES, example="主动公开"),
        Field("category", "类别", ENUM, allowed=DISCLOSURE_CATEGORIES, example="政务动态"),
        Field("channel", "渠道", ENUM, allowed=DISCLOSURE_CHANNELS, example="网站"),
        Field("title", "标题", example="南星街道开展法治宣传活动"),
        Field("received_date", "收到日期", DATE, example="", description_zh="依申请公开：收到申请的日期"),
        Field("replied_date", "答复日期", DATE, example="", description_zh="依申请公开：答复日期"),
        Field("result", "办理结果", ENUM, allowed=REQUEST_RESULTS, example="", description_zh="依申请公开：表三办理结果"),
        Field("result_detail", "办理结果细项", ENUM,
              allowed=tuple(d for details in REQUEST_RESULT_DETAILS.values() for d in details), example="",
              description_zh="依申请公开：不予公开、无法提供、不予处理、其他处理的细项（表三中的编号项）"),
        Field("requester_type", "申请人类型", ENUM, allowed=REQUESTER_TYPES, example="",
              description_zh="依申请公开：表三申请人情况；空白为自然人"),
        subdistrict_field("所属街道（政务公开记录不分社区）；社区名录只有一个街道时可空白；也可把文件放在以街道命名的文件夹中"),
    ),
)

OUTREACH = RecordType(
    name="outreach", name_zh="普法与法律服务", grain="一场活动", key=("activity_id", "subdistrict"),
    file_prefixes=("普法", "普法与法律服务"),
    fields=(
        Field("activity_id", "活动编号", required=True, example="PF-2022-001"),
        Field("date", "日期", DATE, required=True, example="2022-06-10"),
        Field("activity_type", "活动类型", ENUM, required=True, allowed=ACTIVITY_TYPES, example="普法讲座(线下)"),
        Field("community", "社区", COMMUNITY, example="白塔岭社区"),
        Field("organizer", "组织方", example="尚法工作室"),
        Field("participants", "参与人次", INT, minimum=0, example="45"),
        Field("materials", "资料份数", INT, minimum=0, example="200"),
        Field("title", "活动名称", example="民法典进社区"),
        subdistrict_field(),
    ),
)

DESIGNATIONS = RecordType(
    name="designations", name_zh="示范称号", grain="一个社区持有的一个称号",
    key=("community", "title", "level"), file_prefixes=("示范称号",),
    fields=(
        Field("community", "社区", COMMUNITY, required=True, example="馒头山社区"),
        Field("title", "称号", required=True, example="全国民主法治示范村(社区)"),
        Field("level", "级别", ENUM, required=True, allowed=DESIGNATION_LEVELS, example="国家级"),
        Field("granted_by", "授予机关", example="司法部、民政部"),
        Field("year_granted", "授予年份", INT, required=True, minimum=1949, maximum=2100, example="2020"),
        Field("status", "状态", ENUM, required=True, allowed=DESIGNATION_STATUS, example="有效"),
    ),
)

REPORTED_VALUES = RecordType(
    name="reported_values", name_zh="填报值", grain="一个指标在一个年度、一个社区（或街道本级）的一个分项",
    key=("indicator_id", "year", "community", "part", "subdistrict"), file_prefixes=("reported", "填报值"),
    fields=(
        Field("indicator_id", "指标编号", required=True, example="discretion_items"),
        Field("year", "年度", INT, required=True, minimum=2000, maximum=2100, example="2022"),
        Field("community", "社区", COMMUNITY, example="", description_zh="空白为街道整体"),
        Field("value", "数值", NUMBER, required=True, example="165"),
        Field("part", "分项", ENUM, allowed=REPORTED_PARTS, example="值",
              description_zh="比率类指标分别填报分子、分母；空白为“值”"),
        Field("note", "来源说明", example="2022年法治政府建设年度报告"),
        Field("source", "来源类型", ENUM, allowed=REPORTED_SOURCES, example="填报",
              description_zh="已发布报告：从已发布的年度报告中读出（数据导入“已发布报告”），在没有台账记录的年度补齐指标，"
                             "并标注“来源：已发布报告”；空白为“填报”"),
        Field("qualifier", "限定", ENUM, allowed=REPORTED_QUALIFIERS, example="精确",
              description_zh="至少：报告写的是下限（余、以上、超过）；空白为“精确”"),
        subdistrict_field(),
    ),
)

ACTIONS = RecordType(
    name="actions", name_zh="整改与年度安排", grain="一项整改或年度安排任务", key=("action_id", "subdistrict"),
    file_prefixes=("整改", "整改与年度安排"),
    fields=(
        Field("action_id", "任务编号", required=True, example="A2023-01"),
        Field("weak_area_id", "短板编号", example="W1", description_zh="W1、W2；空白为不对应短板的安排"),
        Field("title", "任务", required=True, example="落实法治“第一责任人”，减少行政复议和诉讼发案"),
        Field("owner", "责任科室", example="党政综合办公室"),
        Field("due_date", "完成时限", DATE, example="2023-12-31"),
        Field("status", "状态", ENUM, required=True, allowed=ACTION_STATUS, example="推进中"),
        Field("progress", "进展", example="已完成调解队伍优化"),
        Field("plan_year", "计划年度", INT, minimum=2000, maximum=2100, example="2023",
              description_zh="该任务所属的年度安排（年度报告第四部分）；空白时按完成时限所在年度"),
        subdistrict_field(),
    ),
)

RECORD_TYPES: dict[str, RecordType] = {
    rt.name: rt for rt in (COMMUNITIES, CASES, DISCLOSURES, OUTREACH, DESIGNATIONS, REPORTED_VALUES, ACTIONS)
}

GI_TABLES = ("表二", "表三", "表四")

# The statutory 政府信息公开工作年度报告 tables, as published (domain.md §7), for years whose
# records were never kept. Row and column labels are those of the official template.
GI_ANNUAL = RecordType(
    name="gi_annual", name_zh="政府信息公开年报表格", grain="年报表格中的一个单元格",
    key=("year", "table", "row", "column", "subdistrict"), file_prefixes=("政府信息公开年报",),
    fields=(
        Field("year", "年度", INT, required=True, minimum=2000, maximum=2100, example="2023"),
        Field("table", "表格", ENUM, required=True, allowed=GI_TABLES, example="表三"),
        Field("row", "行", required=True, example="一、本年新收政府信息公开申请数量"),
        Field("column", "列", required=True, example="总计"),
        Field("value", "数值", NUMBER, required=True, example="3"),
        Field("note", "来源说明", example="2023年政府信息公开工作年度报告"),
        subdistrict_field(),
    ),
)

RECORD_TYPES[GI_ANNUAL.name] = GI_ANNUAL

# The office's own 考核细则 (domain.md §9): per indicator, year and scope a target, a red line, points
# and a scoring rule. A year without targets of a scope uses the latest earlier year's (etl/targets.py).
TARGETS = RecordType(
    name="targets", name_zh="指标目标",
    grain="一个指标在一个年度、一个范围（街道整体，或一个社区、每个社区）的目标与计分",
    key=("indicator_id", "year", "scope", "community", "subdistrict"), file_prefixes=("指标目标", "考核细则"),
    fields=(
        Field("indicator_id", "指标编号", required=True, example="mediation_cases",
              description_zh="指标目录中的指标；不评价（无方向）的指标不设目标"),
        Field("year", "年度", INT, required=True, minimum=2000, maximum=2100, example="2022",
              description_zh="考核年度；某年度没有该范围的目标时，沿用之前最近一个有目标的年度"),
        Field("scope", "范围", ENUM, required=True, allowed=TARGET_SCOPES, example="社区",
              description_zh="街道：街道整体的目标；社区：社区的目标（社区从不按街道整体的目标评价）"),
        Field("community", "社区", COMMUNITY, example="",
              description_zh="范围为“社区”时：空白为每个社区，填写则只对该社区（优先于空白行）；范围为“街道”时须空白"),
        Field("target", "目标值", NUMBER, required=True, example="40",
              description_zh="按指标单位（比率为百分数，如 95）；越高越好的指标为下限，越低越好的为上限"),
        Field("red_threshold", "红线值", NUMBER, example="30",
              description_zh="越过红线为未达标，目标与红线之间为预警；空白为与目标值相同（无预警区间）"),
        Field("points", "分值", NUMBER, minimum=0, example="10", description_zh="该指标的满分；空白为不计分"),
        Field("rule", "计分方式", ENUM, allowed=SCORING_RULES, example="按比例",
              description_zh="达标得分：达到目标得满分，否则0分；按比例：数值÷目标×分值，不超过分值"
                             "（越低越好的指标为目标÷数值×分值）；每件扣分：数值每超出目标1（越高越好的指标："
                             "每低于目标1）扣“扣分值”分，最低0分；空白为达标得分"),
        Field("deduction", "扣分值", NUMBER, minimum=0, example="", description_zh="计分方式为“每件扣分”时必填"),
        Field("basis", "依据", example="2022年度法治建设考核细则（示例）", description_zh="目标出自的文件"),
        subdistrict_field("目标适用的街道；空白为每个街道（填写的优先于空白行）"),
    ),
)

# Indicators an office adds to the catalogue (etl/reference/indicators.csv) by import, or new
# versions of its reported ones. Every version is kept (ref_indicator_versions); the highest counts.
INDICATORS = RecordType(
    name="indicators", name_zh="指标目录", grain="一个填报类指标的一个版本",
    key=("indicator_id", "version"), file_prefixes=("指标目录",),
    fields=(
        Field("indicator_id", "指标编号", required=True, example="grid_mediators",
              description_zh="小写字母开头，只含小写字母、数字和下划线；由记录计算的指标不能通过导入修改"),
        Field("version", "版本", required=True, example="2026.2",
              description_zh="数字和点，如 2026.2；已在目录中的指标须高于其现行版本；同一指标取最高版本，历次版本均保留"),
        Field("name_zh", "指标名称", required=True, example="网格调解员"),
        Field("name_en", "英文名称", example="Grid mediators", description_zh="空白时英文界面显示中文名称"),
        Field("unit_zh", "单位", required=True, example="人"),
        Field("unit_en", "英文单位", example="persons"),
        Field("kind", "类型", ENUM, required=True, allowed=tuple(REPORTED_KINDS), example="填报值",
              description_zh="填报值：在填报值中填报一个数；填报比率：分别填报分子、分母，按百分比计算；"
                             "已在目录中的指标不能改变类型"),
        Field("direction", "方向", ENUM, required=True, allowed=tuple(DIRECTIONS), example="越高越好"),
        Field("area", "领域", required=True, example="依法行政与执法规范",
              description_zh="领域编号或名称（etl/reference/areas.csv，见指标说明页）"),
        Field("weak_area_id", "短板编号", example="W2", description_zh="空白为不属于短板"),
        Field("description_zh", "定义", example="在册的网格调解员人数。"),
        Field("description_en", "英文定义", example=""),
        Field("formula_zh", "计算方法", example="", description_zh="空白为“填报值”或“填报分子 ÷ 分母”"),
        Field("formula_en", "英文计算方法", example=""),
    ),
)

RECORD_TYPES[TARGETS.name] = TARGETS
RECORD_TYPES[INDICATORS.name] = INDICATORS
