"""``--commit``: commit exactly the files an amendment touched, with a message that cites the decision.

Everything git could refuse is checked before the change is written: a repository, no
``index.lock`` (another git running, or a killed one), nothing staged, no uncommitted edit in
a touched file. While the files are added and committed, a note in the git folder
(``committee-commit.json``: the files and the message) records the step; a run killed there
leaves it, and the next ``--commit`` says what was left staged and the command that finishes
(or undoes) it.
"""

from __future__ import annotations

import contextlib
import json
import shlex
from collections.abc import Sequence
from pathlib import Path

from committee_cli.errors import CommitteeError, ExitCode
from committee_cli.i18n import tr
from committee_cli.store.source import git
from committee_cli.store.tempfiles import replace_file

PENDING_NOTE = "committee-commit.json"


def _git_dir(top: Path) -> Path:
    return Path(git(top, "rev-parse", "--absolute-git-dir").decode("utf-8").strip())


def _interrupted(top: Path, git_dir: Path) -> CommitteeError | None:
    """What a run killed during its ``--commit`` left, and how to finish it (None: nothing;
    a note whose files show no change is stale and removed)."""
    note = git_dir / PENDING_NOTE
    try:
        recorded = json.loads(note.read_text(encoding="utf-8"))
        paths, message = [str(p) for p in recorded["paths"]], str(recorded["message"])
    except FileNotFoundError:
        return None
    except (OSError, ValueError, KeyError, TypeError):
        paths, message = [], ""
    changed = git(top, "status", "--porcelain", "-z", "--untracked-files=all", "--",
                  *(paths or ["."])).decode("utf-8").strip("\0") if paths else ""
    if not changed:
        with contextlib.suppress(OSError):
            note.unlink()  # the change never landed, or was committed: nothing to finish
        return None
    staged = git(top, "diff", "--cached", "--name-only", "-z").decode("utf-8").strip("\0")
    left = ", ".join(staged.split("\0")[:5]) if staged else tr("nothing")
    quoted = " ".join(shlex.quote(p) for p in paths)
    return CommitteeError(tr(
        "an earlier `--commit` run was stopped after writing its change and before committing "
        "it (staged now: {left}). To finish it: git add -- {paths} && git commit -m {message} "
        "-- {paths}; to drop it instead, restore those files with git. Then delete {note}; "
        "nothing was written", left=left, message=shlex.quote(message), paths=quoted,
        note=note), ExitCode.GIT)


def repository_of(root: Path) -> Path:
    """The top folder of the git work tree holding the registry; ExitCode.GIT when there is none."""
    try:
        top = git(root, "rev-parse", "--show-toplevel").decode("utf-8").strip()
    except CommitteeError:
        raise CommitteeError(tr("{root} is not in a git repository: run `git init` there, or "
                                "drop --commit; nothing was written", root=root), ExitCode.GIT) from None
    return Path(top)


def _paths(root: Path, rels: Sequence[str]) -> list[str]:
    return [str((root / rel).resolve()) for rel in rels]


def check_repository(root: Path) -> Path:
    """Refuse (ExitCode.GIT), before the change is even made, when git could not commit it:
    no repository, an earlier ``--commit`` left unfinished, an ``index.lock``, staged files."""
    top = repository_of(root)
    git_dir = _git_dir(top)
    left = _interrupted(top, git_dir)
    if left is not None:
        raise left
    if (git_dir / "index.lock").exists():
        raise CommitteeError(tr(
            "{lock} exists: another git command is running in this repository, or one was "
            "stopped and left it. If no git is running, delete that file and try again; "
            "nothing was written", lock=git_dir / "index.lock"), ExitCode.GIT)
    staged = git(top, "diff", "--cached", "--name-only", "-z").decode("utf-8").strip("\0")
    if staged:
        names = ", ".join(staged.split("\0")[:5])
        raise CommitteeError(tr("the git index has staged changes ({names}): commit or unstage "
                                "them first, since --commit commits exactly the files this "
                                "change touches; nothing was written", names=names), ExitCode.GIT)
    return top


def check_ready(root: Path, rels: Sequence[str], message: str) -> Path:
    """Refuse (ExitCode.GIT) when a commit could take in more than this change's files; else
    note the change about to be written and committed (removed once it is committed)."""
    top = check_repository(root)
    existing = [p for p, rel in zip(_paths(root, rels), rels, strict=True)
                if (root / rel).exists()]
    if existing:
        dirty = git(top, "status", "--porcelain", "-z", "--", *existing).decode("utf-8")
        if dirty.strip("\0"):
            names = ", ".join(entry[3:] for entry in dirty.strip("\0").split("\0")[:5])
            raise CommitteeError(tr("uncommitted edits in a file this change touches ({names}): "
                                    "commit or discard them first; nothing was written", names=names),
                                 ExitCode.GIT)
    replace_file(_git_dir(top) / PENDING_NOTE,
                 json.dumps({"paths": _paths(root, rels), "message": message},
                            ensure_ascii=False).encode("utf-8"), 0o644)
    return top


def commit(root: Path, rels: Sequence[str], message: str) -> str:
    """``git add`` and ``git commit`` exactly ``rels``; return the new commit's id."""
    top = repository_of(root)
    paths = _paths(root, rels)
    note = _git_dir(top) / PENDING_NOTE
    try:
        git(top, "add", "--", *paths)
        git(top, "commit", "--quiet", "-m", message, "--", *paths)
    except CommitteeError as exc:
        raise CommitteeError(tr("the change was written but not committed: {exc}", exc=exc),
                             ExitCode.GIT) from None
    with contextlib.suppress(OSError):
        note.unlink()
    return git(top, "rev-parse", "HEAD").decode("utf-8").strip()
