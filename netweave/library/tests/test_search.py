"""Search of the resource center, on whichever database pytest uses (SQLite FTS5 by default,
PostgreSQL full-text search under `make test-postgres`): the same behaviour on both."""

from __future__ import annotations

import datetime as dt
import itertools
from typing import Any

import pytest
from django.utils import timezone

from netweave.lib.testing import Cast, make_organization, make_person
from netweave.library import search
from netweave.library.models import Resource, Topic, Visibility
from netweave.library.search import SearchQuery, resources_search
from netweave.networks.models import Network
from netweave.networks.permissions import Access, access_for

_day = itertools.count(1)


def add(network: Network, title: str, summary: str = "", **fields: Any) -> Resource:
    """A published, public resource, indexed as the services do (after its relations are set)."""
    topics = fields.pop("topics", [])
    people = fields.pop("people", [])
    organizations = fields.pop("organizations", [])
    fields.setdefault("status", Resource.Status.PUBLISHED)
    fields.setdefault("visibility", Visibility.PUBLIC)
    fields.setdefault("language", "en")
    fields.setdefault(
        "published_at", timezone.now() - dt.timedelta(days=1000) + dt.timedelta(days=next(_day))
    )
    resource = Resource.objects.create(network=network, title=title, summary=summary, **fields)
    resource.topics.set(topics)
    resource.author_people.set(people)
    resource.author_organizations.set(organizations)
    search.resource_reindex(resource)
    return resource


def public(cast: Cast) -> Access:
    return access_for(None, cast.network)


def coordinator(cast: Cast) -> Access:
    return access_for(cast.coordinator.user, cast.network)


def titles(access: Access, text: str = "", **query: Any) -> list[str]:
    results = resources_search(access=access, query=SearchQuery(text=text, **query))
    return [hit.resource.title for hit in results.hits]


def facet(results: search.SearchResults, name: str) -> dict[str, int]:
    return {v.value: v.count for v in results.facets[name]}


@pytest.mark.django_db
class RankingTests:
    def test_a_title_match_ranks_above_a_summary_mention(self, cast: Cast) -> None:
        add(cast.network, "Community health workers", "Notes that mention malaria once.")
        add(cast.network, "Malaria vaccine trials in Kenya", "Results of two trials.")
        add(cast.network, "Nutrition", "Nothing relevant here.")
        assert titles(public(cast), "malaria") == [
            "Malaria vaccine trials in Kenya",
            "Community health workers",
        ]

    def test_every_word_must_match(self, cast: Cast) -> None:
        add(cast.network, "Malaria in Kenya")
        add(cast.network, "Malaria in Ghana")
        assert titles(public(cast), "malaria ghana") == ["Malaria in Ghana"]

    def test_hits_carry_a_rank_when_ordered_by_relevance_only(self, cast: Cast) -> None:
        add(cast.network, "Malaria atlas")
        by_relevance = resources_search(access=public(cast), query=SearchQuery(text="malaria"))
        assert by_relevance.sort == "relevance"
        assert by_relevance.hits[0].rank is not None and by_relevance.hits[0].rank > 0
        by_date = resources_search(
            access=public(cast), query=SearchQuery(text="malaria", sort="newest")
        )
        assert by_date.sort == "newest" and by_date.hits[0].rank is None

    def test_newest_sort_orders_matches_by_publication_here(self, cast: Cast) -> None:
        now = timezone.now()
        add(cast.network, "Malaria old", published_at=now - dt.timedelta(days=30))
        add(cast.network, "Malaria new", published_at=now - dt.timedelta(days=1))
        add(cast.network, "Malaria middle", published_at=now - dt.timedelta(days=10))
        assert titles(public(cast), "malaria", sort="newest") == [
            "Malaria new",
            "Malaria middle",
            "Malaria old",
        ]

    def test_an_empty_query_lists_the_newest_first(self, cast: Cast) -> None:
        now = timezone.now()
        add(cast.network, "Second", published_at=now - dt.timedelta(days=2))
        add(cast.network, "First", published_at=now - dt.timedelta(days=1))
        add(cast.network, "Third", published_at=now - dt.timedelta(days=3))
        results = resources_search(access=public(cast), query=SearchQuery())
        assert [h.resource.title for h in results.hits] == ["First", "Second", "Third"]
        assert results.total == 3 and results.sort == "newest"


