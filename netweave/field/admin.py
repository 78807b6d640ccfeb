"""Admin for the field trackers. Stage changes are read-only here: they are recorded through
`services.product_change_stage`, which keeps each change's `from_stage` and the product's current
stage in step."""

from django.contrib import admin

from netweave.field.models import (
    ExchangeRate,
    FundingSettings,
    Investment,
    Product,
    ProductStage,
    StageChange,
)


@admin.register(ProductStage)
class ProductStageAdmin(admin.ModelAdmin):
    list_display = ["name", "slug", "position", "network"]
    list_filter = ["network"]
    search_fields = ["name", "slug"]


class StageChangeInline(admin.TabularInline):
    model = StageChange
    extra = 0
    can_delete = False
    fields = ["date", "from_stage", "stage", "source", "note", "recorded_by"]
    readonly_fields = ["date", "from_stage", "stage", "source", "note", "recorded_by"]

    def has_add_permission(self, request, obj=None):  # type: ignore[no-untyped-def]
        return False


@admin.register(Product)
class ProductAdmin(admin.ModelAdmin):
    list_display = ["name", "kind", "stage", "stage_since", "visibility", "network"]
    list_filter = ["network", "kind", "visibility"]
    search_fields = ["name"]
    raw_id_fields = ["developers", "topics", "resources"]
    readonly_fields = ["stage", "stage_since", "created_at", "updated_at"]
    inlines = [StageChangeInline]


@admin.register(StageChange)
class StageChangeAdmin(admin.ModelAdmin):
    list_display = ["product", "from_stage", "stage", "date", "network"]
    list_filter = ["network"]
    search_fields = ["product__name", "source"]
    readonly_fields = ["product", "from_stage", "stage", "date", "recorded_by", "created_at"]
    raw_id_fields = ["recorded_by"]

    def has_add_permission(self, request):  # type: ignore[no-untyped-def]
        return False  # recorded through the product's page, which keeps the history's chain


@admin.register(Investment)
class InvestmentAdmin(admin.ModelAdmin):
    list_display = ["funder", "recipient", "amount", "currency", "year", "topic", "network"]
    list_filter = ["network", "year", "currency", "visibility"]
    search_fields = ["funder__name", "recipient__name", "title"]
    raw_id_fields = ["funder", "recipient", "topic", "product"]


@admin.register(FundingSettings)
class FundingSettingsAdmin(admin.ModelAdmin):
    list_display = ["network", "base_currency"]


@admin.register(ExchangeRate)
class ExchangeRateAdmin(admin.ModelAdmin):
    list_display = ["currency", "year", "rate", "network"]
    list_filter = ["network", "currency"]
