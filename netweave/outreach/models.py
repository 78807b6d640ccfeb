"""Information out: subscribers and mailing lists (with the consent record), newsletters and their
per-recipient deliveries, the suppression list, and events with registrations and attendance.

Subscribers are not accounts: a subscriber is an address in one network, reached through a secret
token (preference center, one-click unsubscribe, data download and erasure). A member of the
network is also a subscriber (linked by `person`) so that one preference center serves both."""

from __future__ import annotations

import secrets
import uuid

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


def new_token() -> str:
    """A secret for URLs sent by email: 32 bytes, URL-safe."""
    return secrets.token_urlsafe(32)


def new_uid() -> str:
    """An iCalendar UID for an event NetWeave writes (RFC 5545: globally unique)."""
    return f"{uuid.uuid4()}@netweave"


def new_code() -> str:
    """A short self check-in code people can type: 6 letters and digits without look-alikes."""
    alphabet = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"
    return "".join(secrets.choice(alphabet) for _ in range(6))


class OutreachSettings(models.Model):
    """A network's mail settings: sender, sending rate, tracking (off by default), bounces."""

    network = models.OneToOneField(
        "networks.Network", on_delete=models.CASCADE, related_name="outreach_settings"
    )
    from_name = models.CharField(_("sender name"), max_length=120, blank=True)
    from_email = models.EmailField(_("sender address"), blank=True)
    reply_to = models.EmailField(_("reply-to address"), blank=True)
    postal_address = models.CharField(
        _("postal address shown in every email's footer"), max_length=300, blank=True
    )
    rate_per_second = models.PositiveIntegerField(
        _("sending rate (messages per second, 0 = as fast as the server takes them)"), default=0
    )
    batch_size = models.PositiveIntegerField(_("messages per batch"), default=200)
    track_opens = models.BooleanField(_("count opens"), default=False)
    track_clicks = models.BooleanField(_("count clicks"), default=False)
    soft_bounce_threshold = models.PositiveIntegerField(
        _("soft bounces before an address is suppressed"), default=3
    )
    webhook_secret = models.CharField(max_length=64, default=new_token, editable=False)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("mail settings")
        verbose_name_plural = _("mail settings")

    def __str__(self) -> str:
        return f"mail settings of {self.network_id}"


class MailingList(models.Model):
    class Visibility(models.TextChoices):
        PUBLIC = "public", _("Public: anyone may subscribe from the network's pages")
        MEMBERS = "members", _("Members only")
        PRIVATE = "private", _("Private: coordinators add people")

    network = models.ForeignKey(
        "networks.Network", on_delete=models.CASCADE, related_name="mailing_lists"
    )
    name = models.CharField(_("name"), max_length=120)
    slug = models.SlugField(_("short name"), max_length=60)
    description = models.TextField(_("description"), blank=True)
    visibility = models.CharField(
        _("who may subscribe"),
        max_length=10,
        choices=Visibility.choices,
        default=Visibility.PUBLIC,
    )
    # The network's member list: every active member is subscribed to it (and may leave it).
    is_member_list = models.BooleanField(_("members are subscribed automatically"), default=False)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["name", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["network", "slug"], name="outreach_list_unique_slug")
        ]
        verbose_name = _("mailing list")
        verbose_name_plural = _("mailing lists")

    def __str__(self) -> str:
        return self.name


class Subscriber(models.Model):
    class Frequency(models.TextChoices):
        EVERY = "every", _("Every issue")
        MONTHLY = "monthly", _("At most one a month")
        QUARTERLY = "quarterly", _("At most one a quarter")

    network = models.ForeignKey(
        "networks.Network", on_delete=models.CASCADE, related_name="subscribers"
    )
    email = models.EmailField(_("email"), max_length=254)  # stored lower-cased
    name = models.CharField(_("name"), max_length=200, blank=True)
    language = models.CharField(_("language"), max_length=8, blank=True)
    frequency = models.CharField(
        _("how often"), max_length=10, choices=Frequency.choices, default=Frequency.EVERY
    )
    person = models.ForeignKey(
        "people.Person",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="subscriptions_as_subscriber",
    )
    token = models.CharField(max_length=64, unique=True, default=new_token, editable=False)
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["email"]
        constraints = [
            models.UniqueConstraint(
                fields=["network", "email"], name="outreach_subscriber_unique_email"
            )
        ]
        verbose_name = _("subscriber")
        verbose_name_plural = _("subscribers")

    def __str__(self) -> str:
        return self.email


