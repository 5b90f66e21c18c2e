"""The signed-facts store lives in the sealed cache as data (JSON and lines of text), never as
code."""

from __future__ import annotations

import json
from pathlib import Path

from committee_cli.store.cache import MAGIC
from tests.conftest import Run


def _facts_file(cache: Path, name: str = "signed-facts") -> Path:
    found = list(cache.rglob(name))
    assert len(found) == 1, found
    return found[0]


def _stored(path: Path) -> dict[str, object]:
    sealed = path.read_bytes()
    assert sealed.startswith(MAGIC)
    return json.loads(sealed[len(MAGIC) + 32:].decode("utf-8"))  # type: ignore[no-any-return]


def _decisions(path: Path) -> dict[str, list[str]]:
    """The store of fingerprints: a line of JSON, then a line for each decision (id, key,
    fingerprint, what it read: tab-separated)."""
    sealed = path.read_bytes()
    assert sealed.startswith(MAGIC)
    head, *lines = sealed[len(MAGIC) + 32:].decode("utf-8").split("\n")
    assert json.loads(head)["format"] == 2
    return {line.split("\t")[0]: line.split("\t", 3)[1:] for line in lines}


def test_signed_facts_are_sealed_json(cli: Run, sample: Path, private_cache: Path) -> None:
    """Each signed decision's fingerprint and inputs, and the facts of each fingerprint (kept
    apart: read only when a fingerprint no longer matches)."""
    assert cli("validate", registry=sample).exit_code == 0
    key, fingerprint, reads = _decisions(_facts_file(private_cache))["qd-913-2021"]
    assert len(bytes.fromhex(key)) == 16 and fingerprint.startswith("sha256:")
    assert "person\0truong-hai-long" in reads
    assert _stored(_facts_file(private_cache, "signed-facts-sealed"))["sealed"]
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
