"""UI strings in Simplified Chinese (default) and English.

Indicator names, units, formulas and area names are not here: they come from the catalogue
(ref_indicators, ref_areas, ref_weak_areas) in the language's `_zh` / `_en` column.
"""
from __future__ import annotations

import string

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
    "page_subdistricts": ("街道对比", "Subdistrict comparison"),
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
    "scope_district": ("全区", "whole district"),
    "subdistrict": ("街道", "Subdistrict"),
    "subdistrict_help": ("全区为各街道合计（比率按分子、分母合计重算）；选择一个街道后可按社区筛选",
                         "The whole district adds up every subdistrict (rates recomputed from their parts); "
                         "choose a subdistrict to filter by community"),
    "subdistrict_fixed_help": ("您的账号仅限此街道", "Your account is limited to this subdistrict"),
    "community_pick_subdistrict": ("先选择街道", "Choose a subdistrict first"),
    "scope_refused": ("您的账号仅限{scope}：链接中的以下参数超出权限，已拒绝并记入审计：{items}",
                      "Your account is limited to {scope}: these link values are outside it, refused and audited: {items}"),
    "app_title": ("{place}法治驾驶舱", "{place} rule-of-law cockpit"),
    "scope_line": ("范围：{scope}；年度：{year}", "Scope: {scope}; year: {year}"),
    "scope_line_compare": ("范围：{scope}；年度：{year}（对比 {compare}）", "Scope: {scope}; year: {year} (vs {compare})"),
    # database
    "db_missing": ("未找到指标数据库：{path}。请先运行 `python -m etl build` 生成数据库，或设置环境变量 COCKPIT_DB 指向数据库文件。",
                   "Indicator database not found: {path}. Run `python -m etl build` first, or set COCKPIT_DB to the database file."),
    "db_unreadable": ("无法读取指标数据库 {path}：{error}", "Cannot read the indicator database {path}: {error}"),
    "built_from": ("数据：{kind}，{time} 载入（批次 {run}）", "Data: {kind}, loaded {time} (run {run})"),
    "built_from_short": ("数据：{kind}，{time} 载入", "Data: {kind}, loaded {time}"),
    "built_from_unknown": ("数据来源：无载入记录", "Data: no load recorded"),
    "kind_sample": ("示例数据", "sample data"),
    "kind_real": ("真实数据", "real data"),
    "sample_warning": ("示例数据：除年度报告公布的数字外，均为示意值。", "Sample data: apart from the figures the 2022 report publishes, values are illustrative."),
    "sample_banner": ("示例数据 · 非真实数据：本页数字为示意值，不得作为工作成果引用或转发。",
                      "Sample data · not real: the figures on this page are illustrative; do not quote or forward them as results."),
    "sample_watermark": ("示例数据 · 非真实数据", "SAMPLE DATA · NOT REAL"),
    "run_id_help": ("数据批次 {run}（详见“数据与质量”）", "Data run {run} (see Data and quality)"),
    # cockpit verdict (frames.verdict_counts)
    "verdict_line": ("{n} 项指标：{green} 达标、{amber} 预警、{red} 未达标、{no_data} 无数据",
                     "{n:indicator|indicators}: {green} on target, {amber} watch, {red} off target, {no_data} no data"),
    "verdict_no_target": ("{n} 无目标", "{n} without a target"),
    "verdict_score": ("预计得分 {points} / {max}", "Predicted score {points} / {max}"),
    "verdict_red": ("未达标：", "Off target:"),
    "unchanged": ("持平", "unchanged"),
    "overdue_panel": ("逾期整改任务（截至 {date}）", "Overdue actions (as of {date})"),
    "overdue_none": ("截至 {date}，{year} 年度所选范围内没有逾期的整改任务。",
                     "As of {date}, no action of {year} in this selection is overdue."),
    "overdue_more": ("全部整改任务见“短板与整改”", "All actions on Weak areas and actions"),
    "overdue_subdistrict": ("整改任务由街道统一安排，不分社区。", "Actions are the subdistrict's, not a community's."),
    # 街道对比 (pages/subdistricts.py, reporting/subdistricts.py)
    "sd_one": ("数据库中只有一个街道（{name}），没有可对比的街道。导入其他街道的台账后，本页按指标为各街道排名。",
               "The warehouse holds one subdistrict ({name}): there is nothing to compare. Once other subdistricts' records are loaded, this page ranks them indicator by indicator."),
    "sd_none": ("数据库中还没有街道的数据，没有可对比的街道。", "The warehouse holds no subdistrict yet: there is nothing to compare."),
    "sd_scope": ("全区各街道", "every subdistrict of the district"),
    "sd_intro": ("{year} 年度，全区 {n} 个街道；各街道为整体数值（含街道本级）。",
                 "{year}, {n} subdistricts; each subdistrict's whole figures (subdistrict level included)."),
    "sd_communities_ignored": ("本页比较各街道整体，不受社区筛选影响。", "This page compares whole subdistricts: the community filter does not apply."),
    "sd_indicator": ("指标", "Indicator"),
    "sd_ranking_title": ("{year}年各街道排名：{name}", "Subdistricts ranked on {name}, {year}"),
    "sd_ranking_table": ("{year}年各街道{name}（全部街道）", "{name} of every subdistrict, {year}"),
    "sd_order_up": ("越高越好：数值最高的街道排在最前。", "Higher is better: the highest value ranks first."),
    "sd_order_down": ("越低越好：数值最低的街道排在最前。", "Lower is better: the lowest value ranks first."),
    "sd_order_none": ("该指标无好坏方向（过程量）：按数值从高到低排列，不排名次。",
                      "This indicator has no better direction (a process figure): listed highest first, not ranked."),
    "sd_district": ("全区：{value}", "The whole district: {value}"),
    "sd_district_parts": ("全区：{value}（{numerator} / {denominator}）", "The whole district: {value} ({numerator} / {denominator})"),
    "sd_district_none": ("全区：无数据（{reason}）", "The whole district: no data ({reason})"),
    "sd_ends": ("图中为前 {n} 名和后 {n} 名（共 {total} 个街道有数值），完整排名见下表。",
                "The chart shows the best {n} and the worst {n} of {total} subdistricts with a value; the table below ranks them all."),
    "sd_target_shared": ("各街道目标相同：{target}（虚线）。", "Every subdistrict has the same target: {target} (dashed line)."),
    "sd_target_each": ("各街道目标不同：每条横条上的竖线为该街道自己的目标。", "Targets differ: the tick on each bar is that subdistrict's own target."),
    "sd_missing": ("无数值的街道：{items}", "Subdistricts without a value: {items}"),
    "sd_missing_many": ("{n} 个街道无数值，原因见下表。", "{n} subdistricts have no value; the table below says why."),
    "sd_col_rank": ("名次", "Rank"),
    "sd_col_position": ("序号", "No."),
    "sd_col_subdistrict": ("街道", "Subdistrict"),
    "sd_col_value_text": ("数值（含单位）", "Value with unit"),
    "sd_col_base": ("{year}年", "{year}"),
    "sd_col_total": ("合计", "Total"),
    "sd_heatmap_title": ("{year}年各街道指标状态", "Indicator status by subdistrict, {year}"),
    "sd_heatmap_intro": ("街道按未达标、预警、无数据的项数从多到少排列；悬停查看数值。",
                         "Subdistricts ordered by how many indicators are off target, then watch, then without data; hover for the value."),
    "sd_heatmap_page": ("显示第 {first}–{last} 个街道，共 {total} 个。", "Showing subdistricts {first}–{last} of {total}."),
    "sd_heatmap_chosen": ("显示所选的 {n} 个街道，共 {total} 个。", "Showing the {n} chosen of {total} subdistricts."),
    "sd_find": ("查找街道", "Find subdistricts"),
    "sd_find_placeholder": ("不选则按状态从差到好分页显示", "Leave empty to page through, worst first"),
    "sd_page": ("页码（每页 {size} 个街道，共 {pages} 页）", "Page ({size} subdistricts a page, {pages} pages)"),
    "sd_counts_title": ("{year}年各街道指标状态项数", "Indicators by status and subdistrict, {year}"),
    "sd_trend_title": ("各街道历年变化：{name}", "{name} by subdistrict over the years"),
    "sd_trend_pick": ("对比的街道", "Subdistricts to compare"),
    "sd_trend_help": ("默认为本年度排名前 {n} 名和后 {n} 名的街道。", "By default the year's best {n} and worst {n} subdistricts."),
    "sd_trend_empty": ("请至少选择一个街道。", "Choose at least one subdistrict."),
    "sd_scores_title": ("{year}年各街道预计得分（按领域）", "Predicted scores by subdistrict and area, {year}"),
    "sd_scores_table": ("{year}年各街道预计得分", "Predicted scores by subdistrict, {year}"),
    "sd_scores_none": ("{year} 年度各街道的指标目标没有设置分值，暂无预计得分可比。",
                       "No target of {year} carries points: there are no predicted scores to compare."),
    "sd_scores_share": ("各街道满分不同，按得分占满分的比例排名。", "The subdistricts' maximum points differ: ranked by the share of their maximum."),
    "sd_scores_unscored": ("无计分数据的街道：{names}", "Subdistricts without scored data: {names}"),
    "sd_and_more": (" 等（另有 {n} 个）", " and {n} more"),
    "sd_unscored": ("未计分", "Unscored"),
    "sd_score_complete": ("全部计分", "complete"),
    "sd_score_partial": ("部分指标未计分", "partly unscored"),
    "sd_score_no_data": ("无数据", "no data"),
    "sd_url_ignored": ("链接中的指标“{value}”不在指标目录中，已改为显示“{name}”。",
                       "The link's indicator “{value}” is not in the catalogue; showing “{name}” instead."),
    "sd_url_unreadable": ("链接中的指标参数无法识别，已改为显示“{name}”。",
                          "The link's indicator could not be read; showing “{name}” instead."),
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
    "change_vs_website": ("各年统计渠道不同：本卡按可跨年比较的网站口径", "Channels differ by year: this tile is the website figure, comparable across years"),
    "tile_all_channels": ("全部渠道：{value}", "All channels: {value}"),
    "percentage_points": ("个百分点", " pp"),
    "change_col": ("增减", "Change"),
    "year_col": ("{year}年", "{year}"),
    "compare_mark": ("对比年度", "compared year"),
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
    "status_no_community_target": ("无社区目标", "No community target"),
    "wa_no_community_target": ("，{n} 项无社区目标", ", {n} without a community target"),
    "target_fallback": ("沿用{year}年目标", "{year} targets carried forward"),
    # predicted points (etl.scores, mart_scores)
    "score_title": ("预计得分（满分 {max} 分）", "Predicted score (of {max} points)"),
    "score_value": ("{points} 分", "{points:point|points}"),
    "targets_fallback_note": ("{year} 年没有本年度的指标目标，状态和得分按 {target_year} 年目标评价。",
                              "{year} has no targets of its own: statuses and points are rated against the {target_year} targets."),
    "score_help": ("按指标目标中的分值和计分方式（达标得分、按比例、每件扣分）计算，领域与合计相加。",
                   "From the points and scoring rules of the targets (all or nothing, proportional, deduction per unit), added up by area and in total."),
    "score_unscored": ("另有 {points} 分的指标暂无数据，未计分：{names}", "{points:more point|more points} not scored (no data): {names}"),
    "score_sample": ("目标与分值为示例", "targets and points are illustrative"),
    "score_district": ("全区不预计得分：目标与分值按街道设定，请选择一个街道查看其预计得分。",
                       "No predicted score for the whole district: targets and points are set per subdistrict; choose one to see its score."),
    "score_none": ("{year} 年度（及之前年度）的指标目标没有设置分值，无法预计得分。",
                   "No points are set in the targets for {year} (or earlier): no predicted score."),
    "score_combined": ("多个社区合并时不计算预计得分；请选择街道整体或一个社区。",
                       "No predicted score for several communities combined: choose the whole subdistrict or one community."),
    "points_lost_title": ("失分（按指标，从多到少）", "Points lost by indicator, largest first"),
    "points_lost_none": ("设有分值的指标均未失分。", "No points lost on any scored indicator."),
    "points_lost": ("失分", "Points lost"),
    "points": ("预计得分", "Points"),
    "max_points": ("分值", "Points available"),
    "scoring_rule": ("计分方式", "Scoring rule"),
    "points_unit": ("分", "points"),
    "combined_note": ("多社区合计：计数相加，比率按分子、分母合计重算。", "Several communities: counts added, rates recomputed from summed numerators and denominators."),
    "cannot_combine": ("多个社区的该指标不能合并", "cannot be combined across communities"),
    "subdistrict_level": ("街道本级", "Subdistrict level"),
    # cockpit
    "cockpit_title": ("法治政府建设驾驶舱", "Rule-of-law cockpit"),
    "cockpit_title_of": ("{place}法治政府建设驾驶舱", "Rule-of-law cockpit: {place}"),
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
    "description": ("说明", "Description"),
    "area": ("领域", "Area"),
    "rule_up": ("达标：≥ 目标；预警：红线至目标；未达标：< 红线", "green ≥ target; amber from the red line to the target; red < red line"),
    "rule_down": ("达标：≤ 目标；预警：目标至红线；未达标：> 红线", "green ≤ target; amber from the target to the red line; red > red line"),
    "rule_none": ("不评价", "not rated"),
    "status_rule": ("评价规则", "Rating rule"),
    "version": ("版本", "Version"),
    "meth_pick": ("查看一个指标的定义、计算方法和各年度、各范围的目标", "Show one indicator's definition, formula and targets by year and scope"),
    "meth_item": ("项目", "Item"),
    "meth_content": ("内容", "Content"),
    "meth_targets_of": ("“{name}”的目标与计分（按年度、范围）", "Targets and points of “{name}” by year and scope"),
    "meth_targets": ("指标目标与计分（全部）", "Targets and points (all)"),
    "meth_targets_intro": ("目标由街道在“指标目标”中维护，注明依据。街道整体只按范围“街道”的目标评价，社区只按范围“社区”的目标评价"
                           "（该社区的行优先于“每个社区”的行）；某年度没有某范围的目标时，沿用之前最近一个有目标的年度。"
                           "计分方式：达标得分——达到目标得满分，否则0分；按比例——数值÷目标×分值，不超过分值（越低越好的指标为目标÷数值）；"
                           "每件扣分——每超出目标1（越高越好的指标：每低于目标1）扣“扣分值”分，最低0分。",
                           "Targets are kept by the office as 指标目标 records, each with its basis. The whole subdistrict is rated only against "
                           "subdistrict targets, a community only against community targets (its own row before the row for every community); "
                           "a year without targets of a scope uses the latest earlier year's. Scoring rules: all or nothing — full points when "
                           "the target is met, else 0; proportional — value ÷ target × points, at most the points (target ÷ value for lower-is-better); "
                           "deduction per unit — the deduction for each unit beyond the target (short of it, for higher-is-better), never below 0."),
    "meth_no_targets": ("尚未导入任何指标目标：所有指标均显示“无目标”。", "No targets imported yet: every indicator shows “no target”."),
    "target_scope": ("范围", "Scope"),
    "scope_every_community": ("每个社区", "every community"),
    "deduction": ("扣分值", "Deduction"),
    "basis": ("依据", "Basis"),
    # data quality
    "dq_runs": ("载入历史", "Load history"),
    "dq_files": ("各文件载入、拒收行数（所选批次）", "Rows loaded and rejected per file (chosen run)"),
    "data_dir": ("数据目录", "Data folder"),
    "catalogue_version": ("指标目录版本", "Catalogue version"),
    "dq_rejects": ("拒收记录及原因", "Rejected rows and reasons"),
    "dq_rejects_none": ("该次运行没有拒收记录。", "This run rejected no rows."),
    "rate_col": ("比率（%）", "Rate (%)"),
    "cov_title": ("数据覆盖：各指标各年度的数值来源", "Coverage: where each indicator's value comes from, by year"),
    "cov_caption": ("记录＝由台账记录计算；上报＝科室上报数；已发布报告＝取自已发布的年度报告；示意＝示例数据，非真实数字；无数据＝见原因。",
                    "records = computed from the ledgers; reported = an office's reported figure; published report = taken from a published annual report; illustrative = sample figure, not real; no data = see the reason."),
    "cov_records": ("记录", "records"),
    "cov_reported": ("上报", "reported"),
    "cov_published": ("已发布报告", "published report"),
    "cov_illustrative": ("示意", "illustrative"),
    "cov_no_data": ("无数据", "no data"),
    "cov_basis": ("来源", "Basis"),
    "cov_detail": ("依据或原因", "Source or reason"),
    "dq_rejects_elsewhere": ("该次运行拒收 {n} 行；拒收明细只保存在生成当前数据库的运行中，请选择该运行查看。",
                             "This run rejected {n:row|rows}; the rejected rows are kept only by the run that made the current database: pick that run to see them."),
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
    "reject_replaced": ("被更正", "replaced"),
    "run_actor": ("操作人", "By"),
    "checksum": ("校验和", "Checksum"),
    "dq_status_published": ("已发布", "published"),
    "dq_status_rollback": ("恢复自 {run}", "restored from {run}"),
    "list_sep": ("、", ", "),
    "note_sep": ("；", "; "),
    # data import
    "import_intro": ("用 Excel 模板整理台账，上传后先预览：每个文件接受和拒绝的行、拒绝原因，以及指标导入前后的变化。确认后才会发布新的数据库（原数据库保留为快照，可在“数据与质量”页恢复）；取消则什么也不会改变。",
        "Fill the Excel templates, upload, and preview first: rows accepted and rejected per file with the reasons, and the indicators before → after. Only confirming publishes a new database (the old one is kept as a snapshot, restorable on the Data and quality page); cancelling changes nothing."),
    "import_templates": ("1. 下载模板", "1. Download templates"),
    "import_templates_help": ("每种记录一个模板：中文表头（带 * 为必填）、下拉选项、日期格式；“填写示例”和“说明”工作表解释每一列。",
        "One template per record type: Chinese headers (* = required), dropdowns, date formats; the example and guide sheets explain every column."),
    "import_upload": ("2. 上传文件", "2. Upload files"),
    "import_upload_label": ("选择 CSV 或 XLSX 文件（可多选，每个不超过 50 MB）",
        "Choose CSV or XLSX files (several allowed, 50 MB each at most)"),
    "import_type_placeholder": ("请选择记录类型", "Choose a record type"),
    "import_rows_found": ("{rows} 行", "{rows:row|rows}"),
    "import_file_status": ("{status}，{rows}", "{status}, {rows}"),
    "import_recognised": ("已识别为“{type}”", "recognised as “{type}”"),
    "import_overridden": ("按所选类型“{type}”读取（识别为“{recognised}”）", "read as “{type}” (recognised as “{recognised}”)"),
    "import_preview": ("生成预览", "Preview"),
    "import_nothing_to_preview": ("没有可导入的文件。", "No file can be imported."),
    "import_preview_running": ("正在用现有数据和上传文件构建预览数据库……",
        "Building a preview database from the current data and the uploads…"),
    "import_preview_failed": ("预览失败，数据库未作任何更改：{error}", "Preview failed; nothing was changed: {error}"),
    "import_step_preview": ("3. 预览", "3. Preview"),
    "import_already_kept": ("以下文件与此前导入的文件内容完全相同，不会重复导入：{names}",
        "These files are identical to files imported before and add nothing: {names}"),
    "import_files_table": ("各文件的行", "Rows per file"),
    "import_col_file": ("文件", "File"),
    "import_col_loaded": ("接受", "Accepted"),
    "import_col_rejected": ("拒绝", "Rejected"),
    "import_col_message": ("说明", "Remarks"),
    "import_rejects_of": ("“{name}”被拒绝的 {n} 行", "{n:rejected row|rejected rows} of “{name}”"),
    "import_col_value": ("值", "Value"),
    "import_indicators": ("指标：导入前 → 导入后（全街道）", "Indicators: before → after (whole subdistrict)"),
    "import_indicators_of": ("指标：导入前 → 导入后（{scope}）", "Indicators: before → after ({scope})"),
    "import_scope": ("您的账号仅限{scope}：导入的数据归入{scope}，未填写街道的行计入{scope}；写明其他街道、或属于其他街道社区的行会使导入被拒绝。",
                     "Your account is limited to {scope}: what you import belongs to {scope}, rows without a subdistrict "
                     "count as {scope}, and a row naming another subdistrict or one of its communities refuses the import."),
    "import_scope_refused": ("以下 {n} 处超出您账号的街道（{scope}），不能确认导入。请修改文件后重新上传：",
                             "{n} rows are outside your account's subdistrict ({scope}); the import cannot be confirmed. "
                             "Correct the files and upload them again:"),
    "import_scope_more": ("……另有 {n} 处未列出", "… and {n} more not listed"),
    "import_years": ("涉及年度：{years}", "Years affected: {years}"),
    "import_no_years": ("导入不改变任何年度的指标。", "The import changes no indicator in any year."),
    "import_no_change": ("涉及年度的指标均无变化。", "No indicator of the affected years changes."),
    "import_show_all": ("显示涉及年度的全部指标", "Show every indicator of the affected years"),
    "import_col_before": ("导入前", "Before"),
    "import_col_after": ("导入后", "After"),
    "import_col_change": ("变化", "Change"),
    "import_gi_check": ("导入后政府信息公开年报表格核对不通过：{problem}",
        "After the import a GI annual-report table check fails: {problem}"),
    "import_all_templates": ("全部模板（zip）", "All templates (zip)"),
    "import_confirm": ("确认导入", "Confirm import"),
    "import_cancel": ("取消", "Cancel"),
    "import_confirm_running": ("正在导入……", "Importing…"),
    "import_confirm_done": ("导入完成", "Import complete"),
    "import_confirm_failed": ("导入失败，数据库未作任何更改：{error}", "Import failed; nothing was changed: {error}"),
    "import_stage_saving": ("保存上传文件", "Saving the uploaded files"),
    "import_stage_building": ("重建并校验数据库", "Rebuilding and testing the database"),
    "import_stage_cleaning": ("清理预览文件", "Removing the preview"),
    "import_stage_published": ("新数据库已发布", "New database published"),
    "import_imported": ("已导入 {files} 个文件，接受 {loaded} 行、拒绝 {rejected} 行；新数据库已发布（运行编号 {run}），各页面已使用新数据。",
        "Imported {files:file|files}: {loaded:row|rows} accepted, {rejected} rejected; the new database is published (run {run}) and every page now reads it."),
    "import_cancelled": ("已取消导入，数据库未作任何更改。", "Import cancelled; nothing was changed."),
    "import_kept": ("已导入的文件（保存在数据库旁的 uploads 文件夹，文件名含 SHA-256 校验和）",
        "Imported files (kept in the uploads folder beside the database, named by their SHA-256 checksum)"),
    "import_kept_none": ("还没有通过本页导入的文件。", "No file has been imported through this page yet."),
    "import_col_original": ("原文件名", "Original name"),
    "import_col_stored": ("保存为", "Stored as"),
    "import_col_uploaded": ("导入时间", "Imported at"),
    # 已发布报告: import, labels, disagreements (issue 12)
    "ri_title": ("导入已发布报告", "Import a published report"),
    "ri_help": ("上传已发布的法治政府建设年度报告或政府信息公开工作年度报告（.txt、.html、.docx、.pdf）。系统读出报告中的数字并对应到指标，请逐条核对：勾选或取消“采用”、修改数值、为未对应的数字选择指标。生成预览后，采用的数字作为填报值（来源：已发布报告）与其他文件一样预览、确认、发布；在没有台账记录的年度，它们补齐指标的历史，有台账记录的年度以台账为准。",
                "Upload a published annual report on rule-of-law government or on information disclosure (.txt, .html, .docx, .pdf). Its figures are read and mapped to indicators; check each one: tick or untick “Accept”, edit values, choose an indicator for unmapped figures. The accepted figures then become reported values (source: published report) and go through the same preview, confirm and publish as any file; they fill the history of years without records, and where records exist the records count."),
    "ri_file": ("选择报告文件", "Choose a report file"),
    "ri_year": ("报告年度（留空则从标题或落款日期识别）", "Report year (blank: from its title or date)"),
    "ri_read_failed": ("无法读取报告：{error}", "The report could not be read: {error}"),
    "ri_summary": ("《{title}》（{year}年）：读出 {n} 个数字，其中 {mapped} 个已对应指标。",
                   "“{title}” ({year}): {n:figure|figures} read, {mapped} mapped to indicators."),
    "ri_check": ("请核对：{check}", "Please check: {check}"),
    "ri_col_accept": ("采用", "Accept"),
    "ri_col_part": ("分项", "Part"),
    "ri_col_qualifier": ("限定", "Qualifier"),
    "ri_col_unit": ("单位", "Unit"),
    "ri_col_sentence": ("原句", "Sentence"),
    "ri_col_flag": ("提示", "Flag"),
    "ri_gi_tables": ("同时导入报告中的政府信息公开年报表格（表二、表三、表四，共 {n} 个单元格）",
                     "Also import the report's statutory disclosure tables (tables 2–4, {n:cell|cells})"),
    "ri_gi_violation": ("年报表格的勾稽关系不符：{problem}", "The disclosure tables do not add up: {problem}"),
    "ri_gi_problem": ("年报表格中未能读取的部分：{problem}", "Part of the disclosure tables could not be read: {problem}"),
    "ri_invalid": ("无法生成导入文件：{error}", "The import file could not be made: {error}"),
    "records_published": ("该数字取自已发布报告（该年度没有台账记录），以下为报告中的原句。",
                          "This figure comes from a published report (no records for this year); the report's sentence is below."),
    "tile_published": ("来源：已发布报告", "Source: published report"),
    "trend_published": ("趋势中 {years} 年的数字来源：已发布报告", "Trend: {years} from published reports"),
    "dq_published": ("已发布报告与台账记录不一致", "Published reports that disagree with the records"),
    "dq_published_caption": ("同一指标、年度既有台账记录又有已发布报告的数字、且两者不一致时列在这里；各页面以台账记录为准。",
                             "Where an indicator and year have both records and a published figure and they disagree; every page shows the records' figure."),
    "dq_published_none": ("没有不一致：导入的已发布报告数字与台账记录相符，或在没有台账记录的年度补齐了历史。",
                          "No disagreement: imported published figures agree with the records, or fill years without records."),
    "dq_pub_recorded": ("台账记录", "Records"),
    "dq_pub_published": ("已发布报告", "Published"),
    "dq_pub_at_least": ("至少 ", "at least "),
    "dq_pub_report": ("报告", "Report"),
    "import_col_uploaded_by": ("导入人", "Imported by"),
    "import_replaced": ("本次导入将更正的已有记录（同一键以后上传的文件为准）",
        "Existing records this import replaces (on the same key the later upload wins)"),
    "import_col_key": ("键", "Key"),
    "import_col_replaced_file": ("原记录所在文件", "Replaced record's file"),
    "import_col_by_file": ("更正文件", "Corrected by"),
    "import_col_by_row": ("更正行号", "Row in it"),
    # export centre
    "export_community": ("范围", "Scope"),
    "export_intro": ("选择年度和范围，生成一个压缩包：各领域指标图表（PNG）、指标数据（Excel，每个领域一页）和年度报告生成稿（Word、PDF）。报告为中文草稿，供党政办编辑修改。",
        "Choose a year and scope to build one zip: the indicator charts per area (PNG), the indicator data (Excel, one sheet per area) and the generated annual report draft (Word, PDF). The report is written in Chinese, as a draft for the office to edit."),
    "export_build": ("生成导出包", "Build export bundle"),
    "export_building": ("正在生成导出包……", "Building the export bundle…"),
    "export_done": ("导出包已生成（{size}）", "Bundle ready ({size})"),
    "export_failed": ("无法生成导出包：{error}", "Could not build the bundle: {error}"),
    "export_zip": ("下载导出包（.zip）", "Download bundle (.zip)"),
    "export_docx": ("只下载报告（Word）", "Report only (Word)"),
    "export_pdf": ("只下载报告（PDF）", "Report only (PDF)"),
    "export_no_years": ("数据库中没有任何年度的指标数据，无法导出。",
        "The database holds no indicator values for any year; nothing to export."),
    "export_contents": ("压缩包内容", "Bundle contents"),
    # data quality: snapshots and restore
    "snap_title": ("数据库快照与恢复", "Database snapshots and restore"),
    "snap_caption": ("每次发布（构建、导入、恢复）都保留被替换的数据库（最近 {n} 个）。恢复也是一次原子发布，当前数据库会先保留为快照。",
        "Every publish (build, import, restore) keeps the database it replaces (the latest {n}). Restoring is itself an atomic publish; the current database is kept as a snapshot first."),
    "snap_none": ("还没有快照：首次发布之后才会有。", "No snapshots yet: the first is kept at the next publish."),
    "snap_pick": ("要恢复的快照（运行编号）", "Snapshot to restore (run id)"),
    "snap_restore": ("恢复此快照", "Restore this snapshot"),
    "snap_restored": ("已恢复运行 {run} 的数据库（新运行编号 {new}），各页面已使用恢复后的数据。",
        "Restored the database of run {run} (new run {new}); every page now reads it."),
    "snap_withdrawn": ("恢复后的数据库未载入的上传文件已移入 uploads/withdrawn，之后的导入不会再读取：{files}",
        " Uploads the restored database did not load were moved to uploads/withdrawn and later imports will not read them: {files}"),
    "snap_reinstated": ("恢复后的数据库载入过的上传文件已从 uploads/withdrawn 移回：{files}",
        " Uploads the restored database loaded were moved back from uploads/withdrawn: {files}"),
    "snap_failed": ("恢复失败，数据库未作更改：{error}", "Restore failed; nothing was changed: {error}"),
    "snap_run_id": ("运行编号", "Run id"),
    "snap_finished_at": ("完成时间（UTC）", "Finished (UTC)"),
    "snap_changes": ("变化（相对前一次运行）", "Changes (against the run before)"),
    "snap_change_added": ("新增", "added"),
    "snap_change_removed": ("移除", "removed"),
    "snap_change_changed": ("更新", "changed"),
    "snap_confirm_text": ("确认将数据库恢复为运行 {run} 的快照？当前数据库会先保留为快照。恢复原因会记入运行历史。",
        "Restore the database of run {run}? The current database is kept as a snapshot first. The reason is recorded in the run history."),
    "snap_reason": ("恢复原因（必填）", "Reason for the restore (required)"),
    "snap_confirm": ("确认恢复", "Confirm restore"),
    "snap_cancel": ("取消", "Cancel"),
    "snap_reason_required": ("请填写恢复原因，数据库未作更改。", "Give the reason for the restore; nothing was changed."),
    # disclosure: GI annual-report tables
    "gi_title": ("政府信息公开工作年度报告表格（{year}年）", "Government information disclosure annual report tables ({year})"),
    "gi_caption": ("按国办公开办函〔2021〕30号模板排列；已导入已发布年报的年度以已发布数为准，其余由台账计算。",
        "Laid out as the national template of the State Council General Office ([2021] No. 30); published figures win where loaded, otherwise computed from the records."),
    "gi_xlsx": ("下载表二至表四（Excel，模板格式）", "Download tables II–IV (Excel, template layout)"),
}


