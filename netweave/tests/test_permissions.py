"""Every URL and every API operation, for every person of the test cast, against the table.

The table (permission_table.py) is design.md section 5 written out per address. These tests walk
Django's URL resolver and the API's OpenAPI document, so a new page or operation without an entry
fails here, and so does an entry whose page is gone. Each case runs every role of the cast
(coordinator, steward, member, observer, a coordinator of *another* network, a signed-in outsider,
an anonymous visitor), each request in a savepoint that is rolled back, so that what one role did
cannot change what the next one sees.
"""

from __future__ import annotations

import fnmatch
import json
from typing import Any

import pytest
from django.db import transaction
from django.test import Client
from django.urls import reverse

from netweave.accounts.models import User
from netweave.lib.testing import Cast
from netweave.people.models import Invitation, Membership, Role
from netweave.tests.perm_rules import (
    ROLES,
    RUNG,
    Outcome,
    UnexpectedAnswer,
    Who,
    api_outcome,
    expected_api,
    expected_page,
    page_outcome,
)
from netweave.tests.perm_walk import (
    Operation,
    Route,
    World,
    all_routes,
    api_operations,
    api_schema,
    example_for,
    named_routes,
    path_for,
    route_shape,
    url_for,
)
from netweave.tests.permission_areas import AREAS  # (importing it merges the areas' entries)
from netweave.tests.permission_table import API, GROUPS, PAGES, ApiOp, Page

ROUTES = named_routes()
OPERATIONS = {operation.operation_id: operation for operation in api_operations()}
API_PATHS = {route_shape(operation.path) for operation in OPERATIONS.values()}
# Parameters that point at one network's rows (the cross-tenant test swaps in another network's).
OBJECT_PARAMS = {
    "person_id",
    "organization_id",
    "membership_id",
    "invitation_id",
    "job_id",
    "recommendation_id",
    "introduction_id",
} | {param for area in AREAS for param in getattr(area, "OBJECT_PARAMS", set())}


def page_entry(name: str) -> Page | None:
    if name in PAGES:
        return PAGES[name]
    for pattern, entry in GROUPS.items():
        if fnmatch.fnmatchcase(name, pattern):
            return entry
    return None


def is_api_operation_url(route: Route) -> bool:
    """The URL of an API operation: its entry is in API, keyed by operationId, not in PAGES."""
    return route.namespace == "api-v1" and route_shape(route.route) in API_PATHS


def group_of(name: str) -> str | None:
    if name in PAGES:
        return None
    return next((pattern for pattern in GROUPS if fnmatch.fnmatchcase(name, pattern)), None)


# One case per URL name and method; a group (the admin) is one case per method, walking its names.
PAGE_CASES = [
    (name, method) for name in sorted(ROUTES) if name in PAGES for method in ("GET", "POST")
]
GROUP_CASES = [(pattern, method) for pattern in sorted(GROUPS) for method in ("GET", "POST")]
# Nobody in the cast is staff: the most and the least privileged signed-in roles, and anonymous
# visitors, stand for everyone.
GROUP_ROLES = ["anonymous", "outsider", "coordinator"]
NETWORK_PAGE_CASES = [(name, method) for name, method in PAGE_CASES if ROUTES[name].is_network_page]
FOREIGN_OBJECT_CASES = [
    (name, method)
    for name, method in NETWORK_PAGE_CASES
    if OBJECT_PARAMS & set(ROUTES[name].params)
    and getattr(page_entry(name), method.lower()) not in (Who.NO_ONE, Who.NO_ONE_SIGNED_IN)
]
API_CASES = sorted(OPERATIONS)
API_NETWORK_CASES = [key for key in API_CASES if OPERATIONS[key].is_network_operation]


# --- the table covers every address, and only addresses that exist -------------------------------


