"""The introduction's emails as a real SMTP server receives them: who gets what, what each may
learn of the other (never the address before both say yes), the language, and tasks that send
once however often they run."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from django.urls import reverse

from netweave.lib.testing import Cast, make_member, make_network, make_person
from netweave.people.models import Person
from netweave.weaving import emails
from netweave.weaving.models import Introduction, Recommendation
from netweave.weaving.services import (
    introduction_answer,
    introduction_expire,
    introduction_propose,
)
from netweave.weaving.tasks import (
    introduction_check,
    send_introduction_requests,
    send_introduction_update,
    weaving_daily,
)

pytestmark = pytest.mark.django_db

BASE = "https://weave.example.org"
MINA = "mina@example.org"
BEN = "ben@example.org"


@pytest.fixture(autouse=True)
def _base_url(settings) -> None:  # type: ignore[no-untyped-def]
    settings.NETWEAVE_BASE_URL = BASE


@pytest.fixture
def ben(cast: Cast) -> Person:
    return make_member(
        cast.network,
        name="Ben Bridge",
        email=BEN,
        expertise=["market shaping", "costing"],
        organization="Karoo Pharmaceuticals",
    )


@pytest.fixture
def named(cast: Cast) -> Person:
    return make_member(cast.network, name="Nadia Named", map_consent=Person.MapConsent.NAMED)


@pytest.fixture
def hidden(cast: Cast) -> Person:
    return make_member(cast.network, name="Hugo Hidden", map_consent=Person.MapConsent.ANONYMOUS)


def suggestion(cast: Cast, ben: Person, named: Person, hidden: Person) -> Recommendation:
    """Mina should meet Ben: they know Nadia (named on the map) and Hugo (anonymous)."""
    return Recommendation.objects.create(
        network=cast.network,
        person=cast.member,
        suggested=ben,
        score=1.2,
        details=[
            {"code": "shared", "count": 2, "people": [named.pk, hidden.pk]},
            {"code": "they_offer", "phrase": "Costing models for injectables."},
        ],
    )


def propose(cast: Cast, ben: Person, **kwargs: object) -> Introduction:
    fields: dict[str, object] = {
        "network": cast.network,
        "proposed_by": cast.coordinator,
        "person_a": cast.member,
        "person_b": ben,
    }
    fields.update(kwargs)
    return introduction_propose(**fields)  # type: ignore[arg-type]


def respond_link(introduction: Introduction, side: str) -> str:
    return BASE + reverse("introductions:respond", args=[introduction.token_of(side)])


class RequestEmailTests:
    def test_it_names_the_other_person_and_the_reasons_but_never_their_address(
        self, cast, ben, named, hidden, smtp_server
    ) -> None:
        introduction = propose(
            cast,
            ben,
            recommendation=suggestion(cast, ben, named, hidden),
            note="You could compare costing notes.",
        )
        assert send_introduction_requests.call(introduction.pk) == 2
        to_mina = smtp_server.wait_for(to=MINA, subject_contains="would you like to meet")
        to_ben = smtp_server.wait_for(to=BEN, subject_contains="would you like to meet")
        assert to_mina.subject == "Cast Network: would you like to meet Ben Bridge?"
        assert to_ben.subject == "Cast Network: would you like to meet Mina Member?"
        for received, other_name, other_email in (
            (to_mina, "Ben Bridge", BEN),
            (to_ben, "Mina Member", MINA),
        ):
            for body in (received.text, received.html):
                assert other_name in body
                assert "Cora Coordinator suggests that you two meet." in body
                assert "You could compare costing notes." in body
                assert other_email not in body, "the address is given only once both say yes"
            assert received.to == received.rcpt_tos[0]
        # The reasons, worded for each reader; a third person is named only with their consent.
        assert "- You both know Nadia Named and 1 other" in to_mina.text
        assert "Hugo Hidden" not in to_mina.text + to_mina.html
        assert "They can offer costing models for injectables, which you are looking for" in (
            to_mina.text
        )
        assert "You can offer costing models for injectables, which they are looking for" in (
            to_ben.text
        )
        assert "Karoo Pharmaceuticals" in to_mina.text
        assert "Kenya Medical Research Institute" in to_ben.text

    def test_each_person_gets_a_link_with_their_own_token(self, cast, ben, smtp_server) -> None:
        introduction = propose(cast, ben)
        send_introduction_requests.call(introduction.pk)
        to_mina = smtp_server.wait_for(to=MINA)
        to_ben = smtp_server.wait_for(to=BEN)
        assert respond_link(introduction, "a") in to_mina.text
        assert f'href="{respond_link(introduction, "a")}?answer=yes"' in to_mina.html
        assert f'href="{respond_link(introduction, "a")}?answer=no"' in to_mina.html
        assert introduction.b_token not in to_mina.text + to_mina.html
        assert respond_link(introduction, "b") in to_ben.text
        assert introduction.a_token not in to_ben.text + to_ben.html
        profile = BASE + reverse("people:person", args=["cast", ben.pk])
        assert profile in to_mina.text

    def test_a_member_who_asked_is_named_as_the_one_asking(self, cast, ben, smtp_server) -> None:
        introduction = propose(cast, ben, proposed_by=ben)
        assert send_introduction_requests.call(introduction.pk) == 1
        received = smtp_server.wait_for(to=MINA)
        assert "Ben Bridge would like to be introduced to you." in received.text
        assert "suggests that you two meet" not in received.text
        assert BEN not in received.text + received.html

    def test_the_task_sends_each_request_once(self, cast, ben, smtp_server) -> None:
        introduction = propose(cast, ben)
        assert send_introduction_requests.call(introduction.pk) == 2
        assert send_introduction_requests.call(introduction.pk) == 0
        assert send_introduction_requests.call(introduction.pk + 1000) == 0
        assert len(smtp_server.messages) == 2

    def test_nobody_who_answered_already_is_asked(self, cast, ben, smtp_server) -> None:
        introduction = propose(cast, ben)
        introduction_answer(introduction=introduction, person=ben, accept=True)
        assert send_introduction_requests.call(introduction.pk) == 1
        assert [m.rcpt_tos for m in smtp_server.messages] == [[MINA]]

    def test_a_person_without_an_address_is_skipped(self, cast, smtp_server) -> None:
        quiet = make_member(cast.network, name="No Mail")
        Person.objects.filter(pk=quiet.pk).update(email="")
        quiet.refresh_from_db()
        introduction = propose(cast, quiet)
        assert send_introduction_requests.call(introduction.pk) == 1
        assert [m.rcpt_tos for m in smtp_server.messages] == [[MINA]]


class IntroducedEmailTests:
    def test_both_get_the_other_address_once(self, cast, ben, named, hidden, smtp_server) -> None:
        introduction = propose(cast, ben, recommendation=suggestion(cast, ben, named, hidden))
        introduction_answer(introduction=introduction, person=ben, accept=True)
        introduction_answer(introduction=introduction, person=cast.member, accept=True)
        assert send_introduction_update.call(introduction.pk, "introduced") == 2
        assert send_introduction_update.call(introduction.pk, "introduced") == 0
        to_mina = smtp_server.wait_for(to=MINA, subject_contains="meet Ben Bridge")
        to_ben = smtp_server.wait_for(to=BEN, subject_contains="meet Mina Member")
        assert f"Email: {BEN}" in to_mina.text
        assert f'href="mailto:{BEN}"' in to_mina.html
        assert f"Email: {MINA}" in to_ben.text
        assert "You both know Nadia Named" in to_mina.text
        assert len(smtp_server.messages) == 2

    def test_nothing_is_sent_for_an_introduction_not_made(self, cast, ben, smtp_server) -> None:
        introduction = propose(cast, ben)
        introduction_answer(introduction=introduction, person=ben, accept=True)
        assert send_introduction_update.call(introduction.pk, "introduced") == 0
        assert smtp_server.messages == []


class ClosedEmailTests:
    def test_a_decline_reads_like_an_expiry_and_the_one_who_declined_hears_nothing(
        self, cast, ben, smtp_server
    ) -> None:
        declined = propose(cast, ben)
        send_introduction_requests.call(declined.pk)
        introduction_answer(introduction=declined, person=cast.member, accept=True)
        introduction_answer(introduction=declined, person=ben, accept=False)
        smtp_server.clear()
        assert send_introduction_update.call(declined.pk, "closed") == 1
        assert send_introduction_update.call(declined.pk, "closed") == 0
        after_decline = smtp_server.wait_for(to=MINA, subject_contains="will not go ahead")
        assert smtp_server.messages_to(BEN) == []

        other = make_member(cast.network, name="Ben Bridge", email="ben.two@example.org")
        expired = propose(cast, other)
        send_introduction_requests.call(expired.pk)
        introduction_answer(introduction=expired, person=cast.member, accept=True)
        introduction_expire(introduction=expired, now=expired.expires_at)
        smtp_server.clear()
        assert send_introduction_update.call(expired.pk, "closed") == 2
        after_expiry = smtp_server.wait_for(to=MINA, subject_contains="will not go ahead")
        # Mina cannot tell a "no" from a silence: the same words either way.
        assert after_decline.subject == after_expiry.subject
        assert after_decline.text == after_expiry.text
        assert after_decline.html == after_expiry.html
        assert "did not come together" in after_decline.text

    def test_someone_never_asked_and_silent_is_not_told(self, cast, ben, smtp_server) -> None:
        introduction = propose(cast, ben)
        # Mina answers on the site before any request went out; Ben was never asked.
        introduction_answer(introduction=introduction, person=cast.member, accept=True)
        introduction_expire(introduction=introduction, now=introduction.expires_at)
        assert send_introduction_update.call(introduction.pk, "closed") == 1
        assert [m.rcpt_tos for m in smtp_server.messages] == [[MINA]]


class FollowUpEmailTests:
    def test_it_offers_each_outcome_on_the_recipient_link(self, cast, ben, smtp_server) -> None:
        introduction = propose(cast, ben)
        introduction_answer(introduction=introduction, person=ben, accept=True)
        introduction = introduction_answer(
            introduction=introduction, person=cast.member, accept=True
        )
        assert introduction.follow_up_due_at is not None
        assert emails.send_follow_up(introduction) == 2
        received = smtp_server.wait_for(to=BEN, subject_contains="lead anywhere")
        assert received.subject == (
            "Cast Network: did your introduction to Mina Member lead anywhere?"
        )
        link = respond_link(introduction, "b")
        for outcome in ("collaborated", "in_touch", "no_contact"):
            assert f'href="{link}?outcome={outcome}"' in received.html
        assert link in received.text

    def test_the_tasks_send_the_follow_up_once_when_it_is_due(
        self, cast, ben, smtp_server, django_capture_on_commit_callbacks
    ) -> None:
        introduction = propose(cast, ben)
        introduction_answer(introduction=introduction, person=ben, accept=True)
        introduction = introduction_answer(
            introduction=introduction, person=cast.member, accept=True
        )
        due = introduction.follow_up_due_at
        assert due is not None
        with django_capture_on_commit_callbacks(execute=True):
            # Not due yet (the test backend cannot book a later check).
            assert introduction_check.call(introduction.pk) is False
        assert smtp_server.messages == []
        Introduction.objects.filter(pk=introduction.pk).update(
            follow_up_due_at=due - timedelta(days=60)
        )
        with django_capture_on_commit_callbacks(execute=True):
            assert introduction_check.call(introduction.pk) is True
            assert introduction_check.call(introduction.pk) is False
            assert weaving_daily.call() == {"expired": 0, "follow_ups": 0}
        assert sorted(r for m in smtp_server.messages for r in m.rcpt_tos) == [BEN, MINA]
        assert all("lead anywhere" in m.subject for m in smtp_server.messages)


class DailyTaskTests:
    def test_running_the_daily_task_twice_expires_and_mails_once(
        self, cast, ben, smtp_server, django_capture_on_commit_callbacks
    ) -> None:
        introduction = propose(cast, ben)
        send_introduction_requests.call(introduction.pk)
        Introduction.objects.filter(pk=introduction.pk).update(
            expires_at=introduction.expires_at - timedelta(days=30)
        )
        smtp_server.clear()
        with django_capture_on_commit_callbacks(execute=True):
            assert weaving_daily.call() == {"expired": 1, "follow_ups": 0}
            assert weaving_daily.call() == {"expired": 0, "follow_ups": 0}
        introduction.refresh_from_db()
        assert introduction.status == Introduction.Status.EXPIRED
        assert introduction.closed_mail_at is not None
        assert sorted(r for m in smtp_server.messages for r in m.rcpt_tos) == [BEN, MINA]
        assert introduction_check.call(introduction.pk) is False
        assert send_introduction_update.call(introduction.pk, "closed") == 0
        assert len(smtp_server.messages) == 2


class LanguageTests:
    def test_the_person_language_comes_first_then_the_network_then_the_default(
        self, settings
    ) -> None:
        trilingual = make_network(languages=["fr", "en"])
        silent = make_network(languages=[])
        assert emails.language_for(make_person(languages=["fr"]), silent) == "fr"
        assert emails.language_for(make_person(languages=["sw", "es"]), silent) == "es"
        assert emails.language_for(make_person(languages=["fr-CA"]), silent) == "fr"
        assert emails.language_for(make_person(languages=["sw"]), trilingual) == "fr"
        assert emails.language_for(make_person(languages=[]), trilingual) == "fr"
        assert emails.language_for(make_person(languages=["de"]), silent) == "en"
        settings.LANGUAGE_CODE = "es"
        assert emails.language_for(make_person(languages=[]), silent) == "es"

    def test_each_email_is_written_in_its_recipient_language(self, cast, ben, smtp_server) -> None:
        Person.objects.filter(pk=ben.pk).update(languages=["fr"])
        introduction = propose(cast, ben)
        send_introduction_requests.call(introduction.pk)
        to_ben = smtp_server.wait_for(to=BEN)
        to_mina = smtp_server.wait_for(to=MINA)
        assert re.search(r'<html lang="fr">', to_ben.html)
        assert re.search(r'<html lang="en">', to_mina.html)
