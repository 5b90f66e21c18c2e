"""Where registry files come from: a folder, a git revision, or a folder with pending changes."""

from __future__ import annotations

import os
import subprocess
from collections.abc import Mapping
from pathlib import Path
from typing import Protocol

from committee_cli.errors import CommitteeError, ExitCode, UsageError
from committee_cli.i18n import tr
from committee_cli.model.records import CONFIG_FILE, KINDS, safe_id
from committee_cli.store.gitindex import work_tree_keys
from committee_cli.store.gitlisting import GitListing, Recalled
from committee_cli.store.gitstart import folder_token
from committee_cli.store.gitstart import take as take_early
from committee_cli.store.packed import PackedFiles
from committee_cli.store.transaction import COMMITTED_NOTE, JOURNAL, committed_to_git, pending_change

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


def _outside(path: Path | str, real_root: str) -> bool:
    return not os.path.realpath(path).startswith(real_root + os.sep)


class DirSource:
    """A registry folder on disk.

    A change that a killed run left half-written (its journal written, not every file renamed)
    is read as finished, as the next change command will finish it: readers see the registry
    before a change or after it, never a mix.
    """

    def __init__(self, root: Path) -> None:
        self.root = root
        self.label = str(root)
        self._prefix = os.path.join(str(root), "")
        self._stray: list[str] = []
        self._pending: dict[str, str] = {}
        self._token: tuple[int, int] | None = None
        self._paths: list[str] = []
        self._links = False  # the last full listing met a symbolic link
        self._git: GitListing | None = None
        self._known: dict[str, bytes] | None = None
        self._known_packed: PackedFiles | None = None  # ``_known`` packed, when the listing was
        self._given: PackedFiles | None = None  # what the last ``blob_keys`` gave, packed
        self._recalled: Recalled | None = None
        self._ahead_token: tuple[int, int] | None = None
        self.state_digest: bytes | None = None  # names the last paths()' state (recall_state)

    def paths(self) -> list[str]:
        """Every registry file under the folder; symlinks leaving the registry are refused.

        In a git work tree, the files an earlier exact listing found are taken again when
        nothing that could add, remove or rename one moved since (``store/gitlisting.py``)."""
        recalled, self._recalled = self._recalled, None
        if recalled is None:
            self.recall_state()
            recalled, self._recalled = self._recalled, None
        else:
            self._token = self._ahead_token
        self._known = self._known_packed = None
        self.state_digest = recalled.digest if recalled is not None else None
        known = None
        if recalled is not None:
            try:
                known = recalled.known()
            except ValueError:  # the kept paths were tampered with: a full listing
                self.state_digest = None
        if known is not None:
            self._git, self._known, self._known_packed = None, known.keys, known.packed
            self._stray, self._pending, self._paths = list(known.stray), {}, list(known.paths)
            return list(known.paths)
        self._paths = self._scan()
        return list(self._paths)

    @property
    def recalled(self) -> bool:
        """Whether the last ``paths()`` came from an exact listing kept in the cache."""
        return self.state_digest is not None

    def recall_state(self) -> bytes | None:
        """The digest that names the state of the registry's files exactly, when an exact
        listing kept in the cache still holds (``store/gitlisting.py``); None otherwise. The
        next ``paths()`` then takes its files from that listing."""
        early = take_early(self.root)  # begun at the start of the process (store/gitstart.py)
        self._token = self._ahead_token = early.token if early is not None else self._folder_token()
        if self._git is not None:
            self._git.close()
        self._git = GitListing.start(self.root, REGISTRY_FOLDERS, early)
        self._recalled = self._git.recall(self._relist) if self._git is not None else None
        return self._recalled.digest if self._recalled is not None else None

    def _scan(self) -> list[str]:
        """List the folders (the full listing)."""
        found: set[str] = set()
        self._stray = []
        hidden_temp: list[str] = []
        real_root = os.path.realpath(self.root)
        config = self.root / CONFIG_FILE
        self._links = config.is_symlink()  # where a link leads can change unseen: none is kept
        if config.is_symlink() and _outside(config, real_root):
            self._stray.append(f"{CONFIG_FILE} (symlink out of the registry)")
        elif config.is_file():
            found.add(CONFIG_FILE)
        for folder in REGISTRY_FOLDERS:
            files, stray, temp, links = self._scan_folder(folder, real_root)
            found.update(files)
            self._stray.extend(stray)
            hidden_temp.extend(temp)
            self._links = self._links or links
        self._pending = self._pending_change(found)
        if hidden_temp:  # a temp file committed to git is reported as it is at a revision
            self._stray.extend(f"{rel} {COMMITTED_NOTE}"
                               for rel in committed_to_git(self.root, hidden_temp))
        return sorted(found)

    def _scan_folder(self, folder: str,
                     real_root: str) -> tuple[list[str], list[str], list[str], bool]:
        """One record folder's files, strays, hidden temp files, and whether it holds (or is)
        a symbolic link."""
        files: list[str] = []
        stray: list[str] = []
        temp: list[str] = []
        base = self.root / folder
        if not base.is_dir():
            return files, stray, temp, False
        links = base.is_symlink()
        if links and _outside(base, real_root):
            return files, [f"{folder} (symlink out of the registry)"], temp, True
        prefix = f"{folder}/"
        with os.scandir(base) as entries:
            for entry in entries:
                name = entry.name
                rel = prefix + name
                if name.startswith("."):
                    if name.endswith(".tmp"):
                        temp.append(rel)
                    continue  # editor and temp files (.x.yaml.tmp) are never read
                if entry.is_symlink():
                    links = True
                    if _outside(entry.path, real_root):
                        stray.append(rel + " (symlink out of the registry)")
                        continue
                if name.endswith(".yaml") and entry.is_file():
                    files.append(rel)
                else:
                    stray.append(rel)
        return files, stray, temp, links

    def _relist(self, folder: str) -> tuple[list[str], list[str]] | None:
        """One record folder listed again for a kept listing (``store/gitlisting.py``): its
        files and strays; None when it holds what a kept listing never does (a symbolic link,
        a temp file: a full listing sorts them out; the kept listing checks that the names new
        to it are safe ids)."""
        try:
            files, stray, temp, links = self._scan_folder(folder, os.path.realpath(self.root))
        except OSError:
            return None
        if links or temp:
            return None
        return files, stray

    def _pending_change(self, found: set[str]) -> dict[str, str]:
        """Lay an interrupted change's journal over ``found``; return {file: its temp file}."""
        try:
            staged = pending_change(self.root) or {}
        except CommitteeError:
            self._stray.append(f"{JOURNAL} (a change journal not written by committee-cli)")
            return {}
        if staged and committed_to_git(self.root, [JOURNAL]):
            self._stray.append(f"{JOURNAL} {COMMITTED_NOTE}")
            return {}
        pending: dict[str, str] = {}
        for rel, tmp in staged.items():
            if rel != CONFIG_FILE and not (rel.count("/") == 1 and rel.endswith(".yaml")
                                           and rel.split("/")[0] in REGISTRY_FOLDERS):
                continue
            if tmp is None:
                found.discard(rel)
            elif os.path.isfile(self._prefix + tmp) and not os.path.islink(self._prefix + tmp):
                found.add(rel)
                pending[rel] = tmp
        return pending

    def read(self, rel: str) -> bytes:
        """Read one file's bytes (as an interrupted change being finished will leave them)."""
        tmp = self._pending.get(rel)
        if tmp is not None:
            try:
                with open(self._prefix + tmp, "rb") as handle:
                    return handle.read()
            except FileNotFoundError:
                pass  # renamed into place since paths(): the file itself is current
        return _read_bytes(self._prefix + rel)

    def blob_keys(self, rels: list[str]) -> dict[str, bytes] | None:
        """The git blob id (20 bytes) of each of ``rels`` as it is now (git's index where git
        vouches for the file, else read and hashed), None outside a git work tree. Files an
        interrupted change is finishing are left out: the caller reads them as they will be.
        A file that cannot be read is left out (the caller reports it)."""
        self._given = None
        if self._known is not None:
            known = self._known
            if rels == self._paths and len(known) == len(rels):
                self._given = self._known_packed
                return dict(known)  # (the common case: every file, all readable)
            return {rel: known[rel] for rel in rels if rel in known}
        wanted = sorted({rel for rel in rels if rel not in self._pending})
        found = work_tree_keys(self.root, wanted)
        if found is None:
            return None
        keys, view = found
        if self._git is not None:
            if view.exact and not self._pending and not self._links and wanted == self._paths \
                    and all(rel == CONFIG_FILE or safe_id(rel.split("/", 1)[1][:-len(".yaml")])
                            for rel in wanted):  # (a kept listing names safe ids only)
                self._git.remember(self._paths, self._stray, view.staged)
            self._git.close()
            self._git = None
        return keys

    def packed_keys(self) -> PackedFiles | None:
        """The keys the last ``blob_keys`` gave, packed in path order, when the kept listing
        held them so (None: the caller packs them)."""
        given, self._given = self._given, None
        return given

    def stray(self) -> list[str]:
        """Non-YAML entries seen by the last ``paths()``."""
        return list(self._stray)

    def unchanged(self) -> bool:
        """True when no change was committed or finished since the last ``paths()``: every change
        writes and removes its journal in the registry folder, which moves the folder's times."""
        return self._token is not None and self._folder_token() == self._token

    def _folder_token(self) -> tuple[int, int] | None:
        return folder_token(self.root)


