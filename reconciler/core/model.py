"""Types shared by the stages: environments, declared files and the v1 objects (locations and
diagnostics are reconciler/diagnostics.py's).

Pure data: no I/O, no HTTP, no YAML. Objects are addressed by their logical name
(``assistant.support-bot``); API ids belong to the live side only.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Literal, TypeVar

Path = tuple[str | int, ...]
T = TypeVar("T")
KEY = "<key>"  # last element of a path that means the mapping key itself, not its value


@dataclass(frozen=True)
class DesiredFile:
    """A declared file, known by its content: the same bytes are one file wherever declared."""

    path: str  # relative to the project directory, with forward slashes
    sha256: str
    size: int
    upload_name: str  # e.g. faq.3f9a2c1e77b0.md


@dataclass(frozen=True)
class Environment:
    name: str
    endpoint: str  # a URL, or "local" for the bundled emulator
    api_version: str
    api_key_env: (
        str | None
    )  # None: the SDK's defaults, AZURE_OPENAI_API_KEY then AZURE_OPENAI_AD_TOKEN
    ad_token_env: str | None
    auth: Literal["key", "token", "entra"] | None = None  # None: as the variables imply
    api: Literal["assistants", "foundry"] = "assistants"  # the dialect: API family served there


class SharedTools:
    """One dict for each distinct tool definition: a fleet repeats the same few functions, and
    as nested dicts a function's schema takes a few KB, held once per assistant otherwise."""

    def __init__(self) -> None:
        self._seen: dict[str, dict[str, Any]] = {}
        self._written: dict[str, dict[str, Any]] = {}

    def share(self, tool: dict[str, Any]) -> dict[str, Any]:
        # Key order too: shown as it came. repr, not json.dumps: a third of the time, and as
        # strict (stricter: True, 1 and "1" stay apart, and so do keys 1 and "1").
        return self._seen.setdefault(repr(tool), tool)

    def share_written(self, written: Any, dump: Callable[[], dict[str, Any]]) -> dict[str, Any]:
        """share(dump()), dumped once for each distinct tool as a manifest wrote it (plain
        data): the dump of a validated tool follows from what was written, and dumping a
        model each time cost more than the rest of sharing it."""
        key = repr(written)
        shared = self._written.get(key)
        if shared is None:
            shared = self._written[key] = self.share(dump())
        return shared


class SharedValues:
    """One copy of each string that many objects repeat (a model, a metadata value, a file id):
    each parsed YAML or JSON string is a copy of its own, some 55 bytes for the shortest, and
    10,000 assistants repeat a few values tens of thousands of times. Held by whoever makes the
    objects, for as long as it makes them."""

    def __init__(self) -> None:
        self._seen: dict[str, str] = {}

    def share(self, value: T) -> T:
        """The copy of `value` held already, if it is a string; else `value`, as it came."""
        if not isinstance(value, str):
            return value
        return self._seen.setdefault(value, value)  # type: ignore[return-value]  # T is str
