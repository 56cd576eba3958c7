"""etl.messages: the write side's stored Chinese messages in English, on tiny literals."""
from __future__ import annotations

import re

import pytest

from etl import schema
from etl.messages import MESSAGES, message, translate

# One stored message per catalogue entry, and its exact English.
EXAMPLES = {
    "not_a_date": ("收案日期“2022-13-01”不是有效日期", "filed_date “2022-13-01” is not a valid date"),
    "not_an_integer": ("参与人次“4.5”不是整数", "participants “4.5” is not a whole number"),
    "not_a_number": ("满意度“很好”不是有效数字", "satisfaction “很好” is not a valid number"),
    "not_yes_no": ("是否开庭“也许”应为“是”或“否”", "heard_in_court “也许” should be “是” (yes) or “否” (no)"),
    "part_not_allowed": ("分项“份额”不是允许值（值、分子、分母；空白为“值”）",
                         "part “份额” is not an allowed value (“值”, “分子”, “分母”; blank means “值”)"),
    "not_allowed": ("案件类型“仲裁”不是允许值（行政复议、行政诉讼）",
                    "case_type “仲裁” is not an allowed value (“行政复议”, “行政诉讼”)"),
    "not_a_community": ("社区“街道本级”不是具体社区（此处须填写社区）",
                        "community “街道本级” is not a community (a community must be given here)"),
    "unknown_subdistrict": ("街道“丁街道”不在社区名录的街道中（甲街道、乙街道）",
                            "subdistrict “丁街道” is not a subdistrict of the community list (“甲街道”, “乙街道”)"),
    "subdistrict_needed": ("社区名录中有多个街道（甲街道、乙街道）：请填写“街道”，或把文件放在以街道命名的文件夹中",
                           "The community list has several subdistricts (“甲街道”, “乙街道”): fill in subdistrict, "
                           "or put the file in a folder named after its subdistrict"),
    "unknown_community": ("社区“火星”不在社区名录中", "community “火星” is not in the community list"),
    "required_empty": ("必填字段“案件编号”为空", "Required field case_id is empty"),
    "below_minimum": ("满意度“-1”小于最小值0", "satisfaction “-1” is below the minimum 0"),
    "above_maximum": ("满意度“101”大于最大值100", "satisfaction “101” is above the maximum 100"),
    "closed_date_missing": ("状态为“审结”的案件须填写结案日期",
                            "A case whose status is “审结” (concluded) needs a closed_date"),
    "closed_before_filed": ("结案日期“2022-01-01”早于收案日期“2022-02-01”",
                            "closed_date “2022-01-01” is before filed_date “2022-02-01”"),
    "unknown_indicator": ("指标编号“x1”不在指标目录中", "indicator_id “x1” is not in the indicator catalogue"),
    "unknown_weak_area": ("短板编号“W9”不在短板目录中（W1、W2）", "weak_area_id “W9” is not in the weak-area list (“W1”, “W2”)"),
    "target_unrated": ("指标“x1”不评价（没有方向），不设目标",
                       "Indicator “x1” is not rated (it has no direction), so it takes no target"),
    "target_scope_subdistrict": (
        "范围为“街道”时社区须为空；某个社区的目标请把范围填为“社区”",
        "When scope is “街道” (subdistrict), community must be blank; for one community's target set scope to "
        "“社区” (community)"),
    "target_scope_community": (
        "范围为“社区”时社区空白表示每个社区；“街道本级”不是社区",
        "When scope is “社区” (community), a blank community means every community; “街道本级” (subdistrict "
        "level) is not a community"),
    "red_above_target": ("红线值“50”高于目标值“40”：该指标越高越好，红线应不高于目标",
                         "red_threshold “50” is above target “40”: higher is better for this indicator, so the red "
                         "line should not be above the target"),
    "red_below_target": ("红线值“3”低于目标值“4”：该指标越低越好，红线应不低于目标",
                         "red_threshold “3” is below target “4”: lower is better for this indicator, so the red line "
                         "should not be below the target"),
    "rule_without_points": ("填写了计分方式，但未填写分值", "A scoring rule is given but no points"),
    "per_event_without_deduction": ("计分方式为“每件扣分”时须填写扣分值",
                                    "The rule “每件扣分” (deduct per event) needs a deduction"),
    "deduction_without_per_event": ("扣分值只用于计分方式“每件扣分”",
                                    "A deduction applies only to the rule “每件扣分” (deduct per event)"),
    "negative_proportional_target": ("按比例计分的目标值不能为负数",
                                     "A target scored “按比例” (proportionally) cannot be negative"),
    "indicator_id_pattern": ("指标编号“Abc”须以小写字母开头，只含小写字母、数字和下划线（至多63个字符）",
                             "indicator_id “Abc” must start with a lowercase letter and hold only lowercase letters, "
                             "digits and underscores (at most 63 characters)"),
    "indicator_computed": ("指标“study_sessions”由记录计算，口径由程序维护，不能通过导入修改",
                           "Indicator “study_sessions” is computed from the records; its definition is kept by the "
                           "program and cannot be changed by an import"),
    "version_pattern": ("版本“v2”应由数字和点组成，如 2026.2", "version “v2” should be digits and dots, such as 2026.2"),
    "version_not_higher": ("版本“2020.1”须高于指标目录中该指标的现行版本“2025.1”",
                           "version “2020.1” must be higher than the indicator's current version “2025.1” in the "
                           "catalogue"),
    "kind_changed": ("已在指标目录中的指标不能改变类型（现为“填报值”）",
                     "An indicator already in the catalogue cannot change its kind (now “填报值”)"),
    "unknown_area": ("领域“A9”不在领域目录中（A1 依法行政、A2 政务公开）",
                     "area “A9” is not in the area list (A1 “依法行政”, A2 “政务公开”)"),
    "replaced": ("社区、称号、级别“馒头山、示范社区、国家级”已由 uploads/b.csv 第3行更正（以后上传的为准）",
                 "community, title, level “馒头山、示范社区、国家级” was corrected by “uploads/b.csv” row 3 (the later "
                 "upload counts)"),
    "identical": ("与 案件.csv 第2行完全相同，重复行只计一次", "Identical to “案件.csv” row 2; a repeated row counts once"),
    "duplicate": ("案件编号“C1”与 a.csv 第2行重复但内容不同，保留先出现的行",
                  "case_id “C1” repeats “a.csv” row 2 with different content; the first row is kept"),
    "missing_columns": ("文件缺少必填列“案件编号”（case_id）、“收案日期”（filed_date）",
                        "The file lacks the required columns case_id, filed_date"),
    "foreign_gbk_part": ("活动名称“城乡普法活动”中的“城乡”是 GBK/GB18030 编码（按 GBK 读出），与文件其余部分的 UTF-8 编码不一致；"
                         "请将整个文件另存为同一种编码",
                         "title “城乡普法活动”: “城乡” is GBK/GB18030 (read as GBK) while the rest of the file is UTF-8; "
                         "save the whole file in one encoding"),
    "foreign_gbk": ("活动名称“城乡”是 GBK/GB18030 编码（按 GBK 读出），与文件其余部分的 UTF-8 编码不一致；请将整个文件另存为同一种编码",
                    "title “城乡” is GBK/GB18030 (read as GBK) while the rest of the file is UTF-8; save the whole file "
                    "in one encoding"),
    "foreign_utf8_part": ("活动名称“城乡普法”中的“城乡”是 UTF-8 编码，与文件其余部分的 GBK/GB18030 编码不一致（会读成乱码）；"
                          "请将整个文件另存为同一种编码",
                          "title “城乡普法”: “城乡” is UTF-8 while the rest of the file is GBK/GB18030 (it would read as "
                          "garbled text); save the whole file in one encoding"),
    "foreign_utf8": ("活动名称“城乡”是 UTF-8 编码，与文件其余部分的 GBK/GB18030 编码不一致（会读成乱码）；请将整个文件另存为同一种编码",
                     "title “城乡” is UTF-8 while the rest of the file is GBK/GB18030 (it would read as garbled text); "
                     "save the whole file in one encoding"),
    "control_character": ("活动名称“响铃\ufffd”含不可见的控制字符（U+0007）",
                          "title “响铃\ufffd” holds an invisible control character (U+0007)"),
    "cell_too_long": ("活动名称有 32,768 个字符，超过 Excel 单元格的上限 32,767 个字符",
                      "title has 32,768 characters, more than the 32,767 an Excel cell holds"),
    "unreadable": ("无法读取：文件为空", "Cannot be read: The file is empty"),
    "same_content": ("内容与 案件.csv 完全相同，已整体跳过", "Same content as “案件.csv”; skipped whole"),
    "missing_columns_rejected": ("缺少必填列“状态”（status），全部行被拒绝",
                                 "Required columns missing: status; every row is rejected"),
    "ignored_columns": ("忽略未知列：备注、x", "Unknown columns ignored: “备注”, “x”"),
    "mixed_utf8": ("文件混用了两种编码：以 UTF-8 为主，2 处不是 UTF-8（按 GBK 读出）；含这些文字的行被拒绝",
                   "The file mixes two encodings: mostly UTF-8, but 2 places are not UTF-8 (read as GBK); the rows "
                   "with that text are rejected"),
    "mixed_gbk": ("文件混用了两种编码：以 GBK/GB18030 为主，1 处为 UTF-8；含这些文字的行被拒绝",
                  "The file mixes two encodings: mostly GBK/GB18030, but 1 places are UTF-8; the rows with that text "
                  "are rejected"),
    "sheet_read": ("读取工作表“台账”", "Read the sheet “台账”"),
    "csv_unparsable": ("CSV 格式无法解析（Invalid Input Error: x）", "The CSV cannot be parsed (Invalid Input Error: x)"),
    "type_unknown": ("无法识别记录类型：文件名不以记录类型开头，表头也不匹配任何记录类型",
                     "Record type not recognised: the file name does not start with a record type, and the headers "
                     "match none"),
    "file_empty": ("文件为空", "The file is empty"),
    "not_a_header": ("第1行不是“案件”的表头：没有一列能对应到字段", "Row 1 is not a header of cases: no column matches a field"),
    "sheet_damaged": ("工作表“台账”已损坏，无法读取（ParseError）", "The sheet “台账” is damaged and cannot be read (ParseError)"),
    "no_sheets": ("工作簿没有工作表", "The workbook has no sheets"),
    "no_header_sheet": ("没有找到含表头的工作表（前10行中没有可识别的表头）",
                        "No sheet with a header (none of the first 10 rows is a recognisable header)"),
    "unsupported_type": ("不支持的文件类型“.txt”（只接受 .csv 和 .xlsx）",
                         "Unsupported file type “.txt” (only .csv and .xlsx are accepted)"),
    "encoding_unknown": ("无法识别文件编码（已尝试 UTF-8、UTF-8 BOM、GBK/GB18030）",
                         "The file's encoding is not recognised (tried UTF-8, UTF-8 BOM, GBK/GB18030)"),
    "binary": ("不是文本文件（含二进制内容），无法按 CSV 读取", "Not a text file (it holds binary content); it cannot be read as CSV"),
    "bad_setting": ("配置项 COCKPIT_XLSX_MAX_ROWS 的值“many”不是正整数，无法读取 Excel 文件",
                    "The setting COCKPIT_XLSX_MAX_ROWS is “many”, not a positive whole number; Excel files cannot be "
                    "read"),
    "too_many_rows": ("工作表超过 5 行的上限，未读取；请拆分为多个文件后分别导入",
                      "The sheet has more than the limit of 5 rows; not read. Split it into several files and import "
                      "them one by one"),
    "too_many_rows_declared": ("工作表有 6 行，超过 5 行的上限，未读取；请拆分为多个文件后分别导入",
                               "The sheet has 6 rows, more than the limit of 5; not read. Split it into several files "
                               "and import them one by one"),
    "not_a_workbook": ("不是有效的 Excel (.xlsx) 文件（KeyError）", "Not a valid Excel (.xlsx) file (KeyError)"),
    "too_large_unzipped": ("解压后共 1.9 MB，超过 1 MB 的上限，未读取；请拆分为多个文件后分别导入",
                           "1.9 MB unzipped, more than the limit of 1 MB; not read. Split it into several files and "
                           "import them one by one"),
    "refused_suffix": ("“notes.txt”不是 CSV 或 XLSX 文件，未导入（只接受 .csv 和 .xlsx）。",
                       "“notes.txt” is not a CSV or XLSX file and was not imported (only .csv and .xlsx are accepted)."),
    "refused_size": ("“大.csv”大小 51.0 MB，超过 50 MB 上限，未导入。", "“大.csv” is 51.0 MB, more than the 50 MB limit; not imported."),
    "refused_type": ("“a.csv”：未知的记录类型“pets”，未导入。", "“a.csv”: unknown record type “pets”; not imported."),
    "refused_unreadable": ("“台账.csv”无法读取，未导入：文件为空", "“台账.csv” cannot be read and was not imported: The file is empty"),
    "data_dir_gone": ("当前数据库的数据目录 /srv/数据 已不存在，无法预览导入。",
                      "The data folder of the current database, “/srv/数据”, no longer exists; the import cannot be "
                      "previewed."),
    "scope_other_subdistrict": ("“案件_乙.csv”第 3 行：街道“甲街道”不是本账号的街道（乙街道），街道账号只能导入本街道的数据",
                                "“案件_乙.csv” row 3: subdistrict “甲街道” is not this account's subdistrict (“乙街道”); "
                                "an account limited to a subdistrict imports only its own data"),
    "scope_other_community": ("“案件_乙.csv”第 4 行：社区“甲一社区”属于甲街道，不是本账号的街道（乙街道），街道账号只能导入本街道的数据",
                              "“案件_乙.csv” row 4: community “甲一社区” belongs to “甲街道”, not to this account's "
                              "subdistrict (“乙街道”); an account limited to a subdistrict imports only its own data"),
    "scope_every_subdistrict": ("“targets.csv”第 2 行：街道为空，将适用于每个街道；街道账号只能导入本街道（甲街道）的数据，请填写本街道",
                                "“targets.csv” row 2: subdistrict is blank, so it would apply to every subdistrict; an "
                                "account limited to “甲街道” imports only its own data: fill in its subdistrict"),
    "scope_district_wide": ("“指标目录.csv”是指标目录，适用于全区，街道账号（甲街道）不能导入",
                            "“指标目录.csv” is indicators, which applies to the whole district; an account limited to "
                            "“甲街道” cannot import it"),
    "scope_refused": ("导入含有本账号街道（乙街道）以外的数据，已拒绝，数据库未作更改。",
                      "The import holds data outside this account's subdistrict (“乙街道”); refused, the database was "
                      "not changed."),
    "nothing_new": ("没有需要导入的新文件（文件被拒绝，或与此前导入的文件完全相同），数据库未作更改。",
                    "No new files to import (the files were refused, or are identical to files imported before); the "
                    "database was not changed."),
    "disk_full": ("磁盘空间不足，无法写入 /srv/uploads；导入未完成，数据库未作更改。请清理磁盘空间后重试。",
                  "Not enough disk space to write to “/srv/uploads”; the import did not complete and the database was "
                  "not changed. Free some disk space and try again."),
    "not_writable": ("文件夹 /srv 不可写（只读或没有写入权限）；构建未完成，数据库未作更改。请联系管理员。",
                     "The folder “/srv” cannot be written to (read-only, or no permission); the build did not complete "
                     "and the database was not changed. Contact the administrator."),
    "write_failed": ("写入 /tmp 时出错（Input/output error）；预览未完成，数据库未作更改。请稍后重试。",
                     "Writing to “/tmp” failed (Input/output error); the preview did not complete and the database "
                     "was not changed. Try again later."),
    "build_failed": ("构建或发布时出错，未发布，原数据库保持不变：IO Error: x",
                     "The build or publish failed; nothing was published and the database is unchanged: IO Error: x"),
    "history_unreadable": ("上一个数据库的运行历史无法读取，未能延续：Catalog Error: x",
                           "The run history of the previous database could not be read and was not carried forward: "
                           "Catalog Error: x"),
    "communities_skipped": ("未提供社区名录（文件中没有社区名录，也没有可用的数据库），社区校验已跳过",
                            "No community list (none among the files and no database to take it from); community "
                            "checks skipped"),
    "data_tests_failed": ("数据测试未通过，未发布：mart_scores：有 1 行得分不在 0 与分值之间",
                          "Data tests failed; nothing was published: mart_scores: 1 rows have points outside 0 and "
                          "the points available"),
    "dt_duplicate_keys": ("stg_cases：键（\"case_id\"）有 2 组重复", "stg_cases: 2 keys (\"case_id\") occur more than once"),
    "dt_required_empty": ("stg_cases：必填字段 status 有 3 行为空", "stg_cases: required field status is empty in 3 rows"),
    "dt_not_allowed": ("stg_cases：字段 status 有 1 行不是允许值", "stg_cases: field status has a value not allowed in 1 rows"),
    "dt_unknown_indicators": ("mart_indicator_values：有 2 个指标编号不在指标目录中",
                              "mart_indicator_values: 2 indicator ids are not in the catalogue"),
    "dt_balance": ("案件.csv：读取 3 行，但载入 + 拒绝 = 2 行", "“案件.csv”: 3 rows read, but loaded + rejected = 2"),
    "dt_replacements_mismatch": ("replacements：有 1 行与 rejects 中的 replaced 行不一致",
                                 "replacements: 1 rows disagree with the replaced rows of rejects"),
    "dt_replacements_unloaded": ("replacements：有 1 行所指的更正行未载入",
                                 "replacements: 1 rows name a correcting row that was not loaded"),
    "dt_points_range": ("mart_scores：有 1 行得分不在 0 与分值之间",
                        "mart_scores: 1 rows have points outside 0 and the points available"),
    "dt_points_sum": ("mart_scores：有 2 个领域或合计与其指标得分之和不符",
                      "mart_scores: 2 areas or totals differ from the sum of their indicators' points"),
    "publish_busy": ("另一项发布（构建、导入或恢复）正在进行，等待 120 秒后仍未结束；数据库未作更改，请稍后重试。",
                     "Another publish (build, import or restore) is under way and did not end within 120 seconds; the "
                     "database was not changed. Try again later."),
    "no_snapshot": ("没有运行“r9”的快照（现有快照：r1、r2）", "There is no snapshot of run “r9” (snapshots kept: r1, r2)"),
    "restore_failed": ("恢复时出错，数据库未作更改：IO Error: x", "The restore failed; the database was not changed: IO Error: x"),
    "gi_detail_missing": ("2023年有1件“无法提供”的申请未填写对应的办理结果细项，未计入细项行。",
                          "2023: 1 requests with the result “无法提供” have no result detail and are not counted in the "
                          "detail rows."),
    "gi_result_missing": ("2023年有2件已答复的申请未填写办理结果，未计入办理结果各行。",
                          "2023: 2 answered requests have no result and are not counted in the result rows."),
    "gi_unknown_cell": ("2023年表三中的“某行 / 某列”不是年报模板中的单元格，未采用。",
                        "2023 Table III: “某行 / 某列” is not a cell of the annual-report template; not used."),
    "gi_identity": ("2023年表三“总计”列：本年新收 3 + 上年结转 0 = 3，但总计 4 + 结转下年度 0 = 4。",
                    "2023 Table III, column “总计”: received this year 3 + carried over 0 = 3, but total 4 + carried "
                    "to next year 0 = 4."),
    "gi_results_sum": ("2023年表三“自然人”列：办理结果各项之和 0 不等于（七）总计 1。",
                       "2023 Table III, column “自然人”: the results add up to 0, not to the total of row 7, 1."),
    "gi_requesters_sum": ("2023年表三“（七）总计”行：各类申请人之和 2 不等于总计 3。",
                          "2023 Table III, row “（七）总计”: the requester columns add up to 2, not to the total 3."),
    "gi_difference": ("2023年表四“数量 / 行政复议·总计”：已发布 2，台账记录为 1。",
                      "2023 Table IV “数量 / 行政复议·总计”: published 2, the records give 1."),
    "gi_old_table2": ("表二为2021年以前的旧版格式（栏目不同），未读取。",
                      "Table II is in the format used before 2021 (other columns); not read."),
    "gi_table2_count": ("表二“规章”行有 2 个数，应为 3 个，未读取。", "Table II, row “规章” has 2 numbers where 3 belong; not read."),
    "gi_table3_unknown_row": ("表三“其他”行不是模板中的行，未读取。", "Table III, row “其他” is not a row of the template; not read."),
    "gi_table3_count": ("表三“总计”行有 4 个数，应为 7 个（或只有总计 1 个），未读取。",
                        "Table III, row “总计” has 4 numbers where 7 (or the total alone) belong; not read."),
    "gi_table4_count": ("表四应有一行 15 个数，读到的行有 3、4 个，未读取。",
                        "Table IV should have one row of 15 numbers; the rows read have 3, 4; not read."),
    "gi_table4_sum": ("2023年表四“行政复议”：各项之和 3 不等于总计 4。",
                      "2023 Table IV, “行政复议”: the parts add up to 3, not to the total 4."),
    "report_year_unknown": ("报告.txt：无法从标题或落款日期确定报告年度，请指定年度（--year）",
                            "“报告.txt”: the report's year cannot be told from its title or date; give the year"),
    "report_year_unknown_bare": ("无法从标题或落款日期确定报告年度，请指定年度（--year）",
                                 "The report's year cannot be told from its title or date; give the year"),
    "report_parts_total": ("分项之和 80条 与总数 85条 不一致（两者均已列出，请核对）：共85条，其中政务动态80条",
                           "The parts add up to 80条, not to the total 85条 (both are listed; please check): "
                           "“共85条，其中政务动态80条”"),
    "report_parts_total_flag": ("分项之和 80条 与总数 85条 不一致（两者均已列出，请核对）",
                                "The parts add up to 80条, not to the total 85条 (both are listed; please check)"),
    "report_two_values": ("legal_advisers（2022年，馒头山社区，value）在报告中有不同数值：3、4，请选定一个",
                          "legal_advisers (2022, “馒头山社区”, value) has different values in the report: 3, 4; choose one"),
    "text_encoding_unknown": ("无法识别文本编码（已尝试 UTF-8、GBK/GB18030）",
                              "The text's encoding is not recognised (tried UTF-8, GBK/GB18030)"),
    "not_a_docx": ("不是有效的 Word (.docx) 文件", "Not a valid Word (.docx) file"),
    "pdftotext_missing": ("读取 PDF 需要 pdftotext（Debian 软件包 poppler-utils），请先安装",
                          "Reading a PDF needs pdftotext (Debian package poppler-utils); install it first"),
    "pdf_unreadable": ("无法读取 PDF 的文字层（文件损坏或加密）", "The PDF's text layer cannot be read (the file is damaged or encrypted)"),
    "pdf_no_text": ("PDF 没有文字层（可能是扫描件），无法读取", "The PDF has no text layer (it may be a scan); it cannot be read"),
    "report_unsupported": ("不支持的文件类型“.rtf”，请上传 .txt、.html、.docx 或 .pdf",
                           "Unsupported file type “.rtf”; upload a .txt, .html, .docx or .pdf file"),
    "nothing_accepted": ("没有采用任何数字：请在“采用”一列勾选要导入的数字。",
                         "No figure accepted: tick the figures to import in the Accept column."),
    "figure_no_indicator": ("第 2 个采用的数字（全年开展普法活动…）没有对应指标：请选择指标，或取消采用。",
                            "Accepted figure 2 (“全年开展普法活动…”) has no indicator: choose one, or stop accepting the "
                            "figure."),
    "figure_incomplete": ("第 1 个采用的数字（共85条…）缺少数值或年度。", "Accepted figure 1 (“共85条…”) lacks a value or a year."),
    "figure_conflict": ("第 3 个采用的数字（共85条…）与另一个采用的数字是同一指标、年度、社区和分项，但数值不同：请只保留一个。",
                        "Accepted figure 3 (“共85条…”) has the indicator, year, community and part of another accepted "
                        "figure but another value: keep only one."),
    "file_reason": ("案件.xlsx: 工作簿没有工作表", "“案件.xlsx”: The workbook has no sheets"),
    "no_case_records": ("该年度没有案件记录", "No case records for this year"),
    "no_disclosure_records": ("该年度没有政务公开记录", "No disclosure records for this year"),
    "no_outreach_records": ("该年度没有普法与法律服务记录", "No legal-education and service records for this year"),
    "no_designation_records": ("没有任何示范称号记录", "No model-community title records"),
    "not_reported": ("该年度未填报", "Not reported for this year"),
    "not_reported_community": ("该社区该年度未填报", "Not reported for this community for this year"),
    "score_not_additive": ("得分不跨街道相加，全区无合计",
                           "Scores do not add up across subdistricts: the district has no total"),
    "subdistricts_reported": ("2/3 个街道填报", "Reported by 2 of 3 subdistricts"),
    "no_community_split": ("政务公开记录不分社区，只有街道整体数值",
                           "Disclosure records are not kept by community: there is only the whole subdistrict's "
                           "figure"),
    "denominator_not_reported": ("分母为0或未填报：该年度未填报应审核事项数（分母），或填报为0",
                                 "Denominator 0 or not reported: the number of matters needing a legality review was "
                                 "not reported for this year, or was reported as 0"),
    "zero_litigation_concluded": ("分母为0：该年度无审结的行政诉讼案件",
                                  "Denominator 0: no administrative litigation case was concluded this year"),
    "zero_litigation_heard": ("分母为0：该年度无审结的开庭审理行政诉讼案件",
                              "Denominator 0: no administrative litigation case heard in court was concluded this year"),
    "zero_review_concluded": ("分母为0：该年度无审结的行政复议案件",
                              "Denominator 0: no administrative review case was concluded this year"),
    "zero_litigation_new": ("分母为0：该年度无新增行政诉讼案件", "Denominator 0: no new administrative litigation case this year"),
    "zero_disputes_concluded": ("分母为0：该年度无审结的行政复议、行政诉讼和行政争议调解案件",
                                "Denominator 0: no administrative review, litigation or dispute mediation case was "
                                "concluded this year"),
    "zero_mediation_concluded": ("分母为0：该年度无审结的矛盾纠纷调解案件",
                                 "Denominator 0: no civil dispute mediation case was concluded this year"),
    "zero_satisfaction": ("分母为0：该年度无记录满意度的已审结矛盾纠纷调解案件",
                          "Denominator 0: no civil dispute mediation case concluded this year has a satisfaction score"),
    "zero_requests_answered": ("分母为0：该年度无已答复的依申请公开申请",
                               "Denominator 0: no disclosure request was answered this year"),
    "zero_communities": ("分母为0：社区名录为空", "Denominator 0: the community list is empty"),
    "note_satisfaction": ("分子为满意度之和，分母为记录满意度的案件数",
                          "Numerator: the sum of the satisfaction scores; denominator: the cases with a score"),
    "note_website_only": ("仅统计网站渠道，可跨年度比较", "The website channel only; comparable across years"),
    "note_working_days": ("工作日只扣除周六、周日，未计法定节假日",
                          "Working days leave out Saturdays and Sundays only, not public holidays"),
    "note_title_status": ("按称号的现状态统计，未记录撤销年份",
                          "Counted by each title's present status; the year a title was revoked is not recorded"),
    "note_channels": ("本年度统计渠道：网站、公开栏、未注明渠道",
                      "Channels counted this year: website, notice board, channel not recorded"),
    "note_channels_differ": ("各年度统计的渠道不同，跨年度比较请看“主动公开信息（网站）”",
                             "The years count different channels; to compare years see the website-only figure"),
    "published_label": ("来源：已发布报告", "Source: published report"),
    "published_label_titled": ("来源：已发布报告（2022年度报告）", "Source: published report (“2022年度报告”)"),
    "published_floor": ("报告所写为下限（余、以上等）", "the report gives a lower bound (more than, at least …)"),
}


