"""`netweave library_check_links`: check the links of the resource center that are due (never
checked, or not for NETWEAVE_LINK_CHECK_DAYS), one by one with a progress bar, and print how many
work and how many are broken. Run it daily from cron; it is idempotent."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from tqdm import tqdm

from netweave.library.models import Resource
from netweave.library.services import resource_check_link, resources_due_for_link_check
from netweave.networks.models import Network


class Command(BaseCommand):
    help = "Check the resource center's links that are due, and mark the broken ones."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--network", help="Only this network (its slug).")
        parser.add_argument(
            "--all", action="store_true", help="Check every link now, not only those due."
        )
        parser.add_argument(
            "--enqueue",
            action="store_true",
            help="Queue the checks for the task worker instead of checking here.",
        )
        parser.add_argument("--no-progress", action="store_true", help="No progress bar.")

    def handle(self, *args: Any, **options: Any) -> None:
        network = None
        if options["network"]:
            network = Network.objects.filter(slug=options["network"]).first()
            if network is None:
                raise CommandError(f"There is no network {options['network']!r}.")
        if options["all"]:
            rows = Resource.objects.exclude(url="").exclude(status=Resource.Status.ARCHIVED)
            if network is not None:
                rows = rows.filter(network=network)
            due = list(rows.order_by("pk").values_list("pk", flat=True))
        else:
            due = resources_due_for_link_check(network=network)
        if options["enqueue"]:
            from netweave.library.tasks import check_link

            for resource_id in due:
                check_link.enqueue(resource_id)
            self.stdout.write(f"{len(due)} link check(s) queued.")
            return
        counts: dict[str, int] = {Resource.LinkStatus.OK: 0, Resource.LinkStatus.BROKEN: 0}
        # tqdm writes carriage returns; the raw stream, not Django's line-ending wrapper.
        stream = getattr(self.stderr, "_out", self.stderr)
        with tqdm(
            due, unit="link", file=stream, disable=options["no_progress"], leave=False
        ) as bar:
            for resource_id in bar:
                resource = resource_check_link(resource_id=resource_id)
                if resource is not None and resource.link_status in counts:
                    counts[resource.link_status] += 1
        self.stdout.write(
            f"{len(due)} link(s) checked: {counts[Resource.LinkStatus.OK]} working, "
            f"{counts[Resource.LinkStatus.BROKEN]} broken."
        )
