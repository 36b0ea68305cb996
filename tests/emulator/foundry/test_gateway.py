"""The Foundry gateway: bearer-only auth, api-version rules, error shapes, stats, faults, reset."""

from __future__ import annotations

from pathlib import Path

import httpx
import pytest

from reconciler.emulator import Emulator
from reconciler.emulator.server import BackgroundServer
from tests.support.foundry_client import foundry_client, prompt, upload


@pytest.fixture
def url(server: BackgroundServer) -> str:
    return server.url


def test_a_bearer_token_is_required_and_an_api_key_is_not_enough(url: str) -> None:
    with foundry_client(url, token=None) as anonymous:
        response = anonymous.get("/agents")
        assert response.status_code == 401
        assert response.json()["error"]["code"] == "unauthorized"
        keyed = anonymous.get("/openai/v1/files", headers={"api-key": "k"})
        assert keyed.status_code == 401
        assert set(keyed.json()["error"]) == {"message", "type", "param", "code"}
    with foundry_client(url, token=None) as other:
        assert other.get("/agents", headers={"Authorization": "Basic dXNlcg=="}).status_code == 401
    with foundry_client(url) as client:
        assert client.get("/agents").status_code == 200


def test_token_requires_that_token_on_both_surfaces() -> None:
    """`--token` alone is the one credential: Foundry takes it, and v1 refuses keys (README)."""
    emulator = Emulator.create(token="only-this")
    with BackgroundServer(emulator) as server:
        with foundry_client(server.url) as wrong:
            assert wrong.get("/agents").status_code == 401
        with foundry_client(server.url, token="only-this") as right:
            assert right.get("/agents").status_code == 200
        v1 = f"{server.url}/openai/assistants"
        params = {"api-version": "2024-02-15-preview"}
        assert httpx.get(v1, params=params, headers={"api-key": "k"}).status_code == 401
        bearer = {"Authorization": "Bearer only-this"}
        assert httpx.get(v1, params=params, headers=bearer).status_code == 200


def test_agents_routes_require_api_version_v1_and_openai_routes_ignore_it(url: str) -> None:
    with foundry_client(url, params={}) as client:
        missing = client.get("/agents")
        assert missing.status_code == 400
        assert missing.json()["error"]["param"] == "api-version"
        assert client.get("/agents", params={"api-version": "2025-05-01"}).status_code == 400
        assert client.get("/openai/v1/vector_stores").status_code == 200
        assert client.get("/openai/v1/files", params={"api-version": "anything"}).status_code == 200


def test_the_two_error_shapes(url: str) -> None:
    with foundry_client(url) as client:
        agent = client.get("/agents/missing").json()["error"]
        assert agent == {
            "code": "not_found",
            "message": "Agent 'missing' not found.",
            "param": None,
            "type": "invalid_request_error",
            "details": [],
        }
        store = client.get("/openai/v1/vector_stores/vs_missing").json()["error"]
        assert set(store) == {"message", "type", "param", "code"}
        unrouted = client.get("/nowhere")
        assert unrouted.status_code == 501
        assert unrouted.json()["error"]["details"] == []
        assert client.put("/agents/x").status_code == 405


def test_each_project_is_its_own_namespace(url: str) -> None:
    with foundry_client(url, "one") as one, foundry_client(url, "two") as two:
        assert one.post("/agents/shared/versions", json=prompt()).status_code == 200
        file_id = upload(one)
        assert two.get("/agents/shared").status_code == 404
        assert two.get(f"/openai/v1/files/{file_id}").status_code == 404
        assert two.get("/agents").json()["data"] == []


def test_stats_count_per_route_template_and_reset_clears_foundry_state(
    url: str, control: httpx.Client
) -> None:
    with foundry_client(url) as client:
        client.post("/agents/a/versions", json=prompt())
        client.get("/agents/a")
        client.get("/agents/a")
        stats = control.get("/stats").json()["requests"]
        assert stats["GET /api/projects/{project}/agents/{agent_name}"] == 2
        assert stats["POST /api/projects/{project}/agents/{agent_name}/versions"] == 1
        assert control.post("/reset").status_code == 200
        assert client.get("/agents/a").status_code == 404


def test_faults_answer_in_the_shape_of_the_route(url: str, control: httpx.Client) -> None:
    control.put("/faults", json={"fault_500": 1.0})
    with foundry_client(url) as client:
        agent = client.get("/agents")
        assert agent.status_code == 500
        assert agent.json()["error"]["code"] == "server_error"
        assert "details" not in client.get("/openai/v1/files").json()["error"]
    control.put("/faults", json={"fault_500": 0.0, "fault_429": 1.0, "retry_after_ms": 2000})
    with foundry_client(url) as client:
        throttled = client.get("/agents")
        assert throttled.status_code == 429
        assert throttled.headers["retry-after"] == "2"


def test_db_keeps_foundry_objects_across_a_restart(tmp_path: Path) -> None:
    db = str(tmp_path / "emulator.db")
    with BackgroundServer(Emulator.create(db)) as first, foundry_client(first.url) as client:
        client.post("/agents/kept/versions", json=prompt())
        file_id = upload(client, data=b"bytes")
    with BackgroundServer(Emulator.create(db)) as second, foundry_client(second.url) as client:
        assert client.get("/agents/kept").json()["versions"]["latest"]["id"] == "kept:1"
        assert client.get(f"/openai/v1/files/{file_id}/content").content == b"bytes"
        assert client.post("/agents/kept/versions", json=prompt()).json()["version"] == "2"


def test_a_lost_response_still_made_the_version(url: str, control: httpx.Client) -> None:
    control.put("/faults", json={"fault_lost": 1.0})
    with foundry_client(url) as client, pytest.raises(httpx.TransportError):
        client.post("/agents/lost/versions", json=prompt())
    control.put("/faults", json={"fault_lost": 0.0})
    with foundry_client(url) as client:
        assert client.get("/agents/lost").json()["versions"]["latest"]["version"] == "1"


def test_a_missing_object_is_404_and_a_route_not_served_is_501(url: str) -> None:
    """A get-or-create must never read a gap of the emulator as the absence of an object."""
    with foundry_client(url) as client:
        missing = client.get("/openai/v1/vector_stores/vs_missing")
        assert missing.status_code == 404
        assert missing.json()["error"]["code"] == "not_found"
        assert client.get("/agents/missing").json()["error"]["code"] == "not_found"
        for path, shape in [
            ("/openai/v1/fine_tuning/jobs", {"message", "type", "param", "code"}),
            ("/datasets/ds-1/versions/1", {"message", "type", "param", "code", "details"}),
        ]:
            unserved = client.get(path)
            assert unserved.status_code == 501, path
            assert unserved.headers["x-should-retry"] == "false"
            error = unserved.json()["error"]
            assert set(error) == shape
            assert (error["code"], error["type"]) == (
                "not_implemented_by_emulator",
                "not_implemented",
            )
            assert error["message"] == (
                f"The emulator does not serve GET /api/projects/p1{path}: "
                "this is a gap of the emulator, not a missing object."
            )
        assert client.put("/agents/x").json()["error"]["code"] == "method_not_allowed"
