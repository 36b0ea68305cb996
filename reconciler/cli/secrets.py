"""Credentials never reach the terminal: every value a credential variable holds is masked in
whatever the command prints, stdout and stderr alike, tracebacks with --debug included.

A key is normally never printed anyway; this catches the one that a manifest interpolates
(`metadata: {k: ${env:AZURE_OPENAI_API_KEY}}`), which would otherwise show in plans, diffs and
errors. Values shorter than MIN_SECRET are left alone: masking "1" would garble every number.
"""

from __future__ import annotations

import functools
import os
import re
import sys
from collections.abc import Mapping
from pathlib import Path
from typing import Any, TextIO

from reconciler.config.project import load_project
from reconciler.core.rendering.width import MARKER

MASK = "***"
MIN_SECRET = 8
DEFAULT_NAMES = ("AZURE_OPENAI_API_KEY", "AZURE_OPENAI_AD_TOKEN")
_secrets: set[str] = set()


def mask(text: str) -> str:
    for secret in sorted(_secrets, key=len, reverse=True):  # a longer key may hold a shorter
        text = text.replace(secret, MASK)
        if FOLD in text:  # a plan folds long lines (core/rendering/width.py): a cut key too
            text = _folded(secret).sub(MASK, text)
    return text


FOLD = MARKER + "\n"
# Where a fold may cut a value: the marker, the line break, and the next line's indentation
# (spaces, and the sign a diff keeps in front).
_CUT = "(?:" + re.escape(FOLD) + r"[ +\-~#]*)?"


@functools.cache
def _folded(secret: str) -> re.Pattern[str]:
    return re.compile(_CUT.join(re.escape(c) for c in secret))


class _Masked:
    """A text stream that masks what is written to it; everything else is the stream's own."""

    def __init__(self, inner: TextIO) -> None:
        self._inner = inner

    def write(self, text: Any) -> int:
        if not isinstance(text, str):  # click probes for a binary stream with b""
            return int(self._inner.write(text))
        self._inner.write(mask(text))
        return len(text)

    def __getattr__(self, name: str) -> Any:
        return getattr(self._inner, name)


def install() -> None:
    """Mask this process's stdout and stderr (click's runner swaps them in, then back)."""
    if not isinstance(sys.stdout, _Masked):
        sys.stdout = _Masked(sys.stdout)
    if not isinstance(sys.stderr, _Masked):
        sys.stderr = _Masked(sys.stderr)


def protect(directory: Path | None, process: Mapping[str, str] = os.environ) -> None:
    """Mask the values of every credential variable the project may use: the SDK's defaults and
    each environment's api_key_env and ad_token_env."""
    names = set(DEFAULT_NAMES)
    if directory is not None and directory.is_dir():
        project, _ = load_project(directory)
        for env in project.doc.environments.values() if project else ():
            names |= {name for name in (env.api_key_env, env.ad_token_env) if name}
    _secrets.update(v for name in names if len(v := process.get(name, "")) >= MIN_SECRET)
