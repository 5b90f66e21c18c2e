"""Paths: ids, --out, template names, symlinks and the change journal cannot reach outside the
folder they belong to."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from committee_cli.errors import CommitteeError
from committee_cli.services.unit_of_work import OWNER_FILE
from committee_cli.store import DirSource
from committee_cli.store.transaction import JOURNAL, pending_change, recover
from tests.amend_helpers import snapshot
from tests.conftest import Run
from tests.fault_helpers import DRAFT

HOSTILE_IDS = ["../../outside", "../people/x", "/tmp/absolute", "..", ".hidden", "a/b",
               "x.yaml", "a\\b", "nguyen-van-a\x00", "NGUYEN", "nguyễn", "a--b", "-a", "a-"]


def outside_files(tmp_path: Path, registry: Path) -> set[str]:
    """Files under the test's folder but outside the registry."""
    return {p.relative_to(tmp_path).as_posix() for p in tmp_path.rglob("*")
            if p.is_file() and registry not in p.parents}


@pytest.mark.parametrize("record_id", HOSTILE_IDS)
def test_an_id_is_never_a_path(cli: Run, sample: Path, tmp_path: Path, record_id: str) -> None:
    assert cli(*DRAFT, registry=sample).exit_code == 0
    before, around = snapshot(sample), outside_files(tmp_path, sample)
    for args in (("amend", "person", "add", "--name", "Nguyễn Văn A", "--honorific", "Ông",
                  "--id", record_id),
                 ("amend", "task", "add", "bcd-cpdt", "--title", "Việc", "--lead-unit", "bnv-vp",
                  "--id", record_id, "-d", "qd-1050-2022")):
        result = cli(*args, registry=sample)
        assert result.exit_code == 2, result.output
        assert "is not a safe id" in result.stderr
    assert snapshot(sample) == before
    assert outside_files(tmp_path, sample) == around


@pytest.mark.parametrize("args", [
    ("render", "decision", "../../registry/registry"),
    ("render", "decision", "/etc/passwd"),
    ("render", "roster", "../committees/bcd-cpdt"),
    ("members", "../bcd-cpdt"),
    ("show", "/etc"),
    ("history", "committees/bcd-cpdt.yaml"),
])
def test_query_and_render_arguments_are_ids_not_paths(cli: Run, sample: Path,
                                                      args: tuple[str, ...]) -> None:
    result = cli(*args, registry=sample)
    assert result.exit_code == 2, result.output
    assert result.stderr.startswith("error: no ")


def test_a_file_whose_name_is_not_a_safe_id_is_never_rendered(cli: Run, sample: Path,
                                                              tmp_path: Path) -> None:
    (sample / "decisions" / "QD 913.yaml").write_bytes(
        (sample / "decisions" / "qd-913-2021.yaml").read_bytes())
    out = tmp_path / "out"
    result = cli("render", "--all", "--out", str(out), registry=sample)
    assert result.exit_code == 1
    assert "R011" in result.output
    assert not out.exists() or list(out.iterdir()) == []


@pytest.mark.parametrize(("out", "fmt"), [
    ("registry.yaml", "md"), ("decisions/qd-913-2021.md", None), ("seats/", None),
    ("people/x.html", None), (".committee-journal.json", "md"), (".committee.lock", "html"),
])
def test_render_never_writes_into_the_registry(cli: Run, sample: Path, out: str,
                                               fmt: str | None) -> None:
    before = snapshot(sample)
    args = ["render", "decision", "qd-913-2021", "--out", f"{sample}/{out}"]
    result = cli(*args, *(["--format", fmt] if fmt else []), registry=sample)
    assert result.exit_code == 2, result.output
    assert "where only registry files belong: write the document elsewhere" in result.stderr
    assert snapshot(sample) == before


def test_render_all_never_writes_into_a_record_folder(cli: Run, sample: Path) -> None:
    before = snapshot(sample)
    result = cli("render", "--all", "--out", str(sample / "decisions"), registry=sample)
    assert result.exit_code == 2
    assert f"--out {sample / 'decisions'} is inside the registry" in result.stderr
    assert snapshot(sample) == before
    beside = cli("render", "--all", "--out", str(sample / "out"), registry=sample)
    assert beside.exit_code == 0, beside.output  # a folder of its own inside is fine
    assert [p.name for p in (sample / "out").iterdir()] == ["qd-913-2021.md"]
    assert cli("validate", registry=sample).exit_code == 0


