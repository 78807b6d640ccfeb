import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext

from netweave.lib.testing import make_member
from netweave.networks.permissions import access_for
from netweave.people.selectors import DirectoryQuery, members_for_directory


def names(cast, **query):
    access = access_for(cast.coordinator.user, cast.network)
    return [
        m.person.name for m in members_for_directory(access=access, query=DirectoryQuery(**query))
    ]


@pytest.fixture
def directory(cast):
    make_member(
        cast.network,
        name="Émile Durand",
        expertise=["modélisation"],
        country="FR",
        languages=["fr"],
        organization="Institut Pasteur de Lyon",
        city="Lyon",
        offers="trial design advice",
    )
    make_member(
        cast.network,
        name="Ana Núñez",
        expertise=["community engagement"],
        country="PE",
        languages=["es", "en"],
        organization="Universidad de Lima",
        interests=["adolescent health"],
    )
    make_member(cast.other_network, name="Hidden Hank", expertise=["HIV prevention"], country="KE")
    return cast


@pytest.mark.django_db
class DirectorySearchTests:
    def test_it_finds_by_word_prefix_and_ignores_accents(self, directory):
        assert names(directory, text="model") == ["Émile Durand"]
        assert names(directory, text="emile") == ["Émile Durand"]
        assert names(directory, text="nunez") == ["Ana Núñez"]

    def test_it_finds_by_organization_city_country_and_offers(self, directory):
        assert names(directory, text="pasteur") == ["Émile Durand"]
        assert names(directory, text="lyon trial") == ["Émile Durand"]
        assert names(directory, text="Peru") == ["Ana Núñez"]
        assert names(directory, text="adolescent") == ["Ana Núñez"]

    def test_it_never_shows_people_of_another_network(self, directory):
        assert names(directory, text="HIV") == ["Mina Member"]

    def test_filters_combine(self, directory):
        assert names(directory, language="es") == ["Ana Núñez"]
        assert names(directory, country="FR") == ["Émile Durand"]
        assert names(directory, role="coordinator") == ["Cora Coordinator"]
        assert names(directory, country="FR", text="community") == []

    def test_punctuation_and_operators_in_the_query_are_harmless(self, directory):
        assert names(directory, text='"model* -(') == ["Émile Durand"]
        assert len(names(directory, text="  ")) == 6

    def test_an_updated_profile_is_found_by_its_new_words(self, directory):
        from netweave.people.services import person_update_profile

        person_update_profile(person=directory.member, expertise=["pharmacokinetics"])
        assert names(directory, text="pharmaco") == ["Mina Member"]
        assert names(directory, text="HIV") == []


@pytest.mark.django_db
class DirectoryPageTests:
    def test_the_page_lists_members_and_filters_them(self, directory, client):
        client.force_login(directory.observer.user)
        page = client.get("/n/cast/members/", {"q": "pasteur"}).content.decode()
        assert "Émile Durand" in page and "Ana Núñez" not in page
        assert "1 member" in page

    def test_htmx_requests_get_only_the_results(self, directory, client):
        client.force_login(directory.member.user)
        response = client.get("/n/cast/members/", {"q": "ana"}, HTTP_HX_REQUEST="true")
        body = response.content.decode()
        assert "Ana Núñez" in body and "<html" not in body

    def test_an_empty_result_says_what_to_do(self, directory, client):
        client.force_login(directory.member.user)
        assert "Clear the search" in client.get("/n/cast/members/", {"q": "zzzz"}).content.decode()

    def test_the_number_of_queries_does_not_grow_with_the_page(self, cast, client):
        client.force_login(cast.member.user)

        def count_queries():
            cache.clear()  # count the facet queries each time
            with CaptureQueriesContext(connection) as ctx:
                assert client.get("/n/cast/members/").status_code == 200
            return len(ctx.captured_queries)

        small = count_queries()
        for i in range(30):
            make_member(cast.network, name=f"Extra {i}", organization=f"Org {i % 7}", country="BR")
        assert count_queries() == small

    def test_the_profile_page_shows_sanitized_markdown(self, cast, client):
        from netweave.people.services import person_update_profile

        person_update_profile(person=cast.member, bio="**Bold** <script>alert(1)</script>")
        client.force_login(cast.observer.user)
        page = client.get(f"/n/cast/people/{cast.member.pk}/").content.decode()
        assert "<strong>Bold</strong>" in page and "<script>alert" not in page

    def test_emails_show_only_to_coordinators(self, cast, client):
        client.force_login(cast.member.user)
        assert (
            "mina@example.org"
            not in client.get(f"/n/cast/people/{cast.member.pk}/").content.decode()
        )
        client.force_login(cast.coordinator.user)
        assert (
            "mina@example.org" in client.get(f"/n/cast/people/{cast.member.pk}/").content.decode()
        )

    def test_someone_from_another_network_is_not_a_profile_here(self, directory, client):
        from netweave.people.models import Person

        hank = Person.objects.get(name="Hidden Hank")
        client.force_login(directory.coordinator.user)
        assert client.get(f"/n/cast/people/{hank.pk}/").status_code == 404


