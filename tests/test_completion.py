"""Shell completion (Typer's, for bash, zsh and fish), with record ids read from file names."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from committee_cli.cli.app import app
from committee_cli.cli.complete import FOLDERS, record_ids
from committee_cli.model.records import KINDS
from tests.conftest import SAMPLE


def complete(words: str, shell: str = "bash", registry: Path | None = None,
             env: dict[str, str] | None = None) -> list[str]:
    """What the shell would offer after typing ``words`` (ending in a space: a new word)."""
    parts = words.split(" ")
    extra = {"_COMMITTEE_COMPLETE": f"complete_{shell}"}
    if shell == "bash":
        extra |= {"COMP_WORDS": words, "COMP_CWORD": str(len(parts) - 1)}
    else:
        extra |= {"_TYPER_COMPLETE_ARGS": words, "_TYPER_COMPLETE_FISH_ACTION": "get-args"}
    if registry is not None:
        extra["COMMITTEE_REGISTRY"] = str(registry)
    result = CliRunner().invoke(app, [], env={**extra, **(env or {})}, prog_name="committee")
    assert result.exit_code == 0, result.output
    return [line for line in result.stdout.splitlines() if line]


def test_folders_match_the_record_kinds() -> None:
    for kind, folder in FOLDERS.items():
        assert KINDS[kind][0] == folder


def test_commands_complete(sample: Path) -> None:
    assert "members" in complete("committee mem", registry=sample)
    assert complete("committee amend seat re", registry=sample) == ["replace"]


def test_committee_ids_complete(sample: Path) -> None:
    assert complete("committee members ", registry=sample) == record_ids(sample, "committee")
    assert complete("committee members bcd-c", registry=sample) == ["bcd-cpdt"]
    assert complete("committee render roster bcd", registry=sample) == ["bcd-cpdt"]


def test_seat_ids_complete(sample: Path) -> None:
    offered = complete("committee amend seat replace bcd-cpdt-0", registry=sample)
    assert "bcd-cpdt-05" in offered and all(s.startswith("bcd-cpdt-0") for s in offered)
    assert offered == sorted(p.stem for p in (sample / "seats").glob("bcd-cpdt-0*.yaml"))


def test_person_and_decision_ids_complete(sample: Path) -> None:
    people = complete("committee amend seat replace bcd-cpdt-05 --person tr", registry=sample)
    assert people == ["truong-hai-long"]
    assert complete("committee person pham", registry=sample) == ["pham-thi-thanh-tra"]
    assert complete("committee render decision qd-9", registry=sample) == ["qd-913-2021"]
    assert complete("committee amend seat end bcd-cpdt-05 --decision q", registry=sample) == [
        "qd-913-2021"]
    assert complete("committee decision sign ", registry=sample) == record_ids(sample, "decision")


def test_a_new_record_completes_at_once_and_yaml_is_never_read(sample: Path) -> None:
    (sample / "people" / "nguyen-van-a.yaml").write_text("not: [valid yaml", encoding="utf-8")
    (sample / "people" / ".hidden.yaml").write_text("", encoding="utf-8")
    assert complete("committee amend person update ng", registry=sample) == ["nguyen-van-a"]


def test_the_registry_option_on_the_line_is_used(sample: Path, tmp_path: Path) -> None:
    other = tmp_path / "other"
    (other / "committees").mkdir(parents=True)
    (other / "committees" / "bcd-khac.yaml").write_text("", encoding="utf-8")
    assert complete(f"committee --registry {other} members ", registry=sample) == ["bcd-khac"]


def test_without_a_registry_the_sample_is_listed(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("COMMITTEE_REGISTRY", raising=False)
    assert complete("committee members ") == record_ids(SAMPLE, "committee")
    assert "bcd-cpdt" in record_ids(SAMPLE, "committee")


def test_a_missing_folder_offers_nothing(tmp_path: Path) -> None:
    assert complete("committee members ", registry=tmp_path / "nowhere") == []


@pytest.mark.parametrize("shell", ["zsh", "fish"])
def test_zsh_and_fish_get_ids_too(sample: Path, shell: str) -> None:
    offered = complete("committee members bcd", shell=shell, registry=sample)
    assert any("bcd-cpdt" in line for line in offered)


@pytest.mark.parametrize("shell", ["bash", "zsh", "fish"])
def test_completion_scripts_are_printed_for_each_shell(shell: str) -> None:
    env = {**os.environ, "_COMMITTEE_COMPLETE": f"source_{shell}"}
    out = subprocess.run([str(Path(sys.executable).parent / "committee")], env=env,
                         capture_output=True, text=True, check=False)
    assert out.returncode == 0, out.stderr
    assert "_COMMITTEE_COMPLETE" in out.stdout and f"complete_{shell}" in out.stdout

