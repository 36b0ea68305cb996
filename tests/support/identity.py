"""Loopback fakes of Entra ID's token endpoint and GitHub's OIDC endpoint, over real https.

A trustme certificate authority signs both servers' certificates; azure-identity (requests)
trusts it through REQUESTS_CA_BUNDLE and httpx through SSL_CERT_FILE, both in `trust()`. The
fakes answer as the real services do, as far as azure-identity and MSAL read them, and record
every request. Each server binds 127.0.0.1 on a free port and stops with its context.
"""

from __future__ import annotations

import json
import ssl
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlparse

import trustme

TENANT = "00000000-0000-4000-8000-000000007e57"
CLIENT_ID = "11111111-1111-4111-8111-111111111111"
CLIENT_SECRET = "entra-client-s3cr3t-" + "q" * 16
REQUEST_TOKEN = "gh-request-t0ken-" + "r" * 16  # ACTIONS_ID_TOKEN_REQUEST_TOKEN
AUDIENCE = "api://AzureADTokenExchange"

Route = Callable[[str, str, dict[str, str], bytes], tuple[int, dict[str, Any]]]


@dataclass
class Authority:
    """A certificate authority, its bundle on disk, and the variables that make clients trust it."""

    ca: trustme.CA
    bundle: Path

    @classmethod
    def create(cls, directory: Path) -> Authority:
        ca = trustme.CA()
        bundle = directory / "loopback-ca.pem"
        ca.cert_pem.write_to_path(str(bundle))
        return cls(ca, bundle)

    def trust(self) -> dict[str, str]:
        return {"REQUESTS_CA_BUNDLE": str(self.bundle), "SSL_CERT_FILE": str(self.bundle)}

    def context(self) -> ssl.SSLContext:
        context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
        self.ca.issue_cert("127.0.0.1", "localhost").configure_cert(context)
        return context


@contextmanager
def https_server(authority: Authority, route: Route) -> Iterator[str]:
    """Serve `route(method, path, headers, body) -> (status, json)` at the URL yielded."""

    class Handler(BaseHTTPRequestHandler):
        def _any(self) -> None:
            body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
            status, answer = route(self.command, self.path, dict(self.headers.items()), body)
            data = json.dumps(answer).encode()
            self.send_response(status)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)

        do_GET = do_POST = _any

        def log_message(self, format: str, *args: Any) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    server.socket = authority.context().wrap_socket(server.socket, server_side=True)
    # A short poll: shutdown() waits for the loop to look again.
    thread = threading.Thread(target=server.serve_forever, args=(0.02,), daemon=True)
    thread.start()
    try:
        yield f"https://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()
        thread.join()


@dataclass
class FakeGitHubOidc:
    """GitHub's ID-token endpoint (ACTIONS_ID_TOKEN_REQUEST_URL): a new JWT-shaped token each time."""

    url: str = ""
    issued: list[str] = field(default_factory=list)
    audiences: list[str] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def route(
        self, method: str, path: str, headers: dict[str, str], body: bytes
    ) -> tuple[int, dict[str, Any]]:
        query = parse_qs(urlparse(path).query)
        if headers.get("Authorization") != f"bearer {REQUEST_TOKEN}":
            return 401, {"message": "Bad credentials"}
        if query.get("api-version") != ["2.0"] or method != "GET":
            return 400, {"message": "api-version 2.0 expected"}
        with self.lock:
            self.audiences += query.get("audience", [""])
            token = f"eyJhbGciOiJSUzI1NiJ9.github-id-token-{len(self.issued) + 1}.c2ln"
            self.issued.append(token)
        return 200, {"count": 1, "value": token}

    def environment(self) -> dict[str, str]:
        return {
            "ACTIONS_ID_TOKEN_REQUEST_URL": f"{self.url}/_apis/token?api-version=2.0",
            "ACTIONS_ID_TOKEN_REQUEST_TOKEN": REQUEST_TOKEN,
        }


