"""The toolbox calls of a Foundry project, as azure-ai-projects 2.10 makes them
(`project_client.toolboxes`, GA: `api-version=v1`, no Foundry-Features opt-in), mixed into
FoundryClient:

    GET    /toolboxes?limit&order&after       paged by `last_id`, as the agents list
    GET    /toolboxes/{name}/versions/{v}     one version (the default, when not the latest)
    POST   /toolboxes/{name}/versions         a new version (the toolbox, when absent)
    PATCH  /toolboxes/{name}                  {default_version}
    DELETE /toolboxes/{name}                  204, with every version
"""

from __future__ import annotations

from typing import Any

from reconciler.api.calls import ApiBase
from reconciler.core.tools.toolbox import endpoint_path

V1 = {"api-version": "v1"}


class ToolboxCalls(ApiBase):
    def toolbox_url(self, name: str) -> str:
        """The MCP endpoint an agent uses: the toolbox's default version."""
        return self.base + endpoint_path(name)

    def list_toolboxes(self) -> list[dict[str, Any]]:
        """Every toolbox, each with its latest version, paged as the agents list."""
        return self._agent_pages("/toolboxes", "list toolboxes")

    def _agent_pages(self, path: str, operation: str) -> list[dict[str, Any]]:
        raise NotImplementedError  # FoundryClient's: the agents routes' paging

    def get_toolbox(self, name: str) -> dict[str, Any]:
        return self._call("GET", f"/toolboxes/{name}", f"get toolbox {name}", params=V1)

    def get_toolbox_version(self, name: str, version: str) -> dict[str, Any]:
        path, operation = f"/toolboxes/{name}/versions/{version}", f"get toolbox {name} v{version}"
        return self._call("GET", path, operation, params=V1)

    def create_toolbox_version(self, name: str, body: dict[str, Any]) -> dict[str, Any]:
        """A new version; a lost answer is looked for as the latest version saying `body`."""

        def recover() -> dict[str, Any] | None:
            latest = self.get_toolbox(name).get("versions", {}).get("latest") or {}
            return latest if all(latest.get(k) == v for k, v in body.items()) else None

        path, operation = f"/toolboxes/{name}/versions", f"create a version of toolbox {name}"
        return self._call("POST", path, operation, recover, params=V1, json=body)

    def set_default_toolbox_version(self, name: str, version: str) -> dict[str, Any]:
        operation = f"set the default version of toolbox {name}"
        body = {"default_version": version}
        return self._call("PATCH", f"/toolboxes/{name}", operation, params=V1, json=body)

    def delete_toolbox(self, name: str) -> None:
        self._call("DELETE", f"/toolboxes/{name}", f"delete toolbox {name}", params=V1)
