"""Queries across a history: consolidation, an amendment (replace, end, role change), a later one."""

from __future__ import annotations

import json
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import pytest

from committee_cli.queries import history, members, open_registry, person, status_at, tasks
from tests.conftest import Run
from tests.history_registry import build_history_registry


@pytest.fixture
def hist(tmp_path: Path) -> dict[str, Any]:
    """The history registry of tests/history_registry.py, built afresh."""
    return build_history_registry(tmp_path / "history")


def _json(cli: Run, h: dict[str, Any], *args: str) -> Any:
    result = cli(*args, "--format", "json", registry=h["path"])
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


def _seats(cli: Run, h: dict[str, Any], as_of: str) -> list[str]:
    return [s["seat"] for s in _json(cli, h, "members", "--as-of", as_of)["seats"]]


def _before(d: date) -> str:
    return (d - timedelta(days=1)).isoformat()


def test_the_builder_makes_a_valid_canonical_registry(cli: Run, hist: dict[str, Any]) -> None:
    assert cli("validate", registry=hist["path"]).exit_code == 0
    assert cli("fmt", "--check", registry=hist["path"]).exit_code == 0


def test_the_builder_wants_an_empty_folder(hist: dict[str, Any]) -> None:
    with pytest.raises(ValueError, match="not empty"):
        build_history_registry(hist["path"])


def test_members_on_each_side_of_each_change(cli: Run, hist: dict[str, Any]) -> None:
    seats, dates = hist["seats"], hist["dates"]
    first = [seats[k] for k in ("head", "deputy", "replaced", "role_old", "ended", "post")]
    after_amendment = [seats[k] for k in ("head", "deputy", "role_new", "replacement", "post")]
    assert _seats(cli, hist, _before(dates["consolidation"])) == []
    assert _seats(cli, hist, "30/8/2021") == first
    assert _seats(cli, hist, _before(dates["amendment"])) == first
    assert _seats(cli, hist, dates["amendment"].isoformat()) == after_amendment
    assert _seats(cli, hist, _before(dates["later"])) == after_amendment
    assert _seats(cli, hist, "16/1/2023") == [*after_amendment, seats["added_later"]]


def test_member_details_change_with_the_date(cli: Run, hist: dict[str, Any]) -> None:
    on = {s["seat"]: s for s in _json(cli, hist, "members", "--as-of", "2022-03-01")["seats"]}
    new = on[hist["seats"]["replacement"]]
    assert (new["holder"], new["title"], new["unit_name"]) == (
        "Bà Đặng Thị Ánh", "Vụ trưởng", "Vụ Pháp chế")
    assert (new["since"], new["citation"], new["replaces"]) == (
        "2022-03-01", "QĐ 200/QĐ-BTN", hist["seats"]["replaced"])
    role = on[hist["seats"]["role_new"]]
    assert (role["role_name"], role["holder"]) == ("Ủy viên thường trực", "Bà Phạm Thị Dung")
    before = _json(cli, hist, "members", "--as-of", "2022-02-28")["seats"]
    assert before[2]["holder"] == "Ông Lê Văn Cường" and before[2]["until"] == "2022-03-01"


def test_members_filters_and_name_order(cli: Run, hist: dict[str, Any]) -> None:
    by_role = _json(cli, hist, "members", "--as-of", "2023-01-16", "--role", "uy vien thuong truc")
    assert [s["person"] for s in by_role["seats"]] == ["pham-thi-dung"]
    by_unit = _json(cli, hist, "members", "--as-of", "2022-02-28", "--unit", "PC")
    assert [s["person"] for s in by_unit["seats"]] == ["le-van-cuong"]
    named = _json(cli, hist, "members", "--as-of", "2023-01-16", "--sort", "name")["seats"]
    # Given name first, CLDR vi: An < Ánh < Bình < Dung < Giang; the post-only seat last.
    assert [s["name"] for s in named] == ["Nguyễn Văn An", "Đặng Thị Ánh", "Trần Thị Bình",
                                          "Phạm Thị Dung", "Vũ Thị Giang", None]


