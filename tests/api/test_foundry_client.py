"""FoundryClient over real HTTP(S) against the emulator: paging, lost creates, auth, errors."""

from __future__ import annotations

import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from reconciler.api.credentials import Credential
from reconciler.api.foundry_client import FoundryClient
from reconciler.emulator import Emulator
from reconciler.emulator.core.tls import TlsFiles
from reconciler.emulator.server import BackgroundServer
from reconciler.errors import ApiError
from tests.support.foundry_client import ok, prompt, upload
from tests.support.foundry_desired import clear_stats, client_of, stats

VERSIONS = "POST /agents/{agent_name}/versions"
MARKS = {"reconciler.owner": "shop/dev", "reconciler.name": "bot"}


@pytest.fixture
def client(module_server: BackgroundServer, foundry_api: httpx.Client) -> Iterator[FoundryClient]:
    with httpx.Client(timeout=30) as http:
        yield client_of(http, module_server)


def test_agents_are_listed_past_100_following_last_id_until_it_is_null(
    client: FoundryClient, foundry_api: httpx.Client, module_server: BackgroundServer
) -> None:
    for i in range(150):
        ok(foundry_api.post(f"/agents/bot-{i:03}/versions", json=prompt()))
    clear_stats(module_server)
    listed = client.list_agents()
    assert sorted(a["name"] for a in listed) == [f"bot-{i:03}" for i in range(150)]
    # 100, 50, then the empty page whose null last_id ends the list (as the SDK pages).
    assert stats(module_server) == {"GET /agents": 3}


def test_vector_stores_and_their_files_are_paged_by_has_more(
    client: FoundryClient, foundry_api: httpx.Client, module_server: BackgroundServer
) -> None:
    files = [upload(foundry_api, f"kb-{i}.md", f"# {i}\n".encode()) for i in range(120)]
    store = ok(foundry_api.post("/openai/v1/vector_stores", json={"file_ids": files}))
    for i in range(130):
        ok(foundry_api.post("/openai/v1/vector_stores", json={"name": f"s{i}"}))
    clear_stats(module_server)
    assert len(client.list_stores()) == 131
    assert {f["id"] for f in client.list_store_files(store["id"])} == set(files)
    assert len(client.list_files()) == 120
    assert stats(module_server) == {
        "GET /openai/v1/vector_stores": 2,
        "GET /openai/v1/vector_stores/{vector_store_id}/files": 2,
        "GET /openai/v1/files": 1,
    }


def test_a_lost_version_create_is_found_as_the_latest_version_not_sent_again(
    client: FoundryClient, module_server: BackgroundServer
) -> None:
    emulator = module_server.emulator
    assert isinstance(emulator, Emulator)
    recoveries = 0
    body = {**prompt(instructions="Help."), "metadata": MARKS}
    for seed in range(6):
        emulator.reset()
        emulator.faults.update({"fault_lost": 0.5, "seed": seed})
        made = client.create_version("bot", body)
        calls = stats(module_server)
        assert calls[VERSIONS] == 1
        recoveries += calls.get("GET /agents/{agent_name}", 0)
        emulator.faults.update({"fault_lost": 0.0})
        (listed,) = client.list_agents()
        assert made["version"] == listed["versions"]["latest"]["version"] == "1"
    assert recoveries > 0  # answers were lost, and found again rather than sent twice


def test_lost_store_creates_and_uploads_leave_no_duplicate(
    client: FoundryClient, module_server: BackgroundServer
) -> None:
    emulator = module_server.emulator
    assert isinstance(emulator, Emulator)
    recoveries = 0
    for seed in range(6):
        emulator.reset()
        emulator.faults.update({"fault_lost": 0.5, "seed": seed})
        uploaded = client.upload_file("faq.sha256-0123456789ab.md", b"# faq")
        store = client.create_store({"name": "knowledge/sha256-0123456789ab", "metadata": MARKS})
        calls = stats(module_server)
        assert (calls["POST /openai/v1/files"], calls["POST /openai/v1/vector_stores"]) == (1, 1)
        recoveries += calls.get("GET /openai/v1/vector_stores", 0)
        recoveries += calls.get("GET /openai/v1/files", 0)
        emulator.faults.update({"fault_lost": 0.0})
        assert [s["id"] for s in client.list_stores()] == [store["id"]]
        assert [f.id for f in client.list_files()] == [uploaded.id]
    assert recoveries > 0


def test_an_older_store_of_the_same_name_is_never_taken_for_a_lost_create(
    client: FoundryClient, foundry_api: httpx.Client, module_server: BackgroundServer
) -> None:
    emulator = module_server.emulator
    assert isinstance(emulator, Emulator)
    name = "knowledge/sha256-0123456789ab"
    emulator.state.clock = lambda: 1_000_000_000.0  # made in 2001, long before the create
    old = ok(foundry_api.post("/openai/v1/vector_stores", json={"name": name}))
    emulator.state.clock = time.time
    for seed in range(4):
        emulator.faults.update({"fault_lost": 0.5, "seed": seed})
        made = client.create_store({"name": name})
        emulator.faults.update({"fault_lost": 0.0})
        assert made["id"] != old["id"]
        client.delete_store(made["id"])
    assert [s["id"] for s in client.list_stores()] == [old["id"]]


def test_a_deleted_agent_and_store_are_gone_and_errors_say_which_call(
    client: FoundryClient, foundry_api: httpx.Client
) -> None:
    ok(foundry_api.post("/agents/bot/versions", json=prompt()))
    client.delete_agent("bot")
    assert client.list_agents() == []
    assert client.latest_version("bot") is None
    with pytest.raises(ApiError) as raised:
        client.delete_store("vs_missing")
    assert (raised.value.status, raised.value.code) == (404, "not_found")
    assert "delete vector store vs_missing failed" in str(raised.value)


def test_over_https_a_bearer_token_is_sent_and_an_api_key_is_refused(
    tls: TlsFiles, tmp_path: Path
) -> None:
    emulator = Emulator.create(token="the-token")
    with (
        BackgroundServer(emulator, tls=tls) as server,
        httpx.Client(verify=tls.client_context()) as http,
    ):
        endpoint = f"{server.url}/api/projects/p1"
        good = FoundryClient(http, endpoint, Credential("the-token", bearer=True))
        declared = tmp_path / "a.md"
        declared.write_bytes(b"# A\n")
        uploaded = good.upload_file("a.sha256-0123456789ab.md", declared)
        assert good.download_file(uploaded.id) == b"# A\n"
        with pytest.raises(ApiError) as raised:
            FoundryClient(http, endpoint, Credential("a-key")).list_agents()
        assert raised.value.status == 401
