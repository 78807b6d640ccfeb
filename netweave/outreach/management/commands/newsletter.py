"""`netweave newsletter send|resume|status --network SLUG`: send an issue from this process.

    netweave newsletter send --network SLUG --latest [--yes]   the latest unsent issue
    netweave newsletter send --network SLUG --number N [--yes]
    netweave newsletter resume --network SLUG                  finish an issue that is sending
    netweave newsletter status --network SLUG                  the latest issues and their counts

`send` takes the latest issue that is not sent yet (a draft, a scheduled issue, or one still
sending: resumed) and sends it through the configured mail server (EMAIL_HOST...) here, with a
progress bar and a summary. It is safe to run while a worker sends the same issue, and to run again
after a crash: every recipient gets the issue exactly once (see netweave/outreach/delivery.py)."""

from __future__ import annotations

import sys
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from netweave.networks.models import Network
from netweave.outreach import delivery
from netweave.outreach.common import OutreachError
from netweave.outreach.models import Delivery, Newsletter

UNSENT = (Newsletter.Status.DRAFT, Newsletter.Status.SCHEDULED, Newsletter.Status.SENDING)


class ProgressBar:
    """A text progress bar on a terminal (one line, redrawn); plain lines otherwise."""

    def __init__(self, stream: Any, total: int) -> None:
        self.stream, self.total = stream, total
        self.tty = bool(getattr(stream, "isatty", lambda: False)())
        self.last_line = -1.0

    def __call__(self, counts: delivery.DeliveryCounts, total: int) -> None:
        total = max(self.total, 1)
        done = min(counts.done, total)
        share = done / total
        width = 30
        bar = "#" * int(share * width) + "-" * (width - int(share * width))
        line = (
            f"[{bar}] {done}/{self.total} {share:6.1%}  "
            f"{counts.rate:7.1f} msg/s  {counts.elapsed:6.1f}s"
        )
        if self.tty:
            self.stream.write("\r" + line)
            self.stream.flush()
        elif counts.elapsed - self.last_line >= 5 or done >= total:
            self.last_line = counts.elapsed
            self.stream.write(line + "\n")
            self.stream.flush()

    def finish(self) -> None:
        if self.tty:
            self.stream.write("\n")


class Command(BaseCommand):
    help = (
        "Send a newsletter issue from this process (send --latest | --number N), resume one "
        "that is sending, or show the status of the latest issues."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        actions = parser.add_subparsers(dest="action", required=True)
        send = actions.add_parser("send", help="send the latest unsent issue, or issue N")
        send.add_argument("--network", required=True, help="the network's slug")
        which = send.add_mutually_exclusive_group(required=True)
        which.add_argument("--latest", action="store_true", help="the latest unsent issue")
        which.add_argument("--number", type=int, help="the issue with this number")
        send.add_argument("--yes", action="store_true", help="do not ask before sending")
        resume = actions.add_parser("resume", help="finish sending an issue that is sending")
        resume.add_argument("--network", required=True, help="the network's slug")
        status = actions.add_parser("status", help="the latest issues and their deliveries")
        status.add_argument("--network", required=True, help="the network's slug")

    def handle(self, *args: Any, **options: Any) -> None:
        network = Network.objects.filter(slug=options["network"]).first()
        if network is None:
            raise CommandError(f"No network with the slug {options['network']!r}.")
        action = options["action"]
        if action == "status":
            self.status(network)
            return
        if action == "resume":
            newsletter = (
                Newsletter.objects.filter(network=network, status=Newsletter.Status.SENDING)
                .order_by("-number")
                .first()
            )
            if newsletter is None:
                raise CommandError(f"No issue of {network.name} is sending: nothing to resume.")
        else:
            newsletter = self.pick(network, options.get("number"))
            if not newsletter.editions.exists():
                raise CommandError(
                    f"Issue #{newsletter.number} has no edition: write it before sending."
                )
            if newsletter.status != Newsletter.Status.SENDING:
                if not options["yes"] and not self.confirm(newsletter):
                    self.stdout.write("Nothing sent.")
                    return
                try:
                    delivery.start_sending(newsletter, enqueue=False)
                except OutreachError as error:
                    raise CommandError(str(error)) from error
        self.send(newsletter)

    def pick(self, network: Network, number: int | None) -> Newsletter:
        issues = Newsletter.objects.filter(network=network)
        if number is not None:
            found = issues.filter(number=number).first()
            if found is None:
                raise CommandError(f"{network.name} has no issue #{number}.")
            if found.status not in UNSENT:
                raise CommandError(
                    f"Issue #{number} is {found.get_status_display().lower()}, not sendable."
                )
            return found
        found = issues.filter(status__in=UNSENT).order_by("-number").first()
        if found is None:
            raise CommandError(f"{network.name} has no unsent issue (draft, scheduled, sending).")
        return found

    def confirm(self, newsletter: Newsletter) -> bool:
        recipients = delivery.recipients_for(newsletter).count()
        answer = input(
            f"Send issue #{newsletter.number} of {newsletter.network.name} to {recipients} "
            f"recipients now? [y/N] "
        )
        return answer.strip().lower() in ("y", "yes")

    def send(self, newsletter: Newsletter) -> None:
        queued = Delivery.objects.filter(
            newsletter=newsletter, status=Delivery.Status.QUEUED
        ).count()
        self.stdout.write(f"Sending issue #{newsletter.number}: {queued} messages queued.")
        bar = ProgressBar(sys.stderr, queued)
        counts = delivery.send_pending(newsletter.pk, progress=bar)
        bar.finish()
        left = delivery.counts(newsletter)
        self.stdout.write(
            f"sent {counts.sent}, failed {counts.failed}, skipped {counts.skipped}"
            + (f", to retry {counts.requeued}" if counts.requeued else "")
            + f" in {counts.elapsed:.1f}s ({counts.rate:.0f} msg/s)"
        )
        if left["queued"]:
            self.stdout.write(
                f"{left['queued']} still queued (held by another sender or to retry): "
                f"run `netweave newsletter resume --network {newsletter.network.slug}` later."
            )
        else:
            self.stdout.write(self.style.SUCCESS(f"Issue #{newsletter.number} is sent."))

    def status(self, network: Network) -> None:
        issues = list(Newsletter.objects.filter(network=network).order_by("-number")[:5])
        if not issues:
            self.stdout.write(f"{network.name} has no issue yet.")
            return
        self.stdout.write(f"{'issue':>6} {'status':<10} " + " ".join(f"{k:>8}" for k in KEYS))
        for issue in issues:
            found = delivery.counts(issue)
            self.stdout.write(
                f"{'#' + str(issue.number):>6} {issue.status:<10} "
                + " ".join(f"{found[k]:>8}" for k in KEYS)
            )


KEYS = ("queued", "sent", "failed", "skipped", "bounced", "opens", "clicks")
