"""The signed-facts store lives in the sealed cache as data (JSON), never as code."""

from __future__ import annotations

import json
from pathlib import Path

from committee_cli.store.cache import MAGIC
from tests.conftest import Run


def _facts_file(cache: Path) -> Path:
    found = list(cache.rglob("signed-facts"))
    assert len(found) == 1, found
    return found[0]


def test_signed_facts_are_sealed_json(cli: Run, sample: Path, private_cache: Path) -> None:
    assert cli("validate", registry=sample).exit_code == 0
    sealed = _facts_file(private_cache).read_bytes()
    assert sealed.startswith(MAGIC)
    payload = sealed[len(MAGIC) + 32:]
    stored = json.loads(payload.decode("utf-8"))
    assert "qd-913-2021" in stored["current"] and stored["sealed"]
    assert not list(private_cache.rglob("*.pickle"))


def test_a_tampered_facts_store_is_ignored_and_rebuilt(cli: Run, sample: Path,
                                                       private_cache: Path) -> None:
    assert cli("validate", registry=sample).exit_code == 0
    path = _facts_file(private_cache)
    data = bytearray(path.read_bytes())
    data[-5] ^= 0xFF  # the seal no longer matches
    path.write_bytes(bytes(data))
    (sample / "people" / "truong-hai-long.yaml").write_text(
        (sample / "people" / "truong-hai-long.yaml").read_text("utf-8").replace(
            "Trương Hải Long", "Trương Hải Lâm"), "utf-8")
    result = cli("validate", registry=sample)
    assert result.exit_code == 1 and "R130" in result.stdout
    # without the store (and outside git) the signed facts cannot be shown, but the decision is
    assert "qd-913-2021" in result.stdout
