from django.apps import AppConfig


class WeavingConfig(AppConfig):
    name = "netweave.weaving"
    label = "weaving"
    default_auto_field = "django.db.models.BigAutoField"
