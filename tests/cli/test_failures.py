"""Each kind of failure a user's environment can cause, fed to each command that talks to the
endpoint, in a process of its own: one line on stderr that names where (the URL or the Entra ID
authority) and a next step, exit 1, no traceback, never "Internal error".

The failures are real, on loopback: a port bound but not listening (refused), a name under the
reserved `.invalid` TLD (never resolves, RFC 2606), https to the emulator's plain-http port,
https with a certificate no trusted CA signed, a wrong key or token, a server whose every answer is a 500
until retries give up, and an Entra ID authority on that refused port (AZURE_AUTHORITY_HOST), by
a client secret and by GitHub OIDC (the fakes of tests/support/identity.py); a wrong tenant on a
Foundry environment, whose advice must not be `auth: key`, which Foundry refuses.
"""

from __future__ import annotations

import socket
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from reconciler.emulator import Emulator
from reconciler.emulator.core.faults import FaultSettings
from reconciler.emulator.core.tls import TlsFiles
from reconciler.emulator.foundry import FoundryOptions
from reconciler.emulator.server import BackgroundServer
from tests.support.broken import run
from tests.support.identity import Identity, identity

KEY = "sk-good-k3y-" + "g" * 16
TOKEN = "eyJ-good-t0ken-" + "t" * 16  # the one bearer token the emulator takes
COMMANDS = (
    ("plan",),
    ("apply", "--auto-approve"),
    ("drift",),
    ("import",),
    ("destroy", "--auto-approve"),
)
FAST = {"RECONCILER_RETRY_BASE_SECONDS": "0.001", "NO_COLOR": "1"}


@dataclass
class Case:
    """A project's environment line, the process variables, and what the error must name."""

    endpoint: str
    auth: str
    env: dict[str, str]
    where: str
    then: str
    api: str = "assistants"


@pytest.fixture(scope="module")
def refused() -> Iterator[int]:
    """A loopback port bound and never listened on: every connection to it is refused."""
    with socket.socket() as bound:
        bound.bind(("127.0.0.1", 0))
        yield bound.getsockname()[1]


@pytest.fixture(scope="module")
def good() -> Iterator[BackgroundServer]:
    with BackgroundServer(Emulator.create(api_key=KEY, token=TOKEN)) as server:
        yield server


@pytest.fixture(scope="module")
def secure(tls: TlsFiles) -> Iterator[BackgroundServer]:
    """https with a certificate from a CA the commands are not told to trust."""
    with BackgroundServer(Emulator.create(api_key=KEY), tls=tls) as server:
        yield server


@pytest.fixture(scope="module")
def failing() -> Iterator[BackgroundServer]:
    with BackgroundServer(
        Emulator.create(faults=FaultSettings(fault_500=1.0, retry_after_ms=0))
    ) as server:
        yield server


@pytest.fixture(scope="module")
def ids(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Identity]:
    with identity(tmp_path_factory.mktemp("identity")) as running:
        yield running


@pytest.fixture(scope="module")
def cases(
    refused: int,
    good: BackgroundServer,
    failing: BackgroundServer,
    ids: Identity,
    secure: BackgroundServer,
) -> dict[str, Case]:
    """Each failure: where the project points, the process variables, what the error names."""
    key = {"AZURE_OPENAI_API_KEY": KEY}
    nowhere = f"https://127.0.0.1:{refused}"
    secret = {**ids.secret_env(), "AZURE_AUTHORITY_HOST": nowhere}
    oidc = {**ids.oidc_env(), "AZURE_AUTHORITY_HOST": nowhere}
    plain = good.url.replace("http://", "https://")
    untrusted = secure.url
    tenant = {**ids.oidc_env(), "AZURE_TENANT_ID": "99999999-0000-4000-8000-000000000000"}
    return {
        "refused": Case(
            f"http://127.0.0.1:{refused}", "key", key, f"http://127.0.0.1:{refused}/openai/",
            "Check the environment's endpoint",
        ),
        "dns": Case(
            "https://reconciler-test.invalid", "key", key,
            "https://reconciler-test.invalid/openai/", "does not resolve",
        ),
        "tls-to-plain": Case(
            plain, "key", key, f"{plain}/openai/", "http:// for a plain HTTP server"
        ),
        "untrusted-certificate": Case(
            untrusted, "key", key, f"{untrusted}/openai/", "Point SSL_CERT_FILE at the CA bundle"
        ),
        "wrong-key": Case(
            good.url, "key", {"AZURE_OPENAI_API_KEY": "sk-wrong"}, f"{good.url}/openai/",
            "Check the key and the endpoint",
        ),
        "wrong-token": Case(
            good.url, "token", {"AZURE_OPENAI_AD_TOKEN": "eyJ-not-this-resource-s"},
            f"{good.url}/openai/", "az account get-access-token",
        ),
        "foundry-wrong-token": Case(
            f"{good.url}/api/projects/shop", "token",
            {"AZURE_OPENAI_AD_TOKEN": "eyJ-not-this-project-s"},
            f"{good.url}/api/projects/shop/", "az account get-access-token", api="foundry",
        ),
        "500s": Case(
            failing.url, "key", key, f"{failing.url}/openai/", "The service kept failing"
        ),
        "entra-unreachable": Case(
            good.url, "entra", secret, f"authority {nowhere}", "Check the network"
        ),
        "entra-unreachable-oidc": Case(
            good.url, "entra", oidc, f"authority {nowhere}", "Check the network"
        ),
        "foundry-wrong-tenant": Case(
            f"{good.url}/api/projects/shop", "entra", tenant, f"authority {ids.entra.url}",
            "Check AZURE_TENANT_ID", api="foundry",
        ),
    }  # fmt: skip


