"""Hosted agents as the Foundry dialect reads and writes them, and their images' tags.

Read: from the one agents list (no request of their own), with each latest version's `status`
and, when it failed, the service's reason (`error.message`). Tags: asked of an OCI registry
(`GET /v2/<repository>/manifests/<tag>`, the digest in `Docker-Content-Digest`): the image's
own registry (`https://<registry>`, anonymously: a registry that wants credentials is an error
that says to pin the digest), or the registry stand-in at `RECONCILER_REGISTRY_URL` (for
`endpoint: local`, the bundled emulator's, by default). Write: a new version, then its status
polled until it leaves `creating`, with progress; `failed` fails the change with the reason.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import httpx

from reconciler.api.dialects.ingestion import Waiting
from reconciler.api.foundry_client import FoundryClient
from reconciler.core.kinds.agent.types import LiveAgent
from reconciler.core.kinds.hosted_agent import LiveHosted, LiveImage
from reconciler.core.kinds.hosted_agent.keys import DEFINITION_KIND, split_tag
from reconciler.errors import ReconcilerError

REGISTRY_ENV = "RECONCILER_REGISTRY_URL"
ACCEPT = ", ".join(
    [
        "application/vnd.oci.image.index.v1+json",
        "application/vnd.oci.image.manifest.v1+json",
        "application/vnd.docker.distribution.manifest.list.v2+json",
        "application/vnd.docker.distribution.manifest.v2+json",
    ]
)
POLL_SECONDS = 0.2


class HostedAgentError(ReconcilerError):
    """A new hosted agent version failed to start; the version before it stays the latest."""


def live_hosted(
    items: list[dict[str, Any]], agents: tuple[LiveAgent, ...]
) -> tuple[LiveHosted, ...]:
    latest = {str(i.get("name")): (i.get("versions") or {}).get("latest") or {} for i in items}
    return tuple(
        _hosted(a, latest.get(a.name) or {})
        for a in agents
        if a.definition.get("kind") == DEFINITION_KIND
    )


def _hosted(agent: LiveAgent, latest: dict[str, Any]) -> LiveHosted:
    """The agent with its latest version's status (the agents list's own `versions.latest`)."""
    return LiveHosted(
        name=agent.name,
        version=agent.version,
        created_at=agent.created_at,
        description=agent.description,
        definition=agent.definition,
        metadata=agent.metadata,
        status=str(latest.get("status") or "active"),
        error=_reason(latest.get("error")),
    )


def resolve_images(
    http: httpx.Client, base: str | None, images: list[str]
) -> tuple[LiveImage, ...]:
    return tuple(LiveImage(image, _digest(http, base, image)) for image in images)


def _digest(http: httpx.Client, base: str | None, image: str) -> str | None:
    repository, tag = split_tag(image)
    registry, _, path = repository.partition("/")
    url = (
        f"{base.rstrip('/')}/v2/{repository}/manifests/{tag}"
        if base
        else f"https://{registry}/v2/{path}/manifests/{tag}"
    )
    try:
        answer = http.get(url, headers={"Accept": ACCEPT})
    except httpx.HTTPError as error:
        raise ReconcilerError(
            f"image {image}: registry {registry} did not answer ({error})"
        ) from None
    if answer.status_code == 404:
        return None
    if answer.status_code in (401, 403):
        raise ReconcilerError(
            f"image {image}: registry {registry} wants credentials to resolve the tag; name the "
            "image by its digest instead (image: <registry>/<repository>@sha256:...)."
        )
    found = answer.headers.get("Docker-Content-Digest")
    if answer.status_code != 200 or not found:
        raise ReconcilerError(
            f"image {image}: registry {registry} answered {answer.status_code} without a digest"
        )
    return str(found)


def write_hosted(
    client: FoundryClient, name: str, body: dict[str, Any], waiting: Waiting, address: str
) -> str:
    """A new version, once it runs; raises with the service's reason when it failed."""
    version = client.create_version(name, body)
    number = str(version.get("version"))
    wait_started(client.get_version, name, number, version, waiting, address)
    return str(version.get("id") or f"{name}:{number}")


def wait_started(
    get: Callable[[str, str], dict[str, Any]],
    name: str,
    number: str,
    version: dict[str, Any],
    waiting: Waiting,
    address: str,
) -> None:
    deadline = waiting.clock() + waiting.timeout_seconds
    notify = waiting.notify or (lambda _: None)
    while version.get("status") == "creating":
        notify(f"{address}: version {number} creating")
        if waiting.clock() + POLL_SECONDS > deadline:
            raise ReconcilerError(
                f"{address}: version {number} still creating after {waiting.timeout_seconds:g} s;"
                " the next plan shows it (apply again later, or raise "
                "RECONCILER_INGESTION_TIMEOUT_SECONDS)."
            )
        waiting.sleep(POLL_SECONDS)
        version = get(name, number)
    if version.get("status") == "failed":
        raise HostedAgentError(
            f"{address}: version {number} failed to start: {_reason(version.get('error'))}. "
            "The version before it stays the latest: fix the image or its settings, then apply."
        )
    notify(f"{address}: version {number} {version.get('status') or 'active'}")


def _reason(error: Any) -> str | None:
    if not isinstance(error, dict):
        return None
    code, message = error.get("code"), error.get("message") or "no message"
    return f"{message} ({code})" if code else str(message)
