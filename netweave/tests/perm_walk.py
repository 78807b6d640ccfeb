"""Walks every URL pattern and every API operation, and fills their parameters from the cast.

Used by test_permissions.py. Nothing here knows what anyone may do; permission_table.py says that.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from netweave.accounts.models import ApiToken
from netweave.accounts.services import api_token_create
from netweave.lib.testing import Cast, make_member, make_organization
from netweave.networks.models import Network
from netweave.people.models import ImportJob, Invitation, Membership, Person
from netweave.people.services import invitation_create, person_set_affiliation
from netweave.surveys.models import SurveyWave
from netweave.surveys.services import survey_create, wave_create, wave_open
from netweave.tests.permission_areas import AREAS
from netweave.ties.models import Snapshot, Tie
from netweave.ties.services import snapshot_compute, snapshot_take, tie_add
from netweave.weaving.models import Introduction, Recommendation, RecommendationRun
from netweave.weaving.services import introduction_propose

# --- the URL patterns -----------------------------------------------------------------------------


@dataclass(frozen=True)
class Route:
    """One URL pattern: its full name (with namespaces), its route and its parameters."""

    name: str | None
    route: str
    params: tuple[str, ...]

    @property
    def is_network_page(self) -> bool:
        """Under /n/<network_slug>/: a private network must not exist for outsiders here."""
        return "network_slug" in self.params

    @property
    def namespace(self) -> str:
        return self.name.rpartition(":")[0] if self.name else ""


def _pattern_params(pattern: URLPattern | URLResolver) -> list[str]:
    converters = getattr(pattern.pattern, "converters", None)
    if converters:  # a RoutePattern: "<int:person_id>"
        return list(converters)
    return list(pattern.pattern.regex.groupindex)  # a RegexPattern: "(?P<app_label>...)"


def _walk(patterns: list[Any], prefix: str, namespace: str, params: list[str]) -> Iterator[Route]:
    for pattern in patterns:
        here = params + _pattern_params(pattern)
        route = prefix + str(pattern.pattern)
        if isinstance(pattern, URLResolver):
            inner = f"{namespace}{pattern.namespace}:" if pattern.namespace else namespace
            yield from _walk(pattern.url_patterns, route, inner, here)
        else:
            name = f"{namespace}{pattern.name}" if pattern.name else None
            yield Route(name=name, route=route, params=tuple(dict.fromkeys(here)))


def all_routes() -> list[Route]:
    """Every URL pattern Django serves, named or not, in resolver order."""
    return list(_walk(get_resolver().url_patterns, "/", "", []))


def named_routes() -> dict[str, Route]:
    """One route per URL name (Django reverses a name to its first pattern, so the first wins)."""
    routes: dict[str, Route] = {}
    for route in all_routes():
        if route.name is not None:
            routes.setdefault(route.name, route)
    return routes


_PARAM = re.compile(r"<(?:\w+:)?(\w+)>|\{(?:\w+:)?(\w+)\}")


def route_shape(route: str) -> str:
    """'/n/<slug:network_slug>/' and '/n/{network_slug}/' both become '/n/{network_slug}/'."""
    return _PARAM.sub(lambda m: "{" + (m.group(1) or m.group(2)) + "}", route)


# --- the API operations ---------------------------------------------------------------------------


@dataclass(frozen=True)
class Operation:
    """One operation of the OpenAPI document: what the API promises to its clients."""

    operation_id: str
    method: str
    path: str
    path_params: tuple[str, ...]
    query_params: tuple[tuple[str, dict[str, Any]], ...]
    body_schema: dict[str, Any] | None
    components: dict[str, Any] = field(repr=False, compare=False, hash=False, default_factory=dict)

    @property
    def is_network_operation(self) -> bool:
        return bool(set(self.path_params) & NETWORK_PARAMS)


NETWORK_PARAMS = {"network_slug", "slug"}


def api_schema() -> dict[str, Any]:
    from netweave.api.api import api

    return dict(api.get_openapi_schema())


def api_operations(schema: dict[str, Any] | None = None) -> list[Operation]:
    schema = schema if schema is not None else api_schema()
    components = schema.get("components", {}).get("schemas", {})
    operations = []
    for path, methods in schema.get("paths", {}).items():
        for method, spec in methods.items():
            if method.lower() not in {"get", "post", "put", "patch", "delete"}:
                continue
            parameters = spec.get("parameters", [])
            body = (
                spec.get("requestBody", {})
                .get("content", {})
                .get("application/json", {})
                .get("schema")
            )
            operations.append(
                Operation(
                    operation_id=spec.get("operationId") or f"{method.upper()} {path}",
                    method=method.upper(),
                    path=path,
                    path_params=tuple(p["name"] for p in parameters if p.get("in") == "path"),
                    query_params=tuple(
                        (p["name"], p.get("schema", {}))
                        for p in parameters
                        if p.get("in") == "query" and p.get("required")
                    ),
                    body_schema=body,
                    components=components,
                )
            )
    return operations


def example_for(
    schema: dict[str, Any], components: dict[str, Any], depth: int = 0, name: str = ""
) -> Any:
    """A small value that satisfies `schema`: required fields only, the first enum choice."""
    if depth > 8:
        return None
    if "$ref" in schema:
        target = components[schema["$ref"].rsplit("/", 1)[-1]]
        return example_for(target, components, depth + 1, name)
    for combinator in ("allOf", "anyOf", "oneOf"):
        if schema.get(combinator):
            options = [s for s in schema[combinator] if s.get("type") != "null"]
            return example_for(options[0] if options else {}, components, depth + 1, name)
    if "default" in schema:
        return schema["default"]
    if schema.get("enum"):
        return schema["enum"][0]
    kind = schema.get("type")
    if kind == "object" or "properties" in schema:
        properties = schema.get("properties", {})
        return {
            key: example_for(properties.get(key, {}), components, depth + 1, key)
            for key in schema.get("required", [])
        }
    if kind == "array":
        return []
    if kind == "integer":
        return 1
    if kind == "number":
        return 1.0
    if kind == "boolean":
        return False
    if schema.get("format") == "email" or "email" in name:
        return "new.person@example.org"
    if schema.get("format") in ("uri", "url"):
        return "https://example.org/"
    if schema.get("format") == "date":
        return "2030-01-01"
    if schema.get("format") == "date-time":
        return "2030-01-01T00:00:00Z"
    return "Example"


# --- the things a URL points at, made for one cast ------------------------------------------------


@dataclass
class World:
    """Objects in `cast.network` for URL parameters (and the same kinds in `cast.other_network`,
    to check that one network's URLs never reach another network's rows)."""

    cast: Cast
    network: Network
    person: Person
    membership: Membership
    organization_id: int
    invitation: Invitation
    import_job: ImportJob
    tie: Tie
    snapshot: Snapshot
    wave: SurveyWave
    tokens: dict[str, ApiToken]
    raw_tokens: dict[str, str]
    # Weaving rows belong to people: each member, steward and coordinator gets their own.
    recommendations: dict[str, Recommendation]
    introductions: dict[str, Introduction]
    # Rows of the areas in permission_areas.py (library, feeds, field, ...), by the names their
    # `build` gives them; their FILLERS read them from here.
    extras: dict[str, Any] = field(default_factory=dict)

    @classmethod
    def build(cls, cast: Cast, *, network: Network | None = None) -> World:
        network = network or cast.network
        if network == cast.network:
            person = cast.member
        else:  # a plain member of the other network, with an organization of their own
            person = make_member(network, name="Oskar Elsewhere", email="oskar@example.org")
            person_set_affiliation(person=person, organization=make_organization("Elsewhere Org"))
        membership = Membership.objects.get(network=network, person=person)
        organization_id = person.affiliations.values_list("organization_id", flat=True).first()
        assert organization_id, f"{person} needs an organization for the organization URLs"
        invitation = invitation_create(
            network=network,
            email=f"invitee@{network.slug}.example.org",
            invited_by=None,
            send=False,
        )
        import_job = ImportJob.objects.create(
            network=network,
            kind=ImportJob.Kind.PEOPLE,
            filename="members.csv",
            content=b"name,email\nIda Import,ida@example.org\n",
        )
        # A live tie, a finished snapshot (so exports and the map answer 200) and an open wave.
        other = cast.steward if network == cast.network else cast.other_member
        tie = tie_add(network=network, source=person, target=other, kind="collaborates")
        snapshot = snapshot_take(network=network, label="Walk")
        snapshot_compute(snapshot_id=snapshot.pk)
        snapshot.refresh_from_db()
        survey = survey_create(network=network, title="Walk survey", created_by=None)
        wave = wave_create(survey=survey)
        wave_open(wave=wave, actor=None)
        recommendations, introductions = _weaving_rows(cast, network, person, other)
        extras: dict[str, Any] = {}
        for area in AREAS:
            extras.update(area.build(cast, network, person, other))
        tokens, raw_tokens = {}, {}
        for role in ("coordinator", "steward", "member", "observer", "other_member", "outsider"):
            user = cast.user(role)
            if user is not None and network == cast.network:
                tokens[role], raw_tokens[role] = api_token_create(user=user, name=f"{role} script")
        return cls(
            cast=cast,
            network=network,
            person=person,
            membership=membership,
            organization_id=organization_id,
            invitation=invitation,
            import_job=import_job,
            tie=tie,
            snapshot=snapshot,
            wave=wave,
            tokens=tokens,
            raw_tokens=raw_tokens,
            recommendations=recommendations,
            introductions=introductions,
            extras=extras,
        )

    def token_for(self, role: str) -> ApiToken:
        """The API token of the user under test (anonymous visitors try the coordinator's)."""
        return self.tokens.get(role) or self.tokens["coordinator"]

    def raw_token_for(self, role: str) -> str:
        return self.raw_tokens[role]

    def recommendation_for(self, role: str) -> Recommendation:
        """The suggestion for the role's own person (others are refused before any lookup)."""
        return self.recommendations.get(role) or next(iter(self.recommendations.values()))

    def introduction_for(self, role: str) -> Introduction:
        """An introduction the role's own person proposed and is part of."""
        return self.introductions.get(role) or next(iter(self.introductions.values()))


def _weaving_rows(
    cast: Cast, network: Network, person: Person, other: Person
) -> tuple[dict[str, Recommendation], dict[str, Introduction]]:
    """A finished computation of the suggestions; an introduction each of the member, steward
    and coordinator of cast.network proposed (to the next of them), then a suggestion for each
    (made after it, so that it is still open)."""
    RecommendationRun.objects.create(network=network, status=RecommendationRun.Status.DONE)
    if network == cast.network:
        pairs = {
            "member": (cast.member, cast.steward),
            "steward": (cast.steward, cast.coordinator),
            "coordinator": (cast.coordinator, cast.member),
        }
    else:
        pairs = {"member": (person, other)}
    introductions = {
        role: introduction_propose(network=network, proposed_by=me, person_a=me, person_b=met)
        for role, (me, met) in pairs.items()
    }
    recommendations = {
        role: Recommendation.objects.create(
            network=network,
            person=me,
            suggested=met,
            score=1.0,
            details=[{"code": "bridge"}],
            goals=",bridge,",
        )
        for role, (me, met) in pairs.items()
    }
    return recommendations, introductions


# Each URL or path parameter by name: how to fill it for `world` and the role under test.
# A parameter that is missing here fails the test with a message that points to this dict.
Filler = Callable[["World", str], Any]
KWARG_FILLERS: dict[str, Filler] = {
    "network_slug": lambda w, role: w.cast.network.slug,
    "slug": lambda w, role: w.cast.network.slug,
    "person_id": lambda w, role: w.person.pk,
    "organization_id": lambda w, role: w.organization_id,
    "membership_id": lambda w, role: w.membership.pk,
    "invitation_id": lambda w, role: w.invitation.pk,
    "token": lambda w, role: w.invitation.token,
    "job_id": lambda w, role: w.import_job.pk,
    "token_id": lambda w, role: w.token_for(role).pk,
    "tie_id": lambda w, role: w.tie.pk,
    "snapshot_id": lambda w, role: w.snapshot.pk,
    "survey_id": lambda w, role: w.wave.survey_id,
    "wave_id": lambda w, role: w.wave.pk,
    "recommendation_id": lambda w, role: w.recommendation_for(role).pk,
    "introduction_id": lambda w, role: w.introduction_for(role).pk,
    "answer_token": lambda w, role: w.introduction_for("member").b_token,
    # the areas' own parameters (permission_areas.py)
    **{name: filler for area in AREAS for name, filler in area.FILLERS.items()},
    # Django admin: staff is checked before any object is looked up.
    "object_id": lambda w, role: str(w.cast.coordinator.user_id),
    "id": lambda w, role: str(w.cast.coordinator.user_id),
    "content_type_id": lambda w, role: str(ContentType.objects.get_for_model(Person).pk),
    "app_label": lambda w, role: "accounts",
    # allauth's password reset link: any well-formed key (allauth shows "bad token").
    "uidb36": lambda w, role: "1",
    "key": lambda w, role: "set-password",
}


class MissingFiller(LookupError):
    pass


def fill(params: tuple[str, ...], world: World, role: str, fixed: dict[str, Any]) -> dict[str, Any]:
    values = {}
    for param in params:
        if param in fixed:
            values[param] = fixed[param]
        elif param in KWARG_FILLERS:
            values[param] = KWARG_FILLERS[param](world, role)
        else:
            raise MissingFiller(
                f"No value for the URL parameter {param!r}: add a filler for it to "
                "KWARG_FILLERS in netweave/tests/perm_walk.py (or a fixed value in the "
                "table entry's `kwargs`)."
            )
    return values


def url_for(route: Route, world: World, role: str, fixed: dict[str, Any]) -> str:
    assert route.name is not None
    return reverse(route.name, kwargs=fill(route.params, world, role, fixed))


def path_for(operation: Operation, world: World, role: str, fixed: dict[str, Any]) -> str:
    values = fill(operation.path_params, world, role, fixed)
    path = operation.path
    for name, value in values.items():
        path = re.sub(r"\{(?:\w+:)?" + name + r"\}", str(value), path)
    return path
