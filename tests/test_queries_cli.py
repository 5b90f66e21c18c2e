"""The query commands on the sample registry: every format, documented JSON shapes, bad arguments."""

from __future__ import annotations

import csv
import io
import json
import re
import unicodedata
from pathlib import Path
from typing import Any

import pytest
import yaml

from tests.conftest import SAMPLE, Run

# Each command with arguments that give a non-empty answer on the sample.
COMMANDS: dict[str, list[str]] = {
    "show": ["show"],
    "members": ["members"],
    "duties": ["duties"],
    "tasks": ["tasks"],
    "decisions": ["decisions"],
    "person": ["person", "truong hai long"],
    "history": ["history"],
}

# The documented top-level keys of each JSON document (docs/queries.md).
DOCUMENT_KEYS = {
    "show": {"committee", "as_of", "short_name", "organisation", "parent", "working_groups",
             "standing_body", "seal", "working_mode", "regulation_issuer", "established",
             "dissolved", "seats", "duties_in_force", "tasks", "latest_decision", "drafts"},
    "members": {"committee", "as_of", "seats"},
    "duties": {"committee", "as_of", "duties"},
    "tasks": {"committee", "as_of", "tasks"},
    "decisions": {"committee", "as_of", "decisions"},
    "person": {"query", "as_of", "people"},
    "history": {"committee", "as_of", "decisions"},
}

SEAT_KEYS = {"seat", "order", "role", "role_name", "person", "honorific", "name", "post", "holder",
             "title", "unit", "unit_name", "title_phrase", "since", "decision", "citation", "until",
             "replaces"}
DUTY_KEYS = {"id", "number", "text", "since", "decision", "citation", "until", "end_decision",
             "end_citation", "in_force"}
TASK_KEYS = {"task", "committee", "title", "lead", "lead_kind", "lead_name", "coordinators",
             "coordinator_names", "product", "assigned", "decision", "citation", "deadline",
             "status", "overdue", "completed"}
DECISION_KEYS = {"decision", "citation", "number", "symbol", "date", "effective", "kind", "status",
                 "committee", "subject", "issuer", "issuer_name", "signer", "signer_name",
                 "replaces"}
PERSON_KEYS = {"person", "name", "honorific", "display", "positions", "seats", "tasks"}
PERSON_SEAT_KEYS = {"seat", "committee", "committee_name", "role", "role_name", "since",
                    "decision", "citation", "until", "end_decision", "end_citation", "held",
                    "replaces", "replaced_by"}
POSITION_KEYS = {"title", "organisation", "organisation_name", "since", "until", "current",
                 "phrase"}
ENTRY_KEYS = {"decision", "citation", "date", "kind", "status", "subject", "changes"}
CHANGE_KEYS = {"change", "kind", "id", "previous", "date", "text"}

# The CSV header of each command: the fields of its rows.
CSV_HEADERS = {
    "show": ["field", "value"],
    "members": ["seat", "order", "role", "role_name", "person", "honorific", "name", "post",
                "holder", "title", "unit", "unit_name", "title_phrase", "since", "decision",
                "citation", "until", "replaces"],
    "duties": ["id", "number", "text", "since", "decision", "citation", "until", "end_decision",
               "end_citation", "in_force"],
    "tasks": ["task", "committee", "title", "lead", "lead_kind", "lead_name", "coordinators",
              "coordinator_names", "product", "assigned", "decision", "citation", "deadline",
              "status", "overdue", "completed"],
    "decisions": ["decision", "citation", "number", "symbol", "date", "effective", "kind",
                  "status", "committee", "subject", "issuer", "issuer_name", "signer",
                  "signer_name", "replaces"],
    "person": ["person_id", "person", "kind", "what", "from", "until", "decision", "state"],
    "history": ["date", "decision_id", "decision", "status", "change", "id", "text"],
}


def _json(cli: Run, *args: str, registry: Path = SAMPLE) -> Any:
    result = cli(*args, "--format", "json", registry=registry)
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


# --- the acceptance examples ---------------------------------------------------------------


