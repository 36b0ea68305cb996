"""The Assistants round trip: a file, an assistant with a function tool, a run that calls it."""

from __future__ import annotations

from collections.abc import Callable

import httpx

from reconciler.emulator.core.demo import RoundTrip, expect

API_VERSION = "2024-02-15-preview"


class AssistantsRoundTrip(RoundTrip):
    """Drives the Assistants v1 surface with an API key."""

    prefix = "/openai"

    def __init__(self, url: str, say: Callable[[str], None]) -> None:
        http = httpx.Client(
            base_url=url + self.prefix,
            params={"api-version": API_VERSION},
            headers={"api-key": "demo"},
            timeout=30,
        )
        super().__init__(http, say)

    def _round_trip(self) -> None:
        faq = b"# FAQ\nOrders ship in 2 days.\n"
        upload = {"file": ("faq.md", faq, "text/markdown")}
        file_id = self.call("POST", "/files", files=upload, data={"purpose": "assistants"})["id"]
        tool = {
            "type": "function",
            "function": {"name": "lookup_order", "parameters": {"type": "object"}},
        }
        body = {"model": "gpt-4", "name": "support-bot", "tools": [tool], "file_ids": [file_id]}
        assistant = self.call("POST", "/assistants", json=body)["id"]
        self.call(
            "POST", f"/assistants/{assistant}", json={"instructions": "Answer order questions."}
        )
        listed = self.call("GET", "/assistants", params={"limit": 100})["data"]
        expect([a["id"] for a in listed] == [assistant], "the new assistant is the only one listed")
        expect(
            self.call("GET", f"/files/{file_id}/content") == faq, "the file downloads byte for byte"
        )
        self.converse(assistant)
        self.call("DELETE", f"/assistants/{assistant}")
        self.call("DELETE", f"/files/{file_id}")

    def converse(self, assistant: str) -> None:
        thread = self.call(
            "POST",
            "/threads",
            json={"messages": [{"role": "user", "content": "Where is order 7?"}]},
        )
        run = self.call("POST", f"/threads/{thread['id']}/runs", json={"assistant_id": assistant})
        path = f"/threads/{thread['id']}/runs/{run['id']}"
        while (run := self.call("GET", path))["status"] != "completed":
            if run["status"] == "requires_action":
                calls = run["required_action"]["submit_tool_outputs"]["tool_calls"]
                outputs = [{"tool_call_id": c["id"], "output": "shipped"} for c in calls]
                self.call("POST", f"{path}/submit_tool_outputs", json={"tool_outputs": outputs})
        reply = self.call("GET", f"/threads/{thread['id']}/messages")["data"][0]
        self.say(f"assistant says: {reply['content'][0]['text']['value']}")
        self.call("DELETE", f"/threads/{thread['id']}")
