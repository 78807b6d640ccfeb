"""`netweave library_reindex [--network SLUG] [--rebuild]`: refresh the resource search index.

Recomputes every resource's search text (title, summary, authors, topics, stems and facet tags)
and year, which the database's full-text index follows. Idempotent: a resource whose text has not
changed is not written. Run it after a bulk change that bypassed the services (an SQL update, a
restore), after renaming topics or people in bulk, or after upgrading the stemmer. --rebuild also
rebuilds SQLite's FTS5 table and its triggers from scratch (needed if a migration rebuilt
library_resource and dropped them); on PostgreSQL the index is a generated column and cannot
drift."""

from __future__ import annotations

import time
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from netweave.library.search import index_rebuild, resources_reindex
from netweave.networks.models import Network


class Command(BaseCommand):
    help = "Refresh the search text of the resources (and, with --rebuild, the index itself)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--network", metavar="SLUG", help="Only this network's resources.")
        parser.add_argument(
            "--rebuild",
            action="store_true",
            help="Also rebuild the full-text index from scratch (SQLite: the FTS5 table and its "
            "triggers).",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        network = None
        if options["network"]:
            network = Network.objects.filter(slug=options["network"]).first()
            if network is None:
                raise CommandError(
                    f"There is no network with the short name {options['network']!r}."
                )
        started = time.monotonic()
        if options["rebuild"]:
            # Triggers first, so that the texts written below reach the index.
            index_rebuild()
        last = [0.0]

        def progress(done: int, total: int) -> None:
            if options["verbosity"] > 0 and (time.monotonic() - last[0] > 5 or done == total):
                last[0] = time.monotonic()
                self.stdout.write(f"  {done:,} / {total:,}")

        count = resources_reindex(network=network, progress=progress)
        if options["rebuild"]:
            index_rebuild()
        seconds = time.monotonic() - started
        self.stdout.write(
            self.style.SUCCESS(f"Reindexed {count:,} resource(s) in {seconds:.1f} s.")
        )
