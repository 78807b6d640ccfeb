import pytest

from netweave.accounts.models import ApiToken
from netweave.accounts.services import api_token_authenticate, api_token_create, api_token_revoke
from netweave.people.models import Person


@pytest.mark.django_db
class ProfileEditTests:
    def test_a_member_edits_their_profile(self, cast, client):
        client.force_login(cast.member.user)
        response = client.post(
            "/me/profile/",
            {
                "name": "Mina M. Member",
                "bio": "I design *trials*.",
                "expertise_text": "trial design, PrEP, trial design",
                "interests_text": "adolescents",
                "languages_text": "en, sw",
                "links_text": "https://example.org/mina",
                "offers": "Protocol reviews",
                "seeks": "Modellers",
                "city": "Kisumu",
                "country": "KE",
                "map_consent": "named",
                "organization": "KEMRI Kisumu",
                "title": "Investigator",
            },
        )
        assert response.status_code == 302, response.content.decode()[:2000]
        person = Person.objects.get(pk=cast.member.pk)
        assert person.name == "Mina M. Member"
        assert person.expertise == ["trial design", "PrEP"]
        assert person.map_consent == "named"
        assert person.primary_affiliation.organization.name == "KEMRI Kisumu"
        assert "kisumu" in person.search_text.lower()

    def test_bad_values_get_messages_that_say_what_to_fix(self, cast, client):
        client.force_login(cast.member.user)
        response = client.post(
            "/me/profile/",
            {
                "name": "Mina",
                "languages_text": "en, klingon",
                "links_text": "not a url",
                "map_consent": "named",
            },
        )
        page = response.content.decode()
        assert response.status_code == 200
        assert "Unknown language codes: klingon" in page
        assert "is not a web address" in page

    def test_a_new_account_gets_a_person(self, client, db):
        from netweave.accounts.models import User

        user = User.objects.create_user(email="fresh@example.org", password="x-long-password-1")
        client.force_login(user)
        assert client.get("/me/").status_code == 200
        assert Person.objects.get(user=user).email == "fresh@example.org"


@pytest.mark.django_db
class ApiTokenTests:
    def test_a_token_authenticates_until_it_is_revoked(self, cast):
        token, raw = api_token_create(user=cast.member.user, name="script")
        assert raw.startswith("nw_") and token.hint == raw[:7]
        assert ApiToken.objects.get().key_hash != raw
        assert api_token_authenticate(raw=raw) == cast.member.user
        assert api_token_authenticate(raw=raw + "x") is None
        api_token_revoke(token=token)
        assert api_token_authenticate(raw=raw) is None

    def test_the_token_page_shows_the_secret_once(self, cast, client):
        client.force_login(cast.member.user)
        page = client.post("/me/tokens/", {"name": "weekly report"}).content.decode()
        token = ApiToken.objects.get()
        assert token.name == "weekly report" and f"{token.hint}" in page
        assert "it will not be shown again" in page
        assert "it will not be shown again" not in client.get("/me/tokens/").content.decode()

    def test_nobody_revokes_someone_elses_token(self, cast, client):
        token, _raw = api_token_create(user=cast.member.user, name="mine")
        client.force_login(cast.coordinator.user)
        assert client.post(f"/me/tokens/{token.pk}/revoke/").status_code == 404
