"""``committee decision new|sign``: ids, numbering in a series, signing authority, freezing."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import yaml

from committee_cli.queries.content import facts_fingerprint
from committee_cli.store import DirSource, load
from tests.amend_helpers import snapshot
from tests.conftest import Run

NEW = ("decision", "new", "-c", "bcd-cpdt", "--kind", "change-members", "--symbol", "QĐ-BNV",
       "--subject", "Về việc kiện toàn Ban Chỉ đạo")


def _decision(root: Path, decision_id: str) -> dict[str, object]:
    data = yaml.safe_load((root / "decisions" / f"{decision_id}.yaml").read_text(encoding="utf-8"))
    assert isinstance(data, dict)
    return data


def test_new_draft_takes_issuer_authority_and_place_from_the_registry(cli: Run,
                                                                       sample: Path) -> None:
    result = cli(*NEW, "--number", "1050", "--date", "1/3/2022", "--signer",
                 "pham-thi-thanh-tra", "--legal-basis", "nd-34-2017", registry=sample)
    assert result.exit_code == 0, result.output
    assert result.stdout == "qd-1050-2022\n"
    assert "Dự thảo QĐ 1050/QĐ-BNV ngày 01/3/2022" in result.stderr
    data = _decision(sample, "qd-1050-2022")
    assert data == {
        "status": "draft", "kind": "change-members", "committee": "bcd-cpdt", "number": 1050,
        "symbol": "QĐ-BNV", "date": date(2022, 3, 1), "place": "Hà Nội", "issuer": "bnv",
        "subject": "Về việc kiện toàn Ban Chỉ đạo",
        "signing": {"mode": "direct", "authority": "Bộ trưởng", "signer": "pham-thi-thanh-tra"},
        "legal_bases": ["nd-34-2017"]}
    assert cli("fmt", "--check", registry=sample).exit_code == 0


def test_drafts_without_number_get_numbered_when_signed(cli: Run, sample: Path) -> None:
    first = cli(*NEW, "--date", "2022-03-01", "--signer", "pham-thi-thanh-tra", registry=sample)
    second = cli(*NEW, "--date", "2022-03-02", registry=sample)
    assert (first.stdout, second.stdout) == ("du-thao-bcd-cpdt-1\n", "du-thao-bcd-cpdt-2\n")
    missing = cli("decision", "sign", "du-thao-bcd-cpdt-1", registry=sample)
    assert missing.exit_code == 2
    assert "has no number: give it with --number (the next free in QĐ-BNV for 2022 is 1)" \
        in missing.stderr
    signed = cli("decision", "sign", "du-thao-bcd-cpdt-1", "--number", "7", registry=sample)
    assert signed.exit_code == 0, signed.output
    assert signed.stdout.startswith("Ký QĐ 07/QĐ-BNV ngày 01/3/2022")
    data = _decision(sample, "du-thao-bcd-cpdt-1")
    assert data["status"] == "signed" and data["number"] == 7
    nobody = cli("decision", "sign", "du-thao-bcd-cpdt-2", "--number", "8", registry=sample)
    assert nobody.exit_code == 2 and "names no signer: pass --signer" in nobody.stderr


def test_number_used_in_the_year_is_refused(cli: Run, sample: Path) -> None:
    before = snapshot(sample)
    taken = cli(*NEW, "--number", "913", "--date", "2021-12-01", registry=sample)
    assert taken.exit_code == 2
    assert ("number 913/QĐ-BNV is already used in 2021 by 'qd-913-2021': take the next free "
            "number (914)") in taken.stderr
    assert snapshot(sample) == before
    # Numbering restarts each year; another series may use the same number.
    assert cli(*NEW, "--number", "913", "--date", "2022-01-05", registry=sample).stdout == \
        "qd-913-2022\n"
    other = cli("decision", "new", "--kind", "other", "--symbol", "QĐ-TTTT", "--issuer",
                "bnv-tttt", "--number", "913", "--date", "2021-10-01", "--subject", "Về việc …",
                registry=sample)
    assert other.exit_code == 0, other.output
    assert other.stdout == "qd-913-2021-2\n"
    # Signing a draft into a number its year already uses is refused too.
    cli(*NEW, "--date", "2021-09-01", "--signer", "pham-thi-thanh-tra", registry=sample)
    clash = cli("decision", "sign", "du-thao-bcd-cpdt-1", "--number", "913", registry=sample)
    assert clash.exit_code == 2 and "already used in 2021" in clash.stderr


def test_signer_must_hold_the_authority(cli: Run, sample: Path) -> None:
    direct = cli(*NEW, "--number", "5", "--date", "2022-01-05", "--signer", "truong-hai-long",
                 registry=sample)
    assert direct.exit_code == 1
    assert "R110" in direct.stderr and "did not hold 'Bộ trưởng'" in direct.stderr
    deputy = cli(*NEW, "--number", "5", "--date", "2022-01-05", "--signer", "truong-hai-long",
                 "--mode", "KT", registry=sample)
    assert deputy.exit_code == 0, deputy.output
    assert _decision(sample, "qd-5-2022")["signing"] == {
        "mode": "KT", "authority": "Bộ trưởng", "signer_title": "Thứ trưởng",
        "signer": "truong-hai-long"}
    # The Minister leaves office; a signature after that date is refused (R110), nothing written.
    assert cli(*NEW, "--number", "6", "--date", "2022-02-01", "--signer", "pham-thi-thanh-tra",
               registry=sample).exit_code == 0
    assert cli("amend", "person", "update", "pham-thi-thanh-tra", "--end-title", "Bộ trưởng",
               "--until", "2022-06-01", registry=sample).exit_code == 0
    before = snapshot(sample)
    late = cli("decision", "sign", "qd-6-2022", "--date", "2022-07-01", registry=sample)
    assert late.exit_code == 1
    assert "did not hold 'Bộ trưởng' on 2022-07-01" in late.stderr
    assert snapshot(sample) == before
    on_time = cli("decision", "sign", "qd-6-2022", registry=sample)
    assert on_time.exit_code == 0, on_time.output


def test_signing_freezes_the_decision(cli: Run, sample: Path) -> None:
    cli(*NEW, "--number", "1050", "--date", "2022-03-01", "--signer", "pham-thi-thanh-tra",
        registry=sample)
    signed = cli("decision", "sign", "qd-1050-2022", "--date", "2022-03-04", registry=sample)
    assert signed.exit_code == 0, signed.output
    data = _decision(sample, "qd-1050-2022")
    assert data["status"] == "signed" and data["date"] == date(2022, 3, 4)
    signature = data["signature"]
    assert isinstance(signature, dict) and signature["date"] == date(2022, 3, 4)
    # scheme 2: the fingerprint of every fact the document states (docs/signed-decisions.md)
    assert signature["scheme"] == 2
    registry = load(DirSource(sample)).registry
    assert signature["fingerprint"] == facts_fingerprint(registry, "qd-1050-2022")
    twice = cli("decision", "sign", "qd-1050-2022", registry=sample)
    assert twice.exit_code == 2 and "already signed on 2022-03-04" in twice.stderr
    assert cli("validate", registry=sample).exit_code == 0


def test_modes_that_need_more(cli: Run, sample: Path) -> None:
    tl = cli(*NEW, "--number", "9", "--date", "2022-01-05", "--mode", "TL", registry=sample)
    assert tl.exit_code == 2 and "--signer-title" in tl.stderr
    tm = cli(*NEW, "--number", "9", "--date", "2022-01-05", "--mode", "TM", "--signer",
             "pham-thi-thanh-tra", registry=sample)
    assert tm.exit_code == 0, tm.output
    signing = _decision(sample, "qd-9-2022")["signing"]
    assert signing == {"mode": "TM", "authority": "Trưởng ban", "body":
                       "Ban Chỉ đạo xây dựng Chính phủ điện tử, chuyển đổi số của Bộ Nội vụ",
                       "signer": "pham-thi-thanh-tra"}
    bad = cli(*NEW, "--number", "10", "--date", "2022-01-05", "--mode", "XX", registry=sample)
    assert bad.exit_code == 2 and "unknown signing mode 'XX'" in bad.stderr
    kind = cli("decision", "new", "--kind", "promote", "--symbol", "QĐ-BNV", "--date",
               "2022-01-05", "--subject", "x", registry=sample)
    assert kind.exit_code == 2 and "unknown decision kind 'promote'" in kind.stderr
    unknown = cli("decision", "sign", "qd-1050-2021", registry=sample)
    assert unknown.exit_code == 2 and "did you mean" in unknown.stderr
