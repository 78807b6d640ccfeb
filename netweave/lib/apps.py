from django.apps import AppConfig


class LibConfig(AppConfig):
    """Shared helpers: Markdown, full-text search, pagination, the health check, template tags."""

    name = "netweave.lib"
    label = "netweave_lib"
