"""The write side's messages to users, in Chinese and English, and their translation for the app.

etl/ stores and raises its messages in Chinese (rejects.reason, etl_files.message, the GI checks,
error texts): the command line and the exports are Chinese first, and much of it is built in SQL.
`translate(text, "en")` gives the English of such a stored message by matching it against the
Chinese templates of MESSAGES; several messages joined with "；" or "\\n" are translated part by
part, and a message not in the catalogue comes back unchanged. `message(key, **values)` builds the
Chinese text of an entry, for code that words its message from here.

A placeholder is `{name}`; the name, without trailing digits, says how its text becomes English
(see `_PLACEHOLDERS`): a field's Chinese header becomes the field's English name (the header files
and the English UI use), a record type's Chinese name its English name, a list of allowed values
is quoted value by value, a nested message is translated in turn. Any other placeholder is a user
value (a cell, a file name, a number) and is kept as written; the English templates quote those
that may hold Chinese, so an English reader sees what is data and what is the message.
"""
from __future__ import annotations

import functools
import re
from collections.abc import Callable
from dataclasses import dataclass

from etl import schema

_SPLIT_ADVICE_ZH = "未读取；请拆分为多个文件后分别导入"
_SPLIT_ADVICE_EN = "not read. Split it into several files and import them one by one"
_SAVE_AS_ONE_ZH = "；请将整个文件另存为同一种编码"
_SAVE_AS_ONE_EN = "; save the whole file in one encoding"
_FIGURE_ZH = "第 {n} 个采用的数字（{sentence}…）"
_FIGURE_EN = "Accepted figure {n} (“{sentence}…”)"

