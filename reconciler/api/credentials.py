"""How a request proves who sends it: an API key, a fixed Entra ID token, or Entra ID tokens
that renew themselves.

Each is an httpx.Auth, so every call, retries included, goes through it. `BearerAuth` asks its
token source for a new token when the one it holds is within REFRESH_MARGIN of expiry, so an
apply that outlives a token does not fail half-way; apply's threads share one BearerAuth, and
a lock makes them wait for one renewal instead of each fetching its own. A 401 is tried once
more with a token fetched afresh, past any cache, when that one differs. No secret is ever in a repr.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable, Generator
from dataclasses import dataclass
from typing import Literal, Protocol

import httpx

Kind = Literal["key", "token", "entra"]
REFRESH_MARGIN = 300.0  # seconds: Azure's SDKs renew this long before expiry too
log = logging.getLogger("reconciler")


@dataclass(frozen=True)
class Credential(httpx.Auth):
    """An API key (sent as `api-key`) or a fixed Entra ID token (sent as a bearer token)."""

    secret: str
    bearer: bool = False

    @property
    def kind(self) -> Kind:
        return "token" if self.bearer else "key"

    def headers(self) -> dict[str, str]:
        return (
            {"authorization": f"Bearer {self.secret}"} if self.bearer else {"api-key": self.secret}
        )

    def auth_flow(self, request: httpx.Request) -> Generator[httpx.Request, httpx.Response, None]:
        request.headers.update(self.headers())
        yield request

    def __repr__(self) -> str:
        return f"Credential(bearer={self.bearer}, secret=***)"


@dataclass(frozen=True)
class Token:
    """An Entra ID access token and when it expires (seconds since the epoch)."""

    secret: str
    expires_on: float

    def __repr__(self) -> str:
        return f"Token(expires_on={self.expires_on}, secret=***)"


class TokenSource(Protocol):
    def __call__(self, fresh: bool = False) -> Token:
        """A token; `fresh`: not one from a cache, since the endpoint refused the cached one."""
        ...


class BearerAuth(httpx.Auth):
    """Entra ID tokens from `source`, renewed before they expire and once after a 401."""

    kind: Kind = "entra"
    # A 401 sends the request again: read its body first, so that it can be sent twice.
    requires_request_body = True

    def __init__(
        self,
        source: TokenSource,
        margin: float = REFRESH_MARGIN,
        clock: Callable[[], float] = time.time,
    ) -> None:
        self._source, self._margin, self._clock = source, margin, clock
        self._lock = threading.Lock()
        self._token: Token | None = None
        self._renewed = False  # the held token was fetched afresh after a 401

    def auth_flow(self, request: httpx.Request) -> Generator[httpx.Request, httpx.Response, None]:
        token = self.current()
        request.headers["authorization"] = f"Bearer {token.secret}"
        response = yield request
        if response.status_code != 401:
            return
        fresh = self.renew(token)
        if fresh.secret == token.secret:
            return  # the source has nothing newer: the 401 stands
        log.info("HTTP 401: trying once more with a new Entra ID token")
        request.headers["authorization"] = f"Bearer {fresh.secret}"
        yield request

    def current(self) -> Token:
        """The token to send: the one held, unless it is missing or about to expire."""
        with self._lock:
            held = self._token
            if held is None or self._clock() >= held.expires_on - self._margin:
                held = self._token = self._source()
                self._renewed = False
            return held

    def renew(self, refused: Token) -> Token:
        """A new token after `refused` got a 401, once: another thread may have renewed it
        already, and a token fetched afresh that is refused too is refused for good (the
        identity lacks the role), so a later call's 401 with it fetches no more."""
        with self._lock:
            held = self._token
            if held is None or (held.secret == refused.secret and not self._renewed):
                held = self._token = self._source(fresh=True)
                self._renewed = True
            return held

    def __repr__(self) -> str:
        return "BearerAuth(secret=***)"


Auth = Credential | BearerAuth