def _read_bytes(path: str) -> bytes:
    """A whole file with plain system calls (this runs for every file, every run)."""
    fd = os.open(path, os.O_RDONLY)
    try:
        data = os.read(fd, 1 << 16)
        if len(data) == 1 << 16:
            chunks = [data]
            while chunk := os.read(fd, 1 << 20):
                chunks.append(chunk)
            data = b"".join(chunks)
        return data
    finally:
        os.close(fd)


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
        raise CommitteeError(tr("git is not installed: install git to use this command"),
                             ExitCode.GIT) from None
    if result.returncode != 0:
        message = result.stderr.decode("utf-8", "replace").strip() or "git failed"
        raise CommitteeError(tr("git {command}: {message}", command=args[0], message=message), ExitCode.GIT)
    return result.stdout


class GitSource:
    """A registry folder as it was at a git revision (read with git, work tree untouched)."""

    def __init__(self, registry_dir: Path, rev: str) -> None:
        self.registry_dir = registry_dir.resolve()
        try:
            top = git(self.registry_dir, "rev-parse", "--show-toplevel").decode().strip()
        except CommitteeError:
            raise CommitteeError(tr("{registry_dir} is not in a git repository",
                                    registry_dir=registry_dir), ExitCode.GIT) from None
        self.top = Path(top)
        prefix = self.registry_dir.relative_to(self.top).as_posix()
        self.prefix = "" if prefix == "." else prefix + "/"
        try:
            self.commit = git(self.top, "rev-parse", "--verify", "--quiet",
                              f"{rev}^{{commit}}").decode().strip()
        except CommitteeError:
            raise UsageError(tr("unknown git revision '{rev}'", rev=rev)) from None
        self.rev = rev
        self.label = f"{rev}:{self.prefix or '.'}"
        self._blobs: dict[str, str] = {}
        self._committed: list[str] = []  # a change journal committed by mistake
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
            elif rel == JOURNAL:
                self._committed.append(rel)
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

    def blob_keys(self, rels: list[str]) -> dict[str, bytes]:
        """The blob id (20 bytes) of each of ``rels`` at the revision."""
        return {rel: bytes.fromhex(self._blobs[rel]) for rel in rels if rel in self._blobs}

    def read(self, rel: str) -> bytes:
        """A file's bytes at the revision."""
        data = self._load_all().get(rel)
        if data is None:
            raise FileNotFoundError(rel)
        return data

    def stray(self) -> list[str]:
        """Non-YAML files at the revision, and a committed journal or temp file."""
        found = [f"{rel} {COMMITTED_NOTE}" if rel.rsplit("/", 1)[-1].startswith(".")
                 and rel.endswith(".tmp") else rel
                 for rel in self._blobs if not rel.endswith(".yaml")]
        return sorted(found + [f"{rel} {COMMITTED_NOTE}" for rel in self._committed])


TEMPLATES_FOLDER = "templates"
TEMPLATE_SUFFIX = ".j2"


def registry_template_files(registry_dir: Path) -> list[Path]:
    """The registry's own template files in its work tree (``templates/*.j2``), sorted: hidden
    files, non-files and anything linked out of the registry are not its templates."""
    folder = registry_dir / TEMPLATES_FOLDER
    if not folder.is_dir():
        return []
    real_root = os.path.realpath(folder)
    if not real_root.startswith(os.path.realpath(registry_dir) + os.sep):
        return []  # templates/ linked to a folder outside the registry is not the registry's
    try:
        entries = sorted(folder.iterdir())
    except OSError:
        return []  # unreadable: rendering reports it when it reads a template
    return [path for path in entries
            if path.name.endswith(TEMPLATE_SUFFIX) and not path.name.startswith(".")
            and os.path.realpath(path).startswith(real_root + os.sep) and path.is_file()]
