"""YAML in and out.

Reading uses libyaml (PyYAML's C parser) with YAML 1.2 scalar rules, so that reading is fast
and means the same as ruamel.yaml's round-trip writer, which edits files keeping comments and
layout. Problems carry the file, line and column; positions of problems found later (in the
models or the rules) are recovered from the composed node tree of that one file only.
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass
from io import StringIO
from typing import Any

import yaml

from committee_cli.errors import Problem
from committee_cli.i18n import tr

MAX_FILE_BYTES = 5 * 1024 * 1024
MAX_DEPTH = 64

_BaseLoader: type = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


class YamlProblem(Exception):
    """A file that cannot be read as registry YAML."""

    def __init__(self, problem: Problem) -> None:
        super().__init__(problem.message)
        self.problem = problem


class _Composer(_BaseLoader):  # type: ignore[misc]
    """libyaml's parser and composer; scalars are resolved by ``_plain`` below, not here."""

    def resolve(self, kind: type, value: str | None, implicit: tuple[bool, bool]) -> str:
        return "tag:yaml.org,2002:str"


# YAML 1.2 core schema (what ruamel.yaml reads), plus dates. A plain scalar is text unless its
# first character can start a null, boolean, number or date.
_SPECIAL_FIRST = frozenset("0123456789+-.~nNtTfF")
_NULLS = frozenset(("~", "null", "Null", "NULL"))
_TRUE = frozenset(("true", "True", "TRUE"))
_FALSE = frozenset(("false", "False", "FALSE"))
_INT = re.compile(r"[-+]?[0-9]+\Z")
_OCT_HEX = re.compile(r"0o[0-7]+\Z|0x[0-9a-fA-F]+\Z")
_FLOAT = re.compile(r"[-+]?(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?)(?:[eE][-+]?[0-9]+)?\Z")
_SPECIAL_FLOAT = {".inf": float("inf"), "+.inf": float("inf"), "-.inf": float("-inf"),
                  ".Inf": float("inf"), ".INF": float("inf"), ".nan": float("nan"),
                  ".NaN": float("nan"), ".NAN": float("nan")}
_DATE = re.compile(r"([0-9]{4})-([0-9]{1,2})-([0-9]{1,2})\Z")


def _plain(node: yaml.ScalarNode, rel: str) -> Any:
    value: str = node.value
    if value[:1] not in _SPECIAL_FIRST:
        return value if value else None
    if value in _NULLS:
        return None
    if value in _TRUE:
        return True
    if value in _FALSE:
        return False
    if _INT.match(value):
        return int(value)
    if _OCT_HEX.match(value):
        return int(value[2:], 8 if value[1] == "o" else 16)
    match = _DATE.match(value)
    if match:
        try:
            return dt.date(int(match[1]), int(match[2]), int(match[3]))
        except ValueError as exc:
            raise YamlProblem(_mark_problem(
                "R004", tr("'{value}' is not a real date ({exc})", value=value, exc=exc), rel,
                node.start_mark)) from None
    if _FLOAT.match(value):
        return float(value)
    return _SPECIAL_FLOAT.get(value, value)


def _build(node: yaml.Node, rel: str) -> Any:
    """Python data from a composed node: dicts, lists, and YAML 1.2 scalars."""
    cls = node.__class__
    if cls is yaml.ScalarNode:
        return node.value if node.style else _plain(node, rel)  # type: ignore[attr-defined, arg-type]
    if cls is yaml.MappingNode:
        mapping: dict[Any, Any] = {}
        for key_node, value_node in node.value:
            if key_node.__class__ is not yaml.ScalarNode:
                raise YamlProblem(_mark_problem(
                    "R001", tr("a mapping key must be a plain value"), rel, key_node.start_mark))
            key = _build(key_node, rel)
            if key in mapping:
                raise YamlProblem(_mark_problem(
                    "R005", tr("duplicate key '{key}': keep one of them", key=key), rel, key_node.start_mark))
            mapping[key] = _build(value_node, rel)
        return mapping
    return [_build(item, rel) for item in node.value]


