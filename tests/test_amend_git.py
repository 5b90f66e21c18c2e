"""Amendments in a real git repository: the diff touches only the expected files and lines, a
no-op leaves ``git status`` clean, and ``--commit`` commits exactly the touched files."""

from __future__ import annotations

from pathlib import Path

import pytest

from committee_cli.model.records import KINDS
from committee_cli.services.unit_of_work import UnitOfWork, run_change
from committee_cli.store import yamlio
from tests.amend_helpers import git, git_repo, snapshot
from tests.conftest import SAMPLE, Run

DECISION_ARGS = ("decision", "new", "-c", "bcd-cpdt", "--kind", "change-members", "--number",
                 "1050", "--symbol", "QĐ-BNV", "--date", "2022-03-01", "--signer",
                 "pham-thi-thanh-tra", "--subject", "Về việc kiện toàn Ban Chỉ đạo")


def _status(repo: Path) -> str:
    return git(repo, "status", "--porcelain", "--untracked-files=all")


def _numstat(repo: Path) -> dict[str, tuple[int, int]]:
    rows = git(repo, "diff", "--numstat").splitlines()
    return {path: (int(added), int(deleted))
            for added, deleted, path in (row.split("\t") for row in rows)}


def test_every_sample_file_round_trips_byte_identical() -> None:
    for path in sorted(SAMPLE.rglob("*.yaml")):
        text = path.read_text(encoding="utf-8")
        assert yamlio.dump_round_trip(yamlio.load_round_trip(text)) == text, path


def test_no_op_load_and_save_leaves_git_status_clean(tmp_path: Path) -> None:
    root = git_repo(tmp_path / "repo")

    def touch_everything(uow: UnitOfWork) -> str:
        for kind in KINDS:
            for record_id in uow.registry.table(kind):
                uow.edit(kind, record_id)
        return "no-op"

    result = run_change(root, touch_everything)
    assert result.files == {} and not result.written
    assert _status(tmp_path / "repo") == ""


def test_git_diff_after_each_amendment_touches_only_the_expected_files(cli: Run,
                                                                       tmp_path: Path) -> None:
    repo = tmp_path / "repo"
    root = git_repo(repo)
    steps: list[tuple[tuple[str, ...], dict[str, tuple[int, int]], set[str]]] = [
        (DECISION_ARGS, {}, {"registry/decisions/qd-1050-2022.yaml"}),
        (("amend", "person", "add", "--name", "Nguyễn Văn A", "--honorific", "Ông"), {},
         {"registry/people/nguyen-van-a.yaml"}),
        (("amend", "seat", "replace", "bcd-cpdt-05", "--person", "nguyen-van-a", "-d",
          "qd-1050-2022"), {"registry/seats/bcd-cpdt-05.yaml": (2, 0)},
         {"registry/seats/bcd-cpdt-17.yaml"}),
        (("amend", "seat", "end", "bcd-cpdt-16", "-d", "qd-1050-2022", "--reason", "nghỉ hưu",
          "--on", "2022-03-15"), {"registry/seats/bcd-cpdt-16.yaml": (4, 0)}, set()),
        (("amend", "seat", "role", "bcd-cpdt-02", "--role", "pho-truong-ban-thuong-truc", "-d",
          "qd-1050-2022"), {"registry/seats/bcd-cpdt-02.yaml": (2, 0)},
         {"registry/seats/bcd-cpdt-18.yaml"}),
        (("amend", "seat", "add", "bcd-cpdt", "--role", "uy-vien", "--post", "Đại diện lãnh đạo",
          "--unit", "bnv-vpc", "-d", "qd-1050-2022"), {}, {"registry/seats/bcd-cpdt-19.yaml"}),
        (("amend", "duty", "end", "bcd-cpdt", "nhiem-vu-khac", "-d", "qd-1050-2022"),
         {"registry/committees/bcd-cpdt.yaml": (2, 0)}, set()),
        (("amend", "task", "update", "kien-toan-to-cong-tac", "--status", "in-progress", "--on",
          "2021-09-15"), {"registry/tasks/kien-toan-to-cong-tac.yaml": (4, 1)}, set()),
        (("decision", "sign", "qd-1050-2022"),
         {"registry/decisions/qd-1050-2022.yaml": (5, 1)}, set()),
    ]
    for args, modified, added in steps:
        result = cli(*args, registry=root)
        assert result.exit_code == 0, result.output
        assert _numstat(repo) == modified, args
        untracked = {line[3:] for line in _status(repo).splitlines() if line.startswith("??")}
        assert untracked == added, args
        git(repo, "add", "-A")
        git(repo, "commit", "-q", "-m", " ".join(args[:3]))
    assert _status(repo) == ""
    # The comments of the touched committee file are all still there.
    before = (SAMPLE / "committees" / "bcd-cpdt.yaml").read_text(encoding="utf-8")
    after = (root / "committees" / "bcd-cpdt.yaml").read_text(encoding="utf-8")
    comments = [line for line in before.splitlines() if line.lstrip().startswith("#")]
    assert comments and all(line in after.splitlines() for line in comments)


