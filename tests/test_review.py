"""committee diff and validate --base in real git repositories."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.conftest import Run
from tests.git_helpers import (
    commit_all,
    end_seat,
    git,
    make_repo,
    write_decision,
    write_person,
    write_seat,
)


def amend_branch(registry: Path) -> None:
    """Branch 'amend': QĐ 1050/QĐ-BNV replaces the Vụ Pháp chế seat with Bà Nguyễn Thị B and
    ends the Thanh tra Bộ seat."""
    git(registry.parent, "checkout", "-q", "-b", "amend")
    write_decision(registry, "qd-1050-2022", 1050, "2022-03-01")
    write_person(registry, "nguyen-thi-b", "Nguyễn Thị B", "Bà", "Vụ trưởng", "bnv-vpc",
                 "2022-01-01")
    end_seat(registry, "bcd-cpdt-07", "qd-1050-2022")
    write_seat(registry, "bcd-cpdt-17", "uy-vien", 7, "nguyen-thi-b", "qd-1050-2022",
               replaces="bcd-cpdt-07")
    end_seat(registry, "bcd-cpdt-13", "qd-1050-2022", reason="sắp xếp lại")
    commit_all(registry, "QĐ 1050/QĐ-BNV")


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    registry = make_repo(tmp_path)
    amend_branch(registry)
    return registry


def test_diff_text_markdown_json(cli: Run, repo: Path) -> None:
    text = cli("diff", "main", "amend", registry=repo)
    assert text.exit_code == 0, text.output
    assert "Ban Chỉ đạo xây dựng Chính phủ điện tử, chuyển đổi số của Bộ Nội vụ" in text.stdout
    assert ("Ủy viên: Bà Nguyễn Thị B, Vụ trưởng Vụ Pháp chế thay Đại diện lãnh đạo Vụ Pháp chế "
            "(QĐ 1050/QĐ-BNV, từ 01/3/2022)") in text.stdout
    assert "Ủy viên: − Đại diện lãnh đạo Thanh tra Bộ (QĐ 1050/QĐ-BNV, đến 01/3/2022; sắp xếp lại)" \
        in text.stdout
    assert "Quyết định mới (đã ký): QĐ 1050/QĐ-BNV" in text.stdout
    assert "Người mới: Bà Nguyễn Thị B" in text.stdout

    md = cli("diff", "main", "amend", "--format", "md", registry=repo)
    assert md.stdout.startswith("### Thay đổi trong sổ đăng ký (main → amend)")
    assert "#### Ban Chỉ đạo xây dựng" in md.stdout
    assert "- Ủy viên: Bà Nguyễn Thị B" in md.stdout and "`seats/bcd-cpdt-17.yaml`" in md.stdout

    data = json.loads(cli("diff", "main", "amend", "--format", "json", registry=repo).stdout)
    actions = {(c["record"], c["action"]) for c in data["changes"]}
    assert {("bcd-cpdt-17", "replaced"), ("bcd-cpdt-13", "ended"),
            ("qd-1050-2022", "added"), ("nguyen-thi-b", "added")} <= actions
    assert ("bcd-cpdt-07", "ended") not in actions  # shown once, as the replacement
    replaced = next(c for c in data["changes"] if c["record"] == "bcd-cpdt-17")
    assert replaced["decision"] == "QĐ 1050/QĐ-BNV" and replaced["date"] == "2022-03-01"
    assert replaced["committee"] == "bcd-cpdt"


def test_diff_defaults_to_merge_base_against_work_tree(cli: Run, repo: Path) -> None:
    end_seat(repo, "bcd-cpdt-14", "qd-1050-2022")  # uncommitted
    result = cli("diff", registry=repo)
    assert result.exit_code == 0, result.output
    assert "Đại diện lãnh đạo Cục Văn thư và Lưu trữ nhà nước" in result.stdout  # work tree
    assert "Bà Nguyễn Thị B" in result.stdout  # committed on the branch, not on main


def test_diff_reads_revisions_without_touching_the_work_tree(cli: Run, repo: Path) -> None:
    before = git(repo.parent, "status", "--porcelain")
    cli("diff", "main", "amend", registry=repo)
    assert git(repo.parent, "status", "--porcelain") == before
    assert git(repo.parent, "rev-parse", "--abbrev-ref", "HEAD").strip() == "amend"


def test_diff_errors(cli: Run, repo: Path, tmp_path: Path, sample: Path) -> None:
    bad = cli("diff", "no-such-rev", registry=repo)
    assert bad.exit_code == 2 and "unknown git revision 'no-such-rev'" in bad.stderr
    outside = tmp_path / "plain"
    outside.mkdir()
    (outside / "registry.yaml").write_text("schema_version: 1\nname: x\n", encoding="utf-8")
    result = cli("diff", "HEAD", registry=outside)
    assert result.exit_code == 5 and "not in a git repository" in result.stderr


def test_hand_added_seat_fails_validate_base(cli: Run, repo: Path) -> None:
    write_person(repo, "tran-van-c", "Trần Văn C", "Ông", "Vụ trưởng", "bnv-vhtqt", "2021-01-01")
    write_seat(repo, "bcd-cpdt-18", "uy-vien", 18, "tran-van-c", "qd-913-2021")
    plain = cli("validate", registry=repo)
    # 913's member list gains a line it never had (R130, at the seat that added it) ...
    assert plain.exit_code == 1 and "R130" in plain.output, plain.output
    assert "seats/bcd-cpdt-18.yaml" in plain.output and "qd-913-2021" in plain.output
    result = cli("validate", "--base", "main", "--format", "json", registry=repo)
    assert result.exit_code == 1  # ... and 913 was signed before this change (R202)
    problem = next(p for p in json.loads(result.stdout) if p["code"] == "R202")
    assert problem["file"] == "seats/bcd-cpdt-18.yaml" and problem["line"] == 6


def test_editing_a_signed_decision_fails_validate_base(cli: Run, repo: Path) -> None:
    path = repo / "decisions" / "qd-913-2021.yaml"
    path.write_text(path.read_text(encoding="utf-8").replace("  - Các Thứ trưởng\n", ""),
                    encoding="utf-8")
    result = cli("validate", "--base", "main", "--format", "json", registry=repo)
    codes = {p["code"] for p in json.loads(result.stdout)}
    # scheme 2: the facts changed (R130), by this change (R131, naming where)
    assert result.exit_code == 1 and {"R130", "R131"} <= codes
    path.unlink()
    result = cli("validate", "--base", "main", "--format", "json", registry=repo)
    assert "R201" in {p["code"] for p in json.loads(result.stdout)}


def test_two_branches_taking_the_same_number_fail_on_second_merge(cli: Run, tmp_path: Path) -> None:
    registry = make_repo(tmp_path)
    repo = registry.parent
    for branch, seat, _person in (("a", "bcd-cpdt-07", "nguyen-thi-b"),
                                 ("b", "bcd-cpdt-08", "tran-van-d")):
        git(repo, "checkout", "-q", "-b", branch, "main")
        write_decision(registry, f"qd-1050-2022-{branch}", 1050, "2022-03-01")
        end_seat(registry, seat, f"qd-1050-2022-{branch}")
        commit_all(registry, f"branch {branch}")
    git(repo, "checkout", "-q", "main")
    git(repo, "merge", "-q", "--no-ff", "-m", "merge a", "a")
    git(repo, "checkout", "-q", "b")
    # CI on b's pull request, after a has landed: the base is the new main
    result = cli("validate", "--base", "main", "--format", "json", registry=registry)
    problems = json.loads(result.stdout)
    assert result.exit_code == 1
    hit = next(p for p in problems if p["code"] == "R203")
    assert hit["file"] == "decisions/qd-1050-2022-b.yaml" and "qd-1050-2022-a" in hit["message"]


def test_reused_id_fails_validate_base(cli: Run, repo: Path) -> None:
    write_person(repo, "truong-hai-long", "Lê Văn E", "Ông", "Thứ trưởng", "bnv", "2021-08-30")
    result = cli("validate", "--base", "main", "--format", "json", registry=repo)
    assert "R204" in {p["code"] for p in json.loads(result.stdout)}


def test_clean_change_passes_validate_base(cli: Run, repo: Path) -> None:
    result = cli("validate", "--base", "main", registry=repo)
    assert result.exit_code == 0, result.output
