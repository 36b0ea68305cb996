"""What a Foundry project may fill in when a definition leaves a field out.

A service that echoes its defaults back (temperature 1, a plain text format, a function's
`strict`) would otherwise differ from the manifest on every plan, and every apply would make a
new version. A field the manifest leaves out therefore accepts the service's default, as
Terraform does for optional, computed attributes; a field the manifest sets is compared as
usual. Where the default is documented, a value other than it (set in the portal) is still
drift; the fields a tool type calls computed (core/tools/: a function's `strict`, file_search's
`max_num_results`), whose defaults no source pins down, take any value, as does `rai_config`
(a project may apply its RAI policy to every agent; no source says whether it is echoed).
"""

from __future__ import annotations

from typing import Any

from reconciler.core.kinds.agent.rules import tool_key
from reconciler.core.tools.registry import tool_type

# Documented defaults of a prompt agent's definition (PromptAgentDefinition).
DEFINITION_DEFAULTS: dict[str, Any] = {
    "temperature": 1,
    "top_p": 1,
    "text": {"format": {"type": "text"}},
    "tool_choice": "auto",  # OpenAI's default when tools are given (the Responses API's)
}
# Settings whose default no source pins down: a manifest silent on them takes any value.
COMPUTED = ("rai_config",)
# StructuredInputDefinition.required: "The service defaults to `false`".
INPUT_DEFAULTS: dict[str, Any] = {"required": False}


def settled(live: dict[str, Any], desired: dict[str, Any]) -> dict[str, Any]:
    """The live essence with the service's defaults dropped where the desired one is silent."""
    definition = dict(live["definition"])
    wanted = desired["definition"]
    for key, default in DEFINITION_DEFAULTS.items():
        if key not in wanted and definition.get(key) == default:
            del definition[key]
    for key in COMPUTED:
        if key not in wanted:
            definition.pop(key, None)
    if isinstance(inputs := definition.get("structured_inputs"), dict):
        definition["structured_inputs"] = _inputs(inputs, wanted.get("structured_inputs") or {})
    declared = {tool_key(t): t for t in wanted.get("tools", [])}
    tools = definition.get("tools", [])
    definition["tools"] = [_tool(t, declared.get(tool_key(t))) for t in tools]
    return {**live, "definition": definition}


def _tool(tool: dict[str, Any], wanted: dict[str, Any] | None) -> dict[str, Any]:
    if wanted is None:
        return tool  # a tool the manifest does not declare: its whole self is the difference
    computed = tool_type(tool).computed  # fields whose default no source pins down
    return {k: v for k, v in tool.items() if k not in computed or k in wanted}


def _inputs(live: dict[str, Any], wanted: dict[str, Any]) -> dict[str, Any]:
    """Structured inputs with the service's defaults dropped where the declared one is silent."""
    return {name: _input(value, wanted.get(name)) for name, value in live.items()}


def _input(value: Any, wanted: Any) -> Any:
    if not isinstance(value, dict) or not isinstance(wanted, dict):
        return value
    silent = {k for k, v in INPUT_DEFAULTS.items() if k not in wanted and value.get(k) == v}
    return {k: v for k, v in value.items() if k not in silent}
