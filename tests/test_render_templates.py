"""Templates: a registry's own override the built-ins; they run sandboxed; errors name template and line."""

from __future__ import annotations

import dataclasses
import shutil
from pathlib import Path

import pytest

from committee_cli.render.document import MarkupError, escape, parse_markup
from tests.conftest import Run
from tests.render_helpers import FIXTURE


@pytest.fixture
def registry(tmp_path: Path) -> Path:
    """A private copy of the render fixture registry, with an empty templates/ folder."""
    target = tmp_path / "registry"
    shutil.copytree(FIXTURE, target)
    (target / "templates").mkdir()
    return target


def put(registry: Path, name: str, text: str) -> None:
    (registry / "templates" / name).write_text(text, encoding="utf-8")


def test_registry_template_overrides_the_builtin_one(cli: Run, registry: Path) -> None:
    put(registry, "decision-consolidate.j2",
        '{% extends "builtin/decision-consolidate.j2" %}\n'
        "{% block articles %}\n@article[Điều 1.] Nội dung riêng của {{ committee.short_name }}.\n"
        "{% endblock %}\n")
    put(registry, "decision-establish.j2", '{% extends "decision-consolidate.j2" %}\n')
    text = cli("render", "decision", "qd-05-2020", registry=registry).stdout
    assert "**Điều 1.** Nội dung riêng của Ban Chỉ đạo." in text
    assert "**Điều 2.**" not in text
    assert "**BỘ TRƯỞNG BỘ THỬ NGHIỆM**" in text  # the built-in skeleton still applies


def test_a_shared_part_can_be_overridden_alone(cli: Run, registry: Path) -> None:
    put(registry, "_header.j2", "@issuer {{ issuer.name|upper }}\n@national CỘNG HÒA XÃ HỘI CHỦ "
        "NGHĨA VIỆT NAM\n@motto Độc lập - Tự do - Hạnh phúc\n@parent-body ỦY BAN THỬ\n")
    text = cli("render", "decision", "qd-120-2021", registry=registry).stdout
    assert text.startswith("| ỦY BAN THỬ | **CỘNG HÒA")


@pytest.mark.parametrize(("template", "expected"), [
    ("{{ decision.no_such_field }}", "line 2: 'DecisionView object' has no attribute "
                                    "'no_such_field'"),
    ("{{ nothing_here }}", "line 2: 'nothing_here' is undefined; the renderer provides: "),
    ("{% if %}", "line 2: "),
    ("{{ decision.__class__.__mro__ }}", "line 2: access to attribute '__class__'"),
    ("{{ ''.__class__.__subclasses__() }}", "line 2: access to attribute '__class__'"),
])
def test_template_errors_name_the_template_and_line(cli: Run, registry: Path, template: str,
                                                    expected: str) -> None:
    put(registry, "decision-change-members.j2", "{# a registry template #}\n" + template + "\n")
    result = cli("render", "decision", "qd-120-2021", registry=registry)
    assert result.exit_code == 1, result.output
    assert "template decision-change-members.j2, " in result.stderr
    assert expected in result.stderr
    assert "Traceback" not in result.output


def test_error_in_an_included_builtin_part_names_that_part(cli: Run, registry: Path) -> None:
    put(registry, "decision-change-members.j2",
        '{% extends "_decision.j2" %}{% block articles %}{% set article = 2 %}'
        '{% include "_effect.j2" %}{% endblock %}')
    put(registry, "_effect.j2", "@article[Điều {{ article }}.] {{ decision.effect_date }}\n")
    result = cli("render", "decision", "qd-120-2021", registry=registry)
    assert result.exit_code == 1
    assert "template _effect.j2, line 1: 'DecisionView object' has no attribute 'effect_date'" \
        in result.stderr


def test_unknown_markup_key_is_reported(cli: Run, registry: Path) -> None:
    put(registry, "roster.j2", "@issuer X\n@signature Y\n")
    result = cli("render", "roster", registry=registry)
    assert result.exit_code == 1
    assert "template roster.j2: output line 2 has the unknown key 'signature'" in result.stderr


