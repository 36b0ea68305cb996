"""`reconciler import` for Foundry agents, end to end over real HTTP: list the unmanaged agents,
write manifests with their knowledge, then plan adopts, apply, and plan again has no changes."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import httpx
import pytest
from click.testing import CliRunner, Result

from reconciler.adoption.draft import Target
from reconciler.adoption.draft_agent import Knowledge, draft_agents
from reconciler.adoption.target import load_target
from reconciler.cli import main
from reconciler.config.source import load_documents
from reconciler.core.kinds.agent.types import LiveAgent
from reconciler.core.kinds.vector_store import STORE_PREFIX
from reconciler.core.marks import NAME_MARK, OWNER_MARK
from reconciler.core.tools.file_search import DEFAULT_CHUNKING
from reconciler.emulator import Emulator
from reconciler.emulator.foundry import FoundryOptions
from reconciler.emulator.server import BackgroundServer
from reconciler.errors import UsageError
from tests.support.foundry_client import MODEL, TOKEN, foundry_client, ok, prompt, upload
from tests.support.foundry_desired import clear_stats, stats

ENV = {"FOUNDRY_TOKEN": TOKEN, "NO_COLOR": "1", "RECONCILER_RETRY_BASE_SECONDS": "0.001"}
PROJECT = """project: legacy
manifests: [agents/]
environments:
  dev:
    api: foundry
    endpoint: {url}/api/projects/p1
    auth: token
    ad_token_env: FOUNDRY_TOKEN
