"""Demo: three relationship survey waves over two years for the learning network (`lahp`).

The answers are designed to show the network grow the way network weavers describe it:

- wave 1 (two years ago): nearly everyone knows the lead coordinator, and a few colleagues of
  their own organization; the second coordinator, newer, knows a third of the network. One
  weaver holds it together: hub-and-spoke.
- wave 2 (a year later): the four stewards each convene a working group (members grouped by
  organization), know each other and their group; fewer people go through the lead coordinator.
- wave 3 (five weeks ago): the working groups trade members, a handful of members have become
  weavers in their own right, and cross-organization ties are common: several hubs share the work.

Everything is drawn from the step's own seeded random generator, so the demo is the same every
time. Each wave is closed through the survey services (answers become ties, a snapshot is taken)
and its snapshot is computed at once, so the demo has its figures without a worker."""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import datetime, time, timedelta
from typing import Any

from django.utils import timezone

from netweave.demo import data
from netweave.demo.load import DemoContext, demo_step

# Days before the demo's "today" on which each wave closed, and who answered it.
WAVES = (
    # (closed, days open, share of members who answered)
    (737, 28, 0.80),
    (372, 28, 0.84),
    (36, 28, 0.88),
)
SURVEY_TITLE = "How we are connected"
SURVEY_INTRODUCTION = (
    "Once a year we map how the members of the network know each other and work together, so "
    "that we can see where new connections would help. **Only the coordinators see individual "
    "answers**; the map shows named members only if they agreed to it."
)


@dataclass
class Cast:
    lead: Any
    weaver: Any
    stewards: list[Any]
    members: list[Any]  # everyone else who takes part, by email
    groups: dict[int, int]  # person id -> working group (0..3), by organization
    organization: dict[int, int]  # person id -> organization id


def _cast(network: Any) -> Cast:
    from netweave.people.models import Affiliation
    from netweave.surveys.services import participants

    memberships = list(
        participants(network=network).select_related("person").order_by("person__email")
    )
    people = {m.person.pk: m.person for m in memberships}
    lead = next(m.person for m in memberships if m.person.email == data.COORDINATOR_EMAIL)
    weaver = next(m.person for m in memberships if m.role == "coordinator" and m.person != lead)
    stewards = [m.person for m in memberships if m.role == "steward"]
    members = [m.person for m in memberships if m.role == "member"]
    organization = dict(
        Affiliation.objects.filter(person_id__in=people, is_primary=True).values_list(
            "person_id", "organization_id"
        )
    )
    org_ids = sorted(set(organization.values()))
    group_of_org = {org: index % 4 for index, org in enumerate(org_ids)}
    groups = {pid: group_of_org.get(organization.get(pid, -1), pid % 4) for pid in people}
    for index, steward in enumerate(stewards[:4]):  # each steward convenes one group
        groups[steward.pk] = index
    return Cast(lead, weaver, stewards, members, groups, organization)


def _colleagues(cast: Cast, person: Any, everyone: list[Any]) -> list[Any]:
    org = cast.organization.get(person.pk)
    return [p for p in everyone if p.pk != person.pk and cast.organization.get(p.pk) == org]


