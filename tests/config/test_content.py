"""Declared files: confinement to the project, content addressing, streamed hashing, types."""

from __future__ import annotations

import hashlib
import os
from pathlib import Path

import pytest

from reconciler.config.content import (
    HASH_CHUNK,
    FileCatalog,
    FileProblem,
    sha256_of,
    type_problem,
)
from reconciler.core.kinds.file import parse_name, upload_name

RETRIEVAL = "c, cpp, docx, html, java, json, md, pdf, php, pptx, py, rb, tex, txt"


@pytest.fixture
def project(tmp_path: Path) -> Path:
    root = tmp_path / "project"
    (root / "docs").mkdir(parents=True)
    (root / "docs" / "faq.md").write_text("# FAQ\n", encoding="utf-8")
    (tmp_path / "outside.md").write_text("secret\n", encoding="utf-8")
    return root


def test_upload_names_keep_the_name_and_carry_twelve_hex_digits_behind_a_marker() -> None:
    sha = "3f9a2c1e77b0" + "0" * 52
    assert upload_name("docs/faq.md", sha) == "faq.sha256-3f9a2c1e77b0.md"
    assert upload_name("a/b/archive.tar.gz", sha) == "archive.tar.sha256-3f9a2c1e77b0.gz"
    assert upload_name("Makefile", sha) == "Makefile.sha256-3f9a2c1e77b0"


def test_upload_names_replace_what_a_multipart_filename_does_not_carry_back() -> None:
    sha = "3f9a2c1e77b0" + "0" * 52
    assert upload_name('docs/Q&A "FAQ".md', sha) == "Q&A _FAQ_.sha256-3f9a2c1e77b0.md"
    assert upload_name("docs/50%\\off\x01.md", sha) == "50__off_.sha256-3f9a2c1e77b0.md"


def test_names_people_write_by_hand_are_not_ours() -> None:
    assert parse_name("notes.202402011200.md") is None  # a timestamp is twelve hex digits
    assert parse_name("faq.3f9a2c1e77b0.md") is None  # the scheme before the marker
    legacy = parse_name("faq.3f9a2c1e77b0.md", legacy=True)
    assert legacy is not None
    assert legacy.legacy
    assert legacy.family == ("faq", ".md")
    current = parse_name("faq.sha256-3f9a2c1e77b0.md")
    assert current is not None
    assert not current.legacy
    assert current.hash == "3f9a2c1e77b0"


def test_hashing_streams_large_files_in_chunks(tmp_path: Path) -> None:
    big = tmp_path / "big.bin"
    data = os.urandom(HASH_CHUNK * 3 + 17)
    big.write_bytes(data)
    assert sha256_of(big) == hashlib.sha256(data).hexdigest()


def test_a_file_is_described_by_its_content(project: Path) -> None:
    catalog = FileCatalog(project)
    described = catalog.describe(project / "docs", "faq.md")
    sha = hashlib.sha256(b"# FAQ\n").hexdigest()
    assert (described.path, described.sha256, described.size) == ("docs/faq.md", sha, 6)
    assert described.upload_name == f"faq.sha256-{sha[:12]}.md"
    assert catalog.describe(project, "docs/faq.md") is described  # hashed once


@pytest.mark.parametrize(
    ("declared", "message"),
    [
        ("../../outside.md", "file '../../outside.md' is outside the project directory"),
        ("/etc/hostname", "file '/etc/hostname' must be a path relative to its manifest"),
        ("", "file '' must be a path relative to its manifest"),
        ("nope.md", "file 'nope.md' does not exist"),
        (".", "file '.' is not a regular file"),
    ],
)
def test_unusable_paths_are_refused(project: Path, declared: str, message: str) -> None:
    with pytest.raises(FileProblem) as raised:
        FileCatalog(project).describe(project / "docs", declared)
    assert str(raised.value) == message


def test_a_link_that_leaves_the_project_is_refused(project: Path) -> None:
    (project / "docs" / "escape.md").symlink_to("../../outside.md")
    with pytest.raises(FileProblem) as raised:
        FileCatalog(project).describe(project / "docs", "escape.md")
    assert (
        str(raised.value) == "file 'escape.md' is a link that leads outside the project directory"
    )


def test_a_link_inside_the_project_is_followed(project: Path) -> None:
    (project / "docs" / "alias.md").symlink_to("faq.md")
    assert FileCatalog(project).describe(project / "docs", "alias.md").path == "docs/faq.md"


def test_empty_files_are_refused(project: Path) -> None:
    (project / "docs" / "empty.txt").write_bytes(b"")
    with pytest.raises(FileProblem) as raised:
        FileCatalog(project).describe(project / "docs", "empty.txt")
    assert str(raised.value) == "file 'empty.txt' is empty; the API rejects empty files"


@pytest.mark.parametrize(
    ("declared", "tools", "problem"),
    [
        ("a.md", {"code_interpreter"}, None),
        ("a.PNG", {"code_interpreter"}, None),
        ("a.md", {"retrieval"}, None),
        ("a.png", {"retrieval", "code_interpreter"}, None),
        (
            "a.md",
            {"function"},
            "file 'a.md' needs a tool that reads files: add code_interpreter or retrieval to tools",
        ),
        (
            "a.png",
            {"retrieval"},
            f"file 'a.png': retrieval cannot read '.png' (accepted: {RETRIEVAL})",
        ),
        (
            "Makefile",
            {"retrieval"},
            f"file 'Makefile': retrieval cannot read a file without an extension (accepted: {RETRIEVAL})",
        ),
    ],
)
def test_file_types_must_suit_the_tools(
    declared: str, tools: set[str], problem: str | None
) -> None:
    assert type_problem(declared, tools) == problem
