"""What the two property tests of the planner's invariants share: how a scenario is planned."""

from __future__ import annotations

import hashlib
import os

from reconciler.api.dialects import Dialect
from reconciler.core.plan_types import Mode, Plan
from reconciler.core.state import DesiredState
from reconciler.engine.pipeline import plan_live
from reconciler.errors import PlanError

# CI runs 500 examples per dialect; the long run: RECONCILER_INVARIANT_EXAMPLES=20000.
EXAMPLES = int(os.environ.get("RECONCILER_INVARIANT_EXAMPLES", "500"))
MODES: list[Mode] = ["normal", "normal", "destroy"]  # destroy a third of the time


def sha(content: bytes) -> str:
    return hashlib.sha256(content).hexdigest()


def planned(
    dialect: Dialect, desired: DesiredState, mode: Mode, targets: tuple[str, ...] = ()
) -> Plan | None:
    """The plan, or None when the planner refused (which breaks nothing); a refusal by the
    internal safety check is a broken invariant, so it fails the test."""
    try:
        return plan_live(dialect, desired, mode, targets, allow_empty=True)
    except PlanError as error:
        if "internal safety check" in str(error):
            raise AssertionError(str(error)) from error
        return None
