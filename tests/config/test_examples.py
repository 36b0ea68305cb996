"""The examples validate for every environment they declare; the committed schemas are current."""

from __future__ import annotations

import json
import re
from pathlib import Path

import jsonschema
import pytest
from click.testing import CliRunner

from reconciler.cli import main
from reconciler.config.desired import load_desired, validate
from reconciler.config.schemas import json_schemas
from reconciler.config.source import load_documents
from reconciler.core.kinds.assistant import DESIRED as ASSISTANTS

ROOT = Path(__file__).parents[2]
EXAMPLES = sorted(p for p in (ROOT / "examples").iterdir() if (p / "reconciler.yaml").is_file())
SCHEMA_LINE = re.compile(r"^# yaml-language-server: \$schema=(\S+)$", re.MULTILINE)


def yaml_files(example: Path) -> list[Path]:
    """Manifests and reconciler.yaml (a workflow agent's YAML under workflows/ is no manifest)."""
    skipped = {".reconciler", "workflows"}
    return sorted(p for p in example.rglob("*.yaml") if not skipped & set(p.parts))


def test_there_are_five_examples() -> None:
    names = ["foundry", "foundry-workflow", "multi-env", "quickstart", "toolbox", "tools"]
    assert [p.name for p in EXAMPLES] == names


@pytest.mark.parametrize("example", EXAMPLES, ids=lambda p: p.name)
def test_each_example_validates_for_every_environment(example: Path) -> None:
    assert validate(example, None, {}) == []
    result = CliRunner().invoke(main, ["validate", str(example)])
    assert (result.exit_code, result.stdout) == (0, "Success! The project is valid.\n")


@pytest.mark.parametrize("schema", ["manifest", "project", "plan"])
def test_committed_schemas_are_current(schema: str) -> None:
    committed = json.loads((ROOT / "schemas" / f"{schema}.schema.json").read_text(encoding="utf-8"))
    assert committed == json_schemas()[schema], (
        f"stale: reconciler schema --kind {schema} > schemas/{schema}.schema.json"
    )


def test_the_schema_command_prints_both_schemas() -> None:
    result = CliRunner().invoke(main, ["schema"])
    assert json.loads(result.stdout) == json_schemas()


@pytest.mark.parametrize(
    "path", [p for e in EXAMPLES for p in yaml_files(e)], ids=lambda p: str(p.relative_to(ROOT))
)
def test_example_files_name_a_schema_that_accepts_them(path: Path) -> None:
    text = path.read_text(encoding="utf-8")
    match = SCHEMA_LINE.search(text)
    assert match, f"{path} has no yaml-language-server schema line"
    schema_path = (path.parent / match.group(1)).resolve()
    expected = "project" if path.name == "reconciler.yaml" else "manifest"
    assert schema_path == ROOT / "schemas" / f"{expected}.schema.json"
    schema = json.loads(schema_path.read_text(encoding="utf-8"))
    documents, problems = load_documents(str(path), text)
    assert problems == []
    for document in documents:
        jsonschema.validate(document.data, schema)


def test_the_schema_rejects_what_validate_rejects_structurally() -> None:
    schema = json_schemas()["manifest"]
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate(
            {"kind": "Assistant", "name": "a", "model": "m", "colour": "red"}, schema
        )


def test_multi_env_resolves_per_environment_and_shares_files() -> None:
    example = ROOT / "examples" / "multi-env"
    dev = load_desired(example, "dev", {})
    prod = load_desired(example, "prod", {})
    assert [a.name for a in dev.of(ASSISTANTS)] == ["support-bot", "billing-bot"]
    assert [a.model for a in dev.of(ASSISTANTS)] == ["gpt-35-turbo-dev"] * 2
    assert [a.model for a in prod.of(ASSISTANTS)] == ["gpt-4"] * 2
    assert dev.of(ASSISTANTS)[0].api_name == "Support Bot (dev)"
    assert dev.of(ASSISTANTS)[0].metadata == {"team": "support", "tier": "dev"}
    instructions = dev.of(ASSISTANTS)[0].instructions
    assert instructions is not None
    assert instructions.startswith("You are the support assistant.")
    assert len(dev.files) == 2  # pricing.csv is declared twice and held once
    assert dev.of(ASSISTANTS)[1].files == (dev.of(ASSISTANTS)[0].files[1],)
    names = sorted(f.upload_name for f in dev.files.values())
    assert [re.sub(r"\.sha256-[0-9a-f]{12}\.", ".<sha>.", n) for n in names] == [
        "faq.<sha>.md",
        "pricing.<sha>.csv",
    ]
    assert (prod.environment.endpoint, prod.environment.api_version) == (
        "https://contoso-prod.openai.azure.com",
        "2024-03-01-preview",
    )
    assert prod.environment.api_key_env == "CONTOSO_PROD_OPENAI_KEY"
    assert dev.environment.api_key_env is None  # the SDK's defaults apply


def test_a_project_with_several_environments_needs_env_to_load() -> None:
    result = CliRunner().invoke(
        main, ["validate", str(ROOT / "examples" / "multi-env"), "--env", "qa"]
    )
    assert result.exit_code == 1
    assert "unknown environment 'qa': the project defines dev, staging, prod" in result.stderr
