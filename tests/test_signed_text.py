"""Signed means the text that was signed (issue 14): every fact a signed decision states is
frozen, wherever in the registry it lives; a later dated change passes; a correction is
recorded, never silent."""

from __future__ import annotations

import json
import shutil
from collections.abc import Callable
from pathlib import Path

import pytest
import yaml

from committee_cli.store import DirSource, load
from tests.conftest import Run
from tests.content_helpers import from_diff, from_history, from_render, from_textconv
from tests.git_helpers import commit_all, end_seat, git, make_repo, write_decision, write_seat

FIXTURE = Path(__file__).resolve().parent / "fixtures" / "render" / "registry"


def _replace(registry: Path, rel: str, old: str, new: str) -> None:
    path = registry / rel
    text = path.read_text(encoding="utf-8")
    assert old in text, f"{old!r} not in {rel}"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def _swap_order(registry: Path) -> None:
    _replace(registry, "seats/bcd-cpdt-03.yaml", "order: 3", "order: 99")
    _replace(registry, "seats/bcd-cpdt-04.yaml", "order: 4", "order: 3")
    _replace(registry, "seats/bcd-cpdt-03.yaml", "order: 99", "order: 4")


def _second_decision_ends_a_seat(registry: Path) -> None:
    write_decision(registry, "qd-914-2021", 914, "2021-08-30")
    end_seat(registry, "bcd-cpdt-16", "qd-914-2021")


Edit = Callable[[Path], None]

# Each edit of the "Why", by hand: (id, edit, the file that caused it, the fact named).
HAND_EDITS: list[tuple[str, Edit, str, str]] = [
    ("name", lambda r: _replace(r, "people/pham-thi-thanh-tra.yaml", "Thanh Trà", "Thanh Tra"),
     "people/pham-thi-thanh-tra.yaml", "members[bcd-cpdt-01].name: “Phạm Thị Thanh Trà” → "
     "“Phạm Thị Thanh Tra”"),
    ("honorific", lambda r: _replace(r, "people/pham-thi-thanh-tra.yaml", "honorific: Bà",
                                     "honorific: Ông"),
     "people/pham-thi-thanh-tra.yaml", "members[bcd-cpdt-01].honorific: “Bà” → “Ông”"),
    ("position-title", lambda r: _replace(r, "people/pham-thi-thanh-tra.yaml",
                                          "title: Bộ trưởng",
                                          "title: Bộ trưởng, Phó Thủ tướng, Trưởng ban"),
     "people/pham-thi-thanh-tra.yaml", "members[bcd-cpdt-01].titles[1].title"),
    ("unit-name", lambda r: _replace(r, "organisations/bnv-vp.yaml", "name: Văn phòng Bộ",
                                     "name: Văn phòng"),
     "organisations/bnv-vp.yaml", "members[bcd-cpdt-03].unit: “Văn phòng Bộ” → “Văn phòng”"),
    ("issuer-name", lambda r: _replace(r, "organisations/bnv.yaml", "name: Bộ Nội vụ",
                                       "name: Bộ Nội vụ và Lao động"),
     "organisations/bnv.yaml", "issuer.name: “Bộ Nội vụ” → “Bộ Nội vụ và Lao động”"),
    ("legal-basis-number", lambda r: _replace(r, "legal-bases/nd-34-2017.yaml", "34/2017/NĐ-CP",
                                              "43/2017/NĐ-CP"),
     "legal-bases/nd-34-2017.yaml", "legal_bases[nd-34-2017].number"),
    ("legal-basis-title", lambda r: _replace(r, "legal-bases/nd-34-2017.yaml", "quy định chức "
                                             "năng", "quy định nhiệm vụ"),
     "legal-bases/nd-34-2017.yaml", "legal_bases[nd-34-2017].title"),
    ("seat-order", _swap_order, "seats/bcd-cpdt-0", "members[bcd-cpdt-03].line: 3 → 4"),
    ("duty-text", lambda r: _replace(r, "committees/bcd-cpdt.yaml", "Cho ý kiến về",
                                     "Quyết định về"),
     "committees/bcd-cpdt.yaml", "duties[cho-y-kien].text"),
    ("committee-name", lambda r: _replace(r, "committees/bcd-cpdt.yaml",
                                          "name: Ban Chỉ đạo xây dựng", "name: Ban Chỉ đạo phát triển"),
     "committees/bcd-cpdt.yaml", "committee.name"),
    ("standing-body-text", lambda r: _replace(r, "committees/bcd-cpdt.yaml",
                                              "là đơn vị đầu mối", "là đơn vị chủ trì"),
     "committees/bcd-cpdt.yaml", "committee.standing_tasks"),
    ("task-title", lambda r: _replace(r, "tasks/kien-toan-to-cong-tac.yaml",
                                      "title: Trình Bộ trưởng", "title: Báo cáo Bộ trưởng"),
     "tasks/kien-toan-to-cong-tac.yaml", "tasks[kien-toan-to-cong-tac].title: “Trình Bộ trưởng"),
    ("seat-ended-same-day", _second_decision_ends_a_seat, "seats/bcd-cpdt-16.yaml",
     "members[bcd-cpdt-16].line: 16 → (none)"),
]


