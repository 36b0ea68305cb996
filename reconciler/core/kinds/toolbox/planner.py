"""The planning of the toolbox kind: what a plan does with each declared and each live toolbox.

A declared toolbox is compared with the version its `default_version` names (what the agents
that use it get). A difference makes one new version and moves `default_version` to it, unless
the latest version, of ours, already holds the declared definition (an apply stopped between
the two calls, or the pointer was moved back by hand): then only the pointer moves. No change,
no version: azd makes one per deploy, a plan only on a real change.

Ownership is the default version's marks, as an agent's latest version's. A toolbox of ours
that no manifest declares is deleted (with all its versions), unless its marks protect it, or
an agent version of any owner still uses it after the plan (invariant 3): what agents reference
is told by the agent kind (`refs(toolbox)`: `after`, names; `wanted`, by the plan's writes);
while the versions of some agent are not read, nothing is deleted before they are.
"""

from __future__ import annotations

from typing import Any

from reconciler.core.diff import field_changes
from reconciler.core.kinds.base import PlanContext
from reconciler.core.kinds.file import NAME as FILE
from reconciler.core.kinds.toolbox.essence import (
    desired_essence,
    live_essence,
    live_names,
)
from reconciler.core.kinds.toolbox.types import DESIRED, LIVE, NAME, DesiredToolbox, LiveToolbox
from reconciler.core.kinds.vector_store import NAME as STORE
from reconciler.core.marks import read_marks
from reconciler.core.plan_types import ActionReason, ResourceChange
from reconciler.core.tools.registry import held, tool_type
from reconciler.errors import PlanError


def next_version(version: str) -> str:
    return str(int(version) + 1) if version.isdigit() else "next"


def tool_references(essence: dict[str, Any]) -> set[str]:
    return set().union(*(tool_type(t).references(t) for t in essence.get("tools") or []))