# (key, Chinese template, English template), grouped by where etl/ words them.
MESSAGES: tuple[tuple[str, str, str], ...] = (
    # etl/staging.py: one field of a row
    ("not_a_date", "{field}“{value}”不是有效日期", "{field} “{value}” is not a valid date"),
    ("not_an_integer", "{field}“{value}”不是整数", "{field} “{value}” is not a whole number"),
    ("not_a_number", "{field}“{value}”不是有效数字", "{field} “{value}” is not a valid number"),
    ("not_yes_no", "{field}“{value}”应为“是”或“否”", "{field} “{value}” should be “是” (yes) or “否” (no)"),
    ("part_not_allowed", "{field}“{value}”不是允许值（{values}；空白为“值”）",
     "{field} “{value}” is not an allowed value ({values}; blank means “值”)"),
    ("not_allowed", "{field}“{value}”不是允许值（{values}）", "{field} “{value}” is not an allowed value ({values})"),
    ("not_a_community", "{field}“{value}”不是具体社区（此处须填写社区）",
     "{field} “{value}” is not a community (a community must be given here)"),
    ("unknown_community", "{field}“{value}”不在社区名录中", "{field} “{value}” is not in the community list"),
    ("unknown_subdistrict", "{field}“{value}”不在社区名录的街道中（{subdistricts}）",
     "{field} “{value}” is not a subdistrict of the community list ({subdistricts})"),
    ("subdistrict_needed", "社区名录中有多个街道（{subdistricts}）：请填写“街道”，或把文件放在以街道命名的文件夹中",
     "The community list has several subdistricts ({subdistricts}): fill in subdistrict, or put the file in a folder "
     "named after its subdistrict"),
    ("required_empty", "必填字段“{field}”为空", "Required field {field} is empty"),
    ("below_minimum", "{field}“{value}”小于最小值{limit}", "{field} “{value}” is below the minimum {limit}"),
    ("above_maximum", "{field}“{value}”大于最大值{limit}", "{field} “{value}” is above the maximum {limit}"),
    # etl/staging.py: a row as a whole
    ("closed_date_missing", "状态为“审结”的案件须填写结案日期",
     "A case whose status is “审结” (concluded) needs a closed_date"),
    ("closed_before_filed", "结案日期“{date}”早于收案日期“{date2}”", "closed_date “{date}” is before filed_date “{date2}”"),
    ("unknown_indicator", "指标编号“{value}”不在指标目录中", "indicator_id “{value}” is not in the indicator catalogue"),
    ("unknown_weak_area", "短板编号“{value}”不在短板目录中（{values}）",
     "weak_area_id “{value}” is not in the weak-area list ({values})"),
    ("target_unrated", "指标“{value}”不评价（没有方向），不设目标",
     "Indicator “{value}” is not rated (it has no direction), so it takes no target"),
    ("target_scope_subdistrict", "范围为“街道”时社区须为空；某个社区的目标请把范围填为“社区”",
     "When scope is “街道” (subdistrict), community must be blank; for one community's target set scope to "
     "“社区” (community)"),
    ("target_scope_community", "范围为“社区”时社区空白表示每个社区；“街道本级”不是社区",
     "When scope is “社区” (community), a blank community means every community; “街道本级” (subdistrict "
     "level) is not a community"),
    ("red_above_target", "红线值“{value}”高于目标值“{value2}”：该指标越高越好，红线应不高于目标",
     "red_threshold “{value}” is above target “{value2}”: higher is better for this indicator, so the red line "
     "should not be above the target"),
    ("red_below_target", "红线值“{value}”低于目标值“{value2}”：该指标越低越好，红线应不低于目标",
     "red_threshold “{value}” is below target “{value2}”: lower is better for this indicator, so the red line "
     "should not be below the target"),
    ("rule_without_points", "填写了计分方式，但未填写分值", "A scoring rule is given but no points"),
    ("per_event_without_deduction", "计分方式为“每件扣分”时须填写扣分值",
     "The rule “每件扣分” (deduct per event) needs a deduction"),
    ("deduction_without_per_event", "扣分值只用于计分方式“每件扣分”",
     "A deduction applies only to the rule “每件扣分” (deduct per event)"),
    ("negative_proportional_target", "按比例计分的目标值不能为负数",
     "A target scored “按比例” (proportionally) cannot be negative"),
    ("indicator_id_pattern", "指标编号“{value}”须以小写字母开头，只含小写字母、数字和下划线（至多63个字符）",
     "indicator_id “{value}” must start with a lowercase letter and hold only lowercase letters, digits and "
     "underscores (at most 63 characters)"),
    ("indicator_computed", "指标“{value}”由记录计算，口径由程序维护，不能通过导入修改",
     "Indicator “{value}” is computed from the records; its definition is kept by the program and cannot be "
     "changed by an import"),
    ("version_pattern", "版本“{value}”应由数字和点组成，如 2026.2", "version “{value}” should be digits and dots, such as 2026.2"),
    ("version_not_higher", "版本“{value}”须高于指标目录中该指标的现行版本“{value2}”",
     "version “{value}” must be higher than the indicator's current version “{value2}” in the catalogue"),
    ("kind_changed", "已在指标目录中的指标不能改变类型（现为“{value}”）",
     "An indicator already in the catalogue cannot change its kind (now “{value}”)"),
    ("unknown_area", "领域“{value}”不在领域目录中（{areas}）", "area “{value}” is not in the area list ({areas})"),
    # etl/staging.py: repeated keys, missing columns
    ("replaced", "{fields}“{key}”已由 {file} 第{row}行更正（以后上传的为准）",
     "{fields} “{key}” was corrected by “{file}” row {row} (the later upload counts)"),
    ("identical", "与 {file} 第{row}行完全相同，重复行只计一次", "Identical to “{file}” row {row}; a repeated row counts once"),
    ("duplicate", "{fields}“{key}”与 {file} 第{row}行重复但内容不同，保留先出现的行",
     "{fields} “{key}” repeats “{file}” row {row} with different content; the first row is kept"),
    ("missing_columns", "文件缺少必填列{columns}", "The file lacks the required columns {columns}"),
    # etl/unusable_cells.py
    ("foreign_gbk_part", "{field}“{value}”中的“{part}”是 GBK/GB18030 编码（按 GBK 读出），与文件其余部分的 UTF-8 编码不一致"
     + _SAVE_AS_ONE_ZH,
     "{field} “{value}”: “{part}” is GBK/GB18030 (read as GBK) while the rest of the file is UTF-8" + _SAVE_AS_ONE_EN),
    ("foreign_gbk", "{field}“{value}”是 GBK/GB18030 编码（按 GBK 读出），与文件其余部分的 UTF-8 编码不一致" + _SAVE_AS_ONE_ZH,
     "{field} “{value}” is GBK/GB18030 (read as GBK) while the rest of the file is UTF-8" + _SAVE_AS_ONE_EN),
    ("foreign_utf8_part", "{field}“{value}”中的“{part}”是 UTF-8 编码，与文件其余部分的 GBK/GB18030 编码不一致（会读成乱码）"
     + _SAVE_AS_ONE_ZH,
     "{field} “{value}”: “{part}” is UTF-8 while the rest of the file is GBK/GB18030 (it would read as garbled "
     "text)" + _SAVE_AS_ONE_EN),
    ("foreign_utf8", "{field}“{value}”是 UTF-8 编码，与文件其余部分的 GBK/GB18030 编码不一致（会读成乱码）" + _SAVE_AS_ONE_ZH,
     "{field} “{value}” is UTF-8 while the rest of the file is GBK/GB18030 (it would read as garbled text)"
     + _SAVE_AS_ONE_EN),
    ("control_character", "{field}“{value}”含不可见的控制字符（{code}）",
     "{field} “{value}” holds an invisible control character ({code})"),
    ("cell_too_long", "{field}有 {n} 个字符，超过 Excel 单元格的上限 {limit} 个字符",
     "{field} has {n} characters, more than the {limit} an Excel cell holds"),
    # etl/readers.py, etl/csv_encoding.py, etl/xlsx_package.py: a file's remarks and why it cannot be read
    ("unreadable", "无法读取：{message}", "Cannot be read: {message}"),
    ("same_content", "内容与 {file} 完全相同，已整体跳过", "Same content as “{file}”; skipped whole"),
    ("missing_columns_rejected", "缺少必填列{columns}，全部行被拒绝",
     "Required columns missing: {columns}; every row is rejected"),
    ("ignored_columns", "忽略未知列：{headers}", "Unknown columns ignored: {headers}"),
    ("mixed_utf8", "文件混用了两种编码：以 UTF-8 为主，{n} 处不是 UTF-8（按 GBK 读出）；含这些文字的行被拒绝",
     "The file mixes two encodings: mostly UTF-8, but {n} places are not UTF-8 (read as GBK); the rows with "
     "that text are rejected"),
    ("mixed_gbk", "文件混用了两种编码：以 GBK/GB18030 为主，{n} 处为 UTF-8；含这些文字的行被拒绝",
     "The file mixes two encodings: mostly GBK/GB18030, but {n} places are UTF-8; the rows with that text are "
     "rejected"),
    ("sheet_read", "读取工作表“{sheet}”", "Read the sheet “{sheet}”"),
    ("csv_unparsable", "CSV 格式无法解析（{detail}）", "The CSV cannot be parsed ({detail})"),
    ("type_unknown", "无法识别记录类型：文件名不以记录类型开头，表头也不匹配任何记录类型",
     "Record type not recognised: the file name does not start with a record type, and the headers match none"),
    ("file_empty", "文件为空", "The file is empty"),
    ("not_a_header", "第1行不是“{type}”的表头：没有一列能对应到字段",
     "Row 1 is not a header of {type}: no column matches a field"),
    ("sheet_damaged", "工作表“{sheet}”已损坏，无法读取（{error}）", "The sheet “{sheet}” is damaged and cannot be read ({error})"),
    ("no_sheets", "工作簿没有工作表", "The workbook has no sheets"),
    ("no_header_sheet", "没有找到含表头的工作表（前10行中没有可识别的表头）",
     "No sheet with a header (none of the first 10 rows is a recognisable header)"),
    ("unsupported_type", "不支持的文件类型“{suffix}”（只接受 .csv 和 .xlsx）",
     "Unsupported file type “{suffix}” (only .csv and .xlsx are accepted)"),
    ("encoding_unknown", "无法识别文件编码（已尝试 UTF-8、UTF-8 BOM、GBK/GB18030）",
     "The file's encoding is not recognised (tried UTF-8, UTF-8 BOM, GBK/GB18030)"),
    ("binary", "不是文本文件（含二进制内容），无法按 CSV 读取", "Not a text file (it holds binary content); it cannot be read as CSV"),
    ("bad_setting", "配置项 {variable} 的值“{value}”不是正整数，无法读取 Excel 文件",
     "The setting {variable} is “{value}”, not a positive whole number; Excel files cannot be read"),
    ("too_many_rows", "工作表超过 {limit} 行的上限，" + _SPLIT_ADVICE_ZH,
     "The sheet has more than the limit of {limit} rows; " + _SPLIT_ADVICE_EN),
    ("too_many_rows_declared", "工作表有 {n} 行，超过 {limit} 行的上限，" + _SPLIT_ADVICE_ZH,
     "The sheet has {n} rows, more than the limit of {limit}; " + _SPLIT_ADVICE_EN),
    ("not_a_workbook", "不是有效的 Excel (.xlsx) 文件（{error}）", "Not a valid Excel (.xlsx) file ({error})"),
    ("too_large_unzipped", "解压后共 {size} MB，超过 {limit} MB 的上限，" + _SPLIT_ADVICE_ZH,
     "{size} MB unzipped, more than the limit of {limit} MB; " + _SPLIT_ADVICE_EN),
    # etl/intake.py
    ("refused_suffix", "“{name}”不是 CSV 或 XLSX 文件，未导入（只接受 .csv 和 .xlsx）。",
     "“{name}” is not a CSV or XLSX file and was not imported (only .csv and .xlsx are accepted)."),
    ("refused_size", "“{name}”大小 {size} MB，超过 50 MB 上限，未导入。",
     "“{name}” is {size} MB, more than the 50 MB limit; not imported."),
    ("refused_type", "“{name}”：未知的记录类型“{value}”，未导入。", "“{name}”: unknown record type “{value}”; not imported."),
    ("refused_unreadable", "“{name}”无法读取，未导入：{message}", "“{name}” cannot be read and was not imported: {message}"),
    ("data_dir_gone", "当前数据库的数据目录 {folder} 已不存在，无法预览导入。",
     "The data folder of the current database, “{folder}”, no longer exists; the import cannot be previewed."),
    ("nothing_new", "没有需要导入的新文件（文件被拒绝，或与此前导入的文件完全相同），数据库未作更改。",
     "No new files to import (the files were refused, or are identical to files imported before); the "
     "database was not changed."),
    # etl/intake.py: the upload of an account limited to one subdistrict
    ("scope_other_subdistrict", "“{name}”第 {row} 行：{field}“{value}”不是本账号的街道（{scope}），街道账号只能导入本街道的数据",
     "“{name}” row {row}: {field} “{value}” is not this account's subdistrict (“{scope}”); an account limited "
     "to a subdistrict imports only its own data"),
    ("scope_other_community", "“{name}”第 {row} 行：{field}“{value}”属于{other}，不是本账号的街道（{scope}），"
     "街道账号只能导入本街道的数据",
     "“{name}” row {row}: {field} “{value}” belongs to “{other}”, not to this account's subdistrict (“{scope}”); "
     "an account limited to a subdistrict imports only its own data"),
    ("scope_every_subdistrict", "“{name}”第 {row} 行：{field}为空，将适用于每个街道；街道账号只能导入本街道（{scope}）的数据，"
     "请填写本街道",
     "“{name}” row {row}: {field} is blank, so it would apply to every subdistrict; an account limited to "
     "“{scope}” imports only its own data: fill in its subdistrict"),
    ("scope_district_wide", "“{name}”是{type}，适用于全区，街道账号（{scope}）不能导入",
     "“{name}” is {type}, which applies to the whole district; an account limited to “{scope}” cannot import it"),
    ("scope_refused", "导入含有本账号街道（{scope}）以外的数据，已拒绝，数据库未作更改。",
     "The import holds data outside this account's subdistrict (“{scope}”); refused, the database was not changed."),
    # etl/errors.py (StorageError), etl/build.py, etl/datatests.py, etl/publish.py
    ("disk_full", "磁盘空间不足，无法写入 {folder}；{doing}未完成，数据库未作更改。请清理磁盘空间后重试。",
     "Not enough disk space to write to “{folder}”; the {doing} did not complete and the database was not "
     "changed. Free some disk space and try again."),
    ("not_writable", "文件夹 {folder} 不可写（只读或没有写入权限）；{doing}未完成，数据库未作更改。请联系管理员。",
     "The folder “{folder}” cannot be written to (read-only, or no permission); the {doing} did not complete "
     "and the database was not changed. Contact the administrator."),
    ("write_failed", "写入 {folder} 时出错（{error}）；{doing}未完成，数据库未作更改。请稍后重试。",
     "Writing to “{folder}” failed ({error}); the {doing} did not complete and the database was not changed. "
     "Try again later."),
    ("build_failed", "构建或发布时出错，未发布，原数据库保持不变：{message}",
     "The build or publish failed; nothing was published and the database is unchanged: {message}"),
    ("history_unreadable", "上一个数据库的运行历史无法读取，未能延续：{message}",
     "The run history of the previous database could not be read and was not carried forward: {message}"),
    ("communities_skipped", "未提供社区名录（文件中没有社区名录，也没有可用的数据库），社区校验已跳过",
     "No community list (none among the files and no database to take it from); community checks skipped"),
    ("data_tests_failed", "数据测试未通过，未发布：{message}", "Data tests failed; nothing was published: {message}"),
    ("dt_duplicate_keys", "{relation}：键（{key}）有 {n} 组重复", "{relation}: {n} keys ({key}) occur more than once"),
    ("dt_required_empty", "{relation}：必填字段 {column} 有 {n} 行为空", "{relation}: required field {column} is empty in {n} rows"),
    ("dt_not_allowed", "{relation}：字段 {column} 有 {n} 行不是允许值", "{relation}: field {column} has a value not allowed in {n} rows"),
    ("dt_unknown_indicators", "mart_indicator_values：有 {n} 个指标编号不在指标目录中",
     "mart_indicator_values: {n} indicator ids are not in the catalogue"),
    ("dt_balance", "{file}：读取 {n} 行，但载入 + 拒绝 = {m} 行", "“{file}”: {n} rows read, but loaded + rejected = {m}"),
    ("dt_replacements_mismatch", "replacements：有 {n} 行与 rejects 中的 replaced 行不一致",
     "replacements: {n} rows disagree with the replaced rows of rejects"),
    ("dt_replacements_unloaded", "replacements：有 {n} 行所指的更正行未载入",
     "replacements: {n} rows name a correcting row that was not loaded"),
    ("dt_points_range", "mart_scores：有 {n} 行得分不在 0 与分值之间",
     "mart_scores: {n} rows have points outside 0 and the points available"),
    ("dt_points_sum", "mart_scores：有 {n} 个领域或合计与其指标得分之和不符",
     "mart_scores: {n} areas or totals differ from the sum of their indicators' points"),
    ("publish_busy", "另一项发布（构建、导入或恢复）正在进行，等待 {seconds} 秒后仍未结束；数据库未作更改，请稍后重试。",
     "Another publish (build, import or restore) is under way and did not end within {seconds} seconds; the "
     "database was not changed. Try again later."),
    ("no_snapshot", "没有运行“{run}”的快照（现有快照：{runs}）", "There is no snapshot of run “{run}” (snapshots kept: {runs})"),
    ("restore_failed", "恢复时出错，数据库未作更改：{message}", "The restore failed; the database was not changed: {message}"),
    # etl/gi_annual.py: the 政府信息公开年报 tables' checks and notes
    ("gi_detail_missing", "{year}年有{n}件“{value}”的申请未填写对应的办理结果细项，未计入细项行。",
     "{year}: {n} requests with the result “{value}” have no result detail and are not counted in the detail "
     "rows."),
    ("gi_result_missing", "{year}年有{n}件已答复的申请未填写办理结果，未计入办理结果各行。",
     "{year}: {n} answered requests have no result and are not counted in the result rows."),
    ("gi_unknown_cell", "{year}年{table}中的“{row} / {column}”不是年报模板中的单元格，未采用。",
     "{year} {table}: “{row} / {column}” is not a cell of the annual-report template; not used."),
    ("gi_identity", "{year}年表三“{column}”列：本年新收 {a} + 上年结转 {b} = {c}，但总计 {d} + 结转下年度 {e} = {f}。",
     "{year} Table III, column “{column}”: received this year {a} + carried over {b} = {c}, but total {d} + "
     "carried to next year {e} = {f}."),
    ("gi_results_sum", "{year}年表三“{column}”列：办理结果各项之和 {a} 不等于（七）总计 {b}。",
     "{year} Table III, column “{column}”: the results add up to {a}, not to the total of row 7, {b}."),
    ("gi_requesters_sum", "{year}年表三“{row}”行：各类申请人之和 {a} 不等于总计 {b}。",
     "{year} Table III, row “{row}”: the requester columns add up to {a}, not to the total {b}."),
    ("gi_difference", "{year}年{table}“{row} / {column}”：已发布 {a}，台账记录为 {b}。",
     "{year} {table} “{row} / {column}”: published {a}, the records give {b}."),
    # etl/gi_report_reader.py, etl/report_reader.py, etl/report_document.py, etl/report_import.py
    ("gi_old_table2", "表二为2021年以前的旧版格式（栏目不同），未读取。",
     "Table II is in the format used before 2021 (other columns); not read."),
    ("gi_table2_count", "表二“{row}”行有 {n} 个数，应为 {m} 个，未读取。",
     "Table II, row “{row}” has {n} numbers where {m} belong; not read."),
    ("gi_table3_unknown_row", "表三“{row}”行不是模板中的行，未读取。", "Table III, row “{row}” is not a row of the template; not read."),
    ("gi_table3_count", "表三“{row}”行有 {n} 个数，应为 {m} 个（或只有总计 1 个），未读取。",
     "Table III, row “{row}” has {n} numbers where {m} (or the total alone) belong; not read."),
    ("gi_table4_count", "表四应有一行 {n} 个数，读到的行有 {counts} 个，未读取。",
     "Table IV should have one row of {n} numbers; the rows read have {counts}; not read."),
    ("gi_table4_sum", "{year}年表四“{group}”：各项之和 {a} 不等于总计 {b}。",
     "{year} Table IV, “{group}”: the parts add up to {a}, not to the total {b}."),
    ("report_year_unknown", "{file}：无法从标题或落款日期确定报告年度，请指定年度（--year）",
     "“{file}”: the report's year cannot be told from its title or date; give the year"),
    ("report_year_unknown_bare", "无法从标题或落款日期确定报告年度，请指定年度（--year）",
     "The report's year cannot be told from its title or date; give the year"),
    ("report_parts_total", "分项之和 {a} 与总数 {b} 不一致（两者均已列出，请核对）：{sentence}",
     "The parts add up to {a}, not to the total {b} (both are listed; please check): “{sentence}”"),
    ("report_parts_total_flag", "分项之和 {a} 与总数 {b} 不一致（两者均已列出，请核对）",
     "The parts add up to {a}, not to the total {b} (both are listed; please check)"),
    ("report_two_values", "{indicator}（{year}年，{place}{part}）在报告中有不同数值：{counts}，请选定一个",
     "{indicator} ({year}, {place}{part}) has different values in the report: {counts}; choose one"),
    ("text_encoding_unknown", "无法识别文本编码（已尝试 UTF-8、GBK/GB18030）",
     "The text's encoding is not recognised (tried UTF-8, GBK/GB18030)"),
    ("not_a_docx", "不是有效的 Word (.docx) 文件", "Not a valid Word (.docx) file"),
    ("pdftotext_missing", "读取 PDF 需要 pdftotext（Debian 软件包 poppler-utils），请先安装",
     "Reading a PDF needs pdftotext (Debian package poppler-utils); install it first"),
    ("pdf_unreadable", "无法读取 PDF 的文字层（文件损坏或加密）", "The PDF's text layer cannot be read (the file is damaged or encrypted)"),
    ("pdf_no_text", "PDF 没有文字层（可能是扫描件），无法读取", "The PDF has no text layer (it may be a scan); it cannot be read"),
    ("report_unsupported", "不支持的文件类型“{suffix}”，请上传 .txt、.html、.docx 或 .pdf",
     "Unsupported file type “{suffix}”; upload a .txt, .html, .docx or .pdf file"),
    ("nothing_accepted", "没有采用任何数字：请在“采用”一列勾选要导入的数字。",
     "No figure accepted: tick the figures to import in the Accept column."),
    ("figure_no_indicator", _FIGURE_ZH + "没有对应指标：请选择指标，或取消采用。",
     _FIGURE_EN + " has no indicator: choose one, or stop accepting the figure."),
    ("figure_incomplete", _FIGURE_ZH + "缺少数值或年度。", _FIGURE_EN + " lacks a value or a year."),
    ("figure_conflict", _FIGURE_ZH + "与另一个采用的数字是同一指标、年度、社区和分项，但数值不同：请只保留一个。",
     _FIGURE_EN + " has the indicator, year, community and part of another accepted figure but another value: "
     "keep only one."),
    # etl/marts.py, etl/published_figures.py: why a cell has no value, and the caveats shown with values
    ("no_case_records", "该年度没有案件记录", "No case records for this year"),
    ("no_disclosure_records", "该年度没有政务公开记录", "No disclosure records for this year"),
    ("no_outreach_records", "该年度没有普法与法律服务记录", "No legal-education and service records for this year"),
    ("no_designation_records", "没有任何示范称号记录", "No model-community title records"),
    ("not_reported", "该年度未填报", "Not reported for this year"),
    ("not_reported_community", "该社区该年度未填报", "Not reported for this community for this year"),
    ("score_not_additive", "得分不跨街道相加，全区无合计",
     "Scores do not add up across subdistricts: the district has no total"),
    ("subdistricts_reported", "{n}/{m} 个街道填报", "Reported by {n} of {m} subdistricts"),
    ("no_community_split", "政务公开记录不分社区，只有街道整体数值",
     "Disclosure records are not kept by community: there is only the whole subdistrict's figure"),
    ("denominator_not_reported", "分母为0或未填报：该年度未填报{denominator}，或填报为0",
     "Denominator 0 or not reported: {denominator} was not reported for this year, or was reported as 0"),
    ("zero_litigation_concluded", "分母为0：该年度无审结的行政诉讼案件",
     "Denominator 0: no administrative litigation case was concluded this year"),
    ("zero_litigation_heard", "分母为0：该年度无审结的开庭审理行政诉讼案件",
     "Denominator 0: no administrative litigation case heard in court was concluded this year"),
    ("zero_review_concluded", "分母为0：该年度无审结的行政复议案件",
     "Denominator 0: no administrative review case was concluded this year"),
    ("zero_litigation_new", "分母为0：该年度无新增行政诉讼案件", "Denominator 0: no new administrative litigation case this year"),
    ("zero_disputes_concluded", "分母为0：该年度无审结的行政复议、行政诉讼和行政争议调解案件",
     "Denominator 0: no administrative review, litigation or dispute mediation case was concluded this year"),
    ("zero_mediation_concluded", "分母为0：该年度无审结的矛盾纠纷调解案件",
     "Denominator 0: no civil dispute mediation case was concluded this year"),
    ("zero_satisfaction", "分母为0：该年度无记录满意度的已审结矛盾纠纷调解案件",
     "Denominator 0: no civil dispute mediation case concluded this year has a satisfaction score"),
    ("zero_requests_answered", "分母为0：该年度无已答复的依申请公开申请",
     "Denominator 0: no disclosure request was answered this year"),
    ("zero_communities", "分母为0：社区名录为空", "Denominator 0: the community list is empty"),
    ("note_satisfaction", "分子为满意度之和，分母为记录满意度的案件数",
     "Numerator: the sum of the satisfaction scores; denominator: the cases with a score"),
    ("note_website_only", "仅统计网站渠道，可跨年度比较", "The website channel only; comparable across years"),
    ("note_working_days", "工作日只扣除周六、周日，未计法定节假日",
     "Working days leave out Saturdays and Sundays only, not public holidays"),
    ("note_title_status", "按称号的现状态统计，未记录撤销年份",
     "Counted by each title's present status; the year a title was revoked is not recorded"),
    ("note_channels", "本年度统计渠道：{channels}", "Channels counted this year: {channels}"),
    ("note_channels_differ", "各年度统计的渠道不同，跨年度比较请看“主动公开信息（网站）”",
     "The years count different channels; to compare years see the website-only figure"),
    ("published_label", "来源：已发布报告", "Source: published report"),
    ("published_label_titled", "来源：已发布报告（{title}）", "Source: published report (“{title}”)"),
    ("published_floor", "报告所写为下限（余、以上等）", "the report gives a lower bound (more than, at least …)"),
    # etl/errors.py: str() of a FileReadError
    ("file_reason", "{filename}: {known}", "“{filename}”: {known}"),
)

