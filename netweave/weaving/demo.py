"""Demo: a season of introductions in the learning network (`lahp`), and suggestions to act on.

- A few newcomers joined in the last two months, with full profiles and at most one tie (a
  colleague a coordinator knew they work with): the weaving board shows them under "Integrate
  newcomers".
- Six months ago the coordinators computed suggestions and started introducing people from the
  board, with a note; some members asked for an introduction themselves. Each introduction went
  its own way: both said yes (a tie; weeks later, the follow-up: they worked together, are in
  touch, never followed up, or did not say), one said no, nobody answered in time, the proposer
  withdrew it. A few from the last weeks still wait for answers, one of them for
  member@demo.netweave.org, who also has suggestions of their own.
- Today's suggestions are computed (the action network's on a first visit of its pages).

Everything goes through the weaving services with `now=`, so dates, ties and follow-ups agree,
and is drawn from the step's seeded random generator. No mail leaves: the loader swaps in a dummy
mail backend, and each introduction records the mails of its story as sent (asked, introduced,
closed, followed up), so the tasks its services queued find nothing left to send when a worker
runs them."""

from __future__ import annotations

import random
import zlib
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from functools import cache
from typing import Any

from django.utils import timezone

from netweave.demo import data
from netweave.demo.load import DemoContext, demo_step
from netweave.demo.plan import LAHP, demo_plan
from netweave.demo.profiles import Profile, ascii_slug, write_profile

SEASON_DAYS = 182  # the coordinators started weaving about six months ago
RECENT_DAYS = 22  # introductions proposed since then use today's suggestions

NOTES = (
    "You are both working on {topic}; I think you would have a lot to share.",
    "{a} and {b}: you each asked me about {topic} last month. Time you talked directly!",
    "A quick introduction: both of you are preparing pilots, and {b} has been through the "
    "approvals {a} is starting.",
    "I keep mentioning one of you to the other, so here is the introduction.",
    "Vous travaillez tous les deux sur {topic} ; je pense qu'un échange vous ferait gagner du "
    "temps.",
    "Both of you raised {topic} at the last learning call.",
    "",
    "",
)
OUTCOME_NOTES = {
    "collaborated": (
        "We co-wrote a concept note for a community delivery pilot.",
        "We now share our costing model and compare results every month.",
        "{b} joined our protocol review; the draft went to the ethics committee last week.",
        "Nous avons organisé ensemble un atelier pour les pairs éducateurs.",
    ),
    "in_touch": (
        "Good first call; we will meet at the regional meeting.",
        "We exchanged documents; nothing joint yet.",
        "",
    ),
    "no_contact": ("We could not find a time.", ""),
}


# --- newcomers -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class NewcomerPlan:
    email: str
    profile: Profile
    organization: data.Org
    days_ago: int
    knows_a_colleague: bool


NEWCOMER_DAYS = (9, 23, 38, 54)


@cache
def newcomer_plan() -> tuple[NewcomerPlan, ...]:
    """The newcomers, always the same (their own seed): four members who joined in the last
    two months, two of whom a coordinator knows to work with a colleague in the network."""
    rng = random.Random(data.DEMO_SEED ^ zlib.crc32(b"weaving newcomers"))
    taken = set(demo_plan(date(2000, 1, 1)).emails)
    planned = []
    for index, (days_ago, org) in enumerate(
        zip(NEWCOMER_DAYS, rng.sample(data.ORGANIZATIONS, len(NEWCOMER_DAYS)), strict=True)
    ):
        profile = write_profile(
            rng, country=org.country, organization=org.name, kind=org.kind, named_share=0.75
        )
        local = f"{ascii_slug(profile.first_name)}.{ascii_slug(profile.last_name)}"
        email = f"{local}@{org.domain}"
        while email in taken:
            email = email.replace("@", "1@")
        taken.add(email)
        planned.append(NewcomerPlan(email, profile, org, days_ago, index % 2 == 1))
    return tuple(planned)


def remove_newcomers() -> None:
    from netweave.people.models import Person

    Person.objects.filter(email__in=[p.email for p in newcomer_plan()]).delete()


