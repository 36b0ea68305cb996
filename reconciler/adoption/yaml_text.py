"""Manifests as YAML text, written the same way by `migrate` and `import`: keys in the order
given, block style, and strings of several lines as literal blocks (`|`), as people write
instructions and schemas by hand."""

from __future__ import annotations

import io
from typing import Any

from ruamel.yaml import YAML

WIDTH = 100


class _Block(str):
    """A string of several lines, written as a YAML literal block (`|`)."""


def dump_yaml(data: Any) -> str:
    yaml = YAML(typ="safe", pure=True)
    yaml.default_flow_style = False
    yaml.allow_unicode = True
    yaml.width = WIDTH
    yaml.indent(mapping=2, sequence=4, offset=2)
    yaml.representer.sort_base_mapping_type_on_output = False  # keep the order written
    # Where a block cannot hold the string exactly (trailing spaces, say), ruamel quotes it.
    yaml.representer.add_representer(
        _Block, lambda r, s: r.represent_scalar("tag:yaml.org,2002:str", str(s), style="|")
    )
    stream = io.StringIO()
    yaml.dump(_blocks(data), stream)
    return stream.getvalue()


def _blocks(value: Any) -> Any:
    if isinstance(value, str) and "\n" in value.rstrip("\n"):
        return _Block(value)
    if isinstance(value, dict):
        return {key: _blocks(item) for key, item in value.items()}
    if isinstance(value, list):
        return [_blocks(item) for item in value]
    return value
