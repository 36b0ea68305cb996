"""`reconciler ci ...`: what the GitHub Action runs, in Python so that it is tested here.

`ci comment` posts a Markdown plan as one pull-request comment per marker (an environment,
usually) and updates that same comment on every later push instead of adding another.
`ci summary` reads a saved plan and prints `key=value` lines for `$GITHUB_OUTPUT`.

The GitHub token is read from the environment, sent only to the GitHub API's own origin and
never printed, not even in an error.
"""

from __future__ import annotations

import json
import os
import re
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal

import click
import httpx

from reconciler import __version__
from reconciler.cli.console import handles_errors
from reconciler.core.render import summary as plan_summary
from reconciler.engine.pipeline import load_plan
from reconciler.errors import ReconcilerError, UsageError

DEFAULT_API_URL = "https://api.github.com"
COMMENT_LIMIT = 65_536  # GitHub refuses longer comment bodies
PER_PAGE = 100
ATTEMPTS = 3
RETRYABLE = frozenset({429, 500, 502, 503, 504})
MAX_RETRY_AFTER = 60.0
MARKER = re.compile(r"[A-Za-z0-9._:/@+-]{1,100}")
REPOSITORY = re.compile(r"[A-Za-z0-9_.-]+/[A-Za-z0-9_.-]+")
HINTS = {
    401: " (is GITHUB_TOKEN a valid token?)",
    403: " (the token needs `pull-requests: write`; on pull requests from forks the token is read-only)",
    404: " (check the repository, the pull request number and the token's access to them)",
}

Sleep = Callable[[float], None]


class GitHubError(ReconcilerError):
    """The GitHub API refused a request or could not be reached."""


class _TransientError(GitHubError):
    """Worth another try: a 429, a 5xx or a network failure."""

    def __init__(self, message: str, retry_after: float | None = None) -> None:
        super().__init__(message)
        self.retry_after = retry_after


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


