"""The hosted agent kind (Foundry): image-based agents, their images pinned by digest, their
secrets by hash, their versions waited for until they run."""

from reconciler.core.kinds.hosted_agent.keys import DESIRED, IMAGE_PREFIX, IMAGES, LIVE, NAME
from reconciler.core.kinds.hosted_agent.kind import HostedAgentKind
from reconciler.core.kinds.hosted_agent.types import DesiredHosted, LiveHosted, LiveImage

__all__ = [
    "DESIRED",
    "IMAGES",
    "IMAGE_PREFIX",
    "LIVE",
    "NAME",
    "DesiredHosted",
    "HostedAgentKind",
    "LiveHosted",
    "LiveImage",
]
