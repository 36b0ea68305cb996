"""`reconciler migrate`: v1 projects become Foundry projects that validate; output compared."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from reconciler.cli import main
from reconciler.config.desired import load_desired, validate
from reconciler.config.source import load_documents
from reconciler.core.kinds.agent import DESIRED as AGENTS
from reconciler.core.tools.code_interpreter import CodeInterpreter
from reconciler.core.tools.file_search import FileSearch
from tests.support.foundry_desired import tool_of

ROOT = Path(__file__).parents[2]
EXAMPLES = ROOT / "examples"


def _migrate(source: Path, into: Path) -> Result:
    return CliRunner().invoke(main, ["migrate", str(source), "--into", str(into)])


def _documents(path: Path) -> list[object]:
    documents, problems = load_documents(str(path), path.read_text(encoding="utf-8"))
    assert problems == []
    return [d.data for d in documents]


def test_the_quickstart_migrates_and_validates(tmp_path: Path) -> None:
    into = tmp_path / "foundry"
    result = _migrate(EXAMPLES / "quickstart", into)
    assert (result.exit_code, result.stderr) == (0, "")
    assert result.stdout == (
        f"Migrated 1 assistant from {EXAMPLES / 'quickstart'} into {into}:\n"
        "  assistants/support.yaml: assistant support-bot -> agent support-bot\n"
        "Notes:\n"
        "  assistants/support.yaml: support-bot: display_name 'Support Bot' is not a valid agent "
        "name: the agent is named 'support-bot'\n"
        f"Next: reconciler validate {into}, then reconciler plan {into}\n"
    )
    assert sorted(p.relative_to(into).as_posix() for p in into.rglob("*") if p.is_file()) == [
        "assistants/docs/faq.md",
        "assistants/support.yaml",
        "reconciler.yaml",
    ]
    assert _documents(into / "assistants" / "support.yaml") == [
        {
            "kind": "Agent",
            "name": "support-bot",
            "model": "gpt-4",
            "description": "Answers questions about orders",
            "instructions": "You answer questions about orders, shipping and returns.\n"
            "Use the FAQ attached to you; say so when it has no answer.\n",
            "tools": [{"type": "code_interpreter", "files": ["docs/faq.md"]}],
            "metadata": {"team": "support"},
        }
    ]
    assert _documents(into / "reconciler.yaml") == [
        {
            "project": "quickstart",
            "manifests": ["assistants/"],
            "environments": {"local": {"api": "foundry", "endpoint": "local"}},
        }
    ]
    assert validate(into, None, {}) == []


def test_multi_env_migrates_with_a_name_per_environment(tmp_path: Path) -> None:
    into = tmp_path / "foundry"
    result = _migrate(EXAMPLES / "multi-env", into)
    assert result.exit_code == 0, result.stderr
    lines = result.stdout.splitlines()
    assert lines[1:3] == [
        "  assistants/support.yaml: assistant support-bot -> agent support-bot-${env.name}",
        "  assistants/support.yaml: assistant billing-bot -> agent billing-bot-${env.name}",
    ]
    placeholder = "https://contoso-prod.services.ai.azure.com/api/projects/CHANGE-ME"
    assert (
        "  reconciler.yaml: environment 'prod': endpoint 'https://contoso-prod.openai.azure.com' "
        f"is an Azure OpenAI resource; replace the placeholder '{placeholder}' with its Foundry "
        "project's endpoint"
    ) in lines
    assert any("API keys dropped" in line for line in lines)
    assert validate(into, None, {}) == []
    dev, prod = load_desired(into, "dev", {}), load_desired(into, "prod", {})
    assert [a.name for a in dev.of(AGENTS)] == ["support-bot-dev", "billing-bot-dev"]
    assert [a.model for a in prod.of(AGENTS)] == ["gpt-4", "gpt-4"]
    assert prod.environment.endpoint == placeholder
    instructions = dev.of(AGENTS)[0].instructions
    assert instructions is not None
    assert instructions.startswith("You are the support assistant.")
    assert len(dev.files) == 2
    code = [tool_of(a, CodeInterpreter).files for a in dev.of(AGENTS)]
    assert code[1] == (code[0][1],)
    # The editor schema line follows the copy: it points at the same schema from the new place.
    first = (into / "assistants" / "support.yaml").read_text(encoding="utf-8").splitlines()[0]
    schema = first.removeprefix("# yaml-language-server: $schema=")
    assert (into / "assistants" / schema).resolve() == ROOT / "schemas" / "manifest.schema.json"


V1_PROJECT = """project: demo
manifests: [assistants/]
environments:
  dev: {endpoint: local}
