"""``committee schema`` and ``committee init``: JSON Schema of the file kinds, new registries."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from committee_cli import __version__
from committee_cli.errors import UsageError
from committee_cli.i18n import tr
from committee_cli.model.records import CONFIG_FILE, KINDS, SCHEMA_VERSION, RegistryConfig
from committee_cli.store.transaction import write_files

SCHEMA_FOLDER = "schema"


def schemas() -> dict[str, dict[str, Any]]:
    """JSON Schema (draft 2020-12) of every file kind, generated from the models."""
    result: dict[str, dict[str, Any]] = {}
    kinds: list[tuple[str, Any]] = [("registry", RegistryConfig)]
    kinds += [(kind, model) for kind, (_, model) in KINDS.items()]
    for kind, model in kinds:
        schema = model.model_json_schema(mode="validation")
        schema["$schema"] = "https://json-schema.org/draft/2020-12/schema"
        schema["$id"] = f"urn:committee-cli:{SCHEMA_VERSION}:{kind}"
        schema.setdefault("description", f"committee-cli registry format {SCHEMA_VERSION}")
        result[kind] = schema
    return result


def schema_file(kind: str) -> str:
    """Where ``init`` puts the schema of a kind, relative to the registry."""
    return f"{SCHEMA_FOLDER}/{kind}.schema.json"


def init_registry(target: Path, name: str) -> list[str]:
    """Create a new, valid, empty registry in ``target``; return the files written."""
    if target.exists() and any(target.iterdir()):
        raise UsageError(tr("{target} is not empty: init creates a new registry in an empty or "
                            "new folder", target=target))
    target.mkdir(parents=True, exist_ok=True)
    files: dict[str, str | None] = {}
    for kind, schema in schemas().items():
        files[schema_file(kind)] = json.dumps(schema, ensure_ascii=False, indent=2) + "\n"
    files[CONFIG_FILE] = (
        f"# yaml-language-server: $schema={schema_file('registry')}\n"
        f"# committee-cli {__version__} registry; docs/registry-format.md describes every file.\n"
        f"schema_version: {SCHEMA_VERSION}\n"
        f"name: {json.dumps(name, ensure_ascii=False)}\n"
    )
    for folder, _ in KINDS.values():
        (target / folder).mkdir(exist_ok=True)
    write_files(target, files)
    return sorted(files)


def editor_header(kind: str) -> str:
    """The comment that points an editor at a record file's schema."""
    return f"# yaml-language-server: $schema=../{schema_file(kind)}\n"
