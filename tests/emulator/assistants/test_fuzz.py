"""Fuzz the emulator with requests that schemathesis generates from the vendored spec.

Every operation of the spec, the multipart upload included, gets valid and invalid requests
(examples, coverage and fuzzing phases, positive and negative data) over loopback HTTP. Checks:
no response is a 5xx; a documented (200) response matches its schema; every other response is
one of the two error bodies of API-FACTS.md.

Random ids only ever meet 404s, so most generated requests are pointed at a seeded *world*: an
assistant with an attached file, a thread whose run completed and a thread whose run waits for
tool outputs. Which requests are redirected depends only on the generated data, so a run is
reproducible: generation is derandomized and seeded, without shrinking.
"""

from __future__ import annotations

import copy
import json
import zlib
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

import httpx
import pytest
import schemathesis
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import response_schema_conformance

from reconciler.emulator import Emulator
from reconciler.emulator.server import BackgroundServer
from tests.support.spec import ERROR, check, raw_spec

API_VERSION = "2024-02-15-preview"
KEY = "fuzz-key"
MODEL = "gpt-4"
LOOKUP = {"type": "function", "function": {"name": "lookup", "parameters": {"type": "object"}}}
CHECKS = [not_a_server_error, response_schema_conformance]

# --- The spec, with the errata tests/support/spec.py documents ------------------------------------------

API_VERSION_PARAMETER = {
    "name": "api-version",
    "in": "query",
    "required": True,
    "type": "string",
    "enum": [API_VERSION],
}


def azure_spec() -> dict[str, Any]:
    """The vendored spec as Azure serves it: tests/support/spec.py's errata, in Swagger 2.0 terms."""
    spec = copy.deepcopy(raw_spec())
    for methods in spec["paths"].values():
        for operation in methods.values():
            # Azure requires api-version on every request (API-FACTS.md); the spec leaves it out.
            operation.setdefault("parameters", []).append(dict(API_VERSION_PARAMETER))
            # Azure sends null first_id/last_id on an empty page (API-FACTS.md).
            cursors = operation["responses"]["200"]["schema"].get("properties", {})
            for name in ("first_id", "last_id"):
                if name in cursors:
                    cursors[name]["x-nullable"] = True
    _unix_seconds(spec["definitions"])
    return spec


def _unix_seconds(node: Any) -> None:
    """Run and step times are Unix seconds on the wire; this spec version says RFC 3339."""
    if isinstance(node, list):
        for item in node:
            _unix_seconds(item)
    elif isinstance(node, dict):
        if node.get("format") == "date-time":
            node.update(type="integer", format="unixtime")
        for value in node.values():
            _unix_seconds(value)


CONFIG = schemathesis.Config.from_dict(
    {
        "seed": 20240215,
        "headers": {"api-key": KEY},
        "generation": {
            "max-examples": 25,
            "deterministic": True,
            "no-shrink": True,
            "database": "none",
        },
    }
)
schema = schemathesis.openapi.from_dict(azure_spec(), config=CONFIG)

# --- A world for generated requests to hit ---------------------------------------------------------


@dataclass(frozen=True)
class Place:
    """A thread with one user message (the world's file attached) and one run with a step."""

    thread: str
    message: str
    run: str
    step: str
    calls: tuple[str, ...]  # the tool calls the run waits for


@dataclass(frozen=True)
class World:
    assistant: str
    file: str  # attached to the assistant and to every message
    spare_file: str  # attached nowhere: a file_id that can be attached
    idle: Place  # its run completed, so the thread takes new messages and runs
    busy: Place  # its run requires tool outputs

    def path_ids(self, place: Place) -> dict[str, str]:
        return {
            "assistantId": self.assistant,
            "fileId": self.file,
            "threadId": place.thread,
            "messageId": place.message,
            "runId": place.run,
            "stepId": place.step,
        }

    def refer(self, body: dict[str, Any], place: Place) -> dict[str, Any]:
        """The body with its references to other objects pointed at the world's."""
        body = dict(body)
        if isinstance(body.get("assistant_id"), str):
            body["assistant_id"] = self.assistant
        if isinstance(body.get("file_id"), str):
            body["file_id"] = self.spare_file
        if isinstance(body.get("file_ids"), list) and body["file_ids"]:
            body["file_ids"] = [self.file]
        outputs = body.get("tool_outputs")
        if isinstance(outputs, list) and outputs and isinstance(outputs[0], dict) and place.calls:
            body["tool_outputs"] = [{**outputs[0], "tool_call_id": call} for call in place.calls]
        return body


