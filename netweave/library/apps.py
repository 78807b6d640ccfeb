from django.apps import AppConfig


class LibraryConfig(AppConfig):
    name = "netweave.library"
    label = "library"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from . import signals  # noqa: F401
