"""API v1 for surveys: waves, the caller's roster and answers, opening and closing waves."""

from __future__ import annotations

import json

import pytest
from django.test import Client

from netweave.surveys.models import SurveyAnswer, SurveyWave
from netweave.surveys.services import answer_save, survey_create, wave_create, wave_open
from netweave.ties.models import Snapshot, Tie

pytestmark = [pytest.mark.django_db]


@pytest.fixture
def base(cast) -> str:  # type: ignore[no-untyped-def]
    return "/api/v1"


def api(cast, who: str) -> Client:  # type: ignore[no-untyped-def]
    client = Client()
    if who != "anonymous":
        client.force_login(cast.user(who))
    return client


def put(client: Client, url: str, body: dict) -> object:  # type: ignore[type-arg]
    return client.put(url, json.dumps(body), content_type="application/json")


@pytest.fixture
def wave(cast):  # type: ignore[no-untyped-def]
    survey = survey_create(
        network=cast.network, title="Ties 2026", ask_trust=True, created_by=cast.coordinator
    )
    return wave_open(wave=wave_create(survey=survey), actor=cast.coordinator)


class SurveyApiTests:
    def test_members_list_waves_and_only_coordinators_see_the_response_rate(
        self, cast, wave, base
    ) -> None:
        survey = survey_create(network=cast.network, title="Draft one", created_by=None)
        wave_create(survey=survey)
        answer_save(wave=wave, respondent=cast.member, target=cast.steward, knows=True)
        url = f"{base}/networks/cast/survey-waves"
        member_view = api(cast, "member").get(url).json()["items"]
        assert [(w["survey"]["title"], w["status"]) for w in member_view] == [("Ties 2026", "open")]
        assert member_view[0]["response_rate"] is None
        coordinator_view = api(cast, "coordinator").get(url).json()["items"]
        assert sorted(w["status"] for w in coordinator_view) == ["draft", "open"]
        opened = next(w for w in coordinator_view if w["status"] == "open")
        assert opened["response_rate"] == {
            "started": 1,
            "submitted": 0,
            "eligible": 3,
            "percent": 33,
        }

    def test_a_member_reads_their_roster_saves_a_row_and_submits(self, cast, wave, base) -> None:
        client = api(cast, "member")
        url = f"{base}/networks/cast/survey-waves/{wave.pk}"
        for _ in range(2):  # idempotent
            response = put(client, f"{url}/answers/{cast.steward.pk}", {"knows": True, "trust": 2})
            assert response.status_code == 200, response.content
        assert response.json() == {
            "knows": True, "shares_information": False, "collaborates": False, "trust": 2,
            "value": None,
        }  # fmt: skip
        roster = client.get(f"{url}/roster").json()
        assert [row["name"] for row in roster["rows"]] == ["Cora Coordinator", "Stella Steward"]
        assert roster["rows"][1]["answer"]["trust"] == 2 and roster["rows"][0]["answer"] is None
        assert client.get(f"{url}/roster", {"q": "cora"}).json()["rows"][0]["name"] == (
            "Cora Coordinator"
        )
        submitted = client.post(f"{url}/submit")
        assert submitted.status_code == 200 and submitted.json()["submitted_at"]
        assert SurveyAnswer.objects.count() == 1

    def test_bad_answers_are_400_and_broken_rules_409(self, cast, wave, base) -> None:
        client = api(cast, "member")
        url = f"{base}/networks/cast/survey-waves/{wave.pk}/answers"
        response = put(client, f"{url}/{cast.steward.pk}", {"trust": 7})
        assert response.status_code == 400 and "trust" in response.json()["error"]
        response = put(client, f"{url}/{cast.steward.pk}", {"likes": True})
        assert response.status_code == 400
        response = put(client, f"{url}/{cast.member.pk}", {"knows": True})
        assert response.status_code == 409 and "yourself" in response.json()["error"]
        response = put(client, f"{url}/{cast.outsider.pk}", {"knows": True})
        assert response.status_code == 409 and "not an active member" in response.json()["error"]
        response = put(client, f"{url}/{cast.steward.pk}", {"value": 2})
        assert response.status_code == 409 and "does not ask: value" in response.json()["error"]
        assert not SurveyAnswer.objects.exists()

    def test_coordinators_open_and_close_waves(self, cast, wave, base) -> None:
        answer_save(wave=wave, respondent=cast.member, target=cast.steward, collaborates=True)
        client = api(cast, "coordinator")
        second = wave_create(survey=wave.survey)
        response = client.post(f"{base}/networks/cast/survey-waves/{second.pk}/open")
        assert response.status_code == 409 and "still open" in response.json()["error"]
        response = client.post(f"{base}/networks/cast/survey-waves/{wave.pk}/close")
        assert response.status_code == 200, response.content
        body = response.json()
        assert body["status"] == "closed"
        assert body["snapshot_id"] == Snapshot.objects.get(wave=wave).pk
        assert Tie.objects.get().kind == "collaborates"
        response = client.post(f"{base}/networks/cast/survey-waves/{second.pk}/open")
        assert response.status_code == 200 and response.json()["status"] == "open"

    @pytest.mark.parametrize(
        ("who", "status"),
        [("steward", 403), ("member", 403), ("observer", 403), ("outsider", 403),
         ("other_member", 403), ("anonymous", 401)],
    )  # fmt: skip
    def test_only_coordinators_open_and_close(self, cast, wave, base, who, status) -> None:
        client = api(cast, who)
        assert client.post(f"{base}/networks/cast/survey-waves/{wave.pk}/close").status_code == (
            status
        )
        assert SurveyWave.objects.get(pk=wave.pk).status == "open"

    @pytest.mark.parametrize(
        ("who", "status"),
        [("observer", 403), ("outsider", 403), ("other_member", 403), ("anonymous", 401)],
    )
    def test_only_members_answer(self, cast, wave, base, who, status) -> None:
        client = api(cast, who)
        url = f"{base}/networks/cast/survey-waves/{wave.pk}"
        assert client.get(f"{url}/roster").status_code == status
        assert put(client, f"{url}/answers/{cast.steward.pk}", {"knows": True}).status_code == (
            status
        )
        assert not SurveyAnswer.objects.exists()

    def test_a_member_cannot_see_a_draft_wave_or_another_networks_wave(
        self, cast, wave, base
    ) -> None:
        draft = wave_create(survey=wave.survey)
        other = wave_create(
            survey=survey_create(network=cast.other_network, title="T", created_by=None)
        )
        client = api(cast, "member")
        assert client.get(f"{base}/networks/cast/survey-waves/{draft.pk}").status_code == 404
        assert client.get(f"{base}/networks/cast/survey-waves/{other.pk}").status_code == 404
