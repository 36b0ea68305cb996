"""The emulator's ids look like Azure's (a prefix and 24 alphanumerics), never repeat, and a
forked emulator does not draw the same ids as its parent."""

from __future__ import annotations

import os
import re

from reconciler.emulator.core.state import new_id

SHAPE = re.compile(r"asst_[A-Za-z0-9]{24}")


def test_ids_are_azure_shaped_and_distinct() -> None:
    ids = [new_id("asst_") for _ in range(10_000)]
    assert all(SHAPE.fullmatch(i) for i in ids)
    assert len(set(ids)) == len(ids)


def test_a_forked_process_draws_other_ids() -> None:
    read, write = os.pipe()
    child = os.fork()
    if child == 0:  # pragma: no cover - runs in the child
        os.write(write, new_id("asst_").encode())
        os._exit(0)
    os.close(write)
    os.waitpid(child, 0)
    with os.fdopen(read, "rb") as pipe:
        theirs = pipe.read().decode()
    assert SHAPE.fullmatch(theirs)
    assert theirs != new_id("asst_")
