"""Command line: `python -m etl COMMAND ...` (see README, "Command line").

The one entry point of both sides: write commands dispatch into `etl`, read commands (`indicators`,
`scores`, `report`, `export`) into `reporting`. The only module under etl/ that may import the read side.
"""
from __future__ import annotations

import argparse
import sys
from pathlib import Path

from etl.paths import DEFAULT_DATA_DIR, DEFAULT_DB


SUBDISTRICT_HELP = "街道, as in the community list, with or without 街道; omitted = the whole district, or the only subdistrict"
COMMUNITY_HELP = "community name, alias or id (of --subdistrict, if given); omitted = the whole subdistrict or district"


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m etl", description="街道法治政府建设指标 ETL 与查询命令")
    sub = parser.add_subparsers(dest="command", required=True)

    def command(name: str, help_text: str) -> argparse.ArgumentParser:
        p = sub.add_parser(name, help=help_text)
        p.add_argument("--db", type=Path, default=DEFAULT_DB, help=f"DuckDB file (default {DEFAULT_DB})")
        return p

    p = command("build", "load a data folder, test, publish atomically")
    p.add_argument("--data", type=Path, default=DEFAULT_DATA_DIR, help=f"data folder (default {DEFAULT_DATA_DIR})")
    p.add_argument("--reason", help="why, recorded with the run (etl_runs.reason)")

    p = command("check", "validate files without loading; print each problem")
    p.add_argument("files", nargs="+", type=Path)

    p = command("indicators", "print indicator values")
    p.add_argument("--year", type=int, required=True)
    p.add_argument("--subdistrict", help=SUBDISTRICT_HELP)
    p.add_argument("--community", help=COMMUNITY_HELP)
    p.add_argument("--format", choices=("table", "csv", "json"), default="table")

    p = command("scores", "print predicted points (分值) by indicator, area and in total")
    p.add_argument("--year", type=int, required=True)
    p.add_argument("--subdistrict", help=SUBDISTRICT_HELP)
    p.add_argument("--community", help=COMMUNITY_HELP)
    p.add_argument("--format", choices=("table", "csv", "json"), default="table")

    p = command("report", "generate the annual evaluation report")
    p.add_argument("--year", type=int, required=True)
    p.add_argument("--subdistrict", help=SUBDISTRICT_HELP)
    p.add_argument("--community", help=COMMUNITY_HELP)
    p.add_argument("--format", choices=("docx", "pdf"), default="docx")
    p.add_argument("--out", type=Path, required=True)

    p = command("export", "write 导出中心's bundle (charts, data XLSX, report) to a folder")
    p.add_argument("--year", type=int, required=True)
    p.add_argument("--subdistrict", help=SUBDISTRICT_HELP)
    p.add_argument("--community", help=COMMUNITY_HELP)
    p.add_argument("--out", type=Path, required=True, help="folder for the .zip and its unpacked files")

    p = command("backup", "copy the database, snapshots, uploads, accounts and audit trail to another disk")
    p.add_argument("--to", type=Path, help="backup folder (default: env COCKPIT_BACKUP_DIR)")

    p = command("templates", "write one .xlsx template per record type")
    p.add_argument("--out", type=Path, required=True)

    p = command("read-report", "propose the figures of a published report (.txt, .html, .docx, .pdf)")
    p.add_argument("file", type=Path)
    p.add_argument("--year", type=int, help="the report's year (default: from its title or date)")
    p.add_argument("--format", choices=("table", "json"), default="table")
    p.add_argument("--tables", action="store_true", help="the statutory GI tables 表二/表三/表四 as gi_annual cells")

    command("snapshots", "list the kept database snapshots")

    p = command("rollback", "restore the database of an earlier run")
    p.add_argument("run_id")
    p.add_argument("--reason", help="why, recorded with the run (etl_runs.reason)")

    from security.cli import add_parsers  # `users` and `audit`; the account and audit modules load on use
    add_parsers(command)
    return parser


def main(argv: list[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    # Imported per command so that `check` does not pay for the report stack, and so on.
    if args.command == "build":
        from etl.build import cli_build as run
    elif args.command == "check":
        from etl.build import cli_check as run
    elif args.command == "indicators":
        from reporting.indicator_table import cli_indicators as run
    elif args.command == "scores":
        from reporting.scores import cli_scores as run
    elif args.command == "report":
        from reporting.bundle import cli_report as run
    elif args.command == "export":
        from reporting.bundle import cli_export as run
    elif args.command == "templates":
        from etl.templates import cli_templates as run
    elif args.command == "backup":
        from etl.backup import cli_backup as run
    elif args.command == "read-report":
        from etl.report_reader import cli_read_report as run
    elif args.command in ("users", "audit"):
        from security.cli import run
    else:
        from etl.restore import cli_snapshots, cli_rollback
        run = cli_snapshots if args.command == "snapshots" else cli_rollback
    code = run(args)
    # Audited with the OS user: they change the published figures, or take them out.
    if args.command in ("build", "rollback", "report", "export", "backup"):
        from etl.publish import database_run_id
        from security.cli import record_cli_run
        code = record_cli_run(args, code, database_run_id(args.db) if Path(args.db).exists() else None)
    return code


if __name__ == "__main__":
    sys.exit(main())
