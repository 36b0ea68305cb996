"""Fuzz the Foundry surface with requests schemathesis generates from the vendored specs.

Every operation of the agents excerpt and the trimmed OpenAI spec gets valid and invalid requests
over loopback HTTP, as the v1 fuzz run does (tests/emulator/assistants/test_fuzz.py): no response may be a 5xx, a
documented response must match its schema, and every error must be the route family's error body.
Two cases in three are pointed at a seeded world (an agent, a file, a vector store holding it, a
batch), chosen by the generated data alone, so a run is reproducible. Kept to a few examples per
operation so the run takes seconds.
"""

from __future__ import annotations

import copy
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
from tests.support.foundry_client import foundry_client, ok, prompt, upload
from tests.support.foundry_spec import agents_document, check, openai_document

PROJECT = "fuzz"
CHECKS = [not_a_server_error, response_schema_conformance]
CONFIG = schemathesis.Config.from_dict(
    {
        "seed": 20260826,
        "headers": {"Authorization": "Bearer fuzz"},
        "generation": {
            "max-examples": 4,
            "deterministic": True,
            "no-shrink": True,
            "database": "none",
        },
        # The coverage phase enumerates every boundary of every schema: thousands of cases here.
        "phases": {"coverage": {"enabled": False}},
    }
)


def fuzzable_agents_spec() -> dict[str, Any]:
    """The agents excerpt with its errata (tests/support/foundry_spec.py), as the emulator serves it:
    OpenAPI 3.1 (schemathesis reads no 3.2), api-version v1, JSON bodies only (code upload and
    manifest import are hosted-agent features the emulator does not serve)."""
    spec = copy.deepcopy(agents_document())
    spec["openapi"] = "3.1.0"
    spec["paths"].pop("/agents/{agent_name}/import")
    for methods in spec["paths"].values():
        for operation in methods.values():
            for parameter in operation.get("parameters", []):
                if parameter["name"] == "api-version":
                    parameter["schema"] = {"type": "string", "enum": ["v1"]}
            content = operation.get("requestBody", {}).get("content", {})
            content.pop("multipart/form-data", None)
    return spec


def fuzzable_openai_spec() -> dict[str, Any]:
    """The trimmed OpenAI spec, without the operations the emulator does not serve."""
    spec = copy.deepcopy(openai_document())
    for path in (
        "/vector_stores/{vector_store_id}/search",
        "/vector_stores/{vector_store_id}/files/{file_id}/content",
    ):
        spec["paths"].pop(path)
    spec["paths"]["/vector_stores/{vector_store_id}/files/{file_id}"].pop("post")
    return spec


agents_schema = schemathesis.openapi.from_dict(fuzzable_agents_spec(), config=CONFIG)
openai_schema = schemathesis.openapi.from_dict(fuzzable_openai_spec(), config=CONFIG)


@dataclass(frozen=True)
class World:
    agent: str
    file: str
    store: str
    batch: str

    def ids(self) -> dict[str, str]:
        return {
            "agent_name": self.agent,
            "agent_version": "1",
            "file_id": self.file,
            "vector_store_id": self.store,
            "batch_id": self.batch,
        }


class Fuzzer:
    """Points cases at the world, and rebuilds it after a case deleted part of it."""

    def __init__(self, server: BackgroundServer, api: httpx.Client) -> None:
        self.url, self.api = f"{server.url}/api/projects/{PROJECT}", api
        self.world: World | None = None
        self.aimed = False

    def aim(self, case: Any) -> None:
        self.aimed = (
            bool(case.path_parameters) and zlib.crc32(repr(case.path_parameters).encode()) % 3 > 0
        )
        if self.aimed:
            ids = self.current().ids()
            case.path_parameters = {
                name: ids.get(name, value) for name, value in case.path_parameters.items()
            }

    def observe(self, case: Any, status: int) -> None:
        if self.aimed and status < 300 and case.method.upper() in ("DELETE", "POST"):
            self.world = None  # a delete, a cancel or a new version: start from a fresh world

    def current(self) -> World:
        if self.world is None:
            file_id = upload(self.api)
            store = ok(self.api.post("/openai/v1/vector_stores", json={"file_ids": [file_id]}))[
                "id"
            ]
            batch = ok(
                self.api.post(
                    f"/openai/v1/vector_stores/{store}/file_batches", json={"file_ids": [file_id]}
                )
            )
            ok(self.api.post("/agents/fuzz-agent/versions", json=prompt()))
            self.world = World("fuzz-agent", file_id, store, batch["id"])
        return self.world


@pytest.fixture(scope="module")
def fuzzer() -> Iterator[Fuzzer]:
    with BackgroundServer(Emulator.create()) as server, foundry_client(server.url, PROJECT) as api:
        yield Fuzzer(server, api)


def run(case: Any, fuzzer: Fuzzer, base: str) -> None:
    fuzzer.aim(case)
    response = case.call(base_url=fuzzer.url + base, timeout=30)
    fuzzer.observe(case, response.status_code)
    case.validate_response(response, checks=CHECKS)
    if response.status_code >= 300:
        assert check(error_body(base), response.json()) == [], response.text


def error_body(base: str) -> dict[str, Any]:
    """The error schema of the route family: the agents' ApiErrorResponse or OpenAI's."""
    document, name = (
        (openai_document(), "ErrorResponse") if base else (agents_document(), "ApiErrorResponse")
    )
    return {"$ref": f"#/components/schemas/{name}", "components": document["components"]}


each_agents_operation: Callable[[Callable[[Any, Fuzzer], None]], Callable[..., None]]
each_agents_operation = agents_schema.parametrize()
each_openai_operation: Callable[[Callable[[Any, Fuzzer], None]], Callable[..., None]]
each_openai_operation = openai_schema.parametrize()


@each_agents_operation
def test_generated_agents_requests(case: Any, fuzzer: Fuzzer) -> None:
    run(case, fuzzer, "")


@each_openai_operation
def test_generated_openai_requests(case: Any, fuzzer: Fuzzer) -> None:
    run(case, fuzzer, "/openai/v1")
