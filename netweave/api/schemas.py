"""The API's contract: every input (`...In`, `...Filters`) and output (`...Out`) schema.

Outputs are built explicitly by the endpoint (see the `*_out` helpers in each app's api.py), so
what a caller sees depends on what `access_for(...)` lets them see: email addresses, for one, are
only ever filled in for viewers who may see raw data (coordinators) or for the caller's own
profile, as on the HTML pages (design.md section 5)."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any, ClassVar, Literal

from django.conf.locale import LANG_INFO
from django.core.exceptions import ValidationError as DjangoValidationError
from django.core.validators import URLValidator, validate_email
from django.utils.translation import gettext as _
from django_countries import countries
from ninja import Field, Schema
from pydantic import ConfigDict, ValidationInfo, field_validator, model_validator

from netweave.api.pagination import Page

# Literal copies of the model choices keep the OpenAPI document explicit; a test checks that they
# match netweave.people.models and netweave.networks.models.
RoleName = Literal["observer", "member", "steward", "coordinator"]
MembershipStatusName = Literal["invited", "applied", "active", "lapsed", "left", "declined"]
# The statuses a coordinator may set by hand (membership_change_status).
SettableStatusName = Literal["active", "lapsed", "left"]
InvitationStatusName = Literal["pending", "accepted", "revoked"]
TierName = Literal["", "core", "periphery"]
MapConsentName = Literal["named", "anonymous"]
PurposeName = Literal["learning", "action", "hybrid"]
VisibilityName = Literal["public", "listed", "private"]
OrganizationKindName = Literal["ngo", "university", "company", "government", "funder", "other"]
DirectorySortName = Literal["name", "recent", "country"]

MAX_LINKS = 10
MAX_TAGS = 50


# --- validation helpers ---------------------------------------------------------------------


def clean_country(value: str) -> str:
    """An ISO 3166 alpha-2 code (any case), or "" for none."""
    value = (value or "").strip().upper()
    if value and (len(value) != 2 or not countries.alpha2(value)):
        raise ValueError(
            _("“%(code)s” is not a country code; use a two-letter ISO code such as KE, FR or BR.")
            % {"code": value}
        )
    return value


def clean_languages(values: list[str]) -> list[str]:
    codes = [str(code).strip().lower() for code in values if str(code).strip()]
    unknown = [code for code in codes if code not in LANG_INFO]
    if unknown:
        raise ValueError(
            _("Unknown language codes: %(codes)s. Use ISO codes such as en, fr, es, pt.")
            % {"codes": ", ".join(unknown)}
        )
    return list(dict.fromkeys(codes))


def clean_email(value: str) -> str:
    value = (value or "").strip().lower()
    try:
        validate_email(value)
    except DjangoValidationError:
        raise ValueError(_("“%(email)s” is not an email address.") % {"email": value}) from None
    return value


class BodyIn(Schema):
    """A JSON request body. Unknown fields are an error, not silently dropped: a caller who
    sends `{"email": ...}` to PATCH /me should hear that it cannot be changed there."""

    model_config = ConfigDict(extra="forbid")


class PatchIn(BodyIn):
    """A partial update: a field left out keeps its value; `null` only where `nullable` says it
    means something (clearing a date, removing an organization)."""

    nullable: ClassVar[frozenset[str]] = frozenset()

    @field_validator("*")
    @classmethod
    def _no_null(cls, value: Any, info: ValidationInfo) -> Any:
        # Validators run only on the fields that were sent, so an omitted field never gets here.
        if value is None and info.field_name not in cls.nullable:
            raise ValueError(_("cannot be null; leave it out to keep the current value."))
        return value


# --- errors ---------------------------------------------------------------------------------


class ErrorOut(Schema):
    error: str = Field(..., description="What went wrong and what to do about it.")


class FieldErrorOut(Schema):
    field: str = Field(..., description="The input that is wrong, e.g. `languages` or `page`.")
    message: str


class ValidationErrorOut(ErrorOut):
    detail: list[FieldErrorOut] = Field(..., description="Every problem found in the input.")


# --- references -----------------------------------------------------------------------------


class OrganizationRef(Schema):
    id: int
    name: str


class NetworkRef(Schema):
    slug: str
    name: str


class PersonRef(Schema):
    id: int
    name: str


class PersonContactRef(PersonRef):
    email: str | None = Field(
        None, description="Only for coordinators of the network; null for everyone else."
    )


class AffiliationOut(Schema):
    organization: OrganizationRef
    title: str
    is_primary: bool


# --- networks -------------------------------------------------------------------------------


class NetworkOut(Schema):
    slug: str
    name: str
    tagline: str
    purpose: PurposeName
    phase: str
    phase_label: str
    visibility: VisibilityName
    accepts_applications: bool = Field(
        ..., description="Whether anyone signed in may apply (POST /networks/{slug}/applications)."
    )
    languages: list[str]
    topics: list[str]
    url: str = Field(..., description="The network's home page (HTML).")


class NetworkPage(Page[NetworkOut]):
    pass


class NetworkCountsOut(Schema):
    members: int
    organizations: int
    countries: int
    applications: int | None = Field(
        None, description="Pending applications; only for stewards and coordinators."
    )


class NetworkDetailOut(NetworkOut):
    description: str = Field(..., description="Markdown.")
    how_to_join: str
    phase_model: list[str]
    period_start: date | None
    period_end: date | None
    host: OrganizationRef | None
    counts: NetworkCountsOut
    your_role: RoleName | None = Field(
        ..., description="The caller's role when they are an active member, otherwise null."
    )
    your_status: MembershipStatusName | None = Field(
        ..., description="The status of the caller's membership (applied, lapsed...), if any."
    )


class NetworkPatchIn(PatchIn):
    """Network settings; every field optional, only the fields sent change."""

    nullable = frozenset({"period_start", "period_end"})

    name: str | None = Field(None, min_length=1, max_length=200)
    tagline: str | None = Field(None, max_length=240)
    description: str | None = Field(None, max_length=50_000)
    purpose: PurposeName | None = None
    phase: str | None = Field(None, min_length=1, max_length=60)
    topics: list[str] | None = Field(None, max_length=MAX_TAGS)
    languages: list[str] | None = None
    period_start: date | None = None
    period_end: date | None = None
    visibility: VisibilityName | None = None
    how_to_join: str | None = Field(None, max_length=10_000)

    @field_validator("languages")
    @classmethod
    def _languages(cls, value: list[str] | None) -> list[str] | None:
        return None if value is None else clean_languages(value)

    @field_validator("name")
    @classmethod
    def _name(cls, value: str | None) -> str | None:
        if value is not None and not value.strip():
            raise ValueError(_("A network needs a name."))
        return None if value is None else value.strip()


# --- people ---------------------------------------------------------------------------------


class MemberOut(Schema):
    """One row of the member directory."""

    id: int = Field(..., description="The person's id (GET /networks/{slug}/people/{id}).")
    name: str
    role: RoleName
    organization: OrganizationRef | None = Field(..., description="The primary affiliation.")
    title: str
    country: str = Field(..., description="ISO 3166 alpha-2 code, or empty.")
    city: str
    languages: list[str]
    expertise: list[str]
    joined_at: datetime | None
    email: str | None = Field(
        None, description="Only for coordinators of the network; null for everyone else."
    )


class MemberPage(Page[MemberOut]):
    pass


class DirectoryFilters(Schema):
    q: str = Field("", max_length=200, description="Words to search in names, tags, offers...")
    organization: int | None = Field(None, description="An organization id.")
    country: str = Field("", description="ISO 3166 alpha-2 code.")
    language: str = Field("", description="A language code, e.g. `fr`.")
    expertise: str = Field("", max_length=200)
    role: RoleName | None = None
    sort: DirectorySortName = "name"

    @field_validator("country")
    @classmethod
    def _country(cls, value: str) -> str:
        return clean_country(value)

    @field_validator("language")
    @classmethod
    def _language(cls, value: str) -> str:
        return clean_languages([value])[0] if value.strip() else ""


class PersonOut(Schema):
    """A member's profile as seen from inside one network."""

    id: int
    name: str
    role: RoleName
    joined_at: datetime | None
    bio: str = Field(..., description="Markdown.")
    expertise: list[str]
    interests: list[str]
    offers: str
    seeks: str
    languages: list[str]
    city: str
    country: str
    links: list[str]
    affiliations: list[AffiliationOut]
    email: str | None = Field(
        None, description="Only for coordinators of the network; null for everyone else."
    )


