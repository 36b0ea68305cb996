"""What running an official sample takes, shared by test_samples.py and test_eval_samples.py:
the variables a user sets, the stand-in Azure CLI (samples/bin/az), the check that the output
holds what the service would print, in order, and that each copy is the released file.

The emulator serves https with the test CA (`REQUESTS_CA_BUNDLE` for azure-core, `SSL_CERT_FILE`
for openai's httpx2) and wants its token: the samples' DefaultAzureCredential, limited to the
Azure CLI by `AZURE_TOKEN_CREDENTIALS`, gets it from samples/bin/az.
"""

from __future__ import annotations

import hashlib
import os
import re
import subprocess
import sys
from collections.abc import Callable, Mapping
from pathlib import Path

from reconciler.emulator.server import BackgroundServer
from tests_foundry.conftest import PROJECT, TOKEN

SAMPLES = Path(__file__).parent / "samples"
MODEL = "gpt-4.1-mini"
HEADER_LINES = 5  # the provenance header and a blank line


def run_sample(
    path: Path, server: BackgroundServer, ca_file: Path, extra: Mapping[str, str] = {}
) -> str:
    """`python sample.py` in the sample's folder, as a user runs it; what it printed."""
    env = {
        **extra,
        "PATH": f"{SAMPLES / 'bin'}{os.pathsep}{os.environ['PATH']}",
        "HOME": os.environ.get("HOME", "/tmp"),
        "FOUNDRY_PROJECT_ENDPOINT": f"{server.url}/api/projects/{PROJECT}",
        "FOUNDRY_MODEL_NAME": MODEL,
        "AZURE_TOKEN_CREDENTIALS": "AzureCliCredential",
        "EMULATOR_TOKEN": TOKEN,
        "REQUESTS_CA_BUNDLE": str(ca_file),
        "SSL_CERT_FILE": str(ca_file),
        "PYTHONDONTWRITEBYTECODE": "1",
    }
    done = subprocess.run(
        [sys.executable, path.name],
        cwd=path.parent,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert done.returncode == 0, (
        f"{path.name} exited {done.returncode}:\n{done.stdout}\n{done.stderr}"
    )
    return done.stdout


def assert_printed_in_order(sample: str, output: str, expected: list[str]) -> None:
    at = 0
    for text in expected:
        found = output.find(text, at)
        assert found >= 0, f"{sample} did not print {text!r} (after offset {at}):\n{output}"
        at = found + len(text)


def released_digests(table: str) -> dict[str, str]:
    """A provenance table's files and the sha256 of each as released."""
    text = (SAMPLES / table).read_text()
    return dict(re.findall(r"^\| `([^`]+)` \| `([0-9a-f]{64})` \|$", text, re.MULTILINE))


def assert_released(recorded: dict[str, str], headed: Callable[[str], bool]) -> None:
    """Each copy is the released file byte for byte, below its provenance header if `headed`."""
    for name, digest in recorded.items():
        data = (SAMPLES / name).read_bytes()
        if headed(name):
            data = data.split(b"\n", HEADER_LINES)[HEADER_LINES]
        assert hashlib.sha256(data).hexdigest() == digest, name
