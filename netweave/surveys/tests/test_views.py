"""The survey pages: the coordinators' waves page and each member's roster, with and without
htmx, and who may see them."""

from __future__ import annotations

import re

import pytest
from django.test import Client
from django.urls import reverse

from netweave.surveys.models import RelationshipSurvey, SurveyAnswer, SurveyResponse, SurveyWave
from netweave.surveys.services import answer_save, survey_create, wave_create, wave_open
from netweave.ties.models import Snapshot, Tie

pytestmark = pytest.mark.django_db

HTMX = {"HTTP_HX_REQUEST": "true"}


def client_for(cast, who: str) -> Client:  # type: ignore[no-untyped-def]
    client = Client()
    user = cast.user(who)
    if user is not None:
        client.force_login(user)
    return client


@pytest.fixture
def wave(cast):  # type: ignore[no-untyped-def]
    survey = survey_create(
        network=cast.network,
        title="Who works with whom",
        introduction="Only **coordinators** see the answers.",
        ask_trust=True,
        created_by=cast.coordinator,
    )
    return wave_open(wave=wave_create(survey=survey), actor=cast.coordinator)


def answer_url(cast, wave) -> str:  # type: ignore[no-untyped-def]
    return reverse("surveys:answer", args=[cast.network.slug, wave.pk])


def row_url(cast, wave, person) -> str:  # type: ignore[no-untyped-def]
    return reverse("surveys:answer_row", args=[cast.network.slug, wave.pk, person.pk])


class ManagePageTests:
    def test_a_coordinator_creates_a_survey_then_a_wave_then_opens_it(self, cast) -> None:
        client = client_for(cast, "coordinator")
        url = reverse("surveys:manage", args=["cast"])
        response = client.post(
            url, {"title": "Ties 2026", "items": ["knows", "collaborates"], "ask_value": "on"}
        )
        assert response.status_code == 302
        survey = RelationshipSurvey.objects.get(network=cast.network)
        assert (survey.items, survey.ask_trust, survey.ask_value) == (
            ["knows", "collaborates"],
            False,
            True,
        )
        response = client.post(
            reverse("surveys:wave_new", args=["cast", survey.pk]),
            {
                f"survey{survey.pk}-closes_at": "2026-12-01T17:00",
                f"survey{survey.pk}-reminder_days": "5",
            },
        )
        wave = SurveyWave.objects.get(survey=survey)
        assert (wave.number, wave.reminder_days, wave.closes_at.day) == (1, 5, 1)
        client.post(reverse("surveys:wave_open", args=["cast", wave.pk]))
        wave.refresh_from_db()
        assert wave.status == "open"
        page = client.get(url).content.decode()
        assert "<progress" in page and "0 of 3 members have answered" in page
        assert reverse("surveys:wave_rate", args=["cast", wave.pk]) in page
        assert 'hx-trigger="every 5s"' in page

    def test_a_survey_without_a_title_gets_the_form_again_with_the_error(self, cast) -> None:
        response = client_for(cast, "coordinator").post(
            reverse("surveys:manage", args=["cast"]), {"title": "", "items": ["knows"]}
        )
        assert response.status_code == 400
        assert "This field is required" in response.content.decode()
        assert not RelationshipSurvey.objects.exists()

    def test_opening_a_second_wave_says_which_wave_is_open(self, cast, wave) -> None:
        other = survey_create(network=cast.network, title="Another", created_by=None)
        second = wave_create(survey=other)
        client = client_for(cast, "coordinator")
        response = client.post(reverse("surveys:wave_open", args=["cast", second.pk]), follow=True)
        assert "is still open; close it before" in response.content.decode()
        second.refresh_from_db()
        assert second.status == "draft"

    def test_the_live_rate_follows_the_answers(self, cast, wave) -> None:
        client = client_for(cast, "coordinator")
        url = reverse("surveys:wave_rate", args=["cast", wave.pk])
        assert "0 of 3 members" in client.get(url, **HTMX).content.decode()
        answer_save(wave=wave, respondent=cast.member, target=cast.steward, knows=True)
        fragment = client.get(url, **HTMX).content.decode()
        assert "1 of 3 members" in fragment and 'value="1"' in fragment

    def test_closing_asks_for_confirmation_first(self, cast, wave) -> None:
        answer_save(wave=wave, respondent=cast.member, target=cast.steward, knows=True)
        client = client_for(cast, "coordinator")
        url = reverse("surveys:wave_close", args=["cast", wave.pk])
        page = client.get(url).content.decode()
        assert "Yes, close the wave" in page and "cannot be undone" in page
        wave.refresh_from_db()
        assert wave.status == "open" and not Tie.objects.exists()
        client.post(url)
        wave.refresh_from_db()
        assert wave.status == "closed"
        assert Tie.objects.filter(wave=wave).count() == 1
        assert Snapshot.objects.filter(wave=wave).exists()

    @pytest.mark.parametrize(
        ("who", "status"),
        [
            ("steward", 403),
            ("member", 403),
            ("observer", 403),
            ("other_member", 403),
            ("outsider", 403),
            ("anonymous", 302),
        ],
    )
    def test_only_coordinators_manage_waves(self, cast, wave, who, status) -> None:
        client = client_for(cast, who)
        for url in (
            reverse("surveys:manage", args=["cast"]),
            reverse("surveys:wave_rate", args=["cast", wave.pk]),
            reverse("surveys:wave_close", args=["cast", wave.pk]),
        ):
            assert client.get(url).status_code == status
        assert client.post(reverse("surveys:wave_close", args=["cast", wave.pk])).status_code == (
            status
        )
        wave.refresh_from_db()
        assert wave.status == "open"

    def test_a_wave_of_another_network_is_not_found(self, cast) -> None:
        survey = survey_create(network=cast.other_network, title="T", created_by=None)
        other_wave = wave_create(survey=survey)
        client = client_for(cast, "coordinator")
        assert (
            client.post(reverse("surveys:wave_open", args=["cast", other_wave.pk])).status_code
            == 404
        )
        other_wave.refresh_from_db()
        assert other_wave.status == "draft"


