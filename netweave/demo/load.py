"""Load (and remove) the demo, one registered step per app.

The core step below creates the host organization, the two demo networks, their people and the
login accounts. An app that wants demo data of its own adds a `demo.py` module next to its
`models.py` and registers a step there; the step receives the `DemoContext` with everything the
steps before it created:

    # netweave/library/demo.py
    from netweave.demo.load import DemoContext, demo_step

    def remove_resources() -> None:  # optional: rows that do not cascade from the demo networks
        ...

    @demo_step("library", order=200, remove=remove_resources)
    def load_resources(ctx: DemoContext) -> None:
        network = ctx.networks["lahp"]
        ...

Steps run in `order` (the core step is 100), inside one transaction, each with its own
`random.Random` seeded from the step's name, so adding a step never changes another step's data.
Rows that belong to a demo network are removed with it (foreign keys cascade); a step only needs
`remove` for rows that live outside the networks."""

from __future__ import annotations

import random
import zlib
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

from django.db import transaction
from django.test.utils import override_settings
from django.utils import timezone
from django.utils.module_loading import autodiscover_modules

from netweave.demo import data
from netweave.demo.plan import DemoPlan, demo_plan


@dataclass
class DemoContext:
    """What the steps share: the plan, and the rows created so far, by natural key."""

    plan: DemoPlan
    today: date
    rng: random.Random = field(default_factory=random.Random)
    networks: dict[str, Any] = field(default_factory=dict)  # slug -> Network
    organizations: dict[str, Any] = field(default_factory=dict)  # name -> Organization
    people: dict[str, Any] = field(default_factory=dict)  # email -> Person
    users: dict[str, Any] = field(default_factory=dict)  # email -> User
    stdout: Any = None  # anything with write(str): sys.stdout, a command's OutputWrapper

    def log(self, message: str) -> None:
        if self.stdout is not None:
            self.stdout.write(message + "\n")


@dataclass(frozen=True)
class DemoStep:
    name: str
    order: int
    load: Callable[[DemoContext], None]
    remove: Callable[[], None] | None = None


_STEPS: dict[str, DemoStep] = {}


def demo_step(
    name: str, *, order: int = 500, remove: Callable[[], None] | None = None
) -> Callable[[Callable[[DemoContext], None]], Callable[[DemoContext], None]]:
    """Register `load(ctx)` as the demo step `name` (registering a name again replaces it)."""

    def register(load: Callable[[DemoContext], None]) -> Callable[[DemoContext], None]:
        _STEPS[name] = DemoStep(name=name, order=order, load=load, remove=remove)
        return load

    return register


def registered_steps() -> list[DemoStep]:
    autodiscover_modules("demo")  # every installed app's demo.py registers its steps
    return sorted(_STEPS.values(), key=lambda step: (step.order, step.name))


DEMO_SLUGS = ("lahp", "vdan")


def demo_is_loaded() -> bool:
    from netweave.networks.models import Network

    return Network.objects.filter(slug__in=DEMO_SLUGS).exists()


@dataclass(frozen=True)
class DemoSummary:
    networks: list[str]
    people: int
    organizations: int
    countries: int


