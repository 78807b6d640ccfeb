"""A subscriber's own pages (the emailed token is the key): one-click unsubscribe (RFC 8058),
the preference center, downloading and erasing one's data; and the member list kept by the
membership signal."""

from __future__ import annotations

import json
from typing import Any

from django.test import Client
from django.urls import reverse

from netweave.lib.testing import make_member
from netweave.outreach import subscriptions
from netweave.outreach.models import (
    Bounce,
    Delivery,
    MailingList,
    Subscriber,
    Subscription,
    Suppression,
)
from netweave.outreach.tests.lists_fixtures import (  # noqa: F401 - fixtures
    Lists,
    delivery_to,
    lists_fixture,
    member_signal_fixture,
    subscribed,
)
from netweave.people.models import Membership
from netweave.people.services import membership_change_status


def status_of(subscriber: Subscriber, mailing_list: MailingList) -> str:
    return Subscription.objects.get(subscriber=subscriber, mailing_list=mailing_list).status


class TestOneClickUnsubscribe:
    def url(self, subscriber: Subscriber, mailing_list: MailingList) -> str:
        return reverse("outreach_public:unsubscribe", args=[subscriber.token, mailing_list.pk])

    def test_the_rfc_8058_post_unsubscribes_at_once_without_csrf_or_cookies(
        self, lists: Lists
    ) -> None:
        ana = subscribed(lists.network, "ana@example.org", lists.public, lists.private)
        client = Client(enforce_csrf_checks=True)
        response = client.post(
            self.url(ana, lists.public),
            "List-Unsubscribe=One-Click",
            content_type="application/x-www-form-urlencoded",
        )
        assert response.status_code == 200
        assert response["Content-Type"].startswith("text/plain")
        sub = Subscription.objects.get(subscriber=ana, mailing_list=lists.public)
        assert (sub.status, sub.unsubscribe_method) == ("unsubscribed", "one-click")
        assert sub.unsubscribed_at is not None
        assert status_of(ana, lists.private) == "subscribed"  # only the list of the link

    def test_a_get_shows_a_button_and_never_unsubscribes(self, lists: Lists) -> None:
        ana = subscribed(lists.network, "ana@example.org", lists.public)
        client = Client(enforce_csrf_checks=True)
        for _ in range(2):
            page = client.get(self.url(ana, lists.public))
            assert page.status_code == 200
            assert "<button" in page.content.decode()
        assert status_of(ana, lists.public) == "subscribed"
        done = client.post(self.url(ana, lists.public))  # the page's own button
        assert done.status_code == 200
        assert "You are unsubscribed" in done.content.decode()
        assert status_of(ana, lists.public) == "unsubscribed"

    def test_an_unknown_token_or_another_networks_list_is_not_found(
        self, lists: Lists, cast: Any
    ) -> None:
        ana = subscribed(lists.network, "ana@example.org", lists.public)
        elsewhere = subscriptions.mailing_list_create(
            network=cast.other_network, name="Other news", visibility="public"
        )
        client = Client()
        bad = reverse("outreach_public:unsubscribe", args=["nope", lists.public.pk])
        assert client.post(bad).status_code == 404
        assert client.post(self.url(ana, elsewhere)).status_code == 404
        assert status_of(ana, lists.public) == "subscribed"


