"""The file search tool: knowledge files gathered into a content-addressed vector store.

The manifest lists files by path (and the chunking); the plan names the store by the hash of
its files and chunking (core/foundry.py store_name) and the wire by its id.
"""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import PurePosixPath
from typing import Annotated, Any, Literal

from pydantic import Field

from reconciler.core.model import DesiredFile
from reconciler.core.tools.base import (
    Checks,
    Drafting,
    Held,
    Knowledge,
    Names,
    Problem,
    Resolve,
    StrictDoc,
    ToolBase,
    ToolDoc,
    V1Tools,
    Wire,
    listed_twice,
    present,
)

KNOWLEDGE_MAX = 10_000  # files per vector store (FOUNDRY-FACTS 4)
# Foundry's file_search (the OpenAI file search tool) reads these; its store ingests nothing else.
READS = frozenset(
    "c cpp cs css doc docx go html java js json md pdf php pptx py rb sh tex ts txt".split()  # noqa: SIM905
)
SEARCH_KEYS = {"type", "vector_store_ids", "max_num_results"}
LEFT_OUT = ("failed", "cancelled")  # store files that were never searchable


class StaticChunkingDoc(StrictDoc):
    max_chunk_size_tokens: int = Field(800, ge=100, le=4096)
    chunk_overlap_tokens: int = Field(400, ge=0, description="At most half the chunk size.")


class AutoChunkingDoc(StrictDoc):
    type: Literal["auto"]


class StaticChunkingStrategyDoc(StrictDoc):
    type: Literal["static"]
    static: StaticChunkingDoc = Field(default_factory=StaticChunkingDoc)


ChunkingDoc = Annotated[AutoChunkingDoc | StaticChunkingStrategyDoc, Field(discriminator="type")]
# What the service chunks with when asked for `auto` (and what it reports then): no need to say it.
DEFAULT_CHUNKING = StaticChunkingStrategyDoc(type="static").model_dump()


class AgentFileSearchDoc(ToolDoc):
    type: Literal["file_search"]
    files: list[str] = Field(
        description="Knowledge files (at least one), relative to this manifest: gathered into "
        "a vector store named after the hash of their contents."
    )
    max_num_results: int | None = Field(None, ge=1, le=50)
    chunking: ChunkingDoc | None = Field(
        None, description="How the files are split (default: the service's, auto)."
    )


@dataclass(frozen=True)
class FileSearch:
    files: tuple[str, ...]  # SHA-256 of each knowledge file
    max_num_results: int | None = None
    chunking: dict[str, Any] | None = None

    type = "file_search"

    def essence(self, files: dict[str, DesiredFile]) -> Wire:
        stores = [k.name for k in self.knowledge()]
        search: Wire = {"type": "file_search", "vector_store_ids": stores}
        if self.max_num_results is not None:
            search["max_num_results"] = self.max_num_results
        return search

    def knowledge(self) -> tuple[Knowledge, ...]:
        return (Knowledge(self.files, self.chunking),) if self.files else ()


