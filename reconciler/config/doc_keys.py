"""The keys a pydantic model accepts at a path of a document, for did-you-mean suggestions."""

from __future__ import annotations

import types
from typing import Annotated, Any, Union, get_args, get_origin

from pydantic import BaseModel


def allowed_keys(model: Any, loc: tuple[Any, ...]) -> list[str]:
    """The keys the model accepts at `loc`, for did-you-mean suggestions."""
    current: Any = model
    for part in loc:
        current = _step(current, part)
    current = _unwrap(current)
    if not (isinstance(current, type) and issubclass(current, BaseModel)):
        return []
    return [info.alias or name for name, info in current.model_fields.items()]


def _step(annotation: Any, part: Any) -> Any:
    annotation = _unwrap(annotation)
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        fields = {info.alias or name: info for name, info in annotation.model_fields.items()}
        return fields[part].annotation if part in fields else None
    if get_origin(annotation) in (list, dict):
        return get_args(annotation)[-1]
    for member in _members(annotation):  # a tagged union: the member whose type is `part`
        if part in get_args(member.model_fields["type"].annotation):
            return member
    return None


def _unwrap(annotation: Any) -> Any:
    while get_origin(annotation) is Annotated:
        annotation = get_args(annotation)[0]
    if get_origin(annotation) in (Union, types.UnionType):
        real = [a for a in get_args(annotation) if a is not type(None)]
        if len(real) == 1:
            return _unwrap(real[0])
    return annotation


def _members(annotation: Any) -> list[Any]:
    if get_origin(annotation) in (Union, types.UnionType):
        return [m for m in get_args(annotation) if isinstance(m, type) and issubclass(m, BaseModel)]
    return []