def _add_newcomers(ctx: DemoContext, network: Any, lead: Any) -> list[Any]:
    from netweave.people.models import Affiliation, Membership, MembershipEvent, Person
    from netweave.people.services import (
        membership_add,
        person_set_affiliation,
        person_update_profile,
    )
    from netweave.ties.models import Tie
    from netweave.ties.services import tie_add

    now = timezone.now()
    people = []
    for planned in newcomer_plan():
        person = Person.objects.create(name=planned.profile.name, email=planned.email)
        person_update_profile(person=person, **planned.profile.fields())
        person_set_affiliation(
            person=person,
            organization=ctx.organizations[planned.organization.name],
            title=planned.profile.title,
        )
        ctx.people[planned.email] = person
        membership = membership_add(network=network, person=person, actor=lead)
        joined = now - timedelta(days=planned.days_ago)
        Membership.objects.filter(pk=membership.pk).update(joined_at=joined, created_at=joined)
        MembershipEvent.objects.filter(membership=membership).update(created_at=joined)
        if planned.knows_a_colleague:
            colleague = (
                Affiliation.objects.filter(
                    organization=ctx.organizations[planned.organization.name],
                    person__memberships__network=network,
                    person__memberships__status=Membership.Status.ACTIVE,
                    person__memberships__role="member",
                )
                .exclude(person=person)
                .order_by("person__email")
                .values_list("person_id", flat=True)
                .first()
            )
            if colleague is not None:
                tie_add(
                    network=network,
                    source=person,
                    target=Person.objects.get(pk=colleague),
                    kind=Tie.Kind.COLLABORATES,
                    observed_at=joined + timedelta(days=2),
                    created_by=lead,
                    note="Same team; mentioned in the welcome call.",
                )
        people.append(person)
    return people


# --- the season ----------------------------------------------------------------------------------

# What the season reads of the people in a suggestion (the rest of a profile stays unread).
PERSON_FIELDS = ("name", "email", "open_to_introductions")


@dataclass
class Story:
    """How one introduction goes, decided before it is proposed."""

    status: str  # accepted | declined | expired | withdrawn | proposed (still waiting)
    asked_by_member: bool = False
    # For an accepted one whose follow-up is due: what they answered ("" for no answer).
    outcome: str = ""
    # For one still waiting: who has not answered (the other one has said yes).
    waiting_for: Any = None


def _stories(rng: random.Random) -> list[Story]:
    """The older introductions (proposed 25 to 180 days ago), in a random order; five of them
    asked for by a member rather than proposed by a coordinator."""
    outcomes = ["collaborated"] * 6 + ["in_touch"] * 5 + ["no_contact"] * 3 + [""] * 3
    stories = [Story("accepted", outcome=outcome) for outcome in outcomes]
    stories += [Story(status) for status in ["declined"] * 4 + ["expired"] * 3 + ["withdrawn"]]
    rng.shuffle(stories)
    for story in rng.sample([s for s in stories if s.status != "withdrawn"], 5):
        story.asked_by_member = True
    return stories


