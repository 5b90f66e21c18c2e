"""The Jinja2 templates that hold the documents' wording: built-in ones, and a registry's own.

A registry may carry ``templates/`` beside its record folders; a template there overrides the
built-in one of the same name (and can still reach it as ``builtin/<name>``). Every template runs
in a sandbox with StrictUndefined: a template error names the template, the line and what is
missing, and never shows a Python traceback.
"""

from __future__ import annotations

import os
import re
import traceback
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import jinja2
from jinja2.sandbox import ImmutableSandboxedEnvironment

from committee_cli import vietnamese
from committee_cli.errors import CommitteeError, ExitCode
from committee_cli.i18n import tr
from committee_cli.render.document import escape

TEMPLATE_SUFFIX = ".j2"


class TemplateProblem(CommitteeError):
    """A template could not be loaded or rendered."""

    exit_code = ExitCode.PROBLEMS


@dataclass(frozen=True)
class TemplateFile:
    """One template's text and where it came from (shown in error messages)."""

    text: str
    origin: str


@dataclass
class TemplateSet:
    """The registry's own templates (by name) over the built-in folder."""

    builtin: Path
    own: dict[str, TemplateFile] = field(default_factory=dict)
    _env: jinja2.Environment | None = field(default=None, init=False, repr=False)

    def environment(self) -> jinja2.Environment:
        """The sandboxed environment, created once."""
        if self._env is None:
            self._env = _environment(self)
        return self._env

    def origin(self, name: str) -> str:
        """Where a template comes from: a registry file, or the built-in folder."""
        own = self.own.get(name)
        if own is not None:
            return own.origin
        return str(self.builtin / name.removeprefix("builtin/"))

    def first_available(self, names: tuple[str, ...]) -> str:
        """The first of ``names`` that the registry or the built-in folder has."""
        for name in names:
            if name in self.own or (self.builtin / name).is_file():
                return name
        raise TemplateProblem(
            tr("no template {names}: add templates/{first} to the registry (the built-in "
               "templates are in {builtin})", names=" or ".join(names), first=names[0],
               builtin=self.builtin))

    def render(self, name: str, context: Mapping[str, Any]) -> str:
        """Render a template to markup; any template error becomes a TemplateProblem."""
        env = self.environment()
        try:
            template = env.get_template(name)
            return template.render(**context)
        except jinja2.TemplateNotFound as exc:
            missing = exc.name if isinstance(exc.name, str) else name
            raise TemplateProblem(
                tr("template {missing} not found: neither the registry's templates/ nor the "
                   "built-in templates in {builtin} have it", missing=missing,
                   builtin=self.builtin)) from None
        except jinja2.TemplateSyntaxError as exc:
            where = exc.name or name
            raise TemplateProblem(tr("template {where}, line {lineno}: {message} ({origin})",
                                     where=where, lineno=exc.lineno, message=exc.message,
                                     origin=self.origin(where))) from None
        except (jinja2.UndefinedError, jinja2.TemplateError) as exc:
            where, line = _template_frame(exc, self)
            message = re.sub(r"'[\w.]+\.(\w+ object)'", r"'\1'", exc.message or type(exc).__name__)
            if message.endswith("is undefined"):
                message += f"; the renderer provides: {', '.join(sorted(context))}"
            raise TemplateProblem(tr("template {where}, line {line}: {message}", where=where or name,
                                     line=line or '?', message=message)) from None
        except (TypeError, ValueError, AttributeError, KeyError, IndexError,
                ZeroDivisionError) as exc:
            where, line = _template_frame(exc, self)
            raise TemplateProblem(tr("template {where}, line {line}: {exc}", where=where or name,
                                     line=line or '?', exc=exc)) from None


def _template_frame(exc: BaseException, templates: TemplateSet) -> tuple[str | None, int | None]:
    """The innermost template and line in an exception's traceback (Jinja rewrites the frames)."""
    by_file = {str(_filename(templates, name)): name for name in _known_names(templates)}
    found: tuple[str | None, int | None] = (None, None)
    for frame in traceback.extract_tb(exc.__traceback__):
        if frame.filename in by_file:
            found = (by_file[frame.filename], frame.lineno)
    return found


def _known_names(templates: TemplateSet) -> list[str]:
    names = list(templates.own)
    if templates.builtin.is_dir():
        for path in templates.builtin.glob(f"*{TEMPLATE_SUFFIX}"):
            names.extend((path.name, f"builtin/{path.name}"))
    return names


def _filename(templates: TemplateSet, name: str) -> str:
    own = templates.own.get(name)
    return own.origin if own is not None else str(templates.builtin / name.removeprefix("builtin/"))


class _OwnLoader(jinja2.BaseLoader):
    """Templates read from a registry (folder or git revision), already in memory."""

    def __init__(self, files: Mapping[str, TemplateFile]) -> None:
        self.files = files

    def get_source(self, environment: jinja2.Environment,
                   template: str) -> tuple[str, str | None, Callable[[], bool] | None]:
        found = self.files.get(template)
        if found is None:
            raise jinja2.TemplateNotFound(template)
        return found.text, found.origin, lambda: True

    def list_templates(self) -> list[str]:
        return sorted(self.files)


