"""Small, hand-built fields for the tests: topics, resources, products and investments whose
totals and gap scores are worked out by hand in the tests that use them."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from django.utils import timezone

from netweave.field.models import Investment, Product, ProductStage
from netweave.field.services import (
    exchange_rate_set,
    investment_create,
    organizations_from_names,
    product_create,
    stages_ensure_default,
)
from netweave.library.models import Resource, Topic, Visibility
from netweave.networks.models import Network
from netweave.people.models import Organization


def topic(network: Network, name: str, parent: Topic | None = None) -> Topic:
    return Topic.objects.create(
        network=network, name=name, slug=name.lower().replace(" ", "-"), parent=parent
    )


def resource(
    network: Network,
    title: str,
    topics: list[Topic],
    *,
    status: str = Resource.Status.PUBLISHED,
    visibility: str = Visibility.NETWORK,
) -> Resource:
    made = Resource.objects.create(
        network=network,
        title=title,
        url="https://example.org/" + title.lower().replace(" ", "-"),
        status=status,
        visibility=visibility,
        published_at=timezone.now() if status == Resource.Status.PUBLISHED else None,
    )
    made.topics.set(topics)
    return made


def org(name: str) -> Organization:
    return organizations_from_names([name])[0]


def stage(network: Network, slug: str) -> ProductStage:
    return ProductStage.objects.get(network=network, slug=slug)


@dataclass
class GapField:
    """Topics A (with A1 under it), B, C and D, and what happens in them:

    - resources (published, network-only unless said): two in A1 (one of them also in A itself,
      so A counts it once), one in B, one in C; an unpublished one in C (never counted); a
      coordinators-only one in B (counted for curators only);
    - products: "Alpha" (A1, phase I) and "Beta" (B, preclinical), both recorded today, and
      "Gamma" (C, approved: the last stage, so no longer in development);
    - investments this year: 600 USD to Alpha in A1; 400 EUR in C (1 EUR = 1.5 USD this year:
      600 USD); a coordinators-only 1,000 USD in B; and an old 5,000 USD in B eleven years ago.

    Seen by a member: activity A 2+1+1 = 4, B 1+1+1 = 3, C 1+0+0 = 1 (8 in all); funding A 600,
    B 0, C 600 (1,200). Scores: B 3/8 − 0 = +0.375, A 4/8 − 1/2 = 0, C 1/8 − 1/2 = −0.375.

    Seen by a coordinator: B has two resources (activity 4, 4, 1: 9 in all) and 1,000 USD
    (2,200 in all): A 4/9 − 6/22 ≈ +0.172, B 4/9 − 10/22 ≈ −0.010, C 1/9 − 6/22 ≈ −0.162."""

    a: Topic
    a1: Topic
    b: Topic
    c: Topic
    d: Topic
    alpha: Product
    beta: Product
    gamma: Product
    secret: Investment
    old: Investment


def gap_field(network: Network, *, today: date | None = None) -> GapField:
    today = today or timezone.localdate()
    stages_ensure_default(network)
    a = topic(network, "Vaccines")
    a1 = topic(network, "Mucosal vaccines", parent=a)
    b = topic(network, "Diagnostics")
    c = topic(network, "Therapeutics")
    d = topic(network, "Devices")
    resource(network, "A1 report", [a1])
    resource(network, "A and A1 guidance", [a, a1])
    resource(network, "B tool", [b])
    resource(network, "C story", [c])
    resource(network, "C draft", [c], status=Resource.Status.SUBMITTED)
    resource(network, "B internal memo", [b], visibility=Visibility.COORDINATORS)
    alpha = product_create(
        network=network,
        name="Alpha",
        kind=Product.Kind.VACCINE,
        stage=stage(network, "phase-1"),
        stage_date=today,
        topics=[a1],
    )
    beta = product_create(
        network=network,
        name="Beta",
        kind=Product.Kind.DIAGNOSTIC,
        stage=stage(network, "preclinical"),
        stage_date=today,
        topics=[b],
    )
    gamma = product_create(
        network=network,
        name="Gamma",
        kind=Product.Kind.DRUG,
        stage=stage(network, "approved"),
        stage_date=today,
        topics=[c],
    )
    funder = org("Gap Foundation")
    exchange_rate_set(network=network, currency="EUR", year=today.year, rate=Decimal("1.5"))
    investment_create(
        network=network, funder=funder, amount=600, year=today.year, topic=a1, product=alpha
    )
    investment_create(
        network=network, funder=funder, amount=400, currency="EUR", year=today.year, topic=c
    )
    secret = investment_create(
        network=network,
        funder=org("Quiet Trust"),
        amount=1000,
        year=today.year,
        topic=b,
        visibility=Visibility.COORDINATORS,
    )
    old = investment_create(
        network=network, funder=funder, amount=5000, year=today.year - 11, topic=b
    )
    return GapField(
        a=a, a1=a1, b=b, c=c, d=d, alpha=alpha, beta=beta, gamma=gamma, secret=secret, old=old
    )
