"""A package's names imported when first asked for (PEP 562), so that importing the package
costs nothing until one of them is used (``committee_cli.store``, ``committee_cli.rules``)."""

from __future__ import annotations

import importlib
from collections.abc import Callable, Mapping
from typing import Any


def lazy_names(package: str, where: Mapping[str, str],
               namespace: dict[str, Any]) -> Callable[[str], Any]:
    """The package's ``__getattr__``: each name of ``where`` is taken from its submodule
    (``where[name]``) when first asked for, then kept in the package's ``namespace``."""

    def __getattr__(name: str) -> Any:
        module = where.get(name)
        if module is None:
            raise AttributeError(f"module {package!r} has no attribute {name!r}")
        value = getattr(importlib.import_module(f"{package}.{module}"), name)
        namespace[name] = value
        return value

    return __getattr__
