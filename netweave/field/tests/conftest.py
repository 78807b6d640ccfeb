import pytest

from netweave.api.tests.conftest import ApiCaller
from netweave.lib.testing import Cast


@pytest.fixture
def api(cast: Cast) -> ApiCaller:
    return ApiCaller(cast)
