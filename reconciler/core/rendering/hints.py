"""Pure: what each kind says about rendering its objects (its `element_names`, optional)."""

from __future__ import annotations

from reconciler.core.kinds.registry import all_kinds
from reconciler.core.rendering.values import Hints


def hints_of(kind: str) -> Hints:
    """A kind's names for the elements of its lists, by the list's path (a kind may give none)."""
    found: Hints = getattr(all_kinds().get(kind), "element_names", {})
    return found