class RosterPageTests:
    def test_it_shows_every_other_member_with_a_checkbox_per_item_and_trust(
        self, cast, wave
    ) -> None:
        page = client_for(cast, "member").get(answer_url(cast, wave)).content.decode()
        assert "Cora Coordinator" in page and "Stella Steward" in page
        assert "Omar Observer" not in page and ">Mina Member<" not in page
        steward = cast.steward.pk
        for name in (
            f"knows-{steward}",
            f"shares_information-{steward}",
            f"collaborates-{steward}",
        ):
            assert f'type="checkbox" id="{name}" name="{name}"' in page
        assert f'<select id="trust-{steward}"' in page and f'id="value-{steward}"' not in page
        assert f'hx-post="{row_url(cast, wave, cast.steward)}"' in page
        assert 'aria-live="polite"' in page
        assert "<strong>coordinators</strong>" in page  # the introduction, as Markdown

    def test_a_row_is_saved_at_once_with_htmx_and_again_without_a_duplicate(
        self, cast, wave
    ) -> None:
        client = client_for(cast, "member")
        steward = cast.steward.pk
        data = {f"knows-{steward}": "on", f"trust-{steward}": "3"}
        for _ in range(2):
            response = client.post(row_url(cast, wave, cast.steward), data, **HTMX)
            assert response.status_code == 200
            assert "Saved" in response.content.decode()
        answer = SurveyAnswer.objects.get(wave=wave)
        assert (answer.knows, answer.collaborates, answer.trust) == (True, False, 3)
        # Unticking is a change too.
        client.post(row_url(cast, wave, cast.steward), {f"trust-{steward}": "3"}, **HTMX)
        answer.refresh_from_db()
        assert answer.knows is False and SurveyAnswer.objects.count() == 1

    def test_a_bad_row_says_what_is_wrong_and_saves_nothing(self, cast, wave) -> None:
        client = client_for(cast, "member")
        response = client.post(
            row_url(cast, wave, cast.steward), {f"trust-{cast.steward.pk}": "9"}, **HTMX
        )
        assert "Not saved" in response.content.decode()
        assert "from 1 to 4" in response.content.decode()
        response = client.post(row_url(cast, wave, cast.member), {}, **HTMX)
        assert "yourself" in response.content.decode()
        assert not SurveyAnswer.objects.exists()

    def test_without_javascript_one_post_saves_every_row_and_i_am_done_submits(
        self, cast, wave
    ) -> None:
        client = client_for(cast, "member")
        coordinator, steward = cast.coordinator.pk, cast.steward.pk
        response = client.post(
            answer_url(cast, wave),
            {
                "rows": [coordinator, steward],
                f"knows-{coordinator}": "on",
                f"collaborates-{coordinator}": "on",
                f"trust-{coordinator}": "4",
                f"shares_information-{steward}": "on",
                "done": "1",
            },
        )
        assert response.status_code == 302
        saved = sorted(
            SurveyAnswer.objects.values_list(
                "target__name", "knows", "shares_information", "collaborates", "trust"
            )
        )
        assert saved == [
            ("Cora Coordinator", True, False, True, 4),
            ("Stella Steward", False, True, False, None),
        ]
        assert SurveyResponse.objects.get(respondent=cast.member).submitted_at is not None
        page = client.get(answer_url(cast, wave)).content.decode()
        assert "You said you were done" in page
        assert re.search(rf'id="knows-{coordinator}" name="knows-{coordinator}" checked', page)

    def test_the_filter_box_narrows_the_roster_and_keeps_other_rows_untouched(
        self, cast, wave
    ) -> None:
        client = client_for(cast, "member")
        answer_save(wave=wave, respondent=cast.member, target=cast.coordinator, knows=True)
        page = client.get(answer_url(cast, wave), {"q": "stella"}).content.decode()
        assert "Stella Steward" in page and "Cora Coordinator" not in page
        # Saving the filtered page touches only the rows it showed.
        client.post(
            answer_url(cast, wave) + "?q=stella",
            {"rows": [cast.steward.pk], f"knows-{cast.steward.pk}": "on"},
        )
        assert SurveyAnswer.objects.get(target=cast.coordinator).knows is True
        assert SurveyAnswer.objects.get(target=cast.steward).knows is True
        fragment = client.get(answer_url(cast, wave), {"q": "nobody-like-this"}, **HTMX)
        assert "Nobody matches" in fragment.content.decode()

    def test_a_closed_wave_shows_answers_read_only(self, cast, wave) -> None:
        from netweave.surveys.services import wave_close

        answer_save(wave=wave, respondent=cast.member, target=cast.steward, knows=True)
        wave_close(wave=wave, actor=cast.coordinator)
        client = client_for(cast, "member")
        page = client.get(answer_url(cast, wave)).content.decode()
        assert "This wave is closed" in page and "hx-post" not in page and "disabled" in page
        response = client.post(row_url(cast, wave, cast.steward), {}, **HTMX)
        assert "closed" in response.content.decode()
        assert SurveyAnswer.objects.get().knows is True

    @pytest.mark.parametrize(
        ("who", "status"),
        [("observer", 403), ("other_member", 403), ("outsider", 403), ("anonymous", 302)],
    )
    def test_only_members_of_the_network_answer(self, cast, wave, who, status) -> None:
        client = client_for(cast, who)
        assert client.get(answer_url(cast, wave)).status_code == status
        response = client.post(row_url(cast, wave, cast.steward), {}, **HTMX)
        assert response.status_code == status
        assert not SurveyAnswer.objects.exists()

    def test_private_networks_are_not_found_for_outsiders(self, private_cast) -> None:
        survey = survey_create(network=private_cast.network, title="T", created_by=None)
        wave = wave_open(wave=wave_create(survey=survey), actor=None)
        client = client_for(private_cast, "outsider")
        assert client.get(answer_url(private_cast, wave)).status_code == 404
        assert client.get(reverse("surveys:manage", args=["cast"])).status_code == 404

    def test_members_answer_only_for_themselves(self, cast, wave) -> None:
        """Whatever the form says, the answers are the signed-in member's."""
        client = client_for(cast, "member")
        client.post(
            answer_url(cast, wave),
            {
                "rows": [cast.steward.pk],
                f"knows-{cast.steward.pk}": "on",
                "respondent": cast.coordinator.pk,
            },
        )
        assert list(SurveyResponse.objects.values_list("respondent__name", flat=True)) == [
            "Mina Member"
        ]

    def test_a_draft_wave_is_not_found(self, cast) -> None:
        survey = survey_create(network=cast.network, title="T", created_by=None)
        draft = wave_create(survey=survey)
        assert client_for(cast, "member").get(answer_url(cast, draft)).status_code == 404