def _plan_wave(number: int, cast: Cast, rng: random.Random) -> dict[tuple[int, int], set[str]]:
    """(respondent id, target id) -> the items ticked, for everyone (who answers is chosen
    later)."""
    everyone = [cast.lead, cast.weaver, *cast.stewards, *cast.members]
    answers: dict[tuple[int, int], set[str]] = {}

    def tie(source: Any, target: Any, *items: str) -> None:
        if source.pk != target.pk:
            answers.setdefault((source.pk, target.pk), {"knows"}).update(items)

    by_group: dict[int, list[Any]] = {g: [] for g in range(4)}
    for person in cast.members:
        by_group[cast.groups[person.pk]].append(person)

    if number == 1:
        # One weaver: the lead coordinator knows everyone and everyone knows them.
        for person in everyone:
            tie(person, cast.lead, "shares_information")
            tie(cast.lead, person, "shares_information")
        for person in everyone[1:]:
            if rng.random() < 0.3:
                tie(person, cast.weaver)
        for person in cast.members + cast.stewards:
            for colleague in _colleagues(cast, person, everyone):
                if rng.random() < 0.6:
                    tie(person, colleague, "collaborates")
        return answers

    # Waves 2 and 3: the stewards' working groups.
    for index, steward in enumerate(cast.stewards[:4]):
        for other in [*cast.stewards, cast.lead, cast.weaver]:
            tie(steward, other, "shares_information")
        for person in by_group[index]:
            tie(person, steward, "shares_information")
            tie(steward, person, "shares_information")
    lead_share = 0.35 if number == 2 else 0.3
    for person in cast.members:
        if rng.random() < lead_share:
            tie(person, cast.lead)
        if rng.random() < (0.25 if number == 2 else 0.35):
            tie(person, cast.weaver, "shares_information")
        for colleague in _colleagues(cast, person, everyone):
            if rng.random() < 0.7:
                tie(person, colleague, "collaborates")
        group = by_group[cast.groups[person.pk]]
        for other in rng.sample(group, k=min(len(group), 2 if number == 2 else 3)):
            tie(person, other, "shares_information")
    if number == 3:
        # Members who became weavers: each links people across the working groups.
        new_weavers = rng.sample(cast.members, k=5)
        for weaver in new_weavers:
            for other in rng.sample(cast.members, k=14):
                tie(other, weaver, "shares_information", "collaborates")
            for other in new_weavers + cast.stewards:
                tie(weaver, other, "shares_information")
        for person in cast.members:  # cross-group ties between organizations
            others = [p for p in cast.members if cast.groups[p.pk] != cast.groups[person.pk]]
            for other in rng.sample(others, k=2):
                tie(person, other)
    return answers


def _closed_at(ctx: DemoContext, days_ago: int) -> datetime:
    day = ctx.today - timedelta(days=days_ago)
    return timezone.make_aware(datetime.combine(day, time(16, 0)))


@demo_step("surveys", order=300)
def load_survey_waves(ctx: DemoContext) -> None:
    """Three closed waves for `lahp`, their ties, and their snapshots computed at once."""
    from netweave.surveys.models import SurveyAnswer, SurveyResponse, SurveyWave
    from netweave.surveys.services import survey_create, wave_close, wave_create, wave_open
    from netweave.ties.models import Snapshot
    from netweave.ties.services import snapshot_compute

    network = ctx.networks["lahp"]
    cast = _cast(network)
    survey = survey_create(
        network=network,
        title=SURVEY_TITLE,
        introduction=SURVEY_INTRODUCTION,
        ask_trust=True,
        ask_value=True,
        created_by=cast.lead,
    )
    everyone = [cast.lead, cast.weaver, *cast.stewards, *cast.members]
    for number, (days_ago, days_open, answered_share) in enumerate(WAVES, start=1):
        closed_at = _closed_at(ctx, days_ago)
        opened_at = closed_at - timedelta(days=days_open)
        wave = wave_create(survey=survey, closes_at=closed_at)
        wave = wave_open(wave=wave, actor=cast.lead)
        planned = _plan_wave(number, cast, ctx.rng)
        # Coordinators and stewards always answer; most members do.
        respondents = [cast.lead, cast.weaver, *cast.stewards] + [
            p for p in cast.members if ctx.rng.random() < answered_share
        ]
        responses = SurveyResponse.objects.bulk_create(
            SurveyResponse(
                wave=wave,
                network=network,
                respondent=person,
                started_at=opened_at + timedelta(hours=ctx.rng.randint(1, 24 * (days_open - 2))),
                submitted_at=closed_at - timedelta(hours=ctx.rng.randint(1, 40)),
            )
            for person in respondents
        )
        response_of = {r.respondent_id: r for r in responses}
        SurveyAnswer.objects.bulk_create(
            [
                SurveyAnswer(
                    response=response_of[source],
                    wave=wave,
                    network=network,
                    target_id=target,
                    knows="knows" in items,
                    shares_information="shares_information" in items,
                    collaborates="collaborates" in items,
                    trust=min(4, 1 + len(items) + ctx.rng.randint(0, 1)),
                    value=min(4, len(items) + ctx.rng.randint(0, 1)),
                )
                for (source, target), items in sorted(planned.items())
                if source in response_of
            ],
            batch_size=2000,
        )
        SurveyWave.objects.filter(pk=wave.pk).update(opens_at=opened_at)
        wave_close(wave=wave, actor=cast.lead, closed_at=closed_at)
        snapshot = Snapshot.objects.get(wave=wave)
        snapshot = snapshot_compute(snapshot_id=snapshot.pk)
        ctx.log(
            f"    wave {number}: {len(respondents)} of {len(everyone)} answered, "
            f"{snapshot.edge_count} ties, stage {snapshot.stage or snapshot.status}"
        )
