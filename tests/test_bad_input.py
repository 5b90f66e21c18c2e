"""Every bad input of the registry issue: a clear error with code, file and line; never a traceback."""

from __future__ import annotations

import json
import time
import unicodedata
import weakref
from pathlib import Path

import pytest

from committee_cli.store import yamlio
from tests.conftest import Run


def problems_of(cli: Run, registry: Path) -> list[dict[str, object]]:
    result = cli("validate", "--format", "json", registry=registry)
    assert result.exit_code == 1, result.output
    return json.loads(result.stdout)


def write(path: Path, text: str) -> None:
    path.write_text(text, encoding="utf-8")


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, (old, text)
    write(path, text.replace(old, new, 1))


def only(problems: list[dict[str, object]], code: str) -> dict[str, object]:
    matching = [p for p in problems if p["code"] == code]
    assert matching, problems
    return matching[0]


def test_malformed_yaml(cli: Run, sample: Path) -> None:
    write(sample / "people" / "truong-hai-long.yaml", "name: [Trương Hải Long\nhonorific: Ông\n")
    p = only(problems_of(cli, sample), "R001")
    assert p["file"] == "people/truong-hai-long.yaml" and p["line"]


def test_tab_indentation(cli: Run, sample: Path) -> None:
    write(sample / "organisations" / "bnv.yaml", "name: Bộ Nội vụ\nparent:\n\tx: 1\n")
    p = only(problems_of(cli, sample), "R001")
    assert (p["line"], p["column"]) == (3, 1)
    assert "tab" in str(p["message"])


def test_duplicate_keys(cli: Run, sample: Path) -> None:
    edit(sample / "seats" / "bcd-cpdt-05.yaml", "order: 5\n", "order: 5\norder: 6\n")
    p = only(problems_of(cli, sample), "R005")
    assert p["file"] == "seats/bcd-cpdt-05.yaml"
    assert p["line"] == 4


def test_not_utf8_names_byte_offset(cli: Run, sample: Path) -> None:
    # "Bộ Nội vụ" as Windows-1258 (base letter + combining tone byte), as pasted from old files
    (sample / "organisations" / "bnv.yaml").write_bytes(b"name: B\xf4\xf2 N\xf4\xf2i v\xf9\xf2\n")
    p = only(problems_of(cli, sample), "R002")
    assert "byte offset" in str(p["message"]) and p["line"] == 1


def test_bom_is_accepted(cli: Run, sample: Path) -> None:
    path = sample / "organisations" / "bnv.yaml"
    path.write_bytes(b"\xef\xbb\xbf" + path.read_bytes())
    assert cli("validate", registry=sample).exit_code == 0


def test_nfd_reported_and_fixed_by_fmt(cli: Run, sample: Path) -> None:
    path = sample / "people" / "truong-hai-long.yaml"
    write(path, unicodedata.normalize("NFD", path.read_text(encoding="utf-8")))
    p = only(problems_of(cli, sample), "R003")
    assert p["line"] == 1
    assert cli("fmt", registry=sample).exit_code == 0
    assert cli("validate", registry=sample).exit_code == 0
    assert unicodedata.is_normalized("NFC", path.read_text(encoding="utf-8"))


def test_alias_bomb_refused_quickly(cli: Run, sample: Path) -> None:
    lines = ['a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]']
    for i in range(1, 9):
        prev, cur = chr(ord("a") + i - 1), chr(ord("a") + i)
        lines.append(f"{cur}: &{cur} [{', '.join(['*' + prev] * 9)}]")
    write(sample / "organisations" / "bomb.yaml", "\n".join(lines) + "\n")
    start = time.monotonic()
    p = only(problems_of(cli, sample), "R007")
    assert time.monotonic() - start < 10
    assert p["file"] == "organisations/bomb.yaml" and p["line"] == 1


def test_deep_nesting_refused(cli: Run, sample: Path) -> None:
    write(sample / "organisations" / "deep.yaml", "name: " + "[" * 30000 + "]" * 30000 + "\n")
    p = only(problems_of(cli, sample), "R006")
    assert p["file"] == "organisations/deep.yaml"


def test_deep_block_nesting_refused(cli: Run, sample: Path) -> None:
    text = "".join(" " * (2 * i) + f"k{i}:\n" for i in range(300)) + " " * 600 + "x: 1\n"
    write(sample / "organisations" / "deepblock.yaml", text)
    p = only(problems_of(cli, sample), "R006")
    assert p["file"] == "organisations/deepblock.yaml"


def test_huge_file_refused(cli: Run, sample: Path) -> None:
    write(sample / "organisations" / "huge.yaml", "name: " + "x" * (6 * 1024 * 1024) + "\n")
    p = only(problems_of(cli, sample), "R006")
    assert p["file"] == "organisations/huge.yaml"


def test_wrong_type(cli: Run, sample: Path) -> None:
    edit(sample / "seats" / "bcd-cpdt-05.yaml", "order: 5", "order: năm")
    p = only(problems_of(cli, sample), "R014")
    assert (p["file"], p["line"], p["column"]) == ("seats/bcd-cpdt-05.yaml", 3, 8)


def test_unknown_field_did_you_mean(cli: Run, sample: Path) -> None:
    edit(sample / "people" / "truong-hai-long.yaml", "honorific:", "honorfic:")
    problems = problems_of(cli, sample)
    p = only(problems, "R012")
    assert "did you mean 'honorific'" in str(p["message"])
    assert p["line"] == 2 and p["column"] == 1