@pytest.mark.django_db
class MatchingTests:
    def test_french_plural_finds_the_singular(self, cast: Cast) -> None:
        add(cast.network, "Un vaccin contre le paludisme", language="fr")
        add(cast.network, "Autre chose", language="fr")
        assert titles(public(cast), "vaccins") == ["Un vaccin contre le paludisme"]

    def test_english_plural_finds_the_singular_and_back(self, cast: Cast) -> None:
        add(cast.network, "A randomized trial of bed nets")
        add(cast.network, "Clinical trials registry")
        assert set(titles(public(cast), "trials")) == {
            "A randomized trial of bed nets",
            "Clinical trials registry",
        }
        assert set(titles(public(cast), "trial")) == set(titles(public(cast), "trials"))

    def test_spanish_words_match_their_inflections(self, cast: Cast) -> None:
        add(cast.network, "Vacunas para niños", language="es")
        add(cast.network, "Salud materna", language="es")
        assert titles(public(cast), "vacuna niño") == ["Vacunas para niños"]

    def test_accents_are_folded_both_ways(self, cast: Cast) -> None:
        add(cast.network, "Santé des adolescents", language="fr")
        add(cast.network, "Sante mentale", language="fr")
        assert set(titles(public(cast), "sante")) == {"Santé des adolescents", "Sante mentale"}
        assert set(titles(public(cast), "santé")) == {"Santé des adolescents", "Sante mentale"}

    def test_the_last_word_matches_as_a_prefix(self, cast: Cast) -> None:
        add(cast.network, "Malaria vaccines")
        add(cast.network, "Maternal health")
        assert titles(public(cast), "mala") == ["Malaria vaccines"]
        # ... but not once the word is finished (a space after it).
        assert titles(public(cast), "mala ") == []

    def test_authors_topics_and_summary_text_are_searched(self, cast: Cast) -> None:
        topic = Topic.objects.create(network=cast.network, name="Entomology", slug="entomology")
        person = make_person(name="Wangari Kamau", login=False)
        organization = make_organization("Ifakara Health Institute")
        add(cast.network, "By person", people=[person])
        add(cast.network, "By organization", organizations=[organization])
        add(cast.network, "By others", other_authors="Jean Dupont")
        add(cast.network, "With topic", topics=[topic])
        add(cast.network, "With link", summary="Read [the atlas](https://example.org/zanzibar)")
        assert titles(public(cast), "kamau") == ["By person"]
        assert titles(public(cast), "ifakara") == ["By organization"]
        assert titles(public(cast), "dupont") == ["By others"]
        assert titles(public(cast), "entomology") == ["With topic"]
        assert titles(public(cast), "atlas") == ["With link"]
        # A link's address is not part of the text.
        assert titles(public(cast), "zanzibar") == []

    def test_an_edit_reindexed_is_found_by_its_new_words_only(self, cast: Cast) -> None:
        resource = add(cast.network, "Bed nets")
        resource.title = "Insecticide resistance"
        resource.save()
        search.resource_reindex(resource)
        assert titles(public(cast), "insecticide") == ["Insecticide resistance"]
        assert titles(public(cast), "nets") == []

    def test_a_deleted_resource_leaves_the_index(self, cast: Cast) -> None:
        add(cast.network, "Bed nets").delete()
        add(cast.network, "Bed nets again")
        assert titles(public(cast), "nets") == ["Bed nets again"]

    @pytest.mark.parametrize(
        "text",
        [
            '"malaria',
            "malaria AND OR NOT",
            "NEAR(malaria kenya)",
            "malaria*",
            "-malaria",
            "title:malaria",
            "{head}: malaria",
            "'; DROP TABLE library_resource; --",
            "!!! ??? ...",
            "^$%&()[]{}",
            "x" * 10_000,
            "malaria " * 2_000,
            "\x00\n\t",
            "😀 malaria",
            "ma_la_ria",
        ],
    )
    def test_weird_input_never_errors(self, cast: Cast, text: str) -> None:
        add(cast.network, "Malaria vaccines")
        results = resources_search(access=public(cast), query=SearchQuery(text=text))
        assert results.total == len(results.hits) <= 1

    def test_a_query_of_only_punctuation_lists_everything(self, cast: Cast) -> None:
        add(cast.network, "One")
        add(cast.network, "Two")
        assert len(titles(public(cast), "!!! ---")) == 2

    def test_common_words_are_ignored_beside_others(self, cast: Cast) -> None:
        add(cast.network, "Malaria among children")
        assert titles(public(cast), "malaria in the children") == ["Malaria among children"]


