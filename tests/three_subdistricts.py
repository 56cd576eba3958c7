"""A three-subdistrict data folder of tiny literal CSVs (issue 13), shared by the tests of the marts,
the read side, the commands and the pages: 甲街道 (communities A1, A2), 乙街道 (B1), 丙街道 (C1, and a
folder of its own); one disclosure whose subdistrict cannot be told and one naming an unknown 街道."""
from __future__ import annotations

from pathlib import Path

COMMUNITIES = """社区编号,社区名称,别名,街道,区
A1,甲一社区,,甲街道,上城区
A2,甲二社区,,甲街道,上城区
B1,乙一社区,,乙街道,上城区
C1,丙一社区,,丙街道,上城区
"""
# L1 twice: each subdistrict numbers its own cases. The last row names its 街道 without 街道.
CASES = """案件编号,案件类型,收案日期,结案日期,状态,结果,化解方式,社区,街道
L1,行政诉讼,2024-01-05,2024-03-01,审结,败诉,判决,甲一,
L2,行政诉讼,2024-02-05,2024-04-01,审结,胜诉,调解和解,甲二,
L3,行政诉讼,2024-02-05,2024-04-01,审结,胜诉,撤回,乙一,
L1,行政诉讼,2024-03-05,2024-05-01,审结,胜诉,判决,,乙
"""
DISCLOSURES = """编号,日期,公开方式,渠道,街道
G1,2024-01-01,主动公开,网站,甲街道
G2,2024-01-02,主动公开,网站,乙
G3,2024-01-03,主动公开,网站,
G4,2024-01-04,主动公开,网站,丁街道
"""
FOLDER_DISCLOSURES = """编号,日期,公开方式,渠道
G1,2024-01-01,主动公开,网站
G5,2024-01-01,主动公开,微信
"""
REPORTED = """指标编号,年度,社区,数值,街道
legal_advisers,2024,,3,甲街道
legal_advisers,2024,,2,乙街道
eval_dispute_score,2024,,90,甲街道
"""
TARGETS = """指标编号,年度,范围,社区,目标值,红线值,分值,计分方式,街道
litigation_loss_rate,2024,街道,,10,30,10,达标得分,
litigation_loss_rate,2024,街道,,60,80,10,达标得分,甲街道
"""


def write(folder: Path, files: dict[str, str]) -> Path:
    for name, text in files.items():
        (folder / name).parent.mkdir(parents=True, exist_ok=True)
        (folder / name).write_text(text, encoding="utf-8")
    return folder


FILES = {"communities.csv": COMMUNITIES, "cases.csv": CASES, "disclosures.csv": DISCLOSURES,
         "丙街道/disclosures.csv": FOLDER_DISCLOSURES, "reported_values.csv": REPORTED, "targets.csv": TARGETS}


def three_subdistricts(folder: Path) -> Path:
    """Write the folder; returns it."""
    return write(folder, FILES)


# 街道对比 (pages/subdistricts.py): an earlier year for the change and the trend. Lawsuits lost in
# 2023: 甲 1 of 1 (100%), 乙 1 of 2 (50%); 丙 none.
CASES_2023 = """案件编号,案件类型,收案日期,结案日期,状态,结果,化解方式,社区,街道
L21,行政诉讼,2023-03-01,2023-06-01,审结,败诉,判决,甲一,
L22,行政诉讼,2023-03-01,2023-06-01,审结,败诉,判决,乙一,
L23,行政诉讼,2023-04-01,2023-07-01,审结,胜诉,判决,乙一,
"""


def with_2023(folder: Path) -> Path:
    """The three-subdistrict folder plus the 2023 lawsuits."""
    return write(folder, {**FILES, "cases_2023.csv": CASES_2023})


def two_subdistricts(folder: Path) -> Path:
    """甲街道 and 乙街道 only (丙's community and folder left out), with the 2023 lawsuits."""
    communities = "".join(line + "\n" for line in COMMUNITIES.splitlines() if "丙街道" not in line)
    files = {name: text for name, text in FILES.items() if not name.startswith("丙街道/")}
    return write(folder, {**files, "communities.csv": communities, "cases_2023.csv": CASES_2023})
