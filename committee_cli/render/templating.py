"""The Jinja2 templates that hold the documents' wording: built-in ones, and a registry's own.

A registry may carry ``templates/`` beside its record folders; a template there overrides the
built-in one of the same name (and can still reach it as ``builtin/<name>``). Every template runs
in a sandbox with StrictUndefined: a template error names the template, the line and what is
missing, and never shows a Python traceback.
"""

from __future__ import annotations

import contextlib
import functools
import os
import re
import signal
import threading
import time
import traceback
import typing
from collections.abc import Callable, Generator, Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import jinja2
from jinja2 import nodes
from jinja2.compiler import CodeGenerator, Frame
from jinja2.exceptions import SecurityError
from jinja2.runtime import Macro
from jinja2.sandbox import ImmutableSandboxedEnvironment

from committee_cli import vietnamese
from committee_cli.errors import CommitteeError, ExitCode
from committee_cli.i18n import tr
from committee_cli.render.document import escape
from committee_cli.store.source import TEMPLATE_SUFFIX, GitSource, git, registry_template_files

TIMEOUT_ENV = "COMMITTEE_TEMPLATE_TIMEOUT"
DEFAULT_TIMEOUT = 10.0  # seconds of wall time per document rendered from a registry's templates
MAX_OUTPUT = 5_000_000  # characters of one document
MAX_STRING = 1_000_000  # characters of any one value a template builds (*, ~, filters, format)
MAX_NUMBER = 100_000  # a width, count or length given to a filter or a string method
MAX_ITERATIONS = 1_000_000  # steps of every range() of one document together
MAX_DEPTH = 64  # macro calls inside macro calls
# Filters and string methods whose numbers are widths or counts of what they build.
_SIZED = frozenset({"center", "indent", "wordwrap", "truncate", "batch", "slice", "ljust",
                    "rjust", "zfill", "expandtabs"})


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
            if isinstance(env, BoundedEnvironment):
                return env.render_bounded(template, context, template_timeout())
            return template.render(**context)
        except jinja2.TemplateNotFound as exc:
            missing = exc.name if isinstance(exc.name, str) else name
            raise TemplateProblem(
                tr("template {missing} not found: neither the registry's templates/ nor the "
                   "built-in templates in {builtin} have it", missing=missing,
                   builtin=self.builtin)) from None
        except jinja2.TemplateSyntaxError as exc:
            named = exc.name or name
            raise TemplateProblem(tr("template {where}, line {lineno}: {message} ({origin})",
                                     where=named, lineno=exc.lineno, message=exc.message,
                                     origin=self.origin(named))) from None
        except (jinja2.UndefinedError, jinja2.TemplateError) as exc:
            where, line = _template_frame(exc, self)
            message = re.sub(r"'[\w.]+\.(\w+ object)'", r"'\1'", exc.message or type(exc).__name__)
            if message.endswith("is undefined"):
                message += f"; the renderer provides: {', '.join(sorted(context))}"
            raise TemplateProblem(tr("template {where}, line {line}: {message}", where=where or name,
                                     line=line or '?', message=message)) from None
        except (TypeError, ValueError, AttributeError, KeyError, IndexError,
                ZeroDivisionError, OverflowError, RecursionError, MemoryError) as exc:
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
    # a registry's own templates are not trusted: they run with bounds (BoundedEnvironment)
    kind = BoundedEnvironment if templates.own else ImmutableSandboxedEnvironment
    env = kind(
        loader=loader,
        undefined=jinja2.StrictUndefined,
        finalize=_finalize,
        autoescape=False,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
        # (no constant folding: each template is compiled once a run, and the optimiser's pass
        # costs more there, about a sixth of compiling, than it saves in one rendering)
        optimized=False,
    )
    env.filters.update(FILTERS)
    if isinstance(env, BoundedEnvironment):
        env.filters.update({name: _bounded_filter(f) for name, f in env.filters.items()})
        env.globals["range"] = env.bounded_range
    return env


def _finalize(value: Any) -> Any:
    """Every ``{{ value }}`` lands on one markup line, whatever newlines or ``|`` it holds."""
    if isinstance(value, str):
        return escape(typographic_quotes(vietnamese.nfc(value)))
    return value


_OPENS_AFTER = " \t([{\u00a0\u200b\u2028"


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


def without_word(text: str, word: str) -> str:
    """``text`` without ``word`` in front when it already starts with it (case and tones as
    written): a law titled "Luật Tổ chức Chính phủ" is cited "Luật Tổ chức Chính phủ", not
    "Luật Luật …"."""
    prefix = f"{word} ".casefold()
    return text[len(prefix):] if word and text.casefold().startswith(prefix) else text


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
    "without_word": without_word,
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
    return {path.name: TemplateFile(_decode(path.read_bytes(), str(path)), str(path))
            for path in registry_template_files(registry_dir)}