def test_every_catalogue_entry_has_an_example():
    assert sorted(EXAMPLES) == sorted(key for key, _, _ in MESSAGES)


@pytest.mark.parametrize("key", sorted(EXAMPLES))
def test_each_template_translates_its_message(key):
    chinese, english = EXAMPLES[key]
    assert translate(chinese, "en") == english


@pytest.mark.parametrize("key", sorted(EXAMPLES))
def test_chinese_is_returned_as_stored(key):
    chinese, _ = EXAMPLES[key]
    assert translate(chinese, "zh") == chinese


def test_keys_are_unique_and_both_templates_have_the_same_placeholders():
    keys = [key for key, _, _ in MESSAGES]
    assert len(keys) == len(set(keys))
    for key, zh, en in MESSAGES:
        assert sorted(re.findall(r"\{(\w+)\}", zh)) == sorted(re.findall(r"\{(\w+)\}", en)), key


def test_message_fills_in_the_chinese_template():
    assert message("gi_result_missing", year=2023, n=2) == "2023年有2件已答复的申请未填写办理结果，未计入办理结果各行。"


def test_messages_joined_with_a_semicolon_are_translated_part_by_part():
    stored = "缺少必填列“状态”（status），全部行被拒绝；忽略未知列：备注；读取工作表“台账”"
    assert translate(stored, "en") == ("Required columns missing: status; every row is rejected; "
                                       "Unknown columns ignored: “备注”; Read the sheet “台账”")


