"""The weaving services on a real database: computing recommendations from ties and profiles, and
the double opt-in life of an introduction (propose, answer, withdraw, expire, follow up, outcome).
Email is received by a real SMTP server on loopback (the root conftest's `smtp_server`)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from django.conf import settings
from django.utils import timezone

from netweave.lib.testing import Cast, make_member, make_network
from netweave.people.models import Membership, Person, Role
from netweave.ties.models import Tie
from netweave.ties.services import tie_add
from netweave.weaving.models import Goal, Introduction, Recommendation, RecommendationRun
from netweave.weaving.services import (
    NOTE_MAX,
    WeavingError,
    introduction_answer,
    introduction_expire,
    introduction_follow_up,
    introduction_propose,
    introduction_record_outcome,
    introduction_withdraw,
    recommendation_dismiss,
    recommendation_run_execute,
    recommendation_run_request,
    recommendations_compute,
    weaving_due,
)

pytestmark = pytest.mark.django_db

START = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)

# --- a small network for the recommender ----------------------------------------------------------

PROFILES: dict[str, dict[str, Any]] = {
    "ana": {
        "expertise": ["long-acting PrEP", "adherence"],
        "interests": ["costing"],
        "organization": "Org A",
        "country": "KE",
    },
    "ben": {
        "expertise": ["long-acting PrEP"],
        "interests": ["regulatory pathways"],
        "organization": "Org A",
        "country": "KE",
    },
    "cleo": {
        "expertise": ["community engagement"],
        "interests": ["adherence"],
        "organization": "Org B",
        "country": "UG",
    },
    "dan": {
        "expertise": ["regulatory pathways"],
        "interests": ["market shaping"],
        "organization": "Org C",
        "country": "ZA",
    },
    "eve": {
        "expertise": ["market shaping"],
        "interests": ["long-acting PrEP"],
        "organization": "Org D",
        "country": "FR",
    },
    "fay": {
        "expertise": ["market shaping", "costing"],
        "interests": ["adherence"],
        "organization": "Org D",
        "country": "FR",
    },
    "gus": {
        "expertise": ["adherence"],
        "interests": ["costing"],
        "organization": "Org E",
        "country": "NG",
    },
}
# Two triangles joined through Dan; Gus has no tie yet.
TIES = [
    ("ana", "ben"),
    ("ben", "cleo"),
    ("ana", "cleo"),
    ("cleo", "dan"),
    ("dan", "eve"),
    ("eve", "fay"),
    ("dan", "fay"),
]


class Small:
    def __init__(self) -> None:
        self.network = make_network(name="Small Network")
        self.coordinator = make_member(
            self.network, Role.COORDINATOR, name="Cora", email="cora.small@example.org"
        )
        self.people: dict[str, Person] = {
            key: make_member(self.network, name=key.title(), email=f"{key}@example.org", **profile)
            for key, profile in PROFILES.items()
        }
        for source, target in TIES:
            tie_add(
                network=self.network,
                source=self.people[source],
                target=self.people[target],
                kind=Tie.Kind.KNOWS,
            )
        # Everyone joined long ago, except where a test says otherwise.
        Membership.objects.filter(network=self.network).update(
            joined_at=timezone.now() - timedelta(days=400)
        )

    def __getitem__(self, key: str) -> Person:
        return self.people[key]

    def pairs(self, status: str = Recommendation.Status.OPEN) -> set[tuple[str, str]]:
        names = {person.pk: key for key, person in self.people.items()}
        names[self.coordinator.pk] = "cora"
        return {
            (names[person_id], names[suggested_id])
            for person_id, suggested_id in Recommendation.objects.filter(
                network=self.network, status=status
            ).values_list("person_id", "suggested_id")
        }


@pytest.fixture
def small() -> Small:
    return Small()


def unordered(pairs: set[tuple[str, str]]) -> set[frozenset[str]]:
    return {frozenset(pair) for pair in pairs}


class RecommendationsComputeTests:
    def test_it_stores_open_recommendations_with_their_reasons_and_goals(self, small) -> None:
        members, made = recommendations_compute(network=small.network)
        rows = list(Recommendation.objects.filter(network=small.network))
        assert members == 8  # seven members and the coordinator
        assert made == len(rows) > 0
        assert {row.status for row in rows} == {Recommendation.Status.OPEN}
        ben_dan = Recommendation.objects.get(person=small["ben"], suggested=small["dan"])
        # Ben and Dan both know Cleo and both work on regulatory pathways.
        assert {"code": "shared", "count": 1, "people": [small["cleo"].pk]} in ben_dan.details
        assert {"code": "topic", "topic": "regulatory pathways"} in ben_dan.details
        assert ben_dan.score > 0 and ben_dan.rank == 1
        assert Goal.BRIDGE in ben_dan.goal_list and ben_dan.goals.startswith(",")
        for row in rows:
            assert row.details, row
            assert row.goals.startswith(",") and row.goals.endswith(","), row.goals

    def test_it_never_suggests_two_people_who_are_already_tied(self, small) -> None:
        recommendations_compute(network=small.network)
        suggested = unordered(small.pairs())
        assert suggested
        assert not suggested & {frozenset(tie) for tie in TIES}

    def test_it_leaves_out_members_who_asked_not_to_be_suggested(self, small) -> None:
        recommendations_compute(network=small.network)
        assert any("gus" in pair for pair in small.pairs())
        Person.objects.filter(pk=small["gus"].pk).update(open_to_introductions=False)
        recommendations_compute(network=small.network)
        assert small.pairs()
        assert not any("gus" in pair for pair in small.pairs())

    def test_a_dismissed_pair_stays_dismissed_and_is_not_suggested_again(self, small) -> None:
        recommendations_compute(network=small.network)
        row = Recommendation.objects.get(person=small["ben"], suggested=small["dan"])
        recommendation_dismiss(recommendation=row, by=small["ben"], now=START)
        # Both directions are put away at once.
        assert Recommendation.objects.get(person=small["dan"], suggested=small["ben"]).status == (
            Recommendation.Status.DISMISSED
        )
        recommendations_compute(network=small.network)
        row.refresh_from_db()
        assert row.status == Recommendation.Status.DISMISSED
        assert row.dismissed_at == START and row.dismissed_by == small["ben"]
        assert frozenset({"ben", "dan"}) not in unordered(small.pairs())
        assert ("ben", "dan") in small.pairs(Recommendation.Status.DISMISSED)

    def test_dismissing_twice_is_harmless_and_an_introduced_suggestion_cannot_be_dismissed(
        self, small
    ) -> None:
        recommendations_compute(network=small.network)
        row = Recommendation.objects.get(person=small["ben"], suggested=small["dan"])
        recommendation_dismiss(recommendation=row, by=None, now=START)
        recommendation_dismiss(recommendation=row, by=None, now=START + timedelta(days=1))
        row.refresh_from_db()
        assert row.dismissed_at == START
        other = Recommendation.objects.get(person=small["ana"], suggested=small["eve"])
        introduction_propose(
            network=small.network,
            proposed_by=small.coordinator,
            person_a=small["ana"],
            person_b=small["eve"],
            recommendation=other,
        )
        other.refresh_from_db()
        with pytest.raises(WeavingError, match="already proposed"):
            recommendation_dismiss(recommendation=other, by=None)

    def test_a_pair_with_an_introduction_is_not_suggested_again(self, small) -> None:
        recommendations_compute(network=small.network)
        assert frozenset({"ana", "eve"}) in unordered(small.pairs())
        introduction = introduction_propose(
            network=small.network,
            proposed_by=small.coordinator,
            person_a=small["ana"],
            person_b=small["eve"],
        )
        # Both rows of the pair now say an introduction was proposed.
        assert ("ana", "eve") in small.pairs(Recommendation.Status.INTRODUCED)
        recommendations_compute(network=small.network)
        assert frozenset({"ana", "eve"}) not in unordered(small.pairs())
        # Declined or expired, the pair stays out; withdrawn, it may be suggested again.
        introduction_answer(introduction=introduction, person=small["eve"], accept=False)
        recommendations_compute(network=small.network)
        assert frozenset({"ana", "eve"}) not in unordered(small.pairs())

    def test_a_withdrawn_introduction_gives_the_suggestion_back(self, small) -> None:
        recommendations_compute(network=small.network)
        introduction = introduction_propose(
            network=small.network,
            proposed_by=small.coordinator,
            person_a=small["ana"],
            person_b=small["eve"],
        )
        introduction_withdraw(introduction=introduction)
        assert ("ana", "eve") in small.pairs()
        recommendations_compute(network=small.network)
        assert ("ana", "eve") in small.pairs()

    def test_it_deletes_open_suggestions_that_are_no_longer_made(self, small) -> None:
        recommendations_compute(network=small.network)
        assert ("ben", "dan") in small.pairs()
        tie_add(network=small.network, source=small["ben"], target=small["dan"], kind="knows")
        recommendations_compute(network=small.network)
        assert frozenset({"ben", "dan"}) not in unordered(small.pairs())
        assert not Recommendation.objects.filter(
            person__in=[small["ben"], small["dan"]], suggested__in=[small["ben"], small["dan"]]
        ).exists()

    def test_recomputing_updates_rows_in_place(self, small) -> None:
        recommendations_compute(network=small.network, now=START)
        before = dict(
            Recommendation.objects.filter(network=small.network).values_list(
                "person_id", "suggested_id"
            )
        )
        ids = set(Recommendation.objects.values_list("pk", flat=True))
        later = START + timedelta(days=1)
        recommendations_compute(network=small.network, now=later)
        assert set(Recommendation.objects.values_list("pk", flat=True)) == ids
        assert set(Recommendation.objects.values_list("computed_at", flat=True)) == {later}
        assert before

    def test_a_pair_suggested_both_ways_has_exactly_one_mirror(self, small) -> None:
        recommendations_compute(network=small.network)
        rows = {
            (row.person_id, row.suggested_id): row
            for row in Recommendation.objects.filter(network=small.network)
        }
        two_way = [(s, t) for (s, t) in rows if (t, s) in rows and s < t]
        assert two_way
        for source, target in two_way:
            forward, back = rows[(source, target)], rows[(target, source)]
            assert forward.is_mirror != back.is_mirror
            kept = back if forward.is_mirror else forward
            assert kept.score >= (forward if kept is back else back).score
        one_way = [row for (s, t), row in rows.items() if (t, s) not in rows]
        assert all(not row.is_mirror for row in one_way)

    def test_pairs_with_a_recent_member_serve_the_newcomer_goal(self, small) -> None:
        Membership.objects.filter(network=small.network, person=small["gus"]).update(
            joined_at=timezone.now() - timedelta(days=10)
        )
        recommendations_compute(network=small.network)
        rows = list(Recommendation.objects.filter(network=small.network))
        with_gus = [r for r in rows if small["gus"].pk in (r.person_id, r.suggested_id)]
        without = [r for r in rows if small["gus"].pk not in (r.person_id, r.suggested_id)]
        assert with_gus and without
        assert all(Goal.NEWCOMERS in row.goal_list for row in with_gus)
        assert not any(Goal.NEWCOMERS in row.goal_list for row in without)

    def test_a_run_is_queued_once_and_computed_by_its_task(
        self, small, django_capture_on_commit_callbacks
    ) -> None:
        with django_capture_on_commit_callbacks(execute=True) as callbacks:
            first = recommendation_run_request(
                network=small.network, requested_by=small.coordinator
            )
            again = recommendation_run_request(network=small.network)
            assert again.pk == first.pk and first.status == RecommendationRun.Status.QUEUED
        assert len(callbacks) == 1
        first.refresh_from_db()
        # The immediate task backend ran the queued computation.
        assert first.status == RecommendationRun.Status.DONE
        assert first.members == 8
        assert first.recommendations == Recommendation.objects.count() > 0
        assert first.started_at is not None and first.finished_at is not None
        # Executing a finished run again changes nothing.
        finished = first.finished_at
        assert recommendation_run_execute(run_id=first.pk).finished_at == finished  # type: ignore[union-attr]
        assert recommendation_run_execute(run_id=first.pk + 1000) is None
        # A new request after a finished run queues a new one.
        assert recommendation_run_request(network=small.network).pk != first.pk


# --- introductions -------------------------------------------------------------------------------


@pytest.fixture
def ben(cast: Cast) -> Person:
    return make_member(
        cast.network,
        name="Ben Bridge",
        email="ben@example.org",
        expertise=["market shaping"],
        organization="Karoo Pharmaceuticals",
    )


def propose(cast: Cast, ben: Person, **kwargs: object) -> Introduction:
    fields: dict[str, object] = {
        "network": cast.network,
        "proposed_by": cast.coordinator,
        "person_a": cast.member,
        "person_b": ben,
        "now": START,
    }
    fields.update(kwargs)
    return introduction_propose(**fields)  # type: ignore[arg-type]


def subjects_to(smtp_server, address: str) -> list[str]:  # type: ignore[no-untyped-def]
    return [message.subject for message in smtp_server.messages_to(address)]


class IntroductionProposeTests:
    def test_it_needs_two_different_people(self, cast, ben) -> None:
        with pytest.raises(WeavingError, match="two different people"):
            propose(cast, ben, person_b=cast.member)

    @pytest.mark.parametrize("who", ["outsider", "other_member", "observer"])
    def test_it_refuses_someone_who_does_not_take_part_in_the_network(self, cast, ben, who) -> None:
        person = getattr(cast, who)
        with pytest.raises(WeavingError) as raised:
            propose(cast, ben, person_b=person)
        assert str(raised.value) == f"{person.name} is not an active member of this network."
        assert not Introduction.objects.exists()

    def test_it_refuses_someone_who_asked_not_to_be_suggested(self, cast, ben) -> None:
        Person.objects.filter(pk=ben.pk).update(open_to_introductions=False)
        ben.refresh_from_db()
        with pytest.raises(WeavingError) as raised:
            propose(cast, ben)
        assert str(raised.value) == "Ben Bridge has asked not to be suggested for introductions."
        # Asking for an introduction oneself is still possible.
        made = propose(cast, ben, proposed_by=ben)
        assert made.person_a == ben

    def test_it_refuses_a_second_introduction_while_one_waits_for_answers(self, cast, ben) -> None:
        propose(cast, ben)
        with pytest.raises(WeavingError) as raised:
            propose(cast, ben, person_a=ben, person_b=cast.member, proposed_by=cast.steward)
        assert str(raised.value) == (
            "An introduction of Ben Bridge and Mina Member is already waiting for answers."
        )

    def test_it_refuses_a_pair_already_introduced(self, cast, ben) -> None:
        introduction = propose(cast, ben)
        introduction_answer(introduction=introduction, person=cast.member, accept=True)
        introduction_answer(introduction=introduction, person=ben, accept=True)
        with pytest.raises(WeavingError, match="have already been introduced"):
            propose(cast, ben, proposed_by=ben)

    def test_it_does_not_propose_again_a_pair_that_declined(self, cast, ben) -> None:
        introduction = propose(cast, ben)
        introduction_answer(introduction=introduction, person=ben, accept=False)
        with pytest.raises(WeavingError, match="was declined before"):
            propose(cast, ben)

    def test_it_may_propose_again_after_a_withdrawal_or_an_expiry(self, cast, ben) -> None:
        introduction_withdraw(introduction=propose(cast, ben))
        expired = propose(cast, ben)
        assert introduction_expire(introduction=expired, now=expired.expires_at)
        assert propose(cast, ben).status == Introduction.Status.PROPOSED

    def test_it_refuses_a_note_over_the_limit(self, cast, ben) -> None:
        with pytest.raises(WeavingError) as raised:
            propose(cast, ben, note="x" * (NOTE_MAX + 1))
        assert str(raised.value) == (
            f"The note is at most {NOTE_MAX} characters; it has {NOTE_MAX + 1}."
        )
        assert propose(cast, ben, note="  " + "x" * NOTE_MAX + "  ").note == "x" * NOTE_MAX

    def test_a_suggestion_about_two_other_people_is_refused(self, cast, ben) -> None:
        row = Recommendation.objects.create(
            network=cast.network, person=cast.steward, suggested=ben, score=1.0
        )
        with pytest.raises(WeavingError, match="two other people"):
            propose(cast, ben, recommendation=row)

    def test_it_sets_the_answer_deadline_and_keeps_the_reasons_of_the_suggestion(
        self, cast, ben
    ) -> None:
        details = [
            {"code": "topic", "topic": "market shaping"},
            {"code": "they_offer", "phrase": "costing models"},
            {"code": "core"},
        ]
        row = Recommendation.objects.create(
            network=cast.network, person=ben, suggested=cast.member, score=1.0, details=details
        )
        introduction = propose(cast, ben, recommendation=row)
        assert introduction.expires_at == START + timedelta(
            days=settings.NETWEAVE_INTRODUCTION_ANSWER_DAYS
        )
        assert introduction.created_at == START
        # Mina is person_a: Ben's reasons are turned to her point of view.
        assert introduction.person_a == cast.member
        assert introduction.details == [
            {"code": "topic", "topic": "market shaping"},
            {"code": "you_offer", "phrase": "costing models"},
        ]
        row.refresh_from_db()
        assert row.status == Recommendation.Status.INTRODUCED

    def test_a_member_who_asks_has_said_yes_and_only_the_other_is_emailed(
        self, cast, ben, smtp_server, django_capture_on_commit_callbacks
    ) -> None:
        with django_capture_on_commit_callbacks(execute=True):
            introduction = propose(cast, ben, proposed_by=ben)
        # The asker is person_a, and has accepted by asking.
        assert introduction.person_a == ben
        assert introduction.a_answer == Introduction.Answer.ACCEPTED
        assert introduction.a_answered_at == START
        assert introduction.b_answer == Introduction.Answer.PENDING
        received = smtp_server.wait_for(to="mina@example.org", subject_contains="meet")
        assert "Ben Bridge" in received.subject
        assert smtp_server.messages_to("ben@example.org") == []
        assert len(smtp_server.messages) == 1
        introduction.refresh_from_db()
        assert introduction.b_asked_at is not None and introduction.a_asked_at is None

    def test_a_coordinator_proposal_emails_both(
        self, cast, ben, smtp_server, django_capture_on_commit_callbacks
    ) -> None:
        with django_capture_on_commit_callbacks(execute=True):
            introduction = propose(cast, ben)
        assert introduction.a_answer == introduction.b_answer == Introduction.Answer.PENDING
        to_mina = smtp_server.wait_for(to="mina@example.org", subject_contains="meet")
        to_ben = smtp_server.wait_for(to="ben@example.org", subject_contains="meet")
        assert "Ben Bridge" in to_mina.subject and "Mina Member" in to_ben.subject
        assert len(smtp_server.messages) == 2


@pytest.fixture
def waiting(cast: Cast, ben: Person) -> Introduction:
    return propose(cast, ben)


class IntroductionAnswerTests:
    def test_two_yeses_make_the_introduction_a_tie_and_a_follow_up(
        self, cast, ben, smtp_server, django_capture_on_commit_callbacks
    ) -> None:
        row = Recommendation.objects.create(
            network=cast.network, person=cast.member, suggested=ben, score=1.0
        )
        back = Recommendation.objects.create(
            network=cast.network, person=ben, suggested=cast.member, score=0.5, is_mirror=True
        )
        decided = START + timedelta(days=3)
        with django_capture_on_commit_callbacks(execute=True):
            introduction = propose(cast, ben, recommendation=row)
        with django_capture_on_commit_callbacks(execute=True):
            introduction_answer(
                introduction=introduction, person=ben, accept=True, now=START + timedelta(days=1)
            )
            made = introduction_answer(
                introduction=introduction, person=cast.member, accept=True, now=decided
            )
        assert made.status == Introduction.Status.ACCEPTED
        assert made.decided_at == decided
        assert made.follow_up_due_at == decided + timedelta(
            days=settings.NETWEAVE_INTRODUCTION_FOLLOW_UP_DAYS
        )
        tie = Tie.objects.get(network=cast.network, kind=Tie.Kind.INTRODUCED)
        assert made.tie == tie
        assert tie.evidence == f"introduction:{introduction.pk}"
        assert {tie.source, tie.target} == {cast.member, ben}
        assert tie.observed_at == decided and tie.provenance == Tie.Provenance.OBSERVED
        for recommendation in (row, back):
            recommendation.refresh_from_db()
            assert recommendation.status == Recommendation.Status.INTRODUCED
        # One "you are introduced" email each, giving the other's address.
        to_mina = smtp_server.messages_to("mina@example.org")
        to_ben = smtp_server.messages_to("ben@example.org")
        introduced_mina = [m for m in to_mina if m.subject.endswith("meet Ben Bridge")]
        introduced_ben = [m for m in to_ben if m.subject.endswith("meet Mina Member")]
        assert len(introduced_mina) == len(introduced_ben) == 1
        assert "ben@example.org" in introduced_mina[0].text
        assert "mailto:ben@example.org" in introduced_mina[0].html
        assert "mina@example.org" in introduced_ben[0].text
        assert "mailto:mina@example.org" in introduced_ben[0].html
        # Requests (one each) and the introduction (one each): nothing else.
        assert len(to_mina) == len(to_ben) == 2

    def test_one_no_closes_it_and_the_one_who_said_yes_is_told_without_saying_who_declined(
        self, cast, ben, smtp_server, django_capture_on_commit_callbacks
    ) -> None:
        introduction = propose(cast, ben)
        introduction_answer(introduction=introduction, person=cast.member, accept=True)
        with django_capture_on_commit_callbacks(execute=True):
            closed = introduction_answer(
                introduction=introduction, person=ben, accept=False, now=START + timedelta(days=2)
            )
        assert closed.status == Introduction.Status.DECLINED
        assert closed.decided_at == START + timedelta(days=2)
        assert closed.b_answer == Introduction.Answer.DECLINED
        assert not Tie.objects.filter(network=cast.network, kind=Tie.Kind.INTRODUCED).exists()
        received = smtp_server.wait_for(to="mina@example.org", subject_contains="will not go ahead")
        for body in (received.text, received.html):
            assert "declin" not in body.lower() and "said no" not in body.lower()
            assert "ben@example.org" not in body
        assert smtp_server.messages_to("ben@example.org") == []
        assert len(smtp_server.messages) == 1

    def test_answering_twice_the_same_way_is_harmless(self, cast, ben, waiting) -> None:
        introduction_answer(introduction=waiting, person=ben, accept=True, now=START)
        again = introduction_answer(
            introduction=waiting, person=ben, accept=True, now=START + timedelta(days=1)
        )
        assert again.b_answer == Introduction.Answer.ACCEPTED
        assert again.b_answered_at == START
        assert again.status == Introduction.Status.PROPOSED

    def test_changing_one_answer_is_refused(self, cast, ben, waiting) -> None:
        introduction_answer(introduction=waiting, person=ben, accept=True)
        with pytest.raises(WeavingError, match="already answered"):
            introduction_answer(introduction=waiting, person=ben, accept=False)
        waiting.refresh_from_db()
        assert waiting.b_answer == Introduction.Answer.ACCEPTED
        assert waiting.status == Introduction.Status.PROPOSED

    def test_a_closed_introduction_takes_no_new_answer(self, cast, ben, waiting) -> None:
        introduction_answer(introduction=waiting, person=ben, accept=False)
        with pytest.raises(WeavingError, match=r"This introduction is closed: Did not go ahead\."):
            introduction_answer(introduction=waiting, person=cast.member, accept=True)
        # The one who declined saying no again is still harmless.
        introduction_answer(introduction=waiting, person=ben, accept=False)

    def test_only_the_two_people_can_answer(self, cast, ben, waiting) -> None:
        with pytest.raises(WeavingError, match="Only the two people"):
            introduction_answer(introduction=waiting, person=cast.coordinator, accept=True)


class IntroductionWithdrawTests:
    def test_a_withdrawn_introduction_tells_whoever_was_asked(
        self, cast, ben, smtp_server, django_capture_on_commit_callbacks
    ) -> None:
        with django_capture_on_commit_callbacks(execute=True):
            introduction = propose(cast, ben)
        smtp_server.clear()
        with django_capture_on_commit_callbacks(execute=True):
            withdrawn = introduction_withdraw(introduction=introduction, now=START)
        assert withdrawn.status == Introduction.Status.WITHDRAWN and withdrawn.decided_at == START
        for address in ("mina@example.org", "ben@example.org"):
            received = smtp_server.wait_for(to=address, subject_contains="will not go ahead")
            assert "The introduction was withdrawn." in received.text
        assert len(smtp_server.messages) == 2

    def test_withdrawing_twice_is_harmless_and_a_made_introduction_cannot_be_withdrawn(
        self, cast, ben, waiting
    ) -> None:
        introduction_withdraw(introduction=waiting, now=START)
        assert introduction_withdraw(introduction=waiting).decided_at == START
        made = propose(cast, ben)
        introduction_answer(introduction=made, person=ben, accept=True)
        introduction_answer(introduction=made, person=cast.member, accept=True)
        with pytest.raises(WeavingError, match="still waiting for answers"):
            introduction_withdraw(introduction=made)


class IntroductionExpireTests:
    def test_it_expires_only_once_its_deadline_has_passed(self, waiting) -> None:
        assert not introduction_expire(
            introduction=waiting, now=waiting.expires_at - timedelta(minutes=1)
        )
        waiting.refresh_from_db()
        assert waiting.status == Introduction.Status.PROPOSED
        assert introduction_expire(introduction=waiting, now=waiting.expires_at)
        waiting.refresh_from_db()
        assert waiting.status == Introduction.Status.EXPIRED
        assert waiting.decided_at == waiting.expires_at
        assert not introduction_expire(
            introduction=waiting, now=waiting.expires_at + timedelta(days=1)
        )

    def test_an_answered_introduction_does_not_expire(self, cast, ben, waiting) -> None:
        introduction_answer(introduction=waiting, person=ben, accept=False)
        assert not introduction_expire(
            introduction=waiting, now=waiting.expires_at + timedelta(days=1)
        )
        waiting.refresh_from_db()
        assert waiting.status == Introduction.Status.DECLINED

    def test_the_expiry_tells_whoever_was_asked_or_said_yes(
        self, cast, ben, smtp_server, django_capture_on_commit_callbacks
    ) -> None:
        with django_capture_on_commit_callbacks(execute=True):
            introduction = propose(cast, ben)
            introduction_answer(introduction=introduction, person=ben, accept=True)
        smtp_server.clear()
        with django_capture_on_commit_callbacks(execute=True):
            assert weaving_due(now=introduction.expires_at + timedelta(hours=1)) == {
                "expired": 1,
                "follow_ups": 0,
            }
        smtp_server.wait_for(to="mina@example.org", subject_contains="will not go ahead")
        smtp_server.wait_for(to="ben@example.org", subject_contains="will not go ahead")
        assert len(smtp_server.messages) == 2


def made(cast: Cast, ben: Person) -> Introduction:
    introduction = propose(cast, ben)
    introduction_answer(introduction=introduction, person=ben, accept=True, now=START)
    return introduction_answer(
        introduction=introduction, person=cast.member, accept=True, now=START
    )


class IntroductionFollowUpTests:
    def test_the_follow_up_goes_out_once_when_it_is_due(
        self, cast, ben, smtp_server, django_capture_on_commit_callbacks
    ) -> None:
        introduction = made(cast, ben)
        due = introduction.follow_up_due_at
        assert due is not None
        with django_capture_on_commit_callbacks(execute=True):
            assert not introduction_follow_up(
                introduction=introduction, now=due - timedelta(minutes=1)
            )
        assert smtp_server.messages == []
        with django_capture_on_commit_callbacks(execute=True):
            assert introduction_follow_up(introduction=introduction, now=due)
            assert not introduction_follow_up(introduction=introduction, now=due)
            assert weaving_due(now=due + timedelta(days=3)) == {"expired": 0, "follow_ups": 0}
        introduction.refresh_from_db()
        assert introduction.follow_up_sent_at == due
        for address in ("mina@example.org", "ben@example.org"):
            received = smtp_server.wait_for(to=address, subject_contains="lead anywhere")
            assert "?outcome=collaborated" in received.html
        assert len(smtp_server.messages) == 2

    def test_the_daily_sweep_sends_the_follow_ups_that_are_due(
        self, cast, ben, smtp_server, django_capture_on_commit_callbacks
    ) -> None:
        introduction = made(cast, ben)
        due = introduction.follow_up_due_at
        assert due is not None
        with django_capture_on_commit_callbacks(execute=True):
            assert weaving_due(now=due - timedelta(days=1)) == {"expired": 0, "follow_ups": 0}
            assert weaving_due(now=due) == {"expired": 0, "follow_ups": 1}
            assert weaving_due(now=due + timedelta(days=1)) == {"expired": 0, "follow_ups": 0}
        assert len(smtp_server.messages) == 2

    def test_no_follow_up_once_the_outcome_is_known(self, cast, ben) -> None:
        introduction = made(cast, ben)
        introduction_record_outcome(
            introduction=introduction, outcome=Introduction.Outcome.IN_TOUCH, by=cast.member
        )
        due = introduction.follow_up_due_at
        assert due is not None
        assert not introduction_follow_up(introduction=introduction, now=due)
        assert weaving_due(now=due) == {"expired": 0, "follow_ups": 0}


class IntroductionOutcomeTests:
    def test_working_together_adds_a_collaboration_tie_once(self, cast, ben) -> None:
        introduction = made(cast, ben)
        when = START + timedelta(days=50)
        for _ in range(2):
            recorded = introduction_record_outcome(
                introduction=introduction,
                outcome=Introduction.Outcome.COLLABORATED,
                by=ben,
                note=" We wrote a protocol together. ",
                now=when,
            )
        assert recorded.outcome == Introduction.Outcome.COLLABORATED
        assert recorded.outcome_note == "We wrote a protocol together."
        assert recorded.outcome_at == when and recorded.outcome_by == ben
        ties = Tie.objects.filter(network=cast.network, kind=Tie.Kind.COLLABORATES)
        assert ties.count() == 1
        tie = ties.get()
        assert {tie.source, tie.target} == {cast.member, ben}
        assert tie.evidence == f"introduction:{introduction.pk}:outcome"
        assert tie.observed_at == when

    def test_other_outcomes_add_no_tie(self, cast, ben) -> None:
        introduction = made(cast, ben)
        introduction_record_outcome(
            introduction=introduction, outcome=Introduction.Outcome.NO_CONTACT, by=None
        )
        assert not Tie.objects.filter(kind=Tie.Kind.COLLABORATES).exists()

    def test_it_refuses_an_unknown_outcome_or_an_introduction_not_made(
        self, cast, ben, waiting
    ) -> None:
        with pytest.raises(WeavingError, match="Only an introduction both people accepted"):
            introduction_record_outcome(
                introduction=waiting, outcome=Introduction.Outcome.COLLABORATED, by=None
            )
        with pytest.raises(WeavingError, match="Unknown outcome “married”"):
            introduction_record_outcome(introduction=waiting, outcome="married", by=None)
        with pytest.raises(WeavingError, match="Unknown outcome"):
            introduction_record_outcome(introduction=waiting, outcome="", by=None)
