"""The delivery engine: who an issue goes to, leases, replies, scheduling and finishing."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from django.core import mail as django_mail
from django.core.management import CommandError, call_command
from django.utils import timezone

from conftest import free_port
from netweave.lib.testing import make_network
from netweave.outreach import delivery
from netweave.outreach.common import OutreachError
from netweave.outreach.models import (
    Delivery,
    Newsletter,
    Subscriber,
    Subscription,
    Suppression,
)
from netweave.outreach.tests.delivery_fixtures import (
    Sink,
    make_issue,
    start_sink,
    subscribe,
    use_smtp,
)

pytestmark = pytest.mark.django_db


@pytest.fixture(params=[False, True], ids=["serial", "pipelined"])
def sink(settings: Any, request: Any) -> Any:
    found = Sink(pipelining=request.param)
    port = free_port()
    controller = start_sink(found, port)
    use_smtp(settings, port)
    yield found
    controller.stop()


def _outgoing(newsletter: Newsletter, rows: list[Delivery]) -> list[delivery.Outgoing]:
    """The messages of `rows`, as the sender sends them."""
    composer = delivery.NewsletterComposer(newsletter)
    return [
        delivery.Outgoing(
            composer.envelope_from, row.email, composer.bytes_for_delivery(row), row.pk
        )
        for row in rows
    ]


def _statuses(newsletter: Newsletter) -> dict[str, str]:
    return dict(Delivery.objects.filter(newsletter=newsletter).values_list("email", "status"))


class TestStartSending:
    def test_it_makes_one_delivery_per_active_subscriber_only(self) -> None:
        issue = make_issue(make_network(), readers=3)
        pending = subscribe(issue, "pending@example.org")
        Subscription.objects.filter(subscriber=pending).update(status=Subscription.Status.PENDING)
        gone = subscribe(issue, "gone@example.org")
        Subscription.objects.filter(subscriber=gone).update(status=Subscription.Status.UNSUBSCRIBED)
        subscribe(issue, "bounced@example.org")
        Suppression.objects.create(
            network=issue.network, email="bounced@example.org", reason="hard_bounce"
        )
        assert delivery.start_sending(issue.newsletter, enqueue=False) == 3
        assert sorted(_statuses(issue.newsletter)) == [
            "reader1-0@example.org",
            "reader1-1@example.org",
            "reader1-2@example.org",
        ]
        issue.newsletter.refresh_from_db()
        assert issue.newsletter.status == Newsletter.Status.SENDING
        assert issue.newsletter.started_at is not None

    def test_a_second_start_is_refused_and_adds_nobody(self) -> None:
        issue = make_issue(make_network(), readers=2)
        delivery.start_sending(issue.newsletter, enqueue=False)
        with pytest.raises(OutreachError, match="already sending"):
            delivery.start_sending(issue.newsletter, enqueue=False)
        # Even forced back to scheduled, the rows already made are not made again.
        Newsletter.objects.filter(pk=issue.newsletter.pk).update(status="scheduled")
        assert delivery.start_sending(issue.newsletter, enqueue=False) == 0
        assert Delivery.objects.count() == 2

    def test_an_issue_without_an_edition_cannot_be_sent(self) -> None:
        issue = make_issue(make_network(), readers=1, editions=())
        with pytest.raises(OutreachError, match="no edition"):
            delivery.start_sending(issue.newsletter)
        assert not Delivery.objects.exists()

    def test_each_reader_gets_their_language_or_the_default_edition(self) -> None:
        issue = make_issue(make_network(), editions=("en", "fr"))
        subscribe(issue, "fr@example.org", language="fr-CA")
        subscribe(issue, "es@example.org", language="es")
        delivery.start_sending(issue.newsletter, enqueue=False)
        languages = dict(Delivery.objects.values_list("email", "language"))
        assert languages == {"fr@example.org": "fr", "es@example.org": "en"}

    def test_monthly_and_quarterly_readers_skip_an_issue_too_soon_after_the_last(self) -> None:
        network = make_network()
        first = make_issue(network, number=1)
        monthly = subscribe(first, "monthly@example.org")
        quarterly = subscribe(first, "quarterly@example.org")
        subscribe(first, "every@example.org")
        Subscriber.objects.filter(pk=monthly.pk).update(frequency="monthly")
        Subscriber.objects.filter(pk=quarterly.pk).update(frequency="quarterly")
        delivery.start_sending(first.newsletter, enqueue=False)
        Delivery.objects.update(status="sent", sent_at=timezone.now() - timedelta(days=40))
        second = make_issue(network, number=2, mailing_list=first.mailing_list)
        delivery.start_sending(second.newsletter, enqueue=False)
        assert sorted(_statuses(second.newsletter)) == [
            "every@example.org",
            "monthly@example.org",
        ]

    def test_the_task_is_enqueued_after_the_commit(
        self, django_capture_on_commit_callbacks: Any
    ) -> None:
        issue = make_issue(make_network(), readers=2)
        with django_capture_on_commit_callbacks(execute=True):
            delivery.start_sending(issue.newsletter)
        # The immediate backend of the tests runs the task at once (locmem outbox).
        assert len(django_mail.outbox) == 2
        issue.newsletter.refresh_from_db()
        assert issue.newsletter.status == Newsletter.Status.SENT


class TestScheduling:
    def test_a_scheduled_issue_waits_for_its_time_then_sends(self, sink: Sink) -> None:
        issue = make_issue(make_network(), readers=2)
        at = timezone.now() + timedelta(hours=1)
        delivery.start_sending(issue.newsletter, at=at, enqueue=False)
        issue.newsletter.refresh_from_db()
        assert issue.newsletter.status == Newsletter.Status.SCHEDULED
        assert delivery.send_pending(issue.newsletter.pk).sent == 0
        assert sink.messages == 0
        Newsletter.objects.filter(pk=issue.newsletter.pk).update(
            scheduled_at=timezone.now() - timedelta(seconds=1)
        )
        call_command("outreach_tick", stdout=_Null())
        issue.newsletter.refresh_from_db()
        assert sink.messages == 2
        assert issue.newsletter.status == Newsletter.Status.SENT
        assert issue.newsletter.finished_at is not None

    def test_the_tick_resumes_an_issue_whose_sender_died_and_leaves_a_live_one_alone(
        self, sink: Sink
    ) -> None:
        network = make_network()
        orphaned = make_issue(network, readers=3, number=1)
        busy = make_issue(network, readers=2, number=2)
        for issue in (orphaned, busy):
            delivery.start_sending(issue.newsletter, enqueue=False)
        delivery.claim_batch(orphaned.newsletter.pk, "elsewhere:1:died", 10)
        Delivery.objects.filter(newsletter=orphaned.newsletter).update(
            claimed_until=timezone.now() - timedelta(seconds=5)
        )
        delivery.claim_batch(busy.newsletter.pk, "elsewhere:2:working", 10)
        out = _Capture()
        call_command("outreach_tick", stdout=out)
        assert set(_statuses(orphaned.newsletter).values()) == {"sent"}
        assert set(_statuses(busy.newsletter).values()) == {"queued"}
        assert sink.messages == 3
        assert "event reminders" in out.text

    def test_a_mail_server_that_is_down_leaves_the_rows_queued_and_the_tick_goes_on(
        self, settings: Any
    ) -> None:
        use_smtp(settings, free_port())  # nobody listens there
        issue = make_issue(make_network(), readers=2)
        delivery.start_sending(issue.newsletter, enqueue=False)
        out, err = _Capture(), _Capture()
        call_command("outreach_tick", stdout=out, stderr=err)
        assert "the mail server failed" in err.text
        assert "event reminders" in out.text
        assert set(_statuses(issue.newsletter).values()) == {"queued"}
        assert not Delivery.objects.exclude(claimed_by="").exists()

    def test_the_tick_can_hand_the_sending_to_the_worker(self) -> None:
        issue = make_issue(make_network(), readers=2)
        delivery.start_sending(issue.newsletter, at=timezone.now() + timedelta(hours=1))
        Newsletter.objects.filter(pk=issue.newsletter.pk).update(scheduled_at=timezone.now())
        out = _Capture()
        call_command("outreach_tick", "--enqueue", stdout=out)
        assert "handed to the task worker" in out.text
        # The immediate backend of the tests ran the task: the locmem outbox has both.
        assert len(django_mail.outbox) == 2

    def test_cancelling_a_scheduled_issue_makes_it_a_draft_again(self) -> None:
        issue = make_issue(make_network(), readers=2)
        delivery.start_sending(issue.newsletter, at=timezone.now() + timedelta(days=1))
        delivery.cancel_scheduled(issue.newsletter)
        issue.newsletter.refresh_from_db()
        assert issue.newsletter.status == Newsletter.Status.DRAFT
        assert not Delivery.objects.exists()
        assert delivery.send_pending(issue.newsletter.pk).sent == 0
        with pytest.raises(OutreachError, match="not scheduled"):
            delivery.cancel_scheduled(issue.newsletter)


class TestSending:
    def test_it_sends_every_message_once_and_finishes_the_issue(
        self, sink: Sink, django_assert_max_num_queries: Any
    ) -> None:
        issue = make_issue(make_network(), readers=30, batch_size=7)
        delivery.start_sending(issue.newsletter, enqueue=False)
        # One UPDATE per message (its commit) plus a few queries per batch: no N+1.
        with django_assert_max_num_queries(30 + 5 * 8 + 10):
            counts = delivery.send_pending(issue.newsletter.pk)
        assert counts.sent == 30 and sink.messages == 30
        assert set(sink.per_recipient.values()) == {1}
        assert set(_statuses(issue.newsletter).values()) == {"sent"}
        assert not Delivery.objects.exclude(claimed_by="").exists()
        issue.newsletter.refresh_from_db()
        assert issue.newsletter.status == Newsletter.Status.SENT
        assert delivery.send_pending(issue.newsletter.pk).sent == 0
        assert sink.messages == 30

    def test_a_reader_who_left_after_the_rows_were_made_is_skipped(self, sink: Sink) -> None:
        issue = make_issue(make_network())
        subscribe(issue, "stays@example.org")
        leaves = subscribe(issue, "leaves@example.org")
        subscribe(issue, "bounces@example.org")
        delivery.start_sending(issue.newsletter, enqueue=False)
        Subscription.objects.filter(subscriber=leaves).update(status="unsubscribed")
        Suppression.objects.create(
            network=issue.network, email="bounces@example.org", reason="complaint"
        )
        counts = delivery.send_pending(issue.newsletter.pk)
        assert (counts.sent, counts.skipped) == (1, 2)
        assert _statuses(issue.newsletter) == {
            "stays@example.org": "sent",
            "leaves@example.org": "skipped",
            "bounces@example.org": "skipped",
        }
        assert dict(sink.per_recipient) == {"stays@example.org": 1}

    def test_a_permanent_refusal_fails_the_row_with_the_reply(self, sink: Sink) -> None:
        issue = make_issue(make_network())
        subscribe(issue, "ok@example.org")
        subscribe(issue, "nobody@example.org")
        subscribe(issue, "spam@example.org")
        sink.reject["nobody@example.org"] = "550 5.1.1 No such user"
        sink.reject_data["spam@example.org"] = "554 5.7.1 Looks like spam"
        delivery.start_sending(issue.newsletter, enqueue=False)
        counts = delivery.send_pending(issue.newsletter.pk)
        assert (counts.sent, counts.failed) == (1, 2)
        rows = {d.email: d for d in Delivery.objects.all()}
        assert rows["nobody@example.org"].status == "failed"
        assert "550 5.1.1 No such user" in rows["nobody@example.org"].error
        assert rows["spam@example.org"].status == "failed"
        assert "554" in rows["spam@example.org"].error
        assert rows["ok@example.org"].status == "sent"
        issue.newsletter.refresh_from_db()
        assert issue.newsletter.status == Newsletter.Status.SENT

    def test_a_temporary_refusal_is_retried_then_failed_after_three_attempts(
        self, sink: Sink
    ) -> None:
        issue = make_issue(make_network())
        subscribe(issue, "busy@example.org")
        sink.reject["busy@example.org"] = "451 4.7.1 Try again later"
        delivery.start_sending(issue.newsletter, enqueue=False)
        counts = delivery.send_pending(issue.newsletter.pk)
        row = Delivery.objects.get()
        assert counts.requeued == 2 and counts.failed == 1
        assert (row.status, row.attempts) == ("failed", 3)
        assert "451" in row.error

    def test_a_temporary_refusal_that_clears_is_sent(self, sink: Sink) -> None:
        issue = make_issue(make_network())
        subscribe(issue, "later@example.org")
        sink.reject["later@example.org"] = "451 4.7.1 Try again later"
        delivery.start_sending(issue.newsletter, enqueue=False)
        sender = delivery._Sender(delivery.new_worker_id())
        ids = delivery.claim_batch(issue.newsletter.pk, sender.worker, 10)
        row = Delivery.objects.select_related("subscriber").get(pk=ids[0])
        composer = delivery.NewsletterComposer(issue.newsletter)
        assert sender.send(composer.for_delivery(row), row.pk)[0] == "requeued"
        sender.close()
        del sink.reject["later@example.org"]
        assert delivery.send_pending(issue.newsletter.pk).sent == 1
        row.refresh_from_db()
        assert (row.status, row.attempts) == ("sent", 2)

    def test_the_rate_limit_spaces_the_messages(self, sink: Sink) -> None:
        issue = make_issue(make_network(), readers=6, rate_per_second=20)
        delivery.start_sending(issue.newsletter, enqueue=False)
        counts = delivery.send_pending(issue.newsletter.pk)
        # A full bucket lets 20 go at once; drain it first to see the spacing.
        assert counts.sent == 6
        bucket = delivery.TokenBucket(20)
        for _ in range(20):
            bucket.take()
        started = timezone.now()
        for _ in range(5):
            bucket.take()
        assert (timezone.now() - started).total_seconds() >= 0.2

    def test_a_row_whose_lease_was_lost_is_not_terminated_so_the_server_drops_it(
        self, sink: Sink
    ) -> None:
        issue = make_issue(make_network())
        subscribe(issue, "taken@example.org")
        subscribe(issue, "mine@example.org")
        delivery.start_sending(issue.newsletter, enqueue=False)
        taken, mine = Delivery.objects.select_related("subscriber").order_by("email")[::-1]
        assert taken.email == "taken@example.org"
        sender = delivery._Sender("host:1:me")
        delivery.claim_rows([mine.pk], sender.worker)
        delivery.claim_rows([taken.pk], "host:1:other")
        # One group: two connections, one commit.
        group = _outgoing(issue.newsletter, [taken, mine])
        sender.send_group(group)
        sender.close()
        assert [o.result for o in group] == [("lost", ""), ("sent", "")]
        assert dict(sink.per_recipient) == {"mine@example.org": 1}
        assert _statuses(issue.newsletter) == {
            "taken@example.org": "queued",
            "mine@example.org": "sent",
        }

    def test_the_raw_message_says_what_the_django_message_says(self) -> None:
        import email
        import email.policy

        issue = make_issue(make_network(name="Réseau « Terrain »"), editions=("fr",))
        Newsletter.objects.filter(pk=issue.newsletter.pk).update(default_language="fr")
        subscriber = subscribe(issue, "zoé@exämple.org", name="Zoé", language="fr")
        delivery.start_sending(issue.newsletter, enqueue=False)
        row = Delivery.objects.select_related("subscriber").get()
        composer = delivery.NewsletterComposer(issue.newsletter)
        raw = email.message_from_bytes(
            composer.message_bytes(
                email=row.email,
                language=row.language,
                name=subscriber.name,
                subscriber_token=subscriber.token,
                delivery_id=row.pk,
                message_id=row.message_id,
            ),
            policy=email.policy.default,
        )
        django = email.message_from_bytes(
            composer.for_delivery(row).message().as_bytes(), policy=email.policy.default
        )
        for header in ("Subject", "From", "Message-ID", "List-Id", "List-Unsubscribe"):
            assert str(raw[header]).strip() == str(django[header]).strip(), header
        assert "xn--" in str(raw["To"])
        for kind in ("plain", "html"):
            ours = raw.get_body(preferencelist=(kind,)).get_content()  # type: ignore[union-attr]
            theirs = django.get_body(preferencelist=(kind,)).get_content()  # type: ignore[union-attr]
            assert ours.replace("\r\n", "\n").strip() == theirs.replace("\r\n", "\n").strip()
            assert "Bonjour Zoé," in ours or "Hello Zoé," in ours


class TestLeases:
    def test_two_claimers_racing_for_the_same_rows_never_both_get_one(self) -> None:
        issue = make_issue(make_network(), readers=10)
        delivery.start_sending(issue.newsletter, enqueue=False)
        pk = issue.newsletter.pk
        # Both read the same free rows, then both try to take them.
        seen_by_a = delivery.claim_candidates(pk, 6)
        seen_by_b = delivery.claim_candidates(pk, 6)
        assert seen_by_a == seen_by_b
        got_b = delivery.claim_rows(seen_by_b, "host:1:b")
        got_a = delivery.claim_rows(seen_by_a, "host:1:a")
        assert len(got_b) == 6 and got_a == []
        got_a = delivery.claim_batch(pk, "host:1:a", 6)
        assert len(got_a) == 4 and not set(got_a) & set(got_b)

    def test_an_expired_lease_is_taken_over_and_a_live_one_is_not(self) -> None:
        issue = make_issue(make_network(), readers=4)
        delivery.start_sending(issue.newsletter, enqueue=False)
        pk = issue.newsletter.pk
        held = delivery.claim_batch(pk, "elsewhere:1:live", 2)
        expired = delivery.claim_batch(pk, "elsewhere:1:dead", 2)
        Delivery.objects.filter(pk__in=expired).update(
            claimed_until=timezone.now() - timedelta(seconds=1)
        )
        assert sorted(delivery.claim_batch(pk, "elsewhere:2:new", 10)) == sorted(expired)
        assert not set(held) & set(delivery.claim_batch(pk, "elsewhere:3:new", 10))

    def test_a_lease_of_a_dead_process_on_this_host_is_taken_over_at_once(self) -> None:
        import subprocess

        issue = make_issue(make_network(), readers=3)
        delivery.start_sending(issue.newsletter, enqueue=False)
        gone = subprocess.Popen(["true"])
        gone.wait()
        dead = f"{delivery.host_id()}:{gone.pid}:x"
        alive = f"{delivery.host_id()}:1:y"  # pid 1 always exists
        kept = delivery.claim_batch(issue.newsletter.pk, alive, 1)
        taken = delivery.claim_batch(issue.newsletter.pk, dead, 2)
        assert len(taken) == 2
        assert delivery.dead_claimers(issue.newsletter.pk) == [dead]
        assert sorted(delivery.claim_batch(issue.newsletter.pk, "me:9:z", 10)) == sorted(taken)
        assert kept[0] not in taken

    def test_a_lease_of_another_host_with_the_same_name_is_never_taken_early(self) -> None:
        import socket
        import subprocess

        issue = make_issue(make_network(), readers=2)
        delivery.start_sending(issue.newsletter, enqueue=False)
        gone = subprocess.Popen(["true"])
        gone.wait()
        # A live sender on another machine (or container) whose host name is ours, or starts as
        # ours does: its pid means nothing here, so its lease is left until it expires.
        for host in (socket.gethostname()[:50], f"{delivery.host_id()[:-1]}0"):
            held = delivery.claim_batch(issue.newsletter.pk, f"{host}:{gone.pid}:live", 1)
            assert len(held) == 1
            assert delivery.dead_claimers(issue.newsletter.pk) == []
            assert held[0] not in delivery.claim_batch(issue.newsletter.pk, "me:9:z", 10)
            Delivery.objects.update(claimed_by="", claimed_until=None)

    def test_worker_ids_fit_the_column_and_name_this_host(self) -> None:
        worker = delivery.new_worker_id()
        assert len(worker) <= Delivery._meta.get_field("claimed_by").max_length  # type: ignore[operator]
        host, pid, _token = worker.rsplit(":", 2)
        assert host == delivery.host_id() and pid.isdigit()


class _TerminatorBreaks:
    """A socket whose terminator write fails (the connection broke just then)."""

    def __init__(self, sock: Any) -> None:
        self.sock = sock

    def sendall(self, data: bytes, *args: Any) -> None:
        if data == delivery.TERMINATOR:
            raise BrokenPipeError("connection reset")
        self.sock.sendall(data, *args)

    def __getattr__(self, name: str) -> Any:
        return getattr(self.sock, name)


class TestTheGroupCommit:
    def _group(self, issue: Any, sender: Any) -> list[Any]:
        group = _outgoing(
            issue.newsletter, list(Delivery.objects.select_related("subscriber").order_by("email"))
        )
        delivery.claim_rows([o.delivery_id for o in group], sender.worker)
        return group

    def test_a_terminator_that_cannot_be_written_requeues_its_row_and_not_the_others(
        self, sink: Sink
    ) -> None:
        issue = make_issue(make_network())
        subscribe(issue, "a-broken@example.org")
        subscribe(issue, "b-fine@example.org")
        delivery.start_sending(issue.newsletter, enqueue=False)
        sender = delivery._Sender(delivery.new_worker_id())
        group = self._group(issue, sender)
        smtp = sender.smtp(0)
        smtp.sock = _TerminatorBreaks(smtp.sock)  # type: ignore[assignment]
        sender.send_group(group)
        sender.close()
        assert [o.result[0] for o in group] == ["requeued", "sent"]  # type: ignore[index]
        assert dict(sink.per_recipient) == {"b-fine@example.org": 1}
        assert _statuses(issue.newsletter) == {
            "a-broken@example.org": "queued",
            "b-fine@example.org": "sent",
        }
        # The requeued row goes out once on the next run.
        assert delivery.send_pending(issue.newsletter.pk).sent == 1
        assert dict(sink.per_recipient) == {"a-broken@example.org": 1, "b-fine@example.org": 1}

    def test_a_row_requeued_after_its_commit_reopens_an_issue_another_sender_finished(
        self,
    ) -> None:
        issue = make_issue(make_network(), readers=1)
        delivery.start_sending(issue.newsletter, enqueue=False)
        sender = delivery._Sender(delivery.new_worker_id())
        (row_id,) = delivery.claim_batch(issue.newsletter.pk, sender.worker, 5)
        assert sender._commit([row_id]) == ({row_id}, set())
        assert delivery.finish_if_done(issue.newsletter.pk)  # another sender saw nothing queued
        # ... then the server answers the final dot with a temporary failure.
        result = sender._refused(row_id, delivery._Rejected(451, "try later"), sent=True)
        assert result[0] == "requeued"
        issue.newsletter.refresh_from_db()
        assert issue.newsletter.status == Newsletter.Status.SENDING
        assert delivery.needs_resuming(issue.newsletter.pk)

    def test_any_2xx_reply_to_the_final_dot_is_a_sent_message(self, sink: Sink) -> None:
        issue = make_issue(make_network())
        subscribe(issue, "queued-later@example.org")
        sink.reject_data["queued-later@example.org"] = "252 2.0.0 Accepted for later"
        delivery.start_sending(issue.newsletter, enqueue=False)
        counted = delivery.send_pending(issue.newsletter.pk)
        assert (counted.sent, counted.failed) == (1, 0)
        assert _statuses(issue.newsletter) == {"queued-later@example.org": "sent"}


class TestTheCommandLine:
    def test_send_sends_the_latest_unsent_issue_and_sums_up(self, sink: Sink) -> None:
        network = make_network(slug="cli")
        issue = make_issue(network, readers=5)
        out = _Capture()
        call_command("newsletter", "send", "--network", "cli", "--latest", "--yes", stdout=out)
        assert sink.messages == 5
        assert "sent 5, failed 0, skipped 0" in out.text and "is sent" in out.text
        issue.newsletter.refresh_from_db()
        assert issue.newsletter.status == Newsletter.Status.SENT
        status = _Capture()
        call_command("newsletter", "status", "--network", "cli", stdout=status)
        assert "#1" in status.text and "sent" in status.text

    @pytest.mark.parametrize(
        ("args", "message"),
        [
            (["send", "--network", "nowhere", "--latest", "--yes"], "No network"),
            (["send", "--network", "cli2", "--latest", "--yes"], "no unsent issue"),
            (["send", "--network", "cli2", "--number", "9", "--yes"], "no issue #9"),
            (["resume", "--network", "cli2"], "nothing to resume"),
        ],
    )
    def test_it_says_clearly_what_is_missing(self, args: list[str], message: str) -> None:
        make_network(slug="cli2")
        with pytest.raises(CommandError, match=message):
            call_command("newsletter", *args, stdout=_Null())

    def test_an_issue_without_an_edition_is_refused(self) -> None:
        make_issue(make_network(slug="cli3"), readers=1, editions=())
        with pytest.raises(CommandError, match="no edition"):
            call_command("newsletter", "send", "--network", "cli3", "--latest", "--yes")


class _Capture:
    def __init__(self) -> None:
        self.parts: list[str] = []

    def write(self, text: str) -> None:
        self.parts.append(text)

    def flush(self) -> None:
        pass

    @property
    def text(self) -> str:
        return "".join(self.parts)


class _Null(_Capture):
    pass