def _branch(tmp_path: Path) -> Path:
    """The sample committed on main, with a branch ``change`` checked out for the edit."""
    registry = make_repo(tmp_path)
    git(registry.parent, "checkout", "-q", "-b", "change")
    return registry


def _problems(result_stdout: str) -> list[dict[str, object]]:
    return json.loads(result_stdout)  # type: ignore[no-any-return]


@pytest.mark.parametrize(("edit", "file", "fact"), [case[1:] for case in HAND_EDITS],
                         ids=[case[0] for case in HAND_EDITS])
def test_each_edit_of_a_signed_fact_fails(cli: Run, tmp_path: Path, edit: Edit, file: str,
                                          fact: str) -> None:
    registry = _branch(tmp_path)
    edit(registry)
    plain = cli("validate", "--format", "json", registry=registry)
    assert plain.exit_code == 1, plain.output
    found = [p for p in _problems(plain.stdout) if p["code"] == "R130"]
    assert found and all("qd-913-2021" in str(p["message"]) for p in found)
    assert any(str(p["file"]).startswith(file) and fact in str(p["message"])
               and isinstance(p["line"], int) for p in found), found
    commit_all(registry, "Sửa dữ liệu")
    based = cli("validate", "--base", "main", "--format", "json", registry=registry)
    assert based.exit_code == 1
    since = [p for p in _problems(based.stdout) if p["code"] == "R131"]
    assert any(fact in str(p["message"]) and "Sửa dữ liệu" in str(p["message"])
               for p in since), since
    refused = cli("render", "decision", "qd-913-2021", registry=registry)
    assert refused.exit_code == 1 and "refusing to render" in refused.stderr
    assert fact in refused.stderr
    assert cli("render", "decision", "qd-913-2021", "--current-data",
               registry=registry).exit_code == 0
    then = cli("render", "decision", "qd-913-2021", "--rev", "main", registry=registry)
    assert then.exit_code == 0 and "Phạm Thị Thanh Trà" in then.stdout


def test_edits_through_the_cli_fail_validate(cli: Run, tmp_path: Path) -> None:
    registry = _branch(tmp_path)
    changed = cli("amend", "person", "update", "pham-thi-thanh-tra", "--name",
                  "Phạm Thị Thanh Tra", "--honorific", "Ông", registry=registry)
    assert changed.exit_code == 0, changed.output
    task = cli("amend", "task", "update", "kien-toan-to-cong-tac", "--title",
               "Báo cáo Bộ trưởng kiện toàn Tổ công tác", registry=registry)
    assert task.exit_code == 0, task.output
    result = cli("validate", registry=registry)
    assert result.exit_code == 1
    assert "“Bà” → “Ông”" in result.stdout and "“Phạm Thị Thanh Trà” → “Phạm Thị Thanh Tra”" \
        in result.stdout and "tasks[kien-toan-to-cong-tac].title" in result.stdout
    based = cli("validate", "--base", "main", registry=registry)
    assert based.exit_code == 1 and "R131" in based.stdout and "not yet committed" in based.stdout


def test_without_git_the_cache_names_the_fact(cli: Run, sample: Path) -> None:
    assert cli("validate", registry=sample).exit_code == 0  # seen sealed: facts kept by fingerprint
    _replace(sample, "people/truong-hai-long.yaml", "Trương Hải Long", "Trương Hải Lon")
    result = cli("validate", registry=sample)
    assert result.exit_code == 1
    assert "members[bcd-cpdt-02].name: “Trương Hải Long” → “Trương Hải Lon”" in result.stdout


