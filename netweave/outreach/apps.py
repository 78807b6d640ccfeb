from django.apps import AppConfig


class OutreachConfig(AppConfig):
    name = "netweave.outreach"
    label = "outreach"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from netweave.outreach import signals

        signals.connect()
