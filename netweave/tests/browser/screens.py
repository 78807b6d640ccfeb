"""Where the browser tests save the screenshots they take for people to look at."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path


def screenshot_path(name: str) -> Path:
    """``$NETWEAVE_SCREENSHOT_DIR/netweave-<name>.png`` (the system's temp dir by default)."""
    folder = Path(os.environ.get("NETWEAVE_SCREENSHOT_DIR") or tempfile.gettempdir())
    folder.mkdir(parents=True, exist_ok=True)
    return folder / f"netweave-{name}.png"
