"""The rendered pages, read back from both PDF engines with ``pdftotext -bbox``: the foot never
stands alone, nothing in the margins, titles broken by meaning (issue 15; DOCUMENT-FORMAT.md,
"What a văn thư rejects"). The PDFs are made once per module: every golden decision and 913
through the CLI, the .docx files converted by one LibreOffice run."""

from __future__ import annotations

import shutil
from dataclasses import dataclass
from datetime import date
from itertools import pairwise
from pathlib import Path

import pytest
from docx import Document as open_docx

from committee_cli.render.document import Document
from committee_cli.render.documents import decision_document, roster_document
from committee_cli.render.layout import HEADER_SHIFT, NBSP, PAGE, lines
from committee_cli.render.service import open_workspace
from tests.conftest import SAMPLE, Run
from tests.pdf_helpers import Page, need_weasyprint, pages, soffice_pdfs
from tests.render_helpers import FIXTURE, render_file, render_once

DECISIONS = [(SAMPLE, "qd-913-2021")] + [(FIXTURE, d) for d in (
    "qd-05-2020", "qd-120-2021", "qd-121-2021", "qd-300-2021", "qd-du-thao-2022")]
ENGINES = ("libreoffice", "weasyprint")
EDGE = 0.5  # mm: a glyph's box may pass its advance by this much (justified lines)
# Word groups a line must not end inside (names, titles, fixed phrases of the fixtures).
FIXED = ("Bộ Nội vụ", "Bộ Thử nghiệm", "Bộ trưởng", "Ban Chỉ đạo", "chuyển đổi số",
         "Chính phủ điện tử", "Quyết định số", "Phạm Thị Thanh Trà", "Nguyễn Văn An",
         "Trần Thị Bình", "Tổ công tác")


@dataclass
class Rendered:
    """One decision: its document model and its pages in each engine."""

    document: Document
    pages: dict[str, list[Page]]


ROSTER = ("roster", "bcd-cds", "--as-of", "2021-01-15")


def _render(folder: Path, cases: dict[str, tuple[Path, tuple[str, ...]]]) -> dict[str, Rendered]:
    """Render each case (name: registry, ``render`` arguments: a decision or ROSTER) to .docx and
    to PDF (WeasyPrint) through the CLI, then every .docx to PDF in one LibreOffice run; read
    all back."""
    need_weasyprint()
    docx: list[Path] = []
    wp: list[Path] = []
    for name, (registry, args) in cases.items():
        docx.append(render_once(registry, folder / f"{name}.docx", *args))
        wp.append(render_once(registry, folder / f"{name}-wp.pdf", *args))
    lo = soffice_pdfs(docx, folder)
    result: dict[str, Rendered] = {}
    for (name, (registry, args)), lo_pdf, wp_pdf in zip(cases.items(), lo, wp, strict=True):
        workspace = open_workspace(registry)
        reg, templates = workspace.registry, workspace.templates
        document = (decision_document(reg, args[1], templates) if args[0] == "decision" else
                    roster_document(reg, args[1], date.fromisoformat(args[3]), templates))
        result[name] = Rendered(document, {"libreoffice": pages(lo_pdf),
                                           "weasyprint": pages(wp_pdf)})
    return result


@pytest.fixture(scope="module")
def rendered(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Rendered]:
    cases = {d: (r, ("decision", d)) for r, d in DECISIONS} | {"roster": (FIXTURE, ROSTER)}
    return _render(tmp_path_factory.mktemp("layout"), cases)


def _norm(text: str) -> str:
    return " ".join(text.replace(NBSP, " ").split())


def _line_texts(page: Page) -> list[str]:
    return [_norm(" ".join(w.text for w in line)) for line in page.lines()]


