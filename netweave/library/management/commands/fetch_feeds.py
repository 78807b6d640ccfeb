"""`netweave fetch_feeds [--network SLUG] [--all]`: fetch the feeds that are due, here and now.

Each feed books its own next fetch in the background; run this from cron (say hourly) as a
safety net, or by hand to see what each feed does. It is idempotent: a feed that is not due is
not fetched, unless --all asks for every active feed."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone

from netweave.library.ingest import feed_fetch, feed_fetch_if_due, feeds_due
from netweave.library.models import Feed
from netweave.networks.models import Network


class Command(BaseCommand):
    help = "Fetch the RSS/Atom feeds that are due (run from cron as a safety net)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--network", metavar="SLUG", help="Only this network's feeds.")
        parser.add_argument(
            "--all",
            action="store_true",
            help="Fetch every active feed now, due or not.",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        network = None
        if options["network"]:
            network = Network.objects.filter(slug=options["network"]).first()
            if network is None:
                raise CommandError(
                    f"There is no network with the short name {options['network']!r}."
                )
        now = timezone.now()
        if options["all"]:
            feeds = Feed.objects.filter(active=True)
            if network is not None:
                feeds = feeds.filter(network=network)
            ids = list(feeds.order_by("pk").values_list("pk", flat=True))
        else:
            ids = feeds_due(now, network=network)
        names = dict(Feed.objects.filter(pk__in=ids).values_list("pk", "url"))
        titles = dict(Feed.objects.filter(pk__in=ids).values_list("pk", "title"))
        total = len(ids)
        if not total:
            self.stdout.write("No feed is due." if not options["all"] else "No active feed.")
            return
        self.stdout.write(f"Fetching {total} feed(s)…")
        new = failed = 0
        for number, feed_id in enumerate(ids, start=1):
            outcome = (
                feed_fetch(feed_id=feed_id)
                if options["all"]
                else feed_fetch_if_due(feed_id=feed_id)
            )
            if outcome.status not in ("skipped", "missing"):
                from netweave.library.feed_tasks import fetch_later

                fetch_later(feed_id)
            label = titles.get(feed_id) or names.get(feed_id, f"feed {feed_id}")
            if outcome.status == Feed.FetchStatus.OK:
                result = f"{outcome.new_items} new item(s) of {outcome.entries}"
                if outcome.message:
                    result += f" (warning: {outcome.message})"
            elif outcome.status == Feed.FetchStatus.NOT_MODIFIED:
                result = "not modified"
            elif outcome.status == "skipped":
                result = "skipped (another fetch took it)"
            elif outcome.status == "missing":
                result = "removed meanwhile"
            else:
                failed += 1
                result = f"{outcome.status}: {outcome.message}"
            new += outcome.new_items
            self.stdout.write(f"[{number}/{total}] {label}: {result}")
        self.stdout.write(f"Done: {new} new item(s) in the inbox, {failed} feed(s) failed.")
