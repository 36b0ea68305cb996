"""Request counts of plan, apply and destroy: the reads, then one request per necessary change.

Counted per route by the emulator, so exact and deterministic. The reads are the assistant list,
read from both ends at once, and one file list beside it. With T assistants of every owner:

    T <= 100:  1 assistant page
    T >  100:  2k - 1 assistant pages in k = floor((T + 300) / 200) rounds

(the first ascending page alone, then rounds of one ascending and one descending page until the
two chains overlap: tests/support/reads.py, reconciler/api/paging.py). So 101..299 assistants cost 3
pages in 2 rounds, 300..499 cost 5 in 3, where one chain took ceil(T/100) pages one after
another. Wall time is the benchmark's business (benchmarks/scale.py), never a test's.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from pathlib import Path

import httpx
import pytest
from click.testing import CliRunner

from reconciler.cli import main
from reconciler.emulator import Emulator
from reconciler.emulator.server import BackgroundServer
from tests.support.clients import KEY
from tests.support.reads import assistant_pages

ENV = {"AZURE_OPENAI_API_KEY": KEY, "NO_COLOR": "1"}
BEARER = {"Authorization": "Bearer entra-token"}
LIST_ASSISTANTS, LIST_FILES = "GET /openai/assistants", "GET /openai/files"
CREATE, MODIFY = "POST /openai/assistants", "POST /openai/assistants/{assistantId}"
DELETE = "DELETE /openai/assistants/{assistantId}"
UPLOAD, DELETE_FILE = "POST /openai/files", "DELETE /openai/files/{fileId}"
MANIFEST = """kind: Assistant
name: bot-{i}
model: gpt-4
instructions: {instructions}
tools:
  - type: code_interpreter
  - type: function
    function:
      name: lookup_order
      parameters: {{type: object, properties: {{id: {{type: string}}}}, required: [id]}}
