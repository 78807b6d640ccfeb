"""Who may use every URL and every API operation: design.md section 5, written out per address.

test_permissions.py walks Django's URL resolver and the API's OpenAPI document and checks every
page and operation, for every person of the test cast, against this file. A new URL or API
operation without an entry here fails that test, and so does an entry whose URL is gone.

How to read an entry: `Page(Row.DIRECTORY, get=Who.OBSERVER_UP, post=...)` says the page belongs to
the row "member directory, ..." of design.md section 5, and that observers and every rung above
them may GET it. Whoever lacks the rung is sent to sign in when anonymous, gets a 403 when signed in,
and a 404 when the network is private and they are not in it (netweave/tests/perm_rules.py spells
this out). `post` says the same for POST with an empty body (or `post_data`): a page that does not
take POST says `Who.NO_ONE` (405); a page that answers POST like GET repeats the GET rule.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any

from netweave.tests.perm_rules import Outcome, Who


class Row(StrEnum):
    """The rows of design.md section 5, then the addresses that are not a network's data."""

    PUBLIC = "public catalogue, public resources, public events"
    DIRECTORY = "member directory, network-only resources, discussions"
    OWN_EGO = "own ego network and introductions"
    MAP = "whole network map with names"
    RAW = "survey answers of others, raw ties, exports"
    SETTINGS = "settings, members' roles, newsletters, curation"  # stewards: "partly"
    # Not a network's data:
    JOINING = "joining a network: applying, accepting an invitation (its token is the key)"
    TOKEN = (
        "a subscriber's subscriptions and data, a registration, a private calendar, counting "
        "an open or a click (the emailed token is the key)"
    )
    OWN_ACCOUNT = "a signed-in person's own account: their networks, profile and API tokens"
    SIGNING_IN = "signing in, signing up and managing a login (django-allauth)"
    OPERATIONS = "running the site: health check, language switch, the API's documents"
    SITE_ADMIN = "Django's admin: site staff only (nobody in the cast is staff)"


@dataclass(frozen=True)
class Page:
    row: Row
    get: Who
    post: Who
    kwargs: dict[str, Any] = field(default_factory=dict)  # fixed URL parameters
    post_data: dict[str, Any] | None = None  # a real submission instead of an empty body
    anonymous: Outcome | None = None  # what anonymous visitors get instead (say why in `note`)
    note: str = ""


@dataclass(frozen=True)
class ApiOp:
    row: Row
    who: Who
    body: dict[str, Any] | None = None  # instead of the smallest body the schema accepts
    note: str = ""


# --- HTML pages, by URL name ---------------------------------------------------------------------

