"""Checks shared by the wording tests (test_issuers.py, test_bodies.py): a document's text without
layout marks, doubled words in the lines a văn thư reads first, golden Markdown, and the .docx
read back for the same texts."""

from __future__ import annotations

import os
import re
from pathlib import Path
from typing import Any

from docx import Document as open_docx

from committee_cli.render.documents import decision_document
from committee_cli.render.service import open_workspace


def plain(text: str) -> str:
    """Text without the layout marks (non-breaking spaces bind phrases; U+200B a preferred break)."""
    return text.replace("\u00a0", " ").replace("\u200b", "").replace("\u2028", "")


def _words(line: str) -> list[str]:
    return re.findall(r"\w+", plain(line).casefold())


def doubled(line: str) -> str | None:
    """A run of 1–4 words said twice in a row ("THỦ TƯỚNG THỦ TƯỚNG …"), else None."""
    words = _words(line)
    for size in range(1, 5):
        for at in range(len(words) - 2 * size + 1):
            if words[at:at + size] == words[at + size:at + 2 * size]:
                return " ".join(words[at:at + 2 * size])
    return None


def executing_articles(markdown: str) -> list[int]:
    """The numbers of the articles that say who executes the decision ("… chịu trách nhiệm
    thi hành Quyết định này")."""
    return [int(n) for n, rest in re.findall(r"Điều (\d+)\.\**\s*(.*)", plain(markdown))
            if "thi hành Quyết định này" in rest]


def document_of(registry: Path, decision: str) -> Any:
    """The rendered Document of one decision, through the library (for its parts)."""
    workspace = open_workspace(registry)
    return decision_document(workspace.registry, decision, workspace.templates)


def assert_no_doubled_word(document: Any, decision: str) -> None:
    """Header, authority line, căn cứ, signing blocks, "issued with" lines and the execution
    article of every section say no word twice in a row ("Luật Luật …", "Bộ trưởng Bộ trưởng")."""
    for section in document.sections:
        lines = [section.authority or "", *section.bases, section.proposal or "",
                 *(section.closing.sign if section.closing else [])]
        if section.header is not None:
            lines += [section.header.parent_body or "", section.header.issuer or ""]
        lines += [" ".join(section.closing.sign)] if section.closing else []
        lines += [section.issued_with or ""]
        for line in lines:
            assert doubled(line) is None, f"{decision}: {line!r} doubles {doubled(line)!r}"
    execution = [b.text for b in document.main.body if b.kind == "article"][-1]
    assert doubled(execution) is None, execution
    recipients = getattr(document.main.closing, "recipients", [])
    assert all(not re.search(r"[;.]{2}$", r) for r in recipients), recipients


def assert_golden(text: str, path: Path) -> None:
    """``text`` equals the golden file (``UPDATE_GOLDEN=1`` writes it: review the diff)."""
    if os.environ.get("UPDATE_GOLDEN"):
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    assert path.is_file(), f"no golden file {path}: run with UPDATE_GOLDEN=1 to create it"
    assert text == path.read_text(encoding="utf-8"), (
        f"{path.name} changed: if intended, refresh with UPDATE_GOLDEN=1 and review the diff")


def docx_text(path: Path) -> str:
    """Every paragraph of a .docx, body then table cells, without layout marks."""
    doc = open_docx(str(path))
    texts = [p.text for p in doc.paragraphs]
    for table in doc.tables:
        for row in table.rows:
            for cell in row.cells:
                texts.extend(p.text for p in cell.paragraphs)
    return plain("\n".join(texts))


def assert_docx_says(document: Any, path: Path, decision: str) -> None:
    """Every line of the document's text (table cells one by one) is in the .docx at ``path``."""
    written = " ".join(docx_text(path).split())  # a chapter's label and title are two paragraphs
    for line in plain(document.text()).splitlines():
        line = " ".join(line.removeprefix("- ").split())
        if " | " in line:
            for cell in line.split(" | "):
                cell = cell.strip()
                assert cell in written, f"{decision}: table cell {cell!r} not in the .docx"
        else:
            assert line in written, f"{decision}: {line!r} not in the .docx"