def foot_problems(document: Document, doc_pages: list[Page]) -> list[str]:
    """Each section's foot (signing block and recipients) must share its page with at least one
    line of the text before it, and stand on one page."""
    problems: list[str] = []
    for section in document.sections:
        closing = section.closing
        if closing is None or not closing.signer:
            continue
        signer = _norm(closing.signer)
        foot_texts = {_norm(t) for t in [*closing.sign, closing.recipients_heading or ""] if t}
        hits = [n for n, page in enumerate(doc_pages)
                if any(signer in text for text in _line_texts(page))]
        for n in hits:
            page = doc_pages[n]
            rows = page.lines()
            texts = _line_texts(page)
            tops = [min(w.y0 for w in row) for row, text in zip(rows, texts, strict=True)
                    if any(foot in text for foot in foot_texts)]  # Nơi nhận level with BỘ TRƯỞNG
            top = min(tops) if tops else rows[-1][0].y0
            body = [text for row, text in zip(rows, texts, strict=True)
                    if row[-1].y1 < top - 0.5 and row[0].y0 >= PAGE.top - EDGE]
            if not body:
                problems.append(f"page {n + 1}: the foot ({signer}) stands alone")
            if not tops:
                problems.append(f"page {n + 1}: the foot is split from its first lines")
    return problems


@pytest.mark.parametrize("engine", ENGINES)
@pytest.mark.parametrize("decision", [d for _, d in DECISIONS])
def test_last_page_holds_the_end_of_the_last_article(rendered: dict[str, Rendered],
                                                      decision: str, engine: str) -> None:
    doc = rendered[decision]
    assert foot_problems(doc.document, doc.pages[engine]) == []
    main = doc.document.main
    last = main.body[-1].text.split()[-1]  # "này./."
    foot_page = next(p for p in doc.pages[engine] if "Nơi" in p.text() and last in p.text())
    assert main.closing is not None and main.closing.signer
    assert any(_norm(main.closing.signer) in text for text in _line_texts(foot_page))


@pytest.mark.parametrize("engine", ENGINES)
@pytest.mark.parametrize("decision", [*(d for _, d in DECISIONS), "roster"])
def test_no_text_in_the_margins(rendered: dict[str, Rendered], decision: str,
                                engine: str) -> None:
    left, right = PAGE.left - HEADER_SHIFT - EDGE, PAGE.width - PAGE.right + EDGE
    bottom = PAGE.height - PAGE.bottom + EDGE
    for n, page in enumerate(rendered[decision].pages[engine], start=1):
        assert (round(page.width), round(page.height)) == (210, 297)
        for word in page.words:
            where = f"page {n}: {word}"
            assert left <= word.x0 and word.x1 <= right and word.y1 <= bottom, where
            if word.y0 < PAGE.top - EDGE:  # only the page number sits in the top margin
                assert word.text == str(n) or word.text.isdigit(), where
                assert abs((word.x0 + word.x1) / 2 - (PAGE.left + PAGE.width - PAGE.right) / 2) < 3
        for line in page.lines():
            text = " ".join(w.text for w in line)
            if text.startswith("Nơi nhận"):
                assert line[0].x0 >= PAGE.left - EDGE, where
            if "CỘNG" in text:  # the Quốc hiệu: one line, at least 15 mm from the right edge
                assert "VIỆT NAM" in text and PAGE.width - line[-1].x1 >= 15


def page_numbers(doc_pages: list[Page]) -> list[tuple[bool, str | None]]:
    """Per page: whether a document (the decision or an attachment) starts on it (its header's
    Quốc hiệu), and the page number printed in the top margin, if any."""
    result: list[tuple[bool, str | None]] = []
    for page in doc_pages:
        number = " ".join(w.text for w in page.words if w.y1 < PAGE.top - EDGE) or None
        result.append((any("CỘNG HÒA" in t for t in _line_texts(page)), number))
    return result


