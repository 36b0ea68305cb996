"""A scripted Foundry round trip: knowledge in a vector store, an agent that uses it, versions."""

from __future__ import annotations

from collections.abc import Callable

import httpx

from reconciler.emulator.core.demo import RoundTrip, expect

PROJECT = "demo"


class FoundryRoundTrip(RoundTrip):
    """Drives the Foundry surface with a bearer token, as the Foundry SDKs do."""

    prefix = f"/api/projects/{PROJECT}"

    def __init__(self, url: str, say: Callable[[str], None]) -> None:
        headers = {"Authorization": "Bearer demo"}
        super().__init__(httpx.Client(base_url=url + self.prefix, headers=headers, timeout=30), say)

    def _round_trip(self) -> None:
        faq = b"# FAQ\nOrders ship in 2 days.\n"
        upload = {"file": ("faq.md", faq, "text/markdown")}
        file_id = self.call(
            "POST", "/openai/v1/files", files=upload, data={"purpose": "assistants"}
        )["id"]
        store = self.call(
            "POST", "/openai/v1/vector_stores", json={"name": "kb", "file_ids": [file_id]}
        )
        path = f"/openai/v1/vector_stores/{store['id']}"
        while (store := self.call("GET", path))["status"] != "completed":
            pass
        expect(store["file_counts"]["completed"] == 1, "the file ingested")
        tool = {"type": "file_search", "vector_store_ids": [store["id"]]}
        body = {"definition": {"kind": "prompt", "model": "gpt-4.1-mini", "tools": [tool]}}
        agent, versions = "/agents/support", {"api-version": "v1"}
        self.call("POST", f"{agent}/versions", json=body, params=versions)
        same = self.call("POST", agent, json=body, params=versions)
        expect(
            same["versions"]["latest"]["version"] == "1", "an unchanged update to keep version 1"
        )
        body["definition"]["instructions"] = "Answer order questions."
        changed = self.call("POST", agent, json=body, params=versions)
        expect(
            changed["versions"]["latest"]["version"] == "2", "a changed update to make version 2"
        )
        listed = self.call("GET", f"{agent}/versions", params=versions)["data"]
        expect(
            [v["id"] for v in listed] == ["support:2", "support:1"], "both versions, newest first"
        )
        self.call("DELETE", agent, params=versions)
        self.call("DELETE", path)
        self.call("DELETE", f"/openai/v1/files/{file_id}")
