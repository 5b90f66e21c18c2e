"""Markdown for reviews: the same text as the signed document, with bold and italic where it has them."""

from __future__ import annotations

import re

from committee_cli.render.document import Block, Closing, Document, Header, Section
from committee_cli.render.layout import STYLES, flat

_SPECIAL = re.compile(r"([\\`*_\[\]<>])")


def _escape(text: str) -> str:
    """Markdown-safe, on one line (a template's preferred break is a space here)."""
    return _SPECIAL.sub(r"\\\1", flat(text))


def _cell(text: str) -> str:
    return _escape(text).replace("|", "\\|")


def _styled(component: str, text: str) -> str:
    """``text`` escaped and wrapped in the emphasis the component's style asks for."""
    if not text:
        return ""
    style = STYLES[component]
    marks = ("**" if style.bold else "") + ("*" if style.italic else "")
    return f"{marks}{_escape(text)}{marks[::-1]}"


def _header(header: Header) -> list[str]:
    left = [_styled("parent_body", header.parent_body or ""), _styled("issuer", header.issuer or ""),
            _styled("number", header.number or "")]
    right = [_styled("national", header.national or ""), _styled("motto", header.motto or ""),
             _styled("place_date", header.place_date or "")]
    if not header.parent_body:
        left = [left[1], "", left[2]]
    rows = [f"| {left[0]} | {right[0]} |", "|:---:|:---:|"]
    rows += [f"| {a} | {b} |" for a, b in zip(left[1:], right[1:], strict=True) if a or b]
    return [*rows, ""]


def _block(block: Block) -> list[str]:
    if block.kind == "table":
        head, *rows = block.rows
        lines = ["| " + " | ".join(f"**{_cell(c)}**" if c else "" for c in head) + " |",
                 "|" + "---|" * len(head)]
        lines += ["| " + " | ".join(_cell(c) for c in row) + " |" for row in rows]
        return [*lines, ""]
    if block.kind == "chapter":
        return [_styled("chapter", block.label), "", _styled("chapter_title", block.text), ""]
    if block.kind == "heading":
        return [_styled("heading", f"{block.label} {block.text}".strip()), ""]
    label = block.label
    if label and block.kind == "article":
        label = f"**{_escape(label)}**"
    elif label:
        label = _escape(label)
    return [f"{label} {_escape(block.text)}".strip(), ""]


def _closing(closing: Closing) -> list[str]:
    lines = [_styled("sign", line) + "  " for line in closing.sign]
    if lines:
        lines[-1] = lines[-1].rstrip()
        lines.append("")
    if closing.signer:
        lines += [_styled("signer", closing.signer), ""]
    if closing.recipients_heading:
        lines += [_styled("recipients_heading", closing.recipients_heading), ""]
    lines += [f"- {_escape(r)}" for r in closing.recipients]
    return [*lines, ""] if closing.recipients else lines


def _section(section: Section) -> list[str]:
    lines: list[str] = []
    if section.draft:
        lines += [f"> {_styled('draft', section.draft)}", ""]
    if section.header is not None:
        lines += _header(section.header)
    for component in ("doc_type", "subject", "issued_with", "authority"):
        value = getattr(section, component)
        if value:
            lines += [_styled(component, value), ""]
    for basis in section.bases:
        lines += [_styled("basis", basis), ""]
    if section.proposal:
        lines += [_styled("proposal", section.proposal), ""]
    if section.decides:
        lines += [_styled("decides", section.decides), ""]
    for block in section.body:
        lines += _block(block)
    if section.closing is not None:
        lines += _closing(section.closing)
    return lines


def to_markdown(document: Document) -> str:
    """The document as Markdown; attached documents follow after a rule."""
    parts = ["\n".join(_section(section)).rstrip() + "\n" for section in document.sections]
    return "\n---\n\n".join(parts)
