"""The network map in Chromium: sigma.js draws the snapshot in WebGL, the legend lists the
colour groups, searching a named person opens their card, and the map exports as a PNG."""

from __future__ import annotations

import re
from datetime import date
from pathlib import Path

from playwright.sync_api import expect

from netweave.lib.required_parts import missing_part
from netweave.lib.testing import make_cast
from netweave.tests.browser.accessibility import assert_accessible
from netweave.tests.browser.screens import screenshot_path
from netweave.ties.tests.test_map_payload import KindedCast, MappedCast

VENDOR = Path(__file__).resolve().parents[2] / "static" / "vendor"
BUNDLES = [VENDOR / "netweave-map.js", VENDOR / "netweave-health.js"]


def require_the_map_bundle() -> None:
    missing = [str(bundle) for bundle in BUNDLES if not bundle.exists()]
    if missing:
        missing_part(f"the map is not built: {', '.join(missing)} missing (run `make frontend`)")


class NetworkMapTests:
    def test_a_member_loads_the_map_finds_a_named_person_and_exports_a_png(self, page, sign_in):
        require_the_map_bundle()
        cast = make_cast()
        mapped = MappedCast(cast)
        sign_in(page, cast.member.user)
        page.goto(f"/n/{cast.network.slug}/map/")

        canvas = page.locator("#map-canvas")
        expect(canvas).to_have_attribute("data-ready", "true")
        assert canvas.locator("canvas").count() >= 2, "sigma.js drew no canvas layers"
        assert page.evaluate("window.netweaveMap.graph.order") == len(mapped.people)
        legend = page.locator("#map-legend-list li")
        expect(legend.first).to_be_visible()
        assert legend.count() >= 1
        expect(page.locator("#map-status")).to_contain_text(f"{len(mapped.people)} members")
        assert_accessible(page)
        # A member sees only consenting names: Hidden Hana is not on the page, not even in the
        # names offered to the search box.
        assert "Hidden Hana" not in page.content()

        page.get_by_label("Find a person on the map").fill("Nadia")
        page.get_by_label("Find a person on the map").press("Enter")
        card = page.locator("#map-card")
        expect(card).to_be_visible()
        expect(card.get_by_role("heading", name="Nadia Named")).to_be_visible()
        expect(card.get_by_role("link", name="Open the profile")).to_have_attribute(
            "href", f"/n/{cast.network.slug}/people/{mapped.named.pk}/"
        )

        page.get_by_label("Only my connections").check()
        partners = {t for s, t in mapped.edges if s == cast.member.pk} | {
            s for s, t in mapped.edges if t == cast.member.pk
        }
        shown = page.evaluate(
            """() => { const map = window.netweaveMap;
                return map.graph.nodes().filter(
                    (key) => !map.renderer.getNodeDisplayData(key).hidden).length; }"""
        )
        assert shown == len(partners) + 1, "'my connections' shows the member and partners only"
        page.get_by_label("Only my connections").uncheck()

        page.get_by_label("Colour by").select_option("role")
        expect(page).to_have_url(re.compile(r"[?&]colour=role"))
        expect(legend.first).to_contain_text("(")

        with page.expect_download() as download_info:
            page.get_by_role("button", name="Export PNG").click()
        download = download_info.value
        saved = Path(download.path())
        assert download.suggested_filename.endswith(".png")
        assert saved.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
        assert saved.stat().st_size > 1000
        page.screenshot(path=screenshot_path("map"), full_page=True)

    def test_unticking_a_kind_or_narrowing_the_window_hides_ties_at_once(self, page, sign_in):
        require_the_map_bundle()
        cast = make_cast()
        kinded = KindedCast(cast)
        sign_in(page, cast.coordinator.user)
        page.goto(f"/n/{cast.network.slug}/map/?snapshot={kinded.snapshot.pk}")
        expect(page.locator("#map-canvas")).to_have_attribute("data-ready", "true")
        filters = page.locator("#map-filters")
        expect(filters).to_be_visible()
        status = page.locator("#map-status")
        total = len(kinded.edges)
        expect(status).to_contain_text(f"{total} ties")
        assert_accessible(page)

        def shown() -> int:
            # What sigma draws, not only what the filter wrote.
            return page.evaluate(
                """() => { const map = window.netweaveMap;
                    return map.graph.edges().filter(
                        (key) => !map.renderer.getEdgeDisplayData(key).hidden).length; }"""
            )

        def expected(unticked: set[str], start: date | None, end: date | None) -> int:
            count = 0
            for ties in kinded.TIES:
                kinds = {kind for kind, _day in ties}
                days = [day for _kind, day in ties]
                if not kinds - unticked:
                    continue
                if (start and max(days) < start) or (end and min(days) > end):
                    continue
                count += 1
            return count

        assert shown() == total
        knows = page.get_by_role("checkbox", name=re.compile(r"^Knows"))
        expect(knows).to_be_checked()
        knows.focus()
        page.keyboard.press("Space")  # keyboard access: a plain checkbox
        expect(knows).not_to_be_checked()
        after_kind = expected({"knows"}, None, None)
        assert after_kind < total
        expect(status).to_contain_text(f"{after_kind} of {total} ties")
        assert shown() == after_kind

        start, end = date(2025, 10, 1), date(2025, 12, 31)
        page.get_by_label("From", exact=True).fill(start.isoformat())
        page.get_by_label("Until", exact=True).fill(end.isoformat())
        in_window = expected({"knows"}, start, end)
        assert in_window < after_kind
        expect(status).to_contain_text(f"{in_window} of {total} ties")
        assert shown() == in_window
        page.screenshot(path=screenshot_path("map-filters"), full_page=True)

        page.get_by_role("button", name="Show every tie").click()
        expect(status).not_to_contain_text(" of ")
        assert shown() == total

    def test_the_health_page_draws_the_timeline_chart(self, page, sign_in):
        require_the_map_bundle()
        cast = make_cast()
        mapped = MappedCast(cast)
        from netweave.ties.tests.test_map_payload import take_snapshot

        take_snapshot(cast.network, mapped.people, mapped.edges[:3], label="Earlier", days_ago=90)
        sign_in(page, cast.coordinator.user)
        page.goto(f"/n/{cast.network.slug}/health/")
        expect(page.locator("#health-timeline")).to_have_attribute("data-ready", "true")
        expect(page.locator("#health-comparison")).to_contain_text("Earlier")
        assert_accessible(page)
        page.screenshot(path=screenshot_path("health"), full_page=True)
