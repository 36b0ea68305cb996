"""--debug shows each request without secrets; a credential a manifest interpolates is masked in
everything printed."""

from __future__ import annotations

import re
from pathlib import Path

from reconciler.core.rendering.width import fold
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
    assert '        leaked: "***"\n' in outputs[0].stdout
    assert 'description: "key *** inside"' in outputs[0].stdout


def test_a_key_cut_by_a_fold_of_a_long_line_is_masked_too(tmp_path: Path) -> None:
    """A plan folds a line wider than the terminal (core/rendering/width.py): the key, cut in two
    by the fold, is masked as a whole."""
    key = "sk-" + "0123456789abcdef" * 3  # long enough for a fold to fall inside it
    manifest = (
        "kind: Assistant\nname: bot\nmodel: gpt-4\n"
        "description: 'the key ${env:AZURE_OPENAI_API_KEY} and after'\n"
    )
    directory = project(tmp_path, "local", manifest)
    line = f'description: "the key {key} and after"'
    columns = next(c for c in range(40, 100) if key not in "".join(fold("      ", line, c)))
    env = {"COLUMNS": str(columns), "AZURE_OPENAI_API_KEY": key}
    shown = run("plan", str(directory), cwd=tmp_path, env=env).stdout
    assert 'description: "the key *** and after"' in shown
    assert all(key[n : n + 8] not in shown for n in range(len(key) - 8)), shown
