"""Real temporary git repositories holding a registry, for review and CI tests."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

from committee_cli.rules.registry_rules import fingerprint
from committee_cli.store import DirSource, load
from tests.conftest import SAMPLE


def git(repo: Path, *args: str) -> str:
    """Run git in ``repo`` and return its output; fail the test on error."""
    out = subprocess.run(["git", "-C", str(repo), *args], capture_output=True, text=True,
                         check=False)
    assert out.returncode == 0, f"git {' '.join(args)}: {out.stderr}"
    return out.stdout


def make_repo(tmp_path: Path) -> Path:
    """A git repository with the sample registry committed on main; returns the registry."""
    repo = tmp_path / "repo"
    repo.mkdir()
    git(repo, "init", "-q", "-b", "main")
    git(repo, "config", "user.email", "vanthu@example.gov.vn")
    git(repo, "config", "user.name", "Văn thư")
    git(repo, "config", "commit.gpgsign", "false")
    shutil.copytree(SAMPLE, repo / "registry")
    git(repo, "add", "-A")
    git(repo, "commit", "-q", "-m", "Sổ đăng ký QĐ 913")
    return repo / "registry"


def commit_all(registry: Path, message: str) -> None:
    """Commit everything in the registry's repository."""
    git(registry.parent, "add", "-A")
    git(registry.parent, "commit", "-q", "-m", message)


def write_decision(registry: Path, decision_id: str, number: int, day: str, *,
                   kind: str = "change-members", signed: bool = True,
                   subject: str = "Về việc thay đổi thành viên Ban Chỉ đạo") -> None:
    """Write a decision of the sample's committee, signed (with its fingerprint) or draft."""
    text = (f"status: {'signed' if signed else 'draft'}\nkind: {kind}\ncommittee: bcd-cpdt\n"
            f"number: {number}\nsymbol: QĐ-BNV\ndate: {day}\nplace: Hà Nội\nissuer: bnv\n"
            f"subject: {subject}\nsigning:\n  mode: direct\n  authority: Bộ trưởng\n"
            "  signer: pham-thi-thanh-tra\nlegal_bases:\n  - nd-34-2017\n"
            "proposer: Vụ trưởng Vụ Tổ chức cán bộ\nrecipients:\n  - Như Điều 3\n"
            "  - 'Lưu: VT, TCCB'\n")
    path = registry / "decisions" / f"{decision_id}.yaml"
    path.write_text(text, encoding="utf-8")
    if signed:
        record = load(DirSource(registry)).registry.decisions[decision_id]
        path.write_text(text + f"signature:\n  date: {day}\n  fingerprint: {fingerprint(record)}\n",
                        encoding="utf-8")


def write_person(registry: Path, person_id: str, name: str, honorific: str, title: str,
                 organisation: str, since: str) -> None:
    """Write a person holding one position."""
    (registry / "people" / f"{person_id}.yaml").write_text(
        f"name: {name}\nhonorific: {honorific}\npositions:\n  - title: {title}\n"
        f"    organisation: {organisation}\n    since: {since}\n", encoding="utf-8")


def end_seat(registry: Path, seat_id: str, decision_id: str, reason: str | None = None) -> None:
    """Append an end citing a decision to a seat file."""
    path = registry / "seats" / f"{seat_id}.yaml"
    extra = f"end:\n  decision: {decision_id}\n" + (f"  reason: {reason}\n" if reason else "")
    path.write_text(path.read_text(encoding="utf-8") + extra, encoding="utf-8")


def write_seat(registry: Path, seat_id: str, role: str, order: int, person: str,
               decision_id: str, replaces: str | None = None) -> None:
    """Write a seat held by a person, started by a decision."""
    text = (f"committee: bcd-cpdt\nrole: {role}\norder: {order}\nperson: {person}\n"
            f"start:\n  decision: {decision_id}\n")
    if replaces:
        text += f"replaces: {replaces}\n"
    (registry / "seats" / f"{seat_id}.yaml").write_text(text, encoding="utf-8")
