"""The Foundry anchor: a hand-written azure-ai-projects script with 16 threads, reading what a
no-op `reconciler plan` of a Foundry project reads.

    .venv-foundry/bin/python benchmarks/foundry_anchor.py DIR ENDPOINT CA_FILE

Runs in the Foundry SDK environment (scripts/foundry-venv: azure-ai-projects 2.10, openai 3.x
on httpx2), over https (the SDK's bearer-token policy refuses plain http), with a fixed test
token. It reads the manifests as a short script would (PyYAML, no validation), then, 16 at a
time: the agents (`project.agents.list()`), connections and deployments, and through the
OpenAI client the files and vector stores, then each store's files. It compares each agent's
model and instructions, and the number of files in its store, with its manifest. Prints
{"agents", "stores", "compared", "differ"} as JSON.
"""

from __future__ import annotations

import json
import ssl
import sys
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import httpx2  # type: ignore[import-not-found]
import yaml  # type: ignore[import-untyped]
from azure.ai.projects import AIProjectClient  # type: ignore[import-not-found]
from azure.core.credentials import AccessToken  # type: ignore[import-not-found]

THREADS = 16
TOKEN = "bench-token"


class FixedToken:
    """A TokenCredential handing out one token (the emulator takes any)."""

    def get_token(self, *scopes: str, **kwargs: Any) -> AccessToken:
        return AccessToken(TOKEN, int(time.time()) + 3600)


def manifests(directory: Path) -> dict[str, dict[str, Any]]:
    """Each agent's manifest by name, and how many knowledge files it names."""
    found = {}
    for path in sorted((directory / "agents").glob("*.yaml")):
        doc = yaml.safe_load(path.read_text(encoding="utf-8"))
        searched = [t for t in doc.get("tools", []) if t.get("type") == "file_search"]
        files = sum(len(t.get("files", [])) for t in searched)
        found[doc["name"]] = {
            "model": doc["model"],
            "instructions": doc["instructions"],
            "files": files,
        }
    return found


def main() -> None:
    directory, endpoint, ca = Path(sys.argv[1]), sys.argv[2], sys.argv[3]
    wanted = manifests(directory)
    verify = ssl.create_default_context(cafile=ca)
    with (
        AIProjectClient(
            endpoint=endpoint, credential=FixedToken(), connection_verify=ca
        ) as project,
        httpx2.Client(verify=verify, limits=httpx2.Limits(max_connections=THREADS)) as http,
        ThreadPoolExecutor(THREADS) as pool,
    ):
        openai = project.get_openai_client(http_client=http)
        agents = pool.submit(lambda: list(project.agents.list()))
        connections = pool.submit(lambda: list(project.connections.list()))
        deployments = pool.submit(lambda: list(project.deployments.list()))
        files = pool.submit(lambda: list(openai.files.list(purpose="assistants")))
        stores = list(openai.vector_stores.list(limit=100))
        listed = pool.map(lambda s: list(openai.vector_stores.files.list(s.id, limit=100)), stores)
        store_files = {store.id: len(found) for store, found in zip(stores, listed, strict=True)}
        live = {agent.name: agent for agent in agents.result()}
        connections.result(), deployments.result(), files.result()
    compared = differ = 0
    for name, manifest in wanted.items():
        agent = live.get(name)
        if agent is None:
            continue
        compared += 1
        definition = agent.versions["latest"]["definition"]
        tools = definition.get("tools") or []
        search = [t for t in tools if t.get("type") == "file_search"]
        ids = search[0].get("vector_store_ids", []) if search else []
        held = sum(store_files.get(i, 0) for i in ids)
        same = (definition.get("model"), definition.get("instructions"), held) == (
            manifest["model"],
            manifest["instructions"],
            manifest["files"],
        )
        differ += not same
    print(
        json.dumps(
            {"agents": len(live), "stores": len(stores), "compared": compared, "differ": differ}
        )
    )


if __name__ == "__main__":
    main()
