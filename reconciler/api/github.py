"""The GitHub REST API client of `reconciler ci comment`: one pull-request comment per marker
(an environment, usually), created once and updated on every later push instead of adding
another.

Failures worth another try (429, 5xx, a 403 with Retry-After, a network failure) are retried
under the project's one RetryPolicy, configured by `github_retry`. The token is sent only to
the GitHub API's own origin; `redact` keeps it out of every message.
"""

from __future__ import annotations

import math
import re
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Literal, TypeVar

import httpx

from reconciler import __version__
from reconciler.api.retry import RETRIED_STATUSES, RetryPolicy
from reconciler.errors import GitHubError, UsageError

DEFAULT_API_URL = "https://api.github.com"
COMMENT_LIMIT = 65_536  # GitHub refuses longer comment bodies
PER_PAGE = 100
ATTEMPTS = 3
MAX_RETRY_AFTER = 60.0
MARKER = re.compile(r"[A-Za-z0-9._:/@+-]{1,100}")
HINTS = {
    401: " (is GITHUB_TOKEN a valid token?)",
    403: " (the token needs `pull-requests: write`; on pull requests from forks the token is read-only)",
    404: " (check the repository, the pull request number and the token's access to them)",
}

Sleep = Callable[[float], None]
T = TypeVar("T")


class _TransientError(GitHubError):
    """Worth another try: a 429, a 5xx or a network failure. Private: upsert_comment retries
    it, and turns the last one into a GitHubError."""

    def __init__(self, message: str, response: httpx.Response | None = None) -> None:
        super().__init__(message)
        self.response = response  # whose Retry-After the wait follows; None after a network failure


@dataclass(frozen=True)
class Posted:
    """What `upsert_comment` did, to which comment."""

    action: Literal["created", "updated", "unchanged"]
    comment_id: int
    url: str


def marker_line(marker: str) -> str:
    """The hidden first line that tells our comment for this marker from every other."""
    if not MARKER.fullmatch(marker):
        raise UsageError(
            f"--marker {marker!r} must be 1-100 letters, digits or . _ : / @ + -, e.g. the environment name."
        )
    return f"<!-- reconciler:plan:{marker} -->"


def github_client(
    api_url: str, token: str, transport: httpx.BaseTransport | None = None
) -> httpx.Client:
    """A client for the GitHub REST API, authenticated with token on every request."""
    if not api_url.startswith(("https://", "http://")):
        raise UsageError(f"GITHUB_API_URL must be an http(s) URL, not {api_url!r}.")
    return httpx.Client(
        base_url=api_url,
        headers={
            "Accept": "application/vnd.github+json",
            "Authorization": f"Bearer {token}",
            "User-Agent": f"reconciler/{__version__}",
            "X-GitHub-Api-Version": "2022-11-28",
        },
        timeout=30,
        transport=transport,
    )


def github_retry(sleep: Sleep = time.sleep) -> RetryPolicy:
    """GitHub's retries: 3 attempts, 1 s then 2 s apart, or as long as Retry-After asks (at most
    a minute). No jitter: one workflow step retries alone, there is no herd to spread."""
    return RetryPolicy(
        attempts=ATTEMPTS,
        total_seconds=math.inf,  # the attempts and the one-minute cap bound it
        base_seconds=1.0,
        cap_seconds=MAX_RETRY_AFTER,
        sleep=sleep,
        jitter=False,
    )


def upsert_comment(
    client: httpx.Client,
    repo: str,
    pr: int,
    markdown: str,
    marker: str,
    *,
    retry: RetryPolicy | None = None,
) -> Posted:
    """Create the pull request's comment for marker, or update the one that exists.

    A failed attempt starts again from the listing, so a create whose answer was lost is found
    and not posted twice."""
    line = marker_line(marker)
    body = f"{line}\n{markdown}"
    if len(body) > COMMENT_LIMIT:
        raise UsageError(
            f"the comment would be {len(body):,} characters; GitHub takes at most {COMMENT_LIMIT:,}."
        )
    return _retrying(lambda: _upsert_once(client, repo, pr, body, line), retry)


