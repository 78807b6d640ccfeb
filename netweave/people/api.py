"""API v1: a network's people (directory, profiles, organizations), its back office
(memberships, applications, invitations), and the caller's own profile (/me).

Each endpoint resolves the caller's access once (`network_access`), reads through
netweave.people.selectors, writes through netweave.people.services, and builds its output
explicitly: email addresses appear only for viewers who may see raw data (coordinators)."""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Query, Router
from ninja.errors import HttpError
from ninja.responses import Status

from netweave.api.auth import REQUIRED_AUTH, caller, network_access
from netweave.api.errors import responses
from netweave.api.pagination import PageIn, paginate
from netweave.api.schemas import (
    ApplicationIn,
    DecisionIn,
    DirectoryFilters,
    InvitationIn,
    InvitationOut,
    InvitationPage,
    MemberPage,
    MembershipFilters,
    MembershipOut,
    MembershipPage,
    MembershipPatchIn,
    MeOut,
    OrganizationDetailOut,
    OrganizationPage,
    PersonOut,
    ProfilePatchIn,
)
from netweave.networks.models import Network
from netweave.networks.permissions import Access, Capability, person_for_user
from netweave.people import selectors
from netweave.people.models import (
    Affiliation,
    Invitation,
    Membership,
    Organization,
    Person,
)
from netweave.people.services import (
    invitation_create,
    invitation_revoke,
    membership_apply,
    membership_change_role,
    membership_change_status,
    membership_decide,
    organization_get_or_create,
    person_ensure_for_user,
    person_set_affiliation,
    person_update_profile,
)

router = Router()
me_router = Router(tags=["me"], auth=REQUIRED_AUTH)


def _denied(key: str) -> str:
    messages = {
        "directory": _("Only members of this network can see its people and organizations."),
        "onboard": _("Only stewards and coordinators can manage memberships and invitations."),
        "manage": _("Only coordinators can change roles and statuses."),
    }
    return messages[key]


# --- output builders ------------------------------------------------------------------------


def _country(value: Any) -> str:
    return str(getattr(value, "code", value) or "")


def _organization_ref(organization: Organization) -> dict[str, Any]:
    return {"id": organization.pk, "name": organization.name}


def _affiliation_out(affiliation: Affiliation) -> dict[str, Any]:
    return {
        "organization": _organization_ref(affiliation.organization),
        "title": affiliation.title,
        "is_primary": affiliation.is_primary,
    }


def member_out(membership: Membership, *, show_email: bool) -> dict[str, Any]:
    person = membership.person
    affiliation = person.primary_affiliation  # prefetched by members_for_directory
    return {
        "id": person.pk,
        "name": person.name,
        "role": membership.role,
        "organization": _organization_ref(affiliation.organization) if affiliation else None,
        "title": affiliation.title if affiliation else "",
        "country": _country(person.country),
        "city": person.city,
        "languages": list(person.languages or []),
        "expertise": list(person.expertise or []),
        "joined_at": membership.joined_at,
        "email": (person.email or None) if show_email else None,
    }


def person_out(person: Person, membership: Membership, *, show_email: bool) -> dict[str, Any]:
    return {
        "id": person.pk,
        "name": person.name,
        "role": membership.role,
        "joined_at": membership.joined_at,
        "bio": person.bio,
        "expertise": list(person.expertise or []),
        "interests": list(person.interests or []),
        "offers": person.offers,
        "seeks": person.seeks,
        "languages": list(person.languages or []),
        "city": person.city,
        "country": _country(person.country),
        "links": list(person.links or []),
        "affiliations": [_affiliation_out(a) for a in person.affiliations.all()],
        "email": (person.email or None) if show_email else None,
    }


def organization_out(organization: Organization, member_count: int) -> dict[str, Any]:
    return {
        "id": organization.pk,
        "name": organization.name,
        "kind": organization.kind,
        "country": _country(organization.country),
        "sector": organization.sector,
        "website": organization.website,
        "member_count": member_count,
    }


def membership_out(membership: Membership, network: Network, *, show_email: bool) -> dict[str, Any]:
    person = membership.person
    return {
        "id": membership.pk,
        "person": {
            "id": person.pk,
            "name": person.name,
            "email": (person.email or None) if show_email else None,
        },
        "network": {"slug": network.slug, "name": network.name},
        "role": membership.role,
        "tier": membership.tier,
        "status": membership.status,
        "joined_at": membership.joined_at,
        "left_at": membership.left_at,
        "application_message": membership.application_message,
        "created_at": membership.created_at,
    }


