"""``work_tree_keys`` equals the blob id of the bytes in the work tree, whatever git's
index believes: after commits, hand edits git's stat data cannot see (same size, same second),
untracked and ignored files, staged and intent-to-add files, deletions, renames, branch
switches and stashes; outside git it says None."""

from __future__ import annotations

import os
import shutil
import subprocess
import time
from pathlib import Path

import pytest

from committee_cli.store.gitindex import git_blob_id, work_tree_keys
from tests.conftest import ROOT
from tests.git_helpers import git, make_repo

pytestmark = pytest.mark.skipif(shutil.which("git") is None, reason="git is not installed")


def work_tree_blob_ids(root: Path, paths: list[str]) -> dict[str, str] | None:
    """``work_tree_keys``' ids in hex (None outside git)."""
    found = work_tree_keys(root, paths)
    return None if found is None else {rel: key.hex() for rel, key in found[0].items()}


def registry_files(registry: Path) -> list[str]:
    return sorted(p.relative_to(registry).as_posix() for p in registry.rglob("*")
                  if p.is_file() and not p.name.startswith("."))


def assert_truthful(registry: Path, paths: list[str] | None = None) -> dict[str, str]:
    paths = registry_files(registry) if paths is None else paths
    ids = work_tree_blob_ids(registry, paths)
    assert ids is not None
    expected = {rel: git_blob_id((registry / rel).read_bytes()) for rel in paths
                if (registry / rel).is_file()}
    assert ids == expected
    return ids


def test_blob_id_is_gits(tmp_path: Path) -> None:
    (tmp_path / "f").write_bytes(b"hello\n")
    git(tmp_path, "init", "-q")
    assert git_blob_id(b"hello\n") == git(tmp_path, "hash-object", "f").strip()
    assert git_blob_id(b"") == "e69de29bb2d1d6434b8b29ae775ad8c2e48c5391"


def test_committed_registry_in_a_subfolder(tmp_path: Path) -> None:
    registry = make_repo(tmp_path)
    ids = assert_truthful(registry)
    assert "registry.yaml" in ids and any(rel.startswith("people/") for rel in ids)


def same_size_edit(path: Path) -> bytes:
    data = bytearray(path.read_bytes())
    index = data.index(b"a")
    data[index:index + 1] = b"b"
    path.write_bytes(bytes(data))
    return bytes(data)


def test_racy_hand_edit_same_size_same_mtime_second(tmp_path: Path) -> None:
    """Staged, then edited in the same second with size and mtime kept: the stat data git
    recorded match, and git compares the content of such a racily clean entry."""
    registry = make_repo(tmp_path)
    target = registry / "registry.yaml"
    target.write_bytes(target.read_bytes().replace(b"a", b"c", 1))
    git(registry.parent, "add", "registry/registry.yaml")  # records its stat, writes the index
    before = target.stat()
    data = same_size_edit(target)
    os.utime(target, ns=(before.st_atime_ns, before.st_mtime_ns))
    ids = assert_truthful(registry)
    assert ids["registry.yaml"] == git_blob_id(data)


def test_hand_edit_with_old_mtime_restored(tmp_path: Path) -> None:
    """Edited later with size and mtime put back: the change time git records tells."""
    registry = make_repo(tmp_path)
    git(registry.parent, "status", "--porcelain")
    target = sorted((registry / "people").iterdir())[0]
    before = target.stat()
    time.sleep(1.05)  # git compares change times to the second
    same_size_edit(target)
    os.utime(target, ns=(before.st_atime_ns, before.st_mtime_ns))
    assert target.stat().st_size == before.st_size
    assert_truthful(registry)