def test_members_json_lists_16_seats_with_the_head_first(cli: Run) -> None:
    doc = _json(cli, "members")
    assert doc["committee"]["id"] == "bcd-cpdt"
    assert len(doc["seats"]) == 16
    head = doc["seats"][0]
    assert head["role_name"] == "Trưởng ban"
    assert head["holder"] == "Bà Phạm Thị Thanh Trà"
    assert (head["title"], head["unit_name"]) == ("Bộ trưởng", "Bộ Nội vụ")
    assert (head["since"], head["citation"]) == ("2021-08-30", "QĐ 913/QĐ-BNV")
    assert [s["role_name"] for s in doc["seats"]].count("Ủy viên") == 14
    assert doc["seats"][2]["holder"] == "Đại diện lãnh đạo Văn phòng Bộ"
    assert doc["seats"][2]["person"] is None and doc["seats"][2]["title"] is None


@pytest.mark.parametrize("query", ["truong hai long", "TRƯƠNG HẢI LONG", "Hải Long", "long",
                                   "truong-hai-long",
                                   unicodedata.normalize("NFD", "Trương Hải Long")])
def test_person_finds_truong_hai_long(cli: Run, query: str) -> None:
    doc = _json(cli, "person", query)
    assert [p["display"] for p in doc["people"]] == ["Ông Trương Hải Long"]
    seat = doc["people"][0]["seats"][0]
    assert (seat["role_name"], seat["held"]) == ("Phó Trưởng ban", True)


def test_person_table_names_him(cli: Run) -> None:
    result = cli("person", "truong hai long", registry=SAMPLE)
    assert result.exit_code == 0, result.output
    assert "Ông Trương Hải Long" in result.stdout
    # the position as documents write it: the issuer's own deputy minister by title alone
    assert "Phó Trưởng ban" in result.stdout
    assert re.search(r"position\s+Thứ trưởng\s+\d", result.stdout), result.stdout


def test_nfd_query_is_normalised_in_the_answer(cli: Run) -> None:
    nfd = unicodedata.normalize("NFD", "Trương Hải Long")
    doc = _json(cli, "person", nfd)
    assert doc["query"] == unicodedata.normalize("NFC", nfd)


# --- every command, every format -----------------------------------------------------------


@pytest.mark.parametrize("command", sorted(COMMANDS))
def test_json_shape(cli: Run, command: str) -> None:
    doc = _json(cli, *COMMANDS[command])
    assert set(doc) == DOCUMENT_KEYS[command]
    if command == "members":
        assert all(set(s) == SEAT_KEYS for s in doc["seats"])
    elif command == "duties":
        assert len(doc["duties"]) == 6 and all(set(d) == DUTY_KEYS for d in doc["duties"])
    elif command == "tasks":
        assert [t["task"] for t in doc["tasks"]] == ["kien-toan-to-cong-tac"]
        assert set(doc["tasks"][0]) == TASK_KEYS
    elif command == "decisions":
        assert [d["decision"] for d in doc["decisions"]] == ["qd-913-2021"]
        assert set(doc["decisions"][0]) == DECISION_KEYS
    elif command == "person":
        person = doc["people"][0]
        assert set(person) == PERSON_KEYS
        assert set(person["seats"][0]) == PERSON_SEAT_KEYS
        assert set(person["positions"][0]) == POSITION_KEYS
    elif command == "history":
        entry = doc["decisions"][0]
        assert set(entry) == ENTRY_KEYS
        assert all(set(c) == CHANGE_KEYS for c in entry["changes"])
    else:
        assert doc["seats"]["total"] == 16
        assert set(doc["tasks"]) == {"open", "overdue"}


@pytest.mark.parametrize("command", sorted(COMMANDS))
def test_yaml_is_the_json_document(cli: Run, command: str) -> None:
    result = cli(*COMMANDS[command], "--format", "yaml", registry=SAMPLE)
    assert result.exit_code == 0, result.output
    assert yaml.safe_load(result.stdout) == _json(cli, *COMMANDS[command])


@pytest.mark.parametrize("command", sorted(COMMANDS))
def test_csv_has_a_header_of_field_names(cli: Run, command: str) -> None:
    result = cli(*COMMANDS[command], "--format", "csv", registry=SAMPLE)
    assert result.exit_code == 0, result.output
    rows = list(csv.reader(io.StringIO(result.stdout)))
    assert rows[0] == CSV_HEADERS[command]
    assert len(rows) > 1
    assert all(len(row) == len(rows[0]) for row in rows)


