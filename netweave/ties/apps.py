from django.apps import AppConfig


class TiesConfig(AppConfig):
    name = "netweave.ties"
    label = "ties"
    default_auto_field = "django.db.models.BigAutoField"