def test_templates_symlinked_out_of_the_registry_are_ignored(cli: Run, registry: Path,
                                                           tmp_path: Path) -> None:
    outside = tmp_path / "evil.j2"
    outside.write_text("@type BỊ THAY\n", encoding="utf-8")
    (registry / "templates" / "roster.j2").symlink_to(outside)
    text = cli("render", "roster", registry=registry).stdout
    assert "BỊ THAY" not in text and "DANH SÁCH THÀNH VIÊN" in text


def test_values_cannot_break_the_markup(registry: Path) -> None:
    from committee_cli.render.documents import decision_document
    from committee_cli.render.service import open_workspace

    path = registry / "decisions" / "qd-du-thao-2022.yaml"
    path.write_text(path.read_text(encoding="utf-8").replace(
        "subject: Về việc giao nhiệm vụ chuyển đổi số năm 2022",
        'subject: "Về việc giao nhiệm vụ\\n@draft GIẢ | cột \\\\ thêm"'), encoding="utf-8")
    workspace = open_workspace(registry)
    document = decision_document(workspace.registry, "qd-du-thao-2022", workspace.templates)
    assert document.main.subject == "Về việc giao nhiệm vụ @draft GIẢ | cột \\ thêm"
    assert document.main.draft == "DỰ THẢO"
    assert [len(row) for row in document.sections[1].body[0].rows] == [6, 6]


def test_markup_parser() -> None:
    markup = ("@issuer BỘ X\n@article[Điều 1.] Một\ndòng tiếp\n@table A | B\n"
              f"@row {escape('x|y')} | z\n@attachment\n@type QUY CHẾ\n")
    document = parse_markup(markup, "t.j2")
    assert document.main.header is not None and document.main.header.issuer == "BỘ X"
    assert document.main.body[0].label == "Điều 1." and document.main.body[0].text == "Một dòng tiếp"
    assert document.main.body[1].rows == [["A", "B"], ["x|y", "z"]]
    assert document.sections[1].doc_type == "QUY CHẾ"
    with pytest.raises(MarkupError, match="@row has 1 cells, the table has 2 columns"):
        parse_markup("@table A | B\n@row x\n", "t.j2")
    with pytest.raises(MarkupError, match="before any @key line"):
        parse_markup("text\n", "t.j2")


@pytest.mark.parametrize(("mode", "signer_title", "body", "lines"), [
    ("direct", None, None, ["BỘ TRƯỞNG"]),
    ("KT", None, None, ["KT. BỘ TRƯỞNG", "THỨ TRƯỞNG"]),
    ("Q", None, None, ["Q. BỘ TRƯỞNG"]),
    ("TM", "Trưởng ban", None, ["TM. BAN CHỈ ĐẠO", "TRƯỞNG BAN"]),
    ("TM", "Chủ tịch", "Ủy ban nhân dân", ["TM. ỦY BAN NHÂN DÂN", "CHỦ TỊCH"]),
    ("TL", "Chánh Văn phòng", None, ["TL. BỘ TRƯỞNG", "CHÁNH VĂN PHÒNG"]),
    ("TUQ", "Vụ trưởng Vụ Pháp chế", None, ["TUQ. BỘ TRƯỞNG", "VỤ TRƯỞNG VỤ PHÁP CHẾ"]),
])
def test_signing_blocks(mode: str, signer_title: str | None, body: str | None,
                        lines: list[str]) -> None:
    from committee_cli.render.context import decision_context
    from committee_cli.render.document import parse_markup as parse
    from committee_cli.render.service import open_workspace

    workspace = open_workspace(FIXTURE)
    context = decision_context(workspace.registry, "qd-05-2020")
    decision = context["decision"]
    signing = dataclasses.replace(decision.signing, mode=mode, signer_title=signer_title, body=body)
    context["decision"] = dataclasses.replace(decision, signing=signing)
    markup = workspace.templates.render("decision-consolidate.j2", context)
    closing = parse(markup, "decision-consolidate.j2").main.closing
    assert closing is not None
    assert closing.sign == lines and closing.signer == "Nguyễn Văn An"
