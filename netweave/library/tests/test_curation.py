"""Curation: members submit, curators review, publish, archive and restore; every change is a
revision naming the fields that changed; a revision can be brought back."""

from __future__ import annotations

from datetime import date

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from netweave.lib.testing import Cast, make_organization
from netweave.library.models import Resource, ResourceRevision
from netweave.library.selectors import resources_visible_to
from netweave.library.services import (
    LibraryError,
    StatusChangeNotAllowed,
    add_months,
    resource_revert,
    resource_set_status,
    resource_update,
    topic_create,
)
from netweave.library.tests.test_resources_support import make_resource
from netweave.networks.permissions import access_for

pytestmark = pytest.mark.django_db


def client_for(cast: Cast, role: str) -> Client:
    client = Client()
    user = cast.user(role)
    if user is not None:
        client.force_login(user)
    return client


class SubmissionTests:
    def test_a_members_submission_waits_unseen_until_it_is_published(self, cast: Cast) -> None:
        resource = make_resource(cast.network, cast.member, status=None, visibility="public")
        assert resource.status == Resource.Status.SUBMITTED
        assert resource.published_at is None
        for role in ("anonymous", "outsider", "observer", "member", "steward"):
            access = access_for(cast.user(role), cast.network)
            assert resource not in resources_visible_to(access), role
        page = reverse("library:resource", args=["cast", resource.pk])
        assert client_for(cast, "anonymous").get(page).status_code == 404
        assert client_for(cast, "observer").get(page).status_code == 404
        assert client_for(cast, "other_member").get(page).status_code == 404
        assert client_for(cast, "member").get(page).status_code == 200  # the submitter
        assert client_for(cast, "steward").get(page).status_code == 200

        resource_set_status(resource=resource, by=cast.steward, status="published")
        anonymous = access_for(None, cast.network)
        assert resource in resources_visible_to(anonymous)
        assert client_for(cast, "anonymous").get(page).status_code == 200

    def test_the_first_revision_says_who_submitted_it(self, cast: Cast) -> None:
        resource = make_resource(cast.network, cast.member, status=None, note="From a workshop")
        revision = resource.revisions.get()
        assert (revision.number, revision.action, revision.editor) == (
            1,
            ResourceRevision.Action.SUBMITTED,
            cast.member,
        )
        assert revision.note == "From a workshop"
        assert revision.data["title"] == "A resource"
        assert revision.data["status"] == "submitted"

    def test_publishing_stamps_the_publication_time_and_a_review_by_date(
        self, cast: Cast, settings
    ) -> None:
        settings.NETWEAVE_LIBRARY_REVIEW_MONTHS = 6
        resource = make_resource(cast.network, cast.member, status=None)
        resource_set_status(resource=resource, by=cast.steward, status="published")
        today = timezone.localdate()
        assert resource.published_at is not None
        assert resource.review_by == add_months(today, 6)
        revision = resource.revisions.order_by("-number").first()
        assert revision is not None
        assert revision.action == ResourceRevision.Action.PUBLISHED
        assert revision.changed == ["status", "review_by"]
        assert revision.editor == cast.steward

    def test_a_review_by_date_already_set_is_kept(self, cast: Cast) -> None:
        resource = make_resource(cast.network, cast.member, status=None, review_by=date(2031, 3, 1))
        resource_set_status(resource=resource, by=cast.steward, status="published")
        assert resource.review_by == date(2031, 3, 1)

    def test_a_curator_may_publish_at_once(self, cast: Cast) -> None:
        resource = make_resource(cast.network, cast.coordinator, status="published")
        assert resource.status == "published" and resource.published_at is not None
        assert resource.revisions.get().action == ResourceRevision.Action.PUBLISHED

    def test_topics_must_belong_to_the_network(self, cast: Cast) -> None:
        elsewhere = topic_create(network=cast.other_network, name="Elsewhere")
        with pytest.raises(LibraryError, match="not topics of this network"):
            make_resource(cast.network, cast.member, topics=[elsewhere])

    def test_authors_named_as_members_must_be_members(self, cast: Cast) -> None:
        with pytest.raises(LibraryError, match="members of this network"):
            make_resource(cast.network, cast.member, author_people=[cast.outsider])

    def test_phases_come_from_the_networks_phase_model(self, cast: Cast) -> None:
        resource = make_resource(cast.network, cast.member, phases=["launching"])
        assert resource.phases == ["launching"]
        with pytest.raises(LibraryError, match="Unknown life-cycle phases: dancing"):
            make_resource(cast.network, cast.member, phases=["dancing"])

    def test_translations_point_at_the_original(self, cast: Cast) -> None:
        original = make_resource(cast.network, cast.member, language="en")
        french = make_resource(cast.network, cast.member, language="fr", translation_of=original)
        spanish = make_resource(cast.network, cast.member, language="es", translation_of=french)
        assert spanish.translation_of == original
        assert set(original.translations.all()) == {french, spanish}

    def test_an_original_with_translations_cannot_become_a_translation(self, cast: Cast) -> None:
        original = make_resource(cast.network, cast.member, language="en")
        make_resource(cast.network, cast.member, language="fr", translation_of=original)
        other = make_resource(cast.network, cast.member, language="es")
        with pytest.raises(LibraryError, match="stays their original"):
            resource_update(resource=original, by=cast.steward, translation_of=other)
        original.refresh_from_db()
        assert original.translation_of is None


