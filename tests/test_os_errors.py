"""File-system errors (missing folders, permissions) are a message and exit 4, never a traceback."""

from __future__ import annotations

from pathlib import Path

from tests.conftest import SAMPLE, Run


def test_textconv_of_a_missing_file(cli: Run, tmp_path: Path) -> None:
    result = cli("textconv", str(tmp_path / "missing.yaml"), registry=SAMPLE)
    assert result.exit_code == 4
    assert "missing.yaml" in result.stderr and result.stderr.startswith("error: ")


def test_schema_out_into_an_impossible_folder(cli: Run, tmp_path: Path) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("x", encoding="utf-8")
    result = cli("schema", "--out", str(blocker / "sub"))
    assert result.exit_code == 4 and "error: " in result.stderr


def test_init_under_a_file(cli: Run, tmp_path: Path) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("x", encoding="utf-8")
    result = cli("init", str(blocker / "registry"))
    assert result.exit_code == 4 and "error: " in result.stderr


def test_a_bug_is_one_line_and_exit_70(cli: Run, monkeypatch, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    import committee_cli.services.setup as setup

    def broken(*_: object) -> None:
        raise ZeroDivisionError("boom")

    monkeypatch.setattr(setup, "schemas", broken)
    monkeypatch.delenv("COMMITTEE_DEBUG")
    result = cli("schema")
    assert result.exit_code == 70
    assert "internal error (ZeroDivisionError: boom)" in result.stderr
    assert "Traceback" not in result.output
