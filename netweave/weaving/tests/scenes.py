"""Small weaving scenes shared by the page and browser tests."""

from __future__ import annotations

from netweave.lib.testing import make_member
from netweave.people.models import Role
from netweave.ties.models import Tie
from netweave.ties.services import tie_add
from netweave.weaving.models import RecommendationRun
from netweave.weaving.services import recommendations_compute


def weave_a_pair(cast):  # type: ignore[no-untyped-def]
    """The cast's network with profiles and ties that make the member and Beatriz a good pair:
    two shared contacts, the same topic, and Beatriz offers what the member looks for."""
    network = cast.network
    member = cast.member
    member.seeks = "trial design"
    member.save(update_fields=["seeks"])
    beatriz = make_member(
        network,
        Role.MEMBER,
        name="Beatriz Okafor",
        email="beatriz@example.org",
        expertise=["HIV prevention", "pharmacology"],
        offers="trial design; statistics",
        country="NG",
        organization="Lagos Trials Unit",
    )
    hub_a = make_member(network, Role.MEMBER, name="Hassan Hub", email="hassan@example.org")
    hub_b = make_member(network, Role.MEMBER, name="Ines Hub", email="ines@example.org")
    for a, b in [(member, hub_a), (member, hub_b), (beatriz, hub_a), (beatriz, hub_b)]:
        tie_add(network=network, source=a, target=b, kind=Tie.Kind.KNOWS)
    for person in (hub_a, hub_b):
        person.map_consent = "named"
        person.save(update_fields=["map_consent"])
    RecommendationRun.objects.create(network=network, status=RecommendationRun.Status.DONE)
    recommendations_compute(network=network)
    RecommendationRun.objects.filter(network=network).update(finished_at=beatriz.created_at)
    return beatriz