class StatusRuleTests:
    def test_the_life_cycle_goes_through_review_publication_archive_and_restore(
        self, cast: Cast
    ) -> None:
        resource = make_resource(cast.network, cast.member, status=None)
        for status in ("in_review", "published", "archived", "published"):
            resource_set_status(resource=resource, by=cast.steward, status=status)
            assert resource.status == status
        actions = list(resource.revisions.order_by("number").values_list("action", flat=True))
        assert actions == ["submitted", "in_review", "published", "archived", "restored"]

    @pytest.mark.parametrize(
        ("start", "to"),
        [
            ("published", "submitted"),
            ("archived", "in_review"),
            ("archived", "submitted"),
        ],
    )
    def test_moves_the_life_cycle_does_not_allow_are_refused(
        self, cast: Cast, start: str, to: str
    ) -> None:
        resource = make_resource(cast.network, cast.coordinator, status=start)
        with pytest.raises(StatusChangeNotAllowed, match="cannot become"):
            resource_set_status(resource=resource, by=cast.steward, status=to)
        resource.refresh_from_db()
        assert resource.status == start
        assert resource.revisions.count() == 1

    def test_asking_for_the_status_it_has_is_refused(self, cast: Cast) -> None:
        resource = make_resource(cast.network, cast.coordinator)
        with pytest.raises(StatusChangeNotAllowed, match="already published"):
            resource_set_status(resource=resource, by=cast.steward, status="published")

    def test_an_archived_resource_keeps_its_first_publication_time(self, cast: Cast) -> None:
        resource = make_resource(cast.network, cast.coordinator)
        first = resource.published_at
        resource_set_status(resource=resource, by=cast.steward, status="archived")
        resource_set_status(resource=resource, by=cast.steward, status="published")
        assert resource.published_at == first


