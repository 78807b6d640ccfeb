"""Bounces and complaints: mbox files of DSN and ARF reports written by the tests, the soft
bounce threshold, the management command, and the webhook's secret and errors."""

from __future__ import annotations

import json
from datetime import timedelta
from io import StringIO
from pathlib import Path
from typing import Any

import pytest
from django.core.management import call_command
from django.test import Client
from django.urls import reverse

from netweave.outreach.bounces import process_mbox, record_bounce
from netweave.outreach.common import settings_for
from netweave.outreach.models import Bounce, Delivery, Suppression
from netweave.outreach.tests.lists_fixtures import (  # noqa: F401 - fixtures
    Lists,
    arf,
    delivery_to,
    dsn,
    lists_fixture,
    member_signal_fixture,
    ordinary,
    plain_bounce,
    signed_in,
    subscribed,
    write_mbox,
)


def suppressed(network: Any, email: str) -> Suppression | None:
    return Suppression.objects.filter(network=network, email=email).first()


class TestMailboxFiles:
    def test_a_hard_bounce_is_recorded_on_its_delivery_and_suppresses_at_once(
        self, lists: Lists, tmp_path: Path
    ) -> None:
        ana = subscribed(lists.network, "ana@example.org", lists.public)
        delivery = delivery_to(ana, lists.public)
        path = write_mbox(
            tmp_path / "b.mbox", [dsn("ana@example.org", message_id=delivery.message_id)]
        )

        report = process_mbox(network=lists.network, path=str(path))

        assert (report.total, report.bounces, report.complaints, report.ignored) == (1, 1, 0, 0)
        bounce = Bounce.objects.get(email="ana@example.org")
        assert (bounce.kind, bounce.status_code, bounce.delivery_id) == (
            "hard",
            "5.1.1",
            delivery.pk,
        )
        delivery.refresh_from_db()
        assert delivery.status == Delivery.Status.BOUNCED
        found = suppressed(lists.network, "ana@example.org")
        assert found is not None and found.reason == Suppression.Reason.HARD_BOUNCE
        assert report.suppressed == ["ana@example.org"]

    def test_the_delivery_is_found_from_the_returned_headers_alone(
        self, lists: Lists, tmp_path: Path
    ) -> None:
        ben = subscribed(lists.network, "ben@example.org", lists.public)
        first = delivery_to(ben, lists.public, number=1)
        delivery_to(ben, lists.public, number=2)  # the latest, which the address alone would find
        path = write_mbox(
            tmp_path / "b.mbox",
            [dsn("ben@example.org", message_id=first.message_id, headers_only=True)],
        )
        process_mbox(network=lists.network, path=str(path))
        assert Bounce.objects.get(email="ben@example.org").delivery_id == first.pk

    def test_soft_bounces_suppress_only_at_the_threshold(
        self, lists: Lists, tmp_path: Path
    ) -> None:
        mail_settings = settings_for(lists.network)
        mail_settings.soft_bounce_threshold = 3
        mail_settings.save()
        reports = [
            dsn("cy@example.org", status="4.2.2", diagnostic="smtp; 452 mailbox full"),
            dsn("cy@example.org", action="delayed", status="4.4.7"),
        ]
        process_mbox(network=lists.network, path=str(write_mbox(tmp_path / "1.mbox", reports)))
        assert Bounce.objects.filter(email="cy@example.org", kind="soft").count() == 2
        assert suppressed(lists.network, "cy@example.org") is None

        third = write_mbox(tmp_path / "2.mbox", [dsn("cy@example.org", status="4.2.2")])
        process_mbox(network=lists.network, path=str(third))
        found = suppressed(lists.network, "cy@example.org")
        assert found is not None and found.reason == Suppression.Reason.SOFT_BOUNCES

    def test_soft_bounces_older_than_30_days_do_not_count(self, lists: Lists) -> None:
        for _ in range(2):
            old = record_bounce(
                network=lists.network, email="di@example.org", kind="soft", source="test"
            )
            Bounce.objects.filter(pk=old.pk).update(
                received_at=old.received_at - timedelta(days=31)
            )
        record_bounce(network=lists.network, email="di@example.org", kind="soft", source="test")
        assert suppressed(lists.network, "di@example.org") is None

    def test_a_mailbox_that_fails_half_way_records_nothing(
        self, lists: Lists, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
    ) -> None:
        from netweave.outreach import bounces

        path = write_mbox(tmp_path / "h.mbox", [plain_bounce("ana@example.org"), ordinary()])
        real = bounces.classify
        seen: list[int] = []

        def classify_then_fail(message: Any) -> Any:
            seen.append(1)
            if len(seen) == 2:
                raise RuntimeError("the second message breaks the reader")
            return real(message)

        monkeypatch.setattr(bounces, "classify", classify_then_fail)
        with pytest.raises(RuntimeError):
            process_mbox(network=lists.network, path=str(path))
        assert not Bounce.objects.filter(email="ana@example.org").exists()
        assert suppressed(lists.network, "ana@example.org") is None

    def test_a_complaint_suppresses_the_address(self, lists: Lists, tmp_path: Path) -> None:
        path = write_mbox(tmp_path / "c.mbox", [arf("Eve@Example.org")])
        report = process_mbox(network=lists.network, path=str(path))
        assert (report.bounces, report.complaints) == (0, 1)
        found = suppressed(lists.network, "eve@example.org")
        assert found is not None and found.reason == Suppression.Reason.COMPLAINT

    def test_every_message_is_counted_and_the_others_say_why_they_are_not_bounces(
        self, lists: Lists, tmp_path: Path
    ) -> None:
        messages = [
            dsn("fay@example.org"),
            ordinary(),
            dsn("gil@example.org", action="delivered", status="2.0.0"),
            plain_bounce("hal@example.org"),
            arf("ivy@example.org"),
        ]
        report = process_mbox(
            network=lists.network, path=str(write_mbox(tmp_path / "m.mbox", messages))
        )
        outcomes = [m.outcome for m in report.messages]
        assert outcomes == ["bounce", "ignored", "ignored", "bounce", "complaint"]
        assert "nor titled as a bounce" in report.messages[1].reason
        assert "delivered" in report.messages[2].reason
        assert Bounce.objects.get(email="hal@example.org").kind == "hard"
        assert not Bounce.objects.filter(email="gil@example.org").exists()
        assert len(report.lines()) == 5

    def test_a_plain_bounce_with_a_temporary_code_is_soft(
        self, lists: Lists, tmp_path: Path
    ) -> None:
        path = write_mbox(tmp_path / "p.mbox", [plain_bounce("jo@example.org", code="451 4.3.0")])
        process_mbox(network=lists.network, path=str(path))
        assert Bounce.objects.get(email="jo@example.org").kind == "soft"

    def test_the_command_prints_the_report(self, lists: Lists, tmp_path: Path) -> None:
        path = write_mbox(tmp_path / "m.mbox", [dsn("kim@example.org"), ordinary("Hello")])
        out = StringIO()
        call_command("outreach_bounces", "--network", lists.network.slug, str(path), stdout=out)
        printed = out.getvalue()
        assert "bounce recorded for kim@example.org" in printed
        assert "#2 Hello: not a bounce" in printed
        assert (
            "2 message(s): 1 bounce(s) recorded, 0 complaint(s) recorded, 1 not a bounce" in printed
        )

    def test_the_upload_page_reads_a_mailbox(self, lists: Lists, tmp_path: Path) -> None:
        path = write_mbox(tmp_path / "m.mbox", [dsn("lu@example.org")])
        client = signed_in(lists.cast.coordinator.user)
        url = reverse("outreach:bounces_upload", args=[lists.network.slug])
        with path.open("rb") as handle:
            response = client.post(url, {"mbox": handle})
        assert response.status_code == 200
        assert "bounce recorded for lu@example.org" in response.content.decode()
        assert suppressed(lists.network, "lu@example.org") is not None

    def test_the_upload_page_refuses_a_file_that_is_not_a_mailbox(self, lists: Lists) -> None:
        from django.core.files.uploadedfile import SimpleUploadedFile

        client = signed_in(lists.cast.coordinator.user)
        url = reverse("outreach:bounces_upload", args=[lists.network.slug])
        upload = SimpleUploadedFile("x.csv", b"email\nx@example.org\n")
        response = client.post(url, {"mbox": upload})
        assert response.status_code == 400
        assert "This is not an mbox file" in response.content.decode()


