"""`netweave generate --members N --seed S`: a synthetic network of N members, for trying scale."""

from __future__ import annotations

import argparse
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext as _

from netweave.demo.generate import GenerateError, generate_network
from netweave.networks.management.commands._database import migrate_if_needed


def positive_int(value: str) -> int:
    try:
        number = int(value)
    except ValueError:
        number = 0
    if number < 1:
        raise argparse.ArgumentTypeError(_("“%s” is not a whole number of 1 or more.") % value)
    return number


class Command(BaseCommand):
    help = (
        "Create a synthetic network of N members with realistic profiles (deterministic per seed)."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--members", type=positive_int, required=True, help="How many members.")
        parser.add_argument(
            "--seed", type=int, default=1, help="Same seed, same people (default 1)."
        )
        parser.add_argument(
            "--network",
            default="synthetic",
            help="Short name of the network; created when it does not exist (default: synthetic).",
        )
        parser.add_argument(
            "--ties-per-member",
            type=int,
            default=0,
            help="Reserved for when ties are modelled; ignored for now.",
        )
        parser.add_argument("--batch-size", type=positive_int, default=2000)

    def handle(self, *args: Any, **options: Any) -> None:
        migrate_if_needed(self.stdout, verbose=options["verbosity"] >= 1)
        if options["ties_per_member"]:
            self.stderr.write(_("Ties are not modelled yet: --ties-per-member is ignored."))
        try:
            result = generate_network(
                members=options["members"],
                seed=options["seed"],
                slug=options["network"],
                batch_size=options["batch_size"],
                progress=options["verbosity"] >= 1,
            )
        except GenerateError as error:
            raise CommandError(str(error)) from error
        self.stdout.write(
            self.style.SUCCESS(
                _(
                    "Generated %(people)s members from %(orgs)s organizations in /n/%(slug)s/ "
                    "in %(seconds).1f s."
                )
                % {
                    "people": result.people,
                    "orgs": result.organizations,
                    "slug": result.network.slug,
                    "seconds": result.seconds,
                }
            )
        )
