"""A registry's files known again from an exact listing kept in the cache (store/gitlisting.py):
a warm run lists no folder and asks git only ``diff-files``; whatever could add, remove or
rename a file, or change what git can vouch for, makes a full listing again; and every answer
is the one a run without any cache gives."""

from __future__ import annotations

import hashlib
import os
import shutil
import subprocess
import time
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from committee_cli.store import DirSource, gitlisting
from committee_cli.store import source as source_module
from committee_cli.store.cache import NAMED_FILE
from committee_cli.store.gitindex import git_blob_id
from committee_cli.store.gitlisting import LISTING_FILE
from committee_cli.store.gitstart import index_checksum as _index_checksum
from committee_cli.store.packed import PackedFiles
from tests.conftest import Run
from tests.git_helpers import git, make_repo

pytestmark = pytest.mark.skipif(shutil.which("git") is None, reason="git is not installed")


@pytest.fixture(autouse=True)
def settled(monkeypatch: pytest.MonkeyPatch) -> None:
    """The clock as if every folder had last changed long ago, so that a listing may be kept
    at once (a folder changed just now keeps none: see the test of ``RACY_NS``)."""
    monkeypatch.setattr(gitlisting, "_now_ns",
                        lambda: time.time_ns() + 10 * gitlisting.RACY_COARSE_NS)


def _counting(monkeypatch: pytest.MonkeyPatch, method: str) -> list[Path]:
    """The registry of every call of a work-tree source's ``method`` from now on."""
    seen: list[Path] = []
    real = getattr(source_module.DirSource, method)

    def counting(self: source_module.DirSource) -> list[str]:
        seen.append(self.root)
        return list(real(self))

    monkeypatch.setattr(source_module.DirSource, method, counting)
    return seen


@pytest.fixture
def scans(monkeypatch: pytest.MonkeyPatch) -> list[Path]:
    """Every full listing a work-tree source takes."""
    return _counting(monkeypatch, "_scan")


def _listed(registry: Path) -> tuple[bool, dict[str, str]]:
    """(whether the listing was recalled, every file's blob id) as the loader sees them; a
    recalled listing gives the ids packed too, as the loader would pack them."""
    source = DirSource(registry)
    paths = source.paths()
    keys = source.blob_keys(paths)
    packed = source.packed_keys()
    assert (packed is not None) == (source.recalled and len(keys or {}) == len(paths))
    assert packed is None or packed == PackedFiles.of(keys or {})
    return source.recalled, _hex(keys)


def _hex(keys: dict[str, bytes] | None) -> dict[str, str]:
    return {rel: key.hex() for rel, key in (keys or {}).items()}


def _truth(registry: Path) -> dict[str, str]:
    return {rel: git_blob_id((registry / rel).read_bytes()) for rel in DirSource(registry)._scan()}


def _same_without_cache(cli: Run, registry: Path, monkeypatch: pytest.MonkeyPatch) -> str:
    warm = cli("validate", "--format", "json", registry=registry)
    with monkeypatch.context() as patch:
        patch.setenv("COMMITTEE_CACHE", "off")
        cold = cli("validate", "--format", "json", registry=registry)
    assert (warm.exit_code, warm.stdout) == (cold.exit_code, cold.stdout)
    return warm.stdout


def test_a_warm_run_lists_no_folder(cli: Run, tmp_path: Path, scans: list[Path],
                                    monkeypatch: pytest.MonkeyPatch) -> None:
    registry = make_repo(tmp_path)
    first = cli("validate", "--format", "json", registry=registry)
    assert scans and any(p.name == LISTING_FILE for p in _cache_files())
    scans.clear()
    second = cli("validate", "--format", "json", registry=registry)
    members = cli("members", "bcd-cpdt", registry=registry)
    assert scans == [] and second.stdout == first.stdout and members.exit_code == 0
    _same_without_cache(cli, registry, monkeypatch)


