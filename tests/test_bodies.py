"""Acceptance: three bodies built from `committee init` by CLI commands only (tests/bodies.py),
each valid, queried and rendered; no YAML file in them was written by anything but a command."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import pytest

from committee_cli.render.markdown import to_markdown
from committee_cli.rules.body_rules import execution_article
from committee_cli.store import RegistryStore
from tests.bodies import BODIES, Built
from tests.conftest import Run
from tests.issuer_checks import (
    assert_docx_says,
    assert_golden,
    assert_no_doubled_word,
    document_of,
    executing_articles,
)

GOLDEN = Path(__file__).resolve().parent / "golden" / "bodies"


def _check_only_commands_wrote(built: Built) -> None:
    on_disk = {p.relative_to(built.root).as_posix() for p in built.root.rglob("*.yaml")
               if ".git" not in p.parts}
    assert on_disk - built.written == set(), "YAML files no command reported writing"


def _valid(built: Built) -> None:
    result = built("validate", "--format", "json")
    problems = json.loads(result.stdout)
    assert [p for p in problems if p["severity"] == "error"] == []
    assert [p for p in problems if p["code"] in ("R117", "R118", "R119", "R120")] == []


@pytest.mark.parametrize("name", sorted(BODIES))
def test_each_body_is_built_by_commands_valid_and_rendered(cli: Run, tmp_path: Path,
                                                           name: str) -> None:
    built = BODIES[name](cli, tmp_path / name)
    _check_only_commands_wrote(built)
    _valid(built)
    assert (built.root / ".git").is_dir()  # init made the repository
    assert built("show").stdout.strip()
    for decision in built.decisions:
        # golden Markdown, reviewed line by line against ISSUERS.md (UPDATE_GOLDEN=1 refreshes)
        assert_golden(built("render", "decision", decision, "--format", "md").stdout,
                      GOLDEN / name / f"{decision}.md")
        out = built.root.parent / f"{decision}.docx"
        built("render", "decision", decision, "--format", "docx", "--out", str(out))
        document = document_of(built.root, decision)
        assert_docx_says(document, out, decision)  # the .docx says the same
        assert_no_doubled_word(document, decision)
        _executes_in(built, decision)
    assert sorted(p.stem for p in (GOLDEN / name).glob("*.md")) == sorted(built.decisions)
    CHECKS[name](built)


def _executes_in(built: Built, decision: str) -> None:
    """R119's number of the execution article is the article the document executes in."""
    reg = RegistryStore(built.root, use_cache=False).load().registry
    wanted = execution_article(reg, decision, reg.decisions[decision])
    assert executing_articles(to_markdown(document_of(built.root, decision)))[:1] == [wanted], \
        decision


def national(b: Built) -> None:
    early = json.loads(b("members", "ubqg-cds", "--as-of", "2022-01-01", "--format",
                         "json").stdout)
    names = [m["name"] for m in early["seats"]]
    assert names[:3] == ["Trần Quốc Phong", "Nguyễn Hải Đăng", "Lê Minh Khang"]
    assert {"Phạm Thanh Sơn", "Hoàng Thu Hà", "Vũ Ngọc Lan"} <= set(names)
    assert [m["role_name"] for m in early["seats"]][:3] == [
        "Chủ tịch", "Phó Chủ tịch thường trực", "Phó Chủ tịch"]
    late = json.loads(b("members", "ubqg-cds", "--as-of", "2023-06-01", "--format",
                        "json").stdout)
    standing = [m["name"] for m in late["seats"] if m["role"] == "pho-chu-tich-thuong-truc"]
    assert standing == ["Đỗ Văn Tùng"]
    assert "Lý Thị Mai" in [m["name"] for m in late["seats"]]
    group = json.loads(b("members", "to-cong-tac-cds", "--as-of", "2022-01-01", "--format",
                         "json").stdout)
    assert [(m["name"], m["role_name"]) for m in group["seats"]] == [("Hoàng Thu Hà",
                                                                        "Tổ trưởng")]
    approving = json.loads((b("decisions", "--format", "json")).stdout)
    assert approving  # listed
    decision = (b.root / "decisions" / "qd-1964-2021.yaml").read_text(encoding="utf-8")
    assert "- qd-1619-2021" in decision  # the first decision cited as a legal basis
    assert not (b.root / "legal-bases" / "qd-1619-2021.yaml").exists()
    show = b("show", "ubqg-cds").stdout
    assert "Tổ công tác giúp việc" in show
    person = b("person", "hoang-thu-ha", "--as-of", "2022-01-01").stdout
    assert "Ủy ban Quốc gia về chuyển đổi số" in person and "Tổ công tác" in person
    organisation = (b.root / "organisations" / "btttt.yaml").read_text(encoding="utf-8")
    assert "since: 2025-03-01" in organisation and "Bộ Khoa học và Công nghệ" in organisation


