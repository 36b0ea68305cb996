"""A project's connections and deployments: read-only routes, seeded by a file, the control
endpoint or the demo catalog; unknown names and ids answered 404 in the agents routes' shape."""

from __future__ import annotations

import json
from pathlib import Path
from urllib.parse import quote

import httpx
import pytest
from click.testing import CliRunner

from reconciler.emulator import Emulator
from reconciler.emulator.cli import emulator_group
from reconciler.emulator.foundry import FoundryOptions
from reconciler.emulator.foundry.seed import ID_FORMAT, load_seed
from reconciler.emulator.server import BackgroundServer
from tests.support.foundry_client import foundry_client, ok
from tests.support.serving import serving

SEED = {
    "projects": {
        "shop-dev": {
            "connections": [
                {
                    "name": "bing",
                    "type": "ApiKey",
                    "target": "https://api.bing.microsoft.com/",
                    "id": "/subscriptions/dev/connections/bing",
                    "credentials": {"type": "ApiKey", "key": "dev-key"},
                },
                {"name": "search", "type": "CognitiveSearch", "isDefault": True},
            ],
            "deployments": [
                "gpt-4o",
                {"name": "chat", "modelName": "gpt-4.1", "modelVersion": "3"},
            ],
        }
    },
    "default": {"deployments": ["gpt-4o-mini"]},
}


@pytest.fixture
def seeded(tmp_path: Path) -> Path:
    path = tmp_path / "resources.json"
    path.write_text(json.dumps(SEED), encoding="utf-8")
    return path


def _names(body: dict[str, object]) -> list[str]:
    values = body["value"]
    assert isinstance(values, list)
    return [str(v["name"]) for v in values]


def test_a_project_nobody_seeded_serves_the_demo_catalog(foundry_api: httpx.Client) -> None:
    connections = ok(foundry_api.get("/connections"))
    assert set(connections) == {"value"}  # no nextLink: one page
    assert _names(connections) == ["bing", "search", "mcp", "openapi", "a2a"]
    bing = ok(foundry_api.get("/connections/bing"))
    assert bing == {
        "name": "bing",
        "id": ID_FORMAT.format(project="p1", name="bing"),
        "type": "ApiKey",
        "target": "https://api.bing.microsoft.com/",
        "isDefault": False,
        "credentials": {"type": "ApiKey"},
        "metadata": {},
    }
    deployments = _names(ok(foundry_api.get("/deployments")))
    assert {"gpt-4o", "gpt-4o-mini", "gpt-4.1-mini"} <= set(deployments)
    assert ok(foundry_api.get("/deployments/gpt-4o")) == {
        "type": "ModelDeployment",
        "name": "gpt-4o",
        "modelName": "gpt-4o",
        "modelVersion": "2024-11-20",
        "modelPublisher": "OpenAI",
        "capabilities": {"chat_completion": "true", "agents": "true"},
        "sku": {"capacity": 10, "family": "", "name": "GlobalStandard", "size": "", "tier": ""},
    }


@pytest.mark.parametrize(
    "path",
    [
        "/connections/nowhere",
        # An id where the route takes a name: the service looks names up, so no such name.
        "/connections/" + quote(ID_FORMAT.format(project="p1", name="bing"), safe=""),
        "/deployments/gpt-9",
    ],
)
def test_an_unknown_name_or_an_id_is_a_404_in_the_agents_shape(
    foundry_api: httpx.Client, path: str
) -> None:
    response = foundry_api.get(path)
    assert response.status_code == 404
    error = response.json()["error"]
    assert error["code"] == "not_found"
    assert set(error) == {"code", "message", "param", "type", "details"}
    unknown = foundry_api.post("/connections/nowhere/getConnectionWithCredentials")
    assert unknown.status_code == 404


def test_the_routes_need_the_api_version_and_a_bearer_token(foundry_api: httpx.Client) -> None:
    versionless = httpx.get(f"{foundry_api.base_url}connections", headers=foundry_api.headers)
    assert versionless.status_code == 400
    assert foundry_api.get("/deployments", headers={"Authorization": ""}).status_code == 401


def test_a_file_seeds_each_project_and_a_default_the_others(seeded: Path) -> None:
    emulator = Emulator.create(foundry=FoundryOptions(resources=load_seed(seeded)))
    with BackgroundServer(emulator) as server:
        with foundry_client(server.url, project="shop-dev") as dev:
            listed = ok(dev.get("/connections"))["value"]
            assert [(c["name"], c["id"]) for c in listed] == [
                ("bing", "/subscriptions/dev/connections/bing"),
                ("search", ID_FORMAT.format(project="shop-dev", name="search")),
            ]
            assert listed[0]["credentials"] == {"type": "ApiKey"}  # no key without asking
            secret = ok(dev.post("/connections/bing/getConnectionWithCredentials"))
            assert secret["credentials"] == {"type": "ApiKey", "key": "dev-key"}
            searches = dev.get("/connections", params={"connectionType": "CognitiveSearch"})
            assert _names(ok(searches)) == ["search"]
            defaults = dev.get("/connections", params={"defaultConnection": "true"})
            assert _names(ok(defaults)) == ["search"]
            assert _names(ok(dev.get("/deployments"))) == ["gpt-4o", "chat"]
            assert _names(ok(dev.get("/deployments", params={"modelName": "gpt-4.1"}))) == ["chat"]
        with foundry_client(server.url, project="shop-prod") as prod:
            assert ok(prod.get("/connections")) == {"value": []}
            assert _names(ok(prod.get("/deployments"))) == ["gpt-4o-mini"]


def test_the_control_endpoint_seeds_a_project_until_a_reset(
    server: BackgroundServer, control: httpx.Client, emulator: Emulator
) -> None:
    seed = {"connections": [{"name": "github", "type": "RemoteTool_Preview"}], "deployments": []}
    put = control.put("/foundry/projects/p2", json=seed)
    assert put.status_code == 200, put.text
    assert control.get("/foundry/projects/p2").json()["connections"][0]["name"] == "github"
    with foundry_client(server.url, project="p2") as p2:
        assert _names(ok(p2.get("/connections"))) == ["github"]
        assert ok(p2.get("/deployments")) == {"value": []}
        emulator.reset()
        assert "bing" in _names(ok(p2.get("/connections")))  # the demo catalog again
    with foundry_client(server.url, project="p3") as p3:  # other projects never saw it
        assert "github" not in _names(ok(p3.get("/connections")))


def test_the_control_endpoint_refuses_a_seed_that_is_not_one(control: httpx.Client) -> None:
    twice = {"connections": [{"name": "bing"}, {"name": "bing"}]}
    response = control.put("/foundry/projects/p2", json=twice)
    assert response.status_code == 400
    assert "connection 'bing' is named twice" in response.json()["error"]["message"]
    unknown = control.put("/foundry/projects/p2", json={"connection": []})
    assert unknown.status_code == 400


def test_serve_takes_a_resources_file(seeded: Path) -> None:
    with (
        serving("--resources", str(seeded)) as (url, _),
        foundry_client(url, project="shop-dev") as dev,
    ):
        assert _names(ok(dev.get("/connections"))) == ["bing", "search"]


def test_serve_refuses_a_resources_file_that_is_not_one(tmp_path: Path) -> None:
    bad = tmp_path / "bad.json"
    bad.write_text('{"projects": {"p": {"deployments": [{"model": "x"}]}}}', encoding="utf-8")
    result = CliRunner().invoke(emulator_group, ["serve", "--resources", str(bad)])
    assert result.exit_code == 2
    assert "--resources" in result.output
    assert "projects.p.deployments.0" in result.output
