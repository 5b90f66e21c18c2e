"""A missing required option is asked for at a terminal (a real pseudo-terminal here), offering
matches, and never when stdin is not a terminal; progress displays never reach a pipe."""

from __future__ import annotations

import os
import pty
import select
import subprocess
import sys
import time
from pathlib import Path

import pytest

from tests.conftest import Run

COMMITTEE = [sys.executable, "-m", "committee_cli"]


class Terminal:
    """A committee process whose stdin and stderr are a pseudo-terminal; stdout is a pipe."""

    def __init__(self, args: list[str], env: dict[str, str]) -> None:
        self.master, slave = pty.openpty()
        self.proc = subprocess.Popen([*COMMITTEE, *args], stdin=slave, stderr=slave,
                                     stdout=subprocess.PIPE, env=env)
        os.close(slave)
        self.screen = ""

    def wait_for(self, text: str, timeout: float = 30) -> str:
        end = time.monotonic() + timeout
        while text not in self.screen:
            left = end - time.monotonic()
            assert left > 0, f"{text!r} never appeared; the terminal shows:\n{self.screen}"
            ready, _, _ = select.select([self.master], [], [], left)
            if ready:
                try:
                    chunk = os.read(self.master, 4096)
                except OSError:  # the process ended and closed the terminal
                    chunk = b""
                if not chunk:
                    assert text in self.screen, f"{text!r} never appeared:\n{self.screen}"
                self.screen += chunk.decode("utf-8", "replace")
        return self.screen

    def type(self, line: str) -> None:
        os.write(self.master, (line + "\n").encode())

    def finish(self) -> tuple[int, str]:
        out, _ = self.proc.communicate(timeout=60)
        try:
            while select.select([self.master], [], [], 0.2)[0]:
                chunk = os.read(self.master, 4096)
                if not chunk:
                    break
                self.screen += chunk.decode("utf-8", "replace")
        except OSError:
            pass
        os.close(self.master)
        return self.proc.returncode, out.decode()


def _env(tmp_path: Path, **extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("COMMITTEE_")}
    return {**env, "COMMITTEE_CACHE_DIR": str(tmp_path / "cache"), "LANG": "C.UTF-8", **extra}


@pytest.fixture
def prepared(cli: Run, sample: Path) -> Path:
    """A registry with a new person and a draft decision, ready for a replacement."""
    assert cli("amend", "person", "add", "--name", "Nguyễn Văn A", "--honorific", "Ông",
               registry=sample).exit_code == 0
    made = cli("decision", "new", "-c", "bcd-cpdt", "--kind", "change-members", "--symbol",
               "QĐ-BNV", "--date", "2022-03-01", "--subject", "Về việc kiện toàn Ban Chỉ đạo",
               registry=sample)
    assert made.exit_code == 0, made.output
    return sample


def test_missing_person_and_decision_are_asked_in_a_terminal(prepared: Path, tmp_path: Path) -> None:
    term = Terminal(["--registry", str(prepared), "amend", "seat", "replace", "bcd-cpdt-05",
                     "--dry-run"], _env(tmp_path))
    term.wait_for("Who holds seat bcd-cpdt-05 from now on?")
    term.wait_for("> ")
    term.type("nguyen")
    term.wait_for("→ Ông Nguyễn Văn A (nguyen-van-a)")
    term.wait_for("Which decision makes this change?")
    term.wait_for("  1. QĐ-BNV (01/3/2022, draft): Về việc kiện toàn Ban Chỉ đạo")
    term.wait_for("  2. 913/QĐ-BNV (30/8/2021, signed)")  # signed decisions after the drafts
    term.type("1")
    code, out = term.finish()
    assert code == 0, term.screen
    assert "+person: nguyen-van-a" in out
    assert "nothing was written" in term.screen


def test_several_matches_are_listed_and_a_number_chooses(prepared: Path, tmp_path: Path) -> None:
    term = Terminal(["--lang", "vi", "--registry", str(prepared), "amend", "seat", "replace",
                     "bcd-cpdt-05", "--decision", "qd-913-2021", "--force-signed", "thử", "--dry-run"],
                    _env(tmp_path))
    term.wait_for("Từ nay ai giữ ghế bcd-cpdt-05?")
    term.type("khong co ai")
    term.wait_for("không có gì khớp với 'khong co ai'")
    term.type("long")
    term.wait_for("→ Ông Trương Hải Long (truong-hai-long)")
    code, _ = term.finish()
    assert code == 2 and "đã giữ ghế 'bcd-cpdt-02'" in term.screen  # the library still checks


def test_an_empty_answer_gives_up_without_writing(prepared: Path, tmp_path: Path) -> None:
    before = sorted(p.name for p in (prepared / "seats").iterdir())
    term = Terminal(["--registry", str(prepared), "amend", "seat", "replace", "bcd-cpdt-05"],
                    _env(tmp_path))
    term.wait_for("> ")
    term.type("")
    code, _ = term.finish()
    assert code == 2 and "no answer: nothing was written" in term.screen
    assert sorted(p.name for p in (prepared / "seats").iterdir()) == before


def test_never_asked_when_stdin_is_not_a_terminal(prepared: Path, tmp_path: Path) -> None:
    done = subprocess.run([*COMMITTEE, "--registry", str(prepared), "amend", "seat", "replace",
                           "bcd-cpdt-05", "--person", "nguyen-van-a"], input="1\n",
                          capture_output=True, text=True, env=_env(tmp_path), timeout=60, check=False)
    assert done.returncode == 2
    assert "Missing option '--decision'." in done.stderr and "Which decision" not in done.stderr
    done = subprocess.run([*COMMITTEE, "--registry", str(prepared), "amend", "seat", "replace",
                           "bcd-cpdt-05", "--decision", "du-thao-x"], capture_output=True,
                          text=True, env=_env(tmp_path), timeout=60, check=False,
                          stdin=subprocess.DEVNULL)
    assert done.returncode == 2 and "Who holds" not in done.stderr
    assert "--person ID, or --post TEXT with --unit ORG" in done.stderr


def test_in_process_runs_are_never_asked(cli: Run, prepared: Path) -> None:
    result = cli("amend", "seat", "replace", "bcd-cpdt-05", input="nguyen\n1\n", registry=prepared)
    assert result.exit_code == 2 and "Who holds" not in result.output


def test_validate_spinner_shows_in_a_terminal_only(sample: Path, tmp_path: Path) -> None:
    term = Terminal(["--registry", str(sample), "validate"], _env(tmp_path, COLUMNS="100"))
    code, out = term.finish()
    assert code == 0 and "ok: 42 file(s), no problems" in term.screen + out
    piped = subprocess.run([*COMMITTEE, "--registry", str(sample), "validate"], capture_output=True,
                           text=True, env=_env(tmp_path), timeout=60, check=False)
    assert piped.returncode == 0 and "checking the registry" not in piped.stdout + piped.stderr
    assert "\x1b" not in piped.stdout + piped.stderr


def test_render_all_progress_never_reaches_a_pipe(sample: Path, tmp_path: Path) -> None:
    piped = subprocess.run([*COMMITTEE, "--registry", str(sample), "render", "--all", "--out",
                            str(tmp_path / "out")], capture_output=True, text=True, env=_env(tmp_path),
                           timeout=120, check=False)
    assert piped.returncode == 0, piped.stderr
    assert "rendering" not in piped.stderr and "\x1b" not in piped.stdout + piped.stderr
    term = Terminal(["--registry", str(sample), "render", "--all", "--out", str(tmp_path / "t")],
                    _env(tmp_path))
    code, out = term.finish()
    assert code == 0 and "wrote" in out
