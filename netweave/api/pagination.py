"""Pages of results: `?page=2&page_size=100` in, `{items, count, page, pages, page_size}` out.

Endpoints paginate a queryset with `paginate(queryset, paging, serialize)`; `serialize` turns one
row into its output schema, so what each viewer sees stays decided in the endpoint."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from math import ceil
from typing import Any, Generic, TypeVar

from django.db.models import QuerySet
from ninja import Field, Schema

PAGE_SIZE = 50
MAX_PAGE_SIZE = 200

T = TypeVar("T")


class PageIn(Schema):
    page: int = Field(1, ge=1, description="1 for the first page.")
    page_size: int = Field(
        PAGE_SIZE, ge=1, le=MAX_PAGE_SIZE, description=f"At most {MAX_PAGE_SIZE}."
    )


class Page(Schema, Generic[T]):
    items: list[T]
    count: int = Field(..., description="Items on all pages together.")
    page: int
    pages: int = Field(..., description="Number of pages (at least 1).")
    page_size: int


def paginate(
    queryset: QuerySet[Any] | Sequence[Any], paging: PageIn, serialize: Callable[[Any], T]
) -> dict[str, Any]:
    """One page of `queryset`: a COUNT and one query for the rows (plus the queryset's own
    prefetches). A page past the end is empty, not an error."""
    count = queryset.count() if isinstance(queryset, QuerySet) else len(queryset)
    size = paging.page_size
    offset = (paging.page - 1) * size
    rows = list(queryset[offset : offset + size]) if offset < count else []
    return {
        "items": [serialize(row) for row in rows],
        "count": count,
        "page": paging.page,
        "pages": max(1, ceil(count / size)),
        "page_size": size,
    }
