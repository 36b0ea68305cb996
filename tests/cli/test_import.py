"""`reconciler import`, end to end over real HTTP: list, write manifests, then apply adopts."""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from pathlib import Path
from typing import Any

import httpx
import pytest
from click.testing import CliRunner, Result

from reconciler.adoption.draft import Draft, logical_name, original_name, unique_name
from reconciler.adoption.write import write
from reconciler.api.client import AssistantsClient, Credential
from reconciler.api.retry import RetryPolicy
from reconciler.cli import main
from reconciler.cli.console import Settings
from reconciler.cli.importer import import_command
from reconciler.config.interpolate import Scope, interpolate
from reconciler.core.marks import NAME_MARK, OWNER_MARK
from reconciler.emulator import Emulator
from reconciler.emulator.server import BackgroundServer
from reconciler.errors import ApiError, ReconcilerError
from tests.support.clients import KEY

ENV = {"AZURE_OPENAI_API_KEY": KEY, "NO_COLOR": "1", "RECONCILER_RETRY_BASE_SECONDS": "0.001"}
LIST = "GET /openai/assistants"
FILES = "GET /openai/files"
CONTENT = "GET /openai/files/{fileId}/content"
OWNER = "adopted/dev"
CAFE = "Café Übersicht \N{EN DASH} Q3"  # folds to cafe-ubersicht-q3
FAQ_TEXT = b"# FAQ\n"
FAQ = (
    f"faq.sha256-{hashlib.sha256(FAQ_TEXT).hexdigest()[:12]}.md"  # content-addressed, as we upload
)


def run(*args: str) -> Result:
    return CliRunner().invoke(main, list(args), env=ENV)


def run_import(*args: str) -> Result:
    """`reconciler import ...`: through the group once the command is registered there."""
    if "import" in main.commands:
        return run("import", *args)
    fast = Settings(retry=RetryPolicy(base_seconds=0.001))
    return CliRunner().invoke(import_command, list(args), env=ENV, obj=fast)


@pytest.fixture
def project(tmp_path: Path, server: BackgroundServer) -> Path:
    """A project with one environment and no manifests yet."""
    root = tmp_path / "adopted"
    root.mkdir()
    (root / "reconciler.yaml").write_text(
        "project: adopted\nmanifests: [assistants/]\n"
        f"environments:\n  dev:\n    endpoint: {server.url}\n",
        encoding="utf-8",
    )
    return root


def tree(root: Path) -> dict[str, bytes | None]:
    """Every file (with its bytes) and folder (None) of a project, but the emulator's state."""
    return {
        p.relative_to(root).as_posix(): p.read_bytes() if p.is_file() else None
        for p in sorted(root.rglob("*"))
        if ".reconciler" not in p.parts
    }


def upload(api: httpx.Client, name: str, content: bytes) -> str:
    response = api.post("/files", files={"file": (name, content)}, data={"purpose": "assistants"})
    assert response.status_code == 200, response.text
    file_id: str = response.json()["id"]
    return file_id


def make(api: httpx.Client, **body: Any) -> str:
    response = api.post("/assistants", json={"model": "gpt-4", **body})
    assert response.status_code == 200, response.text
    assistant_id: str = response.json()["id"]
    return assistant_id


def live(api: httpx.Client) -> dict[str, dict[str, Any]]:
    data = api.get("/assistants", params={"limit": 100, "order": "asc"}).json()["data"]
    return {a["id"]: a for a in data}


def contents(api: httpx.Client, file_ids: list[str]) -> list[bytes]:
    return sorted(api.get(f"/files/{i}/content").content for i in file_ids)


def function(name: str, **extra: Any) -> dict[str, Any]:
    return {"type": "function", "function": {"name": name, **extra}}


