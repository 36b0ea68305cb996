"""The Plan: plain, versioned data that every renderer and the applier read, and nothing else."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Annotated, Any, ClassVar, Literal

from pydantic import BaseModel, ConfigDict, SkipValidation, field_validator

FORMAT_VERSION = 2
Action = Literal["create", "update", "delete", "no-op"]
Mode = Literal["normal", "destroy"]
Op = Literal["add", "remove", "change"]


class Frozen(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, defer_build=True)


# The plan's many small records are slotted dataclasses rather than models: a plan of 10,000
# unchanged assistants holds 10,000 changes, and a model instance costs six times the memory
# (a __dict__ and a set of the fields it was given). Pydantic still validates them, with the
# same rules, whenever a Plan is validated (a saved plan), and serialises them as before.
FORBID = ConfigDict(extra="forbid")


@dataclass(frozen=True, slots=True, kw_only=True)
class FieldChange:
    __pydantic_config__: ClassVar[ConfigDict] = FORBID
    op: Op
    path: str
    old: Any = None
    new: Any = None


# A resource's essence as the plan holds it: kept as given, not copied (a plan of 10,000
# unchanged assistants would hold a second copy of each), and checked to be an object.
Essence = Annotated[dict[str, Any] | None, SkipValidation]

# Why a change is in the plan, as a stable keyword that policies and dashboards can read:
# new (declared, absent), drift (live differs), adopt (import_id takes over an unmanaged object),
# duplicate (a second live object claims the name), orphan (our upload nothing uses), removed
# (no manifest declares it), moved (a rename keeps the live object), destroy (destroy mode),
# protected (kept although nothing declares it: its live marks protect it), ingesting (a store
# still ingesting since an earlier apply: apply waits for it), retention (an older version
# beyond lifecycle.retention).
ActionReason = Literal[
    "new",
    "drift",
    "adopt",
    "duplicate",
    "orphan",
    "removed",
    "moved",
    "destroy",
    "protected",
    "ingesting",
    "retention",
]


@dataclass(frozen=True, slots=True, kw_only=True)
class ResourceChange:
    __pydantic_config__: ClassVar[ConfigDict] = FORBID
    address: str  # assistant.support-bot, file.faq.sha256-3f9a2c1e77b0.md
    kind: str  # a registered kind (core/kinds/registry.py)
    name: str  # the logical name (assistants) or the upload name (files)
    action: Action
    action_reason: ActionReason | None = None  # None for a no-op
    importing: bool = False  # an adoption: the live object carries no marks yet
    duplicate_of: str | None = None  # the id of the live object that is kept instead
    id: str | None = None  # the live object's API id, when there is one
    version: str | None = None  # the live object's version, for kinds that have them (agents)
    before: Essence = None
    after: Essence = None
    diff: list[FieldChange] = field(default_factory=list)
    reason: str = ""

    @field_validator("before", "after")
    @classmethod
    def _an_object(cls, value: Any) -> Any:
        if value is not None and not isinstance(value, dict):
            raise ValueError("Input should be a valid dictionary")  # pydantic's own words
        return value


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
    # Upload name -> id of the files the plan's creates and updates point at and that were on
    # the endpoint at plan time: the applier needs their ids. Nothing else of the endpoint.
    files: dict[str, str] = {}
    notes: list[str] = []  # what the reviewer should know that is not a change
    # Ids of uploads that look like ours but were neither attached by us nor read back: the
    # engine reads their content and plans again, so the plan it shows has this empty.
    unverified: list[str] = []
    # Ids of vector stores whose files must be listed before this plan may delete any file, and
    # `agent.<name>` for agents whose versions must be: the engine lists them and plans again, as
    # for unverified uploads.
    unread: list[str] = []
    fingerprints: Fingerprints = Fingerprints()

    @property
    def actionable(self) -> list[ResourceChange]:
        return [change for change in self.changes if change.action != "no-op"]

    def counts(self) -> dict[str, int]:
        counts = {"create": 0, "update": 0, "delete": 0}
        for change in self.actionable:
            counts[change.action] += 1
        return counts
