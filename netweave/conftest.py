"""Fixtures shared by every app's tests. Browser, SMTP and live-server fixtures: ../conftest.py."""

import pytest

from netweave.lib.testing import Cast, make_cast


@pytest.fixture
def cast(db) -> Cast:  # type: ignore[no-untyped-def]
    return make_cast()


@pytest.fixture
def private_cast(db) -> Cast:  # type: ignore[no-untyped-def]
    return make_cast(visibility="private")


@pytest.fixture(autouse=True)
def _english_first():  # type: ignore[no-untyped-def]
    """A request in French leaves French active in the thread (LocaleMiddleware does not reset
    it): every test starts in English, whatever ran before it."""
    from django.utils import translation

    translation.activate("en")
    yield
    translation.deactivate()


@pytest.fixture(autouse=True)
def _fresh_cache():  # type: ignore[no-untyped-def]
    """Cached values (directory facets) must not leak from one test into the next."""
    from django.core.cache import cache

    cache.clear()
    yield
    cache.clear()