@pytest.mark.django_db
class DirectoryExportTests:
    def test_the_coordinator_downloads_the_directory_as_csv(self, directory, client):
        import csv
        import io

        from netweave.people.services import person_update_profile

        person_update_profile(person=directory.member, offers='=HYPERLINK("http://evil")')
        client.force_login(directory.coordinator.user)
        response = client.get("/n/cast/members/export.csv")
        assert response["Content-Type"].startswith("text/csv")
        rows = list(csv.DictReader(io.StringIO(b"".join(response.streaming_content).decode())))
        assert len(rows) == 6
        mina = next(r for r in rows if r["name"] == "Mina Member")
        assert mina["email"] == "mina@example.org"
        assert mina["organization"] == "Kenya Medical Research Institute"
        assert mina["offers"].startswith("'=")  # spreadsheet formulas are neutralized

    def test_stewards_cannot_export(self, cast, client):
        client.force_login(cast.steward.user)
        assert client.get("/n/cast/members/export.csv").status_code == 403


@pytest.mark.django_db
class DirectoryLanguageTests:
    def test_a_country_is_found_by_its_name_in_any_interface_language(self, cast):
        from django.utils import translation

        with translation.override("fr"):
            make_member(cast.network, name="Ana Núñez", country="PE")
        for word in ("Peru", "Pérou", "Perú"):
            assert names(cast, text=word) == ["Ana Núñez"], word


@pytest.mark.django_db
class DirectorySortNameTests:
    def test_the_sort_key_follows_the_persons_name_however_it_is_written(self, cast):
        from netweave.people.models import Membership, Person
        from netweave.people.services import person_update_profile

        membership = Membership.objects.get(network=cast.network, person=cast.member)
        assert membership.sort_name == "Mina Member"  # set by the database on insert
        person_update_profile(person=cast.member, name="Aaron Early")
        membership.refresh_from_db()
        assert membership.sort_name == "Aaron Early"
        Person.objects.filter(pk=cast.member.pk).update(name="Zed Late")  # raw, no signals
        membership.refresh_from_db()
        assert membership.sort_name == "Zed Late"
        membership.sort_name = "stale"
        membership.save()  # a full save of a stale copy is corrected
        membership.refresh_from_db()
        assert membership.sort_name == "Zed Late"

    def test_the_directory_is_in_name_order(self, cast):
        make_member(cast.network, name="Aaron Early")
        make_member(cast.network, name="Zed Late")
        listed = names(cast)
        assert listed == sorted(listed) and listed[0] == "Aaron Early" and listed[-1] == "Zed Late"

    def test_facets_are_counted_again_after_a_member_joins(
        self, cast, django_capture_on_commit_callbacks
    ):
        from netweave.people.selectors import directory_facets

        access = access_for(cast.coordinator.user, cast.network)
        assert [c for c, _n, _k in directory_facets(access=access)["countries"]] == ["KE"]
        with django_capture_on_commit_callbacks(execute=True):
            make_member(cast.network, name="Ana", country="PE")
        assert [c for c, _n, _k in directory_facets(access=access)["countries"]] == ["KE", "PE"]


@pytest.mark.django_db
class DirectoryLanguageFilterTests:
    def test_the_language_filter_and_language_names_find_speakers(self, directory):
        assert names(directory, language="fr") == ["Émile Durand"]
        assert names(directory, text="français") == ["Émile Durand"]
        assert names(directory, text="Spanish") == ["Ana Núñez"]
        # the marker word is exact: "e" (no such code) finds nobody, not every "es" speaker
        assert names(directory, language="e") == []


@pytest.mark.django_db
class DirectoryFacetPageTests:
    def test_the_filters_load_after_the_page_when_they_are_not_counted_yet(self, directory, client):
        client.force_login(directory.member.user)
        page = client.get("/n/cast/members/").content.decode()
        assert 'hx-get="/n/cast/members/filters/' in page
        assert ">Peru (1)</option>" not in page
        filters = client.get("/n/cast/members/filters/", {"country": "PE"}).content.decode()
        assert '<option value="PE" selected>Peru (1)</option>' in filters
        assert "Institut Pasteur de Lyon (1)" in filters
        # counted once, the next page has them inline
        page = client.get("/n/cast/members/").content.decode()
        assert ">Peru (1)</option>" in page and "members/filters/" not in page

    def test_a_selected_filter_survives_before_the_counts_arrive(self, directory, client):
        client.force_login(directory.member.user)
        page = client.get("/n/cast/members/", {"country": "FR"}).content.decode()
        assert '<option value="FR" selected>FR</option>' in page
        assert "Émile Durand" in page and "Ana Núñez" not in page

    def test_outsiders_get_no_filters(self, directory, client):
        client.force_login(directory.outsider.user)
        assert client.get("/n/cast/members/filters/").status_code == 403
