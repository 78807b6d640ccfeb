"""The demo's resource center: about 300 resources in three languages with their translations,
each with a history that agrees with its state; the topic tree; five feeds with items waiting in
the inbox; everything findable by search; and gone again with `demo_remove`."""

from __future__ import annotations

import itertools
from collections import Counter
from datetime import timedelta

import pytest
from django.contrib.auth.models import AnonymousUser
from django.db import transaction
from django.utils import timezone

from netweave.demo import data
from netweave.demo.load import demo_load, demo_remove
from netweave.library.models import Feed, FeedItem, Resource, ResourceRevision, Topic
from netweave.library.search import SearchQuery, resources_search
from netweave.library.services import SCALAR_FIELDS, add_months, resource_snapshot
from netweave.networks.models import Network
from netweave.networks.permissions import access_for
from netweave.people.models import Membership, Person

pytestmark = pytest.mark.django_db

KINDS = {choice for choice, _label in Resource.Kind.choices}
# A feed item accepted without publishing starts in review, as `ingest.item_accept` makes it.
FIRST_ACTIONS = {"submitted", "published", "imported", "in_review"}
STATUS_OF_ACTION = {"submitted": "submitted", "in_review": "in_review", "published": "published"}


@pytest.fixture(scope="module")
def demo(django_db_setup, django_db_blocker):  # type: ignore[no-untyped-def]
    """The demo, loaded once for this module and rolled back after its last test (each test runs
    in a savepoint of its own inside it)."""
    with django_db_blocker.unblock(), transaction.atomic():
        demo_load()
        yield Network.objects.get(slug="lahp")
        transaction.set_rollback(True)


def lahp_resources() -> list[Resource]:
    return list(
        Resource.objects.filter(network__slug="lahp").prefetch_related(
            "topics", "author_people", "author_organizations", "revisions"
        )
    )


