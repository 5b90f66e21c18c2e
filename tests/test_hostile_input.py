"""Implausible input is refused with a clear message: a date outside 1945-2100, a 20,000-
character name or id (real processes where the red-team pass used them)."""

from __future__ import annotations

from pathlib import Path

from tests.conftest import Run
from tests.fault_helpers import DRAFT
from tests.hostile_helpers import run_committee


def test_a_decision_dated_year_1_is_refused_at_input(sample: Path) -> None:
    draft = list(DRAFT)
    draft[draft.index("--date") + 1] = "0001-01-01"
    done = run_committee(*draft, registry=sample)
    message = done.stderr.decode("utf-8") + done.stdout.decode("utf-8")
    assert done.returncode == 1, message
    assert "0001-01-01 is outside 1945-01-01 to 2100-12-31: check the year" in message
    assert not list((sample / "decisions").glob("qd-1050-*"))


def test_a_stored_date_outside_the_window_is_a_validation_error(cli: Run, sample: Path) -> None:
    path = sample / "decisions" / "qd-913-2021.yaml"
    text = path.read_text(encoding="utf-8")
    assert "date: 2021-08-30" in text
    for year in ("0001", "1900", "2101"):
        path.write_text(text.replace("date: 2021-08-30", f"date: {year}-08-30", 1),
                        encoding="utf-8")
        result = cli("validate", registry=sample)
        assert result.exit_code == 1 and "R014" in result.stdout and "check the year" in \
            result.stdout, result.output
        rendered = cli("render", "decision", "qd-913-2021", registry=sample)
        assert rendered.exit_code == 1, rendered.output


def test_a_20000_character_name_gets_a_short_id_or_a_clear_error(sample: Path) -> None:
    name = "Nguyễn " + "Văn " * 4998 + "An"
    done = run_committee("amend", "person", "add", "--name", name, "--honorific", "Ông",
                         "--dry-run", registry=sample)
    message = done.stderr.decode("utf-8") + done.stdout.decode("utf-8")
    assert "File name too long" not in message
    assert done.returncode == 1 and "at most 20000 characters" in message, message
    fits = run_committee("amend", "person", "add", "--name", name[:19990], "--honorific", "Ông",
                         registry=sample)
    made = fits.stdout.decode("utf-8").strip().splitlines()[-1]
    assert fits.returncode == 0 and 0 < len(made) <= 80 and made.startswith("nguyen-van-van")
    assert (sample / "people" / f"{made}.yaml").exists()


def test_a_20000_character_id_is_a_clear_error(cli: Run, sample: Path) -> None:
    done = run_committee("amend", "person", "add", "--name", "Ông Long", "--honorific", "Ông",
                         "--id", "a" * 20_000, registry=sample)
    message = done.stderr.decode("utf-8")
    assert done.returncode == 2 and "an id holds at most 80 characters" in message, message
    assert "File name too long" not in message
    (sample / "people" / f"{'b' * 81}.yaml").write_text("name: X\n", encoding="utf-8")
    result = cli("validate", registry=sample)
    assert result.exit_code == 1 and "R011" in result.stdout and "at most 80" in result.stdout
