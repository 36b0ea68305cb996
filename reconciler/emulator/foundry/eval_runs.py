"""Runs of an eval and their output items: state and rules.

A run is worked out whole when it is created (eval_sources.py makes each row's sample, graders.py
grades it), then shows its progress one step per read, with no timer to race a test: the create
answers `queued`, the next retrieve of the run `in_progress`, the one after that
its outcome, `completed` (or `failed` when no row could run). Output items are listed once the
run has completed. A row whose item breaks the eval's `item_schema`, or whose turn failed, is an
`error` item and counts as `errored`; otherwise it passes when every criterion passed. Cancel
stops a run that has not finished (`canceled`, no output items). `metadata` is kept as sent.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

import jsonschema
from referencing.exceptions import Unresolvable

from reconciler.emulator.core.db import Json, Page, PageQuery
from reconciler.emulator.core.errors import bad_request
from reconciler.emulator.core.listing import page_items
from reconciler.emulator.core.state import new_id
from reconciler.emulator.foundry import eval_sources, evals, graders
from reconciler.emulator.foundry.body_rules import check_metadata, fields, not_found
from reconciler.emulator.foundry.state import Foundry

RUN, ITEM = "foundry.eval_run", "foundry.eval_output_item"
OUTCOME = "_outcome"  # the status and counts a run shows once it is done: kept, never shown
DONE = ("completed", "failed", "canceled")
CREATE_FIELDS = ("name", "metadata", "data_source")


def create(fd: Foundry, eval_id: str, raw: Any, report_base: str) -> Json:
    body = fields(raw, CREATE_FIELDS)
    found = evals.get(fd, eval_id)
    if body.get("data_source") is None:
        message = "Missing required parameter: 'data_source'."
        raise bad_request(message, "data_source", "missing_required_parameter")
    metadata = check_metadata(body.get("metadata"))  # checked before any row runs
    source = eval_sources.parse(fd, body["data_source"])
    name, run_id = _name(body.get("name"), source), new_id("evalrun_")
    items = [
        _output_item(fd, found, source, run_id, index, row) for index, row in enumerate(source.rows)
    ]
    run: Json = {
        "object": "eval.run",
        "id": run_id,
        "eval_id": eval_id,
        "status": "queued",
        "model": source.model,
        "name": name,
        "created_at": fd.now(),
        "report_url": f"{report_base}/{run_id}",
        "result_counts": {"total": 0, "errored": 0, "failed": 0, "passed": 0},
        "per_model_usage": [],
        "per_testing_criteria_results": [],
        "data_source": body["data_source"],
        "metadata": metadata,
        "error": None,
    }
    with fd.state.db.transaction():
        fd.state.db.insert(RUN, fd.scope(eval_id), {**run, OUTCOME: _outcome(found, source, items)})
        for item in items:
            fd.state.db.insert(ITEM, fd.scope(eval_id, run_id), item)
    return run


def get(fd: Foundry, eval_id: str, run_id: str) -> Json:
    """The run, one step further on (a retrieve is what moves it; lists show it as it is)."""
    with fd.state.db.transaction():
        return _shown(_advance(fd, _stored(fd, eval_id, run_id)))


def page(fd: Foundry, eval_id: str, query: PageQuery, status: str | None) -> Page:
    evals.get(fd, eval_id)
    runs = fd.state.db.children(RUN, fd.scope(eval_id))
    chosen = [_shown(run) for run in runs if status is None or run["status"] == status]
    return page_items(chosen, query)


def cancel(fd: Foundry, eval_id: str, run_id: str) -> Json:
    with fd.state.db.transaction():
        run = _stored(fd, eval_id, run_id)
        if run["status"] not in DONE:
            run["status"] = "canceled"
            fd.state.db.replace(RUN, fd.scope(eval_id), run)
            fd.state.db.delete_where(ITEM, parent=fd.scope(eval_id, run_id))
        return _shown(run)


def delete(fd: Foundry, eval_id: str, run_id: str) -> Json:
    with fd.state.db.transaction():
        _stored(fd, eval_id, run_id)
        fd.state.db.delete(RUN, fd.scope(eval_id), run_id)
        fd.state.db.delete_where(ITEM, parent=fd.scope(eval_id, run_id))
    return {"object": "eval.run.deleted", "deleted": True, "run_id": run_id}


def delete_eval(fd: Foundry, eval_id: str) -> Json:
    """Delete an eval with its runs and their output items."""
    with fd.state.db.transaction():
        evals.get(fd, eval_id)
        for run in fd.state.db.children(RUN, fd.scope(eval_id)):
            fd.state.db.delete_where(ITEM, parent=fd.scope(eval_id, run["id"]))
        fd.state.db.delete_where(RUN, parent=fd.scope(eval_id))
        return evals.delete(fd, eval_id)


def page_output(
    fd: Foundry, eval_id: str, run_id: str, query: PageQuery, status: str | None
) -> Page:
    items = _output(fd, eval_id, run_id)
    return page_items([item for item in items if status in (None, item["status"])], query)


def get_output(fd: Foundry, eval_id: str, run_id: str, item_id: str) -> Json:
    found = next((item for item in _output(fd, eval_id, run_id) if item["id"] == item_id), None)
    if found is None:
        raise not_found("Output item", item_id)
    return found


def _output(fd: Foundry, eval_id: str, run_id: str) -> list[Json]:
    run = _stored(fd, eval_id, run_id)
    if run["status"] != "completed":
        return []  # worked out, not yet shown: the run has not been read to its end
    return fd.state.db.children(ITEM, fd.scope(eval_id, run_id))


def _stored(fd: Foundry, eval_id: str, run_id: str) -> Json:
    evals.get(fd, eval_id)
    found = fd.state.db.get(RUN, fd.scope(eval_id), run_id)
    if found is None:
        raise not_found("Run", run_id)
    return found


def _advance(fd: Foundry, run: Json) -> Json:
    if run["status"] in DONE:
        return run
    step = {"status": "in_progress"} if run["status"] == "queued" else run[OUTCOME]
    run = {**run, **step}
    fd.state.db.replace(RUN, fd.scope(run["eval_id"]), run)
    return run


def _shown(run: Json) -> Json:
    return {key: value for key, value in run.items() if key != OUTCOME}


def _name(raw: Any, source: eval_sources.Source) -> str:
    if raw is None:
        return source.model or "run"
    return evals.check_name(raw)


def _output_item(
    fd: Foundry, found: Json, source: eval_sources.Source, run_id: str, index: int, row: Json
) -> Json:
    item = row["item"]
    error = _schema_error(found["data_source_config"], item)
    messages, sample, failure = ([], {}, error) if error else eval_sources.generate(fd, source, row)
    results = [] if failure else [graders.grade(c, item, sample) for c in found["testing_criteria"]]
    status = "error" if failure else ("pass" if all(r["passed"] for r in results) else "fail")
    return {
        "object": "eval.run.output_item",
        "id": new_id("outputitem_"),
        "run_id": run_id,
        "eval_id": found["id"],
        "created_at": fd.now(),
        "status": status,
        "datasource_item_id": index,
        "datasource_item": item,
        "results": results,
        "sample": _sample(source, messages, sample, failure),
    }


def _schema_error(config: Json, item: Json) -> Json | None:
    """The item against the eval's `item_schema` (a custom config's only)."""
    if config.get("type") != "custom":
        return None
    schema = config["schema"]["properties"]["item"]
    try:
        problem = next(iter(jsonschema.Draft202012Validator(schema).iter_errors(item)), None)
    except Unresolvable as error:  # a $ref the schema cannot follow (remote refs are not fetched)
        return {"code": "invalid_item_schema", "message": f"item_schema: {str(error)[:200]}"}
    if problem is None:
        return None
    where = "/".join(str(part) for part in problem.absolute_path) or "item"
    return {
        "code": "invalid_item",
        "message": f"Item does not match item_schema at {where}: {problem.message[:200]}",
    }


def _sample(
    source: eval_sources.Source, messages: list[Json], sample: Json, error: Json | None
) -> Json:
    found = sample.get("usage")
    usage: Json = found if isinstance(found, dict) else {}
    text = sample.get("output_text")
    return {
        "input": [{"role": m["role"], "content": m["content"]} for m in messages],
        "output": [{"role": "assistant", "content": text}] if isinstance(text, str) else [],
        "finish_reason": "stop" if source.turn is not None and error is None else "",
        "model": str(sample.get("model") or source.model),
        "usage": {
            "total_tokens": int(usage.get("total_tokens", 0)),
            "completion_tokens": int(usage.get("output_tokens", 0)),
            "prompt_tokens": int(usage.get("input_tokens", 0)),
            "cached_tokens": 0,
        },
        "error": error,
        "temperature": float(_number(source.sampling, "temperature", 1.0)),
        "max_completion_tokens": int(_number(source.sampling, "max_completion_tokens", 0)),
        "top_p": float(_number(source.sampling, "top_p", 1.0)),
        "seed": int(_number(source.sampling, "seed", 0)),
    }


def _number(sampling: Json, name: str, default: float) -> float:
    """A sampling parameter as sent, when it is a number (the model does not use them)."""
    value = sampling.get(name)
    if isinstance(value, int | float) and not isinstance(value, bool) and abs(value) < 2**53:
        return float(value)
    return default


def _outcome(found: Json, source: eval_sources.Source, items: list[Json]) -> Json:
    graded = [item for item in items if item["status"] != "error"]
    counts = {
        "total": len(items),
        "errored": len(items) - len(graded),
        "failed": sum(1 for item in graded if item["status"] == "fail"),
        "passed": sum(1 for item in graded if item["status"] == "pass"),
    }
    criteria = [
        {
            "testing_criteria": criterion["name"],
            "passed": _count(graded, criterion["name"], True),
            "failed": _count(graded, criterion["name"], False),
        }
        for criterion in found["testing_criteria"]
    ]
    failed = bool(items) and not graded and source.turn is not None
    error = {"code": "all_rows_failed", "message": "No row of the data source could run."}
    return {
        "status": "failed" if failed else "completed",
        "result_counts": counts,
        "per_testing_criteria_results": criteria,
        "per_model_usage": _usage(source, items),
        "error": error if failed else None,
    }


def _count(items: Iterable[Json], name: str, passed: bool) -> int:
    return sum(
        1 for item in items for r in item["results"] if r["name"] == name and r["passed"] is passed
    )


def _usage(source: eval_sources.Source, items: list[Json]) -> list[Json]:
    ran = [item["sample"]["usage"] for item in items if item["sample"]["finish_reason"] == "stop"]
    if source.turn is None or not ran:
        return []
    totals = {key: sum(usage[key] for usage in ran) for key in ran[0]}
    return [{"model_name": source.model, "invocation_count": len(ran), **totals}]
