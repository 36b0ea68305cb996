"""`auth:` end to end: plan and apply against the emulator with a key, a fixed token, Entra ID
with a client secret (DefaultAzureCredential), GitHub Actions OIDC, and the default; against
loopback fakes of Entra ID and GitHub (tests/support/identity.py). No secret is ever printed."""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Iterator, Mapping
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from reconciler.api.connect_v1 import auth_kind
from reconciler.api.credentials import Kind
from reconciler.cli import main
from reconciler.core.model import Environment
from reconciler.emulator import Access, Emulator
from reconciler.emulator.server import BackgroundServer
from tests.support.identity import AUDIENCE, CLIENT_SECRET, TENANT, Identity, identity
from tests.support.projects import bots_project as project

KEY = "sk-auth-test-k3y-" + "k" * 16
STATIC_TOKEN = "eyJ0eXAiOiJKV1Qi.static-entra-t0ken." + "t" * 16
COGNITIVE = "https://cognitiveservices.azure.com/.default"
VARIABLES = (
    "AZURE_OPENAI_API_KEY",
    "AZURE_OPENAI_AD_TOKEN",
    "ACTIONS_ID_TOKEN_REQUEST_URL",
    "ACTIONS_ID_TOKEN_REQUEST_TOKEN",
    "AZURE_CLIENT_ID",
    "AZURE_TENANT_ID",
    "AZURE_CLIENT_SECRET",
    "AZURE_AUTHORITY_HOST",
    "AZURE_FEDERATED_TOKEN_FILE",
)
CLEAN: dict[str, str | None] = {
    **dict.fromkeys(VARIABLES),
    "NO_COLOR": "1",
    "RECONCILER_RETRY_BASE_SECONDS": "0.001",
}


@pytest.fixture
def ids(tmp_path: Path) -> Iterator[Identity]:
    with identity(tmp_path) as running:
        yield running


def run(*args: str, env: Mapping[str, str | None], debug: bool = True) -> Result:
    """The command, with --debug unless asked not to: even then, no secret is printed."""
    loud = ["--debug", "--verbose"] if debug else []
    return CliRunner().invoke(main, [*loud, *args], env={**CLEAN, **env})


def converge(directory: Path, env: Mapping[str, str | None], secrets: list[str]) -> None:
    """apply, then plan finds nothing to do; nothing secret in any output."""
    applied = run("apply", str(directory), "--auto-approve", env=env)
    assert applied.exit_code == 0, applied.output
    assert "Apply complete! Resources: 3 added, 0 changed, 0 destroyed." in applied.stdout
    planned = run("plan", str(directory), "--detailed-exitcode", env=env)
    assert planned.exit_code == 0, planned.output
    for secret in secrets:
        for output in (applied.stdout, applied.stderr, planned.stdout, planned.stderr):
            assert secret not in output


def test_a_key(tmp_path: Path, server: BackgroundServer) -> None:
    converge(project(tmp_path / "p", server.url, "auth: key"), {"AZURE_OPENAI_API_KEY": KEY}, [KEY])


def test_a_fixed_token_from_the_environment(tmp_path: Path, server: BackgroundServer) -> None:
    directory = project(tmp_path / "p", server.url, "auth: token\nad_token_env: MY_TOKEN")
    converge(directory, {"MY_TOKEN": STATIC_TOKEN}, [STATIC_TOKEN])


def test_entra_with_a_client_secret(
    tmp_path: Path, server: BackgroundServer, ids: Identity
) -> None:
    converge(
        project(tmp_path / "p", server.url, "auth: entra"), {**ids.secret_env()}, ids.secrets()
    )
    # One credential per command: apply asked once, plan once, each for the resource's scope.
    assert [(r["scope"], r["client_secret"]) for r in ids.entra.requests] == [
        (COGNITIVE, CLIENT_SECRET)
    ] * 2


def test_entra_is_the_default_without_a_key(
    tmp_path: Path, server: BackgroundServer, ids: Identity
) -> None:
    converge(project(tmp_path / "p", server.url), {**ids.secret_env()}, ids.secrets())
    assert len(ids.entra.requests) == 2


