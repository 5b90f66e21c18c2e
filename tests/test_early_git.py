"""Git started before the imports (cli/early.py, store/gitstart.py): a command that reads the
registry starts ``git diff-files`` on the folder it will read before Typer, pydantic and the
records are imported, the listing takes that view, and what it finds is what a view begun
when the registry is opened finds, changes made in between included."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
import time
from pathlib import Path

import pytest

from committee_cli.cli.early import READERS, registry_read
from committee_cli.store import DirSource, gitlisting, gitstart
from committee_cli.store.gitindex import git_blob_id
from committee_cli.store.source import REGISTRY_FOLDERS
from tests.conftest import ROOT, SAMPLE, Run, command_script
from tests.git_helpers import git, make_repo

pytestmark = pytest.mark.skipif(shutil.which("git") is None, reason="git is not installed")


@pytest.fixture(autouse=True)
def settled(monkeypatch: pytest.MonkeyPatch) -> None:
    """Every folder as if it had last changed long ago (a listing may be kept at once)."""
    monkeypatch.setattr(gitlisting, "_now_ns",
                        lambda: time.time_ns() + 10 * gitlisting.RACY_COARSE_NS)


@pytest.mark.parametrize(("args", "expected"), [
    (["-r", "R", "members", "bcd"], "R"),
    (["--registry", "R", "validate", "--format", "json"], "R"),
    (["--registry=R", "show"], "R"),
    (["-rR", "tasks", "--overdue"], "R"),
    (["--lang", "vi", "-r", "R", "person", "long"], "R"),
    (["--lang=en", "-r", "R", "-r", "S", "person", "long"], "R"),  # the first, as the group does
    (["-r", "R", "render", "decision", "qd-1"], "R"),
    (["-r", "R", "amend", "seat", "replace"], None),  # a change opens the registry under its lock
    (["-r", "R", "decision", "sign", "qd-1"], None),
    (["-r", "R", "members", "--help"], None),
    (["-r", "R", "--help"], None),
    (["--version"], None),
    (["-r", "R"], None),
    (["-r"], None),
    (["--unknown", "members"], None),
    ([], None),
])
def test_the_registry_a_command_reads_is_read_from_its_command_line(
        args: list[str], expected: str | None, tmp_path: Path) -> None:
    assert registry_read(args, {}, tmp_path) == (Path(expected) if expected else None)


def test_without_an_option_the_registry_is_the_environment_s_then_the_repository_s(
        tmp_path: Path) -> None:
    assert registry_read(["members"], {"COMMITTEE_REGISTRY": "A B"}, tmp_path) == Path("A")
    (tmp_path / "registry").mkdir()
    (tmp_path / "registry" / "registry.yaml").write_text("schema: 1\n", encoding="utf-8")
    (tmp_path / "sub").mkdir()
    assert registry_read(["validate"], {}, tmp_path / "sub") == tmp_path / "registry"
    assert {"members", "person", "show", "tasks", "validate", "render"} <= READERS


def _view(registry: Path, early: bool) -> gitlisting.GitListing:
    begun = gitstart.begin(registry, early=True) if early else None
    view = gitlisting.GitListing.start(registry, REGISTRY_FOLDERS, begun)
    assert view is not None
    return view


def test_a_view_begun_early_is_the_one_begun_when_the_registry_is_opened(tmp_path: Path) -> None:
    registry = make_repo(tmp_path)
    early, later = _view(registry, True), _view(registry, False)
    try:
        assert (early.before, early.stats, early.settings, early.index_path) == \
            (later.before, later.stats, later.settings, later.index_path)
    finally:
        early.close()
        later.close()
    spelled = _view(registry / ".." / registry.name, True)  # another spelling, the same folder
    try:
        assert spelled.before == early.before
    finally:
        spelled.close()


def _files(registry: Path) -> dict[str, str]:
    source = DirSource(registry)
    paths = source.paths()
    return {rel: key.hex() for rel, key in (source.blob_keys(paths) or {}).items()}


def _truth(registry: Path) -> dict[str, str]:
    return {rel: git_blob_id((registry / rel).read_bytes()) for rel in DirSource(registry)._scan()}


def test_what_changes_after_git_was_started_early_is_seen(tmp_path: Path) -> None:
    """A change an amendment makes (a file renamed into its folder), a new file, and a file
    staged with ``git add`` between the early start and the reading: the files read are the
    files on disk, as a run that began its view later reads them."""
    registry = make_repo(tmp_path)
    _files(registry)  # keeps a listing
    assert _files(registry) == _truth(registry)
    seat = registry / "seats" / "bcd-cpdt-05.yaml"
    changes = [
        lambda: (seat.with_suffix(".tmp").write_text(seat.read_text(encoding="utf-8")
                                                    .replace("order: 5", "order: 6"),
                                                    encoding="utf-8"),
                 seat.with_suffix(".tmp").replace(seat)),
        lambda: shutil.copy(registry / "people" / "truong-hai-long.yaml",
                            registry / "people" / "nguyen-van-moi.yaml"),
        lambda: git(registry.parent, "add", "-A"),
    ]
    for change in changes:
        gitstart.start_early(registry)
        change()
        source = DirSource(registry)
        paths = source.paths()
        keys = {rel: key.hex() for rel, key in (source.blob_keys(paths) or {}).items()}
        assert gitstart.take(registry) is None  # (taken by the listing)
        assert keys == _truth(registry)
        assert _files(registry) == _truth(registry)


def test_an_edit_in_place_after_the_early_start_is_seen_by_the_next_run(tmp_path: Path) -> None:
    """An edit in place moves no folder's times: the run that started before it answers for
    the registry as it was when it started, and the next run sees the edit."""
    registry = make_repo(tmp_path)
    _files(registry)
    gitstart.start_early(registry)
    time.sleep(0.05)  # (git has compared the files)
    config = registry / "registry.yaml"
    config.write_text(config.read_text(encoding="utf-8") + "# sửa\n", encoding="utf-8")
    _files(registry)
    assert _files(registry) == _truth(registry)


_TRACED = command_script("""
from committee_cli.store import gitstart
seen = {}
begin, take = gitstart.begin, gitstart.take
def traced_begin(root, early=False):
    seen["imported then"] = sorted(m for m in ("typer", "pydantic", "committee_cli.model")
                                   if m in sys.modules)
    return begin(root, early)
