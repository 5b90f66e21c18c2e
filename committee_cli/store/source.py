"""Where registry files come from: a folder, a git revision, or a folder with pending changes."""

from __future__ import annotations

import os
import subprocess
from collections.abc import Mapping
from pathlib import Path
from typing import Protocol

from committee_cli.errors import CommitteeError, ExitCode, UsageError
from committee_cli.model.records import CONFIG_FILE, KINDS

REGISTRY_FOLDERS = tuple(folder for folder, _ in KINDS.values())


class Source(Protocol):
    """A read-only view of a registry's files, by registry-relative POSIX path."""

    label: str

    def paths(self) -> list[str]:
        """Every registry file (``registry.yaml`` and ``<folder>/<id>.yaml``), sorted."""
        ...

    def read(self, rel: str) -> bytes:
        """The bytes of one file."""
        ...

    def stray(self) -> list[str]:
        """Files inside the registry folders that are not ``*.yaml`` (reported, not read)."""
        ...


class DirSource:
    """A registry folder on disk."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self.label = str(root)
        self._prefix = os.path.join(str(root), "")
        self._stray: list[str] = []

    def paths(self) -> list[str]:
        """Every registry file under the folder; symlinks leaving the registry are refused."""
        found: list[str] = []
        self._stray = []
        if (self.root / CONFIG_FILE).is_file():
            found.append(CONFIG_FILE)
        real_root = os.path.realpath(self.root)
        for folder in REGISTRY_FOLDERS:
            base = self.root / folder
            if not base.is_dir():
                continue
            with os.scandir(base) as entries:
                for entry in entries:
                    rel = f"{folder}/{entry.name}"
                    if entry.name.startswith("."):
                        continue  # editor and temp files (.x.yaml.tmp) are never read
                    if entry.is_symlink():
                        target = os.path.realpath(entry.path)
                        if not target.startswith(real_root + os.sep):
                            self._stray.append(rel + " (symlink out of the registry)")
                            continue
                    if entry.name.endswith(".yaml") and entry.is_file():
                        found.append(rel)
                    else:
                        self._stray.append(rel)
        found.sort()
        return found

    def read(self, rel: str) -> bytes:
        """Read one file's bytes."""
        with open(self._prefix + rel, "rb") as handle:
            return handle.read()

    def stray(self) -> list[str]:
        """Non-YAML entries seen by the last ``paths()``."""
        return list(self._stray)


class OverlaySource:
    """A source with some files replaced, added (text) or deleted (None): a change not yet written."""

    def __init__(self, base: Source, changes: Mapping[str, str | None]) -> None:
        self.base = base
        self.changes = dict(changes)
        self.label = base.label

    def paths(self) -> list[str]:
        """Base paths plus added ones, minus deleted ones."""
        names = set(self.base.paths())
        for rel, text in self.changes.items():
            if text is None:
                names.discard(rel)
            else:
                names.add(rel)
        return sorted(names)

    def read(self, rel: str) -> bytes:
        """The changed text when there is one, else the base file."""
        if rel in self.changes:
            text = self.changes[rel]
            if text is None:
                raise FileNotFoundError(rel)
            return text.encode("utf-8")
        return self.base.read(rel)

    def stray(self) -> list[str]:
        """As the base."""
        return self.base.stray()


def git(repo: Path, *args: str, input_bytes: bytes | None = None) -> bytes:
    """Run git in ``repo``; raise CommitteeError(GIT) with git's own message on failure."""
    try:
        result = subprocess.run(["git", "-C", str(repo), *args], capture_output=True,
                                input=input_bytes, check=False)
    except FileNotFoundError:
        raise CommitteeError("git is not installed: install git to use this command",
                             ExitCode.GIT) from None
    if result.returncode != 0:
        message = result.stderr.decode("utf-8", "replace").strip() or "git failed"
        raise CommitteeError(f"git {args[0]}: {message}", ExitCode.GIT)
    return result.stdout


class GitSource:
    """A registry folder as it was at a git revision (read with git, work tree untouched)."""

    def __init__(self, registry_dir: Path, rev: str) -> None:
        self.registry_dir = registry_dir.resolve()
        try:
            top = git(self.registry_dir, "rev-parse", "--show-toplevel").decode().strip()
        except CommitteeError:
            raise CommitteeError(f"{registry_dir} is not in a git repository", ExitCode.GIT) from None
        self.top = Path(top)
        prefix = self.registry_dir.relative_to(self.top).as_posix()
        self.prefix = "" if prefix == "." else prefix + "/"
        try:
            self.commit = git(self.top, "rev-parse", "--verify", "--quiet",
                              f"{rev}^{{commit}}").decode().strip()
        except CommitteeError:
            raise UsageError(f"unknown git revision '{rev}'") from None
        self.rev = rev
        self.label = f"{rev}:{self.prefix or '.'}"
        self._blobs: dict[str, str] = {}
        listing = git(self.top, "ls-tree", "-r", "-z", self.commit, "--", self.prefix or ".")
        for entry in listing.split(b"\0"):
            if not entry:
                continue
            meta, path = entry.split(b"\t", 1)
            rel = path.decode("utf-8")[len(self.prefix):]
            parts = meta.split()
            if parts[1] != b"blob":
                continue
            folder = rel.split("/", 1)[0]
            if rel == CONFIG_FILE or (folder in REGISTRY_FOLDERS and rel.count("/") == 1):
                self._blobs[rel] = parts[2].decode()
        self._cache: dict[str, bytes] | None = None

    def paths(self) -> list[str]:
        """Registry files at the revision."""
        return sorted(rel for rel in self._blobs if rel.endswith(".yaml")
                      and not rel.split("/")[-1].startswith("."))

    def _load_all(self) -> dict[str, bytes]:
        if self._cache is None:
            names = self.paths()
            request = "".join(f"{self._blobs[n]}\n" for n in names).encode()
            out = git(self.top, "cat-file", "--batch", input_bytes=request)
            cache: dict[str, bytes] = {}
            pos = 0
            for name in names:
                header_end = out.index(b"\n", pos)
                size = int(out[pos:header_end].split()[2])
                start = header_end + 1
                cache[name] = out[start:start + size]
                pos = start + size + 1
            self._cache = cache
        return self._cache

    def read(self, rel: str) -> bytes:
        """A file's bytes at the revision."""
        data = self._load_all().get(rel)
        if data is None:
            raise FileNotFoundError(rel)
        return data

    def stray(self) -> list[str]:
        """Non-YAML files at the revision."""
        return sorted(rel for rel in self._blobs if not rel.endswith(".yaml"))
