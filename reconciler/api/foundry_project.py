"""What a Foundry project answers about what the environment gives it (its connections and its
model deployments), checked before it is trusted, as foundry_responses.py checks agents."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

from reconciler.core.kinds.connection import LiveConnection
from reconciler.core.kinds.deployment import LiveDeployment
from reconciler.errors import ResponseError

T = TypeVar("T")


def parse_connection(item: dict[str, Any]) -> LiveConnection:
    return _checked(
        "connection",
        lambda: LiveConnection(
            name=_text(item, "name"),
            id=_text(item, "id"),
            type=str(item.get("type") or ""),
            target=str(item.get("target") or ""),
        ),
    )


def parse_deployment(item: dict[str, Any]) -> LiveDeployment:
    return _checked(
        "deployment",
        lambda: LiveDeployment(
            name=_text(item, "name"),
            model_name=str(item.get("modelName") or ""),
            model_version=str(item.get("modelVersion") or ""),
            model_publisher=str(item.get("modelPublisher") or ""),
        ),
    )


def _checked(what: str, parse: Callable[[], T]) -> T:
    try:
        return parse()
    except (KeyError, TypeError, ValueError) as error:
        why = f"no {error}" if isinstance(error, KeyError) else str(error)
        raise ResponseError(
            f"the endpoint sent a {what} that does not match the API ({why})"
        ) from None


def _text(item: dict[str, Any], key: str) -> str:
    value = item[key]
    if not isinstance(value, str) or not value:
        raise ValueError(f"{key} is not a string")
    return value