class TestWebhook:
    def url(self, lists: Lists, secret: str | None = None) -> str:
        secret = secret or settings_for(lists.network).webhook_secret
        return reverse("outreach_public:bounce_webhook", args=[lists.network.slug, secret])

    def test_a_wrong_secret_is_not_found(self, lists: Lists) -> None:
        client = Client(enforce_csrf_checks=True)
        body = json.dumps({"email": "a@example.org", "kind": "hard"})
        response = client.post(self.url(lists, "wrong"), body, content_type="application/json")
        assert response.status_code == 404
        assert not Bounce.objects.exists()

    def test_reports_are_recorded_without_csrf(self, lists: Lists) -> None:
        ana = subscribed(lists.network, "ana@example.org", lists.public)
        delivery = delivery_to(ana, lists.public)
        client = Client(enforce_csrf_checks=True)
        body = [
            {
                "email": "ana@example.org",
                "kind": "hard",
                "status": "5.1.1",
                "message_id": delivery.message_id,
            },
            {"email": "bo@example.org", "kind": "complaint"},
            {"email": "cy@example.org", "kind": "soft", "detail": "mailbox full"},
        ]
        response = client.post(self.url(lists), json.dumps(body), content_type="application/json")
        assert response.status_code == 200
        assert response.json() == {"recorded": 3}
        assert Bounce.objects.get(email="ana@example.org").delivery_id == delivery.pk
        assert set(Suppression.objects.values_list("email", flat=True)) == {
            "ana@example.org",
            "bo@example.org",
        }
        assert Bounce.objects.get(email="cy@example.org").source == "webhook"

    @pytest.mark.parametrize(
        ("body", "says"),
        [
            ("{not json", "not valid JSON"),
            ("[" * 100_000, "not valid JSON"),  # too deep for the parser: a 400, not a 500
            ("", "Send a JSON body"),
            (json.dumps({"email": "a@example.org", "kind": "bounced"}), "hard, soft or complaint"),
            (json.dumps([{"email": "nope", "kind": "hard"}]), "item 1: “email”"),
            (json.dumps({"email": "a@example.org", "kind": "hard", "x": 1}), "unknown fields: x"),
        ],
    )
    def test_a_bad_body_is_a_400_that_says_what_to_fix(
        self, lists: Lists, body: str, says: str
    ) -> None:
        response = Client().post(self.url(lists), body, content_type="application/json")
        assert response.status_code == 400
        assert says in response.json()["error"]
        assert not Bounce.objects.exists()