_TABLES_EN = {"表二": "Table II", "表三": "Table III", "表四": "Table IV"}
_DENOMINATORS_EN = {"高频执法事项数（分母）": "the number of high-frequency enforcement matters",
                    "应审核事项数（分母）": "the number of matters needing a legality review", "分母": "the denominator"}
_CHANNELS_EN = {"网站": "website", "微博": "Weibo", "微信": "WeChat", "公开栏": "notice board",
                "未注明渠道": "channel not recorded"}
_DOING_EN = {"构建": "build", "导入": "import", "预览": "preview", "发布": "publish", "恢复": "restore"}
_HEADERS_EN = {f.header_zh: f.name for rt in schema.RECORD_TYPES.values() for f in rt.fields}
_TYPES_EN = {rt.name_zh: rt.name for rt in schema.RECORD_TYPES.values()}


class _NotThis(Exception):
    """A placeholder's text is not what the template means there: try the next template."""


def _words(words) -> str:
    """A regex of any of `words`, longest first."""
    return "(?:" + "|".join(re.escape(w) for w in sorted(words, key=len, reverse=True)) + ")"


def _quoted_list(text: str) -> str:
    return ", ".join(f"“{item}”" for item in text.split("、"))


def _areas(text: str) -> str:
    """A1 依法行政、A2 … → A1 “依法行政”, A2 …: the ids and the names a file may give."""
    return ", ".join(" “".join(item.split(" ", 1)) + "”" if " " in item else f"“{item}”" for item in text.split("、"))


