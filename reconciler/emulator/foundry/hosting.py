"""Hosted agent definitions and the provisioning of their versions.

A hosted definition (HostedAgentDefinition, GA in v1: no opt-in) needs `cpu` and `memory`, as
strings, in one of the combinations Azure Container Apps allocates (the definition's own doc
points there: learn.microsoft.com/azure/container-apps/containers#allocations; consumption
profile, 0.25 vCPU steps with twice the memory in Gi, up to 4 vCPU / 8Gi per replica),
exactly one of `container_configuration {image}` and `code_configuration`, string
`environment_variables`, and `protocol_versions` of `{protocol, version}`. Each is a 400 naming the field.

A new hosted version is `creating` in the answer that made it; its outcome is fixed then and
shows on the first read `hosted_start_ms` later (0: the next read): `failed`, with an `error`
{code, message} (the v1 spec dropped the field; no source says where the reason goes, so the
emulator keeps the preview's), when its image is one of `hosted_fail_images`, else `active`.
A failed version never becomes the agent's latest while another release is left.
"""

from __future__ import annotations

from typing import Any

from reconciler.emulator.core.db import Json
from reconciler.emulator.core.errors import bad_request
from reconciler.emulator.foundry.state import Foundry

# vCPU -> memory (Gi): Azure Container Apps' consumption allocations.
ALLOCATIONS = {f"{q / 4:g}": f"{q / 2:g}Gi" for q in range(1, 17)}  # 0.25/0.5Gi .. 4/8Gi
_HIDDEN = ("_ready_at_ms", "_outcome")


def check_hosted(definition: dict[str, Any]) -> None:
    cpu, memory = definition.get("cpu"), definition.get("memory")
    for field, value in (("cpu", cpu), ("memory", memory)):
        if not isinstance(value, str):
            raise bad_request(f"Missing or invalid 'definition.{field}'.", f"definition.{field}")
    if ALLOCATIONS.get(str(cpu)) != memory:
        combos = ", ".join(f"{c}/{m}" for c, m in ALLOCATIONS.items())
        message = f"Invalid cpu/memory '{cpu}'/'{memory}': supported combinations are {combos}."
        raise bad_request(message, "definition.cpu", "invalid_value")
    container = definition.get("container_configuration")
    if (container is None) == (definition.get("code_configuration") is None):
        message = "Exactly one of container_configuration and code_configuration must be set."
        raise bad_request(message, "definition.container_configuration", "invalid_value")
    if container is not None and not (
        isinstance(container, dict) and isinstance(container.get("image"), str)
    ):
        param = "definition.container_configuration.image"
        raise bad_request(f"Missing or invalid '{param}'.", param)
    _check_strings(definition.get("environment_variables"))
    _check_protocols(definition.get("protocol_versions"))


def _check_strings(variables: Any) -> None:
    param = "definition.environment_variables"
    if variables is not None and not (
        isinstance(variables, dict) and all(isinstance(v, str) for v in variables.values())
    ):
        raise bad_request(f"Invalid '{param}': expected a map of strings.", param, "invalid_type")


def _check_protocols(protocols: Any) -> None:
    if protocols is None:
        return
    param = "definition.protocol_versions"
    ok = isinstance(protocols, list) and all(
        isinstance(p, dict)
        and isinstance(p.get("protocol"), str)
        and isinstance(p.get("version"), str)
        for p in protocols
    )
    if not ok:
        raise bad_request(f"Invalid '{param}': expected [{{protocol, version}}].", param)


def provision(fd: Foundry, version: Json) -> Json:
    """A new version's status: `creating` for a hosted agent, its outcome fixed now."""
    definition = version["definition"]
    if definition.get("kind") != "hosted":
        return {**version, "status": "active"}
    image = (definition.get("container_configuration") or {}).get("image")
    failed = image is not None and image in fd.options.hosted_fail_images
    outcome: Json = {"status": "failed" if failed else "active"}
    if failed:
        outcome["error"] = {
            "code": "image_pull_failed",
            "message": f"Failed to start the container: image '{image}' could not be pulled.",
        }
    ready = fd.now_ms() + fd.options.hosted_start_ms
    return {**version, "status": "creating", "_ready_at_ms": ready, "_outcome": outcome}


def settled(fd: Foundry, version: Json, save: Any) -> Json:
    """The version as a read sees it now: a due outcome applied (and stored through `save`)."""
    if version.get("status") != "creating" or fd.now_ms() < version.get("_ready_at_ms", 0):
        return version
    done = {k: v for k, v in version.items() if k not in _HIDDEN}
    done.update(version.get("_outcome") or {"status": "active"})
    save(done)
    return done


def shown(version: Json) -> Json:
    return {k: v for k, v in version.items() if k not in _HIDDEN}
