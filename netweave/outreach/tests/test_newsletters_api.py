"""The newsletter API: drafting, editions, sending, cancelling, tests, stats and the archive."""

from __future__ import annotations

import json
from datetime import timedelta
from typing import Any

import pytest
from django.core import mail as django_mail
from django.test import Client
from django.utils import timezone

from netweave.lib.testing import Cast
from netweave.outreach.models import MailingList, Newsletter
from netweave.outreach.tests.newsletters_fixtures import make_issue, make_list, news_list_fixture  # noqa: F401

pytestmark = pytest.mark.django_db


def api(cast: Cast, method: str, path: str, body: Any = None, role: str = "coordinator") -> Any:
    client = Client()
    user = cast.user(role)
    if user is not None:  # anonymous: no session
        client.force_login(user)
    full = f"/api/v1/networks/{cast.network.slug}{path}"
    if method == "GET":
        return client.get(full)
    return client.generic(method, full, json.dumps(body or {}), content_type="application/json")


class TestNewslettersApi:
    def test_a_coordinator_drafts_edits_and_reads_an_issue(
        self, cast: Cast, news_list: MailingList
    ) -> None:
        created = api(cast, "POST", "/newsletters", {"mailing_list_id": news_list.pk})
        assert created.status_code == 201, created.content
        issue = created.json()
        assert (issue["number"], issue["status"], issue["languages"]) == (1, "draft", ["en"])
        path = f"/newsletters/{issue['id']}"
        put = api(cast, "PUT", f"{path}/editions/fr", {"subject": "Bonjour", "body": "Texte"})
        assert put.status_code == 200 and put.json()["subject"] == "Bonjour"
        editions = api(cast, "GET", f"{path}/editions").json()
        assert [e["language"] for e in editions] == ["en", "fr"]
        patched = api(cast, "PATCH", path, {"default_language": "fr", "in_archive": False})
        assert patched.status_code == 200
        assert (patched.json()["default_language"], patched.json()["in_archive"]) == ("fr", False)
        listed = api(cast, "GET", "/newsletters?status=draft").json()
        assert [item["id"] for item in listed["items"]] == [issue["id"]]

    def test_another_networks_list_is_a_400_that_names_the_field(
        self, cast: Cast, news_list: MailingList
    ) -> None:
        elsewhere = make_list(cast.other_network, "Elsewhere")
        response = api(cast, "POST", "/newsletters", {"mailing_list_id": elsewhere.pk})
        assert response.status_code == 400
        assert "mailing_list_id" in response.json()["error"]

    def test_editing_a_sent_issue_is_a_409(self, cast: Cast, news_list: MailingList) -> None:
        issue = make_issue(news_list, 1, status=Newsletter.Status.SENT)
        response = api(cast, "PUT", f"/newsletters/{issue.pk}/editions/en", {"subject": "Too late"})
        assert response.status_code == 409
        assert "cannot be changed" in response.json()["error"]
        archive_only = api(cast, "PATCH", f"/newsletters/{issue.pk}", {"in_archive": False})
        assert archive_only.status_code == 200

    def test_sending_schedules_then_a_second_send_is_a_409_and_cancel_undoes_it(
        self, cast: Cast, news_list: MailingList
    ) -> None:
        issue = make_issue(news_list, 1)
        at = (timezone.now() + timedelta(days=3)).replace(microsecond=0)
        sent = api(cast, "POST", f"/newsletters/{issue.pk}/send", {"scheduled_at": at.isoformat()})
        assert sent.status_code == 200, sent.content
        assert sent.json()["recipients"] == 2
        assert sent.json()["newsletter"]["status"] == "scheduled"
        again = api(cast, "POST", f"/newsletters/{issue.pk}/send", {})
        assert again.status_code == 409
        cancelled = api(cast, "POST", f"/newsletters/{issue.pk}/cancel")
        assert cancelled.status_code == 200 and cancelled.json()["status"] == "draft"

    def test_a_sent_issue_cannot_be_sent_again(self, cast: Cast, news_list: MailingList) -> None:
        issue = make_issue(news_list, 1, status=Newsletter.Status.SENT)
        response = api(cast, "POST", f"/newsletters/{issue.pk}/send", {})
        assert response.status_code == 409

    def test_a_time_without_a_zone_is_a_400(self, cast: Cast, news_list: MailingList) -> None:
        issue = make_issue(news_list, 1)
        response = api(
            cast, "POST", f"/newsletters/{issue.pk}/send", {"scheduled_at": "2099-01-01T09:00:00"}
        )
        assert response.status_code == 400
        assert "time zone" in json.dumps(response.json())

    def test_a_test_goes_to_the_given_addresses_marked_as_a_test(
        self, cast: Cast, news_list: MailingList
    ) -> None:
        issue = make_issue(news_list, 1, subject="Hello readers")
        response = api(cast, "POST", f"/newsletters/{issue.pk}/test", {"emails": ["a@example.org"]})
        assert response.status_code == 200 and response.json() == {"sent": 1}
        assert [m.subject for m in django_mail.outbox] == ["[Test] Hello readers"]
        bad = api(cast, "POST", f"/newsletters/{issue.pk}/test", {"emails": ["not-an-address"]})
        assert bad.status_code == 400 and "not-an-address" in bad.json()["error"]

    def test_stats_hide_opens_and_clicks_when_not_counted(
        self, cast: Cast, news_list: MailingList
    ) -> None:
        issue = make_issue(news_list, 1, status=Newsletter.Status.SENT)
        stats = api(cast, "GET", f"/newsletters/{issue.pk}/stats").json()
        assert stats["opens"] is None and stats["clicks"] is None
        assert stats["track_opens"] is False

    def test_members_and_stewards_are_refused(self, cast: Cast, news_list: MailingList) -> None:
        assert api(cast, "GET", "/newsletters", role="steward").status_code == 403
        assert api(cast, "GET", "/newsletters", role="anonymous").status_code == 401
        assert api(cast, "GET", "/newsletter-archive", role="anonymous").status_code == 200

    def test_another_networks_issue_is_not_found(self, cast: Cast) -> None:
        elsewhere = make_issue(make_list(cast.other_network), 1)
        assert api(cast, "GET", f"/newsletters/{elsewhere.pk}").status_code == 404