@pytest.mark.parametrize("engine", ENGINES)
@pytest.mark.parametrize("decision", ["qd-121-2021", "qd-300-2021", "qd-du-thao-2022"])
def test_attachments_are_numbered_from_their_own_first_page(rendered: dict[str, Rendered],
                                                            decision: str, engine: str) -> None:
    """No number above a document's own header; its next pages 2, 3 … (the same in both)."""
    numbers = page_numbers(rendered[decision].pages[engine])
    assert sum(starts for starts, _ in numbers) == len(rendered[decision].document.sections) > 1
    expected: list[tuple[bool, str | None]] = []
    count = 0
    for starts, _ in numbers:
        count = 1 if starts else count + 1
        expected.append((starts, None if starts else str(count)))
    assert numbers == expected


@pytest.mark.parametrize("engine", ENGINES)
@pytest.mark.parametrize(("name", "column"), [("roster", 1), ("qd-300-2021", 4)])
def test_names_and_dates_in_tables_stay_on_one_line(rendered: dict[str, Rendered], name: str,
                                                     column: int, engine: str) -> None:
    """The roster's names and the plan's completion dates: each cell on one line of the page
    (the columns are measured from their text)."""
    doc = rendered[name]
    tables = [b for s in doc.document.sections for b in s.body if b.kind == "table"]
    cells = [_norm(row[column]) for table in tables for row in table.rows[1:] if row[column]]
    assert cells
    texts = [t for page in doc.pages[engine] for t in _line_texts(page)]
    assert [c for c in cells if not any(c in t for t in texts)] == []


def _ends_inside(first: str, second: str) -> str | None:
    """The fixed phrase that a break between the lines ``first`` and ``second`` cuts, if any."""
    a, b = first.split(), second.split()
    for phrase in FIXED:
        words = phrase.split()
        for k in range(1, len(words)):
            if a[-k:] == words[:k] and b[:len(words) - k] == words[k:]:
                return phrase
    if b and b[0][:1].isdigit() and a[-1].casefold() in ("số", "ngày", "tháng", "năm"):
        return f"{a[-1]} {b[0]}"
    return None


@pytest.mark.parametrize("engine", ENGINES)
@pytest.mark.parametrize("decision", [d for _, d in DECISIONS])
def test_titles_break_where_the_layout_breaks_them(rendered: dict[str, Rendered], decision: str,
                                                   engine: str) -> None:
    """The subject and "(Kèm theo …)" lines on the page are the layout's lines, and none ends
    inside a name, a title or a fixed phrase."""
    doc = rendered[decision]
    all_lines = [t for page in doc.pages[engine] for t in _line_texts(page)]
    checked = 0
    for section in doc.document.sections:
        for component in ("subject", "issued_with"):
            text = getattr(section, component)
            if not text:
                continue
            expected = [_norm(line) for line in lines(component, text)]
            start = all_lines.index(expected[0])
            assert all_lines[start:start + len(expected)] == expected
            for first, second in pairwise(expected):
                assert _ends_inside(first, second) is None, (first, second)
            checked += 1
    assert checked >= len(doc.document.sections)


# --- the sweep: 1 … 40 duties put the foot on every place of a page ------------------------

SWEEP_ALL = range(1, 41)
# Without --run-slow: one duty moves the foot 13-15 mm down; one page takes 16 more duties in
# both engines (LibreOffice turns the page at 11/12 and 27/28 duties, WeasyPrint at 15/16 and
# 33/34 with Liberation Serif). Every second count over one whole page, and both sides of each
# turn in that page, puts the foot's top in every 30 mm stretch of the page (the foot is 60 mm).
SWEEP_SPARSE = (1, 11, 12, 14, 15, 16, 18, 20, 22, 24, 26, 27, 28)


def _sweep_registry(folder: Path, duties: int) -> Path:
    """The fixture registry with ``duties`` duties started by the establishing decision."""
    target = folder / f"registry-{duties}"
    shutil.copytree(FIXTURE, target)
    committee = target / "committees" / "bcd-cds.yaml"
    head = committee.read_text(encoding="utf-8").partition("duties:\n")[0]  # the last key
    items = "".join(
        f"  - id: nhiem-vu-{n}\n    text: Chỉ đạo, đôn đốc các đơn vị thuộc Bộ triển khai nhiệm "
        f"vụ chuyển đổi số số {n} theo kế hoạch\n    start:\n      decision: qd-05-2020\n"
        for n in range(1, duties + 1))
    committee.write_text(head + "duties:\n" + items, encoding="utf-8")
    return target


