"""``--commit``: commit exactly the files an amendment touched, with a message that cites the decision."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from committee_cli.errors import CommitteeError, ExitCode
from committee_cli.i18n import tr
from committee_cli.store.source import git


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


def check_ready(root: Path, rels: Sequence[str]) -> Path:
    """Refuse (ExitCode.GIT) when a commit could take in more than this change's files."""
    top = repository_of(root)
    staged = git(top, "diff", "--cached", "--name-only", "-z").decode("utf-8").strip("\0")
    if staged:
        names = ", ".join(staged.split("\0")[:5])
        raise CommitteeError(tr("the git index has staged changes ({names}): commit or unstage "
                                "them first, since --commit commits exactly the files this "
                                "change touches; nothing was written", names=names), ExitCode.GIT)
    existing = [p for p, rel in zip(_paths(root, rels), rels, strict=True)
                if (root / rel).exists()]
    if existing:
        dirty = git(top, "status", "--porcelain", "-z", "--", *existing).decode("utf-8")
        if dirty.strip("\0"):
            names = ", ".join(entry[3:] for entry in dirty.strip("\0").split("\0")[:5])
            raise CommitteeError(tr("uncommitted edits in a file this change touches ({names}): "
                                    "commit or discard them first; nothing was written", names=names),
                                 ExitCode.GIT)
    return top


def commit(root: Path, rels: Sequence[str], message: str) -> str:
    """``git add`` and ``git commit`` exactly ``rels``; return the new commit's id."""
    top = repository_of(root)
    paths = _paths(root, rels)
    try:
        git(top, "add", "--", *paths)
        git(top, "commit", "--quiet", "-m", message, "--", *paths)
    except CommitteeError as exc:
        raise CommitteeError(tr("the change was written but not committed: {exc}", exc=exc),
                             ExitCode.GIT) from None
    return git(top, "rev-parse", "HEAD").decode("utf-8").strip()
