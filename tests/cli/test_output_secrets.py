"""--debug shows each request without secrets; a credential a manifest interpolates is masked in
everything printed."""

from __future__ import annotations

import re
from pathlib import Path

from tests.support.broken import Answer, broken_server, invoke, page, project, run

SECRET = "sk-test-secret"  # the key tests.support.broken.run puts in AZURE_OPENAI_API_KEY


def test_debug_shows_each_request_with_its_status_time_and_retries(tmp_path: Path) -> None:
    answers = iter([(500, {}, b"{}"), page([])])

    def handler(method: str, path: str) -> Answer:
        return next(answers) if path.startswith("/openai/assistants") else page([])

    with broken_server(handler) as (url, _):
        directory = project(tmp_path, url)
        env = {"RECONCILER_RETRY_BASE_SECONDS": "0"}
        result = run("--debug", "plan", str(directory), cwd=tmp_path, env=env)
    assert result.returncode == 0, result.stderr
    requests = [line for line in result.stderr.splitlines() if line.startswith("GET ")]
    # The file list goes beside the assistant list, so its line may come anywhere among theirs.
    files = [line for line in requests if line.startswith("GET /openai/files")]
    listing = r"GET /openai/assistants\?api-version=2024-02-15-preview&limit=100&order=asc"
    patterns = [
        rf"{listing} -> 500 in \d+ ms",
        rf"{listing} -> 200 in \d+ ms, retry 1",
        r"GET /openai/files\?api-version=2024-02-15-preview&purpose=assistants -> 200 in \d+ ms",
    ]
    assert len(requests) == len(patterns), requests
    assert len(files) == 1, requests
    shown = [line for line in requests if line not in files] + files
    for line, pattern in zip(shown, patterns, strict=True):
        assert re.fullmatch(pattern, line), line
    assert SECRET not in result.stderr + result.stdout


def test_a_key_interpolated_into_a_manifest_is_never_printed(tmp_path: Path) -> None:
    manifest = (
        "kind: Assistant\nname: bot\nmodel: gpt-4\n"
        "metadata: {leaked: '${env:AZURE_OPENAI_API_KEY}'}\n"
        "description: 'key ${env:AZURE_OPENAI_API_KEY} inside'\n"
    )
    directory = project(tmp_path, "local", manifest)
    outputs = [run("--debug", "plan", str(directory), cwd=tmp_path)] + [
        invoke(*args)  # the same masking in this process, under click's runner
        for args in (
            ["plan", str(directory), "--format", "json"],
            ["plan", str(directory), "--format", "markdown"],
            ["apply", str(directory), "--auto-approve"],
        )
    ]
    assert [o.returncode for o in outputs] == [0, 0, 0, 0], [o.stderr for o in outputs]
    for shown in outputs:
        assert SECRET not in shown.stdout + shown.stderr
    assert '"leaked": "***"' in outputs[0].stdout
    assert 'description: "key *** inside"' in outputs[0].stdout
