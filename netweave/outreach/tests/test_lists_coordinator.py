"""The coordinator's pages and API: lists (create, edit, delete only when empty), subscribers
(search, filters, counts without N+1, the consent record, adding by hand), suppressions; and the
public subscribe operation."""

from __future__ import annotations

import json
from typing import Any

from django.test import Client
from django.urls import reverse

from netweave.outreach.models import MailingList, Subscriber, Subscription, Suppression
from netweave.outreach.subscriptions import subscribers_filtered
from netweave.outreach.tests.lists_fixtures import (  # noqa: F401 - fixtures
    Lists,
    lists_fixture,
    member_signal_fixture,
    signed_in,
    subscribed,
)


def coordinator(lists: Lists) -> Client:
    return signed_in(lists.cast.coordinator.user)


def page(lists: Lists, name: str, *args: Any) -> str:
    return reverse(f"outreach:{name}", args=[lists.network.slug, *args])


class TestListPages:
    def test_create_edit_and_delete_an_empty_list(self, lists: Lists) -> None:
        client = coordinator(lists)
        response = client.post(
            page(lists, "list_new"), {"name": "Webinars", "slug": "", "visibility": "public"}
        )
        assert response.status_code == 302
        made = MailingList.objects.get(network=lists.network, name="Webinars")
        assert made.slug == "webinars"
        client.post(
            page(lists, "list_edit", made.pk),
            {
                "name": "Webinar news",
                "slug": "webinars",
                "visibility": "members",
                "description": "",
            },
        )
        made.refresh_from_db()
        assert (made.name, made.visibility) == ("Webinar news", "members")
        html = client.get(page(lists, "lists")).content.decode()
        assert "Webinar news" in html
        client.post(page(lists, "list_delete", made.pk))
        assert not MailingList.objects.filter(pk=made.pk).exists()

    def test_a_taken_short_name_is_refused_on_the_form(self, lists: Lists) -> None:
        response = coordinator(lists).post(
            page(lists, "list_new"),
            {"name": "Again", "slug": "monthly-news", "visibility": "public"},
        )
        assert response.status_code == 200
        assert "Another list of this network has this short name" in response.content.decode()

    def test_a_list_with_subscribers_is_not_deleted(self, lists: Lists) -> None:
        subscribed(lists.network, "ana@example.org", lists.public)
        response = coordinator(lists).post(page(lists, "list_delete", lists.public.pk), follow=True)
        assert "cannot be deleted" in response.content.decode()
        assert MailingList.objects.filter(pk=lists.public.pk).exists()


