"""Secrets a tool carries (an MCP server's headers and token): named by environment variable,
compared by hash, never written down.

A manifest names the variable (`Authorization: {env: MCP_TOKEN}`); load reads its value from
the process environment (config, `Resolve.secret`). The essence, and so the plan, its file and
every rendering, holds a marker instead: `${env:MCP_TOKEN} sha256:<16 hex>`, the first 16 hex
digits of the value's SHA-256. Apply swaps the value back in (`reveal`, reading the variable
again) and refuses when it no longer hashes to what the plan saw. A live value is compared
through `compared`: the marker of the variable this process read it from for the same place
(server and header: an unchanged secret is no change), else `sha256:<16 hex>` alone, which
differs from any marker, so that a secret edited in the portal is drift, shown by its hash
only. Plain (not secret) values a manifest writes stay readable in plans. What was read is
remembered in this module (a command loads its manifests before it reads live objects); a
process that loads several projects shares it, so one project's secret for a server and header
would name the marker of another's equal value there.
"""

from __future__ import annotations

import hashlib
import os
import re

from reconciler.errors import StalePlanError, UsageError

MARKER = re.compile(r"^\$\{env:([A-Za-z_][A-Za-z0-9_]*)\} sha256:([0-9a-f]{16})$")
ENV_NAME = r"^[A-Za-z_][A-Za-z0-9_]*$"
# The secrets and plain values this process read from manifests, by where they go (`at`: an
# MCP server's label and header) and digest: so that a live value equal to one compares equal
# to its marker (or to itself), and no other is shown.
_secrets: dict[tuple[str, str], str] = {}  # (at, digest) -> the variable it was read from
_plain: set[tuple[str, str]] = set()


def digest(value: str) -> str:
    return hashlib.sha256(value.encode("utf-8")).hexdigest()[:16]


def marker(env: str, value: str, at: str) -> str:
    """What the plan holds for a secret read from variable `env`, sent to `at`."""
    found = digest(value)
    _secrets[at, found] = env
    return f"${{env:{env}}} sha256:{found}"


def plain(value: str, at: str) -> str:
    """A value a manifest writes as it is (not a secret): readable in plans."""
    _plain.add((at, digest(value)))
    return value


def compared(value: str, at: str) -> str:
    """A live value sent to `at` as the plan compares and shows it."""
    found = digest(value)
    if (at, found) in _secrets:  # first: a secret is never shown, even when a plain value's
        return f"${{env:{_secrets[at, found]}}} sha256:{found}"
    return value if (at, found) in _plain else f"sha256:{found}"


def reveal(value: str) -> str:
    """The value apply sends for what the plan holds: a marker's secret, read again."""
    match = MARKER.match(value)
    if match is None:
        return value
    env, planned = match.groups()
    secret = os.environ.get(env)
    if secret is None:
        raise UsageError(
            f"environment variable {env} is not set: apply sends the secret the plan hashed "
            f"(sha256:{planned}). Set it as it was for plan."
        )
    if digest(secret) != planned:
        raise StalePlanError(
            f"environment variable {env} changed since the plan was made (sha256:{planned}, "
            f"now sha256:{digest(secret)}). Run plan again."
        )
    return secret


def env_name(*parts: str) -> str:
    """A variable name for a secret an import finds (MCP_<LABEL>_<HEADER>)."""
    return re.sub(r"[^A-Z0-9]+", "_", "_".join(parts).upper()).strip("_") or "SECRET"