def _line_col_of_offset(data: bytes, offset: int) -> tuple[int, int]:
    line = data.count(b"\n", 0, offset) + 1
    column = offset - (data.rfind(b"\n", 0, offset) + 1) + 1
    return line, column


def decode(data: bytes, rel: str) -> str:
    """Bytes of a registry file as text: UTF-8 only, a leading BOM dropped."""
    if len(data) > MAX_FILE_BYTES:
        raise YamlProblem(Problem(
            "R006", tr("file is {count:,} bytes; the limit is {max_file_bytes:,}: split it",
                       count=len(data), max_file_bytes=MAX_FILE_BYTES),
            rel))
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line, col = _line_col_of_offset(data, exc.start)
        raise YamlProblem(Problem(
            "R002",
            tr("not UTF-8: byte 0x{data:02x} at byte offset {start}; the registry is UTF-8 only: "
               "re-save the file as UTF-8 (old TCVN3/VNI/Windows-1258 text must be converted)",
               data=data[exc.start], start=exc.start), rel, line, col)) from None
    if text.startswith("\ufeff"):
        text = text[1:]
    return text


def _mark_problem(code: str, message: str, rel: str, mark: Any) -> Problem:
    if mark is None:
        return Problem(code, message, rel)
    return Problem(code, message, rel, mark.line + 1, mark.column + 1)


def _check_structure(text: str, rel: str) -> None:
    """Refuse anchors/aliases (alias bombs) and deep nesting, before building any objects."""
    suspicious = ("&" in text or "*" in text or "!" in text
                  or text.count("[") + text.count("{") > MAX_DEPTH
                  or "\n" + " " * (2 * MAX_DEPTH) in text)
    if not suspicious:
        return
    depth = 0
    for event in yaml.parse(text, Loader=_BaseLoader):
        if isinstance(event, yaml.AliasEvent) or getattr(event, "anchor", None):
            raise YamlProblem(_mark_problem(
                "R007", tr("anchors and aliases (&x, *x) are not allowed in the registry: write "
                           "the value out"), rel, event.start_mark))
        tag = getattr(event, "tag", None)
        if tag and isinstance(event, yaml.NodeEvent) and not getattr(event, "implicit", True):
            if not tag.startswith("tag:yaml.org,2002:"):
                raise YamlProblem(_mark_problem(
                    "R008", tr("tag {tag} is not allowed in the registry: remove it", tag=tag), rel,
                    event.start_mark))
        if isinstance(event, yaml.CollectionStartEvent):
            depth += 1
            if depth > MAX_DEPTH:
                raise YamlProblem(_mark_problem(
                    "R006", tr("nested deeper than {max_depth} levels: registry files are "
                               "shallow; this is not a registry file", max_depth=MAX_DEPTH),
                    rel, event.start_mark))
        elif isinstance(event, yaml.CollectionEndEvent):
            depth -= 1


def load_text(text: str, rel: str) -> Any:
    """Parse one registry file; raise YamlProblem (R001, R006–R008) with line and column."""
    if "\t" in text:
        for lineno, line in enumerate(text.splitlines(), 1):
            stripped = line.lstrip(" ")
            if stripped.startswith("\t"):
                raise YamlProblem(Problem(
                    "R001", tr("tab used for indentation: YAML indents with spaces only"), rel,
                    lineno, len(line) - len(stripped) + 1))
    try:
        _check_structure(text, rel)
        composer = _Composer(text)
        try:
            node = composer.get_single_node()
        finally:
            composer.dispose()
        return None if node is None else _build(node, rel)
    except YamlProblem:
        raise
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        what = exc.problem or "malformed YAML"
        if exc.context and exc.problem:
            what = f"{exc.context}: {exc.problem}"
        code = "R001"
        if "nesting depth" in what:
            code, what = "R006", f"nested too deeply ({what}): this is not a registry file"
        raise YamlProblem(_mark_problem(code, f"{what}; fix the YAML syntax here"
                                        if code == "R001" else what, rel, mark)) from None
    except yaml.YAMLError as exc:
        raise YamlProblem(Problem("R001", tr("malformed YAML: {exc}", exc=exc), rel)) from None
    except RecursionError:
        raise YamlProblem(Problem("R006", tr("nested too deeply to read"), rel)) from None


