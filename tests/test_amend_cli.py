"""``committee amend …`` through the CLI: a consolidation, then an amendment that adds, ends,
replaces and changes a role, then signing; and every refusal the issue lists."""

from __future__ import annotations

import os
from datetime import date
from pathlib import Path

import pytest
import yaml

from tests.amend_helpers import (
    COMMITTEE,
    assert_valid_and_canonical,
    members_as_of,
    snapshot,
    write_base_registry,
)
from tests.conftest import Run


def _ok(result: object) -> None:
    assert result.exit_code == 0, result.output  # type: ignore[attr-defined]


def _data(root: Path, rel: str) -> dict[str, object]:
    loaded = yaml.safe_load((root / rel).read_text(encoding="utf-8"))
    assert isinstance(loaded, dict)
    return loaded


def test_consolidation_amendment_and_signing(cli: Run, tmp_path: Path) -> None:
    root = write_base_registry(tmp_path / "registry")
    assert_valid_and_canonical(cli, root)

    # 1. The consolidation: a draft, the people, the seats, then the signature.
    made = cli("decision", "new", "-c", COMMITTEE, "--kind", "consolidate", "--number", "100",
               "--symbol", "QĐ-BTN", "--date", "30/8/2021", "--signer", "nguyen-van-an",
               "--legal-basis", "nd-99-2020", "--subject",
               "Về việc kiện toàn Ban Chỉ đạo chuyển đổi số của Bộ Thử nghiệm", registry=root)
    _ok(made)
    assert made.stdout.strip() == "qd-100-2021"
    for name, honorific, title, unit in (("Lê Văn Cường", "Ông", "Vụ trưởng", "btn-vpc"),
                                         ("Phạm Thị Dung", "Bà", "Giám đốc", "btn-tttt"),
                                         ("Hoàng Văn Đức", "Ông", "Chánh Văn phòng", "btn-vp")):
        added = cli("amend", "person", "add", "--name", name, "--honorific", honorific,
                    "--title", title, "--organisation", unit, "--since", "2019-01-01",
                    registry=root)
        _ok(added)
    assert added.stdout.strip() == "hoang-van-duc"
    for args in (("--role", "truong-ban", "--person", "nguyen-van-an"),
                 ("--role", "pho-truong-ban", "--person", "tran-thi-binh"),
                 ("--role", "uy-vien", "--person", "le-van-cuong"),
                 ("--role", "uy-vien", "--person", "pham-thi-dung"),
                 ("--role", "uy-vien", "--person", "hoang-van-duc"),
                 ("--role", "uy-vien", "--post", "Đại diện lãnh đạo", "--unit", "btn-vtccb")):
        _ok(cli("amend", "seat", "add", COMMITTEE, *args, "--decision", "qd-100-2021",
                registry=root))
        assert_valid_and_canonical(cli, root)
    consolidated = [("bcd-thu-01", "truong-ban", "nguyen-van-an"),
                    ("bcd-thu-02", "pho-truong-ban", "tran-thi-binh"),
                    ("bcd-thu-03", "uy-vien", "le-van-cuong"),
                    ("bcd-thu-04", "uy-vien", "pham-thi-dung"),
                    ("bcd-thu-05", "uy-vien", "hoang-van-duc"),
                    ("bcd-thu-06", "uy-vien", "Đại diện lãnh đạo")]
    assert members_as_of(cli, root, "2021-08-30") == consolidated
    _ok(cli("decision", "sign", "qd-100-2021", registry=root))
    assert_valid_and_canonical(cli, root)
    assert members_as_of(cli, root, "2021-08-29") == []
    assert members_as_of(cli, root, "2021-08-30") == consolidated
    assert _data(root, "decisions/qd-100-2021.yaml")["status"] == "signed"

    # 2. The amendment: adds, ends, replaces and changes a role.
    made = cli("decision", "new", "-c", COMMITTEE, "--kind", "change-members", "--number", "200",
               "--symbol", "QĐ-BTN", "--date", "2022-03-01", "--signer", "nguyen-van-an",
               "--subject", "Về việc thay đổi thành viên Ban Chỉ đạo", registry=root)
    _ok(made)
    amendment = made.stdout.strip()
    assert amendment == "qd-200-2022"
    for name in ("Đặng Thị Ánh", "Vũ Thị Giang"):
        _ok(cli("amend", "person", "add", "--name", name, "--honorific", "Bà", "--title",
                "Vụ trưởng", "--organisation", "btn-vpc", "--since", "2022-03-01",
                registry=root))
    steps = [
        (("seat", "replace", "bcd-thu-03", "--person", "dang-thi-anh"),
         "QĐ 200/QĐ-BTN: thay Ủy viên Ông Lê Văn Cường bằng Bà Đặng Thị Ánh"),
        (("seat", "end", "bcd-thu-05", "--reason", "nghỉ hưu"),
         "QĐ 200/QĐ-BTN: Ông Hoàng Văn Đức thôi làm Ủy viên"),
        (("seat", "role", "bcd-thu-04", "--role", "uy-vien-thuong-truc"),
         "QĐ 200/QĐ-BTN: Bà Phạm Thị Dung chuyển từ Ủy viên sang Ủy viên thường trực"),
        (("seat", "add", COMMITTEE, "--role", "uy-vien", "--person", "vu-thi-giang"),
         "QĐ 200/QĐ-BTN: bổ sung Ủy viên Bà Vũ Thị Giang"),
    ]
    for args, summary in steps:
        result = cli("amend", *args, "--decision", amendment, registry=root)
        _ok(result)
        assert result.stdout.splitlines()[0] == summary
        assert "still a draft" in result.stderr  # R108: in force once signed
        assert_valid_and_canonical(cli, root)
    _ok(cli("decision", "sign", amendment, "--date", "2022-03-01", registry=root))
    assert_valid_and_canonical(cli, root)
    assert members_as_of(cli, root, "2022-02-28") == consolidated
    assert members_as_of(cli, root, "2022-03-01") == [
        ("bcd-thu-01", "truong-ban", "nguyen-van-an"),
        ("bcd-thu-02", "pho-truong-ban", "tran-thi-binh"),
        ("bcd-thu-08", "uy-vien-thuong-truc", "pham-thi-dung"),
        ("bcd-thu-07", "uy-vien", "dang-thi-anh"),
        ("bcd-thu-06", "uy-vien", "Đại diện lãnh đạo"),
        ("bcd-thu-09", "uy-vien", "vu-thi-giang"),
    ]
    replacement = _data(root, "seats/bcd-thu-07.yaml")
    assert replacement["replaces"] == "bcd-thu-03" and replacement["order"] == 3
    assert _data(root, "seats/bcd-thu-08.yaml")["replaces"] == "bcd-thu-04"
    assert _data(root, "seats/bcd-thu-05.yaml")["end"] == {"decision": amendment,
                                                           "reason": "nghỉ hưu"}
    # After signing, the decision is frozen for the CLI …
    refused = cli("amend", "seat", "end", "bcd-thu-06", "--decision", amendment, registry=root)
    assert refused.exit_code == 2 and "--force-signed" in refused.stderr
    # … and for hand edits (R130: the subject is one of the facts it was signed with).
    path = root / "decisions" / f"{amendment}.yaml"
    path.write_text(path.read_text(encoding="utf-8").replace("thay đổi", "bổ sung"),
                    encoding="utf-8")
    checked = cli("validate", registry=root)
    assert checked.exit_code == 1 and "R130" in checked.output