class TestPreferenceCenter:
    def url(self, subscriber: Subscriber) -> str:
        return reverse("outreach_public:preferences", args=[subscriber.token])

    def test_it_saves_the_lists_the_language_and_the_frequency(self, lists: Lists) -> None:
        ana = subscribed(lists.network, "ana@example.org", lists.private)
        client = Client()
        page = client.get(self.url(ana)).content.decode()
        assert "Monthly news" in page and "Funders" in page
        assert "Members&#x27; digest" not in page  # not a member, not on it
        response = client.post(
            self.url(ana),
            {
                "action": "save",
                "lists": [lists.public.pk],
                "language": "fr",
                "frequency": "monthly",
            },
        )
        assert response.status_code == 302
        ana.refresh_from_db()
        assert (ana.language, ana.frequency) == ("fr", "monthly")
        assert status_of(ana, lists.public) == "subscribed"
        assert status_of(ana, lists.private) == "unsubscribed"
        added = Subscription.objects.get(subscriber=ana, mailing_list=lists.public)
        assert added.consent_method == "form" and added.confirmed_at is not None

    def test_unsubscribe_from_everything(self, lists: Lists) -> None:
        ana = subscribed(lists.network, "ana@example.org", lists.public, lists.private)
        Client().post(self.url(ana), {"action": "unsubscribe_all"})
        assert set(
            Subscription.objects.filter(subscriber=ana).values_list("status", flat=True)
        ) == {"unsubscribed"}

    def test_a_post_without_an_action_changes_nothing(self, lists: Lists) -> None:
        ana = subscribed(lists.network, "ana@example.org", lists.public)
        response = Client().post(self.url(ana), {})
        assert response.status_code == 400
        assert status_of(ana, lists.public) == "subscribed"

    def test_a_member_sees_the_member_list(self, lists: Lists) -> None:
        the_list = subscriptions.member_list(lists.network)
        mina = Subscriber.objects.get(network=lists.network, email="mina@example.org")
        page = Client().get(self.url(mina)).content.decode()
        assert the_list.name in page

    def test_an_unknown_token_is_not_found(self, lists: Lists) -> None:
        assert Client().get(reverse("outreach_public:preferences", args=["x"])).status_code == 404


class TestOwnData:
    def test_the_download_holds_the_consent_record_deliveries_bounces_and_registrations(
        self, lists: Lists
    ) -> None:
        ana = subscribed(lists.network, "ana@example.org", lists.public, ip="192.0.2.4")
        delivery_to(ana, lists.public)
        Bounce.objects.create(network=lists.network, email=ana.email, kind="soft", source="test")
        response = Client().get(reverse("outreach_public:data_download", args=[ana.token]))
        assert response.status_code == 200
        assert "attachment" in response["Content-Disposition"]
        data = json.loads(response.content)
        assert data["subscriber"]["email"] == "ana@example.org"
        [sub] = data["subscriptions"]
        assert sub["list"] == "Monthly news"
        assert sub["consent"]["method"] == "import" and sub["consent"]["ip"] == "192.0.2.4"
        assert [d["issue"] for d in data["deliveries"]] == [1]
        assert [b["kind"] for b in data["bounces"]] == ["soft"]
        assert data["registrations"] == []

    def test_erasure_asks_first_then_forgets_the_subscriber_but_keeps_counts(
        self, lists: Lists
    ) -> None:
        ana = subscribed(lists.network, "ana@example.org", lists.public)
        delivery = delivery_to(ana, lists.public)
        subscriptions.suppression_add(network=lists.network, email=ana.email)
        Bounce.objects.create(network=lists.network, email=ana.email, kind="hard", source="test")
        url = reverse("outreach_public:erase", args=[ana.token])
        client = Client()
        page = client.get(url).content.decode()
        assert "we forget you entirely" in page
        assert client.post(url, {}).status_code == 400
        assert Subscriber.objects.filter(pk=ana.pk).exists()

        done = client.post(url, {"confirm": "erase"})
        assert done.status_code == 200
        assert not Subscriber.objects.filter(pk=ana.pk).exists()
        assert not Subscription.objects.filter(subscriber_id=ana.pk).exists()
        assert not Suppression.objects.filter(email="ana@example.org").exists()
        assert not Bounce.objects.filter(email="ana@example.org").exists()
        delivery.refresh_from_db()
        assert "ana" not in delivery.email and delivery.email.startswith("erased-")
        assert Delivery.objects.filter(newsletter=delivery.newsletter).count() == 1
        assert client.get(url).status_code == 404


