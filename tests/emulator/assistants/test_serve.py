"""`reconciler emulator serve` with https, tokens and a busy port, as a user starts it."""

from __future__ import annotations

import ssl
from pathlib import Path

import httpx
from click.testing import CliRunner

from reconciler.cli import main
from reconciler.emulator.core.tls import make_certificate
from reconciler.emulator.server import bind
from tests.support.clients import API_VERSION
from tests.support.serving import serving


def client(url: str, verify: ssl.SSLContext) -> httpx.Client:
    # The URL is printed once the socket listens: no need to wait for the server.
    return httpx.Client(
        base_url=f"{url}/openai", params={"api-version": API_VERSION}, verify=verify
    )


def test_tls_makes_a_certificate_and_prints_the_ca_to_trust() -> None:
    with serving("--tls", "--token", "t0ken", "--disable-local-auth") as (url, lines):
        assert url.startswith("https://127.0.0.1:")
        assert lines[1].startswith("TLS: clients must trust the CA certificate ")
        ca = Path(lines[1].split()[-1])
        with client(url, ssl.create_default_context(cafile=str(ca))) as api:
            assert (
                api.get("/assistants", headers={"authorization": "Bearer t0ken"}).status_code == 200
            )
            refused = api.get("/assistants", headers={"api-key": "k"})
            assert (refused.status_code, refused.json()["error"]["code"]) == (
                403,
                "AuthenticationTypeDisabled",
            )


def test_given_certificate_and_key_are_served(tmp_path: Path) -> None:
    files = make_certificate(tmp_path)
    with serving("--tls-cert", str(files.cert), "--tls-key", str(files.key), "--api-key", "k") as (
        url,
        lines,
    ):
        assert len(lines) == 1
        with client(url, files.client_context()) as api:
            assert api.get("/assistants", headers={"api-key": "k"}).status_code == 200
            assert api.get("/assistants", headers={"authorization": "Bearer k"}).status_code == 401


def test_a_busy_port_is_one_line_and_exit_1() -> None:
    with bind() as taken:
        taken.listen()
        port = taken.getsockname()[1]
        result = CliRunner().invoke(main, ["emulator", "serve", "--port", str(port)])
    assert result.exit_code == 1
    assert result.output == (
        f"Error: Port {port} on 127.0.0.1 is already in use: stop what is listening there, "
        "or choose another with --port (0 picks a free one).\n"
    )
    assert result.exception is None or isinstance(result.exception, SystemExit)


def test_a_certificate_needs_its_key() -> None:
    result = CliRunner().invoke(main, ["emulator", "serve", "--tls-cert", "pyproject.toml"])
    assert result.exit_code == 1
    assert "--tls-cert and --tls-key go together." in result.output