def hand_made(api: httpx.Client) -> list[str]:
    """20 assistants made through the API, as people make them by hand, in creation order."""
    handbook = upload(api, "handbook.md", b"# Handbook\nBe kind.\n")
    prices = upload(api, "prices.csv", b"sku,price\nA1,10\n")
    made = []
    for i in range(20):
        files = [upload(api, f"doc-{i}.md", f"# Doc {i}\n".encode())]
        files += [handbook] if i % 3 == 0 else []
        files += [prices] if i % 4 == 1 else []
        tools: list[dict[str, Any]] = [{"type": "code_interpreter"}]
        if i % 2:
            parameters = {"type": "object", "properties": {"id": {"type": "string"}}}
            tools.append(function(f"lookup_{i}", description=f"Find {i}", parameters=parameters))
        body: dict[str, Any] = {
            "name": f"Hand Made {i}",
            "model": "gpt-35-turbo-eu" if i % 2 else "gpt-4-prod-deployment",
            "instructions": f"You are hand-made assistant {i}.\nBe brief.\n",
            "tools": tools,
            "metadata": {"team": f"t{i}", "cost-center": "42"} if i % 3 == 1 else {},
        }
        if i % 2 == 0:
            body["description"] = f"Assistant number {i}"
        made.append((i, body, files))
    # The odd ones people make too.
    made[0][1]["name"] = made[1][1]["name"] = "Support Bot"  # one name, two assistants
    made[2][1]["name"] = CAFE
    made[3][1]["tools"] = [{"type": "retrieval"}, function("no_parameters")]
    made[4][1]["instructions"] = None
    made[8][1]["instructions"] = ""
    made[5][2][1:] = [upload(api, FAQ, FAQ_TEXT)]  # uploaded by reconciler for another project
    made[6][2][:] = [upload(api, "notes.txt", b"one\n"), upload(api, "notes.txt", b"two\n")]
    made[7][2].append(upload(api, "Q3 report (final).json", b'{"q": 3}\n'))
    made[10][1]["metadata"] = {"reconciler.name": "stale", "team": "x"}  # reserved, no owner
    made[12][1].pop("name")
    made[14][1]["description"] = "Costs ${var.price} or $${literal}"  # looks like interpolation
    return [make(api, **body, file_ids=files) for _, body, files in made]


def test_import_of_20_hand_made_assistants_then_apply_then_plan_shows_no_changes(
    project: Path, api: httpx.Client, emulator: Emulator
) -> None:
    ids = hand_made(api)
    before = live(api)
    originals = {i: contents(api, before[i]["file_ids"]) for i in ids}
    file_ids = {f for a in before.values() for f in a["file_ids"]}
    selections = [arg for i in ids for arg in ("--select", i)]
    selections[selections.index(ids[2])] = CAFE  # by name, not by id
    selections[selections.index(ids[9])] = "Hand Made 9"

    emulator.stats.clear()
    imported = run_import(str(project), "--env", "dev", *selections)
    assert imported.exit_code == 0, imported.output
    # One list of assistants, one of files, one download per distinct file: nothing else.
    assert emulator.stats.snapshot()["requests"] == {
        LIST: 1,
        FILES: 1,
        CONTENT: len(file_ids),
    }
    assert "Imported 20 assistants into" in imported.stdout
    assert "it will show the adoption" in imported.stdout
    manifests = project / "assistants"
    assert len(list(manifests.glob("*.yaml"))) == 20

    validated = run("validate", str(project))
    assert validated.exit_code == 0, validated.output
    planned = run("plan", str(project), "--env", "dev")
    assert planned.stdout.count("adopts the existing assistant") == 20
    # Every distinct content is uploaded under its content-addressed name, but FAQ's: it has one.
    uploads = len({hashlib.sha256(c).digest() for cs in originals.values() for c in cs}) - 1
    assert f"Plan: {uploads} to add, 20 to change, 0 to destroy." in planned.stdout

    assert run("apply", str(project), "--auto-approve").exit_code == 0
    again = run("plan", str(project), "--detailed-exitcode")
    assert (again.exit_code, again.stdout) == (
        0,
        "No changes. The live objects match the manifests.\n",
    )
    after = live(api)
    assert sorted(after) == sorted(ids)  # the same 20 assistants, no new one
    for assistant_id, was in before.items():
        now = after[assistant_id]
        assert now["metadata"][OWNER_MARK] == OWNER
        assert contents(api, now["file_ids"]) == originals[assistant_id]
        user = {k: v for k, v in was["metadata"].items() if not k.startswith("reconciler.")}
        assert {k: v for k, v in now["metadata"].items() if k not in (OWNER_MARK, NAME_MARK)} == (
            user
        )
        for key in ("model", "description", "instructions", "tools"):
            assert now[key] == was[key], (assistant_id, key)
        if was["name"] is not None:
            assert now["name"] == was["name"]
    assert after[ids[12]]["name"] == ids[12].lower()  # no name: its logical name becomes one
    assert after[ids[14]]["description"] == "Costs ${var.price} or $${literal}"


