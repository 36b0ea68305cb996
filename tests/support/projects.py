"""Projects on disk for the CLI: the committed examples, copied, and small generated ones."""

from __future__ import annotations

import shutil
from pathlib import Path

EXAMPLES = Path(__file__).parents[2] / "examples"
# What running an example leaves in the working tree: the local emulator's state. A test must
# start from the example as committed, whatever was run in the checkout before.
LOCAL_STATE = shutil.ignore_patterns(".reconciler")


def copy_tree(source: Path, destination: Path) -> None:
    shutil.copytree(source, destination, ignore=LOCAL_STATE)


def copy_example(name: str, destination: Path, url: str) -> Path:
    """A copy of an example whose every environment uses the emulator at url."""
    project = destination / name
    copy_tree(EXAMPLES / name, project)
    config = project / "reconciler.yaml"
    text = config.read_text(encoding="utf-8").replace("endpoint: local", f"endpoint: {url}")
    text = text.replace("endpoint: https://contoso-prod.openai.azure.com", f"endpoint: {url}")
    text = text.replace("api_key_env: CONTOSO_PROD_OPENAI_KEY", "api_key_env: AZURE_OPENAI_API_KEY")
    config.write_text(text, encoding="utf-8")
    return project


def bots_project(directory: Path, url: str, auth: str = "", bots: int = 3) -> Path:
    """A project of `bots` assistants whose one environment, dev, is at url."""
    directory.mkdir(parents=True, exist_ok=True)
    lines = [f"    {line}" for line in auth.splitlines()]
    config = ["project: keyless", "environments:", "  dev:", f"    endpoint: {url}", *lines]
    (directory / "reconciler.yaml").write_text("\n".join(config) + "\n", encoding="utf-8")
    documents = [
        f"kind: Assistant\nname: bot-{n}\nmodel: gpt-4\ninstructions: Help.\n" for n in range(bots)
    ]
    (directory / "bots.yaml").write_text("---\n".join(documents), encoding="utf-8")
    return directory