@pytest.mark.django_db
class SnippetTests:
    def test_snippets_mark_the_matching_words(self, cast: Cast) -> None:
        add(cast.network, "Report", "Field notes. **Malaria** cases fell after the vaccines came.")
        [hit] = resources_search(access=public(cast), query=SearchQuery(text="vaccine")).hits
        assert "<mark>vaccines</mark>" in hit.snippet
        assert "**" not in hit.snippet

    def test_snippets_are_html_escaped(self, cast: Cast) -> None:
        add(cast.network, "Report", "Malaria <script>alert('x')</script> & dengue <b>bold</b>")
        [hit] = resources_search(access=public(cast), query=SearchQuery(text="malaria")).hits
        assert "<script>" not in hit.snippet
        assert "<mark>Malaria</mark>" in hit.snippet
        assert "&amp; dengue" in hit.snippet
        assert "<b>" not in hit.snippet

    def test_text_that_looks_like_a_tag_stays_escaped(self, cast: Cast) -> None:
        add(cast.network, "Code", "Use `<script>` carefully: malaria")
        [hit] = resources_search(access=public(cast), query=SearchQuery(text="malaria")).hits
        assert "<script>" not in hit.snippet

    def test_a_long_summary_is_cut_around_the_first_match(self, cast: Cast) -> None:
        summary = "Lorem ipsum dolor. " * 40 + "The malaria result. " + "Sit amet. " * 40
        add(cast.network, "Long", summary)
        [hit] = resources_search(access=public(cast), query=SearchQuery(text="malaria")).hits
        assert "<mark>malaria</mark>" in hit.snippet
        assert hit.snippet.startswith("…") and hit.snippet.endswith("…")
        assert len(hit.snippet) < 300

    def test_without_text_the_snippet_is_the_summary_start(self, cast: Cast) -> None:
        add(cast.network, "Long", "First words. " + "More. " * 100)
        [hit] = resources_search(access=public(cast), query=SearchQuery()).hits
        assert hit.snippet.startswith("First words.") and "<mark>" not in hit.snippet

    def test_stemmed_matches_are_marked_too(self, cast: Cast) -> None:
        add(cast.network, "Essai", "Des vaccins pour tous.", language="fr")
        [hit] = resources_search(access=public(cast), query=SearchQuery(text="vaccin")).hits
        assert "<mark>vaccins</mark>" in hit.snippet


