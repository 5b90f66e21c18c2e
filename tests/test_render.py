"""Rendering through the CLI: golden Markdown for every document kind, options, paths, errors.

Refresh the golden files after an intended wording or layout change with
``UPDATE_GOLDEN=1 make test`` (or ``UPDATE_GOLDEN=1 .venv/bin/python -m pytest tests/test_render.py``)
and review the diff of tests/golden/ like any other change.
"""

from __future__ import annotations

import os
import re
import shutil
from pathlib import Path

import pytest

from tests.conftest import SAMPLE, Run
from tests.git_helpers import commit_all, git, make_repo
from tests.render_helpers import FIXTURE, GOLDEN, render_file

# (golden file, registry, arguments of `committee render`)
GOLDEN_CASES = [
    ("consolidate-qd-913-2021.md", SAMPLE, ["decision", "qd-913-2021"]),
    ("establish-qd-05-2020.md", FIXTURE, ["decision", "qd-05-2020"]),
    ("change-members-qd-120-2021.md", FIXTURE, ["decision", "qd-120-2021"]),
    ("issue-regulation-qd-121-2021.md", FIXTURE, ["decision", "qd-121-2021"]),
    ("issue-plan-qd-300-2021.md", FIXTURE, ["decision", "qd-300-2021"]),
    ("assign-tasks-draft-qd-du-thao-2022.md", FIXTURE, ["decision", "qd-du-thao-2022"]),
    ("roster-bcd-cpdt-2021-08-30.md", SAMPLE, ["roster", "bcd-cpdt", "--as-of", "30/8/2021"]),
    ("roster-bcd-cds-2021-01-15.md", FIXTURE, ["roster", "bcd-cds", "--as-of", "2021-01-15"]),
    ("tasks-bcd-cds-2021-10-01.md", FIXTURE, ["tasks", "bcd-cds", "--as-of", "2021-10-01"]),
]


@pytest.mark.parametrize(("golden", "registry", "args"), GOLDEN_CASES,
                         ids=[case[0].removesuffix(".md") for case in GOLDEN_CASES])
def test_markdown_matches_golden(cli: Run, golden: str, registry: Path, args: list[str]) -> None:
    result = cli("render", *args, "--format", "md", registry=registry)
    assert result.exit_code == 0, result.output
    path = GOLDEN / golden
    if os.environ.get("UPDATE_GOLDEN"):
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(result.stdout, encoding="utf-8")
    assert path.is_file(), f"no golden file {path}: run with UPDATE_GOLDEN=1 to create it"
    assert result.stdout == path.read_text(encoding="utf-8"), (
        f"{golden} changed: if intended, refresh with UPDATE_GOLDEN=1 make test and review the diff")


def test_fixture_registry_is_valid(cli: Run) -> None:
    result = cli("validate", registry=FIXTURE)
    assert result.exit_code == 0, result.output


def plain(text: str) -> str:
    """Rendered text without its layout marks (non-breaking spaces, preferred breaks)."""
    return text.replace("\u00a0", " ").replace("\u200b", "")


def test_decision_913_wording(cli: Run) -> None:
    text = plain(cli("render", "decision", "qd-913-2021", registry=SAMPLE).stdout)
    assert "| Số: 913/QĐ-BNV | *Hà Nội, ngày 30 tháng 8 năm 2021* |" in text
    assert "**BỘ TRƯỞNG BỘ NỘI VỤ**" in text
    assert ("*Căn cứ Nghị định số 34/2017/NĐ-CP ngày 03 tháng 4 năm 2017 của Chính phủ quy định "
            "chức năng, nhiệm vụ, quyền hạn và cơ cấu tổ chức của Bộ Nội vụ;*") in text
    members = re.findall(r"^(\d+)\. (.*)$", text.split("**Điều 2.**")[0], flags=re.M)
    assert len(members) == 16
    assert members[0] == ("1", "Bà Phạm Thị Thanh Trà, Bộ trưởng, Trưởng ban;")
    assert members[1] == ("2", "Ông Trương Hải Long, Thứ trưởng, Phó Trưởng ban;")
    assert members[2] == ("3", "Đại diện lãnh đạo Văn phòng Bộ, Ủy viên;")
    assert all(line.endswith(";") for _, line in members[:-1]) and members[-1][1].endswith(".")
    assert "Ban Chỉ đạo được sử dụng con dấu của Bộ Nội vụ để thực hiện nhiệm vụ." in text
    assert "Trung tâm Thông tin làm nhiệm vụ thường trực của Ban Chỉ đạo;" in text
    assert ("Giao Giám đốc Trung tâm Thông tin phối hợp với Vụ trưởng Vụ Tổ chức cán bộ trình Bộ "
            "trưởng, Trưởng ban Ban Chỉ đạo kiện toàn lại Tổ công tác giúp việc Ban Chỉ đạo.") in text
    assert "chịu trách nhiệm thi hành Quyết định này./." in text
    assert "- Lưu: VT, TTTT." in text