class RevisionTests:
    def test_each_change_names_the_fields_that_changed(self, cast: Cast) -> None:
        topic = topic_create(network=cast.network, name="Evaluation")
        resource = make_resource(cast.network, cast.member, status=None)
        resource_update(
            resource=resource,
            by=cast.steward,
            title="A better title",
            summary="Now with a summary",
            topics=[topic],
            note="Tidied",
        )
        revision = resource.revisions.order_by("-number").first()
        assert revision is not None
        assert revision.number == 2 and revision.action == "edited"
        assert sorted(revision.changed) == ["summary", "title", "topics"]
        assert revision.data["title"] == "A better title"
        assert revision.data["topics"] == [topic.pk]
        assert revision.note == "Tidied"
        assert revision.editor == cast.steward
        resource.refresh_from_db()
        assert resource.title == "A better title"

    def test_nothing_changed_writes_no_revision(self, cast: Cast) -> None:
        resource = make_resource(cast.network, cast.member, title="Same")
        resource_update(resource=resource, by=cast.steward, title="Same", topics=[])
        assert resource.revisions.count() == 1

    def test_a_new_link_is_checked_again(self, cast: Cast) -> None:
        resource = make_resource(cast.network, cast.member)
        Resource.objects.filter(pk=resource.pk).update(link_status="broken", link_error="404")
        resource.refresh_from_db()
        resource_update(resource=resource, by=cast.steward, url="https://example.org/moved")
        assert (resource.link_status, resource.link_error) == ("unchecked", "")

    def test_the_year_follows_the_date_of_the_work(self, cast: Cast) -> None:
        resource = make_resource(cast.network, cast.member, publication_date=date(2019, 5, 1))
        assert resource.year == 2019
        resource_update(resource=resource, by=cast.steward, publication_date=date(2021, 1, 2))
        resource.refresh_from_db()
        assert resource.year == 2021

    def test_reverting_brings_the_old_fields_back_as_a_new_revision(self, cast: Cast) -> None:
        organization = make_organization("Old Org")
        resource = make_resource(
            cast.network,
            cast.member,
            title="First title",
            summary="First summary",
            author_organizations=[organization],
        )
        resource_update(
            resource=resource,
            by=cast.steward,
            title="Second title",
            summary="Second summary",
            author_organizations=[],
            kind="tool",
        )
        first = resource.revisions.get(number=1)
        resource_revert(resource=resource, by=cast.coordinator, revision=first)
        resource.refresh_from_db()
        assert (resource.title, resource.summary, resource.kind) == (
            "First title",
            "First summary",
            "report",
        )
        assert list(resource.author_organizations.all()) == [organization]
        latest = resource.revisions.order_by("-number").first()
        assert latest is not None and latest.number == 3
        assert sorted(latest.changed) == ["author_organizations", "kind", "summary", "title"]
        assert latest.note == "Reverted to revision 1."
        assert resource.status == "published"  # the status is not part of a revert

    def test_reverting_to_what_it_already_is_is_refused(self, cast: Cast) -> None:
        resource = make_resource(cast.network, cast.member)
        with pytest.raises(LibraryError, match="already as it was"):
            resource_revert(resource=resource, by=cast.steward, revision=resource.revisions.get())

    def test_a_revision_of_another_resource_cannot_be_used(self, cast: Cast) -> None:
        one = make_resource(cast.network, cast.member)
        other = make_resource(cast.network, cast.member, title="Other")
        with pytest.raises(LibraryError, match="another resource"):
            resource_revert(resource=one, by=cast.steward, revision=other.revisions.get())


