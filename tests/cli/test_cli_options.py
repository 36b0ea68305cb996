"""Options and output users expect: plan --out into a missing folder, destroy --parallelism,
validate's warnings in plan, and NO_COLOR as no-color.org defines it (set and non-empty)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from tests.support.broken import broken_server, invoke, page, project

RETRIEVAL = "kind: Assistant\nname: bot\nmodel: gpt-4\ntools: [{type: retrieval}]\n"


def test_plan_out_into_a_missing_folder_fails_before_any_request(tmp_path: Path) -> None:
    directory = project(tmp_path / "p", "local")
    out = tmp_path / "missing" / "plan.json"
    result = invoke("plan", str(directory), "--out", str(out))
    assert (result.returncode, result.stdout) == (1, "")
    assert result.stderr == (
        f"Error: cannot write the plan to {out}: the folder {out.parent} does not exist. "
        "Create it, or choose another --out.\n"
    )
    assert not (directory / ".reconciler").exists()  # no emulator was started, nothing read


def test_destroy_takes_parallelism_like_apply(tmp_path: Path) -> None:
    directory = project(tmp_path / "p", "local")
    assert invoke("apply", str(directory), "--auto-approve", "--parallelism", "2").returncode == 0
    result = invoke("destroy", str(directory), "--auto-approve", "--parallelism", "2")
    assert result.returncode == 0, result.stderr
    assert result.stdout.endswith("Destroy complete! Resources: 1 destroyed.\n")
    assert invoke("destroy", str(directory), "--parallelism", "0").returncode == 1


def test_plan_shows_the_warnings_validate_gives(tmp_path: Path) -> None:
    directory = project(tmp_path / "p", "local", RETRIEVAL)
    validated = invoke("validate", str(directory))
    planned = invoke("plan", str(directory))
    warning = (
        f"{directory}/assistants/bot.yaml:4:16: warning: Azure rejects the retrieval tool on "
        "api-version 2024-02-15-preview: 'Retrieval tools are not supported.'\n"
        "0 errors, 1 warning.\n"
    )
    assert validated.stderr == warning
    assert (planned.returncode, planned.stderr) == (0, warning)


def _plan_on_a_terminal(directory: Path, no_color: str) -> str:
    """stdout of `plan` run on a pseudo-terminal, as a person at a terminal sees it."""
    leader, follower = os.openpty()
    env = {k: v for k, v in os.environ.items() if not k.startswith("AZURE_")}
    subprocess.run(
        [sys.executable, "-m", "reconciler", "plan", str(directory)],
        stdout=follower,
        env={**env, "AZURE_OPENAI_API_KEY": "k", "NO_COLOR": no_color},
        check=True,
    )
    os.close(follower)
    shown = b""
    while True:
        try:
            chunk = os.read(leader, 65536)
        except OSError:  # Linux says EIO once the terminal's other end is closed and drained
            break
        if not chunk:
            break
        shown += chunk
    os.close(leader)
    return shown.decode()


def test_no_color_set_but_empty_keeps_colour_and_set_to_a_value_turns_it_off(
    tmp_path: Path,
) -> None:
    with broken_server(lambda method, path: page([])) as (url, _):  # an empty endpoint
        directory = project(tmp_path / "p", url)
        assert "\033[32m  + assistant.bot" in _plan_on_a_terminal(directory, "")
        assert "\033[" not in _plan_on_a_terminal(directory, "1")


def test_a_targeted_plan_without_changes_says_it_is_partial(tmp_path: Path) -> None:
    directory = project(tmp_path / "p", "local")
    invoke("apply", str(directory), "--auto-approve")
    result = invoke("plan", str(directory), "--target", "bot")
    assert (result.returncode, result.stdout) == (
        0,
        "No changes. The live objects match the manifests.\n"
        "This plan is partial: only bot (--target); no other assistant or agent was compared.\n",
    )
    assert invoke("plan", str(directory)).stdout == (
        "No changes. The live objects match the manifests.\n"
    )