def test_github_actions_oidc_end_to_end(
    tmp_path: Path, server: BackgroundServer, ids: Identity
) -> None:
    converge(project(tmp_path / "p", server.url, "auth: entra"), {**ids.oidc_env()}, ids.secrets())
    # Every Entra token request traded a GitHub ID token of its own, asked for Entra's audience.
    assertions = [r["client_assertion"] for r in ids.entra.requests]
    assert assertions == ids.github.issued
    assert len(set(assertions)) == len(assertions) == 2
    assert ids.github.audiences == [AUDIENCE] * 2
    assert all("client_secret" not in r and r["scope"] == COGNITIVE for r in ids.entra.requests)


def test_a_token_is_renewed_mid_apply(
    tmp_path: Path, server: BackgroundServer, ids: Identity
) -> None:
    """The fake's first token expires as it is issued, as one does an hour into a long apply:
    the call after the first renews it, and every later call, on any of the threads, uses the
    new one. (azure-identity hands back a token it got in the last 30 seconds unless that one
    has expired, so a token that merely nears expiry would be renewed only 30 s later.)"""
    ids.entra.lifetimes = [0]
    directory = project(tmp_path / "p", server.url, "auth: entra", bots=8)
    applied = run(
        "apply", str(directory), "--auto-approve", "--parallelism", "8", env={**ids.oidc_env()}
    )
    assert applied.exit_code == 0, applied.output
    assert "Resources: 8 added" in applied.stdout
    assert len(ids.entra.requests) == len(ids.github.issued) == 2
    assert all(secret not in applied.output for secret in ids.secrets())


def test_a_sign_in_that_fails_is_one_line(
    tmp_path: Path, server: BackgroundServer, ids: Identity
) -> None:
    env = {**ids.secret_env(), "AZURE_CLIENT_SECRET": "wrong-s3cret"}
    result = run("plan", str(project(tmp_path / "p", server.url)), env=env, debug=False)
    assert result.exit_code == 1
    assert result.stderr.startswith(
        "Error: Entra ID sign-in for the Azure OpenAI resource failed (auth: entra, the default "
        "when AZURE_OPENAI_API_KEY is not set): "
    )
    assert "AADSTS7000215: Invalid client secret provided" in result.stderr
    assert f"(authority {ids.entra.url}, tenant {TENANT})" in result.stderr
    assert result.stderr.endswith(
        "Check AZURE_CLIENT_SECRET: it must be a current secret of the app AZURE_CLIENT_ID.\n"
    )
    assert result.stderr.count("\n") == 1
    assert "wrong-s3cret" not in result.output


def test_a_job_without_id_token_permission_is_told_so(
    tmp_path: Path, server: BackgroundServer, ids: Identity
) -> None:
    env = {**ids.oidc_env(), "ACTIONS_ID_TOKEN_REQUEST_TOKEN": "not-the-job-s-token"}
    result = run(
        "plan", str(project(tmp_path / "p", server.url, "auth: entra")), env=env, debug=False
    )
    assert (result.exit_code, result.stderr) == (
        1,
        f"Error: GitHub OIDC: HTTP 401 for an ID token (GET {ids.github.url}/_apis/token): "
        "the job needs `permissions: id-token: write`.\n",
    )


def test_a_resource_that_disables_keys_says_to_use_entra(tmp_path: Path) -> None:
    with BackgroundServer(Emulator.create(access=Access(local_auth=False))) as server:
        result = run(
            "plan", str(project(tmp_path / "p", server.url, "auth: key")),
            env={"AZURE_OPENAI_API_KEY": KEY}, debug=False,
        )  # fmt: skip
    assert result.exit_code == 1
    assert result.stderr.startswith("Error: list ")
    assert result.stderr.endswith(
        "HTTP 403 (AuthenticationTypeDisabled): Key based authentication is disabled for this "
        f"resource (GET {server.url}/openai/assistants). This resource disables keys: use auth: "
        "entra.\n"
    )
    assert KEY not in result.output


def test_a_refused_token_is_replaced_once_by_a_fresh_one(tmp_path: Path, ids: Identity) -> None:
    """The emulator takes only the fake's second token: the first, valid by its expiry, gets a
    401; a new credential fetches the second, and the apply goes on with it."""
    with BackgroundServer(Emulator.create(access=Access(token="entra-access-token-2"))) as server:
        directory = project(tmp_path / "p", server.url, "auth: entra")
        applied = run("apply", str(directory), "--auto-approve", env=ids.secret_env())
    assert applied.exit_code == 0, applied.output
    assert "Apply complete! Resources: 3 added" in applied.stdout
    assert "HTTP 401: trying once more with a new Entra ID token" in applied.stderr
    assert len(ids.entra.requests) == 2


