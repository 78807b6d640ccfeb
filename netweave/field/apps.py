from django.apps import AppConfig


class FieldConfig(AppConfig):
    name = "netweave.field"
    label = "field"
    default_auto_field = "django.db.models.BigAutoField"
