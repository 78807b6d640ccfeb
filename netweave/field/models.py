"""The field trackers (information in): products in development with their stage history, and
the investments that fund the field, so that funders can see where the gaps are."""

from __future__ import annotations

from decimal import Decimal

from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from netweave.library.models import Visibility

# A stage model a network starts with; it may rename, add or remove stages (stages are data).
DEFAULT_STAGES = [
    ("discovery", _("Discovery")),
    ("preclinical", _("Preclinical")),
    ("phase-1", _("Phase I")),
    ("phase-2", _("Phase II")),
    ("phase-3", _("Phase III")),
    ("regulatory", _("Regulatory review")),
    ("approved", _("Approved")),
]


class ProductStage(models.Model):
    """One step of the network's product stage model, in order."""

    network = models.ForeignKey(
        "networks.Network", on_delete=models.CASCADE, related_name="product_stages"
    )
    name = models.CharField(_("name"), max_length=80)
    slug = models.SlugField(_("short name"), max_length=40)
    position = models.PositiveIntegerField(_("position"), default=0)

    class Meta:
        ordering = ["position", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["network", "slug"], name="field_stage_unique_slug")
        ]
        verbose_name = _("product stage")
        verbose_name_plural = _("product stages")

    def __str__(self) -> str:
        return self.name


class Product(models.Model):
    class Kind(models.TextChoices):
        VACCINE = "vaccine", _("Vaccine")
        DRUG = "drug", _("Drug")
        DIAGNOSTIC = "diagnostic", _("Diagnostic")
        DEVICE = "device", _("Device")
        BIOLOGIC = "biologic", _("Biologic")
        DIGITAL = "digital", _("Digital tool")
        OTHER = "other", _("Other")

    network = models.ForeignKey(
        "networks.Network", on_delete=models.CASCADE, related_name="products"
    )
    name = models.CharField(_("name"), max_length=200)
    kind = models.CharField(_("kind"), max_length=12, choices=Kind.choices, default=Kind.OTHER)
    stage = models.ForeignKey(
        ProductStage,
        verbose_name=_("stage"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="products",
    )
    stage_since = models.DateField(_("in this stage since"), null=True, blank=True)
    developers = models.ManyToManyField(
        "people.Organization", verbose_name=_("developers"), blank=True, related_name="products"
    )
    indications = models.JSONField(_("indications"), default=list, blank=True)
    description = models.TextField(_("description (Markdown)"), blank=True)
    website = models.URLField(_("website"), max_length=1000, blank=True)
    topics = models.ManyToManyField(
        "library.Topic", verbose_name=_("topics"), blank=True, related_name="products"
    )
    resources = models.ManyToManyField(
        "library.Resource", verbose_name=_("linked resources"), blank=True, related_name="products"
    )
    visibility = models.CharField(
        _("visibility"), max_length=14, choices=Visibility.choices, default=Visibility.NETWORK
    )
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(fields=["network", "name"], name="field_product_unique_name")
        ]
        verbose_name = _("product")
        verbose_name_plural = _("products")

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse(
            "field:product", kwargs={"network_slug": self.network.slug, "product_id": self.pk}
        )


class StageChange(models.Model):
    """A product reached `stage` on `date` (with where that is known from)."""

    network = models.ForeignKey("networks.Network", on_delete=models.CASCADE, related_name="+")
    product = models.ForeignKey(Product, on_delete=models.CASCADE, related_name="stage_history")
    from_stage = models.ForeignKey(
        ProductStage, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    stage = models.ForeignKey(ProductStage, on_delete=models.PROTECT, related_name="+")
    date = models.DateField(_("date"))
    source = models.CharField(_("source"), max_length=1000, blank=True)
    note = models.TextField(_("note"), blank=True)
    recorded_by = models.ForeignKey(
        "people.Person", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["product", "date", "pk"]
        indexes = [models.Index(fields=["network", "date"], name="field_change_date")]

    def __str__(self) -> str:
        return f"{self.product_id} → {self.stage_id} on {self.date}"


class Investment(models.Model):
    """Money from a funder to a recipient, in its own currency; converted for totals with the
    network's exchange rates."""

    network = models.ForeignKey(
        "networks.Network", on_delete=models.CASCADE, related_name="investments"
    )
    funder = models.ForeignKey(
        "people.Organization",
        verbose_name=_("funder"),
        on_delete=models.PROTECT,
        related_name="investments_made",
    )
    recipient = models.ForeignKey(
        "people.Organization",
        verbose_name=_("recipient"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="investments_received",
    )
    title = models.CharField(_("purpose"), max_length=300, blank=True)
    amount = models.DecimalField(_("amount"), max_digits=16, decimal_places=2)
    currency = models.CharField(_("currency"), max_length=3, default="USD")
    year = models.PositiveSmallIntegerField(_("year"))
    topic = models.ForeignKey(
        "library.Topic",
        verbose_name=_("topic"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="investments",
    )
    product = models.ForeignKey(
        Product,
        verbose_name=_("product"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="investments",
    )
    source = models.CharField(_("source"), max_length=1000, blank=True)
    visibility = models.CharField(
        _("visibility"), max_length=14, choices=Visibility.choices, default=Visibility.NETWORK
    )
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-year", "-amount"]
        indexes = [
            models.Index(fields=["network", "year"], name="field_inv_year"),
            models.Index(fields=["network", "topic"], name="field_inv_topic"),
        ]
        verbose_name = _("investment")
        verbose_name_plural = _("investments")

    def __str__(self) -> str:
        return f"{self.funder_id} → {self.recipient_id}: {self.amount} {self.currency}"


class FundingSettings(models.Model):
    """The currency a network reports funding in."""

    network = models.OneToOneField(
        "networks.Network", on_delete=models.CASCADE, related_name="funding_settings"
    )
    base_currency = models.CharField(_("report funding in"), max_length=3, default="USD")

    def __str__(self) -> str:
        return f"{self.network_id}: {self.base_currency}"


class ExchangeRate(models.Model):
    """How many units of the base currency one unit of `currency` is worth, for one year (or, with
    no year, for any year that has no rate of its own). Entered by the coordinator."""

    network = models.ForeignKey(
        "networks.Network", on_delete=models.CASCADE, related_name="exchange_rates"
    )
    currency = models.CharField(_("currency"), max_length=3)
    year = models.PositiveSmallIntegerField(_("year"), null=True, blank=True)
    rate = models.DecimalField(_("rate"), max_digits=18, decimal_places=8, default=Decimal(1))

    class Meta:
        ordering = ["currency", "year"]
        constraints = [
            models.UniqueConstraint(
                fields=["network", "currency", "year"],
                condition=models.Q(year__isnull=False),
                name="field_rate_unique_year",
            ),
            models.UniqueConstraint(
                fields=["network", "currency"],
                condition=models.Q(year__isnull=True),
                name="field_rate_unique_any_year",
            ),
        ]

    def __str__(self) -> str:
        return f"1 {self.currency} ({self.year or 'any year'}) = {self.rate}"
