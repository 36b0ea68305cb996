"""file_search over a project's vector stores: a lexical ranking of the ingested files' text.

The files of the tool's stores whose ingestion `completed` are split into passages (blocks of
text between blank lines). A passage scores the share of the query's distinct terms (words of
three letters or more, lower-cased, common English words left out) that it contains, plus a
thousandth per further occurrence, so the same query over the same files ranks the same way;
ties keep file then passage order. The best `max_num_results` (default 10) passages with a
score above 0 are the results: real file ids and filenames, the passage as the quote. The reply
quotes the best three, each by its first line holding a query term (text before headings), and cites each file once
(`file_citation`).

The call item is `file_search_call` with the query; its `results` are filled only when the
request's `include` asks for `file_search_call.results`, as the service does.
"""

from __future__ import annotations

import re

from reconciler.emulator.core.db import Json
from reconciler.emulator.core.state import new_id
from reconciler.emulator.foundry import ingestion
from reconciler.emulator.foundry.definitions import FILE, VECTOR_STORE
from reconciler.emulator.foundry.model import Ran
from reconciler.emulator.foundry.state import Foundry

DEFAULT_RESULTS = 10
INCLUDE = "file_search_call.results"
QUOTE_CHARS = 1000
SUMMARISED, QUOTE_LINE = 3, 120  # the reply quotes the best 3 passages, a line of each
_COMMON = """the and for are but not you all any can had her was one our out has him his how man
new now old see two way who did its let put say she too use tell about what when where which with
this that from your have they them then than there their these those into please would could"""
STOPWORDS = frozenset(_COMMON.split())


def search(fd: Foundry, tool: Json, query: str, include: list[str]) -> Ran:
    terms = _terms(query)
    passages = [{**item, "score": _score(item["text"], terms)} for item in _passages(fd, tool)]
    scored = sorted((item for item in passages if item["score"]), key=lambda i: -i["score"])
    limit = tool.get("max_num_results") or DEFAULT_RESULTS
    found = [_result(item) for item in scored[:limit]]
    call: Json = {
        "id": new_id("fs_"),
        "type": "file_search_call",
        "status": "completed",
        "queries": [query],
        "results": found if INCLUDE in include else None,
    }
    if not found:
        return Ran([call], "file_search found nothing")
    quotes = [f"{r['filename']}: {_quote(r['text'], terms)}" for r in found[:SUMMARISED]]
    summary = "file_search: " + "; ".join(quotes)
    cited = {r["file_id"]: r["filename"] for r in found}
    notes = [
        {"type": "file_citation", "file_id": file_id, "filename": name}
        for file_id, name in cited.items()
    ]
    return Ran([call], summary, notes)


def _passages(fd: Foundry, tool: Json) -> list[Json]:
    passages = []
    for store_id in tool.get("vector_store_ids") or []:
        if fd.state.db.get(VECTOR_STORE, fd.scope(), store_id) is None:
            continue
        for row in ingestion.settle(fd, store_id):
            record = fd.state.db.get(FILE, fd.scope(), row["id"])
            if row["status"] != "completed" or record is None:
                continue
            text = (fd.state.db.get_blob(row["id"]) or b"").decode("utf-8", "replace")
            for block in re.split(r"\n\s*\n", text):
                if block.strip():
                    passages.append(
                        {"file": record, "text": block.strip(), "attributes": row["attributes"]}
                    )
    return passages


def _terms(text: str) -> set[str]:
    return {word for word in re.findall(r"[a-z0-9]{3,}", text.lower()) if word not in STOPWORDS}


def _score(text: str, terms: set[str]) -> float:
    if not terms:
        return 0.0
    words = re.findall(r"[a-z0-9]{3,}", text.lower())
    hits = [word for word in words if word in terms]
    return round(len(set(hits)) / len(terms) + 0.001 * (len(hits) - len(set(hits))), 4)


def _result(item: Json) -> Json:
    record = item["file"]
    return {
        "file_id": record["id"],
        "filename": record["filename"],
        "score": item["score"],
        "text": item["text"][:QUOTE_CHARS],
        "attributes": item["attributes"],
    }


def _quote(text: str, terms: set[str]) -> str:
    """The passage's first line of text (not a heading) with a query term, else its first line
    with one, else its first line; markup stripped."""
    lines = [line.strip() for line in text.splitlines() if line.strip(" #*-\t")]
    with_term = [line for line in lines if _terms(line) & terms]
    prose = [line for line in with_term if not line.startswith("#")]
    best = (prose or with_term or lines or [""])[0]
    return best.strip(" #*-\t")[:QUOTE_LINE]
