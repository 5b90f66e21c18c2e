"""Spoofed names: direction controls and invisible characters are refused (R140), a word that
mixes scripts (R141) and two look-alike people (R142) are warned about, and one person seated
twice under a look-alike name is refused (R143), the real person twice too (real processes
for the spoofs the red-team pass made)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from tests.conftest import Run
from tests.fault_helpers import DRAFT
from tests.hostile_helpers import run_committee

OMICRON = "Trương Hải L\u03bfng"  # Greek small omicron for the o
SPOOFS = {
    "zero-width joiner": "Trương Hải\u200d Long",
    "right-to-left override": "Trương Hải \u202eLong",
    "zero-width space": "Trương\u200b Hải Long",
}


def _set_name(sample: Path, name: str) -> None:
    path = sample / "people" / "pham-thi-thanh-tra.yaml"
    text = path.read_text(encoding="utf-8")
    path.write_text(re.sub(r"^name: .*$", f"name: {name}", text, count=1, flags=re.M),
                    encoding="utf-8")


@pytest.mark.parametrize("spoof", sorted(SPOOFS))
def test_invisible_and_direction_characters_are_refused(cli: Run, sample: Path,
                                                        spoof: str) -> None:
    _set_name(sample, SPOOFS[spoof])
    result = cli("validate", "--format", "json", registry=sample)
    assert result.exit_code == 1 and '"R140"' in result.stdout, result.output
    assert "people/pham-thi-thanh-tra.yaml" in result.stdout


def test_a_spoofed_name_through_amend_is_refused(sample: Path) -> None:
    done = run_committee("amend", "person", "add", "--name", SPOOFS["right-to-left override"],
                         "--honorific", "Ông", registry=sample)
    message = done.stderr.decode("utf-8") + done.stdout.decode("utf-8")
    assert done.returncode == 1 and "R140" in message and "U+202E" in message, message


def test_a_lookalike_person_seated_beside_the_real_one_is_refused(sample: Path) -> None:
    assert run_committee(*DRAFT, registry=sample).returncode == 0
    added = run_committee("amend", "person", "add", "--name", OMICRON, "--honorific", "Ông",
                          registry=sample)
    message = added.stderr.decode("utf-8")
    assert added.returncode == 0, message  # warnings only: the record may be a real namesake
    assert "R141" in message and "U+03BF" in message and "R142" in message, message
    spoof_id = added.stdout.decode("utf-8").strip().splitlines()[-1]
    seat = run_committee("amend", "seat", "add", "bcd-cpdt", "--role", "uy-vien", "--person",
                         spoof_id, "--decision", "qd-1050-2022", registry=sample)
    message = seat.stderr.decode("utf-8") + seat.stdout.decode("utf-8")
    assert seat.returncode == 1 and "R143" in message and "truong-hai-long" in message, message
    # the real person listed again while holding a seat: refused before anything is written
    again = run_committee("amend", "seat", "add", "bcd-cpdt", "--role", "uy-vien", "--person",
                          "truong-hai-long", "--decision", "qd-1050-2022", registry=sample)
    message = again.stderr.decode("utf-8") + again.stdout.decode("utf-8")
    assert again.returncode == 2 and "'truong-hai-long' already holds seat" in message, message


def test_real_vietnamese_names_and_namesakes_are_quiet(cli: Run, sample: Path) -> None:
    result = cli("validate", "--format", "json", registry=sample)
    assert result.exit_code == 0
    for code in ("R140", "R141", "R142", "R143"):
        assert f'"{code}"' not in result.stdout
    _set_name(sample, "Trương Hải Long")  # a namesake written alike: told apart by the id
    result = cli("validate", "--format", "json", registry=sample)
    assert '"R142"' not in result.stdout and '"R143"' not in result.stdout
    _set_name(sample, "Trương Hải Lòng")  # another tone: perhaps a typo for the same person
    result = cli("validate", "--format", "json", registry=sample)
    assert '"R142"' in result.stdout  # folds to the same: warned
    _set_name(sample, "Trương Hải Lộc Ωμέγα")  # Greek in its own word is not a spoof
    result = cli("validate", "--format", "json", registry=sample)
    assert '"R141"' not in result.stdout and '"R140"' not in result.stdout
