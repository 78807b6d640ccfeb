"""Issues: editing and its limits, editions, scheduling, cancelling, stats and the archive."""

from __future__ import annotations

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from netweave.lib.testing import Cast
from netweave.outreach import newsletters as issues
from netweave.outreach.common import OutreachError, settings_for
from netweave.outreach.models import Delivery, Edition, MailingList, Newsletter
from netweave.outreach.tests.newsletters_fixtures import make_issue, news_list_fixture  # noqa: F401

pytestmark = pytest.mark.django_db


def signed_in(cast: Cast, role: str = "coordinator") -> Client:
    client = Client()
    user = cast.user(role)
    assert user is not None
    client.force_login(user)
    return client


def url(name: str, cast: Cast, *args: object) -> str:
    return reverse(f"outreach:{name}", args=[cast.network.slug, *args])


class TestEditing:
    @pytest.mark.parametrize("status", [Newsletter.Status.SENDING, Newsletter.Status.SENT])
    def test_editing_is_refused_once_sending_started(
        self, news_list: MailingList, status: str
    ) -> None:
        issue = make_issue(news_list, 1, status=status, body="As sent")
        with pytest.raises(OutreachError):
            issues.edition_save(newsletter=issue, language="en", subject="New", body="Changed")
        with pytest.raises(OutreachError):
            issues.edition_add_language(newsletter=issue, language="fr")
        assert issue.editions.get().body == "As sent"

    def test_the_edit_page_of_a_sent_issue_is_read_only_and_refuses_a_post(
        self, cast: Cast, news_list: MailingList
    ) -> None:
        issue = make_issue(news_list, 1, status=Newsletter.Status.SENT, body="As sent")
        client = signed_in(cast)
        page = client.get(url("newsletter_edit", cast, issue.pk, "en"))
        assert page.status_code == 200
        assert b"can no longer be edited" in page.content
        assert b" disabled" in page.content
        client.post(url("newsletter_edit", cast, issue.pk, "en"), {"subject": "X", "body": "Y"})
        assert issue.editions.get().body == "As sent"

    def test_the_editor_saves_an_edition(self, cast: Cast, news_list: MailingList) -> None:
        issue = make_issue(news_list, 1)
        response = signed_in(cast).post(
            url("newsletter_edit", cast, issue.pk, "en"),
            {"subject": "Spring news", "preheader": "What grew", "body": "## Hello"},
        )
        assert response.status_code == 302
        edition = issue.editions.get()
        assert (edition.subject, edition.preheader, edition.body) == (
            "Spring news",
            "What grew",
            "## Hello",
        )

    def test_an_empty_subject_is_a_400_that_says_what_to_fix(
        self, cast: Cast, news_list: MailingList
    ) -> None:
        issue = make_issue(news_list, 1)
        response = signed_in(cast).post(
            url("newsletter_edit", cast, issue.pk, "en"), {"subject": "", "body": "x"}
        )
        assert response.status_code == 400
        assert b"This field is required" in response.content

    def test_a_new_edition_is_a_copy_of_the_default_and_the_default_cannot_go(
        self, cast: Cast, news_list: MailingList
    ) -> None:
        issue = make_issue(news_list, 1, subject="Hello", body="Body to translate")
        response = signed_in(cast).post(
            url("newsletter_edition_add", cast, issue.pk), {"language": "fr"}
        )
        assert response.status_code == 302
        assert response["Location"].endswith("/editions/fr/")
        french = issue.editions.get(language="fr")
        assert (french.subject, french.body) == ("Hello", "Body to translate")
        with pytest.raises(OutreachError):
            issues.edition_delete(edition=issue.editions.get(language="en"))
        issues.edition_delete(edition=french)
        assert list(issue.editions.values_list("language", flat=True)) == ["en"]

    def test_a_language_the_network_does_not_use_is_refused(
        self, cast: Cast, news_list: MailingList
    ) -> None:
        cast.network.languages = ["en", "fr"]
        cast.network.save(update_fields=["languages"])
        issue = make_issue(news_list, 1)
        with pytest.raises(OutreachError, match="not one of this network's languages"):
            issues.edition_add_language(newsletter=issue, language="es")


