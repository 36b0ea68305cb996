"""Nothing outside a kind's or a dialect's own modules branches on a kind's or a dialect's name.

The planner, applier, fingerprints, promotion, manifest loading and import loop over the
registries (core/kinds/registry.py, config/manifest_kinds.py); a comparison with a kind's name,
or a dispatch table keyed by several of them, anywhere else is a branch a new kind would have
to edit. The scan reads the source (an AST), so it also sees code no test runs.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

import reconciler
from reconciler.core.kinds.registry import DIALECT_KINDS, all_kinds

PACKAGE = Path(reconciler.__file__).parent
NAMES = {*all_kinds(), *(k.manifest_kind for k in all_kinds().values() if k.manifest_kind)}
NAMES |= set(DIALECT_KINDS)
# The modules that own a kind or a dialect, by the part of the package they live in, and why.
OWNERS = {
    "core/kinds": "the kinds' own modules, and the registry that lists them",
    "api/dialects": "the dialects' own modules",
    "config/assistant.py": "the Assistant manifest's loader",
    "config/agent.py": "the Agent manifest's loader",
    "config/agent_doc.py": "the Agent manifest's document",
    "config/agent_limits.py": "the Agent manifest's limits",
    "config/document.py": "the Assistant manifest's document",
    "config/migration.py": "converts one named kind into another: both are its subject",
    "adoption/migration.py": "the same conversion, for a whole project",
    "adoption/draft_assistant.py": "the import draft of an assistant",
    "adoption/draft_agent.py": "the import draft of an agent",
    "adoption/assistants.py": "the import source of the Assistants v1 dialect",
    "adoption/agents.py": "the import source of the Foundry dialect",
    "adoption/sources.py": "the registry of import sources, one per dialect",
    "config/endpoints.py": "the endpoint rule of each dialect (config cannot import api/)",
    # Independent on purpose: the checker names the kinds itself, so that a mistake in a kind's
    # module is not repeated in the check of it (core/invariants.py says so).
    "core/invariants.py": "the invariant checker",
    "core/invariants_foundry.py": "the invariant checker",
    "core/invariants_workflow.py": "the invariant checker",
    "core/invariants_toolbox.py": "the invariant checker",
    "core/tools/toolbox.py": "the toolbox tool: its type is named as the kind it points at",
    "config/toolbox.py": "the Toolbox manifest's loader",
    "config/toolbox_doc.py": "the Toolbox manifest's document",
    "emulator": "a separate program that shares no code with the reconciler",
}


def _owned(path: Path) -> bool:
    relative = path.relative_to(PACKAGE).as_posix()
    return any(relative == owner or relative.startswith(f"{owner}/") for owner in OWNERS)


def _named(node: ast.AST) -> list[str]:
    if isinstance(node, ast.Constant) and node.value in NAMES:
        return [str(node.value)]
    if isinstance(node, ast.Tuple | ast.List | ast.Set):
        return [name for element in node.elts for name in _named(element)]
    return []


def branches(tree: ast.AST) -> list[tuple[int, str]]:
    """(line, name) of each comparison with a kind's or dialect's name, each match case on
    one, and each table keyed by two or more of them."""
    found: list[tuple[int, str]] = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Compare):
            for side in (node.left, *node.comparators):
                found += [(node.lineno, name) for name in _named(side)]
        elif isinstance(node, ast.match_case) and isinstance(node.pattern, ast.MatchValue):
            found += [(node.pattern.lineno, name) for name in _named(node.pattern.value)]
        elif isinstance(node, ast.Dict):
            keys = [name for key in node.keys if key is not None for name in _named(key)]
            found += [(node.lineno, name) for name in keys] if len(keys) > 1 else []
    return found


def test_nothing_outside_the_owners_branches_on_a_kind_or_dialect() -> None:
    offending = [
        f"{path.relative_to(PACKAGE)}:{line}: {name!r}"
        for path in sorted(PACKAGE.rglob("*.py"))
        if not _owned(path)
        for line, name in branches(ast.parse(path.read_text(encoding="utf-8")))
    ]
    assert offending == []


@pytest.mark.parametrize(
    "source",
    [
        'if change.kind == "agent": pass',
        'x = api in ("assistants", "foundry")',
        'DEFAULT = {"assistants": "a", "foundry": "b"}',
        'match kind:\n    case "Assistant": pass',
    ],
)
def test_the_scan_sees_a_branch(source: str) -> None:
    assert branches(ast.parse(source)) != []


def test_the_scan_leaves_other_strings_alone() -> None:
    source = 'parts = {"file": ("name", b"", "application/octet-stream")}\nok = x == "files"'
    assert branches(ast.parse(source)) == []
