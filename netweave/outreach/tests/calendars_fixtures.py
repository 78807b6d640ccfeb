"""Rows the calendar tests share: events and registrations made directly (the events area's
services are tested in their own files)."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from django.utils import timezone

from netweave.networks.models import Network
from netweave.outreach.models import Event, Registration
from netweave.people.models import Person

PARIS = ZoneInfo("Europe/Paris")


def make_event(network: Network, **fields: Any) -> Event:
    start = fields.pop("starts_at", timezone.now().replace(microsecond=0) + timedelta(days=7))
    fields.setdefault("title", "Webinar on weaving")
    fields.setdefault("ends_at", start + timedelta(hours=1, minutes=30))
    return Event.objects.create(network=network, starts_at=start, **fields)


def paris_event(network: Network, **fields: Any) -> Event:
    """09:00-10:30 in Paris on a summer day (07:00 UTC)."""
    start = datetime(2031, 6, 12, 9, 0, tzinfo=PARIS)
    fields.setdefault("title", "Atelier: réseaux, données; et « virgules »")
    fields.setdefault("description", "We **meet** to map ties.\n\n- one\n- two")
    fields.setdefault("venue", "Salle 3, 12 rue de la Paix, Paris")
    fields.setdefault("kind", Event.Kind.WORKSHOP)
    return make_event(
        network,
        starts_at=start,
        ends_at=start + timedelta(hours=1, minutes=30),
        time_zone="Europe/Paris",
        **fields,
    )


def register(
    event: Event, person: Person, status: str = Registration.Status.REGISTERED
) -> Registration:
    return Registration.objects.create(
        network=event.network,
        event=event,
        person=person,
        name=person.name,
        email=person.email.lower(),
        status=status,
    )