class DemoResourcesTests:
    def test_there_are_about_300_resources_mostly_english_with_french_and_spanish(self, demo):
        resources = lahp_resources()
        languages = Counter(r.language for r in resources)
        assert 280 <= len(resources) <= 300
        assert Resource.objects.filter(network__slug="vdan").count() >= 8
        assert set(languages) == {"en", "fr", "es"}
        assert languages["en"] > len(resources) / 2
        assert languages["fr"] >= 40 and languages["es"] >= 40
        assert {r.kind for r in resources} == KINDS

    def test_translations_say_the_same_in_another_language(self, demo):
        translations = list(
            Resource.objects.filter(network=demo, translation_of__isnull=False).select_related(
                "translation_of"
            )
        )
        originals = {t.translation_of_id for t in translations}
        assert 25 <= len(originals) <= 35 and len(translations) >= 35
        triples = [
            o for o, n in Counter(t.translation_of_id for t in translations).items() if n == 2
        ]
        assert len(triples) >= 8
        for translation in translations:
            original = translation.translation_of
            assert original.translation_of_id is None  # all point at the original
            assert original.language != translation.language
            assert original.kind == translation.kind
            assert set(original.topics.values_list("pk", flat=True)) == set(
                translation.topics.values_list("pk", flat=True)
            )
            assert original.title != translation.title and original.url != translation.url
        languages = Counter(
            (t.translation_of.language, t.language) for t in translations
        )  # originals in French and Spanish too
        assert languages[("fr", "en")] and languages[("es", "en")] and languages[("en", "fr")]

    def test_statuses_follow_the_brief(self, demo):
        statuses = Counter(Resource.objects.filter(network=demo).values_list("status", flat=True))
        assert 245 <= statuses["published"] <= 265
        assert 12 <= statuses["submitted"] <= 18
        assert 6 <= statuses["in_review"] <= 10
        assert 8 <= statuses["archived"] <= 12

    def test_the_member_account_has_a_submission_waiting(self, demo):
        member = Person.objects.get(email=data.MEMBER_EMAIL)
        waiting = Resource.objects.get(network=demo, status="submitted", submitted_by=member)
        assert member in waiting.author_people.all()
        assert waiting.revisions.get(number=1).editor == member

    def test_published_resources_are_spread_over_three_years_ten_this_month(self, demo):
        published = Resource.objects.filter(network=demo, status="published")
        assert not published.filter(published_at__isnull=True).exists()
        assert not published.filter(review_by__isnull=True).exists()
        now = timezone.now()
        assert not Resource.objects.filter(published_at__gt=now).exists()
        month_start = timezone.localdate().replace(day=1)
        this_month = published.filter(published_at__date__gte=month_start).count()
        assert 8 <= this_month <= 13
        oldest = published.order_by("published_at").first().published_at
        assert now - timedelta(days=3 * 365 + 40) <= oldest <= now - timedelta(days=2 * 365)

    def test_about_a_dozen_are_past_their_review_date_and_six_links_are_broken(self, demo):
        today = timezone.localdate()
        stale = Resource.objects.filter(network=demo, status="published", review_by__lt=today)
        assert 10 <= stale.count() <= 14
        broken = Resource.objects.filter(network=demo, link_status="broken")
        assert broken.count() == 6
        for resource in broken:
            assert resource.link_error and resource.link_checked_at
            link = resource.revisions.get(action="link")
            assert link.changed == ["link_status"] and link.note == resource.link_error
        links = Counter(Resource.objects.filter(network=demo).values_list("link_status", flat=True))
        assert links["ok"] > 200 and links["unchecked"] >= 15
        unchecked = Resource.objects.filter(network=demo, link_status="unchecked")
        assert not unchecked.filter(link_checked_at__isnull=False).exists()

    def test_visibility_is_mostly_public_and_network_with_a_few_for_coordinators(self, demo):
        visibility = Counter(
            Resource.objects.filter(network=demo).values_list("visibility", flat=True)
        )
        assert visibility["public"] > visibility["network"] > visibility["coordinators"] >= 4

    def test_every_resource_has_topics_phases_of_the_model_and_authors_who_are_members(self, demo):
        members = set(Membership.objects.filter(network=demo).values_list("person_id", flat=True))
        phases = set(demo.phase_model)
        for resource in lahp_resources():
            assert resource.topics.all(), resource
            assert all(t.network_id == demo.pk for t in resource.topics.all())
            assert set(resource.phases) <= phases
            people = resource.author_people.all()
            assert people or resource.author_organizations.all() or resource.other_authors
            assert {p.pk for p in people} <= members
            assert resource.url.startswith("https://") and resource.title and resource.summary

    def test_titles_and_addresses_are_unique(self, demo):
        rows = list(Resource.objects.filter(network=demo).values_list("title", "url"))
        assert len({t.lower() for t, _u in rows}) == len(rows)
        assert len({u for _t, u in rows}) == len(rows)

    def test_the_topic_tree_has_two_levels_of_the_networks_field(self, demo):
        topics = list(Topic.objects.filter(network=demo))
        roots = [t for t in topics if t.parent_id is None]
        assert 12 <= len(topics) <= 20 and 4 <= len(roots) <= 8
        root_ids = {t.pk for t in roots}
        assert all(t.parent_id is None or t.parent_id in root_ids for t in topics)
        names = " ".join(t.name.lower() for t in topics)
        assert "injectables" in names and "adolescent girls" in names and "regulatory" in names


class DemoHistoryTests:
    def test_every_resource_starts_at_revision_1_and_its_history_ends_in_its_state(self, demo):
        for resource in Resource.objects.filter(network__slug__in=["lahp", "vdan"]):
            revisions = list(resource.revisions.order_by("number"))
            assert [r.number for r in revisions] == list(range(1, len(revisions) + 1))
            assert revisions[0].action in FIRST_ACTIONS
            assert revisions[0].created_at == resource.created_at
            times = [r.created_at for r in revisions]
            assert times == sorted(times), resource
            assert revisions[-1].data == resource_snapshot(resource), resource
            assert all(r.network_id == resource.network_id for r in revisions)

    def test_each_revision_names_the_fields_that_changed(self, demo):
        edited = 0
        for resource in Resource.objects.filter(network=demo).prefetch_related("revisions"):
            revisions = sorted(resource.revisions.all(), key=lambda r: r.number)
            for before, after in itertools.pairwise(revisions):
                differs = {name for name in after.data if after.data[name] != before.data[name]}
                if after.action == "link":
                    assert differs == set() and after.changed == ["link_status"]
                    continue
                assert differs == set(after.changed), (resource, after.number, after.action)
                if after.action == "edited":
                    edited += 1
                    assert after.changed and set(after.changed) <= {*SCALAR_FIELDS, "topics"}
                elif after.action in STATUS_OF_ACTION:
                    assert after.data["status"] == STATUS_OF_ACTION[after.action]
            for revision in revisions:
                if revision.action in STATUS_OF_ACTION:
                    assert revision.data["status"] == STATUS_OF_ACTION[revision.action]
        assert edited >= 150  # reviews, and edits of titles, summaries, topics and more

    def test_published_ones_went_through_curation_and_archived_ones_say_why(self, demo):
        actions = Counter(
            ResourceRevision.objects.filter(network=demo).values_list("action", flat=True)
        )
        assert actions["submitted"] >= 80 and actions["in_review"] >= 40
        assert actions["archived"] == 10
        imported = ResourceRevision.objects.filter(network__slug="vdan", action="imported")
        assert imported.count() >= 8 and all(r.note.startswith("Imported from") for r in imported)
        for revision in ResourceRevision.objects.filter(network=demo, action="archived"):
            assert revision.note and revision.resource.status == "archived"
        for resource in Resource.objects.filter(network=demo, status="published"):
            first = resource.revisions.get(number=1)
            if first.action == "submitted":
                assert first.editor_id == resource.submitted_by_id
                assert resource.revisions.filter(action="published").exists()

    def test_reviews_renew_the_review_date_a_year_ahead(self, demo):
        reviews = ResourceRevision.objects.filter(network=demo, changed=["review_by"])
        assert reviews.count() >= 100
        for review in reviews:
            reviewed = timezone.localtime(review.created_at).date()
            assert review.data["review_by"] == add_months(reviewed, 12).isoformat(), review


