"""Inputs that validate lets through must not fail later with a false or obscure message."""

from __future__ import annotations

import json
from pathlib import Path

from tests.support.broken import invoke, project


def test_an_empty_key_variable_is_called_empty_not_unset(tmp_path: Path) -> None:
    directory = project(tmp_path, "https://contoso.openai.azure.com")
    config = directory / "reconciler.yaml"
    config.write_text(config.read_text() + "    api_key_env: MINE\n", encoding="utf-8")
    empty = invoke("plan", str(directory), env={"MINE": ""})
    unset = invoke("plan", str(directory), env={"MINE": None})
    message = "Error: environment 'dev' reads its API key from MINE, which {}. Set it, or use auth: entra.\n"
    assert (empty.returncode, empty.stderr) == (1, message.format("is set but empty"))
    assert (unset.returncode, unset.stderr) == (1, message.format("is not set"))


def test_a_valid_but_deep_function_schema_is_not_called_invalid(tmp_path: Path) -> None:
    schema: dict[str, object] = {"type": "string"}
    for _ in range(120):  # the default recursion limit stopped the check near 100 levels
        schema = {"type": "object", "properties": {"a": schema}}
    tool = {"type": "function", "function": {"name": "deep", "parameters": schema}}
    manifest = f"kind: Assistant\nname: bot\nmodel: gpt-4\ntools: [{json.dumps(tool)}]\n"
    result = invoke("validate", str(project(tmp_path, "local", manifest)))
    assert (result.returncode, result.stderr) == (0, "")
    assert result.stdout == "Success! The project is valid.\n"
