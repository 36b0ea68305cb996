"""`import` without its console: what it reads from one API family, behind one interface (its
live objects listed, the chosen ones drafted, their files downloaded), and the chosen ones
written as manifests once every check has passed and every file is downloaded."""

from __future__ import annotations

from contextlib import AbstractContextManager
from pathlib import Path

from reconciler.adoption.draft import Draft, Target, refuse_if
from reconciler.adoption.sources import Source, source_of
from reconciler.adoption.write import download, empty_file_problems, target_problems, write
from reconciler.api.retry import RetryPolicy


def open_source(
    directory: Path, target: Target, retry: RetryPolicy
) -> AbstractContextManager[Source]:
    """The environment's API family, connected through its source (adoption/sources.py)."""
    return source_of(target).opened(directory, target, retry)


def import_selected(source: Source, selections: tuple[str, ...], folder: Path) -> list[Draft]:
    """Draft the selected objects and write them into `folder`; a problem writes nothing."""
    drafts = source.drafts(selections)
    refuse_if(target_problems(folder, drafts))
    contents, problems = download(source.download_file, drafts)
    refuse_if(problems + empty_file_problems(drafts, contents))
    write(folder, drafts, contents)
    return drafts