class Planner:
    def __init__(self, context: PlanContext) -> None:
        self.context = context
        self.refs = context.refs(NAME)
        self.live = {t.name: t for t in context.live.of(LIVE)}
        self.names = live_names(context.live)

    def run(self) -> None:
        destroy = self.context.mode == "destroy"
        declared = {} if destroy else {t.name: t for t in self.context.desired.of(DESIRED)}
        for desired in declared.values():
            if self.context.targeted(desired.name):
                self.upsert(desired)
        self.removals(set(declared))
        self.resolve(set(declared))
        self.holdings()

    def essence(self, version: Any) -> dict[str, Any]:
        return live_essence(version, self.names)

    def upsert(self, desired: DesiredToolbox) -> None:
        context = self.context
        after = desired_essence(desired, context.owner, context.desired.files)
        live = self.live.get(desired.name)
        address = f"{NAME}.{desired.name}"
        self.connections(after, address)
        if live is None:
            reason = "declared, not on the endpoint: version 1"
            context.add(
                ResourceChange(
                    address=address,
                    kind=NAME,
                    name=desired.name,
                    action="create",
                    action_reason="new",
                    after=after,
                    reason=reason,
                )
            )
            return
        claim = self.claim(desired, live)
        before = self.essence(live.default)
        diff = field_changes(before, after)
        context.add(
            ResourceChange(
                address=address,
                kind=NAME,
                name=desired.name,
                action="update" if diff else "no-op",
                action_reason=claim if diff else None,
                importing=claim == "adopt",
                id=live.name,
                version=live.default.version,
                before=before,
                after=after,
                diff=diff,
                reason=self.versions(live, after) if diff else "",
            )
        )

    def versions(self, live: LiveToolbox, after: dict[str, Any]) -> str:
        """What apply does: which version default_version moves to, and whether it is new."""
        default, latest = live.default.version, live.latest.version
        if latest != default and self.reusable(live, after):
            return (
                f"default_version {default} -> {latest}: version {latest} already holds this "
                "definition, no new version"
            )
        return f"new version ({latest} -> {next_version(latest)}), default_version moves to it"

    def reusable(self, live: LiveToolbox, after: dict[str, Any]) -> bool:
        marks = read_marks(live.latest.metadata)
        ours = marks is not None and marks.owner == self.context.owner
        return ours and not field_changes(self.essence(live.latest), after)

    def claim(self, desired: DesiredToolbox, live: LiveToolbox) -> ActionReason:
        marks = read_marks(live.default.metadata)
        owner = self.context.owner
        if marks is not None and marks.owner == owner and marks.name == desired.name:
            return "drift"
        if marks is None and desired.import_id == live.name:
            return "adopt"
        if marks is None:
            raise PlanError(
                f"{NAME}.{desired.name}: the default version ({live.default.version}) of toolbox "
                f"{live.name} carries no marks of ours (made by hand, or in the portal?): refusing "
                f"to overwrite it. To take it over, set import_id: {live.name} in the manifest."
            )
        raise PlanError(
            f"{NAME}.{desired.name}: toolbox {live.name} belongs to {marks.owner}. Toolbox names "
            "are unique in a project: give each environment its own (name: ...-${env.name})."
        )

    def removals(self, declared: set[str]) -> None:
        protected = {t.name for t in self.context.desired.of(DESIRED) if t.prevent_destroy}
        for live in sorted(self.live.values(), key=lambda t: t.name):
            marks = read_marks(live.default.metadata)
            if marks is None or marks.owner != self.context.owner or live.name in declared:
                continue
            if not self.context.targeted(live.name):
                continue
            if marks.protected or live.name in protected:
                raise PlanError(
                    f"{NAME}.{live.name} has lifecycle.prevent_destroy set on the live object: "
                    "refusing to plan its deletion. To release it, apply its manifest with "
                    "prevent_destroy: false first."
                )
            if self.context.unread:  # what older agent versions use is not known yet
                self.context.to_read |= self.context.unread
                continue
            if live.name in self.refs.after or live.name in self.refs.wanted:
                self.context.notes.append(
                    f"{NAME}.{live.name} is not declared any more, but an agent version still "
                    "uses it: kept until nothing does (then a plan deletes it)."
                )
                continue
            self.delete(live)

    def delete(self, live: LiveToolbox) -> None:
        destroy = self.context.mode == "destroy"
        self.context.add(
            ResourceChange(
                address=f"{NAME}.{live.name}",
                kind=NAME,
                name=live.name,
                action="delete",
                action_reason="destroy" if destroy else "removed",
                id=live.name,
                version=live.default.version,
                before=self.essence(live.default),
                reason="destroy removes everything the environment owns, with all its versions"
                if destroy
                else "no manifest declares it any more: deleted with all its versions",
            )
        )

    def resolve(self, declared: set[str]) -> None:
        """Each toolbox the plan's agents use: declared, or on the endpoint (anyone's); its MCP
        endpoint is what their tools point at (plan.files, by the toolbox's name)."""
        environment = self.context.desired.environment.name
        for name, wanted in sorted(self.refs.wanted.items()):
            live = self.live.get(name)
            if live is not None:
                self.context.relied[name] = live.mcp_url
            elif name in declared and not self.context.targeted(name):
                users = ", ".join(sorted(wanted.get("by", []))) or "an agent"
                raise PlanError(
                    f"{users} uses toolbox {name!r}, which is not on the endpoint yet: target "
                    f"{NAME}.{name} too (--target {name})."
                )
            elif name not in declared:
                users = ", ".join(sorted(wanted.get("by", []))) or "an agent"
                raise PlanError(
                    f"{users} uses toolbox {name!r}, which no manifest declares and the project "
                    f"of environment {environment!r} does not hold. Declare it (kind: Toolbox), "
                    "or correct the name."
                )

    def connections(self, after: dict[str, Any], address: str) -> None:
        """The project connections the toolbox's tools name: the connection kind resolves them."""
        for reference in sorted(tool_references(after)):
            kind, _, name = reference.partition(".")
            users = self.context.refs(kind).wanted.setdefault(name, {"by": []})["by"]
            if address not in users:
                users.append(address)

    def holdings(self) -> None:
        """Uploads and stores a live toolbox's tools hold stay while it holds them."""
        deleted = {c.name for c in self.context.of_kind(NAME) if c.action == "delete"}
        uploads, knowledge = self.context.refs(FILE), self.context.refs(STORE)
        for live in self.live.values():
            for version in (live.default, live.latest):
                holds = held({"tools": list(version.tools)})
                uploads.now.update(holds.files)
                if live.name not in deleted:
                    uploads.after.update(holds.files)
                    knowledge.after.update(holds.stores)
