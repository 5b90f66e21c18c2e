"""The wording follows the issuer (ISSUERS.md): the four patterns, through the CLI.

Four hand-written fixture registries under tests/fixtures/issuers/ (fictional people) hold one
body each: a national committee chaired by the Prime Minister, a ministry's steering committee,
a province's (collective issuer, TM.) and the Inspectorate's (signed KT.). Every decision of each
has a golden Markdown file under tests/golden/issuers/, reviewed line by line against ISSUERS.md;
refresh after an intended change with ``UPDATE_GOLDEN=1`` and review the diff.
"""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

import pytest

from tests.conftest import SAMPLE, Run
from tests.issuer_checks import (
    assert_docx_says,
    assert_golden,
    assert_no_doubled_word,
    document_of,
    doubled,
    plain,
)
from tests.render_helpers import FIXTURE, render_file

ISSUERS = Path(__file__).resolve().parent / "fixtures" / "issuers"
GOLDEN = Path(__file__).resolve().parent / "golden" / "issuers"
PM, MINISTER, PROVINCE, INSPECTOR = (ISSUERS / name for name in (
    "prime-minister", "minister", "province", "inspector-general"))

DECISIONS = {
    PM: ["qd-1619-2021", "qd-1964-2021", "qd-505-2022"],
    MINISTER: ["qd-100-2023", "qd-150-2023", "qd-200-2023", "qd-20-2024", "qd-90-2024",
               "qd-du-thao-2024"],
    PROVINCE: ["qd-1500-2021", "qd-800-2022", "qd-2000-2024"],
    INSPECTOR: ["qd-400-2022", "qd-410-2022", "qd-420-2022"],
}
CASES = [(registry, did) for registry, ids in DECISIONS.items() for did in ids]


def render(cli: Run, registry: Path, decision: str) -> str:
    result = cli("render", "decision", decision, "--format", "md", registry=registry)
    assert result.exit_code == 0, result.output
    return result.stdout


@pytest.mark.parametrize(("registry", "decision"), CASES,
                         ids=[f"{r.name}-{d}" for r, d in CASES])
def test_markdown_matches_golden(cli: Run, registry: Path, decision: str) -> None:
    text = render(cli, registry, decision)
    assert_golden(text, GOLDEN / registry.name / f"{decision}.md")


def test_every_decision_kind_has_a_golden_document() -> None:
    from committee_cli.model.records import DecisionKind
    from committee_cli.store import DirSource, load

    kinds = set()
    for registry, ids in DECISIONS.items():
        reg = load(DirSource(registry)).registry
        kinds |= {reg.decisions[did].kind for did in ids}
    assert set(DecisionKind.__args__) - {"other"} <= kinds  # type: ignore[attr-defined]
    assert "phan-cong-nhiem-vu" in kinds  # a kind the registry adds, with its own template


# What the fixtures are meant to show: a member who left office (their position ended) before
# the decision that replaces them on the committee (R117 warns: the title is blank in between).
EXPECTED = {("R117", "person")}


@pytest.mark.parametrize("registry", list(DECISIONS), ids=[r.name for r in DECISIONS])
def test_fixture_registries_are_valid(cli: Run, registry: Path) -> None:
    result = cli("validate", "--format", "json", registry=registry)
    problems = json.loads(result.stdout)
    unexpected = [p for p in problems if (p["code"], p["path"][0]) not in EXPECTED
                  or p["severity"] != "warning"]
    assert unexpected == [], result.stdout


# --- the table of ISSUERS.md, one row at a time ---------------------------------------------

