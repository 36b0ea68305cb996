"""The agent kind (Foundry prompt agents): its types, its planning (kind.py), its rules and the
defaults the service fills in."""

from reconciler.core.kinds.agent.keys import DESIRED, LIVE, NAME
from reconciler.core.kinds.agent.kind import AgentKind
from reconciler.core.kinds.agent.types import DesiredAgent, LiveAgent

__all__ = ["DESIRED", "LIVE", "NAME", "AgentKind", "DesiredAgent", "LiveAgent"]
