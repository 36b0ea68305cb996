"""Pure: a Plan as text (like Terraform), JSON, or Markdown for a pull-request comment."""

from __future__ import annotations

import difflib
import json
from typing import Any

from reconciler.plan_types import FieldChange, Plan, ResourceChange

SYMBOLS = {"create": "+", "update": "~", "delete": "-", "no-op": " "}
VERBS = {
    "create": "created",
    "update": "updated in-place",
    "delete": "destroyed",
    "no-op": "unchanged",
}
COLOURS = {"create": "32", "update": "33", "delete": "31", "no-op": "0"}
NO_CHANGES = "No changes. The live objects match the manifests."


def summary(plan: Plan) -> str:
    counts = plan.counts()
    if not plan.actionable:
        return NO_CHANGES
    return f"Plan: {counts['create']} to add, {counts['update']} to change, {counts['delete']} to destroy."


def render_json(plan: Plan) -> str:
    return plan.model_dump_json(indent=2)


def render_text(plan: Plan, colour: bool = False) -> str:
    if not plan.actionable:
        return NO_CHANGES + "\n"
    paint = _painter(colour)
    lines = [f"reconciler will perform these actions on {plan.project}/{plan.environment}:", ""]
    for change in plan.actionable:
        reason = f" ({change.reason})" if change.reason else ""
        lines.append(f"  # {change.address} will be {VERBS[change.action]}{reason}")
        lines.append(paint(change.action, f"  {SYMBOLS[change.action]} {change.address}"))
        lines += [paint(change.action, line) for line in _body(change)]
        lines.append("")
    lines.append(summary(plan))
    return "\n".join(lines) + "\n"


def _painter(colour: bool) -> Any:
    def paint(action: str, text: str) -> str:
        return f"\033[{COLOURS[action]}m{text}\033[0m" if colour and action != "no-op" else text

    return paint


def _body(change: ResourceChange) -> list[str]:
    if change.action == "update":
        return [line for field in change.diff for line in _field(field)]
    values = change.after if change.action == "create" else change.before
    lines: list[str] = []
    for key, value in (values or {}).items():
        if isinstance(value, str) and "\n" in value.rstrip("\n"):
            lines += [
                f"      {key}: <<EOT",
                *(f"        {line}" for line in value.splitlines()),
                "      EOT",
            ]
        elif value not in (None, [], {}):
            lines.append(f"      {key}: {_show(value)}")
    return lines


def _field(change: FieldChange) -> list[str]:
    symbol = {"add": "+", "remove": "-", "change": "~"}[change.op]
    if (
        isinstance(change.old, str)
        and isinstance(change.new, str)
        and "\n" in change.old + change.new
    ):
        diff = difflib.unified_diff(
            change.old.splitlines(), change.new.splitlines(), "before", "after", lineterm=""
        )
        return [f"      {symbol} {change.path}:", *(f"          {line}" for line in diff)]
    if change.op == "add":
        return [f"      + {change.path}: {_show(change.new)}"]
    if change.op == "remove":
        return [f"      - {change.path}: {_show(change.old)}"]
    return [f"      ~ {change.path}: {_show(change.old)} -> {_show(change.new)}"]


def _show(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False, sort_keys=True)


def render_markdown(plan: Plan) -> str:
    lines = [f"### reconciler plan for `{plan.project}/{plan.environment}`", "", summary(plan)]
    if not plan.actionable:
        return "\n".join(lines) + "\n"
    lines += ["", "| action | address | reason |", "|---|---|---|"]
    lines += [f"| {c.action} | `{c.address}` | {c.reason} |" for c in plan.actionable]
    lines += ["", "<details><summary>Details</summary>", "", "```diff"]
    for change in plan.actionable:
        lines.append(f"{SYMBOLS[change.action]} {change.address}")
        lines += _body(change)
    lines += ["```", "", "</details>"]
    return "\n".join(lines) + "\n"


RENDERERS = {"text": render_text, "json": render_json, "markdown": render_markdown}