def demo_load(*, stdout: Any = None, today: date | None = None) -> DemoSummary:
    """Run every registered step in one transaction. The caller checks `demo_is_loaded()` first."""
    today = today or timezone.localdate()
    ctx = DemoContext(plan=demo_plan(today), today=today, stdout=stdout)
    # Demo rows are not news: no mail goes out while they are made (applications notify
    # coordinators, for instance), and no background task is queued for later (a worker would
    # otherwise send the invitations, introductions and follow-ups of the demo's story).
    quiet_mail = override_settings(
        EMAIL_BACKEND="django.core.mail.backends.dummy.EmailBackend",
        TASKS={"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}},
    )
    with quiet_mail, transaction.atomic():
        for step in registered_steps():
            ctx.rng = random.Random(zlib.crc32(step.name.encode()) ^ data.DEMO_SEED)
            ctx.log(f"  {step.name}")
            step.load(ctx)
    return DemoSummary(
        networks=list(ctx.networks),
        people=len(ctx.people),
        organizations=len(ctx.organizations),
        countries=len({p.country for p in ctx.people.values() if p.country}),
    )


@transaction.atomic
def demo_remove() -> None:
    """Delete the demo networks, the demo people and accounts, and the organizations nobody else
    uses. People and organizations that are not the demo's are left alone."""
    for step in reversed(registered_steps()):
        if step.remove is not None:
            step.remove()


# --- the core step ------------------------------------------------------------------------------


def _remove_core() -> None:
    from netweave.accounts.models import User
    from netweave.networks.models import Network
    from netweave.people.models import Organization, Person

    plan = demo_plan(timezone.localdate())
    Network.objects.filter(slug__in=DEMO_SLUGS).delete()
    emails = sorted(plan.emails)
    Person.objects.filter(email__in=emails).delete()
    User.objects.filter(email__in=emails).delete()
    Organization.objects.filter(
        name__in=sorted(plan.organization_names),
        affiliations__isnull=True,
        hosted_networks__isnull=True,
    ).delete()


@demo_step("people", order=100, remove=_remove_core)
def load_core(ctx: DemoContext) -> None:
    """The host organization, both networks, their members, applicants, invitations, accounts."""
    from allauth.account.models import EmailAddress

    from netweave.accounts.models import User
    from netweave.networks.services import network_create
    from netweave.people.models import Membership, MembershipEvent, Person
    from netweave.people.services import (
        invitation_create,
        membership_add,
        membership_apply,
        membership_change_status,
        organization_get_or_create,
        person_set_affiliation,
        person_update_profile,
    )

    plan = ctx.plan
    for org in [plan.host, *plan.organizations]:
        ctx.organizations[org.name] = organization_get_or_create(
            name=org.name,
            kind=org.kind,
            country=org.country,
            sector=org.sector,
            website=org.website,
        )

    def account(email: str, *, superuser: bool = False) -> Any:
        make = User.objects.create_superuser if superuser else User.objects.create_user
        user = make(email=email, password=data.DEMO_PASSWORD)
        EmailAddress.objects.create(user=user, email=email, verified=True, primary=True)
        ctx.users[email] = user
        return user

    account(data.ADMIN_EMAIL, superuser=True)
    for planned in plan.people:
        user = account(planned.email) if planned.account else None
        person = Person.objects.create(name=planned.profile.name, email=planned.email, user=user)
        person_update_profile(person=person, **planned.profile.fields())
        person_set_affiliation(
            person=person,
            organization=ctx.organizations[planned.organization.name],
            title=planned.profile.title,
        )
        ctx.people[planned.email] = person

    for slug, fields in plan.networks.items():
        ctx.networks[slug] = network_create(
            slug=slug,
            host=ctx.organizations[plan.host.name],
            **fields,  # type: ignore[arg-type]
        )
    lead = ctx.people[data.COORDINATOR_EMAIL]
    backdate: list[tuple[Membership, int]] = []
    for joining in plan.memberships:
        network, person = ctx.networks[joining.network], ctx.people[joining.email]
        if joining.status == "applied":
            membership = membership_apply(network=network, person=person, message=joining.message)
        else:
            membership = membership_add(
                network=network,
                person=person,
                role=joining.role,
                actor=None if person.pk == lead.pk else lead,  # the lead coordinates both
            )
            if joining.status == "lapsed":
                membership_change_status(
                    membership=membership,
                    status=Membership.Status.LAPSED,
                    actor=lead,
                    message="No activity for more than a year.",
                )
        backdate.append((membership, joining.days_ago))
    for planned_invitation in plan.invitations:
        invitation_create(
            network=ctx.networks[planned_invitation.network],
            email=planned_invitation.email,
            invited_by=lead,
            name=planned_invitation.name,
            role=planned_invitation.role,
            message=planned_invitation.message,
            send=False,
        )

    # A demo network that everybody joined a second ago looks wrong: spread joins over the past.
    now = timezone.now()
    for membership, days_ago in backdate:
        if membership.status == Membership.Status.APPLIED:  # recent: waiting for an answer
            when = now - timedelta(days=1 + days_ago % 12)
            Membership.objects.filter(pk=membership.pk).update(created_at=when)
        else:
            when = now - timedelta(days=days_ago)
            Membership.objects.filter(pk=membership.pk).update(joined_at=when, created_at=when)
        MembershipEvent.objects.filter(membership=membership).update(created_at=when)
        if membership.status == Membership.Status.LAPSED:
            Membership.objects.filter(pk=membership.pk).update(left_at=now - timedelta(days=30))
            MembershipEvent.objects.filter(
                membership=membership, kind=MembershipEvent.Kind.LAPSED
            ).update(created_at=now - timedelta(days=30))
    ctx.log(
        f"    {len(ctx.people)} people, {len(ctx.organizations)} organizations, "
        f"{len(plan.memberships)} memberships, {len(plan.invitations)} invitations"
    )
