"""Atom feeds of newly published resources, for a network and for one topic.

A feed reader is anonymous, so the feeds hold only what an anonymous visitor may see: published
resources with public visibility (none for a private network). The views in views.py check that
the network exists for the visitor before these run."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django.contrib.auth.models import AnonymousUser
from django.contrib.syndication.views import Feed
from django.db.models import Prefetch, QuerySet
from django.http import HttpRequest
from django.urls import reverse
from django.utils.feedgenerator import Atom1Feed
from django.utils.translation import gettext as _

from netweave.lib.markdown import render_markdown
from netweave.library.models import Resource, Topic
from netweave.library.selectors import resources_visible_to, topic_descendant_ids
from netweave.networks.models import Network
from netweave.networks.permissions import access_for
from netweave.people.models import Organization, Person

FEED_ITEMS = 50


def public_resources(network: Network) -> QuerySet[Resource]:
    """What an anonymous visitor may see, newest first, with what an entry shows."""
    access = access_for(AnonymousUser(), network)
    return (
        resources_visible_to(access)
        .select_related("network")
        .prefetch_related(
            Prefetch("topics", queryset=Topic.objects.order_by("name")),
            Prefetch("author_people", queryset=Person.objects.order_by("name")),
            Prefetch("author_organizations", queryset=Organization.objects.order_by("name")),
        )
        .order_by("-published_at", "-pk")
    )


class NetworkResourcesFeed(Feed):  # type: ignore[type-arg]
    feed_type = Atom1Feed

    def get_object(self, request: HttpRequest, *args: Any, **kwargs: Any) -> Any:
        self.request = request
        return kwargs

    def title(self, obj: dict[str, Any]) -> str:
        return _("%(network)s: new resources") % {"network": obj["network"].name}

    def subtitle(self, obj: dict[str, Any]) -> str:
        return _("Resources newly published in the resource center of %(network)s.") % {
            "network": obj["network"].name
        }

    def link(self, obj: dict[str, Any]) -> str:
        return reverse("library:browse", args=[obj["network"].slug])

    def feed_url(self, obj: dict[str, Any]) -> str:
        return reverse("library:atom", args=[obj["network"].slug])

    def items(self, obj: dict[str, Any]) -> list[Resource]:
        return list(public_resources(obj["network"])[:FEED_ITEMS])

    def item_title(self, item: Resource) -> str:
        return item.title

    def item_description(self, item: Resource) -> str:
        return str(render_markdown(item.summary))

    def item_link(self, item: Resource) -> str:
        return reverse("library:resource", args=[item.network.slug, item.pk])

    def item_guid(self, item: Resource) -> str:
        return self.request.build_absolute_uri(self.item_link(item))

    def item_pubdate(self, item: Resource) -> datetime | None:
        return item.published_at

    def item_updateddate(self, item: Resource) -> datetime | None:
        return item.updated_at

    def item_author_name(self, item: Resource) -> str:
        names = [person.name for person in item.author_people.all()]
        names += [organization.name for organization in item.author_organizations.all()]
        if item.other_authors:
            names.append(item.other_authors)
        return ", ".join(names)

    def item_categories(self, item: Resource) -> list[str]:
        return [topic.name for topic in item.topics.all()]

    def item_enclosures(self, item: Resource) -> list[Any]:
        from django.utils.feedgenerator import Enclosure

        if not item.file:
            return []
        url = self.request.build_absolute_uri(
            reverse("library:resource_file", args=[item.network.slug, item.pk])
        )
        return [Enclosure(url, str(item.file_size or 0), item.file_type or "")]


class TopicResourcesFeed(NetworkResourcesFeed):
    def title(self, obj: dict[str, Any]) -> str:
        return _("%(network)s: new resources on %(topic)s") % {
            "network": obj["network"].name,
            "topic": obj["topic"].name,
        }

    def subtitle(self, obj: dict[str, Any]) -> str:
        return _("Resources newly published on %(topic)s (and its sub-topics).") % {
            "topic": obj["topic"].name
        }

    def link(self, obj: dict[str, Any]) -> str:
        return reverse("library:topic", args=[obj["network"].slug, obj["topic"].slug])

    def feed_url(self, obj: dict[str, Any]) -> str:
        return reverse("library:topic_atom", args=[obj["network"].slug, obj["topic"].slug])

    def items(self, obj: dict[str, Any]) -> list[Resource]:
        topics = topic_descendant_ids(obj["topic"])
        through = Resource.topics.through.objects.filter(topic_id__in=topics)
        rows = public_resources(obj["network"]).filter(pk__in=through.values("resource_id"))
        return list(rows[:FEED_ITEMS])
