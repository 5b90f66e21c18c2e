"""``committee schema`` and ``committee init``: JSON Schema of the file kinds, new registries."""

from __future__ import annotations

import json
import subprocess
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from committee_cli import __version__
from committee_cli.errors import CommitteeError, ExitCode, UsageError
from committee_cli.i18n import tr
from committee_cli.model.records import (
    CONFIG_FILE,
    KINDS,
    SCHEMA_VERSION,
    Organisation,
    RegistryConfig,
)
from committee_cli.services.amend_registry import check_member_list
from committee_cli.services.resolve import check_new_id
from committee_cli.services.unit_of_work import to_node
from committee_cli.store.canonical import canonical_text, editor_header, schema_file
from committee_cli.store.transaction import write_files
from committee_cli.store.yamlio import dump_round_trip
from committee_cli.vietnamese import nfc, slugify


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


@dataclass
class IssuerSpec:
    """The body that issues the registry's decisions, as ``init`` records it."""

    name: str
    org_id: str
    abbreviation: str | None = None
    head_title: str | None = None
    deputy_title: str | None = None
    authority: str | None = None
    code: str | None = None
    collective: bool = False


@dataclass
class InitResult:
    """What ``init`` wrote and whether it made a git repository."""

    files: list[str]
    git: str  # "created", "inside" (already in a work tree) or "missing" (git not installed)


def issuer_spec(name: str | None, org_id: str | None = None, **facts: Any) -> IssuerSpec | None:
    """The issuing body from ``init``'s options (``None`` without a name; an option without
    the name is a usage error)."""
    if name is None or not " ".join(name.split()):
        given = [k.replace("_", "-") for k, v in facts.items() if v]
        if given:
            raise UsageError(tr("--{option} describes the issuing body: give its name with "
                                "--issuer-name too", option=given[0]))
        return None
    clean = " ".join(nfc(name).split())
    texts = {k: (" ".join(nfc(v).split()) or None) if isinstance(v, str) else v
             for k, v in facts.items()}
    base = org_id or slugify(texts.get("abbreviation") or "") or slugify(clean)[:60].strip("-")
    return IssuerSpec(name=clean, org_id=base or "co-quan", **texts)  # type: ignore[arg-type]


def _issuer_file(issuer: IssuerSpec) -> str:
    data = {"name": issuer.name, "abbreviation": issuer.abbreviation,
            "code": issuer.code, "head_title": issuer.head_title,
            "deputy_title": issuer.deputy_title, "authority": issuer.authority,
            "collective": issuer.collective or None}
    clean = {k: v for k, v in data.items() if v is not None}
    try:
        Organisation.model_validate(clean)
    except ValueError as exc:
        raise UsageError(tr("the issuing body is not valid: {exc}", exc=str(exc).splitlines()[-1]
                            if str(exc) else exc)) from None
    rel = f"{KINDS['organisation'][0]}/{issuer.org_id}.yaml"
    return editor_header("organisation") + canonical_text(rel, dump_round_trip(to_node(clean)))


def _git_init(target: Path) -> str:
    try:
        inside = subprocess.run(["git", "-C", str(target), "rev-parse", "--is-inside-work-tree"],
                                capture_output=True, check=False)
        if inside.returncode == 0 and inside.stdout.strip() == b"true":
            return "inside"
        done = subprocess.run(["git", "init", "-q", str(target)], capture_output=True,
                              check=False)
    except FileNotFoundError:
        return "missing"
    if done.returncode != 0:
        raise CommitteeError(tr("git init: {message}", message=done.stderr.decode(
            "utf-8", "replace").strip()), ExitCode.GIT)
    return "created"


def init_registry(target: Path, name: str, issuer: IssuerSpec | None = None,
                  git_repo: bool = True, place: str | None = None,
                  member_list: str | None = None) -> InitResult:
    """Create a new, valid registry in ``target`` (a git repository, with its issuing body, the
    place its decisions are dated at and its member-list layout when given)."""
    check_member_list(member_list)
    if target.exists() and any(target.iterdir()):
        raise UsageError(tr("{target} is not empty: init creates a new registry in an empty or "
                            "new folder", target=target))
    files: dict[str, str | None] = {}
    if issuer is not None:
        check_new_id(issuer.org_id)
        files[f"{KINDS['organisation'][0]}/{issuer.org_id}.yaml"] = _issuer_file(issuer)
    target.mkdir(parents=True, exist_ok=True)
    for kind, schema in schemas().items():
        files[schema_file(kind)] = json.dumps(schema, ensure_ascii=False, indent=2) + "\n"
    files[CONFIG_FILE] = (
        f"# yaml-language-server: $schema={schema_file('registry')}\n"
        f"# committee-cli {__version__} registry; docs/registry-format.md describes every file.\n"
        f"schema_version: {SCHEMA_VERSION}\n"
        f"name: {json.dumps(name, ensure_ascii=False)}\n"
        + (f"default_place: {json.dumps(place, ensure_ascii=False)}\n" if place else "")
        + (f"issuer: {issuer.org_id}\n" if issuer is not None else "")
        + (f"member_list: {member_list}\n" if member_list else "")
    )
    for folder, _ in KINDS.values():
        (target / folder).mkdir(exist_ok=True)
    write_files(target, files)
    state = _git_init(target) if git_repo else "inside"
    return InitResult(sorted(files), state)
