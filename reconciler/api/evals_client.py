"""EvalsClient: a Foundry project's evals (`/openai/v1/evals`), their runs and output items, as
openai 3.x's `client.evals` sends them (no api-version; OpenAI-style pages: `has_more`, the next
cursor the last item's id, paged as FoundryClient pages files). Built on a FoundryClient's
connection: the same http client, endpoint, credential and retries.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from reconciler.api.foundry_client import FoundryClient

EVALS = "/openai/v1/evals"
PAGE_SIZE = 100


class EvalsClient(FoundryClient):
    @classmethod
    def of(cls, client: FoundryClient) -> EvalsClient:
        return cls(client.http, client.base, client.auth, client.retry)

    def list_evals(self) -> Iterator[dict[str, Any]]:
        return self._pages(EVALS, PAGE_SIZE)

    def create_eval(self, body: dict[str, Any]) -> dict[str, Any]:
        return self._call("POST", EVALS, f"create eval {body.get('name')}", json=body)

    def list_runs(self, eval_id: str) -> Iterator[dict[str, Any]]:
        return self._pages(f"{EVALS}/{eval_id}/runs", PAGE_SIZE)

    def create_run(self, eval_id: str, body: dict[str, Any]) -> dict[str, Any]:
        path, operation = f"{EVALS}/{eval_id}/runs", f"create a run of eval {eval_id}"
        return self._call("POST", path, operation, json=body)

    def get_run(self, eval_id: str, run_id: str) -> dict[str, Any]:
        path = f"{EVALS}/{eval_id}/runs/{run_id}"
        return self._call("GET", path, f"get run {run_id} of eval {eval_id}")

    def output_items(self, eval_id: str, run_id: str) -> list[dict[str, Any]]:
        path = f"{EVALS}/{eval_id}/runs/{run_id}/output_items"
        return list(self._pages(path, PAGE_SIZE))
