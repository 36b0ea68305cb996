"""Pure: what an environment with `requires_evidence_from` shows and refuses, per agent its
plan creates or changes: whether that definition hash passed its tests in the other
environment."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

Status = Literal["passed", "failed", "missing", "untested"]


@dataclass(frozen=True)
class Evidence:
    agent: str  # the agent's name in the environment planned
    definition: str
    status: Status
    detail: str  # the runs that passed, or what is missing or failed

    @property
    def holds(self) -> bool:
        return self.status == "passed"


WORDS = {
    "passed": "passed its tests in {source}",
    "failed": "FAILED its tests in {source}",
    "missing": "no evidence from {source}",
    "untested": "no tests declared (kind: AgentTest)",
}


def render_evidence(environment: str, source: str, found: list[Evidence]) -> str:
    if not found:
        return ""
    lines = [f"Evidence ({environment} requires it from {source}):"]
    for one in found:
        status = WORDS[one.status].format(source=source)
        lines.append(
            f"  agent.{one.agent} (definition sha256-{one.definition}): {status}: {one.detail}"
        )
    return "\n".join(lines) + "\n"


def refusal(directory: str, environment: str, source: str, found: list[Evidence]) -> str | None:
    """The message apply refuses with, naming each agent without passing evidence; or None."""
    missing = [one for one in found if not one.holds]
    if not missing:
        return None
    names = ", ".join(
        f"agent.{one.agent} ({WORDS[one.status].format(source=source)})" for one in missing
    )
    return (
        f"apply to {environment} refused: {names}. {environment} requires evidence from "
        f"{source}: apply the same definition to {source}, then run "
        f"`reconciler test {directory} --env {source}` until it passes, and plan again."
    )
