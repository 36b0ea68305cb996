"""`--db FILE`: a restarted emulator serves the same objects and bytes; concurrency is safe."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import httpx

from reconciler.emulator import Emulator
from reconciler.emulator.assistants import assistants
from reconciler.emulator.assistants.bodies import AssistantCreate, AssistantModify
from reconciler.emulator.server import BackgroundServer
from tests.support.clients import azure_client


def fill(api: httpx.Client) -> tuple[str, dict[str, Any], str]:
    """Make a file, an assistant using it and a thread with a message; return their ids."""
    upload = {"file": ("faq.md", b"\x00bytes\xff")}
    file_id = api.post("/files", files=upload, data={"purpose": "assistants"}).json()["id"]
    body = {"model": "m", "file_ids": [file_id], "metadata": {"k": "v"}}
    assistant: dict[str, Any] = api.post("/assistants", json=body).json()
    thread = api.post("/threads", json={"messages": [{"role": "user", "content": "hi"}]}).json()
    return file_id, assistant, thread["id"]


def test_a_restarted_emulator_serves_the_same_objects_and_bytes(tmp_path: Path) -> None:
    db = str(tmp_path / "state.db")
    with BackgroundServer(Emulator.create(db)) as first, azure_client(first.url) as api:
        file_id, assistant, thread = fill(api)
        listing = api.get("/assistants").json()
    with BackgroundServer(Emulator.create(db)) as second, azure_client(second.url) as api:
        assert api.get("/assistants").json() == listing
        assert api.get(f"/assistants/{assistant['id']}").json() == assistant
        assert api.get(f"/files/{file_id}/content").content == b"\x00bytes\xff"
        message = api.get(f"/threads/{thread}/messages").json()["data"][0]
        assert message["content"][0]["text"]["value"] == "hi"


def test_memory_state_is_not_shared_between_instances() -> None:
    with BackgroundServer(Emulator.create()) as first, azure_client(first.url) as api:
        fill(api)
    with BackgroundServer(Emulator.create()) as second, azure_client(second.url) as api:
        assert api.get("/assistants").json()["data"] == []


def test_reset_empties_state_and_counters(api: httpx.Client, control: httpx.Client) -> None:
    fill(api)
    assert control.post("/reset").json() == {"reset": True}
    assert control.get("/stats").json() == {"requests": {}, "total": 0, "in_flight": 0}
    assert api.get("/assistants").json()["data"] == []
    assert api.get("/files").json()["data"] == []


def test_concurrent_writers_do_not_corrupt_a_file_database(tmp_path: Path) -> None:
    db = str(tmp_path / "state.db")
    with BackgroundServer(Emulator.create(db)) as server, azure_client(server.url) as api:
        files = [
            api.post(
                "/files", files={"file": (f"{i}.txt", b"x")}, data={"purpose": "assistants"}
            ).json()["id"]
            for i in range(20)
        ]
        assistant = api.post("/assistants", json={"model": "m"}).json()["id"]

        def work(i: int) -> tuple[int, int]:
            with azure_client(server.url) as own:
                created = own.post("/assistants", json={"model": "m", "name": f"n{i}"}).status_code
                attached = own.post(
                    f"/assistants/{assistant}/files", json={"file_id": files[i]}
                ).status_code
                return created, attached

        with ThreadPoolExecutor(max_workers=8) as pool:
            codes = list(pool.map(work, range(20)))
        assert codes == [(200, 200)] * 20
        names = [a["name"] for a in api.get("/assistants", params={"limit": 100}).json()["data"]]
        assert sorted(n for n in names if n) == sorted(f"n{i}" for i in range(20))
        attached = api.get(f"/assistants/{assistant}").json()["file_ids"]
        assert sorted(attached) == sorted(files)
        listed = api.get(f"/assistants/{assistant}/files", params={"limit": 100}).json()["data"]
        assert [f["id"] for f in listed][::-1] == attached


def test_concurrent_attach_never_exceeds_twenty_files() -> None:
    with BackgroundServer(Emulator.create()) as server, azure_client(server.url) as api:
        files = [
            api.post(
                "/files", files={"file": (f"{i}.txt", b"x")}, data={"purpose": "assistants"}
            ).json()["id"]
            for i in range(30)
        ]
        assistant = api.post("/assistants", json={"model": "m"}).json()["id"]

        def attach(file_id: str) -> int:
            with azure_client(server.url) as own:
                return own.post(
                    f"/assistants/{assistant}/files", json={"file_id": file_id}
                ).status_code

        with ThreadPoolExecutor(max_workers=8) as pool:
            codes = list(pool.map(attach, files))
        assert codes.count(200) == 20
        assert codes.count(400) == 10
        assert len(api.get(f"/assistants/{assistant}").json()["file_ids"]) == 20


def test_threads_sharing_one_store_keep_it_consistent(tmp_path: Path) -> None:
    """In-process use calls the store from many threads at once; each operation is atomic."""
    state = Emulator.create(str(tmp_path / "state.db")).state
    target = assistants.create(state, AssistantCreate(model="m"))["id"]

    def work(i: int) -> None:
        assistants.create(state, AssistantCreate(model="m", name=f"n{i}"))
        assistants.modify(state, target, AssistantModify(metadata={"writer": str(i)}))

    with ThreadPoolExecutor(max_workers=8) as pool:
        list(pool.map(work, range(200)))
    assert len(state.db.children("assistant", "")) == 201
    final = state.db.get("assistant", "", target)
    assert final is not None
    assert final["metadata"]["writer"] in {str(i) for i in range(200)}
