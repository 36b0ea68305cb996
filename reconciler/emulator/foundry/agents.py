"""Agents and their immutable versions: store and rules.

An agent is a name with a monotonic version counter; each version is a frozen definition.
Version numbers are never reused while the agent exists (deleting its latest version does not
free the number). Deleting the agent deletes its counter with its versions: an agent declared
again under that name is a new agent, numbered from 1, as every read a client can make says
(a counter that outlived the agent would be state no route shows). `latest` is the highest
remaining release (a draft only when no release is left); deleting the last version deletes
the agent.
"""

from __future__ import annotations

import json
import re
from typing import Any

from reconciler.emulator.core.db import Json, Page, PageQuery
from reconciler.emulator.core.errors import ServiceError, bad_request
from reconciler.emulator.core.listing import page_items
from reconciler.emulator.foundry import definitions
from reconciler.emulator.foundry.bodies import (
    AGENT_NAME,
    AgentCreate,
    AgentPatch,
    AgentUpdate,
    AgentVersionCreate,
)
from reconciler.emulator.foundry.hosting import provision, settled, shown
from reconciler.emulator.foundry.state import Foundry

AGENT, VERSION, COUNTER = "foundry.agent", "foundry.agent.version", "foundry.agent.counter"


def create_version(
    fd: Foundry, name: str, body: AgentVersionCreate, raw: Json, features: set[str]
) -> Json:
    """POST /agents/{name}/versions: always a new version; creates the agent when absent."""
    check_name(name)
    definitions.check(fd, body, features)
    with fd.state.db.transaction():
        return _add_version(fd, name, raw, draft=bool(body.draft))


def create_agent(fd: Foundry, body: AgentCreate, raw: Json, features: set[str]) -> Json:
    """POST /agents: a new agent, or (the spec's reading) a new version of an existing one."""
    check_name(body.name, "name")
    definitions.check(fd, body, features)
    with fd.state.db.transaction():
        if fd.options.create_conflicts and _find(fd, body.name) is not None:
            raise ServiceError(409, f"Agent '{body.name}' already exists.", code="already_exists")
        _add_version(fd, body.name, raw, draft=bool(body.draft))
        agent = _require(fd, body.name)
        extras = {k: raw[k] for k in ("agent_endpoint", "agent_card") if raw.get(k) is not None}
        agent.update(extras, state=body.state or agent["state"])
        fd.state.db.replace(AGENT, fd.scope(), agent)
    return get(fd, body.name)


def update(fd: Foundry, name: str, body: AgentUpdate, raw: Json, features: set[str]) -> Json:
    """POST /agents/{name}: a new version only when definition, description or metadata changed."""
    definitions.check(fd, body, features)
    with fd.state.db.transaction():
        latest = _latest(fd, _require(fd, name))
        if _essence(raw) != _essence(latest):
            _add_version(fd, name, raw, draft=False)
    return get(fd, name)


def patch(fd: Foundry, name: str, body: AgentPatch, raw: Json) -> Json:
    with fd.state.db.transaction():
        agent = _require(fd, name)
        for field in body.model_fields_set:  # merge-patch: null removes the field
            agent[field] = raw[field]
            if raw[field] is None:
                del agent[field]
        fd.state.db.replace(AGENT, fd.scope(), agent)
    return get(fd, name)


def set_state(fd: Foundry, name: str, state: str) -> None:
    with fd.state.db.transaction():
        agent = _require(fd, name)
        fd.state.db.replace(AGENT, fd.scope(), {**agent, "state": state})


def get(fd: Foundry, name: str) -> Json:
    return _render(fd, _require(fd, name))


def page(fd: Foundry, query: PageQuery, kind: str | None) -> Page:
    agents = [_render(fd, a) for a in fd.state.db.select(AGENT, parent=fd.scope())]
    chosen = [a for a in agents if kind in (None, a["versions"]["latest"]["definition"]["kind"])]
    return page_items(chosen, query)


def delete(fd: Foundry, name: str) -> Json:
    with fd.state.db.transaction():
        _require(fd, name)
        _forget(fd, name)
    return {"object": "agent.deleted", "name": name, "deleted": True}


def get_version(fd: Foundry, name: str, version: str) -> Json:
    _require(fd, name)
    return shown(_settled(fd, fd.require(VERSION, fd.scope(name), f"{name}:{version}", "version")))


