"""What leaves the read side as files: the evaluators' bundle (charts, data, report) and the report
alone (`report` command). Above both the content model (`reporting.report`) and its renderers."""
from __future__ import annotations

import io
import zipfile
from collections.abc import Callable
from pathlib import Path

from etl.database import open_read_only
from reporting import export, report_render
from reporting.queries import subdistricts
from reporting.report import ReportError, area_workbook, build_content
from reporting.scope import match_subdistrict


def build_bundle(con, year: int, community: str | None = None,
                 progress: Callable[[float, str], None] | None = None, *, subdistrict: str | None = None) -> bytes:
    """One .zip with the year's charts (PNG), data (XLSX, a sheet per area) and report (docx, PDF), of
    one scope: `subdistrict` and `community` as written (reporting.scope; neither: the whole district,
    or the only subdistrict)."""
    def step(fraction: float, text: str) -> None:
        if progress:
            progress(fraction, text)

    step(0.02, "读取指标")
    content = build_content(con, year, community, subdistrict=subdistrict, on_area=lambda done, total, name: step(
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


def bundle_stem(year: int, community: str | None, subdistrict: str | None = None) -> str:
    """The bundle's file name without suffix, as 导出中心 offers it and `export` writes it."""
    return f"{subdistrict or ''}{community or ''}{year}年导出包"


def write_bundle(con, year: int, community: str | None, out_dir: Path,
                 subdistrict: str | None = None) -> tuple[Path, list[Path]]:
    """The bundle as `<out_dir>/<stem>.zip` and unpacked beside it in `<out_dir>/<stem>/`, so a scheduled
    export can be checked file by file; returns the zip and the unpacked files."""
    data = build_bundle(con, year, community, subdistrict=subdistrict)
    # the subdistrict as the community list writes it (甲 → 甲街道); build_bundle has checked it
    subdistrict = subdistrict and (match_subdistrict(subdistricts(con), subdistrict) or subdistrict.strip())
    out_dir.mkdir(parents=True, exist_ok=True)
    archive = out_dir / f"{bundle_stem(year, community, subdistrict)}.zip"
    partial = archive.with_suffix(".zip.partial")
    partial.write_bytes(data)
    partial.replace(archive)
    unpacked = out_dir / bundle_stem(year, community, subdistrict)
    with zipfile.ZipFile(io.BytesIO(data)) as bundle:
        bundle.extractall(unpacked)   # member names are ours (charts, data, report), never a user's path
        files = [unpacked / name for name in bundle.namelist()]
    return archive, files


def write_report(con, year: int, community: str | None, fmt: str, out: Path,
                 subdistrict: str | None = None) -> Path:
    content = build_content(con, year, community, subdistrict=subdistrict)
    data = report_render.to_docx(content) if fmt == "docx" else report_render.to_pdf(content)
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_bytes(data)
    return out


def cli_report(args) -> int:
    """`python -m etl report --year Y [--subdistrict NAME] [--community NAME] --format docx|pdf --out PATH
    [--db PATH]`."""
    from etl.paths import DEFAULT_DB

    db = Path(getattr(args, "db", None) or DEFAULT_DB)
    if not db.exists():
        print(f"未找到数据库：{db}。请先运行 python -m etl build。")
        return 2
    con = open_read_only(db)
    try:
        out = write_report(con, args.year, args.community, args.format, Path(args.out),
                           getattr(args, "subdistrict", None))
    except (ReportError, export.ImageExportUnavailable, export.ImageExportFailed) as exc:
        print(f"无法生成报告：{exc}")
        return 1
    finally:
        con.close()
    print(f"已生成报告：{out}（{out.stat().st_size} 字节）")
    return 0


def cli_export(args) -> int:
    """`python -m etl export --year Y [--subdistrict NAME] [--community NAME] --out DIR [--db PATH]`:
    导出中心's bundle."""
    db = Path(args.db)
    if not db.exists():
        print(f"未找到数据库：{db}。请先运行 python -m etl build。")
        return 2
    con = open_read_only(db)
    try:
        archive, files = write_bundle(con, args.year, args.community, Path(args.out),
                                      getattr(args, "subdistrict", None))
    except (ReportError, export.ImageExportUnavailable, export.ImageExportFailed) as exc:
        print(f"无法导出：{exc}")
        return 1
    finally:
        con.close()
    print(f"已导出：{archive}（{archive.stat().st_size} 字节），解包于 {archive.with_suffix('')}：")
    for path in files:
        print(f"  {path.relative_to(archive.parent)}")
    return 0
