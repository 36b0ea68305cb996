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
from azure.core.exceptions import ResourceNotFoundError

from reconciler.emulator import Emulator
from reconciler.emulator.core.tls import TlsFiles
from reconciler.emulator.foundry import FoundryOptions
from reconciler.emulator.server import BackgroundServer
from tests_foundry.conftest import PROJECT
from tests_foundry.reconcile import (
    ENVIRONMENTS,
    FILES,
    Project,
    Recorded,
    kill_mid_apply,
    new_project,
)

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
    emulator: Emulator, tls: TlsFiles, requests_log: list[str]
) -> Iterator[BackgroundServer]:
    """conftest's https server, recording every request in the order answered."""
    running = BackgroundServer(Recorded(emulator, requests_log), tls=tls)
    with running:
        yield running


@pytest.fixture
def shop(server: BackgroundServer, ca_file: Path, tmp_path: Path) -> Project:
    return new_project(tmp_path / "shop", server, ca_file)


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


def test_a_portal_edit_of_a_tool_shows_the_tool_field_that_changed(
    applied: Project, project: AIProjectClient
) -> None:
    live = latest(project, "bot-staging")
    edited = live.definition.as_dict()
    (search,) = edited["tools"]
    search["max_num_results"] = 10
    project.agents.create_version(
        "bot-staging",
        definition=PromptAgentDefinition(edited),
        description=live.description,
        metadata=dict(live.metadata),
    )
    (change,) = [c for c in applied.plan("staging")["changes"] if c["action"] != "no-op"]
    assert change["reason"] == "new version (2 -> 3)"
    assert change["diff"] == [
        {"op": "change", "path": "definition.tools.0.max_num_results", "old": 10, "new": 5}
    ]
    result = applied.run("drift", str(applied.root), "--env", "staging", "--format", "text")
    assert result.exit_code == 2, result.output
    # The saved plan keeps DeepDiff's path; the text names the tool by its type.
    assert "~ definition.tools[file_search].max_num_results: 10 -> 5" in result.output


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
    shop.retain(1)  # version 1 goes with the change, and then its store (else it would keep it)
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
            "agent.bot-staging#1 delete",
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
    applied.retain(1)  # each environment's version 1 goes with the change
    applied.write("docs/faq.md", "# FAQ\n\nOrders ship within one day.\n")
    applied.apply("staging")  # the old store stays: prod's agent points at it
    new = store_of(project, "bot-staging")
    assert (store_of(project, "bot-prod"), ready(openai, old, 2)) == (old, True)
    no_changes(applied, "staging")
    # Prod is the last user of the old store (staging built it): prod lets it go, with the
    # upload only that store held.
    assert sorted(applied.actions("prod")) == [
        "agent.bot-prod update",
        "agent.bot-prod#1 delete",
        f"file.{upload_name('docs/faq.md', FILES['docs/faq.md'].encode())} delete",
        f"vector_store.{openai.vector_stores.retrieve(old).name}#{old} delete",
    ]
    applied.apply("prod")
    assert store_of(project, "bot-prod") == new
    assert [s.id for s in openai.vector_stores.list()] == [new]
    for env in ENVIRONMENTS:
        no_changes(applied, env)


def test_a_removed_manifest_deletes_its_agent_in_that_environment_only(
    applied: Project, project: AIProjectClient
) -> None:
    (applied.root / "agents/helper.yaml").unlink()
    assert applied.actions("staging") == ["agent.helper-staging delete"]
    applied.apply("staging")
    with pytest.raises(ResourceNotFoundError):
        project.agents.get("helper-staging")
    helper = latest(project, "helper-prod")
    assert (helper.version, helper.metadata["reconciler.owner"]) == ("1", "shop/prod")
    assert agent_names(project) == ["bot-prod", "bot-staging", "helper-prod"]
    no_changes(applied, "staging")
    # prod's own plan now deletes its helper too: the manifest is gone for every environment.
    assert applied.actions("prod") == ["agent.helper-prod delete"]


