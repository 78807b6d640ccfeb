"""The API contract: the OpenAPI document is pinned by a snapshot so that every change to it is
deliberate and shows up in review.

After an intended change to the API, refresh the snapshot and commit it with the change:

    UPDATE_SNAPSHOTS=1 .venv/bin/pytest netweave/api/tests/test_openapi.py
"""

from __future__ import annotations

import json
import os
import re
from pathlib import Path
from typing import Any, get_args

import pytest
from django.contrib.staticfiles import finders
from django.test import Client

from netweave.api import schemas
from netweave.networks.models import Network
from netweave.people.models import Invitation, Membership, Organization, Person, Role

SNAPSHOT = Path(__file__).with_name("openapi_snapshot.json")
REFRESH = "UPDATE_SNAPSHOTS=1 .venv/bin/pytest netweave/api/tests/test_openapi.py"
METHODS = {"get", "post", "put", "patch", "delete"}


def _live_document() -> dict[str, Any]:
    response = Client().get("/api/v1/openapi.json")
    assert response.status_code == 200
    return json.loads(response.content)


def _dump(document: dict[str, Any]) -> str:
    return json.dumps(document, indent=2, sort_keys=True, ensure_ascii=False) + "\n"


def _operations(document: dict[str, Any]) -> dict[str, tuple[str, str, dict[str, Any]]]:
    return {
        operation["operationId"]: (method.upper(), path, operation)
        for path, item in document["paths"].items()
        for method, operation in item.items()
        if method in METHODS
    }


def _differences(old: Any, new: Any, where: str = "") -> list[str]:
    if isinstance(old, dict) and isinstance(new, dict):
        found = []
        for key in sorted(set(old) | set(new)):
            here = f"{where}/{key}"
            if key not in old:
                found.append(f"added   {here}")
            elif key not in new:
                found.append(f"removed {here}")
            else:
                found.extend(_differences(old[key], new[key], here))
        return found
    return [] if old == new else [f"changed {where or '/'}"]


@pytest.mark.django_db
class OpenApiSnapshotTests:
    def test_the_live_document_matches_the_committed_snapshot(self):
        live = _live_document()
        if os.environ.get("UPDATE_SNAPSHOTS"):
            SNAPSHOT.write_text(_dump(live), encoding="utf-8")
        assert SNAPSHOT.exists(), f"No snapshot yet; create it with: {REFRESH}"
        committed = json.loads(SNAPSHOT.read_text(encoding="utf-8"))
        differences = _differences(committed, live)
        assert not differences, (
            "The API contract changed:\n  "
            + "\n  ".join(differences[:40])
            + f"\nIf that is intended, refresh the snapshot and commit it: {REFRESH}"
        )

    def test_the_snapshot_file_is_written_the_way_the_refresh_writes_it(self):
        text = SNAPSHOT.read_text(encoding="utf-8")
        assert text == _dump(json.loads(text))


