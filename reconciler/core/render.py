"""Pure: a Plan as text (like Terraform), JSON, or Markdown for a pull-request comment."""

from __future__ import annotations

import html
import re
from typing import Any

from reconciler.core.plan_types import Plan, ResourceChange
from reconciler.core.rendering.hints import hints_of
from reconciler.core.rendering.lines import (
    Line,
    change_leaves,
    leaf_lines,
    markdown,
    text,
    value_lines,
)
from reconciler.core.rendering.width import DEFAULT_WIDTH, fold, wrap

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


def render_text(plan: Plan, colour: bool = False, width: int = DEFAULT_WIDTH) -> str:
    """Like Terraform's plan; no line of data wider than `width` (rendering/width.py)."""
    if not plan.actionable:
        # A targeted plan compared only its targets: "no changes" must not read as "none anywhere".
        partial = _prose("", partial_note(plan), width) if plan.targets else []
        return "\n".join([NO_CHANGES, *partial, ""]) + _notes(plan, width)
    paint = _painter(colour)
    title = f"reconciler will perform these actions on {plan.project}/{plan.environment}:"
    lines = [*_prose("", title, width), ""]
    for change in plan.actionable:
        reason = f" ({change.reason})" if change.reason else ""
        lines += _prose("  # ", f"{change.address} will be {VERBS[change.action]}{reason}", width)
        lines += [paint(change.action, line) for line in _head(change, width)]
        lines += [paint(change.action, line) for line in body_text(change, width)]
        lines.append("")
    lines.append(summary(plan))
    if plan.targets:
        lines += _prose("", partial_note(plan), width)
    return "\n".join(lines) + "\n" + _notes(plan, width)


def _head(change: ResourceChange, width: int) -> list[str]:
    return fold(f"  {SYMBOLS[change.action]} ", change.address, width)


def _prose(lead: str, text: str, width: int) -> list[str]:
    return wrap(lead, text, width, " " * len(lead) + "  " if lead.strip() == "" else lead + "  ")


def _notes(plan: Plan, width: int = DEFAULT_WIDTH) -> str:
    return "".join(
        f"{line}\n" for note in plan.notes for line in wrap("Note: ", note, width, "      ")
    )


def _painter(colour: bool) -> Any:
    def paint(action: str, text: str) -> str:
        return f"\033[{COLOURS[action]}m{text}\033[0m" if colour and action != "no-op" else text

    return paint


def body_lines(change: ResourceChange, width: int, markdown: bool) -> list[Line]:
    named = hints_of(change.kind)
    if change.action == "update":
        return [
            line
            for leaf in change_leaves(change, named)
            for line in leaf_lines(leaf, named, width, markdown)
        ]
    sign = "+" if change.action == "create" else "-"
    return value_lines(change.after if sign == "+" else change.before, sign, named)


def body_text(change: ResourceChange, width: int = DEFAULT_WIDTH) -> list[str]:
    lines = body_lines(change, width, markdown=False)
    return text(lines, width, signed=change.action == "update")


MARKDOWN_LIMIT = 60_000  # GitHub refuses comments over 65,536 characters
MARKDOWN_WIDTH = DEFAULT_WIDTH  # a comment's code block shows about this many columns
_RESERVE = 400  # room for the notes that say what was left out


def partial_note(plan: Plan) -> str:
    only = ", ".join(plan.targets)
    return (
        f"This plan is partial: only {only} (--target); no other assistant or agent was compared."
    )


def render_markdown(plan: Plan, width: int = MARKDOWN_WIDTH, heading: str = "plan") -> str:
    """A pull-request comment: a table, then each change in a collapsible section, under the limit."""
    title = f"### reconciler {heading} for `{plan.project}/{plan.environment}`"
    head = [title, "", summary(plan)]
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
    sections, _ = _fit([_section(c, width) for c in plan.actionable], budget)
    notes = []
    if len(sections) < len(plan.actionable):
        left = len(plan.actionable) - len(sections)
        notes = [
            "",
            f"_Details of {left} change(s) left out to stay under {MARKDOWN_LIMIT:,} characters; "
            "the saved plan (JSON) has them all._",
        ]
    return "\n".join([*head, *table, "", *sections, *notes]).rstrip("\n") + "\n"


def render_drift(plan: Plan) -> str:
    """`drift --format markdown`: a plan, headed as what it is."""
    return render_markdown(plan, heading="drift")


def _fit(parts: list[str], budget: int) -> tuple[list[str], int]:
    kept: list[str] = []
    for part in parts:
        if len(part) + 1 > budget:
            break
        kept.append(part)
        budget -= len(part) + 1
    return kept, budget


def _cell(text: str) -> str:
    return html.escape(text, quote=False).replace("|", "\\|").replace("\n", " ")


def _section(change: ResourceChange, width: int) -> str:
    address = html.escape(change.address)
    summary_line = f"<code>{SYMBOLS[change.action]} {address}</code> {VERBS[change.action]}"
    body = _inert("\n".join(markdown(body_lines(change, width, markdown=True), width)))
    fence = _fence(body)
    return f"<details><summary>{summary_line}</summary>\n\n{fence}diff\n{body}\n{fence}\n\n</details>\n"


def _fence(body: str) -> str:
    """A code fence longer than any run of backticks in the body, which then cannot close it."""
    longest = max((len(run) for run in re.findall(r"`+", body)), default=0)
    return "`" * max(3, longest + 1)


def _inert(body: str) -> str:
    """Content that cannot open or close the HTML around it: a zero-width space after each `<`
    that starts a tag (`</details>`), invisible in the rendered comment. Entities would show as
    `&lt;` inside a code block."""
    return re.sub(r"(?<!<)<(/?[A-Za-z])", "<\u200b\\1", body)  # not the heredoc <<EOT


RENDERERS = {"text": render_text, "json": render_json, "markdown": render_markdown}
