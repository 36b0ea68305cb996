"""What the command line's process leaves out at start-up, on purpose.

Every command pays for its imports before its first request leaves (tests/cli/test_startup.py);
these two cost 70-80 ms of CPU and 6 MB in a full environment, measured, and buy nothing here.
"""

from __future__ import annotations

import os
import sys


def trim() -> None:
    """Skip httpx's own command line and pydantic's plugin search; call before importing them."""
    # httpx's package imports its command line (httpx/_main.py: click, rich, pygments) whenever
    # those happen to be installed, and falls back to a stub when that import fails (its
    # __init__ catches the ImportError). A None entry in sys.modules makes it fail at once.
    if "httpx" not in sys.modules:
        sys.modules.setdefault("httpx._main", None)  # type: ignore[arg-type]
    # pydantic searches every installed distribution's entry points for plugins the first time
    # a model validates; none is used here. PYDANTIC_DISABLE_PLUGINS is pydantic's own switch,
    # and a value the user set wins.
    os.environ.setdefault("PYDANTIC_DISABLE_PLUGINS", "__all__")
