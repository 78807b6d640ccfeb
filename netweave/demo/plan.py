"""What the demo contains, worked out in pure Python before anything touches the database.

`demo_plan()` always returns the same plan (a fixed seed over fixed pools), so loading the demo
twice gives the same people, and `--reset` knows exactly which rows are the demo's."""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from datetime import date
from functools import cache

from netweave.demo import data
from netweave.demo.profiles import Profile, ascii_slug, write_profile

LAHP = "lahp"
VDAN = "vdan"


@dataclass(frozen=True)
class PersonPlan:
    email: str
    profile: Profile
    organization: data.Org
    account: bool = False  # a login with the demo password


@dataclass(frozen=True)
class MembershipPlan:
    network: str  # slug
    email: str
    role: str
    status: str  # active | applied | lapsed
    days_ago: int
    message: str = ""


@dataclass(frozen=True)
class InvitationPlan:
    network: str
    email: str
    name: str
    role: str
    message: str


@dataclass
class DemoPlan:
    networks: dict[str, dict[str, object]]
    host: data.Org
    organizations: list[data.Org]
    people: list[PersonPlan] = field(default_factory=list)
    memberships: list[MembershipPlan] = field(default_factory=list)
    invitations: list[InvitationPlan] = field(default_factory=list)

    @property
    def emails(self) -> set[str]:
        return {p.email for p in self.people} | {data.ADMIN_EMAIL}

    @property
    def organization_names(self) -> set[str]:
        return {o.name for o in self.organizations} | {self.host.name}


def network_settings(today: date) -> dict[str, dict[str, object]]:
    """Both demo networks' settings; the learning period follows the calendar to stay current."""
    return {
        LAHP: {
            "name": "Long-Acting HIV Prevention Learning Network",
            "tagline": "From trials to clinics, pharmacies and communities: learning together how "
            "to deliver long-acting HIV prevention.",
            "description": (
                "The **Long-Acting HIV Prevention Learning Network** brings together researchers, "
                "implementers, community organizations, manufacturers, regulators and funders "
                "who are preparing the introduction of long-acting HIV prevention products.\n\n"
                "We share what works (and what does not) in delivery pilots, compare notes on "
                "regulatory pathways and costing, and take the questions of our learning agenda "
                "from evidence to practice.\n\n"
                "*Réseau trilingue : les contributions en français et en espagnol sont les "
                "bienvenues. Red trilingüe: bienvenidas las contribuciones en francés y español.*"
            ),
            "purpose": "learning",
            "phase": "expanding",
            "visibility": "public",
            "topics": [
                "long-acting PrEP",
                "implementation science",
                "community engagement",
                "regulatory pathways",
                "market shaping",
                "adolescent girls and young women",
            ],
            "languages": ["en", "fr", "es"],
            "period_start": date(today.year, 1, 1),
            "period_end": date(today.year + 2, 6, 30),
            "how_to_join": "Anyone working on long-acting HIV prevention may apply; a "
            "coordinator answers within two weeks.",
        },
        VDAN: {
            "name": "Vaccine Delivery Action Network",
            "tagline": "Coordinated action on the last mile of vaccine delivery.",
            "description": (
                "An action network of implementers, manufacturers and health authorities working "
                "together on cold chain, forecasting and demand for new vaccines. Members commit "
                "to joint workplans; joining is by invitation."
            ),
            "purpose": "action",
            "phase": "launching",
            "visibility": "listed",
            "topics": ["cold chain", "last-mile delivery", "vaccine demand", "supply forecasting"],
            "languages": ["en", "fr"],
            "period_start": date(today.year, 1, 1),
            "period_end": date(today.year, 12, 31),
            "how_to_join": "By invitation of the coordinators.",
        },
    }


@cache
def demo_plan(today: date | None = None) -> DemoPlan:
    rng = random.Random(data.DEMO_SEED)
    plan = DemoPlan(
        networks=network_settings(today or date.today()),
        host=data.HOST,
        organizations=list(data.ORGANIZATIONS),
    )
    used_emails: set[str] = set()

    def person(org: data.Org, *, email: str = "", title: str = "") -> PersonPlan:
        profile = write_profile(
            rng, country=org.country, organization=org.name, kind=org.kind, title=title
        )
        account = bool(email)
        if not email:
            local = f"{ascii_slug(profile.first_name)}.{ascii_slug(profile.last_name)}"
            email, n = f"{local}@{org.domain}", 1
            while email in used_emails:
                n += 1
                email = f"{local}{n}@{org.domain}"
        used_emails.add(email)
        planned = PersonPlan(email=email, profile=profile, organization=org, account=account)
        plan.people.append(planned)
        return planned

    orgs = plan.organizations
    org_cycle = iter(orgs)  # the first people cover every organization once

    def next_org() -> data.Org:
        return next(org_cycle, None) or rng.choice(orgs)

    def join(
        network: str, who: PersonPlan, role: str, status: str = "active", **kw: object
    ) -> None:
        days = rng.randint(20, 700) if network == LAHP else rng.randint(10, 300)
        plan.memberships.append(
            MembershipPlan(network, who.email, role, status, days, **kw)  # type: ignore[arg-type]
        )

    # --- the learning network: 2 coordinators, 4 stewards, 110 members, 4 observers ------------
    lead = person(data.HOST, email=data.COORDINATOR_EMAIL, title="Network Coordinator")
    weaver = person(data.HOST, title="Network Weaver")
    join(LAHP, lead, "coordinator")
    join(LAHP, weaver, "coordinator")
    stewards = [person(next_org()) for _ in range(4)]
    for steward in stewards:
        join(LAHP, steward, "steward")
    university = next(o for o in orgs if o.kind == "university" and o.country == "KE")
    member_account = person(university, email=data.MEMBER_EMAIL, title="Research Fellow")
    join(LAHP, member_account, "member")
    members = [member_account] + [person(next_org()) for _ in range(109)]
    for member in members[1:]:
        join(LAHP, member, "member")
    for _ in range(4):
        join(LAHP, person(next_org()), "observer")
    for _ in range(3):
        applicant = person(rng.choice(orgs))
        message = data.APPLICATION_MESSAGES[applicant.profile.writing_language].format(
            t1=applicant.profile.topics[0].in_sentence(applicant.profile.writing_language)
        )
        join(LAHP, applicant, "member", "applied", message=message)
    for _ in range(2):
        join(LAHP, person(rng.choice(orgs)), "member", "lapsed")
    for _ in range(4):
        org = rng.choice(orgs)
        invitee = write_profile(rng, country=org.country, organization=org.name, kind=org.kind)
        email = f"{ascii_slug(invitee.first_name)}.{ascii_slug(invitee.last_name)}@{org.domain}"
        if email in used_emails:
            email = email.replace("@", ".invited@")
        used_emails.add(email)
        plan.invitations.append(
            InvitationPlan(
                LAHP,
                email,
                invitee.name,
                "member",
                "We would love your experience on the learning agenda.",
            )
        )

    # --- the action network: same host, some of the same people ---------------------------------
    join(VDAN, lead, "coordinator")
    join(VDAN, stewards[0], "steward")
    for overlap in [member_account, *rng.sample(members[1:], 13)]:
        join(VDAN, overlap, "member")
    for _ in range(20):
        join(VDAN, person(rng.choice(orgs)), "member")
    for _ in range(2):
        join(VDAN, person(rng.choice(orgs)), "observer")
    return plan