def test_history_words_every_change(cli: Run, hist: dict[str, Any]) -> None:
    doc = _json(cli, hist, "history")
    assert [e["decision"] for e in doc["decisions"]] == list(hist["decisions"].values())
    _, amendment, later = doc["decisions"]
    changes = [(c["change"], c["id"], c["previous"]) for c in amendment["changes"]]
    seats = hist["seats"]
    assert changes == [
        ("role-changed", seats["role_new"], seats["role_old"]),
        ("replaced", seats["replacement"], seats["replaced"]),
        ("ended", seats["ended"], None),
        ("duty-ended", "tong-ket", None),
        ("duty-added", "kiem-tra", None),
        ("task-assigned", "ke-hoach-2023", None),
    ]
    texts = [c["text"] for c in amendment["changes"]]
    assert texts[0] == "Bà Phạm Thị Dung: Ủy viên → Ủy viên thường trực (từ 01/3/2022)"
    assert texts[1] == ("Ủy viên: Bà Đặng Thị Ánh, Vụ trưởng Vụ Pháp chế thay Ông Lê Văn Cường "
                        "(từ 01/3/2022)")
    assert texts[2] == "Ủy viên: − Ông Hoàng Văn Đức (thôi từ 01/3/2022)"
    assert [(c["change"], c["id"], c["previous"]) for c in later["changes"]] == [
        ("started", seats["added_later"], None),
        ("regulation-issued", "quy-che-bcd-thu-2", "quy-che-bcd-thu-1")]
    assert later["changes"][1]["text"] == "Quy chế: ban hành phiên bản 2, thay phiên bản 1"
    assert all(c["date"] == "2023-01-16" for c in later["changes"])


def test_history_as_of_and_table(cli: Run, hist: dict[str, Any]) -> None:
    doc = _json(cli, hist, "history", "--as-of", "31/12/2022")
    assert doc["as_of"] == "2022-12-31" and len(doc["decisions"]) == 2
    table = cli("history", registry=hist["path"]).stdout
    assert "16/01/2023  QĐ 300/QĐ-BTN  Ủy viên: + Bà Vũ Thị Giang" in table
    assert "thay Ông Lê Văn Cường" in table


def test_person_across_the_change(cli: Run, hist: dict[str, Any]) -> None:
    seats = hist["seats"]
    before = _json(cli, hist, "person", "le van cuong", "--as-of", "2022-02-28")["people"][0]
    [seat] = before["seats"]
    assert (seat["held"], seat["until"], seat["end_citation"], seat["replaced_by"]) == (
        True, "2022-03-01", "QĐ 200/QĐ-BTN", seats["replacement"])
    assert before["positions"][0]["current"] is True
    after = _json(cli, hist, "person", "le van cuong", "--as-of", "2022-03-01")["people"][0]
    assert after["seats"][0]["held"] is False and after["positions"][0]["current"] is False

    anh = _json(cli, hist, "person", "Ánh", "--as-of", "2022-03-01")["people"][0]
    assert [(p["title"], p["current"]) for p in anh["positions"]] == [
        ("Phó Vụ trưởng", False), ("Vụ trưởng", True)]
    assert anh["seats"][0]["replaces"] == seats["replaced"]

    dung = _json(cli, hist, "person", "pham thi dung", "--as-of", "2022-03-01")["people"][0]
    assert [(s["role_name"], s["held"]) for s in dung["seats"]] == [
        ("Ủy viên", False), ("Ủy viên thường trực", True)]
    table = cli("person", "dung", "--as-of", "2022-07-01", registry=hist["path"]).stdout
    assert "QĐ 100/QĐ-BTN → QĐ 200/QĐ-BTN  ended" in table
    assert "open, overdue" in table


def test_person_with_several_matches(cli: Run, hist: dict[str, Any]) -> None:
    doc = _json(cli, hist, "person", "thi")
    assert [p["person"] for p in doc["people"]] == [
        "dang-thi-anh", "pham-thi-dung", "tran-thi-binh", "vu-thi-giang"]
    result = cli("person", "thi", registry=hist["path"])
    assert result.exit_code == 0 and "4 people match 'thi'" in result.stderr


