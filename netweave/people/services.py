"""Every write to people, organizations, memberships and invitations goes through here.

Views, the API, the CLI and tasks call these functions; they assume valid input (the caller
validated it) and raise `PeopleError` subclasses for domain rule violations."""

from __future__ import annotations

import functools
from collections.abc import Iterable, Sequence
from typing import Any

from django.conf import settings
from django.conf.locale import LANG_INFO
from django.core.mail import EmailMultiAlternatives
from django.db import transaction
from django.db.models import Q
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django_countries import countries

from netweave.lib.search import searchable
from netweave.networks.models import Network
from netweave.people.models import (
    Affiliation,
    Invitation,
    Membership,
    MembershipEvent,
    Organization,
    Person,
    Role,
)


class PeopleError(Exception):
    """A request that breaks a membership rule; its message is safe to show to the user."""


class NotAllowed(PeopleError):
    pass


def normalize_tags(values: Iterable[str] | str) -> list[str]:
    """Tags as people type them: trimmed, de-duplicated case-insensitively, order kept.

    >>> normalize_tags("HIV prevention, modelling;  hiv prevention ,")
    ['HIV prevention', 'modelling']
    """
    if isinstance(values, str):
        values = values.replace(";", ",").split(",")
    seen: set[str] = set()
    tags: list[str] = []
    for raw in values:
        tag = " ".join(str(raw).split())[:60]
        if tag and tag.lower() not in seen:
            seen.add(tag.lower())
            tags.append(tag)
    return tags


@functools.lru_cache(maxsize=512)
def _country_names(code: str) -> str:
    """The country's name in every interface language, so "Peru", "Pérou" and "Perú" all find it,
    whatever language is active while the profile is saved."""
    names = set()
    for language, _label in settings.LANGUAGES:
        with translation.override(language):
            names.add(str(countries.name(code)))
    return " ".join(sorted(names))


def person_search_text(person: Person, organizations: Sequence[Organization] | None = None) -> str:
    if organizations is None:
        organizations = [a.organization for a in person.affiliations.select_related("organization")]
    country_names = _country_names(str(person.country)) if person.country else ""
    parts = [
        person.name,
        " ".join(person.expertise or []),
        " ".join(person.interests or []),
        person.offers,
        person.seeks,
        " ".join(org.name for org in organizations),
        person.city,
        country_names,
        str(person.country or ""),
        " ".join(person.languages or []),
        " ".join(_language_names(code) for code in person.languages or []),
        " ".join(language_marker(code) for code in person.languages or []),
    ]
    return searchable(" ".join(p for p in parts if p))


def language_marker(code: str) -> str:
    """A word only the language filter uses: the directory finds "speaks French" as a full-text
    match on `xlangfr`, which an index answers, instead of reading every profile's language list.

    >>> language_marker("zh-hans")
    'xlangzhhans'
    """
    return "xlang" + "".join(c for c in code.lower() if c.isalnum())


@functools.lru_cache(maxsize=512)
def _language_names(code: str) -> str:
    """The language's name in every interface language and in itself ("French français francés")."""
    info = LANG_INFO.get(code)
    if not info or "name" not in info:
        return ""
    names = {str(info["name"]), str(info.get("name_local", ""))}
    for language, _label in settings.LANGUAGES:
        with translation.override(language):
            names.add(str(translation.gettext(info["name"])))
    return " ".join(sorted(n for n in names if n))


def person_reindex(*, person: Person) -> None:
    person.search_text = person_search_text(person)
    person.save(update_fields=["search_text", "updated_at"])


PROFILE_FIELDS = (
    "name", "bio", "expertise", "interests", "offers", "seeks", "languages", "city", "country",
    "links", "map_consent", "open_to_introductions",
)  # fmt: skip


@transaction.atomic
def person_update_profile(*, person: Person, **fields: Any) -> Person:
    unknown = set(fields) - set(PROFILE_FIELDS)
    if unknown:
        raise PeopleError(_("Unknown profile fields: %s") % ", ".join(sorted(unknown)))
    for name in ("expertise", "interests"):
        if name in fields:
            fields[name] = normalize_tags(fields[name])
    for name, value in fields.items():
        setattr(person, name, value)
    person.search_text = person_search_text(person)
    person.save()
    _directory_changed(*person.memberships.values_list("network_id", flat=True))
    return person


