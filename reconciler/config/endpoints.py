"""The endpoint each API family takes, one rule per family, registered by its `api` name.

Config cannot import the dialects (api/), whose clients use these endpoints; what each one
accepts is said here, once, and checked before any request.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from urllib.parse import urlparse

LOCAL_ENDPOINT = "local"

FOUNDRY_PATH = re.compile(r"^/api/projects/[^/]+$")
FOUNDRY_FORM = "https://<account>.services.ai.azure.com/api/projects/<project>"


def _project_problem(endpoint: str) -> str | None:
    """A Foundry project endpoint is an address with its project's path, and nothing else."""
    try:
        parsed = urlparse(endpoint)
    except ValueError:
        parsed = None
    if parsed is None or parsed.scheme not in ("http", "https") or not parsed.netloc:
        return f"endpoint {endpoint!r} is neither a Foundry project URL nor {LOCAL_ENDPOINT!r}"
    if FOUNDRY_PATH.match(parsed.path.rstrip("/")) and not parsed.query and not parsed.fragment:
        return None
    return (
        f"endpoint {endpoint!r} is not a Foundry project endpoint: give {FOUNDRY_FORM} "
        "(the project's endpoint on its overview page)"
    )


def _url_problem(endpoint: str) -> str | None:
    try:
        parsed = urlparse(endpoint)
    except ValueError:  # e.g. an unclosed IPv6 bracket: "https://[contoso"
        parsed = None
    if parsed is None or parsed.scheme not in ("http", "https") or not parsed.netloc:
        return f"endpoint {endpoint!r} is neither an http(s) URL nor {LOCAL_ENDPOINT!r}"
    parts = {
        "a path": parsed.path.rstrip("/"),
        "a query": parsed.query,
        "a fragment": parsed.fragment,
    }
    extra = [f"{what} {value!r}" for what, value in parts.items() if value]
    if not extra:
        return None
    base = f"{parsed.scheme}://{parsed.netloc}"
    return (
        f"endpoint {endpoint!r} has {' and '.join(extra)}: give the resource's address only, "
        f"{base!r}; reconciler adds /openai and the api-version itself"
    )


# By API family (an environment's `api`): why an endpoint is not one it can use, if it is not.
ENDPOINT_RULES: dict[str, Callable[[str], str | None]] = {
    "assistants": _url_problem,
    "foundry": _project_problem,
}