def upsert_comment(  # noqa: PLR0913 - what to post, where, and how hard to try
    client: httpx.Client,
    repo: str,
    pr: int,
    markdown: str,
    marker: str,
    *,
    attempts: int = ATTEMPTS,
    sleep: Sleep = time.sleep,
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
    for attempt in range(1, attempts + 1):
        try:
            return _upsert_once(client, repo, pr, body, line)
        except _TransientError as error:
            if attempt == attempts:
                raise GitHubError(f"{error} (gave up after {attempts} attempts)") from None
            sleep(min(error.retry_after or 2.0 ** (attempt - 1), MAX_RETRY_AFTER))
    raise AssertionError("unreachable")  # pragma: no cover - the loop returns or raises


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
    if response.status_code in RETRYABLE or (
        response.status_code == 403 and "retry-after" in response.headers  # secondary rate limit
    ):
        raise _TransientError(_failure(response), _retry_after(response))
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


def _retry_after(response: httpx.Response) -> float | None:
    try:
        return max(0.0, float(response.headers.get("retry-after", "")))
    except ValueError:
        return None


def _posted(action: Literal["created", "updated", "unchanged"], comment: Any) -> Posted:
    if not isinstance(comment, dict) or not isinstance(comment.get("id"), int):
        raise GitHubError("GitHub API: the comment in the answer has no id")
    return Posted(action, comment["id"], str(comment.get("html_url") or ""))


def redact(text: str, secret: str) -> str:
    return text.replace(secret, "***") if secret else text


def pull_request_number(environ: Mapping[str, str]) -> int:
    """The pull request of the event that started the workflow (GITHUB_EVENT_PATH)."""
    path = environ.get("GITHUB_EVENT_PATH")
    if not path:
        raise UsageError("no pull request: pass --pr N, or run on a pull_request event.")
    try:
        event = json.loads(Path(path).read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, ValueError) as error:
        raise UsageError(f"cannot read the event GITHUB_EVENT_PATH names: {error}") from None
    number: Any = None
    if isinstance(event, dict):
        pull = event.get("pull_request")
        issue = event.get("issue")
        if isinstance(pull, dict):
            number = pull.get("number")
        elif isinstance(issue, dict) and "pull_request" in issue:  # a comment on a pull request
            number = issue.get("number")
    if not isinstance(number, int) or isinstance(number, bool) or number < 1:
        raise UsageError(
            "no pull request: the event in GITHUB_EVENT_PATH has no pull_request.number; pass --pr N."
        )
    return number


def _settings(repo: str | None, pr: int | None) -> tuple[str, str, str, int]:
    environ = os.environ
    token = environ.get("GITHUB_TOKEN", "").strip()
    if not token:
        raise UsageError(
            "GITHUB_TOKEN is not set: the comment needs a token that may write to the pull request."
        )
    repo = repo or environ.get("GITHUB_REPOSITORY", "")
    if not repo:
        raise UsageError("no repository: pass --repo OWNER/NAME or set GITHUB_REPOSITORY.")
    if not REPOSITORY.fullmatch(repo):
        raise UsageError(f"the repository must be OWNER/NAME, not {repo!r}.")
    api_url = environ.get("GITHUB_API_URL") or DEFAULT_API_URL
    return token, api_url, repo, pr if pr is not None else pull_request_number(environ)


def make_ci_group(
    transport: httpx.BaseTransport | None = None, sleep: Sleep = time.sleep
) -> click.Group:
    """The `ci` commands; tests pass a transport (httpx.MockTransport) and a sleep."""

    @click.group("ci")
    def group() -> None:
        """What the GitHub Action runs: pull-request comments and step outputs."""

    @group.command()
    @click.option(
        "--file",
        "path",
        required=True,
        type=click.Path(dir_okay=False, path_type=Path),
        help="The Markdown to post, e.g. from plan --format markdown.",
    )
    @click.option(
        "--marker",
        default="default",
        show_default=True,
        help="Which comment to update: one per marker, e.g. the environment name.",
    )
    @click.option("--repo", help="OWNER/NAME (default: $GITHUB_REPOSITORY).")
    @click.option(
        "--pr",
        type=click.IntRange(1),
        help="Pull request number (default: the event's, from $GITHUB_EVENT_PATH).",
    )
    @handles_errors
    def comment(path: Path, marker: str, repo: str | None, pr: int | None) -> None:
        """Post FILE as a pull-request comment, or update the one this marker posted before.

        Reads GITHUB_TOKEN, GITHUB_REPOSITORY, GITHUB_API_URL and GITHUB_EVENT_PATH."""
        marker_line(marker)
        try:
            markdown = path.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as error:
            raise UsageError(f"cannot read {path}: {error}") from None
        if not markdown.strip():
            raise UsageError(f"{path} is empty: there is nothing to post.")
        token, api_url, repo, pr = _settings(repo, pr)
        try:
            with github_client(api_url, token, transport) as client:
                posted = upsert_comment(client, repo, pr, markdown, marker, sleep=sleep)
        except GitHubError as error:
            raise GitHubError(redact(str(error), token)) from None
        click.echo(f"{posted.action.capitalize()} comment {posted.url or posted.comment_id}")

    @group.command()
    @click.option(
        "--file",
        "path",
        required=True,
        type=click.Path(dir_okay=False, path_type=Path),
        help="A saved plan (plan --out).",
    )
    @handles_errors
    def summary(path: Path) -> None:
        """Print a saved plan's outcome as key=value lines, for $GITHUB_OUTPUT."""
        plan = load_plan(path)
        counts = plan.counts()
        lines = {
            "has_changes": "true" if plan.has_changes else "false",
            "to_add": counts["create"],
            "to_change": counts["update"],
            "to_destroy": counts["delete"],
            "project": plan.project,
            "environment": plan.environment,
            "summary": plan_summary(plan),
        }
        for key, value in lines.items():
            click.echo(f"{key}={value}")

    return group


ci_group = make_ci_group()