class Subscription(models.Model):
    """A subscriber on a list, with the consent record: when, how and from which address."""

    class Status(models.TextChoices):
        PENDING = "pending", _("Waiting for confirmation")
        SUBSCRIBED = "subscribed", _("Subscribed")
        UNSUBSCRIBED = "unsubscribed", _("Unsubscribed")

    class Method(models.TextChoices):
        FORM = "form", _("Subscription form, confirmed by email")
        IMPORT = "import", _("Imported with consent")
        MEMBER = "member", _("Network member")
        API = "api", _("API")
        COORDINATOR = "coordinator", _("Added by a coordinator")

    network = models.ForeignKey("networks.Network", on_delete=models.CASCADE, related_name="+")
    subscriber = models.ForeignKey(
        Subscriber, on_delete=models.CASCADE, related_name="subscriptions"
    )
    mailing_list = models.ForeignKey(
        MailingList, on_delete=models.CASCADE, related_name="subscriptions"
    )
    status = models.CharField(
        _("status"), max_length=14, choices=Status.choices, default=Status.PENDING
    )
    consent_method = models.CharField(
        _("consent given through"), max_length=12, choices=Method.choices
    )
    consent_at = models.DateTimeField(_("consent given"), null=True, blank=True)
    consent_ip = models.GenericIPAddressField(_("consent given from"), null=True, blank=True)
    consent_note = models.CharField(_("consent note"), max_length=300, blank=True)
    requested_at = models.DateTimeField(default=timezone.now)
    confirmed_at = models.DateTimeField(_("confirmed"), null=True, blank=True)
    unsubscribed_at = models.DateTimeField(_("unsubscribed"), null=True, blank=True)
    unsubscribe_method = models.CharField(max_length=20, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["subscriber", "mailing_list"], name="outreach_subscription_unique"
            )
        ]
        indexes = [models.Index(fields=["mailing_list", "status"], name="outreach_sub_list")]
        verbose_name = _("subscription")
        verbose_name_plural = _("subscriptions")

    def __str__(self) -> str:
        return f"{self.subscriber_id} on {self.mailing_list_id}: {self.status}"


class Suppression(models.Model):
    """An address no newsletter goes to: hard bounce, too many soft bounces, complaint, by hand."""

    class Reason(models.TextChoices):
        HARD_BOUNCE = "hard_bounce", _("Hard bounce")
        SOFT_BOUNCES = "soft_bounces", _("Repeated soft bounces")
        COMPLAINT = "complaint", _("Complaint (marked as spam)")
        MANUAL = "manual", _("Added by a coordinator")

    network = models.ForeignKey(
        "networks.Network", on_delete=models.CASCADE, related_name="suppressions"
    )
    email = models.EmailField(max_length=254)
    reason = models.CharField(_("reason"), max_length=14, choices=Reason.choices)
    detail = models.CharField(_("detail"), max_length=500, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["network", "email"], name="outreach_suppression_unique")
        ]
        verbose_name = _("suppressed address")
        verbose_name_plural = _("suppressed addresses")

    def __str__(self) -> str:
        return self.email