class MyMembershipOut(Schema):
    network: NetworkRef
    role: RoleName
    status: MembershipStatusName
    joined_at: datetime | None


class MeOut(Schema):
    """The caller's own profile, with every network they have a membership in."""

    id: int
    name: str
    email: str
    bio: str
    expertise: list[str]
    interests: list[str]
    offers: str
    seeks: str
    languages: list[str]
    city: str
    country: str
    links: list[str]
    map_consent: MapConsentName
    open_to_introductions: bool = Field(
        ..., description="Whether NetWeave may suggest this person to others for introductions."
    )
    affiliations: list[AffiliationOut]
    memberships: list[MyMembershipOut]


class ProfilePatchIn(PatchIn):
    """The caller's profile; every field optional, only the fields sent change."""

    nullable = frozenset({"organization"})

    name: str | None = Field(None, max_length=200)
    bio: str | None = Field(None, max_length=20_000)
    expertise: list[str] | None = Field(None, max_length=MAX_TAGS)
    interests: list[str] | None = Field(None, max_length=MAX_TAGS)
    offers: str | None = Field(None, max_length=5_000)
    seeks: str | None = Field(None, max_length=5_000)
    languages: list[str] | None = None
    city: str | None = Field(None, max_length=120)
    country: str | None = Field(None, description="ISO 3166 alpha-2 code; empty to clear.")
    links: list[str] | None = Field(None, description=f"At most {MAX_LINKS} web addresses.")
    map_consent: MapConsentName | None = None
    open_to_introductions: bool | None = None
    organization: str | None = Field(
        None,
        max_length=200,
        description="Name of the primary organization (created if new); empty or null removes it.",
    )
    title: str | None = Field(None, max_length=200, description="Title at that organization.")

    @field_validator("name")
    @classmethod
    def _name(cls, value: str | None) -> str | None:
        if value is not None and not value.strip():
            raise ValueError(_("A name cannot be empty."))
        return None if value is None else value.strip()

    @field_validator("languages")
    @classmethod
    def _languages(cls, value: list[str] | None) -> list[str] | None:
        return None if value is None else clean_languages(value)

    @field_validator("country")
    @classmethod
    def _country(cls, value: str | None) -> str | None:
        return None if value is None else clean_country(value)

    @field_validator("links")
    @classmethod
    def _links(cls, value: list[str] | None) -> list[str] | None:
        if value is None:
            return None
        links = [link.strip() for link in value if link.strip()]
        if len(links) > MAX_LINKS:
            raise ValueError(_("At most %(n)d links, please.") % {"n": MAX_LINKS})
        validate = URLValidator(schemes=["http", "https"])
        for link in links:
            try:
                validate(link)
            except DjangoValidationError:
                raise ValueError(
                    _("“%(link)s” is not a web address; start it with https://") % {"link": link}
                ) from None
        return links


