"""Rules R117–R129 (committee_cli/rules/body_rules.py): each triggered by a small edit of the
sample registry, and quiet on the corrected edit."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import pytest

from tests.amend_helpers import copy_sample
from tests.conftest import Run

Edit = Callable[[Path, bool], None]


def _append(path: Path, text: str) -> None:
    path.write_text(path.read_text(encoding="utf-8") + text, encoding="utf-8")


def _replace(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, f"{old!r} not in {path}"
    path.write_text(text.replace(old, new), encoding="utf-8")


def _write(path: Path, text: str) -> None:
    path.write_text(text, encoding="utf-8")


def r117(root: Path, bad: bool) -> None:
    positions = "" if bad else ("positions:\n  - title: Vụ trưởng\n    organisation: bnv-vp\n"
                                "    since: 2021-01-01\n")
    _write(root / "people/nguoi-x.yaml", "name: Nguyễn Văn X\nhonorific: Ông\n" + positions)
    _write(root / "seats/bcd-cpdt-90.yaml", "committee: bcd-cpdt\nrole: uy-vien\norder: 90\n"
           "person: nguoi-x\nstart:\n  decision: qd-913-2021\n")


def r118(root: Path, bad: bool) -> None:
    _write(root / "organisations/bca.yaml", "name: Bộ Công an\nabbreviation: BCA\n"
           "head_title: Bộ trưởng\n")
    if bad:
        _replace(root / "people/pham-thi-thanh-tra.yaml", "organisation: bnv", "organisation: bca")


def r119(root: Path, bad: bool) -> None:
    _write(root / "decisions/du-thao-x-1.yaml", "status: draft\nkind: change-members\n"
           "committee: bcd-cpdt\nsymbol: QĐ-BNV\ndate: 2022-01-01\nissuer: bnv\nsubject: x\n"
           "signing:\n  authority: Bộ trưởng\nrecipients:\n"
           f"  - Như Điều {5 if bad else 3};\n")


def r120(root: Path, bad: bool) -> None:
    _append(root / "organisations/bnv.yaml", "code: 000.00.00.G09\n")
    _append(root / "organisations/bnv-vp.yaml",
            f"code: 000.00.{'00' if bad else '01'}.G09\n")


def r121(root: Path, bad: bool) -> None:
    _append(root / "organisations/bnv.yaml", "code: 000.00.00.G09\n")
    _append(root / "organisations/bnv-vp.yaml", f"code: 000.00.01.{'G10' if bad else 'G09'}\n")


def r122(root: Path, bad: bool) -> None:
    _append(root / "organisations/bnv-vp.yaml", "since: 2000-01-01\nchanges:\n"
            f"  - since: {'1999' if bad else '2001'}-01-01\n    name: Văn phòng\n")


def r123(root: Path, bad: bool) -> None:
    _append(root / "registry.yaml", "role_sets:\n  hoi-dong:\n"
            "    - id: chu-tich\n      name: Chủ tịch\n      rank: 1\n      head: true\n"
            f"    - id: uy-vien\n      name: Ủy viên\n      rank: 2\n      head: {str(bad).lower()}\n")


def r124(root: Path, bad: bool) -> None:
    _append(root / "registry.yaml", f"issuer: {'bnx' if bad else 'bnv'}\n")


def r125(root: Path, bad: bool) -> None:
    if bad:
        _append(root / "committees/bcd-cpdt.yaml", "dissolved:\n  decision: qd-913-2021\n")


def r126(root: Path, bad: bool) -> None:
    _write(root / "decisions/du-thao-x-1.yaml", "status: draft\nkind: other\n"
           f"symbol: QĐ-BNV\ndate: {'2021-01-01' if bad else '2021-09-01'}\nissuer: bnv\n"
           "subject: x\nsigning:\n  authority: Bộ trưởng\nlegal_bases:\n  - qd-913-2021\n")


def r127(root: Path, bad: bool) -> None:
    _append(root / "organisations/bnv-vp.yaml", "changes:\n  - since: 2025-01-01\n"
            f"    name: Văn phòng\n    decision: {'qd-999-2025' if bad else 'qd-913-2021'}\n")


def r128(root: Path, bad: bool) -> None:
    _append(root / "organisations/bnv-vp.yaml", "until: 2030-01-01\n")
    _write(root / "people/nguoi-y.yaml", "name: Lê Y\nhonorific: Bà\npositions:\n"
           "  - title: Chánh Văn phòng\n    organisation: bnv-vp\n    since: 2021-01-01\n"
           + ("" if bad else "    until: 2030-01-01\n"))


def r129(root: Path, bad: bool) -> None:
    _replace(root / "legal-bases/nd-63-2022.yaml", "kind: Nghị định",
             f"kind: {'Công văn' if bad else 'Nghị định'}")


CASES: dict[str, Edit] = {"R117": r117, "R118": r118, "R119": r119, "R120": r120, "R121": r121,
                          "R122": r122, "R123": r123, "R124": r124, "R125": r125, "R126": r126,
                          "R127": r127, "R128": r128, "R129": r129}


def codes(cli: Run, root: Path) -> list[str]:
    result = cli("validate", "--format", "json", registry=root)
    return [p["code"] for p in json.loads(result.stdout)]


@pytest.mark.parametrize("code", sorted(CASES))
def test_rule_triggers_and_is_quiet_when_fixed(cli: Run, tmp_path: Path, code: str) -> None:
    bad = copy_sample(tmp_path / "bad")
    CASES[code](bad, True)
    assert code in codes(cli, bad)
    good = copy_sample(tmp_path / "good")
    CASES[code](good, False)
    assert code not in codes(cli, good)


def test_a_decision_and_a_legal_basis_with_one_id(cli: Run, tmp_path: Path) -> None:
    root = copy_sample(tmp_path / "r")
    (root / "legal-bases/qd-913-2021.yaml").write_text(
        "kind: Quyết định\nnumber: 913/QĐ-BNV\ndate: 2021-08-30\nissuer: Bộ Nội vụ\n"
        "title: kiện toàn\n", encoding="utf-8")
    result = cli("validate", "--format", "json", registry=root)
    found = [p for p in json.loads(result.stdout) if p["code"] == "R129"]
    assert found and found[0]["severity"] == "error"