def page_versions(fd: Foundry, name: str, query: PageQuery, drafts: bool) -> Page:
    _require(fd, name)
    versions = [shown(_settled(fd, v)) for v in fd.state.db.children(VERSION, fd.scope(name))]
    listed = [v for v in versions if drafts or not v.get("draft")]
    # The SDK sends back `last_id` (name:N); a bare version number is accepted too.
    cursors = {
        k: _version_id(name, v) for k, v in (("after", query.after), ("before", query.before))
    }
    return page_items(listed, PageQuery(query.limit, query.order, **cursors))


def delete_version(fd: Foundry, name: str, version: str) -> Json:
    with fd.state.db.transaction():
        get_version(fd, name, version)
        fd.state.db.delete(VERSION, fd.scope(name), f"{name}:{version}")
        if not fd.state.db.children(VERSION, fd.scope(name)):
            _forget(fd, name)
    return {"object": "agent.version.deleted", "name": name, "version": version, "deleted": True}


def check_name(name: str, param: str = "agent_name") -> None:
    if not re.fullmatch(AGENT_NAME, name):
        message = (
            f"Invalid '{param}': '{name[:80]}'. A name starts and ends with a letter or digit, "
            "may contain hyphens in between, and has at most 63 characters."
        )
        raise bad_request(message, param, "invalid_value")


def _add_version(fd: Foundry, name: str, raw: Json, *, draft: bool) -> Json:
    counter = fd.state.db.get(COUNTER, fd.scope(), name)
    number = 1 if counter is None else counter["last"] + 1
    if counter is None:
        fd.state.db.insert(COUNTER, fd.scope(), {"id": name, "created_at": fd.now(), "last": 1})
    else:
        fd.state.db.replace(COUNTER, fd.scope(), {**counter, "last": number})
    version: Json = {
        "object": "agent.version",
        "id": f"{name}:{number}",
        "name": name,
        "version": str(number),
        "description": raw.get("description") or "",
        "created_at": fd.now(),
        "metadata": raw.get("metadata") or {},
        "definition": raw["definition"],
    }
    if draft:
        version["draft"] = True
    version = provision(fd, version)  # hosted: `creating`, its outcome due later
    fd.state.db.insert(VERSION, fd.scope(name), version)
    if _find(fd, name) is None:
        agent = {"id": name, "name": name, "created_at": fd.now(), "state": "enabled"}
        fd.state.db.insert(AGENT, fd.scope(), agent)
    return shown(version)


def _forget(fd: Foundry, name: str) -> None:
    """The agent, its versions and its counter: nothing of it is left."""
    fd.state.db.delete(AGENT, fd.scope(), name)
    fd.state.db.delete_where(VERSION, parent=fd.scope(name))
    fd.state.db.delete(COUNTER, fd.scope(), name)


def _find(fd: Foundry, name: str) -> Json | None:
    return fd.state.db.get(AGENT, fd.scope(), name)


def _require(fd: Foundry, name: str) -> Json:
    return fd.require(AGENT, fd.scope(), name, "agent")


def _latest(fd: Foundry, agent: Json) -> Json:
    """The newest release that did not fail (a hosted version whose container never started
    leaves the one before it serving), else the newest version."""
    versions = [_settled(fd, v) for v in fd.state.db.children(VERSION, fd.scope(agent["name"]))]
    releases = [v for v in versions if not v.get("draft")]
    serving = [v for v in releases if v.get("status") != "failed"]
    return shown((serving or releases or versions)[-1])


def _settled(fd: Foundry, version: Json) -> Json:
    parent = fd.scope(version["name"])
    return settled(fd, version, lambda done: fd.state.db.replace(VERSION, parent, done))


def _render(fd: Foundry, agent: Json) -> Json:
    extras: Json = {k: agent[k] for k in ("agent_endpoint", "agent_card") if k in agent}
    return {
        "object": "agent",
        "id": agent["id"],
        "name": agent["name"],
        "state": agent["state"],
        # SDK 2.10.0 requires it although the GA spec lacks it (FOUNDRY-FACTS §5.1).
        "configuration_state": agent["state"],
        "versions": {"latest": _latest(fd, agent)},
        **extras,
    }


def _version_id(name: str, cursor: str | None) -> str | None:
    if cursor is None or ":" in cursor:
        return cursor
    return f"{name}:{cursor}"


def _essence(version: Json) -> str:
    """What a no-op update compares: canonical JSON, null, empty and absent folded together."""
    fields = {k: version.get(k) for k in ("definition", "description", "metadata")}
    return json.dumps(_fold(fields), sort_keys=True)


def _fold(value: Any) -> Any:
    if isinstance(value, dict):
        folded = {k: _fold(v) for k, v in value.items()}
        return {k: v for k, v in folded.items() if v not in (None, "", {}, [])}
    if isinstance(value, list):
        return [_fold(item) for item in value]
    return value