class PermissionTableCoverageTests:
    def test_every_url_name_has_an_entry_in_the_table(self) -> None:
        missing = [
            f"{name}  ({route.route})"
            for name, route in sorted(ROUTES.items())
            if page_entry(name) is None and not is_api_operation_url(route)
        ]
        assert not missing, (
            "These URL names have no entry in netweave/tests/permission_table.py (PAGES): say "
            "which row of design.md section 5 they belong to and who may GET and POST them:\n  "
            + "\n  ".join(missing)
        )

    def test_every_page_entry_in_the_table_has_a_url(self) -> None:
        stale = [name for name in PAGES if name not in ROUTES]
        stale += [
            pattern
            for pattern in GROUPS
            if not any(fnmatch.fnmatchcase(name, pattern) for name in ROUTES)
        ]
        assert not stale, f"Entries in permission_table.py without a URL (remove them): {stale}"

    def test_every_url_pattern_outside_the_admin_has_a_name(self) -> None:
        # The table is keyed by URL name; an unnamed pattern could never be checked. The admin's
        # own unnamed redirects, and catch-alls that answer "nothing here", are the exceptions.
        unnamed = [
            route.route
            for route in all_routes()
            if route.name is None
            and not route.route.startswith("/admin/")
            and not route.route.endswith((".+$", ".*$"))
        ]
        assert not unnamed, f"Give these URL patterns a name (and a table entry): {unnamed}"

    def test_every_api_operation_has_an_entry_in_the_table(self) -> None:
        missing = [
            f"{key}  ({operation.method} {operation.path})"
            for key, operation in sorted(OPERATIONS.items())
            if key not in API
        ]
        assert not missing, (
            "These API operations have no entry in netweave/tests/permission_table.py (API): "
            "say which row of design.md section 5 they belong to and who may call them:\n  "
            + "\n  ".join(missing)
        )

    def test_every_api_entry_in_the_table_is_an_operation(self) -> None:
        stale = [key for key in API if key not in OPERATIONS]
        assert not stale, f"API entries in permission_table.py without an operation: {stale}"

    def test_every_api_operation_has_its_own_operation_id(self) -> None:
        ids = [
            spec.get("operationId")
            for methods in api_schema().get("paths", {}).values()
            for spec in methods.values()
        ]
        assert None not in ids, "Give every API operation an explicit operation_id"
        assert len(ids) == len(set(ids)), f"Duplicate operationIds: {sorted(ids)}"


# --- asking, and checking the answer --------------------------------------------------------------


def ask_page(world: World, role: str, method: str, url: str, entry: Page) -> Outcome:
    user = world.cast.user(role)
    client = Client(enforce_csrf_checks=False)
    with transaction.atomic():
        if user is not None:
            client.force_login(user)
        data = entry.post_data or {}
        response = client.get(url) if method == "GET" else client.post(url, data)
        transaction.set_rollback(True)
    return page_outcome(response, url)


def expected_for(
    entry: Page, method: str, role: str, *, network_page: bool, private: bool
) -> Outcome:
    if role == "anonymous" and entry.anonymous is not None:
        return entry.anonymous
    who = entry.get if method == "GET" else entry.post
    return expected_page(who, role, network_page=network_page, private=private)


def agrees(expected: Outcome, actual: Outcome, *, empty_form: bool) -> bool:
    # An empty form sent by someone who may send it earns an error message or a 400.
    return actual == expected or (
        empty_form
        and expected is Outcome.ALLOWED
        and actual in (Outcome.REFUSED, Outcome.BAD_INPUT)
    )


def check_every_role(
    subtests: Any,
    name: str,
    method: str,
    world: World,
    *,
    private: bool,
    roles: list[str] = ROLES,
) -> dict[str, Outcome]:
    route, entry = ROUTES[name], page_entry(name)
    assert entry is not None
    answers: dict[str, Outcome] = {}
    for role in roles:
        with subtests.test(msg=f"{method} {name} as {role}", role=role):
            url = url_for(route, world, role, entry.kwargs)
            expected = expected_for(
                entry, method, role, network_page=route.is_network_page, private=private
            )
            try:
                actual = ask_page(world, role, method, url, entry)
            except UnexpectedAnswer as error:
                pytest.fail(f"{method} {url} as {role}: {error}; the table expects {expected}")
            answers[role] = actual
            empty_form = method == "POST" and entry.post_data is None
            assert agrees(expected, actual, empty_form=empty_form), (
                f"{method} {url} as {role}: got {actual.name} ({actual}), but the table "
                f"({entry.row.value!r}; {method}: {(entry.get if method == 'GET' else entry.post).value}) "
                f"expects {expected.name} ({expected})"
            )
    return answers


# --- every page, every role -----------------------------------------------------------------------


@pytest.mark.parametrize(("name", "method"), PAGE_CASES, ids=[f"{n} {m}" for n, m in PAGE_CASES])
def test_each_person_gets_the_answer_the_table_gives(
    name: str, method: str, cast: Cast, subtests: Any
) -> None:
    answers = check_every_role(subtests, name, method, World.build(cast), private=False)
    if ROUTES[name].is_network_page and {"outsider", "other_member"} <= answers.keys():
        # Being a coordinator elsewhere counts for nothing here.
        assert answers["other_member"] == answers["outsider"], (
            f"{method} {name}: the coordinator of another network got "
            f"{answers['other_member'].name}, a signed-in outsider got {answers['outsider'].name}"
        )


