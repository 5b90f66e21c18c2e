"""Rendering as use cases: open the registry (work tree or a git revision), build, write safely."""

from __future__ import annotations

import os
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from committee_cli.bulk import built_in_bulk
from committee_cli.errors import CommitteeError, ExitCode, RegistryInvalid, UsageError
from committee_cli.i18n import tr
from committee_cli.model.records import CONFIG_FILE
from committee_cli.model.registry import Registry
from committee_cli.render.document import Document
from committee_cli.render.documents import decision_document
from committee_cli.render.markdown import to_markdown
from committee_cli.render.pdf import PdfUnavailable, to_pdf
from committee_cli.render.templating import TemplateSet, load_templates
from committee_cli.resources import package_data
from committee_cli.store import RegistryStore
from committee_cli.store.source import REGISTRY_FOLDERS
from committee_cli.store.tempfiles import atomic_write

FORMATS = ("md", "html", "docx", "pdf")
BINARY_FORMATS = frozenset({"docx", "pdf"})
_SUFFIXES = {".md": "md", ".markdown": "md", ".html": "html", ".htm": "html", ".docx": "docx",
             ".pdf": "pdf"}


@dataclass
class Workspace:
    """A registry opened for rendering, with the templates that go with it."""

    registry: Registry
    templates: TemplateSet


def open_workspace(registry_dir: Path, rev: str | None = None) -> Workspace:
    """Load the registry (at ``rev`` from git, work tree untouched) and its templates."""
    result = RegistryStore(registry_dir).load_readable(rev, "render")
    templates = load_templates(package_data("templates"), registry_dir, rev)
    return Workspace(result.registry, templates)


def encode(document: Document, fmt: str) -> bytes:
    """The document in one format, as the bytes of the file."""
    if fmt == "md":
        return to_markdown(document).encode("utf-8")
    if fmt == "html":
        from committee_cli.render.html import to_html

        return to_html(document).encode("utf-8")
    if fmt == "docx":
        # python-docx costs ~0.25 s to import: only the runs that write .docx load it (its
        # modules and classes live until the end: imported without the collector walking them)
        with built_in_bulk():
            from committee_cli.render.docx import to_docx

        return to_docx(document)
    if fmt == "pdf":
        return to_pdf(document)
    raise UsageError(tr("unknown format '{fmt}': use one of {formats}", fmt=fmt,
                        formats=', '.join(FORMATS)))


def choose_format(fmt: str | None, out: str | None) -> str:
    """The format asked for, else the one ``--out``'s suffix names, else Markdown."""
    path = None if out is None or _is_folder(out) else Path(out)
    implied = _SUFFIXES.get(path.suffix.lower()) if path is not None and path.suffix else None
    if fmt is None:
        if path is not None and path.suffix and implied is None:
            raise UsageError(tr("cannot tell the format from '{name}': add --format ({formats}) "
                                "or end --out in .md, .html, .docx or .pdf", name=path.name,
                                formats='|'.join(FORMATS)))
        return implied or "md"
    if path is not None and implied is not None and implied != fmt:
        raise UsageError(tr("--format {fmt} but --out '{out}' ends in {suffix}: make them agree",
                            fmt=fmt, out=out, suffix=path.suffix))
    return fmt


def _is_folder(out: str) -> bool:
    return out.endswith(("/", os.sep)) or Path(out).is_dir()


def target_path(out: str, name: str, fmt: str) -> Path:
    """Where a document goes: ``out`` itself, or ``out/<name>.<fmt>`` when ``out`` is a folder
    (it exists, or ends with ``/``).

    ``name`` is a registry id (safe by rule R011); the result is still checked to stay inside
    the folder the user named, so no id can write elsewhere.
    """
    if _is_folder(out):
        folder = Path(out).resolve()
        target = (folder / f"{name}.{fmt}").resolve()
        if target.parent != folder:
            raise UsageError(tr("'{name}' would be written outside {out}: refusing", name=name,
                                out=out))
        return target
    return Path(out)


def refuse_registry_target(target: Path, registry_dir: Path, shown: Path | None = None) -> None:
    """Refuse to write a document over ``registry.yaml``, a hidden file of the registry, or into
    one of its record folders (which hold only registry files); ``shown`` is named instead."""
    try:
        rel = Path(os.path.realpath(target)).relative_to(os.path.realpath(registry_dir))
    except ValueError:
        return
    parts = rel.parts
    if (len(parts) == 1 and (parts[0] == CONFIG_FILE or parts[0].startswith("."))) or \
            (len(parts) > 1 and parts[0] in REGISTRY_FOLDERS):
        raise UsageError(tr("--out {path} is inside the registry {registry}, where only registry "
                            "files belong: write the document elsewhere", path=shown or target,
                            registry=registry_dir))


def write_file(path: Path, data: bytes) -> None:
    """Write a rendered file atomically; a folder that cannot be written is an IO error."""
    try:
        atomic_write(path, data)
    except OSError as exc:
        raise CommitteeError(tr("cannot write {path}: {strerror}", path=path,
                                strerror=exc.strerror or exc), ExitCode.IO) from None


@dataclass
class BatchResult:
    """What ``render --all`` wrote and what it could not render."""

    written: list[Path] = field(default_factory=list)
    failed: list[tuple[str, str]] = field(default_factory=list)  # (decision id, message)


def render_all(workspace: Workspace, out_dir: Path, fmt: str,
               step: Callable[[str], None] | None = None) -> BatchResult:
    """Render every decision into ``out_dir`` as ``<id>.<fmt>``; one failure does not stop the rest."""
    reg = workspace.registry
    try:
        out_dir.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise CommitteeError(tr("cannot create {out_dir}: {strerror}", out_dir=out_dir,
                                strerror=exc.strerror or exc), ExitCode.IO) from None
    result = BatchResult()
    for decision_id in sorted(reg.decisions, key=lambda d: (reg.decisions[d].date, d)):
        try:
            document = decision_document(reg, decision_id, workspace.templates)
            path = target_path(f"{out_dir}{os.sep}", decision_id, fmt)
            write_file(path, encode(document, fmt))
            result.written.append(path)
        except (PdfUnavailable, RegistryInvalid):
            raise
        except CommitteeError as exc:
            if exc.exit_code == ExitCode.IO:
                raise
            result.failed.append((decision_id, str(exc)))
        if step is not None:
            step(decision_id)
    return result