class FileSearchType(ToolBase):
    name = "file_search"
    doc = AgentFileSearchDoc
    single = True  # one store per agent
    computed = ("max_num_results",)  # no source pins its default down

    def check(self, doc: AgentFileSearchDoc, checks: Checks, seen: set[str]) -> list[Problem]:
        problems: list[Problem] = []
        if not doc.files:
            problems.append((("files",), "file_search needs at least one knowledge file in files"))
        if isinstance(doc.chunking, StaticChunkingStrategyDoc):
            static = doc.chunking.static
            if static.chunk_overlap_tokens > static.max_chunk_size_tokens // 2:
                at = ("chunking", "static", "chunk_overlap_tokens")
                message = (
                    f"chunk_overlap_tokens {static.chunk_overlap_tokens} is more than half of "
                    f"max_chunk_size_tokens {static.max_chunk_size_tokens}"
                )
                problems.append((at, message))
        return problems + listed_twice(doc.files)

    def desired(self, doc: AgentFileSearchDoc, resolve: Resolve) -> FileSearch:
        files = resolve(doc.files, ("files",), KNOWLEDGE_MAX, READS)
        chunking = None if doc.chunking is None else doc.chunking.model_dump()
        return FileSearch(files, doc.max_num_results, chunking)

    def with_ids(self, tool: Wire, ids: Mapping[str, str]) -> Wire:
        return {**tool, "vector_store_ids": [ids.get(n, n) for n in tool["vector_store_ids"]]}

    def named(self, tool: Wire, names: Names) -> Wire:
        stores = [names.stores.get(i, i) for i in tool.get("vector_store_ids", [])]
        return {**present(tool), "vector_store_ids": stores}

    def references(self, tool: Wire) -> set[str]:
        return {f"vector_store.{n}" for n in tool.get("vector_store_ids", [])}

    def held(self, tool: Wire) -> Held:
        return Held(stores=tuple(dict.fromkeys(tool.get("vector_store_ids") or [])))

    def files(self, tool: Wire, drafting: Drafting) -> list[str]:
        """The files of the stores it names, those ever ingested."""
        for key in sorted(set(tool) - SEARCH_KEYS):
            drafting.problems.append(
                f"its file_search {key} cannot be expressed: the manifest format has no place for it"
            )
        found: list[str] = []
        stores = [str(s) for s in tool.get("vector_store_ids") or []]
        for store_id in stores:
            files = drafting.store_files.get(store_id)
            if files is None:
                drafting.problems.append(f"its vector store {store_id} is not in the project")
                continue
            found += _ingested(store_id, files, drafting)
        if len(stores) > 1:
            drafting.notes.append(
                f"{drafting.agent}: the files of its {len(stores)} vector stores become one "
                "knowledge store"
            )
        present_ = [s for s in stores if s in drafting.store_files]
        if present_ and not found:
            drafting.problems.append(
                f"no vector store it searches ({', '.join(present_)}) holds an ingested file, "
                "and a manifest's file_search declares at least one"
            )
        return list(dict.fromkeys(found))

    def draft(self, tool: Wire, paths: Mapping[str, str], drafting: Drafting) -> dict[str, Any]:
        ids = [str(f["id"]) for f in _searched(tool, drafting)]
        written: dict[str, Any] = {
            "type": "file_search",
            "files": [paths[i] for i in dict.fromkeys(ids) if i in paths],
        }
        if tool.get("max_num_results") is not None:
            written["max_num_results"] = tool["max_num_results"]
        if (chunking := _chunking(tool, drafting)) is not None:
            written["chunking"] = chunking
        return written

    def migrate(self, v1: V1Tools) -> list[dict[str, Any]]:
        """v1 retrieval reads the assistant's files; file search only those it can read."""
        if "retrieval" not in v1.types:
            return []
        readable = [
            f for f in v1.files if PurePosixPath(f).suffix.lower().removeprefix(".") in READS
        ]
        for path in v1.files:
            if path not in readable:
                v1.notes.append(f"file {path!r} is not knowledge: file_search cannot read it")
        if not readable:
            v1.notes.append("retrieval had no file file_search can read: no file_search tool")
            return []
        return [{"type": "file_search", "files": readable}]


def _searched(tool: Wire, drafting: Drafting) -> list[dict[str, Any]]:
    """The ingested files of the stores it names."""
    return [
        f
        for store_id in tool.get("vector_store_ids") or []
        for f in drafting.store_files.get(str(store_id), [])
        if f.get("status") not in LEFT_OUT
    ]


def _ingested(store_id: str, files: list[dict[str, Any]], drafting: Drafting) -> list[str]:
    kept = [str(f["id"]) for f in files if f.get("status") not in LEFT_OUT]
    store = f"{drafting.stores[store_id].get('name') or ''!r} ({store_id})"
    for dropped in (f for f in files if f.get("status") in LEFT_OUT):
        file_id = str(dropped["id"])
        what = "failed ingestion" if dropped.get("status") == "failed" else "was cancelled"
        drafting.notes.append(
            f"{drafting.agent}: its file {drafting.filenames.get(file_id, '?')!r} "
            f"({file_id}) in vector store {store} {what}: left out of its knowledge (it "
            "was never searchable)"
        )
    return kept


def _chunking(tool: Wire, drafting: Drafting) -> dict[str, Any] | None:
    """The stores' chunking, when the service's default would not give the same chunks."""
    strategies = [
        f["chunking_strategy"]
        for f in _searched(tool, drafting)
        if isinstance(f.get("chunking_strategy"), dict)
    ]
    used = Counter(json.dumps(s, sort_keys=True) for s in strategies)
    if not used:
        return None
    key = used.most_common(1)[0][0]
    commonest = next(s for s in strategies if json.dumps(s, sort_keys=True) == key)
    if len(used) > 1:
        drafting.notes.append(
            f"{drafting.agent}: its knowledge files were chunked {len(used)} ways; the "
            f"manifest takes the commonest for all: {json.dumps(commonest)}"
        )
    if commonest.get("type") != "static" or commonest == DEFAULT_CHUNKING:
        return None
    return dict(commonest)