@pytest.mark.parametrize(
    ("pattern", "method"), GROUP_CASES, ids=[f"{p} {m}" for p, m in GROUP_CASES]
)
def test_each_page_of_a_group_gives_the_answer_of_its_group(
    pattern: str, method: str, cast: Cast, subtests: Any
) -> None:
    world = World.build(cast)
    names = [name for name in sorted(ROUTES) if group_of(name) == pattern]
    assert names, f"no URL name matches {pattern!r}"
    for name in names:
        check_every_role(subtests, name, method, world, private=False, roles=GROUP_ROLES)


@pytest.mark.parametrize(
    ("name", "method"), NETWORK_PAGE_CASES, ids=[f"{n} {m}" for n, m in NETWORK_PAGE_CASES]
)
def test_a_private_network_does_not_exist_for_outsiders(
    name: str, method: str, private_cast: Cast, subtests: Any
) -> None:
    world = World.build(private_cast)
    answers = check_every_role(subtests, name, method, world, private=True)
    entry = page_entry(name)
    assert entry is not None
    route = ROUTES[name]
    for role in [role for role in ROLES if RUNG[role] == 0]:
        with subtests.test(msg=f"{method} {name} as {role}: like a network that does not exist"):
            url = url_for(route, world, role, {**entry.kwargs, "network_slug": "no-such-network"})
            nowhere = ask_page(world, role, method, url, entry)
            assert answers.get(role) == nowhere, (
                f"{method} {name} as {role}: a private network answers "
                f"{answers.get(role)}, a network that does not exist answers {nowhere}: "
                "an outsider can tell that the private network exists"
            )


@pytest.mark.parametrize(
    ("name", "method"), FOREIGN_OBJECT_CASES, ids=[f"{n} {m}" for n, m in FOREIGN_OBJECT_CASES]
)
def test_another_networks_rows_are_not_found_through_this_networks_urls(
    name: str, method: str, cast: Cast
) -> None:
    """The coordinator of cast.network asks for people, memberships, invitations... of
    cast.other_network through cast.network's URLs: none of them exists here."""
    route, entry = ROUTES[name], page_entry(name)
    assert entry is not None
    World.build(cast)  # the same rows in cast.network, so that ids do not line up by accident
    elsewhere = World.build(cast, network=cast.other_network)
    url = url_for(route, elsewhere, "coordinator", entry.kwargs)
    outcome = ask_page(elsewhere, "coordinator", method, url, entry)
    assert outcome is Outcome.NOT_FOUND, (
        f"{method} {url} (ids of {cast.other_network.slug!r}'s rows under "
        f"/n/{cast.network.slug}/) answered {outcome.name} to cast.network's coordinator"
    )


def test_nobody_revokes_another_persons_api_token(cast: Cast) -> None:
    world = World.build(cast)
    url = reverse("accounts:token_revoke", kwargs={"token_id": world.token_for("member").pk})
    for role in ("coordinator", "steward", "outsider"):
        assert ask_page(world, role, "POST", url, PAGES["accounts:token_revoke"]) is (
            Outcome.NOT_FOUND
        ), role
    world.tokens["member"].refresh_from_db()
    assert world.tokens["member"].revoked_at is None


def test_site_staff_reach_every_admin_list(db: Any) -> None:
    # Nobody in the cast is staff; this proves the admin group is not simply closed to all.
    staff = User.objects.create_superuser(email="admin@example.org", password="x")
    client = Client()
    client.force_login(staff)
    lists = [name for name in ROUTES if name == "admin:index" or name.endswith("_changelist")]
    assert lists
    for name in lists:
        assert client.get(reverse(name)).status_code == 200, name


def test_accepting_an_invitation_never_lowers_the_role_someone_has(cast: Cast) -> None:
    world = World.build(cast)  # a pending "member" invitation
    url = reverse("invitations:accept", kwargs={"token": world.invitation.token})
    coordinator = cast.user("coordinator")  # the network's only coordinator
    assert coordinator is not None
    client = Client()
    client.force_login(coordinator)
    client.post(url, {})
    membership = Membership.objects.get(network=cast.network, person=cast.coordinator)
    assert world.invitation.role == Role.MEMBER
    assert Invitation.objects.filter(pk=world.invitation.pk, status="accepted").exists()
    assert membership.role == Role.COORDINATOR


