"""``store.loader.LazyTexts.changed``: the files of a state after a change, from the files
before it, as gathering them anew gives."""

from __future__ import annotations

from committee_cli.store.loader import LazyTexts


class _Source:
    def read(self, rel: str) -> bytes:
        return f"name: {rel}\n".encode()


def test_a_change_adds_and_removes_files_as_gathering_them_anew_does() -> None:
    before = LazyTexts(_Source(), ["people/a.yaml", "seats/b.yaml", "seats/c.yaml"])  # type: ignore[arg-type]
    after = before.changed(_Source(), {"seats/b.yaml": None, "seats/d.yaml": "x",  # type: ignore[arg-type]
                                       "people/a.yaml": "changed"})
    again = LazyTexts(_Source(), sorted(["people/a.yaml", "seats/c.yaml", "seats/d.yaml"]))  # type: ignore[arg-type]
    assert list(after) == list(again) and len(after) == len(again) == 3
    assert "seats/b.yaml" not in after and after["seats/d.yaml"] == "name: seats/d.yaml\n"
    assert "seats/b.yaml" in before and len(before) == 3  # (the files before are left as they were)
