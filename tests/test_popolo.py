"""`committee export popolo` validates against the Popolo JSON Schemas (local copies)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import jsonschema
from referencing import Registry, Resource
from referencing.jsonschema import DRAFT3

from tests.conftest import ROOT, SAMPLE, Run

SCHEMAS = ROOT / "tests" / "schemas" / "popolo"
FIXTURE = ROOT / "tests" / "fixtures" / "render" / "registry"


def _validators() -> dict[str, Any]:
    """A Draft 3 validator per Popolo class, every remote $ref resolved to the local copies."""
    resources = []
    for path in SCHEMAS.glob("*.json"):
        contents = json.loads(path.read_text(encoding="utf-8"))
        resources.append((contents["id"], Resource.from_contents(contents,
                                                                 default_specification=DRAFT3)))
    registry: Registry = Registry().with_resources(resources)
    found = {}
    for name, kind in (("person", "persons"), ("organization", "organizations"),
                       ("post", "posts"), ("membership", "memberships")):
        schema = json.loads((SCHEMAS / f"{name}.json").read_text(encoding="utf-8"))
        found[kind] = jsonschema.Draft3Validator(
            schema, registry=registry, format_checker=jsonschema.Draft3Validator.FORMAT_CHECKER)
    return found


def _export(cli: Run, registry: Path, *args: str) -> dict[str, Any]:
    result = cli("export", "popolo", *args, registry=registry)
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


def test_export_validates_against_the_popolo_schemas(cli: Run) -> None:
    validators = _validators()
    for registry in (SAMPLE, FIXTURE):
        document = _export(cli, registry)
        for kind, validator in validators.items():
            assert document[kind], kind
            for item in document[kind]:
                errors = [e.message for e in validator.iter_errors(item)]
                assert not errors, (kind, item, errors)


def test_a_broken_membership_fails_the_schema() -> None:
    validator = _validators()["memberships"]
    assert list(validator.iter_errors({"id": "x", "start_date": "30/8/2021"}))
    assert list(validator.iter_errors({"id": "x", "sources": [{"note": "no url"}]}))


def test_memberships_cite_their_decisions(cli: Run) -> None:
    document = _export(cli, FIXTURE)
    seats = {m["id"]: m for m in document["memberships"] if "post_id" in m}
    ended = seats["bcd-cds-03"]
    assert ended["start_date"] == "2020-03-05" and ended["end_date"] == "2021-01-15"
    assert [s["url"] for s in ended["sources"]] == ["urn:committee-cli:decision:qd-05-2020",
                                                    "urn:committee-cli:decision:qd-120-2021"]
    assert "QĐ 120/QĐ-BTN" in ended["sources"][1]["note"]
    # the seat that took it over is the same post
    assert seats["bcd-cds-09"]["post_id"] == ended["post_id"]
    kinds = {o["id"]: o["classification"] for o in document["organizations"]}
    assert kinds["bcd-cds"] == "committee" and kinds["btn"] == "body"


def test_as_of_keeps_the_memberships_held_then(cli: Run, tmp_path: Path) -> None:
    before = _export(cli, FIXTURE, "--as-of", "2020-06-01")
    seats = {m["id"] for m in before["memberships"] if "post_id" in m}
    assert "bcd-cds-03" in seats and "bcd-cds-09" not in seats
    out = tmp_path / "popolo.json"
    assert cli("export", "popolo", "--out", str(out), registry=FIXTURE).exit_code == 0
    assert json.loads(out.read_text(encoding="utf-8")) == _export(cli, FIXTURE)
