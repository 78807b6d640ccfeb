"""Helpers shared by the resource center's tests (this module holds no tests)."""

from __future__ import annotations

from typing import Any

from django.core.files.base import ContentFile

from netweave.library.models import Resource
from netweave.library.services import resource_create
from netweave.networks.models import Network
from netweave.people.models import Person

PDF = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64


def pdf(name: str = "report.pdf", content: bytes = PDF) -> ContentFile:
    return ContentFile(content, name=name)


def make_resource(
    network: Network,
    by: Person | None = None,
    *,
    title: str = "A resource",
    status: str | None = Resource.Status.PUBLISHED,
    visibility: str = "public",
    kind: str = Resource.Kind.REPORT,
    url: str = "https://example.org/report",
    **fields: Any,
) -> Resource:
    return resource_create(
        network=network,
        by=by,
        title=title,
        kind=kind,
        url=url,
        visibility=visibility,
        status=status,
        **fields,
    )
