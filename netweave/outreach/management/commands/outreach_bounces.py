"""`netweave outreach_bounces --network SLUG FILE.mbox`: read a mailbox file of bounce reports
and complaints, record them (suppressing addresses by the rules) and print what each message was:
a bounce recorded, a complaint recorded, or not a bounce (and why)."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from netweave.networks.models import Network
from netweave.outreach.bounces import process_mbox


class Command(BaseCommand):
    help = "Record the bounces and complaints in a mailbox (mbox) file for a network."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--network", required=True, help="The network's slug.")
        parser.add_argument("file", help="The mailbox file (mbox format).")

    def handle(self, *args: Any, **options: Any) -> None:
        network = Network.objects.filter(slug=options["network"]).first()
        if network is None:
            raise CommandError(f"No network with the slug {options['network']!r}.")
        try:
            report = process_mbox(network=network, path=options["file"])
        except FileNotFoundError:
            raise CommandError(f"No such file: {options['file']}") from None
        for line in report.lines():
            self.stdout.write(line)
        self.stdout.write(
            f"{report.total} message(s): {report.bounces} bounce(s) recorded, "
            f"{report.complaints} complaint(s) recorded, {report.ignored} not a bounce; "
            f"{len(report.suppressed)} address(es) newly suppressed."
        )