# Operations that leave the world usable when they succeed on it; any other successful change
# to the world's objects (a delete, a cancel, a run that occupies the idle thread...) rebuilds it.
HARMLESS = {
    "POST /assistants/{assistantId}",
    "POST /assistants/{assistantId}/files",
    "POST /threads/{threadId}",
    "POST /threads/{threadId}/messages",
    "POST /threads/{threadId}/messages/{messageId}",
    "POST /threads/{threadId}/runs/{runId}",
}


class Fuzzer:
    """Points generated requests at the world, and rebuilds the world when one damaged it."""

    def __init__(self, server: BackgroundServer, api: httpx.Client) -> None:
        self.base_url = f"{server.url}/openai"
        self.api = api
        self.world: World | None = None
        self.redirected = False

    def aim(self, case: Any) -> None:
        """Point two cases in three at the world; which ones depends on the generated data."""
        self.redirected = False
        mode = _pick(case.path_parameters or case.body)
        if not mode:
            return
        world = self.current()
        place = world.idle if mode == 1 else world.busy
        if case.path_parameters:
            ids = world.path_ids(place)
            case.path_parameters = {name: ids[name] for name in case.path_parameters}
            self.redirected = True
        if isinstance(case.body, dict):
            case.body = world.refer(case.body, place)

    def observe(self, case: Any, status: int) -> None:
        changed = case.method.upper() != "GET" and case.operation.label not in HARMLESS
        if self.redirected and status < 300 and changed:
            self.world = None

    def current(self) -> World:
        if self.world is None:
            self.world = self._build()
        return self.world

    def _build(self) -> World:
        file, spare = self._upload("attached.txt"), self._upload("spare.txt")
        body = {"model": MODEL, "tools": [LOOKUP], "file_ids": [file]}
        assistant = self._call("POST", "/assistants", body)["id"]
        idle = self._place(assistant, file, finished=True)
        busy = self._place(assistant, file, finished=False)
        return World(assistant, file, spare, idle, busy)

    def _place(self, assistant: str, file: str, *, finished: bool) -> Place:
        message = {"role": "user", "content": "Hello", "file_ids": [file]}
        body: dict[str, Any] = {"assistant_id": assistant, "thread": {"messages": [message]}}
        if finished:
            body["tools"] = []  # no function to call: the run completes
        run = self._call("POST", "/threads/runs", body)
        thread, path = run["thread_id"], f"/threads/{run['thread_id']}/runs/{run['id']}"
        for _ in range(2):  # queued -> in_progress -> completed or requires_action
            run = self._call("GET", path)
        assert run["status"] == ("completed" if finished else "requires_action")
        action = run["required_action"] or {"submit_tool_outputs": {"tool_calls": []}}
        calls = tuple(call["id"] for call in action["submit_tool_outputs"]["tool_calls"])
        messages = self._call("GET", f"/threads/{thread}/messages", params={"order": "asc"})
        steps = self._call("GET", f"{path}/steps")
        message, step = messages["data"][0]["id"], steps["data"][0]["id"]
        return Place(thread, message, run["id"], step, calls)

    def _upload(self, name: str) -> str:
        files = {"file": (name, b"world\n")}
        response = self.api.post("/files", files=files, data={"purpose": "assistants"})
        response.raise_for_status()
        file_id: str = response.json()["id"]
        return file_id

    def _call(
        self, method: str, path: str, body: Any = None, params: dict[str, str] | None = None
    ) -> dict[str, Any]:
        response = self.api.request(method, path, json=body, params=params)
        response.raise_for_status()
        decoded: dict[str, Any] = response.json()
        return decoded


def _pick(data: Any) -> int:
    """0, 1 or 2, a pure function of generated data (str hashes are salted per process)."""
    return zlib.crc32(repr(data).encode()) % 3


@pytest.fixture(scope="module")
def fuzzer() -> Iterator[Fuzzer]:
    with (
        BackgroundServer(Emulator.create(api_key=KEY)) as server,
        httpx.Client(
            base_url=f"{server.url}/openai",
            params={"api-version": API_VERSION},
            headers={"api-key": KEY},
            timeout=30,
        ) as api,
    ):
        yield Fuzzer(server, api)


# --- The fuzz test ---------------------------------------------------------------------------------


# One test per operation of the spec, typed for mypy (schemathesis is not followed).
each_operation: Callable[[Callable[[Any, Fuzzer], None]], Callable[..., None]]
each_operation = schema.parametrize()


@each_operation
def test_generated_requests(case: Any, fuzzer: Fuzzer) -> None:
    fuzzer.aim(case)
    response = case.call(base_url=fuzzer.base_url, timeout=30)
    fuzzer.observe(case, response.status_code)

    case.validate_response(response, checks=CHECKS)
    if response.status_code >= 300:
        assert check(ERROR, response.json()) == [], response.text


