"""A project's connections and model deployments, read-only, as seeded (seed.py).

Lists answer the SDK's shape, `{"value": [...]}` with no `nextLink` (every item on one page);
filters are the SDK's (`connectionType`, `defaultConnection`; `modelPublisher`, `modelName`,
`deploymentType`). A name the project has no connection or deployment of, a connection's id
among them (the routes take names only), is a 404 `not_found` in the agents routes' shape.
"""

from __future__ import annotations

from reconciler.emulator.core.db import Json
from reconciler.emulator.foundry.errors import AgentError
from reconciler.emulator.foundry.seed import ProjectSeed, parse_project_seed
from reconciler.emulator.foundry.state import Foundry

SEEDED = "foundry.resources"  # one object per project seeded through the control endpoint
SEED_ID = "seed"


def seed_of(fd: Foundry) -> ProjectSeed:
    """The project's seed: the control endpoint's, else the options'."""
    stored = fd.state.db.get(SEEDED, fd.scope(), SEED_ID)
    if stored is not None:
        return parse_project_seed(stored["seed"])
    return fd.options.resources.of(fd.project)


def put_seed(fd: Foundry, seed: ProjectSeed) -> None:
    """Replace what the project has (until a reset)."""
    body = {"id": SEED_ID, "created_at": fd.now(), "seed": seed.model_dump(by_alias=True)}
    with fd.state.db.transaction():
        fd.state.db.delete(SEEDED, fd.scope(), SEED_ID)
        fd.state.db.insert(SEEDED, fd.scope(), body)


def list_connections(fd: Foundry, kind: str | None, default: bool | None) -> Json:
    found = [
        c.served(fd.project, secrets=False)
        for c in seed_of(fd).connections
        if (kind is None or c.type.lower() == kind.lower())
        and (default is None or c.is_default == default)
    ]
    return {"value": found}


def get_connection(fd: Foundry, name: str, secrets: bool) -> Json:
    for connection in seed_of(fd).connections:
        if connection.name == name:
            return connection.served(fd.project, secrets)
    raise AgentError(404, f"Connection '{name}' not found in this project.", "not_found")


def list_deployments(
    fd: Foundry, publisher: str | None, model: str | None, kind: str | None
) -> Json:
    found = [
        d.served()
        for d in seed_of(fd).deployments
        if (publisher is None or d.model_publisher == publisher)
        and (model is None or (d.model_name or d.name) == model)
        and (kind is None or kind == "ModelDeployment")
    ]
    return {"value": found}


def get_deployment(fd: Foundry, name: str) -> Json:
    for deployment in seed_of(fd).deployments:
        if deployment.name == name:
            return deployment.served()
    raise AgentError(404, f"Deployment '{name}' not found in this project.", "not_found")


def connection_ids(fd: Foundry) -> set[str]:
    """The ids of the project's connections (for checks on what agent tools name)."""
    return {str(c.served(fd.project, secrets=False)["id"]) for c in seed_of(fd).connections}
