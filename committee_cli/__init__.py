"""committee-cli: steering committees (Ban Chỉ đạo) kept as data in git.

The library API lives in the subpackages: ``committee_cli.store`` loads and writes a registry,
``committee_cli.rules`` validates it, ``committee_cli.queries`` answers questions about it,
``committee_cli.services`` amends it and ``committee_cli.render`` produces documents. The CLI in
``committee_cli.cli`` is a thin layer over them.
"""

__version__ = "0.1.0"