files: [{files}]
metadata: {{team: team-{i}}}
"""


@dataclass(frozen=True)
class Project:
    """N assistants, each with 3 of a pool of N/2 files; `others` assistants of nobody beside."""

    root: Path
    count: int
    others: int

    @property
    def pool(self) -> int:
        return self.count // 2

    def files_of(self, i: int) -> list[int]:
        return [(i + k) % self.pool for k in range(3)]

    def write_manifest(self, i: int, revision: int = 1) -> None:
        files = ", ".join(f"../docs/kb-{f}.md" for f in self.files_of(i))
        text = MANIFEST.format(i=i, instructions=f"Help team {i} (r{revision}).", files=files)
        (self.root / "assistants" / f"bot-{i}.yaml").write_text(text, encoding="utf-8")

    def write_file(self, f: int, revision: int = 1) -> None:
        text = f"# Knowledge {f}, revision {revision}\n"
        (self.root / "docs" / f"kb-{f}.md").write_text(text, encoding="utf-8")

    def run(self, *args: str) -> None:
        result = CliRunner().invoke(main, [*args, str(self.root), "--auto-approve"], env=ENV)
        assert result.exit_code == 0, result.output


def reads(assistants: int) -> dict[str, int]:
    return {LIST_ASSISTANTS: assistant_pages(assistants), LIST_FILES: 1}


@pytest.fixture(params=[(10, 0), (150, 60)], ids=["N=10", "N=150+60-others"])
def project(
    request: pytest.FixtureRequest, tmp_path: Path, server: BackgroundServer, api: httpx.Client
) -> Project:
    count, others = request.param
    return write_project(tmp_path, server.url, api, count, others)


def write_project(root: Path, url: str, api: httpx.Client, count: int, others: int) -> Project:
    made = Project(root, count, others)
    (root / "assistants").mkdir()
    (root / "docs").mkdir()
    (root / "reconciler.yaml").write_text(
        f"project: counts\nenvironments:\n  test: {{endpoint: '{url}'}}\n",
        encoding="utf-8",
    )
    for f in range(made.pool):
        made.write_file(f)
    for i in range(count):
        made.write_manifest(i)
    for i in range(others):  # belong to nobody: read for paging, never touched
        assert api.post("/assistants", json={"model": "m", "name": f"other-{i}"}).is_success
    return made


def counted(emulator: Emulator) -> dict[str, int]:
    requests: dict[str, int] = emulator.stats.snapshot()["requests"]
    return requests


def applied(project: Project, emulator: Emulator) -> None:
    project.run("apply")
    emulator.stats.clear()


def test_apply_from_empty_is_the_reads_then_one_request_per_file_and_assistant(
    project: Project, emulator: Emulator
) -> None:
    emulator.stats.clear()
    project.run("apply")
    assert counted(emulator) == {
        **reads(project.others),
        UPLOAD: project.pool,
        CREATE: project.count,  # files attached in the create body: no attach calls
    }


def test_a_no_op_plan_is_the_reads_alone(project: Project, emulator: Emulator) -> None:
    applied(project, emulator)
    result = CliRunner().invoke(main, ["plan", str(project.root), "--detailed-exitcode"], env=ENV)
    assert result.exit_code == 0, result.output
    total = project.count + project.others
    assert counted(emulator) == reads(total)
    assert sum(counted(emulator).values()) == {10: 2, 210: 4}[total]


LONG_LISTS = {  # (others beside our 10, the server ignores `before`): assistant pages
    (340, False): 5,  # T = 350: 3 ascending pages, 2 descending; 3 rounds where one chain took 4
    (340, True): 6,  # the 2nd descending page crosses `before`: 4 ascending pages then, as of old
    (440, False): 5,  # T = 450: 3 + 2 in 3 rounds, where one chain took 5
    (440, True): 5,  # the chains meet before `before` is crossed: nothing to notice
}


@pytest.mark.parametrize(("others", "ignore_before"), list(LONG_LISTS))
def test_a_no_op_plan_on_a_long_list_reads_it_from_both_ends(
    tmp_path: Path, server: BackgroundServer, api: httpx.Client, others: int, ignore_before: bool
) -> None:
    emulator = server.emulator
    assert isinstance(emulator, Emulator)
    made = write_project(tmp_path, server.url, api, 10, others)
    applied(made, emulator)
    emulator.faults.update({"ignore_before": ignore_before})
    result = CliRunner().invoke(main, ["plan", str(made.root), "--detailed-exitcode"], env=ENV)
    assert result.exit_code == 0, result.output
    pages = LONG_LISTS[others, ignore_before]
    assert counted(emulator) == {LIST_ASSISTANTS: pages, LIST_FILES: 1}
    assert ignore_before or pages == assistant_pages(10 + others)


def test_changing_a_tenth_of_assistants_and_a_twentieth_of_files(
    project: Project, emulator: Emulator
) -> None:
    applied(project, emulator)
    edited = [i for i in range(project.count) if i % 10 == 0]
    changed = [f for f in range(project.pool) if f % 20 == 0]
    for i in edited:
        project.write_manifest(i, revision=2)
    for f in changed:
        project.write_file(f, revision=2)
    users = {i for i in range(project.count) if set(project.files_of(i)) & set(changed)}
    project.run("apply")
    assert counted(emulator) == {
        **reads(project.count + project.others),
        UPLOAD: len(changed),
        MODIFY: len(set(edited) | users),
        DELETE_FILE: len(changed),  # the old contents: no assistant uses them any more
    }


def test_destroy_is_the_reads_then_one_delete_per_assistant_and_file(
    project: Project, emulator: Emulator
) -> None:
    applied(project, emulator)
    project.run("destroy")
    assert counted(emulator) == {
        **reads(project.count + project.others),
        DELETE: project.count,
        DELETE_FILE: project.pool,
    }


# Foundry agents: a no-op plan reads list pages only. Agents: ceil(A/100) + 1 pages (the SDK's
# paging: a page with a null last_id ends the list, so a last full page costs one empty page);
# vector stores: max(1, ceil(S/100)); files: one list (10,000 a page); and one file list per
# store of ours, whose files the planner compares with the declared knowledge; and the project's
# connections and deployments, one page each (what tools and models name is checked against them).
PROJECT_ROUTE = "GET /api/projects/{project}"
AGENT_PAGES, STORES = f"{PROJECT_ROUTE}/agents", f"{PROJECT_ROUTE}/openai/v1/vector_stores"
FOUNDRY_FILES, STORE_FILES = (
    f"{PROJECT_ROUTE}/openai/v1/files",
    f"{STORES}/{{vector_store_id}}/files",
)
CONNECTIONS, DEPLOYMENTS = f"{PROJECT_ROUTE}/connections", f"{PROJECT_ROUTE}/deployments"
TOOLBOXES = f"{PROJECT_ROUTE}/toolboxes"  # issue 25
AGENT = """kind: Agent
name: bot-{i}
model: gpt-4o
instructions: Help team {i}.
tools:
  - type: code_interpreter
    files: [../data/table-{i}.csv]
  - type: file_search
    files: [../docs/kb-{k}.md]