@transaction.atomic
def person_set_affiliation(
    *, person: Person, organization: Organization | None, title: str = ""
) -> Affiliation | None:
    """Make `organization` the person's primary affiliation (None removes the primary one)."""
    person.affiliations.filter(is_primary=True).exclude(organization=organization).update(
        is_primary=False
    )
    affiliation = None
    if organization is not None:
        affiliation, _created = Affiliation.objects.update_or_create(
            person=person, organization=organization, defaults={"title": title, "is_primary": True}
        )
    person_reindex(person=person)
    _directory_changed(*person.memberships.values_list("network_id", flat=True))
    return affiliation


def person_for_email(email: str) -> Person | None:
    return Person.objects.filter(email__iexact=email.strip()).first() if email else None


def name_from_email(email: str) -> str:
    """A placeholder name until the person writes theirs.

    >>> name_from_email("ines.invitee@example.org")
    'Ines Invitee'
    """
    return email.split("@")[0].replace(".", " ").replace("_", " ").title()


@transaction.atomic
def person_ensure_for_user(*, user: Any) -> Person:
    """The person a login belongs to: linked by email, created when there is none yet."""
    person = Person.objects.filter(user=user).first()
    if person is not None:
        return person
    person = person_for_email(user.email)
    if person is None:
        name = user.get_full_name() or name_from_email(user.email)
        person = Person(name=name, email=user.email.lower())
        person.search_text = person_search_text(person, [])
    person.user = user
    person.save()
    return person


def organization_get_or_create(*, name: str, **defaults: Any) -> Organization:
    organization = Organization.objects.filter(name__iexact=name.strip()).first()
    if organization is None:
        organization = Organization.objects.create(name=name.strip(), **defaults)
    return organization


# --- memberships --------------------------------------------------------------------------------


def _directory_changed(*network_ids: int) -> None:
    """Members came, went or changed: the directory's filter lists must be counted again."""
    from netweave.people.selectors import directory_facets_forget

    for network_id in set(network_ids):
        transaction.on_commit(functools.partial(directory_facets_forget, network_id=network_id))


def _record(
    membership: Membership,
    kind: str,
    *,
    actor: Person | None = None,
    old: str = "",
    new: str = "",
    message: str = "",
) -> MembershipEvent:
    _directory_changed(membership.network_id)
    return MembershipEvent.objects.create(
        network_id=membership.network_id,
        membership=membership,
        kind=kind,
        actor=actor,
        old_value=old,
        new_value=new,
        message=message,
    )


def _role_rank(role: str) -> int:
    return list(Role.values).index(role) if role in Role.values else -1


@transaction.atomic
def membership_add(
    *,
    network: Network,
    person: Person,
    role: str = Role.MEMBER,
    actor: Person | None = None,
    kind: str = MembershipEvent.Kind.JOINED,
) -> Membership:
    """Make `person` an active member (or give an existing membership this role and status)."""
    membership, created = Membership.objects.get_or_create(
        network=network,
        person=person,
        defaults={"role": role, "status": Membership.Status.ACTIVE, "joined_at": timezone.now()},
    )
    if not created:
        old_status = membership.status
        if old_status == Membership.Status.ACTIVE and _role_rank(membership.role) > _role_rank(
            role
        ):
            role = membership.role  # joining again (e.g. by invitation) never lowers a role
        membership.role = role
        membership.status = Membership.Status.ACTIVE
        membership.joined_at = membership.joined_at or timezone.now()
        membership.left_at = None
        membership.save(update_fields=["role", "status", "joined_at", "left_at", "updated_at"])
        _record(membership, kind, actor=actor, old=old_status, new=membership.status)
    else:
        _record(membership, kind, actor=actor, new=role)
    return membership


@transaction.atomic
def membership_apply(*, network: Network, person: Person, message: str) -> Membership:
    if not network.accepts_applications:
        raise NotAllowed(
            _("This network does not take applications; ask a coordinator to invite you.")
        )
    membership = Membership.objects.filter(network=network, person=person).first()
    if membership is not None and membership.status == Membership.Status.ACTIVE:
        raise PeopleError(_("You are already a member of this network."))
    if membership is not None and membership.status == Membership.Status.APPLIED:
        raise PeopleError(_("Your application is already waiting for a coordinator."))
    if membership is None:
        membership = Membership(network=network, person=person, role=Role.MEMBER)
    membership.status = Membership.Status.APPLIED
    membership.application_message = message
    membership.save()
    _record(membership, MembershipEvent.Kind.APPLIED, actor=person, message=message)
    _notify_coordinators_of_application(membership)
    return membership


