"""What the desired state holds: the strings its assistants repeat (the model, the description,
metadata values), each once; every parsed YAML string is a copy of its own."""

from __future__ import annotations

from pathlib import Path

from reconciler.config.desired import load_desired
from reconciler.core.kinds.assistant import DESIRED

MANIFEST = """kind: Assistant
name: bot-{i}
model: "${{var.model}}"
description: Answers questions
metadata: {{team: support, tier: "${{var.tier}}", owner: bot-{i}}}
"""


def test_the_values_declared_assistants_repeat_are_held_once(tmp_path: Path) -> None:
    (tmp_path / "reconciler.yaml").write_text(
        "project: held\nenvironments:\n"
        "  dev: {endpoint: local, vars: {model: gpt-4o, tier: gold}}\n",
        encoding="utf-8",
    )
    for i in range(2):
        (tmp_path / f"bot-{i}.yaml").write_text(MANIFEST.format(i=i), encoding="utf-8")
    first, second = load_desired(tmp_path, "dev", {}).of(DESIRED)
    assert (first.model, second.metadata["tier"]) == ("gpt-4o", "gold")
    assert first.model is second.model
    assert first.description is second.description
    assert first.metadata["team"] is second.metadata["team"]
    assert first.metadata["tier"] is second.metadata["tier"]
    assert (first.metadata["owner"], second.metadata["owner"]) == ("bot-0", "bot-1")
