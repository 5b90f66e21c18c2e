"""The registry store: reading YAML files into records, and writing changes back atomically.

``RegistryStore(root)`` is the way in (``load``) and out (``transaction``) for the layers above.
"""

from committee_cli.store.loader import LoadResult, load
from committee_cli.store.registry_store import RegistryStore, Transaction, errors_only
from committee_cli.store.source import DirSource, GitSource, OverlaySource, Source

__all__ = ["DirSource", "GitSource", "LoadResult", "OverlaySource", "RegistryStore", "Source",
           "Transaction", "errors_only", "load"]
