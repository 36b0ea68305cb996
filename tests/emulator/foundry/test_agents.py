"""Agents and versions: the rules the Foundry docs state and the choices README records."""

from __future__ import annotations

from typing import Any

import httpx
import pytest

from reconciler.emulator import Emulator
from reconciler.emulator.foundry import FoundryOptions
from reconciler.emulator.server import BackgroundServer
from tests.support.foundry_client import foundry_client, ok, prompt, upload


@pytest.fixture
def client(foundry_api: httpx.Client) -> httpx.Client:
    return foundry_api


def error(response: httpx.Response, status: int = 400) -> dict[str, Any]:
    assert response.status_code == status, response.text
    found: dict[str, Any] = response.json()["error"]
    return found


def test_update_makes_a_version_only_when_something_changed(client: httpx.Client) -> None:
    ok(client.post("/agents/a/versions", json={**prompt(temperature=0.5), "metadata": {"k": "v"}}))
    same = {**prompt(temperature=0.5, instructions=None), "metadata": {"k": "v"}, "description": ""}
    assert ok(client.post("/agents/a", json=same))["versions"]["latest"]["version"] == "1"
    changed = ok(client.post("/agents/a", json={**same, "metadata": {"k": "w"}}))
    assert changed["versions"]["latest"]["version"] == "2"
    assert ok(client.post("/agents/a/versions", json=prompt()))["version"] == "3"  # always new
    assert error(client.post("/agents/missing", json=prompt()), 404)["code"] == "not_found"


def test_post_agents_creates_and_then_adds_versions(client: httpx.Client) -> None:
    body = {**prompt(), "name": "made", "state": "disabled", "agent_card": {"description": "x"}}
    created = ok(client.post("/agents", json=body))
    assert (created["state"], created["configuration_state"]) == ("disabled", "disabled")
    assert created["agent_card"] == {"description": "x"}
    again = ok(client.post("/agents", json={**prompt(), "name": "made"}))
    assert again["versions"]["latest"]["version"] == "2"


def test_post_agents_with_a_taken_name_can_be_a_conflict() -> None:
    emulator = Emulator.create(foundry=FoundryOptions(create_conflicts=True))
    with BackgroundServer(emulator) as server, foundry_client(server.url) as client:
        ok(client.post("/agents", json={**prompt(), "name": "once"}))
        assert (
            error(client.post("/agents", json={**prompt(), "name": "once"}), 409)["code"]
            == "already_exists"
        )


def test_the_version_object_as_the_sdk_reads_it(client: httpx.Client) -> None:
    version = ok(client.post("/agents/shape/versions", json=prompt()))
    assert version == {
        "object": "agent.version",
        "id": "shape:1",
        "name": "shape",
        "version": "1",
        "description": "",
        "created_at": version["created_at"],
        "metadata": {},
        "definition": {"kind": "prompt", "model": "gpt-4.1-mini"},
        "status": "active",
    }


@pytest.mark.parametrize(
    ("name", "body", "param"),
    [
        ("-starts-with-hyphen", prompt(), "agent_name"),
        ("a" * 64, prompt(), "agent_name"),
        ("under_score", prompt(), "agent_name"),
        ("ok", {**prompt(), "description": "d" * 513}, "description"),
        ("ok", {**prompt(), "metadata": {f"k{i}": "v" for i in range(17)}}, "metadata"),
        ("ok", {**prompt(), "metadata": {"k": "v" * 513}}, "metadata.k"),
        ("ok", prompt(tools=[{"type": "code_interpreter"}] * 129), "definition.tools"),
        ("ok", prompt(temperature=3), "definition.temperature"),
        ("ok", prompt(tools=[{"type": "function"}]), "definition.tools[0].name"),
        ("ok", prompt(tools=[{"type": "file_search"}]), "definition.tools[0].vector_store_ids"),
        ("ok", {"definition": {"model": "m"}}, "definition.kind"),
        ("ok", {"definition": {"kind": "robot"}}, "definition.kind"),
        ("ok", {**prompt(), "extra": 1}, "extra"),
    ],
)
def test_every_limit_is_a_400_naming_the_field(
    client: httpx.Client, name: str, body: dict[str, Any], param: str
) -> None:
    assert error(client.post(f"/agents/{name}/versions", json=body))["param"] == param


