from django.apps import AppConfig


class NetworksConfig(AppConfig):
    name = "netweave.networks"
    label = "networks"
    default_auto_field = "django.db.models.BigAutoField"
