from django.conf import settings
from django.http import HttpRequest


def site(request: HttpRequest) -> dict[str, object]:
    return {"site_name": settings.NETWEAVE_SITE_NAME, "LANGUAGE_CHOICES": settings.LANGUAGES}