def test_tools_reach_at_most_one_existing_vector_store(client: httpx.Client) -> None:
    stores = [ok(client.post("/openai/v1/vector_stores", json={}))["id"] for _ in range(2)]
    two = prompt(tools=[{"type": "file_search", "vector_store_ids": stores}])
    assert error(client.post("/agents/k/versions", json=two))["code"] == "array_above_max_length"
    missing = prompt(
        tools=[{"type": "code_interpreter", "container": {"type": "auto", "file_ids": ["nope"]}}]
    )
    assert (
        error(client.post("/agents/k/versions", json=missing))["param"]
        == "definition.tools[0].container.file_ids"
    )
    file_id = upload(client)
    good = [
        {"type": "file_search", "vector_store_ids": stores[:1]},
        {"type": "code_interpreter", "container": {"type": "auto", "file_ids": [file_id]}},
        {"type": "web_search"},  # a kind the emulator does not model is kept as sent
    ]
    assert (
        ok(client.post("/agents/k/versions", json=prompt(tools=good)))["definition"]["tools"]
        == good
    )


def test_preview_kinds_and_drafts_need_their_opt_in(client: httpx.Client) -> None:
    workflow = {"definition": {"kind": "workflow", "workflow": "kind: workflow\n"}}
    refused = error(client.post("/agents/w/versions", json=workflow), 403)
    assert (refused["code"], refused["param"]) == ("preview_feature_required", "Foundry-Features")
    opted = {"Foundry-Features": "WorkflowAgents=V1Preview,Unknown=V1Preview"}
    ok(client.post("/agents/w/versions", json=workflow, headers=opted))
    assert error(client.post("/agents/w/versions", json={**prompt(), "draft": True}), 403)
    draft = {"Foundry-Features": "DraftAgents=V1Preview"}
    ok(client.post("/agents/w/versions", json={**prompt(), "draft": True}, headers=draft))
    assert ok(client.get("/agents/w"))["versions"]["latest"]["version"] == "1"
    assert [v["version"] for v in ok(client.get("/agents/w/versions"))["data"]] == ["1"]
    drafts = ok(
        client.get("/agents/w/versions", params={"api-version": "v1", "include_drafts": "true"})
    )
    assert [v["version"] for v in drafts["data"]] == ["2", "1"]


def test_pages_end_with_null_cursors_and_accept_bare_version_numbers(client: httpx.Client) -> None:
    for _ in range(3):
        ok(client.post("/agents/paged/versions", json=prompt()))
    query: dict[str, str | int] = {"api-version": "v1", "limit": 2, "order": "asc"}
    first = ok(client.get("/agents/paged/versions", params=query))
    assert ([v["id"] for v in first["data"]], first["has_more"]) == (["paged:1", "paged:2"], True)
    bare = ok(client.get("/agents/paged/versions", params={**query, "after": "2"}))
    assert [v["id"] for v in bare["data"]] == ["paged:3"]
    empty = ok(client.get("/agents/paged/versions", params={**query, "after": "paged:3"}))
    assert empty == {
        "object": "list",
        "data": [],
        "first_id": None,
        "last_id": None,
        "has_more": False,
    }
    before = ok(
        client.get("/agents/paged/versions", params={**query, "before": "paged:3", "limit": 1})
    )
    assert [v["id"] for v in before["data"]] == ["paged:2"]
    assert (
        error(client.get("/agents/paged/versions", params={**query, "after": "paged:9"}))["param"]
        == "after"
    )
    assert (
        error(client.get("/agents", params={"api-version": "v1", "limit": 101}))["param"] == "limit"
    )
    assert (
        error(client.get("/agents", params={"api-version": "v1", "kind": "robot"}))["param"]
        == "kind"
    )


def test_deleting_the_latest_version_falls_back_and_the_last_deletes_the_agent(
    client: httpx.Client,
) -> None:
    for _ in range(2):
        ok(client.post("/agents/gone/versions", json=prompt()))
    assert ok(client.delete("/agents/gone/versions/2"))["deleted"] is True
    assert ok(client.get("/agents/gone"))["versions"]["latest"]["version"] == "1"
    assert error(client.get("/agents/gone/versions/2"), 404)["code"] == "not_found"
    ok(client.delete("/agents/gone/versions/1"))
    assert client.get("/agents/gone").status_code == 404
    # Nothing of the agent is left, its counter neither: the name starts again at 1.
    assert ok(client.post("/agents/gone/versions", json=prompt()))["version"] == "1"


def test_enable_disable_and_patch(client: httpx.Client) -> None:
    ok(client.post("/agents/s/versions", json=prompt()))
    assert client.post("/agents/s:disable").status_code == 204
    assert ok(client.get("/agents/s"))["state"] == "disabled"
    patched = client.patch("/agents/s", json={"agent_endpoint": {"version_selector": {}}})
    assert ok(patched)["agent_endpoint"] == {"version_selector": {}}
    assert "agent_endpoint" not in ok(client.patch("/agents/s", json={"agent_endpoint": None}))
    assert client.post("/agents/nope:enable").status_code == 404
