"""What leaves the read side as files: the evaluators' bundle (charts, data, report) and the report
alone (`report` command). Above both the content model (`reporting.report`) and its renderers."""
from __future__ import annotations

import io
import zipfile
from collections.abc import Callable
from pathlib import Path

from etl.database import open_read_only
from reporting import export, queries, report_render
from reporting.report import ReportError, area_workbook, build_content


def check_subdistrict(con, subdistrict: str | None) -> None:
    """The report is written for a warehouse of one subdistrict (`subdistrict`: None or that one);
    ReportError otherwise, so a bundle never mixes subdistricts or shows one another's figures."""
    known = queries.subdistricts(con)
    if len(known) > 1:
        raise ReportError(f"数据库中有多个街道（{'、'.join(known)}），导出包和年度报告暂只支持单个街道的数据库")
    if subdistrict is not None and subdistrict not in known:
        raise ReportError(f"数据库中没有{subdistrict}的数据")


def build_bundle(con, year: int, community: str | None = None,
                 progress: Callable[[float, str], None] | None = None, *, subdistrict: str | None = None) -> bytes:
    """One .zip with the year's charts (PNG), data (XLSX, a sheet per area) and report (docx, PDF), of
    `subdistrict` (see `check_subdistrict`)."""
    def step(fraction: float, text: str) -> None:
        if progress:
            progress(fraction, text)

    check_subdistrict(con, subdistrict)

    step(0.02, "读取指标")
    content = build_content(con, year, community, on_area=lambda done, total, name: step(
        0.05 + 0.4 * done / total, f"生成图表（{done + 1}/{total}）：{name}"))
    stem = f"{content.subdistrict}{'' if content.community_id is None else content.scope}{year}年"
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as bundle:
        step(0.45, "写入图表")
        for area in content.areas:
            if area.chart is not None and area.chart.png is not None:
                bundle.writestr(f"图表/{area.chart.name}.png", area.chart.png)
        if content.chart_problem:
            bundle.writestr("图表/无法生成图表.txt", content.chart_problem)
        step(0.55, "写入数据（XLSX）")
        bundle.writestr(f"数据/{stem}指标数据.xlsx", area_workbook(con, content))
        step(0.65, "生成报告（Word）")
        bundle.writestr(f"报告/{stem}法治政府建设年度报告（生成稿）.docx", report_render.to_docx(content))
        step(0.8, "生成报告（PDF）")
        try:
            bundle.writestr(f"报告/{stem}法治政府建设年度报告（生成稿）.pdf", report_render.to_pdf(content))
        except (export.ImageExportUnavailable, export.ImageExportFailed) as exc:
            bundle.writestr("报告/无法生成PDF.txt", str(exc))
    step(1.0, "完成")
    return buffer.getvalue()


def bundle_stem(year: int, community: str | None) -> str:
    """The bundle's file name without suffix, as 导出中心 offers it and `export` writes it."""
    return f"{community or ''}{year}年导出包"


def write_bundle(con, year: int, community: str | None, out_dir: Path) -> tuple[Path, list[Path]]:
    """The bundle as `<out_dir>/<stem>.zip` and unpacked beside it in `<out_dir>/<stem>/`, so a scheduled
    export can be checked file by file; returns the zip and the unpacked files."""
    data = build_bundle(con, year, community)
    out_dir.mkdir(parents=True, exist_ok=True)
    archive = out_dir / f"{bundle_stem(year, community)}.zip"
    partial = archive.with_suffix(".zip.partial")
    partial.write_bytes(data)
    partial.replace(archive)
    unpacked = out_dir / bundle_stem(year, community)
    with zipfile.ZipFile(io.BytesIO(data)) as bundle:
        bundle.extractall(unpacked)   # member names are ours (charts, data, report), never a user's path
        files = [unpacked / name for name in bundle.namelist()]
    return archive, files


def write_report(con, year: int, community: str | None, fmt: str, out: Path) -> Path:
    content = build_content(con, year, community)
    data = report_render.to_docx(content) if fmt == "docx" else report_render.to_pdf(content)
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_bytes(data)
    return out


def cli_report(args) -> int:
    """`python -m etl report --year Y [--community NAME] --format docx|pdf --out PATH [--db PATH]`."""
    from etl.paths import DEFAULT_DB

    db = Path(getattr(args, "db", None) or DEFAULT_DB)
    if not db.exists():
        print(f"未找到数据库：{db}。请先运行 python -m etl build。")
        return 2
    con = open_read_only(db)
    try:
        out = write_report(con, args.year, args.community, args.format, Path(args.out))
    except (ReportError, export.ImageExportUnavailable, export.ImageExportFailed) as exc:
        print(f"无法生成报告：{exc}")
        return 1
    finally:
        con.close()
    print(f"已生成报告：{out}（{out.stat().st_size} 字节）")
    return 0


def cli_export(args) -> int:
    """`python -m etl export --year Y [--community NAME] --out DIR [--db PATH]`: 导出中心's bundle."""
    db = Path(args.db)
    if not db.exists():
        print(f"未找到数据库：{db}。请先运行 python -m etl build。")
        return 2
    con = open_read_only(db)
    try:
        archive, files = write_bundle(con, args.year, args.community, Path(args.out))
    except (ReportError, export.ImageExportUnavailable, export.ImageExportFailed) as exc:
        print(f"无法导出：{exc}")
        return 1
    finally:
        con.close()
    print(f"已导出：{archive}（{archive.stat().st_size} 字节），解包于 {archive.with_suffix('')}：")
    for path in files:
        print(f"  {path.relative_to(archive.parent)}")
    return 0
