"""A synthetic project of N assistants for the benchmarks, and the edit that changes part of it.

Every assistant is one manifest with realistic instructions (about 1.5 KB of prose), a code
interpreter and two to four function tools, and three files drawn from a shared pool of N/2
distinct knowledge files (Markdown, CSV, text and JSON of 1 to 6 KB). Each pool file is the
first file of two assistants, so all N/2 are used. Everything is seeded: the same N always
gives the same project, byte for byte.
"""

from __future__ import annotations

import json
import random
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

FILES_PER_ASSISTANT = 3
CHANGED_ASSISTANTS = 0.10  # share of assistants whose instructions the edit rewrites
CHANGED_FILES = 0.05  # share of pool files whose content the edit rewrites
EXTENSIONS = ("md", "csv", "txt", "json")
RESERVED = frozenset({"true", "false", "yes", "no", "on", "off", "null", "y", "n"})

PRODUCTS = ("billing", "orders", "returns", "shipping", "accounts", "warranty", "loyalty", "b2b")
SENTENCES = (
    "You are the {product} assistant of Contoso's customer service for team {team}.",
    "Answer in the customer's language, in short paragraphs, and never invent a policy.",
    "When a question needs account data, call the matching function instead of guessing.",
    "Quote the knowledge files by their title when you rely on them, and say when they are silent.",
    "If the customer is upset, acknowledge it once, then move to what can be done today.",
    "Amounts are in euros with two decimals; dates are written as 12 March 2024.",
    "Never ask for a full card number, a password or a one-time code, even if offered.",
    "Escalate to a human agent when the customer asks twice or mentions a legal claim.",
    "For {product} questions older than 90 days, explain the archive process first.",
    "Use code interpreter to total, compare or chart the CSV files when numbers are asked.",
    "Keep answers under 180 words unless the customer asks for the full details.",
    "Confirm every change you make through a function by repeating its result plainly.",
    "Do not promise delivery dates; give the carrier's window and the tracking link.",
    "When two knowledge files disagree, prefer the newer one and mention the difference.",
    "End each conversation by asking whether anything else about {product} is open.",
    "Team {team} owns this assistant; route feedback on its answers to their queue.",
)
FUNCTIONS: tuple[dict[str, Any], ...] = (
    {
        "name": "lookup_order",
        "description": "Find an order by its id and return its lines, status and totals",
        "parameters": {
            "type": "object",
            "properties": {"order_id": {"type": "string", "description": "e.g. A-100234"}},
            "required": ["order_id"],
        },
    },
    {
        "name": "refund_order",
        "description": "Refund part or all of an order to the original payment method",
        "parameters": {
            "type": "object",
            "properties": {
                "order_id": {"type": "string"},
                "amount_eur": {"type": "number", "minimum": 0},
                "reason": {"type": "string", "enum": ["damaged", "late", "wrong_item", "other"]},
            },
            "required": ["order_id", "reason"],
        },
    },
    {
        "name": "track_parcel",
        "description": "Return the carrier, the delivery window and the tracking events",
        "parameters": {
            "type": "object",
            "properties": {"tracking_number": {"type": "string", "pattern": "^[A-Z0-9]{8,20}$"}},
            "required": ["tracking_number"],
        },
    },
    {
        "name": "open_ticket",
        "description": "Open a ticket for a human agent with a summary of the conversation",
        "parameters": {
            "type": "object",
            "properties": {
                "summary": {"type": "string", "maxLength": 2000},
                "priority": {"type": "string", "enum": ["low", "normal", "high"]},
                "customer_id": {"type": "string"},
            },
            "required": ["summary", "priority"],
        },
    },
    {
        "name": "get_invoice",
        "description": "Fetch an invoice as structured data by invoice number",
        "parameters": {
            "type": "object",
            "properties": {
                "invoice_number": {"type": "string"},
                "include_lines": {"type": "boolean"},
            },
            "required": ["invoice_number"],
        },
    },
    {
        "name": "check_warranty",
        "description": "Tell whether a serial number is still under warranty, and until when",
        "parameters": {
            "type": "object",
            "properties": {"serial": {"type": "string"}, "purchase_date": {"type": "string"}},
            "required": ["serial"],
        },
    },
)


@dataclass(frozen=True)
class Layout:
    """Which pool files each assistant declares, by index."""

    count: int
    pool: int
    files: tuple[tuple[int, int, int], ...]

    def users(self, file_index: int) -> set[int]:
        return {i for i, chosen in enumerate(self.files) if file_index in chosen}


@dataclass(frozen=True)
class Edit:
    """What `edit_project` changed: assistants whose text changed, and pool files rewritten."""

    assistants: frozenset[int]
    files: frozenset[int]
    updated: frozenset[int]  # every assistant that must be updated: edited, or using a new file


def assistant_name(index: int) -> str:
    return f"bot-{index:05d}"


def file_name(index: int) -> str:
    return f"kb-{index:05d}.{EXTENSIONS[index % len(EXTENSIONS)]}"


