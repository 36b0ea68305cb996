"""Seven ways a planner without its invariants destroyed or duplicated what users care about,
each end to end over HTTP against the emulator: the CLI plans and applies, the API checks."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path
from typing import Any

import httpx
import pytest
from click.testing import CliRunner, Result

from reconciler.cli import main
from reconciler.emulator.server import BackgroundServer
from tests.support.clients import KEY
from tests.support.output import unwrapped

ENV = {"AZURE_OPENAI_API_KEY": KEY, "NO_COLOR": "1", "RECONCILER_RETRY_BASE_SECONDS": "0.001"}
OWNER = "reconciler.owner"


def run(*args: str) -> Result:
    return CliRunner().invoke(main, list(args), env=ENV)


def applied(root: Path) -> Result:
    result = run("apply", str(root), "--auto-approve")
    assert result.exit_code == 0, result.output
    return result


def converged(root: Path) -> None:
    again = run("plan", str(root), "--detailed-exitcode")
    assert again.exit_code == 0, again.output


def assistants(api: httpx.Client) -> list[dict[str, Any]]:
    data: list[dict[str, Any]] = api.get("/assistants", params={"limit": 100}).json()["data"]
    return data


def files(api: httpx.Client) -> dict[str, str]:
    return {f["id"]: f["filename"] for f in api.get("/files").json()["data"]}


def upload(api: httpx.Client, name: str, content: bytes) -> str:
    response = api.post("/files", files={"file": (name, content)}, data={"purpose": "assistants"})
    assert response.status_code == 200, response.text
    file_id: str = response.json()["id"]
    return file_id


@pytest.fixture
def root(tmp_path: Path, server: BackgroundServer) -> Path:
    project = tmp_path / "safety"
    (project / "assistants").mkdir(parents=True)
    (project / "reconciler.yaml").write_text(
        f"project: safety\nmanifests: [assistants/]\nenvironments:\n  dev: {{endpoint: '{server.url}'}}\n",
        encoding="utf-8",
    )
    return project


def manifest(root: Path, name: str, extra: str = "", file: str = "bot") -> None:
    text = f"kind: Assistant\nname: {name}\nmodel: gpt-4\ninstructions: Help.\n"
    text += f"tools: [{{type: code_interpreter}}]\n{extra}"
    (root / "assistants" / f"{file}.yaml").write_text(text, encoding="utf-8")


def test_1_a_rename_after_import_keeps_the_adopted_assistant(root: Path, api: httpx.Client) -> None:
    helper = api.post("/assistants", json={"model": "gpt-4", "name": "Helper"}).json()["id"]
    manifest(root, "helper", f"display_name: Helper\nimport_id: {helper}\n")
    applied(root)
    manifest(root, "helper-two", f"display_name: Helper\nimport_id: {helper}\n")
    planned = run("plan", str(root), "--format", "json")
    changes = [c for c in json.loads(planned.stdout)["changes"] if c["action"] != "no-op"]
    assert [(c["action"], c["id"], c["action_reason"]) for c in changes] == [
        ("update", helper, "moved")
    ]
    applied(root)
    converged(root)
    live = assistants(api)
    assert [a["id"] for a in live] == [helper]
    assert live[0]["metadata"]["reconciler.name"] == "helper-two"


def test_2_two_manifests_with_one_import_id_do_not_validate(root: Path, api: httpx.Client) -> None:
    helper = api.post("/assistants", json={"model": "gpt-4", "name": "Helper"}).json()["id"]
    manifest(root, "one", f"import_id: {helper}\n", file="one")
    manifest(root, "two", f"import_id: {helper}\n", file="two")
    result = run("validate", str(root))
    assert result.exit_code == 1
    assert f"import_id {helper} is declared by two manifests" in result.stderr
    assert "assistants/two.yaml:2:7:" in result.stderr  # the second one, at its name


def test_3_ignored_files_stay_attached_through_a_content_change(
    root: Path, api: httpx.Client
) -> None:
    (root / "assistants" / "faq.md").write_text("v1\n", encoding="utf-8")
    manifest(root, "bot", "files: [faq.md]\nlifecycle: {ignore_changes: [files]}\n")
    applied(root)
    [before] = assistants(api)
    (root / "assistants" / "faq.md").write_text("v2\n", encoding="utf-8")
    text = (root / "assistants" / "bot.yaml").read_text(encoding="utf-8")
    (root / "assistants" / "bot.yaml").write_text(text.replace("Help.", "Help more."), "utf-8")
    applied(root)
    converged(root)
    [after] = assistants(api)
    assert after["instructions"] == "Help more."
    assert after["file_ids"] == before["file_ids"]
    assert set(before["file_ids"]) <= set(files(api))  # the attached upload was not deleted


def test_4_hand_made_files_that_look_content_addressed_are_left_alone(
    root: Path, api: httpx.Client
) -> None:
    notes = upload(api, "notes.202402011200.md", b"my notes\n")
    sales = upload(api, "sales.202401151030.csv", b"q,n\n1,2\n")
    legacy = upload(api, f"faq.{hashlib.sha256(b'other').hexdigest()[:12]}.md", b"not that\n")
    adopted = api.post(
        "/assistants", json={"model": "gpt-4", "name": "Sales", "file_ids": [sales, legacy]}
    ).json()["id"]
    (root / "assistants" / "notes.md").write_text("project notes\n", encoding="utf-8")
    (root / "assistants" / "faq.md").write_text("faq\n", encoding="utf-8")
    manifest(root, "notes", "files: [notes.md]\n", file="notes")
    manifest(root, "sales", f"display_name: Sales\nimport_id: {adopted}\nfiles: [faq.md]\n")
    planned = run("plan", str(root))
    assert "assistant.sales no longer uses the hand-made file(s) " in planned.stdout
    assert f"'sales.202401151030.csv' ({sales})" in unwrapped(planned.stdout)
    applied(root)
    converged(root)
    left = files(api)
    assert {notes, sales, legacy} <= set(left)


def test_5_marks_removed_in_the_portal_are_reported_not_duplicated(
    root: Path, api: httpx.Client
) -> None:
    manifest(root, "bot", "display_name: Bot\n")
    applied(root)
    [bot] = assistants(api)
    assert api.post(f"/assistants/{bot['id']}", json={"metadata": {"team": "x"}}).is_success
    planned = run("plan", str(root))
    assert planned.exit_code == 1
    assert f"the unmanaged assistant {bot['id']} has its name 'Bot'" in planned.stderr
    assert f"import_id: {bot['id']}" in planned.stderr
    assert run("apply", str(root), "--auto-approve").exit_code == 1
    assert [a["id"] for a in assistants(api)] == [bot["id"]]  # no silent second one
    manifest(root, "bot", f"display_name: Bot\nimport_id: {bot['id']}\n")
    applied(root)
    converged(root)
    [back] = assistants(api)
    assert (back["id"], back["metadata"][OWNER]) == (bot["id"], "safety/dev")


def test_5b_import_id_takes_the_original_back_from_a_managed_duplicate(
    root: Path, api: httpx.Client
) -> None:
    manifest(root, "bot", "display_name: Bot\n")
    applied(root)
    [original] = assistants(api)
    assert api.post(f"/assistants/{original['id']}", json={"metadata": {}}).is_success
    manifest(root, "bot", "display_name: Bot Two\n")  # made a copy before anyone noticed
    applied(root)
    assert len(assistants(api)) == 2
    manifest(root, "bot", f"display_name: Bot\nimport_id: {original['id']}\n")
    applied(root)
    converged(root)
    [kept] = assistants(api)
    assert kept["id"] == original["id"]


@pytest.mark.parametrize("how", ["renamed", "removed"])
def test_6_prevent_destroy_travels_with_the_live_object(
    root: Path, api: httpx.Client, how: str
) -> None:
    manifest(root, "bot", "lifecycle: {prevent_destroy: true}\n")
    applied(root)
    [bot] = assistants(api)
    assert bot["metadata"]["reconciler.name"] == "bot;prevent_destroy"
    if how == "renamed":
        manifest(root, "bot-two")
    else:
        manifest(root, "other", file="other")
        (root / "assistants" / "bot.yaml").unlink()
    for command in ("apply", "destroy"):
        result = run(command, str(root), "--auto-approve")
        assert result.exit_code == 1
        assert "has lifecycle.prevent_destroy set on the live object" in result.stderr
    assert bot["id"] in [a["id"] for a in assistants(api)]


def test_6b_renamed_from_keeps_the_id_and_prevent_destroy_false_releases_it(
    root: Path, api: httpx.Client
) -> None:
    manifest(root, "bot", "lifecycle: {prevent_destroy: true}\n")
    applied(root)
    [bot] = assistants(api)
    manifest(root, "bot-two", "renamed_from: [bot]\nlifecycle: {prevent_destroy: true}\n")
    applied(root)
    converged(root)
    [moved] = assistants(api)
    assert (moved["id"], moved["metadata"]["reconciler.name"]) == (
        bot["id"],
        "bot-two;prevent_destroy",
    )
    manifest(root, "bot-two", "lifecycle: {prevent_destroy: false}\n")
    applied(root)
    assert run("destroy", str(root), "--auto-approve").exit_code == 0
    assert assistants(api) == []


def test_7_a_file_name_with_quotes_converges(root: Path, api: httpx.Client) -> None:
    (root / "assistants" / 'Q&A "FAQ".md').write_text("answers\n", encoding="utf-8")
    manifest(root, "bot", "files: ['Q&A \"FAQ\".md']\n")
    applied(root)
    converged(root)
    [name] = files(api).values()
    assert name.startswith("Q&A _FAQ_.sha256-")


def test_a_rename_without_renamed_from_is_shown_as_a_replacement(
    root: Path, api: httpx.Client
) -> None:
    manifest(root, "bot", "display_name: Bot\n")
    applied(root)
    manifest(root, "bot-two", "display_name: Bot\n")
    planned = run("plan", str(root))
    assert "Plan: 1 to add, 0 to change, 1 to destroy." in planned.stdout
    assert "Note: assistant.bot-two replaces assistant.bot (" in planned.stdout
    assert "declare renamed_from: [bot] on bot-two" in unwrapped(planned.stdout)


def test_a_saved_plan_applies_from_any_directory_and_lists_only_the_files_it_needs(
    root: Path, api: httpx.Client, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    upload(api, "someone-elses.pdf", b"private\n")
    (root / "assistants" / "faq.md").write_text("faq\n", encoding="utf-8")
    manifest(root, "bot", "files: [faq.md]\n")
    applied(root)
    (root / "assistants" / "extra.md").write_text("extra\n", encoding="utf-8")
    manifest(root, "bot", "files: [faq.md, extra.md]\nmetadata: {team: x}\n")
    saved = tmp_path / "plan.json"
    monkeypatch.chdir(root.parent)
    assert run("plan", root.name, "--out", str(saved)).exit_code == 0
    plan = json.loads(saved.read_text(encoding="utf-8"))
    assert [n.split(".")[0] for n in plan["files"]] == ["faq"]  # not someone-elses.pdf
    assert "someone-elses" not in saved.read_text(encoding="utf-8")
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    monkeypatch.chdir(elsewhere)
    result = run("apply", str(saved))
    assert result.exit_code == 0, result.output
    assert assistants(api)[0]["metadata"]["team"] == "x"
