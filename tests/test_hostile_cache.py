"""The cache holds data, never code: a planted or tampered cache file never runs and never
changes an answer; temp names are never followed; a foreign cache folder is refused once
(real processes, except where a name must be forced)."""

from __future__ import annotations

import hashlib
import hmac
import os
import pickle
import sqlite3
from pathlib import Path

import pytest

from committee_cli.store import cache as cache_module
from committee_cli.store import tempfiles
from tests.conftest import Run
from tests.hostile_helpers import run_committee

NAME, FORGED = "Trương Hải Long", "Trương Hải Lang"


class _Payload:
    """A pickle that runs a command when loaded."""

    def __init__(self, marker: Path) -> None:
        self.marker = marker

    def __reduce__(self) -> tuple[object, tuple[str]]:
        return (os.system, (f"touch {self.marker}",))


def members(sample: Path, cache: Path, **env: str) -> tuple[int, str, str]:
    """`history bcd-cpdt` in a process: a query that loads the whole registry (through the
    records cache; `members` answers from the derived index, tests/test_index_queries.py)."""
    done = run_committee("history", "bcd-cpdt", registry=sample,
                         env={"COMMITTEE_CACHE_DIR": str(cache), **env})
    return done.returncode, done.stdout.decode("utf-8"), done.stderr.decode("utf-8")


def folders(cache: Path) -> list[Path]:
    return [p for p in cache.iterdir() if p.is_dir()]


def test_a_planted_pickle_never_runs(sample: Path, tmp_path: Path) -> None:
    cache = tmp_path / "cache"
    code, clean, _ = members(sample, cache)
    assert code == 0 and NAME in clean
    marker = tmp_path / "ran"
    for folder in folders(cache):
        for name in ("result.pickle", "registry.pickle", "result", "records"):
            (folder / name).write_bytes(pickle.dumps(_Payload(marker)))
    assert members(sample, cache)[:2] == (0, clean)
    assert run_committee("validate", registry=sample,
                         env={"COMMITTEE_CACHE_DIR": str(cache)}).returncode == 0
    assert not marker.exists()


def _tamper(path: Path, key: bytes | None) -> None:
    """Forge a name inside a sealed cache file; reseal it with ``key`` (None: keep the seal)."""
    sealed = path.read_bytes()
    head = len(cache_module.MAGIC) + 32
    payload = sealed[head:].replace(NAME.encode(), FORGED.encode())
    assert payload != sealed[head:]
    mac = cache_module._mac(key, payload) if key else sealed[len(cache_module.MAGIC):head]
    path.write_bytes(cache_module.MAGIC + mac + payload)


@pytest.mark.parametrize("seal", ["kept", "wrong key", "recomputed without the key"])
def test_a_tampered_entry_is_detected_and_rebuilt(sample: Path, tmp_path: Path,
                                                  seal: str) -> None:
    cache = tmp_path / "cache"
    code, clean, _ = members(sample, cache)
    (records,) = [folder / "records" for folder in folders(cache)]
    key = {"kept": None, "wrong key": b"k" * 32,
           "recomputed without the key": b"\0" * 32}[seal]
    _tamper(records, key)
    forged = records.read_bytes()
    code, out, err = members(sample, cache)
    assert code == 0 and out == clean and FORGED not in out, err
    assert records.read_bytes() != forged  # rebuilt
    sqlite3.connect(":memory:").deserialize(records.read_bytes()[len(cache_module.MAGIC) + 32:])


def test_a_long_cache_file_is_sealed_with_hmac_sha256(cli: Run, sample: Path,
                                                      private_cache: Path,
                                                      monkeypatch: pytest.MonkeyPatch) -> None:
    """Past 64 KiB the seal is HMAC-SHA-256 (twice BLAKE2b's speed with SHA instructions);
    below it keyed BLAKE2b, so a small file is sealed without HMAC's set-up."""
    key = b"k" * 32
    long, short = b"x" * (1 << 16), b"x" * ((1 << 16) - 1)
    assert cache_module.keyed_mac(key, long) == hmac.digest(key, long, "sha256")
    assert cache_module.keyed_mac(key, short) == hashlib.blake2b(
        short, key=key, digest_size=32, person=b"committee-cache").digest()
    monkeypatch.setattr(cache_module, "_LONG", 4096)  # the sample's files are all short
    clean = cli("history", "bcd-cpdt", registry=sample).stdout  # a query of all the records
    (records,) = [folder / "records" for folder in folders(private_cache)]
    sealed = records.read_bytes()
    head = len(cache_module.MAGIC) + 32
    assert sealed[len(cache_module.MAGIC):head] == hmac.digest(
        (private_cache / "key").read_bytes(), sealed[head:], "sha256")
    assert cli("history", "bcd-cpdt", registry=sample).stdout == clean
    assert records.read_bytes() == sealed  # read back and reused, not rebuilt
    _tamper(records, None)
    forged = records.read_bytes()
    assert cli("history", "bcd-cpdt", registry=sample).stdout == clean
    assert records.read_bytes() != forged  # the long seal failed: rebuilt


