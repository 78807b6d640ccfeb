"""What a newsletter email looks like when a real SMTP server receives it."""

from __future__ import annotations

import re
from typing import Any
from urllib.parse import urlsplit

import pytest
from django.core import mail as django_mail
from django.core import signing
from django.test import Client

from netweave.lib.testing import make_network
from netweave.outreach import delivery, mail
from netweave.outreach.models import Delivery, Newsletter, Subscription
from netweave.outreach.tests.delivery_fixtures import make_issue, subscribe

pytestmark = pytest.mark.django_db


def _path(url: str) -> str:
    parts = urlsplit(url)
    return parts.path + (f"?{parts.query}" if parts.query else "")


def _send(issue: Any) -> None:
    delivery.start_sending(issue.newsletter, enqueue=False)
    delivery.send_pending(issue.newsletter.pk)


class TestANewsletterReceivedOverSmtp:
    @pytest.fixture
    def issue(self, smtp_server: Any) -> Any:
        network = make_network(name="Field Network", slug="field")
        issue = make_issue(network, editions=("en", "fr"))
        subscribe(issue, "ada@example.org", name="Ada Lovelace")
        subscribe(issue, "bea@example.org", name="Béatrice", language="fr")
        subscribe(issue, "cy@example.org")
        _send(issue)
        return issue

    def test_each_recipient_gets_one_multipart_message_with_text_and_html(
        self, issue: Any, smtp_server: Any
    ) -> None:
        assert len(smtp_server.messages) == 3
        for received in smtp_server.messages:
            assert received.message.get_content_type() == "multipart/alternative"
            assert "What happened this month" in received.text
            assert "<h2" in received.html and "What happened this month" in received.html
            assert 'style="max-width:600px' in received.html
            assert "1 Network Street, 1000 Brussels" in received.text
            assert "1 Network Street, 1000 Brussels" in received.html
            assert received.message["From"] == "Field Network <news@field.example.org>"
            assert received.message["Precedence"] == "bulk"
            if received.rcpt_tos != ["bea@example.org"]:  # the French one is translated
                assert "You get this email because you subscribed to" in received.text
            assert "display:none!important" in received.html.split("Three new members")[0]

    def test_the_message_id_is_unique_and_the_deliverys_own(
        self, issue: Any, smtp_server: Any
    ) -> None:
        by_email = dict(
            Delivery.objects.filter(newsletter=issue.newsletter).values_list("email", "message_id")
        )
        seen = set()
        for received in smtp_server.messages:
            message_id = received.message["Message-ID"]
            assert message_id == by_email[received.rcpt_tos[0]]
            assert re.fullmatch(r"<[0-9a-f]{32}\.\d+@field\.example\.org>", message_id)
            seen.add(message_id)
        assert len(seen) == 3

    def test_list_headers_follow_rfc_2919_and_8058(self, issue: Any, smtp_server: Any) -> None:
        received = smtp_server.wait_for(to="ada@example.org")
        slug = issue.mailing_list.slug
        assert received.message["List-Id"] == (
            f'"Field Network {slug}" <{slug}.field.list-id.field.example.org>'
        )
        assert received.message["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
        assert re.fullmatch(r"<https?://[^>]+>", received.message["List-Unsubscribe"].strip())

    def test_the_greeting_and_edition_are_personal(self, issue: Any, smtp_server: Any) -> None:
        ada = smtp_server.wait_for(to="ada@example.org")
        bea = smtp_server.wait_for(to="bea@example.org")
        anonymous = smtp_server.wait_for(to="cy@example.org")
        assert "Hello Ada Lovelace," in ada.text and "Hello Ada Lovelace," in ada.html
        assert ada.subject == "Field news #1"
        assert bea.subject == "Nouvelles du terrain #1"
        assert "Béatrice" in bea.text
        assert "Hello," in anonymous.text
        ada_links = [link for link in ada.links() if "/o/" in link]
        assert ada_links and not set(ada_links) & set(bea.links())

    def test_no_open_pixel_or_click_redirect_when_tracking_is_off(
        self, issue: Any, smtp_server: Any
    ) -> None:
        received = smtp_server.wait_for(to="ada@example.org")
        assert "https://field.example.org/report?year=2026&amp;x=1" in received.html
        assert "open.gif" not in received.html and "/click/" not in received.html

    def test_the_personal_preference_link_opens_the_preference_center(
        self, issue: Any, smtp_server: Any
    ) -> None:
        received = smtp_server.wait_for(to="ada@example.org")
        subscriber = issue.network.subscribers.get(email="ada@example.org")
        links = [link for link in received.links() if subscriber.token in link]
        preference = next(link for link in links if "unsubscribe" not in link)
        response = Client().get(_path(preference))
        assert response.status_code == 200
        assert "ada@example.org" in response.content.decode()

    def test_posting_the_list_unsubscribe_url_one_click_unsubscribes(
        self, issue: Any, smtp_server: Any
    ) -> None:
        received = smtp_server.wait_for(to="ada@example.org")
        url = received.message["List-Unsubscribe"].strip().strip("<>")
        client = Client(enforce_csrf_checks=True)
        response = client.post(
            _path(url),
            data="List-Unsubscribe=One-Click",
            content_type="application/x-www-form-urlencoded",
        )
        assert response.status_code in (200, 202, 204, 302)
        subscription = Subscription.objects.get(
            subscriber__email="ada@example.org", mailing_list=issue.mailing_list
        )
        assert subscription.status == Subscription.Status.UNSUBSCRIBED


class TestTracking:
    @pytest.fixture
    def tracked(self, smtp_server: Any) -> Any:
        network = make_network(slug="tracked")
        issue = make_issue(network, track_opens=True, track_clicks=True)
        subscribe(issue, "ada@example.org", name="Ada")
        _send(issue)
        return issue, smtp_server.wait_for(to="ada@example.org")

    def test_an_open_is_counted_through_the_pixel(self, tracked: Any, client: Client) -> None:
        issue, received = tracked
        pixel = re.search(r'<img src="([^"]+open\.gif)"', received.html)
        assert pixel is not None
        response = client.get(_path(pixel.group(1)))
        assert response.status_code == 200 and response["Content-Type"] == "image/gif"
        row = Delivery.objects.get(newsletter=issue.newsletter)
        assert row.open_count == 1 and row.opened_at is not None
        assert delivery.counts(issue.newsletter)["opens"] == 1

    def test_a_click_is_counted_and_goes_to_the_signed_target(
        self, tracked: Any, client: Client
    ) -> None:
        issue, received = tracked
        link = next(link for link in received.links() if "/click/" in link)
        response = client.get(_path(link))
        assert response.status_code == 302
        assert response["Location"] == "https://field.example.org/report?year=2026&x=1"
        row = Delivery.objects.get(newsletter=issue.newsletter)
        assert row.click_count == 1 and row.clicks.get().url == response["Location"]

    def test_a_tampered_target_is_refused_not_redirected(
        self, tracked: Any, client: Client
    ) -> None:
        issue, received = tracked
        link = next(link for link in received.links() if "/click/" in link)
        head, _signed, _end = _path(link).rsplit("/", 2)
        for forged in (
            signing.dumps("https://evil.example.com/", salt="another.salt", compress=True),
            mail.sign_link("https://field.example.org/x")[:-3] + "abc",
            mail.sign_link("javascript:alert(1)"),
        ):
            response = client.get(f"{head}/{forged}/")
            assert response.status_code == 400
            assert "Location" not in response
            assert "This link does not work" in response.content.decode()
        assert Delivery.objects.get(newsletter=issue.newsletter).click_count == 0

    def test_a_forged_delivery_token_counts_nothing_but_still_answers_the_gif(
        self, tracked: Any, client: Client
    ) -> None:
        issue, _received = tracked
        row = Delivery.objects.get(newsletter=issue.newsletter)
        response = client.get(f"/o/t/{row.pk}:forged/open.gif")
        assert mail.delivery_id_from(f"{row.pk}:forged") is None
        assert response.status_code == 200
        row.refresh_from_db()
        assert row.open_count == 0

    def test_nothing_is_counted_once_the_network_stops_tracking(
        self, tracked: Any, client: Client
    ) -> None:
        issue, received = tracked
        issue.network.outreach_settings.track_opens = False
        issue.network.outreach_settings.save()
        pixel = re.search(r'<img src="([^"]+open\.gif)"', received.html)
        assert pixel is not None
        assert client.get(_path(pixel.group(1))).status_code == 200
        assert Delivery.objects.get(newsletter=issue.newsletter).open_count == 0


class TestPreviewAndTestSends:
    def test_the_generic_copy_has_no_personal_links_and_no_unsafe_html(self) -> None:
        issue = make_issue(make_network(), track_opens=True, track_clicks=True)
        edition = issue.newsletter.editions.get()
        edition.body = "Hi <script>alert(1)</script> [x](javascript:alert(1))"
        edition.save()
        html = mail.render_edition_html(edition)
        text = mail.render_edition_text(edition)
        assert "<script" not in html and "javascript:" not in html
        assert "Hello," in html and "Hello," in text
        assert "open.gif" not in html and "/click/" not in html
        assert "unsubscribe" not in text.lower()

    def test_a_test_send_says_so_and_makes_no_delivery(self) -> None:
        issue = make_issue(make_network())
        edition = issue.newsletter.editions.get()
        assert mail.send_test(edition, ["me@example.org", "you@example.org"]) == 2
        assert [m.subject for m in django_mail.outbox] == ["[Test] Field news #1"] * 2
        assert not Delivery.objects.exists()
        assert issue.newsletter.status == Newsletter.Status.DRAFT

    def test_build_newsletter_message_makes_the_same_message_as_the_sender(self) -> None:
        issue = make_issue(make_network())
        subscribe(issue, "ada@example.org", name="Ada")
        delivery.start_sending(issue.newsletter, enqueue=False)
        row = Delivery.objects.select_related("subscriber").get()
        message = mail.build_newsletter_message(row, issue.newsletter.editions.get())
        assert message.extra_headers["Message-ID"] == row.message_id
        assert message.to == ["ada@example.org"]
        assert "Hello Ada," in message.body
        html, kind = message.alternatives[0]
        assert kind == "text/html" and "Hello Ada," in str(html)