def _place(text: str) -> str:
    return f"“{text.removesuffix('，')}”, " if text else ""


def _known(text: str) -> str:
    english = _translate(text)
    if english == text:
        raise _NotThis
    return english


_COLUMN = r"“[^”]*”（[A-Za-z0-9_]+）"
# placeholder name (without trailing digits) → (regex of its Chinese text, its English).
_PLACEHOLDERS: dict[str, tuple[str, Callable[[str], str]]] = {
    "field": (_words(_HEADERS_EN), _HEADERS_EN.__getitem__),
    "fields": (f"{_words(_HEADERS_EN)}(?:、{_words(_HEADERS_EN)})*",
               lambda text: ", ".join(_HEADERS_EN[h] for h in text.split("、"))),
    "columns": (f"{_COLUMN}(?:、{_COLUMN})*", lambda text: ", ".join(re.findall(r"（([A-Za-z0-9_]+)）", text))),
    "type": (_words(_TYPES_EN), _TYPES_EN.__getitem__),
    "table": (_words(_TABLES_EN), _TABLES_EN.__getitem__),
    "doing": (_words(_DOING_EN), _DOING_EN.__getitem__),
    "denominator": (_words(_DENOMINATORS_EN), _DENOMINATORS_EN.__getitem__),
    "channels": (f"{_words(_CHANNELS_EN)}(?:、{_words(_CHANNELS_EN)})*",
                 lambda text: ", ".join(_CHANNELS_EN[c] for c in text.split("、"))),
    "values": (".+?", _quoted_list),
    "headers": ("[^；\n]+?", _quoted_list),     # a file's own headers, before the file's further remarks
    "areas": (".+?", _areas),
    "counts": (".+?", lambda text: text.replace("、", ", ")),
    "subdistricts": (".+?", lambda text: ", ".join(f"“{name}”" for name in text.split("、"))),
    "runs": (".+?", lambda text: "none" if text == "无" else text.replace("、", ", ")),
    "place": ("(?:[^，]+，)?", _place),
    "message": (".+?", lambda text: _translate(text)),
    "known": (".+?", _known),
    # Kept as written, but narrower than any text: where one starts a message, it must not take in
    # the words of another message the first is nested in.
    "filename": (r"[^\n：:]+?\.[A-Za-z0-9]{1,5}", str),
    "file": ("[^：\n]+?", str),
    "year": (r"\d{4}", str),
    "relation": ("[A-Za-z_][A-Za-z0-9_]*", str),
    "indicator": ("[A-Za-z0-9_]+", str),
}
_KEPT = (".+?", str)


