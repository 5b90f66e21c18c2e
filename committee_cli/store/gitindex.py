"""What each registry file holds now, known the way git knows it: from git's own index.

git keeps, for every tracked file, its blob id and the stat data that tell whether the file
changed since (comparing content where the stat data cannot tell: the "racily clean" files).
``work_tree_keys`` asks git once which files are unchanged and takes their blob ids from
the index; every other file (modified, untracked, ignored, added with intent, in a merge
conflict, marked assume-unchanged or skip-worktree, a symlink, or converted by git on checkout:
``core.autocrlf``, ``text``/``eol``/``filter``/``ident``/``working-tree-encoding`` attributes)
is read and hashed here. Outside a git work tree (or without git) it answers None and the
caller hashes every file itself. The answer is always the blob id of the bytes in the work tree
now: ``git_blob_id(open(path, "rb").read())``.
"""

from __future__ import annotations

import hashlib
import os
import subprocess
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

# attributes under which git converts a file between the index and the work tree
_CONVERTING = ("text", "eol", "crlf", "filter", "ident", "working-tree-encoding")
_PLAIN_MODES = (b"100644", b"100755")


def git_blob_id(data: bytes) -> str:
    """git's blob id of ``data`` (the SHA-1 of ``blob <size>\\0`` and the bytes), in hex."""
    return blob_key(data).hex()


def _git(root: Path, *args: str) -> subprocess.Popen[bytes]:
    env = dict(os.environ, GIT_OPTIONAL_LOCKS="0", LC_ALL="C")
    return subprocess.Popen(["git", "--literal-pathspecs", "-C", str(root), *args],
                            stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                            stderr=subprocess.DEVNULL, env=env)


_HEX = frozenset(b"0123456789abcdef")


@dataclass
class IndexView:
    """What git's index says of the registry's files: the blob id of each file git vouches
    for as unchanged (``clean``), the index's blob id of every plain entry (``staged``), and
    whether git compares every file byte for byte with its blob (``exact``: no conversion, no
    assume-unchanged or skip-worktree entry, no symbolic link, no conflict)."""

    clean: dict[str, str]
    staged: dict[str, str]
    exact: bool


def _index_entries(out: bytes, modified: bytes) -> tuple[dict[str, str], dict[str, str], bool]:
    """Parse ``ls-files -z -v -s`` and ``diff-files -z --name-only``: (the blob ids of the
    entries git vouches for, the blob id of every plain stage-0 entry, whether no entry is
    flagged, linked or in conflict)."""
    clean: dict[str, str] = {}
    staged: dict[str, str] = {}
    doubtful = [name for name in os.fsdecode(modified).split("\0") if name]  # stat or content
    exact = True
    for entry in out.split(b"\0"):  # "<tag> <mode> <blob id> <stage>\t<path>"
        head, tab, raw_name = entry.partition(b"\t")
        fields = head.split(b" ")
        if not tab or len(fields) != 4:
            exact = exact and not entry  # (the empty one after the last NUL)
            continue
        tag, mode, blob, stage = fields
        name = os.fsdecode(raw_name)
        # a plain file in no conflict, with a SHA-1 id (the ids hashed here: a SHA-256
        # repository's files are all read and hashed)
        plain = stage == b"0" and mode in _PLAIN_MODES and len(blob) == 40 \
            and _HEX.issuperset(blob)
        if plain and tag == b"H":
            staged[name] = clean[name] = blob.decode("ascii")
        else:
            exact = False  # assume-unchanged (h), skip-worktree (S), conflict, symlink, …
            doubtful.append(name)
    for name in doubtful:
        clean.pop(name, None)
    return clean, staged, exact


def _converted(out: bytes) -> set[str]:
    """Paths that ``check-attr -z --all`` says git converts between index and work tree."""
    fields = os.fsdecode(out).split("\0")
    found: set[str] = set()
    for i in range(0, len(fields) - 2, 3):
        name, attr, value = fields[i:i + 3]
        if attr in _CONVERTING and value not in ("unspecified", "unset"):
            found.add(name)
    return found


def index_view(root: Path, paths: Iterable[str]) -> IndexView | None:
    """What git's index says of ``paths`` (registry-relative POSIX paths under ``root``); None
    when ``root`` is not in a git work tree or git is missing."""
    wanted = sorted(set(paths))
    folders = sorted({rel.split("/", 1)[0] for rel in wanted}) or ["."]
    try:
        listing = _git(root, "ls-files", "-z", "-v", "-s", "--", *folders)
        # what git cannot vouch for: its stat data differ, or (racily clean) the content does;
        # git's own test, on several threads, as in `git status`
        modified = _git(root, "diff-files", "-z", "--name-only", "--relative", "--", *folders)
        attrs = _git(root, "check-attr", "-z", "--all", "--stdin")  # only those set
        autocrlf = _git(root, "config", "--get", "core.autocrlf")
    except OSError:
        return None  # git is not installed
    attr_out, _ = attrs.communicate(b"".join(os.fsencode(rel) + b"\0" for rel in wanted))
    listed, _ = listing.communicate()
    changed, _ = modified.communicate()
    crlf, _ = autocrlf.communicate()
    if listing.returncode != 0 or modified.returncode != 0:
        return None  # not a work tree (or a bare repository, or a broken one)
    clean, staged, exact = _index_entries(listed, changed)
    if crlf.strip().lower() in (b"true", b"input", b"yes", b"on", b"1"):
        clean, exact = {}, False  # every text file may differ from its blob
    elif attrs.returncode == 0:
        for rel in _converted(attr_out):
            clean.pop(rel, None)
            exact = False
    else:
        clean, exact = {}, False
    return IndexView(clean, staged, exact)


def work_tree_keys(root: Path,
                   paths: Iterable[str]) -> tuple[dict[str, bytes], IndexView] | None:
    """The blob id (20 bytes) of each of ``paths`` (registry-relative POSIX paths under
    ``root``) as the file is now in the work tree, with what git's index says of them; None
    when ``root`` is not in a git work tree or git is missing. A path that cannot be read is
    left out (the caller reports it)."""
    wanted = sorted(set(paths))
    view = index_view(root, wanted)
    if view is None:
        return None
    return _hashed_keys(root, wanted, view.clean), view


def _hashed_keys(root: Path, paths: Iterable[str], known: dict[str, str]) -> dict[str, bytes]:
    """The blob id (20 bytes) of each of ``paths``: from ``known`` (hex), else read and hashed;
    a path that cannot be read is left out."""
    keys: dict[str, bytes] = {}
    prefix = os.path.join(str(root), "")
    for rel in paths:
        blob = known.get(rel)
        if blob is not None:
            keys[rel] = bytes.fromhex(blob)
            continue
        try:  # (a tracked file now a symlink is listed as modified)
            with open(prefix + rel, "rb") as handle:
                keys[rel] = blob_key(handle.read())
        except OSError:
            continue
    return keys


def blob_key(data: bytes) -> bytes:
    """``git_blob_id(data)`` as its 20 bytes (the content key of a registry file)."""
    return hashlib.sha1(b"blob %d\0" % len(data) + data, usedforsecurity=False).digest()