@pytest.mark.django_db
class FacetTests:
    @pytest.fixture
    def library(self, cast: Cast) -> dict[str, Topic]:
        health = Topic.objects.create(network=cast.network, name="Health", slug="health")
        malaria = Topic.objects.create(
            network=cast.network, name="Malaria", slug="malaria", parent=health
        )
        vectors = Topic.objects.create(
            network=cast.network, name="Vectors", slug="vectors", parent=malaria
        )
        education = Topic.objects.create(network=cast.network, name="Education", slug="education")
        add(
            cast.network,
            "Nets report",
            kind="report",
            topics=[vectors],
            phases=["launching"],
            publication_date=dt.date(2020, 5, 1),
        )
        add(
            cast.network,
            "Nets tool",
            kind="tool",
            topics=[malaria],
            phases=["launching", "expanding"],
            language="fr",
            publication_date=dt.date(2021, 1, 1),
        )
        add(
            cast.network,
            "Nets guidance",
            kind="guidance",
            topics=[health],
            language="es",
            publication_date=dt.date(2021, 6, 1),
        )
        add(cast.network, "Schools report", kind="report", topics=[education])
        return {"health": health, "malaria": malaria, "vectors": vectors, "education": education}

    def test_facet_counts_cover_the_text_matches(self, cast: Cast, library: Any) -> None:
        results = resources_search(access=public(cast), query=SearchQuery(text="nets"))
        assert results.total == 3 and not results.approximate
        assert facet(results, "kind") == {"report": 1, "tool": 1, "guidance": 1}
        assert facet(results, "language") == {"en": 1, "fr": 1, "es": 1}
        assert facet(results, "year") == {"2020": 1, "2021": 2}
        assert facet(results, "phase") == {"launching": 2, "expanding": 1}
        # A topic counts the resources of its descendants too.
        assert facet(results, "topic") == {"health": 3, "malaria": 2, "vectors": 1}

    def test_labels_are_translated_names(self, cast: Cast, library: Any) -> None:
        results = resources_search(access=public(cast), query=SearchQuery(text="nets"))
        labels = {f: {v.value: v.label for v in values} for f, values in results.facets.items()}
        assert labels["kind"]["report"] == "Report"
        assert labels["phase"]["expanding"] == "Expanding and enhancing"
        assert labels["topic"]["vectors"] == "Vectors"
        assert labels["language"]["fr"] == "français"

    def test_a_filter_narrows_hits_and_the_other_facets_but_not_its_own(
        self, cast: Cast, library: Any
    ) -> None:
        results = resources_search(
            access=public(cast), query=SearchQuery(text="nets", kinds=["report", "tool"])
        )
        assert sorted(h.resource.title for h in results.hits) == ["Nets report", "Nets tool"]
        assert results.total == 2
        # Its own facet still shows every kind, with the selected ones marked.
        kinds = {v.value: (v.count, v.selected) for v in results.facets["kind"]}
        assert kinds == {"report": (1, True), "tool": (1, True), "guidance": (1, False)}
        assert facet(results, "language") == {"en": 1, "fr": 1}
        assert facet(results, "year") == {"2020": 1, "2021": 1}

    def test_two_filters_combine(self, cast: Cast, library: Any) -> None:
        results = resources_search(
            access=public(cast), query=SearchQuery(text="nets", years=[2021], languages=["es"])
        )
        assert [h.resource.title for h in results.hits] == ["Nets guidance"]
        assert facet(results, "year") == {"2021": 1}
        assert facet(results, "language") == {"fr": 1, "es": 1}

    def test_a_topic_matches_its_descendants(self, cast: Cast, library: Any) -> None:
        assert sorted(titles(public(cast), topics=["malaria"])) == ["Nets report", "Nets tool"]
        assert len(titles(public(cast), topics=["health"])) == 3
        assert titles(public(cast), topics=["vectors"]) == ["Nets report"]
        assert titles(public(cast), topics=["no-such-topic"]) == []

    def test_phase_and_year_filters(self, cast: Cast, library: Any) -> None:
        assert sorted(titles(public(cast), phases=["launching"])) == ["Nets report", "Nets tool"]
        assert sorted(titles(public(cast), years=[2020, 2021])) == [
            "Nets guidance",
            "Nets report",
            "Nets tool",
        ]

    def test_without_text_the_facets_cover_the_whole_library(
        self, cast: Cast, library: Any
    ) -> None:
        results = resources_search(access=public(cast), query=SearchQuery())
        assert results.total == 4
        assert facet(results, "kind") == {"report": 2, "tool": 1, "guidance": 1}

    def test_year_falls_back_on_the_publication_here(self, cast: Cast) -> None:
        resource = add(cast.network, "Undated", published_at=dt.datetime(2019, 3, 1, tzinfo=dt.UTC))
        resource.refresh_from_db()
        assert resource.year == 2019