def invitation_out(invitation: Invitation) -> dict[str, Any]:
    inviter = invitation.invited_by
    return {
        "id": invitation.pk,
        "email": invitation.email,
        "name": invitation.name,
        "role": invitation.role,
        "message": invitation.message,
        "status": invitation.status,
        "invited_by": {"id": inviter.pk, "name": inviter.name} if inviter else None,
        "created_at": invitation.created_at,
        "expires_at": invitation.expires_at,
        "sent_at": invitation.sent_at,
    }


def me_out(person: Person) -> dict[str, Any]:
    affiliations = person.affiliations.select_related("organization")
    return {
        "id": person.pk,
        "name": person.name,
        "email": person.email,
        "bio": person.bio,
        "expertise": list(person.expertise or []),
        "interests": list(person.interests or []),
        "offers": person.offers,
        "seeks": person.seeks,
        "languages": list(person.languages or []),
        "city": person.city,
        "country": _country(person.country),
        "links": list(person.links or []),
        "map_consent": person.map_consent,
        "open_to_introductions": person.open_to_introductions,
        "affiliations": [_affiliation_out(a) for a in affiliations],
        "memberships": [
            {
                "network": {"slug": m.network.slug, "name": m.network.name},
                "role": m.role,
                "status": m.status,
                "joined_at": m.joined_at,
            }
            for m in selectors.memberships_of_person(person=person)
        ],
    }


def _sees_email(access: Access) -> bool:
    return access.can(Capability.VIEW_RAW)


def _back_office_membership_out(membership: Membership, access: Access) -> dict[str, Any]:
    """A membership as stewards and coordinators see it: emails for coordinators only."""
    return membership_out(membership, access.network, show_email=_sees_email(access))


# --- the directory --------------------------------------------------------------------------


@router.get(
    "/networks/{slug}/members",
    response=responses({200: MemberPage}, 400, 401, 403, 404),
    operation_id="members_list",
    summary="Search the member directory",
    tags=["people"],
    description="Active members, filtered and sorted. Observers and up. Email addresses are "
    "filled in for coordinators only.",
)
def members_list(
    request: HttpRequest, slug: str, filters: Query[DirectoryFilters], paging: Query[PageIn]
) -> dict[str, Any]:
    access = network_access(request, slug, Capability.VIEW_DIRECTORY, _denied("directory"))
    query = selectors.DirectoryQuery(
        text=filters.q.strip(),
        organization=filters.organization,
        country=filters.country,
        language=filters.language,
        expertise=filters.expertise.strip(),
        role=filters.role or "",
        sort=filters.sort,
    )
    show_email = _sees_email(access)
    return paginate(
        selectors.members_for_directory(access=access, query=query),
        paging,
        lambda membership: member_out(membership, show_email=show_email),
    )


@router.get(
    "/networks/{slug}/people/{person_id}",
    response=responses({200: PersonOut}, 401, 403, 404),
    operation_id="people_read",
    summary="Read a member's profile",
    tags=["people"],
    description="An active member of the network. Observers and up.",
)
def people_read(request: HttpRequest, slug: str, person_id: int) -> dict[str, Any]:
    access = network_access(request, slug, Capability.VIEW_DIRECTORY, _denied("directory"))
    person = selectors.person_in_network(access=access, person_id=person_id)
    membership = person.memberships.get(network=access.network)
    return person_out(person, membership, show_email=_sees_email(access))


@router.get(
    "/networks/{slug}/organizations",
    response=responses({200: OrganizationPage}, 400, 401, 403, 404),
    operation_id="organizations_list",
    summary="List the organizations of a network's members",
    tags=["organizations"],
    description="Organizations with at least one active member. Observers and up.",
)
def organizations_list(request: HttpRequest, slug: str, paging: Query[PageIn]) -> dict[str, Any]:
    access = network_access(request, slug, Capability.VIEW_DIRECTORY, _denied("directory"))
    return paginate(
        selectors.organizations_in_network(access=access),
        paging,
        lambda organization: organization_out(organization, organization.member_count),
    )


@router.get(
    "/networks/{slug}/organizations/{organization_id}",
    response=responses({200: OrganizationDetailOut}, 401, 403, 404),
    operation_id="organizations_read",
    summary="Read an organization and its members in this network",
    tags=["organizations"],
    description="Observers and up; an organization without active members here is a 404.",
)
def organizations_read(request: HttpRequest, slug: str, organization_id: int) -> dict[str, Any]:
    access = network_access(request, slug, Capability.VIEW_DIRECTORY, _denied("directory"))
    organization, members = selectors.organization_in_network(
        access=access, organization_id=organization_id
    )
    return {
        **organization_out(organization, len(members)),
        "description": organization.description,
        "members": [{"id": m.person.pk, "name": m.person.name, "role": m.role} for m in members],
    }


