"""A renamed author is found under the new name (the search text holds authors' names)."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from netweave.lib.testing import Cast, make_organization, make_person
from netweave.library.tests.test_search import add, public, titles
from netweave.people.services import person_update_profile

pytestmark = pytest.mark.django_db


class AuthorRenameTests:
    def test_a_renamed_member_is_found_under_the_new_name_only(self, cast: Cast) -> None:
        person = make_person(name="Wangari Kamau", login=False)
        add(cast.network, "By person", people=[person])
        person_update_profile(person=person, name="Wangari Maathai")
        assert titles(public(cast), "maathai") == ["By person"]
        assert titles(public(cast), "kamau") == []

    def test_a_renamed_organization_is_found_under_the_new_name_only(self, cast: Cast) -> None:
        organization = make_organization("Ifakara Health Institute")
        add(cast.network, "By organization", organizations=[organization])
        organization.name = "Ifakara Research Centre"
        organization.save(update_fields=["name"])
        assert titles(public(cast), "research centre") == ["By organization"]
        assert titles(public(cast), "institute") == []

    def test_saving_other_fields_leaves_the_library_alone(self, cast: Cast) -> None:
        organization = make_organization("Ifakara Health Institute")
        add(cast.network, "By organization", organizations=[organization])
        organization.website = "https://example.org"
        with CaptureQueriesContext(connection) as queries:
            organization.save(update_fields=["website"])
        assert not [q for q in queries.captured_queries if "library_" in q["sql"]]