class Bounce(models.Model):
    """One bounce or complaint report, as received (mailbox file or webhook)."""

    class Kind(models.TextChoices):
        HARD = "hard", _("Hard bounce")
        SOFT = "soft", _("Soft bounce")
        COMPLAINT = "complaint", _("Complaint")

    network = models.ForeignKey("networks.Network", on_delete=models.CASCADE, related_name="+")
    email = models.EmailField(max_length=254)
    kind = models.CharField(max_length=10, choices=Kind.choices)
    delivery = models.ForeignKey(
        "outreach.Delivery", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    source = models.CharField(max_length=20)  # mbox | webhook | manual
    status_code = models.CharField(max_length=20, blank=True)  # e.g. 5.1.1
    detail = models.CharField(max_length=500, blank=True)
    received_at = models.DateTimeField(default=timezone.now)

    class Meta:
        indexes = [models.Index(fields=["network", "email"], name="outreach_bounce_email")]

    def __str__(self) -> str:
        return f"{self.kind} bounce of {self.email}"


class Newsletter(models.Model):
    """An issue of the network's newsletter, sent to one list, in one or more language editions."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        SCHEDULED = "scheduled", _("Scheduled")
        SENDING = "sending", _("Sending")
        SENT = "sent", _("Sent")
        CANCELLED = "cancelled", _("Cancelled")

    network = models.ForeignKey(
        "networks.Network", on_delete=models.CASCADE, related_name="newsletters"
    )
    number = models.PositiveIntegerField(_("issue number"))
    mailing_list = models.ForeignKey(
        MailingList,
        verbose_name=_("sent to"),
        # A list with issues cannot be deleted, but deleting the network takes both.
        on_delete=models.RESTRICT,
        related_name="newsletters",
    )
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.DRAFT
    )
    default_language = models.CharField(_("default edition"), max_length=8, default="en")
    # What the draft covered: activity after `period_start` (the previous issue's sending).
    period_start = models.DateTimeField(null=True, blank=True)
    scheduled_at = models.DateTimeField(_("send at"), null=True, blank=True)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    in_archive = models.BooleanField(_("show in the public archive"), default=True)
    created_by = models.ForeignKey(
        "people.Person", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-number"]
        constraints = [
            models.UniqueConstraint(
                fields=["network", "number"], name="outreach_newsletter_unique_number"
            )
        ]
        verbose_name = _("newsletter issue")
        verbose_name_plural = _("newsletter issues")

    def __str__(self) -> str:
        return f"#{self.number}"


class Edition(models.Model):
    """A newsletter issue in one language: what a subscriber reading that language receives."""

    newsletter = models.ForeignKey(Newsletter, on_delete=models.CASCADE, related_name="editions")
    language = models.CharField(_("language"), max_length=8)
    subject = models.CharField(_("subject"), max_length=200)
    preheader = models.CharField(_("preview text"), max_length=200, blank=True)
    body = models.TextField(_("body (Markdown)"), blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["language"]
        constraints = [
            models.UniqueConstraint(
                fields=["newsletter", "language"], name="outreach_edition_unique_language"
            )
        ]
        verbose_name = _("edition")
        verbose_name_plural = _("editions")

    def __str__(self) -> str:
        return f"{self.newsletter} ({self.language})"


class Delivery(models.Model):
    """One recipient of one issue. Created for every recipient before sending starts; the sender
    claims rows with a lease and marks each one sent, so a restarted worker sends every remaining
    message exactly once."""

    class Status(models.TextChoices):
        QUEUED = "queued", _("Queued")
        SENT = "sent", _("Sent")
        FAILED = "failed", _("Failed")
        SKIPPED = "skipped", _("Skipped (suppressed or unsubscribed)")
        BOUNCED = "bounced", _("Bounced")

    network = models.ForeignKey("networks.Network", on_delete=models.CASCADE, related_name="+")
    newsletter = models.ForeignKey(Newsletter, on_delete=models.CASCADE, related_name="deliveries")
    subscriber = models.ForeignKey(
        Subscriber, null=True, on_delete=models.SET_NULL, related_name="deliveries"
    )
    email = models.EmailField(max_length=254)
    language = models.CharField(max_length=8)
    status = models.CharField(max_length=8, choices=Status.choices, default=Status.QUEUED)
    message_id = models.CharField(max_length=200, unique=True)
    claimed_by = models.CharField(max_length=80, blank=True)
    claimed_until = models.DateTimeField(null=True, blank=True)
    attempts = models.PositiveSmallIntegerField(default=0)
    sent_at = models.DateTimeField(null=True, blank=True)
    error = models.CharField(max_length=500, blank=True)
    opened_at = models.DateTimeField(null=True, blank=True)
    open_count = models.PositiveIntegerField(default=0)
    clicked_at = models.DateTimeField(null=True, blank=True)
    click_count = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["newsletter", "subscriber"], name="outreach_delivery_unique"
            )
        ]
        indexes = [models.Index(fields=["newsletter", "status"], name="outreach_delivery_status")]
        verbose_name = _("delivery")
        verbose_name_plural = _("deliveries")

    def __str__(self) -> str:
        return f"{self.email} ({self.status})"


class LinkClick(models.Model):
    """A click on a link of an issue (only when the network counts clicks)."""

    newsletter = models.ForeignKey(Newsletter, on_delete=models.CASCADE, related_name="clicks")
    delivery = models.ForeignKey(
        Delivery, null=True, on_delete=models.SET_NULL, related_name="clicks"
    )
    url = models.URLField(max_length=2000)
    clicked_at = models.DateTimeField(default=timezone.now)

    def __str__(self) -> str:
        return self.url


class Event(models.Model):
    class Kind(models.TextChoices):
        WEBINAR = "webinar", _("Webinar")
        CALL = "call", _("Call")
        WORKSHOP = "workshop", _("Workshop")
        CONFERENCE = "conference", _("Conference")

    class Visibility(models.TextChoices):
        PUBLIC = "public", _("Public: anyone may register")
        MEMBERS = "members", _("Members only")

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        PUBLISHED = "published", _("Published")
        CANCELLED = "cancelled", _("Cancelled")

    network = models.ForeignKey("networks.Network", on_delete=models.CASCADE, related_name="events")
    title = models.CharField(_("title"), max_length=200)
    kind = models.CharField(_("kind"), max_length=12, choices=Kind.choices, default=Kind.WEBINAR)
    description = models.TextField(_("description (Markdown)"), blank=True)
    # Stored in UTC; `time_zone` is the IANA zone the event is held in and shown in.
    starts_at = models.DateTimeField(_("starts"))
    ends_at = models.DateTimeField(_("ends"))
    time_zone = models.CharField(_("time zone"), max_length=64, default="UTC")
    online_url = models.URLField(_("online link"), max_length=1000, blank=True)
    venue = models.CharField(_("venue"), max_length=300, blank=True)
    capacity = models.PositiveIntegerField(_("places (empty: no limit)"), null=True, blank=True)
    waitlist = models.BooleanField(_("keep a waiting list when full"), default=True)
    visibility = models.CharField(
        _("who may see and register"),
        max_length=8,
        choices=Visibility.choices,
        default=Visibility.PUBLIC,
    )
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.PUBLISHED
    )
    registration_open = models.BooleanField(_("registration open"), default=True)
    registration_closes_at = models.DateTimeField(_("registration closes"), null=True, blank=True)
    accepts_proposals = models.BooleanField(_("members may propose to present"), default=False)
    # iCalendar identity: a stable UID, and SEQUENCE raised on every change that matters.
    uid = models.CharField(max_length=255, unique=True, default=new_uid)
    sequence = models.PositiveIntegerField(default=0)
    checkin_code = models.CharField(max_length=12, default=new_code)
    # Set when the event came from an imported calendar: the file's UID, to update not duplicate.
    source_uid = models.CharField(max_length=255, blank=True)
    created_by = models.ForeignKey(
        "people.Person", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["starts_at", "pk"]
        indexes = [models.Index(fields=["network", "starts_at"], name="outreach_event_start")]
        verbose_name = _("event")
        verbose_name_plural = _("events")

    def __str__(self) -> str:
        return self.title


class RegistrationQuestion(models.Model):
    class Kind(models.TextChoices):
        TEXT = "text", _("Short answer")
        LONG = "long", _("Paragraph")
        CHOICE = "choice", _("One choice")
        CHOICES = "choices", _("Several choices")
        YES_NO = "yes_no", _("Yes or no")

    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="questions")
    label = models.CharField(_("question"), max_length=300)
    kind = models.CharField(_("kind"), max_length=8, choices=Kind.choices, default=Kind.TEXT)
    choices = models.JSONField(_("choices"), default=list, blank=True)
    required = models.BooleanField(_("required"), default=False)
    position = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["position", "pk"]

    def __str__(self) -> str:
        return self.label


class EventSession(models.Model):
    """A session within an event (a talk, a panel, a break-out), with its presenters."""

    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="sessions")
    title = models.CharField(_("title"), max_length=200)
    description = models.TextField(_("description (Markdown)"), blank=True)
    starts_at = models.DateTimeField(_("starts"))
    ends_at = models.DateTimeField(_("ends"))
    room = models.CharField(_("room or link"), max_length=200, blank=True)
    presenters = models.ManyToManyField(
        "people.Person", blank=True, related_name="presented_sessions"
    )

    class Meta:
        ordering = ["starts_at", "pk"]

    def __str__(self) -> str:
        return self.title


class Proposal(models.Model):
    """A member's proposal to present their work at an event, accepted or declined by a
    coordinator."""

    class Status(models.TextChoices):
        PROPOSED = "proposed", _("Proposed")
        ACCEPTED = "accepted", _("Accepted")
        DECLINED = "declined", _("Declined")
        WITHDRAWN = "withdrawn", _("Withdrawn")

    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="proposals")
    person = models.ForeignKey("people.Person", on_delete=models.CASCADE, related_name="+")
    title = models.CharField(_("title"), max_length=200)
    abstract = models.TextField(_("what you would present"), blank=True)
    resource = models.ForeignKey(
        "library.Resource", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PROPOSED)
    session = models.ForeignKey(
        EventSession, null=True, blank=True, on_delete=models.SET_NULL, related_name="proposals"
    )
    created_at = models.DateTimeField(default=timezone.now)
    decided_at = models.DateTimeField(null=True, blank=True)
    decided_by = models.ForeignKey(
        "people.Person", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    def __str__(self) -> str:
        return self.title


class Registration(models.Model):
    class Status(models.TextChoices):
        REGISTERED = "registered", _("Registered")
        WAITLISTED = "waitlisted", _("On the waiting list")
        CANCELLED = "cancelled", _("Cancelled")

    network = models.ForeignKey("networks.Network", on_delete=models.CASCADE, related_name="+")
    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="registrations")
    person = models.ForeignKey(
        "people.Person",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="event_registrations",
    )
    name = models.CharField(_("name"), max_length=200)
    email = models.EmailField(_("email"), max_length=254)  # stored lower-cased
    language = models.CharField(max_length=8, blank=True)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.REGISTERED)
    answers = models.JSONField(default=dict, blank=True)  # question id (str) -> answer
    token = models.CharField(max_length=64, unique=True, default=new_token, editable=False)
    created_at = models.DateTimeField(default=timezone.now)
    cancelled_at = models.DateTimeField(null=True, blank=True)
    confirmation_sent_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["created_at", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["event", "email"], name="outreach_registration_unique_email"
            )
        ]
        indexes = [models.Index(fields=["event", "status"], name="outreach_reg_status")]

    def __str__(self) -> str:
        return f"{self.email} ({self.status})"


class Reminder(models.Model):
    """A reminder sent for one registration (one row per kind, so none is sent twice)."""

    registration = models.ForeignKey(
        Registration, on_delete=models.CASCADE, related_name="reminders"
    )
    kind = models.CharField(max_length=10)  # "day" (24 h before) | "hour" (1 h before)
    sent_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["registration", "kind"], name="outreach_reminder_once")
        ]

    def __str__(self) -> str:
        return f"{self.kind} reminder"


class Attendance(models.Model):
    class Method(models.TextChoices):
        COORDINATOR = "coordinator", _("Checked in by a coordinator")
        SELF = "self", _("Self check-in with the code")
        IMPORT = "import", _("Imported")

    network = models.ForeignKey("networks.Network", on_delete=models.CASCADE, related_name="+")
    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="attendances")
    registration = models.OneToOneField(
        Registration, on_delete=models.CASCADE, related_name="attendance"
    )
    person = models.ForeignKey(
        "people.Person", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    method = models.CharField(max_length=12, choices=Method.choices)
    checked_in_at = models.DateTimeField(default=timezone.now)
    recorded_by = models.ForeignKey(
        "people.Person", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    def __str__(self) -> str:
        return f"attendance {self.registration_id}"


class CalendarFeed(models.Model):
    """A member's private calendar address (what I registered for); the token is the secret."""

    network = models.ForeignKey("networks.Network", on_delete=models.CASCADE, related_name="+")
    person = models.ForeignKey("people.Person", on_delete=models.CASCADE, related_name="+")
    token = models.CharField(max_length=64, unique=True, default=new_token, editable=False)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["network", "person"], name="outreach_calendar_once")
        ]

    def __str__(self) -> str:
        return f"calendar of {self.person_id}"
