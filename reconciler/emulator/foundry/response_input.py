"""A `POST /responses` body, checked, and its input items as the service stores them.

Input items are those a conversation takes (conversation_items.py), plus what a client sends
back to a response: `mcp_approval_response` (`approval_request_id`, `approve`), and the output
items of earlier responses (`input = previous.output + [...]`), kept as they came.
"""

from __future__ import annotations

from typing import Annotated, Any

from pydantic import Field

from reconciler.emulator.core.db import Json
from reconciler.emulator.core.errors import ServiceError, bad_request
from reconciler.emulator.core.state import new_id
from reconciler.emulator.core.validation import Body
from reconciler.emulator.foundry import agent_reference
from reconciler.emulator.foundry.bodies import MAX_TOOLS, Tool, parse
from reconciler.emulator.foundry.body_rules import check_metadata
from reconciler.emulator.foundry.conversation_items import stored_item
from reconciler.emulator.foundry.state import Foundry

ECHOED = (
    "file_search_call",
    "code_interpreter_call",
    "mcp_list_tools",
    "mcp_approval_request",
    "mcp_call",
    "reasoning",
)
MIN_OUTPUT_TOKENS = 16
FLAGS = ("stream", "background", "store")


def checked(fd: Foundry, raw: Any) -> Json:
    """The body, or the service's 400 for the first thing wrong with it."""
    if not isinstance(raw, dict):
        raise bad_request(
            "Invalid type for request body: expected an object.", None, "invalid_type"
        )
    named = any(raw.get(name) is not None for name in agent_reference.FIELDS)
    if not named and (not isinstance(raw.get("model"), str) or not raw["model"]):
        raise bad_request(
            "Missing required parameter: 'model'.", "model", "missing_required_parameter"
        )
    if raw.get("previous_response_id") and raw.get("conversation"):
        message = "Mutually exclusive parameters: 'previous_response_id' and 'conversation'."
        raise bad_request(message, "conversation", "invalid_value")
    for name in FLAGS:
        if raw.get(name) is not None and not isinstance(raw[name], bool):
            message = f"Invalid type for '{name}': expected a boolean."
            raise bad_request(message, name, "invalid_type")
    include = raw.get("include")
    if include is not None and not (
        isinstance(include, list) and all(isinstance(i, str) for i in include)
    ):
        message = "Invalid type for 'include': expected an array of strings."
        raise bad_request(message, "include", "invalid_type")
    text = raw.get("text")
    if text is not None and not (
        isinstance(text, dict) and isinstance(text.get("format", {}), dict | None)
    ):
        message = "Invalid type for 'text': expected an object with an object 'format'."
        raise bad_request(message, "text", "invalid_type")
    if raw.get("background") and raw.get("store") is False:
        message = "Invalid value for 'store': a background response must be stored (store: true)."
        raise bad_request(message, "store", "invalid_value")
    _check_limit(raw.get("max_output_tokens"))
    check_metadata(raw.get("metadata"))
    return raw


def check_model(fd: Foundry, model: str) -> None:
    """The model must be one of the project's deployments (seed.py). The answer is Azure
    OpenAI's to an unknown deployment (404 `DeploymentNotFound`, its message as public reports
    of the deployment routes quote it); that /openai/v1/responses answers the same: UNVERIFIED."""
    deployments = {d.name for d in fd.options.resources.of(fd.project).deployments}
    if model not in deployments:
        message = (
            "The API deployment for this resource does not exist. If you created the deployment "
            "within the last 5 minutes, please wait a moment and try again."
        )
        raise ServiceError(404, message, param="model", code="DeploymentNotFound")


def items(raw: Any) -> list[Json]:
    """The request's input as stored items; none when it has no input (a conversation turn)."""
    if raw is None:
        return []
    if isinstance(raw, str):
        return [stored_item({"role": "user", "content": raw}, "input")]
    if not isinstance(raw, list):
        raise bad_request(
            "Invalid type for 'input': expected a string or an array.", "input", "invalid_type"
        )
    return [_item(item, f"input[{index}]") for index, item in enumerate(raw)]


def _item(raw: Any, where: str) -> Json:
    kind = raw.get("type") if isinstance(raw, dict) else None
    if kind == "mcp_approval_response":
        if not isinstance(raw.get("approval_request_id"), str):
            message = f"Missing required parameter: '{where}.approval_request_id'."
            raise bad_request(message, f"{where}.approval_request_id", "missing_required_parameter")
        return {
            "id": new_id("mcpa_"),
            "type": kind,
            "approval_request_id": raw["approval_request_id"],
            "approve": bool(raw.get("approve")),
            "reason": raw.get("reason"),
        }
    if kind in ECHOED and isinstance(raw, dict):
        return {"id": new_id("item_"), **raw}
    return stored_item(raw, where)


def _check_limit(limit: Any) -> None:
    if limit is None:
        return
    if not isinstance(limit, int) or isinstance(limit, bool):
        message = "Invalid type for 'max_output_tokens': expected an integer."
        raise bad_request(message, "max_output_tokens", "invalid_type")
    if limit < MIN_OUTPUT_TOKENS:
        message = (
            "Invalid 'max_output_tokens': integer below minimum value. Expected a value >= "
            f"{MIN_OUTPUT_TOKENS}, but got {limit} instead."
        )
        raise bad_request(message, "max_output_tokens", "integer_below_min_value")


class _Tools(Body):
    tools: Annotated[list[Tool], Field(max_length=MAX_TOOLS)] | None = None


def check_tools(tools: Any) -> None:
    """The tools the turn runs with, as an agent definition takes them (bodies.py): checked
    after placeholders are bound, so a bound value of the wrong shape is a 400 too."""
    parse(_Tools, {"tools": tools})