PATTERNS = {
    # header, symbol, authority line, head signs, a deputy signs (decision, lines)
    PM: ("THỦ TƯỚNG CHÍNH PHỦ", "QĐ-TTg", "THỦ TƯỚNG CHÍNH PHỦ",
         ("qd-1619-2021", ["THỦ TƯỚNG"]), ("qd-1964-2021", ["KT. THỦ TƯỚNG", "PHÓ THỦ TƯỚNG"])),
    MINISTER: ("BỘ NỘI VỤ", "QĐ-BNV", "BỘ TRƯỞNG BỘ NỘI VỤ",
               ("qd-100-2023", ["BỘ TRƯỞNG"]), ("qd-200-2023", ["KT. BỘ TRƯỞNG", "THỨ TRƯỞNG"])),
    PROVINCE: ("ỦY BAN NHÂN DÂN TỈNH QUẢNG NINH", "QĐ-UBND", "ỦY BAN NHÂN DÂN TỈNH QUẢNG NINH",
               ("qd-1500-2021", ["TM. ỦY BAN NHÂN DÂN", "CHỦ TỊCH"]),
               ("qd-800-2022", ["TM. ỦY BAN NHÂN DÂN", "KT. CHỦ TỊCH", "PHÓ CHỦ TỊCH"])),
    INSPECTOR: ("THANH TRA CHÍNH PHỦ", "QĐ-TTCP", "TỔNG THANH TRA CHÍNH PHỦ",
                ("qd-400-2022", ["KT. TỔNG THANH TRA", "PHÓ TỔNG THANH TRA"]),
                ("qd-410-2022", ["KT. TỔNG THANH TRA", "PHÓ TỔNG THANH TRA"])),
}


_document = document_of


@pytest.mark.parametrize("registry", list(PATTERNS), ids=[r.name for r in PATTERNS])
def test_header_authority_and_signing_follow_the_issuer(registry: Path) -> None:
    header, symbol, authority, head, deputy = PATTERNS[registry]
    for decision, lines in (head, deputy):
        main = _document(registry, decision).main
        assert main.header is not None and plain(main.header.issuer or "") == header
        assert main.header.number is not None and main.header.number.endswith(f"/{symbol}")
        assert main.authority == authority
        assert main.closing is not None and main.closing.sign == lines


def test_the_province_header_is_two_bound_lines_of_one_body() -> None:
    issuer = _document(PROVINCE, "qd-1500-2021").main.header.issuer  # type: ignore[union-attr]
    first, second = issuer.split(" ")
    assert (plain(first), plain(second)) == ("ỦY BAN NHÂN DÂN", "TỈNH QUẢNG NINH")
    # the Chairman's own decision is issued under his title
    assert _document(PROVINCE, "qd-2000-2024").main.authority == \
        "CHỦ TỊCH ỦY BAN NHÂN DÂN TỈNH QUẢNG NINH"


ALL_DECISIONS = [*CASES, *((SAMPLE, "qd-913-2021"),), *((FIXTURE, d) for d in (
    "qd-05-2020", "qd-120-2021", "qd-121-2021", "qd-300-2021", "qd-du-thao-2022"))]


@pytest.mark.parametrize(("registry", "decision"), ALL_DECISIONS,
                         ids=[f"{r.name}-{d}" for r, d in ALL_DECISIONS])
def test_no_doubled_word_in_header_authority_or_signing(registry: Path, decision: str) -> None:
    assert_no_doubled_word(_document(registry, decision), decision)


def test_the_doubling_check_can_fail() -> None:
    assert doubled("THỦ TƯỚNG THỦ TƯỚNG CHÍNH PHỦ") == "thủ tướng thủ tướng"
    assert doubled("TỔNG THANH TRA THANH TRA CHÍNH PHỦ") == "thanh tra thanh tra"
    assert doubled("Chánh Văn phòng Văn phòng Bộ") == "văn phòng văn phòng"


# --- members, titles, roles --------------------------------------------------------------------