class TestSubscriberPages:
    def test_search_filter_and_count_without_n_plus_1(
        self, lists: Lists, django_assert_max_num_queries: Any
    ) -> None:
        for n in range(30):
            subscribed(lists.network, f"reader{n}@example.org", lists.public, lists.private)
        subscribed(lists.network, "zed@example.org", lists.private)
        Suppression.objects.create(
            network=lists.network, email="reader1@example.org", reason="manual"
        )
        client = coordinator(lists)
        with django_assert_max_num_queries(16):
            html = client.get(page(lists, "subscribers")).content.decode()
        assert "reader29@example.org" in html and "suppressed" in html
        html = client.get(page(lists, "subscribers") + "?q=zed").content.decode()
        assert "zed@example.org" in html and "reader2@" not in html
        html = client.get(page(lists, "subscribers") + f"?list={lists.public.pk}").content.decode()
        assert "zed@example.org" not in html
        html = client.get(page(lists, "subscribers") + "?status=suppressed").content.decode()
        assert "reader1@example.org" in html and "reader2@example.org" not in html

    def test_the_selector_prefetches_every_subscription(
        self, lists: Lists, django_assert_num_queries: Any
    ) -> None:
        for n in range(10):
            subscribed(lists.network, f"r{n}@example.org", lists.public, lists.private)
        with django_assert_num_queries(2):
            rows = list(subscribers_filtered(network=lists.network))
            names = [s.mailing_list.name for row in rows for s in row.subscriptions.all()]
        assert names.count("Funders") == 10

    def test_the_subscriber_page_shows_the_consent_record_and_bounces(self, lists: Lists) -> None:
        from netweave.outreach.bounces import record_bounce

        ana = subscribed(lists.network, "ana@example.org", lists.public, ip="192.0.2.9")
        record_bounce(
            network=lists.network,
            email=ana.email,
            kind="soft",
            source="webhook",
            status_code="4.2.2",
        )
        html = coordinator(lists).get(page(lists, "subscriber", ana.pk)).content.decode()
        assert "192.0.2.9" in html and "Imported with consent" in html and "4.2.2" in html

    def test_adding_by_hand_keeps_the_note_and_who_added(self, lists: Lists) -> None:
        client = coordinator(lists)
        response = client.post(
            page(lists, "subscriber_new"),
            {"email": "Hand@Example.org", "name": "Hand", "language": "", "lists": [lists.public.pk],
             "consent_note": "asked at the March workshop"},
        )  # fmt: skip
        assert response.status_code == 302
        sub = Subscription.objects.get(subscriber__email="hand@example.org")
        assert (sub.status, sub.consent_method) == ("subscribed", "coordinator")
        assert sub.consent_note == "asked at the March workshop"

    def test_unsubscribing_by_hand(self, lists: Lists) -> None:
        ana = subscribed(lists.network, "ana@example.org", lists.public, lists.private)
        client = coordinator(lists)
        client.post(page(lists, "subscriber_unsubscribe", ana.pk), {"list": lists.public.pk})
        assert (
            Subscription.objects.get(subscriber=ana, mailing_list=lists.public).status
            == "unsubscribed"
        )
        client.post(page(lists, "subscriber_unsubscribe", ana.pk), {"list": "all"})
        assert (
            Subscription.objects.get(subscriber=ana, mailing_list=lists.private).status
            == "unsubscribed"
        )

    def test_suppress_and_lift_by_hand(self, lists: Lists) -> None:
        client = coordinator(lists)
        client.post(
            page(lists, "suppressions"), {"email": "Stop@Example.org", "detail": "asked by phone"}
        )
        found = Suppression.objects.get(network=lists.network, email="stop@example.org")
        assert found.reason == "manual"
        client.post(page(lists, "suppression_delete", found.pk))
        assert not Suppression.objects.filter(pk=found.pk).exists()

    def test_empty_pages_say_what_to_do_next(self, cast: Any) -> None:
        # (the member list, made as the cast joined, is gone too)
        MailingList.objects.filter(network=cast.network).delete()
        Subscriber.objects.filter(network=cast.network).delete()
        client = signed_in(cast.coordinator.user)
        html = client.get(
            reverse("outreach:subscribers", args=[cast.network.slug])
        ).content.decode()
        assert "Create a list" in html
        html = client.get(
            reverse("outreach:suppressions", args=[cast.network.slug])
        ).content.decode()
        assert "No address is suppressed" in html