@pytest.mark.parametrize("name", [
    "../secret.j2", "../../secret.j2", "/secret.j2", "builtin/../../secret.j2",
    "builtin//etc/passwd", "/etc/passwd", "builtin/../templates/../../secret.j2",
])
def test_template_names_cannot_leave_the_template_folders(cli: Run, sample: Path, name: str) -> None:
    (sample.parent / "secret.j2").write_text("BÍ MẬT\n", encoding="utf-8")
    (sample / "templates").mkdir()
    (sample / "templates" / "decision-consolidate.j2").write_text(
        f'{{% include "{name}" %}}\n', encoding="utf-8")
    result = cli("render", "decision", "qd-913-2021", registry=sample)
    assert result.exit_code == 1, result.output
    assert "not found" in result.stderr
    assert "BÍ MẬT" not in result.output and "root:" not in result.output


def test_a_templates_folder_linked_out_of_the_registry_is_ignored(cli: Run, sample: Path,
                                                                  tmp_path: Path) -> None:
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    (elsewhere / "decision-consolidate.j2").write_text("@type BỊ THAY\n", encoding="utf-8")
    (sample / "templates").symlink_to(elsewhere, target_is_directory=True)
    result = cli("render", "decision", "qd-913-2021", registry=sample)
    assert result.exit_code == 0, result.output
    assert "BỊ THAY" not in result.stdout and "QUYẾT ĐỊNH" in result.stdout


def test_registry_yaml_linked_out_of_the_registry_is_refused(cli: Run, sample: Path,
                                                             tmp_path: Path) -> None:
    outside = tmp_path / "config.yaml"
    outside.write_bytes((sample / "registry.yaml").read_bytes())
    (sample / "registry.yaml").unlink()
    (sample / "registry.yaml").symlink_to(outside)
    result = cli("validate", "--format", "json", registry=sample)
    assert result.exit_code == 1
    files = {p["file"] for p in json.loads(result.stdout) if p["code"] == "R010"}
    assert "registry.yaml (symlink out of the registry)" in files


def test_a_record_folder_linked_out_of_the_registry_is_refused_and_never_written(
        cli: Run, sample: Path, tmp_path: Path) -> None:
    elsewhere = tmp_path / "elsewhere-people"
    (sample / "people").rename(elsewhere)
    (sample / "people").symlink_to(elsewhere, target_is_directory=True)
    assert DirSource(sample).paths().count("people/truong-hai-long.yaml") == 0
    result = cli("validate", "--format", "json", registry=sample)
    assert result.exit_code == 1
    assert "people (symlink out of the registry)" in {p["file"] for p in json.loads(result.stdout)}
    before = sorted(p.name for p in elsewhere.iterdir())
    added = cli("amend", "person", "add", "--name", "Nguyễn Văn A", "--honorific", "Ông",
                registry=sample)
    assert added.exit_code == 1, added.output
    assert sorted(p.name for p in elsewhere.iterdir()) == before


def test_a_symlink_inside_the_registry_is_read(cli: Run, sample: Path) -> None:
    shared = sample / "shared"
    shared.mkdir()
    (sample / "organisations" / "bnv-vp.yaml").rename(shared / "bnv-vp.yaml")
    (sample / "organisations" / "bnv-vp.yaml").symlink_to(Path("..") / "shared" / "bnv-vp.yaml")
    assert "organisations/bnv-vp.yaml" in DirSource(sample).paths()
    assert cli("validate", registry=sample).exit_code == 0