@pytest.mark.parametrize("command", sorted(COMMANDS))
def test_table_when_piped_is_plain_text(cli: Run, command: str) -> None:
    result = cli(*COMMANDS[command], registry=SAMPLE)
    assert result.exit_code == 0, result.output
    assert "\x1b[" not in result.stdout and "┃" not in result.stdout
    assert "-----" in result.stdout  # the plain table's rule under its headings


def test_members_csv_counts(cli: Run) -> None:
    result = cli("members", "--format", "csv", registry=SAMPLE)
    rows = list(csv.DictReader(io.StringIO(result.stdout)))
    assert len(rows) == 16
    assert rows[0]["holder"] == "Bà Phạm Thị Thanh Trà" and rows[0]["since"] == "30/8/2021"


def test_show_table(cli: Run) -> None:
    result = cli("show", "--as-of", "30/8/2021", registry=SAMPLE)
    assert result.exit_code == 0, result.output
    out = result.stdout
    assert "Trung tâm Thông tin" in out  # standing body
    assert "16 (Trưởng ban 1, Phó Trưởng ban 1, Ủy viên 14)" in out
    assert "QĐ 913/QĐ-BNV" in out and "1 open, 0 overdue" in out
    assert "Tổ công tác giúp việc" in out  # its working group


def test_history_of_the_sample(cli: Run) -> None:
    doc = _json(cli, "history")
    [entry] = doc["decisions"]
    kinds = [c["change"] for c in entry["changes"]]
    assert kinds[0] == "established" and kinds.count("started") == 16
    assert kinds.count("duty-added") == 6 and kinds.count("task-assigned") == 1
    assert entry["changes"][1]["text"] == "Trưởng ban: + Bà Phạm Thị Thanh Trà, Bộ trưởng (từ 30/8/2021)"


# --- choosing the committee ------------------------------------------------------------------


@pytest.mark.parametrize("name", ["bcd-cpdt", "Ban Chỉ đạo", "ban chi dao",
                                  "BAN CHỈ ĐẠO XÂY DỰNG CHÍNH PHỦ ĐIỆN TỬ, CHUYỂN ĐỔI SỐ CỦA BỘ NỘI VỤ"])
def test_committee_by_id_or_name(cli: Run, name: str) -> None:
    assert _json(cli, "members", name)["committee"]["id"] == "bcd-cpdt"


def test_working_group_by_short_name_has_no_seats(cli: Run) -> None:
    doc = _json(cli, "members", "to cong tac")
    assert doc["committee"]["id"] == "to-cong-tac-cpdt" and doc["seats"] == []
    result = cli("members", "to cong tac", "--format", "csv", registry=SAMPLE)
    assert result.stdout.splitlines() == [",".join(CSV_HEADERS["members"])]


def test_two_top_level_committees_need_a_name(cli: Run, sample: Path) -> None:
    (sample / "committees" / "bcd-khac.yaml").write_text(
        "name: Ban Chỉ đạo khác\norganisation: bnv\n", encoding="utf-8")
    result = cli("members", registry=sample)
    assert result.exit_code == 2
    assert "name one" in result.stderr and "bcd-khac" in result.stderr
    assert cli("members", "bcd-cpdt", registry=sample).exit_code == 0


# --- bad arguments: exit 2, a clear message, no traceback ------------------------------------

WITH_COMMITTEE = ["show", "members", "duties", "tasks", "decisions", "history"]


@pytest.mark.parametrize("command", WITH_COMMITTEE)
def test_unknown_committee(cli: Run, command: str) -> None:
    result = cli(command, "bcd-cpd", registry=SAMPLE)
    assert result.exit_code == 2
    assert "no committee 'bcd-cpd' (did you mean 'bcd-cpdt'?)" in result.stderr
    assert "Traceback" not in result.output


@pytest.mark.parametrize("command", sorted(COMMANDS))
@pytest.mark.parametrize("bad", ["2021-02-30", "30-8-2021", "yesterday"])
def test_bad_date(cli: Run, command: str, bad: str) -> None:
    result = cli(*COMMANDS[command], "--as-of", bad, registry=SAMPLE)
    assert result.exit_code == 2
    assert f"error: --as-of: '{bad}' is not a" in result.stderr
    assert "Traceback" not in result.output


@pytest.mark.parametrize("command", sorted(COMMANDS))
def test_bad_format(cli: Run, command: str) -> None:
    result = cli(*COMMANDS[command], "--format", "xml", registry=SAMPLE)
    assert result.exit_code == 2
    assert "xml" in result.stderr