class CurationPageTests:
    def test_a_member_submits_through_the_form_and_a_steward_publishes(self, cast: Cast) -> None:
        member = client_for(cast, "member")
        response = member.post(
            reverse("library:submit", args=["cast"]),
            {
                "title": "Field guide to convenings",
                "kind": "guidance",
                "url": "https://example.org/guide",
                "language": "en",
                "summary": "How to run a **convening**.",
                "phases": ["launching"],
                "visibility": "public",
                "publish": "on",  # members cannot publish: ignored
            },
        )
        resource = Resource.objects.get(title="Field guide to convenings")
        assert response.status_code == 302
        assert response["Location"] == reverse("library:resource", args=["cast", resource.pk])
        assert resource.status == "submitted"
        assert resource.submitted_by == cast.member

        steward = client_for(cast, "steward")
        queue = steward.get(reverse("library:review", args=["cast"]))
        assert "Field guide to convenings" in queue.content.decode()
        steward.post(
            reverse("library:resource_status", args=["cast", resource.pk]),
            {"status": "published"},
        )
        resource.refresh_from_db()
        assert resource.status == "published"
        anonymous = client_for(cast, "anonymous").get(
            reverse("library:resource", args=["cast", resource.pk])
        )
        assert "<strong>convening</strong>" in anonymous.content.decode()

    def test_a_curator_publishes_directly_from_the_form(self, cast: Cast) -> None:
        client_for(cast, "steward").post(
            reverse("library:submit", args=["cast"]),
            {
                "title": "Network map guide",
                "kind": "guidance",
                "url": "https://example.org/map",
                "visibility": "network",
                "publish": "on",
            },
        )
        assert Resource.objects.get(title="Network map guide").status == "published"

    def test_a_form_without_link_or_file_says_what_to_give(self, cast: Cast) -> None:
        response = client_for(cast, "member").post(
            reverse("library:submit", args=["cast"]),
            {"title": "Nothing", "kind": "article", "visibility": "network"},
        )
        assert response.status_code == 400
        assert "Give a link to the resource, or upload it as a file." in response.content.decode()
        assert not Resource.objects.exists()

    def test_the_submitter_edits_until_publication_and_not_after(self, cast: Cast) -> None:
        resource = make_resource(cast.network, cast.member, status=None)
        member = client_for(cast, "member")
        edit = reverse("library:resource_edit", args=["cast", resource.pk])
        assert member.get(edit).status_code == 200
        response = member.post(
            edit,
            {
                "title": "Corrected title",
                "kind": "report",
                "url": "https://example.org/report",
                "visibility": "public",
                "note": "typo",
            },
        )
        assert response.status_code == 302
        resource.refresh_from_db()
        assert resource.title == "Corrected title"
        latest = resource.revisions.order_by("-number").first()
        assert latest is not None and latest.changed == ["title"]
        resource_set_status(resource=resource, by=cast.steward, status="published")
        assert member.get(edit).status_code == 403
        # another member never could
        assert client_for(cast, "observer").get(edit).status_code == 403

    def test_a_refused_status_change_comes_back_as_a_message(self, cast: Cast) -> None:
        resource = make_resource(cast.network, cast.coordinator, status="archived")
        response = client_for(cast, "steward").post(
            reverse("library:resource_status", args=["cast", resource.pk]),
            {"status": "in_review"},
            follow=True,
        )
        assert "cannot become in review" in response.content.decode()

    def test_the_history_page_shows_changes_and_reverts(self, cast: Cast) -> None:
        resource = make_resource(cast.network, cast.member, summary="line one\nline two")
        resource_update(
            resource=resource, by=cast.steward, summary="line one\nline 2", title="Renamed"
        )
        steward = client_for(cast, "steward")
        history = steward.get(reverse("library:resource_history", args=["cast", resource.pk]))
        html = history.content.decode()
        assert history.status_code == 200
        assert "Renamed" in html and "line two" in html and "line 2" in html
        first = resource.revisions.get(number=1)
        steward.post(reverse("library:resource_revert", args=["cast", resource.pk, first.pk]))
        resource.refresh_from_db()
        assert resource.title == "A resource"
        assert resource.revisions.count() == 3

    def test_the_review_queue_lists_waiting_resources_in_few_queries(
        self, cast: Cast, django_assert_max_num_queries
    ) -> None:
        topic = topic_create(network=cast.network, name="Evaluation")
        for n in range(12):
            make_resource(
                cast.network, cast.member, title=f"Waiting {n}", status=None, topics=[topic]
            )
        make_resource(cast.network, cast.member, title="Already out")
        steward = client_for(cast, "steward")
        url = reverse("library:review", args=["cast"])
        steward.get(url)
        with django_assert_max_num_queries(14):
            response = steward.get(url)
        html = response.content.decode()
        assert html.count('class="card resource-card"') == 12
        assert "Already out" not in html

    def test_an_empty_queue_says_so(self, cast: Cast) -> None:
        response = client_for(cast, "coordinator").get(reverse("library:review", args=["cast"]))
        assert "Nothing waits for review." in response.content.decode()


class SubmitterHistoryTests:
    """The submitter follows the history of their own submission, but the curators' review-by
    date stays theirs, in the history as in the resource itself."""

    def waiting_with_a_review_date(self, cast: Cast) -> Resource:
        resource = make_resource(cast.network, cast.member, status=None)
        resource_update(resource=resource, by=cast.coordinator, review_by=date(2031, 5, 17))
        return resource

    def test_the_api_history_hides_the_review_date_from_the_submitter(self, cast: Cast) -> None:
        resource = self.waiting_with_a_review_date(cast)
        url = f"/api/v1/networks/cast/resources/{resource.pk}/revisions"
        body = client_for(cast, "member").get(url).json()
        assert [item["data"]["review_by"] for item in body["items"]] == [None, None]
        assert all("review_by" not in item["changed"] for item in body["items"])
        curator = client_for(cast, "coordinator").get(url).json()
        assert curator["items"][0]["data"]["review_by"] == "2031-05-17"
        assert curator["items"][0]["changed"] == ["review_by"]

    def test_the_history_page_hides_the_review_date_from_the_submitter(self, cast: Cast) -> None:
        resource = self.waiting_with_a_review_date(cast)
        url = reverse("library:resource_history", args=["cast", resource.pk])
        assert "2031-05-17" not in client_for(cast, "member").get(url).content.decode()
        assert "2031-05-17" in client_for(cast, "coordinator").get(url).content.decode()
