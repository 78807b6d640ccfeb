"""`netweave demo [--reset]`: load the demo networks into the database named by DATABASE_URL."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandParser
from django.utils.translation import gettext as _

from netweave.demo import data
from netweave.demo.load import demo_is_loaded, demo_load, demo_remove
from netweave.networks.management.commands._database import migrate_if_needed


class Command(BaseCommand):
    help = "Load the demo networks, people and sign-in accounts (idempotent; --reset reloads)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--reset",
            action="store_true",
            help="Delete the demo networks and demo people first, then load the demo again.",
        )

    def handle(self, *args: Any, reset: bool = False, **options: Any) -> None:
        verbose = options.get("verbosity", 1) >= 1
        migrate_if_needed(self.stdout, verbose=verbose)
        if demo_is_loaded():
            if not reset:
                self.stdout.write(
                    _(
                        "The demo is already loaded (networks lahp and vdan). "
                        "Run `netweave demo --reset` to delete it and load it again."
                    )
                )
                self._print_sign_in()
                return
            demo_remove()
            if verbose:
                self.stdout.write(_("Deleted the demo networks, people and accounts."))
        if verbose:
            self.stdout.write(_("Loading the demo…"))
        summary = demo_load(stdout=self.stdout if options.get("verbosity", 1) >= 2 else None)
        self.stdout.write(
            self.style.SUCCESS(
                _(
                    "Loaded the demo: %(networks)s networks (%(slugs)s), %(people)s people, "
                    "%(orgs)s organizations, %(countries)s countries."
                )
                % {
                    "networks": len(summary.networks),
                    "slugs": ", ".join(summary.networks),
                    "people": summary.people,
                    "orgs": summary.organizations,
                    "countries": summary.countries,
                }
            )
        )
        self._print_sign_in()

    def _print_sign_in(self) -> None:
        base = settings.NETWEAVE_BASE_URL.rstrip("/")
        lines = [
            "",
            _("Sign in at %(url)s with the password “%(password)s”:")
            % {"url": f"{base}/accounts/login/", "password": data.DEMO_PASSWORD},
            f"  {data.COORDINATOR_EMAIL:<32} {_('coordinator of both demo networks')}",
            f"  {data.MEMBER_EMAIL:<32} {_('a member of both demo networks')}",
            f"  {data.ADMIN_EMAIL:<32} "
            + _("site administrator (also %(url)s)") % {"url": f"{base}/admin/"},
            "",
            _("Start the server with: netweave serve"),
        ]
        self.stdout.write("\n".join(lines))
