"""Pure: a Plan as text (like Terraform), JSON, or Markdown for a pull-request comment."""

from __future__ import annotations

import difflib
import json
from typing import Any

from reconciler.core.plan_types import FieldChange, Plan, ResourceChange

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
        return NO_CHANGES + "\n" + _notes(plan)
    paint = _painter(colour)
    lines = [f"reconciler will perform these actions on {plan.project}/{plan.environment}:", ""]
    for change in plan.actionable:
        reason = f" ({change.reason})" if change.reason else ""
        lines.append(f"  # {change.address} will be {VERBS[change.action]}{reason}")
        lines.append(paint(change.action, f"  {SYMBOLS[change.action]} {change.address}"))
        lines += [paint(change.action, line) for line in _body(change)]
        lines.append("")
    lines.append(summary(plan))
    if plan.targets:
        lines.append(partial_note(plan))
    return "\n".join(lines) + "\n" + _notes(plan)


def _notes(plan: Plan) -> str:
    return "".join(f"Note: {note}\n" for note in plan.notes)


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


MARKDOWN_LIMIT = 60_000  # GitHub refuses comments over 65,536 characters
_RESERVE = 400  # room for the notes that say what was left out


def partial_note(plan: Plan) -> str:
    return f"This plan is partial: only {', '.join(plan.targets)} (--target); other assistants were not compared."


def render_markdown(plan: Plan) -> str:
    """A pull-request comment: a table, then each change in a collapsible section, under the limit."""
    head = [f"### reconciler plan for `{plan.project}/{plan.environment}`", "", summary(plan)]
    if plan.notes:
        head += ["", *(f"> Note: {_cell(note)}" for note in plan.notes)]
    if plan.targets:
        head += ["", f"> {partial_note(plan)}"]
    if not plan.actionable:
        return "\n".join(head) + "\n"
    budget = MARKDOWN_LIMIT - _RESERVE - len("\n".join(head))
    rows, budget = _fit(
        [f"| {c.action} | `{c.address}` | {_cell(c.reason)} |" for c in plan.actionable], budget
    )
    table = ["", "| action | address | reason |", "|---|---|---|", *rows]
    if len(rows) < len(plan.actionable):
        table.append(
            f"| ... | {len(plan.actionable) - len(rows)} more | see the saved plan (JSON) |"
        )
    sections, _ = _fit([_section(c) for c in plan.actionable], budget)
    notes = []
    if len(sections) < len(plan.actionable):
        left = len(plan.actionable) - len(sections)
        notes = [
            "",
            f"_Details of {left} change(s) left out to stay under {MARKDOWN_LIMIT:,} characters; "
            "the saved plan (JSON) has them all._",
        ]
    return "\n".join([*head, *table, "", *sections, *notes]).rstrip("\n") + "\n"


def _fit(parts: list[str], budget: int) -> tuple[list[str], int]:
    kept: list[str] = []
    for part in parts:
        if len(part) + 1 > budget:
            break
        kept.append(part)
        budget -= len(part) + 1
    return kept, budget


def _cell(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")


def _section(change: ResourceChange) -> str:
    summary_line = f"<code>{SYMBOLS[change.action]} {change.address}</code> {VERBS[change.action]}"
    body = "\n".join(_diff_lines(change))
    return f"<details><summary>{summary_line}</summary>\n\n```diff\n{body}\n```\n\n</details>\n"


def _diff_lines(change: ResourceChange) -> list[str]:
    """Lines a `diff` code block colours: + added, - removed; changed fields as both."""
    if change.action != "update":
        sign = "+" if change.action == "create" else "-"
        return [f"{sign} {line.removeprefix('      ')}" for line in _body(change)]
    lines: list[str] = []
    for field in change.diff:
        if (
            isinstance(field.old, str)
            and isinstance(field.new, str)
            and "\n" in field.old + field.new
        ):
            lines.append(f"  {field.path}:")
            lines += list(
                difflib.unified_diff(
                    field.old.splitlines(), field.new.splitlines(), lineterm="", n=2
                )
            )[2:]
            continue
        if field.op != "add":
            lines.append(f"- {field.path}: {_show(field.old)}")
        if field.op != "remove":
            lines.append(f"+ {field.path}: {_show(field.new)}")
    return lines


RENDERERS = {"text": render_text, "json": render_json, "markdown": render_markdown}
