"""Every GA tool type end to end over HTTP on the emulator: a manifest is planned and applied,
a second plan has no changes, an edit made in the portal is drift that apply undoes, and an
agent made by hand with the tool is imported, adopted and then unchanged."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import httpx
import pytest
from click.testing import CliRunner, Result

from reconciler.cli import main
from reconciler.config.source import load_documents
from reconciler.emulator.server import BackgroundServer
from tests.support.foundry_client import MODEL, TOKEN, ok, prompt

SECRET = "Bearer s3cr3t-mcp-token"
ENV = {
    "FOUNDRY_TOKEN": TOKEN,
    "NO_COLOR": "1",
    "RECONCILER_RETRY_BASE_SECONDS": "0.001",
    "MCP_TOKEN": SECRET,
}
PROJECT = """project: tools
manifests: [agents/]
environments:
  dev:
    api: foundry
    endpoint: {url}/api/projects/p1
    auth: token
    ad_token_env: FOUNDRY_TOKEN
"""
SPEC = {
    "openapi": "3.0.1",
    "info": {"title": "Orders", "version": "1"},
    "servers": [{"url": "https://orders.example.com"}],
    "paths": {
        "/orders/{id}": {
            "get": {"operationId": "getOrder", "responses": {"200": {"description": "ok"}}}
        }
    },
}
SCHEMA = {"type": "object", "properties": {"city": {"type": "string"}}, "required": ["city"]}
QUEUE: dict[str, Any] = {
    "type": "storage_queue",
    "storage_queue": {
        "queue_service_endpoint": "https://q.queue.core.windows.net",
        "queue_name": "calls",
    },
}


def run(*args: str, env: dict[str, str] | None = None) -> Result:
    return CliRunner().invoke(main, list(args), env={**ENV, **(env or {})})


class Case:
    """One tool type: its manifest entry, the wire tool apply sends, and a portal edit."""

    def __init__(
        self, declared: dict[str, Any], sent: dict[str, Any], edit: Callable[[dict[str, Any]], None]
    ) -> None:
        self.declared, self.sent, self.edit = declared, sent, edit


def _set(path: tuple[Any, ...], value: Any) -> Callable[[dict[str, Any]], None]:
    def edit(tool: dict[str, Any]) -> None:
        target = tool
        for step in path[:-1]:
            target = target[step]
        target[path[-1]] = value

    return edit


CASES = {
    "mcp": Case(
        {
            "type": "mcp",
            "server_label": "orders",
            "server_url": "https://mcp.example.com/sse",
            "allowed_tools": ["get_order"],
            "require_approval": "never",
            "headers": {"Authorization": {"env": "MCP_TOKEN"}, "X-Team": "support"},
            "connection": "orders-mcp",
        },
        {
            "type": "mcp",
            "server_label": "orders",
            "server_url": "https://mcp.example.com/sse",
            "allowed_tools": ["get_order"],
            "require_approval": "never",
            "headers": {"Authorization": SECRET, "X-Team": "support"},
            "project_connection_id": "orders-mcp",
        },
        _set(("headers", "Authorization"), "Bearer changed-in-the-portal"),
    ),
    "openapi": Case(
        {
            "type": "openapi",
            "openapi": {
                "name": "orders",
                "description": "The orders API",
                "spec_file": "../apis/orders.yaml",
                "auth": {
                    "type": "project_connection",
                    "security_scheme": {"connection": "orders-api"},
                },
            },
        },
        {
            "type": "openapi",
            "openapi": {
                "name": "orders",
                "description": "The orders API",
                "spec": SPEC,
                "auth": {
                    "type": "project_connection",
                    "security_scheme": {"project_connection_id": "orders-api"},
                },
            },
        },
        _set(("openapi", "description"), "edited"),
    ),
    "azure_ai_search": Case(
        {
            "type": "azure_ai_search",
            "azure_ai_search": {
                "indexes": [
                    {
                        "connection": "search",
                        "index_name": "handbook",
                        "query_type": "semantic",
                        "top_k": 5,
                    }
                ]
            },
        },
        {
            "type": "azure_ai_search",
            "azure_ai_search": {
                "indexes": [
                    {
                        "project_connection_id": "search",
                        "index_name": "handbook",
                        "query_type": "semantic",
                        "top_k": 5,
                    }
                ]
            },
        },
        _set(("azure_ai_search", "indexes", 0, "top_k"), 9),
    ),
    "bing_grounding": Case(
        {
            "type": "bing_grounding",
            "bing_grounding": {
                "search_configurations": [{"connection": "bing", "market": "en-US", "count": 5}]
            },
        },
        {
            "type": "bing_grounding",
            "bing_grounding": {
                "search_configurations": [
                    {"project_connection_id": "bing", "market": "en-US", "count": 5}
                ]
            },
        },
        _set(("bing_grounding", "search_configurations", 0, "count"), 20),
    ),
    "web_search": Case(
        {
            "type": "web_search",
            "filters": {"allowed_domains": ["learn.microsoft.com"]},
            "user_location": {"country": "GB", "city": "London"},
            "custom_search_configuration": {"connection": "bing-custom", "instance_name": "docs"},
        },
        {
            "type": "web_search",
            "filters": {"allowed_domains": ["learn.microsoft.com"]},
            "user_location": {"type": "approximate", "country": "GB", "city": "London"},
            "custom_search_configuration": {
                "project_connection_id": "bing-custom",
                "instance_name": "docs",
            },
        },
        _set(("filters", "allowed_domains"), ["example.com"]),
    ),
    "azure_function": Case(
        {
            "type": "azure_function",
            "azure_function": {
                "function": {"name": "get_weather", "parameters": SCHEMA},
                "input_binding": {"storage_queue": QUEUE["storage_queue"]},
                "output_binding": {
                    "storage_queue": {**QUEUE["storage_queue"], "queue_name": "answers"}
                },
            },
        },
        {
            "type": "azure_function",
            "azure_function": {
                "function": {"name": "get_weather", "parameters": SCHEMA},
                "input_binding": QUEUE,
                "output_binding": {
                    "type": "storage_queue",
                    "storage_queue": {**QUEUE["storage_queue"], "queue_name": "answers"},
                },
            },
        },
        _set(("azure_function", "output_binding", "storage_queue", "queue_name"), "other"),
    ),
    "a2a": Case(
        {
            "type": "a2a",
            "base_url": "https://agents.example.com/billing",
            "connection": "billing-a2a",
        },
        {
            "type": "a2a",
            "base_url": "https://agents.example.com/billing",
            "project_connection_id": "billing-a2a",
            "a2a_version": "1.0",
        },
        _set(("base_url",), "https://elsewhere.example.com"),
    ),
    "capture_structured_outputs": Case(
        {
            "type": "capture_structured_outputs",
            "outputs": {
                "name": "weather",
                "description": "The forecast asked for",
                "schema": SCHEMA,
            },
        },
        {
            "type": "capture_structured_outputs",
            "outputs": {
                "name": "weather",
                "description": "The forecast asked for",
                "schema": SCHEMA,
                "strict": True,
            },
        },
        _set(("outputs", "strict"), False),
    ),
}


# The project's connections, each with an id equal to its name, so that a tool sent with the
# resolved id reads back as the name it was declared by (a hand-made agent's tools too).
CONNECTIONS = ("orders-mcp", "orders-api", "search", "bing", "bing-custom", "billing-a2a")


@pytest.fixture
def project(tmp_path: Path, module_server: BackgroundServer, foundry_api: httpx.Client) -> Path:
    """A project folder with the OpenAPI spec beside its manifests, on a reset emulator."""
    return write_project(tmp_path, module_server.url)


def write_project(tmp_path: Path, url: str) -> Path:
    """The project, its emulated project holding the connections its tools name."""
    seed = {"connections": [{"name": n, "id": n} for n in CONNECTIONS], "deployments": [MODEL]}
    with httpx.Client(base_url=f"{url}/_emulator") as control:
        assert control.put("/foundry/projects/p1", json=seed).status_code == 200
    root = tmp_path / "tools"
    (root / "agents").mkdir(parents=True)
    (root / "apis").mkdir()
    (root / "reconciler.yaml").write_text(PROJECT.format(url=url), "utf-8")
    (root / "apis" / "orders.yaml").write_text(json.dumps(SPEC, indent=1), "utf-8")
    return root


def declare(root: Path, tools: list[dict[str, Any]], name: str = "helper") -> None:
    agent = {"kind": "Agent", "name": name, "model": MODEL, "instructions": "Help.", "tools": tools}
    (root / "agents" / f"{name}.yaml").write_text(json.dumps(agent, indent=1), "utf-8")


def latest(api: httpx.Client, name: str = "helper") -> dict[str, Any]:
    found: dict[str, Any] = ok(api.get(f"/agents/{name}"))["versions"]["latest"]
    return found


def plan_json(root: Path) -> dict[str, Any]:
    planned = run("plan", str(root), "--format", "json")
    assert planned.exit_code == 0, planned.output
    loaded: dict[str, Any] = json.loads(planned.stdout)
    return loaded


def agent_change(plan: dict[str, Any]) -> dict[str, Any]:
    (change,) = [c for c in plan["changes"] if c["kind"] == "agent"]
    found: dict[str, Any] = change
    return found


def no_changes(root: Path) -> None:
    again = run("plan", str(root), "--detailed-exitcode")
    assert (again.exit_code, again.stdout) == (
        0,
        "No changes. The live objects match the manifests.\n",
    )


@pytest.mark.parametrize("kind", sorted(CASES))
def test_a_tool_is_applied_then_unchanged_and_its_drift_undone(
    kind: str, project: Path, foundry_api: httpx.Client
) -> None:
    case = CASES[kind]
    declare(project, [case.declared])
    assert run("validate", str(project)).exit_code == 0
    change = agent_change(plan_json(project))
    assert change["action"] == "create"
    assert SECRET not in json.dumps(change)
    applied = run("apply", str(project), "--auto-approve")
    assert applied.exit_code == 0, applied.output
    assert SECRET not in applied.output
    assert latest(foundry_api)["definition"]["tools"] == [case.sent]
    no_changes(project)

    # The portal edits the tool: a new version, our marks kept.
    live = latest(foundry_api)
    edited = json.loads(json.dumps(live["definition"]))
    case.edit(edited["tools"][0])
    ok(
        foundry_api.post(
            "/agents/helper/versions", json={"definition": edited, "metadata": live["metadata"]}
        )
    )
    drift = agent_change(plan_json(project))
    assert (drift["action"], drift["action_reason"]) == ("update", "drift")
    assert SECRET not in json.dumps(drift)
    assert "changed-in-the-portal" not in json.dumps(drift)
    assert run("apply", str(project), "--auto-approve").exit_code == 0
    assert latest(foundry_api)["definition"]["tools"] == [case.sent]
    no_changes(project)


@pytest.mark.parametrize("kind", sorted(CASES))
def test_an_agent_made_by_hand_with_the_tool_is_imported_and_then_unchanged(
    kind: str, project: Path, foundry_api: httpx.Client
) -> None:
    case = CASES[kind]
    ok(foundry_api.post("/agents/by-hand/versions", json=prompt(tools=[case.sent])))
    imported = run("import", str(project), "--select", "by-hand")
    assert imported.exit_code == 0, imported.output
    written = (project / "agents" / "by-hand.yaml").read_text("utf-8")
    assert SECRET not in written
    (document,), problems = load_documents("by-hand.yaml", written)
    assert problems == []
    (tool,) = document.data["tools"]
    expected = dict(case.declared)
    if kind == "mcp":
        expected["headers"] = {
            "Authorization": {"env": "MCP_ORDERS_AUTHORIZATION"},
            "X-Team": {"env": "MCP_ORDERS_X_TEAM"},
        }
        assert "set MCP_ORDERS_AUTHORIZATION, MCP_ORDERS_X_TEAM before plan" in imported.output
    if kind == "openapi":
        expected["openapi"] = {**expected["openapi"], "spec": SPEC}
        del expected["openapi"]["spec_file"]
    if kind == "azure_function":
        expected = case.sent
    if kind == "web_search":
        expected["user_location"] = {"type": "approximate", **expected["user_location"]}
    if kind == "a2a":
        expected = {**case.declared, "a2a_version": "1.0"}
    if kind == "capture_structured_outputs":
        expected = {**case.declared, "outputs": {**case.declared["outputs"], "strict": True}}
    assert tool == expected
    secrets = {"MCP_ORDERS_AUTHORIZATION": SECRET, "MCP_ORDERS_X_TEAM": "support"}
    planned = run("plan", str(project), "--format", "json", env=secrets)
    assert planned.exit_code == 0, planned.output
    change = agent_change(json.loads(planned.stdout))
    assert (change["action"], change["action_reason"]) == ("update", "adopt")
    assert run("apply", str(project), "--auto-approve", env=secrets).exit_code == 0
    assert latest(foundry_api, "by-hand")["definition"]["tools"] == [case.sent]
    again = run("plan", str(project), "--detailed-exitcode", env=secrets)
    assert (again.exit_code, again.stdout) == (
        0,
        "No changes. The live objects match the manifests.\n",
    )


def test_a_verbatim_entry_of_a_typed_type_binds_its_connection_by_name(
    project: Path, foundry_api: httpx.Client
) -> None:
    case = CASES["bing_grounding"]
    declare(project, [{"type": "verbatim", "tool": case.declared}])
    assert run("apply", str(project), "--auto-approve").exit_code == 0
    assert latest(foundry_api)["definition"]["tools"] == [case.sent]
    no_changes(project)

    gone = json.loads(json.dumps(case.declared).replace('"bing"', '"no-such-bing"'))
    declare(project, [{"type": "verbatim", "tool": gone}])
    planned = run("plan", str(project))
    assert planned.exit_code == 1
    assert "names connection 'no-such-bing'" in planned.output, planned.output
