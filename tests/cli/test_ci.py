"""The GitHub integration: `reconciler ci`, the composite Action and the example workflows.

GitHub cannot run here, so its REST API is a fake behind httpx.MockTransport (and, for the
Action's own scripts, the same fake on a loopback port); the Action's steps run with bash
against the emulator, their `if:` and `${{ }}` expressions evaluated as a runner would.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
import threading
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import httpx
import pytest
from click.testing import CliRunner, Result
from ruamel.yaml import YAML

from reconciler.cli import main
from reconciler.cli.ci import ci_group, make_ci_group
from reconciler.cli.lazy import LazyGroup
from reconciler.core.plan_types import Action, Plan, ResourceChange
from reconciler.emulator.server import BackgroundServer
from tests.support.clients import ENV, assistants
from tests.support.identity import CLIENT_ID, TENANT, identity
from tests.support.projects import bots_project

ROOT = Path(__file__).parents[2]
WORKFLOWS = ROOT / "examples" / "github"
TOKEN = "ghs_" + "Zq7s3cr3tT0k3n" * 3
REPO = "octo/assistants"
PR = 7
API = "https://api.github.com"
MARKDOWN = "### reconciler plan for `support/dev`\n\nPlan: 1 to add, 0 to change, 0 to destroy.\n"


def marked(marker: str, markdown: str = MARKDOWN) -> str:
    return f"<!-- reconciler:plan:{marker} -->\n{markdown}"


# --- a fake of the three GitHub endpoints `ci comment` uses --------------------------------------


@dataclass
class FakeGitHub:
    """Issue comments of one pull request, paginated and linked as GitHub does."""

    base: str = API
    comments: list[dict[str, Any]] = field(default_factory=list)
    requests: list[httpx.Request] = field(default_factory=list)
    # (method, status, the change is made anyway): answered before the real thing, in order
    faults: list[tuple[str, int, bool]] = field(default_factory=list)
    next_id: int = 9000
    merged: dict[str, int] = field(default_factory=dict)  # merge commit SHA -> pull request

    def add(self, body: str) -> dict[str, Any]:
        self.next_id += 1
        comment = {
            "id": self.next_id,
            "body": body,
            "html_url": f"https://github.com/{REPO}/pull/{PR}#issuecomment-{self.next_id}",
            "user": {"login": "github-actions[bot]"},
        }
        self.comments.append(comment)
        return comment

    def handle(self, request: httpx.Request) -> httpx.Response:
        self.requests.append(request)
        if self.faults and self.faults[0][0] == request.method:
            _, status, made = self.faults.pop(0)
            if made:
                self._route(request)
            return httpx.Response(status, json={"message": "Server Error"})
        return self._route(request)

    def _route(self, request: httpx.Request) -> httpx.Response:
        prefix = httpx.URL(self.base).path.rstrip("/")
        path = request.url.path.removeprefix(prefix)
        listing = (f"/repos/{REPO}/issues/{PR}/comments", f"/repositories/42/issues/{PR}/comments")
        if request.method == "GET" and path in listing:
            return self._page(request)
        if request.method == "POST" and path == listing[0]:
            return httpx.Response(201, json=self.add(json.loads(request.content)["body"]))
        pulls = re.fullmatch(rf"/repos/{REPO}/commits/([0-9a-f]+)/pulls", path)
        if request.method == "GET" and pulls:
            sha = pulls[1]
            listed = [
                {"number": n, "merge_commit_sha": sha} for s, n in self.merged.items() if s == sha
            ]
            return httpx.Response(200, json=listed)
        found = re.fullmatch(rf"/repos/{REPO}/issues/comments/(\d+)", path)
        if request.method == "PATCH" and found:
            comment = next(c for c in self.comments if c["id"] == int(found[1]))
            comment["body"] = json.loads(request.content)["body"]
            return httpx.Response(200, json=comment)
        return httpx.Response(404, json={"message": "Not Found"})

    def _page(self, request: httpx.Request) -> httpx.Response:
        size, number = int(request.url.params["per_page"]), int(request.url.params.get("page", 1))
        page = self.comments[(number - 1) * size : number * size]
        headers = {}
        if number * size < len(self.comments):
            # GitHub's next links name the repository by id, not by OWNER/NAME
            following = f"{self.base}/repositories/42/issues/{PR}/comments?per_page={size}&page={number + 1}"
            headers["Link"] = f'<{following}>; rel="next"'
        return httpx.Response(200, json=page, headers=headers)

    def calls(self) -> list[tuple[str, str, Any]]:
        return [
            (r.method, str(r.url), json.loads(r.content) if r.content else None)
            for r in self.requests
        ]


Handler = Callable[[httpx.Request], httpx.Response]


def comment(
    github: FakeGitHub | Handler,
    tmp_path: Path,
    *args: str,
    env: Mapping[str, str | None] = {},
    markdown: str = MARKDOWN,
    sleeps: list[float] | None = None,
) -> Result:
    """`ci comment --file plan.md ARGS` against a fake GitHub, in a clean GitHub environment."""
    path = tmp_path / "plan.md"
    path.write_text(markdown, encoding="utf-8")
    handler = github.handle if isinstance(github, FakeGitHub) else github
    group = make_ci_group(
        httpx.MockTransport(handler), (sleeps if sleeps is not None else []).append
    )
    base: dict[str, str | None] = {
        "GITHUB_TOKEN": TOKEN,
        "GITHUB_REPOSITORY": REPO,
        "GITHUB_API_URL": None,
        "GITHUB_EVENT_PATH": None,
    }
    return CliRunner().invoke(
        group, ["comment", "--file", str(path), *args], env={**base, **env}, catch_exceptions=False
    )


def list_url(page: int = 1) -> str:
    if page == 1:
        return f"{API}/repos/{REPO}/issues/{PR}/comments?per_page=100"
    return f"{API}/repositories/42/issues/{PR}/comments?per_page=100&page={page}"


# --- ci comment ----------------------------------------------------------------------------------


def test_comment_creates_one_when_the_pull_request_has_none(tmp_path: Path) -> None:
    fake = FakeGitHub()
    result = comment(fake, tmp_path, "--marker", "dev", "--pr", str(PR))
    assert result.exit_code == 0, result.output
    assert fake.calls() == [
        ("GET", list_url(), None),
        ("POST", f"{API}/repos/{REPO}/issues/{PR}/comments", {"body": marked("dev")}),
    ]
    for request in fake.requests:
        assert request.headers["Authorization"] == f"Bearer {TOKEN}"
        assert request.headers["Accept"] == "application/vnd.github+json"
        assert request.headers["X-GitHub-Api-Version"] == "2022-11-28"
    assert (
        result.output == f"Created comment https://github.com/{REPO}/pull/{PR}#issuecomment-9001\n"
    )


def test_comment_updates_the_marked_one_found_on_page_two(tmp_path: Path) -> None:
    fake = FakeGitHub()
    for n in range(100):
        fake.add(f"looks good {n}")
    ours = fake.add(marked("dev", "an older plan\n"))
    fake.add("after ours")
    result = comment(fake, tmp_path, "--marker", "dev", "--pr", str(PR))
    assert result.exit_code == 0, result.output
    assert fake.calls() == [
        ("GET", list_url(), None),
        ("GET", list_url(2), None),
        ("PATCH", f"{API}/repos/{REPO}/issues/comments/{ours['id']}", {"body": marked("dev")}),
    ]
    assert len(fake.comments) == 102
    assert ours["body"] == marked("dev")
    assert result.output.startswith("Updated comment ")


def test_markers_keep_environments_apart_and_quotes_are_not_ours(tmp_path: Path) -> None:
    fake = FakeGitHub()
    staging = fake.add(marked("staging", "staging plan\n"))
    quoted = fake.add(f"> {marked('dev', 'someone quoting the dev plan')}")
    assert comment(fake, tmp_path, "--marker", "dev", "--pr", str(PR)).exit_code == 0
    dev = fake.comments[-1]
    assert (len(fake.comments), dev["body"]) == (3, marked("dev"))
    assert staging["body"] == marked("staging", "staging plan\n")
    assert quoted["body"].startswith("> ")

    fake.requests.clear()
    result = comment(fake, tmp_path, "--marker", "staging", "--pr", str(PR), markdown="new\n")
    assert result.exit_code == 0, result.output
    assert [(m, u) for m, u, _ in fake.calls()] == [
        ("GET", list_url()),
        ("PATCH", f"{API}/repos/{REPO}/issues/comments/{staging['id']}"),
    ]
    assert (staging["body"], dev["body"]) == (marked("staging", "new\n"), marked("dev"))


def test_an_unchanged_comment_is_not_edited_again(tmp_path: Path) -> None:
    fake = FakeGitHub()
    fake.add(marked("dev"))
    result = comment(fake, tmp_path, "--marker", "dev", "--pr", str(PR))
    assert result.exit_code == 0, result.output
    assert [m for m, _, _ in fake.calls()] == ["GET"]
    assert result.output.startswith("Unchanged comment ")


@pytest.mark.parametrize(
    "event",
    [
        {"pull_request": {"number": PR}, "action": "synchronize"},
        {"issue": {"number": PR, "pull_request": {"url": "..."}}, "comment": {"body": "plan"}},
    ],
)
def test_the_pull_request_comes_from_the_event(tmp_path: Path, event: dict[str, Any]) -> None:
    path = tmp_path / "event.json"
    path.write_text(json.dumps(event), encoding="utf-8")
    fake = FakeGitHub()
    result = comment(fake, tmp_path, env={"GITHUB_EVENT_PATH": str(path)})
    assert result.exit_code == 0, result.output
    assert fake.calls()[-1] == (
        "POST",
        f"{API}/repos/{REPO}/issues/{PR}/comments",
        {"body": marked("default")},
    )


def test_github_enterprise_keeps_the_api_path(tmp_path: Path) -> None:
    fake = FakeGitHub(base="https://ghe.example.com/api/v3")
    env = {"GITHUB_API_URL": "https://ghe.example.com/api/v3"}
    result = comment(fake, tmp_path, "--pr", "7", "--repo", REPO, env=env)
    assert result.exit_code == 0, result.output
    assert [str(r.url) for r in fake.requests] == [
        f"https://ghe.example.com/api/v3/repos/{REPO}/issues/7/comments?per_page=100",
        f"https://ghe.example.com/api/v3/repos/{REPO}/issues/7/comments",
    ]


def _event_without_pr(tmp_path: Path) -> dict[str, str | None]:
    path = tmp_path / "push.json"
    path.write_text(json.dumps({"ref": "refs/heads/main"}), encoding="utf-8")
    return {"GITHUB_EVENT_PATH": str(path)}


@pytest.mark.parametrize(
    ("args", "env", "message"),
    [
        (["--pr", "7"], {"GITHUB_TOKEN": None}, "Error: GITHUB_TOKEN is not set"),
        (["--pr", "7"], {"GITHUB_TOKEN": "  "}, "Error: GITHUB_TOKEN is not set"),
        (["--pr", "7"], {"GITHUB_REPOSITORY": None}, "Error: no repository: pass --repo"),
        (["--pr", "7", "--repo", "just-a-name"], {}, "Error: the repository must be OWNER/NAME"),
        ([], {}, "Error: no pull request: pass --pr N"),
        ([], "push", "Error: no pull request: the event in GITHUB_EVENT_PATH has no pull_request"),
        (["--pr", "7", "--marker", "dev -->"], {}, "Error: --marker 'dev -->' must be"),
        (
            ["--pr", "7"],
            {"GITHUB_API_URL": "ftp://x"},
            "Error: GITHUB_API_URL must be an http(s) URL",
        ),
    ],
)
def test_missing_or_bad_settings_are_one_line_errors_before_any_request(
    tmp_path: Path, args: list[str], env: dict[str, str | None] | str, message: str
) -> None:
    fake = FakeGitHub()
    result = comment(
        fake, tmp_path, *args, env=_event_without_pr(tmp_path) if isinstance(env, str) else env
    )
    assert result.exit_code == 1
    assert result.output.startswith(message), result.output
    assert result.output.count("\n") == 1
    assert fake.requests == []
    assert TOKEN not in result.output


@pytest.mark.parametrize("markdown", ["", "x" * 65_536])
def test_an_empty_or_oversized_file_is_refused_before_any_request(
    tmp_path: Path, markdown: str
) -> None:
    fake = FakeGitHub()
    result = comment(fake, tmp_path, "--pr", "7", markdown=markdown)
    assert (result.exit_code, fake.requests) == (1, [])
    assert re.match(r"Error: .*(is empty|65,536)", result.output), result.output


def test_a_missing_file_is_a_one_line_error(tmp_path: Path) -> None:
    runner = CliRunner()
    result = runner.invoke(ci_group, ["comment", "--file", str(tmp_path / "nope.md"), "--pr", "7"])
    assert result.exit_code == 1
    assert result.output.startswith("Error: cannot read ")


@pytest.mark.parametrize(
    ("status", "message", "shown"),
    [
        (
            403,
            "Resource not accessible by integration",
            "HTTP 403: Resource not accessible by integration (the token needs `pull-requests: write`",
        ),
        (404, "Not Found", "HTTP 404: Not Found (check the repository"),
        (401, f"Bad credentials {TOKEN}", "HTTP 401: Bad credentials *** (is GITHUB_TOKEN"),
    ],
)
def test_http_errors_show_status_and_githubs_message_never_the_token(
    tmp_path: Path, status: int, message: str, shown: str
) -> None:
    def refuse(request: httpx.Request) -> httpx.Response:
        return httpx.Response(
            status, json={"message": message, "documentation_url": "https://docs"}
        )

    result = comment(refuse, tmp_path, "--pr", "7")
    assert result.exit_code == 1
    assert result.output.startswith(
        f"Error: GitHub API: GET /repos/{REPO}/issues/7/comments: {shown}"
    )
    assert result.output.count("\n") == 1
    assert TOKEN not in result.output


def test_a_create_whose_answer_was_lost_is_found_not_posted_twice(tmp_path: Path) -> None:
    fake = FakeGitHub(faults=[("POST", 502, True)])
    sleeps: list[float] = []
    result = comment(fake, tmp_path, "--marker", "dev", "--pr", "7", sleeps=sleeps)
    assert result.exit_code == 0, result.output
    assert [m for m, _, _ in fake.calls()] == ["GET", "POST", "GET"]
    assert [c["body"] for c in fake.comments] == [marked("dev")]
    assert sleeps == [1.0]
    assert result.output.startswith("Unchanged comment ")


def test_retries_are_capped_and_then_a_one_line_error(tmp_path: Path) -> None:
    fake = FakeGitHub(faults=[("GET", 503, False)] * 3)
    sleeps: list[float] = []
    result = comment(fake, tmp_path, "--pr", "7", sleeps=sleeps)
    assert result.exit_code == 1
    assert result.output == (
        f"Error: GitHub API: GET /repos/{REPO}/issues/7/comments: HTTP 503: Server Error "
        "(gave up after 3 attempts)\n"
    )
    assert (sleeps, fake.comments) == ([1.0, 2.0], [])


def test_rate_limits_wait_as_github_says_within_a_cap(tmp_path: Path) -> None:
    fake = FakeGitHub()
    limited = [
        httpx.Response(403, headers={"Retry-After": "7"}, json={"message": "secondary rate limit"}),
        httpx.Response(429, headers={"Retry-After": "3600"}, json={"message": "slow down"}),
    ]

    def handler(request: httpx.Request) -> httpx.Response:
        return limited.pop(0) if limited else fake.handle(request)

    sleeps: list[float] = []
    result = comment(handler, tmp_path, "--pr", "7", sleeps=sleeps)
    assert result.exit_code == 0, result.output
    assert sleeps == [7.0, 60.0]
    assert [c["body"] for c in fake.comments] == [marked("default")]


def test_an_error_page_that_is_not_json_is_still_one_line(tmp_path: Path) -> None:
    def html(request: httpx.Request) -> httpx.Response:
        return httpx.Response(422, text="<html>\n<body>Unprocessable</body>\n</html>\n")

    result = comment(html, tmp_path, "--pr", "7")
    assert (result.exit_code, result.output) == (
        1,
        f"Error: GitHub API: GET /repos/{REPO}/issues/7/comments: HTTP 422: "
        "<html> <body>Unprocessable</body> </html>\n",
    )


def test_a_network_failure_is_retried_then_reported_without_the_token(tmp_path: Path) -> None:
    def unreachable(request: httpx.Request) -> httpx.Response:
        raise httpx.ConnectError(f"connection refused for {TOKEN}")

    result = comment(unreachable, tmp_path, "--pr", "7")
    assert result.exit_code == 1
    assert result.output == (
        f"Error: GitHub API: GET /repos/{REPO}/issues/7/comments: ConnectError: "
        "connection refused for *** (gave up after 3 attempts)\n"
    )


def test_the_token_is_never_sent_to_another_origin(tmp_path: Path) -> None:
    def elsewhere(request: httpx.Request) -> httpx.Response:
        if request.url.host != "api.github.com":
            raise AssertionError("the token left api.github.com")
        link = '<https://evil.example.com/comments?page=2>; rel="next"'
        return httpx.Response(200, json=[], headers={"Link": link})

    result = comment(elsewhere, tmp_path, "--pr", "7")
    assert result.exit_code == 1
    assert "refusing to follow the next page to another origin: evil.example.com" in result.output


# --- ci summary ----------------------------------------------------------------------------------


def saved_plan(path: Path, *actions: Action) -> Path:
    changes = [
        ResourceChange(address=f"assistant.a{n}", kind="assistant", name=f"a{n}", action=action)
        for n, action in enumerate(actions)
    ]
    plan = Plan(
        project="support",
        environment="dev",
        changes=changes,
        has_changes=any(a != "no-op" for a in actions),
    )
    path.write_text(plan.model_dump_json(), encoding="utf-8")
    return path


def test_summary_prints_outputs_of_a_saved_plan(tmp_path: Path) -> None:
    path = saved_plan(tmp_path / "plan.json", "create", "create", "delete", "no-op")
    result = CliRunner().invoke(ci_group, ["summary", "--file", str(path)])
    assert result.exit_code == 0, result.output
    assert result.output.splitlines() == [
        "has_changes=true",
        "to_add=2",
        "to_change=0",
        "to_destroy=1",
        "project=support",
        "environment=dev",
        "summary=Plan: 2 to add, 0 to change, 1 to destroy.",
    ]
    empty = saved_plan(tmp_path / "empty.json", "no-op")
    result = CliRunner().invoke(ci_group, ["summary", "--file", str(empty)])
    assert result.output.splitlines()[0] == "has_changes=false"


def test_summary_of_something_else_is_a_one_line_error(tmp_path: Path) -> None:
    path = tmp_path / "plan.json"
    path.write_text('{"format_version": 99}', encoding="utf-8")
    result = CliRunner().invoke(ci_group, ["summary", "--file", str(path)])
    assert result.exit_code == 1
    assert result.output.startswith("Error: ")
    assert result.output.count("\n") == 1


# --- the Action and the workflows, as YAML -------------------------------------------------------


def load(path: Path) -> dict[str, Any]:
    data: dict[str, Any] = YAML(typ="safe").load(path.read_text(encoding="utf-8"))
    return data


ACTION = load(ROOT / "action.yml")
WORKFLOW_FILES = sorted(WORKFLOWS.glob("*.yml"))
ALL_FILES = [ROOT / "action.yml", *WORKFLOW_FILES]


def triggers(workflow: Mapping[Any, Any]) -> dict[str, Any]:
    found: dict[str, Any] = (
        workflow["on"] if "on" in workflow else workflow[True]
    )  # YAML 1.1 reads `on` as true
    return found


def steps_of(document: dict[str, Any]) -> Iterator[dict[str, Any]]:
    if "runs" in document:
        yield from document["runs"]["steps"]
    for job in document.get("jobs", {}).values():
        yield from job.get("steps", [])


def action_steps(document: dict[str, Any]) -> list[dict[str, Any]]:
    """The steps of a workflow that use our Action."""
    return [s for s in steps_of(document) if "/reconciler@" in s.get("uses", "")]


def test_the_workflows_are_the_four_documented() -> None:
    assert [p.name for p in WORKFLOW_FILES] == ["apply.yml", "drift.yml", "plan.yml", "promote.yml"]
    readme = (WORKFLOWS / "README.md").read_text(encoding="utf-8")
    for path in WORKFLOW_FILES:
        assert f"`{path.name}`" in readme


def test_the_action_is_composite_with_the_documented_inputs_and_outputs() -> None:
    assert ACTION["runs"]["using"] == "composite"
    inputs = ACTION["inputs"]
    assert {"command", "directory", "environment", "plan-file", "python-version", "comment"} <= set(
        inputs
    )
    assert (inputs["directory"]["default"], inputs["python-version"]["default"]) == (".", "3.11")
    assert inputs["command"]["default"] == "plan"
    assert {"has-changes", "plan-file"} <= set(ACTION["outputs"])
    uses = [s["uses"] for s in ACTION["runs"]["steps"] if "uses" in s]
    assert all(u.startswith("actions/") for u in uses)  # no JavaScript or Docker action of ours
    assert any(u.startswith("actions/setup-python@") for u in uses)
    assert any(u.startswith("actions/upload-artifact@") for u in uses)
    scripts = [s for s in ACTION["runs"]["steps"] if "run" in s]
    assert all(s["shell"] == "bash" for s in scripts)  # composite steps name their shell
    install = next(s["run"] for s in scripts if "pip install" in s["run"])
    assert '"${{ github.action_path }}[azure]"' in install  # azure-identity, for auth: entra


@pytest.mark.parametrize("path", ALL_FILES, ids=lambda p: p.name)
def test_every_uses_is_pinned_to_a_major_version_or_a_release(path: Path) -> None:
    document = load(path)
    uses = [s["uses"] for s in steps_of(document) if "uses" in s]
    assert uses
    for use in uses:
        assert re.fullmatch(r"[\w.-]+/[\w.-]+(/[\w./-]+)?@v\d+(\.\d+\.\d+)?", use), use


@pytest.mark.parametrize("path", ALL_FILES, ids=lambda p: p.name)
def test_scripts_take_inputs_and_secrets_from_env_never_pasted_in(path: Path) -> None:
    for step in steps_of(load(path)):
        script = step.get("run", "")
        # The only expression a script may hold is the Action's own path (no injection there).
        assert re.sub(r"\$\{\{ github\.action_path \}\}", "", script).count("${{") == 0, script
        assert "secrets" not in script
    text = path.read_text(encoding="utf-8")
    for line in text.splitlines():
        if "secrets" in line:  # a secret only ever becomes an environment variable of a step
            assert re.fullmatch(
                r"\s+[A-Z_]+: \$\{\{ secrets(\.[A-Z_]+|\[matrix\.\w+\]) \}\}", line
            ), line


def test_every_expression_of_the_action_names_a_declared_input_or_step() -> None:
    text = (ROOT / "action.yml").read_text(encoding="utf-8")
    ids = {s["id"] for s in ACTION["runs"]["steps"] if "id" in s}
    assert set(re.findall(r"\binputs\.([\w-]+)", text)) <= set(ACTION["inputs"])
    assert set(re.findall(r"\bsteps\.([\w-]+)\.outputs", text)) <= ids


@pytest.mark.parametrize("path", WORKFLOW_FILES, ids=lambda p: p.name)
def test_workflows_give_the_action_only_inputs_it_declares(path: Path) -> None:
    used = action_steps(load(path))
    assert used
    for step in used:
        assert set(step["with"]) <= set(ACTION["inputs"])
        assert step["with"]["command"] in {"plan", "apply", "drift", "test"}


@pytest.mark.parametrize("path", WORKFLOW_FILES, ids=lambda p: p.name)
def test_workflows_sign_in_with_github_oidc_and_hold_no_key(path: Path) -> None:
    workflow = load(path)
    assert workflow["permissions"]["id-token"] == "write"
    for step in action_steps(workflow):
        assert step["with"]["azure-client-id"] == "${{ vars.AZURE_CLIENT_ID }}"
        assert step["with"]["azure-tenant-id"] == "${{ vars.AZURE_TENANT_ID }}"
        assert set(step["env"]) == {"AZURE_OPENAI_ENDPOINT"}
    assert "secrets" not in path.read_text(encoding="utf-8")


def invocations() -> list[tuple[list[str], list[str]]]:
    """Each `reconciler ...` command line of every script: its command path and its options."""
    found = []
    for path in ALL_FILES:
        for step in steps_of(load(path)):
            for line in step.get("run", "").splitlines():
                match = re.search(r"(?:^|[\s;|&(])reconciler((?: [a-z][a-z-]*)+)(.*)", line)
                if match:
                    found.append((match[1].split(), re.findall(r"\s(--[a-z-]+)", match[2])))
    return found


def help_of(words: list[str]) -> Result:
    if words[0] == "ci":  # registered in reconciler.cli by hand; run the group itself
        return CliRunner().invoke(ci_group, [*words[1:], "--help"])
    return CliRunner().invoke(main, [*words, "--help"])


def test_every_reconciler_command_and_option_the_scripts_run_exists() -> None:
    used = invocations()
    commands = {" ".join(words[:2] if words[0] == "ci" else words[:1]) for words, _ in used}
    assert commands == {"plan", "apply", "drift", "test", "ci summary", "ci comment"}
    for words, options in used:
        command = words[:2] if words[0] == "ci" else words[:1]
        result = help_of(command)
        assert result.exit_code == 0, (command, result.output)
        for option in options:
            assert re.search(rf"(^|[\s,]){option}\b", result.output), (command, option)
    if "ci" in main.commands:  # loaded when a ci command runs (cli/lazy.py)
        registered = main.commands["ci"]
        assert isinstance(registered, LazyGroup)
        assert registered.real() is ci_group


def test_plan_workflow_comments_every_environment_of_a_matrix() -> None:
    workflow = load(WORKFLOWS / "plan.yml")
    assert "pull_request" in triggers(workflow)
    assert workflow["permissions"]["pull-requests"] == "write"
    [job] = workflow["jobs"].values()
    environments = [row["environment"] for row in job["strategy"]["matrix"]["include"]]
    assert environments == ["dev", "staging", "prod"]
    [step] = action_steps(workflow)
    assert step["with"]["command"] == "plan"
    assert step["with"]["comment"] == "true"
    assert step["with"]["environment"] == "${{ matrix.environment }}"


def test_apply_workflow_serialises_each_environment_and_never_cancels() -> None:
    workflow = load(WORKFLOWS / "apply.yml")
    assert triggers(workflow)["push"]["branches"] == ["main"]
    [job] = workflow["jobs"].values()
    assert job["concurrency"] == {
        "group": "reconciler-${{ matrix.environment }}",
        "cancel-in-progress": False,
    }
    assert [row["environment"] for row in job["strategy"]["matrix"]["include"]] == ["dev"]
    [step] = action_steps(workflow)
    assert (step["with"]["command"], step["with"]["environment"]) == (
        "apply",
        "${{ matrix.environment }}",
    )


def test_promote_plans_and_publishes_before_the_approval_then_applies_that_plan() -> None:
    workflow = load(WORKFLOWS / "promote.yml")
    assert workflow["permissions"]["pull-requests"] == "write"  # the merged PR's comment
    jobs = workflow["jobs"]
    names = ["dev", "staging", "prod"]
    assert list(jobs) == [f"{step}-{env}" for env in names for step in ("plan", "apply")]
    for index, name in enumerate(names):
        plan, apply = jobs[f"plan-{name}"], jobs[f"apply-{name}"]
        # The plan is made and published with no GitHub environment, so nothing holds it.
        assert "environment" not in plan
        [planned] = action_steps({"jobs": {"plan": plan}})
        assert planned["with"]["command"] == "plan"
        assert planned["with"]["environment"] == name
        assert planned.get("id") == "plan"
        assert plan["outputs"] == {
            "has-changes": "${{ steps.plan.outputs.has-changes }}",
            "artifact": "${{ steps.plan.outputs.artifact-name }}",
        }
        if index:
            previous = names[index - 1]
            assert plan["needs"] == [f"plan-{previous}", f"apply-{previous}"]
            assert plan["if"] == "${{ !cancelled() && !failure() }}"
        # Held by the environment's reviewers, then exactly that saved plan; one at a time.
        assert apply["needs"] == f"plan-{name}"
        assert apply["if"] == f"needs.plan-{name}.outputs.has-changes == 'true'"
        assert apply["environment"] == name
        assert apply["concurrency"] == {"group": f"reconciler-{name}", "cancel-in-progress": False}
        applied, *tested = action_steps({"jobs": {"apply": apply}})
        # staging's apply job then runs the agents' tests: the evidence prod's apply requires
        assert [t["with"]["command"] for t in tested] == (["test"] if name == "staging" else [])
        assert applied["with"] == {
            "command": "apply",
            "environment": name,
            "plan-artifact": f"${{{{ needs.plan-{name}.outputs.artifact }}}}",
            "azure-client-id": "${{ vars.AZURE_CLIENT_ID }}",
            "azure-tenant-id": "${{ vars.AZURE_TENANT_ID }}",
        }


@pytest.mark.parametrize("path", WORKFLOW_FILES, ids=lambda p: p.name)
def test_a_workflow_whose_action_comments_may_write_to_pull_requests(path: Path) -> None:
    """The Action comments wherever it plans (on a push: the merged pull request's comment)
    unless told `comment: "false"`; without `pull-requests: write` that comment would fail."""
    workflow = load(path)
    planning = [
        step
        for step in action_steps(workflow)
        if step["with"]["command"] in {"plan", "apply"}
        and "plan-artifact" not in step["with"]
        and step["with"].get("comment", "true") == "true"
    ]
    if planning:
        assert workflow["permissions"]["pull-requests"] == "write"


def test_drift_runs_on_a_schedule_and_fails_on_drift() -> None:
    workflow = load(WORKFLOWS / "drift.yml")
    [schedule] = triggers(workflow)["schedule"]
    assert len(schedule["cron"].split()) == 5
    [job] = workflow["jobs"].values()
    assert job["strategy"]["fail-fast"] is False
    [step] = action_steps(workflow)
    assert (step["with"]["command"], step["with"]["fail-on-drift"]) == ("drift", "true")


# --- the Action's steps, run as a runner would ---------------------------------------------------


class Expressions:
    """The part of GitHub's expression language action.yml uses: contexts, literals, ==, !=,
    !, &&, || (which yield a value, as GitHub's do), parentheses and format(). Anything else
    fails loudly, so a new construct in action.yml gets a test before it ships."""

    TOKENS = re.compile(r"\s*(?:('[^']*')|(==|!=|&&|\|\||[!(),])|([A-Za-z_][\w.-]*))")

    def __init__(self, context: Mapping[str, Any]) -> None:
        self.context = context

    def evaluate(self, text: str) -> str:
        self.tokens = [t for t in self.TOKENS.findall(text.strip())]
        if "".join("".join(t) for t in self.tokens).replace(" ", "") != text.replace(" ", ""):
            raise ValueError(f"cannot read expression: {text}")
        self.at = 0
        value = self._or()
        if self.at != len(self.tokens):
            raise ValueError(f"cannot read expression: {text}")
        return value

    def _peek(self) -> str:
        return "".join(self.tokens[self.at]) if self.at < len(self.tokens) else ""

    def _take(self) -> tuple[str, str, str]:
        self.at += 1
        token: tuple[str, str, str] = self.tokens[self.at - 1]
        return token

    def _or(self) -> str:
        value = self._and()
        while self._peek() == "||":
            self._take()
            other = self._and()
            value = value or other
        return value

    def _and(self) -> str:
        value = self._compare()
        while self._peek() == "&&":
            self._take()
            other = self._compare()
            value = other if value else value
        return value

    def _compare(self) -> str:
        value = self._unary()
        if self._peek() in ("==", "!="):
            operator = self._take()[1]
            other = self._unary()
            return "true" if (value.lower() == other.lower()) == (operator == "==") else ""
        return value

    def _unary(self) -> str:
        if self._peek() == "!":
            self._take()
            return "" if self._unary() else "true"
        literal, symbol, name = self._take()
        if literal:
            return literal[1:-1]
        if symbol == "(":
            value = self._or()
            assert self._take()[1] == ")"
            return value
        if name == "format":
            assert self._take()[1] == "("
            arguments = [self._or()]
            while self._take()[1] == ",":
                arguments.append(self._or())
            return re.sub(r"\{(\d+)\}", lambda m: arguments[int(m[1]) + 1], arguments[0])
        if name:
            return self._lookup(name)
        raise ValueError(f"unexpected {symbol!r}")

    def _lookup(self, name: str) -> str:
        value: Any = self.context
        for part in name.split("."):
            if not isinstance(value, Mapping):
                return ""
            value = value.get(part)
        return "" if value is None else str(value)

    def substitute(self, text: str) -> str:
        return re.sub(r"\$\{\{(.*?)\}\}", lambda m: self.evaluate(m[1]), text)


@dataclass
class ActionRun:
    ran: list[str]
    outputs: dict[str, str]
    summary: str
    uploaded: list[dict[str, str]]
    failed: str | None
    logs: str


def fake_reconciler(directory: Path) -> Path:
    """`reconciler` on PATH, with the ci group registered as the lead registers it in cli.py."""
    directory.mkdir(exist_ok=True)
    script = directory / "reconciler"
    script.write_text(
        f"#!{sys.executable}\n"
        "from reconciler.cli import main\n"
        "from reconciler.cli.ci import ci_group\n"
        "if 'ci' not in main.commands:\n"
        "    main.add_command(ci_group)\n"
        "main()\n",
        encoding="utf-8",
    )
    script.chmod(0o755)
    return directory


def run_action(
    workspace: Path,
    with_: Mapping[str, str],
    event: Mapping[str, Any],
    env: Mapping[str, str],
    *,
    push: str = "",
    artifacts: list[dict[str, str]] | None = None,
) -> ActionRun:
    """Every step of action.yml in order, as a runner would: `if:` evaluated, `${{ }}` filled in,
    outputs passed on through $GITHUB_OUTPUT and variables through $GITHUB_ENV; setup-python, the
    install and uploads recorded. `push`: the commit of a push event (a merge); `artifacts`: the
    uploads of earlier jobs of the run, which a download step copies into place."""
    temp = workspace / "runner"
    temp.mkdir(exist_ok=True)
    summary = temp / "summary.md"
    summary.touch()
    github = {"token": TOKEN, "event": event, "action_path": str(ROOT), "sha": push}
    github["event_name"] = "push" if push else "pull_request" if "pull_request" in event else ""
    inputs = {name: str(spec.get("default", "")) for name, spec in ACTION["inputs"].items()}
    inputs = {k: Expressions({"github": github}).substitute(v) for k, v in inputs.items()}
    inputs.update(with_)
    steps: dict[str, dict[str, dict[str, str]]] = {}
    context = {"inputs": inputs, "github": github, "steps": steps, "runner": {"temp": str(temp)}}
    run = ActionRun([], {}, "", [], None, "")
    exported: dict[str, str] = {}  # what steps wrote to $GITHUB_ENV, for the steps after them
    path = f"{fake_reconciler(temp / 'bin')}{os.pathsep}{os.environ['PATH']}"
    for number, step in enumerate(ACTION["runs"]["steps"]):
        evaluate = Expressions(context)
        if "if" in step and not evaluate.evaluate(step["if"]):
            continue
        run.ran.append(step.get("id", step["name"]))
        if "uses" in step:
            if "upload-artifact" in step["uses"]:
                run.uploaded.append(
                    {k: evaluate.substitute(str(v)) for k, v in step["with"].items()}
                )
            if "download-artifact" in step["uses"]:
                download(step, evaluate, artifacts or [])
            continue
        if "pip install" in step["run"]:
            continue  # the package is installed already: the fake reconciler above runs it
        output, github_env = temp / f"output-{number}", temp / f"env-{number}"
        output.touch()
        github_env.touch()
        variables = {k: evaluate.substitute(str(v)) for k, v in step.get("env", {}).items()}
        process = subprocess.run(
            ["bash", "--noprofile", "--norc", "-eo", "pipefail", "-c", step["run"]],
            cwd=workspace,
            env={
                **env,
                **exported,
                **variables,
                "PATH": path,
                "RUNNER_TEMP": str(temp),
                "GITHUB_OUTPUT": str(output),
                "GITHUB_ENV": str(github_env),
                "GITHUB_STEP_SUMMARY": str(summary),
                "GITHUB_WORKSPACE": str(workspace),
            },
            capture_output=True,
            text=True,
            timeout=60,
            check=False,
        )
        run.logs += process.stdout + process.stderr
        for line in github_env.read_text(encoding="utf-8").splitlines():
            name, value = line.split("=", 1)
            exported[name] = value
        written = output.read_text(encoding="utf-8").splitlines()
        steps[step.get("id", f"_{number}")] = {
            "outputs": dict(line.split("=", 1) for line in written)
        }
        if process.returncode != 0:
            run.failed = step.get("id", step["name"])
            break
    evaluate = Expressions(context)
    run.outputs = {k: evaluate.substitute(v["value"]) for k, v in ACTION["outputs"].items()}
    run.summary = summary.read_text(encoding="utf-8")
    return run


def download(step: dict[str, Any], evaluate: Expressions, artifacts: list[dict[str, str]]) -> None:
    """actions/download-artifact: the named upload's files, at the root of `path`."""
    name, into = (
        evaluate.substitute(step["with"]["name"]),
        Path(evaluate.substitute(step["with"]["path"])),
    )
    [upload] = [a for a in artifacts if a["name"] == name]
    into.mkdir(parents=True, exist_ok=True)
    for path in map(Path, upload["path"].split()):
        (into / path.name).write_bytes(path.read_bytes())


@pytest.fixture
def github() -> Iterator[FakeGitHub]:
    """The fake GitHub on a loopback port, for the `reconciler ci comment` the Action runs."""
    fake = FakeGitHub()

    class Handler(BaseHTTPRequestHandler):
        def _any(self) -> None:
            length = int(self.headers.get("Content-Length") or 0)
            request = httpx.Request(
                self.command,
                f"http://{self.headers['Host']}{self.path}",
                headers=dict(self.headers.items()),
                content=self.rfile.read(length),
            )
            response = fake.handle(request)
            self.send_response(response.status_code)
            for name, value in response.headers.items():
                if name.lower() != "content-length":
                    self.send_header(name, value)
            self.send_header("Content-Length", str(len(response.content)))
            self.end_headers()
            self.wfile.write(response.content)

        do_GET = do_POST = do_PATCH = _any

        def log_message(self, format: str, *args: Any) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    fake.base = f"http://127.0.0.1:{server.server_address[1]}"
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield fake
    finally:
        server.shutdown()
        server.server_close()
        thread.join()


def test_the_action_runs_the_pull_request_flow_against_the_emulator(
    quick: Path, github: FakeGitHub, api: httpx.Client
) -> None:
    workspace = quick.parent
    env = {**ENV, "GITHUB_API_URL": github.base, "GITHUB_REPOSITORY": REPO}
    pull_request = {"pull_request": {"number": PR}}
    plan = {"command": "plan", "directory": "quickstart", "environment": "local"}

    # A pull request: plan, comment, upload the saved plan.
    opened = run_action(workspace, plan, pull_request, env)
    assert opened.failed is None, opened.logs
    assert opened.ran == [
        "Check the inputs",
        "Set up Python",
        "Install reconciler",
        "plan",
        "Comment on the pull request",
        "Upload the saved plan",
    ]
    assert opened.outputs["has-changes"] == "true"
    assert opened.outputs["summary"] == "Plan: 2 to add, 0 to change, 0 to destroy."
    saved = Path(opened.outputs["plan-file"])
    assert Plan.model_validate_json(saved.read_text(encoding="utf-8")).has_changes
    [upload] = opened.uploaded
    assert upload["name"] == "reconciler-plan-local"
    assert upload["path"].split() == [str(saved), str(saved.with_suffix(".md"))]
    [posted] = github.comments
    assert posted["body"].startswith(
        "<!-- reconciler:plan:local -->\n### reconciler plan for `quickstart/local`"
    )
    assert "### reconciler plan for `quickstart/local`" in opened.summary
    assert TOKEN not in opened.logs

    # The merge: apply the saved plan exactly (what the plan artifact carries to the apply job).
    merged = run_action(workspace, {**plan, "command": "apply", "plan-file": str(saved)}, {}, env)
    assert merged.failed is None, merged.logs
    assert merged.ran[3:] == ["saved", "apply"]
    assert "Apply complete! Resources: 2 added, 0 changed, 0 destroyed." in merged.logs
    assert "### reconciler apply for `local`" in merged.summary
    assert len(assistants(api)) == 1

    # Nothing left to do: apply without a plan file plans, finds nothing, applies nothing.
    again = run_action(workspace, {**plan, "command": "apply"}, {}, env)
    assert again.failed is None, again.logs
    assert (again.ran[3:], again.outputs["has-changes"]) == (
        ["plan", "Upload the saved plan"],
        "false",
    )

    # Someone edits the assistant by hand: the nightly drift check fails, with the drift.
    bot = assistants(api)[0]
    api.post(f"/assistants/{bot['id']}", json={"instructions": "changed by hand"})
    drifted = run_action(workspace, {**plan, "command": "drift"}, {}, env)
    assert (drifted.failed, drifted.outputs["has-changes"]) == ("drift", "true")
    assert "instructions" in drifted.summary

    # A broken push to the pull request: the error replaces the plan in the same comment.
    broken = run_action(workspace, {**plan, "directory": "nowhere"}, pull_request, env)
    assert broken.failed == "Fail when the plan failed"
    assert "Comment on the pull request" in broken.ran
    assert "Upload the saved plan" not in broken.ran
    [posted] = github.comments
    assert posted["body"].startswith(
        "<!-- reconciler:plan:local -->\n### reconciler plan for `local` failed"
    )
    assert "nowhere" in posted["body"]


def test_the_promotion_flow_publishes_the_plan_made_after_the_merge_and_applies_exactly_it(
    quick: Path, github: FakeGitHub, api: httpx.Client
) -> None:
    """promote.yml's two jobs for one environment: the plan job (a push: the merge) publishes
    the plan in its summary, as an artifact and in the merged pull request's comment, before
    anything waits for approval; the approved job downloads that artifact and applies it."""
    workspace = quick.parent
    env = {**ENV, "GITHUB_API_URL": github.base, "GITHUB_REPOSITORY": REPO}
    merge = "0123456789abcdef0123456789abcdef01234567"
    github.merged[merge] = PR
    github.add(marked("local", "### the plan plan.yml posted before the merge\n"))
    inputs = {"directory": "quickstart", "environment": "local"}

    planned = run_action(workspace, {**inputs, "command": "plan"}, {}, env, push=merge)
    assert planned.failed is None, planned.logs
    assert planned.ran[3:] == ["plan", "Comment on the pull request", "Upload the saved plan"]
    assert planned.outputs["has-changes"] == "true"
    assert planned.outputs["artifact-name"] == "reconciler-plan-local"
    [posted] = github.comments  # the merged pull request's comment, updated, not a new one
    header = (
        "Planned at `0123456789ab` after the merge: the apply of `local` applies exactly this "
        "saved plan, and refuses it if the live state changed since."
    )
    assert posted["body"].startswith(f"<!-- reconciler:plan:local -->\n{header}\n\n### reconciler")
    assert "Plan: 2 to add, 0 to change, 0 to destroy." in posted["body"]
    assert header in planned.summary
    assert assistants(api) == []  # nothing is applied before the approval

    approved = {**inputs, "command": "apply", "plan-artifact": planned.outputs["artifact-name"]}
    applied = run_action(workspace, approved, {}, env, push=merge, artifacts=planned.uploaded)
    assert applied.failed is None, applied.logs
    assert applied.ran[3:] == ["Download the saved plan", "saved", "apply"]
    assert "Apply complete! Resources: 2 added, 0 changed, 0 destroyed." in applied.logs
    assert "### The saved plan applied to `local`" in applied.summary
    assert header in applied.summary
    assert len(assistants(api)) == 1

    # The same plan approved again, once the live state moved: refused, nothing changed.
    again = run_action(workspace, approved, {}, env, push=merge, artifacts=planned.uploaded)
    assert again.failed == "apply"
    assert "Saved plan is stale" in again.logs
    assert "Nothing was changed. Run plan again." in again.logs
    assert len(assistants(api)) == 1


def test_a_push_no_pull_request_merged_comments_nothing(tmp_path: Path) -> None:
    fake = FakeGitHub()
    result = comment(fake, tmp_path, "--commit", "abcdef1234567")
    assert (result.exit_code, result.stdout) == (
        0,
        "No pull request merged abcdef1234567: nothing to comment on.\n",
    )
    assert [(m, u) for m, u, _ in fake.calls()] == [
        ("GET", f"{API}/repos/{REPO}/commits/abcdef1234567/pulls")
    ]


def test_a_commit_that_is_not_a_sha_is_refused_before_any_request(tmp_path: Path) -> None:
    fake = FakeGitHub()
    result = comment(fake, tmp_path, "--commit", "main; rm -rf /")
    assert result.exit_code == 1
    assert "--commit must be a commit's hex SHA" in result.stderr
    assert fake.requests == []


def test_the_action_refuses_an_unknown_command(tmp_path: Path) -> None:
    run = run_action(tmp_path, {"command": "destroy"}, {}, {})
    assert run.failed == "Check the inputs"
    assert "command must be plan, apply, drift or test" in run.logs


def test_the_action_applies_keyless_with_github_oidc(
    tmp_path: Path, server: BackgroundServer
) -> None:
    """No key anywhere: the job's OIDC token request (the fake GitHub) and the app's ids (the
    inputs) are all reconciler needs; every Entra ID token is bought with a new GitHub ID token."""
    workspace = tmp_path / "workspace"
    bots_project(workspace / "keyless", server.url)
    with identity(tmp_path) as ids:
        env = {
            "NO_COLOR": "1",
            **ids.authority.trust(),
            **ids.github.environment(),
            "AZURE_AUTHORITY_HOST": ids.entra.url,
        }
        inputs = {"command": "apply", "directory": "keyless", "environment": "dev"}
        ids_in = {"azure-client-id": CLIENT_ID, "azure-tenant-id": TENANT}
        applied = run_action(workspace, {**inputs, **ids_in}, {}, env)
        assert applied.failed is None, applied.logs
        assert applied.ran[:4] == [
            "Check the inputs",
            "Sign in with GitHub OIDC",
            "Set up Python",
            "Install reconciler",
        ]
        assert "Apply complete! Resources: 3 added, 0 changed, 0 destroyed." in applied.logs
        assertions = [r["client_assertion"] for r in ids.entra.requests]
        assert assertions == ids.github.issued
        assert len(assertions) == 2  # plan, then apply: one credential each
        for secret in ids.secrets():
            assert secret not in applied.logs + applied.summary

        # The same job without `permissions: id-token: write`: told so before anything runs.
        unpermitted = {k: v for k, v in env.items() if not k.startswith("ACTIONS_ID_TOKEN")}
        refused = run_action(workspace, {**inputs, **ids_in}, {}, unpermitted)
        assert refused.failed == "Sign in with GitHub OIDC"
        assert "add 'permissions: id-token: write'" in refused.logs
        assert len(ids.entra.requests) == 2


def test_the_action_runs_the_agent_tests_and_reports_them(
    tmp_path: Path, github: FakeGitHub
) -> None:
    """`command: test` on examples/foundry after its staging apply: the report goes to the job
    summary and to the pull request's own tests comment (apart from its plan comment); a
    dataset the agent fails fails the Action, after the comment says why."""
    workspace = tmp_path / "repo"
    shutil.copytree(ROOT / "examples" / "foundry", workspace / "foundry")
    shutil.rmtree(workspace / "foundry" / ".reconciler", ignore_errors=True)
    env = {**ENV, "GITHUB_API_URL": github.base, "GITHUB_REPOSITORY": REPO}
    applied = subprocess.run(
        [
            sys.executable,
            "-m",
            "reconciler",
            "apply",
            "foundry",
            "--env",
            "staging",
            "--auto-approve",
        ],
        cwd=workspace,
        env={**os.environ, **env},
        capture_output=True,
        text=True,
        check=False,
    )
    assert applied.returncode == 0, applied.stderr
    inputs = {"command": "test", "directory": "foundry", "environment": "staging"}
    pull_request = {"pull_request": {"number": PR}}

    passed = run_action(workspace, inputs, pull_request, env)
    assert passed.failed is None, passed.logs
    assert passed.ran[3:] == ["test", "Comment on the pull request"]
    assert passed.outputs["tests-passed"] == "true"
    [posted] = github.comments
    assert posted["body"].startswith("<!-- reconciler:plan:tests-staging -->\n")
    assert "support-bot-staging" in posted["body"]
    assert "support-bot-staging" in passed.summary

    dataset = workspace / "foundry" / "tests" / "support.jsonl"
    dataset.write_text('{"query": "I cannot help"}\n', encoding="utf-8")  # its answer quotes it
    failed = run_action(workspace, inputs, pull_request, env)
    assert failed.failed == "Fail when a test threshold did not hold", failed.logs
    assert failed.outputs["tests-passed"] == "false"
    [posted] = github.comments  # the same comment, now the failure
    assert "no-apology" in posted["body"]