def test_destroy_of_one_environment_leaves_the_other_and_unmanaged_objects(
    applied: Project, project: AIProjectClient, openai: Any
) -> None:
    theirs = project.agents.create_version(
        "theirs",
        definition=PromptAgentDefinition(model="gpt-4o-mini", instructions="Made by hand."),
        metadata={"team": "other"},
    )
    their_store = openai.vector_stores.create(name="their-notes").id
    shared = store_of(project, "bot-prod")
    applied.ok("destroy", str(applied.root), "--env", "staging", "--auto-approve")
    assert agent_names(project) == ["bot-prod", "helper-prod", "theirs"]
    assert latest(project, "theirs").version == theirs.version
    assert latest(project, "theirs").metadata == {"team": "other"}
    for name in ("bot-prod", "helper-prod"):
        assert latest(project, name).version == "1"
    # The store staging built is prod's knowledge too: it stays, ingested, while prod uses it.
    assert store_of(project, "bot-prod") == shared
    assert ready(openai, shared, 2)
    assert sorted(s.id for s in openai.vector_stores.list()) == sorted([shared, their_store])
    no_changes(applied, "prod")
    assert applied.actions("staging") == sorted(
        ["agent.bot-staging create", "agent.helper-staging create"]
    )


@pytest.fixture
def promoted(applied: Project, project: AIProjectClient) -> Project:
    """staging one version ahead of prod: its bot's instructions changed and applied."""
    applied.bot("You answer questions about orders, politely.")
    applied.apply("staging")
    assert latest(project, "bot-staging").version == "2"
    return applied


def test_promotion_diff_says_which_versions_of_each_environment_are_equivalent(
    promoted: Project,
) -> None:
    applied = promoted
    result = applied.run("diff", str(applied.root), "--env", "staging", "--against", "prod")
    assert result.exit_code == 0, result.output
    text = result.output
    assert "  ~ agent.bot-staging / agent.bot-prod\n" in text
    assert "      versions: staging v2 = prod v1 -> new version (definition sha256-" in text
    assert (
        "      prod (live -> manifest):\n"
        "        ~ definition.instructions:\n"
        '            - "You answer questions about orders."\n'
        '            + "You answer questions about orders, politely."\n'
    ) in text
    assert "  = agent.helper-staging / agent.helper-prod\n" in text
    assert "      versions: staging v1 = prod v1 (definition sha256-" in text
    assert text.endswith("1 same, 1 differ, 0 only in staging, 0 only in prod.\n")


def test_plan_for_prod_after_staging_shows_exactly_the_definition_being_promoted(
    promoted: Project, project: AIProjectClient, openai: Any
) -> None:
    applied = promoted
    plan = applied.plan("prod")
    (change,) = [c for c in plan["changes"] if c["action"] != "no-op"]
    assert (change["address"], change["reason"]) == ("agent.bot-prod", "new version (1 -> 2)")
    assert change["diff"] == [
        {
            "op": "change",
            "path": "definition.instructions",
            "old": "You answer questions about orders.",
            "new": "You answer questions about orders, politely.",
        }
    ]
    # What prod gets is exactly what staging runs: the same definition, the same store.
    staging = latest(project, "bot-staging").definition.as_dict()
    names = {
        i: openai.vector_stores.retrieve(i).name for i in store_ids(latest(project, "bot-staging"))
    }
    for tool in staging["tools"]:
        if "vector_store_ids" in tool:
            tool["vector_store_ids"] = [names[i] for i in tool["vector_store_ids"]]
    assert change["after"]["definition"] == staging
    applied.apply("prod")
    assert (
        latest(project, "bot-prod").definition.as_dict()
        == latest(project, "bot-staging").definition.as_dict()
    )
    for env in ENVIRONMENTS:
        no_changes(applied, env)


