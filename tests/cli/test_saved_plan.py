"""The pull-request flow: plan --out, review, apply the saved plan exactly, or refuse it when stale."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import httpx
import pytest
from click.testing import CliRunner, Result

from reconciler.cli import main
from reconciler.core.kinds.assistant import DESIRED as ASSISTANTS
from reconciler.core.kinds.assistant.types import DesiredAssistant
from reconciler.core.model import DesiredFile, Environment
from reconciler.core.plan import build_plan
from reconciler.core.plan_types import Plan
from reconciler.core.render import MARKDOWN_LIMIT, render_markdown
from reconciler.core.state import DesiredState, LiveState
from tests.support.clients import ENV, assistants


def run(*args: str) -> Result:
    return CliRunner().invoke(main, list(args), env=ENV)


def everything(api: httpx.Client) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    return assistants(api), api.get("/files").json()["data"]


def saved(project: Path, tmp_path: Path, *extra: str) -> Path:
    out = tmp_path / "plan.json"
    result = run("plan", str(project), "--out", str(out), *extra)
    assert result.exit_code == 0, result.output
    return out


def test_a_saved_plan_is_applied_exactly_without_a_prompt(
    quick: Path, tmp_path: Path, api: httpx.Client
) -> None:
    out = saved(quick, tmp_path)
    plan = Plan.model_validate_json(out.read_text(encoding="utf-8"))
    assert plan.has_changes
    assert (plan.directory, plan.endpoint) == (str(quick), plan.endpoint)
    result = run("apply", str(out))  # no terminal, no --auto-approve: the plan was the review
    assert result.exit_code == 0, result.output
    assert "Apply complete! Resources: 2 added, 0 changed, 0 destroyed." in result.stdout
    assert run("plan", str(quick), "--detailed-exitcode").exit_code == 0
    assert len(assistants(api)) == 1


def test_exit_codes_of_plan_are_0_2_and_1(quick: Path, tmp_path: Path) -> None:
    assert run("plan", str(quick), "--detailed-exitcode").exit_code == 2
    run("apply", str(quick), "--auto-approve")
    assert run("plan", str(quick), "--detailed-exitcode").exit_code == 0
    assert run("plan", str(tmp_path / "nowhere"), "--detailed-exitcode").exit_code == 1
    out = saved(quick, tmp_path)
    assert json.loads(out.read_text(encoding="utf-8"))["has_changes"] is False


def out_of_band_instructions(api: httpx.Client) -> None:
    bot = assistants(api)[0]
    api.post(f"/assistants/{bot['id']}", json={"instructions": "changed by hand"})


def out_of_band_duplicate(api: httpx.Client) -> None:
    bot = assistants(api)[0]
    api.post("/assistants", json={k: bot[k] for k in ("model", "name", "metadata")})


def out_of_band_delete(api: httpx.Client) -> None:
    api.delete(f"/assistants/{assistants(api)[0]['id']}")


@pytest.mark.parametrize(
    ("move", "named"),
    [
        (out_of_band_instructions, "assistant.support-bot changed"),
        (out_of_band_duplicate, "assistant.support-bot changed"),
        (out_of_band_delete, "assistant.support-bot changed"),
    ],
)
def test_a_stale_saved_plan_is_refused_and_changes_nothing(
    quick: Path, tmp_path: Path, api: httpx.Client, move: Any, named: str
) -> None:
    run("apply", str(quick), "--auto-approve")
    manifest = quick / "assistants/support.yaml"
    manifest.write_text(
        manifest.read_text(encoding="utf-8").replace("gpt-4", "gpt-4o"), encoding="utf-8"
    )
    out = saved(quick, tmp_path)
    move(api)
    before = everything(api)
    result = run("apply", str(out))
    assert result.exit_code == 1
    assert (
        f"Saved plan is stale: {named} since the plan was made. Nothing was changed. Run plan again."
        in result.stderr
    )
    assert everything(api) == before
    fresh = saved(quick, tmp_path)
    assert run("apply", str(fresh)).exit_code == 0
    assert run("plan", str(quick), "--detailed-exitcode").exit_code == 0


def test_an_assistant_the_plan_leaves_alone_may_change_meanwhile(
    quick: Path, tmp_path: Path, api: httpx.Client
) -> None:
    """A saved plan depends on what it acts on, not on what it leaves alone (Terraform's way):
    a portal edit of an untouched assistant does not refuse it, and the next plan shows it."""
    support = quick / "assistants/support.yaml"
    (quick / "assistants/other.yaml").write_text(
        "kind: Assistant\nname: other\nmodel: gpt-4\ninstructions: Other.\n", encoding="utf-8"
    )
    run("apply", str(quick), "--auto-approve")
    support.write_text(support.read_text(encoding="utf-8").replace("gpt-4", "gpt-4o"), "utf-8")
    out = saved(quick, tmp_path)
    other = next(a for a in assistants(api) if a["metadata"]["reconciler.name"] == "other")
    api.post(f"/assistants/{other['id']}", json={"instructions": "changed by hand"})
    result = run("apply", str(out))
    assert result.exit_code == 0, result.output
    assert "0 added, 1 changed, 0 destroyed" in result.stdout
    after = run("plan", str(quick))
    assert "~ assistant.other" in after.stdout
    assert "1 to change" in after.stdout


def test_a_file_uploaded_meanwhile_makes_the_plan_stale(
    quick: Path, tmp_path: Path, api: httpx.Client
) -> None:
    out = saved(quick, tmp_path)
    plan = Plan.model_validate_json(out.read_text(encoding="utf-8"))
    upload = next(c for c in plan.changes if c.kind == "file")
    name = upload.after["filename"] if upload.after else ""
    api.post("/files", files={"file": (name, b"x")}, data={"purpose": "assistants"})
    result = run("apply", str(out))
    assert result.exit_code == 1
    assert f"file {name} appeared" in result.stderr


def test_a_manifest_change_makes_the_plan_stale(
    quick: Path, tmp_path: Path, api: httpx.Client
) -> None:
    out = saved(quick, tmp_path)
    (quick / "assistants/docs/faq.md").write_text("# changed after review\n", encoding="utf-8")
    result = run("apply", str(out))
    assert result.exit_code == 1
    assert "the manifests or their files changed since the plan was made" in result.stderr
    assert assistants(api) == []


def test_a_plan_for_another_environment_or_endpoint_is_refused(
    multi: Path, tmp_path: Path, api: httpx.Client
) -> None:
    out = saved(multi, tmp_path, "--env", "dev")
    result = run("apply", str(out), "--env", "staging")
    assert result.exit_code == 1
    assert "the saved plan is for environment 'dev', not 'staging'." in result.stderr
    config = multi / "reconciler.yaml"
    text = config.read_text(encoding="utf-8")
    config.write_text(
        text.replace("dev:\n    endpoint: http://", "dev:\n    endpoint: http://moved.", 1),
        encoding="utf-8",
    )
    result = run("apply", str(out))
    assert result.exit_code == 1
    assert "the saved plan was made for support-assistants at" in result.stderr
    assert assistants(api) == []


def _with_change(**fields: object) -> str:
    """A saved plan, valid but for one field of its one change."""
    change = {"address": "assistant.bot", "kind": "assistant", "name": "bot", "action": "create"}
    plan = {"format_version": 2, "project": "p", "environment": "dev"}
    return json.dumps({**plan, "changes": [{**change, **fields}]})


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ("{not json", "is not a saved plan"),
        (
            '{"format_version": 99}',
            "has plan format version 99; this reconciler reads 2. Run plan again.",
        ),
        (
            '{"format_version": 2, "project": "p"}',
            "is not a valid saved plan: environment: Field required",
        ),
        ("[]", "has plan format version None"),
        (_with_change(stray=1), "is not a valid saved plan: changes.0.stray: Unexpected keyword"),
        (_with_change(action="rename"), "changes.0.action: Input should be 'create', 'update'"),
        (_with_change(before=[1]), "changes.0.before: Value error, Input should be a valid dict"),
        (_with_change(diff=[{"op": "add"}]), "changes.0.diff.0.path: Field required"),
        (_with_change(kind="widget"), "changes.0.kind: unknown kind 'widget' (this reconciler"),
    ],
)
def test_a_malformed_saved_plan_is_one_line_and_exit_1(
    tmp_path: Path, content: str, message: str
) -> None:
    path = tmp_path / "plan.json"
    path.write_text(content, encoding="utf-8")
    result = run("apply", str(path))
    assert result.exit_code == 1
    assert message in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1


def test_target_marks_the_plan_partial(multi: Path, tmp_path: Path) -> None:
    text = run("plan", str(multi), "--env", "dev", "--target", "billing-bot")
    assert (
        "This plan is partial: only billing-bot (--target); no other assistant or agent was compared."
        in text.stdout
    )
    markdown = run(
        "plan", str(multi), "--env", "dev", "--target", "billing-bot", "--format", "markdown"
    )
    assert "> This plan is partial: only billing-bot" in markdown.stdout
    out = saved(multi, tmp_path, "--env", "dev", "--target", "billing-bot")
    assert Plan.model_validate_json(out.read_text(encoding="utf-8")).targets == ["billing-bot"]
    refused = run("apply", str(out), "--target", "support-bot")
    assert refused.exit_code == 1
    assert "a saved plan is applied as it was made" in refused.stderr


def big_plan(count: int) -> Plan:
    environment = Environment("dev", "https://x.openai.azure.com", "2024-02-15-preview", None, None)
    instructions = "\n".join(
        f"Rule {i}: answer in full sentences about topic {i}." for i in range(60)
    )
    files = {
        f"{i:064x}": DesiredFile(f"docs/f{i}.md", f"{i:064x}", 10, f"f{i}.{i:012x}.md")
        for i in range(count // 2)
    }
    bots = tuple(
        DesiredAssistant(
            name=f"bot-{i}",
            model="gpt-4",
            instructions=instructions,
            files=(f"{(i // 2):064x}",),
            metadata={"team": f"t{i}"},
        )
        for i in range(count)
    )
    desired = DesiredState("big", environment, {ASSISTANTS.kind: bots}, files)
    return build_plan(desired, LiveState())


def test_the_markdown_of_a_500_assistant_plan_stays_under_the_limit_and_well_formed() -> None:
    markdown = render_markdown(big_plan(500))
    assert len(markdown) <= MARKDOWN_LIMIT
    assert markdown.count("<details>") == markdown.count("</details>") > 0
    assert markdown.count("```") % 2 == 0
    assert "| ... |" in markdown or "left out to stay under 60,000 characters" in markdown
    assert (
        "left out to stay under 60,000 characters; the saved plan (JSON) has them all." in markdown
    )
    assert markdown.startswith(
        "### reconciler plan for `big/dev`\n\nPlan: 750 to add, 0 to change, 0 to destroy."
    )


def test_a_small_plan_is_shown_whole() -> None:
    markdown = render_markdown(big_plan(4))
    assert "left out" not in markdown
    assert markdown.count("<details>") == 6  # 2 files and 4 assistants
