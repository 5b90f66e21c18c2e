"""In a git work tree the loader takes each file's key from git's index: a warm run reads no
file, a changed file (even one whose size and mtime were put back) is read and parsed, and an
interrupted change is still read as finished."""

from __future__ import annotations

import json
import os
import shutil
import time
from pathlib import Path

import pytest

from committee_cli.services.validation import validate_dir
from committee_cli.store import DirSource, RegistryStore, load
from committee_cli.store import source as source_module
from committee_cli.store.tempfiles import write_temp
from committee_cli.store.transaction import JOURNAL
from tests.conftest import Run
from tests.git_helpers import git, make_repo

pytestmark = pytest.mark.skipif(shutil.which("git") is None, reason="git is not installed")


@pytest.fixture
def reads(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Every file a work-tree source reads."""
    seen: list[str] = []
    real = source_module.DirSource.read

    def counting(self: source_module.DirSource, rel: str) -> bytes:
        seen.append(rel)
        return real(self, rel)

    monkeypatch.setattr(source_module.DirSource, "read", counting)
    return seen


def test_warm_runs_read_no_file(cli: Run, tmp_path: Path, reads: list[str]) -> None:
    registry = make_repo(tmp_path)
    first = cli("validate", "--format", "json", registry=registry)
    assert len(reads) >= 42  # cold: every file is read once to be parsed
    reads.clear()
    second = cli("validate", "--format", "json", registry=registry)
    assert reads == [] and second.stdout == first.stdout
    members = cli("members", "bcd-cpdt", "--format", "json", registry=registry)
    assert members.exit_code == 0 and reads == []


def test_hand_edit_with_size_and_mtime_put_back_is_seen(cli: Run, tmp_path: Path,
                                                        reads: list[str]) -> None:
    registry = make_repo(tmp_path)
    assert cli("validate", registry=registry).exit_code == 0
    path = registry / "seats" / "bcd-cpdt-05.yaml"
    stat = path.stat()
    time.sleep(1.05)  # git compares change times to the second
    path.write_text(path.read_text(encoding="utf-8").replace("order: 5", "order: x"),
                    encoding="utf-8")
    os.utime(path, ns=(stat.st_atime_ns, stat.st_mtime_ns))
    reads.clear()
    result = cli("validate", "--format", "json", registry=registry)
    assert result.exit_code == 1 and '"R014"' in result.stdout
    assert set(reads) == {"seats/bcd-cpdt-05.yaml"}


def test_untracked_and_deleted_files(cli: Run, tmp_path: Path) -> None:
    registry = make_repo(tmp_path)
    assert cli("validate", registry=registry).exit_code == 0
    shutil.copy(registry / "people" / "truong-hai-long.yaml",
                registry / "people" / "Not-Safe.yaml")
    result = cli("validate", "--format", "json", registry=registry)
    assert result.exit_code == 1 and '"R011"' in result.stdout
    (registry / "people" / "Not-Safe.yaml").unlink()
    (registry / "organisations" / "bnv-vp.yaml").unlink()
    result = cli("validate", "--format", "json", registry=registry)
    assert result.exit_code == 1 and '"R101"' in result.stdout
    git(registry.parent, "checkout", "--", "registry")
    assert cli("validate", registry=registry).exit_code == 0


def test_interrupted_change_is_read_as_finished(cli: Run, tmp_path: Path) -> None:
    registry = make_repo(tmp_path)
    assert cli("validate", registry=registry).exit_code == 0
    target = registry / "seats" / "bcd-cpdt-05.yaml"
    text = target.read_text(encoding="utf-8").replace("order: 5", "order: x")
    tmp = write_temp(target, text.encode("utf-8"), 0o644)
    (registry / JOURNAL).write_text(json.dumps(
        {"seats/bcd-cpdt-05.yaml": os.path.relpath(tmp, registry)}), encoding="utf-8")
    result = cli("validate", "--format", "json", registry=registry)
    assert result.exit_code == 1 and '"R014"' in result.stdout  # the pending text is read


def test_symlink_out_of_the_registry_is_refused(cli: Run, tmp_path: Path) -> None:
    registry = make_repo(tmp_path)
    outside = tmp_path / "outside.yaml"
    shutil.copy(registry / "people" / "truong-hai-long.yaml", outside)
    (registry / "people" / "linked.yaml").symlink_to(outside)
    result = cli("validate", "--format", "json", registry=registry)
    assert result.exit_code == 1 and "symlink out of the registry" in result.stdout


def _rewrite(path: Path, old: str, new: str) -> None:
    path.write_text(path.read_text(encoding="utf-8").replace(old, new), encoding="utf-8")


def test_a_change_landing_while_vouched_files_are_read_is_never_mixed(cli: Run,
                                                                      tmp_path: Path) -> None:
    registry = make_repo(tmp_path)
    assert cli("validate", registry=registry).exit_code == 0  # the records snapshot
    long_ = registry / "people" / "truong-hai-long.yaml"
    tra = registry / "people" / "pham-thi-thanh-tra.yaml"
    _rewrite(long_, "Trương Hải Long", "Trương Hải Lang")
    git(registry.parent, "add", "-A")  # git now vouches for the first edit
    listed = load(DirSource(registry), RegistryStore(registry).cache())
    _rewrite(long_, "Trương Hải Lang", "Trương Hải Lyng")  # a whole change lands meanwhile
    _rewrite(tra, "Phạm Thị Thanh Trà", "Phạm Thị Thanh Tra")
    people = listed.registry.people
    assert (people["truong-hai-long"].name, people["pham-thi-thanh-tra"].name) == (
        "Trương Hải Lyng", "Phạm Thị Thanh Tra")  # one state: the later one, both files


def test_a_file_gone_while_read_is_not_reported_once_it_is_gone(cli: Run,
                                                                tmp_path: Path) -> None:
    registry = make_repo(tmp_path)
    assert cli("validate", registry=registry).exit_code == 0
    task = next((registry / "tasks").glob("*.yaml"))
    rel = f"tasks/{task.name}"
    task.write_text(task.read_text(encoding="utf-8") + "# sửa\n", encoding="utf-8")
    git(registry.parent, "add", "-A")  # changed since the snapshot: it will be read
    listed = load(DirSource(registry), RegistryStore(registry).cache())
    task.unlink()  # after listing, before reading
    assert rel in {p.file for p in listed.problems if p.code == "R002"}
    gone = load(DirSource(registry), RegistryStore(registry).cache())
    # "could not read it" is a state of its own: its answers are never those of the state
    # where the file is simply absent
    assert gone.state_key != listed.state_key
    _, problems = validate_dir(registry)
    assert [p for p in problems if p.code == "R002"] == []
