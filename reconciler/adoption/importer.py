"""`import` without its console: what it reads from one API family, behind one interface (its
live objects listed, the chosen ones drafted, their files downloaded), and the chosen ones
written as manifests once every check has passed and every file is downloaded."""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Protocol

from reconciler.adoption.agents import Agents
from reconciler.adoption.assistants import Assistants
from reconciler.adoption.draft import Draft, Target, refuse_if
from reconciler.adoption.write import download, empty_file_problems, target_problems, write
from reconciler.api.connect import open_client, open_foundry_client
from reconciler.api.retry import RetryPolicy


class Source(Protocol):
    """What import reads from one API family: its objects, listed, drafted and downloaded."""

    noun: str  # "assistant", "agent"
    adoption: str  # what the next apply does to each, in words

    def listing(self, directory: Path) -> list[str]: ...

    def drafts(self, selections: tuple[str, ...]) -> list[Draft]: ...

    def download_file(self, file_id: str) -> bytes: ...


@contextmanager
def open_source(directory: Path, target: Target, retry: RetryPolicy) -> Iterator[Source]:
    """The environment's API family, connected: agents for `api: foundry`, else assistants."""
    environment = target.environment
    if environment.api == "foundry":
        project = target.project.doc.project
        with open_foundry_client(directory, project, environment, os.environ, retry) as client:
            yield Agents(client, target)
        return
    with open_client(directory, environment, os.environ, retry) as client:
        yield Assistants(client, target)


def import_selected(source: Source, selections: tuple[str, ...], folder: Path) -> list[Draft]:
    """Draft the selected objects and write them into `folder`; a problem writes nothing."""
    drafts = source.drafts(selections)
    refuse_if(target_problems(folder, drafts))
    contents, problems = download(source.download_file, drafts)
    refuse_if(problems + empty_file_problems(drafts, contents))
    write(folder, drafts, contents)
    return drafts
