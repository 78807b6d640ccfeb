"""Permission entries, URL parameter fillers and rows for the walk (see permission_areas.py):
the resource center (resources, curation, revisions, uploads, topics, Atom feeds).

The walk's resource is published and public, with a link and a file, submitted by the plain
member, in a topic of its own: everyone who may see the network reads it and downloads its file,
and only curators change it (its submitter could only while it was unpublished)."""

from __future__ import annotations

from typing import Any

from django.core.files.base import ContentFile

from netweave.library.models import Resource
from netweave.library.services import resource_create, topic_create
from netweave.tests.perm_rules import Who
from netweave.tests.permission_table import ApiOp, Page, Row

PDF = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"

# Rows named in URLs: another network's are not found through this network's URLs.
OBJECT_PARAMS = {"resource_id", "revision_id", "topic_slug", "topic_id"}

PAGES: dict[str, Page] = {
    # public resources: anyone who may see the network (each visitor sees what they may)
    "library:browse": Page(Row.PUBLIC, get=Who.EVERYONE, post=Who.NO_ONE),
    "library:new": Page(Row.PUBLIC, get=Who.EVERYONE, post=Who.NO_ONE),
    "library:resource": Page(Row.PUBLIC, get=Who.EVERYONE, post=Who.NO_ONE),
    "library:resource_file": Page(Row.PUBLIC, get=Who.EVERYONE, post=Who.NO_ONE),
    "library:topic": Page(Row.PUBLIC, get=Who.EVERYONE, post=Who.NO_ONE),
    "library:topics": Page(
        Row.PUBLIC,
        get=Who.EVERYONE,
        post=Who.STEWARD_UP,
        note="everyone reads the tree; curators add topics to it (POST)",
    ),
    "library:atom": Page(Row.PUBLIC, get=Who.EVERYONE, post=Who.NO_ONE),
    "library:topic_atom": Page(Row.PUBLIC, get=Who.EVERYONE, post=Who.NO_ONE),
    # members contribute resources and follow their own submissions
    "library:submit": Page(Row.OWN_EGO, get=Who.MEMBER_UP, post=Who.MEMBER_UP),
    "library:mine": Page(Row.OWN_EGO, get=Who.MEMBER_UP, post=Who.NO_ONE),
    "library:resource_edit": Page(
        Row.SETTINGS,
        get=Who.STEWARD_UP,
        post=Who.STEWARD_UP,
        note="curators; the member who submitted a resource, only while it is unpublished "
        "(the walk's resource is published)",
    ),
    "library:resource_history": Page(
        Row.SETTINGS,
        get=Who.STEWARD_UP,
        post=Who.NO_ONE,
        note="curators; the submitter while the resource is unpublished",
    ),
    # curation ("partly" for stewards: they curate)
    "library:resource_status": Page(Row.SETTINGS, get=Who.NO_ONE, post=Who.STEWARD_UP),
    "library:resource_reviewed": Page(Row.SETTINGS, get=Who.NO_ONE, post=Who.STEWARD_UP),
    "library:resource_check": Page(Row.SETTINGS, get=Who.NO_ONE, post=Who.STEWARD_UP),
    "library:resource_revert": Page(Row.SETTINGS, get=Who.NO_ONE, post=Who.STEWARD_UP),
    "library:review": Page(Row.SETTINGS, get=Who.STEWARD_UP, post=Who.NO_ONE),
    "library:attention": Page(Row.SETTINGS, get=Who.STEWARD_UP, post=Who.NO_ONE),
    "library:topic_edit": Page(Row.SETTINGS, get=Who.STEWARD_UP, post=Who.STEWARD_UP),
    "library:topic_delete": Page(Row.SETTINGS, get=Who.NO_ONE, post=Who.STEWARD_UP),
}

API: dict[str, ApiOp] = {
    "resources_list": ApiOp(Row.PUBLIC, Who.EVERYONE),
    "resources_read": ApiOp(Row.PUBLIC, Who.EVERYONE),
    "topics_list": ApiOp(Row.PUBLIC, Who.EVERYONE),
    "resources_create": ApiOp(Row.OWN_EGO, Who.MEMBER_UP, note="members submit; curators add"),
    "resources_update": ApiOp(
        Row.SETTINGS,
        Who.STEWARD_UP,
        body={"summary": "Checked by the walk."},
        note="curators; the submitter while unpublished (the walk's resource is published)",
    ),
    "resources_set_status": ApiOp(Row.SETTINGS, Who.STEWARD_UP, body={"status": "archived"}),
    "resources_revisions": ApiOp(Row.SETTINGS, Who.STEWARD_UP),
    "resources_upload": ApiOp(
        Row.SETTINGS, Who.STEWARD_UP, note="without a file part: 400 past the permission check"
    ),
    "topics_create": ApiOp(Row.SETTINGS, Who.STEWARD_UP, body={"name": "Walk topic two"}),
    "topics_update": ApiOp(Row.SETTINGS, Who.STEWARD_UP, body={"description": "Walked."}),
    "topics_delete": ApiOp(
        Row.SETTINGS, Who.STEWARD_UP, note="the walk's topic has a resource: 409 for curators"
    ),
}

FILLERS: dict[str, Any] = {
    "resource_id": lambda w, role: w.extras["library_resource"].pk,
    "revision_id": lambda w, role: w.extras["library_revision"].pk,
    "topic_slug": lambda w, role: w.extras["library_topic"].slug,
    "topic_id": lambda w, role: w.extras["library_topic"].pk,
}


def build(cast: Any, network: Any, person: Any, other: Any) -> dict[str, Any]:
    topic = topic_create(network=network, name=f"Walk topic {network.slug}")
    resource = resource_create(
        network=network,
        by=person,
        title="Walk resource",
        kind=Resource.Kind.REPORT,
        url=f"https://{network.slug}.example.invalid/walk-report",
        file=ContentFile(PDF, name="walk-report.pdf"),
        summary="A report the permission walk reads.",
        topics=[topic],
        visibility="public",
        status=Resource.Status.PUBLISHED,
    )
    return {
        "library_topic": topic,
        "library_resource": resource,
        "library_revision": resource.revisions.get(number=1),
    }