def _git_templates(registry_dir: Path, rev: str) -> dict[str, TemplateFile]:
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


# --- bounds on a registry's own templates -----------------------------------------------------


class TemplateLimit(SecurityError):
    """A registry template went past one of its bounds (time, size, iterations, depth)."""


def template_timeout() -> float:
    """Seconds a document may take: ``COMMITTEE_TEMPLATE_TIMEOUT``, else 10."""
    raw = os.environ.get(TIMEOUT_ENV)
    if not raw:
        return DEFAULT_TIMEOUT
    try:
        seconds = float(raw)
    except ValueError:
        seconds = -1.0
    if not 0 < seconds <= 3600:
        raise CommitteeError(tr("{env}={raw!r} is not a number of seconds between 0 and 3600",
                                env=TIMEOUT_ENV, raw=raw), ExitCode.USAGE)
    return seconds


@dataclass
class _Budget:
    deadline: float
    iterations: int = MAX_ITERATIONS
    depth: int = 0


def _too_big(what: str, limit: int) -> TemplateLimit:
    return TemplateLimit(tr("{what} is larger than {limit:,} (a bound on registry templates)",
                            what=what, limit=limit))


def _check_string(value: Any, what: str) -> None:
    if isinstance(value, str | list | tuple) and len(value) > MAX_STRING:
        raise _too_big(what, MAX_STRING)


_FORMAT_NUMBER = re.compile(r"\d+")


def _check_format(spec: str) -> None:
    """A %- or {}-format whose width or precision is too large, or given as ``*``."""
    for match in re.finditer(r"%[#0 +\-]*(\*|\d+)?(?:\.(\*|\d+))?|\{[^{}]*\}", spec):
        text = match.group()
        if "*" in text and text.startswith("%"):
            raise TemplateLimit(tr("a format width given as * is not allowed in registry "
                                   "templates: write the width"))
        for number in _FORMAT_NUMBER.findall(text):
            if int(number) > MAX_NUMBER:
                raise _too_big(tr("a format width"), MAX_NUMBER)


def _check_arguments(name: str, args: tuple[Any, ...], kwargs: Mapping[str, Any]) -> None:
    for value in (*args, *kwargs.values()):
        if name in _SIZED and isinstance(value, int) and not isinstance(value, bool) \
                and abs(value) > MAX_NUMBER:
            raise _too_big(tr("a width, count or length"), MAX_NUMBER)
        _check_string(value, tr("an argument"))


def _joined_size(parts: Any, separator: Any) -> int:
    try:
        items = list(parts)
    except TypeError:
        return 0
    return sum(len(str(p)) for p in items) + len(str(separator)) * max(len(items) - 1, 0)


def _check_growth(name: str, value: Any, args: tuple[Any, ...]) -> None:
    """Joins and replacements, whose result can be far larger than any argument."""
    if name == "join" and args:
        separator = value if isinstance(value, str) else (args[0] if args else "")
        parts = args[0] if isinstance(value, str) else value
        if _joined_size(parts, separator) > MAX_STRING:
            raise _too_big(tr("a joined text"), MAX_STRING)
    elif name == "replace" and isinstance(value, str) and len(args) >= 2:
        old, new = str(args[0]), str(args[1])
        if len(value) + value.count(old) * len(new) + (len(new) if not old else 0) \
                * (len(value) + 1) > MAX_STRING:
            raise _too_big(tr("a replaced text"), MAX_STRING)


def _bounded_filter(function: Callable[..., Any]) -> Callable[..., Any]:
    """A filter whose parameters are checked (widths, lengths) and whose result is bounded."""
    passes = getattr(function, "jinja_pass_arg", None)
    name = getattr(function, "__name__", "").removeprefix("do_")

    @functools.wraps(function)
    def bounded(*args: Any, **kwargs: Any) -> Any:
        values = args[1:] if passes is not None else args
        value, params = (values[0], values[1:]) if values else (None, ())
        _check_arguments(name, params, kwargs)
        if name == "format" and isinstance(value, str):
            _check_format(value)
        _check_growth(name, value, params)
        result = function(*args, **kwargs)
        _check_string(result, tr("the result of a filter"))
        return result

    if passes is not None:
        bounded.jinja_pass_arg = passes  # type: ignore[attr-defined]
    return bounded


class _BoundedCodeGenerator(CodeGenerator):
    """Compiles ``a ~ b`` to a join whose size is checked first."""

    def visit_Concat(self, node: nodes.Concat, frame: Frame) -> None:
        self.write("environment.bounded_concat((")
        for arg in node.nodes:
            self.visit(arg, frame)
            self.write(", ")
        self.write("))")