def test_the_written_manifests_say_what_the_assistants_are(
    project: Path, api: httpx.Client
) -> None:
    ids = hand_made(api)
    chosen = [ids[i] for i in (0, 1, 2, 4, 5, 6, 7, 8, 10, 12)]
    result = run_import(str(project), *[arg for i in chosen for arg in ("--select", i)])
    assert result.exit_code == 0, result.output
    folder = project / "assistants"

    def manifest(name: str) -> str:
        return (folder / f"{name}.yaml").read_text(encoding="utf-8")

    # Two assistants named "Support Bot": the second logical name is made unique.
    assert "name: support-bot\ndisplay_name: Support Bot\n" in manifest("support-bot")
    assert f"import_id:\n  dev: {ids[1]}\n" in manifest("support-bot-2")
    assert f"name: cafe-ubersicht-q3\ndisplay_name: {CAFE}\n" in manifest("cafe-ubersicht-q3")
    first = manifest("support-bot")
    assert "model: gpt-4-prod-deployment\n" in first  # the deployment name, literally
    assert "instructions_file: prompts/support-bot.md\n" in first
    assert (folder / "prompts/support-bot.md").read_text(encoding="utf-8") == (
        "You are hand-made assistant 0.\nBe brief.\n"
    )
    assert "files/support-bot/doc-0.md" in first
    assert "files/support-bot/handbook.md" in first
    # No instructions: none written; empty instructions: inline.
    assert "instructions" not in manifest("hand-made-4")
    assert not (folder / "prompts/hand-made-4.md").exists()
    assert "instructions: ''\n" in manifest("hand-made-8")
    # Original names: the content hash stripped, a second file of one name renamed.
    assert (folder / "files/hand-made-5/faq.md").read_bytes() == FAQ_TEXT
    assert (folder / "files/hand-made-6/notes.txt").read_bytes() == b"one\n"
    assert (folder / "files/hand-made-6/notes-2.txt").read_bytes() == b"two\n"
    assert (folder / "files/hand-made-7/Q3 report (final).json").read_bytes() == b'{"q": 3}\n'
    # Reserved metadata keys are left out, and said so.
    assert "reconciler.name" not in manifest("hand-made-10")
    assert "reserved metadata keys left out (apply removes them): reconciler.name" in (
        result.stdout
    )
    # No name at all: the id is the logical name, and the output says the name will be set.
    assert f"import_id:\n  dev: {ids[12]}\n" in manifest(ids[12].lower())
    assert f"{ids[12]} has no name: apply gives it the name" in result.stdout
    assert run("validate", str(project)).exit_code == 0


def test_the_listing_shows_only_unmanaged_assistants_and_writes_nothing(
    quick: Path, multi: Path, api: httpx.Client, emulator: Emulator, server: BackgroundServer
) -> None:
    assert run("apply", str(quick), "--auto-approve").exit_code == 0
    assert run("apply", str(multi), "--env", "dev", "--auto-approve").exit_code == 0
    managed = set(live(api))
    mine = [
        make(api, name="Hand made", file_ids=[upload(api, "a.md", b"a")]),
        make(api, model="gpt-35-turbo-eu"),
    ]
    written = tree(quick)
    emulator.stats.clear()

    listed = run_import(str(quick))
    assert listed.exit_code == 0, listed.output
    assert emulator.stats.snapshot()["requests"] == {LIST: 1}  # no file list, no download
    lines = listed.stdout.splitlines()
    assert lines[0].split() == ["ID", "NAME", "MODEL", "FILES", "CREATED", "(UTC)"]
    assert lines[1].split()[:5] == [mine[0], "Hand", "made", "gpt-4", "1"]
    assert lines[2].split()[:4] == [mine[1], "-", "gpt-35-turbo-eu", "0"]
    assert f"2 unmanaged assistants at {server.url};" in listed.stdout
    assert f"; {len(managed)} managed by projects, not shown." in listed.stdout
    assert not any(i in listed.stdout for i in managed)
    assert tree(quick) == written


def test_an_empty_endpoint_lists_nothing(project: Path) -> None:
    listed = run_import(str(project))
    assert listed.exit_code == 0, listed.output
    assert listed.stdout.startswith("No unmanaged assistants at ")