def choose_files(count: int) -> Layout:
    """Three distinct pool files per assistant; the first cycles so that every one is used."""
    pool = max(FILES_PER_ASSISTANT, count // 2)
    rng = random.Random(count)
    chosen = []
    for i in range(count):
        first = i % pool
        # The same draw as sampling the pool without `first`, without building that list per
        # assistant (quadratic in N).
        others = [f if f < first else f + 1 for f in rng.sample(range(pool - 1), 2)]
        chosen.append((first, others[0], others[1]))
    return Layout(count, pool, tuple(chosen))


def write_project(root: Path, count: int, endpoint: str) -> Layout:
    layout = choose_files(count)
    (root / "reconciler.yaml").write_text(
        "project: bench\nmanifests: [assistants/]\nenvironments:\n"
        f"  bench:\n    endpoint: {endpoint}\n    vars: {{model: gpt-4o-bench, tier: bench}}\n",
        encoding="utf-8",
    )
    (root / "assistants").mkdir()
    (root / "knowledge").mkdir()
    for index in range(layout.pool):
        write_file(root, index, revision=1)
    for index in range(count):
        write_manifest(root, layout, index, revision=1)
    return layout


def edit_project(root: Path, layout: Layout) -> Edit:
    """Rewrite the instructions of 10% of the assistants and the content of 5% of the files."""
    rng = random.Random(-layout.count)
    assistants = rng.sample(range(layout.count), max(1, round(layout.count * CHANGED_ASSISTANTS)))
    files = rng.sample(range(layout.pool), max(1, round(layout.pool * CHANGED_FILES)))
    for index in assistants:
        write_manifest(root, layout, index, revision=2)
    for index in files:
        write_file(root, index, revision=2)
    updated = set(assistants).union(*(layout.users(f) for f in files))
    return Edit(frozenset(assistants), frozenset(files), frozenset(updated))


def write_manifest(root: Path, layout: Layout, index: int, revision: int) -> None:
    path = root / "assistants" / f"{assistant_name(index)}.yaml"
    path.write_text(manifest_text(layout, index, revision), encoding="utf-8")


def manifest_text(layout: Layout, index: int, revision: int) -> str:
    rng = random.Random(index)
    product, team = PRODUCTS[index % len(PRODUCTS)], f"cs-{index % 37:02d}"
    functions = rng.sample(FUNCTIONS, rng.randint(2, 4))
    tools = [{"type": "code_interpreter"}] + [
        {"type": "function", "function": f} for f in functions
    ]
    document = {
        "kind": "Assistant",
        "name": assistant_name(index),
        "display_name": f"{product.title()} helper {index} (${{env.name}})",
        "model": "${var.model}",
        "description": f"Answers {product} questions for team {team}",
        "instructions": instructions_text(rng, product, team, functions, revision),
        "tools": tools,
        "files": [f"../knowledge/{file_name(f)}" for f in layout.files[index]],
        "metadata": {"team": team, "product": product, "tier": "${var.tier}"},
    }
    return "\n".join(block_yaml(document, "")) + "\n"


def block_yaml(value: Any, indent: str) -> list[str]:
    """Block-style YAML of plain data: strings JSON-quoted, multi-line strings as `|` blocks."""
    lines: list[str] = []
    items = value.items() if isinstance(value, dict) else enumerate(value)
    for key, item in items:
        head = f"{indent}{key}:" if isinstance(value, dict) else f"{indent}-"
        if isinstance(item, dict | list) and item:
            nested = block_yaml(item, indent + "  ")
            if isinstance(value, list):  # the first key goes on the dash's line
                lines.append(f"{head} {nested[0].lstrip()}")
                lines += nested[1:]
            else:
                lines += [head, *nested]
        elif isinstance(item, str) and "\n" in item:
            lines += [f"{head} |", *(f"{indent}  {line}" for line in item.splitlines())]
        else:
            lines.append(f"{head} {scalar(item)}")
    return lines


def scalar(value: Any) -> str:
    """A plain scalar where YAML reads it back as the same string, else JSON-quoted."""
    plain = isinstance(value, str) and re.fullmatch(r"[A-Za-z_][\w.-]*", value)
    return value if plain and value.lower() not in RESERVED else json.dumps(value)


def instructions_text(
    rng: random.Random, product: str, team: str, functions: list[dict[str, Any]], revision: int
) -> str:
    rules = rng.sample(SENTENCES[1:], rng.randint(10, 14))
    lines = ["## Role", SENTENCES[0].format(product=product, team=team), "", "## Rules"]
    lines += [f"- {rule.format(product=product, team=team)}" for rule in rules]
    lines += ["", "## Functions"]
    lines += [f"- {f['name']}: {f['description'].lower()}." for f in functions]
    if revision > 1:
        lines += ["", f"Revision {revision}: greet returning customers by their first name."]
    return "\n".join(lines)


def write_file(root: Path, index: int, revision: int) -> None:
    rng = random.Random(index * 7919 + revision)
    name = file_name(index)
    rows = rng.randint(20, 120)
    extension = name.rsplit(".", 1)[1]
    if extension == "csv":
        body = "order_id,date,amount_eur,status\n" + "".join(
            f"A-{rng.randint(100000, 999999)},2024-0{rng.randint(1, 9)}-1{rng.randint(0, 9)},"
            f"{rng.randint(100, 99999) / 100:.2f},{rng.choice(['paid', 'refunded', 'open'])}\n"
            for _ in range(rows)
        )
    elif extension == "json":
        entries = [
            {"q": f"Question {index}.{n}", "a": f"Answer r{revision} " * 4} for n in range(rows)
        ]
        body = json.dumps({"file": index, "revision": revision, "faq": entries}, indent=1)
    else:
        body = f"# Knowledge file {index}, revision {revision}\n\n" + "".join(
            f"- {rng.choice(SENTENCES).format(product='general', team='all')}\n"
            for _ in range(rows)
        )
    (root / "knowledge" / name).write_text(body, encoding="utf-8")