class TestMemberList:
    def test_an_active_member_is_subscribed_to_the_member_list_once(self, lists: Lists) -> None:
        the_list = subscriptions.member_list(lists.network)
        person = make_member(lists.network, name="Nell New", email="Nell@Example.org")
        subscriber = Subscriber.objects.get(network=lists.network, email="nell@example.org")
        assert subscriber.person_id == person.pk
        sub = Subscription.objects.get(subscriber=subscriber, mailing_list=the_list)
        assert (sub.status, sub.consent_method) == ("subscribed", "member")
        membership = Membership.objects.get(network=lists.network, person=person)
        membership.save()
        assert Subscription.objects.filter(subscriber=subscriber).count() == 1

    def test_members_who_joined_without_the_signal_are_put_on_the_list_when_it_is_made(
        self, db: Any
    ) -> None:
        from django.db.models.signals import post_save

        from netweave.lib.testing import make_network
        from netweave.outreach.signals import DISPATCH_UID, connect

        network = make_network()
        post_save.disconnect(sender=Membership, dispatch_uid=DISPATCH_UID)
        try:  # as an import that writes rows directly would
            early = make_member(network, email="early@example.org")
            make_member(network, email="gone@example.org")
            Membership.objects.filter(person__email="gone@example.org").update(status="left")
        finally:
            connect()
        assert not Subscriber.objects.filter(network=network).exists()
        the_list = subscriptions.member_list(network)
        on_list = Subscription.objects.filter(mailing_list=the_list, status="subscribed")
        assert [s.subscriber.email for s in on_list] == ["early@example.org"]
        assert on_list[0].subscriber.person_id == early.pk
        assert subscriptions.member_list_sync(network) == 0  # idempotent

    def test_leaving_the_network_takes_them_off_and_coming_back_puts_them_on(
        self, lists: Lists
    ) -> None:
        the_list = subscriptions.member_list(lists.network)
        person = make_member(lists.network, email="oz@example.org")
        subscriber = Subscriber.objects.get(network=lists.network, email="oz@example.org")
        membership = Membership.objects.get(network=lists.network, person=person)
        membership_change_status(membership=membership, status="lapsed", actor=None)
        sub = Subscription.objects.get(subscriber=subscriber, mailing_list=the_list)
        assert (sub.status, sub.unsubscribe_method) == ("unsubscribed", "membership ended")
        membership_change_status(membership=membership, status="active", actor=None)
        assert status_of(subscriber, the_list) == "subscribed"

    def test_a_member_who_erased_their_data_is_not_put_back_by_saving_the_membership(
        self, lists: Lists
    ) -> None:
        from netweave.people.services import membership_add

        the_list = subscriptions.member_list(lists.network)
        person = make_member(lists.network, email="eve@example.org")
        subscriber = Subscriber.objects.get(network=lists.network, email="eve@example.org")
        subscriptions.erase(subscriber=subscriber)
        membership = Membership.objects.get(network=lists.network, person=person)
        membership.save()
        membership_add(network=lists.network, person=person, role=membership.role)
        assert not Subscriber.objects.filter(network=lists.network, email="eve@example.org")
        assert not Subscription.objects.filter(mailing_list=the_list, subscriber__person=person)

    def test_a_member_who_left_the_list_is_not_put_back(self, lists: Lists) -> None:
        the_list = subscriptions.member_list(lists.network)
        person = make_member(lists.network, email="pia@example.org")
        subscriber = Subscriber.objects.get(network=lists.network, email="pia@example.org")
        subscriptions.unsubscribe(subscriber=subscriber, mailing_list=the_list, method="one-click")
        membership = Membership.objects.get(network=lists.network, person=person)
        membership.save()
        membership_change_status(membership=membership, status="left", actor=None)
        membership_change_status(membership=membership, status="active", actor=None)
        assert status_of(subscriber, the_list) == "unsubscribed"
