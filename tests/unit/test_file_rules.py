"""The rules checked while reading files (R001–R015), each triggered by one bad file laid over a
copy of the sample, and quiet on the sample itself."""

from __future__ import annotations

import shutil
import unicodedata
from pathlib import Path

import pytest

from committee_cli.rules import rule_catalogue
from committee_cli.store import RegistryStore
from tests.conftest import SAMPLE

SEAT = "seats/bcd-cpdt-02.yaml"
GOOD_SEAT = "committee: bcd-cpdt\nrole: pho-truong-ban\norder: 2\nperson: truong-hai-long\n" \
            "start:\n  decision: qd-913-2021\n"
PERSON = "people/truong-hai-long.yaml"

# code -> (file, content) that breaks exactly that rule
BAD: dict[str, tuple[str, str | bytes]] = {
    "R001": (SEAT, "committee: [bcd-cpdt\n"),
    "R002": (SEAT, GOOD_SEAT.encode("utf-8") + b"post: \xff\xfe\n"),
    "R003": (PERSON, unicodedata.normalize("NFD", (SAMPLE / PERSON).read_text(encoding="utf-8"))),
    "R004": (SEAT, GOOD_SEAT.replace("start:\n", "start:\n  date: 2021-02-30\n")),
    "R005": (SEAT, GOOD_SEAT + "order: 3\n"),
    "R006": (SEAT, GOOD_SEAT + "post: " + "[" * 80 + "]" * 80 + "\n"),
    "R007": (SEAT, GOOD_SEAT.replace("role: pho-truong-ban", "role: &r pho-truong-ban")
             + "post: *r\n"),
    "R008": (SEAT, GOOD_SEAT.replace("start:\n", "start: !event\n")),
    "R009": (SEAT, "- committee: bcd-cpdt\n"),
    "R010": ("seats/notes.txt", "not a record\n"),
    "R011": ("seats/Bad_Id.yaml", GOOD_SEAT.replace("order: 2", "order: 17")),
    "R012": (SEAT, GOOD_SEAT + "colour: red\n"),
    "R013": (SEAT, GOOD_SEAT.replace("committee: bcd-cpdt\n", "")),
    "R014": (SEAT, GOOD_SEAT.replace("order: 2", "order: first")),
    "R015": ("registry.yaml", (SAMPLE / "registry.yaml").read_text(encoding="utf-8")
             .replace("schema_version: 1", "schema_version: 99")),
}


def _codes(root: Path) -> set[str]:
    return {p.code for p in RegistryStore(root, use_cache=False).load().problems}


@pytest.fixture
def copy(tmp_path: Path) -> Path:
    target = tmp_path / "registry"
    shutil.copytree(SAMPLE, target)
    return target


@pytest.mark.parametrize("code", sorted(BAD))
def test_file_rule_triggers(copy: Path, code: str) -> None:
    rel, content = BAD[code]
    path = copy / rel
    if isinstance(content, bytes):
        path.write_bytes(content)
    else:
        path.write_text(content, encoding="utf-8")
    assert code in _codes(copy)


@pytest.mark.parametrize("code", sorted(BAD))
def test_file_rule_quiet(code: str) -> None:
    assert code not in _codes(SAMPLE)


def test_every_file_rule_has_its_tests() -> None:
    assert {r.code for r in rule_catalogue() if r.needs == "files"} == set(BAD)
