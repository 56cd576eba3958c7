"""UI strings in Simplified Chinese (default) and English.

Indicator names, units, formulas and area names are not here: they come from the catalogue
(ref_indicators, ref_areas, ref_weak_areas) in the language's `_zh` / `_en` column.
"""
from __future__ import annotations

LANGS = ("zh", "en")
LANG_LABELS = {"zh": "中文", "en": "English"}

_STRINGS: dict[str, tuple[str, str]] = {
    # app and navigation
    "page_cockpit": ("驾驶舱", "Cockpit"),
    "page_cases": ("行政争议与诉源治理", "Administrative disputes"),
    "page_disclosure": ("政务公开", "Information disclosure"),
    "page_outreach": ("普法与法律服务", "Legal education and services"),
    "page_designations": ("民主法治示范社区", "Model communities"),
    "page_weak_areas": ("短板与整改", "Weak areas and actions"),
    "page_methodology": ("指标说明", "Methodology"),
    "page_data_quality": ("数据与质量", "Data and quality"),
    "page_export_centre": ("导出中心", "Export centre"),
    "page_data_import": ("数据导入", "Data import"),
    "nav_overview": ("总览", "Overview"),
    "nav_analysis": ("专题分析", "Analysis"),
    "nav_data": ("数据", "Data"),
    # filters
    "filters": ("筛选", "Filters"),
    "community": ("社区", "Community"),
    "community_placeholder": ("全街道", "Whole subdistrict"),
    "community_help": ("不选为全街道（含街道本级）；可多选", "Leave empty for the whole subdistrict (incl. subdistrict level); multi-select"),
    "year": ("年度", "Year"),
    "compare_year": ("对比年度", "Compare with"),
    "compare_none": ("不对比", "No comparison"),
    "url_ignored": ("链接中的以下参数值无法识别，已忽略：{items}", "These link values were not recognised and were ignored: {items}"),
    "scope_whole": ("全街道", "whole subdistrict"),
    "scope_line": ("范围：{scope}；年度：{year}", "Scope: {scope}; year: {year}"),
    "scope_line_compare": ("范围：{scope}；年度：{year}（对比 {compare}）", "Scope: {scope}; year: {year} (vs {compare})"),
    # database
    "db_missing": ("未找到指标数据库：{path}。请先运行 `python -m etl build` 生成数据库，或设置环境变量 COCKPIT_DB 指向数据库文件。",
                   "Indicator database not found: {path}. Run `python -m etl build` first, or set COCKPIT_DB to the database file."),
    "db_unreadable": ("无法读取指标数据库 {path}：{error}", "Cannot read the indicator database {path}: {error}"),
    "built_from": ("数据：{kind}，{time} 载入（批次 {run}）", "Data: {kind}, loaded {time} (run {run})"),
    "built_from_unknown": ("数据来源：无载入记录", "Data: no load recorded"),
    "kind_sample": ("示例数据", "sample data"),
    "kind_real": ("真实数据", "real data"),
    "sample_warning": ("示例数据：除年度报告公布的数字外，均为示意值。", "Sample data: apart from the figures the 2022 report publishes, values are illustrative."),
    # generic
    "no_data": ("所选范围内没有数据。", "No data for this selection."),
    "no_data_year": ("{year} 年度在所选范围内没有数据。", "No data for {year} in this selection."),
    "no_data_chart": ("{title}：所选范围内没有数据。", "{title}: no data for this selection."),
    "value": ("数值", "Value"),
    "yes": ("是", "yes"),
    "no": ("否", "no"),
    "target": ("目标", "Target"),
    "target_none": ("无目标", "no target"),
    "status": ("状态", "Status"),
    "unit": ("单位", "Unit"),
    "year_axis": ("年度", "Year"),
    "month_axis": ("月份", "Month"),
    "count_axis": ("数量", "Count"),
    "indicator": ("指标", "Indicator"),
    "numerator": ("分子", "Numerator"),
    "denominator": ("分母", "Denominator"),
    "no_data_reason": ("无数据原因", "Why no data"),
    "note": ("说明", "Note"),
    "change_vs": ("较{year}年", "vs {year}"),
    "change_vs_website": ("各年统计渠道不同：增减与趋势按网站口径", "Channels differ by year: change and trend on the website figure"),
    "percentage_points": ("个百分点", " pp"),
    "no_prev": ("无上年数据", "no previous year"),
    "records": ("记录明细", "Records"),
    "records_of": ("“{name}” {year} 年度的记录（含来源文件和行号）", "Records behind “{name}” in {year} (with source file and row)"),
    "records_pick": ("查看指标背后的记录", "Show the records behind an indicator"),
    "records_reported": ("该指标为填报值，以下为填报记录。", "This indicator is reported; these are the reported figures."),
    "records_truncated": ("仅显示前 {n} 条记录。", "Showing the first {n} records."),
    "bar_click_hint": ("点击柱形可筛选下方记录。", "Click a bar to filter the records below."),
    "selected_filter": ("已按所点选的 “{value}” 筛选记录。", "Records filtered by the selected “{value}”."),
    "source_file": ("来源文件", "Source file"),
    "source_row": ("行号", "Row"),
    "status_green": ("达标", "On target"),
    "status_amber": ("预警", "Watch"),
    "status_red": ("未达标", "Off target"),
    "status_no_data": ("无数据", "No data"),
    "status_none": ("无目标", "No target"),
    "combined_note": ("多社区合计：计数相加，比率按分子、分母合计重算。", "Several communities: counts added, rates recomputed from summed numerators and denominators."),
    "cannot_combine": ("多个社区的该指标不能合并", "cannot be combined across communities"),
    "subdistrict_level": ("街道本级", "Subdistrict level"),
    # cockpit
    "cockpit_title": ("法治政府建设驾驶舱", "Rule-of-law cockpit"),
    "headline": ("核心指标", "Headline indicators"),
    "weak_areas_panel": ("短板与整改", "Weak areas and actions"),
    "actions_summary": ("整改任务：{done} 项已完成，{doing} 项推进中，{todo} 项未启动", "Actions: {done} done, {doing} in progress, {todo} not started"),
    "wa_status_counts": ("指标：{green} 项达标，{amber} 项预警，{red} 项未达标，{no_data} 项无数据", "Indicators: {green} on target, {amber} watch, {red} off target, {no_data} no data"),
    "overdue_flag": ("⚠ 逾期 {n} 项", "⚠ {n} overdue"),
    "overdue": ("逾期", "Overdue"),
    "no_actions": ("暂无整改任务记录。", "No actions recorded."),
    "indicator_detail": ("指标明细", "Indicator details"),
    "all_indicators": ("全部指标（{year}年）", "All indicators ({year})"),
    # cases
    "cases_new_by_year": ("新增行政复议、行政诉讼案件（按年度）", "New administrative reviews and lawsuits by year"),
    "cases_outcomes": ("{year}年审结的行政复议、行政诉讼、行政争议调解结果", "Outcomes of reviews, lawsuits and dispute mediations concluded in {year}"),
    "cases_by_community": ("{year}年收案（按社区）", "Cases filed in {year} by community"),
    "cases_by_domain": ("{year}年收案（按执法领域）", "Cases filed in {year} by enforcement domain"),
    "cases_rates": ("{year}年行政争议化解指标", "Dispute resolution indicators, {year}"),
    "mediation_by_year": ("矛盾纠纷调解量与满意度（按年度）", "Mediations and satisfaction by year"),
    "case_type": ("案件类型", "Case type"),
    "outcome": ("结果", "Outcome"),
    "domain": ("执法领域", "Enforcement domain"),
    "domain_blank": ("未填", "not given"),
    "cases_unit": ("件", "cases"),
    # disclosure
    "disc_by_category": ("{year}年主动公开信息（按类别）", "Items disclosed proactively in {year} by category"),
    "disc_by_channel": ("{year}年主动公开信息（按渠道）", "Items disclosed proactively in {year} by channel"),
    "disc_by_month": ("{year}年主动公开信息（按月份）", "Items disclosed proactively in {year} by month"),
    "disc_by_year": ("主动公开信息（按年度）", "Items disclosed proactively by year"),
    "disc_requests": ("依申请公开与按期答复（按年度）", "Disclosure requests and on-time replies by year"),
    "disc_channels_differ": ("注意：各年度统计的渠道不同，全部渠道的合计不能直接跨年比较；请对比“网站”口径。", "Note: the channels counted differ between years, so all-channel totals are not comparable across years; compare the website-only figure."),
    "disc_no_community": ("政务公开记录不分社区，以下为全街道数据。", "Disclosure records carry no community; these are whole-subdistrict figures."),
    "disc_website_only": ("仅比较网站口径", "Compare website only"),
    "category": ("类别", "Category"),
    "channel": ("渠道", "Channel"),
    "channel_blank": ("未填", "not given"),
    "items_unit": ("条", "items"),
    "requests_unit": ("件", "requests"),
    "requests_received": ("收到申请", "Requests received"),
    "requests_ontime": ("按期答复率", "On-time reply rate"),
    "series": ("系列", "Series"),
    # outreach
    "out_by_type": ("{year}年普法与法律服务活动（按类型）", "Activities in {year} by type"),
    "out_by_community": ("{year}年活动（按社区）", "Activities in {year} by community"),
    "out_by_month": ("{year}年活动（按月份）", "Activities in {year} by month"),
    "out_by_organizer": ("{year}年活动（按组织方）", "Activities in {year} by organiser"),
    "out_totals": ("{year}年活动场次、参与人次和资料份数（按类型）", "Activities, participants and materials in {year} by type"),
    "activity_type": ("活动类型", "Activity type"),
    "organizer": ("组织方", "Organiser"),
    "organizer_blank": ("未填", "not given"),
    "activities_unit": ("场", "activities"),
    "participants": ("参与人次", "Participants"),
    "participants_unit": ("人次", "person-times"),
    "materials": ("资料份数", "Materials"),
    "materials_unit": ("份", "copies"),
    "activities": ("活动场次", "Activities"),
    # designations
    "des_table": ("各社区民主法治示范称号", "Model-community titles by community"),
    "des_by_level": ("有效称号（按级别）", "Valid titles by level"),
    "des_coverage_trend": ("民主法治社区覆盖率（按年度）", "Coverage of model communities by year"),
    "level": ("级别", "Level"),
    "title": ("称号", "Title"),
    "granted_by": ("授予机关", "Granted by"),
    "year_granted": ("授予年份", "Year granted"),
    "titles_unit": ("个", "titles"),
    "no_title": ("（无称号）", "(no title)"),
    # weak areas
    "wa_indicators": ("{name}：指标与目标（按年度）", "{name}: indicators against target by year"),
    "wa_cause": ("原因", "Cause"),
    "wa_actions": ("整改与年度安排任务", "Actions"),
    "wa_unassigned": ("不对应短板的年度安排", "Plan items not tied to a weak area"),
    "action_status_filter": ("任务状态", "Action status"),
    "action_title": ("任务", "Action"),
    "owner": ("责任科室", "Owner"),
    "due_date": ("完成时限", "Due"),
    "progress": ("进展", "Progress"),
    "weak_area": ("短板", "Weak area"),
    "action_id": ("任务编号", "Action id"),
    # methodology
    "meth_intro": ("以下内容直接取自指标目录（版本 {version}），与计算口径一致。", "Taken from the indicator catalogue (version {version}), the same definitions the figures are computed with."),
    "formula": ("计算公式", "Formula"),
    "direction": ("方向", "Direction"),
    "dir_up": ("越高越好 ↑", "higher is better ↑"),
    "dir_down": ("越低越好 ↓", "lower is better ↓"),
    "dir_none": ("无方向（过程量）", "no direction (process figure)"),
    "red_threshold": ("红线阈值", "Red threshold"),
    "source_records": ("来源记录", "Source records"),
    "target_basis": ("目标依据", "Basis of target"),
    "description": ("说明", "Description"),
    "area": ("领域", "Area"),
    "rule_up": ("达标：≥ {target}；预警：{red} 至 {target}；未达标：< {red}", "green ≥ {target}; amber {red} to {target}; red < {red}"),
    "rule_down": ("达标：≤ {target}；预警：{target} 至 {red}；未达标：> {red}", "green ≤ {target}; amber {target} to {red}; red > {red}"),
    "rule_none": ("无目标，不评价", "no target, not rated"),
    "status_rule": ("评价规则", "Rating rule"),
    # data quality
    "dq_runs": ("载入历史", "Load history"),
    "dq_files": ("各文件载入、拒收行数（所选批次）", "Rows loaded and rejected per file (chosen run)"),
    "data_dir": ("数据目录", "Data folder"),
    "catalogue_version": ("指标目录版本", "Catalogue version"),
    "dq_rejects": ("拒收记录及原因", "Rejected rows and reasons"),
    "dq_rejects_none": ("最近一次载入没有拒收记录。", "The latest load rejected no rows."),
    "dq_run_pick": ("载入批次", "Load run"),
    "rows_read": ("读取行数", "Rows read"),
    "rows_loaded": ("载入行数", "Rows loaded"),
    "rows_rejected": ("拒收行数", "Rows rejected"),
    "rows_unit": ("行", "rows"),
    "run_id": ("批次", "Run"),
    "started_at": ("开始时间", "Started"),
    "finished_at": ("完成时间", "Finished"),
    "duration_s": ("耗时（秒）", "Duration (s)"),
    "dataset": ("数据集", "Dataset"),
    "files": ("文件数", "Files"),
    "run_status": ("结果", "Result"),
    "record_type": ("记录类型", "Record type"),
    "encoding": ("编码", "Encoding"),
    "message": ("说明", "Message"),
    "field": ("字段", "Field"),
    "reason": ("原因", "Reason"),
    "kind": ("类型", "Kind"),
    "reject_invalid": ("无效", "invalid"),
    "reject_duplicate": ("重复", "duplicate"),
    "checksum": ("校验和", "Checksum"),
}