def test_selection_by_name_and_by_id(project: Path, api: httpx.Client, emulator: Emulator) -> None:
    by_name = make(api, name="Billing", instructions="Bill.", tools=[{"type": "code_interpreter"}])
    by_id = make(api, name="Billing", instructions="Bill twice.")
    other = make(api, name="Sales")
    first = run_import(str(project), "--select", "Sales", "--select", by_id, "--select", other)
    assert first.exit_code == 0, first.output
    assert "Imported 2 assistants" in first.stdout  # "Sales" and its id name one assistant
    assert f"import_id:\n  dev: {other}\n" in (project / "assistants/sales.yaml").read_text()
    assert f"import_id:\n  dev: {by_id}\n" in (project / "assistants/billing.yaml").read_text()
    # Until apply, both "Billing" assistants are unmanaged: the name is ambiguous.
    assert "matches 2 unmanaged" in run_import(str(project), "--select", "Billing").stderr
    assert run("apply", str(project), "--auto-approve").exit_code == 0
    # Now the other "Billing" is the only unmanaged one: a name selects it.
    emulator.stats.clear()
    second = run_import(str(project), "--select", "Billing")
    assert second.exit_code == 0, second.output
    text = (project / "assistants/billing-2.yaml").read_text()  # billing is taken
    assert f"import_id:\n  dev: {by_name}\n" in text
    assert "display_name: Billing\n" in text
    assert emulator.stats.snapshot()["requests"] == {LIST: 1, FILES: 1}
    assert run("apply", str(project), "--auto-approve").exit_code == 0
    assert run("plan", str(project), "--detailed-exitcode").exit_code == 0
    assert sorted(live(api)) == sorted([by_name, by_id, other])


def test_an_assistant_without_instructions_or_files(project: Path, api: httpx.Client) -> None:
    bare = make(api, name="bare", model="my-deployment")
    result = run_import(str(project), "--select", bare)
    assert result.exit_code == 0, result.output
    written = tree(project)
    assert [path for path, data in written.items() if data is not None] == [
        "assistants/bare.yaml",
        "reconciler.yaml",
    ]
    assert (project / "assistants/bare.yaml").read_text().splitlines()[2:] == [
        "kind: Assistant",
        "name: bare",
        "model: my-deployment",
        "import_id:",
        f"  dev: {bare}",
    ]
    assert run("apply", str(project), "--auto-approve").exit_code == 0
    assert run("plan", str(project), "--detailed-exitcode").exit_code == 0
    assert live(api)[bare]["instructions"] is None


Setup = Callable[[Path, httpx.Client], list[str]]


def _missing(project: Path, api: httpx.Client) -> list[str]:
    make(api, name="Here")
    return ["--select", "Nowhere"]


def _managed(project: Path, api: httpx.Client) -> list[str]:
    theirs = make(api, name="Theirs", metadata={OWNER_MARK: "other/prod", NAME_MARK: "theirs"})
    return ["--select", "Theirs", "--select", theirs]


def _ambiguous(project: Path, api: httpx.Client) -> list[str]:
    make(api, name="Twin")
    make(api, name="Twin")
    return ["--select", "Twin"]


def _exists(project: Path, api: httpx.Client) -> list[str]:
    make(api, name="Taken", instructions="Hi.")
    (project / "assistants/prompts").mkdir(parents=True)
    (project / "assistants/prompts/taken.md").write_text("mine", encoding="utf-8")
    return ["--select", "Taken"]


def _unreadable(project: Path, api: httpx.Client) -> list[str]:
    make(api, name="No tools", file_ids=[upload(api, "a.md", b"a")])
    make(
        api,
        name="Binary",
        tools=[{"type": "code_interpreter"}],
        file_ids=[upload(api, "x.bin", b"x")],
    )
    return ["--select", "No tools", "--select", "Binary"]


def _crowded(project: Path, api: httpx.Client) -> list[str]:
    make(api, name="Crowded", metadata={f"k{i}": "v" for i in range(15)})
    return ["--select", "Crowded"]


def _outside(project: Path, api: httpx.Client) -> list[str]:
    make(api, name="Out")
    return ["--select", "Out", "--into", "elsewhere"]


