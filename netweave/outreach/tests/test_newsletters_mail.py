"""What a coordinator's test send looks like, received by a real SMTP server; and starting an
issue from the page."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from netweave.lib.testing import Cast
from netweave.outreach.models import Delivery, MailingList, Newsletter
from netweave.outreach.tests.newsletters_fixtures import make_issue, news_list_fixture  # noqa: F401

pytestmark = pytest.mark.django_db


def coordinator(cast: Cast) -> Client:
    client = Client()
    user = cast.user("coordinator")
    assert user is not None
    client.force_login(user)
    return client


def test_a_test_send_reaches_the_coordinator_and_the_typed_addresses(
    cast: Cast, news_list: MailingList, smtp_server
) -> None:  # type: ignore[no-untyped-def]
    issue = make_issue(
        news_list,
        1,
        subject="Spring issue",
        body="## What grew\n\nA [report](https://example.org/r) and <script>alert(1)</script>",
    )
    response = coordinator(cast).post(
        reverse("outreach:newsletter_test", args=[cast.network.slug, issue.pk]),
        {"language": "en", "send_to_me": "on", "addresses": "ana@example.org, ben@example.org"},
    )
    assert response.status_code == 302
    for address in ("cora@example.org", "ana@example.org", "ben@example.org"):
        received = smtp_server.wait_for(to=address, subject_contains="[Test]")
        assert received.subject == "[Test] Spring issue"
        assert "What grew" in received.html and "<h2" in received.html
        assert "https://example.org/r" in received.links()
        assert "alert" not in received.html and "<script" not in received.html
        assert "## What grew" in received.text
    assert not Delivery.objects.exists()


def test_more_than_five_other_addresses_are_refused_before_anything_is_sent(
    cast: Cast, news_list: MailingList, smtp_server
) -> None:  # type: ignore[no-untyped-def]
    issue = make_issue(news_list, 1)
    addresses = "\n".join(f"p{n}@example.org" for n in range(6))
    response = coordinator(cast).post(
        reverse("outreach:newsletter_test", args=[cast.network.slug, issue.pk]),
        {"language": "en", "addresses": addresses},
    )
    assert response.status_code == 400
    assert b"At most 5 other addresses" in response.content
    assert smtp_server.messages == []


def test_starting_the_next_issue_drafts_it_and_opens_the_editor(
    cast: Cast, news_list: MailingList
) -> None:
    make_issue(news_list, 1, status=Newsletter.Status.SENT)
    response = coordinator(cast).post(
        reverse("outreach:newsletter_new", args=[cast.network.slug]),
        {"mailing_list": news_list.pk, "language": "en"},
    )
    issue = Newsletter.objects.get(number=2)
    assert response["Location"] == reverse(
        "outreach:newsletter_edit", args=[cast.network.slug, issue.pk, "en"]
    )
    editor = coordinator(cast).get(response["Location"])
    assert editor.status_code == 200
    preview = reverse("outreach:newsletter_preview", args=[cast.network.slug, issue.pk, "en"])
    assert f'hx-post="{preview}"'.encode() in editor.content
