"""Import pages (being built: see importing.py)."""

from django.http import HttpRequest, HttpResponse

from netweave.networks.decorators import network_view
from netweave.networks.permissions import Capability


@network_view(Capability.MANAGE_MEMBERS)
def import_start(request: HttpRequest) -> HttpResponse:
    return HttpResponse("")


@network_view(Capability.MANAGE_MEMBERS)
def import_detail(request: HttpRequest, job_id: int) -> HttpResponse:
    return HttpResponse("")


@network_view(Capability.MANAGE_MEMBERS)
def import_commit(request: HttpRequest, job_id: int) -> HttpResponse:
    return HttpResponse("")