class DemoFeedsTests:
    def test_five_feeds_with_items_most_in_the_inbox(self, demo):
        feeds = list(Feed.objects.filter(network=demo))
        assert len(feeds) == 5
        now = timezone.now()
        for feed in feeds:
            items = feed.items.all()
            assert 8 <= items.count() <= 20
            assert items.filter(status="new").exists()
            assert feed.last_fetched_at < now < feed.next_fetch_at  # nothing is due at once
            assert all(item.fetched_at <= feed.last_fetched_at for item in items)
        failing = [f for f in feeds if f.last_status == "error"]
        assert len(failing) == 1 and failing[0].last_error and failing[0].failures
        statuses = Counter(FeedItem.objects.filter(network=demo).values_list("status", flat=True))
        assert statuses["new"] >= 30 and statuses["accepted"] >= 10 and statuses["dismissed"] >= 10

    def test_items_are_unique_per_feed_and_link_and_decisions_are_recorded(self, demo):
        items = list(FeedItem.objects.filter(network=demo).select_related("resource", "feed"))
        links = [item.link for item in items]
        assert len(set(links)) == len(links)
        assert len({(item.feed_id, item.guid) for item in items}) == len(items)
        for item in items:
            assert item.published_at <= item.fetched_at
            if item.status == "new":
                assert item.decided_at is None and item.resource is None
                continue
            assert item.decided_by and item.decided_at and item.decided_at >= item.fetched_at
            if item.status == "accepted":
                resource = item.resource
                assert resource.url == item.link and resource.title == item.title
                first = resource.revisions.get(number=1)
                assert first.action == resource.status in ("published", "in_review")
                assert first.note == f"From the feed “{item.feed.title}”."
                assert first.created_at == item.decided_at == resource.created_at
                if resource.status == "published":
                    assert resource.published_at == item.decided_at
            else:
                assert item.resource is None


class DemoSearchTests:
    def test_every_resource_is_found_by_its_title(self, demo):
        lead = Person.objects.get(email=data.COORDINATOR_EMAIL)
        statuses = [choice for choice, _label in Resource.Status.choices]
        for network in Network.objects.filter(slug__in=["lahp", "vdan"]):
            access = access_for(lead.user, network)
            for resource in Resource.objects.filter(network=network):
                found = resources_search(
                    access=access,
                    query=SearchQuery(text=resource.title),
                    statuses=statuses,
                    per_page=100,
                )
                assert resource.pk in {hit.resource.pk for hit in found.hits}, resource.title

    def test_a_visitor_finds_public_resources_by_topic_and_language(self, demo):
        access = access_for(AnonymousUser(), demo)
        found = resources_search(access=access, query=SearchQuery(languages=["fr"]))
        public_french = Resource.objects.filter(
            network=demo, status="published", visibility="public", language="fr"
        ).count()
        assert found.total == public_french > 20
        facets = {facet.value for facet in found.facets["topic"]}
        assert "stigma" in facets or "demand-creation" in facets


class DemoLibraryRemoveTests:
    def test_demo_remove_removes_the_library_rows(self, demo):
        demo_remove()
        assert not Network.objects.filter(slug__in=["lahp", "vdan"]).exists()
        for model in (Resource, ResourceRevision, Topic, Feed, FeedItem):
            assert not model.objects.exists(), model
