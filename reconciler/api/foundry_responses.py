"""What a Foundry project answers, checked before it is trusted (as responses.py does for v1):
an agent or a vector store that does not match the API is a ResponseError, never an error deep
inside the planner."""

from __future__ import annotations

from typing import Any

from reconciler.core.kinds.agent.types import LiveAgent
from reconciler.core.kinds.vector_store import LiveVectorStore
from reconciler.errors import ResponseError


def parse_agent(item: dict[str, Any]) -> LiveAgent:
    """An agent as its latest version says (`versions.latest`)."""
    try:
        return _version(item["versions"]["latest"], item["name"])
    except (KeyError, TypeError, ValueError) as error:
        raise ResponseError(
            f"the endpoint sent an agent that does not match the API ({_why(error)})"
        ) from None


def parse_version(item: dict[str, Any], name: str) -> LiveAgent:
    """One version of agent `name`, as the versions list serves it."""
    try:
        return _version(item, name)
    except (KeyError, TypeError, ValueError) as error:
        raise ResponseError(
            f"the endpoint sent a version of agent {name} that does not match the API "
            f"({_why(error)})"
        ) from None


def _version(latest: dict[str, Any], name: str) -> LiveAgent:
    definition = latest["definition"]
    if not isinstance(definition, dict):
        raise ValueError("definition is not an object")
    return LiveAgent(
        name=str(latest.get("name") or name),
        version=str(latest["version"]),
        created_at=int(latest["created_at"]),
        description=latest.get("description"),
        definition=definition,
        metadata=_strings(latest.get("metadata")),
    )


def parse_store(item: dict[str, Any], file_ids: tuple[str, ...] | None = None) -> LiveVectorStore:
    try:
        counts = item.get("file_counts") or {}
        return LiveVectorStore(
            id=str(item["id"]),
            name=item.get("name"),
            created_at=int(item["created_at"]),
            status=str(item["status"]),
            metadata=_strings(item.get("metadata")),
            file_ids=file_ids,
            failed=int(counts.get("failed", 0)),
        )
    except (KeyError, TypeError, ValueError) as error:
        raise ResponseError(
            f"the endpoint sent a vector store that does not match the API ({_why(error)})"
        ) from None


def _strings(metadata: Any) -> dict[str, str]:
    if metadata is None:
        return {}
    if not isinstance(metadata, dict) or not all(isinstance(v, str) for v in metadata.values()):
        raise ValueError("metadata is not an object of strings")
    return dict(metadata)


def _why(error: Exception) -> str:
    return f"no {error}" if isinstance(error, KeyError) else str(error)
