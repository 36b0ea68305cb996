"""The anchors a no-op plan is measured against: what a user would write instead.

    python benchmarks/anchor.py list DIR URL          # the hand-written openai-SDK sync script
    python benchmarks/anchor.py refresh DIR URL IDS   # a per-object refresh: one GET per assistant

Both read the project's manifests the way a short script would (`yaml.safe_load`, the two
`${...}` references the synthetic project uses replaced by hand, no validation), then compare
each manifest's fields with its assistant on the endpoint, found by name. `list` pages through
`GET /assistants` (100 a page) and lists the files, as `plan` does; `refresh` GETs every
assistant by id (IDS: a JSON list, the "state" a per-object tool keeps) with 10 at a time, as
Terraform's refresh does. Prints {"assistants", "compared", "differ"} as JSON.
"""

from __future__ import annotations

import json
import sys
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import httpx
import yaml  # type: ignore[import-untyped]  # PyYAML: what a short script would use
from openai import AzureOpenAI

API_VERSION = "2024-02-15-preview"
REFRESH_PARALLELISM = 10
FIELDS = ("name", "description", "model", "instructions")


def manifests(directory: Path) -> dict[str, dict[str, Any]]:
    """Manifest fields by display name, with the project's variables filled in."""
    project = yaml.safe_load((directory / "reconciler.yaml").read_text(encoding="utf-8"))
    name, environment = next(iter(project["environments"].items()))
    values = {f"${{var.{k}}}": str(v) for k, v in environment.get("vars", {}).items()}
    values["${env.name}"] = name
    found = {}
    for path in sorted((directory / "assistants").glob("*.yaml")):
        text = path.read_text(encoding="utf-8")
        for reference, value in values.items():
            text = text.replace(reference, value)
        doc = yaml.safe_load(text)
        found[doc["display_name"]] = {
            "name": doc["display_name"],
            "description": doc.get("description"),
            "model": doc["model"],
            "instructions": doc.get("instructions"),
            "tools": doc.get("tools", []),
        }
    return found


def differs(wanted: dict[str, Any], live: Any) -> bool:
    if any(wanted[field] != getattr(live, field) for field in FIELDS):
        return True
    return len(wanted["tools"]) != len(live.tools)


def main() -> None:
    mode, directory, url = sys.argv[1], Path(sys.argv[2]), sys.argv[3]
    wanted = manifests(directory)
    client = AzureOpenAI(
        azure_endpoint=url, api_key="bench", api_version=API_VERSION, http_client=httpx.Client()
    )
    if mode == "list":
        live = list(client.beta.assistants.list(limit=100))
        client.files.list()
    else:
        ids = json.loads(Path(sys.argv[4]).read_text(encoding="utf-8"))
        with ThreadPoolExecutor(REFRESH_PARALLELISM) as pool:
            live = list(pool.map(client.beta.assistants.retrieve, ids))
    by_name = {assistant.name: assistant for assistant in live}
    compared = [name for name in wanted if name in by_name]
    differ = sum(differs(wanted[name], by_name[name]) for name in compared)
    print(json.dumps({"assistants": len(live), "compared": len(compared), "differ": differ}))


if __name__ == "__main__":
    main()
