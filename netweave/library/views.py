from django.http import HttpRequest, HttpResponse

from netweave.networks.decorators import network_view
from netweave.networks.permissions import Capability


@network_view(Capability.VIEW_PUBLIC)
def browse(request: HttpRequest) -> HttpResponse:
    raise NotImplementedError