@transaction.atomic
def membership_decide(
    *, membership: Membership, approve: bool, actor: Person | None, message: str = ""
) -> Membership:
    if membership.status != Membership.Status.APPLIED:
        raise PeopleError(_("Only a pending application can be approved or declined."))
    if approve:
        membership.status = Membership.Status.ACTIVE
        membership.joined_at = timezone.now()
        kind = MembershipEvent.Kind.APPROVED
    else:
        membership.status = Membership.Status.DECLINED
        kind = MembershipEvent.Kind.DECLINED
    membership.save(update_fields=["status", "joined_at", "updated_at"])
    _record(membership, kind, actor=actor, new=membership.status, message=message)
    transaction.on_commit(lambda: _send_decision_email(membership, approve, message))
    return membership


def _coordinator_count(network: Network) -> int:
    return Membership.objects.filter(
        network=network, role=Role.COORDINATOR, status=Membership.Status.ACTIVE
    ).count()


def _guard_last_coordinator(membership: Membership) -> None:
    if (
        membership.role == Role.COORDINATOR
        and membership.status == Membership.Status.ACTIVE
        and _coordinator_count(membership.network) <= 1
    ):
        raise PeopleError(_("A network needs at least one coordinator; appoint another one first."))


@transaction.atomic
def membership_change_role(
    *, membership: Membership, role: str, actor: Person | None
) -> Membership:
    if role not in Role.values:
        raise PeopleError(_("Unknown role: %s") % role)
    if role == membership.role:
        return membership
    if role != Role.COORDINATOR:
        _guard_last_coordinator(membership)
    old = membership.role
    membership.role = role
    membership.save(update_fields=["role", "updated_at"])
    _record(membership, MembershipEvent.Kind.ROLE_CHANGED, actor=actor, old=old, new=role)
    return membership


@transaction.atomic
def membership_change_status(
    *, membership: Membership, status: str, actor: Person | None, message: str = ""
) -> Membership:
    """Lapse, remove (status "left") or reinstate a member. History is kept; nothing is deleted."""
    transitions: dict[str, str] = {
        Membership.Status.LAPSED: MembershipEvent.Kind.LAPSED,
        Membership.Status.LEFT: MembershipEvent.Kind.LEFT,
        Membership.Status.ACTIVE: MembershipEvent.Kind.REINSTATED,
    }
    if status not in transitions:
        raise PeopleError(_("A membership can only be lapsed, ended or reinstated here."))
    if status == membership.status:
        return membership
    if status == Membership.Status.ACTIVE and membership.status not in (
        Membership.Status.LAPSED,
        Membership.Status.LEFT,
    ):
        raise PeopleError(_("Only a lapsed or former member can be reinstated."))
    if status != Membership.Status.ACTIVE:
        _guard_last_coordinator(membership)
    old = membership.status
    membership.status = status
    now = timezone.now()
    if status == Membership.Status.ACTIVE:
        membership.left_at = None
    else:
        membership.left_at = now
    membership.save(update_fields=["status", "left_at", "updated_at"])
    _record(membership, transitions[status], actor=actor, old=old, new=status, message=message)
    return membership


# --- invitations --------------------------------------------------------------------------------


@transaction.atomic
def invitation_create(
    *,
    network: Network,
    email: str,
    invited_by: Person | None,
    name: str = "",
    role: str = Role.MEMBER,
    message: str = "",
    send: bool = True,
) -> Invitation:
    email = email.strip().lower()
    existing = Membership.objects.filter(
        network=network, person__email__iexact=email, status=Membership.Status.ACTIVE
    ).exists()
    if existing:
        raise PeopleError(_("%(email)s is already a member of this network.") % {"email": email})
    invitation = Invitation.objects.filter(
        network=network, email__iexact=email, status=Invitation.Status.PENDING
    ).first()
    if invitation is None:
        invitation = Invitation.objects.create(
            network=network, email=email, name=name, role=role, message=message,
            invited_by=invited_by,
        )  # fmt: skip
    else:  # inviting again refreshes the pending invitation instead of failing
        invitation.name = name or invitation.name
        invitation.role = role
        invitation.message = message or invitation.message
        invitation.expires_at = Invitation._meta.get_field("expires_at").get_default()
        invitation.save(update_fields=["name", "role", "message", "expires_at"])
    if send:
        invitation_id = invitation.pk
        transaction.on_commit(lambda: _enqueue_invitation_email(invitation_id))
    return invitation


