"""`reconciler test` for an Assistants v1 environment: each row of a test's dataset in a thread
of its own, run with the assistant; a run that asks for tool outputs has its calls recorded and
gets empty outputs so it can answer; the thread is deleted after. Graded here
(core/evidence/local.py). v1 keeps no eval runs: nothing is reused and no evidence is left for
`requires_evidence_from` (which needs a Foundry environment)."""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from reconciler.api.threads_client import ThreadsClient
from reconciler.core.evidence.criteria import fill, verdict
from reconciler.core.evidence.local import output_item, unsupported
from reconciler.core.evidence.model import AgentTest, TestResult
from reconciler.core.fingerprint import digest
from reconciler.core.plan_types import ResourceChange
from reconciler.errors import UsageError

TERMINAL = ("completed", "failed", "cancelled", "expired", "incomplete")


@dataclass
class ThreadRunner:
    client: ThreadsClient
    poll: float
    timeout: float
    sleep: Callable[[float], None] = time.sleep

    def run(
        self, test: AgentTest, change: ResourceChange, progress: Callable[[str], None]
    ) -> TestResult:
        refused = unsupported(test)
        if refused:
            raise UsageError(
                f"{test.location}: test {test.name!r}: {', '.join(refused)} need the Foundry "
                "evals API (builtin evaluators): an Assistants v1 environment cannot grade them"
            )
        items = []
        for index, row in enumerate(test.rows, start=1):
            progress(f"{test.agent}: {test.name}: row {index}/{len(test.rows)}")
            items.append(self.row(test, str(change.id), row))
        definition = digest(change.after)[:12]
        return TestResult(
            test.name, test.agent, "", definition, "", "", False, tuple(verdict(test, items))
        )

    def row(self, test: AgentTest, assistant_id: str, row: dict[str, Any]) -> dict[str, Any]:
        run = self.client.run_thread(assistant_id, fill(test.input, row))
        thread_id, calls = str(run["thread_id"]), list[dict[str, Any]]()
        try:
            run, calls = self.finish(run)
            answer = self.answer(thread_id)
        finally:
            self.client.delete_thread(thread_id)
        error = "" if run["status"] == "completed" else f"run {run['status']}"
        return output_item(test, row, answer, calls, error)

    def finish(self, run: dict[str, Any]) -> tuple[dict[str, Any], list[dict[str, Any]]]:
        began, calls = time.monotonic(), list[dict[str, Any]]()
        while run["status"] not in TERMINAL:
            if run["status"] == "requires_action":
                asked = run["required_action"]["submit_tool_outputs"]["tool_calls"]
                calls += [dict(call["function"]) for call in asked]
                outputs = [{"tool_call_id": call["id"], "output": ""} for call in asked]
                run = self.client.submit_tool_outputs(run["thread_id"], run["id"], outputs)
                continue
            if time.monotonic() - began > self.timeout:
                return {**run, "status": "timed out"}, calls
            self.sleep(self.poll)
            run = self.client.get_run(run["thread_id"], run["id"])
        return run, calls

    def answer(self, thread_id: str) -> str:
        texts = [
            part["text"]["value"]
            for message in self.client.messages(thread_id)
            if message.get("role") != "user"
            for part in message.get("content") or []
            if part.get("type") == "text"
        ]
        return "\n".join(texts)