def test_a_token_refused_twice_names_the_role(tmp_path: Path, ids: Identity) -> None:
    with BackgroundServer(Emulator.create(access=Access(token="another-tenant-s"))) as server:
        directory = project(tmp_path / "p", server.url, "auth: entra")
        result = run("plan", str(directory), env=ids.secret_env(), debug=False)
    assert result.exit_code == 1
    assert result.stderr.endswith(
        "The identity needs the role Cognitive Services OpenAI Contributor on the Azure OpenAI "
        "resource (tokens are for https://cognitiveservices.azure.com/.default).\n"
    )
    assert result.stderr.count("\n") == 1
    assert len(ids.entra.requests) == 2  # the first token, then one fetched afresh: no more


def test_without_the_azure_extra_keys_work_and_entra_names_the_extra(
    tmp_path: Path, server: BackgroundServer
) -> None:
    """azure-identity made unimportable, as on an install without the extra: one process plans
    a project with a key, then one with auth: entra."""
    script = (
        "import sys\n"
        "sys.modules['azure.identity'] = None\n"
        "from reconciler.cli import main\n"
        "for directory in sys.argv[1:]:\n"
        "    try:\n"
        "        main(['plan', directory])\n"
        "    except SystemExit as done:\n"
        "        print('exit', done.code, file=sys.stderr)\n"
    )
    keyed = project(tmp_path / "keyed", server.url, "auth: key")
    keyless = project(tmp_path / "keyless", server.url, "auth: entra")
    env = {"PATH": "/usr/bin:/bin", "NO_COLOR": "1", "AZURE_OPENAI_API_KEY": KEY}
    done = subprocess.run(
        [sys.executable, "-c", script, str(keyed), str(keyless)],
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    assert "Plan: 3 to add, 0 to change, 0 to destroy." in done.stdout
    assert done.stderr == (
        "exit 0\n"
        "Error: auth: entra needs azure-identity: pip install 'assistants-reconciler[azure]'\n"
        "exit 1\n"
    )


@pytest.mark.parametrize(
    ("auth", "message"),
    [
        ("auth: entra\napi_key_env: MY_KEY", "6:18: api_key_env belongs to auth: key, and this "
         "environment has auth: entra"),
        ("auth: key\nad_token_env: MY_TOKEN", "6:19: ad_token_env belongs to auth: token, and this "
         "environment has auth: key"),
        ("auth: keyless", "5:11: 'environments.dev.auth': expected 'key', 'token' or 'entra', got 'keyless'"),
    ],
)  # fmt: skip
def test_a_wrong_auth_is_a_located_error(tmp_path: Path, auth: str, message: str) -> None:
    directory = project(tmp_path / "p", "local", auth)
    result = run("validate", str(directory), env={})
    assert result.exit_code == 1
    assert result.stderr.startswith(f"{directory / 'reconciler.yaml'}:{message}\n"), result.stderr


@pytest.mark.parametrize(
    ("auth", "names", "process", "kind"),
    [
        (None, (None, None), {"AZURE_OPENAI_API_KEY": "k"}, "key"),
        (None, (None, None), {"AZURE_OPENAI_AD_TOKEN": "t"}, "token"),
        (None, (None, None), {}, "entra"),
        (None, ("MINE", None), {}, "key"),
        (None, (None, "MINE"), {"AZURE_OPENAI_API_KEY": "k"}, "token"),
        ("entra", (None, None), {"AZURE_OPENAI_API_KEY": "k"}, "entra"),
        ("key", (None, None), {}, "key"),
    ],
)
def test_the_default_auth_follows_the_variables(
    auth: Kind | None, names: tuple[str | None, str | None], process: dict[str, str], kind: Kind
) -> None:
    environment = Environment(
        "dev", "https://x.openai.azure.com", "2024-02-15-preview", *names, auth
    )
    assert auth_kind(environment, process) == kind
