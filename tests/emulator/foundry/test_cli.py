"""`emulator serve` with the Foundry flags as a real process, and `emulator demo --foundry`."""

from __future__ import annotations

from click.testing import CliRunner

from reconciler.emulator.cli import emulator_group
from tests.support.foundry_client import foundry_client, ok, upload
from tests.support.serving import serving


def test_serve_takes_the_token_ingestion_and_download_flags() -> None:
    flags = ("--token", "secret", "--ingestion-delay-ms", "3600000", "--no-reference-checks")
    with serving(*flags, "--undownloadable", "assistants") as (url, _):
        with foundry_client(url, token="other") as stranger:
            assert stranger.get("/agents").status_code == 401
        with foundry_client(url, token="secret") as client:
            file_id = upload(client)
            assert client.get(f"/openai/v1/files/{file_id}/content").status_code == 400
            store = ok(client.post("/openai/v1/vector_stores", json={"file_ids": [file_id]}))
            assert (
                ok(client.get(f"/openai/v1/vector_stores/{store['id']}"))["status"] == "in_progress"
            )
            dangling = {"type": "file_search", "vector_store_ids": ["vs_elsewhere"]}
            body = {"definition": {"kind": "prompt", "model": "m", "tools": [dangling]}}
            assert ok(client.post("/agents/a/versions", json=body))["version"] == "1"


def test_the_foundry_demo_runs_a_round_trip() -> None:
    result = CliRunner().invoke(emulator_group, ["demo", "--foundry"])
    assert result.exit_code == 0, result.output
    assert "POST   /api/projects/demo/agents/support/versions -> 200" in result.output
    assert result.output.rstrip().endswith("Round trip complete: 10 requests, every one answered.")
