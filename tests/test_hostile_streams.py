"""Streams and locales: a reader that leaves, a closed stdout and a non-UTF-8 locale end quietly
(real processes; see committee_cli/cli/streams.py)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from tests.conftest import ROOT
from tests.hostile_helpers import run_committee

NAME = "Trương Hải Long"


def test_a_reader_that_leaves_ends_the_run_quietly(sample: Path) -> None:
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    argv = [sys.executable, "-m", "committee_cli", "--registry", str(sample)]
    # the whole pipeline `committee members bcd-cpdt | head -1`, through a real shell
    shell = subprocess.run(
        ["bash", "-c", 'set -o pipefail; "$@" members bcd-cpdt | head -1; echo "status=$?" >&2',
         "bash", *argv], env=env, capture_output=True, timeout=120)
    assert shell.stdout.decode("utf-8").count("\n") == 1
    assert b"Broken pipe" not in shell.stderr and b"error" not in shell.stderr, shell.stderr
    assert shell.stderr.strip().decode().rsplit("status=", 1)[1] in ("0", "141")
    # a reader gone before anything was written: exit 141, nothing on stderr
    child = subprocess.Popen([*argv, "person", "truong"], env=env, stdout=subprocess.PIPE,
                             stderr=subprocess.PIPE)
    assert child.stdout is not None
    child.stdout.close()
    _, err = child.communicate(timeout=120)
    assert child.returncode == 141 and err == b"", err


def test_a_closed_stdout_is_not_an_error(sample: Path) -> None:
    done = run_committee("members", "bcd-cpdt", registry=sample, stdout=None,
                         stderr=subprocess.PIPE, preexec_fn=lambda: os.close(1))
    assert done.returncode == 0 and done.stderr == b"", done.stderr


def test_a_c_locale_and_an_ascii_encoding_still_print_utf8(sample: Path) -> None:
    for env in ({"LC_ALL": "C", "LANG": "C"}, {"PYTHONIOENCODING": "ascii"},
                {"LC_ALL": "C", "PYTHONIOENCODING": "ascii", "PYTHONUTF8": "0"}):
        done = run_committee("members", "bcd-cpdt", registry=sample, env=env)
        assert done.returncode == 0, (env, done.stderr)
        assert NAME in done.stdout.decode("utf-8"), env
        if "PYTHONUTF8" in env:
            continue  # arguments are then decoded as ASCII: names in them cannot match
        bad = run_committee("person", "Ông Không Có", registry=sample, env=env)
        assert bad.returncode == 2, (env, bad.stderr)  # an error message in UTF-8 too
        assert "Ông Không Có" in bad.stderr.decode("utf-8")