# --- applications ---------------------------------------------------------------------------


@router.post(
    "/networks/{slug}/applications",
    response=responses({201: MembershipOut}, 400, 401, 403, 404, 409),
    operation_id="applications_create",
    summary="Apply to join a network",
    tags=["memberships"],
    auth=REQUIRED_AUTH,
    description="Any signed-in person, for networks that take applications (visibility "
    "`public`); coordinators and stewards are told by email.",
)
def applications_create(request: HttpRequest, slug: str, payload: ApplicationIn) -> Status[Any]:
    access = network_access(request, slug, Capability.VIEW_PUBLIC)
    person = access.person or person_ensure_for_user(user=caller(request))
    membership = membership_apply(network=access.network, person=person, message=payload.message)
    return Status(201, membership_out(membership, access.network, show_email=True))


# --- the back office: memberships -----------------------------------------------------------


@router.get(
    "/networks/{slug}/memberships",
    response=responses({200: MembershipPage}, 400, 401, 403, 404),
    operation_id="memberships_list",
    summary="List memberships of every status",
    tags=["memberships"],
    description="Stewards and coordinators. Invited, applied, active, lapsed, left and declined "
    "memberships; filter with `status` and `q`.",
)
def memberships_list(
    request: HttpRequest, slug: str, filters: Query[MembershipFilters], paging: Query[PageIn]
) -> dict[str, Any]:
    access = network_access(request, slug, Capability.ONBOARD, _denied("onboard"))
    memberships = selectors.memberships_for_back_office(
        access=access, status=filters.status or "", text=filters.q.strip()
    )
    return paginate(
        memberships, paging, lambda membership: _back_office_membership_out(membership, access)
    )


@router.get(
    "/networks/{slug}/memberships/{membership_id}",
    response=responses({200: MembershipOut}, 401, 403, 404),
    operation_id="memberships_read",
    summary="Read one membership",
    tags=["memberships"],
    description="Stewards and coordinators.",
)
def memberships_read(request: HttpRequest, slug: str, membership_id: int) -> dict[str, Any]:
    access = network_access(request, slug, Capability.ONBOARD, _denied("onboard"))
    membership = selectors.membership_for_back_office(access=access, membership_id=membership_id)
    return _back_office_membership_out(membership, access)


@router.patch(
    "/networks/{slug}/memberships/{membership_id}",
    response=responses({200: MembershipOut}, 400, 401, 403, 404, 409),
    operation_id="memberships_update",
    summary="Change a member's role or status",
    tags=["memberships"],
    description="Coordinators only. `status` may be `lapsed` or `left` (ends the membership, "
    "history kept) or `active` (reinstates it). A network keeps at least one coordinator (409).",
)
def memberships_update(
    request: HttpRequest, slug: str, membership_id: int, payload: MembershipPatchIn
) -> dict[str, Any]:
    access = network_access(request, slug, Capability.MANAGE_MEMBERS, _denied("manage"))
    membership = selectors.membership_for_back_office(access=access, membership_id=membership_id)
    with transaction.atomic():
        if payload.role is not None:
            membership = membership_change_role(
                membership=membership, role=payload.role, actor=access.person
            )
        if payload.status is not None:
            membership = membership_change_status(
                membership=membership,
                status=payload.status,
                actor=access.person,
                message=payload.message,
            )
    return _back_office_membership_out(membership, access)


@router.post(
    "/networks/{slug}/memberships/{membership_id}/decision",
    response=responses({200: MembershipOut}, 400, 401, 403, 404, 409),
    operation_id="memberships_decide",
    summary="Approve or decline an application",
    tags=["memberships"],
    description="Stewards and coordinators; the applicant is told by email. Only a pending "
    "application (status `applied`) can be decided (409 otherwise).",
)
def memberships_decide(
    request: HttpRequest, slug: str, membership_id: int, payload: DecisionIn
) -> dict[str, Any]:
    access = network_access(request, slug, Capability.ONBOARD, _denied("onboard"))
    membership = selectors.membership_for_back_office(access=access, membership_id=membership_id)
    membership = membership_decide(
        membership=membership,
        approve=payload.decision == "approve",
        actor=access.person,
        message=payload.message,
    )
    return _back_office_membership_out(membership, access)


