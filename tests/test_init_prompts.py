"""`committee init` asks for the issuing body at a terminal (a real pseudo-terminal), and never
when stdin is not one."""

from __future__ import annotations

import subprocess
from pathlib import Path

from tests.test_prompts import COMMITTEE, Terminal, _env


def test_init_asks_for_the_issuing_body_at_a_terminal(tmp_path: Path) -> None:
    target = tmp_path / "moi"
    term = Terminal(["init", str(target), "--no-git"], _env(tmp_path))
    term.wait_for("Issuing body")
    term.type("Bộ Tư pháp")
    term.wait_for("Symbol abbreviation")
    term.type("BTP")
    term.wait_for("Head's title")
    term.type("Bộ trưởng")
    term.wait_for("Deputy's title")
    term.type("Thứ trưởng")
    term.wait_for("Authority phrase")
    term.type("")
    code, out = term.finish()
    assert code == 0, term.screen
    assert "issuing body: Bộ Tư pháp (btp)" in out
    text = (target / "organisations" / "btp.yaml").read_text(encoding="utf-8")
    assert "head_title: Bộ trưởng" in text and "authority" not in text
    assert not (target / ".git").exists()


def test_init_in_a_script_asks_nothing(tmp_path: Path) -> None:
    target = tmp_path / "moi"
    done = subprocess.run([*COMMITTEE, "init", str(target)], stdin=subprocess.DEVNULL,
                          capture_output=True, text=True, env=_env(tmp_path), timeout=60,
                          check=False)
    assert done.returncode == 0, done.stderr
    assert "no issuing body recorded" in done.stderr
    assert "issuer:" not in (target / "registry.yaml").read_text(encoding="utf-8")
    assert (target / ".git").is_dir()