def test_untracked_ignored_staged_intent_and_deleted(tmp_path: Path) -> None:
    registry = make_repo(tmp_path)
    (registry.parent / ".gitignore").write_text("registry/tasks/ignored.yaml\n")
    (registry / "tasks" / "ignored.yaml").write_text("title: ignored\n")
    (registry / "people" / "new-person.yaml").write_text("name: new\n")
    (registry / "people" / "intent.yaml").write_text("name: intent\n")
    git(registry.parent, "add", "-N", "registry/people/intent.yaml")
    staged = sorted((registry / "committees").iterdir())[0]
    staged.write_bytes(staged.read_bytes() + b"# staged\n")
    git(registry.parent, "add", str(staged))
    staged.write_bytes(staged.read_bytes() + b"# and edited again\n")
    gone = sorted((registry / "people").iterdir())[-1]
    gone.unlink()
    paths = [*registry_files(registry), gone.relative_to(registry).as_posix()]
    ids = assert_truthful(registry, paths)
    assert gone.relative_to(registry).as_posix() not in ids
    assert "tasks/ignored.yaml" in ids and "people/intent.yaml" in ids


def test_rename_checkout_and_stash(tmp_path: Path) -> None:
    registry = make_repo(tmp_path)
    repo = registry.parent
    first = sorted((registry / "people").iterdir())[0]
    git(repo, "mv", str(first), str(first.with_name("renamed-person.yaml")))
    assert_truthful(registry)
    git(repo, "commit", "-q", "-m", "rename")
    git(repo, "checkout", "-q", "-b", "other")
    target = registry / "registry.yaml"
    target.write_bytes(target.read_bytes() + b"# other branch\n")
    git(repo, "commit", "-q", "-am", "other")
    git(repo, "checkout", "-q", "main")
    assert_truthful(registry)
    git(repo, "checkout", "-q", "other")
    assert_truthful(registry)
    target.write_bytes(target.read_bytes() + b"# work in progress\n")
    assert_truthful(registry)
    git(repo, "stash", "-q")
    assert_truthful(registry)
    git(repo, "stash", "pop", "-q")
    assert_truthful(registry)


def test_merge_conflict(tmp_path: Path) -> None:
    registry = make_repo(tmp_path)
    repo = registry.parent
    target = registry / "registry.yaml"
    original = target.read_bytes()
    git(repo, "checkout", "-q", "-b", "other")
    target.write_bytes(original + b"# one\n")
    git(repo, "commit", "-q", "-am", "one")
    git(repo, "checkout", "-q", "main")
    target.write_bytes(original + b"# two\n")
    git(repo, "commit", "-q", "-am", "two")
    merged = subprocess.run(["git", "-C", str(repo), "merge", "-q", "other"],
                            capture_output=True, check=False)
    assert merged.returncode != 0  # a conflict
    assert b"<<<<<<<" in target.read_bytes()
    assert_truthful(registry)


def test_line_ending_conversion_is_not_trusted(tmp_path: Path) -> None:
    registry = make_repo(tmp_path)
    repo = registry.parent
    (repo / ".gitattributes").write_text("*.yaml text eol=crlf\n")
    git(repo, "add", ".gitattributes")
    git(repo, "commit", "-q", "-m", "crlf")
    for path in (registry / "people").iterdir():
        path.unlink()
    git(repo, "checkout", "-q", "--", "registry/people")
    assert b"\r\n" in sorted((registry / "people").iterdir())[0].read_bytes()
    assert_truthful(registry)


def test_outside_git_is_none(tmp_path: Path, sample: Path,
                             monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("GIT_CEILING_DIRECTORIES", str(tmp_path))
    assert work_tree_blob_ids(sample, registry_files(sample)) is None


def test_a_sha256_repository_has_every_file_hashed_here(tmp_path: Path) -> None:
    """Its index holds SHA-256 ids; the keys here are SHA-1 blob ids of the bytes, always."""
    repo = tmp_path / "repo"
    made = subprocess.run(["git", "init", "-q", "--object-format=sha256", str(repo)],
                          capture_output=True, check=False)
    if made.returncode != 0:
        pytest.skip("this git cannot make a SHA-256 repository")
    shutil.copytree(ROOT / "registry", repo / "registry")
    subprocess.run(["git", "-C", str(repo), "add", "-A"], check=True)
    registry = repo / "registry"
    paths = [p.relative_to(registry).as_posix() for p in registry.rglob("*.yaml")]
    found = work_tree_keys(registry, paths)
    assert found is not None and not found[1].exact
    assert {rel: key.hex() for rel, key in found[0].items()} == {
        rel: git_blob_id((registry / rel).read_bytes()) for rel in paths}
