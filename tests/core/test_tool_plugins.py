"""A tool type defined here, registered with one call and nothing else in reconciler/ touched,
loads from a manifest (errors at their location), plans, applies and converges against the
Foundry emulator over loopback HTTP.

The emulator keeps tools of types it does not model as they were sent (emulator/foundry/bodies.py
OtherTool), as the service does for tool types newer than its SDKs, so a made-up type is served.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal

import httpx
import pytest

from reconciler.config.desired import load_desired
from reconciler.core.kinds.agent import DESIRED as AGENTS
from reconciler.core.kinds.file import upload_name
from reconciler.core.model import DesiredFile
from reconciler.core.state import DesiredState
from reconciler.core.tools.base import Knowledge, Resolve, ToolBase, ToolDoc, Wire, present
from reconciler.core.tools.registry import registered
from reconciler.emulator.server import BackgroundServer
from reconciler.engine.apply import apply_plan
from reconciler.engine.pipeline import plan_live
from reconciler.errors import ProjectError
from tests.support.foundry_client import ok
from tests.support.foundry_desired import connected

PROJECT = """project: demo
manifests: [agents/]
environments:
  dev:
    api: foundry
    endpoint: {endpoint}
"""
FAQ = "# FAQ\n"
FAQ_SHA = hashlib.sha256(FAQ.encode()).hexdigest()
MANIFEST = """kind: Agent
name: bot
model: gpt-4o
tools:
  - {type: web_lookup, connection: bing, market: en-GB}
  - {type: file_search, files: [faq.md]}
"""


class WebLookupDoc(ToolDoc):
    """A search over the web through a project connection, named per environment."""

    type: Literal["web_lookup"]
    connection: str
    market: str | None = None
    count: int | None = None


@dataclass(frozen=True)
class WebLookup:
    connection: str
    market: str | None
    count: int | None

    type = "web_lookup"

    def essence(self, files: dict[str, DesiredFile]) -> Wire:
        wire = {"type": self.type, "connection": self.connection, "market": self.market}
        return present({**wire, "count": self.count})

    def knowledge(self) -> tuple[Knowledge, ...]:
        return ()


class WebLookupType(ToolBase):
    name = "web_lookup"
    doc = WebLookupDoc
    computed = ("count",)  # the service picks a count when none is given

    def desired(self, doc: WebLookupDoc, resolve: Resolve) -> WebLookup:
        return WebLookup(doc.connection, doc.market, doc.count)

    def references(self, tool: Wire) -> set[str]:
        return {f"connection.{tool['connection']}"}


@pytest.fixture
def web_lookup() -> Iterator[None]:
    with registered(WebLookupType()):
        yield


def _project(root: Path, endpoint: str, manifest: str = MANIFEST) -> Path:
    (root / "reconciler.yaml").write_text(PROJECT.format(endpoint=endpoint), encoding="utf-8")
    (root / "agents").mkdir(exist_ok=True)
    (root / "agents" / "bot.yaml").write_text(manifest, encoding="utf-8")
    (root / "agents" / "faq.md").write_text(FAQ, encoding="utf-8")
    return root


def _endpoint(server: BackgroundServer) -> str:
    return f"{server.url}/api/projects/p1"


def _plan_and_apply(server: BackgroundServer, root: Path, state: DesiredState) -> list[str]:
    """The actionable changes planned, once applied."""
    with connected(server, root) as dialect:
        plan = plan_live(dialect, state)
        outcomes = apply_plan(plan, dialect, 4, lambda _: None)
    assert [o.status for o in outcomes] == ["done"] * len(outcomes)
    return sorted(f"{c.address.split('#')[0]} {c.action}" for c in plan.actionable)


def test_a_registered_tool_type_plans_applies_and_converges(
    web_lookup: None, module_server: BackgroundServer, foundry_api: httpx.Client, tmp_path: Path
) -> None:
    state = load_desired(_project(tmp_path, _endpoint(module_server)), "dev", {})
    (agent,) = state.of(AGENTS)
    assert agent.tools[0] == WebLookup("bing", "en-GB", None)
    (store,) = agent.knowledge
    changes = _plan_and_apply(module_server, tmp_path, state)
    assert changes == [
        "agent.bot create",
        f"file.{upload_name('faq.md', FAQ_SHA)} create",
        f"vector_store.{store.name} create",
    ]
    tools = ok(foundry_api.get("/agents/bot"))["versions"]["latest"]["definition"]["tools"]
    assert {"type": "web_lookup", "connection": "bing", "market": "en-GB"} in tools
    assert _plan_and_apply(module_server, tmp_path, state) == []  # converged


def test_a_field_the_service_fills_in_is_not_drift_and_a_changed_one_is(
    web_lookup: None, module_server: BackgroundServer, foundry_api: httpx.Client, tmp_path: Path
) -> None:
    state = load_desired(_project(tmp_path, _endpoint(module_server)), "dev", {})
    _plan_and_apply(module_server, tmp_path, state)
    latest = ok(foundry_api.get("/agents/bot"))["versions"]["latest"]
    tools = [
        {**t, "count": 5} if t["type"] == "web_lookup" else t for t in latest["definition"]["tools"]
    ]
    echoed = {"definition": {**latest["definition"], "tools": tools}, **_kept(latest)}
    ok(foundry_api.post("/agents/bot/versions", json=echoed))
    assert _plan_and_apply(module_server, tmp_path, state) == []
    moved = MANIFEST.replace("market: en-GB", "market: fr-FR")
    changed = load_desired(_project(tmp_path, _endpoint(module_server), moved), "dev", {})
    assert _plan_and_apply(module_server, tmp_path, changed) == ["agent.bot update"]


def _kept(version: dict[str, Any]) -> dict[str, Any]:
    return {"metadata": version["metadata"], "description": version.get("description") or ""}


def _problems(root: Path, manifest: str) -> list[str]:
    """What loading the project says, each at its place in bot.yaml (`:line:column`)."""
    _project(root, "local", manifest)
    with pytest.raises(ProjectError) as raised:
        load_desired(root, "dev", {})
    return [str(p).replace(str(root / "agents" / "bot.yaml"), "") for p in raised.value.diagnostics]


def test_its_manifest_errors_are_located(web_lookup: None, tmp_path: Path) -> None:
    manifest = MANIFEST.replace("market: en-GB", "market: 7")
    assert _problems(tmp_path, manifest) == [":5:50: 'tools[0].market': expected a string, got 7"]


def test_without_its_registration_the_type_is_unknown(tmp_path: Path) -> None:
    assert _problems(tmp_path, MANIFEST) == [
        ":5:5: 'tools[0]': unknown tool type 'web_lookup' (expected 'function', "
        "'code_interpreter', 'file_search', 'mcp', 'openapi', 'azure_ai_search', "
        "'bing_grounding', 'web_search', 'azure_function', 'a2a', 'capture_structured_outputs', 'toolbox', 'verbatim')"
    ]
