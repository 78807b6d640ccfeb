"""`netweave outreach_tick`: the outreach clock, for cron every minute.

    * * * * *  cd /srv/netweave && .venv/bin/netweave outreach_tick

Each run sends the scheduled issues that are due, resumes issues still sending whose sender died
(no live lease on their queued deliveries), and sends the events' due reminders. Sending happens in
this process unless --enqueue hands it to the task worker. Overlapping runs are safe: senders share
the queue through leases, and each recipient gets an issue exactly once."""

from __future__ import annotations

import smtplib
from typing import Any

from django.core.management.base import BaseCommand, CommandParser
from django.utils import timezone

from netweave.outreach import delivery
from netweave.outreach.models import Newsletter


class Command(BaseCommand):
    help = (
        "Run every minute from cron (* * * * * netweave outreach_tick): send scheduled "
        "newsletters that are due, resume sending interrupted by a dead worker, and send event "
        "reminders. --enqueue hands the sending to the task worker instead of this process."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--enqueue",
            action="store_true",
            help="enqueue the sending for the task worker instead of sending here",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        now = timezone.now()
        due = list(
            Newsletter.objects.filter(
                status=Newsletter.Status.SCHEDULED, scheduled_at__lte=now
            ).values_list("pk", flat=True)
        )
        # An issue left SENDING with nothing queued (its sender died after the last message)
        # is finished; one with queued rows no live sender holds is resumed.
        sending = []
        for pk in Newsletter.objects.filter(status=Newsletter.Status.SENDING).values_list(
            "pk", flat=True
        ):
            if not delivery.finish_if_done(pk) and delivery.needs_resuming(pk):
                sending.append(pk)
        for pk in [*due, *sending]:
            if options["enqueue"]:
                delivery.enqueue_delivery(pk)
                self.stdout.write(f"issue {pk}: handed to the task worker")
            else:
                try:
                    counts = delivery.send_pending(pk)
                except (smtplib.SMTPException, OSError) as error:
                    # The mail server is down or refusing: the rows stay queued for the next
                    # tick, and the other issues and the reminders still get their turn.
                    self.stderr.write(f"issue {pk}: the mail server failed ({error}); try again")
                    continue
                self.stdout.write(
                    f"issue {pk}: sent {counts.sent}, failed {counts.failed}, "
                    f"skipped {counts.skipped}"
                )
        self.reminders(now)

    def reminders(self, now: Any) -> None:
        try:
            from netweave.outreach.events import send_due_reminders
        except ImportError:
            self.stdout.write("event reminders: not available yet (netweave.outreach.events)")
            return
        sent = send_due_reminders(now=now)
        self.stdout.write(f"event reminders sent: {sent}")