def test_a_message_holding_a_semicolon_is_kept_whole_among_others():
    stored = "文件混用了两种编码：以 GBK/GB18030 为主，1 处为 UTF-8；含这些文字的行被拒绝；读取工作表“台账”"
    assert translate(stored, "en") == ("The file mixes two encodings: mostly GBK/GB18030, but 1 places are UTF-8; "
                                       "the rows with that text are rejected; Read the sheet “台账”")


def test_messages_joined_with_newlines_are_translated_line_by_line():
    stored = "第 1 个采用的数字（共85条…）缺少数值或年度。\n第 2 个采用的数字（开展活动…）缺少数值或年度。"
    assert translate(stored, "en") == ("Accepted figure 1 (“共85条…”) lacks a value or a year.\n"
                                       "Accepted figure 2 (“开展活动…”) lacks a value or a year.")


def test_a_published_figure_s_label_and_its_floor_note():
    assert translate("来源：已发布报告（2022年度报告）；报告所写为下限（余、以上等）", "en") == \
        "Source: published report (“2022年度报告”); the report gives a lower bound (more than, at least …)"


def test_nested_messages_are_translated_in_turn():
    stored = "数据测试未通过，未发布：案件.csv：读取 3 行，但载入 + 拒绝 = 2 行；mart_scores：有 2 个领域或合计与其指标得分之和不符"
    assert translate(stored, "en") == ("Data tests failed; nothing was published: “案件.csv”: 3 rows read, but "
                                       "loaded + rejected = 2; mart_scores: 2 areas or totals differ from the sum of "
                                       "their indicators' points")