PAGES: dict[str, Page] = {
    # public catalogue, public resources, public events
    "networks:catalogue": Page(Row.PUBLIC, get=Who.EVERYONE, post=Who.NO_ONE),
    "networks:home": Page(Row.PUBLIC, get=Who.EVERYONE, post=Who.NO_ONE),
    # member directory, network-only resources, discussions
    "people:directory": Page(Row.DIRECTORY, get=Who.OBSERVER_UP, post=Who.NO_ONE),
    "people:person": Page(Row.DIRECTORY, get=Who.OBSERVER_UP, post=Who.NO_ONE),
    "people:organizations": Page(Row.DIRECTORY, get=Who.OBSERVER_UP, post=Who.NO_ONE),
    "people:directory_facets": Page(Row.DIRECTORY, get=Who.OBSERVER_UP, post=Who.NO_ONE),
    "people:organization": Page(Row.DIRECTORY, get=Who.OBSERVER_UP, post=Who.NO_ONE),
    # whole network map with names (members: by consent; only coordinators see every name)
    "maps:map": Page(Row.MAP, get=Who.MEMBER_UP, post=Who.NO_ONE),
    "maps:map_data": Page(Row.MAP, get=Who.MEMBER_UP, post=Who.NO_ONE),
    "maps:health": Page(Row.MAP, get=Who.MEMBER_UP, post=Who.NO_ONE),
    # own ego network: answering the relationship survey about one's own ties
    "surveys:answer": Page(Row.OWN_EGO, get=Who.MEMBER_UP, post=Who.MEMBER_UP),
    "surveys:answer_row": Page(Row.OWN_EGO, get=Who.NO_ONE, post=Who.MEMBER_UP),
    # survey answers of others, raw ties, exports
    "ties:list": Page(Row.RAW, get=Who.COORDINATOR, post=Who.COORDINATOR),
    "ties:import": Page(Row.RAW, get=Who.COORDINATOR, post=Who.COORDINATOR),
    "ties:end": Page(Row.RAW, get=Who.NO_ONE, post=Who.COORDINATOR),
    "ties:edit": Page(Row.RAW, get=Who.COORDINATOR, post=Who.COORDINATOR),
    "ties:snapshots": Page(Row.RAW, get=Who.COORDINATOR, post=Who.COORDINATOR),
    "ties:snapshot_status": Page(Row.RAW, get=Who.COORDINATOR, post=Who.NO_ONE),
    "ties:snapshot_export": Page(
        Row.RAW, get=Who.COORDINATOR, post=Who.NO_ONE, kwargs={"file_format": "graphml"}
    ),
    "surveys:manage": Page(Row.RAW, get=Who.COORDINATOR, post=Who.COORDINATOR),
    "surveys:wave_new": Page(Row.RAW, get=Who.NO_ONE, post=Who.COORDINATOR),
    "surveys:wave_open": Page(Row.RAW, get=Who.NO_ONE, post=Who.COORDINATOR),
    "surveys:wave_close": Page(Row.RAW, get=Who.COORDINATOR, post=Who.COORDINATOR),
    "surveys:wave_rate": Page(Row.RAW, get=Who.COORDINATOR, post=Who.NO_ONE),
    "people:directory_export": Page(Row.RAW, get=Who.COORDINATOR, post=Who.NO_ONE),
    # weaving: the board, proposing for two other people and the report see the whole map's
    # structure (Capability.WEAVE); a member's own suggestions and introductions are OWN_EGO
    "weaving:board": Page(Row.RAW, get=Who.COORDINATOR, post=Who.NO_ONE),
    "weaving:refresh": Page(Row.RAW, get=Who.NO_ONE, post=Who.COORDINATOR),
    "weaving:propose": Page(Row.RAW, get=Who.NO_ONE, post=Who.COORDINATOR),
    "weaving:report": Page(Row.RAW, get=Who.COORDINATOR, post=Who.NO_ONE),
    "weaving:meet": Page(Row.OWN_EGO, get=Who.MEMBER_UP, post=Who.NO_ONE),
    "weaving:run_status": Page(Row.OWN_EGO, get=Who.MEMBER_UP, post=Who.NO_ONE),
    "weaving:ask": Page(
        Row.OWN_EGO,
        get=Who.NO_ONE,
        post=Who.MEMBER_UP,
        note="on the caller's own suggestion (another member's answers 404)",
    ),
    "weaving:dismiss": Page(Row.OWN_EGO, get=Who.NO_ONE, post=Who.MEMBER_UP),
    "weaving:introductions": Page(Row.OWN_EGO, get=Who.MEMBER_UP, post=Who.NO_ONE),
    "weaving:introduction_new": Page(Row.OWN_EGO, get=Who.MEMBER_UP, post=Who.MEMBER_UP),
    "weaving:introduction": Page(
        Row.OWN_EGO,
        get=Who.MEMBER_UP,
        post=Who.NO_ONE,
        note="an introduction the caller is part of (others answer 404; coordinators see all)",
    ),
    "weaving:introduction_answer": Page(Row.OWN_EGO, get=Who.NO_ONE, post=Who.MEMBER_UP),
    "weaving:introduction_outcome": Page(Row.OWN_EGO, get=Who.NO_ONE, post=Who.MEMBER_UP),
    "weaving:introduction_withdraw": Page(Row.OWN_EGO, get=Who.NO_ONE, post=Who.MEMBER_UP),
    # settings, members' roles, newsletters, curation ("partly" for stewards: onboarding)
    "networks:settings": Page(Row.SETTINGS, get=Who.COORDINATOR, post=Who.COORDINATOR),
    "people:manage_members": Page(Row.SETTINGS, get=Who.STEWARD_UP, post=Who.NO_ONE),
    "people:manage_membership": Page(
        Row.SETTINGS,
        get=Who.STEWARD_UP,
        post=Who.COORDINATOR,
        post_data={"role-role": "observer"},
        note="stewards see a membership; only coordinators change roles and statuses",
    ),
    "people:manage_applications": Page(Row.SETTINGS, get=Who.STEWARD_UP, post=Who.NO_ONE),
    "people:decide_application": Page(Row.SETTINGS, get=Who.NO_ONE, post=Who.STEWARD_UP),
    "people:manage_invitations": Page(Row.SETTINGS, get=Who.STEWARD_UP, post=Who.STEWARD_UP),
    "people:invitation_action": Page(
        Row.SETTINGS, get=Who.NO_ONE, post=Who.STEWARD_UP, kwargs={"action": "revoke"}
    ),
    "people:import_start": Page(Row.SETTINGS, get=Who.COORDINATOR, post=Who.COORDINATOR),
    "people:import_detail": Page(
        Row.SETTINGS, get=Who.COORDINATOR, post=Who.COORDINATOR, note="answers POST like GET"
    ),
    "people:import_commit": Page(Row.SETTINGS, get=Who.NO_ONE, post=Who.COORDINATOR),
    # joining a network
    "networks:apply": Page(
        Row.JOINING,
        get=Who.SIGNED_IN,
        post=Who.SIGNED_IN,
        note="sign-in comes before the network is looked up, so anonymous visitors are sent to "
        "sign in even for a private network (as for a network that does not exist)",
    ),
    "introductions:respond": Page(
        Row.JOINING,
        get=Who.EVERYONE,
        post=Who.EVERYONE,
        note="the email's answer link: its token is the key, for one side of one introduction",
    ),
    "invitations:accept": Page(
        Row.JOINING,
        get=Who.EVERYONE,
        post=Who.EVERYONE,
        note="the token is the key: anonymous visitors see a welcome page and sign in first",
    ),
    # a signed-in person's own account
    "accounts:dashboard": Page(Row.OWN_ACCOUNT, get=Who.SIGNED_IN, post=Who.NO_ONE),
    "accounts:profile": Page(Row.OWN_ACCOUNT, get=Who.SIGNED_IN, post=Who.SIGNED_IN),
    "accounts:tokens": Page(Row.OWN_ACCOUNT, get=Who.SIGNED_IN, post=Who.SIGNED_IN),
    "accounts:token_revoke": Page(Row.OWN_ACCOUNT, get=Who.NO_ONE_SIGNED_IN, post=Who.SIGNED_IN),
    # signing in (django-allauth): open pages, and the pages of a signed-in login
    "account_login": Page(Row.SIGNING_IN, get=Who.EVERYONE, post=Who.EVERYONE),
    "account_logout": Page(Row.SIGNING_IN, get=Who.EVERYONE, post=Who.EVERYONE),
    "account_signup": Page(Row.SIGNING_IN, get=Who.EVERYONE, post=Who.EVERYONE),
    "account_inactive": Page(Row.SIGNING_IN, get=Who.EVERYONE, post=Who.NO_ONE),
    "account_request_login_code": Page(Row.SIGNING_IN, get=Who.EVERYONE, post=Who.EVERYONE),
    "account_confirm_login_code": Page(Row.SIGNING_IN, get=Who.EVERYONE, post=Who.EVERYONE),
    "account_reset_password": Page(Row.SIGNING_IN, get=Who.EVERYONE, post=Who.EVERYONE),
    "account_reset_password_done": Page(Row.SIGNING_IN, get=Who.EVERYONE, post=Who.NO_ONE),
    "account_reset_password_from_key": Page(Row.SIGNING_IN, get=Who.EVERYONE, post=Who.EVERYONE),
    "account_reset_password_from_key_done": Page(Row.SIGNING_IN, get=Who.EVERYONE, post=Who.NO_ONE),
    "account_email_verification_sent": Page(
        Row.SIGNING_IN,
        get=Who.SIGNED_IN,
        post=Who.SIGNED_IN,
        anonymous=Outcome.SIGN_IN_PAGE,
        note="without a sign-up waiting for its email, allauth sends anonymous visitors to the "
        "sign-in page",
    ),
    "account_reauthenticate": Page(Row.SIGNING_IN, get=Who.SIGNED_IN, post=Who.SIGNED_IN),
    "account_email": Page(Row.SIGNING_IN, get=Who.SIGNED_IN, post=Who.SIGNED_IN),
    "account_change_password": Page(Row.SIGNING_IN, get=Who.SIGNED_IN, post=Who.SIGNED_IN),
    "account_set_password": Page(Row.SIGNING_IN, get=Who.SIGNED_IN, post=Who.SIGNED_IN),
    # running the site
    "healthz": Page(Row.OPERATIONS, get=Who.EVERYONE, post=Who.NO_ONE),
    "set_language": Page(Row.OPERATIONS, get=Who.EVERYONE, post=Who.EVERYONE),
    "api-v1:openapi-json": Page(
        Row.OPERATIONS, get=Who.EVERYONE, post=Who.EVERYONE, note="answers POST like GET"
    ),
    "api-v1:openapi-view": Page(
        Row.OPERATIONS, get=Who.EVERYONE, post=Who.EVERYONE, note="answers POST like GET"
    ),
    "api-v1:api-root": Page(
        Row.OPERATIONS, get=Who.EVERYONE, post=Who.EVERYONE, note="a JSON index of the API"
    ),
    # Django's admin: its own sign-in page is open; everything else needs staff (see GROUPS)
    "admin:login": Page(Row.SITE_ADMIN, get=Who.EVERYONE, post=Who.EVERYONE),
    "admin:logout": Page(
        Row.SITE_ADMIN,
        get=Who.EVERYONE,
        post=Who.EVERYONE,
        note="whoever is not staff is sent on to the admin's front page, which asks them to sign in",
    ),
}

