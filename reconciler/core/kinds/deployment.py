"""The deployment kind (Foundry): a project's model deployments, read-only, checked by name.

An agent's `model` is the name of one of the project's deployments. Deployments are made in the
portal or by ARM, never by a plan, so this kind plans no change of its own: it checks that each
model the declared agents name is deployed in the project, and fails the plan naming the
environment and the model when one is not. Only when the list could be read: an endpoint that
does not serve it (or a credential that may not read it) is not checked here, and the service
answers the write instead.
"""

from __future__ import annotations

from dataclasses import dataclass

from reconciler.core.kinds.base import PlanContext
from reconciler.core.kinds.environment import EnvironmentKind
from reconciler.core.state import Key
from reconciler.errors import PlanError

NAME = "deployment"


@dataclass(frozen=True)
class LiveDeployment:
    """A model deployment as the data plane lists it."""

    name: str
    model_name: str
    model_version: str
    model_publisher: str


LIVE: Key[LiveDeployment] = Key(NAME)


class DeploymentKind(EnvironmentKind):
    name = NAME

    def plan(self, context: PlanContext) -> None:
        """Check the models the declared agents name (`refs(deployment).wanted`: name ->
        {"by": [addresses]})."""
        wanted = context.refs(NAME).wanted
        if not wanted or LIVE.kind not in context.live.objects:
            return
        deployed = sorted({d.name for d in context.live.of(LIVE)})
        missing = sorted(set(wanted) - set(deployed))
        if not missing:
            return
        environment = context.desired.environment.name
        have = f"it has {', '.join(deployed)}" if deployed else "it has none"
        lines = [
            f"{', '.join(sorted(wanted[m].get('by', [])))}: model {m!r} is not a deployment of "
            f"the project of environment {environment!r}"
            for m in missing
        ]
        raise PlanError(
            f"{'; '.join(lines)} ({have}). Deploy the model in the project, or name a "
            "deployment it has."
        )
