"""Survey rules: creating surveys and waves, one open wave per network, autosaved answers,
submitting, and closing a wave into ties and a snapshot."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from netweave.lib.testing import make_member
from netweave.people.models import Membership
from netweave.people.services import membership_change_status
from netweave.surveys import selectors
from netweave.surveys.models import SurveyAnswer, SurveyResponse, SurveyWave
from netweave.surveys.services import (
    SurveyError,
    answer_save,
    response_submit,
    survey_create,
    wave_close,
    wave_create,
    wave_open,
)
from netweave.ties.models import Snapshot, Tie

pytestmark = pytest.mark.django_db


def open_wave(cast, **survey_fields):  # type: ignore[no-untyped-def]
    survey = survey_create(
        network=cast.network, title="Who works with whom", created_by=cast.coordinator,
        **survey_fields,
    )  # fmt: skip
    wave = wave_create(survey=survey)
    return wave_open(wave=wave, actor=cast.coordinator)


class SurveyCreateTests:
    def test_it_keeps_the_questions_in_roster_order(self, cast) -> None:
        survey = survey_create(
            network=cast.network,
            title="Ties 2026",
            items=["collaborates", "knows"],
            created_by=cast.coordinator,
        )
        assert survey.items == ["knows", "collaborates"]

    def test_it_rejects_an_unknown_question(self, cast) -> None:
        with pytest.raises(SurveyError, match="Unknown questions: likes"):
            survey_create(
                network=cast.network, title="T", items=["likes"], created_by=cast.coordinator
            )

    def test_it_rejects_a_survey_without_questions_or_title(self, cast) -> None:
        with pytest.raises(SurveyError, match="at least one question"):
            survey_create(network=cast.network, title="T", items=[], created_by=None)
        with pytest.raises(SurveyError, match="title"):
            survey_create(network=cast.network, title="  ", created_by=None)


class WaveCreateAndOpenTests:
    def test_waves_are_numbered_one_after_the_other(self, cast) -> None:
        survey = survey_create(network=cast.network, title="T", created_by=None)
        assert [wave_create(survey=survey).number for _ in range(3)] == [1, 2, 3]

    def test_it_opens_only_one_wave_per_network(self, cast) -> None:
        first = open_wave(cast)
        other = survey_create(network=cast.network, title="Another", created_by=None)
        second = wave_create(survey=other)
        with pytest.raises(SurveyError, match="still open; close it before"):
            wave_open(wave=second, actor=cast.coordinator)
        second.refresh_from_db()
        assert second.status == SurveyWave.Status.DRAFT
        assert first.status == SurveyWave.Status.OPEN and first.opens_at is not None

    def test_a_wave_in_another_network_does_not_block_opening(self, cast) -> None:
        open_wave(cast)
        survey = survey_create(network=cast.other_network, title="T", created_by=None)
        wave = wave_open(wave=wave_create(survey=survey), actor=None)
        assert wave.status == SurveyWave.Status.OPEN

    def test_the_database_refuses_a_second_open_wave(self, cast) -> None:
        from django.db import IntegrityError, transaction

        open_wave(cast)
        survey = survey_create(network=cast.network, title="Another", created_by=None)
        wave = wave_create(survey=survey)
        with pytest.raises(IntegrityError), transaction.atomic():
            SurveyWave.objects.filter(pk=wave.pk).update(status="open")

    def test_a_closed_wave_cannot_be_opened_again(self, cast) -> None:
        wave = open_wave(cast)
        wave_close(wave=wave, actor=cast.coordinator)
        with pytest.raises(SurveyError, match="closed"):
            wave_open(wave=wave, actor=cast.coordinator)


class AnswerSaveTests:
    def test_it_saves_one_row_and_saving_it_again_changes_nothing(self, cast) -> None:
        wave = open_wave(cast, ask_trust=True)
        first = answer_save(
            wave=wave, respondent=cast.member, target=cast.steward, knows=True, trust=3
        )
        again = answer_save(
            wave=wave, respondent=cast.member, target=cast.steward, knows=True, trust=3
        )
        assert first.pk == again.pk
        assert SurveyAnswer.objects.filter(wave=wave).count() == 1
        assert SurveyResponse.objects.filter(wave=wave, respondent=cast.member).count() == 1
        again.refresh_from_db()
        assert (again.knows, again.shares_information, again.trust) == (True, False, 3)

    def test_it_changes_only_the_fields_given(self, cast) -> None:
        wave = open_wave(cast, ask_trust=True)
        answer_save(wave=wave, respondent=cast.member, target=cast.steward, knows=True, trust=2)
        answer = answer_save(
            wave=wave, respondent=cast.member, target=cast.steward, collaborates=True
        )
        answer.refresh_from_db()
        assert (answer.knows, answer.collaborates, answer.trust) == (True, True, 2)

    def test_it_refuses_an_answer_about_oneself(self, cast) -> None:
        wave = open_wave(cast)
        with pytest.raises(SurveyError, match="yourself"):
            answer_save(wave=wave, respondent=cast.member, target=cast.member, knows=True)

    @pytest.mark.parametrize("who", ["observer", "other_member", "outsider"])
    def test_it_refuses_a_respondent_who_is_not_an_active_member(self, cast, who) -> None:
        wave = open_wave(cast)
        with pytest.raises(SurveyError, match="Only active members"):
            answer_save(wave=wave, respondent=getattr(cast, who), target=cast.member, knows=True)

    @pytest.mark.parametrize("who", ["observer", "other_member", "outsider"])
    def test_it_refuses_a_target_who_is_not_an_active_member(self, cast, who) -> None:
        wave = open_wave(cast)
        with pytest.raises(SurveyError, match="not an active member"):
            answer_save(wave=wave, respondent=cast.member, target=getattr(cast, who), knows=True)

    def test_it_refuses_a_lapsed_member(self, cast) -> None:
        wave = open_wave(cast)
        membership = Membership.objects.get(network=cast.network, person=cast.steward)
        membership_change_status(membership=membership, status="lapsed", actor=cast.coordinator)
        with pytest.raises(SurveyError, match="not an active member"):
            answer_save(wave=wave, respondent=cast.member, target=cast.steward, knows=True)

    def test_it_refuses_answers_in_a_wave_that_is_not_open(self, cast) -> None:
        survey = survey_create(network=cast.network, title="T", created_by=None)
        draft = wave_create(survey=survey)
        with pytest.raises(SurveyError, match="not open yet"):
            answer_save(wave=draft, respondent=cast.member, target=cast.steward, knows=True)
        wave_open(wave=draft, actor=None)
        wave_close(wave=draft, actor=None)
        with pytest.raises(SurveyError, match="closed"):
            answer_save(wave=draft, respondent=cast.member, target=cast.steward, knows=True)

    @pytest.mark.parametrize("value", [0, 5, "high", 2.5])
    def test_it_refuses_a_trust_outside_one_to_four(self, cast, value) -> None:
        wave = open_wave(cast, ask_trust=True)
        with pytest.raises(SurveyError, match="from 1 to 4"):
            answer_save(wave=wave, respondent=cast.member, target=cast.steward, trust=value)
        assert not SurveyAnswer.objects.exists()

    def test_it_refuses_a_question_the_survey_does_not_ask(self, cast) -> None:
        wave = open_wave(cast, items=["knows"])
        with pytest.raises(SurveyError, match="does not ask: collaborates, trust"):
            answer_save(
                wave=wave, respondent=cast.member, target=cast.steward, collaborates=True, trust=2
            )

    def test_it_refuses_an_unknown_field(self, cast) -> None:
        wave = open_wave(cast)
        with pytest.raises(SurveyError, match="Unknown answer fields: likes"):
            answer_save(wave=wave, respondent=cast.member, target=cast.steward, likes=True)


class ResponseSubmitTests:
    def test_submitting_twice_keeps_the_first_time(self, cast) -> None:
        wave = open_wave(cast)
        first = response_submit(wave=wave, respondent=cast.member)
        second = response_submit(wave=wave, respondent=cast.member)
        assert first.pk == second.pk and first.submitted_at == second.submitted_at

    def test_the_response_rate_counts_started_submitted_and_eligible(self, cast) -> None:
        wave = open_wave(cast)
        answer_save(wave=wave, respondent=cast.member, target=cast.steward, knows=True)
        answer_save(wave=wave, respondent=cast.steward, target=cast.member, knows=True)
        response_submit(wave=wave, respondent=cast.steward)
        response_submit(wave=wave, respondent=cast.coordinator)  # done without answering
        rate = selectors.response_rate(wave=wave)
        # coordinator, steward and member take part; the observer does not.
        assert (rate.started, rate.submitted, rate.eligible) == (2, 2, 3)
        assert rate.percent == 67


class WaveCloseTests:
    def test_it_turns_each_answered_item_into_a_directed_survey_tie(
        self, cast, django_capture_on_commit_callbacks
    ) -> None:
        wave = open_wave(cast, ask_trust=True)
        answer_save(
            wave=wave, respondent=cast.member, target=cast.steward, knows=True,
            collaborates=True, trust=4,
        )  # fmt: skip
        answer_save(wave=wave, respondent=cast.steward, target=cast.coordinator, knows=True)
        answer_save(wave=wave, respondent=cast.coordinator, target=cast.member)  # nothing ticked
        with django_capture_on_commit_callbacks(execute=True):
            wave_close(wave=wave, actor=cast.coordinator)
        wave.refresh_from_db()
        ties = sorted(
            Tie.objects.filter(network=cast.network).values_list(
                "source__name", "target__name", "kind", "directed", "provenance", "wave_id"
            )
        )
        assert ties == [
            ("Mina Member", "Stella Steward", "collaborates", True, "survey", wave.pk),
            ("Mina Member", "Stella Steward", "knows", True, "survey", wave.pk),
            ("Stella Steward", "Cora Coordinator", "knows", True, "survey", wave.pk),
        ]
        assert set(Tie.objects.values_list("observed_at", flat=True)) == {wave.closed_at}
        snapshot = Snapshot.objects.get(wave=wave)
        assert snapshot.source == "wave"
        assert snapshot.label == "Who works with whom — wave 1"
        assert snapshot.taken_at == wave.closed_at
        # The snapshot was computed on commit (the test task backend runs tasks at once).
        assert snapshot.status == Snapshot.Status.DONE
        assert snapshot.edge_count == 2  # member–steward and steward–coordinator

    def test_closing_a_closed_wave_does_nothing(self, cast) -> None:
        wave = open_wave(cast)
        answer_save(wave=wave, respondent=cast.member, target=cast.steward, knows=True)
        closed = wave_close(wave=wave, actor=cast.coordinator)
        again = wave_close(wave=wave, actor=cast.coordinator)
        assert again.closed_at == closed.closed_at
        assert Tie.objects.count() == 1 and Snapshot.objects.count() == 1

    def test_a_draft_wave_cannot_be_closed(self, cast) -> None:
        survey = survey_create(network=cast.network, title="T", created_by=None)
        with pytest.raises(SurveyError, match="never opened"):
            wave_close(wave=wave_create(survey=survey), actor=None)

    def test_a_new_wave_ends_the_survey_ties_of_the_one_before(self, cast) -> None:
        wave = open_wave(cast)
        answer_save(wave=wave, respondent=cast.member, target=cast.steward, knows=True)
        wave_close(wave=wave, actor=None, closed_at=timezone.now() - timedelta(days=365))
        second = wave_open(wave=wave_create(survey=wave.survey), actor=None)
        answer_save(wave=second, respondent=cast.member, target=cast.coordinator, knows=True)
        wave_close(wave=second, actor=None)
        live = Tie.objects.filter(ended_at__isnull=True)
        assert list(live.values_list("target__name", "wave__number")) == [("Cora Coordinator", 2)]
        assert Tie.objects.filter(ended_at__isnull=False).count() == 1

    def test_nothing_is_written_when_the_snapshot_fails(self, cast, monkeypatch) -> None:
        import netweave.ties.services as ties_services

        def broken(**kwargs):  # type: ignore[no-untyped-def]
            raise RuntimeError("snapshot store is down")

        wave = open_wave(cast)
        answer_save(wave=wave, respondent=cast.member, target=cast.steward, knows=True)
        monkeypatch.setattr(ties_services, "snapshot_take", broken)
        with pytest.raises(RuntimeError):
            wave_close(wave=wave, actor=None)
        wave.refresh_from_db()
        assert wave.status == SurveyWave.Status.OPEN and not Tie.objects.exists()


class RosterTests:
    def test_it_lists_every_other_participant_by_name_with_saved_answers(
        self, cast, django_assert_max_num_queries
    ) -> None:
        wave = open_wave(cast)
        for n in range(5):
            make_member(cast.network, name=f"Zed {n}", organization=f"Org {n}")
        answer_save(wave=wave, respondent=cast.member, target=cast.steward, knows=True)
        with django_assert_max_num_queries(4):
            rows = selectors.roster(wave=wave, respondent=cast.member)
            names = [(row.person.name, row.organization, row.answered) for row in rows]
        assert names[:2] == [("Cora Coordinator", "", False), ("Stella Steward", "", True)]
        assert names[2:] == [(f"Zed {n}", f"Org {n}", False) for n in range(5)]

    def test_it_finds_people_by_name_or_organization(self, cast) -> None:
        wave = open_wave(cast)
        rows = selectors.roster(wave=wave, respondent=cast.coordinator, text="kenya medical")
        assert [row.person.name for row in rows] == ["Mina Member"]
        rows = selectors.roster(wave=wave, respondent=cast.coordinator, text="stel")
        assert [row.person.name for row in rows] == ["Stella Steward"]


class AnswersOfOthersTests:
    def test_only_coordinators_read_everyones_answers(self, cast) -> None:
        from django.core.exceptions import PermissionDenied
        from django.http import Http404

        from netweave.networks.permissions import access_for

        wave = open_wave(cast)
        answer_save(wave=wave, respondent=cast.member, target=cast.steward, knows=True)
        coordinator = access_for(cast.coordinator.user, cast.network)
        rows = selectors.answers_of_wave(access=coordinator, wave=wave)
        assert [(a.response.respondent.name, a.target.name) for a in rows] == [
            ("Mina Member", "Stella Steward")
        ]
        for who in ("steward", "member", "observer"):
            with pytest.raises(PermissionDenied):
                selectors.answers_of_wave(
                    access=access_for(cast.user(who), cast.network), wave=wave
                )
        # A coordinator of another network asking about this wave: it does not exist there.
        other = access_for(cast.other_member.user, cast.other_network)
        with pytest.raises(Http404):
            selectors.answers_of_wave(access=other, wave=wave)
