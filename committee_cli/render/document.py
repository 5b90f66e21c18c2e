"""The document model every writer renders, and the line markup the templates produce.

A template (``templates/*.j2``) renders to lines of the form ``@key text`` or ``@key[label] text``;
a line that does not start with ``@`` continues the previous one. ``parse_markup`` turns those
lines into a ``Document``: the decision itself and any attached documents (Quy chế, Kế hoạch),
each a ``Section``. The markup carries the words; the writers decide how each part looks.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date

from committee_cli.errors import CommitteeError, ExitCode
from committee_cli.i18n import tr
from committee_cli.render.layout import LINE_BREAK

# Body blocks, in the order a decision or an attached document may use them.
BODY_KINDS = ("chapter", "heading", "article", "clause", "point", "para", "table", "row")


@dataclass
class Header:
    """The header table: issuing body (left) and Quốc hiệu with motto (right)."""

    parent_body: str | None = None
    issuer: str | None = None
    number: str | None = None
    national: str | None = None
    motto: str | None = None
    place_date: str | None = None


@dataclass
class Block:
    """One paragraph of the body: an article, clause, point, chapter, plain paragraph or table."""

    kind: str
    text: str = ""
    label: str = ""
    rows: list[list[str]] = field(default_factory=list)  # tables: the heading row first


@dataclass
class Closing:
    """The foot of a document: recipients (left) and the signing block (right)."""

    recipients_heading: str | None = None
    recipients: list[str] = field(default_factory=list)
    sign: list[str] = field(default_factory=list)  # authority lines, upper case
    signer: str | None = None


@dataclass
class Section:
    """A document (the decision, or an attachment issued with it) from header to signature."""

    header: Header | None = None
    draft: str | None = None
    doc_type: str | None = None
    subject: str | None = None
    issued_with: str | None = None
    authority: str | None = None
    bases: list[str] = field(default_factory=list)
    proposal: str | None = None
    decides: str | None = None
    body: list[Block] = field(default_factory=list)
    closing: Closing | None = None


@dataclass
class Document:
    """A rendered document: the main section and its attachments, and the template it came from."""

    template: str
    name: str = "document"  # the file stem it is written as: the decision id, roster-<committee>
    sections: list[Section] = field(default_factory=list)
    author: str | None = None  # the issuing body's name, for the file's properties
    created: date | None = None  # the decision's date (a list's as-of date)

    @property
    def main(self) -> Section:
        """The first section (the decision itself)."""
        return self.sections[0]

    def text(self) -> str:
        """Every word of the document in reading order, one paragraph a line (for tests, search)."""
        lines: list[str] = []
        for section in self.sections:
            lines.extend(_section_lines(section))
        return "\n".join(lines).replace(LINE_BREAK, " ")


def _section_lines(section: Section) -> list[str]:
    lines: list[str] = []
    if section.draft:
        lines.append(section.draft)
    header = section.header
    if header is not None:
        lines.extend(v for v in (header.parent_body, header.issuer, header.national, header.motto,
                                 header.number, header.place_date) if v)
    lines.extend(v for v in (section.doc_type, section.subject, section.issued_with,
                             section.authority) if v)
    lines.extend(section.bases)
    lines.extend(v for v in (section.proposal, section.decides) if v)
    for block in section.body:
        if block.kind == "table":
            lines.extend(" | ".join(row) for row in block.rows)
        else:
            lines.append(f"{block.label} {block.text}".strip())
    closing = section.closing
    if closing is not None:
        lines.extend(closing.sign)
        if closing.signer:
            lines.append(closing.signer)
        if closing.recipients_heading:
            lines.append(closing.recipients_heading)
        lines.extend(f"- {r}" for r in closing.recipients)
    return lines


# --- the markup ---------------------------------------------------------------------------

_LINE = re.compile(r"^@(?P<key>[a-z][a-z-]*)(?:\[(?P<label>[^\]]*)\])?(?:[ \t]+(?P<text>.*))?$")
_HEADER_KEYS = {"parent-body": "parent_body", "issuer": "issuer", "number": "number",
                "national": "national", "motto": "motto", "place-date": "place_date"}
_TITLE_KEYS = {"draft": "draft", "type": "doc_type", "subject": "subject",
               "issued-with": "issued_with", "authority": "authority", "proposal": "proposal",
               "decides": "decides"}
_CLOSING_KEYS = ("recipients", "recipient", "sign", "signer")
KEYS = frozenset({*_HEADER_KEYS, *_TITLE_KEYS, *BODY_KINDS, *_CLOSING_KEYS, "basis", "attachment"})


_ASCII_SPACE = re.compile(r"[ \t\r\n]+")
_BLANK = " \t\r"  # what a markup line is stripped of (never U+00A0 or U+2028)


class MarkupError(CommitteeError):
    """A template produced a line the document model does not know."""

    exit_code = ExitCode.PROBLEMS


def escape(text: str) -> str:
    """Make a value safe inside one markup line: newlines become spaces, ``\\`` and ``|`` escaped.

    Only ASCII white space is folded: a non-breaking space and a LINE_BREAK are the layout's."""
    flat = _ASCII_SPACE.sub(" ", text).strip(" ") if ("\n" in text or "\r" in text) else text
    return flat.replace("\\", "\\\\").replace("|", "\\|")


