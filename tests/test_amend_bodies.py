"""The commands that frame a body (amend org|committee|roles|legal-basis, decision edit|delete,
init with an issuer), names for roles and decisions, history inserted out of order, and the bad
input each refuses: a clear message, exit 2, and every byte of the registry unchanged."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.amend_helpers import copy_sample, snapshot
from tests.conftest import Run


@pytest.fixture
def reg(tmp_path: Path) -> Path:
    return copy_sample(tmp_path / "registry")


def ok(cli: Run, root: Path, *args: str) -> str:
    result = cli(*args, registry=root)
    assert result.exit_code == 0, result.output
    return result.stdout


def refused(cli: Run, root: Path, *args: str, says: str, code: int = 2) -> None:
    """The command fails with ``code``, says ``says`` and leaves every byte as it was."""
    before = snapshot(root)
    result = cli(*args, registry=root)
    assert result.exit_code == code, result.output
    assert says in result.stderr, result.stderr
    assert "Traceback" not in result.output
    assert snapshot(root) == before


def draft(cli: Run, root: Path, *extra: str) -> str:
    return ok(cli, root, "decision", "new", "--kind", "change-members", "-c", "bcd-cpdt",
              "--symbol", "QĐ-BNV", "--date", "2022-03-01", "--subject", "Về việc kiện toàn",
              "--signer", "pham-thi-thanh-tra", *extra).splitlines()[0]


# --- amend org ---------------------------------------------------------------------------------


def test_org_add_update_rename_end(cli: Run, reg: Path) -> None:
    org = ok(cli, reg, "amend", "org", "add", "--name", "Vụ Hợp tác  quốc tế mới",
             "--parent", "bnv", "--head-title", "Vụ trưởng", "--code", "000.01.00.G09",
             "--since", "2021-01-01", "--email", "htqt@example.gov.vn", "--id", "bnv-vhtqt2")
    assert org.splitlines()[0] == "bnv-vhtqt2"
    text = (reg / "organisations" / "bnv-vhtqt2.yaml").read_text(encoding="utf-8")
    assert "name: Vụ Hợp tác quốc tế mới" in text and "code: 000.01.00.G09" in text
    ok(cli, reg, "amend", "org", "rename", "bnv-vhtqt2", "--name", "Vụ Hợp tác", "--since",
       "2025-03-01", "--code", "000.02.00.G09")
    ok(cli, reg, "amend", "org", "update", "bnv-vhtqt2", "--head-title", "Vụ trưởng Vụ",
       "--since", "2024-01-01")
    text = (reg / "organisations" / "bnv-vhtqt2.yaml").read_text(encoding="utf-8")
    assert text.index("since: 2024-01-01") < text.index("since: 2025-03-01")  # in date order
    ok(cli, reg, "amend", "org", "end", "bnv-vhtqt2", "--until", "2026-01-01")
    assert "until: 2026-01-01" in (reg / "organisations" / "bnv-vhtqt2.yaml").read_text(
        encoding="utf-8")
    ok(cli, reg, "validate")


def test_org_bad_input(cli: Run, reg: Path) -> None:
    ok(cli, reg, "amend", "org", "add", "--name", "Cục Thử", "--parent", "bnv", "--since",
       "2021-01-01", "--id", "bnv-cuc-thu")
    refused(cli, reg, "amend", "org", "rename", "bnv-cuc-thu", "--name", "Cục Mới", "--since",
            "2020-12-31", says="before it existed")
    refused(cli, reg, "amend", "org", "rename", "bnv-cuc-th", "--name", "X", "--since",
            "2022-01-01", says="did you mean 'bnv-cuc-thu'")
    refused(cli, reg, "amend", "org", "add", "--name", "X", "--code", "G09.00.00", says="000.00.00.G09")
    refused(cli, reg, "amend", "org", "add", "--name", "X", "--parent", "bvn",
            says="did you mean 'bnv'")
    refused(cli, reg, "amend", "org", "add", "--name", "X", "--id", "../escape",
            says="not a safe id")
    refused(cli, reg, "amend", "org", "add", "--name", "X", "--id", "a" * 81,
            says="at most 80 characters")
    refused(cli, reg, "amend", "org", "add", "--name", "X", "--since", "2022-01-01", "--until",
            "2021-01-01", says="not after --since")
    refused(cli, reg, "amend", "org", "end", "bnv-cuc-thu", "--until", "2020-01-01",
            says="not after --since")


def test_org_code_used_twice_refused_with_r120(cli: Run, reg: Path) -> None:
    ok(cli, reg, "amend", "org", "update", "bnv", "--code", "000.00.00.G09")
    refused(cli, reg, "amend", "org", "add", "--name", "Trùng mã", "--code", "000.00.00.G09",
            says="R120", code=1)


# --- amend roles ---------------------------------------------------------------------------------


def test_roles_vocabulary_with_exactly_one_head(cli: Run, reg: Path) -> None:
    refused(cli, reg, "amend", "roles", "add", "hoi-dong", "--name", "Ủy viên",
            says="no head role")
    ok(cli, reg, "amend", "roles", "add", "hoi-dong", "--name", "Chủ tịch", "--document-name",
       "Chủ tịch Hội đồng", "--max", "1", "--head")
    ok(cli, reg, "amend", "roles", "add", "hoi-dong", "--name", "Ủy viên")
    ok(cli, reg, "amend", "roles", "add", "hoi-dong", "--name", "Phó Chủ tịch", "--rank", "2")
    refused(cli, reg, "amend", "roles", "add", "hoi-dong", "--name", "Trưởng", "--head",
            says="2 head roles")
    refused(cli, reg, "amend", "roles", "update", "hoi-dong", "chu-tich", "--no-head",
            says="no head role")
    refused(cli, reg, "amend", "roles", "update", "hoi-dong", "uy vienn", "--rank", "9",
            says="did you mean")
    ok(cli, reg, "amend", "roles", "update", "hoi-dong", "ủy viên", "--head")  # the head moves
    config = (reg / "registry.yaml").read_text(encoding="utf-8")
    block = config[config.index("hoi-dong:"):]
    assert block.count("head: true") == 1
    assert block.index("Phó Chủ tịch") < block.index("Ủy viên")  # rank 2 inserted before
    ok(cli, reg, "validate")


def test_roles_extend_a_built_in_vocabulary(cli: Run, reg: Path) -> None:
    ok(cli, reg, "amend", "roles", "add", "ban-chi-dao", "--name", "Thành viên Thường trực",
       "--rank", "4")
    config = (reg / "registry.yaml").read_text(encoding="utf-8")
    assert "truong-ban" in config and "Thành viên Thường trực" in config
    ok(cli, reg, "validate")


# --- --role by name, decisions by citation, legal bases citing decisions -------------------------


def test_role_by_name_and_decision_by_citation(cli: Run, reg: Path) -> None:
    decision = draft(cli, reg, "--number", "1050")
    ok(cli, reg, "amend", "person", "add", "--name", "Nguyễn Văn A", "--honorific", "Ông",
       "--title", "Vụ trưởng", "--organisation", "bnv-vpc", "--since", "2021-01-01")
    ok(cli, reg, "amend", "seat", "add", "bcd-cpdt", "--role", "UY VIEN", "--person",
       "nguyen-van-a", "--decision", "1050/QĐ-BNV")
    seat = json.loads(ok(cli, reg, "members", "--as-of", "2022-03-01", "--format", "json"))
    added = [s for s in seat["seats"] if s["person"] == "nguyen-van-a"]
    assert added[0]["role"] == "uy-vien" and added[0]["decision"] == decision
    refused(cli, reg, "amend", "seat", "add", "bcd-cpdt", "--role", "Chủ tịch", "--person",
            "truong-hai-long", "--decision", decision, says="not in the vocabulary")
    refused(cli, reg, "amend", "seat", "end", "bcd-cpdt-05", "--decision", "1051/QĐ-BNV",
            says="no decision 1051/QĐ-BNV")
    ok(cli, reg, "decision", "sign", "1050/qđ-bnv")


def test_a_registry_decision_is_a_legal_basis(cli: Run, reg: Path) -> None:
    decision = draft(cli, reg, "--legal-basis", "913/QĐ-BNV", "--legal-basis", "nd-63-2022")
    text = (reg / "decisions" / f"{decision}.yaml").read_text(encoding="utf-8")
    assert "- qd-913-2021" in text and "- nd-63-2022" in text
    ok(cli, reg, "validate")
    refused(cli, reg, "decision", "new", "--kind", "other", "--symbol", "QĐ-BNV", "--date",
            "2022-03-01", "--subject", "x", "--legal-basis", "qd-931-2021",
            says="did you mean 'qd-913-2021'")


def test_legal_basis_add_update(cli: Run, reg: Path) -> None:
    basis = ok(cli, reg, "amend", "legal-basis", "add", "--kind", "luật", "--number",
               "76/2015/QH13", "--date", "2015-06-19", "--issuer", "Quốc hội", "--title",
               "Luật Tổ chức Chính phủ").splitlines()[0]
    assert basis == "luat-76-2015"
    assert "kind: Luật" in (reg / "legal-bases" / "luat-76-2015.yaml").read_text(encoding="utf-8")
    ok(cli, reg, "amend", "legal-basis", "update", "nd-34-2017", "--replaced-by", "nd-63-2022")
    refused(cli, reg, "amend", "legal-basis", "add", "--kind", "Nghi dinhh", "--number", "1",
            "--date", "2020-01-01", "--issuer", "x", "--title", "y", says="did you mean")
    refused(cli, reg, "amend", "legal-basis", "update", "nd-34-2017", "--replaced-by",
            "nd-63-2023", says="did you mean 'nd-63-2022'")


# --- amend committee -------------------------------------------------------------------------------


def test_committee_add_update_dissolve(cli: Run, reg: Path) -> None:
    founding = ok(cli, reg, "decision", "new", "--kind", "establish", "--symbol", "QĐ-BNV",
                  "--date", "2022-05-01", "--subject", "Về việc thành lập Hội đồng",
                  "--signer", "pham-thi-thanh-tra").splitlines()[0]
    committee = ok(cli, reg, "amend", "committee", "add", "--name", "Hội đồng Thi đua",
                   "--short-name", "Hội đồng", "--organisation", "bnv", "--decision",
                   founding).splitlines()[0]
    assert committee == "hoi-dong"
    assert f"committee: {committee}" in (reg / "decisions" / f"{founding}.yaml").read_text(
        encoding="utf-8")  # the establishing draft now concerns it
    ok(cli, reg, "amend", "seat", "add", committee, "--role", "Trưởng ban", "--person",
       "pham-thi-thanh-tra", "--decision", founding)
    ok(cli, reg, "amend", "committee", "update", committee, "--seal", "bnv", "--standing-body",
       "bnv-vp", "--working-mode", "full-time", "--regulation-issuer", "trưởng ban")
    text = (reg / "committees" / f"{committee}.yaml").read_text(encoding="utf-8")
    assert "regulation_issuer: truong-ban" in text and "unit: bnv-vp" in text
    ok(cli, reg, "decision", "sign", founding, "--number", "300")
    ending = ok(cli, reg, "decision", "new", "--kind", "dissolve", "-c", committee, "--symbol",
                "QĐ-BNV", "--date", "2023-01-01", "--subject", "Về việc giải thể Hội đồng",
                "--signer", "pham-thi-thanh-tra", "--number", "5").splitlines()[0]
    ok(cli, reg, "amend", "committee", "dissolve", committee, "--decision", "5/QĐ-BNV")
    text = (reg / "committees" / f"{committee}.yaml").read_text(encoding="utf-8")
    assert f"dissolved:\n  decision: {ending}" in text
    assert "end:" in (reg / "seats" / f"{committee}-01.yaml").read_text(encoding="utf-8")
    refused(cli, reg, "amend", "committee", "dissolve", committee, "--decision", ending,
            says="already dissolved")
    ok(cli, reg, "validate")


def test_committee_bad_input(cli: Run, reg: Path) -> None:
    refused(cli, reg, "amend", "committee", "add", "--name", "X", "--organisation", "bvn",
            says="did you mean 'bnv'")
    refused(cli, reg, "amend", "committee", "add", "--name", "X", "--parent", "bcd-cpd",
            says="did you mean 'bcd-cpdt'")
    refused(cli, reg, "amend", "committee", "add", "--name", "X", "--organisation", "bnv",
            "--role-set", "ban-chi-dau", says="did you mean 'ban-chi-dao'")
    refused(cli, reg, "amend", "committee", "add", "--name", "X", "--organisation", "bnv",
            "--id", "x" * 90, says="at most 80")
    refused(cli, reg, "amend", "committee", "update", "bcd-cpdt", "--working-mode", "sometimes",
            says="part-time")
    refused(cli, reg, "amend", "committee", "dissolve", "bcd-cpdt", "--decision", "qd-913-2021",
            says="already signed")
    early = ok(cli, reg, "decision", "new", "--kind", "dissolve", "-c", "bcd-cpdt", "--symbol",
               "QĐ-BNV", "--date", "2021-01-01", "--subject", "x").splitlines()[0]
    refused(cli, reg, "amend", "committee", "dissolve", "bcd-cpdt", "--decision", early,
            says="cannot be dissolved before")


# --- decision edit | delete --------------------------------------------------------------------------


def test_decision_edit_and_delete_a_draft(cli: Run, reg: Path) -> None:
    decision = draft(cli, reg)
    ok(cli, reg, "decision", "edit", decision, "--subject", "Về việc bổ sung thành viên",
       "--recipient", "Như Điều 3;", "--mode", "KT", "--signer", "truong-hai-long")
    text = (reg / "decisions" / f"{decision}.yaml").read_text(encoding="utf-8")
    assert "subject: Về việc bổ sung thành viên" in text and "mode: KT" in text
    ok(cli, reg, "decision", "delete", decision)
    assert not (reg / "decisions" / f"{decision}.yaml").exists()
    ok(cli, reg, "validate")


def test_decision_edit_and_delete_refused(cli: Run, reg: Path) -> None:
    refused(cli, reg, "decision", "edit", "913/QĐ-BNV", "--subject", "x", says="is signed")
    refused(cli, reg, "decision", "delete", "qd-913-2021", says="draft a new decision")
    decision = draft(cli, reg)
    refused(cli, reg, "decision", "edit", decision, "--kind", "consolidat",
            says="unknown decision kind")
    refused(cli, reg, "decision", "edit", decision, "--signer", "pham-thi-thanh-trà",
            says="did you mean")
    ok(cli, reg, "amend", "seat", "end", "bcd-cpdt-05", "--decision", decision)
    refused(cli, reg, "decision", "delete", decision, says="seat bcd-cpdt-05")
    refused(cli, reg, "decision", "delete", "du-thao-x", says="no decision")


# --- history out of order -------------------------------------------------------------------------


def test_a_holder_inserted_between_two_recorded_holders(cli: Run, reg: Path) -> None:
    for name in ("Nguyễn Văn B", "Trần Văn C"):
        ok(cli, reg, "amend", "person", "add", "--name", name, "--honorific", "Ông", "--title",
           "Vụ trưởng", "--organisation", "bnv-vpc", "--since", "2021-01-01")
    later = draft(cli, reg, "--number", "2000")
    ok(cli, reg, "decision", "edit", later, "--date", "2023-01-01")
    ok(cli, reg, "amend", "seat", "replace", "bcd-cpdt-05", "--person", "tran-van-c",
       "--decision", later)
    ok(cli, reg, "decision", "sign", later)
    middle = draft(cli, reg, "--number", "1500")
    ok(cli, reg, "amend", "seat", "replace", "bcd-cpdt-05", "--person", "nguyen-van-b",
       "--decision", middle)
    ok(cli, reg, "decision", "sign", middle)
    holders = []
    for day in ("2022-01-01", "2022-06-01", "2023-06-01"):
        seats = json.loads(ok(cli, reg, "members", "--as-of", day, "--format", "json"))["seats"]
        holders.append([s["holder"] for s in seats if s["order"] == 5 and s["role"] == "uy-vien"])
    assert holders[1] == ["Ông Nguyễn Văn B"] and holders[2] == ["Ông Trần Văn C"]
    assert holders[0] != holders[1]
    # Decision 2000 now names Ông Nguyễn Văn B as the holder it replaced: what it says changed,
    # so validate says so (R130) until the correction is recorded, never silently.
    stale = cli("validate", registry=reg)
    assert stale.exit_code == 1 and "R130" in stale.stdout and "qd-2000" in stale.stdout
    ok(cli, reg, "decision", "correct", later, "--reason", "Bổ sung Quyết định số 1500 còn thiếu")
    ok(cli, reg, "validate")


# --- init --------------------------------------------------------------------------------------------


def test_init_records_the_issuer_and_makes_a_repository(cli: Run, tmp_path: Path) -> None:
    target = tmp_path / "moi"
    result = cli("init", str(target), "--issuer-name", "Bộ Tư pháp", "--abbreviation", "BTP",
                 "--head-title", "Bộ trưởng", "--deputy-title", "Thứ trưởng", "--authority",
                 "Bộ trưởng Bộ Tư pháp", "--code", "000.00.00.G13")
    assert result.exit_code == 0, result.output
    assert (target / ".git").is_dir()
    assert "issuer: btp" in (target / "registry.yaml").read_text(encoding="utf-8")
    show = cli("show", registry=target)
    assert show.exit_code == 0 and "Bộ Tư pháp (btp)" in show.stdout
    assert cli("validate", registry=target).exit_code == 0
    bad = tmp_path / "bad"
    assert cli("init", str(bad), "--issuer-name", "X", "--code", "1.2").exit_code == 2
    assert not bad.exists()
    assert cli("init", str(tmp_path / "b2"), "--head-title", "Bộ trưởng").exit_code == 2
