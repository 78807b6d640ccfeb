"""Pagination for lists that can be very long."""

from __future__ import annotations

from functools import cached_property

from django.core.paginator import Paginator


class CappedPaginator(Paginator):  # type: ignore[type-arg]
    """Counts at most `cap` rows: an exact count of 60,000 matches costs a full pass over them on
    every page, and "more than 10,000" tells a reader as much. `capped` says whether it stopped.

    Page links beyond the cap are not offered; a narrower search reaches those rows."""

    cap = 10_000

    @cached_property
    def _counted(self) -> int:
        queryset = self.object_list
        return int(queryset.order_by()[: self.cap + 1].count())  # type: ignore[attr-defined]

    @cached_property
    def count(self) -> int:  # type: ignore[override]
        return min(self._counted, self.cap)

    @property
    def capped(self) -> bool:
        return self._counted > self.cap
