"""History kept, end to end over HTTP: an agent's retained versions keep what they reference,
retention deletes the oldest versions of ours and only then their knowledge, and a revert reuses
the store a retained version holds (no upload, no ingestion)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import httpx

from reconciler.core.kinds.agent.types import DesiredAgent
from reconciler.core.model import DesiredFile
from reconciler.emulator.server import BackgroundServer
from reconciler.engine.apply import apply_plan
from reconciler.engine.pipeline import plan_live
from tests.support.foundry_client import ok, prompt
from tests.support.foundry_desired import (
    agent,
    clear_stats,
    connected,
    declare,
    desired,
    environment,
    stats,
)

FAQ = {"v1": b"# FAQ v1\n", "v2": b"# FAQ v2\n", "v3": b"# FAQ v3\n"}


def knowledge(root: Path, version: str) -> dict[str, DesiredFile]:
    return declare(root, {"docs/faq.md": FAQ[version]})


def planned_and_applied(
    server: BackgroundServer, root: Path, files: dict[str, DesiredFile], bot: DesiredAgent
) -> list[str]:
    """Plan and apply; what the plan said, as `address action`."""
    state = desired(environment(server.url), files, bot)
    with connected(server, root) as dialect:
        plan = plan_live(dialect, state)
        outcomes = apply_plan(plan, dialect, 4, lambda _: None)
    assert {o.status for o in outcomes} <= {"done"}, [o.detail for o in outcomes]
    return [f"{c.address.split('#')[0]}{_version(c.id)} {c.action}" for c in plan.actionable]


def _version(change_id: str | None) -> str:
    return f"#{change_id.split(':')[1]}" if change_id and ":" in change_id else ""


def stores(api: httpx.Client) -> dict[str, str]:
    return {s["name"]: s["id"] for s in ok(api.get("/openai/v1/vector_stores"))["data"]}


def versions(api: httpx.Client, name: str = "bot") -> list[str]:
    return sorted(v["version"] for v in ok(api.get(f"/agents/{name}/versions"))["data"])


def searched(api: httpx.Client, name: str, version: str) -> Any:
    (tool,) = ok(api.get(f"/agents/{name}/versions/{version}"))["definition"]["tools"]
    return tool["vector_store_ids"]


def test_a_knowledge_change_keeps_the_store_the_older_version_uses_and_a_revert_reuses_it(
    module_server: BackgroundServer, foundry_api: httpx.Client, tmp_path: Path
) -> None:
    first = knowledge(tmp_path, "v1")
    planned_and_applied(module_server, tmp_path, first, agent("bot", first))
    v1_store = stores(foundry_api)[agent("bot", first).knowledge[0].name]
    second = knowledge(tmp_path, "v2")
    changed = planned_and_applied(module_server, tmp_path, second, agent("bot", second))
    assert sorted(changed) == [
        "agent.bot update",
        f"file.{next(iter(second.values())).upload_name} create",
        f"vector_store.{agent('bot', second).knowledge[0].name} create",
    ]  # nothing deleted: version 1 still searches the first store
    assert searched(foundry_api, "bot", "1") == [v1_store]
    assert v1_store in stores(foundry_api).values()
    clear_stats(module_server)
    first = knowledge(tmp_path, "v1")
    reverted = planned_and_applied(module_server, tmp_path, first, agent("bot", first))
    assert reverted == ["agent.bot update"]
    made = stats(module_server)
    assert "POST /openai/v1/files" not in made
    assert "POST /openai/v1/vector_stores" not in made
    assert searched(foundry_api, "bot", "3") == [v1_store]
    assert versions(foundry_api) == ["1", "2", "3"]


def test_retention_deletes_the_oldest_versions_of_ours_and_then_their_knowledge(
    module_server: BackgroundServer, foundry_api: httpx.Client, tmp_path: Path
) -> None:
    for version in ("v1", "v2"):
        files = knowledge(tmp_path, version)
        planned_and_applied(module_server, tmp_path, files, agent("bot", files, retention=2))
    assert versions(foundry_api) == ["1", "2"]
    old_name = agent("bot", knowledge(tmp_path, "v1")).knowledge[0].name
    old_upload = next(iter(knowledge(tmp_path, "v1").values())).upload_name
    third = knowledge(tmp_path, "v3")
    clear_stats(module_server)
    changed = planned_and_applied(module_server, tmp_path, third, agent("bot", third, retention=2))
    read = stats(module_server)
    assert sorted(changed) == sorted(
        [
            "agent.bot update",
            "agent.bot#1 delete",
            f"file.{old_upload} delete",
            f"file.{next(iter(third.values())).upload_name} create",
            f"vector_store.{old_name} delete",
            f"vector_store.{agent('bot', third).knowledge[0].name} create",
        ]
    )
    assert versions(foundry_api) == ["2", "3"]
    assert old_name not in stores(foundry_api)
    # The versions list of the one agent that may hold more than retention: one page, and the
    # empty page whose null last_id ends it (as the SDK pages).
    assert read["GET /agents/{agent_name}/versions"] == 2


def test_a_version_made_by_hand_keeps_its_store_and_is_never_deleted(
    module_server: BackgroundServer, foundry_api: httpx.Client, tmp_path: Path
) -> None:
    first = knowledge(tmp_path, "v1")
    planned_and_applied(module_server, tmp_path, first, agent("bot", first, retention=1))
    (v1_store,) = stores(foundry_api).values()
    by_hand = prompt(tools=[{"type": "file_search", "vector_store_ids": [v1_store]}])
    ok(foundry_api.post("/agents/other/versions", json=by_hand))  # someone else's agent
    ok(foundry_api.post("/agents/other/versions", json=prompt()))  # ... which moved on
    second = knowledge(tmp_path, "v2")
    changed = planned_and_applied(
        module_server, tmp_path, second, agent("bot", second, retention=1)
    )
    assert f"vector_store.{agent('bot', first).knowledge[0].name} delete" not in changed
    assert "agent.bot#1 delete" in changed
    assert v1_store in stores(foundry_api).values()  # other's version 1 still searches it
    assert versions(foundry_api, "other") == ["1", "2"]


def test_a_plan_with_no_changes_reads_no_versions_list(
    module_server: BackgroundServer, foundry_api: httpx.Client, tmp_path: Path
) -> None:
    for version in ("v1", "v2", "v1"):
        files = knowledge(tmp_path, version)
        planned_and_applied(module_server, tmp_path, files, agent("bot", files))
    clear_stats(module_server)
    assert planned_and_applied(module_server, tmp_path, files, agent("bot", files)) == []
    assert "GET /agents/{agent_name}/versions" not in stats(module_server)
    assert len(stores(foundry_api)) == 2  # both kept: versions 1..3 search them


def test_an_agent_no_longer_declared_goes_with_the_knowledge_of_all_its_versions(
    module_server: BackgroundServer, foundry_api: httpx.Client, tmp_path: Path
) -> None:
    keeper = agent("keeper")
    for version in ("v1", "v2"):
        files = knowledge(tmp_path, version)
        state = desired(environment(module_server.url), files, agent("bot", files), keeper)
        with connected(module_server, tmp_path) as dialect:
            apply_plan(plan_live(dialect, state), dialect, 4, lambda _: None)
    assert len(stores(foundry_api)) == 2
    clear_stats(module_server)
    state = desired(environment(module_server.url), {}, keeper)
    with connected(module_server, tmp_path) as dialect:
        plan = plan_live(dialect, state)
        read = stats(module_server)
        outcomes = apply_plan(plan, dialect, 4, lambda _: None)
    assert sorted(c.kind for c in plan.actionable) == [
        "agent",
        "file",
        "file",
        "vector_store",
        "vector_store",
    ]
    assert {o.status for o in outcomes} == {"done"}
    assert stores(foundry_api) == {}
    assert read["GET /agents/{agent_name}/versions"] == 2  # bot's, to let go of all it held
