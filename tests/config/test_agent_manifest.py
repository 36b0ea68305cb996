"""kind: Agent manifests resolve into DesiredAgents: files by content, tools in the wire shape."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path
from typing import get_args

import jsonschema
import pytest

from reconciler.config.agent_doc import AgentIgnorable
from reconciler.config.agent_limits import agent_name_from, check_agent_name
from reconciler.config.desired import load_desired, validate
from reconciler.config.schemas import json_schemas
from reconciler.core.kinds.agent import DESIRED as AGENTS
from reconciler.core.kinds.agent.rules import IGNORABLE
from reconciler.core.kinds.agent.types import DesiredAgent
from reconciler.core.kinds.assistant import DESIRED as ASSISTANTS
from reconciler.core.tools.code_interpreter import CodeInterpreter
from reconciler.core.tools.file_search import FileSearch
from reconciler.core.tools.function import Function
from reconciler.errors import ProjectError
from tests.support.foundry_desired import tool_of

ROOT = Path(__file__).parents[2]
PROJECT = """project: demo
manifests: [agents/]
environments:
  staging:
    api: foundry
    endpoint: {endpoint}
  prod:
    api: foundry
    endpoint: local
"""


def _project(tmp_path: Path, manifest: str, endpoint: str = "local") -> Path:
    (tmp_path / "reconciler.yaml").write_text(PROJECT.format(endpoint=endpoint), encoding="utf-8")
    (tmp_path / "agents").mkdir()
    (tmp_path / "agents" / "bot.yaml").write_text(manifest, encoding="utf-8")
    return tmp_path


def _sha(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _agent(tmp_path: Path, environment: str = "staging") -> DesiredAgent:
    state = load_desired(tmp_path, environment, {})
    assert state.of(ASSISTANTS) == ()
    (agent,) = state.of(AGENTS)
    return agent


def test_the_foundry_example_resolves_per_environment() -> None:
    example = ROOT / "examples" / "foundry"
    staging = load_desired(example, "staging", {})
    prod = load_desired(example, "prod", {})
    assert [a.name for a in staging.of(AGENTS)] == ["support-bot-staging"]
    assert [a.name for a in prod.of(AGENTS)] == ["support-bot-prod"]
    (agent,) = staging.of(AGENTS)
    search = tool_of(agent, FileSearch)
    assert (agent.model, agent.temperature, search.max_num_results) == ("gpt-4o-mini", 0.2, 8)
    assert agent.instructions is not None
    assert agent.instructions.startswith("You are the support agent.")
    assert tool_of(agent, CodeInterpreter).files == (_sha(example / "data" / "prices.csv"),)
    assert search.files == (
        _sha(example / "docs" / "faq.md"),
        _sha(example / "docs" / "returns.md"),
    )
    assert sorted(f.path for f in staging.files.values()) == [
        "data/prices.csv",
        "docs/faq.md",
        "docs/returns.md",
    ]
    assert [t.wire["name"] for t in agent.tools if isinstance(t, Function)] == ["lookup_order"]
    assert tool_of(agent, Function).wire["strict"] is True
    assert agent.metadata == {"team": "support", "tier": "staging"}
    stores = [[k.name for k in a.knowledge] for a in (prod.of(AGENTS)[0], agent)]
    assert stores[0] == stores[1]  # equal knowledge: one store


def test_a_file_both_tools_read_is_one_file(tmp_path: Path) -> None:
    (tmp_path / "agents").mkdir()
    (tmp_path / "agents" / "faq.md").write_text("# FAQ\n", encoding="utf-8")
    manifest = """kind: Agent
name: bot
model: gpt-4o
tools:
  - {type: code_interpreter, files: [faq.md]}
  - type: file_search
    files: [faq.md]
    chunking: {type: static, static: {max_chunk_size_tokens: 400, chunk_overlap_tokens: 200}}
"""
    (tmp_path / "reconciler.yaml").write_text(PROJECT.format(endpoint="local"), encoding="utf-8")
    (tmp_path / "agents" / "bot.yaml").write_text(manifest, encoding="utf-8")
    state = load_desired(tmp_path, "staging", {})
    (agent,) = state.of(AGENTS)
    sha = _sha(tmp_path / "agents" / "faq.md")
    assert tool_of(agent, CodeInterpreter).files == (sha,)
    assert tool_of(agent, FileSearch).files == (sha,)
    assert list(state.files) == [sha]
    assert tool_of(agent, FileSearch).chunking == {
        "type": "static",
        "static": {"max_chunk_size_tokens": 400, "chunk_overlap_tokens": 200},
    }


def test_a_function_without_parameters_takes_none_on_the_wire(tmp_path: Path) -> None:
    manifest = "kind: Agent\nname: bot\nmodel: m\ntools:\n  - {type: function, name: ping}\n"
    agent = _agent(_project(tmp_path, manifest))
    assert agent.tools == (
        Function(
            {"type": "function", "name": "ping", "parameters": {"type": "object", "properties": {}}}
        ),
    )
    assert agent.knowledge == ()


def test_a_json_schema_format_reads_its_schema_file(tmp_path: Path) -> None:
    manifest = """kind: Agent
