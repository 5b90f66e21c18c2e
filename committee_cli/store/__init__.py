"""The registry store: reading YAML files into records, and writing changes back atomically.

``RegistryStore(root)`` is the way in (``load``) and out (``transaction``) for the layers above.
The names below are imported when first asked for, so that ``committee_cli.store.gitstart`` can
be imported at the very start of a run without the records and their libraries.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from committee_cli.lazy import lazy_names

if TYPE_CHECKING:
    from committee_cli.store.loader import LoadResult, load
    from committee_cli.store.registry_store import RegistryStore, Transaction, errors_only
    from committee_cli.store.source import DirSource, GitSource, OverlaySource, Source

__all__ = ["DirSource", "GitSource", "LoadResult", "OverlaySource", "RegistryStore", "Source",
           "Transaction", "errors_only", "load"]

_WHERE = {"LoadResult": "loader", "load": "loader", "RegistryStore": "registry_store",
          "Transaction": "registry_store", "errors_only": "registry_store",
          "DirSource": "source", "GitSource": "source", "OverlaySource": "source",
          "Source": "source"}


__getattr__ = lazy_names(__name__, _WHERE, globals())
