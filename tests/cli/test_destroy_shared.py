"""Destroying one environment of a Foundry project whose knowledge another environment shares:
the store and its files stay, and destroy's plan says why, instead of leaving them silently."""

from __future__ import annotations

from pathlib import Path

from click.testing import CliRunner, Result

from reconciler.cli import main
from reconciler.core.marks import OWNER_MARK
from reconciler.emulator.server import BackgroundServer
from tests.support.foundry_client import TOKEN, foundry_client, ok
from tests.support.output import unwrapped

ENV = {"FOUNDRY_TOKEN": TOKEN, "NO_COLOR": "1", "RECONCILER_RETRY_BASE_SECONDS": "0.001"}
PROJECT = """project: shop
environments:
  dev: {{api: foundry, endpoint: '{url}/api/projects/shop', ad_token_env: FOUNDRY_TOKEN}}
  prod: {{api: foundry, endpoint: '{url}/api/projects/shop', ad_token_env: FOUNDRY_TOKEN}}
"""
AGENT = """kind: Agent
name: bot-${env.name}
model: gpt-4o
tools: [{type: file_search, files: [docs/faq.md]}]
"""


def run(*args: str) -> Result:
    return CliRunner().invoke(main, list(args), env=ENV)


def test_destroy_says_which_store_another_environment_keeps(
    tmp_path: Path, server: BackgroundServer
) -> None:
    (tmp_path / "reconciler.yaml").write_text(PROJECT.format(url=server.url), encoding="utf-8")
    (tmp_path / "bot.yaml").write_text(AGENT, encoding="utf-8")
    (tmp_path / "docs").mkdir()
    (tmp_path / "docs" / "faq.md").write_text("# FAQ\n", encoding="utf-8")
    for env in ("dev", "prod"):
        applied = run("apply", str(tmp_path), "--env", env, "--auto-approve")
        assert applied.exit_code == 0, applied.output
    with foundry_client(server.url, project="shop") as client:
        [store] = ok(client.get("/openai/v1/vector_stores"))["data"]
    assert store["metadata"][OWNER_MARK] == "shop/dev"  # dev built it, prod shares it

    destroyed = run("destroy", str(tmp_path), "--env", "dev", "--auto-approve")
    assert destroyed.exit_code == 0, destroyed.output
    assert (
        f"Note: vector_store.{store['name']} ({store['id']}) and its files stay: an agent of "
        "another environment still uses them. The store keeps the mark of shop/dev; the last "
        "environment of shop to let it go deletes it."
    ) in unwrapped(destroyed.stdout)
    with foundry_client(server.url, project="shop") as client:
        assert [s["id"] for s in ok(client.get("/openai/v1/vector_stores"))["data"]] == [
            store["id"]
        ]
        assert len(ok(client.get("/openai/v1/files"))["data"]) == 1
    # prod is untouched; once prod goes too, the store and the file go with it.
    assert run("plan", str(tmp_path), "--env", "prod", "--detailed-exitcode").exit_code == 0
    assert run("destroy", str(tmp_path), "--env", "prod", "--auto-approve").exit_code == 0
    with foundry_client(server.url, project="shop") as client:
        assert ok(client.get("/openai/v1/vector_stores"))["data"] == []
        assert ok(client.get("/openai/v1/files"))["data"] == []
