"""What apply says when it stops: progress after Ctrl-C counts only what ran, in order, and the
advice after a refused request is not "run again", which would fail the same way."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from reconciler.emulator import Emulator, Options
from reconciler.emulator.server import BackgroundServer
from reconciler.engine.apply import Applier
from reconciler.engine.pipeline import session
from reconciler.errors import ApplyInterruptedError
from tests.support.broken import project, run

BOTS = "---\n".join(f"kind: Assistant\nname: bot-{i}\nmodel: gpt-4\n" for i in range(12))


def test_progress_after_ctrl_c_counts_only_what_ran_in_order(tmp_path: Path) -> None:
    directory = project(tmp_path, "local", BOTS)
    lines: list[str] = []
    env = {**os.environ, "AZURE_OPENAI_API_KEY": "k"}
    with session(directory, None, env) as connected:
        plan = connected.plan()
        applier = Applier(plan, connected.dialect, 4, lines.append)

        def progress(line: str) -> None:
            lines.append(line)
            if len(lines) == 3:
                applier.stopped = True  # what the Ctrl-C handler sets: start nothing new

        applier.progress = progress
        with pytest.raises(ApplyInterruptedError) as raised:
            applier.run()
    ran = raised.value.outcomes
    assert 3 <= len(ran) < 12  # the calls in flight were let finish, nothing new started
    assert [line.split("]")[0] for line in lines] == [f"[{n}/12" for n in range(1, len(ran) + 1)]
    assert all(": created (asst_" in line for line in lines)


def test_a_refused_request_is_not_followed_by_run_apply_again(tmp_path: Path) -> None:
    strict = Emulator.create(options=Options(reject_retrieval=True))
    manifest = "kind: Assistant\nname: bot\nmodel: gpt-4\ntools: [{type: retrieval}]\n"
    with BackgroundServer(strict) as server:
        result = run(
            "apply", str(project(tmp_path, server.url, manifest)), "--auto-approve", cwd=tmp_path
        )
    assert result.returncode == 1
    assert result.stderr.splitlines()[-3:] == [
        "Apply incomplete. Done: 0 added, 0 changed, 0 destroyed. Not done:",
        "  assistant.bot: failed: create assistant failed: HTTP 400 (invalid_value): "
        f"Retrieval tools are not supported (POST {server.url}/openai/assistants).",
        "The API refused a request, so running apply again as it is fails the same way: "
        "fix what it refused (above), then run apply again.",
    ]
    assert "Run apply again to finish" not in result.stderr
