"""The official azure-ai-projects 2.10 evaluation samples, copied unchanged (samples/eval_*.py,
samples/eval_PROVENANCE.md), run against the emulator as a user runs them: `python sample.py`
with the variables they read.

How they run (the CA, the token from a stand-in Azure CLI) is sample_runs.py's. Each sample
must exit 0 and print what it prints against the service, with the emulator's deterministic
model and graders answering.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from reconciler.emulator.server import BackgroundServer
from tests_foundry.sample_runs import (
    SAMPLES,
    assert_printed_in_order,
    assert_released,
    released_digests,
    run_sample,
)

REPLY = "Emulated reply to 1 user message(s). Last message:"
# sample -> what its output must contain, in order
EXPECTED = {
    # an agent version as the target of inline rows, graded by Foundry's evaluators (stand-ins)
    "eval_sample_agent_evaluation.py": [
        "Agent created (id: MyAgent:1, name: MyAgent, version: 1)",
        "Evaluation created (id: eval_",
        "Evaluation run created (id: evalrun_",
        "current status: in_progress",
        "current status: completed",
        "Result Counts: ResultCounts(errored=0, failed=0, passed=2, total=2)",
        "OUTPUT ITEMS (Total: 2)",
        f"content='{REPLY} What is the capital of France?'",
        "stand_in=True",
        "Evaluation deleted",
        "Agent deleted",
    ],
    # OpenAI's graders on inline JSONL rows: string check and BLEU computed, model graders
    # answered by the stand-in (no sample text in these rows: they fail, labelled)
    "eval_sample_evaluations_graders.py": [
        "Evaluation created (id: eval_",
        "Eval Run created (id: evalrun_",
        "metadata={'team': 'eval-exp', 'scenario': 'graders-inline-v1'}",
        "status='in_progress'",
        "name='string_check_grader', passed=True, score=1.0",
        "name='text_check_grader', passed=False",
        "Eval Run Report URL: https://127.0.0.1:",
        "Evaluation deleted",
    ],
}


@pytest.mark.parametrize("sample", sorted(EXPECTED))
def test_an_official_evaluation_sample_runs_to_its_end(
    sample: str, server: BackgroundServer, ca_file: Path
) -> None:
    output = run_sample(SAMPLES / sample, server, ca_file)
    assert_printed_in_order(sample, output, EXPECTED[sample])


def test_the_samples_are_the_released_files() -> None:
    """Below its provenance header, each copy is the released file, byte for byte."""
    recorded = released_digests("eval_PROVENANCE.md")
    assert set(recorded) == set(EXPECTED)
    assert_released(recorded, headed=lambda name: True)
