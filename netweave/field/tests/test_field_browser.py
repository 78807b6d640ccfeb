"""The field trackers in a real browser: a coordinator records a stage change and the pipeline
board shows the product in its new column; the funding, gap and timeline pages draw their
charts without a console error; the board becomes a list by stage on a phone."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest
from playwright.sync_api import expect

from netweave.field import services
from netweave.field.tests.scenes import gap_field, stage
from netweave.lib.testing import make_cast
from netweave.tests.browser.accessibility import assert_accessible
from netweave.tests.browser.screens import screenshot_path

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PHONE = {"viewport": {"width": 390, "height": 844}, "is_mobile": True, "has_touch": True}


def console_errors(page: Any) -> list[str]:
    """Errors the page logs to the console (the browser's own request for /favicon.ico, which
    the site does not serve, is not the page's doing)."""
    errors: list[str] = []

    def on_console(message: Any) -> None:
        where = (message.location or {}).get("url", "")
        if message.type == "error" and not where.endswith("/favicon.ico"):
            errors.append(f"{message.text} ({where})")

    page.on("console", on_console)
    return errors


def column(page: Any, slug: str) -> Any:
    """The board's column of one stage (headings alone would not tell "Phase II" from "III")."""
    return page.locator(f'section.pipeline-column[data-stage="{slug}"]')


class FieldInTheBrowserTests:
    def test_a_coordinator_records_a_stage_change_and_the_board_moves_the_product(
        self, new_page, sign_in
    ) -> None:
        cast = make_cast()
        network = cast.network
        services.stages_ensure_default(network)
        services.product_create(
            network=network,
            name="Dapivirine ring",
            stage=stage(network, "phase-2"),
            stage_date=date(2021, 4, 1),
        )
        page = new_page()
        errors = console_errors(page)
        sign_in(page, cast.coordinator.user)
        page.goto("/n/cast/field/")
        assert_accessible(page)
        expect(column(page, "phase-2").get_by_role("heading", level=2)).to_contain_text("Phase II")
        expect(column(page, "phase-2").get_by_role("link", name="Dapivirine ring")).to_be_visible()
        page.get_by_role("link", name="Dapivirine ring").click()
        page.get_by_role("link", name="Record a stage change").first.click()
        expect(page.get_by_role("heading", name="Record a stage change", level=1)).to_be_visible()
        assert_accessible(page)
        page.get_by_label("New stage").select_option(label="Phase III")
        page.get_by_label("Date reached").fill("2024-02-03")
        page.get_by_label("Source").fill("https://trials.example.org/ring-3")
        page.get_by_role("button", name="Record the change").click()
        expect(page.get_by_role("status")).to_contain_text("Dapivirine ring reached “Phase III”")
        history = page.locator("#stage-history")
        expect(history).to_contain_text("2024-02-03")
        expect(history).to_contain_text("https://trials.example.org/ring-3")
        page.get_by_role("link", name="Product pipeline").first.click()
        expect(column(page, "phase-3").get_by_role("link", name="Dapivirine ring")).to_be_visible()
        expect(column(page, "phase-2").get_by_role("link", name="Dapivirine ring")).to_have_count(0)
        page.screenshot(path=screenshot_path("field-pipeline"), full_page=True)
        assert errors == []

    def test_the_funding_pages_draw_their_charts(self, new_page, sign_in) -> None:
        cast = make_cast()
        gap_field(cast.network)
        page = new_page()
        errors = console_errors(page)
        sign_in(page, cast.member.user)
        page.goto("/n/cast/field/funding/")
        expect(page.get_by_role("heading", name="Funding in the field", level=1)).to_be_visible()
        for chart in ("funding-by-year", "funding-by-topic", "funding-by-funder"):
            canvas = page.locator(f"canvas#{chart}")
            expect(canvas).to_have_attribute("data-ready", "true")
            box = canvas.bounding_box()
            assert box is not None and box["width"] > 100 and box["height"] > 100, chart
        assert page.evaluate("window.netweaveFieldCharts.length") == 3
        assert_accessible(page)
        page.screenshot(path=screenshot_path("field-funding"), full_page=True)

        page.get_by_role("link", name="Funding gaps").click()
        expect(page.locator("canvas#funding-gap")).to_have_attribute("data-ready", "true")
        first = page.locator("#funding-gap-table tbody tr").first
        expect(first).to_contain_text("Diagnostics")
        assert_accessible(page)
        page.screenshot(path=screenshot_path("field-gaps"), full_page=True)

        page.get_by_role("link", name="Timeline").click()
        expect(page.locator("canvas#stage-timeline")).to_have_attribute("data-ready", "true")
        assert_accessible(page)
        assert errors == []

    def test_the_board_is_a_list_by_stage_on_a_phone(self, new_page, sign_in) -> None:
        cast = make_cast()
        gap_field(cast.network)
        phone = new_page(**PHONE)
        sign_in(phone, cast.member.user)
        phone.goto("/n/cast/field/")
        first, second = (
            column(phone, "preclinical").bounding_box(),
            column(phone, "phase-1").bounding_box(),
        )
        assert first and second and second["y"] > first["y"] + first["height"] - 1
        overflow = phone.evaluate(
            "document.documentElement.scrollWidth - document.documentElement.clientWidth"
        )
        assert overflow <= 0
        phone.screenshot(path=screenshot_path("field-pipeline-phone"), full_page=True)
