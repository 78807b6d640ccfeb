"""`netweave weaving_due`: expire introductions past their answer deadline and send the follow-ups
that are due, in every network. Each introduction books its own check as a deferred task; run this
daily from cron as a safety net (it is idempotent)."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from netweave.weaving.services import weaving_due


class Command(BaseCommand):
    help = "Expire overdue introductions and send the follow-ups that are due (run daily)."

    def handle(self, *args: Any, **options: Any) -> None:
        done = weaving_due()
        self.stdout.write(
            f"{done['expired']} introduction(s) expired, {done['follow_ups']} follow-up(s) sent."
        )
