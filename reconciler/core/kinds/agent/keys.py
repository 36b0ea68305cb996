"""The agent kind's name and the keys of its objects in the desired and the live state."""

from __future__ import annotations

from reconciler.core.kinds.agent.types import DesiredAgent, LiveAgent
from reconciler.core.state import Key

NAME = "agent"
DESIRED: Key[DesiredAgent] = Key(NAME)
LIVE: Key[LiveAgent] = Key(NAME)
