"""The hosted agent kind's name and keys, and the image rules (pure)."""

from __future__ import annotations

from reconciler.core.kinds.hosted_agent.types import DesiredHosted, LiveHosted, LiveImage
from reconciler.core.state import Key

NAME = "hosted_agent"
DESIRED: Key[DesiredHosted] = Key(NAME)
LIVE: Key[LiveHosted] = Key(NAME)
IMAGES: Key[LiveImage] = Key("hosted_agent.image")  # tags the registry resolved, when asked
IMAGE_PREFIX = "image:"  # what the plan asks the dialect to read: `image:<registry/repo:tag>`
DEFINITION_KIND = "hosted"
# Azure Container Apps' allocations (vCPU -> memory), which HostedAgentDefinition's cpu and
# memory must add up to (models.tsp points at learn.microsoft.com/azure/container-apps/
# containers#allocations): 0.25 vCPU steps with twice the memory in Gi, up to the Consumption
# profile's 4 vCPU / 8 GiB per replica (learn.microsoft.com/azure/container-apps/
# workload-profiles-overview). No Foundry source narrows it further.
ALLOCATIONS = {f"{q / 4:g}": f"{q / 2:g}Gi" for q in range(1, 17)}  # 0.25/0.5Gi .. 4/8Gi


def pinned(image: str) -> bool:
    """An image named by its digest (`...@sha256:<hex>`): what runs is exactly that."""
    return "@sha256:" in image


def split_tag(image: str) -> tuple[str, str]:
    """`registry/repository:tag` -> (`registry/repository`, tag); `latest` when none is given
    (a `:` before the last `/` is a registry's port)."""
    slash = image.rfind("/")
    colon = image.rfind(":")
    if colon > slash:
        return image[:colon], image[colon + 1 :]
    return image, "latest"


def with_digest(image: str, digest: str) -> str:
    return f"{split_tag(image)[0]}@{digest}"