def _sweep(folder: Path, counts: tuple[int, ...] | range) -> list[str]:
    cases = {f"duties-{n}": (_sweep_registry(folder, n), ("decision", "qd-05-2020"))
             for n in counts}
    problems: list[str] = []
    for name, one in _render(folder, cases).items():
        for engine in ENGINES:
            problems += [f"{name}, {engine}, {len(one.pages[engine])} pages: {p}"
                         for p in foot_problems(one.document, one.pages[engine])]
    return problems


def test_sweep_never_leaves_the_foot_alone(tmp_path: Path) -> None:
    assert _sweep(tmp_path, SWEEP_SPARSE) == []


@pytest.mark.slow
def test_full_sweep_never_leaves_the_foot_alone(tmp_path: Path) -> None:
    assert _sweep(tmp_path, SWEEP_ALL) == []


# --- the template's preferred break and non-breaking spaces, in every writer ---------------

def test_preferred_break_and_bound_words_in_every_writer(cli: Run, tmp_path: Path) -> None:
    """A subject carrying U+2028 turns there in .docx and HTML (a space in Markdown); words bound
    by U+00A0 are never split, even where a plain space would be the best place to break."""
    registry = tmp_path / "registry"
    shutil.copytree(FIXTURE, registry)
    decision = registry / "decisions" / "qd-05-2020.yaml"
    subject = ("Về việc thành lập Ban Chỉ đạo\u2028chuyển đổi số của Bộ Thử nghiệm "
               "và các đơn vị trực thuộc")
    text = decision.read_text(encoding="utf-8").replace(
        "subject: Về việc thành lập Ban Chỉ đạo chuyển đổi số của Bộ Thử nghiệm",
        'subject: "Về việc thành lập Ban Chỉ đạo\\Lchuyển đổi số của Bộ\\_Thử\\_nghiệm '
        'và các đơn vị trực thuộc"')
    decision.write_text(text, encoding="utf-8")
    out = {fmt: render_file(cli, registry, tmp_path / f"d.{fmt}", "decision", "qd-05-2020")
           for fmt in ("md", "html", "docx")}
    first, second = "Về việc thành lập Ban Chỉ đạo", (
        "chuyển đổi số của Bộ\u00a0Thử\u00a0nghiệm và các đơn vị trực thuộc")
    assert lines("subject", subject.replace("Bộ Thử nghiệm", "Bộ\u00a0Thử\u00a0nghiệm")) == [
        first, second]
    # the templates bind the committee's name and fixed phrases ("chuyển đổi số") as well
    bound = first.replace("Ban Chỉ đạo", "Ban\u00a0Chỉ\u00a0đạo")
    second = second.replace("chuyển đổi số", "chuyển\u00a0đổi\u00a0số")
    html = out["html"].read_text(encoding="utf-8")
    assert f'<p class="subject"><span>{bound}\n{second}</span></p>' in html
    assert "white-space: pre-line" in html
    paragraphs = [p.text for p in open_docx(str(out["docx"])).paragraphs]
    assert f"{bound}\n{second}" in paragraphs
    assert f"**{bound} {second}**" in out["md"].read_text(encoding="utf-8")
    # bound words: the break that would cut "Bộ Thử nghiệm" goes elsewhere
    bound = lines("subject", "Về việc kiện toàn Ban Chỉ đạo chuyển đổi số và cải cách hành chính "
                  "của Bộ\u00a0Thử\u00a0nghiệm")
    assert all(not line.endswith(("Bộ", "Thử")) for line in bound)
