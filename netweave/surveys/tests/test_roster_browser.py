"""The roster in a real browser: each change is saved at once (htmx), and the page also works
with JavaScript turned off."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from netweave.lib.testing import make_cast
from netweave.surveys.models import SurveyAnswer, SurveyResponse
from netweave.surveys.services import survey_create, wave_create, wave_open
from netweave.tests.browser.accessibility import assert_accessible

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def open_wave(cast):  # type: ignore[no-untyped-def]
    survey = survey_create(
        network=cast.network, title="Who works with whom", ask_trust=True, created_by=None
    )
    return wave_open(wave=wave_create(survey=survey), actor=None)


class RosterInTheBrowserTests:
    def test_each_tick_is_saved_at_once_and_survives_a_closed_tab(self, new_page, sign_in):
        cast = make_cast()
        wave = open_wave(cast)
        url = f"/n/cast/surveys/{wave.pk}/answer/"
        page = new_page()
        sign_in(page, cast.member.user)
        page.goto(url)
        assert_accessible(page)
        steward = cast.steward.pk
        page.locator(f"#knows-{steward}").check()
        expect(page.locator(f"#status-{steward}")).to_contain_text("Saved")
        page.locator(f"#trust-{steward}").select_option("3")
        expect(page.locator(f"#status-{steward}")).to_contain_text("Saved")
        page.wait_for_function("() => !document.querySelector('.htmx-request')", timeout=5000)
        page.context.close()  # the tab is closed without pressing anything

        answer = SurveyAnswer.objects.get(target=cast.steward)
        assert (answer.knows, answer.trust) == (True, 3)

        again = new_page()
        sign_in(again, cast.member.user)
        again.goto(url)
        expect(again.locator(f"#knows-{steward}")).to_be_checked()
        expect(again.locator(f"#trust-{steward}")).to_have_value("3")
        # The filter box narrows a long roster as one types.
        again.get_by_label("Find a person by name or organization").fill("cora")
        expect(again.locator(f"#row-{steward}")).to_have_count(0)
        expect(again.locator(f"#row-{cast.coordinator.pk}")).to_be_visible()

    def test_without_javascript_the_form_saves_every_row_and_i_am_done_submits(
        self, new_page, sign_in
    ):
        cast = make_cast()
        wave = open_wave(cast)
        page = new_page(java_script_enabled=False)
        sign_in(page, cast.member.user)
        page.goto(f"/n/cast/surveys/{wave.pk}/answer/")
        page.locator(f"#collaborates-{cast.coordinator.pk}").check()
        page.locator(f"#knows-{cast.steward.pk}").check()
        page.get_by_role("button", name="I am done").click()
        expect(page.get_by_text("Thank you: your answers are in.")).to_be_visible()
        saved = sorted(SurveyAnswer.objects.values_list("target__name", "knows", "collaborates"))
        assert ("Cora Coordinator", False, True) in saved
        assert ("Stella Steward", True, False) in saved
        assert SurveyResponse.objects.get(respondent=cast.member).submitted_at is not None


class WavesPageInTheBrowserTests:
    def test_the_response_rate_updates_live_and_closing_asks_first(self, new_page, sign_in):
        from netweave.surveys.services import answer_save

        cast = make_cast()
        wave = open_wave(cast)
        survey_create(network=cast.network, title="A second survey", created_by=None)
        page = new_page()
        sign_in(page, cast.coordinator.user)
        page.goto("/n/cast/surveys/")
        assert_accessible(page)  # two surveys: their wave forms keep ids unique
        rate = page.locator(f"#rate-{wave.pk}")
        expect(rate).to_contain_text("0 of 3 members have answered")
        answer_save(wave=wave, respondent=cast.member, target=cast.steward, knows=True)
        expect(rate).to_contain_text("1 of 3 members have answered", timeout=8000)
        expect(rate.locator("progress")).to_have_attribute("value", "1")

        page.get_by_role("link", name="Close wave 1…").click()
        assert_accessible(page)
        expect(page.get_by_text("This cannot be undone", exact=False)).to_be_visible()
        page.get_by_role("button", name="Yes, close the wave").click()
        expect(page.get_by_text("is closed; its answers are now ties")).to_be_visible()
