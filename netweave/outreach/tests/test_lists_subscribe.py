"""Subscribing from the network's page: double opt-in through the real confirmation email, the
consent record, the same answer for known addresses, the resend limit and the honeypot."""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import timedelta
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from netweave.outreach import subscriptions
from netweave.outreach.models import Subscriber, Subscription
from netweave.outreach.tests.lists_fixtures import (  # noqa: F401 - fixtures
    Lists,
    lists_fixture,
    member_signal_fixture,
)


def subscribe_page(lists: Lists) -> str:
    return reverse("outreach:subscribe", args=[lists.network.slug])


@pytest.fixture
def post_form(django_capture_on_commit_callbacks: Any) -> Callable[..., Any]:
    """Posts the subscribe form; the confirmation email leaves once the transaction commits
    (and a test runs inside one), so the commit callbacks are run."""

    def post(client: Client, lists: Lists, email: str, *chosen: Any, **extra: Any) -> Any:
        with django_capture_on_commit_callbacks(execute=True):
            return _post_form(client, lists, email, *chosen, **extra)

    return post


def _post_form(client: Client, lists: Lists, email: str, *chosen: Any, **extra: Any) -> Any:
    data = {
        "email": email,
        "name": "Nia Newcomer",
        "language": "en",
        "lists": [m.pk for m in (chosen or [lists.public])],
        "website": "",
        **extra,
    }
    return client.post(subscribe_page(lists), data, REMOTE_ADDR="198.51.100.7")


def confirm_link(message: Any) -> str:
    links = [link for link in message.links() if "/o/confirm/" in link]
    assert links, f"no confirmation link in {message.text!r}"
    return links[0]


class TestDoubleOptIn:
    def test_the_confirmation_email_link_subscribes_with_the_consent_record(
        self, lists: Lists, smtp_server: Any, post_form: Any
    ) -> None:
        client = Client()
        response = post_form(client, lists, "Nia@Example.org")
        assert response.status_code == 200
        assert "Check your inbox" in response.content.decode()
        sub = Subscription.objects.get(subscriber__email="nia@example.org")
        assert sub.status == Subscription.Status.PENDING
        assert sub.consent_ip == "198.51.100.7"
        assert sub.consent_at is None

        message = smtp_server.wait_for(to="nia@example.org", subject_contains="confirm")
        assert message.message.get_content_type() == "multipart/alternative"
        link = confirm_link(message)
        assert link in message.text and link in message.html.replace("&amp;", "&")
        assert "Monthly news" in message.text and "Monthly news" in message.html
        path = re.sub(r"^https?://[^/]+", "", link)

        # Opening the link (a mail scanner does too) only shows the button.
        page = client.get(path)
        assert page.status_code == 200
        assert "Yes, subscribe me" in page.content.decode()
        sub.refresh_from_db()
        assert sub.status == Subscription.Status.PENDING

        done = client.post(path, REMOTE_ADDR="203.0.113.9")
        assert done.status_code == 200
        sub.refresh_from_db()
        assert sub.status == Subscription.Status.SUBSCRIBED
        assert sub.consent_method == Subscription.Method.FORM
        assert sub.consent_ip == "198.51.100.7"  # the request's address stays the record
        assert sub.consent_note == "confirmed from 203.0.113.9"
        assert sub.consent_at is not None and sub.confirmed_at is not None

    def test_the_email_is_in_the_chosen_language(
        self, lists: Lists, smtp_server: Any, post_form: Any
    ) -> None:
        post_form(Client(), lists, "fr@example.org", language="fr")
        message = smtp_server.wait_for(to="fr@example.org")
        assert message.message["Content-Language"] == "fr"
        assert 'lang="fr"' in message.html

    def test_a_tampered_or_expired_link_does_not_confirm(
        self, lists: Lists, monkeypatch: pytest.MonkeyPatch
    ) -> None:
        subscriber = subscriptions.subscribe(
            network=lists.network, email="o@example.org", lists=[lists.public], method="form"
        )
        token = subscriptions.confirmation_token(subscriber, [lists.public.pk])
        client = Client()
        bad = client.post(reverse("outreach_public:confirm", args=[token[:-2] + "xx"]))
        assert bad.status_code == 404
        assert "broken" in bad.content.decode()
        monkeypatch.setattr(subscriptions, "CONFIRMATION_MAX_AGE", timedelta(seconds=-1))
        old = client.post(reverse("outreach_public:confirm", args=[token]))
        assert old.status_code == 404
        assert "more than 7 days old" in old.content.decode()
        assert Subscription.objects.get(subscriber=subscriber).status == "pending"