def test_a_corrupt_or_foreign_cache_is_ignored(cli: Run, sample: Path,
                                              private_cache: Path, tmp_path: Path) -> None:
    clean = cli("history", "bcd-cpdt", registry=sample).stdout
    (folder,) = folders(private_cache)
    garbage = [b"", b"\xff" * 100, cache_module.MAGIC, cache_module.MAGIC + b"\0" * 5000,
               (folder / "records").read_bytes()[:-4096]]
    for junk in garbage:
        for name in ("records", "result"):
            (folder / name).write_bytes(junk)
        (private_cache / "key").write_bytes(junk[:7])
        assert cli("history", "bcd-cpdt", registry=sample).stdout == clean
        assert cli("validate", registry=sample).exit_code == 0
    (folder / "records").unlink()
    os.symlink(tmp_path / "nowhere", folder / "records")  # a link is never read or written
    assert cli("history", "bcd-cpdt", registry=sample).stdout == clean
    assert not (tmp_path / "nowhere").exists()


def test_a_cache_sealed_with_the_ci_key_needs_that_key(cli: Run, sample: Path,
                                                       private_cache: Path,
                                                       monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("COMMITTEE_CACHE_KEY", "ci secret")
    clean = cli("history", "bcd-cpdt", registry=sample).stdout
    (records,) = [folder / "records" for folder in folders(private_cache)]
    sealed = records.read_bytes()
    assert cli("history", "bcd-cpdt", registry=sample).stdout == clean
    assert records.read_bytes() == sealed  # reused, not rewritten
    monkeypatch.setenv("COMMITTEE_CACHE_KEY", "another")
    assert cli("history", "bcd-cpdt", registry=sample).stdout == clean
    assert records.read_bytes() != sealed  # not trusted: rebuilt with that key


def test_a_planted_symlink_at_a_temp_name_is_never_followed(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    victim = tmp_path / "victim"
    victim.write_text("precious", encoding="utf-8")
    target = tmp_path / "folder" / "result"
    target.parent.mkdir()
    names = iter([".result.planted.tmp"])
    real = tempfiles.temp_name
    monkeypatch.setattr(tempfiles, "temp_name", lambda name: next(names, None) or real(name))
    os.symlink(victim, target.parent / ".result.planted.tmp")
    tempfiles.replace_file(target, b"new", 0o600)
    assert victim.read_text(encoding="utf-8") == "precious"
    assert target.read_bytes() == b"new"
    assert sorted(p.name for p in target.parent.iterdir()) == [".result.planted.tmp", "result"]


def test_temp_names_are_unpredictable_and_never_left(sample: Path, tmp_path: Path) -> None:
    cache = tmp_path / "cache"
    members(sample, cache)
    names = {tempfiles.temp_name("records") for _ in range(1000)}
    assert len(names) == 1000
    assert not [p for p in cache.rglob("*") if p.name.endswith(".tmp")]
    assert oct(cache.stat().st_mode & 0o777) == "0o700"
    assert all(oct(f.stat().st_mode & 0o777) == "0o700" for f in folders(cache))
    assert all(oct(p.stat().st_mode & 0o777) == "0o600" for p in cache.rglob("*") if p.is_file())


@pytest.mark.skipif(not hasattr(os, "geteuid") or os.geteuid() != 0,
                    reason="giving a folder to another user needs root")
def test_a_cache_owned_by_another_user_is_refused_with_one_warning(
        sample: Path, tmp_path: Path) -> None:
    cache = tmp_path / "cache"
    code, clean, _ = members(sample, cache)
    marker = tmp_path / "ran"
    for folder in folders(cache):
        (folder / "records").write_bytes(pickle.dumps(_Payload(marker)))
    os.chown(cache, 4242, 4242)
    code, out, err = members(sample, cache)
    assert code == 0 and out == clean
    assert err.count("warning:") == 1 and "belongs to user 4242" in err and str(cache) in err
    assert not marker.exists()


def test_a_cache_folder_others_can_write_is_refused_with_one_warning(
        cli: Run, sample: Path, private_cache: Path) -> None:
    clean = cli("history", "bcd-cpdt", registry=sample).stdout
    (folder,) = folders(private_cache)
    os.chmod(folder, 0o777)
    result = cli("history", "bcd-cpdt", registry=sample)
    assert result.exit_code == 0 and result.stdout == clean
    assert result.stderr.count("warning:") == 1 and "others can write to it" in result.stderr
