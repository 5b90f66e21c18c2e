"""A registry file as lines of facts in words, for git's textconv (``git diff`` on YAML)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from pydantic import ValidationError

from committee_cli.model.records import CONFIG_FILE, FOLDER_KIND, KINDS, Record, RegistryConfig
from committee_cli.model.registry import Registry
from committee_cli.queries.content import decision_content
from committee_cli.rules.registry_rules import references
from committee_cli.services.validation import open_registry
from committee_cli.store.loader import parse_file
from committee_cli.vietnamese import short_citation


def _kind_of(path: Path, data: dict[str, Any]) -> tuple[str, type[Record]] | None:
    folder = path.parent.name
    if folder in FOLDER_KIND:
        kind = FOLDER_KIND[folder]
        return kind, KINDS[kind][1]
    if path.name == CONFIG_FILE:
        return "registry", RegistryConfig
    for kind, (_, model) in KINDS.items():  # git passes old blobs as temp files: guess
        try:
            model.model_validate(data)
        except ValidationError:
            continue
        return kind, model
    return None


def _name_of(reg: Registry, kind: str, rid: str) -> str | None:
    record = reg.table(kind).get(rid)
    if record is None:
        return None
    if kind == "person":
        return f"{record.honorific} {record.name}"  # type: ignore[attr-defined]
    if kind == "decision":
        return short_citation(record.number, record.symbol)  # type: ignore[attr-defined]
    if kind == "legal-basis":
        return f"{record.kind} {record.number}"  # type: ignore[attr-defined]
    if kind == "seat":
        return None
    return getattr(record, "name", None)


def _flatten(prefix: str, value: Any, out: list[tuple[str, Any]]) -> None:
    if isinstance(value, dict):
        for key, sub in value.items():
            _flatten(f"{prefix}.{key}" if prefix else str(key), sub, out)
    elif isinstance(value, list):
        for i, sub in enumerate(value):
            _flatten(f"{prefix}[{i + 1}]", sub, out)
    else:
        out.append((prefix, value))


def describe_file(path: Path, registry_root: Path | None) -> str:
    """The file's facts, one per line, with ids followed by the names they stand for."""
    raw = path.read_bytes()
    text, data, _problems = parse_file(path.name, raw)
    if data is None:
        return text  # unreadable: show it as it is
    found = _kind_of(path, data)
    if found is None:
        return text
    kind, model = found
    try:
        record = model.model_validate(data)
    except ValidationError:
        return text
    # git runs this once per changed file: the cached records make each run cheap
    context = open_registry(registry_root).registry if registry_root else None
    record_id = path.name.rsplit("_", 1)[-1].removesuffix(".yaml")
    names: dict[str, str] = {}
    if context is not None and kind != "registry":
        context.table(kind)[record_id] = record
        for ref_kind, rid, ref_path, target, value in references(context):
            if ref_kind == kind and rid == record_id:
                name = _name_of(context, target, value)
                if name:
                    names[".".join(str(p) if isinstance(p, str) else f"[{p + 1}]"
                                   for p in ref_path).replace(".[", "[")] = name
    lines = [f"# {kind} {record_id}"]
    flat: list[tuple[str, Any]] = []
    _flatten("", record.model_dump(exclude_defaults=True, mode="json"), flat)
    for key, value in flat:
        shown = f"{value}"
        if key in names:
            shown += f" ({names[key]})"
        lines.append(f"{key}: {shown}")
    if context is not None and kind == "decision":
        lines.extend(decision_change_lines(context, record_id))
    return "\n".join(lines) + "\n"


def decision_change_lines(reg: Registry, decision_id: str) -> list[str]:
    """What a decision changed, one line per change, as its content states it (the same
    pairing as history and diff): ``change: replace bcd-cpdt-17 (thay bcd-cpdt-05)``."""
    lines: list[str] = []
    for item in decision_content(reg, decision_id).changes:
        holder = item.seat.name or " ".join(x for x in (item.seat.post, item.seat.unit) if x)
        previous = f", thay {item.previous.key}" if item.previous else ""
        lines.append(f"change: {item.kind} {item.key} ({item.seat.role}: {holder}{previous})")
    return lines