class TestPreview:
    def test_the_live_preview_renders_markdown_and_no_script_survives(
        self, cast: Cast, news_list: MailingList
    ) -> None:
        issue = make_issue(news_list, 1)
        response = signed_in(cast).post(
            url("newsletter_preview", cast, issue.pk, "en"),
            {
                "subject": "Preview subject",
                "body": "## Big news\n\n<script>alert('owned')</script>\n\n"
                '[x](javascript:alert("link")) <img src=x onerror="alert(3)">',
            },
            HTTP_HX_REQUEST="true",
        )
        assert response.status_code == 200
        html = response.content.decode()
        assert 'sandbox=""' in html and "srcdoc=" in html
        assert "Big news" in html
        assert "alert" not in html
        assert "onerror" not in html
        assert issue.editions.get().body == "Hello **readers**."  # nothing saved

    def test_the_email_preview_shows_the_html_and_the_text_part(
        self, cast: Cast, news_list: MailingList
    ) -> None:
        issue = make_issue(news_list, 1, body="## Section title\n\nSome **text**.")
        response = signed_in(cast).get(url("newsletter_email_preview", cast, issue.pk, "en"))
        assert response.status_code == 200
        content = response.content.decode()
        assert "&lt;h2" in content  # the HTML part, escaped into the frame's srcdoc
        assert "&lt;h2" in content and "Section title&lt;/h2&gt;" in content
        assert "## Section title\n\nSome **text**." in content  # the text part, as written


class TestScheduling:
    def test_scheduling_sets_the_status_the_time_and_makes_the_deliveries(
        self, news_list: MailingList
    ) -> None:
        issue = make_issue(news_list, 1)
        at = timezone.now() + timedelta(days=2)
        count = issues.newsletter_schedule(newsletter=issue, at=at, by=None)
        issue.refresh_from_db()
        assert count == 2
        assert issue.status == Newsletter.Status.SCHEDULED
        assert issue.scheduled_at == at
        assert Delivery.objects.filter(newsletter=issue).count() == 2
        with pytest.raises(OutreachError):
            issues.newsletter_schedule(newsletter=issue, at=at, by=None)

    def test_the_schedule_page_asks_to_confirm_then_schedules_in_the_chosen_time_zone(
        self, cast: Cast, news_list: MailingList
    ) -> None:
        issue = make_issue(news_list, 1)
        client = signed_in(cast)
        year = timezone.now().year + 1
        data = {"when": "later", "send_at": f"{year}-01-15T10:00", "time_zone": "Europe/Paris"}
        confirm = client.post(url("newsletter_schedule", cast, issue.pk), data)
        assert confirm.status_code == 200
        assert b"Please confirm" in confirm.content and b"2 recipients" in confirm.content
        issue.refresh_from_db()
        assert issue.status == Newsletter.Status.DRAFT  # nothing happens before confirming
        done = client.post(url("newsletter_schedule", cast, issue.pk), {**data, "confirmed": "1"})
        assert done.status_code == 302
        issue.refresh_from_db()
        assert issue.status == Newsletter.Status.SCHEDULED
        assert issue.scheduled_at == datetime(year, 1, 15, 9, 0, tzinfo=ZoneInfo("UTC"))

    def test_a_time_in_the_past_is_refused_with_a_reason(
        self, cast: Cast, news_list: MailingList
    ) -> None:
        issue = make_issue(news_list, 1)
        response = signed_in(cast).post(
            url("newsletter_schedule", cast, issue.pk),
            {"when": "later", "send_at": "2001-01-01T10:00", "time_zone": "UTC"},
        )
        assert response.status_code == 400
        assert b"That time has passed" in response.content

    def test_cancelling_takes_the_issue_back_to_a_draft(
        self, cast: Cast, news_list: MailingList
    ) -> None:
        issue = make_issue(news_list, 1)
        issues.newsletter_schedule(newsletter=issue, at=timezone.now() + timedelta(days=1), by=None)
        signed_in(cast).post(url("newsletter_cancel", cast, issue.pk))
        issue.refresh_from_db()
        assert issue.status == Newsletter.Status.DRAFT and issue.scheduled_at is None
        assert not Delivery.objects.filter(newsletter=issue).exists()

    def test_only_a_draft_can_be_deleted(self, cast: Cast, news_list: MailingList) -> None:
        draft = make_issue(news_list, 1)
        sent = make_issue(news_list, 2, status=Newsletter.Status.SENT)
        client = signed_in(cast)
        client.post(url("newsletter_delete", cast, sent.pk))
        client.post(url("newsletter_delete", cast, draft.pk))
        assert list(Newsletter.objects.values_list("number", flat=True)) == [2]
        assert not Edition.objects.filter(newsletter_id=draft.pk).exists()