def project(root: Path, case: Case) -> Path:
    root.mkdir(parents=True, exist_ok=True)
    environment = f"    api: {case.api}\n    endpoint: '{case.endpoint}'\n    auth: {case.auth}\n"
    (root / "reconciler.yaml").write_text(
        f"project: demo\nenvironments:\n  dev:\n{environment}", encoding="utf-8"
    )
    kind = "Agent" if case.api == "foundry" else "Assistant"
    (root / "bot.yaml").write_text(f"kind: {kind}\nname: bot\nmodel: gpt-4\n", encoding="utf-8")
    return root


@pytest.mark.parametrize(
    "failure",
    [
        "refused",
        "dns",
        "tls-to-plain",
        "untrusted-certificate",
        "wrong-key",
        "wrong-token",
        "foundry-wrong-token",
        "500s",
        "entra-unreachable",
        "entra-unreachable-oidc",
        "foundry-wrong-tenant",
    ],
)
def test_each_failure_is_one_line_with_where_and_what_to_do(
    tmp_path: Path, cases: dict[str, Case], failure: str
) -> None:
    case = cases[failure]
    directory = project(tmp_path / failure, case)
    for command in COMMANDS:
        result = run(*command, str(directory), cwd=tmp_path, env={**FAST, **case.env})
        shown = f"{failure}, {command[0]}: {result.stderr}"
        assert result.returncode == 1, shown
        assert result.stderr.startswith("Error: "), shown
        assert result.stderr.count("\n") == 1, shown
        assert case.where in result.stderr, shown
        assert case.then in result.stderr, shown
        for wrong in ("Traceback", "Internal error", "auth: key" if case.api == "foundry" else "~"):
            assert wrong not in result.stderr, shown
        assert KEY not in result.stdout + result.stderr
        assert TOKEN not in result.stdout + result.stderr


def test_an_ingestion_failure_names_the_file_and_does_not_advise_applying_again(
    tmp_path: Path,
) -> None:
    """The service refuses the file's content (over its token limit): applying again as it is
    fails again, so the advice is to fix the file."""
    (tmp_path / "docs").mkdir()
    (tmp_path / "docs" / "big.md").write_text("x" * 40, encoding="utf-8")
    (tmp_path / "bot.yaml").write_text(
        "kind: Agent\nname: bot\nmodel: gpt-4o\n"
        "tools: [{type: file_search, files: [docs/big.md]}]\n",
        encoding="utf-8",
    )
    emulator = Emulator.create(foundry=FoundryOptions(max_file_tokens=2))
    with BackgroundServer(emulator) as server:
        endpoint = f"{server.url}/api/projects/shop"
        (tmp_path / "reconciler.yaml").write_text(
            "project: shop\nenvironments:\n"
            f"  dev: {{api: foundry, endpoint: '{endpoint}', ad_token_env: TOKEN}}\n",
            encoding="utf-8",
        )
        env = {**FAST, "TOKEN": "t"}
        result = run("apply", str(tmp_path), "--auto-approve", cwd=tmp_path, env=env)
    assert result.returncode == 1, result.stderr
    lines = result.stderr.splitlines()
    assert any("ingestion failed for big." in line and "(docs/big.md)" in line for line in lines)
    assert lines[-1] == (
        "Running apply again as it is fails the same way: fix what is named above (a file the "
        "service cannot ingest: change or remove it), then run apply again."
    )
    assert "Run apply again to finish" not in result.stderr