def test_without_git_or_cache_it_still_fails(cli: Run, sample: Path) -> None:
    _replace(sample, "people/truong-hai-long.yaml", "Trương Hải Long", "Trương Hải Lon")
    result = cli("validate", registry=sample)
    assert result.exit_code == 1 and "R130" in result.stdout
    assert "cannot be told here" in result.stdout and "qd-913-2021" in result.stdout


def _regulation_repo(cli: Run, tmp_path: Path) -> Path:
    repo = tmp_path / "fixture"
    repo.mkdir()
    git(repo, "init", "-q", "-b", "main")
    git(repo, "config", "user.email", "vanthu@example.gov.vn")
    git(repo, "config", "user.name", "Văn thư")
    git(repo, "config", "commit.gpgsign", "false")
    shutil.copytree(FIXTURE, repo / "registry")
    registry = repo / "registry"
    migrated = cli("migrate", registry=registry)
    assert migrated.exit_code == 0, migrated.output
    commit_all(registry, "Sổ đăng ký")
    return registry


def test_the_attached_regulation_is_frozen(cli: Run, tmp_path: Path) -> None:
    registry = _regulation_repo(cli, tmp_path)
    _replace(registry, "regulations/quy-che-bcd-cds-v1.yaml",
             "Ban Chỉ đạo họp định kỳ 06 tháng một lần.",
             "Trưởng ban có toàn quyền quyết định mọi việc, không cần họp.")
    result = cli("validate", registry=registry)
    assert result.exit_code == 1 and "qd-121-2021" in result.stdout
    assert "regulations/quy-che-bcd-cds-v1.yaml" in result.stdout
    assert "không cần họp" in result.stdout
    assert cli("validate", "--base", "main", registry=registry).exit_code == 1
    assert cli("render", "decision", "qd-121-2021", registry=registry).exit_code == 1


def test_later_dated_changes_pass(cli: Run, tmp_path: Path) -> None:
    registry = _branch(tmp_path)
    # the ministry renamed in 2025, by a dated change
    (registry / "organisations" / "bnv.yaml").write_text(
        (registry / "organisations" / "bnv.yaml").read_text(encoding="utf-8")
        + "changes:\n  - since: 2025-03-01\n    name: Bộ Nội vụ (mới)\n", encoding="utf-8")
    # a new position of the minister from a later date
    position = cli("amend", "person", "update", "pham-thi-thanh-tra", "--title", "Ủy viên",
                   "--organisation", "bnv-vp", "--since", "2024-01-01", registry=registry)
    assert position.exit_code == 0, position.output
    # a new seat by a later decision
    write_decision(registry, "qd-1050-2022", 1050, "2022-03-01")
    write_seat(registry, "bcd-cpdt-17", "uy-vien", 17, "truong-hai-long", "qd-1050-2022")
    _replace(registry, "seats/bcd-cpdt-02.yaml", "start:",
             "end:\n  decision: qd-1050-2022\nstart:")
    plain = cli("validate", registry=registry)
    assert plain.exit_code == 0, plain.output
    based = cli("validate", "--base", "main", registry=registry)
    assert based.exit_code == 0, based.output
    rendered = cli("render", "decision", "qd-913-2021", registry=registry)
    assert rendered.exit_code == 0 and "BỘ NỘI VỤ (MỚI)" not in rendered.stdout


