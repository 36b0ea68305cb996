"""Who the emulator lets in: keys, bearer tokens, `disableLocalAuth`, over http and https."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import httpx
import openai
import pytest
from openai import AzureOpenAI

from reconciler.emulator import Access, Emulator
from reconciler.emulator.core.errors import ACCESS_DENIED, KEYS_DISABLED, TOKEN_DENIED
from reconciler.emulator.core.tls import TlsFiles
from reconciler.emulator.server import BackgroundServer
from tests.support.clients import API_VERSION

KEY_OK, TOKEN_OK = "the-key", "the-token"


def status(server: BackgroundServer, headers: dict[str, str]) -> tuple[int, dict[str, str]]:
    response = httpx.get(
        f"{server.url}/openai/assistants", params={"api-version": API_VERSION}, headers=headers
    )
    return response.status_code, response.json().get("error", {})


def key(value: str) -> dict[str, str]:
    return {"api-key": value}


def bearer(value: str) -> dict[str, str]:
    return {"authorization": f"Bearer {value}"}


@pytest.mark.parametrize(
    ("access", "accepted", "refused"),
    [
        (Access(), [key("x"), bearer("y")], [key(""), {"authorization": "Bearer"}]),
        (Access(api_key=KEY_OK), [key(KEY_OK)], [key("x"), bearer(KEY_OK), bearer("y")]),
        (Access(token=TOKEN_OK), [bearer(TOKEN_OK)], [bearer("x"), key(TOKEN_OK), key("x")]),
        (
            Access(api_key=KEY_OK, token=TOKEN_OK),
            [key(KEY_OK), bearer(TOKEN_OK)],
            [key(TOKEN_OK), bearer(KEY_OK)],
        ),
    ],
)
def test_each_credential_matches_its_own_setting(
    access: Access, accepted: list[dict[str, str]], refused: list[dict[str, str]]
) -> None:
    with BackgroundServer(Emulator.create(access=access)) as server:
        assert [status(server, headers)[0] for headers in accepted] == [200] * len(accepted)
        for headers in refused:
            code, error = status(server, headers)
            expected = (
                TOKEN_DENIED if "authorization" in headers and not access.open else ACCESS_DENIED
            )
            assert (code, error) == (401, {"code": "401", "message": expected}), headers


def test_disabled_local_auth_refuses_keys_with_azures_403() -> None:
    access = Access(token=TOKEN_OK, local_auth=False)
    with BackgroundServer(Emulator.create(access=access)) as server:
        for value in ("any", ""):
            assert status(server, key(value)) == (
                403,
                {"code": "AuthenticationTypeDisabled", "message": KEYS_DISABLED},
            )
        # A client given both sends the key too: the key decides, as on Azure.
        assert status(server, {**key("any"), **bearer(TOKEN_OK)})[0] == 403
        assert status(server, bearer(TOKEN_OK))[0] == 200


@pytest.fixture
def keyless(tls: TlsFiles) -> Iterator[BackgroundServer]:
    access = Access(token=TOKEN_OK, local_auth=False)
    with BackgroundServer(Emulator.create(access=access), tls=tls) as server:
        yield server


def sdk(server: BackgroundServer, http: httpx.Client, **credential: str) -> AzureOpenAI:
    return AzureOpenAI(
        azure_endpoint=server.url,
        api_version=API_VERSION,
        http_client=http,
        max_retries=0,
        **credential,
    )


def test_the_sdk_with_a_token_over_https_on_a_keyless_resource(
    keyless: BackgroundServer, tls: TlsFiles
) -> None:
    with httpx.Client(verify=tls.client_context()) as http:
        assistant = sdk(keyless, http, azure_ad_token=TOKEN_OK).beta.assistants.create(model="m")
        assert assistant.model == "m"
        with pytest.raises(openai.PermissionDeniedError) as denied:
            sdk(keyless, http, api_key="a-key").beta.assistants.list()
        assert denied.value.body == {"code": "AuthenticationTypeDisabled", "message": KEYS_DISABLED}
        with pytest.raises(openai.AuthenticationError):
            sdk(keyless, http, azure_ad_token="stale").beta.assistants.list()


def test_the_control_endpoints_need_no_credential(keyless: BackgroundServer, tls: TlsFiles) -> None:
    assert Path(str(tls.ca)).is_file()
    response = httpx.get(f"{keyless.url}/_emulator/stats", verify=tls.client_context())
    assert response.status_code == 200
