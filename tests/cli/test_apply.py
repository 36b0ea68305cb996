"""apply and destroy: confirmation, guards, targets, output formats, partial failure and re-run."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import httpx
import pytest
from click.testing import CliRunner, Result

from reconciler.api.client import Credential
from reconciler.api.dialects.registry import credential_for
from reconciler.api.retry import RetryPolicy
from reconciler.cli import console, main
from reconciler.core.model import Environment
from reconciler.core.plan_types import Plan
from reconciler.emulator import Emulator, Options
from reconciler.emulator.server import BackgroundServer
from reconciler.engine.pipeline import session
from reconciler.errors import UsageError
from tests.support.clients import ENV, assistants
from tests.support.projects import copy_example


def run(*args: str, stdin: str | None = None) -> Result:
    return CliRunner().invoke(main, list(args), env=ENV, input=stdin)


def test_apply_refuses_without_a_terminal_or_auto_approve(multi: Path, api: httpx.Client) -> None:
    result = run("apply", str(multi), "--env", "dev")
    assert result.exit_code == 1
    assert (
        "apply needs confirmation and there is no terminal to ask: pass --auto-approve"
        in result.stderr
    )
    assert assistants(api) == []


@pytest.mark.parametrize(("answer", "applied"), [("yes", True), ("no", False), ("y", False)])
def test_apply_asks_and_only_yes_proceeds(
    multi: Path, api: httpx.Client, monkeypatch: pytest.MonkeyPatch, answer: str, applied: bool
) -> None:
    monkeypatch.setattr(console, "interactive", lambda: True)
    result = run("apply", str(multi), "--env", "dev", stdin=f"{answer}\n")
    assert "Do you want to apply these changes? Only 'yes' will be accepted:" in result.stdout
    assert (result.exit_code == 0) is applied
    assert len(assistants(api)) == (2 if applied else 0)
    if not applied:
        assert "Apply cancelled: nothing was changed." in result.stderr


def test_destroy_asks_too_and_removes_only_this_environment(
    multi: Path, api: httpx.Client, monkeypatch: pytest.MonkeyPatch
) -> None:
    for env in ("dev", "staging"):
        run("apply", str(multi), "--env", env, "--auto-approve")
    monkeypatch.setattr(console, "interactive", lambda: True)
    result = run("destroy", str(multi), "--env", "staging", stdin="yes\n")
    assert result.exit_code == 0, result.output
    assert "Do you want to destroy these changes?" in result.stdout
    assert {a["metadata"]["reconciler.owner"] for a in assistants(api)} == {
        "support-assistants/dev"
    }


def test_prevent_destroy_refuses_a_destroy_plan(multi: Path, api: httpx.Client) -> None:
    run("apply", str(multi), "--env", "dev", "--auto-approve")
    manifest = multi / "assistants/support.yaml"
    manifest.write_text(
        manifest.read_text(encoding="utf-8").replace(
            "prevent_destroy: false", "prevent_destroy: true"
        ),
        encoding="utf-8",
    )
    result = run("destroy", str(multi), "--env", "dev", "--auto-approve")
    assert result.exit_code == 1
    assert (
        "assistant.support-bot has lifecycle.prevent_destroy set: refusing to plan its deletion."
        in result.stderr
    )
    assert len(assistants(api)) == 2


def test_an_empty_manifest_set_is_refused_unless_allowed(multi: Path, api: httpx.Client) -> None:
    run("apply", str(multi), "--env", "dev", "--auto-approve")
    shutil.rmtree(multi / "assistants")
    (multi / "assistants").mkdir()
    refused = run("apply", str(multi), "--env", "dev", "--auto-approve")
    assert refused.exit_code == 1
    assert "no manifests found" in refused.stderr
    guarded = run("plan", str(multi), "--env", "dev", "--allow-empty")
    assert guarded.exit_code == 0
    assert "Plan: 0 to add, 0 to change, 4 to destroy." in guarded.stdout
    assert (
        run("apply", str(multi), "--env", "dev", "--auto-approve", "--allow-empty").exit_code == 0
    )
    assert assistants(api) == []


def test_target_limits_the_plan_to_named_assistants(multi: Path, api: httpx.Client) -> None:
    result = run("apply", str(multi), "--env", "dev", "--auto-approve", "--target", "billing-bot")
    assert result.exit_code == 0, result.output
    assert [a["metadata"]["reconciler.name"] for a in assistants(api)] == ["billing-bot"]
    unknown = run("plan", str(multi), "--env", "dev", "--target", "nobody")
    assert unknown.exit_code == 1
    assert "--target names no assistant of this project: nobody" in unknown.stderr


def test_plan_formats_and_out_file(multi: Path, tmp_path: Path) -> None:
    out = tmp_path / "plan.json"
    as_json = run("plan", str(multi), "--env", "dev", "--format", "json", "--out", str(out))
    plan = Plan.model_validate_json(as_json.stdout)
    assert Plan.model_validate_json(out.read_text(encoding="utf-8")) == plan
    assert (plan.format_version, plan.mode, plan.project, plan.environment) == (
        2,
        "normal",
        "support-assistants",
        "dev",
    )
    assert [c.action for c in plan.changes] == ["create"] * 4
    assert [c.action_reason for c in plan.changes] == ["new"] * 4
    markdown = run("plan", str(multi), "--env", "dev", "--format", "markdown").stdout
    assert markdown.startswith(
        "### reconciler plan for `support-assistants/dev`\n\nPlan: 4 to add, 0 to change, 0 to destroy."
    )
    assert "| create | `assistant.billing-bot` | declared, not on the endpoint |" in markdown
    assert json.loads(as_json.stdout)["changes"][0]["kind"] == "file"


def test_colour_only_on_a_terminal(multi: Path) -> None:
    assert "\033[" not in run("plan", str(multi), "--env", "dev").stdout


def test_a_failed_action_finishes_the_others_skips_dependants_and_a_rerun_converges(
    multi: Path, emulator: Emulator, api: httpx.Client
) -> None:
    process = {**ENV}
    with session(multi, "dev", process, retry=RetryPolicy(base_seconds=0.001)) as connected:
        plan = connected.plan()
        emulator.faults.update({"fault_500": 1.0})  # every request from here fails
        lines: list[str] = []
        outcomes = connected.apply(plan, 2, lines.append)
    assert {o.status for o in outcomes if o.change.kind == "file"} == {"failed"}
    assert {o.status for o in outcomes if o.change.kind == "assistant"} == {"skipped"}
    assert any("FAILED" in line for line in lines)
    emulator.faults.update({"fault_500": 0.0})
    result = run("apply", str(multi), "--env", "dev", "--auto-approve")
    assert result.exit_code == 0, result.output
    assert len(assistants(api)) == 2
    assert run("plan", str(multi), "--env", "dev", "--detailed-exitcode").exit_code == 0


def test_an_api_failure_during_planning_exits_1_with_its_message(
    multi: Path, emulator: Emulator
) -> None:
    emulator.faults.update({"fault_500": 1.0})
    result = run("apply", str(multi), "--env", "dev", "--auto-approve")
    assert result.exit_code == 1
    assert "Error: list assistants failed: HTTP 500: The server had an error" in result.stderr


def test_a_partial_apply_reports_what_was_not_done(tmp_path: Path) -> None:
    """An endpoint that refuses the larger file: its assistant is skipped, the rest is applied."""
    small = Emulator.create(options=Options(max_file_bytes=100))
    with BackgroundServer(small) as server:
        project = copy_example("multi-env", tmp_path, server.url)
        result = run("apply", str(project), "--env", "dev", "--auto-approve")
    assert result.exit_code == 1
    assert "Apply incomplete. Done: 2 added, 0 changed, 0 destroyed. Not done:" in result.stderr
    assert "assistant.support-bot: skipped: file.faq." in result.stderr
    assert "running apply again as it is fails the same way" in result.stderr  # a 400
    names = [a["metadata"]["reconciler.name"] for a in small.state.db.children("assistant", "")]
    assert names == ["billing-bot"]


def test_a_missing_api_key_is_a_clear_error(multi: Path) -> None:
    config = multi / "reconciler.yaml"
    text = config.read_text(encoding="utf-8").replace("  dev:\n", "  dev:\n    auth: key\n")
    config.write_text(text, encoding="utf-8")
    env = {"AZURE_OPENAI_API_KEY": None, "AZURE_OPENAI_AD_TOKEN": None}
    result = CliRunner().invoke(main, ["plan", str(multi), "--env", "dev"], env=env)
    assert result.exit_code == 1
    assert result.stderr == (
        "Error: environment 'dev' reads its API key from AZURE_OPENAI_API_KEY, which is not set. "
        "Set it, or use auth: entra.\n"
    )


@pytest.mark.parametrize(
    ("config", "process", "expected"),
    [
        ({}, {"AZURE_OPENAI_API_KEY": "k"}, Credential("k")),
        ({}, {"AZURE_OPENAI_AD_TOKEN": "t"}, Credential("t", bearer=True)),
        ({}, {"AZURE_OPENAI_API_KEY": "k", "AZURE_OPENAI_AD_TOKEN": "t"}, Credential("k")),
        ({"api_key_env": "MINE"}, {"MINE": "m", "AZURE_OPENAI_API_KEY": "k"}, Credential("m")),
        (
            {"ad_token_env": "TOKEN"},
            {"TOKEN": "t", "AZURE_OPENAI_API_KEY": "k"},
            Credential("t", bearer=True),
        ),
    ],
)
def test_credentials_follow_the_sdk_defaults_unless_named(
    config: dict[str, str], process: dict[str, str], expected: Credential
) -> None:
    environment = Environment(
        "dev",
        "https://x.openai.azure.com",
        "2024-02-15-preview",
        config.get("api_key_env"),
        config.get("ad_token_env"),
    )
    assert credential_for(environment, process) == expected


def test_a_named_variable_that_is_unset_is_an_error() -> None:
    environment = Environment(
        "dev", "https://x.openai.azure.com", "2024-02-15-preview", "MINE", None
    )
    with pytest.raises(UsageError, match="reads its API key from MINE, which is not set"):
        credential_for(environment, {"AZURE_OPENAI_API_KEY": "k"})
