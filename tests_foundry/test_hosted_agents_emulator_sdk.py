"""The emulator's hosted agents as azure-ai-projects 2.10.0 drives them (issue 25, deliver 4):
the definition's checks, a version `creating` then `active`, the failure fault (`failed` with a
reason, the version before it still the latest), and the registry stand-in."""

from __future__ import annotations

import ssl
from pathlib import Path

import httpx
import pytest
from azure.ai.projects import AIProjectClient
from azure.ai.projects.models import (
    ContainerConfiguration,
    HostedAgentDefinition,
    ProtocolVersionRecord,
)
from azure.core.exceptions import HttpResponseError

from reconciler.emulator.foundry import FoundryOptions
from reconciler.emulator.server import BackgroundServer

IMAGE = "contoso.azurecr.io/support-agent"
DIGEST = "sha256:" + "a" * 64
BROKEN = f"{IMAGE}@sha256:" + "b" * 64


@pytest.fixture
def options() -> FoundryOptions:
    return FoundryOptions(
        poll_after_ms=1,
        hosted_fail_images=frozenset([BROKEN]),
        registry=((f"{IMAGE}:1.4", DIGEST),),
    )


def hosted(image: str, cpu: str = "0.5", memory: str = "1Gi") -> HostedAgentDefinition:
    return HostedAgentDefinition(
        cpu=cpu,
        memory=memory,
        container_configuration=ContainerConfiguration(image=image),
        environment_variables={"LOG_LEVEL": "info"},
        protocol_versions=[ProtocolVersionRecord(protocol="responses", version="v0.1.1")],
    )


def test_a_hosted_version_is_creating_then_active(project: AIProjectClient) -> None:
    made = project.agents.create_version("runner", definition=hosted(f"{IMAGE}@{DIGEST}"))
    assert (made.version, made.status) == ("1", "creating")
    version = project.agents.get_version("runner", "1")
    assert version.status == "active"
    assert isinstance(version.definition, HostedAgentDefinition)
    assert version.definition.container_configuration.image == f"{IMAGE}@{DIGEST}"
    assert project.agents.get("runner").versions.latest.status == "active"


def test_a_version_whose_image_fails_is_failed_and_the_one_before_stays_latest(
    project: AIProjectClient,
) -> None:
    project.agents.create_version("runner", definition=hosted(f"{IMAGE}@{DIGEST}"))
    project.agents.create_version("runner", definition=hosted(BROKEN))
    failed = project.agents.get_version("runner", "2")
    assert failed.status == "failed"
    assert failed["error"]["code"] == "image_pull_failed"
    assert BROKEN in failed["error"]["message"]
    assert project.agents.get("runner").versions.latest.version == "1"


@pytest.mark.parametrize(("cpu", "memory"), [("0.5", "2Gi"), ("5", "10Gi"), ("0.25", "0.5G")])
def test_cpu_and_memory_must_be_a_combination_container_apps_allocates(
    project: AIProjectClient, cpu: str, memory: str
) -> None:
    with pytest.raises(HttpResponseError) as refused:
        project.agents.create_version("runner", definition=hosted(f"{IMAGE}@{DIGEST}", cpu, memory))
    assert refused.value.status_code == 400
    assert "supported combinations are 0.25/0.5Gi" in str(refused.value)


def test_the_registry_stand_in_answers_a_tag_with_its_digest(
    server: BackgroundServer, ca_file: Path
) -> None:
    trusted = ssl.create_default_context(cafile=str(ca_file))
    base = f"{server.url}/_emulator/registry"
    found = httpx.get(f"{base}/v2/{IMAGE}/manifests/1.4", verify=trusted)
    assert (found.status_code, found.headers["Docker-Content-Digest"]) == (200, DIGEST)
    moved = "sha256:" + "c" * 64
    put = httpx.put(base, json={"images": {f"{IMAGE}:1.4": moved}}, verify=trusted)
    assert put.status_code == 200
    again = httpx.get(f"{base}/v2/{IMAGE}/manifests/1.4", verify=trusted)
    assert again.headers["Docker-Content-Digest"] == moved
    missing = httpx.get(f"{base}/v2/{IMAGE}/manifests/9.9", verify=trusted)
    assert missing.status_code == 404
    assert missing.json()["errors"][0]["code"] == "MANIFEST_UNKNOWN"
