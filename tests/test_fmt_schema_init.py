"""fmt keeps comments and is idempotent; schema validates the sample; init makes a valid registry."""

from __future__ import annotations

import json
import subprocess
import sys
import unicodedata
from pathlib import Path

import jsonschema

from committee_cli.model.records import CONFIG_FILE, KINDS
from committee_cli.store import DirSource, load
from tests.conftest import ROOT, SAMPLE, Run

SHUFFLED = """# Ông Trương Hải Long: comment at the top stays
positions:
  # comment inside the list stays
  - since: 2021-08-30
    organisation: bnv
    title: "Thứ trưởng"   # end-of-line comment stays
honorific: Ông
name: Trương Hải Long
"""


def test_fmt_fixes_nfd_and_key_order_keeping_comments(cli: Run, sample: Path) -> None:
    path = sample / "people" / "truong-hai-long.yaml"
    path.write_text(unicodedata.normalize("NFD", SHUFFLED), encoding="utf-8")
    check = cli("fmt", "--check", registry=sample)
    assert check.exit_code == 1 and "people/truong-hai-long.yaml" in check.stdout
    untouched = {p: p.read_bytes() for p in sample.rglob("*.yaml") if p != path}

    assert cli("fmt", registry=sample).exit_code == 0
    text = path.read_text(encoding="utf-8")
    assert unicodedata.is_normalized("NFC", text)
    assert text.index("name:") < text.index("honorific:") < text.index("positions:")
    assert text.index("title:") < text.index("organisation:") < text.index("since:")
    for comment in ("# Ông Trương Hải Long: comment at the top stays",
                    "# comment inside the list stays", "# end-of-line comment stays"):
        assert comment in text
    assert {p: p.read_bytes() for p in sample.rglob("*.yaml") if p != path} == untouched

    again = path.read_bytes()
    second = cli("fmt", registry=sample)
    assert second.exit_code == 0 and path.read_bytes() == again
    assert cli("fmt", "--check", registry=sample).exit_code == 0
    assert cli("validate", registry=sample).exit_code == 0


def test_fmt_on_canonical_registry_changes_no_byte(cli: Run, sample: Path) -> None:
    before = {p: p.read_bytes() for p in sample.rglob("*") if p.is_file()}
    assert cli("fmt", registry=sample).exit_code == 0
    assert {p: p.read_bytes() for p in sample.rglob("*") if p.is_file()} == before


def test_fmt_leaves_broken_files_alone(cli: Run, sample: Path) -> None:
    path = sample / "organisations" / "bnv.yaml"
    path.write_text("name: [broken\n", encoding="utf-8")
    result = cli("fmt", registry=sample)
    assert result.exit_code == 1 and "R001" in result.stderr
    assert path.read_text(encoding="utf-8") == "name: [broken\n"


def _as_json(value: object) -> object:
    return json.loads(json.dumps(value, default=str))


def test_schema_validates_every_sample_file_and_rejects_unknown_fields(cli: Run) -> None:
    result = cli("schema")
    assert result.exit_code == 0
    schemas = json.loads(result.stdout)
    loaded = load(DirSource(SAMPLE), keep_data=True)
    kind_of_folder = {folder: kind for kind, (folder, _) in KINDS.items()}
    assert loaded.data
    for rel, data in loaded.data.items():
        kind = "registry" if rel == CONFIG_FILE else kind_of_folder[rel.split("/")[0]]
        jsonschema.validate(_as_json(data), schemas[kind])
    bad = dict(_as_json(loaded.data["seats/bcd-cpdt-01.yaml"]))  # type: ignore[arg-type]
    bad["colour"] = "red"
    try:
        jsonschema.validate(bad, schemas["seat"])
    except jsonschema.ValidationError as exc:
        assert "colour" in exc.message
    else:
        raise AssertionError("the seat schema accepted an unknown field")


def test_schema_one_kind_and_unknown_kind(cli: Run) -> None:
    seat = json.loads(cli("schema", "seat").stdout)
    assert seat["additionalProperties"] is False and "committee" in seat["properties"]
    result = cli("schema", "seet")
    assert result.exit_code == 2 and "did you mean 'seat'" in result.stderr


def test_init_creates_a_valid_registry_pointing_at_the_schema(cli: Run, tmp_path: Path) -> None:
    target = tmp_path / "new"
    result = cli("init", str(target), "--name", "UBND tỉnh Bắc Ninh")
    assert result.exit_code == 0, result.output
    assert cli("validate", registry=target).exit_code == 0
    config = (target / CONFIG_FILE).read_text(encoding="utf-8")
    assert config.startswith("# yaml-language-server: $schema=schema/registry.schema.json")
    schema = json.loads((target / "schema" / "registry.schema.json").read_text(encoding="utf-8"))
    assert schema["additionalProperties"] is False
    assert cli("init", str(target)).exit_code == 2  # not empty any more


def test_python_dash_m_and_version() -> None:
    out = subprocess.run([sys.executable, "-m", "committee_cli", "--version"], capture_output=True,
                         text=True, cwd=ROOT, check=False)
    assert out.returncode == 0 and out.stdout.startswith("committee-cli ")
    # the same line as the root option prints through the application (with another option)
    for args in (["--lang", "en", "--version"], ["--version", "--lang", "vi"]):
        through = subprocess.run([sys.executable, "-m", "committee_cli", *args],
                                 capture_output=True, text=True, cwd=ROOT, check=False)
        assert (through.returncode, through.stdout, through.stderr) == (0, out.stdout, "")
    out = subprocess.run([sys.executable, "-m", "committee_cli", "--registry", str(SAMPLE),
                          "validate"], capture_output=True, text=True, check=False)
    assert out.returncode == 0, out.stderr


def test_list_rules_lists_every_code(cli: Run) -> None:
    result = cli("validate", "--list-rules")
    codes = [line.split()[0] for line in result.stdout.splitlines()]
    assert "R001" in codes and "R101" in codes and "R111" in codes
    docs = (ROOT / "docs" / "rules.md").read_text(encoding="utf-8")
    for code in codes:
        assert f"`{code}`" in docs, f"{code} is not documented in docs/rules.md"