def test_on_date_is_written_only_when_it_differs(cli: Run, sample: Path) -> None:
    _ok(cli("decision", "new", "-c", "bcd-cpdt", "--kind", "change-members", "--number", "1050",
            "--symbol", "QĐ-BNV", "--date", "2022-03-01", "--subject", "Về việc kiện toàn",
            "--signer", "pham-thi-thanh-tra", registry=sample))
    _ok(cli("amend", "seat", "end", "bcd-cpdt-07", "-d", "qd-1050-2022", "--on", "2022-03-01",
            registry=sample))
    _ok(cli("amend", "seat", "end", "bcd-cpdt-08", "-d", "qd-1050-2022", "--on", "15/3/2022",
            registry=sample))
    assert _data(sample, "seats/bcd-cpdt-07.yaml")["end"] == {"decision": "qd-1050-2022"}
    assert _data(sample, "seats/bcd-cpdt-08.yaml")["end"] == {
        "decision": "qd-1050-2022", "date": date(2022, 3, 15)}


@pytest.fixture
def drafted(cli: Run, sample: Path) -> Path:
    """The sample with draft QĐ 1050/QĐ-BNV and a person not yet seated."""
    _ok(cli("decision", "new", "-c", "bcd-cpdt", "--kind", "change-members", "--number", "1050",
            "--symbol", "QĐ-BNV", "--date", "2022-03-01", "--subject", "Về việc kiện toàn",
            "--signer", "pham-thi-thanh-tra", registry=sample))
    _ok(cli("amend", "person", "add", "--name", "Nguyễn Văn A", "--honorific", "Ông",
            registry=sample))
    return sample


