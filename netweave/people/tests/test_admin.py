import pytest

from netweave.accounts.models import User
from netweave.lib.testing import make_member, make_organization
from netweave.people.models import Person


@pytest.mark.django_db
class PersonAdminTests:
    def test_it_makes_an_organization_added_inline_searchable(self, cast, client):
        admin = User.objects.create_superuser(email="root@example.org", password="pw-123456")
        client.force_login(admin)
        person = cast.observer
        organization = make_organization("Lusaka Learning Lab")
        response = client.post(
            f"/admin/people/person/{person.pk}/change/",
            {
                "name": person.name, "email": person.email, "bio": "", "expertise": "[]",
                "interests": "[]", "offers": "", "seeks": "", "languages": "[]", "city": "",
                "country": "", "links": "[]", "map_consent": "anonymous",
                "open_to_introductions": "on",
                "affiliations-TOTAL_FORMS": "1", "affiliations-INITIAL_FORMS": "0",
                "affiliations-0-organization": str(organization.pk), "affiliations-0-title": "",
                "affiliations-0-is_primary": "on", "affiliations-0-person": str(person.pk),
                "memberships-TOTAL_FORMS": "0", "memberships-INITIAL_FORMS": "0",
            },
        )  # fmt: skip
        assert response.status_code == 302, response.content.decode()[:2000]
        person = Person.objects.get(pk=person.pk)
        assert person.affiliations.get().organization == organization
        assert "lusaka learning lab" in person.search_text.lower()

    def test_its_lists_take_the_same_queries_for_more_rows(self, cast, client):
        from django.db import connection
        from django.test.utils import CaptureQueriesContext

        admin = User.objects.create_superuser(email="root@example.org", password="pw-123456")
        client.force_login(admin)
        paths = ("/admin/people/membership/", "/admin/people/person/")

        def queries() -> list[int]:
            counts = []
            for path in paths:
                with CaptureQueriesContext(connection) as captured:
                    assert client.get(path).status_code == 200
                counts.append(len(captured.captured_queries))
            return counts

        few = queries()
        for _n in range(5):
            make_member(cast.network)
        assert queries() == few
