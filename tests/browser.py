"""What the two browser tests share: Debian's Chromium and how they start it, and whether they
take screenshots for a review (``XENT_SCREENSHOTS=1``). Never ``playwright install``."""

from __future__ import annotations

import os
from pathlib import Path

__all__ = ["CHROMIUM", "CHROMIUM_ARGS", "TAKE_SCREENSHOTS"]

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
]
TAKE_SCREENSHOTS = os.environ.get("XENT_SCREENSHOTS") == "1"