def t(key: str, lang: str, **values: object) -> str:
    """The UI string `key` in `lang`, with `{name}` placeholders filled from `values`."""
    zh, en = _STRINGS[key]
    text = en if lang == "en" else zh
    return text.format(**values) if values else text


def col(lang: str, base: str) -> str:
    """The catalogue column holding `base` in `lang`: col('en', 'name') -> 'name_en'."""
    return f"{base}_{'en' if lang == 'en' else 'zh'}"


# English for the enumerated values stored in records (etl/schema.py); Chinese is the stored form.
_VALUES_EN = {
    "行政复议": "Administrative review", "行政诉讼": "Administrative litigation",
    "行政争议调解": "Administrative dispute mediation", "矛盾纠纷调解": "Civil dispute mediation",
    "在办": "Open", "审结": "Concluded",
    "维持": "Upheld", "纠正": "Corrected", "驳回": "Dismissed", "终止": "Terminated", "胜诉": "Won",
    "败诉": "Lost", "撤诉": "Withdrawn", "调解": "Mediated", "成功": "Succeeded", "不成功": "Failed",
    "其他": "Other", "判决": "Judgment", "调解和解": "Mediation/settlement", "撤回": "Withdrawal",
    "主动公开": "Proactive", "依申请公开": "On request",
    "政务动态": "Government news", "财政信息": "Fiscal information", "公示公告": "Public notices",
    "年报": "Annual reports", "民生实事": "Livelihood projects",
    "网站": "Website", "微博": "Weibo", "微信": "WeChat", "公开栏": "Notice board",
    "予以公开": "Disclosed", "部分公开": "Partly disclosed", "不予公开": "Not disclosed",
    "无法提供": "Cannot be provided", "不予处理": "Not processed", "其他处理": "Otherwise handled",
    "专题学法": "Law-study session", "普法讲座(线上)": "Lecture (online)", "普法讲座(线下)": "Lecture (offline)",
    "便民活动": "Community service event", "资料发放": "Materials handout", "法律服务": "Legal service",
    "公益服务": "Volunteer service",
    "国家级": "National", "省级": "Provincial", "市级": "Municipal", "区级": "District",
    "有效": "Valid", "撤销": "Revoked", "复核中": "Under review",
    "未启动": "Not started", "推进中": "In progress", "已完成": "Done",
    "invalid": "invalid", "duplicate": "duplicate",
}
_VALUES_ZH = {"invalid": "无效", "duplicate": "重复"}


def value_label(value: object, lang: str) -> str:
    """A stored record value (行政诉讼, 网站 …) as shown in `lang`; unknown values are shown as stored."""
    text = "" if value is None else str(value)
    table = _VALUES_EN if lang == "en" else _VALUES_ZH
    return table.get(text, text)


_MONTHS_EN = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")


def month_label(month: int, lang: str) -> str:
    """1 -> '1月' / 'Jan' (a category label, so the axis never reads 1.5)."""
    return _MONTHS_EN[int(month) - 1] if lang == "en" else f"{int(month)}月"
