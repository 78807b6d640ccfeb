"""The weaving pages: people to meet, the board, the introduction pages, the email link, the
report; with and without htmx; and the double opt-in rule on every page."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from netweave.ties.models import Tie
from netweave.weaving.models import Introduction, Recommendation, RecommendationRun
from netweave.weaving.services import (
    introduction_answer,
    introduction_propose,
    recommendations_compute,
)
from netweave.weaving.tests.scenes import weave_a_pair

pytestmark = pytest.mark.django_db

HTMX = {"HTTP_HX_REQUEST": "true"}


def client_for(cast, who: str) -> Client:  # type: ignore[no-untyped-def]
    client = Client()
    user = cast.user(who)
    if user is not None:
        client.force_login(user)
    return client


@pytest.fixture
def woven(cast):  # type: ignore[no-untyped-def]
    return weave_a_pair(cast)


def suggestion_for(cast, person) -> Recommendation:  # type: ignore[no-untyped-def]
    return Recommendation.objects.get(network=cast.network, person=cast.member, suggested=person)


class PeopleToMeetTests:
    def test_a_member_sees_who_to_meet_with_the_reasons_in_words(self, cast, woven) -> None:
        response = client_for(cast, "member").get(reverse("weaving:meet", args=["cast"]))
        assert response.status_code == 200
        page = response.content.decode()
        assert "Beatriz Okafor" in page
        assert "You both know Hassan Hub and Ines Hub" in page
        assert "They can offer trial design, which you are looking for" in page
        assert "Ask to meet Beatriz Okafor" in page

    def test_a_first_visit_computes_the_suggestions(
        self, cast, django_capture_on_commit_callbacks
    ) -> None:
        with django_capture_on_commit_callbacks(execute=True):
            response = client_for(cast, "member").get(reverse("weaving:meet", args=["cast"]))
        assert response.status_code == 200
        run = RecommendationRun.objects.get(network=cast.network)
        assert run.status == RecommendationRun.Status.DONE
        assert run.members == 3  # coordinator, steward, member; not the observer

    def test_asking_with_htmx_replaces_the_card_and_mails_only_the_other_person(
        self, cast, woven, smtp_server, django_capture_on_commit_callbacks
    ) -> None:
        rec = suggestion_for(cast, woven)
        with django_capture_on_commit_callbacks(execute=True):
            response = client_for(cast, "member").post(
                reverse("weaving:ask", args=["cast", rec.pk]),
                {"note": "Trial design help?"},
                **HTMX,
            )
        assert response.status_code == 200
        assert f'id="suggestion-{rec.pk}"' in response.content.decode()
        assert "We asked Beatriz Okafor" in response.content.decode()
        introduction = Introduction.objects.get(network=cast.network)
        assert introduction.person_a == cast.member
        assert introduction.a_answer == Introduction.Answer.ACCEPTED
        assert introduction.b_answer == Introduction.Answer.PENDING
        received = smtp_server.wait_for(to="beatriz@example.org")
        assert [message.rcpt_tos for message in smtp_server.messages] == [["beatriz@example.org"]]
        assert "mina@example.org" not in received.text and "mina@example.org" not in received.html
        assert "Trial design help?" in received.text
        rec.refresh_from_db()
        assert rec.status == Recommendation.Status.INTRODUCED

    def test_without_javascript_asking_redirects_back_with_a_message(self, cast, woven) -> None:
        rec = suggestion_for(cast, woven)
        client = client_for(cast, "member")
        response = client.post(reverse("weaving:ask", args=["cast", rec.pk]), follow=True)
        assert response.redirect_chain[-1][0] == reverse("weaving:meet", args=["cast"])
        assert "We asked Beatriz Okafor" in response.content.decode()

    def test_dismissing_hides_the_suggestion_for_good(self, cast, woven) -> None:
        rec = suggestion_for(cast, woven)
        client = client_for(cast, "member")
        response = client.post(reverse("weaving:dismiss", args=["cast", rec.pk]), **HTMX)
        assert response.status_code == 200
        assert "will not be suggested again" in response.content.decode()
        recommendations_compute(network=cast.network)
        assert (
            "Beatriz Okafor"
            not in client.get(reverse("weaving:meet", args=["cast"])).content.decode()
        )

    def test_a_member_cannot_act_on_someone_elses_suggestion(self, cast, woven) -> None:
        theirs = (
            Recommendation.objects.filter(network=cast.network).exclude(person=cast.member).first()
        )
        assert theirs is not None
        client = client_for(cast, "member")
        assert client.post(reverse("weaving:dismiss", args=["cast", theirs.pk])).status_code == 404
        assert client.post(reverse("weaving:ask", args=["cast", theirs.pk])).status_code == 404

    def test_an_empty_page_says_what_to_do_next(self, cast) -> None:
        RecommendationRun.objects.create(network=cast.network, status=RecommendationRun.Status.DONE)
        RecommendationRun.objects.update(finished_at=cast.member.created_at.replace(year=2999))
        page = (
            client_for(cast, "member").get(reverse("weaving:meet", args=["cast"])).content.decode()
        )
        assert "Complete your profile" in page


class BoardTests:
    def test_the_board_lists_each_pair_once_with_reasons_about_both(self, cast, woven) -> None:
        response = client_for(cast, "coordinator").get(reverse("weaving:board", args=["cast"]))
        page = response.content.decode()
        assert response.status_code == 200
        assert "Mina Member</a> ↔ <a" in page or "Beatriz Okafor</a> ↔ <a" in page
        assert "They both know Hassan Hub and Ines Hub" in page
        pairs = Recommendation.objects.filter(network=cast.network, is_mirror=False).count()
        assert pairs < Recommendation.objects.filter(network=cast.network).count()

    def test_the_goal_filter_keeps_only_pairs_that_serve_it(self, cast, woven) -> None:
        client = client_for(cast, "coordinator")
        every = client.get(reverse("weaving:board", args=["cast"])).context["page"].paginator.count
        hub = client.get(reverse("weaving:board", args=["cast"]) + "?goal=hub").context
        assert every > 0
        assert all(",hub," in row.goals for row in hub["rows"])
        bad = client.get(reverse("weaving:board", args=["cast"]) + "?goal=nonsense")
        assert bad.status_code == 200  # an unknown goal is ignored by the form, not a 500

    def test_a_coordinator_proposes_and_both_people_are_asked(
        self, cast, woven, smtp_server, django_capture_on_commit_callbacks
    ) -> None:
        rec = Recommendation.objects.get(
            network=cast.network,
            is_mirror=False,
            person__in=[cast.member, woven],
            suggested__in=[cast.member, woven],
        )
        with django_capture_on_commit_callbacks(execute=True):
            response = client_for(cast, "coordinator").post(
                reverse("weaving:propose", args=["cast", rec.pk]), {"note": "Meet!"}
            )
        assert response.status_code == 302
        introduction = Introduction.objects.get()
        assert introduction.proposed_by == cast.coordinator
        to_mina = smtp_server.wait_for(to="mina@example.org")
        smtp_server.wait_for(to="beatriz@example.org")
        assert len(smtp_server.messages) == 2
        assert "Cora Coordinator suggests that you two meet." in to_mina.text

    def test_members_do_not_reach_the_board_or_the_report(self, cast) -> None:
        client = client_for(cast, "member")
        assert client.get(reverse("weaving:board", args=["cast"])).status_code == 403
        assert client.get(reverse("weaving:report", args=["cast"])).status_code == 403


class IntroductionPageTests:
    def propose(self, cast, woven):  # type: ignore[no-untyped-def]
        return introduction_propose(
            network=cast.network,
            proposed_by=cast.coordinator,
            person_a=cast.member,
            person_b=woven,
            note="You should talk about trial design.",
        )

    def test_before_both_say_yes_nobody_sees_the_other_address_or_answer(self, cast, woven) -> None:
        introduction = self.propose(cast, woven)
        introduction_answer(introduction=introduction, person=woven, accept=True)
        page = (
            client_for(cast, "member")
            .get(reverse("weaving:introduction", args=["cast", introduction.pk]))
            .content.decode()
        )
        assert "beatriz@example.org" not in page
        assert "Accepted" not in page  # Beatriz's answer is not told
        assert "Yes, introduce us" in page

    def test_after_both_say_yes_each_sees_the_other_address(self, cast, woven) -> None:
        introduction = self.propose(cast, woven)
        introduction_answer(introduction=introduction, person=woven, accept=True)
        client = client_for(cast, "member")
        response = client.post(
            reverse("weaving:introduction_answer", args=["cast", introduction.pk]),
            {"answer": "yes"},
            follow=True,
        )
        page = response.content.decode()
        assert "You are introduced" in page
        assert "mailto:beatriz@example.org" in page
        assert Tie.objects.filter(
            kind=Tie.Kind.INTRODUCED, evidence=f"introduction:{introduction.pk}"
        ).exists()

    def test_a_member_outside_the_introduction_gets_a_404(self, cast, woven) -> None:
        introduction = self.propose(cast, woven)
        assert (
            client_for(cast, "steward")
            .get(reverse("weaving:introduction", args=["cast", introduction.pk]))
            .status_code
            == 404
        )

    def test_the_coordinator_sees_both_answers_but_cannot_answer(self, cast, woven) -> None:
        introduction = self.propose(cast, woven)
        introduction_answer(introduction=introduction, person=woven, accept=True)
        client = client_for(cast, "coordinator")
        page = client.get(
            reverse("weaving:introduction", args=["cast", introduction.pk])
        ).content.decode()
        assert "Accepted" in page and "No answer yet" in page
        answer = client.post(
            reverse("weaving:introduction_answer", args=["cast", introduction.pk]),
            {"answer": "yes"},
        )
        assert answer.status_code == 403

    def test_a_member_asks_to_meet_someone_from_the_form(self, cast, woven) -> None:
        client = client_for(cast, "member")
        url = reverse("weaving:introduction_new", args=["cast"])
        assert "person_a" not in client.get(url + f"?to={woven.pk}").context["form"].fields
        response = client.post(url, {"person_b": woven.pk, "note": "Hello"})
        introduction = Introduction.objects.get()
        assert response.status_code == 302
        assert (introduction.person_a, introduction.person_b) == (cast.member, woven)

    def test_a_bad_form_says_what_to_fix(self, cast, woven) -> None:
        client = client_for(cast, "coordinator")
        url = reverse("weaving:introduction_new", args=["cast"])
        response = client.post(url, {"person_a": cast.member.pk, "person_b": cast.member.pk})
        assert response.status_code == 400
        assert "two different people" in response.content.decode()

    def test_withdrawing_is_for_the_proposer_or_a_coordinator(self, cast, woven) -> None:
        introduction = self.propose(cast, woven)
        url = reverse("weaving:introduction_withdraw", args=["cast", introduction.pk])
        assert client_for(cast, "member").post(url).status_code == 403
        assert client_for(cast, "coordinator").post(url).status_code == 302
        introduction.refresh_from_db()
        assert introduction.status == Introduction.Status.WITHDRAWN


class EmailLinkTests:
    def test_the_link_answers_without_signing_in_for_its_side_only(self, cast, woven) -> None:
        introduction = introduction_propose(
            network=cast.network, proposed_by=cast.coordinator, person_a=cast.member, person_b=woven
        )
        client = Client()
        url = reverse("introductions:respond", args=[introduction.b_token])
        page = client.get(url + "?answer=yes").content.decode()
        assert "An introduction to Mina Member" in page
        assert "mina@example.org" not in page
        assert client.post(url, {"answer": "yes"}).status_code == 302
        introduction.refresh_from_db()
        assert (introduction.a_answer, introduction.b_answer) == ("pending", "accepted")

    def test_an_unknown_token_is_a_404(self, db) -> None:
        assert Client().get(reverse("introductions:respond", args=["nope"])).status_code == 404

    def test_the_follow_up_link_records_the_outcome(self, cast, woven) -> None:
        introduction = introduction_propose(
            network=cast.network, proposed_by=cast.member, person_a=cast.member, person_b=woven
        )
        introduction_answer(introduction=introduction, person=woven, accept=True)
        url = reverse("introductions:respond", args=[introduction.a_token])
        page = Client().get(url + "?outcome=collaborated").content.decode()
        assert "beatriz@example.org" in page  # both said yes: the address is shared
        assert (
            Client().post(url, {"outcome": "collaborated", "note": "A joint protocol"}).status_code
            == 302
        )
        introduction.refresh_from_db()
        assert introduction.outcome == Introduction.Outcome.COLLABORATED
        assert Tie.objects.filter(kind=Tie.Kind.COLLABORATES, network=cast.network).count() == 1

    def test_answering_a_closed_introduction_says_why(self, cast, woven) -> None:
        introduction = introduction_propose(
            network=cast.network, proposed_by=cast.coordinator, person_a=cast.member, person_b=woven
        )
        introduction_answer(introduction=introduction, person=woven, accept=False)
        response = Client().post(
            reverse("introductions:respond", args=[introduction.a_token]), {"answer": "yes"}
        )
        assert response.status_code == 409
        assert "This introduction is closed" in response.content.decode()


class ReportPageTests:
    def test_the_report_counts_introductions_and_their_outcomes(self, cast, woven) -> None:
        introduction = introduction_propose(
            network=cast.network, proposed_by=cast.member, person_a=cast.member, person_b=woven
        )
        introduction_answer(introduction=introduction, person=woven, accept=True)
        response = client_for(cast, "coordinator").get(reverse("weaving:report", args=["cast"]))
        assert response.status_code == 200
        totals = response.context["report"]["totals"]
        assert (totals["proposed"], totals["accepted"], totals["outcome_unknown"]) == (1, 1, 1)
        assert "Members asking for themselves" in response.content.decode()

    def test_an_empty_report_says_what_to_do_next(self, cast) -> None:
        page = (
            client_for(cast, "coordinator")
            .get(reverse("weaving:report", args=["cast"]))
            .content.decode()
        )
        assert "Propose introductions from the weaving board" in page


class WeavingDueCommandTests:
    def test_the_daily_command_expires_what_is_overdue_and_says_so(self, cast, woven) -> None:
        from datetime import timedelta
        from io import StringIO

        from django.core.management import call_command
        from django.utils import timezone

        introduction_propose(
            network=cast.network,
            proposed_by=cast.coordinator,
            person_a=cast.member,
            person_b=woven,
            now=timezone.now() - timedelta(days=60),
        )
        out = StringIO()
        call_command("weaving_due", stdout=out)
        assert "1 introduction(s) expired, 0 follow-up(s) sent." in out.getvalue()
        assert Introduction.objects.get().status == Introduction.Status.EXPIRED


class OptingOutTests:
    def test_a_member_who_opts_out_on_the_profile_page_is_no_longer_suggested(
        self, cast, woven
    ) -> None:
        client = client_for(cast, "steward")
        assert Recommendation.objects.filter(suggested=woven).exists()
        beatriz = Client()
        beatriz.force_login(woven.user)
        response = beatriz.post(
            "/me/profile/", {"name": "Beatriz Okafor", "map_consent": "anonymous"}
        )  # the box "suggest me for introductions" left unticked
        assert response.status_code == 302, response.content.decode()[:1000]
        woven.refresh_from_db()
        assert woven.open_to_introductions is False
        recommendations_compute(network=cast.network)
        assert not Recommendation.objects.filter(suggested=woven, status="open").exists()
        assert client.get(reverse("weaving:meet", args=["cast"])).status_code == 200

    def test_the_api_reads_and_changes_the_choice(self, cast) -> None:
        client = client_for(cast, "member")
        assert client.get("/api/v1/me").json()["open_to_introductions"] is True
        response = client.patch(
            "/api/v1/me", {"open_to_introductions": False}, content_type="application/json"
        )
        assert response.status_code == 200, response.content
        assert response.json()["open_to_introductions"] is False
        cast.member.refresh_from_db()
        assert cast.member.open_to_introductions is False


class HomePageNoticeTests:
    def test_the_network_home_tells_a_member_an_introduction_awaits_their_answer(
        self, cast, woven
    ) -> None:
        introduction = introduction_propose(
            network=cast.network, proposed_by=cast.coordinator, person_a=cast.member, person_b=woven
        )
        home = reverse("networks:home", args=["cast"])
        page = client_for(cast, "member").get(home).content.decode()
        assert "1 introduction is waiting for your answer" in page
        assert reverse("weaving:introduction", args=["cast", introduction.pk]) in page
        assert "Would you like to meet Beatriz Okafor?" in page
        # Answered: the notice goes; others never see it.
        introduction_answer(introduction=introduction, person=cast.member, accept=True)
        assert (
            "waiting for your answer" not in client_for(cast, "member").get(home).content.decode()
        )
        assert (
            "waiting for your answer" not in client_for(cast, "steward").get(home).content.decode()
        )
        assert "waiting for your answer" not in Client().get(home).content.decode()
