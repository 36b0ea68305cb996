"""Drafts of imported assistants (Assistants v1): a `kind: Assistant` manifest each, checked as
`reconciler validate` will check it, with the files it names to download."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from reconciler.adoption.draft import (
    Draft,
    Target,
    file_paths,
    hand_made,
    logical_name,
    refuse_if,
    render,
    unique_name,
    user_metadata,
    validated,
)
from reconciler.config.content import type_problem
from reconciler.config.document import AssistantDoc
from reconciler.config.limits import check_assistant
from reconciler.core.kinds.assistant.types import LiveAssistant
from reconciler.core.kinds.file import LiveFile
from reconciler.core.marks import read_marks

HEADER = (
    "# Written by `reconciler import`: the next apply adopts the assistant that import_id names\n"
    "# (same id, ownership marks added) instead of creating a new one.\n"
)


def draft_imports(
    chosen: list[LiveAssistant], live: list[LiveAssistant], target: Target, files: list[LiveFile]
) -> list[Draft]:
    """A manifest for each chosen assistant, checked as validate will check it."""
    taken = set(target.declared)
    taken |= {
        marks.name
        for a in live
        if (marks := read_marks(a.metadata)) is not None and marks.owner == target.owner
    }
    filenames = {f.id: f.filename for f in files}
    drafts: list[Draft] = []
    problems: list[str] = []
    for assistant in chosen:
        name = unique_name(logical_name(assistant.name, assistant.id), taken)
        taken.add(name)
        draft, found = _draft(assistant, name, filenames, target.environment.name)
        drafts.append(draft)
        problems += [f"{assistant.id} ({name}): {message}" for message in found]
    refuse_if(problems)
    return drafts


def _draft(
    assistant: LiveAssistant, name: str, filenames: Mapping[str, str], environment: str
) -> tuple[Draft, list[str]]:
    draft = Draft(assistant.id, name)
    problems: list[str] = []
    manifest: dict[str, Any] = {"kind": "Assistant", "name": name}
    draft.manifest = manifest
    if assistant.name is None:
        draft.notes.append(f"{assistant.id} has no name: apply gives it the name {name!r}")
    elif assistant.name != name:
        manifest["display_name"] = assistant.name
    manifest["model"] = assistant.model  # the Azure deployment, as it is
    if assistant.description is not None:
        manifest["description"] = assistant.description
    draft.instructions(assistant.instructions)
    if assistant.tools:
        manifest["tools"] = [dict(tool) for tool in assistant.tools]
    draft.files = file_paths(draft, list(assistant.file_ids), filenames, problems)
    _note_replaced(draft, assistant, filenames)
    if draft.files:
        manifest["files"] = [path for _, path in draft.files]
    if metadata := user_metadata(draft, assistant.metadata):
        manifest["metadata"] = metadata
    # Scoped to the environment it was found in: other environments get their own assistant.
    manifest["import_id"] = {environment: assistant.id}
    problems += _validation_problems(draft)
    if not problems:
        draft.text = render(manifest, HEADER)
    return draft, problems


def _note_replaced(draft: Draft, assistant: LiveAssistant, filenames: Mapping[str, str]) -> None:
    """Apply attaches content-addressed copies of hand-made files and never deletes a file it
    did not upload: say which ones it leaves behind."""
    if left := hand_made(list(assistant.file_ids), filenames):
        draft.notes.append(
            f"{assistant.id}: after apply it uses uploaded copies of {', '.join(left)}; "
            "the hand-made files stay on the endpoint: delete them once nothing uses them"
        )


def _validation_problems(draft: Draft) -> list[str]:
    """What `reconciler validate` would object to in this manifest, files aside."""
    doc, problems = validated(AssistantDoc, draft)
    if doc is None:
        return problems
    instructions = draft.prompt if draft.prompt is not None else doc.instructions
    problems = [message for _, message in check_assistant(doc, instructions)]
    tool_types: set[str] = {tool.type for tool in doc.tools}
    problems += [m for path in doc.files if (m := type_problem(path, tool_types)) is not None]
    return problems