def test_a_user_value_keeps_its_chinese_semicolons_and_newlines():
    assert translate("日期“二〇二二年；五月\n一日”不是有效日期", "en") == "date “二〇二二年；五月\n一日” is not a valid date"


def test_an_unknown_message_comes_back_unchanged():
    for text in ("系统维护中", "甲；乙", "甲\n乙", "Catalog Error: table x does not exist", "a.csv: 不认识的原因"):
        assert translate(text, "en") == text


def test_a_partly_known_message_translates_the_known_parts():
    assert translate("文件为空；另有说明", "en") == "The file is empty; 另有说明"


@pytest.mark.parametrize("value", [None, "", float("nan"), 3])
def test_anything_but_text_comes_back_as_it_is(value):
    result = translate(value, "en")
    assert result is value


def test_every_field_header_and_record_type_name_has_its_english_name():
    headers = {f.header_zh: f.name for rt in schema.RECORD_TYPES.values() for f in rt.fields}
    for header, name in headers.items():
        assert translate(f"必填字段“{header}”为空", "en") == f"Required field {name} is empty"
    for rt in schema.RECORD_TYPES.values():
        assert translate(f"第1行不是“{rt.name_zh}”的表头：没有一列能对应到字段", "en") == \
            f"Row 1 is not a header of {rt.name}: no column matches a field"


def test_a_field_header_must_be_one_of_the_contract():
    # "备注" is no field's header: the message is not the catalogue's and stays as it is.
    assert translate("备注“x”不是有效日期", "en") == "备注“x”不是有效日期"

