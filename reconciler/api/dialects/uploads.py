"""What both dialects do with declared files: check them before upload, hash what is live."""

from __future__ import annotations

import dataclasses
import hashlib
from collections.abc import Callable
from pathlib import Path
from typing import Any

from reconciler.core.state import LiveState
from reconciler.errors import ReconcilerError


def checked_path(directory: Path, body: dict[str, Any]) -> Path:
    """The declared file to upload, once its content is still what the plan saw."""
    path = directory / str(body["path"])
    if sha256_of(path) != body["sha256"]:  # streamed, like the upload itself
        raise ReconcilerError(f"{body['path']} changed since the plan was made. Run plan again.")
    return path


def with_content(live: LiveState, download: Callable[[str], bytes], ids: list[str]) -> LiveState:
    """The live state with the SHA-256 of these uploads' content added."""
    content = {i: hashlib.sha256(download(i)).hexdigest() for i in ids}
    return dataclasses.replace(live, content={**live.content, **content})


def sha256_of(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as stream:
        while chunk := stream.read(1024 * 1024):
            digest.update(chunk)
    return digest.hexdigest()