name: bot
model: m
text:
  format: {type: json_schema, name: answer, schema_file: answer.json, strict: true}
"""
    _project(tmp_path, manifest)
    schema = {"type": "object", "properties": {"total": {"type": "number"}}}
    (tmp_path / "agents" / "answer.json").write_text(json.dumps(schema), encoding="utf-8")
    agent = _agent(tmp_path)
    assert agent.text == {
        "format": {"type": "json_schema", "name": "answer", "schema": schema, "strict": True}
    }


def test_plain_formats_and_sampling(tmp_path: Path) -> None:
    manifest = "kind: Agent\nname: bot\nmodel: m\ntop_p: 1\ntext: {format: {type: json_object}}\n"
    agent = _agent(_project(tmp_path, manifest))
    assert (agent.text, agent.top_p, agent.temperature) == (
        {"format": {"type": "json_object"}},
        1,
        None,
    )


def test_interpolation_lifecycle_and_import_by_environment(tmp_path: Path) -> None:
    manifest = """kind: Agent
name: bot-${env.name}
model: m
lifecycle: {prevent_destroy: true, ignore_changes: [instructions, metadata]}
import_id: {staging: bot-staging}
"""
    _project(tmp_path, manifest)
    staging, prod = _agent(tmp_path), _agent(tmp_path, "prod")
    assert (staging.name, staging.import_id, prod.name, prod.import_id) == (
        "bot-staging",
        "bot-staging",
        "bot-prod",
        None,
    )
    assert staging.prevent_destroy
    assert staging.ignore_changes == ("instructions", "metadata")
    assert staging.location.line == 2


def test_ignore_changes_takes_exactly_what_the_agent_kind_can_ignore() -> None:
    assert set(get_args(AgentIgnorable)) == set(IGNORABLE)


def test_a_foundry_project_endpoint_is_accepted(tmp_path: Path) -> None:
    endpoint = "https://contoso.services.ai.azure.com/api/projects/support"
    _project(tmp_path, "kind: Agent\nname: bot\nmodel: m\n", endpoint)
    assert validate(tmp_path, None, {}) == []
    assert load_desired(tmp_path, "staging", {}).environment.endpoint == endpoint


def test_every_problem_of_every_kind_at_once(tmp_path: Path) -> None:
    _project(
        tmp_path,
        "kind: Agent\nname: Bot\nmodel: m\nmetadata: {reconciler.x: y}\n---\nkind: Assistant\nname: a\nmodel: m\n",
    )
    with pytest.raises(ProjectError) as raised:
        load_desired(tmp_path, "staging", {})
    shown = [str(p) for p in raised.value.diagnostics]
    assert shown == [
        f"{tmp_path}/agents/bot.yaml:2:7: agent name 'Bot' is invalid: use 1-63 lowercase "
        "letters, digits or '-', starting and ending with a letter or digit (did you mean 'bot'?)",
        f"{tmp_path}/agents/bot.yaml:4:12: metadata key 'reconciler.x' is reserved: keys "
        "starting with 'reconciler.' are ownership marks",
        f"{tmp_path}/agents/bot.yaml:6:7: kind: Assistant is an Assistants v1 manifest, and "
        "environment 'staging' has api: foundry, which serves kind: Agent: `reconciler migrate` "
        "converts it",
    ]


@pytest.mark.parametrize(
    ("written", "name"),
    [
        ("Support Bot", "support-bot"),
        ("Support Bot (dev)", "support-bot-dev"),
        ("billing_bot", "billing-bot"),
        ("--", "agent"),
        ("x" * 70, "x" * 63),
        ("a" * 62 + " b", "a" * 62),
    ],
)
def test_agent_names_are_derived_valid(written: str, name: str) -> None:
    assert agent_name_from(written) == name
    assert check_agent_name(name) is None


@pytest.mark.parametrize("name", ["Bot", "bot_1", "-bot", "bot-", "a" * 64, "", "bot.v2"])
def test_names_foundry_or_our_marks_refuse_are_refused(name: str) -> None:
    assert check_agent_name(name) is not None


def test_the_editor_schema_takes_agents_and_refuses_what_validate_refuses() -> None:
    schema = json_schemas()["manifest"]
    jsonschema.validate({"kind": "Agent", "name": "bot", "model": "m", "top_p": 0.5}, schema)
    for wrong in ({"display_name": "Bot"}, {"temperature": 3}, {"tools": [{"type": "retrieval"}]}):
        with pytest.raises(jsonschema.ValidationError):
            jsonschema.validate({"kind": "Agent", "name": "bot", "model": "m", **wrong}, schema)