# --- the back office: invitations -----------------------------------------------------------


@router.get(
    "/networks/{slug}/invitations",
    response=responses({200: InvitationPage}, 400, 401, 403, 404),
    operation_id="invitations_list",
    summary="List pending invitations",
    tags=["invitations"],
    description="Stewards and coordinators.",
)
def invitations_list(request: HttpRequest, slug: str, paging: Query[PageIn]) -> dict[str, Any]:
    access = network_access(request, slug, Capability.ONBOARD, _denied("onboard"))
    return paginate(selectors.pending_invitations(access=access), paging, invitation_out)


@router.post(
    "/networks/{slug}/invitations",
    response=responses({201: InvitationOut}, 400, 401, 403, 404, 409),
    operation_id="invitations_create",
    summary="Invite someone by email",
    tags=["invitations"],
    description="Stewards may invite observers and members; coordinators any role. Inviting an "
    "address that already has a pending invitation refreshes it; inviting an active member is a "
    "409.",
)
def invitations_create(request: HttpRequest, slug: str, payload: InvitationIn) -> Status[Any]:
    access = network_access(request, slug, Capability.ONBOARD, _denied("onboard"))
    if not access.can_assign_role(payload.role):
        allowed = access.assignable_roles()
        raise HttpError(
            403,
            _("You may invite people as: %(roles)s. Ask a coordinator to invite a %(role)s.")
            % {"roles": ", ".join(allowed), "role": payload.role},
        )
    invitation = invitation_create(
        network=access.network,
        email=payload.email,
        invited_by=access.person,
        name=payload.name.strip(),
        role=payload.role,
        message=payload.message,
    )
    return Status(201, invitation_out(invitation))


@router.post(
    "/networks/{slug}/invitations/{invitation_id}/revoke",
    response=responses({200: InvitationOut}, 401, 403, 404, 409),
    operation_id="invitations_revoke",
    summary="Withdraw a pending invitation",
    tags=["invitations"],
    description="Stewards and coordinators. Only a pending invitation can be withdrawn (409).",
)
def invitations_revoke(request: HttpRequest, slug: str, invitation_id: int) -> dict[str, Any]:
    access = network_access(request, slug, Capability.ONBOARD, _denied("onboard"))
    invitation = selectors.invitation_for_back_office(access=access, invitation_id=invitation_id)
    return invitation_out(invitation_revoke(invitation=invitation))


# --- the caller's own profile ---------------------------------------------------------------


def _my_person(request: HttpRequest) -> Person:
    user = caller(request)
    return person_for_user(user) or person_ensure_for_user(user=user)


@me_router.get(
    "/me",
    response=responses({200: MeOut}, 401),
    operation_id="me_read",
    summary="Read your own profile and memberships",
    description="Signed-in callers only. Your own email address is included.",
)
def me_read(request: HttpRequest) -> dict[str, Any]:
    return me_out(_my_person(request))


@me_router.patch(
    "/me",
    response=responses({200: MeOut}, 400, 401),
    operation_id="me_update",
    summary="Change your own profile",
    description="Send only the fields to change. `languages` are ISO codes (en, fr, pt...), "
    "`country` an ISO alpha-2 code, `links` at most 10 web addresses, `organization` the name "
    "of your primary organization (created if new; empty or null removes it).",
)
def me_update(request: HttpRequest, payload: ProfilePatchIn) -> dict[str, Any]:
    person = _my_person(request)
    changes = payload.model_dump(exclude_unset=True)
    affiliation_changes = {k: changes.pop(k) for k in ("organization", "title") if k in changes}
    with transaction.atomic():
        if changes:
            person = person_update_profile(person=person, **changes)
        if affiliation_changes:
            _update_affiliation(person, **affiliation_changes)
    return me_out(person)


def _update_affiliation(person: Person, **changes: Any) -> None:
    current = next((a for a in person.affiliations.all() if a.is_primary), None)
    if "organization" in changes:
        name = (changes["organization"] or "").strip()
    else:
        name = current.organization.name if current else ""
    if not name:
        if changes.get("title"):
            raise HttpError(400, _("title: set an organization to give your title at it."))
        person_set_affiliation(person=person, organization=None)
        return
    organization = organization_get_or_create(name=name)
    same = current is not None and current.organization_id == organization.pk
    title = changes.get("title", current.title if same and current else "") or ""
    person_set_affiliation(person=person, organization=organization, title=title.strip())