@pytest.mark.django_db
class VisibilityTests:
    @pytest.fixture
    def mixed(self, cast: Cast) -> None:
        add(cast.network, "Malaria public")
        add(cast.network, "Malaria network", visibility=Visibility.NETWORK)
        add(cast.network, "Malaria coordinators", visibility=Visibility.COORDINATORS)
        add(cast.network, "Malaria submitted", status=Resource.Status.SUBMITTED)
        add(cast.network, "Malaria archived", status=Resource.Status.ARCHIVED)
        add(cast.other_network, "Malaria elsewhere")

    @pytest.mark.parametrize("text", ["malaria", ""])
    def test_a_public_viewer_sees_published_public_resources_only(
        self, cast: Cast, mixed: None, text: str
    ) -> None:
        results = resources_search(access=public(cast), query=SearchQuery(text=text))
        assert [h.resource.title for h in results.hits] == ["Malaria public"]
        assert results.total == 1 and facet(results, "kind") == {"article": 1}

    def test_a_member_sees_network_resources_too(self, cast: Cast, mixed: None) -> None:
        access = access_for(cast.member.user, cast.network)
        assert set(titles(access, "malaria")) == {"Malaria public", "Malaria network"}

    def test_a_coordinator_sees_every_published_visibility(self, cast: Cast, mixed: None) -> None:
        assert set(titles(coordinator(cast), "malaria")) == {
            "Malaria public",
            "Malaria network",
            "Malaria coordinators",
        }

    def test_another_networks_resources_never_appear(self, cast: Cast, mixed: None) -> None:
        access = access_for(cast.other_member.user, cast.other_network)
        assert titles(access, "malaria") == ["Malaria elsewhere"]
        assert "Malaria elsewhere" not in titles(coordinator(cast), "malaria")

    def test_curators_search_other_statuses(self, cast: Cast, mixed: None) -> None:
        results = resources_search(
            access=coordinator(cast),
            query=SearchQuery(text="malaria"),
            statuses=[Resource.Status.SUBMITTED, Resource.Status.ARCHIVED],
        )
        assert {h.resource.title for h in results.hits} == {
            "Malaria submitted",
            "Malaria archived",
        }

    def test_curation_search_needs_the_curate_capability(self, cast: Cast, mixed: None) -> None:
        from django.core.exceptions import PermissionDenied

        with pytest.raises(PermissionDenied):
            resources_search(
                access=access_for(cast.member.user, cast.network),
                query=SearchQuery(text="malaria"),
                statuses=[Resource.Status.SUBMITTED],
            )


@pytest.mark.django_db
class PagingAndQueryCountTests:
    def test_pages_split_the_results(self, cast: Cast) -> None:
        for n in range(25):
            add(cast.network, f"Malaria note {n}")
        first = resources_search(
            access=public(cast), query=SearchQuery(text="malaria"), per_page=10
        )
        last = resources_search(
            access=public(cast), query=SearchQuery(text="malaria"), per_page=10, page=3
        )
        assert first.total == 25 and first.num_pages == 3
        assert len(first.hits) == 10 and len(last.hits) == 5
        far = resources_search(
            access=public(cast), query=SearchQuery(text="malaria"), per_page=10, page=99
        )
        assert far.page == 3

    @pytest.mark.parametrize("text", ["malaria", ""])
    def test_the_number_of_queries_does_not_grow_with_the_results(
        self, cast: Cast, django_assert_max_num_queries: Any, text: str
    ) -> None:
        topic = Topic.objects.create(network=cast.network, name="Vectors", slug="vectors")
        person = make_person(name="Wangari Kamau", login=False)
        for n in range(30):
            add(cast.network, f"Malaria {n}", topics=[topic], people=[person], phases=["launching"])
        access = public(cast)
        with django_assert_max_num_queries(10):
            results = resources_search(
                access=access, query=SearchQuery(text=text, kinds=["article"], topics=["vectors"])
            )
            for hit in results.hits:
                [t.name for t in hit.resource.topics.all()]
                [p.name for p in hit.resource.author_people.all()]
                [o.name for o in hit.resource.author_organizations.all()]
        assert results.total == 30