"""
FAQ, RETURNS, PRICES = b"# FAQ\nAsk us.\n", b"# Returns\n30 days.\n", b"sku,price\nA1,10\n"
STATIC = {"type": "static", "static": {"max_chunk_size_tokens": 400, "chunk_overlap_tokens": 100}}
LOOKUP = {
    "type": "function",
    "name": "lookup_order",
    "description": "Find an order",
    "parameters": {"type": "object", "properties": {"id": {"type": "string"}}},
    "strict": True,
}
INSTRUCTIONS = "You answer questions about orders.\nBe brief.\n"


def run(*args: str) -> Result:
    return CliRunner().invoke(main, list(args), env=ENV)


@pytest.fixture
def project(tmp_path: Path, module_server: BackgroundServer, foundry_api: httpx.Client) -> Path:
    """A Foundry project's folder, no manifests yet, on the emulator's project p1 (reset)."""
    root = tmp_path / "legacy"
    root.mkdir()
    (root / "reconciler.yaml").write_text(PROJECT.format(url=module_server.url), "utf-8")
    return root


def tree(root: Path) -> dict[str, bytes | None]:
    return {
        p.relative_to(root).as_posix(): p.read_bytes() if p.is_file() else None
        for p in sorted(root.rglob("*"))
    }


def store(api: httpx.Client, name: str, file_ids: list[str], **body: Any) -> str:
    made = ok(
        api.post("/openai/v1/vector_stores", json={"name": name, "file_ids": file_ids, **body})
    )
    return str(made["id"])


def make(api: httpx.Client, name: str, **body: Any) -> dict[str, Any]:
    """A version made by hand, as in the portal: straight to the API."""
    made: dict[str, Any] = ok(api.post(f"/agents/{name}/versions", json=body or prompt()))
    return made


def hand_made(api: httpx.Client) -> dict[str, str]:
    """legacy-bot, made by hand: a function, code interpreter files, and a vector store with
    its own chunking whose one file failed ingestion. The ids of what it uses."""
    ids = {
        "faq": upload(api, "faq.md", FAQ),
        "returns": upload(api, "returns.md", RETURNS),
        "binary": upload(api, "tool.bin", b"\x00\x01"),  # file_search fails it
        "prices": upload(api, "prices.csv", PRICES),
    }
    ids["store"] = store(
        api, "handbook", [ids["faq"], ids["returns"], ids["binary"]], chunking_strategy=STATIC
    )
    tools = [
        LOOKUP,
        {"type": "code_interpreter", "container": {"type": "auto", "file_ids": [ids["prices"]]}},
        {"type": "file_search", "vector_store_ids": [ids["store"]], "max_num_results": 5},
    ]
    body = prompt(
        instructions=INSTRUCTIONS,
        temperature=0.3,
        top_p=0.9,
        text={"format": {"type": "json_object"}},
        tools=tools,
    )
    body["description"] = "Costs ${var.price}"  # looks like interpolation: kept literal
    body["metadata"] = {"team": "support", NAME_MARK: "stale"}  # a lone name mark claims nothing
    make(api, "legacy-bot", **body)
    return ids


def manifest(path: Path) -> Any:
    (document,), problems = load_documents(str(path), path.read_text(encoding="utf-8"))
    assert problems == []
    return document.data


def test_an_agent_with_knowledge_is_imported_adopted_and_then_unchanged(
    project: Path, foundry_api: httpx.Client, module_server: BackgroundServer
) -> None:
    ids = hand_made(foundry_api)
    clear_stats(module_server)
    imported = run("import", str(project), "--select", "legacy-bot")
    assert imported.exit_code == 0, imported.output
    assert stats(module_server) == {
        "GET /agents": 2,  # one page, then the empty page that ends the list
        "GET /openai/v1/vector_stores": 1,
        "GET /openai/v1/vector_stores/{vector_store_id}/files": 1,
        "GET /openai/v1/files": 1,
        "GET /openai/v1/files/{file_id}/content": 3,  # not the file that failed ingestion
    }
    agents = project / "agents"
    assert manifest(agents / "legacy-bot.yaml") == {
        "kind": "Agent",
        "name": "legacy-bot",
        "model": MODEL,
        "description": "Costs $${var.price}",
        "instructions_file": "prompts/legacy-bot.md",
        "temperature": 0.3,
        "top_p": 0.9,
        "text": {"format": {"type": "json_object"}},
        "tools": [
            LOOKUP,
            {"type": "code_interpreter", "files": ["files/legacy-bot/prices.csv"]},
            {
                "type": "file_search",
                "files": ["files/legacy-bot/faq.md", "files/legacy-bot/returns.md"],
                "max_num_results": 5,
                "chunking": STATIC,
            },
        ],
        "metadata": {"team": "support"},
        "import_id": {"dev": "legacy-bot"},
    }
    assert (agents / "prompts/legacy-bot.md").read_text(encoding="utf-8") == INSTRUCTIONS
    assert (agents / "files/legacy-bot/faq.md").read_bytes() == FAQ
    assert (agents / "files/legacy-bot/returns.md").read_bytes() == RETURNS
    assert (agents / "files/legacy-bot/prices.csv").read_bytes() == PRICES
    out = imported.stdout
    assert "Imported 1 agent into" in out
    assert f"its file 'tool.bin' ({ids['binary']}) in vector store 'handbook'" in out
    assert f"the hand-made vector store 'handbook' ({ids['store']}) and file(s) 'prices.csv'" in out
    assert "reserved metadata keys left out (apply removes them): reconciler.name" in out

    assert run("validate", str(project)).exit_code == 0
    planned = run("plan", str(project), "--format", "json")
    plan = json.loads(planned.stdout)
    (agent,) = [c for c in plan["changes"] if c["kind"] == "agent"]
    assert (agent["action"], agent["action_reason"], agent["importing"]) == (
        "update",
        "adopt",
        True,
    )
    assert (
        "adopts the existing agent legacy-bot (import_id): new version (1 -> 2)"
        in (agent["reason"])
    )
    assert sorted(c["action"] for c in plan["changes"]) == ["create"] * 4 + ["update"]
    assert any(f"hand-made vector store 'handbook' ({ids['store']})" in n for n in plan["notes"])

    assert run("apply", str(project), "--auto-approve").exit_code == 0
    again = run("plan", str(project), "--detailed-exitcode")
    assert (again.exit_code, again.stdout) == (
        0,
        "No changes. The live objects match the manifests.\n",
    )
    latest = ok(foundry_api.get("/agents/legacy-bot"))["versions"]["latest"]
    assert latest["version"] == "2"
    assert latest["metadata"] == {
        "team": "support",
        OWNER_MARK: "legacy/dev",
        NAME_MARK: "legacy-bot",
    }
    assert latest["definition"]["instructions"] == INSTRUCTIONS
    # What was made by hand stays: the store with its files, and the code interpreter's file.
    handbook = ok(foundry_api.get(f"/openai/v1/vector_stores/{ids['store']}"))
    assert handbook["file_counts"]["total"] == 3
    files = {f["id"] for f in ok(foundry_api.get("/openai/v1/files"))["data"]}
    assert {ids["faq"], ids["returns"], ids["binary"], ids["prices"]} <= files
    (search,) = [t for t in latest["definition"]["tools"] if t["type"] == "file_search"]
    (ours,) = search["vector_store_ids"]
    knowledge = ok(foundry_api.get(f"/openai/v1/vector_stores/{ours}"))
    assert knowledge["name"].startswith(STORE_PREFIX)
    held = ok(foundry_api.get(f"/openai/v1/vector_stores/{ours}/files"))["data"]
    assert [f["chunking_strategy"] for f in held] == [STATIC, STATIC]


def test_only_unmanaged_agents_are_listed_and_offered(
    project: Path, foundry_api: httpx.Client, module_server: BackgroundServer
) -> None:
    (project / "agents").mkdir()
    (project / "agents/ours.yaml").write_text("kind: Agent\nname: ours\nmodel: gpt-4o\n", "utf-8")
    assert run("apply", str(project), "--auto-approve").exit_code == 0
    make(
        foundry_api, "theirs", metadata={OWNER_MARK: "other/prod", NAME_MARK: "theirs"}, **prompt()
    )
    make(foundry_api, "free", **prompt(tools=[{"type": "code_interpreter"}]))
    make(foundry_api, "Shouting", **prompt())  # Foundry takes it, a manifest's name cannot
    clear_stats(module_server)
    listed = run("import", str(project))
    assert listed.exit_code == 0, listed.output
    # The agent list and the toolboxes list, nothing else.
    assert stats(module_server) == {"GET /agents": 2, "GET /toolboxes": 1}
    lines = listed.stdout.splitlines()
    header = ["NAME", "VERSION", "MODEL", "TOOLS", "STORES", "FILES", "UPDATED", "(UTC)"]
    assert lines[0].split() == header
    assert [line.split()[:6] for line in lines[1:3]] == [
        ["free", "1", MODEL, "1", "0", "0"],
        ["Shouting", "1", MODEL, "0", "0", "0"],
    ]
    assert "2 unmanaged agents at" in listed.stdout
    assert "; 2 managed by projects, not shown." in listed.stdout
    assert "Shouting cannot be imported: a manifest names an agent with 1-63 lowercase" in (
        listed.stdout
    )
    for taken, owner in (("ours", "legacy/dev"), ("theirs", "other/prod")):
        refused = run("import", str(project), "--select", taken)
        assert refused.exit_code == 1
        assert refused.stderr == (
            f"Error: import refused, nothing was written: --select {taken!r} names an agent "
            f"managed by {owner}: only unmanaged agents can be imported\n"
        )


def test_selection_writes_only_what_was_chosen_once_each(
    project: Path, foundry_api: httpx.Client
) -> None:
    for name in ("alpha", "beta", "gamma"):
        make(foundry_api, name, **prompt(instructions=f"I am {name}."))
    result = run(
        "import", str(project), "--select", "gamma", "--select", "beta", "--select", "gamma"
    )
    assert result.exit_code == 0, result.output
    assert "Imported 2 agents into" in result.stdout
    assert [p for p, data in tree(project / "agents").items() if data is not None] == [
        "beta.yaml",
        "gamma.yaml",
        "prompts/beta.md",
        "prompts/gamma.md",
    ]
    again = run("import", str(project), "--select", "beta")
    assert again.exit_code == 1
    assert (
        f"beta is already imported by {project}/agents/beta.yaml; apply adopts it" in again.stderr
    )
    assert run("apply", str(project), "--auto-approve").exit_code == 0
    assert run("plan", str(project), "--detailed-exitcode").exit_code == 0
    latest = ok(foundry_api.get("/agents/alpha"))["versions"]["latest"]
    assert (latest["version"], latest["metadata"]) == ("1", {})  # not chosen: untouched
    config = project / "reconciler.yaml"
    config.write_text(config.read_text("utf-8").replace("[agents/]", "[.]"), "utf-8")
    assert run("import", str(project), "--select", "alpha").exit_code == 0
    assert (project / "agents/alpha.yaml").is_file()  # `.`: agents/ for a Foundry project


@pytest.mark.parametrize(
    ("setup", "message"),
    [
        ("exists", "agents/prompts/legacy-bot.md already exists: move it, or import with"),
        ("missing", "--select 'nowhere' matches no agent at http://"),
        ("name", "agent Legacy-Bot: a manifest names an agent with 1-63 lowercase letters"),
        ("declared", "agents/legacy-bot.yaml declares it already: set import_id: legacy-bot"),
    ],
)
def test_refusals_are_one_line_and_write_nothing(
    project: Path,
    foundry_api: httpx.Client,
    module_server: BackgroundServer,
    setup: str,
    message: str,
) -> None:
    make(foundry_api, "legacy-bot", **prompt(instructions="Hi."))
    make(foundry_api, "Legacy-Bot", **prompt())
    selected = {"missing": "nowhere", "name": "Legacy-Bot"}.get(setup, "legacy-bot")
    (project / "agents/prompts").mkdir(parents=True)
    if setup == "exists":
        (project / "agents/prompts/legacy-bot.md").write_text("mine", "utf-8")
    if setup == "declared":  # not applied yet: its plan would ask for import_id
        (project / "agents/legacy-bot.yaml").write_text(
            "kind: Agent\nname: legacy-bot\nmodel: gpt-4o\n", "utf-8"
        )
    written = tree(project)
    clear_stats(module_server)
    result = run("import", str(project), "--select", selected)
    assert result.exit_code == 1, result.output
    assert result.stderr.startswith("Error: import refused, nothing was written: ")
    assert message in result.stderr
    assert result.stderr.count("\n") == 1
    assert tree(project) == written
    assert "GET /openai/v1/files/{file_id}/content" not in stats(module_server)


def test_files_the_service_will_not_give_are_all_named_and_nothing_is_written(
    tmp_path: Path,
) -> None:
    emulator = Emulator.create(foundry=FoundryOptions(undownloadable=frozenset({"assistants"})))
    with BackgroundServer(emulator) as server, foundry_client(server.url) as api:
        (tmp_path / "reconciler.yaml").write_text(PROJECT.format(url=server.url), "utf-8")
        faq, prices = upload(api, "faq.md", FAQ), upload(api, "prices.csv", PRICES)
        tools = [
            {"type": "code_interpreter", "container": {"type": "auto", "file_ids": [prices]}},
            {"type": "file_search", "vector_store_ids": [store(api, "kb", [faq])]},
        ]
        make(api, "bot", **prompt(tools=tools))
        result = run("import", str(tmp_path), "--select", "bot")
    assert result.exit_code == 1, result.output
    lines = result.stderr.splitlines()
    assert lines[0] == "Error: import refused, nothing was written:"
    assert sorted(lines[1:]) == [
        f"  bot: its file files/bot/{name} ({file_id}) cannot be downloaded: download file "
        f"{file_id} failed: HTTP 400: Not allowed to download files of purpose: assistants "
        f"(GET {server.url}/api/projects/p1/openai/v1/files/{file_id}/content)."
        for name, file_id in sorted([("faq.md", faq), ("prices.csv", prices)])
    ]
    assert [p.name for p in tmp_path.iterdir()] == ["reconciler.yaml"]


# Drafting alone, on agents and knowledge as the API lists them.


def _target(tmp_path: Path, **others: str) -> Target:
    """A Foundry project of environment dev (and others, by endpoint), as import loads it."""
    endpoints = {"dev": "local", **others}
    envs = "".join(f"  {e}:\n    api: foundry\n    endpoint: {u}\n" for e, u in endpoints.items())
    (tmp_path / "reconciler.yaml").write_text(f"project: p\nenvironments:\n{envs}", "utf-8")
    return load_target(tmp_path, "dev", {})


def _agent(name: str = "bot", **definition: Any) -> LiveAgent:
    return LiveAgent(name, "1", 0, None, {"kind": "prompt", "model": "m", **definition}, {})


def _store_file(file_id: str, status: str = "completed", chunking: Any = None) -> dict[str, Any]:
    strategy = chunking or {"type": "static", "static": DEFAULT_CHUNKING["static"]}
    return {"id": file_id, "status": status, "chunking_strategy": strategy}


KNOWLEDGE = Knowledge(
    filenames={"f1": "faq.md", "f2": "terms.md", "f3": "data.csv"},
    stores={s: {"id": s, "name": s[3:]} for s in ("vs_a", "vs_b", "vs_c")},
    store_files={
        "vs_a": [_store_file("f1"), _store_file("f2", chunking=STATIC)],
        "vs_b": [_store_file("f2", chunking=STATIC), _store_file("f3", "cancelled")],
        "vs_c": [_store_file("f3", "failed")],
    },
)


def test_a_file_both_tools_read_is_written_once_and_stores_become_one(tmp_path: Path) -> None:
    tools = [
        {"type": "file_search", "vector_store_ids": ["vs_a", "vs_b"]},
        {"type": "code_interpreter", "container": {"type": "auto", "file_ids": ["f1", "f3"]}},
    ]
    (draft,) = draft_agents(
        [_agent(tools=tools)],
        _target(tmp_path, prod="local", qa="https://x.services.ai.azure.com/api/projects/qa"),
        KNOWLEDGE,
    )
    assert draft.files == [
        ("f1", "files/bot/faq.md"),
        ("f3", "files/bot/data.csv"),
        ("f2", "files/bot/terms.md"),
    ]
    assert draft.manifest["tools"] == [
        {
            "type": "file_search",
            "files": ["files/bot/faq.md", "files/bot/terms.md"],
            "chunking": STATIC,
        },
        {"type": "code_interpreter", "files": ["files/bot/faq.md", "files/bot/data.csv"]},
    ]
    notes = "\n".join(draft.notes)
    assert "the files of its 2 vector stores become one knowledge store" in notes
    assert "its knowledge files were chunked 2 ways; the manifest takes the commonest" in notes
    assert "its file 'data.csv' (f3) in vector store 'b' (vs_b) was cancelled" in notes
    assert "bot: adopted in dev only; the manifest declares it in qa too, where apply" in notes
    assert "bot: prod share dev's Foundry project, where agent names are unique" in notes


def test_default_chunking_is_left_to_the_service(tmp_path: Path) -> None:
    tools = [{"type": "file_search", "vector_store_ids": ["vs_a"]}]
    knowledge = Knowledge(KNOWLEDGE.filenames, KNOWLEDGE.stores, {"vs_a": [_store_file("f1")]})
    (draft,) = draft_agents([_agent(tools=tools)], _target(tmp_path), knowledge)
    assert draft.manifest["tools"] == [{"type": "file_search", "files": ["files/bot/faq.md"]}]


@pytest.mark.parametrize(
    ("tool", "reason"),
    [
        (
            {"type": "code_interpreter", "container": "cntr_1"},
            'code_interpreter container "cntr_1" cannot be expressed',
        ),
        (
            {"type": "file_search", "vector_store_ids": ["vs_a"], "ranking_options": {}},
            "file_search ranking_options cannot be expressed",
        ),
        (
            {"type": "file_search", "vector_store_ids": ["vs_gone"]},
            "vector store vs_gone is not in the project",
        ),
        (
            {"type": "file_search", "vector_store_ids": ["vs_c"]},
            "no vector store it searches (vs_c) holds an ingested file",
        ),
        (
            {
                "type": "mcp",
                "server_label": "x",
                "server_url": "https://x.example",
                "tunnel_id": "t",
            },
            "tunnel_id: extra inputs are not permitted",
        ),
        (
            {"type": "mcp", "server_label": "x"},
            "mcp takes a server_url or a connector_id (exactly one)",
        ),
    ],
    ids=["container-id", "ranking", "store-gone", "nothing-ingested", "mcp-field", "mcp-check"],
)
def test_a_tool_its_typed_entry_cannot_say_is_written_verbatim(
    tmp_path: Path, tool: dict[str, Any], reason: str
) -> None:
    (draft,) = draft_agents([_agent(tools=[LOOKUP, tool])], _target(tmp_path), KNOWLEDGE)
    assert draft.manifest["tools"] == [LOOKUP, {"type": "verbatim", "tool": tool}]
    assert draft.files == []  # ids as they are: nothing downloaded for it
    note = f"bot: its {tool['type']} tool is written verbatim (type: verbatim), compared as data"
    assert f"{note}: {reason}" in "\n".join(draft.notes)
    assert not [n for n in draft.notes if "after apply it uses uploaded copies" in n]


@pytest.mark.parametrize(
    ("agent", "message"),
    [
        (_agent(harness={"type": "x"}), "harness: Extra inputs are not permitted"),
        (_agent(reasoning={"effort": "extreme"}), "reasoning.effort: Input should be 'none'"),
        (LiveAgent("bot", "1", 0, None, {"kind": "hosted"}, {}), "it is a hosted agent"),
    ],
    ids=["harness", "reasoning", "hosted"],
)
def test_what_the_manifest_cannot_say_refuses_the_agent(
    tmp_path: Path, agent: LiveAgent, message: str
) -> None:
    with pytest.raises(UsageError) as raised:
        draft_agents([agent], _target(tmp_path), KNOWLEDGE)
    assert f"agent bot: {message}" in str(raised.value)