@dataclass(frozen=True)
class _Template:
    key: str
    zh: str
    en: str
    pattern: re.Pattern
    anchor: str          # the template's longest literal text: a message without it cannot match

    def english(self, text: str) -> str | None:
        found = self.pattern.fullmatch(text)
        if found is None:
            return None
        values = {}
        try:
            for name, value in found.groupdict().items():
                values[name] = _PLACEHOLDERS.get(name.rstrip("0123456789"), _KEPT)[1](value)
        except _NotThis:
            return None
        return self.en.format(**values)


def _compile(key: str, zh: str, en: str) -> _Template:
    """Literal text escaped, each placeholder a named group of its kind's regex (non-greedy for free text)."""
    pieces = re.split(r"\{(\w+)\}", zh)       # literal, name, literal, name, …, literal
    regex = "".join(re.escape(piece) if i % 2 == 0 else
                    f"(?P<{piece}>{_PLACEHOLDERS.get(piece.rstrip('0123456789'), _KEPT)[0]})"
                    for i, piece in enumerate(pieces))
    return _Template(key, zh, en, re.compile(regex, re.DOTALL), max(pieces[0::2], key=len))


# The most specific template first: the one with the most literal text.
_TEMPLATES = sorted((_compile(*entry) for entry in MESSAGES), key=lambda t: -len(re.sub(r"\{\w+\}", "", t.zh)))
_BY_KEY = {t.key: t for t in _TEMPLATES}
# The most parts of a joined text one message can span (a template may hold the separator itself).
_LONGEST = {sep: 1 + max(t.zh.count(sep) for t in _TEMPLATES) for sep in ("\n", "；")}