def test_decision_correct_records_a_typo_fix(cli: Run, tmp_path: Path) -> None:
    registry = make_repo(tmp_path)
    # the registry as it was signed: with a typo in a name (sealed by `migrate` from scheme 1)
    path = registry / "decisions" / "qd-913-2021.yaml"
    text = path.read_text(encoding="utf-8")
    path.write_text(text[:text.index("signature:")] + "signature:\n  date: 2021-08-30\n"
                    "  fingerprint: sha256:c47e43943a0de01a7141b20bf025ca6df0867ae547598f4427df9b"
                    "621ec37646\n", encoding="utf-8")
    _replace(registry, "people/truong-hai-long.yaml", "Trương Hải Long", "Trương Hải Lòng")
    assert cli("migrate", registry=registry).exit_code == 0
    commit_all(registry, "Tên sai")
    git(registry.parent, "checkout", "-q", "-b", "change")
    _replace(registry, "people/truong-hai-long.yaml", "Trương Hải Lòng", "Trương Hải Long")
    assert cli("validate", registry=registry).exit_code == 1
    corrected = cli("decision", "correct", "qd-913-2021", "--reason", "Sửa lỗi chính tả họ tên",
                    "--date", "2022-01-10", registry=registry)
    assert corrected.exit_code == 0, corrected.output
    data = yaml.safe_load((registry / "decisions" / "qd-913-2021.yaml").read_text("utf-8"))
    correction = data["signature"]["corrections"][-1]
    assert correction["reason"] == "Sửa lỗi chính tả họ tên"
    assert {"fact": "members[bcd-cpdt-02].name", "before": "Trương Hải Lòng",
            "after": "Trương Hải Long"} in correction["changes"]
    assert data["signature"]["fingerprint"] == correction["fingerprint"]
    assert data["signature"]["previous"][-1]["scheme"] == 2
    assert cli("validate", registry=registry).exit_code == 0
    assert cli("validate", "--base", "main", registry=registry).exit_code == 0
    again = cli("decision", "correct", "qd-913-2021", "--reason", "lần nữa", registry=registry)
    assert again.exit_code == 2 and "nothing to correct" in again.stderr
    history = cli("history", "bcd-cpdt", registry=registry)
    assert "Sửa lỗi chính tả họ tên" in history.stdout and "Trương Hải Long" in history.stdout
    diff = cli("diff", "main", registry=registry)
    assert "Sửa lỗi chính tả họ tên" in diff.stdout


def test_force_signed_passes_validate_base(cli: Run, tmp_path: Path) -> None:
    registry = _branch(tmp_path)
    ended = cli("amend", "seat", "end", "bcd-cpdt-16", "-d", "qd-913-2021", "--on", "2021-09-15",
                "--force-signed", "ghi bổ sung theo bản lưu", registry=registry)
    assert ended.exit_code == 0, ended.output
    seat = yaml.safe_load((registry / "seats" / "bcd-cpdt-16.yaml").read_text("utf-8"))
    assert seat["end"]["forced"] == "ghi bổ sung theo bản lưu"
    commit_all(registry, "Ghi bổ sung")
    result = cli("validate", "--base", "main", registry=registry)
    assert result.exit_code == 0, result.output


def test_hand_added_seat_citing_a_signed_decision_fails_r202(cli: Run, tmp_path: Path) -> None:
    registry = _branch(tmp_path)
    write_seat(registry, "bcd-cpdt-17", "uy-vien", 17, "truong-hai-long", "qd-913-2021")
    result = cli("validate", "--base", "main", "--format", "json", registry=registry)
    codes = {p["code"] for p in _problems(result.stdout)}
    assert result.exit_code == 1 and "R202" in codes and "R130" in codes


def test_migrate_refuses_an_edited_scheme_one_signature(cli: Run, tmp_path: Path) -> None:
    registry = tmp_path / "registry"
    shutil.copytree(FIXTURE, registry)
    _replace(registry, "decisions/qd-121-2021.yaml", "Về việc ban hành", "Về việc sửa")
    before = (registry / "decisions" / "qd-121-2021.yaml").read_text("utf-8")
    refused = cli("migrate", registry=registry)
    assert refused.exit_code == 1 and "qd-121-2021" in refused.stderr
    assert (registry / "decisions" / "qd-121-2021.yaml").read_text("utf-8") == before


def test_the_sample_is_migrated(cli: Run, sample: Path) -> None:
    data = yaml.safe_load((sample / "decisions" / "qd-913-2021.yaml").read_text("utf-8"))
    signature = data["signature"]
    assert signature["scheme"] == 2
    assert signature["previous"] == [{"scheme": 1, "fingerprint": "sha256:c47e43943a0de01a7141b"
                                      "20bf025ca6df0867ae547598f4427df9b621ec37646"}]
    assert cli("validate", registry=sample).exit_code == 0
    again = cli("migrate", registry=sample)
    assert again.exit_code == 0 and "nothing to change" in again.stderr