@pytest.mark.django_db
class LargeResultTests:
    """Beyond WINDOW matches, totals and facet counts are estimates from a sample; made small here."""

    def test_estimates_are_flagged_and_close(
        self, cast: Cast, monkeypatch: pytest.MonkeyPatch
    ) -> None:
        monkeypatch.setattr(search, "WINDOW", 20)
        monkeypatch.setattr(search, "SAMPLE_BUCKETS", 2)
        monkeypatch.setattr(search, "FIRST_SPAN", 3)  # PostgreSQL: several id ranges
        for n in range(80):
            add(cast.network, f"Malaria {n}", kind="report" if n % 5 == 0 else "article")
        search.resources_reindex(network=cast.network)  # bucket tags with SAMPLE_BUCKETS = 2
        results = resources_search(access=public(cast), query=SearchQuery(text="malaria"))
        assert results.approximate
        assert 40 <= results.total <= 120
        counts = facet(results, "kind")
        assert set(counts) == {"report", "article"} and counts["article"] > counts["report"]
        assert len(results.hits) == 20
        # The exact path again once a filter leaves few matches.
        narrow = resources_search(
            access=public(cast), query=SearchQuery(text="malaria", kinds=["report"])
        )
        assert (
            narrow.total == 16
            and len(narrow.hits) == 16
            and {h.resource.kind for h in narrow.hits} == {"report"}
        )

    def test_without_text_a_large_library_is_listed_newest_first(
        self, cast: Cast, monkeypatch: pytest.MonkeyPatch
    ) -> None:
        monkeypatch.setattr(search, "WINDOW", 10)
        made = [add(cast.network, f"Note {n}") for n in range(15)]
        results = resources_search(access=public(cast), query=SearchQuery())
        assert results.hits[0].resource == made[-1]
        assert results.total >= 11


@pytest.mark.django_db
class ReindexTests:
    def test_bulk_reindex_matches_one_by_one(self, cast: Cast) -> None:
        topic = Topic.objects.create(network=cast.network, name="Vectors", slug="vectors")
        resource = add(cast.network, "Bed nets", "On *nets*.", topics=[topic], language="fr")
        single = Resource.objects.get(pk=resource.pk).search_text
        Resource.objects.filter(pk=resource.pk).update(search_text="", year=None)
        assert search.resources_reindex(network=cast.network) == 1
        assert Resource.objects.get(pk=resource.pk).search_text == single
        assert titles(public(cast), "nets") == ["Bed nets"]

    def test_search_text_reads_as_text(self, cast: Cast) -> None:
        person = make_person(name="Wangari Kamau", login=False)
        resource = add(
            cast.network, "Bed nets", "A **bold** [link](https://x.org)", people=[person]
        )
        assert search.resource_search_text(resource) == "Bed nets\nA bold link\nWangari Kamau"

    def test_the_index_can_be_rebuilt(self, cast: Cast) -> None:
        add(cast.network, "Bed nets")
        search.index_rebuild()
        assert titles(public(cast), "nets") == ["Bed nets"]

    def test_a_bulk_reindex_of_most_of_the_table_rebuilds_the_index(
        self, cast: Cast, monkeypatch: pytest.MonkeyPatch
    ) -> None:
        monkeypatch.setattr(search, "BULK_REINDEX", 2)
        add(cast.network, "Bed nets")
        other = add(cast.network, "Water")
        Resource.objects.filter(pk=other.pk).update(title="Sanitation")
        assert search.resources_reindex() == 2
        assert titles(public(cast), "sanitation") == ["Sanitation"]
        assert titles(public(cast), "water") == []
        # The index follows edits again afterwards (its triggers are back on SQLite).
        add(cast.network, "Insecticide")
        assert titles(public(cast), "insecticide") == ["Insecticide"]


