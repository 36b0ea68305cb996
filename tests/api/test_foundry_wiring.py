"""An environment with `api: foundry` gets the Foundry dialect: credentials, `local`, the pipeline."""

from __future__ import annotations

from pathlib import Path

import pytest

from reconciler.api.connect_foundry import open_foundry_client
from reconciler.api.credentials import BearerAuth, Credential
from reconciler.api.dialects.assistants_v1 import AssistantsV1
from reconciler.api.dialects.foundry import FoundryAgents
from reconciler.api.dialects.registry import credential_for, open_dialect
from reconciler.api.surface import FOUNDRY_PROJECT
from reconciler.core.kinds.agent import LIVE as AGENTS
from reconciler.core.model import Environment
from reconciler.engine.apply import apply_plan
from reconciler.engine.pipeline import plan_live, session
from reconciler.errors import UsageError
from tests.support.foundry_desired import agent, declare, desired, environment

PROJECT_FILE = """project: shop
environments:
  dev:
    endpoint: {endpoint}
    api: foundry
"""


def test_a_foundry_environment_takes_bearer_tokens_only() -> None:
    keyed = Environment(
        "dev", "https://x.services.ai.azure.com/api/projects/p", "v1", None, None, "key", "foundry"
    )
    with pytest.raises(UsageError) as raised:
        credential_for(keyed, {})
    assert "takes no API keys" in str(raised.value)
    url = "https://x.services.ai.azure.com/api/projects/p"
    named = Environment("dev", url, "v1", None, "PROJECT_TOKEN", None, "foundry")
    assert credential_for(named, {"PROJECT_TOKEN": "tok"}) == Credential("tok", bearer=True)
    # The SDK's variables do not choose, as they do for v1: a key is no use, and its token
    # is for another audience. Entra ID it is.
    sdk = {"AZURE_OPENAI_AD_TOKEN": "tok", "AZURE_OPENAI_API_KEY": "k"}
    entra = credential_for(environment(url), sdk)
    assert isinstance(entra, BearerAuth)
    assert entra._source._surface == FOUNDRY_PROJECT  # type: ignore[attr-defined]


def test_local_runs_the_emulator_in_process_with_its_state_in_the_project(tmp_path: Path) -> None:
    files = declare(tmp_path, {"docs/faq.md": b"# FAQ\n"})
    env = environment("local")
    state = desired(env, files, agent("bot", files, instructions="Help."))
    with open_dialect(tmp_path, state.project, env, {}) as dialect:
        assert isinstance(dialect, FoundryAgents)
        assert dialect.client.base.endswith("/api/projects/shop")
        outcomes = apply_plan(plan_live(dialect, state), dialect, 2, lambda _: None)
    assert {o.status for o in outcomes} == {"done"}
    assert (tmp_path / ".reconciler" / "local.db").is_file()
    with open_dialect(tmp_path, state.project, env, {}) as dialect:  # a later invocation
        assert plan_live(dialect, state).actionable == []
        (live,) = dialect.read_live().of(AGENTS)
    assert (live.name, live.version) == ("bot", "1")


def test_an_assistants_environment_still_gets_the_v1_dialect(tmp_path: Path) -> None:
    env = Environment("dev", "local", "2024-02-15-preview", None, None)
    with open_dialect(tmp_path, "shop", env, {}) as dialect:
        assert isinstance(dialect, AssistantsV1)


def test_the_pipeline_session_uses_the_environment_s_dialect(tmp_path: Path) -> None:
    (tmp_path / "reconciler.yaml").write_text(PROJECT_FILE.format(endpoint="local"), "utf-8")
    with session(tmp_path, None, {}, allow_empty=True) as connected:
        assert isinstance(connected.dialect, FoundryAgents)
        assert connected.plan(allow_empty=True).actionable == []


def test_import_gets_a_client_of_the_local_project_named_after_ours(tmp_path: Path) -> None:
    with open_foundry_client(tmp_path, "shop", environment("local"), {}) as client:
        assert client.base.endswith("/api/projects/shop")
        assert client.list_agents() == []
    assert (tmp_path / ".reconciler" / "local.db").is_file()


def test_the_ingestion_timeout_is_read_from_the_process(tmp_path: Path) -> None:
    env = environment("local")
    process = {"RECONCILER_INGESTION_TIMEOUT_SECONDS": "42"}
    with open_dialect(tmp_path, "shop", env, process) as dialect:
        assert isinstance(dialect, FoundryAgents)
        assert dialect.waiting.timeout_seconds == 42
    with (
        pytest.raises(UsageError),
        open_dialect(tmp_path, "shop", env, {"RECONCILER_INGESTION_TIMEOUT_SECONDS": "soon"}),
    ):
        pass
