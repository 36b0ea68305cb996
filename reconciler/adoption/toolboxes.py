"""`import` for Foundry toolboxes: the project's toolboxes no project manages, listed, and
drafted as `kind: Toolbox` manifests from the version their `default_version` names (what the
agents that use them get). The next apply adopts each: a new version carrying the ownership
marks (the same tools), made the default.

Each tool is drafted by its agent tool type (core/tools/), the toolbox's `name` and
`description` kept beside it; a type a toolbox takes that no module types is written verbatim.
Listing costs the toolboxes list (and a GET of each default version that is not the latest).
"""

from __future__ import annotations

from collections.abc import Mapping
from functools import cached_property
from typing import Any

from reconciler.adoption.draft import Draft, Target, refuse_if, render, user_metadata, validated
from reconciler.adoption.listing import Entry, select, shown, unmanaged_listing, when
from reconciler.api.dialects.foundry_toolboxes import read_toolboxes
from reconciler.api.foundry_client import FoundryClient
from reconciler.config.toolbox_doc import TOOLBOX_TYPES, toolbox_doc
from reconciler.core.kinds.toolbox import LiveToolbox
from reconciler.core.tools.base import Drafting
from reconciler.core.tools.registry import TOOL_TYPES, tool_type

HEADER = ("NAME", "DEFAULT", "LATEST", "TOOLS", "UPDATED (UTC)")
DRAFT_HEADER = (
    "# Written by `reconciler import`: the next apply adopts the toolbox that import_id names\n"
    "# (a new version carrying the ownership marks, made the default) instead of creating one.\n"
)
TOOLBOX_FIELDS = ("name", "description")


class Toolboxes:
    noun = "toolbox"

    def __init__(self, client: FoundryClient, target: Target) -> None:
        self.client, self.target = client, target

    @cached_property
    def live(self) -> tuple[LiveToolbox, ...]:
        return read_toolboxes(self.client)

    def entries(self) -> list[Entry]:
        return [Entry(t.name, t.name, t.default.metadata, _row(t)) for t in self.live]

    def listing(self, directory: Any) -> list[str]:
        return unmanaged_listing(self.entries(), HEADER, self.noun, self.target, directory)

    def drafts(self, selections: tuple[str, ...]) -> list[Draft]:
        by_name = {t.name: t for t in self.live}
        chosen = select(self.entries(), selections, self.target, self.noun)
        drafts, problems = [], []
        for name in chosen:
            draft, found = draft_toolbox(by_name[name], self.target)
            drafts.append(draft)
            problems += [f"toolbox {name}: {message}" for message in found]
        refuse_if(problems)
        return drafts


def _row(toolbox: LiveToolbox) -> tuple[str, ...]:
    return (
        shown(toolbox.name),
        shown(toolbox.default.version),
        shown(toolbox.latest.version),
        str(len(toolbox.default.tools)),
        when(toolbox.latest.created_at),
    )


def draft_toolbox(toolbox: LiveToolbox, target: Target) -> tuple[Draft, list[str]]:
    draft = Draft(toolbox.name, toolbox.name)
    if (manifest_file := target.declared.get(toolbox.name)) is not None:
        return draft, [f"{manifest_file} declares it already: set import_id: {toolbox.name} there"]
    version = toolbox.default
    manifest: dict[str, Any] = {"kind": "Toolbox", "name": toolbox.name}
    if version.description:
        manifest["description"] = version.description
    drafting = Drafting(toolbox.name, {}, {}, {})
    manifest["tools"] = [_tool(tool, drafting) for tool in version.tools]
    skills = [{k: v for k, v in s.items() if k != "type" and v is not None} for s in version.skills]
    if skills:
        manifest["skills"] = skills
    rai = (version.policies or {}).get("rai_config")
    if rai:
        manifest["rai_config"] = {k: v for k, v in rai.items() if v is not None}
    if metadata := user_metadata(draft, version.metadata):
        manifest["metadata"] = metadata
    manifest["import_id"] = {target.environment.name: toolbox.name}
    draft.manifest = manifest
    draft.notes += drafting.notes
    doc, problems = validated(toolbox_doc(), draft)
    problems = drafting.problems + problems
    if doc is not None and not problems:
        draft.text = render(manifest, DRAFT_HEADER)
    return draft, problems


def _tool(tool: Mapping[str, Any], drafting: Drafting) -> dict[str, Any]:
    """A tool in the manifest's shape: by its type where a toolbox takes it typed, else
    verbatim; the toolbox's own name and description beside it."""
    own = {k: tool[k] for k in TOOLBOX_FIELDS if tool.get(k) is not None}
    rest = {k: v for k, v in tool.items() if k not in TOOLBOX_FIELDS}
    kind = tool_type(rest)
    if kind.name not in TOOLBOX_TYPES or kind.name not in TOOL_TYPES:
        return {"type": "verbatim", "tool": dict(tool)}
    return {**kind.draft(rest, {}, drafting), **own}
