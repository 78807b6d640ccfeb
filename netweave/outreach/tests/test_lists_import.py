"""CSV import of subscribers with their consent status (every bad row reported by line and
column, a dry run first, then all or nothing) and the CSV export (consent per list, formulas
neutralized), through the coordinator's pages."""

from __future__ import annotations

import csv
import io
import re

from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from netweave.lib.csvimport import import_rows
from netweave.outreach.lists_importing import SUBSCRIBERS
from netweave.outreach.models import Subscriber, Subscription
from netweave.outreach.subscriptions import unsubscribe
from netweave.outreach.tests.lists_fixtures import (  # noqa: F401 - fixtures
    Lists,
    lists_fixture,
    member_signal_fixture,
    signed_in,
    subscribed,
)

HEADER = "email,name,language,lists,consent,consent_date,consent_note\n"


def run(lists: Lists, text: str, *, dry_run: bool = True):  # type: ignore[no-untyped-def]
    return import_rows(
        kind=SUBSCRIBERS,
        network=lists.network,
        filename="subscribers.csv",
        content=text.encode(),
        dry_run=dry_run,
    )


def coordinator(lists: Lists) -> Client:
    return signed_in(lists.cast.coordinator.user)


class TestImportRules:
    def test_every_bad_row_is_reported_by_line_and_column_and_nothing_is_written(
        self, lists: Lists
    ) -> None:
        text = HEADER + (
            "ok@example.org,Ok,fr,monthly-news,yes,2024-03-01,met at the workshop\n"
            "noconsent@example.org,,,monthly-news,no,,\n"
            "bad-address,,,monthly-news,yes,,\n"
            "x@example.org,,,no-such-list,yes,,\n"
            "y@example.org,,,monthly-news,maybe,,\n"
            "z@example.org,,,monthly-news,yes,31/03/2024,\n"
            "ok@example.org,,,monthly-news,yes,,\n"
            "private@example.org,,,funders,no,,\n"
        )
        report = run(lists, text, dry_run=False)
        problems = {(e.line, e.column) for e in report.errors}
        assert problems == {
            (3, "consent"),
            (4, "email"),
            (5, "lists"),
            (6, "consent"),
            (7, "consent_date"),
            (8, "email"),
        }
        messages = " ".join(e.message for e in report.errors)
        assert "only private lists take people without their consent" in messages
        assert "There is no list “no-such-list”" in messages
        assert "is also on line 2" in messages
        assert not report.committed
        assert not Subscriber.objects.filter(
            email__in=["ok@example.org", "private@example.org"]
        ).exists()

    def test_a_good_file_is_checked_then_imported_with_the_consent_record(
        self, lists: Lists
    ) -> None:
        subscribed(lists.network, "old@example.org", lists.public)
        text = HEADER + (
            "new@example.org,Nu,fr,monthly-news;funders,yes,2024-03-01,met at the workshop\n"
            "old@example.org,Old,,funders,no,,\n"
        )
        check = run(lists, text)
        assert check.ok and (check.to_create, check.to_update) == (1, 1)
        assert not Subscriber.objects.filter(email="new@example.org").exists()

        report = run(lists, text, dry_run=False)
        assert report.committed
        new = Subscriber.objects.get(email="new@example.org")
        assert (new.name, new.language) == ("Nu", "fr")
        sub = Subscription.objects.get(subscriber=new, mailing_list=lists.public)
        assert (sub.status, sub.consent_method) == ("subscribed", "import")
        assert sub.consent_at is not None and sub.consent_at.date().isoformat() == "2024-03-01"
        assert sub.consent_note == "met at the workshop"
        private = Subscription.objects.get(
            subscriber__email="old@example.org", mailing_list=lists.private
        )
        assert private.status == "subscribed" and private.consent_at is None

    def test_someone_who_unsubscribed_is_not_put_back(self, lists: Lists) -> None:
        ana = subscribed(lists.network, "ana@example.org", lists.public)
        unsubscribe(subscriber=ana, mailing_list=lists.public, method="one-click")
        report = run(lists, HEADER + "ana@example.org,,,monthly-news,yes,,\n", dry_run=False)
        assert report.committed
        assert "is not put back" in report.warnings[0].message
        assert Subscription.objects.get(subscriber=ana).status == "unsubscribed"


