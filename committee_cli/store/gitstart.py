"""Git's part of a registry's listing, started before the rest of the program is imported.

A command that reads a registry in a git work tree asks ``git diff-files`` which files git can
no longer vouch for (``store/gitlisting.py``); on a national registry git takes about as long
as ``git status`` for that, and Python about as long again to import what the command needs.
Neither waits for the other: the command line (``committee_cli.cli.app``) calls ``start_early``
first, with only the standard library and this module loaded, and the listing takes what was
started (``take``) when it opens the same folder.

``begin`` reads, in this order, what ``GitListing`` compares at the end to know that nothing
moved meanwhile: the registry folder's own times (a change finishing writes its journal there),
where git keeps its index and attribute files and the settings that change how git compares a
file, the checksum at the end of the index, the names in the registry folder and the times of
each folder in it; only then does it start ``git diff-files``. A view begun early is the same
as one begun when the registry is opened, only earlier: what it finds is the registry as it
was when the command started, and anything that moved since is seen by the same checks.
"""

from __future__ import annotations

import atexit
import contextlib
import hashlib
import os
import subprocess
from dataclasses import dataclass
from pathlib import Path

from committee_cli.store.transaction import LOCK_FILE, OWNER_FILE

SETTINGS = (r"^core\.(autocrlf|eol|safecrlf|attributesfile|checkstat|trustctime|ignorestat"
            r"|symlinks|filemode|precomposeunicode|fsmonitor|untrackedcache|splitindex"
            r"|sparsecheckout)$")
_LOCK_NAMES = frozenset({LOCK_FILE, OWNER_FILE})


@dataclass
class Begun:
    """What ``begin`` read of a registry folder and its work tree, and ``git diff-files``
    started after it (its output not read yet)."""

    real: str  # the registry folder, all links resolved
    token: tuple[int, int] | None  # the registry folder's modification and change times
    index_path: Path
    settings: bytes  # git's settings and attribute files (stat data), as one key part
    index: bytes  # the index's checksum (``index_checksum``)
    top: bytes  # the names in the registry folder (``top_names``)
    stats: dict[str, str]  # each folder's in it (``folder_stat``)
    changed: subprocess.Popen[bytes] | None

    def close(self) -> None:
        """Stop ``git diff-files`` if it still runs, and let go of it."""
        stop(self.changed)
        self.changed = None


def stop(process: subprocess.Popen[bytes] | None) -> None:
    """Stop a git process if it still runs, and wait for it."""
    if process is not None:
        if process.poll() is None:
            process.kill()
        process.communicate()


def git(root: Path | str, *args: str) -> subprocess.Popen[bytes]:
    """Start git in ``root`` (no optional locks, C locale, paths taken literally)."""
    env = dict(os.environ, GIT_OPTIONAL_LOCKS="0", LC_ALL="C")
    return subprocess.Popen(["git", "--literal-pathspecs", "-C", str(root), *args],
                            stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                            stderr=subprocess.DEVNULL, env=env)


def begin(root: Path | str, early: bool = False) -> Begun | None:
    """The view of the work tree holding ``root`` with ``git diff-files`` started (None: no
    git, not a work tree, or git's checks weakened). Begun ``early``, while the process imports
    the rest of the program, git compares the files in one thread rather than one per core
    (``core.preloadIndex``): the imports keep a core of their own, and git still ends first."""
    real = os.path.realpath(root)
    token = folder_token(real)
    try:
        where = git(real, "rev-parse", "--git-path", "index", "--git-path", "info/attributes",
                    "--show-toplevel")
        config = git(real, "config", "-z", "--get-regexp", SETTINGS)
    except OSError:
        return None
    out, _ = where.communicate()
    settings, _ = config.communicate()
    lines = os.fsdecode(out).splitlines()
    if where.returncode != 0 or len(lines) < 3:
        return None
    values: dict[str, str] = {}
    for item in filter(None, os.fsdecode(settings).split("\0")):
        name, _, value = item.partition("\n")
        values[name] = value if "\n" in item else "true"  # (a key without a value)
    if weakened(values):
        return None
    base = Path(real)
    places = [base / lines[1], *_gitattributes(base, Path(lines[2])),
              _global_attributes(values.get("core.attributesfile"))]
    index_path = base / lines[0]  # (an absolute path stays itself)
    begun = Begun(real, token, index_path,
                  b"\n".join([os.fsencode(lines[2]), settings, *map(_stat_line, places)]),
                  index_checksum(index_path), top_names(real), {}, None)
    with contextlib.suppress(OSError), os.scandir(real) as entries:
        begun.stats = {entry.name: folder_stat(entry.path) for entry in entries
                       if entry.name not in _LOCK_NAMES}
    with contextlib.suppress(OSError):  # (one thread: the other core is Python's, importing)
        begun.changed = git(real, *(("-c", "core.preloadIndex=false") if early else ()),
                            "diff-files", "-z", "--name-only", "--relative")
    return begun


