"""docs/queries.md stays true: every JSON field, every option and the sample examples."""

from __future__ import annotations

import dataclasses
import re
from pathlib import Path

import pytest
import typer.main

from committee_cli.cli.app import app
from committee_cli.queries import (
    Change,
    DecisionRow,
    DutyRow,
    HistoryEntry,
    Member,
    Overview,
    PersonRecord,
    TaskRow,
)
from committee_cli.queries.people import PersonSeat, PositionRow
from tests.conftest import ROOT, SAMPLE, Run

DOC = (ROOT / "docs" / "queries.md").read_text(encoding="utf-8")
SHAPES = {"show": Overview, "members.seat": Member, "duties.duty": DutyRow, "tasks.task": TaskRow,
          "decisions.decision": DecisionRow, "person.person": PersonRecord,
          "person.position": PositionRow, "person.seat": PersonSeat,
          "history.entry": HistoryEntry, "history.change": Change}
QUERIES = ["show", "members", "duties", "tasks", "decisions", "person", "history"]


def _documented_fields(shape: str) -> list[str]:
    block = DOC.split(f"<!-- shape: {shape} -->", 1)[1].split("\n\n", 1)[0]
    names: list[str] = []
    for line in block.splitlines()[3:]:  # after the marker, heading and rule lines
        first_cell = line.split("|")[1]
        names += re.findall(r"`([a-z_]+)`", first_cell)
    return names


@pytest.mark.parametrize("shape", sorted(SHAPES))
def test_every_json_field_is_documented(shape: str) -> None:
    fields = [f.name for f in dataclasses.fields(SHAPES[shape])]
    assert sorted(_documented_fields(shape)) == sorted(fields)


@pytest.mark.parametrize("name", QUERIES)
def test_every_option_is_documented(name: str) -> None:
    command = typer.main.get_command(app).commands[name]  # type: ignore[attr-defined]
    assert f"## `committee {name}" in DOC
    section = DOC.split(f"## `committee {name}", 1)[1].split("\n## ", 1)[0]
    for param in command.params:
        for option in getattr(param, "opts", []):
            if option.startswith("--") and option != "--help" and option not in ("--as-of",
                                                                                 "--format"):
                assert option in section, f"{name}: {option} is not in docs/queries.md"
    assert "--as-of" in DOC and "--format" in DOC


def test_the_console_examples_are_true(cli: Run) -> None:
    example = DOC.split("```console\n", 1)[1].split("```", 1)[0]
    csv_lines = example.split('$ committee person "truong hai long" --format csv\n', 1)[1]
    expected = [line for line in csv_lines.splitlines() if not line.startswith("$")][:3]
    result = cli("person", "truong hai long", "--format", "csv", registry=SAMPLE)
    assert result.stdout.splitlines() == expected
    before = cli("members", "--as-of", "29/8/2021", "--format", "csv", registry=SAMPLE)
    assert len(before.stdout.splitlines()) == 1


def test_docs_are_linked_from_the_help() -> None:
    assert (Path(ROOT) / "docs" / "queries.md").is_file()
    assert "docs/queries.md" in " ".join(
        str(getattr(p, "help", "")) for p in
        typer.main.get_command(app).commands["members"].params)  # type: ignore[attr-defined]