def _enqueue_invitation_email(invitation_id: int) -> None:
    from netweave.people.tasks import send_invitation_email

    send_invitation_email.enqueue(invitation_id)


@transaction.atomic
def invitation_revoke(*, invitation: Invitation) -> Invitation:
    if invitation.status != Invitation.Status.PENDING:
        raise PeopleError(_("Only a pending invitation can be revoked."))
    invitation.status = Invitation.Status.REVOKED
    invitation.save(update_fields=["status"])
    return invitation


@transaction.atomic
def invitation_accept(*, invitation: Invitation, person: Person) -> Membership:
    invitation = Invitation.objects.select_for_update().get(pk=invitation.pk)
    if invitation.status == Invitation.Status.ACCEPTED:
        if invitation.accepted_by_id == person.pk:
            return Membership.objects.get(network=invitation.network, person=person)
        raise PeopleError(_("This invitation has already been used."))
    if not invitation.is_open:
        raise PeopleError(_("This invitation has expired or was withdrawn; ask for a new one."))
    if invitation.name and person.name in ("", name_from_email(person.email or invitation.email)):
        # The coordinator's spelling beats the placeholder made from the email address.
        person.name = invitation.name
        person.search_text = person_search_text(person)
        person.save(update_fields=["name", "search_text"])
    if not person.email:
        person.email = invitation.email
        person.save(update_fields=["email"])
    membership = membership_add(
        network=invitation.network,
        person=person,
        role=invitation.role,
        actor=invitation.invited_by,
        kind=MembershipEvent.Kind.JOINED,
    )
    invitation.status = Invitation.Status.ACCEPTED
    invitation.accepted_at = timezone.now()
    invitation.accepted_by = person
    invitation.save(update_fields=["status", "accepted_at", "accepted_by"])
    return membership


def invitation_send_email(*, invitation: Invitation, base_url: str | None = None) -> None:
    """Send (or resend) the invitation email. Idempotent enough: resending is harmless."""
    base = (base_url or settings.NETWEAVE_BASE_URL).rstrip("/")
    context = {
        "invitation": invitation,
        "network": invitation.network,
        "accept_url": base + invitation.get_absolute_url(),
        "inviter": invitation.invited_by,
        "site_name": settings.NETWEAVE_SITE_NAME,
    }
    with translation.override(_invitation_language(invitation)):
        subject = _("You are invited to join %(network)s") % {"network": invitation.network.name}
        text = render_to_string("people/email/invitation.txt", context)
        html = render_to_string("people/email/invitation.html", context)
    message = EmailMultiAlternatives(subject, text, to=[invitation.email])
    message.attach_alternative(html, "text/html")
    message.send()
    invitation.sent_at = timezone.now()
    invitation.save(update_fields=["sent_at"])


def _invitation_language(invitation: Invitation) -> str:
    languages = [
        code for code in (invitation.network.languages or []) if code in ("en", "fr", "es")
    ]
    return languages[0] if languages else settings.LANGUAGE_CODE


def _notify_coordinators_of_application(membership: Membership) -> None:
    network = membership.network
    emails = list(
        Membership.objects.filter(
            Q(role=Role.COORDINATOR) | Q(role=Role.STEWARD),
            network=network,
            status=Membership.Status.ACTIVE,
        )
        .exclude(person__email="")
        .values_list("person__email", flat=True)
    )
    if not emails:
        return
    base = settings.NETWEAVE_BASE_URL.rstrip("/")
    context = {"membership": membership, "network": network, "base_url": base}
    subject = _("New application to %(network)s: %(name)s") % {
        "network": network.name,
        "name": membership.person.name,
    }
    body = render_to_string("people/email/application_received.txt", context)
    transaction.on_commit(
        lambda: EmailMultiAlternatives(subject, body, to=emails).send(fail_silently=True)
    )


def _send_decision_email(membership: Membership, approved: bool, message: str) -> None:
    person = membership.person
    if not person.email:
        return
    network = membership.network
    context = {
        "membership": membership,
        "network": network,
        "approved": approved,
        "message": message,
        "base_url": settings.NETWEAVE_BASE_URL.rstrip("/"),
    }
    subject = (
        _("Welcome to %(network)s") if approved else _("Your application to %(network)s")
    ) % {"network": network.name}
    body = render_to_string("people/email/application_decided.txt", context)
    EmailMultiAlternatives(subject, body, to=[person.email]).send(fail_silently=True)
