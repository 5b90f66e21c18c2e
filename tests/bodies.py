"""Three bodies built from `committee init` by CLI commands only (one function per body).

Each builder takes the ``cli`` runner of tests/conftest.py and a folder, runs the commands a
secretary would type, and returns a :class:`Built` holding every file the commands reported
writing, so a test can check that no YAML file came from anywhere else. The names are fictional.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

from tests.conftest import Result, Run

_WRITTEN = re.compile(r"^\s+(?:added|modified|deleted)\s+(\S+)$", re.MULTILINE)


@dataclass
class Built:
    """A registry built by commands: where it is, what the commands said they wrote."""

    root: Path
    run: Run
    written: set[str] = field(default_factory=set)
    decisions: list[str] = field(default_factory=list)

    def __call__(self, *args: str) -> Result:
        """Run one command on this registry; it must succeed."""
        result = self.run(*args, registry=self.root)
        assert result.exit_code == 0, f"committee {' '.join(args)}:\n{result.output}"
        self.written.update(_WRITTEN.findall(result.output))
        return result

    def new_id(self, *args: str) -> str:
        """Run a command that prints the new record's id, and return it."""
        return self(*args).stdout.splitlines()[0].strip()

    def decision(self, *args: str) -> str:
        """Draft a decision; remember and return its id."""
        decision_id = self.new_id("decision", "new", *args)
        self.decisions.append(decision_id)
        return decision_id


def _init(cli: Run, root: Path, *issuer: str) -> Built:
    result = cli("init", str(root), "--name", "Sổ đăng ký thử nghiệm", *issuer)
    assert result.exit_code == 0, result.output
    built = Built(root, cli)
    built.written.update(p.relative_to(root).as_posix() for p in root.rglob("*.yaml"))
    return built


def _person(built: Built, name: str, honorific: str, title: str, organisation: str,
            since: str) -> str:
    return built.new_id("amend", "person", "add", "--name", name, "--honorific", honorific,
                        "--title", title, "--organisation", organisation, "--since", since)


