"""Property: any valid manifest round-trips through YAML text -> load -> model -> dump."""

from __future__ import annotations

import io
from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st
from ruamel.yaml import YAML

from reconciler.config.document import AssistantDoc, check_document
from reconciler.config.source import load_documents

names = st.from_regex(r"[a-z0-9]([a-z0-9._-]{0,20}[a-z0-9])?", fullmatch=True)
text = st.text(st.characters(blacklist_categories=["Cs", "Cc"]), max_size=40)
functions = st.fixed_dictionaries(
    {"name": st.from_regex(r"[a-zA-Z0-9_-]{1,20}", fullmatch=True)},
    optional={
        "description": text,
        "parameters": st.just(
            {"type": "object", "properties": {"id": {"type": "string"}}, "required": ["id"]}
        ),
    },
)
tools = st.one_of(
    st.just({"type": "code_interpreter"}),
    st.just({"type": "retrieval"}),
    st.builds(lambda f: {"type": "function", "function": f}, functions),
)
manifests = st.fixed_dictionaries(
    {"kind": st.just("Assistant"), "name": names, "model": text},
    optional={
        "display_name": text,
        "description": text,
        "instructions": text,
        "tools": st.lists(tools, max_size=4),
        "files": st.lists(st.from_regex(r"docs/[a-z]{1,8}\.md", fullmatch=True), max_size=3),
        "metadata": st.dictionaries(names, text, max_size=4),
        "lifecycle": st.fixed_dictionaries(
            {},
            optional={
                "prevent_destroy": st.booleans(),
                "ignore_changes": st.lists(
                    st.sampled_from(["model", "tools", "metadata"]), max_size=3
                ),
            },
        ),
    },
)


def dump(data: dict[str, Any]) -> str:
    stream = io.StringIO()
    # The C emitter: the pure one writes `model: :0` unquoted in flow style, which is not YAML.
    yaml = YAML(typ="safe")
    yaml.dump_all([data, data], stream)
    return stream.getvalue()


@settings(max_examples=150, deadline=None)
@given(manifests)
def test_valid_manifests_round_trip(data: dict[str, Any]) -> None:
    documents, problems = load_documents("m.yaml", dump(data))
    assert problems == []
    assert [d.data for d in documents] == [data, data]
    model, problems = check_document(AssistantDoc, documents[0])
    assert problems == []
    assert model is not None
    assert model.model_dump(exclude_unset=True, exclude_none=False) == data
