"""A decision's content computed once per reader of an unchanging registry, and the issuer's
units found without asking every organisation its facts (the site of a national registry)."""

from __future__ import annotations

import shutil
from collections import Counter
from pathlib import Path

import pytest

from committee_cli.model.records import Organisation
from committee_cli.model.registry import Registry
from committee_cli.queries import content, open_registry
from tests.conftest import ROOT, Run

FIXTURE = ROOT / "tests" / "fixtures" / "render" / "registry"


@pytest.fixture
def computed(monkeypatch: pytest.MonkeyPatch) -> Counter[str]:
    """How many times each decision's content is computed (not read back from a keeper)."""
    counts: Counter[str] = Counter()
    real = content._decision_content

    def counting(reg: Registry, decision_id: str) -> content.DecisionContent:
        counts[decision_id] += 1
        return real(reg, decision_id)

    monkeypatch.setattr(content, "_decision_content", counting)
    return counts


def test_a_site_build_computes_a_decisions_content_once_a_page(cli: Run, sample: Path,
                                                               tmp_path: Path,
                                                               computed: Counter[str]) -> None:
    # its own page (the document, its members, what it changed) and its committee's page
    # (the timeline) read it four times in all: kept for one page at a time
    result = cli("site", "--out", str(tmp_path / "public"), "--downloads", "md", registry=sample)
    assert result.exit_code == 0, result.output
    assert computed == Counter({"qd-913-2021": 2})  # the committee's page, its own page


def test_rendering_a_decision_computes_its_content_once(cli: Run, sample: Path, tmp_path: Path,
                                                        computed: Counter[str]) -> None:
    out = tmp_path / "qd.docx"
    result = cli("render", "decision", "913/QĐ-BNV", "--format", "docx", "--out", str(out),
                 registry=sample)
    assert result.exit_code == 0, result.output
    assert computed == Counter({"qd-913-2021": 1})


def test_contents_are_kept_only_within_and_for_their_registry(sample: Path,
                                                              computed: Counter[str]) -> None:
    reg, other = open_registry(sample), open_registry(sample)
    content.decision_content(reg, "qd-913-2021")
    content.decision_content(reg, "qd-913-2021")
    assert computed["qd-913-2021"] == 2  # nothing is kept outside
    with content.contents_kept(reg):
        first = content.decision_content(reg, "qd-913-2021")
        with content.contents_kept(reg):  # an inner keeper of the same registry shares
            assert content.decision_content(reg, "qd-913-2021") is first
        assert content.decision_content(reg, "qd-913-2021") is first
        content.decision_content(other, "qd-913-2021")  # another registry is not served
    assert computed["qd-913-2021"] == 4
    assert content.decision_content(reg, "qd-913-2021") is not first  # let go after
    assert computed["qd-913-2021"] == 5


def test_the_issuers_units_follow_dated_changes_and_no_other_body_is_read(
        cli: Run, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    registry = tmp_path / "registry"
    shutil.copytree(FIXTURE, registry)
    # an office that came under the issuer (btn) on 2021-01-01; it sorts before btn-vp
    (registry / "organisations" / "a-vp.yaml").write_text(
        "name: Văn phòng Điều phối\nparent: btn-tttt\nhead_title: Chánh Văn phòng\n"
        "changes:\n  - since: 2021-01-01\n    parent: btn\n", "utf-8")
    for n in range(30):  # bodies under no one the decisions name
        (registry / "organisations" / f"z-{n:02}.yaml").write_text(
            f"name: Sở số {n}\nhead_title: Giám đốc\n", "utf-8")
    asked: Counter[str] = Counter()
    real = Organisation.on

    def on(self: Organisation, day: object) -> object:
        asked[self.name] += 1
        return real(self, day)  # type: ignore[arg-type]

    monkeypatch.setattr(Organisation, "on", on)
    before = cli("render", "decision", "qd-05-2020", "--current-data", registry=registry)
    after = cli("render", "decision", "qd-120-2021", "--current-data", registry=registry)
    assert before.exit_code == 0 and after.exit_code == 0, before.output + after.output
    assert "Điều 5.** Chánh Văn phòng Bộ, " in before.stdout  # 2020: not yet under btn
    assert "Điều 4.** Chánh Văn phòng Điều phối, " in after.stdout
    assert not [name for name in asked if name.startswith("Sở số")], asked
