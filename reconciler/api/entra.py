"""Entra ID tokens from azure-identity, an optional extra: `assistants-reconciler[azure]`.

In GitHub Actions, when the job may ask for an OIDC token (ACTIONS_ID_TOKEN_REQUEST_URL and
_TOKEN, set by `permissions: id-token: write`) and names an app (AZURE_CLIENT_ID,
AZURE_TENANT_ID), a ClientAssertionCredential trades a new GitHub ID token for every Entra ID
token it requests: unlike `azure/login`'s CLI session, whose federated token expires after
about ten minutes, it lasts as long as the job. Anywhere else DefaultAzureCredential decides
(environment variables, workload or managed identity, `az login`, ...).
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlparse

import httpx

from reconciler.api.credentials import BearerAuth, Token
from reconciler.api.failures import transport_failure, where
from reconciler.api.retry import RetryPolicy
from reconciler.api.sign_in import AUTHORITY_VARIABLE, SignIn
from reconciler.api.surface import Surface
from reconciler.errors import CredentialError, ReconcilerError, UsageError

EXTRA = "assistants-reconciler[azure]"
AUDIENCE = "api://AzureADTokenExchange"
OIDC_VARIABLES = (
    "ACTIONS_ID_TOKEN_REQUEST_URL",
    "ACTIONS_ID_TOKEN_REQUEST_TOKEN",
    "AZURE_CLIENT_ID",
    "AZURE_TENANT_ID",
)
log = logging.getLogger("reconciler.entra")


def github_oidc(process: Mapping[str, str]) -> bool:
    """Whether the process runs in a GitHub job that can sign in to Entra ID with OIDC."""
    return all(process.get(name) for name in OIDC_VARIABLES)


def entra_auth(
    surface: Surface, process: Mapping[str, str], why: str = "", retry: RetryPolicy | None = None
) -> BearerAuth:
    """Renewing bearer tokens for `surface`; `why` tells how auth came to be entra, if not
    by `auth: entra`. `retry` (--max-attempts, --retry-base-seconds) bounds the sign-in's
    requests too: azure-core's own policy would spend about 12 s on an authority out of reach."""
    # An optional extra: imported when used, so that keys work without it.
    try:
        from azure.core.exceptions import AzureError  # noqa: PLC0415
        from azure.identity import ClientAssertionCredential, DefaultAzureCredential  # noqa: PLC0415
        from msal.authority import WELL_KNOWN_AUTHORITY_HOSTS  # noqa: PLC0415
    except ImportError:
        because = f" ({why})" if why else ""
        raise UsageError(
            f"auth: entra{because} needs azure-identity: pip install '{EXTRA}'"
        ) from None
    _quiet_azure_logs()
    options = {**_authority(process, WELL_KNOWN_AUTHORITY_HOSTS), **_retries(retry)}

    def make() -> Any:
        if not github_oidc(process):
            return DefaultAzureCredential(**options)
        assertion = GitHubIdToken(
            process["ACTIONS_ID_TOKEN_REQUEST_URL"], process["ACTIONS_ID_TOKEN_REQUEST_TOKEN"]
        )
        tenant, client = process["AZURE_TENANT_ID"], process["AZURE_CLIENT_ID"]
        return ClientAssertionCredential(tenant, client, assertion, **options)

    # AzureError: a refusal (ClientAuthenticationError) and an authority out of reach
    # (ServiceRequestError) alike; ValueError: ids azure-identity rejects before asking.
    failures = (AzureError, ValueError)
    sign_in = SignIn.of(surface, process, why)
    return BearerAuth(_AzureTokens(make, sign_in, failures))


class _AzureTokens:
    """Tokens for one scope from an azure-identity credential. A fresh token comes from a new
    credential: azure-identity would hand back the cached one the endpoint just refused."""

    def __init__(
        self, make: Callable[[], Any], sign_in: SignIn, failures: tuple[type[Exception], ...]
    ) -> None:
        self._make, self._sign_in, self._failures = make, sign_in, failures
        self._surface = sign_in.surface
        self._credential = make()

    def __call__(self, fresh: bool = False) -> Token:
        if fresh:
            self._credential = self._make()
        try:
            got = self._credential.get_token(self._sign_in.surface.scope)
        except ReconcilerError:
            raise
        except self._failures as error:
            raise CredentialError(self._sign_in.failed(str(error))) from None
        return Token(str(got.token), float(got.expires_on))


def _retries(retry: RetryPolicy | None) -> dict[str, Any]:
    """azure-core's retry settings (its RetryPolicy's keywords) from ours."""
    if retry is None:
        return {}
    return {
        "retry_total": retry.attempts - 1,
        "retry_backoff_factor": retry.base_seconds,
        "retry_backoff_max": retry.cap_seconds,
    }


def _authority(process: Mapping[str, str], known: frozenset[str]) -> dict[str, Any]:
    """AZURE_AUTHORITY_HOST names a sovereign cloud's or a private authority (Azure Stack, a
    test's). One Microsoft does not list cannot pass its instance discovery: whoever set the
    variable vouched for it, so it is trusted as given."""
    host = process.get(AUTHORITY_VARIABLE)
    if not host:
        return {}
    name = urlparse(host if "://" in host else f"https://{host}").netloc
    return {"authority": host, "disable_instance_discovery": name not in known}


@dataclass(frozen=True)
class GitHubIdToken:
    """The client assertion: a new GitHub OIDC ID token for Entra ID, at every call."""

    url: str
    request_token: str

    def __call__(self) -> str:
        url = httpx.URL(self.url).copy_merge_params({"audience": AUDIENCE})
        headers = {"Authorization": f"bearer {self.request_token}"}
        at = where("GET", url)
        try:
            response = httpx.get(url, headers=headers, timeout=30)
        except httpx.TransportError as error:
            what, _ = transport_failure(error, url)
            raise CredentialError(
                f"GitHub OIDC: the ID token request failed: {what} ({at}). Run the job again; "
                "GitHub sets ACTIONS_ID_TOKEN_REQUEST_URL, it is not set by hand."
            ) from None
        if response.is_error:
            raise CredentialError(
                f"GitHub OIDC: HTTP {response.status_code} for an ID token ({at}): the job needs "
                "`permissions: id-token: write`."
            )
        try:
            value = response.json().get("value")
        except (ValueError, AttributeError):
            value = None
        if not isinstance(value, str) or not value:
            raise CredentialError("GitHub OIDC: the answer holds no ID token ('value').")
        return value

    def __repr__(self) -> str:
        return "GitHubIdToken(request_token=***)"


class _Forward(logging.Handler):
    """azure-identity's log lines, as --debug lines of ours (they hold no secrets)."""

    def emit(self, record: logging.LogRecord) -> None:
        log.debug("%s", " ".join(record.getMessage().split()))


def _quiet_azure_logs() -> None:
    """azure-identity logs each failed attempt as a warning of many lines; our error says it
    in one. Without a handler Python would print those warnings to stderr."""
    azure = logging.getLogger("azure")
    if not any(isinstance(h, _Forward) for h in azure.handlers):
        azure.addHandler(_Forward())
        azure.propagate = False
