"""Import of assistants whose files have no extension, and what adoption leaves behind."""

from __future__ import annotations

from pathlib import Path

import httpx

from tests.cli.test_import import live, make, project, run, run_import, upload

__all__ = ["project"]  # the fixture, used by name


def test_files_without_an_extension_are_imported_then_adopted(
    project: Path, api: httpx.Client
) -> None:
    readme, hidden = upload(api, "README", b"read me\n"), upload(api, ".hidden", b"secret\n")
    bot = make(api, name="Bot", tools=[{"type": "code_interpreter"}], file_ids=[readme, hidden])
    result = run_import(str(project), "--select", bot)
    assert result.exit_code == 0, result.output
    files = project / "assistants/files/bot"
    assert (files / "README.txt").read_bytes() == b"read me\n"
    assert (files / ".hidden.txt").read_bytes() == b"secret\n"
    assert (
        f"Note: {bot}: its file 'README' has no extension; written as 'README.txt' so that its "
        "tools can read it\n" in result.stdout
    )
    assert (
        f"Note: {bot}: after apply it uses uploaded copies of 'README' ({readme}), '.hidden' "
        f"({hidden}); the hand-made files stay on the endpoint: delete them once nothing uses "
        "them\n" in result.stdout
    )
    assert run("apply", str(project), "--auto-approve").exit_code == 0
    assert run("plan", str(project), "--detailed-exitcode").exit_code == 0
    assert readme not in live(api)[bot]["file_ids"]
