"""For tests: a part the suite needs (Chromium, gettext, the built front end, the shared data) is
missing. The test fails and says how to get it; it never skips, because a skipped test proves
nothing. `make test` installs every part. No Django import: the analysis tests use it too."""

from __future__ import annotations

from typing import NoReturn

import pytest


def missing_part(reason: str) -> NoReturn:
    pytest.fail(
        f"{reason}. `make test` installs what the tests need; run it, or install this part."
    )
