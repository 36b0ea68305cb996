"""kind: Toolbox manifests resolve into DesiredToolboxes, each tool through its agent tool type;
every problem is reported at its place (path:line:col), all at once."""

from __future__ import annotations

from pathlib import Path

import jsonschema
import pytest

from reconciler.config.desired import load_desired
from reconciler.config.schemas import json_schemas
from reconciler.core.kinds.agent import DESIRED as AGENTS
from reconciler.core.kinds.toolbox import DESIRED as TOOLBOXES
from reconciler.errors import ProjectError

ROOT = Path(__file__).parents[2]
PROJECT = """project: demo
manifests: [tools/]
environments:
  staging: {api: foundry, endpoint: local}
  prod: {api: foundry, endpoint: local}
"""
TOOLBOX = """kind: Toolbox
name: kit-${env.name}
description: Shared tools
tools:
  - type: mcp
    server_label: docs
    server_url: https://example.com/mcp
    connection: mcp
  - type: web_search
    name: web
    description: The public web.
  - type: code_interpreter
skills: [{name: review, version: "2"}]
rai_config: {rai_policy_name: Microsoft.DefaultV2}
metadata: {team: ops}
"""


def _project(tmp_path: Path, manifest: str) -> Path:
    (tmp_path / "reconciler.yaml").write_text(PROJECT, encoding="utf-8")
    (tmp_path / "tools").mkdir(exist_ok=True)
    (tmp_path / "tools" / "kit.yaml").write_text(manifest, encoding="utf-8")
    return tmp_path


def _problems(tmp_path: Path, manifest: str) -> list[str]:
    _project(tmp_path, manifest)
    with pytest.raises(ProjectError) as raised:
        load_desired(tmp_path, "staging", {})
    prefix = f"{tmp_path}/tools/kit.yaml"
    return [str(p).removeprefix(prefix) for p in raised.value.diagnostics]


def test_a_toolbox_resolves_with_its_tools_in_their_wire_shape(tmp_path: Path) -> None:
    _project(tmp_path, TOOLBOX)
    (toolbox,) = load_desired(tmp_path, "prod", {}).of(TOOLBOXES)
    assert toolbox.name == "kit-prod"
    assert [(t.tool.type, t.name, t.description) for t in toolbox.tools] == [
        ("mcp", None, None),
        ("web_search", "web", "The public web."),
        ("code_interpreter", None, None),
    ]
    (mcp, _, _) = toolbox.tools
    assert mcp.tool.essence({}) == {
        "type": "mcp",
        "server_label": "docs",
        "server_url": "https://example.com/mcp",
        "project_connection_id": "mcp",  # by name: resolved per environment
    }
    assert toolbox.skills == ({"type": "skill_reference", "name": "review", "version": "2"},)
    assert toolbox.rai_config == {"rai_policy_name": "Microsoft.DefaultV2"}
    assert toolbox.metadata == {"team": "ops"}


def test_every_problem_at_its_place(tmp_path: Path) -> None:
    manifest = """kind: Toolbox
name: Kit_1
tools:
  - type: web_search
  - type: code_interpreter
    files: [a.md]
  - type: mcp
    server_label: docs
    server_url: https://example.com/mcp
    name: same
  - type: a2a
    name: same
metadata: {reconciler.owner: x}
"""
    assert _problems(tmp_path, manifest) == [
        ":2:7: 'Kit_1' is not a toolbox name: 1-63 letters, digits or '-', starting and ending "
        "with a letter or digit",
        ":5:5: a toolbox tells its tools apart by name, and tools[0] has none already: give this "
        "one a name",
        ":6:12: a toolbox's tools read no files: declare files on an agent's tools "
        "(code_interpreter or file_search), which uploads them",
        ":11:5: a2a takes a base_url, a connection, or both",  # the a2a type's own check
        ":12:11: tools[2] is named 'same' already",
        ":13:12: metadata key 'reconciler.owner' is reserved: keys starting with 'reconciler.' "
        "are ownership marks",
    ]


def test_a_tool_a_toolbox_does_not_take_is_named(tmp_path: Path) -> None:
    manifest = "kind: Toolbox\nname: kit\ntools:\n  - type: file_search\n    files: [a.md]\n"
    (problem,) = _problems(tmp_path, manifest)
    assert problem.startswith(":4:5: 'tools[0]': unknown tool type 'file_search'")


def test_an_agent_uses_a_toolbox_by_a_valid_name(tmp_path: Path) -> None:
    agent = "kind: Agent\nname: bot\nmodel: gpt-4o\ntools:\n  - type: toolbox\n    toolbox: %s\n"
    _project(tmp_path, agent % "kit")
    (bot,) = load_desired(tmp_path, "staging", {}).of(AGENTS)
    assert [t.essence({}) for t in bot.tools] == [{"type": "toolbox", "toolbox": "kit"}]
    assert _problems(tmp_path, agent % "Kit_1") == [
        ":6:14: 'Kit_1' is not a toolbox name: 1-63 letters, digits or '-', starting and "
        "ending with a letter or digit"
    ]


def test_the_schema_covers_toolboxes() -> None:
    schema = json_schemas()["manifest"]
    jsonschema.validate({"kind": "Toolbox", "name": "kit", "tools": [{"type": "mcp",
        "server_label": "docs", "server_url": "https://x"}]}, schema)  # fmt: skip
    wrongs: list[dict[str, object]] = [
        {"tools": []},
        {"tools": [{"type": "function"}]},
        {"colour": "red"},
    ]
    for wrong in wrongs:
        with pytest.raises(jsonschema.ValidationError):
            jsonschema.validate({"kind": "Toolbox", "name": "kit", **wrong}, schema)
