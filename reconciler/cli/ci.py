"""`reconciler ci ...`: what the GitHub Action runs, in Python so that it is tested here.

`ci comment` posts a Markdown plan as one pull-request comment per marker (an environment,
usually) and updates that same comment on every later push instead of adding another; the
GitHub client is api/github.py. `ci summary` reads a saved plan and prints `key=value` lines for
`$GITHUB_OUTPUT`.

The GitHub token is read from the environment, sent only to the GitHub API's own origin and
never printed, not even in an error.
"""

from __future__ import annotations

import json
import os
import re
import time
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import click
import httpx

from reconciler.api.github import (
    DEFAULT_API_URL,
    Sleep,
    github_client,
    github_retry,
    marker_line,
    merged_pull_request,
    redact,
    upsert_comment,
)
from reconciler.cli.console import handles_errors
from reconciler.core.render import summary as plan_summary
from reconciler.engine.pipeline import load_plan
from reconciler.errors import GitHubError, UsageError

REPOSITORY = re.compile(r"[A-Za-z0-9_.-]+/[A-Za-z0-9_.-]+")
COMMIT = re.compile(r"[0-9a-f]{7,64}")


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


def _settings(repo: str | None, pr: int | None) -> tuple[str, str, str, int | None]:
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
    return token, api_url, repo, pr


def _markdown(path: Path) -> str:
    try:
        markdown = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as error:
        raise UsageError(f"cannot read {path}: {error}") from None
    if not markdown.strip():
        raise UsageError(f"{path} is empty: there is nothing to post.")
    return markdown


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
    @click.option(
        "--commit",
        metavar="SHA",
        help="Instead of --pr: the pull request that merged this commit (on a push to main); "
        "when none did, nothing is posted.",
    )
    @handles_errors
    def comment(
        path: Path, marker: str, repo: str | None, pr: int | None, commit: str | None
    ) -> None:
        """Post FILE as a pull-request comment, or update the one this marker posted before.

        Reads GITHUB_TOKEN, GITHUB_REPOSITORY, GITHUB_API_URL and GITHUB_EVENT_PATH."""
        marker_line(marker)
        markdown = _markdown(path)
        if commit is not None and not COMMIT.fullmatch(commit):
            raise UsageError(f"--commit must be a commit's hex SHA, not {commit!r}.")
        token, api_url, repo, pr = _settings(repo, pr)
        if pr is None and commit is None:
            pr = pull_request_number(os.environ)
        retry = github_retry(sleep)
        try:
            with github_client(api_url, token, transport) as client:
                if pr is None and commit is not None:
                    pr = merged_pull_request(client, repo, commit, retry=retry)
                if pr is None:
                    click.echo(f"No pull request merged {commit}: nothing to comment on.")
                    return
                posted = upsert_comment(client, repo, pr, markdown, marker, retry=retry)
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
