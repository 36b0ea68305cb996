"""`import` for a Foundry project: its agents (agents.py) and its toolboxes (toolboxes.py),
behind the one source the dialect registers (sources.py). The listing shows both tables; a
selection names an agent, or a toolbox (`toolbox:NAME` when an agent has that name too)."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from reconciler.adoption.agents import Agents
from reconciler.adoption.draft import Draft, Target
from reconciler.adoption.toolboxes import Toolboxes
from reconciler.api.retry import RetryPolicy

PREFIX = "toolbox:"


class FoundryImports:
    api = Agents.api
    folder = Agents.folder
    adoption = Agents.adoption

    @classmethod
    @contextmanager
    def opened(
        cls, directory: Path, target: Target, retry: RetryPolicy
    ) -> Iterator[FoundryImports]:
        with Agents.opened(directory, target, retry) as agents:
            yield cls(agents, Toolboxes(agents.client, target))

    def __init__(self, agents: Agents, toolboxes: Toolboxes) -> None:
        self.agents, self.toolboxes = agents, toolboxes
        self.noun = agents.noun

    def listing(self, directory: Path) -> list[str]:
        lines = self.agents.listing(directory)
        if not self.toolboxes.live:
            return lines
        return [*lines, "", *self.toolboxes.listing(directory)]

    def drafts(self, selections: tuple[str, ...]) -> list[Draft]:
        agents = {a.name for a in self.agents.live}
        others = [s for s in selections if s not in agents and not s.startswith(PREFIX)]
        # The toolboxes are listed only when a selection may name one.
        toolboxes = {t.name for t in self.toolboxes.live} if others else set()
        picked = [
            s.removeprefix(PREFIX)
            for s in selections
            if s.startswith(PREFIX) or (s in toolboxes and s not in agents)
        ]
        rest = tuple(s for s in selections if s.removeprefix(PREFIX) not in picked)
        drafts = self.agents.drafts(rest) if rest else []
        drafts += self.toolboxes.drafts(tuple(picked)) if picked else []
        nouns = {self.agents.noun} if rest else set()
        nouns |= {self.toolboxes.noun} if picked else set()
        self.noun = nouns.pop() if len(nouns) == 1 else "object"
        return drafts

    def download_file(self, file_id: str) -> bytes:
        return self.agents.download_file(file_id)
