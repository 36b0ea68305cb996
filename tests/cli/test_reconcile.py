"""End to end over real HTTP: plan, apply and destroy against the emulator."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import httpx
import pytest
from click.testing import CliRunner, Result

from reconciler.cli import main
from reconciler.emulator import Emulator
from tests.support.clients import ENV, assistants
from tests.support.output import unwrapped
from tests.support.reads import assistant_pages


def run(*args: str) -> Result:
    return CliRunner().invoke(main, list(args), env=ENV)


def by_name(api: httpx.Client, name: str) -> dict[str, Any]:
    return next(a for a in assistants(api) if a["name"] == name)


def unmanaged(api: httpx.Client) -> tuple[str, str]:
    """An assistant and a file that belong to nobody: never to be touched."""
    file_id = api.post(
        "/files", files={"file": ("mine.txt", b"mine")}, data={"purpose": "assistants"}
    ).json()["id"]
    body = {
        "model": "m",
        "name": "Hand made",
        "file_ids": [file_id],
        "metadata": {"owner": "alice"},
    }
    return api.post("/assistants", json=body).json()["id"], file_id


def test_apply_from_empty_then_plan_shows_no_changes(quick: Path, api: httpx.Client) -> None:
    first = run("plan", str(quick), "--detailed-exitcode")
    assert first.exit_code == 2, first.output
    assert first.stdout.rstrip().endswith("Plan: 2 to add, 0 to change, 0 to destroy.")
    applied = run("apply", str(quick), "--auto-approve")
    assert applied.exit_code == 0, applied.output
    assert applied.stdout.rstrip().endswith(
        "Apply complete! Resources: 2 added, 0 changed, 0 destroyed."
    )
    again = run("plan", str(quick), "--detailed-exitcode")
    assert (again.exit_code, again.stdout) == (
        0,
        "No changes. The live objects match the manifests.\n",
    )
    bot = by_name(api, "Support Bot")
    assert bot["metadata"] == {
        "team": "support",
        "reconciler.owner": "quickstart/local",
        "reconciler.name": "support-bot",
    }
    [file_id] = bot["file_ids"]
    assert (
        api.get(f"/files/{file_id}/content").content
        == (quick / "assistants/docs/faq.md").read_bytes()
    )


@pytest.mark.parametrize(
    ("drift", "shown"),
    [
        ({"instructions": "Be rude."}, "~ instructions:"),
        ({"tools": []}, '+ tools[code_interpreter]:\n      +   type: "code_interpreter"'),
        ({"metadata": {"team": "sales"}}, '~ metadata.team: "sales" -> "support"'),
        ({"file_ids": []}, '~ files: [] -> ["faq.'),
        ({"model": "gpt-35"}, '~ model: "gpt-35" -> "gpt-4"'),
    ],
)
def test_drift_made_through_the_api_is_shown_and_reverted(
    quick: Path, api: httpx.Client, drift: dict[str, Any], shown: str
) -> None:
    assert run("apply", str(quick), "--auto-approve").exit_code == 0
    bot = by_name(api, "Support Bot")
    if "metadata" in drift:  # keep our marks: only the user's key drifts
        drift = {"metadata": {**bot["metadata"], **drift["metadata"]}}
    assert api.post(f"/assistants/{bot['id']}", json=drift).status_code == 200
    planned = run("plan", str(quick), "--detailed-exitcode")
    assert planned.exit_code == 2
    assert shown in planned.stdout
    assert "Plan: 0 to add, 1 to change, 0 to destroy." in planned.stdout
    assert run("apply", str(quick), "--auto-approve").exit_code == 0
    assert run("plan", str(quick), "--detailed-exitcode").exit_code == 0
    assert by_name(api, "Support Bot")["id"] == bot["id"]


def test_a_deleted_assistant_is_recreated(quick: Path, api: httpx.Client) -> None:
    run("apply", str(quick), "--auto-approve")
    api.delete(f"/assistants/{by_name(api, 'Support Bot')['id']}")
    planned = run("plan", str(quick))
    assert "Plan: 1 to add, 0 to change, 0 to destroy." in planned.stdout
    assert run("apply", str(quick), "--auto-approve").exit_code == 0
    assert len(assistants(api)) == 1


def test_changed_file_content_uploads_repoints_and_deletes_the_old_file(
    quick: Path, api: httpx.Client
) -> None:
    run("apply", str(quick), "--auto-approve")
    [old] = by_name(api, "Support Bot")["file_ids"]
    (quick / "assistants/docs/faq.md").write_text("# FAQ v2\n", encoding="utf-8")
    planned = run("plan", str(quick))
    assert "Plan: 1 to add, 1 to change, 1 to destroy." in planned.stdout
    assert run("apply", str(quick), "--auto-approve").exit_code == 0
    [new] = by_name(api, "Support Bot")["file_ids"]
    assert new != old
    assert api.get(f"/files/{new}/content").content == b"# FAQ v2\n"
    assert api.get(f"/files/{old}").status_code == 404


def test_renaming_display_name_updates_in_place(quick: Path, api: httpx.Client) -> None:
    run("apply", str(quick), "--auto-approve")
    before = by_name(api, "Support Bot")["id"]
    manifest = quick / "assistants/support.yaml"
    manifest.write_text(
        manifest.read_text(encoding="utf-8").replace("Support Bot", "Help Desk"), encoding="utf-8"
    )
    planned = run("plan", str(quick))
    assert '~ name: "Support Bot" -> "Help Desk"' in planned.stdout
    run("apply", str(quick), "--auto-approve")
    assert by_name(api, "Help Desk")["id"] == before


def test_a_removed_manifest_deletes_its_assistant_and_its_files(
    multi: Path, api: httpx.Client
) -> None:
    assert run("apply", str(multi), "--env", "dev", "--auto-approve").exit_code == 0
    manifest = multi / "assistants/support.yaml"
    manifest.write_text(
        manifest.read_text(encoding="utf-8").split("---")[1], encoding="utf-8"
    )  # billing only
    planned = run("plan", str(multi), "--env", "dev")
    assert (
        "# assistant.support-bot will be destroyed (no manifest declares it any more)"
        in planned.stdout
    )
    assert (
        "Plan: 0 to add, 0 to change, 2 to destroy." in planned.stdout
    )  # the bot and faq.md; pricing stays
    assert run("apply", str(multi), "--env", "dev", "--auto-approve").exit_code == 0
    assert [a["metadata"]["reconciler.name"] for a in assistants(api)] == ["billing-bot"]
    assert [f["filename"].split(".")[0] for f in api.get("/files").json()["data"]] == ["pricing"]


def test_multi_env_on_one_endpoint_then_destroy_one(multi: Path, api: httpx.Client) -> None:
    mine = unmanaged(api)
    for env in ("dev", "staging"):
        result = run("apply", str(multi), "--env", env, "--auto-approve")
        assert result.exit_code == 0, result.output
    for env in ("dev", "staging"):
        assert run("plan", str(multi), "--env", env, "--detailed-exitcode").exit_code == 0
    owners = sorted(a["metadata"].get("reconciler.owner", "-") for a in assistants(api))
    assert owners == ["-", *["support-assistants/dev"] * 2, *["support-assistants/staging"] * 2]
    destroyed = run("destroy", str(multi), "--env", "dev", "--auto-approve")
    assert destroyed.exit_code == 0, destroyed.output
    owners = sorted(a["metadata"].get("reconciler.owner", "-") for a in assistants(api))
    assert owners == ["-", *["support-assistants/staging"] * 2]
    assert run("plan", str(multi), "--env", "staging", "--detailed-exitcode").exit_code == 0
    assert api.get(f"/assistants/{mine[0]}").json()["file_ids"] == [mine[1]]
    files = {f["filename"] for f in api.get("/files").json()["data"]}
    assert "mine.txt" in files
    assert len(files) == 3  # staging still uses faq and pricing, shared with dev's content


def test_other_projects_and_unmanaged_objects_are_never_touched(
    quick: Path, multi: Path, api: httpx.Client
) -> None:
    mine = unmanaged(api)
    run("apply", str(multi), "--env", "dev", "--auto-approve")
    run("apply", str(quick), "--auto-approve")
    before = assistants(api)
    assert run("destroy", str(quick), "--auto-approve").exit_code == 0
    after = assistants(api)
    assert [
        a for a in before if a["metadata"].get("reconciler.owner") != "quickstart/local"
    ] == after
    assert api.get(f"/files/{mine[1]}").status_code == 200


def test_duplicates_are_planned_down_to_the_oldest(quick: Path, api: httpx.Client) -> None:
    run("apply", str(quick), "--auto-approve")
    original = by_name(api, "Support Bot")
    copy = {k: original[k] for k in ("model", "name", "tools", "metadata")}
    duplicate = api.post("/assistants", json=copy).json()["id"]
    planned = run("plan", str(quick))
    assert (
        f"# assistant.support-bot#{duplicate} will be destroyed "
        f"(duplicate of {original['id']}, the oldest, which is kept)" in unwrapped(planned.stdout)
    )
    run("apply", str(quick), "--auto-approve")
    assert [a["id"] for a in assistants(api)] == [original["id"]]


def test_a_no_op_plan_makes_only_list_requests(
    quick: Path, api: httpx.Client, control: httpx.Client, emulator: Emulator
) -> None:
    run("apply", str(quick), "--auto-approve")
    for i in range(250):  # other owners' assistants share the endpoint
        api.post("/assistants", json={"model": "m", "name": f"other-{i}"})
    total = 1 + 250
    emulator.stats.clear()  # count from here: the plan's requests only
    assert run("plan", str(quick), "--detailed-exitcode").exit_code == 0
    stats = control.get("/stats").json()
    assert stats["requests"] == {
        "GET /openai/assistants": assistant_pages(total),
        "GET /openai/files": 1,
    }
    assert stats["total"] == assistant_pages(total) + 1 == 4


@pytest.mark.parametrize(("others", "pages"), [(0, 1), (99, 1), (100, 3), (199, 3), (299, 5)])
def test_list_pages_follow_the_number_of_assistants(
    quick: Path, api: httpx.Client, emulator: Emulator, others: int, pages: int
) -> None:
    """tests/support/reads.py, T the assistants of every owner: here 1 of ours plus the others."""
    run("apply", str(quick), "--auto-approve")
    for i in range(others):
        api.post("/assistants", json={"model": "m", "name": f"other-{i}"})
    emulator.stats.clear()
    run("plan", str(quick))
    assert (
        emulator.stats.snapshot()["requests"]["GET /openai/assistants"]
        == assistant_pages(others + 1)
        == pages
    )


def test_an_empty_endpoint_costs_one_list_request_each(quick: Path, emulator: Emulator) -> None:
    run("plan", str(quick))
    assert emulator.stats.snapshot() == {
        "requests": {"GET /openai/assistants": 1, "GET /openai/files": 1},
        "total": 2,
        "in_flight": 0,
    }


def test_import_id_adopts_an_unmanaged_assistant_keeping_its_id(
    quick: Path, api: httpx.Client
) -> None:
    original = api.post(
        "/files", files={"file": ("faq.md", b"# old faq")}, data={"purpose": "assistants"}
    ).json()["id"]
    body = {
        "model": "gpt-4",
        "name": "Support Bot",
        "file_ids": [original],
        "metadata": {"team": "support"},
    }
    made = api.post("/assistants", json=body).json()["id"]
    manifest = quick / "assistants/support.yaml"
    manifest.write_text(
        manifest.read_text(encoding="utf-8") + f"import_id: {made}\n", encoding="utf-8"
    )
    planned = run("plan", str(quick))
    assert (
        f"will be updated in-place (adopts the existing assistant {made} (import_id): same id, now managed)"
        in unwrapped(planned.stdout)
    )
    assert run("apply", str(quick), "--auto-approve").exit_code == 0
    assert run("plan", str(quick), "--detailed-exitcode").exit_code == 0
    [bot] = assistants(api)
    assert bot["id"] == made
    assert bot["metadata"]["reconciler.owner"] == "quickstart/local"
    assert api.get(f"/files/{original}").status_code == 200  # the file it had is not ours to delete


def test_import_id_of_an_assistant_managed_elsewhere_is_refused(
    quick: Path, multi: Path, api: httpx.Client
) -> None:
    run("apply", str(multi), "--env", "dev", "--auto-approve")
    theirs = assistants(api)[0]["id"]
    manifest = quick / "assistants/support.yaml"
    manifest.write_text(
        manifest.read_text(encoding="utf-8") + f"import_id: {theirs}\n", encoding="utf-8"
    )
    result = run("plan", str(quick))
    assert result.exit_code == 1
    assert f"import_id {theirs} belongs to support-assistants/dev" in result.stderr


def test_an_import_id_scoped_to_one_environment_leaves_the_others_their_own(
    multi: Path, api: httpx.Client
) -> None:
    made = api.post(
        "/assistants", json={"model": "gpt-35-turbo-dev", "name": "Support Bot (dev)"}
    ).json()["id"]
    manifest = multi / "assistants/support.yaml"
    first, rest = manifest.read_text(encoding="utf-8").split("---", 1)
    manifest.write_text(first + f"import_id: {{dev: {made}}}\n---" + rest, encoding="utf-8")
    assert run("apply", str(multi), "--env", "staging", "--auto-approve").exit_code == 0
    assert run("apply", str(multi), "--env", "dev", "--auto-approve").exit_code == 0
    support = {
        a["metadata"]["reconciler.owner"]: a["id"]
        for a in assistants(api)
        if a["metadata"].get("reconciler.name") == "support-bot"
    }
    assert support["support-assistants/dev"] == made
    assert support["support-assistants/staging"] != made
    for env in ("dev", "staging"):
        assert run("plan", str(multi), "--env", env, "--detailed-exitcode").exit_code == 0