def _unescape(text: str) -> str:
    return re.sub(r"\\(.)", r"\1", text)


def _cells(text: str) -> list[str]:
    return [_unescape(cell).strip(_BLANK) for cell in re.split(r"(?<!\\)\|", text)]


def _lines(markup: str, template: str) -> list[tuple[int, str, str, str]]:
    """(output line, key, label, text) per item, continuation lines joined with a space."""
    items: list[tuple[int, str, str, str]] = []
    for number, raw in enumerate(markup.split("\n"), start=1):  # not splitlines(): U+2028 stays
        line = raw.strip(_BLANK)
        if not line:
            continue
        if not line.startswith("@"):
            if not items:
                raise MarkupError(tr("template {template}: output line {number} ('{line}') comes "
                                     "before any @key line: start it with @para or another key",
                                     template=template, number=number, line=line[:40]))
            n, key, label, text = items[-1]
            items[-1] = (n, key, label, f"{text} {line}".strip(_BLANK))
            continue
        match = _LINE.match(line)
        if match is None or match["key"] not in KEYS:
            key = match["key"] if match else line.split()[0]
            raise MarkupError(tr("template {template}: output line {number} has the unknown key "
                                 "'{key}'; known keys: {sorted}", template=template, number=number,
                                 key=key, sorted=', '.join(sorted(KEYS))))
        items.append((number, match["key"], match["label"] or "", match["text"] or ""))
    return items


def parse_markup(markup: str, template: str, name: str = "document") -> Document:
    """Turn a template's output into a Document; an unknown or misplaced line is a MarkupError."""
    document = Document(template=template, name=name, sections=[Section()])
    for number, key, label, raw_text in _lines(markup, template):
        section = document.sections[-1]
        if key == "attachment":
            document.sections.append(Section())
            continue
        if key in ("table", "row"):
            _table_line(section, key, raw_text, template, number)
            continue
        text = _unescape(raw_text)
        if key in _HEADER_KEYS:
            if section.header is None:
                section.header = Header()
            setattr(section.header, _HEADER_KEYS[key], text)
        elif key in _TITLE_KEYS:
            setattr(section, _TITLE_KEYS[key], text)
        elif key == "basis":
            section.bases.append(text)
        elif key in _CLOSING_KEYS:
            closing = section.closing = section.closing or Closing()
            if key == "recipients":
                closing.recipients_heading = text
            elif key == "recipient":
                closing.recipients.append(text)
            elif key == "sign":
                closing.sign.append(text)
            else:
                closing.signer = text
        else:
            section.body.append(Block(kind=key, text=text, label=_unescape(label)))
    return document


def _table_line(section: Section, key: str, text: str, template: str, number: int) -> None:
    if key == "table":
        section.body.append(Block(kind="table", rows=[_cells(text)]))
        return
    table = section.body[-1] if section.body else None
    if table is None or table.kind != "table":
        raise MarkupError(tr("template {template}: output line {number}: @row outside a table: "
                             "put @table with the column headings first", template=template,
                             number=number))
    cells = _cells(text)
    width = len(table.rows[0])
    if len(cells) != width:
        raise MarkupError(tr("template {template}: output line {number}: @row has {count} cells, "
                             "the table has {width} columns", template=template, number=number,
                             count=len(cells), width=width))
    table.rows.append(cells)
