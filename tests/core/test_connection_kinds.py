"""The connection and deployment kinds, pure: what they check and when, on hand-made states."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from reconciler.core.kinds.agent import DESIRED as AGENTS
from reconciler.core.kinds.agent.types import DesiredAgent
from reconciler.core.kinds.connection import LIVE as CONNECTIONS
from reconciler.core.kinds.connection import LiveConnection
from reconciler.core.kinds.deployment import LIVE as DEPLOYMENTS
from reconciler.core.kinds.deployment import LiveDeployment
from reconciler.core.kinds.registry import kinds_of
from reconciler.core.model import Environment
from reconciler.core.plan import build_plan
from reconciler.core.state import DesiredState, LiveState
from reconciler.errors import PlanError
from tests.support.connected_tool import GroundedSearch, grounded_search

ENVIRONMENT = Environment("staging", "https://example.invalid", "v1", None, None, api="foundry")
BING = LiveConnection("bing", "/ids/staging/bing", "ApiKey", "https://api.bing.microsoft.com/")
GPT = LiveDeployment("gpt-4o", "gpt-4o", "2024-11-20", "OpenAI")


@pytest.fixture(autouse=True)
def _tool() -> Iterator[None]:
    with grounded_search():
        yield


def desired(model: str = "gpt-4o", connection: str | None = "bing") -> DesiredState:
    tools = (GroundedSearch(connection),) if connection else ()
    agent = DesiredAgent(name="bot", model=model, tools=tools)
    return DesiredState("shop", ENVIRONMENT, {AGENTS.kind: (agent,)}, {})


def live(**objects: tuple[object, ...]) -> LiveState:
    return LiveState(dict(objects))


def test_the_foundry_kinds_put_connections_and_deployments_before_agents() -> None:
    names = [kind.name for kind in kinds_of("foundry")]
    assert names.index("connection") < names.index("agent")
    assert names.index("deployment") < names.index("agent")


def test_a_resolved_connection_goes_to_the_plan_and_nothing_of_the_environment_changes() -> None:
    plan = build_plan(desired(), live(connection=(BING,), deployment=(GPT,)))
    assert plan.files == {"connection.bing": "/ids/staging/bing"}
    assert [(c.address, c.action) for c in plan.changes] == [("agent.bot", "create")]
    assert plan.fingerprints.live["connection.bing"]


def test_connections_that_could_not_be_read_fail_a_plan_that_names_one() -> None:
    with pytest.raises(PlanError) as raised:
        build_plan(desired(), live(deployment=(GPT,)))
    assert str(raised.value) == (
        "agent.bot names connection 'bing', but the connections of environment 'staging' could "
        "not be read. Check that the credential may list the project's connections."
    )
    assert build_plan(desired(connection=None), live(deployment=(GPT,))).has_changes


def test_deployments_that_could_not_be_read_are_not_checked() -> None:
    plan = build_plan(desired(model="anything"), live(connection=(BING,)))
    assert [c.action for c in plan.changes] == ["create"]
    with pytest.raises(PlanError, match="model 'anything' is not a deployment"):
        build_plan(desired(model="anything"), live(connection=(BING,), deployment=(GPT,)))


def test_destroy_checks_neither() -> None:
    plan = build_plan(desired(model="gone", connection="gone"), live(), mode="destroy")
    assert plan.changes == []
    assert plan.files == {}


def test_the_live_states_of_both_kinds_are_held_by_their_keys() -> None:
    state = live(connection=(BING,), deployment=(GPT,))
    assert state.of(CONNECTIONS) == (BING,)
    assert state.of(DEPLOYMENTS) == (GPT,)