@pytest.mark.parametrize(
    ("setup", "messages"),
    [
        (_missing, ["--select 'Nowhere' matches no assistant at http://"]),
        (
            _managed,
            [
                "--select 'Theirs' names an assistant managed by other/prod: only unmanaged",
                "can be imported\n  --select 'asst_",
            ],
        ),
        (_ambiguous, ["--select 'Twin' matches 2 unmanaged assistants (asst_"]),
        (_exists, ["assistants/prompts/taken.md already exists: move it, or import with"]),
        (
            _unreadable,
            [
                "(no-tools): file 'files/no-tools/a.md' needs a tool that reads files",
                "(binary): file 'files/binary/x.bin': code_interpreter cannot read '.bin'",
            ],
        ),
        (_crowded, ["(crowded): 15 metadata keys; at most 14 fit beside the 2 ownership marks"]),
        (_outside, ["elsewhere/ is not among the project's manifests (assistants/)"]),
    ],
    ids=[
        "no-match",
        "managed",
        "ambiguous",
        "target-exists",
        "unreadable-files",
        "too-much-metadata",
        "not-read",
    ],
)
def test_refusals_write_nothing_and_say_why(
    project: Path, api: httpx.Client, emulator: Emulator, setup: Setup, messages: list[str]
) -> None:
    args = setup(project, api)
    written = tree(project)
    emulator.stats.clear()
    result = run_import(str(project), *args)
    assert result.exit_code == 1, result.output
    assert result.stderr.startswith("Error: import refused, nothing was written:")
    assert result.stderr.count("\n") == (1 if len(messages) == 1 else 1 + len(messages))
    for message in messages:
        assert message in result.stderr
    assert tree(project) == written
    assert CONTENT not in emulator.stats.snapshot()["requests"]  # refused before downloading


def test_an_assistant_already_imported_is_refused_until_apply(
    project: Path, api: httpx.Client
) -> None:
    made = make(api, name="Once")
    assert run_import(str(project), "--select", made).exit_code == 0
    again = run_import(str(project), "--select", "Once")
    assert again.exit_code == 1
    assert f"{made} is already imported by {project}/assistants/once.yaml; apply adopts it" in (
        again.stderr
    )
    assert f"{made} is already imported by" in run_import(str(project)).stdout


def test_a_logical_name_the_project_declares_is_not_reused(quick: Path, api: httpx.Client) -> None:
    made = make(api, name="support-bot")  # quick's manifest declares support-bot, not applied
    result = run_import(str(quick), "--select", made)
    assert result.exit_code == 0, result.output
    text = (quick / "assistants/support-bot-2.yaml").read_text()
    assert "name: support-bot-2\ndisplay_name: support-bot\n" in text
    assert run("validate", str(quick)).exit_code == 0
    assert run("apply", str(quick), "--auto-approve").exit_code == 0
    assert run("plan", str(quick), "--detailed-exitcode").exit_code == 0
    assert made in live(api)


def test_several_environments_need_env(multi: Path, api: httpx.Client) -> None:
    result = run_import(str(multi))
    assert result.exit_code == 1
    assert "choose one with --env" in result.stderr


def test_into_a_folder_inside_the_manifests_and_the_default_for_dot(
    project: Path, api: httpx.Client
) -> None:
    made = make(api, name="Deep", instructions="Go deep.")
    result = run_import(str(project), "--select", made, "--into", "assistants/imported")
    assert result.exit_code == 0, result.output
    assert (project / "assistants/imported/prompts/deep.md").read_text() == "Go deep."
    assert run("validate", str(project)).exit_code == 0

    config = project / "reconciler.yaml"
    config.write_text(config.read_text().replace("[assistants/]", "[.]"), encoding="utf-8")
    other = make(api, name="Flat")
    assert run_import(str(project), "--select", other).exit_code == 0
    assert (project / "assistants/flat.yaml").is_file()  # `.` means assistants/
    assert run("apply", str(project), "--auto-approve").exit_code == 0
    assert run("plan", str(project), "--detailed-exitcode").exit_code == 0


def test_downloads_survive_faults(project: Path, api: httpx.Client, emulator: Emulator) -> None:
    shared = upload(api, "shared.md", b"shared")
    made = [
        make(api, name=f"F{i}", tools=[{"type": "code_interpreter"}], file_ids=[shared, own])
        for i, own in enumerate(upload(api, f"own-{i}.md", b"own %d" % i) for i in range(4))
    ]
    emulator.faults.update({"fault_500": 0.2, "fault_drop": 0.1, "seed": 3})
    emulator.stats.clear()
    result = run_import(str(project), *[a for i in made for a in ("--select", i)])
    emulator.faults.update({"fault_500": 0.0, "fault_drop": 0.0})
    assert result.exit_code == 0, result.output
    downloads = emulator.stats.snapshot()["requests"][CONTENT]
    assert downloads > 5  # 5 distinct files, some downloads retried
    assert (project / "assistants/files/f3/own-3.md").read_bytes() == b"own 3"
    assert (project / "assistants/files/f0/shared.md").read_bytes() == b"shared"