@pytest.mark.parametrize(("args", "code", "words"), [
    (("seat", "end", "bcd-cpdt-99", "-d", "qd-1050-2022"), 2, "no seat 'bcd-cpdt-99' (did you "
     "mean 'bcd-cpdt-09'?)"),
    (("seat", "replace", "bcd-cpdt-05", "--person", "nguyen-van-b", "-d", "qd-1050-2022"), 2,
     "no person 'nguyen-van-b' (did you mean 'nguyen-van-a'?)"),
    (("seat", "end", "bcd-cpdt-05", "-d", "qd-1051-2022"), 2,
     "no decision 'qd-1051-2022' (did you mean 'qd-1050-2022'?)"),
    (("seat", "add", "bcd-cpd", "--role", "uy-vien", "--person", "nguyen-van-a", "-d",
      "qd-1050-2022"), 2, "did you mean 'bcd-cpdt'?"),
    (("seat", "add", "bcd-cpdt", "--role", "uy-vein", "--person", "nguyen-van-a", "-d",
      "qd-1050-2022"), 2, "did you mean 'uy-vien'?"),
    (("seat", "replace", "bcd-cpdt-05", "--person", "truong-hai-long", "-d", "qd-1050-2022"), 2,
     "'truong-hai-long' already holds seat 'bcd-cpdt-02'"),
    (("seat", "add", "bcd-cpdt", "--role", "uy-vien", "--person", "pham-thi-thanh-tra", "-d",
      "qd-1050-2022"), 2, "already holds seat 'bcd-cpdt-01'"),
    (("seat", "end", "bcd-cpdt-05", "-d", "qd-1050-2022", "--on", "2022-02-28"), 2,
     "before its decision 'qd-1050-2022' of 2022-03-01"),
    (("seat", "end", "bcd-cpdt-05", "-d", "qd-913-2021"), 2, "--force-signed"),
    (("seat", "role", "bcd-cpdt-05", "--role", "uy-vien", "-d", "qd-1050-2022"), 2,
     "already has the role"),
    (("seat", "role", "bcd-cpdt-05", "--role", "truong-ban", "-d", "qd-1050-2022"), 1,
     "R103"),
    (("seat", "add", "bcd-cpdt", "--role", "uy-vien", "-d", "qd-1050-2022"), 2,
     "--person ID, or --post TEXT with --unit ORG"),
    (("seat", "end", "bcd-cpdt-05", "-d", "qd-1050-2022", "--on", "1/13/2022"), 2,
     "not a real date"),
    (("duty", "end", "bcd-cpdt", "cho-y-kin", "-d", "qd-1050-2022"), 2,
     "did you mean 'cho-y-kien'?"),
    (("task", "close", "kien-toan-to-cong-tac", "--on", "2021-01-01"), 1, "R114"),
    (("person", "update", "nguyen-van-a"), 2, "nothing to update"),
    (("person", "add", "--name", "Trần Thị B", "--honorific", "Bà", "--id", "Tran Thi B"), 2,
     "'Tran Thi B' is not a safe id: use lower-case ASCII letters, digits and single hyphens "
     "(e.g. 'tran-thi-b')"),
    (("duty", "add", "bcd-cpdt", "--text", "x", "--id", "Nhiệm vụ", "-d", "qd-1050-2022"), 2,
     "e.g. 'nhiem-vu'"),
    (("person", "add", "--name", "Trần Thị B", "--honorific", "Cô"), 2,
     "honorific 'Cô' is not one of: Ông, Bà"),
])
def test_refusals_write_nothing(cli: Run, drafted: Path, args: tuple[str, ...], code: int,
                                words: str) -> None:
    before = snapshot(drafted)
    result = cli("amend", *args, registry=drafted)
    assert result.exit_code == code, result.output
    assert words in result.stderr, result.stderr
    assert "Traceback" not in result.output
    assert snapshot(drafted) == before