def test_national_committee_titles_name_the_body_grouped_by_role(cli: Run) -> None:
    text = plain(render(cli, PM, "qd-1964-2021"))
    assert "1. Chủ tịch Ủy ban: Ông Phạm Minh An, Thủ tướng Chính phủ." in text
    assert "3. Phó Chủ tịch Ủy ban: Ông Vũ Đức Bình, Phó Thủ tướng Chính phủ." in text
    assert "4. Các Ủy viên:" in text
    assert "a) Ông Tô Văn Lâm, Bộ trưởng Bộ Công an;" in text
    assert "c) Bà Nguyễn Thị Hằng, Thống đốc Ngân hàng Nhà nước Việt Nam." in text
    # the member list cites the establishing decision, a record of the registry, as a basis
    assert ("*Căn cứ Quyết định số 1619/QĐ-TTg ngày 24 tháng 9 năm 2021 của Thủ tướng Chính phủ "
            "thành lập Ủy ban Quốc gia về chuyển đổi số;*") in text
    assert "Kiện toàn" not in text and "phê duyệt danh sách thành viên" in text.lower()
    assert "Chánh Văn phòng Bộ" not in text


def test_one_line_layout_of_the_same_list(cli: Run, tmp_path: Path) -> None:
    registry = tmp_path / "pm"
    shutil.copytree(PM, registry)
    config = registry / "registry.yaml"
    config.write_text(config.read_text(encoding="utf-8").replace("member_list: grouped",
                                                                  "member_list: lines"),
                      encoding="utf-8")
    text = plain(render(cli, registry, "qd-1964-2021"))
    assert "1. Ông Phạm Minh An, Thủ tướng Chính phủ, Chủ tịch Ủy ban;" in text
    assert "4. Ông Tô Văn Lâm, Bộ trưởng Bộ Công an, Ủy viên;" in text


def test_establishing_without_members_lists_nobody(cli: Run) -> None:
    text = plain(render(cli, PM, "qd-1619-2021"))
    assert "**Điều 1.** Thành lập Ủy ban Quốc gia về chuyển đổi số (sau đây gọi là Ủy ban).\n" in text
    assert "có tên sau" not in text and "thành viên sau" not in text
    assert "*Căn cứ Luật Tổ chức Chính phủ ngày 19 tháng 6 năm 2015;*" in text  # no number
    assert "76/2015/QH13" not in text


def test_two_titles_at_once_are_one_phrase_in_every_command(cli: Run) -> None:
    phrase = "Vụ trưởng, Giám đốc Trung tâm Thông tin"
    document = plain(render(cli, INSPECTOR, "qd-400-2022"))
    assert f"2. Ông Nguyễn Đức Thành, {phrase}, Thành viên Thường trực;" in document
    members = json.loads(cli("members", "--as-of", "2022-04-01", "--format", "json",
                             registry=INSPECTOR).stdout)
    assert [s["title_phrase"] for s in members["seats"]][1] == phrase
    table = cli("members", "--as-of", "2022-04-01", registry=INSPECTOR).stdout
    assert phrase in table
    history = cli("history", registry=INSPECTOR).stdout
    assert f"Ông Nguyễn Đức Thành, {phrase} (từ 15/3/2022)" in history
    person = json.loads(cli("person", "nguyen-duc-thanh", "--as-of", "2022-04-01", "--format",
                            "json", registry=INSPECTOR).stdout)
    phrases = [p["phrase"] for p in person["people"][0]["positions"]]
    assert ", ".join(phrases) == phrase
    # the issuer's deputy head: an office whose name is the whole title stays whole
    assert "1. Ông Nguyễn Văn Cương, Phó Tổng Thanh tra Chính phủ, Trưởng ban;" in document


