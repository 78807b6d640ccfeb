"""Shared rows for the events tests: an event factory and a network with members."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

import pytest
from django.utils import timezone

from netweave.lib.testing import make_member, make_network
from netweave.networks.models import Network
from netweave.outreach import events
from netweave.outreach.models import Event


def make_event(
    network: Network, *, starts_in: timedelta = timedelta(days=3), **fields: Any
) -> Event:
    starts: datetime = fields.pop("starts_at", None) or timezone.now() + starts_in
    fields.setdefault("title", "Learning call")
    fields.setdefault("ends_at", starts + timedelta(hours=2))
    fields.setdefault("time_zone", "Europe/Paris")
    return events.event_create(network=network, by=None, starts_at=starts, **fields)


@pytest.fixture(name="network")
def network_fixture(db: Any) -> Network:
    return make_network(name="Events Network", slug="events-net", languages=["en"])


@pytest.fixture(name="members")
def members_fixture(network: Network) -> list[Any]:
    return [
        make_member(network, name=f"Member {i}", email=f"member{i}@example.org") for i in range(4)
    ]