def test_leading_zeros_points_and_signing_modes(cli: Run) -> None:
    established = cli("render", "decision", "qd-05-2020", registry=FIXTURE).stdout
    assert "Số: 05/QĐ-BTN" in established and "ngày 05 tháng 3 năm 2020" in established
    change = cli("render", "decision", "qd-120-2021", registry=FIXTURE).stdout
    assert "ngày 15 tháng 01 năm 2021" in change
    assert "**KT. BỘ TRƯỞNG**  \n**THỨ TRƯỞNG**\n\n**Trần Thị Bình**" in change
    regulation = cli("render", "decision", "qd-121-2021", registry=FIXTURE).stdout
    labels = re.findall(r"^([a-zđ]+)\) ", regulation, flags=re.M)
    assert labels == ["a", "b", "c", "d", "đ", "e", "g"]
    plan = cli("render", "decision", "qd-300-2021", registry=FIXTURE).stdout
    assert "**TL. BỘ TRƯỞNG**  \n**CHÁNH VĂN PHÒNG**" in plan


def test_change_members_names_every_change(cli: Run) -> None:
    text = plain(cli("render", "decision", "qd-120-2021", registry=FIXTURE).stdout)
    # every appositive closed (DOCUMENT-FORMAT.md, "What a văn thư rejects")
    assert "Bổ sung bà Đỗ Thị Giang, Phó Vụ trưởng Vụ Pháp chế, làm Ủy viên Ban Chỉ đạo;" in text
    assert "Ông Hoàng Văn Em, Vụ trưởng Vụ Tổ chức cán bộ, thôi tham gia Ban Chỉ đạo;" in text
    assert ("Ông Vũ Văn Hải, Chánh Văn phòng Bộ, thay đại diện lãnh đạo Văn phòng Bộ làm "
            "Ủy viên Ban Chỉ đạo.") in text
    assert ("Ông Lê Văn Cường, Vụ trưởng Vụ Pháp chế, Ủy viên Ban Chỉ đạo, làm Ủy viên thường "
            "trực Ban Chỉ đạo;") in text
    assert "(thành lập theo Quyết định số 05/QĐ-BTN ngày 05 tháng 3 năm 2020" in text
    # the duty change is an article of its own, not a line under "Điều chỉnh thành viên"
    members, duties = text.split("**Điều 2.**")
    assert "nhiệm vụ" not in members.split("**Điều 1.**")[1]
    assert duties.startswith(" Điều chỉnh nhiệm vụ, quyền hạn của Ban Chỉ đạo như sau:")
    assert "1. Bổ sung nhiệm vụ: sơ kết, tổng kết kết quả chuyển đổi số hằng năm." in duties


def test_draft_says_du_thao(cli: Run) -> None:
    text = cli("render", "decision", "qd-du-thao-2022", registry=FIXTURE).stdout
    assert text.startswith("> **DỰ THẢO**")
    signed = cli("render", "decision", "qd-05-2020", registry=FIXTURE).stdout
    assert "DỰ THẢO" not in signed


# --- output paths and formats -----------------------------------------------------------------


def test_out_folder_and_format_from_suffix(cli: Run, tmp_path: Path) -> None:
    folder = tmp_path / "out"
    folder.mkdir()
    result = cli("render", "decision", "qd-913-2021", "--format", "html", "--out", str(folder),
                 registry=SAMPLE)
    assert result.exit_code == 0, result.output
    assert (folder / "qd-913-2021.html").read_text(encoding="utf-8").startswith("<!DOCTYPE html>")
    made = tmp_path / "new" / "sub"
    result = cli("render", "decision", "qd-913-2021", "--format", "md", "--out", f"{made}/",
                 registry=SAMPLE)
    assert result.exit_code == 0, result.output
    assert (made / "qd-913-2021.md").is_file()
    docx = render_file(cli, SAMPLE, tmp_path / "d.docx", "decision", "qd-913-2021")
    assert docx.read_bytes()[:2] == b"PK"


@pytest.mark.parametrize(("args", "message"), [
    (["decision", "qd-913-2021", "--format", "docx", "--out", "x.md"], "make them agree"),
    (["decision", "qd-913-2021", "--out", "x.txt"], "cannot tell the format"),
    (["decision", "qd-913"], "did you mean 'qd-913-2021'"),
    (["roster", "no-such-committee"], "no committee 'no-such-committee'"),
    (["roster", "--as-of", "31/2/2021"], "--as-of"),
    (["--all"], "render --all needs --out DIR"),
    (["--out", "x", "decision", "qd-913-2021"], "after 'render decision'"),
])
def test_usage_errors(cli: Run, tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                      args: list[str], message: str) -> None:
    monkeypatch.chdir(tmp_path)
    result = cli("render", *args, registry=SAMPLE)
    assert result.exit_code == 2, result.output
    assert message in result.stderr
    assert not list(tmp_path.iterdir())


