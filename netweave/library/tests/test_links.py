"""The link checker against a real HTTP server on loopback, its task and command, and the
"needs attention" queue of overdue and broken resources."""

from __future__ import annotations

from datetime import date, timedelta
from io import StringIO

import pytest
from django.core.management import call_command
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from netweave.lib.testing import Cast
from netweave.lib.tests.loopback_http import Reply, loopback_server
from netweave.library.models import Resource
from netweave.library.services import (
    default_review_by,
    resource_check_link,
    resources_due_for_link_check,
)
from netweave.library.tasks import check_due_links, check_link
from netweave.library.tests.test_resources_support import make_resource

pytestmark = pytest.mark.django_db


@pytest.fixture
def loopback(settings):  # type: ignore[no-untyped-def]
    settings.NETWEAVE_FEED_ALLOW_PRIVATE_ADDRESSES = True
    settings.NETWEAVE_FEED_TIMEOUT_SECONDS = 1
    with loopback_server() as server:
        yield server


def client_for(cast: Cast, role: str) -> Client:
    client = Client()
    user = cast.user(role)
    if user is not None:
        client.force_login(user)
    return client


class LinkCheckTests:
    def test_a_link_that_answers_200_works(self, cast: Cast, loopback) -> None:
        loopback.routes["/ok"] = Reply(200, b"fine")
        resource = make_resource(cast.network, cast.member, url=loopback.url("/ok"))
        checked = resource_check_link(resource_id=resource.pk)
        assert checked is not None
        assert (checked.link_status, checked.link_error) == ("ok", "")
        assert checked.link_checked_at is not None
        assert [seen.method for seen in loopback.requests] == ["HEAD"]

    def test_a_link_that_answers_404_is_broken_with_a_plain_message(
        self, cast: Cast, loopback
    ) -> None:
        resource = make_resource(cast.network, cast.member, url=loopback.url("/gone"))
        checked = resource_check_link(resource_id=resource.pk)
        assert checked is not None
        assert checked.link_status == "broken"
        assert checked.link_error == "The page was not found (404)."
        revision = checked.revisions.order_by("-number").first()
        assert revision is not None
        assert (revision.action, revision.changed) == ("link", ["link_status"])

    def test_a_server_error_is_broken(self, cast: Cast, loopback) -> None:
        loopback.routes["/error"] = Reply(503)
        resource = make_resource(cast.network, cast.member, url=loopback.url("/error"))
        checked = resource_check_link(resource_id=resource.pk)
        assert checked is not None
        assert (checked.link_status, checked.link_error) == (
            "broken",
            "The site had an error (503).",
        )

    def test_a_link_that_does_not_answer_in_time_is_broken(self, cast: Cast, loopback) -> None:
        loopback.routes["/slow"] = Reply(200, b"late", delay=3)
        resource = make_resource(cast.network, cast.member, url=loopback.url("/slow"))
        checked = resource_check_link(resource_id=resource.pk)
        assert checked is not None
        assert checked.link_status == "broken"
        assert checked.link_error.startswith("The link could not be reached:")

    def test_a_site_that_refuses_head_is_asked_with_get(self, cast: Cast, loopback) -> None:
        loopback.routes["/no-head"] = lambda seen: (
            Reply(405) if seen.method == "HEAD" else Reply(200, b"ok via GET")
        )
        resource = make_resource(cast.network, cast.member, url=loopback.url("/no-head"))
        checked = resource_check_link(resource_id=resource.pk)
        assert checked is not None
        assert checked.link_status == "ok"
        assert [seen.method for seen in loopback.requests] == ["HEAD", "GET"]

    def test_a_private_address_is_not_fetched_on_a_real_server(self, cast: Cast, settings) -> None:
        settings.NETWEAVE_FEED_ALLOW_PRIVATE_ADDRESSES = False
        resource = make_resource(cast.network, cast.member, url="http://127.0.0.1:9/admin")
        checked = resource_check_link(resource_id=resource.pk)
        assert checked is not None
        assert checked.link_status == "broken"
        assert checked.link_error.startswith("The link could not be reached:")

    def test_a_link_that_works_again_is_noted_once(self, cast: Cast, loopback) -> None:
        resource = make_resource(cast.network, cast.member, url=loopback.url("/flaky"))
        resource_check_link(resource_id=resource.pk)  # 404: broken
        loopback.routes["/flaky"] = Reply(200)
        resource_check_link(resource_id=resource.pk)
        resource_check_link(resource_id=resource.pk)  # still ok: no new revision
        actions = list(resource.revisions.order_by("number").values_list("action", flat=True))
        assert actions == ["published", "link", "link"]
        resource.refresh_from_db()
        assert resource.link_status == "ok"

    def test_the_history_shows_what_the_link_checker_found(self, cast: Cast, loopback) -> None:
        resource = make_resource(cast.network, cast.member, url=loopback.url("/flaky"))
        resource_check_link(resource_id=resource.pk)  # 404: broken
        loopback.routes["/flaky"] = Reply(200)
        resource_check_link(resource_id=resource.pk)
        newest = resource.revisions.order_by("-number").first()
        assert newest is not None and newest.data["link_status"] == "ok"
        html = (
            client_for(cast, "coordinator")
            .get(reverse("library:resource_history", args=["cast", resource.pk]))
            .content.decode()
        )
        assert "<del>Broken</del>" in html and "<ins>Working</ins>" in html

    def test_the_task_checks_one_link(self, cast: Cast, loopback) -> None:
        loopback.routes["/ok"] = Reply(200)
        resource = make_resource(cast.network, cast.member, url=loopback.url("/ok"))
        result = check_link.enqueue(resource.pk)
        assert result.return_value == "ok"


