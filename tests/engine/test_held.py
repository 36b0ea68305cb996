"""What a plan's session holds: the declared and the live assistant share one copy of their
instructions (a no-op plan of 10,000 assistants held 13.5 MB of them twice)."""

from __future__ import annotations

import os
from pathlib import Path

from click.testing import CliRunner

from reconciler.cli import main
from reconciler.core.kinds.assistant import DESIRED, LIVE
from reconciler.engine.pipeline import session
from tests.support.clients import ENV


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