class TestApi:
    def api(self, lists: Lists, path: str) -> str:
        return f"/api/v1/networks/{lists.network.slug}/outreach/{path}"

    def test_lists_crud(self, lists: Lists) -> None:
        client = coordinator(lists)
        made = client.post(
            self.api(lists, "lists"),
            json.dumps({"name": "API list"}),
            content_type="application/json",
        )
        assert made.status_code == 201
        list_id = made.json()["id"]
        assert made.json()["slug"] == "api-list"
        changed = client.patch(
            self.api(lists, f"lists/{list_id}"),
            json.dumps({"visibility": "private"}),
            content_type="application/json",
        )
        assert changed.json()["visibility"] == "private"
        taken = client.patch(
            self.api(lists, f"lists/{list_id}"),
            json.dumps({"slug": "monthly-news"}),
            content_type="application/json",
        )
        assert taken.status_code == 409 and "short name" in taken.json()["error"]
        names = [row["name"] for row in client.get(self.api(lists, "lists")).json()]
        assert "API list" in names
        assert client.delete(self.api(lists, f"lists/{list_id}")).status_code == 204
        subscribed(lists.network, "x@example.org", lists.public)
        busy = client.delete(self.api(lists, f"lists/{lists.public.pk}"))
        assert busy.status_code == 409

    def test_subscribers_create_read_list_and_unsubscribe(self, lists: Lists) -> None:
        client = coordinator(lists)
        body = {
            "email": "Api@Example.org",
            "list_ids": [lists.public.pk],
            "consent_note": "form on our old site",
            "consent_date": "2023-05-01",
            "consent_ip": "192.0.2.1",
        }
        made = client.post(
            self.api(lists, "subscribers"), json.dumps(body), content_type="application/json"
        )
        assert made.status_code == 201, made.content
        data = made.json()
        [sub] = data["subscriptions"]
        assert (sub["status"], sub["consent_method"], sub["consent_ip"]) == (
            "subscribed",
            "api",
            "192.0.2.1",
        )
        assert sub["consent_at"].startswith("2023-05-01")
        read = client.get(self.api(lists, f"subscribers/{data['id']}")).json()
        assert read["email"] == "api@example.org"
        found = client.get(
            self.api(lists, "subscribers"), {"q": "api@", "status": "subscribed"}
        ).json()
        assert [row["email"] for row in found["items"]] == ["api@example.org"]
        gone = client.post(
            self.api(lists, f"subscribers/{data['id']}/unsubscribe"),
            json.dumps({}),
            content_type="application/json",
        )
        assert gone.json()["unsubscribed"] == 1

    def test_consent_is_required_for_a_public_list(self, lists: Lists) -> None:
        body = {"email": "n@example.org", "list_ids": [lists.public.pk]}
        response = coordinator(lists).post(
            self.api(lists, "subscribers"), json.dumps(body), content_type="application/json"
        )
        assert response.status_code == 400
        assert response.json()["error"].startswith("consent_note:")

    def test_suppressions(self, lists: Lists) -> None:
        client = coordinator(lists)
        made = client.post(
            self.api(lists, "suppressions"),
            json.dumps({"email": "S@example.org", "detail": "x"}),
            content_type="application/json",
        )
        assert made.status_code == 201 and made.json()["email"] == "s@example.org"
        assert client.get(self.api(lists, "suppressions")).json()["count"] == 1
        # A NUL in the search (PostgreSQL refuses it in a query) is dropped, not a 500.
        for params in ({"q": "s@\x00example"}, {"q": "\x00s@"}):
            assert client.get(self.api(lists, "suppressions"), params).json()["count"] == 1
            assert client.get(self.api(lists, "subscribers"), params).status_code == 200
            html = client.get(page(lists, "suppressions"), params).content.decode()
            assert "s@example.org" in html
        assert (
            client.delete(self.api(lists, f"suppressions/{made.json()['id']}")).status_code == 204
        )

    def test_anyone_subscribes_to_public_lists_only_with_double_opt_in(
        self, lists: Lists, django_capture_on_commit_callbacks: Any, mailoutbox: Any
    ) -> None:
        client = Client()
        with django_capture_on_commit_callbacks(execute=True):
            ok = client.post(
                self.api(lists, "subscribe"),
                json.dumps({"email": "anon@example.org", "list_ids": [lists.public.pk]}),
                content_type="application/json",
            )
        assert ok.status_code == 202
        assert Subscription.objects.get(subscriber__email="anon@example.org").status == "pending"
        assert [m.to for m in mailoutbox] == [["anon@example.org"]]
        private = client.post(
            self.api(lists, "subscribe"),
            json.dumps({"email": "anon@example.org", "list_ids": [lists.private.pk]}),
            content_type="application/json",
        )
        assert private.status_code == 400
        assert not Subscriber.objects.filter(email="bad").exists()
