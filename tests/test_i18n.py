"""Vietnamese and English: the catalogues are complete, the language is chosen as documented,
every command speaks both, and machine output (codes, JSON) does not change with the language."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
import typer.main

from committee_cli.cli.app import app
from committee_cli.i18n import choose_language, current_language, set_language, tr
from tests.conftest import ROOT, Run
from tests.git_helpers import make_repo
from tools import docgen

# --- the catalogues ---------------------------------------------------------------------------


def test_every_message_has_a_translation_in_both_catalogues() -> None:
    pytest.importorskip("babel")
    from tools.catalogue import problems

    assert problems() == []


def test_the_catalogue_check_fails_on_a_message_without_translation(monkeypatch: pytest.MonkeyPatch) -> None:
    pytest.importorskip("babel")
    import tools.catalogue as catalogue

    real = catalogue.all_messages
    monkeypatch.setattr(catalogue, "all_messages",
                        lambda: {**real(), "a message nobody translated": [("x.py", 1)]})
    found = catalogue.problems()
    assert any("vi: no translation for 'a message nobody translated'" in p for p in found)
    assert any("en: no translation for 'a message nobody translated'" in p for p in found)


def test_compiled_catalogues_are_shipped_in_the_package() -> None:
    for language in ("vi", "en"):
        assert (ROOT / "committee_cli" / "locale" / language / "LC_MESSAGES" / "committee.mo").is_file()
    pyproject = (ROOT / "pyproject.toml").read_text(encoding="utf-8")
    assert 'packages = ["committee_cli"]' in pyproject  # the wheel takes the whole package folder


def test_placeholders_are_filled_by_name_in_both_languages() -> None:
    try:
        set_language("vi")
        assert tr("wrote {path}", path="a.md") == "đã ghi a.md"
        set_language("en")
        assert tr("wrote {path}", path="a.md") == "wrote a.md"
    finally:
        set_language("en")


# --- choosing the language --------------------------------------------------------------------


@pytest.mark.parametrize(("explicit", "environ", "expected"), [
    (None, {}, "en"),
    ("vi", {}, "vi"),
    ("en", {"COMMITTEE_LANG": "vi"}, "en"),
    (None, {"COMMITTEE_LANG": "vi"}, "vi"),
    (None, {"COMMITTEE_LANG": "en", "LANG": "vi_VN.UTF-8"}, "en"),
    (None, {"LANG": "vi_VN.UTF-8"}, "vi"),
    (None, {"LC_MESSAGES": "vi_VN", "LANG": "en_US.UTF-8"}, "vi"),
    (None, {"LC_ALL": "en_GB.UTF-8", "LC_MESSAGES": "vi_VN"}, "en"),
    (None, {"LANG": "fr_FR.UTF-8"}, "en"),
    (None, {"LANG": "C.UTF-8"}, "en"),
])
def test_language_choice_order(explicit: str | None, environ: dict[str, str], expected: str) -> None:
    assert choose_language(explicit, environ) == expected


def test_environment_chooses_vietnamese(cli: Run, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("COMMITTEE_LANG", "vi")
    assert "không có vấn đề" in cli("validate").output
    monkeypatch.delenv("COMMITTEE_LANG")
    monkeypatch.setenv("LANG", "vi_VN.UTF-8")
    assert "không có vấn đề" in cli("validate").output
    assert "no problems" in cli("--lang", "en", "validate").output


def test_an_unknown_language_is_a_usage_error(cli: Run, monkeypatch: pytest.MonkeyPatch) -> None:
    result = cli("--lang", "fr", "validate")
    assert result.exit_code == 2
    assert "'fr' is not a language of committee-cli: use vi or en" in result.stderr
    monkeypatch.setenv("COMMITTEE_LANG", "de")
    assert cli("validate").exit_code == 2


def test_an_in_process_run_leaves_the_callers_language_alone(cli: Run) -> None:
    assert current_language() == "en"
    cli("--lang", "vi", "validate")
    assert current_language() == "en"


def test_the_installed_command_speaks_vietnamese(tmp_path: Path) -> None:
    env = {"PATH": str(Path(sys.executable).parent), "COMMITTEE_LANG": "vi", "HOME": str(tmp_path),
           "COMMITTEE_CACHE_DIR": str(tmp_path / "cache")}
    done = subprocess.run([sys.executable, "-m", "committee_cli", "--registry", str(ROOT / "registry"),
                           "members", "--help"], capture_output=True, text=True, env=env, check=False)
    assert done.returncode == 0, done.stderr
    assert done.stdout.startswith("Cách dùng: ")
    assert "Tùy chọn" in done.stdout and "Ví dụ: committee members" in done.stdout


# --- every command in both languages ------------------------------------------------------------


COMMANDS = docgen.command_paths()[1:]  # every command and group below `committee`


def test_the_command_list_covers_the_surface() -> None:
    for expected in [("validate",), ("members",), ("decision", "new"), ("amend", "seat", "replace"),
                     ("render", "decision"), ("diff",), ("textconv",)]:
        assert expected in COMMANDS


@pytest.mark.parametrize("path", COMMANDS, ids=[" ".join(p) for p in COMMANDS])
def test_every_command_help_in_both_languages(cli: Run, path: tuple[str, ...]) -> None:
    english = cli("--lang", "en", *path, "--help")
    vietnamese = cli("--lang", "vi", *path, "--help")
    assert english.exit_code == vietnamese.exit_code == 0
    assert english.stdout.startswith("Usage: ") and "Options" in english.stdout
    assert vietnamese.stdout.startswith("Cách dùng: ") and "Tùy chọn" in vietnamese.stdout
    assert "In hướng dẫn này rồi thoát." in vietnamese.stdout
    assert english.stdout != vietnamese.stdout
    command = typer.main.get_command(app)
    for name in path:
        command = command.commands[name]  # type: ignore[attr-defined]
    if not getattr(command, "commands", None):  # a leaf command teaches by example
        assert "Example: " in english.stdout and "Ví dụ: " in vietnamese.stdout


# (arguments, English text, Vietnamese text): a heading or a message each command prints
READING = [
    (("validate",), "ok: 42 file(s), no problems", "ổn: 42 tệp, không có vấn đề"),
    (("validate", "--list-rules"), "every reference resolves to an existing record",
     "mọi tham chiếu đều trỏ tới một bản ghi có thật"),
    (("fmt", "--check"), "all files canonical", "mọi tệp đều đúng dạng chuẩn"),
    (("schema", "sea"), "unknown file kind 'sea' (did you mean 'seat'?)",
     "loại tệp lạ 'sea' (có phải là 'seat'?)"),
    (("show", "--as-of", "30/8/2021"), "Standing body", "Cơ quan thường trực"),
    (("members", "--as-of", "30/8/2021"), "16 seat(s) on 30/8/2021", "16 ghế ngày 30/8/2021"),
    (("duties", "--as-of", "30/8/2021"), "Duty", "Nhiệm vụ"),
    (("tasks", "--as-of", "30/8/2021"), "Deadline", "Thời hạn"),
    (("decisions",), "Subject", "Trích yếu"),
    (("person", "truong hai long", "--as-of", "30/8/2021"), "Until / deadline", "Đến / thời hạn"),
    (("history",), "Change", "Thay đổi"),
    (("members", "--as-of", "31/2/2021"), "--as-of: '31/2/2021' is not a real date",
     "--as-of: '31/2/2021' không phải là ngày có thật"),
    (("render",), "Usage: ", "Cách dùng: "),
    (("render", "--all"), "render --all needs --out DIR", "render --all cần --out THƯ_MỤC"),
    (("render", "decision", "qd-9999"), "no decision 'qd-9999'", "không có quyết định 'qd-9999'"),
    (("nonsense",), "No such command 'nonsense'.", "Không có lệnh 'nonsense'."),
]


@pytest.mark.parametrize(("args", "english", "vietnamese"), READING,
                         ids=[" ".join(a) for a, _, _ in READING])
def test_reading_commands_in_both_languages(cli: Run, sample: Path, args: tuple[str, ...],
                                            english: str, vietnamese: str) -> None:
    en = cli("--lang", "en", *args, registry=sample)
    vi = cli("--lang", "vi", *args, registry=sample)
    assert en.exit_code == vi.exit_code
    assert english in en.output and english not in vi.output
    assert vietnamese in vi.output


CHANGING = [
    (("decision", "new", "-c", "bcd-cpdt", "--kind", "change-members", "--symbol", "QĐ-BNV",
      "--date", "2022-03-01", "--subject", "Về việc kiện toàn", "--dry-run"),
     "nothing was written", "chưa ghi gì"),
    (("decision", "sign", "qd-913-2021"), "already signed", "đã được ký"),
    (("amend", "seat", "replace", "bcd-cpdt-05"), "Missing option '--decision'",
     "Thiếu tùy chọn '--decision'"),
    (("amend", "seat", "add", "bcd-cpdt", "--role", "uy-vienn", "--person", "truong-hai-long",
      "--decision", "qd-913-2021"), "role 'uy-vienn' is not in the vocabulary",
     "vai trò 'uy-vienn' không có trong danh mục vai trò"),
    (("amend", "seat", "end", "bcd-cpdt-99", "--decision", "qd-913-2021"), "no seat 'bcd-cpdt-99'",
     "không có ghế 'bcd-cpdt-99'"),
    (("amend", "seat", "role", "bcd-cpdt-02", "--role", "pho-truong-ban", "--decision",
      "qd-913-2021"), "already has the role", "đã có vai trò"),
    (("amend", "person", "add", "--name", "Nguyễn Văn A", "--honorific", "Ông", "--dry-run"),
     "file(s) would change; nothing was written", "tệp sẽ thay đổi; chưa ghi gì"),
    (("amend", "person", "update", "truong-hai-long"), "nothing to update",
     "không có gì để cập nhật"),
    (("amend", "duty", "add", "bcd-cpdt", "--text", "", "--decision", "qd-913-2021"),
     "--text is empty", "--text để trống"),
    (("amend", "duty", "edit", "bcd-cpdt", "khong-co", "--text", "x", "--decision", "qd-913-2021"),
     "is already signed", "đã được ký"),
    (("amend", "duty", "end", "bcd-cpdt", "khong-co", "--decision", "du-thao-khong-co"),
     "no decision 'du-thao-khong-co'", "không có quyết định 'du-thao-khong-co'"),
    (("amend", "task", "add", "bcd-cpdt", "--title", "Việc mới", "--decision", "qd-913-2021"),
     "a task needs a lead", "công việc cần có chủ trì"),
    (("amend", "task", "update", "khong-co", "--status", "done"), "no task 'khong-co'",
     "không có công việc 'khong-co'"),
    (("amend", "task", "close", "khong-co"), "no task 'khong-co'", "không có công việc 'khong-co'"),
]


@pytest.mark.parametrize(("args", "english", "vietnamese"), CHANGING,
                         ids=[" ".join(a[:3]) for a, _, _ in CHANGING])
def test_changing_commands_in_both_languages(cli: Run, sample: Path, args: tuple[str, ...],
                                             english: str, vietnamese: str) -> None:
    en = cli("--lang", "en", *args, registry=sample)
    vi = cli("--lang", "vi", *args, registry=sample)
    assert en.exit_code == vi.exit_code
    assert english in en.output, en.output
    assert vietnamese in vi.output, vi.output


def test_init_and_render_in_both_languages(cli: Run, tmp_path: Path) -> None:
    assert "created registry in" in cli("--lang", "en", "init", str(tmp_path / "a")).stdout
    assert "đã tạo sổ đăng ký trong" in cli("--lang", "vi", "init", str(tmp_path / "b")).stdout
    en = cli("--lang", "en", "render", "decision", "qd-913-2021", "--out", str(tmp_path / "en.md"))
    vi = cli("--lang", "vi", "render", "roster", "--as-of", "30/8/2021", "--out",
             str(tmp_path / "vi.md"))
    assert en.stdout.startswith("wrote ") and vi.stdout.startswith("đã ghi ")
    vi_all = cli("--lang", "vi", "render", "--all", "--out", str(tmp_path / "all"))
    assert "quyết định dạng .md vào" in vi_all.stdout


def test_diff_and_textconv_in_both_languages(cli: Run, tmp_path: Path,
                                             monkeypatch: pytest.MonkeyPatch) -> None:
    registry = make_repo(tmp_path)
    monkeypatch.chdir(registry.parent)
    assert "no changes" in cli("--lang", "en", "diff", "HEAD", registry=registry).stdout
    assert "không có thay đổi" in cli("--lang", "vi", "diff", "HEAD", registry=registry).stdout
    bad = cli("--lang", "vi", "diff", "khong-co-nhanh", registry=registry)
    assert bad.exit_code == 2 and "không có phiên bản git 'khong-co-nhanh'" in bad.stderr
    facts = cli("--lang", "vi", "textconv", str(registry / "seats" / "bcd-cpdt-02.yaml"),
                registry=registry)
    assert facts.exit_code == 0 and "truong-hai-long" in facts.stdout


# --- machine output stays the same -------------------------------------------------------------


@pytest.mark.parametrize("args", [
    ("members", "--as-of", "30/8/2021", "--format", "json"),
    ("show", "--as-of", "30/8/2021", "--format", "json"),
    ("tasks", "--as-of", "30/8/2021", "--format", "csv"),
    ("person", "truong hai long", "--format", "yaml"),
    ("history", "--format", "json"),
])
def test_machine_output_does_not_depend_on_the_language(cli: Run, args: tuple[str, ...]) -> None:
    assert cli("--lang", "en", *args).stdout == cli("--lang", "vi", *args).stdout


def test_rule_codes_and_json_keys_are_not_translated(cli: Run, sample: Path) -> None:
    seat = sample / "seats" / "bcd-cpdt-05.yaml"
    seat.write_text(seat.read_text(encoding="utf-8").replace("role: uy-vien", "role: uy-vienn"),
                    encoding="utf-8")
    en = json.loads(cli("--lang", "en", "validate", "--format", "json", registry=sample).stdout)
    vi = json.loads(cli("--lang", "vi", "validate", "--format", "json", registry=sample).stdout)
    assert [p["code"] for p in en] == [p["code"] for p in vi] == ["R102"]
    assert en[0].keys() == vi[0].keys()
    assert "is not in the vocabulary" in en[0]["message"]
    assert "không có trong danh mục vai trò" in vi[0]["message"]
    text = cli("--lang", "vi", "validate", registry=sample).output
    assert "R102 lỗi:" in text and "1 lỗi, 0 cảnh báo trong 42 tệp" in text


# --- committee --help groups the commands by task ----------------------------------------------


def _sections(help_text: str) -> dict[str, list[str]]:
    sections: dict[str, list[str]] = {}
    current = None
    for line in help_text.splitlines():
        if line and not line.startswith(" ") and line.endswith(":"):
            current = line[:-1]
            sections[current] = []
        elif current and line.startswith("  ") and not line.startswith("   "):
            sections[current].append(line.split()[0])
    return sections


def test_root_help_groups_commands_by_task(cli: Run) -> None:
    english = _sections(cli("--help").stdout)
    assert list(english)[-4:] == ["Look up", "Change", "Produce", "Check"]
    assert english["Look up"] == ["show", "members", "duties", "decisions", "tasks", "person",
                                  "history"]
    assert {"decision", "amend", "init"} <= set(english["Change"])
    assert {"render", "schema"} <= set(english["Produce"])
    assert {"validate", "fmt", "diff", "textconv"} <= set(english["Check"])
    grouped = [name for title in ("Look up", "Change", "Produce", "Check") for name in english[title]]
    top = typer.main.get_command(app).commands  # type: ignore[attr-defined]
    assert sorted(grouped) == sorted(top)  # every command is in exactly one section
    vietnamese = _sections(cli("--lang", "vi", "--help").stdout)
    assert list(vietnamese)[-4:] == ["Tra cứu", "Thay đổi", "Xuất văn bản", "Kiểm tra"]
    assert vietnamese["Tra cứu"] == english["Look up"]