def test_impossible_date(cli: Run, sample: Path) -> None:
    edit(sample / "decisions" / "qd-913-2021.yaml", "date: 2021-08-30", "date: 2021-02-30")
    p = only(problems_of(cli, sample), "R004")
    assert p["line"] == 6 and "2021-02-30" in str(p["message"])


def test_dangling_reference(cli: Run, sample: Path) -> None:
    edit(sample / "seats" / "bcd-cpdt-02.yaml", "person: truong-hai-long", "person: truong-hai-lon")
    p = only(problems_of(cli, sample), "R101")
    assert p["file"] == "seats/bcd-cpdt-02.yaml" and p["line"] == 4
    assert "did you mean 'truong-hai-long'" in str(p["message"])


def test_two_heads(cli: Run, sample: Path) -> None:
    edit(sample / "seats" / "bcd-cpdt-02.yaml", "role: pho-truong-ban", "role: truong-ban")
    p = only(problems_of(cli, sample), "R103")
    assert p["file"] == "seats/bcd-cpdt-02.yaml" and p["line"] == 2


def test_seat_before_its_decision(cli: Run, sample: Path) -> None:
    edit(sample / "seats" / "bcd-cpdt-02.yaml", "  decision: qd-913-2021\n",
         "  decision: qd-913-2021\n  date: 2021-08-01\n")
    p = only(problems_of(cli, sample), "R106")
    assert p["file"] == "seats/bcd-cpdt-02.yaml" and p["line"] == 7


def test_duplicate_decision_number_in_year(cli: Run, sample: Path) -> None:
    text = (sample / "decisions" / "qd-913-2021.yaml").read_text(encoding="utf-8")
    text = text.split("signature:")[0].replace("status: signed", "status: draft")
    write(sample / "decisions" / "qd-913b-2021.yaml", text.replace("2021-08-30", "2021-12-01"))
    p = only(problems_of(cli, sample), "R109")
    assert p["file"] == "decisions/qd-913b-2021.yaml" and p["line"] == 4


def test_unsafe_id(cli: Run, sample: Path) -> None:
    write(sample / "people" / "Trà..x.yaml", "name: X\nhonorific: Bà\n")
    p = only(problems_of(cli, sample), "R011")
    assert p["file"] == "people/Trà..x.yaml"


def test_edited_signed_decision(cli: Run, sample: Path) -> None:
    edit(sample / "decisions" / "qd-913-2021.yaml", "proposer: Giám đốc", "proposer: Phó Giám đốc")
    p = only(problems_of(cli, sample), "R130")  # the proposer is a fact it was signed with
    assert "no longer states what was signed" in str(p["message"])


def test_empty_registry_folder(cli: Run, tmp_path: Path) -> None:
    empty = tmp_path / "empty"
    empty.mkdir()
    result = cli("validate", registry=empty)
    assert result.exit_code == 1
    assert "R010" in result.output and "not a registry" in result.output


def test_missing_registry_path(cli: Run, tmp_path: Path) -> None:
    result = cli("validate", registry=tmp_path / "nope")
    assert result.exit_code == 2
    assert "does not exist" in result.stderr


def test_usage_error(cli: Run) -> None:
    result = cli("validate", "--format", "xml")
    assert result.exit_code == 2


@pytest.mark.parametrize("content", ["", "- a\n- b\n", "just text\n"])
def test_file_not_a_mapping(cli: Run, sample: Path, content: str) -> None:
    write(sample / "organisations" / "odd.yaml", content)
    p = only(problems_of(cli, sample), "R009")
    assert p["file"] == "organisations/odd.yaml"


def test_yaml12_booleans_stay_text(cli: Run, sample: Path) -> None:
    # YAML 1.1 would read `no` as False; the registry reads YAML 1.2, as ruamel writes it.
    edit(sample / "organisations" / "bnv-vp.yaml", "abbreviation: VP", "abbreviation: no")
    assert cli("validate", registry=sample).exit_code == 0


def test_symlink_out_of_registry_refused(cli: Run, sample: Path, tmp_path: Path) -> None:
    outside = tmp_path / "outside.yaml"
    write(outside, "name: Ngoài\n")
    (sample / "organisations" / "outside.yaml").symlink_to(outside)
    p = only(problems_of(cli, sample), "R010")
    assert "symlink" in str(p["file"])


def test_problems_of_many_files_located_one_file_at_a_time(cli: Run, sample: Path,
                                                           monkeypatch: pytest.MonkeyPatch) -> None:
    # a national registry's thousands of warnings: each file is composed again to place its
    # problems, and its nodes let go before the next (not all of them held to the end)
    alive: weakref.WeakSet[yamlio.Locator] = weakref.WeakSet()
    most = [0]

    class Counted(yamlio.Locator):
        def __init__(self, text: str) -> None:
            super().__init__(text)
            alive.add(self)
            most[0] = max(most[0], len(alive))

    monkeypatch.setattr(yamlio, "Locator", Counted)
    for n in range(2, 8):
        edit(sample / "seats" / f"bcd-cpdt-{n:02d}.yaml", "role: ", "role: khong-co-")
    problems = [p for p in problems_of(cli, sample) if p["code"] == "R102"]
    assert sorted(str(p["file"]) for p in problems) == [
        f"seats/bcd-cpdt-{n:02d}.yaml" for n in range(2, 8)]
    for p in problems:  # each placed on its own file's role line
        lines = (sample / str(p["file"])).read_text(encoding="utf-8").splitlines()
        assert lines[int(str(p["line"])) - 1].startswith("role: khong-co-"), p
    assert 1 <= most[0] <= 2  # (the last file's and the one being composed)
