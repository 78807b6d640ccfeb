"""`manage.py import_people --network SLUG --kind KIND FILE [--commit]`

KIND is people (the default), organizations, resources, products or investments (the last three
also as `netweave import_csv`). A dry run unless --commit: prints what would be created or
updated and every bad cell. Exits with status 2 when any row is bad (nothing is written then, with
or without --commit)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from tqdm import tqdm

from netweave.networks.models import Network
from netweave.people.importing import KINDS, ImportReport, import_file


class Command(BaseCommand):
    help = (
        "Import members (CSV or vCard), organizations, resources, products or investments (CSV) "
        "into a network. Checks the file and writes nothing unless --commit is given."
    )
    kinds: tuple[str, ...] = KINDS
    default_kind: str | None = "people"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", help="a CSV file (UTF-8, header row) or a vCard file (.vcf)")
        parser.add_argument("--network", required=True, help="the network's short name (slug)")
        if self.default_kind is None:
            parser.add_argument("--kind", choices=self.kinds, required=True)
        else:
            parser.add_argument("--kind", choices=self.kinds, default=self.default_kind)
        parser.add_argument(
            "--commit", action="store_true", help="write to the database (default: dry run)"
        )
        parser.add_argument("--json", action="store_true", help="print the report as JSON")
        parser.add_argument("--no-progress", action="store_true", help="no progress bar")

    def handle(self, *args: Any, **options: Any) -> None:
        network = Network.objects.filter(slug=options["network"]).first()
        if network is None:
            raise CommandError(f"There is no network with the short name {options['network']!r}.")
        path = Path(options["file"])
        try:
            content = path.read_bytes()
        except OSError as problem:
            raise CommandError(f"Cannot read {path}: {problem.strerror}") from None
        dry_run = not options["commit"]

        # tqdm writes carriage returns; the raw stream, not Django's line-ending wrapper.
        stream = getattr(self.stderr, "_out", self.stderr)
        with tqdm(
            total=0, unit="step", file=stream, disable=options["no_progress"], leave=False
        ) as bar:

            def progress(done: int, total: int) -> None:
                if bar.total != total:
                    bar.reset(total=total)
                bar.set_description("Checking" if dry_run or done * 2 <= total else "Writing")
                bar.update(done - bar.n)

            report = import_file(
                network=network,
                kind=options["kind"],
                filename=path.name,
                content=content,
                dry_run=dry_run,
                progress=progress,
            )

        if options["json"]:
            self.stdout.write(json.dumps(report.as_dict(), indent=2, ensure_ascii=False))
        else:
            self._print(report, network)
        if report.errors:
            for error in report.errors:
                where = f"line {error.line}" if error.line else "file"
                column = f", {error.column}" if error.column else ""
                self.stderr.write(f"{where}{column}: {error.message}")
            raise CommandError(
                f"{report.bad_rows} bad row(s) or file problem(s); nothing was written.",
                returncode=2,
            )

    def _print(self, report: ImportReport, network: Network) -> None:
        mode = "import" if not report.dry_run else "dry run"
        lines = [
            f"{report.kind} from {report.filename} into {network.slug} ({mode})",
            f"  rows:              {report.total_rows}",
            f"  to create:         {report.to_create}",
            f"  to update:         {report.to_update}",
            f"  unchanged:         {report.unchanged}",
        ]
        if report.kind == "people":
            lines.append(f"  new members:       {report.new_memberships}")
        if report.kind in ("people", "products", "investments"):
            lines.append(f"  new organizations: {report.new_organizations}")
        if report.errors:
            lines.append(f"  bad rows:          {report.bad_rows}")
        for warning in report.warnings:
            lines.append(f"  note, line {warning.line}: {warning.message}")
        if report.committed:
            lines.append("Imported.")
        elif not report.errors:
            lines.append("Nothing was written (dry run). Run again with --commit to import.")
        self.stdout.write("\n".join(lines))