def test_a_failed_ingestion_fails_the_apply_with_the_path_and_points_nothing_at_the_store(
    applied: Project, project: AIProjectClient, openai: Any
) -> None:
    old = store_of(project, "bot-staging")
    too_big = b"x" * (4 * MAX_FILE_TOKENS + 400)  # 1100 tokens at 4 bytes each
    applied.write("docs/big.md", too_big)
    applied.bot("You answer questions about orders.", *FILES, "docs/big.md")
    result = applied.run("apply", str(applied.root), "--env", "staging", "--auto-approve")
    assert result.exit_code == 1, result.output
    assert (
        f"{upload_name('docs/big.md', too_big)} (docs/big.md): The file has 1100 tokens, "
        f"over the limit of {MAX_FILE_TOKENS}. (invalid_file)"
    ) in result.output
    bot = latest(project, "bot-staging")
    assert (bot.version, store_ids(bot)) == ("1", [old])
    assert [s.id for s in openai.vector_stores.list()] == [old]  # no half-built store left
    assert ready(openai, old, 2)

    fixed = b"# Big\n\nNot so big any more.\n"
    applied.write("docs/big.md", fixed)
    applied.apply("staging")
    bot = latest(project, "bot-staging")
    assert bot.version == "2"
    (new,) = store_ids(bot)
    assert ready(openai, new, 3)
    assert upload_name("docs/big.md", fixed) in filenames_in(openai, new)
    assert upload_name("docs/big.md", too_big) not in [f.filename for f in openai.files.list()]
    no_changes(applied, "staging")
    assert store_of(project, "bot-prod") == old


@pytest.mark.parametrize(
    "moment",
    [
        "POST /api/projects/{project}/openai/v1/files",
        "POST /api/projects/{project}/openai/v1/vector_stores",
        "POST /api/projects/{project}/agents/{agent_name}/versions",
    ],
)
def test_a_kill_9_mid_apply_then_an_apply_converges(
    shop: Project, project: AIProjectClient, openai: Any, moment: str
) -> None:
    """Killed once `moment` reached the emulator (its answer held back by the latency)."""
    kill_mid_apply(shop, "staging", moment, 1)

    shop.apply("staging")
    no_changes(shop, "staging")
    assert agent_names(project) == ["bot-staging", "helper-staging"]
    for name in ("bot-staging", "helper-staging"):
        assert [v.version for v in project.agents.list_versions(name)] == ["1"]
    stores = list(openai.vector_stores.list())
    assert len(stores) == 1
    assert ready(openai, stores[0].id, 2)
    assert store_of(project, "bot-staging") == stores[0].id
    filenames = [f.filename for f in openai.files.list()]
    assert sorted(filenames) == sorted(upload_name(p, t.encode()) for p, t in FILES.items())


def test_a_store_left_by_a_destroyed_environment_goes_when_no_agent_points_at_it(
    applied: Project, project: AIProjectClient, openai: Any
) -> None:
    """Issue 14: a store is deleted when no agent of any owner references it. staging built the
    store both environments share; staging is destroyed, then prod's knowledge changes."""
    applied.ok("destroy", str(applied.root), "--env", "staging", "--auto-approve")
    applied.retain(1)  # prod's version 1 goes with the change, and then the store it searched
    applied.write("docs/faq.md", "# FAQ\n\nOrders ship within one day.\n")
    applied.apply("prod")
    no_changes(applied, "prod")
    pointed = {store_of(project, "bot-prod")}
    assert {s.id for s in openai.vector_stores.list()} == pointed


def test_a_revert_of_knowledge_reuses_the_store_the_older_version_keeps(
    shop: Project, project: AIProjectClient, openai: Any, requests_log: list[str]
) -> None:
    """Issue 24, history kept: version 1 keeps its store through a knowledge change, and
    declaring that knowledge again points version 3 at it: no upload, no store built."""
    shop.apply("staging")
    first = store_of(project, "bot-staging")
    shop.write("docs/faq.md", "# FAQ\n\nOrders ship within one day.\n")
    shop.apply("staging")
    assert store_ids(project.agents.get_version("bot-staging", "1")) == [first]
    assert first in [s.id for s in openai.vector_stores.list()]
    shop.write("docs/faq.md", FILES["docs/faq.md"])
    del requests_log[:]
    shop.apply("staging")
    assert (latest(project, "bot-staging").version, store_of(project, "bot-staging")) == (
        "3",
        first,
    )
    made = [r for r in requests_log if r.startswith("POST") and "/openai/v1/" in r]
    assert made == []
    no_changes(shop, "staging")
