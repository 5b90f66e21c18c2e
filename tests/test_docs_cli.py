"""docs/cli.md is the commands' own help, in both languages, and never stale."""

from __future__ import annotations

from tests.conftest import ROOT
from tools import docgen


def test_cli_reference_is_up_to_date() -> None:
    page = (ROOT / "docs" / "cli.md").read_text(encoding="utf-8")
    assert page == docgen.render(), "docs/cli.md is stale: run python -m tools.docgen"


def test_cli_reference_covers_every_command_in_both_languages() -> None:
    page = (ROOT / "docs" / "cli.md").read_text(encoding="utf-8")
    for path in docgen.command_paths():
        title = " ".join(("committee", *path))
        assert f"### {title}\n" in page and f"### {title} (vi)\n" in page
    assert page.count("Usage: committee") == page.count("Cách dùng: committee") == len(
        docgen.command_paths())


def test_a_changed_help_text_makes_the_page_stale(monkeypatch) -> None:  # type: ignore[no-untyped-def]
    real = docgen.help_text
    monkeypatch.setattr(docgen, "help_text", lambda path, language: real(path, language) + "x\n")
    assert docgen.main(["--check"]) == 1