class Season:
    """The introductions of the season, made one after another through the services."""

    def __init__(self, ctx: DemoContext, network: Any, coordinators: list[Any]) -> None:
        from netweave.ties.models import Tie

        self.ctx, self.rng, self.network = ctx, ctx.rng, network
        self.now = timezone.now()
        self.yesterday = timezone.make_aware(
            datetime.combine(ctx.today - timedelta(days=1), time(20, 0))
        )
        # Coordinators make introductions rather than receive them; the member account and the
        # newcomers get the introductions written for them.
        self.excluded: set[int] = {person.pk for person in coordinators}
        self.used: dict[int, int] = {}  # person id -> introductions so far
        self.pairs: set[frozenset[int]] = set()
        self.ties: dict[frozenset[int], list[tuple[datetime, datetime | None]]] = {}
        for source, target, observed, ended in Tie.objects.filter(network=network).values_list(
            "source_id", "target_id", "observed_at", "ended_at"
        ):
            self.ties.setdefault(frozenset({source, target}), []).append((observed, ended))
        self.rows: list[Any] = []
        self.made: list[Any] = []

    def at(self, days_ago: int) -> datetime:
        """A working hour `days_ago` days before the demo's today (never after yesterday)."""
        day = self.ctx.today - timedelta(days=days_ago)
        moment = time(self.rng.randint(8, 17), self.rng.randint(0, 59))
        return min(timezone.make_aware(datetime.combine(day, moment)), self.yesterday)

    def later(self, when: datetime, low: float, high: float) -> datetime:
        """Between `low` and `high` days after `when` (never after yesterday)."""
        return min(when + timedelta(hours=self.rng.uniform(24 * low, 24 * high)), self.yesterday)

    def load_board(self) -> None:
        """Read the open suggestions once after each computation, best first; the season
        keeps track itself of the pairs it introduces."""
        from netweave.weaving.models import Recommendation

        self.rows = list(
            Recommendation.objects.filter(network=self.network, status=Recommendation.Status.OPEN)
            .select_related("person", "suggested")
            .only(
                "person_id",
                "suggested_id",
                "details",
                "score",
                *(f"{who}__{field}" for who in ("person", "suggested") for field in PERSON_FIELDS),
            )
            .order_by("-score", "id")
        )

    def board(self, *, people: set[int] | None = None) -> list[Any]:
        """The open suggestions (for `people` only, when given), best first."""
        if people is None:
            return self.rows
        return [row for row in self.rows if row.person_id in people]

    def tied(self, a: int, b: int, when: datetime) -> bool:
        return any(
            observed <= when and (ended is None or ended > when)
            for observed, ended in self.ties.get(frozenset({a, b}), [])
        )

    def pick(
        self,
        rows: list[Any],
        when: datetime,
        *,
        allow: set[int] | None = None,
        allow_suggested: bool = False,
    ) -> Any:
        """One of the best few suggestions for a pair not introduced or tied at `when`, that
        does not give anyone a third introduction; None when there is none. People set aside
        (coordinators, newcomers, the member account) take part only when in `allow`: as the
        one the suggestion is for, and as the one suggested too if `allow_suggested`."""
        excluded = self.excluded - (allow or set())
        excluded_suggested = excluded if allow_suggested else self.excluded
        fitting = []
        for row in rows:
            if (
                row.person_id not in excluded
                and row.suggested_id not in excluded_suggested
                and frozenset({row.person_id, row.suggested_id}) not in self.pairs
                and self.used.get(row.person_id, 0) < 2
                and self.used.get(row.suggested_id, 0) < 2
                and not self.tied(row.person_id, row.suggested_id, when)
            ):
                fitting.append(row)
                if len(fitting) == 6:
                    break
        return self.rng.choice(fitting) if fitting else None

    def note(self, row: Any) -> str:
        topic = next(
            (str(d["topic"]) for d in row.details if d.get("code") == "topic"),
            "long-acting prevention",
        )
        return self.rng.choice(NOTES).format(
            a=row.person.name.split()[0], b=row.suggested.name.split()[0], topic=topic
        )

    def play(self, row: Any, story: Story, created: datetime, proposer: Any) -> Any:
        """Propose the introduction of `row`'s pair at `created`, then live its `story`."""
        from netweave.weaving.services import (
            introduction_answer,
            introduction_expire,
            introduction_propose,
            introduction_withdraw,
        )

        introduction = introduction_propose(
            network=self.network,
            proposed_by=row.person if story.asked_by_member else proposer,
            person_a=row.person,
            person_b=row.suggested,
            note="" if story.asked_by_member else self.note(row),
            recommendation=row,
            now=created,
        )
        self.pairs.add(frozenset({row.person_id, row.suggested_id}))
        for pk in (row.person_id, row.suggested_id):
            self.used[pk] = self.used.get(pk, 0) + 1
        # Who still has to answer, in the order they do (the asker said yes by asking).
        sides = [introduction.person_a, introduction.person_b][story.asked_by_member :]
        self.rng.shuffle(sides)
        if story.waiting_for is not None:
            sides.sort(key=lambda person: person.pk == story.waiting_for.pk)
        first = self.later(created, 0.3, 5)
        second = self.later(first, 0.5, 8)

        def answer(person: Any, accept: bool, when: datetime) -> None:
            introduction_answer(introduction=introduction, person=person, accept=accept, now=when)

        if story.status == "accepted":
            for person, when in zip(sides, (first, second), strict=False):
                answer(person, True, when)
        elif story.status == "declined":
            if len(sides) > 1 and self.rng.random() < 0.6:
                answer(sides[0], True, first)
            answer(sides[-1], False, second)
        elif story.status == "expired":
            if len(sides) > 1 and self.rng.random() < 0.5:
                answer(sides[0], True, first)
            # The daily sweep closes it a few hours after its deadline.
            expiry = introduction.expires_at + timedelta(hours=self.rng.uniform(2, 20))
            introduction_expire(introduction=introduction, now=expiry)
        elif story.status == "withdrawn":
            introduction_withdraw(introduction=introduction, now=self.later(created, 4, 10))
        elif len(sides) > 1 and (story.waiting_for is not None or self.rng.random() < 0.5):
            answer(sides[0], True, first)  # still waiting, for one of them
        introduction.refresh_from_db()
        if introduction.status == "accepted":
            self.follow_up(introduction, story.outcome)
        self.made.append(introduction)
        return introduction

    def follow_up(self, introduction: Any, outcome: str) -> None:
        """The follow-up goes out when due, and some answer it; a few report working together
        before anyone asks."""
        from netweave.weaving.services import introduction_follow_up

        due = introduction.follow_up_due_at
        if due is None or due > self.now:
            return  # too recent: nobody has been asked yet
        if outcome == "collaborated" and self.rng.random() < 0.3:
            self.outcome(introduction, outcome, self.later(introduction.decided_at, 20, 38))
            return
        # Sent when due, even earlier today: a worker must not find it owed after the load.
        introduction_follow_up(introduction=introduction, now=due)
        if outcome and due < self.yesterday:
            self.outcome(introduction, outcome, self.later(due, 0.2, 12))

    def outcome(self, introduction: Any, outcome: str, when: datetime) -> None:
        from netweave.weaving.services import introduction_record_outcome

        by = self.rng.choice([introduction.person_a, introduction.person_b])
        note = self.rng.choice(OUTCOME_NOTES[outcome]).format(b=introduction.person_b.name)
        introduction_record_outcome(
            introduction=introduction, outcome=outcome, by=by, note=note, now=when
        )

    def record_mails(self) -> None:
        """Each introduction's story had its emails: the requests when it was proposed, the news
        when it closed (the follow-ups were recorded by their service). Recorded, so that the
        tasks its services queued find nothing left to send."""
        from netweave.weaving.models import Introduction

        for introduction in self.made:
            introduction.refresh_from_db()
            sent = introduction.created_at + timedelta(minutes=2)
            fields: dict[str, Any] = {}
            for side in ("a", "b"):
                answered = getattr(introduction, f"{side}_answered_at")
                if answered is None or answered > introduction.created_at:
                    fields[f"{side}_asked_at"] = sent
            if introduction.decided_at is not None:
                mail = introduction.decided_at + timedelta(minutes=2)
                if introduction.status == Introduction.Status.ACCEPTED:
                    fields["introduced_mail_at"] = mail
                else:
                    fields["closed_mail_at"] = mail
            Introduction.objects.filter(pk=introduction.pk).update(**fields)