# Groups of URL names (fnmatch patterns) that share one entry; an exact name above wins.
GROUPS: dict[str, Page] = {
    "admin:*": Page(Row.SITE_ADMIN, get=Who.STAFF, post=Who.STAFF),
}

# --- API operations, by operationId (paths under /api/v1/) ----------------------------------------

API: dict[str, ApiOp] = {
    # public catalogue, public resources, public events
    "networks_list": ApiOp(Row.PUBLIC, Who.EVERYONE, note="the catalogue, and one's own networks"),
    "networks_read": ApiOp(Row.PUBLIC, Who.EVERYONE),
    # member directory, network-only resources, discussions
    "members_list": ApiOp(Row.DIRECTORY, Who.OBSERVER_UP),
    "people_read": ApiOp(Row.DIRECTORY, Who.OBSERVER_UP),
    "organizations_list": ApiOp(Row.DIRECTORY, Who.OBSERVER_UP),
    "organizations_read": ApiOp(Row.DIRECTORY, Who.OBSERVER_UP),
    # settings, members' roles, newsletters, curation ("partly" for stewards: onboarding)
    "networks_update": ApiOp(Row.SETTINGS, Who.COORDINATOR, body={"tagline": "Changed"}),
    "memberships_list": ApiOp(Row.SETTINGS, Who.STEWARD_UP),
    "memberships_read": ApiOp(Row.SETTINGS, Who.STEWARD_UP),
    "memberships_update": ApiOp(Row.SETTINGS, Who.COORDINATOR, body={"role": "observer"}),
    "memberships_decide": ApiOp(Row.SETTINGS, Who.STEWARD_UP),
    "invitations_list": ApiOp(Row.SETTINGS, Who.STEWARD_UP),
    "invitations_create": ApiOp(Row.SETTINGS, Who.STEWARD_UP),
    "invitations_revoke": ApiOp(Row.SETTINGS, Who.STEWARD_UP),
    # whole network map with names / own ego network
    "snapshots_list": ApiOp(Row.MAP, Who.MEMBER_UP),
    "snapshots_read": ApiOp(Row.MAP, Who.MEMBER_UP),
    "snapshots_map": ApiOp(Row.MAP, Who.MEMBER_UP),
    "survey_waves_list": ApiOp(Row.OWN_EGO, Who.MEMBER_UP),
    "survey_waves_read": ApiOp(Row.OWN_EGO, Who.MEMBER_UP),
    "survey_roster_read": ApiOp(Row.OWN_EGO, Who.MEMBER_UP),
    "survey_answers_save": ApiOp(Row.OWN_EGO, Who.MEMBER_UP),
    "survey_responses_submit": ApiOp(Row.OWN_EGO, Who.MEMBER_UP),
    # own suggestions and introductions (the walk fills each id with the caller's own row)
    "recommendations_list": ApiOp(Row.OWN_EGO, Who.MEMBER_UP),
    "recommendations_dismiss": ApiOp(
        Row.OWN_EGO, Who.MEMBER_UP, note="the member it is for, or a coordinator (others: 404)"
    ),
    "recommendations_run_latest": ApiOp(Row.OWN_EGO, Who.MEMBER_UP),
    "introductions_list": ApiOp(Row.OWN_EGO, Who.MEMBER_UP),
    "introductions_create": ApiOp(
        Row.OWN_EGO, Who.MEMBER_UP, note="members include themselves; coordinators any two"
    ),
    "introductions_read": ApiOp(Row.OWN_EGO, Who.MEMBER_UP),
    "introductions_answer": ApiOp(
        Row.OWN_EGO, Who.MEMBER_UP, note="only the two people (a coordinator who is not: 403)"
    ),
    "introductions_outcome": ApiOp(Row.OWN_EGO, Who.MEMBER_UP),
    "introductions_withdraw": ApiOp(
        Row.OWN_EGO, Who.MEMBER_UP, note="whoever proposed it, or a coordinator"
    ),
    # survey answers of others, raw ties, exports
    "ties_list": ApiOp(Row.RAW, Who.COORDINATOR),
    "ties_create": ApiOp(Row.RAW, Who.COORDINATOR),
    "ties_update": ApiOp(Row.RAW, Who.COORDINATOR, body={"note": "checked"}),
    "ties_end": ApiOp(Row.RAW, Who.COORDINATOR),
    "snapshots_take": ApiOp(Row.RAW, Who.COORDINATOR, body={"label": "Walk"}),
    "survey_waves_open": ApiOp(Row.RAW, Who.COORDINATOR),
    "survey_waves_close": ApiOp(Row.RAW, Who.COORDINATOR),
    # weaving: every member's suggestions (reasons drawn from the whole map) and the report
    "weaving_board": ApiOp(Row.RAW, Who.COORDINATOR),
    "recommendations_refresh": ApiOp(Row.RAW, Who.COORDINATOR),
    "weaving_report": ApiOp(Row.RAW, Who.COORDINATOR),
    # joining a network
    "applications_create": ApiOp(
        Row.JOINING,
        Who.APPLICANTS,
        note="members of a private network are told it takes no applications (403)",
    ),
    # a signed-in person's own account
    "me_read": ApiOp(Row.OWN_ACCOUNT, Who.SIGNED_IN),
    "me_update": ApiOp(Row.OWN_ACCOUNT, Who.SIGNED_IN),
    "tokens_list": ApiOp(Row.OWN_ACCOUNT, Who.SIGNED_IN),
    "tokens_create": ApiOp(Row.OWN_ACCOUNT, Who.SIGNED_IN),
    "tokens_revoke": ApiOp(Row.OWN_ACCOUNT, Who.SIGNED_IN),
}
