"""The prompt agent's further settings (reasoning, tool_choice, structured_inputs, rai_config)
and the verbatim tool: typed in the manifest, in the wire shape, every problem at its place."""

from __future__ import annotations

from pathlib import Path

import jsonschema
import pytest

from reconciler.config.desired import load_desired
from reconciler.config.schemas import json_schemas
from reconciler.core.kinds.agent import DESIRED as AGENTS
from reconciler.core.kinds.agent.types import DesiredAgent
from reconciler.core.tools.base import AsWritten
from reconciler.errors import ProjectError

PROJECT = """project: demo
manifests: [agents/]
environments:
  staging:
    api: foundry
    endpoint: local
"""
SETTINGS = """kind: Agent
name: bot
model: gpt-4o
instructions: "Help {{customer}}."
reasoning: {effort: low, summary: auto}
tool_choice: {type: function, name: lookup}
structured_inputs:
  customer: {description: Who asks, schema: {type: string}, default_value: anyone}
  store_id: {required: true}
rai_config: {rai_policy_name: Microsoft.DefaultV2}
tools:
  - {type: function, name: lookup}
  - type: verbatim
    tool: {type: memory_search_preview, memory_store_name: chat, scope: "{{customer}}"}
"""


def _agent(tmp_path: Path, manifest: str) -> DesiredAgent:
    (tmp_path / "reconciler.yaml").write_text(PROJECT, encoding="utf-8")
    (tmp_path / "agents").mkdir(exist_ok=True)
    (tmp_path / "agents" / "bot.yaml").write_text(manifest, encoding="utf-8")
    (agent,) = load_desired(tmp_path, "staging", {}).of(AGENTS)
    return agent


def _problems(tmp_path: Path, manifest: str) -> list[str]:
    with pytest.raises(ProjectError) as raised:
        _agent(tmp_path, manifest)
    return [str(p).removeprefix(f"{tmp_path}/agents/bot.yaml:") for p in raised.value.diagnostics]


def test_the_settings_resolve_in_the_wire_shape(tmp_path: Path) -> None:
    agent = _agent(tmp_path, SETTINGS)
    assert agent.reasoning == {"effort": "low", "summary": "auto"}
    assert agent.tool_choice == {"type": "function", "name": "lookup"}
    assert agent.structured_inputs == {
        "customer": {
            "description": "Who asks",
            "default_value": "anyone",
            "schema": {"type": "string"},
        },
        "store_id": {"required": True},
    }
    assert agent.rai_config == {"rai_policy_name": "Microsoft.DefaultV2"}
    (verbatim,) = [t for t in agent.tools if isinstance(t, AsWritten)]
    assert verbatim.type == "memory_search_preview"
    assert verbatim.essence({}) == {
        "type": "memory_search_preview",
        "memory_store_name": "chat",
        "scope": "{{customer}}",
    }


@pytest.mark.parametrize("choice", ["none", "auto", "required"])
def test_a_tool_choice_may_be_a_mode(tmp_path: Path, choice: str) -> None:
    agent = _agent(tmp_path, f"kind: Agent\nname: bot\nmodel: m\ntool_choice: {choice}\n")
    assert (agent.tool_choice, agent.reasoning, agent.structured_inputs) == (choice, None, None)


def test_every_problem_of_the_settings_at_once(tmp_path: Path) -> None:
    manifest = """kind: Agent
name: bot
model: m
tool_choice: {type: function, name: "look up"}
structured_inputs:
  n: {schema: {type: integer}, default_value: many}
  s: {schema: {type: 12}}
tools:
  - type: verbatim
    tool: {type: verbatim, name: f}
  - type: verbatim
    tool: {name: untyped}
"""
    assert _problems(tmp_path, manifest) == [
        "4:37: tool name 'look up' is invalid: use 1-64 letters, digits, '_' or '-'",
        "6:47: default_value does not follow its schema: 'many' is not of type 'integer'",
        "7:22: schema.type is not a valid JSON Schema: 12 is not valid under any of the given "
        "schemas",
        "10:18: a verbatim tool's type is the tool's own, not verbatim",
        "12:11: a verbatim tool needs its own `type` (a string)",
    ]


@pytest.mark.parametrize(
    ("setting", "message"),
    [
        ("reasoning: {effort: extreme}", "5:21: 'reasoning.effort': expected 'none', 'minimal'"),
        ("rai_config: {}", "5:13: missing required key 'rai_policy_name'"),
        ("tool_choice: sometimes", "5:14: tool_choice 'sometimes' is not a mode: use none, auto"),
        ("tool_choice: {type: mcp}", "5:14: missing required key 'server_label'"),
        ("structured_inputs: {x: {kind: text}}", "5:25: unknown key 'kind'"),
    ],
)
def test_shapes_the_service_refuses_are_refused(tmp_path: Path, setting: str, message: str) -> None:
    shown = _problems(tmp_path, f"kind: Agent\nname: bot\nmodel: m\n\n{setting}\n")
    assert any(p.startswith(message) for p in shown), shown


def test_the_editor_schema_takes_the_settings_and_the_verbatim_tool() -> None:
    schema = json_schemas()["manifest"]
    agent = {
        "kind": "Agent",
        "name": "bot",
        "model": "m",
        "reasoning": {"effort": "high"},
        "tool_choice": {"type": "allowed_tools", "mode": "auto", "tools": [{"type": "mcp"}]},
        "structured_inputs": {"x": {"required": True}},
        "rai_config": {"rai_policy_name": "p"},
        "tools": [{"type": "verbatim", "tool": {"type": "web_iq_preview"}}],
        "lifecycle": {
            "ignore_changes": ["reasoning", "tool_choice", "structured_inputs", "rai_config"]
        },
    }
    jsonschema.validate(agent, schema)
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate({**agent, "reasoning": {"effort": "extreme"}}, schema)
