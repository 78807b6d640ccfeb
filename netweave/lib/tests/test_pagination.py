import pytest

from netweave.lib.pagination import CappedPaginator
from netweave.lib.testing import make_member
from netweave.people.models import Membership


@pytest.mark.django_db
class CappedPaginatorTests:
    def test_it_counts_exactly_below_the_cap_and_stops_above_it(self, cast):
        for i in range(6):
            make_member(cast.network, name=f"Extra {i}")
        memberships = Membership.objects.filter(network=cast.network).order_by("sort_name")

        exact = CappedPaginator(memberships, 4)
        assert (exact.count, exact.capped, exact.num_pages) == (10, False, 3)

        capped = CappedPaginator(memberships, 4)
        capped.cap = 5
        assert (capped.count, capped.capped, capped.num_pages) == (5, True, 2)
        assert [m.sort_name for m in capped.page(2)] == [m.sort_name for m in memberships[4:5]]

    def test_the_directory_says_more_than_when_it_stops_counting(self, cast, client, monkeypatch):
        monkeypatch.setattr(CappedPaginator, "cap", 3)
        client.force_login(cast.member.user)
        assert "More than 3 members" in client.get("/n/cast/members/").content.decode()