class _Formatter(string.Formatter):
    """`{n:case|cases}` is the number and the word in the singular for exactly one, else the plural
    ('1 case', '2 cases', '0 cases'): English strings count things with it."""

    def format_field(self, value: object, format_spec: str) -> str:
        if "|" in format_spec:
            one, many = format_spec.split("|", 1)
            return f"{value} {one if is_one(value) else many}"
        return super().format_field(value, format_spec)


_FORMATTER = _Formatter()


def is_one(value: object) -> bool:
    """Whether a count, or a number as shown ('1', '1.00', '-1', '+1'), is exactly one."""
    try:
        return abs(float(str(value).replace(",", ""))) == 1
    except ValueError:
        return False


def t(key: str, lang: str, **values: object) -> str:
    """The UI string `key` in `lang`, with `{name}` placeholders filled from `values` (`{n:row|rows}`:
    the number with the word in the singular for one)."""
    zh, en = _STRINGS[key]
    text = en if lang == "en" else zh
    return _FORMATTER.format(text, **values) if values else text


# English units in the singular where the catalogue's plural does not end in a plain -s.
_SINGULAR_EN = {"people": "person", "persons": "person", "person-times": "person-time"}


def unit_after(number: str, unit: str, lang: str) -> str:
    """A unit as written after `number` (the number as shown): in English the singular for exactly one
    ('1 case', '1 person', '1 copy', '1 person-time'), else the unit as the catalogue writes it; Chinese
    units have no plural."""
    if lang != "en" or not is_one(number):
        return unit
    if unit in _SINGULAR_EN:
        return _SINGULAR_EN[unit]
    if unit.endswith("ies") and len(unit) > 4:
        return unit[:-3] + "y"                                      # communities, copies, activities
    if unit.endswith(("sses", "shes", "ches", "xes")):
        return unit[:-2]
    if unit.endswith("s") and not unit.endswith(("ss", "us", "is")) and len(unit) > 2:
        return unit[:-1]                                            # cases, items, sessions, points
    return unit


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
    "达标得分": "All or nothing", "按比例": "Proportional", "每件扣分": "Deduction per unit",
    "街道": "Subdistrict", "社区": "Community",
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


def with_unit(text: str, unit: str, lang: str) -> str:
    """'数量（件）' / 'Count (cases)': an axis title or column header with its unit."""
    return f"{text}（{unit}）" if lang == "zh" else f"{text} ({unit})"
