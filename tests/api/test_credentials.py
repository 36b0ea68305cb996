"""Entra ID tokens in the client: renewed before expiry, once for many threads, once more after a
401; the scope each surface needs; what a 401 or 403 tells the user to do."""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import httpx
import pytest

from reconciler.api.client import AssistantsClient, Credential
from reconciler.api.credentials import BearerAuth, Kind, Token
from reconciler.api.denied import hint
from reconciler.api.entra import entra_auth
from reconciler.api.retry import RetryPolicy
from reconciler.api.sign_in import summary
from reconciler.api.surface import AZURE_OPENAI, FOUNDRY_PROJECT, Surface, surface_of
from reconciler.emulator.server import BackgroundServer
from reconciler.errors import AccessDeniedError
from tests.support.identity import Identity, identity

API_VERSION = "2024-02-15-preview"
EMPTY = {"object": "list", "data": [], "has_more": False}


@pytest.fixture
def ids(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Identity]:
    """The fakes, and the variables DefaultAzureCredential reads to sign in with a secret."""
    with identity(tmp_path) as running:
        for name, value in running.secret_env().items():
            monkeypatch.setenv(name, value)
        yield running


def test_a_token_is_kept_until_five_minutes_before_it_expires() -> None:
    now = [1_000_000.0]
    issued: list[Token] = []

    def source(fresh: bool = False) -> Token:
        issued.append(Token(f"t{len(issued) + 1}", now[0] + 3600))
        return issued[-1]

    auth = BearerAuth(source, clock=lambda: now[0])
    assert auth.current().secret == "t1"
    now[0] += 3600 - 301
    assert auth.current().secret == "t1"
    now[0] += 2
    assert auth.current().secret == "t2"
    assert "t2" not in repr(auth) + repr(issued[-1])


def test_threads_share_one_renewal(server: BackgroundServer, ids: Identity) -> None:
    """Sixteen calls at once find the first token expired: one of them renews it."""
    ids.entra.lifetimes = [0]
    seen: list[str] = []

    def record(request: httpx.Request) -> None:
        seen.append(request.headers["authorization"].removeprefix("Bearer "))

    with httpx.Client(event_hooks={"request": [record]}) as http:
        client = AssistantsClient(
            http, server.url, API_VERSION, entra_auth(AZURE_OPENAI, os.environ)
        )
        client.list_files()
        with ThreadPoolExecutor(16) as pool:
            list(pool.map(lambda _: client.list_assistants(), range(16)))
    assert len(ids.entra.requests) == 2
    assert seen == ["entra-access-token-1"] + ["entra-access-token-2"] * 16


Seen = list[tuple[str, bytes]]  # each request's token and body, as it was sent


def resource(refuse: Callable[[str], bool], seen: Seen) -> httpx.MockTransport:
    """An endpoint that answers 401 to the tokens `refuse` picks."""

    def handle(request: httpx.Request) -> httpx.Response:
        token = request.headers["authorization"].removeprefix("Bearer ")
        seen.append((token, request.read()))
        if refuse(token):
            message = "Access token is missing, invalid, audience is incorrect, or have expired."
            return httpx.Response(401, json={"error": {"code": "401", "message": message}})
        if request.url.path.endswith("/files") and request.method == "POST":
            upload = {"id": "file-1", "filename": "faq.md", "bytes": 5, "created_at": 1}
            return httpx.Response(200, json={**upload, "purpose": "assistants"})
        return httpx.Response(200, json=EMPTY)

    return httpx.MockTransport(handle)


def keyless(transport: httpx.MockTransport) -> AssistantsClient:
    http = httpx.Client(transport=transport)
    endpoint = "https://contoso.openai.azure.com"
    auth = entra_auth(AZURE_OPENAI, os.environ)
    return AssistantsClient(http, endpoint, API_VERSION, auth, RetryPolicy(attempts=1))


def test_a_401_is_tried_once_more_with_a_token_fetched_afresh(ids: Identity) -> None:
    """The refused token is still valid by its expiry, so azure-identity's cache would give it
    back: the new token comes from a new credential, and an upload is sent whole again."""
    seen: Seen = []
    client = keyless(resource(lambda token: token.endswith("-1"), seen))
    uploaded = client.upload_file("faq.md", b"# faq")
    assert uploaded.id == "file-1"
    assert [token for token, _ in seen] == ["entra-access-token-1", "entra-access-token-2"]
    assert all(b"# faq" in body for _, body in seen)
    client.list_files()
    assert len(ids.entra.requests) == 2  # the new token is kept


def test_a_second_401_stands_with_the_role_to_grant(ids: Identity) -> None:
    seen: Seen = []
    with pytest.raises(AccessDeniedError) as raised:
        keyless(resource(lambda token: True, seen)).list_files()
    assert len(seen) == 2
    assert str(raised.value) == (
        "list files failed: HTTP 401 (401): Access token is missing, invalid, audience is "
        "incorrect, or have expired (GET https://contoso.openai.azure.com/openai/files). "
        "The identity needs the role Cognitive Services OpenAI "
        "Contributor on the Azure OpenAI resource (tokens are for "
        "https://cognitiveservices.azure.com/.default)."
    )


def test_a_token_fetched_afresh_and_refused_is_not_renewed_by_later_calls(ids: Identity) -> None:
    """Calls in turn to a resource that refuses every token: the first call's 401 fetches one
    token afresh, which is refused too; the next call's 401 with it fetches no third."""
    seen: Seen = []
    client = keyless(resource(lambda token: True, seen))
    for _ in range(2):
        with pytest.raises(AccessDeniedError):
            client.list_files()
    refused = [token for token, _ in seen]
    assert refused == ["entra-access-token-1", "entra-access-token-2", "entra-access-token-2"]
    assert len(ids.entra.requests) == 2


