"""Problems found in a registry, and the process exit codes (documented in docs/exit-codes.md)."""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import IntEnum


class ExitCode(IntEnum):
    """Exit codes of the ``committee`` command; stable, documented in docs/exit-codes.md."""

    OK = 0
    PROBLEMS = 1  # the registry (or the change) has errors; nothing was written
    USAGE = 2  # bad command line: unknown option, bad date, unknown id, …
    LOCKED = 3  # another run holds the registry lock
    IO = 4  # a file could not be read or written (permissions, disk)
    GIT = 5  # a git operation failed (not a repository, unknown revision, dirty tree)
    INTERNAL = 70  # a bug in committee-cli (reported in one line; COMMITTEE_DEBUG=1 for details)


@dataclass(frozen=True, slots=True)
class Problem:
    """One thing wrong with the registry, located as precisely as the rule can."""

    code: str
    message: str
    file: str = ""
    line: int | None = None  # 1-based
    column: int | None = None  # 1-based
    path: tuple[str | int, ...] = field(default=())
    severity: str = "error"

    def located(self, line: int | None, column: int | None) -> Problem:
        """Return a copy with a line and column."""
        return Problem(self.code, self.message, self.file, line, column, self.path, self.severity)

    def sort_key(self) -> tuple[str, int, int, str]:
        """Order problems by file, then position, then code."""
        return (self.file, self.line or 0, self.column or 0, self.code)

    def as_dict(self) -> dict[str, object]:
        """The JSON shape of a problem (docs/validate-json.md)."""
        return {
            "code": self.code,
            "severity": self.severity,
            "file": self.file,
            "line": self.line,
            "column": self.column,
            "path": [str(p) for p in self.path],
            "message": self.message,
        }


class CommitteeError(Exception):
    """An error meant for the user: printed without a traceback, with an exit code."""

    exit_code: ExitCode = ExitCode.USAGE

    def __init__(self, message: str, exit_code: ExitCode | None = None) -> None:
        super().__init__(message)
        if exit_code is not None:
            self.exit_code = exit_code


class UsageError(CommitteeError):
    """The command line asked for something that does not exist or makes no sense."""

    exit_code = ExitCode.USAGE


class RegistryInvalid(CommitteeError):
    """The registry (or the result of a change) has problems."""

    exit_code = ExitCode.PROBLEMS

    def __init__(self, problems: list[Problem], message: str = "the registry has errors") -> None:
        super().__init__(message)
        self.problems = problems