metadata: {{team: team-{i}}}
"""


@pytest.mark.parametrize(
    ("count", "knowledge", "others"), [(10, 4, 0), (150, 30, 60)], ids=["A=10", "A=150+60-others"]
)
def test_a_foundry_no_op_plan_is_list_pages_alone(
    tmp_path: Path,
    server: BackgroundServer,
    emulator: Emulator,
    count: int,
    knowledge: int,
    others: int,
) -> None:
    endpoint = f"{server.url}/api/projects/counts"
    (tmp_path / "reconciler.yaml").write_text(
        "project: counts\nmanifests: [agents/]\nenvironments:\n"
        f"  test: {{api: foundry, endpoint: '{endpoint}', ad_token_env: FOUNDRY_TOKEN}}\n",
        encoding="utf-8",
    )
    for folder in ("agents", "docs", "data"):
        (tmp_path / folder).mkdir()
    for k in range(knowledge):
        (tmp_path / "docs" / f"kb-{k}.md").write_text(f"# Knowledge {k}\n", encoding="utf-8")
    for i in range(count):
        (tmp_path / "data" / f"table-{i}.csv").write_text(f"id,team\n{i},{i}\n", encoding="utf-8")
        manifest = AGENT.format(i=i, k=i % knowledge)
        (tmp_path / "agents" / f"bot-{i}.yaml").write_text(manifest, encoding="utf-8")
    with httpx.Client(base_url=endpoint, params={"api-version": "v1"}, headers=BEARER) as theirs:
        for i in range(others):  # agents and stores of nobody: read for paging, never touched
            body = {"definition": {"kind": "prompt", "model": "gpt-4o"}}
            assert theirs.post(f"/agents/other-{i}/versions", json=body).is_success
            assert theirs.post("/openai/v1/vector_stores", json={"name": f"theirs-{i}"}).is_success
    env = {**ENV, "FOUNDRY_TOKEN": "entra-token"}
    applying = CliRunner().invoke(main, ["apply", str(tmp_path), "--auto-approve"], env=env)
    assert applying.exit_code == 0, applying.output
    emulator.stats.clear()
    planning = CliRunner().invoke(main, ["plan", str(tmp_path), "--detailed-exitcode"], env=env)
    assert planning.exit_code == 0, planning.output
    assert counted(emulator) == {
        AGENT_PAGES: math.ceil((count + others) / 100) + 1,
        STORES: max(1, math.ceil((knowledge + others) / 100)),
        FOUNDRY_FILES: 1,  # count + knowledge uploads, one page
        STORE_FILES: knowledge,
        CONNECTIONS: 1,
        DEPLOYMENTS: 1,
        TOOLBOXES: 1,  # the project's toolboxes, one page
    }