def _environment(templates: TemplateSet) -> jinja2.Environment:
    builtin = jinja2.FileSystemLoader(str(templates.builtin), encoding="utf-8")
    loader = jinja2.ChoiceLoader([
        _OwnLoader(templates.own),
        jinja2.PrefixLoader({"builtin": builtin}),
        builtin,
    ])
    env = ImmutableSandboxedEnvironment(
        loader=loader,
        undefined=jinja2.StrictUndefined,
        finalize=_finalize,
        autoescape=False,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    env.filters.update(FILTERS)
    return env


def _finalize(value: Any) -> Any:
    """Every ``{{ value }}`` lands on one markup line, whatever newlines or ``|`` it holds."""
    if isinstance(value, str):
        return escape(typographic_quotes(vietnamese.nfc(value)))
    return value


_OPENS_AFTER = " \t([{\u00a0\u200b"


def typographic_quotes(text: str) -> str:
    """Straight double quotes as the typographic pair: “ after a space or an opening bracket (or
    at the start), ” elsewhere (DOCUMENT-FORMAT.md: no straight quotes in running text)."""
    if '"' not in text:
        return text
    return re.sub('"', lambda m: "\u201c" if m.start() == 0 or text[m.start() - 1] in _OPENS_AFTER
                  else "\u201d", text)


def bind(text: str) -> str:
    """The words of a name, a title or a fixed phrase joined by non-breaking spaces (U+00A0)."""
    return "\u00a0".join(str(text).split(" "))


def bind_phrases(text: str, phrases: list[str]) -> str:
    """``text`` with every one of ``phrases`` in it bound (``bind``), longest first."""
    for phrase in sorted({p for p in phrases if p and " " in p}, key=len, reverse=True):
        text = text.replace(phrase, bind(phrase))
    return text


def lower_first(text: str) -> str:
    """First letter small, the rest untouched (a task title inside a sentence: "Trình …" -> "trình …")."""
    return text[:1].lower() + text[1:] if text else text


def roman(number: int) -> str:
    """``4`` -> ``IV``: chapter and appendix numbers."""
    values = ((1000, "M"), (900, "CM"), (500, "D"), (400, "CD"), (100, "C"), (90, "XC"),
              (50, "L"), (40, "XL"), (10, "X"), (9, "IX"), (5, "V"), (4, "IV"), (1, "I"))
    out = []
    for value, letters in values:
        count, number = divmod(number, value)
        out.append(letters * count)
    return "".join(out)


FILTERS: dict[str, Callable[..., Any]] = {
    "upper": vietnamese.upper,
    "sentence": vietnamese.sentence_case,
    "lower_first": lower_first,
    "long_date": vietnamese.long_date,
    "short_date": vietnamese.short_date,
    "point": vietnamese.point_label,
    "roman": roman,
    "bind": bind,
    "bind_phrases": bind_phrases,
}


def load_templates(builtin: Path, registry_dir: Path | None = None, rev: str | None = None) -> TemplateSet:
    """The templates for a registry: its own ``templates/`` (in the work tree or at ``rev``)
    over the built-in ones."""
    own: dict[str, TemplateFile] = {}
    if registry_dir is not None:
        own = _git_templates(registry_dir, rev) if rev else _dir_templates(registry_dir)
    return TemplateSet(builtin=builtin, own=own)


def _dir_templates(registry_dir: Path) -> dict[str, TemplateFile]:
    folder = registry_dir / "templates"
    if not folder.is_dir():
        return {}
    real_root = os.path.realpath(folder)
    if not real_root.startswith(os.path.realpath(registry_dir) + os.sep):
        return {}  # templates/ linked to a folder outside the registry is not the registry's
    found: dict[str, TemplateFile] = {}
    for path in sorted(folder.iterdir()):
        if not path.name.endswith(TEMPLATE_SUFFIX) or path.name.startswith("."):
            continue
        if not os.path.realpath(path).startswith(real_root + os.sep) or not path.is_file():
            continue  # a symlink out of the registry is not a template of it
        found[path.name] = TemplateFile(_decode(path.read_bytes(), str(path)), str(path))
    return found


def _git_templates(registry_dir: Path, rev: str) -> dict[str, TemplateFile]:
    from committee_cli.store.source import GitSource, git

    source = GitSource(registry_dir, rev)
    prefix = f"{source.prefix}templates/"
    listing = git(source.top, "ls-tree", "-z", source.commit, "--", prefix)
    found: dict[str, TemplateFile] = {}
    for entry in listing.split(b"\0"):
        if not entry:
            continue
        meta, path = entry.split(b"\t", 1)
        kind, blob = meta.split()[1:3]
        name = path.decode("utf-8")[len(prefix):]
        if kind != b"blob" or not name.endswith(TEMPLATE_SUFFIX) or "/" in name:
            continue
        origin = f"{rev}:{prefix}{name}"
        found[name] = TemplateFile(_decode(git(source.top, "cat-file", "blob", blob.decode()),
                                           origin), origin)
    return found


def _decode(data: bytes, origin: str) -> str:
    try:
        return vietnamese.nfc(data.decode("utf-8-sig"))
    except UnicodeDecodeError as exc:
        raise TemplateProblem(tr("template {origin} is not UTF-8 (byte {start}): save it as UTF-8",
                                 origin=origin, start=exc.start)) from None