def test_overdue_is_derived_from_deadline_and_date(cli: Run, hist: dict[str, Any]) -> None:
    def overdue(as_of: str) -> list[str]:
        return [t["task"] for t in _json(cli, hist, "tasks", "--overdue", "--as-of", as_of)["tasks"]]

    assert overdue("2021-12-31") == []
    assert overdue("2022-01-01") == ["bao-cao-so-ket"]
    assert overdue("2022-02-14") == ["bao-cao-so-ket"]
    assert overdue("2022-02-15") == []  # done that day
    assert overdue("2022-06-30") == []
    assert overdue("1/7/2022") == ["ke-hoach-2023"]


def test_tasks_filters_over_time(cli: Run, hist: dict[str, Any]) -> None:
    def ids(*args: str) -> list[str]:
        return [t["task"] for t in _json(cli, hist, "tasks", *args)["tasks"]]

    assert ids("--as-of", "2022-02-28") == ["bao-cao-so-ket"]  # the other is not yet assigned
    assert ids("--as-of", "2021-11-01", "--status", "in-progress") == ["bao-cao-so-ket"]
    assert ids("--as-of", "2021-09-01", "--status", "open") == ["bao-cao-so-ket"]
    assert ids("--status", "done") == ["bao-cao-so-ket"]
    assert ids("--lead", "Phạm Thị Dung") == ["ke-hoach-2023"]
    assert ids("--lead", "pham-thi-dung") == ["ke-hoach-2023"]
    assert ids("--unit", "Vụ Kế hoạch - Tài chính") == ["ke-hoach-2023"]
    assert ids("--due-before", "2022-01-01") == ["bao-cao-so-ket"]
    assert ids("bcd-thu", "--due-before", "2022-07-01") == ["bao-cao-so-ket", "ke-hoach-2023"]


def test_duties_decisions_and_show_over_time(cli: Run, hist: dict[str, Any]) -> None:
    def duty_ids(as_of: str) -> list[str]:
        return [d["id"] for d in _json(cli, hist, "duties", "--as-of", as_of)["duties"]]

    assert duty_ids("2022-02-28") == ["dieu-phoi", "tong-ket"]
    assert duty_ids("2022-03-01") == ["dieu-phoi", "kiem-tra"]
    ended = [d for d in _json(cli, hist, "duties", "--all")["duties"] if not d["in_force"]]
    assert [(d["id"], d["end_citation"]) for d in ended] == [("tong-ket", "QĐ 200/QĐ-BTN")]
    assert [d["citation"] for d in _json(cli, hist, "decisions", "--as-of", "2022-03-01")[
        "decisions"]] == ["QĐ 100/QĐ-BTN", "QĐ 200/QĐ-BTN"]
    show = _json(cli, hist, "show", "--as-of", "2022-01-05")
    assert show["tasks"] == {"open": 1, "overdue": 1}
    assert show["latest_decision"]["citation"] == "QĐ 100/QĐ-BTN"
    later = _json(cli, hist, "show", "--as-of", "2023-01-16")
    assert later["latest_decision"]["citation"] == "QĐ 300/QĐ-BTN"
    assert later["seats"]["by_role"] == [
        {"role": "truong-ban", "role_name": "Trưởng ban", "count": 1},
        {"role": "pho-truong-ban", "role_name": "Phó Trưởng ban", "count": 1},
        {"role": "uy-vien-thuong-truc", "role_name": "Ủy viên thường trực", "count": 1},
        {"role": "uy-vien", "role_name": "Ủy viên", "count": 3}]


def test_the_library_gives_the_same_answers(hist: dict[str, Any]) -> None:
    reg = open_registry(hist["path"])
    dates = hist["dates"]
    assert len(members(reg, None, dates["amendment"]).seats) == 5
    assert [e.decision for e in history(reg, "Ban Chỉ đạo").decisions] == list(
        hist["decisions"].values())
    found = person(reg, "vu thi giang", dates["later"])
    assert found.people[0].seats[0].held is True
    task = reg.tasks["bao-cao-so-ket"]
    assert [status_at(task, date(2021, 9, 1)), status_at(task, date(2021, 10, 1)),
            status_at(task, date(2022, 2, 15))] == ["open", "in-progress", "done"]
    listed = tasks(reg, None, date(2022, 1, 1)).tasks
    assert listed[0].overdue and listed[0].completed is None  # completed only from 15/02/2022