@pytest.mark.django_db
class OpenApiDocumentTests:
    def test_it_is_served_at_api_v1_openapi_json(self):
        response = Client().get("/api/v1/openapi.json")
        assert response.status_code == 200
        assert response["Content-Type"].startswith("application/json")
        document = json.loads(response.content)
        assert document["openapi"].startswith("3.")
        assert document["info"]["title"] == "NetWeave API"
        assert all(path.startswith("/api/v1/") for path in document["paths"])

    def test_every_operation_has_a_stable_id_a_summary_and_a_tag(self):
        operations = _operations(_live_document())
        for operation_id, (_method, path, operation) in operations.items():
            assert re.fullmatch(r"[a-z]+_[a-z_]+", operation_id), operation_id
            assert operation["summary"].strip(), path
            assert operation["tags"], path
        assert set(operations) == {
            "networks_list", "networks_read", "networks_update",
            "members_list", "people_read", "organizations_list", "organizations_read",
            "applications_create",
            "memberships_list", "memberships_read", "memberships_update", "memberships_decide",
            "invitations_list", "invitations_create", "invitations_revoke",
            "me_read", "me_update", "tokens_list", "tokens_create", "tokens_revoke",
            "ties_list", "ties_create", "ties_update", "ties_end",
            "snapshots_list", "snapshots_read", "snapshots_take", "snapshots_map",
            "survey_waves_list", "survey_waves_read", "survey_roster_read", "survey_answers_save",
            "survey_responses_submit", "survey_waves_open", "survey_waves_close",
            "recommendations_list", "weaving_board", "recommendations_dismiss",
            "recommendations_refresh", "recommendations_run_latest",
            "introductions_list", "introductions_create", "introductions_read",
            "introductions_answer", "introductions_outcome", "introductions_withdraw",
            "weaving_report",
            "resources_list", "resources_create", "resources_read", "resources_update",
            "resources_set_status", "resources_revisions", "resources_upload",
            "topics_list", "topics_create", "topics_update", "topics_delete",
            "feeds_list", "feeds_create", "feeds_read", "feeds_update", "feeds_delete",
            "feeds_fetch", "feed_items_list", "feed_items_accept", "feed_items_dismiss",
            "product_stages_list", "product_stages_create", "product_stages_update",
            "product_stages_delete", "products_list", "products_create", "products_read",
            "products_update", "products_delete", "products_change_stage", "stage_changes_list",
            "investments_list", "investments_create", "investments_read", "investments_update",
            "investments_delete", "exchange_rates_list", "exchange_rates_set", "funding_summary",
            "funding_gaps",
            "mailing_lists_list", "mailing_lists_create", "mailing_lists_update",
            "mailing_lists_delete", "subscribers_list", "subscribers_create", "subscriber_read",
            "subscribers_unsubscribe", "suppressions_list", "suppressions_create",
            "suppressions_delete", "subscribers_subscribe",
            "newsletters_list", "newsletters_create", "newsletter_read", "newsletter_update",
            "editions_list", "edition_upsert", "newsletter_send", "newsletter_cancel",
            "newsletter_test", "newsletter_stats", "archive_list",
            "events_list", "event_read", "events_create", "event_update", "event_cancel",
            "event_sessions_list", "event_registrations_list", "event_register",
            "registration_cancel", "registration_check_in", "proposals_create", "proposal_decide",
        }  # fmt: skip

    def test_every_operation_documents_its_errors_as_json(self):
        document = _live_document()
        for operation_id, (_method, _path, operation) in _operations(document).items():
            errors = {code for code in operation["responses"] if code.startswith("4")}
            assert "401" in errors, operation_id
            for code in errors:
                schema = operation["responses"][code]["content"]["application/json"]["schema"]
                expected = "ValidationErrorOut" if code == "400" else "ErrorOut"
                assert schema["$ref"].endswith(f"/{expected}"), (operation_id, code)

    def test_anonymous_access_is_declared_only_where_it_is_allowed(self):
        operations = _operations(_live_document())
        anonymous = {
            operation_id
            for operation_id, (_m, _p, operation) in operations.items()
            if {} in operation["security"]
        }
        signed_in_only = {"applications_create", "me_read", "me_update"} | {
            op for op in operations if op.startswith("tokens_")
        }
        assert anonymous == set(operations) - signed_in_only
        for operation_id in operations:
            security = operations[operation_id][2]["security"]
            assert {"ApiTokenAuth": []} in security and {"SessionCookieAuth": []} in security

    def test_the_literal_choices_match_the_models(self):
        pairs = [
            (schemas.RoleName, Role.values),
            (schemas.MembershipStatusName, Membership.Status.values),
            (schemas.InvitationStatusName, Invitation.Status.values),
            (schemas.TierName, Membership.Tier.values),
            (schemas.MapConsentName, Person.MapConsent.values),
            (schemas.PurposeName, Network.Purpose.values),
            (schemas.VisibilityName, Network.Visibility.values),
            (schemas.OrganizationKindName, Organization.Kind.values),
        ]
        for literal, values in pairs:
            assert list(get_args(literal)) == list(values), literal


@pytest.mark.django_db
class ApiDocsPageTests:
    def test_the_swagger_page_loads_its_scripts_from_our_own_static_files(self):
        response = Client().get("/api/v1/docs")
        assert response.status_code == 200
        page = response.content.decode()
        assert "/static/ninja/swagger-ui-bundle.js" in page
        assert "/api/v1/openapi.json" in page
        assert not re.search(r"""(src|href)=["']https?://""", page)  # no CDN: no internet here

    def test_the_static_files_it_needs_are_found_by_collectstatic(self):
        for name in ("swagger-ui-bundle.js", "swagger-ui-init.js", "swagger-ui.css"):
            assert finders.find(f"ninja/{name}"), name
