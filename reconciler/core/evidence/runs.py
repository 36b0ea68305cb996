"""Pure: the bodies of an agent test's eval and run, and how a run is recognised again from its
metadata (the evidence on the live endpoint: no state file holds it).

An eval is made per project and test hash; a run per agent version, tagged with the project,
the environment, the agent, its version, its definition hash, the test and its role
(`candidate`: the version under test; `baseline`: the version it is compared with).
"""

from __future__ import annotations

from typing import Any

from reconciler.core.evidence.criteria import testing_criteria
from reconciler.core.evidence.model import AgentTest

PREFIX = "reconciler."
DONE = ("completed", "failed", "canceled")


def test_key(test: AgentTest) -> str:
    return f"{test.name}:{test.hash}"


def eval_body(project: str, test: AgentTest, model: str) -> dict[str, Any]:
    return {
        "name": f"reconciler test {test.name} ({project})",
        "data_source_config": {
            "type": "custom",
            "item_schema": {"type": "object"},
            "include_sample_schema": True,
        },
        "testing_criteria": testing_criteria(test, test.model or model),
        "metadata": {f"{PREFIX}project": project, f"{PREFIX}test": test_key(test)},
    }


def is_eval_of(found: dict[str, Any], project: str, test: AgentTest) -> bool:
    metadata = found.get("metadata") or {}
    return metadata.get(f"{PREFIX}project") == project and metadata.get(
        f"{PREFIX}test"
    ) == test_key(test)


def run_metadata(
    project: str, environment: str, test: AgentTest, version: str, definition: str, role: str
) -> dict[str, str]:
    return {
        f"{PREFIX}project": project,
        f"{PREFIX}environment": environment,
        f"{PREFIX}agent": test.agent,
        f"{PREFIX}version": version,
        f"{PREFIX}definition": definition,
        f"{PREFIX}test": test_key(test),
        f"{PREFIX}role": role,
    }


def run_body(test: AgentTest, version: str, metadata: dict[str, str]) -> dict[str, Any]:
    """An `azure_ai_target_completions` run: the service sends each row to the agent version."""
    return {
        "name": f"{test.name} on {test.agent} v{version}",
        "metadata": metadata,
        "data_source": {
            "type": "azure_ai_target_completions",
            "source": {"type": "file_content", "content": [{"item": row} for row in test.rows]},
            "input_messages": {
                "type": "template",
                "template": [
                    {
                        "type": "message",
                        "role": "user",
                        "content": {"type": "input_text", "text": test.input},
                    }
                ],
            },
            "target": {"type": "azure_ai_agent", "name": test.agent, "version": version},
        },
    }


def matching_run(runs: list[dict[str, Any]], wanted: dict[str, str]) -> dict[str, Any] | None:
    """The latest completed run whose metadata holds every wanted pair."""
    found = [
        run
        for run in runs
        if run.get("status") == "completed"
        and all((run.get("metadata") or {}).get(k) == v for k, v in wanted.items())
    ]
    return max(found, key=lambda run: int(run.get("created_at") or 0), default=None)