class TestImportPages:
    def test_upload_check_then_import(self, lists: Lists) -> None:
        client = coordinator(lists)
        url = reverse("outreach:subscribers_import", args=[lists.network.slug])
        upload = SimpleUploadedFile(
            "s.csv", (HEADER + "page@example.org,,,monthly-news,yes,,\n").encode()
        )
        page = client.post(url, {"file": upload})
        assert page.status_code == 200
        html = page.content.decode()
        assert "Import these rows" in html
        assert not Subscriber.objects.filter(email="page@example.org").exists()
        stash = re.search(r'name="stash" value="([^"]+)"', html)
        assert stash is not None
        commit = reverse("outreach:subscribers_import_commit", args=[lists.network.slug])
        done = client.post(commit, {"stash": stash.group(1)})
        assert done.status_code == 302
        assert Subscription.objects.get(subscriber__email="page@example.org").status == "subscribed"
        # the stash is used up: a second click imports nothing twice
        again = client.post(commit, {"stash": stash.group(1)})
        assert again.status_code == 302 and "import/" in again["Location"]

    def test_a_bad_file_shows_its_errors_and_offers_no_import(self, lists: Lists) -> None:
        client = coordinator(lists)
        url = reverse("outreach:subscribers_import", args=[lists.network.slug])
        upload = SimpleUploadedFile(
            "s.csv", (HEADER + "a@example.org,,,monthly-news,no,,\n").encode()
        )
        html = client.post(url, {"file": upload}).content.decode()
        assert "Fix these rows" in html and "Import these rows" not in html

    def test_a_stash_of_another_network_is_refused(self, lists: Lists) -> None:
        from django.core import signing

        forged = signing.dumps({"n": lists.cast.other_network.pk, "f": "x.csv"}, salt="other")
        commit = reverse("outreach:subscribers_import_commit", args=[lists.network.slug])
        response = coordinator(lists).post(commit, {"stash": forged})
        assert response.status_code == 302


class TestExport:
    def test_one_row_per_subscription_with_consent_and_formulas_neutralized(
        self, lists: Lists
    ) -> None:
        subscribed(
            lists.network,
            "ana@example.org",
            lists.public,
            lists.private,
            name="=HYPERLINK(1)",
            ip="192.0.2.4",
        )
        response = coordinator(lists).get(
            reverse("outreach:subscribers_export", args=[lists.network.slug])
        )
        assert response.status_code == 200
        text = b"".join(response.streaming_content).decode()  # type: ignore[attr-defined]
        rows = list(csv.DictReader(io.StringIO(text)))
        ana = [row for row in rows if row["email"] == "ana@example.org"]
        assert sorted(row["lists"] for row in ana) == ["funders", "monthly-news"]
        assert {row["name"] for row in ana} == {"'=HYPERLINK(1)"}
        assert {row["consent_method"] for row in ana} == {"import"}
        assert {row["consent_ip"] for row in ana} == {"192.0.2.4"}
        assert all(row["consent"] == "yes" and row["consent_date"] for row in ana)

    def test_the_export_imports_back(self, lists: Lists) -> None:
        subscribed(lists.network, "ana@example.org", lists.public, name="Ana")
        text = b"".join(
            coordinator(lists)
            .get(reverse("outreach:subscribers_export", args=[lists.network.slug]))
            .streaming_content  # type: ignore[attr-defined]
        ).decode()
        report = run(lists, text)
        assert report.ok, report.errors
        assert report.to_create == 0