@demo_step("weaving", order=400, remove=remove_newcomers)
def load_introductions(ctx: DemoContext) -> None:
    """Newcomers, six months of introductions and today's suggestions (see the module)."""
    from netweave.people.models import Membership
    from netweave.weaving.models import Recommendation
    from netweave.weaving.services import (
        recommendation_run_execute,
        recommendation_run_request,
        recommendations_compute,
    )

    network = ctx.networks[LAHP]
    lead = ctx.people[data.COORDINATOR_EMAIL]
    member_account = ctx.people[data.MEMBER_EMAIL]
    roles = dict(
        Membership.objects.filter(network=network, status="active").values_list("person_id", "role")
    )
    coordinators = [lead] + [
        membership.person
        for membership in Membership.objects.filter(
            network=network, status="active", role="coordinator"
        )
        .exclude(person=lead)
        .select_related("person")
        .order_by("person__email")
    ]
    weaver = coordinators[-1]
    season = Season(ctx, network, coordinators)
    season.excluded.add(member_account.pk)
    rng = ctx.rng

    # Six months ago: the first suggestions; the introductions made from them until recently.
    recommendations_compute(network=network, now=season.at(SEASON_DAYS))
    season.load_board()
    askers = sorted(
        {row.person_id for row in season.board() if roles.get(row.person_id) == "member"}
    )
    stories = _stories(rng)
    # An early introduction of the member account, who went on to work with the other person.
    mine = next(i for i, story in enumerate(stories) if i >= 3 and not story.asked_by_member)
    stories[mine] = Story("accepted", outcome="collaborated")
    days = sorted(rng.sample(range(RECENT_DAYS + 3, SEASON_DAYS - 2), len(stories)), reverse=True)
    for index, (story, days_ago) in enumerate(zip(stories, days, strict=True)):
        created = season.at(days_ago)
        allow = None
        if index == mine:
            allow = {member_account.pk}
            rows = season.board(people=allow)
        elif story.asked_by_member:
            rows = season.board(people={rng.choice(askers)})
        else:
            rows = season.board()
        row = season.pick(rows, created, allow=allow)
        if row is not None:
            season.play(row, story, created, lead if rng.random() < 0.7 else weaver)

    # The newcomers joined in the last two months; today's suggestions include them.
    newcomers = _add_newcomers(ctx, network, lead)
    # Six-month-old suggestions would all be recomputed; clearing them first makes today's a
    # plain insert (updating some 600 rows in place takes SQLite a second).
    Recommendation.objects.filter(network=network, status=Recommendation.Status.OPEN).delete()
    run = recommendation_run_request(network=network, requested_by=lead)
    recommendation_run_execute(run_id=run.pk)
    season.load_board()
    season.excluded |= {person.pk for person in newcomers}
    tied = {
        p.pk
        for p, planned in zip(newcomers, newcomer_plan(), strict=True)
        if planned.knows_a_colleague
    }
    untied = {person.pk for person in newcomers} - tied

    # The last three weeks: newcomers introduced, and introductions still waiting for answers,
    # one of them for the member account, who keeps a suggestion of their own open.
    own = season.board(people={member_account.pk})
    if own:
        season.pairs.add(frozenset({own[0].person_id, own[0].suggested_id}))
    with_member = [
        row for row in season.board() if member_account.pk in (row.person_id, row.suggested_id)
    ]
    recent: list[tuple[int, Story, list[Any], set[int] | None, Any]] = [
        (20, Story("accepted"), season.board(), None, lead),
        (17, Story("declined"), season.board(), None, weaver),
        (15, Story("accepted"), season.board(people=untied), untied, lead),
        (11, Story("proposed"), season.board(), None, lead),
        (7, Story("proposed", asked_by_member=True), season.board(), None, lead),
        (6, Story("proposed"), season.board(people=tied), tied, weaver),
        (
            3,
            Story("proposed", waiting_for=member_account),
            with_member,
            {member_account.pk},
            lead,
        ),
        (2, Story("proposed"), season.board(), None, weaver),
    ]
    for days_ago, story, rows, allow, proposer in recent:
        created = season.at(days_ago)
        row = season.pick(rows, created, allow=allow, allow_suggested=story.waiting_for is not None)
        if row is not None:
            season.play(row, story, created, proposer)
    season.record_mails()

    statuses: dict[str, int] = {}
    for introduction in season.made:
        statuses[introduction.status] = statuses.get(introduction.status, 0) + 1
    still_open = Recommendation.objects.filter(network=network, status="open").count()
    ctx.log(
        f"    {len(newcomers)} newcomers; {len(season.made)} introductions ("
        + ", ".join(f"{count} {status}" for status, count in sorted(statuses.items()))
        + f"); {still_open} open suggestions"
    )