def test_ending_a_seat_twice_is_refused(cli: Run, drafted: Path) -> None:
    _ok(cli("amend", "seat", "end", "bcd-cpdt-05", "-d", "qd-1050-2022", registry=drafted))
    before = snapshot(drafted)
    again = cli("amend", "seat", "end", "bcd-cpdt-05", "-d", "qd-1050-2022", registry=drafted)
    assert again.exit_code == 2
    assert "already ended (decision 'qd-1050-2022', 2022-03-01): nothing to end" in again.stderr
    replace = cli("amend", "seat", "replace", "bcd-cpdt-05", "--person", "nguyen-van-a", "-d",
                  "qd-1050-2022", registry=drafted)
    assert replace.exit_code == 2 and "already ended" in replace.stderr
    assert snapshot(drafted) == before


def test_force_signed_records_the_reason(cli: Run, sample: Path) -> None:
    result = cli("amend", "seat", "end", "bcd-cpdt-16", "-d", "qd-913-2021", "--on",
                 "2021-09-15", "--reason", "chuyển công tác", "--force-signed",
                 "ghi bổ sung theo bản lưu", registry=sample)
    _ok(result)
    assert _data(sample, "seats/bcd-cpdt-16.yaml")["end"] == {
        "decision": "qd-913-2021", "date": date(2021, 9, 15), "reason": "chuyển công tác",
        "forced": "ghi bổ sung theo bản lưu"}
    # What the signed decision states changed (it now ends that seat too): recorded as a
    # correction with the reason, so the registry stays valid.
    signature = _data(sample, "decisions/qd-913-2021.yaml")["signature"]
    assert signature["corrections"][-1]["reason"] == "ghi bổ sung theo bản lưu"  # type: ignore[index]
    assert cli("validate", registry=sample).exit_code == 0


def test_dry_run_prints_the_diff_and_writes_nothing(cli: Run, drafted: Path) -> None:
    before = snapshot(drafted)
    result = cli("amend", "seat", "replace", "bcd-cpdt-05", "--person", "nguyen-van-a", "-d",
                 "qd-1050-2022", "--dry-run", registry=drafted)
    _ok(result)
    assert snapshot(drafted) == before
    lines = result.stdout.splitlines()
    assert "--- a/seats/bcd-cpdt-05.yaml" in lines and "+++ b/seats/bcd-cpdt-05.yaml" in lines
    assert "+end:" in lines and "+  decision: qd-1050-2022" in lines
    assert "--- /dev/null" in lines and "+++ b/seats/bcd-cpdt-17.yaml" in lines
    assert "+replaces: bcd-cpdt-05" in lines
    assert "nothing was written" in result.stderr
    both = cli("amend", "seat", "end", "bcd-cpdt-05", "-d", "qd-1050-2022", "--dry-run",
               "--commit", registry=drafted)
    assert both.exit_code == 2


@pytest.mark.skipif(os.name != "posix", reason="POSIX file modes")
def test_read_only_file_is_an_io_error(cli: Run, drafted: Path) -> None:
    path = drafted / "seats" / "bcd-cpdt-05.yaml"
    path.chmod(0o444)
    before = snapshot(drafted)
    result = cli("amend", "seat", "replace", "bcd-cpdt-05", "--person", "nguyen-van-a", "-d",
                 "qd-1050-2022", registry=drafted)
    assert result.exit_code == 4, result.output
    assert "seats/bcd-cpdt-05.yaml is read-only" in result.stderr
    assert snapshot(drafted) == before
    assert not (drafted / "seats" / "bcd-cpdt-17.yaml").exists()


