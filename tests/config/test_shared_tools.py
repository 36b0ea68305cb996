"""Assistants that declare a tool alike hold one dict of it: dumped from the validated model
once per distinct tool as written, and shared with any other that dumps the same."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from reconciler.config.desired import load_desired
from reconciler.core.kinds.assistant import DESIRED as ASSISTANTS

FUNCTION = "{type: function, function: {name: f, parameters: {type: object}}}"
TOOLS = {
    "a": FUNCTION,
    "b": FUNCTION,
    # Written otherwise, dumped alike: a null description is left out of the dump.
    "c": "{type: function, function: {name: f, description: null, parameters: {type: object}}}",
    # The model's keys come in its order, whatever the manifest's...
    "d": "{function: {parameters: {type: object}, name: f}, type: function}",
    # ...and a schema's in the manifest's: shown as they came, another dict.
    "e": "{type: function, function: {name: f, parameters: {required: [], type: object}}}",
    "f": "{type: function, function: {name: f, parameters: {type: object, required: []}}}",
}


def test_tools_declared_alike_are_one_dict(tmp_path: Path) -> None:
    (tmp_path / "reconciler.yaml").write_text(
        "project: p\nenvironments:\n  dev: {endpoint: local}\n", encoding="utf-8"
    )
    for name, function in TOOLS.items():
        listed = f"[{{type: code_interpreter}}, {function}]"
        manifest = f"kind: Assistant\nname: {name}\nmodel: m\ntools: {listed}\n"
        (tmp_path / f"{name}.yaml").write_text(manifest, encoding="utf-8")
    state = load_desired(tmp_path, "dev", {})
    tools = {a.name: a.tools for a in state.of(ASSISTANTS)}
    dumped: dict[str, Any] = {
        "type": "function",
        "function": {"name": "f", "parameters": {"type": "object"}},
    }
    assert tools["a"] == ({"type": "code_interpreter"}, dumped)
    assert all(tools[n][0] is tools["a"][0] for n in "bcdef")
    assert all(tools[n][1] is tools["a"][1] for n in "bcd")
    assert tools["e"][1] == tools["f"][1]
    assert tools["e"][1] is not tools["f"][1]
    assert list(tools["e"][1]["function"]["parameters"]) == ["required", "type"]
    assert list(tools["f"][1]["function"]["parameters"]) == ["type", "required"]