def national_committee(cli: Run, root: Path) -> Built:
    """(a) A national committee chaired by the Prime Minister (QĐ-TTg), set up by one decision,
    its members named by a second citing the first, a working group led by a member; later the
    standing vice-chair's seat passes to a successor, a member is added, a ministry renamed."""
    b = _init(cli, root, "--issuer-name", "Thủ tướng Chính phủ", "--issuer-id", "ttg",
              "--abbreviation", "TTg", "--head-title", "Thủ tướng", "--deputy-title",
              "Phó Thủ tướng", "--authority", "Thủ tướng Chính phủ")
    for org_id, name, symbol, head, code in (
            ("btttt", "Bộ Thông tin và Truyền thông", "BTTTT", "Bộ trưởng", "000.00.00.G14"),
            ("bca", "Bộ Công an", "BCA", "Bộ trưởng", "000.00.00.G05"),
            ("bkhdt", "Bộ Kế hoạch và Đầu tư", "BKHĐT", "Bộ trưởng", "000.00.00.G08"),
            ("btc", "Bộ Tài chính", "BTC", "Bộ trưởng", "000.00.00.G10"),
            ("nhnn", "Ngân hàng Nhà nước Việt Nam", "NHNN", "Thống đốc", "000.00.00.G12")):
        b("amend", "org", "add", "--id", org_id, "--name", name, "--abbreviation", symbol,
          "--head-title", head, "--code", code, "--since", "2000-01-01")
    for set_args in (("--name", "Chủ tịch", "--document-name", "Chủ tịch Ủy ban", "--max", "1",
                      "--head"),
                     ("--name", "Phó Chủ tịch thường trực", "--document-name",
                      "Phó Chủ tịch thường trực Ủy ban", "--max", "1"),
                     ("--name", "Phó Chủ tịch", "--document-name", "Phó Chủ tịch Ủy ban"),
                     ("--name", "Ủy viên")):
        b("amend", "roles", "add", "uy-ban-quoc-gia", *set_args)
    b("amend", "registry", "update", "--member-list", "grouped")  # as Government decisions do
    chair = _person(b, "Trần Quốc Phong", "Ông", "Thủ tướng", "ttg", "2021-04-05")
    deputy = _person(b, "Lê Minh Khang", "Ông", "Phó Thủ tướng", "ttg", "2021-04-05")
    standing = _person(b, "Nguyễn Hải Đăng", "Ông", "Bộ trưởng", "btttt", "2021-04-08")
    police = _person(b, "Phạm Thanh Sơn", "Ông", "Bộ trưởng", "bca", "2021-04-08")
    planning = _person(b, "Hoàng Thu Hà", "Bà", "Bộ trưởng", "bkhdt", "2021-04-08")
    bank = _person(b, "Vũ Ngọc Lan", "Bà", "Thống đốc", "nhnn", "2021-04-08")
    law = b.new_id("amend", "legal-basis", "add", "--kind", "Luật", "--number", "76/2015/QH13",
                   "--date", "2015-06-19", "--issuer", "Quốc hội", "--title",
                   "Luật Tổ chức Chính phủ")
    founding = b.decision("--kind", "establish", "--symbol", "QĐ-TTg", "--number", "1619",
                          "--date", "2021-09-24", "--subject",
                          "Về việc thành lập Ủy ban Quốc gia về chuyển đổi số",
                          "--signer", chair, "--legal-basis", law, "--proposer",
                          "Bộ trưởng Bộ Thông tin và Truyền thông", "--recipient",
                          "Như Điều 5", "--recipient", "Các Bộ, cơ quan ngang bộ, cơ quan thuộc "
                          "Chính phủ", "--recipient", "Lưu: VT, KGVX")
    b("amend", "committee", "add", "--id", "ubqg-cds", "--name",
      "Ủy ban Quốc gia về chuyển đổi số", "--short-name", "Ủy ban", "--organisation", "ttg",
      "--role-set", "uy-ban-quoc-gia", "--standing-body", "btttt", "--decision", founding)
    b("amend", "duty", "add", "ubqg-cds", "--decision", founding, "--text",
      "Nghiên cứu, đề xuất với Thủ tướng Chính phủ chủ trương, chiến lược về chuyển đổi số")
    b("decision", "sign", "1619/QĐ-TTg")
    members = b.decision("--kind", "approve-members", "--committee", "ubqg-cds", "--symbol",
                         "QĐ-TTg", "--number", "1964", "--date", "2021-11-22", "--subject",
                         "Về việc phê duyệt danh sách thành viên Ủy ban Quốc gia về chuyển "
                         "đổi số", "--signer", chair, "--legal-basis", "1619/QĐ-TTg",
                         "--recipient", "Như Điều 4;", "--recipient", "Lưu: VT, KGVX.")
    b("decision", "edit", members, "--legal-basis", law, "--legal-basis", founding,
      "--proposer", "Bộ trưởng Bộ Thông tin và Truyền thông")
    for role, person in (("chủ tịch", chair), ("Phó Chủ tịch thường trực", standing),
                         ("pho chu tich", deputy), ("Ủy viên", police), ("uy-vien", planning),
                         ("Ủy viên", bank)):
        b("amend", "seat", "add", "ubqg-cds", "--role", role, "--person", person,
          "--decision", members)
    b("amend", "committee", "add", "--id", "to-cong-tac-cds", "--parent", "ubqg-cds", "--name",
      "Tổ công tác giúp việc Ủy ban Quốc gia về chuyển đổi số", "--short-name", "Tổ công tác",
      "--decision", members)
    b("amend", "seat", "add", "to-cong-tac-cds", "--role", "Tổ trưởng", "--person", planning,
      "--decision", members)
    b("decision", "sign", "1964/QĐ-TTg")
    successor = _person(b, "Đỗ Văn Tùng", "Ông", "Bộ trưởng", "btttt", "2023-03-01")
    b("amend", "person", "update", standing, "--end-title", "Bộ trưởng", "--until",
      "2023-03-01")
    finance = _person(b, "Lý Thị Mai", "Bà", "Bộ trưởng", "btc", "2021-04-08")
    change = b.decision("--kind", "change-members", "--committee", "ubqg-cds", "--symbol",
                        "QĐ-TTg", "--number", "505", "--date", "2023-03-01", "--subject",
                        "Về việc điều chỉnh thành viên Ủy ban Quốc gia về chuyển đổi số",
                        "--signer", chair, "--legal-basis", founding,
                        "--recipient", "Như Điều 3;", "--recipient", "Lưu: VT.")
    seat = next(line.split(",")[0] for line in b("members", "ubqg-cds", "--as-of", "2022-01-01",
                                               "--format", "csv").stdout.splitlines()
                if "Nguyễn Hải Đăng" in line)
    b("amend", "seat", "replace", seat, "--person", successor, "--decision", "505/QĐ-TTg")
    b("amend", "seat", "add", "ubqg-cds", "--role", "Ủy viên", "--person", finance,
      "--decision", change)
    b("decision", "sign", change)
    b("amend", "org", "rename", "btttt", "--name", "Bộ Khoa học và Công nghệ", "--since",
      "2025-03-01", "--abbreviation", "BKHCN", "--reason", "hợp nhất")
    return b