def non_nfc_lines(text: str) -> Iterator[tuple[int, int, str]]:
    """(line, column, snippet) of every line that is not NFC."""
    if text.isascii() or unicodedata.is_normalized("NFC", text):
        return
    for lineno, line in enumerate(text.splitlines(), 1):
        if unicodedata.is_normalized("NFC", line):
            continue
        column = next((i + 1 for i, ch in enumerate(line) if unicodedata.combining(ch)), 1)
        # point at the letter the combining mark belongs to
        yield lineno, max(1, column - 1), line.strip()[:60]


# --- locating a path in a file --------------------------------------------------------------


@dataclass(frozen=True)
class Position:
    """A 1-based line and column."""

    line: int
    column: int


class Locator:
    """Positions of paths in one YAML text, composed once for all the problems of a file.

    Mappings are indexed on first use, so locating n problems costs one parse plus O(n · depth),
    not n parses (a hostile file with thousands of errors stays fast).
    """

    def __init__(self, text: str) -> None:
        self.node: yaml.Node | None = None
        self.ok = True
        try:
            composer = _Composer(text)
            try:
                self.node = composer.get_single_node()
            finally:
                composer.dispose()
        except (yaml.YAMLError, RecursionError):
            self.ok = False
        self._keys: dict[int, dict[str, tuple[yaml.Node, yaml.Node]]] = {}

    def _entries(self, node: yaml.MappingNode) -> dict[str, tuple[yaml.Node, yaml.Node]]:
        entries = self._keys.get(id(node))
        if entries is None:
            entries = {}
            for key_node, value_node in node.value:
                entries.setdefault(str(key_node.value), (key_node, value_node))
            self._keys[id(node)] = entries
        return entries

    def __call__(self, path: tuple[str | int, ...], *, key: bool = False) -> Position | None:
        """Line and column of ``path`` (the deepest part of it that exists); with ``key=True``
        the position of the last mapping key (for unknown fields)."""
        if not self.ok:
            return None
        node = self.node
        if node is None:
            return Position(1, 1)
        position = Position(node.start_mark.line + 1, node.start_mark.column + 1)
        for step_index, step in enumerate(path):
            found = None
            if isinstance(node, yaml.MappingNode):
                entry = self._entries(node).get(str(step))
                if entry is not None:
                    key_node, found = entry
                    last = step_index == len(path) - 1
                    scalar = isinstance(found, yaml.ScalarNode)
                    target = key_node if (key and last) or not scalar else found
                    position = Position(target.start_mark.line + 1, target.start_mark.column + 1)
            elif isinstance(node, yaml.SequenceNode) and isinstance(step, int):
                if 0 <= step < len(node.value):
                    found = node.value[step]
                    position = Position(found.start_mark.line + 1, found.start_mark.column + 1)
            if found is None:
                break
            node = found
        return position


def locate(text: str, path: tuple[str | int, ...], *, key: bool = False) -> Position | None:
    """Line and column of ``path`` in a YAML text (the deepest part of it that exists).

    With ``key=True`` the position of the last mapping key is returned (for unknown fields).
    To locate several paths in one text, use one :class:`Locator`.
    """
    return Locator(text)(path, key=key)


# --- writing -------------------------------------------------------------------------------


def round_trip_yaml() -> Any:
    """A fresh ruamel.yaml round-trip instance with the registry's canonical settings."""
    # ruamel.yaml costs ~70 ms to import; reading uses libyaml, so only the runs that write
    # (or print YAML) load it
    from ruamel.yaml import YAML

    rt = YAML()
    rt.preserve_quotes = True
    rt.width = 4096
    rt.indent(mapping=2, sequence=4, offset=2)
    rt.allow_unicode = True
    rt.explicit_start = False
    return rt


def load_round_trip(text: str) -> Any:
    """Load text for editing, keeping comments, order and quoting."""
    return round_trip_yaml().load(text)


def dump_round_trip(document: Any) -> str:
    """Serialise an edited document (a fresh YAML instance each time; see YAML-FACTS)."""
    stream = StringIO()
    round_trip_yaml().dump(document, stream)
    return stream.getvalue()