def test_commit_commits_exactly_the_touched_files(cli: Run, tmp_path: Path) -> None:
    repo = tmp_path / "repo"
    root = git_repo(repo)
    made = cli(*DECISION_ARGS, "--commit", registry=root)
    assert made.exit_code == 0, made.output
    assert git(repo, "log", "-1", "--format=%s").strip() == (
        "Dự thảo QĐ 1050/QĐ-BNV ngày 01/3/2022: Về việc kiện toàn Ban Chỉ đạo")
    assert cli("amend", "person", "add", "--name", "Nguyễn Văn A", "--honorific", "Ông",
               "--commit", registry=root).exit_code == 0
    # An unrelated untracked file is left alone.
    (repo / "notes.txt").write_text("ghi chú\n", encoding="utf-8")
    result = cli("amend", "seat", "replace", "bcd-cpdt-05", "--person", "nguyen-van-a", "-d",
                 "qd-1050-2022", "--commit", registry=root)
    assert result.exit_code == 0, result.output
    assert "committed " in result.stdout
    message = git(repo, "log", "-1", "--format=%B").strip()
    assert message == ("QĐ 1050/QĐ-BNV: thay Ủy viên Đại diện lãnh đạo Vụ Tổ chức cán bộ bằng "
                       "Ông Nguyễn Văn A")
    files = git(repo, "show", "--name-status", "--format=", "HEAD").split("\n")
    assert sorted(f for f in files if f) == ["A\tregistry/seats/bcd-cpdt-17.yaml",
                                             "M\tregistry/seats/bcd-cpdt-05.yaml"]
    assert _status(repo) == "?? notes.txt\n"
    signed = cli("decision", "sign", "qd-1050-2022", "--commit", registry=root)
    assert signed.exit_code == 0, signed.output
    assert git(repo, "log", "-1", "--format=%s").startswith("Ký QĐ 1050/QĐ-BNV ngày 01/3/2022")


@pytest.mark.parametrize("dirt", ["staged", "unstaged"])
def test_commit_refuses_a_dirty_repository(cli: Run, tmp_path: Path, dirt: str) -> None:
    repo = tmp_path / "repo"
    root = git_repo(repo)
    assert cli(*DECISION_ARGS, "--commit", registry=root).exit_code == 0
    target = root / ("organisations/bnv.yaml" if dirt == "staged" else "seats/bcd-cpdt-05.yaml")
    target.write_text(target.read_text(encoding="utf-8") + "# sửa tay\n", encoding="utf-8")
    if dirt == "staged":
        git(repo, "add", str(target))
    before = snapshot(root)
    result = cli("amend", "seat", "end", "bcd-cpdt-05", "-d", "qd-1050-2022", "--commit",
                 registry=root)
    assert result.exit_code == 5, result.output
    wanted = "the git index has staged changes" if dirt == "staged" else "uncommitted edits"
    assert wanted in result.stderr and "nothing was written" in result.stderr
    assert snapshot(root) == before


def test_commit_outside_a_repository_is_a_git_error(cli: Run, sample: Path) -> None:
    before = snapshot(sample)
    result = cli(*DECISION_ARGS, "--commit", registry=sample)
    assert result.exit_code == 5, result.output
    assert "not in a git repository" in result.stderr
    assert snapshot(sample) == before