def provincial_committee(cli: Run, root: Path) -> Built:
    """(b) A province's steering committee, decided by the People's Committee (QĐ-UBND, signed
    TM. ỦY BAN NHÂN DÂN / CHỦ TỊCH), members the directors of the province's departments."""
    b = _init(cli, root, "--issuer-name", "Ủy ban nhân dân tỉnh Sơn Thủy", "--issuer-id",
              "ubnd-son-thuy", "--abbreviation", "UBND", "--head-title", "Chủ tịch",
              "--deputy-title", "Phó Chủ tịch", "--authority", "Ủy ban nhân dân tỉnh Sơn Thủy",
              "--collective", "--code", "000.00.00.H70", "--place", "Sơn Thủy")
    b("amend", "org", "add", "--id", "vp-ubnd-son-thuy", "--name",
      "Văn phòng Ủy ban nhân dân tỉnh", "--parent", "ubnd-son-thuy", "--head-title",
      "Chánh Văn phòng", "--code", "000.00.31.H70")
    for number, (org_id, name) in enumerate((("so-tttt", "Sở Thông tin và Truyền thông"),
                                             ("so-nv", "Sở Nội vụ"),
                                             ("so-tc", "Sở Tài chính")), start=1):
        b("amend", "org", "add", "--id", org_id, "--name", name, "--parent", "ubnd-son-thuy",
          "--head-title", "Giám đốc", "--deputy-title", "Phó Giám đốc",
          "--code", f"000.00.{number:02d}.H70")
    chair = _person(b, "Bùi Văn Toàn", "Ông", "Chủ tịch", "ubnd-son-thuy", "2021-06-01")
    vice = _person(b, "Ngô Thị Hạnh", "Bà", "Phó Chủ tịch", "ubnd-son-thuy", "2021-06-01")
    directors = [_person(b, name, honorific, "Giám đốc", unit, "2020-01-01")
                 for name, honorific, unit in (("Đinh Công Minh", "Ông", "so-tttt"),
                                               ("Lương Thị Thu", "Bà", "so-nv"),
                                               ("Tạ Quang Huy", "Ông", "so-tc"))]
    law = b.new_id("amend", "legal-basis", "add", "--kind", "luat", "--number", "77/2015/QH13",
                   "--date", "2015-06-19", "--issuer", "Quốc hội", "--title",
                   "Luật Tổ chức chính quyền địa phương")
    founding = b.decision("--kind", "establish", "--symbol", "QĐ-UBND", "--number", "1234",
                          "--date", "2022-05-10", "--subject",
                          "Về việc thành lập Ban Chỉ đạo chuyển đổi số tỉnh Sơn Thủy",
                          "--signer", chair, "--legal-basis", law, "--proposer",
                          "Giám đốc Sở Thông tin và Truyền thông",
                          "--recipient", "Như Điều 5;", "--recipient", "Lưu: VT.")
    b("amend", "committee", "add", "--id", "bcd-cds-son-thuy", "--name",
      "Ban Chỉ đạo chuyển đổi số tỉnh Sơn Thủy", "--short-name", "Ban Chỉ đạo",
      "--organisation", "ubnd-son-thuy", "--standing-body", "so-tttt", "--seal",
      "ubnd-son-thuy", "--decision", founding)
    b("amend", "duty", "add", "bcd-cds-son-thuy", "--decision", founding, "--text",
      "Chỉ đạo, điều phối công tác chuyển đổi số trên địa bàn tỉnh")
    b("amend", "seat", "add", "bcd-cds-son-thuy", "--role", "Trưởng ban", "--person", chair,
      "--decision", founding)
    b("amend", "seat", "add", "bcd-cds-son-thuy", "--role", "Phó Trưởng ban thường trực",
      "--person", vice, "--decision", founding)
    for director in directors:
        b("amend", "seat", "add", "bcd-cds-son-thuy", "--role", "Ủy viên", "--person", director,
          "--decision", "1234/QĐ-UBND")
    b("decision", "edit", founding, "--mode", "TM", "--body", "Ủy ban nhân dân",
      "--authority", "Chủ tịch")
    b("decision", "sign", founding)
    return b


