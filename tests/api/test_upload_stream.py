"""Uploads stream from disk: the client is handed an open file, read in chunks as it is sent,
never the whole content as bytes; a retry sends it again from the start."""

from __future__ import annotations

import io
import json
from pathlib import Path

import httpx

from reconciler.api.client import AssistantsClient, Credential
from reconciler.api.retry import RetryPolicy
from reconciler.emulator.server import BackgroundServer
from tests.support.broken import Answer, broken_server
from tests.support.clients import API_VERSION, azure_client

CONTENT = b"0123456789abcdef" * 20_000  # 320 KB: several of httpx's 64 KB chunks


def _file_parts(request: httpx.Request) -> list[object]:
    fields = getattr(request.stream, "fields", [])
    return [field.file for field in fields if hasattr(field, "file")]


def test_an_upload_from_a_path_is_sent_from_an_open_file_not_bytes(
    tmp_path: Path, server: BackgroundServer
) -> None:
    path = tmp_path / "big.0123456789ab.md"
    path.write_bytes(CONTENT)
    parts: list[object] = []
    hook = {"request": [lambda request: parts.extend(_file_parts(request))]}
    with httpx.Client(event_hooks=hook) as http:
        client = AssistantsClient(http, server.url, API_VERSION, Credential("k"))
        uploaded = client.upload_file(path.name, path)
    assert len(parts) == 1
    assert isinstance(parts[0], io.BufferedReader)  # a file on disk, read as it is sent
    assert parts[0].closed  # and closed once the upload is done
    with azure_client(server.url) as api:
        assert api.get(f"/files/{uploaded.id}/content").content == CONTENT


def test_a_retried_streamed_upload_sends_the_whole_file_again(tmp_path: Path) -> None:
    path = tmp_path / "big.0123456789ab.md"
    path.write_bytes(CONTENT)
    created = {"id": "assistant-1", "object": "file", "bytes": len(CONTENT), "created_at": 1,
               "filename": path.name, "purpose": "assistants", "status": "processed"}  # fmt: skip
    answers: list[Answer] = [(500, {}, b"{}"), (200, {}, json.dumps(created).encode())]

    def handler(method: str, request_path: str) -> Answer:
        if method == "GET":  # the lost-upload check finds nothing
            return 200, {}, b'{"object": "list", "data": []}'
        return answers.pop(0)

    with broken_server(handler) as (url, seen), httpx.Client() as http:
        retry = RetryPolicy(base_seconds=0)
        client = AssistantsClient(http, url, API_VERSION, Credential("k"), retry)
        assert client.upload_file(path.name, path).id == "assistant-1"
    posts = [line for line in seen if line.startswith("POST")]
    assert len(posts) == 2
    first, second = (int(line.rsplit("(", 1)[1].split()[0]) for line in posts)
    assert first == second  # the whole file again, from its start
    assert first > len(CONTENT)  # the file, plus the form around it