def provincial(b: Built) -> None:
    members = json.loads(b("members", "bcd-cds-son-thuy", "--as-of", "2022-06-01", "--format",
                           "json").stdout)["seats"]
    assert [m["role_name"] for m in members][:2] == ["Trưởng ban", "Phó Trưởng ban thường trực"]
    assert [m["title"] for m in members[2:]] == ["Giám đốc"] * 3
    decision = (b.root / "decisions" / "qd-1234-2022.yaml").read_text(encoding="utf-8")
    assert "mode: TM" in decision and "body: Ủy ban nhân dân" in decision
    assert "place: Sơn Thủy" in decision  # init --place: the province's decisions are dated there
    organisation = (b.root / "organisations" / "ubnd-son-thuy.yaml").read_text(encoding="utf-8")
    assert "collective: true" in organisation


def deputy_led(b: Built) -> None:
    decision = (b.root / "decisions" / "qd-88-2023.yaml").read_text(encoding="utf-8")
    assert "mode: KT" in decision and "signer_title: Phó Tổng Thanh tra" in decision
    members = json.loads(b("members", "bcd-cds-ttcp", "--as-of", "2023-03-01", "--format",
                           "json").stdout)["seats"]
    assert members[0]["name"] == "Mai Đức Long" and members[0]["role_name"] == "Trưởng ban"
    person = b("person", "kieu-minh-tam", "--as-of", "2023-03-01").stdout
    assert "Vụ trưởng" in person and "Giám đốc" in person


CHECKS: dict[str, Callable[[Built], None]] = {"national": national, "provincial": provincial,
                                              "deputy-led": deputy_led}


def test_registry_settings_change_through_the_cli(cli: Run, tmp_path: Path) -> None:
    root = tmp_path / "reg"
    assert cli("init", str(root), "--no-git", "--place", "Quảng Ninh", "--member-list",
               "grouped").exit_code == 0
    config = root / "registry.yaml"
    text = config.read_text(encoding="utf-8")
    assert "default_place: \"Quảng Ninh\"" in text and "member_list: grouped" in text
    config.write_text(text.replace("schema_version", "# kept\nschema_version"), encoding="utf-8")
    before = config.read_bytes()
    for bad, says in ((("--member-list", "table"), "is not a layout"),
                      (("--issuer", "khong-co"), "no organisation 'khong-co'"),
                      ((), "nothing to change")):
        result = cli("amend", "registry", "update", *bad, registry=root)
        assert result.exit_code == 2 and says in result.stderr, result.output
        assert config.read_bytes() == before
    result = cli("amend", "registry", "update", "--place", "Hạ Long", "--member-list", "lines",
                 registry=root)
    assert result.exit_code == 0, result.output
    after = config.read_text(encoding="utf-8")
    assert "default_place: \"Hạ Long\"" in after and "member_list: lines" in after
    assert "# kept\nschema_version" in after  # comments and key order kept
    bad_init = cli("init", str(tmp_path / "other"), "--no-git", "--member-list", "table")
    assert bad_init.exit_code == 2 and "is not a layout" in bad_init.stderr
    assert not (tmp_path / "other" / "registry.yaml").exists()