def deputy_led_committee(cli: Run, root: Path) -> Built:
    """(c) A steering committee of an inspectorate headed by a deputy of the issuer (signed
    KT. TỔNG THANH TRA / PHÓ TỔNG THANH TRA), one member holding two titles at once."""
    b = _init(cli, root, "--issuer-name", "Thanh tra Chính phủ", "--issuer-id", "ttcp",
              "--abbreviation", "TTCP", "--head-title", "Tổng Thanh tra", "--deputy-title",
              "Phó Tổng Thanh tra", "--authority", "Tổng Thanh tra Chính phủ")
    for org_id, name, head in (("ttcp-vp", "Văn phòng", "Chánh Văn phòng"),
                               ("ttcp-tttt", "Trung tâm Thông tin", "Giám đốc"),
                               ("ttcp-vkhth", "Vụ Kế hoạch - Tổng hợp", "Vụ trưởng")):
        b("amend", "org", "add", "--id", org_id, "--name", name, "--parent", "ttcp",
          "--head-title", head)
    _person(b, "Trịnh Văn Hải", "Ông", "Tổng Thanh tra", "ttcp", "2021-01-01")
    head = _person(b, "Mai Đức Long", "Ông", "Phó Tổng Thanh tra", "ttcp", "2021-01-01")
    office = _person(b, "Cao Thị Ngọc", "Bà", "Chánh Văn phòng", "ttcp-vp", "2021-01-01")
    both = _person(b, "Kiều Minh Tâm", "Ông", "Vụ trưởng", "ttcp-vkhth", "2021-01-01")
    b("amend", "person", "update", both, "--title", "Giám đốc", "--organisation", "ttcp-tttt",
      "--since", "2022-01-01")
    decree = b.new_id("amend", "legal-basis", "add", "--kind", "Nghị định", "--number",
                      "50/2018/NĐ-CP", "--date", "2018-04-09", "--issuer", "Chính phủ",
                      "--title", "quy định chức năng, nhiệm vụ, quyền hạn và cơ cấu tổ chức "
                      "của Thanh tra Chính phủ")
    founding = b.decision("--kind", "establish", "--symbol", "QĐ-TTCP", "--number", "88",
                          "--date", "2023-02-15", "--subject",
                          "Về việc thành lập Ban Chỉ đạo chuyển đổi số của Thanh tra Chính phủ",
                          "--signer", head, "--mode", "KT", "--legal-basis", decree,
                          "--proposer", "Chánh Văn phòng", "--recipient", "Như Điều 4",
                          "--recipient", "Tổng Thanh tra Chính phủ (để báo cáo)",
                          "--recipient", "Lưu: VT, VP")
    b("amend", "committee", "add", "--id", "bcd-cds-ttcp", "--name",
      "Ban Chỉ đạo chuyển đổi số của Thanh tra Chính phủ", "--short-name", "Ban Chỉ đạo",
      "--organisation", "ttcp", "--standing-body", "ttcp-tttt", "--decision", founding)
    for role, person in (("Trưởng ban", head), ("Ủy viên thường trực", both),
                         ("Ủy viên", office)):
        b("amend", "seat", "add", "bcd-cds-ttcp", "--role", role, "--person", person,
          "--decision", founding)
    b("decision", "sign", founding)
    return b


BODIES = {"national": national_committee, "provincial": provincial_committee,
          "deputy-led": deputy_led_committee}