def test_unknown_role(cli: Run) -> None:
    result = cli("members", "--role", "uy-vein", registry=SAMPLE)
    assert result.exit_code == 2
    assert "no role 'uy-vein' in committee 'bcd-cpdt' (did you mean 'uy-vien'?)" in result.stderr


def test_role_of_the_wrong_vocabulary(cli: Run) -> None:
    result = cli("members", "to-cong-tac-cpdt", "--role", "truong-ban", registry=SAMPLE)
    assert result.exit_code == 2 and "to-truong (Tổ trưởng)" in result.stderr


def test_unknown_unit(cli: Run) -> None:
    result = cli("members", "--unit", "Vu Phap chee", registry=SAMPLE)
    assert result.exit_code == 2
    assert "no organisation 'Vu Phap chee'" in result.stderr


def test_unknown_person_suggests(cli: Run) -> None:
    result = cli("person", "truong hai lon", registry=SAMPLE)
    assert result.exit_code == 2
    assert "no person matches 'truong hai lon' (did you mean 'Trương Hải Long'?)" in result.stderr


def test_person_needs_a_query(cli: Run) -> None:
    assert cli("person", registry=SAMPLE).exit_code == 2
    assert cli("person", "  ", registry=SAMPLE).exit_code == 2


def test_tasks_bad_arguments(cli: Run) -> None:
    for args, words in ((["--status", "late"], "late"),
                        (["--due-before", "31/13/2022"], "--due-before"),
                        (["--lead", "Trung tam Thong tinn"], "did you mean 'Trung tâm Thông tin'"),
                        (["--unit", "nowhere"], "no organisation 'nowhere'")):
        result = cli("tasks", *args, registry=SAMPLE)
        assert result.exit_code == 2, args
        assert words in result.stderr, (args, result.stderr)


def test_duties_all_and_decisions_as_of(cli: Run) -> None:
    assert len(_json(cli, "duties", "--all")["duties"]) == 6
    assert _json(cli, "decisions", "--as-of", "29/8/2021")["decisions"] == []
    assert len(_json(cli, "decisions", "--as-of", "30/8/2021")["decisions"]) == 1


def test_invalid_registry_is_refused(cli: Run, sample: Path) -> None:
    (sample / "seats" / "bcd-cpdt-05.yaml").write_text("committee: [unclosed\n", encoding="utf-8")
    result = cli("members", registry=sample)
    assert result.exit_code == 1
    assert "seats/bcd-cpdt-05.yaml" in result.stderr and "committee validate" in result.stderr


def test_filters_on_the_sample(cli: Run) -> None:
    assert len(_json(cli, "members", "--role", "Ủy viên")["seats"]) == 14
    assert [s["seat"] for s in _json(cli, "members", "--unit", "Vụ Pháp chế")["seats"]] == [
        "bcd-cpdt-07"]
    assert len(_json(cli, "members", "--unit", "BNV")["seats"]) == 2  # the two leaders' unit
    assert [t["task"] for t in _json(cli, "tasks", "--lead", "TTTT")["tasks"]] == [
        "kien-toan-to-cong-tac"]
    assert _json(cli, "tasks", "--unit", "bnv-vtccb")["tasks"][0]["coordinators"] == ["bnv-vtccb"]
    assert _json(cli, "tasks", "--overdue")["tasks"] == []  # no deadline, never overdue
    assert _json(cli, "tasks", "--due-before", "2030-01-01")["tasks"] == []


def test_members_of_the_default_registry(cli: Run, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(SAMPLE.parent)  # the repository: its registry/ is found without --registry
    result = cli("members", "--format", "json")
    assert result.exit_code == 0, result.output
    doc = json.loads(result.stdout)
    assert len(doc["seats"]) == 16 and doc["seats"][0]["holder"] == "Bà Phạm Thị Thanh Trà"


@pytest.mark.parametrize("command", sorted(COMMANDS))
def test_table_in_a_terminal_is_rich(cli: Run, command: str, monkeypatch: pytest.MonkeyPatch) -> None:
    import committee_cli.cli.base

    monkeypatch.setattr(committee_cli.cli.base, "is_terminal", lambda stream: True)
    result = cli(*COMMANDS[command], registry=SAMPLE)
    assert result.exit_code == 0, result.output
    assert "━" in result.stdout or "─" in result.stdout  # rich's box drawing