def test_execution_article_follows_the_issuer(cli: Run) -> None:
    def execution(registry: Path, decision: str) -> str:
        articles = re.findall(r"^\*\*Điều \d+\.\*\* (.*)$", plain(render(cli, registry, decision)),
                              flags=re.M)
        return articles[-1]

    assert execution(PM, "qd-1619-2021").startswith(
        "Các Bộ trưởng, Thủ trưởng cơ quan ngang bộ, Thủ trưởng cơ quan thuộc Chính phủ, Chủ tịch "
        "Ủy ban nhân dân các tỉnh, thành phố trực thuộc trung ương và các thành viên")
    assert execution(MINISTER, "qd-100-2023").startswith("Chánh Văn phòng Bộ, Giám đốc Trung tâm")
    assert execution(PROVINCE, "qd-1500-2021").startswith(
        "Chánh Văn phòng Ủy ban nhân dân tỉnh, Giám đốc Sở Nội vụ, Giám đốc các sở")
    assert execution(INSPECTOR, "qd-400-2022").startswith("Chánh Văn phòng, Giám đốc Trung tâm")
    for registry, decision in CASES:
        assert execution(registry, decision).endswith("chịu trách nhiệm thi hành Quyết định này./.")


def test_working_group_clause_names_its_head(cli: Run) -> None:
    text = plain(render(cli, MINISTER, "qd-100-2023"))
    assert ("Thành lập Tổ công tác giúp việc Ban Chỉ đạo chuyển đổi số của Bộ Nội vụ, do ông Trần "
            "Quốc Việt, Giám đốc Trung tâm Thông tin, làm Tổ trưởng.") in text


# --- dated facts ---------------------------------------------------------------------------------


def test_a_renamed_unit_keeps_its_old_name_on_old_decisions(cli: Run) -> None:
    old = plain(render(cli, MINISTER, "qd-100-2023"))
    new = plain(render(cli, MINISTER, "qd-20-2024"))
    assert "Ông Trần Quốc Việt, Giám đốc Trung tâm Thông tin, Ủy viên thường trực;" in old
    assert "Trung tâm Thông tin làm nhiệm vụ thường trực" in old
    assert "Chuyển đổi số," not in old and "Trung tâm Chuyển đổi số" not in old
    assert "Bổ sung ông Hà Minh Tuấn, Phó Giám đốc Trung tâm Chuyển đổi số, làm Ủy viên" in new
    before = cli("members", "--as-of", "2023-12-31", registry=MINISTER).stdout
    after = cli("members", "--as-of", "2024-01-01", registry=MINISTER).stdout
    assert "Giám đốc Trung tâm Thông tin" in before and "Trung tâm Chuyển đổi số" not in before
    assert "Giám đốc Trung tâm Chuyển đổi số" in after


# --- what a văn thư rejects (issue 15's wording) ---------------------------------------------


def test_attachments_end_with_the_signer_and_drafts_leave_the_day_blank(cli: Run) -> None:
    regulation = _document(MINISTER, "qd-90-2024").sections[1]
    assert regulation.body[-1].text.endswith("./.")
    assert regulation.closing is not None and regulation.closing.sign == [
        "TL. BỘ TRƯỞNG", "CHÁNH VĂN PHÒNG"] and regulation.closing.signer == "Võ Thanh Sơn"
    draft = _document(MINISTER, "qd-du-thao-2024")
    assert draft.main.header is not None
    assert plain(draft.main.header.place_date or "") == "Hà Nội, ngày      tháng 5 năm 2024"
    appendix = draft.sections[1]
    assert appendix.doc_type == "Phụ lục"
    assert appendix.subject == "DANH MỤC NHIỆM VỤ GIAO CHO CÁC CƠ QUAN, ĐƠN VỊ"
    assert "tháng 5 năm 2024" in plain(appendix.issued_with or "")
    assert re.search(r"ngày\s+tháng 5", plain(appendix.issued_with or ""))


def test_names_titles_and_phrases_are_bound(cli: Run) -> None:
    document = _document(MINISTER, "qd-150-2023")
    attached = document.sections[1].issued_with or ""
    assert "Quyết\u00a0định\u00a0số\u00a0150/QĐ-BNV" in attached
    assert "ngày\u00a010\u00a0tháng\u00a04\u00a0năm\u00a02023" in attached
    assert "\u2028của Bộ\u00a0trưởng\u00a0Bộ\u00a0Nội\u00a0vụ)" in attached
    members = _document(MINISTER, "qd-100-2023").main.body
    assert members[1].text.startswith("Bà\u00a0Lê\u00a0Thị\u00a0Hoa, Bộ\u00a0trưởng,")
    quoted = _document(MINISTER, "qd-150-2023").sections[1].body
    assert any("“lịch họp”" in block.text for block in quoted)
    assert not any('"' in block.text for section in document.sections for block in section.body)


