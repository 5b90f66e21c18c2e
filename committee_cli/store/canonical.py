"""The canonical layout of a registry file: key order from the models, NFC, 2-space maps,
lists indented under their key, plain scalars where YAML allows; comments kept."""

from __future__ import annotations

import typing
from typing import Any

from ruamel.yaml.comments import CommentedMap, CommentedSeq
from ruamel.yaml.compat import ordereddict
from ruamel.yaml.scalarstring import DoubleQuotedScalarString, SingleQuotedScalarString

from committee_cli.model.records import (
    CONFIG_FILE,
    FOLDER_KIND,
    KINDS,
    Record,
    RegistryConfig,
    record_type,
)
from committee_cli.store import yamlio
from committee_cli.vietnamese import nfc

_QUOTED = (DoubleQuotedScalarString, SingleQuotedScalarString)


def model_for(rel: str) -> type[Record]:
    """The record model of a registry-relative path."""
    if rel == CONFIG_FILE:
        return RegistryConfig
    return KINDS[FOLDER_KIND[rel.split("/", 1)[0]]][1]


def _field_model(model: type[Record] | None, key: str) -> type[Record] | None:
    return None if model is None else model.field_record(key)


def _canon_scalar(value: Any) -> Any:
    if isinstance(value, _QUOTED):
        return str(value)  # ruamel quotes it again only where YAML needs it
    return value


def canonicalise(node: Any, model: type[Record] | None) -> Any:
    """Reorder keys as the model declares them (unknown keys last); plain scalars where possible."""
    if isinstance(node, CommentedMap):
        order = list(model.model_fields) if model else []
        rank = {name: i for i, name in enumerate(order)}
        keys = list(node.keys())
        wanted = sorted(keys, key=lambda k: (rank.get(k, len(rank)), keys.index(k)))
        if wanted != keys:
            for key in wanted:
                node.move_to_end(key)
        for key in list(node.keys()):
            sub = _field_model(model, key) if isinstance(key, str) else None
            if model is RegistryConfig and key == "role_sets" and isinstance(node[key], dict):
                for seq in node[key].values():
                    canonicalise(seq, record_type(typing.get_args(
                        RegistryConfig.model_fields["role_sets"].annotation)[1]))
                continue
            # ordereddict's own setitem: CommentedMap's would keep the old quoting style
            ordereddict.__setitem__(node, key, canonicalise(node[key], sub))
        return node
    if isinstance(node, CommentedSeq):
        for i, item in enumerate(node):
            list.__setitem__(node, i, canonicalise(item, model))
        return node
    return _canon_scalar(node)


def canonical_text(rel: str, text: str) -> str:
    """The canonical form of one file's text (comments kept)."""
    document = yamlio.load_round_trip(nfc(text))  # keys, values and comments alike
    if document is None:
        return text
    canonicalise(document, model_for(rel))
    return yamlio.dump_round_trip(document).rstrip("\n") + "\n"  # moved keys may drag blanks


SCHEMA_FOLDER = "schema"


def schema_file(kind: str) -> str:
    """Where ``init`` puts the schema of a kind, relative to the registry."""
    return f"{SCHEMA_FOLDER}/{kind}.schema.json"


def editor_header(kind: str) -> str:
    """The comment that points an editor at a record file's schema."""
    return f"# yaml-language-server: $schema=../{schema_file(kind)}\n"
