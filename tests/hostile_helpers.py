"""Helpers for the hostile-environment tests: ``committee`` as a real process."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from tests.conftest import ROOT

INTERNAL_ERROR = 70


def run_committee(*args: str, registry: Path | None = None, timeout: float = 120,
                  env: dict[str, str] | None = None, check_exit: bool = True,
                  **popen: object) -> subprocess.CompletedProcess[bytes]:
    """Run ``python -m committee_cli [--registry R] ARGS`` as its own process (bytes out);
    it must not end with exit 70 or a traceback."""
    argv = [sys.executable, "-m", "committee_cli",
            *(["--registry", str(registry)] if registry else []), *args]
    full_env = {**os.environ, "PYTHONPATH": str(ROOT), **(env or {})}
    full_env.pop("COMMITTEE_DEBUG", None)
    done = subprocess.run(argv, env=full_env, cwd=ROOT, timeout=timeout,  # type: ignore[call-overload]
                          capture_output="stdout" not in popen, **popen)
    if check_exit:
        assert done.returncode != INTERNAL_ERROR, done.stderr
        assert b"Traceback" not in (done.stderr or b""), done.stderr
    return done  # type: ignore[no-any-return]