def test_amend_never_writes_the_packaged_sample(cli: Run, tmp_path: Path,
                                                monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    result = cli("amend", "seat", "end", "bcd-cpdt-05", "-d", "qd-913-2021")
    assert result.exit_code == 2 and "pass --registry" in result.stderr


def test_people_duties_and_tasks(cli: Run, drafted: Path) -> None:
    root = drafted
    steps = [
        ("amend", "person", "update", "nguyen-van-a", "--title", "Vụ trưởng", "--organisation",
         "bnv-vpc", "--since", "2022-01-01"),
        ("amend", "person", "update", "nguyen-van-a", "--end-title", "vụ trưởng", "--until",
         "2023-01-01", "--honorific", "Ông"),
        ("amend", "person", "add", "--name", "Nguyễn Văn A", "--honorific", "Bà"),
        ("amend", "duty", "add", "bcd-cpdt", "--text", "Chỉ đạo triển khai nền tảng số của Bộ",
         "-d", "qd-1050-2022"),
        ("amend", "duty", "edit", "bcd-cpdt", "cho-y-kien", "--text",
         "Cho ý kiến về các đề án chuyển đổi số của Bộ", "-d", "qd-1050-2022"),
        ("amend", "duty", "end", "bcd-cpdt", "nhiem-vu-khac", "-d", "qd-1050-2022"),
        ("amend", "task", "add", "bcd-cpdt", "--title", "Xây dựng Kế hoạch chuyển đổi số năm "
         "2022", "--lead-unit", "bnv-tttt", "--coordinator", "bnv-vp", "--deadline",
         "2022-06-30", "--product", "Kế hoạch", "-d", "qd-1050-2022"),
        ("amend", "task", "update", "kien-toan-to-cong-tac", "--status", "in-progress", "--on",
         "2021-09-15", "--deadline", "2021-12-31"),
        ("amend", "task", "close", "kien-toan-to-cong-tac", "--on", "2021-10-20", "--note",
         "Đã trình Bộ trưởng"),
    ]
    for step in steps:
        _ok(cli(*step, registry=root))
        assert_valid_and_canonical(cli, root)
    person = _data(root, "people/nguyen-van-a.yaml")
    assert person["positions"] == [{"title": "Vụ trưởng", "organisation": "bnv-vpc",
                                    "since": date(2022, 1, 1),
                                    "until": date(2023, 1, 1)}]
    assert _data(root, "people/nguyen-van-a-2.yaml")["honorific"] == "Bà"
    duties = {d["id"]: d for d in _data(root, "committees/bcd-cpdt.yaml")["duties"]}  # type: ignore[union-attr]
    assert duties["chi-dao-trien-khai"]["start"] == {"decision": "qd-1050-2022"}
    assert duties["cho-y-kien"]["end"] == {"decision": "qd-1050-2022"}
    assert duties["cho-y-kien-2"]["text"] == "Cho ý kiến về các đề án chuyển đổi số của Bộ"
    assert duties["nhiem-vu-khac"]["end"] == {"decision": "qd-1050-2022"}
    ids = [d["id"] for d in _data(root, "committees/bcd-cpdt.yaml")["duties"]]  # type: ignore[union-attr]
    assert ids.index("cho-y-kien-2") == ids.index("cho-y-kien") + 1
    # The comment that stood before so-ket-tong-ket still stands right before it.
    text = (root / "committees" / "bcd-cpdt.yaml").read_text(encoding="utf-8").splitlines()
    comment = next(i for i, line in enumerate(text) if "typing slip" in line)
    assert text[comment + 1] == "  - id: so-ket-tong-ket"
    task = _data(root, "tasks/kien-toan-to-cong-tac.yaml")
    assert task["status"] == "done" and task["completed"] == date(2021, 10, 20)
    assert [h["status"] for h in task["history"]] == ["in-progress", "done"]  # type: ignore[union-attr]
    new_task = _data(root, "tasks/xay-dung-ke-hoach-chuyen-doi.yaml")
    assert new_task["assigned_by"] == "qd-1050-2022" and new_task["coordinators"] == ["bnv-vp"]
    closed = cli("amend", "task", "close", "kien-toan-to-cong-tac", registry=root)
    assert closed.exit_code == 2 and "already closed" in closed.stderr


def test_decision_kinds_in_help_match_the_model(cli: Run) -> None:
    from committee_cli.services.decisions import DECISION_KINDS, SIGNING_MODES

    shown = " ".join(cli("decision", "new", "--help").stdout.split()).replace("- ", "-")
    for kind in DECISION_KINDS:
        assert kind in shown
    for mode in SIGNING_MODES:
        assert mode in shown