@pytest.mark.django_db
class ReindexCommandTests:
    def test_the_command_reindexes_and_rebuilds(self, cast: Cast) -> None:
        from io import StringIO

        from django.core.management import call_command

        resource = add(cast.network, "Bed nets")
        Resource.objects.filter(pk=resource.pk).update(title="Sanitation")
        out = StringIO()
        call_command("library_reindex", "--network", cast.network.slug, "--rebuild", stdout=out)
        assert "Reindexed 1 resource(s)" in out.getvalue()
        assert titles(public(cast), "sanitation") == ["Sanitation"]

    def test_an_unknown_network_is_refused_clearly(self, cast: Cast) -> None:
        from django.core.management import CommandError, call_command

        with pytest.raises(CommandError, match="no network with the short name 'nope'"):
            call_command("library_reindex", "--network", "nope")


@pytest.mark.django_db
def test_an_outsider_of_a_private_network_finds_nothing(private_cast: Cast) -> None:
    add(private_cast.network, "Malaria public")
    access = access_for(private_cast.outsider.user, private_cast.network)
    results = resources_search(access=access, query=SearchQuery(text="malaria"))
    assert results.total == 0 and results.hits == []
    assert resources_search(access=access, query=SearchQuery()).total == 0


@pytest.mark.django_db
class PlanTests:
    """In a large network broad filters are checked row by row and the network's tag is left out
    of the full-text query: the same results either way."""

    @pytest.mark.parametrize("plan_min_rows", [1, 10**9])
    def test_filters_give_the_same_results_by_row_or_by_tag(
        self, cast: Cast, monkeypatch: pytest.MonkeyPatch, plan_min_rows: int
    ) -> None:
        monkeypatch.setattr(search, "WINDOW", 10)
        monkeypatch.setattr(search, "SAMPLE_BUCKETS", 2)
        monkeypatch.setattr(search, "PLAN_MIN_ROWS", plan_min_rows)
        monkeypatch.setattr(search, "FIRST_SPAN", 4)
        for n in range(24):
            add(
                cast.network,
                f"Malaria {n}",
                kind="report" if n % 3 == 0 else "article",
                language="fr" if n % 4 == 0 else "en",
                phases=["launching"] if n % 2 else [],
                publication_date=dt.date(2020 + n % 2, 1, 1),
            )
        search.resources_reindex(network=cast.network)
        query = SearchQuery(
            text="malaria", kinds=["article"], languages=["en"], phases=["launching"], years=[2021]
        )
        results = resources_search(access=public(cast), query=query, per_page=50)
        expected = {
            f"Malaria {n}"
            for n in range(24)
            if n % 3 and n % 4 and n % 2 and (2020 + n % 2) == 2021
        }
        assert {h.resource.title for h in results.hits} == expected
        assert results.total == len(expected)


def test_the_module_examples_hold() -> None:
    import doctest

    failures, tried = doctest.testmod(search)
    assert tried > 0 and failures == 0


@pytest.mark.django_db
def test_a_large_curation_search_finds_its_statuses(
    cast: Cast, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(search, "WINDOW", 10)
    for n in range(30):
        add(
            cast.network,
            f"Malaria {n}",
            status=Resource.Status.SUBMITTED if n % 2 else Resource.Status.PUBLISHED,
            kind="report" if n % 3 == 0 else "article",
        )
    results = resources_search(
        access=coordinator(cast),
        query=SearchQuery(text="malaria", kinds=["report"]),
        statuses=[Resource.Status.SUBMITTED],
        per_page=50,
    )
    assert {h.resource.title for h in results.hits} == {
        f"Malaria {n}" for n in range(30) if n % 2 and n % 3 == 0
    }
