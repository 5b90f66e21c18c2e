"""Data shipped with the package: the built-in templates and the sample registry."""

from __future__ import annotations

from pathlib import Path


def package_data(name: str) -> Path:
    """A data folder shipped with the package (``templates``, ``registry``)."""
    here = Path(__file__).resolve().parent
    installed = here / "_data" / name
    if installed.is_dir():
        return installed
    return here.parent / name  # editable install / source checkout
