"""The sample registry of Decision 913 validates, is canonical, and validate's formats work."""

from __future__ import annotations

import json
from pathlib import Path

from tests.conftest import SAMPLE, Run


def test_sample_validates(cli: Run) -> None:
    result = cli("validate", registry=SAMPLE)
    assert result.exit_code == 0, result.output
    assert "no problems" in result.output


def test_sample_is_canonical(cli: Run) -> None:
    result = cli("fmt", "--check", registry=SAMPLE)
    assert result.exit_code == 0, result.output


def test_json_format_is_a_list(cli: Run, sample: Path) -> None:
    (sample / "seats" / "bcd-cpdt-05.yaml").write_text(
        (sample / "seats" / "bcd-cpdt-05.yaml").read_text(encoding="utf-8")
        + "colour: red\n", encoding="utf-8")
    result = cli("validate", "--format", "json", registry=sample)
    assert result.exit_code == 1
    problems = json.loads(result.stdout)
    assert problems == [{
        "code": "R012", "severity": "error", "file": "seats/bcd-cpdt-05.yaml",
        "line": problems[0]["line"], "column": 1, "path": ["colour"],
        "message": problems[0]["message"]}]
    assert "unknown field 'colour'" in problems[0]["message"]


def test_github_format(cli: Run, sample: Path) -> None:
    path = sample / "seats" / "bcd-cpdt-05.yaml"
    path.write_text(path.read_text(encoding="utf-8").replace("role: uy-vien", "role: uy-vein"),
                    encoding="utf-8")
    result = cli("validate", "--format", "github", registry=sample)
    assert result.exit_code == 1
    line = result.stdout.strip().splitlines()[0]
    assert line.startswith("::error file=")
    assert "seats/bcd-cpdt-05.yaml,line=" in line
    assert "R102" in line and "did you mean 'uy-vien'" in line