def merged_pull_request(
    client: httpx.Client, repo: str, sha: str, *, retry: RetryPolicy | None = None
) -> int | None:
    """The pull request that merged commit `sha` (a push to the default branch), if any: the
    one GitHub lists for the commit whose merge commit it is, else the first it lists."""

    def lookup() -> int | None:
        found = _json(_send(client, "GET", f"repos/{repo}/commits/{sha}/pulls"))
        pulls = [p for p in found if isinstance(p, dict)] if isinstance(found, list) else []
        merged = [p for p in pulls if p.get("merge_commit_sha") == sha] or pulls
        number = merged[0].get("number") if merged else None
        return number if isinstance(number, int) else None

    return _retrying(lookup, retry)


def _retrying(call: Callable[[], T], retry: RetryPolicy | None) -> T:
    """`call`, again after a transient failure as `retry` says (GitHub's by default)."""
    retry = retry or github_retry()
    started, attempt = retry.clock(), 1
    while True:
        try:
            return call()
        except _TransientError as error:
            delay = retry.delay(attempt, error.response)
            if not retry.allows(attempt, retry.clock() - started, delay):
                raise GitHubError(f"{error} (gave up after {attempt} attempts)") from None
        retry.sleep(delay)
        attempt += 1


def _upsert_once(client: httpx.Client, repo: str, pr: int, body: str, line: str) -> Posted:
    existing = find_comment(client, repo, pr, line)
    if existing is None:
        created = _send(client, "POST", f"repos/{repo}/issues/{pr}/comments", json={"body": body})
        return _posted("created", _json(created))
    found = _posted("unchanged", existing)
    if existing.get("body") == body:  # an edit would only add to the comment's history
        return found
    updated = _send(
        client, "PATCH", f"repos/{repo}/issues/comments/{found.comment_id}", json={"body": body}
    )
    return _posted("updated", _json(updated))


def find_comment(client: httpx.Client, repo: str, pr: int, line: str) -> dict[str, Any] | None:
    """The first comment of the pull request whose body starts with line, reading every page."""
    url = f"repos/{repo}/issues/{pr}/comments"
    params: dict[str, int] | None = {"per_page": PER_PAGE}
    while True:
        response = _send(client, "GET", url, params=params)
        page = _json(response)
        if not isinstance(page, list):
            raise GitHubError(f"{_where(response)}: the answer is not a list of comments")
        for comment in page:
            if isinstance(comment, dict) and str(comment.get("body") or "").startswith(line):
                return comment
        following = _next_page(client, response)
        if following is None:
            return None
        url, params = following, None


def _next_page(client: httpx.Client, response: httpx.Response) -> str | None:
    following = response.links.get("next", {}).get("url")
    if not following:
        return None
    target, base = httpx.URL(following), client.base_url
    if (target.scheme, target.host, target.port) != (base.scheme, base.host, base.port):
        # The token goes with every request: never to another origin.
        raise GitHubError(
            f"{_where(response)}: refusing to follow the next page to another origin: {target.host}"
        )
    return following


def _send(client: httpx.Client, method: str, url: str, **options: Any) -> httpx.Response:
    request = client.build_request(method, url, **options)
    try:
        response = client.send(request)
    except httpx.TransportError as error:
        where = f"GitHub API: {method} {request.url.path}"
        raise _TransientError(f"{where}: {type(error).__name__}: {error}") from None
    if response.status_code in RETRIED_STATUSES or (
        response.status_code == 403 and "retry-after" in response.headers  # secondary rate limit
    ):
        raise _TransientError(_failure(response), response)
    if response.is_error:
        raise GitHubError(_failure(response) + HINTS.get(response.status_code, ""))
    return response


def _where(response: httpx.Response) -> str:
    return f"GitHub API: {response.request.method} {response.request.url.path}"


def _json(response: httpx.Response) -> Any:
    try:
        return response.json()
    except ValueError:
        raise GitHubError(f"{_where(response)}: the answer is not JSON") from None


def _failure(response: httpx.Response) -> str:
    try:
        data = response.json()
        message = data.get("message") if isinstance(data, dict) else None
    except ValueError:
        message = None
    text = " ".join(str(message or response.text).split())[:300] or response.reason_phrase
    return f"{_where(response)}: HTTP {response.status_code}: {text}"


def _posted(action: Literal["created", "updated", "unchanged"], comment: Any) -> Posted:
    if not isinstance(comment, dict) or not isinstance(comment.get("id"), int):
        raise GitHubError("GitHub API: the comment in the answer has no id")
    return Posted(action, comment["id"], str(comment.get("html_url") or ""))


def redact(text: str, secret: str) -> str:
    return text.replace(secret, "***") if secret else text
