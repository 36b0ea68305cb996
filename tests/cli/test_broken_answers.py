"""Answers that break the API are reported in one line with a next step: no hang, no internal
error. The real command line runs in a subprocess against a server that misbehaves on purpose."""

from __future__ import annotations

from pathlib import Path

from tests.support.broken import Answer, Ran, assistant, broken_server, invoke, page, project, run


def _plan_against(tmp_path: Path, answer: Answer, in_process: bool = True) -> tuple[Ran, list[str]]:
    def handler(method: str, path: str) -> Answer:
        return page([]) if path.startswith("/openai/files") else answer

    with broken_server(handler) as (url, seen):
        directory = str(project(tmp_path, url))
        if in_process:
            return invoke("plan", directory), seen
        ran = run("plan", directory, cwd=tmp_path)
        return Ran(ran.returncode, ran.stdout, ran.stderr), seen


def test_an_endpoint_that_ignores_the_cursor_fails_instead_of_paging_forever(
    tmp_path: Path,
) -> None:
    same = page([assistant(1), assistant(2)], has_more=True)
    result, seen = _plan_against(tmp_path, same, in_process=False)
    assert result.returncode == 1
    assert result.stderr == (
        "Error: list assistants: the endpoint sent the same page again after the cursor "
        "'asst_2' (it ignores `after`, so paging would never end): check that the endpoint "
        "is an Azure OpenAI resource\n"
    )
    # The first page, then the second beside the first from the newest end: nothing after.
    assert len([r for r in seen if r.startswith("GET /openai/assistants")]) == 3


def test_a_tool_without_type_is_reported_as_an_answer_that_breaks_the_api(
    tmp_path: Path,
) -> None:
    result, _ = _plan_against(tmp_path, page([assistant(1, tools=[{"function": {}}])]))
    assert (result.returncode, result.stderr) == (
        1,
        "Error: the endpoint sent an assistant that does not match the API "
        "(tools[0] has no 'type')\n",
    )


def test_metadata_as_a_list_is_reported_not_accepted(tmp_path: Path) -> None:
    result, _ = _plan_against(tmp_path, page([assistant(1, metadata=["a", "b"])]))
    assert (result.returncode, result.stderr) == (
        1,
        "Error: the endpoint sent an assistant that does not match the API "
        "(metadata is not an object of strings)\n",
    )


def test_a_redirect_says_redirect_and_where_to_without_its_query(tmp_path: Path) -> None:
    moved: Answer = (302, {"location": "https://login.example.com/sso?token=abc"}, b"")
    result, _ = _plan_against(tmp_path, moved)
    assert (result.returncode, result.stderr) == (
        1,
        "Error: list assistants: the endpoint redirected (HTTP 302) to "
        "https://login.example.com/sso: set the environment's endpoint to the resource's own "
        "https URL\n",
    )