def traced_take(root):
    found = take(root)
    seen["taken"] = found is not None
    return found
gitstart.begin, gitstart.take = traced_begin, traced_take
""", "print(json.dumps(seen))")


def _traced(registry: Path, *args: str) -> tuple[dict[str, object], str]:
    done = subprocess.run([sys.executable, "-c", _TRACED, "--registry", str(registry), *args],
                          capture_output=True, text=True, check=True, cwd=ROOT)
    *out, last = done.stdout.splitlines()
    return json.loads(last), "\n".join(out)


def test_the_command_starts_git_before_its_imports_and_the_listing_takes_it(
        cli: Run, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    registry = make_repo(tmp_path)
    cli("validate", registry=registry)  # keeps a listing
    seen, out = _traced(registry, "members", "bcd-cpdt", "--format", "json")
    assert seen == {"imported then": [], "taken": True}
    assert json.loads(out) == json.loads(cli("members", "bcd-cpdt", "--format", "json",
                                             registry=registry).stdout)
    seat = registry / "seats" / "bcd-cpdt-05.yaml"
    seat.write_text(seat.read_text(encoding="utf-8").replace("order: 5", "order: x"),
                    encoding="utf-8")
    seen, out = _traced(registry, "validate", "--format", "json")
    assert seen["taken"] is True and '"R014"' in out
    with monkeypatch.context() as patch:
        patch.setenv("COMMITTEE_CACHE", "off")
        assert json.loads(out) == json.loads(cli("validate", "--format", "json",
                                                 registry=registry).stdout)
    seen, _ = _traced(registry, "amend", "seat", "end", "--help")
    assert seen == {}  # (no early start for a change, nor for help)


def test_the_sample_outside_git_starts_nothing(tmp_path: Path) -> None:
    copy = tmp_path / "registry"
    shutil.copytree(SAMPLE, copy)
    gitstart.start_early(copy)
    assert gitstart.take(copy) is None  # not a work tree: nothing begun