class TestStats:
    def sent_issue(self, news_list: MailingList) -> Newsletter:
        issue = make_issue(news_list, 1)
        issues.newsletter_schedule(newsletter=issue, at=None, by=None)
        Delivery.objects.filter(newsletter=issue).update(
            status=Delivery.Status.SENT, opened_at=timezone.now(), clicked_at=timezone.now()
        )
        return issue

    def test_opens_and_clicks_are_hidden_when_the_network_does_not_count_them(
        self, cast: Cast, news_list: MailingList
    ) -> None:
        issue = self.sent_issue(news_list)
        stats = issues.newsletter_stats(issue)
        assert stats["sent"] == 2
        assert stats["opens"] is None and stats["clicks"] is None
        page = signed_in(cast).get(url("newsletter", cast, issue.pk)).content.decode()
        assert "opened" not in page and "Opens and clicks are not counted" in page

    def test_opens_and_clicks_show_when_counted(self, cast: Cast, news_list: MailingList) -> None:
        issue = self.sent_issue(news_list)
        mail_settings = settings_for(cast.network)
        mail_settings.track_opens = mail_settings.track_clicks = True
        mail_settings.save()
        stats = issues.newsletter_stats(issue)
        assert (stats["opens"], stats["clicks"]) == (2, 2)

    def test_the_list_page_counts_without_a_query_per_issue(
        self, cast: Cast, news_list: MailingList, django_assert_max_num_queries: object
    ) -> None:
        for number in range(1, 13):
            status = [Newsletter.Status.DRAFT, Newsletter.Status.SENT, Newsletter.Status.SENDING][
                number % 3
            ]
            make_issue(news_list, number, status=status)
        client = signed_in(cast)
        client.get(url("newsletters", cast))  # warm the session and the access
        with django_assert_max_num_queries(12):  # type: ignore[operator]
            response = client.get(url("newsletters", cast))
        assert response.status_code == 200
        assert b"#12" in response.content


class TestArchive:
    def test_the_archive_shows_only_sent_issues_that_are_in_it(
        self, cast: Cast, news_list: MailingList
    ) -> None:
        make_issue(news_list, 1, status=Newsletter.Status.SENT, subject="Shown issue")
        make_issue(
            news_list, 2, status=Newsletter.Status.SENT, subject="Kept out", in_archive=False
        )
        make_issue(news_list, 3, subject="Still a draft")
        make_issue(news_list, 4, status=Newsletter.Status.SENDING, subject="Going out")
        page = Client().get(url("archive", cast)).content.decode()
        assert "Shown issue" in page
        for hidden in ("Kept out", "Still a draft", "Going out"):
            assert hidden not in page
        assert Client().get(url("archive_issue", cast, 1)).status_code == 200
        for number in (2, 3, 4):
            assert Client().get(url("archive_issue", cast, number)).status_code == 404
        api = Client().get(f"/api/v1/networks/{cast.network.slug}/newsletter-archive").json()
        assert [item["subject"] for item in api["items"]] == ["Shown issue"]

    def test_an_archived_issue_is_a_sanitized_web_page_in_the_readers_language(
        self, cast: Cast, news_list: MailingList
    ) -> None:
        issue = make_issue(
            news_list,
            1,
            status=Newsletter.Status.SENT,
            subject="English subject",
            body="Hi <script>alert(1)</script>",
        )
        Edition.objects.create(newsletter=issue, language="fr", subject="Sujet français")
        english = Client().get(url("archive_issue", cast, 1)).content.decode()
        assert "English subject" in english and "alert" not in english
        client = Client(HTTP_ACCEPT_LANGUAGE="fr")
        french = client.get(url("archive_issue", cast, 1))
        assert "Sujet français" in french.content.decode()

    def test_the_archive_links_to_the_subscribe_page_and_reads_in_a_fixed_number_of_queries(
        self, cast: Cast, news_list: MailingList, django_assert_max_num_queries: object
    ) -> None:
        for number in range(1, 11):
            make_issue(news_list, number, status=Newsletter.Status.SENT)
        client = Client()
        client.get(url("archive", cast))
        with django_assert_max_num_queries(6):  # type: ignore[operator]
            page = client.get(url("archive", cast)).content.decode()
        assert page.count("Issue 10") == 1 and "Issue 1<" in page
        assert f'href="{url("subscribe", cast)}"' in page

    def test_the_atom_feed_lists_the_archive(self, cast: Cast, news_list: MailingList) -> None:
        make_issue(news_list, 1, status=Newsletter.Status.SENT, subject="Feed issue")
        response = Client().get(url("archive_feed", cast))
        assert response["Content-Type"].startswith("application/atom+xml")
        assert b"Feed issue" in response.content

    def test_issues_of_members_and_private_lists_stay_out_of_the_public_archive(
        self, cast: Cast, news_list: MailingList
    ) -> None:
        members = MailingList.objects.create(
            network=cast.network, name="Members news", slug="members-news", visibility="members"
        )
        private = MailingList.objects.create(
            network=cast.network, name="Board", slug="board", visibility="private"
        )
        make_issue(news_list, 1, status=Newsletter.Status.SENT, subject="Public issue")
        make_issue(members, 2, status=Newsletter.Status.SENT, subject="Members issue")
        make_issue(private, 3, status=Newsletter.Status.SENT, subject="Board issue")
        public = Client()
        page = public.get(url("archive", cast)).content.decode()
        feed = public.get(url("archive_feed", cast)).content.decode()
        api = public.get(f"/api/v1/networks/{cast.network.slug}/newsletter-archive").json()
        assert "Public issue" in page and "Public issue" in feed
        for hidden in ("Members issue", "Board issue"):
            assert hidden not in page and hidden not in feed
        assert [item["subject"] for item in api["items"]] == ["Public issue"]
        assert public.get(url("archive_issue", cast, 2)).status_code == 404
        member = signed_in(cast, "member")
        assert member.get(url("archive_issue", cast, 2)).status_code == 200
        assert member.get(url("archive_issue", cast, 3)).status_code == 404
        assert "Members issue" in member.get(url("archive", cast)).content.decode()


