"""The Plan: plain, versioned data that every renderer and the applier read, and nothing else."""

from __future__ import annotations

from typing import Any, Literal

from pydantic import BaseModel, ConfigDict

FORMAT_VERSION = 1
Action = Literal["create", "update", "delete", "no-op"]
Mode = Literal["normal", "destroy"]
Kind = Literal["assistant", "file"]


class Frozen(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class FieldChange(Frozen):
    op: Literal["add", "remove", "change"]
    path: str
    old: Any = None
    new: Any = None


class ResourceChange(Frozen):
    address: str  # assistant.support-bot, file.faq.3f9a2c1e77b0.md
    kind: Kind
    action: Action
    id: str | None = None  # the live object's API id, when there is one
    before: dict[str, Any] | None = None
    after: dict[str, Any] | None = None
    diff: list[FieldChange] = []
    reason: str = ""


class Fingerprints(Frozen):
    """What the plan was made from: a saved plan is applied only while these still hold."""

    manifests: str = ""  # SHA-256 of the resolved desired state
    live: dict[str, str] = {}  # per live object the plan depends on (fingerprint.py)


class Plan(Frozen):
    format_version: int = FORMAT_VERSION
    mode: Mode = "normal"
    project: str
    environment: str
    endpoint: str = ""  # "local" or the URL; never a credential
    directory: str = "."  # the project directory, as given to plan
    targets: list[str] = []  # a partial plan names its targets
    has_changes: bool = False
    changes: list[ResourceChange]
    # Upload name -> id of every file the endpoint held at plan time, so the applier can point
    # assistants at files it did not upload itself.
    files: dict[str, str] = {}
    fingerprints: Fingerprints = Fingerprints()

    @property
    def actionable(self) -> list[ResourceChange]:
        return [change for change in self.changes if change.action != "no-op"]

    def counts(self) -> dict[str, int]:
        counts = {"create": 0, "update": 0, "delete": 0}
        for change in self.actionable:
            counts[change.action] += 1
        return counts
