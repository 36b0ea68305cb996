"""azure-ai-projects 2.10.0 drives every prompt-agent operation it has against the emulator."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from azure.ai.projects import AIProjectClient
from azure.ai.projects.models import (
    CodeInterpreterTool,
    FileSearchTool,
    FunctionTool,
    PromptAgentDefinition,
)
from azure.core.exceptions import HttpResponseError, ResourceNotFoundError

from reconciler.emulator.server import BackgroundServer
from tests_foundry.conftest import PROJECT, FixedCredential


def definition(**changes: Any) -> PromptAgentDefinition:
    fields: dict[str, Any] = {"model": "gpt-4.1-mini", "instructions": "You are helpful."}
    return PromptAgentDefinition(**{**fields, **changes})


def test_create_version_creates_the_agent_and_get_reads_it(
    project: AIProjectClient, credential: FixedCredential
) -> None:
    created = project.agents.create_version(
        "support",
        definition=definition(temperature=0.2),
        description="demo",
        metadata={"owner": "kit"},
    )
    assert (created.id, created.name, created.version) == ("support:1", "support", "1")
    assert created.metadata == {"owner": "kit"}
    agent = project.agents.get("support")
    assert agent.name == "support"
    assert agent.configuration_state == "enabled"
    assert agent.versions.latest.version == "1"
    assert agent.versions.latest.definition.instructions == "You are helpful."
    assert credential.scopes[0] == ("https://ai.azure.com/.default",)


def test_every_create_version_is_a_new_version_and_numbers_are_never_reused_while_it_lives(
    project: AIProjectClient,
) -> None:
    for _ in range(3):
        project.agents.create_version("kb", definition=definition())
    project.agents.delete_version("kb", "3")
    assert project.agents.get("kb").versions.latest.version == "2"
    assert project.agents.create_version("kb", definition=definition()).version == "4"
    project.agents.delete("kb")
    with pytest.raises(ResourceNotFoundError):
        project.agents.get("kb")
    # A deleted agent leaves nothing behind: the name declared again is a new agent.
    assert project.agents.create_version("kb", definition=definition()).version == "1"


def test_list_pages_through_every_agent_and_stops(project: AIProjectClient) -> None:
    names = [f"agent-{index}" for index in range(5)]
    for name in names:
        project.agents.create_version(name, definition=definition())
    listed = [agent.name for agent in project.agents.list(limit=2, order="asc")]
    assert listed == names
    assert [a.name for a in project.agents.list(kind="prompt", limit=100)] == names[::-1]
    assert list(project.agents.list(kind="workflow")) == []


def test_versions_list_get_and_delete(project: AIProjectClient) -> None:
    for index in range(3):
        project.agents.create_version("writer", definition=definition(), description=f"v{index}")
    versions = [v.version for v in project.agents.list_versions("writer", limit=1)]
    assert versions == ["3", "2", "1"]
    assert project.agents.get_version("writer", "2").description == "v1"
    deleted = project.agents.delete_version("writer", "2")
    assert (deleted.name, deleted.version, deleted.deleted) == ("writer", "2", True)
    with pytest.raises(ResourceNotFoundError):
        project.agents.get_version("writer", "2")
    for version in ("1", "3"):
        project.agents.delete_version("writer", version)
    with pytest.raises(ResourceNotFoundError):
        project.agents.get("writer")


def test_update_details_enable_and_disable(project: AIProjectClient) -> None:
    project.agents.create_version("carded", definition=definition())
    updated = project.agents.update_details("carded", body={"agent_card": {"description": "x"}})
    assert updated.versions.latest.version == "1"
    project.agents.disable("carded")
    assert project.agents.get("carded").state == "disabled"
    project.agents.enable("carded")
    assert project.agents.get("carded").state == "enabled"


def test_tools_must_name_objects_of_the_project(project: AIProjectClient, openai: Any) -> None:
    upload = openai.files.create(file=("a.py", b"print(1)\n"), purpose="assistants")
    store = openai.vector_stores.create(name="kb", file_ids=[upload.id])
    tools = [
        FileSearchTool(vector_store_ids=[store.id], max_num_results=8),
        CodeInterpreterTool(container={"type": "auto", "file_ids": [upload.id]}),
        FunctionTool(name="lookup", parameters={"type": "object"}, strict=True),
    ]
    version = project.agents.create_version("tooled", definition=definition(tools=tools))
    assert [tool["type"] for tool in version.definition.tools] == [
        "file_search",
        "code_interpreter",
        "function",
    ]
    missing = [FileSearchTool(vector_store_ids=["vs_missing"])]
    with pytest.raises(HttpResponseError) as raised:
        project.agents.create_version("tooled", definition=definition(tools=missing))
    assert raised.value.status_code == 400
    assert code_of(raised.value) == "invalid_value"


def code_of(error: HttpResponseError) -> str | None:
    """The service's error code, as the SDK parsed it from the body."""
    assert error.error is not None
    code: str | None = error.error.code
    return code


def test_limits_are_400s_that_name_the_field(project: AIProjectClient) -> None:
    with pytest.raises(HttpResponseError) as raised:
        project.agents.create_version("-bad-name", definition=definition())
    assert raised.value.status_code == 400
    too_many = {f"k{index}": "v" for index in range(17)}
    with pytest.raises(HttpResponseError) as raised:
        project.agents.create_version("meta", definition=definition(), metadata=too_many)
    assert code_of(raised.value) == "object_above_max_properties"


def test_unknown_agent_is_resource_not_found(project: AIProjectClient) -> None:
    with pytest.raises(ResourceNotFoundError) as raised:
        project.agents.get("missing-agent")
    assert code_of(raised.value) == "not_found"


def test_a_preview_client_opts_in_to_drafts(
    server: BackgroundServer, ca_file: Path, credential: FixedCredential
) -> None:
    endpoint = f"{server.url}/api/projects/{PROJECT}"
    verify = str(ca_file)
    with AIProjectClient(endpoint=endpoint, credential=credential, connection_verify=verify) as ga:
        with pytest.raises(HttpResponseError) as raised:
            ga.agents.create_version("drafted", definition=definition(), draft=True)
        # The SDK recognises the service's opt-in error and re-raises it with its own hint.
        assert raised.value.status_code == 403
        assert raised.value.model is not None
        assert raised.value.model.error.code == "preview_feature_required"
        assert "allow_preview" in raised.value.message
    with AIProjectClient(
        endpoint=endpoint, credential=credential, connection_verify=verify, allow_preview=True
    ) as preview:
        preview.agents.create_version("drafted", definition=definition())
        draft = preview.agents.create_version("drafted", definition=definition(), draft=True)
        assert (draft.version, draft.draft) == ("2", True)
        assert preview.agents.get("drafted").versions.latest.version == "1"
        shown = [v.version for v in preview.agents.list_versions("drafted", include_drafts=True)]
        assert shown == ["2", "1"]