_early: dict[str, Begun] = {}


def start_early(root: Path | str, one_thread: bool = True) -> None:
    """Begin the view of ``root`` now, for the listing to take later (``take``); what is not
    taken is stopped when the process ends. ``one_thread``: while Python imports (``begin``);
    a change begun under the lock lets git use every core, as Python waits on the disk."""
    if not _early:
        atexit.register(_stop_untaken)
    begun = begin(root, early=one_thread)
    if begun is not None:
        _early[begun.real] = begun


def take(root: Path | str) -> Begun | None:
    """The view of ``root`` begun early, if any (once)."""
    if not _early:
        return None
    return _early.pop(os.path.realpath(root), None)


def _stop_untaken() -> None:
    while _early:
        _early.popitem()[1].close()


def folder_token(path: Path | str) -> tuple[int, int] | None:
    """A folder's modification and change times (None: it cannot be read)."""
    try:
        info = os.stat(path)
    except OSError:
        return None
    return info.st_mtime_ns, info.st_ctime_ns


def folder_stat(path: str) -> str:
    """A folder's modification and change times, inode and device ("-": none): a file added,
    removed or renamed in it moves them."""
    try:
        info = os.stat(path)
    except OSError:
        return "-"
    return f"{info.st_mtime_ns} {info.st_ctime_ns} {info.st_ino} {info.st_dev}"


def top_names(root: Path | str) -> bytes:
    """The names in the registry folder, a folder's with a slash, in order, the lock files
    left out (b"-" when it cannot be listed)."""
    try:
        with os.scandir(root) as entries:
            names = sorted(os.fsencode(entry.name) + (b"/" if entry.is_dir(follow_symlinks=False)
                                                      else b"")
                           for entry in entries if entry.name not in _LOCK_NAMES)
    except OSError:
        return b"-"
    return b"\0".join(names)


def index_checksum(index_path: Path) -> bytes:
    """The checksum git keeps at the end of its index (the whole file's hash when git was told
    to skip it), with the file's size; b"" when there is no index."""
    try:
        with open(index_path, "rb") as handle:
            size = os.fstat(handle.fileno()).st_size
            handle.seek(max(0, size - 32))
            tail = handle.read()
            if not tail[-20:].strip(b"\0"):  # index.skipHash: no checksum kept (SHA-1 or 256)
                handle.seek(0)
                tail = hashlib.blake2b(handle.read(), digest_size=32).digest()
    except OSError:
        return b""
    return b"%d:" % size + tail


def weakened(values: dict[str, str]) -> bool:
    """Whether git was told to trust less than its stat data (or to ignore them)."""
    falsy, truthy = ("false", "no", "off", "0"), ("true", "yes", "on", "1")
    return (values.get("core.checkstat", "").lower() == "minimal"
            or values.get("core.trustctime", "").lower() in falsy
            or values.get("core.ignorestat", "").lower() in truthy)


def _gitattributes(root: Path, top: Path) -> list[Path]:
    """The ``.gitattributes`` files that apply to the registry from its folder up to the top of
    the work tree (those further in are files git sees)."""
    places: list[Path] = []
    here, top = root.resolve(), top.resolve()
    while True:
        places.append(here / ".gitattributes")
        if here == top or here.parent == here:
            return places
        here = here.parent


def _global_attributes(configured: str | None) -> Path:
    if configured:
        return Path(os.path.expanduser(configured))
    xdg = os.environ.get("XDG_CONFIG_HOME") or os.path.join(os.path.expanduser("~"), ".config")
    return Path(xdg) / "git" / "attributes"


def _stat_line(place: Path) -> bytes:
    """Which attribute file is there, and its stat data (b"-" when there is none)."""
    try:
        info = os.stat(place)
    except OSError:
        return os.fsencode(place) + b" -"
    return b"%s %d %d %d %d" % (os.fsencode(place), info.st_size, info.st_mtime_ns,
                                info.st_ctime_ns, info.st_ino)
