"""Markdown and text that content cannot break: fences longer than any backtick run, HTML that
content cannot close, a line-ending change shown as one, a byte-order mark left out."""

from __future__ import annotations

import re
from pathlib import Path

from tests.support.broken import invoke, project

MANIFEST = "kind: Assistant\nname: bot\nmodel: gpt-4\ninstructions_file: ../prompt.md\n"
TRICKY = "Answer like this:\n````\ncode\n````\nthen </details> and <summary>x</summary>\n"


def _project(tmp_path: Path, prompt: bytes) -> Path:
    directory = project(tmp_path / "p", "local", MANIFEST)
    (directory / "prompt.md").write_bytes(prompt)
    return directory


def test_instructions_cannot_close_the_code_block_or_the_section(tmp_path: Path) -> None:
    directory = _project(tmp_path, TRICKY.encode())
    markdown = invoke("plan", str(directory), "--format", "markdown").stdout
    section = markdown[markdown.index("<details>") :]
    assert section.startswith("<details><summary><code>+ assistant.bot</code> created</summary>")
    fence = re.findall(r"^(`{3,})diff$", section, re.MULTILINE)
    assert fence == ["`````"]  # longer than the four backticks in the instructions
    assert section.count("\n`````\n") == 1
    assert section.count("</details>") == 1  # the one that closes the section
    assert section.count("<summary>") == 1
    assert "instructions: <<-EOT" in section
    assert "then <\u200b/details> and <\u200bsummary>x<\u200b/summary>" in section


def test_a_change_of_line_endings_only_is_shown_as_one(tmp_path: Path) -> None:
    directory = _project(tmp_path, b"Line one.\nLine two.\n")
    assert invoke("apply", str(directory), "--auto-approve").returncode == 0
    (directory / "prompt.md").write_bytes(b"Line one.\r\nLine two.\r\n")
    text = invoke("plan", str(directory)).stdout
    assert "      ~ instructions:\n          line endings changed: LF -> CRLF\n" in text
    markdown = invoke("plan", str(directory), "--format", "markdown").stdout
    assert "  instructions:\n! line endings changed: LF -> CRLF\n" in markdown


def test_a_byte_order_mark_in_a_prompt_file_is_not_sent(tmp_path: Path) -> None:
    directory = _project(tmp_path, b"\xef\xbb\xbfHello.\n")
    assert invoke("apply", str(directory), "--auto-approve").returncode == 0
    (directory / "prompt.md").write_bytes(b"Hello.\n")  # the same text, without the mark
    assert invoke("plan", str(directory), "--detailed-exitcode").returncode == 0
    live = invoke("plan", str(directory), "--format", "json").stdout
    assert '"instructions": "Hello.\\n"' in live
