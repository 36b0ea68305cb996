"""Issue 14's Done-when, end to end: the reconciler CLI against the emulator over https, every
result checked through azure-ai-projects 2.10.0 (and its OpenAI client for files and stores).

Two environments, staging and prod, on one project endpoint (tests_foundry/reconcile.py).
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from azure.ai.projects import AIProjectClient
from azure.ai.projects.models import PromptAgentDefinition

from reconciler.emulator import Emulator
from reconciler.emulator.foundry import FoundryOptions
from tests_foundry.conftest import PROJECT
from tests_foundry.reconcile import (
    ENVIRONMENTS,
    FILES,
    Project,
    RecordingServer,
    new_project,
)
from tests_foundry.tls import TlsServer

MARKS = ("reconciler.owner", "reconciler.name")
MAX_FILE_TOKENS = 1000
STORES_PATH = "/openai/v1/vector_stores"


@pytest.fixture
def options() -> FoundryOptions:
    return FoundryOptions(poll_after_ms=1, max_file_tokens=MAX_FILE_TOKENS)


@pytest.fixture
def requests_log() -> list[str]:
    return []


@pytest.fixture
def server(
    emulator: Emulator, certificates: tuple[Path, Path], requests_log: list[str]
) -> Iterator[TlsServer]:
    """conftest's https server, recording every request in the order answered."""
    running = RecordingServer(emulator, certificates[1], requests_log)
    with running:
        yield running


@pytest.fixture
def shop(server: TlsServer, certificates: tuple[Path, Path], tmp_path: Path) -> Project:
    return new_project(tmp_path / "shop", server, certificates[0])


@pytest.fixture
def applied(shop: Project) -> Project:
    for env in ENVIRONMENTS:
        shop.apply(env)
    return shop


# --- what the SDK sees ---------------------------------------------------------------------


def latest(project: AIProjectClient, name: str) -> Any:
    return project.agents.get(name).versions.latest


def store_ids(version: Any) -> list[str]:
    tools = version.definition.tools or []
    return [i for t in tools if t["type"] == "file_search" for i in t["vector_store_ids"]]


def store_of(project: AIProjectClient, name: str) -> str:
    (store,) = store_ids(latest(project, name))
    return store


def upload_name(path: str, data: bytes) -> str:
    stem, _, ext = Path(path).name.rpartition(".")
    return f"{stem}.sha256-{hashlib.sha256(data).hexdigest()[:12]}.{ext}"


def filenames_in(openai: Any, store_id: str) -> list[str]:
    files = openai.vector_stores.files.list(store_id)
    return sorted(openai.files.retrieve(f.id).filename for f in files)


def agent_names(project: AIProjectClient) -> list[str]:
    return sorted(a.name for a in project.agents.list())


def ready(openai: Any, store_id: str, count: int) -> bool:
    store = openai.vector_stores.retrieve(store_id)
    counts = store.file_counts
    return bool(store.status == "completed" and counts.completed == counts.total == count)


def portal_edit(project: AIProjectClient, name: str, instructions: str, keep_marks: bool) -> str:
    """A new version made by hand through the SDK: other instructions, the rest kept."""
    live = latest(project, name)
    definition = PromptAgentDefinition({**live.definition.as_dict(), "instructions": instructions})
    metadata = dict(live.metadata or {})
    if not keep_marks:
        metadata = {k: v for k, v in metadata.items() if k not in MARKS}
    made = project.agents.create_version(
        name, definition=definition, description=live.description, metadata=metadata
    )
    return str(made.version)


def no_changes(shop: Project, env: str) -> None:
    result = shop.run("plan", str(shop.root), "--env", env, "--detailed-exitcode")
    assert result.exit_code == 0, result.output
    assert "No changes." in result.output


# --- the cases -----------------------------------------------------------------------------


def test_two_environments_on_one_endpoint_are_created_with_their_knowledge(
    applied: Project, project: AIProjectClient, openai: Any
) -> None:
    assert agent_names(project) == ["bot-prod", "bot-staging", "helper-prod", "helper-staging"]
    expected = sorted(upload_name(p, t.encode()) for p, t in FILES.items())
    for env in ENVIRONMENTS:
        bot = latest(project, f"bot-{env}")
        assert bot.version == "1"
        assert bot.definition.instructions == "You answer questions about orders."
        assert bot.definition.model == "gpt-4o-mini"
        assert bot.metadata == {
            "team": "support",
            "reconciler.owner": f"shop/{env}",
            "reconciler.name": f"bot-{env}",
        }
        (store_id,) = store_ids(bot)
        assert ready(openai, store_id, 2)
        assert filenames_in(openai, store_id) == expected
        helper = latest(project, f"helper-{env}")
        assert (helper.version, helper.metadata["reconciler.owner"]) == ("1", f"shop/{env}")
        assert [
            len(list(project.agents.list_versions(f"{n}-{env}"))) for n in ("bot", "helper")
        ] == [1, 1]
        no_changes(applied, env)
    # Equal knowledge is one store, named after its files' hashes, marked by its builder.
    (store_id,) = {store_of(project, f"bot-{env}") for env in ENVIRONMENTS}
    store = openai.vector_stores.retrieve(store_id)
    assert store.name.startswith("knowledge/sha256-")
    assert store.metadata["reconciler.owner"] == "shop/staging"
    assert [s.id for s in openai.vector_stores.list()] == [store_id]


