"""Round-trip editing: only the lines of changed facts change; comments, key order, quoting and
blank lines survive; untouched files stay byte-identical."""

from __future__ import annotations

import difflib
from datetime import date
from pathlib import Path

from committee_cli.model.records import Decision, Duty, Seat
from committee_cli.services import amend, decisions
from committee_cli.services.unit_of_work import UnitOfWork, insert_item, run_change, set_field
from committee_cli.store import yamlio
from tests.amend_helpers import snapshot


def _edited(text: str, edit: object) -> tuple[str, list[str]]:
    document = yamlio.load_round_trip(text)
    edit(document)  # type: ignore[operator]
    out = yamlio.dump_round_trip(document)
    changed = [line for line in difflib.unified_diff(text.splitlines(), out.splitlines(),
                                                     lineterm="", n=0)
               if line[:1] in "+-" and not line.startswith(("+++", "---"))]
    return out, changed


SEAT = """\
# Illustrative unit.
committee: bcd-cpdt
role: uy-vien
order: 3
post: 'Đại diện lãnh đạo'   # quoted by hand
unit: bnv-vp
start:
  decision: qd-913-2021

# The seat it took over:
replaces: bcd-cpdt-99
"""


def test_a_new_key_lands_in_canonical_order_and_comments_stay_put() -> None:
    out, changed = _edited(SEAT, lambda d: set_field(
        d, "end", {"decision": "qd-1050-2022", "date": date(2022, 3, 5)}, Seat))
    assert changed == ["+end:", "+  decision: qd-1050-2022", "+  date: 2022-03-05"]
    lines = out.splitlines()
    assert lines[lines.index("end:") - 1] == "  decision: qd-913-2021"
    assert lines[-3:] == ["", "# The seat it took over:", "replaces: bcd-cpdt-99"]
    assert "post: 'Đại diện lãnh đạo'   # quoted by hand" in lines


def test_changing_and_removing_a_scalar_touch_one_line() -> None:
    _, changed = _edited(SEAT, lambda d: set_field(d, "order", 4, Seat))
    assert changed == ["-order: 3", "+order: 4"]
    _, changed = _edited(SEAT, lambda d: set_field(d, "unit", None, Seat))
    assert changed == ["-unit: bnv-vp"]
    out, _ = _edited(SEAT, lambda d: set_field(d, "replaces", None, Seat))
    assert out.endswith("  decision: qd-913-2021\n\n# The seat it took over:\n")


def test_inserting_a_list_item_keeps_the_next_items_comment_with_it() -> None:
    text = ("duties:\n  - id: a\n    text: A\n    start:\n      decision: x\n"
            "  # About b.\n  - id: b\n    text: B\n    start:\n      decision: x\n")
    out, changed = _edited(text, lambda d: insert_item(
        d["duties"], 1, {"id": "c", "text": "C", "start": {"decision": "y"}}))
    assert changed == ["+  - id: c", "+    text: C", "+    start:", "+      decision: y"]
    assert "      decision: y\n  # About b.\n  - id: b\n" in out
    out, changed = _edited(text, lambda d: set_field(d["duties"][0], "end",
                                                     {"decision": "y"}, Duty))
    assert changed == ["+    end:", "+      decision: y"]
    assert "      decision: y\n  # About b.\n  - id: b\n" in out


def test_values_from_python_are_nfc_and_never_aliases() -> None:
    when = date(2022, 3, 1)

    def edit(document: object) -> None:
        set_field(document, "date", when, Decision)  # type: ignore[arg-type]
        set_field(document, "signature", {"date": when, "fingerprint": "sha256:" + "0" * 64},
                  Decision)  # type: ignore[arg-type]
        set_field(document, "subject", "Về vie\u0302\u0323c", Decision)  # type: ignore[arg-type]

    out, _ = _edited("date: 2022-01-01\nsubject: x\n", edit)
    assert "&" not in out and "*" not in out
    assert "subject: Về việc\n" in out
    assert yamlio.load_text(out, "decisions/x.yaml")["signature"]["date"] == when


def test_an_amendment_leaves_untouched_files_byte_identical(sample: Path) -> None:
    before = snapshot(sample)

    def change(uow: UnitOfWork) -> str:
        decisions.new_decision(uow, kind="change-members", symbol="QĐ-BNV", number=1050,
                               date=date(2022, 3, 1), subject="Về việc kiện toàn",
                               committee="bcd-cpdt", signer="pham-thi-thanh-tra")
        amend.add_person(uow, name="Nguyễn Văn A", honorific="Ông")
        amend.replace_seat(uow, "bcd-cpdt-05", person="nguyen-van-a", decision="qd-1050-2022")
        amend.end_duty(uow, "bcd-cpdt", "nhiem-vu-khac", decision="qd-1050-2022")
        return amend.update_task(uow, "kien-toan-to-cong-tac", status="in-progress",
                                 on=date(2022, 3, 2))

    result = run_change(sample, change)
    assert result.files == {
        "committees/bcd-cpdt.yaml": "modified", "decisions/qd-1050-2022.yaml": "added",
        "people/nguyen-van-a.yaml": "added", "seats/bcd-cpdt-05.yaml": "modified",
        "seats/bcd-cpdt-17.yaml": "added", "tasks/kien-toan-to-cong-tac.yaml": "modified"}
    after = snapshot(sample)
    for rel, data in before.items():
        if rel not in result.files:
            assert after[rel] == data, rel
    task = after["tasks/kien-toan-to-cong-tac.yaml"].decode()
    # The comment above the status stays above it; the history follows in model order.
    assert "# No deadline is given in the public summary, and no later status is recorded " \
        "here.\nstatus: in-progress\nhistory:\n  - date: 2022-03-02\n    status: in-progress\n" \
        in task
