"""What each registry file holds now, known the way git knows it: from git's own index.

git keeps, for every tracked file, its blob id and the stat data that tell whether the file
changed since (comparing content where the stat data cannot tell: the "racily clean" files).
``work_tree_blob_ids`` asks git once which files are unchanged and takes their blob ids from
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
import re
import subprocess
from collections.abc import Iterable
from pathlib import Path

# attributes under which git converts a file between the index and the work tree
_CONVERTING = ("text", "eol", "crlf", "filter", "ident", "working-tree-encoding")
_PLAIN_MODES = ("100644", "100755")


def git_blob_id(data: bytes) -> str:
    """git's blob id of ``data`` (the SHA-1 of ``blob <size>\\0`` and the bytes), in hex."""
    return blob_key(data).hex()


def _git(root: Path, *args: str) -> subprocess.Popen[bytes]:
    env = dict(os.environ, GIT_OPTIONAL_LOCKS="0", LC_ALL="C")
    return subprocess.Popen(["git", "--literal-pathspecs", "-C", str(root), *args],
                            stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                            stderr=subprocess.DEVNULL, env=env)


_ENTRY = re.compile(r"([A-Za-z]) ([0-7]+) ([0-9a-f]+) ([0-3])\t([^\0]*)\0")


def _index_entries(out: bytes) -> dict[str, str]:
    """Parse ``ls-files -z -v -c -m -s``: the blob ids of the entries git vouches for."""
    clean: dict[str, str] = {}
    doubtful: list[str] = []
    for tag, mode, blob, stage, name in _ENTRY.findall(os.fsdecode(out)):
        if tag != "H" or stage != "0" or mode not in _PLAIN_MODES:
            doubtful.append(name)  # modified (C), assume-unchanged (h), skip-worktree (S), conflict
        else:
            clean[name] = blob
    for name in doubtful:
        clean.pop(name, None)
    return clean


def _converted(out: bytes) -> set[str]:
    """Paths that ``check-attr -z --all`` says git converts between index and work tree."""
    fields = os.fsdecode(out).split("\0")
    found: set[str] = set()
    for i in range(0, len(fields) - 2, 3):
        name, attr, value = fields[i:i + 3]
        if attr in _CONVERTING and value not in ("unspecified", "unset"):
            found.add(name)
    return found


def work_tree_blob_ids(root: Path, paths: Iterable[str]) -> dict[str, str] | None:
    """The blob id of each of ``paths`` (registry-relative POSIX paths under ``root``) as the
    file is now in the work tree; None when ``root`` is not in a git work tree or git is
    missing. A path that cannot be read is left out (the caller reports it)."""
    wanted = sorted(set(paths))
    folders = sorted({rel.split("/", 1)[0] for rel in wanted}) or ["."]
    try:
        listing = _git(root, "ls-files", "-z", "-v", "-c", "-m", "-s", "--", *folders)
        attrs = _git(root, "check-attr", "-z", "--all", "--stdin")  # only those set
        autocrlf = _git(root, "config", "--get", "core.autocrlf")
    except OSError:
        return None  # git is not installed
    attr_out, _ = attrs.communicate(b"".join(os.fsencode(rel) + b"\0" for rel in wanted))
    listed, _ = listing.communicate()
    crlf, _ = autocrlf.communicate()
    if listing.returncode != 0:
        return None  # not a work tree (or a bare repository, or a broken one)
    clean = _index_entries(listed)
    if crlf.strip().lower() in (b"true", b"input", b"yes", b"on", b"1"):
        clean = {}  # every text file may differ from its blob
    elif attrs.returncode == 0:
        for rel in _converted(attr_out):
            clean.pop(rel, None)
    else:
        clean = {}
    ids: dict[str, str] = {}
    prefix = os.path.join(str(root), "")
    for rel in wanted:
        blob = clean.get(rel)
        if blob is None:  # (a tracked file now a symlink is listed as modified)
            try:
                with open(prefix + rel, "rb") as handle:
                    blob = git_blob_id(handle.read())
            except OSError:
                continue
        ids[rel] = blob
    return ids


def blob_key(data: bytes) -> bytes:
    """``git_blob_id(data)`` as its 20 bytes (the content key of a registry file)."""
    return hashlib.sha1(b"blob %d\0" % len(data) + data, usedforsecurity=False).digest()
