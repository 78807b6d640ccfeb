from django.apps import AppConfig


class ApiConfig(AppConfig):
    name = "netweave.api"
    label = "netweave_api"
