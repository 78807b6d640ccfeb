"""Fixtures shared by every app's tests. Browser, SMTP and live-server fixtures: ../conftest.py."""

import pytest

from netweave.lib.testing import Cast, make_cast


@pytest.fixture
def cast(db) -> Cast:  # type: ignore[no-untyped-def]
    return make_cast()


@pytest.fixture
def private_cast(db) -> Cast:  # type: ignore[no-untyped-def]
    return make_cast(visibility="private")
