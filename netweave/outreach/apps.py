from django.apps import AppConfig


class OutreachConfig(AppConfig):
    name = "netweave.outreach"
    label = "outreach"
    default_auto_field = "django.db.models.BigAutoField"