def test_history_textconv_diff_and_render_agree_on_every_golden_decision(cli: Run) -> None:
    registry = load(DirSource(FIXTURE)).registry
    assert len(registry.decisions) >= 5
    for decision_id in sorted(registry.decisions):
        said = from_history(registry, decision_id)
        textconv = cli("textconv", str(FIXTURE / "decisions" / f"{decision_id}.yaml"),
                       registry=FIXTURE)
        assert textconv.exit_code == 0, textconv.output
        assert from_textconv(textconv.stdout) == said, decision_id
        assert from_diff(registry, decision_id) == {(k, s) for k, s, _ in said}, decision_id
        assert from_render(registry, decision_id) == said, decision_id
    # the fixture has each kind of change at least once
    kinds = {k for did in registry.decisions for k, _, _ in from_history(registry, did)}
    assert kinds == {"add", "replace", "role", "leave"}


def test_a_role_change_written_as_two_seats_is_one_change_everywhere(cli: Run,
                                                                     sample: Path) -> None:
    # the same person's seat ended and a new one started by one decision, without `replaces`:
    # a role change (not an addition and a departure), in history, diff, textconv and render
    write_decision(sample, "qd-1050-2022", 1050, "2022-03-01")
    end_seat(sample, "bcd-cpdt-02", "qd-1050-2022")
    write_seat(sample, "bcd-cpdt-17", "uy-vien", 17, "truong-hai-long", "qd-1050-2022")
    registry = load(DirSource(sample)).registry
    expected = {("role", "bcd-cpdt-17", "bcd-cpdt-02")}
    assert from_history(registry, "qd-1050-2022") == expected
    assert from_diff(registry, "qd-1050-2022") == {("role", "bcd-cpdt-17")}
    assert from_render(registry, "qd-1050-2022") == expected
    textconv = cli("textconv", str(sample / "decisions" / "qd-1050-2022.yaml"), registry=sample)
    assert from_textconv(textconv.stdout) == expected
    shown = cli("history", "bcd-cpdt", registry=sample).stdout
    assert "Phó Trưởng ban → Ủy viên" in shown


def test_r132_unknown_scheme(cli: Run, sample: Path) -> None:
    assert "R132" not in cli("validate", registry=sample).output
    _replace(sample, "decisions/qd-913-2021.yaml", "  scheme: 2\n", "  scheme: 3\n")
    result = cli("validate", registry=sample)
    assert result.exit_code == 1 and "R132" in result.stdout and "scheme 3" in result.stdout


def test_r133_scheme_one_is_a_warning_until_migrated(cli: Run, tmp_path: Path) -> None:
    registry = tmp_path / "registry"
    shutil.copytree(FIXTURE, registry)
    old = cli("validate", registry=registry)
    assert old.exit_code == 0 and "R133 warning" in old.stdout and "qd-121-2021" in old.stdout
    assert cli("migrate", registry=registry).exit_code == 0
    upgraded = cli("validate", registry=registry)
    assert upgraded.exit_code == 0 and "R133" not in upgraded.output


def test_r134_signature_history_is_only_appended_to(cli: Run, tmp_path: Path) -> None:
    registry = _branch(tmp_path)
    assert "R134" not in cli("validate", "--base", "main", registry=registry).output
    path = registry / "decisions" / "qd-913-2021.yaml"
    text = path.read_text(encoding="utf-8")
    path.write_text(text[:text.index("  previous:")], encoding="utf-8")
    result = cli("validate", "--base", "main", registry=registry)
    assert result.exit_code == 1 and "R134" in result.stdout


def test_an_amendment_that_changes_a_signed_text_says_so_at_once(cli: Run, sample: Path) -> None:
    renamed = cli("amend", "person", "update", "truong-hai-long", "--name", "Trương Hải Lon",
                  registry=sample)
    assert renamed.exit_code == 0, renamed.output  # written: a correction may follow
    assert "warning: signed decision 'qd-913-2021'" in renamed.stderr
    assert "members[bcd-cpdt-02].name: “Trương Hải Long” → “Trương Hải Lon”" in renamed.stderr
    assert "(R130, 1 record(s))" in renamed.stderr
    assert cli("validate", registry=sample).exit_code == 1  # until it is corrected
    corrected = cli("decision", "correct", "qd-913-2021", "--reason", "Sửa họ tên",
                    registry=sample)
    assert corrected.exit_code == 0, corrected.output
    assert cli("validate", registry=sample).exit_code == 0
    later = cli("amend", "person", "update", "truong-hai-long", "--note", "ghi chú",
                registry=sample)
    assert later.exit_code == 0 and "R130" not in later.stderr  # a note is no fact of 913