def _cache_files() -> list[Path]:
    return [p for p in Path(os.environ["COMMITTEE_CACHE_DIR"]).rglob("*") if p.is_file()]


def test_edits_in_place_untracked_files_and_new_files_are_seen(
        cli: Run, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    registry = make_repo(tmp_path)
    extra = registry / "people" / "nguyen-van-moi.yaml"
    shutil.copy(registry / "people" / "truong-hai-long.yaml", extra)  # untracked
    _listed(registry)
    recalled, ids = _listed(registry)
    assert recalled and ids == _truth(registry)
    seat = registry / "seats" / "bcd-cpdt-05.yaml"
    seat.write_text(seat.read_text(encoding="utf-8").replace("order: 5", "order: x"),
                    encoding="utf-8")  # in place: no folder time moves
    extra.write_text(extra.read_text(encoding="utf-8") + "# sửa\n", encoding="utf-8")
    recalled, ids = _listed(registry)
    assert recalled and ids == _truth(registry)
    assert '"R014"' in _same_without_cache(cli, registry, monkeypatch)
    newer = registry / "people" / "nguyen-van-moi-2.yaml"
    newer.write_bytes(extra.read_bytes())  # a new file: its folder is listed again, alone
    recalled, ids = _listed(registry)
    assert recalled and ids == _truth(registry) and "people/nguyen-van-moi-2.yaml" in ids
    _same_without_cache(cli, registry, monkeypatch)
    newer.unlink()  # and gone again
    recalled, ids = _listed(registry)
    assert recalled and ids == _truth(registry) and "people/nguyen-van-moi-2.yaml" not in ids
    (registry / "people" / "Not-Safe.yaml").write_bytes(extra.read_bytes())  # an unsafe name
    recalled, ids = _listed(registry)
    assert not recalled and ids == _truth(registry)  # (never kept: a full listing)
    assert '"R011"' in _same_without_cache(cli, registry, monkeypatch)


def test_staging_and_committing_change_the_key(cli: Run, tmp_path: Path,
                                               monkeypatch: pytest.MonkeyPatch) -> None:
    registry = make_repo(tmp_path)
    _listed(registry)
    seat = registry / "seats" / "bcd-cpdt-05.yaml"
    seat.write_text(seat.read_text(encoding="utf-8") + "# ghi chú\n", encoding="utf-8")
    git(registry.parent, "add", "-A")
    assert _listed(registry)[0] is False  # the index changed
    assert _listed(registry) == (True, _truth(registry))
    git(registry.parent, "commit", "-q", "-m", "ghi chú")
    git(registry.parent, "checkout", "-q", "HEAD~1", "--", "registry")
    assert _listed(registry)[1] == _truth(registry)
    _same_without_cache(cli, registry, monkeypatch)


def test_the_registry_lock_moves_no_key_but_a_new_top_level_name_does(
        cli: Run, tmp_path: Path, scans: list[Path], monkeypatch: pytest.MonkeyPatch) -> None:
    """Every change takes and lets go of the registry lock, in the registry folder: an amendment
    that writes nothing (a dry run) leaves the listing known; a file or folder added at the top
    of the registry (where its times would have told) makes a full listing again."""
    registry = make_repo(tmp_path)
    _listed(registry)
    scans.clear()
    dry = cli("amend", "seat", "end", "bcd-cpdt-05", "--decision", "qd-913-2021",
              "--force-signed", "Đính chính", "--dry-run", registry=registry)
    assert dry.exit_code == 0 and "nothing was written" in dry.output and scans == []
    assert _listed(registry) == (True, _truth(registry))
    scans.clear()
    written = cli("amend", "seat", "end", "bcd-cpdt-05", "--decision", "qd-913-2021",
                  "--force-signed", "Đính chính", registry=registry)
    assert written.exit_code == 0 and scans == []
    recalled = _listed(registry)  # the folders it wrote in are listed again, alone
    assert scans == [] and recalled == (True, _truth(registry))
    (registry / "README.md").write_text("Sổ đăng ký\n", encoding="utf-8")
    assert _listed(registry) == (False, _truth(registry))
    assert _listed(registry)[0]
    (registry / "notes").mkdir()
    assert _listed(registry)[0] is False
    (registry / "notes").rmdir()
    (registry / "notes").write_text("x", encoding="utf-8")  # the same name, now a file
    assert _listed(registry)[0] is False
    _same_without_cache(cli, registry, monkeypatch)


@pytest.mark.parametrize("setting", [("core.autocrlf", "true"), ("core.trustctime", "false"),
                                     ("core.checkStat", "minimal")])
def test_no_listing_is_trusted_when_git_cannot_compare_bytes(
        cli: Run, tmp_path: Path, setting: tuple[str, str],
        monkeypatch: pytest.MonkeyPatch) -> None:
    registry = make_repo(tmp_path)
    git(registry.parent, "config", *setting)
    for _ in range(2):
        recalled, ids = _listed(registry)
        assert not recalled and ids == _truth(registry)
    _same_without_cache(cli, registry, monkeypatch)


def test_assume_unchanged_keeps_no_listing(cli: Run, tmp_path: Path,
                                                       monkeypatch: pytest.MonkeyPatch) -> None:
    registry = make_repo(tmp_path)
    seat = registry / "seats" / "bcd-cpdt-05.yaml"
    git(registry.parent, "update-index", "--assume-unchanged", "registry/seats/bcd-cpdt-05.yaml")
    _listed(registry)
    seat.write_text(seat.read_text(encoding="utf-8").replace("order: 5", "order: x"),
                    encoding="utf-8")  # git status would not see it
    recalled, ids = _listed(registry)
    assert not recalled and ids == _truth(registry)
    assert '"R014"' in _same_without_cache(cli, registry, monkeypatch)


def test_a_state_named_after_its_result_writes_only_its_name(
        cli: Run, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The first run that lists a state by its kept listing names it beside the result (a few
    sealed bytes, ``result-name``), not by writing the result's problems again; the next run
    answers from that name, listing nothing. A tampered name is ignored: the state is listed."""
    registry = make_repo(tmp_path)
    first = cli("validate", registry=registry)
    (result,) = [p for p in _cache_files() if p.name == "result"]
    written = result.read_bytes()
    cli("validate", registry=registry)  # names the state by its kept listing
    assert result.read_bytes() == written
    (named,) = [p for p in _cache_files() if p.name == NAMED_FILE]
    listed = _counting(monkeypatch, "paths")
    assert cli("validate", registry=registry).stdout == first.stdout and listed == []
    data = bytearray(named.read_bytes())
    data[-2] ^= 1
    named.write_bytes(bytes(data))
    assert cli("validate", registry=registry).stdout == first.stdout and listed


def test_an_attribute_file_outside_the_registry_changes_the_key(tmp_path: Path) -> None:
    registry = make_repo(tmp_path)
    _listed(registry)
    assert _listed(registry)[0]
    (registry.parent / ".gitattributes").write_text("*.yaml text eol=crlf\n", encoding="utf-8")
    recalled, ids = _listed(registry)
    assert not recalled and ids == _truth(registry)
    assert not _listed(registry)[0]  # a file git converts: no listing is kept


def test_a_tampered_listing_is_ignored(cli: Run, tmp_path: Path,
                                       monkeypatch: pytest.MonkeyPatch) -> None:
    registry = make_repo(tmp_path)
    _listed(registry)
    (listing,) = [p for p in _cache_files() if p.name == LISTING_FILE]
    data = bytearray(listing.read_bytes())
    data[-1] ^= 1  # one bit of the last blob id
    listing.write_bytes(bytes(data))
    recalled, ids = _listed(registry)
    assert not recalled and ids == _truth(registry)
    _same_without_cache(cli, registry, monkeypatch)


def test_outside_git_nothing_is_kept(tmp_path: Path) -> None:
    registry = make_repo(tmp_path)
    subprocess.run(["rm", "-rf", str(registry.parent / ".git")], check=True)
    _listed(registry)
    recalled, ids = _listed(registry)
    assert not recalled and ids == {}


def test_a_tracked_symlink_keeps_no_listing(tmp_path: Path) -> None:
    registry = make_repo(tmp_path)
    (registry / "people" / "bi-danh.yaml").symlink_to("truong-hai-long.yaml")
    git(registry.parent, "add", "-A")
    git(registry.parent, "commit", "-q", "-m", "bí danh")
    _listed(registry)
    target = registry / "people" / "truong-hai-long.yaml"
    target.write_text(target.read_text(encoding="utf-8") + "# sửa\n", encoding="utf-8")
    git(registry.parent, "add", "-A")  # git vouches for the link, whatever its target holds
    for _ in range(2):
        recalled, ids = _listed(registry)
        assert not recalled and ids == _truth(registry)


def test_a_warm_validate_of_a_named_state_lists_nothing(
        cli: Run, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    registry = make_repo(tmp_path)
    listed = _counting(monkeypatch, "paths")
    first = cli("validate", registry=registry)
    cli("validate", registry=registry)  # names the state by its kept listing
    listed.clear()
    third = cli("validate", registry=registry)
    assert listed == [] and third.stdout == first.stdout and "42 file(s)" in third.stdout
    seat = registry / "seats" / "bcd-cpdt-05.yaml"
    seat.write_text(seat.read_text(encoding="utf-8").replace("order: 5", "order: x"),
                    encoding="utf-8")  # in place: the kept listing holds, the state changed
    assert '"R014"' in _same_without_cache(cli, registry, monkeypatch)
    assert listed


def test_an_index_without_its_checksum_is_hashed_whole(tmp_path: Path) -> None:
    """git's ``index.skipHash`` leaves the checksum out (zeros): the whole index is hashed."""
    first, second = tmp_path / "a", tmp_path / "b"
    tail = b"TREE-extension" + bytes(20)
    first.write_bytes(b"DIRC one entry" + tail)
    second.write_bytes(b"DIRC two entry" + tail)
    assert _index_checksum(first) != _index_checksum(second)
    third = tmp_path / "c"
    third.write_bytes(b"DIRC one entry" + b"TREE-extension" + b"\x01" * 20)
    assert _index_checksum(third) == b"%d:" % third.stat().st_size + third.read_bytes()[-32:]


def _relists(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Every record folder a recall lists again, alone."""
    relisted: list[str] = []
    real = source_module.DirSource._relist

    def relist(self: source_module.DirSource, folder: str) -> tuple[list[str], list[str]] | None:
        relisted.append(folder)
        return real(self, folder)

    monkeypatch.setattr(source_module.DirSource, "_relist", relist)
    return relisted


def test_a_folder_changed_too_recently_is_listed_again_until_it_settles(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A folder changed within one tick of a coarse clock could change again unseen (100 ms of
    margin, 2 s where the filesystem keeps whole seconds): a listing that holds it marks it,
    and every recall lists that folder again (alone) until it is older than the margin."""
    registry = make_repo(tmp_path)
    people = registry / "people"
    relisted = _relists(monkeypatch)
    for changed, window in ((time.time_ns(), gitlisting.RACY_NS),
                            (time.time_ns() // 10**9 * 10**9, gitlisting.RACY_COARSE_NS)):
        os.utime(people, ns=(changed, changed))
        changed = max(changed, people.stat().st_ctime_ns)
        monkeypatch.setattr(gitlisting, "_now_ns", lambda c=changed, w=window: c + w // 2)
        _listed(registry)
        for _ in range(2):
            relisted.clear()
            assert _listed(registry) == (True, _truth(registry)) and "people" in relisted
        extra = people / "nguyen-van-moi.yaml"  # a file added in the same tick: seen
        shutil.copy(people / "truong-hai-long.yaml", extra)
        os.utime(people, ns=(changed, changed))
        relisted.clear()
        assert _listed(registry) == (True, _truth(registry)) and "people" in relisted
        extra.unlink()
        os.utime(people, ns=(changed, changed))
        monkeypatch.setattr(gitlisting, "_now_ns",  # every folder settled
                            lambda: time.time_ns() + 10 * gitlisting.RACY_COARSE_NS)
        _listed(registry)
        relisted.clear()
        assert _listed(registry) == (True, _truth(registry)) and relisted == []


def test_a_change_while_validate_reads_is_not_kept_as_the_listed_state(
        cli: Run, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    registry = make_repo(tmp_path)
    person = registry / "people" / "truong-hai-long.yaml"
    person.write_text(person.read_text(encoding="utf-8").replace("30/8", "31/8", 1),
                      encoding="utf-8")
    edited = person.read_bytes()
    real = source_module.DirSource.read
    saved: list[str] = []

    def editor_saves_meanwhile(self: source_module.DirSource, rel: str) -> bytes:
        if rel == "people/truong-hai-long.yaml" and not saved:
            saved.append(rel)
            person.write_bytes(edited.replace(b"organisation: bnv", b"organisation: bnx", 1))
        return real(self, rel)

    monkeypatch.setattr(source_module.DirSource, "read", editor_saves_meanwhile)
    during = cli("validate", "--format", "json", registry=registry)
    monkeypatch.setattr(source_module.DirSource, "read", real)
    assert saved and '"R101"' in during.stdout
    person.write_bytes(edited)  # back to the state that was listed
    assert '"R101"' not in _same_without_cache(cli, registry, monkeypatch)


def test_names_that_are_not_utf8_never_break_a_listing(tmp_path: Path) -> None:
    """A stray file in a record folder, and a changed file elsewhere in the registry, whose
    names are not UTF-8 (the command line prints them with backslash escapes)."""
    registry = make_repo(tmp_path)
    (registry / "people" / os.fsdecode(b"\xff")).write_text("x", encoding="utf-8")
    extra = registry / "extra"
    extra.mkdir()
    (extra / os.fsdecode(b"\xfe.yaml")).write_text("a: 1\n", encoding="utf-8")
    git(registry.parent, "add", "-A")
    git(registry.parent, "commit", "-q", "-m", "tên lạ")
    _listed(registry)
    source = DirSource(registry)
    assert _hex(source.blob_keys(source.paths())) == _truth(registry) and source.recalled
    assert os.fsdecode(b"people/\xff") in source.stray()
    with (extra / os.fsdecode(b"\xfe.yaml")).open("a", encoding="utf-8") as handle:
        handle.write("b: 2\n")  # git now doubts it: not a registry file, never read
    assert _listed(registry) == (True, _truth(registry))


def test_a_symlink_in_the_registry_keeps_no_listing(cli: Run, tmp_path: Path,
                                                    monkeypatch: pytest.MonkeyPatch) -> None:
    """Where a link leads can change without any folder of the registry moving."""
    registry = make_repo(tmp_path)
    inside, outside = tmp_path / "via", tmp_path / "elsewhere"
    shutil.copytree(registry, outside)
    inside.symlink_to(registry)
    (registry / "people" / "x-link.yaml").symlink_to(inside / "people" / "pham-thi-thanh-tra.yaml")
    _same_without_cache(cli, registry, monkeypatch)
    assert not _listed(registry)[0]
    inside.unlink()
    inside.symlink_to(outside)  # the link now leads out of the registry
    assert '"R010"' in _same_without_cache(cli, registry, monkeypatch)


@pytest.mark.parametrize("seed", range(4))
def test_folders_listed_again_splice_into_the_kept_listing(
        cli: Run, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, seed: int) -> None:
    """Files added and removed in some folders, a folder emptied and filled again: each recall
    lists those folders again and splices them into the kept listing, which then says what a
    full listing says, untracked files included, at every step (and `validate` what a run
    without any cache says)."""
    import random

    rng = random.Random(seed)
    registry = make_repo(tmp_path)
    relisted = _relists(monkeypatch)
    monkeypatch.setattr(gitlisting, "_now_ns",  # every folder settled: only moved ones listed
                        lambda: time.time_ns() + 10 * gitlisting.RACY_COARSE_NS)
    _listed(registry)
    body = (registry / "people" / "truong-hai-long.yaml").read_bytes()
    folders = [name for name in ("people", "seats", "tasks", "regulations", "decisions")
               if (registry / name).is_dir()]  # (a new folder moves the key: a full listing)
    for step in range(12):
        folder = registry / rng.choice(folders)
        files = sorted(folder.glob("*.yaml"))
        action = rng.choice(["add", "add", "remove", "empty"])
        if action == "add" or not files:
            (folder / f"moi-{seed}-{step}.yaml").write_bytes(body + b"# %d\n" % step)
        elif action == "remove":
            rng.choice(files).unlink()
        else:
            for path in files:
                path.unlink()
        relisted.clear()
        recalled, ids = _listed(registry)
        assert recalled and ids == _truth(registry), (step, action, folder.name)
        assert relisted == [folder.name]
        assert DirSource(registry).paths() == sorted(ids)
        if step % 4 == 3:
            _same_without_cache(cli, registry, monkeypatch)


def test_knowing_the_state_reads_only_the_sealed_head(tmp_path: Path,
                                                      monkeypatch: pytest.MonkeyPatch) -> None:
    """The listing's seal covers its head, which holds the keyed checksum of its paths: a run
    that only needs to know the state still holds (a query served by the index) checks a few
    hundred bytes, not every path (3 MB on the national registry); the paths are checked when
    read, and a tampered one is still never used."""
    registry = make_repo(tmp_path)
    _listed(registry)
    (listing,) = [p for p in _cache_files() if p.name == LISTING_FILE]
    size = listing.stat().st_size
    sealed: list[int] = []
    real = gitlisting.keyed_mac

    def counted(key: bytes, payload: bytes | memoryview) -> bytes:
        sealed.append(len(payload))
        return real(key, payload)

    monkeypatch.setattr(gitlisting, "keyed_mac", counted)
    source = DirSource(registry)
    assert source.recall_state() is not None
    body = len(_truth(registry)) * 20  # (at least: the blob ids)
    assert sealed and max(sealed) < size - body, (sealed, size)
    data = bytearray(listing.read_bytes())
    data[len(gitlisting.MAGIC) + 40] ^= 1  # a bit of the head
    listing.write_bytes(bytes(data))
    assert DirSource(registry).recall_state() is None
    recalled, ids = _listed(registry)
    assert not recalled and ids == _truth(registry)


@settings(max_examples=200, deadline=None)
@given(st.sets(st.sampled_from([f"seats/s{n:03d}.yaml" for n in range(120)])),
       st.sets(st.sampled_from([f"seats/s{n:03d}.yaml" for n in range(120)])))
def test_a_relisted_run_is_spliced_as_a_full_rebuild_would_make_it(
        before: set[str], now: set[str]) -> None:
    """A folder's run brought to what it holds now (an amendment adds a file or two, a hand
    edit removes some, a checkout replaces many): the same paths, in order, each that stays
    with its blob id, each new one untracked, as sorting the folder anew gives."""
    paths = sorted(before)
    run = b"".join(hashlib.sha1(rel.encode()).digest() for rel in paths)
    listed, blobs, added, removed = gitlisting._spliced(paths, run, list(now))
    assert listed == sorted(now)
    assert added == sorted(now - before) and sorted(removed) == sorted(before - now)
    assert blobs == b"".join(hashlib.sha1(rel.encode()).digest() if rel in before
                             else bytes(20) for rel in listed)
