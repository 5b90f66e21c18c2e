"""docs/rendering.md states the layout that committee_cli/render/layout.py applies."""

from __future__ import annotations

import re
from pathlib import Path

from committee_cli.render.layout import BOLD_LABEL, PAGE, STYLES

DOC = Path(__file__).resolve().parent.parent / "docs" / "rendering.md"


def test_component_table_matches_layout() -> None:
    rows = [[cell.strip() for cell in line.strip("|").split("|")]
            for line in DOC.read_text(encoding="utf-8").splitlines() if line.startswith("| ")]
    documented = {row[0]: (float(row[1]), row[2], row[3], row[4])
                  for row in rows if len(row) == 5 and re.fullmatch(r"[\d.]+", row[1])}
    assert set(documented) == set(STYLES)
    words = {"left": "left", "center": "centre", "justify": "justify"}
    for name, style in STYLES.items():
        size, bold, italic, align = documented[name]
        assert size == style.size, name
        assert bold == ("label only" if name in BOLD_LABEL else "yes" if style.bold else ""), name
        assert italic == ("yes" if style.italic else ""), name
        assert align.split(",")[0] == words[style.align], name


def test_margins_and_picture_are_documented() -> None:
    text = DOC.read_text(encoding="utf-8")
    assert (f"top {PAGE.top:g},\nbottom {PAGE.bottom:g}, left {PAGE.left:g}, right {PAGE.right:g} mm"
            in text)
    assert (DOC.parent / "images" / "qd-913-2021-1.png").is_file()
    assert "(images/qd-913-2021-1.png)" in text