@dataclass
class FakeEntra:
    """Entra ID for one tenant: OpenID discovery and the v2 token endpoint (client credentials,
    by secret or by a client assertion the fake GitHub issued)."""

    url: str = ""
    lifetimes: list[int] = field(default_factory=list)  # of the tokens to come; then an hour
    requests: list[dict[str, str]] = field(default_factory=list)
    github: FakeGitHubOidc | None = None
    lock: threading.Lock = field(default_factory=threading.Lock)

    @property
    def issued(self) -> list[str]:
        return [f"entra-access-token-{n}" for n in range(1, len(self.requests) + 1)]

    def route(
        self, method: str, path: str, headers: dict[str, str], body: bytes
    ) -> tuple[int, dict[str, Any]]:
        base = f"{self.url}/{TENANT}"
        if method == "GET" and path == f"/{TENANT}/v2.0/.well-known/openid-configuration":
            return 200, {
                "issuer": f"{base}/v2.0",
                "authorization_endpoint": f"{base}/oauth2/v2.0/authorize",
                "token_endpoint": f"{base}/oauth2/v2.0/token",
            }
        if method == "POST" and path == f"/{TENANT}/oauth2/v2.0/token":
            form = {k: v[0] for k, v in parse_qs(body.decode()).items()}
            return self._token(form)
        if not path.startswith(f"/{TENANT}/"):  # Entra ID's answer for a tenant it does not know
            tenant = path.strip("/").split("/")[0]
            description = (
                f"AADSTS90002: Tenant '{tenant}' not found. Check to make sure you have the "
                "correct tenant ID and are signing into the correct cloud."
            )
            return 400, {"error": "invalid_tenant", "error_description": description}
        return 404, {"error": "not_found"}

    def _token(self, form: dict[str, str]) -> tuple[int, dict[str, Any]]:
        with self.lock:
            self.requests.append(form)
            if not self._accepts(form):
                return 401, {
                    "error": "invalid_client",
                    "error_description": "AADSTS7000215: Invalid client secret provided.",
                }
            lifetime = self.lifetimes.pop(0) if self.lifetimes else 3600
            token = self.issued[-1]
        return 200, {"token_type": "Bearer", "expires_in": lifetime, "access_token": token}

    def _accepts(self, form: dict[str, str]) -> bool:
        if form.get("client_id") != CLIENT_ID or form.get("grant_type") != "client_credentials":
            return False
        if "client_assertion" in form:
            issued = self.github.issued if self.github else []
            return bool(issued) and form["client_assertion"] == issued[-1]
        return form.get("client_secret") == CLIENT_SECRET

    def environment(self) -> dict[str, str]:
        """What EnvironmentCredential (in DefaultAzureCredential) reads: a client secret."""
        return {
            "AZURE_AUTHORITY_HOST": self.url,
            "AZURE_TENANT_ID": TENANT,
            "AZURE_CLIENT_ID": CLIENT_ID,
            "AZURE_CLIENT_SECRET": CLIENT_SECRET,
        }


@dataclass
class Identity:
    """Both fakes, running, and the process variables of each way to sign in."""

    authority: Authority
    entra: FakeEntra
    github: FakeGitHubOidc

    def secret_env(self) -> dict[str, str]:
        """DefaultAzureCredential with a client secret (EnvironmentCredential)."""
        return {**self.authority.trust(), **self.entra.environment()}

    def oidc_env(self) -> dict[str, str]:
        """GitHub Actions OIDC: no secret at all, only ids and the job's token request."""
        found = self.entra.environment()
        del found["AZURE_CLIENT_SECRET"]
        return {**self.authority.trust(), **found, **self.github.environment()}

    def secrets(self) -> list[str]:
        """Every secret in play, none of which may ever be printed."""
        return [CLIENT_SECRET, REQUEST_TOKEN, *self.github.issued, *self.entra.issued]


@contextmanager
def identity(directory: Path) -> Iterator[Identity]:
    authority = Authority.create(directory)
    github = FakeGitHubOidc()
    entra = FakeEntra(github=github)
    with (
        https_server(authority, github.route) as github.url,
        https_server(authority, entra.route) as entra.url,
    ):
        yield Identity(authority, entra, github)