@pytest.mark.parametrize("journal", [
    {"../outside.yaml": "../.outside.yaml.x.tmp"},
    {"people/x.yaml": "../../.x.yaml.abc.tmp"},
    {"people/x.yaml": "seats/.x.yaml.abc.tmp"},
    {"people/x.yaml": "people/other.yaml"},
    {"/etc/passwd": None},
    {"people/../../outside": None},
    {"people/x.yaml": 7},
    ["people/x.yaml"],
])
def test_a_journal_naming_anything_outside_is_refused_never_followed(
        cli: Run, sample: Path, tmp_path: Path, journal: object) -> None:
    outside = tmp_path / "outside.yaml"
    outside.write_text("quý\n", encoding="utf-8")
    (tmp_path / ".outside.yaml.x.tmp").write_text("x\n", encoding="utf-8")
    (sample / JOURNAL).write_text(json.dumps(journal), encoding="utf-8")
    before = snapshot(sample)
    with pytest.raises(CommitteeError, match="was not written by committee-cli"):
        pending_change(sample)
    with pytest.raises(CommitteeError):
        recover(sample)
    result = cli("amend", "person", "add", "--name", "Nguyễn Văn A", "--honorific", "Ông",
                 registry=sample)
    assert result.exit_code == 4, result.output
    assert "was not written by committee-cli" in result.stderr
    assert "move that file away" in result.stderr
    checked = cli("validate", "--format", "json", registry=sample)
    assert checked.exit_code == 1
    assert any(p["code"] == "R010" and JOURNAL in p["file"] for p in json.loads(checked.stdout))
    assert snapshot(sample) == before
    assert outside.read_text(encoding="utf-8") == "quý\n"
    assert (tmp_path / ".outside.yaml.x.tmp").exists()


def test_a_journal_that_is_not_json_is_refused(cli: Run, sample: Path) -> None:
    (sample / JOURNAL).write_bytes(b"\xff{not json")
    result = cli("amend", "person", "add", "--name", "Nguyễn Văn A", "--honorific", "Ông",
                 registry=sample)
    assert result.exit_code == 4
    assert "was not written by committee-cli" in result.stderr


def test_recover_removes_only_temp_files_of_the_registry_folders(sample: Path) -> None:
    (sample / "seats" / ".bcd-cpdt-05.yaml.abcd1234.tmp").write_text("x", encoding="utf-8")
    (sample / ".journal.abcd1234.tmp").write_text("{}", encoding="utf-8")
    deep = sample / "notes" / "deep"
    deep.mkdir(parents=True)
    (deep / ".mine.tmp").write_text("keep", encoding="utf-8")
    git_dir = sample / ".git"
    git_dir.mkdir()
    (git_dir / ".index.tmp").write_text("keep", encoding="utf-8")
    assert recover(sample) is False
    assert not (sample / "seats" / ".bcd-cpdt-05.yaml.abcd1234.tmp").exists()
    assert not (sample / ".journal.abcd1234.tmp").exists()
    assert (deep / ".mine.tmp").exists() and (git_dir / ".index.tmp").exists()


def test_a_lock_record_linked_out_of_the_registry_is_never_written_through(
        cli: Run, sample: Path, tmp_path: Path) -> None:
    precious = tmp_path / "precious.txt"
    precious.write_text("quý\n", encoding="utf-8")
    (sample / OWNER_FILE).symlink_to(precious)
    cli("amend", "person", "add", "--name", "Nguyễn Văn A", "--honorific", "Ông",
        registry=sample)
    assert precious.read_text(encoding="utf-8") == "quý\n"


def test_a_lock_file_linked_out_of_the_registry_is_refused(cli: Run, sample: Path,
                                                           tmp_path: Path) -> None:
    precious = tmp_path / "precious.txt"
    precious.write_text("quý\n", encoding="utf-8")
    (sample / ".committee.lock").symlink_to(precious)
    before = snapshot(sample)
    result = cli("amend", "person", "add", "--name", "Nguyễn Văn A", "--honorific", "Ông",
                 registry=sample)
    assert result.exit_code == 4, result.output
    assert "cannot create the lock file" in result.stderr
    assert precious.read_text(encoding="utf-8") == "quý\n"
    assert {k: v for k, v in snapshot(sample).items() if k != ".committee.lock"} == \
        {k: v for k, v in before.items() if k != ".committee.lock"}
    assert os.path.exists(precious)
