import pytest


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    # Everything in this folder drives Chromium: `make test` runs it as its own step (-m browser).
    for item in items:
        if "/netweave/tests/browser/" in str(item.path).replace("\\", "/"):
            item.add_marker(pytest.mark.browser)
