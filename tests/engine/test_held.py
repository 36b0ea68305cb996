"""What a plan's session holds: the declared and the live assistant share one copy of their
instructions (a no-op plan of 10,000 assistants held 13.5 MB of them twice); the plan's essences
share one list of each distinct list of tools."""

from __future__ import annotations

import os
from pathlib import Path

from click.testing import CliRunner

from reconciler.cli import main
from reconciler.core.kinds.assistant import DESIRED, LIVE
from reconciler.engine.pipeline import session
from tests.support.clients import ENV

TOOLS = """tools:
  - type: code_interpreter
  - type: function
    function: {name: lookup, parameters: {type: object, properties: {}}}
"""


def test_the_declared_and_the_live_assistant_hold_one_copy_of_their_instructions(
    quick: Path,
) -> None:
    applied = CliRunner().invoke(main, ["apply", str(quick), "--auto-approve"], env=ENV)
    assert applied.exit_code == 0, applied.output
    with session(quick, None, {**os.environ, **ENV}) as connected:
        (declared,) = connected.desired.of(DESIRED)
        (read,) = connected.read().of(LIVE)
    assert declared.instructions is not None
    assert read.instructions is declared.instructions


def test_unchanged_assistants_with_equal_tools_share_one_list_of_them(quick: Path) -> None:
    manifest = quick / "assistants" / "support.yaml"
    text = manifest.read_text(encoding="utf-8").replace(
        "tools:\n  - type: code_interpreter\n", TOOLS
    )
    manifest.write_text(text, encoding="utf-8")
    twin = text.replace("name: support-bot", "name: twin-bot").replace("Support Bot", "Twin Bot")
    (quick / "assistants" / "twin.yaml").write_text(twin, encoding="utf-8")
    applied = CliRunner().invoke(main, ["apply", str(quick), "--auto-approve"], env=ENV)
    assert applied.exit_code == 0, applied.output
    with session(quick, None, {**os.environ, **ENV}) as connected:
        plan = connected.plan(fingerprinted=False)
    first, second = (c for c in plan.changes if c.kind == "assistant")
    assert (first.action, second.action) == ("no-op", "no-op")
    assert first.before is not None
    assert second.before is not None
    assert len(first.before["tools"]) == 2
    assert first.before["tools"] is second.before["tools"]