def test_ids_cannot_escape_the_out_folder(tmp_path: Path) -> None:
    from committee_cli.errors import UsageError
    from committee_cli.render.service import target_path

    (tmp_path / "out").mkdir()
    assert target_path(f"{tmp_path}/out", "qd-1", "md") == (tmp_path / "out" / "qd-1.md").resolve()
    with pytest.raises(UsageError, match="outside"):
        target_path(f"{tmp_path}/out", "../evil", "md")


def test_render_all_writes_every_decision_without_a_bar_when_piped(cli: Run, tmp_path: Path) -> None:
    out = tmp_path / "all"
    result = cli("render", "--all", "--out", str(out), "--format", "docx", registry=FIXTURE)
    assert result.exit_code == 0, result.output
    names = sorted(p.name for p in out.iterdir())
    assert names == ["qd-05-2020.docx", "qd-120-2021.docx", "qd-121-2021.docx",
                     "qd-300-2021.docx", "qd-du-thao-2022.docx"]
    assert "wrote 5 of 5 decision(s) as .docx" in result.stdout
    assert "rendering" not in result.stderr and "\x1b[" not in result.output


def test_render_all_reports_a_decision_it_cannot_word(cli: Run, tmp_path: Path) -> None:
    registry = tmp_path / "registry"
    shutil.copytree(FIXTURE, registry)
    path = registry / "decisions" / "qd-du-thao-2022.yaml"
    path.write_text(path.read_text(encoding="utf-8").replace("kind: assign-tasks", "kind: other"),
                    encoding="utf-8")
    result = cli("render", "--all", "--out", str(tmp_path / "all"), registry=registry)
    assert result.exit_code == 1
    assert "qd-du-thao-2022: no template decision-other.j2" in result.stderr
    assert "add templates/decision-other.j2 to the registry" in result.stderr
    assert len(list((tmp_path / "all").iterdir())) == 4


def test_rev_renders_a_git_revision_without_touching_the_work_tree(cli: Run, tmp_path: Path) -> None:
    registry = make_repo(tmp_path)
    (registry / "templates").mkdir()
    (registry / "templates" / "roster.j2").write_text(
        '{% include "_header.j2" %}\n@type DANH SÁCH CŨ\n', encoding="utf-8")
    commit_all(registry, "roster template")
    decision = registry / "decisions" / "qd-913-2021.yaml"
    decision.write_text(decision.read_text(encoding="utf-8").replace(
        "Về việc kiện toàn", "Về việc sửa đổi"), encoding="utf-8")
    (registry / "templates" / "roster.j2").write_text(
        '{% include "_header.j2" %}\n@type DANH SÁCH MỚI\n', encoding="utf-8")
    status_before = git(registry.parent, "status", "--porcelain")
    refused = cli("render", "decision", "qd-913-2021", registry=registry)
    assert refused.exit_code == 1 and "subject" in refused.stderr  # 913 is signed
    now = plain(cli("render", "decision", "qd-913-2021", "--current-data",
                    registry=registry).stdout)
    then = plain(cli("render", "decision", "qd-913-2021", "--rev", "HEAD", registry=registry).stdout)
    assert "Về việc sửa đổi" in now and "Về việc kiện toàn" in then
    assert "DANH SÁCH MỚI" in cli("render", "roster", registry=registry).stdout
    assert "DANH SÁCH CŨ" in cli("render", "roster", "--rev", "HEAD", registry=registry).stdout
    assert git(registry.parent, "status", "--porcelain") == status_before
    bad = cli("render", "decision", "qd-913-2021", "--rev", "no-such-rev", registry=registry)
    assert bad.exit_code == 2 and "unknown git revision 'no-such-rev'" in bad.stderr


def test_invalid_registry_is_refused_with_its_problems(cli: Run, sample: Path) -> None:
    (sample / "decisions" / "qd-913-2021.yaml").write_text("kind: [unclosed\n", encoding="utf-8")
    result = cli("render", "decision", "qd-913-2021", registry=sample)
    assert result.exit_code == 1
    assert "decisions/qd-913-2021.yaml" in result.stderr and "Traceback" not in result.output


def test_written_files_get_the_usual_permissions(cli: Run, tmp_path: Path) -> None:
    old = os.umask(0o022)
    try:
        path = render_file(cli, SAMPLE, tmp_path / "qd.md", "decision", "qd-913-2021")
    finally:
        os.umask(old)
    assert path.stat().st_mode & 0o777 == 0o644  # not mkstemp's 0600