def message(key: str, **values: object) -> str:
    """The Chinese text of catalogue entry `key` with its placeholders filled in."""
    return _BY_KEY[key].zh.format(**values)


def _match(text: str) -> str | None:
    for template in _TEMPLATES:
        if template.anchor in text:
            english = template.english(text)
            if english is not None:
                return english
    return None


def _runs(parts: list[str], sep: str) -> list[tuple[str | None, str]]:
    """Parts of a text split at `sep`, taken as the longest runs that are one message each (a template
    may hold `sep` itself), short of the whole: (English or None, the run's text) per run."""
    runs, i = [], 0
    while i < len(parts):
        for j in range(min(len(parts) if i else len(parts) - 1, i + _LONGEST[sep]), i, -1):
            text = sep.join(parts[i:j])
            english = _match(text)
            if english is not None:
                runs.append((english, text))
                i = j
                break
        else:
            runs.append((None, parts[i]))
            i += 1
    return runs


def _translate(text: str) -> str:
    # Several messages joined (lines, or "；"), each in the catalogue, before one message whose user
    # value holds the separator; then parts where only some are known.
    split = {sep: _runs(text.split(sep), sep) for sep in ("\n", "；") if sep in text}
    for sep, runs in split.items():
        if all(english is not None for english, _ in runs):
            return ("\n" if sep == "\n" else "; ").join(english for english, _ in runs)
    whole = _match(text)
    if whole is not None:
        return whole
    if "\n" in split:
        return "\n".join(_translate(line) for line in text.split("\n"))
    runs = split.get("；", [])
    if any(english is not None for english, _ in runs):
        return "; ".join(english or part for english, part in runs)
    return text


@functools.lru_cache(maxsize=8192)
def translate(text: str, lang: str) -> str:
    """A message etl/ stored or raised, in `lang` ("zh": as it is; "en": translated where the catalogue
    knows it, user values kept as written). Anything but a non-empty string comes back as it is."""
    if lang != "en" or not isinstance(text, str) or not text:
        return text
    return _translate(text)
