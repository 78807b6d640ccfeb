"""Reading what a person would read in the messages the test SMTP server received."""

from __future__ import annotations

import re
from typing import Any

# allauth's codes are letters and digits, dashed in groups ("7KQP-M2XD"), on a line of their own.
_CODE_LINE = re.compile(r"^\s*([A-Z0-9]{3,}(?:-[A-Z0-9]{3,})*)\s*$", re.MULTILINE)


def code_in(message: Any) -> str:
    """The one-time code in a sign-in or verification message."""
    codes = _CODE_LINE.findall(message.text)
    assert len(codes) == 1, (
        f"expected one code in {message.subject!r}, found {codes}:\n{message.text}"
    )
    return str(codes[0])


def link_in(message: Any, path_contains: str) -> str:
    """The one link in the message whose path contains ``path_contains``."""
    links = sorted({link for link in message.links() if path_contains in link})
    assert len(links) == 1, f"expected one {path_contains} link in {message.subject!r}: {links}"
    return links[0]