class TestSettingsAndPrivacy:
    def test_the_privacy_page_names_the_link_as_the_email_footer_does(self, cast: Cast) -> None:
        page = Client().get(url("privacy", cast)).content.decode()
        assert "Change what you receive" in page and "Manage your subscriptions" not in page

    def test_the_privacy_page_says_nothing_is_counted_by_default(self, cast: Cast) -> None:
        page = Client().get(url("privacy", cast)).content.decode()
        assert "This network does not count opens or clicks." in page

    def test_turning_counting_on_changes_what_the_privacy_page_says(self, cast: Cast) -> None:
        form = {
            "from_name": "Cast news",
            "from_email": "news@example.org",
            "reply_to": "",
            "postal_address": "1 Main St",
            "rate_per_second": "5",
            "batch_size": "100",
            "soft_bounce_threshold": "3",
            "track_opens": "on",
        }
        response = signed_in(cast).post(url("mail_settings", cast), form)
        assert response.status_code == 302
        mail_settings = settings_for(cast.network)
        assert mail_settings.track_opens and not mail_settings.track_clicks
        assert mail_settings.from_email == "news@example.org"
        page = Client().get(url("privacy", cast)).content.decode()
        assert "This network counts opens" in page and "It does not count clicks." in page

    def test_the_settings_page_gives_the_bounce_webhook_address(self, cast: Cast) -> None:
        secret = settings_for(cast.network).webhook_secret
        page = signed_in(cast).get(url("mail_settings", cast)).content.decode()
        webhook = reverse("outreach_public:bounce_webhook", args=[cast.network.slug, secret])
        assert f"http://testserver{webhook}" in page

    def test_a_zero_batch_size_is_refused_with_a_reason(self, cast: Cast) -> None:
        response = signed_in(cast).post(
            url("mail_settings", cast),
            {"rate_per_second": "0", "batch_size": "0", "soft_bounce_threshold": "3"},
        )
        assert response.status_code == 400
        assert b"at least one message" in response.content

    def test_stewards_do_not_send_newsletters(self, cast: Cast, news_list: MailingList) -> None:
        issue = make_issue(news_list, 1)
        client = signed_in(cast, "steward")
        assert client.get(url("newsletters", cast)).status_code == 403
        assert client.post(url("newsletter_edit", cast, issue.pk, "en"), {}).status_code == 403


class TestProgress:
    def test_a_sending_issue_polls_its_progress_and_a_sent_one_stops(
        self, cast: Cast, news_list: MailingList
    ) -> None:
        issue = make_issue(news_list, 1)
        issues.newsletter_schedule(newsletter=issue, at=None, by=None)
        first = Delivery.objects.filter(newsletter=issue).order_by("pk").first()
        assert first is not None
        Delivery.objects.filter(pk=first.pk).update(status=Delivery.Status.SENT)
        client = signed_in(cast)
        progress_url = url("newsletter_progress", cast, issue.pk)
        sending = client.get(progress_url).content.decode()
        assert 'hx-trigger="every 2s"' in sending
        assert 'max="2" value="1"' in sending and "1 of 2 done" in sending
        listing = client.get(url("newsletters", cast)).content.decode()
        assert f'hx-get="{progress_url}"' in listing
        Newsletter.objects.filter(pk=issue.pk).update(status=Newsletter.Status.SENT)
        sent = client.get(progress_url).content.decode()
        assert "hx-trigger" not in sent and "Sent: 1 of 2" in sent

    def test_times_are_offered_in_the_zone_of_the_networks_events(
        self, cast: Cast, news_list: MailingList
    ) -> None:
        from netweave.outreach.models import Event

        now = timezone.now()
        for zone in ("Africa/Nairobi", "Africa/Nairobi", "Europe/Paris"):
            Event.objects.create(
                network=cast.network, title=zone, starts_at=now, ends_at=now, time_zone=zone
            )
        issue = make_issue(news_list, 1)
        page = signed_in(cast).get(url("newsletter_schedule", cast, issue.pk)).content.decode()
        assert '<option value="Africa/Nairobi" selected>' in page