def test_a_portal_edit_that_keeps_our_marks_is_planned_as_the_next_version(
    applied: Project, project: AIProjectClient
) -> None:
    assert portal_edit(project, "bot-staging", "Edited in the portal.", keep_marks=True) == "2"
    plan = applied.plan("staging")
    (change,) = [c for c in plan["changes"] if c["action"] != "no-op"]
    assert (change["address"], change["action"], change["action_reason"]) == (
        "agent.bot-staging",
        "update",
        "drift",
    )
    assert change["reason"] == "new version (2 -> 3)"
    assert change["diff"] == [
        {
            "op": "change",
            "path": "definition.instructions",
            "old": "Edited in the portal.",
            "new": "You answer questions about orders.",
        }
    ]
    applied.apply("staging")
    bot = latest(project, "bot-staging")
    assert (bot.version, bot.definition.instructions) == ("3", "You answer questions about orders.")
    no_changes(applied, "staging")
    assert latest(project, "bot-prod").version == "1"


def test_a_portal_edit_that_drops_our_marks_is_reported_not_overwritten(
    applied: Project, project: AIProjectClient
) -> None:
    assert portal_edit(project, "bot-staging", "Taken by hand.", keep_marks=False) == "2"
    result = applied.run("plan", str(applied.root), "--env", "staging")
    assert result.exit_code == 1, result.output
    assert "agent.bot-staging: the latest version (2) of agent bot-staging" in result.output
    assert "carries no marks of ours" in result.output
    assert "import_id: bot-staging" in result.output
    result = applied.run("apply", str(applied.root), "--env", "staging", "--auto-approve")
    assert result.exit_code == 1, result.output
    bot = latest(project, "bot-staging")
    assert (bot.version, bot.definition.instructions) == ("2", "Taken by hand.")
    assert agent_names(project).count("bot-staging") == 1
    no_changes(applied, "prod")


def test_a_changed_knowledge_file_builds_the_new_store_before_the_version_then_drops_the_old(
    shop: Project, project: AIProjectClient, openai: Any, requests_log: list[str]
) -> None:
    shop.apply("staging")
    old = store_of(project, "bot-staging")
    old_name = openai.vector_stores.retrieve(old).name
    changed = b"# FAQ\n\nOrders ship within one day.\n"
    shop.write("docs/faq.md", changed)
    faq, before = (upload_name("docs/faq.md", c) for c in (changed, FILES["docs/faq.md"].encode()))
    plan = shop.plan("staging")
    (built,) = [
        c for c in plan["changes"] if c["kind"] == "vector_store" and c["action"] == "create"
    ]
    assert shop.actions("staging") == sorted(
        [
            "agent.bot-staging update",
            f"file.{faq} create",
            f"file.{before} delete",
            f"{built['address']} create",
            f"vector_store.{old_name}#{old} delete",
        ]
    )
    del requests_log[:]
    shop.apply("staging")
    new = store_of(project, "bot-staging")
    assert new != old
    assert ready(openai, new, 2)
    assert faq in filenames_in(openai, new)
    assert latest(project, "bot-staging").version == "2"
    store_made = f"POST /api/projects/{PROJECT}{STORES_PATH} 200"
    version = f"POST /api/projects/{PROJECT}/agents/bot-staging/versions 200"
    deleted = f"DELETE /api/projects/{PROJECT}{STORES_PATH}/{old} 200"
    assert (
        requests_log.index(store_made) < requests_log.index(version) < requests_log.index(deleted)
    )
    waited = requests_log[requests_log.index(store_made) : requests_log.index(version)]
    assert f"GET /api/projects/{PROJECT}{STORES_PATH}/{new} 200" in waited  # ingested first
    assert [s.id for s in openai.vector_stores.list()] == [new]
    assert before not in [f.filename for f in openai.files.list()]
    no_changes(shop, "staging")


def test_a_store_shared_by_both_environments_goes_once_neither_points_at_it(
    applied: Project, project: AIProjectClient, openai: Any
) -> None:
    old = store_of(project, "bot-staging")
    applied.write("docs/faq.md", "# FAQ\n\nOrders ship within one day.\n")
    applied.apply("staging")  # the old store stays: prod's agent points at it
    new = store_of(project, "bot-staging")
    assert (store_of(project, "bot-prod"), ready(openai, old, 2)) == (old, True)
    no_changes(applied, "staging")
    assert applied.actions("prod") == ["agent.bot-prod update"]
    applied.apply("prod")
    assert store_of(project, "bot-prod") == new
    # The old store is staging's (it built it): staging's next apply deletes it.
    assert applied.actions("staging") == [
        f"file.{upload_name('docs/faq.md', FILES['docs/faq.md'].encode())} delete",
        f"vector_store.{openai.vector_stores.retrieve(old).name}#{old} delete",
    ]
    applied.apply("staging")
    assert [s.id for s in openai.vector_stores.list()] == [new]
    for env in ENVIRONMENTS:
        no_changes(applied, env)