"""
V1_MANIFEST = """kind: Assistant
name: helper
model: gpt-4
tools:
  - type: code_interpreter
  - type: retrieval
  - type: function
    function:
      name: lookup
      description: Look an order up
      parameters: {type: object, properties: {id: {type: string}}}
files: [faq.md, prices.csv]
lifecycle: {prevent_destroy: true, ignore_changes: [display_name, files, model]}
import_id: asst_abc123
renamed_from: [old-helper]
"""


def _v1(tmp_path: Path, manifest: str = V1_MANIFEST) -> Path:
    source = tmp_path / "v1"
    (source / "assistants").mkdir(parents=True)
    (source / "reconciler.yaml").write_text(V1_PROJECT, encoding="utf-8")
    (source / "assistants" / "helper.yaml").write_text(manifest, encoding="utf-8")
    (source / "assistants" / "faq.md").write_text("# FAQ\n", encoding="utf-8")
    (source / "assistants" / "prices.csv").write_text("a,b\n1,2\n", encoding="utf-8")
    return source


def test_tools_files_lifecycle_and_what_is_dropped(tmp_path: Path) -> None:
    into = tmp_path / "out"
    result = _migrate(_v1(tmp_path), into)
    assert result.exit_code == 0, result.stderr
    assert result.stdout.splitlines()[2:8] == [
        "Notes:",
        "  assistants/helper.yaml: helper: file 'prices.csv' is not knowledge: file_search cannot "
        "read it",
        "  assistants/helper.yaml: helper: ignore_changes: display_name dropped: an agent has no "
        "display_name",
        "  assistants/helper.yaml: helper: import_id dropped: it names a v1 assistant; to adopt an "
        "existing agent, set import_id to its name",
        "  assistants/helper.yaml: helper: renamed_from dropped: an agent is known by its name "
        "alone",
        f"Next: reconciler validate {into}, then reconciler plan {into}",
    ]
    (agent,) = _documents(into / "assistants" / "helper.yaml")
    assert agent == {
        "kind": "Agent",
        "name": "helper",
        "model": "gpt-4",
        "tools": [
            {
                "type": "function",
                "name": "lookup",
                "description": "Look an order up",
                "parameters": {"type": "object", "properties": {"id": {"type": "string"}}},
            },
            {"type": "code_interpreter", "files": ["faq.md", "prices.csv"]},
            {"type": "file_search", "files": ["faq.md"]},
        ],
        "lifecycle": {"prevent_destroy": True, "ignore_changes": ["tools", "model"]},
    }
    assert validate(into, None, {}) == []
    (desired,) = load_desired(into, "dev", {}).of(AGENTS)
    code, search = tool_of(desired, CodeInterpreter), tool_of(desired, FileSearch)
    assert search.files == (code.files[0],)  # faq.md goes to both tools


def test_a_bad_manifest_is_a_located_error_and_nothing_is_written(tmp_path: Path) -> None:
    into = tmp_path / "out"
    result = _migrate(_v1(tmp_path, "kind: Assistant\nname: helper\nmodle: gpt-4\n"), into)
    assert result.exit_code == 1
    shown = tmp_path / "v1" / "assistants" / "helper.yaml"
    assert result.stderr.splitlines()[:2] == [
        f"{shown}:1:1: missing required key 'model'",
        f"{shown}:3:1: unknown key 'modle' (did you mean 'model'?)",
    ]
    assert not into.exists()


def test_it_never_writes_into_a_folder_that_holds_something(tmp_path: Path) -> None:
    into = tmp_path / "out"
    into.mkdir()
    (into / "keep.txt").write_text("mine", encoding="utf-8")
    result = _migrate(_v1(tmp_path), into)
    assert result.exit_code == 1
    assert (
        result.stderr == f"Error: {into} is not empty: migrate writes into a new or empty folder\n"
    )
    assert [p.name for p in into.iterdir()] == ["keep.txt"]


def test_display_names_that_read_alike_give_distinct_agents(tmp_path: Path) -> None:
    twins = (
        "kind: Assistant\nname: helper\ndisplay_name: Help Desk\nmodel: m\n---\n"
        "kind: Assistant\nname: helper.eu\ndisplay_name: help desk!\nmodel: m\n"
    )
    into = tmp_path / "out"
    result = _migrate(_v1(tmp_path, twins), into)
    assert result.exit_code == 0, result.stderr
    assert result.stdout.splitlines()[1:6] == [
        "  assistants/helper.yaml: assistant helper -> agent help-desk",
        "  assistants/helper.yaml: assistant helper.eu -> agent helper-eu",
        "Notes:",
        "  assistants/helper.yaml: helper: display_name 'Help Desk' is not a valid agent name: "
        "the agent is named 'help-desk'",
        "  assistants/helper.yaml: helper.eu: display_name 'help desk!' gives 'help-desk' again: "
        "the agent is named 'helper-eu'",
    ]
    assert [a.name for a in load_desired(into, "dev", {}).of(AGENTS)] == ["help-desk", "helper-eu"]


def test_it_never_writes_inside_the_source_project(tmp_path: Path) -> None:
    source = _v1(tmp_path)
    result = _migrate(source, source / "foundry")
    assert result.exit_code == 1
    assert result.stderr == (
        f"Error: {source / 'foundry'} is inside {source}: the source project would read the "
        "migrated manifests as its own; write them outside it\n"
    )
    assert not (source / "foundry").exists()


@pytest.mark.parametrize(
    ("example", "environments"), [("quickstart", ["local"]), ("multi-env", ["dev", "staging"])]
)
def test_the_migrated_examples_apply_to_the_foundry_emulator_and_converge(
    tmp_path: Path, example: str, environments: list[str]
) -> None:
    into = tmp_path / "foundry"
    assert _migrate(EXAMPLES / example, into).exit_code == 0
    for env in environments:  # endpoint: local, so the bundled emulator's Foundry projects
        applied = CliRunner().invoke(main, ["apply", str(into), "--env", env, "--auto-approve"])
        assert applied.exit_code == 0, applied.output
        assert "Apply complete!" in applied.stdout
    for env in environments:
        again = CliRunner().invoke(main, ["plan", str(into), "--env", env, "--detailed-exitcode"])
        assert (again.exit_code, again.stdout) == (
            0,
            "No changes. The live objects match the manifests.\n",
        )


def test_a_valid_name_given_an_environment_suffix_says_why(tmp_path: Path) -> None:
    """The name is fine: the environments need one each (agent names are unique per project)."""
    source = tmp_path / "v1"
    (source / "assistants").mkdir(parents=True)
    (source / "reconciler.yaml").write_text(
        "project: demo\nmanifests: [assistants/]\n"
        "environments:\n  dev: {endpoint: local}\n  prod: {endpoint: local}\n",
        encoding="utf-8",
    )
    (source / "assistants" / "helper.yaml").write_text(
        "kind: Assistant\nname: helper\nmodel: m\n", encoding="utf-8"
    )
    result = _migrate(source, tmp_path / "out")
    assert result.exit_code == 0, result.stderr
    assert (
        "  assistants/helper.yaml: helper: name 'helper' is a valid agent name, but each "
        "environment needs its own (agent names are unique in a Foundry project, which "
        "environments may share): the agent is named 'helper-${env.name}'"
    ) in result.stdout.splitlines()
    assert "not a valid agent name" not in result.stdout
