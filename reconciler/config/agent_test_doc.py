"""`kind: AgentTest`: the document model (its structure and JSON Schema); agent_test.py checks
the values and reads the dataset."""

from __future__ import annotations

from typing import Any, Literal

from pydantic import Field

from reconciler.config.document import Strict

TEST_KIND = "AgentTest"


def is_test(data: object) -> bool:
    """Whether a YAML document is an AgentTest (which the manifest reader passes over)."""
    return isinstance(data, dict) and data.get("kind") == TEST_KIND


class CriterionDoc(Strict):
    """One criterion: exactly one check, and its threshold."""

    name: str = Field(description="1-64 letters, digits, `-` or `_`; unique in the test.")
    contains: str | None = Field(None, description="The answer contains this ({{item.x}} filled).")
    icontains: str | None = Field(None, description="The same, ignoring case.")
    equals: str | None = Field(None, description="The answer is exactly this.")
    not_contains: str | None = Field(None, description="The answer does not contain this.")
    regex: str | None = Field(None, description="The answer matches this (Python `re.search`).")
    json_schema: dict[str, Any] | None = Field(
        None, description="The answer is JSON valid against this schema (2020-12)."
    )
    tool_call: ToolCallDoc | None = Field(None, description="The agent calls this tool.")
    evaluator: str | None = Field(
        None, description="A builtin evaluator of the service: relevance, task_adherence, ..."
    )
    min_pass_rate: float | None = Field(
        None, description="The share of rows that must pass, 0..1 (default 1)."
    )
    min_score: float | None = Field(
        None, description="Evaluators: the mean score the rows must reach, instead of a pass rate."
    )


class ToolCallDoc(Strict):
    name: str = Field(description="The tool's (function's) name.")
    arguments: dict[str, Any] = Field(
        default_factory=dict, description="Arguments the call must carry, with these values."
    )


class RegressionDoc(Strict):
    tolerance: float = Field(
        description="The largest drop of a criterion's pass rate (0..1) allowed against the "
        "version the environment ran before."
    )


class AgentTestDoc(Strict):
    """Tests of one agent: a dataset in the repository and criteria with thresholds."""

    kind: Literal["AgentTest"]
    name: str = Field(description="1-64 lowercase letters, digits, `-` or `_`.")
    agent: str = Field(description="The agent's name, as its manifest's `name` (interpolated).")
    dataset: str = Field(description="A JSONL file, relative to this manifest: one object a row.")
    input: str = Field("{{item.query}}", description="The user message: a template over a row.")
    model: str | None = Field(
        None, description="The deployment builtin evaluators grade with (default: the agent's)."
    )
    criteria: list[CriterionDoc] = Field(description="At least one.")
    regression: RegressionDoc | None = None


CriterionDoc.model_rebuild()
