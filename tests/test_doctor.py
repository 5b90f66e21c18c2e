"""`committee doctor`: what it finds, what it says to do, and its exit code."""

from __future__ import annotations

import json
import os
import shutil
import stat
import sys
from pathlib import Path

import pytest

from tests.conftest import Run


def _fake_bin(tmp_path: Path, font: str | None, git: bool = True) -> Path:
    """A PATH holding only the tools named: a real git (if asked) and a fake fc-match."""
    folder = tmp_path / "bin"
    folder.mkdir()
    if git:
        (folder / "git").symlink_to(shutil.which("git") or "/usr/bin/git")
    if font is not None:
        script = folder / "fc-match"
        script.write_text(f"#!/bin/sh\nprintf '%s' '{font}'\n", encoding="utf-8")
        script.chmod(script.stat().st_mode | stat.S_IXUSR)
    return folder


def _doctor(cli: Run, *args: str, registry: Path | None = None) -> tuple[int, dict]:  # type: ignore[type-arg]
    result = cli("doctor", "--format", "json", *args, registry=registry)
    return result.exit_code, json.loads(result.stdout)


def _status(report: dict, name: str) -> dict:  # type: ignore[type-arg]
    return next(c for c in report["checks"] if c["check"] == name)


def test_a_ready_computer_passes(cli: Run, sample: Path) -> None:
    result = cli("doctor", registry=sample)
    assert result.exit_code == 0, result.output
    for name in ("python", "git", "registry", "schema", "cache", "fonts", "language"):
        assert any(line.split()[1:2] == [name] for line in result.stdout.splitlines()), name
    assert "essential checks passed" in result.output


def test_in_vietnamese(cli: Run, sample: Path) -> None:
    result = cli("--lang", "vi", "doctor", registry=sample)
    assert result.exit_code == 0
    assert "các kiểm tra thiết yếu đều đạt" in result.output
    assert "phiên bản lược đồ 1" in result.stdout


def test_without_git_it_fails_and_says_how_to_install_it(cli: Run, sample: Path, tmp_path: Path,
                                                         monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PATH", str(_fake_bin(tmp_path, "Liberation Serif", git=False)))
    code, report = _doctor(cli, registry=sample)
    assert code == 1 and report["healthy"] is False
    git = _status(report, "git")
    assert git["status"] == "fail" and "apt-get install git" in git["fix"]
    text = cli("doctor", registry=sample)
    assert text.exit_code == 1 and "FAIL" in text.stdout
    assert "an essential check failed" in text.stderr


@pytest.mark.parametrize(("font", "status"), [("Liberation Serif", "ok"), ("Times New Roman", "ok"),
                                              ("DejaVu Serif", "warn")])
def test_fonts_for_pdf(cli: Run, sample: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                       font: str, status: str) -> None:
    monkeypatch.setenv("PATH", str(_fake_bin(tmp_path, font)))
    code, report = _doctor(cli, registry=sample)
    fonts = _status(report, "fonts")
    assert fonts["status"] == status and font in fonts["found"]
    assert code == 0  # fonts only warn
    if status == "warn":
        assert "fonts-liberation2" in fonts["fix"]


def test_without_fontconfig_it_says_what_to_install(cli: Run, sample: Path, tmp_path: Path,
                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PATH", str(_fake_bin(tmp_path, None)))
    _, report = _doctor(cli, registry=sample)
    fonts = _status(report, "fonts")
    assert fonts["status"] == "warn" and "fontconfig" in fonts["fix"]
    soffice = _status(report, "libreoffice")
    assert soffice["status"] == "warn" and "libreoffice-writer-nogui" in soffice["fix"]


def test_a_folder_that_is_not_a_registry_fails(cli: Run, tmp_path: Path) -> None:
    code, report = _doctor(cli, registry=tmp_path)
    registry = _status(report, "registry")
    assert code == 1 and registry["status"] == "fail" and "committee init DIR" in registry["fix"]


def test_a_newer_schema_version_fails(cli: Run, sample: Path) -> None:
    config = sample / "registry.yaml"
    text = config.read_text(encoding="utf-8")
    config.write_text(text.replace("schema_version: 1", "schema_version: 7"), encoding="utf-8")
    code, report = _doctor(cli, registry=sample)
    schema = _status(report, "schema")
    assert code == 1 and schema["status"] == "fail" and "upgrade committee-cli" in schema["fix"]


def test_an_unwritable_cache_only_warns(cli: Run, sample: Path, tmp_path: Path,
                                        monkeypatch: pytest.MonkeyPatch) -> None:
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("", encoding="utf-8")
    monkeypatch.setenv("COMMITTEE_CACHE_DIR", str(blocker / "cache"))
    code, report = _doctor(cli, registry=sample)
    cache = _status(report, "cache")
    assert code == 0 and cache["status"] == "warn" and "COMMITTEE_CACHE_DIR" in cache["fix"]


def test_the_sample_is_named_when_no_registry_is_around(cli: Run, tmp_path: Path,
                                                        monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    code, report = _doctor(cli)
    assert code == 0 and "the sample shipped with committee-cli" in _status(report, "registry")["found"]


def test_python_is_checked() -> None:
    from committee_cli.services.doctor import check_python

    found = check_python()
    assert found.status == "ok" and sys.executable in found.found and os.sep in found.found