# --- decisions that change nothing, kinds a registry adds ------------------------------------


def test_a_decision_that_changes_nothing(cli: Run, tmp_path: Path) -> None:
    from committee_cli.render.context import decision_changes_nothing
    from committee_cli.store import DirSource, load

    registry = tmp_path / "minister"
    shutil.copytree(MINISTER, registry)
    (registry / "decisions" / "qd-21-2024.yaml").write_text(
        (registry / "decisions" / "qd-20-2024.yaml").read_text(encoding="utf-8")
        .replace("number: 20", "number: 21"), encoding="utf-8")
    reg = load(DirSource(registry)).registry
    assert decision_changes_nothing(reg, "qd-21-2024")
    assert not any(decision_changes_nothing(reg, d) for d in DECISIONS[MINISTER])
    result = cli("render", "decision", "qd-21-2024", registry=registry)
    assert result.exit_code == 1
    assert "decision 'qd-21-2024' (change-members) changes nothing" in result.stderr
    assert "Traceback" not in result.output


def test_a_kind_the_registry_adds_needs_its_template(cli: Run, tmp_path: Path) -> None:
    text = plain(render(cli, INSPECTOR, "qd-420-2022"))
    assert "**Điều 1.** Phân công nhiệm vụ các thành viên Ban Chỉ đạo" in text
    registry = tmp_path / "ttcp"
    shutil.copytree(INSPECTOR, registry)
    assert "R135" not in cli("validate", registry=registry).stdout  # its template is there
    template = registry / "templates" / "decision-phan-cong-nhiem-vu.j2"
    kept = template.read_bytes()
    template.unlink()
    result = cli("render", "decision", "qd-420-2022", registry=registry)
    assert result.exit_code == 1
    assert ("has the kind 'phan-cong-nhiem-vu', which has no built-in wording: add "
            "templates/decision-phan-cong-nhiem-vu.j2") in result.stderr
    for _ in range(2):  # validate says so too, with the line of the kind; cached or not
        checked = cli("validate", registry=registry)
        assert checked.exit_code == 1, checked.output
        assert re.search(r"decisions/qd-420-2022\.yaml\n\s+\d+:\d+\s+R135 error: decision "
                         r"'qd-420-2022' has the kind 'phan-cong-nhiem-vu'", checked.stdout)
    template.write_bytes(kept)  # the templates folder is part of what the cached answer knew
    assert "R135" not in cli("validate", registry=registry).stdout


# --- the .docx says the same ---------------------------------------------------------------------


@pytest.mark.parametrize(("registry", "decision"), CASES,
                         ids=[f"{r.name}-{d}" for r, d in CASES])
def test_docx_reads_back_the_same_texts(cli: Run, tmp_path: Path, registry: Path,
                                        decision: str) -> None:
    path = render_file(cli, registry, tmp_path / f"{decision}.docx", "decision", decision)
    assert_docx_says(_document(registry, decision), path, decision)


def test_a_template_linked_out_of_the_registry_is_not_its_template(cli: Run,
                                                                   tmp_path: Path) -> None:
    registry = tmp_path / "ttcp"
    shutil.copytree(INSPECTOR, registry)
    template = registry / "templates" / "decision-phan-cong-nhiem-vu.j2"
    outside = tmp_path / "elsewhere.j2"
    outside.write_bytes(template.read_bytes())
    template.unlink()
    template.symlink_to(outside)
    # validate and render agree: the link is not the registry's template
    assert "R135" in cli("validate", registry=registry).stdout
    assert cli("render", "decision", "qd-420-2022", registry=registry).exit_code == 1