class TestTheSameAnswerForEveryone:
    def test_a_subscribed_address_gets_the_same_page_and_no_email(
        self, lists: Lists, smtp_server: Any, post_form: Any
    ) -> None:
        subscriptions.subscribe(
            network=lists.network, email="pat@example.org", lists=[lists.public], method="import"
        )
        known = post_form(Client(), lists, "pat@example.org")
        unknown = post_form(Client(), lists, "quinn@example.org")
        strip = lambda r: r.content.decode().replace("pat@", "X@").replace("quinn@", "X@")  # noqa: E731
        assert known.status_code == unknown.status_code == 200
        assert strip(known).split("<main")[1] == strip(unknown).split("<main")[1]
        smtp_server.wait_for(to="quinn@example.org")
        assert smtp_server.messages_to("pat@example.org") == []
        sub = Subscription.objects.get(subscriber__email="pat@example.org")
        assert sub.status == Subscription.Status.SUBSCRIBED  # not set back to pending

    def test_no_second_email_within_ten_minutes(
        self, lists: Lists, smtp_server: Any, post_form: Any
    ) -> None:
        client = Client()
        post_form(client, lists, "ray@example.org")
        smtp_server.wait_for(to="ray@example.org")
        post_form(client, lists, "ray@example.org")
        assert len(smtp_server.messages_to("ray@example.org")) == 1

        Subscription.objects.filter(subscriber__email="ray@example.org").update(
            requested_at=timezone.now() - timedelta(minutes=11)
        )
        post_form(client, lists, "ray@example.org")
        smtp_server.wait_for(to="ray@example.org", after=1)

    def test_a_bot_that_fills_the_honeypot_is_thanked_and_forgotten(
        self, lists: Lists, smtp_server: Any, post_form: Any
    ) -> None:
        response = post_form(Client(), lists, "bot@example.org", website="http://spam.example")
        assert response.status_code == 200
        assert "Check your inbox" in response.content.decode()
        assert not Subscriber.objects.filter(email="bot@example.org").exists()


class TestTheForm:
    def test_only_public_lists_are_offered(self, lists: Lists, post_form: Any) -> None:
        page = Client().get(subscribe_page(lists)).content.decode()
        assert "Monthly news" in page
        assert "Funders" not in page and "Members&#x27; digest" not in page
        response = post_form(Client(), lists, "sam@example.org", lists.private)
        assert response.status_code == 400
        assert not Subscriber.objects.filter(email="sam@example.org").exists()

    def test_a_bad_address_says_what_to_fix(self, lists: Lists, post_form: Any) -> None:
        response = post_form(Client(), lists, "not-an-address")
        assert response.status_code == 400
        assert "Enter a valid email address" in response.content.decode()

    def test_a_network_without_public_lists_says_so(self, lists: Lists) -> None:
        lists.public.visibility = "private"
        lists.public.save()
        page = Client().get(subscribe_page(lists)).content.decode()
        assert "no public list to subscribe to yet" in page

    def test_a_private_network_has_no_subscribe_page_for_outsiders(self, private_cast: Any) -> None:
        url = reverse("outreach:subscribe", args=[private_cast.network.slug])
        assert Client().get(url).status_code == 404


def test_a_people_import_puts_the_new_members_on_the_member_list(db: Any) -> None:
    """The import writes memberships in bulk, past the signal; it syncs the member list itself."""
    from netweave.lib.testing import make_network
    from netweave.outreach.models import Subscription
    from netweave.people.importing import import_file

    network = make_network(slug="imported", name="Imported")
    content = b"name,email\nAda Lovelace,ada@example.org\nAlan Turing,alan@example.org\n"
    report = import_file(
        network=network, kind="people", filename="people.csv", content=content, dry_run=False
    )
    assert report.committed, report.errors
    on_list = Subscription.objects.filter(
        mailing_list__network=network,
        mailing_list__is_member_list=True,
        status=Subscription.Status.SUBSCRIBED,
    ).values_list("subscriber__email", flat=True)
    assert sorted(on_list) == ["ada@example.org", "alan@example.org"]