class SurveyWaitingTests:
    """The snippet the network's home shows: `{% load surveys %}{% survey_waiting network access %}`."""

    @staticmethod
    def render(cast, who: str) -> str:  # type: ignore[no-untyped-def]
        from django.contrib.auth.models import AnonymousUser
        from django.template import Context, Template

        from netweave.networks.permissions import access_for

        user = cast.user(who) or AnonymousUser()
        access = access_for(user, cast.network)
        template = Template("{% load surveys %}{% survey_waiting network access %}")
        return template.render(Context({"network": cast.network, "access": access}))

    def test_it_invites_members_who_have_not_submitted(self, cast, wave) -> None:
        html = self.render(cast, "member")
        assert "A survey is waiting for you" in html and answer_url(cast, wave) in html

    def test_it_disappears_once_the_member_is_done(self, cast, wave) -> None:
        from netweave.surveys.services import response_submit

        response_submit(wave=wave, respondent=cast.member)
        assert "waiting" not in self.render(cast, "member")
        assert "waiting" in self.render(cast, "steward")

    @pytest.mark.parametrize("who", ["observer", "other_member", "outsider", "anonymous"])
    def test_it_shows_nothing_to_people_who_do_not_take_part(self, cast, wave, who) -> None:
        assert self.render(cast, who).strip() == ""

    def test_it_shows_nothing_when_no_wave_is_open(self, cast) -> None:
        assert self.render(cast, "member").strip() == ""


class WaveFormTests:
    def test_a_bad_reminder_interval_says_what_to_fix(self, cast) -> None:
        survey = survey_create(network=cast.network, title="T", created_by=None)
        response = client_for(cast, "coordinator").post(
            reverse("surveys:wave_new", args=["cast", survey.pk]),
            {f"survey{survey.pk}-reminder_days": "0"},
            follow=True,
        )
        assert "greater than or equal to 1" in response.content.decode()
        assert not SurveyWave.objects.exists()
