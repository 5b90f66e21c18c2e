"""The registry store: reading YAML files into records, and writing changes back atomically."""

from committee_cli.store.loader import LoadResult, load
from committee_cli.store.source import DirSource, GitSource, OverlaySource, Source

__all__ = ["DirSource", "GitSource", "LoadResult", "OverlaySource", "Source", "load"]
