"""Run a command and print its peak resident memory (MB) on the last line of stdout."""

from __future__ import annotations

import os
import subprocess
import sys


def main() -> None:
    """Run argv[1:] with output discarded; print the child's CPU seconds, then its ru_maxrss
    in MB (last line)."""
    proc = subprocess.Popen(sys.argv[1:], stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    _, status, usage = os.wait4(proc.pid, 0)
    code = os.waitstatus_to_exitcode(status)
    if code not in (0, 1):
        sys.stderr.write(proc.stderr.read().decode("utf-8", "replace") if proc.stderr else "")
        sys.exit(code)
    print(f"cpu {usage.ru_utime + usage.ru_stime:.4f}")  # CPU seconds (user + system)
    print(usage.ru_maxrss / 1024)


if __name__ == "__main__":
    main()
