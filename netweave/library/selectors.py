"""Reads of the resource center. Every read filters by network and by what the viewer may see."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from django.db.models import Count, F, Prefetch, Q, QuerySet
from django.http import Http404
from django.utils import timezone

from netweave.library.models import Resource, ResourceRevision, Topic, Visibility
from netweave.networks.permissions import Access, Capability
from netweave.people.models import Organization, Person


def visibilities_for(access: Access) -> list[str]:
    """The visibilities whose rows `access` may see: the public ones for everyone, network rows
    for observers and up, and the curators' own rows for those who curate."""
    if not access.can(Capability.VIEW_PUBLIC):
        return []
    if access.can(Capability.CURATE):
        return [Visibility.PUBLIC, Visibility.NETWORK, Visibility.COORDINATORS]
    if access.can(Capability.VIEW_DIRECTORY):
        return [Visibility.PUBLIC, Visibility.NETWORK]
    return [Visibility.PUBLIC]


def resources_visible_to(access: Access) -> QuerySet[Resource]:
    """Published resources of the network that `access` may see (curators see unpublished ones
    through the curation selectors, not here)."""
    return Resource.objects.filter(
        network=access.network,
        status=Resource.Status.PUBLISHED,
        visibility__in=visibilities_for(access),
    )


# --- one resource --------------------------------------------------------------------------------


def is_submitter(access: Access, resource: Resource) -> bool:
    return (
        access.person is not None
        and resource.submitted_by_id == access.person.pk
        and access.can(Capability.VIEW_OWN_EGO)
    )


def can_see_resource(access: Access, resource: Resource) -> bool:
    """Published resources by their visibility; curators everything; members their own
    submissions that are not published (yet, or any more)."""
    if resource.network_id != access.network.pk or not access.can(Capability.VIEW_PUBLIC):
        return False
    if access.can(Capability.CURATE):
        return True
    if resource.status == Resource.Status.PUBLISHED:
        return resource.visibility in visibilities_for(access)
    return is_submitter(access, resource)


def can_edit_resource(access: Access, resource: Resource) -> bool:
    """Curators edit any resource; the member who submitted it, until it is published."""
    if resource.network_id != access.network.pk:
        return False
    if access.can(Capability.CURATE):
        return True
    return is_submitter(access, resource) and resource.status in (
        Resource.Status.SUBMITTED,
        Resource.Status.IN_REVIEW,
    )


def resource_for_viewer(*, access: Access, resource_id: int) -> Resource:
    """One resource of the network that the viewer may see, with what its page shows; a 404
    otherwise (the same as a resource that does not exist, so nothing leaks)."""
    resource = (
        Resource.objects.filter(network=access.network, pk=resource_id)
        .select_related("network", "submitted_by", "translation_of")
        .prefetch_related(
            Prefetch("topics", queryset=Topic.objects.order_by("name")),
            Prefetch("author_people", queryset=Person.objects.order_by("name")),
            Prefetch("author_organizations", queryset=Organization.objects.order_by("name")),
        )
        .first()
    )
    if resource is None or not can_see_resource(access, resource):
        raise Http404
    return resource


def translations_of(*, access: Access, resource: Resource) -> list[Resource]:
    """The other language versions of `resource` (its original and the original's other
    translations) that the viewer may see."""
    root = resource.translation_of_id or resource.pk
    rows = (
        Resource.objects.filter(network=access.network)
        .filter(Q(pk=root) | Q(translation_of_id=root))
        .exclude(pk=resource.pk)
        .order_by("language", "title")
    )
    return [row for row in rows if can_see_resource(access, row)]


def revisions_for(*, resource: Resource) -> QuerySet[ResourceRevision]:
    return ResourceRevision.objects.filter(resource=resource).select_related("editor")


# What a revision keeps that only curators see (the resource's own API and page hide them too).
CURATOR_ONLY_FIELDS = frozenset({"review_by", "link_status"})


def revision_for_viewer(access: Access, revision: ResourceRevision) -> ResourceRevision:
    """The revision as the viewer may see it: for anyone but a curator, the curators' fields
    are blanked in its data and left out of the fields it changed (in memory, not saved)."""
    if access.can(Capability.CURATE):
        return revision
    revision.data = {
        name: None if name in CURATOR_ONLY_FIELDS else value
        for name, value in (revision.data or {}).items()
    }
    revision.changed = [name for name in revision.changed or [] if name not in CURATOR_ONLY_FIELDS]
    return revision


# --- lists ---------------------------------------------------------------------------------------


def _listed(rows: QuerySet[Resource]) -> QuerySet[Resource]:
    """What a list of resources shows for each row, in a fixed number of queries."""
    return rows.select_related("submitted_by").prefetch_related(
        Prefetch("topics", queryset=Topic.objects.order_by("name"))
    )


def latest_resources(*, access: Access, limit: int = 5) -> list[Resource]:
    """The newest published resources the viewer may see (the network's home page)."""
    if not access.can(Capability.VIEW_PUBLIC):
        return []
    return list(_listed(resources_visible_to(access)).order_by("-published_at", "-pk")[:limit])


def month_bounds(year: int, month: int) -> tuple[datetime, datetime]:
    """The first moment of the month and of the next, in the current time zone."""
    start = timezone.make_aware(datetime(year, month, 1))
    following = datetime(year + (month == 12), month % 12 + 1, 1)
    return start, timezone.make_aware(following)


def resources_published_in(*, access: Access, year: int, month: int) -> QuerySet[Resource]:
    """Resources first published in that month, newest first ("new this month")."""
    start, end = month_bounds(year, month)
    rows = resources_visible_to(access).filter(published_at__gte=start, published_at__lt=end)
    return _listed(rows).order_by("-published_at", "-pk")