def test_every_operation_is_fuzzed() -> None:
    labels = {result.ok().label for result in schema.get_all_operations()}
    assert len(labels) == 32
    assert "POST /files" in labels


# --- Hostile inputs that generated data does not reach ---------------------------------------------


def _nested_parameters(depth: int) -> dict[str, Any]:
    parameters: dict[str, Any] = {"type": "object"}
    for _ in range(depth):
        parameters = {"type": "object", "properties": {"inner": parameters}}
    return parameters


def _assistant_with(parameters: Any) -> bytes:
    function = {"name": "f", "parameters": parameters}
    return json.dumps(
        {"model": MODEL, "tools": [{"type": "function", "function": function}]}
    ).encode()


def _nested_metadata(depth: int) -> bytes:
    return b'{"model": "m", "metadata": ' + b'{"a": ' * depth + b"1" + b"}" * (depth + 1)


HOSTILE_BODIES = {
    "JSON nested 5000 deep": b"[" * 5000 + b"]" * 5000,
    "JSON object nested 1000 deep": _nested_metadata(1000),
    "function parameters nested 150 deep": _assistant_with(_nested_parameters(150)),
    "function parameters with an unknown $schema": _assistant_with(
        {"$schema": "https://example.com/no-such-draft", "type": "object"}
    ),
    "function parameters with an object as $schema": _assistant_with({"$schema": {}}),
}


@pytest.mark.parametrize("body", HOSTILE_BODIES.values(), ids=HOSTILE_BODIES.keys())
def test_hostile_body_gets_an_api_answer(api: httpx.Client, body: bytes) -> None:
    response = api.post("/assistants", content=body, headers={"content-type": "application/json"})

    if response.status_code not in (200, 400):
        # A bare message: rendering a traceback parses source (ast) while the server thread
        # formats the crash's own traceback, and CPython 3.11's AST state is shared between
        # threads, which can end the whole session in an INTERNALERROR.
        pytest.fail(f"{response.status_code} {response.text}", pytrace=False)
    if response.status_code == 400:
        assert check(ERROR, response.json()) == []


@pytest.mark.parametrize(
    "name", ["résumé 文件.txt", "two\r\nlines.txt"], ids=["non-latin-1", "crlf"]
)
def test_file_name_does_not_break_the_download(api: httpx.Client, name: str) -> None:
    files = {"file": ("upload.txt", b"content")}
    uploaded = api.post("/files", files=files, data={"purpose": "assistants", "filename": name})
    assert uploaded.status_code == 200, uploaded.text
    assert uploaded.json()["filename"] == name

    download = api.get(f"/files/{uploaded.json()['id']}/content")

    assert (download.status_code, download.content) == (200, b"content")


HOSTILE_PARAMETERS = {
    "a reference to itself": {"$ref": "#"},
    "a billion items of a billion characters": {
        "type": "object",
        "properties": {"a": {"type": "array", "minItems": 10**9, "items": {"minLength": 10**9}}},
    },
    "fifty properties each the whole schema again": {
        "type": "object",
        "properties": {f"p{i}": {"$ref": "#"} for i in range(50)},
    },
    "boolean schemas and a pattern": {
        "type": "object",
        "properties": {
            "yes": True,
            "no": False,
            "code": {"type": "string", "pattern": "^[0-9]{4}$"},
        },
    },
}


@pytest.mark.parametrize("parameters", HOSTILE_PARAMETERS.values(), ids=HOSTILE_PARAMETERS.keys())
@pytest.mark.parametrize("stream", [False, True])
def test_any_valid_parameters_schema_gets_a_call_with_an_object(
    fuzzer: Fuzzer, parameters: dict[str, Any], stream: bool
) -> None:
    api = fuzzer.api  # the fuzzer's server: no server started per case
    response = api.post("/assistants", content=_assistant_with(parameters))
    assert response.status_code == 200, response.text
    thread = {"messages": [{"role": "user", "content": "go"}]}
    body = {"assistant_id": response.json()["id"], "thread": thread, "stream": stream}
    run = api.post("/threads/runs", json=body)
    assert run.status_code == 200, run.text
    if stream:
        assert run.text.endswith("event: done\ndata: [DONE]\n\n")
        return
    path = f"/threads/{run.json()['thread_id']}/runs/{run.json()['id']}"
    while (polled := api.get(path).json())["status"] != "requires_action":
        assert polled["status"] in ("queued", "in_progress"), polled
    call = polled["required_action"]["submit_tool_outputs"]["tool_calls"][0]
    assert isinstance(json.loads(call["function"]["arguments"]), dict)