class DueLinkTests:
    def test_links_never_checked_or_checked_long_ago_are_due(self, cast: Cast, settings) -> None:
        settings.NETWEAVE_LINK_CHECK_DAYS = 30
        now = timezone.now()
        never = make_resource(cast.network, cast.member, title="never")
        old = make_resource(cast.network, cast.member, title="old")
        recent = make_resource(cast.network, cast.member, title="recent")
        no_link = make_resource(cast.network, cast.member, title="file only", url="")
        archived = make_resource(cast.network, cast.member, title="archived", status="archived")
        Resource.objects.filter(pk=old.pk).update(link_checked_at=now - timedelta(days=31))
        Resource.objects.filter(pk=recent.pk).update(link_checked_at=now - timedelta(days=2))
        due = resources_due_for_link_check(now=now)
        assert set(due) == {never.pk, old.pk}
        assert no_link.pk not in due and archived.pk not in due

    def test_the_daily_task_checks_every_due_link(self, cast: Cast, loopback) -> None:
        loopback.routes["/a"] = Reply(200)
        first = make_resource(cast.network, cast.member, url=loopback.url("/a"))
        second = make_resource(cast.network, cast.member, url=loopback.url("/b"))
        assert check_due_links.enqueue().return_value == 2
        first.refresh_from_db()
        second.refresh_from_db()
        assert (first.link_status, second.link_status) == ("ok", "broken")
        assert resources_due_for_link_check() == []

    def test_the_command_checks_and_reports(self, cast: Cast, loopback) -> None:
        loopback.routes["/a"] = Reply(200)
        make_resource(cast.network, cast.member, url=loopback.url("/a"))
        make_resource(cast.network, cast.member, url=loopback.url("/b"))
        out = StringIO()
        call_command("library_check_links", "--no-progress", stdout=out, stderr=StringIO())
        assert "2 link(s) checked: 1 working, 1 broken." in out.getvalue()
        out = StringIO()
        call_command("library_check_links", "--no-progress", stdout=out, stderr=StringIO())
        assert "0 link(s) checked" in out.getvalue()

    def test_the_command_names_an_unknown_network(self, db) -> None:
        from django.core.management import CommandError

        with pytest.raises(CommandError, match="no network 'nowhere'"):
            call_command("library_check_links", "--network", "nowhere")


class AttentionQueueTests:
    def test_overdue_and_broken_resources_need_attention(
        self, cast: Cast, django_assert_max_num_queries
    ) -> None:
        today = timezone.localdate()
        overdue = make_resource(
            cast.network, cast.member, title="Overdue guide", review_by=today - timedelta(days=1)
        )
        broken = make_resource(cast.network, cast.member, title="Broken link guide")
        Resource.objects.filter(pk=broken.pk).update(
            link_status="broken", link_error="The page was not found (404)."
        )
        make_resource(cast.network, cast.member, title="Fine guide")
        make_resource(
            cast.network,
            cast.member,
            title="Archived overdue",
            status="archived",
            review_by=today - timedelta(days=400),
        )
        steward = client_for(cast, "steward")
        url = reverse("library:attention", args=["cast"])
        steward.get(url)
        with django_assert_max_num_queries(14):
            response = steward.get(url)
        html = response.content.decode()
        assert "Overdue guide" in html and "Broken link guide" in html
        assert "The page was not found (404)." in html
        assert "Fine guide" not in html and "Archived overdue" not in html
        assert overdue.pk

    def test_marking_reviewed_sets_a_new_review_date(self, cast: Cast) -> None:
        overdue = make_resource(cast.network, cast.member, review_by=date(2020, 1, 1))
        steward = client_for(cast, "steward")
        response = steward.post(
            reverse("library:resource_reviewed", args=["cast", overdue.pk]), follow=True
        )
        overdue.refresh_from_db()
        assert overdue.review_by == default_review_by()
        assert "Nothing needs attention" in response.content.decode()
        revision = overdue.revisions.order_by("-number").first()
        assert revision is not None and revision.changed == ["review_by"]

    def test_a_review_date_in_the_past_is_refused(self, cast: Cast) -> None:
        overdue = make_resource(cast.network, cast.member, review_by=date(2020, 1, 1))
        response = client_for(cast, "steward").post(
            reverse("library:resource_reviewed", args=["cast", overdue.pk]),
            {"review_by": "2020-06-01"},
            follow=True,
        )
        assert "must be in the future" in response.content.decode()
        overdue.refresh_from_db()
        assert overdue.review_by == date(2020, 1, 1)

    def test_a_review_date_that_is_not_a_date_is_refused(self, cast: Cast) -> None:
        overdue = make_resource(cast.network, cast.member, review_by=date(2020, 1, 1))
        response = client_for(cast, "steward").post(
            reverse("library:resource_reviewed", args=["cast", overdue.pk]),
            {"review_by": "next spring"},
            follow=True,
        )
        assert "Enter a valid date." in response.content.decode()
        overdue.refresh_from_db()
        assert overdue.review_by == date(2020, 1, 1)

    def test_members_do_not_see_the_queue(self, cast: Cast) -> None:
        url = reverse("library:attention", args=["cast"])
        assert client_for(cast, "member").get(url).status_code == 403
