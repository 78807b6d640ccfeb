import pytest

from netweave.accounts.models import User
from netweave.people.models import Person


@pytest.mark.django_db
class MeReadTests:
    def test_a_member_reads_their_profile_and_memberships(self, api):
        response = api.get("member", "/me")
        assert response.status == 200
        assert (response.body["name"], response.body["email"]) == (
            "Mina Member",
            "mina@example.org",
        )
        assert response.body["affiliations"][0]["organization"]["name"] == (
            "Kenya Medical Research Institute"
        )
        assert response.body["memberships"] == [
            {
                "network": {"slug": "cast", "name": "Cast Network"},
                "role": "member",
                "status": "active",
                "joined_at": response.body["memberships"][0]["joined_at"],
            }
        ]

    def test_anonymous_callers_get_a_401(self, api):
        response = api.get("anonymous", "/me")
        assert response.status == 401
        assert response.error

    def test_a_login_without_a_profile_gets_one(self, api):
        user = User.objects.create_user(email="fresh.face@example.org", password="x" * 20)
        client = api.client()
        client.force_login(user)
        response = api.get("anonymous", "/me", client=client)
        assert response.status == 200
        assert response.body["name"] == "Fresh Face"
        assert response.body["memberships"] == []
        assert Person.objects.filter(user=user).count() == 1


@pytest.mark.django_db
class MeUpdateTests:
    def test_a_member_changes_some_fields_and_keeps_the_rest(self, api):
        response = api.patch(
            "member",
            "/me",
            {
                "bio": "I design *trials*.",
                "expertise": ["trial design", "PrEP", "Trial design"],
                "languages": ["EN", "fr", "en"],
                "country": "tz",
                "links": ["https://example.org/mina"],
                "map_consent": "named",
            },
        )
        assert response.status == 200, response.body
        person = Person.objects.get(pk=api.cast.member.pk)
        assert person.name == "Mina Member"  # not sent, not changed
        assert person.expertise == ["trial design", "PrEP"]
        assert person.languages == ["en", "fr"]
        assert person.country == "TZ"
        assert person.map_consent == "named"
        assert "tanzania" in person.search_text.lower()
        assert response.body["languages"] == ["en", "fr"]

    def test_a_member_changes_their_organization_and_title(self, api):
        response = api.patch("member", "/me", {"organization": "KEMRI Kisumu", "title": "PI"})
        assert response.status == 200
        person = Person.objects.get(pk=api.cast.member.pk)
        assert person.primary_affiliation.organization.name == "KEMRI Kisumu"
        assert person.primary_affiliation.title == "PI"
        api.patch("member", "/me", {"title": "Director"})
        person = Person.objects.get(pk=api.cast.member.pk)
        assert person.primary_affiliation.organization.name == "KEMRI Kisumu"
        assert person.primary_affiliation.title == "Director"

    def test_an_empty_organization_removes_the_primary_one(self, api):
        response = api.patch("member", "/me", {"organization": None})
        assert response.status == 200
        assert [a["is_primary"] for a in response.body["affiliations"]] == [False]
        response = api.patch("member", "/me", {"organization": "New Place", "title": "Fellow"})
        assert [
            (a["organization"]["name"], a["title"], a["is_primary"])
            for a in response.body["affiliations"]
        ] == [("New Place", "Fellow", True), ("Kenya Medical Research Institute", "", False)]

    @pytest.mark.parametrize(
        ("body", "error"),
        [
            (
                {"languages": ["en", "xx", "klingon"]},
                "languages: Unknown language codes: xx, klingon. "
                "Use ISO codes such as en, fr, es, pt.",
            ),
            (
                {"country": "Kenya"},
                "country: “KENYA” is not a country code; "
                "use a two-letter ISO code such as KE, FR or BR.",
            ),
            (
                {"country": "QQ"},
                "country: “QQ” is not a country code; "
                "use a two-letter ISO code such as KE, FR or BR.",
            ),
            (
                {"links": ["example.org"]},
                "links: “example.org” is not a web address; start it with https://",
            ),
            ({"name": "   "}, "name: A name cannot be empty."),
            (
                {"name": None},
                "name: cannot be null; leave it out to keep the current value.",
            ),
            ({"map_consent": "loud"}, "map_consent: Input should be 'named' or 'anonymous'"),
            ({"links": [f"https://example.org/{n}" for n in range(11)]}, "links: At most 10"),
        ],
    )
    def test_bad_values_are_a_400_that_says_what_to_fix(self, api, body, error):
        before = Person.objects.get(pk=api.cast.member.pk)
        response = api.patch("member", "/me", body)
        assert response.status == 400
        assert response.error.startswith(error)
        after = Person.objects.get(pk=api.cast.member.pk)
        assert (after.name, after.languages, after.country) == (
            before.name,
            before.languages,
            before.country,
        )

    def test_a_title_without_an_organization_is_refused_and_nothing_is_saved(self, api):
        response = api.patch("outsider", "/me", {"bio": "New bio", "title": "Boss"})
        assert response.status == 400
        assert response.error.startswith("title: ")
        assert Person.objects.get(pk=api.cast.outsider.pk).bio == ""

    def test_a_field_that_cannot_be_changed_here_is_refused(self, api):
        response = api.patch("member", "/me", {"email": "evil@example.net"})
        assert response.status == 400
        assert response.error == "email: Extra inputs are not permitted"
        assert Person.objects.get(pk=api.cast.member.pk).email == "mina@example.org"

    def test_anonymous_callers_get_a_401(self, api):
        assert api.patch("anonymous", "/me", {"bio": "x"}).status == 401
