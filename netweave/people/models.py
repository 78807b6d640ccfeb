"""People, the organizations they work for, and their place in each network.

`Person` and `Organization` belong to the installation (a person can be in several networks);
`Membership`, `MembershipEvent`, `Invitation` and `ImportJob` belong to one network (the tenant)."""

from __future__ import annotations

import secrets
from datetime import timedelta

from django.conf import settings
from django.db import models
from django.db.models.functions import Lower
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_countries.fields import CountryField


class Organization(models.Model):
    class Kind(models.TextChoices):
        NGO = "ngo", _("NGO")
        UNIVERSITY = "university", _("University or research institute")
        COMPANY = "company", _("Company")
        GOVERNMENT = "government", _("Government")
        FUNDER = "funder", _("Funder")
        OTHER = "other", _("Other")

    name = models.CharField(_("name"), max_length=200)
    kind = models.CharField(_("kind"), max_length=12, choices=Kind.choices, default=Kind.OTHER)
    country = CountryField(_("country"), blank=True)
    sector = models.CharField(_("sector"), max_length=120, blank=True)
    website = models.URLField(_("website"), blank=True)
    description = models.TextField(_("description (Markdown)"), blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("organization")
        verbose_name_plural = _("organizations")
        constraints = [
            models.UniqueConstraint(Lower("name"), name="organization_name_unique_ci"),
        ]

    def __str__(self) -> str:
        return self.name


class Person(models.Model):
    class MapConsent(models.TextChoices):
        NAMED = "named", _("Named: show my name on the network map")
        ANONYMOUS = "anonymous", _("Anonymous: show me as an unnamed node")

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="person",
    )
    name = models.CharField(_("name"), max_length=200)
    # Blank for people imported without an address; unique (case-insensitive) when present.
    email = models.EmailField(_("email"), blank=True)
    bio = models.TextField(_("about me (Markdown)"), blank=True)
    expertise = models.JSONField(_("expertise"), default=list, blank=True)
    interests = models.JSONField(_("interests"), default=list, blank=True)
    offers = models.TextField(_("I can offer"), blank=True)
    seeks = models.TextField(_("I am looking for"), blank=True)
    languages = models.JSONField(_("languages"), default=list, blank=True)
    city = models.CharField(_("city"), max_length=120, blank=True)
    country = CountryField(_("country"), blank=True)
    links = models.JSONField(_("links"), default=list, blank=True)
    map_consent = models.CharField(
        _("on the network map"),
        max_length=10,
        choices=MapConsent.choices,
        default=MapConsent.ANONYMOUS,
    )
    # Weaving: whether NetWeave may suggest this person to others and introduce them.
    open_to_introductions = models.BooleanField(
        _("suggest me for introductions to other members"), default=True
    )
    # Denormalized text the directory searches: name, tags, offers, organizations, place,
    # languages. Kept current by services.person_reindex().
    search_text = models.TextField(blank=True, editable=False)
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("person")
        verbose_name_plural = _("people")
        constraints = [
            models.UniqueConstraint(
                Lower("email"),
                condition=~models.Q(email=""),
                name="person_email_unique_ci",
            ),
        ]
        indexes = [
            models.Index(fields=["name"], name="person_name_idx"),
            models.Index(fields=["country"], name="person_country_idx"),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def primary_affiliation(self) -> Affiliation | None:
        affiliations = list(self.affiliations.all())
        for affiliation in affiliations:
            if affiliation.is_primary:
                return affiliation
        return affiliations[0] if affiliations else None


class Affiliation(models.Model):
    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="affiliations")
    organization = models.ForeignKey(
        Organization, on_delete=models.CASCADE, related_name="affiliations"
    )
    title = models.CharField(_("title"), max_length=200, blank=True)
    is_primary = models.BooleanField(_("primary"), default=True)

    class Meta:
        ordering = ["-is_primary", "organization__name"]
        constraints = [
            models.UniqueConstraint(fields=["person", "organization"], name="affiliation_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.person} — {self.organization}"


class Role(models.TextChoices):
    """A person's role in one network, lowest to highest. See netweave/networks/permissions.py."""

    OBSERVER = "observer", _("Observer")
    MEMBER = "member", _("Member")
    STEWARD = "steward", _("Steward")
    COORDINATOR = "coordinator", _("Coordinator")


class Membership(models.Model):
    class Status(models.TextChoices):
        INVITED = "invited", _("Invited")
        APPLIED = "applied", _("Applied")
        ACTIVE = "active", _("Active")
        LAPSED = "lapsed", _("Lapsed")
        LEFT = "left", _("Left")
        DECLINED = "declined", _("Application declined")

    class Tier(models.TextChoices):
        UNSET = "", _("Not set")
        CORE = "core", _("Core")
        PERIPHERY = "periphery", _("Periphery")

    network = models.ForeignKey(
        "networks.Network", on_delete=models.CASCADE, related_name="memberships"
    )
    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="memberships")
    role = models.CharField(_("role"), max_length=12, choices=Role.choices, default=Role.MEMBER)
    tier = models.CharField(_("tier"), max_length=10, choices=Tier.choices, blank=True)
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.ACTIVE
    )
    joined_at = models.DateTimeField(_("joined"), null=True, blank=True)
    left_at = models.DateTimeField(_("left"), null=True, blank=True)
    application_message = models.TextField(_("application"), blank=True)
    # A copy of the person's name, so the directory pages through one index in name order instead
    # of sorting every member on each request. Database triggers keep it equal to Person.name
    # (migration 0003), whoever writes the rows: services, bulk imports or raw SQL.
    sort_name = models.CharField(max_length=200, blank=True, default="", editable=False)
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["network", "sort_name"]
        verbose_name = _("membership")
        verbose_name_plural = _("memberships")
        constraints = [
            models.UniqueConstraint(fields=["network", "person"], name="membership_unique"),
        ]
        indexes = [
            models.Index(
                fields=["network", "status", "sort_name", "person"], name="membership_directory_idx"
            ),
            models.Index(fields=["network", "status", "-joined_at"], name="membership_recent_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.person} in {self.network} ({self.role}, {self.status})"

    @property
    def is_active(self) -> bool:
        return self.status == self.Status.ACTIVE


class MembershipEvent(models.Model):
    """The history of a membership: nothing is deleted, every change is one row."""

    class Kind(models.TextChoices):
        INVITED = "invited", _("Invited")
        APPLIED = "applied", _("Applied")
        JOINED = "joined", _("Joined")
        APPROVED = "approved", _("Application approved")
        DECLINED = "declined", _("Application declined")
        ROLE_CHANGED = "role_changed", _("Role changed")
        LAPSED = "lapsed", _("Lapsed")
        LEFT = "left", _("Left or removed")
        REINSTATED = "reinstated", _("Reinstated")
        IMPORTED = "imported", _("Imported")

    network = models.ForeignKey(
        "networks.Network", on_delete=models.CASCADE, related_name="membership_events"
    )
    membership = models.ForeignKey(Membership, on_delete=models.CASCADE, related_name="events")
    kind = models.CharField(max_length=14, choices=Kind.choices)
    actor = models.ForeignKey(
        Person, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    old_value = models.CharField(max_length=40, blank=True)
    new_value = models.CharField(max_length=40, blank=True)
    message = models.TextField(blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["network", "-created_at"], name="membership_event_recent")]

    def __str__(self) -> str:
        return f"{self.kind} {self.membership_id} at {self.created_at:%Y-%m-%d}"

    @staticmethod
    def _label(value: str) -> str:
        """A stored role or status code in the reader's language ("lapsed" → "Lapsed")."""
        labels = {**dict(Role.choices), **dict(Membership.Status.choices)}
        return str(labels.get(value, value))

    def old_label(self) -> str:
        return self._label(self.old_value)

    def new_label(self) -> str:
        return self._label(self.new_value)


def invitation_token() -> str:
    return secrets.token_urlsafe(24)


def invitation_expiry():  # type: ignore[no-untyped-def]
    return timezone.now() + timedelta(days=settings.NETWEAVE_INVITATION_DAYS)


class Invitation(models.Model):
    class Status(models.TextChoices):
        PENDING = "pending", _("Pending")
        ACCEPTED = "accepted", _("Accepted")
        REVOKED = "revoked", _("Revoked")

    network = models.ForeignKey(
        "networks.Network", on_delete=models.CASCADE, related_name="invitations"
    )
    email = models.EmailField(_("email"))
    name = models.CharField(_("name"), max_length=200, blank=True)
    role = models.CharField(_("role"), max_length=12, choices=Role.choices, default=Role.MEMBER)
    message = models.TextField(_("personal message"), blank=True)
    token = models.CharField(max_length=64, unique=True, default=invitation_token, editable=False)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PENDING)
    invited_by = models.ForeignKey(
        Person, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    expires_at = models.DateTimeField(default=invitation_expiry)
    sent_at = models.DateTimeField(null=True, blank=True)
    accepted_at = models.DateTimeField(null=True, blank=True)
    accepted_by = models.ForeignKey(
        Person, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("invitation")
        verbose_name_plural = _("invitations")
        constraints = [
            models.UniqueConstraint(
                "network",
                Lower("email"),
                condition=models.Q(status="pending"),
                name="invitation_one_pending_per_email",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.email} → {self.network}"

    def get_absolute_url(self) -> str:
        return reverse("invitations:accept", kwargs={"token": self.token})

    @property
    def is_expired(self) -> bool:
        return self.expires_at < timezone.now()

    @property
    def is_open(self) -> bool:
        return self.status == self.Status.PENDING and not self.is_expired


class ImportJob(models.Model):
    """An import (members, organizations, resources, products or investments): the uploaded
    file, its dry-run report, its progress."""

    class Kind(models.TextChoices):
        PEOPLE = "people", _("Members")
        ORGANIZATIONS = "organizations", _("Organizations")
        RESOURCES = "resources", _("Resources")
        PRODUCTS = "products", _("Products in development")
        INVESTMENTS = "investments", _("Investments")

    class Status(models.TextChoices):
        QUEUED = "queued", _("Queued")
        RUNNING = "running", _("Running")
        CHECKED = "checked", _("Checked (dry run)")
        DONE = "done", _("Imported")
        FAILED = "failed", _("Failed")

    network = models.ForeignKey(
        "networks.Network", on_delete=models.CASCADE, related_name="import_jobs"
    )
    kind = models.CharField(max_length=14, choices=Kind.choices)
    filename = models.CharField(max_length=255)
    content = models.BinaryField()
    dry_run = models.BooleanField(default=True)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.QUEUED)
    total = models.PositiveIntegerField(default=0)
    processed = models.PositiveIntegerField(default=0)
    report = models.JSONField(default=dict, blank=True)
    created_by = models.ForeignKey(
        Person, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.kind} import {self.filename} ({self.status})"

    @property
    def percent(self) -> int:
        if not self.total:
            return 0 if self.status in (self.Status.QUEUED, self.Status.RUNNING) else 100
        return min(100, int(100 * self.processed / self.total))

    @property
    def is_finished(self) -> bool:
        return self.status in (self.Status.CHECKED, self.Status.DONE, self.Status.FAILED)
