"""Make openai.evals-conversations-responses.json from upstream's openapi.json (PROVENANCE.md).

    python vendor.py path/to/openai-openapi/openapi.json > openai.evals-conversations-responses.json

Keeps the paths the emulator serves for evals, conversations and responses and every schema they
reach through `$ref` (transitively), then drops the annotations a validator does not read
(`description`, `summary`, `example`, `examples`, `x-oaiMeta`); a property that happens to carry
one of those names is kept. Everything else is copied unchanged.
"""

from __future__ import annotations

import json
import re
import sys
from typing import Any

PATHS = re.compile(r"^/(evals|conversations)(/|$)|^/responses(/\{response_id\}(/input_items)?)?$")
ANNOTATIONS = {"description", "summary", "example", "examples", "x-oaiMeta"}
MAPS = {"properties", "patternProperties", "schemas", "responses", "parameters", "content"}


def refs(node: Any) -> list[str]:
    if isinstance(node, dict):
        return [v for k, v in node.items() if k == "$ref"] + [
            r for v in node.values() for r in refs(v)
        ]
    if isinstance(node, list):
        return [r for v in node for r in refs(v)]
    return []


def strip(node: Any, is_map: bool = False) -> Any:
    if isinstance(node, dict):
        return {
            k: strip(v, k in MAPS and not is_map)
            for k, v in node.items()
            if is_map or k not in ANNOTATIONS
        }
    if isinstance(node, list):
        return [strip(v) for v in node]
    return node


def main(source: str) -> None:
    with open(source, encoding="utf-8") as handle:
        spec = json.load(handle)
    paths = {p: item for p, item in spec["paths"].items() if PATHS.search(p)}
    kept: dict[str, dict[str, Any]] = {}
    pending = refs(paths)
    while pending:
        ref = pending.pop()
        _, _, kind, name = ref.split("/", 3)
        if name not in kept.setdefault(kind, {}):
            kept[kind][name] = spec["components"][kind][name]
            pending += refs(kept[kind][name])
    out = {"openapi": spec["openapi"], "info": spec["info"], "paths": paths, "components": kept}
    json.dump(strip(out), sys.stdout, indent=1, sort_keys=False)
    sys.stdout.write("\n")


if __name__ == "__main__":
    main(sys.argv[1])