def test_a_failed_write_removes_what_it_wrote(tmp_path: Path) -> None:
    first = Draft("asst_1", "a", text="kind: Assistant\n", files=[("f1", "files/a/x.md")])
    second = Draft("asst_1", "b", text="kind: Assistant\n", files=[("f1", "files/b/x.md")])
    (tmp_path / "files").mkdir()
    (tmp_path / "files/b").write_text("in the way", encoding="utf-8")
    with pytest.raises(ReconcilerError, match=r"files/b/x.md failed \(Not a directory\); nothing"):
        write(tmp_path, [first, second], {"f1": b"x"})
    assert tree(tmp_path) == {"files": None, "files/b": b"in the way"}


# The client's new call, on a scripted transport: the same retries as every other call.


def scripted(
    *steps: Callable[[httpx.Request], httpx.Response],
) -> tuple[AssistantsClient, list[str]]:
    seen: list[str] = []
    script = iter(steps)

    def handle(request: httpx.Request) -> httpx.Response:
        seen.append(f"{request.method} {request.url.path}?{request.url.query.decode()}")
        return next(script)(request)

    retry = RetryPolicy(sleep=lambda _: None)
    http = httpx.Client(transport=httpx.MockTransport(handle))
    client = AssistantsClient(
        http, "https://x.openai.azure.com", "2024-02-15-preview", Credential("k"), retry
    )
    return client, seen


def answer(
    code: int, content: bytes = b"", headers: dict[str, str] | None = None
) -> Callable[[httpx.Request], httpx.Response]:
    return lambda request: httpx.Response(code, content=content, headers=headers)


def dropped(request: httpx.Request) -> httpx.Response:
    raise httpx.RemoteProtocolError("Server disconnected.", request=request)


def test_download_file_returns_the_bytes_after_retries() -> None:
    client, seen = scripted(
        answer(500),
        answer(429, headers={"retry-after-ms": "1"}),
        dropped,
        answer(200, b"\x00\xffbin"),
    )
    assert client.download_file("assistant-abc") == b"\x00\xffbin"  # bytes, never parsed
    assert seen == ["GET /openai/files/assistant-abc/content?api-version=2024-02-15-preview"] * 4


def test_download_file_errors_are_api_errors_and_not_retried() -> None:
    client, seen = scripted(
        lambda r: httpx.Response(404, json={"error": {"code": "404", "message": "No such file"}})
    )
    with pytest.raises(
        ApiError, match=r"download file gone failed: HTTP 404 \(404\): No such file"
    ):
        client.download_file("gone")
    assert len(seen) == 1


# The pure parts.


@pytest.mark.parametrize(
    ("api_name", "expected"),
    [
        ("Support Bot", "support-bot"),
        ("support-bot", "support-bot"),
        (f"  {CAFE} ", "cafe-ubersicht-q3"),
        ("__x__", "x"),
        ("a" * 80, "a" * 64),
        ("日本語", "asst_ab12"),
        ("", "asst_ab12"),
        (None, "asst_ab12"),
    ],
)
def test_logical_names(api_name: str | None, expected: str) -> None:
    assert logical_name(api_name, "asst_AB12") == expected


def test_unique_names_stay_within_64_characters() -> None:
    assert unique_name("bot", {"bot", "bot-2"}) == "bot-3"
    assert unique_name("a" * 64, {"a" * 64}) == "a" * 62 + "-2"


@pytest.mark.parametrize(
    ("filename", "expected"),
    [
        ("faq.3f9a2c1e77b0.md", "faq.md"),
        ("report.tar.3f9a2c1e77b0.gz", "report.tar.gz"),
        ("faq.3F9A2C1E77B0.md", "faq.3F9A2C1E77B0.md"),  # not ours: uppercase hex
        ("../../etc/passwd", "passwd"),
        ("C:\\Users\\me\\notes.txt", "notes.txt"),
        ("..", "assistant-x"),
        ("bad\x00name?.md", "bad_name_.md"),
        ("x" * 300 + ".md", "x" * 197 + ".md"),
    ],
)
def test_original_file_names(filename: str, expected: str) -> None:
    assert original_name(filename, "assistant-x") == expected


def test_escaped_strings_read_back_as_they_were() -> None:
    from reconciler.adoption.draft import _escape  # noqa: PLC0415 - a private helper, tested alone

    scope = Scope("dev", {"x": "X"}, {})
    for text in ("${var.x}", "$${var.x}", "$$", "a $ {b} ${", "${unclosed", "$$${x}"):
        assert interpolate(_escape(text), scope) == (text, [])
