import pytest
from django.middleware.csrf import get_token
from django.test import RequestFactory

from netweave.accounts.models import ApiToken, hash_token
from netweave.accounts.services import api_token_revoke
from netweave.people.models import Membership


def _csrf_token(client) -> str:
    """A CSRF token for `client`'s session, as a page would have put in the csrftoken cookie."""
    request = RequestFactory().get("/")
    token = get_token(request)
    client.cookies["csrftoken"] = request.META["CSRF_COOKIE"]
    return token


@pytest.mark.django_db
class TokenAuthTests:
    def test_a_personal_token_authenticates_a_script(self, api):
        token = api.token_for("member")
        response = api.get("anonymous", "/me", token=token)
        assert response.status == 200
        assert response.body["email"] == "mina@example.org"
        assert ApiToken.objects.get(key_hash=hash_token(token)).last_used_at is not None

    def test_a_token_gives_its_owner_their_own_access(self, api):
        token = api.token_for("member")
        assert api.get("anonymous", "/networks/cast/members", token=token).status == 200
        assert api.get("anonymous", "/networks/cast/memberships", token=token).status == 403

    def test_a_revoked_token_is_a_401_not_anonymous_access(self, api):
        token = api.token_for("member")
        api_token_revoke(token=ApiToken.objects.get(key_hash=hash_token(token)))
        response = api.get("anonymous", "/networks/cast", token=token)  # public: anonymous is fine
        assert response.status == 401
        assert "revoked" in response.error
        assert response.body.keys() == {"error"}

    @pytest.mark.parametrize("header", ["Bearer nw_not-a-real-token", "Bearer ", "bearer   "])
    def test_an_unknown_or_empty_token_is_a_401(self, api, header):
        client = api.client()
        response = client.get("/api/v1/networks", HTTP_AUTHORIZATION=header)
        assert response.status_code == 401
        assert response["WWW-Authenticate"].startswith("Bearer")

    def test_a_token_of_a_deactivated_login_is_a_401(self, api):
        token = api.token_for("member")
        user = api.cast.member.user
        user.is_active = False
        user.save(update_fields=["is_active"])
        assert api.get("anonymous", "/me", token=token).status == 401

    def test_writes_with_a_token_need_no_csrf_token(self, api):
        token = api.token_for("outsider")
        client = api.client(csrf=True)
        response = api.post(
            "anonymous",
            "/networks/cast/applications",
            {"message": "Hi"},
            token=token,
            client=client,
        )
        assert response.status == 201


@pytest.mark.django_db
class SessionAuthTests:
    def test_a_signed_in_browser_reads_with_its_session(self, api):
        assert api.get("member", "/me").body["name"] == "Mina Member"

    def test_a_session_write_without_the_csrf_token_is_refused(self, api):
        client = api.client("outsider", csrf=True)
        response = api.post(
            "outsider", "/networks/cast/applications", {"message": "Hi"}, client=client
        )
        assert response.status == 403
        assert "CSRF" in response.error
        assert not Membership.objects.filter(person=api.cast.outsider).exists()

    @pytest.mark.parametrize("method", ["patch", "delete"])
    def test_every_unsafe_method_is_checked(self, api, method):
        client = api.client("coordinator", csrf=True)
        path = "/networks/cast" if method == "patch" else "/me/tokens/1"
        response = api.call("coordinator", method, path, {"tagline": "x"}, client=client)
        assert response.status == 403
        assert "CSRF" in response.error

    def test_a_session_write_with_the_csrf_token_goes_through(self, api):
        client = api.client("outsider", csrf=True)
        token = _csrf_token(client)
        response = api.post(
            "outsider",
            "/networks/cast/applications",
            {"message": "Hi"},
            client=client,
            HTTP_X_CSRFTOKEN=token,
        )
        assert response.status == 201

    def test_an_anonymous_write_is_a_401_not_a_csrf_error(self, api):
        client = api.client(csrf=True)
        response = api.post(
            "anonymous", "/networks/cast/applications", {"message": "Hi"}, client=client
        )
        assert response.status == 401


@pytest.mark.django_db
class TokenEndpointsTests:
    def test_a_signed_in_person_creates_a_token_and_a_script_uses_it(self, api):
        response = api.post("member", "/me/tokens", {"name": "weekly report"})
        assert response.status == 201
        raw = response.body["token"]
        assert raw.startswith("nw_") and response.body["hint"] == raw[:7]
        assert api.get("anonymous", "/me", token=raw).body["name"] == "Mina Member"
        listed = api.get("member", "/me/tokens").body["items"]
        assert [t["name"] for t in listed] == ["weekly report"]
        assert "token" not in listed[0]
        assert raw.encode() not in api.get("member", "/me/tokens").raw

    def test_a_token_cannot_mint_another_token(self, api):
        token = api.token_for("member")
        response = api.post("anonymous", "/me/tokens", {"name": "more"}, token=token)
        assert response.status == 403
        assert ApiToken.objects.filter(user=api.cast.member.user).count() == 1

    def test_a_token_can_revoke_itself_and_then_stops_working(self, api):
        token = api.token_for("member")
        token_id = ApiToken.objects.get(key_hash=hash_token(token)).pk
        response = api.delete("anonymous", f"/me/tokens/{token_id}", token=token)
        assert response.status == 200
        assert response.body["revoked_at"] is not None
        assert api.get("anonymous", "/me", token=token).status == 401

    def test_someone_elses_token_is_a_404(self, api):
        api.token_for("coordinator")
        token_id = ApiToken.objects.get(user=api.cast.coordinator.user).pk
        assert api.delete("member", f"/me/tokens/{token_id}").status == 404
        assert ApiToken.objects.get(pk=token_id).revoked_at is None

    @pytest.mark.parametrize(
        ("call", "status"),
        [
            (("get", "/me/tokens", None), 401),
            (("post", "/me/tokens", {"name": "x"}), 401),
            (("delete", "/me/tokens/1", None), 401),
        ],
    )
    def test_anonymous_callers_get_a_401(self, api, call, status):
        method, path, body = call
        assert api.call("anonymous", method, path, body).status == status

    def test_a_token_needs_a_name(self, api):
        response = api.post("member", "/me/tokens", {"name": "  "})
        assert response.status == 400
        assert response.error.startswith("name: ")
