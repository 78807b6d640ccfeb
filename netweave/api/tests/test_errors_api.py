import pytest

from netweave.api.errors import validation_detail


@pytest.mark.django_db
class ErrorShapeTests:
    def test_a_body_that_is_not_json_is_a_400(self, api):
        response = api.post("outsider", "/networks/cast/applications", "{not json")
        assert response.status == 400
        assert response.body == {"error": "The request body is not valid JSON."}

    def test_validation_errors_list_every_problem(self, api):
        response = api.patch("member", "/me", {"languages": ["xx"], "country": "Narnia"})
        assert response.status == 400
        assert [d["field"] for d in response.body["detail"]] == ["languages", "country"]
        assert response.error == ("languages: " + response.body["detail"][0]["message"])

    def test_an_unknown_address_under_the_api_is_a_json_404(self, api):
        for path in ("/nothing-here", "/networks/cast/members/", "/networks/cast/nope"):
            response = api.get("member", path)
            assert response.status == 404
            assert "/api/v1/docs" in response.error

    def test_a_wrong_method_is_a_json_405(self, api):
        response = api.call("member", "delete", "/networks/cast/members")
        assert response.status == 405
        assert response.error == "DELETE is not allowed here; use GET."

    def test_the_api_root_is_a_json_index(self, api):
        response = api.get("anonymous", "/")
        assert response.status == 200
        assert response.body["openapi"] == "/api/v1/openapi.json"

    def test_an_unexpected_failure_is_a_json_500_and_is_logged(self, api, monkeypatch, caplog):
        def broken(**kwargs):
            raise RuntimeError("database on fire")

        monkeypatch.setattr("netweave.networks.api.networks_visible_to", broken)
        response = api.get("anonymous", "/networks")
        assert response.status == 500
        assert "fire" not in response.error  # no internals leak to the caller
        assert any("database on fire" in str(r.exc_info[1]) for r in caplog.records if r.exc_info)


class ValidationDetailTests:
    def test_it_names_the_field_without_ninja_s_parameter_plumbing(self):
        errors = [
            {"loc": ("body", "payload", "links", 0), "msg": "Value error, Bad link"},
            {"loc": ("query", "page"), "msg": "Input should be greater than or equal to 1"},
            {"loc": ("body", "payload"), "msg": "Value error, Send a role, a status, or both."},
        ]
        assert validation_detail(errors) == [
            {"field": "links.0", "message": "Bad link"},
            {"field": "page", "message": "Input should be greater than or equal to 1"},
            {"field": "", "message": "Send a role, a status, or both."},
        ]
