"""ThreadsClient: an Assistants v1 endpoint's threads and runs, as `reconciler test` drives an
assistant through its dataset (create thread and run, poll, answer tool calls, read messages,
delete the thread). Built on an AssistantsClient's connection: the same http client, endpoint,
api-version, credential and retries."""

from __future__ import annotations

from typing import Any

from reconciler.api.client import AssistantsClient


class ThreadsClient(AssistantsClient):
    @classmethod
    def of(cls, client: AssistantsClient) -> ThreadsClient:
        endpoint = client.base.removesuffix("/openai")
        return cls(
            client.http,
            endpoint,
            client.params["api-version"],
            client.auth,
            client.retry,
            client.surface,
        )

    def run_thread(self, assistant_id: str, text: str) -> dict[str, Any]:
        body = {
            "assistant_id": assistant_id,
            "thread": {"messages": [{"role": "user", "content": text}]},
        }
        return self._call("POST", "/threads/runs", f"run assistant {assistant_id}", json=body)

    def get_run(self, thread_id: str, run_id: str) -> dict[str, Any]:
        path = f"/threads/{thread_id}/runs/{run_id}"
        return self._call("GET", path, f"get run {run_id}")

    def submit_tool_outputs(
        self, thread_id: str, run_id: str, outputs: list[dict[str, str]]
    ) -> dict[str, Any]:
        path = f"/threads/{thread_id}/runs/{run_id}/submit_tool_outputs"
        return self._call(
            "POST", path, f"submit tool outputs of run {run_id}", json={"tool_outputs": outputs}
        )

    def messages(self, thread_id: str) -> list[dict[str, Any]]:
        path = f"/threads/{thread_id}/messages"
        page = self._call(
            "GET",
            path,
            f"list messages of thread {thread_id}",
            params={"order": "asc", "limit": 100},
        )
        found = page.get("data")
        return [m for m in found if isinstance(m, dict)] if isinstance(found, list) else []

    def delete_thread(self, thread_id: str) -> None:
        self._call("DELETE", f"/threads/{thread_id}", f"delete thread {thread_id}")
