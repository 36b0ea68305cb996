"""`reconciler import` of an agent a third party made through azure-ai-projects 2.10.0 (and its
OpenAI client for the files and the vector store), over https: imported with its knowledge,
adopted, then unchanged; the hand-made store is left as it was."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from azure.ai.projects import AIProjectClient
from azure.ai.projects.models import CodeInterpreterTool, FileSearchTool, PromptAgentDefinition

from reconciler.emulator.server import BackgroundServer
from tests_foundry.conftest import PROJECT
from tests_foundry.reconcile import Project

FAQ, PRICES = b"# FAQ\n\nOrders ship within two days.\n", b"sku,price\nA1,10\n"
CHUNKING = {"type": "static", "static": {"max_chunk_size_tokens": 300, "chunk_overlap_tokens": 50}}


def test_an_agent_made_with_the_sdk_is_imported_with_its_knowledge_and_adopted(
    server: BackgroundServer,
    ca_file: Path,
    project: AIProjectClient,
    openai: Any,
    tmp_path: Path,
) -> None:
    shop = Project(tmp_path / "shop", f"{server.url}/api/projects/{PROJECT}", ca_file)
    shop.root.mkdir()
    shop.write_config()  # staging and prod, on this one project endpoint
    faq = openai.files.create(file=("faq.md", FAQ), purpose="assistants")
    prices = openai.files.create(file=("prices.csv", PRICES), purpose="assistants")
    store = openai.vector_stores.create(
        name="handbook", file_ids=[faq.id], chunking_strategy=CHUNKING
    )
    tools = [
        FileSearchTool(vector_store_ids=[store.id], max_num_results=4),
        CodeInterpreterTool(container={"type": "auto", "file_ids": [prices.id]}),
    ]
    definition = PromptAgentDefinition(model="gpt-4o-mini", instructions="Help.", tools=tools)
    project.agents.create_version("legacy-bot", definition=definition, metadata={"team": "ops"})

    imported = shop.ok("import", str(shop.root), "--env", "staging", "--select", "legacy-bot")
    assert "prod share staging's Foundry project" in imported
    assert (shop.root / "agents/files/legacy-bot/faq.md").read_bytes() == FAQ
    (agent,) = [c for c in shop.plan("staging")["changes"] if c["kind"] == "agent"]
    assert (agent["action"], agent["action_reason"]) == ("update", "adopt")
    shop.apply("staging")
    assert shop.actions("staging") == []

    latest = project.agents.get("legacy-bot").versions.latest
    assert latest.version == "2"
    assert latest.metadata == {
        "team": "ops",
        "reconciler.owner": "shop/staging",
        "reconciler.name": "legacy-bot",
    }
    (search,) = [t for t in latest.definition.tools if t["type"] == "file_search"]
    (ours,) = search["vector_store_ids"]
    assert search["max_num_results"] == 4
    held = openai.vector_stores.files.list(ours)
    assert [f.chunking_strategy.model_dump() for f in held] == [CHUNKING]
    kept = openai.vector_stores.retrieve(store.id)  # made by hand: never ours to delete
    assert (kept.name, kept.file_counts.total) == ("handbook", 1)
    # prod shares the project: its plan refuses the name in one line, changing nothing.
    refused = shop.run("plan", str(shop.root), "--env", "prod")
    assert refused.exit_code == 1
    assert "agent legacy-bot belongs to shop/staging" in refused.stderr
