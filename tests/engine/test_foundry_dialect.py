"""The Foundry dialect end to end over HTTP: the real planner and kinds, plan -> apply -> plan.

Desired states are built directly (tests/support/foundry_desired.py) until `kind: Agent` manifests land.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import httpx
import pytest

from reconciler.api.dialects.ingestion import Waiting, wait_ingested
from reconciler.core.kinds.vector_store import STORE_PREFIX
from reconciler.core.state import DesiredState
from reconciler.emulator import Emulator
from reconciler.emulator.foundry import FoundryOptions
from reconciler.emulator.server import BackgroundServer
from reconciler.engine.apply import Outcome, apply_plan
from reconciler.engine.pipeline import plan_live
from reconciler.errors import ReconcilerError
from tests.support.foundry_client import foundry_client, ok, prompt, upload
from tests.support.foundry_desired import (
    agent,
    clear_stats,
    connected,
    declare,
    desired,
    environment,
    stats,
)


def converge(server: BackgroundServer, root: Path, state: DesiredState) -> list[Outcome]:
    """Plan and apply; the outcomes of the apply."""
    with connected(server, root) as dialect:
        return apply_plan(plan_live(dialect, state), dialect, 4, lambda _: None)


def actions(server: BackgroundServer, root: Path, state: DesiredState) -> list[str]:
    with connected(server, root) as dialect:
        plan = plan_live(dialect, state)
    return sorted(f"{c.address.split('#')[0]} {c.action}" for c in plan.actionable)


@pytest.fixture
def root(tmp_path: Path) -> Path:
    return tmp_path


def test_an_agent_with_knowledge_is_created_then_planned_as_unchanged(
    module_server: BackgroundServer, foundry_api: httpx.Client, root: Path
) -> None:
    files = declare(root, {"docs/faq.md": b"# FAQ\n", "docs/terms.txt": b"Terms\n"})
    state = desired(environment(module_server.url), files, agent("support-bot", files))
    outcomes = converge(module_server, root, state)
    assert [(o.change.kind, o.status) for o in outcomes] == [
        ("file", "done"),
        ("file", "done"),
        ("vector_store", "done"),
        ("agent", "done"),
    ]
    assert outcomes[-1].detail == "support-bot:1"
    live = ok(foundry_api.get("/agents/support-bot"))["versions"]["latest"]
    (search,) = live["definition"]["tools"]
    store = ok(foundry_api.get(f"/openai/v1/vector_stores/{search['vector_store_ids'][0]}"))
    assert store["name"].startswith(STORE_PREFIX)
    assert store["file_counts"]["completed"] == 2
    assert live["metadata"]["reconciler.owner"] == "shop/dev"
    assert actions(module_server, root, state) == []


def test_a_changed_definition_is_one_new_version_and_destroy_deletes_everything_of_ours(
    module_server: BackgroundServer, foundry_api: httpx.Client, root: Path
) -> None:
    files = declare(root, {"docs/faq.md": b"# FAQ\n"})
    env = environment(module_server.url)
    converge(module_server, root, desired(env, files, agent("bot", files, instructions="A")))
    ok(foundry_api.post("/agents/theirs/versions", json=prompt()))  # unmanaged: left alone
    changed = desired(env, files, agent("bot", files, instructions="B"))
    assert actions(module_server, root, changed) == ["agent.bot update"]
    converge(module_server, root, changed)
    assert ok(foundry_api.get("/agents/bot"))["versions"]["latest"]["version"] == "2"
    with connected(module_server, root) as dialect:
        plan = plan_live(dialect, changed, mode="destroy")
        outcomes = apply_plan(plan, dialect, 4, lambda _: None)
    assert {o.status for o in outcomes} == {"done"}
    assert [a["name"] for a in ok(foundry_api.get("/agents"))["data"]] == ["theirs"]
    assert ok(foundry_api.get("/openai/v1/vector_stores"))["data"] == []
    assert ok(foundry_api.get("/openai/v1/files"))["data"] == []


def test_a_knowledge_change_builds_the_new_store_then_deletes_the_old(
    module_server: BackgroundServer, foundry_api: httpx.Client, root: Path
) -> None:
    """With retention 1 the older version goes, and then its store (tests/engine/
    test_foundry_history.py: with more, the older version keeps it)."""
    env = environment(module_server.url)
    first = declare(root, {"docs/faq.md": b"# FAQ v1\n"})
    converge(module_server, root, desired(env, first, agent("bot", first, retention=1)))
    second = declare(root, {"docs/faq.md": b"# FAQ v2\n"})
    state = desired(env, second, agent("bot", second, retention=1))
    assert actions(module_server, root, state) == [
        "agent.bot delete",
        "agent.bot update",
        f"file.{next(iter(first.values())).upload_name} delete",
        f"file.{next(iter(second.values())).upload_name} create",
        f"vector_store.{agent('bot', second).knowledge[0].name} create",
        f"vector_store.{agent('bot', first).knowledge[0].name} delete",
    ]
    assert {o.status for o in converge(module_server, root, state)} == {"done"}
    (store,) = ok(foundry_api.get("/openai/v1/vector_stores"))["data"]
    assert store["name"] == agent("bot", second).knowledge[0].name
    assert actions(module_server, root, state) == []


def test_ingestion_progress_is_shown_among_the_apply_progress_lines(
    module_server: BackgroundServer, foundry_api: httpx.Client, root: Path
) -> None:
    files = declare(root, {"a.md": b"a\n", "b.md": b"b\n", "c.md": b"c\n"})
    state = desired(environment(module_server.url), files, agent("bot", files))
    lines: list[str] = []
    with connected(module_server, root) as dialect:
        apply_plan(plan_live(dialect, state), dialect, 4, lines.append)
    shown = [line for line in lines if "files ingested" in line]
    name = agent("bot", files).knowledge[0].name
    assert shown == [
        f"vector_store.{name}: 0/3 files ingested",
        f"vector_store.{name}: 3/3 files ingested",
    ]


def test_a_failed_ingestion_fails_the_store_names_the_file_and_leaves_no_store(
    module_server: BackgroundServer, foundry_api: httpx.Client, root: Path
) -> None:
    files = declare(root, {"docs/faq.md": b"# FAQ\n", "docs/tool.bin": b"\x00\x01"})
    bad = next(f for f in files.values() if f.path == "docs/tool.bin")
    state = desired(environment(module_server.url), files, agent("bot", files))
    outcomes = {o.change.kind: o for o in converge(module_server, root, state)}
    failed = outcomes["vector_store"]
    assert failed.status == "failed"
    assert (
        f"ingestion failed for {bad.upload_name} (docs/tool.bin): The file type '.bin' is not"
        in failed.detail
    )
    assert "(unsupported_file)" in failed.detail
    assert "The store was deleted" in failed.detail
    assert outcomes["agent"].status == "skipped"
    assert ok(foundry_api.get("/openai/v1/vector_stores"))["data"] == []
    assert ok(foundry_api.get("/agents"))["data"] == []


def test_a_file_over_the_token_limit_fails_with_its_upload_name_and_declared_path(
    tmp_path: Path,
) -> None:
    emulator = Emulator.create(foundry=FoundryOptions(max_file_tokens=2))
    files = declare(tmp_path, {"docs/big.md": b"x" * 40})
    (big,) = files.values()
    with BackgroundServer(emulator) as server, connected(server, tmp_path) as dialect:
        plan = plan_live(dialect, desired(environment(server.url), files, agent("bot", files)))
        ids = {big.upload_name: dialect.execute(plan.changes[0], {})}
        store = next(c for c in plan.changes if c.kind == "vector_store")
        with pytest.raises(ReconcilerError) as raised:
            dialect.execute(store, ids)
        assert dialect.client.list_stores() == []
    assert f"{big.upload_name} (docs/big.md): The file has 10 tokens" in str(raised.value)
    assert "(invalid_file)" in str(raised.value)


def test_ingestion_that_outlasts_the_timeout_stops_with_a_next_step(tmp_path: Path) -> None:
    emulator = Emulator.create(foundry=FoundryOptions(ingestion_delay_ms=3_600_000))
    now = [0.0]  # a clock that moves only when the wait sleeps
    waiting = Waiting(0.5, sleep=lambda s: now.__setitem__(0, now[0] + s), clock=lambda: now[0])
    with BackgroundServer(emulator) as server, foundry_client(server.url) as raw:
        file_id = upload(raw, "faq.md")
        with connected(server, tmp_path, waiting) as dialect:
            body = {"name": f"{STORE_PREFIX}0123456789ab", "file_ids": [file_id]}
            store = dialect.client.create_store(body)
            with pytest.raises(ReconcilerError) as raised:
                wait_ingested(dialect.client, store, "vector_store.k", waiting)
    assert "ingestion not finished after 0.5 s (0/1 files)" in str(raised.value)
    assert "RECONCILER_INGESTION_TIMEOUT_SECONDS" in str(raised.value)
    assert 0.49 < now[0] <= 0.5  # polled every openai-poll-after-ms (10 ms) up to the bound


def test_a_no_op_read_costs_list_pages_only(
    module_server: BackgroundServer, foundry_api: httpx.Client, root: Path
) -> None:
    """Agents pages (ceil(A/100) + 1: an empty page's null last_id ends the list), store pages
    (max(1, ceil(S/100))), one file list, and one file list per store named as knowledge."""
    one = declare(root, {"docs/a.md": b"# A\n"})
    two = declare(root, {"docs/b.md": b"# B\n"})
    state = desired(
        environment(module_server.url), {**one, **two}, agent("a", one), agent("b", two)
    )
    converge(module_server, root, state)
    for i in range(120):
        ok(foundry_api.post(f"/agents/other-{i}/versions", json=prompt()))
    for i in range(3):
        ok(foundry_api.post("/openai/v1/vector_stores", json={"name": f"theirs-{i}"}))
    clear_stats(module_server)
    with connected(module_server, root) as dialect:
        plan = plan_live(dialect, state)
    assert plan.actionable == []
    assert stats(module_server) == {
        "GET /agents": 3,  # 122 agents
        "GET /openai/v1/vector_stores": 1,
        "GET /openai/v1/files": 1,
        "GET /openai/v1/vector_stores/{vector_store_id}/files": 2,
        "GET /connections": 1,
        "GET /deployments": 1,
        "GET /toolboxes": 1,  # issue 25
    }


def test_a_file_another_store_holds_is_kept_once_that_store_is_listed(
    module_server: BackgroundServer, foundry_api: httpx.Client, root: Path
) -> None:
    env = environment(module_server.url)
    first = declare(root, {"docs/faq.md": b"# FAQ v1\n"})
    converge(module_server, root, desired(env, first, agent("bot", first, retention=1)))
    (held,) = ok(foundry_api.get("/openai/v1/files"))["data"]
    ok(
        foundry_api.post(
            "/openai/v1/vector_stores", json={"name": "theirs", "file_ids": [held["id"]]}
        )
    )
    second = declare(root, {"docs/faq.md": b"# FAQ v2\n"})
    clear_stats(module_server)
    planned = actions(module_server, root, desired(env, second, agent("bot", second, retention=1)))
    assert f"file.{held['filename']} delete" not in planned
    # Ours is listed with the read; theirs only once a file of ours was about to go.
    listed = stats(module_server)["GET /openai/v1/vector_stores/{vector_store_id}/files"]
    assert listed == 2


ECHOED = {"temperature": 1, "top_p": 1, "text": {"format": {"type": "text"}}}


@pytest.mark.parametrize(
    ("strict", "echoed", "drift"),
    [(None, ECHOED, False), (None, {**ECHOED, "temperature": 0.5}, True), (False, ECHOED, True)],
    ids=["defaults-echoed", "set-in-the-portal", "declared-strict-differs"],
)
def test_defaults_a_service_fills_in_are_not_drift_unless_declared_otherwise(
    module_server: BackgroundServer,
    foundry_api: httpx.Client,
    root: Path,
    strict: bool | None,
    echoed: dict[str, Any],
    drift: bool,
) -> None:
    """A version as a service that echoes its defaults would hold it (temperature 1, a text
    format, `strict` and `max_num_results` filled in): no new version for what the manifest
    leaves out, but a value set in the portal, or one the manifest declares, is drift."""
    files = declare(root, {"docs/faq.md": b"# FAQ\n"})
    ping: dict[str, Any] = {"type": "function", "name": "ping", "parameters": {"type": "object"}}
    ping |= {"strict": strict} if strict is not None else {}
    state = desired(environment(module_server.url), files, agent("bot", files, tools=(ping,)))
    converge(module_server, root, state)
    latest = ok(foundry_api.get("/agents/bot"))["versions"]["latest"]
    filled: dict[str, dict[str, Any]] = {
        "function": {"strict": True},
        "file_search": {"max_num_results": 20},
    }
    tools = [{**t, **filled.get(t["type"], {})} for t in latest["definition"]["tools"]]
    definition = {**latest["definition"], **echoed, "tools": tools}
    body = {"definition": definition, "metadata": latest["metadata"]}
    ok(foundry_api.post("/agents/bot/versions", json=body))
    assert actions(module_server, root, state) == (["agent.bot update"] if drift else [])