class BoundedEnvironment(ImmutableSandboxedEnvironment):
    """The sandbox for a registry's own templates, with bounds on what one document may cost:
    wall time (``COMMITTEE_TEMPLATE_TIMEOUT``, default 10 s), output size, the size of any
    value built (``*``, ``~``, ``%``, ``format``, filters), ``range()`` steps, call depth.
    Going past one is a TemplateLimit, reported with the template and line."""

    code_generator_class = _BoundedCodeGenerator
    intercepted_binops = frozenset({"*", "**", "%", "+"})

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._budget = _Budget(deadline=float("inf"))

    def _tick(self) -> None:
        if time.monotonic() > self._budget.deadline:
            raise TemplateLimit(tr("the document took longer than {seconds:g} s (raise {env} "
                                   "if it must)", seconds=template_timeout(), env=TIMEOUT_ENV))

    def call_binop(self, context: jinja2.runtime.Context, operator: str, left: Any,
                   right: Any) -> Any:
        self._tick()
        if operator == "*":
            for seq, count in ((left, right), (right, left)):
                if isinstance(seq, str | list | tuple) and isinstance(count, int) \
                        and len(seq) * count > MAX_STRING:
                    raise _too_big(tr("a repeated text or list"), MAX_STRING)
        elif operator == "**":
            if isinstance(right, int) and isinstance(left, int) and abs(right) > 64 \
                    and abs(left) > 1:
                raise _too_big(tr("an exponent"), 64)
        elif operator == "%" and isinstance(left, str):
            _check_format(left)
        elif operator == "+":
            if isinstance(left, str | list | tuple) and isinstance(right, str | list | tuple) \
                    and len(left) + len(right) > MAX_STRING:
                raise _too_big(tr("a sum"), MAX_STRING)
        result = super().call_binop(context, operator, left, right)
        _check_string(result, tr("a computed value"))
        return result

    def bounded_concat(self, parts: tuple[Any, ...]) -> str:
        """``a ~ b ~ …`` with its size checked before it is built."""
        self._tick()
        texts = [str(part) for part in parts]
        if sum(len(text) for text in texts) > MAX_STRING:
            raise _too_big(tr("a joined text"), MAX_STRING)
        return "".join(texts)

    def bounded_range(self, *args: int) -> Iterator[int]:
        """``range()`` with at most 100,000 steps, counted against the document's budget."""
        steps = range(*args)
        if len(steps) > MAX_NUMBER:
            raise _too_big(tr("range()"), MAX_NUMBER)
        return self._counted(steps)

    def _counted(self, steps: range) -> Iterator[int]:
        budget = self._budget
        for number in steps:
            budget.iterations -= 1
            if budget.iterations < 0:
                raise _too_big(tr("the number of loop steps"), MAX_ITERATIONS)
            if budget.iterations % 1024 == 0:
                self._tick()
            yield number

    def call(__self, __context: jinja2.runtime.Context, __obj: Any,
             *args: Any, **kwargs: Any) -> Any:
        __self._tick()
        target = getattr(__obj, "__wrapped__", __obj)
        owner = getattr(target, "__self__", None)
        if isinstance(owner, str):  # a string method: widths, joins, replacements, formats
            name = getattr(target, "__name__", "")
            _check_arguments(name, args, kwargs)
            _check_growth(name, owner, args)
            if name in ("format", "format_map"):
                _check_format(owner)
        if not isinstance(__obj, Macro):
            result = super().call(__context, __obj, *args, **kwargs)
            _check_string(result, tr("the result of a call"))
            return result
        budget = __self._budget
        if budget.depth >= MAX_DEPTH:
            raise _too_big(tr("the depth of macro calls"), MAX_DEPTH)
        budget.depth += 1
        try:
            return super().call(__context, __obj, *args, **kwargs)
        finally:
            budget.depth -= 1

    def render_bounded(self, template: jinja2.Template, context: Mapping[str, Any],
                       seconds: float) -> str:
        """Render one document within the bounds (the wall time also by an alarm signal,
        which stops a loop that calls nothing)."""
        self._budget = _Budget(deadline=time.monotonic() + seconds)
        parts: list[str] = []
        size = 0
        with _alarm(seconds, self._tick):
            stream = typing.cast(Generator[str, None, None], template.generate(**context))
            for part in stream:
                size += len(part)
                if size > MAX_OUTPUT:
                    stream.throw(_too_big(tr("the document"), MAX_OUTPUT))
                parts.append(part)
        return "".join(parts)


@contextlib.contextmanager
def _alarm(seconds: float, tick: Callable[[], None]) -> Iterator[None]:
    """Call ``tick`` (which raises once the deadline passed) every 0.25 s of wall time after
    ``seconds``; only in the main thread of a system with SIGALRM (elsewhere the checks in
    the template's calls, operators and ranges remain)."""
    if not hasattr(signal, "setitimer") or threading.current_thread() is not threading.main_thread():
        yield
        return

    def on_alarm(signum: int, frame: Any) -> None:
        tick()

    previous = signal.signal(signal.SIGALRM, on_alarm)
    signal.setitimer(signal.ITIMER_REAL, seconds + 0.01, 0.25)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)
