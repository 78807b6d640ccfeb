"""`netweave import_ics --network SLUG FILE... [--commit] [--zone ZONE] [--kind KIND]`: import the
events of iCalendar files into a network. Without --commit it is a dry run: it prints what would be
created, updated or skipped, and why, and writes nothing."""

from __future__ import annotations

from pathlib import Path
from typing import Any
from zoneinfo import available_timezones

from django.core.management.base import BaseCommand, CommandError, CommandParser

from netweave.networks.models import Network
from netweave.outreach.ics_import import import_calendar
from netweave.outreach.models import Event


class Command(BaseCommand):
    help = "Import events from iCalendar (.ics) files into a network (a dry run unless --commit)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("files", nargs="+", metavar="FILE")
        parser.add_argument("--network", required=True, help="the network's short name (slug)")
        parser.add_argument("--commit", action="store_true", help="write the events")
        parser.add_argument(
            "--zone", default="UTC", help="IANA zone for floating times and all-day events"
        )
        parser.add_argument(
            "--kind",
            default=Event.Kind.WEBINAR,
            choices=Event.Kind.values,
            help="kind when the file's categories do not name one",
        )
        parser.add_argument(
            "--visibility",
            default=Event.Visibility.MEMBERS,
            choices=Event.Visibility.values,
            help="who may see the imported events (default: members)",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        network = Network.objects.filter(slug=options["network"]).first()
        if network is None:
            raise CommandError(f"No network with the short name {options['network']!r}.")
        if options["zone"] not in available_timezones():
            raise CommandError(
                f"{options['zone']!r} is not an IANA time zone (e.g. UTC, Europe/Paris)."
            )
        refused = 0
        for name in options["files"]:
            path = Path(name)
            if not path.is_file():
                raise CommandError(f"{name}: no such file.")
            report = import_calendar(
                network,
                path.read_bytes(),
                commit=options["commit"],
                zone=options["zone"],
                kind=options["kind"],
                visibility=options["visibility"],
            )
            if report.refused:
                refused += 1
                self.stderr.write(f"{name}: refused: {report.refusal}")
                continue
            for row in report.rows:
                when = row.starts_at.isoformat() if row.starts_at else "-"
                notes = "; ".join(row.notes)
                self.stdout.write(
                    f"{name}:{row.number}: {row.action}: {row.title or '-'} ({when})"
                    + (f" - {notes}" if notes else "")
                )
            verb = "imported" if options["commit"] else "dry run (nothing written)"
            self.stdout.write(
                f"{name}: {verb}: {report.created} created, {report.updated} updated, "
                f"{report.skipped} skipped."
            )
        if refused:
            raise CommandError(f"{refused} file(s) refused.")
