"""Exchange formats at the render/store level: the edXML envelope of the national document axis
(QCVN 102:2016/BTTTT) and PAdES signatures on a decision's PDF (docs/exchange.md).

The third-party libraries (lxml, signxml, pyHanko, fontTools) are the optional ``sign`` extra:
:func:`require` says what to install when one is missing.
"""

from __future__ import annotations

import importlib
from types import ModuleType

from committee_cli.errors import CommitteeError, ExitCode
from committee_cli.i18n import tr

SIGN_EXTRA = "pip install 'committee-cli[sign]'"
SIGN_PACKAGES = ("lxml", "signxml", "pyhanko", "pyhanko_certvalidator", "fontTools", "pypdf")


class ExtraMissing(CommitteeError):
    """An optional library this command needs is not installed."""

    exit_code = ExitCode.USAGE


def require(module: str) -> ModuleType:
    """Import ``module`` from the ``sign`` extra, or say what to install."""
    try:
        return importlib.import_module(module)
    except ImportError:
        raise ExtraMissing(tr("this command needs the '{package}' library of the sign extra: "
                              "{install}", package=module.split(".")[0],
                              install=SIGN_EXTRA)) from None