def test_a_foundry_project_gets_tokens_for_its_own_scope(ids: Identity) -> None:
    endpoint = "https://contoso.services.ai.azure.com/api/projects/support"
    entra_auth(surface_of(endpoint), os.environ).current()
    assert [r["scope"] for r in ids.entra.requests] == ["https://ai.azure.com/.default"]


@pytest.mark.parametrize(
    ("endpoint", "surface"),
    [
        ("https://contoso.services.ai.azure.com/api/projects/support", FOUNDRY_PROJECT),
        ("https://CONTOSO.services.ai.azure.com/api/projects/p/", FOUNDRY_PROJECT),
        ("https://contoso.services.ai.azure.com", AZURE_OPENAI),  # the resource, not a project
        ("https://contoso.openai.azure.com", AZURE_OPENAI),
        ("http://127.0.0.1:8080", AZURE_OPENAI),
    ],
)
def test_the_surface_follows_the_endpoint(endpoint: str, surface: Surface) -> None:
    assert surface_of(endpoint) == surface


DISABLED = "Key based authentication is disabled for this resource."
AUDIENCE = (
    "Unauthorized. Access token is missing, invalid, audience is incorrect "
    "(https://cognitiveservices.azure.com), or have expired."
)
LACKS = (
    "The principal `abc` lacks the required data action "
    "`Microsoft.CognitiveServices/accounts/OpenAI/assistants/write`."
)


@pytest.mark.parametrize(
    ("code", "message", "kind", "surface", "expected"),
    [
        ("AuthenticationTypeDisabled", DISABLED, "key", AZURE_OPENAI, "This resource disables keys: use auth: entra."),
        ("401", "Access denied due to invalid subscription key or wrong API endpoint.", "key", AZURE_OPENAI,
         "Check the key and the endpoint: the key must be one of this resource's."),
        ("PermissionDenied", LACKS, "entra", AZURE_OPENAI,
         "The identity needs the role Cognitive Services OpenAI Contributor on the Azure OpenAI resource "
         "(tokens are for https://cognitiveservices.azure.com/.default)."),
        ("PermissionDenied", "Principal does not have access.", "entra", FOUNDRY_PROJECT,
         "The identity needs the role Azure AI User on the Foundry project (tokens are for "
         "https://ai.azure.com/.default)."),
        ("ExpiredAuthenticationToken", "The access token has expired.", "token", AZURE_OPENAI,
         "A token from ad_token_env lasts about an hour and cannot renew itself: get a new one (az account "
         "get-access-token --scope https://cognitiveservices.azure.com/.default), or use auth: entra, which "
         "renews its own."),
        ("401", AUDIENCE, "token", AZURE_OPENAI,
         "A token from ad_token_env lasts about an hour and cannot renew itself: get a new one (az account "
         "get-access-token --scope https://cognitiveservices.azure.com/.default), or use auth: entra, which "
         "renews its own. Otherwise the identity needs the role Cognitive Services OpenAI Contributor on the "
         "Azure OpenAI resource."),
        ("401", "Token expired.", "entra", AZURE_OPENAI,
         "The Entra ID token expired and no newer one was given: sign in again (az login) and check this "
         "machine's clock."),
    ],
)  # fmt: skip
def test_hints(code: str, message: str, kind: Kind, surface: Surface, expected: str) -> None:
    assert hint(code, message, kind, surface) == expected


def test_a_key_refused_says_so_and_never_shows_the_key() -> None:
    def refuse(request: httpx.Request) -> httpx.Response:
        body = {
            "error": {"code": "401", "message": "Access denied due to invalid subscription key."}
        }
        return httpx.Response(401, json=body)

    http = httpx.Client(transport=httpx.MockTransport(refuse))
    client = AssistantsClient(
        http, "https://x.openai.azure.com", API_VERSION, Credential("sk-s3cret"), RetryPolicy(1)
    )
    with pytest.raises(AccessDeniedError) as raised:
        client.list_assistants()
    assert str(raised.value).endswith(
        "Check the key and the endpoint: the key must be one of this resource's."
    )
    assert "sk-s3cret" not in str(raised.value) + repr(raised.value.args)


NOTHING_SET_UP = """DefaultAzureCredential failed to retrieve a token from the included credentials.
Attempted credentials:
\tEnvironmentCredential: EnvironmentCredential authentication unavailable. Environment variables are missing.
Visit https://aka.ms/azsdk/python/identity/environmentcredential/troubleshoot to troubleshoot this issue.
\tManagedIdentityCredential: ManagedIdentityCredential authentication unavailable.
\tAzureCliCredential: Azure CLI not found on path
To mitigate this issue, please refer to the troubleshooting guidelines here at https://aka.ms/azsdk/python/identity/defaultazurecredential/troubleshoot."""


def test_a_chain_with_nothing_set_up_is_summed_up_by_name() -> None:
    assert (
        summary(NOTHING_SET_UP)
        == "no credential is set up (tried Environment, ManagedIdentity, AzureCli)."
    )
    failing = NOTHING_SET_UP.replace(
        "Azure CLI not found on path", "Please run 'az login' to set up an account"
    )
    assert summary(failing) == "AzureCliCredential: Please run 'az login' to set up an account"
    assert summary("x" * 1000) == "x" * 397 + "..."