# --- organizations --------------------------------------------------------------------------


class OrganizationOut(Schema):
    id: int
    name: str
    kind: OrganizationKindName
    country: str
    sector: str
    website: str
    member_count: int = Field(..., description="Active members of this network working there.")


class OrganizationPage(Page[OrganizationOut]):
    pass


class OrganizationMemberOut(Schema):
    id: int = Field(..., description="The person's id.")
    name: str
    role: RoleName


class OrganizationDetailOut(OrganizationOut):
    description: str = Field(..., description="Markdown.")
    members: list[OrganizationMemberOut]


# --- memberships (back office) --------------------------------------------------------------


class MembershipOut(Schema):
    id: int
    person: PersonContactRef
    network: NetworkRef
    role: RoleName
    tier: TierName
    status: MembershipStatusName
    joined_at: datetime | None
    left_at: datetime | None
    application_message: str
    created_at: datetime


class MembershipPage(Page[MembershipOut]):
    pass


class MembershipFilters(Schema):
    status: MembershipStatusName | None = Field(
        None, description="Only this status; all if left out."
    )
    q: str = Field("", max_length=200, description="Words to search in names, tags, offers...")


class MembershipPatchIn(BodyIn):
    """Change a membership's role, its status, or both (coordinators)."""

    role: RoleName | None = None
    status: SettableStatusName | None = Field(
        None, description="`lapsed` or `left` to end a membership, `active` to reinstate it."
    )
    message: str = Field("", max_length=1_000, description="A note kept in the history.")

    @model_validator(mode="after")
    def _something_to_change(self) -> MembershipPatchIn:
        if self.role is None and self.status is None:
            raise ValueError(_("Send a role, a status, or both."))
        return self


class DecisionIn(BodyIn):
    decision: Literal["approve", "decline"]
    message: str = Field("", max_length=5_000, description="Sent to the applicant by email.")


class ApplicationIn(BodyIn):
    message: str = Field(
        ...,
        min_length=1,
        max_length=5_000,
        description="Why you want to join; read by coordinators.",
    )

    @field_validator("message")
    @classmethod
    def _message(cls, value: str) -> str:
        if not value.strip():
            raise ValueError(_("Tell the coordinators why you want to join."))
        return value.strip()


# --- invitations ----------------------------------------------------------------------------


class InvitationOut(Schema):
    id: int
    email: str
    name: str
    role: RoleName
    message: str
    status: InvitationStatusName
    invited_by: PersonRef | None
    created_at: datetime
    expires_at: datetime
    sent_at: datetime | None


class InvitationPage(Page[InvitationOut]):
    pass


class InvitationIn(BodyIn):
    email: str = Field(..., max_length=254)
    name: str = Field("", max_length=200)
    role: RoleName = "member"
    message: str = Field("", max_length=5_000, description="A personal message in the email.")

    @field_validator("email")
    @classmethod
    def _email(cls, value: str) -> str:
        return clean_email(value)


# --- API tokens -----------------------------------------------------------------------------


class TokenOut(Schema):
    id: int
    name: str
    hint: str = Field(..., description="The first characters of the token, to recognize it.")
    created_at: datetime
    last_used_at: datetime | None
    revoked_at: datetime | None


class TokenPage(Page[TokenOut]):
    pass


class TokenCreatedOut(TokenOut):
    token: str = Field(..., description="The secret itself. It is shown this once and never again.")


class TokenIn(BodyIn):
    name: str = Field(..., min_length=1, max_length=100, description="What the token is for.")

    @field_validator("name")
    @classmethod
    def _name(cls, value: str) -> str:
        if not value.strip():
            raise ValueError(_("Give the token a name that says what it is for."))
        return value.strip()
