"""The official azure-ai-projects 2.10 evaluation samples, copied unchanged (samples/eval_*.py,
samples/eval_PROVENANCE.md), run against the emulator as a user runs them: `python sample.py`
with the variables they read.

The emulator serves https with the test CA (`REQUESTS_CA_BUNDLE` for azure-core, `SSL_CERT_FILE`
for openai's httpx2). The samples' DefaultAzureCredential, limited to the Azure CLI by
`AZURE_TOKEN_CREDENTIALS`, runs `az account get-access-token`: a stand-in `az`, written for the
test into its own directory, hands it the emulator's token. Each sample must exit 0 and print what
it prints against the service, with the emulator's deterministic model and graders answering.
"""

from __future__ import annotations

import hashlib
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from reconciler.emulator.server import BackgroundServer
from tests_foundry.conftest import PROJECT, TOKEN

SAMPLES = Path(__file__).parent / "samples"
HEADER_LINES = 5  # the provenance header and a blank line
AZ = """#!/bin/sh
# A stand-in Azure CLI: the one command AzureCliCredential runs, answered with the emulator's token.
if [ "$1 $2" = "account get-access-token" ]; then
  printf '{"accessToken": "%s", "expires_on": %s, "tokenType": "Bearer"}\\n' \\
    "$EMULATOR_TOKEN" "$(( $(date +%s) + 3600 ))"
else
  echo "Please run 'az login' to setup account." >&2
  exit 1
fi
"""
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


def run_sample(sample: str, server: BackgroundServer, ca_file: Path, bin_dir: Path) -> str:
    env = {
        "PATH": f"{bin_dir}{os.pathsep}{os.environ['PATH']}",
        "HOME": os.environ.get("HOME", "/tmp"),
        "FOUNDRY_PROJECT_ENDPOINT": f"{server.url}/api/projects/{PROJECT}",
        "FOUNDRY_MODEL_NAME": "gpt-4.1-mini",
        "AZURE_TOKEN_CREDENTIALS": "AzureCliCredential",
        "EMULATOR_TOKEN": TOKEN,
        "REQUESTS_CA_BUNDLE": str(ca_file),
        "SSL_CERT_FILE": str(ca_file),
        "PYTHONDONTWRITEBYTECODE": "1",
    }
    done = subprocess.run(
        [sys.executable, sample],
        cwd=SAMPLES,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert done.returncode == 0, f"{sample} exited {done.returncode}:\n{done.stdout}\n{done.stderr}"
    return done.stdout


@pytest.fixture
def bin_dir(tmp_path: Path) -> Path:
    az = tmp_path / "az"
    az.write_text(AZ)
    az.chmod(0o755)
    return tmp_path


@pytest.mark.parametrize("sample", sorted(EXPECTED))
def test_an_official_evaluation_sample_runs_to_its_end(
    sample: str, server: BackgroundServer, ca_file: Path, bin_dir: Path
) -> None:
    output = run_sample(sample, server, ca_file, bin_dir)
    at = 0
    for expected in EXPECTED[sample]:
        found = output.find(expected, at)
        assert found >= 0, f"{sample} did not print {expected!r} (after offset {at}):\n{output}"
        at = found + len(expected)


def test_the_samples_are_the_released_files() -> None:
    """Below its provenance header, each copy is the released file, byte for byte."""
    table = (SAMPLES / "eval_PROVENANCE.md").read_text()
    recorded = dict(re.findall(r"^\| `([^`]+)` \| `([0-9a-f]{64})` \|$", table, re.MULTILINE))
    assert set(recorded) == set(EXPECTED)
    for name, digest in recorded.items():
        data = (SAMPLES / name).read_bytes().split(b"\n", HEADER_LINES)[HEADER_LINES]
        assert hashlib.sha256(data).hexdigest() == digest, name