def resources_for_review(*, access: Access) -> QuerySet[Resource]:
    """The curation queue: submitted and in-review resources, oldest first."""
    access.require(Capability.CURATE)
    rows = Resource.objects.filter(
        network=access.network,
        status__in=[Resource.Status.SUBMITTED, Resource.Status.IN_REVIEW],
    )
    return _listed(rows).order_by("created_at", "pk")


def resources_needing_attention(*, access: Access, today: date | None = None) -> QuerySet[Resource]:
    """Published and in-review resources whose review-by date has passed or whose link is
    broken; the longest overdue first."""
    access.require(Capability.CURATE)
    today = today or timezone.localdate()
    rows = Resource.objects.filter(
        network=access.network,
        status__in=[Resource.Status.PUBLISHED, Resource.Status.IN_REVIEW],
    ).filter(Q(review_by__lt=today) | Q(link_status=Resource.LinkStatus.BROKEN))
    return _listed(rows).order_by(F("review_by").asc(nulls_last=True), "pk")


def submissions_of(*, access: Access) -> QuerySet[Resource]:
    """The viewer's own submissions, newest first, whatever their status."""
    access.require(Capability.VIEW_OWN_EGO)
    if access.person is None:
        return Resource.objects.none()
    rows = Resource.objects.filter(network=access.network, submitted_by=access.person)
    return _listed(rows).order_by("-created_at", "-pk")


def curation_counts(*, access: Access, today: date | None = None) -> dict[str, int]:
    """How many resources wait in the review queue and need attention (for the tabs)."""
    if not access.can(Capability.CURATE):
        return {}
    today = today or timezone.localdate()
    rows = Resource.objects.filter(network=access.network)
    return rows.aggregate(
        review=Count(
            "pk", filter=Q(status__in=[Resource.Status.SUBMITTED, Resource.Status.IN_REVIEW])
        ),
        attention=Count(
            "pk",
            filter=Q(status__in=[Resource.Status.PUBLISHED, Resource.Status.IN_REVIEW])
            & (Q(review_by__lt=today) | Q(link_status=Resource.LinkStatus.BROKEN)),
        ),
    )


# --- topics --------------------------------------------------------------------------------------


@dataclass
class TopicNode:
    topic: Topic
    depth: int
    count: int  # resources the viewer may see, in this topic or below it


def topic_tree(*, access: Access) -> list[TopicNode]:
    """The network's topic tree in reading order (depth first), each node with the number of
    resources the viewer may see in it and its sub-topics. Two queries."""
    topics = list(Topic.objects.filter(network=access.network).order_by("position", "name"))
    direct: dict[int, set[int]] = {}
    links = Resource.topics.through.objects.filter(
        resource_id__in=resources_visible_to(access).values("pk"),
        topic__network=access.network,
    ).values_list("topic_id", "resource_id")
    for topic_id, resource_id in links:
        direct.setdefault(topic_id, set()).add(resource_id)
    children: dict[int | None, list[Topic]] = {}
    known = {topic.pk for topic in topics}
    for topic in topics:
        parent = topic.parent_id if topic.parent_id in known else None
        children.setdefault(parent, []).append(topic)
    nodes: list[TopicNode] = []

    def walk(parent: int | None, depth: int, seen: set[int]) -> set[int]:
        found: set[int] = set()
        for topic in children.get(parent, []):
            if topic.pk in seen:  # a cycle written around the services: stop, do not loop
                continue
            node = TopicNode(topic=topic, depth=depth, count=0)
            nodes.append(node)
            inside = set(direct.get(topic.pk, set())) | walk(topic.pk, depth + 1, seen | {topic.pk})
            node.count = len(inside)
            found |= inside
        return found

    walk(None, 0, set())
    return nodes


def topic_for_viewer(*, access: Access, slug: str) -> Topic:
    topic = Topic.objects.filter(network=access.network, slug=slug).select_related("parent").first()
    if topic is None or not access.can(Capability.VIEW_PUBLIC):
        raise Http404
    return topic


def topic_descendant_ids(topic: Topic) -> list[int]:
    """The topic and every topic below it (one query)."""
    pairs = list(Topic.objects.filter(network_id=topic.network_id).values_list("pk", "parent_id"))
    children: dict[int, list[int]] = {}
    for pk, parent in pairs:
        if parent is not None:
            children.setdefault(parent, []).append(pk)
    found: list[int] = []
    stack = [topic.pk]
    while stack:
        pk = stack.pop()
        if pk in found:
            continue
        found.append(pk)
        stack.extend(children.get(pk, []))
    return found


def topic_ancestors(topic: Topic) -> list[Topic]:
    """From the root down to the topic's parent (for breadcrumbs); one query."""
    by_id = {t.pk: t for t in Topic.objects.filter(network_id=topic.network_id)}
    chain: list[Topic] = []
    node = by_id.get(topic.parent_id) if topic.parent_id else None
    while node is not None and node not in chain and node.pk != topic.pk:
        chain.append(node)
        node = by_id.get(node.parent_id) if node.parent_id else None
    return list(reversed(chain))


def topic_resources(*, access: Access, topic: Topic) -> QuerySet[Resource]:
    """Published resources the viewer may see in the topic or below it, newest first."""
    ids = topic_descendant_ids(topic)
    through = Resource.topics.through.objects.filter(topic_id__in=ids).values("resource_id")
    rows = resources_visible_to(access).filter(pk__in=through)
    return _listed(rows).order_by("-published_at", "-pk")