# --- every API operation, every role --------------------------------------------------------------


def api_request(operation: Operation, entry: ApiOp) -> dict[str, Any]:
    query = {
        name: example_for(schema, operation.components) for name, schema in operation.query_params
    }
    if operation.method == "GET":
        return {"data": query} if query else {}
    body = entry.body
    if body is None and operation.body_schema is not None:
        body = example_for(operation.body_schema, operation.components)
    request: dict[str, Any] = {"content_type": "application/json"}
    if body is not None:
        request["data"] = json.dumps(body)
    return request


def ask_api(
    world: World, role: str, operation: Operation, entry: ApiOp, path: str, *, with_token: bool
) -> Outcome:
    """One API call by `role`: with the session of a signed-in browser, or with the role's
    personal API token, inside a savepoint that is rolled back afterwards."""
    user = world.cast.user(role)
    client = Client(enforce_csrf_checks=False)
    request = api_request(operation, entry)
    with transaction.atomic():
        if user is not None:
            if with_token:
                client.defaults["HTTP_AUTHORIZATION"] = f"Bearer {world.raw_token_for(role)}"
            else:
                client.force_login(user)
        if operation.method == "GET":
            response = client.get(path, request.get("data"))
        else:
            response = client.generic(operation.method, path, **request)
        transaction.set_rollback(True)
    return api_outcome(response)


def check_api_roles(
    subtests: Any, key: str, world: World, *, private: bool, with_token: bool
) -> dict[str, Outcome]:
    operation, entry = OPERATIONS[key], API.get(key)
    if entry is None:
        pytest.fail(f"{key} has no entry in permission_table.API")
    answers: dict[str, Outcome] = {}
    for role in ROLES:
        with subtests.test(msg=f"{operation.method} {operation.path} ({key}) as {role}"):
            path = path_for(operation, world, role, {})
            expected = expected_api(
                entry.who, role, network_operation=operation.is_network_operation, private=private
            )
            try:
                actual = ask_api(world, role, operation, entry, path, with_token=with_token)
            except UnexpectedAnswer as error:
                pytest.fail(f"{operation.method} {path} as {role}: {error}; expected {expected}")
            answers[role] = actual
            # Bad input (400) and a clash with the current state (409) come after the permission
            # check; anyone else who gets a 400 was stopped by the body: give the entry a `body`.
            past_the_check = operation.method != "GET" and actual in (
                Outcome.BAD_INPUT,
                Outcome.CONFLICT,
            )
            assert actual == expected or (past_the_check and expected is Outcome.ALLOWED), (
                f"{operation.method} {path} ({key}) as {role}: got {actual.name} ({actual}), but "
                f"the table ({entry.row.value!r}; {entry.who.value}) expects {expected.name}"
            )
    return answers


@pytest.mark.parametrize("key", API_CASES)
def test_each_api_caller_gets_the_answer_the_table_gives(
    key: str, cast: Cast, subtests: Any
) -> None:
    # Callers use a browser session here, and their personal API token on the private network.
    answers = check_api_roles(subtests, key, World.build(cast), private=False, with_token=False)
    if OPERATIONS[key].is_network_operation and {"outsider", "other_member"} <= answers.keys():
        assert answers["other_member"] == answers["outsider"], key


@pytest.mark.parametrize("key", API_NETWORK_CASES)
def test_a_private_network_does_not_exist_for_outsiders_of_the_api(
    key: str, private_cast: Cast, subtests: Any
) -> None:
    check_api_roles(subtests, key, World.build(private_cast), private=True, with_token=True)


@pytest.mark.parametrize(
    "key", [key for key in API_NETWORK_CASES if OBJECT_PARAMS & set(OPERATIONS[key].path_params)]
)
def test_another_networks_rows_are_not_found_through_this_networks_api(
    key: str, cast: Cast
) -> None:
    operation, entry = OPERATIONS[key], API.get(key)
    if entry is None:
        pytest.fail(f"{key} has no entry in permission_table.API")
    World.build(cast)
    elsewhere = World.build(cast, network=cast.other_network)
    path = path_for(operation, elsewhere, "coordinator", {})
    outcome = ask_api(elsewhere, "coordinator", operation, entry, path, with_token=False)
    assert outcome is Outcome.NOT_FOUND, f"{operation.method} {path} answered {outcome.name}"
